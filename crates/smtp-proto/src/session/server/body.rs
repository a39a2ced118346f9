//! The message body on the server side: DATA bytes through the dot decoder (to events or to
//! the caller's sink), BDAT chunks, the size limit, and the replies at the end.

use mail_wire::dot::DotError;
use mail_wire::Status;

use super::{r, AbortReason, Mode, Pending, ServerEvent, ServerSession};
use crate::codec::reply::Reply;

impl ServerSession {
    /// Decodes body bytes from the front of `rest` into a [`ServerEvent::MessageData`];
    /// returns how many were used.
    pub(super) fn data_step(&mut self, rest: &[u8]) -> usize {
        let mut chunk = Vec::with_capacity(rest.len());
        let status = self.decode_body(rest, &mut |piece| chunk.extend_from_slice(piece));
        if !chunk.is_empty() {
            self.events.push_back(ServerEvent::MessageData(chunk));
        }
        self.data_status(status, rest.len())
    }

    /// [`Self::data_step`] handing the body to `sink` in pieces borrowed from `rest`.
    pub(super) fn data_step_with(&mut self, rest: &[u8], sink: &mut impl FnMut(&[u8])) -> usize {
        let status = self.decode_body(rest, sink);
        self.data_status(status, rest.len())
    }

    /// Runs the dot decoder over `rest`, passing on the pieces that fit in the size limit (the
    /// same ones whether they go to events or to a sink).
    fn decode_body(
        &mut self,
        rest: &[u8],
        sink: &mut impl FnMut(&[u8]),
    ) -> Status<Result<(), DotError>> {
        let Mode::Data { decoder } = &mut self.mode else {
            return Status::Incomplete;
        };
        let max = self.config.max_message_size;
        let tx = &mut self.tx;
        decoder.decode_with(rest, |piece| {
            if let Some(tx) = tx.as_mut().filter(|t| !t.too_large) {
                tx.size += piece.len() as u64;
                if tx.size > max {
                    tx.too_large = true;
                } else {
                    sink(piece);
                }
            }
        })
    }

    /// After a decode of `len` bytes: how many were used; ends the body if it ended.
    pub(super) fn data_status(
        &mut self,
        status: Status<Result<(), DotError>>,
        len: usize,
    ) -> usize {
        let used = match status {
            Status::Incomplete => len,
            Status::Complete(_, n) => n,
        };
        self.framer.advance(used);
        if let Status::Complete(result, _) = status {
            self.mode = Mode::Command;
            self.end_of_body(result.is_err());
        }
        used
    }

    /// Passes body bytes on, unless the message is over its size.
    pub(super) fn body_chunk(&mut self, chunk: Vec<u8>) {
        let max = self.config.max_message_size;
        let Some(tx) = self.tx.as_mut() else { return };
        if chunk.is_empty() || tx.too_large {
            return;
        }
        tx.size += chunk.len() as u64;
        if tx.size > max {
            tx.too_large = true;
            return;
        }
        self.events.push_back(ServerEvent::MessageData(chunk));
    }

    pub(super) fn end_of_body(&mut self, bad_line_end: bool) {
        let too_large = self.tx.as_ref().is_some_and(|t| t.too_large);
        if too_large || bad_line_end {
            let (reply, reason) = if too_large {
                (r(552, (5, 3, 4), "Message too big"), AbortReason::TooLarge)
            } else {
                (
                    r(550, (5, 6, 0), "Message refused: bare CR or LF in the body"),
                    AbortReason::BadLineEnding,
                )
            };
            let n = if self.config.lmtp {
                self.tx.as_ref().map_or(1, |t| t.rcpts)
            } else {
                1
            };
            for _ in 0..n {
                self.send(reply.clone());
            }
            self.tx = None;
            self.events.push_back(ServerEvent::MessageAborted(reason));
            return;
        }
        self.events.push_back(ServerEvent::MessageEnd);
        self.pending = Some(Pending::Message);
    }

    pub(super) fn end_of_chunk(&mut self, last: bool) {
        let too_large = self.tx.as_ref().is_some_and(|t| t.too_large);
        if too_large {
            // LMTP answers the last chunk once per recipient (RFC 2033 4.2).
            let n = match (&self.tx, self.config.lmtp && last) {
                (Some(tx), true) => tx.rcpts.max(1),
                _ => 1,
            };
            for _ in 0..n {
                self.send(r(552, (5, 3, 4), "Message too big"));
            }
            self.tx = None;
            self.events
                .push_back(ServerEvent::MessageAborted(AbortReason::TooLarge));
        } else if last {
            self.events.push_back(ServerEvent::MessageEnd);
            self.pending = Some(Pending::Message);
        } else {
            let size = self.tx.as_ref().map_or(0, |t| t.size);
            self.send(Reply::fixed(
                250,
                (2, 0, 0),
                &format!("{size} octets received"),
            ));
        }
    }
}

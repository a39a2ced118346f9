//! A message handed over in pieces: [`ClientSession::send_body`] and
//! [`ClientSession::end_body`], and how DATA and BDAT put the pieces on the wire.

use super::{BodyPhase, ClientEvent, ClientSession, Expect, Transaction};
use crate::codec::command::Command;
use crate::error::{Error, LocalError};

impl ClientSession {
    /// Hands over the next piece of a streamed message (line ends of any kind become CRLF;
    /// dots are stuffed for DATA). Only after [`ClientEvent::BodyWanted`] and before
    /// [`ClientSession::end_body`]. An 8-bit byte in a message declared 7-bit closes the
    /// session with an error, so that no truncated message is ever ended.
    pub fn send_body(&mut self, piece: &[u8]) -> Result<(), Error> {
        let Some(mut tx) = self.tx.take() else {
            return Err(LocalError::NotReady("message data").into());
        };
        if tx.body != BodyPhase::Open || tx.chunk_failure.is_some() {
            self.tx = Some(tx);
            return Err(LocalError::NotReady("message data").into());
        }
        if !tx.eight_bit {
            if let Some(at) = piece.iter().position(|&b| b >= 0x80) {
                let e: Error = LocalError::EightBitUnsupported(tx.fed + at).into();
                self.fail(e.clone());
                return Err(e);
            }
        }
        self.feed(&mut tx, piece);
        self.tx = Some(tx);
        Ok(())
    }

    /// Ends a streamed message: the terminator (DATA) or the last chunk (BDAT) goes out, and
    /// the transaction ends with [`ClientEvent::Delivered`]. After a refused BDAT chunk this
    /// sends RSET instead.
    pub fn end_body(&mut self) -> Result<(), Error> {
        let Some(mut tx) = self.tx.take() else {
            return Err(LocalError::NotReady("end of message").into());
        };
        if tx.body != BodyPhase::Open {
            self.tx = Some(tx);
            return Err(LocalError::NotReady("end of message").into());
        }
        self.end(&mut tx);
        self.tx = Some(tx);
        Ok(())
    }

    /// Whether the session waits for pieces of a streamed message.
    pub fn wants_body(&self) -> bool {
        self.tx
            .as_ref()
            .is_some_and(|t| t.body == BodyPhase::Open && t.queued.is_none())
    }

    /// The server takes the message now: send a whole one, or ask for the pieces.
    pub(super) fn open_body(&mut self, tx: &mut Transaction) {
        tx.body = BodyPhase::Open;
        match tx.queued.take() {
            Some(message) => {
                self.feed(tx, &message);
                self.end(tx);
            }
            None => self.events.push_back(ClientEvent::BodyWanted),
        }
    }

    /// Encodes a piece of the message onto the wire.
    pub(super) fn feed(&mut self, tx: &mut Transaction, piece: &[u8]) {
        tx.fed += piece.len();
        if !tx.bdat {
            return tx.encoder.encode(piece, &mut self.out);
        }
        let mut chunk = Vec::with_capacity(piece.len() + 2);
        tx.encoder.encode(piece, &mut chunk);
        if chunk.is_empty() {
            return;
        }
        let previous = std::mem::replace(&mut tx.held, chunk);
        if !previous.is_empty() {
            self.bdat_chunk(previous, false);
        }
    }

    /// Ends the message on the wire and waits for the replies.
    pub(super) fn end(&mut self, tx: &mut Transaction) {
        tx.body = BodyPhase::Done;
        if !tx.bdat {
            // The replies are expected since the 354.
            return tx.encoder.finish(&mut self.out);
        }
        if tx.chunk_failure.is_some() {
            self.command(&Command::Rset);
            self.expect.push_back(Expect::Rset);
            return;
        }
        let mut last = std::mem::take(&mut tx.held);
        tx.encoder.end_line(&mut last);
        self.bdat_chunk(last, true);
    }

    pub(super) fn bdat_chunk(&mut self, chunk: Vec<u8>, last: bool) {
        self.command(&Command::Bdat {
            size: chunk.len() as u64,
            last,
        });
        self.out.extend_from_slice(&chunk);
        self.expect.push_back(if last {
            Expect::Bdat
        } else {
            Expect::BdatChunk
        });
    }
}

/// The length of [`mail_wire::dot::normalize`] of `message`, without making it.
pub(super) fn normalized_len(message: &[u8]) -> usize {
    let mut len = message.len();
    let mut i = 0;
    while let Some(k) = message
        .get(i..)
        .and_then(|rest| memchr::memchr2(b'\r', b'\n', rest))
    {
        let at = i + k;
        if message.get(at) == Some(&b'\r') && message.get(at + 1) == Some(&b'\n') {
            i = at + 2;
        } else {
            // A bare CR or LF becomes CRLF.
            len += 1;
            i = at + 1;
        }
    }
    if i < message.len() {
        len += 2;
    }
    len
}

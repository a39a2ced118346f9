//! tokio-util `Decoder`/`Encoder` over the codec.
//!
//! - [`CommandCodec`] (server side) yields command lines and writes replies and listings.
//! - [`ReplyCodec`] (client side) yields reply lines and body chunks and writes commands; tell
//!   it the shape of each reply with [`ReplyCodec::expect`], from the command sent.

use bytes::{Bytes, BytesMut};
use mail_wire::line::{Frame, LineFramer};
use mail_wire::Status;
use tokio_util::codec::{Decoder, Encoder};

use crate::codec::{parse_command_line, Encode, ParseOptions, ReplyDecoder, ReplyPart};
use crate::types::{Command, ReplyShape, ResponseLine};

fn io_error(e: crate::Error) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, e)
}

/// A command line as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandLine(pub Bytes);

impl CommandLine {
    /// Parses the line as a command (a SASL response line is not one: decode it with
    /// `mail_wire::sasl::decode_client_response`).
    pub fn parse(&self, options: &ParseOptions) -> Result<Command<'_>, crate::Error> {
        parse_command_line(&self.0, options)
    }
}

/// Server-side codec: frames client lines, writes anything [`Encode`].
#[derive(Debug, Clone)]
pub struct CommandCodec {
    framer: LineFramer,
}

impl CommandCodec {
    /// A codec with these limits.
    pub fn new(options: &ParseOptions) -> Self {
        Self {
            framer: LineFramer::new(options.line_config()),
        }
    }
}

impl Default for CommandCodec {
    fn default() -> Self {
        Self::new(&ParseOptions::default())
    }
}

impl Decoder for CommandCodec {
    type Item = CommandLine;
    type Error = std::io::Error;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<CommandLine>, Self::Error> {
        loop {
            match self.framer.decode(src) {
                Ok(Status::Complete(Frame::Line(line), used)) => {
                    let len = line.content.len();
                    let mut frame = src.split_to(used);
                    frame.truncate(len);
                    return Ok(Some(CommandLine(frame.freeze())));
                }
                Ok(Status::Complete(Frame::Skipped, used)) => {
                    let _ = src.split_to(used);
                }
                Ok(Status::Incomplete) => return Ok(None),
                Err(e) => {
                    let _ = src.split_to(e.consumed().min(src.len()));
                    return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, e));
                }
            }
        }
    }
}

impl<T: Encode> Encoder<&T> for CommandCodec {
    type Error = std::io::Error;

    fn encode(&mut self, item: &T, dst: &mut BytesMut) -> Result<(), Self::Error> {
        dst.extend_from_slice(&item.to_bytes());
        Ok(())
    }
}

/// A piece of a reply, from [`ReplyCodec`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplyFrame {
    /// The status or continuation line.
    Line(ResponseLine<'static>),
    /// Dot-unstuffed body bytes.
    Body(Bytes),
    /// The end of a multi-line body.
    End,
}

/// Client-side codec: streams replies, writes commands.
#[derive(Debug, Clone)]
pub struct ReplyCodec {
    decoder: ReplyDecoder,
    pending_end: bool,
}

impl ReplyCodec {
    /// A codec waiting for the greeting.
    pub fn new(options: &ParseOptions) -> Self {
        Self {
            decoder: ReplyDecoder::new(options),
            pending_end: false,
        }
    }

    /// Sets the shape of the next reply ([`Command::reply_shape`]).
    pub fn expect(&mut self, shape: ReplyShape) {
        self.decoder.expect(shape);
    }
}

impl Default for ReplyCodec {
    fn default() -> Self {
        Self::new(&ParseOptions::default())
    }
}

impl Decoder for ReplyCodec {
    type Item = ReplyFrame;
    type Error = std::io::Error;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<ReplyFrame>, Self::Error> {
        if self.pending_end {
            self.pending_end = false;
            return Ok(Some(ReplyFrame::End));
        }
        let mut body = Vec::new();
        let (frame, used) = match self.decoder.decode(src, &mut body).map_err(io_error)? {
            Status::Incomplete => return Ok(None),
            Status::Complete(ReplyPart::Line(ResponseLine::Status(r)), used) => {
                (ReplyFrame::Line(ResponseLine::Status(r.into_owned())), used)
            }
            Status::Complete(ReplyPart::Line(ResponseLine::Continuation(c)), used) => (
                ReplyFrame::Line(ResponseLine::Continuation(c.into_owned().into())),
                used,
            ),
            Status::Complete(ReplyPart::Body, used) => (ReplyFrame::Body(Bytes::from(body)), used),
            Status::Complete(ReplyPart::End(Some(e)), _) => {
                return Err(io_error(crate::Error::Remote(e.into())))
            }
            Status::Complete(ReplyPart::End(None), used) => {
                if body.is_empty() {
                    (ReplyFrame::End, used)
                } else {
                    // Hand out the last bytes first; the end comes on the next call.
                    self.pending_end = true;
                    (ReplyFrame::Body(Bytes::from(body)), used)
                }
            }
        };
        let _ = src.split_to(used.min(src.len()));
        Ok(Some(frame))
    }
}

impl<'a> Encoder<&Command<'a>> for ReplyCodec {
    type Error = std::io::Error;

    fn encode(&mut self, item: &Command<'a>, dst: &mut BytesMut) -> Result<(), Self::Error> {
        dst.extend_from_slice(&item.to_bytes());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reply_codec_streams_a_body_and_command_codec_frames_lines() {
        let mut codec = ReplyCodec::default();
        let mut src = BytesMut::from(&b"+OK hi\r\n"[..]);
        assert!(matches!(
            codec.decode(&mut src).unwrap(),
            Some(ReplyFrame::Line(_))
        ));
        codec.expect(Command::Retr(1).reply_shape());
        let mut src = BytesMut::from(&b"+OK\r\n..a\r\nb\r\n.\r\n+OK"[..]);
        let mut body = Vec::new();
        let mut ended = false;
        while let Some(frame) = codec.decode(&mut src).unwrap() {
            match frame {
                ReplyFrame::Body(b) => body.extend_from_slice(&b),
                ReplyFrame::End => {
                    ended = true;
                    break;
                }
                ReplyFrame::Line(_) => {}
            }
        }
        assert!(ended);
        assert_eq!(body, b".a\r\nb\r\n");
        assert_eq!(&src[..], b"+OK");

        let mut codec = CommandCodec::default();
        let mut src = BytesMut::from(&b"USER a\r\nQUIT\r\nNO"[..]);
        let line = codec.decode(&mut src).unwrap().unwrap();
        assert_eq!(
            line.parse(&ParseOptions::default()).unwrap(),
            Command::User(crate::Param::new("a").unwrap())
        );
        assert_eq!(codec.decode(&mut src).unwrap().unwrap().0, &b"QUIT"[..]);
        assert!(codec.decode(&mut src).unwrap().is_none());
        let mut dst = BytesMut::new();
        Encoder::<&crate::Reply<'_>>::encode(&mut codec, &crate::Reply::ok("x").unwrap(), &mut dst)
            .unwrap();
        assert_eq!(&dst[..], b"+OK x\r\n");
    }
}

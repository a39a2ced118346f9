//! tokio-util `Decoder`/`Encoder` over the codec, for line-at-a-time use with `Framed`.
//!
//! [`ServerCodec`] decodes commands and encodes replies; [`ClientCodec`] decodes replies and
//! encodes commands. They frame commands and replies only: a `DATA` body or a `BDAT` chunk is
//! the caller's to read from the buffer (or use the sessions, which do all of it).

use bytes::{Buf, BytesMut};
use mail_wire::Status;
use tokio_util::codec::{Decoder, Encoder};

use crate::codec::command::{parse_command, Command};
use crate::codec::reply::{parse_reply, Reply};
use crate::codec::ParseError;

/// Errors of the tokio codecs.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CodecError {
    /// Reading or writing failed.
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
    /// The peer sent something that does not parse.
    #[error("syntax: {0}")]
    Parse(#[from] ParseError),
}

/// Server side: commands in, replies out.
#[derive(Debug, Clone, Copy, Default)]
pub struct ServerCodec;

impl Decoder for ServerCodec {
    type Item = Command<'static>;
    type Error = CodecError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Command<'static>>, CodecError> {
        match parse_command(src)? {
            Status::Complete(cmd, n) => {
                // The command outlives the bytes it was parsed from.
                let cmd = cmd.into_owned();
                src.advance(n);
                Ok(Some(cmd))
            }
            Status::Incomplete => Ok(None),
        }
    }
}

impl Encoder<Reply<'static>> for ServerCodec {
    type Error = CodecError;

    fn encode(&mut self, item: Reply<'static>, dst: &mut BytesMut) -> Result<(), CodecError> {
        dst.extend_from_slice(&item.to_bytes());
        Ok(())
    }
}

/// Client side: replies in, commands out.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClientCodec;

impl Decoder for ClientCodec {
    type Item = Reply<'static>;
    type Error = CodecError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Reply<'static>>, CodecError> {
        match parse_reply(src)? {
            Status::Complete(reply, n) => {
                let reply = reply.into_owned();
                src.advance(n);
                Ok(Some(reply))
            }
            Status::Incomplete => Ok(None),
        }
    }
}

impl Encoder<Command<'_>> for ClientCodec {
    type Error = CodecError;

    fn encode(&mut self, item: Command<'_>, dst: &mut BytesMut) -> Result<(), CodecError> {
        dst.extend_from_slice(&item.to_bytes());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_commands_and_replies() {
        let mut buf = BytesMut::from(&b"NOOP\r\nQUIT\r\nRS"[..]);
        let mut c = ServerCodec;
        assert_eq!(c.decode(&mut buf).ok().flatten(), Some(Command::Noop(None)));
        assert_eq!(c.decode(&mut buf).ok().flatten(), Some(Command::Quit));
        assert!(c.decode(&mut buf).ok().flatten().is_none());
        let mut buf = BytesMut::from(&b"250-a\r\n250 b\r\n"[..]);
        let reply = ClientCodec.decode(&mut buf).ok().flatten();
        assert_eq!(reply.map(|r| r.lines().count()), Some(2));
        assert!(buf.is_empty());
    }
}

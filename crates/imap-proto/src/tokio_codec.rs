//! tokio-util `Decoder`/`Encoder` over the codec.
//!
//! The decoder yields whole units (one response or command, literals included) as `Bytes`;
//! parse them with [`parse_response`](crate::parse_response) or
//! [`parse_command`](crate::parse_command), which borrow the frame. The framing scan resumes
//! where it stopped, so a large unit arriving in many reads is scanned once.

use bytes::{Bytes, BytesMut};
use tokio_util::codec::{Decoder, Encoder};

use crate::codec::{Encode, FrameEvent, Framer, ParseOptions};

/// Splits a byte stream into IMAP units and writes commands and responses.
#[derive(Debug, Clone, Default)]
pub struct ImapCodec {
    framer: Framer,
    opts: ParseOptions,
}

impl ImapCodec {
    /// A codec with the given limits and tolerated deviations.
    pub fn new(opts: ParseOptions) -> Self {
        Self {
            framer: Framer::new(),
            opts,
        }
    }
}

impl Decoder for ImapCodec {
    type Item = Bytes;
    type Error = std::io::Error;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Bytes>, Self::Error> {
        loop {
            match self.framer.next(src, &self.opts) {
                Ok(FrameEvent::Complete(n)) => return Ok(Some(src.split_to(n).freeze())),
                Ok(FrameEvent::Incomplete) => return Ok(None),
                Ok(FrameEvent::LiteralAnnounced { .. }) => {}
                Err(e) => {
                    self.framer = Framer::new();
                    return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, e));
                }
            }
        }
    }
}

impl<T: Encode> Encoder<&T> for ImapCodec {
    type Error = std::io::Error;

    fn encode(&mut self, item: &T, dst: &mut BytesMut) -> Result<(), Self::Error> {
        let mut out = Vec::new();
        item.write_to(&mut out);
        dst.extend_from_slice(&out);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_across_reads() {
        let mut c = ImapCodec::default();
        let mut buf = BytesMut::from(&b"* 1 FETCH (BODY[] {5}\r\nhel"[..]);
        assert_eq!(c.decode(&mut buf).ok().flatten(), None);
        buf.extend_from_slice(b"lo)\r\n* 2 EXISTS\r\n");
        let f = c.decode(&mut buf).ok().flatten().unwrap_or_default();
        assert_eq!(&f[..], b"* 1 FETCH (BODY[] {5}\r\nhello)\r\n");
        let f = c.decode(&mut buf).ok().flatten().unwrap_or_default();
        assert_eq!(&f[..], b"* 2 EXISTS\r\n");
    }
}

//! A streaming decoder: units with small literals come out whole, large literals come out in
//! chunks, and synchronising literals are explicit pauses. Inside a FETCH response, the items
//! around a streamed literal still come out typed: [`parse_fetch_head`] and
//! [`parse_fetch_tail`] parse the text before and after it.
//!
//! A FETCH of a 50 MB `BODY[]` then costs O(n) and holds no more than the caller's read buffer:
//!
//! ```
//! use imap_proto::stream::{StreamDecoder, StreamEvent};
//! use imap_proto::ParseOptions;
//!
//! let mut dec = StreamDecoder::new(ParseOptions::default(), 16);
//! let input = b"* 1 FETCH (UID 7 BODY[] {20}\r\n01234567890123456789)\r\n* 2 EXISTS\r\n";
//! let mut buf = &input[..];
//! let mut body = Vec::new();
//! let mut events = Vec::new();
//! while let Some((event, used)) = dec.decode(buf)? {
//!     match event {
//!         StreamEvent::LiteralStart { head, length, .. } => {
//!             assert_eq!(head, b"* 1 FETCH (UID 7 BODY[] {20}\r\n");
//!             assert_eq!(length, 20);
//!         }
//!         StreamEvent::LiteralData(chunk) => body.extend_from_slice(chunk),
//!         StreamEvent::UnitEnd(tail) => assert_eq!(tail, b")\r\n"),
//!         StreamEvent::Unit(unit) => assert_eq!(unit, b"* 2 EXISTS\r\n"),
//!         StreamEvent::SyncLiteral { .. } => {}
//!     }
//!     events.push(used);
//!     buf = &buf[used..];
//! }
//! assert_eq!(body, b"01234567890123456789");
//! # Ok::<(), imap_proto::ParseError>(())
//! ```

use std::num::NonZeroU32;

use crate::codec::reader::Reader;
use crate::codec::{FrameEvent, Framer, ParseOptions};
use crate::error::{ParseError, ParseErrorKind};
use crate::types::{FetchItem, Section, Token};

/// What [`StreamDecoder::decode`] found at the start of the buffer.
#[must_use]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamEvent<'a> {
    /// A whole unit (command or response) with every literal inline; parse it with
    /// [`parse_response`](crate::parse_response) or [`parse_command`](crate::parse_command).
    Unit(&'a [u8]),
    /// A synchronising literal was announced and its data has not arrived: the pause where a
    /// server answers `+ ...`. Nothing is consumed; call again when more bytes arrive. (A
    /// client decoding responses ignores it: servers never wait.)
    SyncLiteral {
        /// Announced length.
        length: u64,
    },
    /// A literal larger than the threshold begins. `head` is the unit's text before the data,
    /// ending with the announcement (`* 1 FETCH (BODY[] {52428800}\r\n`), or, after an
    /// earlier large literal of the same unit, the text since that literal.
    LiteralStart {
        /// Unit text up to and including the announcement's CRLF.
        head: &'a [u8],
        /// Announced length.
        length: u64,
        /// `{n}` rather than `{n+}`: a server answers `+` before the client sends the data.
        sync: bool,
        /// A literal8 (`~{n}`).
        binary: bool,
    },
    /// A chunk of the large literal's data, as much as the buffer held.
    LiteralData(&'a [u8]),
    /// The unit's text after its last large literal, through the final CRLF.
    UnitEnd(&'a [u8]),
}

#[derive(Debug, Clone)]
enum State {
    /// Framing a unit from its start (`tail` false) or after a streamed literal (`tail` true).
    Framing { framer: Framer, tail: bool },
    /// Streaming literal data.
    Literal { remaining: u64 },
}

/// A resumable decoder over a byte stream of commands or responses. Feed it the unconsumed
/// bytes (the same bytes plus more after `None`); drop the `used` bytes after each event.
#[derive(Debug, Clone)]
pub struct StreamDecoder {
    opts: ParseOptions,
    threshold: u64,
    state: State,
}

impl StreamDecoder {
    /// A decoder that streams literals longer than `threshold` bytes and keeps shorter ones
    /// inline. `opts.max_literal` still bounds every literal; `opts.max_line` every line.
    pub fn new(opts: ParseOptions, threshold: u64) -> Self {
        Self {
            opts,
            threshold,
            state: State::Framing {
                framer: Framer::new(),
                tail: false,
            },
        }
    }

    /// Whether the decoder is between units (no partial unit pending).
    pub fn is_idle(&self) -> bool {
        matches!(&self.state, State::Framing { tail: false, .. })
    }

    /// The next event and how many bytes of `buf` it used, or `None` if more bytes are needed
    /// (nothing was used).
    ///
    /// After an error the decoder starts over at the next unit; the caller should discard the
    /// buffered bytes up to the next line end (see the `proto-dump` example).
    pub fn decode<'a>(
        &mut self,
        buf: &'a [u8],
    ) -> Result<Option<(StreamEvent<'a>, usize)>, ParseError> {
        loop {
            match &mut self.state {
                State::Literal { remaining } => {
                    if buf.is_empty() {
                        return Ok(None);
                    }
                    let n = usize::try_from(*remaining)
                        .unwrap_or(usize::MAX)
                        .min(buf.len());
                    *remaining -= n as u64;
                    if *remaining == 0 {
                        self.state = State::Framing {
                            framer: Framer::new(),
                            tail: true,
                        };
                    }
                    return Ok(Some((
                        StreamEvent::LiteralData(buf.get(..n).unwrap_or_default()),
                        n,
                    )));
                }
                State::Framing { framer, tail } => {
                    let tail = *tail;
                    let event = match framer.next(buf, &self.opts) {
                        Ok(e) => e,
                        Err(e) => {
                            self.state = State::Framing {
                                framer: Framer::new(),
                                tail: false,
                            };
                            return Err(e);
                        }
                    };
                    match event {
                        FrameEvent::Incomplete => return Ok(None),
                        FrameEvent::Complete(n) => {
                            let bytes = buf.get(..n).unwrap_or_default();
                            self.state = State::Framing {
                                framer: Framer::new(),
                                tail: false,
                            };
                            let ev = if tail {
                                StreamEvent::UnitEnd(bytes)
                            } else {
                                StreamEvent::Unit(bytes)
                            };
                            return Ok(Some((ev, n)));
                        }
                        FrameEvent::LiteralAnnounced {
                            data_offset,
                            length,
                            sync,
                            binary,
                        } => {
                            if length > self.threshold {
                                self.state = if length == 0 {
                                    State::Framing {
                                        framer: Framer::new(),
                                        tail: true,
                                    }
                                } else {
                                    State::Literal { remaining: length }
                                };
                                let head = buf.get(..data_offset).unwrap_or_default();
                                return Ok(Some((
                                    StreamEvent::LiteralStart {
                                        head,
                                        length,
                                        sync,
                                        binary,
                                    },
                                    data_offset,
                                )));
                            }
                            if sync && buf.len() == data_offset {
                                return Ok(Some((StreamEvent::SyncLiteral { length }, 0)));
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The FETCH item whose value is a streamed literal (`BODY[]` in
/// `* 1 FETCH (UID 7 BODY[] {52428800}`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LiteralItem<'a> {
    /// `BODY[section]<origin>`.
    BodySection {
        /// The section.
        section: Section<'a>,
        /// The `<origin>` of a partial fetch.
        origin: Option<u32>,
    },
    /// `BINARY[part]` (RFC 3516).
    Binary {
        /// The part path.
        part: Vec<NonZeroU32>,
    },
    /// `RFC822` (IMAP4rev1).
    Rfc822,
    /// `RFC822.HEADER` (IMAP4rev1).
    Rfc822Header,
    /// `RFC822.TEXT` (IMAP4rev1).
    Rfc822Text,
    /// Any other item (`X-GM-RAW`...).
    Other(Token<'a>),
}

/// The typed text of a FETCH response before one of its streamed literals: what
/// [`parse_fetch_head`] makes of a [`StreamEvent::LiteralStart`]'s `head`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchHead<'a> {
    /// The message sequence number; `None` when the head follows an earlier streamed literal
    /// of the same response.
    pub seq: Option<u32>,
    /// The items complete before the literal (small literals included).
    pub items: Vec<FetchItem<'a>>,
    /// The item the literal is the value of.
    pub literal_of: LiteralItem<'a>,
}

/// Parses the `head` of a [`StreamEvent::LiteralStart`] inside a FETCH response: the items
/// before the streamed literal come out typed, as [`parse_response`](crate::parse_response)
/// would give them, and the item the literal belongs to is named. The items after the last
/// streamed literal come from [`parse_fetch_tail`].
///
/// ```
/// use imap_proto::stream::{parse_fetch_head, parse_fetch_tail, LiteralItem};
/// use imap_proto::{Flag, FetchItem, ParseOptions};
///
/// let opts = ParseOptions::default();
/// let head = parse_fetch_head(b"* 4 FETCH (UID 9 BODY[] {52428800}\r\n", &opts)?;
/// assert_eq!(head.seq, Some(4));
/// assert_eq!(head.items, [FetchItem::Uid(9)]);
/// assert!(matches!(head.literal_of, LiteralItem::BodySection { .. }));
/// let tail = parse_fetch_tail(b" FLAGS (\\Seen))\r\n", &opts)?;
/// assert_eq!(tail, [FetchItem::Flags(vec![Flag::Seen])]);
/// # Ok::<(), imap_proto::ParseError>(())
/// ```
///
/// A literal inside an item's value (an ENVELOPE field, a list) is an error: only the
/// top-level items are typed this way.
pub fn parse_fetch_head<'a>(
    head: &'a [u8],
    opts: &ParseOptions,
) -> Result<FetchHead<'a>, ParseError> {
    let no_literal = || {
        ParseError::new(
            head.len(),
            ParseErrorKind::Expected("a literal announcement ending the head"),
        )
    };
    let line = match head.split_last() {
        Some((b'\n', rest)) => match rest.split_last() {
            Some((b'\r', content)) => content,
            _ if opts.allow_bare_lf => rest,
            _ => return Err(no_literal()),
        },
        _ => return Err(no_literal()),
    };
    let line_start = memchr::memrchr(b'\n', line).map_or(0, |lf| lf + 1);
    let content = line.get(line_start..).unwrap_or_default();
    let (_, _, binary, brace) = crate::codec::literal_at_end(content).ok_or_else(no_literal)?;
    let lit_at = line_start + brace - usize::from(binary);
    Reader::new(head, opts).fetch_head(lit_at)
}

/// Parses the text of a FETCH response after its last streamed literal (a
/// [`StreamEvent::UnitEnd`]): the remaining items, the closing parenthesis and CRLF.
pub fn parse_fetch_tail<'a>(
    tail: &'a [u8],
    opts: &ParseOptions,
) -> Result<Vec<FetchItem<'a>>, ParseError> {
    let mut r = Reader::new(tail, opts);
    let items = r.fetch_tail()?;
    if r.pos != tail.len() {
        return Err(ParseError::new(r.pos, ParseErrorKind::TrailingBytes));
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs a decoder over `input` fed in `chunk`-byte reads; returns the events (owned) and
    /// the largest buffer held.
    fn run(input: &[u8], chunk: usize, threshold: u64) -> (Vec<(String, Vec<u8>)>, usize) {
        let mut dec = StreamDecoder::new(ParseOptions::default(), threshold);
        let mut buf: Vec<u8> = Vec::new();
        let mut fed = 0;
        let mut out = Vec::new();
        let mut max_buf = 0;
        loop {
            match dec.decode(&buf) {
                Ok(Some((ev, used))) => {
                    let item = match ev {
                        StreamEvent::Unit(b) => ("unit".to_owned(), b.to_vec()),
                        StreamEvent::SyncLiteral { length } => {
                            (format!("sync {length}"), Vec::new())
                        }
                        StreamEvent::LiteralStart { head, length, .. } => {
                            (format!("start {length}"), head.to_vec())
                        }
                        StreamEvent::LiteralData(d) => ("data".to_owned(), d.to_vec()),
                        StreamEvent::UnitEnd(b) => ("end".to_owned(), b.to_vec()),
                    };
                    let is_sync = used == 0;
                    out.push(item);
                    buf.drain(..used);
                    if !is_sync {
                        continue;
                    }
                }
                Ok(None) => {}
                Err(e) => panic!("{e}"),
            }
            if fed == input.len() {
                break;
            }
            let n = chunk.min(input.len() - fed);
            buf.extend_from_slice(input.get(fed..fed + n).unwrap_or_default());
            fed += n;
            max_buf = max_buf.max(buf.len());
        }
        assert!(buf.is_empty() && dec.is_idle(), "leftover {buf:?}");
        (out, max_buf)
    }

    #[test]
    fn fifty_megabytes_in_bounded_memory() {
        let size = 50 << 20;
        let mut input = b"* 1 FETCH (UID 9 BODY[] {52428800}\r\n".to_vec();
        input.extend(std::iter::repeat_n(b'x', size));
        input.extend_from_slice(b" FLAGS (\\Seen))\r\nA1 OK done\r\n");
        let mut dec = StreamDecoder::new(ParseOptions::default(), 64 << 10);
        let mut buf: Vec<u8> = Vec::with_capacity(128 << 10);
        let mut fed = 0;
        let mut data = 0usize;
        let mut events = Vec::new();
        let mut max_buf = 0;
        while fed < input.len() || !buf.is_empty() {
            while let Some((ev, used)) = dec.decode(&buf).unwrap_or_else(|e| panic!("{e}")) {
                match ev {
                    StreamEvent::LiteralData(d) => data += d.len(),
                    other => events.push(format!("{other:?}")),
                }
                buf.drain(..used);
            }
            let n = (64 << 10).min(input.len() - fed);
            if n == 0 {
                break;
            }
            buf.extend_from_slice(input.get(fed..fed + n).unwrap_or_default());
            fed += n;
            max_buf = max_buf.max(buf.len());
        }
        assert_eq!(data, size);
        assert!(max_buf <= (64 << 10) + 64, "held {max_buf} bytes");
        assert_eq!(events.len(), 3, "{events:?}");
        assert!(events[2].starts_with("Unit"), "{events:?}");
        assert!(buf.is_empty());
    }

    #[test]
    fn small_literals_stay_inline_large_ones_stream() {
        let input = b"* 1 FETCH (BODY[1] {3}\r\nabc BODY[2] {10}\r\n0123456789 BODY[3] {12}\r\nabcdefghijkl)\r\n";
        for chunk in [1, 2, 7, 1000] {
            let (ev, _) = run(input, chunk, 5);
            // A byte-at-a-time reader sees the pause of the small synchronising literal.
            let kinds: Vec<&str> = ev
                .iter()
                .map(|(k, _)| k.as_str())
                .filter(|k| !k.starts_with("sync"))
                .collect();
            let first = kinds.first().copied();
            assert_eq!(first, Some("start 10"), "{kinds:?}");
            let joined: Vec<u8> = ev.iter().flat_map(|(_, b)| b.iter().copied()).collect();
            assert_eq!(joined, input, "chunk {chunk}");
            assert_eq!(kinds.last().copied(), Some("end"));
            assert!(kinds.contains(&"start 12"));
        }
        // With a large threshold the unit comes out whole.
        let (ev, _) = run(input, 3, 1 << 20);
        let ev: Vec<_> = ev
            .into_iter()
            .filter(|(k, _)| !k.starts_with("sync"))
            .collect();
        assert_eq!(ev, vec![("unit".to_owned(), input.to_vec())]);
    }

    #[test]
    fn synchronising_literal_is_a_pause() {
        let mut dec = StreamDecoder::new(ParseOptions::default(), 1 << 20);
        let line = b"A1 LOGIN {5}\r\n";
        assert_eq!(
            dec.decode(line),
            Ok(Some((StreamEvent::SyncLiteral { length: 5 }, 0)))
        );
        assert_eq!(dec.decode(line), Ok(None));
        let all = b"A1 LOGIN {5}\r\nalice {6+}\r\nsecret\r\n";
        assert_eq!(
            dec.decode(all),
            Ok(Some((StreamEvent::Unit(all), all.len())))
        );
        // Non-synchronising literals never pause.
        let mut dec = StreamDecoder::new(ParseOptions::default(), 1 << 20);
        assert_eq!(dec.decode(b"A1 LOGIN {5+}\r\n"), Ok(None));
    }

    #[test]
    fn limits_hold_while_streaming() {
        let o = ParseOptions {
            max_literal: 100,
            ..ParseOptions::default()
        };
        let mut dec = StreamDecoder::new(o, 10);
        assert!(dec.decode(b"* 1 FETCH (BODY[] {101}\r\n").is_err());
        assert!(dec.is_idle());
    }
}

//! Finding where a command or response ends, literals included, without reading literal data.

use crate::codec::ParseOptions;
use crate::error::{ParseError, ParseErrorKind};

/// What [`Framer::next`] found.
#[must_use]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameEvent {
    /// A whole unit occupies the first `n` bytes of the buffer.
    Complete(usize),
    /// The unit continues beyond the buffer; call again with more bytes.
    Incomplete,
    /// A line ended with a literal announcement. For a synchronising literal (`sync`) received
    /// by a server, this is the pause where it answers `+ ...` before the client sends the
    /// data. Call again to go on.
    LiteralAnnounced {
        /// Offset of the literal's first data byte in the buffer.
        data_offset: usize,
        /// Announced length.
        length: u64,
        /// `{n}` (true) or `{n+}` (false).
        sync: bool,
        /// A literal8 (`~{n}`).
        binary: bool,
    },
}

/// A resumable scanner that finds the end of one unit, enforcing the line and literal limits.
///
/// Feed it the buffer that starts at the unit, the same bytes plus more on each call; it
/// remembers how far it got, so a unit arriving in many chunks costs O(n) in total. After
/// `Complete` it starts over for the next unit (whose buffer again starts at offset 0).
#[derive(Debug, Clone, Default)]
pub struct Framer {
    pos: usize,
    line_start: usize,
    literal_end: Option<usize>,
}

/// The literal announced at the end of a line's content, if any: `(length, sync, binary)`.
pub(crate) fn literal_at_end(line: &[u8]) -> Option<(Result<u64, ()>, bool, bool, usize)> {
    let (&last, rest) = line.split_last()?;
    if last != b'}' {
        return None;
    }
    let (rest, sync) = match rest.split_last() {
        Some((b'+', r)) => (r, false),
        _ => (rest, true),
    };
    let digits = rest.iter().rev().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 {
        return None;
    }
    let open = rest.len() - digits;
    let brace = open.checked_sub(1)?;
    if rest.get(brace) != Some(&b'{') {
        return None;
    }
    let binary = brace > 0 && rest.get(brace - 1) == Some(&b'~');
    let mut n: u64 = 0;
    let mut overflow = false;
    for &d in rest.get(open..).unwrap_or_default() {
        match n
            .checked_mul(10)
            .and_then(|n| n.checked_add(u64::from(d - b'0')))
        {
            Some(v) => n = v,
            None => overflow = true,
        }
    }
    Some((if overflow { Err(()) } else { Ok(n) }, sync, binary, brace))
}

impl Framer {
    /// A framer at the start of a unit.
    pub fn new() -> Self {
        Self::default()
    }

    /// Scans on from where the last call stopped.
    pub fn next(&mut self, buf: &[u8], opts: &ParseOptions) -> Result<FrameEvent, ParseError> {
        {
            if let Some(end) = self.literal_end {
                if buf.len() < end {
                    return Ok(FrameEvent::Incomplete);
                }
                self.literal_end = None;
                self.pos = end;
                self.line_start = end;
            }
            let from = self.pos.max(self.line_start);
            let Some(off) = buf.get(from..).and_then(|b| memchr::memchr(b'\n', b)) else {
                self.pos = buf.len();
                if buf.len().saturating_sub(self.line_start) > opts.max_line.saturating_add(2) {
                    return Err(ParseError::new(
                        self.line_start,
                        ParseErrorKind::LineTooLong {
                            limit: opts.max_line,
                        },
                    ));
                }
                return Ok(FrameEvent::Incomplete);
            };
            let lf = from + off;
            let line = buf.get(self.line_start..lf).unwrap_or_default();
            let content = match line.split_last() {
                Some((b'\r', c)) => c,
                _ if opts.allow_bare_lf => line,
                _ => return Err(ParseError::new(lf, ParseErrorKind::BareLineFeed)),
            };
            if content.len() > opts.max_line {
                return Err(ParseError::new(
                    self.line_start,
                    ParseErrorKind::LineTooLong {
                        limit: opts.max_line,
                    },
                ));
            }
            if let Some((length, sync, binary, brace)) = literal_at_end(content) {
                let at = self.line_start + brace;
                let length = match length {
                    Ok(n) if n <= opts.max_literal => n,
                    Ok(n) => {
                        return Err(ParseError::new(
                            at,
                            ParseErrorKind::LiteralTooLarge {
                                length: n,
                                limit: opts.max_literal,
                            },
                        ))
                    }
                    Err(()) => return Err(ParseError::new(at, ParseErrorKind::NumberOutOfRange)),
                };
                let data_offset = lf + 1;
                let len = usize::try_from(length).unwrap_or(usize::MAX);
                self.literal_end = Some(data_offset.saturating_add(len));
                self.pos = data_offset;
                return Ok(FrameEvent::LiteralAnnounced {
                    data_offset,
                    length,
                    sync,
                    binary,
                });
            }
            *self = Self::default();
            Ok(FrameEvent::Complete(lf + 1))
        }
    }
}

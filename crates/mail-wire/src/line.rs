//! CRLF line framing with a length limit and a policy for bare CR and bare LF.
//!
//! [`LineFramer`] finds the next line at the front of a buffer the caller owns. It remembers how
//! far it has scanned, so feeding it the same buffer with more bytes appended never rescans old
//! bytes. Over-long lines and (under [`LineEnding::Reject`]) bare line ends are typed errors that
//! tell the caller how many bytes to drop; the framer then skips the rest of the bad line by
//! itself and goes on with the next one.
//!
//! ```
//! use mail_wire::line::{Frame, LineConfig, LineFramer};
//! use mail_wire::Status;
//!
//! let mut framer = LineFramer::new(LineConfig::default());
//! let mut buf = b"EHLO client.example\r\nMAIL FROM:<a@b>".to_vec();
//! let Ok(Status::Complete(Frame::Line(line), used)) = framer.decode(&buf) else { panic!() };
//! assert_eq!(line.content, b"EHLO client.example");
//! buf.drain(..used);
//! assert!(framer.decode(&buf).unwrap().is_incomplete()); // no line end yet
//! ```

use crate::Status;

/// What to do with a line end that is not CRLF (a bare LF or a bare CR).
///
/// The same policy governs line framing ([`LineFramer`]) and multi-line bodies
/// ([`crate::dot::DotDecoder`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum LineEnding {
    /// Only CRLF ends a line; a bare CR or LF is an error. What RFC 5321, 1939 and 3501 require,
    /// and the default.
    #[default]
    Reject,
    /// CRLF, bare LF and bare CR each end a line, and are treated as CRLF. For peers that send
    /// bare LF (some POP3 servers, scripts piping Unix text).
    Normalize,
    /// Only CRLF ends a line; bare CR and LF are kept as ordinary bytes.
    Allow,
}

/// The most bytes a line may have, counting its line end, unless configured otherwise.
///
/// 8 KiB is above every protocol's minimum (SMTP's 512 and 1000, IMAP's 8000 recommended in RFC
/// 7162) and small enough that a hostile peer cannot make a session hold much.
pub const DEFAULT_MAX_LINE: usize = 8192;

/// How a [`LineFramer`] frames lines.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineConfig {
    /// The most bytes a line may have, counting its line end. Default [`DEFAULT_MAX_LINE`].
    pub max_line: usize,
    /// What a bare CR or bare LF means. Default [`LineEnding::Reject`], what the RFCs require.
    pub line_ending: LineEnding,
}

impl Default for LineConfig {
    fn default() -> Self {
        Self {
            max_line: DEFAULT_MAX_LINE,
            line_ending: LineEnding::Reject,
        }
    }
}

impl LineConfig {
    /// A configuration with the given limit and the default policy.
    pub fn with_max_line(max_line: usize) -> Self {
        Self {
            max_line,
            ..Self::default()
        }
    }

    /// This configuration with another line-ending policy.
    pub fn line_ending(self, line_ending: LineEnding) -> Self {
        Self {
            line_ending,
            ..self
        }
    }
}

/// Which bytes ended a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LineEnd {
    /// `CR LF`.
    CrLf,
    /// A bare `LF` (only under [`LineEnding::Normalize`]).
    Lf,
    /// A bare `CR` (only under [`LineEnding::Normalize`]).
    Cr,
}

impl LineEnd {
    /// How many bytes the line end takes.
    pub fn len(self) -> usize {
        match self {
            Self::CrLf => 2,
            Self::Lf | Self::Cr => 1,
        }
    }

    /// Always false: a line end has at least one byte. Here for clippy's `len_without_is_empty`.
    pub fn is_empty(self) -> bool {
        false
    }
}

/// One line, borrowed from the caller's buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Line<'a> {
    /// The line without its line end.
    pub content: &'a [u8],
    /// Which bytes ended it.
    pub end: LineEnd,
}

/// What [`LineFramer::decode`] found at the front of the buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Frame<'a> {
    /// A complete line.
    Line(Line<'a>),
    /// Bytes of a line that was already reported as an error, now skipped.
    Skipped,
}

/// A line the framer refused. Drop [`LineError::consumed`] bytes from the front of the buffer and
/// call [`LineFramer::decode`] again: the framer skips the rest of the bad line by itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LineError {
    /// The line is longer than the limit.
    #[error("line longer than {limit} bytes (line starts at byte {start})")]
    TooLong {
        /// The configured limit.
        limit: usize,
        /// Where the line starts, counted from the first byte this framer ever saw.
        start: u64,
        /// How many bytes to drop from the front of the buffer.
        consumed: usize,
    },
    /// A LF without CR before it, under [`LineEnding::Reject`].
    #[error("bare LF at byte {offset} (lines must end in CRLF)")]
    BareLf {
        /// Where the LF is, counted from the first byte this framer ever saw.
        offset: u64,
        /// How many bytes to drop from the front of the buffer.
        consumed: usize,
    },
    /// A CR without LF after it, under [`LineEnding::Reject`].
    #[error("bare CR at byte {offset} (lines must end in CRLF)")]
    BareCr {
        /// Where the CR is, counted from the first byte this framer ever saw.
        offset: u64,
        /// How many bytes to drop from the front of the buffer.
        consumed: usize,
    },
}

impl LineError {
    /// How many bytes the caller must drop from the front of its buffer.
    pub fn consumed(&self) -> usize {
        match *self {
            Self::TooLong { consumed, .. }
            | Self::BareLf { consumed, .. }
            | Self::BareCr { consumed, .. } => consumed,
        }
    }
}

/// Finds CRLF-terminated lines at the front of a caller-owned buffer.
///
/// Contract: after [`Status::Incomplete`], call again with the same bytes at the front (more may
/// be appended); after `Complete(_, n)` or an error, drop the consumed bytes first. The framer
/// keeps only a scan position and a flag, never a copy of the input.
#[derive(Debug, Clone)]
pub struct LineFramer {
    config: LineConfig,
    /// Bytes at the front of the buffer already scanned without finding a line end.
    scanned: usize,
    /// Skipping the rest of a line already reported as an error.
    skipping: bool,
    /// Stream offset of the front of the buffer.
    position: u64,
}

impl LineFramer {
    /// A framer with the given configuration.
    pub fn new(config: LineConfig) -> Self {
        Self {
            config,
            scanned: 0,
            skipping: false,
            position: 0,
        }
    }

    /// The configuration.
    pub fn config(&self) -> LineConfig {
        self.config
    }

    /// Changes the configuration (for example a larger limit after authentication).
    pub fn set_config(&mut self, config: LineConfig) {
        self.config = config;
    }

    /// Forgets any partial scan, as after the caller threw its buffer away (a TLS switch).
    pub fn reset(&mut self) {
        self.scanned = 0;
        self.skipping = false;
    }

    /// Tells the framer that the caller consumed `n` bytes itself (a literal, a DATA body), so
    /// that offsets in errors stay right. Also forgets any partial scan.
    pub fn advance(&mut self, n: usize) {
        self.position += n as u64;
        self.reset();
    }

    /// How many bytes the framer has accounted for since it was made.
    pub fn position(&self) -> u64 {
        self.position
    }

    /// Looks for the next line at the front of `buf`.
    pub fn decode<'a>(&mut self, buf: &'a [u8]) -> Result<Status<Frame<'a>>, LineError> {
        if self.skipping {
            return Ok(self.skip(buf));
        }
        let limit = self.config.max_line.max(1);
        let found = match self.config.line_ending {
            LineEnding::Allow => self.find_crlf(buf),
            LineEnding::Reject | LineEnding::Normalize => self.find_any_end(buf),
        };
        match found {
            Found::Line(len, end) => {
                let total = len + end.len();
                if total > limit {
                    return Err(self.fail_too_long(total, false));
                }
                let line = Line {
                    content: buf.get(..len).unwrap_or_default(),
                    end,
                };
                Ok(self.complete(Frame::Line(line), total))
            }
            Found::Bare(at, cr) => {
                if at >= limit {
                    // The line was too long before the bad byte: report the length.
                    return Err(self.fail_too_long(at, true));
                }
                let offset = self.position + at as u64;
                if cr {
                    // Drop through the CR and skip the rest of the line.
                    let consumed = at + 1;
                    self.consume(consumed);
                    self.skipping = true;
                    Err(LineError::BareCr { offset, consumed })
                } else {
                    // The LF ends the bad line.
                    let consumed = at + 1;
                    self.consume(consumed);
                    Err(LineError::BareLf { offset, consumed })
                }
            }
            Found::Nothing => {
                // A line end may still come; so may the LF of a final CR.
                let pending_cr = usize::from(buf.last() == Some(&b'\r'));
                if buf.len() - pending_cr >= limit {
                    Err(self.fail_too_long(buf.len() - pending_cr, true))
                } else {
                    self.scanned = buf.len() - pending_cr;
                    Ok(Status::Incomplete)
                }
            }
        }
    }

    fn complete<'a>(&mut self, frame: Frame<'a>, consumed: usize) -> Status<Frame<'a>> {
        self.consume(consumed);
        Status::Complete(frame, consumed)
    }

    fn consume(&mut self, n: usize) {
        self.position += n as u64;
        self.scanned = 0;
    }

    /// Reports an over-long line and drops `consumed` bytes; `skip_rest` when the line has not
    /// ended within them.
    fn fail_too_long(&mut self, consumed: usize, skip_rest: bool) -> LineError {
        let start = self.position;
        self.consume(consumed);
        self.skipping = skip_rest;
        LineError::TooLong {
            limit: self.config.max_line,
            start,
            consumed,
        }
    }

    /// Drops bytes up to and including the next line end. Never drops a final CR, whose LF may
    /// follow in the next read.
    fn skip<'a>(&mut self, buf: &'a [u8]) -> Status<Frame<'a>> {
        let normalize = self.config.line_ending == LineEnding::Normalize;
        let end = if normalize {
            match memchr::memchr2(b'\r', b'\n', buf) {
                Some(at) if buf.get(at) == Some(&b'\n') => Some(at + 1),
                Some(at) => match buf.get(at + 1) {
                    Some(b'\n') => Some(at + 2),
                    Some(_) => Some(at + 1),
                    None => None,
                },
                None => None,
            }
        } else if self.config.line_ending == LineEnding::Allow {
            memchr::memmem::find(buf, b"\r\n").map(|at| at + 2)
        } else {
            memchr::memchr(b'\n', buf).map(|at| at + 1)
        };
        match end {
            Some(n) => {
                self.skipping = false;
                self.complete(Frame::Skipped, n)
            }
            None => {
                let n = buf.len() - usize::from(buf.last() == Some(&b'\r'));
                if n == 0 {
                    return Status::Incomplete;
                }
                self.complete(Frame::Skipped, n)
            }
        }
    }

    /// Under [`LineEnding::Allow`]: the first CRLF.
    fn find_crlf(&self, buf: &[u8]) -> Found {
        let mut from = self.scanned.min(buf.len());
        while let Some(i) = memchr::memchr(b'\n', buf.get(from..).unwrap_or_default()) {
            let at = from + i;
            if at > 0 && buf.get(at - 1) == Some(&b'\r') {
                return Found::Line(at - 1, LineEnd::CrLf);
            }
            from = at + 1;
        }
        Found::Nothing
    }

    /// Under [`LineEnding::Reject`] and [`LineEnding::Normalize`]: the first CR or LF decides.
    fn find_any_end(&self, buf: &[u8]) -> Found {
        let from = self.scanned.min(buf.len());
        let normalize = self.config.line_ending == LineEnding::Normalize;
        let Some(i) = memchr::memchr2(b'\r', b'\n', buf.get(from..).unwrap_or_default()) else {
            return Found::Nothing;
        };
        let at = from + i;
        if buf.get(at) == Some(&b'\n') {
            return if normalize {
                Found::Line(at, LineEnd::Lf)
            } else {
                Found::Bare(at, false)
            };
        }
        match buf.get(at + 1) {
            Some(b'\n') => Found::Line(at, LineEnd::CrLf),
            Some(_) if normalize => Found::Line(at, LineEnd::Cr),
            Some(_) => Found::Bare(at, true),
            None => Found::Nothing,
        }
    }
}

impl Default for LineFramer {
    fn default() -> Self {
        Self::new(LineConfig::default())
    }
}

enum Found {
    /// A line of this many content bytes, ended so.
    Line(usize, LineEnd),
    /// A bare line end at this index; `true` for CR.
    Bare(usize, bool),
    Nothing,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Everything a framer makes of `input` fed in the given pieces, as printable outcomes.
    fn frame_all(config: LineConfig, pieces: &[&[u8]]) -> Vec<String> {
        let mut framer = LineFramer::new(config);
        let mut buf = Vec::new();
        let mut out = Vec::new();
        for piece in pieces {
            buf.extend_from_slice(piece);
            loop {
                match framer.decode(&buf) {
                    Ok(Status::Complete(Frame::Line(line), n)) => {
                        out.push(format!(
                            "{:?}:{:?}",
                            String::from_utf8_lossy(line.content),
                            line.end
                        ));
                        buf.drain(..n);
                    }
                    Ok(Status::Complete(Frame::Skipped, n)) => {
                        buf.drain(..n);
                    }
                    Ok(Status::Incomplete) => break,
                    Err(e) => {
                        out.push(e.to_string());
                        buf.drain(..e.consumed());
                    }
                }
            }
        }
        out
    }

    fn whole(config: LineConfig, input: &[u8]) -> Vec<String> {
        frame_all(config, &[input])
    }

    #[test]
    fn crlf_lines() {
        let got = whole(LineConfig::default(), b"a\r\n\r\nbc\r\npartial");
        assert_eq!(got, ["\"a\":CrLf", "\"\":CrLf", "\"bc\":CrLf"]);
    }

    #[test]
    fn reject_reports_bare_line_ends_and_goes_on() {
        let got = whole(LineConfig::default(), b"one\ntwo\rthree\r\nfour\r\n");
        assert_eq!(
            got,
            [
                "bare LF at byte 3 (lines must end in CRLF)",
                "bare CR at byte 7 (lines must end in CRLF)",
                "\"four\":CrLf"
            ]
        );
    }

    #[test]
    fn normalize_takes_every_line_end() {
        let cfg = LineConfig::default().line_ending(LineEnding::Normalize);
        let got = whole(cfg, b"a\nb\rc\r\nd\r\r\n");
        assert_eq!(
            got,
            [
                "\"a\":Lf",
                "\"b\":Cr",
                "\"c\":CrLf",
                "\"d\":Cr",
                "\"\":CrLf"
            ]
        );
    }

    #[test]
    fn allow_keeps_bare_bytes_in_the_line() {
        let cfg = LineConfig::default().line_ending(LineEnding::Allow);
        let got = whole(cfg, b"a\nb\rc\r\nd\r\n");
        assert_eq!(got, ["\"a\\nb\\rc\":CrLf", "\"d\":CrLf"]);
    }

    #[test]
    fn too_long_line_is_skipped_and_framing_goes_on() {
        let cfg = LineConfig::with_max_line(8);
        // 6 content bytes + CRLF = 8: fits. 7 + CRLF = 9: too long.
        let got = whole(cfg, b"123456\r\n1234567\r\nok\r\n");
        assert_eq!(
            got,
            [
                "\"123456\":CrLf",
                "line longer than 8 bytes (line starts at byte 8)",
                "\"ok\":CrLf"
            ]
        );
        // The same when the long line arrives in pieces and its end comes much later.
        let got = frame_all(cfg, &[b"0123456789", b"abcdefgh", b"ijk\r", b"\nok\r\n"]);
        assert_eq!(
            got,
            [
                "line longer than 8 bytes (line starts at byte 0)",
                "\"ok\":CrLf"
            ]
        );
    }

    #[test]
    fn a_final_cr_waits_for_its_lf() {
        let mut framer = LineFramer::default();
        assert_eq!(framer.decode(b"abc\r"), Ok(Status::Incomplete));
        let line = Line {
            content: b"abc",
            end: LineEnd::CrLf,
        };
        assert_eq!(
            framer.decode(b"abc\r\n"),
            Ok(Status::Complete(Frame::Line(line), 5))
        );
    }

    #[test]
    fn does_not_rescan() {
        // A 7 KB line delivered a byte at a time: each call scans one new byte. Observable as
        // the remembered scan position.
        let mut framer = LineFramer::default();
        let mut buf = Vec::new();
        for _ in 0..7000 {
            buf.push(b'x');
            assert!(framer.decode(&buf).unwrap().is_incomplete());
            assert_eq!(framer.scanned, buf.len());
        }
    }

    fn arb_input() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(
            prop_oneof![
                Just(b'\r'),
                Just(b'\n'),
                Just(b'a'),
                Just(b' '),
                any::<u8>()
            ],
            0..200,
        )
    }

    fn arb_config() -> impl Strategy<Value = LineConfig> {
        (
            1usize..40,
            prop_oneof![
                Just(LineEnding::Reject),
                Just(LineEnding::Normalize),
                Just(LineEnding::Allow)
            ],
        )
            .prop_map(|(max, le)| LineConfig::with_max_line(max).line_ending(le))
    }

    proptest! {
        #[test]
        fn any_split_gives_the_same_lines(input in arb_input(), cfg in arb_config(), cut in any::<prop::sample::Index>()) {
            let whole = whole(cfg, &input);
            let at = cut.index(input.len() + 1);
            let (a, b) = input.split_at(at);
            prop_assert_eq!(&frame_all(cfg, &[a, b]), &whole);
            let bytes: Vec<&[u8]> = input.chunks(1).collect();
            prop_assert_eq!(&frame_all(cfg, &bytes), &whole);
        }

        #[test]
        fn crlf_lines_round_trip(lines in proptest::collection::vec("[ -~]{0,30}", 0..20)) {
            let mut input = Vec::new();
            for l in &lines {
                input.extend_from_slice(l.as_bytes());
                input.extend_from_slice(b"\r\n");
            }
            for le in [LineEnding::Reject, LineEnding::Normalize, LineEnding::Allow] {
                let got = whole(LineConfig::default().line_ending(le), &input);
                let want: Vec<String> = lines.iter().map(|l| format!("{l:?}:CrLf")).collect();
                prop_assert_eq!(got, want);
            }
        }
    }
}

//! Replies (RFC 5321 4.2): single and multi-line, with RFC 3463 enhanced status codes.
//!
//! ```
//! use smtp_proto::codec::reply::{parse_reply, Reply};
//! use mail_wire::Status;
//!
//! let wire = b"250-2.1.5 first\r\n250 2.1.5 second\r\n";
//! let Ok(Status::Complete(reply, used)) = parse_reply(wire) else { panic!() };
//! assert_eq!(reply.code().get(), 250);
//! assert_eq!(reply.enhanced().unwrap().to_string(), "2.1.5");
//! assert_eq!(reply.lines().count(), 2);
//! assert_eq!(used, wire.len());
//! assert_eq!(reply.to_bytes(), wire);
//! ```

use mail_wire::Status;

use super::{find_line, ParseError, ParseErrorKind};
use crate::types::{first_outside, EnhancedCode, InvalidValue, ReplyCode, ReplyText};

/// Limits of [`parse_reply_with`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReplyLimits {
    /// Longest reply line, counting CRLF. Default 4096: RFC 5321 sets 512, real servers send
    /// longer EHLO lines (AUTH with many mechanisms), 4096 bounds memory.
    pub max_line: usize,
    /// Most lines in one reply. Default 128: an EHLO reply of every known extension has ~30.
    pub max_lines: usize,
}

impl Default for ReplyLimits {
    fn default() -> Self {
        Self {
            max_line: 4096,
            max_lines: 128,
        }
    }
}

pub use crate::types::Reply;

impl Reply<'_> {
    /// Appends the wire form to `out`.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        let n = self.line_count();
        // The code and the enhanced code, written once on the stack (at most 3 and 11 bytes).
        let mut code = Digits::default();
        code.number(self.code.get());
        let code = code.as_bytes();
        let mut enhanced = Digits::default();
        if let Some(e) = self.enhanced {
            enhanced.number(u16::from(e.class()));
            enhanced.push(b'.');
            enhanced.number(e.subject());
            enhanced.push(b'.');
            enhanced.number(e.detail());
        }
        let enhanced = enhanced.as_bytes();
        out.reserve(self.text.len() + n * (6 + enhanced.len()));
        for (i, line) in self.lines().enumerate() {
            out.extend_from_slice(code);
            out.push(if i + 1 == n { b' ' } else { b'-' });
            if self.enhanced.is_some() {
                out.extend_from_slice(enhanced);
                if !line.is_empty() {
                    out.push(b' ');
                }
            }
            out.extend_from_slice(line.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
    }

    /// The wire form.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_to(&mut out);
        out
    }
}

/// A few bytes of digits and dots on the stack (a reply code, an enhanced code).
#[derive(Default)]
struct Digits {
    buf: [u8; 16],
    len: usize,
}

impl Digits {
    fn push(&mut self, b: u8) {
        if let Some(slot) = self.buf.get_mut(self.len) {
            *slot = b;
            self.len += 1;
        }
    }

    /// Appends the decimal digits of `n`.
    fn number(&mut self, n: u16) {
        let mut digits = [0u8; 5];
        let mut k = digits.len();
        let mut n = n;
        loop {
            k -= 1;
            if let Some(d) = digits.get_mut(k) {
                *d = b'0' + (n % 10) as u8;
            }
            n /= 10;
            if n == 0 || k == 0 {
                break;
            }
        }
        for &d in digits.get(k..).unwrap_or_default() {
            self.push(d);
        }
    }

    fn as_bytes(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or_default()
    }
}

/// The most common reply, one line of a valid code, a space, printable ASCII and CRLF within
/// `max_line`, read at once (no loop, nothing to gather); `None` for anything else, which the
/// general reading takes.
#[inline]
fn parse_one_line(buf: &[u8], max_line: usize) -> Option<(Reply<'_>, usize)> {
    let (head, _) = buf.split_first_chunk::<4>()?;
    let [class @ b'2'..=b'5', tens @ b'0'..=b'5', units @ b'0'..=b'9', b' '] = *head else {
        return None;
    };
    let body = buf.get(4..max_line.min(buf.len()))?;
    let n = first_outside(body, b' ', b"")?;
    if body.get(n..n + 2) != Some(b"\r\n") {
        return None;
    }
    let raw = body.get(..n)?;
    let class = class - b'0';
    let code = u16::from(class) * 100 + u16::from(tens - b'0') * 10 + u16::from(units - b'0');
    let (enhanced, text) = match split_enhanced(raw, class) {
        Some((e, skip)) => (Some(e), raw.get(skip..)?),
        None => (None, raw),
    };
    // Printable ASCII, so valid UTF-8 (checked a word at a time).
    let text = mail_simd::utf8(text)?;
    let reply = Reply {
        code: ReplyCode::known(code),
        enhanced,
        text: ReplyText::Borrowed(text),
    };
    Some((reply, n + 6))
}

/// Parses the reply at the front of `buf` with the default [`ReplyLimits`].
pub fn parse_reply(buf: &[u8]) -> Result<Status<Reply<'_>>, ParseError> {
    parse_reply_with(buf, ReplyLimits::default())
}

/// Splits `d.d.d` (+ space or end) off the front of a text: the class digit `class`, then
/// two numbers of one to three digits.
fn split_enhanced(text: &[u8], class: u8) -> Option<(EnhancedCode, usize)> {
    match text {
        // The common shape, `d.d.d` and a space, at once.
        [c, b'.', s, b'.', d, b' ', ..]
            if *c == b'0' + class && s.is_ascii_digit() && d.is_ascii_digit() =>
        {
            let code = EnhancedCode::new(class, u16::from(s - b'0'), u16::from(d - b'0'));
            return Some((code.ok()?, 6));
        }
        [c, b'.', ..] if *c == b'0' + class => {}
        _ => return None,
    }
    let (subject, i) = enhanced_part(text, 2)?;
    if text.get(i) != Some(&b'.') {
        return None;
    }
    let (detail, i) = enhanced_part(text, i + 1)?;
    let end = match text.get(i) {
        None => i,
        Some(b' ') => i + 1,
        Some(_) => return None,
    };
    Some((EnhancedCode::new(class, subject, detail).ok()?, end))
}

/// The number of one to three digits at `at` in `text`, and where it ends.
fn enhanced_part(text: &[u8], at: usize) -> Option<(u16, usize)> {
    let mut n = 0u16;
    let mut i = at;
    while let Some(d) = text.get(i).filter(|d| d.is_ascii_digit()) {
        if i == at + 3 {
            return None;
        }
        n = n * 10 + u16::from(d - b'0');
        i += 1;
    }
    (i > at).then_some((n, i))
}

/// Parses the reply at the front of `buf`.
///
/// Every line must be `code SP text`, `code - text` or just `code`; the lines of a multi-line
/// reply share one code. An enhanced code is recognised when the first line starts with one
/// whose class matches the reply code, and is then removed from every line that carries it.
///
/// A one-line reply borrows its text from `buf`; the text of a multi-line reply (the lines
/// without their codes) is owned.
pub fn parse_reply_with(buf: &[u8], limits: ReplyLimits) -> Result<Status<Reply<'_>>, ParseError> {
    parse(buf, limits, true)
}

/// [`parse_reply_with`]; with `fast` false every reply and line is read the general way (for
/// tests holding the one-line and common-line readings equal to it).
#[inline]
fn parse(buf: &[u8], limits: ReplyLimits, fast: bool) -> Result<Status<Reply<'_>>, ParseError> {
    if fast {
        if let Some((reply, used)) = parse_one_line(buf, limits.max_line) {
            return Ok(Status::Complete(reply, used));
        }
    }
    let mut pos = 0;
    let mut code: Option<ReplyCode> = None;
    let mut enhanced: Option<EnhancedCode> = None;
    // The text as bytes, made a string once at the end (one UTF-8 check per reply).
    let mut text = Vec::new();
    let mut count = 0usize;
    loop {
        let rest = buf.get(pos..).unwrap_or_default();
        // The common line, `ddd`, a separator, printable ASCII and CRLF within the limit, is
        // found in one scan eight bytes at a time that also checks the text; any other line
        // is found by `find_line` and its text checked below.
        let plain = match rest.get(3) {
            Some(b' ' | b'-') if fast => {
                let body = rest
                    .get(4..limits.max_line.min(rest.len()))
                    .unwrap_or_default();
                first_outside(body, b' ', b"").filter(|&n| body.get(n..n + 2) == Some(b"\r\n"))
            }
            _ => None,
        };
        let (len, total) = match plain {
            Some(n) => (n + 4, n + 6),
            None => match find_line(rest, limits.max_line).map_err(|e| ParseError {
                offset: e.offset + pos,
                ..e
            })? {
                Some(found) => found,
                None => return Ok(Status::Incomplete),
            },
        };
        let line = rest.get(..len).unwrap_or_default();
        // A later line of a multi-line reply repeats the first line's code: compare the bytes.
        let same_code = count > 0 && line.get(..3) == buf.get(..3);
        let digits = line
            .get(..3)
            .filter(|d| d.iter().all(u8::is_ascii_digit))
            .ok_or(ParseError::expected("a three-digit code", pos))?;
        let this = match code {
            Some(c) if same_code => c,
            _ => {
                let n = digits
                    .iter()
                    .fold(0u16, |acc, d| acc * 10 + u16::from(d - b'0'));
                let this = ReplyCode::new(n).map_err(|e| ParseError::invalid(e, pos))?;
                match code {
                    Some(c) if c != this => {
                        return Err(ParseError::new(ParseErrorKind::CodeMismatch, pos));
                    }
                    _ => code = Some(this),
                }
                this
            }
        };
        let (last, raw) = match line.get(3) {
            None => (true, &b""[..]),
            Some(b' ') => (true, line.get(4..).unwrap_or_default()),
            Some(b'-') => (false, line.get(4..).unwrap_or_default()),
            Some(_) => return Err(ParseError::expected("' ' or '-' after the code", pos + 3)),
        };
        let line_text = if count == 0 {
            match split_enhanced(raw, this.class()) {
                Some((e, skip)) => {
                    enhanced = Some(e);
                    raw.get(skip..).unwrap_or_default()
                }
                None => raw,
            }
        } else {
            match enhanced {
                Some(e) => match split_enhanced(raw, this.class()) {
                    Some((f, skip)) if e == f => raw.get(skip..).unwrap_or_default(),
                    _ => raw,
                },
                None => raw,
            }
        };
        let checked = match plain {
            Some(_) => None,
            None => {
                let checked =
                    mail_simd::utf8(line_text).ok_or(ParseError::expected("UTF-8", pos + 4))?;
                if crate::types::has_ctl(line_text) {
                    let at = line_text
                        .iter()
                        .position(|&c| (c < 0x20 && c != b'\t') || c == 0x7f)
                        .unwrap_or(0);
                    return Err(ParseError::invalid(
                        InvalidValue::new("text", "control character", at),
                        pos + 4 + at,
                    ));
                }
                Some(checked)
            }
        };
        pos += total;
        if count == 0 && last {
            // A one-line reply borrows its text (a common line is ASCII, so valid UTF-8).
            let text = match checked {
                Some(t) => t,
                None => mail_simd::utf8(line_text)
                    .ok_or(ParseError::expected("UTF-8", pos - total + 4))?,
            };
            return Ok(Status::Complete(
                Reply {
                    code: this,
                    enhanced,
                    text: ReplyText::Borrowed(text),
                },
                pos,
            ));
        }
        if count == 0 {
            // The lines of a multi-line reply, most often shorter than what is buffered, fit
            // in 1 KiB.
            text = Vec::with_capacity(buf.len().min(1024));
        } else {
            text.push(b'\n');
        }
        text.extend_from_slice(line_text);
        count += 1;
        if last {
            // Every line was checked to be UTF-8.
            let text = String::from_utf8(text).map_err(|_| ParseError::expected("UTF-8", 0))?;
            return Ok(Status::Complete(
                Reply {
                    code: this,
                    enhanced,
                    text: ReplyText::Owned(text),
                },
                pos,
            ));
        }
        if count >= limits.max_lines {
            return Err(ParseError::new(
                ParseErrorKind::TooManyLines(limits.max_lines),
                pos,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{parse, parse_reply, ReplyLimits, ReplyText};

    proptest! {
        /// Any reply owned equals, hashes and writes as the parsed one; a one-line reply's
        /// text is held in place exactly when it has at most 46 bytes.
        #[test]
        fn owned_reply_equals_parsed(
            lines in proptest::collection::vec("(2\\.0\\.0 )?[ -~\té€]{0,60}", 1..4),
        ) {
            use std::hash::{BuildHasher, RandomState};
            let mut wire = Vec::new();
            for (i, l) in lines.iter().enumerate() {
                let sep = if i + 1 == lines.len() { ' ' } else { '-' };
                wire.extend_from_slice(format!("250{sep}{l}\r\n").as_bytes());
            }
            let (r, _) = parse_reply(&wire).unwrap().complete().unwrap();
            let owned = r.clone().into_owned();
            prop_assert_eq!(&owned, &r);
            let hasher = RandomState::new();
            prop_assert_eq!(hasher.hash_one(&owned), hasher.hash_one(&r));
            prop_assert_eq!(owned.to_bytes(), r.to_bytes());
            let inline = matches!(owned.text, ReplyText::Inline { .. });
            prop_assert_eq!(inline, lines.len() == 1 && r.text.len() <= 46);
        }

        /// The one-line reading and the common-line reading (one scan that finds the line end
        /// and checks the text) give what the general reading gives, results and errors alike, on lines of codes,
        /// separators, enhanced codes, printable text, tabs, controls, UTF-8 and every kind of
        /// line end, whole and cut anywhere, with the default limits and small ones.
        #[test]
        fn common_lines_read_as_the_general_reading(
            lines in proptest::collection::vec(
                (
                    prop_oneof![4 => Just("250"), 1 => Just("550"), 1 => Just("25x"), 1 => Just("25")],
                    prop_oneof![3 => Just(" "), 3 => Just("-"), 1 => Just(""), 1 => Just("x")],
                    prop_oneof![
                        3 => Just(""), 3 => Just("2.1.0 "), 1 => Just("5.1.1 "), 1 => Just("2.1.0"),
                        1 => Just("2.10.100 "), 1 => Just("2.1000.0 "), 1 => Just("2.1.0x"),
                        1 => Just("2..0 "),
                    ],
                    "[ -~]{0,12}|[ -~\t\x7f\x01é]{0,12}",
                    prop_oneof![6 => Just("\r\n"), 1 => Just("\n"), 1 => Just("\r"), 1 => Just("")],
                ),
                1..5,
            ),
            small in any::<bool>(),
        ) {
            let mut wire = Vec::new();
            for (code, sep, enhanced, text, end) in &lines {
                wire.extend_from_slice(format!("{code}{sep}{enhanced}{text}{end}").as_bytes());
            }
            let limits = if small {
                ReplyLimits { max_line: 24, max_lines: 3 }
            } else {
                ReplyLimits::default()
            };
            for cut in 0..=wire.len() {
                let part = &wire[..cut];
                prop_assert_eq!(
                    parse(part, limits, true),
                    parse(part, limits, false),
                    "{:?}",
                    String::from_utf8_lossy(part)
                );
            }
        }
    }

    /// A common one-line reply borrows its text; a multi-line one and one read the general way
    /// (a tab) hold the same as read in full.
    #[test]
    fn one_line_replies_borrow() {
        let wire = b"250 2.1.0 Sender OK\r\n";
        let (r, _) = parse_reply(wire).unwrap().complete().unwrap();
        assert!(matches!(r.text, ReplyText::Borrowed("Sender OK")));
        let wire = b"250 2.1.0 Sender\tOK\r\n";
        let (r, _) = parse_reply(wire).unwrap().complete().unwrap();
        assert!(matches!(r.text, ReplyText::Borrowed("Sender\tOK")));
        let wire = b"250-2.1.0 Sender\r\n250 2.1.0 OK\r\n";
        let (r, _) = parse_reply(wire).unwrap().complete().unwrap();
        assert_eq!(r.lines().collect::<Vec<_>>(), ["Sender", "OK"]);
        assert!(matches!(r.text, ReplyText::Owned(_)));
    }

    /// An owned one-line reply holds a text of up to 46 bytes in place (ASCII or UTF-8, up to
    /// the last byte that fits) and a longer one on the heap; either way it equals, hashes and
    /// prints as the borrowed reply, and a multi-line reply stays as it is.
    #[test]
    fn owned_short_text_is_held_in_place() {
        use std::hash::{BuildHasher, RandomState};
        let hasher = RandomState::new();
        let texts = [
            String::new(),
            "Bye".into(),
            "é".repeat(23),
            "x".repeat(45),
            "x".repeat(46),
            "x".repeat(47),
            format!("{}é", "x".repeat(45)),
            "Start mail input; end with <CRLF>.<CRLF>".into(),
            "<nobody@example.com>: Recipient address rejected: User unknown".into(),
        ];
        for text in texts {
            let wire = format!("250 {text}\r\n");
            let (r, _) = parse_reply(wire.as_bytes()).unwrap().complete().unwrap();
            let owned = r.clone().into_owned();
            let inline = matches!(owned.text, ReplyText::Inline { .. });
            assert_eq!(inline, text.len() <= 46, "{text:?}");
            assert_eq!(matches!(owned.text, ReplyText::Owned(_)), !inline);
            assert_eq!(owned, r);
            assert_eq!(owned.first_line(), text);
            assert_eq!(hasher.hash_one(&owned), hasher.hash_one(&r));
            assert_eq!(format!("{owned:?}"), format!("{r:?}"));
            assert_eq!(owned.to_bytes(), wire.as_bytes());
            assert_eq!(owned.clone().into_owned(), r);
        }
        let wire = b"250-2.1.0 a\r\n250 2.1.0 b\r\n";
        let (r, _) = parse_reply(wire).unwrap().complete().unwrap();
        assert!(matches!(r.clone().into_owned().text, ReplyText::Owned(_)));
        assert_eq!(r.clone().into_owned(), r);
    }
}

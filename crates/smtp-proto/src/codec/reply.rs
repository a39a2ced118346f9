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
//! assert_eq!(reply.lines().len(), 2);
//! assert_eq!(used, wire.len());
//! assert_eq!(reply.to_bytes(), wire);
//! ```

use std::fmt;

use mail_wire::Status;

use super::{find_line, ParseError, ParseErrorKind};
use crate::types::{EnhancedCode, InvalidValue, ReplyCode, Text};

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

/// A reply: a code, an optional enhanced status code, and one or more lines of text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reply {
    code: ReplyCode,
    enhanced: Option<EnhancedCode>,
    lines: Vec<Text>,
}

impl Reply {
    /// A reply with one line of text (which may be empty).
    pub fn new(
        code: u16,
        enhanced: Option<EnhancedCode>,
        text: &str,
    ) -> Result<Self, InvalidValue> {
        Self::multiline(code, enhanced, [text])
    }

    /// A reply with several lines (none is one empty line).
    pub fn multiline<'a>(
        code: u16,
        enhanced: Option<EnhancedCode>,
        lines: impl IntoIterator<Item = &'a str>,
    ) -> Result<Self, InvalidValue> {
        let code = ReplyCode::new(code)?;
        if let Some(e) = enhanced {
            if e.class() != code.class() {
                return Err(InvalidValue::new(
                    "enhanced status code",
                    "class differs from the reply code",
                    0,
                ));
            }
        }
        let mut out = Vec::new();
        for l in lines {
            out.push(Text::new(l)?);
        }
        if out.is_empty() {
            out.push(Text::default());
        }
        Ok(Self {
            code,
            enhanced,
            lines: out,
        })
    }

    /// For the crate's own fixed replies (literals known to be valid).
    pub(crate) fn fixed(code: u16, enhanced: (u8, u16, u16), text: &str) -> Self {
        Self {
            code: ReplyCode::known(code),
            enhanced: Some(EnhancedCode::known(enhanced.0, enhanced.1, enhanced.2)),
            lines: vec![Text::known(text)],
        }
    }

    pub(crate) fn from_parts(
        code: ReplyCode,
        enhanced: Option<EnhancedCode>,
        lines: Vec<Text>,
    ) -> Self {
        Self {
            code,
            enhanced,
            lines,
        }
    }

    /// A copy without the enhanced code (for servers that do not announce
    /// ENHANCEDSTATUSCODES).
    pub fn without_enhanced(mut self) -> Self {
        self.enhanced = None;
        self
    }

    /// The reply code.
    pub fn code(&self) -> ReplyCode {
        self.code
    }

    /// The enhanced status code, if the reply carries one.
    pub fn enhanced(&self) -> Option<EnhancedCode> {
        self.enhanced
    }

    /// The lines of text, without codes.
    pub fn lines(&self) -> &[Text] {
        &self.lines
    }

    /// The text lines joined with a space.
    pub fn text(&self) -> String {
        let v: Vec<&str> = self.lines.iter().map(Text::as_str).collect();
        v.join(" ")
    }

    /// 2xx.
    pub fn is_positive(&self) -> bool {
        self.code.is_positive()
    }

    /// Appends the wire form to `out`.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        let n = self.lines.len();
        for (i, line) in self.lines.iter().enumerate() {
            out.extend_from_slice(self.code.get().to_string().as_bytes());
            out.push(if i + 1 == n { b' ' } else { b'-' });
            if let Some(e) = self.enhanced {
                out.extend_from_slice(e.to_string().as_bytes());
                if !line.is_empty() {
                    out.push(b' ');
                }
            }
            out.extend_from_slice(line.as_str().as_bytes());
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

impl fmt::Display for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code)?;
        if let Some(e) = self.enhanced {
            write!(f, " {e}")?;
        }
        write!(f, " {}", self.text())
    }
}

/// Parses the reply at the front of `buf` with the default [`ReplyLimits`].
pub fn parse_reply(buf: &[u8]) -> Result<Status<Reply>, ParseError> {
    parse_reply_with(buf, ReplyLimits::default())
}

/// Splits `d.d.d` (+ space or end) off the front of a text.
fn split_enhanced(text: &[u8], class: u8) -> Option<(EnhancedCode, usize)> {
    let mut parts = [0u16; 3];
    let mut i = 0;
    for (k, part) in parts.iter_mut().enumerate() {
        let start = i;
        while let Some(d) = text.get(i).filter(|d| d.is_ascii_digit()) {
            *part = part.checked_mul(10)?.checked_add(u16::from(d - b'0'))?;
            i += 1;
        }
        let len = i - start;
        let max = if k == 0 { 1 } else { 3 };
        if len == 0 || len > max {
            return None;
        }
        if k < 2 {
            if text.get(i) != Some(&b'.') {
                return None;
            }
            i += 1;
        }
    }
    match text.get(i) {
        None => {}
        Some(b' ') => i += 1,
        Some(_) => return None,
    }
    let [c, s, d] = parts;
    if c != u16::from(class) {
        return None;
    }
    Some((EnhancedCode::new(class, s, d).ok()?, i))
}

/// Parses the reply at the front of `buf`.
///
/// Every line must be `code SP text`, `code - text` or just `code`; the lines of a multi-line
/// reply share one code. An enhanced code is recognised when the first line starts with one
/// whose class matches the reply code, and is then removed from every line that carries it.
pub fn parse_reply_with(buf: &[u8], limits: ReplyLimits) -> Result<Status<Reply>, ParseError> {
    let mut pos = 0;
    let mut code: Option<ReplyCode> = None;
    let mut enhanced: Option<EnhancedCode> = None;
    let mut lines = Vec::new();
    loop {
        let rest = buf.get(pos..).unwrap_or_default();
        let Some((len, total)) = find_line(rest, limits.max_line).map_err(|e| ParseError {
            offset: e.offset + pos,
            ..e
        })?
        else {
            return Ok(Status::Incomplete);
        };
        let line = rest.get(..len).unwrap_or_default();
        let digits = line
            .get(..3)
            .filter(|d| d.iter().all(u8::is_ascii_digit))
            .ok_or(ParseError::expected("a three-digit code", pos))?;
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
        let (last, text) = match line.get(3) {
            None => (true, &b""[..]),
            Some(b' ') => (true, line.get(4..).unwrap_or_default()),
            Some(b'-') => (false, line.get(4..).unwrap_or_default()),
            Some(_) => return Err(ParseError::expected("' ' or '-' after the code", pos + 3)),
        };
        let text = if lines.is_empty() {
            match split_enhanced(text, this.class()) {
                Some((e, skip)) => {
                    enhanced = Some(e);
                    text.get(skip..).unwrap_or_default()
                }
                None => text,
            }
        } else {
            match (enhanced, split_enhanced(text, this.class())) {
                (Some(e), Some((f, skip))) if e == f => text.get(skip..).unwrap_or_default(),
                _ => text,
            }
        };
        let text = std::str::from_utf8(text).map_err(|_| ParseError::expected("UTF-8", pos + 4))?;
        lines.push(Text::new(text).map_err(|e| ParseError::invalid(e, pos + 4 + e.at))?);
        pos += total;
        if last {
            let Some(code) = code else {
                return Err(ParseError::expected("a code", pos));
            };
            return Ok(Status::Complete(
                Reply {
                    code,
                    enhanced,
                    lines,
                },
                pos,
            ));
        }
        if lines.len() >= limits.max_lines {
            return Err(ParseError::new(
                ParseErrorKind::TooManyLines(limits.max_lines),
                pos,
            ));
        }
    }
}

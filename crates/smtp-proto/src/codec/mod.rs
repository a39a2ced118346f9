//! Parse and write every SMTP command and reply.
//!
//! - [`command`]: [`Command`](command::Command) with its MAIL and RCPT parameters;
//!   [`parse_command`](command::parse_command) finds one CRLF-ended command at the front of a
//!   buffer, [`Command::parse_line`](command::Command::parse_line) parses a line without its end.
//! - [`reply`]: [`Reply`](reply::Reply) (single and multi-line, enhanced status codes) and
//!   [`parse_reply`](reply::parse_reply).
//! - [`ehlo`]: the typed capabilities of an EHLO reply.
//!
//! Parsers return [`Status`](mail_wire::Status): running out of bytes is `Incomplete`, never an
//! error.
//!
//! Parsing is zero-copy: a parsed [`Command`](command::Command), one-line
//! [`Reply`](reply::Reply) or [`EhloReply`](ehlo::EhloReply) borrows the bytes it was read from
//! (only values that must be decoded, such as a quoted local part with escapes, encoded xtext or
//! the joined lines of a multi-line reply, are copied), and `into_owned()` turns it into a
//! `'static` value to keep past the input buffer.

pub mod command;
pub mod ehlo;
pub mod reply;

use crate::types::InvalidValue;

/// Why a command or reply did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} at byte {offset}")]
pub struct ParseError {
    /// What was wrong.
    pub kind: ParseErrorKind,
    /// Where in the line (or buffer) it was found.
    pub offset: usize,
}

/// What was wrong with a command or reply.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// The verb is not a command this crate knows (`500` on a server).
    #[error("unknown command")]
    UnknownCommand,
    /// Something else was expected here (`501` on a server).
    #[error("expected {0}")]
    Expected(&'static str),
    /// A value did not pass its type's check.
    #[error("{0}")]
    Invalid(InvalidValue),
    /// A parameter appeared twice.
    #[error("duplicate parameter {0}")]
    Duplicate(&'static str),
    /// The line is longer than the limit.
    #[error("line longer than {0} bytes")]
    TooLong(usize),
    /// A CR or LF that is not part of a CRLF.
    #[error("bare CR or LF")]
    BareLineEnd,
    /// A reply has more lines than the limit.
    #[error("reply longer than {0} lines")]
    TooManyLines(usize),
    /// The lines of a multi-line reply carry different codes.
    #[error("reply lines with different codes")]
    CodeMismatch,
}

impl ParseError {
    pub(crate) fn new(kind: ParseErrorKind, offset: usize) -> Self {
        Self { kind, offset }
    }

    pub(crate) fn expected(what: &'static str, offset: usize) -> Self {
        Self::new(ParseErrorKind::Expected(what), offset)
    }

    pub(crate) fn invalid(value: InvalidValue, offset: usize) -> Self {
        Self::new(ParseErrorKind::Invalid(value), offset)
    }
}

/// Finds the next CRLF-ended line at the front of `buf`: `Ok(Some((line_len, total)))`,
/// `Ok(None)` for no line end yet; a bare CR or LF or a line over `max_line` is an error.
pub(crate) fn find_line(buf: &[u8], max_line: usize) -> Result<Option<(usize, usize)>, ParseError> {
    let scan = buf.get(..max_line.min(buf.len())).unwrap_or(buf);
    match memchr::memchr2(b'\r', b'\n', scan) {
        Some(i) => {
            if buf.get(i) == Some(&b'\r') {
                match buf.get(i + 1) {
                    Some(b'\n') => {
                        if i + 2 > max_line {
                            Err(ParseError::new(ParseErrorKind::TooLong(max_line), 0))
                        } else {
                            Ok(Some((i, i + 2)))
                        }
                    }
                    Some(_) => Err(ParseError::new(ParseErrorKind::BareLineEnd, i)),
                    None if i + 2 > max_line => {
                        Err(ParseError::new(ParseErrorKind::TooLong(max_line), 0))
                    }
                    None => Ok(None),
                }
            } else {
                Err(ParseError::new(ParseErrorKind::BareLineEnd, i))
            }
        }
        None if buf.len() >= max_line => Err(ParseError::new(ParseErrorKind::TooLong(max_line), 0)),
        None => Ok(None),
    }
}

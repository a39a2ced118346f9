//! Parsing and serialising commands and responses.
//!
//! Parsing is two steps. [`Framer`] finds where a unit (a command or response, literals
//! included) ends without reading literal data, enforcing the line and literal limits and
//! reporting each literal as it is announced; then the grammar runs on the complete unit. The
//! `parse_*` functions do both; a caller that receives bytes in chunks keeps a [`Framer`] so a
//! long unit is not rescanned from the start.

mod command;
mod encode;
mod encode_command;
mod frame;
pub(crate) mod reader;
mod response;

use mail_wire::Status;

use crate::error::{ParseError, ParseErrorKind};
use crate::types::{Command, Response};

pub use self::encode::{Encode, Encoded, Fragment};
pub(crate) use self::frame::literal_at_end;
pub use self::frame::{FrameEvent, Framer};

/// Limits and tolerated deviations of the parsers. The default is strict: every deviation off.
///
/// Each `allow_*` field names real software that needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ParseOptions {
    /// Longest line (bytes between line ends, literal data excluded). Default 1 MiB: large
    /// enough for a SEARCH answer with 100,000 numbers, small enough to bound a hostile peer.
    pub max_line: usize,
    /// Largest literal accepted in a whole-unit parse. Default 64 MiB; use the
    /// [`stream`](crate::stream) decoder for larger bodies, which never holds a literal whole.
    pub max_literal: u64,
    /// Deepest parenthesis nesting. Default 100: BODYSTRUCTUREs of real mail reach 10 to 20;
    /// the limit keeps recursion bounded.
    pub max_depth: usize,
    /// Accept LF alone as a line end (transcripts saved with Unix line ends; some test servers).
    pub allow_bare_lf: bool,
    /// Accept several spaces where one is required, and spaces between adjacent parenthesised
    /// items (Exchange and some Domino versions pad lists).
    pub allow_extra_spaces: bool,
    /// Accept spaces before CRLF (`* SEARCH ` from Gmail and Yahoo when nothing matched).
    pub allow_trailing_space: bool,
    /// Accept non-UTF-8 bytes in text, decoded lossily (Latin-1 server messages, old Courier).
    pub allow_8bit_text: bool,
    /// Accept NIL where a string is required in body structures (Exchange sends NIL subtypes
    /// and parameter values).
    pub allow_nil_for_string: bool,
    /// Accept `\*` in FLAGS and FETCH FLAGS, not only in PERMANENTFLAGS (some Zimbra versions).
    pub allow_wildcard_in_flags: bool,
    /// Accept `()` where the grammar wants at least one element (empty address lists from
    /// Exchange; empty namespaces).
    pub allow_empty_lists: bool,
    /// Accept `""` as a hierarchy delimiter, read as NIL (seen by MailKit from a server listing
    /// a flat namespace: `common/list-nil-folder-delim.txt`).
    pub allow_empty_delimiter: bool,
    /// Accept a status response or continuation without the text the grammar requires
    /// (`A1 OK` alone; `+` alone from Domino and old Dovecot in IDLE).
    pub allow_missing_text: bool,
    /// Accept a backslash before any character in a quoted string, kept literally (Windows
    /// paths quoted by MDaemon).
    pub allow_any_quoted_escape: bool,
    /// Accept NUL in a non-binary literal (Gmail sends messages that contain NUL).
    pub allow_nul_in_literal: bool,
    /// Keep a known FETCH item whose value breaks its grammar as `FetchItem::Other` instead of
    /// failing the whole response (one malformed item never loses the rest; on by default).
    pub keep_malformed_fetch_items: bool,
}

impl Default for ParseOptions {
    fn default() -> Self {
        Self::strict()
    }
}

impl ParseOptions {
    /// The RFC grammar, nothing tolerated (except keeping malformed FETCH items as `Other`).
    pub const fn strict() -> Self {
        Self {
            max_line: 1 << 20,
            max_literal: 64 << 20,
            max_depth: 100,
            allow_bare_lf: false,
            allow_extra_spaces: false,
            allow_trailing_space: false,
            allow_8bit_text: false,
            allow_nil_for_string: false,
            allow_wildcard_in_flags: false,
            allow_empty_lists: false,
            allow_empty_delimiter: false,
            allow_missing_text: false,
            allow_any_quoted_escape: false,
            allow_nul_in_literal: false,
            keep_malformed_fetch_items: true,
        }
    }

    /// Every tolerated deviation on, the limits unchanged.
    pub const fn lenient() -> Self {
        Self {
            allow_bare_lf: true,
            allow_extra_spaces: true,
            allow_trailing_space: true,
            allow_8bit_text: true,
            allow_nil_for_string: true,
            allow_wildcard_in_flags: true,
            allow_empty_lists: true,
            allow_empty_delimiter: true,
            allow_missing_text: true,
            allow_any_quoted_escape: true,
            allow_nul_in_literal: true,
            keep_malformed_fetch_items: true,
            ..Self::strict()
        }
    }
}

fn parse_unit<'a, T>(
    input: &'a [u8],
    opts: &ParseOptions,
    f: impl FnOnce(&mut reader::Reader<'a, '_>) -> reader::PResult<T>,
) -> Result<Status<T>, ParseError> {
    let mut framer = Framer::new();
    let mut one_line = true;
    let len = loop {
        match framer.next(input, opts)? {
            FrameEvent::Complete(len) => break len,
            FrameEvent::Incomplete => return Ok(Status::Incomplete),
            FrameEvent::LiteralAnnounced { .. } => one_line = false,
        }
    };
    let unit = input.get(..len).unwrap_or_default();
    let mut r = reader::Reader::new(unit, opts);
    r.one_line = one_line;
    let value = f(&mut r)?;
    if r.pos != len {
        return Err(ParseError::new(r.pos, ParseErrorKind::TrailingBytes));
    }
    Ok(Status::Complete(value, len))
}

/// Parses one server response from the start of `input`.
///
/// ```
/// use imap_proto::{parse_response, Data, ParseOptions, Response};
///
/// let (resp, used) = parse_response(b"* 23 EXISTS\r\n", &ParseOptions::default())
///     .unwrap()
///     .complete()
///     .unwrap();
/// assert_eq!(resp, Response::Data(Data::Exists(23)));
/// assert_eq!(used, 13);
/// ```
pub fn parse_response<'a>(
    input: &'a [u8],
    opts: &ParseOptions,
) -> Result<Status<Response<'a>>, ParseError> {
    parse_unit(input, opts, |r| r.response())
}

/// Parses one client command from the start of `input`.
///
/// A server that receives a synchronising literal must answer `+` before the client sends the
/// data: use a [`Framer`] (or [`stream`](crate::stream)) to see `LiteralAnnounced` first.
pub fn parse_command<'a>(
    input: &'a [u8],
    opts: &ParseOptions,
) -> Result<Status<Command<'a>>, ParseError> {
    parse_unit(input, opts, |r| r.command())
}

/// Parses the `DONE` line that ends IDLE (RFC 2177).
pub fn parse_idle_done(input: &[u8], opts: &ParseOptions) -> Result<Status<()>, ParseError> {
    parse_unit(input, opts, |r| {
        if !r.keyword("DONE") {
            return r.err("DONE");
        }
        r.eol()
    })
}

/// Parses a client's line during AUTHENTICATE: base64 data, or `*` to cancel (returned as
/// `None`). The bytes are returned still encoded.
pub fn parse_authenticate_data<'a>(
    input: &'a [u8],
    opts: &ParseOptions,
) -> Result<Status<Option<&'a [u8]>>, ParseError> {
    parse_unit(input, opts, |r| {
        if r.eat(b'*') {
            r.eol()?;
            return Ok(None);
        }
        let start = r.pos;
        while r
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
        {
            r.pos += 1;
        }
        let data = r.rest_from(start);
        r.eol()?;
        Ok(Some(data))
    })
}

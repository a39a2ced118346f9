//! SMTP, ESMTP and LMTP commands (RFC 5321 4.1, RFC 2033, RFC 3030, RFC 3207, RFC 4954) with
//! every MAIL and RCPT parameter of the extensions this crate knows.
//!
//! ```
//! use smtp_proto::codec::command::{parse_command, Command};
//! use mail_wire::Status;
//!
//! let wire = b"MAIL FROM:<ann@example.org> SIZE=1000 BODY=8BITMIME\r\nRCPT TO:<bob@example.net>\r\n";
//! let Ok(Status::Complete(Command::Mail { from, params }, used)) = parse_command(wire) else { panic!() };
//! assert_eq!(from.mailbox().unwrap().to_string(), "ann@example.org");
//! assert_eq!(params.size, Some(1000));
//! assert_eq!(used, 53);
//! let mut out = Vec::new();
//! Command::Mail { from, params }.write_to(&mut out);
//! assert_eq!(out, &wire[..used]);
//! ```

use std::borrow::Cow;

use mail_wire::sasl::{decode_initial_response, encode_initial_response, Mechanism};
use mail_wire::Status;

use super::{find_line, ParseError, ParseErrorKind};
use crate::types::{
    first_outside, is_atext, ldh_run, simple_domain_len, validate_domain, AuthMechanism, Domain,
    ForwardPath, InvalidValue, Keyword, Mailbox, ParamValue, ReversePath, Text, XText, ATEXT,
};

/// The longest command line [`parse_command`] accepts, counting CRLF: RFC 5321 4.5.3.1.4 sets
/// 512, SMTP extensions raise it (RFC 1869 adds 40 per MAIL parameter); 4096 covers every
/// parameter this crate knows at once and long AUTH initial responses.
pub const DEFAULT_MAX_COMMAND_LINE: usize = 4096;

pub use crate::types::{
    AuthParam, Body, Command, DeliverBy, MailParams, Notify, Orcpt, OtherParam, RcptParams, Ret,
    Rrvs,
};

/// Parses the command at the front of `buf` (it must end in CRLF within
/// [`DEFAULT_MAX_COMMAND_LINE`] bytes). For BDAT, the chunk bytes that follow are not consumed.
///
/// The command borrows `buf`; [`Command::into_owned`] makes it `'static`.
pub fn parse_command(buf: &[u8]) -> Result<Status<Command<'_>>, ParseError> {
    parse_command_with(buf, DEFAULT_MAX_COMMAND_LINE)
}

/// [`parse_command`] with another line limit.
pub fn parse_command_with(buf: &[u8], max_line: usize) -> Result<Status<Command<'_>>, ParseError> {
    // Nearly every command of a transaction is an RCPT in the common shape: read in one pass.
    if let Some((cmd, used)) = plain_rcpt(buf, max_line) {
        return Ok(Status::Complete(cmd, used));
    }
    parse_command_line_first(buf, max_line)
}

/// [`parse_command_with`] of any command: the line found first, then parsed.
fn parse_command_line_first(
    buf: &[u8],
    max_line: usize,
) -> Result<Status<Command<'_>>, ParseError> {
    match find_line(buf, max_line)? {
        None => Ok(Status::Incomplete),
        Some((len, total)) => {
            let line = buf.get(..len).unwrap_or_default();
            Command::parse_line(line).map(|c| Status::Complete(c, total))
        }
    }
}

/// A cursor over one command line.
struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
    /// The whole line as a string when it is UTF-8: checked once, so that the pieces taken as
    /// strings need no check of their own (one long check costs less than several short ones).
    s: Option<&'a str>,
}

impl<'a> Cursor<'a> {
    fn new(b: &'a [u8]) -> Self {
        Self {
            b,
            i: 0,
            s: simdutf8::basic::from_utf8(b).ok(),
        }
    }

    /// Bytes `start..end` of the line as a string; not UTF-8 is an error at `at`.
    fn str_at(&self, start: usize, end: usize, at: usize) -> Result<&'a str, ParseError> {
        match self.s.and_then(|s| s.get(start..end)) {
            Some(s) => Ok(s),
            None => utf8(self.b.get(start..end).unwrap_or_default(), at),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn rest(&self) -> &'a [u8] {
        self.b.get(self.i..).unwrap_or_default()
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: u8, what: &'static str) -> Result<(), ParseError> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(ParseError::expected(what, self.i))
        }
    }

    /// Takes `word` (upper case) in any case.
    fn eat_ci(&mut self, word: &[u8]) -> bool {
        match self.rest().get(..word.len()) {
            Some(w) if word_is(w, word) => {
                self.i += word.len();
                true
            }
            _ => false,
        }
    }

    /// Takes `word` in any case.
    #[inline(always)]
    fn eat_word(&mut self, word: &Word) -> bool {
        let found = word.at(self.b, self.i);
        if found {
            self.i += word.text.len();
        }
        found
    }

    fn at_end(&self) -> bool {
        self.i >= self.b.len()
    }

    fn end(&self) -> Result<(), ParseError> {
        if self.at_end() {
            Ok(())
        } else {
            Err(ParseError::expected("end of line", self.i))
        }
    }

    /// Takes bytes up to the next space (or the end).
    fn token(&mut self) -> &'a [u8] {
        let rest = self.rest();
        let n = memchr::memchr(b' ', rest).unwrap_or(rest.len());
        self.i += n;
        rest.get(..n).unwrap_or_default()
    }
}

/// Whether `a` is `upper` (an upper-case ASCII word) in any case, compared inline (short
/// words cost more through a library call).
fn word_is(a: &[u8], upper: &[u8]) -> bool {
    a.len() == upper.len()
        && a.iter()
            .zip(upper)
            .all(|(&c, &u)| c.to_ascii_uppercase() == u)
}

fn utf8(b: &[u8], at: usize) -> Result<&str, ParseError> {
    std::str::from_utf8(b).map_err(|_| ParseError::expected("UTF-8", at))
}

fn text_arg<'a>(c: &mut Cursor<'a>) -> Result<Text<'a>, ParseError> {
    let at = c.i;
    let s = c.str_at(at, c.b.len(), at)?;
    c.i = c.b.len();
    Text::borrowed(s).map_err(|e| ParseError::invalid(e, at + e.at))
}

fn domain_arg<'a>(c: &mut Cursor<'a>) -> Result<Domain<'a>, ParseError> {
    c.expect(b' ', "' ' and a domain")?;
    let at = c.i;
    let d = c.str_at(at, c.b.len(), at)?;
    let d = Domain::borrowed(d).map_err(|e| ParseError::invalid(e, at + e.at))?;
    c.i = c.b.len();
    Ok(d)
}

impl<'a> Command<'a> {
    /// Parses one command line without its CRLF; the command borrows `line`.
    pub fn parse_line(line: &'a [u8]) -> Result<Self, ParseError> {
        let mut c = Cursor::new(line);
        // Nearly every verb has four letters: then the fifth byte says so without a search.
        let verb_len = match line.get(4) {
            Some(b' ' | b':') => 4,
            None if line.len() == 4 => 4,
            _ => line
                .iter()
                .position(|&b| b == b' ' || b == b':')
                .unwrap_or(line.len()),
        };
        let verb = line.get(..verb_len).unwrap_or_default();
        // Four-letter verbs compare as one number: clearing bit 5 of each byte upper-cases a
        // letter and turns no other byte into one, so this is a comparison in any case.
        let verb4 = match verb {
            [a, b, c, d] => u32::from_le_bytes([*a, *b, *c, *d]) & 0xdfdf_dfdf,
            _ => 0,
        };
        let is = |w: &[u8; 4]| verb4 == u32::from_le_bytes(*w);
        c.i = verb_len;
        let cmd = if is(b"MAIL") {
            if !c.eat_word(&FROM) {
                return Err(ParseError::expected("' FROM:'", c.i));
            }
            let from = match parse_path(&mut c, false)? {
                Path::Null => ReversePath::Null,
                Path::Mailbox(m) => ReversePath::Mailbox(m),
                Path::Postmaster => return Err(ParseError::expected("'@'", c.i)),
            };
            let params = parse_mail_params(&mut c)?;
            Self::Mail { from, params }
        } else if is(b"RCPT") {
            if !c.eat_word(&TO) {
                return Err(ParseError::expected("' TO:'", c.i));
            }
            let plain = match (c.s, c.peek()) {
                (Some(text), Some(b'<')) => plain_mailbox(c.b, text, c.i + 1),
                _ => None,
            };
            let to = if let Some((m, end)) = plain {
                c.i = end;
                ForwardPath::Mailbox(m)
            } else {
                match parse_path(&mut c, true)? {
                    Path::Null => return Err(ParseError::expected("a mailbox", c.i)),
                    Path::Mailbox(m) => ForwardPath::Mailbox(m),
                    Path::Postmaster => ForwardPath::Postmaster,
                }
            };
            let params = parse_rcpt_params(&mut c)?;
            Self::Rcpt { to, params }
        } else if is(b"EHLO") {
            Self::Ehlo(domain_arg(&mut c)?)
        } else if is(b"HELO") {
            Self::Helo(domain_arg(&mut c)?)
        } else if is(b"LHLO") {
            Self::Lhlo(domain_arg(&mut c)?)
        } else if is(b"DATA") {
            c.end()?;
            Self::Data
        } else if is(b"BDAT") {
            c.expect(b' ', "' ' and a chunk size")?;
            let at = c.i;
            let size = parse_number(c.token(), 20).ok_or(ParseError::expected("a size", at))?;
            let last = if c.eat(b' ') {
                if !c.eat_ci(b"LAST") {
                    return Err(ParseError::expected("'LAST'", c.i));
                }
                true
            } else {
                false
            };
            c.end()?;
            Self::Bdat { size, last }
        } else if is(b"RSET") {
            c.end()?;
            Self::Rset
        } else if is(b"QUIT") {
            c.end()?;
            Self::Quit
        } else if is(b"NOOP") {
            Self::Noop(if c.eat(b' ') {
                Some(text_arg(&mut c)?)
            } else {
                c.end()?;
                None
            })
        } else if is(b"HELP") {
            Self::Help(if c.eat(b' ') {
                Some(text_arg(&mut c)?)
            } else {
                c.end()?;
                None
            })
        } else if is(b"VRFY") {
            c.expect(b' ', "' ' and a string")?;
            Self::Vrfy(text_arg(&mut c)?)
        } else if is(b"EXPN") {
            c.expect(b' ', "' ' and a string")?;
            Self::Expn(text_arg(&mut c)?)
        } else if word_is(verb, b"STARTTLS") {
            c.end()?;
            Self::StartTls
        } else if is(b"AUTH") {
            c.expect(b' ', "' ' and a mechanism")?;
            let at = c.i;
            let name = c.token();
            let mechanism = Mechanism::from_bytes(name)
                .ok()
                .and_then(|m| AuthMechanism::new(m).ok())
                .ok_or(ParseError::expected("a SASL mechanism name", at))?;
            let initial_response = if c.eat(b' ') {
                let at = c.i;
                let arg = c.token();
                Some(
                    decode_initial_response(arg, usize::MAX)
                        .map_err(|_| ParseError::expected("base64 or '='", at))?,
                )
            } else {
                None
            };
            c.end()?;
            Self::Auth {
                mechanism,
                initial_response,
            }
        } else {
            return Err(ParseError::new(ParseErrorKind::UnknownCommand, 0));
        };
        Ok(cmd)
    }

    /// Appends the command and its CRLF to `out`.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        match self {
            Self::Helo(d) => push_all(out, &[b"HELO ", d.as_str().as_bytes()]),
            Self::Ehlo(d) => push_all(out, &[b"EHLO ", d.as_str().as_bytes()]),
            Self::Lhlo(d) => push_all(out, &[b"LHLO ", d.as_str().as_bytes()]),
            Self::Mail { from, params } => {
                out.extend_from_slice(b"MAIL FROM:");
                from.write_to(out);
                write_mail_params(params, out);
            }
            Self::Rcpt { to, params } => {
                out.extend_from_slice(b"RCPT TO:");
                to.write_to(out);
                write_rcpt_params(params, out);
            }
            Self::Data => out.extend_from_slice(b"DATA"),
            Self::Bdat { size, last } => {
                out.extend_from_slice(format!("BDAT {size}").as_bytes());
                if *last {
                    out.extend_from_slice(b" LAST");
                }
            }
            Self::Rset => out.extend_from_slice(b"RSET"),
            Self::Vrfy(t) => push_all(out, &[b"VRFY ", t.as_str().as_bytes()]),
            Self::Expn(t) => push_all(out, &[b"EXPN ", t.as_str().as_bytes()]),
            Self::Help(t) => {
                out.extend_from_slice(b"HELP");
                if let Some(t) = t {
                    push_all(out, &[b" ", t.as_str().as_bytes()]);
                }
            }
            Self::Noop(t) => {
                out.extend_from_slice(b"NOOP");
                if let Some(t) = t {
                    push_all(out, &[b" ", t.as_str().as_bytes()]);
                }
            }
            Self::Quit => out.extend_from_slice(b"QUIT"),
            Self::StartTls => out.extend_from_slice(b"STARTTLS"),
            Self::Auth {
                mechanism,
                initial_response,
            } => {
                push_all(out, &[b"AUTH ", mechanism.get().as_str().as_bytes()]);
                if let Some(ir) = initial_response {
                    push_all(out, &[b" ", encode_initial_response(ir).as_bytes()]);
                }
            }
        }
        out.extend_from_slice(b"\r\n");
    }

    /// The command's wire form.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_to(&mut out);
        out
    }
}

fn push_all(out: &mut Vec<u8>, parts: &[&[u8]]) {
    for p in parts {
        out.extend_from_slice(p);
    }
}

fn parse_number(b: &[u8], max_digits: usize) -> Option<u64> {
    if b.is_empty() || b.len() > max_digits || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    b.iter().try_fold(0u64, |n, d| {
        n.checked_mul(10)?.checked_add(u64::from(d - b'0'))
    })
}

enum Path<'a> {
    Null,
    Postmaster,
    Mailbox(Mailbox<'a>),
}

/// `"<" [ A-d-l ":" ] Mailbox ">"`, `<>`, or (for RCPT) `<Postmaster>`.
fn parse_path<'a>(c: &mut Cursor<'a>, rcpt: bool) -> Result<Path<'a>, ParseError> {
    c.expect(b'<', "'<'")?;
    if let Some((m, end)) = c.s.and_then(|text| plain_mailbox(c.b, text, c.i)) {
        c.i = end;
        return Ok(Path::Mailbox(m));
    }
    if c.eat(b'>') {
        return Ok(Path::Null);
    }
    if rcpt && c.peek().is_some_and(|b| b | 0x20 == b'p') && c.eat_ci(b"POSTMASTER>") {
        return Ok(Path::Postmaster);
    }
    if c.peek() == Some(b'@') {
        // Obsolete source route `@a,@b:`: accepted and ignored (RFC 5321 4.1.1.3).
        loop {
            c.expect(b'@', "'@' of a source route")?;
            let at = c.i;
            let rest = c.rest();
            let n = rest
                .iter()
                .position(|&b| b == b',' || b == b':')
                .ok_or(ParseError::expected("':' after a source route", c.b.len()))?;
            validate_domain(rest.get(..n).unwrap_or_default())
                .map_err(|e| ParseError::invalid(e, at + e.at))?;
            c.i += n;
            if c.eat(b':') {
                break;
            }
            c.expect(b',', "','")?;
        }
    }
    let m = parse_mailbox(c)?;
    c.expect(b'>', "'>'")?;
    Ok(Path::Mailbox(m))
}

/// The mailbox of nearly every path, read in one pass over `line` from `at` (just after `<`;
/// `text` is the same line as a string): a dot-string local part, `@`, a plain domain name
/// ([`simple_domain_len`]) and `>`, with where the path ends. `None` for anything else (a
/// quoted local part, an address literal, a source route, `<>`, `<Postmaster>`, an error),
/// which [`parse_path`] then reads in full.
#[inline(always)]
fn plain_mailbox<'a>(line: &'a [u8], text: &'a str, at: usize) -> Option<(Mailbox<'a>, usize)> {
    let (at_sign, end) = plain_mailbox_scan(line, at)?;
    Some((plain_mailbox_take(text, at, at_sign, end)?, end + 1))
}

/// The byte scan of [`plain_mailbox`]: where its `@` is and where its domain ends (at `>`).
#[inline(always)]
fn plain_mailbox_scan(line: &[u8], at: usize) -> Option<(usize, usize)> {
    let mut i = at;
    loop {
        let atom = i;
        i = run_of(line, i, &ATEXT);
        if i == atom {
            return None;
        }
        if line.get(i) != Some(&b'.') {
            break;
        }
        i += 1;
    }
    if line.get(i) != Some(&b'@') {
        return None;
    }
    let d = i + 1;
    let end = d + simple_domain_len(line.get(d..)?)?;
    if line.get(end) != Some(&b'>') {
        return None;
    }
    Some((i, end))
}

/// The mailbox [`plain_mailbox_scan`] found, taken from the line as a string.
#[inline(always)]
fn plain_mailbox_take(text: &str, at: usize, at_sign: usize, end: usize) -> Option<Mailbox<'_>> {
    let local = text.get(at..at_sign)?;
    let domain = Domain::checked_ref(text.get(at_sign + 1..end)?);
    Mailbox::from_checked(Cow::Borrowed(local), domain).ok()
}

/// Parses `Local-part "@" ( Domain / address-literal )` at the cursor; the domain ends at `>`,
/// a space or the end.
fn parse_mailbox<'a>(c: &mut Cursor<'a>) -> Result<Mailbox<'a>, ParseError> {
    let start = c.i;
    let local: Cow<'a, str> = if c.eat(b'"') {
        let mut local = Vec::new();
        loop {
            match c.peek() {
                Some(b'"') => {
                    c.i += 1;
                    break;
                }
                Some(b'\\') => {
                    c.i += 1;
                    match c.peek() {
                        Some(q @ 32..=126) => {
                            local.push(q);
                            c.i += 1;
                        }
                        _ => return Err(ParseError::expected("a quoted character", c.i)),
                    }
                }
                Some(q) if (32..=126).contains(&q) || q >= 0x80 => {
                    local.push(q);
                    c.i += 1;
                }
                _ => return Err(ParseError::expected("'\"' closing the local part", c.i)),
            }
        }
        if local.is_empty() {
            return Err(ParseError::expected("a local part", start));
        }
        Cow::Owned(String::from_utf8(local).map_err(|_| ParseError::expected("UTF-8", start))?)
    } else {
        // Dot-string: atoms separated by single dots, taken as they are.
        let mut need_atom = true;
        let mut n = 0;
        for &b in c.rest() {
            if is_atext(b) {
                need_atom = false;
            } else if b == b'.' && !need_atom {
                need_atom = true;
            } else {
                break;
            }
            n += 1;
        }
        c.i += n;
        if need_atom {
            return Err(ParseError::expected("a local part", c.i));
        }
        Cow::Borrowed(c.str_at(start, c.i, start)?)
    };
    c.expect(b'@', "'@'")?;
    let dstart = c.i;
    let rest = c.rest();
    let domain = if let Some(n) = simple_domain_len(rest) {
        // Found and checked in one pass.
        let d = Domain::checked_ref(c.str_at(dstart, dstart + n, dstart)?);
        c.i += n;
        d
    } else {
        let n = if rest.first() == Some(&b'[') {
            memchr::memchr(b']', rest).map_or(rest.len(), |k| k + 1)
        } else {
            rest.iter()
                .position(|&b| b == b'>' || b == b' ')
                .unwrap_or(rest.len())
        };
        let d = c.str_at(dstart, dstart + n, dstart)?;
        let d = Domain::borrowed(d).map_err(|e| ParseError::invalid(e, dstart + e.at))?;
        c.i += n;
        d
    };
    Mailbox::from_checked(local, domain).map_err(|e| ParseError::invalid(e, start))
}

/// Parses a whole string as a mailbox.
pub(crate) fn parse_mailbox_exact(s: &[u8]) -> Result<Mailbox<'_>, InvalidValue> {
    let mut c = Cursor::new(s);
    let bad = |e: ParseError| match e.kind {
        ParseErrorKind::Invalid(v) => v,
        ParseErrorKind::Expected(what) => InvalidValue::new("mailbox", what, e.offset),
        _ => InvalidValue::new("mailbox", "syntax", e.offset),
    };
    let m = parse_mailbox(&mut c).map_err(bad)?;
    c.end().map_err(bad)?;
    Ok(m)
}

/// One parameter: where it starts, its keyword, its value.
type RawParam<'a> = (usize, &'a [u8], Option<&'a [u8]>);

/// Splits ` k=v k2` into keyword/value pairs.
fn params<'a>(c: &mut Cursor<'a>) -> impl Iterator<Item = Result<RawParam<'a>, ParseError>> + 'a {
    let b = c.b;
    let mut i = c.i;
    c.i = b.len();
    std::iter::from_fn(move || {
        if i >= b.len() {
            return None;
        }
        if b.get(i) != Some(&b' ') {
            return Some(Err(ParseError::expected("' ' before a parameter", i)));
        }
        i += 1;
        let start = i;
        let rest = b.get(i..).unwrap_or_default();
        // The keyword is short: a plain loop finds its end sooner than a search would start.
        let k = rest
            .iter()
            .position(|&c| c == b'=' || c == b' ')
            .unwrap_or(rest.len());
        let keyword = rest.get(..k).unwrap_or_default();
        if rest.get(k) != Some(&b'=') {
            i += k;
            return Some(Ok((start, keyword, None)));
        }
        let value = rest.get(k + 1..).unwrap_or_default();
        let n = memchr::memchr(b' ', value).unwrap_or(value.len());
        i += k + 1 + n;
        Some(Ok((start, keyword, value.get(..n))))
    })
}

fn other_param<'a>(
    at: usize,
    k: &'a [u8],
    v: Option<&'a [u8]>,
) -> Result<OtherParam<'a>, ParseError> {
    let keyword = Keyword::borrowed(utf8(k, at)?).map_err(|e| ParseError::invalid(e, at + e.at))?;
    let value = match v {
        None => None,
        Some(v) => Some(
            ParamValue::borrowed(utf8(v, at)?)
                .map_err(|e| ParseError::invalid(e, at + k.len() + 1 + e.at))?,
        ),
    };
    Ok(OtherParam { keyword, value })
}

fn set<T>(slot: &mut Option<T>, v: T, name: &'static str, at: usize) -> Result<(), ParseError> {
    if slot.is_some() {
        return Err(ParseError::new(ParseErrorKind::Duplicate(name), at));
    }
    *slot = Some(v);
    Ok(())
}

fn flag(
    slot: &mut bool,
    v: Option<&[u8]>,
    name: &'static str,
    at: usize,
) -> Result<(), ParseError> {
    if v.is_some() {
        return Err(ParseError::expected("no value", at));
    }
    if *slot {
        return Err(ParseError::new(ParseErrorKind::Duplicate(name), at));
    }
    *slot = true;
    Ok(())
}

fn value(v: Option<&[u8]>, at: usize) -> Result<&[u8], ParseError> {
    v.filter(|v| !v.is_empty())
        .ok_or(ParseError::expected("'=' and a value", at))
}

fn xtext<'a>(v: &'a [u8], line: Line<'a>, at: usize) -> Result<XText<'a>, ParseError> {
    XText::decode_in(v, line.text_of(v)).map_err(|e| ParseError::invalid(e, at + e.at))
}

/// A command line and, when it is UTF-8, the same line as a string, to take the string form
/// of a piece of it without checking that piece again.
#[derive(Clone, Copy)]
struct Line<'a> {
    bytes: &'a [u8],
    text: Option<&'a str>,
}

impl<'a> Line<'a> {
    /// `piece` (a subslice of the line) as a string, if the line is UTF-8.
    fn text_of(self, piece: &[u8]) -> Option<&'a str> {
        // Where the piece starts in the line: address arithmetic only, nothing is read.
        let off = (piece.as_ptr() as usize).checked_sub(self.bytes.as_ptr() as usize)?;
        self.text?.get(off..off.checked_add(piece.len())?)
    }
}

fn param_value(v: &[u8], at: usize) -> Result<ParamValue<'_>, ParseError> {
    ParamValue::borrowed(utf8(v, at)?).map_err(|e| ParseError::invalid(e, at + e.at))
}

fn parse_mail_params<'a>(c: &mut Cursor<'a>) -> Result<MailParams<'a>, ParseError> {
    let mut p = MailParams::default();
    let line = Line {
        bytes: c.b,
        text: c.s,
    };
    for item in params(c) {
        let (at, k, v) = item?;
        let is = |w: &[u8]| word_is(k, w);
        if is(b"SIZE") {
            let n = parse_number(value(v, at)?, 20).ok_or(ParseError::expected("digits", at))?;
            set(&mut p.size, n, "SIZE", at)?;
        } else if is(b"BODY") {
            let v = value(v, at)?;
            let body = if word_is(v, b"7BIT") {
                Body::SevenBit
            } else if word_is(v, b"8BITMIME") {
                Body::EightBitMime
            } else if word_is(v, b"BINARYMIME") {
                Body::BinaryMime
            } else {
                return Err(ParseError::expected("7BIT, 8BITMIME or BINARYMIME", at));
            };
            set(&mut p.body, body, "BODY", at)?;
        } else if is(b"SMTPUTF8") {
            flag(&mut p.smtputf8, v, "SMTPUTF8", at)?;
        } else if is(b"REQUIRETLS") {
            flag(&mut p.requiretls, v, "REQUIRETLS", at)?;
        } else if is(b"RET") {
            let v = value(v, at)?;
            let r = if word_is(v, b"FULL") {
                Ret::Full
            } else if word_is(v, b"HDRS") {
                Ret::Headers
            } else {
                return Err(ParseError::expected("FULL or HDRS", at));
            };
            set(&mut p.ret, r, "RET", at)?;
        } else if is(b"ENVID") {
            let x = xtext(value(v, at)?, line, at)?;
            set(&mut p.envid, x, "ENVID", at)?;
        } else if is(b"AUTH") {
            let v = value(v, at)?;
            let a = if v == b"<>" {
                AuthParam::Unknown
            } else {
                AuthParam::Identity(xtext(v, line, at)?)
            };
            set(&mut p.auth, a, "AUTH", at)?;
        } else if is(b"MT-PRIORITY") {
            let v = value(v, at)?;
            let s = utf8(v, at)?;
            let n: i8 = s
                .parse()
                .ok()
                .filter(|n: &i8| (-9..=9).contains(n) && s.len() <= 2)
                .ok_or(ParseError::expected("a priority -9 to 9", at))?;
            set(&mut p.mt_priority, n, "MT-PRIORITY", at)?;
        } else if is(b"HOLDFOR") {
            let n = parse_number(value(v, at)?, 20).ok_or(ParseError::expected("digits", at))?;
            set(&mut p.hold_for, n, "HOLDFOR", at)?;
        } else if is(b"HOLDUNTIL") {
            let pv = param_value(value(v, at)?, at)?;
            set(&mut p.hold_until, pv, "HOLDUNTIL", at)?;
        } else if is(b"BY") {
            let by = parse_by(value(v, at)?).ok_or(ParseError::expected("time;R or time;N", at))?;
            set(&mut p.by, by, "BY", at)?;
        } else {
            p.other.push(other_param(at, k, v)?);
        }
    }
    Ok(p)
}

fn parse_by(v: &[u8]) -> Option<DeliverBy> {
    let k = memchr::memchr(b';', v)?;
    let (t, mode) = (v.get(..k)?, v.get(k + 1..)?);
    let (neg, digits) = match t.first() {
        Some(b'-') => (true, t.get(1..)?),
        Some(b'+') => (false, t.get(1..)?),
        _ => (false, t),
    };
    let n = parse_number(digits, 9)? as i32;
    let time = if neg { -n } else { n };
    let (r, trace) = match mode {
        [m] => (*m, false),
        [m, t] if t.eq_ignore_ascii_case(&b'T') => (*m, true),
        _ => return None,
    };
    let return_if_late = match r.to_ascii_uppercase() {
        b'R' => true,
        b'N' => false,
        _ => return None,
    };
    Some(DeliverBy {
        time,
        return_if_late,
        trace,
    })
}

#[inline(always)]
fn parse_rcpt_params<'a>(c: &mut Cursor<'a>) -> Result<RcptParams<'a>, ParseError> {
    if let Some(p) = c.s.and_then(|text| rcpt_params_fast(c.b, text, c.i)) {
        c.i = c.b.len();
        return Ok(p);
    }
    parse_rcpt_params_general(c)
}

/// Where the run of bytes of `class` that starts at `i` ends.
#[inline]
fn run_of(b: &[u8], mut i: usize, class: &[bool; 256]) -> usize {
    while let Some(&c) = b.get(i) {
        if !class[usize::from(c)] {
            break;
        }
        i += 1;
    }
    i
}

/// A short word (at most eight bytes) to find at a place in a line in any case, compared as
/// one number: letters with bit 5 set on both sides, every other byte exactly.
struct Word {
    /// The word, lower case.
    text: &'static [u8],
    /// The word as a little-endian number, lower case.
    value: u64,
    /// Bit 5 of each letter of the word.
    fold: u64,
    /// The bytes of the word.
    mask: u64,
}

impl Word {
    const fn new(text: &'static [u8]) -> Self {
        let (mut value, mut fold, mut mask) = (0u64, 0u64, 0u64);
        let mut k = 0;
        while k < text.len() && k < 8 {
            let c = text[k];
            value |= (c.to_ascii_lowercase() as u64) << (8 * k);
            if c.is_ascii_alphabetic() {
                fold |= 0x20 << (8 * k);
            }
            mask |= 0xff << (8 * k);
            k += 1;
        }
        Self {
            text,
            value,
            fold,
            mask,
        }
    }

    /// Whether `line` holds the word (in any case) at `at`.
    #[inline(always)]
    fn at(&self, line: &[u8], at: usize) -> bool {
        match line.get(at..at.wrapping_add(8)) {
            Some(&[a, b, c, d, e, f, g, h]) => {
                let w = u64::from_le_bytes([a, b, c, d, e, f, g, h]);
                (w | self.fold) & self.mask == self.value
            }
            _ => line
                .get(at..)
                .and_then(|rest| rest.get(..self.text.len()))
                .is_some_and(|w| w.eq_ignore_ascii_case(self.text)),
        }
    }
}

const FROM: Word = Word::new(b" from:");
const TO: Word = Word::new(b" to:");
const RCPT_TO: Word = Word::new(b"rcpt to:");
const NOTIFY_EQ: Word = Word::new(b"notify=");
const ORCPT_EQ: Word = Word::new(b"orcpt=");
const SUCCESS: Word = Word::new(b"success");
const FAILURE: Word = Word::new(b"failure");
const DELAY: Word = Word::new(b"delay");

/// The RCPT parameters nearly every client sends, read in one pass over `line` from `i`
/// (`text` is the same line as a string): `NOTIFY=` with SUCCESS, FAILURE and DELAY, and
/// `ORCPT=` with nothing encoded, each checked as it is found. `None` for anything else
/// (another parameter, NEVER, an encoded or invalid value, a repeat): the general reading
/// ([`parse_rcpt_params_general`]) then takes the line from `i` and gives its exact errors.
#[inline(always)]
fn rcpt_params_fast<'a>(line: &'a [u8], text: &'a str, i: usize) -> Option<RcptParams<'a>> {
    let (found, end) = plain_rcpt_params_scan(line, i)?;
    if end != line.len() {
        return None;
    }
    found.take(text)
}

/// Where [`plain_rcpt_params_scan`] found the parameters.
#[derive(Default)]
struct PlainRcptParams {
    notify: Option<Notify>,
    /// Where the ORCPT address type starts, its `;`, and where the address ends.
    orcpt: Option<(usize, usize, usize)>,
}

impl PlainRcptParams {
    /// The parameters, taken from the line as a string.
    #[inline(always)]
    fn take(self, text: &str) -> Option<RcptParams<'_>> {
        let orcpt = match self.orcpt {
            Some((t, semi, end)) => Some(Orcpt {
                addr_type: Keyword::checked_ref(text.get(t..semi)?),
                address: XText::plain_ref(text.get(semi + 1..end)?),
            }),
            None => None,
        };
        Some(RcptParams {
            notify: self.notify,
            orcpt,
            ..RcptParams::default()
        })
    }
}

/// The byte scan of [`rcpt_params_fast`], from `i` to the end of `line` or a CR: the
/// parameters and where they end.
#[inline(always)]
fn plain_rcpt_params_scan(line: &[u8], mut i: usize) -> Option<(PlainRcptParams, usize)> {
    let mut p = PlainRcptParams::default();
    loop {
        match line.get(i) {
            None | Some(b'\r') => return Some((p, i)),
            Some(b' ') => i += 1,
            Some(_) => return None,
        }
        if NOTIFY_EQ.at(line, i) && p.notify.is_none() {
            i += 7;
            let mut n = Notify::default();
            loop {
                let slot = if SUCCESS.at(line, i) {
                    i += 7;
                    &mut n.success
                } else if FAILURE.at(line, i) {
                    i += 7;
                    &mut n.failure
                } else if DELAY.at(line, i) {
                    i += 5;
                    &mut n.delay
                } else {
                    return None;
                };
                if *slot {
                    return None;
                }
                *slot = true;
                if line.get(i) != Some(&b',') {
                    break;
                }
                i += 1;
            }
            p.notify = Some(n);
        } else if ORCPT_EQ.at(line, i) && p.orcpt.is_none() {
            i += 6;
            let t = i;
            if !line.get(t).is_some_and(u8::is_ascii_alphanumeric) {
                return None;
            }
            let semi = ldh_run(line, t + 1);
            if line.get(semi) != Some(&b';') {
                return None;
            }
            let x = semi + 1;
            let rest = line.get(x..)?;
            i = x + first_outside(rest, b'!', b"+=").unwrap_or(rest.len());
            if i == x {
                return None;
            }
            p.orcpt = Some((t, semi, i));
        } else {
            return None;
        }
    }
}

/// A whole RCPT command of the common shape at the front of `buf` (a plain mailbox, the
/// parameters of [`rcpt_params_fast`], CRLF within `max_line`), found, checked and taken in
/// one pass over its bytes, with no line search first; with the bytes it takes. `None` for
/// anything else, which [`parse_command_with`] then reads line first.
#[inline(always)]
pub(crate) fn plain_rcpt(buf: &[u8], max_line: usize) -> Option<(Command<'_>, usize)> {
    if !RCPT_TO.at(buf, 0) || buf.get(8) != Some(&b'<') {
        return None;
    }
    // A line ends within the limit or not at all.
    let scan = buf.get(..max_line).unwrap_or(buf);
    let (at_sign, domain_end) = plain_mailbox_scan(scan, 9)?;
    let (params, end) = plain_rcpt_params_scan(scan, domain_end + 1)?;
    if scan.get(end..end.checked_add(2)?) != Some(b"\r\n") {
        return None;
    }
    let text = simdutf8::basic::from_utf8(scan.get(..end)?).ok()?;
    let to = ForwardPath::Mailbox(plain_mailbox_take(text, 9, at_sign, domain_end)?);
    let params = params.take(text)?;
    Some((Command::Rcpt { to, params }, end + 2))
}

/// Every RCPT parameter, with an exact error for each fault.
#[inline(never)]
fn parse_rcpt_params_general<'a>(c: &mut Cursor<'a>) -> Result<RcptParams<'a>, ParseError> {
    let mut p = RcptParams::default();
    let line = Line {
        bytes: c.b,
        text: c.s,
    };
    for item in params(c) {
        let (at, k, v) = item?;
        let is = |w: &[u8]| word_is(k, w);
        if is(b"NOTIFY") {
            let v = value(v, at)?;
            let mut n = Notify::default();
            if !word_is(v, b"NEVER") {
                for word in v.split(|&b| b == b',') {
                    let slot = if word_is(word, b"SUCCESS") {
                        &mut n.success
                    } else if word_is(word, b"FAILURE") {
                        &mut n.failure
                    } else if word_is(word, b"DELAY") {
                        &mut n.delay
                    } else {
                        return Err(ParseError::expected("NEVER, SUCCESS, FAILURE or DELAY", at));
                    };
                    if *slot {
                        return Err(ParseError::new(ParseErrorKind::Duplicate("NOTIFY"), at));
                    }
                    *slot = true;
                }
            }
            set(&mut p.notify, n, "NOTIFY", at)?;
        } else if is(b"ORCPT") {
            let v = value(v, at)?;
            let k = memchr::memchr(b';', v).ok_or(ParseError::expected("addr-type;xtext", at))?;
            let t = v.get(..k).unwrap_or_default();
            let t = match line.text_of(t) {
                Some(t) => t,
                None => utf8(t, at)?,
            };
            let addr_type = Keyword::borrowed(t).map_err(|e| ParseError::invalid(e, at))?;
            let address = xtext(v.get(k + 1..).unwrap_or_default(), line, at)?;
            if address.as_str().is_empty() {
                return Err(ParseError::expected("an address after ';'", at));
            }
            set(&mut p.orcpt, Orcpt { addr_type, address }, "ORCPT", at)?;
        } else if is(b"RRVS") {
            let v = value(v, at)?;
            let (t, reject) = match v.len().checked_sub(2).and_then(|k| v.get(k..)) {
                Some([b';', m]) if m.eq_ignore_ascii_case(&b'R') => {
                    (v.get(..v.len() - 2), Some(true))
                }
                Some([b';', m]) if m.eq_ignore_ascii_case(&b'C') => {
                    (v.get(..v.len() - 2), Some(false))
                }
                _ => (Some(v), None),
            };
            let time = param_value(t.unwrap_or_default(), at)?;
            if time.as_str().contains(';') {
                return Err(ParseError::expected("date-time[;R|C]", at));
            }
            set(&mut p.rrvs, Rrvs { time, reject }, "RRVS", at)?;
        } else {
            p.other.push(other_param(at, k, v)?);
        }
    }
    Ok(p)
}

fn write_other(other: &[OtherParam<'_>], out: &mut Vec<u8>) {
    for o in other {
        push_all(out, &[b" ", o.keyword.as_str().as_bytes()]);
        if let Some(v) = &o.value {
            push_all(out, &[b"=", v.as_str().as_bytes()]);
        }
    }
}

fn write_mail_params(p: &MailParams<'_>, out: &mut Vec<u8>) {
    if let Some(n) = p.size {
        out.extend_from_slice(format!(" SIZE={n}").as_bytes());
    }
    if let Some(b) = p.body {
        out.extend_from_slice(match b {
            Body::SevenBit => b" BODY=7BIT",
            Body::EightBitMime => b" BODY=8BITMIME",
            Body::BinaryMime => b" BODY=BINARYMIME",
        });
    }
    if p.smtputf8 {
        out.extend_from_slice(b" SMTPUTF8");
    }
    if let Some(r) = p.ret {
        out.extend_from_slice(match r {
            Ret::Full => b" RET=FULL",
            Ret::Headers => b" RET=HDRS",
        });
    }
    if let Some(x) = &p.envid {
        out.extend_from_slice(b" ENVID=");
        x.write_to(out);
    }
    if let Some(a) = &p.auth {
        out.extend_from_slice(b" AUTH=");
        match a {
            AuthParam::Unknown => out.extend_from_slice(b"<>"),
            AuthParam::Identity(x) => x.write_to(out),
        }
    }
    if p.requiretls {
        out.extend_from_slice(b" REQUIRETLS");
    }
    if let Some(n) = p.mt_priority {
        out.extend_from_slice(format!(" MT-PRIORITY={n}").as_bytes());
    }
    if let Some(n) = p.hold_for {
        out.extend_from_slice(format!(" HOLDFOR={n}").as_bytes());
    }
    if let Some(v) = &p.hold_until {
        push_all(out, &[b" HOLDUNTIL=", v.as_str().as_bytes()]);
    }
    if let Some(by) = p.by {
        let mode = if by.return_if_late { "R" } else { "N" };
        let trace = if by.trace { "T" } else { "" };
        out.extend_from_slice(format!(" BY={};{mode}{trace}", by.time).as_bytes());
    }
    write_other(&p.other, out);
}

fn write_rcpt_params(p: &RcptParams<'_>, out: &mut Vec<u8>) {
    if let Some(n) = p.notify {
        out.extend_from_slice(b" NOTIFY=");
        if n.is_never() {
            out.extend_from_slice(b"NEVER");
        } else {
            let words = [
                (n.success, "SUCCESS"),
                (n.failure, "FAILURE"),
                (n.delay, "DELAY"),
            ];
            let list: Vec<&str> = words.iter().filter(|w| w.0).map(|w| w.1).collect();
            out.extend_from_slice(list.join(",").as_bytes());
        }
    }
    if let Some(o) = &p.orcpt {
        push_all(out, &[b" ORCPT=", o.addr_type.as_str().as_bytes(), b";"]);
        o.address.write_to(out);
    }
    if let Some(r) = &p.rrvs {
        push_all(out, &[b" RRVS=", r.time.as_str().as_bytes()]);
        match r.reject {
            Some(true) => out.extend_from_slice(b";R"),
            Some(false) => out.extend_from_slice(b";C"),
            None => {}
        }
    }
    write_other(&p.other, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every sequence of up to `max` of `tokens`, joined.
    fn sequences(tokens: &[&str], max: u32) -> Vec<String> {
        let mut out = Vec::new();
        for len in 0..=max {
            for mut k in 0..tokens.len().pow(len) {
                let mut s = String::new();
                for _ in 0..len {
                    s.push_str(tokens[k % tokens.len()]);
                    k /= tokens.len();
                }
                out.push(s);
            }
        }
        out
    }

    /// What the general reading makes of RCPT parameters.
    fn general_rcpt(line: &[u8]) -> Result<RcptParams<'_>, ParseError> {
        let mut c = Cursor::new(line);
        parse_rcpt_params_general(&mut c)
    }

    /// The one-pass RCPT parameters agree with the general reading wherever they give an
    /// answer, over every sequence of up to four pieces of parameters (keywords and words in
    /// several cases, separators, encoded and non-ASCII values, repeats).
    #[test]
    fn rcpt_params_fast_agrees_with_general() {
        let tokens = [
            " NOTIFY=", " notify=", " ORCPT=", " OrCpt=", "SUCCESS", "failure", "Delay", "NEVER",
            ",", ";", "rfc822", "a+2Bb", "x@y", " ", "=", "-", "\u{e9}", " RRVS=", " X-Y",
        ];
        let mut fast = 0;
        for s in sequences(&tokens, 4) {
            let line = s.as_bytes();
            if let Some(p) = rcpt_params_fast(line, &s, 0) {
                fast += 1;
                assert_eq!(Ok(p), general_rcpt(line), "{s:?}");
            }
        }
        assert!(fast > 100, "{fast}");
    }

    #[test]
    fn rcpt_params_fast_path_and_fallback() {
        // Taken in one pass.
        let line = " NOTIFY=success,DELAY ORCPT=rfc822;ann@example.org";
        let p = rcpt_params_fast(line.as_bytes(), line, 0).unwrap();
        assert_eq!(p, general_rcpt(line.as_bytes()).unwrap());
        assert_eq!(p.orcpt.unwrap().address.as_str(), "ann@example.org");
        // Left to the general reading, which gives the value or the exact error.
        for (line, ok) in [
            (" NOTIFY=NEVER", true),
            (" ORCPT=rfc822;ann+2Bx@example.org", true),
            (" RRVS=2030-01-01T00:00:00Z;R", true),
            (" X-FOO=bar", true),
            (" NOTIFY=SUCCESS NOTIFY=FAILURE", false),
            (" NOTIFY=SUCCESS,SUCCESS", false),
            (" ORCPT=rfc822;", false),
            (" ORCPT=-x;a", false),
        ] {
            assert!(
                rcpt_params_fast(line.as_bytes(), line, 0).is_none(),
                "{line:?}"
            );
            let cmd = format!("RCPT TO:<a@b.c>{line}");
            let parsed = Command::parse_line(cmd.as_bytes());
            assert_eq!(parsed.is_ok(), ok, "{line:?}: {parsed:?}");
            if let Ok(Command::Rcpt { params, .. }) = parsed {
                assert_eq!(params, general_rcpt(line.as_bytes()).unwrap());
            }
        }
    }

    /// The one-pass RCPT command agrees with the line-first reading wherever it gives an
    /// answer, over every RCPT line start followed by up to four pieces (of addresses,
    /// parameters, line ends, bare CR and LF, non-UTF-8), under several line limits.
    #[test]
    fn plain_rcpt_agrees_with_line_first() {
        let tokens: [&[u8]; 14] = [
            b"a",
            b".",
            b"@",
            b"b.c",
            b">",
            b" NOTIFY=",
            b"SUCCESS,",
            b"delay",
            b" ORCPT=rfc822;",
            b"x",
            b"\r\n",
            b"\r",
            b"\n",
            b"\xc3\xa9",
        ];
        let mut fast = 0;
        for start in [&b"RCPT TO:<"[..], b"rcpt to:<", b"RCPT TO:<a@b.c>"] {
            for mut k in 0..tokens.len().pow(4) {
                let mut buf = start.to_vec();
                for _ in 0..4 {
                    buf.extend_from_slice(tokens[k % tokens.len()]);
                    k /= tokens.len();
                }
                for max_line in [20, 40, DEFAULT_MAX_COMMAND_LINE] {
                    if let Some((cmd, used)) = plain_rcpt(&buf, max_line) {
                        fast += 1;
                        assert_eq!(
                            Ok(Status::Complete(cmd, used)),
                            parse_command_line_first(&buf, max_line),
                            "{buf:?}"
                        );
                    }
                }
            }
        }
        assert!(fast > 1000, "{fast}");
    }

    #[test]
    fn plain_rcpt_path_and_fallback() {
        let wire =
            b"RCPT TO:<ann@example.org> NOTIFY=FAILURE ORCPT=rfc822;ann@example.org\r\nDATA\r\n";
        let (cmd, used) = plain_rcpt(wire, DEFAULT_MAX_COMMAND_LINE).unwrap();
        assert_eq!(used, wire.len() - 6);
        assert_eq!(Ok(Status::Complete(cmd, used)), parse_command(wire));
        // Left to the line-first reading, which gives the command, Incomplete or the error.
        for wire in [
            &b"RCPT TO:<ann@example.org>"[..],
            b"RCPT TO:<ann@example.org> NOTIFY=NEVER\r\n",
            b"RCPT TO:<ann@example.org>\n",
            b"RCPT TO:<ann@example.org>\rX",
            b"RCPT TO:<\xffann@example.org>\r\n",
            b"RCPT TO:<Postmaster>\r\n",
            b"RCPT  TO:<ann@example.org>\r\n",
        ] {
            assert!(
                plain_rcpt(wire, DEFAULT_MAX_COMMAND_LINE).is_none(),
                "{wire:?}"
            );
            assert_eq!(
                parse_command(wire),
                parse_command_line_first(wire, DEFAULT_MAX_COMMAND_LINE)
            );
        }
        assert_eq!(parse_command(b"RCPT TO:<a@b.c>"), Ok(Status::Incomplete));
        let long = b"RCPT TO:<ann@example.org> ORCPT=rfc822;ann@example.org\r\n";
        assert!(plain_rcpt(long, 40).is_none());
        assert!(matches!(
            parse_command_with(long, 40),
            Err(ParseError {
                kind: ParseErrorKind::TooLong(40),
                ..
            })
        ));
    }

    /// A word compared as one number is found exactly where a comparison byte by byte in any
    /// case finds it: every byte value in every place of the word, with the word near the end
    /// of the line (fewer than eight bytes left: the byte-by-byte way) and far from it.
    #[test]
    fn word_at_agrees_with_bytes() {
        for w in [
            &FROM, &TO, &NOTIFY_EQ, &ORCPT_EQ, &SUCCESS, &FAILURE, &DELAY,
        ] {
            let n = w.text.len();
            for trailing in 0..10 {
                for k in 0..n {
                    for c in 0..=255u8 {
                        let mut line = b"x".to_vec();
                        line.extend_from_slice(&w.text.to_ascii_uppercase());
                        line[1 + k] = c;
                        line.resize(1 + n + trailing, b'y');
                        let slow = line[1..1 + n].eq_ignore_ascii_case(w.text);
                        assert_eq!(w.at(&line, 1), slow, "{line:?}");
                        assert!(!w.at(&line, 2 + trailing));
                    }
                }
            }
        }
    }

    /// The one-pass mailbox of a path agrees with the general reading wherever it gives an
    /// answer, over every sequence of up to five pieces of addresses.
    #[test]
    fn plain_mailbox_agrees_with_general() {
        let tokens = [
            "a", "B9", ".", "@", "-", "ex", ">", "\"", "[1]", " ", "\u{e9}", "_", "+", ":",
        ];
        let mut fast = 0;
        for s in sequences(&tokens, 5) {
            let line = s.as_bytes();
            if let Some((m, end)) = plain_mailbox(line, &s, 0) {
                fast += 1;
                let mut c = Cursor::new(line);
                let general = parse_mailbox(&mut c).unwrap();
                c.expect(b'>', "'>'").unwrap();
                assert_eq!((m, end), (general, c.i), "{s:?}");
            }
        }
        assert!(fast > 100, "{fast}");
    }

    #[test]
    fn plain_mailbox_path_and_fallback() {
        let line = "RCPT TO:<ann.b@mail.example.org> NOTIFY=DELAY";
        assert!(plain_mailbox(line.as_bytes(), line, 9).is_some());
        let Ok(Command::Rcpt { to, .. }) = Command::parse_line(line.as_bytes()) else {
            panic!()
        };
        assert_eq!(to.to_string(), "<ann.b@mail.example.org>");
        for (line, want) in [
            (
                "RCPT TO:<\"a b\"@example.org>",
                Some("<\"a b\"@example.org>"),
            ),
            ("RCPT TO:<ann@[192.0.2.1]>", Some("<ann@[192.0.2.1]>")),
            (
                "RCPT TO:<@relay.example:ann@example.org>",
                Some("<ann@example.org>"),
            ),
            ("RCPT TO:<postmaster>", Some("<Postmaster>")),
            ("RCPT TO:<ann@example->", None),
            ("RCPT TO:<ann..b@example.org>", None),
        ] {
            assert!(
                plain_mailbox(line.as_bytes(), line, 9).is_none(),
                "{line:?}"
            );
            let got = match Command::parse_line(line.as_bytes()) {
                Ok(Command::Rcpt { to, .. }) => Some(to.to_string()),
                _ => None,
            };
            assert_eq!(got.as_deref(), want, "{line:?}");
        }
    }
}

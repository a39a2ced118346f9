//! The nouns of SMTP: commands with their parameters ([`Command`]), replies ([`Reply`]),
//! domains, mailboxes, paths, xtext, keywords, codes and reply text. Parsing and writing them
//! is in [`crate::codec`].
//!
//! Every type here checks its value when it is made, so none can hold CR, LF or another control
//! character: a command or reply built from them cannot carry a second command (no injection
//! through the client API, by construction).
//!
//! ```
//! use smtp_proto::types::{Domain, Mailbox};
//!
//! let m = Mailbox::parse("ann@example.org").unwrap();
//! assert_eq!(m.to_string(), "ann@example.org");
//! assert!(Mailbox::parse("ann@example.org\r\nRCPT TO:<x@y>").is_err());
//! assert!(Domain::new("[IPv6:2001:db8::1]").unwrap().is_literal());
//! ```

mod command;
mod reply;

pub use command::{
    AuthParam, Body, Command, DeliverBy, MailParams, Notify, Orcpt, OtherParam, RcptParams, Ret,
    Rrvs,
};
pub use reply::Reply;
pub(crate) use reply::ReplyText;

use std::borrow::Cow;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// A value a constructor refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("invalid {what}: {reason} at byte {at}")]
pub struct InvalidValue {
    /// What was being built (`domain`, `mailbox`, `keyword`...).
    pub what: &'static str,
    /// What was wrong.
    pub reason: &'static str,
    /// Where in the given value.
    pub at: usize,
}

impl InvalidValue {
    pub(crate) fn new(what: &'static str, reason: &'static str, at: usize) -> Self {
        Self { what, reason, at }
    }
}

/// Whether `c` is an ASCII control (including DEL).
fn is_ctl(c: u8) -> bool {
    c < 0x20 || c == 0x7f
}

/// Whether `b` holds a control character other than tab (a branch-free scan the compiler
/// vectorises; find the position only when this says there is one).
pub(crate) fn has_ctl(b: &[u8]) -> bool {
    b.iter().fold(false, |acc, &c| {
        acc | ((c < 0x20) & (c != b'\t')) | (c == 0x7f)
    })
}

/// RFC 5321 `atext` (RFC 5322), plus any non-ASCII byte (RFC 6531 `UTF8-non-ascii`).
pub(crate) fn is_atext(c: u8) -> bool {
    ATEXT[usize::from(c)]
}

/// [`is_atext`] as a table: one load per byte instead of a search of the specials.
pub(crate) static ATEXT: [bool; 256] = {
    let specials = b"!#$%&'*+-/=?^_`{|}~";
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        let mut special = false;
        let mut k = 0;
        while k < specials.len() {
            special |= specials[k] == b;
            k += 1;
        }
        t[c] = b.is_ascii_alphanumeric() || special || b >= 0x80;
        c += 1;
    }
    t
};

/// A domain name (`Domain` of RFC 5321, U-labels allowed under SMTPUTF8) or an address literal
/// (`[192.0.2.1]`, `[IPv6:2001:db8::1]`, `[tag:content]`).
///
/// A parsed domain borrows the input it was parsed from; [`Domain::into_owned`] makes it
/// `'static`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Domain<'a>(Cow<'a, str>);

impl Domain<'static> {
    /// Checks a domain name or an address literal, and copies it.
    pub fn new(s: &str) -> Result<Self, InvalidValue> {
        validate_domain_str(s)?;
        Ok(Self(Cow::Owned(s.to_owned())))
    }

    /// The address literal of an IP address.
    pub fn from_ip(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(v4) => Self(Cow::Owned(format!("[{v4}]"))),
            IpAddr::V6(v6) => Self(Cow::Owned(format!("[IPv6:{v6}]"))),
        }
    }
}

impl<'a> Domain<'a> {
    /// Checks a domain name or an address literal, and keeps a reference to it.
    pub fn borrowed(s: &'a str) -> Result<Self, InvalidValue> {
        validate_domain_str(s)?;
        Ok(Self(Cow::Borrowed(s)))
    }

    /// For the parser, which has checked the domain already.
    pub(crate) fn checked_ref(s: &'a str) -> Self {
        debug_assert!(validate_domain_str(s).is_ok(), "{s:?}");
        Self(Cow::Borrowed(s))
    }

    /// The same domain, owning its text.
    pub fn into_owned(self) -> Domain<'static> {
        Domain(Cow::Owned(self.0.into_owned()))
    }

    /// The domain as it appears on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is an address literal in brackets.
    pub fn is_literal(&self) -> bool {
        self.0.starts_with('[')
    }

    /// The IP address of an IPv4 or IPv6 address literal.
    pub fn ip(&self) -> Option<IpAddr> {
        let inner = self.0.strip_prefix('[')?.strip_suffix(']')?;
        if let Some(v6) = inner.strip_prefix("IPv6:") {
            return v6.parse::<Ipv6Addr>().ok().map(IpAddr::V6);
        }
        inner.parse::<Ipv4Addr>().ok().map(IpAddr::V4)
    }

    /// Whether the domain holds non-ASCII characters (needs SMTPUTF8).
    pub fn is_utf8(&self) -> bool {
        !self.0.is_ascii()
    }
}

impl fmt::Display for Domain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Checks RFC 5321 `Domain / address-literal`.
pub(crate) fn validate_domain(s: &[u8]) -> Result<(), InvalidValue> {
    match std::str::from_utf8(s) {
        Ok(s) => validate_domain_str(s),
        Err(_) if s.first() == Some(&b'[') => validate_literal(s),
        Err(_) => Err(InvalidValue::new("domain", "not UTF-8", 0)),
    }
}

/// [`validate_domain`] of a string, which spares the parser a second UTF-8 check.
pub(crate) fn validate_domain_str(s: &str) -> Result<(), InvalidValue> {
    const W: &str = "domain";
    let s = s.as_bytes();
    if s.is_empty() {
        return Err(InvalidValue::new(W, "empty", 0));
    }
    if s.first() == Some(&b'[') {
        return validate_literal(s);
    }
    if s.len() > 255 {
        return Err(InvalidValue::new(W, "longer than 255 octets", 255));
    }
    // Fast path: lowercase/uppercase letters, digits, hyphens and dots, labels not empty and
    // not starting or ending with '-'.
    if s.iter().all(|&c| DOMAIN_CHAR[usize::from(c)]) && simple_labels_ok(s) {
        return Ok(());
    }
    let mut label_start = 0;
    for (i, &c) in s.iter().enumerate() {
        match c {
            b'.' => {
                if i == label_start {
                    return Err(InvalidValue::new(W, "empty label", i));
                }
                if s.get(i - 1) == Some(&b'-') {
                    return Err(InvalidValue::new(W, "label ends with '-'", i - 1));
                }
                label_start = i + 1;
            }
            b'-' if i == label_start => {
                return Err(InvalidValue::new(W, "label starts with '-'", i))
            }
            c if c.is_ascii_alphanumeric() || c == b'-' || c >= 0x80 => {}
            _ => return Err(InvalidValue::new(W, "unexpected character", i)),
        }
    }
    if label_start == s.len() {
        return Err(InvalidValue::new(W, "empty label", s.len()));
    }
    if s.last() == Some(&b'-') {
        return Err(InvalidValue::new(W, "label ends with '-'", s.len() - 1));
    }
    Ok(())
}

/// The length of the plain domain name at the front of `b` (the fast path of
/// [`validate_domain_str`]: ASCII letters, digits, `-` and `.`, labels not empty nor starting or
/// ending with `-`, at most 255 octets) ending at `>`, a space or the end of `b`, found and
/// checked in one pass; `None` for anything else, which the general check then reads.
pub(crate) fn simple_domain_len(b: &[u8]) -> Option<usize> {
    let mut i = 0;
    loop {
        // A label: a letter or digit, then letters, digits and `-`, not ending with `-`.
        if !b.get(i).is_some_and(u8::is_ascii_alphanumeric) {
            return None;
        }
        i = ldh_run(b, i + 1);
        if b.get(i - 1) == Some(&b'-') {
            return None;
        }
        if b.get(i) != Some(&b'.') {
            break;
        }
        i += 1;
    }
    match b.get(i) {
        None | Some(b'>' | b' ') if i <= 255 => Some(i),
        _ => None,
    }
}

/// Where the run of letters, digits and `-` that starts at `i` ends.
#[inline]
pub(crate) fn ldh_run(b: &[u8], mut i: usize) -> usize {
    while let Some(&c) = b.get(i) {
        if !LDH[usize::from(c)] {
            break;
        }
        i += 1;
    }
    i
}

/// Letters, digits and `-` (the bytes of a domain label and of an `esmtp-keyword`).
static LDH: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric() || b == b'-';
        c += 1;
    }
    t
};

/// Letters, digits, `-` and `.`.
static DOMAIN_CHAR: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric() || b == b'-' || b == b'.';
        c += 1;
    }
    t
};

/// Labels of an ASCII name: none empty, none starting or ending with `-`.
fn simple_labels_ok(s: &[u8]) -> bool {
    s.split(|&c| c == b'.').all(|label| {
        !label.is_empty() && label.first() != Some(&b'-') && label.last() != Some(&b'-')
    })
}

fn validate_literal(s: &[u8]) -> Result<(), InvalidValue> {
    const W: &str = "address literal";
    let inner = s
        .strip_prefix(b"[")
        .and_then(|r| r.strip_suffix(b"]"))
        .ok_or(InvalidValue::new(W, "expected ']' at the end", s.len()))?;
    let text = std::str::from_utf8(inner).map_err(|_| InvalidValue::new(W, "not ASCII", 1))?;
    if let Some(v6) = text.strip_prefix("IPv6:") {
        return v6
            .parse::<Ipv6Addr>()
            .map(|_| ())
            .map_err(|_| InvalidValue::new(W, "invalid IPv6 address", 6));
    }
    if text.parse::<Ipv4Addr>().is_ok() {
        return Ok(());
    }
    // General-address-literal: Standardized-tag ":" 1*dcontent.
    let Some((tag, content)) = text.split_once(':') else {
        return Err(InvalidValue::new(W, "invalid IPv4 address", 1));
    };
    let tag_ok = !tag.is_empty()
        && tag.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
        && !tag.ends_with('-');
    let content_ok = !content.is_empty()
        && content
            .bytes()
            .all(|c| (33..=90).contains(&c) || (94..=126).contains(&c));
    if tag_ok && content_ok {
        Ok(())
    } else {
        Err(InvalidValue::new(W, "invalid general address literal", 1))
    }
}

/// A mailbox `local-part@domain`. The local part is kept unquoted; it is quoted on the wire when
/// it is not a dot-string.
///
/// A parsed mailbox borrows the input it was parsed from (unless its local part was quoted
/// with escapes); [`Mailbox::into_owned`] makes it `'static`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Mailbox<'a> {
    local: Cow<'a, str>,
    domain: Domain<'a>,
}

impl Mailbox<'static> {
    /// Parses the wire form `local@domain` (the local part may be a quoted string), and copies
    /// it.
    pub fn parse(s: &str) -> Result<Self, InvalidValue> {
        crate::codec::command::parse_mailbox_exact(s.as_bytes()).map(Mailbox::into_owned)
    }
}

impl<'a> Mailbox<'a> {
    /// A mailbox from an unquoted local part (printable ASCII, space, or UTF-8; no controls;
    /// copied) and a domain.
    pub fn new(local: &str, domain: Domain<'a>) -> Result<Self, InvalidValue> {
        if local.is_empty() {
            return Err(InvalidValue::new("local part", "empty", 0));
        }
        if local.len() > 255 {
            return Err(InvalidValue::new("local part", "too long", 255));
        }
        if let Some(i) = local.bytes().position(is_ctl) {
            return Err(InvalidValue::new("local part", "control character", i));
        }
        Ok(Self {
            local: Cow::Owned(local.to_owned()),
            domain,
        })
    }

    /// For the parser, which has checked the local part already (no controls, not empty).
    #[inline(always)]
    pub(crate) fn from_checked(
        local: Cow<'a, str>,
        domain: Domain<'a>,
    ) -> Result<Self, InvalidValue> {
        if local.len() > 255 {
            return Err(InvalidValue::new("local part", "too long", 255));
        }
        Ok(Self { local, domain })
    }

    /// The same mailbox, owning its text.
    pub fn into_owned(self) -> Mailbox<'static> {
        Mailbox {
            local: Cow::Owned(self.local.into_owned()),
            domain: self.domain.into_owned(),
        }
    }

    /// The local part, unquoted.
    pub fn local_part(&self) -> &str {
        &self.local
    }

    /// The domain.
    pub fn domain(&self) -> &Domain<'a> {
        &self.domain
    }

    /// Whether the address holds non-ASCII characters (needs SMTPUTF8).
    pub fn is_utf8(&self) -> bool {
        !self.local.is_ascii() || self.domain.is_utf8()
    }

    /// Whether the local part goes on the wire as a dot-string (no quotes).
    fn is_dot_string(&self) -> bool {
        let b = self.local.as_bytes();
        !b.is_empty()
            && b.first() != Some(&b'.')
            && b.last() != Some(&b'.')
            && !self.local.contains("..")
            && b.iter().all(|&c| c == b'.' || is_atext(c))
    }

    /// Appends the wire form to `out`.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        if self.is_dot_string() {
            out.extend_from_slice(self.local.as_bytes());
        } else {
            out.push(b'"');
            for &c in self.local.as_bytes() {
                if c == b'"' || c == b'\\' {
                    out.push(b'\\');
                }
                out.push(c);
            }
            out.push(b'"');
        }
        out.push(b'@');
        out.extend_from_slice(self.domain.as_str().as_bytes());
    }
}

impl fmt::Display for Mailbox<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = Vec::new();
        self.write_to(&mut out);
        f.write_str(&String::from_utf8_lossy(&out))
    }
}

/// The `MAIL FROM` path: a mailbox or the null path `<>` (bounces).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ReversePath<'a> {
    /// `<>`.
    Null,
    /// `<mailbox>`.
    Mailbox(Mailbox<'a>),
}

impl<'a> ReversePath<'a> {
    /// The same path, owning its text.
    pub fn into_owned(self) -> ReversePath<'static> {
        match self {
            Self::Null => ReversePath::Null,
            Self::Mailbox(m) => ReversePath::Mailbox(m.into_owned()),
        }
    }

    /// Appends `<...>` to `out`.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        out.push(b'<');
        if let Self::Mailbox(m) = self {
            m.write_to(out);
        }
        out.push(b'>');
    }

    /// The mailbox, unless this is the null path.
    pub fn mailbox(&self) -> Option<&Mailbox<'a>> {
        match self {
            Self::Null => None,
            Self::Mailbox(m) => Some(m),
        }
    }
}

/// The `RCPT TO` path: a mailbox, or `<Postmaster>` without a domain.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ForwardPath<'a> {
    /// `<Postmaster>` (any case), which every server must accept.
    Postmaster,
    /// `<mailbox>`.
    Mailbox(Mailbox<'a>),
}

impl<'a> ForwardPath<'a> {
    /// The same path, owning its text.
    pub fn into_owned(self) -> ForwardPath<'static> {
        match self {
            Self::Postmaster => ForwardPath::Postmaster,
            Self::Mailbox(m) => ForwardPath::Mailbox(m.into_owned()),
        }
    }

    /// Appends `<...>` to `out`.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        out.push(b'<');
        match self {
            Self::Postmaster => out.extend_from_slice(b"Postmaster"),
            Self::Mailbox(m) => m.write_to(out),
        }
        out.push(b'>');
    }

    /// The mailbox, unless this is `<Postmaster>`.
    pub fn mailbox(&self) -> Option<&Mailbox<'a>> {
        match self {
            Self::Postmaster => None,
            Self::Mailbox(m) => Some(m),
        }
    }

    /// Whether the address holds non-ASCII characters.
    pub fn is_utf8(&self) -> bool {
        self.mailbox().is_some_and(Mailbox::is_utf8)
    }
}

impl fmt::Display for ForwardPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = Vec::new();
        self.write_to(&mut out);
        f.write_str(&String::from_utf8_lossy(&out))
    }
}

/// Where the first byte of `b` is that is below `lo` (at most 128), above `~` or one of
/// `stops`, eight bytes at a time; `None` if there is none.
#[inline]
pub(crate) fn first_outside(b: &[u8], lo: u8, stops: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // The high bit of each byte equal to zero (exact for the lowest such byte: a borrow only
    // marks bytes above a marked one).
    let zero = |x: u64| x.wrapping_sub(ONES) & !x;
    let marks = |w: u64| {
        // Below `lo`, from 0x80 (the high bit itself), or DEL.
        let mut marks = (w.wrapping_sub(ONES * u64::from(lo)) & !w) | w | zero(w ^ (ONES * 0x7f));
        for &s in stops {
            marks |= zero(w ^ (ONES * u64::from(s)));
        }
        marks & HIGH
    };
    let mut words = b.chunks_exact(8);
    let mut at = 0;
    for word in &mut words {
        let m = marks(u64::from_le_bytes(word.try_into().unwrap_or_default()));
        if m != 0 {
            return Some(at + (m.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    let tail = words.remainder();
    if tail.is_empty() {
        return None;
    }
    // The tail as one more word: the last eight bytes when there are eight (those before the
    // tail hold no mark), else the tail padded with `A`, which is never a mark.
    debug_assert!(!stops.contains(&b'A'));
    let (start, w) = match b.len().checked_sub(8).and_then(|s| Some((s, b.get(s..)?))) {
        Some((s, last)) => (s, u64::from_le_bytes(last.try_into().unwrap_or_default())),
        None => {
            let mut padded = [b'A'; 8];
            for (p, &c) in padded.iter_mut().zip(tail) {
                *p = c;
            }
            (at, u64::from_le_bytes(padded))
        }
    };
    let m = marks(w);
    (m != 0).then(|| start + (m.trailing_zeros() / 8) as usize)
}

/// A value carried as RFC 3461 `xtext` (`ENVID`, `ORCPT`, `AUTH=`): kept decoded; on the wire
/// every byte outside `!`..`~`, and `+` and `=`, becomes `+HH`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct XText<'a>(Cow<'a, str>);

impl XText<'static> {
    /// A value without control characters, not empty (an empty `esmtp-value` cannot be
    /// written).
    pub fn new(s: &str) -> Result<Self, InvalidValue> {
        if s.is_empty() {
            return Err(InvalidValue::new("xtext", "empty", 0));
        }
        if let Some(i) = s.bytes().position(is_ctl) {
            return Err(InvalidValue::new("xtext", "control character", i));
        }
        Ok(Self(Cow::Owned(s.to_owned())))
    }
}

impl<'a> XText<'a> {
    /// Decodes the wire form; a value with nothing encoded borrows `wire`.
    pub fn decode(wire: &'a [u8]) -> Result<Self, InvalidValue> {
        Self::decode_in(wire, None)
    }

    /// For the parser: xtext with nothing encoded (`!` to `~` but `+` and `=`, not empty),
    /// which is its own decoded value.
    pub(crate) fn plain_ref(s: &'a str) -> Self {
        debug_assert!(!s.is_empty() && first_outside(s.as_bytes(), b'!', b"+=").is_none());
        Self(Cow::Borrowed(s))
    }

    /// The same value, owning its text.
    pub fn into_owned(self) -> XText<'static> {
        XText(Cow::Owned(self.0.into_owned()))
    }

    /// [`XText::decode`] of bytes whose string form the caller may have already (`text`, the
    /// same bytes checked as UTF-8), which spares a second check.
    pub(crate) fn decode_in(wire: &'a [u8], text: Option<&'a str>) -> Result<Self, InvalidValue> {
        const W: &str = "xtext";
        if wire.is_empty() {
            return Err(InvalidValue::new(W, "empty", 0));
        }
        // Nothing encoded (the common case): printable ASCII except '+' and '=' is the value as
        // it is, checked in one pass.
        if first_outside(wire, b'!', b"+=").is_none() {
            let text = match text {
                Some(t) if t.len() == wire.len() => t,
                _ => std::str::from_utf8(wire).map_err(|_| InvalidValue::new(W, "not ASCII", 0))?,
            };
            return Ok(Self(Cow::Borrowed(text)));
        }
        if !wire.contains(&b'+') {
            if let Some(i) = wire
                .iter()
                .position(|&c| !(33..=126).contains(&c) || c == b'=')
            {
                let reason = if wire.get(i) == Some(&b'=') {
                    "'=' must be encoded"
                } else {
                    "unexpected character"
                };
                return Err(InvalidValue::new(W, reason, i));
            }
        }
        let mut out = Vec::with_capacity(wire.len());
        let mut i = 0;
        while let Some(&c) = wire.get(i) {
            match c {
                b'+' => {
                    let hex = |k: usize| wire.get(k).and_then(|&h| (h as char).to_digit(16));
                    let upper = |k: usize| wire.get(k).is_some_and(|h| !h.is_ascii_lowercase());
                    match (hex(i + 1), hex(i + 2)) {
                        (Some(a), Some(b)) if upper(i + 1) && upper(i + 2) => {
                            out.push((a * 16 + b) as u8);
                            i += 3;
                        }
                        _ => return Err(InvalidValue::new(W, "expected two hex digits", i + 1)),
                    }
                }
                b'=' => return Err(InvalidValue::new(W, "'=' must be encoded", i)),
                33..=126 => {
                    out.push(c);
                    i += 1;
                }
                _ => return Err(InvalidValue::new(W, "unexpected character", i)),
            }
        }
        let s = String::from_utf8(out).map_err(|_| InvalidValue::new(W, "not UTF-8", 0))?;
        if let Some(i) = s.bytes().position(is_ctl) {
            return Err(InvalidValue::new(W, "control character", i));
        }
        Ok(Self(Cow::Owned(s)))
    }

    /// The decoded value.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Appends the wire form to `out`.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        for &c in self.0.as_bytes() {
            if (33..=126).contains(&c) && c != b'+' && c != b'=' {
                out.push(c);
            } else {
                out.extend_from_slice(format!("+{c:02X}").as_bytes());
            }
        }
    }
}

/// An `esmtp-keyword` (parameter name) or `ehlo-keyword`: a letter or digit, then letters,
/// digits and `-`. Compared case-insensitively; kept as sent.
#[derive(Debug, Clone, Eq)]
pub struct Keyword<'a>(Cow<'a, str>);

impl Keyword<'static> {
    /// Checks a keyword, and copies it.
    pub fn new(s: &str) -> Result<Self, InvalidValue> {
        Keyword::check(s)?;
        Ok(Self::copied(s))
    }

    /// A checked keyword as a static string if it is a common one, else copied.
    fn copied(s: &str) -> Self {
        // Keywords common enough to keep without allocating (as sent, case included).
        let common = match s {
            "rfc822" => "rfc822",
            "utf-8" => "utf-8",
            "RCPTMAX" => "RCPTMAX",
            "MAILMAX" => "MAILMAX",
            "RCPTDOMAINMAX" => "RCPTDOMAINMAX",
            "MIXER" => "MIXER",
            _ => return Self(Cow::Owned(s.to_owned())),
        };
        Self(Cow::Borrowed(common))
    }
}

impl<'a> Keyword<'a> {
    /// Checks a keyword, and keeps a reference to it.
    pub fn borrowed(s: &'a str) -> Result<Self, InvalidValue> {
        Keyword::check(s)?;
        Ok(Self(Cow::Borrowed(s)))
    }

    /// For the parser, which has checked the keyword already.
    pub(crate) fn checked_ref(s: &'a str) -> Self {
        debug_assert!(Keyword::check(s).is_ok(), "{s:?}");
        Self(Cow::Borrowed(s))
    }

    /// The same keyword, owning its text.
    pub fn into_owned(self) -> Keyword<'static> {
        match self.0 {
            Cow::Borrowed(s) => Keyword::copied(s),
            Cow::Owned(s) => Keyword(Cow::Owned(s)),
        }
    }

    /// Whether `b` is a keyword (what [`Keyword::borrowed`] accepts).
    pub(crate) fn is_keyword(b: &[u8]) -> bool {
        b.first().is_some_and(u8::is_ascii_alphanumeric)
            && b.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'-')
    }

    fn check(s: &str) -> Result<(), InvalidValue> {
        let b = s.as_bytes();
        match b.first() {
            Some(c) if c.is_ascii_alphanumeric() => {}
            _ => {
                return Err(InvalidValue::new(
                    "keyword",
                    "expected a letter or digit",
                    0,
                ))
            }
        }
        if let Some(i) = b
            .iter()
            .position(|&c| !(c.is_ascii_alphanumeric() || c == b'-'))
        {
            return Err(InvalidValue::new("keyword", "unexpected character", i));
        }
        Ok(())
    }

    /// The keyword as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl PartialEq for Keyword<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(&other.0)
    }
}

impl std::hash::Hash for Keyword<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        for b in self.0.bytes() {
            state.write_u8(b.to_ascii_uppercase());
        }
    }
}

impl fmt::Display for Keyword<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An `esmtp-value`: printable ASCII except `=` and space (UTF-8 allowed, RFC 6531), not empty.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ParamValue<'a>(Cow<'a, str>);

impl ParamValue<'static> {
    /// Checks a parameter value, and copies it.
    pub fn new(s: &str) -> Result<Self, InvalidValue> {
        ParamValue::borrowed(s).map(ParamValue::into_owned)
    }
}

impl<'a> ParamValue<'a> {
    /// Checks a parameter value, and keeps a reference to it.
    pub fn borrowed(s: &'a str) -> Result<Self, InvalidValue> {
        if s.is_empty() {
            return Err(InvalidValue::new("parameter value", "empty", 0));
        }
        if let Some(i) = s.bytes().position(|c| !ParamValue::is_value_byte(c)) {
            return Err(InvalidValue::new(
                "parameter value",
                "unexpected character",
                i,
            ));
        }
        Ok(Self(Cow::Borrowed(s)))
    }

    /// The same value, owning its text.
    pub fn into_owned(self) -> ParamValue<'static> {
        ParamValue(Cow::Owned(self.0.into_owned()))
    }

    /// Whether a byte of UTF-8 text may be in a value.
    fn is_value_byte(c: u8) -> bool {
        (33..=126).contains(&c) && c != b'=' || c >= 0x80
    }

    /// Whether the bytes of UTF-8 text are a value (what [`ParamValue::borrowed`] accepts).
    pub(crate) fn is_value(b: &[u8]) -> bool {
        !b.is_empty() && b.iter().all(|&c| ParamValue::is_value_byte(c))
    }

    /// For the parser, which has checked the value already.
    pub(crate) fn checked_ref(s: &'a str) -> Self {
        debug_assert!(ParamValue::borrowed(s).is_ok(), "{s:?}");
        Self(Cow::Borrowed(s))
    }

    /// The value.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Free text on a command or reply line: no CR, LF or other control except tab.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Text<'a>(Cow<'a, str>);

impl Text<'static> {
    /// Checks text, and copies it.
    pub fn new(s: &str) -> Result<Self, InvalidValue> {
        Text::borrowed(s).map(Text::into_owned)
    }

    /// For literals in this crate that are known to be valid.
    pub(crate) fn known(s: &str) -> Self {
        Text::known_ref(s).into_owned()
    }
}

impl<'a> Text<'a> {
    /// Checks text, and keeps a reference to it.
    pub fn borrowed(s: &'a str) -> Result<Self, InvalidValue> {
        if has_ctl(s.as_bytes()) {
            let i = s.bytes().position(|c| is_ctl(c) && c != b'\t').unwrap_or(0);
            return Err(InvalidValue::new("text", "control character", i));
        }
        Ok(Self(Cow::Borrowed(s)))
    }

    /// For text in this crate that is known to be valid, borrowed.
    pub(crate) fn known_ref(s: &'a str) -> Self {
        debug_assert!(Text::borrowed(s).is_ok(), "{s:?}");
        Self(Cow::Borrowed(s))
    }

    /// The same text, owning it.
    pub fn into_owned(self) -> Text<'static> {
        Text(Cow::Owned(self.0.into_owned()))
    }

    /// The text as it is held (borrowed or owned).
    pub(crate) fn into_cow(self) -> Cow<'a, str> {
        self.0
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether there is no text.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A three-digit reply code (RFC 5321 4.2): first digit 2-5, second 0-5, third 0-9.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReplyCode(u16);

impl ReplyCode {
    /// Checks a code.
    pub fn new(code: u16) -> Result<Self, InvalidValue> {
        let (a, b) = (code / 100, code / 10 % 10);
        if (2..=5).contains(&a) && b <= 5 {
            Ok(Self(code))
        } else {
            Err(InvalidValue::new("reply code", "expected 2-5, 0-5, 0-9", 0))
        }
    }

    /// For the crate's own literals, known to be valid.
    pub(crate) fn known(code: u16) -> Self {
        debug_assert!(Self::new(code).is_ok(), "{code}");
        Self(code)
    }

    /// The number.
    pub fn get(self) -> u16 {
        self.0
    }

    /// The first digit: 2 success, 3 intermediate, 4 transient failure, 5 permanent failure.
    pub fn class(self) -> u8 {
        (self.0 / 100) as u8
    }

    /// 2xx.
    pub fn is_positive(self) -> bool {
        self.class() == 2
    }

    /// 3xx.
    pub fn is_intermediate(self) -> bool {
        self.class() == 3
    }

    /// 4xx.
    pub fn is_transient(self) -> bool {
        self.class() == 4
    }

    /// 5xx.
    pub fn is_permanent(self) -> bool {
        self.class() == 5
    }
}

impl fmt::Display for ReplyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// An RFC 3463 enhanced status code `class.subject.detail`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EnhancedCode {
    class: u8,
    subject: u16,
    detail: u16,
}

impl EnhancedCode {
    /// Checks a code: class 2, 4 or 5, subject and detail 0-999.
    pub fn new(class: u8, subject: u16, detail: u16) -> Result<Self, InvalidValue> {
        if matches!(class, 2 | 4 | 5) && subject <= 999 && detail <= 999 {
            Ok(Self {
                class,
                subject,
                detail,
            })
        } else {
            Err(InvalidValue::new(
                "enhanced status code",
                "expected class 2, 4 or 5 and numbers up to 999",
                0,
            ))
        }
    }

    /// For the crate's own literals, known to be valid.
    pub(crate) fn known(class: u8, subject: u16, detail: u16) -> Self {
        debug_assert!(Self::new(class, subject, detail).is_ok());
        Self {
            class,
            subject,
            detail,
        }
    }

    /// The class (2, 4 or 5).
    pub fn class(self) -> u8 {
        self.class
    }

    /// The subject.
    pub fn subject(self) -> u16 {
        self.subject
    }

    /// The detail.
    pub fn detail(self) -> u16 {
        self.detail
    }
}

impl fmt::Display for EnhancedCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.class, self.subject, self.detail)
    }
}

/// A SASL mechanism name as it may appear in `AUTH` (checked: uppercase letters, digits, `-`
/// and `_`, 1 to 20 characters, RFC 4422 3.1).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AuthMechanism(mail_wire::sasl::Mechanism);

impl AuthMechanism {
    /// Checks the name of a mechanism.
    pub fn new(mechanism: mail_wire::sasl::Mechanism) -> Result<Self, InvalidValue> {
        let name = mechanism.as_str();
        let ok = (1..=20).contains(&name.len())
            && name
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_');
        if ok {
            Ok(Self(mechanism))
        } else {
            Err(InvalidValue::new(
                "SASL mechanism",
                "unexpected character",
                0,
            ))
        }
    }

    /// The mechanism.
    pub fn get(&self) -> &mail_wire::sasl::Mechanism {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::{first_outside, simple_domain_len, validate_domain_str};

    /// The word-at-a-time scan finds what a byte-by-byte reading finds, for every byte value at
    /// every position of a line of printable text and with a second such byte behind it, for
    /// the two uses (EHLO lines: space to `~`; xtext: `!` to `~` but `+` and `=`).
    #[test]
    fn first_outside_agrees_with_bytes() {
        for (lo, stops) in [(b' ', &b""[..]), (b'!', &b"+="[..])] {
            let slow = |b: &[u8]| {
                b.iter()
                    .position(|&c| c < lo || c > b'~' || stops.contains(&c))
            };
            for len in 0..20 {
                for at in 0..len {
                    for c in 0..=255u8 {
                        let mut line = vec![b'A'; len];
                        line[at] = c;
                        assert_eq!(first_outside(&line, lo, stops), slow(&line), "{line:?}");
                        for later in [0x00, 0x7f, b'+', 0xff] {
                            for k in at + 1..len {
                                let mut two = line.clone();
                                two[k] = later;
                                assert_eq!(first_outside(&two, lo, stops), slow(&two), "{two:?}");
                            }
                        }
                    }
                }
            }
        }
    }

    /// The one-pass domain scan of the parser agrees with the general check: every string of
    /// up to six bytes over letters, digits, `-`, `.`, the ends `>` and space, and a byte
    /// neither accepts as it is (`_`) is found where the general reading ends and accepted
    /// only when the general check accepts it; the general check accepts no plain name the
    /// scan refuses.
    #[test]
    fn simple_domain_len_agrees_with_validate() {
        let alphabet = b"aZ9-.> _";
        let mut s = Vec::new();
        for len in 0..=6u32 {
            for mut k in 0..alphabet.len().pow(len) {
                s.clear();
                for _ in 0..len {
                    s.push(alphabet[k % alphabet.len()]);
                    k /= alphabet.len();
                }
                let end = s
                    .iter()
                    .position(|&c| c == b'>' || c == b' ')
                    .unwrap_or(s.len());
                let name = std::str::from_utf8(&s[..end]).unwrap();
                let plain = !name.contains('_');
                let valid = validate_domain_str(name).is_ok();
                match simple_domain_len(&s) {
                    Some(n) => assert!(n == end && valid, "{s:?}"),
                    None => assert!(!(plain && valid), "{s:?}"),
                }
            }
        }
    }
}

//! The EHLO reply as typed capabilities (RFC 5321 4.1.1.1 and the extension RFCs). A keyword
//! this crate does not know, or a known one with parameters it cannot read, is kept verbatim as
//! [`Capability::Other`].
//!
//! ```
//! use smtp_proto::codec::ehlo::{Capability, EhloReply};
//! use smtp_proto::codec::reply::parse_reply;
//!
//! let wire = b"250-mx.example.org greets you\r\n250-SIZE 35882577\r\n250-AUTH PLAIN LOGIN\r\n250-X-FOO bar\r\n250 PIPELINING\r\n";
//! let (reply, _) = parse_reply(wire).unwrap().complete().unwrap();
//! let ehlo = EhloReply::from_reply(&reply);
//! assert_eq!(ehlo.size(), Some(35882577));
//! assert!(ehlo.has(&Capability::Pipelining));
//! assert_eq!(ehlo.auth_mechanisms().len(), 2);
//! assert_eq!(ehlo.to_reply().to_bytes(), wire);
//! ```

use mail_wire::sasl::Mechanism;

use mail_wire::Status;

use super::reply::{parse_reply, Reply, ReplyLimits};
use super::ParseError;
use crate::types::{first_outside, Keyword, ParamValue, ReplyCode, Text};

/// One line of an EHLO reply after the greeting. A parsed capability borrows the reply it was
/// read from; [`Capability::into_owned`] makes it `'static`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Capability<'a> {
    /// `SIZE [n]` (RFC 1870): the largest message, `None` or 0 for no fixed limit.
    Size(Option<u64>),
    /// `AUTH mech...` (RFC 4954).
    Auth(Vec<Mechanism>),
    /// `PIPELINING` (RFC 2920).
    Pipelining,
    /// `CHUNKING` (RFC 3030).
    Chunking,
    /// `8BITMIME` (RFC 6152).
    EightBitMime,
    /// `BINARYMIME` (RFC 3030).
    BinaryMime,
    /// `SMTPUTF8` (RFC 6531).
    SmtpUtf8,
    /// `DSN` (RFC 3461).
    Dsn,
    /// `ENHANCEDSTATUSCODES` (RFC 2034).
    EnhancedStatusCodes,
    /// `STARTTLS` (RFC 3207).
    StartTls,
    /// `REQUIRETLS` (RFC 8689).
    RequireTls,
    /// `LIMITS name=value...` (RFC 9422), for example `RCPTMAX=100`.
    Limits(Vec<(Keyword<'a>, u64)>),
    /// `MT-PRIORITY [policy]` (RFC 6710).
    MtPriority(Option<Keyword<'a>>),
    /// `FUTURERELEASE interval date-time` (RFC 4865).
    FutureRelease {
        /// Longest hold in seconds.
        max_interval: u64,
        /// Latest release time, as sent.
        max_datetime: ParamValue<'a>,
    },
    /// `DELIVERBY [min-by-time]` (RFC 2852).
    DeliverBy(Option<u64>),
    /// `RRVS` (RFC 7293).
    Rrvs,
    /// `VRFY`.
    Vrfy,
    /// `HELP`.
    Help,
    /// Anything else, kept as sent.
    Other {
        /// The first word of the line.
        keyword: Text<'a>,
        /// The rest of the line after one space, if any.
        params: Option<Text<'a>>,
    },
}

/// The keyword and its fixed spelling for the parameterless capabilities.
const FLAGS: &[(&str, Capability<'static>)] = &[
    ("PIPELINING", Capability::Pipelining),
    ("CHUNKING", Capability::Chunking),
    ("8BITMIME", Capability::EightBitMime),
    ("BINARYMIME", Capability::BinaryMime),
    ("SMTPUTF8", Capability::SmtpUtf8),
    ("DSN", Capability::Dsn),
    ("ENHANCEDSTATUSCODES", Capability::EnhancedStatusCodes),
    ("STARTTLS", Capability::StartTls),
    ("REQUIRETLS", Capability::RequireTls),
    ("RRVS", Capability::Rrvs),
    ("VRFY", Capability::Vrfy),
    ("HELP", Capability::Help),
];

fn number(s: &[u8]) -> Option<u64> {
    if s.is_empty() || s.len() > 20 {
        return None;
    }
    s.iter().try_fold(0u64, |n, &d| {
        if !d.is_ascii_digit() {
            return None;
        }
        n.checked_mul(10)?.checked_add(u64::from(d - b'0'))
    })
}

/// A SASL mechanism name from an AUTH line; the common ones without allocating.
fn mechanism(name: &[u8]) -> Option<Mechanism> {
    if let Some(key) = upper_key(name) {
        let known = match key {
            PLAIN => Some(Mechanism::Plain),
            LOGIN => Some(Mechanism::Login),
            XOAUTH2 => Some(Mechanism::XOAuth2),
            OAUTHBEARER => Some(Mechanism::OAuthBearer),
            CRAM_MD5 => Some(Mechanism::CramMd5),
            SCRAM_SHA_1 => Some(Mechanism::ScramSha1),
            SCRAM_SHA_256 => Some(Mechanism::ScramSha256),
            EXTERNAL => Some(Mechanism::External),
            _ => None,
        };
        if known.is_some() {
            return known;
        }
    }
    let m = Mechanism::from_bytes(name).ok()?;
    crate::types::AuthMechanism::new(m.clone()).ok()?;
    Some(m)
}

/// `s` split at the first `sep` (ASCII) into what comes before and, if `sep` is there, what
/// comes after; a plain loop, as the pieces are short.
fn split_at_byte(s: &str, sep: u8) -> (&str, Option<&str>) {
    match s.bytes().position(|b| b == sep) {
        Some(k) => (s.get(..k).unwrap_or_default(), s.get(k + 1..)),
        None => (s, None),
    }
}

/// A word of up to 16 bytes as one number (little-endian, zero-padded): words compare as
/// numbers, in one instruction or two, and a `match` on them is a search over integers.
const fn key(word: &[u8]) -> u128 {
    let mut bytes = [0u8; 16];
    let mut i = 0;
    while i < word.len() && i < 16 {
        bytes[i] = word[i];
        i += 1;
    }
    u128::from_le_bytes(bytes)
}

/// [`key`] of a word upper-cased (words of the wire are printable, so never hold the zero
/// padding); `None` if longer than 16 bytes.
fn upper_key(word: &[u8]) -> Option<u128> {
    if word.len() > 16 {
        return None;
    }
    // Built in a register: bytes stored one by one and read back as a number would stall the
    // load until the stores are done (no store-to-load forwarding from narrow to wide).
    let mut key = 0u128;
    for (i, &c) in word.iter().enumerate() {
        key |= u128::from(c.to_ascii_uppercase()) << (8 * i);
    }
    Some(key)
}

/// [`upper_key`] of the first `len` bytes of `first` (16 bytes), read as one number and
/// upper-cased in it (no byte-by-byte loop, no stores read back); `None` if `len` is over 16.
fn first_key(first: &[u8], len: usize) -> Option<u128> {
    const ONES: u128 = u128::MAX / 255;
    const HIGH: u128 = ONES * 0x80;
    let bytes: [u8; 16] = first.try_into().ok()?;
    let x = match len {
        16 => u128::from_le_bytes(bytes),
        0..=15 => u128::from_le_bytes(bytes) & ((1u128 << (8 * len)) - 1),
        _ => return None,
    };
    // Per byte, with the high bit forced on so that no subtraction borrows from the next:
    // at least 'a', above 'z'; a byte that had its high bit is no letter.
    let from_a = (x | HIGH).wrapping_sub(ONES * u128::from(b'a'));
    let past_z = (x | HIGH).wrapping_sub(ONES * u128::from(b'z' + 1));
    let lower = from_a & !past_z & !x & HIGH;
    Some(x - (lower >> 2))
}

const PIPELINING: u128 = key(b"PIPELINING");
const CHUNKING: u128 = key(b"CHUNKING");
const EIGHTBITMIME: u128 = key(b"8BITMIME");
const BINARYMIME: u128 = key(b"BINARYMIME");
const SMTPUTF8: u128 = key(b"SMTPUTF8");
const DSN: u128 = key(b"DSN");
const STARTTLS: u128 = key(b"STARTTLS");
const REQUIRETLS: u128 = key(b"REQUIRETLS");
const RRVS: u128 = key(b"RRVS");
const VRFY: u128 = key(b"VRFY");
const HELP: u128 = key(b"HELP");
const SIZE: u128 = key(b"SIZE");
const AUTH: u128 = key(b"AUTH");
const LIMITS: u128 = key(b"LIMITS");
const MT_PRIORITY: u128 = key(b"MT-PRIORITY");
const FUTURERELEASE: u128 = key(b"FUTURERELEASE");
const DELIVERBY: u128 = key(b"DELIVERBY");
const PLAIN: u128 = key(b"PLAIN");
const LOGIN: u128 = key(b"LOGIN");
const XOAUTH2: u128 = key(b"XOAUTH2");
const OAUTHBEARER: u128 = key(b"OAUTHBEARER");
const CRAM_MD5: u128 = key(b"CRAM-MD5");
const SCRAM_SHA_1: u128 = key(b"SCRAM-SHA-1");
const SCRAM_SHA_256: u128 = key(b"SCRAM-SHA-256");
const EXTERNAL: u128 = key(b"EXTERNAL");

impl<'a> Capability<'a> {
    /// Reads one EHLO line (after the code); the capability borrows `line`.
    pub fn parse(line: &'a Text<'_>) -> Self {
        Self::parse_str(line.as_str())
    }

    /// [`Capability::parse`] of a line known to hold no control character.
    fn parse_str(s: &'a str) -> Self {
        Self::parse_split(s, memchr::memchr(b' ', s.as_bytes()), s.as_bytes())
    }

    /// [`Capability::parse_str`] of a line whose first space (if any) is at `space`; `ahead`
    /// holds the line's bytes and maybe more after them (16 or more spare reading the keyword
    /// byte by byte).
    fn parse_split(s: &'a str, space: Option<usize>, ahead: &[u8]) -> Self {
        let (kw, rest) = match space.and_then(|i| Some((s.get(..i)?, s.get(i + 1..)?))) {
            Some((kw, rest)) => (kw, Some(rest)),
            None => (s, None),
        };
        let key = match ahead.get(..16) {
            Some(first) => first_key(first, kw.len()),
            None => upper_key(kw.as_bytes()),
        };
        Self::typed(key, kw.as_bytes(), rest).unwrap_or_else(|| Self::Other {
            keyword: Text::known_ref(kw),
            params: rest.map(Text::known_ref),
        })
    }

    /// The same capability, owning its text.
    pub fn into_owned(self) -> Capability<'static> {
        match self {
            Self::Size(n) => Capability::Size(n),
            Self::Auth(m) => Capability::Auth(m),
            Self::Pipelining => Capability::Pipelining,
            Self::Chunking => Capability::Chunking,
            Self::EightBitMime => Capability::EightBitMime,
            Self::BinaryMime => Capability::BinaryMime,
            Self::SmtpUtf8 => Capability::SmtpUtf8,
            Self::Dsn => Capability::Dsn,
            Self::EnhancedStatusCodes => Capability::EnhancedStatusCodes,
            Self::StartTls => Capability::StartTls,
            Self::RequireTls => Capability::RequireTls,
            Self::Limits(v) => {
                Capability::Limits(v.into_iter().map(|(k, n)| (k.into_owned(), n)).collect())
            }
            Self::MtPriority(k) => Capability::MtPriority(k.map(Keyword::into_owned)),
            Self::FutureRelease {
                max_interval,
                max_datetime,
            } => Capability::FutureRelease {
                max_interval,
                max_datetime: max_datetime.into_owned(),
            },
            Self::DeliverBy(n) => Capability::DeliverBy(n),
            Self::Rrvs => Capability::Rrvs,
            Self::Vrfy => Capability::Vrfy,
            Self::Help => Capability::Help,
            Self::Other { keyword, params } => Capability::Other {
                keyword: keyword.into_owned(),
                params: params.map(Text::into_owned),
            },
        }
    }

    /// The typed capability of keyword `kw` with parameters `rest` (of a line known to hold no
    /// controls), or `None` for [`Capability::Other`].
    #[inline]
    fn typed(key: Option<u128>, kw: &[u8], rest: Option<&'a str>) -> Option<Self> {
        // The one keyword longer than 16 bytes.
        if kw.len() == 19 {
            return (kw.eq_ignore_ascii_case(b"ENHANCEDSTATUSCODES") && rest.is_none())
                .then_some(Self::EnhancedStatusCodes);
        }
        let flag = match key? {
            PIPELINING => Self::Pipelining,
            CHUNKING => Self::Chunking,
            EIGHTBITMIME => Self::EightBitMime,
            BINARYMIME => Self::BinaryMime,
            SMTPUTF8 => Self::SmtpUtf8,
            DSN => Self::Dsn,
            STARTTLS => Self::StartTls,
            REQUIRETLS => Self::RequireTls,
            RRVS => Self::Rrvs,
            VRFY => Self::Vrfy,
            HELP => Self::Help,
            SIZE => {
                return match rest {
                    None => Some(Self::Size(None)),
                    Some(r) => number(r.as_bytes()).map(|n| Self::Size(Some(n))),
                }
            }
            AUTH => {
                // Most servers offer a handful of mechanisms.
                let mut mechs = Vec::with_capacity(6);
                for name in rest?.as_bytes().split(|&b| b == b' ') {
                    mechs.push(mechanism(name)?);
                }
                return Some(Self::Auth(mechs));
            }
            LIMITS => {
                let mut v = Vec::with_capacity(3);
                let mut rest = rest?;
                loop {
                    let (pair, more) = split_at_byte(rest, b' ');
                    let (name, n) = split_at_byte(pair, b'=');
                    v.push((Keyword::borrowed(name).ok()?, number(n?.as_bytes())?));
                    match more {
                        Some(more) => rest = more,
                        None => break,
                    }
                }
                return Some(Self::Limits(v));
            }
            MT_PRIORITY => {
                return match rest {
                    None => Some(Self::MtPriority(None)),
                    Some(r) => Keyword::borrowed(r).ok().map(|k| Self::MtPriority(Some(k))),
                }
            }
            FUTURERELEASE => {
                let (interval, date) = split_at_byte(rest?, b' ');
                let date = date?;
                return Some(Self::FutureRelease {
                    max_interval: number(interval.as_bytes())?,
                    max_datetime: ParamValue::borrowed(date).ok()?,
                });
            }
            DELIVERBY => {
                return match rest {
                    None => Some(Self::DeliverBy(None)),
                    Some(r) => number(r.as_bytes()).map(|n| Self::DeliverBy(Some(n))),
                }
            }
            _ => return None,
        };
        rest.is_none().then_some(flag)
    }

    /// The line as it goes on the wire (after the code).
    pub fn to_line(&self) -> String {
        for (name, cap) in FLAGS {
            if cap == self {
                return (*name).to_owned();
            }
        }
        match self {
            Self::Size(None) => "SIZE".into(),
            Self::Size(Some(n)) => format!("SIZE {n}"),
            Self::Auth(m) => {
                let names: Vec<&str> = m.iter().map(Mechanism::as_str).collect();
                format!("AUTH {}", names.join(" "))
            }
            Self::Limits(v) => {
                let pairs: Vec<String> = v.iter().map(|(k, n)| format!("{k}={n}")).collect();
                format!("LIMITS {}", pairs.join(" "))
            }
            Self::MtPriority(None) => "MT-PRIORITY".into(),
            Self::MtPriority(Some(k)) => format!("MT-PRIORITY {k}"),
            Self::FutureRelease {
                max_interval,
                max_datetime,
            } => format!("FUTURERELEASE {max_interval} {}", max_datetime.as_str()),
            Self::DeliverBy(None) => "DELIVERBY".into(),
            Self::DeliverBy(Some(n)) => format!("DELIVERBY {n}"),
            Self::Other { keyword, params } => match params {
                Some(p) => format!("{keyword} {p}"),
                None => keyword.to_string(),
            },
            _ => String::new(),
        }
    }
}

/// An EHLO reply: the greeting line and the capabilities. A parsed reply borrows the bytes (or
/// the [`Reply`]) it was read from; [`EhloReply::into_owned`] makes it `'static`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EhloReply<'a> {
    /// The first line: the server's domain and an optional greeting.
    pub greeting: Text<'a>,
    /// The capabilities, in order.
    pub capabilities: Vec<Capability<'a>>,
}

impl<'a> EhloReply<'a> {
    /// Parses a positive (`250`) EHLO reply at the front of `buf` straight into capabilities,
    /// in one pass over the bytes: `Complete(reply, consumed)`, or `Incomplete` until the last
    /// line has arrived. It accepts and refuses what [`parse_reply`] does (same limits), and
    /// gives what [`EhloReply::from_reply`] gives; a reply with another code is an error (read
    /// refusals with [`parse_reply`]).
    ///
    /// [`parse_reply`]: super::reply::parse_reply
    ///
    /// A reply in the common shape borrows `buf`; one the general parser reads (see below) is
    /// owned.
    pub fn parse(buf: &'a [u8]) -> Result<Status<Self>, ParseError> {
        match Self::parse_plain(buf) {
            Some((ehlo, used)) => Ok(Status::Complete(ehlo, used)),
            // Anything unusual (incomplete, an error, an enhanced code, a tab, UTF-8, a line
            // holding only the code) takes the general reply parser.
            None => match parse_reply(buf)? {
                Status::Incomplete => Ok(Status::Incomplete),
                Status::Complete(reply, _) if reply.code().get() != 250 => {
                    Err(ParseError::expected("reply code 250", 0))
                }
                Status::Complete(reply, used) => Ok(Status::Complete(
                    EhloReply::from_reply(&reply).into_owned(),
                    used,
                )),
            },
        }
    }

    /// [`EhloReply::parse`] of the common shape: complete, every line `250-` or `250 ` and
    /// printable ASCII, no enhanced code, within the default [`ReplyLimits`]. `None` otherwise.
    fn parse_plain(buf: &'a [u8]) -> Option<(Self, usize)> {
        let limits = ReplyLimits::default();
        // The bytes as a string, checked as UTF-8 once (not line by line): the longest valid
        // prefix of as much as a reply within the limits can take. The lines are then checked
        // to be printable ASCII, which a string slice of them needs no second check for.
        let most = buf
            .get(..limits.max_line.saturating_mul(limits.max_lines))
            .unwrap_or(buf);
        let text = match std::str::from_utf8(most) {
            Ok(t) => t,
            Err(e) => std::str::from_utf8(most.get(..e.valid_up_to())?).ok()?,
        };
        let bytes = text.as_bytes();
        let mut pos = 0;
        let mut greeting = None;
        // Large providers announce 15 to 25 capabilities.
        let mut capabilities = Vec::with_capacity(32);
        loop {
            if bytes.get(pos..pos + 3) != Some(b"250") {
                return None;
            }
            let last = match bytes.get(pos + 3)? {
                b' ' => true,
                b'-' => false,
                _ => return None,
            };
            let start = pos + 4;
            // The line: printable ASCII and spaces up to CR LF.
            let rest = bytes.get(start..)?;
            let len = first_outside(rest, b' ', b"")?;
            let line_bytes = rest.get(..len)?;
            let i = start + len;
            if bytes.get(i..i + 2) != Some(b"\r\n") || i + 2 - pos > limits.max_line {
                return None;
            }
            let line = text.get(start..i)?;
            match greeting {
                None => {
                    // A digit may start an enhanced code, which the general parser strips.
                    if line_bytes.first().is_some_and(u8::is_ascii_digit) {
                        return None;
                    }
                    greeting = Some(Text::known_ref(line));
                }
                Some(_) => {
                    let space = line_bytes.iter().position(|&c| c == b' ');
                    capabilities.push(Capability::parse_split(line, space, rest));
                }
            }
            pos = i + 2;
            if last {
                let greeting = greeting?;
                return Some((
                    Self {
                        greeting,
                        capabilities,
                    },
                    pos,
                ));
            }
            if capabilities.len() + 1 >= limits.max_lines {
                return None;
            }
        }
    }

    /// Reads a positive EHLO reply; the result borrows `reply`.
    pub fn from_reply(reply: &'a Reply) -> Self {
        // A reply's lines hold no control characters.
        let mut lines = reply.lines();
        let greeting = Text::known_ref(lines.next().unwrap_or_default());
        let mut capabilities = Vec::with_capacity(reply.line_count().saturating_sub(1));
        capabilities.extend(lines.map(Capability::parse_str));
        Self {
            greeting,
            capabilities,
        }
    }

    /// The same reply, owning its text, to keep past the bytes it was parsed from.
    pub fn into_owned(self) -> EhloReply<'static> {
        EhloReply {
            greeting: self.greeting.into_owned(),
            capabilities: self
                .capabilities
                .into_iter()
                .map(Capability::into_owned)
                .collect(),
        }
    }

    /// The `250` reply (no enhanced code: RFC 2034 does not put one on EHLO).
    pub fn to_reply(&self) -> Reply {
        let mut lines = vec![self.greeting.clone()];
        for c in &self.capabilities {
            lines.push(Text::known(&c.to_line()));
        }
        Reply::from_parts(ReplyCode::known(250), None, &lines)
    }

    /// Whether a capability is announced (parameters must match too).
    pub fn has(&self, cap: &Capability<'_>) -> bool {
        self.capabilities.contains(cap)
    }

    /// The `SIZE` limit (`Some(0)` means announced without a fixed limit).
    pub fn size(&self) -> Option<u64> {
        self.capabilities.iter().find_map(|c| match c {
            Capability::Size(n) => Some(n.unwrap_or(0)),
            _ => None,
        })
    }

    /// The SASL mechanisms of `AUTH`.
    pub fn auth_mechanisms(&self) -> &[Mechanism] {
        self.capabilities
            .iter()
            .find_map(|c| match c {
                Capability::Auth(m) => Some(m.as_slice()),
                _ => None,
            })
            .unwrap_or_default()
    }

    /// The value of a `LIMITS` entry (`RCPTMAX`, `MAILMAX`, `RCPTDOMAINMAX`).
    pub fn limit(&self, name: &str) -> Option<u64> {
        self.capabilities.iter().find_map(|c| match c {
            Capability::Limits(v) => v
                .iter()
                .find(|(k, _)| k.as_str().eq_ignore_ascii_case(name))
                .map(|(_, n)| *n),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{first_key, upper_key};

    /// The key read as one number from a 16-byte window equals the key built byte by byte, for
    /// every byte value at every position of a keyword of every length, with other bytes
    /// after it in the window.
    #[test]
    fn first_key_agrees_with_upper_key() {
        let base = b"aZ-9mT@[`{zA~0Qq";
        for len in 0..=16 {
            for at in 0..16 {
                for c in 0..=255u8 {
                    let mut window = *base;
                    window[at] = c;
                    let word = &window[..len];
                    assert_eq!(first_key(&window, len), upper_key(word), "{window:?} {len}");
                }
            }
        }
        assert_eq!(first_key(base, 17), None);
    }
}

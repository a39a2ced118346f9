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
use crate::types::{first_outside, InvalidValue, Keyword, ParamValue, ReplyCode, Text};

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
    Other(OtherCapability<'a>),
}

/// A capability this crate does not type (or a known keyword with parameters it cannot read),
/// kept as sent: the keyword, then after one space its parameters. It holds the line as one
/// string, so a [`Capability`] stays small (a reply's capabilities are one compact vector).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherCapability<'a> {
    /// The line after the code; the keyword ends at the first space.
    line: Text<'a>,
}

impl OtherCapability<'static> {
    /// A capability from its keyword (no space) and parameters, to announce.
    pub fn new(keyword: &str, params: Option<&str>) -> Result<Self, InvalidValue> {
        if let Some(i) = keyword.bytes().position(|c| c == b' ') {
            return Err(InvalidValue::new("capability keyword", "space", i));
        }
        let line = match params {
            Some(p) => Text::new(&format!("{keyword} {p}"))?,
            None => Text::new(keyword)?,
        };
        Ok(Self { line })
    }
}

impl<'a> OtherCapability<'a> {
    /// The first word of the line.
    pub fn keyword(&self) -> &str {
        split_at_byte(self.line.as_str(), b' ').0
    }

    /// The rest of the line after the first space, if there is a space.
    pub fn params(&self) -> Option<&str> {
        split_at_byte(self.line.as_str(), b' ').1
    }

    /// The whole line as sent (after the code).
    pub fn as_str(&self) -> &str {
        self.line.as_str()
    }

    /// The same capability, owning its text.
    pub fn into_owned(self) -> OtherCapability<'static> {
        OtherCapability {
            line: self.line.into_owned(),
        }
    }
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
    match s.len() {
        // Up to 19 digits cannot overflow: no check per digit, one for all.
        1..=19 => {
            let mut n = 0u64;
            let mut digits = true;
            for &d in s {
                let v = d.wrapping_sub(b'0');
                digits &= v < 10;
                n = n.wrapping_mul(10).wrapping_add(u64::from(v));
            }
            digits.then_some(n)
        }
        20 => s.iter().try_fold(0u64, |n, &d| {
            if !d.is_ascii_digit() {
                return None;
            }
            n.checked_mul(10)?.checked_add(u64::from(d - b'0'))
        }),
        _ => None,
    }
}

/// A SASL mechanism name from an AUTH line; the common ones without allocating. `ahead`
/// starts with the name and may go on past it (see [`folded`]).
fn mechanism(name: &[u8], ahead: &[u8]) -> Option<Mechanism> {
    let w = folded(ahead, name);
    let known = match name.len() {
        5 if PLAIN.is(w) => Some(Mechanism::Plain),
        5 if LOGIN.is(w) => Some(Mechanism::Login),
        7 if XOAUTH2.is(w) => Some(Mechanism::XOAuth2),
        8 if CRAM_MD5.is(w) => Some(Mechanism::CramMd5),
        8 if EXTERNAL.is(w) => Some(Mechanism::External),
        11 if OAUTHBEARER.is(w) => Some(Mechanism::OAuthBearer),
        11 if SCRAM_SHA_1.is(w) => Some(Mechanism::ScramSha1),
        13 if SCRAM_SHA_256.is(w) => Some(Mechanism::ScramSha256),
        _ => None,
    };
    if known.is_some() {
        return known;
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

/// A keyword of up to 16 letters, digits and `-`, as the two 8-byte halves of its bytes with
/// bit 5 set (lower case for letters; digits and `-` have it already), and masks of its length.
/// A word of the wire is compared as two numbers: setting bit 5 of its bytes folds upper to
/// lower case, and of bytes without controls only the letters of either case fold onto a
/// letter, only digits onto digits and only `-` onto `-`; so the comparison is exact.
#[derive(Clone, Copy)]
struct Word {
    lo: u64,
    hi: u64,
    mask_lo: u64,
    mask_hi: u64,
}

impl Word {
    const fn new(word: &[u8]) -> Self {
        assert!(!word.is_empty() && word.len() <= 16);
        let mut bytes = [0u8; 16];
        let mut mask = [0u8; 16];
        let mut i = 0;
        while i < word.len() {
            let c = word[i];
            assert!(c.is_ascii_alphanumeric() || c == b'-');
            bytes[i] = c | 0x20;
            mask[i] = 0xff;
            i += 1;
        }
        let (lo, hi) = Self::halves(bytes);
        let (mask_lo, mask_hi) = Self::halves(mask);
        Self {
            lo,
            hi,
            mask_lo,
            mask_hi,
        }
    }

    const fn halves(b: [u8; 16]) -> (u64, u64) {
        let [a0, a1, a2, a3, a4, a5, a6, a7, b0, b1, b2, b3, b4, b5, b6, b7] = b;
        (
            u64::from_le_bytes([a0, a1, a2, a3, a4, a5, a6, a7]),
            u64::from_le_bytes([b0, b1, b2, b3, b4, b5, b6, b7]),
        )
    }

    /// Whether the [`folded`] window `w` starts with this word (the caller has checked that
    /// the word of the window has this word's length).
    #[inline(always)]
    fn is(self, (lo, hi): (u64, u64)) -> bool {
        (lo & self.mask_lo) == self.lo && (hi & self.mask_hi) == self.hi
    }
}

/// The first 16 bytes of `ahead` (which starts with `word`) with bit 5 of every byte set, as
/// two numbers; `word` zero-padded if `ahead` is shorter (a word over 16 bytes matches no
/// [`Word`]).
#[inline(always)]
fn folded(ahead: &[u8], word: &[u8]) -> (u64, u64) {
    const FOLD: u64 = u64::from_le_bytes([0x20; 8]);
    let half = |b: &[u8]| u64::from_le_bytes(b.try_into().unwrap_or_default()) | FOLD;
    match (ahead.get(..8), ahead.get(8..16)) {
        (Some(lo), Some(hi)) => (half(lo), half(hi)),
        _ => {
            let mut w = [0u8; 16];
            if let Some(dst) = w.get_mut(..word.len()) {
                dst.copy_from_slice(word);
            }
            let (lo, hi) = w.split_at(8);
            (half(lo), half(hi))
        }
    }
}

/// The length of the word at the start of `ahead` (up to the first byte below `!`: a space,
/// a tab, the CR of the line end, or the end of `word`, which `ahead` starts with): found in its
/// first 16 bytes eight at a time, else byte by byte in `word`.
#[inline]
fn word_len(ahead: &[u8], word: &[u8]) -> usize {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH: u64 = ONES * 0x80;
    // The high bit of each byte below `!` (exact for the lowest such byte).
    let below = |b: &[u8]| {
        let x = u64::from_le_bytes(b.try_into().unwrap_or_default());
        x.wrapping_sub(ONES * 0x21) & !x & HIGH
    };
    if let (Some(lo), Some(hi)) = (ahead.get(..8), ahead.get(8..16)) {
        let lo = below(lo);
        if lo != 0 {
            return ((lo.trailing_zeros() / 8) as usize).min(word.len());
        }
        let hi = below(hi);
        if hi != 0 {
            return (8 + (hi.trailing_zeros() / 8) as usize).min(word.len());
        }
    }
    word.iter().position(|&c| c < b'!').unwrap_or(word.len())
}

const PIPELINING: Word = Word::new(b"PIPELINING");
const CHUNKING: Word = Word::new(b"CHUNKING");
const EIGHTBITMIME: Word = Word::new(b"8BITMIME");
const BINARYMIME: Word = Word::new(b"BINARYMIME");
const SMTPUTF8: Word = Word::new(b"SMTPUTF8");
const DSN: Word = Word::new(b"DSN");
const ENHANCEDSTATUSCO: Word = Word::new(b"ENHANCEDSTATUSCO");
const STARTTLS: Word = Word::new(b"STARTTLS");
const REQUIRETLS: Word = Word::new(b"REQUIRETLS");
const RRVS: Word = Word::new(b"RRVS");
const VRFY: Word = Word::new(b"VRFY");
const HELP: Word = Word::new(b"HELP");
const SIZE: Word = Word::new(b"SIZE");
const AUTH: Word = Word::new(b"AUTH");
const LIMITS: Word = Word::new(b"LIMITS");
const MT_PRIORITY: Word = Word::new(b"MT-PRIORITY");
const FUTURERELEASE: Word = Word::new(b"FUTURERELEASE");
const DELIVERBY: Word = Word::new(b"DELIVERBY");
const PLAIN: Word = Word::new(b"PLAIN");
const LOGIN: Word = Word::new(b"LOGIN");
const XOAUTH2: Word = Word::new(b"XOAUTH2");
const OAUTHBEARER: Word = Word::new(b"OAUTHBEARER");
const CRAM_MD5: Word = Word::new(b"CRAM-MD5");
const SCRAM_SHA_1: Word = Word::new(b"SCRAM-SHA-1");
const SCRAM_SHA_256: Word = Word::new(b"SCRAM-SHA-256");
const EXTERNAL: Word = Word::new(b"EXTERNAL");

impl<'a> Capability<'a> {
    /// Reads one EHLO line (after the code); the capability borrows `line`.
    pub fn parse(line: &'a Text<'_>) -> Self {
        Self::parse_str(line.as_str())
    }

    /// [`Capability::parse`] of a line known to hold no control character.
    fn parse_str(s: &'a str) -> Self {
        let kw_len = memchr::memchr(b' ', s.as_bytes()).unwrap_or(s.len());
        Self::parse_line(s, kw_len, s.as_bytes())
    }

    /// The capability of `line` (text without controls) whose keyword is its first `kw_len`
    /// bytes (up to the first space or the end); `ahead` starts with the line and may hold
    /// more bytes after it.
    #[inline]
    fn parse_line(line: &'a str, kw_len: usize, ahead: &[u8]) -> Self {
        let kw = line.as_bytes().get(..kw_len).unwrap_or_default();
        let w = folded(ahead, kw);
        let typed = match line.get(kw_len + 1..) {
            None => Self::flag(kw, w),
            Some(params) => {
                Self::with_params(kw, w, params, ahead.get(kw_len + 1..).unwrap_or_default())
            }
        };
        match typed {
            Some(c) => c,
            None => Self::other(line),
        }
    }

    /// [`Capability::Other`] of a line of text.
    fn other(line: &'a str) -> Self {
        Self::Other(OtherCapability {
            line: Text::known_ref(line),
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
            Self::Other(o) => Capability::Other(o.into_owned()),
        }
    }

    /// The typed capability of a line that is only the keyword `kw`, whose [`folded`] window
    /// is `w`, or `None` for [`Capability::Other`].
    #[inline(always)]
    fn flag(kw: &[u8], w: (u64, u64)) -> Option<Self> {
        Some(match kw.len() {
            3 if DSN.is(w) => Self::Dsn,
            4 if SIZE.is(w) => Self::Size(None),
            4 if RRVS.is(w) => Self::Rrvs,
            4 if VRFY.is(w) => Self::Vrfy,
            4 if HELP.is(w) => Self::Help,
            8 if CHUNKING.is(w) => Self::Chunking,
            8 if EIGHTBITMIME.is(w) => Self::EightBitMime,
            8 if SMTPUTF8.is(w) => Self::SmtpUtf8,
            8 if STARTTLS.is(w) => Self::StartTls,
            9 if DELIVERBY.is(w) => Self::DeliverBy(None),
            10 if PIPELINING.is(w) => Self::Pipelining,
            10 if BINARYMIME.is(w) => Self::BinaryMime,
            10 if REQUIRETLS.is(w) => Self::RequireTls,
            11 if MT_PRIORITY.is(w) => Self::MtPriority(None),
            // The one keyword over 16 bytes: its first 16, then the last three folded alike.
            19 if ENHANCEDSTATUSCO.is(w)
                && matches!(kw.get(16..), Some([d, e, s])
                    if d | 0x20 == b'd' && e | 0x20 == b'e' && s | 0x20 == b's') =>
            {
                Self::EnhancedStatusCodes
            }
            _ => return None,
        })
    }

    /// The typed capability of keyword `kw` (whose [`folded`] window is `w`) with parameters
    /// `rest` (of a line known to hold no controls), or `None` for [`Capability::Other`].
    /// `after` starts with `rest` and may go on past the line.
    #[inline(never)]
    fn with_params(kw: &[u8], w: (u64, u64), rest: &'a str, after: &[u8]) -> Option<Self> {
        match kw.len() {
            4 if SIZE.is(w) => number(rest.as_bytes()).map(|n| Self::Size(Some(n))),
            4 if AUTH.is(w) => Self::auth(rest, after),
            6 if LIMITS.is(w) => Self::limits(rest),
            9 if DELIVERBY.is(w) => number(rest.as_bytes()).map(|n| Self::DeliverBy(Some(n))),
            11 if MT_PRIORITY.is(w) => Keyword::borrowed(rest)
                .ok()
                .map(|k| Self::MtPriority(Some(k))),
            13 if FUTURERELEASE.is(w) => Self::future_release(rest),
            _ => None,
        }
    }

    /// `AUTH` with its mechanisms `names`; `after` starts with them and may go on past the
    /// line.
    #[inline]
    fn auth(names: &str, after: &[u8]) -> Option<Self> {
        // Most servers offer a handful of mechanisms.
        let mut mechs = Vec::with_capacity(6);
        let names = names.as_bytes();
        let mut at = 0;
        loop {
            let ahead = after.get(at..).unwrap_or_default();
            let len = word_len(ahead, names.get(at..)?);
            mechs.push(mechanism(names.get(at..at + len)?, ahead)?);
            at += len;
            match names.get(at) {
                None => break,
                Some(b' ') => at += 1,
                Some(_) => return None,
            }
        }
        Some(Self::Auth(mechs))
    }

    /// `LIMITS` with its `name=value` pairs.
    #[inline]
    fn limits(mut rest: &'a str) -> Option<Self> {
        let mut v = Vec::with_capacity(3);
        loop {
            let (pair, more) = split_at_byte(rest, b' ');
            let (name, n) = split_at_byte(pair, b'=');
            v.push((Keyword::borrowed(name).ok()?, number(n?.as_bytes())?));
            match more {
                Some(more) => rest = more,
                None => break,
            }
        }
        Some(Self::Limits(v))
    }

    /// `FUTURERELEASE` with its longest interval and latest date.
    #[inline]
    fn future_release(rest: &'a str) -> Option<Self> {
        let (interval, date) = split_at_byte(rest, b' ');
        Some(Self::FutureRelease {
            max_interval: number(interval.as_bytes())?,
            max_datetime: ParamValue::borrowed(date?).ok()?,
        })
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
            Self::Other(o) => o.as_str().to_owned(),
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
        const MORE: u32 = u32::from_le_bytes(*b"250-");
        const LAST: u32 = u32::from_le_bytes(*b"250 ");
        let limits = ReplyLimits::default();
        // The bytes as a string, checked as UTF-8 once (not line by line): the longest valid
        // prefix of as much as a reply within the limits can take. The lines are then checked
        // to be printable ASCII, which a string slice of them needs no second check for.
        let most = buf
            .get(..limits.max_line.saturating_mul(limits.max_lines))
            .unwrap_or(buf);
        let text = match simdutf8::basic::from_utf8(most) {
            Ok(t) => t,
            Err(_) => match std::str::from_utf8(most) {
                Ok(t) => t,
                Err(e) => std::str::from_utf8(most.get(..e.valid_up_to())?).ok()?,
            },
        };
        let buf = text.as_bytes();
        let mut pos = 0;
        let mut greeting = None;
        // Large providers announce 15 to 25 capabilities; 32 of them are 1 KiB, which the
        // allocator serves from its per-thread cache.
        let mut capabilities = Vec::with_capacity(32);
        loop {
            let head: [u8; 4] = buf.get(pos..pos + 4)?.try_into().ok()?;
            let last = match u32::from_le_bytes(head) {
                MORE => false,
                LAST => true,
                _ => return None,
            };
            let start = pos + 4;
            let ahead = buf.get(start..)?;
            // The keyword up to a space (or the end), then printable ASCII and spaces up to
            // CR LF: each byte looked at once, eight at a time.
            let kw_len = first_outside(ahead, b'!', b"")?;
            let len = match ahead.get(kw_len) {
                Some(b' ') => kw_len + 1 + first_outside(ahead.get(kw_len + 1..)?, b' ', b"")?,
                _ => kw_len,
            };
            if ahead.get(len..len + 2) != Some(b"\r\n") || len + 6 > limits.max_line {
                return None;
            }
            // The line as a string slice only where one is kept (not for a keyword alone).
            let line = || text.get(start..start + len);
            match greeting {
                None => {
                    // A digit may start an enhanced code, which the general parser strips.
                    if ahead.first().is_some_and(u8::is_ascii_digit) {
                        return None;
                    }
                    greeting = Some(Text::known_ref(line()?));
                }
                // A keyword alone (most lines) is read here; one with parameters apart.
                Some(_) if len == kw_len => {
                    let kw = ahead.get(..len)?;
                    capabilities.push(match Capability::flag(kw, folded(ahead, kw)) {
                        Some(c) => c,
                        None => Capability::other(line()?),
                    })
                }
                Some(_) => capabilities.push(Capability::parse_line(line()?, kw_len, ahead)),
            }
            pos = start + len + 2;
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
    pub fn from_reply(reply: &'a Reply<'_>) -> Self {
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
    pub fn to_reply(&self) -> Reply<'static> {
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
    use mail_wire::sasl::Mechanism;

    use super::{mechanism, word_len, Capability, OtherCapability, FLAGS};
    use crate::types::Text;

    /// Every keyword this crate types, and words a byte away from them.
    fn variants(words: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        for w in words {
            out.push(w.to_string());
            out.push(w.to_ascii_lowercase());
            out.push(format!("{w}X"));
            out.push(w[1..].to_string());
            out.push(w[..w.len() - 1].to_string());
            out.push(format!("{}\u{17f}", &w[..w.len() - 1]));
            for at in 0..w.len() {
                // Every byte a line of text can hold in a keyword (no space, no controls but
                // tab), one at a time.
                for c in std::iter::once(b'\t').chain(0x21..=0x7e) {
                    let mut b = w.as_bytes().to_vec();
                    b[at] = c;
                    out.push(String::from_utf8(b).unwrap());
                }
            }
        }
        out
    }

    /// What a keyword without parameters reads as, by plain case-insensitive comparison.
    fn slow(kw: &str) -> Capability<'_> {
        let optional = [
            ("SIZE", Capability::Size(None)),
            ("DELIVERBY", Capability::DeliverBy(None)),
            ("MT-PRIORITY", Capability::MtPriority(None)),
        ];
        FLAGS
            .iter()
            .chain(optional.iter())
            .find(|(name, _)| kw.eq_ignore_ascii_case(name))
            .map_or(
                Capability::Other(OtherCapability {
                    line: Text::known_ref(kw),
                }),
                |(_, c)| c.clone(),
            )
    }

    /// A keyword compared as two folded numbers reads as plain case-insensitive comparison
    /// reads it, in a window of 16 bytes and more (the fast path) and alone (the padded copy).
    #[test]
    fn keyword_words_agree_with_eq_ignore_ascii_case() {
        let mut words: Vec<&str> = FLAGS.iter().map(|(name, _)| *name).collect();
        words.extend([
            "SIZE",
            "AUTH",
            "LIMITS",
            "MT-PRIORITY",
            "FUTURERELEASE",
            "DELIVERBY",
        ]);
        for kw in variants(&words) {
            let long = format!("{kw}\r\n250-PIPELINING\r\n");
            for ahead in [kw.as_bytes(), long.as_bytes()] {
                let c = Capability::parse_line(&kw, kw.len(), ahead);
                assert_eq!(c, slow(&kw), "{kw:?} {}", ahead.len());
            }
        }
    }

    /// A SASL mechanism name compared as two folded numbers reads as [`Mechanism::from_bytes`]
    /// reads it, in a window of 16 bytes and more and alone.
    #[test]
    fn mechanism_words_agree_with_from_bytes() {
        let words = [
            "PLAIN",
            "LOGIN",
            "XOAUTH2",
            "OAUTHBEARER",
            "CRAM-MD5",
            "SCRAM-SHA-1",
            "SCRAM-SHA-256",
            "EXTERNAL",
        ];
        for name in variants(&words) {
            let slow = Mechanism::from_bytes(name.as_bytes())
                .ok()
                .filter(|m| crate::types::AuthMechanism::new(m.clone()).is_ok());
            let long = format!("{name} PLAIN LOGIN XOAUTH2\r\n");
            for ahead in [name.as_bytes(), long.as_bytes()] {
                assert_eq!(mechanism(name.as_bytes(), ahead), slow, "{name:?}");
            }
        }
    }

    /// The word length found eight bytes at a time is the one found byte by byte, for every
    /// byte value at every position, with the line going on after the word or not.
    #[test]
    fn word_len_agrees_with_bytes() {
        for len in 0..20 {
            for at in 0..len {
                for c in 0..=255u8 {
                    let mut word = vec![b'A'; len];
                    word[at] = c;
                    let slow = word.iter().position(|&c| c < b'!').unwrap_or(len);
                    let mut line = word.clone();
                    line.extend_from_slice(b"\r\n250-PIPELINING\r\n");
                    assert_eq!(word_len(&line, &word), slow, "{word:?}");
                    assert_eq!(word_len(&word, &word), slow, "{word:?}");
                }
            }
        }
    }
}

//! The EHLO reply as typed capabilities (RFC 5321 4.1.1.1 and the extension RFCs). A keyword
//! this crate does not know, or a known one with parameters it cannot read, is kept verbatim as
//! [`Capability::Other`].
//!
//! ```
//! use smtp_proto::codec::ehlo::{Capability, EhloReply, Extension};
//! use smtp_proto::codec::reply::parse_reply;
//! use mail_wire::sasl::Mechanism;
//!
//! let wire = b"250-mx.example.org greets you\r\n250-SIZE 35882577\r\n250-AUTH PLAIN LOGIN\r\n250-X-FOO bar\r\n250 PIPELINING\r\n";
//! let (reply, _) = parse_reply(wire).unwrap().complete().unwrap();
//! let ehlo = EhloReply::from_reply(&reply);
//! assert_eq!(ehlo.size(), Some(35882577));
//! assert!(ehlo.supports(Extension::Pipelining));
//! assert!(ehlo.has(&Capability::Pipelining));
//! assert!(ehlo.offers_auth(&Mechanism::Login));
//! assert_eq!(ehlo.auth_mechanisms().count(), 2);
//! let unknown = ehlo.unknown().next().unwrap();
//! assert_eq!(unknown.keyword(), "X-FOO");
//! // Every capability in the order sent.
//! assert_eq!(ehlo.capabilities().nth(2), Some(Capability::Other(unknown)));
//! assert_eq!(ehlo.to_reply().to_bytes(), wire);
//! ```
//!
//! An [`EhloReply`] keeps the keyword-only capabilities as a bit set, the parameters of the
//! typed ones in fields (`AUTH` and `LIMITS` as the checked text, read on demand), the unknown
//! lines in a list, and the order of the lines as one small tag each; every text it keeps is a
//! range of the one text it was read from. A typical reply is read without allocating (more
//! than four unknown lines or 32 lines are the only allocations), owned with one copy of the
//! text, and dropped without a loop.

use std::borrow::Cow;

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
/// string.
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

/// An extension this crate types: what a capability line announces, without its parameters
/// (for [`EhloReply::supports`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Extension {
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
    /// `RRVS` (RFC 7293).
    Rrvs,
    /// `VRFY`.
    Vrfy,
    /// `HELP`.
    Help,
    /// `SIZE` (RFC 1870).
    Size,
    /// `AUTH` (RFC 4954).
    Auth,
    /// `LIMITS` (RFC 9422).
    Limits,
    /// `MT-PRIORITY` (RFC 6710).
    MtPriority,
    /// `FUTURERELEASE` (RFC 4865).
    FutureRelease,
    /// `DELIVERBY` (RFC 2852).
    DeliverBy,
}

impl Extension {
    /// Every extension, in declaration order.
    pub const ALL: [Self; 18] = [
        Self::Pipelining,
        Self::Chunking,
        Self::EightBitMime,
        Self::BinaryMime,
        Self::SmtpUtf8,
        Self::Dsn,
        Self::EnhancedStatusCodes,
        Self::StartTls,
        Self::RequireTls,
        Self::Rrvs,
        Self::Vrfy,
        Self::Help,
        Self::Size,
        Self::Auth,
        Self::Limits,
        Self::MtPriority,
        Self::FutureRelease,
        Self::DeliverBy,
    ];

    /// The EHLO keyword, upper case.
    pub const fn keyword(self) -> &'static str {
        match self {
            Self::Pipelining => "PIPELINING",
            Self::Chunking => "CHUNKING",
            Self::EightBitMime => "8BITMIME",
            Self::BinaryMime => "BINARYMIME",
            Self::SmtpUtf8 => "SMTPUTF8",
            Self::Dsn => "DSN",
            Self::EnhancedStatusCodes => "ENHANCEDSTATUSCODES",
            Self::StartTls => "STARTTLS",
            Self::RequireTls => "REQUIRETLS",
            Self::Rrvs => "RRVS",
            Self::Vrfy => "VRFY",
            Self::Help => "HELP",
            Self::Size => "SIZE",
            Self::Auth => "AUTH",
            Self::Limits => "LIMITS",
            Self::MtPriority => "MT-PRIORITY",
            Self::FutureRelease => "FUTURERELEASE",
            Self::DeliverBy => "DELIVERBY",
        }
    }

    /// The capability of a keyword that takes no parameters; `None` for the others.
    const fn flag(self) -> Option<Capability<'static>> {
        Some(match self {
            Self::Pipelining => Capability::Pipelining,
            Self::Chunking => Capability::Chunking,
            Self::EightBitMime => Capability::EightBitMime,
            Self::BinaryMime => Capability::BinaryMime,
            Self::SmtpUtf8 => Capability::SmtpUtf8,
            Self::Dsn => Capability::Dsn,
            Self::EnhancedStatusCodes => Capability::EnhancedStatusCodes,
            Self::StartTls => Capability::StartTls,
            Self::RequireTls => Capability::RequireTls,
            Self::Rrvs => Capability::Rrvs,
            Self::Vrfy => Capability::Vrfy,
            Self::Help => Capability::Help,
            _ => return None,
        })
    }

    /// This extension's bit in [`EhloReply`]'s set.
    const fn bit(self) -> u32 {
        1 << self as u32
    }
}

/// The SASL mechanisms an AUTH line's bit set has a bit for, in bit order; bit
/// [`OTHER_MECHANISM`] stands for any other.
const KNOWN_MECHANISMS: [Mechanism; 8] = [
    Mechanism::Plain,
    Mechanism::Login,
    Mechanism::XOAuth2,
    Mechanism::OAuthBearer,
    Mechanism::CramMd5,
    Mechanism::ScramSha1,
    Mechanism::ScramSha256,
    Mechanism::External,
];

/// The bit of the AUTH set for a mechanism outside [`KNOWN_MECHANISMS`].
const OTHER_MECHANISM: u16 = 1 << 8;

/// The bit of `m` in an AUTH line's set.
fn mechanism_bit(m: &Mechanism) -> u16 {
    KNOWN_MECHANISMS
        .iter()
        .position(|k| k == m)
        .map_or(OTHER_MECHANISM, |i| 1 << i)
}

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

/// [`number`] of `s`, which `ahead` starts with (and may go on past): up to eight digits read
/// at once from the first eight bytes of `ahead` when it has them.
#[inline]
fn number_at(s: &[u8], ahead: &[u8]) -> Option<u64> {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    let (Some(word), 1..=8) = (ahead.first_chunk::<8>(), s.len()) else {
        return number(s);
    };
    // The digits in the top bytes (the first, most significant, lowest), zeros below them.
    let drop = 8 * (8 - s.len() as u32);
    let x = u64::from_le_bytes(*word) << drop;
    let mask = u64::MAX << drop;
    // Every digit byte is 0x30..=0x39: its high nibble is 3, and so is that of the byte + 6 (a
    // byte that fails the first test may carry into the next, but the result is false anyway).
    const HIGH_NIBBLES: u64 = ONES * 0xf0;
    let threes = (ONES * 0x30) & mask;
    let digits = (x & HIGH_NIBBLES) == threes
        && (x.wrapping_add(ONES * 0x06) & HIGH_NIBBLES & mask) == threes;
    if !digits {
        return None;
    }
    // Pairs, then fours, then eight: each lane is the lower digit times ten plus the next.
    let v = x & (ONES * 0x0f);
    let v = (v.wrapping_mul(10).wrapping_add(v >> 8)) & 0x00ff_00ff_00ff_00ff;
    let v = (v.wrapping_mul(100).wrapping_add(v >> 16)) & 0x0000_ffff_0000_ffff;
    Some((v.wrapping_mul(10000).wrapping_add(v >> 32)) & 0xffff_ffff)
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

/// The bit of the SASL mechanism `name` (of an AUTH line) in the AUTH set, without
/// allocating; `None` for a name that is not one. `ahead` starts with the name and may go on
/// past it (see [`folded`]).
#[inline]
fn mechanism_name_bit(name: &[u8], ahead: &[u8]) -> Option<u16> {
    let w = folded(ahead, name);
    let bit = |m: usize| 1u16 << m;
    Some(match name.len() {
        5 if PLAIN.is(w) => bit(0),
        5 if LOGIN.is(w) => bit(1),
        7 if XOAUTH2.is(w) => bit(2),
        11 if OAUTHBEARER.is(w) => bit(3),
        8 if CRAM_MD5.is(w) => bit(4),
        11 if SCRAM_SHA_1.is(w) => bit(5),
        13 if SCRAM_SHA_256.is(w) => bit(6),
        8 if EXTERNAL.is(w) => bit(7),
        // RFC 4422 3.1, as `Mechanism::from_bytes` and `AuthMechanism::new` check it.
        1..=20
            if name
                .iter()
                .all(|&c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_') =>
        {
            OTHER_MECHANISM
        }
        _ => return None,
    })
}

/// The mechanisms of checked AUTH parameters (names separated by one space).
fn auth_names(names: &str) -> impl Iterator<Item = Mechanism> + '_ {
    names
        .split(' ')
        .filter(|n| !n.is_empty())
        .filter_map(|n| mechanism(n.as_bytes(), n.as_bytes()))
}

/// The pairs of checked LIMITS parameters (`name=value` separated by one space).
fn limit_pairs(pairs: &str) -> impl Iterator<Item = (Keyword<'_>, u64)> + '_ {
    pairs.split(' ').filter_map(|pair| {
        let (name, n) = split_at_byte(pair, b'=');
        let n = number(n?.as_bytes())?;
        Some((Keyword::borrowed(name).ok()?, n))
    })
}

/// What one capability line holds, as read, before [`EhloReply`] stores it: the typed
/// parameters; for `AUTH`, `LIMITS`, `MT-PRIORITY` and `FUTURERELEASE`, checked text that ends
/// where the line ends, kept as a range of the reply's text (see [`EhloReply`]).
#[derive(Debug, Clone, Copy)]
enum Line {
    /// A keyword without parameters.
    Flag(Extension),
    Size(Option<u64>),
    /// The mechanism names (the parameters) and their bit set.
    Auth(u16),
    /// The `name=value` pairs (the parameters).
    Limits,
    /// Whether the parameters are a policy keyword.
    MtPriority(bool),
    /// The longest interval, and where the date starts in the parameters.
    FutureRelease(u64, usize),
    DeliverBy(Option<u64>),
    /// Kept as sent.
    Other,
}

impl Line {
    /// The extension of a typed line.
    fn extension(self) -> Option<Extension> {
        Some(match self {
            Self::Flag(e) => e,
            Self::Size(_) => Extension::Size,
            Self::Auth(_) => Extension::Auth,
            Self::Limits => Extension::Limits,
            Self::MtPriority(_) => Extension::MtPriority,
            Self::FutureRelease(..) => Extension::FutureRelease,
            Self::DeliverBy(_) => Extension::DeliverBy,
            Self::Other => return None,
        })
    }

    /// What a capability line (text without controls) holds; its keyword is its first `kw_len`
    /// bytes (up to the first space or the end); `ahead` starts with the line and may hold more
    /// bytes after it.
    #[inline(always)]
    fn read(line: &[u8], kw_len: usize, ahead: &[u8]) -> Self {
        let kw = line.get(..kw_len).unwrap_or_default();
        let w = folded(ahead, kw);
        let typed = match line.get(kw_len + 1..) {
            None => Self::flag(kw, w),
            Some(params) => {
                Self::with_params(kw, w, params, ahead.get(kw_len + 1..).unwrap_or_default())
            }
        };
        typed.unwrap_or(Self::Other)
    }

    /// The typed line that is only the keyword `kw`, whose [`folded`] window is `w`, or `None`
    /// for [`Line::Other`].
    #[inline(always)]
    fn flag(kw: &[u8], w: (u64, u64)) -> Option<Self> {
        Some(Self::Flag(match kw.len() {
            3 if DSN.is(w) => Extension::Dsn,
            4 if SIZE.is(w) => return Some(Self::Size(None)),
            4 if RRVS.is(w) => Extension::Rrvs,
            4 if VRFY.is(w) => Extension::Vrfy,
            4 if HELP.is(w) => Extension::Help,
            8 if CHUNKING.is(w) => Extension::Chunking,
            8 if EIGHTBITMIME.is(w) => Extension::EightBitMime,
            8 if SMTPUTF8.is(w) => Extension::SmtpUtf8,
            8 if STARTTLS.is(w) => Extension::StartTls,
            9 if DELIVERBY.is(w) => return Some(Self::DeliverBy(None)),
            10 if PIPELINING.is(w) => Extension::Pipelining,
            10 if BINARYMIME.is(w) => Extension::BinaryMime,
            10 if REQUIRETLS.is(w) => Extension::RequireTls,
            11 if MT_PRIORITY.is(w) => return Some(Self::MtPriority(false)),
            // The one keyword over 16 bytes: its first 16, then the last three folded alike.
            19 if ENHANCEDSTATUSCO.is(w)
                && matches!(kw.get(16..), Some([d, e, s])
                    if d | 0x20 == b'd' && e | 0x20 == b'e' && s | 0x20 == b's') =>
            {
                Extension::EnhancedStatusCodes
            }
            _ => return None,
        }))
    }

    /// The typed line of keyword `kw` (whose [`folded`] window is `w`) with parameters `rest`
    /// (of a line known to hold no controls), or `None` for [`Line::Other`]. `after` starts
    /// with `rest` and may go on past the line.
    #[inline(never)]
    fn with_params(kw: &[u8], w: (u64, u64), rest: &[u8], after: &[u8]) -> Option<Self> {
        match kw.len() {
            4 if SIZE.is(w) => number_at(rest, after).map(|n| Self::Size(Some(n))),
            4 if AUTH.is(w) => Self::auth(rest, after),
            6 if LIMITS.is(w) => Self::limits(rest, after),
            9 if DELIVERBY.is(w) => number_at(rest, after).map(|n| Self::DeliverBy(Some(n))),
            11 if MT_PRIORITY.is(w) => Keyword::is_keyword(rest).then_some(Self::MtPriority(true)),
            13 if FUTURERELEASE.is(w) => Self::future_release(rest, after),
            _ => None,
        }
    }

    /// `AUTH` with its mechanisms `names`, checked and kept as text with their bit set;
    /// `after` starts with them and may go on past the line.
    #[inline]
    fn auth(bytes: &[u8], after: &[u8]) -> Option<Self> {
        let mut bits = 0;
        let mut at = 0;
        loop {
            let ahead = after.get(at..).unwrap_or_default();
            let len = word_len(ahead, bytes.get(at..)?);
            bits |= mechanism_name_bit(bytes.get(at..at + len)?, ahead)?;
            at += len;
            match bytes.get(at) {
                None => break,
                Some(b' ') => at += 1,
                Some(_) => return None,
            }
        }
        Some(Self::Auth(bits))
    }

    /// `LIMITS` with its `name=value` pairs (separated by one space), checked in one pass and
    /// kept as text: each name a keyword, each value a number. `after` starts with `pairs`
    /// and may go on past the line.
    #[inline]
    fn limits(b: &[u8], after: &[u8]) -> Option<Self> {
        let mut at = 0;
        loop {
            // A letter or digit, then letters, digits and `-`, up to `=`.
            if !b.get(at)?.is_ascii_alphanumeric() {
                return None;
            }
            at += 1;
            loop {
                match b.get(at)? {
                    b'=' => break,
                    c if c.is_ascii_alphanumeric() || *c == b'-' => at += 1,
                    _ => return None,
                }
            }
            at += 1;
            let value = at;
            while b.get(at).is_some_and(|&c| c != b' ') {
                at += 1;
            }
            number_at(b.get(value..at)?, after.get(value..).unwrap_or_default())?;
            match b.get(at) {
                None => break,
                _ => at += 1,
            }
        }
        Some(Self::Limits)
    }

    /// `FUTURERELEASE` with its longest interval and latest date (from the first byte after
    /// the first space of `rest`).
    #[inline]
    fn future_release(rest: &[u8], after: &[u8]) -> Option<Self> {
        let interval = memchr::memchr(b' ', rest)?;
        let date = rest.get(interval + 1..)?;
        // Printable ASCII but `=` (the common date) is a parameter value; anything else is
        // checked the general way (UTF-8 is allowed, RFC 6531).
        match first_outside(date, b'!', b"=") {
            None if !date.is_empty() => {}
            _ if ParamValue::is_value(date) => {}
            _ => return None,
        }
        Some(Self::FutureRelease(
            number_at(rest.get(..interval)?, after)?,
            interval + 1,
        ))
    }
}

impl<'a> Capability<'a> {
    /// Reads one EHLO line (after the code); the capability borrows `line`.
    pub fn parse(line: &'a Text<'_>) -> Self {
        let s = line.as_str();
        let kw_len = memchr::memchr(b' ', s.as_bytes()).unwrap_or(s.len());
        Self::from_line(s, kw_len, Line::read(s.as_bytes(), kw_len, s.as_bytes()))
    }

    /// The capability `read` from `s`, whose keyword is its first `kw_len` bytes.
    fn from_line(s: &'a str, kw_len: usize, read: Line) -> Self {
        let params = s.get(kw_len + 1..).unwrap_or_default();
        match read {
            Line::Flag(e) => e.flag().unwrap_or(Self::other(s)),
            Line::Size(n) => Self::Size(n),
            Line::Auth(_) => Self::Auth(auth_names(params).collect()),
            Line::Limits => Self::Limits(limit_pairs(params).collect()),
            Line::MtPriority(k) => Self::MtPriority(k.then(|| Keyword::checked_ref(params))),
            Line::FutureRelease(max_interval, at) => Self::FutureRelease {
                max_interval,
                max_datetime: ParamValue::checked_ref(params.get(at..).unwrap_or_default()),
            },
            Line::DeliverBy(n) => Self::DeliverBy(n),
            Line::Other => Self::other(s),
        }
    }

    /// [`Capability::Other`] of a line of text.
    fn other(line: &'a str) -> Self {
        Self::Other(OtherCapability {
            line: Text::known_ref(line),
        })
    }

    /// The extension this capability announces; `None` for [`Capability::Other`].
    pub fn extension(&self) -> Option<Extension> {
        Some(match self {
            Self::Size(_) => Extension::Size,
            Self::Auth(_) => Extension::Auth,
            Self::Pipelining => Extension::Pipelining,
            Self::Chunking => Extension::Chunking,
            Self::EightBitMime => Extension::EightBitMime,
            Self::BinaryMime => Extension::BinaryMime,
            Self::SmtpUtf8 => Extension::SmtpUtf8,
            Self::Dsn => Extension::Dsn,
            Self::EnhancedStatusCodes => Extension::EnhancedStatusCodes,
            Self::StartTls => Extension::StartTls,
            Self::RequireTls => Extension::RequireTls,
            Self::Limits(_) => Extension::Limits,
            Self::MtPriority(_) => Extension::MtPriority,
            Self::FutureRelease { .. } => Extension::FutureRelease,
            Self::DeliverBy(_) => Extension::DeliverBy,
            Self::Rrvs => Extension::Rrvs,
            Self::Vrfy => Extension::Vrfy,
            Self::Help => Extension::Help,
            Self::Other(_) => return None,
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

    /// The line as it goes on the wire (after the code).
    pub fn to_line(&self) -> String {
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
            flag => flag
                .extension()
                .map(Extension::keyword)
                .unwrap_or_default()
                .to_owned(),
        }
    }
}

/// How many line tags [`Order`] holds before it spills to the heap: more than the 15 to 25
/// capabilities large providers announce.
const INLINE_ORDER: usize = 32;

/// The order of an EHLO reply's capability lines, one tag each: the extension of a typed line,
/// `None` for the next unknown line.
#[derive(Clone)]
struct Order {
    len: usize,
    inline: [Option<Extension>; INLINE_ORDER],
    spill: Vec<Option<Extension>>,
}

impl Default for Order {
    fn default() -> Self {
        Self {
            len: 0,
            inline: [None; INLINE_ORDER],
            spill: Vec::new(),
        }
    }
}

impl Order {
    #[inline(always)]
    fn push(&mut self, tag: Option<Extension>) {
        match self.inline.get_mut(self.len) {
            Some(slot) => *slot = tag,
            None => self.spill.push(tag),
        }
        self.len += 1;
    }

    /// The tag of line `i` (the line after the greeting is 0).
    #[inline]
    fn get(&self, i: usize) -> Option<Option<Extension>> {
        if i >= self.len {
            return None;
        }
        match self.inline.get(i) {
            Some(tag) => Some(*tag),
            None => self.spill.get(i - INLINE_ORDER).copied(),
        }
    }
}

/// A range of an [`EhloReply`]'s text: where a piece it keeps (the greeting, `AUTH`'s names, an
/// unknown line...) starts and ends. Eight bytes, copied as they are by
/// [`EhloReply::into_owned`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Span {
    start: u32,
    end: u32,
}

impl Span {
    /// The range `start..end`; an offset past `u32::MAX` (of no text a parser of this crate
    /// reads: its limits keep a reply under 1 MiB) is cut to it.
    #[inline(always)]
    fn new(start: usize, end: usize) -> Self {
        let at = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Self {
            start: at(start),
            end: at(end),
        }
    }

    /// The line of `len` bytes at `start` of a reply [`EhloReply::parse`] reads in one pass:
    /// within the default [`ReplyLimits`] (128 lines of 4096 bytes), so its offsets are under
    /// 1 MiB and fit without a check.
    #[inline(always)]
    fn in_reply(start: usize, len: usize) -> Self {
        Self {
            start: start as u32,
            end: (start + len) as u32,
        }
    }

    /// The rest of this range from `skip` bytes after its start (empty if it is shorter).
    #[inline(always)]
    fn skip(self, skip: usize) -> Self {
        let skip = u32::try_from(skip).unwrap_or(u32::MAX);
        Self {
            start: self.start.saturating_add(skip).min(self.end),
            end: self.end,
        }
    }
}

/// A string as its bytes, borrowed or owned as it was.
fn bytes(s: Cow<'_, str>) -> Cow<'_, [u8]> {
    match s {
        Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
        Cow::Owned(s) => Cow::Owned(s.into_bytes()),
    }
}

/// The line of the common shape at `pos` of `buf` (`250-` or `250 `, printable ASCII, CR LF,
/// within `max_line`): whether it is the last, where its text starts, the length of its
/// keyword (up to a space or the end) and of its text; `None` for any other line.
#[inline(always)]
fn plain_line(buf: &[u8], pos: usize, max_line: usize) -> Option<(bool, usize, usize, usize)> {
    const MORE: u32 = u32::from_le_bytes(*b"250-");
    const LAST: u32 = u32::from_le_bytes(*b"250 ");
    let head: [u8; 4] = buf.get(pos..pos + 4)?.try_into().ok()?;
    let last = match u32::from_le_bytes(head) {
        MORE => false,
        LAST => true,
        _ => return None,
    };
    let start = pos + 4;
    let ahead = buf.get(start..)?;
    // The keyword up to a space (or the end), then printable ASCII and spaces up to CR LF:
    // each byte looked at once, eight at a time.
    let kw_len = first_outside(ahead, b'!', b"")?;
    let len = match ahead.get(kw_len) {
        Some(b' ') => kw_len + 1 + first_outside(ahead.get(kw_len + 1..)?, b' ', b"")?,
        _ => kw_len,
    };
    if ahead.get(len..len + 2) != Some(b"\r\n") || len + 6 > max_line {
        return None;
    }
    Some((last, start, kw_len, len))
}

/// How many unknown lines [`Others`] holds before it moves them to the heap: servers announce
/// a few (`X-EXPS`, `XCLIENT`, `ETRN`), rarely more.
const INLINE_OTHERS: usize = 4;

/// The lines of an EHLO reply kept as sent, in order, as ranges of the reply's text: the first
/// [`INLINE_OTHERS`] in place, all of them on the heap past that (one contiguous slice either
/// way).
#[derive(Clone, Default)]
struct Others {
    len: usize,
    inline: [Span; INLINE_OTHERS],
    spill: Vec<Span>,
}

impl Others {
    fn push(&mut self, line: Span) {
        if let Some(slot) = self.inline.get_mut(self.len) {
            *slot = line;
        } else {
            if self.spill.is_empty() {
                self.spill.reserve(2 * INLINE_OTHERS);
                self.spill.extend_from_slice(&self.inline);
            }
            self.spill.push(line);
        }
        self.len += 1;
    }

    fn as_slice(&self) -> &[Span] {
        if self.spill.is_empty() {
            self.inline.get(..self.len).unwrap_or_default()
        } else {
            &self.spill
        }
    }
}

/// An EHLO reply: the greeting line and the capabilities. A parsed reply borrows the bytes (or
/// the [`Reply`]) it was read from; [`EhloReply::into_owned`] makes it `'static`.
///
/// Ask typed questions ([`supports`](Self::supports), [`size`](Self::size),
/// [`auth_mechanisms`](Self::auth_mechanisms), [`limit`](Self::limit), ...), walk every
/// capability in the order sent with [`capabilities`](Self::capabilities), and find the
/// keywords this crate does not know, verbatim, in [`unknown`](Self::unknown).
///
/// A typed capability with parameters is stored once: when a server repeats one (a second
/// `SIZE`), the later line is kept verbatim as [`Capability::Other`]. Two replies are equal
/// when their greetings are and they hold the same capabilities in the same order.
///
/// The reply keeps one text: the bytes it was parsed from (or the text of the [`Reply`] it was
/// read from, or the lines pushed, one after the other), borrowed or owned; the greeting, the
/// text of `AUTH`, `LIMITS`, `MT-PRIORITY` and `FUTURERELEASE` and the unknown lines are ranges
/// of it. So a reply owns its text with one allocation, and [`EhloReply::into_owned`] is one
/// copy of it.
#[derive(Clone)]
pub struct EhloReply<'a> {
    /// The text the ranges below are ranges of, as bytes: each range is UTF-8 text without
    /// controls but tab (of a line checked to be printable ASCII by [`EhloReply::parse`], or of
    /// a string).
    source: Cow<'a, [u8]>,
    /// The first line: the server's domain and an optional greeting.
    greeting: Span,
    /// The bits of the extensions announced ([`Extension::bit`]).
    present: u32,
    /// The bits of `AUTH`'s mechanisms ([`KNOWN_MECHANISMS`], [`OTHER_MECHANISM`]).
    auth_bits: u16,
    order: Order,
    /// `SIZE`'s number, if it has one.
    size: Option<u64>,
    /// `DELIVERBY`'s number, if it has one.
    deliver_by: Option<u64>,
    /// `MT-PRIORITY`'s policy, if it has one.
    mt_priority: Option<Span>,
    /// `FUTURERELEASE`'s parameters.
    future_release: Option<(u64, Span)>,
    /// `AUTH`'s parameters, checked.
    auth: Span,
    /// `LIMITS`'s parameters, checked.
    limits: Span,
    /// The lines kept as sent, in order.
    others: Others,
}

impl<'a> EhloReply<'a> {
    /// A reply of `greeting` and `capabilities`, to announce (a server's EHLO reply). Each
    /// capability is stored as its line reads back (see [`EhloReply::push`]).
    pub fn new<'c>(
        greeting: Text<'a>,
        capabilities: impl IntoIterator<Item = Capability<'c>>,
    ) -> Self {
        let greeting = greeting.into_cow();
        let mut reply = Self::empty(Span::new(0, greeting.len()));
        reply.source = bytes(greeting);
        for c in capabilities {
            reply.push(c);
        }
        reply
    }

    /// A reply of the greeting at `greeting` and no capabilities, over no text yet.
    #[inline(always)]
    fn empty(greeting: Span) -> Self {
        Self {
            source: Cow::Borrowed(b""),
            greeting,
            present: 0,
            auth_bits: 0,
            order: Order::default(),
            size: None,
            deliver_by: None,
            mt_priority: None,
            future_release: None,
            auth: Span::default(),
            limits: Span::default(),
            others: Others::default(),
        }
    }

    /// Adds a capability after the others, as its line ([`Capability::to_line`]) reads back:
    /// an [`OtherCapability`] with a known keyword and parameters it fits is typed, a typed one
    /// with parameters already there (or a name that is not one) is kept as
    /// [`Capability::Other`]. The line is copied to the end of the reply's text (which the
    /// reply then owns).
    pub fn push(&mut self, capability: Capability<'_>) {
        let written;
        let line = match &capability {
            Capability::Other(o) => o.as_str(),
            c => {
                written = c.to_line();
                written.as_str()
            }
        };
        let kw_len = memchr::memchr(b' ', line.as_bytes()).unwrap_or(line.len());
        let read = Line::read(line.as_bytes(), kw_len, line.as_bytes());
        let source = self.source.to_mut();
        let start = source.len();
        source.extend_from_slice(line.as_bytes());
        let end = source.len();
        self.add(Span::new(start, end), kw_len, read);
    }

    /// Stores a keyword-only capability.
    #[inline(always)]
    fn add_flag(&mut self, e: Extension) {
        self.present |= e.bit();
        self.order.push(Some(e));
    }

    /// Stores the capability `read` from the line at `line`, whose keyword is its first
    /// `kw_len` bytes.
    #[inline(always)]
    fn add(&mut self, line: Span, kw_len: usize, read: Line) {
        let e = match read.extension() {
            Some(e) if e.flag().is_some() || self.present & e.bit() == 0 => e,
            // Unknown, or typed with parameters for the second time.
            _ => {
                self.others.push(line);
                self.order.push(None);
                return;
            }
        };
        let params = || line.skip(kw_len + 1);
        match read {
            Line::Size(n) => self.size = n,
            Line::DeliverBy(n) => self.deliver_by = n,
            Line::MtPriority(policy) => self.mt_priority = policy.then(params),
            Line::FutureRelease(n, at) => self.future_release = Some((n, params().skip(at))),
            Line::Auth(bits) => {
                self.auth = params();
                self.auth_bits = bits;
            }
            Line::Limits => self.limits = params(),
            Line::Flag(_) | Line::Other => {}
        }
        self.add_flag(e);
    }

    /// Parses a positive (`250`) EHLO reply at the front of `buf` straight into capabilities,
    /// in one pass over the bytes: `Complete(reply, consumed)`, or `Incomplete` until the last
    /// line has arrived. It accepts and refuses what [`parse_reply`] does (same limits), and
    /// gives what [`EhloReply::from_reply`] gives; a reply with another code is an error (read
    /// refusals with [`parse_reply`]).
    ///
    /// [`parse_reply`]: super::reply::parse_reply
    ///
    /// A reply in the common shape borrows `buf`; one the general parser reads (see below) owns
    /// the text that parser gathers (unless that borrows `buf` too).
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
                Status::Complete(reply, used) => Ok(Status::Complete(Self::from(reply), used)),
            },
        }
    }

    /// [`EhloReply::parse`] of the common shape: complete, every line `250-` or `250 ` and
    /// printable ASCII, no enhanced code, within the default [`ReplyLimits`]. `None` otherwise.
    fn parse_plain(buf: &'a [u8]) -> Option<(Self, usize)> {
        let limits = ReplyLimits::default();
        // The lines are checked to be printable ASCII, so the reply is kept as bytes (each
        // range of them a string when asked for, without a UTF-8 check of the whole).
        let (mut last, start, _, len) = plain_line(buf, 0, limits.max_line)?;
        // A digit may start an enhanced code, which the general parser strips.
        if buf.get(start).is_some_and(u8::is_ascii_digit) {
            return None;
        }
        let mut reply = Self::empty(Span::in_reply(start, len));
        let mut pos = start + len + 2;
        let mut lines = 1;
        while !last {
            if lines >= limits.max_lines {
                return None;
            }
            let (is_last, start, kw_len, len) = plain_line(buf, pos, limits.max_line)?;
            last = is_last;
            let ahead = buf.get(start..)?;
            let at = Span::in_reply(start, len);
            if len == kw_len {
                // A keyword alone (most lines) is read here; one with parameters apart.
                let kw = ahead.get(..len)?;
                match Line::flag(kw, folded(ahead, kw)) {
                    Some(Line::Flag(e)) => reply.add_flag(e),
                    Some(read) => reply.add(at, kw_len, read),
                    None => reply.add(at, kw_len, Line::Other),
                }
            } else {
                let line = ahead.get(..len)?;
                reply.add(at, kw_len, Line::read(line, kw_len, ahead));
            }
            pos = start + len + 2;
            lines += 1;
        }
        reply.source = Cow::Borrowed(buf.get(..pos)?);
        Some((reply, pos))
    }

    /// Reads a positive EHLO reply; the result borrows `reply`.
    pub fn from_reply(reply: &'a Reply<'_>) -> Self {
        Self::from_text(Cow::Borrowed(reply.text.as_str()))
    }

    /// Reads the lines of a reply's text (separated by LF, holding no control characters);
    /// the result keeps `source`.
    fn from_text(source: Cow<'a, str>) -> Self {
        let source = bytes(source);
        let bytes: &[u8] = &source;
        let line_end = |from: usize| {
            memchr::memchr(b'\n', bytes.get(from..).unwrap_or_default())
                .map_or(bytes.len(), |i| from + i)
        };
        let first = line_end(0);
        let mut ehlo = Self::empty(Span::new(0, first));
        let mut start = first + 1;
        while start <= bytes.len() {
            let end = line_end(start);
            let line = bytes.get(start..end).unwrap_or_default();
            let kw_len = memchr::memchr(b' ', line).unwrap_or(line.len());
            let read = Line::read(line, kw_len, line);
            ehlo.add(Span::new(start, end), kw_len, read);
            start = end + 1;
        }
        ehlo.source = source;
        ehlo
    }

    /// The same reply, owning its text, to keep past the bytes it was parsed from: one copy
    /// of the text (none if it is owned already).
    pub fn into_owned(self) -> EhloReply<'static> {
        EhloReply {
            source: Cow::Owned(self.source.into_owned()),
            greeting: self.greeting,
            present: self.present,
            auth_bits: self.auth_bits,
            order: self.order,
            size: self.size,
            deliver_by: self.deliver_by,
            mt_priority: self.mt_priority,
            future_release: self.future_release,
            auth: self.auth,
            limits: self.limits,
            others: self.others,
        }
    }

    /// The text of a range (UTF-8, see [`EhloReply::source`]: a short check, as the ranges
    /// kept are short and read rarely).
    #[inline]
    fn text(&self, at: Span) -> &str {
        let b = self.source.get(at.start as usize..at.end as usize);
        std::str::from_utf8(b.unwrap_or_default()).unwrap_or_default()
    }

    /// The unknown line at `at`.
    fn other(&self, at: Span) -> OtherCapability<'_> {
        OtherCapability {
            line: Text::known_ref(self.text(at)),
        }
    }

    /// The first line: the server's domain and an optional greeting.
    pub fn greeting(&self) -> Text<'_> {
        Text::known_ref(self.text(self.greeting))
    }

    /// The `250` reply (no enhanced code: RFC 2034 does not put one on EHLO). `AUTH`, `LIMITS`
    /// and unknown lines are written as they were read.
    pub fn to_reply(&self) -> Reply<'static> {
        let mut lines = Vec::with_capacity(self.len() + 1);
        lines.push(self.greeting());
        let mut others = self.others.as_slice().iter();
        for i in 0..self.order.len {
            let line = match self.order.get(i).flatten() {
                None => others.next().map(|&o| Text::known_ref(self.text(o))),
                Some(Extension::Auth) => {
                    Some(Text::known(&format!("AUTH {}", self.text(self.auth))))
                }
                Some(Extension::Limits) => {
                    Some(Text::known(&format!("LIMITS {}", self.text(self.limits))))
                }
                Some(e) => self.typed(e).map(|c| Text::known(&c.to_line())),
            };
            lines.push(line.unwrap_or_default());
        }
        Reply::from_parts(ReplyCode::known(250), None, &lines)
    }

    /// How many capabilities (lines after the greeting) the reply has.
    pub fn len(&self) -> usize {
        self.order.len
    }

    /// Whether the reply has no capabilities (only the greeting).
    pub fn is_empty(&self) -> bool {
        self.order.len == 0
    }

    /// Every capability, in the order sent. `AUTH` and `LIMITS` are read from their text as
    /// they come (a vector each); the others are copied out of the reply without allocating.
    pub fn capabilities(&self) -> Capabilities<'_, 'a> {
        Capabilities {
            reply: self,
            at: 0,
            other: 0,
        }
    }

    /// The typed capability of extension `e`, if announced.
    fn typed(&self, e: Extension) -> Option<Capability<'_>> {
        if !self.supports(e) {
            return None;
        }
        if let Some(c) = e.flag() {
            return Some(c);
        }
        Some(match e {
            Extension::Size => Capability::Size(self.size),
            Extension::DeliverBy => Capability::DeliverBy(self.deliver_by),
            Extension::MtPriority => Capability::MtPriority(self.mt_priority()?),
            Extension::FutureRelease => {
                let (max_interval, max_datetime) = self.future_release()?;
                Capability::FutureRelease {
                    max_interval,
                    max_datetime,
                }
            }
            Extension::Auth => Capability::Auth(self.auth_mechanisms().collect()),
            Extension::Limits => Capability::Limits(self.limits().collect()),
            _ => return None,
        })
    }

    /// Whether an extension is announced (with any parameters).
    #[inline]
    pub fn supports(&self, extension: Extension) -> bool {
        self.present & extension.bit() != 0
    }

    /// Whether a capability is announced (parameters must match too).
    pub fn has(&self, cap: &Capability<'_>) -> bool {
        match cap.extension() {
            Some(e) if e.flag().is_some() => self.supports(e),
            _ => self.capabilities().any(|c| c == *cap),
        }
    }

    /// The capabilities kept as sent, in order: keywords this crate does not know, known ones
    /// with parameters it cannot read, and repeated typed ones.
    pub fn unknown(
        &self,
    ) -> impl ExactSizeIterator<Item = OtherCapability<'_>> + DoubleEndedIterator + Clone + '_ {
        self.others.as_slice().iter().map(|&at| self.other(at))
    }

    /// The `SIZE` limit (`Some(0)` means announced without a fixed limit).
    pub fn size(&self) -> Option<u64> {
        self.supports(Extension::Size)
            .then(|| self.size.unwrap_or(0))
    }

    /// The SASL mechanisms of `AUTH`, in the order sent (none without `AUTH`). The common
    /// ones come without allocating.
    pub fn auth_mechanisms(&self) -> impl Iterator<Item = Mechanism> + '_ {
        auth_names(self.text(self.auth))
    }

    /// Whether `AUTH` offers `mechanism`.
    pub fn offers_auth(&self, mechanism: &Mechanism) -> bool {
        match mechanism_bit(mechanism) {
            OTHER_MECHANISM => {
                self.auth_bits & OTHER_MECHANISM != 0
                    && self.auth_mechanisms().any(|m| m == *mechanism)
            }
            bit => self.auth_bits & bit != 0,
        }
    }

    /// The `name=value` pairs of `LIMITS`, in the order sent (none without `LIMITS`).
    pub fn limits(&self) -> impl Iterator<Item = (Keyword<'_>, u64)> + '_ {
        limit_pairs(self.text(self.limits))
    }

    /// The value of a `LIMITS` entry (`RCPTMAX`, `MAILMAX`, `RCPTDOMAINMAX`).
    pub fn limit(&self, name: &str) -> Option<u64> {
        self.limits()
            .find(|(k, _)| k.as_str().eq_ignore_ascii_case(name))
            .map(|(_, n)| n)
    }

    /// `MT-PRIORITY`: `Some(policy)` if announced, the policy `None` if not given.
    pub fn mt_priority(&self) -> Option<Option<Keyword<'_>>> {
        self.supports(Extension::MtPriority).then(|| {
            self.mt_priority
                .map(|at| Keyword::checked_ref(self.text(at)))
        })
    }

    /// `FUTURERELEASE`: the longest hold in seconds and the latest release time, as sent.
    pub fn future_release(&self) -> Option<(u64, ParamValue<'_>)> {
        self.future_release
            .map(|(n, at)| (n, ParamValue::checked_ref(self.text(at))))
    }

    /// `DELIVERBY`'s shortest by-time (`Some(0)` means announced without one).
    pub fn deliver_by(&self) -> Option<u64> {
        self.supports(Extension::DeliverBy)
            .then(|| self.deliver_by.unwrap_or(0))
    }
}

impl<'a> From<Reply<'a>> for EhloReply<'a> {
    /// Reads a positive EHLO reply, keeping its text: an owned reply's text becomes the
    /// EHLO reply's without a copy (what a client session keeps).
    fn from(reply: Reply<'a>) -> Self {
        Self::from_text(reply.text.into_cow())
    }
}

impl PartialEq for EhloReply<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.greeting() == other.greeting()
            && self.present == other.present
            && self.len() == other.len()
            && self.capabilities().eq(other.capabilities())
    }
}

impl Eq for EhloReply<'_> {}

impl std::fmt::Debug for EhloReply<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EhloReply")
            .field("greeting", &self.greeting())
            .field("capabilities", &self.capabilities().collect::<Vec<_>>())
            .finish()
    }
}

/// The capabilities of an [`EhloReply`] in the order sent ([`EhloReply::capabilities`]).
#[derive(Debug, Clone)]
pub struct Capabilities<'s, 'a> {
    reply: &'s EhloReply<'a>,
    at: usize,
    other: usize,
}

impl<'s> Iterator for Capabilities<'s, '_> {
    type Item = Capability<'s>;

    fn next(&mut self) -> Option<Capability<'s>> {
        let tag = self.reply.order.get(self.at)?;
        self.at += 1;
        match tag {
            Some(e) => self.reply.typed(e),
            None => {
                let &at = self.reply.others.as_slice().get(self.other)?;
                self.other += 1;
                Some(Capability::Other(self.reply.other(at)))
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.reply.len().saturating_sub(self.at);
        (n, Some(n))
    }
}

impl ExactSizeIterator for Capabilities<'_, '_> {}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use mail_wire::sasl::Mechanism;

    use mail_wire::Status;

    use super::{
        mechanism, mechanism_bit, mechanism_name_bit, word_len, Capability, EhloReply, Extension,
        Line, OtherCapability,
    };
    use crate::codec::reply::parse_reply;
    use crate::types::{Keyword, Text};

    /// The keywords without parameters, with their capability.
    fn flags() -> Vec<(&'static str, Capability<'static>)> {
        Extension::ALL
            .iter()
            .filter_map(|e| Some((e.keyword(), e.flag()?)))
            .collect()
    }

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
        flags()
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
        let mut words: Vec<&str> = flags().iter().map(|(name, _)| *name).collect();
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
                let c = Capability::from_line(
                    &kw,
                    kw.len(),
                    Line::read(kw.as_bytes(), kw.len(), ahead),
                );
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
                // The bit read without allocating is the bit of that mechanism.
                assert_eq!(
                    mechanism_name_bit(name.as_bytes(), ahead),
                    slow.as_ref().map(mechanism_bit),
                    "{name:?}"
                );
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

    /// The 20-line reply of a large provider, without its unknown line.
    const TYPICAL: &[u8] = b"250-mx.example.com Hello client.example.org [192.0.2.1]\r\n\
250-SIZE 52428800\r\n250-8BITMIME\r\n250-BINARYMIME\r\n250-CHUNKING\r\n250-PIPELINING\r\n\
250-DSN\r\n250-ENHANCEDSTATUSCODES\r\n250-SMTPUTF8\r\n250-STARTTLS\r\n250-REQUIRETLS\r\n\
250-AUTH PLAIN LOGIN XOAUTH2 OAUTHBEARER SCRAM-SHA-256\r\n250-DELIVERBY 240\r\n\
250-MT-PRIORITY MIXER\r\n250-FUTURERELEASE 604800 2030-01-01T00:00:00Z\r\n\
250-LIMITS RCPTMAX=100 MAILMAX=50\r\n250-VRFY\r\n250-HELP\r\n250 RRVS\r\n";

    /// Whether a reply holds nothing on the heap: its text borrowed, the unknown lines and
    /// the order inline.
    fn all_borrowed(e: &EhloReply<'_>) -> bool {
        matches!(e.source, Cow::Borrowed(_))
            && e.others.spill.capacity() == 0
            && e.order.spill.capacity() == 0
    }

    /// A typical reply (every line typed) is read by the one-pass parser into the bit set and
    /// fields, holding nothing on the heap; the general path reads the same.
    #[test]
    fn typical_reply_is_stored_without_allocating() {
        let Ok(Status::Complete(e, n)) = EhloReply::parse(TYPICAL) else {
            panic!()
        };
        assert_eq!(n, TYPICAL.len());
        assert!(all_borrowed(&e));
        assert_eq!(e.len(), 18);
        for ext in Extension::ALL {
            assert!(e.supports(ext), "{ext:?}");
        }
        assert_eq!(e.size(), Some(52428800));
        assert_eq!(e.deliver_by(), Some(240));
        assert_eq!(
            e.mt_priority().flatten().as_ref().map(Keyword::as_str),
            Some("MIXER")
        );
        assert_eq!(
            e.future_release().map(|(n, d)| (n, d.as_str().to_owned())),
            Some((604800, "2030-01-01T00:00:00Z".to_owned()))
        );
        assert_eq!(e.limit("mailmax"), Some(50));
        assert_eq!(e.limits().count(), 2);
        assert!(e.offers_auth(&Mechanism::ScramSha256) && !e.offers_auth(&Mechanism::CramMd5));
        assert!(!e.offers_auth(&Mechanism::Other("GSSAPI".into())));
        assert_eq!(e.auth_mechanisms().count(), 5);
        assert_eq!(e.unknown().len(), 0);
        let (r, _) = parse_reply(TYPICAL).unwrap().complete().unwrap();
        let general = EhloReply::from_reply(&r);
        assert!(all_borrowed(&general));
        assert_eq!(general, e);
        assert_eq!(e.to_reply().to_bytes(), TYPICAL);
        // The order is the order sent.
        let keywords: Vec<String> = e
            .capabilities()
            .map(|c| c.to_line().split(' ').next().unwrap_or_default().to_owned())
            .collect();
        let sent: Vec<&str> = std::str::from_utf8(TYPICAL)
            .unwrap()
            .split("\r\n")
            .skip(1)
            .filter(|l| !l.is_empty())
            .map(|l| l[4..].split(' ').next().unwrap())
            .collect();
        assert_eq!(keywords, sent);
    }

    /// A typed capability with parameters repeated is kept verbatim after the first, in its
    /// place; a keyword-only one repeated is typed every time; unknown lines keep their
    /// places between typed ones. The one-pass and general readings and `push` agree.
    #[test]
    fn repeated_and_unknown_lines_keep_their_places() {
        let wire = b"250-mx\r\n250-X-ONE 1\r\n250-SIZE 10\r\n250-PIPELINING\r\n250-SIZE 20\r\n\
250-PIPELINING\r\n250-AUTH PLAIN\r\n250-AUTH LOGIN\r\n250-X-TWO\r\n250 SIZE\r\n";
        let Ok(Status::Complete(e, _)) = EhloReply::parse(wire) else {
            panic!()
        };
        let (r, _) = parse_reply(wire).unwrap().complete().unwrap();
        assert_eq!(EhloReply::from_reply(&r), e);
        let other = |s: &'static str| {
            Capability::Other(OtherCapability {
                line: Text::known_ref(s),
            })
        };
        let want = [
            other("X-ONE 1"),
            Capability::Size(Some(10)),
            Capability::Pipelining,
            other("SIZE 20"),
            Capability::Pipelining,
            Capability::Auth(vec![Mechanism::Plain]),
            other("AUTH LOGIN"),
            other("X-TWO"),
            other("SIZE"),
        ];
        assert_eq!(e.capabilities().collect::<Vec<_>>(), want);
        assert_eq!(e.size(), Some(10));
        assert!(!e.offers_auth(&Mechanism::Login));
        assert_eq!(e.unknown().len(), 5);
        assert_eq!(e.to_reply().to_bytes(), wire);
        let built = EhloReply::new(Text::known_ref("mx"), want.clone());
        assert_eq!(built, e);
        // `has` with parameters looks at the typed capability.
        assert!(e.has(&Capability::Size(Some(10))) && !e.has(&Capability::Size(Some(20))));
    }

    /// More capabilities than the order holds inline spill to the heap, in order, on both
    /// readings.
    #[test]
    fn many_capabilities_spill_in_order() {
        let mut wire = b"250-mx\r\n".to_vec();
        for i in 0..45 {
            let line = match i % 3 {
                0 => format!("X-N{i}"),
                1 => "DSN".to_owned(),
                _ => format!("X-P{i} {i}"),
            };
            let sep = if i == 44 { ' ' } else { '-' };
            wire.extend_from_slice(format!("250{sep}{line}\r\n").as_bytes());
        }
        let Ok(Status::Complete(e, _)) = EhloReply::parse(&wire) else {
            panic!()
        };
        assert_eq!(e.len(), 45);
        assert!(e.order.spill.capacity() > 0);
        let (r, _) = parse_reply(&wire).unwrap().complete().unwrap();
        assert_eq!(EhloReply::from_reply(&r), e);
        assert_eq!(e.to_reply().to_bytes(), wire);
        assert_eq!(e.capabilities().len(), 45);
        assert_eq!(e.capabilities().nth(43), Some(Capability::Dsn));
        assert_eq!(e.into_owned().to_reply().to_bytes(), wire);
    }

    /// Digits read eight at a time give what [`number`] gives, for every byte value at every
    /// place of numbers of 0 to 20 digits, alone and with the line going on after them.
    #[test]
    fn number_at_agrees_with_number() {
        for len in 0..=20usize {
            let digits: Vec<u8> = (0..len).map(|i| b'0' + ((i * 7 + 3) % 10) as u8).collect();
            let mut cases = vec![digits.clone(), vec![b'9'; len], vec![b'0'; len]];
            for at in 0..len {
                for c in 0..=255u8 {
                    let mut d = digits.clone();
                    d[at] = c;
                    cases.push(d);
                }
            }
            for d in cases {
                let mut long = d.clone();
                long.extend_from_slice(b" 2030-01-01T00:00:00Z\r\n");
                let slow = super::number(&d);
                assert_eq!(super::number_at(&d, &long), slow, "{d:?}");
                assert_eq!(super::number_at(&d, &d), slow, "{d:?}");
            }
        }
    }

    /// Up to four unknown lines stay in place, the fifth moves them all to the heap; either
    /// way they come out in order, the same on both readings and after `into_owned`.
    #[test]
    fn unknown_lines_in_place_then_on_the_heap() {
        for n in 0..8 {
            let mut wire = b"250-mx\r\n".to_vec();
            for i in 0..n {
                wire.extend_from_slice(format!("250-X-K{i} v{i}\r\n250-DSN\r\n").as_bytes());
            }
            wire.extend_from_slice(b"250 PIPELINING\r\n");
            let Ok(Status::Complete(e, _)) = EhloReply::parse(&wire) else {
                panic!()
            };
            assert_eq!(e.others.spill.capacity() > 0, n > 4, "{n}");
            let (r, _) = parse_reply(&wire).unwrap().complete().unwrap();
            assert_eq!(EhloReply::from_reply(&r), e);
            let names: Vec<String> = (0..n).map(|i| format!("X-K{i} v{i}")).collect();
            let got: Vec<String> = e.unknown().map(|o| o.as_str().to_owned()).collect();
            assert_eq!(got, names);
            assert_eq!(e.to_reply().to_bytes(), wire);
            let owned = e.clone().into_owned();
            assert_eq!(owned, e);
            assert_eq!(owned.unknown().len(), n);
        }
    }

    /// LIMITS parameters checked in one pass are accepted when the pairs split at spaces and
    /// `=` are keywords and numbers, on near misses of a valid list.
    #[test]
    fn limits_one_pass_agrees_with_split_pairs() {
        let slow = |s: &str| {
            !s.is_empty()
                && s.split(' ').all(|pair| match pair.split_once('=') {
                    Some((name, n)) => {
                        Keyword::borrowed(name).is_ok() && super::number(n.as_bytes()).is_some()
                    }
                    None => false,
                })
        };
        let base = "RCPTMAX=100 MAILMAX=50 RCPTDOMAINMAX=18446744073709551615";
        let mut cases = vec![
            String::new(),
            " ".into(),
            "A=1 ".into(),
            " A=1".into(),
            "A=1  B=2".into(),
            "A=1=2".into(),
            "=1".into(),
            "A=".into(),
            "-A=1".into(),
            "A-B=1".into(),
            "A=18446744073709551616".into(),
        ];
        for at in 0..base.len() {
            for c in [
                b' ', b'=', b'-', b'0', b'9', b'a', b'Z', b'_', b'!', b'\t', 0x7f,
            ] {
                let mut v = base.as_bytes().to_vec();
                v[at] = c;
                cases.push(String::from_utf8(v).unwrap());
            }
            cases.push(base[..at].to_string());
        }
        for s in cases {
            let long = format!("{s}\r\n250 PIPELINING\r\n");
            for after in [s.as_bytes(), long.as_bytes()] {
                assert_eq!(
                    Line::limits(s.as_bytes(), after).is_some(),
                    slow(&s),
                    "{s:?}"
                );
            }
        }
    }

    /// Every kind of capability (each flag, every typed one with parameters, unknown lines in
    /// place and spilled to the heap, repeated typed lines) survives `into_owned` equal, with a
    /// short and a long greeting, from the one-pass parser and from the general reading, and
    /// owned twice.
    #[test]
    fn owned_reply_equals_borrowed_for_every_capability() {
        for greeting_len in [10, 600] {
            for unknown in [1, 4, 9] {
                let mut lines = vec![format!("mx.example.com {}", "g".repeat(greeting_len))];
                lines.extend(flags().iter().map(|(kw, _)| kw.to_string()));
                lines.extend(
                    [
                        "SIZE 52428800",
                        "DELIVERBY 240",
                        "MT-PRIORITY STANAG4406",
                        "FUTURERELEASE 604800 2030-01-01T00:00:00Z",
                        "AUTH PLAIN LOGIN XOAUTH2 X-OTHER",
                        "LIMITS RCPTMAX=100 MAILMAX=50",
                        "SIZE 10",
                        "AUTH CRAM-MD5",
                    ]
                    .map(str::to_owned),
                );
                lines.extend((0..unknown).map(|i| format!("X-UNKNOWN{i} a b={i}")));
                let mut wire = Vec::new();
                for (i, l) in lines.iter().enumerate() {
                    let sep = if i + 1 == lines.len() { ' ' } else { '-' };
                    wire.extend_from_slice(format!("250{sep}{l}\r\n").as_bytes());
                }
                let Ok(Status::Complete(e, _)) = EhloReply::parse(&wire) else {
                    panic!("{lines:?}")
                };
                let (r, _) = parse_reply(&wire).unwrap().complete().unwrap();
                for borrowed in [e, EhloReply::from_reply(&r)] {
                    let owned = borrowed.clone().into_owned();
                    assert_eq!(owned, borrowed);
                    assert_eq!(owned.greeting(), borrowed.greeting());
                    assert_eq!(owned.to_reply(), borrowed.to_reply());
                    assert_eq!(owned.to_reply().to_bytes(), wire);
                    assert!(owned.auth_mechanisms().eq(borrowed.auth_mechanisms()));
                    assert_eq!(owned.unknown().len(), unknown + 2);
                    assert!(owned.unknown().eq(borrowed.unknown()));
                    let again = owned.clone().into_owned();
                    assert_eq!(again, borrowed);
                    assert_eq!(format!("{again:?}"), format!("{borrowed:?}"));
                }
            }
        }
    }

    /// The owned copy is one copy of the parsed text (the consumed bytes, not what follows),
    /// with every range unchanged; owning an owned reply copies nothing.
    #[test]
    fn owned_reply_is_one_copy_of_the_text() {
        let mut wire = TYPICAL.to_vec();
        wire.extend_from_slice(b"250 next reply\r\n");
        let Ok(Status::Complete(e, n)) = EhloReply::parse(&wire) else {
            panic!()
        };
        assert_eq!(n, TYPICAL.len());
        assert_eq!(&*e.source, TYPICAL);
        let owned = e.clone().into_owned();
        assert!(matches!(owned.source, Cow::Owned(_)));
        assert_eq!(owned.source, e.source);
        assert_eq!(
            (owned.greeting, owned.auth, owned.limits, owned.mt_priority),
            (e.greeting, e.auth, e.limits, e.mt_priority)
        );
        assert_eq!(owned.future_release, e.future_release);
        let at = owned.source.as_ptr();
        let again = owned.into_owned();
        assert_eq!(again.source.as_ptr(), at);
        assert_eq!(again, e);
    }

    /// The general reading keeps the text the reply parser gives: borrowed for a one-line
    /// reply (which that parser borrows), owned for a multi-line one with an enhanced code
    /// (which it gathers); both read as `from_reply` reads them.
    #[test]
    fn general_reading_keeps_the_reply_text() {
        for (wire, borrowed) in [
            (&b"250 mx.example.org\r\n"[..], true),
            (
                b"250-2.0.0 mx\r\n250-2.0.0 SIZE 10\r\n250 2.0.0 X-A b\r\n",
                false,
            ),
        ] {
            let Ok(Status::Complete(e, n)) = EhloReply::parse(wire) else {
                panic!()
            };
            assert_eq!(n, wire.len());
            assert_eq!(matches!(e.source, Cow::Borrowed(_)), borrowed);
            let (r, _) = parse_reply(wire).unwrap().complete().unwrap();
            assert_eq!(EhloReply::from_reply(&r), e);
            assert_eq!(e.clone().into_owned(), e);
        }
    }

    /// Pushing onto a parsed (borrowed) reply copies its text once and appends the line; the
    /// result equals the reply parsed with that line, owned or not. A reply built from
    /// nothing but pushes equals it too.
    #[test]
    fn push_onto_a_parsed_reply() {
        let wire = b"250-mx hi\r\n250-SIZE 10\r\n250-X-A b\r\n250 AUTH PLAIN\r\n";
        let Ok(Status::Complete(mut e, _)) = EhloReply::parse(wire) else {
            panic!()
        };
        let pushed = [
            Capability::Limits(vec![(Keyword::new("RCPTMAX").unwrap(), 5)]),
            Capability::Auth(vec![Mechanism::Login]),
            Capability::MtPriority(Some(Keyword::new("MIXER").unwrap())),
            Capability::FutureRelease {
                max_interval: 9,
                max_datetime: crate::types::ParamValue::new("2030-01-01T00:00:00Z").unwrap(),
            },
            Capability::Other(OtherCapability::new("X-B", Some("c d")).unwrap()),
        ];
        for c in pushed.clone() {
            e.push(c);
        }
        assert!(matches!(e.source, Cow::Owned(_)));
        let longer = b"250-mx hi\r\n250-SIZE 10\r\n250-X-A b\r\n250-AUTH PLAIN\r\n\
250-LIMITS RCPTMAX=5\r\n250-AUTH LOGIN\r\n250-MT-PRIORITY MIXER\r\n\
250-FUTURERELEASE 9 2030-01-01T00:00:00Z\r\n250 X-B c d\r\n";
        let Ok(Status::Complete(want, _)) = EhloReply::parse(longer) else {
            panic!()
        };
        assert_eq!(e, want);
        assert_eq!(e.to_reply().to_bytes(), longer);
        assert_eq!(e.clone().into_owned(), want);
        let built = EhloReply::new(want.greeting(), want.capabilities());
        assert_eq!(built, want);
        assert_eq!(built.to_reply().to_bytes(), longer);
    }

    /// The byte checks the line reader uses for MT-PRIORITY's keyword and FUTURERELEASE's date
    /// accept what `Keyword::borrowed` and `ParamValue::borrowed` accept, on every character
    /// of one byte and a few of more at each place of short strings.
    #[test]
    fn byte_checks_agree_with_the_typed_checks() {
        let chars = (0u8..0x80)
            .map(char::from)
            .chain(['é', '\u{17f}', '\u{20ac}', '\u{1f600}']);
        let mut cases = vec![String::new()];
        for c in chars {
            for s in [
                format!("{c}"),
                format!("{c}A-1"),
                format!("MIX{c}"),
                format!("a{c}b"),
            ] {
                cases.push(s);
            }
        }
        for s in cases {
            assert_eq!(
                Keyword::is_keyword(s.as_bytes()),
                Keyword::borrowed(&s).is_ok(),
                "{s:?}"
            );
            assert_eq!(
                crate::types::ParamValue::is_value(s.as_bytes()),
                crate::types::ParamValue::borrowed(&s).is_ok(),
                "{s:?}"
            );
        }
    }

    /// A reply taken by value keeps its text: an owned (multi-line) reply's buffer becomes the
    /// EHLO reply's, not copied; a borrowed one stays borrowed; both read as `from_reply`.
    #[test]
    fn from_a_reply_by_value_keeps_its_text() {
        let wire = b"250-mx hi\r\n250-SIZE 10\r\n250 X-A b\r\n";
        let (r, _) = parse_reply(wire).unwrap().complete().unwrap();
        let want = EhloReply::from_reply(&r);
        let owned = r.clone().into_owned();
        let at = owned.text.as_ptr();
        let e = EhloReply::from(owned);
        assert!(matches!(e.source, Cow::Owned(_)));
        assert_eq!(e.source.as_ptr(), at);
        assert_eq!(e, want);
        let (r, _) = parse_reply(b"250 mx\r\n").unwrap().complete().unwrap();
        let e = EhloReply::from(r.clone());
        assert!(matches!(e.source, Cow::Borrowed(_)));
        assert_eq!(e, EhloReply::from_reply(&r));
    }

    /// The one-pass reading takes up to the 128 lines of the default limits (the last line
    /// may be the 128th) and answers what the general reading answers past them.
    #[test]
    fn one_pass_line_limit() {
        for n in [127, 128, 129, 130] {
            let mut wire = b"250-mx\r\n".to_vec();
            for i in 1..n {
                let sep = if i + 1 == n { ' ' } else { '-' };
                wire.extend_from_slice(format!("250{sep}X-K{i}\r\n").as_bytes());
            }
            let got = EhloReply::parse(&wire);
            match parse_reply(&wire) {
                Ok(Status::Complete(r, used)) => {
                    let Ok(Status::Complete(e, m)) = got else {
                        panic!("{n}")
                    };
                    assert_eq!((&e, m), (&EhloReply::from_reply(&r), used));
                    assert!(matches!(e.source, Cow::Borrowed(_)));
                    assert!(n <= 128);
                }
                want => {
                    assert!(n > 128);
                    assert_eq!(got.map(|_| ()), want.map(|_| ()));
                }
            }
        }
    }

    /// A reply with nothing but a greeting, and one with only flags, own equal too.
    #[test]
    fn owned_reply_of_greeting_alone() {
        for wire in [&b"250 mx\r\n"[..], b"250-mx hi\r\n250 DSN\r\n"] {
            let Ok(Status::Complete(e, _)) = EhloReply::parse(wire) else {
                panic!()
            };
            let owned = e.clone().into_owned();
            assert_eq!(owned, e);
            assert_eq!(owned.to_reply().to_bytes(), wire);
        }
    }
}

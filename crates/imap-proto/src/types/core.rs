//! The small nouns every IMAP production is built from: tags, atoms, strings, literals,
//! mailboxes, flags and sequence sets.

use std::borrow::Cow;
use std::fmt;
use std::num::NonZeroU32;

use crate::error::ValueError;
use crate::types::utf7;

/// The character classes the scanners test per byte, as tables (one load per byte instead of a
/// chain of comparisons). Bit 0: ATOM-CHAR; bit 1: ASTRING-CHAR; bit 2: tag char; bit 3: token
/// char.
const CLASSES: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0x21;
    while b <= 0x7e {
        let c = b as u8;
        let atom = !matches!(c, b'(' | b')' | b'{' | b'%' | b'*' | b'"' | b'\\' | b']');
        let astring = atom || c == b']';
        let tag = astring && c != b'+';
        let token = !matches!(c, b'(' | b')' | b'{' | b'"');
        t[b] = (atom as u8) | (astring as u8) << 1 | (tag as u8) << 2 | (token as u8) << 3;
        b += 1;
    }
    t
};

/// Whether `b` is an ATOM-CHAR (RFC 3501 9: any CHAR except atom-specials).
pub(crate) const fn is_atom_char(b: u8) -> bool {
    CLASSES[b as usize] & 1 != 0
}

/// Whether `b` is an ASTRING-CHAR (ATOM-CHAR or `]`).
pub(crate) const fn is_astring_char(b: u8) -> bool {
    CLASSES[b as usize] & 2 != 0
}

/// Whether `b` may appear in a tag (ASTRING-CHAR except `+`).
pub(crate) const fn is_tag_char(b: u8) -> bool {
    CLASSES[b as usize] & 4 != 0
}

/// Whether `b` may appear in a LIST pattern (ASTRING-CHAR or a wildcard).
pub(crate) const fn is_list_char(b: u8) -> bool {
    is_astring_char(b) || b == b'%' || b == b'*'
}

fn check_chars(s: &str, what: &'static str, ok: fn(u8) -> bool) -> Result<(), ValueError> {
    if s.is_empty() {
        return Err(ValueError::new(what, "empty"));
    }
    if !s.bytes().all(ok) {
        return Err(ValueError::new(what, "character not allowed"));
    }
    Ok(())
}

macro_rules! validated_str {
    ($(#[$doc:meta])* $name:ident, $what:literal, $check:expr) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash)]
        pub struct $name<'a>(Cow<'a, str>);

        impl<'a> $name<'a> {
            /// Builds the value, refusing characters the grammar does not allow.
            pub fn new(s: impl Into<Cow<'a, str>>) -> Result<Self, ValueError> {
                let s = s.into();
                check_chars(&s, $what, $check)?;
                Ok(Self(s))
            }

            /// Builds the value without checking; the parser has already checked.
            pub(crate) fn unchecked(s: Cow<'a, str>) -> Self {
                Self(s)
            }

            /// The text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Copies borrowed text so the value outlives the input buffer.
            pub fn into_owned(self) -> $name<'static> {
                $name(Cow::Owned(self.0.into_owned()))
            }
        }

        impl fmt::Debug for $name<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }

        impl fmt::Display for $name<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl<'a> TryFrom<&'a str> for $name<'a> {
            type Error = ValueError;
            fn try_from(s: &'a str) -> Result<Self, ValueError> {
                Self::new(s)
            }
        }
    };
}

validated_str!(
    /// A command tag: one or more ASTRING-CHAR except `+` (`A001`).
    Tag, "tag", is_tag_char
);
validated_str!(
    /// An atom: one or more ATOM-CHAR (`FLAGS`, `\Seen` without the backslash, `X-GM-EXT-1`).
    Atom, "atom", is_atom_char
);
validated_str!(
    /// The unquoted form of an astring: one or more ASTRING-CHAR (an atom that may hold `]`).
    AtomExt, "astring atom", is_astring_char
);
validated_str!(
    /// A LIST/LSUB pattern in its unquoted form: ASTRING-CHAR plus the wildcards `%` and `*`.
    ListAtom, "list pattern", is_list_char
);

/// How a literal is announced on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LiteralMode {
    /// `{n}`: the sender waits for a `+` continuation before the data (client to server).
    Sync,
    /// `{n+}`: LITERAL+ / LITERAL- (RFC 7888), sent without waiting.
    NonSync,
}

/// A literal: `{n}CRLF` followed by `n` bytes, or with `~` a literal8 (RFC 3516).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Literal<'a> {
    data: Cow<'a, [u8]>,
    mode: LiteralMode,
    binary: bool,
}

impl<'a> Literal<'a> {
    /// A text literal: any bytes except NUL.
    pub fn new(data: impl Into<Cow<'a, [u8]>>, mode: LiteralMode) -> Result<Self, ValueError> {
        let data = data.into();
        if memchr::memchr(0, &data).is_some() {
            return Err(ValueError::new("literal", "NUL byte (use a literal8)"));
        }
        Ok(Self {
            data,
            mode,
            binary: false,
        })
    }

    /// A literal8 (`~{n}`, RFC 3516): any bytes.
    pub fn binary(data: impl Into<Cow<'a, [u8]>>, mode: LiteralMode) -> Self {
        Self {
            data: data.into(),
            mode,
            binary: true,
        }
    }

    pub(crate) fn unchecked(data: &'a [u8], mode: LiteralMode, binary: bool) -> Self {
        Self {
            data: Cow::Borrowed(data),
            mode,
            binary,
        }
    }

    /// The literal's bytes.
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// `{n}` or `{n+}`.
    pub fn mode(&self) -> LiteralMode {
        self.mode
    }

    /// Whether this is a literal8 (`~{n}`).
    pub fn is_binary(&self) -> bool {
        self.binary
    }

    /// Copies borrowed bytes so the value outlives the input buffer.
    pub fn into_owned(self) -> Literal<'static> {
        Literal {
            data: Cow::Owned(self.data.into_owned()),
            mode: self.mode,
            binary: self.binary,
        }
    }
}

impl fmt::Debug for Literal<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Literal");
        match std::str::from_utf8(&self.data) {
            Ok(s) if s.len() <= 64 => d.field("data", &s),
            _ => d.field("len", &self.data.len()),
        };
        d.field("mode", &self.mode)
            .field("binary", &self.binary)
            .finish()
    }
}

/// The content of a quoted string (without quotes and escapes): no NUL, CR or LF.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Quoted<'a>(Cow<'a, [u8]>);

impl<'a> Quoted<'a> {
    /// Builds a quoted string, refusing CR, LF and NUL (which need a literal).
    pub fn new(data: impl Into<Cow<'a, [u8]>>) -> Result<Self, ValueError> {
        let data = data.into();
        if data.iter().any(|&b| matches!(b, 0 | b'\r' | b'\n')) {
            return Err(ValueError::new(
                "quoted string",
                "CR, LF or NUL (use a literal)",
            ));
        }
        Ok(Self(data))
    }

    pub(crate) fn unchecked(data: Cow<'a, [u8]>) -> Self {
        Self(data)
    }

    /// The unescaped bytes.
    pub fn data(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Quoted({:?})", String::from_utf8_lossy(&self.0))
    }
}

/// An IMAP `string`: quoted or literal.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum IString<'a> {
    /// `"..."`.
    Quoted(Quoted<'a>),
    /// `{n}CRLF...`.
    Literal(Literal<'a>),
}

impl<'a> IString<'a> {
    /// The string's bytes, whatever its form.
    pub fn data(&self) -> &[u8] {
        match self {
            Self::Quoted(q) => q.data(),
            Self::Literal(l) => l.data(),
        }
    }

    /// The bytes as text (lossy for non-UTF-8).
    pub fn to_str_lossy(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(self.data())
    }

    /// Chooses the quoted form when the bytes allow it, a synchronising literal otherwise.
    /// Fails only for NUL bytes, which need [`Literal::binary`].
    pub fn from_bytes(data: impl Into<Cow<'a, [u8]>>) -> Result<Self, ValueError> {
        let data = data.into();
        if data.iter().any(|&b| matches!(b, b'\r' | b'\n')) || data.len() > 1024 {
            Ok(Self::Literal(Literal::new(data, LiteralMode::Sync)?))
        } else {
            Ok(Self::Quoted(Quoted::new(data)?))
        }
    }
}

/// A `string` or NIL.
pub type NString<'a> = Option<IString<'a>>;

/// An `astring`: an atom (that may hold `]`) or a string.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AString<'a> {
    /// The bare form.
    Atom(AtomExt<'a>),
    /// The quoted or literal form.
    String(IString<'a>),
}

impl<'a> AString<'a> {
    /// The bytes, whatever the form.
    pub fn data(&self) -> &[u8] {
        match self {
            Self::Atom(a) => a.as_str().as_bytes(),
            Self::String(s) => s.data(),
        }
    }

    /// The bytes as text (lossy for non-UTF-8).
    pub fn to_str_lossy(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(self.data())
    }

    /// Chooses the shortest form that can carry `text`: atom, quoted, or literal.
    pub fn from_text(text: impl Into<Cow<'a, str>>) -> Result<Self, ValueError> {
        let text = text.into();
        if !text.is_empty() && text.bytes().all(is_astring_char) {
            return Ok(Self::Atom(AtomExt::unchecked(text)));
        }
        let bytes = match text {
            Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
            Cow::Owned(s) => Cow::Owned(s.into_bytes()),
        };
        Ok(Self::String(IString::from_bytes(bytes)?))
    }
}

/// A mailbox name as sent on the wire (modified UTF-7 unless UTF8=ACCEPT is on).
///
/// `INBOX` is matched case-insensitively by [`Mailbox::is_inbox`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Mailbox<'a>(pub AString<'a>);

impl<'a> Mailbox<'a> {
    /// A mailbox from a Unicode name, encoded in modified UTF-7 (RFC 3501 5.1.3).
    pub fn from_utf8(name: &str) -> Result<Mailbox<'static>, ValueError> {
        Ok(Mailbox(
            AString::from_text(utf7::encode(name))?.into_owned(),
        ))
    }

    /// A mailbox whose wire name is `name` as is (UTF8=ACCEPT, or already encoded).
    pub fn raw(name: impl Into<Cow<'a, str>>) -> Result<Self, ValueError> {
        Ok(Self(AString::from_text(name)?))
    }

    /// The wire bytes of the name.
    pub fn wire_name(&self) -> &[u8] {
        self.0.data()
    }

    /// The Unicode name: modified UTF-7 decoded when the wire name is valid mUTF-7, else the
    /// wire bytes as UTF-8 (UTF8=ACCEPT), lossily.
    pub fn name(&self) -> String {
        let raw = self.0.to_str_lossy();
        utf7::decode(&raw).unwrap_or_else(|| raw.into_owned())
    }

    /// Whether this is the INBOX (case-insensitive).
    pub fn is_inbox(&self) -> bool {
        self.0.data().eq_ignore_ascii_case(b"INBOX")
    }
}

impl AString<'_> {
    /// Copies borrowed bytes so the value outlives the input buffer.
    pub fn into_owned(self) -> AString<'static> {
        match self {
            Self::Atom(a) => AString::Atom(a.into_owned()),
            Self::String(s) => AString::String(s.into_owned()),
        }
    }
}

impl IString<'_> {
    /// Copies borrowed bytes so the value outlives the input buffer.
    pub fn into_owned(self) -> IString<'static> {
        match self {
            Self::Quoted(q) => IString::Quoted(Quoted(Cow::Owned(q.0.into_owned()))),
            Self::Literal(l) => IString::Literal(l.into_owned()),
        }
    }
}

/// A message flag (RFC 3501 2.3.2), also used for PERMANENTFLAGS (`\*`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Flag<'a> {
    /// `\Answered`.
    Answered,
    /// `\Flagged`.
    Flagged,
    /// `\Deleted`.
    Deleted,
    /// `\Seen`.
    Seen,
    /// `\Draft`.
    Draft,
    /// `\Recent` (only ever sent by servers; gone in IMAP4rev2).
    Recent,
    /// `\*`: new keywords may be created (PERMANENTFLAGS only).
    Wildcard,
    /// Another `\Name` flag (flag-extension); the atom is the name without the backslash.
    Extension(Atom<'a>),
    /// A keyword such as `$Forwarded` or `NonJunk`.
    Keyword(Atom<'a>),
}

impl<'a> Flag<'a> {
    /// Parses the text of one flag (`\Seen`, `$Junk`).
    pub fn from_text(s: &'a str) -> Result<Self, ValueError> {
        match s.strip_prefix('\\') {
            Some(name) => Ok(Self::system(Atom::new(name)?)),
            None => Ok(Self::Keyword(Atom::new(s)?)),
        }
    }

    pub(crate) fn system(name: Atom<'a>) -> Self {
        Self::known_system(name.as_str().as_bytes()).unwrap_or(Self::Extension(name))
    }

    /// The system flag named `n` (without the backslash), if it is one of RFC 9051's.
    pub(crate) fn known_system(n: &[u8]) -> Option<Self> {
        const SYSTEM: [(&[u8], Flag<'static>); 6] = [
            (b"Seen", Flag::Seen),
            (b"Answered", Flag::Answered),
            (b"Flagged", Flag::Flagged),
            (b"Deleted", Flag::Deleted),
            (b"Draft", Flag::Draft),
            (b"Recent", Flag::Recent),
        ];
        SYSTEM
            .iter()
            .find(|(name, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, f)| f.clone())
    }
}

/// One end of a sequence range: a number or `*` (the largest number in use).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SeqNumber {
    /// A message sequence number or UID.
    Value(NonZeroU32),
    /// `*`.
    Largest,
}

/// One element of a sequence set: a number or a range `a:b`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sequence {
    /// `n` or `*`.
    Single(SeqNumber),
    /// `a:b` (either order is allowed on the wire and means the same).
    Range(SeqNumber, SeqNumber),
}

/// A sequence set (`1:4,7,9:*`), or `$`, the saved search result (RFC 5182).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SequenceSet {
    /// A non-empty list of numbers and ranges.
    Set(Vec<Sequence>),
    /// `$`.
    Saved,
}

impl SequenceSet {
    /// A set from its elements; refuses an empty list.
    pub fn new(items: Vec<Sequence>) -> Result<Self, ValueError> {
        if items.is_empty() {
            return Err(ValueError::new("sequence set", "empty"));
        }
        Ok(Self::Set(items))
    }

    /// The set holding the range `a:b`. Zero is not a message number.
    pub fn range(a: u32, b: u32) -> Result<Self, ValueError> {
        let (Some(a), Some(b)) = (NonZeroU32::new(a), NonZeroU32::new(b)) else {
            return Err(ValueError::new("sequence set", "zero"));
        };
        Ok(Self::Set(vec![Sequence::Range(
            SeqNumber::Value(a),
            SeqNumber::Value(b),
        )]))
    }

    /// The set of the given numbers, one element each. Refuses zero and an empty list.
    pub fn from_numbers(n: &[u32]) -> Result<Self, ValueError> {
        let items = n
            .iter()
            .map(|&n| NonZeroU32::new(n).map(|n| Sequence::Single(SeqNumber::Value(n))))
            .collect::<Option<Vec<_>>>()
            .ok_or(ValueError::new("sequence set", "zero"))?;
        Self::new(items)
    }
}

/// A generic IMAP value, kept for what this crate does not model (unknown FETCH items,
/// response data, extension parameters): the `tagged-ext-val` shape of RFC 4466 widened to every
/// token servers send.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Value<'a> {
    /// `NIL`.
    Nil,
    /// A number (`number64`).
    Number(u64),
    /// A bare token other than NIL or a number (atoms, sequence sets, `\Flags`, `BODY[TEXT]`).
    Atom(Token<'a>),
    /// A quoted string or literal.
    String(IString<'a>),
    /// `( ... )`.
    List(Vec<Self>),
}

/// A bare token of a generic [`Value`]: printable ASCII without SP, parentheses, `"` or `{`,
/// where a bracketed part (`BODY[HEADER.FIELDS (A B)]`) may hold spaces and parentheses; not
/// `NIL` and not all digits (those read as [`Value::Nil`] and [`Value::Number`]).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Token<'a>(Cow<'a, str>);

impl<'a> Token<'a> {
    /// Builds a token, refusing what would not read back as the same token.
    pub fn new(s: impl Into<Cow<'a, str>>) -> Result<Self, ValueError> {
        let s = s.into();
        if s.is_empty() || s.eq_ignore_ascii_case("NIL") || s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ValueError::new("token", "empty, NIL or a number"));
        }
        let mut in_brackets = false;
        for b in s.bytes() {
            let ok = if in_brackets {
                in_brackets = b != b']';
                matches!(b, 0x20..=0x7e) && b != b'{'
            } else {
                in_brackets = b == b'[';
                is_token_char(b)
            };
            if !ok {
                return Err(ValueError::new("token", "character not allowed"));
            }
        }
        if in_brackets {
            return Err(ValueError::new("token", "unclosed ["));
        }
        Ok(Self(s))
    }

    pub(crate) fn unchecked(s: Cow<'a, str>) -> Self {
        Self(s)
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Token({:?})", self.0)
    }
}

/// Whether `b` may appear in a generic token.
pub(crate) const fn is_token_char(b: u8) -> bool {
    CLASSES[b as usize] & 8 != 0
}

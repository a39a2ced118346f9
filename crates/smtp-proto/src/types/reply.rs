//! Replies as values: a code, an optional enhanced status code, and lines of text. Parsing and
//! writing them is in [`crate::codec::reply`].

use std::borrow::Cow;
use std::fmt;

use super::{EnhancedCode, InvalidValue, ReplyCode, Text};

/// A reply: a code, an optional enhanced status code, and one or more lines of text.
///
/// The lines are kept in one string, separated by LF (which no line can contain), so a reply
/// costs one allocation however many lines it has, and none when its text is short. A parsed
/// one-line reply borrows its text from the bytes it was read from; [`Reply::into_owned`]
/// makes it `'static`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reply<'a> {
    pub(crate) code: ReplyCode,
    pub(crate) enhanced: Option<EnhancedCode>,
    /// The lines, separated by LF.
    pub(crate) text: ReplyText<'a>,
}

/// How many bytes of text [`ReplyText`] holds in place: most one-line replies (`Sender OK`,
/// `Ok: queued as 4ZkQ2n1xYz`, `Start mail input; end with <CRLF>.<CRLF>`) fit.
const INLINE_TEXT: usize = 46;

/// A reply's text: borrowed from the bytes parsed, or owned; owned text of up to
/// [`INLINE_TEXT`] bytes is held in place rather than on the heap. It reads as a `str`.
#[derive(Clone)]
pub(crate) enum ReplyText<'a> {
    Borrowed(&'a str),
    Owned(String),
    /// The first `len` bytes are the text (a whole string's bytes, so UTF-8).
    Inline {
        len: u8,
        bytes: [u8; INLINE_TEXT],
    },
}

impl<'a> ReplyText<'a> {
    /// The text as a string (the bytes of an inline text are checked a word at a time: they
    /// are a string's bytes, so the check never fails).
    #[inline]
    pub(crate) fn as_str(&self) -> &str {
        match self {
            Self::Borrowed(s) => s,
            Self::Owned(s) => s,
            Self::Inline { len, bytes } => {
                let b = bytes.get(..usize::from(*len)).unwrap_or_default();
                mail_simd::utf8(b).unwrap_or_default()
            }
        }
    }

    /// The same text, owning it: in place if it is short, else one copy on the heap.
    #[inline]
    pub(crate) fn into_owned(self) -> ReplyText<'static> {
        match self {
            Self::Borrowed(s) => ReplyText::copied(s),
            Self::Owned(s) => ReplyText::Owned(s),
            Self::Inline { len, bytes } => ReplyText::Inline { len, bytes },
        }
    }

    /// The text as a `Cow`, borrowed if it is borrowed.
    pub(crate) fn into_cow(self) -> Cow<'a, str> {
        match self {
            Self::Borrowed(s) => Cow::Borrowed(s),
            Self::Owned(s) => Cow::Owned(s),
            inline @ Self::Inline { .. } => Cow::Owned(inline.as_str().to_owned()),
        }
    }
}

impl ReplyText<'static> {
    /// An owned copy of `s`: in place if it is short.
    #[inline]
    pub(crate) fn copied(s: &str) -> Self {
        let mut bytes = [0u8; INLINE_TEXT];
        match bytes.get_mut(..s.len()) {
            Some(dst) => {
                dst.copy_from_slice(s.as_bytes());
                Self::Inline {
                    len: s.len() as u8,
                    bytes,
                }
            }
            None => Self::Owned(s.to_owned()),
        }
    }
}

impl std::ops::Deref for ReplyText<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for ReplyText<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for ReplyText<'_> {}

impl std::hash::Hash for ReplyText<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for ReplyText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl Reply<'static> {
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
        let mut text = String::new();
        for (i, l) in lines.into_iter().enumerate() {
            Text::new(l)?;
            if i > 0 {
                text.push('\n');
            }
            text.push_str(l);
        }
        Ok(Self {
            code,
            enhanced,
            text: ReplyText::Owned(text),
        })
    }

    /// For the crate's own fixed replies (literals known to be valid).
    pub(crate) fn fixed(code: u16, enhanced: (u8, u16, u16), text: &str) -> Self {
        Self {
            code: ReplyCode::known(code),
            enhanced: Some(EnhancedCode::known(enhanced.0, enhanced.1, enhanced.2)),
            text: {
                debug_assert!(Text::new(text).is_ok(), "{text:?}");
                ReplyText::copied(text)
            },
        }
    }

    pub(crate) fn from_parts(
        code: ReplyCode,
        enhanced: Option<EnhancedCode>,
        lines: &[Text<'_>],
    ) -> Self {
        let v: Vec<&str> = lines.iter().map(Text::as_str).collect();
        Self {
            code,
            enhanced,
            text: ReplyText::Owned(v.join("\n")),
        }
    }
}

impl<'a> Reply<'a> {
    /// The same reply, owning its text, to keep past the bytes it was parsed from.
    pub fn into_owned(self) -> Reply<'static> {
        Reply {
            code: self.code,
            enhanced: self.enhanced,
            text: self.text.into_owned(),
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

    /// The lines of text, without codes (at least one, maybe empty).
    pub fn lines(&self) -> impl Iterator<Item = &str> + '_ {
        // LF is ASCII, so splitting the bytes splits the string at character boundaries.
        let mut rest = Some(&*self.text);
        std::iter::from_fn(move || {
            let s = rest?;
            match memchr::memchr(b'\n', s.as_bytes()) {
                Some(i) => {
                    rest = s.get(i + 1..);
                    s.get(..i)
                }
                None => {
                    rest = None;
                    Some(s)
                }
            }
        })
    }

    /// How many lines [`Reply::lines`] gives, without splitting them.
    pub(crate) fn line_count(&self) -> usize {
        1 + self.text.bytes().filter(|&b| b == b'\n').count()
    }

    /// The first line of text.
    pub fn first_line(&self) -> &str {
        self.lines().next().unwrap_or_default()
    }

    /// The text lines joined with a space.
    pub fn text(&self) -> String {
        self.text.replace('\n', " ")
    }

    /// 2xx.
    pub fn is_positive(&self) -> bool {
        self.code.is_positive()
    }
}

impl fmt::Display for Reply<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code)?;
        if let Some(e) = self.enhanced {
            write!(f, " {e}")?;
        }
        write!(f, " {}", self.text())
    }
}

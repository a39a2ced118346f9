//! Replies as values: a code, an optional enhanced status code, and lines of text. Parsing and
//! writing them is in [`crate::codec::reply`].

use std::borrow::Cow;
use std::fmt;

use super::{EnhancedCode, InvalidValue, ReplyCode, Text};

/// A reply: a code, an optional enhanced status code, and one or more lines of text.
///
/// The lines are kept in one string, separated by LF (which no line can contain), so a reply
/// costs one allocation however many lines it has. A parsed one-line reply borrows its text
/// from the bytes it was read from; [`Reply::into_owned`] makes it `'static`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reply<'a> {
    pub(crate) code: ReplyCode,
    pub(crate) enhanced: Option<EnhancedCode>,
    /// The lines, separated by LF.
    pub(crate) text: Cow<'a, str>,
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
            text: Cow::Owned(text),
        })
    }

    /// For the crate's own fixed replies (literals known to be valid).
    pub(crate) fn fixed(code: u16, enhanced: (u8, u16, u16), text: &str) -> Self {
        Self {
            code: ReplyCode::known(code),
            enhanced: Some(EnhancedCode::known(enhanced.0, enhanced.1, enhanced.2)),
            text: {
                debug_assert!(Text::new(text).is_ok(), "{text:?}");
                Cow::Owned(text.to_owned())
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
            text: Cow::Owned(v.join("\n")),
        }
    }
}

impl<'a> Reply<'a> {
    /// The same reply, owning its text, to keep past the bytes it was parsed from.
    pub fn into_owned(self) -> Reply<'static> {
        Reply {
            code: self.code,
            enhanced: self.enhanced,
            text: Cow::Owned(self.text.into_owned()),
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

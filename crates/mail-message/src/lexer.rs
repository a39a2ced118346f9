//! The RFC 5322 / RFC 2045 lexical layer shared by the structured-field parsers: atoms,
//! quoted-strings, domain literals and specials, with CFWS (comments, folding white space)
//! skipped.

use std::borrow::Cow;

/// One lexical token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Token<'a> {
    /// A run of `atext` (dots included, which gives `dot-atom` and `obs-phrase` for free).
    Atom(&'a [u8]),
    /// The content of a quoted-string, quoted-pairs resolved and CR/LF removed.
    Quoted(Cow<'a, [u8]>),
    /// A domain literal with its brackets.
    DomainLiteral(Cow<'a, [u8]>),
    /// One special character.
    Special(u8),
}

/// Which characters end an atom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Specials {
    /// RFC 5322 `specials` less `.` (addresses, message ids).
    Rfc5322,
    /// RFC 2045 `tspecials` (Content-Type, Content-Disposition): adds `/`, `?`, `=`.
    Mime,
}

impl Specials {
    pub(crate) const fn is_special(self, c: u8) -> bool {
        match self {
            Self::Rfc5322 => matches!(
                c,
                b'(' | b')' | b'<' | b'>' | b'[' | b']' | b':' | b';' | b'@' | b',' | b'"'
            ),
            Self::Mime => matches!(
                c,
                b'(' | b')'
                    | b'<'
                    | b'>'
                    | b'['
                    | b']'
                    | b':'
                    | b';'
                    | b'@'
                    | b','
                    | b'"'
                    | b'/'
                    | b'?'
                    | b'='
            ),
        }
    }
}

/// The bytes that end an atom: white space and the specials, one table per set.
const fn atom_end_table(specials: Specials) -> [bool; 256] {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = matches!(b, b' ' | b'\t' | b'\r' | b'\n') || specials.is_special(b);
        c += 1;
    }
    t
}

static ATOM_END_RFC5322: [bool; 256] = atom_end_table(Specials::Rfc5322);
static ATOM_END_MIME: [bool; 256] = atom_end_table(Specials::Mime);

/// Whether `c` ends an RFC 5322 atom (white space or a special).
#[inline]
pub(crate) fn ends_atom(c: u8) -> bool {
    ATOM_END_RFC5322[usize::from(c)]
}

/// A streaming lexer; `malformed` is set when a comment, quoted-string or domain literal is
/// not closed.
#[derive(Clone)]
pub(crate) struct Lexer<'a> {
    input: &'a [u8],
    pos: usize,
    specials: Specials,
    pub(crate) malformed: bool,
}

pub(crate) fn is_wsp(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(input: &'a [u8], specials: Specials) -> Self {
        Self {
            input,
            pos: 0,
            specials,
            malformed: false,
        }
    }

    /// The unread input.
    pub(crate) fn rest(&self) -> &'a [u8] {
        self.input.get(self.pos..).unwrap_or_default()
    }

    /// Skips white space and comments; true if anything was skipped.
    pub(crate) fn skip_cfws(&mut self) -> bool {
        let start = self.pos;
        while let Some(&c) = self.input.get(self.pos) {
            if is_wsp(c) {
                self.pos += 1;
            } else if c == b'(' {
                self.skip_comment();
            } else {
                break;
            }
        }
        self.pos != start
    }

    fn skip_comment(&mut self) {
        let mut depth = 0usize;
        while let Some(&c) = self.input.get(self.pos) {
            self.pos += 1;
            match c {
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return;
                    }
                }
                b'\\' => self.pos += 1,
                _ => {}
            }
        }
        self.pos = self.input.len();
        self.malformed = true;
    }

    /// Reads bytes up to (not including) any of `stop`, raw, for tolerant value reading.
    pub(crate) fn take_until(&mut self, stop: impl Fn(u8) -> bool) -> &'a [u8] {
        let rest = self.rest();
        let n = rest.iter().position(|&c| stop(c)).unwrap_or(rest.len());
        self.pos += n;
        &rest[..n]
    }

    fn quoted(&mut self, close: u8) -> Cow<'a, [u8]> {
        // self.pos is just after the opening quote or bracket.
        let start = self.pos;
        let mut owned: Option<Vec<u8>> = None;
        while let Some(&c) = self.input.get(self.pos) {
            if c == close {
                let out = match owned {
                    Some(v) => Cow::Owned(v),
                    None => Cow::Borrowed(&self.input[start..self.pos]),
                };
                self.pos += 1;
                return out;
            }
            match c {
                b'\\' => {
                    let v = owned.get_or_insert_with(|| self.input[start..self.pos].to_vec());
                    if let Some(&next) = self.input.get(self.pos + 1) {
                        v.push(next);
                    }
                    self.pos += 2;
                }
                b'\r' | b'\n' => {
                    owned.get_or_insert_with(|| self.input[start..self.pos].to_vec());
                    self.pos += 1;
                }
                _ => {
                    if let Some(v) = &mut owned {
                        v.push(c);
                    }
                    self.pos += 1;
                }
            }
        }
        self.malformed = true;
        let end = self.input.len();
        self.pos = end;
        match owned {
            Some(v) => Cow::Owned(v),
            None => Cow::Borrowed(&self.input[start.min(end)..end]),
        }
    }
}

impl<'a> Iterator for Lexer<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        self.skip_cfws();
        let &c = self.input.get(self.pos)?;
        if c == b'"' {
            self.pos += 1;
            return Some(Token::Quoted(self.quoted(b'"')));
        }
        if c == b'[' && self.specials == Specials::Rfc5322 {
            self.pos += 1;
            let inner = self.quoted(b']');
            let mut v = Vec::with_capacity(inner.len() + 2);
            v.push(b'[');
            v.extend(inner.iter().copied().filter(|&c| !is_wsp(c)));
            v.push(b']');
            return Some(Token::DomainLiteral(Cow::Owned(v)));
        }
        if self.specials.is_special(c) {
            self.pos += 1;
            return Some(Token::Special(c));
        }
        let start = self.pos;
        if self.specials == Specials::Rfc5322 {
            // An encoded-word is one word even when its text holds specials (RFC 2047 5(3)
            // forbids that, but writers do it and readers cope).
            if let Some(ew) = crate::rfc2047::parse_encoded_word(&self.input[start..]) {
                self.pos += ew.len;
                return Some(Token::Atom(&self.input[start..self.pos]));
            }
        }
        let ends = match self.specials {
            Specials::Rfc5322 => &ATOM_END_RFC5322,
            Specials::Mime => &ATOM_END_MIME,
        };
        let rest = self.input.get(start..).unwrap_or_default();
        self.pos = start
            + rest
                .iter()
                .position(|&c| ends[usize::from(c)])
                .unwrap_or(rest.len());
        Some(Token::Atom(&self.input[start..self.pos]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        let toks: Vec<_> = Lexer::new(
            br#"Pete(A nice \) chap) <pete(his (nested) account)@silly.test> "a\"b" [1.2 .3.4]"#,
            Specials::Rfc5322,
        )
        .collect();
        assert_eq!(
            toks,
            [
                Token::Atom(b"Pete"),
                Token::Special(b'<'),
                Token::Atom(b"pete"),
                Token::Special(b'@'),
                Token::Atom(b"silly.test"),
                Token::Special(b'>'),
                Token::Quoted(Cow::Owned(b"a\"b".to_vec())),
                Token::DomainLiteral(Cow::Owned(b"[1.2.3.4]".to_vec())),
            ]
        );
    }

    #[test]
    fn atom_end_tables_match_the_definitions() {
        for c in 0..=255u8 {
            for (specials, table) in [
                (Specials::Rfc5322, &ATOM_END_RFC5322),
                (Specials::Mime, &ATOM_END_MIME),
            ] {
                assert_eq!(
                    table[usize::from(c)],
                    is_wsp(c) || specials.is_special(c),
                    "{c} {specials:?}"
                );
            }
        }
    }

    #[test]
    fn unclosed_is_malformed_not_a_panic() {
        for input in [&b"(abc"[..], b"\"abc", b"[abc", b"\"\\", b"(\\"] {
            let mut l = Lexer::new(input, Specials::Rfc5322);
            let _ = l.by_ref().count();
            assert!(l.malformed, "{input:?}");
        }
    }
}

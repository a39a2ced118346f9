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
    /// Whether a line break that is no fold was read (anywhere: see [`Self::note_break`]):
    /// the tokens may then not be those of the unfolded value, which a caller reads instead.
    /// Once every token is read, this is [`has_bare_break`] of the input.
    pub(crate) bare_break: bool,
}

/// Whether `value` has a line break that is no fold: a CR or LF followed by a byte that is
/// neither white space nor another CR or LF. The structured parsers read CR and LF as white
/// space, which gives what they give on the unfolded value (every CR and LF removed) unless a
/// line break splits a word; a value with one is unfolded first.
pub(crate) fn has_bare_break(value: &[u8]) -> bool {
    // Breaks are a line (a few dozen bytes) apart: `find_break` has no set-up cost for a short
    // distance, where restarting `memchr2` at each one cost ~90 instructions (a 135 KB To of
    // 2,710 folded lines in the corpus). A CRLF is stepped over as one.
    let mut at = 0;
    while let Some(found) = value.get(at..).and_then(mail_simd::find_break) {
        let p = at + found;
        let after = match value.get(p..p + 2) {
            Some(b"\r\n") => p + 2,
            _ => p + 1,
        };
        if !matches!(value.get(after), None | Some(b' ' | b'\t' | b'\r' | b'\n')) {
            return true;
        }
        at = after;
    }
    false
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
            bare_break: false,
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
                self.note_break(self.pos);
                self.pos += 1;
            } else if c == b'(' {
                self.skip_comment();
            } else {
                break;
            }
        }
        self.pos != start
    }

    /// Sets [`bare_break`](Self::bare_break) if the byte at `at` is a CR or LF followed by a
    /// byte that is neither white space nor CR or LF: called for every CR and LF the lexer
    /// reads (between tokens, in a comment, a quoted string or a domain literal, quoted or
    /// not), since a break that is no fold can change the tokens anywhere (an encoded-word it
    /// splits leaves a `"` or `(` of its text to start a quoted string or a comment).
    #[inline]
    fn note_break(&mut self, at: usize) {
        if matches!(self.input.get(at), Some(b'\r' | b'\n'))
            && !matches!(
                self.input.get(at + 1),
                None | Some(b' ' | b'\t' | b'\r' | b'\n')
            )
        {
            self.bare_break = true;
        }
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
                b'\\' => {
                    self.note_break(self.pos);
                    self.pos += 1;
                }
                _ => self.note_break(self.pos - 1),
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
                    // A quoted-pair across a fold (`\` CRLF WSP) quotes the white space, as
                    // in the unfolded value: the line break is no part of it.
                    let mut next = self.pos + 1;
                    while matches!(self.input.get(next), Some(b'\r' | b'\n')) {
                        self.note_break(next);
                        next += 1;
                    }
                    if let Some(&c) = self.input.get(next) {
                        v.push(c);
                    }
                    self.pos = next + 1;
                }
                b'\r' | b'\n' => {
                    owned.get_or_insert_with(|| self.input[start..self.pos].to_vec());
                    self.note_break(self.pos);
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

/// The length of the encoded-word at the start of `input`: the same answer as
/// `rfc2047::parse_encoded_word(input).map(|w| w.len)`, found in one pass without building the
/// word. The usual shape (a charset of letters, digits and `-`, then `?B?` or `?Q?`) is read
/// here, its text eight bytes at a time; anything else (a `*language`, other token bytes in the
/// charset, a charset of 40 bytes or more) goes to `parse_encoded_word`.
pub(crate) fn encoded_word_len(input: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let general = || crate::rfc2047::parse_encoded_word(input).map(|w| w.len);
    let Some(head) = input.get(..8) else {
        return general();
    };
    let head = u64::from_le_bytes(head.try_into().ok()?);
    if head & 0xffff != u64::from(u16::from_le_bytes(*b"=?")) {
        return None;
    }
    // The charset: `utf-8` in either case at once (the letters' case bit set), else letters,
    // digits and `-` (token bytes, none of them `*`) up to the `?`.
    let mut i = if head | 0x0000_0020_2020_0000 == u64::from_le_bytes(*b"=?utf-8?") {
        7
    } else {
        let mut i = 2;
        loop {
            match input.get(i) {
                Some(&c) if CHARSET[usize::from(c)] && i < 42 => i += 1,
                Some(b'?') if i > 2 => break i,
                // No `?`: no word.
                None => return None,
                // Another byte, or a long charset (the general reading's 80-byte bound
                // decides).
                Some(_) => return general(),
            }
        }
    };
    // `?B?` or `?Q?` in either case.
    match input.get(i + 1..i + 3)? {
        [b'B' | b'b' | b'Q' | b'q', b'?'] => {}
        _ => return None,
    }
    i += 3;
    // The text runs to the first `?`, which `=` must follow; white space before it means no
    // word. Eight bytes at a time: a word with no byte below 0x21 and no `?` is skipped whole.
    while let Some(chunk) = input.get(i..i + 8) {
        let w = u64::from_le_bytes(chunk.try_into().ok()?);
        let q = w ^ (ONES * u64::from(b'?'));
        let low = w.wrapping_sub(ONES * 0x21) & !w & HIGH;
        let quest = q.wrapping_sub(ONES) & !q & HIGH;
        if low | quest != 0 {
            break;
        }
        i += 8;
    }
    while let Some(&c) = input.get(i) {
        match c {
            b'?' => return (input.get(i + 1) == Some(&b'=')).then_some(i + 2),
            b' ' | b'\t' | b'\r' | b'\n' => return None,
            _ => i += 1,
        }
    }
    None
}

/// The bytes of a charset name read by `encoded_word_len`: letters, digits and `-`.
static CHARSET: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = (c as u8).is_ascii_alphanumeric() || c as u8 == b'-';
        c += 1;
    }
    t
};

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
            if let Some(len) = encoded_word_len(&self.input[start..]) {
                self.pos += len;
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

    /// `has_bare_break` is the plain definition (a CR or LF followed by a byte that is not
    /// white space, CR or LF) on folds of every kind, bare CRs and LFs, long values (past
    /// `find_break`'s SSE2 blocks) and breaks at either end.
    #[test]
    fn bare_breaks_as_defined() {
        let plain = |v: &[u8]| {
            v.iter().enumerate().any(|(i, &c)| {
                matches!(c, b'\r' | b'\n')
                    && !matches!(v.get(i + 1), None | Some(b' ' | b'\t' | b'\r' | b'\n'))
            })
        };
        let pieces: [&[u8]; 9] = [
            b"a", b"word, ", b" ", b"\r\n ", b"\r\n\t", b"\n ", b"\r", b"\n", b"\r\n",
        ];
        let mut seed = 0x9e37_79b9u32;
        let mut bare = 0;
        for n in 0..4000 {
            let mut v = Vec::new();
            for _ in 0..n % 200 {
                seed = crate::test_rng::step(seed);
                // Mostly words and folds; now and then a bare break.
                let k = (seed >> 16) as usize % 64;
                v.extend_from_slice(pieces[if k < 56 { k % 6 } else { 6 + k % 3 }]);
            }
            assert_eq!(has_bare_break(&v), plain(&v), "{v:?}");
            bare += usize::from(plain(&v));
        }
        assert!(bare > 500 && bare < 3500, "{bare}");
    }

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

    fn general_len(input: &[u8]) -> Option<usize> {
        crate::rfc2047::parse_encoded_word(input).map(|w| w.len)
    }

    #[test]
    fn encoded_word_len_matches_parse_encoded_word() {
        // The usual shape read here (text in whole words and in the tail), the shapes handed
        // to the general reading (a language, other token bytes, a long charset), and near
        // misses of each.
        let long = "a".repeat(60);
        let cases: Vec<String> = vec![
            "=?utf-8?q?date=3E2017-08-20T10:08:28.617=3C/pr?= rest".into(),
            "=?UTF-8?B?SGVsbG8gV29ybGQ=?=".into(),
            "=?iso-8859-1?Q?a?=".into(),
            "=?utf-8?q??=".into(),
            "=?utf-8?q?abcdefgh?=".into(),
            "=?utf-8?q?abcdefg?=".into(),
            "=?utf-8?q?abcdefghi?x".into(),
            "=?utf-8?q?abc def?=".into(),
            "=?utf-8?q?abcdefgh\tij?=".into(),
            "=?utf-8?q?abcdefgh\x01ij?=".into(),
            "=?utf-8?q?\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}?=".into(),
            "=?utf-8?x?a?=".into(),
            "=?utf-8?q".into(),
            "=?utf-8?q?abc".into(),
            "=?utf-8".into(),
            "=??q?a?=".into(),
            "=?utf-8*en?q?a?=".into(),
            "=?x_y?q?a?=".into(),
            "=?*en?q?a?=".into(),
            "=?utf 8?q?a?=".into(),
            format!("=?{long}?q?a?="),
            format!("=?{}?q?a?=", &long[..39]),
            format!("=?{}?q?a?=", &long[..40]),
            format!("=?{}?q?a?=", "a".repeat(79)),
            format!("=?{}?q?a?=", "a".repeat(80)),
            "=x".into(),
            "".into(),
        ];
        for case in &cases {
            let b = case.as_bytes();
            assert_eq!(encoded_word_len(b), general_len(b), "{case:?}");
        }
        assert_eq!(encoded_word_len(b"=?utf-8?q?a_b?= c"), Some(15));
    }

    proptest::proptest! {
        /// Random bytes from the alphabet of encoded-words after `=?`: the one-pass length
        /// equals the general reading's.
        #[test]
        fn encoded_word_len_equals_parse_encoded_word(
            bytes in proptest::collection::vec(
                proptest::sample::select(
                    b"=?uUtf-8*qQbBa_ \t\r\n\x01\xc3\xa9.".to_vec()
                ),
                0..60,
            ),
            prefix in proptest::sample::select(vec![&b"=?"[..], b"=?utf-8?", b"=?UTF-8?q?", b""]),
        ) {
            let input = [prefix, &bytes[..]].concat();
            proptest::prop_assert_eq!(encoded_word_len(&input), general_len(&input));
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

//! The lexical layer shared by the command and response parsers: a cursor over one complete
//! unit (framed beforehand, so running out of bytes here is a grammar error, not a pause).

use std::borrow::Cow;
use std::num::NonZeroU32;

use crate::codec::ParseOptions;
use crate::error::{ParseError, ParseErrorKind};
use crate::types::*;

pub(crate) type PResult<T> = Result<T, ParseError>;

/// An ASCII-uppercased copy of a short keyword on the stack, for `match`ing names as bytes
/// without allocating or re-validating UTF-8. Longer names (no keyword is longer than 32 bytes)
/// read as empty.
pub(crate) struct Upper {
    buf: [u8; 32],
    len: usize,
}

impl Upper {
    pub(crate) fn new(s: &[u8]) -> Self {
        let mut buf = [0u8; 32];
        let len = match buf.get_mut(..s.len()) {
            Some(dst) => {
                dst.copy_from_slice(s);
                dst.make_ascii_uppercase();
                s.len()
            }
            None => 0,
        };
        Self { buf, len }
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or_default()
    }
}

/// Bytes that end the fast scan of a quoted string: the closing quote, a backslash escape,
/// and what a quoted string may not hold (CR, LF, NUL).
const QUOTED_STOP: [bool; 256] = {
    let mut t = [false; 256];
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t[b'\r' as usize] = true;
    t[b'\n' as usize] = true;
    t[0] = true;
    t
};

/// The high bit of each byte of the little-endian word `w` that is `"`, `\\` or below 0x20;
/// exact for the lowest flagged byte (the borrow trick may flag bytes above a real one).
fn quoted_stops(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte below n sets its high bit in (w - n) & !w (n <= 0x80).
    let below = |w: u64, n: u64| w.wrapping_sub(ONES * n) & !w & HIGH;
    below(w, 0x20)
        | below(w ^ (ONES * u64::from(b'"')), 1)
        | below(w ^ (ONES * u64::from(b'\\')), 1)
}

pub(crate) struct Reader<'a, 'o> {
    buf: &'a [u8],
    pub(crate) pos: usize,
    pub(crate) opts: &'o ParseOptions,
    depth: usize,
    /// A stretch of `buf` known to be UTF-8, starting at `text_start` and validated once (up
    /// to the end of its line or the first invalid byte), so atoms and text are sliced out of
    /// it instead of each being validated again.
    text: &'a str,
    text_start: usize,
    /// The unit holds no literal (it is one line), so a stretch may run to its end without
    /// looking for the line end.
    pub(crate) one_line: bool,
}

impl<'a, 'o> Reader<'a, 'o> {
    pub(crate) fn new(buf: &'a [u8], opts: &'o ParseOptions) -> Self {
        Self {
            buf,
            pos: 0,
            opts,
            depth: 0,
            text: "",
            text_start: 0,
            one_line: false,
        }
    }

    pub(crate) fn depth(&self) -> usize {
        self.depth
    }

    pub(crate) fn set_depth(&mut self, depth: usize) {
        self.depth = depth;
    }

    pub(crate) fn err<T>(&self, what: &'static str) -> PResult<T> {
        Err(ParseError::new(self.pos, ParseErrorKind::Expected(what)))
    }

    pub(crate) fn fail<T>(&self, kind: ParseErrorKind) -> PResult<T> {
        Err(ParseError::new(self.pos, kind))
    }

    pub(crate) fn peek(&self) -> Option<u8> {
        self.buf.get(self.pos).copied()
    }

    pub(crate) fn peek_at(&self, n: usize) -> Option<u8> {
        self.buf.get(self.pos + n).copied()
    }

    pub(crate) fn rest(&self) -> &'a [u8] {
        self.buf.get(self.pos..).unwrap_or_default()
    }

    pub(crate) fn rest_from(&self, start: usize) -> &'a [u8] {
        self.buf.get(start..self.pos).unwrap_or_default()
    }

    pub(crate) fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    pub(crate) fn expect(&mut self, b: u8, what: &'static str) -> PResult<()> {
        if self.eat(b) {
            Ok(())
        } else {
            self.err(what)
        }
    }

    /// One SP (more with `allow_extra_spaces`).
    pub(crate) fn sp(&mut self) -> PResult<()> {
        self.expect(b' ', "SP")?;
        if self.opts.allow_extra_spaces {
            while self.eat(b' ') {}
        }
        Ok(())
    }

    /// Enters a parenthesised level, checking the nesting limit.
    pub(crate) fn open(&mut self) -> PResult<()> {
        self.expect(b'(', "(")?;
        self.depth += 1;
        if self.depth > self.opts.max_depth {
            return self.fail(ParseErrorKind::TooDeep {
                limit: self.opts.max_depth,
            });
        }
        Ok(())
    }

    /// Counts a level of nesting that has no parenthesis (SEARCH's NOT and OR).
    pub(crate) fn nest<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        self.depth += 1;
        if self.depth > self.opts.max_depth {
            return self.fail(ParseErrorKind::TooDeep {
                limit: self.opts.max_depth,
            });
        }
        let out = f(self);
        self.depth = self.depth.saturating_sub(1);
        out
    }

    pub(crate) fn close(&mut self) -> PResult<()> {
        if self.opts.allow_extra_spaces {
            while self.eat(b' ') {}
        }
        self.expect(b')', ")")?;
        self.depth = self.depth.saturating_sub(1);
        Ok(())
    }

    /// Whether the next byte closes a list (after tolerated spaces).
    pub(crate) fn at_close(&self) -> bool {
        let mut i = self.pos;
        if self.opts.allow_extra_spaces {
            while self.buf.get(i) == Some(&b' ') {
                i += 1;
            }
        }
        self.buf.get(i) == Some(&b')')
    }

    /// A space-separated list in parentheses; `()` is allowed when `allow_empty`.
    pub(crate) fn list<T>(
        &mut self,
        allow_empty: bool,
        mut item: impl FnMut(&mut Self) -> PResult<T>,
    ) -> PResult<Vec<T>> {
        self.open()?;
        let mut out = Vec::new();
        if self.at_close() {
            if !allow_empty && !self.opts.allow_empty_lists {
                return self.err("list element");
            }
        } else {
            // One allocation for the common short list, not a growth step on the first push.
            out = Vec::with_capacity(4);
            out.push(item(self)?);
            while !self.at_close() {
                self.sp()?;
                if self.opts.allow_extra_spaces && self.at_close() {
                    break;
                }
                out.push(item(self)?);
            }
        }
        self.close()?;
        Ok(out)
    }

    /// CRLF at the end of a unit (LF alone with `allow_bare_lf`).
    pub(crate) fn eol(&mut self) -> PResult<()> {
        if self.opts.allow_trailing_space {
            while self.eat(b' ') {}
        }
        if self.eat(b'\r') {
            return self.expect(b'\n', "LF after CR");
        }
        if self.opts.allow_bare_lf && self.eat(b'\n') {
            return Ok(());
        }
        self.err("CRLF")
    }

    pub(crate) fn at_eol(&self) -> bool {
        matches!(self.peek(), Some(b'\r') | None)
            || (self.opts.allow_bare_lf && self.peek() == Some(b'\n'))
    }

    fn take_while(&mut self, f: impl Fn(u8) -> bool) -> &'a [u8] {
        let start = self.pos;
        while self.peek().is_some_and(&f) {
            self.pos += 1;
        }
        self.buf.get(start..self.pos).unwrap_or_default()
    }

    /// `buf[start..end]` as text if it is UTF-8, sliced out of the validated stretch (which
    /// moves to `start` when the range is outside it). Each stretch runs to the end of its line,
    /// so literal data is never validated.
    fn str_at(&mut self, start: usize, end: usize) -> Option<&'a str> {
        let in_text = start >= self.text_start && end <= self.text_start + self.text.len();
        if !in_text {
            let rest = self.buf.get(start..).unwrap_or_default();
            let line = match self.one_line {
                true => rest,
                false => match memchr::memchr(b'\n', rest) {
                    Some(lf) => rest.get(..lf).unwrap_or_default(),
                    None => rest,
                },
            };
            self.text = match std::str::from_utf8(line) {
                Ok(s) => s,
                Err(e) => std::str::from_utf8(line.get(..e.valid_up_to()).unwrap_or_default())
                    .unwrap_or_default(),
            };
            self.text_start = start;
        }
        self.text
            .get(start.checked_sub(self.text_start)?..end.checked_sub(self.text_start)?)
    }

    /// The text of an ASCII run that ends at `pos`.
    fn ascii_from(&mut self, start: usize) -> &'a str {
        self.str_at(start, self.pos).unwrap_or_default()
    }

    /// A case-insensitive keyword not followed by another atom character.
    pub(crate) fn keyword(&mut self, kw: &str) -> bool {
        let end = self.pos + kw.len();
        match self.buf.get(self.pos..end) {
            Some(s) if s.eq_ignore_ascii_case(kw.as_bytes()) => {
                if self.buf.get(end).is_some_and(|&b| is_atom_char(b)) {
                    return false;
                }
                self.pos = end;
                true
            }
            _ => false,
        }
    }

    /// A case-insensitive prefix (no boundary check).
    pub(crate) fn prefix(&mut self, p: &str) -> bool {
        let end = self.pos + p.len();
        match self.buf.get(self.pos..end) {
            Some(s) if s.eq_ignore_ascii_case(p.as_bytes()) => {
                self.pos = end;
                true
            }
            _ => false,
        }
    }

    pub(crate) fn atom_str(&mut self) -> PResult<&'a str> {
        let start = self.pos;
        self.atom_bytes()?;
        Ok(self.ascii_from(start))
    }

    /// An atom's bytes (for matching keywords without making text of them).
    pub(crate) fn atom_bytes(&mut self) -> PResult<&'a [u8]> {
        let s = self.take_while(is_atom_char);
        if s.is_empty() {
            return self.err("atom");
        }
        Ok(s)
    }

    pub(crate) fn atom(&mut self) -> PResult<Atom<'a>> {
        Ok(Atom::unchecked(Cow::Borrowed(self.atom_str()?)))
    }

    pub(crate) fn tag(&mut self) -> PResult<Tag<'a>> {
        let start = self.pos;
        if self.take_while(is_tag_char).is_empty() {
            return self.err("tag");
        }
        Ok(Tag::unchecked(Cow::Borrowed(self.ascii_from(start))))
    }

    pub(crate) fn number64(&mut self) -> PResult<u64> {
        let start = self.pos;
        let digits = self.take_while(|b| b.is_ascii_digit());
        if digits.is_empty() {
            return self.err("number");
        }
        let mut n: u64 = 0;
        for &d in digits {
            n = match n
                .checked_mul(10)
                .and_then(|n| n.checked_add(u64::from(d - b'0')))
            {
                Some(n) => n,
                None => return Err(ParseError::new(start, ParseErrorKind::NumberOutOfRange)),
            };
        }
        Ok(n)
    }

    pub(crate) fn number(&mut self) -> PResult<u32> {
        let start = self.pos;
        let n = self.number64()?;
        u32::try_from(n).map_err(|_| ParseError::new(start, ParseErrorKind::NumberOutOfRange))
    }

    pub(crate) fn nz_number(&mut self) -> PResult<NonZeroU32> {
        let start = self.pos;
        let mut n: u64 = 0;
        let mut i = start;
        while let Some(&d) = self.buf.get(i) {
            if !d.is_ascii_digit() {
                break;
            }
            n = n * 10 + u64::from(d - b'0');
            i += 1;
            // Leading zeros are allowed; more than u32 can hold is not (and stops before u64
            // could overflow).
            if n > u64::from(u32::MAX) {
                return Err(ParseError::new(start, ParseErrorKind::NumberOutOfRange));
            }
        }
        if i == start {
            return self.err("number");
        }
        let n = u32::try_from(n)
            .map_err(|_| ParseError::new(start, ParseErrorKind::NumberOutOfRange))?;
        self.pos = i;
        NonZeroU32::new(n).ok_or(ParseError::new(
            start,
            ParseErrorKind::Expected("non-zero number"),
        ))
    }

    /// A quoted string's content, unescaped (borrowed when there are no escapes).
    pub(crate) fn quoted(&mut self) -> PResult<Cow<'a, [u8]>> {
        self.expect(b'"', "quoted string")?;
        let start = self.pos;
        let rest = self.rest();
        // Fast path: most quoted strings are short and have no escapes, and a scan of the first
        // 64 bytes eight at a time beats setting up a vector search. The lowest byte flagged in
        // a word is the first one that can stop the scan; a closing quote there ends the
        // string. Anything else (an escape, a control character, a string longer than 64
        // bytes) takes the general path below.
        let mut i = 0;
        while i < 64 {
            let Some(word) = rest.get(i..i + 8) else {
                if let Some(k) = rest
                    .get(i..)
                    .and_then(|t| t.iter().position(|&b| QUOTED_STOP[usize::from(b)]))
                {
                    if rest.get(i + k) == Some(&b'"') {
                        self.pos = start + i + k + 1;
                        return Ok(Cow::Borrowed(rest.get(..i + k).unwrap_or_default()));
                    }
                }
                break;
            };
            let m = quoted_stops(u64::from_le_bytes(word.try_into().unwrap_or([0; 8])));
            if m != 0 {
                let k = i + (m.trailing_zeros() / 8) as usize;
                if rest.get(k) == Some(&b'"') {
                    self.pos = start + k + 1;
                    return Ok(Cow::Borrowed(rest.get(..k).unwrap_or_default()));
                }
                break;
            }
            i += 8;
        }
        let mut owned: Option<Vec<u8>> = None;
        let mut i = 0;
        loop {
            let Some(off) = memchr::memchr3(b'"', b'\\', b'\r', rest.get(i..).unwrap_or_default())
            else {
                self.pos = self.buf.len();
                return self.err("closing quote");
            };
            let j = i + off;
            let chunk = rest.get(i..j).unwrap_or_default();
            if chunk.contains(&b'\n') || chunk.contains(&0) {
                self.pos = start + i;
                return self.err("quoted character");
            }
            match rest.get(j) {
                Some(b'"') => {
                    self.pos = start + j + 1;
                    return Ok(match owned {
                        None => Cow::Borrowed(chunk_or_empty(rest.get(..j))),
                        Some(mut v) => {
                            v.extend_from_slice(chunk);
                            Cow::Owned(v)
                        }
                    });
                }
                Some(b'\\') => {
                    let v = owned.get_or_insert_with(Vec::new);
                    v.extend_from_slice(chunk);
                    match rest.get(j + 1) {
                        Some(&c @ (b'"' | b'\\')) => v.push(c),
                        Some(&c)
                            if self.opts.allow_any_quoted_escape
                                && !matches!(c, 0 | b'\r' | b'\n') =>
                        {
                            v.push(b'\\');
                            v.push(c);
                        }
                        _ => {
                            self.pos = start + j + 1;
                            return self.err("\\\" or \\\\ after backslash");
                        }
                    }
                    i = j + 2;
                }
                _ => {
                    self.pos = start + j;
                    return self.err("closing quote");
                }
            }
        }
    }

    /// `{n}CRLF` / `{n+}CRLF` / `~{n}CRLF` and the data.
    pub(crate) fn literal(&mut self) -> PResult<Literal<'a>> {
        let binary = self.eat(b'~');
        self.expect(b'{', "literal")?;
        let start = self.pos;
        let n = self.number64()?;
        let mode = if self.eat(b'+') {
            LiteralMode::NonSync
        } else {
            LiteralMode::Sync
        };
        self.expect(b'}', "}")?;
        if n > self.opts.max_literal {
            return Err(ParseError::new(
                start,
                ParseErrorKind::LiteralTooLarge {
                    length: n,
                    limit: self.opts.max_literal,
                },
            ));
        }
        self.eol()?;
        let len = usize::try_from(n).unwrap_or(usize::MAX);
        let Some(data) = self.buf.get(self.pos..self.pos.saturating_add(len)) else {
            return self.err("literal data");
        };
        if !binary && !self.opts.allow_nul_in_literal && memchr::memchr(0, data).is_some() {
            return self.fail(ParseErrorKind::Nul);
        }
        self.pos += len;
        Ok(Literal::unchecked(data, mode, binary))
    }

    pub(crate) fn string(&mut self) -> PResult<IString<'a>> {
        match self.peek() {
            Some(b'"') => Ok(IString::Quoted(Quoted::unchecked(self.quoted()?))),
            Some(b'{') => Ok(IString::Literal(self.literal()?)),
            Some(b'~') if self.peek_at(1) == Some(b'{') => Ok(IString::Literal(self.literal()?)),
            _ => self.err("string"),
        }
    }

    pub(crate) fn nstring(&mut self) -> PResult<NString<'a>> {
        match self.peek() {
            Some(b'"') => Ok(Some(IString::Quoted(Quoted::unchecked(self.quoted()?)))),
            Some(b'N' | b'n') if self.keyword("NIL") => Ok(None),
            _ => self.string().map(Some),
        }
    }

    /// A string where servers sometimes send NIL (`allow_nil_for_string` maps it to `""`).
    pub(crate) fn string_or_nil(&mut self) -> PResult<IString<'a>> {
        if self.opts.allow_nil_for_string && self.keyword("NIL") {
            return Ok(IString::Quoted(Quoted::unchecked(Cow::Borrowed(b""))));
        }
        self.string()
    }

    pub(crate) fn astring(&mut self) -> PResult<AString<'a>> {
        match self.peek() {
            Some(b'"' | b'{') => Ok(AString::String(self.string()?)),
            Some(b'~') if self.peek_at(1) == Some(b'{') => Ok(AString::String(self.string()?)),
            _ => {
                let start = self.pos;
                if self.take_while(is_astring_char).is_empty() {
                    return self.err("astring");
                }
                Ok(AString::Atom(AtomExt::unchecked(Cow::Borrowed(
                    self.ascii_from(start),
                ))))
            }
        }
    }

    pub(crate) fn mailbox(&mut self) -> PResult<Mailbox<'a>> {
        // 8-bit names (UTF8=ACCEPT servers, or broken ones) arrive quoted; atoms are ASCII.
        self.astring().map(Mailbox)
    }

    pub(crate) fn flag(&mut self) -> PResult<Flag<'a>> {
        if self.eat(b'\\') {
            if self.eat(b'*') {
                return Ok(Flag::Wildcard);
            }
            return self.named(Flag::known_system, Flag::Extension);
        }
        Ok(Flag::Keyword(self.atom()?))
    }

    /// An atom naming a keyword-enum value: `known` maps the bytes of known names (no text is
    /// made of them), `other` keeps the rest.
    pub(crate) fn named<T>(
        &mut self,
        known: impl FnOnce(&[u8]) -> Option<T>,
        other: impl FnOnce(Atom<'a>) -> T,
    ) -> PResult<T> {
        let start = self.pos;
        let bytes = self.atom_bytes()?;
        if let Some(v) = known(bytes) {
            return Ok(v);
        }
        Ok(other(Atom::unchecked(Cow::Borrowed(
            self.ascii_from(start),
        ))))
    }

    /// `(flag ...)`; `\*` is only accepted where `wildcard` says (PERMANENTFLAGS) or with
    /// `allow_wildcard_in_flags`.
    pub(crate) fn flag_list(&mut self, wildcard: bool) -> PResult<Vec<Flag<'a>>> {
        let wildcard = wildcard || self.opts.allow_wildcard_in_flags;
        self.list(true, |r| {
            let at = r.pos;
            let f = r.flag()?;
            if f == Flag::Wildcard && !wildcard {
                return Err(ParseError::new(
                    at,
                    ParseErrorKind::Expected("flag (\\* only in PERMANENTFLAGS)"),
                ));
            }
            Ok(f)
        })
    }

    fn seq_number(&mut self) -> PResult<SeqNumber> {
        if self.eat(b'*') {
            return Ok(SeqNumber::Largest);
        }
        Ok(SeqNumber::Value(self.nz_number()?))
    }

    pub(crate) fn sequence_set(&mut self) -> PResult<SequenceSet> {
        if self.eat(b'$') {
            return Ok(SequenceSet::Saved);
        }
        let mut items = Vec::with_capacity(2);
        loop {
            let a = self.seq_number()?;
            if self.eat(b':') {
                items.push(Sequence::Range(a, self.seq_number()?));
            } else {
                items.push(Sequence::Single(a));
            }
            if !self.eat(b',') {
                break;
            }
        }
        Ok(SequenceSet::Set(items))
    }

    /// A generic value (see [`Value`]).
    pub(crate) fn value(&mut self) -> PResult<Value<'a>> {
        match self.peek() {
            Some(b'(') => {
                // Like `list`, but adjacent parenthesised items need no SP (body-type-mpart).
                self.open()?;
                let mut items = Vec::new();
                while !self.at_close() {
                    let adjacent =
                        self.peek() == Some(b'(') && matches!(items.last(), Some(Value::List(_)));
                    if !items.is_empty() && !adjacent {
                        self.sp()?;
                    }
                    items.push(self.value()?);
                }
                self.close()?;
                Ok(Value::List(items))
            }
            Some(b'"' | b'{') => Ok(Value::String(self.string()?)),
            Some(b'~') if self.peek_at(1) == Some(b'{') => Ok(Value::String(self.string()?)),
            Some(b'0'..=b'9') => {
                let save = self.pos;
                let n = self.number64();
                if let Ok(n) = n {
                    if !self.peek().is_some_and(|b| is_token_char(b) && b != b')') {
                        return Ok(Value::Number(n));
                    }
                }
                self.pos = save;
                self.token().map(Value::Atom)
            }
            _ => {
                if self.keyword("NIL") {
                    return Ok(Value::Nil);
                }
                self.token().map(Value::Atom)
            }
        }
    }

    /// `[SP tagged-ext-val]` (RFC 4466): a value only if it starts like one (a parenthesised
    /// list, a number or a sequence set), since a bare atom would be the next parameter.
    pub(crate) fn opt_ext_value(&mut self) -> PResult<Option<Value<'a>>> {
        match (self.peek(), self.peek_at(1)) {
            (Some(b' '), Some(b'(' | b'0'..=b'9' | b'*' | b'$')) => {
                self.pos += 1;
                Ok(Some(self.value()?))
            }
            _ => Ok(None),
        }
    }

    /// A bare token; a `[` opens a section that may hold spaces and parentheses up to `]`.
    pub(crate) fn token(&mut self) -> PResult<Token<'a>> {
        let start = self.pos;
        while let Some(b) = self.peek() {
            if b == b'[' {
                let Some(end) = memchr::memchr(b']', self.rest()) else {
                    return self.err("]");
                };
                let inner = self.rest().get(..end).unwrap_or_default();
                if inner.iter().any(|&b| matches!(b, b'\r' | b'\n' | b'{')) {
                    return self.err("]");
                }
                self.pos += end + 1;
            } else if is_token_char(b) {
                self.pos += 1;
            } else {
                break;
            }
        }
        if self.pos == start {
            return self.err("value");
        }
        match self.str_at(start, self.pos) {
            Some(s) => Ok(Token::unchecked(Cow::Borrowed(s))),
            None => Err(ParseError::new(start, ParseErrorKind::InvalidUtf8)),
        }
    }

    /// Text up to the end of the line (not consuming CRLF).
    pub(crate) fn text_to_eol(&mut self) -> PResult<Cow<'a, str>> {
        let start = self.pos;
        let rest = self.rest();
        let end = memchr::memchr2(b'\r', b'\n', rest).unwrap_or(rest.len());
        // Text keeps trailing spaces: they are text, in every mode.
        let bytes = rest.get(..end).unwrap_or_default();
        self.pos = start + bytes.len();
        self.utf8(bytes, start)
    }

    /// `bytes`, which start at offset `at` of the unit, as text.
    pub(crate) fn utf8(&mut self, bytes: &'a [u8], at: usize) -> PResult<Cow<'a, str>> {
        if memchr::memchr(0, bytes).is_some() {
            return Err(ParseError::new(at, ParseErrorKind::Nul));
        }
        if let Some(s) = self.str_at(at, at + bytes.len()) {
            return Ok(Cow::Borrowed(s));
        }
        match std::str::from_utf8(bytes) {
            Ok(s) => Ok(Cow::Borrowed(s)),
            Err(_) if self.opts.allow_8bit_text => Ok(String::from_utf8_lossy(bytes)),
            Err(_) => Err(ParseError::new(at, ParseErrorKind::InvalidUtf8)),
        }
    }

    /// A part path `1.2.3` (non-empty) — stops before a `.` not followed by a digit.
    pub(crate) fn part_path(&mut self) -> PResult<Vec<NonZeroU32>> {
        let mut part = Vec::with_capacity(4);
        part.push(self.nz_number()?);
        while self.peek() == Some(b'.') && self.peek_at(1).is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
            part.push(self.nz_number()?);
        }
        Ok(part)
    }

    /// `[section]` contents after `[` up to and including `]`.
    pub(crate) fn section(&mut self) -> PResult<crate::types::Section<'a>> {
        let mut section = crate::types::Section::default();
        if self.eat(b']') {
            return Ok(section);
        }
        if self.peek().is_some_and(|b| b.is_ascii_digit()) {
            section.part = self.part_path()?;
            if self.eat(b']') {
                return Ok(section);
            }
            self.expect(b'.', ".")?;
        }
        let text = if self.keyword("HEADER.FIELDS.NOT") {
            self.sp()?;
            SectionText::HeaderFieldsNot(self.list(false, Self::astring)?)
        } else if self.keyword("HEADER.FIELDS") {
            self.sp()?;
            SectionText::HeaderFields(self.list(false, Self::astring)?)
        } else if self.prefix("HEADER") {
            SectionText::Header
        } else if self.prefix("TEXT") {
            SectionText::Text
        } else if !section.part.is_empty() && self.prefix("MIME") {
            SectionText::Mime
        } else {
            return self.err("section text");
        };
        section.text = Some(text);
        self.expect(b']', "]")?;
        Ok(section)
    }

    /// `[` binary part path `]` (possibly empty).
    pub(crate) fn binary_section(&mut self) -> PResult<Vec<NonZeroU32>> {
        self.expect(b'[', "[")?;
        if self.eat(b']') {
            return Ok(Vec::new());
        }
        let p = self.part_path()?;
        self.expect(b']', "]")?;
        Ok(p)
    }
}

fn chunk_or_empty(s: Option<&[u8]>) -> &[u8] {
    s.unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The word-at-a-time scan agrees with a byte-by-byte reading of the grammar for every
    /// byte value at every position of strings around the 8-byte and 64-byte steps.
    #[test]
    fn quoted_scan_matches_byte_by_byte() {
        let opts = ParseOptions::strict();
        for len in [0, 1, 7, 8, 9, 15, 16, 63, 64, 65, 80] {
            for at in 0..len {
                for b in 0..=255u8 {
                    let mut s = vec![b'"'];
                    s.extend(std::iter::repeat_n(b'a', len));
                    s[1 + at] = b;
                    s.extend_from_slice(b"\" x\r\n");
                    let content = &s[1..];
                    let expected = match content
                        .iter()
                        .position(|&c| matches!(c, b'"' | b'\\' | b'\r' | b'\n' | 0))
                    {
                        Some(k) if content[k] == b'"' => Some(&content[..k]),
                        // CR, LF, NUL, or a backslash before `a` or the closing quote.
                        _ => None,
                    };
                    let mut r = Reader::new(&s, &opts);
                    let got = r.quoted();
                    match expected {
                        Some(e) => {
                            assert_eq!(got.as_deref().ok(), Some(e), "{len} {at} {b}");
                            assert_eq!(r.pos, e.len() + 2);
                        }
                        None => assert!(got.is_err(), "{len} {at} {b}"),
                    }
                }
            }
        }
    }
}

//! Address lists (RFC 5322 3.4 with the obsolete forms of 4.4): mailboxes, groups, display
//! names, comments, quoted local parts, domain literals and source routes.

use std::borrow::Cow;

use crate::lexer::{Lexer, Specials, Token};
use crate::rfc2047::decode_text;

/// One mailbox: an optional display name and an address. Each string borrows the parsed input
/// when it is there as it is (a plain word: no quoting, folding or encoding to undo);
/// [`into_owned`](Self::into_owned) makes a mailbox that outlives the input.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Mailbox<'a> {
    /// The display name, RFC 2047-decoded, comments excluded; `None` when there is none.
    pub name: Option<Cow<'a, str>>,
    /// The local part, unquoted (`"john doe"@x` gives `john doe`).
    pub local_part: Cow<'a, str>,
    /// The domain (a domain literal keeps its brackets); `None` if the address had no `@`.
    pub domain: Option<Cow<'a, str>>,
}

impl Mailbox<'_> {
    /// This mailbox with every string owned.
    pub fn into_owned(self) -> Mailbox<'static> {
        Mailbox {
            name: self.name.map(|n| Cow::Owned(n.into_owned())),
            local_part: Cow::Owned(self.local_part.into_owned()),
            domain: self.domain.map(|d| Cow::Owned(d.into_owned())),
        }
    }

    /// The `addr-spec`, with the local part quoted if it needs to be (`"john doe"@example.com`);
    /// `<>` for the empty address.
    pub fn address(&self) -> String {
        let needs_quotes = self.local_part.is_empty() && self.domain.is_some()
            || self.local_part.bytes().any(|c| {
                matches!(
                    c,
                    b'(' | b')'
                        | b'<'
                        | b'>'
                        | b'@'
                        | b','
                        | b':'
                        | b';'
                        | b'\\'
                        | b'"'
                        | b'['
                        | b']'
                        | b' '
                        | b'\t'
                )
            })
            || self.local_part.starts_with('.')
            || self.local_part.ends_with('.')
            || self.local_part.contains("..");
        let mut out = String::with_capacity(self.local_part.len() + 32);
        if needs_quotes {
            out.push('"');
            for c in self.local_part.chars() {
                if c == '"' || c == '\\' {
                    out.push('\\');
                }
                out.push(c);
            }
            out.push('"');
        } else {
            out.push_str(&self.local_part);
        }
        match &self.domain {
            Some(d) => {
                out.push('@');
                out.push_str(d);
            }
            None if out.is_empty() => out.push_str("<>"),
            None => {}
        }
        out
    }
}

/// One element of an address list.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Address<'a> {
    /// A single mailbox.
    Mailbox(Mailbox<'a>),
    /// A named group of mailboxes (possibly empty: `undisclosed-recipients:;`).
    Group {
        /// The group's display name.
        name: Cow<'a, str>,
        /// Its members.
        members: Vec<Mailbox<'a>>,
    },
}

impl Address<'_> {
    /// This address with every string owned.
    pub fn into_owned(self) -> Address<'static> {
        match self {
            Address::Mailbox(m) => Address::Mailbox(m.into_owned()),
            Address::Group { name, members } => Address::Group {
                name: Cow::Owned(name.into_owned()),
                members: members.into_iter().map(Mailbox::into_owned).collect(),
            },
        }
    }
}

/// The addresses of a list in order: a slice (through `Deref`), kept in place when there is
/// one (most From, Sender and To fields hold one address; a list of one then costs no
/// allocation) and in a `Vec` from the second on.
#[derive(Clone, Default)]
pub struct Addresses<'a>(AddressesRepr<'a>);

#[derive(Clone)]
enum AddressesRepr<'a> {
    /// None or one address.
    Inline(Option<Address<'a>>),
    /// Two or more (or any number, when made from a `Vec`).
    Heap(Vec<Address<'a>>),
}

impl Default for AddressesRepr<'_> {
    fn default() -> Self {
        Self::Inline(None)
    }
}

impl<'a> Addresses<'a> {
    /// No addresses.
    pub const fn new() -> Self {
        Self(AddressesRepr::Inline(None))
    }

    /// Adds an address at the end.
    pub fn push(&mut self, address: Address<'a>) {
        self.push_reserving(address, 4);
    }

    /// [`Self::push`], with room for `capacity` addresses when the second moves them to the heap.
    #[inline]
    pub(crate) fn push_reserving(&mut self, address: Address<'a>, capacity: usize) {
        match &mut self.0 {
            AddressesRepr::Heap(v) => v.push(address),
            AddressesRepr::Inline(slot @ None) => *slot = Some(address),
            AddressesRepr::Inline(Some(_)) => self.spill(address, capacity),
        }
    }

    /// Moves the one address in place to a `Vec` of `capacity` and adds `address`.
    #[cold]
    #[inline(never)]
    fn spill(&mut self, address: Address<'a>, capacity: usize) {
        if let AddressesRepr::Inline(slot) = &mut self.0 {
            let mut v = Vec::with_capacity(capacity.max(2));
            v.extend(slot.take());
            v.push(address);
            self.0 = AddressesRepr::Heap(v);
        }
    }

    /// The addresses as a slice.
    #[inline]
    pub fn as_slice(&self) -> &[Address<'a>] {
        match &self.0 {
            AddressesRepr::Inline(one) => one.as_slice(),
            AddressesRepr::Heap(v) => v,
        }
    }

    /// The addresses as a mutable slice.
    pub fn as_mut_slice(&mut self) -> &mut [Address<'a>] {
        match &mut self.0 {
            AddressesRepr::Inline(one) => one.as_mut_slice(),
            AddressesRepr::Heap(v) => v,
        }
    }

    /// The addresses in a `Vec`.
    pub fn into_vec(self) -> Vec<Address<'a>> {
        match self.0 {
            AddressesRepr::Inline(one) => one.into_iter().collect(),
            AddressesRepr::Heap(v) => v,
        }
    }
}

impl<'a> std::ops::Deref for Addresses<'a> {
    type Target = [Address<'a>];
    fn deref(&self) -> &[Address<'a>] {
        self.as_slice()
    }
}

impl std::ops::DerefMut for Addresses<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        self.as_mut_slice()
    }
}

impl std::fmt::Debug for Addresses<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

impl<'b> PartialEq<Addresses<'b>> for Addresses<'_> {
    fn eq(&self, other: &Addresses<'b>) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for Addresses<'_> {}

impl std::hash::Hash for Addresses<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_slice().hash(state);
    }
}

impl<'a, 'b> PartialEq<Vec<Address<'b>>> for Addresses<'a> {
    fn eq(&self, other: &Vec<Address<'b>>) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<'a, 'b, const N: usize> PartialEq<[Address<'b>; N]> for Addresses<'a> {
    fn eq(&self, other: &[Address<'b>; N]) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<'a, 'b> PartialEq<[Address<'b>]> for Addresses<'a> {
    fn eq(&self, other: &[Address<'b>]) -> bool {
        self.as_slice() == other
    }
}

impl<'a> From<Vec<Address<'a>>> for Addresses<'a> {
    fn from(v: Vec<Address<'a>>) -> Self {
        Self(AddressesRepr::Heap(v))
    }
}

impl<'a> FromIterator<Address<'a>> for Addresses<'a> {
    fn from_iter<I: IntoIterator<Item = Address<'a>>>(iter: I) -> Self {
        let mut out = Self::new();
        for a in iter {
            out.push(a);
        }
        out
    }
}

impl<'a> IntoIterator for Addresses<'a> {
    type Item = Address<'a>;
    type IntoIter = std::vec::IntoIter<Address<'a>>;
    fn into_iter(self) -> Self::IntoIter {
        self.into_vec().into_iter()
    }
}

impl<'s, 'a> IntoIterator for &'s Addresses<'a> {
    type Item = &'s Address<'a>;
    type IntoIter = std::slice::Iter<'s, Address<'a>>;
    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

/// An address list and whether it needed tolerance.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddressList<'a> {
    /// The addresses in order.
    pub addresses: Addresses<'a>,
    /// Whether something did not follow the grammar (junk skipped, a missing `>` or `@`,
    /// an unclosed quote or comment).
    pub malformed: bool,
    /// Whether obsolete syntax (source routes, empty list elements) was accepted.
    pub obsolete: bool,
}

impl<'a> AddressList<'a> {
    /// This list with every string owned, for a list that must outlive its input.
    pub fn into_owned(self) -> AddressList<'static> {
        AddressList {
            addresses: self
                .addresses
                .into_iter()
                .map(Address::into_owned)
                .collect(),
            malformed: self.malformed,
            obsolete: self.obsolete,
        }
    }

    /// Every mailbox, group members listed in place.
    pub fn mailboxes(&self) -> impl Iterator<Item = &Mailbox<'a>> {
        self.addresses.iter().flat_map(|a| match a {
            Address::Mailbox(m) => std::slice::from_ref(m).iter(),
            Address::Group { members, .. } => members.iter(),
        })
    }
}

/// Parses an `address-list` (also fine for `mailbox-list` fields such as From), tolerantly.
///
/// ```
/// use mail_message::address::{parse_address_list, Address};
/// let list = parse_address_list(br#""Joe Q. Public" <john.q.public@example.com>, undisclosed:;"#);
/// let Address::Mailbox(m) = &list.addresses[0] else { panic!() };
/// assert_eq!(m.name.as_deref(), Some("Joe Q. Public"));
/// assert_eq!(m.address(), "john.q.public@example.com");
/// assert!(matches!(&list.addresses[1], Address::Group { name, members } if name == "undisclosed" && members.is_empty()));
/// ```
///
/// A field's raw value ([`HeaderField::raw_value`](crate::header::HeaderField::raw_value)) can
/// be given as it is: CR and LF read as the folding white space they are, and the list is what
/// the unfolded value gives, its strings borrowing the input except those of a piece that
/// itself holds a fold (a display name over two lines, a quoted string with a fold inside).
pub fn parse_address_list(input: &[u8]) -> AddressList<'_> {
    match parse_common(input) {
        Some(list) => list,
        None => parse_folded(input),
    }
}

/// The general parser, for what the fast path leaves.
#[cold]
fn parse_folded(input: &[u8]) -> AddressList<'_> {
    parse_address_list_with(input, true)
}

/// What [`Scan::next`] read: `<`, `>`, `@` and `,` stand for themselves; an atom or a quoted
/// string sits at `Scan::span`.
mod tok {
    /// The end of the input.
    pub(super) const END: u8 = 0;
    /// Something only the general parser reads: give up.
    pub(super) const OTHER: u8 = 1;
    /// An atom (or encoded-word).
    pub(super) const ATOM: u8 = b'a';
    /// The content of a quoted-string with nothing to undo.
    pub(super) const QUOTED: u8 = b'"';
}

/// The lexer's tokens for the common shapes, read in place: [`tok::OTHER`] at anything
/// [`Lexer`] would read differently from a plain slice of the input or that only the general
/// parser handles (a quoted-string with a quoted-pair or line break or not closed, a nested,
/// escaped or unclosed comment or one with a line break, a domain literal, the specials `)`,
/// `:`, `;`, `]`).
struct Scan<'a> {
    input: &'a [u8],
    pos: usize,
    /// Where the last atom or quoted string lies in `input`.
    span: (usize, usize),
}

impl Scan<'_> {
    /// The next token: one of [`tok`]'s codes or a special.
    #[inline(always)]
    fn next(&mut self) -> u8 {
        loop {
            let Some(&c) = self.input.get(self.pos) else {
                return tok::END;
            };
            match c {
                b' ' | b'\t' => self.pos += 1,
                // A fold is white space; a line break before another byte is left to the
                // general path (which unfolds the value).
                b'\r' | b'\n' => match self.input.get(self.pos + 1) {
                    None | Some(b' ' | b'\t' | b'\r' | b'\n') => self.pos += 1,
                    Some(_) => return tok::OTHER,
                },
                b'<' | b'>' | b'@' | b',' => {
                    self.pos += 1;
                    return c;
                }
                b'(' => {
                    if !self.comment() {
                        return tok::OTHER;
                    }
                }
                b'"' => return self.quoted(),
                b')' | b'[' | b']' | b':' | b';' => return tok::OTHER,
                _ => {
                    let start = self.pos;
                    let ew = match c {
                        b'=' => Self::encoded_word_len(self.input.get(start..).unwrap_or_default()),
                        _ => None,
                    };
                    self.pos = match ew {
                        Some(len) => start + len,
                        // `c` is an atom byte: the scan goes on from the next
                        None => {
                            let mut end = start + 1;
                            while let Some(&c) = self.input.get(end) {
                                if crate::lexer::ends_atom(c) {
                                    break;
                                }
                                end += 1;
                            }
                            end
                        }
                    };
                    self.span = (start, self.pos);
                    return tok::ATOM;
                }
            }
        }
    }

    /// An encoded-word is one atom even with specials inside (as the lexer reads it).
    #[cold]
    fn encoded_word_len(rest: &[u8]) -> Option<usize> {
        crate::lexer::encoded_word_len(rest)
    }

    /// Skips a comment with no nesting or escapes; false for any other.
    #[cold]
    fn comment(&mut self) -> bool {
        let body = self.input.get(self.pos + 1..).unwrap_or_default();
        match memchr::memchr3(b')', b'(', b'\\', body) {
            // A line break inside (a fold, or one that is no fold, for which the general
            // parser reads the unfolded value) is left to the general parser too.
            Some(close)
                if body.get(close) == Some(&b')')
                    && memchr::memchr2(b'\r', b'\n', body.get(..close).unwrap_or_default())
                        .is_none() =>
            {
                self.pos += close + 2;
                true
            }
            _ => false,
        }
    }

    /// A quoted-string with no quoted-pair or line break, closed.
    #[cold]
    fn quoted(&mut self) -> u8 {
        let start = self.pos + 1;
        let body = self.input.get(start..).unwrap_or_default();
        match body
            .iter()
            .position(|&c| matches!(c, b'"' | b'\\' | b'\r' | b'\n'))
        {
            Some(close) if body.get(close) == Some(&b'"') => {
                self.pos = start + close + 1;
                self.span = (start, start + close);
                tok::QUOTED
            }
            _ => tok::OTHER,
        }
    }
}

/// The most words of a display name that [`parse_common`] reads.
const MAX_NAME_WORDS: usize = 16;

/// The common shapes of a list (`a@b`, `Name <a@b>`, `"Quoted" <a@b>`, `=?..?= <a@b>`, a bare
/// word, `<a>`, empty elements, simple comments between tokens; valid UTF-8) read straight
/// from the bytes, with no token vector; `None` for anything else (groups, obs-route, domain
/// literals, quoted-pairs, several words in a local part or domain, a name whose words are not
/// one space apart, junk, `<>`), which [`parse_address_list_with`] then reads from the start.
/// Gives what that general parser gives, strings borrowed or owned alike (the tests hold the
/// two equal).
pub(crate) fn parse_common(input: &[u8]) -> Option<AddressList<'_>> {
    // One UTF-8 check of the whole list; every word is then cut from this `str`.
    let whole = crate::charset::utf8(input)?;
    let text = |(start, end): (usize, usize)| whole.get(start..end).map(Cow::Borrowed);
    // Room for an address per 8 bytes once there are two (a bare word and its comma take about
    // that; counting the commas costs more than the room), up to a bound past which the vector
    // grows.
    let capacity = (input.len() / 8 + 1).min(1024);
    let mut addresses = Addresses::new();
    let (mut malformed, mut obsolete) = (false, false);
    let mut sc = Scan {
        input,
        pos: 0,
        span: (0, 0),
    };
    let mut t = sc.next();
    loop {
        match t {
            tok::END => break,
            b',' => {
                obsolete = true;
                t = sc.next();
                continue;
            }
            _ => {}
        }
        // The words before the next special: the first one's span, the last one's end,
        // whether each atom came one space after the one before.
        let (mut n, mut first, mut last_end) = (0usize, (0, 0), 0);
        let mut spaced_atoms = true;
        while t == tok::ATOM || t == tok::QUOTED {
            let (start, end) = sc.span;
            if n == 0 {
                first = (start, end);
                spaced_atoms = t == tok::ATOM;
            } else {
                // A name of more words is rare: the general parser reads it, after a bounded
                // waste here (not a scan of a long list of words read twice).
                if n == MAX_NAME_WORDS {
                    return None;
                }
                spaced_atoms &=
                    t == tok::ATOM && start == last_end + 1 && input.get(last_end) == Some(&b' ');
            }
            n += 1;
            last_end = end;
            t = sc.next();
        }
        let word = |n: usize| if n == 1 { text(first) } else { None };
        let mailbox = match t {
            b'<' => {
                // One word, or atoms one space apart: the input's own bytes.
                let name = match n {
                    0 => None,
                    1 => Some(first),
                    _ if spaced_atoms => Some((first.0, last_end)),
                    _ => return None,
                };
                let name = match name {
                    None => None,
                    Some(span) => {
                        let raw = input.get(span.0..span.1)?;
                        if raw.contains(&b'=') && crate::rfc2047::has_encoded_word_start(raw) {
                            Some(decode_text(raw).0)
                        } else {
                            text(span)
                        }
                    }
                }
                .filter(|name| !name.is_empty());
                // `<local@domain>` or `<local>`, each one word
                if !matches!(sc.next(), tok::ATOM | tok::QUOTED) {
                    return None;
                }
                let local = text(sc.span)?;
                let domain = match sc.next() {
                    b'>' => None,
                    b'@' => {
                        if sc.next() != tok::ATOM {
                            return None;
                        }
                        let span = sc.span;
                        if sc.next() != b'>' {
                            return None;
                        }
                        Some(text(span)?)
                    }
                    _ => return None,
                };
                t = sc.next();
                Mailbox {
                    name,
                    local_part: local,
                    domain,
                }
            }
            b'@' => {
                let local = word(n)?;
                if sc.next() != tok::ATOM {
                    return None;
                }
                let domain = text(sc.span)?;
                t = sc.next();
                Mailbox {
                    name: None,
                    local_part: local,
                    domain: Some(domain),
                }
            }
            // A bare word with no '@': a local part, as the general parser keeps it.
            tok::END | b',' => {
                malformed = true;
                Mailbox {
                    name: None,
                    local_part: word(n)?,
                    domain: None,
                }
            }
            _ => return None,
        };
        addresses.push_reserving(Address::Mailbox(mailbox), capacity);
        t = match t {
            tok::END => tok::END,
            b',' => sc.next(),
            _ => return None,
        };
    }
    Some(AddressList {
        addresses,
        malformed,
        obsolete,
    })
}

/// The length from which a list is checked as UTF-8 once as a whole (where the SIMD validator
/// takes over) rather than word by word.
const WHOLE_STR_FROM: usize = 64;

/// [`parse_address_list`], cutting words from the input's `str` when `whole_str` and the
/// input is valid UTF-8, else checking each word on its own (the tests hold both ways equal).
pub(crate) fn parse_address_list_with(input: &[u8], whole_str: bool) -> AddressList<'_> {
    match parse_tokens(input, whole_str) {
        Some(list) => list,
        // A line break that is no fold, which the lexer found on its way (no scan of its own
        // for them: a 135 KB To of 2,710 folded lines in the corpus spent ~200K instructions
        // in one): the unfolded value, which has no line break left, is read instead.
        None => parse_tokens(&crate::header::unfold(input), whole_str)
            .unwrap_or_default()
            .into_owned(),
    }
}

/// [`parse_address_list_with`] from the lexer's tokens; `None` when the lexer met a line break
/// that is no fold.
fn parse_tokens(input: &[u8], whole_str: bool) -> Option<AddressList<'_>> {
    // One UTF-8 check of the whole list (the SIMD validator) instead of one `from_utf8` call
    // per word, each of which costs ~90 instructions on a short word. A short list (one bare
    // address, say) has a word or two: they are checked on their own.
    let whole = if whole_str && input.len() >= WHOLE_STR_FROM {
        crate::charset::utf8(input).map(|s| (input, s))
    } else {
        None
    };
    let mut lexer = Lexer::new(input, Specials::Rfc5322);
    // About one token per 4 bytes of a typical list; sized up front so that a long list does
    // not grow (and copy) the vector over and over.
    let mut tokens: Vec<Token<'_>> = Vec::with_capacity((input.len() / 3).clamp(16, 4096));
    tokens.extend(lexer.by_ref());
    if lexer.bare_break {
        return None;
    }
    let mut p = Parser {
        toks: &tokens,
        input,
        whole,
        i: 0,
        malformed: lexer.malformed,
        obsolete: false,
    };
    // An address takes two tokens at the least (a word and a comma): room for the longest
    // list these tokens can hold, which for a single address is what the first push would
    // allocate anyway.
    let capacity = tokens.len() / 2 + 1;
    let mut addresses = Addresses::new();
    while p.i < tokens.len() {
        if p.eat(b',') {
            p.obsolete = true;
            continue;
        }
        let before = p.i;
        if let Some(a) = p.address(true) {
            addresses.push_reserving(a, capacity);
        }
        if !p.eat(b',') && p.i < tokens.len() {
            // junk after an address: skip to the next comma
            p.malformed = true;
            while p.i < tokens.len() && !p.eat(b',') {
                p.i += 1;
            }
        }
        if p.i == before {
            p.i += 1;
        }
    }
    // Empty elements before the first address or at the end are obs-addr-list too.
    Some(AddressList {
        addresses,
        malformed: p.malformed,
        obsolete: p.obsolete,
    })
}

struct Parser<'t, 'a> {
    toks: &'t [Token<'a>],
    /// The list being parsed (the words' bytes are slices of it).
    input: &'a [u8],
    /// The input and the same bytes as `str`, when the whole input is valid UTF-8.
    whole: Option<(&'a [u8], &'a str)>,
    i: usize,
    malformed: bool,
    obsolete: bool,
}

fn is_word(t: &Token<'_>) -> bool {
    matches!(t, Token::Atom(_) | Token::Quoted(_))
}

/// `bytes` as text: borrowed when valid UTF-8, else with U+FFFD for what is not.
fn borrowed_text(bytes: &[u8]) -> Cow<'_, str> {
    // The usual case, checked by `from_utf8` (word at a time over ASCII) rather than by
    // `from_utf8_lossy`'s chunk iterator, which walks byte by byte.
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

impl<'a> Parser<'_, 'a> {
    /// `bytes` as text: cut from the input's `str` when the input is valid UTF-8 and `bytes`
    /// lies within it (no check of its own), else as [`borrowed_text`].
    fn text(&self, bytes: &'a [u8]) -> Cow<'a, str> {
        if let Some((input, s)) = self.whole {
            // Where `bytes` starts in the input; a slice from elsewhere (an owned copy) gives
            // an offset out of range, and `get` refuses it.
            let off = (bytes.as_ptr() as usize).wrapping_sub(input.as_ptr() as usize);
            if let Some(t) = off.checked_add(bytes.len()).and_then(|end| s.get(off..end)) {
                return Cow::Borrowed(t);
            }
        }
        borrowed_text(bytes)
    }

    fn peek_special(&self) -> Option<u8> {
        match self.toks.get(self.i) {
            Some(Token::Special(c)) => Some(*c),
            _ => None,
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek_special() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    /// The display name of the words in `range`: joined with single spaces, then decoded as
    /// RFC 2047 text (so adjacent encoded-words join, and encoded-words inside quotes decode,
    /// as most readers do).
    fn phrase(&self, from: usize, to: usize) -> Cow<'a, str> {
        // One word with nothing undone, or atoms each one space after the last: the input's
        // own bytes, cut from it (as the fast path does).
        let toks = &self.toks[from..to];
        let off = |w: &[u8]| (w.as_ptr() as usize).wrapping_sub(self.input.as_ptr() as usize);
        let span: Option<&'a [u8]> = match toks {
            [] => return Cow::Borrowed(""),
            [Token::Atom(w) | Token::Quoted(Cow::Borrowed(w))] => Some(w),
            [Token::Atom(first), rest @ ..] => {
                let mut end = off(first).wrapping_add(first.len());
                let spaced = rest.iter().all(|t| match t {
                    Token::Atom(w) => {
                        let ok =
                            off(w) == end.wrapping_add(1) && self.input.get(end) == Some(&b' ');
                        end = off(w).wrapping_add(w.len());
                        ok
                    }
                    _ => false,
                });
                spaced.then(|| self.input.get(off(first)..end)).flatten()
            }
            _ => None,
        };
        if let Some(raw) = span {
            return if crate::rfc2047::has_encoded_word_start(raw) {
                decode_text(raw).0
            } else {
                self.text(raw)
            };
        }
        let mut raw = Vec::new();
        for t in &self.toks[from..to] {
            let w: &[u8] = match t {
                Token::Atom(a) => a,
                Token::Quoted(q) => q,
                _ => continue,
            };
            if !raw.is_empty() {
                raw.push(b' ');
            }
            raw.extend_from_slice(w);
        }
        Cow::Owned(decode_text(&raw).0.into_owned())
    }

    fn address(&mut self, allow_group: bool) -> Option<Address<'a>> {
        let start = self.i;
        while self.toks.get(self.i).is_some_and(is_word) {
            self.i += 1;
        }
        let words_end = self.i;
        match self.peek_special() {
            Some(b':') if allow_group => {
                self.i += 1;
                let name = self.phrase(start, words_end);
                let mut members = Vec::new();
                while self.i < self.toks.len() {
                    if self.eat(b';') {
                        return Some(Address::Group { name, members });
                    }
                    if self.eat(b',') {
                        continue;
                    }
                    let before = self.i;
                    match self.address(false) {
                        Some(Address::Mailbox(m)) => members.push(m),
                        Some(Address::Group { .. }) | None => {}
                    }
                    if self.i == before {
                        self.malformed = true;
                        self.i += 1;
                    }
                    if !matches!(self.peek_special(), Some(b',' | b';')) && self.i < self.toks.len()
                    {
                        self.malformed = true;
                        self.i += 1;
                    }
                }
                // no closing ';'
                self.malformed = true;
                Some(Address::Group { name, members })
            }
            Some(b'<') => {
                self.i += 1;
                let name = self.phrase(start, words_end);
                let name = (!name.is_empty()).then_some(name);
                let (local_part, domain) = self.addr_spec_in_angle();
                Some(Address::Mailbox(Mailbox {
                    name,
                    local_part,
                    domain,
                }))
            }
            Some(b'@') if words_end > start => {
                self.i += 1;
                let local_part = self.concat(start, words_end);
                let domain = self.domain(|c| matches!(c, b',' | b';' | b'<' | b'>'));
                Some(Address::Mailbox(Mailbox {
                    name: None,
                    local_part,
                    domain: Some(domain),
                }))
            }
            _ if words_end > start => {
                // A bare word with no '@': keep it as a local part.
                self.malformed = true;
                Some(Address::Mailbox(Mailbox {
                    name: None,
                    local_part: self.concat(start, words_end),
                    domain: None,
                }))
            }
            _ => None,
        }
    }

    fn concat(&self, from: usize, to: usize) -> Cow<'a, str> {
        match &self.toks[from..to] {
            [Token::Atom(w)] => return self.text(w),
            [Token::Quoted(Cow::Borrowed(q))] => return self.text(q),
            _ => {}
        }
        let mut raw = Vec::new();
        for t in &self.toks[from..to] {
            match t {
                Token::Atom(a) => raw.extend_from_slice(a),
                Token::Quoted(q) => raw.extend_from_slice(q),
                Token::DomainLiteral(d) => raw.extend_from_slice(d),
                Token::Special(c) => raw.push(*c),
            }
        }
        Cow::Owned(crate::charset::lossy_string_owned(raw))
    }

    fn domain(&mut self, stop: impl Fn(u8) -> bool) -> Cow<'a, str> {
        let start = self.i;
        while let Some(t) = self.toks.get(self.i) {
            match t {
                Token::Special(c) if stop(*c) => break,
                Token::Special(_) => self.malformed = true,
                _ => {}
            }
            self.i += 1;
        }
        if self.i - start > 1 {
            // obs-domain: atoms separated by CFWS
            self.obsolete = true;
        }
        self.concat(start, self.i)
    }

    /// After `<`: an optional obs-route, then `local@domain`, then `>`.
    fn addr_spec_in_angle(&mut self) -> (Cow<'a, str>, Option<Cow<'a, str>>) {
        if self.peek_special() == Some(b'@') {
            // obs-route: "@a,@b:" is dropped
            self.obsolete = true;
            while self.i < self.toks.len() && !self.eat(b':') {
                if self.peek_special() == Some(b'>') {
                    break;
                }
                self.i += 1;
            }
        }
        let start = self.i;
        while self.toks.get(self.i).is_some_and(is_word) {
            self.i += 1;
        }
        let local = self.concat(start, self.i);
        let domain = if self.eat(b'@') {
            Some(self.domain(|c| c == b'>' || c == b','))
        } else {
            None
        };
        if !self.eat(b'>') {
            self.malformed = true;
            // skip to '>' if it comes before the next comma
            let mut j = self.i;
            while let Some(t) = self.toks.get(j) {
                match t {
                    Token::Special(b'>') => {
                        self.i = j + 1;
                        break;
                    }
                    Token::Special(b',') => break,
                    _ => j += 1,
                }
            }
        }
        (local, domain)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_inline_and_on_the_heap_read_alike() {
        use std::hash::{BuildHasher, RandomState};
        let m = |s: &'static str| {
            Address::Mailbox(Mailbox {
                name: None,
                local_part: s.into(),
                domain: Some("example.org".into()),
            })
        };
        let mut inline = Addresses::new();
        assert!(inline.is_empty());
        assert_eq!(inline, Addresses::from(Vec::new()));
        inline.push(m("a"));
        assert!(matches!(inline.0, AddressesRepr::Inline(Some(_))));
        let heap = Addresses::from(vec![m("a")]);
        assert_eq!(inline, heap);
        let state = RandomState::new();
        assert_eq!(state.hash_one(&inline), state.hash_one(&heap));
        assert_eq!(format!("{inline:?}"), format!("{heap:?}"));
        inline.push(m("b"));
        assert!(matches!(inline.0, AddressesRepr::Heap(_)));
        inline.push(m("c"));
        let all = vec![m("a"), m("b"), m("c")];
        assert_eq!(inline, all);
        assert_eq!(inline.iter().count(), 3);
        assert_eq!((&inline).into_iter().count(), 3);
        assert_eq!(all.iter().cloned().collect::<Addresses<'_>>(), inline);
        assert_eq!(inline.clone().into_vec(), all);
        assert_eq!(inline.into_iter().collect::<Vec<_>>(), all);
        // One parsed address stays in place, two go to the heap, by either parser.
        for general in [false, true] {
            let parse = |s: &'static [u8]| {
                if general {
                    parse_address_list_with(s, true)
                } else {
                    parse_common(s).unwrap()
                }
            };
            let one = parse(b"a@example.org");
            assert!(matches!(one.addresses.0, AddressesRepr::Inline(Some(_))));
            let two = parse(b"a@example.org, b@example.org");
            assert!(matches!(two.addresses.0, AddressesRepr::Heap(_)));
            assert_eq!(two.addresses, [m("a"), m("b")]);
        }
    }

    type Flat = (Option<String>, String);

    fn mb(name: Option<&str>, addr: &str) -> Flat {
        (name.map(str::to_owned), addr.to_owned())
    }

    fn flat(input: &str) -> Vec<Flat> {
        parse_address_list(input.as_bytes())
            .mailboxes()
            .map(|m| (m.name.as_deref().map(str::to_owned), m.address()))
            .collect()
    }

    /// A word that is valid UTF-8 borrows the input; one that is not takes the lossy way.
    #[test]
    fn borrowed_text_borrows_valid_and_replaces_invalid() {
        assert!(matches!(borrowed_text(b"jdoe"), Cow::Borrowed("jdoe")));
        assert!(matches!(
            borrowed_text("j\u{f6}rg".as_bytes()),
            Cow::Borrowed("j\u{f6}rg")
        ));
        assert_eq!(borrowed_text(b"j\xf6rg"), "j\u{fffd}rg");
        let list = parse_address_list(b"J\xf6rg <j\xf6rg@ex\xffample.net>");
        let m = list
            .mailboxes()
            .next()
            .map(|m| (m.name.clone(), m.address()));
        assert_eq!(
            m,
            Some((
                Some("J\u{fffd}rg".into()),
                "j\u{fffd}rg@ex\u{fffd}ample.net".into()
            ))
        );
        let list = parse_address_list("J\u{f6}rg <j\u{f6}rg@example.net>".as_bytes());
        let Some(Address::Mailbox(m)) = list.addresses.first() else {
            panic!("one mailbox")
        };
        assert!(matches!(m.local_part, Cow::Borrowed("j\u{f6}rg")));
    }

    /// RFC 5322 Appendix A shapes (groups, comments, quoted strings with and without escapes,
    /// obs-routes, encoded words, domain literals, junk, non-ASCII and invalid UTF-8), alone
    /// and joined in pairs and triples: cutting words from the whole input's `str` gives the
    /// same list as checking each word, and borrows where it did.
    #[test]
    fn whole_str_words_equal_checked_words() {
        let shapes: [&[u8]; 13] = [
            b"John Doe <jdoe@machine.example>",
            b"\"Joe Q. Public\" <john.q.public@example.com>",
            b"A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;",
            b"Undisclosed recipients:;",
            b"Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>",
            b"Mary Smith <@node.test,@x.test:mary@example.net>",
            b"=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?= <keld@dkuug.dk>",
            b"\"john\\ doe\"@[192.0.2.1]",
            b",,jdoe@example.org,",
            b"Who? <one@y.test> junk, <broken@",
            "J\u{f6}rg <j\u{f6}rg@b\u{fc}cher.example>".as_bytes(),
            b"J\xf6rg <j\xf6rg@example.net>",
            b"sp\xc3 <x@y>",
        ];
        let mut inputs: Vec<Vec<u8>> = shapes.iter().map(|s| s.to_vec()).collect();
        for a in shapes {
            for b in shapes {
                inputs.push([a, b", ", b].concat());
                for c in shapes {
                    inputs.push([a, b",\r\n ", b, b", ", c].concat());
                }
            }
        }
        let borrowed = |l: &AddressList<'_>| -> Vec<bool> {
            l.mailboxes()
                .map(|m| matches!(m.local_part, Cow::Borrowed(_)))
                .collect()
        };
        let (mut fast, mut general) = (0, 0);
        for input in &inputs {
            let default = parse_address_list(input);
            let checked = parse_address_list_with(input, false);
            assert_eq!(default, checked, "{input:?}");
            assert_eq!(borrowed(&default), borrowed(&checked), "{input:?}");
            if input.len() >= WHOLE_STR_FROM && std::str::from_utf8(input).is_ok() {
                fast += 1;
            } else {
                general += 1;
            }
        }
        assert!(fast > 1000 && general > 500, "{fast} {general}");
    }

    /// `Parser::text`: a slice of a UTF-8 input is cut from its `str`; a copy from elsewhere,
    /// a slice that splits a character, or an input that is not UTF-8 takes the checked way.
    #[test]
    fn text_cuts_from_the_whole_str_or_checks() {
        let input = "j\u{f6}rg@x".as_bytes();
        let p = Parser {
            toks: &[],
            input,
            whole: std::str::from_utf8(input).ok().map(|s| (input, s)),
            i: 0,
            malformed: false,
            obsolete: false,
        };
        let cut = p.text(&input[1..]);
        assert_eq!(cut, "\u{f6}rg@x");
        assert!(matches!(&cut, Cow::Borrowed(t) if t.as_ptr() == input[1..].as_ptr()));
        let copy = input.to_vec();
        let copy: &'static [u8] = Box::leak(copy.into_boxed_slice());
        assert!(matches!(p.text(copy), Cow::Borrowed("j\u{f6}rg@x")));
        assert_eq!(p.text(&input[..2]), "j\u{fffd}");
        assert_eq!(p.text(&input[2..]), "\u{fffd}rg@x");
        let bad = b"j\xf6rg";
        let q = Parser { whole: None, ..p };
        assert_eq!(q.text(bad), "j\u{fffd}rg");
    }

    /// Which strings of each mailbox borrow the input (name, local part, domain).
    fn borrows(l: &AddressList<'_>) -> Vec<(bool, bool, bool)> {
        let b = |c: Option<&Cow<'_, str>>| matches!(c, Some(Cow::Borrowed(_)));
        l.mailboxes()
            .map(|m| {
                (
                    b(m.name.as_ref()),
                    b(Some(&m.local_part)),
                    b(m.domain.as_ref()),
                )
            })
            .collect()
    }

    /// The fast path, where it reads a list, gives what the general parser gives, strings
    /// borrowed alike; true if it read it.
    fn fast_equals_general(input: &[u8]) -> bool {
        let general = parse_address_list_with(input, true);
        match parse_common(input) {
            Some(fast) => {
                assert_eq!(fast, general, "{:?}", String::from_utf8_lossy(input));
                assert_eq!(borrows(&fast), borrows(&general), "{input:?}");
                true
            }
            None => false,
        }
    }

    /// The elements the fast path reads (plain, named, quoted, encoded, bare, `<local>`, with
    /// comments) and those it leaves to the general parser (RFC 5322 Appendix A's groups,
    /// routes, quoted-pairs, domain literals, obs-domain, junk, `<>`, non-UTF-8), in lists of
    /// one to three joined by commas, empty elements and folding: wherever the fast path
    /// answers it answers as the general parser, and both paths are taken often.
    #[test]
    fn fast_path_equals_general_parser_on_generated_lists() {
        let shapes: [&[u8]; 24] = [
            b"jdoe@example.org",
            b"John Doe <jdoe@machine.example>",
            b"Joe Q. Public <john.q.public@example.com>",
            b"\"Joe Q. Public\" <john.q.public@example.com>",
            b"\"\" <empty@name.test>",
            b"<boss@nil.test>",
            b"<postmaster>",
            b"nsb (Nathaniel Borenstein)",
            b"Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>",
            b"=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?= <keld@dkuug.dk>",
            b"=?utf-8?q?J=C3=B6rg?= =?utf-8?q?_M?= <j@x>",
            b"\"=?utf-8?q?J=C3=B6rg?=\" <j@x>",
            "J\u{f6}rg M\u{fc}ller <j\u{f6}rg@b\u{fc}cher.example>".as_bytes(),
            b"Mary\tSmith <mary@x.test>",
            b"\"Giant; \\\"Big\\\" Box\" <sysservices@example.net>",
            b"A Group:Ed Jones <c@a.test>,joe@where.test;",
            b"Undisclosed recipients:;",
            b"Mary Smith <@node.test,@x.test:mary@example.net>",
            b"\"john doe\"@[192.0.2.1]",
            b"jdoe@test  . example",
            b"Who? <one@y.test> junk",
            b"<>",
            b"J\xf6rg <j@example.net>",
            b"\"unclosed <a@b>",
        ];
        let seps: [&[u8]; 4] = [b", ", b",\r\n ", b",, ", b","];
        let mut inputs: Vec<Vec<u8>> = Vec::new();
        for (i, a) in shapes.iter().enumerate() {
            inputs.push(a.to_vec());
            inputs.push([b"(c) ", *a, b" ,"].concat());
            for (j, b) in shapes.iter().enumerate() {
                inputs.push([*a, seps[(i + j) % 4], b].concat());
                for c in shapes {
                    inputs.push([*a, seps[i % 4], b, seps[j % 4], c].concat());
                }
            }
        }
        let fast = inputs.iter().filter(|i| fast_equals_general(i)).count();
        assert!(
            fast > 1500 && inputs.len() - fast > 5000,
            "{fast} of {}",
            inputs.len()
        );
    }

    /// The fast path reads the common shapes itself and leaves the rest.
    #[test]
    fn fast_path_reads_common_shapes_and_leaves_the_rest() {
        for common in [
            &b"a@b"[..],
            b"Mary Smith <mary@x.test>, jdoe@example.org, \"Who?\" <one@y.test>",
            b"=?utf-8?q?J=C3=B6rg?= <j@x>",
            b"a b c d e f g h i j k l m n o p <sixteen@words.test>",
            b"abel, bianchi, stornett@flash, tkl",
            b"nsb (Nathaniel Borenstein)",
        ] {
            assert!(fast_equals_general(common), "{common:?}");
        }
        for rare in [
            &b"A Group:Ed Jones <c@a.test>;"[..],
            b"<@route:a@b>",
            b"a@[1.2.3.4]",
            b"\"a\\\"b\"@x",
            b"John Smith",
            b"x <a@b> junk, y@z",
            b"<>",
            b"\xe9 <k@x>",
            b"Mary  Smith <two@spaces.test>",
            b"(\x01\r)\x0b3",
            b"a@b (folded\r\n comment)",
            b"a b c d e f g h i j k l m n o p q <seventeen@words.test>",
        ] {
            assert!(parse_common(rare).is_none(), "{rare:?}");
            assert_eq!(
                parse_address_list(rare),
                parse_address_list_with(rare, true)
            );
        }
    }

    proptest::proptest! {
        /// Any bytes (some not UTF-8): the whole-input `str` way and the word-by-word way give
        /// the same list.
        #[test]
        fn whole_str_words_equal_checked_words_on_any_input(
            bytes in proptest::collection::vec(
                proptest::sample::select(b"ab.@<>,:;()\"\\[] \t\r\n=?Q_\xc3\xa9\xff".to_vec()),
                0..200,
            )
        ) {
            proptest::prop_assert_eq!(parse_address_list_with(&bytes, false), parse_address_list(&bytes));
            // Once every token is read, the lexer has found a line break that is no fold
            // exactly where the plain test does.
            let mut lexer = Lexer::new(&bytes, Specials::Rfc5322);
            lexer.by_ref().for_each(drop);
            proptest::prop_assert_eq!(lexer.bare_break, crate::lexer::has_bare_break(&bytes));
        }
    }

    proptest::proptest! {
        /// Random sequences of the tokens a list is made of: the fast path, where it answers,
        /// answers as the general parser.
        #[test]
        fn fast_path_equals_general_parser_on_token_sequences(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "bc.d", "Mary", "=?utf-8?q?J=C3=B6rg?=", "=?x?q?", "\"q r\"", "\"\"",
                    "\"a\\\"b\"", "\"open", "(c)", "(a (b) c", ")", "<", ">", "@", ",", ":",
                    ";", "[1.2]", " ", "  ", "\t", "\r\n ", ".", "\u{e9}", "\\",
                ]),
                0..24,
            )
        ) {
            let input = pieces.concat();
            fast_equals_general(input.as_bytes());
        }
    }

    proptest::proptest! {
        /// Lists of well-formed elements (a name or none, an address in angle brackets or
        /// bare) with now and then a piece that is not: mostly read by the fast path, always
        /// as the general parser reads them.
        #[test]
        fn fast_path_equals_general_parser_on_element_lists(
            elements in proptest::collection::vec(
                (
                    proptest::sample::select(vec![
                        "", "Mary ", "Mary Smith ", "Mary  Smith ", "\"Joe Q. Public\" ",
                        "\"\" ", "=?utf-8?q?J=C3=B6rg?= ", "=?utf-8?q?J?= =?utf-8?q?_M?= ",
                        "J\u{f6}rg ", "(c) ", "A Group:", "\"a\\\"b\" ", "a (b) c ",
                    ]),
                    proptest::sample::select(vec![
                        "<m@x.test>", "m@x.test", "<m>", "m", "<\"q p\"@x>", "\"q\"@x",
                        "<m@x.test> (c)", "<m @ x.test>", "<@r:m@x>", "<>", "m@[1.2.3.4]",
                        "m@x . test", "<m@x", "m@x;", "",
                    ]),
                    proptest::sample::select(vec![", ", ",", ",\r\n\t", " , ", ",,", " "]),
                ),
                0..6,
            )
        ) {
            let input: String = elements.iter().map(|(n, a, s)| [*n, *a, *s].concat()).collect();
            fast_equals_general(input.as_bytes());
        }
    }

    /// RFC 5322 Appendix A: every address field of the examples.
    #[test]
    fn rfc5322_appendix_a() {
        let table: &[(&str, Vec<Flat>)] = &[
            // A.1.1
            ("John Doe <jdoe@machine.example>", vec![mb(Some("John Doe"), "jdoe@machine.example")]),
            ("Mary Smith <mary@example.net>", vec![mb(Some("Mary Smith"), "mary@example.net")]),
            // A.1.2
            (
                "\"Joe Q. Public\" <john.q.public@example.com>",
                vec![mb(Some("Joe Q. Public"), "john.q.public@example.com")],
            ),
            (
                "Mary Smith <mary@x.test>, jdoe@example.org, Who? <one@y.test>",
                vec![
                    mb(Some("Mary Smith"), "mary@x.test"),
                    mb(None, "jdoe@example.org"),
                    mb(Some("Who?"), "one@y.test"),
                ],
            ),
            (
                "<boss@nil.test>, \"Giant; \\\"Big\\\" Box\" <sysservices@example.net>",
                vec![
                    mb(None, "boss@nil.test"),
                    mb(Some("Giant; \"Big\" Box"), "sysservices@example.net"),
                ],
            ),
            // A.1.3
            (
                "A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;",
                vec![
                    mb(Some("Ed Jones"), "c@a.test"),
                    mb(None, "joe@where.test"),
                    mb(Some("John"), "jdoe@one.test"),
                ],
            ),
            ("Undisclosed recipients:;", vec![]),
            // A.4
            ("Jane Brown <j-brown@other.example>", vec![mb(Some("Jane Brown"), "j-brown@other.example")]),
            // A.5
            (
                "Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>",
                vec![mb(Some("Pete"), "pete@silly.test")],
            ),
            (
                "A Group(Some people)\r\n     :Chris Jones <c@(Chris's host.)public.example>,\r\n         joe@example.org,\r\n  John <jdoe@one.test> (my dear friend); (the end of the group)",
                vec![
                    mb(Some("Chris Jones"), "c@public.example"),
                    mb(None, "joe@example.org"),
                    mb(Some("John"), "jdoe@one.test"),
                ],
            ),
            ("(Empty list)(start)Hidden recipients  :(nobody(that I know))  ;", vec![]),
            // A.6.1
            (
                "Mary Smith\r\n  <mary@x.test>, jdoe@example.org, Who? <one@y.test>",
                vec![
                    mb(Some("Mary Smith"), "mary@x.test"),
                    mb(None, "jdoe@example.org"),
                    mb(Some("Who?"), "one@y.test"),
                ],
            ),
            // A.6.2
            ("Joe Q. Public <john.q.public@example.com>", vec![mb(Some("Joe Q. Public"), "john.q.public@example.com")]),
            (
                "Mary Smith <@node.test:mary@example.net>, , jdoe@test  . example",
                vec![mb(Some("Mary Smith"), "mary@example.net"), mb(None, "jdoe@test.example")],
            ),
            ("John Doe <jdoe@machine(comment).  example>", vec![mb(Some("John Doe"), "jdoe@machine.example")]),
            // A.6.3
            ("Mary Smith\r\n     \r\n <mary@example.net>", vec![mb(Some("Mary Smith"), "mary@example.net")]),
        ];
        for (input, want) in table {
            assert_eq!(&flat(input), want, "{input}");
        }
    }

    #[test]
    fn groups_keep_their_names() {
        let l =
            parse_address_list(b"(Empty list)(start)Hidden recipients  :(nobody(that I know))  ;");
        assert_eq!(
            l.addresses,
            [Address::Group {
                name: "Hidden recipients".into(),
                members: vec![]
            }]
        );
        let l = parse_address_list(
            b"A Group(Some people) :Chris Jones <c@public.example>, joe@example.org;",
        );
        let Address::Group { name, members } = &l.addresses[0] else {
            panic!()
        };
        assert_eq!(name, "A Group");
        assert_eq!(members.len(), 2);
    }

    #[test]
    fn routes_and_empty_elements_are_obsolete() {
        let l = parse_address_list(
            b"Mary Smith <@node.test,@x.test:mary@example.net>, , jdoe@test  . example",
        );
        assert!(l.obsolete);
        assert!(!l.malformed);
        assert_eq!(l.mailboxes().count(), 2);
    }

    #[test]
    fn quoting_domain_literals_and_encoded_names() {
        assert_eq!(
            flat("\"john doe\"@example.com"),
            [mb(None, "\"john doe\"@example.com")]
        );
        assert_eq!(flat("jdoe@[192.168.0.1]"), [mb(None, "jdoe@[192.168.0.1]")]);
        assert_eq!(
            flat("=?utf-8?q?J=C3=B6rg?= =?utf-8?q?_M?= <j@x>"),
            [mb(Some("Jörg M"), "j@x")]
        );
        assert_eq!(
            flat("\"=?utf-8?q?J=C3=B6rg?=\" <j@x>"),
            [mb(Some("Jörg"), "j@x")]
        );
        assert_eq!(flat("<>"), [mb(None, "<>")]);
        assert_eq!(
            flat("jdoe@example.org (John Doe)"),
            [mb(None, "jdoe@example.org")]
        );
    }

    #[test]
    fn plain_words_borrow_the_input_and_the_rest_is_owned() {
        let borrowed = |c: &Cow<'_, str>| matches!(c, Cow::Borrowed(_));
        let l = parse_address_list(b"Mary <mary@x.test>, \"joe\"@y.test, bare");
        let m: Vec<&Mailbox<'_>> = l.mailboxes().collect();
        assert!(borrowed(m[0].name.as_ref().unwrap()) && borrowed(&m[0].local_part));
        assert!(borrowed(m[0].domain.as_ref().unwrap()));
        assert_eq!(m[1].local_part, "joe");
        assert!(borrowed(&m[1].local_part));
        assert!(borrowed(&m[2].local_part) && m[2].domain.is_none());
        // A name of atoms one space apart, or one quoted string, is cut from the input.
        let l = parse_address_list(b"Mary Smith <m@x>, \"Joe Q. Public\" <j@y>, A  B <a@b>");
        let m: Vec<&Mailbox<'_>> = l.mailboxes().collect();
        assert_eq!(m[0].name.as_deref(), Some("Mary Smith"));
        assert!(borrowed(m[0].name.as_ref().unwrap()));
        assert_eq!(m[1].name.as_deref(), Some("Joe Q. Public"));
        assert!(borrowed(m[1].name.as_ref().unwrap()));
        // Words joined over other white space, quoted-pairs, encoded-words, obs-domain and
        // non-UTF-8: owned.
        assert_eq!(m[2].name.as_deref(), Some("A B"));
        assert!(!borrowed(m[2].name.as_ref().unwrap()));
        let l = parse_address_list(
            b"Mary  Smith <\"a\\\"b\"@x . test>, =?utf-8?q?J=C3=B6rg?= <j@x>, \xe9 <k@x>",
        );
        let m: Vec<&Mailbox<'_>> = l.mailboxes().collect();
        assert_eq!(m[0].name.as_deref(), Some("Mary Smith"));
        assert!(!borrowed(m[0].name.as_ref().unwrap()));
        assert_eq!(m[0].local_part, "a\"b");
        assert!(!borrowed(&m[0].local_part));
        assert_eq!(m[0].domain.as_deref(), Some("x.test"));
        assert!(!borrowed(m[0].domain.as_ref().unwrap()));
        assert_eq!(m[1].name.as_deref(), Some("Jörg"));
        assert!(!borrowed(m[1].name.as_ref().unwrap()));
        assert_eq!(m[2].name.as_deref(), Some("\u{fffd}"));
        assert!(!borrowed(m[2].name.as_ref().unwrap()));
        // Owned copies read the same and outlive the input.
        let owned = {
            let input = b"g: Ann <a@b>, c@d;, e@f".to_vec();
            let list = parse_address_list(&input);
            let copy = list.clone().into_owned();
            assert_eq!(copy, list);
            copy
        };
        assert_eq!(owned.mailboxes().count(), 3);
        assert!(matches!(&owned.addresses[0], Address::Group { name, .. } if name == "g"));
    }

    #[test]
    fn malformed_does_not_panic() {
        for input in [
            "<",
            "a <b",
            "a@",
            "@",
            ":;,",
            "a:b<c",
            ">>",
            "\"",
            "(",
            "g: a@b",
            "<@route",
            "x <a@b> junk, y@z",
        ] {
            let l = parse_address_list(input.as_bytes());
            let _ = l.mailboxes().count();
        }
        let l = parse_address_list(b"x <a@b> junk, y@z");
        assert!(l.malformed);
        assert_eq!(l.mailboxes().count(), 2);
    }
}

//! Content-Type, Content-Disposition and Content-Transfer-Encoding (RFC 2045, RFC 2183), with
//! RFC 2231 parameters (continuations joined before charset conversion) and Message-IDs.

use std::borrow::Cow;

use crate::lexer::{is_wsp, Lexer, Specials, Token};

/// A parsed `Content-Type`; parameter values borrow the parsed input where they are there as
/// they are ([`into_owned`](Self::into_owned) makes one that outlives it).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ContentType<'a> {
    /// The type, lower case (`text`); common names are not allocated.
    pub media_type: Cow<'static, str>,
    /// The subtype, lower case (`plain`).
    pub subtype: Cow<'static, str>,
    /// Parameters in order: names lower case, values decoded (RFC 2231, and RFC 2047 in quoted
    /// values as many writers use it for file names).
    pub params: Params<'a>,
}

/// One parameter: the name (lower case) and the decoded value (borrowing the input when it is
/// there as it is: a plain token or a quoted string with nothing to undo).
pub type Param<'a> = (Cow<'static, str>, Cow<'a, str>);

/// The parameters of a field in order, read as a slice (`&params[..]`, `params.iter()`). Up
/// to two, what nearly every part has, are held in place: a part's Content-Type costs no
/// allocation for them.
#[derive(Clone)]
pub struct Params<'a> {
    repr: ParamsRepr<'a>,
}

#[derive(Clone)]
enum ParamsRepr<'a> {
    Inline { len: u8, items: [Param<'a>; 2] },
    Heap(Vec<Param<'a>>),
}

/// An unused slot of [`ParamsRepr::Inline`].
const NO_PARAM: Param<'static> = (Cow::Borrowed(""), Cow::Borrowed(""));

impl<'a> Params<'a> {
    /// No parameters.
    pub const fn new() -> Self {
        Self {
            repr: ParamsRepr::Inline {
                len: 0,
                items: [NO_PARAM, NO_PARAM],
            },
        }
    }

    /// Appends a parameter.
    pub fn push(&mut self, param: Param<'a>) {
        match &mut self.repr {
            ParamsRepr::Inline { len, items } => {
                if let Some(slot) = items.get_mut(usize::from(*len)) {
                    *slot = param;
                    *len += 1;
                } else {
                    let mut v = Vec::with_capacity(2 * items.len());
                    v.extend(items.iter_mut().map(|p| std::mem::replace(p, NO_PARAM)));
                    v.push(param);
                    self.repr = ParamsRepr::Heap(v);
                }
            }
            ParamsRepr::Heap(v) => v.push(param),
        }
    }

    /// The parameters as a slice.
    pub fn as_slice(&self) -> &[Param<'a>] {
        match &self.repr {
            ParamsRepr::Inline { len, items } => items.get(..usize::from(*len)).unwrap_or_default(),
            ParamsRepr::Heap(v) => v,
        }
    }

    /// These parameters with every value owned.
    pub fn into_owned(self) -> Params<'static> {
        let own = |(n, v): Param<'a>| -> Param<'static> { (n, Cow::Owned(v.into_owned())) };
        match self.repr {
            ParamsRepr::Inline { len, items } => {
                items.into_iter().take(usize::from(len)).map(own).collect()
            }
            ParamsRepr::Heap(v) => Params {
                repr: ParamsRepr::Heap(v.into_iter().map(own).collect()),
            },
        }
    }
}

impl Default for Params<'_> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'a> std::ops::Deref for Params<'a> {
    type Target = [Param<'a>];
    fn deref(&self) -> &[Param<'a>] {
        self.as_slice()
    }
}

impl std::fmt::Debug for Params<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

impl PartialEq for Params<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for Params<'_> {}

impl std::hash::Hash for Params<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_slice().hash(state);
    }
}

impl<'a> From<Vec<Param<'a>>> for Params<'a> {
    fn from(v: Vec<Param<'a>>) -> Self {
        if v.len() <= 2 {
            v.into_iter().collect()
        } else {
            Self {
                repr: ParamsRepr::Heap(v),
            }
        }
    }
}

impl<'a, const N: usize> From<[Param<'a>; N]> for Params<'a> {
    fn from(a: [Param<'a>; N]) -> Self {
        a.into_iter().collect()
    }
}

impl<'a> FromIterator<Param<'a>> for Params<'a> {
    fn from_iter<I: IntoIterator<Item = Param<'a>>>(iter: I) -> Self {
        let mut out = Self::new();
        iter.into_iter().for_each(|p| out.push(p));
        out
    }
}

impl<'p, 'a> IntoIterator for &'p Params<'a> {
    type Item = &'p Param<'a>;
    type IntoIter = std::slice::Iter<'p, Param<'a>>;
    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

impl ContentType<'_> {
    /// `text/plain`, the default of RFC 2045 5.2 (whose implied `charset=us-ascii` is not
    /// listed as a parameter: [`Part::text`](crate::Part::text) applies it).
    pub fn text_plain() -> Self {
        Self {
            media_type: "text".into(),
            subtype: "plain".into(),
            params: Params::new(),
        }
    }

    /// `message/rfc822`, the default inside `multipart/digest` (RFC 2046 5.1.5).
    pub fn message_rfc822() -> Self {
        Self {
            media_type: "message".into(),
            subtype: "rfc822".into(),
            params: Params::new(),
        }
    }

    /// Whether the type is `ty/sub` (ASCII case-insensitive; `sub` may be `*`).
    pub fn is(&self, ty: &str, sub: &str) -> bool {
        self.media_type.eq_ignore_ascii_case(ty)
            && (sub == "*" || self.subtype.eq_ignore_ascii_case(sub))
    }

    /// The value of parameter `name` (ASCII case-insensitive).
    pub fn param(&self, name: &str) -> Option<&str> {
        param(&self.params, name)
    }

    /// `type/subtype`.
    pub fn essence(&self) -> String {
        format!("{}/{}", self.media_type, self.subtype)
    }

    /// This Content-Type with every parameter value owned.
    pub fn into_owned(self) -> ContentType<'static> {
        ContentType {
            media_type: self.media_type,
            subtype: self.subtype,
            params: self.params.into_owned(),
        }
    }
}

/// Lower-cases a type, subtype or parameter name, without allocating for the common ones.
fn intern(name: &[u8]) -> Cow<'static, str> {
    // Nearly every name is written in lower case already: looked up as it is, then (for
    // `Text/HTML` and the like) lower-cased on the stack and looked up again.
    if let Some(common) = common_name(name) {
        return Cow::Borrowed(common);
    }
    let mut buf = [0u8; 20];
    if let Some(lower) = buf.get_mut(..name.len()) {
        for (l, c) in lower.iter_mut().zip(name) {
            *l = c.to_ascii_lowercase();
        }
        if let Some(common) = common_name(lower) {
            return Cow::Borrowed(common);
        }
    }
    Cow::Owned(String::from_utf8_lossy(name).to_ascii_lowercase())
}

/// The types, subtypes and parameter names most parts use, in lower case (one `match`: a
/// switch on the length, then a compare).
fn common_name(lower: &[u8]) -> Option<&'static str> {
    Some(match lower {
        b"text" => "text",
        b"plain" => "plain",
        b"html" => "html",
        b"multipart" => "multipart",
        b"mixed" => "mixed",
        b"alternative" => "alternative",
        b"related" => "related",
        b"digest" => "digest",
        b"application" => "application",
        b"octet-stream" => "octet-stream",
        b"pdf" => "pdf",
        b"image" => "image",
        b"jpeg" => "jpeg",
        b"png" => "png",
        b"gif" => "gif",
        b"message" => "message",
        b"rfc822" => "rfc822",
        b"charset" => "charset",
        b"boundary" => "boundary",
        b"name" => "name",
        b"filename" => "filename",
        b"format" => "format",
        b"type" => "type",
        b"inline" => "inline",
        b"attachment" => "attachment",
        b"delsp" => "delsp",
        b"size" => "size",
        b"creation-date" => "creation-date",
        b"modification-date" => "modification-date",
        b"x-unix-mode" => "x-unix-mode",
        // The other types and subtypes of RFC 2046 and those of signed, encrypted and report
        // messages (RFC 1847, RFC 3462, RFC 8551), with their parameters: each was a String
        // (~250 instructions with its malloc and free; startrek.eml has audio/basic twice and
        // multipart/parallel).
        b"audio" => "audio",
        b"video" => "video",
        b"basic" => "basic",
        b"mpeg" => "mpeg",
        b"parallel" => "parallel",
        b"signed" => "signed",
        b"encrypted" => "encrypted",
        b"report" => "report",
        b"partial" => "partial",
        b"external-body" => "external-body",
        b"delivery-status" => "delivery-status",
        b"disposition-notification" => "disposition-notification",
        b"rfc822-headers" => "rfc822-headers",
        b"enriched" => "enriched",
        b"calendar" => "calendar",
        b"pkcs7-signature" => "pkcs7-signature",
        b"pkcs7-mime" => "pkcs7-mime",
        b"pgp-signature" => "pgp-signature",
        b"pgp-encrypted" => "pgp-encrypted",
        b"protocol" => "protocol",
        b"micalg" => "micalg",
        b"report-type" => "report-type",
        b"method" => "method",
        b"start" => "start",
        _ => return None,
    })
}

fn param<'p>(params: &'p [Param<'_>], name: &str) -> Option<&'p str> {
    params
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_ref())
}

/// A parsed `Content-Disposition` (RFC 2183).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ContentDisposition<'a> {
    /// `inline`, `attachment` or another token, lower case.
    pub kind: Cow<'static, str>,
    /// Parameters as in [`ContentType::params`].
    pub params: Params<'a>,
}

impl ContentDisposition<'_> {
    /// This Content-Disposition with every parameter value owned.
    pub fn into_owned(self) -> ContentDisposition<'static> {
        ContentDisposition {
            kind: self.kind,
            params: self.params.into_owned(),
        }
    }

    /// The value of parameter `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        param(&self.params, name)
    }

    /// The `filename` parameter.
    pub fn filename(&self) -> Option<&str> {
        self.param("filename")
    }
}

/// Parses a `Content-Type` value; `None` when it has no valid `type/subtype`.
///
/// ```
/// use mail_message::params::parse_content_type;
/// let ct = parse_content_type(b"Text/HTML; charset=\"UTF-8\" (comment); name*=utf-8''%E2%82%AC.html").unwrap();
/// assert!(ct.is("text", "html"));
/// assert_eq!(ct.param("CHARSET"), Some("UTF-8"));
/// assert_eq!(ct.param("name"), Some("€.html"));
/// ```
///
/// A field's raw value can be given as it is: CR and LF read as folding white space, as in the
/// unfolded value (likewise for [`parse_content_disposition`] and [`parse_message_ids`]).
pub fn parse_content_type(input: &[u8]) -> Option<ContentType<'_>> {
    content_type_plain(input).or_else(|| content_type_folded(input))
}

/// [`content_type_general`] on `input`, unfolded first (the values then owned) when a line
/// break in it is no fold.
#[cold]
fn content_type_folded(input: &[u8]) -> Option<ContentType<'_>> {
    if crate::lexer::has_bare_break(input) {
        content_type_general(&crate::header::unfold(input)).map(ContentType::into_owned)
    } else {
        content_type_general(input)
    }
}

/// [`parse_content_type`] by the lexer: every form the grammar and its tolerances allow.
pub(crate) fn content_type_general(input: &[u8]) -> Option<ContentType<'_>> {
    let mut lx = Lexer::new(input, Specials::Mime);
    let media_type = match lx.next()? {
        Token::Atom(a) => intern(a),
        _ => return None,
    };
    if lx.next()? != Token::Special(b'/') {
        return None;
    }
    let subtype = match lx.next()? {
        Token::Atom(a) => intern(a),
        _ => return None,
    };
    let params = parse_params(&mut lx).into();
    Some(ContentType {
        media_type,
        subtype,
        params,
    })
}

/// A byte of a type, subtype or parameter name as the fast path takes it: printable ASCII
/// that is neither a MIME special nor `*` (which starts an RFC 2231 name suffix) nor `\`.
const fn plain_token_table() -> [bool; 256] {
    let mut t = [false; 256];
    let mut c = 0x21;
    while c < 0x7f {
        let b = c as u8;
        t[c] = !Specials::Mime.is_special(b) && b != b'*' && b != b'\\';
        c += 1;
    }
    t
}

static PLAIN_TOKEN: [bool; 256] = plain_token_table();

/// The bytes `table[c]` marks, from a list (for the stop sets of the fast path's value scans).
const fn byte_table(bytes: &[u8]) -> [bool; 256] {
    let mut t = [false; 256];
    let mut i = 0;
    while i < bytes.len() {
        t[bytes[i] as usize] = true;
        i += 1;
    }
    t
}

/// Where a quoted value of the fast path stops: its closing quote, or a byte it leaves to the
/// general parser (a quoted-pair, a line break).
static QUOTED_STOP: [bool; 256] = byte_table(b"\"\\\r\n");

/// Where a plain value of the fast path stops: where the general parser's token ends.
static PLAIN_STOP: [bool; 256] = byte_table(b";\"( \t\r\n");

/// The Content-Type of nearly every part, `type/subtype` then `; name=value` parameters with
/// plain or simply quoted values, read in one pass without the lexer. `None` hands anything
/// else (comments, white space inside the type, quoted-pairs, RFC 2231 names, a name twice,
/// stray bytes between parameters) to the general parser, which reads what this reads the
/// same way (a test checks both on generated values).
pub(crate) fn content_type_plain(input: &[u8]) -> Option<ContentType<'_>> {
    let ws = |c: u8| matches!(c, b' ' | b'\t' | b'\r' | b'\n');
    let token_len = |s: &[u8]| {
        s.iter()
            .take_while(|&&c| PLAIN_TOKEN[usize::from(c)])
            .count()
    };
    let skip_ws = |s: &[u8], i: usize| i + s[i..].iter().take_while(|&&c| ws(c)).count();
    let mut i = skip_ws(input, 0);
    let (media_type, subtype) = if let Some((ty, sub, len)) = common_essence(&input[i..]) {
        i += len;
        (Cow::Borrowed(ty), Cow::Borrowed(sub))
    } else {
        let t = token_len(&input[i..]);
        if t == 0 || input.get(i + t) != Some(&b'/') {
            return None;
        }
        let media_type = intern(&input[i..i + t]);
        i += t + 1;
        let t = token_len(&input[i..]);
        if t == 0 {
            return None;
        }
        let subtype = intern(&input[i..i + t]);
        i += t;
        (media_type, subtype)
    };
    let mut params = Params::new();
    loop {
        i = skip_ws(input, i);
        match input.get(i) {
            None => break,
            Some(b';') => i = skip_ws(input, i + 1),
            Some(_) => return None,
        }
        if i == input.len() {
            break;
        }
        let t = token_len(&input[i..]);
        if t == 0 || input.get(i + t) != Some(&b'=') {
            return None;
        }
        let name = &input[i..i + t];
        i += t + 1;
        // A value ends where the general parser's does; whatever it stops at other than a `;`
        // or white space (`"`, `(`) is then refused below.
        let value = if input.get(i) == Some(&b'=') {
            // `name==x`: the general parser skips every `=` before the value.
            return None;
        } else if input.get(i) == Some(&b'"') {
            // One pass to the closing quote; a quoted-pair or line break before it is refused.
            let len = input[i + 1..]
                .iter()
                .position(|&c| QUOTED_STOP[usize::from(c)])?;
            if input.get(i + 1 + len) != Some(&b'"') {
                return None;
            }
            let v = &input[i + 1..i + 1 + len];
            i += len + 2;
            v
        } else {
            let len = input[i..]
                .iter()
                .position(|&c| PLAIN_STOP[usize::from(c)])
                .unwrap_or(input.len() - i);
            let v = &input[i..i + len];
            i += len;
            v
        };
        let name = intern(name);
        if params.iter().any(|(n, _)| *n == name) {
            return None;
        }
        let value = plain_value(&name, Cow::Borrowed(value));
        params.push((name, value));
    }
    Some(ContentType {
        media_type,
        subtype,
        params,
    })
}

/// The `type/subtype` pairs most parts have, as writers spell them (lower case).
const COMMON_ESSENCES: [(&[u8], &str, &str); 12] = [
    (b"text/plain", "text", "plain"),
    (b"text/html", "text", "html"),
    (b"multipart/mixed", "multipart", "mixed"),
    (b"multipart/alternative", "multipart", "alternative"),
    (b"multipart/related", "multipart", "related"),
    (b"message/rfc822", "message", "rfc822"),
    (b"application/octet-stream", "application", "octet-stream"),
    (b"application/pdf", "application", "pdf"),
    (b"audio/basic", "audio", "basic"),
    (b"image/jpeg", "image", "jpeg"),
    (b"image/png", "image", "png"),
    (b"image/gif", "image", "gif"),
];

/// The type and subtype `value` starts with and their length, when they are one of
/// [`COMMON_ESSENCES`] and the subtype's token ends there: what the fast path's two token
/// scans and two name lookups read (~100 instructions a part), in one comparison chosen by the
/// first byte.
fn common_essence(value: &[u8]) -> Option<(&'static str, &'static str, usize)> {
    let candidates = match value.first()? {
        b't' => COMMON_ESSENCES.get(..2),
        b'm' => COMMON_ESSENCES.get(2..6),
        b'a' => COMMON_ESSENCES.get(6..9),
        b'i' => COMMON_ESSENCES.get(9..),
        _ => None,
    }?;
    let &(essence, ty, sub) = candidates.iter().find(|(e, _, _)| value.starts_with(e))?;
    let len = essence.len();
    if value.get(len).is_some_and(|&c| PLAIN_TOKEN[usize::from(c)]) {
        // A longer subtype (`text/plainer`): the token scan reads it.
        return None;
    }
    Some((ty, sub, len))
}

/// The parameters of a field whose value before the first `;` is invalid (`application;
/// name=x.gz`): readers still find the file name there.
pub(crate) fn salvage_params(input: &[u8]) -> Params<'_> {
    fn params(input: &[u8]) -> Params<'_> {
        let mut lx = Lexer::new(input, Specials::Mime);
        parse_params(&mut lx).into()
    }
    if crate::lexer::has_bare_break(input) {
        params(&crate::header::unfold(input)).into_owned()
    } else {
        params(input)
    }
}

/// Parses a `Content-Disposition` value; `None` when it has no disposition type.
///
/// ```
/// use mail_message::params::parse_content_disposition;
/// let cd = parse_content_disposition(b"attachment; filename*0*=utf-8''%E2%82; filename*1*=%AC; filename*2=.txt").unwrap();
/// assert_eq!(cd.kind, "attachment");
/// assert_eq!(cd.filename(), Some("€.txt"));
/// ```
pub fn parse_content_disposition(input: &[u8]) -> Option<ContentDisposition<'_>> {
    if crate::lexer::has_bare_break(input) {
        content_disposition_general(&crate::header::unfold(input))
            .map(ContentDisposition::into_owned)
    } else {
        content_disposition_general(input)
    }
}

/// [`parse_content_disposition`] on a value whose line breaks are folds.
fn content_disposition_general(input: &[u8]) -> Option<ContentDisposition<'_>> {
    let mut lx = Lexer::new(input, Specials::Mime);
    let kind = match lx.next()? {
        Token::Atom(a) => intern(a),
        _ => return None,
    };
    let params = parse_params(&mut lx).into();
    Some(ContentDisposition { kind, params })
}

struct RawParam<'a> {
    name: Cow<'static, str>,
    section: Option<u32>,
    extended: bool,
    value: Cow<'a, [u8]>,
    quoted: bool,
}

fn parse_params<'a>(lx: &mut Lexer<'a>) -> Vec<Param<'a>> {
    // The common case, no RFC 2231 parameter and no name twice: each value goes straight to
    // the output. At the first parameter that needs joining, the parameters are read again
    // from the start by the general path.
    let start = lx.clone();
    let mut out: Vec<Param<'a>> = Vec::new();
    while let Some(p) = next_param(lx) {
        if p.extended || p.section.is_some() || out.iter().any(|(n, _)| *n == p.name) {
            let mut lx = start;
            let raw = std::iter::from_fn(|| next_param(&mut lx)).collect();
            return join_params(raw);
        }
        let value = plain_value(&p.name, p.value);
        out.push((p.name, value));
    }
    out
}

/// The next `; name=value` of a parameter list, skipping what does not parse.
fn next_param<'a>(lx: &mut Lexer<'a>) -> Option<RawParam<'a>> {
    loop {
        // Skip to the next ';'.
        while lx.next()? != Token::Special(b';') {}
        let Some(Token::Atom(name)) = lx.next() else {
            continue;
        };
        lx.skip_cfws();
        if lx.rest().first() != Some(&b'=') {
            continue;
        }
        lx.take_until(|c| c != b'=');
        lx.skip_cfws();
        let (value, quoted): (Cow<'a, [u8]>, bool) = if lx.rest().first() == Some(&b'"') {
            match lx.next() {
                Some(Token::Quoted(q)) => (q, true),
                _ => continue,
            }
        } else {
            // A token, read tolerantly: real boundaries and file names carry tspecials
            // such as '=' and '/' unquoted.
            let v = lx.take_until(|c| c == b';' || is_wsp(c) || c == b'"' || c == b'(');
            (Cow::Borrowed(v), false)
        };
        let (name, section, extended) = split_name(name);
        return Some(RawParam {
            name,
            section,
            extended,
            value,
            quoted,
        });
    }
}

/// `name*1*` -> ("name", Some(1), true), the name in lower case.
fn split_name(name: &[u8]) -> (Cow<'static, str>, Option<u32>, bool) {
    let lower = intern;
    let (rest, extended) = match name.strip_suffix(b"*") {
        Some(r) => (r, true),
        None => (name, false),
    };
    if let Some(star) = rest.iter().rposition(|&c| c == b'*') {
        let num = &rest[star + 1..];
        if !num.is_empty() && num.len() <= 3 && num.iter().all(u8::is_ascii_digit) {
            let n = num.iter().fold(0u32, |n, &d| n * 10 + u32::from(d - b'0'));
            return (lower(&rest[..star]), Some(n), extended);
        }
    }
    (lower(rest), None, extended)
}

fn percent_decode(v: &[u8], out: &mut Vec<u8>) {
    let mut i = 0;
    while i < v.len() {
        if v[i] == b'%' {
            if let (Some(h), Some(l)) = (
                v.get(i + 1).and_then(|&c| crate::rfc2047::hex(c)),
                v.get(i + 2).and_then(|&c| crate::rfc2047::hex(c)),
            ) {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
        }
        out.push(v[i]);
        i += 1;
    }
}

/// A parameter's value as text: borrowing the input when it is there as it is (UTF-8, no
/// encoded-word to decode), so a boundary or file name costs no allocation.
fn plain_value<'a>(name: &str, v: Cow<'a, [u8]>) -> Cow<'a, str> {
    // A common value (`utf-8`) first: none holds "=?", so the search for one is skipped.
    if let Some(common) = common_value(&v) {
        Cow::Borrowed(common)
    } else if name != "boundary" && crate::rfc2047::has_encoded_word_start(&v) {
        Cow::Owned(crate::rfc2047::decode_text(&v).0.into_owned())
    } else {
        match v {
            Cow::Borrowed(b) => match crate::charset::utf8(b) {
                Some(text) => Cow::Borrowed(text),
                None => Cow::Owned(String::from_utf8_lossy(b).into_owned()),
            },
            Cow::Owned(b) => Cow::Owned(crate::charset::lossy_string_owned(b)),
        }
    }
}

/// The parameter values that most parts carry (charsets, `format=flowed`), as written: not
/// allocated. Values keep their case, so each spelling is its own entry.
fn common_value(v: &[u8]) -> Option<&'static str> {
    Some(match v {
        b"utf-8" => "utf-8",
        b"UTF-8" => "UTF-8",
        b"us-ascii" => "us-ascii",
        b"US-ASCII" => "US-ASCII",
        b"iso-8859-1" => "iso-8859-1",
        b"ISO-8859-1" => "ISO-8859-1",
        b"iso-8859-15" => "iso-8859-15",
        b"ISO-8859-15" => "ISO-8859-15",
        b"windows-1252" => "windows-1252",
        b"Windows-1252" => "Windows-1252",
        b"flowed" => "flowed",
        b"fixed" => "fixed",
        b"yes" => "yes",
        b"no" => "no",
        _ => return None,
    })
}

fn join_params(raw: Vec<RawParam<'_>>) -> Vec<Param<'_>> {
    let mut out: Vec<Param<'_>> = Vec::new();
    let mut done: Vec<&str> = Vec::new();
    for p in &raw {
        if done.contains(&p.name.as_ref()) {
            continue;
        }
        done.push(&p.name);
        let rfc2231: Vec<&RawParam<'_>> = raw
            .iter()
            .filter(|q| q.name == p.name && (q.extended || q.section.is_some()))
            .collect();
        let value = if rfc2231.is_empty() {
            plain_value(&p.name, p.value.clone())
        } else {
            // Sections in numeric order (a lone `name*=` is section 0), joined as octets and
            // converted once with the charset of the first section.
            let mut sections = rfc2231;
            sections.sort_by_key(|q| q.section.unwrap_or(0));
            sections.dedup_by_key(|q| q.section.unwrap_or(0));
            let mut bytes = Vec::new();
            let mut charset: Option<String> = None;
            for (k, s) in sections.iter().enumerate() {
                let mut v: &[u8] = &s.value;
                if k == 0 && s.extended && !s.quoted {
                    let mut it = v.splitn(3, |&c| c == b'\'');
                    if let (Some(cs), Some(_lang), Some(text)) = (it.next(), it.next(), it.next()) {
                        charset = Some(crate::charset::lossy_string(cs));
                        v = text;
                    }
                } else if k == 0 && s.extended {
                    // Quoted extended values are invalid but common; same reading.
                    let mut it = v.splitn(3, |&c| c == b'\'');
                    if let (Some(cs), Some(_), Some(text)) = (it.next(), it.next(), it.next()) {
                        charset = Some(crate::charset::lossy_string(cs));
                        v = text;
                    }
                }
                if s.extended {
                    percent_decode(v, &mut bytes);
                } else {
                    bytes.extend_from_slice(v);
                }
            }
            Cow::Owned(match charset.as_deref() {
                Some(cs) if !cs.is_empty() => crate::charset::decode(cs, &bytes).text.into_owned(),
                _ => crate::charset::lossy_string_owned(bytes),
            })
        };
        out.push((p.name.clone(), value));
    }
    out
}

/// The Content-Transfer-Encoding of a part (RFC 2045 6).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransferEncoding {
    /// `7bit`, the default.
    SevenBit,
    /// `8bit`.
    EightBit,
    /// `binary`.
    Binary,
    /// `base64`.
    Base64,
    /// `quoted-printable`.
    QuotedPrintable,
    /// `x-uuencode` (also `uuencode`, `x-uue`).
    Uuencode,
    /// Anything else: the body is left as it is.
    Unknown,
}

impl TransferEncoding {
    /// Parses a Content-Transfer-Encoding value (case-insensitive, comments ignored).
    pub fn parse(value: &[u8]) -> Self {
        // The usual value is one known token between white space: taken as it is (each known
        // token is letters, digits and dashes, which the lexer reads as one atom too).
        // Anything else (a comment, a quote, another word, an unknown token) goes through the
        // lexer.
        let wsp = |c: &u8| crate::lexer::is_wsp(*c);
        let from = value.iter().position(|c| !wsp(c)).unwrap_or(value.len());
        let to = value.iter().rposition(|c| !wsp(c)).map_or(from, |k| k + 1);
        let known = Self::from_token(value.get(from..to).unwrap_or_default());
        if known != Self::Unknown {
            return known;
        }
        let mut lx = Lexer::new(value, Specials::Mime);
        match lx.next() {
            Some(Token::Atom(a)) => Self::from_token(a),
            _ => Self::Unknown,
        }
    }

    fn from_token(a: &[u8]) -> Self {
        let is = |s: &[u8]| a.eq_ignore_ascii_case(s);
        if is(b"7bit") {
            Self::SevenBit
        } else if is(b"8bit") {
            Self::EightBit
        } else if is(b"binary") {
            Self::Binary
        } else if is(b"base64") {
            Self::Base64
        } else if is(b"quoted-printable") {
            Self::QuotedPrintable
        } else if is(b"x-uuencode") || is(b"uuencode") || is(b"x-uue") {
            Self::Uuencode
        } else {
            Self::Unknown
        }
    }

    /// Whether the body is the content itself (no decoding needed).
    pub fn is_identity(self) -> bool {
        matches!(
            self,
            Self::SevenBit | Self::EightBit | Self::Binary | Self::Unknown
        )
    }

    /// The canonical token.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SevenBit => "7bit",
            Self::EightBit => "8bit",
            Self::Binary => "binary",
            Self::Base64 => "base64",
            Self::QuotedPrintable => "quoted-printable",
            Self::Uuencode => "x-uuencode",
            Self::Unknown => "unknown",
        }
    }
}

/// Parses the `msg-id`s of a Message-ID, In-Reply-To or References field, without their angle
/// brackets, each borrowing the input when it is there as it is (`<left@right>` of plain
/// atoms, UTF-8). Obsolete forms (CFWS inside, quoted local parts, missing brackets) are accepted;
/// the flag tells whether any was used. Phrases between ids (RFC 822 `In-Reply-To`) are skipped.
///
/// ```
/// use mail_message::params::parse_message_ids;
/// let (ids, obsolete) = parse_message_ids(b"<1234@local.machine.example>\r\n <3456@example.net>");
/// assert_eq!(ids, ["1234@local.machine.example", "3456@example.net"]);
/// assert!(!obsolete);
/// ```
pub fn parse_message_ids(input: &[u8]) -> (Vec<Cow<'_, str>>, bool) {
    match message_ids_common(input) {
        Some(ids) => (ids, false),
        None => message_ids_folded(input),
    }
}

/// [`message_ids_general`] on `input`, unfolded first (the ids then owned) when a line break
/// in it is no fold.
#[cold]
fn message_ids_folded(input: &[u8]) -> (Vec<Cow<'_, str>>, bool) {
    if crate::lexer::has_bare_break(input) {
        let unfolded = crate::header::unfold(input);
        let (ids, obsolete) = message_ids_general(&unfolded);
        let ids = ids
            .into_iter()
            .map(|id| Cow::Owned(id.into_owned()))
            .collect();
        (ids, obsolete)
    } else {
        message_ids_general(input)
    }
}

/// The common shape, `<left@right>` ids (each side an atom) with white space between, read
/// without the lexer; `None` for anything else, which [`message_ids_general`] then reads.
/// Gives what that general parser gives (the tests hold the two equal).
pub(crate) fn message_ids_common(input: &[u8]) -> Option<Vec<Cow<'_, str>>> {
    // One UTF-8 check for every id; each is then cut from this `str`.
    let whole = crate::charset::utf8(input);
    // An atom of at least one byte, not one the lexer would read as an encoded-word.
    let atom = |s: &[u8]| -> usize {
        if s.starts_with(b"=?") {
            return 0;
        }
        s.iter()
            .position(|&c| crate::lexer::ends_atom(c))
            .unwrap_or(s.len())
    };
    let mut ids = Vec::new();
    let mut pos = 0;
    loop {
        pos += input
            .get(pos..)?
            .iter()
            .position(|&c| !is_wsp(c))
            .unwrap_or(input.len() - pos);
        if pos == input.len() {
            return Some(ids);
        }
        if input.get(pos) != Some(&b'<') {
            return None;
        }
        let start = pos + 1;
        let left = atom(input.get(start..)?);
        let at = start + left;
        if left == 0 || input.get(at) != Some(&b'@') {
            return None;
        }
        let right = atom(input.get(at + 1..)?);
        let end = at + 1 + right;
        if right == 0 || input.get(end) != Some(&b'>') {
            return None;
        }
        ids.push(match whole {
            Some(w) => Cow::Borrowed(w.get(start..end)?),
            None => Cow::Owned(crate::charset::lossy_string(input.get(start..end)?)),
        });
        pos = end + 1;
    }
}

/// [`parse_message_ids`] for every form, with the lexer.
pub(crate) fn message_ids_general(input: &[u8]) -> (Vec<Cow<'_, str>>, bool) {
    let mut lx = Lexer::new(input, Specials::Rfc5322);
    let mut ids = Vec::new();
    let mut obsolete = lx.malformed;
    let mut saw_angle = false;
    let mut bare: Vec<String> = Vec::new();
    // The two tokens before this one (no vector to grow for them).
    let mut prev: (Option<Token<'_>>, Option<Token<'_>>) = (None, None);
    // One id's bytes, copied into its String when it closes: one buffer reused for every id,
    // sized to the next '>' (at most the input) so that it does not grow byte run by byte run.
    let mut id: Vec<u8> = Vec::new();
    while let Some(t) = lx.next() {
        // "local@domain" without brackets, remembered in case no bracketed id comes.
        if let (Token::Atom(d), (Some(Token::Atom(l)), Some(Token::Special(b'@')))) = (&t, &prev) {
            bare.push(format!(
                "{}@{}",
                String::from_utf8_lossy(l),
                String::from_utf8_lossy(d)
            ));
        }
        if !matches!(t, Token::Special(b'<')) {
            let last = prev.1.take();
            prev = (last, Some(t.clone()));
        }
        if t == Token::Special(b'<') {
            {
                saw_angle = true;
                id.clear();
                id.reserve(memchr::memchr(b'>', lx.rest()).unwrap_or(0));
                let mut parts = 0;
                loop {
                    match lx.next() {
                        None => {
                            obsolete = true;
                            break;
                        }
                        Some(Token::Special(b'>')) => break,
                        Some(Token::Atom(a)) => {
                            id.extend_from_slice(a);
                            parts += 1;
                        }
                        Some(Token::Quoted(q)) => {
                            id.push(b'"');
                            id.extend_from_slice(&q);
                            id.push(b'"');
                            parts += 1;
                            obsolete = true;
                        }
                        Some(Token::DomainLiteral(d)) => {
                            id.extend_from_slice(&d);
                            parts += 1;
                        }
                        Some(Token::Special(c)) => {
                            id.push(c);
                            parts += 1;
                        }
                    }
                }
                if parts > 3 {
                    obsolete = true;
                }
                ids.push(Cow::Owned(crate::charset::lossy_string(&id)));
            }
        }
    }
    if !saw_angle && !bare.is_empty() {
        // No brackets at all: the bare words that look like ids.
        obsolete = true;
        ids.extend(bare.into_iter().map(Cow::Owned));
    }
    (ids, obsolete)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_type_fast_path_reads_as_the_general_parser() {
        const PIECES: &[&str] = &[
            "text",
            "TEXT",
            "multipart",
            "x-{y}",
            "/",
            "plain",
            "mixed",
            ";",
            ";",
            " ",
            "\t",
            "\r\n ",
            "charset",
            "Name",
            "boundary",
            "name*",
            "name*0*",
            "name*1",
            "=",
            "=",
            "==",
            "\"",
            "\"quoted value\"",
            "\"a\\\"b\"",
            "\"a\r\n b\"",
            "\"unclosed",
            "\"a(b)c\"",
            "utf-8",
            "=?utf-8?q?x?=",
            "(c)",
            "\u{e9}",
            "a=b",
            "----=_Part_1",
            "*",
            "\\",
            "?",
            ",",
            "@",
        ];
        let mut seed = 0x2545_f491u32;
        let (mut fast, mut fallback) = (0, 0);
        for _ in 0..20_000 {
            let mut value = String::new();
            seed = crate::test_rng::step(seed);
            // Mostly well-formed starts, so that the parameters get exercised.
            if seed >> 30 != 0 {
                value.push_str("text/plain; charset=");
            }
            for _ in 0..(seed >> 8) % 12 {
                seed = crate::test_rng::step(seed);
                value.push_str(PIECES[(seed >> 16) as usize % PIECES.len()]);
            }
            let mut bytes = value.into_bytes();
            if seed.is_multiple_of(17) {
                bytes.push(0xff);
            }
            match content_type_plain(&bytes) {
                Some(ct) => {
                    fast += 1;
                    let general = content_type_general(&bytes);
                    assert_eq!(
                        general.as_ref().map(value_borrows),
                        Some(value_borrows(&ct)),
                        "{:?}",
                        String::from_utf8_lossy(&bytes)
                    );
                    assert_eq!(Some(ct), general, "{:?}", String::from_utf8_lossy(&bytes));
                }
                None => fallback += 1,
            }
        }
        assert!(fast > 2000 && fallback > 2000, "{fast} {fallback}");
    }

    /// Every common `type/subtype`, cut short, in another case, and followed by every byte
    /// and by parameters: the fast path (which takes them by one comparison) reads what the
    /// general parser does.
    #[test]
    fn common_essences_read_as_the_general_parser() {
        let mut taken = 0;
        for (essence, ty, sub) in COMMON_ESSENCES {
            assert_eq!(common_essence(essence), Some((ty, sub, essence.len())));
            let mut shapes: Vec<Vec<u8>> = vec![
                essence.to_vec(),
                essence.to_ascii_uppercase(),
                essence[..essence.len() - 1].to_vec(),
            ];
            for c in 0..=255u8 {
                let mut v = essence.to_vec();
                v.push(c);
                v.extend_from_slice(b" charset=utf-8");
                shapes.push(v);
            }
            for tail in [
                &b"; charset=utf-8"[..],
                b";boundary=\"x\"",
                b" (c)",
                b"\r\n ; a=b",
            ] {
                shapes.push([essence, tail].concat());
            }
            for v in shapes {
                let fast = content_type_plain(&v);
                if let Some(ct) = &fast {
                    assert_eq!(Some(ct), content_type_general(&v).as_ref(), "{v:?}");
                }
                if v.starts_with(essence) && common_essence(&v).is_some() {
                    taken += 1;
                    if let Some(ct) = fast {
                        assert_eq!((&*ct.media_type, &*ct.subtype), (ty, sub));
                    }
                }
            }
        }
        assert!(taken > 1000, "{taken}");
        assert_eq!(common_essence(b"text/plainer"), None);
        assert_eq!(common_essence(b"Text/plain"), None);
        assert_eq!(common_essence(b"text/plain;"), Some(("text", "plain", 10)));
    }

    #[test]
    fn content_type_fast_path_and_its_fallbacks() {
        let ct = content_type_plain(b"multipart/mixed; boundary=\"----=_Part_0\"; charset=utf-8")
            .unwrap();
        assert!(ct.is("multipart", "mixed"));
        assert_eq!(ct.param("boundary"), Some("----=_Part_0"));
        assert_eq!(ct.param("charset"), Some("utf-8"));
        // A common value is not allocated; one that holds an encoded-word is decoded.
        assert!(matches!(ct.params[1].1, Cow::Borrowed("utf-8")));
        let ct = content_type_plain(b"text/plain; name==?utf-8?q?caf=C3=A9?=").map(|c| c.params);
        assert!(ct.is_none(), "'==' is the general parser's");
        let ct = content_type_plain(b"text/plain; name=\"=?utf-8?q?caf=C3=A9?=\"").unwrap();
        assert_eq!(ct.param("name"), Some("caf\u{e9}"));
        for value in [
            &b"text/plain (comment)"[..],
            b"text / plain",
            b"text/plain; name*=utf-8''%E2%82%AC",
            b"text/plain; a=1; a=2",
            b"text/plain; name=\"a\\\"b\"",
            b"text/plain; name==x",
            b"text/plain; name= x",
            b"text/plain; charset=utf-8 junk",
        ] {
            assert!(content_type_plain(value).is_none(), "{value:?}");
            assert!(parse_content_type(value).is_some(), "{value:?}");
        }
    }

    #[test]
    fn params_in_place_up_to_two_then_on_the_heap() {
        let p = |i: usize| -> Param<'static> { (format!("n{i}").into(), format!("v{i}").into()) };
        for n in 0..6 {
            let all: Vec<Param<'_>> = (0..n).map(p).collect();
            let mut pushed = Params::new();
            all.iter().cloned().for_each(|x| pushed.push(x));
            assert_eq!(&pushed[..], &all[..]);
            assert_eq!(
                matches!(pushed.repr, ParamsRepr::Inline { .. }),
                n <= 2,
                "{n}"
            );
            // Built from a Vec (the lexer's path) it is the same list, in place when it fits.
            let from_vec = Params::from(all.clone());
            assert_eq!(from_vec, pushed);
            assert_eq!(
                matches!(from_vec.repr, ParamsRepr::Inline { .. }),
                n <= 2,
                "{n}"
            );
            assert_eq!(format!("{pushed:?}"), format!("{all:?}"));
        }
        // Both parse paths fill it: the one-pass path and the lexer's (a comment).
        for input in [
            &b"text/plain; a=1; b=2; c=3"[..],
            b"text/plain (x); a=1; b=2; c=3",
        ] {
            let ct = parse_content_type(input).unwrap();
            let names: Vec<&str> = ct.params.iter().map(|(n, _)| n.as_ref()).collect();
            assert_eq!(names, ["a", "b", "c"]);
            assert_eq!(ct.param("c"), Some("3"));
        }
    }

    #[test]
    fn transfer_encoding_one_token_and_the_lexer_agree() {
        use TransferEncoding as T;
        for (value, want) in [
            // One token, white space around: read directly.
            (&b"base64"[..], T::Base64),
            (b" Quoted-Printable\r\n", T::QuotedPrintable),
            (b"\t7BIT ", T::SevenBit),
            (b"x-uue", T::Uuencode),
            (b"x-token", T::Unknown),
            // A form feed is no white space to the lexer, so it is none here either.
            (b"\x0cbase64", T::Unknown),
            // Comments, quotes, more words, nothing: the lexer.
            (b"base64 (yes)", T::Base64),
            (b"(c) 8bit", T::EightBit),
            (b"\"base64\"", T::Unknown),
            (b"binary; x", T::Binary),
            (b"", T::Unknown),
            (b"  ", T::Unknown),
        ] {
            assert_eq!(T::parse(value), want, "{value:?}");
            let mut lx = Lexer::new(value, Specials::Mime);
            let by_lexer = match lx.next() {
                Some(Token::Atom(a)) => T::from_token(a),
                _ => T::Unknown,
            };
            assert_eq!(by_lexer, want, "{value:?} by the lexer");
        }
    }

    #[test]
    fn intern_borrows_the_common_names_in_any_case() {
        for name in [
            "text",
            "TEXT",
            "Plain",
            "octet-stream",
            "MODIFICATION-DATE",
            "x-unix-mode",
            "Audio",
            "basic",
            "PARALLEL",
            "disposition-notification",
        ] {
            let got = intern(name.as_bytes());
            assert!(matches!(got, Cow::Borrowed(_)), "{name}");
            assert_eq!(got, name.to_ascii_lowercase());
        }
        // Not common, longer than the stack buffer, empty, not ASCII: allocated, lower case.
        for (name, want) in [
            (&b"X-Custom"[..], "x-custom"),
            (
                b"A-Very-Long-Parameter-Name-Indeed",
                "a-very-long-parameter-name-indeed",
            ),
            (b"", ""),
            (b"T\xc3\x89xt", "t\u{c9}xt"),
        ] {
            let got = intern(name);
            assert!(matches!(got, Cow::Owned(_)), "{name:?}");
            assert_eq!(got, want);
        }
    }

    /// Which parameter values borrow (the input or a static common value).
    fn value_borrows(ct: &ContentType<'_>) -> Vec<bool> {
        ct.params
            .iter()
            .map(|(_, v)| matches!(v, Cow::Borrowed(_)))
            .collect()
    }

    #[test]
    fn values_borrow_the_input_unless_decoded() {
        // The one-pass path, the lexer's path (a comment sends it there) and Content-Disposition:
        // common values, plain tokens and quoted strings with nothing to undo are borrowed.
        let input = b"multipart/mixed; boundary=\"=_b 1\"; charset=UTF-8; name=x.pdf";
        for input in [
            &input[..],
            b"multipart/mixed (c); boundary=\"=_b 1\"; charset=UTF-8; name=x.pdf",
        ] {
            let ct = parse_content_type(input).unwrap();
            assert_eq!(value_borrows(&ct), [true, true, true], "{input:?}");
            assert_eq!(ct.param("boundary"), Some("=_b 1"));
            assert_eq!(ct.param("charset"), Some("UTF-8"));
            assert_eq!(ct.param("name"), Some("x.pdf"));
        }
        let ct = parse_content_type(input).unwrap();
        let Some((_, Cow::Borrowed(boundary))) = ct.params.first() else {
            panic!("borrowed")
        };
        assert!(input.as_ptr_range().contains(&boundary.as_ptr()));
        // A quoted-pair, an encoded-word, an RFC 2231 value, a quoted string over a fold, bytes
        // that are not UTF-8: owned.
        let ct = parse_content_type(
            b"text/plain; a=\"x\\\"y\"; b=\"=?utf-8?q?=C3=A9?=\"; c*=''%41; d=\"p\r\n q\"; e=\xe9",
        )
        .unwrap();
        let values: Vec<(&str, bool)> = ct
            .params
            .iter()
            .map(|(_, v)| (v.as_ref(), matches!(v, Cow::Borrowed(_))))
            .collect();
        assert_eq!(
            values,
            [
                ("x\"y", false),
                ("\u{e9}", false),
                ("A", false),
                ("p q", false),
                ("\u{fffd}", false)
            ]
        );
        let cd = parse_content_disposition(b"inline; x=yes; filename=a.txt").unwrap();
        assert!(matches!(cd.params[0].1, Cow::Borrowed("yes")));
        assert!(matches!(cd.params[1].1, Cow::Borrowed("a.txt")));
        // Owned copies read the same and outlive the input.
        let (ct, cd) = {
            let input = b"text/plain; name=\"a b.txt\"; x=1; y=2".to_vec();
            let ct = parse_content_type(&input).unwrap();
            let cd = parse_content_disposition(&input[11..]).unwrap();
            assert_eq!(ct.clone().into_owned(), ct);
            assert_eq!(cd.clone().into_owned(), cd);
            (ct.into_owned(), cd.into_owned())
        };
        assert_eq!(ct.param("name"), Some("a b.txt"));
        assert_eq!(ct.params.len(), 3);
        assert_eq!(cd.kind, "name");
        assert_eq!(cd.param("x"), Some("1"));
    }

    #[test]
    fn simple_and_rfc2231_parameters_keep_their_order() {
        let ct = parse_content_type(b"text/plain; charset=utf-8; format=flowed; x-a=1").unwrap();
        assert_eq!(ct.params.len(), 3);
        assert_eq!(
            ct.params[1],
            (Cow::Borrowed("format"), Cow::Borrowed("flowed"))
        );
        let ct = parse_content_type(b"text/plain; a=1; b*0=x; b*1=y; c=\xe9").unwrap();
        let names: Vec<&str> = ct.params.iter().map(|(n, _)| n.as_ref()).collect();
        assert_eq!(names, ["a", "b", "c"]);
        assert_eq!(ct.param("b"), Some("xy"));
        assert_eq!(ct.param("c"), Some("\u{fffd}"));
    }

    fn ct(s: &str) -> Option<ContentType<'_>> {
        parse_content_type(s.as_bytes())
    }

    #[test]
    fn content_type_table() {
        let c = ct("multipart/mixed; boundary=----=_Part_0_1.2").unwrap();
        assert_eq!(c.param("boundary"), Some("----=_Part_0_1.2"));
        let c = ct("text/plain;charset=us-ascii (Plain text)").unwrap();
        assert_eq!(c.param("charset"), Some("us-ascii"));
        let c = ct(" TEXT / Plain ; Format = flowed").unwrap();
        assert!(c.is("text", "plain"));
        assert_eq!(c.param("format"), Some("flowed"));
        assert!(ct("text").is_none());
        assert!(ct("").is_none());
        assert!(ct("/plain").is_none());
        let c = ct("application/x-stuff; title*=us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A")
            .unwrap();
        assert_eq!(c.param("title"), Some("This is ***fun***"));
    }

    /// RFC 2231 section 3 and 4 examples.
    #[test]
    fn rfc2231_examples() {
        let c = ct("message/external-body; access-type=URL;\r\n URL*0=\"ftp://\";\r\n URL*1=\"cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar\"").unwrap();
        assert_eq!(
            c.param("url"),
            Some("ftp://cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar")
        );
        let c = ct("application/x-stuff;\r\n title*0*=us-ascii'en'This%20is%20even%20more%20;\r\n title*1*=%2A%2A%2Afun%2A%2A%2A%20;\r\n title*2=\"isn't it!\"").unwrap();
        assert_eq!(
            c.param("title"),
            Some("This is even more ***fun*** isn't it!")
        );
        // Out-of-order sections and a UTF-8 sequence split over two sections.
        let c = ct("a/b; n*1*=%A9; n*0*=utf-8''caf%C3").unwrap();
        assert_eq!(c.param("n"), Some("café"));
        // Latin-1
        let c = ct("a/b; n*=iso-8859-1''caf%E9").unwrap();
        assert_eq!(c.param("n"), Some("café"));
        // Extended wins over plain.
        let c = ct("a/b; name=\"plain.txt\"; name*=utf-8''%E2%82%AC.txt").unwrap();
        assert_eq!(c.param("name"), Some("€.txt"));
        // RFC 2047 inside a quoted value (not standard, very common).
        let c = ct("a/b; name=\"=?utf-8?B?4oKs?=.txt\"").unwrap();
        assert_eq!(c.param("name"), Some("€.txt"));
    }

    #[test]
    fn disposition() {
        let d = parse_content_disposition(b"Attachment; filename=\"genome.jpeg\";\r\n modification-date=\"Wed, 12 Feb 1997 16:29:51 -0500\"").unwrap();
        assert_eq!(d.kind, "attachment");
        assert_eq!(d.filename(), Some("genome.jpeg"));
        assert_eq!(
            d.param("modification-date"),
            Some("Wed, 12 Feb 1997 16:29:51 -0500")
        );
        assert!(parse_content_disposition(b"").is_none());
    }

    #[test]
    fn transfer_encodings() {
        assert_eq!(
            TransferEncoding::parse(b" Base64 "),
            TransferEncoding::Base64
        );
        assert_eq!(
            TransferEncoding::parse(b"quoted-printable (x)"),
            TransferEncoding::QuotedPrintable
        );
        assert_eq!(
            TransferEncoding::parse(b"x-uue"),
            TransferEncoding::Uuencode
        );
        assert_eq!(TransferEncoding::parse(b"gzip"), TransferEncoding::Unknown);
    }

    #[test]
    fn message_ids() {
        assert_eq!(parse_message_ids(b"<a@b>").0, ["a@b"]);
        assert_eq!(
            parse_message_ids(b"<a@b> <c@d>\r\n <e@f>").0,
            ["a@b", "c@d", "e@f"]
        );
        let (ids, obs) = parse_message_ids(b"< a . b @ c (comment) >");
        assert_eq!(ids, ["a.b@c"]);
        assert!(obs);
        let (ids, obs) = parse_message_ids(b"bare@id.example");
        assert_eq!(ids, ["bare@id.example"]);
        assert!(obs);
        assert_eq!(parse_message_ids(b"Your message of <a@b>").0, ["a@b"]);
        assert_eq!(parse_message_ids(b"<\"q p\"@x>").0, ["\"q p\"@x"]);
        assert!(parse_message_ids(b"").0.is_empty());
    }

    /// Plain `<left@right>` ids (the common path) borrow the input, folded or not; ids the
    /// general parser assembles (CFWS inside, quoted parts, bare words), unfolded copies and
    /// non-UTF-8 ones are owned; the Message's accessors give the same.
    #[test]
    fn plain_ids_borrow_the_input() {
        let borrowed = |ids: &[Cow<'_, str>]| -> Vec<bool> {
            ids.iter()
                .map(|id| matches!(id, Cow::Borrowed(_)))
                .collect()
        };
        let input = b" <a@b>\r\n\t<c.d@e.f>";
        let (ids, _) = parse_message_ids(input);
        assert_eq!(ids, ["a@b", "c.d@e.f"]);
        assert_eq!(borrowed(&ids), [true, true]);
        assert!(
            matches!(&ids[0], Cow::Borrowed(id) if input.as_ptr_range().contains(&id.as_ptr()))
        );
        for input in [
            &b"< a . b @ c (comment) >"[..],
            b"<\"q p\"@x>",
            b"bare@id.example",
            b"<a@b> <c\rd@e>",
            b"<a@\xe9>",
        ] {
            let (ids, _) = parse_message_ids(input);
            assert!(!ids.is_empty(), "{input:?}");
            assert!(borrowed(&ids).iter().all(|b| !b), "{input:?}");
        }
        let msg = crate::Message::parse(
            b"Message-ID: <1@x>\r\nReferences: <2@x>\r\n <3@x>\r\nIn-Reply-To: <3@x>\r\n\r\n",
        );
        assert!(matches!(msg.message_id(), Some(Cow::Borrowed("1@x"))));
        assert_eq!(borrowed(&msg.references()), [true, true]);
        assert_eq!(msg.references(), ["2@x", "3@x"]);
        assert_eq!(msg.in_reply_to(), ["3@x"]);
    }

    /// The reader of plain `<a@b>` lists, where it answers, answers as the general parser;
    /// true if it did.
    fn ids_common_equals_general(input: &[u8]) -> bool {
        match message_ids_common(input) {
            Some(ids) => {
                assert_eq!((ids, false), message_ids_general(input), "{input:?}");
                true
            }
            None => false,
        }
    }

    #[test]
    fn message_ids_common_shape_equals_general_parser() {
        let pieces: [&[u8]; 14] = [
            b"<a@b>",
            b"<9109191641.AA12840@greenbush.bellcore.com>",
            b"<j\xc3\xb6rg@x>",
            b"<j\xf6rg@x>",
            b"< a@b >",
            b"<a@b@c>",
            b"<\"q p\"@x>",
            b"<=?utf-8?q?a?=@b>",
            b"<@b>",
            b"<a@>",
            b"<ab>",
            b"bare@id",
            b"(c)",
            b"<open@z",
        ];
        let seps: [&[u8]; 4] = [b"", b" ", b"\r\n ", b"\t"];
        let mut fast = 0;
        for a in pieces {
            for b in pieces {
                for sep in seps {
                    fast += usize::from(ids_common_equals_general(&[sep, a, sep, b, sep].concat()));
                }
            }
        }
        assert!(fast >= 40, "{fast}");
        assert!(ids_common_equals_general(b"<a@b> <c@d>\r\n <e@f>"));
        assert!(!ids_common_equals_general(b"Your message of <a@b>"));
    }

    proptest::proptest! {
        /// Random strings of id pieces: the plain reader agrees with the general parser.
        #[test]
        fn message_ids_common_equals_general_on_any_pieces(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "<", ">", "@", "a", "b.c", " ", "\r\n ", "\"", "(", ")", "=?", "\u{e9}", ",",
                ]),
                0..16,
            )
        ) {
            ids_common_equals_general(pieces.concat().as_bytes());
        }
    }

    /// The id buffer is reused: a short id after a long one (and a quoted one, and one that is
    /// never closed) carries nothing over; bare ids read the two tokens before them.
    #[test]
    fn message_ids_reuse_one_buffer() {
        let (ids, obs) = parse_message_ids(
            b"<a-long-id.1234567890@host.example.net>\r\n <s@h> <\"q p\"@x>\r\n <x@y> <open@z",
        );
        assert_eq!(
            ids,
            [
                "a-long-id.1234567890@host.example.net",
                "s@h",
                "\"q p\"@x",
                "x@y",
                "open@z"
            ]
        );
        assert!(obs);
        let (ids, obs) = parse_message_ids(b"<a@b>");
        assert_eq!(ids, ["a@b"]);
        assert!(!obs);
        let (ids, obs) = parse_message_ids(b"one@a.example two@b.example @c d@");
        // (as before: "b.example @c" reads as a third)
        assert_eq!(ids, ["one@a.example", "two@b.example", "b.example@c"]);
        assert!(obs);
        // A bare id is dropped once a bracketed one comes.
        assert_eq!(parse_message_ids(b"x@y <z@w>").0, ["z@w"]);
    }
}

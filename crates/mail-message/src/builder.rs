//! Writing messages: text, HTML, alternatives, inline (related) parts and attachments.
//!
//! Header values go through types that cannot hold a line break ([`HeaderText`],
//! [`HeaderName`], [`EmailAddress`]), so nothing a caller passes can add a header field. Lines
//! are folded at 78 columns with CRLF; non-ASCII text becomes RFC 2047 encoded-words (never
//! splitting a UTF-8 character) and non-ASCII file names RFC 2231 parameters. The transfer
//! encoding of each part is chosen from its content: 7bit when it already fits, else
//! quoted-printable for mostly-ASCII text, else base64.
//!
//! ```
//! use mail_message::builder::{Attachment, EmailAddress, HeaderText, MessageBuilder};
//! use mail_message::Message;
//!
//! let bytes = MessageBuilder::new()
//!     .from(EmailAddress::new(Some("Jörg"), "joerg@example.org")?)
//!     .to(EmailAddress::new(None, "ann@example.net")?)
//!     .subject(HeaderText::new("Grüße aus Köln")?)
//!     .text("Hallo!\n")
//!     .attachment(Attachment::new("application/pdf", Some("Bericht für Q3.pdf"), b"%PDF-1.4".to_vec())?)
//!     .build();
//! let msg = Message::parse(&bytes);
//! assert_eq!(msg.subject().as_deref(), Some("Grüße aus Köln"));
//! assert_eq!(msg.leaves()[1].1.filename().as_deref(), Some("Bericht für Q3.pdf"));
//! # Ok::<(), mail_message::builder::BuildError>(())
//! ```

use crate::date::DateTime;
use crate::params::{parse_content_type, ContentType};

/// Why a builder value was refused.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    /// A header value held CR, LF or NUL.
    #[error("header value contains CR, LF or NUL at byte {0}")]
    LineBreak(usize),
    /// A header name outside RFC 5322 `ftext`.
    #[error("invalid header name {0:?}: expected printable ASCII without ':'")]
    InvalidHeaderName(String),
    /// An address that is not `local@domain`.
    #[error("invalid address {0:?}: expected local-part@domain")]
    InvalidAddress(String),
    /// A media type that is not `type/subtype`.
    #[error("invalid media type {0:?}: expected type/subtype")]
    InvalidMediaType(String),
    /// A Message-ID or Content-ID that is not `left@right` without white space or brackets.
    #[error("invalid message id {0:?}: expected left@right")]
    InvalidMessageId(String),
}

fn check_no_breaks(s: &str) -> Result<(), BuildError> {
    match s.bytes().position(|c| c == b'\r' || c == b'\n' || c == 0) {
        Some(p) => Err(BuildError::LineBreak(p)),
        None => Ok(()),
    }
}

/// Header text without CR, LF or NUL.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HeaderText(String);

impl HeaderText {
    /// Checks `s`.
    pub fn new(s: &str) -> Result<Self, BuildError> {
        check_no_breaks(s)?;
        Ok(Self(s.to_owned()))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A header field name: printable ASCII without `:` (RFC 5322 `ftext`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HeaderName(String);

impl HeaderName {
    /// Checks `s`.
    pub fn new(s: &str) -> Result<Self, BuildError> {
        if s.is_empty() || !s.bytes().all(|c| (33..=126).contains(&c) && c != b':') {
            return Err(BuildError::InvalidHeaderName(s.to_owned()));
        }
        Ok(Self(s.to_owned()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A mailbox to write: optional display name and `local@domain` (UTF-8 allowed, RFC 6532).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EmailAddress {
    name: Option<HeaderText>,
    local: String,
    domain: String,
}

impl EmailAddress {
    /// Checks the name and the address. The local part may be anything printable (it is
    /// quoted when it is not a dot-atom); the domain is a dot-atom or a domain literal.
    pub fn new(name: Option<&str>, address: &str) -> Result<Self, BuildError> {
        let name = name.map(HeaderText::new).transpose()?;
        check_no_breaks(address)?;
        let bad = || BuildError::InvalidAddress(address.to_owned());
        let (local, domain) = address.rsplit_once('@').ok_or_else(bad)?;
        if local.is_empty() || local.chars().any(char::is_control) {
            return Err(bad());
        }
        let literal = domain.starts_with('[') && domain.ends_with(']') && domain.len() > 2;
        let atom_ok = !domain.is_empty()
            && domain.split('.').all(|l| {
                !l.is_empty()
                    && l.chars().all(|c| {
                        !c.is_ascii()
                            || c.is_ascii_alphanumeric()
                            || "!#$%&'*+-/=?^_`{|}~".contains(c)
                    })
            });
        let literal_ok = literal
            && domain[1..domain.len() - 1]
                .bytes()
                .all(|c| (33..=126).contains(&c) && c != b'[' && c != b']' && c != b'\\');
        if !(atom_ok || literal_ok) {
            return Err(bad());
        }
        Ok(Self {
            name,
            local: local.to_owned(),
            domain: domain.to_owned(),
        })
    }

    /// The address as it goes in an SMTP path: `local@domain`, the local part quoted when it
    /// is not a dot-atom.
    pub fn address(&self) -> String {
        format!("{}@{}", quote_local(&self.local), self.domain)
    }

    fn write(&self, out: &mut Vec<String>) {
        let spec = format!("{}@{}", quote_local(&self.local), self.domain);
        match &self.name {
            Some(n) if !n.0.is_empty() => {
                phrase_tokens(&n.0, out);
                out.push(format!(" <{spec}>"));
            }
            _ => out.push(format!(" {spec}")),
        }
    }
}

fn is_atext(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c) || !c.is_ascii()
}

fn quote_local(local: &str) -> String {
    let dot_atom = local
        .split('.')
        .all(|p| !p.is_empty() && p.chars().all(is_atext));
    if dot_atom {
        local.to_owned()
    } else {
        quote(local)
    }
}

fn quote(s: &str) -> String {
    let mut q = String::with_capacity(s.len() + 2);
    q.push('"');
    for c in s.chars() {
        if c == '"' || c == '\\' {
            q.push('\\');
        }
        q.push(c);
    }
    q.push('"');
    q
}

/// The longest word written as it is in a header: with the field name and a fold it stays
/// under the 998-octet line limit of RFC 5322 2.1.1. Longer words go out as encoded-words.
const MAX_PLAIN_WORD: usize = 900;

/// A display name as fold tokens: atoms as they are, ASCII with specials quoted, anything
/// non-ASCII (or hard to quote) as encoded-words.
fn phrase_tokens(name: &str, out: &mut Vec<String>) {
    let printable = name.bytes().all(|c| (32..=126).contains(&c));
    if printable
        && !name.contains("=?")
        && !name.starts_with(' ')
        && !name.ends_with(' ')
        && !name.contains("  ")
    {
        // A word or quoted string is one fold token: one too long for a line (as
        // `text_tokens` counts it) goes out as encoded-words, which fold.
        if name.split(' ').all(|w| {
            !w.is_empty() && w.len() <= MAX_PLAIN_WORD && w.chars().all(|c| is_atext(c) || c == '.')
        }) {
            for w in name.split(' ') {
                out.push(format!(" {w}"));
            }
            return;
        }
        let quoted = quote(name);
        if quoted.len() <= MAX_PLAIN_WORD {
            out.push(format!(" {quoted}"));
            return;
        }
    }
    for w in encode_words(name) {
        out.push(format!(" {w}"));
    }
}

/// Q-encoding is readable where most bytes are plain ASCII; base64 is shorter otherwise.
fn q_safe(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!*+-/".contains(&b)
}

/// Encodes `text` as RFC 2047 encoded-words of at most 75 characters each, never splitting a
/// character across two words. Words are to be separated by folding white space.
pub fn encode_words(text: &str) -> Vec<String> {
    const MAX_TEXT: usize = 75 - "=?utf-8?q??=".len();
    let unsafe_bytes = text.bytes().filter(|&b| !q_safe(b) && b != b' ').count();
    let use_b = unsafe_bytes * 3 > text.len();
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut cur_bytes: Vec<u8> = Vec::new();
    let mut buf = [0u8; 4];
    for c in text.chars() {
        let bytes = c.encode_utf8(&mut buf).as_bytes();
        if use_b {
            let len = (cur_bytes.len() + bytes.len()).div_ceil(3) * 4;
            if len > MAX_TEXT && !cur_bytes.is_empty() {
                words.push(format!("=?utf-8?b?{}?=", base64_encode(&cur_bytes)));
                cur_bytes.clear();
            }
            cur_bytes.extend_from_slice(bytes);
        } else {
            let mut enc = String::new();
            for &b in bytes {
                if b == b' ' {
                    enc.push('_');
                } else if q_safe(b) {
                    enc.push(char::from(b));
                } else {
                    enc.push_str(&format!("={b:02X}"));
                }
            }
            if cur.len() + enc.len() > MAX_TEXT && !cur.is_empty() {
                words.push(format!("=?utf-8?q?{cur}?="));
                cur.clear();
            }
            cur.push_str(&enc);
        }
    }
    if use_b {
        if !cur_bytes.is_empty() || words.is_empty() {
            words.push(format!("=?utf-8?b?{}?=", base64_encode(&cur_bytes)));
        }
    } else if !cur.is_empty() || words.is_empty() {
        words.push(format!("=?utf-8?q?{cur}?="));
    }
    words
}

/// Unstructured text as fold tokens (each starting with the white space before it). Words are
/// split at spaces and tabs alike, as the parser's encoded-word rules see white space.
fn text_tokens(text: &str, out: &mut Vec<String>) {
    // (leading spaces, word) pairs; trailing spaces stick to the last word.
    let mut pieces: Vec<(String, String)> = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let ws = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        let (lead, after) = rest.split_at(ws);
        let wl = after.find([' ', '\t']).unwrap_or(after.len());
        let (word, tail) = after.split_at(wl);
        if word.is_empty() {
            match pieces.last_mut() {
                Some(last) => last.1.push_str(lead),
                None => pieces.push((String::new(), lead.to_owned())),
            }
        } else {
            pieces.push((lead.to_owned(), word.to_owned()));
        }
        rest = tail;
    }
    let needs = |w: &str| {
        w.bytes().any(|b| !(32..=126).contains(&b) && b != b'\t')
            || w.contains("=?")
            || w.len() > MAX_PLAIN_WORD
            || w.starts_with(' ')
    };
    let mut k = 0;
    while k < pieces.len() {
        let (lead, word) = &pieces[k];
        if !needs(word) && (k != 0 || lead.is_empty()) {
            let sep = if out.is_empty() && k == 0 {
                " ".to_owned()
            } else {
                lead.clone()
            };
            out.push(format!("{sep}{word}"));
            k += 1;
            continue;
        }
        // A run of words that need encoding, with the white space between them inside.
        let mut run = if k == 0 { lead.clone() } else { String::new() };
        run.push_str(word);
        let mut j = k + 1;
        while j < pieces.len() && needs(&pieces[j].1) {
            run.push_str(&pieces[j].0);
            run.push_str(&pieces[j].1);
            j += 1;
        }
        let sep = if k == 0 { " ".to_owned() } else { lead.clone() };
        for (n, w) in encode_words(&run).into_iter().enumerate() {
            if n == 0 {
                out.push(format!("{sep}{w}"));
            } else {
                out.push(format!(" {w}"));
            }
        }
        k = j;
    }
}

/// Writes `name:` and the tokens, folding before a token when the line would pass 78.
fn fold(name: &str, tokens: &[String], out: &mut Vec<u8>) {
    out.extend_from_slice(name.as_bytes());
    out.push(b':');
    let mut col = name.len() + 1;
    for (k, t) in tokens.iter().enumerate() {
        let len = t.chars().count();
        if k > 0 && col + len > 78 && t.starts_with([' ', '\t']) {
            out.extend_from_slice(b"\r\n");
            col = 0;
        }
        out.extend_from_slice(t.as_bytes());
        col += len;
    }
    out.extend_from_slice(b"\r\n");
}

fn base64_encode(data: &[u8]) -> String {
    base64_simd::STANDARD.encode_to_string(data)
}

fn base64_body(data: &[u8], out: &mut Vec<u8>) {
    for line in data.chunks(57) {
        base64_simd::STANDARD.encode_append(line, out);
        out.extend_from_slice(b"\r\n");
    }
}

/// Quoted-printable with CRLF line breaks kept as hard breaks and soft breaks at 76.
fn qp_body(data: &[u8], out: &mut Vec<u8>) {
    let lines: Vec<&[u8]> = split_crlf(data);
    let last = lines.len().saturating_sub(1);
    for (n, line) in lines.iter().enumerate() {
        let mut col = 0;
        for (i, &b) in line.iter().enumerate() {
            let at_end = i + 1 == line.len();
            let lit = (33..=126).contains(&b) && b != b'=' || (b == b' ' || b == b'\t') && !at_end;
            // "From " and a leading "." survive better encoded, but both are fine in QP.
            let need = if lit { 1 } else { 3 };
            // Room for the soft-break '=' unless this is the line's last byte.
            let room = if at_end { 76 } else { 75 };
            if col + need > room {
                out.extend_from_slice(b"=\r\n");
                col = 0;
            }
            if lit {
                out.push(b);
            } else {
                out.extend_from_slice(format!("={b:02X}").as_bytes());
            }
            col += need;
        }
        if n != last {
            out.extend_from_slice(b"\r\n");
        }
    }
}

fn split_crlf(data: &[u8]) -> Vec<&[u8]> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + 1 < data.len() {
        if data[i] == b'\r' && data[i + 1] == b'\n' {
            lines.push(&data[start..i]);
            start = i + 2;
            i += 2;
        } else {
            i += 1;
        }
    }
    lines.push(&data[start..]);
    lines
}

/// Bare LF and bare CR become CRLF.
fn normalize_crlf(text: &str) -> Vec<u8> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len() + b.len() / 40);
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\r' if b.get(i + 1) == Some(&b'\n') => {
                out.extend_from_slice(b"\r\n");
                i += 2;
                continue;
            }
            b'\r' | b'\n' => out.extend_from_slice(b"\r\n"),
            c => out.push(c),
        }
        i += 1;
    }
    out
}

/// Whether `data` can go as 7bit: ASCII without NUL, CR and LF only as CRLF, lines of at most
/// 998 octets.
fn fits_7bit(data: &[u8]) -> bool {
    let mut col = 0;
    for (i, &b) in data.iter().enumerate() {
        match b {
            b'\r' if data.get(i + 1) != Some(&b'\n') => return false,
            b'\r' => {}
            b'\n' => {
                if i == 0 || data[i - 1] != b'\r' {
                    return false;
                }
                col = 0;
                continue;
            }
            0 | 128..=255 => return false,
            _ => {}
        }
        col += 1;
        if col > 998 {
            return false;
        }
    }
    true
}

fn encode_body(data: &[u8], text: bool, out_headers: &mut Vec<u8>, body: &mut Vec<u8>) {
    if fits_7bit(data) {
        body.extend_from_slice(data);
        return;
    }
    let non_ascii = data
        .iter()
        .filter(|&&b| b >= 128 || b < 32 && b != b'\r' && b != b'\n' && b != b'\t')
        .count();
    if text && non_ascii * 6 < data.len() {
        out_headers.extend_from_slice(b"Content-Transfer-Encoding: quoted-printable\r\n");
        qp_body(data, body);
    } else {
        out_headers.extend_from_slice(b"Content-Transfer-Encoding: base64\r\n");
        base64_body(data, body);
        // base64_body ends with CRLF; drop it, the boundary's CRLF follows.
        body.truncate(body.len().saturating_sub(2));
    }
}

/// A file to attach or to show inline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    content_type: ContentType<'static>,
    filename: Option<HeaderText>,
    content_id: Option<String>,
    data: Vec<u8>,
}

impl Attachment {
    /// An attachment of type `media_type` (`type/subtype`, parameters allowed).
    pub fn new(
        media_type: &str,
        filename: Option<&str>,
        data: Vec<u8>,
    ) -> Result<Self, BuildError> {
        check_no_breaks(media_type)?;
        let content_type = parse_content_type(media_type.as_bytes())
            .map(ContentType::into_owned)
            .ok_or_else(|| BuildError::InvalidMediaType(media_type.to_owned()))?;
        Ok(Self {
            content_type,
            filename: filename.map(HeaderText::new).transpose()?,
            content_id: None,
            data,
        })
    }

    /// Sets the Content-ID (without angle brackets) that HTML refers to as `cid:...`.
    pub fn with_content_id(mut self, id: &str) -> Result<Self, BuildError> {
        check_msg_id(id)?;
        self.content_id = Some(id.to_owned());
        Ok(self)
    }
}

fn check_msg_id(id: &str) -> Result<(), BuildError> {
    let ok = id
        .split_once('@')
        .is_some_and(|(l, r)| !l.is_empty() && !r.is_empty())
        && id
            .bytes()
            .all(|c| (33..=126).contains(&c) && c != b'<' && c != b'>');
    if ok {
        Ok(())
    } else {
        Err(BuildError::InvalidMessageId(id.to_owned()))
    }
}

/// Parameter tokens for Content-Type / Content-Disposition: plain, quoted, or RFC 2231.
fn param_tokens(name: &str, value: &str, out: &mut Vec<String>) {
    let token = !value.is_empty()
        && value
            .bytes()
            .all(|c| (33..=126).contains(&c) && !b"()<>@,;:\\\"/[]?=".contains(&c));
    if token {
        out.push(format!(" {name}={value};"));
        return;
    }
    if value.bytes().all(|c| (32..=126).contains(&c)) && value.len() < 60 && !value.contains("=?") {
        out.push(format!(" {name}={};", quote(value)));
        return;
    }
    // RFC 2231: percent-encoded UTF-8, split into sections that never cut an escape.
    let mut sections: Vec<String> = Vec::new();
    let mut cur = String::from("utf-8''");
    for &b in value.as_bytes() {
        let enc = if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            char::from(b).to_string()
        } else {
            format!("%{b:02X}")
        };
        if cur.len() + enc.len() > 50 {
            sections.push(std::mem::take(&mut cur));
        }
        cur.push_str(&enc);
    }
    sections.push(cur);
    if sections.len() == 1 {
        out.push(format!(" {name}*={};", sections[0]));
    } else {
        for (i, s) in sections.iter().enumerate() {
            out.push(format!(" {name}*{i}*={s};"));
        }
    }
}

fn content_type_field(ct: &ContentType<'_>, extra: &[(&str, &str)], out: &mut Vec<u8>) {
    let mut tokens = vec![format!(" {}/{}", ct.media_type, ct.subtype)];
    let mut params: Vec<(&str, &str)> = ct
        .params
        .iter()
        .map(|(n, v)| (n.as_ref(), v.as_ref()))
        .collect();
    params.extend_from_slice(extra);
    if !params.is_empty() {
        tokens[0].push(';');
    }
    for (n, v) in params {
        param_tokens(n, v, &mut tokens);
    }
    if let Some(last) = tokens.last_mut() {
        if last.ends_with(';') {
            last.pop();
        }
    }
    fold("Content-Type", &tokens, out);
}

/// A part to write. (A message has a few; the leaf's size, mostly its Content-Type with the
/// parameters held in place, does not matter here.)
#[allow(clippy::large_enum_variant)]
enum Node {
    Leaf {
        content_type: ContentType<'static>,
        extra: Vec<(String, String)>,
        disposition: Option<(String, Option<String>)>,
        content_id: Option<String>,
        data: Vec<u8>,
        text: bool,
    },
    Multi {
        subtype: &'static str,
        children: Vec<Self>,
    },
}

/// Builds a message. Set the fields, then [`build`](Self::build).
#[derive(Debug, Clone, Default)]
pub struct MessageBuilder {
    from: Vec<EmailAddress>,
    sender: Option<EmailAddress>,
    to: Vec<EmailAddress>,
    cc: Vec<EmailAddress>,
    bcc: Vec<EmailAddress>,
    write_bcc: bool,
    reply_to: Vec<EmailAddress>,
    subject: Option<HeaderText>,
    date: Option<DateTime>,
    message_id: Option<String>,
    in_reply_to: Vec<String>,
    references: Vec<String>,
    headers: Vec<(HeaderName, HeaderText)>,
    text: Option<String>,
    html: Option<String>,
    inline: Vec<Attachment>,
    attachments: Vec<Attachment>,
}

impl MessageBuilder {
    /// An empty message.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a From mailbox.
    #[must_use]
    pub fn from(mut self, a: EmailAddress) -> Self {
        self.from.push(a);
        self
    }

    /// Adds a To mailbox.
    #[must_use]
    pub fn to(mut self, a: EmailAddress) -> Self {
        self.to.push(a);
        self
    }

    /// Adds a Cc mailbox.
    #[must_use]
    pub fn cc(mut self, a: EmailAddress) -> Self {
        self.cc.push(a);
        self
    }

    /// Sets the Sender: the mailbox that actually sent the message, when it is not the
    /// (single) author in From (RFC 5322 3.6.2).
    #[must_use]
    pub fn sender(mut self, a: EmailAddress) -> Self {
        self.sender = Some(a);
        self
    }

    /// Adds a blind-copy recipient. It is part of [`recipients`](Self::recipients) (the SMTP
    /// envelope) but, as RFC 5322 3.6.3 describes for its first way, the Bcc field is left out
    /// of what [`build`](Self::build) writes unless [`write_bcc`](Self::write_bcc) asks for it.
    #[must_use]
    pub fn bcc(mut self, a: EmailAddress) -> Self {
        self.bcc.push(a);
        self
    }

    /// Writes the Bcc field too (for a copy kept by the sender, say).
    #[must_use]
    pub fn write_bcc(mut self, yes: bool) -> Self {
        self.write_bcc = yes;
        self
    }

    /// Every recipient address (To, Cc and Bcc, in that order, each once): what an SMTP
    /// client puts in its RCPT commands.
    pub fn recipients(&self) -> Vec<String> {
        let mut seen = std::collections::HashSet::new();
        self.to
            .iter()
            .chain(&self.cc)
            .chain(&self.bcc)
            .map(EmailAddress::address)
            .filter(|a| seen.insert(a.clone()))
            .collect()
    }

    /// Adds a message id (`left@right`, without brackets) to In-Reply-To.
    pub fn in_reply_to(mut self, id: &str) -> Result<Self, BuildError> {
        check_msg_id(id)?;
        self.in_reply_to.push(id.to_owned());
        Ok(self)
    }

    /// Adds a message id (`left@right`, without brackets) to References, oldest first.
    pub fn references(mut self, id: &str) -> Result<Self, BuildError> {
        check_msg_id(id)?;
        self.references.push(id.to_owned());
        Ok(self)
    }

    /// Adds a Reply-To mailbox.
    #[must_use]
    pub fn reply_to(mut self, a: EmailAddress) -> Self {
        self.reply_to.push(a);
        self
    }

    /// Sets the Subject.
    #[must_use]
    pub fn subject(mut self, s: HeaderText) -> Self {
        self.subject = Some(s);
        self
    }

    /// Sets the Date (the builder has no clock: pass the time).
    #[must_use]
    pub fn date(mut self, d: DateTime) -> Self {
        self.date = Some(d);
        self
    }

    /// Sets the Message-ID (`left@right`, without brackets).
    pub fn message_id(mut self, id: &str) -> Result<Self, BuildError> {
        check_msg_id(id)?;
        self.message_id = Some(id.to_owned());
        Ok(self)
    }

    /// Adds any other field, as unstructured text.
    #[must_use]
    pub fn header(mut self, name: HeaderName, value: HeaderText) -> Self {
        self.headers.push((name, value));
        self
    }

    /// Sets the plain-text body (line breaks become CRLF).
    #[must_use]
    pub fn text(mut self, body: &str) -> Self {
        self.text = Some(body.to_owned());
        self
    }

    /// Sets the HTML body (line breaks become CRLF); with a text body too, the two go in a
    /// `multipart/alternative`.
    #[must_use]
    pub fn html(mut self, body: &str) -> Self {
        self.html = Some(body.to_owned());
        self
    }

    /// Adds an inline part (an image the HTML shows); the body and inline parts go in a
    /// `multipart/related`.
    #[must_use]
    pub fn inline(mut self, a: Attachment) -> Self {
        self.inline.push(a);
        self
    }

    /// Adds an attachment; the message becomes `multipart/mixed`.
    #[must_use]
    pub fn attachment(mut self, a: Attachment) -> Self {
        self.attachments.push(a);
        self
    }

    fn text_node(subtype: &'static str, body: &str) -> Node {
        Node::Leaf {
            content_type: ContentType {
                media_type: "text".into(),
                subtype: subtype.into(),
                params: [(
                    "charset".into(),
                    if body.is_ascii() { "us-ascii" } else { "utf-8" }.into(),
                )]
                .into(),
            },
            extra: Vec::new(),
            disposition: None,
            content_id: None,
            data: normalize_crlf(body),
            text: true,
        }
    }

    fn file_node(a: &Attachment, disposition: &str) -> Node {
        let name = a.filename.as_ref().map(|f| f.0.clone());
        Node::Leaf {
            content_type: a.content_type.clone(),
            extra: name
                .iter()
                .map(|n| ("name".to_owned(), n.clone()))
                .collect(),
            disposition: Some((disposition.to_owned(), name)),
            content_id: a.content_id.clone(),
            data: a.data.clone(),
            text: a.content_type.media_type == "text",
        }
    }

    fn tree(&self) -> Node {
        let mut body = match (&self.text, &self.html) {
            (Some(t), Some(h)) => Node::Multi {
                subtype: "alternative",
                children: vec![Self::text_node("plain", t), Self::text_node("html", h)],
            },
            (None, Some(h)) => Self::text_node("html", h),
            (Some(t), None) => Self::text_node("plain", t),
            (None, None) => Self::text_node("plain", ""),
        };
        if !self.inline.is_empty() {
            let mut children = vec![body];
            children.extend(self.inline.iter().map(|a| Self::file_node(a, "inline")));
            body = Node::Multi {
                subtype: "related",
                children,
            };
        }
        if !self.attachments.is_empty() {
            let mut children = vec![body];
            children.extend(
                self.attachments
                    .iter()
                    .map(|a| Self::file_node(a, "attachment")),
            );
            body = Node::Multi {
                subtype: "mixed",
                children,
            };
        }
        body
    }

    /// Writes the message: CRLF line breaks, header lines folded at 78.
    pub fn build(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let addr_field = |name: &str, list: &[EmailAddress], out: &mut Vec<u8>| {
            if list.is_empty() {
                return;
            }
            let mut tokens = Vec::new();
            for (i, a) in list.iter().enumerate() {
                if i > 0 {
                    if let Some(last) = tokens.last_mut() {
                        let last: &mut String = last;
                        last.push(',');
                    }
                }
                a.write(&mut tokens);
            }
            fold(name, &tokens, out);
        };
        addr_field("From", &self.from, &mut out);
        addr_field("Sender", self.sender.as_slice(), &mut out);
        addr_field("To", &self.to, &mut out);
        addr_field("Cc", &self.cc, &mut out);
        if self.write_bcc {
            addr_field("Bcc", &self.bcc, &mut out);
        }
        addr_field("Reply-To", &self.reply_to, &mut out);
        if let Some(s) = &self.subject {
            let mut tokens = Vec::new();
            text_tokens(&s.0, &mut tokens);
            fold("Subject", &tokens, &mut out);
        }
        if let Some(d) = &self.date {
            fold("Date", &[format!(" {}", d.to_rfc5322())], &mut out);
        }
        if let Some(id) = &self.message_id {
            fold("Message-ID", &[format!(" <{id}>")], &mut out);
        }
        for (name, ids) in [
            ("In-Reply-To", &self.in_reply_to),
            ("References", &self.references),
        ] {
            if !ids.is_empty() {
                let tokens: Vec<String> = ids.iter().map(|id| format!(" <{id}>")).collect();
                fold(name, &tokens, &mut out);
            }
        }
        for (n, v) in &self.headers {
            let mut tokens = Vec::new();
            text_tokens(&v.0, &mut tokens);
            fold(&n.0, &tokens, &mut out);
        }
        out.extend_from_slice(b"MIME-Version: 1.0\r\n");
        let mut counter = 0;
        write_node(&self.tree(), &mut out, &mut counter);
        out
    }
}

impl std::fmt::Debug for Node {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Leaf { content_type, .. } => write!(f, "Leaf({})", content_type.essence()),
            Self::Multi { subtype, children } => write!(f, "Multi({subtype}, {children:?})"),
        }
    }
}

/// Writes the part's own header fields (Content-*) and body.
fn write_node(node: &Node, out: &mut Vec<u8>, counter: &mut usize) {
    match node {
        Node::Leaf {
            content_type,
            extra,
            disposition,
            content_id,
            data,
            text,
        } => {
            let extra: Vec<(&str, &str)> = extra
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            content_type_field(content_type, &extra, out);
            if let Some((kind, name)) = disposition {
                let mut tokens = vec![format!(" {kind}")];
                if let Some(n) = name {
                    tokens[0].push(';');
                    param_tokens("filename", n, &mut tokens);
                    if let Some(last) = tokens.last_mut() {
                        last.pop();
                    }
                }
                fold("Content-Disposition", &tokens, out);
            }
            if let Some(id) = content_id {
                fold("Content-ID", &[format!(" <{id}>")], out);
            }
            let mut body = Vec::new();
            encode_body(data, *text, out, &mut body);
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(&body);
        }
        Node::Multi { subtype, children } => {
            let mut parts: Vec<Vec<u8>> = Vec::new();
            for c in children {
                let mut p = Vec::new();
                write_node(c, &mut p, counter);
                parts.push(p);
            }
            // A boundary that occurs in none of the parts.
            let boundary = loop {
                *counter += 1;
                let b = format!("=_mail-message_{subtype}_{}", *counter);
                let delim = format!("--{b}");
                if !parts
                    .iter()
                    .any(|p| memchr::memmem::find(p, delim.as_bytes()).is_some())
                {
                    break b;
                }
            };
            let ct = ContentType {
                media_type: "multipart".into(),
                subtype: (*subtype).into(),
                params: [("boundary".into(), boundary.clone().into())].into(),
            };
            content_type_field(&ct, &[], out);
            out.extend_from_slice(b"\r\n");
            for p in &parts {
                out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
                out.extend_from_slice(p);
                out.extend_from_slice(b"\r\n");
            }
            out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Message;

    #[test]
    fn refuses_line_breaks_and_bad_names() {
        assert_eq!(
            HeaderText::new("a\r\nBcc: x"),
            Err(BuildError::LineBreak(1))
        );
        assert!(HeaderName::new("X-Ok").is_ok());
        assert!(HeaderName::new("Bad Name").is_err());
        assert!(HeaderName::new("Bad:").is_err());
        assert!(EmailAddress::new(None, "no-at").is_err());
        assert!(EmailAddress::new(None, "a@b\nc").is_err());
        assert!(EmailAddress::new(None, "a@[1.2.3.4]").is_ok());
        assert!(EmailAddress::new(Some("x\ny"), "a@b").is_err());
        assert!(Attachment::new("nope", None, vec![]).is_err());
    }

    #[test]
    fn sender_bcc_and_thread_fields() {
        let b = MessageBuilder::new()
            .from(EmailAddress::new(Some("Ann"), "ann@example.org").unwrap())
            .sender(EmailAddress::new(None, "secretary@example.org").unwrap())
            .to(EmailAddress::new(None, "bob@example.net").unwrap())
            .cc(EmailAddress::new(None, "carol@example.net").unwrap())
            .bcc(EmailAddress::new(None, "dave@example.net").unwrap())
            .bcc(EmailAddress::new(None, "bob@example.net").unwrap())
            .in_reply_to("1@example.net")
            .unwrap()
            .references("0@example.net")
            .unwrap()
            .references("1@example.net")
            .unwrap()
            .text("hi");
        assert_eq!(
            b.recipients(),
            ["bob@example.net", "carol@example.net", "dave@example.net"]
        );
        let out = b.build();
        let msg = Message::parse(&out);
        assert!(msg.defects().is_empty(), "{:?}", msg.defects());
        assert!(
            msg.header().get("bcc").is_none(),
            "Bcc is not written by default"
        );
        let sender = msg.header().get("sender").unwrap().text();
        assert_eq!(sender.trim(), "secretary@example.org");
        assert_eq!(msg.in_reply_to(), ["1@example.net"]);
        assert_eq!(msg.references(), ["0@example.net", "1@example.net"]);
        assert!(b.clone().in_reply_to("no id").is_err());
        assert!(b.clone().references("<a@b>").is_err());

        let kept = b.write_bcc(true).build();
        let msg = Message::parse(&kept);
        let bcc = msg.header().get("bcc").unwrap().text();
        assert_eq!(bcc.trim(), "dave@example.net, bob@example.net");
    }

    #[test]
    fn address_quotes_a_local_part_that_is_not_a_dot_atom() {
        let a = EmailAddress::new(None, "john doe@example.org").unwrap();
        assert_eq!(a.address(), "\"john doe\"@example.org");
        let a = EmailAddress::new(Some("J"), "j.d@example.org").unwrap();
        assert_eq!(a.address(), "j.d@example.org");
    }

    #[test]
    fn encoded_words_never_split_a_character() {
        let s = "€".repeat(60);
        for w in encode_words(&s) {
            assert!(w.len() <= 75, "{w}");
            let (t, _) = crate::rfc2047::decode_text(w.as_bytes());
            assert!(!t.contains('\u{fffd}'), "{w} decodes alone");
        }
        let s = "aé".repeat(80);
        for w in encode_words(&s) {
            assert!(w.len() <= 75);
            let (t, _) = crate::rfc2047::decode_text(w.as_bytes());
            assert!(!t.contains('\u{fffd}'));
        }
    }

    #[test]
    fn tab_between_encoded_words_survives() {
        // Found by fuzz/message_roundtrip: a lone tab between two encoded runs was written as
        // a word, and the parser dropped it as white space between encoded-words.
        for subject in ["0\u{1} m \t \u{1}' ", "é\té", "a\t\u{1}", "é \t b"] {
            let out = MessageBuilder::new()
                .subject(HeaderText::new(subject).unwrap())
                .build();
            assert_eq!(Message::parse(&out).subject().as_deref(), Some(subject));
        }
    }

    #[test]
    fn folded_at_78_with_crlf() {
        let subject = "word ".repeat(40);
        let subject = subject.trim_end();
        let out = MessageBuilder::new()
            .subject(HeaderText::new(subject).unwrap())
            .text("x")
            .build();
        for line in out.split(|&c| c == b'\n') {
            assert!(line.len() <= 79, "{}", String::from_utf8_lossy(line));
        }
        assert!(!out.windows(2).any(|w| w[1] == b'\n' && w[0] != b'\r'));
        let msg = Message::parse(&out);
        assert_eq!(msg.subject().as_deref(), Some(subject));
    }

    #[test]
    fn transfer_encoding_from_content() {
        let plain = MessageBuilder::new().text("hello\n").build();
        assert!(!plain.windows(25).any(|w| w == b"Content-Transfer-Encodin"));
        let qp = MessageBuilder::new()
            .text("Grüße aus Köln, wie geht es dir heute?\n")
            .build();
        assert!(String::from_utf8_lossy(&qp).contains("quoted-printable"));
        let b64 = MessageBuilder::new().text("日本語のテキスト\n").build();
        assert!(String::from_utf8_lossy(&b64).contains("base64"));
        for (bytes, want) in [
            (plain, "hello\r\n"),
            (qp, "Grüße aus Köln, wie geht es dir heute?\r\n"),
            (b64, "日本語のテキスト\r\n"),
        ] {
            let msg = Message::parse(&bytes);
            assert_eq!(msg.leaves()[0].1.text().as_deref(), Some(want));
        }
    }

    #[test]
    fn alternative_related_mixed() {
        let out = MessageBuilder::new()
            .from(EmailAddress::new(Some("A \"quoted\" name"), "a@example.org").unwrap())
            .text("text")
            .html("<img src=\"cid:logo@x\">")
            .inline(Attachment::new("image/png", Some("logo.png"), vec![0x89, b'P', b'N', b'G']).unwrap().with_content_id("logo@x").unwrap())
            .attachment(Attachment::new("text/csv", Some("a very long file name that needs RFC 2231 continuations to fit — ünïcödé.csv"), b"a,b\r\n1,2\r\n".to_vec()).unwrap())
            .build();
        let msg = Message::parse(&out);
        assert!(
            msg.defects().is_empty(),
            "{:?}\n{}",
            msg.defects(),
            String::from_utf8_lossy(&out)
        );
        let leaves = msg.leaves();
        let shape: Vec<(String, String)> = leaves
            .iter()
            .map(|(s, p)| (s.clone(), p.content_type().essence()))
            .collect();
        assert_eq!(
            shape,
            [
                ("1.1.1".into(), "text/plain".into()),
                ("1.1.2".into(), "text/html".into()),
                ("1.2".into(), "image/png".into()),
                ("2".into(), "text/csv".into()),
            ]
        );
        assert_eq!(&*leaves[2].1.decoded_body(), &[0x89, b'P', b'N', b'G']);
        assert_eq!(
            leaves[3].1.filename().as_deref(),
            Some("a very long file name that needs RFC 2231 continuations to fit — ünïcödé.csv")
        );
        let from = msg.from().unwrap();
        assert_eq!(
            from.mailboxes().next().unwrap().name.as_deref(),
            Some("A \"quoted\" name")
        );
    }

    /// A display name whose word or quoted form is longer than a line (found by the
    /// message_roundtrip fuzz target: a 1,000-character name with specials went out as one
    /// quoted string on one line) is written as encoded-words; shorter ones stay readable.
    #[test]
    fn display_names_longer_than_a_line_fold() {
        let with_specials = "jj license `LICENSE:::: MIT ".repeat(40);
        let with_specials = with_specials.trim_end();
        let one_atom = "j".repeat(1200);
        let short = "Ann `x` Example";
        for (name, plain) in [
            (with_specials, false),
            (one_atom.as_str(), false),
            (short, true),
        ] {
            let out = MessageBuilder::new()
                .from(EmailAddress::new(Some(name), "a@example.org").unwrap())
                .text("text")
                .build();
            let text = String::from_utf8_lossy(&out);
            // RFC 5322 2.1.1: at most 998 characters before the CRLF.
            assert!(out.split(|&b| b == b'\n').all(|l| l.len() <= 999), "{text}");
            assert_eq!(text.contains("=?utf-8?"), !plain, "{text}");
            let msg = Message::parse(&out);
            assert!(msg.defects().is_empty(), "{:?}\n{text}", msg.defects());
            let from = msg.from().unwrap();
            assert_eq!(from.mailboxes().next().unwrap().name.as_deref(), Some(name));
        }
    }
}

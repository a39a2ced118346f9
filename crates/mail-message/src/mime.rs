//! The MIME tree: each part with the byte ranges of its header and body in the input.

use std::borrow::Cow;
use std::ops::Range;

use crate::address::{parse_address_list, AddressList};
use crate::date::{parse_date, DateTime};
use crate::defect::{Defect, DefectKind};
use crate::header::{scan_block, BlockEnd, Header};
use crate::params::{
    parse_content_disposition, parse_content_type, parse_message_ids, ContentDisposition,
    ContentType, TransferEncoding,
};
use crate::Limits;

/// A parsed message: the input and the tree of its parts. Nothing is copied from the input;
/// bodies are decoded only when asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message<'a> {
    input: &'a [u8],
    root: Part<'a>,
}

/// One MIME entity: a header and a body, which is a leaf, a multipart or a nested message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part<'a> {
    input: &'a [u8],
    header: Header<'a>,
    header_range: Range<usize>,
    body_range: Range<usize>,
    content_type: ContentType,
    transfer_encoding: TransferEncoding,
    body: Body<'a>,
    defects: Vec<Defect>,
}

/// What a part's body is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body<'a> {
    /// Content (decode it with [`Part::decoded_body`] or [`Part::text`]).
    Leaf,
    /// A `multipart/*` body.
    Multipart(Multipart<'a>),
    /// A `message/rfc822` (or `message/global`) body: the whole nested message as a part.
    Message(Box<Part<'a>>),
}

/// The body of a multipart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Multipart<'a> {
    /// The bytes before the first boundary line (the line break before it excluded).
    pub preamble: Range<usize>,
    /// The parts in order.
    pub parts: Vec<Part<'a>>,
    /// The bytes after the closing boundary line; empty when that line is missing.
    pub epilogue: Range<usize>,
}

impl<'a> Message<'a> {
    /// Parses a whole message with the default [`Limits`]. Never fails: what does not follow the
    /// grammar is recorded as a [`Defect`] on the part where it was found.
    pub fn parse(input: &'a [u8]) -> Self {
        Self::parse_with(input, &Limits::default())
    }

    /// Parses a whole message with the given limits.
    pub fn parse_with(input: &'a [u8], limits: &Limits) -> Self {
        let mut ctx = Ctx { limits, parts: 0 };
        let root = parse_part(input, 0, input.len(), DefaultType::TextPlain, 0, &mut ctx);
        Self { input, root }
    }

    /// The input this message was parsed from.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.input
    }

    /// The top-level part (the message header and body).
    pub fn root(&self) -> &Part<'a> {
        &self.root
    }

    /// The message header.
    pub fn header(&self) -> &Header<'a> {
        &self.root.header
    }

    /// The decoded Subject.
    pub fn subject(&self) -> Option<Cow<'a, str>> {
        self.root.header.text("subject")
    }

    /// The addresses of the first field named `name` (From, To, Cc, Bcc, Reply-To, Sender...).
    pub fn addresses(&self, name: &str) -> Option<AddressList> {
        self.root
            .header
            .get(name)
            .map(|f| parse_address_list(&f.unfolded()))
    }

    /// From.
    pub fn from(&self) -> Option<AddressList> {
        self.addresses("from")
    }

    /// To.
    pub fn to(&self) -> Option<AddressList> {
        self.addresses("to")
    }

    /// Cc.
    pub fn cc(&self) -> Option<AddressList> {
        self.addresses("cc")
    }

    /// The Date, if present and readable.
    pub fn date(&self) -> Option<DateTime> {
        let f = self.root.header.get("date")?;
        parse_date(&f.unfolded()).map(|d| d.date)
    }

    /// The Message-ID without its angle brackets.
    pub fn message_id(&self) -> Option<String> {
        let f = self.root.header.get("message-id")?;
        parse_message_ids(&f.unfolded()).0.into_iter().next()
    }

    /// The ids of In-Reply-To.
    pub fn in_reply_to(&self) -> Vec<String> {
        self.ids("in-reply-to")
    }

    /// The ids of References.
    pub fn references(&self) -> Vec<String> {
        self.ids("references")
    }

    fn ids(&self, name: &str) -> Vec<String> {
        self.root
            .header
            .get(name)
            .map(|f| parse_message_ids(&f.unfolded()).0)
            .unwrap_or_default()
    }

    /// The leaf parts depth first, each with its IMAP section number (RFC 3501 6.4.5): the body
    /// of a non-multipart message is `1`, the parts of a multipart are `1`, `2`..., and the
    /// body of a `message/rfc822` part `P` is numbered as if it were a message of its own
    /// under `P`.
    pub fn leaves(&self) -> Vec<(String, &Part<'a>)> {
        let mut out = Vec::new();
        collect_leaves(&self.root, &mut String::new(), &mut out);
        out
    }

    /// The leaf parts depth first, in the order of [`leaves`](Self::leaves) but without their
    /// section numbers: for callers that read every body and need no IMAP section, at one
    /// allocation for the list instead of one more per leaf.
    pub fn leaf_parts(&self) -> Vec<&Part<'a>> {
        let mut out = Vec::new();
        self.root.visit(&mut |p| {
            if matches!(p.body, Body::Leaf) {
                out.push(p);
            }
        });
        out
    }

    /// Every defect of every part, in tree order.
    pub fn defects(&self) -> Vec<Defect> {
        let mut out = Vec::new();
        self.root.visit(&mut |p| out.extend_from_slice(&p.defects));
        out
    }

    /// Writes the message back from its tree: for a message nobody changed, the input byte for
    /// byte.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        self.root.write_to(out);
    }
}

/// Appends `.n` (or `n` at the top) to the section number in `path`.
fn push_section(path: &mut String, n: usize) {
    if !path.is_empty() {
        path.push('.');
    }
    // The digits by hand: `write!` costs more than the rest of the walk.
    let mut digits = [0u8; 20];
    let mut k = digits.len();
    let mut n = n;
    loop {
        k -= 1;
        digits[k] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    path.extend(digits[k..].iter().map(|&d| char::from(d)));
}

/// The leaves below `part`, which is a message (or a nested message's body) at section `path`.
/// `path` is one buffer for the whole walk: each level appends its number and cuts it off
/// again, so only the leaves' own numbers are allocated.
fn collect_leaves<'p, 'a>(
    part: &'p Part<'a>,
    path: &mut String,
    out: &mut Vec<(String, &'p Part<'a>)>,
) {
    match &part.body {
        Body::Multipart(m) => collect_children(m, path, out),
        Body::Message(_) | Body::Leaf => {
            let len = path.len();
            push_section(path, 1);
            collect_child(part, path, out);
            path.truncate(len);
        }
    }
}

fn collect_children<'p, 'a>(
    m: &'p Multipart<'a>,
    path: &mut String,
    out: &mut Vec<(String, &'p Part<'a>)>,
) {
    let len = path.len();
    for (i, c) in m.parts.iter().enumerate() {
        push_section(path, i + 1);
        collect_child(c, path, out);
        path.truncate(len);
    }
}

/// `part` sits at section `path` inside a multipart.
fn collect_child<'p, 'a>(
    part: &'p Part<'a>,
    path: &mut String,
    out: &mut Vec<(String, &'p Part<'a>)>,
) {
    match &part.body {
        Body::Multipart(m) => collect_children(m, path, out),
        Body::Message(nested) => collect_leaves(nested, path, out),
        Body::Leaf => out.push((path.clone(), part)),
    }
}

/// The Content-Type a part has when it names none (RFC 2046 5.1.5).
#[derive(Clone, Copy)]
enum DefaultType {
    TextPlain,
    MessageRfc822,
}

struct Ctx<'l> {
    limits: &'l Limits,
    parts: usize,
}

fn parse_part<'a>(
    input: &'a [u8],
    start: usize,
    end: usize,
    default_type: DefaultType,
    depth: usize,
    ctx: &mut Ctx<'_>,
) -> Part<'a> {
    ctx.parts += 1;
    // A message header has tens of fields, a body part's MIME header a few.
    let mut header = Header::with_capacity(if depth == 0 {
        crate::header::MESSAGE_HEADER_FIELDS
    } else {
        4
    });
    let mut defects = Vec::new();
    let block = scan_block(
        input,
        start,
        end,
        true,
        ctx.limits,
        &mut header,
        &mut defects,
    )
    .unwrap_or(BlockEnd {
        header_end: end,
        body_start: end,
    });
    let content_type = match header.get("content-type") {
        Some(f) => match parse_content_type(&f.unfolded()) {
            Some(ct) => ct,
            None => {
                defects.push(Defect::new(DefectKind::InvalidContentType, f.offset()));
                let mut ct = ContentType::text_plain();
                ct.params = crate::params::salvage_params(&f.unfolded());
                ct
            }
        },
        None => match default_type {
            DefaultType::TextPlain => ContentType::text_plain(),
            DefaultType::MessageRfc822 => ContentType::message_rfc822(),
        },
    };
    let transfer_encoding = match header.get("content-transfer-encoding") {
        Some(f) => {
            let te = TransferEncoding::parse(&f.unfolded());
            if te == TransferEncoding::Unknown {
                defects.push(Defect::new(DefectKind::UnknownTransferEncoding, f.offset()));
            }
            te
        }
        None => TransferEncoding::SevenBit,
    };
    let body_start = block.body_start;
    let composite = content_type.media_type == "multipart"
        || content_type.is("message", "rfc822")
        || content_type.is("message", "global");
    let body = if composite && depth >= ctx.limits.max_depth.min(Limits::DEPTH_CEILING) {
        defects.push(Defect::new(DefectKind::TooDeep, start));
        Body::Leaf
    } else if content_type.media_type == "multipart" {
        if !transfer_encoding.is_identity() {
            defects.push(Defect::new(
                DefectKind::InvalidMultipartTransferEncoding,
                start,
            ));
        }
        match content_type.param("boundary") {
            Some(b) if !b.is_empty() => {
                let b = b.as_bytes();
                let digest = content_type.subtype == "digest";
                parse_multipart(input, body_start, end, b, digest, depth, ctx, &mut defects)
            }
            _ => {
                defects.push(Defect::new(DefectKind::MissingBoundary, start));
                Body::Leaf
            }
        }
    } else if composite && transfer_encoding.is_identity() {
        Body::Message(Box::new(parse_part(
            input,
            body_start,
            end,
            DefaultType::TextPlain,
            depth + 1,
            ctx,
        )))
    } else {
        if composite {
            defects.push(Defect::new(
                DefectKind::InvalidMultipartTransferEncoding,
                start,
            ));
        }
        if let Some(at) = long_line(
            input.get(body_start..end).unwrap_or_default(),
            ctx.limits.max_line_length,
        ) {
            defects.push(Defect::new(DefectKind::LineTooLong, body_start + at));
        }
        Body::Leaf
    };
    Part {
        input,
        header,
        header_range: start..body_start,
        body_range: body_start..end,
        content_type,
        transfer_encoding,
        body,
        defects,
    }
}

/// Offset of the first line longer than `max` (CRLF not counted), if any. Steps a window at a
/// time: when the last line break within `max + 1` bytes of `p` is at `q`, every line that
/// starts in `p..=q` ends by `q` and so is short enough.
fn long_line(body: &[u8], max: usize) -> Option<usize> {
    if body.len() <= max {
        return None;
    }
    let mut p = 0;
    while p < body.len() {
        let window = &body[p..body.len().min(p + max + 1)];
        if window.len() <= max && p + window.len() == body.len() {
            return None;
        }
        match memchr::memrchr(b'\n', window) {
            Some(q) => p += q + 1,
            None => {
                // The line at p is at least max + 1 bytes with its CR: measure it exactly.
                let end = memchr::memchr(b'\n', &body[p..]).map_or(body.len(), |e| p + e);
                let mut len = end - p;
                if end < body.len() && len > 0 && body[end - 1] == b'\r' {
                    len -= 1;
                }
                if len > max {
                    return Some(p);
                }
                p = end + 1;
            }
        }
    }
    None
}

/// The line starts of a region that begin with `-`, the only ones a boundary line can have.
///
/// One `memchr` for `-` runs over the bytes between candidates at full speed (base64 has no
/// `-`, text has few), and a dash that is not at a line start sends the scan to the next line
/// break: each byte is looked at no more than twice. (A `memmem` for line break and dashes
/// measured slower on base64 bodies, the bulk of large messages.)
struct DashLines<'r> {
    region: &'r [u8],
    /// Where the scan goes on: always a line start.
    pos: usize,
}

impl<'r> DashLines<'r> {
    /// `start` counts as a line start (it is where the multipart body begins).
    fn new(region: &'r [u8], start: usize) -> Self {
        Self { region, pos: start }
    }

    /// The next line start at or after the scan position whose first byte is `-`.
    fn next_dash_line(&mut self) -> Option<usize> {
        loop {
            let rest = self.region.get(self.pos..)?;
            let dash = self.pos + memchr::memchr(b'-', rest)?;
            let at_line_start = dash == self.pos || self.region.get(dash - 1) == Some(&b'\n');
            // Either way, the next candidate is on a later line.
            let after = self.region.get(dash..).unwrap_or_default();
            self.pos = memchr::memchr(b'\n', after).map_or(self.region.len(), |nl| dash + nl + 1);
            if at_line_start {
                return Some(dash);
            }
        }
    }
}

/// Where a boundary line is: its first byte, the first byte after its line break, and whether
/// it is the closing one.
struct Delimiter {
    at: usize,
    next: usize,
    close: bool,
}

/// Start of the line break before `at` (RFC 2046 5.1.1: it belongs to the boundary), not before
/// `floor`.
fn before_break(input: &[u8], at: usize, floor: usize) -> usize {
    let mut e = at;
    if e > floor && input.get(e - 1) == Some(&b'\n') {
        e -= 1;
        if e > floor && input.get(e - 1) == Some(&b'\r') {
            e -= 1;
        }
    }
    e
}

#[allow(clippy::too_many_arguments)]
fn parse_multipart<'a>(
    input: &'a [u8],
    start: usize,
    end: usize,
    boundary: &[u8],
    digest: bool,
    depth: usize,
    ctx: &mut Ctx<'_>,
    defects: &mut Vec<Defect>,
) -> Body<'a> {
    let mut delim = Vec::with_capacity(boundary.len() + 2);
    delim.extend_from_slice(b"--");
    delim.extend_from_slice(boundary);
    let region = input.get(..end).unwrap_or(input);
    let mut delimiters: Vec<Delimiter> = Vec::new();
    let mut lines = DashLines::new(region, start);
    while let Some(at) = lines.next_dash_line() {
        if !region.get(at..).is_some_and(|r| r.starts_with(&delim)) {
            continue;
        }
        let mut k = at + delim.len();
        let close = region.get(k..k + 2) == Some(b"--");
        if close {
            k += 2;
        }
        while matches!(region.get(k), Some(b' ' | b'\t')) {
            k += 1;
        }
        let next = match region.get(k) {
            None => end,
            Some(b'\n') => k + 1,
            Some(b'\r') if region.get(k + 1) == Some(&b'\n') => k + 2,
            Some(b'\r') if region.get(k + 1).is_none() => end,
            Some(_) => continue,
        };
        delimiters.push(Delimiter { at, next, close });
        if close {
            break;
        }
    }
    // RFC 2046 5.1.1: at least one body part. A lone closing line is no multipart.
    let Some(first) = delimiters.first().filter(|d| !d.close) else {
        defects.push(Defect::new(DefectKind::NoBoundaryFound, start));
        return Body::Leaf;
    };
    let preamble = start..before_break(input, first.at, start);
    let closed = delimiters.last().is_some_and(|d| d.close);
    if !closed {
        defects.push(Defect::new(DefectKind::MissingCloseBoundary, end));
    }
    let mut parts = Vec::new();
    let mut epilogue = end..end;
    for (k, d) in delimiters.iter().enumerate() {
        if d.close {
            epilogue = d.next..end;
            break;
        }
        let part_end = match delimiters.get(k + 1) {
            Some(n) => before_break(input, n.at, d.next),
            None => end,
        };
        if ctx.parts >= ctx.limits.max_parts {
            defects.push(Defect::new(DefectKind::TooManyParts, d.at));
            epilogue = d.at..end;
            break;
        }
        let default = if digest {
            DefaultType::MessageRfc822
        } else {
            DefaultType::TextPlain
        };
        parts.push(parse_part(input, d.next, part_end, default, depth + 1, ctx));
    }
    Body::Multipart(Multipart {
        preamble,
        parts,
        epilogue,
    })
}

impl<'a> Part<'a> {
    /// The header fields.
    pub fn header(&self) -> &Header<'a> {
        &self.header
    }

    /// The header in the input, the empty line after it included (IMAP `HEADER` / `MIME`).
    pub fn header_range(&self) -> Range<usize> {
        self.header_range.clone()
    }

    /// The body in the input (IMAP `TEXT`, or the part's content for a leaf).
    pub fn body_range(&self) -> Range<usize> {
        self.body_range.clone()
    }

    /// The raw header bytes.
    pub fn raw_header(&self) -> &'a [u8] {
        self.input
            .get(self.header_range.clone())
            .unwrap_or_default()
    }

    /// The raw (still transfer-encoded) body bytes.
    pub fn raw_body(&self) -> &'a [u8] {
        self.input.get(self.body_range.clone()).unwrap_or_default()
    }

    /// Number of lines in the raw body (IMAP BODYSTRUCTURE `body-fld-lines`).
    pub fn body_lines(&self) -> usize {
        let body = self.raw_body();
        let n = memchr::memchr_iter(b'\n', body).count();
        if body.last().is_some_and(|&c| c != b'\n') {
            n + 1
        } else {
            n
        }
    }

    /// The Content-Type in force (the default when the field is missing or invalid).
    pub fn content_type(&self) -> &ContentType {
        &self.content_type
    }

    /// The Content-Transfer-Encoding (7bit when missing).
    pub fn transfer_encoding(&self) -> TransferEncoding {
        self.transfer_encoding
    }

    /// The body's shape.
    pub fn body(&self) -> &Body<'a> {
        &self.body
    }

    /// What was wrong with this part (not its children).
    pub fn defects(&self) -> &[Defect] {
        &self.defects
    }

    /// The Content-Disposition, if present and valid.
    pub fn disposition(&self) -> Option<ContentDisposition> {
        let f = self.header.get("content-disposition")?;
        parse_content_disposition(&f.unfolded())
    }

    /// The file name: Content-Disposition `filename`, else Content-Type `name`.
    pub fn filename(&self) -> Option<String> {
        if let Some(d) = self.disposition() {
            if let Some(f) = d.filename() {
                return Some(f.to_owned());
            }
        }
        self.content_type.param("name").map(str::to_owned)
    }

    /// The `charset` parameter, if any.
    pub fn charset(&self) -> Option<&str> {
        self.content_type.param("charset")
    }

    /// The body with its transfer encoding undone; borrowed when there is nothing to undo.
    pub fn decoded_body(&self) -> Cow<'a, [u8]> {
        self.decoded_body_checked().0
    }

    /// Like [`decoded_body`](Self::decoded_body), with the defect of the transfer encoding if
    /// the data was not valid (what could be read is still returned).
    pub fn decoded_body_checked(&self) -> (Cow<'a, [u8]>, Option<Defect>) {
        let raw = self.raw_body();
        let mut out = Vec::new();
        let (ok, kind) = match self.transfer_encoding {
            TransferEncoding::Base64 => (
                crate::decode::base64_decode_into(raw, &mut out),
                DefectKind::InvalidBase64,
            ),
            TransferEncoding::QuotedPrintable => (
                crate::decode::quoted_printable_decode_into(raw, &mut out),
                DefectKind::InvalidQuotedPrintable,
            ),
            TransferEncoding::Uuencode => (
                crate::decode::uudecode_into(raw, &mut out),
                DefectKind::InvalidUuencode,
            ),
            _ => return (Cow::Borrowed(raw), None),
        };
        let defect = (!ok).then(|| Defect::new(kind, self.body_range.start));
        (Cow::Owned(out), defect)
    }

    /// For `text/*` parts, the body decoded to UTF-8: transfer encoding undone, then the
    /// charset (a missing charset reads valid UTF-8 as UTF-8 and anything else as
    /// windows-1252). `None` for other types.
    pub fn text(&self) -> Option<Cow<'a, str>> {
        if self.content_type.media_type != "text" {
            return None;
        }
        Some(decode_charset(self.decoded_body(), self.charset()))
    }

    /// Calls `f` on this part and every part below it, depth first.
    pub fn visit<'s>(&'s self, f: &mut dyn FnMut(&'s Self)) {
        f(self);
        match &self.body {
            Body::Multipart(m) => m.parts.iter().for_each(|p| p.visit(f)),
            Body::Message(m) => m.visit(f),
            Body::Leaf => {}
        }
    }

    /// Writes the part back from its ranges and children.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        let full = self.header_range.start..self.body_range.end;
        let mut pos = full.start;
        let mut children: Vec<&Self> = Vec::new();
        match &self.body {
            Body::Multipart(m) => children.extend(m.parts.iter()),
            Body::Message(m) => children.push(m),
            Body::Leaf => {}
        }
        for c in children {
            let cs = c.header_range.start;
            out.extend_from_slice(self.input.get(pos..cs).unwrap_or_default());
            c.write_to(out);
            pos = c.body_range.end;
        }
        out.extend_from_slice(self.input.get(pos..full.end).unwrap_or_default());
    }
}

fn decode_charset<'a>(bytes: Cow<'a, [u8]>, charset: Option<&str>) -> Cow<'a, str> {
    // Without a charset, valid UTF-8 is taken as it is (validated once, here), anything else
    // is read as windows-1252.
    const FALLBACK: &str = "windows-1252";
    match (bytes, charset) {
        (Cow::Borrowed(b), None) => match crate::charset::utf8(b) {
            Some(s) => Cow::Borrowed(s),
            None => crate::charset::decode(FALLBACK, b).text,
        },
        (Cow::Owned(v), None) => Cow::Owned(
            String::from_utf8(v)
                .unwrap_or_else(|e| crate::charset::decode_owned(FALLBACK, e.into_bytes())),
        ),
        (Cow::Borrowed(b), Some(label)) => crate::charset::decode(label, b).text,
        (Cow::Owned(v), Some(label)) => Cow::Owned(crate::charset::decode_owned(label, v)),
    }
}

#[cfg(test)]
mod tests {
    use super::long_line;
    use super::DashLines;

    #[test]
    fn text_charsets_borrowed_owned_and_fallback() {
        use super::decode_charset;
        use std::borrow::Cow;
        let cases: [(&[u8], Option<&str>, &str); 6] = [
            (b"plain", None, "plain"),
            ("Grüße".as_bytes(), None, "Grüße"),
            (b"caf\xe9", None, "café"),
            (b"caf\xe9", Some("utf-8"), "caf\u{fffd}"),
            (b"caf\xe9", Some("iso-8859-1"), "café"),
            ("Grüße".as_bytes(), Some("UTF-8"), "Grüße"),
        ];
        for (bytes, charset, want) in cases {
            let borrowed = decode_charset(Cow::Borrowed(bytes), charset);
            assert_eq!(borrowed, want, "{bytes:?} {charset:?}");
            if std::str::from_utf8(bytes).is_ok() {
                assert!(
                    matches!(borrowed, Cow::Borrowed(_)),
                    "{bytes:?} {charset:?}"
                );
            }
            assert_eq!(decode_charset(Cow::Owned(bytes.to_vec()), charset), want);
        }
    }

    #[test]
    fn dash_lines_match_a_plain_scan() {
        fn plain(region: &[u8], start: usize) -> Vec<usize> {
            (start..region.len())
                .filter(|&i| region[i] == b'-' && (i == start || region[i - 1] == b'\n'))
                .collect()
        }
        let mut seed = 11u32;
        for _ in 0..3000 {
            let mut region = Vec::new();
            let n = (seed % 120) as usize;
            for _ in 0..n {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                region.push(match seed >> 29 {
                    0 | 1 => b'-',
                    2 => b'\n',
                    3 => b'\r',
                    _ => b'a',
                });
            }
            for start in [0, 1, n / 2] {
                let start = start.min(region.len());
                let mut lines = DashLines::new(&region, start);
                let got: Vec<usize> = std::iter::from_fn(|| lines.next_dash_line()).collect();
                assert_eq!(got, plain(&region, start), "{region:?} from {start}");
            }
            seed = seed.wrapping_add(1);
        }
    }

    #[test]
    fn long_line_matches_a_plain_scan() {
        fn plain(body: &[u8], max: usize) -> Option<usize> {
            let mut start = 0;
            for (i, &c) in body.iter().enumerate() {
                if c == b'\n' {
                    let mut len = i - start;
                    if len > 0 && body[i - 1] == b'\r' {
                        len -= 1;
                    }
                    if len > max {
                        return Some(start);
                    }
                    start = i + 1;
                }
            }
            (body.len() - start > max).then_some(start)
        }
        let mut seed = 7u32;
        for _ in 0..3000 {
            let mut body = Vec::new();
            let n = (seed % 200) as usize;
            for _ in 0..n {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                body.push(match seed >> 28 {
                    0 => b'\n',
                    1 => b'\r',
                    _ => b'a',
                });
            }
            for max in [0, 1, 3, 10, 17] {
                assert_eq!(long_line(&body, max), plain(&body, max), "{body:?} {max}");
            }
            seed = seed.wrapping_add(1);
        }
    }
}

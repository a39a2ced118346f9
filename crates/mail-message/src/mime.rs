//! The MIME tree: each part with the byte ranges of its header and body in the input.
//!
//! The tree is stored flat: a [`Message`] owns one vector of parts, one of header fields and
//! one of child lists for the whole message, and a [`Part`] is a small copyable view into
//! them. A message of 200 parts is parsed with a handful of allocations instead of several per
//! part.

use std::borrow::Cow;
use std::ops::Range;

use crate::address::{parse_address_list, AddressList};
use crate::date::{parse_date, DateTime};
use crate::defect::{Defect, DefectKind};
use crate::header::{scan_block, BlockEnd, Header, HeaderField};
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
    /// Every part, each stored after its children (the root is last).
    nodes: Vec<Node<'a>>,
    /// The header fields of every part; each part holds a range of them.
    fields: Vec<HeaderField<'a>>,
    /// The children of every multipart, as indices into `nodes`; each multipart holds a range.
    children: Vec<usize>,
    /// What only multiparts have, one for each, indexed by their [`Kind::Multipart`].
    multiparts: Vec<MultipartNode>,
    /// The defects of every part; each part holds a range of them.
    defects: Vec<Defect>,
    root: usize,
}

/// One part as stored in the message: what every part has, kept small (232 bytes, most of it
/// the Content-Type), since a message of many parts writes one for each (it was 288 bytes with
/// the multipart ranges and a defect vector in place).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Node<'a> {
    fields: Range<usize>,
    /// The header is `start..body_start`, the body `body_start..end`.
    start: usize,
    body_start: usize,
    end: usize,
    content_type: ContentType<'a>,
    /// Into `Message::defects`.
    defects: Range<usize>,
    kind: Kind,
    transfer_encoding: TransferEncoding,
}

/// A node's body shape.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Leaf,
    /// Into `Message::multiparts`.
    Multipart(usize),
    /// Into `Message::nodes`.
    Message(usize),
}

/// The body of a multipart as stored in the message.
#[derive(Debug, Clone, PartialEq, Eq)]
struct MultipartNode {
    preamble: Range<usize>,
    epilogue: Range<usize>,
    /// Into `Message::children`.
    children: Range<usize>,
}

/// One MIME entity of a [`Message`]: a header and a body, which is a leaf, a multipart or a
/// nested message. A cheap copyable view (two references); what it returns borrows the message
/// (`'m`) or the input (`'a`).
#[derive(Clone, Copy)]
pub struct Part<'m, 'a> {
    msg: &'m Message<'a>,
    node: &'m Node<'a>,
}

impl std::fmt::Debug for Part<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Part")
            .field("header", &self.header())
            .field("header_range", &self.header_range())
            .field("body_range", &self.body_range())
            .field("content_type", &self.node.content_type)
            .field("transfer_encoding", &self.node.transfer_encoding)
            .field("body", &self.body())
            .field("defects", &self.defects())
            .finish()
    }
}

/// Two views are equal when they are the same part of the same message.
impl PartialEq for Part<'_, '_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.msg, other.msg) && std::ptr::eq(self.node, other.node)
    }
}

impl Eq for Part<'_, '_> {}

/// What a part's body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body<'m, 'a> {
    /// Content (decode it with [`Part::decoded_body`] or [`Part::text`]).
    Leaf,
    /// A `multipart/*` body.
    Multipart(Multipart<'m, 'a>),
    /// A `message/rfc822` (or `message/global`) body: the whole nested message as a part.
    Message(Part<'m, 'a>),
}

/// The body of a multipart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Multipart<'m, 'a> {
    msg: &'m Message<'a>,
    preamble: &'m Range<usize>,
    epilogue: &'m Range<usize>,
    children: &'m [usize],
}

impl<'m, 'a> Multipart<'m, 'a> {
    /// The bytes before the first boundary line (the line break before it excluded).
    pub fn preamble(&self) -> Range<usize> {
        self.preamble.clone()
    }

    /// The bytes after the closing boundary line; empty when that line is missing.
    pub fn epilogue(&self) -> Range<usize> {
        self.epilogue.clone()
    }

    /// The parts in order.
    pub fn parts(&self) -> impl ExactSizeIterator<Item = Part<'m, 'a>> + 'm {
        let msg = self.msg;
        self.children.iter().map(move |&i| msg.part(i))
    }

    /// The `i`th part (from 0).
    pub fn part(&self, i: usize) -> Option<Part<'m, 'a>> {
        self.children.get(i).map(|&n| self.msg.part(n))
    }

    /// Number of parts.
    pub fn len(&self) -> usize {
        self.children.len()
    }

    /// Whether there are no parts (never after a parse: a multipart without one is read as a
    /// leaf).
    pub fn is_empty(&self) -> bool {
        self.children.is_empty()
    }
}

impl<'a> Message<'a> {
    /// Parses a whole message with the default [`Limits`]. Never fails: what does not follow the
    /// grammar is recorded as a [`Defect`] on the part where it was found.
    pub fn parse(input: &'a [u8]) -> Self {
        Self::parse_with(input, &Limits::default())
    }

    /// Parses a whole message with the given limits.
    pub fn parse_with(input: &'a [u8], limits: &Limits) -> Self {
        let mut b = TreeBuilder {
            input,
            limits,
            parts: 0,
            nodes: Vec::new(),
            fields: Vec::with_capacity(crate::header::MESSAGE_HEADER_FIELDS),
            children: Vec::new(),
            child_stack: Vec::new(),
            delimiters: Vec::new(),
            dash_from: None,
            dash_lines: Vec::new(),
            multiparts: Vec::new(),
            defects: Vec::new(),
        };
        let root = b.parse_part(0, input.len(), DefaultType::TextPlain, 0);
        Self {
            input,
            nodes: b.nodes,
            fields: b.fields,
            children: b.children,
            multiparts: b.multiparts,
            defects: b.defects,
            root,
        }
    }

    fn part(&self, i: usize) -> Part<'_, 'a> {
        // Every index stored in the tree was returned by a push onto `nodes`.
        let node = self.nodes.get(i).unwrap_or(&self.nodes[self.root]);
        Part { msg: self, node }
    }

    /// The input this message was parsed from.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.input
    }

    /// The top-level part (the message header and body).
    pub fn root(&self) -> Part<'_, 'a> {
        self.part(self.root)
    }

    /// The message header.
    pub fn header(&self) -> Header<'_, 'a> {
        self.root().header()
    }

    /// The decoded Subject.
    pub fn subject(&self) -> Option<Cow<'a, str>> {
        self.header().text("subject")
    }

    /// The addresses of the first field named `name` (From, To, Cc, Bcc, Reply-To, Sender...).
    /// The strings borrow the input, read from the field's raw value, folds and all (only a
    /// piece that itself holds a fold, such as a display name over two lines, is owned).
    pub fn addresses(&self, name: &str) -> Option<AddressList<'a>> {
        self.header()
            .get(name)
            .map(|f| parse_address_list(f.raw_value()))
    }

    /// From.
    pub fn from(&self) -> Option<AddressList<'a>> {
        self.addresses("from")
    }

    /// To.
    pub fn to(&self) -> Option<AddressList<'a>> {
        self.addresses("to")
    }

    /// Cc.
    pub fn cc(&self) -> Option<AddressList<'a>> {
        self.addresses("cc")
    }

    /// The Date, if present and readable.
    pub fn date(&self) -> Option<DateTime> {
        let f = self.header().get("date")?;
        parse_date(f.raw_value()).map(|d| d.date)
    }

    /// The Message-ID without its angle brackets.
    pub fn message_id(&self) -> Option<Cow<'a, str>> {
        let f = self.header().get("message-id")?;
        parse_message_ids(f.raw_value()).0.into_iter().next()
    }

    /// The ids of In-Reply-To.
    pub fn in_reply_to(&self) -> Vec<Cow<'a, str>> {
        self.ids("in-reply-to")
    }

    /// The ids of References.
    pub fn references(&self) -> Vec<Cow<'a, str>> {
        self.ids("references")
    }

    fn ids(&self, name: &str) -> Vec<Cow<'a, str>> {
        self.header()
            .get(name)
            .map(|f| parse_message_ids(f.raw_value()).0)
            .unwrap_or_default()
    }

    /// The leaf parts depth first, each with its IMAP section number (RFC 3501 6.4.5): the body
    /// of a non-multipart message is `1`, the parts of a multipart are `1`, `2`..., and the
    /// body of a `message/rfc822` part `P` is numbered as if it were a message of its own
    /// under `P`.
    pub fn leaves(&self) -> Vec<(String, Part<'_, 'a>)> {
        let mut out = Vec::new();
        collect_leaves(self.root(), &mut String::new(), &mut out);
        out
    }

    /// The leaf parts depth first, in the order of [`leaves`](Self::leaves) but without their
    /// section numbers: for callers that read every body and need no IMAP section, at one
    /// allocation for the list instead of one more per leaf.
    pub fn leaf_parts(&self) -> Vec<Part<'_, 'a>> {
        // Each part is stored after its children, and the parts of a subtree after those of
        // the subtrees left of it: the leaves in storage order are the leaves depth first.
        // Room for every part at once (16 bytes each): a filtered `collect` starts at four and
        // grows, a second allocation for a message of five leaves or more.
        let mut out = Vec::with_capacity(self.nodes.len());
        out.extend(
            self.nodes
                .iter()
                .filter(|node| matches!(node.kind, Kind::Leaf))
                .map(|node| Part { msg: self, node }),
        );
        out
    }

    /// Every defect of every part, in tree order.
    pub fn defects(&self) -> Vec<Defect> {
        let mut out = Vec::new();
        self.root()
            .visit(&mut |p| out.extend_from_slice(p.defects()));
        out
    }

    /// Writes the message back from its tree: for a message nobody changed, the input byte for
    /// byte.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        self.root().write_to(out);
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
fn collect_leaves<'m, 'a>(
    part: Part<'m, 'a>,
    path: &mut String,
    out: &mut Vec<(String, Part<'m, 'a>)>,
) {
    match part.body() {
        Body::Multipart(m) => collect_children(m, path, out),
        Body::Message(_) | Body::Leaf => {
            let len = path.len();
            push_section(path, 1);
            collect_child(part, path, out);
            path.truncate(len);
        }
    }
}

fn collect_children<'m, 'a>(
    m: Multipart<'m, 'a>,
    path: &mut String,
    out: &mut Vec<(String, Part<'m, 'a>)>,
) {
    let len = path.len();
    for (i, c) in m.parts().enumerate() {
        push_section(path, i + 1);
        collect_child(c, path, out);
        path.truncate(len);
    }
}

/// `part` sits at section `path` inside a multipart.
fn collect_child<'m, 'a>(
    part: Part<'m, 'a>,
    path: &mut String,
    out: &mut Vec<(String, Part<'m, 'a>)>,
) {
    match part.body() {
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

/// The state of one parse: the limits, the part count, the message's vectors being filled,
/// and two scratch stacks shared by every level (children found so far, boundary lines).
struct TreeBuilder<'a, 'l> {
    input: &'a [u8],
    limits: &'l Limits,
    parts: usize,
    nodes: Vec<Node<'a>>,
    fields: Vec<HeaderField<'a>>,
    children: Vec<usize>,
    /// The children of the multiparts being parsed, innermost last.
    child_stack: Vec<usize>,
    /// The boundary lines of the multiparts being parsed, innermost last.
    delimiters: Vec<Delimiter>,
    /// Where the scan for `dash_lines` began: the body of the first multipart.
    dash_from: Option<usize>,
    /// The line starts from `dash_from` on whose first two bytes are `--`, in order.
    dash_lines: Vec<usize>,
    multiparts: Vec<MultipartNode>,
    defects: Vec<Defect>,
}

impl TreeBuilder<'_, '_> {
    /// Parses the part in `start..end` and its children; returns its index in `nodes`.
    fn parse_part(
        &mut self,
        start: usize,
        end: usize,
        default_type: DefaultType,
        depth: usize,
    ) -> usize {
        let input = self.input;
        self.parts += 1;
        let mut defects = Vec::new();
        let first_field = self.fields.len();
        let block = scan_block(
            input,
            start,
            end,
            true,
            self.limits,
            &mut self.fields,
            &mut defects,
        )
        .unwrap_or(BlockEnd {
            header_end: end,
            body_start: end,
        });
        let fields = first_field..self.fields.len();
        let (ct_field, te_field) =
            content_fields(self.fields.get(fields.clone()).unwrap_or_default());
        let content_type = match ct_field {
            Some(f) => match parse_content_type(f.raw_value()) {
                Some(ct) => ct,
                None => {
                    defects.push(Defect::new(DefectKind::InvalidContentType, f.offset()));
                    let mut ct = ContentType::text_plain();
                    ct.params = crate::params::salvage_params(f.raw_value());
                    ct
                }
            },
            None => match default_type {
                DefaultType::TextPlain => ContentType::text_plain(),
                DefaultType::MessageRfc822 => ContentType::message_rfc822(),
            },
        };
        let transfer_encoding = match te_field {
            Some(f) => {
                let te = transfer_encoding(f);
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
        let kind = if composite && depth >= self.limits.max_depth.min(Limits::DEPTH_CEILING) {
            defects.push(Defect::new(DefectKind::TooDeep, start));
            Kind::Leaf
        } else if content_type.media_type == "multipart" {
            if !transfer_encoding.is_identity() {
                defects.push(Defect::new(
                    DefectKind::InvalidMultipartTransferEncoding,
                    start,
                ));
            }
            match content_type.param("boundary") {
                Some(b) if !b.is_empty() => {
                    let digest = content_type.subtype == "digest";
                    self.parse_multipart(body_start, end, b.as_bytes(), digest, depth, &mut defects)
                }
                _ => {
                    defects.push(Defect::new(DefectKind::MissingBoundary, start));
                    Kind::Leaf
                }
            }
        } else if composite && transfer_encoding.is_identity() {
            Kind::Message(self.parse_part(body_start, end, DefaultType::TextPlain, depth + 1))
        } else {
            if composite {
                defects.push(Defect::new(
                    DefectKind::InvalidMultipartTransferEncoding,
                    start,
                ));
            }
            if let Some(at) = long_line(
                input.get(body_start..end).unwrap_or_default(),
                self.limits.max_line_length,
            ) {
                defects.push(Defect::new(DefectKind::LineTooLong, body_start + at));
            }
            Kind::Leaf
        };
        let first_defect = self.defects.len();
        self.defects.append(&mut defects);
        self.nodes.push(Node {
            fields,
            start,
            body_start,
            end,
            content_type,
            defects: first_defect..self.defects.len(),
            kind,
            transfer_encoding,
        });
        self.nodes.len() - 1
    }
}

/// A field name [`content_fields`] looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ContentField {
    Type,
    TransferEncoding,
    Other,
}

impl ContentField {
    /// A name for the fuzz targets.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Type => "type",
            Self::TransferEncoding => "transfer-encoding",
            Self::Other => "other",
        }
    }
}

/// The first Content-Type and the first Content-Transfer-Encoding of `fields`, in one pass
/// (what `Header::get` gives for each name).
fn content_fields<'h, 'a>(
    fields: &'h [HeaderField<'a>],
) -> (Option<&'h HeaderField<'a>>, Option<&'h HeaderField<'a>>) {
    let (mut ct, mut te) = (None, None);
    for f in fields {
        match content_field(f) {
            ContentField::Type if ct.is_none() => ct = Some(f),
            ContentField::TransferEncoding if te.is_none() => te = Some(f),
            _ => continue,
        }
        if ct.is_some() && te.is_some() {
            break;
        }
    }
    (ct, te)
}

/// Which of the two names `f` has: [`content_field_fast`] where it can tell, else the
/// general comparison of the name.
fn content_field(f: &HeaderField<'_>) -> ContentField {
    content_field_fast(f.raw()).unwrap_or_else(|| content_field_general(f))
}

pub(crate) fn content_field_general(f: &HeaderField<'_>) -> ContentField {
    if f.is("content-type") {
        ContentField::Type
    } else if f.is("content-transfer-encoding") {
        ContentField::TransferEncoding
    } else {
        ContentField::Other
    }
}

/// The name of the field that `raw` (a whole field, from its name on) has, read from the raw
/// bytes a word at a time instead of two case-insensitive comparisons of the name (callgrind,
/// nested-200: ~200 instructions a part, most of the name lookups): `Some` when the first 8
/// bytes are not `content-` (in any case), so the name is neither, or when the name is one of
/// the two followed at once by its colon; `None` (ask the general way) otherwise, such as for
/// white space before the colon.
pub(crate) fn content_field_fast(raw: &[u8]) -> Option<ContentField> {
    if !raw
        .get(..8)
        .is_some_and(|head| same_any_case(head, b"content-"))
    {
        // Shorter than `content-` and its colon, or another name: neither.
        return Some(ContentField::Other);
    }
    if raw.get(12) == Some(&b':') && raw.get(8..12).is_some_and(|t| same_any_case(t, b"type")) {
        return Some(ContentField::Type);
    }
    if raw.get(25) == Some(&b':')
        && raw
            .get(8..25)
            .is_some_and(|t| same_any_case(t, b"transfer-encoding"))
    {
        return Some(ContentField::TransferEncoding);
    }
    None
}

/// Whether `value` is `pattern` (lower-case letters, digits and dashes) with its letters in
/// any case, compared 8 bytes at a time: `c | 0x20` is a lower-case letter for exactly that
/// letter in either case, and the other bytes of the pattern are compared as they are.
#[inline(always)]
fn same_any_case(value: &[u8], pattern: &[u8]) -> bool {
    fn case_mask(pattern: &[u8]) -> [u8; 8] {
        let mut mask = [0u8; 8];
        for (m, c) in mask.iter_mut().zip(pattern) {
            *m = if c.is_ascii_lowercase() { 0x20 } else { 0 };
        }
        mask
    }
    if value.len() != pattern.len() {
        return false;
    }
    let (mut v, mut p) = (value.chunks_exact(8), pattern.chunks_exact(8));
    for (a, b) in v.by_ref().zip(p.by_ref()) {
        let (Ok(a), Ok(b)) = (<[u8; 8]>::try_from(a), <[u8; 8]>::try_from(b)) else {
            return false;
        };
        let mask = u64::from_le_bytes(case_mask(&b));
        if u64::from_le_bytes(a) | mask != u64::from_le_bytes(b) {
            return false;
        }
    }
    v.remainder().iter().zip(p.remainder()).all(|(&c, &t)| {
        if t.is_ascii_lowercase() {
            c | 0x20 == t
        } else {
            c == t
        }
    })
}

/// The transfer encoding a Content-Transfer-Encoding field names: [`transfer_encoding_fast`]
/// where it can tell, else the value unfolded and read by [`TransferEncoding::parse`].
fn transfer_encoding(f: &HeaderField<'_>) -> TransferEncoding {
    transfer_encoding_fast(f.raw_value()).unwrap_or_else(|| TransferEncoding::parse(&f.unfolded()))
}

/// The value as nearly every writer puts it, one space then `quoted-printable`, `base64`,
/// `7bit` or `8bit` in any case and nothing more, compared a word at a time (callgrind,
/// nested-200: the unfolded copy and the general reading cost ~140 instructions more a part);
/// `None` for anything else.
pub(crate) fn transfer_encoding_fast(raw_value: &[u8]) -> Option<TransferEncoding> {
    let token = raw_value.strip_prefix(b" ")?;
    let te = match token.len() {
        16 if same_any_case(token, b"quoted-printable") => TransferEncoding::QuotedPrintable,
        6 if same_any_case(token, b"base64") => TransferEncoding::Base64,
        4 if same_any_case(token, b"7bit") => TransferEncoding::SevenBit,
        4 if same_any_case(token, b"8bit") => TransferEncoding::EightBit,
        _ => return None,
    };
    Some(te)
}

/// Offset of the first line longer than `max` (CRLF not counted), if any. Steps a window at a
/// time: when there is a line break at `q` within `max + 1` bytes of the line start `p`, every
/// line that starts in `p..=q` ends by `q` and so is short enough.
///
/// Most bodies long enough to matter have lines of one length (base64 and many
/// quoted-printable writers: 76 characters and a line break), so the window's break is first
/// looked for where the first line's length says it should be, `k` lines on: one byte read
/// instead of a `memrchr` call (~60 instructions; startrek.eml's 177 KB of base64 had 178 of
/// them). Any line break in the window would do, so a wrong guess costs only the `memrchr` that
/// follows it.
fn long_line(body: &[u8], max: usize) -> Option<usize> {
    if body.len() <= max {
        return None;
    }
    // The length with its line break of the first line, if within the first window.
    let window = body.get(..max + 1).unwrap_or(body);
    let stride = memchr::memchr(b'\n', window).map_or(0, |q| q + 1);
    // The furthest break `k` regular lines on that stays within the window: `k * stride - 1`
    // (0 when there is no such guess; that offset is then never a line break past `p`).
    let guess = match stride {
        0 => 0,
        s => (max + 1) / s * s - 1,
    };
    let mut p = 0;
    while p < body.len() {
        if body.len() - p <= max {
            return None;
        }
        if guess > 0 && body.get(p + guess) == Some(&b'\n') {
            p += guess + 1;
            continue;
        }
        let window = body.get(p..p + max + 1).unwrap_or_default();
        match memchr::memrchr(b'\n', window) {
            Some(q) => p += q + 1,
            None => {
                // The line at p is at least max + 1 bytes with its CR: measure it exactly.
                let rest = body.get(p..).unwrap_or_default();
                let end = memchr::memchr(b'\n', rest).map_or(body.len(), |e| p + e);
                let mut len = end - p;
                if end < body.len() && len > 0 && body.get(end - 1) == Some(&b'\r') {
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

/// Appends to `out`, in order, every position from `start` on (`start` counting as a line
/// start) where a line begins with `--`: [`mail_simd::dash_line_starts`], which compares 64
/// bytes at a time into masks of `-` and line breaks and takes the line starts from them (one
/// pass, no search per dash; base64 has no `-`, so its chunks cost one compare each).
fn dash_line_starts(input: &[u8], start: usize, out: &mut Vec<usize>) {
    mail_simd::dash_line_starts(input, start, out);
}

/// Where a boundary line is: its first byte, the first byte after its line break, and whether
/// it is the closing one.
#[derive(Clone, Copy)]
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

/// The most parts [`TreeBuilder::parse_multipart`] makes room for before it sees them.
const RESERVED_PARTS: usize = 1024;

/// The boundary line `delim` at `at` in `region` (a multipart ending at `end`), if there is
/// one: the delimiter, optionally `--` for the closing one, optional white space, a line break.
fn delimiter_at(region: &[u8], at: usize, delim: &[u8], end: usize) -> Option<Delimiter> {
    if !region.get(at..).is_some_and(|r| r.starts_with(delim)) {
        return None;
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
        Some(_) => return None,
    };
    Some(Delimiter { at, next, close })
}

impl TreeBuilder<'_, '_> {
    fn parse_multipart(
        &mut self,
        start: usize,
        end: usize,
        boundary: &[u8],
        digest: bool,
        depth: usize,
        defects: &mut Vec<Defect>,
    ) -> Kind {
        let input = self.input;
        let mut delim = Vec::with_capacity(boundary.len() + 2);
        delim.extend_from_slice(b"--");
        delim.extend_from_slice(boundary);
        let region = input.get(..end).unwrap_or(input);
        // This level's boundary lines go on the shared stack above those of the levels around
        // it, and are cut off again before returning.
        let base = self.delimiters.len();
        // The line starts with `--` come from one scan of the rest of the input, made for the
        // first multipart: the levels inside it (and the multiparts after it) look up their
        // own range instead of scanning their bytes again.
        let dash_from = *self.dash_from.get_or_insert(start);
        if dash_from == start && self.dash_lines.is_empty() {
            // Room for the lines of a message of a few parts in one allocation (growing from
            // nothing took three for startrek.eml's 14).
            self.dash_lines.reserve(16);
            dash_line_starts(input, start, &mut self.dash_lines);
            // Each part follows one of those lines, and each level's boundary lines and
            // children go on the shared stacks: room for that many up front (within the part
            // limit and a fixed bound) instead of growing the vectors step by step, which
            // for a message of ten parts was nine reallocations (callgrind, startrek.eml:
            // ~3,400 instructions a parse). "--" lines that are no boundaries only make these
            // first allocations larger.
            let parts = self
                .dash_lines
                .len()
                .min(self.limits.max_parts)
                .min(RESERVED_PARTS);
            self.nodes.reserve(parts);
            self.children.reserve(parts);
            self.child_stack.reserve(parts);
            self.delimiters.reserve(parts);
            if parts >= 16 {
                self.fields.reserve(2 * parts);
            }
        }
        if start < dash_from {
            // Not reached (parts are parsed in input order): a scan of its own.
            let mut lines = DashLines::new(region, start);
            while let Some(at) = lines.next_dash_line() {
                if let Some(d) = delimiter_at(region, at, &delim, end) {
                    self.delimiters.push(d);
                    if d.close {
                        break;
                    }
                }
            }
        } else {
            // `start` is a line start of this region even where it follows no line break (as
            // after a byte order mark): the shared scan did not see it as one.
            let own_start = (start != dash_from
                && start.checked_sub(1).and_then(|p| input.get(p)) != Some(&b'\n'))
            .then_some(start);
            let first = self.dash_lines.partition_point(|&p| p < start);
            let shared = self.dash_lines.get(first..).unwrap_or_default();
            for at in own_start
                .into_iter()
                .chain(shared.iter().copied().take_while(|&p| p < end))
            {
                if let Some(d) = delimiter_at(region, at, &delim, end) {
                    self.delimiters.push(d);
                    if d.close {
                        break;
                    }
                }
            }
        }
        let kind = self.multipart_parts(base, start, end, digest, depth, defects);
        self.delimiters.truncate(base);
        kind
    }

    /// The parts between the boundary lines `delimiters[base..]`.
    fn multipart_parts(
        &mut self,
        base: usize,
        start: usize,
        end: usize,
        digest: bool,
        depth: usize,
        defects: &mut Vec<Defect>,
    ) -> Kind {
        let input = self.input;
        // RFC 2046 5.1.1: at least one body part. A lone closing line is no multipart.
        let Some(first) = self.delimiters.get(base).filter(|d| !d.close) else {
            defects.push(Defect::new(DefectKind::NoBoundaryFound, start));
            return Kind::Leaf;
        };
        let preamble = start..before_break(input, first.at, start);
        let closed = self.delimiters.last().is_some_and(|d| d.close);
        if !closed {
            defects.push(Defect::new(DefectKind::MissingCloseBoundary, end));
        }
        let child_base = self.child_stack.len();
        let mut epilogue = end..end;
        let mut k = base;
        while let Some(&d) = self.delimiters.get(k) {
            if d.close {
                epilogue = d.next..end;
                break;
            }
            let part_end = match self.delimiters.get(k + 1) {
                Some(n) => before_break(input, n.at, d.next),
                None => end,
            };
            if self.parts >= self.limits.max_parts {
                defects.push(Defect::new(DefectKind::TooManyParts, d.at));
                epilogue = d.at..end;
                break;
            }
            let default = if digest {
                DefaultType::MessageRfc822
            } else {
                DefaultType::TextPlain
            };
            let child = self.parse_part(d.next, part_end, default, depth + 1);
            self.child_stack.push(child);
            k += 1;
        }
        let first_child = self.children.len();
        self.children.extend(self.child_stack.drain(child_base..));
        self.multiparts.push(MultipartNode {
            preamble,
            epilogue,
            children: first_child..self.children.len(),
        });
        Kind::Multipart(self.multiparts.len() - 1)
    }
}

impl<'m, 'a> Part<'m, 'a> {
    /// The header fields.
    pub fn header(&self) -> Header<'m, 'a> {
        Header::new(
            self.msg
                .fields
                .get(self.node.fields.clone())
                .unwrap_or_default(),
        )
    }

    /// The header in the input, the empty line after it included (IMAP `HEADER` / `MIME`).
    pub fn header_range(&self) -> Range<usize> {
        self.node.start..self.node.body_start
    }

    /// The body in the input (IMAP `TEXT`, or the part's content for a leaf).
    pub fn body_range(&self) -> Range<usize> {
        self.node.body_start..self.node.end
    }

    /// The raw header bytes.
    pub fn raw_header(&self) -> &'a [u8] {
        self.msg.input.get(self.header_range()).unwrap_or_default()
    }

    /// The raw (still transfer-encoded) body bytes.
    pub fn raw_body(&self) -> &'a [u8] {
        self.msg.input.get(self.body_range()).unwrap_or_default()
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
    pub fn content_type(&self) -> &'m ContentType<'a> {
        &self.node.content_type
    }

    /// The Content-Transfer-Encoding (7bit when missing).
    pub fn transfer_encoding(&self) -> TransferEncoding {
        self.node.transfer_encoding
    }

    /// The body's shape.
    pub fn body(&self) -> Body<'m, 'a> {
        match self.node.kind {
            Kind::Leaf => Body::Leaf,
            Kind::Multipart(i) => match self.msg.multiparts.get(i) {
                Some(m) => Body::Multipart(Multipart {
                    msg: self.msg,
                    preamble: &m.preamble,
                    epilogue: &m.epilogue,
                    children: self
                        .msg
                        .children
                        .get(m.children.clone())
                        .unwrap_or_default(),
                }),
                // Not reached: every index was returned by a push onto `multiparts`.
                None => Body::Leaf,
            },
            Kind::Message(i) => Body::Message(self.msg.part(i)),
        }
    }

    /// What was wrong with this part (not its children).
    pub fn defects(&self) -> &'m [Defect] {
        self.msg
            .defects
            .get(self.node.defects.clone())
            .unwrap_or_default()
    }

    /// The Content-Disposition, if present and valid.
    pub fn disposition(&self) -> Option<ContentDisposition<'a>> {
        let f = self.header().get("content-disposition")?;
        parse_content_disposition(f.raw_value())
    }

    /// The file name: Content-Disposition `filename`, else Content-Type `name`.
    pub fn filename(&self) -> Option<String> {
        if let Some(d) = self.disposition() {
            if let Some(f) = d.filename() {
                return Some(f.to_owned());
            }
        }
        self.node.content_type.param("name").map(str::to_owned)
    }

    /// The `charset` parameter, if any.
    pub fn charset(&self) -> Option<&'m str> {
        // The parser stores parameter names in lower case: compared as they are, not by
        // `ContentType::param`'s case-insensitive comparison (~40 instructions a call).
        self.node
            .content_type
            .params
            .iter()
            .find(|(name, _)| name == "charset")
            .map(|(_, value)| value.as_ref())
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
        let (ok, kind) = match self.node.transfer_encoding {
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
        let defect = (!ok).then(|| Defect::new(kind, self.node.body_start));
        (Cow::Owned(out), defect)
    }

    /// For `text/*` parts, the body decoded to UTF-8: transfer encoding undone, then the
    /// charset (a missing charset reads valid UTF-8 as UTF-8 and anything else as
    /// windows-1252). `None` for other types.
    pub fn text(&self) -> Option<Cow<'a, str>> {
        if self.node.content_type.media_type != "text" {
            return None;
        }
        if self.node.transfer_encoding == TransferEncoding::QuotedPrintable {
            if let Some(text) = self.quoted_printable_text() {
                return Some(Cow::Owned(text));
            }
        }
        Some(decode_charset(self.decoded_body(), self.charset()))
    }

    /// The fast way of [`text`](Self::text) for quoted-printable UTF-8 (or ASCII in an
    /// ASCII-compatible charset): decoded straight to text, without checking the output as
    /// UTF-8 again. `None` when the general way must be taken (another charset with bytes
    /// outside ASCII, invalid UTF-8, a character cut by a soft line break).
    fn quoted_printable_text(&self) -> Option<String> {
        let ascii_only = match self.charset() {
            None => false,
            // `utf-8` as it is needs no trim and no lookup.
            Some(label) if crate::charset::is_utf8_label(label) => false,
            Some(label) => {
                let encoding = crate::charset::lookup(label.trim())?;
                if encoding == encoding_rs::UTF_8 {
                    false
                } else if encoding.is_ascii_compatible() {
                    true
                } else {
                    return None;
                }
            }
        };
        let raw = crate::charset::utf8(self.raw_body())?;
        if ascii_only && !raw.is_ascii() {
            return None;
        }
        // Allocated at its size at once (the decoder's `reserve` then finds room): an empty
        // string reserved later takes the growth path, ~75 instructions more (callgrind).
        let mut text = String::with_capacity(raw.len());
        crate::decode::quoted_printable_decode_str(raw, ascii_only, &mut text)?;
        Some(text)
    }

    /// Calls `f` on this part and every part below it, depth first.
    pub fn visit(&self, f: &mut dyn FnMut(Self)) {
        f(*self);
        match self.body() {
            Body::Multipart(m) => m.parts().for_each(|p| p.visit(f)),
            Body::Message(m) => m.visit(f),
            Body::Leaf => {}
        }
    }

    /// Writes the part back from its ranges and children.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        let input = self.msg.input;
        let full = self.node.start..self.node.end;
        let mut pos = full.start;
        let mut write_child = |c: Self, out: &mut Vec<u8>| {
            let cs = c.node.start;
            out.extend_from_slice(input.get(pos..cs).unwrap_or_default());
            c.write_to(out);
            pos = c.node.end;
        };
        match self.body() {
            Body::Multipart(m) => m.parts().for_each(|c| write_child(c, out)),
            Body::Message(m) => write_child(m, out),
            Body::Leaf => {}
        }
        out.extend_from_slice(input.get(pos..full.end).unwrap_or_default());
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
    use super::{DashLines, Kind, TreeBuilder};
    use crate::Limits;

    /// Every field of a header made of `names`, each with a short value.
    fn fields_named(names: &[Vec<u8>]) -> Vec<(Vec<u8>, super::ContentField)> {
        let mut block = Vec::new();
        for n in names {
            block.extend_from_slice(n);
            block.extend_from_slice(b": x\r\n");
        }
        block.extend_from_slice(b"\r\n");
        let crate::Status::Complete(parsed, _) =
            crate::header::parse_header_block(&block, &Limits::default())
        else {
            panic!("incomplete header {block:?}");
        };
        parsed
            .header()
            .iter()
            .map(|f| {
                // The fast reading, where it answers, is the general one.
                let general = super::content_field_general(f);
                if let Some(fast) = super::content_field_fast(f.raw()) {
                    assert_eq!(fast, general, "{:?}", f.raw());
                }
                assert_eq!(super::content_field(f), general);
                (f.raw().to_vec(), general)
            })
            .collect()
    }

    #[test]
    fn content_field_names_fast_and_general() {
        use super::ContentField::{Other, TransferEncoding, Type};
        let names: Vec<Vec<u8>> = [
            &b"Content-Type"[..],
            b"content-type",
            b"CONTENT-TYPE",
            b"cOnTeNt-tYpE",
            b"Content-Transfer-Encoding",
            b"CONTENT-TRANSFER-ENCODING",
            b"Content-Type ",
            b"Content-Type\t",
            b"Content-Transfer-Encoding ",
            b"Content-Typ",
            b"Content-Types",
            b"Content-Typf",
            b"Content_Type",
            b"Content-Transfer-Encodin",
            b"Content-Transfer-Encodings",
            b"Content-Transfer_Encoding",
            b"Content-Disposition",
            b"Content-",
            b"Content",
            b"C",
            b"Subject",
            b"Kontent-Type",
            b"Content-Type-Extra",
        ]
        .iter()
        .map(|n| n.to_vec())
        .collect();
        let read = fields_named(&names);
        let kinds: Vec<_> = read.iter().map(|(_, k)| *k).collect();
        assert_eq!(
            &kinds[..9],
            [
                Type,
                Type,
                Type,
                Type,
                TransferEncoding,
                TransferEncoding,
                Type,
                Type,
                TransferEncoding
            ]
        );
        assert!(kinds[9..].iter().all(|&k| k == Other));
        // The fast reading answers for the usual spellings and leaves white space before the
        // colon to the general one.
        assert_eq!(
            super::content_field_fast(b"Content-Type: text/plain"),
            Some(Type)
        );
        assert_eq!(
            super::content_field_fast(b"Content-Type : text/plain"),
            None
        );
        assert_eq!(super::content_field_fast(b"Subject: x"), Some(Other));
        // Every letter of the two names swapped for its neighbours and its other case.
        for name in [&b"Content-Type"[..], b"Content-Transfer-Encoding"] {
            let mut names = Vec::new();
            for i in 0..name.len() {
                for c in [name[i] ^ 0x20, name[i] + 1, name[i] - 1, name[i] ^ 0x01] {
                    if (33..127).contains(&c) && c != b':' {
                        let mut n = name.to_vec();
                        n[i] = c;
                        names.push(n);
                    }
                }
            }
            fields_named(&names);
        }
    }

    /// The fast reading of Content-Transfer-Encoding answers for the usual values and then
    /// says what the general reading (unfold, then `TransferEncoding::parse`) says.
    #[test]
    fn transfer_encoding_fast_and_general() {
        use crate::params::TransferEncoding;
        let general = |v: &[u8]| TransferEncoding::parse(&crate::header::unfold(v));
        let mut values: Vec<Vec<u8>> = Vec::new();
        for token in [
            &b"quoted-printable"[..],
            b"base64",
            b"7bit",
            b"8bit",
            b"binary",
            b"x-uuencode",
        ] {
            for v in [
                [&b" "[..], token].concat(),
                [&b" "[..], &token.to_ascii_uppercase()].concat(),
                [&b"  "[..], token].concat(),
                [&b"\t"[..], token].concat(),
                [&b" "[..], token, b" "].concat(),
                [&b" "[..], token, b" (comment)"].concat(),
                [&b"\r\n "[..], token].concat(),
                token.to_vec(),
            ] {
                // And every byte of the token changed to its neighbours and its other case.
                for i in 1..v.len() {
                    for c in [
                        v[i] ^ 0x20,
                        v[i].wrapping_add(1),
                        v[i].wrapping_sub(1),
                        v[i] ^ 0x10,
                    ] {
                        let mut w = v.clone();
                        w[i] = c;
                        values.push(w);
                    }
                }
                values.push(v);
            }
        }
        let mut fast = 0;
        for v in &values {
            if let Some(te) = super::transfer_encoding_fast(v) {
                fast += 1;
                assert_eq!(te, general(v), "{v:?}");
            }
        }
        assert!(fast >= 8, "the usual values take the fast way");
        assert_eq!(
            super::transfer_encoding_fast(b" Quoted-Printable"),
            Some(TransferEncoding::QuotedPrintable)
        );
        assert_eq!(super::transfer_encoding_fast(b" base64 "), None);
        assert_eq!(super::transfer_encoding_fast(b" binary"), None);
    }

    /// A part record stays small: the Content-Type and 80 bytes (232 bytes in all when this
    /// was written), not the ranges only multiparts have nor a vector per part.
    #[test]
    fn part_record_is_small() {
        let node = std::mem::size_of::<super::Node<'_>>();
        let content_type = std::mem::size_of::<crate::params::ContentType<'_>>();
        assert!(node <= content_type + 80, "{node} bytes");
    }

    /// The charset of a part is the `charset` parameter however its name was written.
    #[test]
    fn charset_is_the_parameter_in_any_case() {
        for (field, want) in [
            ("text/plain; charset=utf-8", Some("utf-8")),
            ("text/plain; CharSet=\"ISO-8859-1\"", Some("ISO-8859-1")),
            ("text/plain; CHARSET*=utf-8''x; format=flowed", Some("x")),
            (
                "text/plain; format=flowed; charset=us-ascii",
                Some("us-ascii"),
            ),
            ("text/plain; format=flowed", None),
            ("text/plain; charset=a; charset=b", Some("a")),
            ("garbage; Charset=koi8-r", Some("koi8-r")),
        ] {
            let input = format!("Content-Type: {field}\r\n\r\nbody");
            let msg = crate::Message::parse(input.as_bytes());
            let root = msg.root();
            assert_eq!(root.charset(), want, "{field}");
            assert_eq!(
                root.charset(),
                root.content_type().param("charset"),
                "{field}"
            );
        }
    }

    /// The word-at-a-time comparison is the byte-by-byte one (letters in any case, other
    /// bytes exact) for every byte value at every place of each pattern it is used with.
    #[test]
    fn same_any_case_is_a_plain_comparison() {
        let plain = |v: &[u8], p: &[u8]| {
            v.len() == p.len()
                && v.iter().zip(p).all(|(&c, &t)| {
                    if t.is_ascii_alphabetic() {
                        c.eq_ignore_ascii_case(&t)
                    } else {
                        c == t
                    }
                })
        };
        for pattern in [
            &b"content-"[..],
            b"type",
            b"transfer-encoding",
            b"quoted-printable",
            b"base64",
            b"7bit",
            b"8bit",
        ] {
            for i in 0..pattern.len() {
                for c in 0..=255u8 {
                    let mut v = pattern.to_vec();
                    v[i] = c;
                    assert_eq!(
                        super::same_any_case(&v, pattern),
                        plain(&v, pattern),
                        "{v:?}"
                    );
                }
            }
            assert!(super::same_any_case(&pattern.to_ascii_uppercase(), pattern));
            assert!(!super::same_any_case(&pattern[1..], pattern));
        }
    }

    /// The first Content-Type and Content-Transfer-Encoding are what `Header::get` finds.
    #[test]
    fn content_fields_are_the_first_of_each() {
        let input = b"X: 1\r\ncontent-transfer-encoding: base64\r\nContent-Type: text/html\r\nContent-Type: text/plain\r\nCONTENT-TRANSFER-ENCODING: 7bit\r\n\r\n";
        let crate::Status::Complete(block, _) =
            crate::header::parse_header_block(input, &Limits::default())
        else {
            panic!("incomplete");
        };
        let header = block.header();
        let (ct, te) = super::content_fields(header.fields());
        assert_eq!(
            ct.map(|f| f.offset()),
            header.get("content-type").map(|f| f.offset())
        );
        assert_eq!(
            te.map(|f| f.offset()),
            header.get("content-transfer-encoding").map(|f| f.offset())
        );
        assert_eq!(super::content_fields(&header.fields()[..1]), (None, None));
    }

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
    fn quoted_printable_text_fast_way_and_general_way_agree() {
        use super::Message;
        // (charset, body, text): the fast way takes UTF-8 and ASCII; the general way takes
        // bytes of another charset, invalid UTF-8 (replaced as before), a character cut by a
        // soft line break, and a UTF-16 charset.
        let long = "=C3=BC".repeat(40);
        let cases: [(Option<&str>, &str, String); 11] = [
            (
                Some("utf-8"),
                "Gr=C3=BC=C3=9Fe aus K=C3=B6ln=\r\n!  \r\n",
                "Grüße aus Köln!\r\n".into(),
            ),
            (None, "caf=C3=A9 au lait", "café au lait".into()),
            (Some("us-ascii"), "a=3Db =\r\nc", "a=b c".into()),
            (Some("iso-8859-1"), "caf=E9", "café".into()),
            (None, "caf=E9", "café".into()),
            (Some("utf-8"), "caf=FF!", "caf\u{fffd}!".into()),
            (Some("utf-8"), "Gr=C3=\r\n=BC=C3=9Fe", "Grüße".into()),
            (Some("utf-8"), "raw é and =C3=A9", "raw é and é".into()),
            (Some("iso-8859-1"), "raw é", "raw Ã©".into()),
            (Some("utf-8"), &long, "ü".repeat(40)),
            (Some("utf-16le"), "a=00", "a".into()),
        ];
        for (charset, body, want) in cases {
            let ct = charset.map_or(String::new(), |c| format!("; charset={c}"));
            let m = format!("Content-Type: text/plain{ct}\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n{body}");
            let msg = Message::parse(m.as_bytes());
            let part = msg.root();
            assert_eq!(
                part.text().as_deref(),
                Some(want.as_str()),
                "{charset:?} {body:?}"
            );
            // The general way gives the same.
            let general = super::decode_charset(part.decoded_body(), part.charset());
            assert_eq!(general, want, "{charset:?} {body:?}");
        }
    }

    /// A builder over `input` whose shared scan of `--` lines began at `dash_from`.
    fn builder<'a, 'l>(input: &'a [u8], limits: &'l Limits) -> TreeBuilder<'a, 'l> {
        TreeBuilder {
            input,
            limits,
            parts: 0,
            nodes: Vec::new(),
            fields: Vec::new(),
            children: Vec::new(),
            child_stack: Vec::new(),
            delimiters: Vec::new(),
            dash_from: None,
            dash_lines: Vec::new(),
            multiparts: Vec::new(),
            defects: Vec::new(),
        }
    }

    /// The boundary lines a multipart at `start` finds: through the shared scan made for it
    /// (the usual path), through a shared scan made for an earlier multipart (a region that
    /// starts after no line break sees its start still as a line start), and through a scan of
    /// its own (a region before the shared scan's start) all agree.
    #[test]
    fn shared_dash_line_scan_and_its_fallbacks_find_the_same_parts() {
        let limits = Limits::default();
        let input: &[u8] = b"x--b\r\n--b\r\n\r\none\r\n--b \r\n\r\n-- two\r\n--bb\r\n--b--\r\ntail";
        let summary = |b: &TreeBuilder<'_, '_>, kind: &Kind| match kind {
            Kind::Multipart(m) => {
                let m = &b.multiparts[*m];
                let bodies: Vec<_> = b.children[m.children.clone()]
                    .iter()
                    .map(|&i| b.nodes[i].body_start..b.nodes[i].end)
                    .collect();
                (m.preamble.clone(), m.epilogue.clone(), bodies)
            }
            _ => panic!("not a multipart: {kind:?}"),
        };
        // From 1, a start that follows no line break: "--b" right there is a boundary line.
        let mut fresh = builder(input, &limits);
        let want = fresh.parse_multipart(1, input.len(), b"b", false, 0, &mut Vec::new());
        let want = summary(&fresh, &want);
        assert_eq!(want.2.len(), 3, "{want:?}");
        assert_eq!(&input[want.1.clone()], b"tail");
        // The shared scan began at 0: the start at 1 is no line start of it.
        let mut shared = builder(input, &limits);
        shared.parse_multipart(0, 0, b"none", false, 0, &mut Vec::new());
        assert_eq!(shared.dash_from, Some(0));
        let got = shared.parse_multipart(1, input.len(), b"b", false, 0, &mut Vec::new());
        assert_eq!(summary(&shared, &got), want);
        // The shared scan began after the start: a scan of its own.
        let mut own = builder(input, &limits);
        own.dash_from = Some(5);
        own.dash_lines = vec![6];
        let got = own.parse_multipart(1, input.len(), b"b", false, 0, &mut Vec::new());
        assert_eq!(summary(&own, &got), want);
        assert_eq!(own.dash_lines, [6], "the shared scan is not redone");
    }

    /// Every line start from `start` on (`start` counting as one) that begins with `--`, byte
    /// by byte: what `dash_line_starts` must find.
    fn plain_dash_line_starts(region: &[u8], start: usize) -> Vec<usize> {
        (start..region.len())
            .filter(|&i| region[i..].starts_with(b"--") && (i == start || region[i - 1] == b'\n'))
            .collect()
    }

    /// `dash_line_starts` from `start` finds what the plain scan finds.
    fn assert_scan_is_plain(region: &[u8], start: usize) {
        let mut got = Vec::new();
        super::dash_line_starts(region, start, &mut got);
        assert_eq!(
            got,
            plain_dash_line_starts(region, start),
            "{region:?} from {start}"
        );
    }

    #[test]
    fn dash_line_starts_match_a_plain_scan() {
        let mut seed = 5u32;
        for _ in 0..3000 {
            let mut region = Vec::new();
            let n = (seed % 150) as usize;
            for _ in 0..n {
                seed = crate::test_rng::step(seed);
                region.push(match seed >> 29 {
                    0..=2 => b'-',
                    3 | 4 => b'\n',
                    5 => b'\r',
                    _ => b'a',
                });
            }
            for start in [0, 1, n / 2] {
                let start = start.min(region.len());
                assert_scan_is_plain(&region, start);
            }
            seed = seed.wrapping_add(1);
        }
    }

    /// The shape of a large message's bulk: runs of base64 lines of one length (CRLF or LF),
    /// with `--` lines after them, dashes at line starts and inside lines, and runs broken by a
    /// longer or shorter line, including a short line and a `--` line whose lengths add up to
    /// one regular line (a last base64 line and a boundary line: a scan that only looked at
    /// each regular line's first and last byte would step over that boundary).
    #[test]
    fn dash_line_starts_match_a_plain_scan_on_regular_lines() {
        let mut seed = 17u32;
        let mut next = |n: u32| crate::test_rng::below(&mut seed, n);
        for _ in 0..1500 {
            let crlf = next(2) == 0;
            let brk: &[u8] = if crlf { b"\r\n" } else { b"\n" };
            // Line lengths with the line break, as base64 bodies have them (78/73) and short.
            let len = [78, 73, 6, 3, 2][next(5) as usize].max(brk.len() + 1);
            let line = |fill: u8, n: usize, out: &mut Vec<u8>| {
                out.extend(std::iter::repeat_n(fill, n - brk.len()));
                out.extend_from_slice(brk);
            };
            let mut region = Vec::new();
            for _ in 0..next(12) {
                match next(9) {
                    // A run of regular lines.
                    0..=2 => {
                        for _ in 0..next(6) {
                            line(b'A', len, &mut region);
                        }
                    }
                    // A `--` line, or a line of one `-`.
                    3 => {
                        region.extend_from_slice(if next(3) == 0 { b"-" } else { b"--b" });
                        region.extend_from_slice(brk);
                    }
                    // A dash inside a regular line.
                    4 => {
                        let from = region.len();
                        let last = from + len - brk.len() - 1;
                        let at = (from + 1 + next((len - brk.len() - 1) as u32) as usize).min(last);
                        line(b'A', len, &mut region);
                        region[at] = b'-';
                    }
                    // A short line and a `--` line as long as one regular line together.
                    5 if len > 2 * brk.len() + 3 => {
                        let short = brk.len() + 1 + next((len - 2 * brk.len() - 3) as u32) as usize;
                        line(b'=', short, &mut region);
                        region.extend_from_slice(b"--");
                        line(b'b', len - short - 2, &mut region);
                    }
                    // A longer or a shorter line.
                    6 => line(b'A', len + 1, &mut region),
                    7 => line(b'A', (len - 1).max(brk.len() + 1), &mut region),
                    // Dashes right after a run, without a line break at the end.
                    _ => region.extend_from_slice(b"--"),
                }
            }
            for start in [0, 1, region.len() / 2] {
                let start = start.min(region.len());
                assert_scan_is_plain(&region, start);
                // The scan each multipart makes of its own where the shared one is behind.
                let mut lines = super::DashLines::new(&region, start);
                let dashes: Vec<_> = std::iter::from_fn(|| lines.next_dash_line())
                    .filter(|&p| region.get(p + 1) == Some(&b'-'))
                    .collect();
                assert_eq!(
                    dashes,
                    plain_dash_line_starts(&region, start),
                    "{region:?} from {start}"
                );
            }
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
                seed = crate::test_rng::step(seed);
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
        use long_line_plain as plain;
        let mut seed = 7u32;
        for _ in 0..3000 {
            let mut body = Vec::new();
            let n = (seed % 200) as usize;
            for _ in 0..n {
                seed = crate::test_rng::step(seed);
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

    /// The first line longer than `max` (CR before LF not counted), one byte at a time.
    fn long_line_plain(body: &[u8], max: usize) -> Option<usize> {
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

    /// Bodies of lines of one length (where long_line reads one byte a window) around the
    /// limit, LF or CRLF, with one line of another length first, last or in the middle, a
    /// missing last line break, or a CR alone: the same as the plain scan.
    #[test]
    fn long_line_of_regular_lines_matches_a_plain_scan() {
        let mut seed = 3u32;
        let mut next = |n: u32| crate::test_rng::below(&mut seed, n);
        let mut checked = 0;
        for max in [0usize, 1, 2, 5, 9, 16, 40, 76, 77, 78, 998] {
            let near = [
                1,
                2,
                3,
                max / 3,
                max / 2,
                max.saturating_sub(2),
                max.saturating_sub(1),
                max,
                max + 1,
                max + 2,
                max + 3,
            ];
            for &len in &near {
                for crlf in [false, true] {
                    for _ in 0..12 {
                        let lines = 1 + next(3 * (max as u32 + 3) / (len as u32 + 1) + 8) as usize;
                        let odd_line = match next(4) {
                            0 => 0,
                            1 => lines - 1,
                            2 => next(lines as u32) as usize,
                            _ => usize::MAX,
                        };
                        let odd_len = near[next(near.len() as u32) as usize];
                        let mut body = Vec::new();
                        for i in 0..lines {
                            let n = if i == odd_line { odd_len } else { len };
                            body.extend(std::iter::repeat_n(b'A', n));
                            if crlf {
                                body.push(b'\r');
                            }
                            body.push(b'\n');
                        }
                        match next(4) {
                            0 => {
                                body.pop();
                            }
                            1 if !body.is_empty() => {
                                let at = next(body.len() as u32) as usize;
                                body[at] = b'\r';
                            }
                            _ => {}
                        }
                        assert_eq!(
                            long_line(&body, max),
                            long_line_plain(&body, max),
                            "max {max}, {lines} lines of {len} (line {odd_line}: {odd_len}), crlf {crlf}: {body:?}"
                        );
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 2000);
    }
}

//! The header block: fields in order, raw and unfolded, with case-insensitive lookup.

use std::borrow::Cow;

use crate::defect::{Defect, DefectKind};
use crate::Limits;

/// One header field, borrowing the input.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct HeaderField<'a> {
    raw_value: &'a [u8],
    /// Starts with the name: printable ASCII (the scan checks it), `name_len` bytes, kept as
    /// bytes (a lookup compares bytes, and only [`name`](Self::name) pays for the conversion to
    /// `str`). A length instead of a second slice makes a field 48 bytes, not 56, so a header
    /// of 20 fields fits the allocator's per-thread cache.
    raw: &'a [u8],
    offset: usize,
    /// Under 4 GiB: the scan ends the header at a longer name.
    name_len: u32,
    /// Whether `raw_value` holds no CR and no LF (one line, no bare CR), as the scan found
    /// while looking for the line's end: [`unfolded`](Self::unfolded) is then the value
    /// without its leading white space, found without reading the value again.
    one_line: bool,
}

impl std::fmt::Debug for HeaderField<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HeaderField")
            .field("name", &self.name())
            .field("raw_value", &self.raw_value)
            .field("raw", &self.raw)
            .field("offset", &self.offset)
            .finish()
    }
}

impl<'a> HeaderField<'a> {
    /// The field name as written (ASCII; compare with [`str::eq_ignore_ascii_case`]).
    pub fn name(&self) -> &'a str {
        let name = self.name_bytes();
        match known_name(name) {
            Some(name) => name,
            None => crate::charset::utf8(name).unwrap_or_default(),
        }
    }

    fn name_bytes(&self) -> &'a [u8] {
        self.raw.get(..self.name_len as usize).unwrap_or_default()
    }

    /// The bytes after the colon, folding line breaks included, final line break excluded.
    pub fn raw_value(&self) -> &'a [u8] {
        self.raw_value
    }

    /// The whole field as it was in the input, from the name to the final line break inclusive.
    pub fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// Byte offset of the field's first byte in the parsed input.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The value unfolded (RFC 5322 2.2.3: every CR and LF removed, the white space after them
    /// kept) with the white space after the colon removed.
    pub fn unfolded(&self) -> Cow<'a, [u8]> {
        if self.one_line {
            return Cow::Borrowed(trim_start_fws(self.raw_value));
        }
        unfold(self.raw_value)
    }

    /// The value unfolded and RFC 2047-decoded, as unstructured text (RFC 6532 UTF-8 read as is;
    /// other non-ASCII bytes replaced with U+FFFD).
    pub fn text(&self) -> Cow<'a, str> {
        let value = trim_start_fws(self.raw_value);
        // The usual value: one line (the scan found no CR or LF in it) of ASCII with no `=`
        // at all, so no encoded-word; the text is the value, found with one test a word.
        if self.one_line {
            if let Some(text) = mail_simd::short_ascii_without(value, b'=') {
                return Cow::Borrowed(text);
            }
        }
        // A short value with a lone `=` or UTF-8: one line with no "=?", found in one pass;
        // the text is the value when it is UTF-8.
        if is_short_plain_line(value) {
            if let Some(text) = crate::charset::utf8(value) {
                return Cow::Borrowed(text);
            }
        }
        match self.unfolded() {
            // One line with no encoded-word: the text is the value, when it is UTF-8.
            Cow::Borrowed(b) if !crate::rfc2047::has_encoded_word_start(b) => {
                match crate::charset::utf8(b) {
                    Some(text) => Cow::Borrowed(text),
                    None => crate::rfc2047::decode_text(b).0,
                }
            }
            Cow::Borrowed(b) => crate::rfc2047::decode_text(b).0,
            // A folded value with no encoded-word becomes the text without a second copy.
            Cow::Owned(b) if !crate::rfc2047::has_encoded_word_start(&b) => {
                Cow::Owned(crate::charset::lossy_string_owned(b))
            }
            Cow::Owned(b) => Cow::Owned(crate::rfc2047::decode_text(&b).0.into_owned()),
        }
    }

    /// Like [`text`](Self::text), with the defects found while decoding (each at this field's
    /// offset).
    pub fn text_with_defects(&self) -> (String, Vec<Defect>) {
        let unfolded = unfold(self.raw_value);
        let (text, kinds) = crate::rfc2047::decode_text(&unfolded);
        let defects = kinds
            .into_iter()
            .map(|k| Defect::new(k, self.offset))
            .collect();
        (text.into_owned(), defects)
    }

    /// What is wrong with this field's value, read by the grammar its name calls for: the
    /// address fields (RFC 5322 3.6.2, 3.6.3, 3.6.6), the dates (3.6.1, 3.6.6), the
    /// identification fields (3.6.4), the MIME fields (RFC 2045, RFC 2183), and for every other
    /// field its RFC 2047 encoded-words. Each defect carries this field's offset. An empty list
    /// means the value follows the current (not obsolete) grammar.
    ///
    /// ```
    /// use mail_message::{DefectKind, Message};
    /// let msg = Message::parse(b"To: Mary Smith <@node.test:mary@example.net>\r\nDate: someday\r\n\r\n");
    /// let kinds: Vec<Vec<DefectKind>> = msg.header().iter()
    ///     .map(|f| f.value_defects().iter().map(|d| d.kind).collect())
    ///     .collect();
    /// assert_eq!(kinds, [vec![DefectKind::ObsoleteSyntax], vec![DefectKind::InvalidStructuredField]]);
    /// ```
    pub fn value_defects(&self) -> Vec<Defect> {
        let at = |kind| Defect::new(kind, self.offset);
        let value = self.unfolded();
        let name = self.name();
        let is = |s: &str| name.eq_ignore_ascii_case(s);
        let resent = name.len() > 7 && name[..7].eq_ignore_ascii_case("resent-");
        let base = if resent { &name[7..] } else { name };
        let base_is = |s: &str| base.eq_ignore_ascii_case(s);
        let mut out = Vec::new();
        if ["from", "sender", "reply-to", "to", "cc", "bcc"]
            .iter()
            .any(|n| base_is(n))
        {
            let list = crate::address::parse_address_list(&value);
            if list.malformed || (list.addresses.is_empty() && !base_is("bcc")) {
                out.push(at(DefectKind::InvalidStructuredField));
            }
            if list.obsolete {
                out.push(at(DefectKind::ObsoleteSyntax));
            }
        } else if base_is("date") {
            match crate::date::parse_date(&value) {
                None => out.push(at(DefectKind::InvalidStructuredField)),
                Some(d) if d.obsolete => out.push(at(DefectKind::ObsoleteSyntax)),
                Some(_) => {}
            }
        } else if base_is("message-id") || is("in-reply-to") || is("references") {
            let (ids, obsolete) = crate::params::parse_message_ids(&value);
            if ids.is_empty() {
                out.push(at(DefectKind::InvalidStructuredField));
            } else if obsolete {
                out.push(at(DefectKind::ObsoleteSyntax));
            }
        } else if is("content-type") {
            if crate::params::parse_content_type(&value).is_none() {
                out.push(at(DefectKind::InvalidContentType));
            }
        } else if is("content-disposition") {
            if crate::params::parse_content_disposition(&value).is_none() {
                out.push(at(DefectKind::InvalidStructuredField));
            }
        } else if is("content-transfer-encoding") {
            if crate::params::TransferEncoding::parse(&value)
                == crate::params::TransferEncoding::Unknown
            {
                out.push(at(DefectKind::UnknownTransferEncoding));
            }
        } else {
            let (_, kinds) = crate::rfc2047::decode_text(&value);
            out.extend(kinds.into_iter().map(at));
        }
        out
    }

    /// Which of the fields this crate reads by their grammar this one is (in any case), so a
    /// reader can dispatch with one `match` instead of comparing the name with each.
    ///
    /// ```
    /// use mail_message::header::FieldName;
    /// use mail_message::Message;
    /// let msg = Message::parse(b"SUBJECT: hi\r\nX-Mailer: m\r\n\r\n");
    /// let names: Vec<FieldName> = msg.header().iter().map(|f| f.field_name()).collect();
    /// assert_eq!(names, [FieldName::Subject, FieldName::Other]);
    /// ```
    #[inline]
    pub fn field_name(&self) -> FieldName {
        FieldName::of(self.name_bytes())
    }

    /// Whether the field's name is `name`, ignoring ASCII case.
    pub fn is(&self, name: &str) -> bool {
        self.name_bytes().eq_ignore_ascii_case(name.as_bytes())
    }
}

/// The fields [`HeaderField::field_name`] tells apart: the ones RFC 5322, RFC 2045 and RFC 2183
/// give a grammar, and the trace fields. Anything else is [`Other`](Self::Other).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FieldName {
    /// `From` (RFC 5322 3.6.2).
    From,
    /// `Sender` (RFC 5322 3.6.2).
    Sender,
    /// `Reply-To` (RFC 5322 3.6.2).
    ReplyTo,
    /// `To` (RFC 5322 3.6.3).
    To,
    /// `Cc` (RFC 5322 3.6.3).
    Cc,
    /// `Bcc` (RFC 5322 3.6.3).
    Bcc,
    /// `Date` (RFC 5322 3.6.1).
    Date,
    /// `Message-ID` (RFC 5322 3.6.4).
    MessageId,
    /// `In-Reply-To` (RFC 5322 3.6.4).
    InReplyTo,
    /// `References` (RFC 5322 3.6.4).
    References,
    /// `Subject` (RFC 5322 3.6.5).
    Subject,
    /// `Comments` (RFC 5322 3.6.5).
    Comments,
    /// `Keywords` (RFC 5322 3.6.5).
    Keywords,
    /// `Received` (RFC 5322 3.6.7).
    Received,
    /// `Return-Path` (RFC 5322 3.6.7).
    ReturnPath,
    /// `MIME-Version` (RFC 2045 4).
    MimeVersion,
    /// `Content-Type` (RFC 2045 5).
    ContentType,
    /// `Content-Transfer-Encoding` (RFC 2045 6).
    ContentTransferEncoding,
    /// `Content-ID` (RFC 2045 7).
    ContentId,
    /// `Content-Description` (RFC 2045 8).
    ContentDescription,
    /// `Content-Disposition` (RFC 2183).
    ContentDisposition,
    /// Any other name.
    Other,
}

impl FieldName {
    /// The field a name (in any case) names. The usual spellings are one `match`; another
    /// case is lower-cased on the stack and looked up again.
    pub fn of(name: &[u8]) -> Self {
        if let Some(known) = Self::usual_spelling(name).or_else(|| Self::lower_case(name)) {
            return known;
        }
        // No known name is longer than 25 bytes.
        let mut buf = [0u8; 25];
        let Some(lower) = buf.get_mut(..name.len()) else {
            return Self::Other;
        };
        for (l, c) in lower.iter_mut().zip(name) {
            *l = c.to_ascii_lowercase();
        }
        Self::lower_case(lower).unwrap_or(Self::Other)
    }

    fn usual_spelling(name: &[u8]) -> Option<Self> {
        Some(match name {
            b"From" => Self::From,
            b"Sender" => Self::Sender,
            b"Reply-To" => Self::ReplyTo,
            b"To" => Self::To,
            b"Cc" | b"CC" => Self::Cc,
            b"Bcc" => Self::Bcc,
            b"Date" => Self::Date,
            b"Message-ID" | b"Message-Id" => Self::MessageId,
            b"In-Reply-To" => Self::InReplyTo,
            b"References" => Self::References,
            b"Subject" => Self::Subject,
            b"Received" => Self::Received,
            b"Return-Path" => Self::ReturnPath,
            b"MIME-Version" | b"Mime-Version" => Self::MimeVersion,
            b"Content-Type" | b"Content-type" => Self::ContentType,
            b"Content-Transfer-Encoding" => Self::ContentTransferEncoding,
            b"Content-ID" => Self::ContentId,
            b"Content-Description" => Self::ContentDescription,
            b"Content-Disposition" => Self::ContentDisposition,
            _ => return None,
        })
    }

    fn lower_case(name: &[u8]) -> Option<Self> {
        Some(match name {
            b"from" => Self::From,
            b"sender" => Self::Sender,
            b"reply-to" => Self::ReplyTo,
            b"to" => Self::To,
            b"cc" => Self::Cc,
            b"bcc" => Self::Bcc,
            b"date" => Self::Date,
            b"message-id" => Self::MessageId,
            b"in-reply-to" => Self::InReplyTo,
            b"references" => Self::References,
            b"subject" => Self::Subject,
            b"comments" => Self::Comments,
            b"keywords" => Self::Keywords,
            b"received" => Self::Received,
            b"return-path" => Self::ReturnPath,
            b"mime-version" => Self::MimeVersion,
            b"content-type" => Self::ContentType,
            b"content-transfer-encoding" => Self::ContentTransferEncoding,
            b"content-id" => Self::ContentId,
            b"content-description" => Self::ContentDescription,
            b"content-disposition" => Self::ContentDisposition,
            _ => return None,
        })
    }
}

/// The field names most messages carry, in their usual spellings, as `str` without a UTF-8
/// check (a short `str::from_utf8` costs ~90 instructions; this match is a switch on the length
/// and a compare or two). Any other spelling is `None` and is checked as usual.
fn known_name(name: &[u8]) -> Option<&'static str> {
    Some(match name {
        b"From" => "From",
        b"To" => "To",
        b"Cc" => "Cc",
        b"CC" => "CC",
        b"Bcc" => "Bcc",
        b"Sender" => "Sender",
        b"Reply-To" => "Reply-To",
        b"Subject" => "Subject",
        b"Date" => "Date",
        b"Message-ID" => "Message-ID",
        b"Message-Id" => "Message-Id",
        b"In-Reply-To" => "In-Reply-To",
        b"References" => "References",
        b"Received" => "Received",
        b"Return-Path" => "Return-Path",
        b"MIME-Version" => "MIME-Version",
        b"Mime-Version" => "Mime-Version",
        b"Content-Type" => "Content-Type",
        b"Content-type" => "Content-type",
        b"Content-Transfer-Encoding" => "Content-Transfer-Encoding",
        b"Content-Disposition" => "Content-Disposition",
        b"Content-ID" => "Content-ID",
        b"Content-Description" => "Content-Description",
        b"DKIM-Signature" => "DKIM-Signature",
        b"X-Mailer" => "X-Mailer",
        b"User-Agent" => "User-Agent",
        b"List-Unsubscribe" => "List-Unsubscribe",
        b"Precedence" => "Precedence",
        _ => return None,
    })
}

/// `value` without the white space and line breaks it starts with.
fn trim_start_fws(value: &[u8]) -> &[u8] {
    let start = value
        .iter()
        .position(|&c| !matches!(c, b' ' | b'\t' | b'\r' | b'\n'))
        .unwrap_or(value.len());
    value.get(start..).unwrap_or_default()
}

/// Whether `value` is under 64 bytes and holds neither a CR or LF nor "=?": what
/// a CR/LF search and `rfc2047::has_encoded_word_start` say together, in one pass of one
/// test per word for a byte below 14 or a `=` (a word with either is read byte by byte).
fn is_short_plain_line(value: &[u8]) -> bool {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    if value.len() >= 64 {
        return false;
    }
    let stops_at = |i: usize| match value.get(i) {
        Some(b'\r' | b'\n') => true,
        Some(b'=') => value.get(i + 1) == Some(&b'?'),
        _ => false,
    };
    let flagged = |word: [u8; 8]| {
        let w = u64::from_le_bytes(word);
        let eq = w ^ (ONES * u64::from(b'='));
        (w.wrapping_sub(ONES * 14) & !w | eq.wrapping_sub(ONES) & !eq) & HIGH != 0
    };
    let chunks = value.chunks_exact(8);
    let tail_len = chunks.remainder().len();
    let mut at = 0;
    for chunk in chunks {
        let Ok(word) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        if flagged(word) && (at..at + 8).any(stops_at) {
            return false;
        }
        at += 8;
    }
    // The last bytes under a word: the value's last 8 bytes (read again in part) when it has
    // them, else byte by byte.
    match value.last_chunk::<8>() {
        Some(&word) => {
            tail_len == 0 || !(flagged(word) && (value.len() - 8..value.len()).any(stops_at))
        }
        None => !(0..value.len()).any(stops_at),
    }
}

/// Removes every CR and LF and the leading white space. The breaks are found 16 bytes at a
/// time ([`mail_simd::find_break`]: a folded value's lines are a few dozen bytes, where
/// `memchr2`'s set-up cost more than the scan).
pub(crate) fn unfold(value: &[u8]) -> Cow<'_, [u8]> {
    let value = trim_start_fws(value);
    let Some(mut p) = mail_simd::find_break(value) else {
        return Cow::Borrowed(value);
    };
    let mut out = Vec::with_capacity(value.len());
    let mut rest = value;
    loop {
        let (line, after) = rest.split_at_checked(p).unwrap_or((rest, &[]));
        out.extend_from_slice(line);
        // A CRLF (the usual fold) is skipped in one step, not found by a second search.
        let skip = if after.starts_with(b"\r\n") { 2 } else { 1 };
        rest = after.get(skip..).unwrap_or_default();
        match mail_simd::find_break(rest) {
            Some(next) => p = next,
            None => break,
        }
    }
    out.extend_from_slice(rest);
    Cow::Owned(out)
}

/// The fields a message header is given room for before it grows (real ones have 10 to 40).
pub(crate) const MESSAGE_HEADER_FIELDS: usize = 32;

/// The fields [`parse_header_block`] gives room for up front: 20 × 48 bytes, under 1 KB.
const HEADER_BLOCK_FIELDS: usize = 20;

/// The fields of one header block, in order: a copyable view into the fields of a
/// [`Message`](crate::Message) or a [`HeaderBlock`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Header<'h, 'a> {
    fields: &'h [HeaderField<'a>],
}

impl<'h, 'a> Header<'h, 'a> {
    /// A view of `fields`.
    pub fn new(fields: &'h [HeaderField<'a>]) -> Self {
        Self { fields }
    }

    /// The first field named `name` (ASCII case-insensitive).
    pub fn get(&self, name: &str) -> Option<&'h HeaderField<'a>> {
        self.fields.iter().find(|f| f.is(name))
    }

    /// The unstructured text of the first field named `name`.
    pub fn text(&self, name: &str) -> Option<Cow<'a, str>> {
        self.get(name).map(HeaderField::text)
    }

    /// Every field named `name`, in order.
    pub fn get_all<'n>(
        &self,
        name: &'n str,
    ) -> impl Iterator<Item = &'h HeaderField<'a>> + use<'h, 'a, 'n> {
        self.fields.iter().filter(move |f| f.is(name))
    }

    /// All fields in order.
    pub fn fields(&self) -> &'h [HeaderField<'a>] {
        self.fields
    }

    /// All fields in order.
    pub fn iter(&self) -> std::slice::Iter<'h, HeaderField<'a>> {
        self.fields.iter()
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether there are no fields.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }
}

impl<'h, 'a> IntoIterator for Header<'h, 'a> {
    type Item = &'h HeaderField<'a>;
    type IntoIter = std::slice::Iter<'h, HeaderField<'a>>;
    fn into_iter(self) -> Self::IntoIter {
        self.fields.iter()
    }
}

impl<'h, 'a> IntoIterator for &Header<'h, 'a> {
    type Item = &'h HeaderField<'a>;
    type IntoIter = std::slice::Iter<'h, HeaderField<'a>>;
    fn into_iter(self) -> Self::IntoIter {
        self.fields.iter()
    }
}

/// Where a header block ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BlockEnd {
    /// End of the last field (its line break included): the header range is `start..header_end`.
    pub(crate) header_end: usize,
    /// First byte of the body (after the empty separator line, if any).
    pub(crate) body_start: usize,
}

/// Scans the header block in `input[start..end]`. With `at_eof` false, returns `None` when the
/// block might go on past `end`.
pub(crate) fn scan_block<'a>(
    input: &'a [u8],
    start: usize,
    end: usize,
    at_eof: bool,
    limits: &Limits,
    fields: &mut Vec<HeaderField<'a>>,
    defects: &mut Vec<Defect>,
) -> Option<BlockEnd> {
    scan_block_with::<true>(input, start, end, at_eof, limits, fields, defects)
}

/// [`scan_block`], with (`USUAL`) or without the lane for the usual field (the tests hold the
/// two equal).
fn scan_block_with<'a, const USUAL: bool>(
    input: &'a [u8],
    start: usize,
    end: usize,
    at_eof: bool,
    limits: &Limits,
    fields: &mut Vec<HeaderField<'a>>,
    defects: &mut Vec<Defect>,
) -> Option<BlockEnd> {
    // The limit counts this block's fields only: `fields` may hold other blocks' before them.
    let first_field = fields.len();
    let mut pos = start;
    let mut too_long_flagged = false;
    let mut too_many_flagged = false;
    let region = input.get(..end).unwrap_or(input);
    // A UTF-8 byte order mark, written by some Windows tools.
    if region
        .get(pos..)
        .is_some_and(|r| r.starts_with(b"\xef\xbb\xbf"))
    {
        defects.push(Defect::new(DefectKind::ByteOrderMark, pos));
        pos += 3;
    }
    // An mbox "From " line before the header.
    // ("From  : x" with obsolete white space before the colon is a field, not an mbox line.)
    let is_mbox_from = region.get(pos..).is_some_and(|r| {
        r.starts_with(b"From ") && r[4..].iter().find(|&&c| c != b' ' && c != b'\t') != Some(&b':')
    });
    if is_mbox_from {
        match memchr::memchr(b'\n', &region[pos..]) {
            Some(n) => {
                defects.push(Defect::new(DefectKind::MboxFromLine, pos));
                pos += n + 1;
            }
            None if !at_eof => return None,
            None => {}
        }
    }
    let max_line = limits.max_line_length;
    loop {
        let rest = region.get(pos..).unwrap_or_default();
        // The empty line that ends the header, before anything else is read (the general
        // path below ends the block there too).
        match rest {
            _ if !USUAL => {}
            [b'\r', b'\n', ..] => {
                return Some(BlockEnd {
                    header_end: pos,
                    body_start: pos + 2,
                })
            }
            [b'\n', ..] => {
                return Some(BlockEnd {
                    header_end: pos,
                    body_start: pos + 1,
                })
            }
            _ => {}
        }
        // The usual field first: `Name: value` on one line within the limit, its name
        // printable ASCII straight up to the colon, not folded (the next line is here and
        // starts with neither space nor tab). The line's end and the name's end come from one
        // pass over the line. Anything else (the empty line, a fold, white space before the
        // colon, a line at the end of the input, a limit) goes the general way below, which
        // reads the line again.
        // What the lane read of the line, for the general path (a folded field's first line
        // is not read twice).
        let mut read = None;
        if USUAL {
            if let Some(line) = mail_simd::field_line(rest) {
                read = Some(line);
                let k = line.name_end;
                let next = pos + line.lf + 1;
                if k > 0
                    && k < line.content_end
                    && rest.get(k) == Some(&b':')
                    && line.content_end <= max_line
                    && !matches!(region.get(next), Some(b' ' | b'\t') | None)
                    && fields.len() - first_field < limits.max_headers
                {
                    if let (Ok(name_len), Some(raw_value), Some(raw)) = (
                        u32::try_from(k),
                        rest.get(k + 1..line.content_end),
                        rest.get(..=line.lf),
                    ) {
                        fields.push(HeaderField {
                            raw_value,
                            raw,
                            offset: pos,
                            name_len,
                            one_line: line.clean,
                        });
                        pos = next;
                        continue;
                    }
                }
            }
        }
        let (nl, clean, name_end) = match read {
            Some(line) => (Some(line.lf), line.clean, Some(line.name_end)),
            None => {
                let (nl, clean) = mail_simd::find_line_end(rest);
                (nl, clean, None)
            }
        };
        if pos >= end {
            if !at_eof {
                return None;
            }
            return Some(BlockEnd {
                header_end: end,
                body_start: end,
            });
        }
        let line_len = match nl {
            Some(n) => n,
            None if !at_eof => return None,
            None => rest.len(),
        };
        let line = &rest[..line_len];
        let line_content = line.strip_suffix(b"\r").unwrap_or(line);
        if line_content.is_empty() {
            // The empty line that separates header and body (or the end of input).
            return Some(BlockEnd {
                header_end: pos,
                body_start: pos + nl.map_or(line_len, |n| n + 1),
            });
        }
        // The limit counts octets without the CRLF (RFC 5322 2.1.1).
        if line_content.len() > max_line && !too_long_flagged {
            too_long_flagged = true;
            defects.push(Defect::new(DefectKind::LineTooLong, pos));
        }
        if let Some(b' ' | b'\t') = line_content.first() {
            defects.push(Defect::new(DefectKind::FirstLineIsContinuation, pos));
            pos += nl.map_or(line_len, |n| n + 1);
            continue;
        }
        // The usual shape first: printable ASCII straight up to the colon, found in one pass.
        let k = name_end.unwrap_or_else(|| mail_simd::name_end(line_content));
        // Each shape checks its own name: the usual one is empty only at a colon first, and
        // has no white space before the colon.
        let (colon, name) = match line_content.get(k) {
            Some(b':') => {
                if k == 0 {
                    defects.push(Defect::new(DefectKind::InvalidFieldName, pos));
                }
                (k, &line_content[..k])
            }
            _ => {
                let Some(colon) = memchr::memchr(b':', line_content) else {
                    defects.push(Defect::new(DefectKind::MissingHeaderBodySeparator, pos));
                    return Some(BlockEnd {
                        header_end: pos,
                        body_start: pos,
                    });
                };
                let raw_name = &line_content[..colon];
                let name = trim_end_wsp(raw_name);
                if !name.iter().all(|&c| (33..=126).contains(&c)) {
                    defects.push(Defect::new(DefectKind::MissingHeaderBodySeparator, pos));
                    return Some(BlockEnd {
                        header_end: pos,
                        body_start: pos,
                    });
                }
                if name.is_empty() {
                    defects.push(Defect::new(DefectKind::InvalidFieldName, pos));
                }
                if name.len() != raw_name.len() {
                    defects.push(Defect::new(DefectKind::ObsoleteWhitespaceBeforeColon, pos));
                }
                (colon, name)
            }
        };
        // Extend over continuation lines.
        let mut field_end = pos + nl.map_or(line_len, |n| n + 1);
        // The value's end, its line break excluded.
        let mut value_end = pos + line_content.len();
        let first_line_end = field_end;
        while let Some(b' ' | b'\t') = region.get(field_end) {
            let rest = region.get(field_end..).unwrap_or_default();
            let (len, next) = match mail_simd::find_lf(rest) {
                Some(n) => (n, field_end + n + 1),
                None if !at_eof => return None,
                None => (rest.len(), end),
            };
            // A line of only white space is still a continuation (obs-FWS); keep it.
            let content_len = if len > 0 && rest.get(len - 1) == Some(&b'\r') {
                len - 1
            } else {
                len
            };
            if content_len > limits.max_line_length && !too_long_flagged {
                too_long_flagged = true;
                defects.push(Defect::new(DefectKind::LineTooLong, field_end));
            }
            value_end = field_end + content_len;
            field_end = next;
        }
        if field_end >= end && !at_eof {
            // The next line could be a continuation.
            return None;
        }
        let raw_value = &region[pos + colon + 1..value_end];
        // A name of 4 GiB or more is not one (and does not fit a field).
        let Ok(name_len) = u32::try_from(name.len()) else {
            defects.push(Defect::new(DefectKind::MissingHeaderBodySeparator, pos));
            return Some(BlockEnd {
                header_end: pos,
                body_start: pos,
            });
        };
        if fields.len() - first_field < limits.max_headers {
            fields.push(HeaderField {
                raw_value,
                raw: &region[pos..field_end],
                offset: pos,
                name_len,
                one_line: clean && field_end == first_line_end,
            });
        } else if !too_many_flagged {
            too_many_flagged = true;
            defects.push(Defect::new(DefectKind::TooManyHeaders, pos));
        }
        pos = field_end;
    }
}

fn trim_end_wsp(s: &[u8]) -> &[u8] {
    let n = s
        .iter()
        .rev()
        .take_while(|&&c| c == b' ' || c == b'\t')
        .count();
    &s[..s.len() - n]
}

/// A header block parsed on its own (for example the header of an SMTP `DATA` in progress).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderBlock<'a> {
    /// The fields in order (see [`header`](Self::header) for lookups).
    pub fields: Vec<HeaderField<'a>>,
    /// What was wrong, with offsets into the input.
    pub defects: Vec<Defect>,
    /// Where the body starts: after the empty line that ends the header.
    pub body_start: usize,
}

impl<'a> HeaderBlock<'a> {
    /// The fields, with lookup by name.
    pub fn header(&self) -> Header<'_, 'a> {
        Header::new(&self.fields)
    }
}

/// Parses a header block that is still arriving: [`Status::Incomplete`](crate::Status) until the
/// empty line that ends it has been seen (a field is complete only once the next line shows it
/// is not folded further). Bytes before the first field that are not a field end the block, as
/// in a whole-message parse.
///
/// ```
/// use mail_message::{header::parse_header_block, Limits, Status};
/// assert!(parse_header_block(b"Subject: hi\r\n", &Limits::default()).is_incomplete());
/// let Status::Complete(block, used) = parse_header_block(b"Subject: hi\r\n\r\nbody", &Limits::default())
/// else { panic!() };
/// assert_eq!(block.header().text("subject").as_deref(), Some("hi"));
/// assert_eq!(used, 15);
/// ```
pub fn parse_header_block<'a>(input: &'a [u8], limits: &Limits) -> crate::Status<HeaderBlock<'a>> {
    // Room for the fields of most headers up front, within the allocator's per-thread cache
    // (up to 1,032 bytes with glibc: a larger block costs ~250 more instructions to allocate
    // and free); a longer header grows by doubling.
    let mut fields = Vec::with_capacity(HEADER_BLOCK_FIELDS);
    let mut defects = Vec::new();
    match scan_block(
        input,
        0,
        input.len(),
        false,
        limits,
        &mut fields,
        &mut defects,
    ) {
        Some(end) => crate::Status::Complete(
            HeaderBlock {
                fields,
                defects,
                body_start: end.body_start,
            },
            end.body_start,
        ),
        None => crate::Status::Incomplete,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fields of one scanned block, looked up through [`Header`].
    struct Fields<'a>(Vec<HeaderField<'a>>);

    impl<'a> std::ops::Deref for Fields<'a> {
        type Target = [HeaderField<'a>];
        fn deref(&self) -> &Self::Target {
            &self.0
        }
    }

    impl<'a> Fields<'a> {
        fn get(&self, name: &str) -> Option<&HeaderField<'a>> {
            Header::new(&self.0).get(name)
        }
        fn fields(&self) -> &[HeaderField<'a>] {
            &self.0
        }
    }

    fn parse(input: &[u8]) -> (Fields<'_>, BlockEnd, Vec<Defect>) {
        let mut h = Vec::new();
        let mut d = Vec::new();
        let end = scan_block(
            input,
            0,
            input.len(),
            true,
            &Limits::default(),
            &mut h,
            &mut d,
        )
        .expect("complete at eof");
        (Fields(h), end, d)
    }

    #[test]
    fn fields_in_order_with_folding() {
        let msg = b"Subject: This\r\n is a test\r\nFROM: a@b\r\nX-Empty:\r\n\r\nbody";
        let (h, end, d) = parse(msg);
        assert!(d.is_empty());
        assert_eq!(h.len(), 3);
        assert_eq!(h.get("subject").unwrap().text(), "This is a test");
        assert_eq!(h.get("From").unwrap().name(), "FROM");
        assert_eq!(h.get("x-empty").unwrap().text(), "");
        assert_eq!(h.fields()[0].raw(), b"Subject: This\r\n is a test\r\n");
        assert_eq!(h.fields()[1].offset(), 27);
        assert_eq!(&msg[end.body_start..], b"body");
        assert_eq!(end.header_end, 48);
    }

    #[test]
    fn field_names_fast_and_by_the_general_path() {
        // Straight to the colon (the one-pass path), white space before it, a byte that is no
        // name byte (both the general path).
        let (h, _, d) = parse(b"A:1\r\nB-c : 2\r\n\r\n");
        assert_eq!(h.fields()[0].name(), "A");
        assert!(h.fields()[1].is("b-C"));
        assert_eq!(h.fields()[1].raw_value(), b" 2");
        assert_eq!(
            d,
            [Defect::new(DefectKind::ObsoleteWhitespaceBeforeColon, 5)]
        );
        let (h, end, d) = parse(b"A: 1\nX-\xe9: v\n\nbody");
        assert_eq!(h.len(), 1);
        assert_eq!(d, [Defect::new(DefectKind::MissingHeaderBodySeparator, 5)]);
        assert_eq!(end.body_start, 5);
        // Debug shows the name as text, as it did when it was stored as `str`.
        assert!(format!("{:?}", h.fields()[0]).starts_with("HeaderField { name: \"A\", "));
    }

    #[test]
    fn field_names_in_any_case() {
        const ALL: [(&str, FieldName); 21] = [
            ("From", FieldName::From),
            ("Sender", FieldName::Sender),
            ("Reply-To", FieldName::ReplyTo),
            ("To", FieldName::To),
            ("Cc", FieldName::Cc),
            ("Bcc", FieldName::Bcc),
            ("Date", FieldName::Date),
            ("Message-ID", FieldName::MessageId),
            ("In-Reply-To", FieldName::InReplyTo),
            ("References", FieldName::References),
            ("Subject", FieldName::Subject),
            ("Comments", FieldName::Comments),
            ("Keywords", FieldName::Keywords),
            ("Received", FieldName::Received),
            ("Return-Path", FieldName::ReturnPath),
            ("MIME-Version", FieldName::MimeVersion),
            ("Content-Type", FieldName::ContentType),
            (
                "Content-Transfer-Encoding",
                FieldName::ContentTransferEncoding,
            ),
            ("Content-ID", FieldName::ContentId),
            ("Content-Description", FieldName::ContentDescription),
            ("Content-Disposition", FieldName::ContentDisposition),
        ];
        // Every name in random mixes of case (the usual-spelling match, the lower-case one,
        // the stack copy) is what a case-insensitive comparison with the list says; so are
        // near misses and other names.
        let mut seed = 7u32;
        let mut next = || {
            seed = crate::test_rng::step(seed);
            seed >> 16
        };
        let general = |name: &[u8]| {
            ALL.iter()
                .find(|(n, _)| n.as_bytes().eq_ignore_ascii_case(name))
                .map_or(FieldName::Other, |&(_, k)| k)
        };
        let mut names: Vec<Vec<u8>> = ["Message-Id", "Mime-Version", "Content-type", "CC"]
            .iter()
            .map(|n| n.as_bytes().to_vec())
            .collect();
        for (n, _) in ALL {
            for _ in 0..20 {
                let mixed: Vec<u8> = n
                    .bytes()
                    .map(|c| {
                        if next() % 2 == 0 {
                            c.to_ascii_uppercase()
                        } else {
                            c.to_ascii_lowercase()
                        }
                    })
                    .collect();
                names.push(mixed);
            }
            names.push(n.as_bytes()[1..].to_vec());
            names.push([n.as_bytes(), b"x"].concat());
            names.push([n.as_bytes(), b"-content-description-xyz"].concat());
        }
        names.extend([&b""[..], b"X-Mailer", b"\xff", b"Fr\xc3\xb6m"].map(<[u8]>::to_vec));
        // One byte changed at every place of every name, to the bytes a case-folding compare
        // could confuse with it: the other case, a CR for `-` (0x0d | 0x20 is `-`), the byte
        // 0x20 or 0x40 away, 8-bit bytes, and the letter the first-letter pick looks at.
        for (n, _) in ALL {
            for at in 0..n.len() {
                let c = n.as_bytes()[at];
                for d in [
                    c ^ 0x20,
                    c ^ 0x40,
                    c ^ 0x60,
                    c | 0x80,
                    b'\r',
                    b'-',
                    b'_',
                    b'x',
                    b's',
                ] {
                    let mut v = n.as_bytes().to_vec();
                    v[at] = d;
                    names.push(v);
                }
            }
        }
        for n in &names {
            assert_eq!(
                FieldName::of(n),
                general(n),
                "{:?}",
                String::from_utf8_lossy(n)
            );
        }
        for (n, k) in ALL {
            assert_eq!(FieldName::of(n.as_bytes()), k);
        }
        let (h, _, _) = parse(b"content-TYPE: text/plain\r\nX-A: 1\r\n\r\n");
        assert_eq!(h.fields()[0].field_name(), FieldName::ContentType);
        assert_eq!(h.fields()[1].field_name(), FieldName::Other);
    }

    #[test]
    fn known_names_read_as_the_bytes_say() {
        // Every table entry, the same names in other cases (checked the general way), and
        // names the table does not hold: name() is the bytes as text either way.
        let mut names: Vec<Vec<u8>> = Vec::new();
        for n in [
            "From",
            "To",
            "Cc",
            "CC",
            "Bcc",
            "Sender",
            "Reply-To",
            "Subject",
            "Date",
            "Message-ID",
            "Message-Id",
            "In-Reply-To",
            "References",
            "Received",
            "Return-Path",
            "MIME-Version",
            "Mime-Version",
            "Content-Type",
            "Content-type",
            "Content-Transfer-Encoding",
            "Content-Disposition",
            "Content-ID",
            "Content-Description",
            "DKIM-Signature",
            "X-Mailer",
            "User-Agent",
            "List-Unsubscribe",
            "Precedence",
        ] {
            assert_eq!(known_name(n.as_bytes()), Some(n), "{n}");
            names.push(n.as_bytes().to_vec());
            names.push(n.to_ascii_lowercase().into_bytes());
            names.push(n.to_ascii_uppercase().into_bytes());
        }
        assert_eq!(known_name(b"from"), None);
        assert_eq!(known_name(b"X-Spam"), None);
        names.push(b"X-Spam".to_vec());
        names.push(b"A".to_vec());
        for n in names {
            let mut input = n.clone();
            input.extend_from_slice(b": v\r\n\r\n");
            let (h, _, _) = parse(&input);
            assert_eq!(h.fields()[0].name().as_bytes(), &n[..]);
        }
    }

    #[test]
    fn text_of_folded_values_with_and_without_encoded_words() {
        // Folded with no encoded-word (the Vec becomes the String), folded with one (decoded),
        // folded and not UTF-8 (U+FFFD); on one line: plain (borrowed), not UTF-8, with an
        // encoded-word, UTF-8 with a lone '=' (borrowed).
        let (h, _, _) = parse(
            b"A: one\r\n two\r\nB: =?utf-8?q?x?=\r\n =?utf-8?q?y?= z\r\nC: a\xff\r\n b\r\nD: plain\r\nE: caf\xe9\r\nF: =?utf-8?q?x?= y\r\nG: \xc3\xa9t\xc3\xa9 a=b?\r\n\r\n",
        );
        let texts: Vec<Cow<'_, str>> = h.iter().map(HeaderField::text).collect();
        assert_eq!(
            texts,
            [
                "one two",
                "xy z",
                "a\u{fffd} b",
                "plain",
                "caf\u{fffd}",
                "x y",
                "\u{e9}t\u{e9} a=b?"
            ]
        );
        assert!(matches!(texts[3], Cow::Borrowed(_)));
        assert!(matches!(texts[6], Cow::Borrowed(_)));
        for f in h.iter() {
            assert_eq!(f.text(), f.text_with_defects().0);
        }
    }

    #[test]
    fn short_plain_line_matches_the_two_scans() {
        fn general(v: &[u8]) -> bool {
            v.len() < 64
                && !v.iter().any(|&c| c == b'\r' || c == b'\n')
                && !crate::rfc2047::has_encoded_word_start(v)
        }
        // CR, LF, "=?", a lone '=' or '?', "?=" at every place of values of 0 to 70 bytes
        // (words, the tail, a pair across two words, the limit), on backgrounds near them.
        for len in 0..=70 {
            for background in [b'a', b'=', b'?', 0x09, 0x0c, 0x3c, 0xbd] {
                let mut v = vec![background; len];
                assert_eq!(is_short_plain_line(&v), general(&v), "{v:?}");
                for at in 0..len {
                    for (c, d) in [
                        (b'=', b'?'),
                        (b'=', b'x'),
                        (b'?', b'='),
                        (b'\r', b'a'),
                        (b'\n', b'='),
                    ] {
                        let keep = v.clone();
                        v[at] = c;
                        if let Some(next) = v.get_mut(at + 1) {
                            *next = d;
                        }
                        assert_eq!(is_short_plain_line(&v), general(&v), "{v:?}");
                        v = keep;
                    }
                }
            }
        }
    }

    #[test]
    fn the_usual_field_lane_equals_the_general_scan() {
        // Generated blocks: valid names and names with white space before the colon, empty,
        // with bytes no name has, a continuation first; values with folds (CRLF, LF, white
        // space only), bare CR, tabs, NUL, 8-bit; CRLF, LF and no line end; a BOM and an mbox
        // From line first; limits small enough to flag long lines and too many fields. Each
        // block, at the end of the input and cut at every byte (still arriving), scans to the
        // same fields, defects and end with the lane for the usual field as without it.
        let mut seed = 5u32;
        let mut next = |n: u32| crate::test_rng::below(&mut seed, n);
        let names: [&[u8]; 10] = [
            b"Subject",
            b"To",
            b"Content-Transfer-Encoding",
            b"X-A-Very-Long-Field-Name-Of-Forty-Bytes-",
            b"",
            b"Subject ",
            b"A\t",
            b"Bad Name",
            b"\xc3\xa9",
            b" cont",
        ];
        let values: [&[u8]; 10] = [
            b" value",
            b"",
            b" a@b.example, c@d.example",
            b" folded\r\n continued",
            b" lf fold\n\tnext",
            b" bare\rcr",
            b"\ttab\x00nul",
            b" \xe9t\xe9",
            b" 0123456789012345678901234567890123456789",
            b"\r\n ",
        ];
        let ends: [&[u8]; 3] = [b"\r\n", b"\n", b"\r\n"];
        for round in 0..1500 {
            let mut input = Vec::new();
            match next(8) {
                0 => input.extend_from_slice(b"\xef\xbb\xbf"),
                1 => input.extend_from_slice(b"From MAILER-DAEMON Mon Jan 1 00:00:00 2001\n"),
                _ => {}
            }
            for _ in 0..next(6) {
                input.extend_from_slice(names[next(10) as usize]);
                if next(12) != 0 {
                    input.push(b':');
                }
                input.extend_from_slice(values[next(10) as usize]);
                input.extend_from_slice(ends[next(3) as usize]);
            }
            match next(4) {
                0 => {}
                1 => input.extend_from_slice(b"\r\nbody"),
                _ => input.extend_from_slice(b"\nbody"),
            }
            let limits = if round % 3 == 0 {
                Limits {
                    max_headers: 2,
                    max_line_length: 20,
                    ..Limits::default()
                }
            } else {
                Limits::default()
            };
            let scan = |usual: bool, end: usize, at_eof: bool| {
                let (mut h, mut d) = (Vec::new(), Vec::new());
                let r = if usual {
                    scan_block_with::<true>(&input, 0, end, at_eof, &limits, &mut h, &mut d)
                } else {
                    scan_block_with::<false>(&input, 0, end, at_eof, &limits, &mut h, &mut d)
                };
                (r, h, d)
            };
            for end in 0..=input.len() {
                for at_eof in [false, true] {
                    if end < input.len() && at_eof && round % 4 != 0 {
                        continue;
                    }
                    assert_eq!(
                        scan(true, end, at_eof),
                        scan(false, end, at_eof),
                        "{:?} {end} {at_eof}",
                        String::from_utf8_lossy(&input)
                    );
                }
            }
        }
    }

    #[test]
    fn unfold_borrows_a_value_with_no_break() {
        assert_eq!(unfold(b" a\r\n b"), Cow::<[u8]>::Owned(b"a b".to_vec()));
        assert!(matches!(
            unfold(b" plain value"),
            Cow::Borrowed(b"plain value")
        ));
        assert_eq!(unfold(b"bare\rcr"), Cow::<[u8]>::Owned(b"barecr".to_vec()));
    }

    #[test]
    fn one_line_values_read_as_the_general_path_reads_them() {
        // Generated header blocks: names in any case, values of 0 to 90 bytes with white space
        // before them or none, folds (CRLF, LF, white-space-only lines), bare CR, tabs, NUL,
        // 8-bit and UTF-8 bytes, encoded-words, "=?" alone, CRLF and LF line ends. The
        // unfolded value (one-line fast path or not) is what unfold() makes of the raw value
        // and what a plain removal of every CR and LF makes of it,
        // the text what the general decoding makes of it, and a field is one line only when
        // its raw value holds no CR and no LF.
        let mut seed = 11u32;
        let mut next = |n: u32| crate::test_rng::below(&mut seed, n);
        let pieces: [&[u8]; 16] = [
            b"word",
            b" ",
            b"\t",
            b"\r",
            b"\x00",
            b"\xc3\xa9",
            b"\xe9",
            b"=?utf-8?q?caf=C3=A9?=",
            b"=?",
            b"=",
            b"a@b.example",
            b"<id@host>",
            b"\r\n ",
            b"\n\t",
            b"\r\n \r\n x",
            b"0123456789abcdef0123456789",
        ];
        let names: [&[u8]; 6] = [b"Subject", b"FROM", b"x-a", b"Content-Type", b"To", b"K"];
        let mut checked = 0;
        for _ in 0..3000 {
            let mut input = Vec::new();
            for _ in 0..next(5) + 1 {
                input.extend_from_slice(names[next(6) as usize]);
                input.push(b':');
                let spaces = next(3) as usize;
                input.extend(std::iter::repeat_n(b' ', spaces));
                for _ in 0..next(8) {
                    input.extend_from_slice(pieces[next(16) as usize]);
                }
                input.extend_from_slice(if next(4) == 0 { b"\n" } else { b"\r\n" });
            }
            input.extend_from_slice(b"\r\nbody");
            let (h, _, _) = parse(&input);
            for f in h.iter() {
                let raw = f.raw_value();
                let breaks = raw.iter().any(|&c| c == b'\r' || c == b'\n');
                assert!(!(f.one_line && breaks), "{input:?}");
                assert_eq!(f.unfolded(), unfold(raw), "{input:?}");
                // Every CR and LF removed, then the white space in front.
                let plain: Vec<u8> = raw
                    .iter()
                    .copied()
                    .filter(|&c| c != b'\r' && c != b'\n')
                    .collect();
                let start = plain
                    .iter()
                    .position(|&c| c != b' ' && c != b'\t')
                    .unwrap_or(plain.len());
                assert_eq!(&*f.unfolded(), &plain[start..], "{input:?}");
                assert_eq!(f.text(), f.text_with_defects().0, "{input:?}");
                checked += usize::from(f.one_line);
            }
        }
        assert!(checked > 1000);
        // The fast path and the general one, by hand.
        let (h, _, _) = parse(b"A:  one line\r\nB: two\r\n lines\r\nC: bare\rcr\r\nD:\tx\r\n\r\n");
        let one: Vec<bool> = h.iter().map(|f| f.one_line).collect();
        assert_eq!(one, [true, false, false, true]);
        let unfolded: Vec<Cow<'_, [u8]>> = h.iter().map(HeaderField::unfolded).collect();
        assert_eq!(unfolded, [&b"one line"[..], b"two lines", b"barecr", b"x"]);
        assert!(matches!(unfolded[0], Cow::Borrowed(_)));
    }

    #[test]
    fn bare_lf_and_no_body() {
        let (h, end, _) = parse(b"A: 1\nB: 2\n");
        assert_eq!(h.len(), 2);
        assert_eq!(end.body_start, 10);
        let (h, _, _) = parse(b"A: 1");
        assert_eq!(h.get("a").unwrap().raw_value(), b" 1");
    }

    #[test]
    fn defects_with_offsets() {
        let (h, end, d) = parse(b" cont\r\nFrom: x\r\nnot a header\r\nmore\r\n");
        assert_eq!(h.len(), 1);
        assert_eq!(d[0], Defect::new(DefectKind::FirstLineIsContinuation, 0));
        assert_eq!(
            d[1],
            Defect::new(DefectKind::MissingHeaderBodySeparator, 16)
        );
        assert_eq!(end.body_start, 16);
        let (h, _, d) = parse(b"Subject : obs\r\n\r\n");
        assert_eq!(h.get("subject").unwrap().text(), "obs");
        assert_eq!(
            d,
            [Defect::new(DefectKind::ObsoleteWhitespaceBeforeColon, 0)]
        );
        // An empty name: the colon first (the usual shape), or a name of one byte that is not
        // a name byte (the general shape, which ends the header); a name then white space.
        let (h, _, d) = parse(b": v\r\nA\t: w\r\n\r\n");
        assert_eq!(h.len(), 2);
        assert_eq!(h.iter().map(|f| f.name()).collect::<Vec<_>>(), ["", "A"]);
        assert_eq!(
            d,
            [
                Defect::new(DefectKind::InvalidFieldName, 0),
                Defect::new(DefectKind::ObsoleteWhitespaceBeforeColon, 5)
            ]
        );
        let (h, _, d) = parse(b"A: v\r\n\x01: w\r\n\r\n");
        assert_eq!(h.len(), 1);
        assert_eq!(d, [Defect::new(DefectKind::MissingHeaderBodySeparator, 6)]);
        let (h, _, d) = parse(b"From MAILER-DAEMON Mon Jan 1 00:00:00 2001\nTo: x\n\n");
        assert_eq!(h.len(), 1);
        assert_eq!(d[0].kind, DefectKind::MboxFromLine);
    }

    #[test]
    fn unfold_removes_every_cr_and_lf() {
        // CRLF folds (skipped as a pair), bare LF, bare CR, CR CR LF, LF CR, at the ends too.
        let pieces: [&[u8]; 7] = [b"a", b"\r\n ", b"\n\t", b"\r", b"\r\r\n ", b"\n\r", b" b"];
        for i in 0..pieces.len() {
            for j in 0..pieces.len() {
                for k in 0..pieces.len() {
                    let value = [pieces[i], pieces[j], pieces[k]].concat();
                    let plain: Vec<u8> = value
                        .iter()
                        .copied()
                        .filter(|&c| c != b'\r' && c != b'\n')
                        .collect();
                    let start = plain
                        .iter()
                        .position(|&c| c != b' ' && c != b'\t')
                        .unwrap_or(plain.len());
                    assert_eq!(&*unfold(&value), &plain[start..], "{value:?}");
                }
            }
        }
    }

    #[test]
    fn unfolding_keeps_white_space() {
        let (h, _, _) = parse(b"Subject:   a\r\n\t b  \r\n\r\n");
        assert_eq!(&*h.get("subject").unwrap().unfolded(), b"a\t b  ");
    }

    #[test]
    fn incomplete_until_the_next_line_is_seen() {
        let l = Limits::default();
        assert!(parse_header_block(b"", &l).is_incomplete());
        assert!(parse_header_block(b"Sub", &l).is_incomplete());
        assert!(parse_header_block(b"Subject: a\r\n", &l).is_incomplete());
        assert!(parse_header_block(b"Subject: a\r\n b\r\n", &l).is_incomplete());
        assert!(parse_header_block(b"Subject: a\r\n b\r\n\r", &l).is_incomplete());
        assert!(parse_header_block(b"Subject: a\r\n b\r\n\r\n", &l).is_complete());
    }

    #[test]
    fn line_limit_excludes_the_line_break() {
        let l = Limits::default().with_max_line_length(10);
        for (input, flagged) in [
            (&b"A: 4567890\r\n\r\n"[..], false),
            (b"A: 45678901\r\n\r\n", true),
            (b"A: 1\r\n 34567890\r\n\r\n", false),
            (b"A: 1\r\n 3456789012\r\n\r\n", true),
            (b"A: 4567890\n\n", false),
        ] {
            let mut h = Vec::new();
            let mut d = Vec::new();
            scan_block(input, 0, input.len(), true, &l, &mut h, &mut d).unwrap();
            assert_eq!(
                d.iter().any(|d| d.kind == DefectKind::LineTooLong),
                flagged,
                "{input:?}"
            );
        }
    }

    #[test]
    fn limits_flag_instead_of_failing() {
        let l = Limits {
            max_headers: 2,
            max_line_length: 10,
            ..Limits::default()
        };
        let input = b"A: 1\nB: 2\nC: 3\nD: a long long line\n\n";
        let mut h = Vec::new();
        let mut d = Vec::new();
        scan_block(input, 0, input.len(), true, &l, &mut h, &mut d).unwrap();
        assert_eq!(h.len(), 2);
        assert!(d
            .iter()
            .any(|d| d.kind == DefectKind::TooManyHeaders && d.offset == 10));
        assert!(d
            .iter()
            .any(|d| d.kind == DefectKind::LineTooLong && d.offset == 15));
    }
}

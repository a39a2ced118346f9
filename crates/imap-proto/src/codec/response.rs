//! Parsing server responses (RFC 9051 `response`), on a framed unit.

use crate::codec::reader::{PResult, Reader, Upper};
use crate::error::{ParseError, ParseErrorKind};
use crate::stream::{FetchHead, LiteralItem};
use crate::types::*;

impl<'a> Reader<'a, '_> {
    pub(crate) fn response(&mut self) -> PResult<Response<'a>> {
        let resp = match self.peek() {
            Some(b'+') => {
                self.pos += 1;
                if self.at_eol() && self.opts.allow_missing_text {
                    Response::Continue(ResponseText::default())
                } else {
                    self.expect(b' ', "SP after +")?;
                    Response::Continue(self.resp_text_body()?)
                }
            }
            Some(b'*') => {
                self.pos += 1;
                self.sp()?;
                Response::Data(self.untagged()?)
            }
            _ => {
                let tag = self.tag()?;
                self.sp()?;
                let state = if self.keyword("OK") {
                    State::Ok
                } else if self.keyword("NO") {
                    State::No
                } else if self.keyword("BAD") {
                    State::Bad
                } else {
                    return self.err("OK, NO or BAD");
                };
                Response::Tagged {
                    tag,
                    state,
                    text: self.resp_text()?,
                }
            }
        };
        self.eol()?;
        Ok(resp)
    }

    /// SP resp-text (after a condition keyword).
    fn resp_text(&mut self) -> PResult<ResponseText<'a>> {
        if self.at_eol() && self.opts.allow_missing_text {
            return Ok(ResponseText::default());
        }
        self.expect(b' ', "SP before text")?;
        self.resp_text_body()
    }

    fn resp_text_body(&mut self) -> PResult<ResponseText<'a>> {
        let mut code = None;
        if self.eat(b'[') {
            code = Some(self.code()?);
            self.expect(b']', "] after response code")?;
            if self.at_eol() {
                // RFC 9051's own examples (`* OK [CLOSED]`, `* OK [UIDNEXT 1]`) and Gmail end
                // right after the code, as resp-text = ["[" code "]" SP] [text] almost allows.
                return Ok(ResponseText {
                    code,
                    text: Text::default(),
                });
            }
            self.expect(b' ', "SP after response code")?;
        }
        let text = self.text_to_eol()?;
        if code.is_none() && text.starts_with('[') {
            return self.err("response code");
        }
        Ok(ResponseText {
            code,
            text: Text::unchecked(text),
        })
    }

    fn code(&mut self) -> PResult<Code<'a>> {
        let start = self.pos;
        let name = self.atom()?;
        match self.known_code(&name) {
            Ok(Some(code)) if self.peek() == Some(b']') => return Ok(code),
            _ => {}
        }
        // Unknown, or a known code whose arguments do not follow its grammar: keep it raw.
        self.pos = start + name.as_str().len();
        let args = if self.eat(b' ') {
            let rest = self.rest();
            let end = rest
                .iter()
                .position(|&b| matches!(b, b']' | b'\r' | b'\n'))
                .unwrap_or(rest.len());
            let at = self.pos;
            let s = self.utf8(rest.get(..end).unwrap_or_default(), at)?;
            self.pos += end;
            if s.is_empty() {
                None
            } else {
                Some(CodeArgs::unchecked(s))
            }
        } else {
            None
        };
        Ok(Code::Other { name, args })
    }

    fn known_code(&mut self, name: &Atom<'a>) -> PResult<Option<Code<'a>>> {
        let n = Upper::new(name.as_str().as_bytes());
        Ok(Some(match n.as_bytes() {
            b"ALERT" => Code::Alert,
            b"PARSE" => Code::Parse,
            b"READ-ONLY" => Code::ReadOnly,
            b"READ-WRITE" => Code::ReadWrite,
            b"TRYCREATE" => Code::TryCreate,
            b"UIDNOTSTICKY" => Code::UidNotSticky,
            b"NOMODSEQ" => Code::NoModSeq,
            b"CLOSED" => Code::Closed,
            b"BADCHARSET" => {
                let mut v = Vec::new();
                if self.eat(b' ') {
                    v = self.list(false, Self::astring)?;
                }
                Code::BadCharset(v)
            }
            b"CAPABILITY" => {
                let mut caps = Vec::new();
                while self.eat(b' ') {
                    caps.push(self.named(Capability::known, Capability::Other)?);
                }
                if caps.is_empty() {
                    return self.err("capability");
                }
                Code::Capability(caps)
            }
            b"PERMANENTFLAGS" => {
                self.sp()?;
                Code::PermanentFlags(self.flag_list(true)?)
            }
            b"UIDNEXT" => {
                self.sp()?;
                Code::UidNext(self.nz_number()?.get())
            }
            b"UIDVALIDITY" => {
                self.sp()?;
                Code::UidValidity(self.nz_number()?.get())
            }
            b"UNSEEN" => {
                self.sp()?;
                Code::Unseen(self.nz_number()?.get())
            }
            b"APPENDUID" => {
                self.sp()?;
                let validity = self.nz_number()?.get();
                self.sp()?;
                Code::AppendUid {
                    validity,
                    uids: self.sequence_set()?,
                }
            }
            b"COPYUID" => {
                self.sp()?;
                let validity = self.nz_number()?.get();
                self.sp()?;
                let source = self.sequence_set()?;
                self.sp()?;
                Code::CopyUid {
                    validity,
                    source,
                    destination: self.sequence_set()?,
                }
            }
            b"HIGHESTMODSEQ" => {
                self.sp()?;
                Code::HighestModSeq(self.number64()?)
            }
            b"MODIFIED" => {
                self.sp()?;
                Code::Modified(self.sequence_set()?)
            }
            b"METADATA" => {
                self.sp()?;
                if self.keyword("LONGENTRIES") {
                    self.sp()?;
                    Code::MetadataLongEntries(self.number64()?)
                } else if self.keyword("MAXSIZE") {
                    self.sp()?;
                    Code::MetadataMaxSize(self.number64()?)
                } else if self.keyword("TOOMANY") {
                    Code::MetadataTooMany
                } else if self.keyword("NOPRIVATE") {
                    Code::MetadataNoPrivate
                } else {
                    return Ok(None);
                }
            }
            _ => match SimpleCode::from_atom(name.clone()) {
                SimpleCode::Other(_) => return Ok(None),
                simple => Code::Simple(simple),
            },
        }))
    }

    fn untagged(&mut self) -> PResult<Data<'a>> {
        if self.peek().is_some_and(|b| b.is_ascii_digit()) {
            let n = self.number()?;
            self.sp()?;
            if self.keyword("EXISTS") {
                return Ok(Data::Exists(n));
            }
            if self.keyword("RECENT") {
                return Ok(Data::Recent(n));
            }
            if self.keyword("EXPUNGE") {
                return Ok(Data::Expunge(n));
            }
            if self.keyword("FETCH") {
                self.sp()?;
                let items = self.list(false, Self::fetch_item)?;
                return Ok(Data::Fetch { seq: n, items });
            }
            let name = self.atom()?;
            return Ok(Data::Other {
                number: Some(n),
                name,
                args: self.other_args()?,
            });
        }
        let start = self.pos;
        let name = Upper::new(self.atom_bytes()?);
        let data = match name.as_bytes() {
            b"OK" => self.condition(Condition::Ok)?,
            b"NO" => self.condition(Condition::No)?,
            b"BAD" => self.condition(Condition::Bad)?,
            b"PREAUTH" => self.condition(Condition::PreAuth)?,
            b"BYE" => self.condition(Condition::Bye)?,
            b"CAPABILITY" => {
                let mut caps = Vec::new();
                while !self.at_eol() {
                    self.sp()?;
                    if self.at_eol() && self.opts.allow_trailing_space {
                        break;
                    }
                    caps.push(self.named(Capability::known, Capability::Other)?);
                }
                Data::Capability(caps)
            }
            b"ENABLED" => {
                let mut caps = Vec::new();
                while !self.at_eol() {
                    self.sp()?;
                    caps.push(self.named(Capability::known, Capability::Other)?);
                }
                Data::Enabled(caps)
            }
            b"FLAGS" => {
                self.sp()?;
                Data::Flags(self.flag_list(false)?)
            }
            b"LIST" => Data::List(ListKind::List, self.list_data()?),
            b"LSUB" => Data::List(ListKind::Lsub, self.list_data()?),
            b"XLIST" => Data::List(ListKind::Xlist, self.list_data()?),
            b"STATUS" => self.status_data()?,
            b"SEARCH" => {
                let (numbers, modseq) = self.numbers_modseq()?;
                Data::Search { numbers, modseq }
            }
            b"SORT" => {
                let (numbers, modseq) = self.numbers_modseq()?;
                Data::Sort { numbers, modseq }
            }
            b"ESEARCH" => Data::ESearch(self.esearch()?),
            b"THREAD" => {
                let mut threads = Vec::new();
                if self.eat(b' ') {
                    while self.peek() == Some(b'(') {
                        threads.push(self.thread()?);
                    }
                }
                Data::Thread(threads)
            }
            b"NAMESPACE" => {
                self.sp()?;
                let personal = self.namespaces()?;
                self.sp()?;
                let other = self.namespaces()?;
                self.sp()?;
                let shared = self.namespaces()?;
                Data::Namespace {
                    personal,
                    other,
                    shared,
                }
            }
            b"ID" => {
                self.sp()?;
                Data::Id(self.id_params()?)
            }
            b"VANISHED" => {
                self.sp()?;
                let earlier = self.prefix("(EARLIER)");
                if earlier {
                    self.sp()?;
                }
                Data::Vanished {
                    earlier,
                    uids: self.sequence_set()?,
                }
            }
            b"QUOTA" => {
                self.sp()?;
                let root = self.astring()?;
                self.sp()?;
                let resources = self.list(true, |r| {
                    let name = r.atom()?;
                    r.sp()?;
                    let usage = r.number64()?;
                    r.sp()?;
                    Ok(QuotaResource {
                        name,
                        usage,
                        limit: r.number64()?,
                    })
                })?;
                Data::Quota { root, resources }
            }
            b"QUOTAROOT" => {
                self.sp()?;
                let mailbox = self.mailbox()?;
                let mut roots = Vec::new();
                while self.eat(b' ') {
                    roots.push(self.astring()?);
                }
                Data::QuotaRoot { mailbox, roots }
            }
            b"METADATA" => {
                self.sp()?;
                let mailbox = self.mailbox()?;
                self.sp()?;
                let entries = if self.peek() == Some(b'(') {
                    MetadataEntries::Values(self.list(false, |r| {
                        let e = r.astring()?;
                        r.sp()?;
                        Ok((e, r.nstring()?))
                    })?)
                } else {
                    let mut v = vec![self.astring()?];
                    while self.eat(b' ') {
                        v.push(self.astring()?);
                    }
                    MetadataEntries::Names(v)
                };
                Data::Metadata { mailbox, entries }
            }
            _ => {
                self.pos = start;
                let name = self.atom()?;
                Data::Other {
                    number: None,
                    name,
                    args: self.other_args()?,
                }
            }
        };
        Ok(data)
    }

    fn other_args(&mut self) -> PResult<Vec<Value<'a>>> {
        let mut args = Vec::new();
        while !self.at_eol() {
            self.sp()?;
            if self.at_eol() && self.opts.allow_trailing_space {
                break;
            }
            args.push(self.value()?);
        }
        Ok(args)
    }

    fn condition(&mut self, condition: Condition) -> PResult<Data<'a>> {
        Ok(Data::Condition {
            condition,
            text: self.resp_text()?,
        })
    }

    fn delimiter(&mut self) -> PResult<Option<Delimiter>> {
        // The common case, `"/"` or `"."`: one printable ASCII character.
        if let (Some(b'"'), Some(c), Some(b'"')) = (self.peek(), self.peek_at(1), self.peek_at(2)) {
            if matches!(c, 0x20..=0x7e) && c != b'"' && c != b'\\' {
                self.pos += 3;
                return Ok(Some(
                    Delimiter::new(char::from(c)).or_else(|_| self.err("delimiter"))?,
                ));
            }
        }
        if self.keyword("NIL") {
            return Ok(None);
        }
        let at = self.pos;
        let q = self.quoted()?;
        let s = String::from_utf8_lossy(&q);
        let mut chars = s.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => Delimiter::new(c)
                .map(Some)
                .or_else(|_| self.err("delimiter")),
            (None, _) if self.opts.allow_empty_delimiter => Ok(None),
            _ => Err(crate::ParseError::new(
                at,
                crate::ParseErrorKind::Expected("one-character delimiter"),
            )),
        }
    }

    fn list_data(&mut self) -> PResult<ListData<'a>> {
        self.sp()?;
        let attributes = self.list(true, |r| {
            r.expect(b'\\', "\\ before mailbox attribute")?;
            r.named(MailboxAttribute::known, MailboxAttribute::Extension)
        })?;
        self.sp()?;
        let delimiter = self.delimiter()?;
        self.sp()?;
        let mailbox = self.mailbox()?;
        let mut extended = Vec::new();
        if self.peek() == Some(b' ') && self.peek_at(1) == Some(b'(') {
            self.pos += 1;
            extended = self.list(false, |r| {
                let tag = r.astring()?;
                r.sp()?;
                Ok((tag, r.value()?))
            })?;
        }
        Ok(ListData {
            attributes,
            delimiter,
            mailbox,
            extended,
        })
    }

    fn status_data(&mut self) -> PResult<Data<'a>> {
        self.sp()?;
        let mailbox = self.mailbox()?;
        self.sp()?;
        let items = self.list(true, |r| {
            let name = r.atom()?;
            r.sp()?;
            let value = r.value()?;
            Ok(match (StatusAttribute::from_atom(name.clone()), value) {
                (StatusAttribute::Other(_), value) => StatusItem::Other(name, value),
                (attr, Value::Number(n)) => StatusItem::Number(attr, n),
                (_, value) => StatusItem::Other(name, value),
            })
        })?;
        Ok(Data::Status { mailbox, items })
    }

    fn numbers_modseq(&mut self) -> PResult<(Vec<u32>, Option<u64>)> {
        let mut modseq = None;
        // The common case first: ` n` repeated, in one tight loop over the bytes; anything
        // else (zero, too large, the MODSEQ list, spaces) is left to the general loop below.
        let rest = self.rest();
        // Room for numbers of up to seven digits, bounded by the line length.
        let mut numbers = Vec::with_capacity(rest.len() / 8);
        let mut i = 0;
        'numbers: while rest.get(i) == Some(&b' ') {
            let mut j = i + 1;
            let mut n: u64 = 0;
            while let Some(&d) = rest.get(j) {
                if !d.is_ascii_digit() {
                    break;
                }
                n = n * 10 + u64::from(d - b'0');
                if n > u64::from(u32::MAX) {
                    break 'numbers;
                }
                j += 1;
            }
            match u32::try_from(n) {
                Ok(n) if n != 0 => numbers.push(n),
                _ => break,
            }
            i = j;
        }
        self.pos += i;
        while !self.at_eol() {
            self.sp()?;
            if self.at_eol() && (self.opts.allow_trailing_space || numbers.is_empty()) {
                // `* SEARCH ` with nothing after: Gmail and others when nothing matches.
                if !self.opts.allow_trailing_space {
                    return self.err("number");
                }
                break;
            }
            if self.peek() == Some(b'(') {
                self.open()?;
                if !self.keyword("MODSEQ") {
                    return self.err("MODSEQ");
                }
                self.sp()?;
                modseq = Some(self.number64()?);
                self.close()?;
                break;
            }
            numbers.push(self.nz_number()?.get());
        }
        Ok((numbers, modseq))
    }

    fn esearch(&mut self) -> PResult<ESearch<'a>> {
        let mut out = ESearch {
            tag: None,
            uid: false,
            items: Vec::new(),
        };
        if self.peek() == Some(b' ') && self.peek_at(1) == Some(b'(') {
            self.pos += 1;
            self.open()?;
            if !self.keyword("TAG") {
                return self.err("TAG");
            }
            self.sp()?;
            out.tag = Some(self.string()?);
            self.close()?;
        }
        let save = self.pos;
        if self.eat(b' ') && self.keyword("UID") {
            out.uid = true;
        } else {
            self.pos = save;
        }
        while !self.at_eol() {
            self.sp()?;
            if self.at_eol() && self.opts.allow_trailing_space {
                break;
            }
            let name = self.atom()?;
            self.sp()?;
            let item = match Upper::new(name.as_str().as_bytes()).as_bytes() {
                b"MIN" => ESearchItem::Min(self.nz_number()?.get()),
                b"MAX" => ESearchItem::Max(self.nz_number()?.get()),
                b"COUNT" => ESearchItem::Count(self.number()?),
                b"ALL" => ESearchItem::All(self.sequence_set()?),
                b"MODSEQ" => ESearchItem::ModSeq(self.number64()?),
                b"PARTIAL" => {
                    self.open()?;
                    let first = self.signed()?;
                    self.expect(b':', ":")?;
                    let last = self.signed()?;
                    self.sp()?;
                    let set = if self.keyword("NIL") {
                        None
                    } else {
                        Some(self.sequence_set()?)
                    };
                    self.close()?;
                    ESearchItem::Partial { first, last, set }
                }
                _ => ESearchItem::Other(name, self.value()?),
            };
            out.items.push(item);
        }
        Ok(out)
    }

    fn signed(&mut self) -> PResult<i64> {
        let neg = self.eat(b'-');
        let n = self.number()?;
        Ok(if neg { -i64::from(n) } else { i64::from(n) })
    }

    fn thread(&mut self) -> PResult<Thread> {
        self.open()?;
        let mut t = Thread::default();
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            t.members.push(self.nz_number()?.get());
            if !self.eat(b' ') {
                break;
            }
        }
        while self.peek() == Some(b'(') {
            t.children.push(self.thread()?);
        }
        if t.members.is_empty() && t.children.is_empty() {
            return self.err("thread member");
        }
        self.close()?;
        Ok(t)
    }

    fn namespaces(&mut self) -> PResult<Option<Vec<Namespace<'a>>>> {
        if self.keyword("NIL") {
            return Ok(None);
        }
        self.open()?;
        let mut out = Vec::new();
        while self.peek() == Some(b'(') {
            self.open()?;
            let prefix = self.string()?;
            self.sp()?;
            let delimiter = self.delimiter()?;
            let mut extensions = Vec::new();
            while self.eat(b' ') {
                let name = self.string()?;
                self.sp()?;
                extensions.push((name, self.list(false, Self::string)?));
            }
            self.close()?;
            out.push(Namespace {
                prefix,
                delimiter,
                extensions,
            });
            if self.opts.allow_extra_spaces {
                while self.eat(b' ') {}
            }
        }
        if out.is_empty() && !self.opts.allow_empty_lists {
            return self.err("namespace");
        }
        self.close()?;
        Ok(Some(out))
    }

    pub(crate) fn id_params(&mut self) -> PResult<Option<Vec<(IString<'a>, NString<'a>)>>> {
        if self.keyword("NIL") {
            return Ok(None);
        }
        self.list(true, |r| {
            let k = r.string()?;
            r.sp()?;
            Ok((k, r.nstring()?))
        })
        .map(Some)
    }

    fn fetch_item(&mut self) -> PResult<FetchItem<'a>> {
        let start = self.pos;
        let depth = self.depth();
        match self.known_fetch_item() {
            Ok(item) => return Ok(item),
            Err(e) if !self.opts.keep_malformed_fetch_items => return Err(e),
            Err(_) => {}
        }
        // A malformed known item: keep it as generic data so the other items survive.
        self.pos = start;
        self.set_depth(depth);
        let name = self.token()?;
        self.sp()?;
        Ok(FetchItem::Other {
            name,
            value: self.value()?,
        })
    }

    fn known_fetch_item(&mut self) -> PResult<FetchItem<'a>> {
        if self.prefix("BODY[") {
            let (section, origin) = self.section_origin()?;
            self.sp()?;
            return Ok(FetchItem::BodySection {
                section,
                origin,
                data: self.nstring()?,
            });
        }
        if self.prefix("BINARY.SIZE") {
            let part = self.binary_section()?;
            self.sp()?;
            return Ok(FetchItem::BinarySize {
                part,
                size: self.number64()?,
            });
        }
        if self.prefix("BINARY") && self.peek() == Some(b'[') {
            let part = self.binary_section()?;
            self.sp()?;
            return Ok(FetchItem::Binary {
                part,
                data: self.nstring()?,
            });
        }
        let start = self.pos;
        let name = Upper::new(self.atom_bytes()?);
        self.sp()?;
        Ok(match name.as_bytes() {
            b"FLAGS" => FetchItem::Flags(self.flag_list(false)?),
            b"UID" => FetchItem::Uid(self.nz_number()?.get()),
            b"RFC822.SIZE" => FetchItem::Rfc822Size(self.number64()?),
            b"INTERNALDATE" => FetchItem::InternalDate(Quoted::unchecked(self.quoted()?)),
            b"MODSEQ" => {
                self.open()?;
                let n = self.number64()?;
                self.close()?;
                FetchItem::ModSeq(n)
            }
            b"RFC822" => FetchItem::Rfc822(self.nstring()?),
            b"RFC822.HEADER" => FetchItem::Rfc822Header(self.nstring()?),
            b"RFC822.TEXT" => FetchItem::Rfc822Text(self.nstring()?),
            b"ENVELOPE" => FetchItem::Envelope(Box::new(self.envelope()?)),
            b"BODY" => FetchItem::Body(Box::new(self.body()?)),
            b"BODYSTRUCTURE" => FetchItem::BodyStructure(Box::new(self.body()?)),
            _ => {
                self.pos = start;
                let name = self.token()?;
                self.sp()?;
                FetchItem::Other {
                    name,
                    value: self.value()?,
                }
            }
        })
    }

    /// The section after `BODY[` and an optional `<origin>`.
    fn section_origin(&mut self) -> PResult<(Section<'a>, Option<u32>)> {
        let section = self.section()?;
        let origin = if self.eat(b'<') {
            let n = self.number()?;
            self.expect(b'>', ">")?;
            Some(n)
        } else {
            None
        };
        Ok((section, origin))
    }

    /// The name of a FETCH item whose value is a string (`BODY[1]<0>`, `BINARY[2]`,
    /// `RFC822.TEXT`...), and the SP after it.
    fn string_item_name(&mut self) -> PResult<LiteralItem<'a>> {
        let item = if self.prefix("BODY[") {
            let (section, origin) = self.section_origin()?;
            LiteralItem::BodySection { section, origin }
        } else if self.peek_at(6) == Some(b'[') && self.prefix("BINARY") {
            LiteralItem::Binary {
                part: self.binary_section()?,
            }
        } else {
            let name = self.token()?;
            match Upper::new(name.as_str().as_bytes()).as_bytes() {
                b"RFC822" => LiteralItem::Rfc822,
                b"RFC822.HEADER" => LiteralItem::Rfc822Header,
                b"RFC822.TEXT" => LiteralItem::Rfc822Text,
                _ => LiteralItem::Other(name),
            }
        };
        self.sp()?;
        Ok(item)
    }

    /// The text of a FETCH response up to a streamed literal (see
    /// [`parse_fetch_head`](crate::stream::parse_fetch_head)); `lit_at` is where the literal's
    /// announcement starts.
    pub(crate) fn fetch_head(&mut self, lit_at: usize) -> PResult<FetchHead<'a>> {
        let mut seq = None;
        let mut first = false;
        if self.eat(b'*') {
            self.sp()?;
            let n = self.number()?;
            self.sp()?;
            if !self.keyword("FETCH") {
                return self.err("FETCH");
            }
            self.sp()?;
            self.open()?;
            seq = Some(n);
            first = true;
        } else {
            // After an earlier streamed literal: inside the item list.
            self.set_depth(1);
        }
        let mut items = Vec::new();
        loop {
            if !first {
                self.sp()?;
            }
            first = false;
            let start = self.pos;
            let depth = self.depth();
            if let Ok(item) = self.string_item_name() {
                if self.pos == lit_at {
                    return Ok(FetchHead {
                        seq,
                        items,
                        literal_of: item,
                    });
                }
            }
            self.pos = start;
            self.set_depth(depth);
            items.push(self.fetch_item()?);
            if self.pos >= lit_at {
                // The literal is inside an item's value (an ENVELOPE field, a list).
                return Err(ParseError::new(
                    start,
                    ParseErrorKind::Expected("a FETCH item whose whole value is the literal"),
                ));
            }
        }
    }

    /// The text of a FETCH response after its last streamed literal: `*(SP item) ")" CRLF`.
    pub(crate) fn fetch_tail(&mut self) -> PResult<Vec<FetchItem<'a>>> {
        self.set_depth(1);
        let mut items = Vec::new();
        while !self.at_close() {
            self.sp()?;
            items.push(self.fetch_item()?);
        }
        self.close()?;
        self.eol()?;
        Ok(items)
    }

    fn envelope(&mut self) -> PResult<Envelope<'a>> {
        self.open()?;
        let date = self.nstring()?;
        self.sp()?;
        let subject = self.nstring()?;
        self.sp()?;
        let from = self.addresses()?;
        self.sp()?;
        let sender = self.addresses()?;
        self.sp()?;
        let reply_to = self.addresses()?;
        self.sp()?;
        let to = self.addresses()?;
        self.sp()?;
        let cc = self.addresses()?;
        self.sp()?;
        let bcc = self.addresses()?;
        self.sp()?;
        let in_reply_to = self.nstring()?;
        self.sp()?;
        let message_id = self.nstring()?;
        self.close()?;
        Ok(Envelope {
            date,
            subject,
            from,
            sender,
            reply_to,
            to,
            cc,
            bcc,
            in_reply_to,
            message_id,
        })
    }

    fn addresses(&mut self) -> PResult<Vec<Address<'a>>> {
        if self.keyword("NIL") {
            return Ok(Vec::new());
        }
        self.open()?;
        let mut out = Vec::new();
        while self.peek() == Some(b'(') {
            self.open()?;
            let name = self.nstring()?;
            self.sp()?;
            let adl = self.nstring()?;
            self.sp()?;
            let mailbox = self.nstring()?;
            self.sp()?;
            let host = self.nstring()?;
            self.close()?;
            out.push(Address {
                name,
                adl,
                mailbox,
                host,
            });
            if self.opts.allow_extra_spaces {
                while self.eat(b' ') {}
            }
        }
        if out.is_empty() && !self.opts.allow_empty_lists {
            return self.err("address");
        }
        self.close()?;
        Ok(out)
    }

    fn params(&mut self) -> PResult<Vec<(IString<'a>, IString<'a>)>> {
        if self.keyword("NIL") {
            return Ok(Vec::new());
        }
        self.list(false, |r| {
            let k = r.string_or_nil()?;
            r.sp()?;
            Ok((k, r.string_or_nil()?))
        })
    }

    fn body(&mut self) -> PResult<BodyStructure<'a>> {
        self.open()?;
        let b = if self.peek() == Some(b'(') {
            let mut parts = Vec::new();
            while self.peek() == Some(b'(') {
                parts.push(self.body()?);
                if self.opts.allow_extra_spaces && self.peek_at(1) == Some(b'(') {
                    while self.eat(b' ') {}
                }
            }
            self.sp()?;
            let subtype = self.string_or_nil()?;
            let extension = if self.eat(b' ') {
                let params = self.params()?;
                Some((params, self.body_ext()?))
            } else {
                None
            };
            BodyStructure::Multi {
                parts,
                subtype,
                extension,
            }
        } else {
            let media_type = self.string_or_nil()?;
            self.sp()?;
            let subtype = self.string_or_nil()?;
            self.sp()?;
            let params = self.params()?;
            self.sp()?;
            let id = self.nstring()?;
            self.sp()?;
            let description = self.nstring()?;
            self.sp()?;
            let encoding = self.string_or_nil()?;
            self.sp()?;
            let size = self.number64()?;
            let mt = media_type.data();
            let st = subtype.data();
            let kind = if mt.eq_ignore_ascii_case(b"TEXT") {
                self.sp()?;
                SinglePartKind::Text {
                    lines: self.number64()?,
                }
            } else if mt.eq_ignore_ascii_case(b"MESSAGE")
                && (st.eq_ignore_ascii_case(b"RFC822") || st.eq_ignore_ascii_case(b"GLOBAL"))
                && self.peek() == Some(b' ')
                && self.peek_at(1) == Some(b'(')
            {
                self.sp()?;
                let envelope = Box::new(self.envelope()?);
                self.sp()?;
                let body = Box::new(self.body()?);
                self.sp()?;
                SinglePartKind::Message {
                    envelope,
                    body,
                    lines: self.number64()?,
                }
            } else {
                SinglePartKind::Basic
            };
            let extension = if self.eat(b' ') {
                let md5 = self.nstring()?;
                Some((md5, self.body_ext()?))
            } else {
                None
            };
            BodyStructure::Single {
                media_type,
                subtype,
                params,
                id,
                description,
                encoding,
                size,
                kind,
                extension,
            }
        };
        self.close()?;
        Ok(b)
    }

    fn body_ext(&mut self) -> PResult<BodyExtension<'a>> {
        let mut ext = BodyExtension::default();
        if !self.eat(b' ') {
            return Ok(ext);
        }
        ext.disposition = Some(if self.keyword("NIL") {
            None
        } else {
            self.open()?;
            let kind = self.string()?;
            self.sp()?;
            let params = self.params()?;
            self.close()?;
            Some(Disposition { kind, params })
        });
        if !self.eat(b' ') {
            return Ok(ext);
        }
        ext.language = Some(if self.peek() == Some(b'(') {
            Language::List(self.list(false, Self::string)?)
        } else {
            Language::Single(self.nstring()?)
        });
        if !self.eat(b' ') {
            return Ok(ext);
        }
        ext.location = Some(self.nstring()?);
        while self.eat(b' ') {
            ext.extra.push(self.value()?);
        }
        Ok(ext)
    }
}

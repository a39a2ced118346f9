//! Serialising: the writer, the core types and responses.

use crate::types::*;

/// Serialised bytes, with the points where a sender must wait for a `+` continuation
/// (after each synchronising literal announcement).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Encoded {
    bytes: Vec<u8>,
    sync_points: Vec<usize>,
}

/// A piece of an [`Encoded`] unit to send in one go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fragment<'a> {
    /// The bytes.
    pub bytes: &'a [u8],
    /// Whether the sender must wait for a `+` continuation before the next fragment.
    pub wait_for_continuation: bool,
}

impl Encoded {
    /// All bytes, as if every continuation had been granted.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// All bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// The bytes split at synchronising literals.
    pub fn fragments(&self) -> Vec<Fragment<'_>> {
        let mut out = Vec::with_capacity(self.sync_points.len() + 1);
        let mut start = 0;
        for &p in &self.sync_points {
            out.push(Fragment {
                bytes: self.bytes.get(start..p).unwrap_or_default(),
                wait_for_continuation: true,
            });
            start = p;
        }
        out.push(Fragment {
            bytes: self.bytes.get(start..).unwrap_or_default(),
            wait_for_continuation: false,
        });
        out
    }
}

/// Values that serialise to wire bytes.
pub trait Encode {
    /// Appends the wire form to `out` (every literal inline).
    fn write_to(&self, out: &mut Vec<u8>);

    /// The wire form with its synchronisation points.
    fn encode(&self) -> Encoded;
}

pub(crate) struct W {
    pub(crate) out: Vec<u8>,
    pub(crate) sync: Vec<usize>,
}

impl W {
    pub(crate) fn new(out: Vec<u8>) -> Self {
        Self {
            out,
            sync: Vec::new(),
        }
    }

    pub(crate) fn raw(&mut self, b: &[u8]) {
        self.out.extend_from_slice(b);
    }

    pub(crate) fn s(&mut self, s: &str) {
        self.out.extend_from_slice(s.as_bytes());
    }

    pub(crate) fn sp(&mut self) {
        self.out.push(b' ');
    }

    pub(crate) fn crlf(&mut self) {
        self.out.extend_from_slice(b"\r\n");
    }

    pub(crate) fn num(&mut self, n: impl Into<u64>) {
        let mut buf = [0u8; 20];
        let mut i = buf.len();
        let mut n = n.into();
        loop {
            i -= 1;
            if let Some(slot) = buf.get_mut(i) {
                *slot = b'0' + (n % 10) as u8;
            }
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.raw(buf.get(i..).unwrap_or_default());
    }

    pub(crate) fn quoted(&mut self, data: &[u8]) {
        self.out.push(b'"');
        let mut start = 0;
        for (i, &b) in data.iter().enumerate() {
            if b == b'"' || b == b'\\' {
                self.out
                    .extend_from_slice(data.get(start..i).unwrap_or_default());
                self.out.push(b'\\');
                start = i;
            }
        }
        self.out
            .extend_from_slice(data.get(start..).unwrap_or_default());
        self.out.push(b'"');
    }

    pub(crate) fn literal(&mut self, l: &Literal<'_>) {
        if l.is_binary() {
            self.out.push(b'~');
        }
        self.out.push(b'{');
        self.num(l.data().len() as u64);
        if l.mode() == LiteralMode::NonSync {
            self.out.push(b'+');
        }
        self.raw(b"}\r\n");
        if l.mode() == LiteralMode::Sync {
            self.sync.push(self.out.len());
        }
        self.raw(l.data());
    }

    pub(crate) fn string(&mut self, s: &IString<'_>) {
        match s {
            IString::Quoted(q) => self.quoted(q.data()),
            IString::Literal(l) => self.literal(l),
        }
    }

    pub(crate) fn nstring(&mut self, s: &NString<'_>) {
        match s {
            Some(s) => self.string(s),
            None => self.s("NIL"),
        }
    }

    pub(crate) fn astring(&mut self, s: &AString<'_>) {
        match s {
            AString::Atom(a) => self.s(a.as_str()),
            AString::String(s) => self.string(s),
        }
    }

    pub(crate) fn mailbox(&mut self, m: &Mailbox<'_>) {
        self.astring(&m.0);
    }

    pub(crate) fn list<T>(&mut self, items: &[T], mut f: impl FnMut(&mut Self, &T)) {
        self.out.push(b'(');
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.sp();
            }
            f(self, item);
        }
        self.out.push(b')');
    }

    pub(crate) fn flag(&mut self, f: &Flag<'_>) {
        match f {
            Flag::Answered => self.s("\\Answered"),
            Flag::Flagged => self.s("\\Flagged"),
            Flag::Deleted => self.s("\\Deleted"),
            Flag::Seen => self.s("\\Seen"),
            Flag::Draft => self.s("\\Draft"),
            Flag::Recent => self.s("\\Recent"),
            Flag::Wildcard => self.s("\\*"),
            Flag::Extension(a) => {
                self.s("\\");
                self.s(a.as_str());
            }
            Flag::Keyword(a) => self.s(a.as_str()),
        }
    }

    pub(crate) fn flags(&mut self, f: &[Flag<'_>]) {
        self.list(f, Self::flag);
    }

    fn seq_number(&mut self, n: SeqNumber) {
        match n {
            SeqNumber::Value(v) => self.num(v.get()),
            SeqNumber::Largest => self.s("*"),
        }
    }

    pub(crate) fn seq_set(&mut self, s: &SequenceSet) {
        match s {
            SequenceSet::Saved => self.s("$"),
            SequenceSet::Set(items) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push(b',');
                    }
                    match *item {
                        Sequence::Single(n) => self.seq_number(n),
                        Sequence::Range(a, b) => {
                            self.seq_number(a);
                            self.out.push(b':');
                            self.seq_number(b);
                        }
                    }
                }
            }
        }
    }

    pub(crate) fn value(&mut self, v: &Value<'_>) {
        match v {
            Value::Nil => self.s("NIL"),
            Value::Number(n) => self.num(*n),
            Value::Atom(t) => self.s(t.as_str()),
            Value::String(s) => self.string(s),
            Value::List(l) => self.list(l, Self::value),
        }
    }

    pub(crate) fn part(&mut self, part: &[std::num::NonZeroU32]) {
        for (i, p) in part.iter().enumerate() {
            if i > 0 {
                self.out.push(b'.');
            }
            self.num(p.get());
        }
    }

    pub(crate) fn section(&mut self, s: &Section<'_>) {
        self.out.push(b'[');
        self.part(&s.part);
        if let Some(t) = &s.text {
            if !s.part.is_empty() {
                self.out.push(b'.');
            }
            match t {
                SectionText::Header => self.s("HEADER"),
                SectionText::HeaderFields(f) => {
                    self.s("HEADER.FIELDS ");
                    self.list(f, Self::astring);
                }
                SectionText::HeaderFieldsNot(f) => {
                    self.s("HEADER.FIELDS.NOT ");
                    self.list(f, Self::astring);
                }
                SectionText::Text => self.s("TEXT"),
                SectionText::Mime => self.s("MIME"),
            }
        }
        self.out.push(b']');
    }

    pub(crate) fn finish(self) -> Encoded {
        Encoded {
            bytes: self.out,
            sync_points: self.sync,
        }
    }

    // ----- responses -----

    pub(crate) fn resp_text(&mut self, t: &ResponseText<'_>) {
        if let Some(code) = &t.code {
            self.out.push(b'[');
            self.code(code);
            self.raw(b"] ");
        }
        self.s(t.text.as_str());
    }

    fn code(&mut self, c: &Code<'_>) {
        match c {
            Code::Alert => self.s("ALERT"),
            Code::BadCharset(v) => {
                self.s("BADCHARSET");
                if !v.is_empty() {
                    self.sp();
                    self.list(v, Self::astring);
                }
            }
            Code::Capability(caps) => {
                self.s("CAPABILITY");
                for c in caps {
                    self.sp();
                    self.s(c.name());
                }
            }
            Code::Parse => self.s("PARSE"),
            Code::PermanentFlags(f) => {
                self.s("PERMANENTFLAGS ");
                self.flags(f);
            }
            Code::ReadOnly => self.s("READ-ONLY"),
            Code::ReadWrite => self.s("READ-WRITE"),
            Code::TryCreate => self.s("TRYCREATE"),
            Code::UidNext(n) => self.kv("UIDNEXT ", *n),
            Code::UidValidity(n) => self.kv("UIDVALIDITY ", *n),
            Code::Unseen(n) => self.kv("UNSEEN ", *n),
            Code::AppendUid { validity, uids } => {
                self.kv("APPENDUID ", *validity);
                self.sp();
                self.seq_set(uids);
            }
            Code::CopyUid {
                validity,
                source,
                destination,
            } => {
                self.kv("COPYUID ", *validity);
                self.sp();
                self.seq_set(source);
                self.sp();
                self.seq_set(destination);
            }
            Code::UidNotSticky => self.s("UIDNOTSTICKY"),
            Code::HighestModSeq(n) => self.kv("HIGHESTMODSEQ ", *n),
            Code::NoModSeq => self.s("NOMODSEQ"),
            Code::Modified(s) => {
                self.s("MODIFIED ");
                self.seq_set(s);
            }
            Code::Closed => self.s("CLOSED"),
            Code::MetadataLongEntries(n) => self.kv("METADATA LONGENTRIES ", *n),
            Code::MetadataMaxSize(n) => self.kv("METADATA MAXSIZE ", *n),
            Code::MetadataTooMany => self.s("METADATA TOOMANY"),
            Code::MetadataNoPrivate => self.s("METADATA NOPRIVATE"),
            Code::Simple(s) => self.s(s.name()),
            Code::Other { name, args } => {
                self.s(name.as_str());
                if let Some(a) = args {
                    self.sp();
                    self.s(a.as_str());
                }
            }
        }
    }

    fn kv(&mut self, k: &str, v: impl Into<u64>) {
        self.s(k);
        self.num(v);
    }

    pub(crate) fn response(&mut self, r: &Response<'_>) {
        match r {
            Response::Tagged { tag, state, text } => {
                self.s(tag.as_str());
                self.s(match state {
                    State::Ok => " OK ",
                    State::No => " NO ",
                    State::Bad => " BAD ",
                });
                self.resp_text(text);
            }
            Response::Continue(text) => {
                self.s("+ ");
                self.resp_text(text);
            }
            Response::Data(d) => {
                self.s("* ");
                self.data(d);
            }
        }
        self.crlf();
    }

    fn delimiter(&mut self, d: Option<Delimiter>) {
        match d {
            Some(d) => {
                let mut buf = [0u8; 4];
                self.quoted(d.char().encode_utf8(&mut buf).as_bytes());
            }
            None => self.s("NIL"),
        }
    }

    fn numbers_modseq(&mut self, numbers: &[u32], modseq: Option<u64>) {
        for n in numbers {
            self.sp();
            self.num(*n);
        }
        if let Some(m) = modseq {
            self.s(" (MODSEQ ");
            self.num(m);
            self.s(")");
        }
    }

    fn data(&mut self, d: &Data<'_>) {
        match d {
            Data::Condition { condition, text } => {
                self.s(match condition {
                    Condition::Ok => "OK ",
                    Condition::No => "NO ",
                    Condition::Bad => "BAD ",
                    Condition::PreAuth => "PREAUTH ",
                    Condition::Bye => "BYE ",
                });
                self.resp_text(text);
            }
            Data::Capability(caps) | Data::Enabled(caps) => {
                self.s(if matches!(d, Data::Capability(_)) {
                    "CAPABILITY"
                } else {
                    "ENABLED"
                });
                for c in caps {
                    self.sp();
                    self.s(c.name());
                }
            }
            Data::Flags(f) => {
                self.s("FLAGS ");
                self.flags(f);
            }
            Data::List(kind, l) => {
                self.s(match kind {
                    ListKind::List => "LIST ",
                    ListKind::Lsub => "LSUB ",
                    ListKind::Xlist => "XLIST ",
                });
                self.list(&l.attributes, |w, a| {
                    w.s("\\");
                    w.s(a.name());
                });
                self.sp();
                self.delimiter(l.delimiter);
                self.sp();
                self.mailbox(&l.mailbox);
                if !l.extended.is_empty() {
                    self.sp();
                    self.list(&l.extended, |w, (t, v)| {
                        w.astring(t);
                        w.sp();
                        w.value(v);
                    });
                }
            }
            Data::Status { mailbox, items } => {
                self.s("STATUS ");
                self.mailbox(mailbox);
                self.sp();
                self.list(items, |w, i| match i {
                    StatusItem::Number(a, n) => {
                        w.s(a.name());
                        w.sp();
                        w.num(*n);
                    }
                    StatusItem::Other(a, v) => {
                        w.s(a.as_str());
                        w.sp();
                        w.value(v);
                    }
                });
            }
            Data::Search { numbers, modseq } => {
                self.s("SEARCH");
                self.numbers_modseq(numbers, *modseq);
            }
            Data::Sort { numbers, modseq } => {
                self.s("SORT");
                self.numbers_modseq(numbers, *modseq);
            }
            Data::ESearch(e) => self.esearch(e),
            Data::Thread(t) => {
                self.s("THREAD");
                if !t.is_empty() {
                    self.sp();
                    for t in t {
                        self.thread(t);
                    }
                }
            }
            Data::Exists(n) => self.num_kw(*n, " EXISTS"),
            Data::Recent(n) => self.num_kw(*n, " RECENT"),
            Data::Expunge(n) => self.num_kw(*n, " EXPUNGE"),
            Data::Fetch { seq, items } => {
                self.num_kw(*seq, " FETCH ");
                self.list(items, Self::fetch_item);
            }
            Data::Namespace {
                personal,
                other,
                shared,
            } => {
                self.s("NAMESPACE");
                for ns in [personal, other, shared] {
                    self.sp();
                    match ns {
                        None => self.s("NIL"),
                        Some(list) => {
                            self.out.push(b'(');
                            for n in list {
                                self.out.push(b'(');
                                self.string(&n.prefix);
                                self.sp();
                                self.delimiter(n.delimiter);
                                for (k, v) in &n.extensions {
                                    self.sp();
                                    self.string(k);
                                    self.sp();
                                    self.list(v, Self::string);
                                }
                                self.out.push(b')');
                            }
                            self.out.push(b')');
                        }
                    }
                }
            }
            Data::Id(params) => {
                self.s("ID ");
                self.id_params(params);
            }
            Data::Vanished { earlier, uids } => {
                self.s(if *earlier {
                    "VANISHED (EARLIER) "
                } else {
                    "VANISHED "
                });
                self.seq_set(uids);
            }
            Data::Quota { root, resources } => {
                self.s("QUOTA ");
                self.astring(root);
                self.sp();
                self.list(resources, |w, r| {
                    w.s(r.name.as_str());
                    w.sp();
                    w.num(r.usage);
                    w.sp();
                    w.num(r.limit);
                });
            }
            Data::QuotaRoot { mailbox, roots } => {
                self.s("QUOTAROOT ");
                self.mailbox(mailbox);
                for r in roots {
                    self.sp();
                    self.astring(r);
                }
            }
            Data::Metadata { mailbox, entries } => {
                self.s("METADATA ");
                self.mailbox(mailbox);
                self.sp();
                match entries {
                    MetadataEntries::Values(v) => self.list(v, |w, (e, v)| {
                        w.astring(e);
                        w.sp();
                        w.nstring(v);
                    }),
                    MetadataEntries::Names(n) => {
                        for (i, e) in n.iter().enumerate() {
                            if i > 0 {
                                self.sp();
                            }
                            self.astring(e);
                        }
                    }
                }
            }
            Data::Other { number, name, args } => {
                if let Some(n) = number {
                    self.num(*n);
                    self.sp();
                }
                self.s(name.as_str());
                for a in args {
                    self.sp();
                    self.value(a);
                }
            }
        }
    }

    pub(crate) fn id_params(&mut self, params: &Option<Vec<(IString<'_>, NString<'_>)>>) {
        match params {
            None => self.s("NIL"),
            Some(p) => self.list(p, |w, (k, v)| {
                w.string(k);
                w.sp();
                w.nstring(v);
            }),
        }
    }

    fn num_kw(&mut self, n: u32, kw: &str) {
        self.num(n);
        self.s(kw);
    }

    fn esearch(&mut self, e: &ESearch<'_>) {
        self.s("ESEARCH");
        if let Some(tag) = &e.tag {
            self.s(" (TAG ");
            self.string(tag);
            self.s(")");
        }
        if e.uid {
            self.s(" UID");
        }
        for item in &e.items {
            self.sp();
            match item {
                ESearchItem::Min(n) => self.kv("MIN ", *n),
                ESearchItem::Max(n) => self.kv("MAX ", *n),
                ESearchItem::Count(n) => self.kv("COUNT ", *n),
                ESearchItem::ModSeq(n) => self.kv("MODSEQ ", *n),
                ESearchItem::All(s) => {
                    self.s("ALL ");
                    self.seq_set(s);
                }
                ESearchItem::Partial { first, last, set } => {
                    self.s("PARTIAL (");
                    self.s(&first.to_string());
                    self.out.push(b':');
                    self.s(&last.to_string());
                    self.sp();
                    match set {
                        Some(s) => self.seq_set(s),
                        None => self.s("NIL"),
                    }
                    self.s(")");
                }
                ESearchItem::Other(name, v) => {
                    self.s(name.as_str());
                    self.sp();
                    self.value(v);
                }
            }
        }
    }

    fn thread(&mut self, t: &Thread) {
        self.out.push(b'(');
        for (i, m) in t.members.iter().enumerate() {
            if i > 0 {
                self.sp();
            }
            self.num(*m);
        }
        if !t.members.is_empty() && !t.children.is_empty() {
            self.sp();
        }
        for c in &t.children {
            self.thread(c);
        }
        self.out.push(b')');
    }

    fn fetch_item(&mut self, item: &FetchItem<'_>) {
        match item {
            FetchItem::Flags(f) => {
                self.s("FLAGS ");
                self.flags(f);
            }
            FetchItem::InternalDate(d) => {
                self.s("INTERNALDATE ");
                self.quoted(d.data());
            }
            FetchItem::Rfc822Size(n) => self.kv("RFC822.SIZE ", *n),
            FetchItem::Uid(n) => self.kv("UID ", *n),
            FetchItem::ModSeq(n) => {
                self.kv("MODSEQ (", *n);
                self.s(")");
            }
            FetchItem::Envelope(e) => {
                self.s("ENVELOPE ");
                self.envelope(e);
            }
            FetchItem::Body(b) => {
                self.s("BODY ");
                self.body(b);
            }
            FetchItem::BodyStructure(b) => {
                self.s("BODYSTRUCTURE ");
                self.body(b);
            }
            FetchItem::BodySection {
                section,
                origin,
                data,
            } => {
                self.s("BODY");
                self.section(section);
                if let Some(o) = origin {
                    self.out.push(b'<');
                    self.num(*o);
                    self.out.push(b'>');
                }
                self.sp();
                self.nstring(data);
            }
            FetchItem::Binary { part, data } => {
                self.s("BINARY[");
                self.part(part);
                self.s("] ");
                self.nstring(data);
            }
            FetchItem::BinarySize { part, size } => {
                self.s("BINARY.SIZE[");
                self.part(part);
                self.s("] ");
                self.num(*size);
            }
            FetchItem::Rfc822(d) => {
                self.s("RFC822 ");
                self.nstring(d);
            }
            FetchItem::Rfc822Header(d) => {
                self.s("RFC822.HEADER ");
                self.nstring(d);
            }
            FetchItem::Rfc822Text(d) => {
                self.s("RFC822.TEXT ");
                self.nstring(d);
            }
            FetchItem::Other { name, value } => {
                self.s(name.as_str());
                self.sp();
                self.value(value);
            }
        }
    }

    fn addresses(&mut self, a: &[Address<'_>]) {
        if a.is_empty() {
            self.s("NIL");
            return;
        }
        self.out.push(b'(');
        for a in a {
            self.out.push(b'(');
            self.nstring(&a.name);
            self.sp();
            self.nstring(&a.adl);
            self.sp();
            self.nstring(&a.mailbox);
            self.sp();
            self.nstring(&a.host);
            self.out.push(b')');
        }
        self.out.push(b')');
    }

    fn envelope(&mut self, e: &Envelope<'_>) {
        self.out.push(b'(');
        self.nstring(&e.date);
        self.sp();
        self.nstring(&e.subject);
        for a in [&e.from, &e.sender, &e.reply_to, &e.to, &e.cc, &e.bcc] {
            self.sp();
            self.addresses(a);
        }
        self.sp();
        self.nstring(&e.in_reply_to);
        self.sp();
        self.nstring(&e.message_id);
        self.out.push(b')');
    }

    fn params(&mut self, p: &[(IString<'_>, IString<'_>)]) {
        if p.is_empty() {
            self.s("NIL");
            return;
        }
        self.list(p, |w, (k, v)| {
            w.string(k);
            w.sp();
            w.string(v);
        });
    }

    fn body(&mut self, b: &BodyStructure<'_>) {
        self.out.push(b'(');
        match b {
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
            } => {
                self.string(media_type);
                self.sp();
                self.string(subtype);
                self.sp();
                self.params(params);
                self.sp();
                self.nstring(id);
                self.sp();
                self.nstring(description);
                self.sp();
                self.string(encoding);
                self.sp();
                self.num(*size);
                match kind {
                    SinglePartKind::Basic => {}
                    SinglePartKind::Text { lines } => {
                        self.sp();
                        self.num(*lines);
                    }
                    SinglePartKind::Message {
                        envelope,
                        body,
                        lines,
                    } => {
                        self.sp();
                        self.envelope(envelope);
                        self.sp();
                        self.body(body);
                        self.sp();
                        self.num(*lines);
                    }
                }
                if let Some((md5, ext)) = extension {
                    self.sp();
                    self.nstring(md5);
                    self.body_ext(ext);
                }
            }
            BodyStructure::Multi {
                parts,
                subtype,
                extension,
            } => {
                for p in parts {
                    self.body(p);
                }
                self.sp();
                self.string(subtype);
                if let Some((params, ext)) = extension {
                    self.sp();
                    self.params(params);
                    self.body_ext(ext);
                }
            }
        }
        self.out.push(b')');
    }

    fn body_ext(&mut self, e: &BodyExtension<'_>) {
        let Some(dsp) = &e.disposition else { return };
        self.sp();
        match dsp {
            None => self.s("NIL"),
            Some(d) => {
                self.out.push(b'(');
                self.string(&d.kind);
                self.sp();
                self.params(&d.params);
                self.out.push(b')');
            }
        }
        let Some(lang) = &e.language else { return };
        self.sp();
        match lang {
            Language::Single(s) => self.nstring(s),
            Language::List(l) => self.list(l, Self::string),
        }
        let Some(loc) = &e.location else { return };
        self.sp();
        self.nstring(loc);
        for v in &e.extra {
            self.sp();
            self.value(v);
        }
    }
}

impl Encode for Response<'_> {
    fn write_to(&self, out: &mut Vec<u8>) {
        let mut w = W::new(std::mem::take(out));
        w.response(self);
        *out = w.out;
    }

    fn encode(&self) -> Encoded {
        let mut w = W::new(Vec::new());
        w.response(self);
        w.finish()
    }
}

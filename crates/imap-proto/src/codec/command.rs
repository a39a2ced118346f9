//! Parsing client commands (RFC 9051 `command`), on a framed unit.

use mail_wire::Secret;

use crate::codec::reader::{PResult, Reader, Upper};
use crate::types::*;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

pub(crate) fn month_name(m: u8) -> &'static str {
    MONTHS
        .get(usize::from(m).wrapping_sub(1))
        .copied()
        .unwrap_or("Jan")
}

impl<'a> Reader<'a, '_> {
    pub(crate) fn command(&mut self) -> PResult<Command<'a>> {
        let tag = self.tag()?;
        self.sp()?;
        let body = self.command_body()?;
        self.eol()?;
        Ok(Command { tag, body })
    }

    fn command_body(&mut self) -> PResult<CommandBody<'a>> {
        let start = self.pos;
        let name = Upper::new(self.atom_bytes()?);
        Ok(match name.as_bytes() {
            b"CAPABILITY" => CommandBody::Capability,
            b"NOOP" => CommandBody::Noop,
            b"LOGOUT" => CommandBody::Logout,
            b"STARTTLS" => CommandBody::StartTls,
            b"NAMESPACE" => CommandBody::Namespace,
            b"IDLE" => CommandBody::Idle,
            b"CHECK" => CommandBody::Check,
            b"CLOSE" => CommandBody::Close,
            b"UNSELECT" => CommandBody::Unselect,
            b"EXPUNGE" => CommandBody::Expunge,
            b"AUTHENTICATE" => {
                self.sp()?;
                let mechanism = self.atom()?;
                let initial = if self.eat(b' ') {
                    let at = self.pos;
                    while self.peek().is_some_and(|b| {
                        b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')
                    }) {
                        self.pos += 1;
                    }
                    let s = self.rest_from(at);
                    if s.is_empty() {
                        return self.err("base64 initial response");
                    }
                    Some(Secret::new(self.utf8(s, at)?))
                } else {
                    None
                };
                CommandBody::Authenticate { mechanism, initial }
            }
            b"LOGIN" => {
                self.sp()?;
                let username = self.astring()?;
                self.sp()?;
                CommandBody::Login {
                    username,
                    password: Secret::new(self.astring()?),
                }
            }
            b"SELECT" | b"EXAMINE" => {
                self.sp()?;
                let mailbox = self.mailbox()?;
                let mut params = Vec::new();
                if self.eat(b' ') {
                    params = self.list(false, Self::select_param)?;
                }
                if name.as_bytes() == b"SELECT" {
                    CommandBody::Select { mailbox, params }
                } else {
                    CommandBody::Examine { mailbox, params }
                }
            }
            b"CREATE" => {
                self.sp()?;
                let mailbox = self.mailbox()?;
                let mut special_use = None;
                if self.eat(b' ') {
                    self.open()?;
                    if !self.keyword("USE") {
                        return self.err("USE");
                    }
                    self.sp()?;
                    special_use = Some(self.list(true, |r| {
                        r.expect(b'\\', "\\")?;
                        r.named(MailboxAttribute::known, MailboxAttribute::Extension)
                    })?);
                    self.close()?;
                }
                CommandBody::Create {
                    mailbox,
                    special_use,
                }
            }
            b"DELETE" => CommandBody::Delete(self.sp_mailbox()?),
            b"SUBSCRIBE" => CommandBody::Subscribe(self.sp_mailbox()?),
            b"UNSUBSCRIBE" => CommandBody::Unsubscribe(self.sp_mailbox()?),
            b"RENAME" => {
                let from = self.sp_mailbox()?;
                CommandBody::Rename(from, self.sp_mailbox()?)
            }
            b"LIST" => self.list_command()?,
            b"LSUB" => {
                let reference = self.sp_mailbox()?;
                self.sp()?;
                CommandBody::Lsub {
                    reference,
                    pattern: self.list_mailbox()?,
                }
            }
            b"STATUS" => {
                let mailbox = self.sp_mailbox()?;
                self.sp()?;
                let attributes = self.list(false, |r| {
                    r.named(StatusAttribute::known, StatusAttribute::Other)
                })?;
                CommandBody::Status {
                    mailbox,
                    attributes,
                }
            }
            b"APPEND" => {
                let mailbox = self.sp_mailbox()?;
                let mut messages = Vec::new();
                while self.eat(b' ') {
                    let mut m = AppendMessage {
                        flags: None,
                        date: None,
                        message: self.dummy_literal(),
                        utf8: false,
                    };
                    if self.peek() == Some(b'(') {
                        m.flags = Some(self.flag_list(false)?);
                        self.sp()?;
                    }
                    if self.peek() == Some(b'"') {
                        m.date = Some(Quoted::unchecked(self.quoted()?));
                        self.sp()?;
                    }
                    if self.keyword("UTF8") {
                        // RFC 6855: `UTF8 (~{n}...)`.
                        self.sp()?;
                        self.open()?;
                        m.message = self.literal()?;
                        self.close()?;
                        m.utf8 = true;
                    } else {
                        m.message = self.literal()?;
                    }
                    messages.push(m);
                }
                if messages.is_empty() {
                    return self.err("message literal");
                }
                CommandBody::Append { mailbox, messages }
            }
            b"SEARCH" => self.search(false)?,
            b"FETCH" => self.fetch(false)?,
            b"STORE" => self.store(false)?,
            b"COPY" | b"MOVE" => self.copy_move(false, name.as_bytes() == b"MOVE")?,
            b"SORT" => self.sort(false)?,
            b"THREAD" => self.thread_cmd(false)?,
            b"UID" => {
                self.sp()?;
                let sub = Upper::new(self.atom_bytes()?);
                match sub.as_bytes() {
                    b"SEARCH" => self.search(true)?,
                    b"FETCH" => self.fetch(true)?,
                    b"STORE" => self.store(true)?,
                    b"COPY" | b"MOVE" => self.copy_move(true, sub.as_bytes() == b"MOVE")?,
                    b"SORT" => self.sort(true)?,
                    b"THREAD" => self.thread_cmd(true)?,
                    b"EXPUNGE" => {
                        self.sp()?;
                        CommandBody::UidExpunge(self.sequence_set()?)
                    }
                    _ => return self.err("UID command"),
                }
            }
            b"ENABLE" => {
                let mut caps = Vec::new();
                while self.eat(b' ') {
                    caps.push(self.named(Capability::known, Capability::Other)?);
                }
                if caps.is_empty() {
                    return self.err("capability");
                }
                CommandBody::Enable(caps)
            }
            b"ID" => {
                self.sp()?;
                CommandBody::Id(self.id_params()?)
            }
            b"GETQUOTA" => {
                self.sp()?;
                CommandBody::GetQuota(self.astring()?)
            }
            b"GETQUOTAROOT" => CommandBody::GetQuotaRoot(self.sp_mailbox()?),
            b"SETQUOTA" => {
                self.sp()?;
                let root = self.astring()?;
                self.sp()?;
                let limits = self.list(true, |r| {
                    let a = r.atom()?;
                    r.sp()?;
                    Ok((a, r.number64()?))
                })?;
                CommandBody::SetQuota { root, limits }
            }
            b"GETMETADATA" => {
                self.sp()?;
                let mut options = Vec::new();
                if self.peek() == Some(b'(') {
                    options = self.list(false, |r| {
                        let a = r.atom()?;
                        r.sp()?;
                        Ok((a, r.value()?))
                    })?;
                    self.sp()?;
                }
                let mailbox = self.mailbox()?;
                self.sp()?;
                // RFC 5464's examples put the options after the mailbox.
                let save = self.pos;
                if options.is_empty()
                    && self.eat(b'(')
                    && (self.keyword("MAXSIZE") || self.keyword("DEPTH"))
                {
                    self.pos = save;
                    options = self.list(false, |r| {
                        let a = r.atom()?;
                        r.sp()?;
                        Ok((a, r.value()?))
                    })?;
                    self.sp()?;
                } else {
                    self.pos = save;
                }
                let entries = if self.peek() == Some(b'(') {
                    self.list(false, Self::astring)?
                } else {
                    vec![self.astring()?]
                };
                CommandBody::GetMetadata {
                    options,
                    mailbox,
                    entries,
                }
            }
            b"SETMETADATA" => {
                let mailbox = self.sp_mailbox()?;
                self.sp()?;
                let entries = self.list(false, |r| {
                    let e = r.astring()?;
                    r.sp()?;
                    Ok((e, r.nstring()?))
                })?;
                CommandBody::SetMetadata { mailbox, entries }
            }
            b"COMPRESS" => {
                self.sp()?;
                CommandBody::Compress(self.atom()?)
            }
            _ => {
                self.pos = start;
                let name = self.atom()?;
                let mut args = Vec::new();
                while self.eat(b' ') {
                    args.push(self.value()?);
                }
                CommandBody::Other { name, args }
            }
        })
    }

    fn dummy_literal(&self) -> Literal<'a> {
        Literal::unchecked(b"", LiteralMode::Sync, false)
    }

    fn sp_mailbox(&mut self) -> PResult<Mailbox<'a>> {
        self.sp()?;
        self.mailbox()
    }

    fn select_param(&mut self) -> PResult<SelectParam<'a>> {
        if self.keyword("CONDSTORE") {
            return Ok(SelectParam::CondStore);
        }
        if self.keyword("QRESYNC") {
            self.sp()?;
            self.open()?;
            let uid_validity = self.nz_number()?;
            self.sp()?;
            let modseq = self.number64()?;
            let mut known_uids = None;
            let mut seq_match = None;
            if self.eat(b' ') && self.peek() != Some(b'(') {
                known_uids = Some(self.sequence_set()?);
                let _ = self.eat(b' ');
            }
            if self.peek() == Some(b'(') {
                self.open()?;
                let seqs = self.sequence_set()?;
                self.sp()?;
                let uids = self.sequence_set()?;
                self.close()?;
                seq_match = Some((seqs, uids));
            }
            self.close()?;
            return Ok(SelectParam::QResync {
                uid_validity,
                modseq,
                known_uids,
                seq_match,
            });
        }
        let name = self.atom()?;
        Ok(SelectParam::Other(name, self.opt_ext_value()?))
    }

    fn list_mailbox(&mut self) -> PResult<ListMailbox<'a>> {
        if matches!(self.peek(), Some(b'"' | b'{' | b'~')) {
            return Ok(ListMailbox::String(self.string()?));
        }
        let at = self.pos;
        while self.peek().is_some_and(is_list_char) {
            self.pos += 1;
        }
        let s = self.rest_from(at);
        if s.is_empty() {
            return self.err("list pattern");
        }
        let s = self.utf8(s, at)?;
        Ok(ListMailbox::Token(ListAtom::unchecked(s)))
    }

    fn list_command(&mut self) -> PResult<CommandBody<'a>> {
        self.sp()?;
        let mut options = ListOptions::default();
        if self.peek() == Some(b'(') {
            options.selection = Some(self.list(true, Self::atom)?);
            self.sp()?;
        }
        let reference = self.mailbox()?;
        self.sp()?;
        let patterns = if self.peek() == Some(b'(') {
            self.list(false, Self::list_mailbox)?
        } else {
            vec![self.list_mailbox()?]
        };
        if self.eat(b' ') {
            if !self.keyword("RETURN") {
                return self.err("RETURN");
            }
            self.sp()?;
            options.ret = Some(self.list(true, |r| {
                if r.keyword("STATUS") {
                    r.sp()?;
                    return Ok(ListReturn::Status(r.list(false, |r| {
                        r.named(StatusAttribute::known, StatusAttribute::Other)
                    })?));
                }
                Ok(ListReturn::Option(r.atom()?))
            })?);
        }
        Ok(CommandBody::List {
            options,
            reference,
            patterns,
        })
    }

    fn search_tail(&mut self) -> PResult<(Option<AString<'a>>, Vec<SearchKey<'a>>)> {
        let mut charset = None;
        self.sp()?;
        if self.keyword("CHARSET") {
            self.sp()?;
            charset = Some(self.astring()?);
            self.sp()?;
        }
        let mut keys = Vec::with_capacity(8);
        keys.push(self.search_key()?);
        while self.eat(b' ') {
            keys.push(self.search_key()?);
        }
        Ok((charset, keys))
    }

    /// ` RETURN (...)` of ESEARCH / ESORT, if present.
    fn search_return(&mut self) -> PResult<Option<Vec<SearchReturn<'a>>>> {
        let save = self.pos;
        if !(self.eat(b' ') && self.keyword("RETURN")) {
            self.pos = save;
            return Ok(None);
        }
        self.sp()?;
        let ret = self.list(true, |r| {
            let name = r.atom()?;
            Ok(match Upper::new(name.as_str().as_bytes()).as_bytes() {
                b"MIN" => SearchReturn::Min,
                b"MAX" => SearchReturn::Max,
                b"ALL" => SearchReturn::All,
                b"COUNT" => SearchReturn::Count,
                b"SAVE" => SearchReturn::Save,
                _ => SearchReturn::Other(name, r.opt_ext_value()?),
            })
        })?;
        Ok(Some(ret))
    }

    fn search(&mut self, uid: bool) -> PResult<CommandBody<'a>> {
        let ret = self.search_return()?;
        let (charset, keys) = self.search_tail()?;
        Ok(CommandBody::Search {
            uid,
            ret,
            charset,
            keys,
        })
    }

    fn date(&mut self) -> PResult<Date> {
        let quoted = self.eat(b'"');
        let at = self.pos;
        let day = self.number()?;
        self.expect(b'-', "-")?;
        let m = self.rest().get(..3).unwrap_or_default();
        let Some(month) = MONTHS
            .iter()
            .position(|n| n.as_bytes().eq_ignore_ascii_case(m))
        else {
            return self.err("month");
        };
        self.pos += 3;
        self.expect(b'-', "-")?;
        let year = self.number()?;
        if quoted {
            self.expect(b'"', "closing quote")?;
        }
        let (Ok(day), Ok(year)) = (u8::try_from(day), u16::try_from(year)) else {
            return Err(crate::ParseError::new(
                at,
                crate::ParseErrorKind::Expected("date"),
            ));
        };
        Date::new(year, month as u8 + 1, day)
            .map_err(|_| crate::ParseError::new(at, crate::ParseErrorKind::Expected("date")))
    }

    pub(crate) fn search_key(&mut self) -> PResult<SearchKey<'a>> {
        match self.peek() {
            Some(b'(') => return Ok(SearchKey::And(self.list(false, Self::search_key)?)),
            Some(b'0'..=b'9' | b'*' | b'$') => {
                return Ok(SearchKey::SequenceSet(self.sequence_set()?))
            }
            _ => {}
        }
        let name = Upper::new(self.atom_bytes()?);
        macro_rules! arg {
            ($f:ident) => {{
                self.sp()?;
                self.$f()?
            }};
        }
        Ok(match name.as_bytes() {
            b"ALL" => SearchKey::All,
            b"ANSWERED" => SearchKey::Answered,
            b"DELETED" => SearchKey::Deleted,
            b"DRAFT" => SearchKey::Draft,
            b"FLAGGED" => SearchKey::Flagged,
            b"NEW" => SearchKey::New,
            b"OLD" => SearchKey::Old,
            b"RECENT" => SearchKey::Recent,
            b"SEEN" => SearchKey::Seen,
            b"UNANSWERED" => SearchKey::Unanswered,
            b"UNDELETED" => SearchKey::Undeleted,
            b"UNDRAFT" => SearchKey::Undraft,
            b"UNFLAGGED" => SearchKey::Unflagged,
            b"UNSEEN" => SearchKey::Unseen,
            b"EMAILID" => SearchKey::EmailId(arg!(atom)),
            b"THREADID" => SearchKey::ThreadId(arg!(atom)),
            b"BCC" => SearchKey::Bcc(arg!(astring)),
            b"BODY" => SearchKey::Body(arg!(astring)),
            b"CC" => SearchKey::Cc(arg!(astring)),
            b"FROM" => SearchKey::From(arg!(astring)),
            b"SUBJECT" => SearchKey::Subject(arg!(astring)),
            b"TEXT" => SearchKey::Text(arg!(astring)),
            b"TO" => SearchKey::To(arg!(astring)),
            b"BEFORE" => SearchKey::Before(arg!(date)),
            b"ON" => SearchKey::On(arg!(date)),
            b"SINCE" => SearchKey::Since(arg!(date)),
            b"SENTBEFORE" => SearchKey::SentBefore(arg!(date)),
            b"SENTON" => SearchKey::SentOn(arg!(date)),
            b"SENTSINCE" => SearchKey::SentSince(arg!(date)),
            b"KEYWORD" => SearchKey::Keyword(arg!(atom)),
            b"UNKEYWORD" => SearchKey::Unkeyword(arg!(atom)),
            b"LARGER" => SearchKey::Larger(arg!(number64)),
            b"SMALLER" => SearchKey::Smaller(arg!(number64)),
            b"UID" => SearchKey::Uid(arg!(sequence_set)),
            b"NOT" => self.nest(|r| {
                r.sp()?;
                Ok(SearchKey::Not(Box::new(r.search_key()?)))
            })?,
            b"OR" => self.nest(|r| {
                r.sp()?;
                let a = r.search_key()?;
                r.sp()?;
                Ok(SearchKey::Or(Box::new(a), Box::new(r.search_key()?)))
            })?,
            b"HEADER" => {
                let f = arg!(astring);
                SearchKey::Header(f, arg!(astring))
            }
            b"MODSEQ" => {
                self.sp()?;
                let entry = if self.peek() == Some(b'"') {
                    let e = self.string()?;
                    self.sp()?;
                    let t = self.atom()?;
                    self.sp()?;
                    Some((e, t))
                } else {
                    None
                };
                SearchKey::ModSeq {
                    entry,
                    modseq: self.number64()?,
                }
            }
            _ => return self.err("search key"),
        })
    }

    fn partial(&mut self) -> PResult<Option<(u32, std::num::NonZeroU32)>> {
        if !self.eat(b'<') {
            return Ok(None);
        }
        let a = self.number()?;
        self.expect(b'.', ".")?;
        let b = self.nz_number()?;
        self.expect(b'>', ">")?;
        Ok(Some((a, b)))
    }

    fn fetch_att(&mut self) -> PResult<FetchAttribute<'a>> {
        for (p, peek) in [("BODY.PEEK[", true), ("BODY[", false)] {
            if self.prefix(p) {
                let section = self.section()?;
                return Ok(FetchAttribute::BodySection {
                    peek,
                    section,
                    partial: self.partial()?,
                });
            }
        }
        if self.prefix("BINARY.SIZE") {
            return Ok(FetchAttribute::BinarySize(self.binary_section()?));
        }
        for (p, peek) in [("BINARY.PEEK", true), ("BINARY", false)] {
            if self.peek_at(p.len()) == Some(b'[') && self.prefix(p) {
                let part = self.binary_section()?;
                return Ok(FetchAttribute::Binary {
                    peek,
                    part,
                    partial: self.partial()?,
                });
            }
        }
        let start = self.pos;
        let name = Upper::new(self.atom_bytes()?);
        Ok(match name.as_bytes() {
            b"ENVELOPE" => FetchAttribute::Envelope,
            b"FLAGS" => FetchAttribute::Flags,
            b"INTERNALDATE" => FetchAttribute::InternalDate,
            b"RFC822.SIZE" => FetchAttribute::Rfc822Size,
            b"RFC822" => FetchAttribute::Rfc822,
            b"RFC822.HEADER" => FetchAttribute::Rfc822Header,
            b"RFC822.TEXT" => FetchAttribute::Rfc822Text,
            b"BODY" => FetchAttribute::Body,
            b"BODYSTRUCTURE" => FetchAttribute::BodyStructure,
            b"UID" => FetchAttribute::Uid,
            b"MODSEQ" => FetchAttribute::ModSeq,
            _ => {
                self.pos = start;
                FetchAttribute::Other(self.atom()?)
            }
        })
    }

    fn fetch(&mut self, uid: bool) -> PResult<CommandBody<'a>> {
        self.sp()?;
        let set = self.sequence_set()?;
        self.sp()?;
        let attributes = if self.peek() == Some(b'(') {
            FetchAttributes::List(self.list(false, Self::fetch_att)?)
        } else if self.keyword("ALL") {
            FetchAttributes::All
        } else if self.keyword("FAST") {
            FetchAttributes::Fast
        } else if self.keyword("FULL") {
            FetchAttributes::Full
        } else {
            FetchAttributes::Single(self.fetch_att()?)
        };
        let mut modifiers = Vec::new();
        if self.eat(b' ') {
            modifiers = self.list(false, |r| {
                if r.keyword("CHANGEDSINCE") {
                    r.sp()?;
                    return Ok(FetchModifier::ChangedSince(r.number64()?));
                }
                if r.keyword("VANISHED") {
                    return Ok(FetchModifier::Vanished);
                }
                let name = r.atom()?;
                Ok(FetchModifier::Other(name, r.opt_ext_value()?))
            })?;
        }
        Ok(CommandBody::Fetch {
            uid,
            set,
            attributes,
            modifiers,
        })
    }

    fn store(&mut self, uid: bool) -> PResult<CommandBody<'a>> {
        self.sp()?;
        let set = self.sequence_set()?;
        self.sp()?;
        let mut unchanged_since = None;
        if self.peek() == Some(b'(') {
            self.open()?;
            if !self.keyword("UNCHANGEDSINCE") {
                return self.err("UNCHANGEDSINCE");
            }
            self.sp()?;
            unchanged_since = Some(self.number64()?);
            self.close()?;
            self.sp()?;
        }
        let mode = if self.eat(b'+') {
            StoreMode::Add
        } else if self.eat(b'-') {
            StoreMode::Remove
        } else {
            StoreMode::Replace
        };
        let silent = if self.keyword("FLAGS.SILENT") {
            true
        } else if self.keyword("FLAGS") {
            false
        } else {
            return self.err("FLAGS");
        };
        self.sp()?;
        let flags = if self.peek() == Some(b'(') {
            self.flag_list(false)?
        } else {
            let mut v = vec![self.flag()?];
            while self.eat(b' ') {
                v.push(self.flag()?);
            }
            v
        };
        Ok(CommandBody::Store {
            uid,
            set,
            unchanged_since,
            mode,
            silent,
            flags,
        })
    }

    fn copy_move(&mut self, uid: bool, is_move: bool) -> PResult<CommandBody<'a>> {
        self.sp()?;
        let set = self.sequence_set()?;
        let mailbox = self.sp_mailbox()?;
        Ok(if is_move {
            CommandBody::Move { uid, set, mailbox }
        } else {
            CommandBody::Copy { uid, set, mailbox }
        })
    }

    fn sort(&mut self, uid: bool) -> PResult<CommandBody<'a>> {
        let ret = self.search_return()?;
        self.sp()?;
        let criteria = self.list(false, |r| {
            let reverse = r.keyword("REVERSE");
            if reverse {
                r.sp()?;
            }
            Ok(SortCriterion {
                reverse,
                key: r.atom()?,
            })
        })?;
        self.sp()?;
        let charset = self.astring()?;
        let keys = self.sp_search_keys()?;
        Ok(CommandBody::Sort {
            uid,
            ret,
            criteria,
            charset,
            keys,
        })
    }

    /// `1*(SP search-key)`, the tail of SORT and THREAD.
    fn sp_search_keys(&mut self) -> PResult<Vec<SearchKey<'a>>> {
        let mut keys = Vec::new();
        while self.eat(b' ') {
            keys.push(self.search_key()?);
        }
        if keys.is_empty() {
            return self.err("search key");
        }
        Ok(keys)
    }

    fn thread_cmd(&mut self, uid: bool) -> PResult<CommandBody<'a>> {
        self.sp()?;
        let algorithm = self.atom()?;
        self.sp()?;
        let charset = self.astring()?;
        let keys = self.sp_search_keys()?;
        Ok(CommandBody::Thread {
            uid,
            algorithm,
            charset,
            keys,
        })
    }
}

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
        let name = Upper::new(self.atom_str()?);
        Ok(match name.as_str() {
            "CAPABILITY" => CommandBody::Capability,
            "NOOP" => CommandBody::Noop,
            "LOGOUT" => CommandBody::Logout,
            "STARTTLS" => CommandBody::StartTls,
            "NAMESPACE" => CommandBody::Namespace,
            "IDLE" => CommandBody::Idle,
            "CHECK" => CommandBody::Check,
            "CLOSE" => CommandBody::Close,
            "UNSELECT" => CommandBody::Unselect,
            "EXPUNGE" => CommandBody::Expunge,
            "AUTHENTICATE" => {
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
            "LOGIN" => {
                self.sp()?;
                let username = self.astring()?;
                self.sp()?;
                CommandBody::Login {
                    username,
                    password: Secret::new(self.astring()?),
                }
            }
            "SELECT" | "EXAMINE" => {
                self.sp()?;
                let mailbox = self.mailbox()?;
                let mut params = Vec::new();
                if self.eat(b' ') {
                    params = self.list(false, Self::select_param)?;
                }
                if name.as_str() == "SELECT" {
                    CommandBody::Select { mailbox, params }
                } else {
                    CommandBody::Examine { mailbox, params }
                }
            }
            "CREATE" => {
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
                        Ok(MailboxAttribute::from_atom(r.atom()?))
                    })?);
                    self.close()?;
                }
                CommandBody::Create {
                    mailbox,
                    special_use,
                }
            }
            "DELETE" => CommandBody::Delete(self.sp_mailbox()?),
            "SUBSCRIBE" => CommandBody::Subscribe(self.sp_mailbox()?),
            "UNSUBSCRIBE" => CommandBody::Unsubscribe(self.sp_mailbox()?),
            "RENAME" => {
                let from = self.sp_mailbox()?;
                CommandBody::Rename(from, self.sp_mailbox()?)
            }
            "LIST" => self.list_command()?,
            "LSUB" => {
                let reference = self.sp_mailbox()?;
                self.sp()?;
                CommandBody::Lsub {
                    reference,
                    pattern: self.list_mailbox()?,
                }
            }
            "STATUS" => {
                let mailbox = self.sp_mailbox()?;
                self.sp()?;
                let attributes = self.list(false, |r| Ok(StatusAttribute::from_atom(r.atom()?)))?;
                CommandBody::Status {
                    mailbox,
                    attributes,
                }
            }
            "APPEND" => {
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
            "SEARCH" => self.search(false)?,
            "FETCH" => self.fetch(false)?,
            "STORE" => self.store(false)?,
            "COPY" | "MOVE" => self.copy_move(false, name.as_str() == "MOVE")?,
            "SORT" => self.sort(false)?,
            "THREAD" => self.thread_cmd(false)?,
            "UID" => {
                self.sp()?;
                let sub = Upper::new(self.atom_str()?);
                match sub.as_str() {
                    "SEARCH" => self.search(true)?,
                    "FETCH" => self.fetch(true)?,
                    "STORE" => self.store(true)?,
                    "COPY" | "MOVE" => self.copy_move(true, sub.as_str() == "MOVE")?,
                    "SORT" => self.sort(true)?,
                    "THREAD" => self.thread_cmd(true)?,
                    "EXPUNGE" => {
                        self.sp()?;
                        CommandBody::UidExpunge(self.sequence_set()?)
                    }
                    _ => return self.err("UID command"),
                }
            }
            "ENABLE" => {
                let mut caps = Vec::new();
                while self.eat(b' ') {
                    caps.push(Capability::from_atom(self.atom()?));
                }
                if caps.is_empty() {
                    return self.err("capability");
                }
                CommandBody::Enable(caps)
            }
            "ID" => {
                self.sp()?;
                CommandBody::Id(self.id_params()?)
            }
            "GETQUOTA" => {
                self.sp()?;
                CommandBody::GetQuota(self.astring()?)
            }
            "GETQUOTAROOT" => CommandBody::GetQuotaRoot(self.sp_mailbox()?),
            "SETQUOTA" => {
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
            "GETMETADATA" => {
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
            "SETMETADATA" => {
                let mailbox = self.sp_mailbox()?;
                self.sp()?;
                let entries = self.list(false, |r| {
                    let e = r.astring()?;
                    r.sp()?;
                    Ok((e, r.nstring()?))
                })?;
                CommandBody::SetMetadata { mailbox, entries }
            }
            "COMPRESS" => {
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
                    return Ok(ListReturn::Status(
                        r.list(false, |r| Ok(StatusAttribute::from_atom(r.atom()?)))?,
                    ));
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
        let mut keys = vec![self.search_key()?];
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
            Ok(match Upper::new(name.as_str()).as_str() {
                "MIN" => SearchReturn::Min,
                "MAX" => SearchReturn::Max,
                "ALL" => SearchReturn::All,
                "COUNT" => SearchReturn::Count,
                "SAVE" => SearchReturn::Save,
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
        let name = Upper::new(self.atom_str()?);
        macro_rules! arg {
            ($f:ident) => {{
                self.sp()?;
                self.$f()?
            }};
        }
        Ok(match name.as_str() {
            "ALL" => SearchKey::All,
            "ANSWERED" => SearchKey::Answered,
            "DELETED" => SearchKey::Deleted,
            "DRAFT" => SearchKey::Draft,
            "FLAGGED" => SearchKey::Flagged,
            "NEW" => SearchKey::New,
            "OLD" => SearchKey::Old,
            "RECENT" => SearchKey::Recent,
            "SEEN" => SearchKey::Seen,
            "UNANSWERED" => SearchKey::Unanswered,
            "UNDELETED" => SearchKey::Undeleted,
            "UNDRAFT" => SearchKey::Undraft,
            "UNFLAGGED" => SearchKey::Unflagged,
            "UNSEEN" => SearchKey::Unseen,
            "EMAILID" => SearchKey::EmailId(arg!(atom)),
            "THREADID" => SearchKey::ThreadId(arg!(atom)),
            "BCC" => SearchKey::Bcc(arg!(astring)),
            "BODY" => SearchKey::Body(arg!(astring)),
            "CC" => SearchKey::Cc(arg!(astring)),
            "FROM" => SearchKey::From(arg!(astring)),
            "SUBJECT" => SearchKey::Subject(arg!(astring)),
            "TEXT" => SearchKey::Text(arg!(astring)),
            "TO" => SearchKey::To(arg!(astring)),
            "BEFORE" => SearchKey::Before(arg!(date)),
            "ON" => SearchKey::On(arg!(date)),
            "SINCE" => SearchKey::Since(arg!(date)),
            "SENTBEFORE" => SearchKey::SentBefore(arg!(date)),
            "SENTON" => SearchKey::SentOn(arg!(date)),
            "SENTSINCE" => SearchKey::SentSince(arg!(date)),
            "KEYWORD" => SearchKey::Keyword(arg!(atom)),
            "UNKEYWORD" => SearchKey::Unkeyword(arg!(atom)),
            "LARGER" => SearchKey::Larger(arg!(number64)),
            "SMALLER" => SearchKey::Smaller(arg!(number64)),
            "UID" => SearchKey::Uid(arg!(sequence_set)),
            "NOT" => self.nest(|r| {
                r.sp()?;
                Ok(SearchKey::Not(Box::new(r.search_key()?)))
            })?,
            "OR" => self.nest(|r| {
                r.sp()?;
                let a = r.search_key()?;
                r.sp()?;
                Ok(SearchKey::Or(Box::new(a), Box::new(r.search_key()?)))
            })?,
            "HEADER" => {
                let f = arg!(astring);
                SearchKey::Header(f, arg!(astring))
            }
            "MODSEQ" => {
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
        let name = Upper::new(self.atom_str()?);
        Ok(match name.as_str() {
            "ENVELOPE" => FetchAttribute::Envelope,
            "FLAGS" => FetchAttribute::Flags,
            "INTERNALDATE" => FetchAttribute::InternalDate,
            "RFC822.SIZE" => FetchAttribute::Rfc822Size,
            "RFC822" => FetchAttribute::Rfc822,
            "RFC822.HEADER" => FetchAttribute::Rfc822Header,
            "RFC822.TEXT" => FetchAttribute::Rfc822Text,
            "BODY" => FetchAttribute::Body,
            "BODYSTRUCTURE" => FetchAttribute::BodyStructure,
            "UID" => FetchAttribute::Uid,
            "MODSEQ" => FetchAttribute::ModSeq,
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

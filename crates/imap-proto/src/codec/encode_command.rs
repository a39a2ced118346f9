//! Serialising client commands.

use crate::codec::command::month_name;
use crate::codec::encode::{Encode, Encoded, W};
use crate::types::*;

impl W {
    fn date(&mut self, d: Date) {
        self.num(d.day());
        self.s("-");
        self.s(month_name(d.month()));
        self.s("-");
        self.s(&format!("{:04}", d.year()));
    }

    fn search_key(&mut self, k: &SearchKey<'_>) {
        macro_rules! kw_arg {
            ($kw:literal, $f:ident, $v:expr) => {{
                self.s(concat!($kw, " "));
                self.$f($v);
            }};
        }
        match k {
            SearchKey::All => self.s("ALL"),
            SearchKey::Answered => self.s("ANSWERED"),
            SearchKey::Deleted => self.s("DELETED"),
            SearchKey::Draft => self.s("DRAFT"),
            SearchKey::Flagged => self.s("FLAGGED"),
            SearchKey::New => self.s("NEW"),
            SearchKey::Old => self.s("OLD"),
            SearchKey::Recent => self.s("RECENT"),
            SearchKey::Seen => self.s("SEEN"),
            SearchKey::Unanswered => self.s("UNANSWERED"),
            SearchKey::Undeleted => self.s("UNDELETED"),
            SearchKey::Undraft => self.s("UNDRAFT"),
            SearchKey::Unflagged => self.s("UNFLAGGED"),
            SearchKey::Unseen => self.s("UNSEEN"),
            SearchKey::EmailId(a) => kw_arg!("EMAILID", s, a.as_str()),
            SearchKey::ThreadId(a) => kw_arg!("THREADID", s, a.as_str()),
            SearchKey::Bcc(v) => kw_arg!("BCC", astring, v),
            SearchKey::Body(v) => kw_arg!("BODY", astring, v),
            SearchKey::Cc(v) => kw_arg!("CC", astring, v),
            SearchKey::From(v) => kw_arg!("FROM", astring, v),
            SearchKey::Subject(v) => kw_arg!("SUBJECT", astring, v),
            SearchKey::Text(v) => kw_arg!("TEXT", astring, v),
            SearchKey::To(v) => kw_arg!("TO", astring, v),
            SearchKey::Before(d) => kw_arg!("BEFORE", date, *d),
            SearchKey::On(d) => kw_arg!("ON", date, *d),
            SearchKey::Since(d) => kw_arg!("SINCE", date, *d),
            SearchKey::SentBefore(d) => kw_arg!("SENTBEFORE", date, *d),
            SearchKey::SentOn(d) => kw_arg!("SENTON", date, *d),
            SearchKey::SentSince(d) => kw_arg!("SENTSINCE", date, *d),
            SearchKey::Keyword(a) => kw_arg!("KEYWORD", s, a.as_str()),
            SearchKey::Unkeyword(a) => kw_arg!("UNKEYWORD", s, a.as_str()),
            SearchKey::Larger(n) => kw_arg!("LARGER", num, *n),
            SearchKey::Smaller(n) => kw_arg!("SMALLER", num, *n),
            SearchKey::Uid(s) => kw_arg!("UID", seq_set, s),
            SearchKey::Not(k) => kw_arg!("NOT", search_key, k),
            SearchKey::Or(a, b) => {
                self.s("OR ");
                self.search_key(a);
                self.sp();
                self.search_key(b);
            }
            SearchKey::Header(f, v) => {
                self.s("HEADER ");
                self.astring(f);
                self.sp();
                self.astring(v);
            }
            SearchKey::SequenceSet(s) => self.seq_set(s),
            SearchKey::ModSeq { entry, modseq } => {
                self.s("MODSEQ ");
                if let Some((e, t)) = entry {
                    self.string(e);
                    self.sp();
                    self.s(t.as_str());
                    self.sp();
                }
                self.num(*modseq);
            }
            SearchKey::And(keys) => self.list(keys, Self::search_key),
        }
    }

    fn search_return(&mut self, ret: &Option<Vec<SearchReturn<'_>>>) {
        if let Some(ret) = ret {
            self.s(" RETURN ");
            self.list(ret, |w, r| match r {
                SearchReturn::Min => w.s("MIN"),
                SearchReturn::Max => w.s("MAX"),
                SearchReturn::All => w.s("ALL"),
                SearchReturn::Count => w.s("COUNT"),
                SearchReturn::Save => w.s("SAVE"),
                SearchReturn::Other(n, v) => w.opt_value(n, v),
            });
        }
    }

    fn keys(&mut self, keys: &[SearchKey<'_>]) {
        for k in keys {
            self.sp();
            self.search_key(k);
        }
    }

    fn partial(&mut self, p: &Option<(u32, std::num::NonZeroU32)>) {
        if let Some((a, b)) = p {
            self.s("<");
            self.num(*a);
            self.s(".");
            self.num(b.get());
            self.s(">");
        }
    }

    fn fetch_att(&mut self, a: &FetchAttribute<'_>) {
        match a {
            FetchAttribute::Envelope => self.s("ENVELOPE"),
            FetchAttribute::Flags => self.s("FLAGS"),
            FetchAttribute::InternalDate => self.s("INTERNALDATE"),
            FetchAttribute::Rfc822Size => self.s("RFC822.SIZE"),
            FetchAttribute::Rfc822 => self.s("RFC822"),
            FetchAttribute::Rfc822Header => self.s("RFC822.HEADER"),
            FetchAttribute::Rfc822Text => self.s("RFC822.TEXT"),
            FetchAttribute::Body => self.s("BODY"),
            FetchAttribute::BodyStructure => self.s("BODYSTRUCTURE"),
            FetchAttribute::Uid => self.s("UID"),
            FetchAttribute::ModSeq => self.s("MODSEQ"),
            FetchAttribute::BodySection {
                peek,
                section,
                partial,
            } => {
                self.s(if *peek { "BODY.PEEK" } else { "BODY" });
                self.section(section);
                self.partial(partial);
            }
            FetchAttribute::Binary {
                peek,
                part,
                partial,
            } => {
                self.s(if *peek { "BINARY.PEEK[" } else { "BINARY[" });
                self.part(part);
                self.s("]");
                self.partial(partial);
            }
            FetchAttribute::BinarySize(part) => {
                self.s("BINARY.SIZE[");
                self.part(part);
                self.s("]");
            }
            FetchAttribute::Other(a) => self.s(a.as_str()),
        }
    }

    fn list_mailbox(&mut self, m: &ListMailbox<'_>) {
        match m {
            ListMailbox::Token(t) => self.s(t.as_str()),
            ListMailbox::String(s) => self.string(s),
        }
    }

    fn opt_value(&mut self, name: &Atom<'_>, v: &Option<Value<'_>>) {
        self.s(name.as_str());
        if let Some(v) = v {
            self.sp();
            self.value(v);
        }
    }

    fn uid(&mut self, uid: bool, name: &str) {
        if uid {
            self.s("UID ");
        }
        self.s(name);
    }

    pub(crate) fn command(&mut self, c: &Command<'_>) {
        self.s(c.tag.as_str());
        self.sp();
        match &c.body {
            CommandBody::Capability => self.s("CAPABILITY"),
            CommandBody::Noop => self.s("NOOP"),
            CommandBody::Logout => self.s("LOGOUT"),
            CommandBody::StartTls => self.s("STARTTLS"),
            CommandBody::Namespace => self.s("NAMESPACE"),
            CommandBody::Idle => self.s("IDLE"),
            CommandBody::Check => self.s("CHECK"),
            CommandBody::Close => self.s("CLOSE"),
            CommandBody::Unselect => self.s("UNSELECT"),
            CommandBody::Expunge => self.s("EXPUNGE"),
            CommandBody::Authenticate { mechanism, initial } => {
                self.s("AUTHENTICATE ");
                self.s(mechanism.as_str());
                if let Some(i) = initial {
                    self.sp();
                    self.s(i.expose());
                }
            }
            CommandBody::Login { username, password } => {
                self.s("LOGIN ");
                self.astring(username);
                self.sp();
                self.astring(password.expose());
            }
            CommandBody::Select { mailbox, params } | CommandBody::Examine { mailbox, params } => {
                self.s(if matches!(c.body, CommandBody::Select { .. }) {
                    "SELECT "
                } else {
                    "EXAMINE "
                });
                self.mailbox(mailbox);
                if !params.is_empty() {
                    self.sp();
                    self.list(params, |w, p| match p {
                        SelectParam::CondStore => w.s("CONDSTORE"),
                        SelectParam::QResync {
                            uid_validity,
                            modseq,
                            known_uids,
                            seq_match,
                        } => {
                            w.s("QRESYNC (");
                            w.num(uid_validity.get());
                            w.sp();
                            w.num(*modseq);
                            if let Some(k) = known_uids {
                                w.sp();
                                w.seq_set(k);
                            }
                            if let Some((a, b)) = seq_match {
                                w.s(" (");
                                w.seq_set(a);
                                w.sp();
                                w.seq_set(b);
                                w.s(")");
                            }
                            w.s(")");
                        }
                        SelectParam::Other(n, v) => w.opt_value(n, v),
                    });
                }
            }
            CommandBody::Create {
                mailbox,
                special_use,
            } => {
                self.s("CREATE ");
                self.mailbox(mailbox);
                if let Some(u) = special_use {
                    self.s(" (USE ");
                    self.list(u, |w, a| {
                        w.s("\\");
                        w.s(a.name());
                    });
                    self.s(")");
                }
            }
            CommandBody::Delete(m) => {
                self.s("DELETE ");
                self.mailbox(m);
            }
            CommandBody::Subscribe(m) => {
                self.s("SUBSCRIBE ");
                self.mailbox(m);
            }
            CommandBody::Unsubscribe(m) => {
                self.s("UNSUBSCRIBE ");
                self.mailbox(m);
            }
            CommandBody::Rename(a, b) => {
                self.s("RENAME ");
                self.mailbox(a);
                self.sp();
                self.mailbox(b);
            }
            CommandBody::List {
                options,
                reference,
                patterns,
            } => {
                self.s("LIST ");
                if let Some(sel) = &options.selection {
                    self.list(sel, |w, a| w.s(a.as_str()));
                    self.sp();
                }
                self.mailbox(reference);
                self.sp();
                match patterns.as_slice() {
                    [one] => self.list_mailbox(one),
                    many => self.list(many, Self::list_mailbox),
                }
                if let Some(ret) = &options.ret {
                    self.s(" RETURN ");
                    self.list(ret, |w, r| match r {
                        ListReturn::Status(attrs) => {
                            w.s("STATUS ");
                            w.list(attrs, |w, a| w.s(a.name()));
                        }
                        ListReturn::Option(a) => w.s(a.as_str()),
                    });
                }
            }
            CommandBody::Lsub { reference, pattern } => {
                self.s("LSUB ");
                self.mailbox(reference);
                self.sp();
                self.list_mailbox(pattern);
            }
            CommandBody::Status {
                mailbox,
                attributes,
            } => {
                self.s("STATUS ");
                self.mailbox(mailbox);
                self.sp();
                self.list(attributes, |w, a| w.s(a.name()));
            }
            CommandBody::Append { mailbox, messages } => {
                self.s("APPEND ");
                self.mailbox(mailbox);
                for m in messages {
                    self.sp();
                    if let Some(f) = &m.flags {
                        self.flags(f);
                        self.sp();
                    }
                    if let Some(d) = &m.date {
                        self.quoted(d.data());
                        self.sp();
                    }
                    if m.utf8 {
                        self.s("UTF8 (");
                        self.literal(&m.message);
                        self.s(")");
                    } else {
                        self.literal(&m.message);
                    }
                }
            }
            CommandBody::UidExpunge(s) => {
                self.s("UID EXPUNGE ");
                self.seq_set(s);
            }
            CommandBody::Search {
                uid,
                ret,
                charset,
                keys,
            } => {
                self.uid(*uid, "SEARCH");
                self.search_return(ret);
                if let Some(cs) = charset {
                    self.s(" CHARSET ");
                    self.astring(cs);
                }
                self.keys(keys);
            }
            CommandBody::Fetch {
                uid,
                set,
                attributes,
                modifiers,
            } => {
                self.uid(*uid, "FETCH ");
                self.seq_set(set);
                self.sp();
                match attributes {
                    FetchAttributes::All => self.s("ALL"),
                    FetchAttributes::Fast => self.s("FAST"),
                    FetchAttributes::Full => self.s("FULL"),
                    FetchAttributes::Single(a) => self.fetch_att(a),
                    FetchAttributes::List(l) => self.list(l, Self::fetch_att),
                }
                if !modifiers.is_empty() {
                    self.sp();
                    self.list(modifiers, |w, m| match m {
                        FetchModifier::ChangedSince(n) => {
                            w.s("CHANGEDSINCE ");
                            w.num(*n);
                        }
                        FetchModifier::Vanished => w.s("VANISHED"),
                        FetchModifier::Other(n, v) => w.opt_value(n, v),
                    });
                }
            }
            CommandBody::Store {
                uid,
                set,
                unchanged_since,
                mode,
                silent,
                flags,
            } => {
                self.uid(*uid, "STORE ");
                self.seq_set(set);
                self.sp();
                if let Some(u) = unchanged_since {
                    self.s("(UNCHANGEDSINCE ");
                    self.num(*u);
                    self.s(") ");
                }
                self.s(match mode {
                    StoreMode::Replace => "",
                    StoreMode::Add => "+",
                    StoreMode::Remove => "-",
                });
                self.s(if *silent { "FLAGS.SILENT " } else { "FLAGS " });
                self.flags(flags);
            }
            CommandBody::Copy { uid, set, mailbox } | CommandBody::Move { uid, set, mailbox } => {
                let name = if matches!(c.body, CommandBody::Copy { .. }) {
                    "COPY "
                } else {
                    "MOVE "
                };
                self.uid(*uid, name);
                self.seq_set(set);
                self.sp();
                self.mailbox(mailbox);
            }
            CommandBody::Enable(caps) => {
                self.s("ENABLE");
                for c in caps {
                    self.sp();
                    self.s(c.name());
                }
            }
            CommandBody::Id(p) => {
                self.s("ID ");
                self.id_params(p);
            }
            CommandBody::GetQuota(r) => {
                self.s("GETQUOTA ");
                self.astring(r);
            }
            CommandBody::GetQuotaRoot(m) => {
                self.s("GETQUOTAROOT ");
                self.mailbox(m);
            }
            CommandBody::SetQuota { root, limits } => {
                self.s("SETQUOTA ");
                self.astring(root);
                self.sp();
                self.list(limits, |w, (a, n)| {
                    w.s(a.as_str());
                    w.sp();
                    w.num(*n);
                });
            }
            CommandBody::GetMetadata {
                options,
                mailbox,
                entries,
            } => {
                self.s("GETMETADATA ");
                if !options.is_empty() {
                    self.list(options, |w, (a, v)| {
                        w.s(a.as_str());
                        w.sp();
                        w.value(v);
                    });
                    self.sp();
                }
                self.mailbox(mailbox);
                self.sp();
                match entries.as_slice() {
                    [one] => self.astring(one),
                    many => self.list(many, Self::astring),
                }
            }
            CommandBody::SetMetadata { mailbox, entries } => {
                self.s("SETMETADATA ");
                self.mailbox(mailbox);
                self.sp();
                self.list(entries, |w, (e, v)| {
                    w.astring(e);
                    w.sp();
                    w.nstring(v);
                });
            }
            CommandBody::Sort {
                uid,
                ret,
                criteria,
                charset,
                keys,
            } => {
                self.uid(*uid, "SORT");
                self.search_return(ret);
                self.sp();
                self.list(criteria, |w, c| {
                    if c.reverse {
                        w.s("REVERSE ");
                    }
                    w.s(c.key.as_str());
                });
                self.sp();
                self.astring(charset);
                self.keys(keys);
            }
            CommandBody::Thread {
                uid,
                algorithm,
                charset,
                keys,
            } => {
                self.uid(*uid, "THREAD ");
                self.s(algorithm.as_str());
                self.sp();
                self.astring(charset);
                self.keys(keys);
            }
            CommandBody::Compress(a) => {
                self.s("COMPRESS ");
                self.s(a.as_str());
            }
            CommandBody::Other { name, args } => {
                self.s(name.as_str());
                for a in args {
                    self.sp();
                    self.value(a);
                }
            }
        }
        self.crlf();
    }
}

impl Encode for Command<'_> {
    fn write_to(&self, out: &mut Vec<u8>) {
        let mut w = W::new(std::mem::take(out));
        w.command(self);
        *out = w.out;
    }

    fn encode(&self) -> Encoded {
        let mut w = W::new(Vec::new());
        w.command(self);
        w.finish()
    }
}

//! Client commands (RFC 3501, RFC 9051 and the extensions).

use std::borrow::Cow;
use std::num::NonZeroU32;

use mail_wire::Secret;

use crate::types::fetch::Section;
use crate::types::{
    AString, Atom, Capability, Flag, IString, ListAtom, Literal, Mailbox, NString, Quoted,
    SequenceSet, StatusAttribute, Tag, Value,
};

/// A tagged command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command<'a> {
    /// The tag the server answers with.
    pub tag: Tag<'a>,
    /// What to do.
    pub body: CommandBody<'a>,
}

/// A FETCH attribute as requested by a client (RFC 9051 `fetch-att`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchAttribute<'a> {
    /// ENVELOPE.
    Envelope,
    /// FLAGS.
    Flags,
    /// INTERNALDATE.
    InternalDate,
    /// RFC822.SIZE.
    Rfc822Size,
    /// RFC822 (IMAP4rev1).
    Rfc822,
    /// RFC822.HEADER (IMAP4rev1).
    Rfc822Header,
    /// RFC822.TEXT (IMAP4rev1).
    Rfc822Text,
    /// BODY (the non-extensible structure).
    Body,
    /// BODYSTRUCTURE.
    BodyStructure,
    /// UID.
    Uid,
    /// MODSEQ (RFC 7162).
    ModSeq,
    /// `BODY[section]<partial>` or `BODY.PEEK[...]`.
    BodySection {
        /// `.PEEK`: do not set `\Seen`.
        peek: bool,
        /// The section.
        section: Section<'a>,
        /// `<offset.length>`.
        partial: Option<(u32, NonZeroU32)>,
    },
    /// `BINARY[part]<partial>` or `BINARY.PEEK[...]` (RFC 3516).
    Binary {
        /// `.PEEK`.
        peek: bool,
        /// The part path.
        part: Vec<NonZeroU32>,
        /// `<offset.length>`.
        partial: Option<(u32, NonZeroU32)>,
    },
    /// `BINARY.SIZE[part]` (RFC 3516).
    BinarySize(Vec<NonZeroU32>),
    /// Any other attribute (`X-GM-LABELS`, `EMAILID`, `PREVIEW`).
    Other(Atom<'a>),
}

/// The attribute list of a FETCH: a macro or a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchAttributes<'a> {
    /// `ALL`.
    All,
    /// `FAST`.
    Fast,
    /// `FULL`.
    Full,
    /// One attribute without parentheses.
    Single(FetchAttribute<'a>),
    /// `(a b ...)`.
    List(Vec<FetchAttribute<'a>>),
}

/// One search key (RFC 9051 6.4.4, RFC 7162 MODSEQ).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchKey<'a> {
    /// ALL.
    All,
    /// ANSWERED.
    Answered,
    /// BCC string.
    Bcc(AString<'a>),
    /// BEFORE date.
    Before(Date),
    /// BODY string.
    Body(AString<'a>),
    /// CC string.
    Cc(AString<'a>),
    /// DELETED.
    Deleted,
    /// DRAFT.
    Draft,
    /// FLAGGED.
    Flagged,
    /// FROM string.
    From(AString<'a>),
    /// HEADER field value.
    Header(AString<'a>, AString<'a>),
    /// KEYWORD flag.
    Keyword(Atom<'a>),
    /// LARGER n.
    Larger(u64),
    /// NEW (IMAP4rev1).
    New,
    /// NOT key.
    Not(Box<Self>),
    /// OLD (IMAP4rev1).
    Old,
    /// ON date.
    On(Date),
    /// OR a b.
    Or(Box<Self>, Box<Self>),
    /// RECENT (IMAP4rev1).
    Recent,
    /// SEEN.
    Seen,
    /// SENTBEFORE date.
    SentBefore(Date),
    /// SENTON date.
    SentOn(Date),
    /// SENTSINCE date.
    SentSince(Date),
    /// SINCE date.
    Since(Date),
    /// SMALLER n.
    Smaller(u64),
    /// SUBJECT string.
    Subject(AString<'a>),
    /// TEXT string.
    Text(AString<'a>),
    /// TO string.
    To(AString<'a>),
    /// UID set.
    Uid(SequenceSet),
    /// UNANSWERED.
    Unanswered,
    /// UNDELETED.
    Undeleted,
    /// UNDRAFT.
    Undraft,
    /// UNFLAGGED.
    Unflagged,
    /// UNKEYWORD flag.
    Unkeyword(Atom<'a>),
    /// UNSEEN.
    Unseen,
    /// EMAILID objectid (RFC 8474).
    EmailId(Atom<'a>),
    /// THREADID objectid (RFC 8474).
    ThreadId(Atom<'a>),
    /// A bare sequence set.
    SequenceSet(SequenceSet),
    /// `MODSEQ [entry type] n` (RFC 7162).
    ModSeq {
        /// `"/flags/\\seen" priv` and the like.
        entry: Option<(IString<'a>, Atom<'a>)>,
        /// The mod-sequence.
        modseq: u64,
    },
    /// `( key key ... )`: a conjunction.
    And(Vec<Self>),
}

/// A date (`date` in RFC 9051: `1-Feb-1994`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// A calendar date; refuses impossible months and days (day is checked against 31).
    pub fn new(year: u16, month: u8, day: u8) -> Result<Self, crate::ValueError> {
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) || year > 9999 {
            return Err(crate::ValueError::new("date", "out of range"));
        }
        Ok(Self { year, month, day })
    }

    /// Year.
    pub fn year(self) -> u16 {
        self.year
    }

    /// Month, 1 to 12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// Day of month.
    pub fn day(self) -> u8 {
        self.day
    }
}

/// A search return option (RFC 4731, RFC 5182, RFC 9394).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchReturn<'a> {
    /// MIN.
    Min,
    /// MAX.
    Max,
    /// ALL.
    All,
    /// COUNT.
    Count,
    /// SAVE (RFC 5182).
    Save,
    /// Other options, e.g. `PARTIAL 1:100`.
    Other(Atom<'a>, Option<Value<'a>>),
}

/// STORE operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StoreMode {
    /// `FLAGS`: replace.
    Replace,
    /// `+FLAGS`: add.
    Add,
    /// `-FLAGS`: remove.
    Remove,
}

/// LIST selection and return options (RFC 5258, RFC 5819, RFC 6154).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListOptions<'a> {
    /// Selection options (`SUBSCRIBED`, `REMOTE`, `RECURSIVEMATCH`, `SPECIAL-USE`); None when
    /// no parenthesised list was sent.
    pub selection: Option<Vec<Atom<'a>>>,
    /// Return options (`CHILDREN`, `SUBSCRIBED`, `SPECIAL-USE`, `STATUS (...)`); None when no
    /// `RETURN` was sent.
    pub ret: Option<Vec<ListReturn<'a>>>,
}

/// A LIST return option.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListReturn<'a> {
    /// `STATUS (attrs)` (RFC 5819).
    Status(Vec<StatusAttribute<'a>>),
    /// Any other option atom.
    Option(Atom<'a>),
}

/// A LIST pattern: a quoted/literal string or a bare pattern that may hold `%` and `*`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListMailbox<'a> {
    /// The bare form.
    Token(ListAtom<'a>),
    /// The string form.
    String(IString<'a>),
}

/// A SELECT/EXAMINE parameter (RFC 7162).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SelectParam<'a> {
    /// CONDSTORE.
    CondStore,
    /// `QRESYNC (uidvalidity modseq [known-uids [(seqs uids)]])`.
    QResync {
        /// Last known UIDVALIDITY.
        uid_validity: NonZeroU32,
        /// Last known mod-sequence.
        modseq: u64,
        /// Known UIDs.
        known_uids: Option<SequenceSet>,
        /// Sequence match data: sequence numbers and the matching UIDs.
        seq_match: Option<(SequenceSet, SequenceSet)>,
    },
    /// Any other parameter.
    Other(Atom<'a>, Option<Value<'a>>),
}

/// A FETCH modifier (RFC 7162).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchModifier<'a> {
    /// `CHANGEDSINCE n`.
    ChangedSince(u64),
    /// `VANISHED` (UID FETCH with QRESYNC).
    Vanished,
    /// Any other modifier.
    Other(Atom<'a>, Option<Value<'a>>),
}

/// A SORT criterion (RFC 5256).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortCriterion<'a> {
    /// `REVERSE`.
    pub reverse: bool,
    /// ARRIVAL, CC, DATE, FROM, SIZE, SUBJECT, TO, DISPLAYFROM...
    pub key: Atom<'a>,
}

/// One message of an APPEND (several with MULTIAPPEND).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppendMessage<'a> {
    /// Flags to set.
    pub flags: Option<Vec<Flag<'a>>>,
    /// The internal date (`"17-Jul-1996 02:44:25 -0700"`).
    pub date: Option<Quoted<'a>>,
    /// The message (a literal or, with BINARY, a literal8).
    pub message: Literal<'a>,
    /// Sent as `UTF8 (literal8)` (RFC 6855, UTF8=ACCEPT).
    pub utf8: bool,
}

/// What a command asks (RFC 9051 6 and the extensions).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CommandBody<'a> {
    /// CAPABILITY.
    Capability,
    /// NOOP.
    Noop,
    /// LOGOUT.
    Logout,
    /// STARTTLS.
    StartTls,
    /// `AUTHENTICATE mechanism [initial-response]` (SASL-IR: `=` is an empty response).
    Authenticate {
        /// The SASL mechanism.
        mechanism: Atom<'a>,
        /// Base64 initial response (RFC 4959), `Some("=")` for empty.
        initial: Option<Secret<Cow<'a, str>>>,
    },
    /// LOGIN user password.
    Login {
        /// The user name.
        username: AString<'a>,
        /// The password.
        password: Secret<AString<'a>>,
    },
    /// SELECT.
    Select {
        /// The mailbox.
        mailbox: Mailbox<'a>,
        /// CONDSTORE/QRESYNC parameters.
        params: Vec<SelectParam<'a>>,
    },
    /// EXAMINE.
    Examine {
        /// The mailbox.
        mailbox: Mailbox<'a>,
        /// CONDSTORE/QRESYNC parameters.
        params: Vec<SelectParam<'a>>,
    },
    /// CREATE, with `(USE (...))` of RFC 6154.
    Create {
        /// The mailbox.
        mailbox: Mailbox<'a>,
        /// Special-use attributes requested.
        special_use: Option<Vec<crate::types::MailboxAttribute<'a>>>,
    },
    /// DELETE.
    Delete(Mailbox<'a>),
    /// RENAME from to.
    Rename(Mailbox<'a>, Mailbox<'a>),
    /// SUBSCRIBE.
    Subscribe(Mailbox<'a>),
    /// UNSUBSCRIBE.
    Unsubscribe(Mailbox<'a>),
    /// LIST (with LIST-EXTENDED options and several patterns).
    List {
        /// Options.
        options: ListOptions<'a>,
        /// Reference name.
        reference: Mailbox<'a>,
        /// Patterns (one without parentheses unless several).
        patterns: Vec<ListMailbox<'a>>,
    },
    /// LSUB reference pattern.
    Lsub {
        /// Reference name.
        reference: Mailbox<'a>,
        /// Pattern.
        pattern: ListMailbox<'a>,
    },
    /// NAMESPACE.
    Namespace,
    /// STATUS mailbox (attrs).
    Status {
        /// The mailbox.
        mailbox: Mailbox<'a>,
        /// Requested attributes.
        attributes: Vec<StatusAttribute<'a>>,
    },
    /// APPEND (one message, or several with MULTIAPPEND).
    Append {
        /// The mailbox.
        mailbox: Mailbox<'a>,
        /// The messages.
        messages: Vec<AppendMessage<'a>>,
    },
    /// IDLE (RFC 2177); the client ends it with `DONE` (see [`parse_idle_done`](crate::codec::parse_idle_done)).
    Idle,
    /// CHECK (IMAP4rev1).
    Check,
    /// CLOSE.
    Close,
    /// UNSELECT (RFC 3691).
    Unselect,
    /// EXPUNGE.
    Expunge,
    /// UID EXPUNGE set (RFC 4315).
    UidExpunge(SequenceSet),
    /// SEARCH / UID SEARCH.
    Search {
        /// UID SEARCH.
        uid: bool,
        /// `RETURN (...)` options (ESEARCH).
        ret: Option<Vec<SearchReturn<'a>>>,
        /// `CHARSET x`.
        charset: Option<AString<'a>>,
        /// The keys (implicitly ANDed).
        keys: Vec<SearchKey<'a>>,
    },
    /// FETCH / UID FETCH.
    Fetch {
        /// UID FETCH.
        uid: bool,
        /// Messages.
        set: SequenceSet,
        /// What to fetch.
        attributes: FetchAttributes<'a>,
        /// CHANGEDSINCE / VANISHED (RFC 7162).
        modifiers: Vec<FetchModifier<'a>>,
    },
    /// STORE / UID STORE.
    Store {
        /// UID STORE.
        uid: bool,
        /// Messages.
        set: SequenceSet,
        /// `UNCHANGEDSINCE n` (RFC 7162).
        unchanged_since: Option<u64>,
        /// Replace, add or remove.
        mode: StoreMode,
        /// `.SILENT`.
        silent: bool,
        /// The flags (a list, even if one).
        flags: Vec<Flag<'a>>,
    },
    /// COPY / UID COPY.
    Copy {
        /// UID COPY.
        uid: bool,
        /// Messages.
        set: SequenceSet,
        /// Destination.
        mailbox: Mailbox<'a>,
    },
    /// MOVE / UID MOVE (RFC 6851).
    Move {
        /// UID MOVE.
        uid: bool,
        /// Messages.
        set: SequenceSet,
        /// Destination.
        mailbox: Mailbox<'a>,
    },
    /// ENABLE (RFC 5161).
    Enable(Vec<Capability<'a>>),
    /// ID (RFC 2971); None for NIL.
    Id(Option<Vec<(IString<'a>, NString<'a>)>>),
    /// GETQUOTA root (RFC 9208).
    GetQuota(AString<'a>),
    /// GETQUOTAROOT mailbox (RFC 9208).
    GetQuotaRoot(Mailbox<'a>),
    /// SETQUOTA root (resource limit ...) (RFC 9208).
    SetQuota {
        /// The quota root.
        root: AString<'a>,
        /// Resource names and limits.
        limits: Vec<(Atom<'a>, u64)>,
    },
    /// GETMETADATA [(options)] mailbox entries (RFC 5464).
    GetMetadata {
        /// `MAXSIZE n`, `DEPTH x`.
        options: Vec<(Atom<'a>, Value<'a>)>,
        /// The mailbox ("" for server).
        mailbox: Mailbox<'a>,
        /// Entry names (one without parentheses unless several).
        entries: Vec<AString<'a>>,
    },
    /// SETMETADATA mailbox (entry value ...) (RFC 5464).
    SetMetadata {
        /// The mailbox.
        mailbox: Mailbox<'a>,
        /// Entries and values (NIL removes).
        entries: Vec<(AString<'a>, NString<'a>)>,
    },
    /// SORT / UID SORT (RFC 5256), with ESORT's `RETURN` (RFC 5267).
    Sort {
        /// UID SORT.
        uid: bool,
        /// `RETURN (...)` options (ESORT).
        ret: Option<Vec<SearchReturn<'a>>>,
        /// Criteria.
        criteria: Vec<SortCriterion<'a>>,
        /// Charset.
        charset: AString<'a>,
        /// Keys.
        keys: Vec<SearchKey<'a>>,
    },
    /// THREAD / UID THREAD (RFC 5256).
    Thread {
        /// UID THREAD.
        uid: bool,
        /// ORDEREDSUBJECT, REFERENCES...
        algorithm: Atom<'a>,
        /// Charset.
        charset: AString<'a>,
        /// Keys.
        keys: Vec<SearchKey<'a>>,
    },
    /// COMPRESS mechanism (RFC 4978).
    Compress(Atom<'a>),
    /// Any other command, with its arguments as generic values.
    Other {
        /// The command name.
        name: Atom<'a>,
        /// Arguments.
        args: Vec<Value<'a>>,
    },
}

impl CommandBody<'_> {
    /// A short name of the command, for logs (`"Fetch"`, `"UidFetch"`).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Capability => "Capability",
            Self::Noop => "Noop",
            Self::Logout => "Logout",
            Self::StartTls => "StartTls",
            Self::Authenticate { .. } => "Authenticate",
            Self::Login { .. } => "Login",
            Self::Select { .. } => "Select",
            Self::Examine { .. } => "Examine",
            Self::Create { .. } => "Create",
            Self::Delete(_) => "Delete",
            Self::Rename(..) => "Rename",
            Self::Subscribe(_) => "Subscribe",
            Self::Unsubscribe(_) => "Unsubscribe",
            Self::List { .. } => "List",
            Self::Lsub { .. } => "Lsub",
            Self::Namespace => "Namespace",
            Self::Status { .. } => "Status",
            Self::Append { .. } => "Append",
            Self::Idle => "Idle",
            Self::Check => "Check",
            Self::Close => "Close",
            Self::Unselect => "Unselect",
            Self::Expunge => "Expunge",
            Self::UidExpunge(_) => "UidExpunge",
            Self::Search { uid: false, .. } => "Search",
            Self::Search { uid: true, .. } => "UidSearch",
            Self::Fetch { uid: false, .. } => "Fetch",
            Self::Fetch { uid: true, .. } => "UidFetch",
            Self::Store { uid: false, .. } => "Store",
            Self::Store { uid: true, .. } => "UidStore",
            Self::Copy { uid: false, .. } => "Copy",
            Self::Copy { uid: true, .. } => "UidCopy",
            Self::Move { uid: false, .. } => "Move",
            Self::Move { uid: true, .. } => "UidMove",
            Self::Enable(_) => "Enable",
            Self::Id(_) => "Id",
            Self::GetQuota(_) => "GetQuota",
            Self::GetQuotaRoot(_) => "GetQuotaRoot",
            Self::SetQuota { .. } => "SetQuota",
            Self::GetMetadata { .. } => "GetMetadata",
            Self::SetMetadata { .. } => "SetMetadata",
            Self::Sort { uid: false, .. } => "Sort",
            Self::Sort { uid: true, .. } => "UidSort",
            Self::Thread { uid: false, .. } => "Thread",
            Self::Thread { uid: true, .. } => "UidThread",
            Self::Compress(_) => "Compress",
            Self::Other { .. } => "Other",
        }
    }
}

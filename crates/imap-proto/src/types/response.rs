//! Server responses: status responses with their codes, untagged data and continuation requests.

use std::borrow::Cow;
use std::fmt;

use crate::error::ValueError;
use crate::types::fetch::FetchItem;
use crate::types::named::keyword_enum;
use crate::types::{AString, Atom, Flag, IString, Mailbox, NString, SequenceSet, Tag, Value};

/// One server response (RFC 9051 `response-data` / `response-tagged` / `continue-req`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Response<'a> {
    /// The completion result of a command: `A1 OK ...`.
    Tagged {
        /// The command's tag.
        tag: Tag<'a>,
        /// OK, NO or BAD.
        state: State,
        /// Optional code and human-readable text.
        text: ResponseText<'a>,
    },
    /// Untagged data: `* ...`.
    Data(Data<'a>),
    /// A continuation request: `+ ...` (also SASL challenges, as base64 text).
    Continue(ResponseText<'a>),
}

impl Response<'_> {
    /// A short name of the response kind (`"Fetch"`, `"Tagged"`, `"Continue"`), for logs.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Tagged { .. } => "Tagged",
            Self::Continue(_) => "Continue",
            Self::Data(d) => d.kind(),
        }
    }
}

/// OK, NO or BAD.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    /// Success.
    Ok,
    /// Operational failure.
    No,
    /// Protocol error.
    Bad,
}

/// The condition of an untagged status response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Condition {
    /// `* OK`.
    Ok,
    /// `* NO`.
    No,
    /// `* BAD`.
    Bad,
    /// `* PREAUTH` (greeting only).
    PreAuth,
    /// `* BYE`.
    Bye,
}

/// Human-readable text: no CR or LF; does not start with `[` (which would read as a code).
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Text<'a>(Cow<'a, str>);

impl<'a> Text<'a> {
    /// Builds text, refusing CR, LF, NUL and a leading `[`.
    pub fn new(s: impl Into<Cow<'a, str>>) -> Result<Self, ValueError> {
        let s = s.into();
        if s.bytes().any(|b| matches!(b, 0 | b'\r' | b'\n')) {
            return Err(ValueError::new("text", "CR, LF or NUL"));
        }
        if s.starts_with('[') {
            return Err(ValueError::new(
                "text",
                "leading [ reads as a response code",
            ));
        }
        Ok(Self(s))
    }

    pub(crate) fn unchecked(s: Cow<'a, str>) -> Self {
        Self(s)
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Text({:?})", self.0)
    }
}

/// `resp-text`: an optional response code and text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResponseText<'a> {
    /// `[CODE ...]`, if any.
    pub code: Option<Code<'a>>,
    /// The text after the code (may be empty).
    pub text: Text<'a>,
}

impl<'a> ResponseText<'a> {
    /// Text without a code.
    pub fn new(text: impl Into<Cow<'a, str>>) -> Result<Self, ValueError> {
        Ok(Self {
            code: None,
            text: Text::new(text)?,
        })
    }
}

keyword_enum! {
    /// A capability name (RFC 9051 7.2.2 and the extensions).
    Capability, Other {
        /// IMAP4rev1.
        Imap4rev1 = "IMAP4rev1",
        /// IMAP4rev2.
        Imap4rev2 = "IMAP4rev2",
        /// STARTTLS.
        StartTls = "STARTTLS",
        /// LOGINDISABLED.
        LoginDisabled = "LOGINDISABLED",
        /// IDLE (RFC 2177).
        Idle = "IDLE",
        /// LITERAL+ (RFC 7888).
        LiteralPlus = "LITERAL+",
        /// LITERAL- (RFC 7888).
        LiteralMinus = "LITERAL-",
        /// BINARY (RFC 3516).
        Binary = "BINARY",
        /// UIDPLUS (RFC 4315).
        UidPlus = "UIDPLUS",
        /// MOVE (RFC 6851).
        Move = "MOVE",
        /// CONDSTORE (RFC 7162).
        CondStore = "CONDSTORE",
        /// QRESYNC (RFC 7162).
        QResync = "QRESYNC",
        /// ENABLE (RFC 5161).
        Enable = "ENABLE",
        /// ID (RFC 2971).
        Id = "ID",
        /// NAMESPACE (RFC 2342).
        Namespace = "NAMESPACE",
        /// ESEARCH (RFC 4731).
        ESearch = "ESEARCH",
        /// SORT (RFC 5256).
        Sort = "SORT",
        /// THREAD=ORDEREDSUBJECT (RFC 5256).
        ThreadOrderedSubject = "THREAD=ORDEREDSUBJECT",
        /// THREAD=REFERENCES (RFC 5256).
        ThreadReferences = "THREAD=REFERENCES",
        /// SPECIAL-USE (RFC 6154).
        SpecialUse = "SPECIAL-USE",
        /// CREATE-SPECIAL-USE (RFC 6154).
        CreateSpecialUse = "CREATE-SPECIAL-USE",
        /// LIST-EXTENDED (RFC 5258).
        ListExtended = "LIST-EXTENDED",
        /// LIST-STATUS (RFC 5819).
        ListStatus = "LIST-STATUS",
        /// UTF8=ACCEPT (RFC 6855).
        Utf8Accept = "UTF8=ACCEPT",
        /// QUOTA (RFC 9208).
        Quota = "QUOTA",
        /// METADATA (RFC 5464).
        Metadata = "METADATA",
        /// METADATA-SERVER (RFC 5464).
        MetadataServer = "METADATA-SERVER",
        /// SASL-IR (RFC 4959).
        SaslIr = "SASL-IR",
        /// UNSELECT (RFC 3691).
        Unselect = "UNSELECT",
        /// COMPRESS=DEFLATE (RFC 4978).
        CompressDeflate = "COMPRESS=DEFLATE",
        /// CHILDREN (RFC 3348).
        Children = "CHILDREN",
        /// SEARCHRES (RFC 5182).
        SearchRes = "SEARCHRES",
        /// AUTH=PLAIN.
        AuthPlain = "AUTH=PLAIN",
        /// AUTH=LOGIN.
        AuthLogin = "AUTH=LOGIN",
        /// AUTH=XOAUTH2.
        AuthXoauth2 = "AUTH=XOAUTH2",
        /// AUTH=OAUTHBEARER.
        AuthOauthBearer = "AUTH=OAUTHBEARER",
    }
}

keyword_enum! {
    /// A mailbox attribute in LIST/LSUB (RFC 9051 7.3.1, RFC 6154, RFC 5258).
    MailboxAttribute, Extension {
        /// `\Noinferiors`.
        NoInferiors = "Noinferiors",
        /// `\Noselect`.
        NoSelect = "Noselect",
        /// `\Marked`.
        Marked = "Marked",
        /// `\Unmarked`.
        Unmarked = "Unmarked",
        /// `\NonExistent`.
        NonExistent = "NonExistent",
        /// `\Subscribed`.
        Subscribed = "Subscribed",
        /// `\Remote`.
        Remote = "Remote",
        /// `\HasChildren`.
        HasChildren = "HasChildren",
        /// `\HasNoChildren`.
        HasNoChildren = "HasNoChildren",
        /// `\All`.
        All = "All",
        /// `\Archive`.
        Archive = "Archive",
        /// `\Drafts`.
        Drafts = "Drafts",
        /// `\Flagged`.
        Flagged = "Flagged",
        /// `\Junk`.
        Junk = "Junk",
        /// `\Sent`.
        Sent = "Sent",
        /// `\Trash`.
        Trash = "Trash",
        /// `\Important` (RFC 8457).
        Important = "Important",
    }
}

keyword_enum! {
    /// A STATUS attribute (RFC 9051 6.3.11, RFC 7162, RFC 8438, RFC 7889).
    StatusAttribute, Other {
        /// MESSAGES.
        Messages = "MESSAGES",
        /// RECENT (IMAP4rev1 only).
        Recent = "RECENT",
        /// UIDNEXT.
        UidNext = "UIDNEXT",
        /// UIDVALIDITY.
        UidValidity = "UIDVALIDITY",
        /// UNSEEN.
        Unseen = "UNSEEN",
        /// DELETED.
        Deleted = "DELETED",
        /// SIZE.
        Size = "SIZE",
        /// HIGHESTMODSEQ (RFC 7162).
        HighestModSeq = "HIGHESTMODSEQ",
        /// APPENDLIMIT (RFC 7889).
        AppendLimit = "APPENDLIMIT",
    }
}

/// A response code: `[ALERT]`, `[UIDNEXT 4392]`... (RFC 9051 7.1 and the extensions).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Code<'a> {
    /// ALERT.
    Alert,
    /// BADCHARSET, with the supported charsets if given.
    BadCharset(Vec<AString<'a>>),
    /// CAPABILITY.
    Capability(Vec<Capability<'a>>),
    /// PARSE.
    Parse,
    /// PERMANENTFLAGS (may hold `\*`).
    PermanentFlags(Vec<Flag<'a>>),
    /// READ-ONLY.
    ReadOnly,
    /// READ-WRITE.
    ReadWrite,
    /// TRYCREATE.
    TryCreate,
    /// UIDNEXT.
    UidNext(u32),
    /// UIDVALIDITY.
    UidValidity(u32),
    /// UNSEEN (IMAP4rev1).
    Unseen(u32),
    /// APPENDUID (RFC 4315).
    AppendUid {
        /// UIDVALIDITY of the destination.
        validity: u32,
        /// UIDs of the appended messages.
        uids: SequenceSet,
    },
    /// COPYUID (RFC 4315).
    CopyUid {
        /// UIDVALIDITY of the destination.
        validity: u32,
        /// Source UIDs.
        source: SequenceSet,
        /// Destination UIDs.
        destination: SequenceSet,
    },
    /// UIDNOTSTICKY (RFC 4315).
    UidNotSticky,
    /// HIGHESTMODSEQ (RFC 7162).
    HighestModSeq(u64),
    /// NOMODSEQ (RFC 7162).
    NoModSeq,
    /// MODIFIED (RFC 7162).
    Modified(SequenceSet),
    /// CLOSED (RFC 7162).
    Closed,
    /// METADATA LONGENTRIES (RFC 5464).
    MetadataLongEntries(u64),
    /// METADATA MAXSIZE (RFC 5464).
    MetadataMaxSize(u64),
    /// METADATA TOOMANY (RFC 5464).
    MetadataTooMany,
    /// METADATA NOPRIVATE (RFC 5464).
    MetadataNoPrivate,
    /// A code without arguments (UNAVAILABLE, AUTHENTICATIONFAILED, NONEXISTENT, OVERQUOTA,
    /// NOTSAVED, USEATTR, COMPRESSIONACTIVE, ...).
    Simple(SimpleCode<'a>),
    /// Any other code with its raw argument text (no `]`, CR or LF).
    Other {
        /// The code's name.
        name: Atom<'a>,
        /// The rest up to `]`, without the separating space.
        args: Option<CodeArgs<'a>>,
    },
}

keyword_enum! {
    /// Response codes without arguments beyond those with their own [`Code`] variant.
    SimpleCode, Other {
        /// UNAVAILABLE.
        Unavailable = "UNAVAILABLE",
        /// AUTHENTICATIONFAILED.
        AuthenticationFailed = "AUTHENTICATIONFAILED",
        /// AUTHORIZATIONFAILED.
        AuthorizationFailed = "AUTHORIZATIONFAILED",
        /// EXPIRED.
        Expired = "EXPIRED",
        /// PRIVACYREQUIRED.
        PrivacyRequired = "PRIVACYREQUIRED",
        /// CONTACTADMIN.
        ContactAdmin = "CONTACTADMIN",
        /// NOPERM.
        NoPerm = "NOPERM",
        /// INUSE.
        InUse = "INUSE",
        /// EXPUNGEISSUED.
        ExpungeIssued = "EXPUNGEISSUED",
        /// CORRUPTION.
        Corruption = "CORRUPTION",
        /// SERVERBUG.
        ServerBug = "SERVERBUG",
        /// CLIENTBUG.
        ClientBug = "CLIENTBUG",
        /// CANNOT.
        Cannot = "CANNOT",
        /// LIMIT.
        Limit = "LIMIT",
        /// OVERQUOTA.
        OverQuota = "OVERQUOTA",
        /// ALREADYEXISTS.
        AlreadyExists = "ALREADYEXISTS",
        /// NONEXISTENT.
        NonExistent = "NONEXISTENT",
        /// HASCHILDREN.
        HasChildren = "HASCHILDREN",
        /// NOTSAVED (RFC 5182).
        NotSaved = "NOTSAVED",
        /// USEATTR (RFC 6154).
        UseAttr = "USEATTR",
        /// COMPRESSIONACTIVE (RFC 4978).
        CompressionActive = "COMPRESSIONACTIVE",
        /// UNKNOWN-CTE (RFC 3516).
        UnknownCte = "UNKNOWN-CTE",
    }
}

/// The raw arguments of an unknown response code: one or more bytes, none of them `]`, CR or LF.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct CodeArgs<'a>(Cow<'a, str>);

impl<'a> CodeArgs<'a> {
    /// Builds the arguments, refusing `]`, CR, LF, NUL and emptiness.
    pub fn new(s: impl Into<Cow<'a, str>>) -> Result<Self, ValueError> {
        let s = s.into();
        if s.is_empty() || s.bytes().any(|b| matches!(b, 0 | b'\r' | b'\n' | b']')) {
            return Err(ValueError::new(
                "response code arguments",
                "empty, or ], CR, LF, NUL",
            ));
        }
        Ok(Self(s))
    }

    pub(crate) fn unchecked(s: Cow<'a, str>) -> Self {
        Self(s)
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for CodeArgs<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CodeArgs({:?})", self.0)
    }
}

/// A hierarchy delimiter: one character other than CR, LF and NUL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Delimiter(char);

impl Delimiter {
    /// Builds a delimiter.
    pub fn new(c: char) -> Result<Self, ValueError> {
        if matches!(c, '\0' | '\r' | '\n') {
            return Err(ValueError::new("delimiter", "CR, LF or NUL"));
        }
        Ok(Self(c))
    }

    /// The character.
    pub fn char(self) -> char {
        self.0
    }
}

/// Which listing command a [`Data::List`] answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListKind {
    /// LIST.
    List,
    /// LSUB.
    Lsub,
    /// XLIST (Gmail's pre-SPECIAL-USE command).
    Xlist,
}

/// A LIST/LSUB response line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListData<'a> {
    /// `\HasChildren`, `\Sent`...
    pub attributes: Vec<MailboxAttribute<'a>>,
    /// The hierarchy delimiter, or None for NIL (flat namespace).
    pub delimiter: Option<Delimiter>,
    /// The mailbox.
    pub mailbox: Mailbox<'a>,
    /// LIST-EXTENDED data (`CHILDINFO`, `OLDNAME`): tag and value.
    pub extended: Vec<(AString<'a>, Value<'a>)>,
}

/// One item of a STATUS response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusItem<'a> {
    /// A known attribute with its number.
    Number(StatusAttribute<'a>, u64),
    /// An attribute whose value is not a number (MAILBOXID (...)).
    Other(Atom<'a>, Value<'a>),
}

/// One item of an ESEARCH response (RFC 4731, RFC 9051, RFC 7162, RFC 9394).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ESearchItem<'a> {
    /// MIN.
    Min(u32),
    /// MAX.
    Max(u32),
    /// ALL.
    All(SequenceSet),
    /// COUNT.
    Count(u32),
    /// MODSEQ (RFC 7162).
    ModSeq(u64),
    /// PARTIAL (RFC 9394): the requested range and the matches in it (NIL when none).
    Partial {
        /// First position of the range (negative counts from the end).
        first: i64,
        /// Last position of the range.
        last: i64,
        /// The matches.
        set: Option<SequenceSet>,
    },
    /// Anything else, as `name value`.
    Other(Atom<'a>, Value<'a>),
}

/// An ESEARCH response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ESearch<'a> {
    /// The tag of the command this answers, if given.
    pub tag: Option<IString<'a>>,
    /// Whether the numbers are UIDs.
    pub uid: bool,
    /// The results.
    pub items: Vec<ESearchItem<'a>>,
}

/// A THREAD response node (RFC 5256): a chain of messages, then its sub-threads.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Thread {
    /// Messages in a parent-child chain.
    pub members: Vec<u32>,
    /// Sub-threads below the last member (or siblings, when `members` is empty).
    pub children: Vec<Self>,
}

/// One namespace description (RFC 2342).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Namespace<'a> {
    /// The prefix.
    pub prefix: IString<'a>,
    /// The delimiter, or None for NIL.
    pub delimiter: Option<Delimiter>,
    /// Extensions (`"TRANSLATION" ("...")`).
    pub extensions: Vec<(IString<'a>, Vec<IString<'a>>)>,
}

/// One resource of a QUOTA response (RFC 9208).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotaResource<'a> {
    /// STORAGE, MESSAGE, MAILBOX, ANNOTATION-STORAGE...
    pub name: Atom<'a>,
    /// Current usage.
    pub usage: u64,
    /// Limit.
    pub limit: u64,
}

/// The payload of a METADATA response (RFC 5464 4.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetadataEntries<'a> {
    /// Entry-value pairs (answer to GETMETADATA).
    Values(Vec<(AString<'a>, NString<'a>)>),
    /// Entry names only (unsolicited change notification).
    Names(Vec<AString<'a>>),
}

/// Untagged response data (`* ...`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Data<'a> {
    /// `* OK|NO|BAD|PREAUTH|BYE ...`.
    Condition {
        /// Which one.
        condition: Condition,
        /// Code and text.
        text: ResponseText<'a>,
    },
    /// `* CAPABILITY ...`.
    Capability(Vec<Capability<'a>>),
    /// `* ENABLED ...` (RFC 5161).
    Enabled(Vec<Capability<'a>>),
    /// `* FLAGS (...)`.
    Flags(Vec<Flag<'a>>),
    /// `* LIST`, `* LSUB` or `* XLIST`.
    List(ListKind, ListData<'a>),
    /// `* STATUS mailbox (...)`.
    Status {
        /// The mailbox.
        mailbox: Mailbox<'a>,
        /// Its attributes.
        items: Vec<StatusItem<'a>>,
    },
    /// `* SEARCH ...` with an optional `(MODSEQ n)` (RFC 7162).
    Search {
        /// Matching numbers.
        numbers: Vec<u32>,
        /// Highest mod-sequence of the matches.
        modseq: Option<u64>,
    },
    /// `* ESEARCH ...`.
    ESearch(ESearch<'a>),
    /// `* SORT ...` (RFC 5256) with an optional `(MODSEQ n)`.
    Sort {
        /// Sorted numbers.
        numbers: Vec<u32>,
        /// Highest mod-sequence of the matches.
        modseq: Option<u64>,
    },
    /// `* THREAD ...` (RFC 5256).
    Thread(Vec<Thread>),
    /// `* n EXISTS`.
    Exists(u32),
    /// `* n RECENT`.
    Recent(u32),
    /// `* n EXPUNGE`.
    Expunge(u32),
    /// `* n FETCH (...)`.
    Fetch {
        /// Message sequence number.
        seq: u32,
        /// The data items.
        items: Vec<FetchItem<'a>>,
    },
    /// `* NAMESPACE` (RFC 2342); None for NIL.
    Namespace {
        /// Personal namespaces.
        personal: Option<Vec<Namespace<'a>>>,
        /// Other users' namespaces.
        other: Option<Vec<Namespace<'a>>>,
        /// Shared namespaces.
        shared: Option<Vec<Namespace<'a>>>,
    },
    /// `* ID (...)` (RFC 2971); None for NIL.
    Id(Option<Vec<(IString<'a>, NString<'a>)>>),
    /// `* VANISHED [(EARLIER)] uids` (RFC 7162).
    Vanished {
        /// Whether `(EARLIER)` was given.
        earlier: bool,
        /// The expunged UIDs.
        uids: SequenceSet,
    },
    /// `* QUOTA root (...)` (RFC 9208).
    Quota {
        /// The quota root.
        root: AString<'a>,
        /// Its resources.
        resources: Vec<QuotaResource<'a>>,
    },
    /// `* QUOTAROOT mailbox root...` (RFC 9208).
    QuotaRoot {
        /// The mailbox.
        mailbox: Mailbox<'a>,
        /// Its quota roots.
        roots: Vec<AString<'a>>,
    },
    /// `* METADATA mailbox ...` (RFC 5464).
    Metadata {
        /// The mailbox (empty string for server annotations).
        mailbox: Mailbox<'a>,
        /// The entries.
        entries: MetadataEntries<'a>,
    },
    /// Any other untagged data, kept as generic values: `* [number] NAME args...`.
    Other {
        /// A leading number (`* 3 XYZ`), if any.
        number: Option<u32>,
        /// The data's name.
        name: Atom<'a>,
        /// Its arguments.
        args: Vec<Value<'a>>,
    },
}

impl Data<'_> {
    /// A short name of the data kind, for logs.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Condition { condition, .. } => match condition {
                Condition::Ok => "Ok",
                Condition::No => "No",
                Condition::Bad => "Bad",
                Condition::PreAuth => "PreAuth",
                Condition::Bye => "Bye",
            },
            Self::Capability(_) => "Capability",
            Self::Enabled(_) => "Enabled",
            Self::Flags(_) => "Flags",
            Self::List(ListKind::List, _) => "List",
            Self::List(ListKind::Lsub, _) => "Lsub",
            Self::List(ListKind::Xlist, _) => "Xlist",
            Self::Status { .. } => "Status",
            Self::Search { .. } => "Search",
            Self::ESearch(_) => "ESearch",
            Self::Sort { .. } => "Sort",
            Self::Thread(_) => "Thread",
            Self::Exists(_) => "Exists",
            Self::Recent(_) => "Recent",
            Self::Expunge(_) => "Expunge",
            Self::Fetch { .. } => "Fetch",
            Self::Namespace { .. } => "Namespace",
            Self::Id(_) => "Id",
            Self::Vanished { .. } => "Vanished",
            Self::Quota { .. } => "Quota",
            Self::QuotaRoot { .. } => "QuotaRoot",
            Self::Metadata { .. } => "Metadata",
            Self::Other { .. } => "Other",
        }
    }
}

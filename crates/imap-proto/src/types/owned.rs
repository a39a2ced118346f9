//! [`IntoOwned`]: turning a parsed value that borrows the input buffer into one that owns its
//! bytes (`'static`), so it can outlive the buffer (kept by a session, sent to another task).

use std::borrow::Cow;
use std::num::NonZeroU32;

use mail_wire::Secret;

use crate::stream::{FetchHead, LiteralItem};
use crate::types::*;

/// A value that can copy whatever it borrows and become `'static`.
///
/// Implemented by [`Response`], [`Command`] and every type they contain:
///
/// ```
/// use imap_proto::{parse_response, IntoOwned, ParseOptions, Response};
///
/// let owned: Response<'static> = {
///     let buf = b"* 1 FETCH (UID 7 FLAGS (\\Seen))\r\n".to_vec();
///     let (resp, _) = parse_response(&buf, &ParseOptions::default())?.complete().unwrap();
///     resp.into_owned()
/// }; // `buf` is gone here
/// assert_eq!(owned.kind(), "Fetch");
/// # Ok::<(), imap_proto::ParseError>(())
/// ```
pub trait IntoOwned {
    /// The same type with every lifetime `'static`.
    type Owned: 'static;

    /// Copies every borrowed part.
    fn into_owned(self) -> Self::Owned;
}

/// Types without borrowed parts: `into_owned` is the identity.
macro_rules! owned_identity {
    ($($t:ty),* $(,)?) => {
        $(impl IntoOwned for $t {
            type Owned = Self;
            fn into_owned(self) -> Self {
                self
            }
        })*
    };
}

owned_identity!(
    bool,
    u8,
    u16,
    u32,
    u64,
    i64,
    NonZeroU32,
    State,
    Condition,
    ListKind,
    Delimiter,
    SequenceSet,
    Thread,
    LiteralMode,
    Date,
    StoreMode,
);

/// Types with an inherent `into_owned` (the string newtypes and keyword enums).
macro_rules! owned_inherent {
    ($($t:ident),* $(,)?) => {
        $(impl IntoOwned for $t<'_> {
            type Owned = $t<'static>;
            fn into_owned(self) -> $t<'static> {
                $t::into_owned(self)
            }
        })*
    };
}

owned_inherent!(
    Tag,
    Atom,
    AtomExt,
    ListAtom,
    Literal,
    IString,
    AString,
    Capability,
    MailboxAttribute,
    StatusAttribute,
    SimpleCode,
);

/// A struct, field by field.
macro_rules! owned_struct {
    ($($t:ident { $($f:ident),* $(,)? })*) => {
        $(impl IntoOwned for $t<'_> {
            type Owned = $t<'static>;
            fn into_owned(self) -> $t<'static> {
                $t { $($f: self.$f.into_owned()),* }
            }
        })*
    };
}

/// An enum, variant by variant: `Unit`, `Tuple(a, b)` or `Struct { a, b }`. A variant left
/// out fails to compile (the match is exhaustive).
macro_rules! owned_enum {
    ($($t:ident { $($v:ident $(( $($p:ident),* ))? $({ $($f:ident),* })?),* $(,)? })*) => {
        $(impl IntoOwned for $t<'_> {
            type Owned = $t<'static>;
            fn into_owned(self) -> $t<'static> {
                match self {
                    $($t::$v $(( $($p),* ))? $({ $($f),* })? =>
                        $t::$v $(( $($p.into_owned()),* ))? $({ $($f: $f.into_owned()),* })?,)*
                }
            }
        })*
    };
}

impl<T: IntoOwned> IntoOwned for Vec<T> {
    type Owned = Vec<T::Owned>;
    fn into_owned(self) -> Self::Owned {
        self.into_iter().map(T::into_owned).collect()
    }
}

impl<T: IntoOwned> IntoOwned for Option<T> {
    type Owned = Option<T::Owned>;
    fn into_owned(self) -> Self::Owned {
        self.map(T::into_owned)
    }
}

impl<T: IntoOwned> IntoOwned for Box<T> {
    type Owned = Box<T::Owned>;
    fn into_owned(self) -> Self::Owned {
        Box::new((*self).into_owned())
    }
}

impl<A: IntoOwned, B: IntoOwned> IntoOwned for (A, B) {
    type Owned = (A::Owned, B::Owned);
    fn into_owned(self) -> Self::Owned {
        (self.0.into_owned(), self.1.into_owned())
    }
}

impl<T: IntoOwned> IntoOwned for Secret<T> {
    type Owned = Secret<T::Owned>;
    fn into_owned(self) -> Self::Owned {
        Secret::new(self.into_inner().into_owned())
    }
}

impl<B: ?Sized + ToOwned + 'static> IntoOwned for Cow<'_, B> {
    type Owned = Cow<'static, B>;
    fn into_owned(self) -> Cow<'static, B> {
        Cow::Owned(Cow::into_owned(self))
    }
}

/// The newtypes with a checked constructor: the text is copied as it is.
macro_rules! owned_newtype {
    ($($t:ident($get:ident, $copy:ident)),* $(,)?) => {
        $(impl IntoOwned for $t<'_> {
            type Owned = $t<'static>;
            fn into_owned(self) -> $t<'static> {
                $t::unchecked(Cow::Owned(self.$get().$copy()))
            }
        })*
    };
}

owned_newtype!(
    Quoted(data, to_vec),
    Token(as_str, to_owned),
    Text(as_str, to_owned),
    CodeArgs(as_str, to_owned),
);

impl IntoOwned for Mailbox<'_> {
    type Owned = Mailbox<'static>;
    fn into_owned(self) -> Mailbox<'static> {
        Mailbox(self.0.into_owned())
    }
}

impl Response<'_> {
    /// Copies every borrowed part, so the response outlives the input buffer (see
    /// [`IntoOwned`]).
    pub fn into_owned(self) -> Response<'static> {
        IntoOwned::into_owned(self)
    }
}

impl Command<'_> {
    /// Copies every borrowed part, so the command outlives the input buffer (see
    /// [`IntoOwned`]).
    pub fn into_owned(self) -> Command<'static> {
        IntoOwned::into_owned(self)
    }
}

owned_struct! {
    ResponseText { code, text }
    ListData { attributes, delimiter, mailbox, extended }
    ESearch { tag, uid, items }
    Namespace { prefix, delimiter, extensions }
    QuotaResource { name, usage, limit }
    Section { part, text }
    Address { name, adl, mailbox, host }
    Envelope { date, subject, from, sender, reply_to, to, cc, bcc, in_reply_to, message_id }
    Disposition { kind, params }
    BodyExtension { disposition, language, location, extra }
    Command { tag, body }
    ListOptions { selection, ret }
    SortCriterion { reverse, key }
    AppendMessage { flags, date, message, utf8 }
    FetchHead { seq, items, literal_of }
}

owned_enum! {
    Response {
        Tagged { tag, state, text },
        Data(d),
        Continue(t),
    }
    Data {
        Condition { condition, text },
        Capability(c),
        Enabled(c),
        Flags(f),
        List(k, l),
        Status { mailbox, items },
        Search { numbers, modseq },
        ESearch(e),
        Sort { numbers, modseq },
        Thread(t),
        Exists(n),
        Recent(n),
        Expunge(n),
        Fetch { seq, items },
        Namespace { personal, other, shared },
        Id(i),
        Vanished { earlier, uids },
        Quota { root, resources },
        QuotaRoot { mailbox, roots },
        Metadata { mailbox, entries },
        Other { number, name, args },
    }
    Code {
        Alert,
        BadCharset(c),
        Capability(c),
        Parse,
        PermanentFlags(f),
        ReadOnly,
        ReadWrite,
        TryCreate,
        UidNext(n),
        UidValidity(n),
        Unseen(n),
        AppendUid { validity, uids },
        CopyUid { validity, source, destination },
        UidNotSticky,
        HighestModSeq(n),
        NoModSeq,
        Modified(s),
        Closed,
        MetadataLongEntries(n),
        MetadataMaxSize(n),
        MetadataTooMany,
        MetadataNoPrivate,
        Simple(s),
        Other { name, args },
    }
    StatusItem {
        Number(a, n),
        Other(a, v),
    }
    ESearchItem {
        Min(n),
        Max(n),
        All(s),
        Count(n),
        ModSeq(n),
        Partial { first, last, set },
        Other(a, v),
    }
    MetadataEntries {
        Values(v),
        Names(n),
    }
    Flag {
        Answered,
        Flagged,
        Deleted,
        Seen,
        Draft,
        Recent,
        Wildcard,
        Extension(a),
        Keyword(a),
    }
    Value {
        Nil,
        Number(n),
        Atom(t),
        String(s),
        List(l),
    }
    SectionText {
        Header,
        HeaderFields(f),
        HeaderFieldsNot(f),
        Text,
        Mime,
    }
    Language {
        Single(s),
        List(l),
    }
    SinglePartKind {
        Basic,
        Text { lines },
        Message { envelope, body, lines },
    }
    BodyStructure {
        Single { media_type, subtype, params, id, description, encoding, size, kind, extension },
        Multi { parts, subtype, extension },
    }
    FetchItem {
        Flags(f),
        InternalDate(d),
        Rfc822Size(n),
        Uid(n),
        ModSeq(n),
        Envelope(e),
        Body(b),
        BodyStructure(b),
        BodySection { section, origin, data },
        Binary { part, data },
        BinarySize { part, size },
        Rfc822(s),
        Rfc822Header(s),
        Rfc822Text(s),
        Other { name, value },
    }
    FetchAttribute {
        Envelope,
        Flags,
        InternalDate,
        Rfc822Size,
        Rfc822,
        Rfc822Header,
        Rfc822Text,
        Body,
        BodyStructure,
        Uid,
        ModSeq,
        BodySection { peek, section, partial },
        Binary { peek, part, partial },
        BinarySize(p),
        Other(a),
    }
    LiteralItem {
        BodySection { section, origin },
        Binary { part },
        Rfc822,
        Rfc822Header,
        Rfc822Text,
        Other(t),
    }
    FetchAttributes {
        All,
        Fast,
        Full,
        Single(a),
        List(l),
    }
    SearchKey {
        All,
        Answered,
        Bcc(s),
        Before(d),
        Body(s),
        Cc(s),
        Deleted,
        Draft,
        Flagged,
        From(s),
        Header(h, v),
        Keyword(a),
        Larger(n),
        New,
        Not(k),
        Old,
        On(d),
        Or(a, b),
        Recent,
        Seen,
        SentBefore(d),
        SentOn(d),
        SentSince(d),
        Since(d),
        Smaller(n),
        Subject(s),
        Text(s),
        To(s),
        Uid(s),
        Unanswered,
        Undeleted,
        Undraft,
        Unflagged,
        Unkeyword(a),
        Unseen,
        EmailId(a),
        ThreadId(a),
        SequenceSet(s),
        ModSeq { entry, modseq },
        And(k),
    }
    SearchReturn {
        Min,
        Max,
        All,
        Count,
        Save,
        Other(a, v),
    }
    ListReturn {
        Status(s),
        Option(a),
    }
    ListMailbox {
        Token(t),
        String(s),
    }
    SelectParam {
        CondStore,
        QResync { uid_validity, modseq, known_uids, seq_match },
        Other(a, v),
    }
    FetchModifier {
        ChangedSince(n),
        Vanished,
        Other(a, v),
    }
    CommandBody {
        Capability,
        Noop,
        Logout,
        StartTls,
        Authenticate { mechanism, initial },
        Login { username, password },
        Select { mailbox, params },
        Examine { mailbox, params },
        Create { mailbox, special_use },
        Delete(m),
        Rename(a, b),
        Subscribe(m),
        Unsubscribe(m),
        List { options, reference, patterns },
        Lsub { reference, pattern },
        Namespace,
        Status { mailbox, attributes },
        Append { mailbox, messages },
        Idle,
        Check,
        Close,
        Unselect,
        Expunge,
        UidExpunge(s),
        Search { uid, ret, charset, keys },
        Fetch { uid, set, attributes, modifiers },
        Store { uid, set, unchanged_since, mode, silent, flags },
        Copy { uid, set, mailbox },
        Move { uid, set, mailbox },
        Enable(c),
        Id(i),
        GetQuota(r),
        GetQuotaRoot(m),
        SetQuota { root, limits },
        GetMetadata { options, mailbox, entries },
        SetMetadata { mailbox, entries },
        Sort { uid, ret, criteria, charset, keys },
        Thread { uid, algorithm, charset, keys },
        Compress(a),
        Other { name, args },
    }
}

//! FETCH data: items, sections, envelopes and body structures.

use std::num::NonZeroU32;

use crate::types::{AString, Flag, IString, NString, Quoted, Value};

/// A body section specifier: `BODY[1.2.HEADER.FIELDS (From)]` has part `[1, 2]` and text
/// `HeaderFields(["From"])`; `BODY[]` is the default (empty part, no text).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Section<'a> {
    /// The part path (`1.2`), empty for the whole message.
    pub part: Vec<NonZeroU32>,
    /// The text specifier after the part.
    pub text: Option<SectionText<'a>>,
}

/// The part of a section after the part number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SectionText<'a> {
    /// `HEADER`.
    Header,
    /// `HEADER.FIELDS (...)`.
    HeaderFields(Vec<AString<'a>>),
    /// `HEADER.FIELDS.NOT (...)`.
    HeaderFieldsNot(Vec<AString<'a>>),
    /// `TEXT`.
    Text,
    /// `MIME` (only after a part number).
    Mime,
}

/// An address in an envelope (RFC 9051 `address`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address<'a> {
    /// Display name.
    pub name: NString<'a>,
    /// Source route (obsolete).
    pub adl: NString<'a>,
    /// Local part, or group name / NIL for group syntax.
    pub mailbox: NString<'a>,
    /// Domain, or NIL for group syntax.
    pub host: NString<'a>,
}

/// The ENVELOPE of a message. Empty address lists are sent as NIL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope<'a> {
    /// Date header.
    pub date: NString<'a>,
    /// Subject header.
    pub subject: NString<'a>,
    /// From.
    pub from: Vec<Address<'a>>,
    /// Sender.
    pub sender: Vec<Address<'a>>,
    /// Reply-To.
    pub reply_to: Vec<Address<'a>>,
    /// To.
    pub to: Vec<Address<'a>>,
    /// Cc.
    pub cc: Vec<Address<'a>>,
    /// Bcc.
    pub bcc: Vec<Address<'a>>,
    /// In-Reply-To.
    pub in_reply_to: NString<'a>,
    /// Message-ID.
    pub message_id: NString<'a>,
}

/// A `Content-Disposition` in a body structure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disposition<'a> {
    /// `inline`, `attachment`...
    pub kind: IString<'a>,
    /// Its parameters.
    pub params: Vec<(IString<'a>, IString<'a>)>,
}

/// `body-fld-lang`: NIL, one string, or a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Language<'a> {
    /// A single nstring.
    Single(NString<'a>),
    /// A parenthesised list of one or more strings.
    List(Vec<IString<'a>>),
}

/// Extension data of a body part; each field is present only if all earlier ones are (the
/// encoder stops at the first absent one).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BodyExtension<'a> {
    /// `body-fld-dsp`: `Some(None)` is NIL.
    pub disposition: Option<Option<Disposition<'a>>>,
    /// `body-fld-lang`.
    pub language: Option<Language<'a>>,
    /// `body-fld-loc`.
    pub location: Option<NString<'a>>,
    /// Further `body-extension`s.
    pub extra: Vec<Value<'a>>,
}

/// What follows the basic fields of a single part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SinglePartKind<'a> {
    /// Any type other than text and message/rfc822.
    Basic,
    /// `text/*`: the line count.
    Text {
        /// Lines of text.
        lines: u64,
    },
    /// `message/rfc822` (and `message/global`): the envelope, the body and the line count.
    Message {
        /// The encapsulated message's envelope.
        envelope: Box<Envelope<'a>>,
        /// Its body structure.
        body: Box<BodyStructure<'a>>,
        /// Lines.
        lines: u64,
    },
}

/// A body structure (RFC 9051 `body`), in the `BODY` form (no extension data) or the
/// `BODYSTRUCTURE` form (extension data present).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyStructure<'a> {
    /// A non-multipart part.
    Single {
        /// Media type (`"TEXT"`).
        media_type: IString<'a>,
        /// Subtype (`"PLAIN"`).
        subtype: IString<'a>,
        /// Parameters; empty is sent as NIL.
        params: Vec<(IString<'a>, IString<'a>)>,
        /// Content-ID.
        id: NString<'a>,
        /// Content-Description.
        description: NString<'a>,
        /// Content-Transfer-Encoding.
        encoding: IString<'a>,
        /// Size in octets.
        size: u64,
        /// Type-specific fields.
        kind: SinglePartKind<'a>,
        /// Extension data: `None` in the `BODY` form; `Some((md5, ext))` with `body-fld-md5`.
        extension: Option<(NString<'a>, BodyExtension<'a>)>,
    },
    /// A multipart.
    Multi {
        /// The parts.
        parts: Vec<Self>,
        /// Subtype (`"MIXED"`).
        subtype: IString<'a>,
        /// Extension data: `None` in the `BODY` form; `Some((params, ext))` otherwise, where
        /// `params` is `body-fld-param` (empty is NIL).
        extension: Option<(Vec<(IString<'a>, IString<'a>)>, BodyExtension<'a>)>,
    },
}

/// One FETCH data item (RFC 9051 `msg-att`, RFC 3516, RFC 7162).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FetchItem<'a> {
    /// `FLAGS (...)`.
    Flags(Vec<Flag<'a>>),
    /// `INTERNALDATE "..."`.
    InternalDate(Quoted<'a>),
    /// `RFC822.SIZE n`.
    Rfc822Size(u64),
    /// `UID n`.
    Uid(u32),
    /// `MODSEQ (n)` (RFC 7162).
    ModSeq(u64),
    /// `ENVELOPE (...)`.
    Envelope(Box<Envelope<'a>>),
    /// `BODY (...)`: the non-extensible form.
    Body(Box<BodyStructure<'a>>),
    /// `BODYSTRUCTURE (...)`.
    BodyStructure(Box<BodyStructure<'a>>),
    /// `BODY[section]<origin> nstring`.
    BodySection {
        /// The section.
        section: Section<'a>,
        /// The `<origin>` of a partial fetch.
        origin: Option<u32>,
        /// The data.
        data: NString<'a>,
    },
    /// `BINARY[part] nstring/literal8` (RFC 3516).
    Binary {
        /// The part path.
        part: Vec<NonZeroU32>,
        /// The data.
        data: NString<'a>,
    },
    /// `BINARY.SIZE[part] n` (RFC 3516).
    BinarySize {
        /// The part path.
        part: Vec<NonZeroU32>,
        /// Decoded size.
        size: u64,
    },
    /// `RFC822 nstring` (IMAP4rev1).
    Rfc822(NString<'a>),
    /// `RFC822.HEADER nstring` (IMAP4rev1).
    Rfc822Header(NString<'a>),
    /// `RFC822.TEXT nstring` (IMAP4rev1).
    Rfc822Text(NString<'a>),
    /// An item this crate does not model (`X-GM-LABELS`, `EMAILID`, `PREVIEW`...), or a known
    /// item whose value did not match its grammar, kept so the other items survive.
    Other {
        /// The item name (may contain a bracketed section).
        name: crate::types::Token<'a>,
        /// Its value.
        value: Value<'a>,
    },
}

impl<'a> FetchItem<'a> {
    /// An unknown item from its name and value.
    pub fn other(name: &'a str, value: Value<'a>) -> Result<Self, crate::ValueError> {
        Ok(Self::Other {
            name: crate::types::Token::new(name)?,
            value,
        })
    }
}

//! Commands and their MAIL and RCPT parameters, as values. Parsing and writing them is in
//! [`crate::codec::command`].

use super::{AuthMechanism, Domain, ForwardPath, Keyword, ParamValue, ReversePath, Text, XText};

/// One command.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Command {
    /// `HELO domain`.
    Helo(Domain),
    /// `EHLO domain-or-literal`.
    Ehlo(Domain),
    /// `LHLO domain` (LMTP, RFC 2033).
    Lhlo(Domain),
    /// `MAIL FROM:<path> params`.
    Mail {
        /// The reverse path.
        from: ReversePath,
        /// The parameters.
        params: MailParams,
    },
    /// `RCPT TO:<path> params`.
    Rcpt {
        /// The forward path.
        to: ForwardPath,
        /// The parameters.
        params: RcptParams,
    },
    /// `DATA`.
    Data,
    /// `BDAT size [LAST]` (RFC 3030); `size` octets of message follow the line.
    Bdat {
        /// Octets in the chunk.
        size: u64,
        /// Whether this is the last chunk.
        last: bool,
    },
    /// `RSET`.
    Rset,
    /// `VRFY string`.
    Vrfy(Text),
    /// `EXPN string`.
    Expn(Text),
    /// `HELP [string]`.
    Help(Option<Text>),
    /// `NOOP [string]`.
    Noop(Option<Text>),
    /// `QUIT`.
    Quit,
    /// `STARTTLS` (RFC 3207).
    StartTls,
    /// `AUTH mechanism [initial-response]` (RFC 4954).
    Auth {
        /// The mechanism.
        mechanism: AuthMechanism,
        /// The decoded initial response (`=` on the wire is the empty one).
        initial_response: Option<Vec<u8>>,
    },
}

/// `BODY=` (RFC 1652, RFC 3030).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Body {
    /// `7BIT`.
    SevenBit,
    /// `8BITMIME`.
    EightBitMime,
    /// `BINARYMIME` (needs BDAT).
    BinaryMime,
}

/// `RET=` (RFC 3461).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ret {
    /// `FULL`: return the whole message in a DSN.
    Full,
    /// `HDRS`: only the headers.
    Headers,
}

/// `AUTH=` on MAIL (RFC 4954 5): the identity that submitted the message, or `<>` for unknown.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AuthParam {
    /// `AUTH=<>`.
    Unknown,
    /// `AUTH=xtext`.
    Identity(XText),
}

/// `BY=` of DELIVERBY (RFC 2852).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DeliverBy {
    /// Seconds (may be negative in `N` mode), at most 9 digits.
    pub time: i32,
    /// `R` (return if late) or `N` (notify if late).
    pub return_if_late: bool,
    /// `T`: trace the delivery.
    pub trace: bool,
}

/// A parameter this crate does not know, kept as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherParam {
    /// The keyword.
    pub keyword: Keyword,
    /// The value after `=`, if any.
    pub value: Option<ParamValue>,
}

/// The parameters of MAIL. Unknown ones are kept in [`MailParams::other`] in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct MailParams {
    /// `SIZE=n` (RFC 1870).
    pub size: Option<u64>,
    /// `BODY=` (RFC 1652, RFC 3030).
    pub body: Option<Body>,
    /// `SMTPUTF8` (RFC 6531).
    pub smtputf8: bool,
    /// `RET=` (RFC 3461).
    pub ret: Option<Ret>,
    /// `ENVID=` (RFC 3461).
    pub envid: Option<XText>,
    /// `AUTH=` (RFC 4954).
    pub auth: Option<AuthParam>,
    /// `REQUIRETLS` (RFC 8689).
    pub requiretls: bool,
    /// `MT-PRIORITY=` -9..9 (RFC 6710).
    pub mt_priority: Option<i8>,
    /// `HOLDFOR=` seconds (RFC 4865).
    pub hold_for: Option<u64>,
    /// `HOLDUNTIL=` date-time (RFC 4865), as sent.
    pub hold_until: Option<ParamValue>,
    /// `BY=` (RFC 2852).
    pub by: Option<DeliverBy>,
    /// Everything else, in order.
    pub other: Vec<OtherParam>,
}

/// `NOTIFY=` (RFC 3461).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Notify {
    /// `SUCCESS`.
    pub success: bool,
    /// `FAILURE`.
    pub failure: bool,
    /// `DELAY`.
    pub delay: bool,
}

impl Notify {
    /// `NEVER`: none of the three.
    pub fn is_never(self) -> bool {
        !(self.success || self.failure || self.delay)
    }
}

/// `ORCPT=addr-type;xtext` (RFC 3461).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Orcpt {
    /// The address type (`rfc822`, `utf-8`).
    pub addr_type: Keyword,
    /// The original address.
    pub address: XText,
}

/// `RRVS=date-time[;R|C]` (RFC 7293).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Rrvs {
    /// The time the mailbox was known to be owned, as sent.
    pub time: ParamValue,
    /// `Some(true)` for `R` (reject), `Some(false)` for `C` (continue), `None` if absent.
    pub reject: Option<bool>,
}

/// The parameters of RCPT. Unknown ones are kept in [`RcptParams::other`] in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct RcptParams {
    /// `NOTIFY=` (RFC 3461).
    pub notify: Option<Notify>,
    /// `ORCPT=` (RFC 3461).
    pub orcpt: Option<Orcpt>,
    /// `RRVS=` (RFC 7293).
    pub rrvs: Option<Rrvs>,
    /// Everything else, in order.
    pub other: Vec<OtherParam>,
}

impl MailParams {
    /// Whether this holds any parameter.
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }
}

impl RcptParams {
    /// Whether this holds any parameter.
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }
}

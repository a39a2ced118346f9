//! Commands and their MAIL and RCPT parameters, as values. Parsing and writing them is in
//! [`crate::codec::command`].

use super::{AuthMechanism, Domain, ForwardPath, Keyword, ParamValue, ReversePath, Text, XText};

/// One command.
///
/// A parsed command borrows the line it was parsed from (domains, addresses, parameter values
/// and texts are references into it, so parsing allocates nothing in the common case);
/// [`Command::into_owned`] makes it `'static` to keep it past the input buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Command<'a> {
    /// `HELO domain`.
    Helo(Domain<'a>),
    /// `EHLO domain-or-literal`.
    Ehlo(Domain<'a>),
    /// `LHLO domain` (LMTP, RFC 2033).
    Lhlo(Domain<'a>),
    /// `MAIL FROM:<path> params`.
    Mail {
        /// The reverse path.
        from: ReversePath<'a>,
        /// The parameters.
        params: MailParams<'a>,
    },
    /// `RCPT TO:<path> params`.
    Rcpt {
        /// The forward path.
        to: ForwardPath<'a>,
        /// The parameters.
        params: RcptParams<'a>,
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
    Vrfy(Text<'a>),
    /// `EXPN string`.
    Expn(Text<'a>),
    /// `HELP [string]`.
    Help(Option<Text<'a>>),
    /// `NOOP [string]`.
    Noop(Option<Text<'a>>),
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
pub enum AuthParam<'a> {
    /// `AUTH=<>`.
    Unknown,
    /// `AUTH=xtext`.
    Identity(XText<'a>),
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
pub struct OtherParam<'a> {
    /// The keyword.
    pub keyword: Keyword<'a>,
    /// The value after `=`, if any.
    pub value: Option<ParamValue<'a>>,
}

/// The parameters of MAIL. Unknown ones are kept in [`MailParams::other`] in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct MailParams<'a> {
    /// `SIZE=n` (RFC 1870).
    pub size: Option<u64>,
    /// `BODY=` (RFC 1652, RFC 3030).
    pub body: Option<Body>,
    /// `SMTPUTF8` (RFC 6531).
    pub smtputf8: bool,
    /// `RET=` (RFC 3461).
    pub ret: Option<Ret>,
    /// `ENVID=` (RFC 3461).
    pub envid: Option<XText<'a>>,
    /// `AUTH=` (RFC 4954).
    pub auth: Option<AuthParam<'a>>,
    /// `REQUIRETLS` (RFC 8689).
    pub requiretls: bool,
    /// `MT-PRIORITY=` -9..9 (RFC 6710).
    pub mt_priority: Option<i8>,
    /// `HOLDFOR=` seconds (RFC 4865).
    pub hold_for: Option<u64>,
    /// `HOLDUNTIL=` date-time (RFC 4865), as sent.
    pub hold_until: Option<ParamValue<'a>>,
    /// `BY=` (RFC 2852).
    pub by: Option<DeliverBy>,
    /// Everything else, in order.
    pub other: Vec<OtherParam<'a>>,
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
pub struct Orcpt<'a> {
    /// The address type (`rfc822`, `utf-8`).
    pub addr_type: Keyword<'a>,
    /// The original address.
    pub address: XText<'a>,
}

/// `RRVS=date-time[;R|C]` (RFC 7293).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Rrvs<'a> {
    /// The time the mailbox was known to be owned, as sent.
    pub time: ParamValue<'a>,
    /// `Some(true)` for `R` (reject), `Some(false)` for `C` (continue), `None` if absent.
    pub reject: Option<bool>,
}

/// The parameters of RCPT. Unknown ones are kept in [`RcptParams::other`] in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct RcptParams<'a> {
    /// `NOTIFY=` (RFC 3461).
    pub notify: Option<Notify>,
    /// `ORCPT=` (RFC 3461).
    pub orcpt: Option<Orcpt<'a>>,
    /// `RRVS=` (RFC 7293).
    pub rrvs: Option<Rrvs<'a>>,
    /// Everything else, in order.
    pub other: Vec<OtherParam<'a>>,
}

impl Command<'_> {
    /// The same command, owning its text, to keep past the input it was parsed from.
    pub fn into_owned(self) -> Command<'static> {
        match self {
            Self::Helo(d) => Command::Helo(d.into_owned()),
            Self::Ehlo(d) => Command::Ehlo(d.into_owned()),
            Self::Lhlo(d) => Command::Lhlo(d.into_owned()),
            Self::Mail { from, params } => Command::Mail {
                from: from.into_owned(),
                params: params.into_owned(),
            },
            Self::Rcpt { to, params } => Command::Rcpt {
                to: to.into_owned(),
                params: params.into_owned(),
            },
            Self::Data => Command::Data,
            Self::Bdat { size, last } => Command::Bdat { size, last },
            Self::Rset => Command::Rset,
            Self::Vrfy(t) => Command::Vrfy(t.into_owned()),
            Self::Expn(t) => Command::Expn(t.into_owned()),
            Self::Help(t) => Command::Help(t.map(Text::into_owned)),
            Self::Noop(t) => Command::Noop(t.map(Text::into_owned)),
            Self::Quit => Command::Quit,
            Self::StartTls => Command::StartTls,
            Self::Auth {
                mechanism,
                initial_response,
            } => Command::Auth {
                mechanism,
                initial_response,
            },
        }
    }
}

impl AuthParam<'_> {
    /// The same parameter, owning its text.
    pub fn into_owned(self) -> AuthParam<'static> {
        match self {
            Self::Unknown => AuthParam::Unknown,
            Self::Identity(x) => AuthParam::Identity(x.into_owned()),
        }
    }
}

impl OtherParam<'_> {
    /// The same parameter, owning its text.
    pub fn into_owned(self) -> OtherParam<'static> {
        OtherParam {
            keyword: self.keyword.into_owned(),
            value: self.value.map(ParamValue::into_owned),
        }
    }
}

fn other_into_owned(other: Vec<OtherParam<'_>>) -> Vec<OtherParam<'static>> {
    other.into_iter().map(OtherParam::into_owned).collect()
}

impl MailParams<'_> {
    /// Whether this holds any parameter.
    pub fn is_empty(&self) -> bool {
        self == &MailParams::default()
    }

    /// The same parameters, owning their text.
    pub fn into_owned(self) -> MailParams<'static> {
        MailParams {
            size: self.size,
            body: self.body,
            smtputf8: self.smtputf8,
            ret: self.ret,
            envid: self.envid.map(XText::into_owned),
            auth: self.auth.map(AuthParam::into_owned),
            requiretls: self.requiretls,
            mt_priority: self.mt_priority,
            hold_for: self.hold_for,
            hold_until: self.hold_until.map(ParamValue::into_owned),
            by: self.by,
            other: other_into_owned(self.other),
        }
    }
}

impl Orcpt<'_> {
    /// The same parameter, owning its text.
    pub fn into_owned(self) -> Orcpt<'static> {
        Orcpt {
            addr_type: self.addr_type.into_owned(),
            address: self.address.into_owned(),
        }
    }
}

impl Rrvs<'_> {
    /// The same parameter, owning its text.
    pub fn into_owned(self) -> Rrvs<'static> {
        Rrvs {
            time: self.time.into_owned(),
            reject: self.reject,
        }
    }
}

impl RcptParams<'_> {
    /// Whether this holds any parameter.
    pub fn is_empty(&self) -> bool {
        self == &RcptParams::default()
    }

    /// The same parameters, owning their text.
    pub fn into_owned(self) -> RcptParams<'static> {
        RcptParams {
            notify: self.notify,
            orcpt: self.orcpt.map(Orcpt::into_owned),
            rrvs: self.rrvs.map(Rrvs::into_owned),
            other: other_into_owned(self.other),
        }
    }
}

//! The nouns of POP3: commands, replies, response codes, capabilities and listing lines.
//!
//! Values that end up on the wire are built through validating constructors ([`Param::new`],
//! [`Text::new`], [`UniqueId::new`]...), so the encoder cannot emit a line break inside a
//! password or a space inside a user name.

use std::borrow::Cow;
use std::fmt;

use mail_wire::sasl::Mechanism;
use mail_wire::Secret;

use crate::error::{invalid, Error};

/// A command parameter: one or more visible characters, no space or control (RFC 2449
/// `param = 1*VCHAR`; bytes above 0x7F are allowed for UTF-8 user names, RFC 6856).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Param<'a>(Cow<'a, str>);

impl<'a> Param<'a> {
    /// Checks and wraps a parameter.
    pub fn new(value: impl Into<Cow<'a, str>>) -> Result<Self, Error> {
        let value = value.into();
        if value.is_empty() {
            return Err(invalid("parameter", "empty"));
        }
        if value.bytes().any(|b| b <= b' ' || b == 0x7f) {
            return Err(invalid(
                "parameter",
                "contains a space or control character",
            ));
        }
        Ok(Self(value))
    }

    /// The parameter.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A copy that owns its text.
    pub fn into_owned(self) -> Param<'static> {
        Param(Cow::Owned(self.0.into_owned()))
    }
}

impl fmt::Display for Param<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Free text on a line: anything but CR, LF and NUL. May be empty.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Text<'a>(Cow<'a, str>);

impl<'a> Text<'a> {
    /// Checks and wraps text.
    pub fn new(value: impl Into<Cow<'a, str>>) -> Result<Self, Error> {
        let value = value.into();
        if value.bytes().any(|b| matches!(b, b'\r' | b'\n' | 0)) {
            return Err(invalid("text", "contains CR, LF or NUL"));
        }
        Ok(Self(value))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A copy that owns its text.
    pub fn into_owned(self) -> Text<'static> {
        Text(Cow::Owned(self.0.into_owned()))
    }

    pub(crate) fn from_checked(value: Cow<'a, str>) -> Self {
        Self(value)
    }
}

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A password (`PASS`): free text that may hold spaces (RFC 1939 section 7), never printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Password<'a>(Secret<Cow<'a, str>>);

impl<'a> Password<'a> {
    /// Checks and wraps a password: not empty, no CR, LF or NUL.
    pub fn new(value: impl Into<Cow<'a, str>>) -> Result<Self, Error> {
        let value = value.into();
        if value.is_empty() || value.bytes().any(|b| matches!(b, b'\r' | b'\n' | 0)) {
            return Err(invalid("password", "empty, or contains CR, LF or NUL"));
        }
        Ok(Self(Secret::new(value)))
    }

    /// The password. Call sites of this method are the places to audit.
    pub fn expose(&self) -> &str {
        self.0.expose()
    }

    /// A copy that owns its text.
    pub fn into_owned(self) -> Password<'static> {
        Password(Secret::new(Cow::Owned(self.0.into_inner().into_owned())))
    }
}

/// A unique-id (UIDL): 1 to 70 characters in 0x21..=0x7E (RFC 1939 section 7).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UniqueId<'a>(Cow<'a, str>);

impl<'a> UniqueId<'a> {
    /// Checks and wraps a unique-id.
    pub fn new(value: impl Into<Cow<'a, str>>) -> Result<Self, Error> {
        let value = value.into();
        if value.is_empty() || value.len() > 70 {
            return Err(invalid("unique-id", "must be 1 to 70 characters"));
        }
        if !value.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
            return Err(invalid(
                "unique-id",
                "must be printable ASCII without space",
            ));
        }
        Ok(Self(value))
    }

    /// The unique-id.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A copy that owns its text.
    pub fn into_owned(self) -> UniqueId<'static> {
        UniqueId(Cow::Owned(self.0.into_owned()))
    }
}

impl fmt::Display for UniqueId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A POP3 command (RFC 1939, 2449, 5034, 2595, 6856).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Command<'a> {
    /// `USER name`.
    User(Param<'a>),
    /// `PASS string` (the rest of the line, spaces included).
    Pass(Password<'a>),
    /// `APOP name digest`: the digest is 32 lower-case hex digits of
    /// MD5(timestamp + secret), see [`apop_digest`](crate::codec::apop_digest).
    Apop {
        /// The mailbox name.
        name: Param<'a>,
        /// The MD5 digest in hex.
        digest: Param<'a>,
    },
    /// `AUTH mechanism [initial-response]` (RFC 5034).
    Auth {
        /// The SASL mechanism.
        mechanism: Mechanism,
        /// The decoded initial response, if one was sent (`=` is the empty one).
        initial_response: Option<Secret<Vec<u8>>>,
    },
    /// `STAT`.
    Stat,
    /// `LIST [msg]`.
    List(Option<u32>),
    /// `RETR msg`.
    Retr(u32),
    /// `DELE msg`.
    Dele(u32),
    /// `NOOP`.
    Noop,
    /// `RSET`.
    Rset,
    /// `QUIT`.
    Quit,
    /// `TOP msg n`.
    Top {
        /// The message number.
        message: u32,
        /// How many lines of the body to send after the header.
        lines: u32,
    },
    /// `UIDL [msg]`.
    Uidl(Option<u32>),
    /// `CAPA` (RFC 2449).
    Capa,
    /// `STLS` (RFC 2595).
    Stls,
    /// `UTF8` (RFC 6856).
    Utf8,
    /// `LANG [range]` (RFC 6856): without a range, a request for the language listing.
    Lang(Option<Param<'a>>),
}

/// What the reply to a command looks like on the wire. POP3 replies are not self-delimiting:
/// whether a `+OK` is followed by a dot-terminated body depends on the command sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReplyShape {
    /// One status line.
    SingleLine,
    /// A status line, and after `+OK` a dot-stuffed body up to `CRLF.CRLF`.
    MultiLine,
    /// `AUTH`: either a status line, or a `+ ` challenge line.
    Sasl,
}

impl Command<'_> {
    /// The command keyword, upper case.
    pub fn keyword(&self) -> &'static str {
        match self {
            Self::User(_) => "USER",
            Self::Pass(_) => "PASS",
            Self::Apop { .. } => "APOP",
            Self::Auth { .. } => "AUTH",
            Self::Stat => "STAT",
            Self::List(_) => "LIST",
            Self::Retr(_) => "RETR",
            Self::Dele(_) => "DELE",
            Self::Noop => "NOOP",
            Self::Rset => "RSET",
            Self::Quit => "QUIT",
            Self::Top { .. } => "TOP",
            Self::Uidl(_) => "UIDL",
            Self::Capa => "CAPA",
            Self::Stls => "STLS",
            Self::Utf8 => "UTF8",
            Self::Lang(_) => "LANG",
        }
    }

    /// The shape of the reply this command gets, decided by the command alone.
    pub fn reply_shape(&self) -> ReplyShape {
        match self {
            Self::List(None)
            | Self::Uidl(None)
            | Self::Retr(_)
            | Self::Top { .. }
            | Self::Capa
            | Self::Lang(None) => ReplyShape::MultiLine,
            Self::Auth { .. } => ReplyShape::Sasl,
            _ => ReplyShape::SingleLine,
        }
    }

    /// A copy that owns its strings.
    pub fn into_owned(self) -> Command<'static> {
        match self {
            Self::User(p) => Command::User(p.into_owned()),
            Self::Pass(p) => Command::Pass(p.into_owned()),
            Self::Apop { name, digest } => Command::Apop {
                name: name.into_owned(),
                digest: digest.into_owned(),
            },
            Self::Auth {
                mechanism,
                initial_response,
            } => Command::Auth {
                mechanism,
                initial_response,
            },
            Self::Stat => Command::Stat,
            Self::List(n) => Command::List(n),
            Self::Retr(n) => Command::Retr(n),
            Self::Dele(n) => Command::Dele(n),
            Self::Noop => Command::Noop,
            Self::Rset => Command::Rset,
            Self::Quit => Command::Quit,
            Self::Top { message, lines } => Command::Top { message, lines },
            Self::Uidl(n) => Command::Uidl(n),
            Self::Capa => Command::Capa,
            Self::Stls => Command::Stls,
            Self::Utf8 => Command::Utf8,
            Self::Lang(r) => Command::Lang(r.map(Param::into_owned)),
        }
    }
}

/// An extended response code (RFC 2449 section 8, RFC 3206, RFC 6856), the `[...]` at the
/// start of the text. Matching is case-insensitive; a code with hierarchical detail this crate
/// does not know is kept verbatim in [`ResponseCode::Other`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ResponseCode<'a> {
    /// `IN-USE`: authenticated, but the maildrop is locked by another session.
    InUse,
    /// `LOGIN-DELAY`: logged in too recently.
    LoginDelay,
    /// `SYS/TEMP`: a temporary system problem (RFC 3206).
    SysTemp,
    /// `SYS/PERM`: a permanent system problem (RFC 3206).
    SysPerm,
    /// `AUTH`: the credentials were wrong (RFC 3206).
    Auth,
    /// `UTF8`: the message needs UTF-8 mode (RFC 6856).
    Utf8,
    /// `REFERRAL/...`: try another server; the part after the slash, verbatim.
    Referral(Cow<'a, str>),
    /// Any other code, verbatim without the brackets.
    Other(Cow<'a, str>),
}

impl ResponseCode<'_> {
    /// The code as it goes between the brackets.
    pub fn as_wire(&self) -> Cow<'_, str> {
        match self {
            Self::InUse => "IN-USE".into(),
            Self::LoginDelay => "LOGIN-DELAY".into(),
            Self::SysTemp => "SYS/TEMP".into(),
            Self::SysPerm => "SYS/PERM".into(),
            Self::Auth => "AUTH".into(),
            Self::Utf8 => "UTF8".into(),
            Self::Referral(r) => format!("REFERRAL/{r}").into(),
            Self::Other(o) => Cow::Borrowed(o),
        }
    }

    /// A copy that owns its strings.
    pub fn into_owned(self) -> ResponseCode<'static> {
        match self {
            Self::InUse => ResponseCode::InUse,
            Self::LoginDelay => ResponseCode::LoginDelay,
            Self::SysTemp => ResponseCode::SysTemp,
            Self::SysPerm => ResponseCode::SysPerm,
            Self::Auth => ResponseCode::Auth,
            Self::Utf8 => ResponseCode::Utf8,
            Self::Referral(r) => ResponseCode::Referral(Cow::Owned(r.into_owned())),
            Self::Other(o) => ResponseCode::Other(Cow::Owned(o.into_owned())),
        }
    }
}

/// A status line: `+OK` or `-ERR`, an optional response code, and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply<'a> {
    /// `true` for `+OK`, `false` for `-ERR`.
    pub ok: bool,
    /// The extended response code, if the text starts with one.
    pub code: Option<ResponseCode<'a>>,
    /// The text after the status (and code), without the separating space.
    pub text: Text<'a>,
}

impl<'a> Reply<'a> {
    /// `+OK text`.
    pub fn ok(text: impl Into<Cow<'a, str>>) -> Result<Self, Error> {
        Ok(Self {
            ok: true,
            code: None,
            text: Text::new(text)?,
        })
    }

    /// `-ERR text`.
    pub fn err(text: impl Into<Cow<'a, str>>) -> Result<Self, Error> {
        Ok(Self {
            ok: false,
            code: None,
            text: Text::new(text)?,
        })
    }

    /// This reply with a response code.
    pub fn with_code(self, code: ResponseCode<'a>) -> Self {
        Self {
            code: Some(code),
            ..self
        }
    }

    /// The APOP timestamp of a greeting (RFC 1939 section 7): the first `<...>` holding an
    /// `@`, angle brackets included, as the digest needs it.
    pub fn apop_timestamp(&self) -> Option<&str> {
        let text = self.text.as_str();
        let start = text.find('<')?;
        let rest = text.get(start..)?;
        let end = rest.find('>')?;
        let stamp = rest.get(..=end)?;
        (stamp.contains('@') && stamp.bytes().all(|b| (0x21..=0x7e).contains(&b))).then_some(stamp)
    }

    /// A copy that owns its strings.
    pub fn into_owned(self) -> Reply<'static> {
        Reply {
            ok: self.ok,
            code: self.code.map(ResponseCode::into_owned),
            text: self.text.into_owned(),
        }
    }
}

/// One line a server sends first on a reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseLine<'a> {
    /// `+OK ...` or `-ERR ...`.
    Status(Reply<'a>),
    /// `+ base64`: a SASL challenge (RFC 5034), the base64 text as sent (possibly empty).
    Continuation(Cow<'a, str>),
}

/// `EXPIRE` policy (RFC 2449 section 6.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Expire {
    /// Messages stay at least this many days (0: the client may not leave mail).
    Days(u32),
    /// The server never deletes messages.
    Never,
}

/// One line of a `CAPA` reply (RFC 2449 section 6, RFC 2595, RFC 6856).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Capability<'a> {
    /// `TOP`.
    Top,
    /// `USER`: USER and PASS are available.
    User,
    /// `SASL mech...`: AUTH with these mechanisms.
    Sasl(Vec<Mechanism>),
    /// `RESP-CODES`.
    RespCodes,
    /// `LOGIN-DELAY seconds [USER]`.
    LoginDelay {
        /// The minimum seconds between logins.
        seconds: u32,
        /// `USER`: the value may differ after login.
        per_user: bool,
    },
    /// `PIPELINING`.
    Pipelining,
    /// `EXPIRE policy [USER]`.
    Expire {
        /// The retention policy.
        policy: Expire,
        /// `USER`: the value may differ after login.
        per_user: bool,
    },
    /// `UIDL`.
    Uidl,
    /// `IMPLEMENTATION text`.
    Implementation(Text<'a>),
    /// `STLS`.
    Stls,
    /// `UTF8 [USER]`: the UTF8 command; with `USER`, UTF-8 user names and passwords.
    Utf8 {
        /// Whether `USER` was given.
        user: bool,
    },
    /// `LANG`.
    Lang,
    /// Any other capability, tag upper-cased and parameters verbatim.
    Other {
        /// The tag.
        tag: Param<'a>,
        /// The parameters.
        params: Vec<Param<'a>>,
    },
}

impl Capability<'_> {
    /// A copy that owns its strings.
    pub fn into_owned(self) -> Capability<'static> {
        match self {
            Self::Top => Capability::Top,
            Self::User => Capability::User,
            Self::Sasl(m) => Capability::Sasl(m),
            Self::RespCodes => Capability::RespCodes,
            Self::LoginDelay { seconds, per_user } => Capability::LoginDelay { seconds, per_user },
            Self::Pipelining => Capability::Pipelining,
            Self::Expire { policy, per_user } => Capability::Expire { policy, per_user },
            Self::Uidl => Capability::Uidl,
            Self::Implementation(t) => Capability::Implementation(t.into_owned()),
            Self::Stls => Capability::Stls,
            Self::Utf8 { user } => Capability::Utf8 { user },
            Self::Lang => Capability::Lang,
            Self::Other { tag, params } => Capability::Other {
                tag: tag.into_owned(),
                params: params.into_iter().map(Param::into_owned).collect(),
            },
        }
    }
}

/// A `LIST` line: message number and size in octets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ScanListing {
    /// The message number.
    pub message: u32,
    /// The size in octets (as the server stores it, before dot-stuffing).
    pub size: u64,
}

/// A `UIDL` line: message number and unique-id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UniqueIdListing<'a> {
    /// The message number.
    pub message: u32,
    /// The unique-id.
    pub uid: UniqueId<'a>,
}

/// A `LANG` listing line (RFC 6856 section 3.2): a language tag and an optional description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageListing<'a> {
    /// The language tag.
    pub tag: Param<'a>,
    /// The description in the language itself.
    pub description: Option<Text<'a>>,
}

/// The `STAT` reply: count and total size of the messages not marked as deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MaildropStat {
    /// The number of messages.
    pub count: u32,
    /// Their total size in octets.
    pub size: u64,
}

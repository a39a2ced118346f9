//! The crate's error type: whose fault, and what.

use mail_wire::dot::DotError;
use mail_wire::line::LineError;
use mail_wire::sasl::SaslError;

use crate::codec::reply::Reply;
use crate::codec::ParseError;
use crate::types::InvalidValue;

/// Everything that can go wrong in this crate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The peer broke the protocol.
    #[error("peer error: {0}")]
    Remote(#[from] RemoteError),
    /// The caller misused the API.
    #[error("caller error: {0}")]
    Local(#[from] LocalError),
}

/// The peer broke the protocol (or refused what we asked).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RemoteError {
    /// A command or reply did not parse.
    #[error("syntax: {0}")]
    Parse(#[from] ParseError),
    /// A line broke the framing rules (too long, bare CR or LF).
    #[error("line: {0}")]
    Line(#[from] LineError),
    /// A message body broke the line-ending policy.
    #[error("message body: {0}")]
    Dot(#[from] DotError),
    /// A SASL exchange failed on the peer's side.
    #[error("authentication: {0}")]
    Sasl(SaslError),
    /// The server answered with a code we did not expect.
    #[error("unexpected reply to {command}: {reply}")]
    UnexpectedReply {
        /// The command it answered.
        command: &'static str,
        /// The reply.
        reply: Reply<'static>,
    },
    /// The server sent bytes after its `220` to STARTTLS, before the TLS handshake: they
    /// could be an injection (CVE-2011-0411 style) and are refused.
    #[error("{count} bytes received after the STARTTLS reply, before TLS")]
    BytesAfterStartTls {
        /// How many.
        count: usize,
    },
    /// The peer closed the connection in the middle of something.
    #[error("connection closed during {0}")]
    Closed(&'static str),
    /// The peer made too many errors.
    #[error("too many errors ({0})")]
    TooManyErrors(usize),
    /// The peer sent more pipelined input than the limit while a decision was pending.
    #[error("more than {0} bytes of input buffered")]
    BufferFull(usize),
    /// A reply from the server that is not positive ended the session.
    #[error("server refused: {0}")]
    Refused(Reply<'static>),
}

/// The caller asked for something the session cannot do now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LocalError {
    /// A decision method was called with no matching event pending.
    #[error("no {0} decision is pending")]
    NoDecisionPending(&'static str),
    /// LMTP replies must number the accepted recipients.
    #[error("expected {expected} LMTP replies, got {got}")]
    ReplyCount {
        /// Accepted recipients.
        expected: usize,
        /// Replies given.
        got: usize,
    },
    /// A refusal must carry a 4xx or 5xx code.
    #[error("a refusal needs a 4xx or 5xx code, not {0}")]
    NotAFailure(u16),
    /// The session is not in a state that allows this.
    #[error("not ready for {0}")]
    NotReady(&'static str),
    /// The message has 8-bit bytes and the server offers neither 8BITMIME nor BINARYMIME.
    #[error("message has 8-bit data at byte {0} and the server does not accept 8BITMIME")]
    EightBitUnsupported(usize),
    /// An address needs SMTPUTF8 and the server does not offer it.
    #[error("address {0} needs SMTPUTF8, which the server does not offer")]
    SmtpUtf8Unsupported(String),
    /// The message is larger than the server's SIZE.
    #[error("message of {size} bytes exceeds the server's limit of {limit}")]
    TooLarge {
        /// Message size.
        size: u64,
        /// The server's SIZE.
        limit: u64,
    },
    /// No recipient was given.
    #[error("no recipients")]
    NoRecipients,
    /// No offered mechanism fits the credentials (or only plaintext ones without TLS).
    #[error("no usable SASL mechanism among those offered")]
    NoMechanism,
    /// TLS was required but the server does not offer STARTTLS.
    #[error("server does not offer STARTTLS")]
    NoStartTls,
    /// A SASL step failed on our side.
    #[error("authentication: {0}")]
    Sasl(SaslError),
    /// A value was invalid.
    #[error("{0}")]
    Invalid(#[from] InvalidValue),
}

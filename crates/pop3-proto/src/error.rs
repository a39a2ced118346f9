//! The one error type of the crate.

use mail_wire::dot::DotError;
use mail_wire::line::LineError;
use mail_wire::sasl::SaslError;

/// Everything that can go wrong, grouped by whose fault it is.
///
/// [`Error::Remote`] means the peer broke the protocol; [`Error::Local`] means the caller used
/// the API in a way the protocol state forbids. A remote error that ends a session arrives as
/// an event of that session, never as a panic.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The peer sent something the protocol forbids.
    #[error("peer error: {0}")]
    Remote(#[from] RemoteError),
    /// The caller misused the API.
    #[error("caller error: {0}")]
    Local(#[from] LocalError),
}

/// Ways the peer broke the protocol.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RemoteError {
    /// A line could not be framed (too long, bare CR or LF).
    #[error("{0}")]
    Line(#[from] LineError),
    /// A multi-line body broke the line-ending policy.
    #[error("{0}")]
    Body(#[from] DotError),
    /// A command line did not follow the grammar.
    #[error("bad command: expected {expected} (in {line:?})")]
    Command {
        /// What the parser expected.
        expected: &'static str,
        /// The start of the offending line, lossily decoded, at most 64 bytes.
        line: String,
    },
    /// A response line did not follow the grammar.
    #[error("bad response: expected {expected} (in {line:?})")]
    Response {
        /// What the parser expected.
        expected: &'static str,
        /// The start of the offending line, lossily decoded, at most 64 bytes.
        line: String,
    },
    /// A line of a multi-line listing (LIST, UIDL, CAPA, LANG) did not follow the grammar.
    #[error(
        "bad listing line {index} of the reply to {command}: expected {expected} (in {line:?})"
    )]
    Listing {
        /// The command whose reply this is.
        command: &'static str,
        /// The 1-based line number inside the listing.
        index: usize,
        /// What the parser expected.
        expected: &'static str,
        /// The start of the offending line, lossily decoded.
        line: String,
    },
    /// A reply named another message than the one asked for (`LIST 1` answered by `+OK 99 ..`).
    #[error("reply to {command} {asked} names message {got}")]
    WrongMessage {
        /// The command.
        command: &'static str,
        /// The message number asked for.
        asked: u32,
        /// The message number in the reply.
        got: u32,
    },
    /// A listing named a message number beyond the count the server reported with `STAT`.
    #[error("reply to {command} names message {number}, but the maildrop has {count} messages")]
    NoSuchMessage {
        /// The command.
        command: &'static str,
        /// The message number in the reply.
        number: u32,
        /// The count from `STAT`.
        count: u32,
    },
    /// A listing is larger than the configured limit.
    #[error("reply to {command} longer than {limit} bytes")]
    ListingTooLarge {
        /// The command.
        command: &'static str,
        /// The configured limit.
        limit: usize,
    },
    /// The peer sent bytes when none were expected (before the greeting was answered, after QUIT).
    #[error("unexpected data from the peer: {0}")]
    Unexpected(&'static str),
    /// Bytes arrived after `STLS` was answered and before TLS was up; they were discarded.
    #[error("{count} bytes arrived before the TLS switch and were discarded")]
    PreTlsBytes {
        /// How many bytes were discarded.
        count: usize,
    },
    /// The SASL exchange failed on the peer's side.
    #[error("sasl: {0}")]
    Sasl(SaslError),
    /// The connection ended in the middle of a reply or body.
    #[error("connection closed {0}")]
    Eof(&'static str),
}

/// Ways the caller misused the API.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LocalError {
    /// A value cannot be put on the wire (a user name with a space, a line end in a password).
    #[error("invalid {what}: {why}")]
    InvalidValue {
        /// The kind of value.
        what: &'static str,
        /// The rule it broke.
        why: &'static str,
    },
    /// The command is not allowed in the session's current state.
    #[error("{command} not allowed {why}")]
    State {
        /// The command or method.
        command: &'static str,
        /// Why not, as a phrase ("before the greeting", "in the transaction state").
        why: &'static str,
    },
    /// An answer method was called while no matching event was waiting for it.
    #[error("{method} called without a pending {event} event")]
    NoPending {
        /// The method that was called.
        method: &'static str,
        /// The event it answers.
        event: &'static str,
    },
    /// The SASL mechanism refused the caller's input.
    #[error("sasl: {0}")]
    Sasl(SaslError),
}

impl Error {
    /// Whether the peer caused this error.
    pub fn is_remote(&self) -> bool {
        matches!(self, Self::Remote(_))
    }
}

/// The start of a line for an error message: lossy UTF-8, at most 64 bytes.
pub(crate) fn excerpt(line: &[u8]) -> String {
    let end = line.len().min(64);
    String::from_utf8_lossy(line.get(..end).unwrap_or_default()).into_owned()
}

pub(crate) fn bad_command(expected: &'static str, line: &[u8]) -> Error {
    Error::Remote(RemoteError::Command {
        expected,
        line: excerpt(line),
    })
}

pub(crate) fn bad_response(expected: &'static str, line: &[u8]) -> Error {
    Error::Remote(RemoteError::Response {
        expected,
        line: excerpt(line),
    })
}

pub(crate) fn invalid(what: &'static str, why: &'static str) -> Error {
    Error::Local(LocalError::InvalidValue { what, why })
}

//! What the server session tells the application, and what the application answers.

use mail_wire::sasl::AuthRequest;

use crate::codec::command::{MailParams, RcptParams};
use crate::error::Error;
use crate::types::{Domain, ForwardPath, ReversePath};

#[cfg(doc)]
use super::{ServerConfig, ServerSession};

/// Why a message was dropped without a decision.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AbortReason {
    /// It grew past [`ServerConfig::max_message_size`].
    TooLarge,
    /// It broke the line-ending policy.
    BadLineEnding,
    /// The client sent RSET (or a new EHLO) between BDAT chunks.
    Reset,
    /// The connection ended.
    Closed,
}

/// Why the session ended.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CloseReason {
    /// The client sent QUIT.
    Quit,
    /// The connection ended (end of input).
    Eof,
    /// The peer broke the protocol too often or sent too much.
    Error(Error),
}

/// Something the application must know or decide.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[must_use]
pub enum ServerEvent {
    /// The client said EHLO, HELO or LHLO.
    Hello {
        /// The name it gave.
        domain: Domain<'static>,
        /// EHLO or LHLO rather than HELO.
        extended: bool,
    },
    /// MAIL: decide with [`ServerSession::accept`] or [`ServerSession::reject`].
    MailFrom {
        /// The reverse path.
        from: ReversePath<'static>,
        /// Its parameters.
        params: MailParams<'static>,
    },
    /// RCPT: decide with [`ServerSession::accept`] or [`ServerSession::reject`].
    RcptTo {
        /// The forward path.
        to: ForwardPath<'static>,
        /// Its parameters.
        params: RcptParams<'static>,
    },
    /// A message body begins (after `354`, or with the first BDAT chunk).
    MessageStart,
    /// The next piece of the message (dot-stuffing removed).
    MessageData(Vec<u8>),
    /// The message is complete: store it, then [`ServerSession::accept`],
    /// [`ServerSession::reject`] or (LMTP) [`ServerSession::lmtp_replies`].
    MessageEnd,
    /// The message was dropped; the session has answered the client already.
    MessageAborted(AbortReason),
    /// The transaction was dropped (RSET, EHLO, STARTTLS).
    Reset,
    /// A SASL exchange needs a credential decision: [`ServerSession::auth_answer`].
    Auth(AuthRequest),
    /// The client is authenticated.
    Authenticated {
        /// The identity whose credentials were checked.
        authcid: Option<String>,
        /// The identity to act as, if asked.
        authzid: Option<String>,
    },
    /// STARTTLS accepted: send what [`ServerSession::poll_transmit`] holds, run the TLS
    /// handshake, then call [`ServerSession::tls_established`]. `discarded` are the bytes that
    /// came after the command in plaintext; they were thrown away.
    StartTls {
        /// Bytes received after STARTTLS before the switch.
        discarded: Vec<u8>,
    },
    /// Input arrived while the session waited for the TLS switch and was thrown away.
    InputDiscarded(usize),
    /// The peer made an error that got a reply; the session goes on.
    ProtocolError(Error),
    /// The session is over: send what is left to transmit, then close the connection.
    Closed(CloseReason),
}

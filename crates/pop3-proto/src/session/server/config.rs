//! What the server session is configured with, and what it asks of and tells the application.

use mail_wire::sasl::{AuthRequest, Mechanism};

#[cfg(doc)]
use mail_wire::sasl::Credentials;

use crate::codec::ParseOptions;
use crate::error::Error;
use crate::types::{Expire, UniqueId};

#[allow(unused_imports)] // For the intra-doc links.
use super::Server;

/// Server settings.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ServerConfig {
    /// Host name for the greeting and SASL. Default `localhost`.
    pub hostname: String,
    /// SASL mechanisms offered with `AUTH` and in `CAPA`. Default `PLAIN`, `LOGIN`: the ones
    /// that need only a password check; add `CRAM-MD5` or `SCRAM-*` if the store can answer
    /// their lookups.
    pub mechanisms: Vec<Mechanism>,
    /// Whether `USER`/`PASS` is offered. Default `true` (every client knows it).
    pub user_pass: bool,
    /// Whether the driver can start TLS (`STLS` offered). Default `false`.
    pub tls_available: bool,
    /// Whether the connection is already protected (implicit TLS, port 995). Default `false`.
    pub tls_active: bool,
    /// Refuse plaintext logins before `STLS` when TLS is available. Default `true` (RFC 2595
    /// section 2.1 asks for it).
    pub plaintext_needs_tls: bool,
    /// Failed logins before the session closes. Default 3.
    pub max_login_failures: u32,
    /// `IMPLEMENTATION` capability text. Default none.
    pub implementation: Option<String>,
    /// `EXPIRE` capability. Default none (not announced).
    pub expire: Option<Expire>,
    /// `LOGIN-DELAY` capability: the minimum seconds between logins, announced in CAPA.
    /// Default none. The session has no clock: the application enforces it by answering
    /// [`ServerEvent::OpenMaildrop`] with [`Server::login_too_soon`].
    pub login_delay: Option<u32>,
    /// The most client bytes held while the session waits for the application (pipelined
    /// commands). Default 64 KiB: thousands of pipelined commands, and a bound on what a
    /// client can make the server hold. Over it, the session answers `-ERR` and closes.
    pub max_pipelined: usize,
    /// Parser limits.
    pub parse: ParseOptions,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            hostname: String::from("localhost"),
            mechanisms: vec![Mechanism::Plain, Mechanism::Login],
            user_pass: true,
            tls_available: false,
            tls_active: false,
            plaintext_needs_tls: true,
            max_login_failures: 3,
            implementation: None,
            expire: None,
            login_delay: None,
            max_pipelined: 64 * 1024,
            parse: ParseOptions::default(),
        }
    }
}

/// One message of the maildrop, as the application lists it when it opens the maildrop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageInfo {
    /// Size in octets as stored (what `LIST` and `STAT` report).
    pub size: u64,
    /// The unique-id for `UIDL`.
    pub uid: UniqueId<'static>,
}

/// What the server session needs from the application, or tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ServerEvent {
    /// A login needs a credential decision: answer with [`Server::auth_answer`].
    /// `USER`/`PASS` asks [`AuthRequest::Verify`] with a [`Credentials::Password`] (no
    /// `authzid`); `APOP` asks [`AuthRequest::LookupSecret`] (the session computes and
    /// compares the digest itself); `AUTH` asks what its mechanism needs.
    Auth(AuthRequest),
    /// Authenticated: open and exclusively lock the user's maildrop, then answer with
    /// [`Server::maildrop_opened`], [`Server::maildrop_locked`] (held by another session:
    /// `-ERR [IN-USE]`), [`Server::login_too_soon`] (`-ERR [LOGIN-DELAY]`) or
    /// [`Server::maildrop_unavailable`].
    OpenMaildrop {
        /// The authenticated (or authorized) user.
        user: String,
    },
    /// Send the stored bytes of a message with [`Server::message_data`] and
    /// [`Server::message_end`] (or [`Server::message_unavailable`]). The session dot-stuffs
    /// them and, for `TOP`, cuts them after the requested body lines.
    Retrieve {
        /// The message number (1-based).
        message: u32,
        /// Its index in the list given to [`Server::maildrop_opened`].
        index: usize,
        /// `TOP`: body lines wanted after the header; `None` for `RETR`.
        top_lines: Option<u32>,
    },
    /// `QUIT` in TRANSACTION: remove these messages (indexes into the list given to
    /// [`Server::maildrop_opened`]) and release the lock, then call [`Server::update_done`].
    Update {
        /// The indexes of the messages marked as deleted.
        deleted: Vec<usize>,
    },
    /// `STLS` was accepted: send what [`Server::poll_transmit`] gives, run the TLS handshake,
    /// then call [`Server::tls_established`].
    StartTls,
    /// Bytes the client sent after `STLS` and before the handshake; they were discarded.
    PreTlsBytesDiscarded {
        /// How many.
        count: usize,
    },
    /// A login failed (for logs and rate limits).
    LoginFailed {
        /// The user name, if the client gave one.
        user: Option<String>,
        /// Failures so far in this session.
        failures: u32,
    },
    /// The client broke the protocol; the session answered `-ERR` and goes on.
    ClientError(Error),
    /// The session is over: send what is left in transmit, then close the connection. If a
    /// maildrop was opened and no [`ServerEvent::Update`] came, release its lock and delete
    /// nothing.
    Closed,
}

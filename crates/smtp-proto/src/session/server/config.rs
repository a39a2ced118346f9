//! The server's configuration.

use mail_wire::sasl::Mechanism;
use mail_wire::LineEnding;

use crate::codec::command::DEFAULT_MAX_COMMAND_LINE;
use crate::codec::ehlo::Capability;
use crate::types::Domain;

#[cfg(doc)]
use super::ServerEvent;

/// How a server session behaves. Start from [`ServerConfig::new`] and change fields.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ServerConfig {
    /// The server's name in the greeting and the EHLO reply.
    pub hostname: Domain<'static>,
    /// Speak LMTP (RFC 2033): `LHLO` instead of `EHLO`, one reply per recipient after the
    /// message. Default false.
    pub lmtp: bool,
    /// Longest command line, counting CRLF. Default [`DEFAULT_MAX_COMMAND_LINE`].
    pub max_line: usize,
    /// Most recipients per message; more get `452 4.5.3`. Default 100, RFC 5321 4.5.3.1.8's
    /// minimum.
    pub max_recipients: usize,
    /// Largest message in octets, announced as SIZE and enforced. Default 25 MiB, a common
    /// provider limit.
    pub max_message_size: u64,
    /// Protocol errors before the session answers `421` and closes. Default 10.
    pub max_errors: usize,
    /// Most bytes held unread while the application decides; more closes the session with
    /// `421`. Default 256 KiB: a full pipelined transaction with hundreds of recipients.
    pub max_buffer: usize,
    /// What a bare CR or LF in a DATA body means. Default [`LineEnding::Reject`]: the message
    /// is refused (what stops SMTP smuggling at its source).
    pub line_ending: LineEnding,
    /// Announce PIPELINING. Default true.
    pub pipelining: bool,
    /// Announce CHUNKING (BDAT) and BINARYMIME. Default true.
    pub chunking: bool,
    /// Announce 8BITMIME. Default true.
    pub eight_bit_mime: bool,
    /// Announce SMTPUTF8. Default true.
    pub smtputf8: bool,
    /// Announce DSN and accept its parameters (the application gets them in the events).
    /// Default true.
    pub dsn: bool,
    /// Announce ENHANCEDSTATUSCODES and put them on replies. Default true.
    pub enhanced_status_codes: bool,
    /// Announce STARTTLS (the application must then handle [`ServerEvent::StartTls`]).
    /// Default false.
    pub starttls: bool,
    /// The connection is already under TLS (implicit TLS, port 465). Default false.
    pub tls_active: bool,
    /// SASL mechanisms to offer. Default none (no AUTH).
    pub auth_mechanisms: Vec<Mechanism>,
    /// Refuse AUTH (and hide it from EHLO) until TLS is up. Default true; set false for a
    /// trusted link such as loopback.
    pub auth_requires_tls: bool,
    /// More EHLO capabilities to announce, after the built-in ones, with their parameters. The
    /// session accepts and checks the MAIL and RCPT parameters of those it knows when they are
    /// listed (and answers `555` when not), and hands them to the application in
    /// [`ServerEvent::MailFrom`] and [`ServerEvent::RcptTo`]:
    /// [`Capability::RequireTls`] (RFC 8689, announced and accepted under TLS only),
    /// [`Capability::MtPriority`] with its policy (RFC 6710),
    /// [`Capability::FutureRelease`] with the longest hold and latest date (RFC 4865),
    /// [`Capability::DeliverBy`] with the shortest by-time (RFC 2852) and
    /// [`Capability::Rrvs`] (RFC 7293). Others are announced as given, for an application that
    /// implements them itself. Default none.
    pub extensions: Vec<Capability<'static>>,
}

impl ServerConfig {
    /// The defaults documented on each field.
    pub fn new(hostname: Domain<'static>) -> Self {
        Self {
            hostname,
            lmtp: false,
            max_line: DEFAULT_MAX_COMMAND_LINE,
            max_recipients: 100,
            max_message_size: 25 * 1024 * 1024,
            max_errors: 10,
            max_buffer: 256 * 1024,
            line_ending: LineEnding::Reject,
            pipelining: true,
            chunking: true,
            eight_bit_mime: true,
            smtputf8: true,
            dsn: true,
            enhanced_status_codes: true,
            starttls: false,
            tls_active: false,
            auth_mechanisms: Vec::new(),
            auth_requires_tls: true,
            extensions: Vec::new(),
        }
    }
}

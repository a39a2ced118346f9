//! The server side of SMTP, ESMTP and LMTP (RFC 5321, RFC 2033) with PIPELINING, SIZE,
//! 8BITMIME, BINARYMIME, CHUNKING, SMTPUTF8, DSN, ENHANCEDSTATUSCODES, STARTTLS and AUTH.
//!
//! Drive it like this (a blocking sketch; any I/O works):
//!
//! ```
//! use smtp_proto::session::server::{ServerConfig, ServerEvent, ServerSession};
//! use smtp_proto::types::Domain;
//!
//! let mut server = ServerSession::new(ServerConfig::new(Domain::new("mx.example.org").unwrap()));
//! let mut out = Vec::new();
//! server.handle_input(b"EHLO c.example\r\nMAIL FROM:<a@c.example>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
//! let mut body = Vec::new();
//! loop {
//!     while let Some(event) = server.poll_event() {
//!         match event {
//!             ServerEvent::MailFrom { .. } | ServerEvent::RcptTo { .. } => server.accept().unwrap(),
//!             ServerEvent::MessageData(chunk) => body.extend_from_slice(&chunk),
//!             ServerEvent::MessageEnd => server.accept().unwrap(), // after storing `body`
//!             _ => {}
//!         }
//!     }
//!     server.poll_transmit(&mut out); // write these bytes to the client
//!     if body.is_empty() {
//!         server.handle_input(b"Hello\r\n.\r\nQUIT\r\n"); // the next read
//!     } else if server.is_closed() {
//!         break;
//!     }
//! }
//! assert_eq!(body, b"Hello\r\n");
//! assert!(out.ends_with(b"250 2.0.0 OK: message accepted\r\n221 2.0.0 Bye\r\n"));
//! ```
//!
//! After every `handle_*` call and every decision, drain [`ServerSession::poll_event`] and
//! [`ServerSession::poll_transmit`]. Events that need an answer (MAIL, each RCPT, the end of a
//! message, SASL credential checks) stop the session from reading further commands until the
//! application answers with [`ServerSession::accept`], [`ServerSession::reject`],
//! [`ServerSession::lmtp_replies`] or [`ServerSession::auth_answer`], whenever it likes: the
//! replies still go out in command order.

use std::collections::VecDeque;

use mail_wire::dot::DotDecoder;
use mail_wire::line::{Frame, LineConfig, LineError, LineFramer};
use mail_wire::sasl::{
    decode_client_response, encode_challenge, ClientResponse, Mechanism, ServerMechanism,
    ServerOptions, ServerStep,
};
/// The SASL credential question of [`ServerEvent::Auth`] and the answer to it, shared with
/// the other mail protocols (re-exported from [`mail_wire::sasl`]).
pub use mail_wire::sasl::{AuthAnswer, AuthRequest, Credentials, ScramHash, ScramKeys};
/// Where credentials are kept, so that their `Debug` output shows none.
pub use mail_wire::Secret;
use mail_wire::Status;

use crate::codec::command::{plain_rcpt, Body, Command, MailParams, RcptParams};
use crate::codec::ehlo::Capability;
use crate::codec::reply::Reply;
use crate::codec::{ParseError, ParseErrorKind};
use crate::error::{Error, LocalError, RemoteError};
use crate::types::{Domain, ForwardPath, Keyword, ReplyCode, ReversePath, Text};

mod body;
mod config;
mod events;
mod extensions;

pub use config::ServerConfig;
pub use events::{AbortReason, CloseReason, ServerEvent};

#[derive(Debug)]
enum Mode {
    Command,
    Data {
        decoder: DotDecoder,
    },
    Bdat {
        remaining: u64,
        last: bool,
        discard: Option<Reply<'static>>,
    },
    AuthResponse,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pending {
    Mail,
    Rcpt,
    Message,
    Auth,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Open,
    WaitTls,
    Closed,
}

/// What the session keeps of a transaction; the application has the addresses and parameters.
#[derive(Debug, Default)]
struct Transaction {
    /// MAIL had SMTPUTF8.
    smtputf8: bool,
    /// MAIL's BODY.
    body: Option<Body>,
    /// Accepted recipients.
    rcpts: usize,
    rcpt_attempted: bool,
    /// Body octets so far.
    size: u64,
    too_large: bool,
    /// A BDAT chunk was received (DATA is then out of sequence).
    chunked: bool,
    started: bool,
}

/// The server state machine. See the module docs for the driving loop.
#[derive(Debug)]
pub struct ServerSession {
    config: ServerConfig,
    phase: Phase,
    mode: Mode,
    pending: Option<Pending>,
    /// What the session keeps of a MAIL waiting for a decision.
    pending_mail: Option<Transaction>,
    buf: Vec<u8>,
    pos: usize,
    framer: LineFramer,
    /// The framer is between lines (not skipping the rest of one it reported as an error), so
    /// a command line may be read without it.
    framer_clean: bool,
    events: VecDeque<ServerEvent>,
    out: Vec<u8>,
    hello: Option<bool>,
    tls: bool,
    authenticated: bool,
    auth: Option<ServerMechanism>,
    tx: Option<Transaction>,
    errors: usize,
}

fn r(code: u16, e: (u8, u16, u16), text: &str) -> Reply<'static> {
    Reply::fixed(code, e, text)
}

impl ServerSession {
    /// A session for a new connection; the `220` greeting is ready to transmit.
    pub fn new(config: ServerConfig) -> Self {
        let framer = LineFramer::new(LineConfig::with_max_line(config.max_line));
        let tls = config.tls_active;
        let mut s = Self {
            config,
            phase: Phase::Open,
            mode: Mode::Command,
            pending: None,
            pending_mail: None,
            buf: Vec::new(),
            pos: 0,
            framer,
            framer_clean: true,
            events: VecDeque::new(),
            out: Vec::new(),
            hello: None,
            tls,
            authenticated: false,
            auth: None,
            tx: None,
            errors: 0,
        };
        let proto = if s.config.lmtp { "LMTP" } else { "ESMTP" };
        let greeting = format!("{} {proto} ready", s.config.hostname);
        s.send_raw(Reply::fixed(220, (2, 0, 0), &greeting).without_enhanced());
        s
    }

    /// The configuration.
    pub fn config(&self) -> &ServerConfig {
        &self.config
    }

    /// Whether the session is over.
    pub fn is_closed(&self) -> bool {
        self.phase == Phase::Closed
    }

    /// Whether TLS is up.
    pub fn is_tls(&self) -> bool {
        self.tls
    }

    /// Whether the client authenticated.
    pub fn is_authenticated(&self) -> bool {
        self.authenticated
    }

    /// The next event, if any.
    pub fn poll_event(&mut self) -> Option<ServerEvent> {
        self.events.pop_front()
    }

    /// Moves the bytes to send to the client into `out`; returns how many.
    pub fn poll_transmit(&mut self, out: &mut Vec<u8>) -> usize {
        let n = self.out.len();
        out.append(&mut self.out);
        n
    }

    /// [`ServerSession::handle_input`] that hands message body bytes to `body` in pieces
    /// borrowed from `input` instead of copying them into [`ServerEvent::MessageData`] events:
    /// a server that writes the body to a file copies nothing. This applies to DATA bodies
    /// read while the session waits for nothing; body bytes buffered behind a pending decision,
    /// and BDAT chunks, still arrive as `MessageData` events, so handle those too.
    pub fn handle_input_with(&mut self, input: &[u8], mut body: impl FnMut(&[u8])) {
        let mut input = input;
        if self.phase == Phase::Open && self.reads_body_directly() {
            self.buf.clear();
            self.pos = 0;
            let used = self.data_step_with(input, &mut body);
            input = input.get(used..).unwrap_or_default();
        }
        self.handle_input(input);
    }

    /// In DATA with nothing buffered: the body can be decoded straight from the caller's bytes.
    fn reads_body_directly(&self) -> bool {
        self.pos == self.buf.len()
            && self.pending.is_none()
            && matches!(self.mode, Mode::Data { .. })
    }

    /// Feeds bytes read from the client.
    pub fn handle_input(&mut self, input: &[u8]) {
        match self.phase {
            Phase::Closed => {}
            Phase::WaitTls => {
                if !input.is_empty() {
                    self.events
                        .push_back(ServerEvent::InputDiscarded(input.len()));
                }
            }
            Phase::Open => {
                let mut input = input;
                if self.reads_body_directly() {
                    // Nothing buffered: decode the body straight from the caller's bytes.
                    self.buf.clear();
                    self.pos = 0;
                    let used = self.data_step(input);
                    input = input.get(used..).unwrap_or_default();
                }
                self.buf.extend_from_slice(input);
                if self.pending.is_some() && self.buf.len() - self.pos > self.config.max_buffer {
                    let e = RemoteError::BufferFull(self.config.max_buffer);
                    self.close_with(r(421, (4, 7, 0), "Too much input"), e.into());
                    return;
                }
                self.process();
            }
        }
    }

    /// The client closed the connection.
    pub fn handle_eof(&mut self) {
        if self.phase == Phase::Closed {
            return;
        }
        if matches!(self.mode, Mode::Data { .. } | Mode::Bdat { .. })
            || self.tx.as_ref().is_some_and(|t| t.started)
        {
            self.events
                .push_back(ServerEvent::MessageAborted(AbortReason::Closed));
        }
        self.phase = Phase::Closed;
        self.events.push_back(ServerEvent::Closed(CloseReason::Eof));
    }

    /// Call after the TLS handshake that followed [`ServerEvent::StartTls`]. The session starts
    /// over (RFC 3207 4.2): the client must say EHLO again.
    pub fn tls_established(&mut self) -> Result<(), Error> {
        if self.phase != Phase::WaitTls {
            return Err(LocalError::NotReady("tls_established").into());
        }
        self.phase = Phase::Open;
        self.tls = true;
        self.hello = None;
        self.authenticated = false;
        self.tx = None;
        self.buf.clear();
        self.pos = 0;
        self.framer.reset();
        Ok(())
    }

    /// Accepts the pending MAIL, RCPT or message.
    pub fn accept(&mut self) -> Result<(), Error> {
        match self.pending {
            Some(Pending::Mail) => {
                self.tx = Some(self.pending_mail.take().unwrap_or_default());
                self.decided(r(250, (2, 1, 0), "OK"))
            }
            Some(Pending::Rcpt) => {
                if let Some(tx) = self.tx.as_mut() {
                    tx.rcpts += 1;
                }
                self.decided(r(250, (2, 1, 5), "OK"))
            }
            Some(Pending::Message) => {
                if self.config.lmtp {
                    let n = self.tx.as_ref().map_or(0, |t| t.rcpts);
                    self.lmtp_replies(vec![r(250, (2, 0, 0), "OK: message delivered"); n])
                } else {
                    self.tx = None;
                    self.decided(r(250, (2, 0, 0), "OK: message accepted"))
                }
            }
            _ => Err(LocalError::NoDecisionPending("MAIL, RCPT or message").into()),
        }
    }

    /// Refuses the pending MAIL, RCPT or message with `reply` (use a 4xx or 5xx code). In
    /// LMTP, a refused message gets this reply for every recipient.
    pub fn reject(&mut self, reply: Reply<'static>) -> Result<(), Error> {
        let code = reply.code();
        if !(code.is_transient() || code.is_permanent()) {
            return Err(LocalError::NotAFailure(code.get()).into());
        }
        match self.pending {
            Some(Pending::Mail) => {
                self.pending_mail = None;
                self.decided(reply)
            }
            Some(Pending::Rcpt) => self.decided(reply),
            Some(Pending::Message) => {
                if self.config.lmtp {
                    let n = self.tx.as_ref().map_or(0, |t| t.rcpts);
                    self.lmtp_replies(vec![reply; n])
                } else {
                    self.tx = None;
                    self.decided(reply)
                }
            }
            _ => Err(LocalError::NoDecisionPending("MAIL, RCPT or message").into()),
        }
    }

    /// LMTP: one reply per accepted recipient, in RCPT order.
    pub fn lmtp_replies(&mut self, replies: Vec<Reply<'static>>) -> Result<(), Error> {
        if self.pending != Some(Pending::Message) || !self.config.lmtp {
            return Err(LocalError::NoDecisionPending("LMTP message").into());
        }
        let expected = self.tx.as_ref().map_or(0, |t| t.rcpts);
        if replies.len() != expected {
            return Err(LocalError::ReplyCount {
                expected,
                got: replies.len(),
            }
            .into());
        }
        for reply in replies {
            self.send(reply);
        }
        self.tx = None;
        self.pending = None;
        self.process();
        Ok(())
    }

    /// Answers a pending [`ServerEvent::Auth`].
    pub fn auth_answer(&mut self, answer: AuthAnswer) -> Result<(), Error> {
        if self.pending != Some(Pending::Auth) {
            return Err(LocalError::NoDecisionPending("AUTH").into());
        }
        let Some(mech) = self.auth.as_mut() else {
            return Err(LocalError::NoDecisionPending("AUTH").into());
        };
        let step = mech.answer(answer);
        self.pending = None;
        self.auth_step(step);
        self.process();
        Ok(())
    }

    fn decided(&mut self, reply: Reply<'static>) -> Result<(), Error> {
        self.send(reply);
        self.pending = None;
        self.process();
        Ok(())
    }

    /// Queues a reply, dropping the enhanced code when not announced.
    fn send(&mut self, reply: Reply<'static>) {
        if self.config.enhanced_status_codes {
            reply.write_to(&mut self.out);
        } else {
            reply.without_enhanced().write_to(&mut self.out);
        }
    }

    fn send_raw(&mut self, reply: Reply<'static>) {
        reply.write_to(&mut self.out);
    }

    /// A 5xx for a client mistake: counts toward the error limit.
    fn error(&mut self, reply: Reply<'static>, error: Error) {
        self.errors += 1;
        if self.errors >= self.config.max_errors {
            let e = RemoteError::TooManyErrors(self.errors).into();
            self.send(reply);
            self.close_with(r(421, (4, 7, 0), "Too many errors, closing"), e);
        } else {
            self.send(reply);
            self.events.push_back(ServerEvent::ProtocolError(error));
        }
    }

    fn close_with(&mut self, reply: Reply<'static>, error: Error) {
        let host = self.config.hostname.to_string();
        let reply = Reply::new(
            reply.code().get(),
            reply.enhanced(),
            &format!("{host} {}", reply.text()),
        )
        .unwrap_or(reply);
        self.send(reply);
        self.phase = Phase::Closed;
        self.events
            .push_back(ServerEvent::Closed(CloseReason::Error(error)));
    }

    fn process(&mut self) {
        while self.phase == Phase::Open && self.pending.is_none() && self.pos < self.buf.len() {
            let before = self.pos;
            match &mut self.mode {
                Mode::Command | Mode::AuthResponse => {
                    let rest = self.buf.get(self.pos..).unwrap_or_default();
                    // Nearly every command of a transaction is an RCPT in the common shape: read
                    // in one pass (the line and the command the framer and `parse_line` give).
                    if matches!(self.mode, Mode::Command) && self.framer_clean {
                        let max_line = self.framer.config().max_line;
                        if let Some((cmd, used)) = plain_rcpt(rest, max_line) {
                            let cmd = cmd.into_owned();
                            self.framer.advance(used);
                            self.pos += used;
                            self.command_line(Ok(cmd), used - 2);
                            continue;
                        }
                    }
                    let decoded = self.framer.decode(rest);
                    self.framer_clean = !matches!(decoded, Err(_) | Ok(Status::Incomplete));
                    match decoded {
                        Ok(Status::Incomplete) => break,
                        Ok(Status::Complete(Frame::Skipped, n)) => self.pos += n,
                        Ok(Status::Complete(Frame::Line(line), n)) => {
                            if matches!(self.mode, Mode::AuthResponse) {
                                let line = line.content.to_vec();
                                self.pos += n;
                                self.auth_line(&line);
                            } else {
                                // Parsed from the buffer in place, then owned: its values go out in events.
                                let parsed = Command::parse_line(line.content);
                                let len = line.content.len();
                                self.pos += n;
                                self.command_line(parsed.map(Command::into_owned), len);
                            }
                        }
                        Err(e) => {
                            self.pos += e.consumed();
                            self.line_error(e);
                        }
                    }
                }
                Mode::Data { .. } => {
                    let buf = std::mem::take(&mut self.buf);
                    let used = self.data_step(buf.get(self.pos..).unwrap_or_default());
                    self.buf = buf;
                    self.pos += used;
                }
                Mode::Bdat {
                    remaining,
                    last,
                    discard,
                } => {
                    let avail = self.buf.len() - self.pos;
                    let take = usize::try_from(*remaining).unwrap_or(usize::MAX).min(avail);
                    *remaining -= take as u64;
                    let done = *remaining == 0;
                    let last = *last;
                    let discarding = discard.is_some();
                    let reply = if done { discard.take() } else { None };
                    let chunk = self
                        .buf
                        .get(self.pos..self.pos + take)
                        .unwrap_or_default()
                        .to_vec();
                    self.pos += take;
                    self.framer.advance(take);
                    if !discarding {
                        self.body_chunk(chunk);
                    }
                    if done {
                        self.mode = Mode::Command;
                        match reply {
                            Some(reply) => {
                                self.error(reply.clone(), RemoteError::Refused(reply).into())
                            }
                            None => self.end_of_chunk(last),
                        }
                    }
                }
            }
            if self.pos == before && self.pending.is_none() && matches!(self.mode, Mode::Command) {
                break;
            }
        }
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
    }

    fn line_error(&mut self, e: LineError) {
        let reply = match e {
            LineError::TooLong { .. } => r(500, (5, 5, 6), "Line too long"),
            _ => r(500, (5, 5, 2), "Bare CR or LF not allowed"),
        };
        if matches!(self.mode, Mode::AuthResponse) {
            self.mode = Mode::Command;
            self.auth = None;
        }
        self.error(reply, RemoteError::Line(e).into());
    }

    fn reset_transaction(&mut self) {
        if let Some(tx) = self.tx.take() {
            if tx.started {
                self.events
                    .push_back(ServerEvent::MessageAborted(AbortReason::Reset));
            }
            self.events.push_back(ServerEvent::Reset);
        }
    }

    /// Runs a parsed command line of `len` bytes, or answers its parse error.
    fn command_line(&mut self, parsed: Result<Command<'static>, ParseError>, len: usize) {
        let cmd = match parsed {
            Ok(c) => c,
            Err(e) => {
                let reply = match &e.kind {
                    ParseErrorKind::UnknownCommand => r(500, (5, 5, 1), "Command not recognized"),
                    ParseErrorKind::Invalid(_) if len >= 4 => {
                        r(501, (5, 5, 4), "Syntax error in parameters or arguments")
                    }
                    _ => r(501, (5, 5, 2), "Syntax error in parameters or arguments"),
                };
                self.error(reply, RemoteError::Parse(e).into());
                return;
            }
        };
        self.command(cmd);
    }

    fn sequence(&mut self, text: &str) {
        let e = RemoteError::Refused(r(503, (5, 5, 1), text)).into();
        self.error(r(503, (5, 5, 1), text), e);
    }

    fn command(&mut self, cmd: Command<'static>) {
        let lmtp = self.config.lmtp;
        match cmd {
            Command::Ehlo(_) | Command::Helo(_) if lmtp => {
                self.error(
                    r(500, (5, 5, 1), "LMTP: use LHLO"),
                    RemoteError::Refused(r(500, (5, 5, 1), "LMTP: use LHLO")).into(),
                );
            }
            Command::Lhlo(_) if !lmtp => {
                self.error(
                    r(500, (5, 5, 1), "Command not recognized"),
                    RemoteError::Refused(r(500, (5, 5, 1), "Command not recognized")).into(),
                );
            }
            Command::Ehlo(domain) | Command::Lhlo(domain) => {
                self.reset_transaction();
                self.hello = Some(true);
                let reply = self.ehlo_reply(&domain);
                self.send_raw(reply);
                self.events.push_back(ServerEvent::Hello {
                    domain,
                    extended: true,
                });
            }
            Command::Helo(domain) => {
                self.reset_transaction();
                self.hello = Some(false);
                let text = format!("{} greets {domain}", self.config.hostname);
                self.send_raw(Reply::fixed(250, (2, 0, 0), &text).without_enhanced());
                self.events.push_back(ServerEvent::Hello {
                    domain,
                    extended: false,
                });
            }
            Command::Mail { from, params } => self.mail(from, params),
            Command::Rcpt { to, params } => self.rcpt(to, params),
            Command::Data => self.data(),
            Command::Bdat { size, last } => self.bdat(size, last),
            Command::Rset => {
                self.reset_transaction();
                self.send(r(250, (2, 0, 0), "OK"));
            }
            Command::Noop(_) => self.send(r(250, (2, 0, 0), "OK")),
            Command::Help(_) => self.send(r(214, (2, 0, 0), "See RFC 5321")),
            Command::Vrfy(_) => self.send(r(
                252,
                (2, 5, 0),
                "Cannot VRFY user, but will accept message and attempt delivery",
            )),
            Command::Expn(_) => self.send(r(502, (5, 5, 1), "EXPN not available")),
            Command::Quit => {
                self.send(r(221, (2, 0, 0), "Bye"));
                self.reset_transaction();
                self.phase = Phase::Closed;
                self.events
                    .push_back(ServerEvent::Closed(CloseReason::Quit));
            }
            Command::StartTls => self.starttls(),
            Command::Auth {
                mechanism,
                initial_response,
            } => self.auth(mechanism.get(), initial_response),
        }
    }

    fn ehlo_reply(&self, client: &Domain<'_>) -> Reply<'static> {
        let c = &self.config;
        let mut caps = Vec::new();
        if c.pipelining {
            caps.push(Capability::Pipelining);
        }
        caps.push(Capability::Size(Some(c.max_message_size)));
        if c.eight_bit_mime {
            caps.push(Capability::EightBitMime);
        }
        if c.chunking {
            caps.push(Capability::Chunking);
            caps.push(Capability::BinaryMime);
        }
        if c.smtputf8 {
            caps.push(Capability::SmtpUtf8);
        }
        if c.dsn {
            caps.push(Capability::Dsn);
        }
        if c.enhanced_status_codes {
            caps.push(Capability::EnhancedStatusCodes);
        }
        if c.starttls && !self.tls {
            caps.push(Capability::StartTls);
        }
        if self.auth_allowed() && !self.authenticated {
            caps.push(Capability::Auth(c.auth_mechanisms.clone()));
        }
        if let Ok(k) = Keyword::new("RCPTMAX") {
            caps.push(Capability::Limits(vec![(k, c.max_recipients as u64)]));
        }
        caps.extend(extensions::announced(c, self.tls).cloned());
        // The lines straight from the capabilities (an `EhloReply` would read each back).
        let mut lines = Vec::with_capacity(caps.len() + 1);
        lines.push(Text::known(&format!("{} greets {client}", c.hostname)));
        lines.extend(caps.iter().map(|cap| Text::known(&cap.to_line())));
        Reply::from_parts(ReplyCode::known(250), None, &lines)
    }

    fn auth_allowed(&self) -> bool {
        !self.config.auth_mechanisms.is_empty() && (self.tls || !self.config.auth_requires_tls)
    }

    fn param_error(&mut self, text: &str) {
        let reply = r(555, (5, 5, 4), text);
        self.error(reply.clone(), RemoteError::Refused(reply).into());
    }

    fn mail(&mut self, from: ReversePath<'static>, params: MailParams<'static>) {
        if self.hello.is_none() {
            return self.sequence("Send EHLO or HELO first");
        }
        if self.tx.is_some() {
            return self.sequence("Nested MAIL command");
        }
        let extended = self.hello == Some(true);
        let c = &self.config;
        let bad = if !params.is_empty() && !extended {
            Some("Parameters need EHLO")
        } else if !params.other.is_empty() {
            Some("Unsupported parameter")
        } else if params.body == Some(Body::EightBitMime) && !c.eight_bit_mime
            || params.body == Some(Body::BinaryMime) && !c.chunking
        {
            Some("Unsupported BODY")
        } else if params.smtputf8 && !c.smtputf8 {
            Some("SMTPUTF8 not supported")
        } else if (params.ret.is_some() || params.envid.is_some()) && !c.dsn {
            Some("DSN not supported")
        } else if params.auth.is_some() && c.auth_mechanisms.is_empty() {
            Some("AUTH not supported")
        } else {
            None
        };
        if let Some(text) = bad {
            return self.param_error(text);
        }
        if let Some(reply) = extensions::check_mail(c, self.tls, &params) {
            return self.error(reply.clone(), RemoteError::Refused(reply).into());
        }
        if params
            .size
            .is_some_and(|n| n > self.config.max_message_size)
        {
            let reply = r(
                552,
                (5, 3, 4),
                "Message size exceeds fixed maximum message size",
            );
            return self.send(reply);
        }
        if from.mailbox().is_some_and(|m| m.is_utf8()) && !params.smtputf8 {
            let reply = r(553, (5, 6, 7), "Non-ASCII address needs SMTPUTF8");
            return self.error(reply.clone(), RemoteError::Refused(reply).into());
        }
        self.pending_mail = Some(Transaction {
            smtputf8: params.smtputf8,
            body: params.body,
            ..Transaction::default()
        });
        self.pending = Some(Pending::Mail);
        self.events
            .push_back(ServerEvent::MailFrom { from, params });
    }

    fn rcpt(&mut self, to: ForwardPath<'static>, params: RcptParams<'static>) {
        let Some(tx) = self.tx.as_mut() else {
            return self.sequence("Need MAIL before RCPT");
        };
        if tx.chunked {
            return self.sequence("RCPT after BDAT");
        }
        tx.rcpt_attempted = true;
        let smtputf8 = tx.smtputf8;
        let count = tx.rcpts;
        if !params.other.is_empty() {
            return self.param_error("Unsupported parameter");
        }
        if let Some(reply) = extensions::check_rcpt(&self.config, &params) {
            return self.error(reply.clone(), RemoteError::Refused(reply).into());
        }
        if (params.notify.is_some() || params.orcpt.is_some()) && !self.config.dsn {
            return self.param_error("DSN not supported");
        }
        if to.is_utf8() && !smtputf8 {
            let reply = r(553, (5, 6, 7), "Non-ASCII address needs SMTPUTF8");
            return self.error(reply.clone(), RemoteError::Refused(reply).into());
        }
        if count >= self.config.max_recipients {
            return self.send(r(452, (4, 5, 3), "Too many recipients"));
        }
        self.pending = Some(Pending::Rcpt);
        self.events.push_back(ServerEvent::RcptTo { to, params });
    }

    /// The reply for DATA or BDAT without usable recipients, if that is the case.
    fn no_recipients(&self) -> Option<Reply<'static>> {
        match &self.tx {
            None => Some(r(503, (5, 5, 1), "Need MAIL and RCPT first")),
            Some(tx) if tx.rcpts == 0 && tx.rcpt_attempted => {
                Some(r(554, (5, 5, 1), "No valid recipients"))
            }
            Some(tx) if tx.rcpts == 0 => Some(r(503, (5, 5, 1), "Need RCPT first")),
            Some(_) => None,
        }
    }

    fn data(&mut self) {
        if let Some(reply) = self.no_recipients() {
            return self.error(reply.clone(), RemoteError::Refused(reply).into());
        }
        let Some(tx) = self.tx.as_mut() else { return };
        if tx.chunked {
            return self.sequence("DATA after BDAT");
        }
        if tx.body == Some(Body::BinaryMime) {
            return self.sequence("BINARYMIME needs BDAT");
        }
        tx.started = true;
        self.send_raw(
            Reply::fixed(354, (2, 0, 0), "Start mail input; end with <CRLF>.<CRLF>")
                .without_enhanced(),
        );
        self.events.push_back(ServerEvent::MessageStart);
        self.mode = Mode::Data {
            decoder: DotDecoder::new(self.config.line_ending),
        };
    }

    fn bdat(&mut self, size: u64, last: bool) {
        if !self.config.chunking {
            let reply = r(502, (5, 5, 1), "Command not implemented");
            return self.error(reply.clone(), RemoteError::Refused(reply).into());
        }
        // The chunk follows the command whatever we answer: read it, then reply.
        let discard = self.no_recipients();
        if discard.is_some() {
            // Answered (and counted as an error) once the chunk has been read.
        } else if let Some(tx) = self.tx.as_mut() {
            tx.chunked = true;
            if !tx.started {
                tx.started = true;
                self.events.push_back(ServerEvent::MessageStart);
            }
        }
        if size == 0 {
            match discard {
                Some(reply) => self.error(reply.clone(), RemoteError::Refused(reply).into()),
                None => self.end_of_chunk(last),
            }
            return;
        }
        self.mode = Mode::Bdat {
            remaining: size,
            last,
            discard,
        };
    }

    fn starttls(&mut self) {
        if !self.config.starttls {
            let reply = r(502, (5, 5, 1), "STARTTLS not available");
            return self.error(reply.clone(), RemoteError::Refused(reply).into());
        }
        if self.tls {
            return self.sequence("TLS already active");
        }
        self.send(r(220, (2, 0, 0), "Ready to start TLS"));
        self.reset_transaction();
        let discarded = self.buf.get(self.pos..).unwrap_or_default().to_vec();
        self.pos = self.buf.len();
        self.phase = Phase::WaitTls;
        self.events.push_back(ServerEvent::StartTls { discarded });
    }

    fn auth(&mut self, mechanism: &Mechanism, initial: Option<Vec<u8>>) {
        if self.config.auth_mechanisms.is_empty() {
            let reply = r(502, (5, 5, 1), "AUTH not available");
            return self.error(reply.clone(), RemoteError::Refused(reply).into());
        }
        if self.hello != Some(true) {
            return self.sequence("Send EHLO first");
        }
        if self.authenticated {
            return self.sequence("Already authenticated");
        }
        if self.tx.is_some() {
            return self.sequence("AUTH not allowed during a mail transaction");
        }
        if !self.auth_allowed() {
            let reply = r(538, (5, 7, 11), "Encryption required: STARTTLS first");
            return self.error(reply.clone(), RemoteError::Refused(reply).into());
        }
        if !self.config.auth_mechanisms.contains(mechanism) {
            let reply = r(504, (5, 5, 4), "Unrecognized authentication type");
            return self.error(reply.clone(), RemoteError::Refused(reply).into());
        }
        let options = ServerOptions::default().with_hostname(self.config.hostname.as_str());
        match ServerMechanism::new(mechanism, options) {
            Ok(mut m) => {
                let step = m.start(initial.as_deref());
                self.auth = Some(m);
                self.auth_step(step);
            }
            Err(_) => {
                let reply = r(504, (5, 5, 4), "Unrecognized authentication type");
                self.error(reply.clone(), RemoteError::Refused(reply).into());
            }
        }
    }

    fn auth_line(&mut self, line: &[u8]) {
        self.mode = Mode::Command;
        self.framer
            .set_config(LineConfig::with_max_line(self.config.max_line));
        let Some(mech) = self.auth.as_mut() else {
            return;
        };
        match decode_client_response(line, mail_wire::sasl::DEFAULT_MAX_RESPONSE_LEN) {
            Ok(ClientResponse::Cancel) => {
                self.auth = None;
                let reply = r(501, (5, 0, 0), "Authentication cancelled");
                self.error(reply.clone(), RemoteError::Refused(reply).into());
            }
            Ok(ClientResponse::Response(resp)) => {
                let step = mech.handle_response(&resp);
                self.auth_step(step);
            }
            Err(e) => {
                self.auth = None;
                let reply = r(501, (5, 5, 2), "Cannot decode response");
                self.error(reply, RemoteError::Sasl(e).into());
            }
        }
    }

    fn auth_step(&mut self, step: Result<ServerStep, mail_wire::sasl::SaslError>) {
        match step.map(ServerStep::into_request) {
            Ok(Ok(request)) => {
                self.pending = Some(Pending::Auth);
                self.events.push_back(ServerEvent::Auth(request));
            }
            Ok(Err(ServerStep::Challenge(c))) => {
                let text = encode_challenge(&c);
                let reply = Reply::new(334, None, &text)
                    .unwrap_or_else(|_| Reply::fixed(334, (2, 0, 0), ""));
                self.send_raw(reply.without_enhanced());
                self.mode = Mode::AuthResponse;
                // A response may carry a large token: allow what the SASL limit allows.
                self.framer.set_config(LineConfig::with_max_line(
                    mail_wire::sasl::DEFAULT_MAX_RESPONSE_LEN * 4 / 3 + 8,
                ));
            }
            Ok(Err(ServerStep::Success(outcome))) => {
                self.auth = None;
                self.authenticated = true;
                self.send(r(235, (2, 7, 0), "Authentication successful"));
                self.events.push_back(ServerEvent::Authenticated {
                    authcid: outcome.authcid,
                    authzid: outcome.authzid,
                });
            }
            Ok(Err(_)) => {
                self.auth = None;
                let reply = r(535, (5, 7, 8), "Authentication credentials invalid");
                self.error(reply.clone(), RemoteError::Refused(reply).into());
            }
            Err(e) => {
                self.auth = None;
                let reply = if e.is_remote() {
                    r(535, (5, 7, 8), "Authentication credentials invalid")
                } else {
                    r(454, (4, 7, 0), "Temporary authentication failure")
                };
                self.error(reply, RemoteError::Sasl(e).into());
            }
        }
    }
}

//! The server side: AUTHORIZATION, TRANSACTION and UPDATE states (RFC 1939 section 3).
//!
//! The session stores nothing and opens nothing: it asks the application through
//! [`ServerEvent`]s for every credential decision, for the maildrop (and its lock), for the
//! bytes of a message and for the deletions at `QUIT`, and pauses until the matching answer
//! method is called. Commands that arrive meanwhile wait their turn (PIPELINING).
//!
//! Rules it enforces:
//! - message numbers are 1..=n and must not be marked as deleted (`RETR 0`, `DELE` twice and
//!   `LIST` of a deleted message get `-ERR`); `TOP n 0` sends the header and the blank line;
//! - deletions happen only in the UPDATE state, after `QUIT` in TRANSACTION: a connection that
//!   drops deletes nothing;
//! - `STLS` discards (and reports) the bytes that came after it, and starts over in a fresh
//!   AUTHORIZATION state once TLS is up;
//! - plaintext logins (`USER`/`PASS`, `PLAIN`, `LOGIN`) are refused on an unprotected channel
//!   when TLS is available, unless [`ServerConfig::plaintext_needs_tls`] is off;
//! - after [`ServerConfig::max_login_failures`] failed logins the session closes.

use std::collections::VecDeque;

use mail_wire::dot::DotEncoder;
use mail_wire::line::{Frame, LineFramer};
use mail_wire::sasl::{
    decode_client_response, encode_challenge, ClientResponse, Mechanism, ServerMechanism,
    ServerOptions, ServerStep,
};
use mail_wire::Status;

use crate::codec::{apop_digest, parse_command_line, Encode};
use crate::error::{Error, LocalError, RemoteError};
use crate::types::*;

use super::top::TopFilter;

mod config;
pub use config::{MessageInfo, ServerConfig, ServerEvent};
/// The SASL credential question of [`ServerEvent::Auth`] and the answer to it, shared with
/// the other mail protocols (re-exported from [`mail_wire::sasl`]).
pub use mail_wire::sasl::{AuthAnswer, AuthRequest, Credentials, ScramHash, ScramKeys};
/// Where credentials are kept, so that their `Debug` output shows none.
pub use mail_wire::Secret;

#[derive(Debug, Clone, PartialEq, Eq)]
struct Message {
    info: MessageInfo,
    deleted: bool,
}

/// How a pending login goes on once the application answered.
#[derive(Debug)]
enum Via {
    UserPass {
        user: String,
    },
    Apop {
        user: String,
        digest: String,
    },
    Sasl {
        mech: Box<ServerMechanism>,
        user: Option<String>,
    },
}

#[derive(Debug)]
enum Phase {
    /// AUTHORIZATION; `user` after a successful `USER`.
    Authorization { user: Option<String> },
    /// Inside `AUTH`: the next line is a client response.
    Sasl {
        mech: Box<ServerMechanism>,
        user: Option<String>,
    },
    /// Waiting for a login decision.
    Login(Via),
    /// Waiting for the maildrop.
    Opening { user: String },
    /// TRANSACTION.
    Transaction,
    /// Streaming a message.
    Sending(Box<Sending>),
    /// UPDATE: waiting for the deletions.
    Update,
    /// Waiting for the TLS handshake.
    Tls,
    /// Over.
    Closed,
}

#[derive(Debug)]
struct Sending {
    started: bool,
    encoder: DotEncoder,
    top: Option<TopFilter>,
    size: u64,
}

/// A POP3 server session for one connection.
#[derive(Debug)]
pub struct Server {
    config: ServerConfig,
    timestamp: Option<String>,
    phase: Phase,
    framer: LineFramer,
    input: Vec<u8>,
    out: Vec<u8>,
    events: VecDeque<ServerEvent>,
    messages: Vec<Message>,
    failures: u32,
    tls: bool,
    utf8: bool,
}

fn reply(ok: bool, code: Option<ResponseCode<'static>>, text: &str) -> Reply<'static> {
    Reply {
        ok,
        code,
        text: Text::new(text.replace(['\r', '\n', '\0'], " ")).unwrap_or_default(),
    }
}

impl Server {
    /// A session that greets the client at once. `apop_timestamp` (`<unique@host>`, unique per
    /// connection: process id, clock and a counter are the usual parts) enables `APOP`.
    pub fn new(config: ServerConfig, apop_timestamp: Option<String>) -> Self {
        let timestamp = apop_timestamp.filter(|t| {
            t.starts_with('<') && t.ends_with('>') && t.bytes().all(|b| (0x21..=0x7e).contains(&b))
        });
        let mut server = Self {
            framer: LineFramer::new(config.parse.line_config()),
            tls: config.tls_active,
            config,
            timestamp,
            phase: Phase::Authorization { user: None },
            input: Vec::new(),
            out: Vec::new(),
            events: VecDeque::new(),
            messages: Vec::new(),
            failures: 0,
            utf8: false,
        };
        let greeting = match &server.timestamp {
            Some(t) => format!("POP3 server ready {t}"),
            None => String::from("POP3 server ready"),
        };
        server.send(&reply(true, None, &greeting));
        server
    }

    /// Feeds bytes from the client.
    pub fn handle_input(&mut self, bytes: &[u8]) {
        match self.phase {
            Phase::Closed => {}
            Phase::Tls => {
                if !bytes.is_empty() {
                    self.events
                        .push_back(ServerEvent::PreTlsBytesDiscarded { count: bytes.len() });
                }
            }
            _ => {
                self.input.extend_from_slice(bytes);
                self.process();
                if self.input.len() > self.config.max_pipelined.max(self.config.parse.max_line) {
                    self.err(Some(ResponseCode::SysPerm), "too much pipelined input");
                    self.events
                        .push_back(ServerEvent::ClientError(Error::Remote(
                            RemoteError::Unexpected("more pipelined input than the limit"),
                        )));
                    self.close();
                }
            }
        }
    }

    /// The client closed the connection. Nothing is deleted unless `QUIT` was answered.
    pub fn handle_eof(&mut self) {
        if !matches!(self.phase, Phase::Closed | Phase::Update) {
            self.close();
        }
    }

    /// The next event, if any.
    #[must_use]
    pub fn poll_event(&mut self) -> Option<ServerEvent> {
        self.events.pop_front()
    }

    /// Moves the bytes to send into `out`; returns how many.
    pub fn poll_transmit(&mut self, out: &mut Vec<u8>) -> usize {
        let n = self.out.len();
        out.append(&mut self.out);
        n
    }

    /// Whether the session is over.
    pub fn is_closed(&self) -> bool {
        matches!(self.phase, Phase::Closed)
    }

    /// Whether the session is in the TRANSACTION state (or streaming a message in it).
    pub fn is_transaction(&self) -> bool {
        matches!(self.phase, Phase::Transaction | Phase::Sending(_))
    }

    /// The capabilities the session announces now.
    pub fn capabilities(&self) -> Vec<Capability<'static>> {
        let mut caps = vec![Capability::Top, Capability::Uidl];
        let plaintext_ok = self.plaintext_ok();
        if self.config.user_pass && plaintext_ok {
            caps.push(Capability::User);
        }
        let mechs: Vec<Mechanism> = self
            .config
            .mechanisms
            .iter()
            .filter(|m| plaintext_ok || !m.is_plaintext())
            .cloned()
            .collect();
        if !mechs.is_empty() {
            caps.push(Capability::Sasl(mechs));
        }
        caps.extend([
            Capability::RespCodes,
            Capability::Pipelining,
            Capability::Utf8 { user: false },
            Capability::Lang,
        ]);
        if let Some(seconds) = self.config.login_delay {
            caps.push(Capability::LoginDelay {
                seconds,
                per_user: false,
            });
        }
        if let Some(policy) = self.config.expire {
            caps.push(Capability::Expire {
                policy,
                per_user: false,
            });
        }
        if self.config.tls_available && !self.tls && self.is_authorization() {
            caps.push(Capability::Stls);
        }
        if let Some(imp) = &self.config.implementation {
            if let Ok(t) = Text::new(imp.clone()) {
                caps.push(Capability::Implementation(t));
            }
        }
        caps
    }

    fn is_authorization(&self) -> bool {
        matches!(self.phase, Phase::Authorization { .. })
    }

    fn plaintext_ok(&self) -> bool {
        self.tls || !self.config.tls_available || !self.config.plaintext_needs_tls
    }

    fn send(&mut self, r: &Reply<'_>) {
        r.write_to(&mut self.out);
    }

    fn ok(&mut self, text: &str) {
        self.send(&reply(true, None, text));
    }

    fn err(&mut self, code: Option<ResponseCode<'static>>, text: &str) {
        self.send(&reply(false, code, text));
    }

    fn close(&mut self) {
        self.phase = Phase::Closed;
        self.input.clear();
        self.events.push_back(ServerEvent::Closed);
    }

    /// Handles buffered lines until the session must wait.
    fn process(&mut self) {
        loop {
            let waiting_for_line = matches!(
                self.phase,
                Phase::Authorization { .. } | Phase::Transaction | Phase::Sasl { .. }
            );
            if !waiting_for_line {
                return;
            }
            let (line, used) = match self.framer.decode(&self.input) {
                Ok(Status::Complete(Frame::Line(line), used)) => (line.content.to_vec(), used),
                Ok(Status::Complete(Frame::Skipped, used)) => {
                    self.input.drain(..used);
                    continue;
                }
                Ok(Status::Incomplete) => return,
                Err(e) => {
                    let used = e.consumed();
                    self.input.drain(..used.min(self.input.len()));
                    self.err(None, "line too long or not ended by CRLF");
                    self.events
                        .push_back(ServerEvent::ClientError(Error::Remote(RemoteError::Line(
                            e,
                        ))));
                    if matches!(self.phase, Phase::Sasl { .. }) {
                        self.login_failed(None);
                    }
                    continue;
                }
            };
            self.input.drain(..used);
            if matches!(self.phase, Phase::Sasl { .. }) {
                self.sasl_line(&line);
            } else {
                self.command_line(&line);
            }
        }
    }

    fn command_line(&mut self, line: &[u8]) {
        let options = self.config.parse;
        let command = match parse_command_line(line, &options) {
            Ok(c) => c.into_owned(),
            Err(e) => {
                let text = match &e {
                    Error::Remote(RemoteError::Command { expected, .. }) => {
                        format!("expected {expected}")
                    }
                    Error::Remote(RemoteError::Sasl(_)) => String::from("invalid initial response"),
                    _ => String::from("syntax error"),
                };
                let text = match text.as_str() {
                    "expected a known command" | "expected a keyword of 3 or 4 letters" => {
                        String::from("unknown command")
                    }
                    _ => text,
                };
                self.err(None, &text);
                self.events.push_back(ServerEvent::ClientError(e));
                return;
            }
        };
        let authorization = self.is_authorization();
        match (authorization, command) {
            (_, Command::Capa) => {
                self.ok("Capability list follows");
                for cap in self.capabilities() {
                    cap.write_to(&mut self.out);
                }
                self.out.extend_from_slice(b".\r\n");
            }
            (_, Command::Noop) if !authorization => self.ok(""),
            (_, Command::Quit) => {
                if authorization {
                    self.ok("bye");
                    self.close();
                } else {
                    let deleted: Vec<usize> = self
                        .messages
                        .iter()
                        .enumerate()
                        .filter(|(_, m)| m.deleted)
                        .map(|(i, _)| i)
                        .collect();
                    self.phase = Phase::Update;
                    self.events.push_back(ServerEvent::Update { deleted });
                }
            }
            (_, Command::Lang(None)) => {
                self.ok("Language listing follows");
                self.out.extend_from_slice(b"en English\r\n.\r\n");
            }
            (_, Command::Lang(Some(range))) => match range.as_str() {
                r if r.eq_ignore_ascii_case("en") || r == "*" => self.ok("en Language changed"),
                _ => self.err(None, "invalid language"),
            },
            (true, command) => self.authorization_command(command),
            (false, command) => self.transaction_command(command),
        }
    }

    fn authorization_command(&mut self, command: Command<'static>) {
        let plaintext_ok = self.plaintext_ok();
        match command {
            Command::Stls => {
                if self.tls {
                    self.err(None, "Command not permitted when TLS active");
                } else if !self.config.tls_available {
                    self.err(None, "TLS not available");
                } else if self.utf8 {
                    self.err(None, "STLS not permitted after UTF8");
                } else {
                    self.ok("Begin TLS negotiation");
                    self.phase = Phase::Tls;
                    let discarded = self.input.len();
                    self.input.clear();
                    self.framer.reset();
                    self.events.push_back(ServerEvent::StartTls);
                    if discarded > 0 {
                        self.events
                            .push_back(ServerEvent::PreTlsBytesDiscarded { count: discarded });
                    }
                }
            }
            Command::Utf8 => {
                self.utf8 = true;
                self.ok("UTF8 enabled");
            }
            Command::User(name) => {
                if !self.config.user_pass {
                    self.err(None, "USER not supported, use AUTH");
                } else if !plaintext_ok {
                    self.err(Some(ResponseCode::Auth), "use STLS before USER/PASS");
                } else {
                    self.phase = Phase::Authorization {
                        user: Some(name.as_str().to_owned()),
                    };
                    self.ok("send PASS");
                }
            }
            Command::Pass(password) => {
                let user = match &mut self.phase {
                    Phase::Authorization { user } => user.take(),
                    _ => None,
                };
                match user {
                    Some(user) => {
                        self.phase = Phase::Login(Via::UserPass { user: user.clone() });
                        self.events.push_back(ServerEvent::Auth(AuthRequest::Verify(
                            Credentials::Password {
                                authzid: None,
                                authcid: user,
                                password: Secret::new(password.expose().to_owned()),
                            },
                        )));
                    }
                    None => self.err(None, "USER first"),
                }
            }
            Command::Apop { name, digest } => {
                if self.timestamp.is_none() {
                    self.err(None, "APOP not supported");
                } else {
                    let user = name.as_str().to_owned();
                    self.phase = Phase::Login(Via::Apop {
                        user: user.clone(),
                        digest: digest.as_str().to_ascii_lowercase(),
                    });
                    self.events
                        .push_back(ServerEvent::Auth(AuthRequest::LookupSecret {
                            authcid: user,
                        }));
                }
            }
            Command::Auth {
                mechanism,
                initial_response,
            } => {
                if !self.config.mechanisms.contains(&mechanism) {
                    self.err(None, "unsupported authentication mechanism");
                    return;
                }
                if mechanism.is_plaintext() && !plaintext_ok {
                    self.err(Some(ResponseCode::Auth), "use STLS before this mechanism");
                    return;
                }
                let options = ServerOptions::default()
                    .with_hostname(self.config.hostname.clone())
                    .with_max_response_len(self.config.parse.max_sasl_response);
                let mut mech = match ServerMechanism::new(&mechanism, options) {
                    Ok(m) => Box::new(m),
                    Err(_) => {
                        self.err(Some(ResponseCode::SysTemp), "authentication unavailable");
                        return;
                    }
                };
                let step = mech.start(initial_response.as_ref().map(|r| r.expose().as_slice()));
                self.sasl_step(mech, None, step);
            }
            Command::Stat
            | Command::List(_)
            | Command::Retr(_)
            | Command::Dele(_)
            | Command::Top { .. }
            | Command::Uidl(_)
            | Command::Rset
            | Command::Noop => self.err(None, "not allowed before login"),
            Command::Capa | Command::Quit | Command::Lang(_) => {}
        }
    }

    fn sasl_line(&mut self, line: &[u8]) {
        let Phase::Sasl { mech, user } =
            std::mem::replace(&mut self.phase, Phase::Authorization { user: None })
        else {
            return;
        };
        let mut mech = mech;
        match decode_client_response(line, self.config.parse.max_sasl_response) {
            Ok(ClientResponse::Cancel) => self.err(None, "authentication cancelled"),
            Ok(ClientResponse::Response(r)) => {
                let step = mech.handle_response(&r);
                self.sasl_step(mech, user, step);
            }
            Err(e) => {
                self.events
                    .push_back(ServerEvent::ClientError(Error::Remote(RemoteError::Sasl(
                        e,
                    ))));
                self.login_failed(user);
            }
        }
    }

    fn sasl_step(
        &mut self,
        mut mech: Box<ServerMechanism>,
        user: Option<String>,
        step: Result<ServerStep, mail_wire::sasl::SaslError>,
    ) {
        match step.map(ServerStep::into_request) {
            Ok(Ok(request)) => {
                // The user for LoginFailed: the one the request names, or the one so far.
                let user = request.user().map(str::to_owned).or(user);
                self.phase = Phase::Login(Via::Sasl { mech, user });
                self.events.push_back(ServerEvent::Auth(request));
            }
            Ok(Err(ServerStep::Challenge(c))) => {
                self.out.extend_from_slice(b"+ ");
                self.out.extend_from_slice(encode_challenge(&c).as_bytes());
                self.out.extend_from_slice(b"\r\n");
                self.phase = Phase::Sasl { mech, user };
            }
            Ok(Err(ServerStep::Success(outcome))) => {
                let name = outcome
                    .authzid
                    .or(outcome.authcid)
                    .or(user)
                    .unwrap_or_default();
                self.open(name);
            }
            Ok(Err(_)) => self.login_failed(user),
            Err(e) => {
                if e.is_remote() {
                    self.events
                        .push_back(ServerEvent::ClientError(Error::Remote(RemoteError::Sasl(
                            e,
                        ))));
                }
                let _ = &mut mech;
                self.login_failed(user);
            }
        }
    }

    fn login_failed(&mut self, user: Option<String>) {
        self.failures += 1;
        self.events.push_back(ServerEvent::LoginFailed {
            user,
            failures: self.failures,
        });
        if self.failures >= self.config.max_login_failures.max(1) {
            self.err(Some(ResponseCode::Auth), "authentication failed, closing");
            self.close();
        } else {
            self.err(Some(ResponseCode::Auth), "authentication failed");
            self.phase = Phase::Authorization { user: None };
        }
    }

    fn open(&mut self, user: String) {
        self.phase = Phase::Opening { user: user.clone() };
        self.events.push_back(ServerEvent::OpenMaildrop { user });
    }

    fn take_login(&mut self, method: &'static str) -> Result<Via, Error> {
        match std::mem::replace(&mut self.phase, Phase::Closed) {
            Phase::Login(via) => Ok(via),
            other => {
                self.phase = other;
                Err(Error::Local(LocalError::NoPending {
                    method,
                    event: "login",
                }))
            }
        }
    }

    /// Answers a pending [`ServerEvent::Auth`]: [`AuthAnswer::Verified`] for a `Verify`
    /// (`USER`/`PASS` or SASL), [`AuthAnswer::Secret`] for a `LookupSecret` (`APOP` or
    /// CRAM-MD5), [`AuthAnswer::ScramKeys`] for a `LookupScram`. For `USER`/`PASS` and `APOP`
    /// an answer of the wrong kind is an error and the question stays pending; inside `AUTH`
    /// it ends the exchange as a failed login.
    pub fn auth_answer(&mut self, answer: AuthAnswer) -> Result<(), Error> {
        match (self.take_login("auth_answer")?, answer) {
            (Via::UserPass { user }, AuthAnswer::Verified(ok)) => {
                if ok {
                    self.open(user);
                } else {
                    self.login_failed(Some(user));
                }
            }
            (Via::Apop { user, digest }, AuthAnswer::Secret(secret)) => {
                let good = secret.is_some_and(|s| {
                    let want = apop_digest(self.timestamp.as_deref().unwrap_or(""), s.expose());
                    want.len() == digest.len()
                        && want
                            .bytes()
                            .zip(digest.bytes())
                            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                            == 0
                });
                if good {
                    self.open(user);
                } else {
                    self.login_failed(Some(user));
                }
            }
            (Via::Sasl { mut mech, user }, answer) => {
                let step = mech.answer(answer);
                self.sasl_step(mech, user, step);
            }
            (via, _) => {
                let event = match via {
                    Via::Apop { .. } => "Auth(LookupSecret)",
                    _ => "Auth(Verify)",
                };
                self.phase = Phase::Login(via);
                return Err(Error::Local(LocalError::NoPending {
                    method: "auth_answer",
                    event,
                }));
            }
        }
        self.process();
        Ok(())
    }

    fn take_opening(&mut self, method: &'static str) -> Result<String, Error> {
        match &self.phase {
            Phase::Opening { user } => Ok(user.clone()),
            _ => Err(Error::Local(LocalError::NoPending {
                method,
                event: "OpenMaildrop",
            })),
        }
    }

    /// Answers [`ServerEvent::OpenMaildrop`]: the maildrop is locked, with these messages.
    pub fn maildrop_opened(&mut self, messages: Vec<MessageInfo>) -> Result<(), Error> {
        let user = self.take_opening("maildrop_opened")?;
        self.messages = messages
            .into_iter()
            .map(|info| Message {
                info,
                deleted: false,
            })
            .collect();
        self.phase = Phase::Transaction;
        let (n, size) = self.stat();
        self.ok(&format!(
            "{user}'s maildrop has {n} messages ({size} octets)"
        ));
        self.process();
        Ok(())
    }

    /// Answers [`ServerEvent::OpenMaildrop`]: another session holds the lock (`[IN-USE]`).
    pub fn maildrop_locked(&mut self) -> Result<(), Error> {
        self.take_opening("maildrop_locked")?;
        self.phase = Phase::Authorization { user: None };
        self.err(
            Some(ResponseCode::InUse),
            "maildrop locked by another session",
        );
        self.process();
        Ok(())
    }

    /// Answers [`ServerEvent::OpenMaildrop`]: the maildrop cannot be opened (`[SYS/TEMP]`).
    pub fn maildrop_unavailable(&mut self) -> Result<(), Error> {
        self.take_opening("maildrop_unavailable")?;
        self.phase = Phase::Authorization { user: None };
        self.err(Some(ResponseCode::SysTemp), "maildrop unavailable");
        self.process();
        Ok(())
    }

    /// Answers [`ServerEvent::OpenMaildrop`]: the user logged in too recently
    /// (`-ERR [LOGIN-DELAY]`, RFC 2449 section 8.1.1). Counts as a failed login.
    pub fn login_too_soon(&mut self) -> Result<(), Error> {
        let user = self.take_opening("login_too_soon")?;
        self.phase = Phase::Authorization { user: None };
        self.failures += 1;
        self.events.push_back(ServerEvent::LoginFailed {
            user: Some(user),
            failures: self.failures,
        });
        self.err(Some(ResponseCode::LoginDelay), "logged in too recently");
        if self.failures >= self.config.max_login_failures.max(1) {
            self.close();
        }
        self.process();
        Ok(())
    }

    fn stat(&self) -> (usize, u64) {
        self.messages
            .iter()
            .filter(|m| !m.deleted)
            .fold((0, 0), |(n, s), m| (n + 1, s + m.info.size))
    }

    /// The index of message `n`, or the `-ERR` text RFC 1939 prescribes.
    fn lookup(&self, n: u32) -> Result<usize, String> {
        let index = (n as usize).checked_sub(1).ok_or("no such message")?;
        match self.messages.get(index) {
            None => Err(String::from("no such message")),
            Some(m) if m.deleted => Err(format!("message {n} already deleted")),
            Some(_) => Ok(index),
        }
    }

    fn transaction_command(&mut self, command: Command<'static>) {
        match command {
            Command::Stat => {
                let (n, size) = self.stat();
                self.ok(&format!("{n} {size}"));
            }
            Command::List(None) => {
                let (n, size) = self.stat();
                self.ok(&format!("{n} messages ({size} octets)"));
                for (i, m) in self.messages.iter().enumerate().filter(|(_, m)| !m.deleted) {
                    let line = ScanListing {
                        message: u32::try_from(i + 1).unwrap_or(u32::MAX),
                        size: m.info.size,
                    };
                    line.write_to(&mut self.out);
                }
                self.out.extend_from_slice(b".\r\n");
            }
            Command::Uidl(None) => {
                self.ok("unique-id listing follows");
                for (i, m) in self.messages.iter().enumerate().filter(|(_, m)| !m.deleted) {
                    let line = UniqueIdListing {
                        message: u32::try_from(i + 1).unwrap_or(u32::MAX),
                        uid: m.info.uid.clone(),
                    };
                    line.write_to(&mut self.out);
                }
                self.out.extend_from_slice(b".\r\n");
            }
            Command::List(Some(n)) => match self.lookup(n) {
                Ok(i) => {
                    let size = self.messages.get(i).map_or(0, |m| m.info.size);
                    self.ok(&format!("{n} {size}"));
                }
                Err(e) => self.err(None, &e),
            },
            Command::Uidl(Some(n)) => match self.lookup(n) {
                Ok(i) => {
                    let uid = self
                        .messages
                        .get(i)
                        .map(|m| m.info.uid.to_string())
                        .unwrap_or_default();
                    self.ok(&format!("{n} {uid}"));
                }
                Err(e) => self.err(None, &e),
            },
            Command::Retr(n) | Command::Top { message: n, .. } => {
                let top = match command {
                    Command::Top { lines, .. } => Some(lines),
                    _ => None,
                };
                match self.lookup(n) {
                    Ok(index) => {
                        let size = self.messages.get(index).map_or(0, |m| m.info.size);
                        self.phase = Phase::Sending(Box::new(Sending {
                            started: false,
                            encoder: DotEncoder::new(),
                            top: top.map(TopFilter::new),
                            size,
                        }));
                        self.events.push_back(ServerEvent::Retrieve {
                            message: n,
                            index,
                            top_lines: top,
                        });
                    }
                    Err(e) => self.err(None, &e),
                }
            }
            Command::Dele(n) => match self.lookup(n) {
                Ok(i) => {
                    if let Some(m) = self.messages.get_mut(i) {
                        m.deleted = true;
                    }
                    self.ok(&format!("message {n} deleted"));
                }
                Err(e) => self.err(None, &e),
            },
            Command::Rset => {
                for m in &mut self.messages {
                    m.deleted = false;
                }
                let (n, size) = self.stat();
                self.ok(&format!("maildrop has {n} messages ({size} octets)"));
            }
            Command::Noop => self.ok(""),
            Command::User(_)
            | Command::Pass(_)
            | Command::Apop { .. }
            | Command::Auth { .. }
            | Command::Stls
            | Command::Utf8 => self.err(None, "not allowed after login"),
            Command::Capa | Command::Quit | Command::Lang(_) => {}
        }
    }

    fn sending(&mut self, method: &'static str) -> Result<&mut Sending, Error> {
        match &mut self.phase {
            Phase::Sending(s) => Ok(s),
            _ => Err(Error::Local(LocalError::NoPending {
                method,
                event: "Retrieve",
            })),
        }
    }

    /// Answers [`ServerEvent::Retrieve`] with the next piece of the stored message. Returns
    /// whether more is wanted (`false` once `TOP` has its lines: skip to
    /// [`Server::message_end`]). Drain [`Server::poll_transmit`] between pieces to bound memory.
    pub fn message_data(&mut self, chunk: &[u8]) -> Result<bool, Error> {
        let s = self.sending("message_data")?;
        let mut out = Vec::with_capacity(chunk.len() + 64);
        if !s.started {
            s.started = true;
            reply(true, None, &format!("{} octets", s.size)).write_to(&mut out);
        }
        let encoder = &mut s.encoder;
        let more = match &mut s.top {
            Some(filter) => {
                filter.filter(chunk, |piece| encoder.encode(piece, &mut out));
                !filter.done
            }
            None => {
                encoder.encode(chunk, &mut out);
                true
            }
        };
        self.out.append(&mut out);
        Ok(more)
    }

    /// Ends the message of [`ServerEvent::Retrieve`].
    pub fn message_end(&mut self) -> Result<(), Error> {
        let s = self.sending("message_end")?;
        let mut out = Vec::new();
        if !s.started {
            reply(true, None, &format!("{} octets", s.size)).write_to(&mut out);
        }
        s.encoder.finish(&mut out);
        self.out.append(&mut out);
        self.phase = Phase::Transaction;
        self.process();
        Ok(())
    }

    /// Answers [`ServerEvent::Retrieve`]: the message cannot be read. Before any
    /// [`Server::message_data`] this is a `-ERR [SYS/TEMP]`; after, the body is cut short and
    /// the session closes, since a reply cannot be taken back.
    pub fn message_unavailable(&mut self) -> Result<(), Error> {
        let started = self.sending("message_unavailable")?.started;
        if started {
            self.close();
        } else {
            self.phase = Phase::Transaction;
            self.err(Some(ResponseCode::SysTemp), "message cannot be read");
            self.process();
        }
        Ok(())
    }

    /// Answers [`ServerEvent::Update`]: whether every marked message was removed.
    pub fn update_done(&mut self, all_removed: bool) -> Result<(), Error> {
        if !matches!(self.phase, Phase::Update) {
            return Err(Error::Local(LocalError::NoPending {
                method: "update_done",
                event: "Update",
            }));
        }
        if all_removed {
            self.ok("bye");
        } else {
            self.err(
                Some(ResponseCode::SysTemp),
                "some deleted messages not removed",
            );
        }
        self.close();
        Ok(())
    }

    /// The TLS handshake after [`ServerEvent::StartTls`] succeeded: the session starts over in
    /// a fresh AUTHORIZATION state on the protected channel.
    pub fn tls_established(&mut self) -> Result<(), Error> {
        if !matches!(self.phase, Phase::Tls) {
            return Err(Error::Local(LocalError::NoPending {
                method: "tls_established",
                event: "StartTls",
            }));
        }
        self.tls = true;
        self.utf8 = false;
        self.input.clear();
        self.framer = LineFramer::new(self.config.parse.line_config());
        self.phase = Phase::Authorization { user: None };
        Ok(())
    }
}

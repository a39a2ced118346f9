//! The client side: greeting (and its APOP timestamp), CAPA, STLS, AUTH / USER-PASS / APOP, the
//! TRANSACTION commands with streamed message bodies, and pipelining when the server offers
//! it, with every reply matched to its command.
//!
//! Commands are verbs that return a [`Handle`]; the reply comes back as a
//! [`ClientEvent::Reply`] with the same handle, in the order the commands were issued.
//! `RETR` and `TOP` bodies arrive as [`ClientEvent::Body`] pieces and a
//! [`ClientEvent::BodyEnd`].
//!
//! A blocking driver over `std::net` that prints the unique-ids of a maildrop:
//!
//! ```no_run
//! use std::io::{Read, Write};
//! use pop3_proto::session::client::{Client, ClientEvent, Outcome};
//!
//! let mut sock = std::net::TcpStream::connect("127.0.0.1:1110")?;
//! let mut client = Client::new(Default::default());
//! client.user("ann")?;
//! client.pass("secret")?;
//! let uidl = client.uidl(None)?;
//! client.quit()?;
//! let (mut buf, mut out) = ([0u8; 4096], Vec::new());
//! while !client.is_closed() {
//!     client.poll_transmit(&mut out);
//!     sock.write_all(&out)?;
//!     out.clear();
//!     let n = sock.read(&mut buf)?;
//!     if n == 0 { client.handle_eof(); } else { client.handle_input(&buf[..n]); }
//!     while let Some(event) = client.poll_event() {
//!         match event {
//!             ClientEvent::Reply { handle, outcome: Outcome::UniqueIds(ids), .. } if handle == uidl => {
//!                 for id in ids { println!("{} {}", id.message, id.uid); }
//!             }
//!             ClientEvent::Reply { outcome: Outcome::Err(r), command, .. } => {
//!                 eprintln!("{command}: -ERR {}", r.text);
//!             }
//!             ClientEvent::Error(e) => eprintln!("{e}"),
//!             _ => {}
//!         }
//!     }
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::VecDeque;

use mail_wire::sasl::{decode_challenge, encode_response, ClientMechanism, Mechanism};
use mail_wire::Status;

use crate::codec::{
    apop_digest, parse_capability, parse_language_listing, parse_scan_listing, parse_scan_reply,
    parse_stat, parse_unique_id_listing, parse_unique_id_reply, Encode, ParseOptions, ReplyDecoder,
    ReplyPart,
};
use crate::error::{Error, LocalError, RemoteError};
use crate::types::*;

/// Client settings.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ClientConfig {
    /// Parser limits and policies.
    pub parse: ParseOptions,
    /// The largest LIST, UIDL, CAPA or LANG listing. Default 64 MiB: a UIDL of a million
    /// messages fits.
    pub max_listing: usize,
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            parse: ParseOptions::default(),
            max_listing: 64 << 20,
        }
    }
}

/// Identifies a command and its reply.
pub type Handle = u64;

/// What a command's reply said.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// `+OK` to a command without further data (USER, PASS, APOP, AUTH, DELE, NOOP, RSET,
    /// QUIT, STLS, UTF8, `LANG tag`); for RETR and TOP, the `+OK` before the body.
    Ok(Reply<'static>),
    /// `-ERR`.
    Err(Reply<'static>),
    /// `STAT`.
    Stat(MaildropStat),
    /// `LIST` (one entry for `LIST n`).
    Scan(Vec<ScanListing>),
    /// `UIDL` (one entry for `UIDL n`).
    UniqueIds(Vec<UniqueIdListing<'static>>),
    /// `CAPA`.
    Capabilities(Vec<Capability<'static>>),
    /// `LANG` without a range.
    Languages(Vec<LanguageListing<'static>>),
    /// A `+OK` reply whose content is wrong (a LIST naming another message, a STAT without
    /// numbers). The session stays in step.
    Malformed(Error),
}

/// What the client session tells the application.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClientEvent {
    /// The server's greeting. `-ERR` means the server refuses the session.
    Greeting {
        /// The greeting line.
        reply: Reply<'static>,
        /// The APOP timestamp, if the greeting holds one.
        apop_timestamp: Option<String>,
    },
    /// The reply to the command with this handle.
    Reply {
        /// The handle the command returned.
        handle: Handle,
        /// The command keyword.
        command: &'static str,
        /// What the server said.
        outcome: Outcome,
    },
    /// A piece of a RETR or TOP body, dot-unstuffed.
    Body {
        /// The command's handle.
        handle: Handle,
        /// The bytes.
        data: Vec<u8>,
    },
    /// The RETR or TOP body ended. `error` holds a line-ending policy violation, if any.
    BodyEnd {
        /// The command's handle.
        handle: Handle,
        /// The body broke the line-ending policy at this point.
        error: Option<Error>,
    },
    /// `STLS` was accepted: run the TLS handshake, then call [`Client::tls_established`].
    StartTls,
    /// The server broke the protocol or the connection ended early; the session is over.
    Error(Error),
    /// The session is over (after QUIT, or an error).
    Closed,
}

#[derive(Debug)]
struct Pending {
    handle: Handle,
    command: Command<'static>,
    sasl: Option<ClientMechanism>,
}

/// A POP3 client session.
#[derive(Debug)]
pub struct Client {
    config: ClientConfig,
    decoder: ReplyDecoder,
    input: Vec<u8>,
    out: Vec<u8>,
    events: VecDeque<ClientEvent>,
    queued: VecDeque<Pending>,
    sent: VecDeque<Pending>,
    reply_started: bool,
    greeted: bool,
    apop_timestamp: Option<String>,
    capabilities: Option<Vec<Capability<'static>>>,
    listing: Vec<u8>,
    body_error: bool,
    /// Bytes after the reply being handled, in the current input.
    unconsumed: usize,
    message_count: Option<u32>,
    next_handle: Handle,
    tls_pending: bool,
    tls: bool,
    closed: bool,
}

impl Client {
    /// A session waiting for the server's greeting.
    pub fn new(config: ClientConfig) -> Self {
        Self {
            decoder: ReplyDecoder::new(&config.parse),
            config,
            input: Vec::new(),
            out: Vec::new(),
            events: VecDeque::new(),
            queued: VecDeque::new(),
            sent: VecDeque::new(),
            reply_started: false,
            greeted: false,
            apop_timestamp: None,
            capabilities: None,
            listing: Vec::new(),
            body_error: false,
            unconsumed: 0,
            message_count: None,
            next_handle: 1,
            tls_pending: false,
            tls: false,
            closed: false,
        }
    }

    /// The capabilities from the last `CAPA` reply (forgotten at the TLS switch).
    pub fn capabilities(&self) -> Option<&[Capability<'static>]> {
        self.capabilities.as_deref()
    }

    /// Whether the server offers this capability (by the last `CAPA`).
    pub fn has(&self, wanted: impl Fn(&Capability<'static>) -> bool) -> bool {
        self.capabilities.iter().flatten().any(wanted)
    }

    /// The SASL mechanisms the server offers (by the last `CAPA`).
    pub fn sasl_mechanisms(&self) -> Vec<Mechanism> {
        self.capabilities
            .iter()
            .flatten()
            .filter_map(|c| match c {
                Capability::Sasl(m) => Some(m.clone()),
                _ => None,
            })
            .flatten()
            .collect()
    }

    /// The APOP timestamp of the greeting.
    pub fn apop_timestamp(&self) -> Option<&str> {
        self.apop_timestamp.as_deref()
    }

    /// Whether TLS is up (after [`Client::tls_established`]).
    pub fn is_tls(&self) -> bool {
        self.tls
    }

    /// Whether the session is over.
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// Whether commands are waiting for replies.
    pub fn has_outstanding(&self) -> bool {
        !self.sent.is_empty() || !self.queued.is_empty()
    }

    /// The next event.
    #[must_use]
    pub fn poll_event(&mut self) -> Option<ClientEvent> {
        self.events.pop_front()
    }

    /// Moves the bytes to send into `out`; returns how many.
    pub fn poll_transmit(&mut self, out: &mut Vec<u8>) -> usize {
        let n = self.out.len();
        out.append(&mut self.out);
        n
    }

    fn pipelining(&self) -> bool {
        self.has(|c| *c == Capability::Pipelining)
    }

    /// Queues a command and returns its handle.
    pub fn enqueue(&mut self, command: Command<'_>) -> Result<Handle, Error> {
        self.enqueue_with(command.into_owned(), None)
    }

    fn enqueue_with(
        &mut self,
        command: Command<'static>,
        sasl: Option<ClientMechanism>,
    ) -> Result<Handle, Error> {
        if self.closed {
            return Err(Error::Local(LocalError::State {
                command: command.keyword(),
                why: "after the session ended",
            }));
        }
        let handle = self.next_handle;
        self.next_handle += 1;
        self.queued.push_back(Pending {
            handle,
            command,
            sasl,
        });
        self.flush_queue();
        Ok(handle)
    }

    fn is_barrier(command: &Command<'_>) -> bool {
        matches!(command, Command::Stls | Command::Auth { .. })
    }

    /// Sends queued commands as far as the protocol allows.
    fn flush_queue(&mut self) {
        if !self.greeted || self.tls_pending || self.closed {
            return;
        }
        while let Some(next) = self.queued.front() {
            let can_send = match self.sent.back() {
                None => true,
                Some(last) => {
                    self.pipelining()
                        && !Self::is_barrier(&last.command)
                        && !Self::is_barrier(&next.command)
                        && !matches!(last.command, Command::Quit)
                }
            };
            if !can_send {
                return;
            }
            let Some(p) = self.queued.pop_front() else {
                return;
            };
            p.command.write_to(&mut self.out);
            self.sent.push_back(p);
        }
    }

    /// `CAPA`.
    pub fn capa(&mut self) -> Result<Handle, Error> {
        self.enqueue(Command::Capa)
    }

    /// `STLS`. When accepted, [`ClientEvent::StartTls`] asks for the handshake.
    pub fn stls(&mut self) -> Result<Handle, Error> {
        self.enqueue(Command::Stls)
    }

    /// `USER name`.
    pub fn user(&mut self, name: &str) -> Result<Handle, Error> {
        self.enqueue(Command::User(Param::new(name)?))
    }

    /// `PASS password`.
    pub fn pass(&mut self, password: &str) -> Result<Handle, Error> {
        self.enqueue(Command::Pass(Password::new(password)?))
    }

    /// `APOP name digest`, with the digest made from the greeting's timestamp.
    pub fn apop(&mut self, name: &str, secret: &str) -> Result<Handle, Error> {
        let Some(stamp) = &self.apop_timestamp else {
            return Err(Error::Local(LocalError::State {
                command: "APOP",
                why: "without a timestamp in the greeting",
            }));
        };
        let digest = apop_digest(stamp, secret);
        self.enqueue(Command::Apop {
            name: Param::new(name)?,
            digest: Param::new(digest)?,
        })
    }

    /// `AUTH` with a SASL mechanism, sending its initial response on the command line.
    pub fn auth(&mut self, mut mechanism: ClientMechanism) -> Result<Handle, Error> {
        let initial_response = mechanism.initial_response().map(mail_wire::Secret::new);
        let command = Command::Auth {
            mechanism: mechanism.mechanism(),
            initial_response,
        };
        self.enqueue_with(command, Some(mechanism))
    }

    /// `STAT`.
    pub fn stat(&mut self) -> Result<Handle, Error> {
        self.enqueue(Command::Stat)
    }

    /// `LIST` or `LIST n`.
    pub fn list(&mut self, message: Option<u32>) -> Result<Handle, Error> {
        self.enqueue(Command::List(message))
    }

    /// `UIDL` or `UIDL n`.
    pub fn uidl(&mut self, message: Option<u32>) -> Result<Handle, Error> {
        self.enqueue(Command::Uidl(message))
    }

    /// `RETR n`.
    pub fn retr(&mut self, message: u32) -> Result<Handle, Error> {
        self.enqueue(Command::Retr(message))
    }

    /// `TOP n lines`.
    pub fn top(&mut self, message: u32, lines: u32) -> Result<Handle, Error> {
        self.enqueue(Command::Top { message, lines })
    }

    /// `DELE n`.
    pub fn dele(&mut self, message: u32) -> Result<Handle, Error> {
        self.enqueue(Command::Dele(message))
    }

    /// `RSET`.
    pub fn rset(&mut self) -> Result<Handle, Error> {
        self.enqueue(Command::Rset)
    }

    /// `NOOP`.
    pub fn noop(&mut self) -> Result<Handle, Error> {
        self.enqueue(Command::Noop)
    }

    /// `QUIT`.
    pub fn quit(&mut self) -> Result<Handle, Error> {
        self.enqueue(Command::Quit)
    }

    /// The TLS handshake after [`ClientEvent::StartTls`] succeeded: cached capabilities are
    /// forgotten (RFC 2595 section 4); send `CAPA` again.
    pub fn tls_established(&mut self) -> Result<(), Error> {
        if !self.tls_pending {
            return Err(Error::Local(LocalError::NoPending {
                method: "tls_established",
                event: "StartTls",
            }));
        }
        self.tls_pending = false;
        self.tls = true;
        self.capabilities = None;
        self.decoder.reset();
        self.input.clear();
        self.flush_queue();
        Ok(())
    }

    /// Feeds bytes from the server.
    pub fn handle_input(&mut self, bytes: &[u8]) {
        if self.closed {
            return;
        }
        if self.tls_pending {
            if !bytes.is_empty() {
                self.fail(RemoteError::PreTlsBytes { count: bytes.len() });
            }
            return;
        }
        // Decode straight from the caller's bytes when nothing is held back (the common case:
        // a body chunk), and keep only what could not be used yet.
        if self.input.is_empty() {
            let used = self.process(bytes);
            if !self.closed {
                self.input
                    .extend_from_slice(bytes.get(used..).unwrap_or_default());
            }
        } else {
            let mut input = std::mem::take(&mut self.input);
            input.extend_from_slice(bytes);
            let used = self.process(&input);
            if !self.closed {
                input.drain(..used.min(input.len()));
                self.input = input;
            }
        }
    }

    /// The server closed the connection.
    pub fn handle_eof(&mut self) {
        if self.closed {
            return;
        }
        if self.greeted && self.sent.is_empty() && self.input.is_empty() {
            self.closed = true;
            self.events.push_back(ClientEvent::Closed);
        } else {
            self.fail(RemoteError::Eof("before the reply was complete"));
        }
    }

    fn fail(&mut self, e: RemoteError) {
        if !self.closed {
            self.closed = true;
            self.input.clear();
            self.events.push_back(ClientEvent::Error(Error::Remote(e)));
            self.events.push_back(ClientEvent::Closed);
        }
    }

    /// Handles replies in `input`; returns how many bytes were used.
    fn process(&mut self, input: &[u8]) -> usize {
        let mut pos = 0;
        while !self.closed && !self.tls_pending {
            let rest = input.get(pos..).unwrap_or_default();
            if self.greeted && !self.reply_started {
                match self.sent.front() {
                    Some(p) => self.decoder.expect(p.command.reply_shape()),
                    None => {
                        if !rest.is_empty() {
                            self.fail(RemoteError::Unexpected("bytes without a command"));
                        }
                        return pos;
                    }
                }
                self.reply_started = true;
            }
            let handle = self.sent.front().map_or(0, |p| p.handle);
            let mut body = Vec::new();
            let in_body = self.decoder.in_body();
            let step = if in_body && self.is_listing() {
                let result = self.decoder.decode(rest, &mut self.listing);
                if self.listing.len() > self.config.max_listing {
                    let command = self.front_keyword();
                    self.fail(RemoteError::ListingTooLarge {
                        command,
                        limit: self.config.max_listing,
                    });
                    return pos;
                }
                result
            } else {
                self.decoder.decode(rest, &mut body)
            };
            let (part, used) = match step {
                Ok(Status::Complete(part, used)) => (part.into_owned_part(), used),
                Ok(Status::Incomplete) => return pos,
                Err(Error::Remote(e)) => {
                    self.fail(e);
                    return pos;
                }
                Err(Error::Local(_)) => return pos,
            };
            pos += used;
            self.unconsumed = input.len().saturating_sub(pos);
            match part {
                OwnedPart::Line(line) => self.on_line(line),
                OwnedPart::Body => {
                    if !body.is_empty() {
                        self.events
                            .push_back(ClientEvent::Body { handle, data: body });
                    }
                }
                OwnedPart::End(error) => {
                    if !body.is_empty() {
                        self.events
                            .push_back(ClientEvent::Body { handle, data: body });
                    }
                    self.on_body_end(error);
                }
            }
            if pos >= input.len() {
                return pos;
            }
        }
        pos
    }

    fn is_listing(&self) -> bool {
        self.sent.front().is_some_and(|p| {
            matches!(
                p.command,
                Command::List(None) | Command::Uidl(None) | Command::Capa | Command::Lang(None)
            )
        })
    }

    fn front_keyword(&self) -> &'static str {
        self.sent.front().map_or("?", |p| p.command.keyword())
    }

    fn on_line(&mut self, line: ResponseLine<'static>) {
        if !self.greeted {
            let ResponseLine::Status(reply) = line else {
                self.fail(RemoteError::Unexpected(
                    "a continuation instead of a greeting",
                ));
                return;
            };
            self.greeted = true;
            self.apop_timestamp = reply.apop_timestamp().map(str::to_owned);
            let ok = reply.ok;
            self.events.push_back(ClientEvent::Greeting {
                apop_timestamp: self.apop_timestamp.clone(),
                reply,
            });
            if ok {
                self.flush_queue();
            } else {
                self.closed = true;
                self.events.push_back(ClientEvent::Closed);
            }
            return;
        }
        let reply = match line {
            ResponseLine::Continuation(text) => {
                self.on_challenge(&text);
                return;
            }
            ResponseLine::Status(reply) => reply,
        };
        let Some(front) = self.sent.front_mut() else {
            return;
        };
        let handle = front.handle;
        let command = front.command.keyword();
        if !reply.ok {
            self.finish(ClientEvent::Reply {
                handle,
                command,
                outcome: Outcome::Err(reply),
            });
            return;
        }
        match &front.command {
            Command::Retr(_) | Command::Top { .. } => {
                self.body_error = false;
                self.events.push_back(ClientEvent::Reply {
                    handle,
                    command,
                    outcome: Outcome::Ok(reply),
                });
            }
            Command::List(None) | Command::Uidl(None) | Command::Capa | Command::Lang(None) => {
                self.listing.clear();
            }
            Command::Stat => {
                let outcome = match parse_stat(&reply) {
                    Ok(stat) => {
                        self.message_count = Some(stat.count);
                        Outcome::Stat(stat)
                    }
                    Err(e) => Outcome::Malformed(e),
                };
                self.finish(ClientEvent::Reply {
                    handle,
                    command,
                    outcome,
                });
            }
            Command::List(Some(n)) => {
                let n = *n;
                let outcome = match parse_scan_reply(&reply) {
                    Ok(s) if s.message == n => Outcome::Scan(vec![s]),
                    Ok(s) => Outcome::Malformed(wrong("LIST", n, s.message)),
                    Err(e) => Outcome::Malformed(e),
                };
                self.finish(ClientEvent::Reply {
                    handle,
                    command,
                    outcome,
                });
            }
            Command::Uidl(Some(n)) => {
                let n = *n;
                let outcome = match parse_unique_id_reply(&reply) {
                    Ok(u) if u.message == n => Outcome::UniqueIds(vec![UniqueIdListing {
                        message: u.message,
                        uid: u.uid.into_owned(),
                    }]),
                    Ok(u) => Outcome::Malformed(wrong("UIDL", n, u.message)),
                    Err(e) => Outcome::Malformed(e),
                };
                self.finish(ClientEvent::Reply {
                    handle,
                    command,
                    outcome,
                });
            }
            Command::Auth { .. } => {
                let result = match front.sasl.as_mut() {
                    Some(mech) => mech.success(None),
                    None => Ok(()),
                };
                if let Err(e) = result {
                    self.fail(RemoteError::Sasl(e));
                    return;
                }
                self.finish(ClientEvent::Reply {
                    handle,
                    command,
                    outcome: Outcome::Ok(reply),
                });
            }
            Command::Stls => {
                self.finish(ClientEvent::Reply {
                    handle,
                    command,
                    outcome: Outcome::Ok(reply),
                });
                if self.unconsumed > 0 {
                    let count = self.unconsumed;
                    self.fail(RemoteError::PreTlsBytes { count });
                    return;
                }
                self.tls_pending = true;
                self.events.push_back(ClientEvent::StartTls);
            }
            Command::Quit => {
                self.finish(ClientEvent::Reply {
                    handle,
                    command,
                    outcome: Outcome::Ok(reply),
                });
                self.closed = true;
                self.events.push_back(ClientEvent::Closed);
            }
            _ => self.finish(ClientEvent::Reply {
                handle,
                command,
                outcome: Outcome::Ok(reply),
            }),
        }
    }

    fn on_challenge(&mut self, text: &str) {
        let Some(front) = self.sent.front_mut() else {
            return;
        };
        let Some(mech) = front.sasl.as_mut() else {
            self.fail(RemoteError::Unexpected("a continuation outside AUTH"));
            return;
        };
        let response = decode_challenge(text.as_bytes(), self.config.parse.max_sasl_response)
            .and_then(|c| mech.step(&c));
        match response {
            Ok(r) => {
                self.out.extend_from_slice(encode_response(&r).as_bytes());
                self.out.extend_from_slice(b"\r\n");
            }
            Err(e) => {
                // Cancel the exchange; the server answers -ERR.
                self.out.extend_from_slice(b"*\r\n");
                if e.is_remote() {
                    self.events
                        .push_back(ClientEvent::Error(Error::Remote(RemoteError::Sasl(e))));
                }
            }
        }
    }

    fn on_body_end(&mut self, error: Option<mail_wire::dot::DotError>) {
        let Some(front) = self.sent.front() else {
            return;
        };
        let handle = front.handle;
        let command = front.command.keyword();
        let error = error.map(|e| Error::Remote(RemoteError::Body(e)));
        match &front.command {
            Command::Retr(_) | Command::Top { .. } => {
                self.finish(ClientEvent::BodyEnd { handle, error });
            }
            _ => {
                let listing = std::mem::take(&mut self.listing);
                let outcome = match error {
                    Some(e) => Outcome::Malformed(e),
                    None => self.parse_listing(&front.command, &listing),
                };
                if let Outcome::Capabilities(caps) = &outcome {
                    self.capabilities = Some(caps.clone());
                }
                self.finish(ClientEvent::Reply {
                    handle,
                    command,
                    outcome,
                });
            }
        }
    }

    fn parse_listing(&self, command: &Command<'static>, listing: &[u8]) -> Outcome {
        let lines = listing
            .strip_suffix(b"\r\n")
            .map(|l| {
                l.split(|&b| b == b'\n')
                    .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
            })
            .into_iter()
            .flatten();
        let keyword = command.keyword();
        let located = |index: usize, e: Error| match e {
            Error::Remote(RemoteError::Listing { expected, line, .. }) => {
                Error::Remote(RemoteError::Listing {
                    command: keyword,
                    index,
                    expected,
                    line,
                })
            }
            other => other,
        };
        let check = |n: u32| match self.message_count {
            Some(count) if n == 0 || n > count => Err(Error::Remote(RemoteError::NoSuchMessage {
                command: keyword,
                number: n,
                count,
            })),
            _ => Ok(()),
        };
        let result = match command {
            Command::List(None) => lines
                .enumerate()
                .map(|(i, l)| {
                    let s = parse_scan_listing(l).map_err(|e| located(i + 1, e))?;
                    check(s.message).map(|()| s)
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Outcome::Scan),
            Command::Uidl(None) => lines
                .enumerate()
                .map(|(i, l)| {
                    let u = parse_unique_id_listing(l).map_err(|e| located(i + 1, e))?;
                    check(u.message).map(|()| UniqueIdListing {
                        message: u.message,
                        uid: u.uid.into_owned(),
                    })
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Outcome::UniqueIds),
            Command::Capa => lines
                .enumerate()
                .map(|(i, l)| {
                    parse_capability(l)
                        .map(Capability::into_owned)
                        .map_err(|e| located(i + 1, e))
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Outcome::Capabilities),
            _ => lines
                .enumerate()
                .map(|(i, l)| {
                    parse_language_listing(l)
                        .map(|l| LanguageListing {
                            tag: l.tag.into_owned(),
                            description: l.description.map(Text::into_owned),
                        })
                        .map_err(|e| located(i + 1, e))
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Outcome::Languages),
        };
        result.unwrap_or_else(Outcome::Malformed)
    }

    fn finish(&mut self, event: ClientEvent) {
        self.events.push_back(event);
        self.sent.pop_front();
        self.reply_started = false;
        self.flush_queue();
    }
}

fn wrong(command: &'static str, asked: u32, got: u32) -> Error {
    Error::Remote(RemoteError::WrongMessage {
        command,
        asked,
        got,
    })
}

/// A [`ReplyPart`] that owns its strings.
enum OwnedPart {
    Line(ResponseLine<'static>),
    Body,
    End(Option<mail_wire::dot::DotError>),
}

impl ReplyPart<'_> {
    fn into_owned_part(self) -> OwnedPart {
        match self {
            ReplyPart::Line(ResponseLine::Status(r)) => {
                OwnedPart::Line(ResponseLine::Status(r.into_owned()))
            }
            ReplyPart::Line(ResponseLine::Continuation(c)) => OwnedPart::Line(
                ResponseLine::Continuation(std::borrow::Cow::Owned(c.into_owned())),
            ),
            ReplyPart::Body => OwnedPart::Body,
            ReplyPart::End(e) => OwnedPart::End(e),
        }
    }
}

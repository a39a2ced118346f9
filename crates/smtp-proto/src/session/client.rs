//! The client side: greeting, EHLO (HELO fallback), STARTTLS, AUTH with the best offered
//! mechanism, then transactions with MAIL, RCPT and DATA or BDAT, pipelined when the server
//! offers PIPELINING (RFC 2920), replies matched to commands in order.
//!
//! ```
//! use smtp_proto::session::client::{ClientConfig, ClientEvent, ClientSession, Envelope};
//! use smtp_proto::types::{Domain, ForwardPath, Mailbox, ReversePath};
//!
//! let mut client = ClientSession::new(ClientConfig::new(Domain::new("client.example").unwrap()));
//! let mut out = Vec::new();
//! client.handle_input(b"220 mx ESMTP\r\n");
//! client.poll_transmit(&mut out);
//! assert_eq!(out, b"EHLO client.example\r\n");
//! client.handle_input(b"250-mx\r\n250 PIPELINING\r\n");
//! assert!(matches!(client.poll_event(), Some(ClientEvent::Ready(_))));
//! let envelope = Envelope::new(
//!     ReversePath::Mailbox(Mailbox::parse("a@client.example").unwrap()),
//!     vec![ForwardPath::Mailbox(Mailbox::parse("b@mx.example").unwrap())],
//! );
//! client.send_mail(envelope, b"Subject: hi\r\n\r\nHello\r\n").unwrap();
//! out.clear();
//! client.poll_transmit(&mut out);
//! assert_eq!(out, b"MAIL FROM:<a@client.example>\r\nRCPT TO:<b@mx.example>\r\nDATA\r\n");
//! client.handle_input(b"250 OK\r\n250 OK\r\n354 go\r\n");
//! out.clear();
//! client.poll_transmit(&mut out);
//! assert_eq!(out, b"Subject: hi\r\n\r\nHello\r\n.\r\n");
//! client.handle_input(b"250 queued\r\n");
//! let Some(ClientEvent::Delivered(d)) = client.poll_event() else { panic!() };
//! assert!(d.is_success());
//! ```

use std::collections::VecDeque;

use mail_wire::dot::DotEncoder;
use mail_wire::sasl::{
    decode_challenge, encode_response, select_mechanism, ClientCredentials, ClientMechanism,
    DEFAULT_MAX_RESPONSE_LEN,
};
use mail_wire::Status;

use crate::codec::command::{Body, Command, MailParams, RcptParams};
use crate::codec::ehlo::{Capability, EhloReply};
use crate::codec::reply::{parse_reply, Reply};
use crate::error::{Error, LocalError, RemoteError};
use crate::types::{AuthMechanism, Domain, ForwardPath, ReversePath};

mod body;

use body::normalized_len;

/// When to use STARTTLS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TlsPolicy {
    /// Never.
    Never,
    /// When the server offers it.
    #[default]
    Opportunistic,
    /// Always; fail if the server does not offer it.
    Required,
}

/// How a client session behaves. Start from [`ClientConfig::new`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ClientConfig {
    /// Our name for EHLO.
    pub hostname: Domain<'static>,
    /// Speak LMTP (LHLO, one reply per recipient). Default false.
    pub lmtp: bool,
    /// STARTTLS policy. Default [`TlsPolicy::Opportunistic`].
    pub tls: TlsPolicy,
    /// The connection is already under TLS. Default false.
    pub tls_active: bool,
    /// Credentials for AUTH, if any. Default none.
    pub credentials: Option<ClientCredentials>,
    /// Allow PLAIN and LOGIN without TLS (for loopback). Default false.
    pub allow_plaintext_auth: bool,
    /// Pipeline when the server offers PIPELINING. Default true.
    pub pipelining: bool,
    /// Use BDAT when the server offers CHUNKING. Default false: DATA works everywhere, BDAT
    /// is used anyway for BINARYMIME.
    pub chunking: bool,
    /// Declare the message size with `SIZE=` when the server offers SIZE. Default true.
    pub declare_size: bool,
}

impl ClientConfig {
    /// The defaults documented on each field.
    pub fn new(hostname: Domain<'static>) -> Self {
        Self {
            hostname,
            lmtp: false,
            tls: TlsPolicy::Opportunistic,
            tls_active: false,
            credentials: None,
            allow_plaintext_auth: false,
            pipelining: true,
            chunking: false,
            declare_size: true,
        }
    }
}

/// Who a message goes from and to.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Envelope {
    /// The reverse path.
    pub from: ReversePath<'static>,
    /// The recipients with their parameters.
    pub recipients: Vec<(ForwardPath<'static>, RcptParams<'static>)>,
    /// MAIL parameters; SIZE, BODY and SMTPUTF8 are filled in by the session.
    pub params: MailParams<'static>,
}

impl Envelope {
    /// An envelope without parameters.
    pub fn new(from: ReversePath<'static>, to: Vec<ForwardPath<'static>>) -> Self {
        Self {
            from,
            recipients: to.into_iter().map(|t| (t, RcptParams::default())).collect(),
            params: MailParams::default(),
        }
    }
}

/// What the session must know about a message it is handed in pieces
/// ([`ClientSession::start_mail`]) before the first piece arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct MessageInfo {
    /// The size in octets, declared with `SIZE=` and checked against the server's SIZE. `None`
    /// declares nothing.
    pub size: Option<u64>,
    /// Whether the message holds 8-bit bytes: it then goes as `BODY=8BITMIME` (or BINARYMIME
    /// over BDAT), and a piece with an 8-bit byte in a message declared 7-bit is an error.
    pub eight_bit: bool,
}

impl MessageInfo {
    /// A message of `size` octets (if known), 8-bit or not.
    pub fn new(size: Option<u64>, eight_bit: bool) -> Self {
        Self { size, eight_bit }
    }
}

/// The outcome of one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The reply to MAIL.
    pub mail: Option<Reply<'static>>,
    /// Each recipient with its final reply: the RCPT reply if it was refused, else the reply
    /// to the message (per recipient in LMTP).
    pub recipients: Vec<(ForwardPath<'static>, Option<Reply<'static>>)>,
    /// The reply to the end of the message (the first one in LMTP), or to DATA if refused.
    pub message: Option<Reply<'static>>,
}

impl Delivery {
    /// Whether at least one recipient got the message.
    pub fn is_success(&self) -> bool {
        self.recipients
            .iter()
            .any(|(_, r)| r.as_ref().is_some_and(Reply::is_positive))
    }

    /// The first negative reply, for error messages.
    pub fn first_failure(&self) -> Option<&Reply<'static>> {
        self.mail
            .iter()
            .chain(self.recipients.iter().filter_map(|(_, r)| r.as_ref()))
            .chain(self.message.iter())
            .find(|r| !r.is_positive())
    }
}

/// What the application must know.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[must_use]
pub enum ClientEvent {
    /// Run the TLS handshake now (after sending what is to transmit, which is nothing), then
    /// call [`ClientSession::tls_established`].
    StartTls,
    /// Authenticated.
    Authenticated,
    /// Ready for [`ClientSession::send_mail`]; the server's capabilities.
    /// (Boxed: an [`EhloReply`] keeps its capabilities in place, which makes it large.)
    Ready(Box<EhloReply<'static>>),
    /// The server waits for the message of a transaction begun with
    /// [`ClientSession::start_mail`]: hand it over with [`ClientSession::send_body`] (draining
    /// [`ClientSession::poll_transmit`] after each piece), then [`ClientSession::end_body`].
    BodyWanted,
    /// A transaction finished.
    Delivered(Delivery),
    /// The session failed; close the connection.
    Error(Error),
    /// The server answered QUIT; close the connection.
    Closed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Greeting,
    Ehlo,
    Helo,
    StartTls,
    Auth,
    Mail,
    Rcpt(usize),
    Data,
    DataEnd,
    /// The reply to a BDAT chunk before the last.
    BdatChunk,
    Bdat,
    Rset,
    Quit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Starting,
    WaitTls,
    Ready,
    Busy,
    Closed,
}

/// Where the message of a transaction is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BodyPhase {
    /// The server does not take it yet (before 354).
    Waiting,
    /// Pieces go out as they come.
    Open,
    /// Ended (or never to be sent).
    Done,
}

#[derive(Debug)]
struct Transaction {
    rcpts: Vec<(ForwardPath<'static>, RcptParams<'static>)>,
    mail: Option<Reply<'static>>,
    rcpt_replies: Vec<Option<Reply<'static>>>,
    data_replies: Vec<Reply<'static>>,
    /// The whole message given to [`ClientSession::send_mail`], sent as soon as the server
    /// takes it; `None` when the application streams it.
    queued: Option<Vec<u8>>,
    body: BodyPhase,
    /// Dot-stuffing for DATA, line ends only for BDAT.
    encoder: DotEncoder,
    /// BDAT: the last chunk, held back so that the final one can carry LAST.
    held: Vec<u8>,
    /// Message octets handed over so far (for error offsets).
    fed: usize,
    /// Whether 8-bit data was declared.
    eight_bit: bool,
    /// The first refusal of a BDAT chunk before the last.
    chunk_failure: Option<Reply<'static>>,
    bdat: bool,
    pipelined: bool,
    /// The message was sent as an empty one because no recipient was accepted.
    dummy: bool,
}

/// The client state machine. See the module docs for the driving loop.
#[derive(Debug)]
pub struct ClientSession {
    config: ClientConfig,
    phase: Phase,
    expect: VecDeque<Expect>,
    buf: Vec<u8>,
    out: Vec<u8>,
    events: VecDeque<ClientEvent>,
    ehlo: Option<EhloReply<'static>>,
    tls: bool,
    tls_tried: bool,
    authenticated: bool,
    sasl: Option<ClientMechanism>,
    tx: Option<Transaction>,
}

impl ClientSession {
    /// A session for a new connection, waiting for the greeting.
    pub fn new(config: ClientConfig) -> Self {
        let tls = config.tls_active;
        Self {
            config,
            phase: Phase::Starting,
            expect: VecDeque::from([Expect::Greeting]),
            buf: Vec::new(),
            out: Vec::new(),
            events: VecDeque::new(),
            ehlo: None,
            tls,
            tls_tried: false,
            authenticated: false,
            sasl: None,
            tx: None,
        }
    }

    /// The next event, if any.
    pub fn poll_event(&mut self) -> Option<ClientEvent> {
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
        self.phase == Phase::Closed
    }

    /// Whether TLS is up.
    pub fn is_tls(&self) -> bool {
        self.tls
    }

    /// The server's capabilities, once known.
    pub fn capabilities(&self) -> Option<&EhloReply<'static>> {
        self.ehlo.as_ref()
    }

    /// Feeds bytes read from the server.
    pub fn handle_input(&mut self, input: &[u8]) {
        if matches!(self.phase, Phase::Closed) || input.is_empty() {
            return;
        }
        if self.phase == Phase::WaitTls {
            let e = RemoteError::BytesAfterStartTls { count: input.len() };
            return self.fail(e.into());
        }
        self.buf.extend_from_slice(input);
        let mut pos = 0;
        while self.phase != Phase::Closed && self.phase != Phase::WaitTls {
            let rest = self.buf.get(pos..).unwrap_or_default();
            // A positive EHLO reply is read straight into capabilities (one pass in the common
            // shape, one copy of its text); a refusal or an error is read as a reply below.
            if self.expect.front() == Some(&Expect::Ehlo) {
                match EhloReply::parse(rest) {
                    Ok(Status::Complete(ehlo, n)) => {
                        let ehlo = ehlo.into_owned();
                        pos += n;
                        self.expect.pop_front();
                        self.ehlo = Some(ehlo);
                        self.after_hello();
                        continue;
                    }
                    // Incomplete exactly when `parse_reply` is.
                    Ok(Status::Incomplete) => break,
                    Err(_) => {}
                }
            }
            match parse_reply(rest) {
                Ok(Status::Incomplete) => break,
                Ok(Status::Complete(reply, n)) => {
                    // Kept in events past the buffer.
                    let reply = reply.into_owned();
                    pos += n;
                    let after = self.buf.len() - pos;
                    self.reply(reply, after);
                }
                Err(e) => {
                    self.fail(RemoteError::Parse(e).into());
                    break;
                }
            }
        }
        if self.phase == Phase::WaitTls {
            self.buf.clear();
        } else {
            self.buf.drain(..pos.min(self.buf.len()));
        }
    }

    /// The server closed the connection.
    pub fn handle_eof(&mut self) {
        if self.phase != Phase::Closed {
            if self.expect.front() == Some(&Expect::Quit) {
                self.phase = Phase::Closed;
                self.events.push_back(ClientEvent::Closed);
            } else {
                self.fail(RemoteError::Closed("the session").into());
            }
        }
    }

    /// Call after the TLS handshake that followed [`ClientEvent::StartTls`]: EHLO goes out
    /// again.
    pub fn tls_established(&mut self) -> Result<(), Error> {
        if self.phase != Phase::WaitTls {
            return Err(LocalError::NotReady("tls_established").into());
        }
        self.tls = true;
        self.ehlo = None;
        self.phase = Phase::Starting;
        self.hello();
        Ok(())
    }

    /// Sends QUIT.
    pub fn quit(&mut self) -> Result<(), Error> {
        if self.phase != Phase::Ready {
            return Err(LocalError::NotReady("QUIT").into());
        }
        self.command(&Command::Quit);
        self.expect.push_back(Expect::Quit);
        self.phase = Phase::Busy;
        Ok(())
    }

    /// Starts a transaction: `message` is the whole message (line ends are normalised to
    /// CRLF), sent when the server is ready for it. Refuses 8-bit data or UTF-8 addresses the
    /// server cannot take. [`ClientSession::start_mail`] streams a message instead.
    pub fn send_mail(&mut self, envelope: Envelope, message: &[u8]) -> Result<(), Error> {
        let eight_bit = message.iter().position(|&b| b >= 0x80);
        let (bdat, _) = self.plan(eight_bit.is_some());
        // SIZE counts what goes on the wire: the message itself, or its normalised form for
        // BDAT (RFC 3030 counts the chunk octets).
        let size = if bdat {
            normalized_len(message)
        } else {
            message.len()
        } as u64;
        self.begin(
            envelope,
            MessageInfo::new(Some(size), eight_bit.is_some()),
            eight_bit.unwrap_or(0),
            Some(message.to_vec()),
        )
    }

    /// Starts a transaction whose message the application hands over in pieces after
    /// [`ClientEvent::BodyWanted`], with [`ClientSession::send_body`] and
    /// [`ClientSession::end_body`]; the session holds no more of it than the last piece (and,
    /// over BDAT, the one before). Refuses 8-bit data or UTF-8 addresses the server cannot
    /// take, and a declared size over the server's SIZE.
    pub fn start_mail(&mut self, envelope: Envelope, info: MessageInfo) -> Result<(), Error> {
        self.begin(envelope, info, 0, None)
    }

    /// The server's capabilities, or none (after HELO).
    fn caps(&self) -> EhloReply<'static> {
        self.ehlo
            .clone()
            .unwrap_or_else(|| EhloReply::new(crate::types::Text::default(), []))
    }

    /// Whether a message goes over BDAT, and with which BODY, if the server can take it.
    fn plan(&self, eight_bit: bool) -> (bool, Option<Option<Body>>) {
        let caps = self.caps();
        let bdat = self.config.chunking && caps.has(&Capability::Chunking);
        if !eight_bit {
            return (bdat, Some(None));
        }
        if caps.has(&Capability::EightBitMime) {
            (bdat, Some(Some(Body::EightBitMime)))
        } else if caps.has(&Capability::BinaryMime) && caps.has(&Capability::Chunking) {
            (true, Some(Some(Body::BinaryMime)))
        } else {
            (bdat, None)
        }
    }

    /// Starts a transaction; `eight_bit_at` is where the first 8-bit byte is, for the error.
    fn begin(
        &mut self,
        envelope: Envelope,
        info: MessageInfo,
        eight_bit_at: usize,
        queued: Option<Vec<u8>>,
    ) -> Result<(), Error> {
        if self.phase != Phase::Ready {
            return Err(LocalError::NotReady("a transaction").into());
        }
        if envelope.recipients.is_empty() {
            return Err(LocalError::NoRecipients.into());
        }
        let caps = self.caps();
        let mut params = envelope.params;
        let (bdat, body) = self.plan(info.eight_bit);
        match body {
            None => return Err(LocalError::EightBitUnsupported(eight_bit_at).into()),
            Some(Some(b)) => params.body = Some(b),
            Some(None) => {}
        }
        let utf8 = envelope.from.mailbox().is_some_and(|m| m.is_utf8())
            || envelope.recipients.iter().any(|(t, _)| t.is_utf8());
        if utf8 {
            if !caps.has(&Capability::SmtpUtf8) {
                let addr = envelope
                    .recipients
                    .iter()
                    .map(|(t, _)| t.to_string())
                    .find(|s| !s.is_ascii())
                    .unwrap_or_else(|| format!("{:?}", envelope.from));
                return Err(LocalError::SmtpUtf8Unsupported(addr).into());
            }
            params.smtputf8 = true;
        }
        if let (Some(limit), Some(size)) = (caps.size(), info.size) {
            if limit > 0 && size > limit {
                return Err(LocalError::TooLarge { size, limit }.into());
            }
            if self.config.declare_size {
                params.size = Some(size);
            }
        }
        let pipelined = self.config.pipelining && caps.has(&Capability::Pipelining);
        let n = envelope.recipients.len();
        self.command(&Command::Mail {
            from: envelope.from,
            params,
        });
        self.expect.push_back(Expect::Mail);
        let mut tx = Transaction {
            rcpts: envelope.recipients,
            mail: None,
            rcpt_replies: vec![None; n],
            data_replies: Vec::new(),
            queued,
            body: BodyPhase::Waiting,
            encoder: if bdat {
                DotEncoder::line_ends_only()
            } else {
                DotEncoder::new()
            },
            held: Vec::new(),
            fed: 0,
            eight_bit: info.eight_bit,
            chunk_failure: None,
            bdat,
            pipelined,
            dummy: false,
        };
        if pipelined {
            for i in 0..n {
                self.send_rcpt(&tx, i);
            }
            self.send_data(&mut tx);
        }
        self.tx = Some(tx);
        self.phase = Phase::Busy;
        Ok(())
    }

    fn send_rcpt(&mut self, tx: &Transaction, i: usize) {
        if let Some((to, params)) = tx.rcpts.get(i) {
            self.command(&Command::Rcpt {
                to: to.clone(),
                params: params.clone(),
            });
            self.expect.push_back(Expect::Rcpt(i));
        }
    }

    fn send_data(&mut self, tx: &mut Transaction) {
        if tx.bdat {
            self.open_body(tx);
        } else {
            self.command(&Command::Data);
            self.expect.push_back(Expect::Data);
        }
    }

    fn command(&mut self, cmd: &Command<'_>) {
        cmd.write_to(&mut self.out);
    }

    fn fail(&mut self, e: Error) {
        self.phase = Phase::Closed;
        self.events.push_back(ClientEvent::Error(e));
    }

    fn refused(&mut self, command: &'static str, reply: Reply<'static>) {
        self.fail(RemoteError::UnexpectedReply { command, reply }.into());
    }

    fn hello(&mut self) {
        let name = self.config.hostname.clone();
        let cmd = if self.config.lmtp {
            Command::Lhlo(name)
        } else {
            Command::Ehlo(name)
        };
        self.command(&cmd);
        self.expect.push_back(Expect::Ehlo);
    }

    /// After EHLO or HELO: STARTTLS, AUTH, or ready.
    fn after_hello(&mut self) {
        let offers_tls = self
            .ehlo
            .as_ref()
            .is_some_and(|e| e.has(&Capability::StartTls));
        if !self.tls && !self.tls_tried && self.config.tls != TlsPolicy::Never && offers_tls {
            self.tls_tried = true;
            self.command(&Command::StartTls);
            self.expect.push_back(Expect::StartTls);
            return;
        }
        if !self.tls && self.config.tls == TlsPolicy::Required {
            return self.fail(LocalError::NoStartTls.into());
        }
        if self.config.credentials.is_some() && !self.authenticated {
            return self.start_auth();
        }
        self.ready();
    }

    fn ready(&mut self) {
        self.phase = Phase::Ready;
        let caps = self
            .ehlo
            .clone()
            .unwrap_or_else(|| EhloReply::new(crate::types::Text::default(), []));
        self.events.push_back(ClientEvent::Ready(Box::new(caps)));
    }

    fn start_auth(&mut self) {
        let Some(creds) = self.config.credentials.clone() else {
            return self.ready();
        };
        let offered = self
            .ehlo
            .as_ref()
            .map(|e| e.auth_mechanisms().collect::<Vec<_>>())
            .unwrap_or_default();
        let protected = self.tls || self.config.allow_plaintext_auth;
        let Some(mech) = select_mechanism(&offered, &[creds.kind()], protected) else {
            return self.fail(LocalError::NoMechanism.into());
        };
        let mut client = match ClientMechanism::new(&mech, &creds) {
            Ok(c) => c,
            Err(e) => return self.fail(LocalError::Sasl(e).into()),
        };
        let Ok(mechanism) = AuthMechanism::new(mech) else {
            return self.fail(LocalError::NoMechanism.into());
        };
        let initial_response = client.initial_response();
        self.command(&Command::Auth {
            mechanism,
            initial_response,
        });
        self.sasl = Some(client);
        self.expect.push_back(Expect::Auth);
    }

    fn reply(&mut self, reply: Reply<'static>, bytes_after: usize) {
        let Some(expect) = self.expect.pop_front() else {
            return self.refused("nothing (unsolicited reply)", reply);
        };
        let code = reply.code().get();
        match expect {
            Expect::Greeting => {
                if code == 220 {
                    self.hello();
                } else {
                    self.refused("the greeting", reply);
                }
            }
            Expect::Ehlo => {
                if reply.is_positive() {
                    // The reply's text becomes the EHLO reply's (no copy).
                    self.ehlo = Some(EhloReply::from(reply));
                    self.after_hello();
                } else if reply.code().is_permanent() && !self.config.lmtp {
                    let cmd = Command::Helo(self.config.hostname.clone());
                    self.command(&cmd);
                    self.expect.push_back(Expect::Helo);
                } else {
                    self.refused("EHLO", reply);
                }
            }
            Expect::Helo => {
                if reply.is_positive() {
                    self.ehlo = None;
                    self.after_hello();
                } else {
                    self.refused("HELO", reply);
                }
            }
            Expect::StartTls => {
                if code == 220 {
                    if bytes_after > 0 {
                        let e = RemoteError::BytesAfterStartTls { count: bytes_after };
                        return self.fail(e.into());
                    }
                    self.phase = Phase::WaitTls;
                    self.events.push_back(ClientEvent::StartTls);
                } else if self.config.tls == TlsPolicy::Required {
                    self.refused("STARTTLS", reply);
                } else {
                    self.after_hello();
                }
            }
            Expect::Auth => self.auth_reply(reply),
            Expect::Mail => {
                let positive = reply.is_positive();
                if let Some(tx) = self.tx.as_mut() {
                    tx.mail = Some(reply);
                }
                if !positive && !self.tx.as_ref().is_some_and(|t| t.pipelined) {
                    return self.finish();
                }
                if positive {
                    if let Some(tx) = self.tx.take() {
                        if !tx.pipelined {
                            self.send_rcpt(&tx, 0);
                        }
                        self.tx = Some(tx);
                    }
                }
            }
            Expect::Rcpt(i) => {
                let Some(mut tx) = self.tx.take() else { return };
                if let Some(slot) = tx.rcpt_replies.get_mut(i) {
                    *slot = Some(reply);
                }
                if !tx.pipelined {
                    if i + 1 < tx.rcpts.len() {
                        self.send_rcpt(&tx, i + 1);
                    } else if accepted(&tx) == 0 {
                        self.command(&Command::Rset);
                        self.expect.push_back(Expect::Rset);
                    } else {
                        self.send_data(&mut tx);
                    }
                }
                self.tx = Some(tx);
            }
            Expect::Rset => {
                if let Some(tx) = self.tx.as_mut() {
                    if let Some(refused) = tx.chunk_failure.take() {
                        tx.data_replies.push(refused);
                    }
                    self.finish();
                } else {
                    self.phase = Phase::Ready;
                }
            }
            Expect::Data => {
                let Some(mut tx) = self.tx.take() else { return };
                if code == 354 {
                    let dummy =
                        accepted(&tx) == 0 || tx.mail.as_ref().is_some_and(|m| !m.is_positive());
                    // The replies to the end of the message are expected from now on, also
                    // while a streamed message is still coming: one that arrives early ends
                    // the transaction the same way whether the message was whole or not.
                    let wanted = if self.config.lmtp && !dummy {
                        accepted(&tx)
                    } else {
                        1
                    };
                    for _ in 0..wanted {
                        self.expect.push_back(Expect::DataEnd);
                    }
                    if dummy {
                        // RFC 2920 3.1: DATA went out pipelined and every RCPT failed, yet
                        // the server says go on: send an empty message.
                        tx.dummy = true;
                        tx.body = BodyPhase::Done;
                        self.out.extend_from_slice(b".\r\n");
                    } else {
                        self.open_body(&mut tx);
                    }
                    self.tx = Some(tx);
                } else {
                    tx.data_replies.push(reply);
                    self.tx = Some(tx);
                    self.finish();
                }
            }
            Expect::BdatChunk => {
                if let Some(tx) = self.tx.as_mut() {
                    if !reply.is_positive() && tx.chunk_failure.is_none() {
                        tx.chunk_failure = Some(reply);
                    }
                }
            }
            Expect::Bdat => {
                let Some(mut tx) = self.tx.take() else { return };
                if let Some(refused) = tx.chunk_failure.take() {
                    tx.data_replies.push(refused);
                }
                let more = self.config.lmtp
                    && reply.is_positive()
                    && tx.data_replies.is_empty()
                    && accepted(&tx) > 1;
                tx.data_replies.push(reply);
                if more {
                    for _ in 1..accepted(&tx) {
                        self.expect.push_back(Expect::DataEnd);
                    }
                    self.tx = Some(tx);
                } else {
                    self.tx = Some(tx);
                    self.finish();
                }
            }
            Expect::DataEnd => {
                if let Some(tx) = self.tx.as_mut() {
                    tx.data_replies.push(reply);
                }
                if !self.expect.contains(&Expect::DataEnd) {
                    self.finish();
                }
            }
            Expect::Quit => {
                self.phase = Phase::Closed;
                self.events.push_back(ClientEvent::Closed);
            }
        }
    }

    fn auth_reply(&mut self, reply: Reply<'static>) {
        let code = reply.code().get();
        let Some(sasl) = self.sasl.as_mut() else {
            return self.refused("AUTH", reply);
        };
        if code == 334 {
            let payload = reply.first_line();
            let step = decode_challenge(payload.as_bytes(), DEFAULT_MAX_RESPONSE_LEN)
                .and_then(|c| sasl.step(&c));
            match step {
                Ok(resp) => {
                    self.out
                        .extend_from_slice(encode_response(&resp).as_bytes());
                    self.out.extend_from_slice(b"\r\n");
                    self.expect.push_back(Expect::Auth);
                }
                Err(e) => {
                    // Cancel the exchange, then fail.
                    self.out.extend_from_slice(b"*\r\n");
                    self.fail(LocalError::Sasl(e).into());
                }
            }
        } else if code == 235 {
            match sasl.success(None) {
                Ok(()) => {
                    self.sasl = None;
                    self.authenticated = true;
                    self.events.push_back(ClientEvent::Authenticated);
                    self.ready();
                }
                Err(e) => self.fail(RemoteError::Sasl(e).into()),
            }
        } else {
            self.sasl = None;
            self.refused("AUTH", reply);
        }
    }

    /// Ends the transaction and reports it.
    fn finish(&mut self) {
        let Some(tx) = self.tx.take() else { return };
        let lmtp = self.config.lmtp;
        let mut data = tx.data_replies.iter();
        let first = tx.data_replies.first().cloned();
        let mut recipients = Vec::new();
        for ((to, _), r) in tx.rcpts.into_iter().zip(tx.rcpt_replies) {
            let outcome = match r {
                Some(r) if r.is_positive() && !tx.dummy => {
                    if lmtp {
                        data.next().cloned().or(Some(r))
                    } else {
                        first.clone()
                    }
                }
                other => other,
            };
            recipients.push((to, outcome));
        }
        if self.expect.is_empty() {
            self.phase = Phase::Ready;
        }
        self.events.push_back(ClientEvent::Delivered(Delivery {
            mail: tx.mail,
            recipients,
            message: first,
        }));
    }
}

fn accepted(tx: &Transaction) -> usize {
    tx.rcpt_replies
        .iter()
        .filter(|r| r.as_ref().is_some_and(Reply::is_positive))
        .count()
}

//! Sans-IO SMTP, ESMTP and LMTP: a codec for every command and reply, and client and server
//! sessions that never touch a socket.
//!
//! A client and a server talking in memory (any transport works the same way):
//!
//! ```
//! use smtp_proto::session::client::{ClientConfig, ClientEvent, ClientSession, Envelope};
//! use smtp_proto::session::server::{ServerConfig, ServerEvent, ServerSession};
//! use smtp_proto::types::{Domain, ForwardPath, Mailbox, ReversePath};
//!
//! let mut server = ServerSession::new(ServerConfig::new(Domain::new("mx.example.org")?));
//! let mut client = ClientSession::new(ClientConfig::new(Domain::new("client.example")?));
//! let mut stored = Vec::new();
//! let mut sent = false;
//! let mut wire = Vec::new();
//! for _ in 0..20 {
//!     wire.clear();
//!     server.poll_transmit(&mut wire);
//!     client.handle_input(&wire);
//!     while let Some(event) = client.poll_event() {
//!         match event {
//!             ClientEvent::Ready(_) if !sent => {
//!                 let to = ForwardPath::Mailbox(Mailbox::parse("bob@example.org")?);
//!                 let from = ReversePath::Mailbox(Mailbox::parse("ann@client.example")?);
//!                 client.send_mail(Envelope::new(from, vec![to]), b"Subject: hi\r\n\r\n.dot\r\n")?;
//!                 sent = true;
//!             }
//!             ClientEvent::Delivered(d) => {
//!                 assert!(d.is_success());
//!                 client.quit()?;
//!             }
//!             _ => {}
//!         }
//!     }
//!     wire.clear();
//!     client.poll_transmit(&mut wire);
//!     server.handle_input(&wire);
//!     while let Some(event) = server.poll_event() {
//!         match event {
//!             ServerEvent::MailFrom { .. } | ServerEvent::RcptTo { .. } => server.accept()?,
//!             ServerEvent::MessageData(chunk) => stored.extend_from_slice(&chunk),
//!             ServerEvent::MessageEnd => server.accept()?,
//!             _ => {}
//!         }
//!     }
//! }
//! assert_eq!(stored, b"Subject: hi\r\n\r\n.dot\r\n");
//! assert!(server.is_closed());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The driving loop, for either side: feed what the socket gave to `handle_input` (and
//! `handle_eof` at the end), then drain `poll_event` (answering the decisions it asks for) and
//! `poll_transmit` (writing the bytes) before the next read. A blocking `std::net` server is
//! about thirty lines:
//!
//! ```no_run
//! use std::io::{Read, Write};
//! use smtp_proto::session::server::{ServerConfig, ServerEvent, ServerSession};
//! use smtp_proto::types::Domain;
//!
//! let listener = std::net::TcpListener::bind("127.0.0.1:2525")?;
//! let (mut sock, _) = listener.accept()?;
//! let mut session = ServerSession::new(ServerConfig::new(Domain::new("localhost")?));
//! let (mut buf, mut out, mut message) = (vec![0; 65536], Vec::new(), Vec::new());
//! loop {
//!     while let Some(event) = session.poll_event() {
//!         match event {
//!             ServerEvent::MailFrom { .. } | ServerEvent::RcptTo { .. } => session.accept()?,
//!             ServerEvent::MessageData(chunk) => message.extend_from_slice(&chunk),
//!             ServerEvent::MessageEnd => {
//!                 std::fs::write("message.eml", &message)?;
//!                 message.clear();
//!                 session.accept()?;
//!             }
//!             _ => {}
//!         }
//!     }
//!     out.clear();
//!     session.poll_transmit(&mut out);
//!     sock.write_all(&out)?;
//!     if session.is_closed() {
//!         break;
//!     }
//!     match sock.read(&mut buf)? {
//!         0 => session.handle_eof(),
//!         n => session.handle_input(&buf[..n]),
//!     }
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Layout: [`types`] (commands, replies and the values in them, none able to carry CR or LF),
//! [`codec`] (parse and write commands, replies and EHLO capabilities; it re-exports the command
//! and reply types under their old paths), [`session`] (the state machines), `tokio_codec`
//! (feature `tokio`).
#![forbid(unsafe_code)]

pub mod codec;
mod error;
pub mod session;
#[cfg(feature = "tokio")]
pub mod tokio_codec;
pub mod types;

pub use codec::command::{parse_command, Command};
pub use codec::ehlo::{Capability, EhloReply, Extension, OtherCapability};
pub use codec::reply::{parse_reply, Reply};
pub use codec::{ParseError, ParseErrorKind};
pub use error::{Error, LocalError, RemoteError};

//! Sans-IO POP3 (RFC 1939 with the extensions of RFC 2449, 5034, 2595 and 6856): a codec for
//! every command and reply in both directions, and client and server session state machines.
//!
//! ```
//! use pop3_proto::codec::{parse_response_line, Encode};
//! use pop3_proto::{Command, ResponseCode, ResponseLine};
//!
//! let line = parse_response_line(b"-ERR [IN-USE] Do you have another POP session running?")?;
//! let ResponseLine::Status(reply) = line else { panic!() };
//! assert!(!reply.ok);
//! assert_eq!(reply.code, Some(ResponseCode::InUse));
//! assert_eq!(Command::Top { message: 1, lines: 0 }.to_bytes(), b"TOP 1 0\r\n");
//! # Ok::<(), pop3_proto::Error>(())
//! ```
//!
//! - [`types`]: commands, replies, response codes, capabilities, listing lines, with
//!   validating constructors.
//! - [`codec`]: `parse_*` and [`Encode`](codec::Encode) for all of them, and a
//!   [`ReplyDecoder`](codec::ReplyDecoder) that streams multi-line bodies through mail-wire's
//!   dot decoder. Whether a reply is multi-line is decided by the command sent
//!   ([`Command::reply_shape`]).
//! - [`session`]: [`server::Server`](session::server::Server) (AUTHORIZATION, TRANSACTION,
//!   UPDATE) and [`client::Client`](session::client::Client), both sans-IO.
//!
//! # Driving a session
//!
//! Both sessions have the same loop: feed bytes with `handle_input`, then drain
//! `poll_event` and `poll_transmit` (write what it gives to the socket) before the next input
//! or command. Events that ask for a decision (a password check, a maildrop to open, a
//! message to stream) pause the session until the matching answer method is called; input
//! that arrives meanwhile is kept and processed in order (PIPELINING).
//!
//! A blocking server over `std::net`, serving one in-memory message:
//!
//! ```no_run
//! use std::io::{Read, Write};
//! use pop3_proto::session::server::{
//!     AuthAnswer, AuthRequest, Credentials, MessageInfo, Server, ServerConfig, ServerEvent,
//! };
//! use pop3_proto::UniqueId;
//!
//! let listener = std::net::TcpListener::bind("127.0.0.1:1110")?;
//! let (mut sock, _) = listener.accept()?;
//! let message = b"Subject: hi\r\n\r\nHello\r\n";
//! let mut server = Server::new(ServerConfig::default(), None);
//! let (mut buf, mut out) = ([0u8; 4096], Vec::new());
//! loop {
//!     while let Some(event) = server.poll_event() {
//!         match event {
//!             ServerEvent::Auth(AuthRequest::Verify(Credentials::Password { authcid, password, .. })) => {
//!                 let ok = authcid == "me" && password.expose() == "secret";
//!                 server.auth_answer(AuthAnswer::Verified(ok))?
//!             }
//!             ServerEvent::OpenMaildrop { .. } => server.maildrop_opened(vec![MessageInfo {
//!                 size: message.len() as u64,
//!                 uid: UniqueId::new("m1")?.into_owned(),
//!             }])?,
//!             ServerEvent::Retrieve { .. } => {
//!                 server.message_data(message)?;
//!                 server.message_end()?;
//!             }
//!             ServerEvent::Update { .. } => server.update_done(true)?,
//!             _ => {}
//!         }
//!     }
//!     server.poll_transmit(&mut out);
//!     sock.write_all(&out)?;
//!     out.clear();
//!     if server.is_closed() { break; }
//!     let n = sock.read(&mut buf)?;
//!     if n == 0 { server.handle_eof(); } else { server.handle_input(&buf[..n]); }
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]

pub mod codec;
mod error;
pub mod session;
#[cfg(feature = "tokio")]
pub mod tokio_codec;
pub mod types;

pub use error::{Error, LocalError, RemoteError};
pub use mail_wire::Status;
pub use types::*;

//! The SMTP side: one task per connection driving a `smtp_proto` server session.
//!
//! Policy: mail to `name@DOMAIN` for a listed user goes to `DIR/name/`; unknown users get
//! `550 5.1.1`, other domains `550 5.7.1` (never a relay, authenticated or not); `<Postmaster>`
//! and `postmaster@DOMAIN` go to the `--postmaster` user. AUTH (PLAIN,
//! LOGIN) needs TLS except from loopback. A message is in `new/` and fsynced before its `250`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use mail_wire::sasl::Mechanism;
use smtp_proto::codec::reply::Reply;
use smtp_proto::session::server::{CloseReason, ServerConfig, ServerEvent, ServerSession};
use smtp_proto::types::{Domain, EnhancedCode, ForwardPath};
use tokio::net::TcpStream;
use tracing::{debug, info, warn};

use crate::maildir::Spool;
use crate::net::{self, Conn};
use crate::Context;

/// How long a client may stay silent.
const IDLE: Duration = Duration::from_secs(300);

/// Accepts connections on `addr` until the process ends.
pub(crate) async fn serve(addr: SocketAddr, ctx: Arc<Context>) -> std::io::Result<()> {
    net::serve("smtp", addr, ctx, connection).await
}

/// A reply from the literals below (never from peer data).
fn reply(code: u16, enhanced: (u8, u16, u16), text: &str) -> Reply<'static> {
    let e = EnhancedCode::new(enhanced.0, enhanced.1, enhanced.2).ok();
    Reply::new(code, e, text).expect("the literal replies of this file are valid")
}

/// One transaction's state on our side.
#[derive(Default)]
struct Transaction {
    users: Vec<String>,
    spool: Option<Spool>,
    failed: bool,
}

async fn connection(sock: TcpStream, peer: SocketAddr, ctx: Arc<Context>) -> std::io::Result<()> {
    let loopback = peer.ip().is_loopback();
    let hostname = Domain::new(&ctx.domain).unwrap_or_else(|_| Domain::from_ip(peer.ip()));
    let mut config = ServerConfig::new(hostname);
    config.starttls = true;
    config.auth_mechanisms = vec![Mechanism::Plain, Mechanism::Login];
    config.auth_requires_tls = !loopback;
    let mut session = ServerSession::new(config);
    let mut conn = Conn::new(sock, IDLE);
    let mut buf = vec![0u8; 64 * 1024];
    let mut out = Vec::new();
    let mut tx = Transaction::default();
    info!(%peer, "smtp connection");
    loop {
        while let Some(event) = session.poll_event() {
            match event {
                ServerEvent::StartTls { discarded } => {
                    if !discarded.is_empty() {
                        warn!(%peer, bytes = discarded.len(), "discarded plaintext sent after STARTTLS");
                    }
                    out.clear();
                    session.poll_transmit(&mut out);
                    conn.write_all(&out).await?;
                    conn = conn.start_tls(&ctx.tls).await?;
                    if session.tls_established().is_err() {
                        return Err(std::io::Error::other("session not waiting for TLS"));
                    }
                    info!(%peer, "tls established");
                }
                other => handle(&mut session, other, &ctx, &mut tx, peer).await,
            }
        }
        out.clear();
        session.poll_transmit(&mut out);
        if !out.is_empty() {
            conn.write_all(&out).await?;
        }
        if session.is_closed() {
            if let Some(spool) = tx.spool.take() {
                spool.abort();
            }
            return Ok(());
        }
        let n = conn.read(&mut buf).await?;
        match buf.get(..n) {
            Some([]) | None => session.handle_eof(),
            // Body bytes go straight from the read buffer to the spool file.
            Some(data) => session.handle_input_with(data, |piece| write_body(&mut tx, piece)),
        }
    }
}

/// Appends message bytes to the spool file; a failure fails the message at its end.
fn write_body(tx: &mut Transaction, bytes: &[u8]) {
    if let Some(spool) = tx.spool.as_mut() {
        if let Err(e) = spool.write(bytes) {
            warn!("spool write: {e}");
            tx.failed = true;
        }
    }
}

async fn handle(
    session: &mut ServerSession,
    event: ServerEvent,
    ctx: &Context,
    tx: &mut Transaction,
    peer: SocketAddr,
) {
    let result = match event {
        ServerEvent::MailFrom { from, .. } => {
            debug!(%peer, from = ?from.mailbox().map(ToString::to_string), "MAIL");
            *tx = Transaction::default();
            session.accept()
        }
        ServerEvent::RcptTo { to, .. } => {
            let decision = match &to {
                ForwardPath::Postmaster => ctx
                    .postmaster
                    .clone()
                    .ok_or_else(|| reply(550, (5, 1, 1), "No such user here")),
                ForwardPath::Mailbox(m) => {
                    if !m.domain().as_str().eq_ignore_ascii_case(&ctx.domain) {
                        Err(reply(550, (5, 7, 1), "Relaying denied"))
                    } else {
                        let postmaster = m.local_part().eq_ignore_ascii_case("postmaster");
                        ctx.users
                            .lookup(m.local_part())
                            .or_else(|| postmaster.then(|| ctx.postmaster.clone()).flatten())
                            .ok_or_else(|| reply(550, (5, 1, 1), "No such user here"))
                    }
                }
            };
            match decision {
                Ok(user) => {
                    if !tx.users.contains(&user) {
                        tx.users.push(user);
                    }
                    session.accept()
                }
                Err(r) => {
                    info!(%peer, rcpt = %to, "refused: {r}");
                    session.reject(r)
                }
            }
        }
        ServerEvent::MessageStart => {
            if let Some(first) = tx.users.first() {
                match ctx.maildir.spool(first) {
                    Ok(s) => tx.spool = Some(s),
                    Err(e) => {
                        warn!("spool: {e}");
                        tx.failed = true;
                    }
                }
            }
            Ok(())
        }
        ServerEvent::MessageData(chunk) => {
            write_body(tx, &chunk);
            Ok(())
        }
        ServerEvent::MessageEnd => {
            let spool = tx.spool.take();
            let users = std::mem::take(&mut tx.users);
            let outcome = match (spool, tx.failed) {
                (Some(spool), false) => {
                    let users2 = users.clone();
                    tokio::task::spawn_blocking(move || spool.commit(&users2))
                        .await
                        .map_err(std::io::Error::other)
                        .and_then(|r| r)
                }
                (spool, _) => {
                    if let Some(s) = spool {
                        s.abort();
                    }
                    Err(std::io::Error::other("spool failed"))
                }
            };
            *tx = Transaction::default();
            match outcome {
                Ok(names) => {
                    info!(%peer, users = ?users, names = ?names, "delivered");
                    session.accept()
                }
                Err(e) => {
                    warn!(%peer, "delivery failed: {e}");
                    session.reject(reply(451, (4, 3, 0), "Local error in processing"))
                }
            }
        }
        ServerEvent::MessageAborted(reason) => {
            info!(%peer, ?reason, "message aborted");
            if let Some(spool) = tx.spool.take() {
                spool.abort();
            }
            Ok(())
        }
        ServerEvent::Reset => {
            if let Some(spool) = tx.spool.take() {
                spool.abort();
            }
            *tx = Transaction::default();
            Ok(())
        }
        ServerEvent::Auth(request) => {
            let answer = ctx.users.answer(request);
            session.auth_answer(answer)
        }
        ServerEvent::Authenticated { authcid, .. } => {
            info!(%peer, user = ?authcid, "authenticated");
            Ok(())
        }
        ServerEvent::Closed(reason) => {
            match reason {
                CloseReason::Error(e) => info!(%peer, "closing: {e}"),
                other => debug!(%peer, ?other, "closing"),
            }
            Ok(())
        }
        ServerEvent::ProtocolError(e) => {
            debug!(%peer, "client error: {e}");
            Ok(())
        }
        other => {
            debug!(%peer, ?other, "event");
            Ok(())
        }
    };
    if let Err(e) = result {
        warn!(%peer, "session refused a decision: {e}");
    }
}

//! The POP3 side: one task per connection driving a `pop3_proto` server session over the same
//! Maildir folders SMTP delivers into.
//!
//! Policy: UIDL is the Maildir unique name (or its SHA-256 when the name is not a valid POP3
//! unique-id); one session at a time per maildrop (`-ERR [IN-USE]` for the second); `DELE`
//! marks, and the files go only at `QUIT`; USER/PASS and AUTH PLAIN/LOGIN need STLS except
//! from loopback (APOP and AUTH CRAM-MD5 never send the password); messages are streamed from
//! the file in 64 KiB pieces.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use mail_wire::sasl::Mechanism;
use pop3_proto::session::server::{MessageInfo, Server, ServerConfig, ServerEvent};
use pop3_proto::UniqueId;
use sha2::{Digest, Sha256};
use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;
use tracing::{debug, info, warn};

use crate::maildir;
use crate::net::{self, Conn};
use crate::Context;

/// How long a client may stay silent (RFC 1939 section 3 asks for at least 10 minutes).
const IDLE: Duration = Duration::from_secs(600);

/// The maildrops locked by a session of this process.
static LOCKS: Mutex<Option<HashSet<String>>> = Mutex::new(None);

/// An exclusive lock on one maildrop, released when dropped.
struct MaildropLock(String);

impl MaildropLock {
    fn acquire(user: &str) -> Option<Self> {
        let mut locks = LOCKS.lock().unwrap_or_else(|e| e.into_inner());
        locks
            .get_or_insert_with(HashSet::new)
            .insert(user.to_owned())
            .then(|| Self(user.to_owned()))
    }
}

impl Drop for MaildropLock {
    fn drop(&mut self) {
        let mut locks = LOCKS.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(set) = locks.as_mut() {
            set.remove(&self.0);
        }
    }
}

/// Accepts connections on `addr` until the process ends.
pub(crate) async fn serve(addr: SocketAddr, ctx: Arc<Context>) -> std::io::Result<()> {
    net::serve("pop3", addr, ctx, connection).await
}

/// A unique timestamp for the APOP greeting: process, clock and a counter.
fn apop_timestamp(domain: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let host: String = domain
        .chars()
        .filter(|c| c.is_ascii_graphic() && !matches!(c, '<' | '>'))
        .collect();
    format!(
        "<{}.{}.{}@{}>",
        std::process::id(),
        now.as_nanos(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        if host.is_empty() { "localhost" } else { &host }
    )
}

/// The UIDL of a Maildir message: its unique name if that is a valid POP3 unique-id (1 to 70
/// printable characters), else the hex of its SHA-256 cut to 64 characters.
fn unique_id(unique: &str) -> UniqueId<'static> {
    UniqueId::new(unique.to_owned()).unwrap_or_else(|_| {
        let hex: String = Sha256::digest(unique.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        UniqueId::new(hex).expect("64 hex digits are a valid unique-id")
    })
}

fn other(e: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

/// What the connection holds once a maildrop is open.
struct Open {
    user: String,
    messages: Vec<maildir::MessageInfo>,
    _lock: MaildropLock,
}

async fn connection(sock: TcpStream, peer: SocketAddr, ctx: Arc<Context>) -> std::io::Result<()> {
    let loopback = peer.ip().is_loopback();
    let mut config = ServerConfig::default();
    config.hostname = ctx.domain.clone();
    config.mechanisms = vec![Mechanism::Plain, Mechanism::Login, Mechanism::CramMd5];
    config.tls_available = true;
    config.plaintext_needs_tls = !loopback;
    config.implementation = Some("mail-server".into());
    let mut session = Server::new(config, Some(apop_timestamp(&ctx.domain)));
    let mut conn = Conn::new(sock, IDLE);
    let mut buf = vec![0u8; 64 * 1024];
    let mut out = Vec::new();
    let mut open: Option<Open> = None;
    info!(%peer, "pop3 connection");
    loop {
        while let Some(event) = session.poll_event() {
            match event {
                ServerEvent::Auth(request) => {
                    // USER/PASS, PLAIN and LOGIN ask for a password check; APOP and
                    // CRAM-MD5 for the password itself (the session compares the digests).
                    let answer = ctx.users.answer(request);
                    session.auth_answer(answer).map_err(other)?;
                }
                ServerEvent::OpenMaildrop { user } => {
                    let Some(user) = ctx.users.lookup(&user) else {
                        session.maildrop_unavailable().map_err(other)?;
                        continue;
                    };
                    let Some(lock) = MaildropLock::acquire(&user) else {
                        info!(%peer, %user, "maildrop in use");
                        session.maildrop_locked().map_err(other)?;
                        continue;
                    };
                    match ctx.maildir.list(&user) {
                        Ok(messages) => {
                            let infos = messages
                                .iter()
                                .map(|m| MessageInfo {
                                    size: m.size,
                                    uid: unique_id(&m.unique),
                                })
                                .collect();
                            info!(%peer, %user, count = messages.len(), "pop3 login");
                            open = Some(Open {
                                user,
                                messages,
                                _lock: lock,
                            });
                            session.maildrop_opened(infos).map_err(other)?;
                        }
                        Err(e) => {
                            warn!(%peer, %user, "cannot list maildrop: {e}");
                            session.maildrop_unavailable().map_err(other)?;
                        }
                    }
                }
                ServerEvent::Retrieve { index, .. } => {
                    let path = open
                        .as_ref()
                        .and_then(|o| o.messages.get(index))
                        .map(|m| m.path.clone());
                    let file = match path {
                        Some(p) => tokio::fs::File::open(p).await.ok(),
                        None => None,
                    };
                    let Some(mut file) = file else {
                        session.message_unavailable().map_err(other)?;
                        continue;
                    };
                    let mut chunk = vec![0u8; 64 * 1024];
                    loop {
                        let n = match file.read(&mut chunk).await {
                            Ok(n) => n,
                            Err(e) => {
                                warn!(%peer, "read failed: {e}");
                                session.message_unavailable().map_err(other)?;
                                break;
                            }
                        };
                        if n == 0 {
                            session.message_end().map_err(other)?;
                            break;
                        }
                        let more = session
                            .message_data(chunk.get(..n).unwrap_or_default())
                            .map_err(other)?;
                        out.clear();
                        session.poll_transmit(&mut out);
                        conn.write_all(&out).await?;
                        if !more {
                            session.message_end().map_err(other)?;
                            break;
                        }
                    }
                }
                ServerEvent::Update { deleted } => {
                    let mut all = true;
                    // Taking `open` releases the lock before the final reply goes out, so the
                    // client's next session finds the maildrop free.
                    if let Some(o) = open.take() {
                        for index in deleted {
                            let Some(m) = o.messages.get(index) else {
                                continue;
                            };
                            if let Err(e) = ctx.maildir.delete(&o.user, &m.unique) {
                                warn!(%peer, user = %o.user, "cannot delete {}: {e}", m.unique);
                                all = false;
                            }
                        }
                    }
                    session.update_done(all).map_err(other)?;
                }
                ServerEvent::StartTls => {
                    out.clear();
                    session.poll_transmit(&mut out);
                    conn.write_all(&out).await?;
                    conn = conn.start_tls(&ctx.tls).await?;
                    session.tls_established().map_err(other)?;
                    info!(%peer, "tls established");
                }
                ServerEvent::PreTlsBytesDiscarded { count } => {
                    warn!(%peer, bytes = count, "discarded plaintext sent after STLS");
                }
                ServerEvent::LoginFailed { user, failures } => {
                    info!(%peer, user = user.as_deref().unwrap_or(""), failures, "pop3 login failed");
                }
                ServerEvent::ClientError(e) => debug!(%peer, "client error: {e}"),
                ServerEvent::Closed => {
                    out.clear();
                    session.poll_transmit(&mut out);
                    conn.write_all(&out).await?;
                    return Ok(());
                }
                _ => {}
            }
        }
        out.clear();
        session.poll_transmit(&mut out);
        conn.write_all(&out).await?;
        if session.is_closed() {
            return Ok(());
        }
        let n = conn.read(&mut buf).await?;
        if n == 0 {
            session.handle_eof();
        } else {
            session.handle_input(buf.get(..n).unwrap_or_default());
        }
    }
}

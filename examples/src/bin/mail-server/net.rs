//! What the connections of every protocol share: the accept loop, and a stream that is plain
//! until STARTTLS or STLS turns it into TLS.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;
use tracing::debug;

use crate::Context;

/// Accepts connections on `addr` until the process ends, one task each running `connection`.
/// Prints `mail-server: <protocol> listening on <addr>` once bound (tests read it).
pub(crate) async fn serve<F, Fut>(
    protocol: &'static str,
    addr: SocketAddr,
    ctx: Arc<Context>,
    connection: F,
) -> std::io::Result<()>
where
    F: Fn(TcpStream, SocketAddr, Arc<Context>) -> Fut,
    Fut: Future<Output = std::io::Result<()>> + Send + 'static,
{
    let listener = TcpListener::bind(addr).await?;
    println!(
        "mail-server: {protocol} listening on {}",
        listener.local_addr()?
    );
    loop {
        let (sock, peer) = listener.accept().await?;
        let task = connection(sock, peer, ctx.clone());
        tokio::spawn(async move {
            if let Err(e) = task.await {
                debug!(%peer, "{protocol} connection ended: {e}");
            }
        });
    }
}

/// A client connection, before or after the switch to TLS.
pub(crate) struct Conn {
    stream: Stream,
    /// How long the client may stay silent.
    idle: Duration,
}

enum Stream {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl Conn {
    /// A plain connection whose reads time out after `idle`.
    pub(crate) fn new(sock: TcpStream, idle: Duration) -> Self {
        Self {
            stream: Stream::Plain(sock),
            idle,
        }
    }

    /// Reads what the client sent; `Ok(0)` at its end, an error after `idle` of silence.
    pub(crate) async fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match &mut self.stream {
            Stream::Plain(s) => read_some(s, buf, self.idle).await,
            Stream::Tls(s) => read_some(s, buf, self.idle).await,
        }
    }

    /// Writes and flushes `data` (nothing for empty data).
    pub(crate) async fn write_all(&mut self, data: &[u8]) -> std::io::Result<()> {
        if data.is_empty() {
            return Ok(());
        }
        match &mut self.stream {
            Stream::Plain(s) => write_flush(s, data).await,
            Stream::Tls(s) => write_flush(s, data).await,
        }
    }

    /// Runs the TLS handshake as the server. The session has already thrown away whatever the
    /// client sent before it, so nothing read in plaintext crosses over.
    pub(crate) async fn start_tls(self, acceptor: &TlsAcceptor) -> std::io::Result<Self> {
        let Stream::Plain(tcp) = self.stream else {
            return Err(std::io::Error::other("TLS started twice"));
        };
        let tls = acceptor.accept(tcp).await?;
        Ok(Self {
            stream: Stream::Tls(Box::new(tls)),
            idle: self.idle,
        })
    }
}

async fn read_some<S: AsyncRead + Unpin>(
    s: &mut S,
    buf: &mut [u8],
    idle: Duration,
) -> std::io::Result<usize> {
    match tokio::time::timeout(idle, s.read(buf)).await {
        Ok(r) => r,
        Err(_) => Err(std::io::Error::new(std::io::ErrorKind::TimedOut, "idle")),
    }
}

async fn write_flush<S: AsyncWrite + Unpin>(s: &mut S, data: &[u8]) -> std::io::Result<()> {
    s.write_all(data).await?;
    s.flush().await
}

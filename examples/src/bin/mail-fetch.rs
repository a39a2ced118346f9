//! `mail-fetch --pop3 HOST:PORT [--stls] [--ca-file PEM] --user U --password-file F --out DIR
//! [--delete] [--keep-state FILE]`: downloads every message not yet downloaded (by UIDL) from a
//! POP3 server into the Maildir `DIR`.
//!
//! Each message is written to `DIR/tmp`, fsynced, renamed into `DIR/new` and the directory
//! fsynced before its unique-id is added to the state file (written the same careful way), and
//! `DELE` is sent only after every message of the run is on disk; deletions take effect at
//! `QUIT`. With `--keep-state FILE` the unique-ids already downloaded are remembered across
//! runs. A progress bar is drawn when stdout is a terminal.
//!
//! Authentication: SASL (the best mechanism the server offers for the channel), else APOP on a
//! plain channel when the greeting offers it, else USER/PASS.

use std::collections::HashSet;
use std::fs::{self, File, OpenOptions};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use clap::Parser;
use mail_wire::sasl::{select_mechanism, ClientCredentials, ClientMechanism, CredentialKind};
use mail_wire::Secret;
use pop3_proto::session::client::{Client, ClientConfig, ClientEvent, Handle, Outcome};
use pop3_proto::Capability;
use tokio::io::{AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

/// Downloads POP3 messages into a Maildir.
#[derive(Debug, Parser)]
#[command(name = "mail-fetch", version, about)]
struct Args {
    /// The POP3 server, HOST:PORT.
    #[arg(long = "pop3", value_name = "HOST:PORT")]
    server: String,
    /// Upgrade the connection with STLS before logging in (required for plaintext logins on
    /// servers that refuse them otherwise).
    #[arg(long)]
    stls: bool,
    /// PEM file of the certificate(s) to trust for TLS (the server's own, or its CA).
    #[arg(long, value_name = "PEM")]
    ca_file: Option<PathBuf>,
    /// The user name.
    #[arg(long)]
    user: String,
    /// A file whose first line is the password.
    #[arg(long, value_name = "FILE")]
    password_file: PathBuf,
    /// The Maildir to write into (created if missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Delete the downloaded messages from the server.
    #[arg(long)]
    delete: bool,
    /// Remember the unique-ids downloaded in this file, and skip them next time.
    #[arg(long, value_name = "FILE")]
    keep_state: Option<PathBuf>,
}

type Error = Box<dyn std::error::Error + Send + Sync>;

/// The connection, before and after STLS.
enum Conn {
    Plain(TcpStream),
    Tls(Box<tokio_rustls::client::TlsStream<TcpStream>>),
    Switching,
}

impl Conn {
    async fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Self::Plain(s) => s.read(buf).await,
            Self::Tls(s) => s.read(buf).await,
            Self::Switching => Ok(0),
        }
    }

    async fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        match self {
            Self::Plain(s) => write_flush(s, buf).await,
            Self::Tls(s) => write_flush(s.as_mut(), buf).await,
            Self::Switching => Err(std::io::ErrorKind::NotConnected.into()),
        }
    }
}

async fn write_flush<S: AsyncWrite + Unpin>(s: &mut S, buf: &[u8]) -> std::io::Result<()> {
    s.write_all(buf).await?;
    s.flush().await
}

/// A client session over a connection.
struct Session {
    conn: Conn,
    client: Client,
    buf: Vec<u8>,
    host: String,
    ca_file: Option<PathBuf>,
}

impl Session {
    /// Sends what the client has to send, and returns its next event, reading as needed.
    async fn event(&mut self) -> Result<ClientEvent, Error> {
        loop {
            let mut out = Vec::new();
            if self.client.poll_transmit(&mut out) > 0 {
                self.conn.write_all(&out).await?;
            }
            if let Some(event) = self.client.poll_event() {
                if event == ClientEvent::StartTls {
                    self.start_tls().await?;
                    continue;
                }
                return Ok(event);
            }
            if self.client.is_closed() {
                return Err("connection closed".into());
            }
            let n = self.conn.read(&mut self.buf).await?;
            if n == 0 {
                self.client.handle_eof();
            } else {
                self.client
                    .handle_input(self.buf.get(..n).unwrap_or_default());
            }
        }
    }

    /// Waits for the reply to `handle`, failing on session errors.
    async fn reply(&mut self, handle: Handle) -> Result<Outcome, Error> {
        loop {
            match self.event().await? {
                ClientEvent::Reply {
                    handle: h, outcome, ..
                } if h == handle => return Ok(outcome),
                ClientEvent::Error(e) => return Err(e.into()),
                ClientEvent::Closed => return Err("server closed the session".into()),
                _ => {}
            }
        }
    }

    async fn expect_ok(&mut self, handle: Handle, what: &str) -> Result<(), Error> {
        match self.reply(handle).await? {
            Outcome::Ok(_) => Ok(()),
            Outcome::Err(r) => Err(format!("{what} refused: -ERR {}", r.text).into()),
            other => Err(format!("{what}: unexpected reply {other:?}").into()),
        }
    }

    async fn start_tls(&mut self) -> Result<(), Error> {
        let Conn::Plain(tcp) = std::mem::replace(&mut self.conn, Conn::Switching) else {
            return Err("STLS on a connection that is not plain".into());
        };
        let ca = self
            .ca_file
            .as_ref()
            .ok_or("--stls needs --ca-file to verify the server's certificate")?;
        let mut roots = rustls::RootCertStore::empty();
        use rustls::pki_types::pem::PemObject;
        for cert in rustls::pki_types::CertificateDer::pem_file_iter(ca)? {
            roots.add(cert?)?;
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_root_certificates(roots)
            .with_no_client_auth();
        let name = rustls::pki_types::ServerName::try_from(self.host.clone())?;
        let tls = tokio_rustls::TlsConnector::from(Arc::new(config))
            .connect(name, tcp)
            .await?;
        self.conn = Conn::Tls(Box::new(tls));
        self.client.tls_established()?;
        Ok(())
    }
}

/// Maildir file names: `secs.MmicrosPpidQn.host` (unique per process and call).
fn unique_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let host = fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().replace(['/', ':'], "_"))
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".into());
    format!(
        "{}.M{}P{}Q{}.{}",
        now.as_secs(),
        now.subsec_micros(),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        host
    )
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Writes `contents` to `path` through a temporary file, fsync and rename.
fn write_atomically(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    let mut f = File::create(&tmp)?;
    f.write_all(contents)?;
    f.sync_all()?;
    fs::rename(&tmp, path)?;
    sync_dir(
        path.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new(".")),
    )
}

fn progress(done: usize, total: usize, bytes: u64, total_bytes: u64) {
    let width = 30;
    let filled = (bytes.min(total_bytes) * width as u64)
        .checked_div(total_bytes)
        .map_or(width, |f| f as usize);
    print!(
        "\r[{}{}] {done}/{total} messages, {:.1}/{:.1} KiB",
        "#".repeat(filled),
        " ".repeat(width - filled),
        bytes as f64 / 1024.0,
        total_bytes as f64 / 1024.0
    );
    let _ = std::io::stdout().flush();
}

async fn run(args: Args) -> Result<(), Error> {
    let password = fs::read_to_string(&args.password_file)?
        .lines()
        .next()
        .unwrap_or_default()
        .to_string();
    let password = Secret::new(password);
    for sub in ["tmp", "new", "cur"] {
        fs::create_dir_all(args.out.join(sub))?;
    }
    let mut state: Vec<String> = match &args.keep_state {
        Some(p) if p.exists() => fs::read_to_string(p)?
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    };
    let known: HashSet<String> = state.iter().cloned().collect();

    let host = args
        .server
        .rsplit_once(':')
        .map(|(h, _)| h.trim_matches(['[', ']']).to_string())
        .ok_or("--pop3 wants HOST:PORT")?;
    let tcp = TcpStream::connect(&args.server).await?;
    let mut s = Session {
        conn: Conn::Plain(tcp),
        client: Client::new(ClientConfig::default()),
        buf: vec![0; 64 * 1024],
        host,
        ca_file: args.ca_file.clone(),
    };
    match s.event().await? {
        ClientEvent::Greeting { reply, .. } if reply.ok => {}
        ClientEvent::Greeting { reply, .. } => {
            return Err(format!("server refused the session: {}", reply.text).into())
        }
        other => return Err(format!("expected a greeting, got {other:?}").into()),
    }
    let h = s.client.capa()?;
    let _ = s.reply(h).await?;
    if args.stls {
        if !s.client.has(|c| *c == Capability::Stls) {
            return Err("the server does not offer STLS".into());
        }
        let h = s.client.stls()?;
        s.expect_ok(h, "STLS").await?;
        // The StartTls event was handled by `event`; learn the capabilities again.
        let h = s.client.capa()?;
        let _ = s.reply(h).await?;
    }

    // Log in.
    let tls = s.client.is_tls();
    let offered = s.client.sasl_mechanisms();
    let credentials = ClientCredentials::Password {
        authzid: None,
        username: args.user.clone(),
        password: password.clone(),
    };
    let h = if let Some(m) = select_mechanism(&offered, &[CredentialKind::Password], tls) {
        s.client.auth(ClientMechanism::new(&m, &credentials)?)?
    } else if !tls && s.client.apop_timestamp().is_some() {
        s.client.apop(&args.user, password.expose())?
    } else {
        if !tls {
            eprintln!("mail-fetch: warning: sending the password in clear (no TLS)");
        }
        let h = s.client.user(&args.user)?;
        s.expect_ok(h, "USER").await?;
        s.client.pass(password.expose())?
    };
    s.expect_ok(h, "login").await?;

    // What is there.
    let h = s.client.uidl(None)?;
    let uids = match s.reply(h).await? {
        Outcome::UniqueIds(u) => u,
        other => return Err(format!("UIDL failed: {other:?}").into()),
    };
    let h = s.client.list(None)?;
    let sizes: std::collections::HashMap<u32, u64> = match s.reply(h).await? {
        Outcome::Scan(l) => l.into_iter().map(|l| (l.message, l.size)).collect(),
        _ => Default::default(),
    };
    let wanted: Vec<(u32, String)> = uids
        .iter()
        .filter(|u| !known.contains(u.uid.as_str()))
        .map(|u| (u.message, u.uid.as_str().to_owned()))
        .collect();
    let total_bytes: u64 = wanted.iter().filter_map(|(n, _)| sizes.get(n)).sum();
    let tty = std::io::stdout().is_terminal();

    // Download: the client pipelines the RETRs when the server offers PIPELINING.
    let mut pending = std::collections::HashMap::new();
    for (n, uid) in &wanted {
        pending.insert(s.client.retr(*n)?, uid.clone());
    }
    let (mut done, mut bytes) = (0usize, 0u64);
    let mut current: Option<(File, PathBuf, String)> = None;
    let mut downloaded: HashSet<String> = HashSet::new();
    while done < wanted.len() {
        match s.event().await? {
            ClientEvent::Reply {
                handle,
                outcome: Outcome::Ok(_),
                ..
            } if pending.contains_key(&handle) => {
                let name = unique_name();
                let path = args.out.join("tmp").join(&name);
                let file = OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&path)?;
                current = Some((file, path, name));
            }
            ClientEvent::Reply {
                handle, outcome, ..
            } if pending.contains_key(&handle) => {
                eprintln!(
                    "mail-fetch: RETR of {} failed: {outcome:?}",
                    pending[&handle]
                );
                done += 1;
            }
            ClientEvent::Body { data, .. } => {
                if let Some((file, _, _)) = current.as_mut() {
                    file.write_all(&data)?;
                }
                bytes += data.len() as u64;
                if tty {
                    progress(done, wanted.len(), bytes, total_bytes);
                }
            }
            ClientEvent::BodyEnd { handle, error } => {
                let (file, tmp, name) = current.take().ok_or("body without a file")?;
                if let Some(e) = error {
                    drop(file);
                    fs::remove_file(&tmp)?;
                    return Err(format!("message {} is malformed: {e}", pending[&handle]).into());
                }
                file.sync_all()?;
                drop(file);
                fs::rename(&tmp, args.out.join("new").join(&name))?;
                sync_dir(&args.out.join("new"))?;
                let uid = pending[&handle].clone();
                state.push(uid.clone());
                downloaded.insert(uid);
                if let Some(p) = &args.keep_state {
                    write_atomically(p, format!("{}\n", state.join("\n")).as_bytes())?;
                }
                done += 1;
                if tty {
                    progress(done, wanted.len(), bytes, total_bytes);
                }
            }
            ClientEvent::Error(e) => return Err(e.into()),
            ClientEvent::Closed => return Err("server closed the session".into()),
            _ => {}
        }
    }
    if tty && !wanted.is_empty() {
        println!();
    }

    // Every downloaded message is on disk: now delete, if asked.
    let mut deleted = 0;
    if args.delete {
        let mut handles = Vec::new();
        for u in &uids {
            let uid = u.uid.as_str();
            if downloaded.contains(uid) || known.contains(uid) {
                handles.push(s.client.dele(u.message)?);
            }
        }
        for h in handles {
            s.expect_ok(h, "DELE").await?;
            deleted += 1;
        }
    }
    let h = s.client.quit()?;
    s.expect_ok(h, "QUIT").await?;
    println!(
        "mail-fetch: {} new messages ({bytes} bytes) into {}, {} already known, {deleted} deleted",
        downloaded.len(),
        args.out.display(),
        uids.len() - wanted.len()
    );
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = Args::parse();
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mail-fetch: {e}");
            ExitCode::FAILURE
        }
    }
}

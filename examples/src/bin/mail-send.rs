//! `mail-send`: composes a message with mail-message's builder and sends it with the
//! smtp-proto client session.
//!
//! ```text
//! mail-send --server HOST:PORT [--starttls] [--ca-file PEM] [--user U --password-file F] \
//!     --from A --to B [--to C] [--subject S] [--attach FILE]... [--bdat] [BODY_FILE]
//! ```
//!
//! The body comes from BODY_FILE, or standard input when it is not given. With `--starttls`
//! TLS is required and the server's certificate is checked against `--ca-file`. PLAIN and
//! LOGIN are only used over TLS or to a loopback address. Exits 0 when every recipient was
//! accepted, 1 with the server's reply otherwise.

use std::io::Read;
use std::net::ToSocketAddrs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::Parser;
use mail_message::builder::{Attachment, EmailAddress, HeaderText, MessageBuilder};
use mail_message::date::DateTime;
use mail_wire::sasl::ClientCredentials;
use mail_wire::Secret;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use smtp_proto::session::client::{
    ClientConfig, ClientEvent, ClientSession, Delivery, Envelope, TlsPolicy,
};
use smtp_proto::types::{Domain, ForwardPath, Mailbox, ReversePath};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Command-line flags.
#[derive(Debug, Parser)]
#[command(name = "mail-send", about = "Compose a message and send it over SMTP")]
struct Args {
    /// The server, HOST:PORT.
    #[arg(long, value_name = "HOST:PORT")]
    server: String,
    /// Require STARTTLS.
    #[arg(long)]
    starttls: bool,
    /// PEM certificate(s) to trust for STARTTLS (a self-signed server certificate works).
    #[arg(long, value_name = "PEM", requires = "starttls")]
    ca_file: Option<PathBuf>,
    /// User name for AUTH.
    #[arg(long, value_name = "U", requires = "password_file")]
    user: Option<String>,
    /// File whose first line is the password.
    #[arg(long, value_name = "F", requires = "user")]
    password_file: Option<PathBuf>,
    /// Sender address.
    #[arg(long, value_name = "A")]
    from: String,
    /// Recipient address (repeat for more).
    #[arg(long, value_name = "B", required = true)]
    to: Vec<String>,
    /// Subject.
    #[arg(long, value_name = "S")]
    subject: Option<String>,
    /// File to attach (repeat for more).
    #[arg(long, value_name = "FILE")]
    attach: Vec<PathBuf>,
    /// Send the message with BDAT (CHUNKING) when the server offers it.
    #[arg(long)]
    bdat: bool,
    /// Our name for EHLO.
    #[arg(long, value_name = "NAME", default_value = "localhost")]
    helo: String,
    /// Text body file; standard input when absent.
    body_file: Option<PathBuf>,
}

type BoxError = Box<dyn std::error::Error>;

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("mail-send: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(delivery) => report(&delivery),
        Err(e) => {
            eprintln!("mail-send: {e}");
            ExitCode::FAILURE
        }
    }
}

fn report(d: &Delivery) -> ExitCode {
    let all = d
        .recipients
        .iter()
        .all(|(_, r)| r.as_ref().is_some_and(|r| r.is_positive()));
    for (to, r) in &d.recipients {
        match r {
            Some(r) if r.is_positive() => println!("{to}: {r}"),
            Some(r) => eprintln!("mail-send: {to}: {r}"),
            None => eprintln!("mail-send: {to}: no reply"),
        }
    }
    if all {
        ExitCode::SUCCESS
    } else {
        if let Some(r) = d.first_failure() {
            eprintln!("mail-send: server replied: {r}");
        }
        ExitCode::FAILURE
    }
}

/// The current time in UTC as a mail-message date.
fn now() -> DateTime {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs() as i64;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
    DateTime {
        year,
        month,
        day,
        hour: (rem / 3600) as u8,
        minute: (rem / 60 % 60) as u8,
        second: (rem % 60) as u8,
        offset_minutes: 0,
        offset_known: true,
    }
}

fn media_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("txt") => "text/plain",
        Some("html" | "htm") => "text/html",
        Some("pdf") => "application/pdf",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("zip") => "application/zip",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

fn compose(args: &Args) -> Result<Vec<u8>, BoxError> {
    let mut body = Vec::new();
    match &args.body_file {
        Some(p) => body = std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?,
        None => {
            std::io::stdin().read_to_end(&mut body)?;
        }
    }
    let body = String::from_utf8(body).map_err(|_| "the body must be UTF-8 text")?;
    let mut b = MessageBuilder::new()
        .from(EmailAddress::new(None, &args.from)?)
        .date(now())
        .text(&body);
    for to in &args.to {
        b = b.to(EmailAddress::new(None, to)?);
    }
    if let Some(s) = &args.subject {
        b = b.subject(HeaderText::new(s)?);
    }
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    b = b.message_id(&format!("{stamp}.{}@{}", std::process::id(), args.helo))?;
    for path in &args.attach {
        let data = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let name = path.file_name().and_then(|n| n.to_str());
        b = b.attachment(Attachment::new(media_type(path), name, data)?);
    }
    Ok(b.build())
}

fn tls_connector(ca: Option<&Path>) -> Result<tokio_rustls::TlsConnector, BoxError> {
    let mut roots = rustls::RootCertStore::empty();
    if let Some(ca) = ca {
        for cert in
            CertificateDer::pem_file_iter(ca).map_err(|e| format!("{}: {e}", ca.display()))?
        {
            roots.add(cert.map_err(|e| format!("{}: {e}", ca.display()))?)?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(tokio_rustls::TlsConnector::from(Arc::new(config)))
}

/// The connection, before or after STARTTLS.
enum Conn {
    Plain(TcpStream),
    Tls(Box<tokio_rustls::client::TlsStream<TcpStream>>),
}

impl Conn {
    async fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let read = async {
            match self {
                Self::Plain(s) => s.read(buf).await,
                Self::Tls(s) => s.read(buf).await,
            }
        };
        tokio::time::timeout(Duration::from_secs(120), read)
            .await
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::TimedOut, "server silent"))?
    }

    async fn write_all(&mut self, data: &[u8]) -> std::io::Result<()> {
        match self {
            Self::Plain(s) => s.write_all(data).await,
            Self::Tls(s) => {
                s.write_all(data).await?;
                s.flush().await
            }
        }
    }
}

async fn run(args: Args) -> Result<Delivery, BoxError> {
    let message = compose(&args)?;
    let from =
        ReversePath::Mailbox(Mailbox::parse(&args.from).map_err(|e| format!("--from: {e}"))?);
    let to = args
        .to
        .iter()
        .map(|t| {
            Mailbox::parse(t)
                .map(ForwardPath::Mailbox)
                .map_err(|e| format!("--to {t}: {e}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let addr = args
        .server
        .to_socket_addrs()?
        .next()
        .ok_or_else(|| format!("{}: no address", args.server))?;
    let host = args
        .server
        .rsplit_once(':')
        .map_or(&*args.server, |(h, _)| h);
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();

    let mut config = ClientConfig::new(Domain::new(&args.helo)?);
    config.tls = if args.starttls {
        TlsPolicy::Required
    } else {
        TlsPolicy::Never
    };
    config.allow_plaintext_auth = addr.ip().is_loopback();
    config.chunking = args.bdat;
    if let (Some(user), Some(file)) = (&args.user, &args.password_file) {
        let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        let password = text.lines().next().unwrap_or_default().to_owned();
        config.credentials = Some(ClientCredentials::Password {
            authzid: None,
            username: user.clone(),
            password: Secret::new(password),
        });
    }
    let connector = tls_connector(args.ca_file.as_deref())?;
    let mut session = ClientSession::new(config);
    let mut conn = Conn::Plain(TcpStream::connect(addr).await?);
    let mut envelope = Some(Envelope::new(from, to));
    let mut delivery = None;
    let mut buf = vec![0u8; 16 * 1024];
    let mut out = Vec::new();
    loop {
        while let Some(event) = session.poll_event() {
            match event {
                ClientEvent::StartTls => {
                    let Conn::Plain(tcp) = conn else {
                        return Err("STARTTLS twice".into());
                    };
                    let name = ServerName::try_from(host.clone())?;
                    conn = Conn::Tls(Box::new(connector.connect(name, tcp).await?));
                    session.tls_established()?;
                }
                ClientEvent::Ready(_) => {
                    if let Some(env) = envelope.take() {
                        session.send_mail(env, &message)?;
                    }
                }
                ClientEvent::Delivered(d) => {
                    delivery = Some(d);
                    session.quit()?;
                }
                ClientEvent::Error(e) => return Err(e.into()),
                ClientEvent::Closed => {
                    return delivery.ok_or_else(|| "closed before delivery".into());
                }
                _ => {}
            }
        }
        out.clear();
        session.poll_transmit(&mut out);
        if !out.is_empty() {
            conn.write_all(&out).await?;
        }
        let n = conn.read(&mut buf).await?;
        match buf.get(..n) {
            Some([]) | None => {
                session.handle_eof();
                if let Some(d) = delivery.take() {
                    return Ok(d);
                }
            }
            Some(data) => session.handle_input(data),
        }
    }
}

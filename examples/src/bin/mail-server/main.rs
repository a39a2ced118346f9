//! `mail-server`: receives mail over SMTP into Maildir folders (and, as colleagues add them,
//! serves them over POP3 and IMAP).
//!
//! ```text
//! mail-server --smtp 127.0.0.1:2525 --maildir DIR --users FILE --domain example.test \
//!     [--tls-cert cert.pem --tls-key key.pem]
//! ```
//!
//! Each protocol flag enables that protocol on the given address; with no protocol flag every
//! protocol starts on its default loopback port. `--users` holds `name:password` lines (an
//! argon2 PHC string in place of the password also works). Without `--tls-cert`/`--tls-key` a
//! self-signed certificate is made at start. Each listener prints
//! `mail-server: <protocol> listening on <addr>` once it is bound.

mod maildir;
mod net;
mod pop3;
mod smtp;
mod tls;
mod users;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;

/// Command-line flags.
#[derive(Debug, Parser)]
#[command(
    name = "mail-server",
    about = "Receive mail over SMTP into Maildir folders"
)]
struct Args {
    /// Serve SMTP on this address (default 127.0.0.1:2525 when no protocol flag is given).
    #[arg(long, value_name = "ADDR")]
    smtp: Option<SocketAddr>,
    /// Serve POP3 on this address (default 127.0.0.1:1110 when no protocol flag is given).
    #[arg(long, value_name = "ADDR")]
    pop3: Option<SocketAddr>,
    /// Root of the per-user Maildir folders (DIR/name/{tmp,new,cur}).
    #[arg(long, value_name = "DIR", default_value = "maildir")]
    maildir: PathBuf,
    /// `name:password` lines; the password may be an argon2 PHC string. Without it the server
    /// has one demo account, `demo` with password `demo`, for trying it out on loopback.
    #[arg(long, value_name = "FILE")]
    users: Option<PathBuf>,
    /// Who receives mail for `postmaster` (RFC 5321 4.5.1 requires the address): default a
    /// user named postmaster, else the first user of the users file.
    #[arg(long, value_name = "NAME")]
    postmaster: Option<String>,
    /// The mail domain: mail to name@DOMAIN is delivered to user `name`.
    #[arg(long, value_name = "D", default_value = "localhost")]
    domain: String,
    /// PEM certificate chain for STARTTLS (with --tls-key).
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// PEM private key for STARTTLS (with --tls-cert).
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
}

/// The accounts without `--users`.
const DEMO_USERS: &str = "demo:demo\n";

/// What every protocol shares: the store, the users, the domain and TLS.
pub(crate) struct Context {
    /// The Maildir store.
    pub(crate) maildir: maildir::Maildir,
    /// The accounts.
    pub(crate) users: users::Users,
    /// The mail domain, lowercase.
    pub(crate) domain: String,
    /// The user who receives mail for `postmaster`.
    pub(crate) postmaster: Option<String>,
    /// The TLS configuration for STARTTLS/STLS.
    pub(crate) tls: tokio_rustls::TlsAcceptor,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let args = Args::parse();
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mail-server: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let users = match &args.users {
        Some(path) => users::Users::load(path)?,
        None => {
            eprintln!(
                "mail-server: no --users file: serving the demo account demo@{} (password demo)",
                args.domain
            );
            users::Users::parse(DEMO_USERS).map_err(|line| format!("demo users line {line}"))?
        }
    };
    let domain = args.domain.to_ascii_lowercase();
    let tls = tls::acceptor(args.tls_cert.as_deref(), args.tls_key.as_deref(), &domain)?;
    let postmaster = match &args.postmaster {
        Some(name) => Some(
            users
                .lookup(name)
                .ok_or_else(|| format!("--postmaster {name}: no such user"))?,
        ),
        None => users
            .lookup("postmaster")
            .or_else(|| users.first().map(str::to_owned)),
    };
    let ctx = Arc::new(Context {
        maildir: maildir::Maildir::new(args.maildir.clone()),
        users,
        domain,
        postmaster,
        tls,
    });
    // The protocols: each flag enables one; none given starts them all on their defaults.
    // Add a protocol with its flag, its default address and its `serve` here.
    let any = args.smtp.is_some() || args.pop3.is_some();
    let mut listeners: Vec<(&str, SocketAddr)> = Vec::new();
    if args.smtp.is_some() || !any {
        listeners.push(("smtp", args.smtp.unwrap_or(([127, 0, 0, 1], 2525).into())));
    }
    if args.pop3.is_some() || !any {
        listeners.push(("pop3", args.pop3.unwrap_or(([127, 0, 0, 1], 1110).into())));
    }
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let mut tasks = tokio::task::JoinSet::new();
        for (protocol, addr) in listeners {
            let ctx = ctx.clone();
            match protocol {
                "smtp" => tasks.spawn(smtp::serve(addr, ctx)),
                "pop3" => tasks.spawn(pop3::serve(addr, ctx)),
                other => return Err(format!("unknown protocol {other}").into()),
            };
        }
        while let Some(result) = tasks.join_next().await {
            result??;
        }
        Ok(())
    })
}

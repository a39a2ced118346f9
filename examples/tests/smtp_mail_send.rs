//! mail-send against Python's aiosmtpd and against our mail-server (STARTTLS with a pinned
//! certificate, AUTH, an attachment, refusal).

mod smtp_support;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use mail_message::Message;
use smtp_support::{python_with, run, MailServer, TempDir};

fn mail_send(args: &[&str]) -> (bool, String) {
    let out = run(Command::new(env!("CARGO_BIN_EXE_mail-send")).args(args));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// An aiosmtpd server writing each message's raw bytes and envelope into a folder.
struct Aiosmtpd {
    child: Child,
    port: u16,
    dir: TempDir,
}

const AIOSMTPD: &str = r#"
import os, sys, time
from aiosmtpd.controller import Controller
out = sys.argv[2]
class Handler:
    async def handle_DATA(self, server, session, envelope):
        n = len([f for f in os.listdir(out) if f.endswith('.eml')])
        with open(os.path.join(out, '%d.env' % n), 'w') as f:
            f.write(envelope.mail_from + '\n' + '\n'.join(envelope.rcpt_tos) + '\n' + ' '.join(envelope.mail_options))
        with open(os.path.join(out, '%d.eml' % n), 'wb') as f:
            f.write(envelope.original_content)
        return '250 2.0.0 stored'
c = Controller(Handler(), hostname='127.0.0.1', port=int(sys.argv[1]), enable_SMTPUTF8=True)
c.start()
print('ready', flush=True)
while True:
    time.sleep(1)
"#;

impl Aiosmtpd {
    fn start() -> Self {
        let python = python_with("aiosmtpd");
        let dir = TempDir::new("aiosmtpd");
        for _ in 0..5 {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            let child = Command::new(&python)
                .args(["-c", AIOSMTPD, &port.to_string()])
                .arg(dir.path())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            let mut server = Self {
                child,
                port,
                dir: TempDir::new("unused"),
            };
            let deadline = Instant::now() + Duration::from_secs(15);
            while Instant::now() < deadline {
                if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    server.dir = dir;
                    return server;
                }
                if server.child.try_wait().unwrap().is_some() {
                    break; // port taken meanwhile: try another
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        panic!("aiosmtpd did not start");
    }

    fn message(&self, n: usize) -> (String, Vec<u8>) {
        let env = std::fs::read_to_string(self.dir.join(&format!("{n}.env"))).unwrap();
        let eml = std::fs::read(self.dir.join(&format!("{n}.eml"))).unwrap();
        (env, eml)
    }
}

impl Drop for Aiosmtpd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn mail_send_to_aiosmtpd() {
    let server = Aiosmtpd::start();
    let scratch = TempDir::new("send");
    std::fs::write(
        scratch.join("body.txt"),
        "Grüße aus Köln.\n.line with a dot\n",
    )
    .unwrap();
    std::fs::write(scratch.join("report.pdf"), b"%PDF-1.4 fake").unwrap();
    let (ok, out) = mail_send(&[
        "--server",
        &format!("127.0.0.1:{}", server.port),
        "--from",
        "ann@client.example",
        "--to",
        "bob@aiosmtpd.example",
        "--to",
        "carol@aiosmtpd.example",
        "--subject",
        "Bericht für Q3",
        "--attach",
        scratch.join("report.pdf").to_str().unwrap(),
        scratch.join("body.txt").to_str().unwrap(),
    ]);
    assert!(ok, "{out}");
    let (env, eml) = server.message(0);
    assert!(
        env.starts_with("ann@client.example\nbob@aiosmtpd.example\ncarol@aiosmtpd.example\n"),
        "{env}"
    );
    let msg = Message::parse(&eml);
    assert_eq!(msg.subject().as_deref(), Some("Bericht für Q3"));
    let leaves = msg.leaves();
    assert_eq!(leaves.len(), 2);
    assert_eq!(
        leaves[0].1.text().as_deref(),
        Some("Grüße aus Köln.\r\n.line with a dot\r\n")
    );
    assert_eq!(leaves[1].1.filename().as_deref(), Some("report.pdf"));
}

#[test]
fn mail_send_to_mail_server_with_starttls_and_auth() {
    let server = MailServer::start();
    let scratch = TempDir::new("send");
    std::fs::write(scratch.join("pw"), "pw\n").unwrap();
    std::fs::write(scratch.join("body.txt"), "Hello Bob\n").unwrap();
    let (ok, out) = mail_send(&[
        "--server",
        &format!("localhost:{}", server.port()),
        "--starttls",
        "--ca-file",
        server.cert.to_str().unwrap(),
        "--user",
        "ann",
        "--password-file",
        scratch.join("pw").to_str().unwrap(),
        "--from",
        "ann@example.test",
        "--to",
        "bob@example.test",
        "--subject",
        "over TLS",
        scratch.join("body.txt").to_str().unwrap(),
    ]);
    assert!(ok, "{out}");
    let stored = server.stored("bob");
    assert_eq!(stored.len(), 1);
    let msg = Message::parse(&stored[0]);
    assert_eq!(msg.subject().as_deref(), Some("over TLS"));
    assert_eq!(msg.leaves()[0].1.text().as_deref(), Some("Hello Bob\r\n"));

    // A wrong password: exit non-zero with the server's reply.
    std::fs::write(scratch.join("pw"), "nope\n").unwrap();
    let (ok, out) = mail_send(&[
        "--server",
        &format!("localhost:{}", server.port()),
        "--starttls",
        "--ca-file",
        server.cert.to_str().unwrap(),
        "--user",
        "ann",
        "--password-file",
        scratch.join("pw").to_str().unwrap(),
        "--from",
        "ann@example.test",
        "--to",
        "bob@example.test",
        scratch.join("body.txt").to_str().unwrap(),
    ]);
    assert!(!ok && out.contains("535"), "{out}");
    // A certificate we do not trust: refused.
    let other = smtp_support::certificate(&scratch);
    let (ok, out) = mail_send(&[
        "--server",
        &format!("localhost:{}", server.port()),
        "--starttls",
        "--ca-file",
        other.0.to_str().unwrap(),
        "--from",
        "ann@example.test",
        "--to",
        "bob@example.test",
        scratch.join("body.txt").to_str().unwrap(),
    ]);
    assert!(!ok, "{out}");
    assert_eq!(server.stored("bob").len(), 1);
}

#[test]
fn mail_send_with_bdat_to_mail_server() {
    let server = MailServer::start();
    let scratch = TempDir::new("send");
    std::fs::write(scratch.join("body.txt"), "chunked\n.dot\n").unwrap();
    let (ok, out) = mail_send(&[
        "--server",
        &server.addr.to_string(),
        "--bdat",
        "--from",
        "a@remote.example",
        "--to",
        "ann@example.test",
        "--to",
        "bob@example.test",
        "--subject",
        "BDAT",
        scratch.join("body.txt").to_str().unwrap(),
    ]);
    assert!(ok, "{out}");
    let ann = server.stored("ann");
    assert_eq!(ann.len(), 1);
    assert_eq!(server.stored("bob"), ann);
    let msg = Message::parse(&ann[0]);
    assert_eq!(msg.subject().as_deref(), Some("BDAT"));
    assert_eq!(
        msg.leaves()[0].1.text().as_deref(),
        Some("chunked\r\n.dot\r\n")
    );
    assert!(server.tmp_is_empty());
}

#[test]
fn mail_send_reports_refusal() {
    let server = MailServer::start();
    let scratch = TempDir::new("send");
    std::fs::write(scratch.join("body.txt"), "x\n").unwrap();
    let (ok, out) = mail_send(&[
        "--server",
        &server.addr.to_string(),
        "--from",
        "a@remote.example",
        "--to",
        "ann@example.test",
        "--to",
        "nobody@example.test",
        scratch.join("body.txt").to_str().unwrap(),
    ]);
    assert!(!ok, "{out}");
    assert!(out.contains("550 5.1.1"), "{out}");
    // The accepted recipient still got it.
    assert_eq!(server.stored("ann").len(), 1);
}

//! mail-send against a private Postfix instance (its own config, queue and Maildir under a
//! temporary folder, on an ephemeral loopback port): plain with pipelining and 8-bit text,
//! STARTTLS with a pinned certificate, and relay refusal.

mod smtp_support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use mail_message::Message;
use smtp_support::{certificate, require, run, TempDir};

/// A running Postfix that delivers mail for `bob@example.test` into `vmail/example.test/bob/`
/// and relays nothing.
struct Postfix {
    dir: TempDir,
    port: u16,
}

fn main_cf(dir: &Path, port: u16, cert: &Path, key: &Path) -> String {
    let d = dir.display();
    format!(
        "compatibility_level = 3.6
queue_directory = {d}/spool
data_directory = {d}/data
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
meta_directory = /etc/postfix
shlib_directory = /usr/lib/postfix
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = mx.example.test
mydomain = example.test
mydestination =
relay_domains =
mynetworks = 127.0.0.1/32
smtpd_relay_restrictions = reject_unauth_destination
virtual_mailbox_domains = example.test
virtual_mailbox_base = {d}/vmail
virtual_mailbox_maps = texthash:{d}/etc/vmailbox
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534
default_transport = error:this test server does not relay
maillog_file_prefixes = {d}
maillog_file = {d}/maillog
syslog_name = postfix-test-{port}
smtputf8_enable = yes
smtpd_tls_security_level = may
smtpd_tls_cert_file = {cert}
smtpd_tls_key_file = {key}
",
        cert = cert.display(),
        key = key.display()
    )
}

const MASTER_CF: &str = "pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
";

impl Postfix {
    fn start() -> Self {
        require("postfix");
        for _ in 0..3 {
            let dir = TempDir::new("postfix");
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            for sub in ["etc", "spool", "data", "vmail"] {
                std::fs::create_dir_all(dir.join(sub)).unwrap();
            }
            let chown = |user: &str, path: PathBuf| {
                let ok = Command::new("chown")
                    .arg(user)
                    .arg(&path)
                    .status()
                    .unwrap()
                    .success();
                assert!(ok, "chown {user} {}", path.display());
            };
            chown("postfix", dir.join("data"));
            chown("nobody:nogroup", dir.join("vmail"));
            let (cert, key) = certificate(&dir);
            std::fs::write(
                dir.join("etc/main.cf"),
                main_cf(dir.path(), port, &cert, &key),
            )
            .unwrap();
            std::fs::write(
                dir.join("etc/master.cf"),
                format!("127.0.0.1:{port} inet n - n - - smtpd\n{MASTER_CF}"),
            )
            .unwrap();
            std::fs::write(
                dir.join("etc/vmailbox"),
                "bob@example.test example.test/bob/\n",
            )
            .unwrap();
            let out = run(Command::new("postfix")
                .arg("-c")
                .arg(dir.join("etc"))
                .arg("start"));
            assert!(
                out.status.success(),
                "postfix start failed (it must run as root): {}{}",
                String::from_utf8_lossy(&out.stderr),
                std::fs::read_to_string(dir.join("maillog")).unwrap_or_default()
            );
            let postfix = Self { dir, port };
            let deadline = Instant::now() + Duration::from_secs(20);
            while Instant::now() < deadline {
                if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    return postfix;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            // The port was taken in the meantime: `postfix` drops and stops; try another.
        }
        panic!("postfix did not start listening");
    }

    /// Waits for `n` messages in bob's Maildir and returns them.
    fn delivered(&self, n: usize) -> Vec<Vec<u8>> {
        let new = self.dir.join("vmail/example.test/bob/new");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let mut files: Vec<PathBuf> = std::fs::read_dir(&new)
                .map(|d| d.map(|e| e.unwrap().path()).collect())
                .unwrap_or_default();
            if files.len() >= n {
                files.sort();
                return files.iter().map(|p| std::fs::read(p).unwrap()).collect();
            }
            assert!(
                Instant::now() < deadline,
                "postfix delivered {} of {n}: {}",
                files.len(),
                std::fs::read_to_string(self.dir.join("maillog")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn cert(&self) -> PathBuf {
        self.dir.join("cert.pem")
    }
}

impl Drop for Postfix {
    fn drop(&mut self) {
        let _ = Command::new("postfix")
            .arg("-c")
            .arg(self.dir.join("etc"))
            .args(["stop"])
            .status();
    }
}

fn mail_send(args: &[&str]) -> (bool, String) {
    let out = run(Command::new(env!("CARGO_BIN_EXE_mail-send")).args(args));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn mail_send_to_postfix() {
    let postfix = Postfix::start();
    let scratch = TempDir::new("send");
    std::fs::write(
        scratch.join("body.txt"),
        "Grüße, Bob.\n.a line with a dot\n",
    )
    .unwrap();
    let server = format!("127.0.0.1:{}", postfix.port);
    let body = scratch.join("body.txt");
    let (ok, out) = mail_send(&[
        "--server",
        &server,
        "--from",
        "ann@client.example",
        "--to",
        "bob@example.test",
        "--subject",
        "über Postfix",
        body.to_str().unwrap(),
    ]);
    assert!(ok, "{out}");
    assert!(out.contains("250 2.0.0"), "{out}");
    // STARTTLS with Postfix's certificate pinned.
    let (ok, out) = mail_send(&[
        "--server",
        &format!("localhost:{}", postfix.port),
        "--starttls",
        "--ca-file",
        postfix.cert().to_str().unwrap(),
        "--from",
        "ann@client.example",
        "--to",
        "bob@example.test",
        "--subject",
        "over TLS",
        body.to_str().unwrap(),
    ]);
    assert!(ok, "{out}");
    let stored = postfix.delivered(2);
    let mut subjects: Vec<String> = stored
        .iter()
        .map(|m| Message::parse(m).subject().unwrap_or_default().to_string())
        .collect();
    subjects.sort();
    assert_eq!(subjects, ["over TLS", "über Postfix"]);
    for m in &stored {
        // Postfix writes Maildir files with LF line ends.
        let msg = Message::parse(m);
        assert_eq!(
            msg.leaves()[0].1.text().as_deref(),
            Some("Grüße, Bob.\n.a line with a dot\n")
        );
    }
    let log = std::fs::read_to_string(postfix.dir.join("maillog")).unwrap_or_default();
    assert!(log.contains("starttls=1"), "{log}");

    // Postfix relays nothing: mail-send exits non-zero with its reply.
    let (ok, out) = mail_send(&[
        "--server",
        &server,
        "--from",
        "ann@client.example",
        "--to",
        "victim@elsewhere.example",
        body.to_str().unwrap(),
    ]);
    assert!(!ok, "{out}");
    assert!(out.contains("Relay access denied"), "{out}");
}

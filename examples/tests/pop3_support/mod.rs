//! Helpers of the POP3 integration tests: temporary folders, certificates, a private Dovecot
//! instance, the mail-server binary, and required programs (missing ones fail the test).
#![allow(dead_code, unreachable_pub, missing_docs)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[path = "../common/mod.rs"]
mod common;
#[allow(unused_imports)] // each test binary uses its own subset
pub use common::{require, ServerProcess, TempDir};

/// A loopback port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Runs a command, panicking with its output when it fails; returns stdout.
pub fn run(cmd: &mut Command) -> Vec<u8> {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed ({}):\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// A test CA (`ca.pem`) and a `localhost`/`127.0.0.1` server certificate it signed
/// (`cert.pem`, `key.pem`) in `dir`.
pub fn make_certs(dir: &Path) {
    require("openssl");
    let p = |f: &str| dir.join(f).to_string_lossy().into_owned();
    run(Command::new("openssl").args([
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=pop3-test-ca",
        "-days",
        "2",
        "-keyout",
        &p("ca.key"),
        "-out",
        &p("ca.pem"),
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign",
    ]));
    run(Command::new("openssl").args([
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=localhost",
        "-keyout",
        &p("key.pem"),
        "-out",
        &p("req.csr"),
    ]));
    std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    run(Command::new("openssl").args([
        "x509",
        "-req",
        "-in",
        &p("req.csr"),
        "-CA",
        &p("ca.pem"),
        "-CAkey",
        &p("ca.key"),
        "-CAcreateserial",
        "-out",
        &p("cert.pem"),
        "-days",
        "2",
        "-extfile",
        &p("ext.cnf"),
    ]));
}

/// Waits until something accepts connections on `port`.
pub fn wait_port(port: u16) {
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "nothing listens on port {port}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A Dovecot POP3 server of our own, from a temporary config, on a spare loopback port.
pub struct Dovecot {
    pub dir: TempDir,
    pub port: u16,
    conf: PathBuf,
}

impl Dovecot {
    /// Starts Dovecot with one user `user`:`password` whose Maildir is `maildir()`.
    pub fn start(user: &str, password: &str) -> Self {
        require("dovecot");
        let dir = TempDir::new("dovecot");
        make_certs(dir.path());
        let port = free_port();
        let d = dir.path().display();
        std::fs::write(dir.join("passwd"), format!("{user}:{{PLAIN}}{password}\n")).unwrap();
        for sub in ["home", "state"] {
            std::fs::create_dir_all(dir.join(sub)).unwrap();
        }
        let name = dir
            .path()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let conf = dir.join("dovecot.conf");
        std::fs::write(
            &conf,
            format!(
                "instance_name = {name}
base_dir = {d}/run
state_dir = {d}/state
listen = 127.0.0.1
protocols = pop3
ssl = yes
ssl_cert = <{d}/cert.pem
ssl_key = <{d}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
first_valid_uid = 1
log_path = {d}/dovecot.log
pop3_uidl_format = %g
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {d}/passwd
}}
userdb {{
  driver = static
  args = uid=65534 gid=65534 home={d}/home/%u
}}
service pop3-login {{
  inet_listener pop3 {{
    port = {port}
  }}
  inet_listener pop3s {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"
            ),
        )
        .unwrap();
        run(Command::new("dovecot")
            .arg("-c")
            .arg(&conf)
            .arg("-n")
            .stdout(Stdio::null()));
        // Dovecot daemonises: its children must not hold our pipes open.
        let status = Command::new("dovecot")
            .arg("-c")
            .arg(&conf)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "dovecot -c {} failed", conf.display());
        wait_port(port);
        Self { dir, port, conf }
    }

    /// The user's Maildir.
    pub fn maildir(&self, user: &str) -> PathBuf {
        self.dir.join(&format!("home/{user}/Maildir"))
    }

    /// Puts a message into the user's `new/` (owned by the mail user).
    pub fn deliver(&self, user: &str, name: &str, data: &[u8]) {
        let md = self.maildir(user);
        for sub in ["new", "cur", "tmp"] {
            std::fs::create_dir_all(md.join(sub)).unwrap();
        }
        std::fs::write(md.join("new").join(name), data).unwrap();
        run(Command::new("chown")
            .args(["-R", "65534:65534"])
            .arg(self.dir.join("home")));
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("dovecot.log")).unwrap_or_default()
    }

    /// The log once it holds every one of `wanted` (Dovecot's log process writes a little after
    /// the session), or after 10 seconds whatever it holds.
    pub fn log_with(&self, wanted: &[&str]) -> String {
        let start = Instant::now();
        loop {
            let log = self.log();
            if wanted.iter().all(|w| log.contains(w)) || start.elapsed() > Duration::from_secs(10) {
                return log;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        let _ = Command::new("dovecot")
            .arg("-c")
            .arg(&self.conf)
            .arg("stop")
            .output();
    }
}

/// The files of a Maildir's `new/`, contents sorted.
pub fn maildir_contents(dir: &Path) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = std::fs::read_dir(dir.join("new"))
        .map(|rd| {
            rd.map(|e| std::fs::read(e.unwrap().path()).unwrap())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// Test messages: dot-leading lines, 8-bit bytes, a line of just a dot.
pub fn sample_messages() -> Vec<Vec<u8>> {
    vec![
        b"From: a@example.test\r\nSubject: one\r\n\r\n.leading dot\r\n..two\r\n.\r\n\xc3\xa9t\xc3\xa9 \xff 8-bit\r\n".to_vec(),
        b"From: b@example.test\r\nSubject: two\r\n\r\nline 1\r\nline 2\r\nline 3\r\n".to_vec(),
        {
            let mut big = b"Subject: three\r\n\r\n".to_vec();
            for i in 0..20_000 {
                big.extend_from_slice(format!("{}line {i} of a large message\r\n", if i % 7 == 0 { "." } else { "" }).as_bytes());
            }
            big
        },
    ]
}

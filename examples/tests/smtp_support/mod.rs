//! Helpers of the SMTP integration tests: temporary folders, a mail-server instance on an
//! ephemeral port, certificates, and required programs (a missing one fails the test).
#![allow(dead_code, unreachable_pub, missing_docs)]

use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

#[path = "../common/mod.rs"]
mod common;
#[allow(unused_imports)] // each test binary uses its own subset
pub use common::{require, ServerProcess, TempDir};

/// A Python 3 that can `import module` (the Debian one carries python3-aiosmtpd even when
/// another python3 comes first on PATH). Fails the test if there is none.
pub fn python_with(module: &str) -> String {
    for python in ["python3", "/usr/bin/python3"] {
        let ok = Command::new(python)
            .args(["-c", &format!("import {module}")])
            .stderr(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if ok {
            return python.to_owned();
        }
    }
    panic!("no python3 with the `{module}` module: run .ci/setup (it installs python3-aiosmtpd)");
}

/// A local address that is not loopback (the one the default route uses), to test what a
/// remote client sees. Fails the test if the machine has none.
pub fn non_loopback_ip() -> IpAddr {
    let sock = std::net::UdpSocket::bind("0.0.0.0:0").unwrap();
    sock.connect("192.0.2.255:9")
        .or_else(|_| sock.connect("198.51.100.1:9"))
        .expect("no route to a non-loopback address");
    let ip = sock.local_addr().unwrap().ip();
    assert!(
        !ip.is_loopback() && !ip.is_unspecified(),
        "no non-loopback address: {ip}"
    );
    ip
}

/// A self-signed certificate for localhost and 127.0.0.1 as (cert.pem, key.pem) in `dir`.
pub fn certificate(dir: &TempDir) -> (PathBuf, PathBuf) {
    let made =
        rcgen::generate_simple_self_signed(vec!["localhost".into(), "127.0.0.1".into()]).unwrap();
    let cert = dir.join("cert.pem");
    let key = dir.join("key.pem");
    std::fs::write(&cert, made.cert.pem()).unwrap();
    std::fs::write(&key, made.key_pair.serialize_pem()).unwrap();
    (cert, key)
}

/// A running mail-server with its own Maildir root and users `ann:pw` and `bob:pw2`.
pub struct MailServer {
    server: ServerProcess,
    pub addr: SocketAddr,
    pub dir: TempDir,
    pub cert: PathBuf,
}

pub const DOMAIN: &str = "example.test";

impl MailServer {
    /// Starts on 127.0.0.1 with a certificate from [`certificate`].
    pub fn start() -> Self {
        Self::start_on("127.0.0.1".parse().unwrap())
    }

    /// Starts on `ip`, port chosen by the system.
    pub fn start_on(ip: IpAddr) -> Self {
        let dir = TempDir::new("server");
        std::fs::write(dir.join("users"), "ann:pw\nbob:pw2\n").unwrap();
        let (cert, key) = certificate(&dir);
        let server = ServerProcess::spawn(
            Command::new(env!("CARGO_BIN_EXE_mail-server"))
                .arg("--smtp")
                .arg(SocketAddr::new(ip, 0).to_string())
                .arg("--maildir")
                .arg(dir.join("md"))
                .arg("--users")
                .arg(dir.join("users"))
                .args(["--domain", DOMAIN])
                .arg("--tls-cert")
                .arg(&cert)
                .arg("--tls-key")
                .arg(&key)
                .stderr(Stdio::null()),
            &["smtp"],
        );
        let addr = server.addr("smtp");
        Self {
            server,
            addr,
            dir,
            cert,
        }
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The messages in `user`'s `new/`, oldest first.
    pub fn stored(&self, user: &str) -> Vec<Vec<u8>> {
        let new = self.dir.join("md").join(user).join("new");
        let Ok(entries) = std::fs::read_dir(&new) else {
            return Vec::new();
        };
        let mut names: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
        names.sort_by_key(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            // seconds.Mmicros...Qcounter: order by the counter the server gave.
            name.rsplit_once('Q')
                .and_then(|(_, r)| r.split('.').next()?.parse::<u64>().ok())
                .unwrap_or(0)
        });
        names.iter().map(|p| std::fs::read(p).unwrap()).collect()
    }

    /// Nothing left in any `tmp/`.
    pub fn tmp_is_empty(&self) -> bool {
        let md = self.dir.join("md");
        let Ok(users) = std::fs::read_dir(md) else {
            return true;
        };
        users.into_iter().all(|u| {
            std::fs::read_dir(u.unwrap().path().join("tmp"))
                .map_or(true, |mut d| d.next().is_none())
        })
    }
}

/// Runs a program with a timeout of 60 s; returns its output.
pub fn run(cmd: &mut Command) -> Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let mut so = child.stdout.take().unwrap();
    let mut se = child.stderr.take().unwrap();
    let t1 = std::thread::spawn(move || {
        let _ = so.read_to_end(&mut out);
        out
    });
    let t2 = std::thread::spawn(move || {
        let _ = se.read_to_end(&mut err);
        err
    });
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("{cmd:?} timed out");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: t1.join().unwrap(),
        stderr: t2.join().unwrap(),
    }
}

/// A raw SMTP conversation over TCP: write, then read until the server has sent `replies`
/// complete replies (or closed).
pub struct Raw {
    sock: TcpStream,
    pub received: Vec<u8>,
}

impl Raw {
    pub fn connect(addr: SocketAddr) -> Self {
        let sock = TcpStream::connect(addr).unwrap();
        sock.set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        let mut raw = Self {
            sock,
            received: Vec::new(),
        };
        raw.expect(1);
        raw
    }

    /// Sends `data` and waits for `replies` more replies; returns their codes.
    pub fn send(&mut self, data: &[u8], replies: usize) -> Vec<u16> {
        self.sock.write_all(data).unwrap();
        self.expect(replies)
            .iter()
            .map(|r| r.code().get())
            .collect()
    }

    /// Sends `data` and waits for `replies` more replies.
    pub fn send_replies(&mut self, data: &[u8], replies: usize) -> Vec<smtp_proto::Reply<'static>> {
        self.sock.write_all(data).unwrap();
        self.expect(replies)
    }

    fn expect(&mut self, n: usize) -> Vec<smtp_proto::Reply<'static>> {
        let mut codes = Vec::new();
        let mut buf = [0u8; 4096];
        while codes.len() < n {
            // Complete replies in what we have.
            loop {
                match smtp_proto::parse_reply(&self.received) {
                    Ok(mail_wire::Status::Complete(r, used)) => {
                        codes.push(r.into_owned());
                        self.received.drain(..used);
                    }
                    Ok(mail_wire::Status::Incomplete) => break,
                    Err(e) => panic!("bad reply: {e}"),
                }
            }
            if codes.len() >= n {
                break;
            }
            match self.sock.read(&mut buf) {
                Ok(0) => break,
                Ok(k) => self.received.extend_from_slice(&buf[..k]),
                Err(e) => panic!("read: {e} (have {codes:?})"),
            }
        }
        codes
    }
}

//! The mail-server binary on ephemeral loopback ports, for the POP3 integration tests.
#![allow(dead_code, unreachable_pub, missing_docs)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use crate::pop3_support::{make_certs, TempDir};

/// A running mail-server with POP3 (and SMTP) on ephemeral loopback ports.
pub struct MailServer {
    pub dir: TempDir,
    pub pop3: u16,
    pub smtp: u16,
    child: Child,
}

impl MailServer {
    /// Starts mail-server with users `name:password` lines, domain `example.test`.
    pub fn start(users: &str) -> Self {
        let dir = TempDir::new("mailserver");
        make_certs(dir.path());
        std::fs::write(dir.join("users"), users).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_mail-server"))
            .args([
                "--pop3",
                "127.0.0.1:0",
                "--smtp",
                "127.0.0.1:0",
                "--domain",
                "example.test",
            ])
            .arg("--maildir")
            .arg(dir.join("maildir"))
            .arg("--users")
            .arg(dir.join("users"))
            .arg("--tls-cert")
            .arg(dir.join("cert.pem"))
            .arg("--tls-key")
            .arg(dir.join("key.pem"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("mail-server starts");
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let (mut pop3, mut smtp) = (0, 0);
        while pop3 == 0 || smtp == 0 {
            let line = lines
                .next()
                .expect("mail-server prints its listening addresses")
                .unwrap();
            let port = |l: &str| l.rsplit(':').next().unwrap().trim().parse::<u16>().unwrap();
            if line.starts_with("mail-server: pop3 listening on") {
                pop3 = port(&line);
            } else if line.starts_with("mail-server: smtp listening on") {
                smtp = port(&line);
            }
        }
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Self {
            dir,
            pop3,
            smtp,
            child,
        }
    }

    /// The Maildir of `user`.
    pub fn maildir(&self, user: &str) -> PathBuf {
        self.dir.join(&format!("maildir/{user}"))
    }

    /// Puts a message into `user`'s `new/`.
    pub fn deliver(&self, user: &str, name: &str, data: &[u8]) {
        let md = self.maildir(user);
        for sub in ["new", "cur", "tmp"] {
            std::fs::create_dir_all(md.join(sub)).unwrap();
        }
        std::fs::write(md.join("new").join(name), data).unwrap();
    }

    /// The file names in `user`'s `new/` and `cur/`.
    pub fn messages(&self, user: &str) -> Vec<String> {
        let mut out = Vec::new();
        for sub in ["new", "cur"] {
            if let Ok(rd) = std::fs::read_dir(self.maildir(user).join(sub)) {
                out.extend(rd.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()));
            }
        }
        out.sort();
        out
    }

    pub fn ca(&self) -> PathBuf {
        self.dir.join("ca.pem")
    }
}

impl Drop for MailServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

//! The mail-server binary on ephemeral loopback ports, for the POP3 integration tests.
#![allow(dead_code, unreachable_pub, missing_docs)]

use std::path::PathBuf;
use std::process::{Command, Stdio};

use crate::pop3_support::{make_certs, ServerProcess, TempDir};

/// A running mail-server with POP3 (and SMTP) on ephemeral loopback ports.
pub struct MailServer {
    pub dir: TempDir,
    pub pop3: u16,
    pub smtp: u16,
    server: ServerProcess,
}

impl MailServer {
    /// Starts mail-server with users `name:password` lines, domain `example.test`.
    pub fn start(users: &str) -> Self {
        let dir = TempDir::new("mailserver");
        make_certs(dir.path());
        std::fs::write(dir.join("users"), users).unwrap();
        let server = ServerProcess::spawn(
            Command::new(env!("CARGO_BIN_EXE_mail-server"))
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
                .stderr(Stdio::null()),
            &["pop3", "smtp"],
        );
        let (pop3, smtp) = (server.addr("pop3").port(), server.addr("smtp").port());
        Self {
            dir,
            pop3,
            smtp,
            server,
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

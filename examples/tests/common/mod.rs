//! Helpers every integration test of the examples shares: temporary folders, required
//! programs, and a `mail-server` process on ephemeral loopback ports.
#![allow(dead_code, unreachable_pub, missing_docs)]

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A folder under the system temp dir, readable by every user (Dovecot's mail user must
/// traverse it), removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> Self {
        static N: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let path = std::env::temp_dir().join(format!(
            "mailtest-{tag}-{}-{}-{nanos}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&path).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        Self(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn join(&self, p: &str) -> PathBuf {
        self.0.join(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Fails the test loudly if `program` cannot be run.
pub fn require(program: &str) {
    let ok = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {program}"))
        .stdout(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    assert!(
        ok,
        "required program `{program}` is missing: run .ci/setup (it installs the test software)"
    );
}

/// A running `mail-server`, killed on drop.
pub struct ServerProcess {
    child: Child,
    addrs: Vec<(String, SocketAddr)>,
}

impl ServerProcess {
    /// Spawns `cmd` (a `mail-server` command line; its stdout is taken here) and waits until
    /// it has printed `mail-server: <protocol> listening on <addr>` for each of `protocols`.
    /// Its stdout is drained for as long as it runs, so it never blocks on a full pipe.
    pub fn spawn(cmd: &mut Command, protocols: &[&str]) -> Self {
        let mut child = cmd
            .stdout(Stdio::piped())
            .spawn()
            .expect("mail-server runs");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some((protocol, addr)) = line
                    .strip_prefix("mail-server: ")
                    .and_then(|l| l.split_once(" listening on "))
                {
                    let addr = addr.parse::<SocketAddr>().expect("a socket address");
                    let _ = tx.send((protocol.to_owned(), addr));
                }
            }
        });
        let mut addrs: Vec<(String, SocketAddr)> = Vec::new();
        while !protocols.iter().all(|p| addrs.iter().any(|(q, _)| q == p)) {
            let announced = rx
                .recv_timeout(Duration::from_secs(20))
                .expect("mail-server announces its listeners");
            addrs.push(announced);
        }
        Self { child, addrs }
    }

    /// Where `protocol` listens.
    pub fn addr(&self, protocol: &str) -> SocketAddr {
        self.addrs
            .iter()
            .find(|(p, _)| p == protocol)
            .unwrap_or_else(|| panic!("mail-server did not announce {protocol}"))
            .1
    }

    /// Stops the server and returns what it wrote to stderr (when that was piped).
    pub fn stop(mut self) -> Vec<u8> {
        let _ = self.child.kill();
        let mut err = Vec::new();
        if let Some(mut e) = self.child.stderr.take() {
            let _ = std::io::Read::read_to_end(&mut e, &mut err);
        }
        let _ = self.child.wait();
        err
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

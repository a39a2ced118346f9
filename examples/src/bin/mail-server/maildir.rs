//! A Maildir store, one folder per user: `ROOT/name/{tmp,new,cur}`.
//!
//! Delivery writes into `tmp/`, fsyncs the file, renames it into `new/` and fsyncs `new/`, so a
//! message a protocol acknowledged survives a crash. Readers see messages in `new/` and `cur/`
//! by their unique name (the file name up to any `:2,flags` suffix).
#![allow(dead_code)] // The read side is for the POP3 and IMAP protocols.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// A message in a user's Maildir.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MessageInfo {
    /// The unique name (file name without the `:2,` info part).
    pub(crate) unique: String,
    /// Size in octets of the file.
    pub(crate) size: u64,
    /// Where the file is.
    pub(crate) path: PathBuf,
}

/// The store.
#[derive(Debug, Clone)]
pub(crate) struct Maildir {
    root: PathBuf,
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A name no other delivery uses: time, process, counter, host (the Maildir convention).
fn unique_name() -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!(
        "{}.M{}P{}Q{n}.mail-server",
        now.as_secs(),
        now.subsec_micros(),
        std::process::id()
    )
}

fn invalid(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, what.to_owned())
}

/// User names and unique names become path components: no separators, no dot-only names.
fn check_component(s: &str) -> io::Result<&str> {
    let ok = !s.is_empty()
        && s != "."
        && s != ".."
        && !s.contains(['/', '\\', '\0'])
        && !s.starts_with('.');
    if ok {
        Ok(s)
    } else {
        Err(invalid("invalid name"))
    }
}

fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

impl Maildir {
    /// A store rooted at `root` (created on first delivery).
    pub(crate) fn new(root: PathBuf) -> Self {
        Self { root }
    }

    /// The Maildir of `user`, created if needed.
    pub(crate) fn user_dir(&self, user: &str) -> io::Result<PathBuf> {
        let dir = self.root.join(check_component(user)?);
        for sub in ["tmp", "new", "cur"] {
            fs::create_dir_all(dir.join(sub))?;
        }
        Ok(dir)
    }

    /// Delivers a whole message to `user`; returns its unique name.
    pub(crate) fn deliver(&self, user: &str, data: &[u8]) -> io::Result<String> {
        let mut spool = self.spool(user)?;
        spool.write(data)?;
        let mut names = spool.commit(&[user.to_owned()])?;
        names.pop().ok_or_else(|| invalid("no recipient"))
    }

    /// Starts a delivery that is written piece by piece into `user`'s `tmp/`.
    pub(crate) fn spool(&self, user: &str) -> io::Result<Spool> {
        let dir = self.user_dir(user)?;
        let unique = unique_name();
        let path = dir.join("tmp").join(&unique);
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        Ok(Spool {
            root: self.clone(),
            file,
            path,
            unique,
        })
    }

    /// The messages of `user` in `new/` and `cur/`, sorted by unique name.
    pub(crate) fn list(&self, user: &str) -> io::Result<Vec<MessageInfo>> {
        let dir = self.user_dir(user)?;
        let mut out = Vec::new();
        for sub in ["new", "cur"] {
            for entry in fs::read_dir(dir.join(sub))? {
                let entry = entry?;
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.starts_with('.') {
                    continue;
                }
                let unique = name.split(':').next().unwrap_or(&name).to_owned();
                out.push(MessageInfo {
                    unique,
                    size: entry.metadata()?.len(),
                    path: entry.path(),
                });
            }
        }
        out.sort_by(|a, b| a.unique.cmp(&b.unique));
        Ok(out)
    }

    /// Finds one message by unique name.
    pub(crate) fn find(&self, user: &str, unique: &str) -> io::Result<MessageInfo> {
        check_component(unique)?;
        self.list(user)?
            .into_iter()
            .find(|m| m.unique == unique)
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no such message"))
    }

    /// Opens one message for reading.
    pub(crate) fn open(&self, user: &str, unique: &str) -> io::Result<File> {
        File::open(self.find(user, unique)?.path)
    }

    /// Reads one message whole.
    pub(crate) fn read(&self, user: &str, unique: &str) -> io::Result<Vec<u8>> {
        fs::read(self.find(user, unique)?.path)
    }

    /// Deletes one message.
    pub(crate) fn delete(&self, user: &str, unique: &str) -> io::Result<()> {
        let info = self.find(user, unique)?;
        fs::remove_file(&info.path)?;
        if let Some(dir) = info.path.parent() {
            sync_dir(dir)?;
        }
        Ok(())
    }
}

/// A message being written into `tmp/`.
#[derive(Debug)]
pub(crate) struct Spool {
    root: Maildir,
    file: File,
    path: PathBuf,
    unique: String,
}

impl Spool {
    /// Appends a piece of the message.
    pub(crate) fn write(&mut self, data: &[u8]) -> io::Result<()> {
        self.file.write_all(data)
    }

    /// Makes the message durable and visible to every user in `users` (the first is the one
    /// whose `tmp/` holds it; the others get hard links). Returns the unique names.
    pub(crate) fn commit(self, users: &[String]) -> io::Result<Vec<String>> {
        self.file.sync_all()?;
        let mut names = Vec::new();
        for user in users {
            let dir = self.root.user_dir(user)?;
            let unique = unique_name();
            let tmp = dir.join("tmp").join(&unique);
            fs::hard_link(&self.path, &tmp)?;
            sync_dir(&dir.join("tmp"))?;
            fs::rename(&tmp, dir.join("new").join(&unique))?;
            sync_dir(&dir.join("new"))?;
            names.push(unique);
        }
        fs::remove_file(&self.path)?;
        Ok(names)
    }

    /// Drops the partial message.
    pub(crate) fn abort(self) {
        let _ = fs::remove_file(&self.path);
    }

    /// The unique name of the spool file.
    pub(crate) fn unique(&self) -> &str {
        &self.unique
    }
}

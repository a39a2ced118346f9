//! What the corpus tests share: the MailKit transcripts (tests/data/imap-responses, MIT, see
//! tests/data/LICENSE.MailKit) and their line ends.
#![allow(dead_code, unreachable_pub)]

use std::path::{Path, PathBuf};

/// LF to CRLF, inside literals too (the corpus' literal sizes assume it).
pub fn normalise(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len() + raw.len() / 20);
    let mut prev = 0u8;
    for &b in raw {
        if b == b'\n' && prev != b'\r' {
            out.push(b'\r');
        }
        out.push(b);
        prev = b;
    }
    out
}

/// Every corpus file, in a fixed order.
pub fn corpus_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/imap-responses");
    let mut out = Vec::new();
    for dir in ["common", "gmail", "dovecot"] {
        let mut v: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        v.sort();
        out.extend(v);
    }
    out
}

//! Fixtures shared by the criterion benches in `benches/benches/`.
//!
//! Run them with `cargo bench -p mail-benches`; each group puts our crate next to the peer crates
//! so that ratios come from one run.

pub mod message;
pub mod smtp;

/// A mail body of about `size` bytes made of lines of `line_len` bytes (without CRLF), with a
/// sprinkling of lines that start with a dot (so a dot-stuffer has work to do), ending in CRLF.
pub fn text_body(size: usize, line_len: usize) -> Vec<u8> {
    let line_len = line_len.max(1);
    let mut out = Vec::with_capacity(size + line_len + 2);
    let mut n: u32 = 0;
    while out.len() < size {
        n = n.wrapping_add(1);
        if n.is_multiple_of(17) {
            out.push(b'.');
        }
        let start = out.len();
        while out.len() - start < line_len {
            let c = b"the quick brown fox jumps over a lazy dog. 0123456789"
                [(out.len() + n as usize) % 53];
            out.push(c);
        }
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// The floor of the body-decoding groups: `wire` copied into `out` in reads of `read` bytes,
/// as a decoder that did nothing would pass it on. Returns the bytes copied.
pub fn copy_in_reads(wire: &[u8], read: usize, out: &mut Vec<u8>) -> usize {
    out.clear();
    for chunk in wire.chunks(read) {
        out.extend_from_slice(chunk);
    }
    out.len()
}

/// The code blocks of README.md, compiled and run as doc tests so the README cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

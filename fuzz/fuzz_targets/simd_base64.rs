//! The base64 line kernel of mail-simd: its AVX-512, AVX2 and scalar paths (those the CPU
//! has) equal each other, the lines it takes decode as the tolerant decoder decodes them, the
//! rest then gives the whole (`prefix + rest == whole`), and mail-message's decoder (kernel, then its own paths) equals a
//! plain tolerant decoder. The input is taken raw, and also as the seed of a body in regular
//! lines (width, line break, data) with the fuzzer's bytes written over it.
#![no_main]

use libfuzzer_sys::fuzz_target;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn value(b: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == b).map(|v| v as u32)
}

/// Mail readers' base64, byte at a time: bytes outside the alphabet skipped (only line breaks,
/// spaces and tabs silently), stop at the first `=`, a last partial group decoded as far as it
/// goes (one character alone is a defect). The decoded bytes, and whether nothing was amiss.
fn tolerant(input: &[u8]) -> (Vec<u8>, bool) {
    let (mut out, mut clean) = (Vec::new(), true);
    let (mut acc, mut n) = (0u32, 0);
    for &b in input {
        match (b, value(b)) {
            (b'=', _) => break,
            (_, Some(v)) => {
                acc = acc << 6 | v;
                n += 1;
                if n == 4 {
                    out.extend_from_slice(&acc.to_be_bytes()[1..]);
                    (acc, n) = (0, 0);
                }
            }
            (b'\r' | b'\n' | b' ' | b'\t', None) => {}
            (_, None) => clean = false,
        }
    }
    match n {
        1 => clean = false,
        2 => out.push((acc >> 4) as u8),
        3 => out.extend_from_slice(&[(acc >> 10) as u8, (acc >> 2) as u8]),
        _ => {}
    }
    (out, clean)
}

fn check(input: &[u8]) {
    let mut fast = vec![7];
    let used = mail_simd::decode_base64_lines(input, &mut fast);
    let mut slow = vec![7];
    let used_scalar = mail_simd::decode_base64_lines_scalar(input, &mut slow);
    assert_eq!((used, &fast), (used_scalar, &slow));
    // Each path this CPU has (AVX-512 VBMI, AVX2, scalar), forced.
    for path in mail_simd::Path::ALL {
        let mut direct = vec![7];
        match mail_simd::decode_base64_lines_with(path, input, &mut direct) {
            Some(n) => assert_eq!((n, &direct), (used, &slow), "{path:?}"),
            None => assert_eq!(direct, [7]),
        }
    }
    let (head, rest) = input.split_at(used);
    assert!(head.is_empty() || head.ends_with(b"\n"));
    let (want_head, head_clean) = tolerant(head);
    assert!(head_clean);
    assert_eq!(fast[1..], want_head);
    let (whole, clean) = tolerant(input);
    fast.extend_from_slice(&tolerant(rest).0);
    assert_eq!(fast[1..], whole);
    let mut all = vec![7];
    let ok = mail_message::decode::base64_decode_into(input, &mut all);
    assert_eq!((&all[1..], ok), (&whole[..], clean));
}

/// A body of `data` in lines of a width and line break chosen by `seed`.
fn lines(seed: &[u8], data: &[u8]) -> Vec<u8> {
    let width = match seed.first().copied().unwrap_or(0) % 8 {
        0..=3 => 76,
        4 => 64,
        5 => 72,
        _ => usize::from(seed.get(1).copied().unwrap_or(0)).max(1),
    };
    let eol: &[u8] = if seed.get(2).copied().unwrap_or(0) & 1 == 0 {
        b"\r\n"
    } else {
        b"\n"
    };
    let mut chars = Vec::new();
    for group in data.chunks(3) {
        let mut word = [0u8; 3];
        word[..group.len()].copy_from_slice(group);
        let w = u32::from(word[0]) << 16 | u32::from(word[1]) << 8 | u32::from(word[2]);
        for k in 0..4 {
            chars.push(if k <= group.len() {
                ALPHABET[(w >> (18 - 6 * k) & 63) as usize]
            } else {
                b'='
            });
        }
    }
    let mut out = Vec::new();
    for line in chars.chunks(width) {
        out.extend_from_slice(line);
        out.extend_from_slice(eol);
    }
    out
}

fuzz_target!(|data: &[u8]| {
    check(data);
    // A body in lines from the first bytes, then up to 4 (place, byte) changes from the next.
    let (seed, rest) = data.split_at(data.len().min(3));
    let (edits, payload) = rest.split_at(rest.len().min(12));
    let repeat = payload.len().max(1);
    let payload: Vec<u8> = payload
        .iter()
        .cycle()
        .take(repeat * (1 + 1000 / repeat))
        .copied()
        .collect();
    let mut body = lines(seed, &payload);
    for edit in edits.chunks_exact(3) {
        if !body.is_empty() {
            let at = usize::from(u16::from_le_bytes([edit[0], edit[1]])) % body.len();
            body[at] = edit[2];
        }
    }
    check(&body);
});

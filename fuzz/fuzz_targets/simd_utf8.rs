//! mail-simd's `&[u8]` to `&str` (a word-at-a-time ASCII path under 64 bytes, a general
//! validator else) equals the standard library's, on the input whole and on each of its
//! prefixes under 70 bytes (the short path's word and tail shapes); so do its `Vec<u8>` to
//! `String` and its short-ASCII-without-a-byte check (against a plain one).
#![no_main]

use libfuzzer_sys::fuzz_target;

fn check(bytes: &[u8]) {
    assert_eq!(mail_simd::utf8(bytes), std::str::from_utf8(bytes).ok());
    assert_eq!(
        mail_simd::utf8_string(bytes.to_vec()),
        String::from_utf8(bytes.to_vec()).map_err(|e| e.into_bytes())
    );
    for stop in [b'=', bytes.first().copied().unwrap_or(0)] {
        let plain = (bytes.len() < 64 && bytes.is_ascii() && !bytes.contains(&stop))
            .then(|| std::str::from_utf8(bytes).ok())
            .flatten();
        assert_eq!(mail_simd::short_ascii_without(bytes, stop), plain);
    }
}

fuzz_target!(|data: &[u8]| {
    check(data);
    for end in 0..data.len().min(70) {
        check(&data[..end]);
    }
});

//! mail-simd's `&[u8]` to `&str` (a word-at-a-time ASCII path under 64 bytes, a general
//! validator else) equals the standard library's, on the input whole and on each of its
//! prefixes under 70 bytes (the short path's word and tail shapes).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    assert_eq!(mail_simd::utf8(data), std::str::from_utf8(data).ok());
    for end in 0..data.len().min(70) {
        let prefix = &data[..end];
        assert_eq!(mail_simd::utf8(prefix), std::str::from_utf8(prefix).ok());
    }
});

//! `&[u8]` to `&str` with a fast path for short ASCII: the header values, names and parameter
//! values a message parser turns into text are nearly always a few dozen bytes of ASCII, where
//! `std::str::from_utf8` walks byte by byte (~90 instructions for a 20-byte value).

/// `std::str::from_utf8(bytes).ok()`: ASCII input of any length is checked 8 bytes at a time
/// (a value under 8 bytes with one or two overlapping loads) and becomes a `str` without a
/// second pass; other input goes to a general validator (a SIMD one from 64 bytes on).
///
/// ```
/// assert_eq!(mail_simd::utf8(b"Subject line"), Some("Subject line"));
/// assert_eq!(mail_simd::utf8("Grüße".as_bytes()), Some("Grüße"));
/// assert_eq!(mail_simd::utf8(b"caf\xe9"), None);
/// ```
#[inline]
pub fn utf8(bytes: &[u8]) -> Option<&str> {
    if bytes.len() < 64 && is_ascii_short(bytes) {
        return Some(ascii_str(bytes));
    }
    utf8_general(bytes)
}

/// `bytes` as a `str` when it is under 64 bytes, all ASCII and without `byte` (an unstructured
/// header value with no `=`, so no RFC 2047 encoded-word: the text is the value as it is), in
/// one pass of one test per word; `None` otherwise (the caller then takes its general path).
///
/// ```
/// assert_eq!(mail_simd::short_ascii_without(b"Star Trek Party!", b'='), Some("Star Trek Party!"));
/// assert_eq!(mail_simd::short_ascii_without(b"=?utf-8?q?x?=", b'='), None);
/// assert_eq!(mail_simd::short_ascii_without("Grüße".as_bytes(), b'='), None);
/// ```
#[inline]
pub fn short_ascii_without(bytes: &[u8], byte: u8) -> Option<&str> {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    // Bit 7 of some byte set when the word has a byte of 0x80 or more, or a `byte` (the zero
    // test on `w ^ splat(byte)`, exact for the word as a whole).
    let flagged = |w: u64| {
        let x = w ^ ONES.wrapping_mul(u64::from(byte));
        (x.wrapping_sub(ONES) & !x | w) & HIGH != 0
    };
    if bytes.len() >= 64 {
        return None;
    }
    let clean = if let Some(last) = bytes.last_chunk::<8>() {
        let (words, _) = bytes.as_chunks::<8>();
        !flagged(u64::from_le_bytes(*last))
            && !words.iter().any(|w| flagged(u64::from_le_bytes(*w)))
    } else {
        bytes.iter().all(|&c| c < 0x80 && c != byte)
    };
    clean.then(|| ascii_str(bytes))
}

/// `String::from_utf8(bytes)`, checked as [`utf8`] checks (short ASCII a word at a time, SIMD
/// from 64 bytes on); the bytes back when they are not UTF-8.
///
/// ```
/// assert_eq!(mail_simd::utf8_string(b"folded value".to_vec()).as_deref(), Ok("folded value"));
/// assert_eq!(mail_simd::utf8_string(b"caf\xe9".to_vec()), Err(b"caf\xe9".to_vec()));
/// ```
#[inline]
#[allow(unsafe_code)]
pub fn utf8_string(bytes: Vec<u8>) -> Result<String, Vec<u8>> {
    if utf8(&bytes).is_none() {
        return Err(bytes);
    }
    // SAFETY: `utf8` has just checked that the bytes are valid UTF-8 (`Some` is returned only
    // for ASCII or for what `simdutf8` or the standard library validated).
    Ok(unsafe { String::from_utf8_unchecked(bytes) })
}

/// The general validator: SIMD from 64 bytes on (its own ASCII fast path included), the
/// standard library's below.
#[inline(never)]
fn utf8_general(bytes: &[u8]) -> Option<&str> {
    if bytes.len() < 64 {
        return std::str::from_utf8(bytes).ok();
    }
    simdutf8::basic::from_utf8(bytes).ok()
}

/// Whether every byte of `bytes` (under 64 of them) is ASCII: the bytes ORed together a word
/// at a time (no early exit: the loop is at most 8 words), the last bytes under a word read as
/// the value's last word (read again in part), a value under 8 bytes as two overlapping
/// halves (4, 2 or 1 bytes each).
#[inline]
pub(crate) fn is_ascii_short(bytes: &[u8]) -> bool {
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    let acc = if let Some(last) = bytes.last_chunk::<8>() {
        let (words, _) = bytes.as_chunks::<8>();
        words.iter().fold(u64::from_le_bytes(*last), |acc, w| {
            acc | u64::from_le_bytes(*w)
        })
    } else if let (Some(a), Some(b)) = (bytes.first_chunk::<4>(), bytes.last_chunk::<4>()) {
        u64::from(u32::from_le_bytes(*a) | u32::from_le_bytes(*b))
    } else if let (Some(a), Some(b)) = (bytes.first_chunk::<2>(), bytes.last_chunk::<2>()) {
        u64::from(u16::from_le_bytes(*a) | u16::from_le_bytes(*b))
    } else {
        // 0 or 1 byte (n < 2).
        bytes.first().map_or(0, |&c| u64::from(c))
    };
    acc & HIGH == 0
}

/// `bytes` (all ASCII) as a `str`.
#[inline]
#[allow(unsafe_code)]
fn ascii_str(bytes: &[u8]) -> &str {
    debug_assert!(bytes.is_ascii());
    // SAFETY: both callers (`utf8`, `short_ascii_without`) have checked that every byte is
    // below 0x80, and a sequence of ASCII bytes is valid UTF-8.
    unsafe { std::str::from_utf8_unchecked(bytes) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_byte_at_every_place_of_short_values() {
        // A non-ASCII byte (and every other byte value) at every place of values of 0 to 70
        // bytes: the overlapping halves under 8, the words and the last word, the general
        // path from 64.
        for len in 0..=70 {
            let mut v = vec![b'a'; len];
            assert_eq!(utf8(&v), Some(std::str::from_utf8(&v).unwrap()));
            for at in 0..len {
                for c in 0..=255u8 {
                    v[at] = c;
                    assert_eq!(utf8(&v), std::str::from_utf8(&v).ok(), "{v:?}");
                    assert_eq!(is_ascii_short(&v), v.is_ascii(), "{v:?}");
                    for stop in [b'=', c] {
                        let plain = (len < 64 && v.is_ascii() && !v.contains(&stop))
                            .then(|| std::str::from_utf8(&v).unwrap());
                        assert_eq!(short_ascii_without(&v, stop), plain, "{v:?} {stop}");
                    }
                    assert_eq!(
                        utf8_string(v.clone()),
                        String::from_utf8(v.clone()).map_err(|e| e.into_bytes())
                    );
                    v[at] = b'a';
                }
            }
        }
    }

    #[test]
    fn multibyte_and_broken_sequences() {
        for s in [
            &b"\xc3\xa9"[..],
            b"caf\xc3\xa9",
            b"caf\xc3",
            b"\xe2\x82\xac and more text",
            b"\xed\xa0\x80",
            b"\xf0\x9f\x98\x80",
            b"\xf4\x90\x80\x80",
            b"\xff",
        ] {
            assert_eq!(utf8(s), std::str::from_utf8(s).ok(), "{s:?}");
        }
        let long = "Grüße aus Köln, ".repeat(10);
        assert_eq!(utf8(long.as_bytes()), Some(long.as_str()));
    }

    proptest! {
        #[test]
        fn equals_the_standard_library(v in proptest::collection::vec(any::<u8>(), 0..200)) {
            prop_assert_eq!(utf8(&v), std::str::from_utf8(&v).ok());
            prop_assert_eq!(
                utf8_string(v.clone()),
                String::from_utf8(v.clone()).map_err(|e| e.into_bytes())
            );
        }

        #[test]
        fn equals_the_standard_library_on_mostly_ascii(
            s in "[ -~]{0,80}",
            at in 0usize..80,
            bytes in proptest::collection::vec(any::<u8>(), 0..4),
        ) {
            let mut v = s.into_bytes();
            let at = at.min(v.len());
            v.splice(at..at, bytes);
            prop_assert_eq!(utf8(&v), std::str::from_utf8(&v).ok());
            let plain = (v.len() < 64 && v.is_ascii() && !v.contains(&b'='))
                .then(|| std::str::from_utf8(&v).unwrap());
            prop_assert_eq!(short_ascii_without(&v, b'='), plain);
        }
    }
}

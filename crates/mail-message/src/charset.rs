//! Charset decoding to UTF-8: every WHATWG label through `encoding_rs`, plus UTF-7.

use std::borrow::Cow;

/// The result of decoding bytes in a named charset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<'a> {
    /// The text, borrowed from the input when it was already valid UTF-8 (or ASCII).
    pub text: Cow<'a, str>,
    /// Whether some bytes were not valid in the charset and were replaced with U+FFFD.
    pub had_errors: bool,
    /// Whether the charset label was known (unknown labels are read as UTF-8, lossily).
    pub known: bool,
}

/// Decodes `bytes` in the charset named `label` (case-insensitive, surrounding white space
/// ignored), as a mail reader would.
///
/// Labels are the WHATWG ones (`iso-8859-1` therefore means windows-1252, a superset), plus
/// `utf-7` and `unicode-1-1-utf-7`. An unknown label is read as UTF-8, lossily, with
/// `known: false`.
///
/// ```
/// use mail_message::charset::decode;
/// assert_eq!(decode("ISO-8859-1", b"caf\xe9").text, "café");
/// assert_eq!(decode("utf-7", b"Hi Mom -+Jjo--!").text, "Hi Mom -☺-!");
/// ```
pub fn decode<'a>(label: &str, bytes: &'a [u8]) -> Decoded<'a> {
    let label = label.trim();
    if label.eq_ignore_ascii_case("utf-7") || label.eq_ignore_ascii_case("unicode-1-1-utf-7") {
        let (text, had_errors) = decode_utf7(bytes);
        return Decoded {
            text: Cow::Owned(text),
            had_errors,
            known: true,
        };
    }
    // Fast path: ASCII is the same in every ASCII-compatible charset we know.
    let encoding = lookup(label);
    let known = encoding.is_some();
    let encoding = match encoding {
        // `replacement` is WHATWG's answer for ISO-2022-KR and friends; UTF-8 lossy is kinder.
        Some(e) if e == encoding_rs::REPLACEMENT => encoding_rs::UTF_8,
        Some(e) => e,
        None => encoding_rs::UTF_8,
    };
    // UTF-8 as it is: one validation (ASCII included), no copy.
    if encoding == encoding_rs::UTF_8 {
        if let Some(text) = utf8(bytes) {
            return Decoded {
                text: Cow::Borrowed(text),
                had_errors: false,
                known,
            };
        }
    } else if encoding.is_ascii_compatible() && bytes.is_ascii() {
        return Decoded {
            text: Cow::Borrowed(utf8(bytes).unwrap_or_default()),
            had_errors: false,
            known,
        };
    }
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    Decoded {
        text,
        had_errors,
        known,
    }
}

/// Like [`decode`], for bytes the caller owns: text that is already valid UTF-8 (or ASCII in an
/// ASCII-compatible charset) is not copied.
pub fn decode_owned(label: &str, bytes: Vec<u8>) -> String {
    let utf8_ok = lookup(label.trim())
        .is_some_and(|e| e == encoding_rs::UTF_8 || e.is_ascii_compatible() && bytes.is_ascii());
    if utf8_ok {
        match mail_simd::utf8_string(bytes) {
            Ok(s) => return s,
            Err(bytes) => return decode(label, &bytes).text.into_owned(),
        }
    }
    decode(label, &bytes).text.into_owned()
}

/// `std::str::from_utf8(bytes).ok()`, with input of 64 bytes or more (a body) checked by a SIMD
/// validator (on the 44 KB of ASCII text in startrek.eml, 21,600 -> 6,400 instructions,
/// callgrind) and short ASCII (a header value) a word at a time ([`mail_simd::utf8`]).
#[inline]
pub(crate) fn utf8(bytes: &[u8]) -> Option<&str> {
    mail_simd::utf8(bytes)
}

/// `String::from_utf8_lossy(bytes).into_owned()`, with valid UTF-8 (nearly always ASCII)
/// checked by the fast validator instead of the chunked lossy walk, which goes byte by byte.
pub(crate) fn lossy_string(bytes: &[u8]) -> String {
    match utf8(bytes) {
        Some(s) => s.to_owned(),
        None => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// [`lossy_string`] for bytes we own: valid UTF-8 becomes the string without a copy.
pub(crate) fn lossy_string_owned(bytes: Vec<u8>) -> String {
    mail_simd::utf8_string(bytes).unwrap_or_else(|b| String::from_utf8_lossy(&b).into_owned())
}

/// Whether `label` is `utf-8` in any case, the charset of most mail: five byte compares
/// instead of `eq_ignore_ascii_case` (callgrind: ~40 instructions a call).
#[inline]
pub(crate) fn is_utf8_label(label: &str) -> bool {
    matches!(label.as_bytes(), [u, t, f, b'-', b'8']
        if u | 0x20 == b'u' && t | 0x20 == b't' && f | 0x20 == b'f')
}

/// `Encoding::for_label`, with the two labels most mail uses looked up without a search.
pub(crate) fn lookup(label: &str) -> Option<&'static encoding_rs::Encoding> {
    if is_utf8_label(label) {
        Some(encoding_rs::UTF_8)
    } else if label.eq_ignore_ascii_case("us-ascii") {
        Some(encoding_rs::WINDOWS_1252)
    } else {
        encoding_rs::Encoding::for_label(label.as_bytes())
    }
}

/// Whether `encoding_rs` (or our UTF-7 decoder) knows the charset `label`.
pub fn is_known(label: &str) -> bool {
    let label = label.trim();
    label.eq_ignore_ascii_case("utf-7")
        || label.eq_ignore_ascii_case("unicode-1-1-utf-7")
        || encoding_rs::Encoding::for_label(label.as_bytes()).is_some()
}

fn b64_value(b: u8) -> Option<u32> {
    match b {
        b'A'..=b'Z' => Some(u32::from(b - b'A')),
        b'a'..=b'z' => Some(u32::from(b - b'a') + 26),
        b'0'..=b'9' => Some(u32::from(b - b'0') + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// RFC 2152 UTF-7. Returns the text and whether anything was invalid.
fn decode_utf7(bytes: &[u8]) -> (String, bool) {
    let mut out = String::with_capacity(bytes.len());
    let mut errors = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b != b'+' {
            if b.is_ascii() {
                out.push(char::from(b));
            } else {
                out.push(char::REPLACEMENT_CHARACTER);
                errors = true;
            }
            i += 1;
            continue;
        }
        i += 1;
        if bytes.get(i) == Some(&b'-') {
            out.push('+');
            i += 1;
            continue;
        }
        // Modified base64 run: 16-bit units, big-endian.
        let mut acc: u32 = 0;
        let mut bits = 0u32;
        let mut units: Vec<u16> = Vec::new();
        while let Some(v) = bytes.get(i).and_then(|&c| b64_value(c)) {
            acc = (acc << 6) | v;
            bits += 6;
            if bits >= 16 {
                bits -= 16;
                units.push(((acc >> bits) & 0xffff) as u16);
            }
            acc &= (1 << bits) - 1;
            i += 1;
        }
        if acc != 0 {
            errors = true;
        }
        for c in char::decode_utf16(units.iter().copied()) {
            match c {
                Ok(c) => out.push(c),
                Err(_) => {
                    errors = true;
                    out.push(char::REPLACEMENT_CHARACTER);
                }
            }
        }
        // An explicit '-' ends the run and is absorbed.
        if bytes.get(i) == Some(&b'-') {
            i += 1;
        }
    }
    (out, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_label_is_the_case_insensitive_comparison() {
        let mut labels: Vec<String> = [
            "utf-8", "UTF-8", "Utf-8", "utf8", "utf-16", " utf-8", "utf-8 ", "utf-88", "", "u",
            "uTf-8",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // Every byte at every place of `utf-8`.
        for i in 0..5 {
            for c in 0..=127u8 {
                let mut b = b"utf-8".to_vec();
                b[i] = c;
                labels.push(String::from_utf8(b).unwrap_or_default());
            }
        }
        for l in &labels {
            assert_eq!(is_utf8_label(l), l.eq_ignore_ascii_case("utf-8"), "{l:?}");
        }
    }

    #[test]
    fn lossy_strings_match_the_standard_library() {
        for bytes in [
            &b"plain ascii"[..],
            "Grüße".as_bytes(),
            b"caf\xe9 \xff",
            b"",
        ] {
            let want = String::from_utf8_lossy(bytes).into_owned();
            assert_eq!(lossy_string(bytes), want);
            assert_eq!(lossy_string_owned(bytes.to_vec()), want);
        }
    }

    #[test]
    fn long_text_validated_by_simd_reads_as_the_standard_library() {
        let long = "Grüße aus Köln, ".repeat(20);
        let d = decode("utf-8", long.as_bytes());
        assert!(matches!(d.text, Cow::Borrowed(t) if t == long));
        assert!(!d.had_errors);
        // One bad byte in the middle: the SIMD check refuses, the decoder replaces it.
        let mut bad = long.clone().into_bytes();
        bad.push(0xff);
        bad.extend_from_slice(long.as_bytes());
        let d = decode("utf-8", &bad);
        assert!(d.had_errors);
        assert_eq!(d.text, String::from_utf8_lossy(&bad));
        // Every length around the SIMD block sizes, cut inside characters too.
        for n in 0..bad.len() {
            assert_eq!(utf8(&bad[..n]), std::str::from_utf8(&bad[..n]).ok(), "{n}");
        }
    }

    proptest::proptest! {
        #[test]
        fn utf8_check_is_the_standard_librarys(
            bytes in proptest::collection::vec(
                proptest::sample::select(vec![b'a', b' ', 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x80, 0xff, 0xed, 0xa0]),
                0..300,
            ),
        ) {
            proptest::prop_assert_eq!(utf8(&bytes), std::str::from_utf8(&bytes).ok());
        }
    }

    #[test]
    fn utf7_rfc2152_examples() {
        assert_eq!(decode_utf7(b"A+ImIDkQ.").0, "A\u{2262}\u{391}.");
        assert_eq!(decode_utf7(b"Hi Mom -+Jjo--!").0, "Hi Mom -\u{263a}-!");
        assert_eq!(decode_utf7(b"+ZeVnLIqe-").0, "\u{65e5}\u{672c}\u{8a9e}");
        assert_eq!(decode_utf7(b"1 +- 1").0, "1 + 1");
        // a surrogate pair
        assert_eq!(decode_utf7(b"+2D3eAA-").0, "\u{1f600}");
    }

    #[test]
    fn labels() {
        assert_eq!(decode("utf-8", "é".as_bytes()).text, "é");
        assert_eq!(decode(" KOI8-R ", b"\xf0\xd2\xc9").text, "При");
        assert_eq!(decode("shift_jis", b"\x82\xa0").text, "あ");
        let d = decode("x-no-such", b"a\xffb");
        assert!(!d.known);
        assert_eq!(d.text, "a\u{fffd}b");
        assert!(is_known("windows-1252"));
        assert!(matches!(
            decode("us-ascii", b"plain").text,
            Cow::Borrowed(_)
        ));
    }
}

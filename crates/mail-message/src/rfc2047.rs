//! RFC 2047 encoded-words: decoding of header text.

use std::borrow::Cow;

use crate::charset;
use crate::defect::DefectKind;

/// Decodes unstructured header text (already unfolded): RFC 2047 encoded-words become their
/// text, white space between two adjacent encoded-words is dropped (RFC 2047 section 6.2), and
/// adjacent encoded-words in the same charset are joined *before* charset decoding, so a UTF-8
/// sequence split across two words comes out whole. Raw non-ASCII bytes are read as UTF-8
/// (RFC 6532), lossily.
///
/// Encoded-words glued to other text (`foo=?utf-8?q?bar?=`) are decoded as most readers do, with
/// a [`DefectKind::EncodedWordNotSeparated`].
///
/// ```
/// use mail_message::rfc2047::decode_text;
/// let (text, _) = decode_text(b"=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?= c");
/// assert_eq!(text, "ab c");
/// let (text, _) = decode_text(b"=?utf-8?B?w6k=?= =?utf-8?B?w6k=?=");
/// assert_eq!(text, "éé");
/// ```
pub fn decode_text(input: &[u8]) -> (Cow<'_, str>, Vec<DefectKind>) {
    let mut defects = Vec::new();
    if !has_encoded_word_start(input) {
        return (utf8_lossy(input, &mut defects), defects);
    }
    let mut out = String::with_capacity(input.len());
    // Encoded bytes waiting for their charset decode, and white space after the last word.
    let mut pending: Option<(&str, Vec<u8>)> = None;
    let mut pending_ws: &[u8] = &[];
    let mut last_was_ew = false;
    let mut i = 0;
    while i < input.len() {
        let rest = &input[i..];
        if let Some(ew) = parse_encoded_word(rest) {
            if !last_was_ew {
                // a literal run or the start came before: nothing pending to join
            } else {
                // white space between two encoded-words is dropped
                pending_ws = &[];
            }
            let mut bytes = Vec::new();
            if !ew.decode_into(&mut bytes) {
                defects.push(DefectKind::InvalidEncodedWord);
            }
            match &mut pending {
                Some((cs, buf)) if cs.eq_ignore_ascii_case(ew.charset) => buf.extend(bytes),
                _ => {
                    flush(&mut out, &mut pending, &mut defects);
                    pending = Some((ew.charset, bytes));
                }
            }
            last_was_ew = true;
            i += ew.len;
            // An encoded-word followed directly by text is glued.
            if let Some(&next) = input.get(i) {
                if next != b' ' && next != b'\t' && !input[i..].starts_with(b"=?") {
                    defects.push(DefectKind::EncodedWordNotSeparated);
                }
            }
            continue;
        }
        let b = rest[0];
        if b == b' ' || b == b'\t' {
            let n = rest
                .iter()
                .position(|&c| c != b' ' && c != b'\t')
                .unwrap_or(rest.len());
            if last_was_ew {
                pending_ws = &rest[..n];
            } else {
                out.push_str(&utf8_lossy(&rest[..n], &mut defects));
            }
            i += n;
            continue;
        }
        // A literal run: up to white space or an "=?" that starts a valid encoded-word.
        let mut end = 1;
        while end < rest.len() {
            let c = rest[end];
            if c == b' ' || c == b'\t' {
                break;
            }
            if c == b'='
                && rest.get(end + 1) == Some(&b'?')
                && parse_encoded_word(&rest[end..]).is_some()
            {
                defects.push(DefectKind::EncodedWordNotSeparated);
                break;
            }
            end += 1;
        }
        flush(&mut out, &mut pending, &mut defects);
        if last_was_ew && pending_ws.is_empty() {
            defects.push(DefectKind::EncodedWordNotSeparated);
        }
        out.push_str(&utf8_lossy(pending_ws, &mut defects));
        pending_ws = &[];
        out.push_str(&utf8_lossy(&rest[..end], &mut defects));
        last_was_ew = false;
        i += end;
    }
    flush(&mut out, &mut pending, &mut defects);
    out.push_str(&utf8_lossy(pending_ws, &mut defects));
    (Cow::Owned(out), defects)
}

fn flush(out: &mut String, pending: &mut Option<(&str, Vec<u8>)>, defects: &mut Vec<DefectKind>) {
    if let Some((cs, bytes)) = pending.take() {
        let d = charset::decode(cs, &bytes);
        if !d.known {
            defects.push(DefectKind::UnknownCharset);
        } else if d.had_errors {
            defects.push(DefectKind::InvalidCharsetBytes);
        }
        out.push_str(&d.text);
    }
}

/// Whether `input` contains `=?` (cheaper than building a substring searcher for the short
/// values headers have). Under 32 bytes (a Subject, a parameter value) the `=` are looked for
/// 8 bytes at a time in a register, as `header::is_short_plain_line` does, instead of
/// setting up `memchr`; a word that holds one is read byte by byte.
pub(crate) fn has_encoded_word_start(input: &[u8]) -> bool {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    let starts_at = |i: usize| input.get(i..i + 2) == Some(b"=?");
    if input.len() >= 32 {
        return memchr::memchr_iter(b'=', input).any(|i| input.get(i + 1) == Some(&b'?'));
    }
    let mut at = 0;
    while let Some(bytes) = input
        .get(at..at + 8)
        .and_then(|c| <[u8; 8]>::try_from(c).ok())
    {
        // A zero byte in `w ^ splat('=')` is a `=` in `w` (the test may flag a word that has
        // none, never miss one).
        let w = u64::from_le_bytes(bytes) ^ (ONES * u64::from(b'='));
        if w.wrapping_sub(ONES) & !w & HIGH != 0 && (at..at + 8).any(starts_at) {
            return true;
        }
        at += 8;
    }
    let tail = input.get(at..).unwrap_or_default();
    tail.iter()
        .enumerate()
        .any(|(k, &c)| c == b'=' && input.get(at + k + 1) == Some(&b'?'))
}

pub(crate) fn utf8_lossy<'a>(bytes: &'a [u8], defects: &mut Vec<DefectKind>) -> Cow<'a, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => {
            defects.push(DefectKind::NonUtf8Header);
            String::from_utf8_lossy(bytes)
        }
    }
}

/// One syntactically valid encoded-word at the start of some input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncodedWord<'a> {
    /// The charset, without any RFC 2231 `*language` suffix.
    pub charset: &'a str,
    /// The RFC 2231 language, if any (`=?utf-8*en?Q?..?=`).
    pub language: Option<&'a str>,
    /// Whether the encoding is `B` (else `Q`).
    pub base64: bool,
    /// The encoded text between the third `?` and the final `?=`.
    pub text: &'a [u8],
    /// Length of the whole word in the input.
    pub len: usize,
}

impl EncodedWord<'_> {
    /// Appends the decoded octets (still in `charset`) to `out`; false if the encoded text was
    /// not valid (what could be read is still appended).
    pub fn decode_into(&self, out: &mut Vec<u8>) -> bool {
        if self.base64 {
            crate::decode::base64_decode_into(self.text, out)
        } else {
            decode_q_into(self.text, out)
        }
    }
}

/// The `Q` encoding (RFC 2047 4.2) of `text` decoded onto `out`: runs of plain bytes copied
/// whole (not pushed one at a time), `_` a space, `=XX` one octet
/// (its digits read from one table); false if an `=` is not followed by two hex digits (then
/// the `=` is kept as it is and decoding goes on after it).
fn decode_q_into(text: &[u8], out: &mut Vec<u8>) -> bool {
    out.reserve(text.len());
    let mut ok = true;
    let mut rest = text;
    loop {
        // Encoded words are short (75 bytes at most): a byte loop, no search set-up.
        let plain = rest
            .iter()
            .position(|&c| c == b'=' || c == b'_')
            .unwrap_or(rest.len());
        let (run, after) = rest.split_at_checked(plain).unwrap_or((rest, &[]));
        out.extend_from_slice(run);
        rest = match *after {
            [] => return ok,
            [b'_', ref more @ ..] => {
                out.push(b' ');
                more
            }
            [_, h, l, ref more @ ..]
                if crate::decode::HEX[usize::from(h)] | crate::decode::HEX[usize::from(l)] < 16 =>
            {
                out.push(
                    crate::decode::HEX[usize::from(h)] << 4 | crate::decode::HEX[usize::from(l)],
                );
                more
            }
            [_, ref more @ ..] => {
                ok = false;
                out.push(b'=');
                more
            }
        };
    }
}

pub(crate) fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'A'..=b'F' => Some(c - b'A' + 10),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    }
}

/// RFC 2047 `token` bytes: printable ASCII but `especials`.
static TOKEN: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 33;
    while c < 127 {
        t[c] = !matches!(
            c as u8,
            b'(' | b')'
                | b'<'
                | b'>'
                | b'@'
                | b','
                | b';'
                | b':'
                | b'"'
                | b'/'
                | b'['
                | b']'
                | b'?'
                | b'='
        );
        c += 1;
    }
    t
};

/// Parses `=?charset[*lang]?B|Q?text?=` at the start of `input`. The charset is a `token`
/// (RFC 2047 section 2), the text holds no `?` and no white space.
pub fn parse_encoded_word(input: &[u8]) -> Option<EncodedWord<'_>> {
    let rest = input.strip_prefix(b"=?")?;
    // The charset runs to the first byte that is not a token byte, which must be the `?`
    // (within 80 bytes); `?` is no token byte, so this finds it and checks the charset at once.
    let head = rest.get(..80).unwrap_or(rest);
    let q1 = head.iter().position(|&c| !TOKEN[usize::from(c)])?;
    if q1 == 0 || rest[q1] != b'?' {
        return None;
    }
    // Token bytes are ASCII: the common charsets are matched whole, the rest checked as UTF-8
    // (which cannot fail, but a call costs more than the match).
    let cs_bytes = &rest[..q1];
    let cs_full = match cs_bytes {
        b"utf-8" => "utf-8",
        b"UTF-8" => "UTF-8",
        b"iso-8859-1" => "iso-8859-1",
        b"ISO-8859-1" => "ISO-8859-1",
        b"us-ascii" => "us-ascii",
        b"US-ASCII" => "US-ASCII",
        _ => std::str::from_utf8(cs_bytes).ok()?,
    };
    let (charset, language) = match cs_full.bytes().position(|c| c == b'*') {
        Some(p) => (&cs_full[..p], Some(&cs_full[p + 1..])),
        None => (cs_full, None),
    };
    if charset.is_empty() {
        return None;
    }
    let rest = &rest[q1 + 1..];
    let base64 = match rest.first()? {
        b'B' | b'b' => true,
        b'Q' | b'q' => false,
        _ => return None,
    };
    let rest = rest.get(1..)?.strip_prefix(b"?")?;
    // The text ends at the first `?` and may hold no white space: the `?` found by `memchr`,
    // then the text checked in a pass without early exit, which the compiler vectorizes (the
    // search stops at the next word's `?` at the latest, so no byte is scanned twice over).
    let j = memchr::memchr(b'?', rest)?;
    let text = &rest[..j];
    if rest.get(j + 1) != Some(&b'=')
        || text.iter().fold(false, |ws, &c| {
            ws | matches!(c, b' ' | b'\t' | b'\r' | b'\n')
        })
    {
        return None;
    }
    let len = 2 + q1 + 1 + 2 + j + 2;
    Some(EncodedWord {
        charset,
        language,
        base64,
        text,
        len,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Q decoding byte by byte, as it was before runs were copied whole.
    fn plain_q(t: &[u8]) -> (Vec<u8>, bool) {
        let (mut out, mut ok, mut i) = (Vec::new(), true, 0);
        while i < t.len() {
            match t[i] {
                b'_' => out.push(b' '),
                b'=' => match (
                    t.get(i + 1).and_then(|&c| hex(c)),
                    t.get(i + 2).and_then(|&c| hex(c)),
                ) {
                    (Some(h), Some(l)) => {
                        out.push(h << 4 | l);
                        i += 2;
                    }
                    _ => {
                        ok = false;
                        out.push(b'=');
                    }
                },
                c => out.push(c),
            }
            i += 1;
        }
        (out, ok)
    }

    #[test]
    fn q_decoding_equals_a_byte_by_byte_decoder() {
        // Texts of 0 to 40 pieces: plain runs, `_`, `=XX` in both cases, `=` with one, no or
        // bad digits, at the end, 8-bit bytes; onto an empty and a non-empty vector.
        let pieces: [&[u8]; 12] = [
            b"abc", b"_", b"=C3", b"=a9", b"=", b"=4", b"=G1", b"==41", b"=\r", b"\xff", b"x",
            b"=3D",
        ];
        let mut seed = 9u32;
        for _ in 0..5000 {
            let mut t = Vec::new();
            seed = crate::test_rng::step(seed);
            for _ in 0..(seed >> 27) + (seed >> 30) * 8 {
                seed = crate::test_rng::step(seed);
                t.extend_from_slice(pieces[(seed >> 20) as usize % pieces.len()]);
            }
            for start in [&b""[..], b"kept"] {
                let mut out = start.to_vec();
                let ok = decode_q_into(&t, &mut out);
                let (plain, plain_ok) = plain_q(&t);
                assert_eq!((&out[start.len()..], ok), (&plain[..], plain_ok), "{t:?}");
                assert_eq!(&out[..start.len()], start);
            }
        }
    }

    #[test]
    fn encoded_word_start_matches_a_plain_scan() {
        fn plain(v: &[u8]) -> bool {
            v.windows(2).any(|w| w == b"=?")
        }
        // "=?" at every place of values of 0 to 40 bytes (the word path, the tail, a pair
        // across two words, memchr from 32), with lone `=` and `?` and bytes near them.
        for len in 0..=40 {
            for background in [b'a', b'=', b'?', 0x3c, 0x3e, 0xbd] {
                let mut v = vec![background; len];
                assert_eq!(has_encoded_word_start(&v), plain(&v), "{v:?}");
                for at in 0..len {
                    for (c, d) in [(b'=', b'?'), (b'=', b'x'), (b'?', b'='), (b'=', b'=')] {
                        let keep = v.clone();
                        v[at] = c;
                        if let Some(next) = v.get_mut(at + 1) {
                            *next = d;
                        }
                        assert_eq!(has_encoded_word_start(&v), plain(&v), "{v:?}");
                        v = keep;
                    }
                }
            }
        }
    }

    fn d(s: &str) -> String {
        decode_text(s.as_bytes()).0.into_owned()
    }

    /// RFC 2047 section 8 examples of white space handling.
    #[test]
    fn encoded_word_charset_bounds() {
        let ew = parse_encoded_word(b"=?UTF-8*en?Q?a_b?= rest").unwrap();
        assert_eq!(
            (ew.charset, ew.language, ew.base64),
            ("UTF-8", Some("en"), false)
        );
        assert_eq!((ew.text, ew.len), (&b"a_b"[..], 18));
        // A charset with a byte outside the token set, an empty one, a missing `?`.
        for bad in [
            &b"=?ut(f?q?x?="[..],
            b"=?ut f?q?x?=",
            b"=??q?x?=",
            b"=?utf-8",
            b"=?utf-8?q?a b?=",
        ] {
            assert!(parse_encoded_word(bad).is_none(), "{bad:?}");
        }
        // The `?` after the charset must come within 80 bytes.
        let long = |n: usize| format!("=?{}?q?x?=", "a".repeat(n));
        assert!(parse_encoded_word(long(79).as_bytes()).is_some());
        assert!(parse_encoded_word(long(80).as_bytes()).is_none());
        // The charsets taken whole by the match and those checked as UTF-8 read the same.
        for cs in [
            "utf-8",
            "UTF-8",
            "Utf-8",
            "iso-8859-1",
            "ISO-8859-1",
            "latin1",
            "US-ASCII",
        ] {
            let word = format!("=?{cs}?B?w6k=?= x");
            let ew = parse_encoded_word(word.as_bytes()).unwrap();
            assert_eq!(
                (ew.charset, ew.language, ew.text, ew.len),
                (cs, None, &b"w6k="[..], word.len() - 2)
            );
        }
        // The text ends at the first `?`, which `=` must follow; white space anywhere in it
        // (found after the `?` was) makes it no encoded-word.
        for bad in [
            &b"=?utf-8?q?abc"[..],
            b"=?utf-8?q?abc?",
            b"=?utf-8?q?abc?x=",
            b"=?utf-8?q?a\tbc?=",
            b"=?utf-8?q?abcdefghijklmnopqrstuvwxyz0123456789\r\n?=",
            b"=?utf-8?q?abc ?= =?utf-8?q?d?=",
        ] {
            assert!(parse_encoded_word(bad).is_none(), "{bad:?}");
        }
        let ew = parse_encoded_word(b"=?utf-8?q?a=3F?= b?=").unwrap();
        assert_eq!((ew.text, ew.len), (&b"a=3F"[..], 16));
    }

    #[test]
    fn rfc2047_section8_table() {
        let table = [
            ("(=?ISO-8859-1?Q?a?=)", "(a)"),
            ("(=?ISO-8859-1?Q?a?= b)", "(a b)"),
            ("(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)", "(ab)"),
            ("(=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=)", "(ab)"),
            ("(=?ISO-8859-1?Q?a?=\t =?ISO-8859-1?Q?b?=)", "(ab)"),
            ("(=?ISO-8859-1?Q?a_b?=)", "(a b)"),
            ("(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)", "(a b)"),
            ("=?US-ASCII?Q?Keith_Moore?=", "Keith Moore"),
            ("=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?=", "Keld Jørn Simonsen"),
            ("=?ISO-8859-1?Q?Andr=E9?= Pirard", "André Pirard"),
            (
                "=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?= =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=",
                "If you can read this you understand the example.",
            ),
            ("=?UTF-8*en?Q?hello?=", "hello"),
            ("a =?utf-8?q?b?= c", "a b c"),
            ("no words here", "no words here"),
            ("=?utf-8?q?bad", "=?utf-8?q?bad"),
            ("=?utf-8?x?bad?=", "=?utf-8?x?bad?="),
            ("=??q?x?=", "=??q?x?="),
            ("=?utf-8?q??=", ""),
            ("=?utf-8?b?w6k?=", "é"),
        ];
        for (input, want) in table {
            assert_eq!(d(input), want, "{input}");
        }
    }

    #[test]
    fn split_utf8_across_words() {
        // "é" is C3 A9, split over two words.
        assert_eq!(d("=?utf-8?q?=C3?= =?utf-8?q?=A9?="), "é");
        assert_eq!(d("=?UTF-8?B?w6nDqcOp?= =?utf-8?B?w6k=?="), "éééé");
    }

    #[test]
    fn glued_words_decode_with_defect() {
        let (t, defects) = decode_text(b"foo=?utf-8?q?bar?=baz");
        assert_eq!(t, "foobarbaz");
        assert!(defects.contains(&DefectKind::EncodedWordNotSeparated));
    }

    #[test]
    fn adversarial_is_linear() {
        let s = "=?a?q?".repeat(50_000);
        let (t, _) = decode_text(s.as_bytes());
        assert_eq!(t.len(), s.len());
        let s = "=?".repeat(100_000);
        assert_eq!(d(&s), s);
    }
}

//! Modified UTF-7 for mailbox names (RFC 3501 5.1.3).

use base64::alphabet::Alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;

fn engine() -> Option<GeneralPurpose> {
    let alphabet =
        Alphabet::new("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,").ok()?;
    Some(GeneralPurpose::new(
        &alphabet,
        GeneralPurposeConfig::new()
            .with_encode_padding(false)
            .with_decode_padding_mode(DecodePaddingMode::RequireNone)
            .with_decode_allow_trailing_bits(false),
    ))
}

/// Encodes a Unicode mailbox name in modified UTF-7.
///
/// ```
/// assert_eq!(imap_proto::utf7::encode("Entwürfe"), "Entw&APw-rfe");
/// assert_eq!(imap_proto::utf7::encode("a&b"), "a&-b");
/// ```
pub fn encode(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut pending: Vec<u16> = Vec::new();
    let flush = |pending: &mut Vec<u16>, out: &mut String| {
        if pending.is_empty() {
            return;
        }
        let bytes: Vec<u8> = pending.iter().flat_map(|u| u.to_be_bytes()).collect();
        out.push('&');
        if let Some(e) = engine() {
            out.push_str(&e.encode(bytes));
        }
        out.push('-');
        pending.clear();
    };
    for c in name.chars() {
        if (' '..='~').contains(&c) {
            flush(&mut pending, &mut out);
            if c == '&' {
                out.push_str("&-");
            } else {
                out.push(c);
            }
        } else {
            let mut buf = [0u16; 2];
            pending.extend_from_slice(c.encode_utf16(&mut buf));
        }
    }
    flush(&mut pending, &mut out);
    out
}

/// Decodes a modified UTF-7 mailbox name; `None` when it is not valid modified UTF-7 (for example
/// a UTF-8 name under UTF8=ACCEPT, or a bare `&`).
///
/// ```
/// assert_eq!(imap_proto::utf7::decode("Andere Ben&APw-tzer").as_deref(), Some("Andere Benützer"));
/// assert_eq!(imap_proto::utf7::decode("&Jjo-!").as_deref(), Some("☺!"));
/// ```
pub fn decode(wire: &str) -> Option<String> {
    let engine = engine()?;
    let mut out = String::with_capacity(wire.len());
    let mut rest = wire;
    while let Some(pos) = rest.find('&') {
        let (plain, tail) = rest.split_at(pos);
        if !plain.bytes().all(|b| (0x20..=0x7e).contains(&b)) {
            return None;
        }
        out.push_str(plain);
        let tail = tail.get(1..)?;
        let end = tail.find('-')?;
        let (b64, after) = tail.split_at(end);
        if b64.is_empty() {
            out.push('&');
        } else {
            let bytes = engine.decode(b64).ok()?;
            if bytes.len() % 2 != 0 {
                return None;
            }
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|c| match c {
                    [a, b] => u16::from_be_bytes([*a, *b]),
                    _ => 0,
                })
                .collect();
            let s = String::from_utf16(&units).ok()?;
            // Printable ASCII must not be base64-encoded.
            if s.chars().any(|c| (' '..='~').contains(&c)) {
                return None;
            }
            out.push_str(&s);
        }
        rest = after.get(1..)?;
    }
    if !rest.bytes().all(|b| (0x20..=0x7e).contains(&b)) {
        return None;
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_3501_example() {
        let wire = "~peter/mail/&U,BTFw-/&ZeVnLIqe-";
        let name = decode(wire).unwrap_or_default();
        assert_eq!(
            name,
            "~peter/mail/\u{53f0}\u{5317}/\u{65e5}\u{672c}\u{8a9e}"
        );
        assert_eq!(encode(&name), wire);
    }

    #[test]
    fn rejects_invalid() {
        assert_eq!(decode("a&b"), None);
        assert_eq!(decode("&AGE-"), None); // "a" must not be encoded
        assert_eq!(decode("Entwürfe"), None);
    }

    proptest::proptest! {
        #[test]
        fn round_trip(s in "\\PC{0,20}") {
            proptest::prop_assert_eq!(decode(&encode(&s)), Some(s));
        }
    }
}

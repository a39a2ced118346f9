//! The structured-field parsers and decoders on any bytes: no panic; base64 folded into lines
//! decodes as it does in one line; the one-pass readers of the common address-list, date and
//! message-id shapes, the encoded-word length, and the MIME tree's readings of field names and transfer encodings,
//! where they answer, answer as the general parsers; each structured parser reads a raw value
//! (folds and all) as the value unfolded; the quoted-printable run search is a plain search.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::borrow::Cow;

use mail_message::{address, charset, date, decode, fuzzing, header, params, rfc2047, Limits};

fuzz_target!(|data: &[u8]| {
    let list = address::parse_address_list(data);
    for m in list.mailboxes() {
        let _ = m.address();
    }
    if let Some(fast) = fuzzing::address_list_common(data) {
        let general = fuzzing::address_list_general(data);
        assert_eq!(fast, general);
        assert_eq!(borrows(&fast), borrows(&general));
    }
    // The encoded-word length at every `=?` of the input.
    for (at, _) in data.windows(2).enumerate().filter(|(_, w)| *w == b"=?") {
        let rest = &data[at..];
        assert_eq!(
            fuzzing::encoded_word_len_fast(rest),
            fuzzing::encoded_word_len_general(rest)
        );
    }
    if let Some(fast) = fuzzing::date_common(data) {
        assert_eq!(Some(fast), fuzzing::date_general(data));
    }
    if let Some(fast) = fuzzing::message_ids_common(data) {
        assert_eq!((fast, false), fuzzing::message_ids_general(data));
    }
    if let Some(d) = date::parse_date(data) {
        let _ = (d.date.to_rfc3339(), d.date.to_rfc5322(), d.date.timestamp());
    }
    // A raw value, folds and all, reads as the value unfolded.
    let unfolded = fuzzing::unfold(data);
    assert_eq!(list, address::parse_address_list(&unfolded));
    assert_eq!(date::parse_date(data), date::parse_date(&unfolded));
    assert_eq!(
        params::parse_content_type(data),
        params::parse_content_type(&unfolded)
    );
    assert_eq!(
        params::parse_content_disposition(data),
        params::parse_content_disposition(&unfolded)
    );
    assert_eq!(
        params::parse_message_ids(data),
        params::parse_message_ids(&unfolded)
    );
    let _ = params::TransferEncoding::parse(data);
    let _ = rfc2047::decode_text(data);
    let mut out = Vec::new();
    let _ = decode::base64_decode_into(data, &mut out);
    // Folded into 76-character lines (the SIMD path's line loops, or the tolerant decoder) the
    // same bytes decode to the same result as in one line (one long line in pieces).
    let mut folded = Vec::new();
    for (i, line) in data.chunks(76).enumerate() {
        if i > 0 {
            folded.extend_from_slice(if data.len() % 2 == 0 { b"\r\n" } else { b"\n" });
        }
        folded.extend_from_slice(line);
    }
    let (mut one, mut lines) = (Vec::new(), Vec::new());
    assert_eq!(
        decode::base64_decode_into(data, &mut one),
        decode::base64_decode_into(&folded, &mut lines)
    );
    assert_eq!(one, lines);
    let _ = decode::quoted_printable_decode_into(data, &mut out);
    let _ = decode::uudecode_into(data, &mut out);
    let _ = charset::decode("utf-7", data);
    // The MIME tree's in-place readings of field names and transfer encodings, where they
    // answer, answer as the general ones; the quoted-printable run search is a plain search.
    if let mail_message::Status::Complete(block, _) =
        header::parse_header_block(data, &Limits::default())
    {
        for f in block.header().iter() {
            if let Some(fast) = fuzzing::content_field_fast(f.raw()) {
                assert_eq!(fast, fuzzing::content_field_general(f));
            }
            if let Some(fast) = fuzzing::transfer_encoding_fast(f.raw_value()) {
                assert_eq!(fast, fuzzing::transfer_encoding_general(f.raw_value()));
            }
        }
    }
    if let Some(fast) = fuzzing::transfer_encoding_fast(data) {
        assert_eq!(fast, fuzzing::transfer_encoding_general(data));
    }
    // The one-pass Content-Type reader, where it answers, answers as the lexer's parser, its
    // values borrowed alike.
    if let Some(fast) = fuzzing::content_type_fast(data) {
        let general = fuzzing::content_type_general(data);
        assert_eq!(
            general.as_ref().map(value_borrows),
            Some(value_borrows(&fast))
        );
        assert_eq!(Some(fast), general);
    }
    for from in [0, data.len() / 3, data.len()] {
        let plain = data[from..]
            .iter()
            .position(|&c| matches!(c, b'=' | b'\r' | b'\n'))
            .map_or(data.len(), |p| from + p);
        assert_eq!(fuzzing::quoted_printable_next_special(data, from), plain);
    }
});

/// Which strings of each mailbox borrow the input (name, local part, domain).
fn borrows(list: &address::AddressList<'_>) -> Vec<[bool; 3]> {
    let b = |c: Option<&Cow<'_, str>>| matches!(c, Some(Cow::Borrowed(_)));
    list.mailboxes()
        .map(|m| {
            [
                b(m.name.as_ref()),
                b(Some(&m.local_part)),
                b(m.domain.as_ref()),
            ]
        })
        .collect()
}

/// Which parameter values borrow (the input or a static common value).
fn value_borrows(ct: &params::ContentType<'_>) -> Vec<bool> {
    ct.params
        .iter()
        .map(|(_, v)| matches!(v, Cow::Borrowed(_)))
        .collect()
}

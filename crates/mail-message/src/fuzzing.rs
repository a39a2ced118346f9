//! The fast paths of the structured-field parsers and the general parsers they fall back to,
//! each on its own, for the fuzz targets that hold them equal. Not part of the stable API.

use crate::address::AddressList;
use crate::date::ParsedDate;

/// The one-pass reader of the common address-list shapes; `None` where it leaves the list to
/// [`address_list_general`].
pub fn address_list_common(input: &[u8]) -> Option<AddressList<'_>> {
    crate::address::parse_common(input)
}

/// The general address-list parser (a token vector, every obsolete form).
pub fn address_list_general(input: &[u8]) -> AddressList<'_> {
    crate::address::parse_address_list_with(input, true)
}

/// A raw field value unfolded as `HeaderField::unfolded` does it (every CR and LF removed,
/// then the white space at the start), for the targets that hold the structured parsers'
/// reading of a raw value equal to their reading of it unfolded.
pub fn unfold(raw_value: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    crate::header::unfold(raw_value)
}

/// The one-pass reader of the common date shape; `None` where it leaves the date to
/// [`date_general`].
pub fn date_common(input: &[u8]) -> Option<ParsedDate> {
    crate::date::parse_date_common(input)
}

/// The general date parser.
pub fn date_general(input: &[u8]) -> Option<ParsedDate> {
    crate::date::parse_date_general(input)
}

/// The reader of plain `<a@b>` id lists; `None` where it leaves the list to
/// [`message_ids_general`].
pub fn message_ids_common(input: &[u8]) -> Option<Vec<std::borrow::Cow<'_, str>>> {
    crate::params::message_ids_common(input)
}

/// The general message-id parser (with the lexer), ids and the obsolete flag.
pub fn message_ids_general(input: &[u8]) -> (Vec<std::borrow::Cow<'_, str>>, bool) {
    crate::params::message_ids_general(input)
}

/// Which of Content-Type (`"type"`), Content-Transfer-Encoding (`"transfer-encoding"`) or
/// neither (`"other"`) a whole raw field (name first) is, read from its raw bytes the way
/// `Message::parse` reads it; `None` where it leaves the field to [`content_field_general`].
pub fn content_field_fast(raw: &[u8]) -> Option<&'static str> {
    crate::mime::content_field_fast(raw).map(crate::mime::ContentField::as_str)
}

/// Which of the two names (or neither) the field has, by the case-insensitive comparison of
/// its name.
pub fn content_field_general(field: &crate::header::HeaderField<'_>) -> &'static str {
    crate::mime::content_field_general(field).as_str()
}

/// The in-place reading of the usual Content-Transfer-Encoding values (the raw value, after
/// the colon); `None` where it leaves the value to [`transfer_encoding_general`].
pub fn transfer_encoding_fast(raw_value: &[u8]) -> Option<crate::params::TransferEncoding> {
    crate::mime::transfer_encoding_fast(raw_value)
}

/// The value unfolded and read by `TransferEncoding::parse`.
pub fn transfer_encoding_general(raw_value: &[u8]) -> crate::params::TransferEncoding {
    crate::params::TransferEncoding::parse(&crate::header::unfold(raw_value))
}

/// Where the quoted-printable decoder's run ends: the first `=`, CR or LF at or after `from`
/// (or the length), found a word at a time and then by `memchr3`.
pub fn quoted_printable_next_special(input: &[u8], from: usize) -> usize {
    crate::decode::next_special(input, from)
}

/// The length of the encoded-word at the start of `input` as the lexers read it (one pass,
/// the text eight bytes at a time); the same as [`encoded_word_len_general`].
pub fn encoded_word_len_fast(input: &[u8]) -> Option<usize> {
    crate::lexer::encoded_word_len(input)
}

/// The length of the encoded-word at the start of `input` from `rfc2047::parse_encoded_word`.
pub fn encoded_word_len_general(input: &[u8]) -> Option<usize> {
    crate::rfc2047::parse_encoded_word(input).map(|w| w.len)
}

/// The one-pass Content-Type reader (common `type/subtype` pairs by one comparison, plain and
/// simply quoted parameters); `None` where it leaves the value to [`content_type_general`].
pub fn content_type_fast(input: &[u8]) -> Option<crate::params::ContentType<'_>> {
    crate::params::content_type_plain(input)
}

/// The Content-Type parser by the lexer.
pub fn content_type_general(input: &[u8]) -> Option<crate::params::ContentType<'_>> {
    crate::params::content_type_general(input)
}

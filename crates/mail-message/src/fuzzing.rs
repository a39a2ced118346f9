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
pub fn message_ids_common(input: &[u8]) -> Option<Vec<String>> {
    crate::params::message_ids_common(input)
}

/// The general message-id parser (with the lexer), ids and the obsolete flag.
pub fn message_ids_general(input: &[u8]) -> (Vec<String>, bool) {
    crate::params::message_ids_general(input)
}

//! The base64 payload framing shared by SMTP `AUTH` (RFC 4954), POP3 `AUTH` (RFC 5034) and
//! IMAP `AUTHENTICATE` (RFC 3501, RFC 4959).
//!
//! The protocols put their own prefix around the payload (`334 ` in SMTP, `+ ` in POP3 and
//! IMAP) and their own line ending; the functions here see only the payload between them.
//! - A client's continuation line is base64, empty for an empty response, or `*` to cancel.
//! - An initial response on the command line is base64, or `=` for an empty one (an empty
//!   argument would mean "no initial response").
//! - A server challenge is base64, empty for an empty challenge.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

use super::SaslError;

/// The default limit on a decoded client response: 16 KiB, far more than any mechanism
/// here needs (an OAuth token is a few KiB) and little enough to bound memory per
/// connection.
pub const DEFAULT_MAX_RESPONSE_LEN: usize = 16 * 1024;

/// What a client sent on a continuation line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientResponse {
    /// A decoded response, possibly empty.
    Response(Vec<u8>),
    /// `*`: the client abandons the exchange; the server answers with its failure reply
    /// (SMTP `501`, POP3 `-ERR`, IMAP `BAD`).
    Cancel,
}

/// Decodes a client's continuation line (without the line ending): `*` cancels, an empty
/// line is an empty response, anything else must be base64 of at most `max_len` decoded
/// bytes.
///
/// ```
/// use mail_wire::sasl::{decode_client_response, ClientResponse};
///
/// assert_eq!(decode_client_response(b"dGlt", 1024), Ok(ClientResponse::Response(b"tim".to_vec())));
/// assert_eq!(decode_client_response(b"*", 1024), Ok(ClientResponse::Cancel));
/// assert_eq!(decode_client_response(b"", 1024), Ok(ClientResponse::Response(Vec::new())));
/// ```
pub fn decode_client_response(line: &[u8], max_len: usize) -> Result<ClientResponse, SaslError> {
    if line == b"*" {
        return Ok(ClientResponse::Cancel);
    }
    decode_limited(line, max_len).map(ClientResponse::Response)
}

/// Decodes an initial response given on the command line (`AUTH PLAIN <here>`,
/// `AUTHENTICATE PLAIN <here>`): `=` is the empty response, anything else must be base64 of
/// at most `max_len` decoded bytes. An empty argument is an error: the caller should treat a
/// missing argument as "no initial response" before calling this.
pub fn decode_initial_response(argument: &[u8], max_len: usize) -> Result<Vec<u8>, SaslError> {
    match argument {
        b"=" => Ok(Vec::new()),
        b"" => Err(SaslError::InvalidBase64),
        _ => decode_limited(argument, max_len),
    }
}

/// Decodes a server challenge (client side): empty is the empty challenge.
pub fn decode_challenge(payload: &[u8], max_len: usize) -> Result<Vec<u8>, SaslError> {
    decode_limited(payload, max_len)
}

/// Encodes a server challenge; the empty challenge is the empty string.
pub fn encode_challenge(challenge: &[u8]) -> String {
    STANDARD.encode(challenge)
}

/// Encodes a client response for a continuation line; the empty response is the empty
/// string.
pub fn encode_response(response: &[u8]) -> String {
    STANDARD.encode(response)
}

/// Encodes an initial response for the command line; the empty response is `=`.
///
/// ```
/// use mail_wire::sasl::encode_initial_response;
///
/// assert_eq!(encode_initial_response(b""), "=");
/// assert_eq!(encode_initial_response(b"\0tim\0tanstaaftanstaaf"), "AHRpbQB0YW5zdGFhZnRhbnN0YWFm");
/// ```
pub fn encode_initial_response(response: &[u8]) -> String {
    if response.is_empty() {
        String::from("=")
    } else {
        STANDARD.encode(response)
    }
}

/// Base64 within a limit, checked on the encoded length first so that a huge line costs no
/// decoding work.
pub(crate) fn decode_limited(encoded: &[u8], max_len: usize) -> Result<Vec<u8>, SaslError> {
    let decoded_len = encoded.len() / 4 * 3;
    if decoded_len > max_len.saturating_add(3) {
        return Err(SaslError::TooLong {
            len: decoded_len,
            limit: max_len,
        });
    }
    let decoded = STANDARD
        .decode(encoded)
        .map_err(|_| SaslError::InvalidBase64)?;
    if decoded.len() > max_len {
        return Err(SaslError::TooLong {
            len: decoded.len(),
            limit: max_len,
        });
    }
    Ok(decoded)
}

/// Plain base64 encoding, for attributes inside mechanisms (SCRAM `s=`, `p=`, `v=`).
pub(crate) fn b64(data: &[u8]) -> String {
    STANDARD.encode(data)
}

/// Plain base64 decoding, for attributes inside mechanisms.
pub(crate) fn unb64(data: &[u8]) -> Result<Vec<u8>, SaslError> {
    STANDARD.decode(data).map_err(|_| SaslError::InvalidBase64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn rfc_4954_empty_and_cancel() {
        assert_eq!(decode_initial_response(b"=", 10), Ok(Vec::new()));
        assert_eq!(
            decode_initial_response(b"", 10),
            Err(SaslError::InvalidBase64)
        );
        assert_eq!(decode_client_response(b"*", 10), Ok(ClientResponse::Cancel));
        assert_eq!(
            decode_client_response(b"=", 10),
            Err(SaslError::InvalidBase64)
        );
        assert_eq!(decode_challenge(b"", 10), Ok(Vec::new()));
        assert_eq!(encode_challenge(b""), "");
        assert_eq!(encode_response(b""), "");
    }

    #[test]
    fn rfc_2195_challenge_decodes() {
        let challenge = decode_challenge(
            b"PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+",
            1024,
        );
        assert_eq!(
            challenge.as_deref(),
            Ok(&b"<1896.697170952@postoffice.reston.mci.net>"[..])
        );
    }

    #[test]
    fn bad_base64_and_limits_are_typed_errors() {
        for bad in [
            &b"dGlt="[..],
            b"dGl",
            b"d Glt",
            b"dGlt\r\n",
            b"**",
            b"====",
            b"dGl=",
        ] {
            assert_eq!(
                decode_client_response(bad, 1024),
                Err(SaslError::InvalidBase64),
                "{bad:?}"
            );
        }
        assert_eq!(
            decode_client_response(b"dGlt", 3),
            Ok(ClientResponse::Response(b"tim".to_vec()))
        );
        assert_eq!(
            decode_client_response(b"dGltdA==", 3),
            Err(SaslError::TooLong { len: 4, limit: 3 })
        );
        let huge = vec![b'A'; 1 << 20];
        assert!(matches!(
            decode_client_response(&huge, 16 * 1024),
            Err(SaslError::TooLong { .. })
        ));
    }

    proptest! {
        #[test]
        fn continuation_round_trip(data in proptest::collection::vec(any::<u8>(), 0..600)) {
            let line = encode_response(&data);
            prop_assert_eq!(decode_client_response(line.as_bytes(), 600), Ok(ClientResponse::Response(data.clone())));
            prop_assert_eq!(decode_challenge(encode_challenge(&data).as_bytes(), 600), Ok(data));
        }

        #[test]
        fn initial_response_round_trip(data in proptest::collection::vec(any::<u8>(), 0..600)) {
            let arg = encode_initial_response(&data);
            prop_assert!(!arg.is_empty());
            prop_assert_eq!(decode_initial_response(arg.as_bytes(), 600), Ok(data));
        }

        #[test]
        fn arbitrary_lines_never_panic(line in proptest::collection::vec(any::<u8>(), 0..200), max in 0usize..300) {
            let _ = decode_client_response(&line, max);
            let _ = decode_initial_response(&line, max);
        }
    }
}

//! SASL mechanisms (RFC 4422) as small client and server state machines, shared by SMTP
//! `AUTH`, POP3 `AUTH` and IMAP `AUTHENTICATE`.
//!
//! - [`Mechanism`]: the IANA names, and [`select_mechanism`] to choose among a server's.
//! - [`ClientMechanism`]: builds responses from credentials held in [`Secret`](crate::Secret).
//! - [`ServerMechanism`]: checks responses, and asks the application (through
//!   [`ServerStep`]) for every credential decision; it stores nothing.
//! - [`decode_client_response`] and friends: the base64 payload framing with `*` cancel and
//!   the `=` empty initial response. The protocol prefix (`334 `, `+ `) stays in the
//!   protocol crates.
//!
//! Mechanisms: `PLAIN`, `LOGIN`, `XOAUTH2`, `OAUTHBEARER`, `CRAM-MD5`, `SCRAM-SHA-1`,
//! `SCRAM-SHA-256` (without channel binding: no `-PLUS`) and `EXTERNAL`.
//!
//! A whole exchange, client and server in memory:
//!
//! ```
//! use mail_wire::sasl::*;
//! use mail_wire::Secret;
//!
//! let keys = ScramKeys::derive(ScramHash::Sha256, "pencil", b"salt-of-user", 4096)?;
//! let mut client = ClientMechanism::scram(ScramHash::Sha256, None, "user", Secret::new("pencil".into()))?;
//! let mut server = ServerMechanism::new(&Mechanism::ScramSha256, ServerOptions::default())?;
//!
//! let mut step = server.start(client.initial_response().as_deref())?;
//! loop {
//!     step = match step {
//!         ServerStep::Challenge(c) => server.handle_response(&client.step(&c)?)?,
//!         ServerStep::LookupScram { authcid, .. } => {
//!             server.scram_keys((authcid == "user").then(|| keys.clone()))?
//!         }
//!         ServerStep::Success(outcome) => {
//!             client.success(outcome.additional_data.as_deref())?;
//!             assert_eq!(outcome.authcid.as_deref(), Some("user"));
//!             break;
//!         }
//!         other => panic!("unexpected {other:?}"),
//!     };
//! }
//! # Ok::<(), SaslError>(())
//! ```

mod client;
mod cram_md5;
mod error;
mod external;
mod framing;
mod gs2;
mod login;
mod mechanism;
mod oauth;
mod plain;
mod scram;
mod server;

#[cfg(test)]
mod tests;

pub use client::{ClientCredentials, ClientMechanism};
pub use cram_md5::cram_md5_digest;
pub use error::SaslError;
pub use framing::{
    decode_challenge, decode_client_response, decode_initial_response, encode_challenge,
    encode_initial_response, encode_response, ClientResponse, DEFAULT_MAX_RESPONSE_LEN,
};
pub use mechanism::{select_mechanism, CredentialKind, Mechanism};
pub use scram::{ScramHash, ScramKeys};
pub use server::{
    AuthAnswer, AuthRequest, Credentials, Failure, Outcome, ServerMechanism, ServerOptions,
    ServerStep,
};

use std::borrow::Cow;

/// Prepares a user name or password with SASLprep (RFC 4013, stored-string rules): maps
/// soft hyphens and friends to nothing, non-ASCII spaces to a space, normalizes to NFKC, and
/// refuses prohibited characters, bad bidirectional text and empty results.
///
/// ```
/// use mail_wire::sasl::saslprep;
///
/// assert_eq!(saslprep("I\u{00AD}X", "password").unwrap(), "IX");
/// assert!(saslprep("\u{0007}", "password").is_err());
/// ```
pub fn saslprep<'a>(input: &'a str, field: &'static str) -> Result<Cow<'a, str>, SaslError> {
    match stringprep::saslprep(input) {
        Ok(prepared) if !prepared.is_empty() => Ok(prepared),
        _ => Err(SaslError::Saslprep { field }),
    }
}

/// A nonce: printable ASCII (`%x21-7E`) except `,`, not empty (RFC 5802 `printable`).
fn valid_nonce(nonce: &str) -> bool {
    !nonce.is_empty()
        && nonce
            .bytes()
            .all(|b| (0x21..=0x7e).contains(&b) && b != b',')
}

/// 18 random bytes in base64: 24 printable characters without `,`.
fn random_nonce() -> Result<String, SaslError> {
    let mut bytes = [0u8; 18];
    getrandom::getrandom(&mut bytes).map_err(|_| SaslError::Random)?;
    Ok(framing::b64(&bytes))
}

/// Random digits for the CRAM-MD5 challenge, shaped like RFC 2195's `1896.697170952`.
fn random_digits() -> Result<String, SaslError> {
    let mut bytes = [0u8; 12];
    getrandom::getrandom(&mut bytes).map_err(|_| SaslError::Random)?;
    let (a, b) = bytes.split_at(4);
    let a = a.iter().fold(0u64, |acc, &x| acc << 8 | u64::from(x));
    let b = b.iter().fold(0u64, |acc, &x| acc << 8 | u64::from(x));
    Ok(format!("{a}.{b}"))
}

/// Compares two secrets in time that depends only on their lengths.
fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Checks that a field is UTF-8, with the error naming mechanism and field.
fn utf8<'a>(
    bytes: &'a [u8],
    mechanism: &'static str,
    field: &'static str,
) -> Result<&'a str, SaslError> {
    std::str::from_utf8(bytes).map_err(|_| SaslError::InvalidUtf8 { mechanism, field })
}

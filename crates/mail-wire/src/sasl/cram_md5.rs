//! `CRAM-MD5` (RFC 2195): the server sends `<nonce@hostname>`, the client answers
//! `user SP hex(HMAC-MD5(secret, challenge))` in lower case.

use hmac::{Hmac, Mac};
use md5::Md5;

use super::server::{success, wrong_answer, AuthAnswer, Failure, ServerStep};
use super::{ct_eq, utf8, SaslError};
use crate::Secret;

const NAME: &str = "CRAM-MD5";

/// HMAC-MD5 of the challenge keyed with the shared secret: the 16-byte digest both sides
/// compute (RFC 2195 section 2).
///
/// ```
/// use mail_wire::sasl::cram_md5_digest;
///
/// let d = cram_md5_digest(b"tanstaaftanstaaf", b"<1896.697170952@postoffice.reston.mci.net>");
/// assert_eq!(d[0], 0xb9);
/// ```
pub fn cram_md5_digest(secret: &[u8], challenge: &[u8]) -> [u8; 16] {
    // HMAC takes keys of any length: new_from_slice cannot fail.
    let Ok(mut mac) = <Hmac<Md5> as Mac>::new_from_slice(secret) else {
        return [0; 16];
    };
    mac.update(challenge);
    mac.finalize().into_bytes().into()
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &[u8]) -> Option<[u8; 16]> {
    fn nibble(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            _ => None,
        }
    }
    let mut out = [0u8; 16];
    if text.len() != 32 {
        return None;
    }
    for (byte, pair) in out.iter_mut().zip(text.chunks_exact(2)) {
        let [hi, lo] = pair else { return None };
        *byte = nibble(*hi)? << 4 | nibble(*lo)?;
    }
    Some(out)
}

/// The client: one answer to one challenge.
#[derive(Debug)]
pub(crate) struct Client {
    username: String,
    password: Secret<String>,
    answered: bool,
}

impl Client {
    pub(crate) fn new(username: &str, password: Secret<String>) -> Self {
        Self {
            username: username.to_owned(),
            password,
            answered: false,
        }
    }

    pub(crate) fn step(&mut self, challenge: &[u8]) -> Result<Vec<u8>, SaslError> {
        if self.answered {
            return Err(SaslError::UnexpectedChallenge);
        }
        if challenge.is_empty() {
            return Err(SaslError::Malformed {
                mechanism: NAME,
                expected: "a non-empty challenge",
            });
        }
        self.answered = true;
        let digest = cram_md5_digest(self.password.expose().as_bytes(), challenge);
        Ok(format!("{} {}", self.username, hex(&digest)).into_bytes())
    }
}

/// The server state.
#[derive(Debug)]
pub(crate) struct Server {
    challenge: Vec<u8>,
    pending: Option<(String, [u8; 16])>,
}

impl Server {
    pub(crate) fn new(nonce: &str, hostname: &str) -> Self {
        Self {
            challenge: format!("<{nonce}@{hostname}>").into_bytes(),
            pending: None,
        }
    }

    pub(crate) fn start(&mut self, initial: Option<&[u8]>) -> Result<ServerStep, SaslError> {
        if initial.is_some() {
            return Err(SaslError::Malformed {
                mechanism: NAME,
                expected: "no initial response",
            });
        }
        Ok(ServerStep::Challenge(self.challenge.clone()))
    }

    pub(crate) fn response(&mut self, response: &[u8]) -> Result<ServerStep, SaslError> {
        let Some(space) = response.iter().rposition(|&b| b == b' ') else {
            return Err(SaslError::Malformed {
                mechanism: NAME,
                expected: "user name, space, digest",
            });
        };
        let (user, digest) = response.split_at(space);
        let digest = digest
            .get(1..)
            .and_then(unhex)
            .ok_or(SaslError::Malformed {
                mechanism: NAME,
                expected: "32 lower-case hex digits after the last space",
            })?;
        if user.is_empty() || user.contains(&0) {
            return Err(SaslError::Malformed {
                mechanism: NAME,
                expected: "a non-empty user name",
            });
        }
        let authcid = utf8(user, NAME, "username")?.to_owned();
        self.pending = Some((authcid.clone(), digest));
        Ok(ServerStep::LookupSecret { authcid })
    }

    pub(crate) fn answer(&mut self, answer: AuthAnswer) -> Result<ServerStep, SaslError> {
        let AuthAnswer::Secret(secret) = answer else {
            return wrong_answer("shared_secret(..)");
        };
        let (Some(secret), Some((authcid, digest))) = (secret, self.pending.take()) else {
            return Ok(ServerStep::Failure(Failure::Rejected));
        };
        let expected = cram_md5_digest(secret.expose().as_bytes(), &self.challenge);
        if ct_eq(&expected, &digest) {
            Ok(success(Some(authcid), None))
        } else {
            Ok(ServerStep::Failure(Failure::InvalidProof))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_2195_example() {
        let challenge = b"<1896.697170952@postoffice.reston.mci.net>";
        assert_eq!(
            hex(&cram_md5_digest(b"tanstaaftanstaaf", challenge)),
            "b913a602c7eda7a495b4e6e7334d3890"
        );
        let mut server = Server::new("1896.697170952", "postoffice.reston.mci.net");
        assert_eq!(
            server.start(None),
            Ok(ServerStep::Challenge(challenge.to_vec()))
        );
        let mut client = Client::new("tim", Secret::new("tanstaaftanstaaf".into()));
        let response = client.step(challenge).unwrap();
        assert_eq!(response, b"tim b913a602c7eda7a495b4e6e7334d3890");
        assert_eq!(
            server.response(&response),
            Ok(ServerStep::LookupSecret {
                authcid: "tim".into()
            })
        );
        let step = server.answer(AuthAnswer::Secret(Some(Secret::new(
            "tanstaaftanstaaf".into(),
        ))));
        assert_eq!(step, Ok(success(Some("tim".into()), None)));
    }

    #[test]
    fn hex_parsing_is_strict() {
        assert_eq!(
            unhex(b"b913a602c7eda7a495b4e6e7334d3890")
                .map(|d| hex(&d))
                .as_deref(),
            Some("b913a602c7eda7a495b4e6e7334d3890")
        );
        assert_eq!(unhex(b"B913a602c7eda7a495b4e6e7334d3890"), None);
        assert_eq!(unhex(b"b913a602c7eda7a495b4e6e7334d389"), None);
        assert_eq!(unhex(b"b913a602c7eda7a495b4e6e7334d38900"), None);
        assert_eq!(unhex(b"g913a602c7eda7a495b4e6e7334d3890"), None);
    }
}

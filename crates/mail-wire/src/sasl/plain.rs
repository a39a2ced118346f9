//! `PLAIN` (RFC 4616): `[authzid] NUL authcid NUL passwd` in one client message.

use super::server::{success, wrong_answer, AuthAnswer, Credentials, Failure, ServerStep};
use super::{utf8, SaslError};
use crate::Secret;

const NAME: &str = "PLAIN";

/// The client: one message, sent as the initial response or after the empty challenge.
#[derive(Debug)]
pub(crate) struct Client {
    message: Secret<Vec<u8>>,
    sent: bool,
}

impl Client {
    pub(crate) fn new(authzid: Option<&str>, authcid: &str, password: Secret<String>) -> Self {
        let mut message = Vec::with_capacity(authcid.len() + password.expose().len() + 2);
        message.extend_from_slice(authzid.unwrap_or("").as_bytes());
        message.push(0);
        message.extend_from_slice(authcid.as_bytes());
        message.push(0);
        message.extend_from_slice(password.expose().as_bytes());
        Self {
            message: Secret::new(message),
            sent: false,
        }
    }

    pub(crate) fn initial_response(&mut self) -> Option<Vec<u8>> {
        if self.sent {
            return None;
        }
        self.sent = true;
        Some(self.message.expose().clone())
    }

    pub(crate) fn step(&mut self, _challenge: &[u8]) -> Result<Vec<u8>, SaslError> {
        self.initial_response()
            .ok_or(SaslError::UnexpectedChallenge)
    }
}

/// The server: waits for the message, then for the application's verdict.
#[derive(Debug, Default)]
pub(crate) struct Server {
    identity: Option<(String, Option<String>)>,
}

impl Server {
    pub(crate) fn start(&mut self, initial: Option<&[u8]>) -> Result<ServerStep, SaslError> {
        match initial {
            Some(message) => self.response(message),
            None => Ok(ServerStep::Challenge(Vec::new())),
        }
    }

    pub(crate) fn response(&mut self, message: &[u8]) -> Result<ServerStep, SaslError> {
        let (authzid, authcid, password) = parse(message)?;
        self.identity = Some((authcid.clone(), authzid.clone()));
        Ok(ServerStep::Verify(Credentials::Password {
            authzid,
            authcid,
            password,
        }))
    }

    pub(crate) fn answer(&mut self, answer: AuthAnswer) -> Result<ServerStep, SaslError> {
        let AuthAnswer::Verified(ok) = answer else {
            return wrong_answer("verified(bool)");
        };
        match (ok, self.identity.take()) {
            (true, Some((authcid, authzid))) => Ok(success(Some(authcid), authzid)),
            _ => Ok(ServerStep::Failure(Failure::Rejected)),
        }
    }
}

/// Splits `[authzid] NUL authcid NUL passwd`; authcid and passwd must not be empty, and no
/// part may contain a further NUL.
fn parse(message: &[u8]) -> Result<(Option<String>, String, Secret<String>), SaslError> {
    let mut parts = message.splitn(3, |&b| b == 0);
    let (Some(authzid), Some(authcid), Some(password)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(SaslError::Malformed {
            mechanism: NAME,
            expected: "two NUL separators",
        });
    };
    if password.contains(&0) {
        return Err(SaslError::Malformed {
            mechanism: NAME,
            expected: "exactly two NUL separators",
        });
    }
    if authcid.is_empty() {
        return Err(SaslError::Malformed {
            mechanism: NAME,
            expected: "a non-empty authcid",
        });
    }
    if password.is_empty() {
        return Err(SaslError::Malformed {
            mechanism: NAME,
            expected: "a non-empty password",
        });
    }
    let authzid = match authzid {
        b"" => None,
        z => Some(utf8(z, NAME, "authzid")?.to_owned()),
    };
    let authcid = utf8(authcid, NAME, "authcid")?.to_owned();
    let password = Secret::new(utf8(password, NAME, "password")?.to_owned());
    Ok((authzid, authcid, password))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_accepts_rfc_4616_examples() {
        let (z, c, p) = parse(b"\0tim\0tanstaaftanstaaf").unwrap();
        assert_eq!(
            (z, c.as_str(), p.expose().as_str()),
            (None, "tim", "tanstaaftanstaaf")
        );
        let (z, c, p) = parse(b"Ursel\0Kurt\0xipj3plmq").unwrap();
        assert_eq!(
            (z.as_deref(), c.as_str(), p.expose().as_str()),
            (Some("Ursel"), "Kurt", "xipj3plmq")
        );
    }

    #[test]
    fn parse_refuses_malformed_messages() {
        for bad in [
            &b""[..],
            b"tim",
            b"\0tim",
            b"\0\0pw",
            b"\0tim\0",
            b"\0tim\0pw\0",
            b"a\0b\0c\0d",
        ] {
            assert!(
                matches!(parse(bad), Err(SaslError::Malformed { .. })),
                "{bad:?}"
            );
        }
        assert_eq!(
            parse(b"\0tim\0\xff").unwrap_err(),
            SaslError::InvalidUtf8 {
                mechanism: NAME,
                field: "password"
            }
        );
    }
}

//! `LOGIN` (draft-murchison-sasl-login): the server asks `Username:` then `Password:`, the
//! client answers each. Not standardized, but offered by most SMTP servers.

use super::server::{success, wrong_answer, AuthAnswer, Credentials, Failure, ServerStep};
use super::{utf8, SaslError};
use crate::Secret;

const NAME: &str = "LOGIN";
/// The challenge asking for the user name, as Microsoft and most servers send it.
pub(crate) const USERNAME_CHALLENGE: &[u8] = b"Username:";
/// The challenge asking for the password.
pub(crate) const PASSWORD_CHALLENGE: &[u8] = b"Password:";

/// The client: answers the first challenge with the user name, the second with the
/// password, whatever their text (servers word them differently).
#[derive(Debug)]
pub(crate) struct Client {
    username: String,
    password: Secret<String>,
    answered: u8,
}

impl Client {
    pub(crate) fn new(username: &str, password: Secret<String>) -> Self {
        Self {
            username: username.to_owned(),
            password,
            answered: 0,
        }
    }

    pub(crate) fn step(&mut self, _challenge: &[u8]) -> Result<Vec<u8>, SaslError> {
        let response = match self.answered {
            0 => self.username.as_bytes().to_vec(),
            1 => self.password.expose().as_bytes().to_vec(),
            _ => return Err(SaslError::UnexpectedChallenge),
        };
        self.answered += 1;
        Ok(response)
    }
}

/// The server state.
#[derive(Debug, Default)]
pub(crate) enum Server {
    /// Waiting for the user name.
    #[default]
    Username,
    /// Waiting for the password.
    Password(String),
    /// Waiting for the application's verdict on this user.
    Verdict(String),
    /// Over.
    Done,
}

impl Server {
    /// Some clients send the user name as an initial response; accept it.
    pub(crate) fn start(&mut self, initial: Option<&[u8]>) -> Result<ServerStep, SaslError> {
        match initial {
            Some(username) if !username.is_empty() => self.response(username),
            _ => Ok(ServerStep::Challenge(USERNAME_CHALLENGE.to_vec())),
        }
    }

    pub(crate) fn response(&mut self, response: &[u8]) -> Result<ServerStep, SaslError> {
        if response.contains(&0) {
            return Err(SaslError::Malformed {
                mechanism: NAME,
                expected: "a response without NUL",
            });
        }
        match std::mem::replace(self, Self::Done) {
            Self::Username => {
                if response.is_empty() {
                    return Err(SaslError::Malformed {
                        mechanism: NAME,
                        expected: "a non-empty user name",
                    });
                }
                *self = Self::Password(utf8(response, NAME, "username")?.to_owned());
                Ok(ServerStep::Challenge(PASSWORD_CHALLENGE.to_vec()))
            }
            Self::Password(authcid) => {
                if response.is_empty() {
                    return Err(SaslError::Malformed {
                        mechanism: NAME,
                        expected: "a non-empty password",
                    });
                }
                let password = Secret::new(utf8(response, NAME, "password")?.to_owned());
                *self = Self::Verdict(authcid.clone());
                Ok(ServerStep::Verify(Credentials::Password {
                    authzid: None,
                    authcid,
                    password,
                }))
            }
            Self::Verdict(_) | Self::Done => Err(SaslError::UnexpectedResponse),
        }
    }

    pub(crate) fn answer(&mut self, answer: AuthAnswer) -> Result<ServerStep, SaslError> {
        let AuthAnswer::Verified(ok) = answer else {
            return wrong_answer("verified(bool)");
        };
        match (ok, std::mem::replace(self, Self::Done)) {
            (true, Self::Verdict(authcid)) => Ok(success(Some(authcid), None)),
            _ => Ok(ServerStep::Failure(Failure::Rejected)),
        }
    }
}

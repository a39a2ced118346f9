//! `EXTERNAL` (RFC 4422 appendix A): the client is authenticated outside SASL; its one
//! message is the authorization identity it asks for, empty for none.

use super::server::{success, wrong_answer, AuthAnswer, Credentials, Failure, ServerStep};
use super::{utf8, SaslError};

const NAME: &str = "EXTERNAL";

/// The client: sends the authzid (possibly empty) once.
#[derive(Debug)]
pub(crate) struct Client {
    authzid: String,
    sent: bool,
}

impl Client {
    pub(crate) fn new(authzid: Option<&str>) -> Self {
        Self {
            authzid: authzid.unwrap_or("").to_owned(),
            sent: false,
        }
    }

    pub(crate) fn initial_response(&mut self) -> Option<Vec<u8>> {
        if self.sent {
            return None;
        }
        self.sent = true;
        Some(self.authzid.as_bytes().to_vec())
    }

    pub(crate) fn step(&mut self, _challenge: &[u8]) -> Result<Vec<u8>, SaslError> {
        self.initial_response()
            .ok_or(SaslError::UnexpectedChallenge)
    }
}

/// The server: takes the authzid, asks the application.
#[derive(Debug, Default)]
pub(crate) struct Server {
    authzid: Option<String>,
}

impl Server {
    pub(crate) fn start(&mut self, initial: Option<&[u8]>) -> Result<ServerStep, SaslError> {
        match initial {
            Some(message) => self.response(message),
            None => Ok(ServerStep::Challenge(Vec::new())),
        }
    }

    pub(crate) fn response(&mut self, message: &[u8]) -> Result<ServerStep, SaslError> {
        if message.contains(&0) {
            return Err(SaslError::Malformed {
                mechanism: NAME,
                expected: "an authzid without NUL",
            });
        }
        let authzid = match message {
            b"" => None,
            z => Some(utf8(z, NAME, "authzid")?.to_owned()),
        };
        self.authzid.clone_from(&authzid);
        Ok(ServerStep::Verify(Credentials::External { authzid }))
    }

    pub(crate) fn answer(&mut self, answer: AuthAnswer) -> Result<ServerStep, SaslError> {
        match answer {
            AuthAnswer::Verified(true) => Ok(success(None, self.authzid.take())),
            AuthAnswer::Verified(false) => Ok(ServerStep::Failure(Failure::Rejected)),
            _ => wrong_answer("verified(bool)"),
        }
    }
}

//! Bearer token mechanisms: `OAUTHBEARER` (RFC 7628) and Google's `XOAUTH2`
//! (`user={user}^Aauth=Bearer {token}^A^A`).
//!
//! Both are client-first in one message. On failure the server sends a JSON error as a
//! challenge, the client answers with a dummy response (`^A` for OAUTHBEARER, empty for
//! XOAUTH2), and the server then fails the exchange.

use super::gs2;
use super::server::{success, wrong_answer, AuthAnswer, Credentials, Failure, ServerStep};
use super::{utf8, Mechanism, SaslError};
use crate::Secret;

const KVSEP: u8 = 0x01;
/// What the server sends when the application refuses a token without saying more.
pub(crate) const DEFAULT_ERROR: &[u8] = br#"{"status":"invalid_token"}"#;

/// Which of the two mechanisms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    /// `OAUTHBEARER`.
    Bearer,
    /// `XOAUTH2`.
    XOAuth2,
}

impl Flavor {
    fn name(self) -> &'static str {
        match self {
            Self::Bearer => "OAUTHBEARER",
            Self::XOAuth2 => "XOAUTH2",
        }
    }

    fn mechanism(self) -> Mechanism {
        match self {
            Self::Bearer => Mechanism::OAuthBearer,
            Self::XOAuth2 => Mechanism::XOAuth2,
        }
    }

    /// The client's dummy response after an error challenge.
    fn dummy(self) -> Vec<u8> {
        match self {
            Self::Bearer => vec![KVSEP],
            Self::XOAuth2 => Vec::new(),
        }
    }
}

/// The client.
#[derive(Debug)]
pub(crate) struct Client {
    flavor: Flavor,
    message: Secret<Vec<u8>>,
    sent: bool,
    /// The error document the server sent, if it refused the token.
    pub(crate) error: Option<Vec<u8>>,
}

impl Client {
    pub(crate) fn xoauth2(user: &str, token: Secret<String>) -> Self {
        let message = format!("user={user}\x01auth=Bearer {}\x01\x01", token.expose());
        Self {
            flavor: Flavor::XOAuth2,
            message: Secret::new(message.into_bytes()),
            sent: false,
            error: None,
        }
    }

    pub(crate) fn bearer(
        authzid: Option<&str>,
        host: Option<&str>,
        port: Option<u16>,
        token: Secret<String>,
    ) -> Self {
        let mut message = String::from("n,");
        if let Some(authzid) = authzid {
            message.push_str("a=");
            message.push_str(&gs2::encode_saslname(authzid));
        }
        message.push_str(",\x01");
        if let Some(host) = host {
            message.push_str(&format!("host={host}\x01"));
        }
        if let Some(port) = port {
            message.push_str(&format!("port={port}\x01"));
        }
        message.push_str(&format!("auth=Bearer {}\x01\x01", token.expose()));
        Self {
            flavor: Flavor::Bearer,
            message: Secret::new(message.into_bytes()),
            sent: false,
            error: None,
        }
    }

    pub(crate) fn mechanism(&self) -> Mechanism {
        self.flavor.mechanism()
    }

    pub(crate) fn initial_response(&mut self) -> Option<Vec<u8>> {
        if self.sent {
            return None;
        }
        self.sent = true;
        Some(self.message.expose().clone())
    }

    pub(crate) fn step(&mut self, challenge: &[u8]) -> Result<Vec<u8>, SaslError> {
        if let Some(message) = self.initial_response() {
            return Ok(message);
        }
        if self.error.is_some() {
            return Err(SaslError::UnexpectedChallenge);
        }
        self.error = Some(challenge.to_vec());
        Ok(self.flavor.dummy())
    }
}

/// The server state.
#[derive(Debug)]
pub(crate) struct Server {
    flavor: Flavor,
    state: State,
}

#[derive(Debug)]
enum State {
    Initial,
    Verdict(Option<String>),
    Refused,
    Done,
}

impl Server {
    pub(crate) fn new(flavor: Flavor) -> Self {
        Self {
            flavor,
            state: State::Initial,
        }
    }

    pub(crate) fn mechanism(&self) -> Mechanism {
        self.flavor.mechanism()
    }

    pub(crate) fn start(&mut self, initial: Option<&[u8]>) -> Result<ServerStep, SaslError> {
        match initial {
            Some(message) => self.response(message),
            None => Ok(ServerStep::Challenge(Vec::new())),
        }
    }

    pub(crate) fn response(&mut self, message: &[u8]) -> Result<ServerStep, SaslError> {
        match std::mem::replace(&mut self.state, State::Done) {
            State::Initial => {
                let credentials = parse(self.flavor, message)?;
                if let Credentials::Token { user, .. } = &credentials {
                    self.state = State::Verdict(user.clone());
                }
                Ok(ServerStep::Verify(credentials))
            }
            State::Refused => {
                if message.is_empty() || message == [KVSEP] {
                    Ok(ServerStep::Failure(Failure::Rejected))
                } else {
                    Err(SaslError::Malformed {
                        mechanism: self.flavor.name(),
                        expected: "a dummy response after the error challenge",
                    })
                }
            }
            State::Verdict(_) | State::Done => Err(SaslError::UnexpectedResponse),
        }
    }

    pub(crate) fn answer(&mut self, answer: AuthAnswer) -> Result<ServerStep, SaslError> {
        let refusal = match answer {
            AuthAnswer::Verified(true) => {
                let State::Verdict(user) = std::mem::replace(&mut self.state, State::Done) else {
                    return Ok(ServerStep::Failure(Failure::Rejected));
                };
                return Ok(success(user, None));
            }
            AuthAnswer::Verified(false) => DEFAULT_ERROR.to_vec(),
            AuthAnswer::RejectToken(json) => json,
            _ => return wrong_answer("verified(bool) or reject_token(..)"),
        };
        self.state = State::Refused;
        Ok(ServerStep::Challenge(refusal))
    }
}

/// Parses the client's message into token credentials.
fn parse(flavor: Flavor, message: &[u8]) -> Result<Credentials, SaslError> {
    let name = flavor.name();
    let malformed = |expected| SaslError::Malformed {
        mechanism: name,
        expected,
    };
    let (gs2_authzid, pairs) = match flavor {
        Flavor::Bearer => {
            let header = gs2::parse_header(message, name)?;
            let rest = message.get(header.len..).unwrap_or_default();
            let pairs = rest
                .strip_prefix(&[KVSEP])
                .ok_or_else(|| malformed("0x01 after the gs2 header"))?;
            (header.authzid, pairs)
        }
        Flavor::XOAuth2 => (None, message),
    };
    // *(key "=" value 0x01) 0x01
    let body = pairs
        .strip_suffix(&[KVSEP])
        .ok_or_else(|| malformed("key=value pairs each ending in 0x01, then 0x01"))?;
    let (mut user, mut token, mut host, mut port) = (gs2_authzid, None, None, None);
    let mut rest = body;
    while !rest.is_empty() {
        let end = rest
            .iter()
            .position(|&b| b == KVSEP)
            .ok_or_else(|| malformed("0x01 after each key=value pair"))?;
        let (pair, tail) = rest.split_at(end);
        rest = tail.get(1..).unwrap_or_default();
        let eq = pair
            .iter()
            .position(|&b| b == b'=')
            .ok_or_else(|| malformed("key=value"))?;
        let (key, value) = pair.split_at(eq);
        let value = value.get(1..).unwrap_or_default();
        if key.is_empty() || !key.iter().all(u8::is_ascii_alphabetic) {
            return Err(malformed("a key of letters"));
        }
        if !value
            .iter()
            .all(|&b| matches!(b, 0x21..=0x7e | b' ' | b'\t' | b'\r' | b'\n'))
        {
            return Err(malformed(
                "a value of printable ascii, space, tab, cr or lf",
            ));
        }
        match key {
            b"auth" => {
                let value = utf8(value, name, "auth")?;
                let (scheme, bearer) = value.split_once(' ').unwrap_or((value, ""));
                if !scheme.eq_ignore_ascii_case("bearer") || bearer.is_empty() {
                    return Err(malformed("auth=Bearer <token>"));
                }
                token = Some(Secret::new(bearer.to_owned()));
            }
            b"user" if flavor == Flavor::XOAuth2 => {
                user = Some(utf8(value, name, "user")?.to_owned())
            }
            b"host" if flavor == Flavor::Bearer => {
                host = Some(utf8(value, name, "host")?.to_owned())
            }
            b"port" if flavor == Flavor::Bearer => {
                let parsed = utf8(value, name, "port")?
                    .parse::<u16>()
                    .ok()
                    .filter(|_| !value.starts_with(b"0") && !value.starts_with(b"+"));
                port =
                    Some(parsed.ok_or_else(|| malformed("a port number without leading zeros"))?);
            }
            _ => {} // RFC 7628 section 3.1: unknown keys MUST be ignored.
        }
    }
    let token = token.ok_or_else(|| malformed("an auth=Bearer <token> pair"))?;
    if flavor == Flavor::XOAuth2 && user.is_none() {
        return Err(malformed("a user= pair"));
    }
    Ok(Credentials::Token {
        user,
        token,
        host,
        port,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sasl::decode_challenge;

    /// RFC 7628 section 4.1, IMAP: the base64 initial response and its decoded form.
    const RFC_7628_4_1_B64: &[u8] = b"bixhPXVzZXJAZXhhbXBsZS5jb20sAWhvc3Q9c2VydmVyLmV4YW1wbGUuY29tAXBvcnQ9MTQzAWF1dGg9QmVhcmVyIHZGOWRmdDRxbVRjMk52YjNSbGNrQmhiSFJoZG1semRHRXVZMjl0Q2c9PQEB";
    const RFC_7628_4_1: &[u8] =
        b"n,a=user@example.com,\x01host=server.example.com\x01port=143\x01auth=Bearer vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==\x01\x01";

    #[test]
    fn rfc_7628_4_1_client_bytes_and_server_parse() {
        assert_eq!(
            decode_challenge(RFC_7628_4_1_B64, 1024).as_deref(),
            Ok(RFC_7628_4_1)
        );
        let token = Secret::new("vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==".to_owned());
        let mut client = Client::bearer(
            Some("user@example.com"),
            Some("server.example.com"),
            Some(143),
            token.clone(),
        );
        assert_eq!(client.initial_response().as_deref(), Some(RFC_7628_4_1));
        let mut server = Server::new(Flavor::Bearer);
        assert_eq!(
            server.start(Some(RFC_7628_4_1)),
            Ok(ServerStep::Verify(Credentials::Token {
                user: Some("user@example.com".into()),
                token,
                host: Some("server.example.com".into()),
                port: Some(143),
            }))
        );
        assert_eq!(
            server.answer(AuthAnswer::Verified(true)),
            Ok(success(Some("user@example.com".into()), None))
        );
    }

    #[test]
    fn rfc_7628_4_1_smtp_variant() {
        let b64 = b"bixhPXVzZXJAZXhhbXBsZS5jb20sAWhvc3Q9c2VydmVyLmV4YW1wbGUuY29tAXBvcnQ9NTg3AWF1dGg9QmVhcmVyIHZGOWRmdDRxbVRjMk52YjNSbGNrQmhiSFJoZG1semRHRXVZMjl0Q2c9PQEB";
        let token = Secret::new("vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==".to_owned());
        let mut client = Client::bearer(
            Some("user@example.com"),
            Some("server.example.com"),
            Some(587),
            token,
        );
        let ir = client.initial_response().unwrap();
        assert_eq!(
            crate::sasl::encode_initial_response(&ir).as_bytes(),
            &b64[..]
        );
    }

    #[test]
    fn rfc_7628_4_3_failed_exchange() {
        let ir = decode_challenge(
            b"bixhPXVzZXJAZXhhbXBsZS5jb20sAWhvc3Q9c2VydmVyLmV4YW1wbGUuY29tAXBvcnQ9MTQzAWF1dGg9AQE=",
            1024,
        )
        .unwrap();
        assert_eq!(
            ir,
            b"n,a=user@example.com,\x01host=server.example.com\x01port=143\x01auth=\x01\x01"
        );
        // The empty Authorization value is how a client asks for the scope: the parse refuses
        // it as malformed, which fails the exchange as the RFC's server does.
        let mut server = Server::new(Flavor::Bearer);
        assert!(matches!(
            server.start(Some(&ir)),
            Err(SaslError::Malformed { .. })
        ));

        // The error challenge and the dummy response, driven with a valid-looking token.
        let error = decode_challenge(b"eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIiwic2NvcGUiOiJleGFtcGxlX3Njb3BlIiwib3BlbmlkLWNvbmZpZ3VyYXRpb24iOiJodHRwczovL2V4YW1wbGUuY29tLy53ZWxsLWtub3duL29wZW5pZC1jb25maWd1cmF0aW9uIn0=", 1024).unwrap();
        let mut server = Server::new(Flavor::Bearer);
        let mut client = Client::bearer(
            Some("user@example.com"),
            None,
            None,
            Secret::new("expired".into()),
        );
        let step = server.start(client.initial_response().as_deref()).unwrap();
        assert!(matches!(step, ServerStep::Verify(_)));
        let step = server
            .answer(AuthAnswer::RejectToken(error.clone()))
            .unwrap();
        assert_eq!(step, ServerStep::Challenge(error.clone()));
        let dummy = client.step(&error).unwrap();
        assert_eq!(crate::sasl::encode_response(&dummy), "AQ==");
        assert_eq!(client.error.as_deref(), Some(&error[..]));
        assert_eq!(
            server.response(&dummy),
            Ok(ServerStep::Failure(Failure::Rejected))
        );
    }

    #[test]
    fn rfc_7628_4_4_erratum_header_is_refused() {
        // The SMTP example's "n,user=..." header is a known erratum: not a valid gs2 header.
        let ir = decode_challenge(b"bix1c2VyPXNvbWV1c2VyQGV4YW1wbGUuY29tLAFhdXRoPUJlYXJlciB2RjlkZnQ0cW1UYzJOdmIzUmxja0JoZEhSaGRtbHpkR0V1WTI5dENnPT0BAQ==", 1024).unwrap();
        assert!(ir.starts_with(b"n,user=someuser@example.com,\x01auth=Bearer "));
        assert!(matches!(
            parse(Flavor::Bearer, &ir),
            Err(SaslError::Malformed { .. })
        ));
    }

    #[test]
    fn xoauth2_format() {
        let mut client = Client::xoauth2(
            "someuser@example.com",
            Secret::new("ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg".into()),
        );
        let ir = client.initial_response().unwrap();
        assert_eq!(
            crate::sasl::encode_initial_response(&ir),
            // Google's documented example.
            "dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ=="
        );
        let creds = parse(Flavor::XOAuth2, &ir).unwrap();
        assert!(
            matches!(creds, Credentials::Token { user: Some(ref u), host: None, port: None, .. } if u == "someuser@example.com")
        );
    }

    #[test]
    fn malformed_token_messages() {
        for bad in [
            &b""[..],
            b"\x01",
            b"n,,",
            b"n,,\x01auth=Bearer x\x01",
            b"n,,\x01auth=Basic x\x01\x01",
            b"n,,\x01auth=Bearer \x01\x01",
            b"n,,\x01port=0143\x01auth=Bearer x\x01\x01",
            b"n,,\x01port=99999\x01auth=Bearer x\x01\x01",
            b"n,,\x01a-b=c\x01auth=Bearer x\x01\x01",
            b"n,,\x01noequals\x01auth=Bearer x\x01\x01",
            b"n,,\x01x=\x00\x01auth=Bearer x\x01\x01",
        ] {
            assert!(
                matches!(parse(Flavor::Bearer, bad), Err(SaslError::Malformed { .. })),
                "{bad:?}"
            );
        }
        assert_eq!(
            parse(Flavor::Bearer, b"p=tls-unique,,\x01auth=Bearer x\x01\x01"),
            Err(SaslError::ChannelBindingNotSupported)
        );
        assert!(parse(
            Flavor::Bearer,
            b"y,,\x01unknown=ignored\x01auth=bearer x\x01\x01"
        )
        .is_ok());
        assert!(matches!(
            parse(Flavor::XOAuth2, b"auth=Bearer x\x01\x01"),
            Err(SaslError::Malformed { .. })
        ));
    }
}

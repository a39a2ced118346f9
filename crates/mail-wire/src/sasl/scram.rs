//! `SCRAM-SHA-1` (RFC 5802) and `SCRAM-SHA-256` (RFC 7677), without channel binding: the
//! GS2 flag is `n` (client) and `n` or `y` are accepted (server); `p=` is refused.
//!
//! ```text
//! SaltedPassword  = Hi(Normalize(password), salt, i)
//! ClientKey       = HMAC(SaltedPassword, "Client Key")
//! StoredKey       = H(ClientKey)
//! AuthMessage     = client-first-message-bare "," server-first-message ","
//!                   client-final-message-without-proof
//! ClientSignature = HMAC(StoredKey, AuthMessage)
//! ClientProof     = ClientKey XOR ClientSignature
//! ServerKey       = HMAC(SaltedPassword, "Server Key")
//! ServerSignature = HMAC(ServerKey, AuthMessage)
//! ```

use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};

use super::framing::{b64, unb64};
use super::gs2;
use super::server::{wrong_answer, AuthAnswer, Failure, Outcome, ServerStep};
use super::{ct_eq, saslprep, utf8, Mechanism, SaslError};
use crate::Secret;

/// Default limit on the iteration count a client accepts from a server.
const DEFAULT_MAX_ITERATIONS: u32 = 1_000_000;

/// The hash function of a SCRAM mechanism.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScramHash {
    /// SHA-1, for `SCRAM-SHA-1`.
    Sha1,
    /// SHA-256, for `SCRAM-SHA-256`.
    Sha256,
}

impl ScramHash {
    /// The mechanism using this hash.
    pub fn mechanism(self) -> Mechanism {
        match self {
            Self::Sha1 => Mechanism::ScramSha1,
            Self::Sha256 => Mechanism::ScramSha256,
        }
    }

    /// The digest length in bytes (20 or 32), which is also the length of every key.
    pub fn output_len(self) -> usize {
        match self {
            Self::Sha1 => 20,
            Self::Sha256 => 32,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Sha1 => "SCRAM-SHA-1",
            Self::Sha256 => "SCRAM-SHA-256",
        }
    }

    fn hash(self, data: &[u8]) -> Vec<u8> {
        match self {
            Self::Sha1 => Sha1::digest(data).to_vec(),
            Self::Sha256 => Sha256::digest(data).to_vec(),
        }
    }

    fn hmac(self, key: &[u8], data: &[u8]) -> Vec<u8> {
        // HMAC takes keys of any length: new_from_slice cannot fail, and an empty result
        // would only make the comparisons fail.
        match self {
            Self::Sha1 => <Hmac<Sha1> as Mac>::new_from_slice(key)
                .map(|mac| mac.chain_update(data).finalize().into_bytes().to_vec())
                .unwrap_or_default(),
            Self::Sha256 => <Hmac<Sha256> as Mac>::new_from_slice(key)
                .map(|mac| mac.chain_update(data).finalize().into_bytes().to_vec())
                .unwrap_or_default(),
        }
    }

    /// `Hi()`: PBKDF2 with this hash's HMAC.
    fn salted_password(self, password: &str, salt: &[u8], iterations: u32) -> Vec<u8> {
        let mut out = vec![0u8; self.output_len()];
        match self {
            Self::Sha1 => {
                pbkdf2::pbkdf2_hmac::<Sha1>(password.as_bytes(), salt, iterations, &mut out)
            }
            Self::Sha256 => {
                pbkdf2::pbkdf2_hmac::<Sha256>(password.as_bytes(), salt, iterations, &mut out)
            }
        }
        out
    }
}

/// What a SCRAM server stores for a user instead of the password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScramKeys {
    /// The salt.
    pub salt: Vec<u8>,
    /// The PBKDF2 iteration count (RFC 5802 asks for at least 4096).
    pub iterations: u32,
    /// `H(HMAC(SaltedPassword, "Client Key"))`.
    pub stored_key: Secret<Vec<u8>>,
    /// `HMAC(SaltedPassword, "Server Key")`.
    pub server_key: Secret<Vec<u8>>,
}

impl ScramKeys {
    /// Derives the keys from a password (SASLprep-ed first), to store when a user sets it.
    /// Errors if SASLprep refuses the password or `iterations` is 0.
    pub fn derive(
        hash: ScramHash,
        password: &str,
        salt: &[u8],
        iterations: u32,
    ) -> Result<Self, SaslError> {
        if iterations == 0 {
            return Err(SaslError::OutOfOrder {
                expected: "an iteration count of at least 1",
            });
        }
        let password = saslprep(password, "password")?;
        let salted = hash.salted_password(&password, salt, iterations);
        let client_key = hash.hmac(&salted, b"Client Key");
        Ok(Self {
            salt: salt.to_vec(),
            iterations,
            stored_key: Secret::new(hash.hash(&client_key)),
            server_key: Secret::new(hash.hmac(&salted, b"Server Key")),
        })
    }
}

/// Splits `a=x,b=y` into attributes; each must be one ASCII letter, `=`, then a value.
fn attributes<'a>(
    message: &'a [u8],
    mechanism: &'static str,
) -> Result<Vec<(u8, &'a [u8])>, SaslError> {
    message
        .split(|&b| b == b',')
        .map(|part| match part {
            [name, b'=', value @ ..] if name.is_ascii_alphabetic() => Ok((*name, value)),
            _ => Err(SaslError::Malformed {
                mechanism,
                expected: "attribute=value pairs",
            }),
        })
        .collect()
}

/// Takes the next attribute, which must be `name`.
fn expect<'a>(
    attrs: &mut impl Iterator<Item = (u8, &'a [u8])>,
    name: u8,
    mechanism: &'static str,
    expected: &'static str,
) -> Result<&'a [u8], SaslError> {
    match attrs.next() {
        Some((n, value)) if n == name => Ok(value),
        Some((b'm', _)) => Err(SaslError::UnsupportedExtension),
        _ => Err(SaslError::Malformed {
            mechanism,
            expected,
        }),
    }
}

fn valid_printable(value: &[u8]) -> bool {
    !value.is_empty()
        && value
            .iter()
            .all(|&b| (0x21..=0x7e).contains(&b) && b != b',')
}

fn xor(a: &[u8], b: &[u8]) -> Vec<u8> {
    a.iter().zip(b).map(|(x, y)| x ^ y).collect()
}

#[derive(Debug)]
enum ClientState {
    Initial,
    FirstSent,
    FinalSent { server_signature: Vec<u8> },
    Verified,
    Failed,
}

/// The client.
#[derive(Debug)]
pub(crate) struct Client {
    hash: ScramHash,
    gs2_header: String,
    client_first_bare: String,
    nonce: String,
    password: Secret<String>,
    pub(crate) max_iterations: u32,
    state: ClientState,
}

impl Client {
    pub(crate) fn new(
        hash: ScramHash,
        authzid: Option<&str>,
        username: &str,
        password: &Secret<String>,
        nonce: String,
    ) -> Result<Self, SaslError> {
        if !super::valid_nonce(&nonce) {
            return Err(SaslError::InvalidNonce);
        }
        let username = saslprep(username, "username")?;
        let password = Secret::new(saslprep(password.expose(), "password")?.into_owned());
        let gs2_header = match authzid {
            Some(authzid) => format!(
                "n,a={},",
                gs2::encode_saslname(&saslprep(authzid, "authzid")?)
            ),
            None => String::from("n,,"),
        };
        let client_first_bare = format!("n={},r={nonce}", gs2::encode_saslname(&username));
        Ok(Self {
            hash,
            gs2_header,
            client_first_bare,
            nonce,
            password,
            max_iterations: DEFAULT_MAX_ITERATIONS,
            state: ClientState::Initial,
        })
    }

    pub(crate) fn mechanism(&self) -> Mechanism {
        self.hash.mechanism()
    }

    pub(crate) fn initial_response(&mut self) -> Option<Vec<u8>> {
        if !matches!(self.state, ClientState::Initial) {
            return None;
        }
        self.state = ClientState::FirstSent;
        Some(format!("{}{}", self.gs2_header, self.client_first_bare).into_bytes())
    }

    pub(crate) fn step(&mut self, challenge: &[u8]) -> Result<Vec<u8>, SaslError> {
        match std::mem::replace(&mut self.state, ClientState::Failed) {
            ClientState::Initial => {
                self.state = ClientState::Initial;
                self.initial_response()
                    .ok_or(SaslError::UnexpectedChallenge)
            }
            ClientState::FirstSent => self.client_final(challenge),
            ClientState::FinalSent { server_signature } => {
                self.verify_server_final(challenge, &server_signature)?;
                self.state = ClientState::Verified;
                Ok(Vec::new())
            }
            ClientState::Verified | ClientState::Failed => Err(SaslError::UnexpectedChallenge),
        }
    }

    pub(crate) fn success(&mut self, additional_data: Option<&[u8]>) -> Result<(), SaslError> {
        if let (Some(data), ClientState::FinalSent { server_signature }) =
            (additional_data, &self.state)
        {
            if !data.is_empty() {
                let expected = server_signature.clone();
                self.state = ClientState::Failed;
                self.verify_server_final(data, &expected)?;
                self.state = ClientState::Verified;
            }
        }
        match self.state {
            ClientState::Verified => Ok(()),
            _ => Err(SaslError::ServerNotVerified),
        }
    }

    fn client_final(&mut self, server_first: &[u8]) -> Result<Vec<u8>, SaslError> {
        let name = self.hash.name();
        let server_first_str = utf8(server_first, name, "server-first-message")?;
        let attrs = attributes(server_first, name)?;
        let mut attrs = attrs.into_iter();
        let nonce = expect(&mut attrs, b'r', name, "r=nonce first")?;
        let salt = expect(&mut attrs, b's', name, "s=salt after the nonce")?;
        let iterations = expect(&mut attrs, b'i', name, "i=iteration-count after the salt")?;
        // Further attributes are optional extensions: ignored (RFC 5802 section 5.1).
        if attrs.any(|(n, _)| n == b'm') {
            return Err(SaslError::UnsupportedExtension);
        }
        if !valid_printable(nonce) {
            return Err(SaslError::Malformed {
                mechanism: name,
                expected: "a printable nonce",
            });
        }
        if !nonce.starts_with(self.nonce.as_bytes()) || nonce.len() == self.nonce.len() {
            return Err(SaslError::NonceMismatch);
        }
        let salt = unb64(salt)?;
        if salt.is_empty() {
            return Err(SaslError::Malformed {
                mechanism: name,
                expected: "a non-empty salt",
            });
        }
        let iterations = match iterations {
            [b'1'..=b'9', ..] if iterations.iter().all(u8::is_ascii_digit) => {
                utf8(iterations, name, "iteration count")?
                    .parse::<u32>()
                    .ok()
            }
            _ => None,
        }
        .ok_or(SaslError::Malformed {
            mechanism: name,
            expected: "a positive iteration count",
        })?;
        if iterations > self.max_iterations {
            return Err(SaslError::IterationCountTooHigh {
                count: iterations,
                limit: self.max_iterations,
            });
        }

        let hash = self.hash;
        let nonce = utf8(nonce, name, "nonce")?;
        let without_proof = format!("c={},r={nonce}", b64(self.gs2_header.as_bytes()));
        let auth_message = format!(
            "{},{server_first_str},{without_proof}",
            self.client_first_bare
        );
        let salted = hash.salted_password(self.password.expose(), &salt, iterations);
        let client_key = hash.hmac(&salted, b"Client Key");
        let stored_key = hash.hash(&client_key);
        let client_signature = hash.hmac(&stored_key, auth_message.as_bytes());
        let proof = xor(&client_key, &client_signature);
        let server_key = hash.hmac(&salted, b"Server Key");
        let server_signature = hash.hmac(&server_key, auth_message.as_bytes());
        self.state = ClientState::FinalSent { server_signature };
        Ok(format!("{without_proof},p={}", b64(&proof)).into_bytes())
    }

    fn verify_server_final(&self, server_final: &[u8], expected: &[u8]) -> Result<(), SaslError> {
        let name = self.hash.name();
        let attrs = attributes(server_final, name)?;
        match attrs.first() {
            Some((b'v', signature)) => {
                if ct_eq(&unb64(signature)?, expected) {
                    Ok(())
                } else {
                    Err(SaslError::ServerSignatureMismatch)
                }
            }
            Some((b'e', error)) => Err(SaslError::ScramServerError(
                String::from_utf8_lossy(error).into_owned(),
            )),
            Some((b'm', _)) => Err(SaslError::UnsupportedExtension),
            _ => Err(SaslError::Malformed {
                mechanism: name,
                expected: "v=signature or e=error",
            }),
        }
    }
}

#[derive(Debug)]
struct Identity {
    authcid: String,
    authzid: Option<String>,
}

#[derive(Debug)]
enum ServerState {
    Initial,
    Lookup {
        gs2_header: Vec<u8>,
        client_first_bare: String,
        client_nonce: String,
        identity: Identity,
    },
    Final {
        gs2_header: Vec<u8>,
        auth_prefix: String,
        nonce: String,
        keys: ScramKeys,
        identity: Identity,
    },
    Acknowledge(Identity),
    Done,
}

/// The server.
#[derive(Debug)]
pub(crate) struct Server {
    hash: ScramHash,
    nonce: String,
    success_data: bool,
    state: ServerState,
}

impl Server {
    pub(crate) fn new(hash: ScramHash, nonce: String, success_data: bool) -> Self {
        Self {
            hash,
            nonce,
            success_data,
            state: ServerState::Initial,
        }
    }

    pub(crate) fn mechanism(&self) -> Mechanism {
        self.hash.mechanism()
    }

    pub(crate) fn start(&mut self, initial: Option<&[u8]>) -> Result<ServerStep, SaslError> {
        match initial {
            Some(message) => self.response(message),
            None => Ok(ServerStep::Challenge(Vec::new())),
        }
    }

    pub(crate) fn response(&mut self, message: &[u8]) -> Result<ServerStep, SaslError> {
        match std::mem::replace(&mut self.state, ServerState::Done) {
            ServerState::Initial => self.client_first(message),
            ServerState::Final {
                gs2_header,
                auth_prefix,
                nonce,
                keys,
                identity,
            } => self.client_final(message, &gs2_header, &auth_prefix, &nonce, &keys, identity),
            ServerState::Acknowledge(identity) => {
                if message.is_empty() {
                    Ok(ServerStep::Success(Outcome {
                        authcid: Some(identity.authcid),
                        authzid: identity.authzid,
                        additional_data: None,
                    }))
                } else {
                    Err(SaslError::Malformed {
                        mechanism: self.hash.name(),
                        expected: "an empty response to the server-final-message",
                    })
                }
            }
            ServerState::Lookup { .. } | ServerState::Done => Err(SaslError::UnexpectedResponse),
        }
    }

    fn client_first(&mut self, message: &[u8]) -> Result<ServerStep, SaslError> {
        let name = self.hash.name();
        let header = gs2::parse_header(message, name)?;
        let (gs2_header, bare) = message.split_at(header.len.min(message.len()));
        let bare_str = utf8(bare, name, "client-first-message")?;
        let attrs = attributes(bare, name)?;
        let mut attrs = attrs.into_iter();
        let username = expect(&mut attrs, b'n', name, "n=username after the gs2 header")?;
        let nonce = expect(&mut attrs, b'r', name, "r=nonce after the username")?;
        if attrs.any(|(n, _)| n == b'm') {
            return Err(SaslError::UnsupportedExtension);
        }
        if !valid_printable(nonce) {
            return Err(SaslError::Malformed {
                mechanism: name,
                expected: "a printable nonce",
            });
        }
        let username = gs2::decode_saslname(username, name, "username")?;
        let authcid = saslprep(&username, "username")?.into_owned();
        let authzid = header.authzid;
        self.state = ServerState::Lookup {
            gs2_header: gs2_header.to_vec(),
            client_first_bare: bare_str.to_owned(),
            client_nonce: utf8(nonce, name, "nonce")?.to_owned(),
            identity: Identity {
                authcid: authcid.clone(),
                authzid: authzid.clone(),
            },
        };
        Ok(ServerStep::LookupScram {
            hash: self.hash,
            authcid,
            authzid,
        })
    }

    pub(crate) fn answer(&mut self, answer: AuthAnswer) -> Result<ServerStep, SaslError> {
        let AuthAnswer::ScramKeys(keys) = answer else {
            return wrong_answer("scram_keys(..)");
        };
        let ServerState::Lookup {
            gs2_header,
            client_first_bare,
            client_nonce,
            identity,
        } = std::mem::replace(&mut self.state, ServerState::Done)
        else {
            return Err(SaslError::OutOfOrder {
                expected: "a LookupScram step to answer",
            });
        };
        let Some(keys) = keys else {
            return Ok(ServerStep::Failure(Failure::Rejected));
        };
        let len = self.hash.output_len();
        if keys.stored_key.expose().len() != len || keys.server_key.expose().len() != len {
            return Err(SaslError::InvalidScramKeys { expected: len });
        }
        if keys.iterations == 0 || keys.salt.is_empty() {
            return Err(SaslError::OutOfOrder {
                expected: "scram keys with a salt and iterations",
            });
        }
        let nonce = format!("{client_nonce}{}", self.nonce);
        let server_first = format!("r={nonce},s={},i={}", b64(&keys.salt), keys.iterations);
        let auth_prefix = format!("{client_first_bare},{server_first}");
        self.state = ServerState::Final {
            gs2_header,
            auth_prefix,
            nonce,
            keys,
            identity,
        };
        Ok(ServerStep::Challenge(server_first.into_bytes()))
    }

    fn client_final(
        &mut self,
        message: &[u8],
        gs2_header: &[u8],
        auth_prefix: &str,
        nonce: &str,
        keys: &ScramKeys,
        identity: Identity,
    ) -> Result<ServerStep, SaslError> {
        let name = self.hash.name();
        let message_str = utf8(message, name, "client-final-message")?;
        let attrs = attributes(message, name)?;
        let Some(((b'p', proof), rest)) = attrs.split_last() else {
            return Err(SaslError::Malformed {
                mechanism: name,
                expected: "p=proof last",
            });
        };
        let mut rest = rest.iter().copied();
        let binding = expect(&mut rest, b'c', name, "c=channel-binding first")?;
        let client_nonce = expect(&mut rest, b'r', name, "r=nonce after the channel binding")?;
        if rest.any(|(n, _)| n == b'm') {
            return Err(SaslError::UnsupportedExtension);
        }
        if unb64(binding)? != gs2_header {
            return Err(SaslError::ChannelBindingMismatch);
        }
        if client_nonce != nonce.as_bytes() {
            return Err(SaslError::NonceMismatch);
        }
        let proof = unb64(proof)?;
        if proof.len() != self.hash.output_len() {
            return Err(SaslError::Malformed {
                mechanism: name,
                expected: "a proof as long as the hash",
            });
        }
        // `p=` + proof + the comma before it.
        let without_proof_len = message_str.len().saturating_sub(proof_attr_len(message));
        let without_proof = message_str.get(..without_proof_len).unwrap_or_default();
        let auth_message = format!("{auth_prefix},{without_proof}");

        let hash = self.hash;
        let client_signature = hash.hmac(keys.stored_key.expose(), auth_message.as_bytes());
        let client_key = xor(&proof, &client_signature);
        if !ct_eq(&hash.hash(&client_key), keys.stored_key.expose()) {
            return Ok(ServerStep::Failure(Failure::InvalidProof));
        }
        let server_signature = hash.hmac(keys.server_key.expose(), auth_message.as_bytes());
        let server_final = format!("v={}", b64(&server_signature)).into_bytes();
        if self.success_data {
            Ok(ServerStep::Success(Outcome {
                authcid: Some(identity.authcid),
                authzid: identity.authzid,
                additional_data: Some(server_final),
            }))
        } else {
            self.state = ServerState::Acknowledge(identity);
            Ok(ServerStep::Challenge(server_final))
        }
    }
}

/// Length of `,p=...` at the end of a client-final-message.
fn proof_attr_len(message: &[u8]) -> usize {
    message
        .iter()
        .rposition(|&b| b == b',')
        .map_or(message.len(), |comma| message.len() - comma)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Vector {
        hash: ScramHash,
        client_nonce: &'static str,
        server_nonce: &'static str,
        salt_b64: &'static str,
        client_first: &'static str,
        server_first: &'static str,
        client_final: &'static str,
        server_final: &'static str,
    }

    /// RFC 5802 section 5.
    const RFC_5802: Vector = Vector {
        hash: ScramHash::Sha1,
        client_nonce: "fyko+d2lbbFgONRv9qkxdawL",
        server_nonce: "3rfcNHYJY1ZVvWVs7j",
        salt_b64: "QSXCR+Q6sek8bf92",
        client_first: "n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL",
        server_first: "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096",
        client_final:
            "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",
        server_final: "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=",
    };

    /// RFC 7677 section 3.
    const RFC_7677: Vector = Vector {
        hash: ScramHash::Sha256,
        client_nonce: "rOprNGfwEbeRWgbNEkqO",
        server_nonce: "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0",
        salt_b64: "W22ZaJ0SNY7soEsUEjb6gQ==",
        client_first: "n,,n=user,r=rOprNGfwEbeRWgbNEkqO",
        server_first: "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
        client_final: "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
        server_final: "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
    };

    fn keys(v: &Vector) -> ScramKeys {
        ScramKeys::derive(
            v.hash,
            "pencil",
            &unb64(v.salt_b64.as_bytes()).unwrap(),
            4096,
        )
        .unwrap()
    }

    fn run_vector(v: &Vector) {
        let password = Secret::new("pencil".to_owned());
        let mut client =
            Client::new(v.hash, None, "user", &password, v.client_nonce.into()).unwrap();
        let mut server = Server::new(v.hash, v.server_nonce.into(), false);

        let first = client.initial_response().unwrap();
        assert_eq!(String::from_utf8_lossy(&first), v.client_first);
        assert_eq!(
            server.start(Some(&first)),
            Ok(ServerStep::LookupScram {
                hash: v.hash,
                authcid: "user".into(),
                authzid: None
            })
        );
        let step = server.answer(AuthAnswer::ScramKeys(Some(keys(v)))).unwrap();
        assert_eq!(
            step,
            ServerStep::Challenge(v.server_first.as_bytes().to_vec())
        );

        let fin = client.step(v.server_first.as_bytes()).unwrap();
        assert_eq!(String::from_utf8_lossy(&fin), v.client_final);
        let step = server.response(&fin).unwrap();
        assert_eq!(
            step,
            ServerStep::Challenge(v.server_final.as_bytes().to_vec())
        );

        assert_eq!(client.step(v.server_final.as_bytes()), Ok(Vec::new()));
        assert_eq!(
            server.response(b""),
            Ok(ServerStep::Success(Outcome {
                authcid: Some("user".into()),
                authzid: None,
                additional_data: None
            }))
        );
        assert_eq!(client.success(None), Ok(()));
    }

    #[test]
    fn rfc_5802_scram_sha_1_example() {
        run_vector(&RFC_5802);
    }

    #[test]
    fn rfc_7677_scram_sha_256_example() {
        run_vector(&RFC_7677);
    }

    #[test]
    fn server_sends_rfc_final_as_success_data() {
        let v = &RFC_7677;
        let mut server = Server::new(v.hash, v.server_nonce.into(), true);
        let _ = server.start(Some(v.client_first.as_bytes())).unwrap();
        let _ = server.answer(AuthAnswer::ScramKeys(Some(keys(v)))).unwrap();
        let step = server.response(v.client_final.as_bytes()).unwrap();
        assert_eq!(
            step,
            ServerStep::Success(Outcome {
                authcid: Some("user".into()),
                authzid: None,
                additional_data: Some(v.server_final.as_bytes().to_vec()),
            })
        );
        let mut client = Client::new(
            v.hash,
            None,
            "user",
            &Secret::new("pencil".into()),
            v.client_nonce.into(),
        )
        .unwrap();
        let _ = client.initial_response();
        let _ = client.step(v.server_first.as_bytes()).unwrap();
        assert_eq!(client.success(Some(v.server_final.as_bytes())), Ok(()));
    }

    #[test]
    fn client_refuses_bad_server_messages() {
        let v = &RFC_5802;
        let password = Secret::new("pencil".to_owned());
        let fresh = || {
            let mut c =
                Client::new(v.hash, None, "user", &password, v.client_nonce.into()).unwrap();
            let _ = c.initial_response();
            c
        };
        let cases: &[(&str, SaslError)] = &[
            (
                "r=other3rfc,s=QSXCR+Q6sek8bf92,i=4096",
                SaslError::NonceMismatch,
            ),
            (
                "r=fyko+d2lbbFgONRv9qkxdawL,s=QSXCR+Q6sek8bf92,i=4096",
                SaslError::NonceMismatch,
            ),
            (
                "m=ext,r=fyko+d2lbbFgONRv9qkxdawLx,s=QSXCR+Q6sek8bf92,i=4096",
                SaslError::UnsupportedExtension,
            ),
            (
                "r=fyko+d2lbbFgONRv9qkxdawLx,s=QSXCR+Q6sek8bf92,i=4096,m=x",
                SaslError::UnsupportedExtension,
            ),
            (
                "r=fyko+d2lbbFgONRv9qkxdawLx,s=@@@,i=4096",
                SaslError::InvalidBase64,
            ),
            (
                "r=fyko+d2lbbFgONRv9qkxdawLx,s=QSXCR+Q6sek8bf92,i=4294967295",
                SaslError::IterationCountTooHigh {
                    count: u32::MAX,
                    limit: DEFAULT_MAX_ITERATIONS,
                },
            ),
        ];
        for (server_first, error) in cases {
            assert_eq!(
                fresh().step(server_first.as_bytes()).as_ref(),
                Err(error),
                "{server_first}"
            );
        }
        for malformed in [
            "",
            "s=QSXCR+Q6sek8bf92,r=fyko+d2lbbFgONRv9qkxdawLx,i=4096",
            "r=fyko+d2lbbFgONRv9qkxdawLx,s=QSXCR+Q6sek8bf92,i=0",
            "r=fyko+d2lbbFgONRv9qkxdawLx,s=QSXCR+Q6sek8bf92,i=01",
            "r=fyko+d2lbbFgONRv9qkxdawLx,s=QSXCR+Q6sek8bf92,i=-1",
            "r=fyko+d2lbbFgONRv9qkxdawLx,s=QSXCR+Q6sek8bf92,i=99999999999",
            "r=fyko+d2lbbFgONRv9qkxdawLx,s=,i=4096",
            "r=fyko+d2lbbFgONRv9qkxdawLx,s=QSXCR+Q6sek8bf92",
            "r=fyko+d2lbbFgONRv9qkxdawLx,,s=QSXCR+Q6sek8bf92,i=4096",
        ] {
            assert!(
                matches!(
                    fresh().step(malformed.as_bytes()),
                    Err(SaslError::Malformed { .. })
                ),
                "{malformed}"
            );
        }
        // Server-final: wrong signature, error, garbage; and success without any.
        let at_final = || {
            let mut c = fresh();
            c.step(v.server_first.as_bytes()).unwrap();
            c
        };
        assert_eq!(
            at_final().step(b"v=AAAAAAAAAAAAAAAAAAAAAAAAAAA="),
            Err(SaslError::ServerSignatureMismatch)
        );
        assert_eq!(
            at_final().step(b"e=invalid-proof"),
            Err(SaslError::ScramServerError("invalid-proof".into()))
        );
        assert!(matches!(
            at_final().step(b"x"),
            Err(SaslError::Malformed { .. })
        ));
        assert_eq!(at_final().success(None), Err(SaslError::ServerNotVerified));
        assert_eq!(
            at_final().success(Some(b"v=AAAA")),
            Err(SaslError::ServerSignatureMismatch)
        );
        let mut c = at_final();
        c.step(v.server_final.as_bytes()).unwrap();
        assert_eq!(c.step(b""), Err(SaslError::UnexpectedChallenge));
    }

    #[test]
    fn server_refuses_bad_client_messages() {
        let v = &RFC_5802;
        for (first, error) in [
            (
                "p=tls-unique,,n=user,r=abc",
                SaslError::ChannelBindingNotSupported,
            ),
            ("n,,m=ext,n=user,r=abc", SaslError::UnsupportedExtension),
            ("n,,n=user,r=abc,m=ext", SaslError::UnsupportedExtension),
            (
                "n,,n=\u{0007},r=abc",
                SaslError::Saslprep { field: "username" },
            ),
        ] {
            let mut server = Server::new(v.hash, v.server_nonce.into(), false);
            assert_eq!(server.start(Some(first.as_bytes())), Err(error), "{first}");
        }
        for first in [
            "",
            "n",
            "n,,",
            "n,,r=abc,n=user",
            "n,,n=user",
            "n,,n=us=er,r=abc",
            "n,,n=user,r=a\u{e9}",
            "x,,n=user,r=abc",
            "n,,n=,r=abc",
        ] {
            let mut server = Server::new(v.hash, v.server_nonce.into(), false);
            assert!(
                matches!(
                    server.start(Some(first.as_bytes())),
                    Err(SaslError::Malformed { .. })
                ),
                "{first:?}"
            );
        }
        // "y" is accepted: we do not support channel binding, so no downgrade happened.
        let mut server = Server::new(v.hash, v.server_nonce.into(), false);
        assert!(matches!(
            server.start(Some(b"y,a=admin,n=user,r=abc")),
            Ok(ServerStep::LookupScram {
                authzid: Some(_),
                ..
            })
        ));

        let at_final = || {
            let mut server = Server::new(v.hash, v.server_nonce.into(), false);
            let _ = server.start(Some(v.client_first.as_bytes())).unwrap();
            let _ = server.answer(AuthAnswer::ScramKeys(Some(keys(v)))).unwrap();
            server
        };
        let nonce = "fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j";
        let proof = "v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=";
        for (fin, error) in [
            (
                format!("c=eSws,r={nonce},p={proof}"),
                SaslError::ChannelBindingMismatch,
            ),
            (
                format!("c=biws,r={nonce}x,p={proof}"),
                SaslError::NonceMismatch,
            ),
            (
                format!("c=biws,r=fyko+d2lbbFgONRv9qkxdawL,p={proof}"),
                SaslError::NonceMismatch,
            ),
            (
                format!("c=biws,r={nonce},m=x,p={proof}"),
                SaslError::UnsupportedExtension,
            ),
            (format!("c=biws,r={nonce},p=@@"), SaslError::InvalidBase64),
        ] {
            assert_eq!(at_final().response(fin.as_bytes()), Err(error), "{fin}");
        }
        for fin in [
            format!("r={nonce},c=biws,p={proof}"),
            format!("c=biws,r={nonce}"),
            format!("c=biws,r={nonce},p=AAAA"),
            format!("c=biws,p={proof}"),
            String::new(),
        ] {
            assert!(
                matches!(
                    at_final().response(fin.as_bytes()),
                    Err(SaslError::Malformed { .. })
                ),
                "{fin}"
            );
        }
        // A wrong proof of the right length is an authentication failure, not an error.
        let wrong = format!("c=biws,r={nonce},p=AAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        assert_eq!(
            at_final().response(wrong.as_bytes()),
            Ok(ServerStep::Failure(Failure::InvalidProof))
        );
        // Unknown optional extensions are ignored, but they are part of the AuthMessage, so
        // the RFC's proof no longer matches.
        let ext = format!("c=biws,r={nonce},x=y,p={proof}");
        assert_eq!(
            at_final().response(ext.as_bytes()),
            Ok(ServerStep::Failure(Failure::InvalidProof))
        );
    }

    #[test]
    fn saslname_escaping_and_authzid_travel() {
        let password = Secret::new("pencil".to_owned());
        let mut client = Client::new(
            ScramHash::Sha256,
            Some("ad,min"),
            "us=er",
            &password,
            "abc".into(),
        )
        .unwrap();
        assert_eq!(
            client.initial_response().unwrap(),
            b"n,a=ad=2Cmin,n=us=3Der,r=abc"
        );
        assert_eq!(
            Client::new(ScramHash::Sha1, None, "user", &password, "a,b".into()).unwrap_err(),
            SaslError::InvalidNonce
        );
        assert_eq!(
            Client::new(
                ScramHash::Sha1,
                None,
                "user",
                &Secret::new("\u{0007}".into()),
                "ab".into()
            )
            .unwrap_err(),
            SaslError::Saslprep { field: "password" }
        );
    }
}

//! The server side: one state machine for every mechanism, asking the application for
//! every credential decision.

use super::scram::{ScramHash, ScramKeys};
use super::{cram_md5, external, login, oauth, plain, scram};
use super::{Mechanism, SaslError, DEFAULT_MAX_RESPONSE_LEN};
use crate::Secret;

/// Server settings.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServerOptions {
    /// Largest decoded client response accepted; default [`DEFAULT_MAX_RESPONSE_LEN`]
    /// (16 KiB), enough for any OAuth token, small enough to bound memory.
    pub max_response_len: usize,
    /// Host name in the CRAM-MD5 challenge `<nonce@hostname>`; default `localhost`, set it to
    /// the server's name.
    pub hostname: String,
    /// Whether the protocol can carry data with its success reply (RFC 4422 section 5
    /// "additional data with success"). Default `false`, because SMTP (RFC 4954), POP3
    /// (RFC 5034) and IMAP4rev1 (RFC 3501) cannot: the SCRAM `v=` message is then sent as one
    /// more challenge and the client answers it with an empty response.
    pub success_data: bool,
}

impl Default for ServerOptions {
    fn default() -> Self {
        Self {
            max_response_len: DEFAULT_MAX_RESPONSE_LEN,
            hostname: String::from("localhost"),
            success_data: false,
        }
    }
}

impl ServerOptions {
    /// Sets [`ServerOptions::max_response_len`].
    pub fn with_max_response_len(mut self, limit: usize) -> Self {
        self.max_response_len = limit;
        self
    }

    /// Sets [`ServerOptions::hostname`].
    pub fn with_hostname(mut self, hostname: impl Into<String>) -> Self {
        self.hostname = hostname.into();
        self
    }

    /// Sets [`ServerOptions::success_data`].
    pub fn with_success_data(mut self, success_data: bool) -> Self {
        self.success_data = success_data;
        self
    }
}

/// Credentials a client presented, for the application to check. Answer with
/// [`ServerMechanism::verified`] (or [`ServerMechanism::reject_token`] for tokens).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Credentials {
    /// `PLAIN` or `LOGIN`: a user name and password, as received (apply SASLprep with
    /// [`saslprep`](super::saslprep) if your store expects prepared strings).
    Password {
        /// Identity to act as, if the client asked for one (`PLAIN` only).
        authzid: Option<String>,
        /// Identity whose password this is.
        authcid: String,
        /// The password.
        password: Secret<String>,
    },
    /// `OAUTHBEARER` or `XOAUTH2`: a bearer token.
    Token {
        /// The user named by the client (`a=` in OAUTHBEARER, `user=` in XOAUTH2); the token
        /// decides who the client really is.
        user: Option<String>,
        /// The bearer token (without the `Bearer ` scheme).
        token: Secret<String>,
        /// `host=` (OAUTHBEARER only): check it against the name the client connected to.
        host: Option<String>,
        /// `port=` (OAUTHBEARER only).
        port: Option<u16>,
    },
    /// `EXTERNAL`: the client is authenticated outside SASL (TLS client certificate); it
    /// may ask to act as `authzid`.
    External {
        /// Identity to act as, or `None` for the one derived from the external credentials.
        authzid: Option<String>,
    },
}

/// What the server state machine needs next.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
#[non_exhaustive]
pub enum ServerStep {
    /// Send this challenge (base64 it with [`encode_challenge`](super::encode_challenge)),
    /// then feed the client's response to [`ServerMechanism::handle_response`].
    Challenge(Vec<u8>),
    /// Check these credentials, then call [`ServerMechanism::verified`].
    Verify(Credentials),
    /// CRAM-MD5: look up the shared secret (password) of `authcid`, then call
    /// [`ServerMechanism::shared_secret`].
    LookupSecret {
        /// The user name the client sent.
        authcid: String,
    },
    /// SCRAM: look up the stored keys of `authcid` for `hash`, then call
    /// [`ServerMechanism::scram_keys`] (`None` for an unknown user, or to refuse `authzid`).
    LookupScram {
        /// Hash function of the mechanism in use.
        hash: ScramHash,
        /// The user name, SASLprep-ed.
        authcid: String,
        /// Identity to act as, if the client asked for one.
        authzid: Option<String>,
    },
    /// The client is authenticated.
    Success(Outcome),
    /// Authentication failed; send the protocol's failure reply.
    Failure(Failure),
}

impl ServerStep {
    /// The credential question of a `Verify` or `Lookup` step as an [`AuthRequest`], or the
    /// step itself back (`Challenge`, `Success`, `Failure`).
    pub fn into_request(self) -> Result<AuthRequest, Self> {
        match self {
            Self::Verify(credentials) => Ok(AuthRequest::Verify(credentials)),
            Self::LookupSecret { authcid } => Ok(AuthRequest::LookupSecret { authcid }),
            Self::LookupScram {
                hash,
                authcid,
                authzid,
            } => Ok(AuthRequest::LookupScram {
                hash,
                authcid,
                authzid,
            }),
            other => Err(other),
        }
    }
}

/// A successful authentication.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Outcome {
    /// The authenticated identity: the user whose credentials were checked. `None` for
    /// `EXTERNAL` and for token mechanisms where the client named no user; the application
    /// knows the identity from the certificate or token.
    pub authcid: Option<String>,
    /// The identity the client asked to act as, if any. The application decided it may, when
    /// it answered the `Verify` or `Lookup` step.
    pub authzid: Option<String>,
    /// Data to send with the success reply ([`ServerOptions::success_data`] only).
    pub additional_data: Option<Vec<u8>>,
}

/// Why authentication failed (for logs; tell the client no more than the protocol's
/// failure reply).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Failure {
    /// The application answered `false`, or gave no secret or keys (unknown user).
    Rejected,
    /// The client's proof (CRAM-MD5 digest, SCRAM proof) did not match.
    InvalidProof,
}

/// A credential question of a SASL exchange, for the application to answer with an
/// [`AuthAnswer`]: the `Verify` and `Lookup` steps of [`ServerStep`], on their own so that
/// protocol sessions (SMTP `AUTH`, POP3 `AUTH`, `USER`/`PASS` and `APOP`) can hand them out
/// as one event and take the answer back with one method.
///
/// Get one from a step with [`ServerStep::into_request`]; feed the answer to the mechanism
/// with [`ServerMechanism::answer`]. Passwords and keys stay in [`Secret`], so `Debug` output
/// shows no credential.
///
/// ```
/// use mail_wire::sasl::*;
///
/// let mut server = ServerMechanism::new(&Mechanism::Plain, ServerOptions::default())?;
/// let Ok(request) = server.start(Some(b"\0tim\0tanstaaftanstaaf"))?.into_request() else { panic!() };
/// assert_eq!(request.user(), Some("tim"));
/// assert!(!format!("{request:?}").contains("tanstaaf"));
/// let ok = matches!(&request, AuthRequest::Verify(Credentials::Password { password, .. })
///     if password.expose() == "tanstaaftanstaaf");
/// let ServerStep::Success(outcome) = server.answer(AuthAnswer::Verified(ok))? else { panic!() };
/// assert_eq!(outcome.authcid.as_deref(), Some("tim"));
/// # Ok::<(), SaslError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthRequest {
    /// Check a password, token or external identity: answer [`AuthAnswer::Verified`] (or
    /// [`AuthAnswer::RejectToken`] for a token).
    Verify(Credentials),
    /// CRAM-MD5 (and POP3 `APOP`): answer [`AuthAnswer::Secret`] with the user's plaintext
    /// password.
    LookupSecret {
        /// The user name the client sent.
        authcid: String,
    },
    /// SCRAM: answer [`AuthAnswer::ScramKeys`] (`None` for an unknown user, or to refuse
    /// `authzid`).
    LookupScram {
        /// Hash function of the mechanism in use.
        hash: ScramHash,
        /// The user name, SASLprep-ed.
        authcid: String,
        /// Identity to act as, if the client asked for one.
        authzid: Option<String>,
    },
}

impl AuthRequest {
    /// The user this request is about, for logs and failure counts: the identity to act as
    /// if the client asked for one, else the one whose credentials these are. `None` for
    /// tokens and `EXTERNAL`, where the credentials themselves say who the client is.
    pub fn user(&self) -> Option<&str> {
        match self {
            Self::Verify(Credentials::Password {
                authzid, authcid, ..
            })
            | Self::LookupScram {
                authzid, authcid, ..
            } => Some(authzid.as_deref().unwrap_or(authcid)),
            Self::LookupSecret { authcid } => Some(authcid),
            Self::Verify(Credentials::Token { .. } | Credentials::External { .. }) => None,
        }
    }
}

impl From<AuthRequest> for ServerStep {
    fn from(request: AuthRequest) -> Self {
        match request {
            AuthRequest::Verify(credentials) => Self::Verify(credentials),
            AuthRequest::LookupSecret { authcid } => Self::LookupSecret { authcid },
            AuthRequest::LookupScram {
                hash,
                authcid,
                authzid,
            } => Self::LookupScram {
                hash,
                authcid,
                authzid,
            },
        }
    }
}

/// The application's answer to an [`AuthRequest`], for [`ServerMechanism::answer`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthAnswer {
    /// Answers [`AuthRequest::Verify`]: whether the credentials are good and the client may
    /// act as the `authzid` it asked for. A refused token gets the default RFC 7628 error
    /// challenge `{"status":"invalid_token"}`.
    Verified(bool),
    /// Answers [`AuthRequest::Verify`] of a token with a refusal carrying this JSON error
    /// (RFC 7628 section 3.2.2: `status`, optional `scope` and `openid-configuration`).
    RejectToken(Vec<u8>),
    /// Answers [`AuthRequest::LookupSecret`] with the user's shared secret (plaintext
    /// password), or `None` if the user is unknown.
    Secret(Option<Secret<String>>),
    /// Answers [`AuthRequest::LookupScram`] with the user's stored keys, or `None` if the
    /// user is unknown or may not act as the `authzid`.
    ScramKeys(Option<ScramKeys>),
}

#[derive(Debug)]
enum Inner {
    Plain(plain::Server),
    Login(login::Server),
    OAuth(oauth::Server),
    CramMd5(cram_md5::Server),
    Scram(Box<scram::Server>),
    External(external::Server),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Start,
    AwaitResponse,
    AwaitAnswer,
    Done,
}

/// A server-side SASL exchange for one mechanism.
///
/// Drive it with [`start`](Self::start), then [`handle_response`](Self::handle_response) for
/// each client response, and answer `Verify` / `Lookup` steps with the matching method. It
/// never stores or looks up credentials itself.
///
/// ```
/// use mail_wire::sasl::{Credentials, Mechanism, ServerMechanism, ServerOptions, ServerStep};
///
/// let mut server = ServerMechanism::new(&Mechanism::Plain, ServerOptions::default())?;
/// let step = server.start(Some(b"\0tim\0tanstaaftanstaaf"))?;
/// let ServerStep::Verify(Credentials::Password { authcid, password, .. }) = step else { panic!() };
/// let ok = authcid == "tim" && password.expose() == "tanstaaftanstaaf";
/// let ServerStep::Success(outcome) = server.verified(ok)? else { panic!() };
/// assert_eq!(outcome.authcid.as_deref(), Some("tim"));
/// # Ok::<(), mail_wire::sasl::SaslError>(())
/// ```
#[derive(Debug)]
pub struct ServerMechanism {
    inner: Inner,
    phase: Phase,
    max_response_len: usize,
}

impl ServerMechanism {
    /// A server for `mechanism`; CRAM-MD5 and SCRAM draw their nonce from the operating
    /// system's random number generator.
    pub fn new(mechanism: &Mechanism, options: ServerOptions) -> Result<Self, SaslError> {
        let nonce = match mechanism {
            Mechanism::CramMd5 => super::random_digits()?,
            Mechanism::ScramSha1 | Mechanism::ScramSha256 => super::random_nonce()?,
            _ => String::new(),
        };
        Self::with_nonce(mechanism, options, nonce)
    }

    /// A server with a given nonce (deterministic tests): for CRAM-MD5 the part before `@`
    /// in `<nonce@hostname>`, for SCRAM the server's part of `r=`. Printable ASCII without
    /// `,`; ignored by other mechanisms.
    pub fn with_nonce(
        mechanism: &Mechanism,
        options: ServerOptions,
        nonce: String,
    ) -> Result<Self, SaslError> {
        let uses_nonce = matches!(
            mechanism,
            Mechanism::CramMd5 | Mechanism::ScramSha1 | Mechanism::ScramSha256
        );
        if uses_nonce && !super::valid_nonce(&nonce) {
            return Err(SaslError::InvalidNonce);
        }
        let inner = match mechanism {
            Mechanism::Plain => Inner::Plain(plain::Server::default()),
            Mechanism::Login => Inner::Login(login::Server::default()),
            Mechanism::XOAuth2 => Inner::OAuth(oauth::Server::new(oauth::Flavor::XOAuth2)),
            Mechanism::OAuthBearer => Inner::OAuth(oauth::Server::new(oauth::Flavor::Bearer)),
            Mechanism::CramMd5 => Inner::CramMd5(cram_md5::Server::new(&nonce, &options.hostname)),
            Mechanism::ScramSha1 => Inner::Scram(Box::new(scram::Server::new(
                ScramHash::Sha1,
                nonce,
                options.success_data,
            ))),
            Mechanism::ScramSha256 => Inner::Scram(Box::new(scram::Server::new(
                ScramHash::Sha256,
                nonce,
                options.success_data,
            ))),
            Mechanism::External => Inner::External(external::Server::default()),
            Mechanism::Other(name) => return Err(SaslError::UnsupportedMechanism(name.clone())),
        };
        Ok(Self {
            inner,
            phase: Phase::Start,
            max_response_len: options.max_response_len,
        })
    }

    /// The mechanism this exchange runs.
    pub fn mechanism(&self) -> Mechanism {
        match &self.inner {
            Inner::Plain(_) => Mechanism::Plain,
            Inner::Login(_) => Mechanism::Login,
            Inner::OAuth(s) => s.mechanism(),
            Inner::CramMd5(_) => Mechanism::CramMd5,
            Inner::Scram(s) => s.mechanism(),
            Inner::External(_) => Mechanism::External,
        }
    }

    /// Whether the exchange is over (success, failure or error).
    pub fn is_done(&self) -> bool {
        self.phase == Phase::Done
    }

    /// Starts the exchange, with the client's initial response if it sent one (decode it
    /// with [`decode_initial_response`](super::decode_initial_response)).
    pub fn start(&mut self, initial_response: Option<&[u8]>) -> Result<ServerStep, SaslError> {
        if self.phase != Phase::Start {
            return Err(SaslError::OutOfOrder {
                expected: "start to be called once, first",
            });
        }
        if let Some(response) = initial_response {
            if let Err(e) = self.check_len(response) {
                self.phase = Phase::Done;
                return Err(e);
            }
        }
        let result = match &mut self.inner {
            Inner::Plain(s) => s.start(initial_response),
            Inner::Login(s) => s.start(initial_response),
            Inner::OAuth(s) => s.start(initial_response),
            Inner::CramMd5(s) => s.start(initial_response),
            Inner::Scram(s) => s.start(initial_response),
            Inner::External(s) => s.start(initial_response),
        };
        self.advance(result)
    }

    /// Feeds a client response (decoded with
    /// [`decode_client_response`](super::decode_client_response); a cancel never gets here).
    pub fn handle_response(&mut self, response: &[u8]) -> Result<ServerStep, SaslError> {
        match self.phase {
            Phase::AwaitResponse => {}
            Phase::Done => return Err(SaslError::UnexpectedResponse),
            Phase::Start | Phase::AwaitAnswer => {
                return Err(SaslError::OutOfOrder {
                    expected: "a challenge to have been sent",
                })
            }
        }
        if let Err(e) = self.check_len(response) {
            self.phase = Phase::Done;
            return Err(e);
        }
        let result = match &mut self.inner {
            Inner::Plain(s) => s.response(response),
            Inner::Login(s) => s.response(response),
            Inner::OAuth(s) => s.response(response),
            Inner::CramMd5(s) => s.response(response),
            Inner::Scram(s) => s.response(response),
            Inner::External(s) => s.response(response),
        };
        self.advance(result)
    }

    /// Answers a [`ServerStep::Verify`]: whether the credentials are good and the client may
    /// act as the `authzid` it asked for. A refused token gets the default RFC 7628 error
    /// challenge `{"status":"invalid_token"}`.
    pub fn verified(&mut self, ok: bool) -> Result<ServerStep, SaslError> {
        self.answer(AuthAnswer::Verified(ok))
    }

    /// Answers a [`ServerStep::Verify`] of a token with a refusal carrying this JSON error
    /// (RFC 7628 section 3.2.2: `status`, optional `scope` and `openid-configuration`).
    pub fn reject_token(&mut self, error_json: Vec<u8>) -> Result<ServerStep, SaslError> {
        self.answer(AuthAnswer::RejectToken(error_json))
    }

    /// Answers a [`ServerStep::LookupSecret`] with the user's CRAM-MD5 shared secret, or
    /// `None` if the user is unknown.
    pub fn shared_secret(
        &mut self,
        secret: Option<Secret<String>>,
    ) -> Result<ServerStep, SaslError> {
        self.answer(AuthAnswer::Secret(secret))
    }

    /// Answers a [`ServerStep::LookupScram`] with the user's stored keys, or `None` if the
    /// user is unknown or may not act as the `authzid`.
    ///
    /// `None` fails at once, which tells a prober the user does not exist. To hide that,
    /// answer unknown users with keys derived from a server-wide secret and the user name
    /// (stable salt, random-looking keys): the exchange then runs to the end and fails with
    /// [`Failure::InvalidProof`].
    pub fn scram_keys(&mut self, keys: Option<ScramKeys>) -> Result<ServerStep, SaslError> {
        self.answer(AuthAnswer::ScramKeys(keys))
    }

    /// Answers a `Verify` or `Lookup` step (an [`AuthRequest`]) with whichever answer the
    /// application has: one call for every kind of question, the same as
    /// [`verified`](Self::verified), [`reject_token`](Self::reject_token),
    /// [`shared_secret`](Self::shared_secret) and [`scram_keys`](Self::scram_keys). An answer
    /// of the wrong kind is a [`SaslError::OutOfOrder`] that leaves the exchange waiting
    /// for the right one.
    pub fn answer(&mut self, answer: AuthAnswer) -> Result<ServerStep, SaslError> {
        if self.phase != Phase::AwaitAnswer {
            return Err(SaslError::OutOfOrder {
                expected: "a verify or lookup step to answer",
            });
        }
        let result = match &mut self.inner {
            Inner::Plain(s) => s.answer(answer),
            Inner::Login(s) => s.answer(answer),
            Inner::OAuth(s) => s.answer(answer),
            Inner::CramMd5(s) => s.answer(answer),
            Inner::Scram(s) => s.answer(answer),
            Inner::External(s) => s.answer(answer),
        };
        if let Err(SaslError::OutOfOrder { .. }) = result {
            // Wrong kind of answer: let the caller try again with the right one.
            return result;
        }
        self.advance(result)
    }

    fn check_len(&self, response: &[u8]) -> Result<(), SaslError> {
        if response.len() > self.max_response_len {
            return Err(SaslError::TooLong {
                len: response.len(),
                limit: self.max_response_len,
            });
        }
        Ok(())
    }

    fn advance(&mut self, result: Result<ServerStep, SaslError>) -> Result<ServerStep, SaslError> {
        self.phase = match &result {
            Ok(ServerStep::Challenge(_)) => Phase::AwaitResponse,
            Ok(
                ServerStep::Verify(_)
                | ServerStep::LookupSecret { .. }
                | ServerStep::LookupScram { .. },
            ) => Phase::AwaitAnswer,
            Ok(ServerStep::Success(_) | ServerStep::Failure(_)) | Err(_) => Phase::Done,
        };
        result
    }
}

/// The answer a mechanism gives when it got an answer it does not take.
pub(crate) fn wrong_answer(expected: &'static str) -> Result<ServerStep, SaslError> {
    Err(SaslError::OutOfOrder { expected })
}

/// A success outcome without additional data.
pub(crate) fn success(authcid: Option<String>, authzid: Option<String>) -> ServerStep {
    ServerStep::Success(Outcome {
        authcid,
        authzid,
        additional_data: None,
    })
}

//! The client side: one state machine for every mechanism.

use super::scram::ScramHash;
use super::{cram_md5, external, login, oauth, plain, scram};
use super::{Mechanism, SaslError};
use crate::Secret;

/// What a client authenticates with, to build a [`ClientMechanism`] for whichever
/// mechanism [`select_mechanism`](super::select_mechanism) picked.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClientCredentials {
    /// A user name and password (`SCRAM-*`, `CRAM-MD5`, `PLAIN`, `LOGIN`).
    Password {
        /// Identity to act as, if not the user's own (ignored by `LOGIN` and `CRAM-MD5`).
        authzid: Option<String>,
        /// User name.
        username: String,
        /// Password.
        password: Secret<String>,
    },
    /// An OAuth 2.0 bearer token (`OAUTHBEARER`, `XOAUTH2`).
    OAuthToken {
        /// The user the token belongs to.
        user: String,
        /// The access token.
        token: Secret<String>,
        /// Host name the client connected to (OAUTHBEARER `host=`).
        host: Option<String>,
        /// Port the client connected to (OAUTHBEARER `port=`).
        port: Option<u16>,
    },
    /// Credentials outside SASL, such as a TLS client certificate (`EXTERNAL`).
    External {
        /// Identity to act as, or `None` for the one the server derives.
        authzid: Option<String>,
    },
}

impl ClientCredentials {
    /// The kind, for [`select_mechanism`](super::select_mechanism).
    pub fn kind(&self) -> super::CredentialKind {
        match self {
            Self::Password { .. } => super::CredentialKind::Password,
            Self::OAuthToken { .. } => super::CredentialKind::OAuthToken,
            Self::External { .. } => super::CredentialKind::External,
        }
    }
}

#[derive(Debug)]
enum Inner {
    Plain(plain::Client),
    Login(login::Client),
    OAuth(oauth::Client),
    CramMd5(cram_md5::Client),
    Scram(Box<scram::Client>),
    External(external::Client),
}

/// A client-side SASL exchange for one mechanism.
///
/// Send [`initial_response`](Self::initial_response) with the command if the protocol
/// allows (SMTP `AUTH`, POP3 `AUTH`, IMAP with `SASL-IR`); otherwise the server's first,
/// empty challenge makes [`step`](Self::step) return it. Answer every challenge with
/// `step`, and when the server reports success call [`success`](Self::success), which for
/// SCRAM refuses a server that never proved it knows the password.
///
/// ```
/// use mail_wire::sasl::ClientMechanism;
/// use mail_wire::Secret;
///
/// let mut client = ClientMechanism::cram_md5("tim", Secret::new("tanstaaftanstaaf".into()));
/// assert_eq!(client.initial_response(), None);
/// let response = client.step(b"<1896.697170952@postoffice.reston.mci.net>")?;
/// assert_eq!(response, b"tim b913a602c7eda7a495b4e6e7334d3890");
/// client.success(None)?;
/// # Ok::<(), mail_wire::sasl::SaslError>(())
/// ```
#[derive(Debug)]
pub struct ClientMechanism {
    inner: Inner,
}

impl ClientMechanism {
    /// Builds the client for `mechanism` from `credentials`; SCRAM draws its nonce from the
    /// operating system. Errors if the mechanism does not fit the credentials, or if SCRAM's
    /// SASLprep refuses the user name or password.
    pub fn new(mechanism: &Mechanism, credentials: &ClientCredentials) -> Result<Self, SaslError> {
        let unsupported = || SaslError::UnsupportedMechanism(mechanism.to_string());
        match (mechanism, credentials) {
            (
                Mechanism::Plain,
                ClientCredentials::Password {
                    authzid,
                    username,
                    password,
                },
            ) => Ok(Self::plain(authzid.as_deref(), username, password.clone())),
            (
                Mechanism::Login,
                ClientCredentials::Password {
                    username, password, ..
                },
            ) => Ok(Self::login(username, password.clone())),
            (
                Mechanism::CramMd5,
                ClientCredentials::Password {
                    username, password, ..
                },
            ) => Ok(Self::cram_md5(username, password.clone())),
            (
                Mechanism::ScramSha1 | Mechanism::ScramSha256,
                ClientCredentials::Password {
                    authzid,
                    username,
                    password,
                },
            ) => {
                let hash = if *mechanism == Mechanism::ScramSha1 {
                    ScramHash::Sha1
                } else {
                    ScramHash::Sha256
                };
                Self::scram(hash, authzid.as_deref(), username, password.clone())
            }
            (Mechanism::XOAuth2, ClientCredentials::OAuthToken { user, token, .. }) => {
                Ok(Self::xoauth2(user, token.clone()))
            }
            (
                Mechanism::OAuthBearer,
                ClientCredentials::OAuthToken {
                    user,
                    token,
                    host,
                    port,
                },
            ) => Ok(Self::oauthbearer(
                Some(user),
                host.as_deref(),
                *port,
                token.clone(),
            )),
            (Mechanism::External, ClientCredentials::External { authzid }) => {
                Ok(Self::external(authzid.as_deref()))
            }
            _ => Err(unsupported()),
        }
    }

    /// `PLAIN` (RFC 4616): `[authzid] NUL authcid NUL password` in one response.
    pub fn plain(authzid: Option<&str>, authcid: &str, password: Secret<String>) -> Self {
        Self {
            inner: Inner::Plain(plain::Client::new(authzid, authcid, password)),
        }
    }

    /// `LOGIN`: the user name and the password, each as the answer to one challenge.
    pub fn login(username: &str, password: Secret<String>) -> Self {
        Self {
            inner: Inner::Login(login::Client::new(username, password)),
        }
    }

    /// `XOAUTH2`: `user={user}^Aauth=Bearer {token}^A^A`.
    pub fn xoauth2(user: &str, token: Secret<String>) -> Self {
        Self {
            inner: Inner::OAuth(oauth::Client::xoauth2(user, token)),
        }
    }

    /// `OAUTHBEARER` (RFC 7628) with an optional authzid (`a=`), `host=` and `port=`.
    pub fn oauthbearer(
        authzid: Option<&str>,
        host: Option<&str>,
        port: Option<u16>,
        token: Secret<String>,
    ) -> Self {
        Self {
            inner: Inner::OAuth(oauth::Client::bearer(authzid, host, port, token)),
        }
    }

    /// `CRAM-MD5` (RFC 2195): `user hex(HMAC-MD5(password, challenge))`.
    pub fn cram_md5(username: &str, password: Secret<String>) -> Self {
        Self {
            inner: Inner::CramMd5(cram_md5::Client::new(username, password)),
        }
    }

    /// `SCRAM-SHA-1` or `SCRAM-SHA-256` (RFC 5802, RFC 7677) with a random nonce.
    pub fn scram(
        hash: ScramHash,
        authzid: Option<&str>,
        username: &str,
        password: Secret<String>,
    ) -> Result<Self, SaslError> {
        Self::scram_with_nonce(hash, authzid, username, password, super::random_nonce()?)
    }

    /// SCRAM with a given client nonce (printable ASCII without `,`), for deterministic tests.
    /// SASLprep is applied to the user name and password here; a refused string is an error.
    pub fn scram_with_nonce(
        hash: ScramHash,
        authzid: Option<&str>,
        username: &str,
        password: Secret<String>,
        nonce: String,
    ) -> Result<Self, SaslError> {
        let client = scram::Client::new(hash, authzid, username, &password, nonce)?;
        Ok(Self {
            inner: Inner::Scram(Box::new(client)),
        })
    }

    /// Sets the largest PBKDF2 iteration count a SCRAM server may ask for (default
    /// 1,000,000: a hostile server could otherwise make the client spin). No effect on other
    /// mechanisms.
    pub fn with_max_iterations(mut self, limit: u32) -> Self {
        if let Inner::Scram(client) = &mut self.inner {
            client.max_iterations = limit;
        }
        self
    }

    /// `EXTERNAL`: the authzid (empty for none) as the only response.
    pub fn external(authzid: Option<&str>) -> Self {
        Self {
            inner: Inner::External(external::Client::new(authzid)),
        }
    }

    /// The mechanism this exchange runs.
    pub fn mechanism(&self) -> Mechanism {
        match &self.inner {
            Inner::Plain(_) => Mechanism::Plain,
            Inner::Login(_) => Mechanism::Login,
            Inner::OAuth(c) => c.mechanism(),
            Inner::CramMd5(_) => Mechanism::CramMd5,
            Inner::Scram(c) => c.mechanism(),
            Inner::External(_) => Mechanism::External,
        }
    }

    /// The initial response, for client-first mechanisms; `None` for `LOGIN` and `CRAM-MD5`.
    /// Call it at most once, before any [`step`](Self::step); encode it with
    /// [`encode_initial_response`](super::encode_initial_response) (an empty one becomes `=`).
    pub fn initial_response(&mut self) -> Option<Vec<u8>> {
        match &mut self.inner {
            Inner::Plain(c) => c.initial_response(),
            Inner::Login(_) | Inner::CramMd5(_) => None,
            Inner::OAuth(c) => c.initial_response(),
            Inner::Scram(c) => c.initial_response(),
            Inner::External(c) => c.initial_response(),
        }
    }

    /// Answers a decoded server challenge.
    pub fn step(&mut self, challenge: &[u8]) -> Result<Vec<u8>, SaslError> {
        match &mut self.inner {
            Inner::Plain(c) => c.step(challenge),
            Inner::Login(c) => c.step(challenge),
            Inner::OAuth(c) => c.step(challenge),
            Inner::CramMd5(c) => c.step(challenge),
            Inner::Scram(c) => c.step(challenge),
            Inner::External(c) => c.step(challenge),
        }
    }

    /// Call when the server reports success, with the additional data it sent along, if
    /// any. SCRAM verifies the server signature here if it came with the success, and fails
    /// if the server never sent one.
    pub fn success(&mut self, additional_data: Option<&[u8]>) -> Result<(), SaslError> {
        match &mut self.inner {
            Inner::Scram(c) => c.success(additional_data),
            _ => match additional_data {
                None | Some(b"") => Ok(()),
                Some(_) => Err(SaslError::UnexpectedChallenge),
            },
        }
    }

    /// The error document a token server sent before failing (RFC 7628 section 3.2.2 JSON),
    /// for `OAUTHBEARER` and `XOAUTH2`.
    pub fn token_error(&self) -> Option<&[u8]> {
        match &self.inner {
            Inner::OAuth(c) => c.error.as_deref(),
            _ => None,
        }
    }
}

//! Mechanism names (IANA "SASL Mechanisms" registry) and choosing one.

use std::fmt;
use std::str::FromStr;

use super::SaslError;

/// A SASL mechanism name.
///
/// Parsing is case-insensitive; [`Display`](fmt::Display) gives the IANA spelling.
///
/// ```
/// use mail_wire::sasl::Mechanism;
///
/// assert_eq!("scram-sha-256".parse::<Mechanism>().unwrap(), Mechanism::ScramSha256);
/// assert_eq!(Mechanism::CramMd5.to_string(), "CRAM-MD5");
/// assert_eq!("GSSAPI".parse::<Mechanism>().unwrap(), Mechanism::Other("GSSAPI".into()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Mechanism {
    /// `PLAIN` (RFC 4616).
    Plain,
    /// `LOGIN` (draft-murchison-sasl-login, obsolete but everywhere).
    Login,
    /// `XOAUTH2` (Google and Microsoft OAuth 2.0 bearer tokens).
    XOAuth2,
    /// `OAUTHBEARER` (RFC 7628).
    OAuthBearer,
    /// `CRAM-MD5` (RFC 2195).
    CramMd5,
    /// `SCRAM-SHA-1` (RFC 5802).
    ScramSha1,
    /// `SCRAM-SHA-256` (RFC 7677).
    ScramSha256,
    /// `EXTERNAL` (RFC 4422 appendix A).
    External,
    /// Any other syntactically valid name, upper-cased.
    Other(String),
}

impl Mechanism {
    /// The IANA name.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Plain => "PLAIN",
            Self::Login => "LOGIN",
            Self::XOAuth2 => "XOAUTH2",
            Self::OAuthBearer => "OAUTHBEARER",
            Self::CramMd5 => "CRAM-MD5",
            Self::ScramSha1 => "SCRAM-SHA-1",
            Self::ScramSha256 => "SCRAM-SHA-256",
            Self::External => "EXTERNAL",
            Self::Other(name) => name,
        }
    }

    /// Whether the mechanism sends the password or a bearer token in a form an eavesdropper
    /// can reuse, so that it needs a protected (TLS) channel.
    pub fn is_plaintext(&self) -> bool {
        matches!(
            self,
            Self::Plain | Self::Login | Self::XOAuth2 | Self::OAuthBearer
        )
    }

    /// Parses a name from a capability list (`AUTH=PLAIN`, `250-AUTH PLAIN LOGIN`), byte
    /// input.
    pub fn from_bytes(name: &[u8]) -> Result<Self, SaslError> {
        std::str::from_utf8(name)
            .map_err(|_| SaslError::InvalidMechanismName)?
            .parse()
    }
}

impl FromStr for Mechanism {
    type Err = SaslError;

    /// RFC 4422 section 3.1: 1 to 20 characters of upper-case letters, digits, `-` and `_`;
    /// lower case is accepted and folded.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        let valid = !name.is_empty()
            && name.len() <= 20
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !valid {
            return Err(SaslError::InvalidMechanismName);
        }
        let upper = name.to_ascii_uppercase();
        Ok(match upper.as_str() {
            "PLAIN" => Self::Plain,
            "LOGIN" => Self::Login,
            "XOAUTH2" => Self::XOAuth2,
            "OAUTHBEARER" => Self::OAuthBearer,
            "CRAM-MD5" => Self::CramMd5,
            "SCRAM-SHA-1" => Self::ScramSha1,
            "SCRAM-SHA-256" => Self::ScramSha256,
            "EXTERNAL" => Self::External,
            _ => Self::Other(upper),
        })
    }
}

impl fmt::Display for Mechanism {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of credential the client holds, for [`select_mechanism`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CredentialKind {
    /// A user name and password.
    Password,
    /// An OAuth 2.0 bearer token.
    OAuthToken,
    /// Credentials established outside SASL (a TLS client certificate).
    External,
}

/// Picks the best mechanism from those a server offered.
///
/// `credentials` lists what the client holds, most preferred first. For each kind, in that
/// order, the first offered mechanism of this list wins:
/// - [`CredentialKind::OAuthToken`] → `OAUTHBEARER`, `XOAUTH2`;
/// - [`CredentialKind::External`] → `EXTERNAL`;
/// - [`CredentialKind::Password`] → `SCRAM-SHA-256`, `SCRAM-SHA-1`, `CRAM-MD5`, `PLAIN`, `LOGIN`.
///
/// Mechanisms that expose the password or token ([`Mechanism::is_plaintext`]) are only
/// picked when `channel_protected` is true (TLS is up, or the caller knows the link is safe).
///
/// ```
/// use mail_wire::sasl::{select_mechanism, CredentialKind, Mechanism};
///
/// let offered = [Mechanism::Plain, Mechanism::Login, Mechanism::CramMd5];
/// let pick = select_mechanism(&offered, &[CredentialKind::Password], false);
/// assert_eq!(pick, Some(Mechanism::CramMd5));
/// let offered = [Mechanism::Login, Mechanism::Plain];
/// assert_eq!(select_mechanism(&offered, &[CredentialKind::Password], false), None);
/// assert_eq!(
///     select_mechanism(&offered, &[CredentialKind::Password], true),
///     Some(Mechanism::Plain)
/// );
/// ```
pub fn select_mechanism<'a, I>(
    offered: I,
    credentials: &[CredentialKind],
    channel_protected: bool,
) -> Option<Mechanism>
where
    I: IntoIterator<Item = &'a Mechanism>,
    I::IntoIter: Clone,
{
    let offered = offered.into_iter();
    for kind in credentials {
        let preference: &[Mechanism] = match kind {
            CredentialKind::OAuthToken => &[Mechanism::OAuthBearer, Mechanism::XOAuth2],
            CredentialKind::External => &[Mechanism::External],
            CredentialKind::Password => &[
                Mechanism::ScramSha256,
                Mechanism::ScramSha1,
                Mechanism::CramMd5,
                Mechanism::Plain,
                Mechanism::Login,
            ],
        };
        let found = preference.iter().find(|wanted| {
            (channel_protected || !wanted.is_plaintext()) && offered.clone().any(|m| m == *wanted)
        });
        if let Some(found) = found {
            return Some(found.clone());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_case_insensitively() {
        let all = [
            Mechanism::Plain,
            Mechanism::Login,
            Mechanism::XOAuth2,
            Mechanism::OAuthBearer,
            Mechanism::CramMd5,
            Mechanism::ScramSha1,
            Mechanism::ScramSha256,
            Mechanism::External,
            Mechanism::Other("GSSAPI".into()),
        ];
        for m in all {
            assert_eq!(m.to_string().parse::<Mechanism>(), Ok(m.clone()));
            assert_eq!(
                m.to_string().to_lowercase().parse::<Mechanism>(),
                Ok(m.clone())
            );
            assert_eq!(Mechanism::from_bytes(m.as_str().as_bytes()), Ok(m));
        }
        assert_eq!(
            "OAuthBearer".parse::<Mechanism>(),
            Ok(Mechanism::OAuthBearer)
        );
        assert_eq!(
            "x-foo".parse::<Mechanism>(),
            Ok(Mechanism::Other("X-FOO".into()))
        );
    }

    #[test]
    fn invalid_names_are_refused() {
        for bad in ["", "PLAIN LOGIN", "A23456789012345678901", "É", "SCRAM=SHA"] {
            assert_eq!(
                bad.parse::<Mechanism>(),
                Err(SaslError::InvalidMechanismName),
                "{bad}"
            );
        }
        assert_eq!(
            Mechanism::from_bytes(b"\xff"),
            Err(SaslError::InvalidMechanismName)
        );
    }

    #[test]
    fn selection_follows_preference_and_channel_policy() {
        use CredentialKind::*;
        let all: Vec<Mechanism> =
            "LOGIN PLAIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256 XOAUTH2 OAUTHBEARER EXTERNAL"
                .split(' ')
                .map(|n| n.parse().unwrap())
                .collect();
        assert_eq!(
            select_mechanism(&all, &[Password], false),
            Some(Mechanism::ScramSha256)
        );
        assert_eq!(
            select_mechanism(&all[..4], &[Password], false),
            Some(Mechanism::ScramSha1)
        );
        assert_eq!(select_mechanism(&all[..2], &[Password], false), None);
        assert_eq!(
            select_mechanism(&all[..1], &[Password], true),
            Some(Mechanism::Login)
        );
        assert_eq!(select_mechanism(&all, &[OAuthToken], false), None);
        assert_eq!(
            select_mechanism(&all, &[OAuthToken], true),
            Some(Mechanism::OAuthBearer)
        );
        assert_eq!(
            select_mechanism(&all[..6], &[OAuthToken, Password], true),
            Some(Mechanism::XOAuth2)
        );
        assert_eq!(
            select_mechanism(&all[..5], &[OAuthToken, Password], true),
            Some(Mechanism::ScramSha256)
        );
        assert_eq!(
            select_mechanism(&all, &[External], false),
            Some(Mechanism::External)
        );
        assert_eq!(select_mechanism(&[], &[Password, External], true), None);
    }
}

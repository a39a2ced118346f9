//! Accounts from a `name:password` file. A password that starts with `$argon2` is an argon2 PHC
//! string and is verified as a hash; anything else is compared in constant time. Blank lines
//! and lines starting with `#` are skipped. Passwords are kept in `Secret` and never logged.

use std::collections::HashMap;
use std::io;
use std::path::Path;

use argon2::password_hash::{PasswordHash, PasswordVerifier};
use argon2::Argon2;
use mail_wire::sasl::{AuthAnswer, AuthRequest, Credentials};
use mail_wire::Secret;

#[derive(Debug, Clone)]
enum Stored {
    Plain(Secret<String>),
    Argon2(Secret<String>),
}

/// The accounts.
#[derive(Debug, Clone, Default)]
pub(crate) struct Users {
    users: HashMap<String, Stored>,
    /// The first account of the file.
    first: Option<String>,
}

impl Users {
    /// Reads the file.
    pub(crate) fn load(path: &Path) -> io::Result<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        Self::parse(&text).map_err(|line| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{}: line {line}: expected name:password", path.display()),
            )
        })
    }

    /// Parses `name:password` lines; the error is the 1-based number of a bad line.
    pub(crate) fn parse(text: &str) -> Result<Self, usize> {
        let mut users = HashMap::new();
        let mut first = None;
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let (name, password) = line.split_once(':').ok_or(i + 1)?;
            let name = name.trim();
            let valid = !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"._-+".contains(&b))
                && !name.starts_with('.');
            if !valid {
                return Err(i + 1);
            }
            let stored = if password.starts_with("$argon2") {
                PasswordHash::new(password).map_err(|_| i + 1)?;
                Stored::Argon2(Secret::new(password.to_owned()))
            } else {
                Stored::Plain(Secret::new(password.to_owned()))
            };
            first.get_or_insert_with(|| name.to_ascii_lowercase());
            users.insert(name.to_ascii_lowercase(), stored);
        }
        Ok(Self { users, first })
    }

    /// The first account of the file, if any.
    pub(crate) fn first(&self) -> Option<&str> {
        self.first.as_deref()
    }

    /// The canonical (lowercase) name of a user, if it exists.
    pub(crate) fn lookup(&self, name: &str) -> Option<String> {
        let name = name.to_ascii_lowercase();
        self.users.contains_key(&name).then_some(name)
    }

    /// Checks a password.
    pub(crate) fn verify(&self, name: &str, password: &str) -> bool {
        match self.users.get(&name.to_ascii_lowercase()) {
            Some(Stored::Plain(p)) => ct_eq(p.expose().as_bytes(), password.as_bytes()),
            Some(Stored::Argon2(hash)) => PasswordHash::new(hash.expose()).is_ok_and(|h| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &h)
                    .is_ok()
            }),
            None => false,
        }
    }

    /// The plaintext password, for mechanisms that need it (not available for hashes).
    pub(crate) fn password(&self, name: &str) -> Option<Secret<String>> {
        match self.users.get(&name.to_ascii_lowercase())? {
            Stored::Plain(p) => Some(p.clone()),
            Stored::Argon2(_) => None,
        }
    }
}

impl Users {
    /// The answer to a question of a session's AUTH (SMTP and POP3 alike): a password is checked
    /// (acting as another user is refused: an authorization identity must be empty or the user
    /// itself, in any case), APOP and CRAM-MD5 get the plaintext password (none for a hash), and
    /// SCRAM, tokens and EXTERNAL are refused (no stored keys, no token issuer here).
    pub(crate) fn answer(&self, request: AuthRequest) -> AuthAnswer {
        match request {
            AuthRequest::Verify(Credentials::Password {
                authzid,
                authcid,
                password,
            }) => {
                let as_self = authzid
                    .as_deref()
                    .is_none_or(|z| z.is_empty() || z.eq_ignore_ascii_case(&authcid));
                AuthAnswer::Verified(as_self && self.verify(&authcid, password.expose()))
            }
            AuthRequest::LookupSecret { authcid } => AuthAnswer::Secret(self.password(&authcid)),
            AuthRequest::LookupScram { .. } => AuthAnswer::ScramKeys(None),
            _ => AuthAnswer::Verified(false),
        }
    }
}

fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_argon2() {
        use argon2::password_hash::{PasswordHasher, SaltString};
        let salt = SaltString::encode_b64(b"0123456789abcdef").unwrap();
        let hash = Argon2::default()
            .hash_password(b"s3cret", &salt)
            .unwrap()
            .to_string();
        let users = Users::parse(&format!("# accounts\nann:pw\nBob:{hash}\n")).unwrap();
        assert!(users.verify("ann", "pw"));
        assert!(!users.verify("ann", "pW"));
        assert!(users.verify("bob", "s3cret"));
        assert!(!users.verify("bob", "nope"));
        assert_eq!(users.lookup("BOB").as_deref(), Some("bob"));
        assert!(users.password("bob").is_none());
        assert_eq!(Users::parse("no colon\n").unwrap_err(), 1);
        assert_eq!(Users::parse("../x:pw\n").unwrap_err(), 1);
        assert!(!format!("{users:?}").contains("pw"));
    }

    #[test]
    fn answers_auth_questions() {
        let users = Users::parse("ann:pw\n").unwrap();
        let password = |authzid: Option<&str>, authcid: &str, pw: &str| {
            let request = AuthRequest::Verify(Credentials::Password {
                authzid: authzid.map(str::to_owned),
                authcid: authcid.to_owned(),
                password: Secret::new(pw.to_owned()),
            });
            matches!(users.answer(request), AuthAnswer::Verified(true))
        };
        assert!(password(None, "ann", "pw"));
        assert!(password(None, "ANN", "pw"));
        assert!(password(Some(""), "ann", "pw"));
        assert!(password(Some("Ann"), "ann", "pw"));
        assert!(!password(None, "ann", "pW"));
        assert!(
            !password(Some("bob"), "ann", "pw"),
            "acting as another user"
        );
        assert!(!password(None, "bob", "pw"));
        let secret = |authcid: &str| match users.answer(AuthRequest::LookupSecret {
            authcid: authcid.to_owned(),
        }) {
            AuthAnswer::Secret(s) => s.map(|s| s.expose().clone()),
            other => panic!("{other:?}"),
        };
        assert_eq!(secret("ann").as_deref(), Some("pw"));
        assert_eq!(secret("bob"), None);
    }
}

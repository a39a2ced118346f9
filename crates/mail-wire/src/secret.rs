//! A wrapper that keeps credentials out of logs.

use std::fmt;

/// A password, token or other credential.
///
/// `Debug` and `Display` print `[redacted]`, so a `Secret` can sit inside any logged struct or
/// error without leaking. Read the value on purpose with [`Secret::expose`].
///
/// ```
/// use mail_wire::Secret;
///
/// let password = Secret::new(String::from("hunter2"));
/// assert_eq!(format!("{password:?} {password}"), "[redacted] [redacted]");
/// assert_eq!(password.expose(), "hunter2");
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    /// Wraps a credential.
    pub const fn new(value: T) -> Self {
        Self(value)
    }

    /// Borrows the credential. Call sites of this method are the places to audit.
    pub fn expose(&self) -> &T {
        &self.0
    }

    /// Unwraps the credential.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> From<T> for Secret<T> {
    fn from(value: T) -> Self {
        Self(value)
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl<T> fmt::Display for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_value() {
        #[derive(Debug)]
        #[allow(dead_code)]
        struct Login {
            user: String,
            password: Secret<String>,
        }
        let login = Login {
            user: "alice".into(),
            password: Secret::new("s3cr3t".into()),
        };
        let printed = format!("{login:?} {:#?} {}", login, login.password);
        assert!(!printed.contains("s3cr3t"), "{printed}");
        assert!(printed.contains("[redacted]"));
        assert!(printed.contains("alice"));
    }

    #[test]
    fn value_is_reachable_on_purpose() {
        let s = Secret::from(vec![1u8, 2, 3]);
        assert_eq!(s.expose(), &[1, 2, 3]);
        assert_eq!(s.clone().into_inner(), vec![1, 2, 3]);
        assert_eq!(s, Secret::new(vec![1, 2, 3]));
    }
}

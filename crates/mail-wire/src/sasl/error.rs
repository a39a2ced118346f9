//! The one error type of the SASL module.

/// Everything that can go wrong in a SASL exchange, on either side.
///
/// Each variant says whose fault it is: the peer sent something the mechanism forbids
/// (peer), or the caller used the API out of order or gave invalid input (caller). Messages
/// never contain credentials: passwords, tokens and proofs are not copied into errors.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SaslError {
    /// (peer) A client response or server challenge exceeded the configured size limit.
    #[error("sasl payload too long: {len} bytes, expected at most {limit}")]
    TooLong {
        /// Length of the payload that was refused (encoded or decoded, as measured).
        len: usize,
        /// The configured limit.
        limit: usize,
    },
    /// (peer) The payload was not valid base64.
    #[error("invalid base64 in sasl payload: expected standard padded base64")]
    InvalidBase64,
    /// (peer) A message did not follow the mechanism's syntax.
    #[error("malformed {mechanism} message: expected {expected}")]
    Malformed {
        /// IANA name of the mechanism that was parsing.
        mechanism: &'static str,
        /// What the parser expected to find.
        expected: &'static str,
    },
    /// (peer) A field that must be UTF-8 was not.
    #[error("invalid utf-8 in {mechanism} {field}")]
    InvalidUtf8 {
        /// IANA name of the mechanism.
        mechanism: &'static str,
        /// Which field was not UTF-8.
        field: &'static str,
    },
    /// (peer or caller) A string was refused by SASLprep (RFC 4013): prohibited character,
    /// bidirectional rule, or empty after preparation.
    #[error("saslprep refused the {field}: expected a string without prohibited characters")]
    Saslprep {
        /// Which field was being prepared (`username`, `password`, `authzid`).
        field: &'static str,
    },
    /// (peer) The SCRAM client asked for channel binding (`p=`), which this implementation
    /// does not offer.
    #[error("channel binding requested but not supported: expected gs2 flag n or y")]
    ChannelBindingNotSupported,
    /// (peer) A SCRAM message carried a mandatory extension (`m=`).
    #[error("unsupported scram mandatory extension: expected no m= attribute")]
    UnsupportedExtension,
    /// (peer) The SCRAM nonce did not match the one sent earlier.
    #[error("scram nonce mismatch: expected the nonce sent earlier")]
    NonceMismatch,
    /// (peer) The SCRAM client repeated a different GS2 header in `c=`.
    #[error("scram channel binding mismatch: expected c= to repeat the gs2 header")]
    ChannelBindingMismatch,
    /// (peer) The SCRAM server signature (`v=`) was wrong: the server does not know the
    /// password, or the exchange was tampered with.
    #[error("scram server signature mismatch: expected proof that the server knows the password")]
    ServerSignatureMismatch,
    /// (peer) The SCRAM server ended the exchange with `e=`.
    #[error("scram server error: {0}")]
    ScramServerError(String),
    /// (peer) The SCRAM server asked for more PBKDF2 iterations than the client allows.
    #[error("scram iteration count {count} too high: expected at most {limit}")]
    IterationCountTooHigh {
        /// Count the server sent.
        count: u32,
        /// Configured limit.
        limit: u32,
    },
    /// (peer) A challenge arrived after the mechanism had nothing more to send.
    #[error("unexpected challenge: expected the exchange to be over")]
    UnexpectedChallenge,
    /// (peer) A client response arrived after the exchange was over.
    #[error("unexpected client response: expected the exchange to be over")]
    UnexpectedResponse,
    /// (peer) The server reported success before the SCRAM client verified its signature.
    #[error("server reported success without a verified scram server signature")]
    ServerNotVerified,
    /// (caller) A method was called in a state where it is not allowed.
    #[error("sasl api misuse: expected {expected}")]
    OutOfOrder {
        /// What the state machine was waiting for.
        expected: &'static str,
    },
    /// (caller) A nonce given to a constructor is not printable ASCII without `,`.
    #[error("invalid nonce: expected printable ascii without commas")]
    InvalidNonce,
    /// (caller) SCRAM keys had the wrong length for the hash function.
    #[error("invalid scram keys: expected stored and server keys of {expected} bytes")]
    InvalidScramKeys {
        /// The digest length of the hash function.
        expected: usize,
    },
    /// (caller) The mechanism is unknown here, or not usable with the given credentials.
    #[error("unsupported sasl mechanism {0}")]
    UnsupportedMechanism(String),
    /// (caller or peer) A mechanism name is not 1 to 20 of `A-Z 0-9 - _`.
    #[error("invalid sasl mechanism name: expected 1 to 20 characters of A-Z, 0-9, - or _")]
    InvalidMechanismName,
    /// (local) The operating system's random number generator failed.
    #[error("random number generator failed")]
    Random,
}

impl SaslError {
    /// Whether the peer caused the error (it sent something the mechanism forbids), as
    /// opposed to the caller misusing the API or the system failing. A protocol server
    /// answers peer errors with its syntax-error or authentication-failed reply.
    /// [`SaslError::Saslprep`] counts as remote, though on the client side it comes from the
    /// caller's credentials.
    pub fn is_remote(&self) -> bool {
        !matches!(
            self,
            Self::OutOfOrder { .. }
                | Self::InvalidNonce
                | Self::InvalidScramKeys { .. }
                | Self::UnsupportedMechanism(_)
                | Self::Random
        )
    }
}

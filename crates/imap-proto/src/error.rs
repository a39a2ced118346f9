//! Errors of the IMAP codec.

/// Why bytes from the peer could not be parsed.
///
/// The peer broke the protocol (or one of the limits of [`ParseOptions`](crate::ParseOptions));
/// the offset says where, counted from the start of the buffer handed to the parser.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} at byte {offset}")]
pub struct ParseError {
    /// Byte offset into the input where the problem was found.
    pub offset: usize,
    /// What went wrong.
    pub kind: ParseErrorKind,
}

/// The cause of a [`ParseError`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// A grammar element was expected but something else was found.
    #[error("expected {0}")]
    Expected(&'static str),
    /// A line (the bytes between two CRLF, literals excluded) is longer than the limit.
    #[error("line longer than {limit} bytes")]
    LineTooLong {
        /// The configured limit.
        limit: usize,
    },
    /// A literal announces more bytes than the limit allows.
    #[error("literal of {length} bytes exceeds the limit of {limit}")]
    LiteralTooLarge {
        /// The announced length.
        length: u64,
        /// The configured limit.
        limit: u64,
    },
    /// Parentheses nest deeper than the limit.
    #[error("nesting deeper than {limit}")]
    TooDeep {
        /// The configured limit.
        limit: usize,
    },
    /// A number does not fit its type (nz-number, number64...).
    #[error("number out of range")]
    NumberOutOfRange,
    /// Text is not UTF-8 and `allow_8bit_text` is off.
    #[error("text is not valid UTF-8")]
    InvalidUtf8,
    /// A bare LF (or CR) where CRLF is required.
    #[error("bare line feed where CRLF is required")]
    BareLineFeed,
    /// Bytes follow a complete unit on the same line.
    #[error("unexpected bytes before end of line")]
    TrailingBytes,
    /// A NUL byte in a non-binary literal or string.
    #[error("NUL byte in text")]
    Nul,
}

impl ParseError {
    pub(crate) fn new(offset: usize, kind: ParseErrorKind) -> Self {
        Self { offset, kind }
    }
}

/// A value handed to a validating constructor does not satisfy the grammar.
///
/// This is the caller's fault (`Local`): the encoder refuses to build what it could not emit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {what}: {why}")]
pub struct ValueError {
    /// Which type was being built.
    pub what: &'static str,
    /// What rule it broke.
    pub why: &'static str,
}

impl ValueError {
    pub(crate) const fn new(what: &'static str, why: &'static str) -> Self {
        Self { what, why }
    }
}

/// Every error of this crate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The peer sent bytes that do not parse (the remote side's fault).
    #[error("remote: {0}")]
    Remote(#[from] ParseError),
    /// The caller built an invalid value (the local side's fault).
    #[error("local: {0}")]
    Local(#[from] ValueError),
}

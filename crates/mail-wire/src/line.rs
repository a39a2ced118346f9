//! CRLF line framing.

/// What to do with a line end that is not CRLF (a bare LF or a bare CR).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum LineEnding {
    /// Only CRLF ends a line; a bare CR or LF is an error. What RFC 5321, 1939 and 3501 require.
    #[default]
    Reject,
    /// CRLF, bare LF and bare CR each end a line, and are treated as CRLF.
    Normalize,
    /// Only CRLF ends a line; bare CR and LF are kept as ordinary bytes.
    Allow,
}

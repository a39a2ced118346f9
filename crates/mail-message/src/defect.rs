//! What was wrong with a message, and where.
//!
//! The parser never fails on a message: where the input breaks the grammar it records a
//! [`Defect`] with the byte offset (into the whole input) and goes on with the reading that
//! real mail software takes.

/// One deviation from the grammar, found at `offset` bytes into the parsed input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Defect {
    /// What was wrong.
    pub kind: DefectKind,
    /// Byte offset into the input given to the parser.
    pub offset: usize,
}

impl Defect {
    pub(crate) const fn new(kind: DefectKind, offset: usize) -> Self {
        Self { kind, offset }
    }
}

impl std::fmt::Display for Defect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at byte {}", self.kind, self.offset)
    }
}

/// The kinds of [`Defect`].
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DefectKind {
    /// A header line has no `:` or its name holds bytes outside `ftext`; the header block is
    /// taken to end before it (the line starts the body).
    MissingHeaderBodySeparator,
    /// A header field name is empty or holds bytes outside `ftext` (RFC 5322 3.6.8).
    InvalidFieldName,
    /// White space between a field name and its colon (RFC 5322 `obs-optional`).
    ObsoleteWhitespaceBeforeColon,
    /// The header block starts with a continuation line, which was skipped.
    FirstLineIsContinuation,
    /// An mbox `From ` line before the header, which was skipped.
    MboxFromLine,
    /// A UTF-8 byte order mark before the header, which was skipped.
    ByteOrderMark,
    /// A line is longer than the limit (998 octets by default, RFC 5322 2.1.1).
    LineTooLong,
    /// More header fields than the limit; the rest were skipped.
    TooManyHeaders,
    /// Nesting deeper than the limit; the part is kept as an opaque leaf.
    TooDeep,
    /// More parts than the limit; the rest of the multipart is kept as its epilogue.
    TooManyParts,
    /// A multipart without a `boundary` parameter; kept as a leaf.
    MissingBoundary,
    /// A multipart whose boundary never appears; kept as its preamble.
    NoBoundaryFound,
    /// A multipart without its closing `--boundary--` line.
    MissingCloseBoundary,
    /// A Content-Type that does not parse; `text/plain` (or the multipart default) is used.
    InvalidContentType,
    /// A Content-Transfer-Encoding that is not known.
    UnknownTransferEncoding,
    /// A transfer encoding that is not allowed on a multipart or message (RFC 2045 6.4).
    InvalidMultipartTransferEncoding,
    /// An encoded-word that does not follow RFC 2047 and was left as it is.
    InvalidEncodedWord,
    /// An encoded-word not separated by white space from the text around it.
    EncodedWordNotSeparated,
    /// A charset label that `encoding_rs` does not know; bytes were read as UTF-8, lossily.
    UnknownCharset,
    /// Bytes that are not valid in their charset (replaced with U+FFFD).
    InvalidCharsetBytes,
    /// Non-ASCII bytes in a header without RFC 6532 UTF-8; read lossily.
    NonUtf8Header,
    /// A structured field that does not follow its grammar.
    InvalidStructuredField,
    /// Obsolete syntax (RFC 5322 section 4) that was accepted.
    ObsoleteSyntax,
    /// Invalid base64 data (ignored bytes, bad length or padding).
    InvalidBase64,
    /// Invalid quoted-printable data.
    InvalidQuotedPrintable,
    /// Invalid uuencoded data.
    InvalidUuencode,
}

impl std::fmt::Display for DefectKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = match self {
            Self::MissingHeaderBodySeparator => "header line without a colon ends the header",
            Self::InvalidFieldName => "invalid header field name",
            Self::ObsoleteWhitespaceBeforeColon => "white space before a header colon",
            Self::FirstLineIsContinuation => "header block starts with a continuation line",
            Self::MboxFromLine => "mbox From line before the header",
            Self::ByteOrderMark => "byte order mark before the header",
            Self::LineTooLong => "line longer than the limit",
            Self::TooManyHeaders => "more header fields than the limit",
            Self::TooDeep => "nesting deeper than the limit",
            Self::TooManyParts => "more parts than the limit",
            Self::MissingBoundary => "multipart without a boundary parameter",
            Self::NoBoundaryFound => "multipart boundary never appears",
            Self::MissingCloseBoundary => "multipart without a closing boundary",
            Self::InvalidContentType => "invalid content-type",
            Self::UnknownTransferEncoding => "unknown content-transfer-encoding",
            Self::InvalidMultipartTransferEncoding => {
                "transfer encoding not allowed on a composite type"
            }
            Self::InvalidEncodedWord => "invalid encoded-word",
            Self::EncodedWordNotSeparated => "encoded-word not separated by white space",
            Self::UnknownCharset => "unknown charset",
            Self::InvalidCharsetBytes => "bytes invalid in their charset",
            Self::NonUtf8Header => "header bytes that are not UTF-8",
            Self::InvalidStructuredField => "structured field does not follow its grammar",
            Self::ObsoleteSyntax => "obsolete syntax",
            Self::InvalidBase64 => "invalid base64",
            Self::InvalidQuotedPrintable => "invalid quoted-printable",
            Self::InvalidUuencode => "invalid uuencode",
        };
        f.write_str(s)
    }
}

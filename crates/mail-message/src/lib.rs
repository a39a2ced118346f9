//! Parse and build Internet messages (RFC 5322, MIME: RFC 2045-2049, RFC 2047, RFC 2231,
//! RFC 6532), sans-IO and zero-copy.
//!
//! ```
//! use mail_message::Message;
//!
//! let input = b"From: =?utf-8?q?J=C3=B6rg?= <j@example.org>\r\n\
//! Subject: Hello\r\n\
//! Content-Type: multipart/alternative; boundary=b\r\n\
//! \r\n\
//! --b\r\n\
//! Content-Type: text/plain; charset=utf-8\r\n\
//! Content-Transfer-Encoding: quoted-printable\r\n\
//! \r\n\
//! Gr=C3=BC=C3=9Fe\r\n\
//! --b--\r\n";
//! let msg = Message::parse(input);
//! assert_eq!(msg.subject().as_deref(), Some("Hello"));
//! let from = msg.from().unwrap();
//! let sender = from.mailboxes().next().unwrap();
//! assert_eq!(sender.name.as_deref(), Some("Jörg"));
//! assert_eq!(sender.address(), "j@example.org");
//! let leaves = msg.leaves();
//! assert_eq!(leaves[0].0, "1");
//! assert_eq!(leaves[0].1.text().as_deref(), Some("Grüße"));
//! // Nobody changed it: it writes back byte for byte.
//! let mut out = Vec::new();
//! msg.write_to(&mut out);
//! assert_eq!(out, input);
//! ```
//!
//! Layout:
//! - [`header`]: the header block (fields in order, raw and unfolded, case-insensitive lookup),
//!   also resumable on its own ([`header::parse_header_block`]).
//! - [`rfc2047`], [`address`], [`date`], [`params`]: the structured fields.
//! - [`Message`] / [`Part`] ([`mime`]): the MIME tree with byte ranges, bodies decoded lazily
//!   through [`decode`] and [`charset`].
//! - [`builder`]: writing messages.
//!
//! Parsing never fails: what breaks the grammar becomes a [`Defect`] with its byte offset, and
//! every buffer has a [`Limits`] entry whose excess flags the part instead. Defects of the
//! structure (header block, boundaries, limits, Content-Type) are on each [`Part`]; those of a
//! field's value, read by the grammar its name calls for, come from
//! [`HeaderField::value_defects`](header::HeaderField::value_defects).
//!
//! Readings that differ from a strict parse, each with the software that needs it:
//! - bare LF line ends are accepted everywhere (messages stored on Unix disks);
//! - a leading UTF-8 byte order mark and an mbox `From ` line are skipped (Windows tools,
//!   mbox files), with a defect;
//! - encoded-words glued to text or holding specials are decoded (Outlook, many web mailers),
//!   with a defect where RFC 2047 forbids them;
//! - RFC 2047 inside quoted parameter values (Outlook and Thunderbird file names);
//! - a `text/*` part without a charset is read as UTF-8 when it is valid UTF-8, else as
//!   windows-1252, and `iso-8859-1` means windows-1252 (the WHATWG labels).
#![forbid(unsafe_code)]

pub mod address;
pub mod builder;
pub mod charset;
pub mod date;
pub mod decode;
mod defect;
#[doc(hidden)]
pub mod fuzzing;
pub mod header;
mod lexer;
pub mod mime;
pub mod params;
pub mod rfc2047;
pub mod summary;
#[cfg(test)]
mod test_rng;

pub use defect::{Defect, DefectKind};
pub use mail_wire::Status;
pub use mime::{Body, Message, Multipart, Part};

/// The limits of a parse. Going over one never fails the parse: the part where it happened gets
/// a [`Defect`] and the parser goes on.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Deepest nesting of multiparts and nested messages; a deeper composite part is kept as
    /// an opaque leaf. Default 64: far beyond real mail (which rarely nests past 10), small
    /// enough that each level's boundary scan (linear in the part size) stays cheap. Values
    /// above [`Limits::DEPTH_CEILING`] are treated as that ceiling, which keeps the recursion
    /// of parsing, walking and writing within a 2 MB thread stack even in a debug build (a test
    /// checks it).
    pub max_depth: usize,
    /// Most parts in a message (all levels); the rest of a multipart becomes its epilogue.
    /// Default 10,000.
    pub max_parts: usize,
    /// Most header fields kept per header block; the rest are skipped (still scanned, so the
    /// body is found). Default 10,000: real messages carry a few hundred at most.
    pub max_headers: usize,
    /// Longest line (excluding CRLF) before a part is flagged with
    /// [`DefectKind::LineTooLong`]. Default 998, RFC 5322 2.1.1's limit. Long lines are still
    /// read in full.
    pub max_line_length: usize,
}

impl Limits {
    /// The hard ceiling on [`Limits::max_depth`]: 250 (a debug build overflows a 2 MB stack near
    /// 500).
    pub const DEPTH_CEILING: usize = 250;

    /// These limits with [`max_depth`](Self::max_depth) set.
    #[must_use]
    pub fn with_max_depth(mut self, n: usize) -> Self {
        self.max_depth = n;
        self
    }

    /// These limits with [`max_parts`](Self::max_parts) set.
    #[must_use]
    pub fn with_max_parts(mut self, n: usize) -> Self {
        self.max_parts = n;
        self
    }

    /// These limits with [`max_headers`](Self::max_headers) set.
    #[must_use]
    pub fn with_max_headers(mut self, n: usize) -> Self {
        self.max_headers = n;
        self
    }

    /// These limits with [`max_line_length`](Self::max_line_length) set.
    #[must_use]
    pub fn with_max_line_length(mut self, n: usize) -> Self {
        self.max_line_length = n;
        self
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_depth: 64,
            max_parts: 10_000,
            max_headers: 10_000,
            max_line_length: 998,
        }
    }
}

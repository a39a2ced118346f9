//! Sans-IO wire pieces shared by the SMTP, POP3 and IMAP crates of this workspace.
//!
//! - [`line`](mod@line): CRLF line framing with a length limit and a bare CR/LF policy.
//! - [`dot`](mod@dot): dot-stuffing of multi-line bodies (SMTP `DATA`, POP3 `RETR`), both directions,
//!   streaming, ending only at `CRLF.CRLF`.
//! - [`sasl`](mod@sasl): SASL mechanisms as small client and server state machines.
//! - [`civil`]: days from 1970-01-01 of a calendar date, for the date parsers.
//! - [`Secret`]: credentials that print as `[redacted]`.
//! - [`Status`]: the `Complete(value, consumed)` / `Incomplete` shape of every parser.
//!
//! Nothing here touches a socket, a clock or a file: bytes go in, values and bytes come out.
#![forbid(unsafe_code)]

pub mod civil;
pub mod dot;
pub mod line;
pub mod sasl;
mod secret;
mod status;

pub use line::LineEnding;
pub use secret::Secret;
pub use status::Status;

//! A sans-IO IMAP4rev1 / IMAP4rev2 codec: zero-copy parsers and serialisers for every command
//! and response of RFC 3501 and RFC 9051 and their common extensions, both directions.
//!
//! ```
//! use imap_proto::{parse_response, Data, Encode, FetchItem, ParseOptions, Response};
//!
//! let bytes = b"* 12 FETCH (FLAGS (\\Seen) UID 4827313)\r\n";
//! let (resp, used) = parse_response(bytes, &ParseOptions::default())?.complete().unwrap();
//! assert_eq!(used, bytes.len());
//! let Response::Data(Data::Fetch { seq, items }) = &resp else { panic!() };
//! assert_eq!(*seq, 12);
//! assert_eq!(items[1], FetchItem::Uid(4827313));
//! assert_eq!(resp.encode().bytes(), bytes);
//! # Ok::<(), imap_proto::ParseError>(())
//! ```
//!
//! - [`types`]: the protocol's nouns, with validating constructors.
//! - [`codec`]: [`parse_response`], [`parse_command`] (returning
//!   [`Status`]: `Complete(value, consumed)` or `Incomplete`) and
//!   [`Encode`] for both; a [`Framer`] that finds unit ends and announces literals.
//! - [`stream`]: a decoder that hands out large literals in chunks, so a 50 MB `BODY[]` costs
//!   bounded memory, with the FETCH items around such a literal still typed.
//! - [`IntoOwned`]: `'static` copies of parsed values (`Response::into_owned`), for keeping them
//!   after the input buffer is reused.
//!
//! Parsers are strict by default; [`ParseOptions`] names each tolerated deviation of real
//! servers and the limits (line length, literal size, nesting depth).
//!
//! One leniency is part of strict mode, not a named deviation: a status response may end right
//! after its response code (`* OK [CLOSED]`, `* OK [UIDNEXT 1]`). RFC 9051's `resp-text` is
//! `["[" resp-text-code "]" SP] [text]`, so the text is optional and only the SP before the
//! empty text is missing; RFC 9051's own examples are written this way and Gmail sends it, so
//! rejecting it would reject the RFC. The encoder writes the full form, `[CODE]` SP:
//!
//! ```
//! use imap_proto::{parse_response, Code, Data, Encode, ParseOptions, Response};
//!
//! let (resp, _) = parse_response(b"* OK [CLOSED]\r\n", &ParseOptions::strict())?
//!     .complete()
//!     .unwrap();
//! let Response::Data(Data::Condition { text, .. }) = &resp else { panic!() };
//! assert_eq!((text.code.as_ref(), text.text.as_str()), (Some(&Code::Closed), ""));
//! assert_eq!(resp.encode().bytes(), b"* OK [CLOSED] \r\n");
//! # Ok::<(), imap_proto::ParseError>(())
//! ```
//!
//! A tagged or untagged status response with neither code nor text (`A1 OK`) still needs
//! [`ParseOptions::allow_missing_text`].
#![forbid(unsafe_code)]

pub mod codec;
mod error;
pub mod stream;
#[cfg(feature = "tokio")]
pub mod tokio_codec;
pub mod types;

pub use codec::{
    parse_authenticate_data, parse_command, parse_idle_done, parse_response, Encode, Encoded,
    FrameEvent, Framer, ParseOptions,
};
pub use error::{Error, ParseError, ParseErrorKind, ValueError};
pub use mail_wire::Status;
pub use types::utf7;
pub use types::*;

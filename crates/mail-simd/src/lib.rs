//! SIMD kernels for mail formats.
//!
//! The protocol crates of this workspace forbid `unsafe` code; the few kernels that gain a lot
//! from explicit SIMD live here instead, small and audited, each with a portable scalar path
//! that gives the same results (other targets, CPUs without the instructions) and tests that
//! hold the two equal.
//!
//! - [`decode_base64_lines`]: base64 in the regular lines of a MIME body (76, 72, 64
//!   characters...) decoded with AVX-512 VBMI or AVX2 straight from the lines, without
//!   gathering them first.
//! - [`utf8`], [`utf8_string`], [`short_ascii_without`]: `&[u8]` to `&str` (`Vec<u8>` to
//!   `String`) with a fast path for short ASCII (header values).
//! - [`dash_line_starts`]: the line starts with `--` of a MIME body (where its boundary lines
//!   can be), 64 bytes compared at a time with AVX-512 BW or AVX2.
//! - [`find_lf`], [`find_line_end`], [`find_break`], [`name_end`], [`field_line`]: the end of
//!   a header line (the breaks of a folded value, the end of a field name), 16 bytes at a time with SSE2 on
//!   x86-64, with no set-up cost for short lines.
//!
//! ```
//! let body = b"TWFpbCBib2RpZXMgY29tZSBpbiBsaW5lcyBvZiBleGFjdGx5IDc2IGNoYXJhY3RlcnMsIGVhY2gg\r\n\
//!              bGluZSBhIHdob2xlIG51bWJlciBvZiBncm91cHMu\r\n";
//! let mut out = Vec::new();
//! // The regular lines: here only the first (the second is shorter, the end of the data).
//! let used = mail_simd::decode_base64_lines(body, &mut out);
//! assert_eq!(used, 78);
//! assert_eq!(out, b"Mail bodies come in lines of exactly 76 characters, each ");
//! // The rest goes to a general decoder; together they decode the whole body.
//! # let _ = &body[used..];
//! ```
//!
//! # Unsafe code
//!
//! `unsafe` is denied at the crate root. Each base64 kernel (AVX-512, AVX2) uses it in three
//! places, each with a `// SAFETY:` comment: the call of its `#[target_feature]` function
//! after `is_x86_feature_detected!` of those features, `Vec::set_len` over the bytes the
//! kernel wrote into the vector's spare capacity, and its streaming store (a raw pointer to a
//! 64-byte chunk of that capacity it borrows, checked aligned) for outputs of a few MiB. Each `--` line scan (AVX-512, AVX2) uses it
//! once, for the call of its `#[target_feature]` function after the feature check. Loads and
//! stores go through safe casts between byte arrays and `__m128i`, `__m256i`, `__m512i`
//! (`bytemuck`), and the arithmetic intrinsics are safe inside `#[target_feature]` functions.
//! [`utf8`] and [`short_ascii_without`] share one use, `str::from_utf8_unchecked` on bytes
//! just checked to be all ASCII; [`utf8_string`] has one, `String::from_utf8_unchecked` after
//! `utf8`; the line scans have one each, the SSE2 compare-and-mask (SSE2 is compiled in on
//! every x86-64 target).
#![deny(unsafe_code)]
#![warn(clippy::undocumented_unsafe_blocks)]

mod base64;
mod dash;
mod lines;
mod utf8;

/// The [`BASE64_VALUE`] of a byte outside the alphabet.
pub use base64::INVALID as BASE64_INVALID;
/// The base64 alphabet as a table: the 6-bit value of each byte, [`BASE64_INVALID`] for bytes
/// outside the standard alphabet (`=` included).
pub use base64::VALUE as BASE64_VALUE;
pub use base64::{decode_base64_lines, decode_base64_lines_scalar, MAX_LINE, MIN_LINE};
#[doc(hidden)]
pub use base64::{decode_base64_lines_with, Path};
#[doc(hidden)]
pub use dash::dash_line_starts_with;
pub use dash::{dash_line_starts, dash_line_starts_scalar};
pub use lines::{field_line, find_break, find_lf, find_line_end, name_end, FieldLine, SHORT_LINE};
pub use utf8::{short_ascii_without, utf8, utf8_string};

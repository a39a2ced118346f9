//! Base64 in the regular lines of a MIME body (RFC 2045 6.8).
//!
//! Encoders write base64 bodies as lines of one fixed length (76 characters, sometimes 64 or
//! 72), each a whole number of 4-character groups, each ending in CRLF or LF, and a last line
//! that is shorter or ends in padding. [`decode_base64_lines`] decodes the run of such lines at
//! the front of a body and leaves the rest (the last line, padding, anything unusual) to a
//! general decoder.

#[cfg(target_arch = "x86_64")]
mod avx2;
#[cfg(target_arch = "x86_64")]
mod avx512;
#[cfg(target_arch = "x86_64")]
mod stream;

use core::mem::MaybeUninit;

/// The output sizes for which the SIMD kernels write with streaming stores (see [`stream`]):
/// from 1.25 MiB to 4 MiB.
///
/// Measured on a Xeon (Sapphire Rapids: 2 MiB L2, a large shared L3; CPU time, best of 3, on
/// a loaded machine), decoding 76-character lines into a new vector with AVX-512, ordinary
/// against streaming stores: 256 KiB of output 14 against 21 µs, 1 MiB 73 against 85 µs (the
/// output stays in the caches, and the staging copy costs), 1.25 to 3 MiB within 5% either
/// way, 4 MiB 400 against 485 µs and 8 MiB 5% apart again (the output stays in the L3). On
/// the 2 MB message (1.5 MB of output) parsed and decoded whole, where the input is scanned
/// for boundary lines and then decoded, streaming stores keep the input in the L2 for the
/// decoder: 186 against 171 µs. AVX2 likewise, a little more in favour of streaming.
const STREAM_MIN: usize = 5 << 18;

/// See [`STREAM_MIN`].
const STREAM_MAX: usize = 4 << 20;

/// When a kernel writes its output with streaming stores.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Streaming {
    /// From [`STREAM_MIN`] to [`STREAM_MAX`] bytes of output.
    BySize,
    /// Always (for tests of the streaming path on small inputs).
    Always,
}

impl Streaming {
    /// Whether to stream an output of up to `len` bytes.
    fn applies(self, len: usize) -> bool {
        self == Self::Always || (STREAM_MIN..STREAM_MAX).contains(&len)
    }
}

/// A byte of a kernel's output: `MaybeUninit<u8>` in a vector's spare capacity, `u8` in the
/// staging buffer of the streaming stores.
trait OutByte: Copy {
    /// Stores `bytes` into `dst`.
    fn store<const N: usize>(dst: &mut [Self; N], bytes: [u8; N]);
}

impl OutByte for u8 {
    #[inline(always)]
    fn store<const N: usize>(dst: &mut [Self; N], bytes: [u8; N]) {
        *dst = bytes;
    }
}

impl OutByte for MaybeUninit<u8> {
    #[inline(always)]
    fn store<const N: usize>(dst: &mut [Self; N], bytes: [u8; N]) {
        // One vector store. `bytes.map(Self::new)` is not always inlined into a
        // `#[target_feature]` kernel (each store became a call to `array::try_map`), and a
        // loop over the bytes stayed a byte loop in the staging path's build (callgrind
        // startrek +11%).
        *dst = bytemuck::cast::<[u8; N], [Self; N]>(bytes);
    }
}

/// The shortest line [`decode_base64_lines`] takes: one 32-byte AVX2 block.
pub const MIN_LINE: usize = 32;

/// The longest line [`decode_base64_lines`] takes: RFC 5322's 998 characters, in whole groups
/// of 4.
pub const MAX_LINE: usize = 996;

/// The regular lines of a body: `width` base64 characters (a multiple of 4, from [`MIN_LINE`]
/// to [`MAX_LINE`]) and a line break of `eol` bytes (2 for CRLF, 1 for LF).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Shape {
    width: usize,
    eol: usize,
}

impl Shape {
    /// The shape of the first line of `input`, if it is one the kernel takes.
    fn of(input: &[u8]) -> Option<Self> {
        if input.len() <= MIN_LINE {
            return None;
        }
        let head = input.get(..MAX_LINE + 2).unwrap_or(input);
        let lf = memchr::memchr(b'\n', head)?;
        let crlf = lf > 0 && head.get(lf - 1) == Some(&b'\r');
        let (width, eol) = if crlf { (lf - 1, 2) } else { (lf, 1) };
        (width % 4 == 0 && (MIN_LINE..=MAX_LINE).contains(&width)).then_some(Self { width, eol })
    }

    /// This shape as a kernel monomorphised for width `W` and line break `EOL` sees it: those
    /// constants, or the run-time shape itself when `W` is 0 (the kernel's general instance).
    #[inline(always)]
    fn fixed<const W: usize, const EOL: usize>(self) -> Self {
        if W == 0 {
            self
        } else {
            Self { width: W, eol: EOL }
        }
    }

    /// The bytes of one line with its line break.
    #[inline(always)]
    fn stride(self) -> usize {
        self.width + self.eol
    }

    /// The bytes one line decodes to.
    #[inline(always)]
    fn line_out(self) -> usize {
        self.width / 4 * 3
    }

    /// Whether `end` (the bytes after a line's characters) is this shape's line break.
    fn is_line_end(self, end: &[u8]) -> bool {
        match self.eol {
            2 => end.first_chunk::<2>() == Some(b"\r\n"),
            _ => end.first() == Some(&b'\n'),
        }
    }
}

/// Decodes the longest run of regular base64 lines at the front of `input`, appending the
/// bytes to `out`, and returns how many bytes of `input` it consumed (0 if none).
///
/// A regular line has the length of the first line of `input`, a multiple of 4 from
/// [`MIN_LINE`] to [`MAX_LINE`] characters, all of them in the standard alphabet (`A`-`Z`,
/// `a`-`z`, `0`-`9`, `+`, `/`; no `=`, no white space), and ends in the line break the first
/// line ends in (CRLF or LF). The run stops before the first line that is not regular or has
/// no line break after it (the last line of a body, which may hold padding, is always left).
///
/// The consumed prefix is whole groups of 4 ending at a line end, so decoding it and then the
/// rest of `input` gives what decoding the whole input gives, with any decoder that skips line
/// breaks: `prefix + rest == whole`.
///
/// With AVX-512 VBMI (x86_64, detected at run time) each line of 64 characters or more is
/// read as 64-byte blocks at offsets 0, 64, ... and a last block overlapping the one before
/// (lines of 76 or 72 four at a time, their last 16 characters in one block); with AVX2,
/// likewise in 32-byte blocks (two lines of 76 or 72 at a time); elsewhere a scalar
/// loop does the same ([`decode_base64_lines_scalar`]). All give the same results.
pub fn decode_base64_lines(input: &[u8], out: &mut Vec<u8>) -> usize {
    let Some(shape) = Shape::of(input) else {
        return 0;
    };
    #[cfg(target_arch = "x86_64")]
    if let Some(used) = avx512::decode_lines(shape, input, out, Streaming::BySize) {
        return used;
    }
    #[cfg(target_arch = "x86_64")]
    if let Some(used) = avx2::decode_lines(shape, input, out, Streaming::BySize) {
        return used;
    }
    scalar_lines(shape, input, out)
}

/// [`decode_base64_lines`] without SIMD: the path of other targets and of CPUs without AVX2,
/// public so that tests and fuzz targets can hold the paths equal.
pub fn decode_base64_lines_scalar(input: &[u8], out: &mut Vec<u8>) -> usize {
    Shape::of(input).map_or(0, |shape| scalar_lines(shape, input, out))
}

/// The paths of [`decode_base64_lines`] and [`crate::dash_line_starts`], for
/// [`decode_base64_lines_with`] and [`crate::dash_line_starts_with`].
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Path {
    /// AVX-512 F and BW (the base64 kernel: and VBMI, lines of 64 characters or more).
    Avx512,
    /// AVX2.
    Avx2,
    /// No SIMD.
    Scalar,
    /// As `Avx512`, the base64 kernel writing with streaming stores at any output size.
    Avx512Streaming,
    /// As `Avx2`, the base64 kernel writing with streaming stores at any output size.
    Avx2Streaming,
}

impl Path {
    /// Every path, the fastest first, then the streaming stores forced.
    pub const ALL: [Self; 5] = [
        Self::Avx512,
        Self::Avx2,
        Self::Scalar,
        Self::Avx512Streaming,
        Self::Avx2Streaming,
    ];
}

/// [`decode_base64_lines`] on one path, for tests and fuzz targets that hold the paths equal:
/// `None` (and `out` untouched) when this CPU or target lacks the path, or (AVX-512) the first
/// line is shorter than its block of 64 characters.
#[doc(hidden)]
pub fn decode_base64_lines_with(path: Path, input: &[u8], out: &mut Vec<u8>) -> Option<usize> {
    let Some(shape) = Shape::of(input) else {
        return Some(0);
    };
    match path {
        #[cfg(target_arch = "x86_64")]
        Path::Avx512 => avx512::decode_lines(shape, input, out, Streaming::BySize),
        #[cfg(target_arch = "x86_64")]
        Path::Avx2 => avx2::decode_lines(shape, input, out, Streaming::BySize),
        #[cfg(target_arch = "x86_64")]
        Path::Avx512Streaming => avx512::decode_lines(shape, input, out, Streaming::Always),
        #[cfg(target_arch = "x86_64")]
        Path::Avx2Streaming => avx2::decode_lines(shape, input, out, Streaming::Always),
        #[cfg(not(target_arch = "x86_64"))]
        Path::Avx512 | Path::Avx2 | Path::Avx512Streaming | Path::Avx2Streaming => None,
        Path::Scalar => Some(scalar_lines(shape, input, out)),
    }
}

/// The value of each byte in the standard base64 alphabet, [`INVALID`] for the others (also
/// the table of mail-message's tolerant scalar decoder).
pub static VALUE: [u8; 256] = {
    let mut t = [INVALID; 256];
    let mut i = 0;
    while i < 26 {
        t[b'A' as usize + i] = i as u8;
        t[b'a' as usize + i] = i as u8 + 26;
        i += 1;
    }
    let mut d = 0;
    while d < 10 {
        t[b'0' as usize + d] = d as u8 + 52;
        d += 1;
    }
    t[b'+' as usize] = 62;
    t[b'/' as usize] = 63;
    t
};

/// Not in the alphabet (`=` included).
pub const INVALID: u8 = 0xff;

fn scalar_lines(shape: Shape, input: &[u8], out: &mut Vec<u8>) -> usize {
    let stride = shape.stride();
    out.reserve(input.len() / stride * shape.line_out());
    let mut used = 0;
    for line in input.chunks_exact(stride) {
        let (data, end) = line.split_at(shape.width);
        let base = out.len();
        if !shape.is_line_end(end) || !scalar_groups(data, out) {
            out.truncate(base);
            break;
        }
        used += stride;
    }
    used
}

/// Appends the decoding of `data` (whole groups of 4); false at a byte outside the alphabet.
fn scalar_groups(data: &[u8], out: &mut Vec<u8>) -> bool {
    for group in data.chunks_exact(4) {
        let mut word = 0u32;
        for &byte in group {
            let value = VALUE[usize::from(byte)];
            if value == INVALID {
                return false;
            }
            word = word << 6 | u32::from(value);
        }
        out.extend_from_slice(&word.to_be_bytes()[1..]);
    }
    true
}

#[cfg(test)]
mod tests;

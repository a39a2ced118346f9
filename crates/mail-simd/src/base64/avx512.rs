//! The AVX-512 VBMI kernel: each regular line of 64 characters or more decoded from 64-byte
//! blocks read in place.
//!
//! A line of `w` characters is read as blocks at offsets 0, 64, ... and a last block at
//! `w - 64` (76: 0, 12; 72: 0, 8; 100: 0, 36). Each block is translated and checked with one
//! 128-entry lookup (`vpermi2b`: the value of each character, `0x80` for the characters
//! outside the alphabet; a character of 0x80 or more is outside it too, so the high bit of the
//! character or of its value marks a bad one), its 6-bit values joined (`maddubs`, `madd`) and
//! packed to 48 bytes with one `vpermb`, and stored as 32 and 16 bytes at `offset / 4 * 3` in
//! the output.
//!
//! Lines whose last block would overlap the one before by 48 or more characters (76: 64 + 12,
//! 72: 64 + 8) go four at a time: their whole blocks as above, and the last 16 characters of
//! the four lines in one block, one line per 128-bit lane (each lane decodes to 12 bytes,
//! stored 16 at a time), which saves three blocks per four lines. The stores go in order, so
//! the 4 garbage bytes after each lane's 12 are overwritten by the next store or lie past the
//! end of the lines' output, in the spare capacity ([`SLACK`] bytes past the end of the data)
//! that `Vec::set_len` leaves out. Four lines that fail leave them to the one-line loop, which
//! takes the good ones and stops at the bad one.

use core::arch::x86_64::_mm_sfence;
use core::arch::x86_64::{
    __m128i, __m256i, __m512i, _mm512_castsi128_si512, _mm512_castsi512_si128,
    _mm512_castsi512_si256, _mm512_extracti32x4_epi32, _mm512_inserti32x4, _mm512_madd_epi16,
    _mm512_maddubs_epi16, _mm512_movepi8_mask, _mm512_or_si512, _mm512_permutex2var_epi8,
    _mm512_permutexvar_epi8, _mm512_setzero_si512, _mm512_stream_si512,
};
use core::mem::MaybeUninit;

use super::{stream, OutByte, Shape, Streaming, INVALID, VALUE};

/// Bytes written past the end of the data (a lane's store is 16 bytes, of which 12 are data).
const SLACK: usize = 4;

/// The characters of one block.
const BLOCK: usize = 64;

/// The characters of a quarter block (one 128-bit lane).
const QUARTER: usize = 16;

/// Whether the CPU has what [`lines`] needs.
pub(super) fn available() -> bool {
    std::is_x86_feature_detected!("avx512f")
        && std::is_x86_feature_detected!("avx512bw")
        && std::is_x86_feature_detected!("avx512vbmi")
}

/// Decodes the regular lines of `shape` at the front of `input` with AVX-512 VBMI, if the CPU
/// has it and the lines hold a block (`None`: take another path).
pub(super) fn decode_lines(
    shape: Shape,
    input: &[u8],
    out: &mut Vec<u8>,
    streaming: Streaming,
) -> Option<usize> {
    if shape.width < BLOCK || !available() {
        return None;
    }
    #[allow(unsafe_code)]
    // SAFETY: `lines` needs AVX-512 F, BW and VBMI, its target features, and the CPU has them
    // (checked above).
    let used = unsafe { lines(shape, input, out, streaming) };
    Some(used)
}

/// The line shapes of nearly all mail with the width and line break known at compile time,
/// any other through the same code with the shape read at run time.
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
fn lines(shape: Shape, input: &[u8], out: &mut Vec<u8>, streaming: Streaming) -> usize {
    match (shape.width, shape.eol) {
        (76, 2) => run::<76, 2>(shape, input, out, streaming),
        (76, 1) => run::<76, 1>(shape, input, out, streaming),
        (72, 2) => run::<72, 2>(shape, input, out, streaming),
        (72, 1) => run::<72, 1>(shape, input, out, streaming),
        (64, 2) => run::<64, 2>(shape, input, out, streaming),
        (64, 1) => run::<64, 1>(shape, input, out, streaming),
        _ => run::<0, 0>(shape, input, out, streaming),
    }
}

/// The kernel for lines of `W` characters and an `EOL`-byte line break (`0, 0`: those of
/// `shape`, which agree with `W` and `EOL` otherwise), writing the output with streaming
/// stores when `streaming` says so for its size.
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
#[inline]
fn run<const W: usize, const EOL: usize>(
    shape: Shape,
    input: &[u8],
    out: &mut Vec<u8>,
    streaming: Streaming,
) -> usize {
    let shape = shape.fixed::<W, EOL>();
    let (width, stride, line_out) = (shape.width, shape.stride(), shape.line_out());
    if width < BLOCK {
        return 0;
    }
    let base = out.len();
    let most = input.len() / stride * line_out;
    out.reserve(most + SLACK);
    let tables = Tables::new();
    let spare = out.spare_capacity_mut();
    let (used, written) = if streaming.applies(most) {
        let streamed = stream::streamed(
            input,
            stride,
            line_out,
            spare,
            |lines, dst| decode::<W, EOL, u8>(shape, &tables, lines, dst),
            |dst, src| stream_chunks(dst, src),
        );
        // The streaming stores before any later store (see `streamed`).
        _mm_sfence();
        streamed
    } else {
        decode::<W, EOL, _>(shape, &tables, input, spare)
    };
    #[allow(unsafe_code)]
    // SAFETY: `written` bytes of the spare capacity were initialised (by `decode`, or
    // `streamed`, which says so), so `base + written` is within the capacity.
    unsafe {
        out.set_len(base + written);
    }
    used
}

/// Stores the chunks of `src` into `dst` with streaming stores, which write each cache line
/// to memory without reading it first or keeping it in the caches (ordinary stores if `dst`
/// is not 64-byte aligned, which [`stream::streamed`] rules out).
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
#[inline]
fn stream_chunks(dst: &mut [[MaybeUninit<u8>; stream::CHUNK]], src: &[[u8; stream::CHUNK]]) {
    // Each chunk is 64 bytes, so all are aligned if the first is.
    let aligned = dst.as_ptr().cast::<__m512i>().is_aligned();
    for (dst, src) in dst.iter_mut().zip(src) {
        if aligned {
            let v = bytemuck::cast::<[u8; stream::CHUNK], __m512i>(*src);
            #[allow(unsafe_code)]
            // SAFETY: the pointer is to the 64 bytes of `dst`, a chunk this function borrows
            // uniquely (valid for writes of a `__m512i`), and is 64-byte aligned (the first
            // chunk's is, checked above, and the chunks are 64 bytes each), as the instruction
            // requires; the CPU has AVX-512 F (this function's target features).
            unsafe {
                _mm512_stream_si512(dst.as_mut_ptr().cast::<__m512i>(), v);
            }
        } else {
            MaybeUninit::store(dst, *src);
        }
    }
}

/// The lines of `W` characters and `EOL`-byte line breaks at the front of `input` decoded
/// into `dst` while they fit (with [`SLACK`] bytes after them): how many bytes of `input`
/// they are, and of `dst` their output is (the first bytes of `dst`).
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
#[inline]
fn decode<const W: usize, const EOL: usize, T: OutByte>(
    shape: Shape,
    tables: &Tables,
    input: &[u8],
    spare: &mut [T],
) -> (usize, usize) {
    let shape = shape.fixed::<W, EOL>();
    let (width, stride, line_out) = (shape.width, shape.stride(), shape.line_out());
    // The last block of a line; the others start at 0, 64, ... before it.
    let Some(last) = width.checked_sub(BLOCK) else {
        return (0, 0);
    };
    let mut written = 0;
    let mut used = 0;
    let short = width % BLOCK;
    if short != 0 && short <= QUARTER {
        // The whole blocks of a line are those before `whole`, the last 16 characters start at
        // `tail`, and decode to the line's output from `tail_out`.
        let whole = width - short;
        let tail = width - QUARTER;
        let tail_out = tail / 4 * 3;
        for four in input.chunks_exact(4 * stride) {
            let Some(dst) = spare.get_mut(written..written + 4 * line_out + SLACK) else {
                break;
            };
            let mut lines = four.chunks_exact(stride).map(|line| line.split_at(width));
            let (Some((a, a_end)), Some((b, b_end)), Some((c, c_end)), Some((d, d_end))) =
                (lines.next(), lines.next(), lines.next(), lines.next())
            else {
                break;
            };
            if !(shape.is_line_end(a_end)
                && shape.is_line_end(b_end)
                && shape.is_line_end(c_end)
                && shape.is_line_end(d_end))
            {
                break;
            }
            let (Some(ta), Some(tb), Some(tc), Some(td)) = (
                quarter_at(a, tail),
                quarter_at(b, tail),
                quarter_at(c, tail),
                quarter_at(d, tail),
            ) else {
                break;
            };
            let tails = _mm512_inserti32x4::<3>(
                _mm512_inserti32x4::<2>(
                    _mm512_inserti32x4::<1>(_mm512_castsi128_si512(ta), tb),
                    tc,
                ),
                td,
            );
            let (tails, mut bad) = tables.decode_quarters(tails);
            // In order: each store's garbage is overwritten by the next or lies past the end.
            for (k, line) in [a, b, c, d].into_iter().enumerate() {
                let base = k * line_out;
                let mut at = 0;
                while at < whole {
                    bad = _mm512_or_si512(bad, block_at(tables, line, at, dst, base + at / 4 * 3));
                    at += BLOCK;
                }
                let quarter = match k {
                    0 => _mm512_castsi512_si128(tails),
                    1 => _mm512_extracti32x4_epi32::<1>(tails),
                    2 => _mm512_extracti32x4_epi32::<2>(tails),
                    _ => _mm512_extracti32x4_epi32::<3>(tails),
                };
                store_quarter(dst, base + tail_out, quarter);
            }
            if _mm512_movepi8_mask(bad) != 0 {
                break;
            }
            written += 4 * line_out;
            used += 4 * stride;
        }
    }
    for line in input.get(used..).unwrap_or_default().chunks_exact(stride) {
        let (data, end) = line.split_at(width);
        if !shape.is_line_end(end) {
            break;
        }
        let Some(dst) = spare.get_mut(written..written + line_out + SLACK) else {
            break;
        };
        let mut bad = _mm512_setzero_si512();
        let mut at = 0;
        while at < last {
            bad = _mm512_or_si512(bad, block_at(tables, data, at, dst, at / 4 * 3));
            at += BLOCK;
        }
        bad = _mm512_or_si512(bad, block_at(tables, data, last, dst, last / 4 * 3));
        if _mm512_movepi8_mask(bad) != 0 {
            break;
        }
        written += line_out;
        used += stride;
    }
    // The first `written` bytes of `spare` are written: each line counted in it had its
    // `line_out` bytes written by its blocks (a block at character `at` writes bytes
    // `at / 4 * 3` to `at / 4 * 3 + 48` of the line's output, a 16-character lane 12 bytes
    // likewise, and the blocks of a line cover it), and they lie in `spare` (`get_mut`
    // succeeded for each line or four lines).
    (used, written)
}

/// The 16 characters of `data` from `at`.
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
#[inline]
fn quarter_at(data: &[u8], at: usize) -> Option<__m128i> {
    let src = data.get(at..)?.first_chunk::<QUARTER>()?;
    Some(bytemuck::cast(*src))
}

/// Stores the 16 bytes of `quarter` into `dst` at `to` (nothing if they do not fit, which the
/// callers rule out).
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
#[inline]
fn store_quarter<T: OutByte>(dst: &mut [T], to: usize, quarter: __m128i) {
    if let Some(dst) = dst
        .get_mut(to..)
        .and_then(<[T]>::first_chunk_mut::<QUARTER>)
    {
        T::store(dst, bytemuck::cast::<__m128i, [u8; QUARTER]>(quarter));
    }
}

/// Decodes the block of `data` at character `at` into `dst` at `to`; a high bit set in a byte
/// of the result marks a character outside the alphabet (all of them, if the block is not
/// there).
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
#[inline]
fn block_at<T: OutByte>(
    tables: &Tables,
    data: &[u8],
    at: usize,
    dst: &mut [T],
    to: usize,
) -> __m512i {
    let src = data.get(at..).and_then(<[u8]>::first_chunk::<BLOCK>);
    // The 48 bytes as 32 and 16: one 64-byte store (16 of them garbage) ran 4% slower on the
    // 2 MB attachment and 40% slower on startrek's lines (Xeon, task-clock).
    let dst = dst
        .get_mut(to..)
        .and_then(<[T]>::split_first_chunk_mut::<32>);
    let (Some(src), Some((low, rest))) = (src, dst) else {
        return bytemuck::cast([0xffu8; BLOCK]);
    };
    let Some(high) = rest.first_chunk_mut::<QUARTER>() else {
        return bytemuck::cast([0xffu8; BLOCK]);
    };
    let (bytes, bad) = tables.decode(bytemuck::cast(*src));
    T::store(
        low,
        bytemuck::cast::<__m256i, [u8; 32]>(_mm512_castsi512_si256(bytes)),
    );
    T::store(
        high,
        bytemuck::cast::<__m128i, [u8; QUARTER]>(_mm512_extracti32x4_epi32::<2>(bytes)),
    );
    bad
}

/// The constant vectors of the decoder.
struct Tables {
    /// The value of each character below 0x40, `0x80` for those outside the alphabet.
    low: __m512i,
    /// Likewise for 0x40 to 0x7f.
    high: __m512i,
    /// Multipliers that join two 6-bit values into 12 bits, then two of those into 24.
    join_pairs: __m512i,
    join_quads: __m512i,
    /// The 3 bytes of each 32-bit lane in output order, 48 bytes at the bottom.
    order: __m512i,
    /// Likewise within each 128-bit lane, 12 bytes at the bottom of each.
    order_quarters: __m512i,
}

/// The 128-entry lookup of [`Tables`]: [`VALUE`] of the characters below 0x80, with `0x80`
/// for the invalid ones.
const LOOKUP: [u8; 128] = {
    let mut t = [0x80; 128];
    let mut i = 0;
    while i < 128 {
        if VALUE[i] != INVALID {
            t[i] = VALUE[i];
        }
        i += 1;
    }
    t
};

/// The `i`th 64 bytes of [`LOOKUP`].
const fn lookup_half(i: usize) -> [u8; 64] {
    let mut v = [0; 64];
    let mut k = 0;
    while k < 64 {
        v[k] = LOOKUP[i * 64 + k];
        k += 1;
    }
    v
}

/// The pattern `p` repeated over 64 bytes.
const fn repeat4(p: [u8; 4]) -> [u8; 64] {
    let mut v = [0; 64];
    let mut i = 0;
    while i < 64 {
        v[i] = p[i % 4];
        i += 1;
    }
    v
}

/// Output byte `j` is byte `2 - j % 3` of 32-bit lane `j / 3` (the 24 bits big-endian); the
/// last 16 bytes are garbage.
const ORDER: [u8; 64] = {
    let mut v = [0; 64];
    let mut j = 0;
    while j < 48 {
        v[j] = (j / 3 * 4 + 2 - j % 3) as u8;
        j += 1;
    }
    v
};

/// As [`ORDER`] within each 128-bit lane: the 12 bytes of lane `q` at `16 * q`, 4 garbage
/// bytes above.
const ORDER_QUARTERS: [u8; 64] = {
    let mut v = [0; 64];
    let mut q = 0;
    while q < 4 {
        let mut j = 0;
        while j < 12 {
            v[16 * q + j] = (16 * q + j / 3 * 4 + 2 - j % 3) as u8;
            j += 1;
        }
        q += 1;
    }
    v
};

impl Tables {
    fn new() -> Self {
        let v = bytemuck::cast::<[u8; 64], __m512i>;
        Self {
            low: v(lookup_half(0)),
            high: v(lookup_half(1)),
            // maddubs: first value * 64 + second (unsigned bytes times signed bytes).
            join_pairs: v(repeat4([0x40, 0x01, 0x40, 0x01])),
            // madd: first 12 bits * 4096 + second (little-endian 16-bit 0x1000 and 0x0001).
            join_quads: v(repeat4([0x00, 0x10, 0x01, 0x00])),
            order: v(ORDER),
            order_quarters: v(ORDER_QUARTERS),
        }
    }

    /// The 48 bytes of 64 characters (at the bottom of the result, 16 garbage bytes above),
    /// and bytes with the high bit set where a character is not base64.
    #[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
    #[inline]
    fn decode(&self, chars: __m512i) -> (__m512i, __m512i) {
        let (quads, bad) = self.join(chars);
        (_mm512_permutexvar_epi8(self.order, quads), bad)
    }

    /// The 12 bytes of the 16 characters of each 128-bit lane (at the bottom of that lane, 4
    /// garbage bytes above), and bytes with the high bit set where a character is not base64.
    #[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
    #[inline]
    fn decode_quarters(&self, chars: __m512i) -> (__m512i, __m512i) {
        let (quads, bad) = self.join(chars);
        (_mm512_permutexvar_epi8(self.order_quarters, quads), bad)
    }

    /// The 24 bits of each group of 4 characters in its 32-bit lane, and the bad marks.
    #[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
    #[inline]
    fn join(&self, chars: __m512i) -> (__m512i, __m512i) {
        // Indexed by the low 7 bits of each character.
        let values = _mm512_permutex2var_epi8(self.low, chars, self.high);
        let bad = _mm512_or_si512(chars, values);
        let pairs = _mm512_maddubs_epi16(values, self.join_pairs);
        (_mm512_madd_epi16(pairs, self.join_quads), bad)
    }
}

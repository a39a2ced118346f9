//! The AVX2 kernel: each regular line decoded from 32-byte blocks read in place.
//!
//! A line of `w` characters is read as blocks at offsets 0, 32, ... and a last block at
//! `w - 32` (64: 0, 32; 96: 0, 32, 64; 100: 0, 32, 64, 68). Each block is checked against the
//! alphabet with two nibble lookups and translated to 6-bit values, packed to 24 bytes and
//! stored as 32 bytes at `offset / 4 * 3` in the output. The stores go in order, so the 8
//! garbage bytes after each block's 24 are overwritten by the next store or lie past the end of
//! the line's output, in the spare capacity ([`SLACK`] bytes past the end of the data) that
//! `Vec::set_len` leaves out. Lines whose last block would overlap the one before by 16 or more
//! characters (76, 72) go two at a time, the last 16 characters of both in one block (see
//! [`run`]).

use core::arch::x86_64::_mm_sfence;
use core::arch::x86_64::{
    __m128i, __m256i, _mm256_add_epi8, _mm256_and_si256, _mm256_castsi256_si128, _mm256_cmpeq_epi8,
    _mm256_extracti128_si256, _mm256_madd_epi16, _mm256_maddubs_epi16, _mm256_or_si256,
    _mm256_permutevar8x32_epi32, _mm256_set_m128i, _mm256_setzero_si256, _mm256_shuffle_epi8,
    _mm256_srli_epi32, _mm256_stream_si256, _mm256_testz_si256,
};
use core::mem::MaybeUninit;

use super::{stream, OutByte, Shape, Streaming};

/// Bytes written past the end of the data (each store is 32 bytes, of which 24 are data).
const SLACK: usize = 8;

/// The characters of one block.
const BLOCK: usize = 32;

/// The characters of half a block (one 128-bit lane).
const HALF: usize = 16;

/// Decodes the regular lines of `shape` at the front of `input` with AVX2, if the CPU has it
/// (`None`: it does not, take the scalar path).
pub(super) fn decode_lines(
    shape: Shape,
    input: &[u8],
    out: &mut Vec<u8>,
    streaming: Streaming,
) -> Option<usize> {
    if !std::is_x86_feature_detected!("avx2") {
        return None;
    }
    #[allow(unsafe_code)]
    // SAFETY: `lines` needs AVX2, its one target feature, and the CPU has it (checked above).
    let used = unsafe { lines(shape, input, out, streaming) };
    Some(used)
}

/// The line shapes of nearly all mail with the width and line break known at compile time
/// (the blocks of a line unrolled, their bounds checks gone), any other through the same code
/// with the shape read at run time.
#[target_feature(enable = "avx2")]
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
/// `shape`, which agree with `W` and `EOL` otherwise).
///
/// Lines whose last block would be short by up to 16 characters (76: 12, 72: 8) go two at a
/// time: their whole blocks as usual, and the last 16 characters of both lines in one block,
/// one line in each 128-bit half (each half decodes to 12 bytes, stored 16 at a time), which
/// saves a block per two lines. A pair that fails leaves its lines to the one-line loop, which
/// takes the good one and stops at the bad one.
///
/// The output is written with streaming stores when `streaming` says so for its size.
#[target_feature(enable = "avx2")]
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

/// Stores the chunks of `src` into `dst` with streaming stores (two a chunk), which write each
/// cache line to memory without reading it first or keeping it in the caches (ordinary stores
/// if `dst` is not 32-byte aligned, which [`stream::streamed`] rules out).
#[target_feature(enable = "avx2")]
#[inline]
fn stream_chunks(dst: &mut [[MaybeUninit<u8>; stream::CHUNK]], src: &[[u8; stream::CHUNK]]) {
    // Each chunk is 64 bytes, so all halves are aligned if the first is.
    let aligned = dst.as_ptr().cast::<__m256i>().is_aligned();
    for (dst, src) in dst.iter_mut().zip(src) {
        if aligned {
            let [low, high] = bytemuck::cast::<[u8; stream::CHUNK], [__m256i; 2]>(*src);
            let to = dst.as_mut_ptr().cast::<__m256i>();
            #[allow(unsafe_code)]
            // SAFETY: `to` and `to.add(1)` point to the two halves of the 64 bytes of `dst`, a
            // chunk this function borrows uniquely (valid for writes of two `__m256i`), each
            // 32-byte aligned (the first chunk's start is, checked above, and the chunks are
            // 64 bytes each), as the instruction requires; the CPU has AVX (this function's
            // target feature).
            unsafe {
                _mm256_stream_si256(to, low);
                _mm256_stream_si256(to.add(1), high);
            }
        } else {
            MaybeUninit::store(dst, *src);
        }
    }
}

/// The lines of `W` characters and `EOL`-byte line breaks at the front of `input` decoded
/// into `spare` while they fit (with [`SLACK`] bytes after them): how many bytes of `input`
/// they are, and of `spare` their output is (the first bytes of `spare`).
#[target_feature(enable = "avx2")]
#[inline]
fn decode<const W: usize, const EOL: usize, T: OutByte>(
    shape: Shape,
    tables: &Tables,
    input: &[u8],
    spare: &mut [T],
) -> (usize, usize) {
    let shape = shape.fixed::<W, EOL>();
    let (width, stride, line_out) = (shape.width, shape.stride(), shape.line_out());
    // The last block of a line; the others start at 0, 32, ... before it.
    let Some(last) = width.checked_sub(BLOCK) else {
        return (0, 0);
    };
    let mut written = 0;
    let mut used = 0;
    let short = width % BLOCK;
    if short != 0 && short <= HALF {
        // The whole blocks of a line are those before `whole`, the last 16 characters start at
        // `tail`, and decode to the line's output from `tail_out`.
        let whole = width - short;
        let tail = width - HALF;
        let tail_out = tail / 4 * 3;
        for pair in input.chunks_exact(2 * stride) {
            let (one, two) = pair.split_at(stride);
            let (one, one_end) = one.split_at(width);
            let (two, two_end) = two.split_at(width);
            if !shape.is_line_end(one_end) || !shape.is_line_end(two_end) {
                break;
            }
            let Some(dst) = spare.get_mut(written..written + 2 * line_out + SLACK) else {
                break;
            };
            let (tails, mut bad) = match (half_at(one, tail), half_at(two, tail)) {
                (Some(a), Some(b)) => tables.decode_halves(_mm256_set_m128i(b, a)),
                _ => break,
            };
            // In order: each store's garbage is overwritten by the next or lies past the end.
            let mut at = 0;
            while at < whole {
                bad = _mm256_or_si256(bad, block_at(tables, one, at, dst, at / 4 * 3));
                at += BLOCK;
            }
            store_half(dst, tail_out, _mm256_castsi256_si128(tails));
            at = 0;
            while at < whole {
                let to = line_out + at / 4 * 3;
                bad = _mm256_or_si256(bad, block_at(tables, two, at, dst, to));
                at += BLOCK;
            }
            store_half(
                dst,
                line_out + tail_out,
                _mm256_extracti128_si256::<1>(tails),
            );
            if _mm256_testz_si256(bad, bad) == 0 {
                break;
            }
            written += 2 * line_out;
            used += 2 * stride;
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
        let mut bad = _mm256_setzero_si256();
        let mut at = 0;
        while at < last {
            bad = _mm256_or_si256(bad, block_at(tables, data, at, dst, at / 4 * 3));
            at += BLOCK;
        }
        bad = _mm256_or_si256(bad, block_at(tables, data, last, dst, last / 4 * 3));
        if _mm256_testz_si256(bad, bad) == 0 {
            break;
        }
        written += line_out;
        used += stride;
    }
    // The first `written` bytes of `spare` are written: each line counted in it had its
    // `line_out` bytes written by its blocks (a block at character `at` writes bytes
    // `at / 4 * 3` to `at / 4 * 3 + 24` of the line's output, a 16-character half 12 bytes
    // likewise, and the blocks of a line cover it), and they lie in `spare` (`get_mut`
    // succeeded for each line or pair).
    (used, written)
}

/// The 16 characters of `data` from `at`.
#[target_feature(enable = "avx2")]
#[inline]
fn half_at(data: &[u8], at: usize) -> Option<__m128i> {
    let src = data.get(at..)?.first_chunk::<HALF>()?;
    Some(bytemuck::cast(*src))
}

/// Stores the 16 bytes of `half` into `dst` at `to` (nothing if they do not fit, which the
/// callers rule out).
#[target_feature(enable = "avx2")]
#[inline]
fn store_half<T: OutByte>(dst: &mut [T], to: usize, half: __m128i) {
    if let Some(dst) = dst.get_mut(to..).and_then(<[T]>::first_chunk_mut::<HALF>) {
        T::store(dst, bytemuck::cast::<__m128i, [u8; HALF]>(half));
    }
}

/// Decodes the block of `data` at character `at` into `dst` at `to`; non-zero bytes in the
/// result mark characters outside the alphabet (all of it, if the block is not there).
#[target_feature(enable = "avx2")]
#[inline]
fn block_at<T: OutByte>(
    tables: &Tables,
    data: &[u8],
    at: usize,
    dst: &mut [T],
    to: usize,
) -> __m256i {
    let src = data.get(at..).and_then(<[u8]>::first_chunk::<BLOCK>);
    let dst = dst.get_mut(to..).and_then(<[T]>::first_chunk_mut::<BLOCK>);
    match (src, dst) {
        (Some(src), Some(dst)) => {
            let (bytes, bad) = tables.decode(bytemuck::cast(*src));
            T::store(dst, bytemuck::cast::<__m256i, [u8; BLOCK]>(bytes));
            bad
        }
        _ => bytemuck::cast([0xffu8; BLOCK]),
    }
}

/// The constant vectors of the decoder.
struct Tables {
    low_nibble: __m256i,
    /// Per low nibble, the classes of high nibble in which that byte is not base64.
    bad_by_low: __m256i,
    /// Per high nibble, its class (one bit; bit 4 for high nibbles with no base64 at all).
    class_by_high: __m256i,
    slash: __m256i,
    /// Per high nibble (minus 1 for `/`), what to add to a character to get its value.
    shift: __m256i,
    /// Multipliers that join two 6-bit values into 12 bits, then two of those into 24.
    join_pairs: __m256i,
    join_quads: __m256i,
    /// The 3 bytes of each 32-bit lane in output order, 12 bytes at the bottom of each half.
    order: __m256i,
    /// The two halves' 12 bytes together at the bottom.
    halves: __m256i,
}

/// Bits of the high-nibble classes: `2`, `3`, `4` and `6`, `5` and `7`, and the rest.
const CLASS_2: u8 = 0x01;
const CLASS_3: u8 = 0x02;
const CLASS_4_6: u8 = 0x04;
const CLASS_5_7: u8 = 0x08;
const CLASS_NONE: u8 = 0x10;

/// `class_by_high`: `+` and `/` (0x2B, 0x2F), digits (0x30-0x39), `A`-`O` and `a`-`o`
/// (0x41-0x4F, 0x61-0x6F), `P`-`Z` and `p`-`z` (0x50-0x5A, 0x70-0x7A).
const CLASS_BY_HIGH: [u8; 16] = {
    let mut t = [CLASS_NONE; 16];
    t[2] = CLASS_2;
    t[3] = CLASS_3;
    t[4] = CLASS_4_6;
    t[6] = CLASS_4_6;
    t[5] = CLASS_5_7;
    t[7] = CLASS_5_7;
    t
};

/// `bad_by_low`: for each low nibble, the classes in which it is not a base64 character.
const BAD_BY_LOW: [u8; 16] = {
    let mut t = [0; 16];
    let mut low = 0;
    while low < 16 {
        let mut bits = CLASS_NONE;
        if low != 0xB && low != 0xF {
            bits |= CLASS_2;
        }
        if low > 9 {
            bits |= CLASS_3;
        }
        if low == 0 {
            bits |= CLASS_4_6;
        }
        if low > 0xA {
            bits |= CLASS_5_7;
        }
        t[low] = bits;
        low += 1;
    }
    t
};

/// `shift`, indexed by high nibble, `/` at 1: value minus character, wrapping.
const SHIFT: [u8; 16] = {
    let mut t = [0; 16];
    t[1] = 63u8.wrapping_sub(b'/');
    t[2] = 62u8.wrapping_sub(b'+');
    t[3] = 52u8.wrapping_sub(b'0');
    t[4] = 0u8.wrapping_sub(b'A');
    t[5] = 0u8.wrapping_sub(b'A');
    t[6] = 26u8.wrapping_sub(b'a');
    t[7] = 26u8.wrapping_sub(b'a');
    t
};

/// Both 128-bit halves of a vector the same (`pshufb` looks up within each half).
const fn both_halves(half: [u8; 16]) -> [u8; 32] {
    let mut v = [0; 32];
    let mut i = 0;
    while i < 16 {
        v[i] = half[i];
        v[i + 16] = half[i];
        i += 1;
    }
    v
}

/// `v` repeated over 32 bytes.
const fn splat(v: u8) -> [u8; 32] {
    [v; 32]
}

/// The pattern `p` repeated over 32 bytes.
const fn repeat4(p: [u8; 4]) -> [u8; 32] {
    let mut v = [0; 32];
    let mut i = 0;
    while i < 32 {
        v[i] = p[i % 4];
        i += 1;
    }
    v
}

impl Tables {
    fn new() -> Self {
        let v = bytemuck::cast::<[u8; 32], __m256i>;
        Self {
            low_nibble: v(splat(0x0f)),
            bad_by_low: v(both_halves(BAD_BY_LOW)),
            class_by_high: v(both_halves(CLASS_BY_HIGH)),
            slash: v(splat(b'/')),
            shift: v(both_halves(SHIFT)),
            // maddubs: first value * 64 + second (unsigned bytes times signed bytes).
            join_pairs: v(repeat4([0x40, 0x01, 0x40, 0x01])),
            // madd: first 12 bits * 4096 + second (little-endian 16-bit 0x1000 and 0x0001).
            join_quads: v(repeat4([0x00, 0x10, 0x01, 0x00])),
            // The top 4 bytes of each half are garbage (not zero, which made the compiler
            // blend zeros into the result before each store).
            order: v(both_halves([
                2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, 3, 7, 11, 15,
            ])),
            halves: bytemuck::cast([0u32, 1, 2, 4, 5, 6, 3, 7]),
        }
    }

    /// The 24 bytes of 32 characters (at the bottom of the result, 8 garbage bytes above), and
    /// non-zero bytes where a character is not base64.
    #[target_feature(enable = "avx2")]
    #[inline]
    fn decode(&self, chars: __m256i) -> (__m256i, __m256i) {
        let (halves, bad) = self.decode_halves(chars);
        (_mm256_permutevar8x32_epi32(halves, self.halves), bad)
    }

    /// The 12 bytes of the 16 characters of each 128-bit half (at the bottom of that half, 4
    /// garbage bytes above), and non-zero bytes where a character is not base64.
    #[target_feature(enable = "avx2")]
    #[inline]
    fn decode_halves(&self, chars: __m256i) -> (__m256i, __m256i) {
        let high = _mm256_and_si256(_mm256_srli_epi32::<4>(chars), self.low_nibble);
        let low = _mm256_and_si256(chars, self.low_nibble);
        let bad = _mm256_and_si256(
            _mm256_shuffle_epi8(self.bad_by_low, low),
            _mm256_shuffle_epi8(self.class_by_high, high),
        );
        // 0xff (-1) where the character is `/`, which moves it from row 2 to row 1.
        let row = _mm256_add_epi8(_mm256_cmpeq_epi8(chars, self.slash), high);
        let values = _mm256_add_epi8(chars, _mm256_shuffle_epi8(self.shift, row));
        let pairs = _mm256_maddubs_epi16(values, self.join_pairs);
        let quads = _mm256_madd_epi16(pairs, self.join_quads);
        (_mm256_shuffle_epi8(quads, self.order), bad)
    }
}

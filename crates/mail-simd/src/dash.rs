//! The line starts with `--`: where a MIME boundary line can be (RFC 2046 5.1.1).
//!
//! The input is read in 64-byte chunks. For each, the positions of `-` and of `\n` become two
//! 64-bit masks (one compare each: AVX-512 BW, or two AVX2 compares and `movemask`s, or eight
//! bytes at a time without SIMD), and the line starts with `--` in the chunk are one
//! expression over them: a `-` (the dash mask) whose byte before is a line break (the newline
//! mask shifted up a position, with the byte before the chunk coming in at the bottom) and
//! whose byte after is a `-` (the dash mask shifted down, with the byte after the chunk coming
//! in at the top). Every path computes the same masks, so they give the same positions, and
//! the expression is the definition, so there is no case to get wrong at a chunk edge.
//!
//! The chunks go four at a time (a step of 256 bytes from a 64-byte boundary of memory): a
//! step without a `-` (all of base64) costs four compares and one branch, and only the others
//! are taken apart chunk by chunk. The bytes before the first boundary and after the last
//! whole chunk are each copied into a chunk of zeros (neither `-` nor `\n`). The scan runs from
//! the end back to the start (see [`scan_with`]: on the 2 MB message, parsed and decoded,
//! about 10% less time than front to back).

/// The bytes of one chunk, the bits of one mask.
const CHUNK: usize = 64;

/// Appends to `out`, in order, every position `p` from `start` on where a line begins with
/// `--`: `input[p]` and `input[p + 1]` are `-`, and `p` is `start` or follows a `\n` (`start`
/// counts as a line start, as where a multipart body begins after a header).
///
/// With AVX-512 BW or AVX2 (x86_64, detected at run time) 64 bytes are compared at a time;
/// elsewhere a scalar loop computes the same masks ([`dash_line_starts_scalar`]). All give the
/// same results. `out` grows by at most one position per two bytes of `input[start..]`.
///
/// ```
/// let mut out = Vec::new();
/// mail_simd::dash_line_starts(b"--a\r\nb--\n--c--\n-\n--", 0, &mut out);
/// assert_eq!(out, [0, 9, 17]);
/// ```
pub fn dash_line_starts(input: &[u8], start: usize, out: &mut Vec<usize>) {
    #[cfg(target_arch = "x86_64")]
    {
        if avx512::scan(input, start, out).is_some() || avx2::scan(input, start, out).is_some() {
            return;
        }
    }
    scalar(input, start, out);
}

/// [`dash_line_starts`] without SIMD: the path of other targets and of CPUs without AVX2,
/// public so that tests and fuzz targets can hold the paths equal.
pub fn dash_line_starts_scalar(input: &[u8], start: usize, out: &mut Vec<usize>) {
    scalar(input, start, out);
}

/// [`dash_line_starts`] on one path, for tests and fuzz targets that hold the paths equal:
/// false (and `out` untouched) when this CPU or target lacks the path.
#[doc(hidden)]
pub fn dash_line_starts_with(
    path: super::Path,
    input: &[u8],
    start: usize,
    out: &mut Vec<usize>,
) -> bool {
    use super::Path;
    match path {
        #[cfg(target_arch = "x86_64")]
        Path::Avx512 | Path::Avx512Streaming => avx512::scan(input, start, out).is_some(),
        #[cfg(target_arch = "x86_64")]
        Path::Avx2 | Path::Avx2Streaming => avx2::scan(input, start, out).is_some(),
        #[cfg(not(target_arch = "x86_64"))]
        Path::Avx512 | Path::Avx2 | Path::Avx512Streaming | Path::Avx2Streaming => false,
        Path::Scalar => {
            dash_line_starts_scalar(input, start, out);
            true
        }
    }
}

/// The bytes of the fast step: four chunks, skipped after one test when none has a `-`.
const STEP: usize = 4 * CHUNK;

/// The `-` mask and the `\n` mask of a chunk, bit `i` for byte `i`, eight bytes at a time.
#[inline]
fn scalar_masks(chunk: &[u8; CHUNK]) -> (u64, u64) {
    let (words, _) = chunk.as_chunks::<8>();
    let (mut dash, mut newline) = (0u64, 0u64);
    for (k, word) in words.iter().enumerate() {
        let word = u64::from_le_bytes(*word);
        dash |= u64::from(byte_bits(word, b'-')) << (8 * k);
        newline |= u64::from(byte_bits(word, b'\n')) << (8 * k);
    }
    (dash, newline)
}

/// Bit `i` set where byte `i` of `word` (little-endian) is `byte`. Exact: a byte's high bit
/// after the additions is set only by its own bits (no carry crosses bytes).
#[inline]
fn byte_bits(word: u64, byte: u8) -> u8 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let x = word ^ u64::from_ne_bytes([byte; 8]);
    // The high bit of each byte: set where the byte of `x` is not zero.
    let nonzero = ((x & LOW7) + LOW7) | x;
    let zero = !nonzero & !LOW7;
    // Gather the eight high bits into one byte: bit 7 of byte `i` to bit `i` of the top byte.
    ((zero >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u8
}

/// The scan without SIMD: `memchr` tells the steps with a `-`, and the masks come from
/// eight bytes at a time.
fn scalar(input: &[u8], start: usize, out: &mut Vec<usize>) {
    scan_with(
        input,
        start,
        out,
        |step| memchr::memchr(b'-', step).is_some(),
        |at, chunks, len, out| chunk_starts(input, start, at, chunks, len, out, scalar_masks),
    );
}

/// The scan over `input[start..]`: the bytes up to the first 64-byte boundary of memory as
/// a short chunk, then steps of four chunks tested with `any_dash` and skipped when none has
/// a `-`, then the rest. `starts(at, chunks, len, out)` appends the line starts with `--` of
/// `chunks` at `at`, of which the first `len` bytes are the input's (the others zeros).
/// `#[inline(always)]`, so that each SIMD path gets its own copy compiled with its target
/// features and `any_dash` inlined; the SIMD paths' `starts` are out of line, since inlined
/// into the loop over the steps the compiler kept the loaded vectors on the stack for them
/// (eight stores a step).
#[inline(always)]
fn scan_with(
    input: &[u8],
    start: usize,
    out: &mut Vec<usize>,
    any_dash: impl Fn(&[u8; STEP]) -> bool,
    starts: impl Fn(usize, &[[u8; CHUNK]], usize, &mut Vec<usize>),
) {
    let Some(region) = input.get(start..) else {
        return;
    };
    // The steps load whole cache lines (loads across two ran at half the speed).
    let head = region.as_ptr().align_offset(CHUNK).min(region.len());
    let (head, region) = region.split_at(head);
    let (steps, rest) = region.as_chunks::<STEP>();
    let (chunks, tail) = rest.as_chunks::<CHUNK>();
    // From the end back to `start`, each piece's positions from the last: the bytes read last
    // are then the first ones, which the reader of the input (a decoder) takes next, and those
    // read first the last ones, the input's most recently read bytes when it was read front to
    // back before (as a parse from the start of the message did), so more of both scans hit
    // the cache when the input is about as large as it. The positions are put in order after.
    let base = out.len();
    let mut at = start + head.len() + steps.len() * STEP;
    if !tail.is_empty() {
        starts(at + chunks.len() * CHUNK, &[padded(tail)], tail.len(), out);
    }
    if !chunks.is_empty() {
        starts(at, chunks, chunks.len() * CHUNK, out);
    }
    for step in steps.iter().rev() {
        at -= STEP;
        if any_dash(step) {
            starts(at, step.as_chunks::<CHUNK>().0, STEP, out);
        }
    }
    if !head.is_empty() {
        starts(start, &[padded(head)], head.len(), out);
    }
    if let Some(found) = out.get_mut(base..) {
        found.reverse();
    }
}

/// `bytes` (at most a chunk) and zeros after them, which are neither `-` nor `\n`.
fn padded(bytes: &[u8]) -> [u8; CHUNK] {
    let mut chunk = [0u8; CHUNK];
    if let Some(to) = chunk.get_mut(..bytes.len()) {
        to.copy_from_slice(bytes);
    }
    chunk
}

/// The `starts` of [`scan_with`] with `masks` for the `-` and `\n` masks of a chunk.
#[inline(always)]
fn chunk_starts(
    input: &[u8],
    start: usize,
    at: usize,
    chunks: &[[u8; CHUNK]],
    len: usize,
    out: &mut Vec<usize>,
    masks: impl Fn(&[u8; CHUNK]) -> (u64, u64),
) {
    for (k, chunk) in chunks.iter().enumerate().rev() {
        let (dash, newline) = masks(chunk);
        if dash != 0 {
            let len = len.saturating_sub(k * CHUNK).min(CHUNK);
            push_starts(input, start, at + k * CHUNK, len, dash, newline, out);
        }
    }
}

/// Appends the line starts with `--` of the `len` bytes at `at` (a chunk or less) whose `-`
/// and `\n` masks are `dash` and `newline` (no bits from `len` on): bit `i` where byte
/// `at + i` is `-`, byte `at + i + 1` is `-` (for the last bit, the byte after the chunk; none
/// past the end of `input`), and byte `at + i - 1` is `\n` (for bit 0, the byte before the
/// chunk, or `at` is `start`).
#[inline(always)]
fn push_starts(
    input: &[u8],
    start: usize,
    at: usize,
    len: usize,
    dash: u64,
    newline: u64,
    out: &mut Vec<usize>,
) {
    let line_before = at == start || at.checked_sub(1).and_then(|p| input.get(p)) == Some(&b'\n');
    let dash_after = input.get(at + len) == Some(&b'-');
    let last = len.saturating_sub(1) % CHUNK;
    let mut found = (newline << 1 | u64::from(line_before))
        & dash
        & (dash >> 1 | u64::from(dash_after) << last);
    // The last first (see `scan_with`).
    while found != 0 {
        let i = CHUNK - 1 - found.leading_zeros() as usize;
        out.push(at + i);
        found &= !(1 << i);
    }
}

#[cfg(target_arch = "x86_64")]
mod avx512 {
    use core::arch::x86_64::{__m512i, _mm512_cmpeq_epi8_mask, _mm512_set1_epi8};

    use super::{chunk_starts, scan_with, CHUNK, STEP};

    /// The scan with AVX-512 BW, if the CPU has it (`None`: take another path).
    pub(super) fn scan(input: &[u8], start: usize, out: &mut Vec<usize>) -> Option<()> {
        if !(std::is_x86_feature_detected!("avx512f") && std::is_x86_feature_detected!("avx512bw"))
        {
            return None;
        }
        #[allow(unsafe_code)]
        // SAFETY: `run` needs AVX-512 F and BW, its target features, and the CPU has them
        // (checked above).
        unsafe {
            run(input, start, out);
        }
        Some(())
    }

    #[target_feature(enable = "avx512f,avx512bw")]
    fn run(input: &[u8], start: usize, out: &mut Vec<usize>) {
        scan_with(
            input,
            start,
            out,
            |step| any_dash(step),
            |at, chunks, len, out| starts(input, start, at, chunks, len, out),
        );
    }

    /// Whether the four chunks of `step` hold a `-`.
    #[target_feature(enable = "avx512f,avx512bw")]
    #[inline]
    fn any_dash(step: &[u8; STEP]) -> bool {
        let [a, b, c, d] = bytemuck::cast::<[u8; STEP], [__m512i; 4]>(*step);
        let dash = |v| _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(b'-' as i8));
        dash(a) | dash(b) | dash(c) | dash(d) != 0
    }

    #[target_feature(enable = "avx512f,avx512bw")]
    #[inline(never)]
    fn starts(
        input: &[u8],
        start: usize,
        at: usize,
        chunks: &[[u8; CHUNK]],
        len: usize,
        out: &mut Vec<usize>,
    ) {
        chunk_starts(input, start, at, chunks, len, out, |chunk| {
            let v = bytemuck::cast::<[u8; CHUNK], __m512i>(*chunk);
            (
                _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(b'-' as i8)),
                _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(b'\n' as i8)),
            )
        });
    }
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use core::arch::x86_64::{
        __m256i, _mm256_cmpeq_epi8, _mm256_movemask_epi8, _mm256_or_si256, _mm256_set1_epi8,
        _mm256_testz_si256,
    };

    use super::{chunk_starts, scan_with, CHUNK, STEP};

    /// The scan with AVX2, if the CPU has it (`None`: take another path).
    pub(super) fn scan(input: &[u8], start: usize, out: &mut Vec<usize>) -> Option<()> {
        if !std::is_x86_feature_detected!("avx2") {
            return None;
        }
        #[allow(unsafe_code)]
        // SAFETY: `run` needs AVX2, its one target feature, and the CPU has it (checked above).
        unsafe {
            run(input, start, out);
        }
        Some(())
    }

    #[target_feature(enable = "avx2")]
    fn run(input: &[u8], start: usize, out: &mut Vec<usize>) {
        scan_with(
            input,
            start,
            out,
            |step| any_dash(step),
            |at, chunks, len, out| starts(input, start, at, chunks, len, out),
        );
    }

    /// Whether the eight 32-byte blocks of `step` hold a `-`.
    #[target_feature(enable = "avx2")]
    #[inline]
    fn any_dash(step: &[u8; STEP]) -> bool {
        let [a, b, c, d, e, f, g, h] = bytemuck::cast::<[u8; STEP], [__m256i; 8]>(*step);
        let dash = |v| _mm256_cmpeq_epi8(v, _mm256_set1_epi8(b'-' as i8));
        let any = _mm256_or_si256(
            _mm256_or_si256(
                _mm256_or_si256(dash(a), dash(b)),
                _mm256_or_si256(dash(c), dash(d)),
            ),
            _mm256_or_si256(
                _mm256_or_si256(dash(e), dash(f)),
                _mm256_or_si256(dash(g), dash(h)),
            ),
        );
        _mm256_testz_si256(any, any) == 0
    }

    #[target_feature(enable = "avx2")]
    #[inline(never)]
    fn starts(
        input: &[u8],
        start: usize,
        at: usize,
        chunks: &[[u8; CHUNK]],
        len: usize,
        out: &mut Vec<usize>,
    ) {
        // The mask of 32 bytes `v` equal to `byte`: bit `i` for byte `i`.
        let mask = |v: __m256i, byte: u8| {
            let eq = _mm256_cmpeq_epi8(v, _mm256_set1_epi8(byte as i8));
            u64::from(_mm256_movemask_epi8(eq).cast_unsigned())
        };
        chunk_starts(input, start, at, chunks, len, out, |chunk| {
            let [low, high] = bytemuck::cast::<[u8; CHUNK], [__m256i; 2]>(*chunk);
            (
                mask(low, b'-') | mask(high, b'-') << 32,
                mask(low, b'\n') | mask(high, b'\n') << 32,
            )
        });
    }
}

#[cfg(test)]
mod tests;

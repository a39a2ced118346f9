//! Line ends in header blocks: the first LF of a line (and whether the line before it holds a
//! CR of its own), 16 bytes at a time with SSE2 on x86-64 (every x86-64 CPU has it: no
//! run-time check), byte by byte elsewhere.
//! Header lines are short (20 to 80 bytes): a line's scan has no set-up to pay for, unlike
//! `memchr`'s, which takes over past [`SHORT_LINE`] bytes.

/// How far the line scans read a line in blocks before they call `memchr` (a header line is
/// nearly always shorter; callgrind on header blocks: 96 beat 32 and 64, 128 was no better).
pub const SHORT_LINE: usize = 96;

/// The offset of the first LF in `bytes`: `memchr::memchr(b'\n', bytes)`.
///
/// ```
/// assert_eq!(mail_simd::find_lf(b"Subject: hi\r\n\tthere\r\n"), Some(12));
/// assert_eq!(mail_simd::find_lf(b"no line end"), None);
/// ```
#[inline]
pub fn find_lf(bytes: &[u8]) -> Option<usize> {
    let head = bytes.get(..SHORT_LINE).unwrap_or(bytes);
    let (blocks, tail) = head.as_chunks::<16>();
    let mut at = 0;
    for block in blocks {
        let lf = block_mask(block, b'\n');
        if lf != 0 {
            return Some(at + lf.trailing_zeros() as usize);
        }
        at += 16;
    }
    if let Some(p) = tail.iter().position(|&c| c == b'\n') {
        return Some(at + p);
    }
    let at = head.len();
    memchr::memchr(b'\n', bytes.get(at..).unwrap_or_default()).map(|p| at + p)
}

/// The offset of the first CR or LF in `bytes`: `memchr::memchr2(b'\r', b'\n', bytes)`, for
/// the line breaks of a folded header value (a few dozen bytes apart).
///
/// ```
/// assert_eq!(mail_simd::find_break(b"a, b,\r\n c"), Some(5));
/// assert_eq!(mail_simd::find_break(b"one line"), None);
/// ```
#[inline]
pub fn find_break(bytes: &[u8]) -> Option<usize> {
    let head = bytes.get(..SHORT_LINE).unwrap_or(bytes);
    let (blocks, tail) = head.as_chunks::<16>();
    let mut at = 0;
    for block in blocks {
        let breaks = block_mask(block, b'\n') | block_mask(block, b'\r');
        if breaks != 0 {
            return Some(at + breaks.trailing_zeros() as usize);
        }
        at += 16;
    }
    if let Some(p) = tail.iter().position(|&c| c == b'\n' || c == b'\r') {
        return Some(at + p);
    }
    let at = head.len();
    memchr::memchr2(b'\r', b'\n', bytes.get(at..).unwrap_or_default()).map(|p| at + p)
}

/// The offset of the first LF in `bytes` (as [`find_lf`]), and whether the bytes before it hold
/// no CR other than one right before the LF: then the line, its CR LF or LF removed, holds no
/// CR and no LF. `false` when there is no LF.
///
/// The first CR or LF is found in one pass: in a CRLF line it is the CR, and the LF is the next
/// byte. A line with a CR of its own is read on from there by [`find_lf`].
///
/// ```
/// assert_eq!(mail_simd::find_line_end(b"To: a@b.example\r\n"), (Some(16), true));
/// assert_eq!(mail_simd::find_line_end(b"To: a\rb\r\n"), (Some(8), false));
/// assert_eq!(mail_simd::find_line_end(b"To: a"), (None, false));
/// ```
#[inline]
pub fn find_line_end(bytes: &[u8]) -> (Option<usize>, bool) {
    let head = bytes.get(..SHORT_LINE).unwrap_or(bytes);
    let (blocks, tail) = head.as_chunks::<16>();
    let mut at = 0;
    let first_break = 'found: {
        for block in blocks {
            let breaks = block_mask(block, b'\n') | block_mask(block, b'\r');
            if breaks != 0 {
                break 'found at + breaks.trailing_zeros() as usize;
            }
            at += 16;
        }
        if let Some(p) = tail.iter().position(|&c| c == b'\n' || c == b'\r') {
            break 'found at + p;
        }
        let at = head.len();
        match memchr::memchr2(b'\r', b'\n', bytes.get(at..).unwrap_or_default()) {
            Some(p) => at + p,
            None => return (None, false),
        }
    };
    line_end_from(bytes, first_break)
}

/// A header field's first line, as [`field_line`] finds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldLine {
    /// The length of the run of name bytes the line starts with ([`name_end`]).
    pub name_end: usize,
    /// The end of the line's content: its CR LF or LF excluded.
    pub content_end: usize,
    /// The offset of the LF that ends the line.
    pub lf: usize,
    /// Whether the content holds no CR and no LF (as [`find_line_end`] says).
    pub clean: bool,
}

/// [`find_line_end`] and [`name_end`] of a line in one pass over its first 16 bytes (the
/// name, nearly always, and the start of the value), or `None` when `bytes` holds no LF.
///
/// ```
/// use mail_simd::{field_line, FieldLine};
/// let line = field_line(b"Subject: hi\r\nTo: x\r\n").unwrap();
/// assert_eq!(line, FieldLine { name_end: 7, content_end: 11, lf: 12, clean: true });
/// assert_eq!(field_line(b"To: a"), None);
/// ```
#[inline]
pub fn field_line(bytes: &[u8]) -> Option<FieldLine> {
    let Some(block) = bytes.first_chunk::<16>() else {
        return field_line_short(bytes);
    };
    let (breaks, name) = block_masks(block);
    let name_end = if name != 0xffff {
        (!name).trailing_zeros() as usize
    } else {
        16 + name_end_words(bytes.get(16..).unwrap_or_default())
    };
    let first_break = if breaks != 0 {
        breaks.trailing_zeros() as usize
    } else {
        16 + find_break(bytes.get(16..).unwrap_or_default())?
    };
    let (lf, clean) = line_end_from(bytes, first_break);
    let lf = lf?;
    // A clean line's first break is its CR LF's CR or its LF.
    let content_end = if clean {
        first_break
    } else if lf > 0 && bytes.get(lf - 1) == Some(&b'\r') {
        lf - 1
    } else {
        lf
    };
    Some(FieldLine {
        name_end,
        content_end,
        lf,
        clean,
    })
}

/// [`field_line`] of input under 16 bytes.
fn field_line_short(bytes: &[u8]) -> Option<FieldLine> {
    let (lf, clean) = find_line_end(bytes);
    let lf = lf?;
    let content_end = if lf > 0 && bytes.get(lf - 1) == Some(&b'\r') {
        lf - 1
    } else {
        lf
    };
    Some(FieldLine {
        name_end: name_end(bytes),
        content_end,
        lf,
        clean,
    })
}

/// [`find_line_end`]'s result for the first CR or LF of `bytes` at `first_break`.
#[inline]
fn line_end_from(bytes: &[u8], first_break: usize) -> (Option<usize>, bool) {
    match (bytes.get(first_break), bytes.get(first_break + 1)) {
        (Some(b'\n'), _) => (Some(first_break), true),
        (Some(b'\r'), Some(b'\n')) => (Some(first_break + 1), true),
        _ => {
            let from = first_break + 1;
            let lf = find_lf(bytes.get(from..).unwrap_or_default()).map(|p| from + p);
            (lf, false)
        }
    }
}

/// Bit `i` of the first mask set when `block[i]` is a CR or an LF, of the second when it is a
/// name byte ([`is_name_byte`]).
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline]
#[allow(unsafe_code)]
fn block_masks(block: &[u8; 16]) -> (u32, u32) {
    use std::arch::x86_64::{
        __m128i, _mm_andnot_si128, _mm_cmpeq_epi8, _mm_cmpgt_epi8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8,
    };
    let v: __m128i = bytemuck::cast(*block);
    // SAFETY: as in `block_mask`: SSE2 is compiled in, the intrinsics touch no memory.
    let (breaks, name) = unsafe {
        let cr = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\r' as i8));
        let lf = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\n' as i8));
        // Signed: the bytes 33 to 127 are above 32, the 8-bit ones are negative.
        let printable = _mm_cmpgt_epi8(v, _mm_set1_epi8(32));
        let del = _mm_cmpeq_epi8(v, _mm_set1_epi8(127));
        let colon = _mm_cmpeq_epi8(v, _mm_set1_epi8(b':' as i8));
        (
            _mm_movemask_epi8(_mm_or_si128(cr, lf)),
            _mm_movemask_epi8(_mm_andnot_si128(_mm_or_si128(del, colon), printable)),
        )
    };
    // 16 bits each, one a byte.
    (breaks as u32, name as u32)
}

/// [`block_masks`] without SSE2.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline]
fn block_masks(block: &[u8; 16]) -> (u32, u32) {
    (
        scalar_block_mask(block, b'\r') | scalar_block_mask(block, b'\n'),
        scalar_name_mask(block),
    )
}

/// The length of the run of field-name bytes (printable ASCII but `:`, 33 to 126) at the
/// start of `line`: a name ends at its colon, or at white space before it (obsolete), or at
/// a byte no name has. A line of 16 bytes or more (most: the name and its value) has its
/// first 16 bytes tested at once (SSE2 on x86-64), which holds nearly every name; the rest, and
/// shorter lines, 8 bytes at a time in a register.
///
/// ```
/// assert_eq!(mail_simd::name_end(b"Content-Type: text/plain"), 12);
/// assert_eq!(mail_simd::name_end(b"Subject : x"), 7);
/// assert_eq!(mail_simd::name_end(b"To"), 2);
/// ```
#[inline]
pub fn name_end(line: &[u8]) -> usize {
    if let Some(block) = line.first_chunk::<16>() {
        let name = name_mask(block);
        if name != 0xffff {
            return (!name).trailing_zeros() as usize;
        }
        return 16 + name_end_words(line.get(16..).unwrap_or_default());
    }
    name_end_words(line)
}

/// [`name_end`] 8 bytes at a time: the end is the lowest flagged byte of the first word that
/// holds one; the last bytes under a word byte by byte.
fn name_end_words(line: &[u8]) -> usize {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    let (words, tail) = line.as_chunks::<8>();
    let mut k = 0;
    for word in words {
        let w = u64::from_le_bytes(*word);
        // A byte below 33, one above 126 (or not ASCII), a colon: any of them ends the run.
        // Each test may flag more than the byte that set it off, but only above a byte it
        // flags rightly (a borrow or carry runs upwards): the lowest flag is the end.
        let below = w.wrapping_sub(ONES * 33) & !w;
        let above = w.wrapping_add(ONES) | w;
        let colon = w ^ (ONES * u64::from(b':'));
        let colon = colon.wrapping_sub(ONES) & !colon;
        let end = (below | above | colon) & HIGH;
        if end != 0 {
            return k + (end.trailing_zeros() / 8) as usize;
        }
        k += 8;
    }
    k + tail
        .iter()
        .position(|&c| !is_name_byte(c))
        .unwrap_or(tail.len())
}

/// A byte of a field name: printable ASCII (33 to 126) but `:`.
fn is_name_byte(c: u8) -> bool {
    (33..=126).contains(&c) && c != b':'
}

/// Bit `i` set when `block[i]` is a name byte ([`is_name_byte`]).
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline]
#[allow(unsafe_code)]
fn name_mask(block: &[u8; 16]) -> u32 {
    use std::arch::x86_64::{
        __m128i, _mm_andnot_si128, _mm_cmpeq_epi8, _mm_cmpgt_epi8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8,
    };
    let v: __m128i = bytemuck::cast(*block);
    // SAFETY: as in `block_mask`: SSE2 is compiled in, the intrinsics touch no memory.
    let name = unsafe {
        // Signed: the bytes 33 to 127 are above 32, the 8-bit ones are negative.
        let printable = _mm_cmpgt_epi8(v, _mm_set1_epi8(32));
        let del = _mm_cmpeq_epi8(v, _mm_set1_epi8(127));
        let colon = _mm_cmpeq_epi8(v, _mm_set1_epi8(b':' as i8));
        _mm_movemask_epi8(_mm_andnot_si128(_mm_or_si128(del, colon), printable))
    };
    // 16 bits, one a byte.
    name as u32
}

/// [`name_mask`] without SSE2.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline]
fn name_mask(block: &[u8; 16]) -> u32 {
    scalar_name_mask(block)
}

/// [`name_mask`]'s portable form (tested against the SSE2 one on x86-64).
#[cfg_attr(all(target_arch = "x86_64", target_feature = "sse2"), allow(dead_code))]
fn scalar_name_mask(block: &[u8; 16]) -> u32 {
    block
        .iter()
        .enumerate()
        .fold(0, |m, (i, &c)| m | u32::from(is_name_byte(c)) << i)
}

/// Bit `i` set when `block[i] == byte`: SSE2's byte compare and mask.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline]
#[allow(unsafe_code)]
fn block_mask(block: &[u8; 16], byte: u8) -> u32 {
    use std::arch::x86_64::{__m128i, _mm_cmpeq_epi8, _mm_movemask_epi8, _mm_set1_epi8};
    let v: __m128i = bytemuck::cast(*block);
    // SAFETY: the three intrinsics need SSE2, which this code is compiled with (the cfg above;
    // every x86-64 target has it), so every CPU that runs it has it. They read and write no
    // memory: the load is the safe cast above.
    let mask = unsafe { _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(byte as i8))) };
    // 16 bits, one a byte (the sign bits of the compare's bytes).
    mask as u32
}

/// Bit `i` set when `block[i] == byte`, without SSE2.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline]
fn block_mask(block: &[u8; 16], byte: u8) -> u32 {
    scalar_block_mask(block, byte)
}

/// [`block_mask`]'s portable form (tested against the SSE2 one on x86-64).
#[cfg_attr(all(target_arch = "x86_64", target_feature = "sse2"), allow(dead_code))]
fn scalar_block_mask(block: &[u8; 16], byte: u8) -> u32 {
    block
        .iter()
        .enumerate()
        .fold(0, |m, (i, &c)| m | u32::from(c == byte) << i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn plain_lf(v: &[u8]) -> Option<usize> {
        v.iter().position(|&c| c == b'\n')
    }

    fn plain_break(v: &[u8]) -> Option<usize> {
        v.iter().position(|&c| c == b'\n' || c == b'\r')
    }

    /// Whether the line before the first LF, its CR LF removed, has no CR (and there is an LF).
    fn plain_clean(v: &[u8]) -> bool {
        plain_lf(v).is_some_and(|lf| {
            let line = &v[..lf];
            !line.strip_suffix(b"\r").unwrap_or(line).contains(&b'\r')
        })
    }

    #[test]
    fn block_masks_equal_the_portable_form() {
        for byte in [b'\n', b'\r', 0x00, 0x8a, 0xff] {
            for at in 0..16 {
                for other in [b'a', byte, byte ^ 0x80, 0x0a, 0x0d] {
                    let mut block = [b'x'; 16];
                    block[at] = byte;
                    block[(at + 5) % 16] = other;
                    assert_eq!(block_mask(&block, byte), scalar_block_mask(&block, byte));
                }
            }
        }
    }

    #[test]
    fn every_break_at_every_place() {
        // A CR, an LF, CR LF, NUL and 8-bit bytes at every place of lines of 0 to 130 bytes
        // (the blocks, the tail under a block, memchr past SHORT_LINE) ending in CR LF, LF,
        // a bare CR, CR CR LF or nothing, on backgrounds near them.
        for len in 0..=130 {
            for end in [&b"\r\n"[..], b"\n", b"\r", b"", b"\r\r\n"] {
                for background in [b'a', 0x0b, 0x8d, 0x8a, 0xff] {
                    let mut v = vec![background; len];
                    v.extend_from_slice(end);
                    v.extend_from_slice(b"next\r\n");
                    for at in (0..len).chain([usize::MAX]) {
                        for c in [b'\r', b'\n', 0x00, 0x80, b'\t'] {
                            let mut w = v.clone();
                            if let Some(b) = w.get_mut(at) {
                                *b = c;
                            }
                            assert_eq!(find_lf(&w), plain_lf(&w), "{w:?}");
                            assert_eq!(find_break(&w), plain_break(&w), "{w:?}");
                            let found = find_line_end(&w);
                            assert_eq!(found, (plain_lf(&w), plain_clean(&w)), "{w:?}");
                        }
                    }
                }
            }
        }
    }

    fn plain_name_end(line: &[u8]) -> usize {
        line.iter()
            .position(|&c| c == b':' || !(33..=126).contains(&c))
            .unwrap_or(line.len())
    }

    #[test]
    fn name_masks_equal_the_portable_form() {
        for c in 0..=255u8 {
            for at in 0..16 {
                let mut block = [b'x'; 16];
                block[at] = c;
                block[(at + 7) % 16] = c ^ 0x80;
                assert_eq!(name_mask(&block), scalar_name_mask(&block), "{block:?}");
            }
        }
    }

    #[test]
    fn name_end_matches_a_plain_scan() {
        // Every byte value at every place of names of 0 to 40 bytes, in lines of every length
        // around them (the block, the words after it, the tail, short lines).
        let mut line: Vec<u8> = b"Content-Transfer-Encoding-X-Extra-Long-Name: value".to_vec();
        for at in 0..42 {
            for c in 0..=255u8 {
                let keep = line[at];
                line[at] = c;
                for len in [at + 1, at + 2, 15, 16, 17, 24, 31, 32, 33, line.len()] {
                    let l = &line[..len.min(line.len())];
                    assert_eq!(name_end(l), plain_name_end(l), "{l:?}");
                }
                line[at] = keep;
            }
        }
    }

    fn plain_field_line(v: &[u8]) -> Option<FieldLine> {
        let lf = plain_lf(v)?;
        let line = &v[..lf];
        let content = line.strip_suffix(b"\r").unwrap_or(line);
        Some(FieldLine {
            name_end: plain_name_end(v),
            content_end: content.len(),
            lf,
            clean: plain_clean(v),
        })
    }

    #[test]
    fn both_masks_equal_the_portable_forms() {
        for c in 0..=255u8 {
            for at in 0..16 {
                let mut block = [b'x'; 16];
                block[at] = c;
                block[(at + 7) % 16] = c ^ 0x80;
                let (breaks, name) = block_masks(&block);
                assert_eq!(
                    breaks,
                    scalar_block_mask(&block, b'\r') | scalar_block_mask(&block, b'\n')
                );
                assert_eq!(name, scalar_name_mask(&block), "{block:?}");
            }
        }
    }

    #[test]
    fn field_lines_at_every_length() {
        // Names of 0 to 40 bytes ending in each byte value (a colon, white space, control
        // bytes, DEL, 8-bit), then values of several lengths and each line end: the name's
        // end and the line's end in the first block or later, past SHORT_LINE, input under
        // 16 bytes, a CR or LF inside the name.
        for name_len in 0..=40 {
            for c in 0..=255u8 {
                for (value, end) in [
                    (&b" v"[..], &b"\r\n"[..]),
                    (b" a longer value here", b"\n"),
                    (b" bare\rcr", b"\r\n"),
                    (b"", b"\r"),
                    (b" x", b""),
                    (&[b'y'; 100][..], b"\r\n"),
                ] {
                    let mut v = vec![b'N'; name_len];
                    v.push(c);
                    v.extend_from_slice(value);
                    v.extend_from_slice(end);
                    for tail in [&b""[..], b"Next: x\r\n"] {
                        let mut w = v.clone();
                        w.extend_from_slice(tail);
                        assert_eq!(field_line(&w), plain_field_line(&w), "{w:?}");
                    }
                }
            }
        }
    }

    proptest! {
        #[test]
        fn equal_a_plain_scan(
            v in proptest::collection::vec(
                prop_oneof![Just(b'\r'), Just(b'\n'), Just(b'a'), any::<u8>()], 0..300)
        ) {
            prop_assert_eq!(find_lf(&v), plain_lf(&v));
            prop_assert_eq!(find_break(&v), plain_break(&v));
            prop_assert_eq!(name_end(&v), plain_name_end(&v));
            prop_assert_eq!(field_line(&v), plain_field_line(&v));
            prop_assert_eq!(find_line_end(&v), (plain_lf(&v), plain_clean(&v)));
        }
    }
}

//! Content-Transfer-Encoding decoders: base64 (tolerant), quoted-printable, uuencode.

use mail_simd::{BASE64_INVALID as INVALID, BASE64_VALUE as B64};

/// Decodes base64 as mail readers do: bytes outside the alphabet (line breaks, spaces, stray
/// characters) are skipped, padding may be missing, and decoding stops at the first `=`.
/// Appends to `out` and returns false if anything had to be skipped or a final group was
/// incomplete (the decodable bytes are still appended).
///
/// ```
/// let mut out = Vec::new();
/// assert!(mail_message::decode::base64_decode_into(b"aGVs\r\nbG8=", &mut out));
/// assert_eq!(out, b"hello");
/// out.clear();
/// mail_message::decode::base64_decode_into(b"aGVsbG8", &mut out); // no padding
/// assert_eq!(out, b"hello");
/// ```
pub fn base64_decode_into(input: &[u8], out: &mut Vec<u8>) -> bool {
    // Most bodies are lines of one length (76 characters, say) and a short last line. The runs
    // of such lines go through `mail_simd`'s kernel, which reads the lines in place (a second
    // run if the line length changes); it takes whole groups ending at a line end, with no
    // padding and nothing outside the alphabet, so the rest decodes on its own to what the
    // whole would. The rest (the last line, and anything the kernel does not take) goes
    // through a SIMD decoder over gathered lines, and what that refuses (stray bytes, white
    // space inside lines, data after the padding) through the tolerant scalar decoder.
    // Room for all of it up front: the decoders after the kernel then find it already there
    // (each reserving for its part grew the vector, a copy of what the kernel wrote).
    out.reserve(input.len() / 4 * 3 + 8);
    let mut rest = input;
    // Short input (an encoded word, a body of one short line) goes straight to the scalar
    // decoder, with no look for a line break first.
    while rest.len() >= 64 {
        // Line breaks and blanks the decoder would skip anyway (an empty line before the
        // data or between two runs of lines) are stepped over, so the next run starts on data.
        let blank = rest
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n' | b' ' | b'\t'))
            .count();
        rest = rest.get(blank..).unwrap_or_default();
        let used = mail_simd::decode_base64_lines(rest, out);
        if used == 0 {
            break;
        }
        rest = rest.get(used..).unwrap_or_default();
    }
    if rest.len() >= 64 && base64_lines_simd(rest, out) {
        return true;
    }
    base64_decode_scalar(rest, out)
}

/// Bytes of base64 gathered (line breaks out) before each SIMD call: small enough to stay in
/// the L1 cache with the 12 KB it decodes to, large enough that the calls (and the scalar tail
/// of each) cost nothing.
const BASE64_CHUNK: usize = 16 * 1024;

/// Base64 lines gathered without their line breaks into a buffer of at most [`BASE64_CHUNK`]
/// bytes, each full buffer decoded by the SIMD decoder straight onto the end of the output.
/// The buffer is filled by appending the first time round (nothing is zeroed: a zeroed 16 KB
/// buffer cost startrek.eml 67K of its 366K instructions, callgrind) and, once a full buffer
/// has been decoded, by copying lines into the slots it already has: a line is then a copy of
/// known length and a line-end check, with no capacity check (callgrind, 2 MB attachment: 33 ->
/// 20 instructions per 76-character line).
struct Gather {
    /// `buf.len()` is the part already written once (the slots), at most `cap`.
    buf: Vec<u8>,
    /// How much of `buf` is gathered data (at most `buf.len()`).
    len: usize,
    /// The size of a full buffer: at least 64 bytes, so that it always holds a whole group of
    /// 4 to decode, and no more than the input or [`BASE64_CHUNK`].
    cap: usize,
}

impl Gather {
    fn new(input_len: usize) -> Self {
        let cap = input_len.clamp(64, BASE64_CHUNK);
        Self {
            buf: Vec::with_capacity(cap),
            len: 0,
            cap,
        }
    }

    /// Appends `data`; a full buffer is decoded when more data comes (so that only the last
    /// call sees the end of the data). False if the decoder refused a buffer.
    fn push(&mut self, mut data: &[u8], out: &mut Vec<u8>) -> bool {
        while !data.is_empty() {
            if self.len >= self.cap && !self.flush(out) {
                return false;
            }
            let n = self.cap.saturating_sub(self.len).min(data.len());
            let (head, tail) = data.split_at(n);
            // Into the slots first, then appended past them.
            let in_slots = self.buf.len().saturating_sub(self.len).min(n);
            let (to_slots, to_append) = head.split_at(in_slots);
            if let Some(dst) = self.buf.get_mut(self.len..self.len + in_slots) {
                dst.copy_from_slice(to_slots);
            }
            self.buf.extend_from_slice(to_append);
            self.len += n;
            data = tail;
        }
        true
    }
    /// Decodes the whole groups of 4 gathered so far and keeps the rest; false if the decoder
    /// refused them or they end in padding (which only the last call may have).
    fn flush(&mut self, out: &mut Vec<u8>) -> bool {
        let whole = self.len / 4 * 4;
        let Some(data) = self.buf.get(..whole) else {
            return false;
        };
        if data.last() == Some(&b'=') || base64_simd::STANDARD.decode_append(data, out).is_err() {
            return false;
        }
        self.buf.copy_within(whole..self.len, 0);
        self.len -= whole;
        true
    }

    /// Decodes what is left, the end of the data: padding is allowed, or may be missing.
    fn finish(&self, out: &mut Vec<u8>) -> bool {
        let Some(data) = self.buf.get(..self.len) else {
            return false;
        };
        let engine = if data.len() % 4 == 0 {
            &base64_simd::STANDARD
        } else {
            &base64_simd::STANDARD_NO_PAD
        };
        engine.decode_append(data, out).is_ok()
    }

    /// Copies lines of exactly `W` characters, each followed by CRLF (`EOL` 2) or LF (`EOL`
    /// 1), from the front of `rest` until another line comes or the buffer is full, and returns
    /// what follows them. The lines are taken as [`Gather::push`] would take them; the last line
    /// (no line break after it) is always left to the caller.
    #[inline(always)]
    fn regular_lines<'a, const W: usize, const EOL: usize>(&mut self, rest: &'a [u8]) -> &'a [u8] {
        // The line end as one number: one compare instead of one per byte.
        let want = if EOL == 2 { 0x0a0d } else { 0x0a };
        let eol_ok =
            |eol: &[u8]| eol.iter().rev().fold(0u16, |a, &b| a << 8 | u16::from(b)) == want;
        let mut taken = 0;
        if let Some(free) = self.buf.get_mut(self.len..) {
            for (dst, line) in free.chunks_exact_mut(W).zip(rest.chunks_exact(W + EOL)) {
                let (data, eol) = line.split_at(W);
                if !eol_ok(eol) {
                    break;
                }
                dst.copy_from_slice(data);
                taken += 1;
            }
        }
        self.len += taken * W;
        let mut rest = rest.get(taken * (W + EOL)..).unwrap_or_default();
        // The first time round there are no slots yet: the lines are appended.
        if self.len == self.buf.len() {
            let room = self.cap.saturating_sub(self.len) / W;
            let mut appended = 0;
            for line in rest.chunks_exact(W + EOL).take(room) {
                let (data, eol) = line.split_at(W);
                if !eol_ok(eol) {
                    break;
                }
                self.buf.extend_from_slice(data);
                appended += 1;
            }
            self.len += appended * W;
            rest = rest.get(appended * (W + EOL)..).unwrap_or_default();
        }
        rest
    }
}

/// Base64 in lines through the SIMD decoder: lines are gathered without their line breaks into
/// a small buffer, and each full buffer (a multiple of 4) is decoded straight onto the end of
/// `out`, so the data is read once and written once. Returns false, with `out` as it was, when
/// the decoder refuses the data (stray bytes, white space inside a line, padding before the
/// end), which the tolerant decoder then reads. The result is the decoding of all lines joined:
/// groups of 4 never straddle two calls, and a call before the last that ends in padding counts
/// as refused.
fn base64_lines_simd(input: &[u8], out: &mut Vec<u8>) -> bool {
    let base = out.len();
    out.reserve(input.len() / 4 * 3 + 3);
    let mut gather = Gather::new(input.len());
    let mut rest = input;
    let ok = loop {
        // Lines of base64 are all the same length but the last: after a line of a common
        // length, the lines that follow are most likely the same, and a loop made for that
        // length takes the run of them checking only the line ends.
        let Some(p) = memchr::memchr(b'\n', rest) else {
            break gather.push(rest, out) && gather.finish(out);
        };
        let (line, after) = rest.split_at(p);
        let data = line.strip_suffix(b"\r").unwrap_or(line);
        if !gather.push(data, out) {
            break false;
        }
        rest = after.get(1..).unwrap_or_default();
        let crlf = data.len() < line.len();
        rest = match (data.len(), crlf) {
            (76, true) => gather.regular_lines::<76, 2>(rest),
            (76, false) => gather.regular_lines::<76, 1>(rest),
            (72, true) => gather.regular_lines::<72, 2>(rest),
            (72, false) => gather.regular_lines::<72, 1>(rest),
            (64, true) => gather.regular_lines::<64, 2>(rest),
            (64, false) => gather.regular_lines::<64, 1>(rest),
            _ => rest,
        };
    };
    if !ok {
        out.truncate(base);
    }
    ok
}

fn base64_decode_scalar(input: &[u8], out: &mut Vec<u8>) -> bool {
    let base = out.len();
    // Room for everything; truncated to what was written at the end.
    out.resize(base + input.len() / 4 * 3 + 3, 0);
    let mut o = base;
    let mut clean = true;
    let mut acc: u32 = 0;
    let mut n = 0u32;
    let mut i = 0;
    while i < input.len() {
        // Fast path: whole groups of alphabet bytes, eight at a time, then four.
        if n == 0 {
            while let (Some(chunk), Some(dst)) = (input.get(i..i + 8), out.get_mut(o..o + 6)) {
                let v: [u8; 8] = std::array::from_fn(|k| B64[usize::from(chunk[k])]);
                if v.iter().fold(0, |a, &b| a | b) >= 64 {
                    break;
                }
                let w = v.iter().fold(0u64, |a, &b| a << 6 | u64::from(b));
                dst.copy_from_slice(&w.to_be_bytes()[2..]);
                i += 8;
                o += 6;
            }
            if let (Some(chunk), Some(dst)) = (input.get(i..i + 4), out.get_mut(o..o + 3)) {
                let v: [u8; 4] = std::array::from_fn(|k| B64[usize::from(chunk[k])]);
                if v.iter().fold(0, |a, &b| a | b) < 64 {
                    let w = v.iter().fold(0u32, |a, &b| a << 6 | u32::from(b));
                    dst.copy_from_slice(&w.to_be_bytes()[1..]);
                    i += 4;
                    o += 3;
                    continue;
                }
            }
        }
        let Some(&byte) = input.get(i) else {
            break;
        };
        i += 1;
        let v = B64[usize::from(byte)];
        if v == INVALID {
            match byte {
                b'=' => break,
                b'\r' | b'\n' | b' ' | b'\t' => {}
                _ => clean = false,
            }
            continue;
        }
        acc = acc << 6 | u32::from(v);
        n += 1;
        if n == 4 {
            if let Some(dst) = out.get_mut(o..o + 3) {
                dst.copy_from_slice(&acc.to_be_bytes()[1..]);
            }
            o += 3;
            acc = 0;
            n = 0;
        }
    }
    let tail: &[u8] = match n {
        0 => &[],
        1 => {
            clean = false;
            &[]
        }
        2 => &[(acc >> 4) as u8],
        _ => &[(acc >> 10) as u8, (acc >> 2) as u8],
    };
    if let Some(dst) = out.get_mut(o..o + tail.len()) {
        dst.copy_from_slice(tail);
        o += tail.len();
    }
    out.truncate(o);
    clean
}

/// Decodes quoted-printable (RFC 2045 6.7): `=XX` escapes, `=` at a line end is a soft break,
/// white space at a line end is dropped. An `=` not followed by two hex digits is kept as is
/// (rule 1 of the robustness advice in 6.7) and makes the result false.
///
/// ```
/// let mut out = Vec::new();
/// mail_message::decode::quoted_printable_decode_into(b"caf=C3=A9 =\r\nau lait  \r\n", &mut out);
/// assert_eq!(out, "café au lait\r\n".as_bytes());
/// ```
pub fn quoted_printable_decode_into(input: &[u8], out: &mut Vec<u8>) -> bool {
    out.reserve(input.len());
    quoted_printable_decode(input, out).unwrap_or(false)
}

/// Quoted-printable text decoded straight into a `String` (what [`quoted_printable_decode_into`]
/// gives, as text), for `Part::text`: the output is then not checked as UTF-8 a second time
/// (callgrind, nested-200: the check cost 80K of the 300K of `text()`). The runs of plain
/// bytes are slices of `input`, already text; the bytes of a run of `=XX` escapes are checked
/// alone, as UTF-8 or, with `ascii_only` (a charset other than UTF-8, for input the caller has
/// checked is ASCII), as ASCII. `None` when a
/// run of escapes is not that (a character cut by a soft line break, bytes of another charset):
/// the caller then decodes the bytes and their charset the general way.
pub(crate) fn quoted_printable_decode_str(
    input: &str,
    ascii_only: bool,
    out: &mut String,
) -> Option<bool> {
    out.reserve(input.len());
    let mut sink = StrSink {
        out,
        input,
        code: 0,
        needed: 0,
        min: 0,
        failed: false,
        ascii_only,
    };
    quoted_printable_decode(input.as_bytes(), &mut sink)
}

/// Where the quoted-printable decoder writes: bytes, or text (which may refuse).
trait QpSink {
    /// `input[from..to]`, a run of plain bytes.
    fn run(&mut self, input: &[u8], from: usize, to: usize) -> Option<()>;
    /// One ASCII byte (a line break, a kept `=`).
    fn ascii(&mut self, byte: u8);
    /// The byte of one `=XX` escape.
    fn escaped(&mut self, byte: u8);
    /// The end of a run of escapes.
    fn end_escapes(&mut self) -> Option<()>;
}

impl QpSink for Vec<u8> {
    #[inline(always)]
    fn run(&mut self, input: &[u8], from: usize, to: usize) -> Option<()> {
        self.extend_from_slice(input.get(from..to)?);
        Some(())
    }
    #[inline(always)]
    fn ascii(&mut self, byte: u8) {
        self.push(byte);
    }
    #[inline(always)]
    fn escaped(&mut self, byte: u8) {
        self.push(byte);
    }
    #[inline(always)]
    fn end_escapes(&mut self) -> Option<()> {
        Some(())
    }
}

struct StrSink<'o, 'i> {
    out: &'o mut String,
    /// The same bytes as the decoder's input, as text.
    input: &'i str,
    /// The character being read from a run of escapes (UTF-8 read byte by byte: no buffer),
    /// its bits so far, how many continuation bytes it still needs, and its smallest value
    /// (a longer form than needed is not UTF-8).
    code: u32,
    needed: u8,
    min: u32,
    /// Set when the escapes were not text (as UTF-8, or as ASCII with `ascii_only`).
    failed: bool,
    ascii_only: bool,
}

impl QpSink for StrSink<'_, '_> {
    #[inline(always)]
    fn run(&mut self, _: &[u8], from: usize, to: usize) -> Option<()> {
        // The decoder cuts runs only at ASCII bytes: always character boundaries.
        self.out.push_str(self.input.get(from..to)?);
        Some(())
    }
    #[inline(always)]
    fn ascii(&mut self, byte: u8) {
        self.out.push(char::from(byte));
    }
    #[inline(always)]
    fn escaped(&mut self, byte: u8) {
        // A continuation byte first: most escapes are the bytes of characters outside ASCII
        // (no continuation is expected with `ascii_only`, which refuses every lead byte).
        if self.needed > 0 {
            if byte & 0xc0 != 0x80 {
                self.failed = true;
                return;
            }
            self.code = self.code << 6 | u32::from(byte & 0x3f);
            self.needed -= 1;
            if self.needed == 0 {
                match char::from_u32(self.code) {
                    Some(c) if self.code >= self.min => self.out.push(c),
                    _ => self.failed = true,
                }
            }
            return;
        }
        if byte < 0x80 {
            self.out.push(char::from(byte));
            return;
        }
        if self.ascii_only {
            self.failed = true;
            return;
        }
        (self.code, self.needed, self.min) = match byte {
            0xc2..=0xdf => (u32::from(byte & 0x1f), 1, 0x80),
            0xe0..=0xef => (u32::from(byte & 0x0f), 2, 0x800),
            0xf0..=0xf4 => (u32::from(byte & 0x07), 3, 0x1_0000),
            _ => {
                self.failed = true;
                return;
            }
        };
    }
    #[inline(always)]
    fn end_escapes(&mut self) -> Option<()> {
        // A character cut at the end of the run (by a soft line break, say) is refused too.
        (!self.failed && self.needed == 0).then_some(())
    }
}

/// The quoted-printable decoder of [`quoted_printable_decode_into`], writing to `out`; `None`
/// if `out` refused something.
#[inline(always)]
fn quoted_printable_decode(input: &[u8], out: &mut impl QpSink) -> Option<bool> {
    let mut clean = true;
    let mut i = 0;
    while i < input.len() {
        // Copy a run of plain bytes.
        let run_end = next_special(input, i);
        if run_end > i {
            let run = &input[i..run_end];
            if run_end < input.len() && input[run_end] != b'=' {
                // Trailing white space before a line break is dropped.
                let trimmed = run.len()
                    - run
                        .iter()
                        .rev()
                        .take_while(|&&c| c == b' ' || c == b'\t')
                        .count();
                out.run(input, i, i + trimmed)?;
            } else {
                out.run(input, i, run_end)?;
            }
            i = run_end;
            if i >= input.len() {
                break;
            }
        }
        match input[i] {
            b'=' => {
                let rest = &input[i + 1..];
                if let Some(byte) = hex_pair(rest) {
                    out.escaped(byte);
                    i += 3;
                    // Escapes come in runs (every byte of a non-ASCII character): take the
                    // run here rather than with one `memchr3` call each.
                    while input.get(i) == Some(&b'=') {
                        let Some(byte) = input.get(i + 1..).and_then(hex_pair) else {
                            break;
                        };
                        out.escaped(byte);
                        i += 3;
                    }
                    out.end_escapes()?;
                    continue;
                }
                // Soft line break: '=' then optional white space then CRLF or LF (or the end).
                let ws = rest
                    .iter()
                    .take_while(|&&c| c == b' ' || c == b'\t')
                    .count();
                let after = &rest[ws..];
                if after.starts_with(b"\r\n") {
                    i += 1 + ws + 2;
                } else if after.starts_with(b"\n") {
                    i += 1 + ws + 1;
                } else if after.is_empty() {
                    i = input.len();
                } else {
                    clean = false;
                    out.ascii(b'=');
                    i += 1;
                }
            }
            b'\r' if input.get(i + 1) == Some(&b'\n') => {
                out.ascii(b'\r');
                out.ascii(b'\n');
                i += 2;
            }
            c => {
                // A line break: ASCII.
                out.ascii(c);
                i += 1;
            }
        }
    }
    Some(clean)
}

/// How many bytes of a run [`next_special`] reads in words before it hands the rest to
/// `memchr3`: runs in quoted-printable text are mostly a few words long (between escapes),
/// where `memchr3`'s set-up costs more than the scan; a long run (a line of plain text) goes
/// to `memchr3` after this many bytes.
const QP_WORD_SCAN: usize = 16;

/// The first `=`, CR or LF at or after `from`, or `input.len()`. The first [`QP_WORD_SCAN`]
/// bytes are read 8 at a time in a register (callgrind, nested-200: a `memchr3` call cost ~70
/// instructions for a run of ~20 bytes), the rest by `memchr3`.
#[inline(always)]
pub(crate) fn next_special(input: &[u8], from: usize) -> usize {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    let mut k = from;
    while let Some(chunk) = input.get(k..k + 8) {
        let Ok(bytes) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let w = u64::from_le_bytes(bytes);
        // The high bit of each byte below 0x0E (CR and LF among them) and of each `=`, and
        // maybe of bytes above one of those (a borrow): the lowest bit set is always the
        // first such byte. A control byte that is neither CR nor LF (a tab) is stepped over.
        let eq = w ^ (ONES * u64::from(b'='));
        let mut found = (w.wrapping_sub(ONES * 0x0e) & !w | eq.wrapping_sub(ONES) & !eq) & HIGH;
        while found != 0 {
            let at = k + (found.trailing_zeros() / 8) as usize;
            if matches!(input.get(at), Some(b'=' | b'\r' | b'\n')) {
                return at;
            }
            // Not one of the three: so below 0x0E, and any borrow it made is its own bit.
            found &= found - 1;
            if found != 0 {
                // Bits above a stepped-over byte may be borrows: look at that byte alone.
                return next_special_bytes(input, at + 1);
            }
        }
        k += 8;
        if k - from >= QP_WORD_SCAN {
            let tail = input.get(k..).unwrap_or_default();
            return memchr::memchr3(b'=', b'\n', b'\r', tail).map_or(input.len(), |p| k + p);
        }
    }
    next_special_bytes(input, k)
}

/// [`next_special`] a byte at a time (the tail of fewer than 8 bytes, after a tab).
fn next_special_bytes(input: &[u8], from: usize) -> usize {
    let tail = input.get(from..).unwrap_or_default();
    memchr::memchr3(b'=', b'\n', b'\r', tail).map_or(input.len(), |p| from + p)
}

/// The value of each hex digit (both cases), [`NOT_HEX`] for every other byte.
pub(crate) static HEX: [u8; 256] = {
    let mut t = [NOT_HEX; 256];
    let mut c = 0;
    while c < 10 {
        t[b'0' as usize + c] = c as u8;
        c += 1;
    }
    let mut c = 0;
    while c < 6 {
        t[b'A' as usize + c] = 10 + c as u8;
        t[b'a' as usize + c] = 10 + c as u8;
        c += 1;
    }
    t
};

/// [`HEX`] of a byte that is no hex digit: above 15, so that `high | low` tells both apart.
const NOT_HEX: u8 = 0x10;

/// The byte of two hex digits at the start of `s` (`C3` in `=C3`), if they are there.
#[inline(always)]
fn hex_pair(s: &[u8]) -> Option<u8> {
    let (&h, &l) = (s.first()?, s.get(1)?);
    let (h, l) = (HEX[usize::from(h)], HEX[usize::from(l)]);
    ((h | l) < 16).then_some(h << 4 | l)
}

/// Decodes the first uuencoded file in `input` (`begin mode name` ... `end`); lines before
/// `begin` are skipped. Returns false if there was no `begin` line or a line was malformed.
///
/// ```
/// let mut out = Vec::new();
/// let data = b"begin 644 cat.txt\n#0V%T\n`\nend\n";
/// assert!(mail_message::decode::uudecode_into(data, &mut out));
/// assert_eq!(out, b"Cat");
/// ```
pub fn uudecode_into(input: &[u8], out: &mut Vec<u8>) -> bool {
    fn split_lines(input: &[u8]) -> impl Iterator<Item = &[u8]> {
        input
            .split(|&c| c == b'\n')
            .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
    }
    let began = split_lines(input).any(|l| l.starts_with(b"begin "));
    let mut lines = split_lines(input);
    if began {
        // Skip up to and including the begin line.
        for line in lines.by_ref() {
            if line.starts_with(b"begin ") {
                break;
            }
        }
    }
    let mut clean = began;
    for line in lines {
        if line == b"end" {
            return clean;
        }
        let Some((&len_char, data)) = line.split_first() else {
            continue;
        };
        let len = usize::from(len_char.wrapping_sub(b' ') & 0x3f);
        if len == 0 {
            continue;
        }
        let mut produced = 0;
        for chunk in data.chunks(4) {
            let v = |k: usize| u32::from(chunk.get(k).map_or(0, |&c| c.wrapping_sub(b' ') & 0x3f));
            let w = v(0) << 18 | v(1) << 12 | v(2) << 6 | v(3);
            for byte in [(w >> 16) as u8, (w >> 8) as u8, w as u8] {
                if produced < len {
                    out.push(byte);
                    produced += 1;
                }
            }
        }
        if produced < len {
            clean = false;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_simd_lines_read_as_the_tolerant_decoder() {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut seed = 0x9e37_79b9u32;
        let mut next = |n: u32| crate::test_rng::below(&mut seed, n);
        let (mut simd, mut refused) = (0, 0);
        for round in 0..200 {
            // Sizes around the chunk size too, so data crosses from one SIMD call to the next.
            let chars = match round % 4 {
                0 => next(300) as usize,
                1 => BASE64_CHUNK - 200 + next(400) as usize,
                _ => next(3 * BASE64_CHUNK as u32) as usize,
            };
            let line_len = [76, 72, 64, 75, 4, 4 * BASE64_CHUNK][next(6) as usize];
            let crlf = next(2) == 0;
            let mut input = Vec::new();
            for i in 0..chars {
                if i > 0 && i % line_len == 0 {
                    input.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
                }
                input.push(ALPHABET[next(64) as usize]);
            }
            match next(8) {
                0 => input.extend_from_slice(b"=="),
                1 => input.push(b'='),
                2 if !input.is_empty() => {
                    let at = next(input.len() as u32) as usize;
                    input.insert(at, [b'=', b' ', b'!', b'\n'][next(4) as usize]);
                }
                3 => input.extend_from_slice(b"\r\n\r\n"),
                _ => {}
            }
            let mut want = Vec::new();
            let want_ok = base64_decode_scalar(&input, &mut want);
            let mut got = b"prefix".to_vec();
            if base64_lines_simd(&input, &mut got) {
                simd += 1;
                assert!(want_ok, "{round}");
                assert_eq!(&got[6..], &want[..], "{round}");
            } else {
                refused += 1;
                assert_eq!(got, b"prefix", "{round}");
            }
            let mut all = Vec::new();
            assert_eq!(base64_decode_into(&input, &mut all), want_ok, "{round}");
            assert_eq!(all, want, "{round}");
        }
        assert!(simd > 40 && refused > 20, "{simd} {refused}");
    }

    /// Base64 text in runs of lines (each run one length, CRLF or LF), with an optional end
    /// and an optional stray byte: the shapes the line loops and the chunking meet.
    fn lines_input(
        runs: &[(usize, usize, bool)],
        seed: u32,
        end: &[u8],
        stray: Option<(proptest::sample::Index, u8)>,
    ) -> Vec<u8> {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut seed = seed | 1;
        let mut input = Vec::new();
        for &(len, count, crlf) in runs {
            let count = if len > 1000 { count.min(2) } else { count };
            for _ in 0..count {
                for _ in 0..len {
                    seed ^= seed << 13;
                    seed ^= seed >> 17;
                    seed ^= seed << 5;
                    input.push(ALPHABET[(seed % 64) as usize]);
                }
                input.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
            }
        }
        input.extend_from_slice(end);
        if let Some((at, byte)) = stray {
            input.insert(at.index(input.len() + 1), byte);
        }
        input
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        /// The SIMD path (line loops, chunks, the lazy flush) gives what the tolerant decoder
        /// gives, or refuses and leaves the output as it was.
        #[test]
        fn base64_simd_path_equals_the_tolerant_decoder(
            runs in proptest::collection::vec(
                (
                    proptest::prop_oneof![
                        proptest::strategy::Just(76usize),
                        proptest::strategy::Just(72),
                        proptest::strategy::Just(64),
                        1usize..100,
                        proptest::strategy::Just(BASE64_CHUNK + 3),
                    ],
                    1usize..300,
                    proptest::bool::ANY,
                ),
                1..5,
            ),
            seed in proptest::num::u32::ANY,
            end in proptest::sample::select(vec![&b""[..], b"QQ", b"QQ=", b"QQ==", b"QUI=", b"Q", b"\r\n\r\n"]),
            stray in proptest::option::of((
                proptest::arbitrary::any::<proptest::sample::Index>(),
                proptest::sample::select(vec![b'=', b' ', b'!', b'\r', b'\n', b'\t', b'A']),
            )),
        ) {
            let input = lines_input(&runs, seed, end, stray);
            let mut want = b"prefix".to_vec();
            let want_ok = base64_decode_scalar(&input, &mut want);
            let mut got = b"prefix".to_vec();
            if base64_lines_simd(&input, &mut got) {
                proptest::prop_assert!(want_ok);
                proptest::prop_assert_eq!(&got, &want);
            } else {
                proptest::prop_assert_eq!(&got, b"prefix");
            }
            let mut all = b"prefix".to_vec();
            proptest::prop_assert_eq!(base64_decode_into(&input, &mut all), want_ok);
            proptest::prop_assert_eq!(all, want);
        }
    }

    /// `base64_decode_into` runs mail-simd's line kernel first: bodies it takes in full but the
    /// last line, bodies where it stops early (a space in a line, a change of line length, a
    /// line of 75), and bodies it does not take at all; the result is always the tolerant
    /// decoder's.
    #[test]
    fn base64_line_kernel_then_the_rest() {
        let line = |n: usize, k: usize| -> Vec<u8> {
            (0..n)
                .map(|i| {
                    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
                        [(i * 11 + k) % 64]
                })
                .collect()
        };
        let body = |widths: &[usize], eol: &[u8], end: &[u8]| -> Vec<u8> {
            let mut v = Vec::new();
            for (k, &w) in widths.iter().enumerate() {
                v.extend_from_slice(&line(w, k));
                v.extend_from_slice(eol);
            }
            v.extend_from_slice(end);
            v
        };
        let blank_lines = |mut v: Vec<u8>| {
            v.splice(3 * 78..3 * 78, *b"\r\n\r\n\t");
            v.splice(0..0, *b"\r\n \r\n");
            v
        };
        let cases: [(Vec<u8>, usize); 8] = [
            // (body, how much of it the kernel takes on its first call)
            (body(&[76; 30], b"\r\n", b"QUI="), 30 * 78),
            (body(&[72; 9], b"\n", b"QUJD\n"), 9 * 73),
            (body(&[64; 5], b"\r\n", b""), 5 * 66),
            (body(&[76, 76, 76, 64, 64, 64], b"\r\n", b"QQ=="), 3 * 78),
            (body(&[75; 6], b"\r\n", b"QQ=="), 0),
            (
                body(&[76; 4], b"\r\n", b" QUI=\r\n").replace_at(2 * 78 + 10, b' '),
                2 * 78,
            ),
            (
                body(&[76; 4], b"\r\n", b"").replace_at(3 * 78 + 75, b'='),
                3 * 78,
            ),
            // Blank lines before the data and between two runs: base64_decode_into steps
            // over them (the kernel alone takes nothing).
            (blank_lines(body(&[76; 6], b"\r\n", b"QUI=")), 0),
        ];
        for (i, (input, taken)) in cases.iter().enumerate() {
            let mut kernel = Vec::new();
            assert_eq!(
                mail_simd::decode_base64_lines(input, &mut kernel),
                *taken,
                "{i}"
            );
            let mut want = b"prefix".to_vec();
            let want_ok = base64_decode_scalar(input, &mut want);
            let mut got = b"prefix".to_vec();
            assert_eq!(base64_decode_into(input, &mut got), want_ok, "{i}");
            assert_eq!(got, want, "{i}");
            assert_eq!(want[6..].get(..kernel.len()), Some(&kernel[..]), "{i}");
        }
    }

    trait ReplaceAt {
        fn replace_at(self, at: usize, byte: u8) -> Self;
    }

    impl ReplaceAt for Vec<u8> {
        fn replace_at(mut self, at: usize, byte: u8) -> Self {
            self[at] = byte;
            self
        }
    }

    #[test]
    fn base64_regular_line_runs_and_the_lines_that_break_them() {
        let line = |n: usize, k: usize| -> Vec<u8> {
            (0..n)
                .map(|i| {
                    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
                        [(i * 7 + k) % 64]
                })
                .collect()
        };
        let mut input = Vec::new();
        // A run of 76-character CRLF lines (longer than one chunk), a short line that ends the
        // run, a run of 72-character LF lines, a 76-character line followed by CR CR LF (the
        // fast loop stops, the general step takes it), and a last line without a break.
        for k in 0..150 {
            input.extend_from_slice(&line(76, k));
            input.extend_from_slice(b"\r\n");
        }
        input.extend_from_slice(&line(60, 1));
        input.extend_from_slice(b"\r\n");
        for k in 0..150 {
            input.extend_from_slice(&line(72, k));
            input.push(b'\n');
        }
        let mut want = Vec::new();
        assert!(base64_decode_scalar(&input, &mut want));
        let mut got = Vec::new();
        assert!(base64_lines_simd(&input, &mut got));
        assert_eq!(got, want);

        input.extend_from_slice(&line(76, 3));
        input.extend_from_slice(b"\r\r\n");
        input.extend_from_slice(&line(40, 2));
        let mut want = Vec::new();
        assert!(base64_decode_scalar(&input, &mut want));
        let mut got = Vec::new();
        assert!(base64_decode_into(&input, &mut got));
        assert_eq!(got, want);
    }

    #[test]
    fn base64_gather_appends_first_then_reuses_its_slots_within_the_chunk() {
        // 76-character CRLF lines, 3.5 chunks of them: the first chunk is appended (no zeroed
        // buffer), the next ones copied into its slots, and the buffer never grows past a chunk.
        let lines = BASE64_CHUNK * 7 / 2 / 76;
        let mut input = Vec::new();
        for k in 0..lines {
            input.extend((0..76).map(|i| {
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
                    [(i * 5 + k) % 64]
            }));
            input.extend_from_slice(b"\r\n");
        }
        let mut gather = Gather::new(input.len());
        let mut got = Vec::new();
        let mut rest = &input[..];
        let mut pushes = 0;
        while let Some(p) = memchr::memchr(b'\n', rest) {
            assert!(gather.push(&rest[..p - 1], &mut got));
            rest = gather.regular_lines::<76, 2>(&rest[p + 1..]);
            assert!(gather.buf.len() <= BASE64_CHUNK && gather.len <= gather.buf.len());
            pushes += 1;
        }
        assert!(gather.finish(&mut got));
        assert!(
            gather.buf.capacity() <= BASE64_CHUNK,
            "{}",
            gather.buf.capacity()
        );
        assert!(pushes > 3, "{pushes}");
        let mut want = Vec::new();
        assert!(base64_decode_scalar(&input, &mut want));
        assert_eq!(got, want);
        // A body smaller than a chunk gets a buffer of its own size.
        let small = Gather::new(100);
        assert_eq!((small.cap, small.buf.capacity()), (100, 100));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]

        /// Quoted-printable decoded straight to text gives the bytes decoded then read as
        /// UTF-8 (or ASCII), or refuses; it refuses only what is not that text, or when a soft
        /// line break cuts a run of escapes.
        #[test]
        fn quoted_printable_to_text_equals_bytes_then_utf8(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "plain", " ", "\t", "\r\n", "\n", "\r", "=", "=3D", "=41", "=C3=BC",
                    "=C3", "=BC", "=E2=82=AC", "=F0=9F=98=80", "=FF", "=e9", "é", "€", "=\r\n",
                    "= \n", "=Z", "=4",
                ]),
                0..40,
            ),
            ascii_only in proptest::bool::ANY,
        ) {
            let input: String = pieces.concat();
            // With `ascii_only` the caller has checked that the input is ASCII.
            let ascii_only = ascii_only && input.is_ascii();
            let mut bytes = Vec::new();
            let clean = quoted_printable_decode_into(input.as_bytes(), &mut bytes);
            let mut text = String::from("prefix");
            let got = quoted_printable_decode_str(&input, ascii_only, &mut text);
            let readable = std::str::from_utf8(&bytes).ok().filter(|t| !ascii_only || t.is_ascii());
            if let Some(got_clean) = got {
                proptest::prop_assert_eq!(got_clean, clean);
                proptest::prop_assert_eq!(Some(&text[6..]), readable);
            } else {
                let soft_break = pieces.iter().any(|p| p.starts_with("=\r") || p.starts_with("= ") || *p == "=");
                proptest::prop_assert!(readable.is_none() || soft_break, "{:?}", input);
            }
        }
    }

    /// Quoted-printable a byte at a time, as RFC 2045 6.7 and the decoder's rules say: the
    /// reference for the decoder's word scan and its run handling.
    fn quoted_printable_reference(input: &[u8]) -> (Vec<u8>, bool) {
        let mut out = Vec::new();
        let mut clean = true;
        let mut i = 0;
        let hex = |c: u8| char::from(c).to_digit(16);
        while i < input.len() {
            match input[i] {
                b'=' => {
                    let pair = input
                        .get(i + 1..i + 3)
                        .and_then(|p| Some((hex(p[0])?, hex(p[1])?)));
                    if let Some((h, l)) = pair {
                        out.push((h * 16 + l) as u8);
                        i += 3;
                        continue;
                    }
                    let mut k = i + 1;
                    while matches!(input.get(k), Some(b' ' | b'\t')) {
                        k += 1;
                    }
                    match input.get(k) {
                        None => i = input.len(),
                        Some(b'\n') => i = k + 1,
                        Some(b'\r') if input.get(k + 1) == Some(&b'\n') => i = k + 2,
                        _ => {
                            clean = false;
                            out.push(b'=');
                            i += 1;
                        }
                    }
                }
                b' ' | b'\t' => {
                    // White space before a line break is dropped, at the end it is kept.
                    let mut k = i;
                    while matches!(input.get(k), Some(b' ' | b'\t')) {
                        k += 1;
                    }
                    if !matches!(input.get(k), Some(b'\r' | b'\n')) {
                        out.extend_from_slice(&input[i..k]);
                    }
                    i = k;
                }
                c => {
                    out.push(c);
                    i += 1;
                }
            }
        }
        (out, clean)
    }

    /// The word scan finds what a plain search finds, for every place of each byte it looks
    /// for (and of bytes near them) in runs of every length, on backgrounds of text and of
    /// control bytes (tabs are stepped over).
    #[test]
    fn next_special_is_a_plain_search() {
        let plain = |input: &[u8], from: usize| {
            input[from..]
                .iter()
                .position(|&c| matches!(c, b'=' | b'\r' | b'\n'))
                .map_or(input.len(), |p| from + p)
        };
        for background in [b'a', b'\t', 0x0b, 0x0e, b'<', b'>', 0x8d, 0xbd, 0x00] {
            for len in 0..(QP_WORD_SCAN + 20) {
                for special in [
                    b'=', b'\r', b'\n', b'\t', 0x0c, 0x0e, b'<', 0x3c, 0xbd, 0x8a,
                ] {
                    for at in 0..len {
                        let mut input = vec![background; len];
                        input[at] = special;
                        // A second byte after the first, where a borrow could show one.
                        if at + 1 < len {
                            input[at + 1] = b'=';
                        }
                        for from in [0, at.saturating_sub(1), at] {
                            assert_eq!(
                                next_special(&input, from),
                                plain(&input, from),
                                "{input:?} from {from}"
                            );
                        }
                    }
                }
            }
        }
        assert_eq!(next_special(b"", 0), 0);
        assert_eq!(next_special(b"abc", 3), 3);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]

        /// The decoder (word scan, runs, escape runs) gives what the byte-at-a-time reference
        /// gives, on pieces that make short and long runs.
        #[test]
        fn quoted_printable_equals_the_reference(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "plain text ", "a run of plain text longer than the word scan, ", " ",
                    "\t", "\r\n", "\n", "\r", "=", "=3D", "=41", "=C3=BC", "=c3", "=\r\n",
                    "= \n", "=\t\r\n", "=Z", "=4", "\x0b", "\x00", "<", ">",
                ]),
                0..60,
            ),
        ) {
            let input: String = pieces.concat();
            let mut got = Vec::new();
            let clean = quoted_printable_decode_into(input.as_bytes(), &mut got);
            let (want, want_clean) = quoted_printable_reference(input.as_bytes());
            proptest::prop_assert_eq!(got, want);
            proptest::prop_assert_eq!(clean, want_clean);
        }
    }

    #[test]
    fn quoted_printable_to_text_fast_and_refused() {
        let text = |s: &str, ascii_only: bool| {
            let mut out = String::new();
            quoted_printable_decode_str(s, ascii_only, &mut out).map(|clean| (out, clean))
        };
        assert_eq!(
            text("Gr=C3=BC=C3=9Fe  \r\n", false),
            Some(("Grüße\r\n".into(), true))
        );
        // A long run of escapes; overlong forms, surrogates, stray continuation bytes.
        assert_eq!(text("=C0=80", false), None);
        assert_eq!(text("=E0=80=80", false), None);
        assert_eq!(text("=ED=A0=80", false), None);
        assert_eq!(text("=F4=90=80=80", false), None);
        assert_eq!(text("=80", false), None);
        assert_eq!(text("=F0=9F=98=80", false), Some(("😀".into(), true)));
        let long = format!("a{}", "=E2=82=AC".repeat(30));
        assert_eq!(
            text(&long, false),
            Some((format!("a{}", "€".repeat(30)), true))
        );
        assert_eq!(text("a=3Db=Z", true), Some(("a=b=Z".into(), false)));
        assert_eq!(text("caf=C3=A9", true), None);
        assert_eq!(text("caf=E9", false), None);
        assert_eq!(text("=C3=\r\n=BC", false), None);
        assert_eq!(text(&"=FF".repeat(40), false), None);
    }

    #[test]
    fn quoted_printable_escape_runs() {
        // A run of escapes taken in one go, one broken inside it, one cut at the end.
        assert_eq!(qp("Gr=C3=BC=C3=9Fe").0, "Grüße".as_bytes());
        assert_eq!(qp("=C3=BC=ZZ=41"), (b"\xc3\xbc=ZZA".to_vec(), false));
        assert_eq!(qp("=41=4"), (b"A=4".to_vec(), false));
        assert_eq!(qp("=41=\r\nB").0, b"AB");
        assert_eq!(qp("=41=42 \r\n").0, b"AB\r\n");
    }

    fn b64(s: &str) -> (Vec<u8>, bool) {
        let mut v = Vec::new();
        let ok = base64_decode_into(s.as_bytes(), &mut v);
        (v, ok)
    }

    #[test]
    fn base64_table() {
        assert_eq!(b64("").0, b"");
        assert_eq!(b64("Zg==").0, b"f");
        assert_eq!(b64("Zm8=").0, b"fo");
        assert_eq!(b64("Zm9v").0, b"foo");
        assert_eq!(b64("Zm9vYg").0, b"foob");
        assert_eq!(b64("Zm9v\r\nYmFy\r\n").0, b"foobar");
        assert_eq!(b64(" Z m 9 v ").0, b"foo");
        assert_eq!(b64("Zm9v!YmFy"), (b"foobar".to_vec(), false));
        assert_eq!(b64("Zm9vY"), (b"foo".to_vec(), false));
        assert_eq!(b64("Zm8=garbage").0, b"fo");
    }

    fn qp(s: &str) -> (Vec<u8>, bool) {
        let mut v = Vec::new();
        let ok = quoted_printable_decode_into(s.as_bytes(), &mut v);
        (v, ok)
    }

    #[test]
    fn quoted_printable_table() {
        assert_eq!(qp("a=3Db").0, b"a=b");
        assert_eq!(qp("a=3db").0, b"a=b");
        assert_eq!(qp("soft=\nbreak").0, b"softbreak");
        assert_eq!(qp("soft=  \r\nbreak").0, b"softbreak");
        assert_eq!(qp("trail   \nx").0, b"trail\nx");
        assert_eq!(qp("trail \t\r\nx").0, b"trail\r\nx");
        assert_eq!(qp("end="), (b"end".to_vec(), true));
        assert_eq!(qp("bad=ZZ"), (b"bad=ZZ".to_vec(), false));
        assert_eq!(qp("keep trailing at end  ").0, b"keep trailing at end  ");
        assert_eq!(qp("lone\rcr").0, b"lone\rcr");
    }

    #[test]
    fn uuencode_lines() {
        let mut out = Vec::new();
        let data = b"junk\nbegin 644 x\nM5&AE(&-A=\"!S870@;VX@=&AE(&UA=\"X@5&AE(&-A=\"!S870@;VX@=&AE(&UA\n#=\"X*\n`\nend\n";
        assert!(uudecode_into(data, &mut out));
        assert_eq!(out, b"The cat sat on the mat. The cat sat on the mat.\n");
    }
}

//! Dot-stuffing of multi-line bodies (SMTP `DATA`, POP3 `RETR`/`TOP` and multi-line replies).
//!
//! On the wire a body ends with a line holding a single dot, and a line of the body that starts
//! with a dot gets one more (RFC 5321 4.5.2, RFC 1939 3).
//!
//! - [`DotDecoder`] streams the body out of the wire bytes, removes the stuffed dots and stops only
//!   at `CRLF . CRLF`. `LF.LF`, `LF.CRLF`, `CR.CR`, `CRLF.LF` and every other mix are body content
//!   (or, under [`LineEnding::Reject`], a policy error), never the end: that is what keeps SMTP
//!   smuggling out. The body starts at a line start (the CRLF of `DATA` or of `+OK`).
//! - [`DotEncoder`] streams a body onto the wire: line ends normalised to CRLF, a dot added after
//!   every line start (after CR or LF, not only CRLF), the terminator appended at the end.
//!
//! ```
//! use mail_wire::dot::{dot_stuff, DotDecoder};
//! use mail_wire::{LineEnding, Status};
//!
//! let wire = dot_stuff(b"Hi\n.hidden\n");
//! assert_eq!(wire, b"Hi\r\n..hidden\r\n.\r\n");
//!
//! let mut body = Vec::new();
//! let mut decoder = DotDecoder::new(LineEnding::Reject);
//! let mut input = wire.clone();
//! input.extend_from_slice(b"QUIT\r\n"); // pipelined after the body
//! let status = decoder.decode(&input, &mut body);
//! assert_eq!(status, Status::Complete(Ok(()), wire.len()));
//! assert_eq!(body, b"Hi\r\n.hidden\r\n");
//! ```

use std::sync::OnceLock;

use crate::{LineEnding, Status};

const CR: u8 = b'\r';
const LF: u8 = b'\n';

/// A body broke the line-ending policy. The decoder still found the end of the body; what it
/// passed on before the error is all the body it passed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DotError {
    /// A LF without CR before it.
    #[error("bare LF at byte {offset} of the body (lines must end in CRLF)")]
    BareLf {
        /// Where the LF is, counted from the first byte of the body on the wire.
        offset: u64,
    },
    /// A CR without LF after it.
    #[error("bare CR at byte {offset} of the body (lines must end in CRLF)")]
    BareCr {
        /// Where the CR is, counted from the first byte of the body on the wire.
        offset: u64,
    },
}

/// Where the decoder is, in terms of the raw bytes it has seen but not decided on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Inside a line; nothing pending.
    Text,
    /// After CRLF (or at the start of the body); nothing pending.
    LineStart,
    /// After a CR that is not passed on yet.
    Cr,
    /// After a dot at a line start that is not passed on yet.
    Dot,
    /// After `.` `CR` at a line start, neither passed on yet.
    DotCr,
}

/// Streams a dot-stuffed body out of wire bytes.
///
/// Feed it the bytes after the `354` (SMTP) or the `+OK` line (POP3) in any split; it passes the
/// unstuffed body to a sink and answers [`Status::Complete`] with how many of the last input
/// bytes belonged to the body once it has seen `CRLF . CRLF`. The bytes after that are the next
/// command or reply. Under [`LineEnding::Reject`] (the default) a bare CR or LF makes the result
/// an error; the decoder stops passing on body bytes but still finds the end, so the session can
/// answer and go on. Under `Normalize` bare CR and LF become CRLF; under `Allow` they pass as
/// they are. Only a CRLF starts a line for unstuffing and for the end, whatever the policy.
///
/// It finds the line ends with one vectorised search (memchr2), checks that each is a CRLF and
/// looks at the byte after it for a dot, so it runs near the speed of a copy, and a sink that writes the borrowed pieces copies nothing at all.
#[derive(Debug, Clone)]
pub struct DotDecoder {
    policy: LineEnding,
    state: State,
    /// Body bytes on the wire before the current input.
    offset: u64,
    error: Option<DotError>,
    done: bool,
}

impl DotDecoder {
    /// A decoder at the start of a body.
    pub fn new(policy: LineEnding) -> Self {
        Self {
            policy,
            state: State::LineStart,
            offset: 0,
            error: None,
            done: false,
        }
    }

    /// Starts over for the next body, with the same policy.
    pub fn reset(&mut self) {
        *self = Self::new(self.policy);
    }

    /// The line-ending policy.
    pub fn policy(&self) -> LineEnding {
        self.policy
    }

    /// The first policy error seen so far, before the end arrives.
    pub fn error(&self) -> Option<DotError> {
        self.error
    }

    /// How many wire bytes of the body the decoder has consumed so far.
    pub fn wire_len(&self) -> u64 {
        self.offset
    }

    /// Whether the end of the body has been seen.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Decodes `input` and appends the body bytes to `out`.
    pub fn decode(&mut self, input: &[u8], out: &mut Vec<u8>) -> Status<Result<(), DotError>> {
        self.decode_with(input, |piece| out.extend_from_slice(piece))
    }

    /// Decodes `input`, handing the body to `sink` in pieces (most borrowed from `input`).
    ///
    /// `Incomplete` means every input byte was used and the body goes on. `Complete(result, n)`
    /// means the body ended after `n` bytes of this input; once done, the decoder answers
    /// `Complete(_, 0)` until [`DotDecoder::reset`].
    pub fn decode_with(
        &mut self,
        input: &[u8],
        mut sink: impl FnMut(&[u8]),
    ) -> Status<Result<(), DotError>> {
        if self.done {
            return Status::Complete(self.error.map_or(Ok(()), Err), 0);
        }
        let len = input.len();
        let mut i = 0;
        // Bytes in `run..i` are body bytes passed on as they are, not yet handed to the sink.
        let mut run = 0;
        let dense = dense_lines(input);
        while i < len {
            let plain = match self.state {
                State::Text => true,
                State::LineStart => input.get(i) != Some(&b'.'),
                _ => false,
            };
            if plain {
                let check = self.policy != LineEnding::Allow && self.error.is_none();
                let (end, state) = scan_plain(input, i, self.state, check, dense);
                i = end;
                self.state = state;
                if i == len {
                    break;
                }
            }
            if let Some(n) = self.step(input, &mut i, &mut run, &mut sink) {
                return self.finish(n);
            }
        }
        self.flush(input, run, i, &mut sink);
        self.offset += len as u64;
        Status::Incomplete
    }

    fn finish(&mut self, consumed: usize) -> Status<Result<(), DotError>> {
        self.offset += consumed as u64;
        self.done = true;
        Status::Complete(self.error.map_or(Ok(()), Err), consumed)
    }

    fn flush(&self, input: &[u8], run: usize, i: usize, sink: &mut impl FnMut(&[u8])) {
        if run < i && self.error.is_none() {
            if let Some(piece) = input.get(run..i) {
                sink(piece);
            }
        }
    }

    fn emit(&self, bytes: &[u8], sink: &mut impl FnMut(&[u8])) {
        if self.error.is_none() {
            sink(bytes);
        }
    }

    fn bare(&mut self, cr: bool, offset: u64, sink: &mut impl FnMut(&[u8])) {
        match self.policy {
            LineEnding::Allow => self.emit(if cr { b"\r" } else { b"\n" }, sink),
            LineEnding::Normalize => self.emit(b"\r\n", sink),
            LineEnding::Reject => {
                if self.error.is_none() {
                    self.error = Some(if cr {
                        DotError::BareCr { offset }
                    } else {
                        DotError::BareLf { offset }
                    });
                }
            }
        }
    }

    /// Takes the byte at `*i` through the state machine. Returns the consumed length of the
    /// input when the body ended with it.
    fn step(
        &mut self,
        input: &[u8],
        i: &mut usize,
        run: &mut usize,
        sink: &mut impl FnMut(&[u8]),
    ) -> Option<usize> {
        let at = *i;
        let byte = *input.get(at)?;
        let offset = self.offset + at as u64;
        match (self.state, byte) {
            (State::LineStart, b'.') => {
                self.flush(input, *run, at, sink);
                *run = at + 1;
                self.state = State::Dot;
            }
            (State::Text | State::LineStart, CR) => {
                self.flush(input, *run, at, sink);
                *run = at + 1;
                self.state = State::Cr;
            }
            (State::Text | State::LineStart, LF) => {
                self.flush(input, *run, at, sink);
                *run = at + 1;
                self.bare(false, offset, sink);
                self.state = State::Text;
            }
            (State::Text | State::LineStart, _) => self.state = State::Text,
            (State::Cr, LF) => {
                self.emit(b"\r\n", sink);
                *run = at + 1;
                self.state = State::LineStart;
            }
            (State::Cr, _) => {
                // The CR before this byte was bare; look at this byte again inside a line.
                self.bare(true, offset.saturating_sub(1), sink);
                *run = at;
                self.state = State::Text;
                return None;
            }
            (State::Dot, CR) => {
                *run = at + 1;
                self.state = State::DotCr;
            }
            (State::Dot, _) => {
                // The stuffed dot is dropped; this byte starts the rest of the line.
                *run = at;
                self.state = State::Text;
                return None;
            }
            (State::DotCr, LF) => return Some(at + 1),
            (State::DotCr, _) => {
                // `.` then a bare CR: the dot is dropped, the CR is bare.
                self.bare(true, offset.saturating_sub(1), sink);
                *run = at;
                self.state = State::Text;
                return None;
            }
        }
        *i = at + 1;
        None
    }
}

impl Default for DotDecoder {
    fn default() -> Self {
        Self::new(LineEnding::Reject)
    }
}

/// From `from` (in state `Text` or `LineStart`, and not at a line-start dot), the end of the
/// stretch of body bytes that pass as they are, and the state after it, in one pass over the
/// line ends (memchr2 finds the CRs and LFs; it picks the widest vector unit the CPU has).
///
/// The stretch stops before a line-start dot (after a CRLF), before a CR that is the last input
/// byte (its LF may come later) and, when `check` is set, before a bare CR or LF, so that the
/// byte-wise state machine takes each of those. Without `check` bare line ends are plain bytes:
/// only a CRLF starts a line.
fn scan_plain(input: &[u8], from: usize, state: State, check: bool, dense: bool) -> (usize, State) {
    if dense && from >= 2 {
        if let Some(found) = scan_blocks(input, from, state, check) {
            return found;
        }
    }
    scan_line_ends(input, from, state, check)
}

/// Whether the lines of `input` are short (under about 128 bytes on average, as in text and
/// base64 mail), judged on its first KiB: then one search per line end costs more than
/// [`scan_blocks`], which reads every byte once whatever the line length.
fn dense_lines(input: &[u8]) -> bool {
    const SAMPLE: usize = 1024;
    input.len() >= 4 * SAMPLE
        && memchr::memchr_iter(LF, input.get(..SAMPLE).unwrap_or_default()).count() >= 8
}

/// [`scan_plain`] for short lines (`dense`): the next `CRLF .` with memmem, then a branch-free block check
/// for bare line ends over the stretch before it. `None` when there is a bare line end in the
/// stretch (and `check`): [`scan_line_ends`] then finds where.
fn scan_blocks(input: &[u8], from: usize, state: State, check: bool) -> Option<(usize, State)> {
    static FINDER: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
    let finder = FINDER.get_or_init(|| memchr::memmem::Finder::new(b"\r\n."));
    // From two bytes back: a CRLF just before `from` followed by a dot ends the stretch at once.
    let start = from - 2;
    let (end, dot) = match input.get(start..).and_then(|rest| finder.find(rest)) {
        Some(p) => (start + p + 2, true),
        // A final CR stays out: its LF may come later.
        None if input.last() == Some(&CR) => (input.len() - 1, false),
        None => (input.len(), false),
    };
    if end <= from {
        return Some((from, state));
    }
    if check && has_bare_line_end(input, from, end) {
        return None;
    }
    let after_crlf = dot || input.get(end - 2..end) == Some(b"\r\n");
    Some((
        end,
        if after_crlf {
            State::LineStart
        } else {
            State::Text
        },
    ))
}

/// [`scan_plain`] for long lines: every CR and LF with memchr2, each CR checked for its LF and
/// each CRLF for a dot after it.
fn scan_line_ends(input: &[u8], from: usize, state: State, check: bool) -> (usize, State) {
    let rest = input.get(from..).unwrap_or_default();
    // The state before the line end at `p`: what came before it in `rest`, else `state`.
    let before = |p: usize| {
        if p == 0 {
            state
        } else if p >= 2 && rest.get(p - 2..p) == Some(b"\r\n") {
            State::LineStart
        } else {
            State::Text
        }
    };
    // The LF of a CRLF already taken.
    let mut skip = usize::MAX;
    for p in memchr::memchr2_iter(CR, LF, rest) {
        if p == skip {
            continue;
        }
        if rest.get(p) == Some(&CR) {
            match rest.get(p + 1) {
                Some(&LF) => {
                    match rest.get(p + 2) {
                        Some(b'.') => return (from + p + 2, State::LineStart),
                        Some(_) => {}
                        None => return (input.len(), State::LineStart),
                    }
                    skip = p + 1;
                    continue;
                }
                None => return (from + p, before(p)),
                Some(_) => {}
            }
        }
        // A bare CR or LF.
        if check {
            return (from + p, before(p));
        }
    }
    // A CRLF at the very end returned above: the tail is inside a line.
    if rest.is_empty() {
        (from, state)
    } else {
        (input.len(), State::Text)
    }
}

/// Whether `input[from..to]` holds a bare CR or bare LF, judged by the raw neighbours. `from` is
/// at least 1 and the byte before it is not a pending CR; `to` is the end of the input or a byte
/// that is neither CR nor LF, so the last pair judged is complete. Branch-free over blocks so
/// that the compiler vectorises it.
fn has_bare_line_end(input: &[u8], from: usize, to: usize) -> bool {
    let window = match input.get(from.saturating_sub(1)..(to + 1).min(input.len())) {
        Some(w) if w.len() >= 2 => w,
        _ => return false,
    };
    // Pairs (previous byte, byte): `prev[k]` is `window[k]`, `cur[k]` is `window[k + 1]`.
    let (prev, cur) = (&window[..window.len() - 1], &window[1..]);
    const BLOCK: usize = 64;
    let mut prev_blocks = prev.chunks_exact(BLOCK);
    let mut cur_blocks = cur.chunks_exact(BLOCK);
    for (p, c) in (&mut prev_blocks).zip(&mut cur_blocks) {
        if block_has_bare(p, c) {
            return true;
        }
    }
    block_has_bare(prev_blocks.remainder(), cur_blocks.remainder())
}

/// Branch-free over a block so that the compiler vectorises it.
#[inline(always)]
fn block_has_bare(prev: &[u8], cur: &[u8]) -> bool {
    let mut bad = 0u8;
    for (&p, &c) in prev.iter().zip(cur) {
        let bare_lf = u8::from(c == LF) & u8::from(p != CR);
        let bare_cr = u8::from(p == CR) & u8::from(c != LF);
        bad |= bare_lf | bare_cr;
    }
    bad != 0
}

/// Streams a body onto the wire with dot-stuffing.
///
/// Line ends of any kind (CRLF, bare LF, bare CR) become CRLF; every line that starts with a dot
/// gets one more; [`DotEncoder::finish`] ends the last line if needed and appends `.CRLF`. So
/// `encode(m)` never holds `CRLF . CRLF` before its terminator, and decoding it gives `m` with
/// normalised line ends and a final CRLF (see [`normalize`]).
#[derive(Debug, Clone)]
pub struct DotEncoder {
    line_start: bool,
    after_cr: bool,
    /// Add the dot after line starts (off for bodies framed by length, such as SMTP BDAT).
    stuff: bool,
}

impl DotEncoder {
    /// An encoder at the start of a body.
    pub fn new() -> Self {
        Self {
            line_start: true,
            after_cr: false,
            stuff: true,
        }
    }

    /// An encoder that only normalises line ends to CRLF, for a body framed by its length
    /// (SMTP BDAT, RFC 3030): no dots are added, and it is ended with
    /// [`DotEncoder::end_line`] rather than [`DotEncoder::finish`]. Its output over a whole
    /// body, ended, is [`normalize`] of the body, however the body is split.
    pub fn line_ends_only() -> Self {
        Self {
            stuff: false,
            ..Self::new()
        }
    }

    /// Appends the wire form of the next piece of the body to `out`.
    pub fn encode(&mut self, mut input: &[u8], out: &mut Vec<u8>) {
        out.reserve(input.len() + input.len() / 64 + 4);
        if self.after_cr && !input.is_empty() {
            self.after_cr = false;
            if input.first() == Some(&LF) {
                input = input.get(1..).unwrap_or_default();
            }
        }
        let mut i = 0;
        while i < input.len() {
            if self.stuff && self.line_start && input.get(i) == Some(&b'.') {
                out.push(b'.');
            }
            self.line_start = false;
            let rest = input.get(i..).unwrap_or_default();
            let Some(k) = memchr::memchr2(CR, LF, rest) else {
                out.extend_from_slice(rest);
                break;
            };
            out.extend_from_slice(rest.get(..k).unwrap_or_default());
            out.extend_from_slice(b"\r\n");
            self.line_start = true;
            let at = i + k;
            i = at + 1;
            if input.get(at) == Some(&CR) {
                match input.get(at + 1) {
                    Some(&LF) => i += 1,
                    Some(_) => {}
                    None => self.after_cr = true,
                }
            }
        }
    }

    /// Ends the body: a CRLF if the last line has none, then the terminating `.CRLF`.
    pub fn finish(&mut self, out: &mut Vec<u8>) {
        self.end_line(out);
        out.extend_from_slice(b".\r\n");
    }

    /// Ends the body without a terminator: a CRLF if the last line has none. The encoder is
    /// then ready for the next body.
    pub fn end_line(&mut self, out: &mut Vec<u8>) {
        if !self.line_start {
            out.extend_from_slice(b"\r\n");
        }
        *self = Self {
            stuff: self.stuff,
            ..Self::new()
        };
    }
}

impl Default for DotEncoder {
    fn default() -> Self {
        Self::new()
    }
}

/// The wire form of a whole body: [`DotEncoder`] in one call.
pub fn dot_stuff(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + body.len() / 64 + 8);
    let mut encoder = DotEncoder::new();
    encoder.encode(body, &mut out);
    encoder.finish(&mut out);
    out
}

/// What [`DotEncoder`] makes of a body's line ends: every CRLF, bare CR and bare LF becomes CRLF,
/// and a non-empty body that does not end in a line end gets one.
pub fn normalize(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 2);
    let mut i = 0;
    while let Some(k) = body.get(i..).and_then(|rest| memchr::memchr2(CR, LF, rest)) {
        let at = i + k;
        out.extend_from_slice(body.get(i..at).unwrap_or_default());
        out.extend_from_slice(b"\r\n");
        i = if body.get(at) == Some(&CR) && body.get(at + 1) == Some(&LF) {
            at + 2
        } else {
            at + 1
        };
    }
    let tail = body.get(i..).unwrap_or_default();
    out.extend_from_slice(tail);
    if !tail.is_empty() {
        out.extend_from_slice(b"\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The reference model: the RFC rule written as plainly as possible, a byte at a time over
    /// the whole input. Returns (body, consumed, error) or None when the end never comes.
    pub(crate) fn reference(
        policy: LineEnding,
        input: &[u8],
    ) -> Option<(Vec<u8>, usize, Option<DotError>)> {
        // Find the end: the first CRLF.CRLF, or .CRLF at the very start.
        let end = if input.starts_with(b".\r\n") {
            3
        } else {
            input.windows(5).position(|w| w == b"\r\n.\r\n")? + 5
        };
        let body = &input[..end - 3]; // up to and with the CRLF before the dot
        let mut out = Vec::new();
        let mut error = None;
        let mut line_start = true;
        let mut i = 0;
        while i < body.len() {
            let b = body[i];
            let was_line_start = std::mem::replace(&mut line_start, false);
            if was_line_start && b == b'.' {
                i += 1;
                continue;
            }
            // After a policy error nothing more is passed on.
            let mut push = |bytes: &[u8], error: &Option<DotError>| {
                if error.is_none() {
                    out.extend_from_slice(bytes);
                }
            };
            if b == b'\r' && body.get(i + 1) == Some(&b'\n') {
                push(b"\r\n", &error);
                line_start = true;
                i += 2;
                continue;
            }
            match (b, policy) {
                (b'\r' | b'\n', LineEnding::Allow) => push(&[b], &error),
                (b'\r' | b'\n', LineEnding::Normalize) => push(b"\r\n", &error),
                (b'\r' | b'\n', LineEnding::Reject) => {
                    let offset = i as u64;
                    error = error.or(Some(if b == b'\r' {
                        DotError::BareCr { offset }
                    } else {
                        DotError::BareLf { offset }
                    }));
                }
                _ => push(&[b], &error),
            }
            i += 1;
        }
        Some((out, end, error))
    }

    fn decode_pieces(
        policy: LineEnding,
        pieces: &[&[u8]],
    ) -> Option<(Vec<u8>, usize, Option<DotError>)> {
        let mut decoder = DotDecoder::new(policy);
        let mut out = Vec::new();
        let mut before = 0;
        for piece in pieces {
            match decoder.decode(piece, &mut out) {
                Status::Complete(result, n) => return Some((out, before + n, result.err())),
                Status::Incomplete => before += piece.len(),
            }
        }
        None
    }

    #[test]
    fn stuffed_dots_and_the_end() {
        let got = decode_pieces(LineEnding::Reject, &[b"a\r\n..b\r\n.c\r\n.\r\nNEXT"]);
        assert_eq!(got, Some((b"a\r\n.b\r\nc\r\n".to_vec(), 15, None)));
        assert_eq!(
            decode_pieces(LineEnding::Reject, &[b".\r\n"]),
            Some((vec![], 3, None))
        );
    }

    #[test]
    fn smuggling_shapes_never_end_the_body() {
        for policy in [LineEnding::Reject, LineEnding::Normalize, LineEnding::Allow] {
            for fake in [
                &b"a\n.\nb"[..],
                b"a\n.\r\nb",
                b"a\r.\rb",
                b"a\r\n.\nb",
                b"a\r.\r\nb",
                b"a\r\n.\rb",
                b"a\n.\r\n",
            ] {
                let mut input = fake.to_vec();
                assert_eq!(
                    decode_pieces(policy, &[&input]),
                    None,
                    "{policy:?} {fake:?}"
                );
                input.extend_from_slice(b"\r\n.\r\n");
                let got = decode_pieces(policy, &[&input]).expect("ends at CRLF.CRLF");
                assert_eq!(got.1, input.len(), "{policy:?} {fake:?}");
                assert_eq!(
                    got,
                    reference(policy, &input).unwrap(),
                    "{policy:?} {fake:?}"
                );
            }
        }
    }

    #[test]
    fn policies_on_bare_line_ends() {
        let input = b"a\nb\rc\r\n.\r\n";
        assert_eq!(
            decode_pieces(LineEnding::Reject, &[input]),
            Some((
                b"a".to_vec(),
                input.len(),
                Some(DotError::BareLf { offset: 1 })
            ))
        );
        assert_eq!(
            decode_pieces(LineEnding::Normalize, &[input]),
            Some((b"a\r\nb\r\nc\r\n".to_vec(), input.len(), None))
        );
        assert_eq!(
            decode_pieces(LineEnding::Allow, &[input]),
            Some((b"a\nb\rc\r\n".to_vec(), input.len(), None))
        );
        let err = DotError::BareCr { offset: 7 };
        assert_eq!(
            err.to_string(),
            "bare CR at byte 7 of the body (lines must end in CRLF)"
        );
    }

    #[test]
    fn done_decoder_stays_done_until_reset() {
        let mut d = DotDecoder::default();
        let mut out = Vec::new();
        assert_eq!(
            d.decode(b"x\r\n.\r\n", &mut out),
            Status::Complete(Ok(()), 6)
        );
        assert!(d.is_done());
        assert_eq!(d.decode(b"more", &mut out), Status::Complete(Ok(()), 0));
        d.reset();
        out.clear();
        assert_eq!(
            d.decode(b"..\r\n.\r\n", &mut out),
            Status::Complete(Ok(()), 7)
        );
        assert_eq!(out, b".\r\n");
    }

    #[test]
    fn long_body_uses_the_fast_path_and_agrees() {
        let mut body = Vec::new();
        for n in 0..2000 {
            if n % 7 == 0 {
                body.push(b'.');
            }
            body.extend_from_slice(b"some text. with dots. in it");
            body.extend_from_slice(if n % 501 == 0 { b"\n" } else { b"\r\n" });
        }
        let wire = dot_stuff(&body);
        for policy in [LineEnding::Normalize, LineEnding::Allow] {
            for chunk in [1, 2, 3, 7, 64, 4095, 100_000] {
                let pieces: Vec<&[u8]> = wire.chunks(chunk).collect();
                let got = decode_pieces(policy, &pieces).unwrap();
                assert_eq!(
                    got,
                    (normalize(&body), wire.len(), None),
                    "{policy:?} {chunk}"
                );
            }
        }
        // The raw body has bare LFs: Reject finds the first at the right place.
        let mut raw = body.clone();
        raw.extend_from_slice(b".\r\n");
        let got = decode_pieces(LineEnding::Reject, &[&raw]).unwrap();
        assert_eq!(got, reference(LineEnding::Reject, &raw).unwrap());
        assert!(matches!(got.2, Some(DotError::BareLf { .. })));
    }

    #[test]
    fn encoder_examples() {
        assert_eq!(dot_stuff(b""), b".\r\n");
        assert_eq!(dot_stuff(b"."), b"..\r\n.\r\n");
        assert_eq!(dot_stuff(b"a\r\n.\r\n"), b"a\r\n..\r\n.\r\n");
        assert_eq!(dot_stuff(b"a\n.b\r.c"), b"a\r\n..b\r\n..c\r\n.\r\n");
        assert_eq!(dot_stuff(b"a\r\r\n"), b"a\r\n\r\n.\r\n");
        // A CRLF split across two pieces is one line end.
        let mut enc = DotEncoder::new();
        let mut out = Vec::new();
        enc.encode(b"a\r", &mut out);
        enc.encode(b"\n.b", &mut out);
        enc.finish(&mut out);
        assert_eq!(out, b"a\r\n..b\r\n.\r\n");
    }

    /// `input` cut at the given points.
    fn split_at<'a>(input: &'a [u8], cuts: &[prop::sample::Index]) -> Vec<&'a [u8]> {
        let mut points: Vec<usize> = cuts.iter().map(|c| c.index(input.len() + 1)).collect();
        points.sort_unstable();
        let mut pieces = Vec::new();
        let mut last = 0;
        for p in points {
            pieces.push(&input[last..p]);
            last = p;
        }
        pieces.push(&input[last..]);
        pieces
    }

    fn arb_body() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(
            prop_oneof![
                3 => Just(b'.'),
                3 => Just(b'\r'),
                3 => Just(b'\n'),
                2 => Just(b'x'),
                1 => any::<u8>()
            ],
            0..120,
        )
    }

    fn arb_policy() -> impl Strategy<Value = LineEnding> {
        prop_oneof![
            Just(LineEnding::Reject),
            Just(LineEnding::Normalize),
            Just(LineEnding::Allow)
        ]
    }

    proptest! {
        #[test]
        fn decode_of_encode_is_normalize(body in arb_body(), policy in arb_policy(), cut in any::<prop::sample::Index>()) {
            let wire = dot_stuff(&body);
            // Never an early end.
            let first_end = wire.windows(5).position(|w| w == b"\r\n.\r\n").map(|p| p + 5);
            if wire != b".\r\n" {
                prop_assert_eq!(first_end, Some(wire.len()));
            }
            // Split encode the same as whole encode.
            let at = cut.index(body.len() + 1);
            let mut enc = DotEncoder::new();
            let mut split = Vec::new();
            enc.encode(&body[..at], &mut split);
            enc.encode(&body[at..], &mut split);
            enc.finish(&mut split);
            prop_assert_eq!(&split, &wire);
            let got = decode_pieces(policy, &[&wire]).unwrap();
            prop_assert_eq!(got, (normalize(&body), wire.len(), None));
        }

        #[test]
        /// The line-ends-only encoder gives `normalize` of the body, in any split; the dot
        /// encoder gives the same with dots added, in any split.
        #[test]
        fn encoders_are_split_invariant(body in arb_body(), cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..4)) {
            let (mut lines, mut dots) = (DotEncoder::line_ends_only(), DotEncoder::new());
            let (mut plain, mut stuffed) = (Vec::new(), Vec::new());
            for piece in split_at(&body, &cuts) {
                lines.encode(piece, &mut plain);
                dots.encode(piece, &mut stuffed);
            }
            lines.end_line(&mut plain);
            dots.finish(&mut stuffed);
            prop_assert_eq!(&plain, &normalize(&body));
            prop_assert_eq!(&stuffed, &dot_stuff(&body));
            // The encoders start over after the end.
            let (before, stuffed_before) = (plain.len(), stuffed.len());
            lines.encode(b".x", &mut plain);
            dots.encode(b".x", &mut stuffed);
            prop_assert_eq!(&plain[before..], b".x");
            prop_assert_eq!(&stuffed[stuffed_before..], b"..x");
        }

        /// Bodies long enough for both fast scans (short lines: the block check; long lines:
        /// one search per line end), with a few dots and bare line ends anywhere.
        #[test]
        fn long_bodies_match_reference_for_any_split(
            lines in proptest::collection::vec(
                (0usize..1200, prop_oneof![
                    12 => Just(&b"\r\n"[..]),
                    1 => Just(&b"\n"[..]),
                    1 => Just(&b"\r"[..]),
                    1 => Just(&b"\r\n."[..]),
                    1 => Just(&b"\r\n.\r"[..]),
                    1 => Just(&b"\n.\r\n"[..]),
                ]),
                1..300,
            ),
            short in any::<bool>(),
            policy in arb_policy(),
            cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..4),
        ) {
            let mut input = Vec::new();
            for (len, end) in lines {
                let len = if short { len % 90 } else { len };
                input.extend(std::iter::repeat_n(b'x', len));
                input.extend_from_slice(end);
            }
            input.extend_from_slice(b"\r\n.\r\nQUIT\r\n");
            let want = reference(policy, &input);
            let pieces = split_at(&input, &cuts);
            prop_assert_eq!(&decode_pieces(policy, &pieces), &want);
            prop_assert_eq!(&decode_pieces(policy, &[&input[..]]), &want);
        }

        fn decoder_matches_reference_for_any_split(
            body in arb_body(),
            tail in arb_body(),
            policy in arb_policy(),
            cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..4),
        ) {
            let mut input = body;
            input.extend_from_slice(b"\r\n.\r\n");
            input.extend_from_slice(&tail);
            let want = reference(policy, &input);
            let pieces = split_at(&input, &cuts);
            prop_assert_eq!(&decode_pieces(policy, &pieces), &want);
            let bytes: Vec<&[u8]> = input.chunks(1).collect();
            prop_assert_eq!(&decode_pieces(policy, &bytes), &want);
        }
    }
}

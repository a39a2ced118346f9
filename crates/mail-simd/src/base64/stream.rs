//! Streaming stores for large outputs: the kernels decode a batch of lines into a staging
//! buffer on the stack (which stays in the L1 cache), and [`streamed`] copies it out in
//! 64-byte chunks with streaming (non-temporal) stores, each a whole aligned cache line.
//!
//! An ordinary store into a cache line not in the cache first reads the line from memory
//! (read for ownership) and then keeps it, evicting other data, the input among it. For an
//! output about as large as the L2 cache (2 MiB on the Xeon measured) the streaming store's
//! write straight to memory saves the read and keeps the input cached. Smaller outputs stay
//! in the caches and larger ones in the L3, for whoever reads them next, and ordinary stores
//! are faster for them ([`super::STREAM_MIN`] has the numbers).

use core::mem::MaybeUninit;

/// The bytes of a streaming store: one cache line.
pub(super) const CHUNK: usize = 64;

/// The bytes of the staging buffer.
const STAGE: usize = 4096;

/// The most a kernel writes past the end of its output (the AVX2 kernel's 8 bytes).
const SLACK: usize = 8;

/// The staging buffer, aligned as a cache line so its chunks load whole.
#[repr(C, align(64))]
struct Stage([u8; STAGE]);

/// Decodes the lines at the front of `input` (`stride` bytes each, `line_out` bytes of output
/// each) with `decode` a batch at a time into a staging buffer and writes the output into
/// `spare`: the bytes before its first 64-byte boundary with ordinary stores, then the whole
/// 64-byte chunks of each batch with `stream(dst, src)` (the path's streaming stores, from
/// `src` into `dst`, whose first chunk is 64-byte aligned), then the last bytes with ordinary
/// stores again. `decode(lines, dst)` decodes the regular lines at the front of `lines` into
/// `dst` and returns how many bytes of `lines` and of `dst` they are.
///
/// The streaming stores are weakly ordered: the caller fences them (`sfence`) before it hands
/// the output on, so that another thread it goes to sees it written.
///
/// Returns how many bytes of `input` the lines are and how many bytes of `spare` were written:
/// the first `written`, all of them (each byte of the output is written by one of the three
/// kinds of store), and `spare` has room for them if it has room for the output of every whole
/// line of `input` (the output is never longer).
#[inline(always)]
pub(super) fn streamed(
    input: &[u8],
    stride: usize,
    line_out: usize,
    spare: &mut [MaybeUninit<u8>],
    mut decode: impl FnMut(&[u8], &mut [u8]) -> (usize, usize),
    mut stream: impl FnMut(&mut [[MaybeUninit<u8>; CHUNK]], &[[u8; CHUNK]]),
) -> (usize, usize) {
    let mut stage = Stage([0; STAGE]);
    // Whole lines a batch: the staging buffer holds them after a partial chunk left over from
    // the batch before, with the kernel's slack (lines are at most 747 bytes of output).
    let batch = ((STAGE - CHUNK - SLACK) / line_out.max(1)).max(1);
    // Bytes still to write with ordinary stores before the first chunk boundary of `spare`.
    let mut head = spare.as_ptr().align_offset(CHUNK);
    let (mut used, mut written, mut pending) = (0, 0, 0);
    loop {
        let rest = input.get(used..).unwrap_or_default();
        let lines = rest.get(..batch * stride).unwrap_or(rest);
        let Some(room) = stage.0.get_mut(pending..) else {
            break;
        };
        let (took, wrote) = decode(lines, room);
        used += took;
        pending += wrote;
        let ready = stage.0.get(..pending).unwrap_or_default();
        let mut from = 0;
        if head > 0 {
            from = head.min(pending);
            written += copy(spare, written, ready.get(..from).unwrap_or_default());
            head -= from;
        }
        if head == 0 {
            let (src, _) = ready.get(from..).unwrap_or_default().as_chunks::<CHUNK>();
            let (dst, _) = spare
                .get_mut(written..)
                .unwrap_or_default()
                .as_chunks_mut::<CHUNK>();
            let n = src.len().min(dst.len());
            if let (Some(dst), Some(src)) = (dst.get_mut(..n), src.get(..n)) {
                stream(dst, src);
                written += n * CHUNK;
                from += n * CHUNK;
            }
        }
        stage.0.copy_within(from..pending, 0);
        pending -= from;
        // The end of the lines, or a line that is not regular.
        if took == 0 {
            break;
        }
    }
    written += copy(spare, written, stage.0.get(..pending).unwrap_or_default());
    (used, written)
}

/// Copies `src` into `dst` at `at` with ordinary stores; how many bytes it copied (`src.len()`,
/// or none if they do not fit, which [`streamed`] rules out).
fn copy(dst: &mut [MaybeUninit<u8>], at: usize, src: &[u8]) -> usize {
    let Some(dst) = dst.get_mut(at..at + src.len()) else {
        return 0;
    };
    for (d, &s) in dst.iter_mut().zip(src) {
        *d = MaybeUninit::new(s);
    }
    src.len()
}

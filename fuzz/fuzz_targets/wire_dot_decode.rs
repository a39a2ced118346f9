//! Dot decoding: differential check against a byte-at-a-time reference model, in any split.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mail_wire::dot::{DotDecoder, DotError};
use mail_wire::{LineEnding, Status};

type Outcome = Option<(Vec<u8>, usize, Option<DotError>)>;

/// The RFC 5321 4.5.2 rule, written as plainly as possible over the whole input.
fn reference(policy: LineEnding, input: &[u8]) -> Outcome {
    let end = if input.starts_with(b".\r\n") {
        3
    } else {
        input.windows(5).position(|w| w == b"\r\n.\r\n")? + 5
    };
    let body = &input[..end - 3];
    let mut out = Vec::new();
    let mut error: Option<DotError> = None;
    let mut line_start = true;
    let mut i = 0;
    while i < body.len() {
        let b = body[i];
        let was_line_start = std::mem::replace(&mut line_start, false);
        if was_line_start && b == b'.' {
            i += 1;
            continue;
        }
        if b == b'\r' && body.get(i + 1) == Some(&b'\n') {
            if error.is_none() {
                out.extend_from_slice(b"\r\n");
            }
            line_start = true;
            i += 2;
            continue;
        }
        match (b, policy) {
            (b'\r' | b'\n', LineEnding::Allow) if error.is_none() => out.push(b),
            (b'\r' | b'\n', LineEnding::Normalize) if error.is_none() => {
                out.extend_from_slice(b"\r\n")
            }
            (b'\r' | b'\n', LineEnding::Reject) if error.is_none() => {
                let offset = i as u64;
                error = Some(if b == b'\r' {
                    DotError::BareCr { offset }
                } else {
                    DotError::BareLf { offset }
                });
            }
            (b'\r' | b'\n', _) => {}
            _ if error.is_none() => out.push(b),
            _ => {}
        }
        i += 1;
    }
    Some((out, end, error))
}

fn decode(policy: LineEnding, pieces: &[&[u8]]) -> Outcome {
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

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let policy = match data[0] % 3 {
        0 => LineEnding::Reject,
        1 => LineEnding::Normalize,
        _ => LineEnding::Allow,
    };
    let input = &data[3..];
    let want = reference(policy, input);
    let a = usize::from(data[1]).min(input.len());
    let b = (a + usize::from(data[2])).min(input.len());
    assert_eq!(
        decode(policy, &[&input[..a], &input[a..b], &input[b..]]),
        want
    );
    assert_eq!(decode(policy, &[input]), want);
});

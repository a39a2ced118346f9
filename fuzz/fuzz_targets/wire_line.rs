//! Line framing: any input in any split never panics, and gives the same lines as the whole.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mail_wire::line::{Frame, LineConfig, LineFramer};
use mail_wire::{LineEnding, Status};

fn frame(config: LineConfig, pieces: &[&[u8]]) -> Vec<Result<Vec<u8>, String>> {
    let mut framer = LineFramer::new(config);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    for piece in pieces {
        buf.extend_from_slice(piece);
        loop {
            match framer.decode(&buf) {
                Ok(Status::Complete(Frame::Line(line), n)) => {
                    assert!(n <= config.max_line.max(1));
                    out.push(Ok(line.content.to_vec()));
                    buf.drain(..n);
                }
                Ok(Status::Complete(Frame::Skipped, n)) => {
                    assert!(n > 0);
                    buf.drain(..n);
                }
                Ok(Status::Incomplete) => break,
                Err(e) => {
                    out.push(Err(e.to_string()));
                    buf.drain(..e.consumed());
                }
            }
        }
        // Bounded memory: never more than a line plus a CR is held.
        assert!(buf.len() <= config.max_line.max(1));
    }
    out
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
    let config = LineConfig::with_max_line(usize::from(data[1]) + 1).line_ending(policy);
    let input = &data[3..];
    let cut = usize::from(data[2]).min(input.len());
    let whole = frame(config, &[input]);
    let (a, b) = input.split_at(cut);
    assert_eq!(frame(config, &[a, b]), whole);
});

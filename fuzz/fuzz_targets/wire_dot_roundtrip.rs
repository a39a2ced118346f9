//! Dot encoding: decode(encode(m)) == normalize(m), and no early terminator, for any body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mail_wire::dot::{dot_stuff, normalize, DotDecoder};
use mail_wire::{LineEnding, Status};

fuzz_target!(|body: &[u8]| {
    let wire = dot_stuff(body);
    if wire != b".\r\n" {
        let first_end = wire
            .windows(5)
            .position(|w| w == b"\r\n.\r\n")
            .map(|p| p + 5);
        assert_eq!(first_end, Some(wire.len()));
    }
    let mut out = Vec::new();
    let status = DotDecoder::new(LineEnding::Reject).decode(&wire, &mut out);
    assert_eq!(status, Status::Complete(Ok(()), wire.len()));
    assert_eq!(out, normalize(body));
});

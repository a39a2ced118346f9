//! Differential: the same bytes fed whole, and in chunks through the streaming decoder, give
//! the same units and the same bytes; the FETCH head and tail parsers never panic on what the
//! decoder hands out.
#![no_main]

use imap_proto::stream::{parse_fetch_head, parse_fetch_tail, StreamDecoder, StreamEvent};
use imap_proto::ParseOptions;
use libfuzzer_sys::fuzz_target;

/// Runs the decoder over `data` fed `chunk` bytes at a time; returns the bytes of each event
/// concatenated per unit, and whether it stopped on an error.
fn run(data: &[u8], chunk: usize, threshold: u64) -> (Vec<Vec<u8>>, bool) {
    let mut dec = StreamDecoder::new(ParseOptions::lenient(), threshold);
    let mut buf = Vec::new();
    let mut fed = 0;
    let mut units = Vec::new();
    let mut current = Vec::new();
    loop {
        match dec.decode(&buf) {
            Ok(Some((ev, used))) => {
                match ev {
                    StreamEvent::Unit(b) => units.push(b.to_vec()),
                    StreamEvent::SyncLiteral { .. } => {}
                    StreamEvent::LiteralStart { head, .. } => {
                        let _ = parse_fetch_head(head, &ParseOptions::lenient());
                        current.extend_from_slice(head);
                    }
                    StreamEvent::LiteralData(d) => current.extend_from_slice(d),
                    StreamEvent::UnitEnd(b) => {
                        let _ = parse_fetch_tail(b, &ParseOptions::lenient());
                        current.extend_from_slice(b);
                        units.push(std::mem::take(&mut current));
                    }
                }
                buf.drain(..used);
                if used > 0 {
                    continue;
                }
            }
            Ok(None) => {}
            Err(_) => return (units, true),
        }
        if fed >= data.len() {
            return (units, false);
        }
        let n = chunk.min(data.len() - fed);
        buf.extend_from_slice(data.get(fed..fed + n).unwrap_or_default());
        fed += n;
    }
}

fuzz_target!(|input: (u8, u8, &[u8])| {
    let (chunk, threshold, data) = input;
    let whole = run(data, data.len().max(1), u64::MAX);
    let split = run(data, usize::from(chunk).max(1), u64::from(threshold));
    assert_eq!(whole, split);
});

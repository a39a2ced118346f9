//! Differential: the same bytes fed whole, and in chunks through the streaming decoder, give
//! the same units and the same bytes. The FETCH head and tail parsers never panic on what the
//! decoder hands out, and when they read a streamed unit, what they read agrees with the
//! parse of the whole unit: the same sequence number and the same items around the literals.
#![no_main]

use imap_proto::stream::{parse_fetch_head, parse_fetch_tail, StreamDecoder, StreamEvent};
use imap_proto::{parse_response, Data, FetchItem, IntoOwned, ParseOptions, Response, Status};
use libfuzzer_sys::fuzz_target;

/// Runs the decoder over `data` fed `chunk` bytes at a time; returns the bytes of each event
/// concatenated per unit, and whether it stopped on an error.
fn run(data: &[u8], chunk: usize, threshold: u64) -> (Vec<Vec<u8>>, bool) {
    let mut dec = StreamDecoder::new(ParseOptions::lenient(), threshold);
    let mut buf = Vec::new();
    let mut fed = 0;
    let mut units = Vec::new();
    let mut current = Vec::new();
    // What the head and tail parsers made of the current streamed unit: its sequence number
    // and its items, `None` where a streamed literal's item stands; `None` once one failed.
    let mut typed: Option<(Option<u32>, Vec<Option<FetchItem<'static>>>)> =
        Some((None, Vec::new()));
    loop {
        match dec.decode(&buf) {
            Ok(Some((ev, used))) => {
                match ev {
                    StreamEvent::Unit(b) => units.push(b.to_vec()),
                    StreamEvent::SyncLiteral { .. } => {}
                    StreamEvent::LiteralStart { head, .. } => {
                        let first = current.is_empty();
                        match (parse_fetch_head(head, &ParseOptions::lenient()), &mut typed) {
                            (Ok(h), Some((seq, items))) => {
                                if first {
                                    *seq = h.seq;
                                }
                                items.extend(h.items.into_iter().map(|i| Some(i.into_owned())));
                                items.push(None);
                            }
                            _ => typed = None,
                        }
                        current.extend_from_slice(head);
                    }
                    StreamEvent::LiteralData(d) => current.extend_from_slice(d),
                    StreamEvent::UnitEnd(b) => {
                        let tail = parse_fetch_tail(b, &ParseOptions::lenient());
                        current.extend_from_slice(b);
                        if let (Ok(tail), Some((seq, mut items))) = (tail, typed.take()) {
                            items.extend(tail.into_iter().map(|i| Some(i.into_owned())));
                            agrees_with_whole(&current, seq, &items);
                        }
                        typed = Some((None, Vec::new()));
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

/// The whole unit, parsed at once, is the FETCH the head and tail parsers read in pieces.
fn agrees_with_whole(unit: &[u8], seq: Option<u32>, pieces: &[Option<FetchItem<'static>>]) {
    let Ok(Status::Complete(
        Response::Data(Data::Fetch {
            seq: whole_seq,
            items,
        }),
        _,
    )) = parse_response(unit, &ParseOptions::lenient())
    else {
        return;
    };
    assert_eq!(seq, Some(whole_seq), "sequence number");
    assert_eq!(items.len(), pieces.len(), "item count");
    for (whole, piece) in items.into_iter().zip(pieces) {
        if let Some(piece) = piece {
            assert_eq!(&whole.into_owned(), piece);
        }
    }
}

fuzz_target!(|input: (u8, u8, &[u8])| {
    let (chunk, threshold, data) = input;
    let whole = run(data, data.len().max(1), u64::MAX);
    let split = run(data, usize::from(chunk).max(1), u64::from(threshold));
    assert_eq!(whole, split);
});

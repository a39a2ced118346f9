//! Whatever parses (leniently) serialises to bytes that parse back, and serialising that value
//! again gives the same bytes (a fixpoint; values equal too unless a malformed FETCH item was
//! kept as `Other` and now reads as the item it names).
#![no_main]

use imap_proto::{parse_command, parse_response, Encode, ParseOptions, Status};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let lenient = ParseOptions::lenient();
    if let Ok(Status::Complete(r, _)) = parse_response(data, &lenient) {
        let enc = r.encode();
        match parse_response(enc.bytes(), &lenient) {
            Ok(Status::Complete(again, n)) => {
                assert_eq!(n, enc.bytes().len());
                assert_eq!(again.encode().bytes(), enc.bytes());
            }
            other => panic!("{other:?} for {:?}", String::from_utf8_lossy(enc.bytes())),
        }
    }
    if let Ok(Status::Complete(c, _)) = parse_command(data, &lenient) {
        let enc = c.encode();
        match parse_command(enc.bytes(), &lenient) {
            Ok(Status::Complete(again, n)) => {
                assert_eq!(again, c);
                assert_eq!(n, enc.bytes().len());
            }
            other => panic!("{other:?} for {:?}", String::from_utf8_lossy(enc.bytes())),
        }
    }
});

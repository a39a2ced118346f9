//! Response parser: never panics; strict (without the fallback of malformed FETCH items to
//! `Other`) and lenient agree whenever strict succeeds; a split at any point gives `Incomplete`.
#![no_main]

use imap_proto::{parse_response, ParseOptions, Status};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut strict = ParseOptions::default();
    strict.keep_malformed_fetch_items = false;
    let lenient = ParseOptions::lenient();
    let s = parse_response(data, &strict);
    let l = parse_response(data, &lenient);
    if let (Ok(Status::Complete(a, n)), Ok(Status::Complete(b, m))) = (&s, &l) {
        assert_eq!((a, n), (b, m));
    }
    if let Ok(Status::Complete(whole, n)) = &l {
        let split = data.first().map_or(0, |&b| usize::from(b)) % *n;
        let prefix = data.get(..split).unwrap_or_default();
        assert!(matches!(
            parse_response(prefix, &lenient),
            Ok(Status::Incomplete)
        ));
        let _ = whole.kind();
    }
});

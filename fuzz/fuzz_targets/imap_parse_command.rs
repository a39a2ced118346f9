//! Command parser: never panics; strict and lenient agree whenever strict succeeds; a split at
//! any point gives `Incomplete` first.
#![no_main]

use imap_proto::{parse_authenticate_data, parse_command, parse_idle_done, ParseOptions, Status};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let strict = ParseOptions::default();
    let lenient = ParseOptions::lenient();
    let s = parse_command(data, &strict);
    let l = parse_command(data, &lenient);
    if let (Ok(Status::Complete(a, n)), Ok(Status::Complete(b, m))) = (&s, &l) {
        assert_eq!((a, n), (b, m));
    }
    if let Ok(Status::Complete(_, n)) = &l {
        let split = data.first().map_or(0, |&b| usize::from(b)) % *n;
        assert!(matches!(
            parse_command(data.get(..split).unwrap_or_default(), &lenient),
            Ok(Status::Incomplete)
        ));
    }
    let _ = parse_idle_done(data, &strict);
    let _ = parse_authenticate_data(data, &strict);
});

//! Whole-message parse: never panics, writes back byte for byte, every body decodes, every
//! range lies inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mail_message::{Limits, Message};

fuzz_target!(|data: &[u8]| {
    // Small limits so the fuzzer reaches them.
    let limits = Limits::default()
        .with_max_depth(8)
        .with_max_parts(50)
        .with_max_headers(20)
        .with_max_line_length(100);
    for msg in [Message::parse(data), Message::parse_with(data, &limits)] {
        let mut out = Vec::new();
        msg.write_to(&mut out);
        assert_eq!(out, data);
        msg.root().visit(&mut |p| {
            assert!(p.header_range().end == p.body_range().start);
            assert!(p.body_range().end <= data.len());
            let _ = p.decoded_body();
            let _ = p.text();
            let _ = p.filename();
        });
        let _ = (
            msg.subject(),
            msg.from(),
            msg.to(),
            msg.date(),
            msg.message_id(),
        );
        // The leaf parts are the leaves' parts, in the same order.
        let parts: Vec<_> = msg.leaves().into_iter().map(|(_, p)| p).collect();
        assert_eq!(msg.leaf_parts(), parts);
    }
});

//! Whole-message parse: never panics, writes back byte for byte, every body decodes (a text body
//! to the decoded bytes read in their charset), every range lies inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mail_message::{charset, Limits, Message};

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
            // The text is the decoded body read in its charset, however `text()` gets there
            // (quoted-printable UTF-8 goes straight to text).
            if let Some(text) = p.text() {
                let body = p.decoded_body().into_owned();
                let want = match p.charset() {
                    None => String::from_utf8(body).unwrap_or_else(|e| {
                        charset::decode("windows-1252", e.as_bytes())
                            .text
                            .into_owned()
                    }),
                    Some(label) => charset::decode_owned(label, body),
                };
                assert_eq!(text, want);
            }
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

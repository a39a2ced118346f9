//! POP3 reply parsers: status and continuation lines, CAPA, LIST, UIDL and LANG lines, and the
//! streaming ReplyDecoder with every reply shape. Never a panic; a parsed status line
//! re-encodes to one that parses the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pop3_proto::codec::*;
use pop3_proto::{ReplyShape, ResponseLine, Status};

fuzz_target!(|data: &[u8]| {
    if let Ok(ResponseLine::Status(reply)) = parse_response_line(data) {
        // The text is kept as lossy UTF-8, so the round trip holds from the decoded form on.
        let wire = reply.to_bytes();
        let again = parse_response_line(&wire[..wire.len() - 2]).expect("re-encoded reply parses");
        assert_eq!(again.to_bytes(), wire);
    }
    let _ = parse_capability(data);
    let _ = parse_scan_listing(data);
    let _ = parse_unique_id_listing(data);
    let _ = parse_language_listing(data);
    for shape in [
        ReplyShape::SingleLine,
        ReplyShape::MultiLine,
        ReplyShape::Sasl,
    ] {
        let mut decoder = ReplyDecoder::new(&ParseOptions::default());
        decoder.expect(shape);
        let mut rest = data;
        let mut body = Vec::new();
        while let Ok(Status::Complete(_, used)) = decoder.decode(rest, &mut body) {
            assert!(used <= rest.len());
            if used == 0 {
                break;
            }
            rest = &rest[used..];
            decoder.expect(shape);
        }
    }
});

//! The fixtures and our workload of the workspace's `message` bench (`benches/src/message.rs`),
//! the very same file, so the numbers line up with `cargo bench -p mail-benches --bench message`.

#[path = "../../src/message.rs"]
pub mod message;

use mail_parser::{MessageParser, PartKind};

/// mail-parser 1.0's side of `ours_full`: parse, read Subject, From, To and Date, and decode
/// every leaf (1.0 decodes bodies on access: `text()` for text and HTML, `decoded()` for the
/// rest).
pub fn mail_parser_full(parser: &MessageParser, m: &[u8]) -> usize {
    let Some(msg) = parser.parse(m) else {
        return 0;
    };
    let mut n = msg.subject().map_or(0, str::len);
    n += msg.from().map_or(0, |a| a.iter().count()) + msg.to().map_or(0, |a| a.iter().count());
    n += usize::from(msg.date().is_some());
    for p in msg.parts() {
        n += match p.kind() {
            PartKind::Multipart | PartKind::Message(_) => 0,
            PartKind::Text | PartKind::Html => p.text().map_or(0, |t| t.len()),
            PartKind::Binary | PartKind::InlineBinary => p.decoded().len(),
        };
    }
    n
}

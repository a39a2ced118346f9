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

/// The bodies of the base64 and quoted-printable leaves of `msgs`, each as it is in the message
/// (transfer-encoded) with whether it is base64: the input of the `message-decode` group, which
/// times the body decoders alone, without the parse around them.
pub fn encoded_bodies(msgs: &[Vec<u8>]) -> Vec<(bool, Vec<u8>)> {
    use mail_message::params::TransferEncoding;
    let mut bodies = Vec::new();
    for m in msgs {
        let msg = mail_message::Message::parse(m);
        for p in msg.leaf_parts() {
            match p.transfer_encoding() {
                TransferEncoding::Base64 => bodies.push((true, p.raw_body().to_vec())),
                TransferEncoding::QuotedPrintable => bodies.push((false, p.raw_body().to_vec())),
                _ => {}
            }
        }
    }
    bodies
}

/// Our decoder on one body of [`encoded_bodies`]: the length of what it decodes to.
pub fn ours_decode(base64: bool, body: &[u8]) -> usize {
    let mut out = Vec::new();
    if base64 {
        mail_message::decode::base64_decode_into(body, &mut out);
    } else {
        mail_message::decode::quoted_printable_decode_into(body, &mut out);
    }
    out.len()
}

/// mail-parser 1.0's decoder on one body of [`encoded_bodies`] (`Encoding::decode`, what its
/// `MessagePart::decoded` and `text` use).
pub fn mail_parser_decode(base64: bool, body: &[u8]) -> usize {
    let encoding = if base64 {
        mail_parser::Encoding::Base64
    } else {
        mail_parser::Encoding::QuotedPrintable
    };
    encoding.decode(body).len()
}

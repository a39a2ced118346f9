//! The fixtures and our side of the `message` benches, shared with the mail-parser 1.0 bench
//! package (`benches/mail-parser-1`, outside the workspace), which includes this file with
//! `#[path]` so both run exactly the same workload on exactly the same bytes.

use std::path::PathBuf;

use mail_message::builder::{Attachment, EmailAddress, HeaderText, MessageBuilder};
use mail_message::{header, Limits, Message};

/// `crates/mail-message/tests/data/mimekit`, found from the bench package's directory upwards
/// (the mail-parser 1.0 package sits one level deeper than `benches/`).
pub fn corpus_dir() -> PathBuf {
    let mut dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    loop {
        let candidate = dir.join("crates/mail-message/tests/data/mimekit");
        if candidate.is_dir() || !dir.pop() {
            return candidate;
        }
    }
}

/// Every message of the MimeKit corpus, in file name order.
pub fn corpus() -> Vec<Vec<u8>> {
    let mut files: Vec<_> = std::fs::read_dir(corpus_dir())
        .expect("corpus directory")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let n = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            !n.starts_with("LICENSE") && !n.ends_with(".md")
        })
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read(p).expect("corpus file"))
        .collect()
}

/// A 2 MB message: a line of text and a 1.5 MB base64 attachment.
pub fn big_attachment() -> Vec<u8> {
    let data: Vec<u8> = (0..1_500_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    MessageBuilder::new()
        .from(EmailAddress::new(Some("Sender"), "sender@example.org").expect("address"))
        .to(EmailAddress::new(None, "rcpt@example.net").expect("address"))
        .subject(HeaderText::new("A 2 MB message").expect("text"))
        .text("See the attachment.\n")
        .attachment(
            Attachment::new("application/octet-stream", Some("data.bin"), data)
                .expect("attachment"),
        )
        .build()
}

/// A multipart/mixed of 10 multipart/alternative of 20 quoted-printable text parts each.
pub fn nested_200() -> Vec<u8> {
    let mut m = b"From: a@example.org\r\nTo: b@example.org\r\nSubject: 200 parts\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=outer\r\n\r\n".to_vec();
    for i in 0..10 {
        m.extend_from_slice(
            format!("--outer\r\nContent-Type: multipart/alternative; boundary=inner{i}\r\n\r\n")
                .as_bytes(),
        );
        for j in 0..20 {
            m.extend_from_slice(
                format!(
                    "--inner{i}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nPart {i}.{j}: Gr=C3=BC=C3=9Fe aus K=C3=B6ln, a line of quoted-printable text.\r\n"
                )
                .as_bytes(),
            );
        }
        m.extend_from_slice(format!("--inner{i}--\r\n").as_bytes());
    }
    m.extend_from_slice(b"--outer--\r\n");
    m
}

/// 290 folded Received fields, then the usual fields with encoded-words and addresses.
pub fn headers_300() -> Vec<u8> {
    let mut m = Vec::new();
    for i in 0..290 {
        m.extend_from_slice(
            format!(
                "Received: from relay{i}.example.net (relay{i}.example.net [192.0.2.{}])\r\n\tby mx.example.org with ESMTPS id {i:08x}\r\n\tfor <rcpt@example.org>; Tue, 1 Jul 2003 10:52:37 +0200\r\n",
                i % 250
            )
            .as_bytes(),
        );
    }
    m.extend_from_slice(
        b"From: =?utf-8?q?J=C3=B6rg_M=C3=BCller?= <joerg@example.org>\r\n\
To: Mary Smith <mary@example.net>, \"Joe Q. Public\" <john.q.public@example.com>\r\n\
Cc: A Group:Ed Jones <c@a.test>,joe@where.test;\r\n\
Subject: =?utf-8?B?R3LDvMOfZSBhdXMgS8O2bG4=?=\r\n\
Date: Tue, 1 Jul 2003 10:52:37 +0200\r\n\
Message-ID: <1234@local.machine.example>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
X-Mailer: bench\r\n\
X-Spam: no\r\n\r\nBody.\r\n",
    );
    m
}

/// The bench cases by name: the corpus, startrek.eml alone, the 2 MB attachment, the 200-part
/// nesting and the 300-field header.
pub fn fixtures() -> Vec<(&'static str, Vec<Vec<u8>>)> {
    let startrek = std::fs::read(corpus_dir().join("startrek.eml")).expect("startrek.eml");
    vec![
        ("corpus", corpus()),
        ("startrek", vec![startrek]),
        ("attachment-2MB", vec![big_attachment()]),
        ("nested-200", vec![nested_200()]),
        ("headers-300", vec![headers_300()]),
    ]
}

/// Runs `parse` over every message (each through `black_box`) and sums what it returns, so
/// that no side's work can be optimised away: the body of every measured iteration.
pub fn each(msgs: &[Vec<u8>], parse: impl Fn(&[u8]) -> usize) -> usize {
    msgs.iter().map(|m| parse(std::hint::black_box(m))).sum()
}

/// The bytes of the top-level header of each message (the throughput of the header groups).
pub fn header_bytes(msgs: &[Vec<u8>]) -> u64 {
    msgs.iter()
        .map(|m| {
            memchr::memmem::find(m, b"\n\n")
                .or_else(|| memchr::memmem::find(m, b"\r\n\r\n"))
                .unwrap_or(m.len()) as u64
        })
        .sum()
}

/// Parse, then decode every leaf body (text to UTF-8, the rest to bytes) and read Subject,
/// From, To and Date: what a mail client does to show a message.
pub fn ours_full(m: &[u8]) -> usize {
    let msg = Message::parse(m);
    let mut n = msg.subject().map_or(0, |s| s.len());
    n += msg.from().map_or(0, |l| l.addresses.len()) + msg.to().map_or(0, |l| l.addresses.len());
    n += usize::from(msg.date().is_some());
    // mail-parser's workload lists the parts without section numbers: so does this one.
    for p in msg.leaf_parts() {
        n += match p.text() {
            Some(t) => t.len(),
            None => p.decoded_body().len(),
        };
    }
    n
}

/// The top-level header split into fields, values left as they are.
pub fn ours_headers_lazy(m: &[u8]) -> usize {
    match header::parse_header_block(m, &Limits::default()) {
        mail_message::Status::Complete(block, _) => block.fields.len(),
        mail_message::Status::Incomplete => 0,
    }
}

/// The top-level header with every field read by its type, as mail-parser does while parsing:
/// addresses, dates, message ids, Content-Type (each from the raw value, folds and all), the
/// rest as RFC 2047 text.
pub fn ours_headers_decoded(m: &[u8]) -> usize {
    use mail_message::{address, date, params};
    let mail_message::Status::Complete(block, _) =
        header::parse_header_block(m, &Limits::default())
    else {
        return 0;
    };
    use mail_message::header::FieldName as N;
    let mut n = 0;
    for f in block.header().iter() {
        // One match on the field's name (any case), as mail-parser's own dispatch does.
        n += match f.field_name() {
            N::From | N::To | N::Cc | N::Bcc | N::ReplyTo | N::Sender => {
                address::parse_address_list(f.raw_value()).addresses.len()
            }
            N::Date => usize::from(date::parse_date(f.raw_value()).is_some()),
            N::MessageId | N::References | N::InReplyTo => {
                params::parse_message_ids(f.raw_value()).0.len()
            }
            N::ContentType => {
                params::parse_content_type(f.raw_value()).map_or(0, |c| c.params.len())
            }
            _ => f.text().len(),
        };
    }
    n
}

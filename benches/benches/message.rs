//! mail-message throughput next to `mail-parser` (Stalwart) and `mailparse`, over the MimeKit
//! corpus (startrek.eml alone too), a 2 MB message with a base64 attachment, a 200-part
//! nested multipart and a 300-header message.
//!
//! - `full`: parse, then decode every leaf body (text to UTF-8, the rest to bytes) and read
//!   Subject, From, To and Date: what a mail client does to show a message. `mail-parser`
//!   decodes everything while parsing; the others decode on access.
//! - `headers`: the top-level header only. `mail-message` splits the fields lazily
//!   (`lazy`) or also reads every field by its type (`decoded`: addresses, dates, ids,
//!   Content-Type, the rest as RFC 2047 text);
//!   `mail-parser` decodes all fields, `mailparse` splits and decodes every value.
//! - `build`: text + HTML + a 100 kB attachment, written out.
//!
//! `cargo bench -p mail-benches --bench message`
//!
//! The peer here is mail-parser 0.11: 1.0 declares rust-version 1.98, above this workspace's
//! toolchain, so depending on it would break every build that does not pass
//! `--ignore-rust-version`. It does compile with that flag: to compare with 1.0, copy this file
//! into a scratch crate with `mail-parser = "1.0"` and adapt the two mail-parser calls (1.0
//! parses lazily: `msg.parts()` is a method, bodies come from `part.text()` /
//! `part.decoded()`, header values from `header.value()`).

// `criterion_group!` makes an undocumented public function.
#![allow(missing_docs)]

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use mail_message::builder::{Attachment, EmailAddress, HeaderText, MessageBuilder};
use mail_message::{header, Limits, Message};

fn corpus_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../crates/mail-message/tests/data/mimekit")
}

fn corpus() -> Vec<Vec<u8>> {
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

fn big_attachment() -> Vec<u8> {
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

fn nested_200() -> Vec<u8> {
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

fn headers_300() -> Vec<u8> {
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

fn fixtures() -> Vec<(&'static str, Vec<Vec<u8>>)> {
    let startrek = std::fs::read(corpus_dir().join("startrek.eml")).expect("startrek.eml");
    vec![
        ("corpus", corpus()),
        ("startrek", vec![startrek]),
        ("attachment-2MB", vec![big_attachment()]),
        ("nested-200", vec![nested_200()]),
        ("headers-300", vec![headers_300()]),
    ]
}

fn ours_full(m: &[u8]) -> usize {
    let msg = Message::parse(m);
    let mut n = msg.subject().map_or(0, |s| s.len());
    n += msg.from().map_or(0, |l| l.addresses.len()) + msg.to().map_or(0, |l| l.addresses.len());
    n += usize::from(msg.date().is_some());
    for (_, p) in msg.leaves() {
        n += match p.text() {
            Some(t) => t.len(),
            None => p.decoded_body().len(),
        };
    }
    n
}

fn mail_parser_full(m: &[u8]) -> usize {
    let Some(msg) = mail_parser::MessageParser::default().parse(m) else {
        return 0;
    };
    let mut n = msg.subject().map_or(0, str::len);
    n += msg.from().map_or(0, |a| a.iter().count()) + msg.to().map_or(0, |a| a.iter().count());
    n += usize::from(msg.date().is_some());
    for p in &msg.parts {
        n += p.contents().len();
    }
    n
}

fn mailparse_full(m: &[u8]) -> usize {
    fn walk(p: &mailparse::ParsedMail<'_>) -> usize {
        if p.subparts.is_empty() {
            if p.ctype.mimetype.starts_with("text/") {
                p.get_body().map_or(0, |b| b.len())
            } else {
                p.get_body_raw().map_or(0, |b| b.len())
            }
        } else {
            p.subparts.iter().map(walk).sum()
        }
    }
    let Ok(msg) = mailparse::parse_mail(m) else {
        return 0;
    };
    use mailparse::MailHeaderMap;
    let mut n = msg
        .headers
        .get_first_value("Subject")
        .map_or(0, |s| s.len());
    n += msg
        .headers
        .get_first_value("From")
        .and_then(|v| mailparse::addrparse(&v).ok())
        .map_or(0, |l| l.len());
    n += msg
        .headers
        .get_first_value("To")
        .and_then(|v| mailparse::addrparse(&v).ok())
        .map_or(0, |l| l.len());
    n += usize::from(
        msg.headers
            .get_first_value("Date")
            .is_some_and(|d| mailparse::dateparse(&d).is_ok()),
    );
    n + walk(&msg)
}

fn full(c: &mut Criterion) {
    for (name, msgs) in fixtures() {
        let mut group = c.benchmark_group(format!("message-full/{name}"));
        group.throughput(Throughput::Bytes(msgs.iter().map(|m| m.len() as u64).sum()));
        group.sample_size(20);
        group.bench_with_input(
            BenchmarkId::from_parameter("mail-message"),
            &msgs,
            |b, msgs| b.iter(|| msgs.iter().map(|m| ours_full(black_box(m))).sum::<usize>()),
        );
        group.bench_with_input(
            BenchmarkId::from_parameter("mail-parser"),
            &msgs,
            |b, msgs| {
                b.iter(|| {
                    msgs.iter()
                        .map(|m| mail_parser_full(black_box(m)))
                        .sum::<usize>()
                })
            },
        );
        group.bench_with_input(
            BenchmarkId::from_parameter("mailparse"),
            &msgs,
            |b, msgs| {
                b.iter(|| {
                    msgs.iter()
                        .map(|m| mailparse_full(black_box(m)))
                        .sum::<usize>()
                })
            },
        );
        group.finish();
    }
}

fn ours_headers_lazy(m: &[u8]) -> usize {
    match header::parse_header_block(m, &Limits::default()) {
        mail_message::Status::Complete(block, _) => block.header.len(),
        mail_message::Status::Incomplete => 0,
    }
}

fn ours_headers_decoded(m: &[u8]) -> usize {
    use mail_message::{address, date, params};
    let mail_message::Status::Complete(block, _) =
        header::parse_header_block(m, &Limits::default())
    else {
        return 0;
    };
    // Each field read by its type, as mail-parser does while parsing.
    let mut n = 0;
    for f in block.header.iter() {
        let name = f.name();
        let is = |s: &str| name.eq_ignore_ascii_case(s);
        n += if is("from") || is("to") || is("cc") || is("bcc") || is("reply-to") || is("sender") {
            address::parse_address_list(&f.unfolded()).addresses.len()
        } else if is("date") {
            usize::from(date::parse_date(&f.unfolded()).is_some())
        } else if is("message-id") || is("references") || is("in-reply-to") {
            params::parse_message_ids(&f.unfolded()).0.len()
        } else if is("content-type") {
            params::parse_content_type(&f.unfolded()).map_or(0, |c| c.params.len())
        } else {
            f.text().len()
        };
    }
    n
}

fn headers(c: &mut Criterion) {
    for (name, msgs) in fixtures() {
        let mut group = c.benchmark_group(format!("message-headers/{name}"));
        let header_bytes: u64 = msgs
            .iter()
            .map(|m| {
                memchr::memmem::find(m, b"\n\n")
                    .or_else(|| memchr::memmem::find(m, b"\r\n\r\n"))
                    .unwrap_or(m.len()) as u64
            })
            .sum();
        group.throughput(Throughput::Bytes(header_bytes));
        group.sample_size(30);
        group.bench_with_input(
            BenchmarkId::new("mail-message", "lazy"),
            &msgs,
            |b, msgs| {
                b.iter(|| {
                    msgs.iter()
                        .map(|m| ours_headers_lazy(black_box(m)))
                        .sum::<usize>()
                })
            },
        );
        group.bench_with_input(
            BenchmarkId::new("mail-message", "decoded"),
            &msgs,
            |b, msgs| {
                b.iter(|| {
                    msgs.iter()
                        .map(|m| ours_headers_decoded(black_box(m)))
                        .sum::<usize>()
                })
            },
        );
        group.bench_with_input(
            BenchmarkId::from_parameter("mail-parser"),
            &msgs,
            |b, msgs| {
                b.iter(|| {
                    msgs.iter()
                        .map(|m| {
                            mail_parser::MessageParser::default()
                                .parse_headers(black_box(m))
                                .map_or(0, |msg| msg.headers().len())
                        })
                        .sum::<usize>()
                })
            },
        );
        group.bench_with_input(
            BenchmarkId::from_parameter("mailparse"),
            &msgs,
            |b, msgs| {
                b.iter(|| {
                    msgs.iter()
                        .map(|m| {
                            mailparse::parse_headers(black_box(m)).map_or(0, |(hs, _)| {
                                hs.iter().map(|h| h.get_value().len()).sum::<usize>()
                            })
                        })
                        .sum::<usize>()
                })
            },
        );
        group.finish();
    }
}

fn build(c: &mut Criterion) {
    let data: Vec<u8> = (0..100_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8)
        .collect();
    let text = "Grüße aus Köln! A line of text that goes on for a while.\n".repeat(100);
    let html = format!(
        "<html><body><p>{}</p></body></html>",
        text.replace('\n', "<br>\n")
    );
    let mut group = c.benchmark_group("message-build");
    let size = MessageBuilder::new().text(&text).html(&html).build().len() + data.len() * 4 / 3;
    group.throughput(Throughput::Bytes(size as u64));
    group.bench_function("mail-message", |b| {
        b.iter(|| {
            MessageBuilder::new()
                .from(EmailAddress::new(Some("Jörg Müller"), "joerg@example.org").expect("address"))
                .to(EmailAddress::new(Some("Mary Smith"), "mary@example.net").expect("address"))
                .subject(HeaderText::new("Grüße aus Köln, with an attachment").expect("text"))
                .text(black_box(&text))
                .html(black_box(&html))
                .attachment(
                    Attachment::new("application/pdf", Some("Bericht für Q3.pdf"), data.clone())
                        .expect("attachment"),
                )
                .build()
                .len()
        })
    });
    group.finish();
}

criterion_group!(benches, full, headers, build);
criterion_main!(benches);

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
//! toolchain, so depending on it here would break every build that does not pass
//! `--ignore-rust-version`. The package `benches/mail-parser-1` (outside the workspace) runs
//! the same fixtures and our same workload (`mail_benches::message`) next to mail-parser 1.0:
//! `cd benches/mail-parser-1 && cargo bench --ignore-rust-version`.

// `criterion_group!` makes an undocumented public function.
#![allow(missing_docs)]

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use mail_benches::message::{
    each, fixtures, header_bytes, ours_full, ours_headers_decoded, ours_headers_lazy,
};
use mail_message::builder::{Attachment, EmailAddress, HeaderText, MessageBuilder};

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
            |b, msgs| b.iter(|| each(msgs, ours_full)),
        );
        group.bench_with_input(
            BenchmarkId::from_parameter("mail-parser"),
            &msgs,
            |b, msgs| b.iter(|| each(msgs, mail_parser_full)),
        );
        group.bench_with_input(
            BenchmarkId::from_parameter("mailparse"),
            &msgs,
            |b, msgs| b.iter(|| each(msgs, mailparse_full)),
        );
        group.finish();
    }
}

fn headers(c: &mut Criterion) {
    for (name, msgs) in fixtures() {
        let mut group = c.benchmark_group(format!("message-headers/{name}"));
        group.throughput(Throughput::Bytes(header_bytes(&msgs)));
        group.sample_size(30);
        group.bench_with_input(
            BenchmarkId::new("mail-message", "lazy"),
            &msgs,
            |b, msgs| b.iter(|| each(msgs, ours_headers_lazy)),
        );
        group.bench_with_input(
            BenchmarkId::new("mail-message", "decoded"),
            &msgs,
            |b, msgs| b.iter(|| each(msgs, ours_headers_decoded)),
        );
        group.bench_with_input(
            BenchmarkId::from_parameter("mail-parser"),
            &msgs,
            |b, msgs| {
                b.iter(|| {
                    each(msgs, |m| {
                        mail_parser::MessageParser::default()
                            .parse_headers(m)
                            .map_or(0, |msg| msg.headers().len())
                    })
                })
            },
        );
        group.bench_with_input(
            BenchmarkId::from_parameter("mailparse"),
            &msgs,
            |b, msgs| {
                b.iter(|| {
                    each(msgs, |m| {
                        mailparse::parse_headers(m).map_or(0, |(hs, _)| {
                            hs.iter().map(|h| h.get_value().len()).sum::<usize>()
                        })
                    })
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

//! mail-message next to mail-parser 1.0 on the fixtures of the workspace's `message` bench, with
//! the same group names (`message-full/*`, `message-headers/*`).
//!
//! - `full`: parse, read Subject, From, To and Date, and decode every leaf body (text parts
//!   to UTF-8, the rest to bytes). mail-parser 1.0, like mail-message, decodes bodies on access:
//!   its side calls `MessagePart::text()` on text and HTML parts and `decoded()` on the other
//!   leaves, so both do the same work.
//! - `decode`: the base64 and quoted-printable bodies of the leaves alone, through each side's
//!   decoder (ours: `mail_message::decode`; theirs: `mail_parser::Encoding::decode`), with no
//!   parse around them; cases without such bodies are left out.
//! - `headers`: the top-level header. mail-parser 1.0's `parse_headers` parses every field by
//!   its form while splitting (addresses, dates, ids, Content-Type, RFC 2047 text); ours is
//!   shown lazy (fields split, values untouched) and decoded (every field read by its type).
//!
//! `cd benches/mail-parser-1 && cargo bench --ignore-rust-version`
//!
//! Wall-clock numbers move a lot on a shared 2-core machine; `examples/profile.rs` runs one case
//! of either side under `valgrind --tool=callgrind` for instruction counts that do not.

// `criterion_group!` makes an undocumented public function.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use mail_benches_mail_parser_1::{
    encoded_bodies, mail_parser_decode, mail_parser_full,
    message::{each, fixtures, header_bytes, ours_full, ours_headers_decoded, ours_headers_lazy},
    ours_decode,
};
use mail_parser::MessageParser;

const PEER: &str = "mail-parser-1.0";

fn full(c: &mut Criterion) {
    let parser = MessageParser::default();
    for (name, msgs) in fixtures() {
        let mut group = c.benchmark_group(format!("message-full/{name}"));
        group.throughput(Throughput::Bytes(msgs.iter().map(|m| m.len() as u64).sum()));
        group.sample_size(20);
        group.bench_with_input(
            BenchmarkId::from_parameter("mail-message"),
            &msgs,
            |b, msgs| b.iter(|| each(msgs, ours_full)),
        );
        group.bench_with_input(BenchmarkId::from_parameter(PEER), &msgs, |b, msgs| {
            b.iter(|| each(msgs, |m| mail_parser_full(&parser, m)))
        });
        group.finish();
    }
}

fn decode(c: &mut Criterion) {
    for (name, msgs) in fixtures() {
        let bodies = encoded_bodies(&msgs);
        if bodies.is_empty() {
            continue;
        }
        let mut group = c.benchmark_group(format!("message-decode/{name}"));
        group.throughput(Throughput::Bytes(
            bodies.iter().map(|(_, b)| b.len() as u64).sum(),
        ));
        group.sample_size(20);
        group.bench_with_input(
            BenchmarkId::from_parameter("mail-message"),
            &bodies,
            |b, bodies| b.iter(|| decode_all(bodies, ours_decode)),
        );
        group.bench_with_input(BenchmarkId::from_parameter(PEER), &bodies, |b, bodies| {
            b.iter(|| decode_all(bodies, mail_parser_decode))
        });
        group.finish();
    }
}

/// Every body through `decode` (each through `black_box`), the decoded lengths summed.
fn decode_all(bodies: &[(bool, Vec<u8>)], decode: fn(bool, &[u8]) -> usize) -> usize {
    bodies
        .iter()
        .map(|(base64, body)| decode(*base64, std::hint::black_box(body)))
        .sum()
}

fn headers(c: &mut Criterion) {
    let parser = MessageParser::default();
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
        group.bench_with_input(BenchmarkId::from_parameter(PEER), &msgs, |b, msgs| {
            b.iter(|| {
                each(msgs, |m| {
                    parser.parse_headers(m).map_or(0, |msg| msg.headers().len())
                })
            })
        });
        group.finish();
    }
}

criterion_group!(benches, full, decode, headers);
criterion_main!(benches);

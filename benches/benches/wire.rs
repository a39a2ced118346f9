//! mail-wire throughput: dot-unstuffing and CRLF line framing of a 10 MB body, with short and
//! long lines, next to Stalwart's `smtp-proto` `DataReceiver` and a plain copy of the same bytes
//! (the physical floor).
//!
//! `cargo bench -p mail-benches --bench wire`

// `criterion_group!` makes an undocumented public function.
#![allow(missing_docs)]

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use mail_benches::text_body;
use mail_wire::dot::{dot_stuff, DotDecoder};
use mail_wire::line::{Frame, LineConfig, LineFramer};
use mail_wire::{LineEnding, Status};

const SIZE: usize = 10 * 1024 * 1024;
/// Short lines as in text mail, and long lines as in base64 at 998 (the SMTP maximum).
const SHAPES: [(&str, usize); 2] = [("short-76", 76), ("long-998", 998)];
/// Bytes per read, as a server reading from a socket would hand them over.
const READ: usize = 64 * 1024;

fn dot_decode(c: &mut Criterion) {
    let mut group = c.benchmark_group("dot-decode-10MB");
    group.sample_size(20);
    for (name, line_len) in SHAPES {
        let wire = dot_stuff(&text_body(SIZE, line_len));
        group.throughput(Throughput::Bytes(wire.len() as u64));

        group.bench_with_input(BenchmarkId::new("copy", name), &wire, |b, wire| {
            let mut out = Vec::with_capacity(wire.len());
            b.iter(|| black_box(mail_benches::copy_in_reads(wire, READ, &mut out)))
        });

        group.bench_with_input(BenchmarkId::new("mail-wire", name), &wire, |b, wire| {
            let mut out = Vec::with_capacity(wire.len());
            b.iter(|| {
                out.clear();
                let mut decoder = DotDecoder::new(LineEnding::Reject);
                for chunk in wire.chunks(READ) {
                    if let Status::Complete(result, _) = decoder.decode(chunk, &mut out) {
                        assert!(result.is_ok());
                    }
                }
                black_box(out.len())
            })
        });

        // The zero-copy path: the sink sees borrowed pieces, as a server writing to a file would.
        group.bench_with_input(
            BenchmarkId::new("mail-wire-borrowed", name),
            &wire,
            |b, wire| {
                b.iter(|| {
                    let mut len = 0usize;
                    let mut decoder = DotDecoder::new(LineEnding::Reject);
                    for chunk in wire.chunks(READ) {
                        let _ = decoder.decode_with(chunk, |piece| len += black_box(piece).len());
                    }
                    black_box(len)
                })
            },
        );

        group.bench_with_input(
            BenchmarkId::new("mail-wire-allow", name),
            &wire,
            |b, wire| {
                let mut out = Vec::with_capacity(wire.len());
                b.iter(|| {
                    out.clear();
                    let mut decoder = DotDecoder::new(LineEnding::Allow);
                    for chunk in wire.chunks(READ) {
                        let _ = decoder.decode(chunk, &mut out);
                    }
                    black_box(out.len())
                })
            },
        );

        group.bench_with_input(
            BenchmarkId::new("stalwart-smtp-proto", name),
            &wire,
            |b, wire| {
                let mut out = Vec::with_capacity(wire.len());
                b.iter(|| {
                    out.clear();
                    let mut receiver = peer_smtp_proto::request::receiver::DataReceiver::new();
                    for chunk in wire.chunks(READ) {
                        let mut iter = chunk.iter();
                        if receiver.ingest(&mut iter, &mut out) {
                            break;
                        }
                    }
                    black_box(out.len())
                })
            },
        );
    }
    group.finish();
}

fn line_framing(c: &mut Criterion) {
    let mut group = c.benchmark_group("line-framing-10MB");
    group.sample_size(20);
    for (name, line_len) in SHAPES {
        let body = text_body(SIZE, line_len);
        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_with_input(BenchmarkId::new("mail-wire", name), &body, |b, body| {
            b.iter(|| {
                let mut framer = LineFramer::new(LineConfig::with_max_line(1024));
                let mut rest = &body[..];
                let mut lines = 0usize;
                while let Ok(Status::Complete(frame, n)) = framer.decode(rest) {
                    if let Frame::Line(line) = frame {
                        lines += line.content.len();
                    }
                    rest = &rest[n..];
                }
                black_box(lines)
            })
        });
        group.bench_with_input(BenchmarkId::new("memchr-lf", name), &body, |b, body| {
            b.iter(|| black_box(memchr_count(body)))
        });
    }
    group.finish();
}

/// The floor for line framing: find every LF and nothing else.
fn memchr_count(body: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', body).count()
}

criterion_group!(benches, dot_decode, line_framing);
criterion_main!(benches);

//! POP3 throughput: reply parsing of real server transcripts (the MailKit Gmail corpus:
//! CAPA, STAT, LIST, UIDL, RETR) and RETR of a 10 MB message decoded, next to async-pop's
//! reply parser (called without a socket through `Response::from_bytes`), mail-wire's dot
//! decoder alone (what SMTP DATA uses) and a plain copy of the same bytes.
//!
//! `cargo bench -p mail-benches --bench pop3`
//!
//! async-pop is not an equal: it needs the whole reply in one buffer (it rescans from the start
//! after `Incomplete`), guesses single- or multi-line LIST/UIDL by trying both, and returns a
//! RETR body without removing the stuffed dots.

// `criterion_group!` makes an undocumented public function.
#![allow(missing_docs)]

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use mail_benches::text_body;
use mail_wire::dot::{dot_stuff, DotDecoder};
use mail_wire::{LineEnding, Status};
use peer_async_pop::request::Request;
use peer_async_pop::response::Response;
use pop3_proto::codec::{parse_response_line, ParseOptions, ReplyDecoder, ReplyPart};
use pop3_proto::session::client::{Client, ClientEvent};
use pop3_proto::Command;

const CORPUS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../crates/pop3-proto/tests/data/pop3-responses/gmail/"
);
/// Bytes per read, as from a socket.
const READ: usize = 64 * 1024;

fn crlf(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 32);
    for &b in bytes {
        if b == b'\n' {
            out.push(b'\r');
        }
        out.push(b);
    }
    out
}

/// The replies of a session, each with the command it answers.
fn transcript() -> Vec<(&'static str, Command<'static>, Vec<u8>)> {
    [
        ("CAPA", Command::Capa, "capa1.txt"),
        ("STAT", Command::Stat, "stat.txt"),
        ("LIST", Command::List(None), "list.txt"),
        ("UIDL", Command::Uidl(None), "uidl.txt"),
        ("RETR", Command::Retr(1), "retr1.txt"),
        ("QUIT", Command::Quit, "quit.txt"),
    ]
    .into_iter()
    .map(|(k, c, f)| {
        let bytes = std::fs::read(format!("{CORPUS}{f}")).expect("corpus file");
        (k, c, crlf(&bytes))
    })
    .collect()
}

fn replies(c: &mut Criterion) {
    let replies = transcript();
    let wire: Vec<u8> = replies.iter().flat_map(|(_, _, b)| b.clone()).collect();
    let mut group = c.benchmark_group("pop3-replies-gmail");
    group.throughput(Throughput::Bytes(wire.len() as u64));

    // The whole client session: framing, typed listings, dot-unstuffed body events.
    group.bench_function("pop3-proto-client", |b| {
        b.iter(|| {
            let mut client = Client::new(Default::default());
            client.handle_input(b"+OK ready\r\n");
            for (_, cmd, _) in &replies {
                client.enqueue(cmd.clone()).expect("enqueue");
            }
            let mut sink = Vec::new();
            client.poll_transmit(&mut sink);
            client.handle_input(&wire);
            let mut n = 0;
            while let Some(e) = client.poll_event() {
                if matches!(e, ClientEvent::Reply { .. } | ClientEvent::Body { .. }) {
                    n += 1;
                }
            }
            black_box(n)
        })
    });

    // The codec alone: one ReplyDecoder, shape from each command.
    group.bench_function("pop3-proto-decoder", |b| {
        let mut body = Vec::with_capacity(128 * 1024);
        b.iter(|| {
            let mut decoder = ReplyDecoder::new(&ParseOptions::default());
            let mut total = 0;
            for (_, cmd, bytes) in &replies {
                decoder.expect(cmd.reply_shape());
                body.clear();
                let mut rest = &bytes[..];
                loop {
                    match decoder.decode(rest, &mut body) {
                        Ok(Status::Complete(part, used)) => {
                            rest = &rest[used..];
                            let done = match part {
                                ReplyPart::Line(_) => !decoder.in_body(),
                                ReplyPart::Body => false,
                                ReplyPart::End(_) => true,
                            };
                            if done {
                                break;
                            }
                        }
                        other => panic!("{other:?}"),
                    }
                }
                total += body.len();
            }
            black_box(total)
        })
    });

    group.bench_function("async-pop", |b| {
        let commands: Vec<Request> = replies
            .iter()
            .map(|(k, _, _)| k.parse().expect("async-pop request"))
            .collect();
        b.iter(|| {
            let mut n = 0;
            for ((_, _, bytes), req) in replies.iter().zip(&commands) {
                let (_, resp) =
                    Response::from_bytes(bytes, req.command()).expect("async-pop parses");
                black_box(&resp);
                n += 1;
            }
            black_box(n)
        })
    });
    group.finish();

    let mut group = c.benchmark_group("pop3-status-line");
    let line = b"+OK 3 221409";
    group.throughput(Throughput::Bytes(line.len() as u64 + 2));
    group.bench_function("pop3-proto", |b| {
        b.iter(|| black_box(parse_response_line(black_box(line)).is_ok()))
    });
    let stat: Request = "STAT".parse().expect("request");
    let full = b"+OK 3 221409\r\n";
    group.bench_function("async-pop", |b| {
        b.iter(|| black_box(Response::from_bytes(black_box(full), stat.command()).is_ok()))
    });
    group.finish();
}

fn retr_10mb(c: &mut Criterion) {
    let body = text_body(10 * 1024 * 1024, 76);
    let stuffed = dot_stuff(&body);
    let mut wire = format!("+OK {} octets\r\n", body.len()).into_bytes();
    wire.extend_from_slice(&stuffed);
    let mut group = c.benchmark_group("pop3-retr-10MB");
    group.sample_size(20);
    group.throughput(Throughput::Bytes(wire.len() as u64));

    group.bench_with_input(BenchmarkId::new("copy", "short-76"), &wire, |b, wire| {
        let mut out = Vec::with_capacity(wire.len());
        b.iter(|| black_box(mail_benches::copy_in_reads(wire, READ, &mut out)))
    });

    group.bench_with_input(
        BenchmarkId::new("mail-wire-dot", "short-76"),
        &stuffed,
        |b, w| {
            let mut out = Vec::with_capacity(w.len());
            b.iter(|| {
                out.clear();
                let mut decoder = DotDecoder::new(LineEnding::Reject);
                for chunk in w.chunks(READ) {
                    if let Status::Complete(result, _) = decoder.decode(chunk, &mut out) {
                        assert!(result.is_ok());
                    }
                }
                black_box(out.len())
            })
        },
    );

    group.bench_with_input(
        BenchmarkId::new("pop3-proto-decoder", "short-76"),
        &wire,
        |b, wire| {
            let mut out = Vec::with_capacity(wire.len());
            b.iter(|| {
                out.clear();
                let mut decoder = ReplyDecoder::new(&ParseOptions::default());
                decoder.expect(Command::Retr(1).reply_shape());
                for chunk in wire.chunks(READ) {
                    let mut rest = chunk;
                    while let Ok(Status::Complete(_, used)) = decoder.decode(rest, &mut out) {
                        rest = &rest[used..];
                        if rest.is_empty() {
                            break;
                        }
                    }
                    // The first read holds the whole status line; bodies are always consumed.
                    assert!(rest.is_empty());
                }
                assert_eq!(out.len(), body.len());
                black_box(out.len())
            })
        },
    );

    group.bench_with_input(
        BenchmarkId::new("pop3-proto-client", "short-76"),
        &wire,
        |b, wire| {
            b.iter(|| {
                let mut client = Client::new(Default::default());
                client.handle_input(b"+OK\r\n");
                client.retr(1).expect("retr");
                let mut sink = Vec::new();
                client.poll_transmit(&mut sink);
                let mut n = 0;
                for chunk in wire.chunks(READ) {
                    client.handle_input(chunk);
                    while let Some(e) = client.poll_event() {
                        if let ClientEvent::Body { data, .. } = e {
                            n += data.len();
                        }
                    }
                }
                assert_eq!(n, body.len());
                black_box(n)
            })
        },
    );

    let retr: Request = "RETR".parse().expect("request");
    group.bench_with_input(
        BenchmarkId::new("async-pop", "short-76"),
        &wire,
        |b, wire| {
            b.iter(|| {
                let (_, resp) =
                    Response::from_bytes(wire, retr.command()).expect("async-pop parses");
                black_box(resp)
            })
        },
    );
    group.finish();
}

criterion_group!(benches, replies, retr_10mb);
criterion_main!(benches);

//! smtp-proto parsing next to Stalwart's `smtp-proto` (renamed `peer-smtp-proto`):
//! - server side: a pipelined transaction (EHLO, MAIL with parameters, 50 RCPT, DATA) parsed
//!   command by command; plus our whole server session on the same bytes;
//! - client side: a 20-line EHLO reply into typed capabilities (`EhloReply::parse`), and
//!   single-line replies; with lettre's reply parser too (`Response::from_str`, and
//!   `ServerInfo::from_response` for EHLO: lettre's `parse_response` itself is crate-private,
//!   and `from_str` reports no length, so it is handed the single-line replies already split, a
//!   small advantage);
//! - a plain copy of the same bytes as the floor.
//!
//! Every side does the same work: it parses the bytes, checks them, and produces the public
//! result type a user of that crate gets from its parser (ours: `Command<'_>`, `Reply<'_>` and
//! `EhloReply<'_>`, which borrow the input (a multi-line reply owns its joined lines);
//! Stalwart's: `Request<Cow<str>>`, which borrows too, and `Response<String>` and
//! `EhloResponse<String>`, which own theirs; lettre's: `Response` and `ServerInfo`). Nothing is
//! skipped on either side. The `smtp-proto-owned` cases add `into_owned()` for a user who keeps
//! the result past the input buffer: for the replies, the same ownership Stalwart's results
//! have.
//!
//! - DATA: a 10 MB body through our whole server session (64 KiB reads, body handed out in
//!   `MessageData` chunks, or to a sink with `handle_input_with`) next to Stalwart's
//!   `DataReceiver` and a copy; the bare `DotDecoder` is in the `wire` bench.
//!
//! `cargo bench -p mail-benches --bench smtp`

// `criterion_group!` makes an undocumented public function.
#![allow(missing_docs)]

use std::str::FromStr;

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use mail_wire::Status;
use smtp_proto::codec::command::parse_command;
use smtp_proto::codec::ehlo::EhloReply;
use smtp_proto::codec::reply::parse_reply;
use smtp_proto::session::server::{ServerConfig, ServerEvent, ServerSession};
use smtp_proto::types::Domain;

use mail_benches::smtp::{peer_commands, peer_replies, transaction, EHLO, REPLIES};

fn commands(c: &mut Criterion) {
    let wire = transaction();
    let mut group = c.benchmark_group("smtp-commands-pipelined");
    group.throughput(Throughput::Bytes(wire.len() as u64));
    group.bench_function("copy", |b| {
        let mut out = Vec::with_capacity(wire.len());
        b.iter(|| {
            out.clear();
            out.extend_from_slice(black_box(&wire));
            black_box(out.len())
        })
    });
    group.bench_function("smtp-proto", |b| {
        b.iter(|| {
            let mut rest = black_box(&wire[..]);
            let mut n = 0;
            while let Ok(Status::Complete(cmd, used)) = parse_command(rest) {
                black_box(&cmd);
                rest = &rest[used..];
                n += 1;
            }
            assert_eq!(n, 53);
        })
    });
    group.bench_function("smtp-proto-owned", |b| {
        b.iter(|| {
            let mut rest = black_box(&wire[..]);
            let mut n = 0;
            while let Ok(Status::Complete(cmd, used)) = parse_command(rest) {
                black_box(cmd.into_owned());
                rest = &rest[used..];
                n += 1;
            }
            assert_eq!(n, 53);
        })
    });
    group.bench_function("peer-smtp-proto", |b| {
        b.iter(|| assert_eq!(peer_commands(black_box(&wire)), 53))
    });
    group.bench_function("smtp-proto-session", |b| {
        let config =
            ServerConfig::new(Domain::new("mx.example.com").unwrap_or_else(|_| unreachable!()));
        let mut out = Vec::new();
        b.iter(|| {
            let mut s = ServerSession::new(config.clone());
            s.handle_input(black_box(&wire));
            loop {
                match s.poll_event() {
                    Some(ServerEvent::MailFrom { .. } | ServerEvent::RcptTo { .. }) => {
                        let _ = s.accept();
                    }
                    Some(_) => {}
                    None => break,
                }
            }
            out.clear();
            s.poll_transmit(&mut out);
            black_box(out.len())
        })
    });
    group.finish();
}

fn replies(c: &mut Criterion) {
    let mut group = c.benchmark_group("smtp-ehlo-reply-20-lines");
    group.throughput(Throughput::Bytes(EHLO.len() as u64));
    group.bench_function("smtp-proto", |b| {
        b.iter(|| {
            let Ok(Status::Complete(ehlo, _)) = EhloReply::parse(black_box(EHLO)) else {
                panic!()
            };
            // The whole result, as for the peer below.
            black_box(&ehlo);
        })
    });
    group.bench_function("smtp-proto-owned", |b| {
        b.iter(|| {
            let Ok(Status::Complete(ehlo, _)) = EhloReply::parse(black_box(EHLO)) else {
                panic!()
            };
            black_box(ehlo.into_owned())
        })
    });
    group.bench_function("peer-smtp-proto", |b| {
        b.iter(|| {
            let ehlo = peer_smtp_proto::EhloResponse::parse(&mut black_box(EHLO).iter());
            black_box(&ehlo);
        })
    });
    group.bench_function("lettre", |b| {
        let text = std::str::from_utf8(EHLO).unwrap_or_else(|_| unreachable!());
        b.iter(|| {
            let Ok(reply) = lettre::transport::smtp::response::Response::from_str(black_box(text))
            else {
                panic!()
            };
            let info = lettre::transport::smtp::extension::ServerInfo::from_response(&reply);
            black_box(info.is_ok())
        })
    });
    group.finish();

    let mut group = c.benchmark_group("smtp-replies");
    group.throughput(Throughput::Bytes(REPLIES.len() as u64));
    let lettre_lines: Vec<&str> = std::str::from_utf8(REPLIES)
        .unwrap_or_else(|_| unreachable!())
        .split_inclusive("\r\n")
        .collect();
    for (name, which) in [
        ("smtp-proto", 0),
        ("smtp-proto-owned", 3),
        ("peer-smtp-proto", 1),
        ("lettre", 2),
    ] {
        group.bench_with_input(BenchmarkId::from_parameter(name), &which, |b, &which| {
            b.iter(|| {
                let mut n = 0;
                if which == 0 || which == 3 {
                    let mut rest = black_box(REPLIES);
                    while let Ok(Status::Complete(r, used)) = parse_reply(rest) {
                        if which == 3 {
                            black_box(r.into_owned());
                        } else {
                            black_box(&r);
                        }
                        rest = &rest[used..];
                        n += 1;
                    }
                } else if which == 2 {
                    for line in black_box(&lettre_lines) {
                        match lettre::transport::smtp::response::Response::from_str(line) {
                            Ok(r) => {
                                black_box(&r);
                                n += 1;
                            }
                            Err(e) => panic!("{e:?}"),
                        }
                    }
                } else {
                    n = peer_replies(black_box(REPLIES));
                }
                assert_eq!(n, 6);
            })
        });
    }
    group.finish();
}

fn data(c: &mut Criterion) {
    const READ: usize = 64 * 1024;
    let wire = mail_wire::dot::dot_stuff(&mail_benches::text_body(10 * 1024 * 1024, 76));
    let mut group = c.benchmark_group("smtp-data-10MB");
    group.sample_size(20);
    group.throughput(Throughput::Bytes(wire.len() as u64));
    group.bench_function("copy", |b| {
        let mut out = Vec::with_capacity(wire.len());
        b.iter(|| black_box(mail_benches::copy_in_reads(&wire, READ, &mut out)))
    });
    // Body out through `MessageData` events, or (`-sink`) to a sink in pieces borrowed from each
    // read (`handle_input_with`), as a server writing to a file would.
    for (name, sink) in [
        ("smtp-proto-session", false),
        ("smtp-proto-session-sink", true),
    ] {
        group.bench_function(name, |b| {
            let config =
                ServerConfig::new(Domain::new("mx.example.com").unwrap_or_else(|_| unreachable!()));
            let mut body = Vec::with_capacity(wire.len());
            let mut out = Vec::new();
            b.iter(|| {
                let mut s = ServerSession::new(config.clone());
                body.clear();
                s.handle_input(b"EHLO c\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nDATA\r\n");
                for chunk in std::iter::once(&[][..]).chain(wire.chunks(READ)) {
                    if sink {
                        s.handle_input_with(chunk, |piece| body.extend_from_slice(piece));
                    } else {
                        s.handle_input(chunk);
                    }
                    while let Some(e) = s.poll_event() {
                        match e {
                            ServerEvent::MailFrom { .. }
                            | ServerEvent::RcptTo { .. }
                            | ServerEvent::MessageEnd => {
                                let _ = s.accept();
                            }
                            ServerEvent::MessageData(d) => body.extend_from_slice(&d),
                            _ => {}
                        }
                    }
                }
                out.clear();
                s.poll_transmit(&mut out);
                assert!(out.ends_with(b"250 2.0.0 OK: message accepted\r\n"));
                black_box(body.len())
            })
        });
    }
    group.bench_function("peer-smtp-proto", |b| {
        let mut body = Vec::with_capacity(wire.len());
        b.iter(|| {
            body.clear();
            let mut receiver = peer_smtp_proto::request::receiver::DataReceiver::new();
            let mut done = false;
            for chunk in wire.chunks(READ) {
                let mut iter = chunk.iter();
                if receiver.ingest(&mut iter, &mut body) {
                    done = true;
                    break;
                }
            }
            assert!(done);
            black_box(body.len())
        })
    });
    group.finish();
}

criterion_group!(benches, commands, replies, data);
criterion_main!(benches);

//! Wall-clock timing of ours against Stalwart's smtp-proto on a machine that is not quiet:
//! short batches of each case run in turn, and the fastest batch of each side is kept (a batch
//! that the scheduler interrupted is only ever slower). Criterion's means on a shared machine
//! swing by 2x from run to run; the minimum of many interleaved batches holds still.
//!
//! `smtp_interleaved [rounds] [batch]`, for example
//!
//! ```text
//! cargo run --profile bench -p mail-benches --example smtp_interleaved -- 400 2000
//! ```
//!
//! Prints, per case, the fastest and the median batch in nanoseconds per parse for both sides
//! and the ratio of the fastest. The `owned` cases keep our result past the input (`into_owned`,
//! as a client session does), which Stalwart's result, owning its text, always does.

use std::hint::black_box;
use std::time::Instant;

use mail_benches::smtp::{peer_commands, peer_replies, transaction, EHLO, REPLIES};
use mail_wire::Status;
use smtp_proto::codec::command::parse_command;
use smtp_proto::codec::ehlo::EhloReply;
use smtp_proto::codec::reply::parse_reply;

/// A case: its bench group, our side, Stalwart's side, calls per batch.
type Case<'a> = (&'a str, &'a dyn Fn(), &'a dyn Fn(), usize);

/// Nanoseconds per call of `f`, over `batch` calls.
fn batch(batch: usize, f: &dyn Fn()) -> f64 {
    let start = Instant::now();
    for _ in 0..batch {
        f();
    }
    start.elapsed().as_nanos() as f64 / batch as f64
}

fn ehlo_ours() {
    if let Ok(Status::Complete(ehlo, _)) = EhloReply::parse(black_box(EHLO)) {
        black_box(&ehlo);
    }
}

/// The reply as a client keeps it (`into_owned`), like Stalwart's, whose result owns its text.
fn ehlo_owned() {
    if let Ok(Status::Complete(ehlo, _)) = EhloReply::parse(black_box(EHLO)) {
        black_box(ehlo.into_owned());
    }
}

fn ehlo_peer() {
    let ehlo = peer_smtp_proto::EhloResponse::parse(&mut black_box(EHLO).iter());
    black_box(&ehlo);
}

fn replies_ours() {
    let mut rest = black_box(REPLIES);
    while let Ok(Status::Complete(r, used)) = parse_reply(rest) {
        black_box(&r);
        rest = rest.get(used..).unwrap_or_default();
    }
}

fn replies_owned() {
    let mut rest = black_box(REPLIES);
    while let Ok(Status::Complete(r, used)) = parse_reply(rest) {
        black_box(r.into_owned());
        rest = rest.get(used..).unwrap_or_default();
    }
}

fn replies_peer() {
    black_box(peer_replies(black_box(REPLIES)));
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let rounds = args.first().copied().unwrap_or(400);
    let size = args.get(1).copied().unwrap_or(2000);
    let wire = transaction();
    let txn_ours = || {
        let mut rest = black_box(&wire[..]);
        while let Ok(Status::Complete(cmd, used)) = parse_command(rest) {
            black_box(&cmd);
            rest = rest.get(used..).unwrap_or_default();
        }
    };
    let txn_peer = || {
        black_box(peer_commands(black_box(&wire)));
    };
    let cases: [Case<'_>; 5] = [
        ("smtp-ehlo-reply-20-lines", &ehlo_ours, &ehlo_peer, size),
        (
            "smtp-ehlo-reply-20-lines owned",
            &ehlo_owned,
            &ehlo_peer,
            size,
        ),
        ("smtp-replies", &replies_ours, &replies_peer, size),
        ("smtp-replies owned", &replies_owned, &replies_peer, size),
        ("smtp-commands-pipelined", &txn_ours, &txn_peer, size / 20),
    ];
    for (name, ours, peer, n) in cases {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for _ in 0..rounds {
            a.push(batch(n, ours));
            b.push(batch(n, peer));
        }
        a.sort_by(f64::total_cmp);
        b.sort_by(f64::total_cmp);
        let at = |v: &[f64], i: usize| v.get(i).copied().unwrap_or(f64::NAN);
        let (a_min, b_min) = (at(&a, 0), at(&b, 0));
        let (a_med, b_med) = (at(&a, a.len() / 2), at(&b, b.len() / 2));
        println!(
            "{name}: ours min {a_min:.1} ns median {a_med:.1} ns; Stalwart min {b_min:.1} ns \
             median {b_med:.1} ns; ratio of min {:.2}, of median {:.2}",
            b_min / a_min,
            b_med / a_med
        );
    }
}

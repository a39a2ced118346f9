//! One SMTP reply bench case run a fixed number of times, for `valgrind --tool=callgrind`
//! (instruction counts hold still on a loaded machine where wall-clock time does not):
//!
//! `smtp_reply_profile <ehlo|ehlo-owned|replies|replies-owned|client-ehlo> <ours|peer> [iterations]`,
//! for example
//!
//! ```text
//! cargo build --profile bench -p mail-benches --example smtp_reply_profile
//! valgrind --tool=callgrind --toggle-collect='*smtp_reply_profile::run*' \
//!     target/release/examples/smtp_reply_profile ehlo ours 100
//! ```
//!
//! Divide the instructions by the iterations for one parse (of the 20-line EHLO reply, or of
//! the six single-line replies back to back). `client-ehlo` (ours only) is a client session
//! taking the greeting and the EHLO reply until it is ready with the capabilities.

// Wrong arguments end the run with a message: this is a tool, not a library.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::hint::black_box;

use mail_benches::smtp::{peer_replies, EHLO, REPLIES};
use mail_wire::Status;
use smtp_proto::codec::ehlo::EhloReply;
use smtp_proto::codec::reply::parse_reply;
use smtp_proto::session::client::{ClientConfig, ClientEvent, ClientSession, TlsPolicy};
use smtp_proto::types::Domain;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (case, who) = (&args[1], &args[2]);
    let iterations: usize = args.get(3).map_or(100, |n| n.parse().expect("iterations"));
    println!("{}", run(case, who, iterations));
}

/// The measured part (callgrind: `--toggle-collect='*smtp_reply_profile::run*'`).
#[inline(never)]
fn run(case: &str, who: &str, iterations: usize) -> usize {
    let mut n = 0;
    for _ in 0..iterations {
        n += match (case, who) {
            ("ehlo", "ours") => match EhloReply::parse(black_box(EHLO)) {
                Ok(Status::Complete(ehlo, _)) => black_box(&ehlo).len(),
                _ => panic!("EHLO did not parse"),
            },
            ("ehlo-owned", "ours") => match EhloReply::parse(black_box(EHLO)) {
                Ok(Status::Complete(ehlo, _)) => black_box(ehlo.into_owned()).len(),
                _ => panic!("EHLO did not parse"),
            },
            ("ehlo" | "ehlo-owned", "peer") => {
                let ehlo = peer_smtp_proto::EhloResponse::parse(&mut black_box(EHLO).iter());
                black_box(&ehlo)
                    .as_ref()
                    .map_or(0, |e| e.capabilities as usize)
            }
            ("replies" | "replies-owned", "ours") => {
                let mut rest = black_box(REPLIES);
                let mut k = 0;
                while let Ok(Status::Complete(r, used)) = parse_reply(rest) {
                    if case == "replies-owned" {
                        black_box(r.into_owned());
                    } else {
                        black_box(&r);
                    }
                    rest = &rest[used..];
                    k += 1;
                }
                k
            }
            ("replies" | "replies-owned", "peer") => peer_replies(black_box(REPLIES)),
            ("client-ehlo", "ours") => {
                let host = Domain::new("client.example.org").expect("domain");
                // Without STARTTLS (which the reply offers), to be ready after EHLO.
                let mut config = ClientConfig::new(host);
                config.tls = TlsPolicy::Never;
                let mut client = ClientSession::new(config);
                client.handle_input(b"220 mx.example.com ESMTP\r\n");
                client.handle_input(black_box(EHLO));
                match client.poll_event() {
                    Some(ClientEvent::Ready(ehlo)) => black_box(ehlo).len(),
                    other => panic!("not ready: {other:?}"),
                }
            }
            _ => panic!("unknown case {case} {who}"),
        };
    }
    n
}

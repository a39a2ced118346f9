//! One case of the `smtp-commands-pipelined` bench group run a fixed number of times, for
//! `valgrind --tool=callgrind` (instruction counts hold still on a loaded machine where
//! wall-clock time does not):
//!
//! `smtp_profile <ours|owned|peer|session> [iterations]`, for example
//!
//! ```text
//! cargo build --profile bench -p mail-benches --example smtp_profile
//! valgrind --tool=callgrind --toggle-collect='*smtp_profile::run*' \
//!     target/release/examples/smtp_profile ours 100
//! ```
//!
//! Divide the instructions by the iterations for one parse of the transaction.

use std::hint::black_box;

use mail_wire::Status;
use smtp_proto::codec::command::parse_command;
use smtp_proto::session::server::{ServerConfig, ServerEvent, ServerSession};
use smtp_proto::types::Domain;

use mail_benches::smtp::{peer_commands, transaction};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let who = args.get(1).map_or("ours", String::as_str);
    let iterations: usize = args.get(2).map_or(100, |n| n.parse().unwrap_or(100));
    let wire = transaction();
    println!("{}", run(who, &wire, iterations));
}

/// The measured part (callgrind: `--toggle-collect='*smtp_profile::run*'`).
#[inline(never)]
fn run(who: &str, wire: &[u8], iterations: usize) -> usize {
    let config =
        ServerConfig::new(Domain::new("mx.example.com").unwrap_or_else(|_| unreachable!()));
    let mut out = Vec::new();
    let mut n = 0;
    for _ in 0..iterations {
        let wire = black_box(wire);
        match who {
            "ours" | "owned" => {
                let mut rest = wire;
                while let Ok(Status::Complete(cmd, used)) = parse_command(rest) {
                    if who == "owned" {
                        black_box(cmd.into_owned());
                    } else {
                        black_box(&cmd);
                    }
                    rest = rest.get(used..).unwrap_or_default();
                    n += 1;
                }
            }
            "peer" => n += peer_commands(wire),
            _ => {
                let mut s = ServerSession::new(config.clone());
                s.handle_input(wire);
                while let Some(event) = s.poll_event() {
                    if matches!(
                        event,
                        ServerEvent::MailFrom { .. } | ServerEvent::RcptTo { .. }
                    ) {
                        let _ = s.accept();
                    }
                    n += 1;
                }
                out.clear();
                s.poll_transmit(&mut out);
                n += out.len();
            }
        }
    }
    n
}

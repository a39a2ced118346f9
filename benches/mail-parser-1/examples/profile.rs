//! One bench case run a fixed number of times, for `valgrind --tool=callgrind` (instruction
//! counts hold still on a loaded machine where wall-clock time does not):
//!
//! `profile <full|decode|headers-lazy|headers-decoded|headers> <case> <ours|peer> [iterations]`
//! (`decode` is the base64 and quoted-printable bodies alone, as in the `message-decode` bench
//! group; `headers` with `peer` is mail-parser's `parse_headers`), for example
//!
//! ```text
//! cargo build --profile bench --ignore-rust-version --example profile
//! valgrind --tool=callgrind --toggle-collect='*profile::run*' \
//!     target/release/examples/profile full startrek ours 20
//! ```

use std::hint::black_box;

use mail_benches_mail_parser_1::{
    encoded_bodies, mail_parser_decode, mail_parser_full,
    message::{fixtures, ours_full, ours_headers_decoded, ours_headers_lazy},
    ours_decode,
};
use mail_parser::MessageParser;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (group, case, who) = (&args[1], &args[2], &args[3]);
    let iterations: usize = args.get(4).map_or(10, |n| n.parse().expect("iterations"));
    let msgs = fixtures()
        .into_iter()
        .find(|(name, _)| name == case)
        .expect("case")
        .1;
    if group == "decode" {
        println!("{}", run_decode(who, &encoded_bodies(&msgs), iterations));
        return;
    }
    println!("{}", run(group, who, &msgs, iterations));
}

/// The measured part (callgrind: `--toggle-collect='*profile::run*'`).
#[inline(never)]
fn run(group: &str, who: &str, msgs: &[Vec<u8>], iterations: usize) -> usize {
    let parser = MessageParser::default();
    let mut n = 0;
    for _ in 0..iterations {
        for m in msgs {
            let m = black_box(m.as_slice());
            n += match (group, who) {
                ("full", "ours") => ours_full(m),
                ("full", _) => mail_parser_full(&parser, m),
                ("headers-lazy", "ours") => ours_headers_lazy(m),
                ("headers-decoded", "ours") => ours_headers_decoded(m),
                (_, _) => parser.parse_headers(m).map_or(0, |msg| msg.headers().len()),
            };
        }
    }
    n
}

/// The measured part of `decode` (callgrind: `--toggle-collect='*profile::run_decode*'`).
#[inline(never)]
fn run_decode(who: &str, bodies: &[(bool, Vec<u8>)], iterations: usize) -> usize {
    let decode = if who == "ours" {
        ours_decode
    } else {
        mail_parser_decode
    };
    let mut n = 0;
    for _ in 0..iterations {
        for (base64, body) in bodies {
            n += decode(*base64, black_box(body.as_slice()));
        }
    }
    n
}

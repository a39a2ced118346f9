//! IMAP parsing throughput, next to imap-codec and djc's imap-proto (`peer-imap-proto`), in the
//! same groups: the MailKit corpus responses (units every parser accepts), a FETCH with ENVELOPE
//! and a nested BODYSTRUCTURE, FETCHes carrying 100 KB and 10 MB literals, a SEARCH with 10,000
//! numbers, 1,000 LIST lines, and typical client commands (djc's crate parses no commands).
//!
//! `cargo bench -p mail-benches --bench imap`

// `criterion_group!` makes an undocumented public function.
#![allow(missing_docs)]

use std::path::Path;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use imap_codec::decode::Decoder;
use imap_codec::{CommandCodec, ResponseCodec};
use imap_proto::{parse_command, parse_response, ParseOptions, Status};

fn normalise(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len() + raw.len() / 20);
    let mut prev = 0u8;
    for &b in raw {
        if b == b'\n' && prev != b'\r' {
            out.push(b'\r');
        }
        out.push(b);
        prev = b;
    }
    out
}

fn ours_response(unit: &[u8], opts: &ParseOptions) -> bool {
    matches!(parse_response(unit, opts), Ok(Status::Complete(..)))
}

fn codec_response(unit: &[u8]) -> bool {
    ResponseCodec::default().decode(unit).is_ok()
}

fn djc_response(unit: &[u8]) -> bool {
    peer_imap_proto::parser::parse_response(unit).is_ok()
}

/// Every unit of the corpus that all three parsers accept.
fn corpus_units() -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../crates/imap-proto/tests/data/imap-responses");
    let opts = ParseOptions::lenient();
    let mut units = Vec::new();
    let mut rejected = 0;
    for dir in ["common", "gmail", "dovecot"] {
        let Ok(rd) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        let mut paths: Vec<_> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            let bytes = normalise(&std::fs::read(&p).unwrap_or_default());
            let mut off = 0;
            while let Ok(Status::Complete(_, n)) =
                parse_response(bytes.get(off..).unwrap_or_default(), &opts)
            {
                let unit = bytes.get(off..off + n).unwrap_or_default().to_vec();
                off += n;
                if codec_response(&unit) && djc_response(&unit) {
                    units.push(unit);
                } else {
                    rejected += 1;
                }
            }
        }
    }
    eprintln!(
        "corpus: {} units all parsers accept, {rejected} left out",
        units.len()
    );
    units
}

fn bench_units(c: &mut Criterion, group: &str, units: &[Vec<u8>], commands: bool) {
    let mut g = c.benchmark_group(group);
    g.throughput(Throughput::Bytes(
        units.iter().map(|u| u.len() as u64).sum(),
    ));
    let opts = ParseOptions::lenient();
    if commands {
        g.bench_function("imap-proto", |b| {
            b.iter(|| {
                for u in units {
                    assert!(matches!(
                        parse_command(black_box(u), &opts),
                        Ok(Status::Complete(..))
                    ));
                }
            })
        });
        g.bench_function("imap-codec", |b| {
            b.iter(|| {
                for u in units {
                    assert!(CommandCodec::default().decode(black_box(u)).is_ok());
                }
            })
        });
    } else {
        g.bench_function("imap-proto", |b| {
            b.iter(|| {
                for u in units {
                    assert!(ours_response(black_box(u), &opts));
                }
            })
        });
        g.bench_function("imap-codec", |b| {
            b.iter(|| {
                for u in units {
                    assert!(codec_response(black_box(u)));
                }
            })
        });
        g.bench_function("peer-imap-proto", |b| {
            b.iter(|| {
                for u in units {
                    assert!(djc_response(black_box(u)));
                }
            })
        });
    }
    g.finish();
}

fn fetch_literal(size: usize) -> Vec<u8> {
    let mut v = format!("* 1 FETCH (UID 42 RFC822.SIZE {size} BODY[] {{{size}}}\r\n").into_bytes();
    let line =
        b"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.\r\n";
    while v.len() < size + 60 {
        v.extend_from_slice(line);
    }
    let head = v.iter().position(|&b| b == b'\n').map_or(0, |i| i + 1);
    v.truncate(head + size);
    v.extend_from_slice(b" FLAGS (\\Seen))\r\n");
    v
}

const ENVELOPE_BODYSTRUCTURE: &str = "* 12 FETCH (UID 4827 FLAGS (\\Seen) ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \"IMAP4rev1 WG mtg summary and minutes\" ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) ((NIL NIL \"imap\" \"cac.washington.edu\")) ((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) NIL NIL \"<B27397-0100000@cac.washington.edu>\") BODYSTRUCTURE (((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"UTF-8\") NIL NIL \"QUOTED-PRINTABLE\" 1204 31 NIL NIL NIL NIL)(\"TEXT\" \"HTML\" (\"CHARSET\" \"UTF-8\") NIL NIL \"QUOTED-PRINTABLE\" 5321 120 NIL NIL NIL NIL) \"ALTERNATIVE\" (\"BOUNDARY\" \"b1\") NIL NIL NIL)(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 22436 (\"Wed, 26 Aug 92 22:13:24 EDT\" \"mail from Wacky\" ((\"Derek Beatty\" NIL \"beatty\" \"sqhilton.pc.cs.cmu.edu\")) ((\"Derek Beatty\" NIL \"beatty\" \"sqhilton.pc.cs.cmu.edu\")) ((\"Derek Beatty\" NIL \"beatty\" \"sqhilton.pc.cs.cmu.edu\")) ((NIL NIL \"dragel\" \"sqhilton.pc.cs.cmu.edu\")) NIL NIL NIL \"<9208270213.AA21178@sqhilton.pc.cs.cmu.edu>\") ((\"TEXT\" \"PLAIN\" (\"NAME\" \"index.rtf\") NIL NIL \"7BIT\" 110 6 NIL NIL NIL NIL)(\"AUDIO\" \"BASIC\" (\"NAME\" \"voice.vox\") NIL NIL \"BASE64\" 20910 NIL (\"attachment\" (\"FILENAME\" \"voice.vox\")) NIL NIL) \"MIXED\" (\"BOUNDARY\" \"b2\") NIL NIL NIL) 326 NIL NIL NIL NIL)(\"APPLICATION\" \"PDF\" (\"NAME\" \"a.pdf\") NIL NIL \"BASE64\" 81234 NIL (\"attachment\" (\"FILENAME\" \"a.pdf\")) NIL NIL) \"MIXED\" (\"BOUNDARY\" \"b0\") NIL NIL NIL))\r\n";

fn responses(c: &mut Criterion) {
    bench_units(c, "imap-response-corpus", &corpus_units(), false);
    bench_units(
        c,
        "imap-response-fetch-envelope-bodystructure",
        &[ENVELOPE_BODYSTRUCTURE.as_bytes().to_vec()],
        false,
    );
    bench_units(
        c,
        "imap-response-fetch-literal-100KB",
        &[fetch_literal(100 << 10)],
        false,
    );
    bench_units(
        c,
        "imap-response-fetch-literal-10MB",
        &[fetch_literal(10 << 20)],
        false,
    );

    let mut search = b"* SEARCH".to_vec();
    for i in 0..10_000u32 {
        search.extend_from_slice(format!(" {}", 1 + i * 7).as_bytes());
    }
    search.extend_from_slice(b"\r\n");
    bench_units(c, "imap-response-search-10000", &[search], false);

    let lists: Vec<Vec<u8>> = (0..1000)
        .map(|i| {
            format!(
                "* LIST (\\HasNoChildren) \"/\" \"Archive/{}/Folder {i}\"\r\n",
                2000 + i % 25
            )
            .into_bytes()
        })
        .collect();
    bench_units(c, "imap-response-list-1000", &lists, false);
}

fn commands(c: &mut Criterion) {
    let mut append = b"A5 APPEND Sent (\\Seen) \"17-Jul-1996 02:44:25 -0700\" {310+}\r\n".to_vec();
    append.extend(std::iter::repeat_n(b'a', 308));
    append.extend_from_slice(b"\r\n\r\n");
    let cmds: Vec<Vec<u8>> = vec![
        b"A1 LOGIN alice@example.com \"s3cr3t pass\"\r\n".to_vec(),
        b"A2 SELECT INBOX\r\n".to_vec(),
        b"A3 UID FETCH 1:* (UID FLAGS RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID)])\r\n"
            .to_vec(),
        b"A4 UID SEARCH UNDELETED SINCE 1-Feb-2024 FROM \"alice\" NOT SUBJECT \"[spam]\" OR SEEN FLAGGED LARGER 1024\r\n"
            .to_vec(),
        append,
    ];
    bench_units(c, "imap-commands-typical", &cmds, true);
}

criterion_group!(benches, responses, commands);
criterion_main!(benches);

//! `into_owned()`: every corpus response and every RFC example command and response, parsed
//! from a buffer that is then dropped, is equal to its borrowed parse and serialises to the
//! same bytes.

use imap_proto::{parse_command, parse_response, Command, Encode, ParseOptions, Response, Status};

mod common;
use common::{corpus_files, normalise};

/// Parses a copy of `unit`, drops the copy and returns the owned value with the serialisation
/// of the borrowed one.
fn owned_response(unit: &[u8], opts: &ParseOptions) -> (Response<'static>, Vec<u8>) {
    let buf = unit.to_vec();
    let Ok(Status::Complete(resp, used)) = parse_response(&buf, opts) else {
        panic!("{:?}", String::from_utf8_lossy(unit));
    };
    assert_eq!(used, buf.len());
    let owned = resp.clone().into_owned();
    assert_eq!(owned, resp);
    let bytes = resp.encode().bytes().to_vec();
    drop(resp);
    drop(buf);
    (owned, bytes)
}

fn owned_command(unit: &[u8], opts: &ParseOptions) -> (Command<'static>, Vec<u8>) {
    let buf = unit.to_vec();
    let Ok(Status::Complete(cmd, used)) = parse_command(&buf, opts) else {
        panic!("{:?}", String::from_utf8_lossy(unit));
    };
    assert_eq!(used, buf.len());
    let owned = cmd.clone().into_owned();
    assert_eq!(owned, cmd);
    let bytes = cmd.encode().bytes().to_vec();
    drop(cmd);
    drop(buf);
    (owned, bytes)
}

#[test]
fn corpus_responses_into_owned() {
    let opts = ParseOptions::lenient();
    let mut units = 0;
    for p in corpus_files() {
        // Gmail's short literal (tests/corpus.rs: a clear error in every mode).
        if p.ends_with("gmail/headers.1+unsolicited-info.txt") {
            continue;
        }
        let bytes = normalise(&std::fs::read(&p).unwrap_or_default());
        let mut off = 0;
        while let Some(rest) = bytes.get(off..).filter(|r| !r.is_empty()) {
            let Ok(Status::Complete(_, n)) = parse_response(rest, &opts) else {
                panic!("{} at {off}", p.display());
            };
            let unit = rest.get(..n).unwrap_or_default();
            let (owned, expected) = owned_response(unit, &opts);
            assert_eq!(owned.encode().bytes(), expected, "{}", p.display());
            // Converting an owned value again changes nothing.
            assert_eq!(owned.clone().into_owned(), owned);
            off += n;
            units += 1;
        }
    }
    assert!(units > 1000, "{units}");
}

#[test]
fn rfc_examples_into_owned() {
    let text = include_str!("data/rfc-examples.txt");
    let opts = ParseOptions::default();
    let (mut commands, mut responses) = (0, 0);
    for line in text.lines() {
        let Some((dir, rest)) = line.split_once(": ") else {
            continue;
        };
        let unit = format!("{rest}\r\n");
        match dir {
            "S" => {
                let (owned, expected) = owned_response(unit.as_bytes(), &opts);
                assert_eq!(owned.encode().bytes(), expected, "{rest}");
                responses += 1;
            }
            "C" if !rest.eq_ignore_ascii_case("DONE") => {
                let (owned, expected) = owned_command(unit.as_bytes(), &opts);
                assert_eq!(owned.encode().bytes(), expected, "{rest}");
                commands += 1;
            }
            _ => {}
        }
    }
    assert!(commands > 200 && responses > 200, "{commands} {responses}");
}

#[test]
fn literals_and_secrets_into_owned() {
    let opts = ParseOptions::default();
    let (login, bytes) = owned_command(b"A1 LOGIN {5+}\r\nalice {6+}\r\ns\"cr t\r\n", &opts);
    assert_eq!(login.encode().bytes(), bytes);
    assert!(format!("{login:?}").contains("[redacted]"));
    let (fetch, bytes) = owned_response(
        b"* 3 FETCH (UID 9 BODY[HEADER.FIELDS (FROM)] {21}\r\nFrom: a@example.org\r\n X-GM-LABELS (\\Inbox \"x y\"))\r\n",
        &ParseOptions::default(),
    );
    assert_eq!(fetch.encode().bytes(), bytes);
    assert_eq!(fetch.kind(), "Fetch");
}

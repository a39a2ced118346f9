//! The `C:`/`S:` example lines of RFC 3501, RFC 9051 and the extension RFCs
//! (tests/data/rfc-examples.txt, extracted from the RFC texts; wrapped lines joined, SASL data,
//! placeholders and literal continuations left out) each parse as one command or response,
//! strictly, and serialise back to bytes that parse to the same value.

use imap_proto::{parse_command, parse_idle_done, parse_response, Encode, ParseOptions, Status};

fn check_line(dir: &str, text: &str) -> Result<&'static str, String> {
    let bytes = format!("{text}\r\n");
    let opts = ParseOptions::default();
    if dir == "S" {
        match parse_response(bytes.as_bytes(), &opts) {
            Ok(Status::Complete(r, n)) if n == bytes.len() => {
                let enc = r.encode();
                match parse_response(enc.bytes(), &opts) {
                    Ok(Status::Complete(r2, _)) if r2 == r => Ok(r.kind()),
                    other => Err(format!(
                        "re-parse {:?}: {other:?}",
                        String::from_utf8_lossy(enc.bytes())
                    )),
                }
            }
            other => Err(format!("{other:?}")),
        }
    } else {
        if text.eq_ignore_ascii_case("DONE") {
            return match parse_idle_done(bytes.as_bytes(), &opts) {
                Ok(Status::Complete((), _)) => Ok("Done"),
                other => Err(format!("{other:?}")),
            };
        }
        match parse_command(bytes.as_bytes(), &opts) {
            Ok(Status::Complete(c, n)) if n == bytes.len() => {
                let enc = c.encode();
                match parse_command(enc.bytes(), &opts) {
                    Ok(Status::Complete(c2, _)) if c2 == c => Ok(c.body.kind()),
                    other => Err(format!(
                        "re-parse {:?}: {other:?}",
                        String::from_utf8_lossy(enc.bytes())
                    )),
                }
            }
            other => Err(format!("{other:?}")),
        }
    }
}

#[test]
fn every_rfc_example_line_parses() {
    let text = include_str!("data/rfc-examples.txt");
    let mut failures = Vec::new();
    let mut rfc = "";
    let mut n = 0;
    for line in text.lines() {
        if let Some(r) = line.strip_prefix("# ") {
            rfc = r;
            continue;
        }
        let Some((dir, rest)) = line.split_once(": ") else {
            continue;
        };
        n += 1;
        if let Err(e) = check_line(dir, rest) {
            failures.push(format!("{rfc} {dir}: {rest}\n    {e}"));
        }
    }
    for f in &failures {
        eprintln!("{f}");
    }
    assert!(
        failures.is_empty(),
        "{} of {n} example lines fail",
        failures.len()
    );
    assert!(n > 500, "{n}");
}

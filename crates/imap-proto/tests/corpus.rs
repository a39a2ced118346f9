//! Every server transcript of the MailKit corpus (tests/data/imap-responses, MIT, see
//! tests/data/LICENSE.MailKit) parses, unit by unit, to the end of the file.

use std::path::Path;

use imap_proto::{parse_response, Encode, FetchItem, ParseError, ParseOptions, Status};

mod common;
use common::{corpus_files as files, normalise};

/// Parses every unit; returns the number of units or the first error.
fn parse_all(bytes: &[u8], opts: &ParseOptions) -> Result<usize, (usize, ParseError)> {
    let mut off = 0;
    let mut n = 0;
    while off < bytes.len() {
        let rest = bytes.get(off..).unwrap_or_default();
        match parse_response(rest, opts) {
            Ok(Status::Complete(resp, used)) => {
                // What we parse, we can write back and parse again to the same value.
                let enc = resp.encode();
                let again = parse_response(enc.bytes(), &ParseOptions::default());
                assert_eq!(
                    again.ok().and_then(|s| s.complete()).map(|(r, _)| r),
                    Some(resp.clone()),
                    "re-encoding {:?}",
                    String::from_utf8_lossy(enc.bytes())
                );
                off += used;
                n += 1;
            }
            Ok(Status::Incomplete) => {
                return Err((
                    off,
                    parse_response(b"\r\n", opts)
                        .err()
                        .unwrap_or_else(unreachable_err),
                ))
            }
            Err(e) => return Err((off, e)),
        }
    }
    Ok(n)
}

fn unreachable_err() -> ParseError {
    match parse_response(b"\x00\r\n", &ParseOptions::default()) {
        Err(e) => e,
        Ok(_) => panic!("a NUL line parses"),
    }
}

fn load(rel: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/imap-responses")
        .join(rel);
    normalise(&std::fs::read(p).unwrap_or_default())
}

fn rel_name(f: &Path) -> String {
    let dir = f
        .parent()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned());
    let name = f.file_name().map(|n| n.to_string_lossy().into_owned());
    format!("{}/{}", dir.unwrap_or_default(), name.unwrap_or_default())
}

/// The deliberately broken file: a literal 3 bytes short.
const BROKEN: &str = "gmail/headers.1+unsolicited-info.txt";

/// Files that need a named deviation, and the one option that makes them parse.
///
/// (Gmail's and MailKit's `* OK [HIGHESTMODSEQ n]` with nothing after the code parse strictly:
/// RFC 9051's own examples do the same.)
type Needs = Vec<(&'static str, fn(&mut ParseOptions))>;

fn needs() -> Needs {
    vec![
        // An empty "" hierarchy delimiter.
        ("common/list-nil-folder-delim.txt", |o| {
            o.allow_empty_delimiter = true
        }),
    ]
}

#[test]
fn every_file_parses_strictly_or_with_its_named_option() {
    let needs = needs();
    let mut strict = 0;
    for f in files() {
        let name = rel_name(&f);
        if name == BROKEN {
            continue;
        }
        let bytes = normalise(&std::fs::read(&f).unwrap_or_default());
        match needs.iter().find(|(n, _)| *n == name) {
            None => {
                let r = parse_all(&bytes, &ParseOptions::default());
                assert!(r.is_ok(), "{name}: {r:?}");
                strict += 1;
            }
            Some((_, set)) => {
                assert!(
                    parse_all(&bytes, &ParseOptions::default()).is_err(),
                    "{name} parses strictly"
                );
                let mut o = ParseOptions::default();
                set(&mut o);
                let r = parse_all(&bytes, &o);
                assert!(r.is_ok(), "{name} with its option: {r:?}");
            }
        }
        assert!(
            parse_all(&bytes, &ParseOptions::lenient()).is_ok(),
            "{name} lenient"
        );
    }
    assert!(strict >= 250, "{strict}");
}

#[test]
fn short_literal_is_a_clear_error_in_every_mode() {
    let bytes = load(BROKEN);
    for opts in [ParseOptions::default(), ParseOptions::lenient()] {
        let (off, e) = parse_all(&bytes, &opts)
            .err()
            .unwrap_or((0, unreachable_err()));
        assert_eq!(off, 0, "the broken FETCH is the first unit");
        assert!(e.to_string().contains("expected"), "{e}");
    }
}

/// Gmail separates the addresses of an envelope with spaces, which the grammar does not allow.
/// Strictly the BODY item is kept as generic data (the rest of the FETCH survives); with
/// `allow_extra_spaces` it is typed.
#[test]
fn gmail_spaces_between_addresses() {
    let bytes = load("gmail/search-summary.txt");
    let unit_of = |opts: &ParseOptions| {
        let mut off = 0;
        let mut out = Vec::new();
        while let Ok(Status::Complete(r, used)) =
            parse_response(bytes.get(off..).unwrap_or_default(), opts)
        {
            off += used;
            out.push(r);
        }
        out
    };
    let kinds = |rs: &[imap_proto::Response<'_>]| -> Vec<String> {
        rs.iter()
            .filter_map(|r| match r {
                imap_proto::Response::Data(imap_proto::Data::Fetch { items, .. }) => {
                    items.iter().find_map(|i| match i {
                        FetchItem::Body(_) => Some("Body".to_owned()),
                        FetchItem::Other { name, .. } if name.as_str() == "BODY" => {
                            Some("Other".to_owned())
                        }
                        _ => None,
                    })
                }
                _ => None,
            })
            .collect()
    };
    let strict = unit_of(&ParseOptions::default());
    assert!(kinds(&strict).contains(&"Other".to_owned()));
    let mut o = ParseOptions::default();
    o.allow_extra_spaces = true;
    let lenient = unit_of(&o);
    assert_eq!(strict.len(), lenient.len());
    assert!(
        kinds(&lenient).iter().all(|k| k == "Body"),
        "{:?}",
        kinds(&lenient)
    );
}

/// Any split of a unit gives `Incomplete`, then the same value; a [`Framer`] fed one byte at a
/// time finds the same unit ends (and never rescans: it is O(n) over the whole file).
#[test]
fn corpus_split_anywhere() {
    let opts = ParseOptions::lenient();
    let mut checked = 0usize;
    for f in files() {
        if rel_name(&f) == BROKEN {
            continue;
        }
        let bytes = normalise(&std::fs::read(&f).unwrap_or_default());
        let mut ends = Vec::new();
        let mut off = 0;
        while let Ok(Status::Complete(r, used)) =
            parse_response(bytes.get(off..).unwrap_or_default(), &opts)
        {
            let unit = bytes.get(off..off + used).unwrap_or_default();
            let want = format!("{r:?}");
            let step = (unit.len() / 200).max(1);
            for k in (0..unit.len())
                .step_by(step)
                .chain(unit.len().saturating_sub(3)..unit.len())
            {
                let got = parse_response(unit.get(..k).unwrap_or_default(), &opts);
                assert!(
                    matches!(got, Ok(Status::Incomplete)),
                    "{}: split {k}: {got:?}",
                    rel_name(&f)
                );
                checked += 1;
            }
            let again = parse_response(unit, &opts)
                .ok()
                .and_then(|s| s.complete())
                .map(|(r, _)| format!("{r:?}"));
            assert_eq!(again.as_deref(), Some(want.as_str()));
            off += used;
            ends.push(off);
        }
        assert_eq!(off, bytes.len(), "{}", rel_name(&f));

        let mut framer = imap_proto::Framer::new();
        let mut start = 0;
        let mut found = Vec::new();
        for end in 1..=bytes.len() {
            loop {
                match framer.next(bytes.get(start..end).unwrap_or_default(), &opts) {
                    Ok(imap_proto::FrameEvent::Complete(n)) => {
                        start += n;
                        found.push(start);
                    }
                    Ok(imap_proto::FrameEvent::LiteralAnnounced { .. }) => continue,
                    Ok(imap_proto::FrameEvent::Incomplete) => {}
                    Err(e) => panic!("{}: {e}", rel_name(&f)),
                }
                break;
            }
        }
        assert_eq!(found, ends, "{}", rel_name(&f));
    }
    assert!(checked > 50_000, "{checked}");
}

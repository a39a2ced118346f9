//! Every message of both corpora parses, writes back byte for byte, and decodes every body
//! without a panic; spot checks of what some of them hold.

use std::path::{Path, PathBuf};

use mail_message::{Body, Message};

fn corpus(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("corpus directory {} is missing: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            !name.starts_with("LICENSE") && !name.ends_with(".md")
        })
        .collect();
    files.sort();
    files
}

fn read(dir: &str, name: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(dir)
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn every_corpus_message_parses_and_round_trips() {
    let mut count = 0;
    for dir in ["mimekit", "python"] {
        let files = corpus(dir);
        assert!(files.len() > 30, "{dir}: only {} files", files.len());
        for path in files {
            let data = std::fs::read(&path).expect("readable corpus file");
            let msg = Message::parse(&data);
            let mut out = Vec::new();
            msg.write_to(&mut out);
            assert!(out == data, "{}: write_to differs", path.display());
            // msg_19.txt is a header-less digest body: an empty header is right there.
            let headerless = path.ends_with("msg_19.txt");
            assert_eq!(msg.header().is_empty(), headerless, "{}", path.display());
            msg.root().visit(&mut |p| {
                let _ = p.decoded_body();
                let _ = p.text();
                let _ = p.filename();
            });
            let _ = (
                msg.from(),
                msg.to(),
                msg.cc(),
                msg.date(),
                msg.message_id(),
                msg.subject(),
            );
            for f in msg.header() {
                for d in f.value_defects() {
                    assert_eq!(d.offset, f.offset());
                }
            }
            count += 1;
        }
    }
    assert!(count > 80);
}

#[test]
fn startrek_structure() {
    let data = read("mimekit", "startrek.eml");
    let msg = Message::parse(&data);
    assert_eq!(msg.subject().as_deref(), Some("Star Trek Party!"));
    let date = msg.date().expect("date");
    assert_eq!(date.to_rfc3339(), "1991-09-19T12:41:43-04:00");
    assert_eq!(
        msg.message_id().as_deref(),
        Some("9109191641.AA12840@greenbush.bellcore.com")
    );
    let from = msg.from().expect("from");
    let m = from.mailboxes().next().expect("a mailbox");
    // "nsb (Nathaniel Borenstein)": the comment is not a name.
    assert_eq!(m.name, None);
    assert_eq!(m.address(), "nsb");
    let to = msg.to().expect("to");
    assert_eq!(to.mailboxes().count(), 18);
    let leaves = msg.leaves();
    assert!(leaves.len() > 5);
    assert!(leaves
        .iter()
        .any(|(_, p)| p.content_type().is("image", "gif")));
    assert!(leaves[0].0.starts_with('1'));
}

#[test]
fn japanese_iso_2022_jp() {
    let data = read("mimekit", "japanese.txt");
    let msg = Message::parse(&data);
    assert_eq!(
        msg.subject().as_deref(),
        Some("日本語メールテスト (testing Japanese emails)")
    );
    let text = msg.leaves()[0].1.text().expect("text");
    assert!(text.contains("日本語が"), "{text}");
}

#[test]
fn rfc2060_part_specifiers() {
    // The RFC 2060 example message names each part by its section number.
    let data = read("mimekit", "rfc2060.txt");
    let msg = Message::parse(&data);
    let sections: Vec<String> = msg.leaves().into_iter().map(|(s, _)| s).collect();
    assert_eq!(
        sections,
        ["1", "2", "3.1", "3.2", "4.1", "4.2.1", "4.2.2.1", "4.2.2.2"]
    );
    for (section, part) in msg.leaves() {
        if let Some(text) = part.text() {
            let first = text
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or_default();
            if first.contains("should be:") {
                assert!(first.ends_with(&section), "{section}: {first}");
            }
        }
    }
}

#[test]
fn digest_parts_are_messages() {
    let data = read("mimekit", "multipart-digest.txt");
    let msg = Message::parse(&data);
    let mut nested = 0;
    msg.root().visit(&mut |p| {
        if matches!(p.body(), Body::Message(_)) {
            nested += 1;
        }
    });
    assert!(nested >= 2, "{nested}");
}

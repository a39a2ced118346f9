//! Differential test against Python's `email` package (policy.default) over both corpora,
//! comparing the fields that `mail-dump --json` prints.
//!
//! Every difference that remains is listed, with its reason, in
//! `tests/data/differential-known.txt`; an unlisted difference fails the test, and so does a
//! listed one that no longer happens (so the list stays true).
//!
//! Needs `python3` (any 3.8+; the Python test messages themselves are in the repo). Without
//! python3 on the PATH the test fails and says so: set `MAIL_MESSAGE_SKIP_PYTHON=1` to skip it
//! knowingly.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use mail_message::summary::{Summary, SummaryAddress};
use mail_message::Message;
use serde_json::Value;
use sha2::{Digest, Sha256};

const UNSTRUCTURED_IN_PYTHON: &[&str] = &[
    // Python's header registry re-formats these (addresses, dates, ids, MIME fields), so their
    // `str()` is not the decoded source text; only the other fields are compared by value.
    "from",
    "to",
    "cc",
    "bcc",
    "sender",
    "reply-to",
    "resent-from",
    "resent-to",
    "resent-cc",
    "resent-bcc",
    "resent-sender",
    "date",
    "resent-date",
    "orig-date",
    "message-id",
    "content-type",
    "content-disposition",
    "content-transfer-encoding",
    "mime-version",
];

fn addrs_json(list: &[SummaryAddress]) -> Value {
    Value::Array(
        list.iter()
            .map(|a| serde_json::json!({"name": a.name, "address": a.address}))
            .collect(),
    )
}

fn compare(file: &str, ours: &Summary<'_>, py: &Value, diffs: &mut Vec<(String, String, String)>) {
    let mut diff = |field: String, a: String, b: String| {
        diffs.push((file.to_owned(), field, format!("ours {a} / python {b}")))
    };
    let s = |v: &Option<String>| serde_json::to_string(v).unwrap_or_default();
    if Value::from(ours.subject.clone()) != py["subject"] {
        diff(
            "subject".into(),
            s(&ours.subject),
            py["subject"].to_string(),
        );
    }
    for (name, list) in [("from", &ours.from), ("to", &ours.to), ("cc", &ours.cc)] {
        let a = addrs_json(list);
        if a != py[name] {
            diff(name.into(), a.to_string(), py[name].to_string());
        }
    }
    if Value::from(ours.date.clone()) != py["date"] {
        diff("date".into(), s(&ours.date), py["date"].to_string());
    }
    if Value::from(ours.message_id.clone()) != py["message_id"] {
        diff(
            "message_id".into(),
            s(&ours.message_id),
            py["message_id"].to_string(),
        );
    }
    let py_headers = py["headers"].as_array().cloned().unwrap_or_default();
    let names: Vec<&str> = ours.headers.iter().map(|(n, _)| n.as_str()).collect();
    let py_names: Vec<&str> = py_headers
        .iter()
        .map(|h| h["name"].as_str().unwrap_or_default())
        .collect();
    if names != py_names {
        diff(
            "headers".into(),
            format!("{names:?}"),
            format!("{py_names:?}"),
        );
    } else {
        for (i, ((n, v), h)) in ours.headers.iter().zip(&py_headers).enumerate() {
            if UNSTRUCTURED_IN_PYTHON.contains(&n.to_ascii_lowercase().as_str()) {
                continue;
            }
            if h["value"].as_str() != Some(v.as_str()) {
                diff(
                    format!("headers[{i}].value"),
                    format!("{v:?}"),
                    h["value"].to_string(),
                );
            }
        }
    }
    let py_parts = py["parts"].as_array().cloned().unwrap_or_default();
    let shape: Vec<String> = ours
        .parts
        .iter()
        .map(|p| format!("{} {}", p.path, p.content_type))
        .collect();
    let py_shape: Vec<String> = py_parts
        .iter()
        .map(|p| {
            format!(
                "{} {}",
                p["path"].as_str().unwrap_or_default(),
                p["content_type"].as_str().unwrap_or_default()
            )
        })
        .collect();
    if shape != py_shape {
        diff(
            "parts".into(),
            format!("{shape:?}"),
            format!("{py_shape:?}"),
        );
        return;
    }
    for (i, (p, q)) in ours.parts.iter().zip(&py_parts).enumerate() {
        let lower = |v: &Option<String>| v.as_ref().map(|s| s.to_ascii_lowercase());
        let py_lower = |v: &Value| v.as_str().map(str::to_ascii_lowercase);
        if lower(&p.charset) != py_lower(&q["charset"]) {
            diff(
                format!("parts[{i}].charset"),
                s(&p.charset),
                q["charset"].to_string(),
            );
        }
        if p.disposition != q["disposition"].as_str().map(str::to_owned) {
            diff(
                format!("parts[{i}].disposition"),
                s(&p.disposition),
                q["disposition"].to_string(),
            );
        }
        if p.filename != q["filename"].as_str().map(str::to_owned) {
            diff(
                format!("parts[{i}].filename"),
                s(&p.filename),
                q["filename"].to_string(),
            );
        }
        let sha: String = Sha256::digest(&p.decoded)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        if Some(sha.as_str()) != q["sha256"].as_str() {
            diff(
                format!("parts[{i}].body"),
                format!("{} bytes", p.decoded.len()),
                format!("{} bytes", q["size"]),
            );
        } else if p.text != q["text"].as_str().map(str::to_owned) {
            let a = p.text.clone().unwrap_or_default();
            let b = q["text"].as_str().unwrap_or_default().to_owned();
            let at = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
            let ctx = |t: &str| {
                t.chars()
                    .skip(at.saturating_sub(10))
                    .take(40)
                    .collect::<String>()
            };
            diff(
                format!("parts[{i}].text"),
                format!("{:?}", ctx(&a)),
                format!("{:?}", ctx(&b)),
            );
        }
    }
}

#[test]
fn same_fields_as_python_email() {
    if std::env::var_os("MAIL_MESSAGE_SKIP_PYTHON").is_some() {
        eprintln!("MAIL_MESSAGE_SKIP_PYTHON is set: differential test against Python skipped");
        return;
    }
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut files: Vec<String> = Vec::new();
    for dir in ["mimekit", "python"] {
        let mut names: Vec<String> = std::fs::read_dir(data.join(dir))
            .expect("corpus directory")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with("LICENSE") && !n.ends_with(".md"))
            .map(|n| format!("{dir}/{n}"))
            .collect();
        names.sort();
        files.extend(names);
    }
    let out = Command::new("python3")
        .arg("python_dump.py")
        .args(&files)
        .current_dir(&data)
        .output()
        .unwrap_or_else(|e| {
            panic!("python3 is needed for the differential test ({e}); set MAIL_MESSAGE_SKIP_PYTHON=1 to skip it")
        });
    assert!(
        out.status.success(),
        "python3 failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut diffs = Vec::new();
    let mut seen = 0;
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let py: Value = serde_json::from_str(line).expect("json from python_dump.py");
        let file = py["file"].as_str().expect("file").to_owned();
        seen += 1;
        if py.get("error").is_some() {
            diffs.push((file, "python-error".into(), py["error"].to_string()));
            continue;
        }
        let bytes = std::fs::read(data.join(&file)).expect("corpus file");
        let msg = Message::parse(&bytes);
        compare(&file, &Summary::of(&msg), &py, &mut diffs);
    }
    assert_eq!(seen, files.len(), "python printed one line per file");
    let known_text = std::fs::read_to_string(data.join("differential-known.txt"))
        .expect("differential-known.txt");
    let known: BTreeSet<(String, String)> = known_text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut it = l.split('|').map(str::trim);
            (
                it.next().unwrap_or_default().to_owned(),
                it.next().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let found: BTreeSet<(String, String)> = diffs
        .iter()
        .map(|(f, k, _)| (f.clone(), k.clone()))
        .collect();
    let unexplained: Vec<String> = diffs
        .iter()
        .filter(|(f, k, _)| !known.contains(&(f.clone(), k.clone())))
        .map(|(f, k, d)| format!("{f} | {k} | {d}"))
        .collect();
    let stale: Vec<String> = known
        .difference(&found)
        .map(|(f, k)| format!("{f} | {k}"))
        .collect();
    assert!(
        unexplained.is_empty() && stale.is_empty(),
        "unexplained differences:\n{}\n\nlisted but gone:\n{}",
        unexplained.join("\n"),
        stale.join("\n")
    );
}

//! `mail-dump [--json] FILE...`: prints the MIME tree of each message.
//!
//! With `--json`, one JSON object per message and line, with exactly the keys `headers`,
//! `from`, `to`, `cc`, `subject`, `date`, `message_id` and `parts` (see
//! `mail_message::summary`). Exits non-zero when a file cannot be read or is empty.

use std::io::Write;
use std::process::ExitCode;

use mail_message::summary::{Summary, SummaryAddress};
use mail_message::{Body, Message, Part};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

fn addrs(list: &[SummaryAddress]) -> Value {
    Value::Array(
        list.iter()
            .map(|a| json!({"name": a.name, "address": a.address}))
            .collect(),
    )
}

fn to_json(msg: &Message<'_>) -> Value {
    let s = Summary::of(msg);
    json!({
        "headers": s.headers.iter().map(|(n, v)| json!({"name": n, "value": v})).collect::<Vec<_>>(),
        "from": addrs(&s.from),
        "to": addrs(&s.to),
        "cc": addrs(&s.cc),
        "subject": s.subject,
        "date": s.date,
        "message_id": s.message_id,
        "parts": s.parts.iter().map(|p| {
            let digest = Sha256::digest(&p.decoded);
            let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            json!({
                "path": p.path,
                "content_type": p.content_type,
                "charset": p.charset,
                "disposition": p.disposition,
                "filename": p.filename,
                "size": p.decoded.len(),
                "sha256": hex,
                "text": p.text,
            })
        }).collect::<Vec<_>>(),
    })
}

fn tree(part: Part<'_, '_>, depth: usize, out: &mut String) {
    let indent = "  ".repeat(depth);
    let ct = part.content_type().essence();
    let r = part.body_range();
    out.push_str(&format!(
        "{indent}{ct} [{}..{}] {} bytes, {} lines",
        r.start,
        r.end,
        r.len(),
        part.body_lines()
    ));
    if let Some(f) = part.filename() {
        out.push_str(&format!(" {f:?}"));
    }
    for d in part.defects() {
        out.push_str(&format!(" !{d}"));
    }
    out.push('\n');
    match part.body() {
        Body::Multipart(m) => m.parts().for_each(|p| tree(p, depth + 1, out)),
        Body::Message(m) => tree(m, depth + 1, out),
        Body::Leaf => {}
    }
}

fn main() -> ExitCode {
    let mut json_out = false;
    let mut files = Vec::new();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--json" => json_out = true,
            "-h" | "--help" => {
                println!("usage: mail-dump [--json] FILE...");
                return ExitCode::SUCCESS;
            }
            _ => files.push(arg),
        }
    }
    if files.is_empty() {
        eprintln!("usage: mail-dump [--json] FILE...");
        return ExitCode::from(2);
    }
    let mut status = ExitCode::SUCCESS;
    let stdout = std::io::stdout();
    let mut stdout = stdout.lock();
    for file in files {
        let data = match std::fs::read(&file) {
            Ok(d) if d.is_empty() => {
                eprintln!("{file}: empty input, not a message");
                status = ExitCode::FAILURE;
                continue;
            }
            Ok(d) => d,
            Err(e) => {
                eprintln!("{file}: {e}");
                status = ExitCode::FAILURE;
                continue;
            }
        };
        let msg = Message::parse(&data);
        let text = if json_out {
            format!("{}\n", to_json(&msg))
        } else {
            let mut s = format!("{file}\n");
            if let Some(subject) = msg.subject() {
                s.push_str(&format!("  Subject: {subject}\n"));
            }
            tree(msg.root(), 1, &mut s);
            s
        };
        if stdout.write_all(text.as_bytes()).is_err() {
            return ExitCode::FAILURE;
        }
    }
    status
}

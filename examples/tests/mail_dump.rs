//! `mail-dump --json`: the keys and values issue 3 documents, in its order, for a real message
//! (MimeKit's simple-multipart.eml), and a clear failure for a file that cannot be read.

use std::process::Command;

fn mail_dump(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_mail-dump"))
        .args(args)
        .output()
        .expect("mail-dump runs")
}

#[test]
fn json_of_a_multipart_message() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../crates/mail-message/tests/data/mimekit/simple-multipart.eml"
    );
    let out = mail_dump(&["--json", path]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert_eq!(text.lines().count(), 1, "one JSON object per message");
    let msg: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let keys: Vec<&str> = msg
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "headers",
            "from",
            "to",
            "cc",
            "subject",
            "date",
            "message_id",
            "parts"
        ]
    );
    assert_eq!(msg["subject"], "this is a simple multipart message");
    assert_eq!(msg["date"], "2013-11-12T09:12:42-05:00");
    assert_eq!(
        msg["message_id"],
        "54AD68C9E3B0184CAC6041320424FD1B5B81E74D@localhost.localdomain"
    );
    assert_eq!(
        msg["from"],
        serde_json::json!([{"name": null, "address": "mimekit@example.com"}])
    );
    assert_eq!(msg["cc"], serde_json::json!([]));
    let parts = msg["parts"].as_array().expect("parts");
    assert_eq!(parts.len(), 2);
    let part_keys: Vec<&str> = parts[0]
        .as_object()
        .expect("part")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        part_keys,
        [
            "path",
            "content_type",
            "charset",
            "disposition",
            "filename",
            "size",
            "sha256",
            "text"
        ]
    );
    assert_eq!(parts[0]["path"], "1");
    assert_eq!(parts[0]["text"], "This is the message body.\n");
    assert_eq!(parts[0]["size"], 26);
    assert_eq!(
        parts[0]["sha256"],
        // sha256 of the 26 decoded bytes.
        "438215a52b36b89bf984b11371ee5c5f7de1b499e3fe4be24fe03b504f5ff8df"
    );
    assert_eq!(parts[1]["path"], "2");
    assert_eq!(parts[1]["disposition"], "attachment");
    assert_eq!(parts[1]["filename"], "attachment.txt");
    assert_eq!(parts[1]["text"], serde_json::Value::Null);
}

#[test]
fn unreadable_file_fails_with_the_error() {
    let out = mail_dump(&["--json", "/nonexistent/message.eml"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/message.eml"));
}

//! `proto-dump`: IMAP and SMTP replies from real servers (MailKit's Dovecot, Gmail and Comcast
//! transcripts), and clients' commands with the message data between them.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// Runs `proto-dump smtp` with `args` on `input`: (exit code, JSON lines).
fn dump(args: &[&str], input: &[u8]) -> (i32, Vec<serde_json::Value>) {
    dump_protocol("smtp", args, input)
}

/// Runs `proto-dump PROTOCOL` with `args` on `input`: (exit code, JSON lines).
fn dump_protocol(protocol: &str, args: &[&str], input: &[u8]) -> (i32, Vec<serde_json::Value>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_proto-dump"))
        .arg(protocol)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("proto-dump starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write stdin");
    let out = child.wait_with_output().expect("proto-dump ends");
    let lines = String::from_utf8(out.stdout)
        .expect("UTF-8 output")
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    (out.status.code().expect("exit code"), lines)
}

fn kinds(lines: &[serde_json::Value]) -> Vec<String> {
    lines
        .iter()
        .map(|l| l["kind"].as_str().unwrap_or("ERROR").to_owned())
        .collect()
}

#[test]
fn every_real_server_reply_parses() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/smtp-proto/tests/corpus");
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).expect("corpus directory") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("txt") {
            continue;
        }
        files += 1;
        let input = crlf(&path);
        let (code, lines) = dump(&["--from", "server"], &input);
        assert_eq!(code, 0, "{}: {lines:?}", path.display());
        assert!(!lines.is_empty(), "{}", path.display());
        let total: u64 = lines.iter().map(|l| l["len"].as_u64().expect("len")).sum();
        assert_eq!(
            total,
            input.len() as u64,
            "{}: units cover the input",
            path.display()
        );
        assert!(lines
            .iter()
            .all(|l| l["code"].as_u64().is_some_and(|c| (200..600).contains(&c))));
    }
    assert!(files >= 20, "only {files} corpus files");
}

#[test]
fn client_commands_with_data_bdat_and_sasl() {
    let input = b"EHLO client.example\r\nAUTH LOGIN\r\nYWxpY2U=\r\nc2VjcmV0\r\n\
MAIL FROM:<a@client.example> BODY=8BITMIME\r\nRCPT TO:<b@example.org> NOTIFY=NEVER\r\n\
DATA\r\nSubject: hi\r\n\r\n..a dot line\r\nQUIT\r\n.\r\n\
BDAT 8 LAST\r\nQUIT\r\n\r\nRSET\r\nQUIT\r\n";
    let (code, lines) = dump(&["--from", "client"], input);
    assert_eq!(code, 0, "{lines:?}");
    assert_eq!(
        kinds(&lines),
        [
            "Ehlo",
            "Auth",
            "AuthData",
            "AuthData",
            "Mail",
            "Rcpt",
            "Data",
            "MessageData",
            "Bdat",
            "BdatChunk",
            "Rset",
            "Quit"
        ]
    );
    // The QUIT inside the message and the one inside the BDAT chunk are data, not commands.
    assert_eq!(lines[7]["len"], 38);
    assert_eq!(lines[9]["len"], 8);
}

#[test]
fn errors_say_where_and_resynchronise() {
    // A bare LF in the message (refused unless --lenient), then an unknown command.
    let input = b"DATA\r\nbad\nline\r\n.\r\nBOGUS\r\nQUIT\r\n";
    let (code, lines) = dump(&["--from", "client"], input);
    assert_eq!(code, 1);
    assert_eq!(lines[1]["error"], "bare LF in message data at byte 9");
    assert_eq!(lines[2]["error"], "unknown command at byte 19");
    assert_eq!(lines[3]["kind"], "Quit");
    let (code, lines) = dump(&["--from", "client", "--lenient"], &input[..19]);
    assert_eq!(code, 0);
    assert_eq!(kinds(&lines), ["Data", "MessageData"]);
    // A reply cut short is reported, not dropped.
    let (code, lines) = dump(&["--from", "server"], b"250-first\r\n250 sec");
    assert_eq!(code, 1);
    assert_eq!(lines[0]["error"], "input ends inside a unit");
}

/// A MailKit transcript with its LF line ends turned back into the CRLF the server sent (the
/// literal sizes in IMAP transcripts count them so).
fn crlf(path: &Path) -> Vec<u8> {
    let text = std::fs::read(path).expect("read");
    let mut input = Vec::new();
    for line in text.split_inclusive(|&b| b == b'\n') {
        input.extend_from_slice(line.strip_suffix(b"\n").unwrap_or(line));
        input.extend_from_slice(b"\r\n");
    }
    input
}

#[test]
fn imap_dovecot_responses_parse_strictly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../crates/imap-proto/tests/data/imap-responses/dovecot");
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).expect("corpus directory") {
        let path = entry.expect("entry").path();
        files += 1;
        let input = crlf(&path);
        let (code, lines) = dump_protocol("imap", &["--from", "server"], &input);
        assert_eq!(code, 0, "{}: {lines:?}", path.display());
        let total: u64 = lines.iter().map(|l| l["len"].as_u64().expect("len")).sum();
        assert_eq!(
            total,
            input.len() as u64,
            "{}: units cover the input",
            path.display()
        );
    }
    assert!(files >= 20, "only {files} corpus files");
}

#[test]
fn imap_short_literal_is_an_error_then_resynchronises() {
    // Gmail's transcript whose literal is 3 bytes short: an error, even with --lenient, and the
    // dump goes on to the tagged completion at the end.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(
        "../crates/imap-proto/tests/data/imap-responses/gmail/headers.1+unsolicited-info.txt",
    );
    let (code, lines) = dump_protocol("imap", &["--from", "server", "--lenient"], &crlf(&path));
    assert_eq!(code, 1);
    assert!(lines.iter().any(|l| l["error"].is_string()), "{lines:?}");
    assert_eq!(lines.last().expect("lines")["kind"], "Tagged");
    // Client side: commands, with an IDLE's DONE.
    let (code, lines) = dump_protocol(
        "imap",
        &["--from", "client"],
        b"a1 LOGIN ann secret\r\na2 SELECT INBOX\r\na3 IDLE\r\nDONE\r\na4 LOGOUT\r\n",
    );
    assert_eq!(code, 0, "{lines:?}");
    assert_eq!(kinds(&lines).len(), 5);
    assert_eq!(lines[3]["kind"], "Done");
}

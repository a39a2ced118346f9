//! curl against mail-server: plain upload, STARTTLS + AUTH PLAIN without an initial response,
//! refusal of an unknown user.

mod smtp_support;

use smtp_support::{require, run, MailServer, TempDir};
use std::process::Command;

const MESSAGE: &[u8] = b"From: a@remote.example\r\nTo: ann@example.test\r\nSubject: curl\r\n\r\nHello from curl\r\n.with a dot\r\n";

fn curl(server: &MailServer, scratch: &TempDir, args: &[&str]) -> (i32, String) {
    require("curl");
    let file = scratch.join("msg");
    std::fs::write(&file, MESSAGE).unwrap();
    let out = run(Command::new("curl")
        .arg("-sS")
        .arg(format!("smtp://127.0.0.1:{}/client.example", server.port()))
        .args(["--mail-from", "a@remote.example"])
        .arg("--upload-file")
        .arg(&file)
        .args(args));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn curl_plain() {
    let server = MailServer::start();
    let scratch = TempDir::new("curl");
    let (code, out) = curl(&server, &scratch, &["--mail-rcpt", "ann@example.test"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(server.stored("ann"), [MESSAGE.to_vec()]);
}

#[test]
fn curl_starttls_auth() {
    let server = MailServer::start();
    let scratch = TempDir::new("curl");
    let (code, out) = curl(
        &server,
        &scratch,
        &[
            "--mail-rcpt",
            "bob@example.test",
            "--ssl-reqd",
            "--cacert",
            server.cert.to_str().unwrap(),
            "--user",
            "ann:pw",
            "--login-options",
            "AUTH=PLAIN",
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert_eq!(server.stored("bob"), [MESSAGE.to_vec()]);
    let (code, _) = curl(
        &server,
        &scratch,
        &[
            "--mail-rcpt",
            "bob@example.test",
            "--ssl-reqd",
            "-k",
            "--user",
            "ann:wrong",
        ],
    );
    assert_ne!(code, 0);
    assert_eq!(server.stored("bob").len(), 1);
}

#[test]
fn curl_unknown_user() {
    let server = MailServer::start();
    let scratch = TempDir::new("curl");
    let (code, out) = curl(
        &server,
        &scratch,
        &["--mail-rcpt", "nobody@example.test", "-v"],
    );
    assert_ne!(code, 0, "{out}");
    assert!(out.contains("550 5.1.1"), "{out}");
}

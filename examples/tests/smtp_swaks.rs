//! swaks against mail-server: pipelining, a line starting with a dot, a 998-octet line,
//! STARTTLS + AUTH, refusals, and AUTH refused without TLS for a client that is not on
//! loopback.

mod smtp_support;

use smtp_support::{non_loopback_ip, require, run, MailServer, TempDir};
use std::process::Command;

fn swaks(server: &MailServer, args: &[&str]) -> (bool, String) {
    require("swaks");
    let out = run(Command::new("swaks")
        .arg("--server")
        .arg(server.addr.to_string())
        .args(["--helo", "client.example"])
        .args(args));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn swaks_pipelining_dot_and_long_line() {
    let server = MailServer::start();
    let scratch = TempDir::new("swaks");
    let long = "x".repeat(998);
    // swaks adds the line end before the final dot itself.
    let data = format!("From: a@remote.example\r\nTo: ann@example.test\r\nSubject: dots\r\n\r\n.leading dot\r\n..two dots\r\n.\r\n{long}\r\nlast");
    std::fs::write(scratch.join("data"), &data).unwrap();
    let data_arg = format!("@{}", scratch.join("data").display());
    let (ok, out) = swaks(
        &server,
        &[
            "--from",
            "a@remote.example",
            "--to",
            "ann@example.test",
            "--pipeline",
            "--data",
            &data_arg,
        ],
    );
    assert!(ok, "{out}");
    assert!(out.contains("PIPELINING"), "{out}");
    let stored = server.stored("ann");
    assert_eq!(stored.len(), 1);
    assert_eq!(String::from_utf8_lossy(&stored[0]), format!("{data}\r\n"));
}

#[test]
fn swaks_starttls_auth_login() {
    let server = MailServer::start();
    let (ok, out) = swaks(
        &server,
        &[
            "--from",
            "bob@example.test",
            "--to",
            "ann@example.test",
            "-tls",
            "--auth",
            "LOGIN",
            "--auth-user",
            "bob",
            "--auth-password",
            "pw2",
            "--body",
            "via tls",
        ],
    );
    assert!(ok, "{out}");
    assert!(out.contains("235 2.7.0"), "{out}");
    assert_eq!(server.stored("ann").len(), 1);
    let (ok, out) = swaks(
        &server,
        &[
            "--from",
            "bob@example.test",
            "--to",
            "ann@example.test",
            "-tls",
            "--auth",
            "PLAIN",
            "--auth-user",
            "bob",
            "--auth-password",
            "nope",
        ],
    );
    assert!(!ok && out.contains("535 5.7.8"), "{out}");
}

#[test]
fn swaks_refusals() {
    let server = MailServer::start();
    let (ok, out) = swaks(
        &server,
        &["--from", "a@remote.example", "--to", "carol@example.test"],
    );
    assert!(!ok && out.contains("550 5.1.1"), "{out}");
    // Not an open relay, not even for an authenticated user.
    let (ok, out) = swaks(
        &server,
        &[
            "--from",
            "ann@example.test",
            "--to",
            "victim@elsewhere.example",
            "--auth",
            "PLAIN",
            "--auth-user",
            "ann",
            "--auth-password",
            "pw",
        ],
    );
    assert!(
        !ok && out.contains("235 2.7.0") && out.contains("550 5.7.1"),
        "{out}"
    );
    assert!(server.stored("ann").is_empty());
}

#[test]
fn swaks_auth_without_tls_refused_off_loopback() {
    let server = MailServer::start_on(non_loopback_ip());
    let (ok, out) = swaks(
        &server,
        &[
            "--from",
            "ann@example.test",
            "--to",
            "bob@example.test",
            "--auth",
            "PLAIN",
            "--auth-user",
            "ann",
            "--auth-password",
            "pw",
        ],
    );
    // AUTH is not even offered before TLS, so swaks gives up.
    assert!(!ok, "{out}");
    assert!(!out.contains("250-AUTH"), "{out}");
    assert!(!out.contains("235 "), "{out}");
    // After STARTTLS it is offered and works.
    let (ok, out) = swaks(
        &server,
        &[
            "--from",
            "ann@example.test",
            "--to",
            "bob@example.test",
            "-tls",
            "--auth",
            "PLAIN",
            "--auth-user",
            "ann",
            "--auth-password",
            "pw",
        ],
    );
    assert!(ok && out.contains("235 2.7.0"), "{out}");
}

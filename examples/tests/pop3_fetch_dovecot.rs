//! mail-fetch against Dovecot's POP3 server (a private instance on a spare loopback port):
//! downloads by UIDL, remembers what it has, STLS + SASL, deletes only what is on disk.

mod pop3_support;

use std::process::Command;

use pop3_support::{maildir_contents, run, sample_messages, Dovecot, TempDir};

fn fetch(dovecot: &Dovecot, out: &TempDir, extra: &[&str]) -> String {
    let pw = out.join("password");
    std::fs::write(&pw, "s3cret pass\n").unwrap();
    let stdout = run(Command::new(env!("CARGO_BIN_EXE_mail-fetch"))
        .arg("--pop3")
        .arg(format!("localhost:{}", dovecot.port))
        .args(["--user", "fetch"])
        .arg("--password-file")
        .arg(&pw)
        .arg("--out")
        .arg(out.join("Maildir"))
        .arg("--keep-state")
        .arg(out.join("state"))
        .args(extra));
    String::from_utf8(stdout).unwrap()
}

#[test]
fn mail_fetch_downloads_from_dovecot_by_uidl_then_deletes() {
    let dovecot = Dovecot::start("fetch", "s3cret pass");
    let messages = sample_messages();
    for (i, m) in messages.iter().enumerate() {
        dovecot.deliver("fetch", &format!("100{i}.M1P1.test"), m);
    }
    let out = TempDir::new("fetch-out");

    // Plain USER/PASS, keep the messages on the server.
    let said = fetch(&dovecot, &out, &[]);
    assert!(said.contains("3 new messages"), "{said}");
    assert!(
        !said.contains("\r["),
        "no progress bar when stdout is not a terminal: {said}"
    );
    let mut want = messages.clone();
    want.sort();
    assert_eq!(
        maildir_contents(&out.join("Maildir")),
        want,
        "byte-identical copies"
    );
    let state = std::fs::read_to_string(out.join("state")).unwrap();
    assert_eq!(state.lines().count(), 3, "{state}");
    assert!(std::fs::read_dir(out.join("Maildir/tmp"))
        .unwrap()
        .next()
        .is_none());

    // A new message; over STLS with SASL; only the new one is downloaded, then all deleted.
    let fourth = b"Subject: four\r\n\r\n.\r\n..\r\nx\r\n".to_vec();
    dovecot.deliver("fetch", "1004.M1P1.test", &fourth);
    let ca = dovecot.dir.join("ca.pem");
    let said = fetch(
        &dovecot,
        &out,
        &["--stls", "--ca-file", ca.to_str().unwrap(), "--delete"],
    );
    assert!(
        said.contains("1 new messages")
            && said.contains("3 already known")
            && said.contains("4 deleted"),
        "{said}"
    );
    want.push(fourth);
    want.sort();
    assert_eq!(maildir_contents(&out.join("Maildir")), want);
    let log = dovecot.log_with(&["method=PLAIN", "TLS", "del=4/4"]);
    assert!(
        log.contains("method=PLAIN") && log.contains("TLS"),
        "SASL PLAIN over TLS: {log}"
    );
    assert!(log.contains("del=4/4"), "{log}");
    let left = || -> Vec<_> {
        ["new", "cur"]
            .iter()
            .flat_map(|s| std::fs::read_dir(dovecot.maildir("fetch").join(s)).unwrap())
            .map(|e| e.unwrap().file_name())
            .collect()
    };
    // Dovecot expunges as the session ends; give it a moment.
    for _ in 0..100 {
        if left().is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(
        left().is_empty(),
        "the server's maildrop is empty after QUIT: {:?}",
        left()
    );

    // Nothing left: nothing new.
    let said = fetch(&dovecot, &out, &[]);
    assert!(said.contains("0 new messages"), "{said}");
}

#[test]
fn mail_fetch_fails_clearly_on_a_wrong_password() {
    let dovecot = Dovecot::start("fetch", "right");
    let out = TempDir::new("fetch-bad");
    std::fs::write(out.join("password"), "wrong\n").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_mail-fetch"))
        .arg("--pop3")
        .arg(format!("127.0.0.1:{}", dovecot.port))
        .args(["--user", "fetch", "--password-file"])
        .arg(out.join("password"))
        .arg("--out")
        .arg(out.join("Maildir"))
        .output()
        .unwrap();
    assert!(!output.status.success());
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("refused: -ERR"), "{err}");
}

//! The README's first command: `mail-server` with no `--users` serves a demo account, and a
//! message sent to it over SMTP comes back over POP3 (Python's smtplib and poplib as clients).

use std::process::{Command, Stdio};

mod common;
use common::ServerProcess;

#[test]
fn demo_account_receives_and_serves_mail() {
    let dir = std::env::temp_dir().join(format!("mail-server-demo-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let server = ServerProcess::spawn(
        Command::new(env!("CARGO_BIN_EXE_mail-server"))
            .args([
                "--smtp",
                "127.0.0.1:0",
                "--pop3",
                "127.0.0.1:0",
                "--maildir",
            ])
            .arg(&dir)
            .stderr(Stdio::piped()),
        &["smtp", "pop3"],
    );
    let (smtp, pop3) = (server.addr("smtp"), server.addr("pop3"));
    let script = format!(
        r#"
import smtplib, poplib
s = smtplib.SMTP("127.0.0.1", {})
s.sendmail("someone@example.org", ["demo@localhost"], b"Subject: hi\r\n\r\n.leading dot\r\n")
s.quit()
p = poplib.POP3("127.0.0.1", {})
p.user("demo")
p.pass_("demo")
print(p.stat()[0], p.retr(1)[1])
p.quit()
"#,
        smtp.port(),
        pop3.port()
    );
    let out = Command::new("python3")
        .arg("-c")
        .arg(&script)
        .output()
        .expect("python3 runs");
    let stderr = server.stop();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "1 [b'Subject: hi', b'', b'.leading dot']"
    );
    let stderr = String::from_utf8_lossy(&stderr);
    assert!(stderr.contains("demo account demo@localhost"), "{stderr}");
}

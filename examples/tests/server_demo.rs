//! The README's first command: `mail-server` with no `--users` serves a demo account, and a
//! message sent to it over SMTP comes back over POP3 (Python's smtplib and poplib as clients).

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

#[test]
fn demo_account_receives_and_serves_mail() {
    let dir = std::env::temp_dir().join(format!("mail-server-demo-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut child = Command::new(env!("CARGO_BIN_EXE_mail-server"))
        .args([
            "--smtp",
            "127.0.0.1:0",
            "--pop3",
            "127.0.0.1:0",
            "--maildir",
        ])
        .arg(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mail-server runs");
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take().expect("stdout");
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some((proto, addr)) = line
                .strip_prefix("mail-server: ")
                .and_then(|l| l.split_once(" listening on "))
            {
                let _ = tx.send((
                    proto.to_owned(),
                    addr.parse::<SocketAddr>().expect("address"),
                ));
            }
        }
    });
    let mut smtp = None;
    let mut pop3 = None;
    while smtp.is_none() || pop3.is_none() {
        let (proto, addr) = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("listeners announced");
        match proto.as_str() {
            "smtp" => smtp = Some(addr),
            "pop3" => pop3 = Some(addr),
            _ => {}
        }
    }
    let (smtp, pop3) = (smtp.expect("smtp"), pop3.expect("pop3"));
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
    let _ = child.kill();
    let stderr = child.wait_with_output().expect("mail-server ends").stderr;
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

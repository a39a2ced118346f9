//! mail-server's POP3 side against real clients on loopback: Python's poplib (USER/PASS, APOP,
//! STLS, CAPA, STAT, LIST, UIDL, TOP, RETR, DELE, RSET, QUIT, [IN-USE], [AUTH]), `curl
//! pop3://`, fetchmail and our own mail-fetch; and a message sent over SMTP (Python's smtplib
//! and mail-send) comes back byte-identical over POP3. Each test starts its own server on
//! ephemeral ports; a missing program fails the test.

#[path = "pop3_support/server.rs"]
mod pop3_server;
mod pop3_support;

use std::process::{Command, Stdio};

use pop3_server::MailServer;
use pop3_support::{maildir_contents, require, run, sample_messages, TempDir};

const USERS: &str = "bob:pw with space\ncarol:secret\n";

/// Runs a Python script with arguments; its assertions fail the test.
fn python(script: &str, args: &[&str]) -> String {
    require("python3");
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "python failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

const POPLIB: &str = r#"
import poplib, ssl, sys, time
port, ca, m1, m2 = int(sys.argv[1]), sys.argv[2], open(sys.argv[3], 'rb').read(), open(sys.argv[4], 'rb').read()

def body(lines):
    return b''.join(l + b'\r\n' for l in lines)

# USER/PASS on loopback, every transaction command.
p = poplib.POP3('127.0.0.1', port, timeout=20)
assert p.getwelcome().startswith(b'+OK'), p.getwelcome()
caps = p.capa()
for c in ['TOP', 'UIDL', 'USER', 'SASL', 'RESP-CODES', 'PIPELINING', 'STLS']:
    assert c in caps, (c, caps)
p.user('bob')
assert p.pass_('pw with space').startswith(b'+OK')
assert p.stat() == (2, len(m1) + len(m2)), p.stat()
resp, listing, _ = p.list()
assert listing == [b'1 %d' % len(m1), b'2 %d' % len(m2)], listing
assert p.list(2) == b'+OK 2 %d' % len(m2)
resp, uids, _ = p.uidl()
assert [u.split()[1] for u in uids] == [b'1000.M1P1.test', b'1001.M1P1.test'], uids
assert p.uidl(1) == b'+OK 1 1000.M1P1.test'
resp, lines, _ = p.retr(1)
assert body(lines) == m1, body(lines)
resp, lines, _ = p.top(2, 1)
assert body(lines) == b'From: b@example.test\r\nSubject: two\r\n\r\nline 1\r\n', lines
resp, lines, _ = p.top(1, 0)
assert body(lines) == m1.split(b'\r\n\r\n')[0] + b'\r\n\r\n', lines
assert p.dele(1).startswith(b'+OK')
try:
    p.dele(1); raise SystemExit('DELE twice accepted')
except poplib.error_proto as e:
    assert b'already deleted' in e.args[0], e
try:
    p.retr(0); raise SystemExit('RETR 0 accepted')
except poplib.error_proto as e:
    assert b'no such message' in e.args[0], e
assert p.stat()[0] == 1
assert p.rset().startswith(b'+OK')
assert p.stat()[0] == 2
assert p.noop().startswith(b'+OK')
p.dele(2)
assert p.quit().startswith(b'+OK')

# A dropped connection deletes nothing.
p = poplib.POP3('127.0.0.1', port, timeout=20)
p.user('bob'); p.pass_('pw with space')
p.dele(1)
p.close()  # no QUIT: the connection just ends

# APOP. The server notices the dropped connection (and frees the lock) in its own time.
def apop_login():
    for _ in range(200):
        p = poplib.POP3('127.0.0.1', port, timeout=20)
        assert p.timestamp.search(p.getwelcome()), p.getwelcome()
        try:
            assert p.apop('bob', 'pw with space').startswith(b'+OK')
            return p
        except poplib.error_proto as e:
            assert e.args[0].startswith(b'-ERR [IN-USE]'), e
            p.quit()
            time.sleep(0.05)
    raise SystemExit('the maildrop stayed locked after the connection dropped')
p = apop_login()
assert p.stat()[0] == 1
# A second session on the same maildrop: [IN-USE].
q = poplib.POP3('127.0.0.1', port, timeout=20)
q.user('bob')
try:
    q.pass_('pw with space'); raise SystemExit('second session got the maildrop')
except poplib.error_proto as e:
    assert e.args[0].startswith(b'-ERR [IN-USE]'), e
q.quit()
p.quit()

# A wrong password: [AUTH].
p = poplib.POP3('127.0.0.1', port, timeout=20)
p.user('bob')
try:
    p.pass_('nope'); raise SystemExit('wrong password accepted')
except poplib.error_proto as e:
    assert e.args[0].startswith(b'-ERR [AUTH]'), e
p.quit()

# STLS, then CAPA again (no STLS offered any more), then login and RETR over TLS.
p = poplib.POP3('localhost', port, timeout=20)
p.stls(context=ssl.create_default_context(cafile=ca))
caps = p.capa()
assert 'STLS' not in caps, caps
p.user('bob'); p.pass_('pw with space')
resp, lines, _ = p.retr(1)
assert body(lines) == m1
p.quit()
print('poplib ok')
"#;

#[test]
fn python_poplib_against_mail_server() {
    let server = MailServer::start(USERS);
    let messages = sample_messages();
    let (m1, m2) = (&messages[0], &messages[1]);
    server.deliver("bob", "1000.M1P1.test", m1);
    server.deliver("bob", "1001.M1P1.test", m2);
    let tmp = TempDir::new("poplib");
    std::fs::write(tmp.join("m1"), m1).unwrap();
    std::fs::write(tmp.join("m2"), m2).unwrap();
    let said = python(
        POPLIB,
        &[
            &server.pop3.to_string(),
            server.ca().to_str().unwrap(),
            tmp.join("m1").to_str().unwrap(),
            tmp.join("m2").to_str().unwrap(),
        ],
    );
    assert!(said.contains("poplib ok"));
    // Message 2 was deleted at QUIT; the DELE of the dropped connection did nothing.
    assert_eq!(server.messages("bob"), ["1000.M1P1.test"]);
}

fn curl(args: &[&str]) -> Vec<u8> {
    require("curl");
    run(Command::new("curl")
        .args(["-sS", "--max-time", "20"])
        .args(args))
}

#[test]
fn curl_against_mail_server() {
    let server = MailServer::start(USERS);
    let messages = sample_messages();
    for (i, m) in messages.iter().enumerate() {
        server.deliver("carol", &format!("200{i}.M1P1.test"), m);
    }
    let url = |path: &str| format!("pop3://127.0.0.1:{}/{path}", server.pop3);
    let listing = String::from_utf8(curl(&["--user", "carol:secret", &url("")])).unwrap();
    let want: String = messages
        .iter()
        .enumerate()
        .map(|(i, m)| format!("{} {}\r\n", i + 1, m.len()))
        .collect();
    assert_eq!(listing, want);
    // RETR of each message, byte-identical (dot lines, 8-bit, 600 KB).
    for (i, m) in messages.iter().enumerate() {
        let got = curl(&["--user", "carol:secret", &url(&(i + 1).to_string())]);
        assert_eq!(&got, m, "message {}", i + 1);
    }
    let uidl =
        String::from_utf8(curl(&["--user", "carol:secret", "-X", "UIDL", &url("")])).unwrap();
    assert!(
        uidl.starts_with("1 2000.M1P1.test\r\n2 2001.M1P1.test\r\n"),
        "{uidl}"
    );
    // STLS required, certificate checked, then SASL.
    let tls = curl(&[
        "--ssl-reqd",
        "--cacert",
        server.ca().to_str().unwrap(),
        "--user",
        "carol:secret",
        &format!("pop3://localhost:{}/2", server.pop3),
    ]);
    assert_eq!(tls, messages[1]);
    // DELE through curl's custom request; the file goes at QUIT.
    curl(&["--user", "carol:secret", "-X", "DELE", "-I", &url("1")]);
    assert_eq!(
        server.messages("carol"),
        ["2001.M1P1.test", "2002.M1P1.test"]
    );
    // A wrong password fails.
    let status = Command::new("curl")
        .args(["-sS", "--max-time", "20", "--user", "carol:wrong", &url("")])
        .output()
        .unwrap();
    assert!(!status.status.success());
}

#[test]
fn fetchmail_against_mail_server() {
    require("fetchmail");
    let server = MailServer::start(USERS);
    let messages = sample_messages();
    server.deliver("bob", "3000.M1P1.test", &messages[0]);
    server.deliver("bob", "3001.M1P1.test", &messages[1]);
    let home = TempDir::new("fetchmail");
    let mbox = home.join("fetched.mbox");
    let rc = home.join("fetchmailrc");
    std::fs::write(
        &rc,
        format!(
            "set no bouncemail\nset no syslog\npoll 127.0.0.1 with proto POP3 port {}\n  user \"bob\" there with password \"pw with space\" is \"root\" here\n  sslproto \"\"\n  mda \"/bin/sh -c 'cat >> {}'\"\n  no keep\n",
            server.pop3,
            mbox.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&rc, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = Command::new("fetchmail")
        .arg("-f")
        .arg(&rc)
        .arg("-v")
        .env("FETCHMAILHOME", home.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let log =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{log}");
    assert!(log.contains("2 messages for bob"), "{log}");
    // fetchmail hands the MDA LF line ends and adds its Received: header; the bodies are there,
    // dot-unstuffed, 8-bit intact.
    let fetched = std::fs::read(&mbox).unwrap();
    for m in &messages[..2] {
        let lf: Vec<u8> = m.iter().copied().filter(|&b| b != b'\r').collect();
        assert!(
            fetched.windows(lf.len()).any(|w| w == lf.as_slice()),
            "{}",
            String::from_utf8_lossy(&fetched)
        );
    }
    // fetchmail deleted what it fetched.
    assert!(server.messages("bob").is_empty());
}

#[test]
fn smtp_delivery_comes_back_byte_identical_over_pop3() {
    let server = MailServer::start(USERS);
    let message = b"From: a@example.test\r\nTo: carol@example.test\r\nSubject: round trip\r\n\r\n.leading dot\r\n..two dots\r\n.\r\n\xc3\xa9t\xc3\xa9 \xe2\x82\xac 8-bit\r\nlast line\r\n".to_vec();
    let tmp = TempDir::new("smtp-pop3");
    std::fs::write(tmp.join("message"), &message).unwrap();
    let said = python(
        r#"
import smtplib, sys
port, path = int(sys.argv[1]), sys.argv[2]
msg = open(path, 'rb').read()
s = smtplib.SMTP('127.0.0.1', port, timeout=20)
s.ehlo('client.example.test')
opts = ['BODY=8BITMIME'] if s.has_extn('8bitmime') else []
refused = s.sendmail('a@example.test', ['carol@example.test'], msg, mail_options=opts)
assert not refused, refused
s.quit()
print('sent')
"#,
        &[
            &server.smtp.to_string(),
            tmp.join("message").to_str().unwrap(),
        ],
    );
    assert!(said.contains("sent"));
    // mail-send too, with a body of dot lines and 8-bit text.
    let body = tmp.join("body");
    std::fs::write(&body, ".dot line\n..two\n\u{e9}t\u{e9}\n").unwrap();
    run(Command::new(env!("CARGO_BIN_EXE_mail-send"))
        .arg("--server")
        .arg(format!("127.0.0.1:{}", server.smtp))
        .args([
            "--from",
            "a@example.test",
            "--to",
            "carol@example.test",
            "--subject",
            "via mail-send",
        ])
        .arg(&body));
    let stored = maildir_contents(&server.maildir("carol"));
    assert_eq!(stored.len(), 2);
    assert!(stored.contains(&message), "SMTP stored the bytes as sent");
    // Back over POP3 with our own client, and with poplib.
    let out = TempDir::new("smtp-pop3-out");
    std::fs::write(out.join("pw"), "secret\n").unwrap();
    run(Command::new(env!("CARGO_BIN_EXE_mail-fetch"))
        .arg("--pop3")
        .arg(format!("127.0.0.1:{}", server.pop3))
        .args(["--user", "carol", "--password-file"])
        .arg(out.join("pw"))
        .arg("--out")
        .arg(out.join("Maildir")));
    assert_eq!(
        maildir_contents(&out.join("Maildir")),
        stored,
        "POP3 gives back what SMTP stored"
    );
    let said = python(
        r#"
import poplib, sys
p = poplib.POP3('127.0.0.1', int(sys.argv[1]), timeout=20)
p.user('carol'); p.pass_('secret')
want = open(sys.argv[2], 'rb').read()
got = [b''.join(l + b'\r\n' for l in p.retr(n)[1]) for n in (1, 2)]
assert want in got, got
p.quit()
print('identical')
"#,
        &[
            &server.pop3.to_string(),
            tmp.join("message").to_str().unwrap(),
        ],
    );
    assert!(said.contains("identical"));
}

#[test]
fn mail_fetch_draws_a_progress_bar_only_on_a_terminal() {
    require("script");
    let server = MailServer::start(USERS);
    for (i, m) in sample_messages().iter().enumerate() {
        server.deliver("bob", &format!("400{i}.M1P1.test"), m);
    }
    let tmp = TempDir::new("progress");
    std::fs::write(tmp.join("pw"), "pw with space\n").unwrap();
    let fetch = |out: &str| {
        format!(
            "{} --pop3 127.0.0.1:{} --user bob --password-file {} --out {}",
            env!("CARGO_BIN_EXE_mail-fetch"),
            server.pop3,
            tmp.join("pw").display(),
            tmp.join(out).display()
        )
    };
    // Under a pseudo-terminal (script(1)): the bar is drawn.
    let tty = run(Command::new("script").args(["-qec", &fetch("tty"), "/dev/null"]));
    let tty = String::from_utf8_lossy(&tty);
    assert!(
        tty.contains("\r[") && tty.contains("3/3 messages"),
        "{tty:?}"
    );
    // Into a pipe: only the summary line.
    let piped = String::from_utf8(run(Command::new("sh").arg("-c").arg(fetch("pipe")))).unwrap();
    assert!(!piped.contains('\r') && !piped.contains('['), "{piped:?}");
    assert!(piped.starts_with("mail-fetch: 3 new messages"), "{piped:?}");
    assert_eq!(
        maildir_contents(&tmp.join("tty")),
        maildir_contents(&tmp.join("pipe"))
    );
}

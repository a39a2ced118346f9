//! Python's smtplib against mail-server: plain, STARTTLS + AUTH, 8-bit, SMTPUTF8, an
//! attachment, refusals. The stored bytes are compared with what Python sent.

mod smtp_support;

use smtp_support::{require, run, MailServer, TempDir};
use std::process::Command;

/// Runs a Python script with the port as argv[1] and a scratch folder as argv[2].
fn python(server: &MailServer, scratch: &TempDir, script: &str) -> String {
    require("python3");
    let out = run(Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(server.port().to_string())
        .arg(scratch.path()));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "python failed: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[test]
fn smtplib_plain() {
    let server = MailServer::start();
    let scratch = TempDir::new("py");
    python(
        &server,
        &scratch,
        r#"
import smtplib, sys
s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]))
s.ehlo('client.example')
assert s.has_extn('pipelining') and s.has_extn('8bitmime') and s.has_extn('starttls')
s.sendmail('someone@remote.example', ['ann@example.test', 'BOB@example.test'], b'Subject: hi\r\n\r\nHello\r\n.dot\r\n')
s.quit()
"#,
    );
    let want = b"Subject: hi\r\n\r\nHello\r\n.dot\r\n".to_vec();
    assert_eq!(server.stored("ann"), std::slice::from_ref(&want));
    assert_eq!(server.stored("bob"), [want]);
    assert!(server.tmp_is_empty());
}

#[test]
fn smtplib_starttls_auth() {
    let server = MailServer::start();
    let scratch = TempDir::new("py");
    let out = python(
        &server,
        &scratch,
        r#"
import smtplib, ssl, sys
s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]))
s.starttls(context=ssl._create_unverified_context())
s.ehlo()
print(s.esmtp_features.get('auth'))
try:
    s.login('ann', 'wrong')
    print('accepted wrong password')
except smtplib.SMTPAuthenticationError as e:
    print('refused', e.smtp_code)
s.login('ann', 'pw')
s.sendmail('ann@example.test', ['bob@example.test'], 'Subject: tls\r\n\r\nover TLS\r\n')
s.quit()
"#,
    );
    assert!(out.contains("PLAIN LOGIN"), "{out}");
    assert!(out.contains("refused 535"), "{out}");
    assert_eq!(
        server.stored("bob"),
        [b"Subject: tls\r\n\r\nover TLS\r\n".to_vec()]
    );
}

#[test]
fn smtplib_8bit_and_smtputf8() {
    let server = MailServer::start();
    let scratch = TempDir::new("py");
    python(
        &server,
        &scratch,
        r#"
import smtplib, sys
s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]))
s.ehlo()
msg = 'Subject: Grüße\r\n\r\nÄpfel und Birnen\r\n'.encode('utf-8')
s.sendmail('a@remote.example', ['ann@example.test'], msg, mail_options=['BODY=8BITMIME'])
s.sendmail('jörg@bücher.example', ['ann@example.test'], msg, mail_options=['SMTPUTF8', 'BODY=8BITMIME'])
s.quit()
"#,
    );
    let want = "Subject: Grüße\r\n\r\nÄpfel und Birnen\r\n"
        .as_bytes()
        .to_vec();
    assert_eq!(server.stored("ann"), [want.clone(), want]);
}

#[test]
fn smtplib_attachment() {
    let server = MailServer::start();
    let scratch = TempDir::new("py");
    python(
        &server,
        &scratch,
        r#"
import smtplib, sys, os
from email.message import EmailMessage
from email import policy
m = EmailMessage()
m['From'] = 'a@remote.example'
m['To'] = 'ann@example.test'
m['Subject'] = 'with attachment'
m.set_content('see attached\n.line with a dot\n')
m.add_attachment(bytes(range(256)) * 40, maintype='application', subtype='octet-stream', filename='data.bin')
data = m.as_bytes(policy=policy.SMTP)
open(os.path.join(sys.argv[2], 'sent.eml'), 'wb').write(data)
s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]))
s.sendmail('a@remote.example', ['ann@example.test'], data)
s.quit()
"#,
    );
    let sent = std::fs::read(scratch.join("sent.eml")).unwrap();
    let stored = server.stored("ann");
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0], sent);
    let msg = mail_message::Message::parse(&stored[0]);
    assert_eq!(msg.subject().as_deref(), Some("with attachment"));
}

#[test]
fn smtplib_refusals() {
    let server = MailServer::start();
    let scratch = TempDir::new("py");
    let out = python(
        &server,
        &scratch,
        r#"
import smtplib, sys
s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]))
for rcpt in ['nobody@example.test', 'ann@elsewhere.example']:
    try:
        s.sendmail('a@remote.example', [rcpt], b'Subject: x\r\n\r\nx\r\n')
        print('accepted', rcpt)
    except smtplib.SMTPRecipientsRefused as e:
        code, text = e.recipients[rcpt]
        print(rcpt, code, text.decode())
s.quit()
"#,
    );
    assert!(out.contains("nobody@example.test 550 5.1.1"), "{out}");
    assert!(out.contains("ann@elsewhere.example 550 5.7.1"), "{out}");
    assert!(server.stored("ann").is_empty());
}

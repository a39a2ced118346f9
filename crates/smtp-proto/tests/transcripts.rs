//! RFC 5321 Appendix D and the extension RFCs' examples, run against both sessions: the client
//! must send exactly the `C:` bytes when fed the `S:` replies, and the server must answer the
//! `C:` bytes with the `S:` codes (its texts are its own).

mod support;

use smtp_proto::codec::command::Command;
use smtp_proto::session::client::{ClientConfig, ClientEvent, ClientSession, Envelope};
use smtp_proto::session::server::{ServerConfig, ServerEvent, ServerSession};
use smtp_proto::types::{Domain, ForwardPath, ReversePath};
use support::{replies, transcript, ServerRun, Turn};

// The RFC prints "...etc. etc. etc." unstuffed; on the wire a line starting with a dot gets
// one more (RFC 5321 4.5.2), which is what is written here, in D.1 and D.4.
const D1: &str = "
      S: 220 foo.com Simple Mail Transfer Service Ready
      C: EHLO bar.com
      S: 250-foo.com greets bar.com
      S: 250-8BITMIME
      S: 250-SIZE
      S: 250-DSN
      S: 250 HELP
      C: MAIL FROM:<Smith@bar.com>
      S: 250 OK
      C: RCPT TO:<Jones@foo.com>
      S: 250 OK
      C: RCPT TO:<Green@foo.com>
      S: 550 No such user here
      C: RCPT TO:<Brown@foo.com>
      S: 250 OK
      C: DATA
      S: 354 Start mail input; end with <CRLF>.<CRLF>
      C: Blah blah blah...
      C: ....etc. etc. etc.
      C: .
      S: 250 OK
      C: QUIT
      S: 221 foo.com Service closing transmission channel
";

const D2: &str = "
      S: 220 foo.com Simple Mail Transfer Service Ready
      C: EHLO bar.com
      S: 250-foo.com greets bar.com
      S: 250-8BITMIME
      S: 250-SIZE
      S: 250-DSN
      S: 250 HELP
      C: MAIL FROM:<Smith@bar.com>
      S: 250 OK
      C: RCPT TO:<Jones@foo.com>
      S: 250 OK
      C: RCPT TO:<Green@foo.com>
      S: 550 No such user here
      C: RSET
      S: 250 OK
      C: QUIT
      S: 221 foo.com Service closing transmission channel
";

const D3_STEP2: &str = "
           S: 220 xyz.com Simple Mail Transfer Service Ready
           C: EHLO foo.com
           S: 250 xyz.com is on the air
           C: MAIL FROM:<JQP@bar.com>
           S: 250 OK
           C: RCPT TO:<Jones@XYZ.COM>
           S: 250 OK
           C: DATA
           S: 354 Start mail input; end with <CRLF>.<CRLF>
           C: Received: from bar.com by foo.com ; Thu, 21 May 1998
           C:     05:33:29 -0700
           C: Date: Thu, 21 May 1998 05:33:22 -0700
           C: From: John Q. Public <JQP@bar.com>
           C: Subject:  The Next Meeting of the Board
           C: To: Jones@xyz.com
           C:
           C: Bill:
           C: The next meeting of the board of directors will be
           C: on Tuesday.
           C:                         John.
           C: .
           S: 250 OK
           C: QUIT
           S: 221 foo.com Service closing transmission channel
";

const D4: &str = "
      S: 220 foo.com Simple Mail Transfer Service Ready
      C: EHLO bar.com
      S: 250-foo.com greets bar.com
      S: 250-8BITMIME
      S: 250-SIZE
      S: 250-DSN
      S: 250-VRFY
      S: 250 HELP
      C: VRFY Crispin
      S: 252 Cannot VRFY user
      C: MAIL FROM:<EAK@bar.com>
      S: 250 OK
      C: RCPT TO:<Admin.MRC@foo.com>
      S: 250 OK
      C: DATA
      S: 354 Start mail input; end with <CRLF>.<CRLF>
      C: Blah blah blah...
      C: ....etc. etc. etc.
      C: .
      S: 250 OK
      C: QUIT
      S: 221 foo.com Service closing transmission channel
";

// RFC 2920 section 3.2, the pipelined examples.
const PIPELINING_1: &str = r#"
   S: 220 innosoft.com SMTP service ready
   C: EHLO dbc.mtview.ca.us
   S: 250-innosoft.com
   S: 250 PIPELINING
   C: MAIL FROM:<mrose@dbc.mtview.ca.us>
   C: RCPT TO:<ned@innosoft.com>
   C: RCPT TO:<dan@innosoft.com>
   C: RCPT TO:<kvc@innosoft.com>
   C: DATA
   S: 250 sender <mrose@dbc.mtview.ca.us> OK
   S: 250 recipient <ned@innosoft.com> OK
   S: 250 recipient <dan@innosoft.com> OK
   S: 250 recipient <kvc@innosoft.com> OK
   S: 354 enter mail, end with line containing only "."
   C: Hi all
   C: .
   C: QUIT
   S: 250 message sent
   S: 221 goodbye
"#;

const PIPELINING_ALL_FAIL: &str = "
   S: 220 innosoft.com SMTP service ready
   C: EHLO dbc.mtview.ca.us
   S: 250-innosoft.com
   S: 250 PIPELINING
   C: MAIL FROM:<mrose@dbc.mtview.ca.us>
   C: RCPT TO:<badnsb@thumper.bellcore.com>
   C: RCPT TO:<badgalvin@tis.com>
   C: DATA
   S: 250 sender <mrose@dbc.mtview.ca.us> OK
   S: 550 remote mail to <nsb@thumper.bellore.com> not allowed
   S: 550 remote mail to <galvin@tis.com> not allowed
   S: 554 no valid recipients given
   C: QUIT
   S: 221 goodbye
";

// RFC 2920: all RCPTs failed but the server still says 354: the client sends an empty
// message.
const PIPELINING_ALL_FAIL_354: &str = r#"
   S: 220 innosoft.com SMTP service ready
   C: EHLO dbc.mtview.ca.us
   S: 250-innosoft.com
   S: 250 PIPELINING
   C: MAIL FROM:<mrose@dbc.mtview.ca.us>
   C: RCPT TO:<nsb@thumper.bellcore.com>
   C: RCPT TO:<galvin@tis.com>
   C: DATA
   S: 250 sender <mrose@dbc.mtview.ca.us> OK
   S: 550 remote mail to <nsb@thumper.bellore.com> not allowed
   S: 550 remote mail to <galvin@tis.com> not allowed
   S: 354 enter mail, end with line containing only "."
   C: .
   C: QUIT
   S: 554 no valid recipients
   S: 221 goodbye
"#;

// RFC 1870 section 7 (SIZE), with the refusals as the server sends them.
const SIZE: &str = "
   S: 220 sigurd.innosoft.com -- Server SMTP (PMDF V4.2-6 #1992)
   C: EHLO ymir.claremont.edu
   S: 250-sigurd.innosoft.com
   S: 250-EXPN
   S: 250-HELP
   S: 250 SIZE 1000000
   C: MAIL FROM:<ned@thor.innosoft.com> SIZE=500000
   S: 250 Address Ok.
   C: RCPT TO:<ned@innosoft.com>
   S: 250 ned@innosoft.com OK; can accomodate 500000 byte message
   C: RCPT TO:<badned@ymir.claremont.edu>
   S: 552 Channel size limit exceeded: ned@YMIR.CLAREMONT.EDU
   C: RCPT TO:<badned@hmcvax.claremont.edu>
   S: 452 Insufficient channel storage: ned@hmcvax.CLAREMONT.EDU
   C: DATA
   S: 354 Send message, ending in CRLF.CRLF.
   C: Hello
   C: .
   S: 250 Some recipients OK
   C: QUIT
   S: 221 Goodbye
";

/// The envelope and body a transcript's client sends.
fn envelope_of(turns: &[Turn]) -> (Envelope, Vec<u8>) {
    let mut from = ReversePath::Null;
    let mut to = Vec::new();
    let mut body = Vec::new();
    let mut in_data = false;
    for turn in turns {
        let Turn::Client(bytes) = turn else { continue };
        for line in bytes.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if in_data {
                if line == b"." {
                    in_data = false;
                } else {
                    let line = if line.starts_with(b".") {
                        &line[1..]
                    } else {
                        line
                    };
                    body.extend_from_slice(line);
                    body.extend_from_slice(b"\r\n");
                }
                continue;
            }
            match Command::parse_line(line) {
                Ok(Command::Mail { from: f, .. }) => from = f.into_owned(),
                Ok(Command::Rcpt { to: t, .. }) => to.push(t.into_owned()),
                Ok(Command::Data) => in_data = true,
                _ => {}
            }
        }
    }
    (Envelope::new(from, to), body)
}

/// Feeds the server replies one at a time to a client; returns what it sent and checks that
/// it equals the transcript's client bytes.
fn client_side(text: &str, ehlo_name: &str) {
    let turns = transcript(text);
    let (envelope, body) = envelope_of(&turns);
    let mut config = ClientConfig::new(Domain::new(ehlo_name).unwrap());
    config.declare_size = false;
    let mut client = ClientSession::new(config);
    let mut sent = Vec::new();
    let mut envelope = Some(envelope);
    let mut closed = false;
    for turn in &turns {
        if let Turn::Server(reply) = turn {
            client.handle_input(&reply.to_bytes());
            while let Some(event) = client.poll_event() {
                match event {
                    ClientEvent::Ready(_) => {
                        if let Some(env) = envelope.take() {
                            client.send_mail(env, &body).unwrap();
                        }
                    }
                    ClientEvent::Delivered(_) => client.quit().unwrap(),
                    ClientEvent::Closed => closed = true,
                    ClientEvent::Error(e) => panic!("client failed: {e}"),
                    _ => {}
                }
            }
            client.poll_transmit(&mut sent);
        }
    }
    let expected: Vec<u8> = turns
        .iter()
        .filter_map(|t| match t {
            Turn::Client(b) => Some(b.clone()),
            Turn::Server(_) => None,
        })
        .flatten()
        .collect();
    assert_eq!(
        String::from_utf8_lossy(&sent),
        String::from_utf8_lossy(&expected)
    );
    assert!(closed, "the client saw the 221");
}

/// Feeds the client bytes to a server, deciding each MAIL/RCPT/message like the transcript's
/// reply to it, and checks every reply code.
fn server_side(text: &str, config: ServerConfig) {
    let turns = transcript(text);
    let expected: Vec<_> = turns
        .iter()
        .filter_map(|t| match t {
            Turn::Server(r) => Some(r.clone()),
            Turn::Client(_) => None,
        })
        .collect();
    let mut server = ServerSession::new(config);
    let mut run = ServerRun::default();
    let mut policy = |s: &mut ServerSession, e: &ServerEvent, out: &[u8]| {
        let decided = matches!(
            e,
            ServerEvent::MailFrom { .. } | ServerEvent::RcptTo { .. } | ServerEvent::MessageEnd
        );
        if decided {
            let k = replies(out).len();
            let want = expected[k].clone();
            if want.is_positive() {
                s.accept().unwrap();
            } else {
                s.reject(want).unwrap();
            }
        }
    };
    run.drive(&mut server, &mut policy);
    for turn in &turns {
        if let Turn::Client(bytes) = turn {
            run.feed(&mut server, bytes, &mut policy);
        }
    }
    let got = run.codes();
    let want: Vec<u16> = expected.iter().map(|r| r.code().get()).collect();
    assert_eq!(got, want, "{}", String::from_utf8_lossy(&run.output));
    assert!(server.is_closed());
}

fn server(name: &str) -> ServerConfig {
    ServerConfig::new(Domain::new(name).unwrap())
}

#[test]
fn rfc5321_d1_typical_transaction() {
    client_side(D1, "bar.com");
    server_side(D1, server("foo.com"));
}

#[test]
fn rfc5321_d2_aborted_transaction() {
    // The client side of D.2 is the application's choice to RSET; the server side is ours.
    server_side(D2, server("foo.com"));
}

#[test]
fn rfc5321_d3_relayed_mail() {
    client_side(D3_STEP2, "foo.com");
    server_side(D3_STEP2, server("xyz.com"));
}

#[test]
fn rfc5321_d4_verify_and_send() {
    server_side(D4, server("foo.com"));
}

#[test]
fn rfc2920_pipelining() {
    client_side(PIPELINING_1, "dbc.mtview.ca.us");
    server_side(PIPELINING_1, server("innosoft.com"));
}

#[test]
fn rfc2920_all_recipients_fail() {
    client_side(PIPELINING_ALL_FAIL, "dbc.mtview.ca.us");
    server_side(PIPELINING_ALL_FAIL, server("innosoft.com"));
}

#[test]
fn rfc2920_all_recipients_fail_yet_354() {
    client_side(PIPELINING_ALL_FAIL_354, "dbc.mtview.ca.us");
}

/// A client reads an EHLO reply in the common shape in one pass, one with enhanced codes the
/// general way, and either split across inputs once it is whole: the capabilities it is ready
/// with are the same.
#[test]
fn client_ehlo_reply_read_either_way() {
    let plain = "250-mx.example.org hi\r\n250-PIPELINING\r\n250-SIZE 100\r\n250-X-A b\r\n250 AUTH PLAIN\r\n";
    let enhanced = "250-2.0.0 mx.example.org hi\r\n250-2.0.0 PIPELINING\r\n250-2.0.0 SIZE 100\r\n\
250-2.0.0 X-A b\r\n250 2.0.0 AUTH PLAIN\r\n";
    let ready = |inputs: &[&[u8]]| {
        let mut client = ClientSession::new(ClientConfig::new(Domain::new("c.example").unwrap()));
        client.handle_input(b"220 mx\r\n");
        for input in inputs {
            client.handle_input(input);
        }
        match client.poll_event() {
            Some(ClientEvent::Ready(ehlo)) => ehlo,
            other => panic!("{other:?}"),
        }
    };
    let want = ready(&[plain.as_bytes()]);
    assert_eq!(want.size(), Some(100));
    assert_eq!(want.unknown().len(), 1);
    assert_eq!(ready(&[enhanced.as_bytes()]), want);
    for wire in [plain, enhanced] {
        for cut in 0..wire.len() {
            let (a, b) = wire.as_bytes().split_at(cut);
            assert_eq!(ready(&[a, b]), want, "{cut}");
        }
    }
}

#[test]
fn rfc1870_size() {
    // The client sends SIZE when offered: run it with the declaration.
    let turns = transcript(SIZE);
    let (envelope, body) = envelope_of(&turns);
    let mut client = ClientSession::new(ClientConfig::new(
        Domain::new("ymir.claremont.edu").unwrap(),
    ));
    client.handle_input(b"220 sigurd\r\n");
    client.handle_input(b"250-sigurd.innosoft.com\r\n250-EXPN\r\n250-HELP\r\n250 SIZE 1000000\r\n");
    assert!(matches!(client.poll_event(), Some(ClientEvent::Ready(_))));
    client.send_mail(envelope, &body).unwrap();
    let mut out = Vec::new();
    client.poll_transmit(&mut out);
    assert!(String::from_utf8_lossy(&out).contains("MAIL FROM:<ned@thor.innosoft.com> SIZE=7\r\n"));
    // A message over the server's SIZE is refused before anything is sent.
    let (envelope, _) = envelope_of(&turns);
    let mut client = ClientSession::new(ClientConfig::new(Domain::new("c.example").unwrap()));
    client.handle_input(b"220 s\r\n250-s\r\n250 SIZE 10\r\n");
    let _ = client.poll_event();
    let e = client.send_mail(envelope, &[b'x'; 11]).unwrap_err();
    assert!(e.to_string().contains("exceeds"), "{e}");
    // Server side: a declared size over the limit gets 552 5.3.4 at MAIL.
    let mut config = server("sigurd.innosoft.com");
    config.max_message_size = 1_000_000;
    let (run, _) = support::run_split(
        &|| ServerSession::new(config.clone()),
        b"EHLO y\r\nMAIL FROM:<a@b.c> SIZE=1000001\r\nMAIL FROM:<a@b.c> SIZE=500000\r\n",
        &[],
    );
    assert_eq!(run.codes(), [220, 250, 552, 250]);
    assert!(String::from_utf8_lossy(&run.output).contains("SIZE 1000000\r\n"));
}

#[test]
fn rfc3207_starttls() {
    let text = "
   S: 220 mail.imc.org SMTP service ready
   C: EHLO mail.example.com
   S: 250-mail.imc.org offers a warm hug of welcome
   S: 250-8BITMIME
   S: 250-STARTTLS
   S: 250 DSN
   C: STARTTLS
   S: 220 Go ahead
";
    let turns = transcript(text);
    let mut client =
        ClientSession::new(ClientConfig::new(Domain::new("mail.example.com").unwrap()));
    let mut sent = Vec::new();
    for t in &turns {
        if let Turn::Server(r) = t {
            client.handle_input(&r.to_bytes());
            client.poll_transmit(&mut sent);
        }
    }
    assert_eq!(sent, b"EHLO mail.example.com\r\nSTARTTLS\r\n");
    assert_eq!(client.poll_event(), Some(ClientEvent::StartTls));
    client.tls_established().unwrap();
    sent.clear();
    client.poll_transmit(&mut sent);
    assert_eq!(sent, b"EHLO mail.example.com\r\n");
    client.handle_input(
        b"250-mail.imc.org touches your hand gently for a moment\r\n250-8BITMIME\r\n250 DSN\r\n",
    );
    assert!(matches!(client.poll_event(), Some(ClientEvent::Ready(_))));
    assert!(client.is_tls());
}

#[test]
fn rfc3030_chunking_server() {
    // Section 4.2 (BINARYMIME over several chunks, with a zero-length LAST) in small.
    let mut config = server("cnri.reston.va.us");
    config.max_message_size = 1000;
    let input = b"EHLO ymir.claremont.edu\r\n\
MAIL FROM:<ned@ymir.claremont.edu> BODY=BINARYMIME\r\n\
RCPT TO:<gvaudre@cnri.reston.va.us>\r\n\
RCPT TO:<jstewart@cnri.reston.va.us>\r\n\
BDAT 10\r\n0123456789BDAT 4\r\n\x00\r\n\xffBDAT 0 LAST\r\nQUIT\r\n";
    for cut in 0..=input.len() {
        let (run, _) = support::run_split(&|| ServerSession::new(config.clone()), input, &[cut]);
        assert_eq!(
            run.codes(),
            [220, 250, 250, 250, 250, 250, 250, 250, 221],
            "cut {cut}"
        );
        assert_eq!(
            run.messages,
            [b"0123456789\x00\r\n\xff".to_vec()],
            "cut {cut}"
        );
    }
}

#[test]
fn rfc3030_chunking_client() {
    let mut config = ClientConfig::new(Domain::new("ymir.claremont.edu").unwrap());
    config.chunking = true;
    let mut client = ClientSession::new(config);
    client.handle_input(b"220 localhost ESMTP server ready\r\n250-localhost Hello\r\n250-PIPELINING\r\n250-BINARYMIME\r\n250 CHUNKING\r\n");
    assert!(matches!(client.poll_event(), Some(ClientEvent::Ready(_))));
    let env = Envelope::new(
        ReversePath::Mailbox("Sam@Random.com".parse_mailbox()),
        vec![ForwardPath::Mailbox("Susan@Random.com".parse_mailbox())],
    );
    client
        .send_mail(env, b"To: Susan@random.com\nSubject: x\n\n\xe9\n")
        .unwrap();
    let mut out = Vec::new();
    client.poll_transmit(&mut out);
    let want = b"EHLO ymir.claremont.edu\r\nMAIL FROM:<Sam@Random.com> BODY=BINARYMIME\r\nRCPT TO:<Susan@Random.com>\r\nBDAT 39 LAST\r\nTo: Susan@random.com\r\nSubject: x\r\n\r\n\xe9\r\n";
    assert_eq!(String::from_utf8_lossy(&out), String::from_utf8_lossy(want));
    client.handle_input(b"250 OK\r\n250 OK\r\n250 Message OK, 39 octets received\r\n");
    let Some(ClientEvent::Delivered(d)) = client.poll_event() else {
        panic!()
    };
    assert!(d.is_success());
}

#[test]
fn rfc4954_auth_plain_with_initial_response() {
    use mail_wire::sasl::{Credentials, Mechanism};
    use smtp_proto::session::server::{AuthAnswer, AuthRequest};
    let mut config = server("smtp.example.com");
    config.auth_mechanisms = vec![Mechanism::Plain, Mechanism::Login];
    config.auth_requires_tls = false;
    let mut s = ServerSession::new(config);
    let mut run = ServerRun::default();
    let mut policy = |s: &mut ServerSession, e: &ServerEvent, _: &[u8]| {
        if let ServerEvent::Auth(AuthRequest::Verify(Credentials::Password {
            authzid,
            authcid,
            password,
            ..
        })) = e
        {
            let ok = authzid.as_deref() == Some("test")
                && authcid == "test"
                && password.expose() == "1234";
            s.auth_answer(AuthAnswer::Verified(ok)).unwrap();
        }
    };
    run.feed(
        &mut s,
        b"EHLO client.example.com\r\nAUTH PLAIN dGVzdAB0ZXN0ADEyMzQ=\r\n",
        &mut policy,
    );
    let text = String::from_utf8_lossy(&run.output).to_string();
    assert!(text.contains("250-AUTH PLAIN LOGIN\r\n"), "{text}");
    assert!(
        text.ends_with("235 2.7.0 Authentication successful\r\n"),
        "{text}"
    );
    assert!(s.is_authenticated());
    // AUTH LOGIN without an initial response: two 334 challenges.
    let mut s2 = ServerSession::new({
        let mut c = server("smtp.example.com");
        c.auth_mechanisms = vec![Mechanism::Login];
        c.auth_requires_tls = false;
        c
    });
    let mut run = ServerRun::default();
    let mut policy = |s: &mut ServerSession, e: &ServerEvent, _: &[u8]| {
        if let ServerEvent::Auth(AuthRequest::Verify(_)) = e {
            s.auth_answer(AuthAnswer::Verified(false)).unwrap();
        }
    };
    run.feed(
        &mut s2,
        b"EHLO c\r\nAUTH LOGIN\r\ndGVzdA==\r\nMTIzNA==\r\n",
        &mut policy,
    );
    assert_eq!(run.codes(), [220, 250, 334, 334, 535]);
    assert!(String::from_utf8_lossy(&run.output).contains("334 VXNlcm5hbWU6\r\n"));
}

#[test]
fn auth_questions_are_the_shared_sasl_types_and_a_wrong_answer_kind_fails_temporarily() {
    use mail_wire::sasl::Mechanism;
    // The shared types, named through smtp-proto alone.
    use smtp_proto::session::server::{AuthAnswer, AuthRequest, Credentials, Secret};
    let mut config = server("smtp.example.com");
    config.auth_mechanisms = vec![Mechanism::Plain];
    config.auth_requires_tls = false;
    let mut s = ServerSession::new(config);
    let mut out = Vec::new();
    // AUTH PLAIN with "\0test\01234", answered with the wrong kind, then again answered right.
    for (answer, code) in [
        (
            AuthAnswer::Secret(Some(Secret::new("1234".into()))),
            "454 4.7.0",
        ),
        (AuthAnswer::Verified(true), "235 2.7.0"),
    ] {
        s.handle_input(b"EHLO c\r\nAUTH PLAIN AHRlc3QAMTIzNA==\r\n");
        let mut asked = None;
        while let Some(event) = s.poll_event() {
            if let ServerEvent::Auth(request) = event {
                assert!(!format!("{request:?}").contains("1234"));
                asked = Some(request);
            }
        }
        let Some(AuthRequest::Verify(Credentials::Password {
            authcid, password, ..
        })) = &asked
        else {
            panic!("no password check: {asked:?}")
        };
        assert_eq!(
            (authcid.as_str(), password.expose().as_str()),
            ("test", "1234")
        );
        assert_eq!(asked.as_ref().and_then(AuthRequest::user), Some("test"));
        s.auth_answer(answer).unwrap();
        out.clear();
        let _ = s.poll_transmit(&mut out);
        let text = String::from_utf8_lossy(&out);
        assert!(
            text.lines().last().is_some_and(|l| l.starts_with(code)),
            "{text}"
        );
        while s.poll_event().is_some() {}
    }
    assert!(s.is_authenticated());
    // Nothing pending now.
    assert!(s.auth_answer(AuthAnswer::Verified(true)).is_err());
}

trait ParseMailbox {
    fn parse_mailbox(&self) -> smtp_proto::types::Mailbox<'static>;
}

impl ParseMailbox for &str {
    fn parse_mailbox(&self) -> smtp_proto::types::Mailbox<'static> {
        smtp_proto::types::Mailbox::parse(self).unwrap()
    }
}

//! Raw bytes against mail-server: SMTP smuggling attempts must not split a message, plaintext
//! pipelined after STARTTLS is not executed, refusals have the right codes.

mod smtp_support;

use smtp_support::{MailServer, Raw};

#[test]
fn smuggling_never_splits_a_message() {
    let server = MailServer::start();
    for variant in [&b"\n.\n"[..], b"\n.\r\n", b"\r.\r", b"\r\n.\n", b"\r.\r\n"] {
        let mut raw = Raw::connect(server.addr);
        assert_eq!(raw.send(b"EHLO attacker.example\r\n", 1), [250]);
        let mut data =
            b"MAIL FROM:<a@remote.example>\r\nRCPT TO:<ann@example.test>\r\nDATA\r\n".to_vec();
        assert_eq!(raw.send(&data, 3), [250, 250, 354]);
        data = b"Subject: innocent\r\n\r\nHi".to_vec();
        data.extend_from_slice(variant);
        data.extend_from_slice(b"MAIL FROM:<admin@example.test>\r\nRCPT TO:<bob@example.test>\r\nDATA\r\nSubject: forged\r\n\r\nsmuggled\r\n.\r\n");
        // One reply only: the whole thing is one message, refused for its bare line end.
        let replies = raw.send_replies(&data, 1);
        assert_eq!(replies[0].code().get(), 550, "{variant:?}: {replies:?}");
        assert_eq!(raw.send(b"QUIT\r\n", 1), [221], "{variant:?}");
    }
    assert!(server.stored("ann").is_empty());
    assert!(
        server.stored("bob").is_empty(),
        "a smuggled message was delivered"
    );
    assert!(server.tmp_is_empty());
}

#[test]
fn starttls_injection_is_not_executed() {
    let server = MailServer::start();
    let mut raw = Raw::connect(server.addr);
    assert_eq!(raw.send(b"EHLO c.example\r\n", 1), [250]);
    // RSET and MAIL in the same packet as STARTTLS: only the 220 may come back, in plaintext.
    assert_eq!(
        raw.send(b"STARTTLS\r\nRSET\r\nMAIL FROM:<a@b.example>\r\n", 1),
        [220]
    );
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(
        raw.received.is_empty(),
        "plaintext replies after 220: {:?}",
        String::from_utf8_lossy(&raw.received)
    );
}

#[test]
fn refusals_and_order() {
    let server = MailServer::start();
    let mut raw = Raw::connect(server.addr);
    assert_eq!(raw.send(b"MAIL FROM:<a@b.example>\r\n", 1), [503]);
    assert_eq!(
        raw.send(b"EHLO c.example\r\nRCPT TO:<ann@example.test>\r\n", 2),
        [250, 503]
    );
    let replies = raw.send_replies(
        b"MAIL FROM:<a@b.example>\r\nRCPT TO:<nobody@example.test>\r\nRCPT TO:<x@relay.example>\r\nRCPT TO:<postmaster@relay.example>\r\nDATA\r\n",
        5,
    );
    let texts: Vec<String> = replies.iter().map(ToString::to_string).collect();
    assert!(texts[1].starts_with("550 5.1.1"), "{texts:?}");
    assert!(texts[2].starts_with("550 5.7.1"), "{texts:?}");
    assert!(texts[3].starts_with("550 5.7.1"), "{texts:?}");
    assert!(texts[4].starts_with("554"), "{texts:?}");
    assert_eq!(raw.send(b"QUIT\r\n", 1), [221]);
}

#[test]
fn postmaster_is_always_accepted() {
    // RFC 5321 4.5.1: `<Postmaster>` without a domain, and postmaster@domain, in any case. The
    // test server's users are ann and bob, so ann (the first) receives them.
    let server = MailServer::start();
    let mut raw = Raw::connect(server.addr);
    assert_eq!(raw.send(b"EHLO c.example\r\n", 1), [250]);
    assert_eq!(
        raw.send(
            b"MAIL FROM:<a@remote.example>\r\nRCPT TO:<Postmaster>\r\nRCPT TO:<POSTMASTER@example.test>\r\nRCPT TO:<postmaster@elsewhere.example>\r\nDATA\r\n",
            5
        ),
        [250, 250, 250, 550, 354]
    );
    assert_eq!(
        raw.send(b"Subject: for the postmaster\r\n\r\nhi\r\n.\r\n", 1),
        [250]
    );
    assert_eq!(
        server.stored("ann"),
        [b"Subject: for the postmaster\r\n\r\nhi\r\n".to_vec()]
    );
    assert!(server.stored("bob").is_empty());
}

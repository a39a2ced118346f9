//! Server session: SMTP smuggling, STARTTLS injection, command order, limits, parameters,
//! LMTP, asynchronous decisions, split input.

mod support;

use mail_wire::LineEnding;
use smtp_proto::codec::reply::Reply;
use smtp_proto::session::server::{
    AbortReason, CloseReason, ServerConfig, ServerEvent, ServerSession,
};
use smtp_proto::types::Domain;
use support::{default_policy, run_split, ServerRun};

fn config() -> ServerConfig {
    ServerConfig::new(Domain::new("mx.example.org").unwrap())
}

fn run(config: ServerConfig, input: &[u8]) -> ServerRun {
    run_split(&|| ServerSession::new(config.clone()), input, &[]).0
}

const HEAD: &[u8] =
    b"EHLO c.example\r\nMAIL FROM:<a@c.example>\r\nRCPT TO:<b@mx.example.org>\r\nDATA\r\n";

#[test]
fn smuggling_variants_never_end_data() {
    let variants: [&[u8]; 7] = [
        b"\n.\n", b"\n.\r\n", b"\r.\r", b"\r\n.\n", b"\r.\r\n", b"\n.\r", b"\r\n.\r",
    ];
    for policy in [LineEnding::Reject, LineEnding::Normalize, LineEnding::Allow] {
        for v in variants {
            let mut input = HEAD.to_vec();
            input.extend_from_slice(b"Hi");
            input.extend_from_slice(v);
            input.extend_from_slice(b"MAIL FROM:<evil@c.example>\r\nRCPT TO:<victim@mx.example.org>\r\nDATA\r\nSmuggled\r\n.\r\nQUIT\r\n");
            let mut cfg = config();
            cfg.line_ending = policy;
            for cut in 0..=input.len() {
                let (run, server) = run_split(&|| ServerSession::new(cfg.clone()), &input, &[cut]);
                let mails = run
                    .events
                    .iter()
                    .filter(|e| matches!(e, ServerEvent::MailFrom { .. }))
                    .count();
                assert_eq!(
                    mails, 1,
                    "{policy:?} {v:?} cut {cut}: a second transaction was smuggled"
                );
                let ends = run
                    .events
                    .iter()
                    .filter(|e| {
                        matches!(e, ServerEvent::MessageEnd | ServerEvent::MessageAborted(_))
                    })
                    .count();
                assert_eq!(ends, 1, "{policy:?} {v:?} cut {cut}");
                let want: &[u16] = if policy == LineEnding::Reject {
                    &[220, 250, 250, 250, 354, 550, 221]
                } else {
                    &[220, 250, 250, 250, 354, 250, 221]
                };
                assert_eq!(run.codes(), want, "{policy:?} {v:?} cut {cut}");
                assert!(server.is_closed());
                if policy != LineEnding::Reject {
                    let body = String::from_utf8_lossy(&run.messages[0]).to_string();
                    assert!(body.contains("MAIL FROM:<evil@c.example>"), "{body:?}");
                }
            }
        }
    }
}

#[test]
fn starttls_discards_pipelined_plaintext() {
    let mut cfg = config();
    cfg.starttls = true;
    let mut server = ServerSession::new(cfg);
    let mut run = ServerRun::default();
    let mut p = |s: &mut ServerSession, e: &ServerEvent, _: &[u8]| default_policy(s, e);
    run.feed(
        &mut server,
        b"EHLO c.example\r\nSTARTTLS\r\nRSET\r\nMAIL FROM:<x@y.z>\r\n",
        &mut p,
    );
    assert_eq!(run.codes(), [220, 250, 220]);
    assert!(String::from_utf8_lossy(&run.output).contains("250-STARTTLS\r\n"));
    let discarded = run.events.iter().find_map(|e| match e {
        ServerEvent::StartTls { discarded } => Some(discarded.clone()),
        _ => None,
    });
    assert_eq!(
        discarded.as_deref(),
        Some(&b"RSET\r\nMAIL FROM:<x@y.z>\r\n"[..])
    );
    assert!(!run
        .events
        .iter()
        .any(|e| matches!(e, ServerEvent::MailFrom { .. })));
    // Plaintext arriving before the handshake is thrown away too.
    run.feed(&mut server, b"NOOP\r\n", &mut p);
    assert!(matches!(
        run.events.last(),
        Some(ServerEvent::InputDiscarded(6))
    ));
    assert_eq!(run.codes().len(), 3);
    server.tls_established().unwrap();
    assert!(server.is_tls());
    // The session starts over: EHLO again, and STARTTLS is no longer offered.
    run.feed(
        &mut server,
        b"MAIL FROM:<x@y.z>\r\nEHLO c.example\r\nSTARTTLS\r\n",
        &mut p,
    );
    assert_eq!(run.codes(), [220, 250, 220, 503, 250, 503]);
    let last_ehlo = String::from_utf8_lossy(&run.output)
        .rsplit("250-mx")
        .next()
        .unwrap()
        .to_string();
    assert!(!last_ehlo.contains("STARTTLS\r\n250"), "{last_ehlo}");
}

#[test]
fn command_order() {
    let r = run(config(), b"MAIL FROM:<a@b.c>\r\nEHLO c\r\nRCPT TO:<a@b.c>\r\nDATA\r\nMAIL FROM:<a@b.c>\r\nMAIL FROM:<a@b.c>\r\nDATA\r\nBDAT 3\r\nabcDATA\r\nRSET\r\nVRFY x\r\nEXPN y\r\nHELP\r\nNOOP\r\nFOO\r\nQUIT\r\n");
    assert_eq!(
        r.codes(),
        [220, 503, 250, 503, 503, 250, 503, 503, 503, 503, 250, 252, 502, 214, 250, 500, 221]
    );
    // DATA after every RCPT was refused: 554 (RFC 5321 3.3, RFC 2920).
    let r = run(config(), b"EHLO c\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<bad1@b.c>\r\nRCPT TO:<bad2@b.c>\r\nDATA\r\nQUIT\r\n");
    assert_eq!(r.codes(), [220, 250, 250, 550, 550, 554, 221]);
    // BDAT without recipients: the chunk is still read, then refused.
    let r = run(
        config(),
        b"EHLO c\r\nMAIL FROM:<a@b.c>\r\nBDAT 6 LAST\r\nQUIT\r\nNOOP\r\n",
    );
    assert_eq!(r.codes(), [220, 250, 250, 503, 250]);
}

#[test]
fn helo_gives_no_extensions() {
    let r = run(
        config(),
        b"HELO c\r\nMAIL FROM:<a@b.c> BODY=8BITMIME\r\nMAIL FROM:<a@b.c>\r\n",
    );
    assert_eq!(r.codes(), [220, 250, 555, 250]);
}

#[test]
fn parameters_are_checked() {
    let mut cfg = config();
    cfg.eight_bit_mime = false;
    cfg.dsn = false;
    let r = run(cfg, b"EHLO c\r\nMAIL FROM:<a@b.c> X-UNKNOWN=1\r\nMAIL FROM:<a@b.c> BODY=8BITMIME\r\nMAIL FROM:<a@b.c> RET=FULL\r\nMAIL FROM:<\xc3\xa4@b.c>\r\nMAIL FROM:<\xc3\xa4@b.c> SMTPUTF8\r\nRCPT TO:<x@y.z> NOTIFY=NEVER\r\nRCPT TO:<\xc3\xbc@y.z>\r\n");
    assert_eq!(r.codes(), [220, 250, 555, 555, 555, 553, 250, 555, 250]);
    let r = run(config(), b"EHLO c\r\nMAIL FROM:<a@b.c> BODY=8BITMIME RET=HDRS ENVID=x SIZE=10\r\nRCPT TO:<x@y.z> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;x@y.z\r\n");
    assert_eq!(r.codes(), [220, 250, 250, 250]);
    let Some(ServerEvent::RcptTo { params, .. }) = r
        .events
        .iter()
        .find(|e| matches!(e, ServerEvent::RcptTo { .. }))
    else {
        panic!()
    };
    assert!(params.notify.is_some_and(|n| n.success && n.failure));
}

#[test]
fn limits() {
    // Long line: 500, and the session goes on.
    let mut input = b"EHLO c\r\nNOOP ".to_vec();
    input.extend(std::iter::repeat_n(b'x', 5000));
    input.extend_from_slice(b"\r\nNOOP\r\n");
    assert_eq!(run(config(), &input).codes(), [220, 250, 500, 250]);
    // Recipients.
    let mut cfg = config();
    cfg.max_recipients = 2;
    let r = run(
        cfg,
        b"EHLO c\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<1@b.c>\r\nRCPT TO:<2@b.c>\r\nRCPT TO:<3@b.c>\r\n",
    );
    assert_eq!(r.codes(), [220, 250, 250, 250, 250, 452]);
    assert!(String::from_utf8_lossy(&r.output).contains("LIMITS RCPTMAX=2"));
    // Errors.
    let mut cfg = config();
    cfg.max_errors = 3;
    let r = run(cfg, b"X\r\nY\r\nZ\r\nNOOP\r\n");
    assert_eq!(r.codes(), [220, 500, 500, 500, 421]);
    assert!(matches!(
        r.events.last(),
        Some(ServerEvent::Closed(CloseReason::Error(_)))
    ));
    // Message size, DATA and BDAT: refused after the end, nothing past the limit passed on.
    let mut cfg = config();
    cfg.max_message_size = 10;
    let mut input = HEAD.to_vec();
    input.extend_from_slice(b"0123456789abc\r\n.\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nBDAT 8\r\n01234567BDAT 8 LAST\r\n01234567NOOP\r\n");
    let r = run(cfg, &input);
    assert_eq!(
        r.codes(),
        [220, 250, 250, 250, 354, 552, 250, 250, 250, 552, 250]
    );
    let aborted = r
        .events
        .iter()
        .filter(|e| matches!(e, ServerEvent::MessageAborted(AbortReason::TooLarge)))
        .count();
    assert_eq!(aborted, 2);
    let passed: usize = r
        .events
        .iter()
        .map(|e| match e {
            ServerEvent::MessageData(d) => d.len(),
            _ => 0,
        })
        .sum();
    assert!(passed <= 20, "{passed}");
}

#[test]
fn pipelined_input_waits_for_decisions() {
    let mut server = ServerSession::new(config());
    let mut out = Vec::new();
    server.handle_input(b"EHLO c\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<x@y.z>\r\nRCPT TO:<w@y.z>\r\nDATA\r\nbody\r\n.\r\nQUIT\r\n");
    let mut events = Vec::new();
    while let Some(e) = server.poll_event() {
        events.push(e);
    }
    server.poll_transmit(&mut out);
    // Stops at MAIL: nothing after it is read until the application decides.
    assert!(matches!(events.last(), Some(ServerEvent::MailFrom { .. })));
    assert_eq!(support::replies(&out).len(), 2);
    assert!(
        server.reject(Reply::new(250, None, "x").unwrap()).is_err(),
        "a refusal needs 4xx/5xx"
    );
    server.accept().unwrap();
    assert!(matches!(
        server.poll_event(),
        Some(ServerEvent::RcptTo { .. })
    ));
    server
        .reject(Reply::new(450, None, "try later").unwrap())
        .unwrap();
    assert!(matches!(
        server.poll_event(),
        Some(ServerEvent::RcptTo { .. })
    ));
    server.accept().unwrap();
    let mut rest = Vec::new();
    while let Some(e) = server.poll_event() {
        if matches!(e, ServerEvent::MessageEnd) {
            server.accept().unwrap();
        }
        rest.push(e);
    }
    server.poll_transmit(&mut out);
    let codes: Vec<u16> = support::replies(&out)
        .iter()
        .map(|r| r.code().get())
        .collect();
    assert_eq!(codes, [220, 250, 250, 450, 250, 354, 250, 221]);
}

#[test]
fn lmtp_replies_per_recipient() {
    let mut cfg = config();
    cfg.lmtp = true;
    let mut server = ServerSession::new(cfg);
    let mut run = ServerRun::default();
    let mut p = |s: &mut ServerSession, e: &ServerEvent, _: &[u8]| match e {
        ServerEvent::MessageEnd => s
            .lmtp_replies(vec![
                Reply::new(250, None, "delivered").unwrap(),
                Reply::new(452, None, "mailbox full").unwrap(),
            ])
            .unwrap(),
        _ => default_policy(s, e),
    };
    run.feed(&mut server, b"EHLO c\r\nLHLO c\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<x@y.z>\r\nRCPT TO:<bad@y.z>\r\nRCPT TO:<w@y.z>\r\nDATA\r\nhi\r\n.\r\nQUIT\r\n", &mut p);
    assert_eq!(
        run.codes(),
        [220, 500, 250, 250, 250, 550, 250, 354, 250, 452, 221]
    );
    assert!(String::from_utf8_lossy(&run.output).starts_with("220 mx.example.org LMTP"));
}

#[test]
fn lmtp_bdat_replies_per_recipient() {
    let mut cfg = config();
    cfg.lmtp = true;
    cfg.max_message_size = 5;
    let r = run(
        cfg,
        b"LHLO c\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<x@y.z>\r\nRCPT TO:<w@y.z>\r\nBDAT 3 LAST\r\nabc\
MAIL FROM:<a@b.c>\r\nRCPT TO:<x@y.z>\r\nRCPT TO:<w@y.z>\r\nBDAT 9 LAST\r\n123456789QUIT\r\n",
    );
    assert_eq!(
        r.codes(),
        [220, 250, 250, 250, 250, 250, 250, 250, 250, 250, 552, 552, 221]
    );
}

#[test]
fn auth_needs_tls_unless_allowed() {
    use mail_wire::sasl::Mechanism;
    let mut cfg = config();
    cfg.auth_mechanisms = vec![Mechanism::Plain];
    cfg.starttls = true;
    let r = run(cfg.clone(), b"EHLO c\r\nAUTH PLAIN AHUAcA==\r\n");
    assert_eq!(r.codes(), [220, 250, 538]);
    assert!(!String::from_utf8_lossy(&r.output).contains("AUTH PLAIN\r\n"));
    cfg.auth_requires_tls = false;
    let r = run(cfg, b"EHLO c\r\nAUTH CRAM-MD5\r\nAUTH PLAIN\r\n*\r\n");
    assert_eq!(r.codes(), [220, 250, 504, 334, 501]);
}

#[test]
fn eof_and_reset_abort_messages() {
    let mut server = ServerSession::new(config());
    let mut run = ServerRun::default();
    let mut p = |s: &mut ServerSession, e: &ServerEvent, _: &[u8]| default_policy(s, e);
    run.feed(&mut server, HEAD, &mut p);
    run.feed(&mut server, b"partial", &mut p);
    server.handle_eof();
    run.drive(&mut server, &mut p);
    assert!(run
        .events
        .iter()
        .any(|e| matches!(e, ServerEvent::MessageAborted(AbortReason::Closed))));
    assert!(matches!(
        run.events.last(),
        Some(ServerEvent::Closed(CloseReason::Eof))
    ));

    let r = run_split(
        &|| ServerSession::new(config()),
        b"EHLO c\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nBDAT 2\r\nabRSET\r\n",
        &[],
    )
    .0;
    assert_eq!(r.codes(), [220, 250, 250, 250, 250, 250]);
    assert!(r
        .events
        .iter()
        .any(|e| matches!(e, ServerEvent::MessageAborted(AbortReason::Reset))));
}

#[test]
fn whole_session_split_at_every_byte() {
    let input: &[u8] = b"EHLO c.example\r\nMAIL FROM:<a@c.example> SIZE=20\r\nRCPT TO:<b@mx.example.org>\r\nRCPT TO:<bad@mx.example.org>\r\nDATA\r\n..leading dot\r\nline\r\n.\r\nMAIL FROM:<>\r\nRCPT TO:<b@mx.example.org>\r\nBDAT 5\r\nab\r\ncBDAT 0 LAST\r\nQUIT\r\n";
    let (reference, _) = run_split(&|| ServerSession::new(config()), input, &[]);
    assert_eq!(
        reference.messages,
        [b".leading dot\r\nline\r\n".to_vec(), b"ab\r\nc".to_vec()]
    );
    for a in 0..=input.len() {
        for b in (a..=input.len()).step_by(7) {
            let (r, _) = run_split(&|| ServerSession::new(config()), input, &[a, b]);
            assert_eq!(r.output, reference.output, "cuts {a} {b}");
            assert_eq!(r.messages, reference.messages, "cuts {a} {b}");
        }
    }
}

/// Drives a session whose body goes to a sink (`handle_input_with`) in reads of `chunk` bytes;
/// returns the body (sink pieces and any `MessageData` events, in order), the reply codes and
/// how the message ended.
fn run_with_sink(cfg: &ServerConfig, input: &[u8], chunk: usize) -> (Vec<u8>, Vec<u8>, bool) {
    let mut s = ServerSession::new(cfg.clone());
    let mut body = Vec::new();
    let mut out = Vec::new();
    let mut ended = false;
    for read in input.chunks(chunk) {
        s.handle_input_with(read, |piece| body.extend_from_slice(piece));
        while let Some(e) = s.poll_event() {
            match e {
                ServerEvent::MailFrom { .. } | ServerEvent::RcptTo { .. } => s.accept().unwrap(),
                ServerEvent::MessageData(d) => body.extend_from_slice(&d),
                ServerEvent::MessageEnd => {
                    ended = true;
                    s.accept().unwrap();
                }
                _ => {}
            }
        }
        s.poll_transmit(&mut out);
    }
    (body, out, ended)
}

#[test]
fn body_to_a_sink_matches_the_events() {
    let mut input = HEAD.to_vec();
    let mut want = Vec::new();
    for n in 0..3000 {
        let line = format!(
            "{}line {n} of the body\r\n",
            if n % 13 == 0 { "." } else { "" }
        );
        want.extend_from_slice(line.as_bytes());
        if n % 13 == 0 {
            input.push(b'.');
        }
        input.extend_from_slice(line.as_bytes());
    }
    input.extend_from_slice(b".\r\nQUIT\r\n");
    for chunk in [1, 7, 100, 4096, 65536, input.len()] {
        let (body, out, ended) = run_with_sink(&config(), &input, chunk);
        assert!(ended, "chunk {chunk}");
        assert_eq!(body, want, "chunk {chunk}");
        assert!(out.ends_with(b"250 2.0.0 OK: message accepted\r\n221 2.0.0 Bye\r\n"));
    }
    // Over the size limit: the message is refused whatever the reads, and the sink never gets
    // more than the limit.
    let mut cfg = config();
    cfg.max_message_size = 1000;
    for chunk in [1, 100, 65536] {
        let (body, out, ended) = run_with_sink(&cfg, &input, chunk);
        assert!(!ended);
        assert!(body.len() <= 1000, "chunk {chunk}: {}", body.len());
        assert!(
            out.ends_with(b"552 5.3.4 Message too big\r\n221 2.0.0 Bye\r\n"),
            "{}",
            String::from_utf8_lossy(&out)
        );
    }
}

/// An RCPT in the common shape is read in one pass by the session, the same as through its
/// line framer; but not the tail of an over-long line the framer is skipping: that is never a
/// command, however the input is split.
#[test]
fn plain_rcpt_read_in_one_pass_but_not_after_a_long_line() {
    let mut cfg = config();
    cfg.max_line = 100;
    let base = b"EHLO c.example\r\nMAIL FROM:<a@c.example>\r\nRCPT TO:<b@mx.example.org> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b@mx.example.org\r\n".to_vec();
    let mut input = base.clone();
    // A line over the limit whose tail looks like an RCPT; then a real one.
    input.extend_from_slice(b"NOOP ");
    input.extend_from_slice(&[b'x'; 120]);
    input
        .extend_from_slice(b"RCPT TO:<c@mx.example.org>\r\nRCPT TO:<d@mx.example.org>\r\nQUIT\r\n");
    for cut in 0..=input.len() {
        let (run, _) = run_split(&|| ServerSession::new(cfg.clone()), &input, &[cut]);
        let rcpts: Vec<String> = run
            .events
            .iter()
            .filter_map(|e| match e {
                ServerEvent::RcptTo { to, .. } => Some(to.to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(
            rcpts,
            ["<b@mx.example.org>", "<d@mx.example.org>"],
            "cut {cut}"
        );
        assert_eq!(
            run.codes(),
            [220, 250, 250, 250, 500, 250, 221],
            "cut {cut}"
        );
    }
}

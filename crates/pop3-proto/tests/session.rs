//! The client and server sessions driven against each other in memory.

mod common;

use common::{crlf, server_config, Pair, Store};
use mail_wire::sasl::{ClientMechanism, ScramHash};
use mail_wire::Secret;
use pop3_proto::session::client::{ClientEvent, Outcome};
use pop3_proto::session::server::{AuthAnswer, AuthRequest, Server, ServerConfig, ServerEvent};
use pop3_proto::{MaildropStat, ResponseCode, ScanListing};

const M1: &[u8] = b"Subject: one\r\nFrom: a@b\r\n\r\n.leading dot\r\n..two dots\r\n\xe9t\xe9 8-bit\r\n.\r\nend\r\n";
const M2: &[u8] = b"Subject: two\r\n\r\nline 1\r\nline 2\r\nline 3\r\n";

fn store() -> Store {
    Store::new(&[("uid-1", M1), ("uid-2", M2)])
}

fn login(pair: &mut Pair) {
    pair.client.user("mrose").unwrap();
    pair.client.pass("tanstaaf").unwrap();
}

fn ok(outcome: Outcome) -> bool {
    matches!(outcome, Outcome::Ok(_))
}

fn err_code(outcome: Outcome) -> Option<ResponseCode<'static>> {
    match outcome {
        Outcome::Err(r) => r.code,
        other => panic!("expected -ERR, got {other:?}"),
    }
}

#[test]
fn full_session_retrieves_bytes_exactly_and_deletes_only_at_quit() {
    let mut pair = Pair::new(store(), server_config());
    let capa = pair.client.capa().unwrap();
    login(&mut pair);
    let stat = pair.client.stat().unwrap();
    let list = pair.client.list(None).unwrap();
    let uidl = pair.client.uidl(None).unwrap();
    let top = pair.client.top(2, 1).unwrap();
    let top0 = pair.client.top(1, 0).unwrap();
    let retr = pair.client.retr(1).unwrap();
    let dele = pair.client.dele(1).unwrap();
    let dele_again = pair.client.dele(1).unwrap();
    let list_deleted = pair.client.list(Some(1)).unwrap();
    let stat2 = pair.client.stat().unwrap();
    pair.run();
    assert!(
        matches!(pair.outcome(capa), Outcome::Capabilities(ref c) if c.contains(&pop3_proto::Capability::Pipelining))
    );
    assert_eq!(
        pair.outcome(stat),
        Outcome::Stat(MaildropStat {
            count: 2,
            size: (M1.len() + M2.len()) as u64
        })
    );
    assert_eq!(
        pair.outcome(list),
        Outcome::Scan(vec![
            ScanListing {
                message: 1,
                size: M1.len() as u64
            },
            ScanListing {
                message: 2,
                size: M2.len() as u64
            }
        ])
    );
    let Outcome::UniqueIds(uids) = pair.outcome(uidl) else {
        panic!()
    };
    assert_eq!(uids[1].uid.as_str(), "uid-2");
    assert_eq!(pair.body(top), b"Subject: two\r\n\r\nline 1\r\n");
    assert_eq!(pair.body(top0), b"Subject: one\r\nFrom: a@b\r\n\r\n");
    assert_eq!(
        pair.body(retr),
        M1,
        "RETR gives the stored bytes back exactly"
    );
    assert!(ok(pair.outcome(dele)));
    assert!(matches!(pair.outcome(dele_again), Outcome::Err(_)));
    assert!(matches!(pair.outcome(list_deleted), Outcome::Err(_)));
    assert_eq!(
        pair.outcome(stat2),
        Outcome::Stat(MaildropStat {
            count: 1,
            size: M2.len() as u64
        })
    );
    // On the wire the dot lines were stuffed.
    assert!(pair.s2c.windows(16).any(|w| w == b"\r\n..leading dot\r"));
    // Nothing deleted yet.
    assert!(pair.store.removed.is_empty());
    assert!(!pair
        .store
        .log
        .iter()
        .any(|e| matches!(e, ServerEvent::Update { .. })));
    let quit = pair.client.quit().unwrap();
    pair.run();
    assert!(ok(pair.outcome(quit)));
    assert_eq!(pair.store.removed, vec![0]);
    assert!(pair.server.is_closed());
    assert!(pair.client.is_closed());
}

#[test]
fn pipelined_commands_go_out_together_and_replies_match() {
    let mut pair = Pair::new(store(), server_config());
    pair.client.capa().unwrap();
    pair.run();
    let before = pair.c2s.len();
    login(&mut pair);
    let handles: Vec<u64> = (1..=2).map(|n| pair.client.retr(n).unwrap()).collect();
    let stat = pair.client.stat().unwrap();
    // With PIPELINING offered, all five commands are on the wire before any reply.
    let mut sent = Vec::new();
    pair.client.poll_transmit(&mut sent);
    assert_eq!(
        sent,
        b"USER mrose\r\nPASS tanstaaf\r\nRETR 1\r\nRETR 2\r\nSTAT\r\n"
    );
    pair.c2s.extend_from_slice(&sent);
    pair.server.handle_input(&sent);
    pair.run();
    assert!(pair.c2s.len() > before);
    assert_eq!(pair.body(handles[0]), M1);
    assert_eq!(pair.body(handles[1]), M2);
    assert!(matches!(pair.outcome(stat), Outcome::Stat(_)));
}

#[test]
fn without_pipelining_the_client_waits_for_each_reply() {
    let mut pair = Pair::new(store(), server_config());
    pair.run();
    login(&mut pair);
    let mut sent = Vec::new();
    pair.client.poll_transmit(&mut sent);
    assert_eq!(sent, b"USER mrose\r\n");
    pair.c2s.extend_from_slice(&sent);
    pair.server.handle_input(&sent);
    pair.run();
    assert!(pair.c2s.ends_with(b"PASS tanstaaf\r\n"));
}

#[test]
fn apop_login_and_wrong_digest() {
    let mut pair = Pair::new(store(), server_config());
    pair.run();
    assert_eq!(pair.client.apop_timestamp(), Some(common::STAMP));
    let bad = pair.client.apop("mrose", "wrong").unwrap();
    let good = pair.client.apop("mrose", "tanstaaf").unwrap();
    pair.run();
    assert_eq!(err_code(pair.outcome(bad)), Some(ResponseCode::Auth));
    assert!(ok(pair.outcome(good)));
    assert!(pair
        .c2s
        .ends_with(b"APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n"));
}

#[test]
fn sasl_plain_login_cram_md5_and_scram() {
    let mechs: Vec<ClientMechanism> = vec![
        ClientMechanism::plain(None, "mrose", Secret::new("tanstaaf".into())),
        ClientMechanism::login("mrose", Secret::new("tanstaaf".into())),
        ClientMechanism::cram_md5("mrose", Secret::new("tanstaaf".into())),
        ClientMechanism::scram(
            ScramHash::Sha256,
            None,
            "mrose",
            Secret::new("tanstaaf".into()),
        )
        .unwrap(),
    ];
    for mech in mechs {
        let name = mech.mechanism();
        let mut pair = Pair::new(store(), server_config());
        pair.run();
        let auth = pair.client.auth(mech).unwrap();
        let stat = pair.client.stat().unwrap();
        pair.run();
        assert!(ok(pair.outcome(auth)), "{name}: {:#?}", pair.events);
        assert!(matches!(pair.outcome(stat), Outcome::Stat(_)), "{name}");
    }
    // A wrong password fails with [AUTH].
    let mut pair = Pair::new(store(), server_config());
    pair.run();
    let auth = pair
        .client
        .auth(ClientMechanism::cram_md5(
            "mrose",
            Secret::new("nope".into()),
        ))
        .unwrap();
    pair.run();
    assert_eq!(err_code(pair.outcome(auth)), Some(ResponseCode::Auth));
}

#[test]
fn locked_maildrop_gives_in_use_and_stays_in_authorization() {
    let mut s = store();
    s.locked_elsewhere = true;
    let mut pair = Pair::new(s, server_config());
    login(&mut pair);
    let stat = pair.client.stat().unwrap();
    pair.run();
    let pass = 2;
    assert_eq!(err_code(pair.outcome(pass)), Some(ResponseCode::InUse));
    assert!(matches!(pair.outcome(stat), Outcome::Err(_)));
    assert!(!pair.server.is_transaction());
}

#[test]
fn login_failures_close_the_session_after_the_limit() {
    let mut pair = Pair::new(store(), server_config());
    for _ in 0..3 {
        pair.client.user("mrose").unwrap();
        pair.client.pass("bad").unwrap();
    }
    pair.run();
    assert!(pair.server.is_closed());
    let failures = pair
        .store
        .log
        .iter()
        .filter(|e| matches!(e, ServerEvent::LoginFailed { .. }))
        .count();
    assert_eq!(failures, 3);
    assert!(pair
        .s2c
        .ends_with(b"-ERR [AUTH] authentication failed, closing\r\n"));
}

#[test]
fn dropped_connection_deletes_nothing() {
    let mut pair = Pair::new(store(), server_config());
    login(&mut pair);
    pair.client.dele(1).unwrap();
    pair.client.dele(2).unwrap();
    pair.run();
    pair.server.handle_eof();
    pair.store.answer(&mut pair.server);
    assert!(pair.server.is_closed());
    assert!(pair.store.removed.is_empty());
    assert!(!pair
        .store
        .log
        .iter()
        .any(|e| matches!(e, ServerEvent::Update { .. })));
    assert!(pair.store.log.contains(&ServerEvent::Closed));
}

/// Raw server: feed lines, get the reply bytes.
fn raw(server: &mut Server, store: &mut Store, input: &[u8]) -> String {
    server.handle_input(input);
    store.answer(server);
    let mut out = Vec::new();
    server.poll_transmit(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn message_numbers_are_validated_as_rfc_1939_says() {
    let mut s = store();
    let mut server = Server::new(server_config(), None);
    let _ = raw(&mut server, &mut s, b"");
    assert!(
        raw(&mut server, &mut s, b"STAT\r\n").starts_with("-ERR"),
        "not before login"
    );
    raw(&mut server, &mut s, b"USER mrose\r\nPASS tanstaaf\r\n");
    assert_eq!(
        raw(&mut server, &mut s, b"RETR 0\r\n"),
        "-ERR no such message\r\n"
    );
    assert_eq!(
        raw(&mut server, &mut s, b"RETR 3\r\n"),
        "-ERR no such message\r\n"
    );
    assert_eq!(
        raw(&mut server, &mut s, b"TOP 9 0\r\n"),
        "-ERR no such message\r\n"
    );
    assert_eq!(
        raw(&mut server, &mut s, b"DELE 2\r\n"),
        "+OK message 2 deleted\r\n"
    );
    assert_eq!(
        raw(&mut server, &mut s, b"DELE 2\r\n"),
        "-ERR message 2 already deleted\r\n"
    );
    assert_eq!(
        raw(&mut server, &mut s, b"RETR 2\r\n"),
        "-ERR message 2 already deleted\r\n"
    );
    assert_eq!(
        raw(&mut server, &mut s, b"UIDL 2\r\n"),
        "-ERR message 2 already deleted\r\n"
    );
    assert_eq!(
        raw(&mut server, &mut s, b"LIST\r\n"),
        format!(
            "+OK 1 messages ({} octets)\r\n1 {}\r\n.\r\n",
            M1.len(),
            M1.len()
        )
    );
    assert!(raw(&mut server, &mut s, b"RSET\r\n").starts_with("+OK maildrop has 2 messages"));
    assert_eq!(
        raw(&mut server, &mut s, b"TOP 2 0\r\n"),
        format!("+OK {} octets\r\nSubject: two\r\n\r\n.\r\n", M2.len())
    );
    assert_eq!(raw(&mut server, &mut s, b"UIDL 1\r\n"), "+OK 1 uid-1\r\n");
    assert_eq!(
        raw(&mut server, &mut s, b"RETR x\r\n"),
        "-ERR expected a message number\r\n"
    );
    assert!(raw(&mut server, &mut s, b"XYZZY\r\n").starts_with("-ERR"));
    assert!(
        raw(&mut server, &mut s, b"PASS again\r\n").starts_with("-ERR"),
        "no PASS in TRANSACTION"
    );
    assert_eq!(raw(&mut server, &mut s, b"NOOP\r\n"), "+OK\r\n");
    assert_eq!(raw(&mut server, &mut s, b"QUIT\r\n"), "+OK bye\r\n");
    assert!(s.removed.is_empty(), "RSET unmarked message 2");
}

#[test]
fn stls_discards_pipelined_bytes_and_resets_the_state() {
    let mut config = server_config();
    config.tls_available = true;
    let mut s = store();
    let mut server = Server::new(config, None);
    let _ = raw(&mut server, &mut s, b"");
    // Plaintext login is refused before TLS.
    assert!(raw(&mut server, &mut s, b"USER mrose\r\n").starts_with("-ERR [AUTH]"));
    let capa = raw(&mut server, &mut s, b"CAPA\r\n");
    assert!(capa.contains("\r\nSTLS\r\n") && !capa.contains("\r\nUSER\r\n"));
    let out = raw(&mut server, &mut s, b"STLS\r\nUSER evil\r\n");
    assert_eq!(out, "+OK Begin TLS negotiation\r\n");
    assert!(s.log.contains(&ServerEvent::StartTls));
    assert!(s
        .log
        .contains(&ServerEvent::PreTlsBytesDiscarded { count: 11 }));
    server.tls_established().unwrap();
    // The injected USER was not kept: PASS needs a USER first.
    assert!(raw(&mut server, &mut s, b"PASS tanstaaf\r\n").starts_with("-ERR USER first"));
    let capa = raw(&mut server, &mut s, b"CAPA\r\n");
    assert!(!capa.contains("\r\nSTLS\r\n") && capa.contains("\r\nUSER\r\n"));
    assert_eq!(
        raw(&mut server, &mut s, b"STLS\r\n"),
        "-ERR Command not permitted when TLS active\r\n"
    );
    assert!(raw(&mut server, &mut s, b"USER mrose\r\nPASS tanstaaf\r\n")
        .contains("+OK mrose's maildrop"));
}

#[test]
fn client_refuses_bytes_buffered_before_the_tls_switch() {
    let mut pair = Pair::new(store(), server_config());
    pair.run();
    pair.client.stls().unwrap();
    let mut out = Vec::new();
    pair.client.poll_transmit(&mut out);
    assert_eq!(out, b"STLS\r\n");
    pair.client
        .handle_input(b"+OK go ahead\r\n+OK injected\r\n");
    let events: Vec<ClientEvent> = std::iter::from_fn(|| pair.client.poll_event()).collect();
    assert!(
        events.iter().any(|e| matches!(e, ClientEvent::Error(e) if e.to_string().contains("14 bytes arrived before the TLS switch"))),
        "{events:#?}"
    );
    assert!(pair.client.is_closed());
}

#[test]
fn client_stls_then_capa_forgets_old_capabilities() {
    let mut config = server_config();
    config.tls_available = true;
    let mut pair = Pair::new(store(), config);
    pair.client.capa().unwrap();
    pair.run();
    assert!(pair.client.has(|c| *c == pop3_proto::Capability::Stls));
    pair.client.stls().unwrap();
    pair.run();
    assert!(pair.client.is_tls());
    assert!(pair.client.capabilities().is_none());
    pair.client.capa().unwrap();
    login(&mut pair);
    let stat = pair.client.stat().unwrap();
    pair.run();
    assert!(
        matches!(pair.outcome(stat), Outcome::Stat(_)),
        "{:#?}",
        pair.events
    );
}

#[test]
fn any_split_of_the_server_stream_gives_the_same_client_events() {
    let mut pair = Pair::new(store(), server_config());
    pair.client.capa().unwrap();
    login(&mut pair);
    pair.client.uidl(None).unwrap();
    pair.client.retr(1).unwrap();
    pair.client.top(2, 2).unwrap();
    pair.client.quit().unwrap();
    pair.run();
    let want = bodies_and_replies(&pair.events);
    let stream = pair.s2c.clone();
    for cut in 0..=stream.len() {
        let mut client = pop3_proto::session::client::Client::new(Default::default());
        let mut events = Vec::new();
        let mut sink = Vec::new();
        // Issue the same commands, feed the stream in two pieces.
        client.capa().unwrap();
        client.user("mrose").unwrap();
        client.pass("tanstaaf").unwrap();
        client.uidl(None).unwrap();
        client.retr(1).unwrap();
        client.top(2, 2).unwrap();
        client.quit().unwrap();
        for piece in [&stream[..cut], &stream[cut..]] {
            client.handle_input(piece);
            client.poll_transmit(&mut sink);
            events.extend(std::iter::from_fn(|| client.poll_event()));
        }
        assert_eq!(bodies_and_replies(&events), want, "cut at {cut}");
    }
}

/// Events with body pieces joined, so that different splits compare equal.
fn bodies_and_replies(events: &[ClientEvent]) -> Vec<ClientEvent> {
    let mut out: Vec<ClientEvent> = Vec::new();
    for e in events {
        if let (
            Some(ClientEvent::Body { handle: h1, data }),
            ClientEvent::Body { handle, data: more },
        ) = (out.last_mut(), e)
        {
            if h1 == handle {
                data.extend_from_slice(more);
                continue;
            }
        }
        out.push(e.clone());
    }
    out
}

#[test]
fn any_split_of_the_client_stream_gives_the_same_server_output() {
    let input = crlf(
        b"CAPA\nUSER mrose\nPASS tanstaaf\nSTAT\nLIST\nUIDL 1\nTOP 1 1\nRETR 2\nDELE 1\nQUIT\n",
    );
    let whole = {
        let mut s = store();
        let mut server = Server::new(ServerConfig::default(), None);
        raw(&mut server, &mut s, &input)
    };
    assert!(whole.ends_with("+OK bye\r\n"), "{whole}");
    for cut in 0..=input.len() {
        let mut s = store();
        let mut server = Server::new(ServerConfig::default(), None);
        let mut got = raw(&mut server, &mut s, &input[..cut]);
        got.push_str(&raw(&mut server, &mut s, &input[cut..]));
        assert_eq!(got, whole, "cut at {cut}");
        assert_eq!(s.removed, vec![0]);
    }
}

#[test]
fn lang_and_utf8() {
    let mut s = store();
    let mut server = Server::new(ServerConfig::default(), None);
    let _ = raw(&mut server, &mut s, b"");
    assert_eq!(
        raw(&mut server, &mut s, b"LANG\r\n"),
        "+OK Language listing follows\r\nen English\r\n.\r\n"
    );
    assert_eq!(
        raw(&mut server, &mut s, b"LANG MUL\r\n"),
        "-ERR invalid language\r\n"
    );
    assert_eq!(
        raw(&mut server, &mut s, b"LANG *\r\n"),
        "+OK en Language changed\r\n"
    );
    assert_eq!(
        raw(&mut server, &mut s, b"UTF8\r\n"),
        "+OK UTF8 enabled\r\n"
    );
}

#[test]
fn long_lines_get_an_error_and_the_session_goes_on() {
    let mut s = store();
    let mut server = Server::new(ServerConfig::default(), None);
    let _ = raw(&mut server, &mut s, b"");
    let mut long = vec![b'X'; 10_000];
    long.extend_from_slice(b"\r\nNOOP\r\nQUIT\r\n");
    let out = raw(&mut server, &mut s, &long);
    assert!(out.starts_with("-ERR line too long"), "{out}");
    assert!(
        out.ends_with("-ERR not allowed before login\r\n+OK bye\r\n"),
        "{out}"
    );
}

#[test]
fn pipelined_input_is_bounded_while_the_application_decides() {
    let mut config = ServerConfig::default();
    config.max_pipelined = 1024;
    let mut server = Server::new(config, None);
    let mut out = Vec::new();
    server.poll_transmit(&mut out);
    // The PASS waits for a decision; the NOOPs pile up behind it.
    server.handle_input(b"USER mrose\r\nPASS tanstaaf\r\n");
    assert!(matches!(
        server.poll_event(),
        Some(ServerEvent::Auth(AuthRequest::Verify(_)))
    ));
    // The limit is at least one line (8 KiB by default).
    for _ in 0..2000 {
        server.handle_input(b"NOOP\r\n");
    }
    assert!(server.is_closed());
    out.clear();
    server.poll_transmit(&mut out);
    assert!(String::from_utf8_lossy(&out).ends_with("-ERR [SYS/PERM] too much pipelined input\r\n"));
    let mut s = store();
    assert_eq!(
        raw(
            &mut Server::new(ServerConfig::default(), None),
            &mut s,
            b"LAST\r\n"
        )
        .lines()
        .last(),
        Some("-ERR unknown command")
    );
}

#[test]
fn login_delay_is_announced_and_enforced_by_the_application() {
    let mut config = ServerConfig::default();
    config.login_delay = Some(900);
    let mut server = Server::new(config, None);
    let mut out = Vec::new();
    server.handle_input(b"CAPA\r\nUSER mrose\r\nPASS tanstaaf\r\n");
    assert!(matches!(
        server.poll_event(),
        Some(ServerEvent::Auth(AuthRequest::Verify(_)))
    ));
    server.auth_answer(AuthAnswer::Verified(true)).unwrap();
    assert!(matches!(
        server.poll_event(),
        Some(ServerEvent::OpenMaildrop { .. })
    ));
    server.login_too_soon().unwrap();
    server.poll_transmit(&mut out);
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("\r\nLOGIN-DELAY 900\r\n"), "{out}");
    assert!(
        out.ends_with("-ERR [LOGIN-DELAY] logged in too recently\r\n"),
        "{out}"
    );
    assert!(!server.is_transaction());
    // The client side reads the code.
    let mut client = pop3_proto::session::client::Client::new(Default::default());
    client.handle_input(b"+OK\r\n");
    let h = client.pass("x").unwrap();
    client.handle_input(b"-ERR [LOGIN-DELAY] logged in too recently\r\n");
    let events: Vec<ClientEvent> = std::iter::from_fn(|| client.poll_event()).collect();
    assert!(events.iter().any(|e| matches!(e, ClientEvent::Reply { handle, outcome: Outcome::Err(r), .. } if *handle == h && r.code == Some(ResponseCode::LoginDelay))));
}

#[test]
fn user_pass_and_apop_ask_the_shared_sasl_questions() {
    use pop3_proto::codec::apop_digest;
    use pop3_proto::session::server::{Credentials, Secret};
    use pop3_proto::LocalError;

    // USER/PASS: a password Verify with no authzid; only Verified answers it.
    let mut server = Server::new(ServerConfig::default(), None);
    server.handle_input(b"USER mrose\r\nPASS tanstaaf\r\n");
    let Some(ServerEvent::Auth(request)) = server.poll_event() else {
        panic!("no Auth event")
    };
    assert!(!format!("{request:?}").contains("tanstaaf"));
    assert_eq!(request.user(), Some("mrose"));
    let AuthRequest::Verify(Credentials::Password {
        authzid: None,
        authcid,
        password,
    }) = request
    else {
        panic!("not a password check: {request:?}")
    };
    assert_eq!(
        (authcid.as_str(), password.expose().as_str()),
        ("mrose", "tanstaaf")
    );
    for wrong in [AuthAnswer::Secret(None), AuthAnswer::ScramKeys(None)] {
        assert!(matches!(
            server.auth_answer(wrong),
            Err(pop3_proto::Error::Local(LocalError::NoPending { .. }))
        ));
    }
    server.auth_answer(AuthAnswer::Verified(true)).unwrap();
    assert!(matches!(
        server.poll_event(),
        Some(ServerEvent::OpenMaildrop { user }) if user == "mrose"
    ));

    // APOP: a LookupSecret; the session compares the digest itself.
    let stamp = "<1896.697170952@dbc.mtview.ca.us>";
    for (secret, good) in [
        (Some("tanstaaf"), true),
        (Some("wrong"), false),
        (None, false),
    ] {
        let mut server = Server::new(ServerConfig::default(), Some(stamp.into()));
        let line = format!("APOP mrose {}\r\n", apop_digest(stamp, "tanstaaf"));
        server.handle_input(line.as_bytes());
        assert_eq!(
            server.poll_event(),
            Some(ServerEvent::Auth(AuthRequest::LookupSecret {
                authcid: "mrose".into()
            }))
        );
        assert!(matches!(
            server.auth_answer(AuthAnswer::Verified(true)),
            Err(pop3_proto::Error::Local(LocalError::NoPending { .. }))
        ));
        let secret = secret.map(|s| Secret::new(s.to_owned()));
        server.auth_answer(AuthAnswer::Secret(secret)).unwrap();
        let event = server.poll_event();
        if good {
            assert!(
                matches!(event, Some(ServerEvent::OpenMaildrop { .. })),
                "{event:?}"
            );
        } else {
            assert!(
                matches!(event, Some(ServerEvent::LoginFailed { .. })),
                "{event:?}"
            );
        }
    }

    // Nothing pending: an answer is an error.
    let mut server = Server::new(ServerConfig::default(), None);
    assert!(server.auth_answer(AuthAnswer::Verified(true)).is_err());
}

//! The examples of RFC 1939 (section 10), RFC 2449, RFC 5034, RFC 2595 and RFC 6856 as
//! `C:`/`S:` transcripts, checked three ways: every line parses and re-encodes to itself, the
//! server session answers the client lines with the server lines, and the client session
//! issues the client lines and understands the server lines.

mod common;

use common::{server_config, Store, STAMP};
use pop3_proto::codec::{
    parse_capability, parse_command_line, parse_response_line, Encode, ParseOptions,
};
use pop3_proto::session::client::{Client, ClientEvent, Outcome};
use pop3_proto::session::server::Server;
use pop3_proto::{Capability, Expire, ResponseCode, ResponseLine};

/// (is_client, line) pairs from a transcript with "C: " and "S: " prefixes.
fn transcript(text: &str) -> Vec<(bool, String)> {
    text.lines()
        .filter_map(|l| {
            let l = l.trim_start();
            if let Some(c) = l.strip_prefix("C: ") {
                Some((true, c.trim_start().to_string()))
            } else {
                l.strip_prefix("S: ")
                    .map(|s| (false, s.trim_start().to_string()))
            }
        })
        .collect()
}

fn wire(lines: &[(bool, String)], client: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for (c, l) in lines {
        if *c == client {
            out.extend_from_slice(l.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
    }
    out
}

fn every_line_round_trips(lines: &[(bool, String)]) {
    for (client, line) in lines {
        if *client {
            let cmd = parse_command_line(line.as_bytes(), &ParseOptions::default())
                .unwrap_or_else(|e| panic!("{line}: {e}"));
            if !line.starts_with("AUTH") {
                assert_eq!(cmd.to_bytes(), format!("{line}\r\n").as_bytes(), "{line}");
            }
        } else if line.starts_with("+OK") || line.starts_with("-ERR") {
            let parsed = parse_response_line(line.as_bytes()).unwrap();
            assert_eq!(
                parsed.to_bytes(),
                format!("{line}\r\n").as_bytes(),
                "{line}"
            );
        }
    }
}

fn message(size: usize, n: u8) -> Vec<u8> {
    let mut m = format!("Subject: message {n}\r\n\r\n").into_bytes();
    while m.len() + 2 < size {
        m.push(b'a' + n);
    }
    m.extend_from_slice(b"\r\n");
    m
}

const RFC1939_SECTION_10: &str = "
      S:    +OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>
      C:    APOP mrose c4c9334bac560ecc979e58001b3e22fb
      S:    +OK mrose's maildrop has 2 messages (320 octets)
      C:    STAT
      S:    +OK 2 320
      C:    LIST
      S:    +OK 2 messages (320 octets)
      S:    1 120
      S:    2 200
      S:    .
      C:    RETR 1
      S:    +OK 120 octets
      S:    <the POP3 server sends message 1>
      S:    .
      C:    DELE 1
      S:    +OK message 1 deleted
      C:    RETR 2
      S:    +OK 200 octets
      S:    <the POP3 server sends message 2>
      S:    .
      C:    DELE 2
      S:    +OK message 2 deleted
      C:    QUIT
      S:    +OK dewey POP3 server signing off (maildrop empty)
";

/// The transcript with the message placeholders replaced by the messages.
type Rfc1939 = (Vec<(bool, String)>, Vec<u8>, Vec<u8>, Vec<Vec<u8>>);

fn rfc1939() -> Rfc1939 {
    let messages = vec![message(120, 1), message(200, 2)];
    let lines = transcript(RFC1939_SECTION_10);
    let client = wire(&lines, true);
    let mut server = Vec::new();
    for (c, l) in &lines {
        if *c {
            continue;
        }
        if let Some(n) = l.strip_prefix("<the POP3 server sends message ") {
            let n: usize = n.trim_end_matches('>').parse().unwrap();
            server.extend_from_slice(&messages[n - 1]);
        } else {
            server.extend_from_slice(l.as_bytes());
            server.extend_from_slice(b"\r\n");
        }
    }
    (lines, client, server, messages)
}

#[test]
fn rfc1939_section_10_lines_round_trip() {
    let (lines, ..) = rfc1939();
    assert_eq!(lines.len(), 24);
    every_line_round_trips(&lines);
}

#[test]
fn rfc1939_section_10_server_answers_as_the_rfc() {
    let (_, client_bytes, server_bytes, messages) = rfc1939();
    let mut store = Store::new(&[("a", &messages[0]), ("b", &messages[1])]);
    let mut server = Server::new(server_config(), Some(STAMP.to_string()));
    server.handle_input(&client_bytes);
    store.answer(&mut server);
    let mut out = Vec::new();
    server.poll_transmit(&mut out);
    // Identical up to the text of the last line, which is free text.
    let last = b"+OK dewey POP3 server signing off (maildrop empty)\r\n";
    let head = &server_bytes[..server_bytes.len() - last.len()];
    assert_eq!(
        String::from_utf8_lossy(&out[..head.len()]),
        String::from_utf8_lossy(head)
    );
    assert!(out[head.len()..].starts_with(b"+OK"));
    assert_eq!(store.removed, vec![0, 1]);
}

#[test]
fn rfc1939_section_10_client_speaks_and_understands_the_rfc() {
    let (_, client_bytes, server_bytes, messages) = rfc1939();
    // Every split of the server's bytes after the greeting gives the same events.
    let greeting_len = server_bytes.iter().position(|&b| b == b'\n').unwrap() + 1;
    let (greeting, rest) = server_bytes.split_at(greeting_len);
    let mut reference: Option<Vec<ClientEvent>> = None;
    for cut in 0..=rest.len() {
        let mut client = Client::new(Default::default());
        let mut sent = Vec::new();
        client.handle_input(greeting);
        let mut events: Vec<ClientEvent> = std::iter::from_fn(|| client.poll_event()).collect();
        assert_eq!(client.apop_timestamp(), Some(STAMP));
        client.apop("mrose", "tanstaaf").unwrap();
        client.stat().unwrap();
        client.list(None).unwrap();
        client.retr(1).unwrap();
        client.dele(1).unwrap();
        client.retr(2).unwrap();
        client.dele(2).unwrap();
        client.quit().unwrap();
        // No PIPELINING announced: one command at a time.
        client.poll_transmit(&mut sent);
        assert_eq!(sent, b"APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n");
        for piece in [&rest[..cut], &rest[cut..]] {
            client.handle_input(piece);
            events.extend(std::iter::from_fn(|| client.poll_event()));
            client.poll_transmit(&mut sent);
        }
        assert_eq!(sent, client_bytes, "{}", String::from_utf8_lossy(&sent));
        let merged = merge(events);
        match &reference {
            None => reference = Some(merged),
            Some(r) => assert_eq!(&merged, r, "cut at {cut}"),
        }
    }
    let events = reference.unwrap();
    let bodies: Vec<&Vec<u8>> = events
        .iter()
        .filter_map(|e| match e {
            ClientEvent::Body { data, .. } => Some(data),
            _ => None,
        })
        .collect();
    assert_eq!(bodies, [&messages[0], &messages[1]]);
    assert!(events.contains(&ClientEvent::Closed));
}

fn merge(events: Vec<ClientEvent>) -> Vec<ClientEvent> {
    let mut out: Vec<ClientEvent> = Vec::new();
    for e in events {
        if let (
            Some(ClientEvent::Body { handle: h1, data }),
            ClientEvent::Body { handle, data: more },
        ) = (out.last_mut(), &e)
        {
            if h1 == handle {
                data.extend_from_slice(more);
                continue;
            }
        }
        out.push(e);
    }
    out
}

const RFC2449_CAPA: &str = "
             C: CAPA
             S: +OK Capability list follows
             S: TOP
             S: USER
             S: SASL CRAM-MD5 KERBEROS_V4
             S: RESP-CODES
             S: LOGIN-DELAY 900
             S: PIPELINING
             S: EXPIRE 60
             S: UIDL
             S: IMPLEMENTATION Shlemazle-Plotz-v302
             S: .
";

#[test]
fn rfc2449_capa_example() {
    let lines = transcript(RFC2449_CAPA);
    every_line_round_trips(&lines);
    for (_, l) in &lines[2..lines.len() - 1] {
        let cap = parse_capability(l.as_bytes()).unwrap();
        assert_eq!(cap.to_bytes(), format!("{l}\r\n").as_bytes());
    }
    let mut client = Client::new(Default::default());
    client.handle_input(b"+OK\r\n");
    client.capa().unwrap();
    client.handle_input(&wire(&lines, false));
    let caps: Vec<Capability<'static>> = client.capabilities().unwrap().to_vec();
    assert_eq!(
        caps,
        vec![
            Capability::Top,
            Capability::User,
            Capability::Sasl(vec![
                "CRAM-MD5".parse().unwrap(),
                "KERBEROS_V4".parse().unwrap()
            ]),
            Capability::RespCodes,
            Capability::LoginDelay {
                seconds: 900,
                per_user: false
            },
            Capability::Pipelining,
            Capability::Expire {
                policy: Expire::Days(60),
                per_user: false
            },
            Capability::Uidl,
            Capability::Implementation(pop3_proto::Text::new("Shlemazle-Plotz-v302").unwrap()),
        ]
    );
    // The EXPIRE examples of section 6.7.
    for (line, policy, per_user) in [
        ("EXPIRE 5 USER", Expire::Days(5), true),
        ("EXPIRE 30", Expire::Days(30), false),
        ("EXPIRE NEVER", Expire::Never, false),
        ("EXPIRE 0", Expire::Days(0), false),
    ] {
        assert_eq!(
            parse_capability(line.as_bytes()).unwrap(),
            Capability::Expire { policy, per_user }
        );
    }
}

#[test]
fn rfc2449_in_use_example() {
    let lines = transcript(
        "C: APOP mrose c4c9334bac560ecc979e58001b3e22fb
         S: -ERR [IN-USE] Do you have another POP session running?",
    );
    every_line_round_trips(&lines);
    let ResponseLine::Status(r) = parse_response_line(lines[1].1.as_bytes()).unwrap() else {
        panic!()
    };
    assert_eq!(r.code, Some(ResponseCode::InUse));
    assert_eq!(r.text.as_str(), "Do you have another POP session running?");
    // Our server gives the same code in the same situation.
    let mut store = Store::new(&[]);
    store.locked_elsewhere = true;
    let mut server = Server::new(server_config(), Some(STAMP.to_string()));
    server.handle_input(&wire(&lines, true));
    store.answer(&mut server);
    let mut out = Vec::new();
    server.poll_transmit(&mut out);
    assert!(String::from_utf8_lossy(&out)
        .ends_with("\r\n-ERR [IN-USE] maildrop locked by another session\r\n"));
}

/// RFC 5034 section 7: AUTH PLAIN with and without an initial response (user and password
/// "test"), an unknown mechanism and a cancelled exchange.
#[test]
fn rfc5034_examples() {
    let with_ir = transcript(
        "C: AUTH PLAIN dGVzdAB0ZXN0AHRlc3Q=
         S: +OK Maildrop locked and ready",
    );
    let without_ir = transcript(
        "C: AUTH PLAIN
         S: +
         C: dGVzdAB0ZXN0AHRlc3Q=
         S: +OK Maildrop locked and ready",
    );
    every_line_round_trips(&with_ir);
    let cmd = parse_command_line(with_ir[0].1.as_bytes(), &ParseOptions::default()).unwrap();
    assert_eq!(cmd.to_bytes(), b"AUTH PLAIN dGVzdAB0ZXN0AHRlc3Q=\r\n");
    for (t, want) in [
        (
            &with_ir,
            "+OK test's maildrop has 0 messages (0 octets)\r\n",
        ),
        (
            &without_ir,
            "+ \r\n+OK test's maildrop has 0 messages (0 octets)\r\n",
        ),
    ] {
        let mut store = Store::new(&[]);
        store.users.insert("test".into(), "test".into());
        let mut config = server_config();
        config.tls_active = true;
        let mut server = Server::new(config, None);
        let mut out = Vec::new();
        server.poll_transmit(&mut out);
        out.clear();
        server.handle_input(&wire(t, true));
        store.answer(&mut server);
        server.poll_transmit(&mut out);
        assert_eq!(String::from_utf8_lossy(&out), want);
    }
    // The client side of the exchange without an initial response ("+" with nothing after).
    let mut client = Client::new(Default::default());
    client.handle_input(b"+OK\r\n");
    client
        .auth(mail_wire::sasl::ClientMechanism::login(
            "test",
            mail_wire::Secret::new("test".into()),
        ))
        .unwrap();
    client.handle_input(b"+\r\n+ UGFzc3dvcmQ6\r\n+OK Maildrop locked and ready\r\n");
    let mut sent = Vec::new();
    client.poll_transmit(&mut sent);
    assert_eq!(sent, b"AUTH LOGIN\r\ndGVzdA==\r\ndGVzdA==\r\n");
    let events: Vec<ClientEvent> = std::iter::from_fn(|| client.poll_event()).collect();
    assert!(events.iter().any(|e| matches!(
        e,
        ClientEvent::Reply {
            outcome: Outcome::Ok(_),
            command: "AUTH",
            ..
        }
    )));
    // Unknown mechanism, and a cancelled exchange.
    let mut store = Store::new(&[]);
    let mut server = Server::new(server_config(), None);
    server.handle_input(b"AUTH X-UNKNOWN\r\nAUTH LOGIN\r\n*\r\n");
    store.answer(&mut server);
    let mut out = Vec::new();
    server.poll_transmit(&mut out);
    assert!(String::from_utf8_lossy(&out).ends_with(
        "-ERR unsupported authentication mechanism\r\n+ VXNlcm5hbWU6\r\n-ERR authentication cancelled\r\n"
    ), "{}", String::from_utf8_lossy(&out));
}

#[test]
fn rfc2595_stls_example() {
    let lines = transcript(
        "C: STLS
         S: +OK Begin TLS negotiation
         C: STLS
         S: -ERR Command not permitted when TLS active",
    );
    every_line_round_trips(&lines);
    let mut config = server_config();
    config.tls_available = true;
    let mut server = Server::new(config, None);
    let mut out = Vec::new();
    server.poll_transmit(&mut out);
    out.clear();
    server.handle_input(b"STLS\r\n");
    server.poll_transmit(&mut out);
    server.tls_established().unwrap();
    server.handle_input(b"STLS\r\n");
    server.poll_transmit(&mut out);
    assert_eq!(out, wire(&lines, false));
}

#[test]
fn rfc6856_lang_examples() {
    let lines = transcript(
        "C: LANG MUL
      S: -ERR invalid language MUL
      C: LANG
      S: +OK Language listing follows:
      S: en English
      S: en-boont English Boontling dialect
      S: de Deutsch
      S: it Italiano
      S: es Espanol
      S: sv Svenska
      S: .
      C: LANG es
      S: +OK es Idioma cambiado
      C: LANG uga
      S: -ERR es Idioma <<UGA>> no es conocido
      C: LANG sv
      S: +OK sv Kommandot \"LANG\" lyckades
      C: LANG *
      S: +OK es Idioma cambiado",
    );
    every_line_round_trips(&lines);
    let mut client = Client::new(Default::default());
    client.handle_input(b"+OK\r\n");
    for (c, l) in &lines {
        if *c {
            let cmd = parse_command_line(l.as_bytes(), &ParseOptions::default()).unwrap();
            client.enqueue(cmd).unwrap();
        }
    }
    client.handle_input(&wire(&lines, false));
    let mut sent = Vec::new();
    client.poll_transmit(&mut sent);
    assert_eq!(sent, wire(&lines, true));
    let outcomes: Vec<Outcome> = std::iter::from_fn(|| client.poll_event())
        .filter_map(|e| match e {
            ClientEvent::Reply { outcome, .. } => Some(outcome),
            _ => None,
        })
        .collect();
    assert_eq!(outcomes.len(), 6);
    let Outcome::Languages(langs) = &outcomes[1] else {
        panic!("{outcomes:?}")
    };
    assert_eq!(langs.len(), 6);
    assert_eq!(langs[1].tag.as_str(), "en-boont");
    assert_eq!(
        langs[1].description.as_ref().unwrap().as_str(),
        "English Boontling dialect"
    );
    assert!(matches!(&outcomes[0], Outcome::Err(_)));
    assert!(matches!(&outcomes[3], Outcome::Err(_)));
    assert!(matches!(&outcomes[5], Outcome::Ok(r) if r.text.as_str() == "es Idioma cambiado"));
}

//! Every server transcript of the MailKit corpus (tests/data/pop3-responses, MIT, see
//! LICENSE.MailKit there) parses when paired with the command its name says; the `error`
//! files give clear errors. The files have LF line ends; real servers send CRLF, so they are
//! converted first, as MailKit's own tests do.

mod common;

use std::path::Path;

use common::crlf;
use pop3_proto::session::client::{Client, ClientEvent, Outcome};
use pop3_proto::{Capability, Expire, ScanListing};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/pop3-responses");

fn read(name: &str) -> Vec<u8> {
    crlf(&std::fs::read(Path::new(DIR).join(name)).unwrap())
}

/// Greets a client, issues the commands, feeds the file(s), returns the events after the
/// greeting.
fn run(files: &[&str], commands: impl FnOnce(&mut Client)) -> Vec<ClientEvent> {
    let mut client = Client::new(Default::default());
    client.handle_input(b"+OK ready\r\n");
    commands(&mut client);
    let mut sink = Vec::new();
    client.poll_transmit(&mut sink);
    for f in files {
        client.handle_input(&read(f));
        client.poll_transmit(&mut sink);
    }
    let events: Vec<ClientEvent> = std::iter::from_fn(|| client.poll_event()).collect();
    events.into_iter().skip(1).collect()
}

fn outcomes(events: &[ClientEvent]) -> Vec<Outcome> {
    events
        .iter()
        .filter_map(|e| match e {
            ClientEvent::Reply { outcome, .. } => Some(outcome.clone()),
            _ => None,
        })
        .collect()
}

fn single(files: &[&str], commands: impl FnOnce(&mut Client)) -> Outcome {
    let events = run(files, commands);
    assert!(
        !events.iter().any(|e| matches!(e, ClientEvent::Error(_))),
        "{events:#?}"
    );
    outcomes(&events).pop().expect("a reply")
}

fn malformed(outcome: Outcome) -> String {
    match outcome {
        Outcome::Malformed(e) => e.to_string(),
        other => panic!("expected a clear error, got {other:?}"),
    }
}

/// The bodies of a multi-line transcript, by an independent line-based reading.
fn expected_bodies(wire: &[u8]) -> Vec<Vec<u8>> {
    let mut bodies = Vec::new();
    let mut current: Option<Vec<u8>> = None;
    for line in wire.split_inclusive(|&b| b == b'\n') {
        match current.as_mut() {
            None => current = Some(Vec::new()), // the +OK line
            Some(body) => {
                if line == b".\r\n" {
                    bodies.push(current.take().unwrap());
                } else if let Some(rest) = line.strip_prefix(b".") {
                    body.extend_from_slice(rest);
                } else {
                    body.extend_from_slice(line);
                }
            }
        }
    }
    bodies
}

fn bodies(events: &[ClientEvent]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    for e in events {
        match e {
            ClientEvent::Body { data, .. } => cur.extend_from_slice(data),
            ClientEvent::BodyEnd { error, .. } => {
                assert!(error.is_none(), "{error:?}");
                out.push(std::mem::take(&mut cur));
            }
            _ => {}
        }
    }
    out
}

const COVERED: &[&str] = &[
    "comcast/capa1.txt",
    "comcast/capa2.txt",
    "comcast/err.txt",
    "comcast/greeting.txt",
    "comcast/list-error1.txt",
    "comcast/list-error2.txt",
    "comcast/list-error3.txt",
    "comcast/list.txt",
    "comcast/list1-error1.txt",
    "comcast/list1-error2.txt",
    "comcast/list1-error3.txt",
    "comcast/list1.txt",
    "comcast/ok.txt",
    "comcast/quit.txt",
    "comcast/retr1.txt",
    "comcast/stat-error1.txt",
    "comcast/stat-error2.txt",
    "comcast/stat-error3.txt",
    "comcast/stat.txt",
    "gmail/auth.txt",
    "gmail/capa1.txt",
    "gmail/capa2.txt",
    "gmail/dele.txt",
    "gmail/dele123.txt",
    "gmail/greeting.txt",
    "gmail/list.txt",
    "gmail/list1.txt",
    "gmail/list2.txt",
    "gmail/list3.txt",
    "gmail/noop.txt",
    "gmail/plus.txt",
    "gmail/quit.txt",
    "gmail/retr1-parse-error.txt",
    "gmail/retr1.txt",
    "gmail/retr123.txt",
    "gmail/rset.txt",
    "gmail/stat.txt",
    "gmail/top.txt",
    "gmail/top123.txt",
    "gmail/uidl-error1.txt",
    "gmail/uidl-error2.txt",
    "gmail/uidl.txt",
    "gmail/uidl1-error1.txt",
    "gmail/uidl1-error2.txt",
    "gmail/uidl1.txt",
    "gmail/uidl2.txt",
    "gmail/uidl3.txt",
];

#[test]
fn every_corpus_file_is_covered() {
    let mut found = Vec::new();
    for server in ["comcast", "gmail"] {
        for entry in std::fs::read_dir(Path::new(DIR).join(server)).unwrap() {
            found.push(format!(
                "{server}/{}",
                entry.unwrap().file_name().to_string_lossy()
            ));
        }
    }
    found.sort();
    let mut covered: Vec<String> = COVERED.iter().map(|s| s.to_string()).collect();
    covered.sort();
    assert_eq!(found, covered);
}

#[test]
fn greetings() {
    for f in ["comcast/greeting.txt", "gmail/greeting.txt"] {
        let mut client = Client::new(Default::default());
        client.handle_input(&read(f));
        let Some(ClientEvent::Greeting {
            reply,
            apop_timestamp,
        }) = client.poll_event()
        else {
            panic!("{f}")
        };
        assert!(reply.ok, "{f}");
        assert_eq!(apop_timestamp, None, "{f}: no <..@..> in these greetings");
    }
}

#[test]
fn capabilities() {
    let Outcome::Capabilities(c) = single(&["comcast/capa1.txt"], |c| drop(c.capa())) else {
        panic!()
    };
    assert_eq!(
        c,
        vec![
            Capability::Top,
            Capability::User,
            Capability::Uidl,
            Capability::Stls,
            Capability::Expire {
                policy: Expire::Days(31),
                per_user: true
            }
        ]
    );
    let Outcome::Capabilities(c) = single(&["comcast/capa2.txt"], |c| drop(c.capa())) else {
        panic!()
    };
    assert_eq!(
        c[4],
        Capability::Sasl(vec!["PLAIN".parse().unwrap(), "X-ZIMBRA".parse().unwrap()])
    );
    assert_eq!(
        c[5],
        Capability::Expire {
            policy: Expire::Never,
            per_user: false
        }
    );
    assert!(
        matches!(&c[6], Capability::Other { tag, params } if tag.as_str() == "XOIP" && params.is_empty())
    );
    assert!(matches!(&c[7], Capability::Implementation(t) if t.as_str() == "ZimbraInc"));
    let Outcome::Capabilities(c) = single(&["gmail/capa1.txt"], |c| drop(c.capa())) else {
        panic!()
    };
    assert!(c.contains(&Capability::RespCodes));
    assert!(c.contains(&Capability::LoginDelay {
        seconds: 300,
        per_user: false
    }));
    assert!(c.contains(&Capability::Sasl(vec![
        "PLAIN".parse().unwrap(),
        "XOAUTH2".parse().unwrap()
    ])));
    let Outcome::Capabilities(c) = single(&["gmail/capa2.txt"], |c| drop(c.capa())) else {
        panic!()
    };
    assert!(c.contains(&Capability::Pipelining));
    assert!(c.contains(&Capability::Expire {
        policy: Expire::Days(0),
        per_user: false
    }));
}

#[test]
fn simple_replies() {
    assert!(
        matches!(single(&["comcast/err.txt"], |c| drop(c.noop())), Outcome::Err(r) if r.text.as_str().is_empty())
    );
    for (f, cmd) in [
        ("comcast/ok.txt", "NOOP"),
        ("comcast/quit.txt", "QUIT"),
        ("gmail/quit.txt", "QUIT"),
        ("gmail/noop.txt", "NOOP"),
        ("gmail/rset.txt", "RSET"),
        ("gmail/dele.txt", "DELE"),
    ] {
        let outcome = single(&[f], |c| {
            match cmd {
                "QUIT" => c.quit(),
                "RSET" => c.rset(),
                "DELE" => c.dele(1),
                _ => c.noop(),
            }
            .unwrap();
        });
        assert!(matches!(outcome, Outcome::Ok(_)), "{f}");
    }
    // Three pipelined DELEs, three replies.
    let events = run(&["gmail/dele123.txt"], |c| {
        for n in 1..=3 {
            c.dele(n).unwrap();
        }
    });
    assert_eq!(
        outcomes(&events)
            .iter()
            .filter(|o| matches!(o, Outcome::Ok(_)))
            .count(),
        3
    );
}

#[test]
fn stat() {
    assert!(
        matches!(single(&["comcast/stat.txt"], |c| drop(c.stat())), Outcome::Stat(s) if s.count == 7 && s.size == 1800662)
    );
    assert!(
        matches!(single(&["gmail/stat.txt"], |c| drop(c.stat())), Outcome::Stat(s) if s.count == 3 && s.size == 221409)
    );
    for f in [
        "comcast/stat-error1.txt",
        "comcast/stat-error2.txt",
        "comcast/stat-error3.txt",
    ] {
        let e = malformed(single(&[f], |c| drop(c.stat())));
        assert!(
            e.contains("expected a message count and a size after +OK"),
            "{f}: {e}"
        );
    }
}

#[test]
fn list() {
    let Outcome::Scan(s) = single(&["comcast/list.txt"], |c| drop(c.list(None))) else {
        panic!()
    };
    assert_eq!(s.len(), 7);
    assert_eq!(
        s[6],
        ScanListing {
            message: 7,
            size: 7168
        }
    );
    let Outcome::Scan(s) = single(&["gmail/list.txt"], |c| drop(c.list(None))) else {
        panic!()
    };
    assert_eq!(
        s[2],
        ScanListing {
            message: 3,
            size: 1026
        }
    );
    for (f, n, size) in [
        ("comcast/list1.txt", 1, 1024),
        ("gmail/list1.txt", 1, 1024),
        ("gmail/list2.txt", 2, 1025),
        ("gmail/list3.txt", 3, 1026),
    ] {
        let outcome = single(&[f], |c| drop(c.list(Some(n))));
        assert_eq!(
            outcome,
            Outcome::Scan(vec![ScanListing { message: n, size }]),
            "{f}"
        );
    }
    let e = malformed(single(&["comcast/list-error1.txt"], |c| drop(c.list(None))));
    assert!(
        e.contains("bad listing line 7 of the reply to LIST: expected a message number and a size"),
        "{e}"
    );
    let e = malformed(single(&["comcast/list-error3.txt"], |c| drop(c.list(None))));
    assert!(e.contains("line 7") && e.contains("ten-twenty-four"), "{e}");
    // Message 8 after STAT said 7.
    let e = malformed(single(
        &["comcast/stat.txt", "comcast/list-error2.txt"],
        |c| {
            c.stat().unwrap();
            c.list(None).unwrap();
        },
    ));
    assert_eq!(
        e,
        "peer error: reply to LIST names message 8, but the maildrop has 7 messages"
    );
    let e = malformed(single(&["comcast/list1-error1.txt"], |c| {
        drop(c.list(Some(1)))
    }));
    assert!(
        e.contains("expected a message number and a size after +OK"),
        "{e}"
    );
    let e = malformed(single(&["comcast/list1-error2.txt"], |c| {
        drop(c.list(Some(1)))
    }));
    assert_eq!(e, "peer error: reply to LIST 1 names message 99");
    let e = malformed(single(&["comcast/list1-error3.txt"], |c| {
        drop(c.list(Some(1)))
    }));
    assert!(e.contains("ten-twenty-four"), "{e}");
}

#[test]
fn uidl() {
    let Outcome::UniqueIds(u) = single(&["gmail/uidl.txt"], |c| drop(c.uidl(None))) else {
        panic!()
    };
    assert_eq!(
        u.iter().map(|u| u.uid.as_str()).collect::<Vec<_>>(),
        ["101", "102", "103"]
    );
    for (f, n) in [
        ("gmail/uidl1.txt", 1),
        ("gmail/uidl2.txt", 2),
        ("gmail/uidl3.txt", 3),
    ] {
        let Outcome::UniqueIds(u) = single(&[f], |c| drop(c.uidl(Some(n)))) else {
            panic!("{f}")
        };
        assert_eq!(u[0].uid.as_str(), format!("10{n}"));
    }
    let e = malformed(single(&["gmail/uidl-error1.txt"], |c| drop(c.uidl(None))));
    assert!(e.contains("bad listing line 3 of the reply to UIDL"), "{e}");
    let e = malformed(single(&["gmail/stat.txt", "gmail/uidl-error2.txt"], |c| {
        c.stat().unwrap();
        c.uidl(None).unwrap();
    }));
    assert_eq!(
        e,
        "peer error: reply to UIDL names message 4, but the maildrop has 3 messages"
    );
    let e = malformed(single(&["gmail/uidl1-error1.txt"], |c| {
        drop(c.uidl(Some(1)))
    }));
    assert!(e.contains("a message number and a unique-id"), "{e}");
    let e = malformed(single(&["gmail/uidl1-error2.txt"], |c| {
        drop(c.uidl(Some(1)))
    }));
    assert_eq!(e, "peer error: reply to UIDL 1 names message 99");
}

#[test]
fn retr_and_top_bodies() {
    for (f, count, top) in [
        ("comcast/retr1.txt", 1, false),
        ("gmail/retr1.txt", 1, false),
        // The message inside is broken MIME (it starts in the middle of base64), but the POP3
        // framing is fine: the error is mail-message's to find, not POP3's.
        ("gmail/retr1-parse-error.txt", 1, false),
        ("gmail/retr123.txt", 3, false),
        ("gmail/top.txt", 1, true),
        ("gmail/top123.txt", 3, true),
    ] {
        let events = run(&[f], |c| {
            for n in 1..=count {
                if top {
                    c.top(n, 0).unwrap();
                } else {
                    c.retr(n).unwrap();
                }
            }
        });
        assert!(
            !events.iter().any(|e| matches!(e, ClientEvent::Error(_))),
            "{f}"
        );
        assert_eq!(bodies(&events), expected_bodies(&read(f)), "{f}");
        assert_eq!(bodies(&events).len(), count as usize, "{f}");
    }
}

#[test]
fn sasl_continuation_and_success() {
    use mail_wire::sasl::ClientMechanism;
    use mail_wire::Secret;
    // LOGIN: "+ " twice, then "+OK Welcome.".
    let mut client = Client::new(Default::default());
    client.handle_input(b"+OK ready\r\n");
    client
        .auth(ClientMechanism::login("user", Secret::new("pw".into())))
        .unwrap();
    let mut sent = Vec::new();
    client.poll_transmit(&mut sent);
    client.handle_input(&read("gmail/plus.txt"));
    client.handle_input(&read("gmail/plus.txt"));
    client.handle_input(&read("gmail/auth.txt"));
    client.poll_transmit(&mut sent);
    assert_eq!(sent, b"AUTH LOGIN\r\ndXNlcg==\r\ncHc=\r\n");
    let events: Vec<ClientEvent> = std::iter::from_fn(|| client.poll_event()).collect();
    assert!(
        matches!(outcomes(&events).pop(), Some(Outcome::Ok(r)) if r.text.as_str() == "Welcome.")
    );
}

#[test]
fn any_split_of_a_corpus_stream_gives_the_same_events() {
    let wire = [
        read("gmail/capa2.txt"),
        read("gmail/uidl.txt"),
        read("gmail/top.txt"),
    ]
    .concat();
    let commands = |c: &mut Client| {
        c.capa().unwrap();
        c.uidl(None).unwrap();
        c.top(1, 0).unwrap();
    };
    let whole = {
        let mut c = Client::new(Default::default());
        c.handle_input(b"+OK\r\n");
        commands(&mut c);
        c.handle_input(&wire);
        let events: Vec<ClientEvent> = std::iter::from_fn(|| c.poll_event()).collect();
        (outcomes(&events), bodies(&events))
    };
    for cut in 0..=wire.len() {
        let mut c = Client::new(Default::default());
        c.handle_input(b"+OK\r\n");
        commands(&mut c);
        c.handle_input(&wire[..cut]);
        let mut events: Vec<ClientEvent> = std::iter::from_fn(|| c.poll_event()).collect();
        c.handle_input(&wire[cut..]);
        events.extend(std::iter::from_fn(|| c.poll_event()));
        assert_eq!((outcomes(&events), bodies(&events)), whole, "cut at {cut}");
    }
}

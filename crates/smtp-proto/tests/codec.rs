//! Codec tests: tables, split at every byte, real server replies (MailKit corpus), and
//! proptest round trips of every command and reply.

use mail_wire::sasl::Mechanism;
use mail_wire::Status;
use proptest::prelude::*;
use smtp_proto::codec::command::*;
use smtp_proto::codec::ehlo::{Capability, EhloReply, OtherCapability};
use smtp_proto::codec::reply::{parse_reply, Reply};
use smtp_proto::codec::ParseErrorKind;
use smtp_proto::types::*;

fn cmd(s: &str) -> Command<'_> {
    match parse_command(s.as_bytes()) {
        Ok(Status::Complete(c, n)) => {
            assert_eq!(n, s.len(), "{s}");
            c
        }
        other => panic!("{s:?}: {other:?}"),
    }
}

fn bad(s: &str) -> ParseErrorKind {
    match parse_command(s.as_bytes()) {
        Err(e) => e.kind,
        other => panic!("{s:?} parsed: {other:?}"),
    }
}

#[test]
fn commands_table() {
    assert_eq!(
        cmd("ehlo [192.0.2.1]\r\n"),
        Command::Ehlo(Domain::new("[192.0.2.1]").unwrap())
    );
    assert_eq!(
        cmd("LHLO lmtp.example\r\n"),
        Command::Lhlo(Domain::new("lmtp.example").unwrap())
    );
    assert_eq!(
        cmd("BDAT 86 LAST\r\n"),
        Command::Bdat {
            size: 86,
            last: true
        }
    );
    assert_eq!(
        cmd("bdat 0\r\n"),
        Command::Bdat {
            size: 0,
            last: false
        }
    );
    assert_eq!(cmd("NOOP\r\n"), Command::Noop(None));
    assert_eq!(
        cmd("HELP mail\r\n"),
        Command::Help(Some(Text::new("mail").unwrap()))
    );
    assert_eq!(cmd("STARTTLS\r\n"), Command::StartTls);
    let Command::Auth {
        mechanism,
        initial_response,
    } = cmd("AUTH PLAIN =\r\n")
    else {
        panic!()
    };
    assert_eq!(mechanism.get(), &Mechanism::Plain);
    assert_eq!(initial_response, Some(Vec::new()));
    let Command::Auth {
        initial_response, ..
    } = cmd("AUTH LOGIN\r\n")
    else {
        panic!()
    };
    assert_eq!(initial_response, None);

    // Paths: null, quoted, literals, source routes, postmaster, UTF-8.
    let Command::Mail { from, .. } = cmd("MAIL FROM:<>\r\n") else {
        panic!()
    };
    assert_eq!(from, ReversePath::Null);
    let Command::Mail { from, .. } = cmd("MAIL FROM:<\"john doe\\\"x\"@[IPv6:2001:db8::1]>\r\n")
    else {
        panic!()
    };
    let m = from.mailbox().unwrap();
    assert_eq!(m.local_part(), "john doe\"x");
    assert_eq!(m.domain().ip(), "2001:db8::1".parse().ok());
    let Command::Rcpt { to, .. } = cmd("RCPT TO:<@hosta.int,@jkl.org:userc@d.bar.org>\r\n") else {
        panic!()
    };
    assert_eq!(to.to_string(), "<userc@d.bar.org>");
    let Command::Rcpt { to, .. } = cmd("RCPT TO:<postmaster>\r\n") else {
        panic!()
    };
    assert_eq!(to, ForwardPath::Postmaster);
    let Command::Rcpt { to, .. } = cmd("RCPT TO:<用户@例子.广告>\r\n") else {
        panic!()
    };
    assert!(to.is_utf8());

    // Every MAIL parameter.
    let Command::Mail { params, .. } = cmd(
        "MAIL FROM:<a@b.c> SIZE=10 BODY=8BITMIME SMTPUTF8 RET=HDRS ENVID=QQ+2B1 AUTH=<> REQUIRETLS MT-PRIORITY=-3 HOLDFOR=60 HOLDUNTIL=2025-01-01T00:00:00Z BY=120;RT X-FOO=bar X-FLAG\r\n",
    ) else {
        panic!()
    };
    assert_eq!(params.size, Some(10));
    assert_eq!(params.body, Some(Body::EightBitMime));
    assert!(params.smtputf8 && params.requiretls);
    assert_eq!(params.ret, Some(Ret::Headers));
    assert_eq!(params.envid.as_ref().map(XText::as_str), Some("QQ+1"));
    assert_eq!(params.auth, Some(AuthParam::Unknown));
    assert_eq!(params.mt_priority, Some(-3));
    assert_eq!(params.hold_for, Some(60));
    assert_eq!(
        params.hold_until.as_ref().map(ParamValue::as_str),
        Some("2025-01-01T00:00:00Z")
    );
    assert_eq!(
        params.by,
        Some(DeliverBy {
            time: 120,
            return_if_late: true,
            trace: true
        })
    );
    assert_eq!(params.other.len(), 2);
    assert_eq!(params.other[0].keyword.as_str(), "X-FOO");
    assert_eq!(params.other[1].value, None);

    // Every RCPT parameter.
    let Command::Rcpt { params, .. } =
        cmd("RCPT TO:<a@b.c> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;a+40b.c RRVS=2014-04-03T23:01:00Z;C X-Y=1\r\n")
    else {
        panic!()
    };
    assert_eq!(
        params.notify,
        Some(Notify {
            success: true,
            failure: false,
            delay: true
        })
    );
    assert_eq!(
        params.orcpt.as_ref().map(|o| o.address.as_str()),
        Some("a@b.c")
    );
    assert_eq!(params.rrvs.as_ref().map(|r| r.reject), Some(Some(false)));
    assert_eq!(params.other.len(), 1);
}

#[test]
fn command_errors() {
    assert_eq!(bad("FOO\r\n"), ParseErrorKind::UnknownCommand);
    assert!(matches!(
        bad("MAIL FROM:a@b\r\n"),
        ParseErrorKind::Expected(_)
    ));
    assert!(matches!(
        bad("MAIL FROM:<a@b> SIZE=x\r\n"),
        ParseErrorKind::Expected(_)
    ));
    assert!(matches!(
        bad("MAIL FROM:<a@b> SIZE=1 SIZE=2\r\n"),
        ParseErrorKind::Duplicate("SIZE")
    ));
    assert!(matches!(bad("RCPT TO:<>\r\n"), ParseErrorKind::Expected(_)));
    assert!(matches!(bad("EHLO -bad-\r\n"), ParseErrorKind::Invalid(_)));
    assert!(matches!(bad("DATA x\r\n"), ParseErrorKind::Expected(_)));
    assert!(matches!(bad("NOOP\nQUIT\r\n"), ParseErrorKind::BareLineEnd));
    assert!(matches!(bad("NOOP\rQUIT\r\n"), ParseErrorKind::BareLineEnd));
    let long = format!("NOOP {}\r\n", "x".repeat(5000));
    assert!(matches!(bad(&long), ParseErrorKind::TooLong(_)));
    assert!(matches!(
        bad("MAIL FROM:<a@b> ENVID=a=b\r\n"),
        ParseErrorKind::Invalid(_)
    ));
}

#[test]
fn injection_is_impossible_by_construction() {
    let d = Domain::new("example.org").unwrap();
    assert!(Mailbox::new("a\r\nRCPT TO:<x@y>", d.clone()).is_err());
    assert!(Mailbox::new("a\n", d.clone()).is_err());
    assert!(Mailbox::parse("a@b\r\nDATA").is_err());
    assert!(Domain::new("b.example\r\nRSET").is_err());
    assert!(Domain::new("[1.2.3.4]\r\n").is_err());
    assert!(Text::new("hi\r\nQUIT").is_err());
    assert!(XText::new("x\ry").is_err());
    // Found by fuzzing: an empty ENVID= cannot be written back.
    assert!(XText::new("").is_err());
    assert!(matches!(
        bad("MAIL FROM:<a@b> ENVID=\r\n"),
        ParseErrorKind::Expected(_)
    ));
    assert!(ParamValue::new("a b").is_err());
    assert!(Keyword::new("X-A\r\n").is_err());
    assert!(Reply::new(250, None, "ok\r\n250 forged").is_err());
    // A quoted local part with odd characters is quoted, never raw.
    let m = Mailbox::new("a> b", d).unwrap();
    assert_eq!(m.to_string(), "\"a> b\"@example.org");
}

#[test]
fn split_at_every_byte_commands() {
    let wire: &[u8] = b"EHLO client.example\r\nMAIL FROM:<\"q x\"@[1.2.3.4]> SIZE=5 BODY=8BITMIME\r\nRCPT TO:<b@c.d> NOTIFY=NEVER\r\nBDAT 3 LAST\r\nabcAUTH PLAIN AGEAYg==\r\n";
    let mut whole = Vec::new();
    let mut rest = wire;
    while !rest.is_empty() {
        let Ok(Status::Complete(c, n)) = parse_command(rest) else {
            panic!()
        };
        // Every proper prefix of the line is incomplete.
        for k in 0..n {
            assert_eq!(
                parse_command(&rest[..k]),
                Ok(Status::Incomplete),
                "prefix {k} of {c:?}"
            );
        }
        whole.push(c);
        rest = &rest[n..];
        if matches!(whole.last(), Some(Command::Bdat { .. })) {
            // The chunk is not part of the command.
            assert!(rest.starts_with(b"abc"));
            rest = &rest[3..];
        }
    }
    assert_eq!(whole.len(), 5);
}

#[test]
fn split_at_every_byte_replies() {
    let wire: &[u8] =
        b"250-mx.example greets you\r\n250-SIZE 100\r\n250-8BITMIME\r\n250 2.0.0 fine\r\n";
    let Ok(Status::Complete(reply, n)) = parse_reply(wire) else {
        panic!()
    };
    assert_eq!(n, wire.len());
    for k in 0..n {
        assert_eq!(
            parse_reply(&wire[..k]),
            Ok(Status::Incomplete),
            "prefix {k}"
        );
    }
    assert_eq!(reply.lines().count(), 4);
}

#[test]
fn reply_table() {
    let parse = |s: &[u8]| parse_reply(s).unwrap().complete().unwrap().0.into_owned();
    let r = parse(b"250\r\n");
    assert_eq!((r.code().get(), r.text()), (250, String::new()));
    let r = parse(b"550 5.1.1 <x@y>: Recipient address rejected\r\n");
    assert_eq!(
        r.enhanced().map(|e| (e.class(), e.subject(), e.detail())),
        Some((5, 1, 1))
    );
    assert_eq!(r.text(), "<x@y>: Recipient address rejected");
    // Class mismatch: not an enhanced code, kept as text.
    let r = parse(b"250 5.1.1 odd\r\n");
    assert_eq!(r.enhanced(), None);
    assert!(parse_reply(b"250-a\r\n251 b\r\n").is_err());
    assert!(parse_reply(b"25 x\r\n").is_err());
    assert!(parse_reply(b"250x\r\n").is_err());
    assert!(parse_reply(b"650 x\r\n").is_err());
    assert!(parse_reply(b"250 a\nb\r\n").is_err());
    let many: Vec<u8> = (0..200).flat_map(|_| b"250-x\r\n".to_vec()).collect();
    assert!(parse_reply(&many).is_err());
}

fn corpus(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/corpus/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read(path).unwrap();
    // The corpus files end lines with LF; the wire uses CRLF.
    let mut out = Vec::new();
    for line in text.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        out.extend_from_slice(line);
        out.extend_from_slice(b"\r\n");
    }
    out
}

#[test]
fn mailkit_corpus_replies() {
    let dir = format!("{}/tests/corpus", env!("CARGO_MANIFEST_DIR"));
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if !name.ends_with(".txt") {
            continue;
        }
        let wire = corpus(&name);
        let (reply, used) = parse_reply(&wire).unwrap().complete().unwrap();
        assert_eq!(used, wire.len(), "{name}");
        let bytes = reply.to_bytes();
        let again = parse_reply(&bytes).unwrap().complete().unwrap().0;
        assert_eq!(again, reply, "{name}");
        n += 1;
    }
    assert_eq!(n, 23);
    let ehlo = |name: &str| {
        let wire = corpus(name);
        let e =
            EhloReply::from_reply(&parse_reply(&wire).unwrap().complete().unwrap().0).into_owned();
        // The one-pass parser reads the same.
        assert_eq!(
            EhloReply::parse(&wire),
            Ok(Status::Complete(e.clone(), wire.len()))
        );
        e
    };
    let e = ehlo("comcast-ehlo+binarymime.txt");
    assert!(
        e.has(&Capability::BinaryMime)
            && e.has(&Capability::Chunking)
            && e.has(&Capability::StartTls)
    );
    assert_eq!(e.size(), Some(36700160));
    assert_eq!(
        e.auth_mechanisms().collect::<Vec<_>>(),
        [Mechanism::Login, Mechanism::Plain]
    );
    assert!(e.offers_auth(&Mechanism::Login) && !e.offers_auth(&Mechanism::CramMd5));
    let e = ehlo("comcast-ehlo+digest-md5.txt");
    assert_eq!(
        e.auth_mechanisms().nth(2),
        Some(Mechanism::Other("DIGEST-MD5".into()))
    );
    assert!(e.offers_auth(&Mechanism::Other("DIGEST-MD5".into())));
    assert!(!e.offers_auth(&Mechanism::Other("GSSAPI".into())));
    assert!(ehlo("comcast-ehlo+requiretls.txt").has(&Capability::RequireTls));
    assert!(ehlo("comcast-ehlo+smtputf8.txt").has(&Capability::SmtpUtf8));
    assert!(ehlo("comcast-ehlo+dsn.txt").has(&Capability::Dsn));
    let e = ehlo("comcast-ehlo+x-exps.txt");
    assert!(e
        .capabilities()
        .any(|c| matches!(c, Capability::Other(o) if o.keyword() == "X-EXPS" && o.params() == Some("LOGIN PLAIN"))));
    // Unknown capabilities are written back verbatim.
    assert_eq!(e.to_reply().to_bytes(), corpus("comcast-ehlo+x-exps.txt"));
    let done = corpus("comcast-data-done.txt");
    let r = parse_reply(&done).unwrap().complete().unwrap().0;
    assert_eq!(r.enhanced().map(|e| e.to_string()), Some("2.0.0".into()));
}

#[test]
fn ehlo_typed_capabilities() {
    let wire = b"250-mx\r\n250-LIMITS RCPTMAX=20 MAILMAX=5\r\n250-MT-PRIORITY MIXER\r\n250-FUTURERELEASE 604800 2025-01-01T00:00:00Z\r\n250-DELIVERBY 240\r\n250-RRVS\r\n250-SIZE\r\n250 AUTH=LOGIN PLAIN\r\n";
    let e = EhloReply::from_reply(&parse_reply(wire).unwrap().complete().unwrap().0).into_owned();
    assert_eq!(e.limit("rcptmax"), Some(20));
    assert_eq!(e.size(), Some(0));
    assert!(e.has(&Capability::DeliverBy(Some(240))));
    assert!(e.has(&Capability::Rrvs));
    let caps: Vec<_> = e.capabilities().collect();
    assert!(matches!(
        &caps[2],
        Capability::FutureRelease {
            max_interval: 604800,
            ..
        }
    ));
    assert!(
        matches!(&caps[6], Capability::Other(o) if o.as_str() == "AUTH=LOGIN PLAIN" && o.params() == Some("PLAIN"))
    );
    assert_eq!(e.to_reply().to_bytes(), wire);
}

// ---- proptest strategies ----

fn domain() -> impl Strategy<Value = Domain<'static>> {
    prop_oneof![
        "[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?){0,3}",
        any::<[u8; 4]>().prop_map(|b| format!("[{}.{}.{}.{}]", b[0], b[1], b[2], b[3])),
        any::<[u16; 8]>().prop_map(|b| format!("[IPv6:{}]", std::net::Ipv6Addr::from(b))),
        "[a-z]{1,5}\\.(例子|bücher)",
    ]
    .prop_map(|s| Domain::new(&s).unwrap())
}

fn mailbox() -> impl Strategy<Value = Mailbox<'static>> {
    let local = prop_oneof![
        "[a-zA-Z0-9!#$%&'*+/=?^_`{|}~-]{1,8}(\\.[a-zA-Z0-9_-]{1,5}){0,2}",
        "[ -~]{1,12}",
        "[a-z]{1,3}ü[a-z]{0,3}",
    ];
    (local, domain()).prop_map(|(l, d)| Mailbox::new(&l, d).unwrap())
}

fn text() -> impl Strategy<Value = Text<'static>> {
    "[ -~\t]{0,20}".prop_map(|s| Text::new(&s).unwrap())
}

fn xtext() -> impl Strategy<Value = XText<'static>> {
    "[ -~é]{1,12}".prop_map(|s| XText::new(&s).unwrap())
}

fn value() -> impl Strategy<Value = ParamValue<'static>> {
    "[!-<>-~]{1,10}".prop_map(|s| ParamValue::new(&s).unwrap())
}

fn time_value() -> impl Strategy<Value = ParamValue<'static>> {
    "[0-9][0-9TZ:-]{0,19}".prop_map(|s| ParamValue::new(&s).unwrap())
}

fn other() -> impl Strategy<Value = Vec<OtherParam<'static>>> {
    proptest::collection::vec(
        ("X-[A-Z0-9]{1,6}", proptest::option::of(value())).prop_map(|(k, v)| OtherParam {
            keyword: Keyword::new(&k).unwrap(),
            value: v,
        }),
        0..3,
    )
}

prop_compose! {
    fn mail_params()(
        size in proptest::option::of(any::<u64>()),
        body in proptest::option::of(prop_oneof![Just(Body::SevenBit), Just(Body::EightBitMime), Just(Body::BinaryMime)]),
        smtputf8 in any::<bool>(),
        ret in proptest::option::of(prop_oneof![Just(Ret::Full), Just(Ret::Headers)]),
        envid in proptest::option::of(xtext()),
        auth in proptest::option::of(prop_oneof![Just(AuthParam::Unknown), xtext().prop_map(AuthParam::Identity)]),
        requiretls in any::<bool>(),
        mt_priority in proptest::option::of(-9i8..=9),
        hold_for in proptest::option::of(any::<u64>()),
        hold_until in proptest::option::of(time_value()),
        by in proptest::option::of((-999_999_999i32..=999_999_999, any::<bool>(), any::<bool>())
            .prop_map(|(time, return_if_late, trace)| DeliverBy { time, return_if_late, trace })),
        other in other(),
    ) -> MailParams<'static> {
        let mut p = MailParams::default();
        p.size = size; p.body = body; p.smtputf8 = smtputf8; p.ret = ret; p.envid = envid;
        p.auth = auth; p.requiretls = requiretls; p.mt_priority = mt_priority;
        p.hold_for = hold_for; p.hold_until = hold_until; p.by = by; p.other = other;
        p
    }
}

prop_compose! {
    fn rcpt_params()(
        notify in proptest::option::of(any::<(bool, bool, bool)>().prop_map(|(success, failure, delay)| Notify { success, failure, delay })),
        orcpt in proptest::option::of(("rfc822|utf-8", xtext()).prop_map(|(t, address)| Orcpt { addr_type: Keyword::new(&t).unwrap(), address })),
        rrvs in proptest::option::of((time_value(), proptest::option::of(any::<bool>())).prop_map(|(time, reject)| Rrvs { time, reject })),
        other in other(),
    ) -> RcptParams<'static> {
        let mut p = RcptParams::default();
        p.notify = notify; p.orcpt = orcpt; p.rrvs = rrvs; p.other = other;
        p
    }
}

fn mechanism() -> impl Strategy<Value = AuthMechanism> {
    prop_oneof![
        Just(Mechanism::Plain),
        Just(Mechanism::Login),
        Just(Mechanism::CramMd5),
        Just(Mechanism::ScramSha256),
        Just(Mechanism::XOAuth2),
        Just(Mechanism::Other("GSSAPI".into())),
    ]
    .prop_map(|m| AuthMechanism::new(m).unwrap())
}

fn command() -> impl Strategy<Value = Command<'static>> {
    prop_oneof![
        domain().prop_map(Command::Helo),
        domain().prop_map(Command::Ehlo),
        domain().prop_map(Command::Lhlo),
        (
            prop_oneof![
                Just(ReversePath::Null),
                mailbox().prop_map(ReversePath::Mailbox)
            ],
            mail_params()
        )
            .prop_map(|(from, params)| Command::Mail { from, params }),
        (
            prop_oneof![
                Just(ForwardPath::Postmaster),
                mailbox().prop_map(ForwardPath::Mailbox)
            ],
            rcpt_params()
        )
            .prop_map(|(to, params)| Command::Rcpt { to, params }),
        Just(Command::Data),
        (any::<u64>(), any::<bool>()).prop_map(|(size, last)| Command::Bdat { size, last }),
        Just(Command::Rset),
        text().prop_map(Command::Vrfy),
        text().prop_map(Command::Expn),
        proptest::option::of(text()).prop_map(Command::Help),
        proptest::option::of(text()).prop_map(Command::Noop),
        Just(Command::Quit),
        Just(Command::StartTls),
        (
            mechanism(),
            proptest::option::of(proptest::collection::vec(any::<u8>(), 0..40))
        )
            .prop_map(|(mechanism, initial_response)| Command::Auth {
                mechanism,
                initial_response
            }),
    ]
}

fn reply() -> impl Strategy<Value = Reply<'static>> {
    (
        2u16..=5,
        0u16..=5,
        0u16..=9,
        any::<bool>(),
        0u16..=99,
        0u16..=999,
        proptest::collection::vec("([a-zA-Z][ -~]{0,30})?", 1..5),
    )
        .prop_map(|(a, b, c, enh, s, d, lines)| {
            let code = a * 100 + b * 10 + c;
            let enhanced = (enh && a != 3).then(|| EnhancedCode::new(a as u8, s, d).unwrap());
            Reply::multiline(code, enhanced, lines.iter().map(String::as_str)).unwrap()
        })
}

fn capability() -> impl Strategy<Value = Capability<'static>> {
    prop_oneof![
        proptest::option::of(any::<u64>()).prop_map(Capability::Size),
        proptest::collection::vec(mechanism(), 1..4)
            .prop_map(|m| Capability::Auth(m.into_iter().map(|m| m.get().clone()).collect())),
        Just(Capability::Pipelining),
        Just(Capability::Chunking),
        Just(Capability::EightBitMime),
        Just(Capability::BinaryMime),
        Just(Capability::SmtpUtf8),
        Just(Capability::Dsn),
        Just(Capability::EnhancedStatusCodes),
        Just(Capability::StartTls),
        Just(Capability::RequireTls),
        proptest::collection::vec(
            ("[A-Z]{1,8}", any::<u64>()).prop_map(|(k, n)| (Keyword::new(&k).unwrap(), n)),
            1..3
        )
        .prop_map(Capability::Limits),
        proptest::option::of("[A-Z]{1,8}".prop_map(|k| Keyword::new(&k).unwrap()))
            .prop_map(Capability::MtPriority),
        (any::<u64>(), time_value()).prop_map(|(max_interval, max_datetime)| {
            Capability::FutureRelease {
                max_interval,
                max_datetime,
            }
        }),
        proptest::option::of(any::<u64>()).prop_map(Capability::DeliverBy),
        Just(Capability::Rrvs),
        Just(Capability::Vrfy),
        Just(Capability::Help),
        ("X-[A-Z]{1,6}", proptest::option::of("[ -~]{0,12}")).prop_map(|(k, p)| {
            Capability::Other(OtherCapability::new(&k, p.as_deref()).unwrap())
        }),
    ]
}

proptest! {
    #[test]
    fn command_round_trip(c in command()) {
        let wire = c.to_bytes();
        let parsed = parse_command(&wire);
        prop_assert_eq!(parsed, Ok(Status::Complete(c, wire.len())), "{}", String::from_utf8_lossy(&wire));
    }

    /// A parsed command borrows its input; its owned copy equals it and outlives the input.
    #[test]
    fn command_into_owned_outlives_input(c in command()) {
        let wire = c.to_bytes();
        let owned = {
            let buf = wire.clone();
            let (parsed, _) = parse_command(&buf).unwrap().complete().unwrap();
            let owned = parsed.clone().into_owned();
            prop_assert_eq!(&owned, &parsed);
            owned
        };
        prop_assert_eq!(owned, c);
    }

    /// The same for a parsed EHLO reply.
    #[test]
    fn ehlo_into_owned_outlives_input(caps in proptest::collection::vec(capability(), 0..12)) {
        let e = EhloReply::new(Text::new("mx.example greets you").unwrap(), caps);
        let owned = {
            let buf = e.to_reply().to_bytes();
            let (parsed, _) = EhloReply::parse(&buf).unwrap().complete().unwrap();
            let owned = parsed.clone().into_owned();
            prop_assert_eq!(&owned, &parsed);
            owned
        };
        prop_assert_eq!(owned, e);
    }

    #[test]
    fn reply_round_trip(r in reply()) {
        let wire = r.to_bytes();
        prop_assert_eq!(parse_reply(&wire), Ok(Status::Complete(r, wire.len())));
    }

    #[test]
    fn ehlo_round_trip(caps in proptest::collection::vec(capability(), 0..12)) {
        let e = EhloReply::new(Text::new("mx.example greets you").unwrap(), caps);
        let wire = e.to_reply().to_bytes();
        let (r, _) = parse_reply(&wire).unwrap().complete().unwrap();
        prop_assert_eq!(EhloReply::from_reply(&r), e.clone());
        prop_assert_eq!(EhloReply::parse(&wire), Ok(Status::Complete(e, wire.len())));
    }

    /// The one-pass EHLO parser agrees with the general reply parser on any bytes shaped like
    /// a reply (codes, separators, enhanced codes, tabs, controls, UTF-8, bare line ends), and
    /// every prefix is Incomplete or the same error.
    #[test]
    fn ehlo_parse_agrees_with_parse_reply(
        lines in proptest::collection::vec(
            (
                prop_oneof![4 => Just("250"), 1 => Just("251"), 1 => Just("550"), 1 => Just("25")],
                prop_oneof![3 => Just("-"), 1 => Just(" "), 1 => Just(""), 1 => Just("x")],
                "(2\\.0\\.0 )?[A-Z0-9 =\\t\\x7fé-]{0,12}",
                prop_oneof![6 => Just("\r\n"), 1 => Just("\n"), 1 => Just("\r")],
            ),
            1..8,
        ),
        tail in "[A-Z ]{0,6}",
    ) {
        let mut wire = Vec::new();
        for (code, sep, text, end) in &lines {
            wire.extend_from_slice(format!("{code}{sep}{text}{end}").as_bytes());
        }
        wire.extend_from_slice(tail.as_bytes());
        let want = match parse_reply(&wire) {
            Ok(Status::Complete(r, n)) if r.code().get() == 250 => Ok(Status::Complete(EhloReply::from_reply(&r).into_owned(), n)),
            Ok(Status::Complete(..)) => Err(()),
            Ok(Status::Incomplete) => Ok(Status::Incomplete),
            Err(_) => Err(()),
        };
        let got = EhloReply::parse(&wire).map_err(|_| ());
        prop_assert_eq!(&got, &want, "{}", String::from_utf8_lossy(&wire));
        if let Ok(Status::Complete(_, n)) = &want {
            for cut in 0..*n {
                prop_assert_eq!(EhloReply::parse(&wire[..cut]), Ok(Status::Incomplete));
            }
        }
    }

    /// The one-pass EHLO parser types what the general one types, on lines made of the
    /// keywords it knows (and near misses) in any case, alone or with parameters that fit,
    /// do not fit, or overflow.
    #[test]
    fn ehlo_parse_agrees_on_keywords(
        lines in proptest::collection::vec(
            (
                proptest::sample::select(vec![
                    "SIZE", "AUTH", "PIPELINING", "CHUNKING", "8BITMIME", "BINARYMIME",
                    "SMTPUTF8", "DSN", "ENHANCEDSTATUSCODES", "STARTTLS", "REQUIRETLS",
                    "LIMITS", "MT-PRIORITY", "FUTURERELEASE", "DELIVERBY", "RRVS", "VRFY",
                    "HELP", "X-EXPS", "AUTH=LOGIN", "SIZ", "DSNX", "PIPELINING-X",
                    "ENHANCEDSTATUSCODEZ", "SCRAM-SHA-256", "",
                ]),
                any::<u32>(),
                proptest::sample::select(vec![
                    "", " ", " 100", " 0", " 18446744073709551615", " 18446744073709551616",
                    " 99999999999999999999", " 1x", " PLAIN LOGIN", " plain xoauth2 CRAM-MD5",
                    " SCRAM-SHA-256 DIGEST-MD5 EXTERNAL OAUTHBEARER SCRAM-SHA-1",
                    " PLAIN  LOGIN", " PLAIN ", " BAD_MECH!", " RCPTMAX=5 MAILMAX=2",
                    " RCPTMAX=", " =5", " MIXER", " MIX=ER", " 604800 2030-01-01T00:00:00Z",
                    " 604800", " 604800 a=b", " x y",
                ]),
            ),
            1..10,
        ),
    ) {
        let mut wire = b"250-mx.example.org hello\r\n".to_vec();
        for (i, (kw, case, params)) in lines.iter().enumerate() {
            let kw: String = kw
                .chars()
                .enumerate()
                .map(|(k, c)| if case >> (k % 32) & 1 == 1 { c.to_ascii_lowercase() } else { c })
                .collect();
            let sep = if i + 1 == lines.len() { ' ' } else { '-' };
            wire.extend_from_slice(format!("250{sep}{kw}{params}\r\n").as_bytes());
        }
        let (r, n) = parse_reply(&wire).unwrap().complete().unwrap();
        let want = EhloReply::from_reply(&r).into_owned();
        // Built back from its capabilities, one by one, it is the same reply.
        prop_assert_eq!(&EhloReply::new(want.greeting(), want.capabilities()), &want);
        prop_assert_eq!(EhloReply::parse(&wire), Ok(Status::Complete(want, n)), "{}", String::from_utf8_lossy(&wire));
    }

    #[test]
    fn no_panic_on_any_line(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = parse_command(&bytes);
        let _ = parse_reply(&bytes);
        let _ = Command::parse_line(&bytes);
    }

    #[test]
    fn mutated_commands_never_panic(c in command(), at in any::<usize>(), byte in any::<u8>()) {
        let mut wire = c.to_bytes();
        let i = at % wire.len();
        wire[i] = byte;
        let _ = parse_command(&wire);
    }
}

/// Commands whose values must be decoded (a quoted local part with escapes, encoded xtext)
/// and ones that borrow as sent: both kinds of value survive `into_owned` and the input.
#[test]
fn parsed_commands_into_owned() {
    let lines = [
        "MAIL FROM:<\"ann\\\"lee\"@example.org> ENVID=a+2Bb AUTH=<> X-FOO=bar\r\n",
        "RCPT TO:<bob@[192.0.2.1]> NOTIFY=NEVER ORCPT=utf-8;b+C3+A9b@example.net\r\n",
        "RCPT TO:<Postmaster>\r\n",
        "EHLO client.example.org\r\n",
        "VRFY Ann Lee\r\n",
        "HELP\r\n",
    ];
    for line in lines {
        let buf = line.as_bytes().to_vec();
        let parsed = match parse_command(&buf) {
            Ok(Status::Complete(c, n)) if n == buf.len() => c,
            other => panic!("{line}: {other:?}"),
        };
        let owned: Command<'static> = parsed.clone().into_owned();
        assert_eq!(owned, parsed, "{line}");
        drop(parsed);
        drop(buf);
        assert_eq!(owned.to_bytes(), line.as_bytes(), "{line}");
    }
    let Command::Mail { from, params } = cmd(lines[0]) else {
        panic!()
    };
    assert_eq!(from.mailbox().unwrap().local_part(), "ann\"lee");
    assert_eq!(params.envid.unwrap().as_str(), "a+b");
}

/// Verbs, parameter keywords and their values read the same in any case, and no byte but the
/// two cases of a verb's letters makes a verb (verbs are compared a word at a time).
#[test]
fn verbs_and_keywords_in_any_case() {
    let lines = [
        "MAIL FROM:<a@b.example> SIZE=10 BODY=8BITMIME RET=HDRS\r\n",
        "RCPT TO:<postmaster> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;a@b.example\r\n",
        "EHLO c.example\r\n",
        "HELO c.example\r\n",
        "LHLO c.example\r\n",
        "DATA\r\n",
        "BDAT 10 LAST\r\n",
        "RSET\r\n",
        "QUIT\r\n",
        "NOOP\r\n",
        "HELP\r\n",
        "VRFY ann\r\n",
        "EXPN list\r\n",
        "STARTTLS\r\n",
        "AUTH PLAIN =\r\n",
    ];
    for line in lines {
        let want = cmd(line);
        let lower = line.to_ascii_lowercase();
        let mixed: String = line
            .chars()
            .enumerate()
            .map(|(i, c)| {
                if i % 2 == 0 {
                    c.to_ascii_lowercase()
                } else {
                    c
                }
            })
            .collect();
        assert_eq!(cmd(&lower), want, "{lower}");
        assert_eq!(cmd(&mixed), want, "{mixed}");
        let verb_len = line.find(' ').unwrap_or(line.len() - 2).min(4);
        for at in 0..verb_len {
            for b in 0..=255u8 {
                if b.is_ascii_alphabetic() {
                    continue;
                }
                let mut bytes = line.as_bytes().to_vec();
                bytes[at] = b;
                assert!(
                    !matches!(parse_command(&bytes), Ok(Status::Complete(..))),
                    "{bytes:?}"
                );
            }
        }
    }
}

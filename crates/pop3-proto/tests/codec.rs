//! Round trips (`parse(encode(x)) == x`), split-at-every-byte, and no panics on any input.

mod common;

use std::borrow::Cow;

use mail_wire::sasl::Mechanism;
use mail_wire::{Secret, Status};
use pop3_proto::codec::*;
use pop3_proto::*;
use proptest::prelude::*;

fn param() -> impl Strategy<Value = Param<'static>> {
    "[!-~]{1,20}".prop_map(|s| Param::new(s).unwrap())
}

fn text() -> impl Strategy<Value = Text<'static>> {
    // Text that does not start with '[' (it would read as a response code).
    "([ -Z\\\\-~][ -~]{0,40})?".prop_map(|s| Text::new(s).unwrap())
}

fn mechanism() -> impl Strategy<Value = Mechanism> {
    prop_oneof![
        Just(Mechanism::Plain),
        Just(Mechanism::Login),
        Just(Mechanism::CramMd5),
        Just(Mechanism::ScramSha256),
        Just(Mechanism::XOAuth2),
        "X-[A-Z0-9]{1,10}".prop_map(Mechanism::Other),
    ]
}

fn command() -> impl Strategy<Value = Command<'static>> {
    let n = 0u32..=u32::MAX;
    prop_oneof![
        param().prop_map(Command::User),
        "[ -~]{1,40}".prop_map(|p| Command::Pass(Password::new(p).unwrap())),
        (param(), "[0-9a-f]{32}").prop_map(|(name, d)| Command::Apop {
            name,
            digest: Param::new(d).unwrap()
        }),
        (
            mechanism(),
            proptest::option::of(proptest::collection::vec(any::<u8>(), 0..60))
        )
            .prop_map(|(mechanism, ir)| Command::Auth {
                mechanism,
                initial_response: ir.map(Secret::new)
            }),
        Just(Command::Stat),
        proptest::option::of(n.clone()).prop_map(Command::List),
        n.clone().prop_map(Command::Retr),
        n.clone().prop_map(Command::Dele),
        Just(Command::Noop),
        Just(Command::Rset),
        Just(Command::Quit),
        (n.clone(), n.clone()).prop_map(|(message, lines)| Command::Top { message, lines }),
        proptest::option::of(n).prop_map(Command::Uidl),
        Just(Command::Capa),
        Just(Command::Stls),
        Just(Command::Utf8),
        proptest::option::of(param()).prop_map(Command::Lang),
    ]
}

fn code() -> impl Strategy<Value = ResponseCode<'static>> {
    prop_oneof![
        Just(ResponseCode::InUse),
        Just(ResponseCode::LoginDelay),
        Just(ResponseCode::SysTemp),
        Just(ResponseCode::SysPerm),
        Just(ResponseCode::Auth),
        Just(ResponseCode::Utf8),
        "[a-z0-9.:]{1,10}".prop_map(|r| ResponseCode::Referral(Cow::Owned(r))),
        "X-[A-Z]{1,8}(/[A-Z]{1,5})?".prop_map(|o| ResponseCode::Other(Cow::Owned(o))),
    ]
}

fn reply() -> impl Strategy<Value = Reply<'static>> {
    (any::<bool>(), proptest::option::of(code()), text()).prop_map(|(ok, code, text)| Reply {
        ok,
        code,
        text,
    })
}

fn capability() -> impl Strategy<Value = Capability<'static>> {
    let per_user = any::<bool>();
    prop_oneof![
        Just(Capability::Top),
        Just(Capability::User),
        proptest::collection::vec(mechanism(), 0..4).prop_map(Capability::Sasl),
        Just(Capability::RespCodes),
        (any::<u32>(), per_user)
            .prop_map(|(seconds, per_user)| Capability::LoginDelay { seconds, per_user }),
        Just(Capability::Pipelining),
        (proptest::option::of(any::<u32>()), per_user).prop_map(|(d, per_user)| {
            Capability::Expire {
                policy: d.map_or(Expire::Never, Expire::Days),
                per_user,
            }
        }),
        Just(Capability::Uidl),
        "([!-~][ -~]{0,30})?".prop_map(|t| Capability::Implementation(Text::new(t).unwrap())),
        Just(Capability::Stls),
        per_user.prop_map(|user| Capability::Utf8 { user }),
        Just(Capability::Lang),
        ("X-[A-Z]{1,8}", proptest::collection::vec(param(), 0..3)).prop_map(|(t, params)| {
            Capability::Other {
                tag: Param::new(t).unwrap(),
                params,
            }
        }),
    ]
}

proptest! {
    #[test]
    fn commands_round_trip(cmd in command()) {
        let wire = cmd.to_bytes();
        let (parsed, used) = parse_command(&wire, &ParseOptions::default()).unwrap().complete().unwrap();
        prop_assert_eq!(used, wire.len());
        prop_assert_eq!(&parsed, &cmd);
        // Every prefix is Incomplete, never an error.
        for cut in 0..wire.len() {
            prop_assert_eq!(parse_command(&wire[..cut], &ParseOptions::default()).unwrap(), Status::Incomplete);
        }
    }

    #[test]
    fn replies_round_trip(r in reply()) {
        let wire = r.to_bytes();
        let (parsed, used) = parse_response(&wire, &ParseOptions::default()).unwrap().complete().unwrap();
        prop_assert_eq!(used, wire.len());
        prop_assert_eq!(parsed, ResponseLine::Status(r));
        for cut in 0..wire.len() {
            prop_assert_eq!(parse_response(&wire[..cut], &ParseOptions::default()).unwrap(), Status::Incomplete);
        }
    }

    #[test]
    fn capabilities_round_trip(c in capability()) {
        let wire = c.to_bytes();
        let line = &wire[..wire.len() - 2];
        prop_assert_eq!(parse_capability(line).unwrap(), c);
    }

    #[test]
    fn listings_round_trip(message in any::<u32>(), size in any::<u64>(), uid in "[!-~]{1,70}") {
        let s = ScanListing { message, size };
        let wire = s.to_bytes();
        prop_assert_eq!(parse_scan_listing(&wire[..wire.len() - 2]).unwrap(), s);
        let u = UniqueIdListing { message, uid: UniqueId::new(uid).unwrap() };
        let wire = u.to_bytes();
        prop_assert_eq!(parse_unique_id_listing(&wire[..wire.len() - 2]).unwrap(), u);
    }

    #[test]
    fn arbitrary_lines_never_panic(line in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = parse_command_line(&line, &ParseOptions::default());
        let _ = parse_response_line(&line);
        let _ = parse_capability(&line);
        let _ = parse_scan_listing(&line);
        let _ = parse_unique_id_listing(&line);
        let _ = parse_language_listing(&line);
        let _ = parse_command(&line, &ParseOptions::default());
        let _ = parse_response(&line, &ParseOptions::default());
    }

    /// Any message bytes stored on the server arrive at the client as the server's dot
    /// encoder normalised them (CRLF line ends, a final CRLF), whatever the chunking.
    #[test]
    fn any_message_survives_retr(body in proptest::collection::vec(prop_oneof![Just(b'.'), Just(b'\r'), Just(b'\n'), any::<u8>()], 0..400), chunk in 1usize..50) {
        let mut store = common::Store::new(&[("u1", &body)]);
        store.chunk = chunk;
        let mut pair = common::Pair::new(store, common::server_config());
        pair.client.user("mrose").unwrap();
        pair.client.pass("tanstaaf").unwrap();
        let h = pair.client.retr(1).unwrap();
        pair.run();
        prop_assert_eq!(pair.body(h), mail_wire::dot::normalize(&body));
    }

    /// Arbitrary bytes fed to both sessions in arbitrary chunks never panic.
    #[test]
    fn sessions_take_any_input(input in proptest::collection::vec(any::<u8>(), 0..400), cuts in proptest::collection::vec(0usize..400, 0..5)) {
        let mut store = common::Store::new(&[("u1", b"a\r\n"), ("u2", b"b\r\n")]);
        let mut server = pop3_proto::session::server::Server::new(common::server_config(), Some(common::STAMP.into()));
        let mut client = pop3_proto::session::client::Client::new(Default::default());
        client.capa().unwrap();
        client.retr(1).unwrap();
        let mut cuts = cuts;
        cuts.push(0);
        cuts.push(input.len());
        cuts.sort();
        let mut out = Vec::new();
        for w in cuts.windows(2) {
            let piece = &input[w[0].min(input.len())..w[1].min(input.len())];
            server.handle_input(piece);
            store.answer(&mut server);
            server.poll_transmit(&mut out);
            client.handle_input(piece);
            while client.poll_event().is_some() {}
            client.poll_transmit(&mut out);
        }
        server.handle_eof();
        client.handle_eof();
    }
}

#[test]
fn response_codes_are_case_insensitive_and_unknown_ones_kept() {
    let ResponseLine::Status(r) = parse_response_line(b"-ERR [in-use] busy").unwrap() else {
        panic!()
    };
    assert_eq!(r.code, Some(ResponseCode::InUse));
    let ResponseLine::Status(r) = parse_response_line(b"-ERR [SYS/TEMP/DISK] full").unwrap() else {
        panic!()
    };
    assert_eq!(r.code, Some(ResponseCode::Other("SYS/TEMP/DISK".into())));
    let ResponseLine::Status(r) =
        parse_response_line(b"-ERR [REFERRAL/pop://other.example/] moved").unwrap()
    else {
        panic!()
    };
    assert_eq!(
        r.code,
        Some(ResponseCode::Referral("pop://other.example/".into()))
    );
    let ResponseLine::Status(r) = parse_response_line(b"+OK [not a code").unwrap() else {
        panic!()
    };
    assert_eq!((r.code, r.text.as_str()), (None, "[not a code"));
    for code in ["LOGIN-DELAY", "SYS/PERM", "AUTH", "UTF8"] {
        let line = format!("-ERR [{code}] x");
        let ResponseLine::Status(r) = parse_response_line(line.as_bytes()).unwrap() else {
            panic!()
        };
        assert!(
            !matches!(r.code, Some(ResponseCode::Other(_)) | None),
            "{code}"
        );
        assert_eq!(r.to_bytes(), format!("{line}\r\n").as_bytes());
    }
}

#[test]
fn apop_timestamp_from_the_greeting() {
    let ResponseLine::Status(r) =
        parse_response_line(b"+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>").unwrap()
    else {
        panic!()
    };
    assert_eq!(
        r.apop_timestamp(),
        Some("<1896.697170952@dbc.mtview.ca.us>")
    );
    let ResponseLine::Status(r) = parse_response_line(b"+OK Gpop ready <no-at-sign>").unwrap()
    else {
        panic!()
    };
    assert_eq!(r.apop_timestamp(), None);
}

#[test]
fn command_errors_say_what_was_expected() {
    let o = ParseOptions::default();
    for (line, want) in [
        (&b"RETR"[..], "the parameters the command takes"),
        (b"RETR -1", "a message number"),
        (b"RETR 99999999999", "a message number"),
        (b"TOP 1", "the parameters the command takes"),
        (b"LIST  1", "single spaces between parameters"),
        (b"FOOBAR", "a keyword of 3 or 4 letters"),
        (b"XYZ", "a known command"),
        (b"PASS", "a password after PASS"),
        (b"AUTH PL@IN", "a SASL mechanism name"),
    ] {
        let e = parse_command_line(line, &o).unwrap_err().to_string();
        assert!(e.contains(want), "{}: {e}", String::from_utf8_lossy(line));
    }
    // PASS keeps spaces (RFC 1939 section 7).
    assert_eq!(
        parse_command_line(b"pass my secret phrase", &o).unwrap(),
        Command::Pass(Password::new("my secret phrase").unwrap())
    );
    // AUTH "=" is the empty initial response; bad base64 is a SASL error.
    assert!(matches!(
        parse_command_line(b"AUTH PLAIN =", &o).unwrap(),
        Command::Auth { initial_response: Some(ir), .. } if ir.expose().is_empty()
    ));
    assert!(parse_command_line(b"AUTH PLAIN !!!", &o).is_err());
    // A bare LF is refused by the framer.
    assert!(parse_command(b"NOOP\n", &o).is_err());
}

#[test]
fn validating_constructors_refuse_what_cannot_be_sent() {
    assert!(Param::new("a b").is_err());
    assert!(Param::new("").is_err());
    assert!(Password::new("a\r\nDELE 1").is_err());
    assert!(Text::new("x\ny").is_err());
    assert!(UniqueId::new("x".repeat(71)).is_err());
    assert!(UniqueId::new("a b").is_err());
    let mut c = pop3_proto::session::client::Client::new(Default::default());
    assert!(c.user("two words").is_err());
    assert!(c.pass("line\r\nbreak").is_err());
    assert!(c.apop("mrose", "x").is_err(), "no timestamp yet");
}

#[test]
fn passwords_are_not_printed() {
    let cmd = Command::Pass(Password::new("hunter2").unwrap());
    assert!(!format!("{cmd:?}").contains("hunter2"));
    use pop3_proto::session::server::{AuthRequest, Credentials, ServerEvent};
    let ev = ServerEvent::Auth(AuthRequest::Verify(Credentials::Password {
        authzid: None,
        authcid: "u".into(),
        password: Secret::new("hunter2".into()),
    }));
    assert!(!format!("{ev:?}").contains("hunter2"));
}

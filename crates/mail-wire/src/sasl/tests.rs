//! Client against server for every mechanism, RFC transcripts through the public API, and
//! properties.

use super::*;
use crate::Secret;
use proptest::prelude::*;

/// The application side of a server: a user table.
struct App {
    user: &'static str,
    password: &'static str,
    token: &'static str,
    allow_external: bool,
}

const APP: App = App {
    user: "tim",
    password: "tanstaaftanstaaf",
    token: "vF9dft4qmTc2",
    allow_external: true,
};

impl App {
    /// The same decisions as [`drive`] makes step by step, as one [`AuthAnswer`].
    fn answer(&self, request: AuthRequest) -> Result<AuthAnswer, SaslError> {
        Ok(match request {
            AuthRequest::Verify(Credentials::Password {
                authcid, password, ..
            }) => AuthAnswer::Verified(authcid == self.user && password.expose() == self.password),
            AuthRequest::Verify(Credentials::Token { token, .. }) => {
                AuthAnswer::Verified(token.expose() == self.token)
            }
            AuthRequest::Verify(Credentials::External { .. }) => {
                AuthAnswer::Verified(self.allow_external)
            }
            AuthRequest::LookupSecret { authcid } => AuthAnswer::Secret(
                (authcid == self.user).then(|| Secret::new(self.password.to_owned())),
            ),
            AuthRequest::LookupScram { hash, authcid, .. } => {
                let keys = ScramKeys::derive(hash, self.password, b"NaCl-of-tim", 4096)?;
                AuthAnswer::ScramKeys((authcid == self.user).then_some(keys))
            }
        })
    }
}

/// Drives client and server to the end, answering server requests from `app`, and returns
/// the server's final step (Success or Failure) or the first error.
fn drive(
    client: ClientMechanism,
    mechanism: &Mechanism,
    options: ServerOptions,
    app: &App,
    use_initial_response: bool,
) -> Result<ServerStep, SaslError> {
    drive_with(client, mechanism, options, app, use_initial_response, false)
}

/// [`drive`], answering either with the per-kind methods (`verified`, `shared_secret`,
/// `scram_keys`) or, with `via_requests`, through [`ServerStep::into_request`] and
/// [`ServerMechanism::answer`].
fn drive_with(
    mut client: ClientMechanism,
    mechanism: &Mechanism,
    options: ServerOptions,
    app: &App,
    use_initial_response: bool,
    via_requests: bool,
) -> Result<ServerStep, SaslError> {
    let mut server = ServerMechanism::with_nonce(mechanism, options, "1896.697170952".into())?;
    let initial = if use_initial_response {
        client.initial_response()
    } else {
        None
    };
    // Every payload goes through the wire framing, as the protocol crates will do it.
    let initial = initial.map(|ir| {
        decode_initial_response(
            encode_initial_response(&ir).as_bytes(),
            DEFAULT_MAX_RESPONSE_LEN,
        )
        .unwrap()
    });
    let mut step = server.start(initial.as_deref())?;
    for _ in 0..10 {
        if via_requests {
            match step.clone().into_request() {
                Ok(request) => {
                    assert_eq!(ServerStep::from(request.clone()), step);
                    step = server.answer(app.answer(request)?)?;
                    continue;
                }
                Err(same) => assert_eq!(same, step),
            }
        }
        step = match step {
            ServerStep::Challenge(challenge) => {
                let wire = encode_challenge(&challenge);
                let challenge = decode_challenge(wire.as_bytes(), DEFAULT_MAX_RESPONSE_LEN)?;
                let response = client.step(&challenge)?;
                let line = encode_response(&response);
                match decode_client_response(line.as_bytes(), DEFAULT_MAX_RESPONSE_LEN)? {
                    ClientResponse::Response(r) => server.handle_response(&r)?,
                    ClientResponse::Cancel => unreachable!("encode never yields *"),
                }
            }
            ServerStep::Verify(Credentials::Password {
                authcid, password, ..
            }) => server.verified(authcid == app.user && password.expose() == app.password)?,
            ServerStep::Verify(Credentials::Token { token, .. }) => {
                server.verified(token.expose() == app.token)?
            }
            ServerStep::Verify(Credentials::External { .. }) => {
                server.verified(app.allow_external)?
            }
            ServerStep::LookupSecret { authcid } => server.shared_secret(
                (authcid == app.user).then(|| Secret::new(app.password.to_owned())),
            )?,
            ServerStep::LookupScram { hash, authcid, .. } => {
                let keys = ScramKeys::derive(hash, app.password, b"NaCl-of-tim", 4096)?;
                server.scram_keys((authcid == app.user).then_some(keys))?
            }
            ServerStep::Success(outcome) => {
                client.success(outcome.additional_data.as_deref())?;
                assert!(server.is_done());
                return Ok(ServerStep::Success(outcome));
            }
            ServerStep::Failure(why) => return Ok(ServerStep::Failure(why)),
        };
    }
    panic!("exchange did not end");
}

fn password_client(mechanism: &Mechanism, password: &str) -> ClientMechanism {
    let credentials = ClientCredentials::Password {
        authzid: None,
        username: "tim".into(),
        password: Secret::new(password.into()),
    };
    ClientMechanism::new(mechanism, &credentials).unwrap()
}

fn token_client(mechanism: &Mechanism, token: &str) -> ClientMechanism {
    let credentials = ClientCredentials::OAuthToken {
        user: "tim".into(),
        token: Secret::new(token.into()),
        host: Some("imap.example.com".into()),
        port: Some(993),
    };
    ClientMechanism::new(mechanism, &credentials).unwrap()
}

fn authcid(step: &ServerStep) -> Option<&str> {
    match step {
        ServerStep::Success(outcome) => outcome.authcid.as_deref(),
        _ => None,
    }
}

#[test]
fn every_password_mechanism_succeeds_and_fails() {
    let mechanisms = [
        Mechanism::Plain,
        Mechanism::Login,
        Mechanism::CramMd5,
        Mechanism::ScramSha1,
        Mechanism::ScramSha256,
    ];
    for m in &mechanisms {
        for ir in [true, false] {
            for success_data in [false, true] {
                let options = ServerOptions::default()
                    .with_success_data(success_data)
                    .with_hostname("mx.example");
                let ok = drive(
                    password_client(m, "tanstaaftanstaaf"),
                    m,
                    options.clone(),
                    &APP,
                    ir,
                );
                assert_eq!(authcid(ok.as_ref().unwrap()), Some("tim"), "{m} ir={ir}");
                let bad = drive(password_client(m, "wrong"), m, options.clone(), &APP, ir).unwrap();
                assert!(
                    matches!(bad, ServerStep::Failure(_)),
                    "{m} ir={ir}: {bad:?}"
                );
                let stranger = App {
                    user: "kurt",
                    ..APP
                };
                let unknown = drive(
                    password_client(m, "tanstaaftanstaaf"),
                    m,
                    options,
                    &stranger,
                    ir,
                )
                .unwrap();
                assert_eq!(unknown, ServerStep::Failure(Failure::Rejected), "{m}");
            }
        }
    }
}

#[test]
fn token_mechanisms_succeed_and_fail() {
    for m in [Mechanism::OAuthBearer, Mechanism::XOAuth2] {
        for ir in [true, false] {
            let ok = drive(
                token_client(&m, "vF9dft4qmTc2"),
                &m,
                ServerOptions::default(),
                &APP,
                ir,
            )
            .unwrap();
            assert_eq!(authcid(&ok), Some("tim"));
            let bad = drive(
                token_client(&m, "expired"),
                &m,
                ServerOptions::default(),
                &APP,
                ir,
            )
            .unwrap();
            assert_eq!(bad, ServerStep::Failure(Failure::Rejected));
        }
    }
    // The client keeps the error document.
    let mut client = token_client(&Mechanism::OAuthBearer, "expired");
    let mut server =
        ServerMechanism::new(&Mechanism::OAuthBearer, ServerOptions::default()).unwrap();
    assert!(matches!(
        server.start(client.initial_response().as_deref()),
        Ok(ServerStep::Verify(_))
    ));
    let json = br#"{"status":"invalid_token","scope":"mail"}"#.to_vec();
    let ServerStep::Challenge(challenge) = server.reject_token(json.clone()).unwrap() else {
        panic!()
    };
    let dummy = client.step(&challenge).unwrap();
    assert_eq!(client.token_error(), Some(&json[..]));
    assert_eq!(
        server.handle_response(&dummy),
        Ok(ServerStep::Failure(Failure::Rejected))
    );
}

#[test]
fn external_succeeds_and_fails() {
    for ir in [true, false] {
        let client = ClientMechanism::new(
            &Mechanism::External,
            &ClientCredentials::External { authzid: None },
        )
        .unwrap();
        let ok = drive(
            client,
            &Mechanism::External,
            ServerOptions::default(),
            &APP,
            ir,
        )
        .unwrap();
        assert!(matches!(
            ok,
            ServerStep::Success(Outcome {
                authcid: None,
                authzid: None,
                ..
            })
        ));
        let client = ClientMechanism::external(Some("admin"));
        let refused = App {
            allow_external: false,
            ..APP
        };
        let bad = drive(
            client,
            &Mechanism::External,
            ServerOptions::default(),
            &refused,
            ir,
        )
        .unwrap();
        assert_eq!(bad, ServerStep::Failure(Failure::Rejected));
    }
    let mut client = ClientMechanism::external(None);
    assert_eq!(
        encode_initial_response(&client.initial_response().unwrap()),
        "="
    );
}

#[test]
fn plain_authzid_reaches_the_outcome() {
    let mut server = ServerMechanism::new(&Mechanism::Plain, ServerOptions::default()).unwrap();
    // RFC 4616 second example: the server refuses Kurt acting as Ursel.
    let mut client = ClientMechanism::plain(Some("Ursel"), "Kurt", Secret::new("xipj3plmq".into()));
    let ir = client.initial_response().unwrap();
    assert_eq!(ir, b"Ursel\0Kurt\0xipj3plmq");
    let ServerStep::Verify(Credentials::Password {
        authzid, authcid, ..
    }) = server.start(Some(&ir)).unwrap()
    else {
        panic!()
    };
    assert_eq!(
        (authzid.as_deref(), authcid.as_str()),
        (Some("Ursel"), "Kurt")
    );
    assert_eq!(
        server.verified(false),
        Ok(ServerStep::Failure(Failure::Rejected))
    );
    // And accepting it carries the authzid.
    let mut server = ServerMechanism::new(&Mechanism::Plain, ServerOptions::default()).unwrap();
    let _ = server.start(Some(&ir)).unwrap();
    let ServerStep::Success(outcome) = server.verified(true).unwrap() else {
        panic!()
    };
    assert_eq!(
        (outcome.authcid.as_deref(), outcome.authzid.as_deref()),
        (Some("Kurt"), Some("Ursel"))
    );
}

#[test]
fn rfc_4616_first_example_without_initial_response() {
    let mut server = ServerMechanism::new(&Mechanism::Plain, ServerOptions::default()).unwrap();
    assert_eq!(server.start(None), Ok(ServerStep::Challenge(Vec::new())));
    let mut client = ClientMechanism::plain(None, "tim", Secret::new("tanstaaftanstaaf".into()));
    let response = client.step(b"").unwrap();
    assert_eq!(response, b"\0tim\0tanstaaftanstaaf");
    assert_eq!(response.len(), 21);
    assert!(matches!(
        server.handle_response(&response),
        Ok(ServerStep::Verify(_))
    ));
    assert_eq!(client.step(b""), Err(SaslError::UnexpectedChallenge));
}

#[test]
fn rfc_2195_through_the_public_api() {
    let options = ServerOptions::default().with_hostname("postoffice.reston.mci.net");
    let mut server =
        ServerMechanism::with_nonce(&Mechanism::CramMd5, options, "1896.697170952".into()).unwrap();
    let ServerStep::Challenge(challenge) = server.start(None).unwrap() else {
        panic!()
    };
    assert_eq!(
        encode_challenge(&challenge),
        "PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+"
    );
    let mut client = ClientMechanism::cram_md5("tim", Secret::new("tanstaaftanstaaf".into()));
    let response = client.step(&challenge).unwrap();
    assert_eq!(
        encode_response(&response),
        "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw"
    );
    assert_eq!(
        server.handle_response(&response),
        Ok(ServerStep::LookupSecret {
            authcid: "tim".into()
        })
    );
    let step = server
        .shared_secret(Some(Secret::new("tanstaaftanstaaf".into())))
        .unwrap();
    assert_eq!(authcid(&step), Some("tim"));
    // Initial response is not allowed for CRAM-MD5.
    let mut server = ServerMechanism::new(&Mechanism::CramMd5, ServerOptions::default()).unwrap();
    assert!(matches!(
        server.start(Some(b"tim")),
        Err(SaslError::Malformed { .. })
    ));
}

#[test]
fn login_challenges() {
    let mut server = ServerMechanism::new(&Mechanism::Login, ServerOptions::default()).unwrap();
    let ServerStep::Challenge(c) = server.start(None).unwrap() else {
        panic!()
    };
    assert_eq!(encode_challenge(&c), "VXNlcm5hbWU6");
    let ServerStep::Challenge(c) = server.handle_response(b"tim").unwrap() else {
        panic!()
    };
    assert_eq!(encode_challenge(&c), "UGFzc3dvcmQ6");
    assert!(matches!(
        server.handle_response(b"pw"),
        Ok(ServerStep::Verify(_))
    ));
    // Initial response with the user name, as some clients send it.
    let mut server = ServerMechanism::new(&Mechanism::Login, ServerOptions::default()).unwrap();
    assert_eq!(
        server.start(Some(b"tim")),
        Ok(ServerStep::Challenge(b"Password:".to_vec()))
    );
}

#[test]
fn api_misuse_is_a_typed_error() {
    let mut server = ServerMechanism::new(&Mechanism::Plain, ServerOptions::default()).unwrap();
    assert!(matches!(
        server.handle_response(b"x"),
        Err(SaslError::OutOfOrder { .. })
    ));
    assert!(matches!(
        server.verified(true),
        Err(SaslError::OutOfOrder { .. })
    ));
    let _ = server.start(Some(b"\0tim\0pw")).unwrap();
    assert!(matches!(
        server.start(None),
        Err(SaslError::OutOfOrder { .. })
    ));
    assert!(matches!(
        server.handle_response(b"x"),
        Err(SaslError::OutOfOrder { .. })
    ));
    // The wrong kind of answer can be corrected.
    assert!(matches!(
        server.scram_keys(None),
        Err(SaslError::OutOfOrder { .. })
    ));
    assert!(matches!(server.verified(true), Ok(ServerStep::Success(_))));
    assert_eq!(
        server.handle_response(b"x"),
        Err(SaslError::UnexpectedResponse)
    );

    assert_eq!(
        ServerMechanism::new(&Mechanism::Other("GSSAPI".into()), ServerOptions::default())
            .unwrap_err(),
        SaslError::UnsupportedMechanism("GSSAPI".into())
    );
    assert_eq!(
        ServerMechanism::with_nonce(
            &Mechanism::ScramSha1,
            ServerOptions::default(),
            "a b".into()
        )
        .unwrap_err(),
        SaslError::InvalidNonce
    );
    let creds = ClientCredentials::External { authzid: None };
    assert!(matches!(
        ClientMechanism::new(&Mechanism::Plain, &creds),
        Err(SaslError::UnsupportedMechanism(_))
    ));
    let mut server =
        ServerMechanism::new(&Mechanism::ScramSha256, ServerOptions::default()).unwrap();
    let _ = server.start(Some(b"n,,n=user,r=abc")).unwrap();
    let short = ScramKeys {
        salt: b"salt".to_vec(),
        iterations: 4096,
        stored_key: Secret::new(vec![0; 20]),
        server_key: Secret::new(vec![0; 20]),
    };
    assert_eq!(
        server.scram_keys(Some(short)),
        Err(SaslError::InvalidScramKeys { expected: 32 })
    );
}

#[test]
fn response_size_is_limited() {
    let options = ServerOptions::default().with_max_response_len(64);
    let mut server = ServerMechanism::new(&Mechanism::Plain, options).unwrap();
    let long = [b'a'; 65];
    assert_eq!(
        server.start(Some(&long)),
        Err(SaslError::TooLong { len: 65, limit: 64 })
    );
    let mut server = ServerMechanism::new(
        &Mechanism::Login,
        ServerOptions::default().with_max_response_len(8),
    )
    .unwrap();
    let _ = server.start(None).unwrap();
    assert!(matches!(
        server.handle_response(b"123456789"),
        Err(SaslError::TooLong { .. })
    ));
    assert!(server.is_done());
}

#[test]
fn rfc_4013_saslprep_examples() {
    assert_eq!(saslprep("I\u{00AD}X", "t").as_deref(), Ok("IX"));
    assert_eq!(saslprep("user", "t").as_deref(), Ok("user"));
    assert_eq!(saslprep("USER", "t").as_deref(), Ok("USER"));
    assert_eq!(saslprep("\u{00AA}", "t").as_deref(), Ok("a"));
    assert_eq!(saslprep("\u{2168}", "t").as_deref(), Ok("IX"));
    assert_eq!(
        saslprep("\u{0007}", "t"),
        Err(SaslError::Saslprep { field: "t" })
    );
    assert_eq!(
        saslprep("\u{0627}\u{0031}", "t"),
        Err(SaslError::Saslprep { field: "t" })
    );
    assert_eq!(
        saslprep("\u{00AD}", "t"),
        Err(SaslError::Saslprep { field: "t" })
    );
    // SCRAM applies it to the password: "I\u{AD}X" and "\u{2168}" are the same password.
    let a = ScramKeys::derive(ScramHash::Sha256, "I\u{00AD}X", b"salt", 16).unwrap();
    let b = ScramKeys::derive(ScramHash::Sha256, "\u{2168}", b"salt", 16).unwrap();
    assert_eq!(a, b);
}

/// What a final step says, without SCRAM's nonce-dependent additional data.
fn verdict(step: Result<ServerStep, SaslError>) -> Result<Result<Outcome, Failure>, SaslError> {
    match step? {
        ServerStep::Success(outcome) => Ok(Ok(Outcome {
            additional_data: None,
            ..outcome
        })),
        ServerStep::Failure(why) => Ok(Err(why)),
        other => panic!("not a final step: {other:?}"),
    }
}

#[test]
fn one_answer_type_decides_like_the_per_kind_methods() {
    let password_mechanisms = [
        Mechanism::Plain,
        Mechanism::Login,
        Mechanism::CramMd5,
        Mechanism::ScramSha1,
        Mechanism::ScramSha256,
    ];
    let wrong_user = App {
        user: "someone-else",
        ..APP
    };
    let no_external = App {
        allow_external: false,
        ..APP
    };
    let mut cases = 0;
    for app in [&APP, &wrong_user, &no_external] {
        for success_data in [false, true] {
            let options = ServerOptions::default().with_success_data(success_data);
            for ir in [false, true] {
                let mut run = |client: &dyn Fn() -> ClientMechanism, mechanism: &Mechanism| {
                    let by_kind = drive_with(client(), mechanism, options.clone(), app, ir, false);
                    let by_request =
                        drive_with(client(), mechanism, options.clone(), app, ir, true);
                    assert_eq!(
                        verdict(by_kind),
                        verdict(by_request),
                        "{mechanism:?} ir={ir} success_data={success_data}"
                    );
                    cases += 1;
                };
                for mechanism in &password_mechanisms {
                    for password in [APP.password, "wrong"] {
                        run(&|| password_client(mechanism, password), mechanism);
                    }
                }
                for mechanism in [Mechanism::OAuthBearer, Mechanism::XOAuth2] {
                    for token in [APP.token, "wrong"] {
                        run(&|| token_client(&mechanism, token), &mechanism);
                    }
                }
                let external = ClientCredentials::External {
                    authzid: Some("tim".into()),
                };
                run(
                    &|| ClientMechanism::new(&Mechanism::External, &external).unwrap(),
                    &Mechanism::External,
                );
            }
        }
    }
    assert_eq!(cases, 3 * 2 * 2 * (5 * 2 + 2 * 2 + 1));
}

#[test]
fn auth_request_names_its_user_and_answers_of_the_wrong_kind_wait() {
    let mut server = ServerMechanism::new(&Mechanism::Plain, ServerOptions::default()).unwrap();
    let step = server.start(Some(b"admin\0tim\0hunter2-secret")).unwrap();
    let request = step.into_request().unwrap();
    assert_eq!(request.user(), Some("admin"));
    assert!(!format!("{request:?}").contains("hunter2"));
    // The wrong kind of answer is refused and the question stays open.
    for wrong in [AuthAnswer::Secret(None), AuthAnswer::ScramKeys(None)] {
        assert!(!format!("{wrong:?}").contains("hunter2"));
        assert!(matches!(
            server.answer(wrong),
            Err(SaslError::OutOfOrder { .. })
        ));
        assert!(!server.is_done());
    }
    let ServerStep::Success(outcome) = server.answer(AuthAnswer::Verified(true)).unwrap() else {
        panic!()
    };
    assert_eq!(outcome.authzid.as_deref(), Some("admin"));
    assert!(matches!(
        server.answer(AuthAnswer::Verified(true)),
        Err(SaslError::OutOfOrder { .. })
    ));

    let scram = AuthRequest::LookupScram {
        hash: ScramHash::Sha1,
        authcid: "tim".into(),
        authzid: None,
    };
    assert_eq!(scram.user(), Some("tim"));
    let secret = AuthRequest::LookupSecret {
        authcid: "tim".into(),
    };
    assert_eq!(secret.user(), Some("tim"));
    let token = AuthRequest::Verify(Credentials::Token {
        user: Some("tim".into()),
        token: Secret::new("tok-secret".into()),
        host: None,
        port: None,
    });
    assert_eq!(token.user(), None);
    assert!(!format!("{token:?}").contains("tok-secret"));
    let secret_answer = AuthAnswer::Secret(Some(Secret::new("hunter2-secret".into())));
    assert!(!format!("{secret_answer:?}").contains("hunter2"));
    // Steps that ask nothing come back as they are.
    let challenge = ServerStep::Challenge(b"x".to_vec());
    assert_eq!(challenge.clone().into_request(), Err(challenge));
}

#[test]
fn credentials_never_print() {
    let client = ClientMechanism::plain(None, "tim", Secret::new("hunter2-secret".into()));
    let mut server = ServerMechanism::new(&Mechanism::Plain, ServerOptions::default()).unwrap();
    let step = server.start(Some(b"\0tim\0hunter2-secret")).unwrap();
    let keys = ScramKeys::derive(ScramHash::Sha1, "hunter2-secret", b"s", 1).unwrap();
    let printed = format!("{client:?} {server:?} {step:?} {keys:?}");
    assert!(!printed.contains("hunter2"), "{printed}");
    let token = token_client(&Mechanism::OAuthBearer, "tok-secret");
    assert!(!format!("{token:?}").contains("tok-secret"));
    let scram = password_client(&Mechanism::ScramSha1, "hunter2-secret");
    assert!(!format!("{scram:?}").contains("hunter2"));
}

#[test]
fn error_messages_are_lowercase_without_period() {
    let errors = [
        SaslError::TooLong { len: 1, limit: 0 },
        SaslError::InvalidBase64,
        SaslError::Malformed {
            mechanism: "PLAIN",
            expected: "two NUL separators",
        },
        SaslError::NonceMismatch,
        SaslError::ServerSignatureMismatch,
        SaslError::ChannelBindingNotSupported,
        SaslError::OutOfOrder { expected: "x" },
    ];
    assert!(SaslError::NonceMismatch.is_remote());
    assert!(!SaslError::OutOfOrder { expected: "x" }.is_remote());
    for e in errors {
        let text = e.to_string();
        assert!(text.starts_with(|c: char| c.is_ascii_lowercase()), "{text}");
        assert!(!text.ends_with('.'), "{text}");
    }
}

#[test]
fn select_then_build_from_a_capability_line() {
    // SMTP "250-AUTH PLAIN LOGIN CRAM-MD5 XOAUTH2" before STARTTLS.
    let offered: Vec<Mechanism> = b"PLAIN LOGIN CRAM-MD5 XOAUTH2"
        .split(|&b| b == b' ')
        .filter_map(|name| Mechanism::from_bytes(name).ok())
        .collect();
    let credentials = ClientCredentials::Password {
        authzid: None,
        username: "tim".into(),
        password: Secret::new("tanstaaftanstaaf".into()),
    };
    let picked = select_mechanism(&offered, &[credentials.kind()], false).unwrap();
    assert_eq!(picked, Mechanism::CramMd5);
    let client = ClientMechanism::new(&picked, &credentials).unwrap();
    assert_eq!(client.mechanism(), Mechanism::CramMd5);
    let done = drive(client, &picked, ServerOptions::default(), &APP, true).unwrap();
    assert_eq!(authcid(&done), Some("tim"));
}

const ALL: [Mechanism; 8] = [
    Mechanism::Plain,
    Mechanism::Login,
    Mechanism::XOAuth2,
    Mechanism::OAuthBearer,
    Mechanism::CramMd5,
    Mechanism::ScramSha1,
    Mechanism::ScramSha256,
    Mechanism::External,
];

proptest! {
    #[test]
    fn arbitrary_client_input_never_panics(
        which in 0usize..ALL.len(),
        initial in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..200)),
        responses in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..200), 0..4),
        answers in proptest::collection::vec(any::<bool>(), 4),
    ) {
        let mechanism = &ALL[which];
        let mut server = ServerMechanism::with_nonce(mechanism, ServerOptions::default(), "srv".into()).unwrap();
        let mut step = server.start(initial.as_deref());
        let keys = ScramKeys::derive(ScramHash::Sha256, "pw", b"salt", 2).unwrap();
        let keys1 = ScramKeys::derive(ScramHash::Sha1, "pw", b"salt", 2).unwrap();
        let mut answers = answers.into_iter().cycle();
        let mut responses = responses.into_iter();
        for _ in 0..8 {
            step = match step {
                Ok(ServerStep::Challenge(_)) => match responses.next() {
                    Some(r) => server.handle_response(&r),
                    None => break,
                },
                Ok(ServerStep::Verify(_)) => server.verified(answers.next().unwrap_or(false)),
                Ok(ServerStep::LookupSecret { .. }) => server.shared_secret(Some(Secret::new("pw".into()))),
                Ok(ServerStep::LookupScram { hash, .. }) => server.scram_keys(
                    answers.next().unwrap_or(false).then(|| if hash == ScramHash::Sha1 { keys1.clone() } else { keys.clone() })),
                _ => break,
            };
        }
    }

    #[test]
    fn scram_server_survives_mutated_client_messages(flip in 0usize..200, bit in 0u8..8) {
        // Take real client messages and flip one bit: the server must answer with an error
        // or a failure, never panic, never succeed.
        let password = Secret::new("pencil".to_owned());
        let mut client = ClientMechanism::scram_with_nonce(ScramHash::Sha1, None, "user", password, "cn".into()).unwrap();
        let mut server = ServerMechanism::with_nonce(&Mechanism::ScramSha1, ServerOptions::default(), "sn".into()).unwrap();
        let first = client.initial_response().unwrap();
        let _ = server.start(Some(&first)).unwrap();
        let keys = ScramKeys::derive(ScramHash::Sha1, "pencil", b"salt", 2).unwrap();
        let ServerStep::Challenge(sf) = server.scram_keys(Some(keys)).unwrap() else { panic!() };
        let mut fin = client.step(&sf).unwrap();
        let at = flip % fin.len();
        if let Some(b) = fin.get_mut(at) { *b ^= 1 << bit; }
        let step = server.handle_response(&fin);
        prop_assert!(!matches!(step, Ok(ServerStep::Challenge(_)) | Ok(ServerStep::Success(_))), "{step:?}");
    }

    #[test]
    fn arbitrary_challenges_never_panic_clients(
        which in 0usize..ALL.len(),
        challenges in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..120), 0..4),
    ) {
        let mechanism = &ALL[which];
        let mut client = match mechanism {
            Mechanism::XOAuth2 | Mechanism::OAuthBearer => token_client(mechanism, "tok"),
            Mechanism::External => ClientMechanism::external(None),
            m => password_client(m, "pw").with_max_iterations(16),
        };
        let _ = client.initial_response();
        for c in &challenges {
            let _ = client.step(c);
        }
        let _ = client.success(None);
    }
}

//! A client session and a server session talking in memory, and client-only checks.

use mail_wire::sasl::{ClientCredentials, Credentials, Mechanism, ScramHash, ScramKeys};
use mail_wire::Secret;
use smtp_proto::codec::reply::Reply;
use smtp_proto::session::client::{
    ClientConfig, ClientEvent, ClientSession, Delivery, Envelope, TlsPolicy,
};
use smtp_proto::session::server::{
    AuthAnswer, AuthRequest, ServerConfig, ServerEvent, ServerSession,
};
use smtp_proto::types::{Domain, ForwardPath, Mailbox, ReversePath};
use smtp_proto::{Error, LocalError, RemoteError};

struct Outcome {
    deliveries: Vec<Delivery>,
    stored: Vec<Vec<u8>>,
    errors: Vec<Error>,
    authenticated: bool,
    tls: bool,
}

fn mbox(s: &str) -> Mailbox<'static> {
    Mailbox::parse(s).unwrap()
}

fn env(from: &str, to: &[&str]) -> Envelope {
    Envelope::new(
        ReversePath::Mailbox(mbox(from)),
        to.iter().map(|t| ForwardPath::Mailbox(mbox(t))).collect(),
    )
}

/// Runs both sessions until the client has sent every message and quit. The server refuses
/// recipients whose local part starts with "bad"; the user "ann" has password "pw".
fn pair(
    server: ServerConfig,
    client: ClientConfig,
    mut mails: Vec<(Envelope, Vec<u8>)>,
) -> Outcome {
    let mut s = ServerSession::new(server);
    let mut c = ClientSession::new(client);
    mails.reverse();
    let mut out = Outcome {
        deliveries: Vec::new(),
        stored: Vec::new(),
        errors: Vec::new(),
        authenticated: false,
        tls: false,
    };
    let mut current = Vec::new();
    let keys = ScramKeys::derive(ScramHash::Sha256, "pw", b"salt", 4096).unwrap();
    for _ in 0..200 {
        let mut wire = Vec::new();
        s.poll_transmit(&mut wire);
        c.handle_input(&wire);
        while let Some(e) = c.poll_event() {
            match e {
                ClientEvent::Ready(_) => match mails.pop() {
                    Some((envelope, body)) => {
                        if let Err(e) = c.send_mail(envelope, &body) {
                            out.errors.push(e);
                            c.quit().unwrap();
                        }
                    }
                    None => c.quit().unwrap(),
                },
                ClientEvent::Delivered(d) => {
                    out.deliveries.push(d);
                    match mails.pop() {
                        Some((envelope, body)) => c.send_mail(envelope, &body).unwrap(),
                        None => c.quit().unwrap(),
                    }
                }
                ClientEvent::StartTls => c.tls_established().unwrap(),
                ClientEvent::Authenticated => out.authenticated = true,
                ClientEvent::Error(e) => out.errors.push(e),
                ClientEvent::Closed => {
                    out.tls = c.is_tls();
                    return out;
                }
                other => panic!("unexpected {other:?}"),
            }
        }
        if c.is_closed() {
            return out;
        }
        let mut wire = Vec::new();
        c.poll_transmit(&mut wire);
        s.handle_input(&wire);
        while let Some(e) = s.poll_event() {
            match e {
                ServerEvent::MailFrom { .. } | ServerEvent::MessageEnd => {
                    if matches!(e, ServerEvent::MessageEnd) {
                        out.stored.push(std::mem::take(&mut current));
                    }
                    s.accept().unwrap()
                }
                ServerEvent::RcptTo { to, .. } => {
                    if to
                        .mailbox()
                        .is_some_and(|m| m.local_part().starts_with("bad"))
                    {
                        s.reject(Reply::new(550, None, "no such user").unwrap())
                            .unwrap()
                    } else {
                        s.accept().unwrap()
                    }
                }
                ServerEvent::MessageData(d) => current.extend_from_slice(&d),
                ServerEvent::StartTls { discarded } => {
                    assert!(discarded.is_empty());
                    // The handshake would run here; the server's 220 is already queued.
                    let mut wire = Vec::new();
                    s.poll_transmit(&mut wire);
                    c.handle_input(&wire);
                    s.tls_established().unwrap();
                }
                ServerEvent::Auth(AuthRequest::Verify(Credentials::Password {
                    authcid,
                    password,
                    ..
                })) => s
                    .auth_answer(AuthAnswer::Verified(
                        authcid == "ann" && password.expose() == "pw",
                    ))
                    .unwrap(),
                ServerEvent::Auth(AuthRequest::LookupScram { authcid, .. }) => s
                    .auth_answer(AuthAnswer::ScramKeys(
                        (authcid == "ann").then(|| keys.clone()),
                    ))
                    .unwrap(),
                _ => {}
            }
        }
    }
    panic!("the sessions did not finish");
}

fn server() -> ServerConfig {
    ServerConfig::new(Domain::new("mx.example.org").unwrap())
}

fn client() -> ClientConfig {
    ClientConfig::new(Domain::new("client.example").unwrap())
}

const MSG: &[u8] = b"Subject: test\r\n\r\n.starts with a dot\r\n..two\r\nend\r\n";

#[test]
fn plain_pipelined_two_messages() {
    let o = pair(
        server(),
        client(),
        vec![
            (
                env(
                    "a@client.example",
                    &["b@mx.example.org", "bad@mx.example.org"],
                ),
                MSG.to_vec(),
            ),
            (
                env("a@client.example", &["c@mx.example.org"]),
                b"second\n".to_vec(),
            ),
        ],
    );
    assert!(o.errors.is_empty(), "{:?}", o.errors);
    assert_eq!(o.stored, [MSG.to_vec(), b"second\r\n".to_vec()]);
    assert_eq!(o.deliveries.len(), 2);
    let d = &o.deliveries[0];
    assert!(d.is_success());
    assert_eq!(
        d.recipients[1].1.as_ref().map(|r| r.code().get()),
        Some(550)
    );
    assert_eq!(
        d.recipients[0].1.as_ref().map(|r| r.code().get()),
        Some(250)
    );
}

#[test]
fn without_pipelining_and_with_bdat() {
    let mut s = server();
    s.pipelining = false;
    let o = pair(
        s,
        client(),
        vec![(env("a@c.example", &["bad@x.org", "b@x.org"]), MSG.to_vec())],
    );
    assert_eq!(o.stored, [MSG.to_vec()]);
    let mut c = client();
    c.chunking = true;
    let o = pair(
        server(),
        c,
        vec![(env("a@c.example", &["b@x.org"]), MSG.to_vec())],
    );
    assert_eq!(o.stored, [MSG.to_vec()]);
    assert!(o.deliveries[0].is_success());
}

#[test]
fn all_recipients_refused() {
    let o = pair(
        server(),
        client(),
        vec![(
            env("a@c.example", &["bad1@x.org", "bad2@x.org"]),
            MSG.to_vec(),
        )],
    );
    assert!(o.stored.is_empty());
    assert!(!o.deliveries[0].is_success());
    assert_eq!(
        o.deliveries[0].message.as_ref().map(|r| r.code().get()),
        Some(554)
    );
    let mut s = server();
    s.pipelining = false;
    let o = pair(
        s,
        client(),
        vec![(env("a@c.example", &["bad1@x.org"]), MSG.to_vec())],
    );
    assert!(!o.deliveries[0].is_success());
    assert!(o.stored.is_empty());
}

#[test]
fn starttls_then_scram_auth() {
    let mut s = server();
    s.starttls = true;
    s.auth_mechanisms = vec![Mechanism::Plain, Mechanism::ScramSha256];
    let mut c = client();
    c.tls = TlsPolicy::Required;
    c.credentials = Some(ClientCredentials::Password {
        authzid: None,
        username: "ann".into(),
        password: Secret::new("pw".into()),
    });
    let o = pair(
        s,
        c,
        vec![(env("ann@mx.example.org", &["b@x.org"]), MSG.to_vec())],
    );
    assert!(o.errors.is_empty(), "{:?}", o.errors);
    assert!(o.tls && o.authenticated);
    assert_eq!(o.stored.len(), 1);
}

#[test]
fn plain_auth_on_trusted_link_and_wrong_password() {
    let mut s = server();
    s.auth_mechanisms = vec![Mechanism::Plain, Mechanism::Login];
    s.auth_requires_tls = false;
    let mut c = client();
    c.allow_plaintext_auth = true;
    c.credentials = Some(ClientCredentials::Password {
        authzid: None,
        username: "ann".into(),
        password: Secret::new("pw".into()),
    });
    let o = pair(
        s.clone(),
        c.clone(),
        vec![(env("ann@x.org", &["b@x.org"]), MSG.to_vec())],
    );
    assert!(o.authenticated && o.stored.len() == 1, "{:?}", o.errors);
    c.credentials = Some(ClientCredentials::Password {
        authzid: None,
        username: "ann".into(),
        password: Secret::new("nope".into()),
    });
    let o = pair(s.clone(), c.clone(), vec![]);
    assert!(
        matches!(
            &o.errors[..],
            [Error::Remote(RemoteError::UnexpectedReply {
                command: "AUTH",
                ..
            })]
        ),
        "{:?}",
        o.errors
    );
    // Without TLS and without the trusted-link flag the client will not send a password.
    c.allow_plaintext_auth = false;
    let o = pair(s, c, vec![]);
    assert!(
        matches!(&o.errors[..], [Error::Local(LocalError::NoMechanism)]),
        "{:?}",
        o.errors
    );
}

#[test]
fn eight_bit_and_smtputf8_negotiation() {
    let body = "Subject: Grüße\r\n\r\nÄ\r\n".as_bytes().to_vec();
    let o = pair(
        server(),
        client(),
        vec![(env("a@c.example", &["b@x.org"]), body.clone())],
    );
    assert_eq!(o.stored, std::slice::from_ref(&body));
    let mut s = server();
    s.eight_bit_mime = false;
    s.chunking = false;
    let o = pair(
        s,
        client(),
        vec![(env("a@c.example", &["b@x.org"]), body.clone())],
    );
    assert!(
        matches!(
            &o.errors[..],
            [Error::Local(LocalError::EightBitUnsupported(11))]
        ),
        "{:?}",
        o.errors
    );
    let o = pair(
        server(),
        client(),
        vec![(
            env("a@c.example", &["jörg@bücher.example"]),
            b"hi\r\n".to_vec(),
        )],
    );
    assert_eq!(o.stored.len(), 1, "{:?}", o.errors);
    let mut s = server();
    s.smtputf8 = false;
    let o = pair(
        s,
        client(),
        vec![(env("a@c.example", &["jörg@x.org"]), b"hi\r\n".to_vec())],
    );
    assert!(
        matches!(
            &o.errors[..],
            [Error::Local(LocalError::SmtpUtf8Unsupported(_))]
        ),
        "{:?}",
        o.errors
    );
}

#[test]
fn lmtp_pair() {
    let mut s = server();
    s.lmtp = true;
    let mut c = client();
    c.lmtp = true;
    let o = pair(
        s,
        c,
        vec![(
            env("a@c.example", &["x@y.z", "bad@y.z", "w@y.z"]),
            MSG.to_vec(),
        )],
    );
    assert!(o.errors.is_empty(), "{:?}", o.errors);
    let codes: Vec<_> = o.deliveries[0]
        .recipients
        .iter()
        .map(|(_, r)| r.as_ref().map(|r| r.code().get()))
        .collect();
    assert_eq!(codes, [Some(250), Some(550), Some(250)]);
}

#[test]
fn client_refuses_bytes_after_starttls_reply() {
    let mut c = client();
    c.tls = TlsPolicy::Required;
    let mut c = ClientSession::new(c);
    c.handle_input(b"220 mx\r\n250-mx\r\n250 STARTTLS\r\n");
    let mut out = Vec::new();
    c.poll_transmit(&mut out);
    assert!(out.ends_with(b"STARTTLS\r\n"));
    // A man in the middle appends a forged reply to the 220 in the same packet.
    c.handle_input(b"220 go ahead\r\n250 forged\r\n");
    let e = c.poll_event();
    assert!(
        matches!(
            e,
            Some(ClientEvent::Error(Error::Remote(
                RemoteError::BytesAfterStartTls { count: 12 }
            )))
        ),
        "{e:?}"
    );
    assert!(c.is_closed());
    // Bytes arriving after the 220 but before the handshake are refused the same way.
    let mut c = ClientSession::new(client());
    c.handle_input(b"220 mx\r\n250-mx\r\n250 STARTTLS\r\n220 go\r\n");
    assert_eq!(c.poll_event(), Some(ClientEvent::StartTls));
    c.handle_input(b"250 x\r\n");
    assert!(matches!(c.poll_event(), Some(ClientEvent::Error(_))));
}

#[test]
fn client_falls_back_to_helo_and_needs_starttls_when_required() {
    let mut c = ClientSession::new(client());
    let mut out = Vec::new();
    c.handle_input(b"220 old\r\n502 what\r\n250 old\r\n");
    c.poll_transmit(&mut out);
    assert_eq!(out, b"EHLO client.example\r\nHELO client.example\r\n");
    assert!(matches!(c.poll_event(), Some(ClientEvent::Ready(_))));
    let mut cfg = client();
    cfg.tls = TlsPolicy::Required;
    let mut c = ClientSession::new(cfg);
    c.handle_input(b"220 mx\r\n250 mx\r\n");
    assert!(matches!(
        c.poll_event(),
        Some(ClientEvent::Error(Error::Local(LocalError::NoStartTls)))
    ));
    let mut c = ClientSession::new(client());
    c.handle_input(b"554 go away\r\n");
    assert!(matches!(c.poll_event(), Some(ClientEvent::Error(_))));
}

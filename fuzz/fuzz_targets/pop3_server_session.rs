//! The POP3 server session fed arbitrary bytes in arbitrary chunks, with an application that
//! answers every event (logins succeed for one user, the maildrop has three messages, STLS
//! completes). Never a panic, never an answer method refused for a pending event.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pop3_proto::session::server::{
    AuthAnswer, AuthRequest, Credentials, MessageInfo, Secret, Server, ServerConfig, ServerEvent,
};
use pop3_proto::UniqueId;

const MESSAGES: [&[u8]; 3] = [b"Subject: a\r\n\r\n.x\r\n", b"", b"A: b\n\nline\n.\n"];

fuzz_target!(|data: &[u8]| {
    let Some((&split, input)) = data.split_first() else {
        return;
    };
    let mut config = ServerConfig::default();
    config.tls_available = split & 1 == 1;
    let mut server = Server::new(config, Some("<1.2@fuzz>".into()));
    let step = usize::from(split >> 1).max(1);
    let mut out = Vec::new();
    for chunk in input.chunks(step) {
        server.handle_input(chunk);
        while let Some(event) = server.poll_event() {
            match event {
                ServerEvent::Auth(request) => {
                    let answer = match request {
                        AuthRequest::Verify(Credentials::Password {
                            authcid, password, ..
                        }) => AuthAnswer::Verified(authcid == "u" && password.expose() == "p"),
                        AuthRequest::Verify(_) => AuthAnswer::Verified(false),
                        AuthRequest::LookupSecret { .. } => {
                            AuthAnswer::Secret(Some(Secret::new("p".into())))
                        }
                        _ => AuthAnswer::ScramKeys(None),
                    };
                    server.auth_answer(answer).unwrap();
                }
                ServerEvent::OpenMaildrop { .. } => server
                    .maildrop_opened(
                        MESSAGES
                            .iter()
                            .enumerate()
                            .map(|(i, m)| MessageInfo {
                                size: m.len() as u64,
                                uid: UniqueId::new(format!("m{i}")).unwrap(),
                            })
                            .collect(),
                    )
                    .unwrap(),
                ServerEvent::Retrieve { index, .. } => {
                    for piece in MESSAGES[index].chunks(3) {
                        if !server.message_data(piece).unwrap() {
                            break;
                        }
                    }
                    server.message_end().unwrap();
                }
                ServerEvent::Update { .. } => server.update_done(true).unwrap(),
                ServerEvent::StartTls => server.tls_established().unwrap(),
                _ => {}
            }
        }
        server.poll_transmit(&mut out);
    }
    server.handle_eof();
    while server.poll_event().is_some() {}
});

//! Every SASL server mechanism against arbitrary client messages: never a panic, whatever
//! the messages and the application's answers.
//!
//! Input: byte 0 picks the mechanism (modulo 8; bit 3: answer through `AuthRequest` and
//! `ServerMechanism::answer` rather than the per-kind methods; bit 4: offer an answer of the
//! wrong kind first, which must be refused and leave the question open), byte 1 holds the application's answers
//! (bit 0: send an initial response; bits 1..: verify verdicts), then client messages, each
//! a length byte followed by that many bytes. With bit 7 of byte 1 set, messages go through
//! the base64 line framing first, as a protocol crate would feed them.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mail_wire::sasl::{
    decode_client_response, AuthAnswer, AuthRequest, ClientResponse, Mechanism, SaslError,
    ScramKeys, ServerMechanism, ServerOptions, ServerStep,
};
use mail_wire::Secret;

const MECHANISMS: [Mechanism; 8] = [
    Mechanism::Plain,
    Mechanism::Login,
    Mechanism::XOAuth2,
    Mechanism::OAuthBearer,
    Mechanism::CramMd5,
    Mechanism::ScramSha1,
    Mechanism::ScramSha256,
    Mechanism::External,
];

fuzz_target!(|data: &[u8]| {
    let [which, flags, rest @ ..] = data else {
        return;
    };
    let mechanism = &MECHANISMS[usize::from(*which) % MECHANISMS.len()];
    let options = ServerOptions::default().with_max_response_len(1024);
    let Ok(mut server) = ServerMechanism::with_nonce(mechanism, options, "srv".into()) else {
        return;
    };
    let framed = flags & 0x80 != 0;
    let via_requests = which & 0x08 != 0;
    let wrong_first = which & 0x10 != 0;
    let mut verdicts = (1..7).map(|bit| flags & (1 << bit) != 0).cycle();

    let mut messages = Vec::new();
    let mut rest = rest;
    while let [len, tail @ ..] = rest {
        let len = usize::from(*len).min(tail.len());
        let (message, tail) = tail.split_at(len);
        messages.push(message);
        rest = tail;
    }
    let mut messages = messages.into_iter();

    let initial = if flags & 1 != 0 {
        messages.next()
    } else {
        None
    };
    let mut step = server.start(initial);
    for _ in 0..16 {
        if via_requests {
            step = match step.map(ServerStep::into_request) {
                Ok(Ok(request)) => {
                    let (answer, wrong) = match request {
                        AuthRequest::Verify(_) => (
                            AuthAnswer::Verified(verdicts.next().unwrap_or(false)),
                            AuthAnswer::Secret(None),
                        ),
                        AuthRequest::LookupSecret { .. } => (
                            AuthAnswer::Secret(Some(Secret::new("pencil".into()))),
                            AuthAnswer::ScramKeys(None),
                        ),
                        AuthRequest::LookupScram { hash, .. } => {
                            let keys = ScramKeys::derive(hash, "pencil", b"salt", 1).ok();
                            let keys = keys.filter(|_| verdicts.next().unwrap_or(false));
                            (AuthAnswer::ScramKeys(keys), AuthAnswer::Verified(true))
                        }
                        _ => return,
                    };
                    if wrong_first {
                        assert!(matches!(
                            server.answer(wrong),
                            Err(SaslError::OutOfOrder { .. })
                        ));
                        assert!(!server.is_done());
                    }
                    server.answer(answer)
                }
                Ok(Err(step)) => Ok(step),
                Err(e) => Err(e),
            };
            if matches!(
                step,
                Ok(ServerStep::Verify(_)
                    | ServerStep::LookupSecret { .. }
                    | ServerStep::LookupScram { .. })
            ) {
                continue;
            }
        }
        step = match step {
            Ok(ServerStep::Challenge(_)) => {
                let Some(message) = messages.next() else {
                    return;
                };
                if framed {
                    match decode_client_response(message, 1024) {
                        Ok(ClientResponse::Response(r)) => server.handle_response(&r),
                        Ok(ClientResponse::Cancel) | Err(_) => return,
                    }
                } else {
                    server.handle_response(message)
                }
            }
            Ok(ServerStep::Verify(_)) => server.verified(verdicts.next().unwrap_or(false)),
            Ok(ServerStep::LookupSecret { .. }) => {
                server.shared_secret(Some(Secret::new("pencil".into())))
            }
            Ok(ServerStep::LookupScram { hash, .. }) => {
                let keys = ScramKeys::derive(hash, "pencil", b"salt", 1).ok();
                let keys = keys.filter(|_| verdicts.next().unwrap_or(false));
                server.scram_keys(keys)
            }
            // Success, Failure or a typed error: the exchange is over.
            _ => return,
        };
        let _ = server.is_done();
    }
});

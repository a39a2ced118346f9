//! Every SASL server mechanism against arbitrary client messages: never a panic, whatever
//! the messages and the application's answers.
//!
//! Input: byte 0 picks the mechanism (modulo 8), byte 1 holds the application's answers
//! (bit 0: send an initial response; bits 1..: verify verdicts), then client messages, each
//! a length byte followed by that many bytes. With bit 7 of byte 1 set, messages go through
//! the base64 line framing first, as a protocol crate would feed them.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mail_wire::sasl::{
    decode_client_response, ClientResponse, Mechanism, ScramKeys, ServerMechanism, ServerOptions,
    ServerStep,
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

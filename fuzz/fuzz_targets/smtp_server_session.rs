//! SMTP server session fed arbitrary input in arbitrary chunks, with every configuration
//! switch and decisions taken from the input: never panics, never answers after closing,
//! never passes on more message bytes than the wire carried.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mail_wire::sasl::Mechanism;
use mail_wire::{LineEnding, Secret};
use smtp_proto::codec::reply::Reply;
use smtp_proto::session::server::{
    AuthAnswer, AuthRequest, ServerConfig, ServerEvent, ServerSession,
};
use smtp_proto::types::Domain;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let Some((&chunk, input)) = rest.split_first() else {
        return;
    };
    let Ok(domain) = Domain::new("mx.example") else {
        return;
    };
    let mut config = ServerConfig::new(domain);
    config.lmtp = flags & 1 != 0;
    config.line_ending = match flags >> 1 & 3 {
        0 => LineEnding::Reject,
        1 => LineEnding::Normalize,
        _ => LineEnding::Allow,
    };
    config.starttls = flags & 8 != 0;
    config.pipelining = flags & 16 != 0;
    config.max_message_size = 64;
    config.max_recipients = 3;
    if flags & 32 != 0 {
        config.auth_mechanisms = vec![Mechanism::Plain, Mechanism::Login, Mechanism::CramMd5];
        config.auth_requires_tls = false;
    }
    let refuse = flags & 64 != 0;
    let mut s = ServerSession::new(config);
    let mut out = Vec::new();
    let mut passed = 0usize;
    let mut closed = false;
    for piece in input.chunks(usize::from(chunk).max(1)) {
        s.handle_input(piece);
        while let Some(e) = s.poll_event() {
            match e {
                ServerEvent::MailFrom { .. }
                | ServerEvent::RcptTo { .. }
                | ServerEvent::MessageEnd => {
                    let r = if refuse {
                        s.reject(Reply::new(550, None, "no").unwrap())
                    } else {
                        s.accept()
                    };
                    assert!(r.is_ok());
                }
                ServerEvent::MessageData(d) => passed += d.len(),
                ServerEvent::Auth(request) => {
                    let answer = match request {
                        AuthRequest::Verify(_) => AuthAnswer::Verified(!refuse),
                        AuthRequest::LookupSecret { .. } => {
                            AuthAnswer::Secret(Some(Secret::new("pw".into())))
                        }
                        _ => AuthAnswer::ScramKeys(None),
                    };
                    assert!(s.auth_answer(answer).is_ok());
                }
                ServerEvent::StartTls { .. } => {
                    let _ = s.tls_established();
                }
                ServerEvent::Closed(_) => closed = true,
                _ => {}
            }
        }
        s.poll_transmit(&mut out);
        if closed {
            // Nothing more after the close.
            assert!(s.is_closed());
            s.handle_input(b"NOOP\r\n");
            let mut more = Vec::new();
            assert_eq!(s.poll_transmit(&mut more), 0);
        }
    }
    assert!(passed <= input.len());
});

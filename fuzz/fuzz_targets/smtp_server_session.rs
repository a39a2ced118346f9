//! SMTP server session fed arbitrary input in arbitrary chunks, with every configuration
//! switch and decisions taken from the input: never panics, never answers after closing,
//! never passes on more message bytes than the wire carried; and handing DATA bodies to a sink
//! (`handle_input_with`) answers the same and passes on the same bytes as events alone.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mail_wire::sasl::Mechanism;
use mail_wire::{LineEnding, Secret};
use smtp_proto::codec::ehlo::Capability;
use smtp_proto::codec::reply::Reply;
use smtp_proto::session::server::{
    AuthAnswer, AuthRequest, ServerConfig, ServerEvent, ServerSession,
};
use smtp_proto::types::{Domain, Keyword, ParamValue};

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
    if chunk & 0x80 != 0 {
        config.extensions = vec![
            Capability::RequireTls,
            Capability::Rrvs,
            Capability::DeliverBy(Some(60)),
        ];
        if let (Ok(k), Ok(d)) = (
            Keyword::new("MIXER"),
            ParamValue::new("2030-01-01T00:00:00Z"),
        ) {
            config.extensions.push(Capability::MtPriority(Some(k)));
            config.extensions.push(Capability::FutureRelease {
                max_interval: 3600,
                max_datetime: d,
            });
        }
    }
    let refuse = flags & 64 != 0;
    let chunk = usize::from(chunk & 0x7f).max(1);
    let events = run(&config, input, chunk, refuse, false);
    let sink = run(&config, input, chunk, refuse, true);
    assert_eq!(events, sink);
});

/// Drives one session; returns what it transmitted and the message bytes it passed on.
fn run(
    config: &ServerConfig,
    input: &[u8],
    chunk: usize,
    refuse: bool,
    use_sink: bool,
) -> (Vec<u8>, Vec<u8>) {
    let mut s = ServerSession::new(config.clone());
    let mut out = Vec::new();
    let mut body = Vec::new();
    let mut closed = false;
    for piece in input.chunks(chunk) {
        if use_sink {
            s.handle_input_with(piece, |p| body.extend_from_slice(p));
        } else {
            s.handle_input(piece);
        }
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
                ServerEvent::MessageData(d) => body.extend_from_slice(&d),
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
    assert!(body.len() <= input.len());
    (out, body)
}

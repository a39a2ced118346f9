//! SMTP client session fed arbitrary server bytes in arbitrary chunks: never panics, and
//! streaming the message (`start_mail`, `send_body` in pieces, `end_body`) puts the same bytes
//! on the wire as handing it over whole (`send_mail`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mail_wire::sasl::ClientCredentials;
use mail_wire::Secret;
use smtp_proto::session::client::{
    ClientConfig, ClientEvent, ClientSession, Envelope, MessageInfo,
};
use smtp_proto::types::{Domain, ForwardPath, Mailbox, ReversePath};

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let Some((&chunk, input)) = rest.split_first() else {
        return;
    };
    let Ok(domain) = Domain::new("client.example") else {
        return;
    };
    let mut config = ClientConfig::new(domain);
    config.lmtp = flags & 1 != 0;
    config.chunking = flags & 2 != 0;
    config.pipelining = flags & 4 != 0;
    config.allow_plaintext_auth = true;
    if flags & 8 != 0 {
        config.credentials = Some(ClientCredentials::Password {
            authzid: None,
            username: "u".into(),
            password: Secret::new("p".into()),
        });
    }
    let chunk = usize::from(chunk).max(1);
    let whole = run(&config, input, chunk, false);
    let streamed = run(&config, input, chunk, true);
    assert_eq!(whole, streamed);
});

const MESSAGE: &[u8] = b"Subject: x\r\n\r\n.body\r\n";

/// Drives one session; returns what it transmitted.
fn run(config: &ClientConfig, input: &[u8], chunk: usize, stream: bool) -> Vec<u8> {
    let mut c = ClientSession::new(config.clone());
    let (Ok(from), Ok(to)) = (Mailbox::parse("a@b.example"), Mailbox::parse("c@d.example")) else {
        return Vec::new();
    };
    let mut sent = false;
    let mut out = Vec::new();
    for piece in input.chunks(chunk) {
        c.handle_input(piece);
        while let Some(e) = c.poll_event() {
            match e {
                ClientEvent::Ready(_) if !sent => {
                    sent = true;
                    let env = Envelope::new(
                        ReversePath::Mailbox(from.clone()),
                        vec![ForwardPath::Mailbox(to.clone()), ForwardPath::Postmaster],
                    );
                    let _ = if stream {
                        let info = MessageInfo::new(Some(MESSAGE.len() as u64), false);
                        c.start_mail(env, info)
                    } else {
                        c.send_mail(env, MESSAGE)
                    };
                }
                ClientEvent::BodyWanted => {
                    // Over BDAT every piece is a chunk on the wire: one piece, as send_mail
                    // sends; over DATA the split must not show.
                    let split = if config.chunking { MESSAGE.len() } else { 5 };
                    for part in MESSAGE.chunks(split) {
                        assert!(c.send_body(part).is_ok());
                    }
                    assert!(c.end_body().is_ok());
                }
                ClientEvent::Delivered(_) => {
                    let _ = c.quit();
                }
                ClientEvent::StartTls => {
                    let _ = c.tls_established();
                }
                _ => {}
            }
        }
        c.poll_transmit(&mut out);
    }
    c.handle_eof();
    while c.poll_event().is_some() {}
    out
}

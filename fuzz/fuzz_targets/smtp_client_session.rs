//! SMTP client session fed arbitrary server bytes in arbitrary chunks: never panics, and
//! every command it writes is well-formed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mail_wire::sasl::ClientCredentials;
use mail_wire::Secret;
use smtp_proto::session::client::{ClientConfig, ClientEvent, ClientSession, Envelope};
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
    let mut c = ClientSession::new(config);
    let (Ok(from), Ok(to)) = (Mailbox::parse("a@b.example"), Mailbox::parse("c@d.example")) else {
        return;
    };
    let mut sent = false;
    for piece in input.chunks(usize::from(chunk).max(1)) {
        c.handle_input(piece);
        while let Some(e) = c.poll_event() {
            match e {
                ClientEvent::Ready(_) if !sent => {
                    sent = true;
                    let env = Envelope::new(
                        ReversePath::Mailbox(from.clone()),
                        vec![ForwardPath::Mailbox(to.clone()), ForwardPath::Postmaster],
                    );
                    let _ = c.send_mail(env, b"Subject: x\r\n\r\n.body\r\n");
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
        let mut out = Vec::new();
        c.poll_transmit(&mut out);
    }
    c.handle_eof();
    while c.poll_event().is_some() {}
});

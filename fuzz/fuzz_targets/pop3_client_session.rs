//! The POP3 client session with a pipeline of every command, fed arbitrary server bytes in
//! arbitrary chunks. Never a panic; every reply matches a command that was sent.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pop3_proto::session::client::{Client, ClientEvent};

fuzz_target!(|data: &[u8]| {
    let Some((&split, input)) = data.split_first() else {
        return;
    };
    let mut client = Client::new(Default::default());
    let handles = vec![
        client.capa().unwrap(),
        client.user("u").unwrap(),
        client.pass("p").unwrap(),
        client.stat().unwrap(),
        client.list(None).unwrap(),
        client.list(Some(1)).unwrap(),
        client.uidl(None).unwrap(),
        client.uidl(Some(2)).unwrap(),
        client.top(1, 0).unwrap(),
        client.retr(1).unwrap(),
        client.dele(1).unwrap(),
        client.stls().unwrap(),
        client.quit().unwrap(),
    ];
    let step = usize::from(split).max(1);
    let mut out = Vec::new();
    let mut next = 0;
    for chunk in input.chunks(step) {
        client.handle_input(chunk);
        client.poll_transmit(&mut out);
        while let Some(event) = client.poll_event() {
            match event {
                ClientEvent::Reply { handle, .. } => {
                    // Replies come in command order.
                    let pos = handles
                        .iter()
                        .position(|&h| h == handle)
                        .expect("known handle");
                    assert!(pos >= next);
                    next = pos + 1;
                }
                ClientEvent::StartTls => client.tls_established().unwrap(),
                _ => {}
            }
        }
    }
    client.handle_eof();
    while client.poll_event().is_some() {}
});

//! The client hands a message over in pieces (`start_mail`, `send_body`, `end_body`): the wire
//! bytes do not depend on the split and match the whole-message `send_mail`; a multi-megabyte
//! message goes through an in-memory server over DATA and over BDAT with bounded buffering.

use mail_wire::dot::normalize;
use proptest::prelude::*;
use smtp_proto::codec::reply::Reply;
use smtp_proto::session::client::{
    ClientConfig, ClientEvent, ClientSession, Delivery, Envelope, MessageInfo,
};
use smtp_proto::session::server::{ServerConfig, ServerEvent, ServerSession};
use smtp_proto::types::{Domain, ForwardPath, Mailbox, ReversePath};
use smtp_proto::LocalError;

fn envelope(to: &[&str]) -> Envelope {
    Envelope::new(
        ReversePath::Mailbox(Mailbox::parse("a@client.example").unwrap()),
        to.iter()
            .map(|t| ForwardPath::Mailbox(Mailbox::parse(t).unwrap()))
            .collect(),
    )
}

/// A client that has read the greeting and this EHLO reply.
fn ready_client(ehlo: &[u8], chunking: bool) -> ClientSession {
    let mut config = ClientConfig::new(Domain::new("client.example").unwrap());
    config.chunking = chunking;
    let mut c = ClientSession::new(config);
    c.handle_input(b"220 mx ESMTP\r\n");
    c.handle_input(ehlo);
    assert!(matches!(c.poll_event(), Some(ClientEvent::Ready(_))));
    c.poll_transmit(&mut Vec::new());
    c
}

const EHLO: &[u8] = b"250-mx\r\n250-PIPELINING\r\n250-SIZE 100000\r\n250 8BITMIME\r\n";

/// The bytes the client sends for `message` over DATA, whole or in `pieces`.
fn data_wire(message: &[u8], pieces: Option<&[&[u8]]>) -> Vec<u8> {
    let mut c = ready_client(EHLO, false);
    let mut wire = Vec::new();
    match pieces {
        None => c.send_mail(envelope(&["b@mx.example"]), message).unwrap(),
        Some(_) => {
            let eight_bit = message.iter().any(|&b| b >= 0x80);
            let info = MessageInfo::new(Some(message.len() as u64), eight_bit);
            c.start_mail(envelope(&["b@mx.example"]), info).unwrap();
        }
    }
    c.poll_transmit(&mut wire);
    c.handle_input(b"250 OK\r\n250 OK\r\n354 go\r\n");
    if let Some(pieces) = pieces {
        assert_eq!(c.poll_event(), Some(ClientEvent::BodyWanted));
        assert!(c.wants_body());
        for piece in pieces {
            c.send_body(piece).unwrap();
            c.poll_transmit(&mut wire);
        }
        c.end_body().unwrap();
        assert!(!c.wants_body());
    }
    c.poll_transmit(&mut wire);
    c.handle_input(b"250 queued\r\n");
    let Some(ClientEvent::Delivered(d)) = c.poll_event() else {
        panic!("no delivery")
    };
    assert!(d.is_success());
    wire
}

fn split<'a>(message: &'a [u8], cuts: &[prop::sample::Index]) -> Vec<&'a [u8]> {
    let mut points: Vec<usize> = cuts.iter().map(|c| c.index(message.len() + 1)).collect();
    points.sort_unstable();
    let mut pieces = Vec::new();
    let mut last = 0;
    for p in points {
        pieces.push(&message[last..p]);
        last = p;
    }
    pieces.push(&message[last..]);
    pieces
}

proptest! {
    /// Any split of any message (dots, bare CR and LF, 8-bit bytes) puts the same bytes on the
    /// wire as the whole message.
    #[test]
    fn streamed_data_is_split_invariant(
        message in proptest::collection::vec(
            prop_oneof![3 => Just(b'.'), 3 => Just(b'\r'), 3 => Just(b'\n'), 4 => Just(b'x'), 1 => any::<u8>()],
            0..300,
        ),
        cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..8),
    ) {
        let whole = data_wire(&message, None);
        let pieces = split(&message, &cuts);
        prop_assert_eq!(data_wire(&message, Some(&pieces)), whole);
    }
}

#[test]
fn body_only_when_wanted() {
    let mut c = ready_client(EHLO, false);
    assert!(c.send_body(b"x").is_err());
    c.start_mail(envelope(&["b@mx.example"]), MessageInfo::default())
        .unwrap();
    // Before 354 the server takes no message.
    assert!(matches!(
        c.send_body(b"x"),
        Err(smtp_proto::Error::Local(LocalError::NotReady(_)))
    ));
    assert!(c.end_body().is_err());
    c.handle_input(b"250 OK\r\n250 OK\r\n354 go\r\n");
    assert_eq!(c.poll_event(), Some(ClientEvent::BodyWanted));
    // 8-bit data in a message declared 7-bit closes the session: no truncated message ends.
    c.send_body(b"plain\r\n").unwrap();
    let e = c.send_body(b"caf\xc3\xa9").unwrap_err();
    assert_eq!(e, LocalError::EightBitUnsupported(10).into());
    assert!(c.is_closed());
    assert!(matches!(c.poll_event(), Some(ClientEvent::Error(_))));
}

#[test]
fn declared_size_is_checked() {
    let mut c = ready_client(EHLO, false);
    let e = c
        .start_mail(
            envelope(&["b@mx.example"]),
            MessageInfo::new(Some(100_001), false),
        )
        .unwrap_err();
    assert!(matches!(
        e,
        smtp_proto::Error::Local(LocalError::TooLarge { .. })
    ));
    c.start_mail(
        envelope(&["b@mx.example"]),
        MessageInfo::new(Some(5), false),
    )
    .unwrap();
    let mut wire = Vec::new();
    c.poll_transmit(&mut wire);
    assert!(wire.starts_with(b"MAIL FROM:<a@client.example> SIZE=5\r\n"));
}

#[test]
fn refused_bdat_chunk_ends_with_rset() {
    let mut c = ready_client(
        b"250-mx\r\n250-PIPELINING\r\n250-CHUNKING\r\n250 8BITMIME\r\n",
        true,
    );
    c.start_mail(envelope(&["b@mx.example"]), MessageInfo::default())
        .unwrap();
    assert_eq!(c.poll_event(), Some(ClientEvent::BodyWanted));
    c.send_body(b"first\r\n").unwrap();
    c.send_body(b"second\r\n").unwrap();
    let mut wire = Vec::new();
    c.poll_transmit(&mut wire);
    // The first chunk goes out when the second arrives; the second waits for the end.
    assert!(wire.ends_with(b"RCPT TO:<b@mx.example>\r\nBDAT 7\r\nfirst\r\n"));
    c.handle_input(b"250 OK\r\n250 OK\r\n452 4.3.1 out of space\r\n");
    assert!(c.send_body(b"third\r\n").is_err());
    c.end_body().unwrap();
    wire.clear();
    c.poll_transmit(&mut wire);
    assert_eq!(wire, b"RSET\r\n");
    c.handle_input(b"250 OK\r\n");
    let Some(ClientEvent::Delivered(d)) = c.poll_event() else {
        panic!()
    };
    assert!(!d.is_success());
    assert_eq!(d.message.unwrap().code().get(), 452);
}

/// A multi-megabyte message, streamed in 64 KiB pieces through an in-memory server; returns
/// what the server stored, the delivery, and the most bytes the client had to transmit at once.
fn stream_through_server(message: &[u8], chunking: bool) -> (Vec<u8>, Delivery, usize) {
    const PIECE: usize = 64 * 1024;
    let mut server_config = ServerConfig::new(Domain::new("mx.example").unwrap());
    server_config.max_message_size = 64 * 1024 * 1024;
    let mut s = ServerSession::new(server_config);
    let mut config = ClientConfig::new(Domain::new("client.example").unwrap());
    config.chunking = chunking;
    let mut c = ClientSession::new(config);
    let mut pieces = message.chunks(PIECE);
    let (mut stored, mut current) = (Vec::new(), Vec::new());
    let mut delivery = None;
    let mut streaming = false;
    let mut most = 0;
    for _ in 0..10_000 {
        let mut wire = Vec::new();
        s.poll_transmit(&mut wire);
        c.handle_input(&wire);
        while let Some(e) = c.poll_event() {
            match e {
                ClientEvent::Ready(_) if delivery.is_none() => {
                    let info = MessageInfo::new(Some(message.len() as u64), false);
                    c.start_mail(envelope(&["b@mx.example", "c@mx.example"]), info)
                        .unwrap();
                }
                ClientEvent::BodyWanted => streaming = true,
                ClientEvent::Delivered(d) => {
                    delivery = Some(d);
                    c.quit().unwrap();
                }
                ClientEvent::Closed => return (stored, delivery.unwrap(), most),
                other => panic!("unexpected {other:?}"),
            }
        }
        // One piece per round trip, as a client reading a file would.
        if streaming {
            match pieces.next() {
                Some(piece) => c.send_body(piece).unwrap(),
                None => {
                    c.end_body().unwrap();
                    streaming = false;
                }
            }
        }
        let mut wire = Vec::new();
        most = most.max(c.poll_transmit(&mut wire));
        s.handle_input(&wire);
        while let Some(e) = s.poll_event() {
            match e {
                ServerEvent::MailFrom { .. } | ServerEvent::RcptTo { .. } => s.accept().unwrap(),
                ServerEvent::MessageData(d) => current.extend_from_slice(&d),
                ServerEvent::MessageEnd => {
                    stored = std::mem::take(&mut current);
                    s.accept().unwrap()
                }
                _ => {}
            }
        }
    }
    panic!("the sessions did not finish");
}

#[test]
fn multi_megabyte_message_streams_over_data_and_bdat() {
    let mut message = Vec::new();
    let mut n = 0u32;
    while message.len() < 5 * 1024 * 1024 {
        n += 1;
        if n.is_multiple_of(9) {
            message.push(b'.');
        }
        message.extend_from_slice(format!("line {n} of a long message\r\n").as_bytes());
        if n.is_multiple_of(1000) {
            // A bare LF: the client sends CRLF.
            message.extend_from_slice(b"bare\n");
        }
    }
    let want = normalize(&message);
    for chunking in [false, true] {
        let (stored, delivery, most) = stream_through_server(&message, chunking);
        assert!(delivery.is_success(), "chunking {chunking}");
        assert_eq!(delivery.recipients.len(), 2);
        assert!(
            stored == want,
            "chunking {chunking}: stored message differs"
        );
        // At most two pieces (BDAT holds one back) and their framing at once, stuffed dots
        // included: never the whole message.
        assert!(most <= 2 * 64 * 1024 + 4096, "chunking {chunking}: {most}");
        let reply: &Reply<'_> = delivery.message.as_ref().unwrap();
        assert!(reply.is_positive());
    }
}

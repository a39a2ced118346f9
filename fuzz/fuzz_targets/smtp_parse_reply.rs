//! SMTP reply parser and EHLO capabilities: never panic; what parses writes back to bytes that
//! parse to the same reply; a prefix of a complete reply is incomplete; the one-pass EHLO parser
//! agrees with the general one.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mail_wire::Status;
use smtp_proto::codec::ehlo::EhloReply;
use smtp_proto::codec::reply::parse_reply;

fuzz_target!(|data: &[u8]| {
    match (parse_reply(data), EhloReply::parse(data)) {
        (Ok(Status::Complete(reply, n)), Ok(Status::Complete(ehlo, m))) => {
            assert_eq!(reply.code().get(), 250);
            // The owned copy equals the borrowed reply, and so does the owned copy of that.
            let owned = ehlo.clone().into_owned();
            assert_eq!(owned, ehlo);
            assert_eq!(owned.clone().into_owned(), ehlo);
            assert_eq!(owned.to_reply(), ehlo.to_reply());
            assert_eq!((EhloReply::from_reply(&reply), n), (ehlo, m));
        }
        (Ok(Status::Complete(reply, _)), Err(_)) => assert_ne!(reply.code().get(), 250),
        (Ok(Status::Incomplete), got) => assert_eq!(got, Ok(Status::Incomplete)),
        (Err(_), got) => assert!(got.is_err()),
        (want, got) => panic!("{want:?} but {got:?}"),
    }
    if let Ok(Status::Complete(reply, used)) = parse_reply(data) {
        assert!(used <= data.len());
        assert_eq!(parse_reply(&data[..used - 1]), Ok(Status::Incomplete));
        // A reply that borrows its text equals its owned copy.
        assert_eq!(reply.clone().into_owned(), reply);
        let wire = reply.to_bytes();
        assert_eq!(
            parse_reply(&wire),
            Ok(Status::Complete(reply.clone(), wire.len()))
        );
        let ehlo = EhloReply::from_reply(&reply);
        let rewritten = ehlo.to_reply();
        let again = EhloReply::from_reply(&rewritten);
        assert_eq!(again, ehlo);
        assert_eq!(ehlo.clone().into_owned(), ehlo);
        // Built back from its capabilities, one by one, it is the same reply.
        assert_eq!(EhloReply::new(ehlo.greeting(), ehlo.capabilities()), ehlo);
    }
});

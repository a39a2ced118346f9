//! The SMTP fixtures of the `smtp` bench, shared with the callgrind drivers
//! `examples/smtp_profile.rs` (commands) and `examples/smtp_reply_profile.rs` (replies).

/// What a pipelining client sends for one message with 50 recipients: EHLO, MAIL with
/// parameters, 50 RCPT with DSN parameters, DATA.
pub fn transaction() -> Vec<u8> {
    let mut t = b"EHLO client.example.org\r\nMAIL FROM:<sender.name@client.example.org> SIZE=123456 BODY=8BITMIME RET=HDRS ENVID=QQ314159\r\n".to_vec();
    for i in 0..50 {
        t.extend_from_slice(
            format!("RCPT TO:<recipient{i}@example.com> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;recipient{i}@example.com\r\n")
                .as_bytes(),
        );
    }
    t.extend_from_slice(b"DATA\r\n");
    t
}

/// A 20-line EHLO reply of a large provider.
pub const EHLO: &[u8] =
    b"250-mx.example.com Hello client.example.org [192.0.2.1], pleased to meet you\r\n\
250-SIZE 52428800\r\n\
250-8BITMIME\r\n\
250-BINARYMIME\r\n\
250-CHUNKING\r\n\
250-PIPELINING\r\n\
250-DSN\r\n\
250-ENHANCEDSTATUSCODES\r\n\
250-SMTPUTF8\r\n\
250-STARTTLS\r\n\
250-REQUIRETLS\r\n\
250-AUTH PLAIN LOGIN XOAUTH2 OAUTHBEARER SCRAM-SHA-256\r\n\
250-DELIVERBY 240\r\n\
250-MT-PRIORITY MIXER\r\n\
250-FUTURERELEASE 604800 2030-01-01T00:00:00Z\r\n\
250-LIMITS RCPTMAX=100 MAILMAX=50\r\n\
250-VRFY\r\n\
250-HELP\r\n\
250-X-EXPS LOGIN PLAIN\r\n\
250 RRVS\r\n";

/// Single-line replies of a transaction, back to back.
pub const REPLIES: &[u8] = b"250 2.1.0 Sender OK\r\n250 2.1.5 Recipient OK\r\n354 Start mail input; end with <CRLF>.<CRLF>\r\n250 2.0.0 OK: queued as 1Yat1n00V1sBWGw3SYaubg\r\n550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown\r\n221 2.0.0 Bye\r\n";

/// Stalwart's parser over `wire`, command after command, each result kept alive through
/// `black_box`: the peer side of the commands bench and of `examples/smtp_profile.rs`.
/// Returns the number of commands.
pub fn peer_commands(wire: &[u8]) -> usize {
    let mut iter = wire.iter();
    let mut n = 0;
    while iter.len() > 0 {
        match peer_smtp_proto::Request::parse(&mut iter) {
            Ok(req) => {
                std::hint::black_box(&req);
                n += 1;
            }
            Err(e) => panic!("peer-smtp-proto refused a bench command: {e:?}"),
        }
    }
    n
}

/// Stalwart's reply parser over `input`, reply after reply (a new receiver each, as a client
/// does per command): the peer side of the replies bench and of
/// `examples/smtp_reply_profile.rs`. Returns the number of replies.
pub fn peer_replies(input: &[u8]) -> usize {
    let mut iter = input.iter();
    let mut n = 0;
    while iter.len() > 0 {
        let mut receiver = peer_smtp_proto::response::parser::ResponseReceiver::default();
        match receiver.parse(&mut iter) {
            Ok(r) => {
                std::hint::black_box(&r);
                n += 1;
            }
            Err(e) => panic!("peer-smtp-proto refused a bench reply: {e:?}"),
        }
    }
    n
}

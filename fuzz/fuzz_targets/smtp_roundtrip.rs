//! SMTP round trips from structured input: commands built from arbitrary pieces through the
//! validating constructors always encode to one line that parses back to themselves.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use mail_wire::Status;
use smtp_proto::codec::command::{Command, MailParams, RcptParams};
use smtp_proto::codec::reply::{parse_reply, Reply};
use smtp_proto::types::{Domain, ForwardPath, Mailbox, ReversePath, Text, XText};

#[derive(Debug, Arbitrary)]
struct Input {
    local: String,
    domain: String,
    text: String,
    envid: String,
    size: Option<u64>,
    code: u16,
    lines: Vec<String>,
}

fuzz_target!(|input: Input| {
    let Ok(domain) = Domain::new(&input.domain) else {
        return;
    };
    let mut commands = vec![Command::Ehlo(domain.clone())];
    if let Ok(m) = Mailbox::new(&input.local, domain) {
        let mut params = MailParams::default();
        params.size = input.size;
        params.envid = XText::new(&input.envid).ok();
        params.smtputf8 = m.is_utf8();
        commands.push(Command::Mail {
            from: ReversePath::Mailbox(m.clone()),
            params,
        });
        commands.push(Command::Rcpt {
            to: ForwardPath::Mailbox(m),
            params: RcptParams::default(),
        });
    }
    if let Ok(t) = Text::new(&input.text) {
        commands.push(Command::Noop(Some(t.clone())));
        commands.push(Command::Vrfy(t));
    }
    for cmd in commands {
        let wire = cmd.to_bytes();
        // Exactly one line: nothing a caller passes can add a command.
        assert_eq!(wire.iter().filter(|&&b| b == b'\n').count(), 1);
        assert_eq!(
            smtp_proto::parse_command(&wire),
            Ok(Status::Complete(cmd, wire.len()))
        );
    }
    // Within the parser's default line limit (128).
    let lines: Vec<&str> = input.lines.iter().take(100).map(String::as_str).collect();
    if let Ok(reply) = Reply::multiline(input.code, None, lines.iter().copied()) {
        let wire = reply.to_bytes();
        assert_eq!(
            wire.iter().filter(|&&b| b == b'\n').count(),
            lines.len().max(1)
        );
        // A first line that looks like an enhanced code is read as one; the rest round-trips.
        if let Ok(Status::Complete(back, n)) = parse_reply(&wire) {
            assert_eq!(n, wire.len());
            assert_eq!(back.code(), reply.code());
        } else {
            panic!("a built reply does not parse");
        }
    }
});

//! POP3 codec round trips from structured input: commands, replies, capabilities and listings
//! built through the validating constructors parse back to themselves.
#![no_main]

use std::borrow::Cow;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use pop3_proto::codec::*;
use pop3_proto::*;

#[derive(Debug, Arbitrary)]
enum Input {
    User(String),
    Pass(String),
    Top(u32, u32),
    List(Option<u32>),
    Uidl(Option<u32>),
    Auth(Option<Vec<u8>>),
    Lang(Option<String>),
    Reply(bool, u8, String),
    Scan(u32, u64),
    UniqueId(u32, String),
    Implementation(String),
}

const CODES: [ResponseCode<'static>; 6] = [
    ResponseCode::InUse,
    ResponseCode::LoginDelay,
    ResponseCode::SysTemp,
    ResponseCode::SysPerm,
    ResponseCode::Auth,
    ResponseCode::Utf8,
];

fn command(cmd: Command<'_>) {
    let wire = cmd.to_bytes();
    let (parsed, used) = parse_command(&wire, &ParseOptions::default())
        .expect("encoded command parses")
        .complete()
        .expect("complete");
    assert_eq!(used, wire.len());
    assert_eq!(parsed, cmd);
}

fuzz_target!(|input: Input| {
    match input {
        Input::User(u) => {
            if let Ok(p) = Param::new(u) {
                command(Command::User(p));
            }
        }
        Input::Pass(p) => {
            if let Ok(p) = Password::new(p) {
                command(Command::Pass(p));
            }
        }
        Input::Top(message, lines) => command(Command::Top { message, lines }),
        Input::List(n) => command(Command::List(n)),
        Input::Uidl(n) => command(Command::Uidl(n)),
        Input::Auth(ir) => command(Command::Auth {
            mechanism: mail_wire::sasl::Mechanism::Plain,
            initial_response: ir.map(mail_wire::Secret::new),
        }),
        Input::Lang(range) => match range.map(Param::new) {
            Some(Ok(p)) => command(Command::Lang(Some(p))),
            None => command(Command::Lang(None)),
            Some(Err(_)) => {}
        },
        Input::Reply(ok, code, text) => {
            // Text starting with '[' would read as a response code.
            if text.starts_with('[') {
                return;
            }
            let Ok(text) = Text::new(Cow::Owned(text)) else {
                return;
            };
            let code = CODES.get(usize::from(code)).cloned();
            let reply = Reply { ok, code, text };
            let wire = reply.to_bytes();
            let parsed = parse_response_line(&wire[..wire.len() - 2]).expect("reply parses");
            assert_eq!(parsed, ResponseLine::Status(reply));
        }
        Input::Scan(message, size) => {
            let s = ScanListing { message, size };
            let wire = s.to_bytes();
            assert_eq!(
                parse_scan_listing(&wire[..wire.len() - 2]).expect("LIST line"),
                s
            );
        }
        Input::UniqueId(message, uid) => {
            if let Ok(uid) = UniqueId::new(uid) {
                let u = UniqueIdListing { message, uid };
                let wire = u.to_bytes();
                assert_eq!(
                    parse_unique_id_listing(&wire[..wire.len() - 2]).expect("UIDL line"),
                    u
                );
            }
        }
        Input::Implementation(t) => {
            if t.starts_with(' ') {
                return;
            }
            if let Ok(t) = Text::new(t) {
                let c = Capability::Implementation(t);
                let wire = c.to_bytes();
                assert_eq!(
                    parse_capability(&wire[..wire.len() - 2]).expect("CAPA line"),
                    c
                );
            }
        }
    }
});

//! SMTP command parser: never panics; whatever parses writes back to bytes that parse to the
//! same command, and its owned copy equals it; the one-pass readings of paths and RCPT
//! parameters agree with the general ones.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mail_wire::Status;
use smtp_proto::codec::command::{parse_command, Command, OtherParam};
use smtp_proto::types::{ForwardPath, Keyword, ReversePath};

fuzz_target!(|data: &[u8]| {
    if let Ok(Status::Complete(cmd, used)) = parse_command(data) {
        assert!(used <= data.len());
        let wire = cmd.to_bytes();
        assert_eq!(cmd.clone().into_owned(), cmd);
        assert_eq!(
            parse_command(&wire),
            Ok(Status::Complete(cmd.clone(), wire.len()))
        );
        general_reading_agrees(data, used, &cmd);
    }
});

/// The same line with a source route in its path (which the parser ignores, and which only the
/// general reading of a path takes) and an unknown parameter at its end (which sends RCPT
/// parameters to the general reading) parses to the same command with that parameter added.
fn general_reading_agrees(data: &[u8], used: usize, cmd: &Command<'_>) {
    // Where the path starts: `RCPT TO:<` and `MAIL FROM:<` in any case.
    let lt = match cmd {
        Command::Rcpt {
            to: ForwardPath::Mailbox(_),
            ..
        } => 8,
        Command::Mail {
            from: ReversePath::Mailbox(_),
            ..
        } => 10,
        _ => return,
    };
    if data.get(lt + 1) == Some(&b'@') || used > 3000 {
        return;
    }
    let mut line = data[..=lt].to_vec();
    line.extend_from_slice(b"@fuzz.example:");
    line.extend_from_slice(&data[lt + 1..used - 2]);
    line.extend_from_slice(b" X-FUZZ\r\n");
    let extra = OtherParam {
        keyword: Keyword::new("X-FUZZ").unwrap(),
        value: None,
    };
    let mut want = cmd.clone();
    match &mut want {
        Command::Rcpt { params, .. } => params.other.push(extra),
        Command::Mail { params, .. } => params.other.push(extra),
        _ => unreachable!(),
    }
    assert_eq!(parse_command(&line), Ok(Status::Complete(want, line.len())));
}

//! SMTP command parser: never panics; whatever parses writes back to bytes that parse to the
//! same command, and its owned copy equals it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mail_wire::Status;
use smtp_proto::codec::command::parse_command;

fuzz_target!(|data: &[u8]| {
    if let Ok(Status::Complete(cmd, used)) = parse_command(data) {
        assert!(used <= data.len());
        let wire = cmd.to_bytes();
        assert_eq!(cmd.clone().into_owned(), cmd);
        assert_eq!(parse_command(&wire), Ok(Status::Complete(cmd, wire.len())));
    }
});

//! POP3 command parser: any bytes give a command, Incomplete or an error, never a panic; a
//! parsed command re-encodes to a line that parses to the same command.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pop3_proto::codec::{parse_command, Encode, ParseOptions};
use pop3_proto::Status;

fuzz_target!(|data: &[u8]| {
    let options = ParseOptions::default();
    if let Ok(Status::Complete(cmd, used)) = parse_command(data, &options) {
        assert!(used <= data.len());
        let wire = cmd.to_bytes();
        let again = parse_command(&wire, &options).expect("re-encoded command parses");
        assert_eq!(again, Status::Complete(cmd, wire.len()));
    }
});

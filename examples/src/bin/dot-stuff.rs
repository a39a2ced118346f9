//! `dot-stuff encode|decode [reject|normalize|allow]`: the mail-wire dot-stuffing codec as a
//! filter from standard input to standard output, streaming in 64 KiB reads.
//!
//! `encode` turns a body into its SMTP `DATA` / POP3 `RETR` wire form (line ends normalised to
//! CRLF, stuffed dots, the `.CRLF` terminator). `decode` does the reverse, stops at the first
//! `CRLF.CRLF` and exits 1 if the body broke the line-ending policy (default `reject`) or never
//! ended; bytes after the terminator are left unread.
//!
//! ```text
//! printf 'Hi\n.hidden\n' | dot-stuff encode | dot-stuff decode
//! ```

use std::io::{self, Read, Write};
use std::process::ExitCode;

use mail_wire::dot::{DotDecoder, DotEncoder};
use mail_wire::{LineEnding, Status};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let policy = match args.get(1).map(String::as_str) {
        None | Some("reject") => LineEnding::Reject,
        Some("normalize") => LineEnding::Normalize,
        Some("allow") => LineEnding::Allow,
        Some(other) => return usage(&format!("unknown policy {other:?}")),
    };
    let result = match args.first().map(String::as_str) {
        Some("encode") => encode(),
        Some("decode") => decode(policy),
        _ => return usage("expected encode or decode"),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("dot-stuff: {e}");
            ExitCode::FAILURE
        }
    }
}

fn usage(why: &str) -> ExitCode {
    eprintln!("dot-stuff: {why}\nusage: dot-stuff encode|decode [reject|normalize|allow]");
    ExitCode::from(2)
}

fn encode() -> io::Result<ExitCode> {
    let (mut input, mut output) = (io::stdin().lock(), io::stdout().lock());
    let mut encoder = DotEncoder::new();
    let mut buf = vec![0; 64 * 1024];
    let mut out = Vec::with_capacity(buf.len() * 2);
    loop {
        let n = input.read(&mut buf)?;
        out.clear();
        if n == 0 {
            encoder.finish(&mut out);
            output.write_all(&out)?;
            output.flush()?;
            return Ok(ExitCode::SUCCESS);
        }
        encoder.encode(&buf[..n], &mut out);
        output.write_all(&out)?;
    }
}

fn decode(policy: LineEnding) -> io::Result<ExitCode> {
    let (mut input, mut output) = (io::stdin().lock(), io::stdout().lock());
    let mut decoder = DotDecoder::new(policy);
    let mut buf = vec![0; 64 * 1024];
    let mut out = Vec::with_capacity(buf.len());
    loop {
        let n = input.read(&mut buf)?;
        if n == 0 {
            eprintln!("dot-stuff: input ended before the terminating CRLF.CRLF");
            return Ok(ExitCode::FAILURE);
        }
        out.clear();
        let status = decoder.decode(&buf[..n], &mut out);
        output.write_all(&out)?;
        if let Status::Complete(result, _) = status {
            output.flush()?;
            return Ok(match result {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("dot-stuff: {e}");
                    ExitCode::FAILURE
                }
            });
        }
    }
}

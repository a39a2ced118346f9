//! `proto-dump imap --from server|client [--lenient] [FILE]`: parses the bytes one side of an
//! IMAP connection sent (stdin without FILE) and prints one JSON line per unit:
//! `{"offset":N,"len":M,"kind":"Fetch"}`, or `{"offset":N,"error":"..."}` after which it
//! resynchronises at the next line end. Exits 1 if any unit failed.
//!
//! `--lenient` turns on every tolerated deviation of `imap_proto::ParseOptions`.

use std::io::{Read, Write};
use std::process::ExitCode;

use imap_proto::{
    parse_authenticate_data, parse_command, parse_idle_done, parse_response, CommandBody,
    ParseError, ParseOptions, Status,
};
use serde_json::json;

const USAGE: &str = "usage: proto-dump imap --from server|client [--lenient] [FILE]";

struct Args {
    from_server: bool,
    lenient: bool,
    file: Option<String>,
}

fn args() -> Result<Args, String> {
    let mut it = std::env::args().skip(1);
    if it.next().as_deref() != Some("imap") {
        return Err("only the imap protocol is supported".into());
    }
    let mut from = None;
    let mut lenient = false;
    let mut file = None;
    while let Some(a) = it.next() {
        match a.as_str() {
            "--from" => from = it.next(),
            "--lenient" => lenient = true,
            "-h" | "--help" => return Err(String::new()),
            _ if file.is_none() && !a.starts_with("--") => file = Some(a),
            _ => return Err(format!("unexpected argument {a:?}")),
        }
    }
    let from_server = match from.as_deref() {
        Some("server") => true,
        Some("client") => false,
        _ => return Err("--from server|client is required".into()),
    };
    Ok(Args {
        from_server,
        lenient,
        file,
    })
}

/// One unit: `Ok((kind, len))`, `Ok(None)` for an incomplete tail, or the error text.
fn parse_one(
    bytes: &[u8],
    opts: &ParseOptions,
    from_server: bool,
    in_sasl: &mut bool,
) -> Result<Option<(String, usize)>, ParseError> {
    if from_server {
        return match parse_response(bytes, opts) {
            Ok(Status::Complete(r, n)) => Ok(Some((r.kind().to_owned(), n))),
            Ok(Status::Incomplete) => Ok(None),
            Err(e) => Err(e),
        };
    }
    if let Ok(Status::Complete((), n)) = parse_idle_done(bytes, opts) {
        return Ok(Some(("Done".to_owned(), n)));
    }
    match parse_command(bytes, opts) {
        Ok(Status::Complete(c, n)) => {
            *in_sasl = matches!(c.body, CommandBody::Authenticate { initial: None, .. });
            Ok(Some((c.body.kind().to_owned(), n)))
        }
        Ok(Status::Incomplete) => Ok(None),
        Err(e) => {
            if *in_sasl {
                if let Ok(Status::Complete(_, n)) = parse_authenticate_data(bytes, opts) {
                    return Ok(Some(("AuthenticateData".to_owned(), n)));
                }
            }
            Err(e)
        }
    }
}

fn main() -> ExitCode {
    let args = match args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("proto-dump: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut input = Vec::new();
    let read = match &args.file {
        Some(f) => std::fs::File::open(f).and_then(|mut f| f.read_to_end(&mut input)),
        None => std::io::stdin().read_to_end(&mut input),
    };
    if let Err(e) = read {
        eprintln!("proto-dump: {e}");
        return ExitCode::from(2);
    }
    let opts = if args.lenient {
        ParseOptions::lenient()
    } else {
        ParseOptions::default()
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = false;
    let mut offset = 0;
    let mut in_sasl = false;
    while offset < input.len() {
        let rest = input.get(offset..).unwrap_or_default();
        let line = match parse_one(rest, &opts, args.from_server, &mut in_sasl) {
            Ok(Some((kind, len))) => {
                let l = format!(
                    r#"{{"offset":{offset},"len":{len},"kind":{}}}"#,
                    json!(kind)
                );
                offset += len.max(1);
                l
            }
            Ok(None) => {
                failed = true;
                let l = error_line(offset, "input ends inside a unit");
                offset = input.len();
                l
            }
            Err(e) => {
                failed = true;
                // Say where in the whole input, not in the unit.
                let what = format!("{} at byte {}", e.kind, offset + e.offset);
                let l = error_line(offset, &what);
                // Resynchronise after the line end following the error.
                let skip = memchr_lf(rest).map_or(rest.len(), |i| i + 1);
                offset += skip;
                l
            }
        };
        if writeln!(out, "{line}").is_err() {
            return ExitCode::from(2);
        }
    }
    if out.flush().is_err() {
        return ExitCode::from(2);
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `{"offset":N,"error":"..."}`, keys in the documented order.
fn error_line(offset: usize, what: &str) -> String {
    format!(r#"{{"offset":{offset},"error":{}}}"#, json!(what))
}

fn memchr_lf(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'\n')
}

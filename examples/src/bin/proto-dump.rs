//! `proto-dump imap|smtp --from server|client [--lenient] [FILE]`: parses the bytes one side of
//! an IMAP or SMTP connection sent (stdin without FILE) and prints one JSON line per unit:
//! `{"offset":N,"len":M,"kind":"Fetch"}`, or `{"offset":N,"error":"..."}` after which it
//! resynchronises at the next line end. Exits 1 if any unit failed.
//!
//! IMAP: `--lenient` turns on every tolerated deviation of `imap_proto::ParseOptions`.
//!
//! SMTP: the server side is a list of replies (`"kind":"Reply"` with `"code"`); the client side
//! is commands, and after `DATA` the message up to `CRLF.CRLF` (`"kind":"MessageData"`), after
//! `BDAT n` the `n` octets (`"kind":"BdatChunk"`), after `AUTH` without an initial response the
//! SASL lines (`"kind":"AuthData"`). `--lenient` lets bare CR and LF through in message data.

use std::io::{Read, Write};
use std::process::ExitCode;

use imap_proto::{
    parse_authenticate_data, parse_command, parse_idle_done, parse_response, CommandBody,
    ParseError, ParseOptions, Status,
};
use serde_json::json;

const USAGE: &str = "usage: proto-dump imap|smtp --from server|client [--lenient] [FILE]";

struct Args {
    smtp: bool,
    from_server: bool,
    lenient: bool,
    file: Option<String>,
}

fn args() -> Result<Args, String> {
    let mut it = std::env::args().skip(1);
    let smtp = match it.next().as_deref() {
        Some("imap") => false,
        Some("smtp") => true,
        _ => return Err("the first argument is the protocol: imap or smtp".into()),
    };
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
        smtp,
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
    if args.smtp {
        return smtp::dump(&input, &args);
    }
    let opts = if args.lenient {
        ParseOptions::lenient()
    } else {
        ParseOptions::default()
    };
    let mut in_sasl = false;
    dump(&input, |rest| {
        parse_one(rest, &opts, args.from_server, &mut in_sasl)
            .map(|unit| {
                unit.map(|(kind, len)| Unit {
                    kind,
                    code: None,
                    len,
                })
            })
            .map_err(|e| Bad {
                what: e.kind.to_string(),
                at: e.offset,
                skip: None,
            })
    })
}

/// A unit that parsed: its kind, its reply code (SMTP server side) and its length.
struct Unit {
    kind: String,
    code: Option<u16>,
    len: usize,
}

/// A unit that failed: what was wrong, where in the unit, and how far to skip if not to the
/// next line end.
struct Bad {
    what: String,
    at: usize,
    skip: Option<usize>,
}

/// Prints one JSON line per unit `next` finds at the front of the rest of `input`; exit 1 if
/// any failed.
fn dump(input: &[u8], mut next: impl FnMut(&[u8]) -> Result<Option<Unit>, Bad>) -> ExitCode {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let (mut offset, mut failed) = (0, false);
    while offset < input.len() {
        let rest = input.get(offset..).unwrap_or_default();
        let line = match next(rest) {
            Ok(Some(Unit { kind, code, len })) => {
                let code = code.map_or(String::new(), |c| format!(r#","code":{c}"#));
                let l = format!(
                    r#"{{"offset":{offset},"len":{len},"kind":{}{code}}}"#,
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
            Err(Bad { what, at, skip }) => {
                failed = true;
                // Say where in the whole input, not in the unit.
                let l = error_line(offset, &format!("{what} at byte {}", offset + at));
                // Resynchronise after the line end following the error (or skip message data).
                offset += skip.unwrap_or_else(|| memchr_lf(rest).map_or(rest.len(), |i| i + 1));
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

/// The SMTP side: replies, or commands with the message data that follows them.
mod smtp {
    use std::process::ExitCode;

    use mail_wire::dot::{DotDecoder, DotError};
    use mail_wire::{LineEnding, Status};
    use smtp_proto::{parse_command, parse_reply, Command};

    use super::{memchr_lf, Args, Bad, Unit};

    /// What the client sends next.
    enum Expect {
        Commands,
        /// The message after `DATA`.
        Data,
        /// This many octets after `BDAT`.
        Chunk(u64),
        /// SASL lines after `AUTH` without an initial response.
        Sasl,
    }

    /// One unit at the front of `rest`: `Ok(Some(unit))`, `Ok(None)` when the
    /// input ends inside it, or what was wrong and where in the unit.
    fn next(rest: &[u8], args: &Args, expect: &mut Expect) -> Result<Option<Unit>, Bad> {
        if args.from_server {
            return match parse_reply(rest) {
                Ok(Status::Complete(reply, n)) => {
                    Ok(Some(unit("Reply", Some(reply.code().get()), n)))
                }
                Ok(Status::Incomplete) => Ok(None),
                Err(e) => Err(Bad {
                    what: e.kind.to_string(),
                    at: e.offset,
                    skip: None,
                }),
            };
        }
        match *expect {
            Expect::Data => {
                let policy = if args.lenient {
                    LineEnding::Allow
                } else {
                    LineEnding::Reject
                };
                *expect = Expect::Commands;
                match DotDecoder::new(policy).decode_with(rest, |_| {}) {
                    Status::Complete(Ok(()), n) => Ok(Some(unit("MessageData", None, n))),
                    Status::Complete(Err(e), n) => {
                        let (what, at) = match e {
                            DotError::BareLf { offset } => ("bare LF in message data", offset),
                            DotError::BareCr { offset } => ("bare CR in message data", offset),
                            _ => ("bad line end in message data", 0),
                        };
                        let at = usize::try_from(at).unwrap_or(0);
                        Err(Bad {
                            what: what.into(),
                            at,
                            skip: Some(n),
                        })
                    }
                    Status::Incomplete => Ok(None),
                }
            }
            Expect::Chunk(size) => {
                *expect = Expect::Commands;
                match usize::try_from(size) {
                    Ok(n) if n <= rest.len() => Ok(Some(unit("BdatChunk", None, n))),
                    _ => Ok(None),
                }
            }
            Expect::Commands | Expect::Sasl => {
                let command = parse_command(rest);
                // In a SASL exchange a line that is no command is a response (or `*`).
                if matches!(expect, Expect::Sasl) && command.is_err() {
                    return Ok(memchr_lf(rest).map(|i| unit("AuthData", None, i + 1)));
                }
                match command {
                    Ok(Status::Complete(command, n)) => {
                        *expect = match command {
                            Command::Data => Expect::Data,
                            Command::Bdat { size, .. } => Expect::Chunk(size),
                            Command::Auth {
                                initial_response: None,
                                ..
                            } => Expect::Sasl,
                            _ => Expect::Commands,
                        };
                        Ok(Some(unit(verb(&command), None, n)))
                    }
                    Ok(Status::Incomplete) => Ok(None),
                    Err(e) => Err(Bad {
                        what: e.kind.to_string(),
                        at: e.offset,
                        skip: None,
                    }),
                }
            }
        }
    }

    fn unit(kind: &str, code: Option<u16>, len: usize) -> Unit {
        Unit {
            kind: kind.to_owned(),
            code,
            len,
        }
    }

    fn verb(command: &Command<'_>) -> &'static str {
        match command {
            Command::Helo(_) => "Helo",
            Command::Ehlo(_) => "Ehlo",
            Command::Lhlo(_) => "Lhlo",
            Command::Mail { .. } => "Mail",
            Command::Rcpt { .. } => "Rcpt",
            Command::Data => "Data",
            Command::Bdat { .. } => "Bdat",
            Command::Rset => "Rset",
            Command::Vrfy(_) => "Vrfy",
            Command::Expn(_) => "Expn",
            Command::Help(_) => "Help",
            Command::Noop(_) => "Noop",
            Command::Quit => "Quit",
            Command::StartTls => "StartTls",
            Command::Auth { .. } => "Auth",
            _ => "Other",
        }
    }

    /// Prints one JSON line per reply, or per command and message data; exit 1 if any failed.
    pub(crate) fn dump(input: &[u8], args: &Args) -> ExitCode {
        let mut expect = Expect::Commands;
        super::dump(input, |rest| next(rest, args, &mut expect))
    }
}

/// `{"offset":N,"error":"..."}`, keys in the documented order.
fn error_line(offset: usize, what: &str) -> String {
    format!(r#"{{"offset":{offset},"error":{}}}"#, json!(what))
}

fn memchr_lf(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'\n')
}

//! Parsers and encoders for every command and reply, both directions.
//!
//! - Commands: [`parse_command`] frames and parses one command line; [`parse_command_line`]
//!   parses a line already framed.
//! - Replies: [`parse_response_line`] for a status or SASL continuation line;
//!   [`parse_capability`], [`parse_scan_listing`], [`parse_unique_id_listing`],
//!   [`parse_language_listing`] for the lines of multi-line listings; [`parse_stat`],
//!   [`parse_scan_reply`], [`parse_unique_id_reply`] for the single-line answers.
//! - [`ReplyDecoder`] streams whole replies: the status line, then (for the commands whose
//!   reply is multi-line, see [`Command::reply_shape`]) the dot-unstuffed body in chunks,
//!   through mail-wire's [`DotDecoder`].
//! - [`Encode`] writes every command, reply and listing line.

use std::borrow::Cow;

use mail_wire::dot::DotDecoder;
use mail_wire::line::{Frame, LineConfig, LineFramer};
use mail_wire::sasl::{decode_initial_response, encode_initial_response, Mechanism};
use mail_wire::{LineEnding, Secret, Status};
use md5::{Digest, Md5};

use crate::error::{bad_command, bad_response, Error, RemoteError};
use crate::types::*;

/// Limits and tolerated deviations of the parsers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ParseOptions {
    /// The longest line, line end included. Default 8192: above RFC 2449's 255 (commands) and
    /// 512 (reply lines), because `AUTH XOAUTH2` initial responses carry kilobyte tokens.
    pub max_line: usize,
    /// The largest decoded SASL response. Default 16 KiB (mail-wire's default).
    pub max_sasl_response: usize,
    /// Line ends inside multi-line bodies. Default [`LineEnding::Reject`], what RFC 1939
    /// requires; `Normalize` for servers that store and send bare LF.
    pub body_line_ending: LineEnding,
    /// Line ends of command and status lines. Default [`LineEnding::Reject`].
    pub line_ending: LineEnding,
}

impl Default for ParseOptions {
    fn default() -> Self {
        Self {
            max_line: mail_wire::line::DEFAULT_MAX_LINE,
            max_sasl_response: mail_wire::sasl::DEFAULT_MAX_RESPONSE_LEN,
            body_line_ending: LineEnding::Reject,
            line_ending: LineEnding::Reject,
        }
    }
}

impl ParseOptions {
    /// This configuration with another body line-ending policy.
    pub fn body_line_ending(self, policy: LineEnding) -> Self {
        Self {
            body_line_ending: policy,
            ..self
        }
    }

    /// This configuration with another line limit.
    pub fn max_line(self, max_line: usize) -> Self {
        Self { max_line, ..self }
    }

    pub(crate) fn line_config(&self) -> LineConfig {
        LineConfig::with_max_line(self.max_line).line_ending(self.line_ending)
    }
}

/// Something that can be written to the wire.
pub trait Encode {
    /// Appends the wire form, line end included, to `out`.
    fn write_to(&self, out: &mut Vec<u8>);

    /// The wire form as a new vector.
    fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_to(&mut out);
        out
    }
}

/// Finds the first CRLF line in `buf` (strict CRLF, within `max_line` bytes).
fn frame_line<'a>(buf: &'a [u8], options: &ParseOptions) -> Result<Status<&'a [u8]>, Error> {
    let mut framer = LineFramer::new(options.line_config());
    match framer.decode(buf) {
        Ok(Status::Complete(Frame::Line(line), used)) => Ok(Status::Complete(line.content, used)),
        Ok(Status::Complete(Frame::Skipped, _)) | Ok(Status::Incomplete) => Ok(Status::Incomplete),
        Err(e) => Err(Error::Remote(RemoteError::Line(e))),
    }
}

/// Parses one command at the front of `buf`: `Incomplete` until its CRLF arrives.
///
/// ```
/// use pop3_proto::codec::{parse_command, ParseOptions};
/// use pop3_proto::Command;
///
/// let (cmd, used) = parse_command(b"TOP 1 10\r\nQUIT\r\n", &ParseOptions::default())?
///     .complete()
///     .unwrap();
/// assert_eq!(cmd, Command::Top { message: 1, lines: 10 });
/// assert_eq!(used, 10);
/// # Ok::<(), pop3_proto::Error>(())
/// ```
pub fn parse_command<'a>(
    buf: &'a [u8],
    options: &ParseOptions,
) -> Result<Status<Command<'a>>, Error> {
    match frame_line(buf, options)? {
        Status::Complete(line, used) => {
            Ok(Status::Complete(parse_command_line(line, options)?, used))
        }
        Status::Incomplete => Ok(Status::Incomplete),
    }
}

fn utf8<'a>(bytes: &'a [u8], line: &[u8]) -> Result<&'a str, Error> {
    std::str::from_utf8(bytes).map_err(|_| bad_command("UTF-8 text", line))
}

fn number(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() || bytes.len() > 10 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(bytes).ok()?.parse().ok()
}

fn number64(bytes: &[u8]) -> Option<u64> {
    if bytes.is_empty() || bytes.len() > 20 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(bytes).ok()?.parse().ok()
}

/// Parses a command line without its line end.
pub fn parse_command_line<'a>(
    line: &'a [u8],
    options: &ParseOptions,
) -> Result<Command<'a>, Error> {
    let (keyword, rest) = match memchr::memchr(b' ', line) {
        Some(at) => (
            line.get(..at).unwrap_or_default(),
            Some(line.get(at + 1..).unwrap_or_default()),
        ),
        None => (line, None),
    };
    if !(3..=4).contains(&keyword.len()) {
        return Err(bad_command("a keyword of 3 or 4 letters", line));
    }
    let mut upper = [0u8; 4];
    for (slot, b) in upper.iter_mut().zip(keyword) {
        *slot = b.to_ascii_uppercase();
    }
    let keyword = upper.get(..keyword.len()).unwrap_or_default();
    // Parameters separated by single spaces; PASS takes the whole rest.
    let params: Vec<&'a [u8]> = match rest {
        Some(rest) => rest.split(|&b| b == b' ').collect(),
        None => Vec::new(),
    };
    if keyword != b"PASS" && params.iter().any(|p| p.is_empty()) {
        return Err(bad_command("single spaces between parameters", line));
    }
    let param = |p: &'a [u8]| -> Result<Param<'a>, Error> {
        Param::new(utf8(p, line)?)
            .map_err(|_| bad_command("a parameter of visible characters", line))
    };
    let msg = |p: &[u8]| number(p).ok_or_else(|| bad_command("a message number", line));
    let cmd = match (keyword, params.as_slice()) {
        (b"USER", [name]) => Command::User(param(name)?),
        (b"PASS", _) => {
            let rest = rest.unwrap_or_default();
            let text = utf8(rest, line)?;
            Command::Pass(
                Password::new(text).map_err(|_| bad_command("a password after PASS", b"PASS"))?,
            )
        }
        (b"APOP", [name, digest]) => Command::Apop {
            name: param(name)?,
            digest: param(digest)?,
        },
        (b"AUTH", [mech, ir @ ..]) if ir.len() <= 1 => {
            let mechanism = Mechanism::from_bytes(mech)
                .map_err(|_| bad_command("a SASL mechanism name", line))?;
            let initial_response = match ir.first() {
                Some(arg) => Some(Secret::new(
                    decode_initial_response(arg, options.max_sasl_response)
                        .map_err(|e| Error::Remote(RemoteError::Sasl(e)))?,
                )),
                None => None,
            };
            Command::Auth {
                mechanism,
                initial_response,
            }
        }
        (b"STAT", []) => Command::Stat,
        (b"LIST", []) => Command::List(None),
        (b"LIST", [n]) => Command::List(Some(msg(n)?)),
        (b"RETR", [n]) => Command::Retr(msg(n)?),
        (b"DELE", [n]) => Command::Dele(msg(n)?),
        (b"NOOP", []) => Command::Noop,
        (b"RSET", []) => Command::Rset,
        (b"QUIT", []) => Command::Quit,
        (b"TOP", [n, lines]) => Command::Top {
            message: msg(n)?,
            lines: number(lines).ok_or_else(|| bad_command("a line count", line))?,
        },
        (b"UIDL", []) => Command::Uidl(None),
        (b"UIDL", [n]) => Command::Uidl(Some(msg(n)?)),
        (b"CAPA", []) => Command::Capa,
        (b"STLS", []) => Command::Stls,
        (b"UTF8", []) => Command::Utf8,
        (b"LANG", []) => Command::Lang(None),
        (b"LANG", [range]) => Command::Lang(Some(param(range)?)),
        (
            b"USER" | b"APOP" | b"AUTH" | b"STAT" | b"LIST" | b"RETR" | b"DELE" | b"NOOP" | b"RSET"
            | b"QUIT" | b"TOP" | b"UIDL" | b"CAPA" | b"STLS" | b"UTF8" | b"LANG",
            _,
        ) => return Err(bad_command("the parameters the command takes", line)),
        _ => return Err(bad_command("a known command", line)),
    };
    Ok(cmd)
}

impl Encode for Command<'_> {
    fn write_to(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.keyword().as_bytes());
        let mut arg = |s: &str| {
            out.push(b' ');
            out.extend_from_slice(s.as_bytes());
        };
        match self {
            Self::User(name) => arg(name.as_str()),
            Self::Pass(p) => arg(p.expose()),
            Self::Apop { name, digest } => {
                arg(name.as_str());
                arg(digest.as_str());
            }
            Self::Auth {
                mechanism,
                initial_response,
            } => {
                arg(mechanism.as_str());
                if let Some(ir) = initial_response {
                    arg(&encode_initial_response(ir.expose()));
                }
            }
            Self::List(Some(n)) | Self::Uidl(Some(n)) | Self::Retr(n) | Self::Dele(n) => {
                arg(&n.to_string())
            }
            Self::Top { message, lines } => {
                arg(&message.to_string());
                arg(&lines.to_string());
            }
            Self::Lang(Some(range)) => arg(range.as_str()),
            Self::Stat
            | Self::List(None)
            | Self::Uidl(None)
            | Self::Noop
            | Self::Rset
            | Self::Quit
            | Self::Capa
            | Self::Stls
            | Self::Utf8
            | Self::Lang(None) => {}
        }
        out.extend_from_slice(b"\r\n");
    }
}

/// The APOP digest (RFC 1939 section 7): lower-case hex MD5 of the greeting's timestamp
/// (angle brackets included) followed by the shared secret.
///
/// ```
/// // The example of RFC 1939 section 7.
/// let digest = pop3_proto::codec::apop_digest("<1896.697170952@dbc.mtview.ca.us>", "tanstaaf");
/// assert_eq!(digest, "c4c9334bac560ecc979e58001b3e22fb");
/// ```
pub fn apop_digest(timestamp: &str, secret: &str) -> String {
    let mut md5 = Md5::new();
    md5.update(timestamp.as_bytes());
    md5.update(secret.as_bytes());
    md5.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Parses a status line (`+OK`/`-ERR`) or SASL continuation (`+ ...`) without its line end.
pub fn parse_response_line(line: &[u8]) -> Result<ResponseLine<'_>, Error> {
    let (ok, rest) = if let Some(rest) = line.strip_prefix(b"+OK") {
        (true, rest)
    } else if let Some(rest) = line.strip_prefix(b"-ERR") {
        (false, rest)
    } else if line == b"+" {
        return Ok(ResponseLine::Continuation(Cow::Borrowed("")));
    } else if let Some(rest) = line.strip_prefix(b"+ ") {
        let text =
            std::str::from_utf8(rest).map_err(|_| bad_response("base64 after \"+ \"", line))?;
        return Ok(ResponseLine::Continuation(Cow::Borrowed(text.trim_end())));
    } else {
        return Err(bad_response("+OK, -ERR or a \"+ \" continuation", line));
    };
    let text = match rest {
        [] => &[][..],
        [b' ', text @ ..] => text,
        _ => return Err(bad_response("a space after the status indicator", line)),
    };
    if text.contains(&0) {
        return Err(bad_response("text without NUL", line));
    }
    let (code, text) = split_code(text);
    Ok(ResponseLine::Status(Reply {
        ok,
        code,
        text: Text::from_checked(String::from_utf8_lossy(text)),
    }))
}

/// Splits `[CODE] text` into the code and the text, if the text starts with a well-formed code.
fn split_code(text: &[u8]) -> (Option<ResponseCode<'_>>, &[u8]) {
    let Some(inner) = text.strip_prefix(b"[") else {
        return (None, text);
    };
    let Some(end) = memchr::memchr(b']', inner) else {
        return (None, text);
    };
    let code = inner.get(..end).unwrap_or_default();
    let after = inner.get(end + 1..).unwrap_or_default();
    // resp-code = "[" resp-level *("/" resp-level) "]", rchar = %x21-2E / %x30-5C / %x5E-7F
    // A referral carries a URL, whose slashes are not levels.
    let referral = code.len() > 9
        && code
            .get(..9)
            .is_some_and(|p| p.eq_ignore_ascii_case(b"REFERRAL/"))
        && code.iter().all(|&b| (0x21..=0x7f).contains(&b));
    let valid = referral
        || !code.is_empty()
            && code.split(|&b| b == b'/').all(|level| {
                !level.is_empty()
                    && level
                        .iter()
                        .all(|&b| (0x21..=0x7f).contains(&b) && b != b']')
            });
    if !valid {
        return (None, text);
    }
    let rest = match after {
        [b' ', rest @ ..] => rest,
        rest => rest,
    };
    let code_str = String::from_utf8_lossy(code);
    (Some(response_code(code_str)), rest)
}

fn response_code(code: Cow<'_, str>) -> ResponseCode<'_> {
    let upper = code.to_ascii_uppercase();
    match upper.as_str() {
        "IN-USE" => ResponseCode::InUse,
        "LOGIN-DELAY" => ResponseCode::LoginDelay,
        "SYS/TEMP" => ResponseCode::SysTemp,
        "SYS/PERM" => ResponseCode::SysPerm,
        "AUTH" => ResponseCode::Auth,
        "UTF8" => ResponseCode::Utf8,
        _ if upper.starts_with("REFERRAL/") => match code {
            Cow::Borrowed(s) => ResponseCode::Referral(Cow::Borrowed(s.get(9..).unwrap_or(""))),
            Cow::Owned(s) => ResponseCode::Referral(Cow::Owned(s.get(9..).unwrap_or("").into())),
        },
        _ => ResponseCode::Other(code),
    }
}

/// Parses one reply line at the front of `buf`.
pub fn parse_response<'a>(
    buf: &'a [u8],
    options: &ParseOptions,
) -> Result<Status<ResponseLine<'a>>, Error> {
    match frame_line(buf, options)? {
        Status::Complete(line, used) => Ok(Status::Complete(parse_response_line(line)?, used)),
        Status::Incomplete => Ok(Status::Incomplete),
    }
}

impl Encode for Reply<'_> {
    fn write_to(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(if self.ok { b"+OK" } else { b"-ERR" });
        if let Some(code) = &self.code {
            out.extend_from_slice(b" [");
            out.extend_from_slice(code.as_wire().as_bytes());
            out.push(b']');
        }
        if !self.text.as_str().is_empty() {
            out.push(b' ');
            out.extend_from_slice(self.text.as_str().as_bytes());
        }
        out.extend_from_slice(b"\r\n");
    }
}

impl Encode for ResponseLine<'_> {
    fn write_to(&self, out: &mut Vec<u8>) {
        match self {
            Self::Status(reply) => reply.write_to(out),
            Self::Continuation(text) => {
                out.extend_from_slice(b"+ ");
                out.extend_from_slice(text.as_bytes());
                out.extend_from_slice(b"\r\n");
            }
        }
    }
}

fn listing_error(
    command: &'static str,
    index: usize,
    expected: &'static str,
    line: &[u8],
) -> Error {
    Error::Remote(RemoteError::Listing {
        command,
        index,
        expected,
        line: crate::error::excerpt(line),
    })
}

/// Parses one line of a `CAPA` listing (without line end). Known tags with parameters this
/// crate cannot read are kept as [`Capability::Other`].
pub fn parse_capability(line: &[u8]) -> Result<Capability<'_>, Error> {
    let bad = || listing_error("CAPA", 0, "a capability tag and parameters", line);
    let text = std::str::from_utf8(line).map_err(|_| bad())?;
    let mut words = text.split(' ');
    let tag = words.next().unwrap_or_default();
    let params: Vec<&str> = words.collect();
    if tag.is_empty()
        || params.iter().any(|p| p.is_empty()) && !tag.eq_ignore_ascii_case("IMPLEMENTATION")
    {
        return Err(bad());
    }
    let upper = tag.to_ascii_uppercase();
    let per_user = |rest: &[&str]| match rest {
        [] => Some(false),
        [u] if u.eq_ignore_ascii_case("USER") => Some(true),
        _ => None,
    };
    let known = match (upper.as_str(), params.as_slice()) {
        ("TOP", []) => Some(Capability::Top),
        ("USER", []) => Some(Capability::User),
        ("RESP-CODES", []) => Some(Capability::RespCodes),
        ("PIPELINING", []) => Some(Capability::Pipelining),
        ("UIDL", []) => Some(Capability::Uidl),
        ("STLS", []) => Some(Capability::Stls),
        ("LANG", []) => Some(Capability::Lang),
        ("UTF8", rest) => per_user(rest).map(|user| Capability::Utf8 { user }),
        ("SASL", mechs) => mechs
            .iter()
            .map(|m| m.parse::<Mechanism>().ok())
            .collect::<Option<Vec<_>>>()
            .map(Capability::Sasl),
        ("LOGIN-DELAY", [n, rest @ ..]) => number(n.as_bytes())
            .zip(per_user(rest))
            .map(|(seconds, per_user)| Capability::LoginDelay { seconds, per_user }),
        ("EXPIRE", [n, rest @ ..]) => {
            let policy = if n.eq_ignore_ascii_case("NEVER") {
                Some(Expire::Never)
            } else {
                number(n.as_bytes()).map(Expire::Days)
            };
            policy
                .zip(per_user(rest))
                .map(|(policy, per_user)| Capability::Expire { policy, per_user })
        }
        ("IMPLEMENTATION", _) => {
            let rest = text.get(tag.len()..).unwrap_or_default();
            let rest = rest.strip_prefix(' ').unwrap_or(rest);
            Some(Capability::Implementation(Text::from_checked(
                Cow::Borrowed(rest),
            )))
        }
        _ => None,
    };
    if let Some(cap) = known {
        return Ok(cap);
    }
    let tag = Param::new(tag).map_err(|_| bad())?;
    let params = params
        .into_iter()
        .map(|p| Param::new(p).map_err(|_| bad()))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Capability::Other { tag, params })
}

impl Encode for Capability<'_> {
    fn write_to(&self, out: &mut Vec<u8>) {
        let s = |out: &mut Vec<u8>, s: &str| out.extend_from_slice(s.as_bytes());
        let user = |out: &mut Vec<u8>, per_user: bool| {
            if per_user {
                out.extend_from_slice(b" USER");
            }
        };
        match self {
            Self::Top => s(out, "TOP"),
            Self::User => s(out, "USER"),
            Self::Sasl(mechs) => {
                s(out, "SASL");
                for m in mechs {
                    s(out, " ");
                    s(out, m.as_str());
                }
            }
            Self::RespCodes => s(out, "RESP-CODES"),
            Self::LoginDelay { seconds, per_user } => {
                s(out, &format!("LOGIN-DELAY {seconds}"));
                user(out, *per_user);
            }
            Self::Pipelining => s(out, "PIPELINING"),
            Self::Expire { policy, per_user } => {
                match policy {
                    Expire::Days(d) => s(out, &format!("EXPIRE {d}")),
                    Expire::Never => s(out, "EXPIRE NEVER"),
                }
                user(out, *per_user);
            }
            Self::Uidl => s(out, "UIDL"),
            Self::Implementation(t) => {
                s(out, "IMPLEMENTATION");
                if !t.as_str().is_empty() {
                    s(out, " ");
                    s(out, t.as_str());
                }
            }
            Self::Stls => s(out, "STLS"),
            Self::Utf8 { user: u } => {
                s(out, "UTF8");
                user(out, *u);
            }
            Self::Lang => s(out, "LANG"),
            Self::Other { tag, params } => {
                s(out, tag.as_str());
                for p in params {
                    s(out, " ");
                    s(out, p.as_str());
                }
            }
        }
        out.extend_from_slice(b"\r\n");
    }
}

/// Splits `a SP b [SP ignored]` into two numbers.
fn two_fields(text: &[u8]) -> Option<(&[u8], &[u8])> {
    let mut parts = text.splitn(3, |&b| b == b' ');
    let a = parts.next()?;
    let b = parts.next()?;
    Some((a, b))
}

/// Parses a `LIST` listing line (`msg size`); text after a further space is ignored.
pub fn parse_scan_listing(line: &[u8]) -> Result<ScanListing, Error> {
    two_fields(line)
        .and_then(|(a, b)| {
            Some(ScanListing {
                message: number(a)?,
                size: number64(b)?,
            })
        })
        .ok_or_else(|| listing_error("LIST", 0, "a message number and a size", line))
}

/// Parses a `UIDL` listing line (`msg unique-id`).
pub fn parse_unique_id_listing(line: &[u8]) -> Result<UniqueIdListing<'_>, Error> {
    let bad = || listing_error("UIDL", 0, "a message number and a unique-id", line);
    let (a, b) = two_fields(line).ok_or_else(bad)?;
    let message = number(a).ok_or_else(bad)?;
    let uid = std::str::from_utf8(b).map_err(|_| bad())?;
    let uid = UniqueId::new(uid).map_err(|_| bad())?;
    Ok(UniqueIdListing { message, uid })
}

/// Parses a `LANG` listing line (`tag [description]`).
pub fn parse_language_listing(line: &[u8]) -> Result<LanguageListing<'_>, Error> {
    let bad = || listing_error("LANG", 0, "a language tag", line);
    let text = std::str::from_utf8(line).map_err(|_| bad())?;
    let (tag, description) = match text.split_once(' ') {
        Some((tag, d)) => (tag, Some(Text::from_checked(Cow::Borrowed(d)))),
        None => (text, None),
    };
    Ok(LanguageListing {
        tag: Param::new(tag).map_err(|_| bad())?,
        description,
    })
}

impl Encode for ScanListing {
    fn write_to(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(format!("{} {}\r\n", self.message, self.size).as_bytes());
    }
}

impl Encode for UniqueIdListing<'_> {
    fn write_to(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(format!("{} {}\r\n", self.message, self.uid).as_bytes());
    }
}

impl Encode for LanguageListing<'_> {
    fn write_to(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.tag.as_str().as_bytes());
        if let Some(d) = &self.description {
            out.push(b' ');
            out.extend_from_slice(d.as_str().as_bytes());
        }
        out.extend_from_slice(b"\r\n");
    }
}

/// Reads the `STAT` answer out of a `+OK` reply (`count size`, further text ignored).
pub fn parse_stat(reply: &Reply<'_>) -> Result<MaildropStat, Error> {
    let text = reply.text.as_str().as_bytes();
    two_fields(text)
        .and_then(|(a, b)| {
            Some(MaildropStat {
                count: number(a)?,
                size: number64(b)?,
            })
        })
        .ok_or_else(|| bad_response("a message count and a size after +OK", text))
}

/// Reads a single-line `LIST n` answer out of a `+OK` reply.
pub fn parse_scan_reply(reply: &Reply<'_>) -> Result<ScanListing, Error> {
    let text = reply.text.as_str().as_bytes();
    parse_scan_listing(text)
        .map_err(|_| bad_response("a message number and a size after +OK", text))
}

/// Reads a single-line `UIDL n` answer out of a `+OK` reply.
pub fn parse_unique_id_reply<'a>(reply: &'a Reply<'_>) -> Result<UniqueIdListing<'a>, Error> {
    let text = reply.text.as_str().as_bytes();
    parse_unique_id_listing(text)
        .map_err(|_| bad_response("a message number and a unique-id after +OK", text))
}

/// A piece of a reply, from [`ReplyDecoder::decode`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplyPart<'a> {
    /// The first line. After a `+OK` to a multi-line command, body pieces follow.
    Line(ResponseLine<'a>),
    /// Body bytes were appended to the caller's vector.
    Body,
    /// The body ended (the `CRLF.CRLF` was consumed). Carries the first policy error, if the
    /// body broke the line-ending policy.
    End(Option<mail_wire::dot::DotError>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DecoderState {
    Line(ReplyShape),
    Body,
}

/// Streams replies: the status line, then the dot-unstuffed body of multi-line replies in
/// chunks of whatever size the input arrives in.
///
/// Tell it the shape of the next reply with [`ReplyDecoder::expect`] (from
/// [`Command::reply_shape`] of the command sent; the greeting is
/// [`ReplyShape::SingleLine`]). Errors are fatal: the stream cannot be resynchronised.
///
/// ```
/// use pop3_proto::codec::{ParseOptions, ReplyDecoder, ReplyPart};
/// use pop3_proto::{Command, ResponseLine};
///
/// let mut decoder = ReplyDecoder::new(&ParseOptions::default());
/// decoder.expect(Command::Retr(1).reply_shape());
/// let wire = b"+OK 9 octets\r\n..hidden\r\n.\r\n";
/// let mut body = Vec::new();
/// let Ok(mail_wire::Status::Complete(ReplyPart::Line(ResponseLine::Status(r)), n)) =
///     decoder.decode(wire, &mut body) else { panic!() };
/// assert!(r.ok);
/// let mut rest = &wire[n..];
/// loop {
///     let (part, n) = decoder.decode(rest, &mut body)?.complete().unwrap();
///     rest = &rest[n..];
///     if part == ReplyPart::End(None) { break; }
/// }
/// assert_eq!(body, b".hidden\r\n");
/// # Ok::<(), pop3_proto::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ReplyDecoder {
    framer: LineFramer,
    dot: DotDecoder,
    state: DecoderState,
}

impl ReplyDecoder {
    /// A decoder waiting for a single-line reply (the greeting).
    pub fn new(options: &ParseOptions) -> Self {
        Self {
            framer: LineFramer::new(options.line_config()),
            dot: DotDecoder::new(options.body_line_ending),
            state: DecoderState::Line(ReplyShape::SingleLine),
        }
    }

    /// Sets the shape of the next reply. Call it before the reply's first byte is decoded.
    pub fn expect(&mut self, shape: ReplyShape) {
        self.state = DecoderState::Line(shape);
    }

    /// Whether the decoder is inside a multi-line body.
    pub fn in_body(&self) -> bool {
        self.state == DecoderState::Body
    }

    /// Forgets everything (after a TLS switch).
    pub fn reset(&mut self) {
        self.framer.reset();
        self.dot.reset();
        self.state = DecoderState::Line(ReplyShape::SingleLine);
    }

    /// Decodes from the front of `buf`, appending body bytes to `body`.
    pub fn decode<'b>(
        &mut self,
        buf: &'b [u8],
        body: &mut Vec<u8>,
    ) -> Result<Status<ReplyPart<'b>>, Error> {
        self.decode_with(buf, |piece| body.extend_from_slice(piece))
    }

    /// Decodes from the front of `buf`, handing body bytes to `sink` (borrowed pieces).
    pub fn decode_with<'b>(
        &mut self,
        buf: &'b [u8],
        sink: impl FnMut(&[u8]),
    ) -> Result<Status<ReplyPart<'b>>, Error> {
        match self.state {
            DecoderState::Line(shape) => {
                let (line, used) = match self.framer.decode(buf) {
                    Ok(Status::Complete(Frame::Line(line), used)) => (line.content, used),
                    Ok(Status::Complete(Frame::Skipped, _)) | Ok(Status::Incomplete) => {
                        return Ok(Status::Incomplete)
                    }
                    Err(e) => return Err(Error::Remote(RemoteError::Line(e))),
                };
                let parsed = parse_response_line(line)?;
                match (&parsed, shape) {
                    (ResponseLine::Status(r), ReplyShape::MultiLine) if r.ok => {
                        self.dot.reset();
                        self.state = DecoderState::Body;
                    }
                    (ResponseLine::Continuation(_), ReplyShape::Sasl) => {}
                    (ResponseLine::Continuation(_), _) => {
                        return Err(bad_response("+OK or -ERR", line));
                    }
                    _ => self.state = DecoderState::Line(ReplyShape::SingleLine),
                }
                Ok(Status::Complete(ReplyPart::Line(parsed), used))
            }
            DecoderState::Body => {
                if buf.is_empty() {
                    return Ok(Status::Incomplete);
                }
                match self.dot.decode_with(buf, sink) {
                    Status::Incomplete => Ok(Status::Complete(ReplyPart::Body, buf.len())),
                    Status::Complete(result, used) => {
                        self.framer.advance(0);
                        self.state = DecoderState::Line(ReplyShape::SingleLine);
                        Ok(Status::Complete(ReplyPart::End(result.err()), used))
                    }
                }
            }
        }
    }
}

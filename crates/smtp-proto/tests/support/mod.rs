//! Helpers shared by the integration tests of smtp-proto: transcripts and session drivers.
#![allow(dead_code, unreachable_pub)]

use mail_wire::Status;
use smtp_proto::codec::reply::{parse_reply, Reply};
use smtp_proto::session::server::{ServerEvent, ServerSession};

/// One side's turn in a transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Turn {
    /// Bytes the client sends (consecutive `C:` lines, CRLF-ended).
    Client(Vec<u8>),
    /// One reply of the server.
    Server(Reply<'static>),
}

/// Reads `C:` / `S:` lines (indentation ignored; other lines skipped) into turns: consecutive
/// client lines form one turn, each server reply one turn.
pub fn transcript(text: &str) -> Vec<Turn> {
    let mut turns = Vec::new();
    let mut server = Vec::new();
    for raw in text.lines() {
        let line = raw.trim_start();
        if let Some(rest) = line.strip_prefix("C:") {
            let rest = rest.strip_prefix(' ').unwrap_or(rest);
            if rest.starts_with('<') && rest.ends_with('>') && !rest.contains(':') {
                continue; // "<open connection to server>"
            }
            let mut bytes = rest.as_bytes().to_vec();
            bytes.extend_from_slice(b"\r\n");
            match turns.last_mut() {
                Some(Turn::Client(prev)) => prev.extend_from_slice(&bytes),
                _ => turns.push(Turn::Client(bytes)),
            }
        } else if let Some(rest) = line.strip_prefix("S:") {
            let rest = rest.strip_prefix(' ').unwrap_or(rest);
            if rest.starts_with('<') {
                continue;
            }
            server.extend_from_slice(rest.as_bytes());
            server.extend_from_slice(b"\r\n");
            if rest.as_bytes().get(3) != Some(&b'-') {
                let Ok(Status::Complete(reply, _)) = parse_reply(&server) else {
                    panic!("bad reply in transcript: {rest}");
                };
                turns.push(Turn::Server(reply.into_owned()));
                server.clear();
            }
        }
    }
    turns
}

/// Every reply in `bytes`, in order.
pub fn replies(mut bytes: &[u8]) -> Vec<Reply<'static>> {
    let mut out = Vec::new();
    while !bytes.is_empty() {
        match parse_reply(bytes) {
            Ok(Status::Complete(r, n)) => {
                out.push(r.into_owned());
                bytes = &bytes[n..];
            }
            other => panic!(
                "server output does not parse: {other:?} in {:?}",
                String::from_utf8_lossy(bytes)
            ),
        }
    }
    out
}

/// What a server run produced.
#[derive(Debug, Default)]
pub struct ServerRun {
    /// Everything transmitted.
    pub output: Vec<u8>,
    /// Every event, in order (decisions included).
    pub events: Vec<ServerEvent>,
    /// Bodies of the messages that reached MessageEnd.
    pub messages: Vec<Vec<u8>>,
    /// Body collected so far.
    pub current: Vec<u8>,
}

/// Decides like a simple application: accept everything except recipients whose local part
/// starts with "bad".
pub fn default_policy(server: &mut ServerSession, event: &ServerEvent) {
    match event {
        ServerEvent::MailFrom { .. } | ServerEvent::MessageEnd => server.accept().unwrap(),
        ServerEvent::RcptTo { to, .. } => {
            if to
                .mailbox()
                .is_some_and(|m| m.local_part().starts_with("bad"))
            {
                server
                    .reject(Reply::new(550, None, "No such user").unwrap())
                    .unwrap()
            } else {
                server.accept().unwrap()
            }
        }
        _ => {}
    }
}

impl ServerRun {
    /// Drains events (deciding with `policy`) and output until quiet.
    pub fn drive(
        &mut self,
        server: &mut ServerSession,
        policy: &mut dyn FnMut(&mut ServerSession, &ServerEvent, &[u8]),
    ) {
        loop {
            server.poll_transmit(&mut self.output);
            let Some(event) = server.poll_event() else {
                break;
            };
            match &event {
                ServerEvent::MessageData(d) => self.current.extend_from_slice(d),
                ServerEvent::MessageEnd => self.messages.push(std::mem::take(&mut self.current)),
                ServerEvent::MessageAborted(_) => self.current.clear(),
                _ => {}
            }
            policy(server, &event, &self.output);
            self.events.push(event);
        }
    }

    /// Feeds `input` in one piece and drives.
    pub fn feed(
        &mut self,
        server: &mut ServerSession,
        input: &[u8],
        policy: &mut dyn FnMut(&mut ServerSession, &ServerEvent, &[u8]),
    ) {
        server.handle_input(input);
        self.drive(server, policy);
    }

    /// The codes of the replies transmitted.
    pub fn codes(&self) -> Vec<u16> {
        replies(&self.output)
            .iter()
            .map(|r| r.code().get())
            .collect()
    }
}

/// Feeds `input` to a fresh server in pieces cut at `cuts`, with the default policy.
pub fn run_split(
    make: &dyn Fn() -> ServerSession,
    input: &[u8],
    cuts: &[usize],
) -> (ServerRun, ServerSession) {
    let mut server = make();
    let mut run = ServerRun::default();
    let mut policy = |s: &mut ServerSession, e: &ServerEvent, _: &[u8]| default_policy(s, e);
    run.drive(&mut server, &mut policy);
    let mut last = 0;
    for &cut in cuts.iter().chain(std::iter::once(&input.len())) {
        run.feed(&mut server, &input[last..cut], &mut policy);
        last = cut;
    }
    (run, server)
}

//! An in-memory client <-> server pair with a maildrop store, no sockets.
#![allow(dead_code, unreachable_pub, missing_docs)]

use std::collections::HashMap;

use pop3_proto::session::client::{Client, ClientConfig, ClientEvent};
use pop3_proto::session::server::{
    AuthAnswer, AuthRequest, Credentials, MessageInfo, ScramKeys, Secret, Server, ServerConfig,
    ServerEvent,
};
use pop3_proto::UniqueId;

/// The application side of a server: users, one maildrop per user, a lock flag.
#[derive(Debug, Default)]
pub struct Store {
    pub users: HashMap<String, String>,
    pub messages: Vec<(String, Vec<u8>)>,
    pub locked_elsewhere: bool,
    pub removed: Vec<usize>,
    pub opened: Option<String>,
    pub log: Vec<ServerEvent>,
    pub tls_started: bool,
    /// Chunk size for streaming messages.
    pub chunk: usize,
}

impl Store {
    pub fn new(messages: &[(&str, &[u8])]) -> Self {
        let mut users = HashMap::new();
        users.insert("mrose".to_string(), "tanstaaf".to_string());
        Self {
            users,
            messages: messages
                .iter()
                .map(|(u, m)| (u.to_string(), m.to_vec()))
                .collect(),
            chunk: 7,
            ..Self::default()
        }
    }

    /// Answers every pending server event.
    pub fn answer(&mut self, server: &mut Server) {
        while let Some(event) = server.poll_event() {
            self.log.push(event.clone());
            match event {
                ServerEvent::Auth(request) => {
                    let answer = match request {
                        AuthRequest::Verify(Credentials::Password {
                            authcid, password, ..
                        }) => AuthAnswer::Verified(
                            self.users.get(&authcid).map(String::as_str) == Some(password.expose()),
                        ),
                        AuthRequest::LookupSecret { authcid } => {
                            AuthAnswer::Secret(self.users.get(&authcid).cloned().map(Secret::new))
                        }
                        AuthRequest::LookupScram { hash, authcid, .. } => AuthAnswer::ScramKeys(
                            self.users
                                .get(&authcid)
                                .map(|p| ScramKeys::derive(hash, p, b"salt", 4096).unwrap()),
                        ),
                        _ => AuthAnswer::Verified(false),
                    };
                    server.auth_answer(answer).unwrap();
                }
                ServerEvent::OpenMaildrop { user } => {
                    if self.locked_elsewhere {
                        server.maildrop_locked().unwrap();
                    } else {
                        self.opened = Some(user);
                        let infos = self
                            .messages
                            .iter()
                            .map(|(uid, m)| MessageInfo {
                                size: m.len() as u64,
                                uid: UniqueId::new(uid.clone()).unwrap(),
                            })
                            .collect();
                        server.maildrop_opened(infos).unwrap();
                    }
                }
                ServerEvent::Retrieve { index, .. } => {
                    let data = self.messages[index].1.clone();
                    for piece in data.chunks(self.chunk.max(1)) {
                        if !server.message_data(piece).unwrap() {
                            break;
                        }
                    }
                    server.message_end().unwrap();
                }
                ServerEvent::Update { deleted } => {
                    self.removed = deleted;
                    server.update_done(true).unwrap();
                }
                ServerEvent::StartTls => self.tls_started = true,
                _ => {}
            }
        }
    }
}

pub fn server_config() -> ServerConfig {
    let mut config = ServerConfig::default();
    config.mechanisms.extend([
        "CRAM-MD5".parse().unwrap(),
        "SCRAM-SHA-256".parse().unwrap(),
    ]);
    config
}

pub const STAMP: &str = "<1896.697170952@dbc.mtview.ca.us>";

/// Client and server wired back to back.
pub struct Pair {
    pub client: Client,
    pub server: Server,
    pub store: Store,
    pub events: Vec<ClientEvent>,
    /// Every byte the client sent, and every byte the server sent.
    pub c2s: Vec<u8>,
    pub s2c: Vec<u8>,
}

impl Pair {
    pub fn new(store: Store, config: ServerConfig) -> Self {
        Self {
            client: Client::new(ClientConfig::default()),
            server: Server::new(config, Some(STAMP.to_string())),
            store,
            events: Vec::new(),
            c2s: Vec::new(),
            s2c: Vec::new(),
        }
    }

    /// Moves bytes both ways until nothing moves.
    pub fn run(&mut self) {
        loop {
            self.store.answer(&mut self.server);
            let mut moved = false;
            let mut buf = Vec::new();
            if self.server.poll_transmit(&mut buf) > 0 {
                moved = true;
                self.s2c.extend_from_slice(&buf);
                self.client.handle_input(&buf);
            }
            while let Some(e) = self.client.poll_event() {
                if e == ClientEvent::StartTls {
                    self.client.tls_established().unwrap();
                    if self.store.tls_started {
                        self.server.tls_established().unwrap();
                    }
                }
                self.events.push(e);
            }
            let mut buf = Vec::new();
            if self.client.poll_transmit(&mut buf) > 0 {
                moved = true;
                self.c2s.extend_from_slice(&buf);
                self.server.handle_input(&buf);
            }
            if !moved {
                self.store.answer(&mut self.server);
                let mut buf = Vec::new();
                if self.server.poll_transmit(&mut buf) == 0 {
                    return;
                }
                self.s2c.extend_from_slice(&buf);
                self.client.handle_input(&buf);
            }
        }
    }

    /// The body bytes the client received for a handle.
    pub fn body(&self, handle: u64) -> Vec<u8> {
        let mut out = Vec::new();
        for e in &self.events {
            if let ClientEvent::Body { handle: h, data } = e {
                if *h == handle {
                    out.extend_from_slice(data);
                }
            }
        }
        out
    }

    pub fn outcome(&self, handle: u64) -> pop3_proto::session::client::Outcome {
        self.events
            .iter()
            .find_map(|e| match e {
                ClientEvent::Reply {
                    handle: h, outcome, ..
                } if *h == handle => Some(outcome.clone()),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no reply for handle {handle}: {:#?}", self.events))
    }
}

/// Turns the LF line ends of a corpus file into CRLF.
pub fn crlf(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 32);
    for &b in bytes {
        if b == b'\n' {
            out.push(b'\r');
        }
        out.push(b);
    }
    out
}

//! Whole transcripts (both directions), literals and synchronisation, limits, and each tolerated
//! deviation with the software that needs it.

use imap_proto::*;

fn units<'a>(
    mut bytes: &'a [u8],
    opts: &ParseOptions,
    parse: impl Fn(&'a [u8], &ParseOptions) -> Result<Status<String>, ParseError>,
) -> Vec<String> {
    let mut out = Vec::new();
    while !bytes.is_empty() {
        match parse(bytes, opts) {
            Ok(Status::Complete(kind, used)) => {
                out.push(kind);
                bytes = bytes.get(used..).unwrap_or_default();
            }
            other => panic!("{other:?} at {:?}", String::from_utf8_lossy(bytes)),
        }
    }
    out
}

fn server_kinds(bytes: &[u8], opts: &ParseOptions) -> Vec<String> {
    units(bytes, opts, |b, o| {
        parse_response(b, o).map(|s| s.map(|r| r.kind().to_owned()))
    })
}

fn client_kinds(bytes: &[u8], opts: &ParseOptions) -> Vec<String> {
    units(bytes, opts, |b, o| match parse_idle_done(b, o) {
        Ok(Status::Complete((), n)) => Ok(Status::Complete("Done".to_owned(), n)),
        _ => parse_command(b, o).map(|s| s.map(|c| c.body.kind().to_owned())),
    })
}

const HEADER: &str = "Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\r\n\
From: Terry Gray <gray@cac.washington.edu>\r\n\
Subject: IMAP4rev1 WG mtg summary and minutes\r\n\
To: imap@cac.washington.edu\r\n\
cc: minutes@CNRI.Reston.VA.US, John Klensin <KLENSIN@MIT.EDU>\r\n\
Message-Id: <B27397-0100000@cac.washington.edu>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n\
\r\n";

/// RFC 3501 section 8, both directions.
#[test]
fn rfc3501_section_8() {
    assert_eq!(HEADER.len(), 342, "the RFC's literal size");
    let server = format!(
        "* OK IMAP4rev1 Service Ready\r\n\
a001 OK LOGIN completed\r\n\
* 18 EXISTS\r\n\
* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n\
* 2 RECENT\r\n\
* OK [UNSEEN 17] Message 17 is the first unseen message\r\n\
* OK [UIDVALIDITY 3857529045] UIDs valid\r\n\
a002 OK [READ-WRITE] SELECT completed\r\n\
* 12 FETCH (FLAGS (\\Seen) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" \
RFC822.SIZE 4286 ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \
\"IMAP4rev1 WG mtg summary and minutes\" \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((NIL NIL \"imap\" \"cac.washington.edu\")) \
((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")\
(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) NIL NIL \
\"<B27397-0100000@cac.washington.edu>\") \
BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92))\r\n\
a003 OK FETCH completed\r\n\
* 12 FETCH (BODY[HEADER] {{342}}\r\n{HEADER})\r\n\
a004 OK FETCH completed\r\n\
* 12 FETCH (FLAGS (\\Seen \\Deleted))\r\n\
a005 OK +FLAGS completed\r\n\
* BYE IMAP4rev1 server terminating connection\r\n\
a006 OK LOGOUT completed\r\n"
    );
    let kinds = server_kinds(server.as_bytes(), &ParseOptions::default());
    assert_eq!(
        kinds,
        [
            "Ok", "Tagged", "Exists", "Flags", "Recent", "Ok", "Ok", "Tagged", "Fetch", "Tagged",
            "Fetch", "Tagged", "Fetch", "Tagged", "Bye", "Tagged"
        ]
    );

    // The FETCH FULL answer is fully typed: no item fell back to `Other`.
    let start = server
        .find("* 12 FETCH (FLAGS (\\Seen) INTERNALDATE")
        .unwrap_or(0);
    let Ok(Status::Complete(Response::Data(Data::Fetch { items, .. }), _)) = parse_response(
        server.as_bytes().get(start..).unwrap_or_default(),
        &ParseOptions::default(),
    ) else {
        panic!("FETCH FULL does not parse")
    };
    assert_eq!(items.len(), 5);
    assert!(
        items.iter().all(|i| !matches!(i, FetchItem::Other { .. })),
        "{items:?}"
    );
    let Some(FetchItem::Envelope(env)) = items.get(3) else {
        panic!("{items:?}")
    };
    assert_eq!(env.cc.len(), 2);
    assert_eq!(
        env.to
            .first()
            .and_then(|a| a.mailbox.as_ref())
            .map(|m| m.data()),
        Some(&b"imap"[..])
    );

    let client = "a001 login mrc secret\r\na002 select inbox\r\na003 fetch 12 full\r\n\
a004 fetch 12 body[header]\r\na005 store 12 +flags \\deleted\r\na006 logout\r\n";
    assert_eq!(
        client_kinds(client.as_bytes(), &ParseOptions::default()),
        ["Login", "Select", "Fetch", "Fetch", "Store", "Logout"]
    );
}

/// RFC 3501 6.3.11: APPEND with a synchronising literal; the server sees the announcement
/// before the data and answers `+`.
#[test]
fn append_with_synchronising_literal() {
    let msg = "Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)\r\nFrom: Fred Foobar <foobar@Blurdybloop.COM>\r\n\
Subject: afternoon meeting\r\nTo: mooch@owatagu.siam.edu\r\nMessage-Id: <B27397-0100000@Blurdybloop.COM>\r\n\
MIME-Version: 1.0\r\nContent-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n\r\nHello Joe, do you think we can meet at 3:30 tomorrow?\r\n";
    assert_eq!(msg.len(), 310);
    let line = "A003 APPEND saved-messages (\\Seen) {310}\r\n";
    let all = format!("{line}{msg}\r\n");
    let opts = ParseOptions::default();

    // The server has only the first line: it learns a synchronising literal is announced.
    let mut framer = Framer::new();
    assert_eq!(
        framer.next(line.as_bytes(), &opts),
        Ok(FrameEvent::LiteralAnnounced {
            data_offset: line.len(),
            length: 310,
            sync: true,
            binary: false
        })
    );
    assert_eq!(
        framer.next(line.as_bytes(), &opts),
        Ok(FrameEvent::Incomplete)
    );
    assert_eq!(
        framer.next(all.as_bytes(), &opts),
        Ok(FrameEvent::Complete(all.len()))
    );
    assert!(matches!(
        parse_command(line.as_bytes(), &opts),
        Ok(Status::Incomplete)
    ));

    let Ok(Status::Complete(cmd, n)) = parse_command(all.as_bytes(), &opts) else {
        panic!()
    };
    assert_eq!(n, all.len());
    let CommandBody::Append { mailbox, messages } = &cmd.body else {
        panic!("{cmd:?}")
    };
    assert_eq!(mailbox.wire_name(), b"saved-messages");
    assert_eq!(
        messages.first().map(|m| m.message.data()),
        Some(msg.as_bytes())
    );
    assert_eq!(
        messages.first().and_then(|m| m.flags.clone()),
        Some(vec![Flag::Seen])
    );

    // The client side: the encoder says where to wait for the continuation.
    let enc = cmd.encode();
    assert_eq!(enc.bytes(), all.as_bytes());
    let frags = enc.fragments();
    assert_eq!(frags.len(), 2);
    assert_eq!(
        frags.first().map(|f| (f.bytes, f.wait_for_continuation)),
        Some((line.as_bytes(), true))
    );
}

/// RFC 7888: LITERAL+ needs no continuation.
#[test]
fn rfc7888_non_synchronising_literals() {
    let all = b"A001 LOGIN {11+}\r\nFRED FOOBAR {7+}\r\nfat man\r\n";
    let Ok(Status::Complete(cmd, _)) = parse_command(all, &ParseOptions::default()) else {
        panic!()
    };
    let CommandBody::Login { username, password } = &cmd.body else {
        panic!()
    };
    assert_eq!(username.data(), b"FRED FOOBAR");
    assert_eq!(password.expose().data(), b"fat man");
    assert!(
        !format!("{cmd:?}").contains("fat man"),
        "the password is redacted"
    );
    assert_eq!(cmd.encode().fragments().len(), 1);
}

/// RFC 2177 IDLE, client side, with DONE.
#[test]
fn rfc2177_idle() {
    let client = b"A002 IDLE\r\nDONE\r\nA003 FETCH 4 ALL\r\n";
    assert_eq!(
        client_kinds(client, &ParseOptions::default()),
        ["Idle", "Done", "Fetch"]
    );
    let server =
        b"* FLAGS (\\Deleted \\Seen)\r\n* 3 EXISTS\r\n* 0 RECENT\r\n* OK [UIDVALIDITY 1]\r\n\
A001 OK SELECT completed\r\n+ idling\r\n* 4 EXISTS\r\nA002 OK IDLE terminated\r\n";
    assert_eq!(
        server_kinds(server, &ParseOptions::default()),
        ["Flags", "Exists", "Recent", "Ok", "Tagged", "Continue", "Exists", "Tagged"]
    );
}

/// RFC 4959 / RFC 9051: AUTHENTICATE without an initial response, then the SASL exchange.
#[test]
fn authenticate_exchange() {
    let opts = ParseOptions::default();
    let Ok(Status::Complete(cmd, _)) = parse_command(b"A01 AUTHENTICATE PLAIN\r\n", &opts) else {
        panic!()
    };
    assert!(matches!(
        cmd.body,
        CommandBody::Authenticate { initial: None, .. }
    ));
    assert_eq!(
        parse_authenticate_data(b"dGVzdAB0ZXN0AHRlc3Q=\r\n", &opts),
        Ok(Status::Complete(Some(&b"dGVzdAB0ZXN0AHRlc3Q="[..]), 22))
    );
    assert_eq!(
        parse_authenticate_data(b"*\r\n", &opts),
        Ok(Status::Complete(None, 3))
    );
    let Ok(Status::Complete(Response::Continue(t), _)) = parse_response(b"+ \r\n", &opts) else {
        panic!()
    };
    assert_eq!(t.text.as_str(), "");
}

/// A BINARY FETCH with a literal8 (RFC 3516).
#[test]
fn rfc3516_literal8() {
    let bytes = b"* 1 FETCH (BINARY[1] ~{4}\r\n\x00\x01\x02\x03)\r\n";
    let Ok(Status::Complete(Response::Data(Data::Fetch { items, .. }), _)) =
        parse_response(bytes, &ParseOptions::default())
    else {
        panic!()
    };
    let Some(FetchItem::Binary {
        data: Some(IString::Literal(l)),
        ..
    }) = items.first()
    else {
        panic!()
    };
    assert!(l.is_binary());
    assert_eq!(l.data(), b"\x00\x01\x02\x03");
    // NUL in a plain literal is refused.
    let bad = b"* 1 FETCH (BODY[] {2}\r\n\x00a)\r\n";
    assert_eq!(
        parse_response(bad, &ParseOptions::default())
            .err()
            .map(|e| e.kind),
        Some(ParseErrorKind::Nul)
    );
}

#[test]
fn limits_are_typed_errors() {
    let mut o = ParseOptions::default();
    o.max_line = 20;
    let long = b"* OK this line is longer than twenty bytes\r\n";
    assert_eq!(
        parse_response(long, &o).err().map(|e| e.kind),
        Some(ParseErrorKind::LineTooLong { limit: 20 })
    );
    // Even before the line ends: memory stays bounded.
    assert_eq!(
        parse_response(&long[..30], &o).err().map(|e| e.kind),
        Some(ParseErrorKind::LineTooLong { limit: 20 })
    );

    let mut o = ParseOptions::default();
    o.max_literal = 10;
    let lit = b"* 1 FETCH (BODY[] {11}\r\n";
    assert_eq!(
        parse_response(lit, &o).err().map(|e| e.kind),
        Some(ParseErrorKind::LiteralTooLarge {
            length: 11,
            limit: 10
        })
    );

    let mut o = ParseOptions::default();
    o.max_depth = 5;
    let deep = b"* 1 FETCH (X-Q ((((((1)))))))\r\n";
    assert_eq!(
        parse_response(deep, &o).err().map(|e| e.kind),
        Some(ParseErrorKind::TooDeep { limit: 5 })
    );
    // A hostile nesting depth never overflows the stack with the default limit.
    let mut hostile = b"* 1 FETCH (X-Q ".to_vec();
    hostile.extend(std::iter::repeat_n(b'(', 100_000));
    hostile.extend_from_slice(b"\r\n");
    assert!(parse_response(&hostile, &ParseOptions::default()).is_err());
}

#[test]
fn one_malformed_item_keeps_the_others() {
    let bytes = b"* 3 FETCH (UID 7 ENVELOPE (\"broken\") FLAGS (\\Seen))\r\n";
    let Ok(Status::Complete(Response::Data(Data::Fetch { items, .. }), _)) =
        parse_response(bytes, &ParseOptions::default())
    else {
        panic!()
    };
    assert_eq!(items.first(), Some(&FetchItem::Uid(7)));
    assert!(
        matches!(items.get(1), Some(FetchItem::Other { name, .. }) if name.as_str() == "ENVELOPE")
    );
    assert_eq!(items.get(2), Some(&FetchItem::Flags(vec![Flag::Seen])));
}

#[test]
fn unknown_codes_capabilities_items_are_kept() {
    let o = ParseOptions::default();
    let Ok(Status::Complete(r, _)) = parse_response(b"* OK [XYZZY 1 2 (3)] hi\r\n", &o) else {
        panic!()
    };
    let Response::Data(Data::Condition { text, .. }) = &r else {
        panic!()
    };
    assert!(
        matches!(&text.code, Some(Code::Other { name, args: Some(a) }) if name.as_str() == "XYZZY" && a.as_str() == "1 2 (3)")
    );
    let Ok(Status::Complete(r, _)) = parse_response(
        b"* CAPABILITY IMAP4rev2 X-GM-EXT-1 AUTH=SCRAM-SHA-1\r\n",
        &o,
    ) else {
        panic!()
    };
    let Response::Data(Data::Capability(c)) = &r else {
        panic!()
    };
    assert_eq!(c.first(), Some(&Capability::Imap4rev2));
    assert!(matches!(c.get(1), Some(Capability::Other(a)) if a.as_str() == "X-GM-EXT-1"));
    let Ok(Status::Complete(r, _)) = parse_response(
        b"* 1 FETCH (X-GM-LABELS (\\Inbox \"a b\") EMAILID (M1) UID 3)\r\n",
        &o,
    ) else {
        panic!()
    };
    let Response::Data(Data::Fetch { items, .. }) = &r else {
        panic!()
    };
    assert_eq!(items.len(), 3);
}

#[test]
fn mailbox_names_in_modified_utf7() {
    let m = Mailbox::from_utf8("Entwürfe/台北").unwrap_or_else(|_| panic!());
    assert_eq!(m.wire_name(), b"Entw&APw-rfe/&U,BTFw-");
    assert_eq!(m.name(), "Entwürfe/台北");
    // UTF8=ACCEPT (RFC 6855): a UTF-8 name arrives quoted and is kept as sent.
    let Ok(Status::Complete(r, _)) = parse_response(
        "* LIST () \"/\" \"Entwürfe\"\r\n".as_bytes(),
        &ParseOptions::default(),
    ) else {
        panic!()
    };
    let Response::Data(Data::List(_, l)) = &r else {
        panic!()
    };
    assert_eq!(l.mailbox.name(), "Entwürfe");
}

// ----- each tolerated deviation, with the software that needs it -----

fn strict_fails_option_passes(bytes: &[u8], set: impl Fn(&mut ParseOptions)) {
    // Strict, and not even the fallback of a malformed FETCH item to `Other`.
    let mut strict = ParseOptions::default();
    strict.keep_malformed_fetch_items = false;
    assert!(
        parse_response(bytes, &strict).is_err(),
        "strict accepts {:?}",
        String::from_utf8_lossy(bytes)
    );
    let mut o = strict.clone();
    set(&mut o);
    let r = parse_response(bytes, &o);
    assert!(
        matches!(r, Ok(Status::Complete(_, n)) if n == bytes.len()),
        "{r:?}"
    );
    assert!(matches!(
        parse_response(bytes, &ParseOptions::lenient()),
        Ok(Status::Complete(..))
    ));
}

/// Transcripts saved on Unix (the MailKit corpus before normalisation).
#[test]
fn bare_lf_from_saved_transcripts() {
    strict_fails_option_passes(b"* 3 EXISTS\n", |o| o.allow_bare_lf = true);
}

/// Gmail and Yahoo answer an empty SEARCH as `* SEARCH ` with a trailing space.
#[test]
fn trailing_space_from_gmail_search() {
    strict_fails_option_passes(b"* SEARCH \r\n", |o| o.allow_trailing_space = true);
}

/// Exchange pads between address lists and list items.
#[test]
fn extra_spaces_from_exchange() {
    strict_fails_option_passes(b"* FLAGS (\\Seen  \\Draft)\r\n", |o| {
        o.allow_extra_spaces = true
    });
}

/// Old Courier and Latin-1 configured servers send 8-bit status text.
#[test]
fn eight_bit_text_from_courier() {
    strict_fails_option_passes(b"* OK Bienvenue \xe0 bord\r\n", |o| {
        o.allow_8bit_text = true
    });
}

/// Exchange sends NIL for a body subtype.
#[test]
fn nil_for_string_from_exchange() {
    strict_fails_option_passes(
        b"* 1 FETCH (BODYSTRUCTURE (\"TEXT\" NIL NIL NIL NIL \"7BIT\" 10 1))\r\n",
        |o| o.allow_nil_for_string = true,
    );
}

/// Some Zimbra versions put `\*` in FLAGS.
#[test]
fn wildcard_in_flags_from_zimbra() {
    strict_fails_option_passes(b"* FLAGS (\\Seen \\*)\r\n", |o| {
        o.allow_wildcard_in_flags = true
    });
}

/// Exchange sends `()` for an empty address list.
#[test]
fn empty_lists_from_exchange() {
    strict_fails_option_passes(
        b"* 1 FETCH (ENVELOPE (NIL NIL () NIL NIL NIL NIL NIL NIL NIL))\r\n",
        |o| o.allow_empty_lists = true,
    );
}

/// The MailKit corpus' flat-namespace server: `""` as a delimiter.
#[test]
fn empty_delimiter_from_mailkit_corpus() {
    strict_fails_option_passes(b"* LIST (\\HasNoChildren) \"\" \"Folder2\"\r\n", |o| {
        o.allow_empty_delimiter = true
    });
}

/// Domino and old Dovecot send `+` alone; some servers send `A1 OK` with no text.
#[test]
fn missing_text_from_domino() {
    strict_fails_option_passes(b"+\r\n", |o| o.allow_missing_text = true);
    strict_fails_option_passes(b"A1 OK\r\n", |o| o.allow_missing_text = true);
}

/// MDaemon quotes Windows paths without escaping backslashes.
#[test]
fn any_quoted_escape_from_mdaemon() {
    strict_fails_option_passes(b"* LIST () \"\\\\\" \"C:\\Mail\"\r\n", |o| {
        o.allow_any_quoted_escape = true
    });
}

/// Gmail serves messages that contain NUL bytes in plain literals.
#[test]
fn nul_in_literal_from_gmail() {
    strict_fails_option_passes(b"* 1 FETCH (BODY[] {3}\r\na\x00b)\r\n", |o| {
        o.allow_nul_in_literal = true;
    });
}

/// RFC 6855: APPEND of a UTF-8 message under UTF8=ACCEPT.
#[test]
fn rfc6855_append_utf8() {
    let msg = "Subject: Grüße\r\n\r\nHallo\r\n";
    let all = format!("A1 APPEND INBOX UTF8 (~{{{}+}}\r\n{msg})\r\n", msg.len());
    let Ok(Status::Complete(cmd, n)) = parse_command(all.as_bytes(), &ParseOptions::default())
    else {
        panic!()
    };
    assert_eq!(n, all.len());
    let CommandBody::Append { messages, .. } = &cmd.body else {
        panic!()
    };
    let m = messages.first().unwrap_or_else(|| panic!());
    assert!(m.utf8 && m.message.is_binary());
    assert_eq!(m.message.data(), msg.as_bytes());
    assert_eq!(cmd.encode().bytes(), all.as_bytes());
}

/// SEARCH's NOT and OR nest without parentheses; the depth limit holds there too.
#[test]
fn search_not_chain_is_bounded() {
    let mut cmd = b"A1 SEARCH".to_vec();
    for _ in 0..200_000 {
        cmd.extend_from_slice(b" NOT");
    }
    cmd.extend_from_slice(b" ALL\r\n");
    let e = parse_command(&cmd, &ParseOptions::default())
        .err()
        .map(|e| e.kind);
    assert_eq!(e, Some(ParseErrorKind::TooDeep { limit: 100 }));
    let ok = b"A1 SEARCH NOT NOT OR SEEN NOT DELETED ALL\r\n";
    assert!(matches!(
        parse_command(ok, &ParseOptions::default()),
        Ok(Status::Complete(..))
    ));
}

/// Found by fuzzing: leading zeros in a number, and text ending in spaces (kept alike by the
/// strict and the lenient parser).
#[test]
fn fuzz_regressions() {
    let o = ParseOptions::default();
    let Ok(Status::Complete(Response::Data(Data::Fetch { items, .. }), _)) =
        parse_response(b"* 1 FETCH (UID 0001688703541)\r\n", &o)
    else {
        panic!()
    };
    assert_eq!(items, vec![FetchItem::Uid(1_688_703_541)]);
    let line = b"* OK some text   \r\n";
    let strict = parse_response(line, &o);
    assert_eq!(strict, parse_response(line, &ParseOptions::lenient()));
    let Ok(Status::Complete(Response::Data(Data::Condition { text, .. }), _)) = strict else {
        panic!()
    };
    assert_eq!(text.text.as_str(), "some text   ");
}

/// Found by fuzzing: an escaped NUL is refused even with `allow_any_quoted_escape`, since no
/// quoted string can carry it.
#[test]
fn escaped_nul_is_refused() {
    assert!(parse_response(b"* ID (\"a\" \"b\\\x00c\")\r\n", &ParseOptions::lenient()).is_err());
}

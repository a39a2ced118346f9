//! Property tests: build then parse gives back what was built; parse then write is byte-exact;
//! no input, split or truncation panics any parser.

use mail_message::builder::{Attachment, EmailAddress, HeaderText, MessageBuilder};
use mail_message::{header, Limits, Message};
use proptest::prelude::*;

fn text_char() -> impl Strategy<Value = char> {
    prop_oneof![
        8 => proptest::char::range(' ', '~'),
        1 => Just('\t'),
        2 => prop::sample::select(vec!['é', 'ß', '€', '日', '本', 'ж', '😀', '\u{a0}', '=', '?', '_', '"', '\\']),
        1 => Just('\u{1}'),
    ]
}

fn header_text() -> impl Strategy<Value = String> {
    prop::collection::vec(text_char(), 0..120)
        .prop_map(|v| v.into_iter().collect::<String>())
        // The parser drops the white space after the colon, so a value cannot start with any.
        .prop_map(|s| s.trim_start_matches([' ', '\t']).to_owned())
}

fn body_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            10 => text_char(),
            2 => Just('\n'),
            1 => Just('\r'),
        ],
        0..400,
    )
    .prop_map(|v| v.into_iter().collect())
}

fn local_part() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9]{1,8}(\\.[a-z0-9_+-]{1,8}){0,2}",
        "[a-z]{1,4} [a-z]{1,4}",
        "[a-zé]{1,6}",
    ]
}

fn crlf(s: &str) -> String {
    let mut out = String::new();
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        match c {
            '\r' if it.peek() == Some(&'\n') => {
                it.next();
                out.push_str("\r\n");
            }
            '\r' | '\n' => out.push_str("\r\n"),
            c => out.push(c),
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn build_then_parse_gives_back_the_values(
        subject in header_text(),
        name in header_text(),
        local in local_part(),
        domain in "[a-z]{1,10}\\.(org|example)",
        text in body_text(),
        html in proptest::option::of(body_text()),
        files in prop::collection::vec((header_text(), prop::collection::vec(any::<u8>(), 0..300)), 0..3),
        sender in proptest::option::of((header_text(), local_part())),
        references in prop::collection::vec("[a-z0-9.$%+-]{1,20}@[a-z0-9.-]{1,20}", 0..12),
    ) {
        let address = format!("{local}@{domain}");
        let mut b = MessageBuilder::new()
            .from(EmailAddress::new(Some(&name), &address).unwrap())
            .to(EmailAddress::new(None, &address).unwrap())
            .subject(HeaderText::new(&subject).unwrap())
            .text(&text);
        if let Some(h) = &html {
            b = b.html(h);
        }
        if let Some((sname, slocal)) = &sender {
            b = b.sender(EmailAddress::new(Some(sname), &format!("{slocal}@{domain}")).unwrap());
        }
        for id in &references {
            b = b.references(id).unwrap();
        }
        for (fname, data) in &files {
            b = b.attachment(Attachment::new("application/octet-stream", Some(fname), data.clone()).unwrap());
        }
        let bytes = b.build();
        for line in bytes.split(|&c| c == b'\n') {
            prop_assert!(line.len() <= 999, "line over 998: {}", String::from_utf8_lossy(line));
        }
        let msg = Message::parse(&bytes);
        prop_assert!(msg.defects().is_empty(), "{:?}\n{}", msg.defects(), String::from_utf8_lossy(&bytes));
        prop_assert_eq!(msg.subject().map(|s| s.into_owned()), Some(subject.clone()));
        let from = msg.from().unwrap();
        let m = from.mailboxes().next().unwrap();
        let want_name = if name.is_empty() { None } else { Some(name.clone()) };
        prop_assert_eq!(m.name.as_deref(), want_name.as_deref(), "{}", String::from_utf8_lossy(&bytes));
        prop_assert_eq!(&m.local_part, &local);
        prop_assert_eq!(m.domain.as_deref(), Some(domain.as_str()));
        if let Some((sname, slocal)) = &sender {
            let field = msg.header().get("sender").unwrap();
            let value = field.unfolded();
            let list = mail_message::address::parse_address_list(&value);
            let s = list.mailboxes().next().unwrap();
            let want = if sname.is_empty() { None } else { Some(sname.clone()) };
            prop_assert_eq!(s.name.as_deref(), want.as_deref());
            prop_assert_eq!(&s.local_part, slocal);
        }
        prop_assert_eq!(msg.references(), references.clone());
        let leaves = msg.leaves();
        prop_assert_eq!(leaves.len(), 1 + usize::from(html.is_some()) + files.len());
        let walked: Vec<_> = leaves.iter().map(|(_, p)| *p).collect();
        prop_assert_eq!(msg.leaf_parts(), walked);
        prop_assert_eq!(leaves[0].1.text().map(|s| s.into_owned()), Some(crlf(&text)));
        if let Some(h) = &html {
            prop_assert_eq!(leaves[1].1.text().map(|s| s.into_owned()), Some(crlf(h)));
        }
        let first_file = 1 + usize::from(html.is_some());
        for (k, (fname, data)) in files.iter().enumerate() {
            let part = leaves[first_file + k].1;
            prop_assert_eq!(part.filename(), Some(fname.clone()));
            prop_assert_eq!(&*part.decoded_body(), data.as_slice());
        }
        let mut out = Vec::new();
        msg.write_to(&mut out);
        prop_assert_eq!(out, bytes);
    }

    #[test]
    fn parse_then_write_is_byte_exact(lines in prop::collection::vec(prop_oneof![
        Just(b"Content-Type: multipart/mixed; boundary=b".to_vec()),
        Just(b"Content-Type: multipart/alternative; boundary=c".to_vec()),
        Just(b"Content-Type: message/rfc822".to_vec()),
        Just(b"Content-Type: multipart/digest; boundary=d".to_vec()),
        Just(b"--b".to_vec()),
        Just(b"--b--".to_vec()),
        Just(b"--c".to_vec()),
        Just(b"--c--".to_vec()),
        Just(b"--d".to_vec()),
        Just(b"Subject: =?utf-8?q?x?=".to_vec()),
        Just(b" folded".to_vec()),
        Just(Vec::new()),
        prop::collection::vec(any::<u8>(), 0..20),
    ], 0..60), crlf in any::<bool>()) {
        let sep: &[u8] = if crlf { b"\r\n" } else { b"\n" };
        let input = lines.join(sep);
        let msg = Message::parse(&input);
        let mut out = Vec::new();
        msg.write_to(&mut out);
        prop_assert_eq!(out, input.clone());
        // Every range lies inside the input and every body decodes.
        msg.root().visit(&mut |p| {
            assert!(p.header_range().end <= input.len() && p.body_range().end <= input.len());
            assert!(p.header_range().end == p.body_range().start);
            let _ = p.decoded_body();
            let _ = p.text();
        });
        for (_, p) in msg.leaves() {
            let _ = p.filename();
        }
        // The leaf parts (read in storage order) are the leaves (found by walking the tree).
        let walked: Vec<_> = msg.leaves().into_iter().map(|(_, p)| p).collect();
        prop_assert_eq!(msg.leaf_parts(), walked);
    }

    #[test]
    fn header_parser_never_panics(input in prop::collection::vec(any::<u8>(), 0..400)) {
        let limits = Limits::default().with_max_line_length(20).with_max_headers(5);
        if let mail_message::Status::Complete(block, used) = header::parse_header_block(&input, &limits) {
            prop_assert!(used <= input.len());
            for f in block.header().iter() {
                let _ = f.text();
                let _ = f.unfolded();
            }
        }
        let msg = Message::parse_with(&input, &limits);
        for f in msg.header().iter() {
            let _ = f.text_with_defects();
            raw_reads_as_unfolded(f.raw_value())?;
        }
    }

    /// Values of the pieces structured fields are made of, folded anywhere (CRLF, LF or CR
    /// then white space, a quoted-pair across a fold) and now and then broken by a line break
    /// that is no fold: each structured parser reads the raw value as the unfolded one.
    #[test]
    fn structured_parsers_read_raw_values_as_unfolded(pieces in prop::collection::vec(
        prop::sample::select(vec![
            "a", "Mary", "bc.d", "x@y.test", "<m@x.test>", "<a@b>", "=?utf-8?q?J=C3=B6rg?=",
            "\"q r\"", "\"a\\\"b\"", "\"open", "(c)", "(a (b) c", "\\", "<", ">", "@", ",",
            ":", ";", "[1.2]", "/", "=", "text/plain", "charset", "name*0", "*=utf-8''%E2%82%AC",
            "Thu,", "19", "Sep", "91", "12:41:43", "EDT", "+0200", " ", "  ", "\t", "\r\n ",
            "\r\n\t", "\n ", "\r ", "\\\r\n ", "\r\n", "\r", "\n", "\u{e9}", "=?u?Q?\"=", "=?u?Q?(=", "r?=",
        ]),
        0..24,
    )) {
        raw_reads_as_unfolded(pieces.concat().as_bytes())?;
    }

    #[test]
    fn structured_parsers_never_panic(input in prop::collection::vec(prop_oneof![
        any::<u8>(),
        prop::sample::select(b"<>()[]\":;@,.\\=?_ \t\r\n".to_vec()),
    ], 0..200)) {
        let _ = mail_message::address::parse_address_list(&input);
        let _ = mail_message::date::parse_date(&input);
        let _ = mail_message::params::parse_content_type(&input);
        let _ = mail_message::params::parse_content_disposition(&input);
        let _ = mail_message::params::parse_message_ids(&input);
        let _ = mail_message::rfc2047::decode_text(&input);
        let mut out = Vec::new();
        let _ = mail_message::decode::base64_decode_into(&input, &mut out);
        let _ = mail_message::decode::quoted_printable_decode_into(&input, &mut out);
        let _ = mail_message::decode::uudecode_into(&input, &mut out);
        let _ = mail_message::charset::decode("utf-7", &input);
    }

    /// The header's fast paths give what the general ones do: `name()` (a known spelling or a
    /// UTF-8 check) is the name's bytes, `text()` (one line, folded, plain, with encoded-words,
    /// not UTF-8) is the text `text_with_defects()` decodes the general way.
    #[test]
    fn header_fast_paths_equal_the_general_ones(fields in prop::collection::vec((
        prop::sample::select(vec!["Subject", "subject", "X-Mailer", "Content-Type", "From", "CC", "X-\u{e9}"]),
        prop::collection::vec(prop::sample::select(vec![
            "a", "b c", " ", "\t", "\r\n ", "\n\t", "=", "?", "=?utf-8?q?x?=", "=?iso-8859-1?b?6Q==?=",
            "=?bad", "\u{e9}", "\u{20ac}", "\u{fffd}", "\r",
        ]), 0..12),
        any::<bool>(),
    ), 1..6)) {
        let mut input = Vec::new();
        for (name, pieces, latin1) in &fields {
            input.extend_from_slice(name.as_bytes());
            input.extend_from_slice(b":");
            for p in pieces {
                input.extend_from_slice(p.as_bytes());
            }
            if *latin1 {
                input.push(0xe9);
            }
            input.extend_from_slice(b"\r\n");
        }
        input.extend_from_slice(b"\r\nbody");
        let msg = Message::parse(&input);
        for f in msg.header().iter() {
            let raw = f.raw();
            let colon = raw.iter().position(|&c| c == b':').unwrap();
            prop_assert_eq!(f.name().as_bytes(), &raw[..colon]);
            prop_assert_eq!(f.text(), f.text_with_defects().0);
        }
    }

    /// A header block fed in two pieces: Incomplete for the first piece (unless the block
    /// already ended there), the same fields once whole.
    #[test]
    fn header_block_split_anywhere(split in 0usize..200) {
        let input: &[u8] = b"Received: from a\r\n by b;\r\n Mon, 1 Jan 2001 00:00:00 +0000\r\nSubject: =?utf-8?q?caf=C3=A9?=\r\nTo: a@b,\r\n c@d\r\n\r\nbody";
        let limits = Limits::default();
        let whole = header::parse_header_block(input, &limits);
        let (block, used) = whole.complete().unwrap();
        prop_assert_eq!(used, input.len() - 4);
        let split = split.min(input.len());
        match header::parse_header_block(&input[..split], &limits) {
            mail_message::Status::Incomplete => prop_assert!(split < used),
            mail_message::Status::Complete(b, u) => {
                prop_assert_eq!(u, used);
                prop_assert_eq!(&b.fields, &block.fields);
            }
        }
    }
}

#[test]
fn every_truncation_of_built_messages_parses() {
    let bytes = MessageBuilder::new()
        .from(EmailAddress::new(Some("Jörg"), "j@example.org").unwrap())
        .subject(
            HeaderText::new("Grüße, with a long subject that will need folding somewhere").unwrap(),
        )
        .text("Hallo Welt!\nZweite Zeile äöü\n")
        .html("<p>Hallo</p>")
        .attachment(Attachment::new("image/png", Some("ß.png"), vec![0; 200]).unwrap())
        .build();
    for n in 0..=bytes.len() {
        let input = &bytes[..n];
        let msg = Message::parse(input);
        let mut out = Vec::new();
        msg.write_to(&mut out);
        assert_eq!(out, input, "truncated at {n}");
        for (_, p) in msg.leaves() {
            let _ = p.text();
            let _ = p.decoded_body();
        }
    }
}

fn b64_reference(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::new();
    for c in data.chunks(3) {
        let b = [c[0], *c.get(1).unwrap_or(&0), *c.get(2).unwrap_or(&0)];
        let v = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for k in 0..4 {
            if k <= c.len() {
                s.push(char::from(A[(v >> (18 - 6 * k)) as usize & 63]));
            } else {
                s.push('=');
            }
        }
    }
    s
}

proptest! {
    /// Tolerant base64: any line breaks or spaces inserted anywhere, padding kept or dropped.
    #[test]
    fn base64_decodes_with_any_white_space(
        data in prop::collection::vec(any::<u8>(), 0..300),
        breaks in prop::collection::vec((0usize..400, prop::sample::select(vec!["\r\n", "\n", " ", "\t"])), 0..20),
        drop_padding in any::<bool>(),
    ) {
        let mut enc = b64_reference(&data);
        if drop_padding {
            enc = enc.trim_end_matches('=').to_owned();
        }
        let mut sorted = breaks;
        sorted.sort_by_key(|b| std::cmp::Reverse(b.0));
        for (at, ws) in sorted {
            let at = at.min(enc.len());
            enc.insert_str(at, ws);
        }
        let mut out = vec![7u8];
        prop_assert!(mail_message::decode::base64_decode_into(enc.as_bytes(), &mut out));
        prop_assert_eq!(&out[1..], data.as_slice());
    }
}

/// A line break that is no fold inside an encoded-word whose text holds a `"` or a `(` (found
/// by fuzzing): unfolded, one word; raw, the word is split and the `"` or `(` starts a quoted
/// string or a comment that reads the break.
#[test]
fn bare_breaks_inside_encoded_words_read_as_unfolded() {
    for raw in [
        &b"\t=?u?Q?\"=\nr?="[..],
        b"Fr\t=?u?Q?e\"=\nu6r?=",
        b"=?u?Q?(\nx?= <a@b>",
        b"=?u?Q?[\rx?=@y",
        b"a <b@c>, =?u?Q?\"\\\nx?=",
    ] {
        raw_reads_as_unfolded(raw).unwrap();
    }
}

/// What `HeaderField::unfolded` gives: every CR and LF removed, then the white space at the
/// start.
fn unfold(raw: &[u8]) -> Vec<u8> {
    let v: Vec<u8> = raw
        .iter()
        .copied()
        .filter(|&c| c != b'\r' && c != b'\n')
        .collect();
    let start = v
        .iter()
        .position(|&c| c != b' ' && c != b'\t')
        .unwrap_or(v.len());
    v[start..].to_vec()
}

/// Each structured parser reads `raw` as it reads the value unfolded.
fn raw_reads_as_unfolded(raw: &[u8]) -> Result<(), TestCaseError> {
    use mail_message::{address, date, params};
    let unfolded = unfold(raw);
    let ctx = || String::from_utf8_lossy(raw).into_owned();
    prop_assert_eq!(
        address::parse_address_list(raw),
        address::parse_address_list(&unfolded),
        "{:?}",
        ctx()
    );
    prop_assert_eq!(
        date::parse_date(raw),
        date::parse_date(&unfolded),
        "{:?}",
        ctx()
    );
    prop_assert_eq!(
        params::parse_content_type(raw),
        params::parse_content_type(&unfolded),
        "{:?}",
        ctx()
    );
    prop_assert_eq!(
        params::parse_content_disposition(raw),
        params::parse_content_disposition(&unfolded),
        "{:?}",
        ctx()
    );
    prop_assert_eq!(
        params::parse_message_ids(raw),
        params::parse_message_ids(&unfolded),
        "{:?}",
        ctx()
    );
    Ok(())
}

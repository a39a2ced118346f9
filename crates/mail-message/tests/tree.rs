//! The MIME tree: ranges, nesting, boundaries, limits, and linear time on hostile input.

use mail_message::{Body, DefectKind, Limits, Message, Part};

fn roundtrip(msg: &Message<'_>) {
    let mut out = Vec::new();
    msg.write_to(&mut out);
    assert_eq!(out, msg.as_bytes(), "write_to must give back the input");
}

fn kinds(part: Part<'_, '_>) -> Vec<DefectKind> {
    part.defects().iter().map(|d| d.kind).collect()
}

const NESTED: &[u8] = b"From: a@example.org\r\n\
Content-Type: multipart/mixed; boundary=\"outer\"\r\n\
\r\n\
This is the preamble.\r\n\
--outer\r\n\
Content-Type: text/plain\r\n\
\r\n\
first\r\n\
--outer\r\n\
Content-Type: multipart/alternative; boundary=inner\r\n\
\r\n\
--inner\r\n\
\r\n\
plain\r\n\
--inner\r\n\
Content-Type: text/html\r\n\
\r\n\
<p>html</p>\r\n\
--inner--\r\n\
inner epilogue\r\n\
--outer\r\n\
Content-Type: message/rfc822\r\n\
\r\n\
Subject: nested\r\n\
Content-Type: multipart/mixed; boundary=n\r\n\
\r\n\
--n\r\n\
\r\n\
n1\r\n\
--n\r\n\
Content-Type: application/octet-stream\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
AAEC\r\n\
--n--\r\n\
--outer--\r\n\
The epilogue.\r\n";

#[test]
fn nested_tree_with_ranges_and_sections() {
    let msg = Message::parse(NESTED);
    roundtrip(&msg);
    let Body::Multipart(top) = msg.root().body() else {
        panic!("multipart expected")
    };
    assert_eq!(&NESTED[top.preamble()], b"This is the preamble.");
    assert_eq!(&NESTED[top.epilogue()], b"The epilogue.\r\n");
    assert_eq!(top.len(), 3);
    let first = top.part(0).unwrap();
    assert_eq!(first.raw_header(), b"Content-Type: text/plain\r\n\r\n");
    assert_eq!(first.raw_body(), b"first");
    assert_eq!(first.body_lines(), 1);
    let Body::Multipart(alt) = top.part(1).unwrap().body() else {
        panic!()
    };
    assert_eq!(&NESTED[alt.epilogue()], b"inner epilogue");
    assert_eq!(alt.part(0).unwrap().raw_body(), b"plain");
    assert!(alt.part(0).unwrap().content_type().is("text", "plain"));
    let leaves: Vec<(String, String)> = msg
        .leaves()
        .into_iter()
        .map(|(s, p)| (s, p.content_type().essence()))
        .collect();
    assert_eq!(
        leaves,
        [
            ("1".into(), "text/plain".into()),
            ("2.1".into(), "text/plain".into()),
            ("2.2".into(), "text/html".into()),
            ("3.1".into(), "text/plain".into()),
            ("3.2".into(), "application/octet-stream".into()),
        ]
    );
    let parts: Vec<Part<'_, '_>> = msg.leaves().into_iter().map(|(_, p)| p).collect();
    assert_eq!(msg.leaf_parts(), parts);
    let (_, bin) = &msg.leaves()[4];
    assert_eq!(&*bin.decoded_body(), &[0, 1, 2]);
    let Body::Message(nested) = top.part(2).unwrap().body() else {
        panic!()
    };
    assert_eq!(nested.header().text("subject").as_deref(), Some("nested"));
    assert!(msg.defects().is_empty(), "{:?}", msg.defects());
}

#[test]
fn non_multipart_body_is_section_1() {
    let msg = Message::parse(b"Subject: x\n\nhello\nworld\n");
    let leaves = msg.leaves();
    assert_eq!(leaves.len(), 1);
    assert_eq!(leaves[0].0, "1");
    assert_eq!(leaves[0].1.body_lines(), 2);
    assert_eq!(leaves[0].1.text().as_deref(), Some("hello\nworld\n"));
    // A message/rfc822 with a non-multipart body: its body is 2.1.
    let m = b"Content-Type: multipart/mixed; boundary=b\n\n--b\n\nx\n--b\nContent-Type: message/rfc822\n\nSubject: in\n\nbody\n--b--\n";
    let msg = Message::parse(m);
    let s: Vec<String> = msg.leaves().into_iter().map(|(s, _)| s).collect();
    assert_eq!(s, ["1", "2.1"]);
    let parts: Vec<Part<'_, '_>> = msg.leaves().into_iter().map(|(_, p)| p).collect();
    assert_eq!(msg.leaf_parts(), parts);
    roundtrip(&msg);
}

#[test]
fn boundary_only_at_line_start_and_exact() {
    let m = b"Content-Type: multipart/mixed; boundary=b\n\n--b\n\nnot --b here\n--bb is not it\n--b  \n\nsecond\n--b--\n";
    let msg = Message::parse(m);
    let Body::Multipart(mp) = msg.root().body() else {
        panic!()
    };
    assert_eq!(mp.len(), 2);
    assert_eq!(
        mp.part(0).unwrap().raw_body(),
        b"not --b here\n--bb is not it"
    );
    assert_eq!(mp.part(1).unwrap().raw_body(), b"second");
    roundtrip(&msg);
}

#[test]
fn missing_close_boundary_and_no_boundary() {
    let m = b"Content-Type: multipart/mixed; boundary=b\n\n--b\n\nonly part\n";
    let msg = Message::parse(m);
    let Body::Multipart(mp) = msg.root().body() else {
        panic!()
    };
    assert_eq!(mp.part(0).unwrap().raw_body(), b"only part\n");
    assert_eq!(kinds(msg.root()), [DefectKind::MissingCloseBoundary]);
    roundtrip(&msg);

    let msg = Message::parse(b"Content-Type: multipart/mixed; boundary=zz\n\nno parts\n");
    assert!(matches!(msg.root().body(), Body::Leaf));
    assert_eq!(kinds(msg.root()), [DefectKind::NoBoundaryFound]);
    let msg = Message::parse(b"Content-Type: multipart/mixed\n\nno boundary\n");
    assert_eq!(kinds(msg.root()), [DefectKind::MissingBoundary]);
    roundtrip(&msg);
    // An inner multipart cut short by the outer boundary.
    let m = b"Content-Type: multipart/mixed; boundary=o\n\n--o\nContent-Type: multipart/mixed; boundary=i\n\n--i\n\ncut\n--o\n\nnext\n--o--\n";
    let msg = Message::parse(m);
    let Body::Multipart(mp) = msg.root().body() else {
        panic!()
    };
    assert_eq!(mp.len(), 2);
    assert_eq!(
        kinds(mp.part(0).unwrap()),
        [DefectKind::MissingCloseBoundary]
    );
    assert_eq!(mp.part(1).unwrap().raw_body(), b"next");
    roundtrip(&msg);
}

#[test]
fn digest_defaults_to_message_rfc822() {
    let m = b"Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: one\n\nbody one\n--d\nContent-Type: text/plain\n\nplain\n--d--\n";
    let msg = Message::parse(m);
    let Body::Multipart(mp) = msg.root().body() else {
        panic!()
    };
    assert!(mp.part(0).unwrap().content_type().is("message", "rfc822"));
    let Body::Message(inner) = mp.part(0).unwrap().body() else {
        panic!()
    };
    assert_eq!(inner.header().text("subject").as_deref(), Some("one"));
    assert!(mp.part(1).unwrap().content_type().is("text", "plain"));
    roundtrip(&msg);
}

#[test]
fn invalid_content_type_defaults_to_text_plain() {
    let msg = Message::parse(b"Content-Type: text\n\nx");
    assert!(msg.root().content_type().is("text", "plain"));
    assert_eq!(kinds(msg.root()), [DefectKind::InvalidContentType]);
}

/// Runs one of the big inputs. No time budget here (speed lives in the benches, and a loaded CI
/// machine would make a budget flaky): a quadratic parser shows up as these tests never ending.
fn big<T>(_what: &str, f: impl FnOnce() -> T) -> T {
    f()
}

#[test]
fn hundred_thousand_headers_in_linear_time() {
    let mut m = Vec::new();
    for i in 0..100_000 {
        m.extend_from_slice(format!("X-H{i}: value {i}\r\n").as_bytes());
    }
    m.extend_from_slice(b"\r\nbody");
    let msg = big("100k headers", || Message::parse(&m));
    assert_eq!(msg.header().len(), 10_000);
    assert_eq!(kinds(msg.root()), [DefectKind::TooManyHeaders]);
    assert_eq!(msg.root().raw_body(), b"body");
    let limits = Limits::default().with_max_headers(200_000);
    let msg = big("100k headers, all kept", || {
        Message::parse_with(&m, &limits)
    });
    assert_eq!(msg.header().len(), 100_000);
    assert_eq!(
        msg.header().text("x-h99999").as_deref(),
        Some("value 99999")
    );
    roundtrip(&msg);
}

#[test]
fn ten_thousand_nested_parts() {
    let n = 10_000;
    let mut m = Vec::new();
    for i in 0..n {
        m.extend_from_slice(
            format!("Content-Type: multipart/mixed; boundary=b{i}\r\n\r\n--b{i}\r\n").as_bytes(),
        );
    }
    m.extend_from_slice(b"Content-Type: text/plain\r\n\r\nleaf\r\n");
    for i in (0..n).rev() {
        m.extend_from_slice(format!("--b{i}--\r\n").as_bytes());
    }
    let msg = big("10k nested", || Message::parse(&m));
    let defects = msg.defects();
    assert!(defects.iter().any(|d| d.kind == DefectKind::TooDeep));
    roundtrip(&msg);
    // And 10,000 sibling parts.
    let mut m = b"Content-Type: multipart/mixed; boundary=s\r\n\r\n".to_vec();
    for i in 0..n {
        m.extend_from_slice(
            format!("--s\r\nContent-Type: text/plain\r\n\r\npart {i}\r\n").as_bytes(),
        );
    }
    m.extend_from_slice(b"--s--\r\n");
    let msg = big("10k siblings", || Message::parse(&m));
    let Body::Multipart(mp) = msg.root().body() else {
        panic!()
    };
    // The root counts as one part of the 10,000.
    assert_eq!(mp.len(), n - 1);
    assert!(kinds(msg.root()).contains(&DefectKind::TooManyParts));
    roundtrip(&msg);
}

#[test]
fn fifty_megabyte_one_line_body() {
    let mut m = b"Subject: big\r\nContent-Transfer-Encoding: base64\r\n\r\n".to_vec();
    m.resize(m.len() + 50 * 1024 * 1024, b'A');
    let msg = big("50 MB one line", || Message::parse(&m));
    assert_eq!(kinds(msg.root()), [DefectKind::LineTooLong]);
    assert_eq!(msg.root().raw_body().len(), 50 * 1024 * 1024);
    let decoded = big("50 MB base64 decode", || msg.root().decoded_body().len());
    assert_eq!(decoded, 50 * 1024 * 1024 / 4 * 3);
}

#[test]
fn one_line_multipart_boundary_scan_is_linear() {
    // Many "--b" inside one long line: none is at a line start.
    let mut m = b"Content-Type: multipart/mixed; boundary=b\n\n".to_vec();
    for _ in 0..1_000_000 {
        m.extend_from_slice(b"--b ");
    }
    let msg = big("boundary-like line", || Message::parse(&m));
    assert!(kinds(msg.root()).contains(&DefectKind::NoBoundaryFound));
}

#[test]
fn depth_ceiling_fits_a_test_thread_stack() {
    // The deepest nesting any Limits allows, on a default 2 MB test thread, in a debug build.
    let n = Limits::DEPTH_CEILING + 5;
    let mut m = Vec::new();
    for i in 0..n {
        m.extend_from_slice(
            format!("Content-Type: multipart/mixed; boundary=b{i}\r\n\r\n--b{i}\r\n").as_bytes(),
        );
    }
    m.extend_from_slice(b"\r\nleaf\r\n");
    let msg = Message::parse_with(&m, &Limits::default().with_max_depth(usize::MAX));
    assert!(msg.defects().iter().any(|d| d.kind == DefectKind::TooDeep));
    roundtrip(&msg);
    assert_eq!(msg.leaves().len(), 1);
}

#[test]
fn address_fields_borrow_unless_folded() {
    use std::borrow::Cow;
    let msg = Message::parse(
        b"From: Ann <ann@x.test>\r\nTo: Bob\r\n <bob@y.test>,\r\n\t\"Carol\r\n C\" <c@z.test>\r\nCc: Dan\r\n Smith <d@w.test>\r\n\r\n",
    );
    let from = msg.from().unwrap();
    let ann = from.mailboxes().next().unwrap();
    assert!(matches!(ann.local_part, Cow::Borrowed("ann")));
    // A folded field is read from its raw value: the pieces on one line borrow the input,
    // a quoted name with a fold inside is owned.
    let to = msg.to().unwrap();
    let to: Vec<_> = to.mailboxes().collect();
    assert_eq!(to[0].name.as_deref(), Some("Bob"));
    assert!(matches!(to[0].name, Some(Cow::Borrowed(_))));
    assert!(matches!(to[0].local_part, Cow::Borrowed(_)));
    assert_eq!(to[0].address(), "bob@y.test");
    assert_eq!(to[1].name.as_deref(), Some("Carol C"));
    assert!(matches!(to[1].name, Some(Cow::Owned(_))));
    assert!(matches!(to[1].domain, Some(Cow::Borrowed("z.test"))));
    // A name folded between its words is joined by one space, owned.
    let cc = msg.cc().unwrap();
    let dan = cc.mailboxes().next().unwrap();
    assert_eq!(dan.name.as_deref(), Some("Dan Smith"));
    assert!(matches!(dan.name, Some(Cow::Owned(_))));
    assert!(matches!(dan.local_part, Cow::Borrowed("d")));
}

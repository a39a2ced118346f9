//! The items of a FETCH response around a literal that the stream decoder hands out in chunks
//! come out typed (`parse_fetch_head` / `parse_fetch_tail`), the same as a whole-unit parse
//! gives them, however the bytes are split.

use imap_proto::stream::{
    parse_fetch_head, parse_fetch_tail, FetchHead, LiteralItem, StreamDecoder, StreamEvent,
};
use imap_proto::{
    parse_response, Data, FetchItem, IntoOwned, ParseOptions, Response, Section, Status,
};

const SIZE: usize = 2 << 20;

/// A FETCH with items before the big literal (a small literal among them), the big `BODY[]`,
/// items after it, then another response.
fn input() -> (Vec<u8>, usize, usize) {
    let mut v = format!(
        "* 7 FETCH (UID 42 FLAGS (\\Seen $Forwarded) RFC822.SIZE {SIZE} \
         BODY[HEADER.FIELDS (FROM)] {{21}}\r\nFrom: a@example.org\r\n BODY[] {{{SIZE}}}\r\n"
    )
    .into_bytes();
    let head_len = v.len();
    let mut n = 0u32;
    while v.len() < head_len + SIZE {
        n = n.wrapping_mul(1_103_515_245).wrapping_add(12345);
        // Printable bytes and line ends, no NUL.
        v.push(match n >> 24 {
            0..=7 => b'\r',
            8..=15 => b'\n',
            x => b' ' + (x % 90) as u8,
        });
    }
    let tail_at = v.len();
    v.extend_from_slice(
        b" INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" MODSEQ (12) X-GM-LABELS (\\Inbox))\r\n* 8 EXISTS\r\n",
    );
    (v, head_len, tail_at)
}

/// What one run of the decoder saw, owned.
#[derive(Debug, PartialEq)]
struct Seen {
    heads: Vec<FetchHead<'static>>,
    data: Vec<u8>,
    tails: Vec<Vec<FetchItem<'static>>>,
    units: Vec<Response<'static>>,
}

/// Feeds `input` to a decoder in pieces ending at `cuts` (then the rest).
fn run(input: &[u8], cuts: &[usize]) -> Seen {
    let opts = ParseOptions::default();
    let mut dec = StreamDecoder::new(opts.clone(), 64 << 10);
    let mut seen = Seen {
        heads: Vec::new(),
        data: Vec::new(),
        tails: Vec::new(),
        units: Vec::new(),
    };
    let mut buf: Vec<u8> = Vec::new();
    let mut fed = 0;
    let ends = cuts.iter().copied().chain([input.len()]);
    for end in ends {
        buf.extend_from_slice(input.get(fed..end).unwrap_or_default());
        fed = end;
        loop {
            let (event, used) = match dec.decode(&buf) {
                Ok(Some(x)) => x,
                Ok(None) => break,
                Err(e) => panic!("{e}"),
            };
            match event {
                // A reader of responses ignores the pause of a small synchronising literal.
                StreamEvent::SyncLiteral { .. } => break,
                StreamEvent::LiteralStart { head, .. } => match parse_fetch_head(head, &opts) {
                    Ok(h) => seen.heads.push(h.into_owned()),
                    Err(e) => panic!("{e}: {:?}", String::from_utf8_lossy(head)),
                },
                StreamEvent::LiteralData(d) => seen.data.extend_from_slice(d),
                StreamEvent::UnitEnd(tail) => match parse_fetch_tail(tail, &opts) {
                    Ok(t) => seen.tails.push(t.into_owned()),
                    Err(e) => panic!("{e}: {:?}", String::from_utf8_lossy(tail)),
                },
                StreamEvent::Unit(u) => match parse_response(u, &opts) {
                    Ok(Status::Complete(r, _)) => seen.units.push(r.into_owned()),
                    other => panic!("{other:?}"),
                },
            }
            buf.drain(..used);
        }
    }
    assert!(buf.is_empty() && dec.is_idle());
    seen
}

#[test]
fn typed_items_around_a_streamed_body_at_every_split() {
    let (input, head_len, tail_at) = input();
    // The whole-unit parse is the reference.
    let fetch_len = input.len() - b"* 8 EXISTS\r\n".len();
    let Ok(Status::Complete(Response::Data(Data::Fetch { seq, items }), n)) =
        parse_response(&input, &ParseOptions::default())
    else {
        panic!("whole parse");
    };
    assert_eq!((seq, n), (7, fetch_len));
    let body_at = items
        .iter()
        .position(|i| matches!(i, FetchItem::BodySection { section, .. } if section.part.is_empty() && section.text.is_none()))
        .unwrap_or(usize::MAX);
    let FetchItem::BodySection {
        data: Some(body), ..
    } = &items[body_at]
    else {
        panic!("{items:?}");
    };
    let expected = Seen {
        heads: vec![FetchHead {
            seq: Some(7),
            items: items[..body_at].to_vec().into_owned(),
            literal_of: LiteralItem::BodySection {
                section: Section::default(),
                origin: None,
            },
        }],
        data: body.data().to_vec(),
        tails: vec![items[body_at + 1..].to_vec().into_owned()],
        units: vec![Response::Data(Data::Exists(8))],
    };
    assert_eq!(expected.heads[0].items.len(), 4);
    assert_eq!(expected.tails[0].len(), 3);
    assert_eq!(expected.data.len(), SIZE);

    // Two pieces, cut at every byte of the head and the tail and at points in the data.
    let mut cuts: Vec<usize> = (0..=head_len + 2).collect();
    cuts.extend(tail_at - 2..=input.len());
    cuts.extend((head_len..tail_at).step_by(SIZE / 7));
    for cut in cuts {
        assert_eq!(run(&input, &[cut]), expected, "cut at {cut}");
    }
    // Byte by byte around the literal, the data in 64 KiB reads.
    let mut cuts: Vec<usize> = (1..head_len).collect();
    cuts.extend((head_len..tail_at).step_by(64 << 10));
    cuts.extend(tail_at..input.len());
    assert_eq!(run(&input, &cuts), expected);
}

#[test]
fn two_streamed_literals_in_one_fetch() {
    let big = 100_000;
    let mut input = format!("* 3 FETCH (BODY[1] {{{big}}}\r\n").into_bytes();
    input.extend(std::iter::repeat_n(b'a', big));
    input.extend_from_slice(format!(" RFC822.SIZE 9 BINARY[2] ~{{{big}}}\r\n").as_bytes());
    input.extend(std::iter::repeat_n(0u8, big));
    input.extend_from_slice(b" UID 5)\r\n");
    for cuts in [vec![], vec![17, big + 30, big + 60], (1..60).collect()] {
        let seen = run(&input, &cuts);
        assert_eq!(seen.heads.len(), 2);
        assert_eq!(seen.heads[0].seq, Some(3));
        assert!(seen.heads[0].items.is_empty());
        assert!(matches!(
            &seen.heads[0].literal_of,
            LiteralItem::BodySection { section, origin: None } if section.part.len() == 1
        ));
        assert_eq!(seen.heads[1].seq, None);
        assert_eq!(seen.heads[1].items, [FetchItem::Rfc822Size(9)]);
        assert!(
            matches!(&seen.heads[1].literal_of, LiteralItem::Binary { part } if part.len() == 1)
        );
        assert_eq!(seen.data.len(), 2 * big);
        assert_eq!(seen.tails, [vec![FetchItem::Uid(5)]]);
    }
}

#[test]
fn heads_that_are_not_top_level_fetch_items_are_errors() {
    let opts = ParseOptions::default();
    for head in [
        &b"* 1 FETCH (ENVELOPE (\"date\" {100000}\r\n"[..],
        b"* 1 FETCH (X-GM-LABELS (\"a\" {100000}\r\n",
        b"* 1 XYZ {100000}\r\n",
        b"A1 OK {100000}\r\n",
        b"* 1 FETCH (UID 3)\r\n",
        b"",
    ] {
        assert!(
            parse_fetch_head(head, &opts).is_err(),
            "{:?}",
            String::from_utf8_lossy(head)
        );
    }
    // Unknown items and the IMAP4rev1 names are named.
    let h = parse_fetch_head(b"* 1 FETCH (X-GM-RAW {100000}\r\n", &opts);
    assert!(
        matches!(h, Ok(FetchHead { literal_of: LiteralItem::Other(t), .. }) if t.as_str() == "X-GM-RAW")
    );
    let h = parse_fetch_head(b"* 1 FETCH (RFC822.TEXT {100000}\r\n", &opts);
    assert!(matches!(
        h,
        Ok(FetchHead {
            literal_of: LiteralItem::Rfc822Text,
            ..
        })
    ));
    // A tail must close the item list.
    assert!(parse_fetch_tail(b" UID 5\r\n", &opts).is_err());
    assert!(parse_fetch_tail(b")\r\n", &opts).is_ok_and(|t| t.is_empty()));
}

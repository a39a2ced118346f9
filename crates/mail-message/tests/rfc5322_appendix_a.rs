//! RFC 5322 Appendix A: the example messages, whole, as table tests.

use mail_message::address::Address;
use mail_message::{DefectKind, Message};

fn crlf(s: &str) -> Vec<u8> {
    s.replace('\n', "\r\n").into_bytes()
}

fn flat(list: Option<mail_message::address::AddressList<'_>>) -> Vec<(Option<String>, String)> {
    list.map(|l| {
        l.mailboxes()
            .map(|m| (m.name.as_deref().map(str::to_owned), m.address()))
            .collect()
    })
    .unwrap_or_default()
}

fn s(name: &str, addr: &str) -> (Option<String>, String) {
    (Some(name.to_owned()), addr.to_owned())
}

fn n(addr: &str) -> (Option<String>, String) {
    (None, addr.to_owned())
}

#[test]
fn a_1_1_simple_addressing() {
    let m = crlf("From: John Doe <jdoe@machine.example>\nSender: Michael Jones <mjones@machine.example>\nTo: Mary Smith <mary@example.net>\nSubject: Saying Hello\nDate: Fri, 21 Nov 1997 09:55:06 -0600\nMessage-ID: <1234@local.machine.example>\n\nThis is a message just to say hello.\nSo, \"Hello\".\n");
    let msg = Message::parse(&m);
    assert_eq!(flat(msg.from()), [s("John Doe", "jdoe@machine.example")]);
    assert_eq!(
        flat(msg.addresses("sender")),
        [s("Michael Jones", "mjones@machine.example")]
    );
    assert_eq!(flat(msg.to()), [s("Mary Smith", "mary@example.net")]);
    assert_eq!(msg.subject().as_deref(), Some("Saying Hello"));
    assert_eq!(
        msg.date().unwrap().to_rfc3339(),
        "1997-11-21T09:55:06-06:00"
    );
    assert_eq!(
        msg.message_id().as_deref(),
        Some("1234@local.machine.example")
    );
    assert_eq!(
        msg.leaves()[0].1.text().as_deref(),
        Some("This is a message just to say hello.\r\nSo, \"Hello\".\r\n")
    );
    assert!(msg.defects().is_empty());
}

#[test]
fn a_1_2_mailbox_forms() {
    let m = crlf("From: \"Joe Q. Public\" <john.q.public@example.com>\nTo: Mary Smith <mary@x.test>, jdoe@example.org, Who? <one@y.test>\nCc: <boss@nil.test>, \"Giant; \\\"Big\\\" Box\" <sysservices@example.net>\nDate: Tue, 1 Jul 2003 10:52:37 +0200\nMessage-ID: <5678.21-Nov-1997@example.com>\n\nHi everyone.\n");
    let msg = Message::parse(&m);
    assert_eq!(
        flat(msg.from()),
        [s("Joe Q. Public", "john.q.public@example.com")]
    );
    assert_eq!(
        flat(msg.to()),
        [
            s("Mary Smith", "mary@x.test"),
            n("jdoe@example.org"),
            s("Who?", "one@y.test")
        ]
    );
    assert_eq!(
        flat(msg.cc()),
        [
            n("boss@nil.test"),
            s("Giant; \"Big\" Box", "sysservices@example.net")
        ]
    );
    assert_eq!(
        msg.date().unwrap().to_rfc3339(),
        "2003-07-01T10:52:37+02:00"
    );
    assert_eq!(
        msg.message_id().as_deref(),
        Some("5678.21-Nov-1997@example.com")
    );
    for f in msg.header() {
        assert!(
            f.value_defects().is_empty(),
            "{}: {:?}",
            f.name(),
            f.value_defects()
        );
    }
}

#[test]
fn a_1_3_groups() {
    let m = crlf("From: Pete <pete@silly.example>\nTo: A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;\nCc: Undisclosed recipients:;\nDate: Thu, 13 Feb 1969 23:32:54 -0330\nMessage-ID: <testabcd.1234@silly.example>\n\nTesting.\n");
    let msg = Message::parse(&m);
    let to = msg.to().unwrap();
    let [Address::Group { name, members }] = to.addresses.as_slice() else {
        panic!("one group: {to:?}")
    };
    assert_eq!(name, "A Group");
    assert_eq!(members.len(), 3);
    let cc = msg.cc().unwrap();
    assert_eq!(
        cc.addresses,
        [Address::Group {
            name: "Undisclosed recipients".into(),
            members: vec![]
        }]
    );
    assert_eq!(
        msg.date().unwrap().to_rfc3339(),
        "1969-02-13T23:32:54-03:30"
    );
    assert!(msg.date().unwrap().timestamp() < 0);
}

#[test]
fn a_2_replies() {
    let m = crlf("To: \"Mary Smith: Personal Account\" <smith@home.example>\nFrom: John Doe <jdoe@machine.example>\nSubject: Re: Saying Hello\nDate: Fri, 21 Nov 1997 11:00:00 -0600\nMessage-ID: <abcd.1234@local.machine.test>\nIn-Reply-To: <3456@example.net>\nReferences: <1234@local.machine.example> <3456@example.net>\n\nThis is a reply to your reply.\n");
    let msg = Message::parse(&m);
    assert_eq!(
        flat(msg.to()),
        [s("Mary Smith: Personal Account", "smith@home.example")]
    );
    assert_eq!(msg.in_reply_to(), ["3456@example.net"]);
    assert_eq!(
        msg.references(),
        ["1234@local.machine.example", "3456@example.net"]
    );
}

#[test]
fn a_3_resent_and_a_4_trace() {
    let m = crlf("Resent-From: Mary Smith <mary@example.net>\nResent-To: Jane Brown <j-brown@other.example>\nResent-Date: Mon, 24 Nov 1997 14:22:01 -0800\nResent-Message-ID: <78910@example.net>\nReceived: from x.y.test\n   by example.net\n   via TCP\n   with ESMTP\n   id ABC12345\n   for <mary@example.net>;  21 Nov 1997 10:05:43 -0600\nReceived: from node.example by x.y.test; 21 Nov 1997 10:01:22 -0600\nFrom: John Doe <jdoe@node.example>\nTo: Mary Smith <mary@example.net>\nSubject: Saying Hello\nDate: Fri, 21 Nov 1997 09:55:06 -0600\nMessage-ID: <1234@local.node.example>\n\nThis is a message just to say hello.\nSo, \"Hello\".\n");
    let msg = Message::parse(&m);
    assert_eq!(
        flat(msg.addresses("resent-to")),
        [s("Jane Brown", "j-brown@other.example")]
    );
    let received: Vec<_> = msg
        .header()
        .get_all("received")
        .map(|f| f.text().into_owned())
        .collect();
    assert_eq!(received.len(), 2);
    assert_eq!(
        received[0],
        "from x.y.test   by example.net   via TCP   with ESMTP   id ABC12345   for <mary@example.net>;  21 Nov 1997 10:05:43 -0600"
    );
    // The date after the last ';' of a Received field.
    let date = received[1].rsplit(';').next().unwrap();
    assert_eq!(
        mail_message::date::parse_date(date.as_bytes())
            .unwrap()
            .date
            .to_rfc3339(),
        "1997-11-21T10:01:22-06:00"
    );
}

#[test]
fn a_5_white_space_and_comments() {
    let m = crlf("From: Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>\nTo:A Group(Some people)\n     :Chris Jones <c@(Chris's host.)public.example>,\n         joe@example.org,\n  John <jdoe@one.test> (my dear friend); (the end of the group)\nCc:(Empty list)(start)Hidden recipients  :(nobody(that I know))  ;\nDate: Thu,\n      13\n        Feb\n          1969\n      23:32\n               -0330 (Newfoundland Time)\nMessage-ID:              <testabcd.1234@silly.test>\n\nTesting.\n");
    let msg = Message::parse(&m);
    assert_eq!(flat(msg.from()), [s("Pete", "pete@silly.test")]);
    assert_eq!(
        flat(msg.to()),
        [
            s("Chris Jones", "c@public.example"),
            n("joe@example.org"),
            s("John", "jdoe@one.test")
        ]
    );
    let cc = msg.cc().unwrap();
    assert_eq!(
        cc.addresses,
        [Address::Group {
            name: "Hidden recipients".into(),
            members: vec![]
        }]
    );
    assert_eq!(
        msg.date().unwrap().to_rfc3339(),
        "1969-02-13T23:32:00-03:30"
    );
    assert_eq!(
        msg.message_id().as_deref(),
        Some("testabcd.1234@silly.test")
    );
}

#[test]
fn a_6_obsolete_forms() {
    let m = crlf("From: Joe Q. Public <john.q.public@example.com>\nTo: Mary Smith <@node.test:mary@example.net>, , jdoe@test  . example\nDate: 21 Nov 97 09:55:06 GMT\nMessage-ID: <5678.21-Nov-1997@example.com>\n\nHi everyone.\n");
    let msg = Message::parse(&m);
    assert_eq!(
        flat(msg.from()),
        [s("Joe Q. Public", "john.q.public@example.com")]
    );
    assert_eq!(
        flat(msg.to()),
        [s("Mary Smith", "mary@example.net"), n("jdoe@test.example")]
    );
    assert!(msg.to().unwrap().obsolete);
    assert_eq!(
        msg.date().unwrap().to_rfc3339(),
        "1997-11-21T09:55:06+00:00"
    );
    let value_defects: Vec<(String, Vec<DefectKind>)> = msg
        .header()
        .iter()
        .map(|f| {
            (
                f.name().to_owned(),
                f.value_defects().iter().map(|d| d.kind).collect(),
            )
        })
        .collect();
    assert_eq!(
        value_defects,
        [
            ("From".to_owned(), vec![]),
            ("To".to_owned(), vec![DefectKind::ObsoleteSyntax]),
            ("Date".to_owned(), vec![DefectKind::ObsoleteSyntax]),
            ("Message-ID".to_owned(), vec![]),
        ]
    );
    // A.6.3: white space before colons, a folding line of only white space, comments
    // everywhere.
    let m = crlf("From  : John Doe <jdoe@machine(comment).  example>\nTo    : Mary Smith\n  \n          <mary@example.net>\nSubject     : Saying Hello\nDate  : Fri, 21 Nov 1997 09(comment):   55  :  06 -0600\nMessage-ID  : <1234   @   local(blah)  .machine .example>\n\nThis is a message just to say hello.\nSo, \"Hello\".\n");
    let msg = Message::parse(&m);
    assert_eq!(flat(msg.from()), [s("John Doe", "jdoe@machine.example")]);
    assert_eq!(flat(msg.to()), [s("Mary Smith", "mary@example.net")]);
    assert_eq!(msg.subject().as_deref(), Some("Saying Hello"));
    assert_eq!(
        msg.date().unwrap().to_rfc3339(),
        "1997-11-21T09:55:06-06:00"
    );
    assert_eq!(
        msg.message_id().as_deref(),
        Some("1234@local.machine.example")
    );
    let obs = msg
        .defects()
        .iter()
        .filter(|d| d.kind == DefectKind::ObsoleteWhitespaceBeforeColon)
        .count();
    assert_eq!(obs, 5);
}

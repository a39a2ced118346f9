//! Build then parse: the subject, names, addresses, text and attachments come back.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use mail_message::builder::{Attachment, EmailAddress, HeaderText, MessageBuilder};
use mail_message::Message;

#[derive(Arbitrary, Debug)]
struct Input {
    subject: String,
    name: String,
    text: String,
    html: Option<String>,
    files: Vec<(String, Vec<u8>)>,
}

fn crlf(s: &str) -> String {
    s.replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\n', "\r\n")
}

fuzz_target!(|input: Input| {
    let subject = input.subject.trim_start_matches([' ', '\t']);
    let (Ok(subject), Ok(from)) = (
        HeaderText::new(subject),
        EmailAddress::new(Some(&input.name), "fuzz@example.org"),
    ) else {
        return;
    };
    let mut b = MessageBuilder::new()
        .from(from)
        .subject(subject.clone())
        .text(&input.text);
    if let Some(h) = &input.html {
        b = b.html(h);
    }
    let mut files = Vec::new();
    for (name, data) in input.files.iter().take(4) {
        if let Ok(a) = Attachment::new("application/octet-stream", Some(name), data.clone()) {
            b = b.attachment(a);
            files.push((name, data));
        }
    }
    let bytes = b.build();
    let msg = Message::parse(&bytes);
    assert!(msg.defects().is_empty(), "{:?}", msg.defects());
    assert_eq!(msg.subject().as_deref(), Some(subject.as_str()));
    let from = msg.from().expect("from");
    let m = from.mailboxes().next().expect("mailbox");
    assert_eq!(
        m.name.as_deref(),
        Some(input.name.as_str()).filter(|n| !n.is_empty())
    );
    assert_eq!(m.address(), "fuzz@example.org");
    let leaves = msg.leaves();
    assert_eq!(
        leaves[0].1.text().as_deref(),
        Some(crlf(&input.text).as_str())
    );
    let first = 1 + usize::from(input.html.is_some());
    for (k, (name, data)) in files.iter().enumerate() {
        let part = leaves[first + k].1;
        assert_eq!(part.filename().as_deref(), Some(name.as_str()));
        assert_eq!(&*part.decoded_body(), data.as_slice());
    }
});

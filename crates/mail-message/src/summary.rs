//! The fields that `mail-dump --json` prints, computed once for the tool and the tests.

use std::borrow::Cow;

use crate::address::AddressList;
use crate::Message;

/// A mailbox as `mail-dump` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryAddress {
    /// Display name, `None` when there is none.
    pub name: Option<String>,
    /// The addr-spec.
    pub address: String,
}

/// A leaf part as `mail-dump` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryPart<'a> {
    /// IMAP section number (`1.2`).
    pub path: String,
    /// `type/subtype`, lower case.
    pub content_type: String,
    /// The charset parameter.
    pub charset: Option<String>,
    /// The disposition type, lower case.
    pub disposition: Option<String>,
    /// The file name.
    pub filename: Option<String>,
    /// The transfer-decoded body.
    pub decoded: Cow<'a, [u8]>,
    /// The charset-decoded text of `text/*` parts.
    pub text: Option<String>,
}

/// A message as `mail-dump` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary<'a> {
    /// Every field: name as written, value unfolded and RFC 2047-decoded.
    pub headers: Vec<(String, String)>,
    /// From, group members in place.
    pub from: Vec<SummaryAddress>,
    /// To.
    pub to: Vec<SummaryAddress>,
    /// Cc.
    pub cc: Vec<SummaryAddress>,
    /// Decoded Subject.
    pub subject: Option<String>,
    /// Date as RFC 3339 with the original offset.
    pub date: Option<String>,
    /// Message-ID without `<>`.
    pub message_id: Option<String>,
    /// Leaf parts depth first.
    pub parts: Vec<SummaryPart<'a>>,
}

fn flat(list: Option<AddressList<'_>>) -> Vec<SummaryAddress> {
    list.map(|l| {
        l.mailboxes()
            .map(|m| SummaryAddress {
                name: m.name.as_deref().map(str::to_owned),
                address: m.address(),
            })
            .collect()
    })
    .unwrap_or_default()
}

impl<'a> Summary<'a> {
    /// Summarises `msg`.
    pub fn of(msg: &Message<'a>) -> Self {
        Self {
            headers: msg
                .header()
                .iter()
                .map(|f| (f.name().to_owned(), f.text().into_owned()))
                .collect(),
            from: flat(msg.from()),
            to: flat(msg.to()),
            cc: flat(msg.cc()),
            subject: msg.subject().map(Cow::into_owned),
            date: msg.date().map(|d| d.to_rfc3339()),
            message_id: msg.message_id().map(Cow::into_owned),
            parts: msg
                .leaves()
                .into_iter()
                .map(|(path, p)| SummaryPart {
                    path,
                    content_type: p.content_type().essence(),
                    charset: p.charset().map(str::to_owned),
                    disposition: p.disposition().map(|d| d.kind.into_owned()),
                    filename: p.filename(),
                    decoded: p.decoded_body(),
                    text: p.text().map(Cow::into_owned),
                })
                .collect(),
        }
    }
}

//! Property tests: any command or response built through the types serialises to bytes that
//! parse back to an equal value, strictly; and any split of those bytes gives `Incomplete`
//! first and the same value once whole.

use std::borrow::Cow;
use std::num::NonZeroU32;

use imap_proto::*;
use mail_wire::Secret;
use proptest::collection::vec;
use proptest::option::of;
use proptest::prelude::*;

// ---------- leaves ----------

fn nz() -> impl Strategy<Value = NonZeroU32> {
    (1u32..=u32::MAX).prop_map(|n| NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN))
}

fn nz_u32() -> impl Strategy<Value = u32> {
    prop_oneof![1u32..100, 1u32..=u32::MAX]
}

fn tag() -> impl Strategy<Value = Tag<'static>> {
    "[A-Za-z0-9.]{1,8}".prop_map(|s| Tag::new(s).unwrap_or_else(|_| unreachable!()))
}

fn unreachable_atom() -> Atom<'static> {
    Atom::new("X").unwrap_or_else(|_| unreachable!())
}

fn atom() -> impl Strategy<Value = Atom<'static>> {
    "[A-Za-z][A-Za-z0-9.=-]{0,10}".prop_map(|s| Atom::new(s).unwrap_or_else(|_| unreachable_atom()))
}

/// An atom that no keyword table knows (every table's names are free of a leading `Xq`).
fn x_atom() -> impl Strategy<Value = Atom<'static>> {
    "Xq[a-z0-9-]{0,8}".prop_map(|s| Atom::new(s).unwrap_or_else(|_| unreachable_atom()))
}

fn quoted() -> impl Strategy<Value = Quoted<'static>> {
    vec(
        prop_oneof![Just(b'"'), Just(b'\\'), 0x20u8..0x7f, 0x01u8..0x0a],
        0..20,
    )
    .prop_map(|v| {
        Quoted::new(v).unwrap_or_else(|_| Quoted::new(&b""[..]).unwrap_or_else(|_| unreachable!()))
    })
}

fn literal() -> impl Strategy<Value = Literal<'static>> {
    (vec(1u8..=255, 0..40), any::<bool>(), any::<bool>()).prop_map(|(v, sync, bin)| {
        let mode = if sync {
            LiteralMode::Sync
        } else {
            LiteralMode::NonSync
        };
        if bin {
            Literal::binary(v, mode)
        } else {
            Literal::new(v, mode).unwrap_or_else(|_| Literal::binary(Vec::new(), mode))
        }
    })
}

fn istring() -> impl Strategy<Value = IString<'static>> {
    prop_oneof![3 => quoted().prop_map(IString::Quoted), 1 => literal().prop_map(IString::Literal)]
}

fn nstring() -> impl Strategy<Value = NString<'static>> {
    of(istring())
}

fn astring() -> impl Strategy<Value = AString<'static>> {
    prop_oneof![
        "[A-Za-z0-9.\\]/_+-]{1,10}".prop_map(|s| AString::Atom(
            AtomExt::new(s)
                .unwrap_or_else(|_| AtomExt::new("x").unwrap_or_else(|_| unreachable!()))
        )),
        istring().prop_map(AString::String),
    ]
}

fn mailbox() -> impl Strategy<Value = Mailbox<'static>> {
    astring().prop_map(Mailbox)
}

fn flag() -> impl Strategy<Value = Flag<'static>> {
    prop_oneof![
        Just(Flag::Answered),
        Just(Flag::Flagged),
        Just(Flag::Deleted),
        Just(Flag::Seen),
        Just(Flag::Draft),
        Just(Flag::Recent),
        x_atom().prop_map(Flag::Extension),
        atom().prop_map(Flag::Keyword),
    ]
}

fn seq_number() -> impl Strategy<Value = SeqNumber> {
    prop_oneof![4 => nz().prop_map(SeqNumber::Value), 1 => Just(SeqNumber::Largest)]
}

fn seq_set() -> impl Strategy<Value = SequenceSet> {
    prop_oneof![
        10 => vec(
            prop_oneof![
                seq_number().prop_map(Sequence::Single),
                (seq_number(), seq_number()).prop_map(|(a, b)| Sequence::Range(a, b)),
            ],
            1..5
        )
        .prop_map(SequenceSet::Set),
        1 => Just(SequenceSet::Saved),
    ]
}

fn token() -> impl Strategy<Value = Token<'static>> {
    "[A-Za-z][A-Za-z0-9./-]{0,8}(\\[[A-Z0-9. ]{0,6}\\])?"
        .prop_filter("NIL is not a token", |s| !s.eq_ignore_ascii_case("NIL"))
        .prop_map(|s| Token::new(s).unwrap_or_else(|_| unreachable!()))
}

fn value() -> impl Strategy<Value = Value<'static>> {
    let leaf = prop_oneof![
        Just(Value::Nil),
        any::<u64>().prop_map(Value::Number),
        token().prop_map(Value::Atom),
        istring().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| vec(inner, 0..4).prop_map(Value::List))
}

/// A `tagged-ext-val` (RFC 4466): a number or a list.
fn ext_value() -> impl Strategy<Value = Value<'static>> {
    prop_oneof![
        any::<u64>().prop_map(Value::Number),
        vec(value(), 0..3).prop_map(Value::List)
    ]
}

fn text() -> impl Strategy<Value = Text<'static>> {
    "([A-Za-z0-9][ -~]{0,20})?".prop_map(|s| Text::new(s).unwrap_or_default())
}

fn capability() -> impl Strategy<Value = Capability<'static>> {
    prop_oneof![
        Just(Capability::Imap4rev2),
        Just(Capability::LiteralPlus),
        Just(Capability::Utf8Accept),
        Just(Capability::AuthPlain),
        x_atom().prop_map(Capability::Other),
    ]
}

fn part() -> impl Strategy<Value = Vec<NonZeroU32>> {
    vec(nz(), 0..4)
}

fn section() -> impl Strategy<Value = Section<'static>> {
    (
        part(),
        of(prop_oneof![
            Just(SectionText::Header),
            Just(SectionText::Text),
            Just(SectionText::Mime),
            vec(astring(), 1..3).prop_map(SectionText::HeaderFields),
            vec(astring(), 1..3).prop_map(SectionText::HeaderFieldsNot),
        ]),
    )
        .prop_map(|(part, text)| {
            let text = match text {
                Some(SectionText::Mime) if part.is_empty() => Some(SectionText::Header),
                t => t,
            };
            Section { part, text }
        })
}

fn date() -> impl Strategy<Value = Date> {
    (1u16..=9999, 1u8..=12, 1u8..=31)
        .prop_map(|(y, m, d)| Date::new(y, m, d).unwrap_or_else(|_| unreachable!()))
}

// ---------- commands ----------

fn search_key() -> impl Strategy<Value = SearchKey<'static>> {
    let leaf = prop_oneof![
        Just(SearchKey::All),
        Just(SearchKey::Answered),
        Just(SearchKey::Deleted),
        Just(SearchKey::Seen),
        Just(SearchKey::Unseen),
        Just(SearchKey::New),
        astring().prop_map(SearchKey::From),
        astring().prop_map(SearchKey::Subject),
        astring().prop_map(SearchKey::Body),
        (astring(), astring()).prop_map(|(a, b)| SearchKey::Header(a, b)),
        atom().prop_map(SearchKey::Keyword),
        atom().prop_map(SearchKey::Unkeyword),
        any::<u64>().prop_map(SearchKey::Larger),
        date().prop_map(SearchKey::Since),
        date().prop_map(SearchKey::SentBefore),
        seq_set().prop_map(SearchKey::Uid),
        seq_set().prop_map(SearchKey::SequenceSet),
        atom().prop_map(SearchKey::EmailId),
        (
            of((quoted().prop_map(IString::Quoted), atom())),
            any::<u64>()
        )
            .prop_map(|(entry, modseq)| SearchKey::ModSeq { entry, modseq }),
    ];
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            inner.clone().prop_map(|k| SearchKey::Not(Box::new(k))),
            (inner.clone(), inner.clone())
                .prop_map(|(a, b)| SearchKey::Or(Box::new(a), Box::new(b))),
            vec(inner, 1..3).prop_map(SearchKey::And),
        ]
    })
}

fn search_return() -> impl Strategy<Value = SearchReturn<'static>> {
    prop_oneof![
        Just(SearchReturn::Min),
        Just(SearchReturn::Count),
        Just(SearchReturn::Save),
        (x_atom(), of(ext_value())).prop_map(|(a, v)| SearchReturn::Other(a, v)),
    ]
}

fn partial() -> impl Strategy<Value = Option<(u32, NonZeroU32)>> {
    of((any::<u32>(), nz()))
}

fn fetch_attribute() -> impl Strategy<Value = FetchAttribute<'static>> {
    prop_oneof![
        Just(FetchAttribute::Envelope),
        Just(FetchAttribute::Flags),
        Just(FetchAttribute::InternalDate),
        Just(FetchAttribute::Rfc822Size),
        Just(FetchAttribute::Rfc822Header),
        Just(FetchAttribute::BodyStructure),
        Just(FetchAttribute::Body),
        Just(FetchAttribute::Uid),
        Just(FetchAttribute::ModSeq),
        (any::<bool>(), section(), partial()).prop_map(|(peek, section, partial)| {
            FetchAttribute::BodySection {
                peek,
                section,
                partial,
            }
        }),
        (any::<bool>(), part(), partial()).prop_map(|(peek, part, partial)| {
            FetchAttribute::Binary {
                peek,
                part,
                partial,
            }
        }),
        part().prop_map(FetchAttribute::BinarySize),
        x_atom().prop_map(FetchAttribute::Other),
    ]
}

fn status_attribute() -> impl Strategy<Value = StatusAttribute<'static>> {
    prop_oneof![
        Just(StatusAttribute::Messages),
        Just(StatusAttribute::UidNext),
        Just(StatusAttribute::Size),
        Just(StatusAttribute::HighestModSeq),
        x_atom().prop_map(StatusAttribute::Other),
    ]
}

fn list_mailbox() -> impl Strategy<Value = ListMailbox<'static>> {
    prop_oneof![
        "[A-Za-z0-9%*/.]{1,8}"
            .prop_map(|s| ListMailbox::Token(ListAtom::new(s).unwrap_or_else(|_| unreachable!()))),
        istring().prop_map(ListMailbox::String),
    ]
}

fn select_params() -> impl Strategy<Value = Vec<SelectParam<'static>>> {
    vec(
        prop_oneof![
            Just(SelectParam::CondStore),
            (
                nz(),
                any::<u64>(),
                of(seq_set()),
                of((seq_set(), seq_set()))
            )
                .prop_map(|(uid_validity, modseq, known_uids, seq_match)| {
                    SelectParam::QResync {
                        uid_validity,
                        modseq,
                        known_uids,
                        seq_match,
                    }
                }),
            (x_atom(), of(ext_value())).prop_map(|(a, v)| SelectParam::Other(a, v)),
        ],
        0..3,
    )
}

fn id_params() -> impl Strategy<Value = Option<Vec<(IString<'static>, NString<'static>)>>> {
    of(vec((istring(), nstring()), 0..3))
}

fn command_body() -> impl Strategy<Value = CommandBody<'static>> {
    let simple = prop_oneof![
        Just(CommandBody::Capability),
        Just(CommandBody::Noop),
        Just(CommandBody::Logout),
        Just(CommandBody::StartTls),
        Just(CommandBody::Namespace),
        Just(CommandBody::Idle),
        Just(CommandBody::Check),
        Just(CommandBody::Close),
        Just(CommandBody::Unselect),
        Just(CommandBody::Expunge),
        (atom(), of("[A-Za-z0-9+/]{1,12}={0,2}|=")).prop_map(|(mechanism, i)| {
            CommandBody::Authenticate {
                mechanism,
                initial: i.map(|s| Secret::new(Cow::Owned(s))),
            }
        }),
        (astring(), astring()).prop_map(|(username, p)| CommandBody::Login {
            username,
            password: Secret::new(p)
        }),
        (mailbox(), select_params())
            .prop_map(|(mailbox, params)| CommandBody::Select { mailbox, params }),
        (mailbox(), select_params())
            .prop_map(|(mailbox, params)| CommandBody::Examine { mailbox, params }),
        (
            mailbox(),
            of(vec(
                prop_oneof![Just(MailboxAttribute::Drafts), Just(MailboxAttribute::Sent)],
                0..3
            ))
        )
            .prop_map(|(mailbox, special_use)| CommandBody::Create {
                mailbox,
                special_use
            }),
        mailbox().prop_map(CommandBody::Delete),
        (mailbox(), mailbox()).prop_map(|(a, b)| CommandBody::Rename(a, b)),
        mailbox().prop_map(CommandBody::Subscribe),
        mailbox().prop_map(CommandBody::Unsubscribe),
        seq_set().prop_map(CommandBody::UidExpunge),
    ];
    let complex =
        prop_oneof![
            (
                of(vec(atom(), 0..3)),
                mailbox(),
                vec(list_mailbox(), 1..3),
                of(vec(
                    prop_oneof![
                        vec(status_attribute(), 1..3).prop_map(ListReturn::Status),
                        x_atom().prop_map(ListReturn::Option),
                    ],
                    0..3
                ))
            )
                .prop_map(|(selection, reference, patterns, ret)| {
                    let options = ListOptions { selection, ret };
                    CommandBody::List {
                        options,
                        reference,
                        patterns,
                    }
                }),
            (mailbox(), list_mailbox())
                .prop_map(|(reference, pattern)| CommandBody::Lsub { reference, pattern }),
            (mailbox(), vec(status_attribute(), 1..4)).prop_map(|(mailbox, attributes)| {
                CommandBody::Status {
                    mailbox,
                    attributes,
                }
            }),
            (
                mailbox(),
                vec(
                    (
                        of(vec(flag(), 0..3)),
                        of(quoted()),
                        literal(),
                        any::<bool>()
                    ),
                    1..3
                )
            )
                .prop_map(|(mailbox, m)| {
                    CommandBody::Append {
                        mailbox,
                        messages: m
                            .into_iter()
                            .map(|(flags, date, message, utf8)| AppendMessage {
                                flags,
                                date,
                                message,
                                utf8,
                            })
                            .collect(),
                    }
                }),
            (
                any::<bool>(),
                of(vec(search_return(), 0..3)),
                of(astring()),
                vec(search_key(), 1..4)
            )
                .prop_map(|(uid, ret, charset, keys)| CommandBody::Search {
                    uid,
                    ret,
                    charset,
                    keys
                }),
            (
                any::<bool>(),
                seq_set(),
                prop_oneof![
                    Just(FetchAttributes::All),
                    Just(FetchAttributes::Fast),
                    Just(FetchAttributes::Full),
                    fetch_attribute().prop_map(FetchAttributes::Single),
                    vec(fetch_attribute(), 1..5).prop_map(FetchAttributes::List),
                ],
                vec(
                    prop_oneof![
                        any::<u64>().prop_map(FetchModifier::ChangedSince),
                        Just(FetchModifier::Vanished),
                        (x_atom(), of(ext_value())).prop_map(|(a, v)| FetchModifier::Other(a, v)),
                    ],
                    0..3
                )
            )
                .prop_map(|(uid, set, attributes, modifiers)| CommandBody::Fetch {
                    uid,
                    set,
                    attributes,
                    modifiers
                }),
            (
                any::<bool>(),
                seq_set(),
                of(any::<u64>()),
                prop_oneof![
                    Just(StoreMode::Replace),
                    Just(StoreMode::Add),
                    Just(StoreMode::Remove)
                ],
                any::<bool>(),
                vec(flag(), 0..4)
            )
                .prop_map(|(uid, set, unchanged_since, mode, silent, flags)| {
                    CommandBody::Store {
                        uid,
                        set,
                        unchanged_since,
                        mode,
                        silent,
                        flags,
                    }
                }),
            (any::<bool>(), seq_set(), mailbox())
                .prop_map(|(uid, set, mailbox)| CommandBody::Copy { uid, set, mailbox }),
            (any::<bool>(), seq_set(), mailbox())
                .prop_map(|(uid, set, mailbox)| CommandBody::Move { uid, set, mailbox }),
            vec(capability(), 1..4).prop_map(CommandBody::Enable),
            id_params().prop_map(CommandBody::Id),
            astring().prop_map(CommandBody::GetQuota),
            mailbox().prop_map(CommandBody::GetQuotaRoot),
            (astring(), vec((atom(), any::<u64>()), 0..3))
                .prop_map(|(root, limits)| CommandBody::SetQuota { root, limits }),
            (
                vec((x_atom(), value()), 0..2),
                mailbox(),
                vec(astring(), 1..3)
            )
                .prop_map(|(options, mailbox, entries)| CommandBody::GetMetadata {
                    options,
                    mailbox,
                    entries
                }),
            (mailbox(), vec((astring(), nstring()), 1..3))
                .prop_map(|(mailbox, entries)| CommandBody::SetMetadata { mailbox, entries }),
            (
                any::<bool>(),
                of(vec(search_return(), 0..2)),
                vec(
                    (any::<bool>(), atom())
                        .prop_map(|(reverse, key)| SortCriterion { reverse, key }),
                    1..3
                ),
                astring(),
                vec(search_key(), 1..3)
            )
                .prop_map(|(uid, ret, criteria, charset, keys)| CommandBody::Sort {
                    uid,
                    ret,
                    criteria,
                    charset,
                    keys
                }),
            (any::<bool>(), atom(), astring(), vec(search_key(), 1..3)).prop_map(
                |(uid, algorithm, charset, keys)| CommandBody::Thread {
                    uid,
                    algorithm,
                    charset,
                    keys
                }
            ),
            atom().prop_map(CommandBody::Compress),
            (x_atom(), vec(value(), 0..3))
                .prop_map(|(name, args)| CommandBody::Other { name, args }),
        ];
    prop_oneof![simple, complex]
}

fn command() -> impl Strategy<Value = Command<'static>> {
    (tag(), command_body()).prop_map(|(tag, body)| Command { tag, body })
}

// ---------- responses ----------

fn code() -> impl Strategy<Value = Code<'static>> {
    prop_oneof![
        Just(Code::Alert),
        Just(Code::Parse),
        Just(Code::ReadOnly),
        Just(Code::TryCreate),
        Just(Code::Closed),
        Just(Code::NoModSeq),
        Just(Code::MetadataTooMany),
        vec(astring(), 0..3).prop_map(Code::BadCharset),
        vec(capability(), 1..4).prop_map(Code::Capability),
        vec(prop_oneof![flag(), Just(Flag::Wildcard)], 0..4).prop_map(Code::PermanentFlags),
        nz_u32().prop_map(Code::UidNext),
        nz_u32().prop_map(Code::UidValidity),
        nz_u32().prop_map(Code::Unseen),
        (nz_u32(), seq_set()).prop_map(|(validity, uids)| Code::AppendUid { validity, uids }),
        (nz_u32(), seq_set(), seq_set()).prop_map(|(validity, source, destination)| {
            Code::CopyUid {
                validity,
                source,
                destination,
            }
        }),
        any::<u64>().prop_map(Code::HighestModSeq),
        seq_set().prop_map(Code::Modified),
        any::<u64>().prop_map(Code::MetadataMaxSize),
        Just(Code::Simple(SimpleCode::NonExistent)),
        Just(Code::Simple(SimpleCode::OverQuota)),
        (x_atom(), of("[A-Za-z0-9 ()\"]{1,10}")).prop_map(|(name, a)| Code::Other {
            name,
            args: a.and_then(|a| CodeArgs::new(a).ok())
        }),
    ]
}

fn resp_text() -> impl Strategy<Value = ResponseText<'static>> {
    (of(code()), text()).prop_map(|(code, text)| ResponseText { code, text })
}

fn address() -> impl Strategy<Value = Address<'static>> {
    (nstring(), nstring(), nstring(), nstring()).prop_map(|(name, adl, mailbox, host)| Address {
        name,
        adl,
        mailbox,
        host,
    })
}

fn envelope() -> impl Strategy<Value = Envelope<'static>> {
    let addrs = || vec(address(), 0..3);
    (
        nstring(),
        nstring(),
        addrs(),
        addrs(),
        addrs(),
        addrs(),
        addrs(),
        addrs(),
        nstring(),
        nstring(),
    )
        .prop_map(
            |(date, subject, from, sender, reply_to, to, cc, bcc, in_reply_to, message_id)| {
                Envelope {
                    date,
                    subject,
                    from,
                    sender,
                    reply_to,
                    to,
                    cc,
                    bcc,
                    in_reply_to,
                    message_id,
                }
            },
        )
}

fn params() -> impl Strategy<Value = Vec<(IString<'static>, IString<'static>)>> {
    vec((istring(), istring()), 0..3)
}

fn body_ext() -> impl Strategy<Value = BodyExtension<'static>> {
    (
        0usize..5,
        of((istring(), params()).prop_map(|(kind, params)| Disposition { kind, params })),
        prop_oneof![
            nstring().prop_map(Language::Single),
            vec(istring(), 1..3).prop_map(Language::List)
        ],
        nstring(),
        vec(value(), 0..2),
    )
        .prop_map(|(depth, d, l, loc, extra)| BodyExtension {
            disposition: (depth >= 1).then_some(d),
            language: (depth >= 2).then_some(l),
            location: (depth >= 3).then_some(loc),
            extra: if depth >= 4 { extra } else { Vec::new() },
        })
}

fn q(s: &'static str) -> IString<'static> {
    IString::Quoted(Quoted::new(s.as_bytes()).unwrap_or_else(|_| unreachable!()))
}

fn body() -> impl Strategy<Value = BodyStructure<'static>> {
    let single = |kind: BoxedStrategy<(IString<'static>, SinglePartKind<'static>)>| {
        (
            kind,
            istring(),
            params(),
            nstring(),
            nstring(),
            istring(),
            any::<u64>(),
            of((nstring(), body_ext())),
        )
            .prop_map(
                |(
                    (media_type, kind),
                    subtype,
                    params,
                    id,
                    description,
                    encoding,
                    size,
                    extension,
                )| {
                    let subtype = if matches!(kind, SinglePartKind::Message { .. }) {
                        q("RFC822")
                    } else {
                        subtype
                    };
                    BodyStructure::Single {
                        media_type,
                        subtype,
                        params,
                        id,
                        description,
                        encoding,
                        size,
                        kind,
                        extension,
                    }
                },
            )
    };
    let leaf_kind = prop_oneof![
        Just((q("IMAGE"), SinglePartKind::Basic)),
        any::<u64>().prop_map(|lines| (q("TEXT"), SinglePartKind::Text { lines })),
    ]
    .boxed();
    single(leaf_kind).prop_recursive(3, 12, 3, move |inner| {
        let msg_kind = (envelope(), inner.clone(), any::<u64>())
            .prop_map(|(e, b, lines)| {
                (
                    q("MESSAGE"),
                    SinglePartKind::Message {
                        envelope: Box::new(e),
                        body: Box::new(b),
                        lines,
                    },
                )
            })
            .boxed();
        prop_oneof![
            single(msg_kind),
            (vec(inner, 1..3), istring(), of((params(), body_ext()))).prop_map(
                |(parts, subtype, extension)| BodyStructure::Multi {
                    parts,
                    subtype,
                    extension
                }
            ),
        ]
    })
}

fn fetch_item() -> impl Strategy<Value = FetchItem<'static>> {
    prop_oneof![
        vec(flag(), 0..3).prop_map(FetchItem::Flags),
        quoted().prop_map(FetchItem::InternalDate),
        any::<u64>().prop_map(FetchItem::Rfc822Size),
        nz_u32().prop_map(FetchItem::Uid),
        any::<u64>().prop_map(FetchItem::ModSeq),
        envelope().prop_map(|e| FetchItem::Envelope(Box::new(e))),
        body().prop_map(|b| FetchItem::Body(Box::new(b))),
        body().prop_map(|b| FetchItem::BodyStructure(Box::new(b))),
        (section(), of(any::<u32>()), nstring()).prop_map(|(section, origin, data)| {
            FetchItem::BodySection {
                section,
                origin,
                data,
            }
        }),
        (part(), nstring()).prop_map(|(part, data)| FetchItem::Binary { part, data }),
        (part(), any::<u64>()).prop_map(|(part, size)| FetchItem::BinarySize { part, size }),
        nstring().prop_map(FetchItem::Rfc822),
        nstring().prop_map(FetchItem::Rfc822Header),
        ("Xq[A-Z-]{0,6}", value()).prop_map(|(n, value)| FetchItem::Other {
            name: Token::new(n).unwrap_or_else(|_| unreachable!()),
            value
        }),
    ]
}

fn delimiter() -> impl Strategy<Value = Option<Delimiter>> {
    of(prop_oneof![Just('/'), Just('.'), Just('"'), Just('\\')]
        .prop_map(|c| Delimiter::new(c).unwrap_or_else(|_| unreachable!())))
}

fn thread() -> impl Strategy<Value = Thread> {
    let leaf = vec(nz_u32(), 1..3).prop_map(|members| Thread {
        members,
        children: Vec::new(),
    });
    leaf.prop_recursive(3, 10, 3, |inner| {
        (vec(nz_u32(), 0..3), vec(inner, 1..3))
            .prop_map(|(members, children)| Thread { members, children })
    })
}

fn namespaces() -> impl Strategy<Value = Option<Vec<Namespace<'static>>>> {
    of(vec(
        (
            istring(),
            delimiter(),
            vec((istring(), vec(istring(), 1..3)), 0..2),
        )
            .prop_map(|(prefix, delimiter, extensions)| Namespace {
                prefix,
                delimiter,
                extensions,
            }),
        1..3,
    ))
}

fn data() -> impl Strategy<Value = Data<'static>> {
    prop_oneof![
        (
            prop_oneof![
                Just(Condition::Ok),
                Just(Condition::No),
                Just(Condition::Bad),
                Just(Condition::PreAuth),
                Just(Condition::Bye)
            ],
            resp_text()
        )
            .prop_map(|(condition, text)| Data::Condition { condition, text }),
        vec(capability(), 0..4).prop_map(Data::Capability),
        vec(capability(), 0..4).prop_map(Data::Enabled),
        vec(flag(), 0..4).prop_map(Data::Flags),
        (
            prop_oneof![
                Just(ListKind::List),
                Just(ListKind::Lsub),
                Just(ListKind::Xlist)
            ],
            vec(
                prop_oneof![
                    Just(MailboxAttribute::HasChildren),
                    Just(MailboxAttribute::Sent),
                    x_atom().prop_map(MailboxAttribute::Extension)
                ],
                0..3
            ),
            delimiter(),
            mailbox(),
            vec((astring(), value()), 0..2)
        )
            .prop_map(|(kind, attributes, delimiter, mailbox, extended)| {
                Data::List(
                    kind,
                    ListData {
                        attributes,
                        delimiter,
                        mailbox,
                        extended,
                    },
                )
            }),
        (
            mailbox(),
            vec(
                prop_oneof![
                    (
                        status_attribute()
                            .prop_filter("known", |a| !matches!(a, StatusAttribute::Other(_))),
                        any::<u64>()
                    )
                        .prop_map(|(a, n)| StatusItem::Number(a, n)),
                    (x_atom(), value()).prop_map(|(a, v)| StatusItem::Other(a, v)),
                ],
                0..3
            )
        )
            .prop_map(|(mailbox, items)| Data::Status { mailbox, items }),
        (vec(nz_u32(), 0..5), of(any::<u64>()))
            .prop_map(|(numbers, modseq)| Data::Search { numbers, modseq }),
        (vec(nz_u32(), 0..5), of(any::<u64>()))
            .prop_map(|(numbers, modseq)| Data::Sort { numbers, modseq }),
        (
            of(istring()),
            any::<bool>(),
            vec(
                prop_oneof![
                    nz_u32().prop_map(ESearchItem::Min),
                    nz_u32().prop_map(ESearchItem::Max),
                    any::<u32>().prop_map(ESearchItem::Count),
                    seq_set().prop_map(ESearchItem::All),
                    any::<u64>().prop_map(ESearchItem::ModSeq),
                    (-100i64..100, -100i64..100, of(seq_set()))
                        .prop_map(|(first, last, set)| ESearchItem::Partial { first, last, set }),
                    (x_atom(), value()).prop_map(|(a, v)| ESearchItem::Other(a, v)),
                ],
                0..4
            )
        )
            .prop_map(|(tag, uid, items)| Data::ESearch(ESearch { tag, uid, items })),
        vec(thread(), 0..3).prop_map(Data::Thread),
        any::<u32>().prop_map(Data::Exists),
        any::<u32>().prop_map(Data::Recent),
        any::<u32>().prop_map(Data::Expunge),
        (any::<u32>(), vec(fetch_item(), 1..4)).prop_map(|(seq, items)| Data::Fetch { seq, items }),
        (namespaces(), namespaces(), namespaces()).prop_map(|(personal, other, shared)| {
            Data::Namespace {
                personal,
                other,
                shared,
            }
        }),
        id_params().prop_map(Data::Id),
        (any::<bool>(), seq_set()).prop_map(|(earlier, uids)| Data::Vanished { earlier, uids }),
        (astring(), vec((atom(), any::<u64>(), any::<u64>()), 0..3)).prop_map(|(root, r)| {
            Data::Quota {
                root,
                resources: r
                    .into_iter()
                    .map(|(name, usage, limit)| QuotaResource { name, usage, limit })
                    .collect(),
            }
        }),
        (mailbox(), vec(astring(), 0..3))
            .prop_map(|(mailbox, roots)| Data::QuotaRoot { mailbox, roots }),
        (
            mailbox(),
            prop_oneof![
                vec((astring(), nstring()), 1..3).prop_map(MetadataEntries::Values),
                vec(astring(), 1..3).prop_map(MetadataEntries::Names),
            ]
        )
            .prop_map(|(mailbox, entries)| Data::Metadata { mailbox, entries }),
        (of(any::<u32>()), x_atom(), vec(value(), 0..3))
            .prop_map(|(number, name, args)| Data::Other { number, name, args }),
    ]
}

fn response() -> impl Strategy<Value = Response<'static>> {
    prop_oneof![
        2 => (tag(), prop_oneof![Just(State::Ok), Just(State::No), Just(State::Bad)], resp_text())
            .prop_map(|(tag, state, text)| Response::Tagged { tag, state, text }),
        1 => resp_text().prop_map(Response::Continue),
        6 => data().prop_map(Response::Data),
    ]
}

// ---------- properties ----------

/// Every strict prefix is `Incomplete`; the whole gives the expected value (compared through
/// `Debug`, since the parsed value borrows the buffer).
fn check_splits(
    bytes: &[u8],
    expected: &str,
    parse: impl Fn(&[u8]) -> Result<Status<String>, ParseError>,
) -> Result<(), TestCaseError> {
    for k in 0..bytes.len() {
        let prefix = bytes.get(..k).unwrap_or_default();
        prop_assert!(
            matches!(parse(prefix), Ok(Status::Incomplete)),
            "split at {k}"
        );
    }
    let whole = parse(bytes).ok().and_then(|s| s.complete()).map(|(v, _)| v);
    prop_assert_eq!(whole.as_deref(), Some(expected));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn commands_round_trip(c in command()) {
        let enc = c.encode();
        let opts = ParseOptions::default();
        let parsed = parse_command(enc.bytes(), &opts);
        prop_assert_eq!(
            parsed.as_ref().ok().and_then(|s| s.clone().complete()),
            Some((c.clone(), enc.bytes().len())),
            "{:?}", String::from_utf8_lossy(enc.bytes())
        );
    }

    #[test]
    fn responses_round_trip(r in response()) {
        let enc = r.encode();
        let opts = ParseOptions::default();
        let parsed = parse_response(enc.bytes(), &opts);
        prop_assert_eq!(
            parsed.as_ref().ok().and_then(|s| s.clone().complete()),
            Some((r.clone(), enc.bytes().len())),
            "{:?}", String::from_utf8_lossy(enc.bytes())
        );
    }

    #[test]
    fn commands_split_anywhere(c in command()) {
        let enc = c.encode();
        let opts = ParseOptions::default();
        check_splits(enc.bytes(), &format!("{c:?}"), |b| {
            parse_command(b, &opts).map(|s| s.map(|c| format!("{c:?}")))
        })?;
    }

    #[test]
    fn responses_split_anywhere(r in response()) {
        let enc = r.encode();
        let opts = ParseOptions::default();
        check_splits(enc.bytes(), &format!("{r:?}"), |b| {
            parse_response(b, &opts).map(|s| s.map(|r| format!("{r:?}")))
        })?;
    }

    #[test]
    fn fragments_rejoin(c in command()) {
        let enc = c.encode();
        let joined: Vec<u8> = enc.fragments().iter().flat_map(|f| f.bytes.iter().copied()).collect();
        prop_assert_eq!(joined.as_slice(), enc.bytes());
        for f in enc.fragments().iter().filter(|f| f.wait_for_continuation) {
            prop_assert!(f.bytes.ends_with(b"}\r\n"), "fragment ends at a literal announcement");
        }
    }
}

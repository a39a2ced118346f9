//! The extensions a server announces through `ServerConfig::extensions`: REQUIRETLS (RFC 8689),
//! MT-PRIORITY (RFC 6710), FUTURERELEASE (RFC 4865), DELIVERBY (RFC 2852) and RRVS (RFC 7293).
//! The commands follow the RFCs' examples where they give some.

mod support;

use smtp_proto::codec::ehlo::{Capability, EhloReply};
use smtp_proto::codec::reply::parse_reply;
use smtp_proto::session::server::{ServerConfig, ServerEvent, ServerSession};
use smtp_proto::types::{Domain, Keyword, ParamValue};
use support::{run_split, ServerRun};

fn run(config: &ServerConfig, input: &str) -> ServerRun {
    run_split(
        &|| ServerSession::new(config.clone()),
        input.as_bytes(),
        &[],
    )
    .0
}

fn all_extensions(tls: bool) -> ServerConfig {
    let mut cfg = ServerConfig::new(Domain::new("mx.example.org").unwrap());
    cfg.tls_active = tls;
    cfg.extensions = vec![
        Capability::RequireTls,
        Capability::MtPriority(Some(Keyword::new("MIXER").unwrap())),
        Capability::FutureRelease {
            max_interval: 604800,
            max_datetime: ParamValue::new("2030-01-01T00:00:00Z").unwrap(),
        },
        Capability::DeliverBy(Some(240)),
        Capability::Rrvs,
    ];
    cfg
}

/// The EHLO reply the session sent first.
fn ehlo(run: &ServerRun) -> EhloReply<'static> {
    let after_greeting = run.output.splitn(2, |&b| b == b'\n').nth(1).unwrap();
    let (reply, _) = parse_reply(after_greeting).unwrap().complete().unwrap();
    EhloReply::from_reply(&reply).into_owned()
}

/// The parameters of every MAIL the application was asked about.
fn mails(run: &ServerRun) -> Vec<smtp_proto::codec::command::MailParams<'static>> {
    run.events
        .iter()
        .filter_map(|e| match e {
            ServerEvent::MailFrom { params, .. } => Some(params.clone()),
            _ => None,
        })
        .collect()
}

/// MAIL with each set of parameters in a fresh session gets the code; refusals carry 5.5.4.
fn mail_codes(cases: &[(&str, u16)]) {
    for &(params, code) in cases {
        let r = run(
            &all_extensions(false),
            &format!("EHLO c\r\nMAIL FROM:<a@b.c> {params}\r\n"),
        );
        assert_eq!(r.codes(), [220, 250, code], "{params}");
        if code != 250 {
            let out = String::from_utf8_lossy(&r.output);
            assert!(out.contains(" 5.5.4 "), "{params}: {out}");
        }
    }
}

#[test]
fn not_announced_means_555() {
    let cfg = ServerConfig::new(Domain::new("mx.example.org").unwrap());
    let r = run(
        &cfg,
        "EHLO c\r\n\
         MAIL FROM:<a@b.c> REQUIRETLS\r\n\
         MAIL FROM:<eljefe@example.com> MT-PRIORITY=6\r\n\
         MAIL FROM:<a@b.c> HOLDFOR=10\r\n\
         MAIL FROM:<a@b.c> HOLDUNTIL=2029-01-01T00:00:00Z\r\n\
         MAIL FROM:<a@b.c> BY=120;R\r\n\
         MAIL FROM:<a@b.c>\r\n\
         RCPT TO:<user@example.com> RRVS=2014-04-03T23:01:00Z\r\n",
    );
    assert_eq!(r.codes(), [220, 250, 555, 555, 555, 555, 555, 250, 555]);
    let e = ehlo(&r);
    for c in &all_extensions(true).extensions {
        assert!(!e.has(c), "{c:?} announced");
    }
}

#[test]
fn announced_with_their_parameters() {
    let plain = ehlo(&run(&all_extensions(false), "EHLO c\r\n"));
    let tls = ehlo(&run(&all_extensions(true), "EHLO c\r\n"));
    for c in &all_extensions(true).extensions {
        assert!(tls.has(c), "{c:?} not announced under TLS");
        // REQUIRETLS only means something under TLS (RFC 8689).
        assert_eq!(plain.has(c), *c != Capability::RequireTls, "{c:?}");
    }
    let wire = String::from_utf8(run(&all_extensions(true), "EHLO c\r\n").output).unwrap();
    for line in [
        "250-MT-PRIORITY MIXER\r\n",
        "250-FUTURERELEASE 604800 2030-01-01T00:00:00Z\r\n",
        "250-DELIVERBY 240\r\n",
        "250-REQUIRETLS\r\n",
    ] {
        assert!(wire.contains(line), "{line:?} missing from {wire}");
    }
    assert!(wire.ends_with("250 RRVS\r\n"), "{wire}");
}

#[test]
fn requiretls_only_over_tls() {
    let mail = "EHLO c\r\nMAIL FROM:<a@b.c> REQUIRETLS\r\n";
    let r = run(&all_extensions(false), mail);
    assert_eq!(r.codes(), [220, 250, 530]);
    assert!(String::from_utf8_lossy(&r.output).contains("530 5.7.10 "));
    assert!(mails(&r).is_empty());
    let r = run(&all_extensions(true), mail);
    assert_eq!(r.codes(), [220, 250, 250]);
    assert!(mails(&r)[0].requiretls);
}

#[test]
fn mt_priority_goes_to_the_application() {
    // The shape of RFC 6710's example: "MAIL FROM:<eljefe@example.com> MT-PRIORITY=6".
    let r = run(
        &all_extensions(false),
        "EHLO c\r\nMAIL FROM:<eljefe@example.com> MT-PRIORITY=6\r\nRSET\r\nMAIL FROM:<a@b.c> MT-PRIORITY=-9\r\nRSET\r\nMAIL FROM:<a@b.c> MT-PRIORITY=10\r\n",
    );
    assert_eq!(r.codes(), [220, 250, 250, 250, 250, 250, 501]);
    let got: Vec<_> = mails(&r).iter().map(|p| p.mt_priority).collect();
    assert_eq!(got, [Some(6), Some(-9)]);
}

#[test]
fn future_release_limits() {
    let cases = [
        ("HOLDFOR=604800", 250),
        ("HOLDFOR=604801", 554),
        ("HOLDFOR=10 HOLDUNTIL=2029-01-01T00:00:00Z", 501),
        ("HOLDUNTIL=2029-12-31T23:59:59Z", 250),
        ("HOLDUNTIL=2030-01-01T00:00:00Z", 250),
        ("HOLDUNTIL=2030-01-01T00:00:01Z", 554),
        // 23:00 UTC on the day before the limit.
        ("HOLDUNTIL=2030-01-01T01:00:00+02:00", 250),
        ("HOLDUNTIL=2029-12-31T23:00:00-02:00", 554),
        ("HOLDUNTIL=tomorrow", 501),
    ];
    mail_codes(&cases);
    let r = run(
        &all_extensions(false),
        "EHLO c\r\nMAIL FROM:<a@b.c> HOLDFOR=3600\r\n",
    );
    assert_eq!(mails(&r)[0].hold_for, Some(3600));
}

#[test]
fn deliver_by_minimum() {
    let cases = [
        // At the announced minimum.
        ("BY=240;R", 250),
        ("BY=239;R", 501),
        ("BY=0;R", 501),
        ("BY=-10;R", 501),
        // Notify mode: a late message is still delivered, so any time is fine.
        ("BY=120;N", 250),
        ("BY=-10;NT", 250),
        ("BY=86400;RT", 250),
    ];
    mail_codes(&cases);
    let r = run(
        &all_extensions(false),
        "EHLO c\r\nMAIL FROM:<a@b.c> BY=300;RT\r\n",
    );
    let by = mails(&r)[0].by.unwrap();
    assert!(by.time == 300 && by.return_if_late && by.trace);
}

#[test]
fn rrvs_on_recipients() {
    // RFC 7293's parameter, without and with the R/C mode.
    let r = run(
        &all_extensions(false),
        "EHLO c\r\nMAIL FROM:<a@b.c>\r\n\
         RCPT TO:<user@example.com> RRVS=2014-04-03T23:01:00Z\r\n\
         RCPT TO:<other@example.com> RRVS=2014-04-03T23:01:00Z;C\r\n\
         RCPT TO:<third@example.com> RRVS=2014-04-03\r\n",
    );
    assert_eq!(r.codes(), [220, 250, 250, 250, 250, 501]);
    let rrvs: Vec<_> = r
        .events
        .iter()
        .filter_map(|e| match e {
            ServerEvent::RcptTo { params, .. } => params.rrvs.clone(),
            _ => None,
        })
        .collect();
    assert_eq!(rrvs.len(), 2);
    assert_eq!(rrvs[0].time.as_str(), "2014-04-03T23:01:00Z");
    assert_eq!((rrvs[0].reject, rrvs[1].reject), (None, Some(false)));
}

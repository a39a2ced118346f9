//! The optional extensions a server announces through [`ServerConfig::extensions`]: which EHLO
//! lines they add, and the checks of their MAIL and RCPT parameters.
//!
//! - REQUIRETLS (RFC 8689): announced and accepted under TLS only (the option is only valid on
//!   a TLS session); on a plain session the parameter gets `530 5.7.10` (encryption needed).
//! - MT-PRIORITY (RFC 6710): the priority (-9..9, checked by the parser) goes to the application
//!   with the policy it announced.
//! - FUTURERELEASE (RFC 4865): HOLDFOR and HOLDUNTIL together get `501 5.5.4`; a hold beyond the
//!   announced interval or date gets `554 5.5.4`; HOLDUNTIL must be an RFC 3339
//!   date-time (RFC 4865 erratum 2040). Whether HOLDUNTIL lies in the past needs a clock, which
//!   the session does not have: the application sees the value and decides.
//! - DELIVERBY (RFC 2852): in `R` mode the by-time must be positive and at least the announced
//!   minimum, else `501 5.5.4`.
//! - RRVS (RFC 7293): the date-time must be RFC 3339, else `501 5.5.4`.
//!
//! Each parameter of an extension that is not announced gets `555 5.5.4`.

use crate::codec::command::{MailParams, RcptParams};
use crate::codec::ehlo::Capability;
use crate::codec::reply::Reply;

use super::{r, ServerConfig};

/// The extension capabilities to add to the EHLO reply.
pub(super) fn announced(
    config: &ServerConfig,
    tls: bool,
) -> impl Iterator<Item = &Capability<'static>> {
    config
        .extensions
        .iter()
        .filter(move |c| tls || !matches!(c, Capability::RequireTls))
}

fn find<'c, T>(
    config: &'c ServerConfig,
    f: impl Fn(&'c Capability<'static>) -> Option<T>,
) -> Option<T> {
    config.extensions.iter().find_map(f)
}

/// Checks the extension parameters of MAIL: `Some(reply)` refuses the command.
pub(super) fn check_mail(
    config: &ServerConfig,
    tls: bool,
    p: &MailParams<'_>,
) -> Option<Reply<'static>> {
    let unsupported = |what: &str| Some(r(555, (5, 5, 4), what));
    let invalid = |what: &str| Some(r(501, (5, 5, 4), what));
    if p.requiretls {
        if find(config, |c| {
            matches!(c, Capability::RequireTls).then_some(())
        })
        .is_none()
        {
            return unsupported("REQUIRETLS not supported");
        }
        if !tls {
            return Some(r(530, (5, 7, 10), "REQUIRETLS needs a TLS session"));
        }
    }
    if p.mt_priority.is_some()
        && find(config, |c| {
            matches!(c, Capability::MtPriority(_)).then_some(())
        })
        .is_none()
    {
        return unsupported("MT-PRIORITY not supported");
    }
    if p.hold_for.is_some() || p.hold_until.is_some() {
        let Some((max_interval, max_date)) = find(config, |c| match c {
            Capability::FutureRelease {
                max_interval,
                max_datetime,
            } => Some((*max_interval, max_datetime.as_str())),
            _ => None,
        }) else {
            return unsupported("FUTURERELEASE not supported");
        };
        if p.hold_for.is_some() && p.hold_until.is_some() {
            return invalid("HOLDFOR and HOLDUNTIL are exclusive");
        }
        if p.hold_for.is_some_and(|n| n > max_interval) {
            return Some(r(554, (5, 5, 4), "HOLDFOR beyond the longest hold"));
        }
        if let Some(until) = &p.hold_until {
            let Some(until) = rfc3339_seconds(until.as_str()) else {
                return invalid("HOLDUNTIL is not a date-time");
            };
            if rfc3339_seconds(max_date).is_some_and(|max| until > max) {
                return Some(r(554, (5, 5, 4), "HOLDUNTIL beyond the latest release"));
            }
        }
    }
    if let Some(by) = p.by {
        let Some(min) = find(config, |c| match c {
            Capability::DeliverBy(min) => Some(min.unwrap_or(0)),
            _ => None,
        }) else {
            return unsupported("DELIVERBY not supported");
        };
        if by.return_if_late && (by.time <= 0 || i64::from(by.time) < min as i64) {
            return invalid("BY time too short for R");
        }
    }
    None
}

/// Checks the extension parameters of RCPT: `Some(reply)` refuses the command.
pub(super) fn check_rcpt(config: &ServerConfig, p: &RcptParams<'_>) -> Option<Reply<'static>> {
    if let Some(rrvs) = &p.rrvs {
        if find(config, |c| matches!(c, Capability::Rrvs).then_some(())).is_none() {
            return Some(r(555, (5, 5, 4), "RRVS not supported"));
        }
        if rfc3339_seconds(rrvs.time.as_str()).is_none() {
            return Some(r(501, (5, 5, 4), "RRVS is not a date-time"));
        }
    }
    None
}

/// Seconds since 1970 of an RFC 3339 `date-time` (`2030-01-01T00:00:00Z`,
/// `2014-04-03T23:01:00.5+02:00`); `None` if it is not one.
pub(crate) fn rfc3339_seconds(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let digits = b.get(from..from + len)?;
        digits.iter().try_fold(0i64, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + i64::from(d - b'0'))
        })
    };
    let sep = |at: usize, want: &[u8]| b.get(at).is_some_and(|c| want.contains(c));
    if !(sep(4, b"-") && sep(7, b"-") && sep(10, b"Tt") && sep(13, b":") && sep(16, b":")) {
        return None;
    }
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let max_day = *month_days.get(usize::try_from(month - 1).ok()?)?;
    // Second 60 is a leap second (RFC 3339 5.7).
    if !(1..=max_day).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    let offset = match b.get(i)? {
        b'Z' | b'z' if i + 1 == b.len() => 0,
        sign @ (b'+' | b'-') if i + 6 == b.len() && sep(i + 3, b":") => {
            let (h, m) = (num(i + 1, 2)?, num(i + 4, 2)?);
            if h > 23 || m > 59 {
                return None;
            }
            let minutes = h * 60 + m;
            if *sign == b'-' {
                -minutes
            } else {
                minutes
            }
        }
        _ => return None,
    };
    let days = mail_wire::civil::days_from_civil(year, month, day);
    Some(days * 86_400 + hour * 3600 + minute * 60 + second - offset * 60)
}

#[cfg(test)]
mod tests {
    use super::rfc3339_seconds;

    #[test]
    fn date_times() {
        assert_eq!(rfc3339_seconds("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(rfc3339_seconds("2030-01-01T00:00:00Z"), Some(1_893_456_000));
        // RFC 3339 5.8 examples.
        assert_eq!(
            rfc3339_seconds("1985-04-12T23:20:50.52Z"),
            Some(482_196_050)
        );
        assert_eq!(
            rfc3339_seconds("1996-12-19T16:39:57-08:00"),
            rfc3339_seconds("1996-12-20T00:39:57Z")
        );
        assert!(rfc3339_seconds("1990-12-31T23:59:60Z").is_some());
        assert_eq!(
            rfc3339_seconds("2000-02-29T12:00:00+01:30"),
            Some(951_825_600 - 5400)
        );
        for bad in [
            "",
            "2030-01-01",
            "2030-01-01T00:00:00",
            "2030-13-01T00:00:00Z",
            "2030-02-29T00:00:00Z",
            "2030-01-01T24:00:00Z",
            "2030-01-01T00:00:00.Z",
            "2030-01-01T00:00:00+0100",
            "2030-01-01T00:00:00Zjunk",
            "2030-01-01 00:00:00Z",
        ] {
            assert_eq!(rfc3339_seconds(bad), None, "{bad}");
        }
    }
}

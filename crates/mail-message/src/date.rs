//! Dates (RFC 5322 3.3 and the obsolete forms of 4.3), without a date library.

use crate::lexer::is_wsp;
use mail_wire::civil::days_from_civil;

/// A calendar date and time with the zone offset it was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateTime {
    /// Four-digit year (two- and three-digit years are expanded as RFC 5322 4.3 says).
    pub year: u16,
    /// 1 to 12.
    pub month: u8,
    /// 1 to 31, valid for the month.
    pub day: u8,
    /// 0 to 23.
    pub hour: u8,
    /// 0 to 59.
    pub minute: u8,
    /// 0 to 60 (a leap second); 0 when the obsolete form left seconds out.
    pub second: u8,
    /// Offset from UTC in minutes, as written.
    pub offset_minutes: i16,
    /// False for `-0000`, a military zone or no zone at all: local time with an unknown offset
    /// (RFC 5322 3.3), printed as `-00:00` by [`to_rfc3339`](Self::to_rfc3339) (RFC 3339 4.3).
    pub offset_known: bool,
}

/// A parsed date and whether it used obsolete syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedDate {
    /// The date.
    pub date: DateTime,
    /// Whether an obsolete form was accepted (2- or 3-digit year, named or military zone,
    /// missing seconds, a missing zone, or the asctime order).
    pub obsolete: bool,
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

fn days_in_month(y: u16, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(i64::from(y)) => 29,
        _ => 28,
    }
}

impl DateTime {
    /// Seconds since the Unix epoch of this instant (an unknown offset counts as UTC).
    pub fn timestamp(&self) -> i64 {
        let days = days_from_civil(
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        );
        days * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
            - i64::from(self.offset_minutes) * 60
    }

    /// RFC 3339 with the original offset: `2003-07-01T10:52:37+02:00`; an unknown offset is
    /// `-00:00`.
    pub fn to_rfc3339(&self) -> String {
        let (sign, off) = if !self.offset_known || self.offset_minutes < 0 {
            ('-', self.offset_minutes.unsigned_abs())
        } else {
            ('+', self.offset_minutes.unsigned_abs())
        };
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}{:02}:{:02}",
            self.year,
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second,
            sign,
            off / 60,
            off % 60
        )
    }

    /// RFC 5322 `date-time`: `Tue, 1 Jul 2003 10:52:37 +0200` (`-0000` for an unknown offset).
    pub fn to_rfc5322(&self) -> String {
        let days = days_from_civil(
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        );
        // 1970-01-01 was a Thursday.
        let dow = DAYS[(days + 3).rem_euclid(7) as usize];
        let (sign, off) = if !self.offset_known || self.offset_minutes < 0 {
            ('-', self.offset_minutes.unsigned_abs())
        } else {
            ('+', self.offset_minutes.unsigned_abs())
        };
        let mut dow_s = dow.to_owned();
        dow_s[..1].make_ascii_uppercase();
        let mut mon = MONTHS[usize::from(self.month - 1)].to_owned();
        mon[..1].make_ascii_uppercase();
        format!(
            "{dow_s}, {} {mon} {:04} {:02}:{:02}:{:02} {sign}{:02}{:02}",
            self.day,
            self.year,
            self.hour,
            self.minute,
            self.second,
            off / 60,
            off % 60
        )
    }
}

fn strip_comments(input: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if memchr::memchr(b'(', input).is_none() {
        return std::borrow::Cow::Borrowed(input);
    }
    let mut out = Vec::with_capacity(input.len());
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(&c) = input.get(i) {
        match c {
            b'(' => depth += 1,
            b')' if depth > 0 => depth -= 1,
            b'\\' if depth > 0 => i += 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
        i += 1;
    }
    std::borrow::Cow::Owned(out)
}

fn number(tok: &[u8]) -> Option<u32> {
    if tok.is_empty() || tok.len() > 4 || !tok.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(tok.iter().fold(0, |n, &d| n * 10 + u32::from(d - b'0')))
}

fn month(tok: &[u8]) -> Option<u8> {
    if tok.len() < 3 {
        return None;
    }
    // Compared in place, ignoring case: no lowered copy to allocate.
    let t = tok.get(..3)?;
    MONTHS
        .iter()
        .position(|m| m.as_bytes().eq_ignore_ascii_case(t))
        .map(|p| p as u8 + 1)
}

fn is_day_name(tok: &[u8]) -> bool {
    tok.len() >= 3
        && tok.iter().all(u8::is_ascii_alphabetic)
        && DAYS
            .iter()
            .any(|d| tok[..3].eq_ignore_ascii_case(d.as_bytes()))
}

/// `hh:mm[:ss]`
fn time(tok: &[u8]) -> Option<(u8, u8, Option<u8>)> {
    let mut it = tok.split(|&c| c == b':');
    let h = number(it.next()?)?;
    let m = number(it.next()?)?;
    let s = match it.next() {
        Some(s) => Some(number(s)?),
        None => None,
    };
    if it.next().is_some() || h > 23 || m > 59 || s.is_some_and(|s| s > 60) {
        return None;
    }
    Some((h as u8, m as u8, s.map(|s| s as u8)))
}

/// (offset minutes, known, obsolete)
fn zone(tok: &[u8]) -> Option<(i16, bool, bool)> {
    if let (Some(&sign @ (b'+' | b'-')), Some(digits)) = (tok.first(), tok.get(1..)) {
        let n = number(digits)?;
        if digits.len() != 4 || n % 100 > 59 {
            return None;
        }
        let minutes = (n / 100 * 60 + n % 100) as i16;
        if sign == b'-' {
            return Some((-minutes, minutes != 0, false));
        }
        return Some((minutes, true, false));
    }
    // The named zones are 1 to 3 letters: upper-cased into a small array, not a new vector.
    let mut up = [0u8; 3];
    let up = match up.get_mut(..tok.len()) {
        Some(dst) => {
            for (d, c) in dst.iter_mut().zip(tok) {
                *d = c.to_ascii_uppercase();
            }
            &*dst
        }
        None => return None,
    };
    let hours: i16 = match up {
        b"UT" | b"GMT" | b"UTC" | b"Z" => 0,
        b"EDT" | b"AST" => -4,
        b"EST" | b"CDT" => -5,
        b"CST" | b"MDT" => -6,
        b"MST" | b"PDT" => -7,
        b"PST" => -8,
        b"ADT" => -3,
        // Military zones: RFC 5322 4.3 says to treat them as -0000.
        [c] if c.is_ascii_alphabetic() => return Some((0, false, true)),
        _ => return None,
    };
    Some((hours * 60, true, true))
}

/// Parses an RFC 5322 `date-time`, accepting the obsolete forms of section 4.3 and the asctime
/// order (`Thu Nov 26 19:14:10 2026`) that some software writes. `None` when no date can be
/// read.
///
/// ```
/// use mail_message::date::parse_date;
/// let d = parse_date(b"Fri, 21 Nov 1997 09:55:06 -0600").unwrap();
/// assert!(!d.obsolete);
/// assert_eq!(d.date.to_rfc3339(), "1997-11-21T09:55:06-06:00");
/// let d = parse_date(b"21 Nov 97 09:55 EST").unwrap();
/// assert!(d.obsolete);
/// assert_eq!(d.date.to_rfc3339(), "1997-11-21T09:55:00-05:00");
/// ```
///
/// A field's raw value can be given as it is: the white space after the colon is skipped and
/// CR and LF read as folding white space, as in the unfolded value.
pub fn parse_date(input: &[u8]) -> Option<ParsedDate> {
    let start = input
        .iter()
        .position(|&c| !is_wsp(c))
        .unwrap_or(input.len());
    parse_date_common(input.get(start..).unwrap_or_default()).or_else(|| parse_date_folded(input))
}

/// The general parser on `input`, unfolded first when a line break in it is no fold.
#[cold]
fn parse_date_folded(input: &[u8]) -> Option<ParsedDate> {
    if crate::lexer::has_bare_break(input) {
        parse_date_general(&crate::header::unfold(input))
    } else {
        parse_date_general(input)
    }
}

/// Three ASCII letters, lower case; `None` if any is not a letter. (An ASCII letter with its
/// case bit set is its lower case; a byte that is no letter is not a lower-case letter with
/// it set either. No `array::map`, which is not always inlined.)
#[inline]
fn lower3(a: u8, b: u8, c: u8) -> Option<[u8; 3]> {
    let l = [a | 0x20, b | 0x20, c | 0x20];
    (l[0].is_ascii_lowercase() && l[1].is_ascii_lowercase() && l[2].is_ascii_lowercase())
        .then_some(l)
}

/// `n` ASCII digits at the start of `s`, as a number, and the rest.
fn digits(s: &[u8], n: usize) -> Option<(u32, &[u8])> {
    let (d, rest) = s.split_at_checked(n)?;
    let mut v = 0;
    for &c in d {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
    }
    Some((v, rest))
}

/// The common shape, `[Day, ]D Mon YYYY HH:MM[:SS] ZONE` with single spaces (a 2- or 3-digit
/// year, a named zone and a trailing comment too), read in one pass; `None` for anything else,
/// and for a date it cannot accept, which [`parse_date_general`] then reads. Gives what that
/// general parser gives (the tests hold the two equal).
pub(crate) fn parse_date_common(input: &[u8]) -> Option<ParsedDate> {
    let mut s = input;
    if let [a, b, c, b',', b' ', rest @ ..] = s {
        if !matches!(
            &lower3(*a, *b, *c)?,
            b"mon" | b"tue" | b"wed" | b"thu" | b"fri" | b"sat" | b"sun"
        ) {
            return None;
        }
        s = rest;
    }
    // day: one or two digits
    let (day, rest) = match s {
        [d, b' ', ..] => (digits(&[*d], 1)?.0, s.get(2..)?),
        [_, _, b' ', ..] => (digits(s, 2)?.0, s.get(3..)?),
        _ => return None,
    };
    let [m1, m2, m3, b' ', rest @ ..] = rest else {
        return None;
    };
    let mon = match &lower3(*m1, *m2, *m3)? {
        b"jan" => 1,
        b"feb" => 2,
        b"mar" => 3,
        b"apr" => 4,
        b"may" => 5,
        b"jun" => 6,
        b"jul" => 7,
        b"aug" => 8,
        b"sep" => 9,
        b"oct" => 10,
        b"nov" => 11,
        b"dec" => 12,
        _ => return None,
    };
    let ylen = rest.iter().position(|&c| c == b' ')?;
    if !(2..=4).contains(&ylen) {
        return None;
    }
    let (year_n, rest) = digits(rest, ylen)?;
    let mut obsolete = ylen != 4;
    let year = match ylen {
        2 if year_n < 50 => year_n + 2000,
        2 | 3 => year_n + 1900,
        _ => year_n,
    };
    let (hour, rest) = digits(rest.strip_prefix(b" ")?, 2)?;
    let (minute, rest) = digits(rest.strip_prefix(b":")?, 2)?;
    let (second, rest) = match rest.strip_prefix(b":") {
        Some(r) => digits(r, 2)?,
        None => {
            obsolete = true;
            (0, rest)
        }
    };
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let rest = rest.strip_prefix(b" ")?;
    let zlen = rest.iter().position(|&c| c == b' ').unwrap_or(rest.len());
    let (ztok, tail) = rest.split_at(zlen);
    if !ztok
        .iter()
        .all(|&c| c.is_ascii_alphanumeric() || c == b'+' || c == b'-')
    {
        return None;
    }
    let (offset_minutes, offset_known, zone_obsolete) = match ztok {
        // `+hhmm` / `-hhmm` read here; the named zones by zone()
        [sign @ (b'+' | b'-'), z @ ..] => {
            let (n, _) = digits(z, 4).filter(|(_, r)| r.is_empty())?;
            if n % 100 > 59 {
                return None;
            }
            let minutes = (n / 100 * 60 + n % 100) as i16;
            if *sign == b'-' {
                (-minutes, minutes != 0, false)
            } else {
                (minutes, true, false)
            }
        }
        _ => zone(ztok)?,
    };
    // After the zone: nothing, or one comment with no nesting or escapes.
    match tail {
        [] => {}
        [b' ', b'(', comment @ .., b')']
            if !comment.iter().any(|&c| matches!(c, b'(' | b')' | b'\\')) => {}
        _ => return None,
    }
    let year = u16::try_from(year).ok()?;
    if day == 0 || day > u32::from(days_in_month(year, mon)) {
        return None;
    }
    Some(ParsedDate {
        date: DateTime {
            year,
            month: mon,
            day: day as u8,
            hour: hour as u8,
            minute: minute as u8,
            second: second as u8,
            offset_minutes,
            offset_known,
        },
        obsolete: obsolete || zone_obsolete,
    })
}

/// [`parse_date`] for every form: comments stripped, the tokens split at white space and
/// commas, the obsolete and asctime orders.
pub(crate) fn parse_date_general(input: &[u8]) -> Option<ParsedDate> {
    let cleaned = strip_comments(input);
    // A date is 5 to 7 tokens: room for 8 up front, so the vector is allocated once and not
    // grown from 4 (collect's first guess for a filtered iterator) to 8.
    let mut toks: Vec<&[u8]> = Vec::with_capacity(8);
    toks.extend(
        cleaned
            .split(|&c| is_wsp(c) || c == b',')
            .filter(|t| !t.is_empty()),
    );
    let mut obsolete = false;
    // "12 : 34 : 56" (obs-time with CFWS around the colons): glue colon pieces.
    let mut i = 0;
    let mut glued: Vec<Vec<u8>> = Vec::new();
    let needs_glue = toks
        .windows(2)
        .any(|w| w[0].ends_with(b":") || w[1].starts_with(b":"));
    while needs_glue && i < toks.len() {
        let mut t = toks[i].to_vec();
        while (t.ends_with(b":") || toks.get(i + 1).is_some_and(|n| n.starts_with(b":")))
            && i + 1 < toks.len()
        {
            i += 1;
            t.extend_from_slice(toks[i]);
            obsolete = true;
        }
        glued.push(t);
        i += 1;
    }
    if needs_glue {
        toks = glued.iter().map(Vec::as_slice).collect();
    }
    let mut k = 0;
    if toks.first().is_some_and(|t| is_day_name(t)) {
        k = 1;
    }
    let rest = toks.get(k..)?;
    let (day, mon, year_tok, time_tok, zone_tok) = match rest {
        [d, m, y, t, z @ ..] if number(d).is_some() && month(m).is_some() => {
            (number(d)?, month(m)?, *y, *t, z.first())
        }
        // asctime: "Nov 26 19:14:10 2026" with an optional zone after the time or the year
        [m, d, t, y, z @ ..] if month(m).is_some() && number(d).is_some() && time(t).is_some() => {
            obsolete = true;
            let (y, z) = if number(y).is_some() {
                (*y, z.first())
            } else {
                (z.first().copied()?, Some(y))
            };
            (number(d)?, month(m)?, y, *t, z)
        }
        _ => return None,
    };
    let zone_tok: Option<&[u8]> = zone_tok.copied();
    // "00:01+0000": a zone glued to the time.
    let (time_tok, zone_tok) = match time_tok.iter().position(|&c| c == b'+' || c == b'-') {
        Some(p) => {
            obsolete = true;
            (&time_tok[..p], Some(&time_tok[p..]))
        }
        _ => (time_tok, zone_tok),
    };
    let year_n = number(year_tok)?;
    let year = match year_tok.len() {
        2 if year_n < 50 => year_n + 2000,
        2 => year_n + 1900,
        3 => year_n + 1900,
        4 => year_n,
        _ => return None,
    };
    if year_tok.len() != 4 {
        obsolete = true;
    }
    let year = u16::try_from(year).ok()?;
    let (hour, minute, second) = time(time_tok)?;
    if second.is_none() {
        obsolete = true;
    }
    let (offset_minutes, offset_known) = match zone_tok {
        Some(z) => {
            let (off, known, obs) = zone(z)?;
            obsolete |= obs;
            (off, known)
        }
        None => {
            obsolete = true;
            (0, false)
        }
    };
    if day == 0 || day > u32::from(days_in_month(year, mon)) {
        return None;
    }
    Some(ParsedDate {
        date: DateTime {
            year,
            month: mon,
            day: day as u8,
            hour,
            minute,
            second: second.unwrap_or(0),
            offset_minutes,
            offset_known,
        },
        obsolete,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `lower3` is the three letters lower-cased, and `None` for any byte that is no letter.
    #[test]
    fn lower3_is_ascii_lowercase_of_letters() {
        for x in 0..=255u8 {
            for (a, b, c) in [(x, b'a', b'Z'), (b'M', x, b'o'), (b'n', b'D', x)] {
                let plain = [a, b, c]
                    .iter()
                    .all(u8::is_ascii_alphabetic)
                    .then(|| [a, b, c].map(|c| c.to_ascii_lowercase()));
                assert_eq!(lower3(a, b, c), plain, "{a} {b} {c}");
            }
        }
    }

    fn p(s: &str) -> Option<(String, bool)> {
        parse_date(s.as_bytes()).map(|d| (d.date.to_rfc3339(), d.obsolete))
    }

    #[test]
    fn table() {
        let table: &[(&str, Option<(&str, bool)>)] = &[
            // RFC 5322 Appendix A
            ("Fri, 21 Nov 1997 09:55:06 -0600", Some(("1997-11-21T09:55:06-06:00", false))),
            ("Tue, 1 Jul 2003 10:52:37 +0200", Some(("2003-07-01T10:52:37+02:00", false))),
            ("Thu,\r\n      13\r\n        Feb\r\n          1969\r\n      23:32\r\n               -0330 (Newfoundland Time)",
                Some(("1969-02-13T23:32:00-03:30", true))),
            ("21 Nov 97 09:55:06 GMT", Some(("1997-11-21T09:55:06+00:00", true))),
            ("Fri, 21 Nov 1997 09:55:06 -0000", Some(("1997-11-21T09:55:06-00:00", false))),
            ("Fri, 21 Nov 1997 09:55:06 +0000", Some(("1997-11-21T09:55:06+00:00", false))),
            // 3-digit year, named zones, military zone, no zone
            ("1 Jan 103 00:00:00 PDT", Some(("2003-01-01T00:00:00-07:00", true))),
            ("1 Jan 49 00:00:00 EST", Some(("2049-01-01T00:00:00-05:00", true))),
            ("1 Jan 50 00:00:00 CST", Some(("1950-01-01T00:00:00-06:00", true))),
            ("1 Jan 2000 00:00:00 A", Some(("2000-01-01T00:00:00-00:00", true))),
            ("1 Jan 2000 00:00:00", Some(("2000-01-01T00:00:00-00:00", true))),
            ("Mon, 1 January 2000 12 : 30 : 15 +0100", Some(("2000-01-01T12:30:15+01:00", true))),
            // asctime
            ("Thu Nov 26 19:14:10 2026", Some(("2026-11-26T19:14:10-00:00", true))),
            ("Thu Nov 26 19:14:10 UTC 2026", Some(("2026-11-26T19:14:10+00:00", true))),
            ("01 Jan 2001 00:01+0000", Some(("2001-01-01T00:01:00+00:00", true))),
            ("Wed, 20 Sep 1995 00:19:00 (EDT) -0400", Some(("1995-09-20T00:19:00-04:00", false))),
            // invalid
            ("30 Feb 2000 00:00:00 +0000", None),
            ("29 Feb 2000 00:00:00 +0000", Some(("2000-02-29T00:00:00+00:00", false))),
            ("29 Feb 1900 00:00:00 +0000", None),
            ("1 Foo 2000 00:00:00 +0000", None),
            ("1 Jan 2000 24:00:00 +0000", None),
            ("1 Jan 2000 00:00:00 +0060", None),
            ("", None),
            ("garbage", None),
            // month and zone names in any case, compared in place; a longer name is no zone
            ("1 jAN 2000 00:00:00 gmt", Some(("2000-01-01T00:00:00+00:00", true))),
            ("1 DEC 2000 00:00:00 pdt", Some(("2000-12-01T00:00:00-07:00", true))),
            ("1 Jan 2000 00:00:00 z", Some(("2000-01-01T00:00:00+00:00", true))),
            ("1 Jan 2000 00:00:00 GMTX", None),
            ("1 Jan 2000 00:00:00 Ut", Some(("2000-01-01T00:00:00+00:00", true))),
        ];
        for (input, want) in table {
            assert_eq!(p(input), want.map(|(s, o)| (s.to_owned(), o)), "{input}");
        }
    }

    /// The one-pass reader, where it answers, answers as the general parser; true if it did.
    fn common_equals_general(input: &[u8]) -> bool {
        match parse_date_common(input) {
            Some(d) => {
                assert_eq!(
                    Some(d),
                    parse_date_general(input),
                    "{:?}",
                    String::from_utf8_lossy(input)
                );
                true
            }
            None => false,
        }
    }

    /// Dates built from valid and invalid pieces of each part (day names, days, months, years
    /// of 2 to 5 digits, times with and without seconds or out of range, numeric, named,
    /// military and unknown zones, trailing comments and junk, odd spacing): the one-pass
    /// reader agrees with the general parser wherever it answers, and both paths are taken.
    #[test]
    fn common_shape_equals_general_parser_on_generated_dates() {
        let days_of_week = ["", "Fri, ", "fri, ", "Xyz, ", "Fri ", "Friday, "];
        let days = ["1", "01", "21", "31", "0", "32", "123", " 1"];
        let months = ["Jan", "feb", "NOV", "Foo", "January", "Fe"];
        let years = [
            "97", "49", "50", "103", "1997", "2000", "1900", "12345", "7",
        ];
        let times = [
            "09:55:06",
            "09:55",
            "23:59:60",
            "24:00:00",
            "09:60:00",
            "9:55:06",
            "09:55:06:01",
        ];
        let zones = [
            "+0000", "-0000", "-0600", "+0060", "+05", "EDT", "gmt", "Z", "A", "GMTX", "", "+0200x",
        ];
        let tails = [
            "", " (EDT)", " (a (b))", " ", " x", "(c)", " (a\\)", ",", " :1",
        ];
        let (mut fast, mut all) = (0, 0);
        for dow in days_of_week {
            for day in days {
                for mon in months {
                    for year in years {
                        for time in times {
                            for zone in zones {
                                for tail in tails {
                                    // A sparse walk: every part value appears, not every mix.
                                    all += 1;
                                    if all % 7 != 0
                                        && !(dow == "Fri, " && day == "21" && mon == "NOV")
                                    {
                                        continue;
                                    }
                                    let input =
                                        format!("{dow}{day} {mon} {year} {time} {zone}{tail}");
                                    if common_equals_general(input.as_bytes()) {
                                        fast += 1;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        assert!(fast > 1000, "{fast}");
        // What it reads and what it leaves.
        assert!(common_equals_general(b"Thu, 19 Sep 91 12:41:43 EDT"));
        assert!(common_equals_general(
            b"Fri, 21 Nov 1997 09:55:06 -0600 (CST)"
        ));
        for rare in [
            &b"Thu,\r\n 13\r\n Feb\r\n 1969\r\n 23:32\r\n -0330 (Newfoundland Time)"[..],
            b"Mon, 1 January 2000 12 : 30 : 15 +0100",
            b"Thu Nov 26 19:14:10 2026",
            b"01 Jan 2001 00:01+0000",
            b"30 Feb 2000 00:00:00 +0000",
        ] {
            assert!(!common_equals_general(rare), "{rare:?}");
        }
    }

    proptest::proptest! {
        /// Random strings of date pieces: the one-pass reader, where it answers, answers as the
        /// general parser.
        #[test]
        fn common_shape_equals_general_parser_on_any_pieces(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "Fri", ",", " ", "  ", "1", "21", "0", "Nov", "nov", "97", "1997", "09", ":",
                    "55", "60", "+", "-", "0600", "EDT", "Z", "(", ")", "\\", "x", "\t",
                ]),
                0..20,
            )
        ) {
            common_equals_general(pieces.concat().as_bytes());
        }
    }

    #[test]
    fn timestamps_and_rfc5322() {
        let d = parse_date(b"Fri, 21 Nov 1997 09:55:06 -0600").unwrap().date;
        assert_eq!(d.timestamp(), 880_127_706);
        assert_eq!(d.to_rfc5322(), "Fri, 21 Nov 1997 09:55:06 -0600");
        let d = parse_date(b"Thu, 1 Jan 1970 00:00:00 +0000").unwrap().date;
        assert_eq!(d.timestamp(), 0);
    }
}

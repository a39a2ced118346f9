//! Calendar arithmetic shared by the date parsers of the workspace (RFC 5322 dates in
//! mail-message, RFC 3339 times in SMTP's FUTURERELEASE and RRVS parameters).

/// Days from 1970-01-01 to the proleptic Gregorian date `year-month-day` (negative before it),
/// by Howard Hinnant's "days from civil" algorithm. `month` is 1–12 and `day` 1–31; callers
/// check the ranges (the arithmetic itself does not overflow for any `i64` year within
/// ±10^15).
///
/// ```
/// use mail_wire::civil::days_from_civil;
/// assert_eq!(days_from_civil(1970, 1, 1), 0);
/// assert_eq!(days_from_civil(2000, 3, 1), 11_017);
/// assert_eq!(days_from_civil(1969, 12, 31), -1);
/// ```
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::days_from_civil;

    /// Every day from 1600 to 2400 is one more than the day before, and each year has the
    /// Gregorian number of days.
    #[test]
    fn consecutive_days() {
        let mut expected = days_from_civil(1600, 1, 1);
        for year in 1600..2400 {
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            for month in 1..=12 {
                let len = match month {
                    1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
                    4 | 6 | 9 | 11 => 30,
                    _ if leap => 29,
                    _ => 28,
                };
                for day in 1..=len {
                    assert_eq!(
                        days_from_civil(year, month, day),
                        expected,
                        "{year}-{month}-{day}"
                    );
                    expected += 1;
                }
            }
        }
    }

    #[test]
    fn known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        // 2000-02-29, and 2038-01-19 03:14:07, the last second of a 32-bit time_t (2^31 - 1).
        assert_eq!(days_from_civil(2000, 2, 29) * 86_400, 951_782_400);
        assert_eq!(
            days_from_civil(2038, 1, 19) * 86_400 + 3 * 3600 + 14 * 60 + 7,
            (1 << 31) - 1
        );
        assert_eq!(days_from_civil(1900, 1, 1), -25_567);
    }
}

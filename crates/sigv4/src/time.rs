//! A small UTC date-time, the only notion of time the signer knows.
//!
//! SigV4 writes time as ISO 8601 *basic* format (`20130524T000000Z`, the `X-Amz-Date` form) and
//! scopes keys to the `YYYYMMDD` date; S3's error bodies print the *extended* form
//! (`2023-12-19T05:07:47Z`). Time is always an input here: nothing reads a clock, so the same code
//! runs in tests, natively and in the browser. Follows
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-signing-elements.html>.

use std::fmt;

/// An instant in UTC with millisecond precision (milliseconds since 1970-01-01T00:00:00Z).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AmzDateTime {
    unix_millis: i64,
}

/// Why a date-time text was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateTimeParseError {
    /// The text that was given.
    pub input: String,
}

impl fmt::Display for DateTimeParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a UTC date-time like `20240229T235959Z` or `2024-02-29T23:59:59Z`",
            self.input
        )
    }
}

impl std::error::Error for DateTimeParseError {}

/// Broken-down civil fields of an instant (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

// The inverse of `days_from_civil`.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    // INVARIANT: day is 1..=31 and month 1..=12 by construction, so the casts cannot truncate.
    (year, month as u32, day as u32)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

fn digits(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

impl AmzDateTime {
    /// The instant `unix_seconds` seconds after the Unix epoch.
    pub fn from_unix_seconds(unix_seconds: i64) -> Self {
        Self {
            unix_millis: unix_seconds.saturating_mul(1000),
        }
    }

    /// The instant `unix_millis` milliseconds after the Unix epoch.
    pub fn from_unix_millis(unix_millis: i64) -> Self {
        Self { unix_millis }
    }

    /// Whole seconds since the Unix epoch (rounded down).
    pub fn unix_seconds(self) -> i64 {
        self.unix_millis.div_euclid(1000)
    }

    /// Milliseconds since the Unix epoch.
    pub fn unix_millis(self) -> i64 {
        self.unix_millis
    }

    /// This instant moved by `seconds` (negative moves back).
    pub fn plus_seconds(self, seconds: i64) -> Self {
        Self {
            unix_millis: self
                .unix_millis
                .saturating_add(seconds.saturating_mul(1000)),
        }
    }

    /// Builds an instant from civil UTC fields; `None` when a field is out of range.
    pub fn from_civil(
        year: i64,
        month: u32,
        day: u32,
        hour: u32,
        minute: u32,
        second: u32,
    ) -> Option<Self> {
        if !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 59
        {
            return None;
        }
        let days = days_from_civil(year, month, day);
        let secs =
            days * 86_400 + i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second);
        Some(Self::from_unix_seconds(secs))
    }

    /// Parses the ISO 8601 basic form SigV4 uses: `YYYYMMDD'T'HHMMSS'Z'` (exactly 16 characters).
    pub fn parse_basic(text: &str) -> Result<Self, DateTimeParseError> {
        let err = || DateTimeParseError {
            input: text.to_owned(),
        };
        let b = text.as_bytes();
        if b.len() != 16 || b.get(8) != Some(&b'T') || b.get(15) != Some(&b'Z') {
            return Err(err());
        }
        let field = |range: std::ops::Range<usize>| text.get(range).and_then(digits);
        let (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(s)) = (
            field(0..4),
            field(4..6),
            field(6..8),
            field(9..11),
            field(11..13),
            field(13..15),
        ) else {
            return Err(err());
        };
        Self::from_civil(i64::from(y), mo, d, h, mi, s).ok_or_else(err)
    }

    /// Parses the ISO 8601 extended form `YYYY-MM-DDTHH:MM:SSZ` (as S3 error bodies print it).
    pub fn parse_extended(text: &str) -> Result<Self, DateTimeParseError> {
        let err = || DateTimeParseError {
            input: text.to_owned(),
        };
        let b = text.as_bytes();
        let shape_ok = b.len() == 20
            && b.get(4) == Some(&b'-')
            && b.get(7) == Some(&b'-')
            && b.get(10) == Some(&b'T')
            && b.get(13) == Some(&b':')
            && b.get(16) == Some(&b':')
            && b.get(19) == Some(&b'Z');
        if !shape_ok {
            return Err(err());
        }
        let field = |range: std::ops::Range<usize>| text.get(range).and_then(digits);
        let (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(s)) = (
            field(0..4),
            field(5..7),
            field(8..10),
            field(11..13),
            field(14..16),
            field(17..19),
        ) else {
            return Err(err());
        };
        Self::from_civil(i64::from(y), mo, d, h, mi, s).ok_or_else(err)
    }

    /// Parses either the basic (`20240229T235959Z`) or the extended (`2024-02-29T23:59:59Z`) form.
    pub fn parse(text: &str) -> Result<Self, DateTimeParseError> {
        Self::parse_basic(text).or_else(|_| Self::parse_extended(text))
    }

    fn civil(self) -> Civil {
        let secs = self.unix_seconds();
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        // INVARIANT: rem is 0..86400, so each field fits in u32.
        Civil {
            year,
            month,
            day,
            hour: (rem / 3600) as u32,
            minute: (rem % 3600 / 60) as u32,
            second: (rem % 60) as u32,
        }
    }

    /// The `X-Amz-Date` form: `20130524T000000Z`.
    pub fn to_basic(self) -> String {
        let c = self.civil();
        format!(
            "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
            c.year, c.month, c.day, c.hour, c.minute, c.second
        )
    }

    /// The credential-scope date: `20130524`.
    pub fn date_stamp(self) -> String {
        let c = self.civil();
        format!("{:04}{:02}{:02}", c.year, c.month, c.day)
    }

    /// The extended form S3 prints in error bodies: `2013-05-24T00:00:00Z`.
    pub fn to_extended(self) -> String {
        let c = self.civil();
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            c.year, c.month, c.day, c.hour, c.minute, c.second
        )
    }
}

impl fmt::Display for AmzDateTime {
    /// Prints the `X-Amz-Date` form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_basic())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_and_extended_forms_round_trip() {
        for (basic, extended, unix) in [
            ("19700101T000000Z", "1970-01-01T00:00:00Z", 0),
            ("20130524T000000Z", "2013-05-24T00:00:00Z", 1_369_353_600),
            ("20240229T235959Z", "2024-02-29T23:59:59Z", 1_709_251_199),
            ("20150830T123600Z", "2015-08-30T12:36:00Z", 1_440_938_160),
        ] {
            let t = AmzDateTime::parse_basic(basic).unwrap();
            assert_eq!(t.unix_seconds(), unix, "{basic}");
            assert_eq!(t.to_basic(), basic);
            assert_eq!(t.to_extended(), extended);
            assert_eq!(AmzDateTime::parse_extended(extended).unwrap(), t);
            assert_eq!(AmzDateTime::from_unix_seconds(unix), t);
        }
    }

    #[test]
    fn malformed_dates_are_refused() {
        for bad in [
            "",
            "20130524",
            "20130524T000000",
            "20130524T000000z",
            "2013052AT000000Z",
            "20130229T000000Z",
            "20240230T000000Z",
            "20241301T000000Z",
            "20240101T240000Z",
            "20240101T006000Z",
            "+0130524T000000Z",
            "2013-05-24T00:00:00",
        ] {
            assert!(AmzDateTime::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn leap_day_and_date_stamp() {
        let t = AmzDateTime::parse("2024-02-29T23:59:59Z").unwrap();
        assert_eq!(t.date_stamp(), "20240229");
        assert_eq!(t.plus_seconds(1).to_basic(), "20240301T000000Z");
    }
}

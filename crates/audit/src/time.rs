//! UTC instants and the two text forms the audit records use.
//!
//! Server access logs write the receipt time with `strftime` pattern `[%d/%b/%Y:%H:%M:%S %z]`
//! (`[06/Feb/2019:00:00:38 +0000]`, S3 UG "Amazon S3 server access log format",
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html>); CloudTrail writes
//! `eventTime` in ISO 8601 UTC (`2019-02-06T00:00:38Z`, CloudTrail UG "CloudTrail record
//! contents"). Time is always an input: nothing here reads a clock.

use std::fmt;

/// A UTC instant, whole seconds since 1970-01-01T00:00:00Z (the same shape as the world's clock).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp(pub u64);

/// A calendar breakdown of a [`Timestamp`] in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil {
    /// Year, e.g. 2019.
    pub year: i64,
    /// Month 1..=12.
    pub month: u32,
    /// Day of month 1..=31.
    pub day: u32,
    /// Hour 0..=23.
    pub hour: u32,
    /// Minute 0..=59.
    pub minute: u32,
    /// Second 0..=59.
    pub second: u32,
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl Timestamp {
    /// This instant plus `seconds` (saturating).
    #[must_use]
    pub fn plus(self, seconds: u64) -> Self {
        Timestamp(self.0.saturating_add(seconds))
    }

    /// The calendar date and time of this instant in UTC.
    pub fn civil(self) -> Civil {
        let days = i64::try_from(self.0 / 86_400).unwrap_or(i64::MAX);
        let rem = self.0 % 86_400;
        let (year, month, day) = civil_from_days(days);
        // rem < 86_400, so each part fits in u32
        let hour = u32::try_from(rem / 3600).unwrap_or(0);
        let minute = u32::try_from((rem % 3600) / 60).unwrap_or(0);
        let second = u32::try_from(rem % 60).unwrap_or(0);
        Civil {
            year,
            month,
            day,
            hour,
            minute,
            second,
        }
    }

    /// The instant at a calendar date and time in UTC, if it is valid and not before 1970.
    pub fn from_civil(c: Civil) -> Option<Self> {
        if !(1..=12).contains(&c.month)
            || c.day < 1
            || c.day > days_in_month(c.year, c.month)
            || c.hour > 23
            || c.minute > 59
            || c.second > 59
        {
            return None;
        }
        let days = u64::try_from(days_from_civil(c.year, c.month, c.day)).ok()?;
        let secs = u64::from(c.hour) * 3600 + u64::from(c.minute) * 60 + u64::from(c.second);
        days.checked_mul(86_400)?.checked_add(secs).map(Timestamp)
    }

    /// The access-log form, brackets included: `[06/Feb/2019:00:00:38 +0000]`.
    pub fn to_access_log(self) -> String {
        let mut out = String::with_capacity(28);
        self.write_access_log(&mut out);
        out
    }

    /// Appends the access-log form to `out` (no allocation beyond `out`'s growth).
    pub fn write_access_log(self, out: &mut String) {
        let c = self.civil();
        let month = MONTHS
            .get((c.month as usize).saturating_sub(1))
            .copied()
            .unwrap_or("Jan");
        out.push('[');
        push_2(out, c.day);
        out.push('/');
        out.push_str(month);
        out.push('/');
        push_4(out, c.year);
        out.push(':');
        push_2(out, c.hour);
        out.push(':');
        push_2(out, c.minute);
        out.push(':');
        push_2(out, c.second);
        out.push_str(" +0000]");
    }

    /// Reads the access-log form (with or without the brackets). Any `±hhmm` offset is accepted
    /// and converted to UTC; S3 itself always writes `+0000`.
    pub fn parse_access_log(text: &str) -> Option<Self> {
        let t = text.strip_prefix('[').unwrap_or(text);
        let t = t.strip_suffix(']').unwrap_or(t);
        let (stamp, offset) = t.split_once(' ')?;
        let mut parts = stamp.splitn(4, [':', '/']);
        let day: u32 = parse_digits(parts.next()?, 2)?;
        let month_name = parts.next()?;
        let month = MONTHS
            .iter()
            .position(|m| m.eq_ignore_ascii_case(month_name))?
            + 1;
        let year: i64 = i64::from(parse_digits::<u32>(parts.next()?, 4)?);
        let mut hms = parts.next()?.split(':');
        // after the date, `%H:%M:%S` follows a ':'; splitn(4) left the year and time joined
        let hour: u32 = parse_digits(hms.next()?, 2)?;
        let minute: u32 = parse_digits(hms.next()?, 2)?;
        let second: u32 = parse_digits(hms.next()?, 2)?;
        if hms.next().is_some() {
            return None;
        }
        let base = Timestamp::from_civil(Civil {
            year,
            month: u32::try_from(month).ok()?,
            day,
            hour,
            minute,
            second,
        })?;
        let (sign, digits) = match offset.as_bytes().first()? {
            b'+' => (1i64, offset.get(1..)?),
            b'-' => (-1i64, offset.get(1..)?),
            _ => return None,
        };
        let off_h: i64 = i64::from(parse_digits::<u32>(digits.get(..2)?, 2)?);
        let off_m: i64 = i64::from(parse_digits::<u32>(digits.get(2..)?, 2)?);
        // local = utc + offset, so utc = local - offset
        let utc = i64::try_from(base.0).ok()? - sign * (off_h * 3600 + off_m * 60);
        u64::try_from(utc).ok().map(Timestamp)
    }

    /// The ISO 8601 form CloudTrail uses for `eventTime`: `2019-02-06T00:00:38Z`.
    pub fn to_iso8601(self) -> String {
        let c = self.civil();
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            c.year, c.month, c.day, c.hour, c.minute, c.second
        )
    }

    /// Reads `YYYY-MM-DDTHH:MM:SSZ` (fractional seconds dropped) or a bare date `YYYY-MM-DD`
    /// (midnight).
    pub fn parse_iso8601(text: &str) -> Option<Self> {
        let t = text.trim();
        let (date, time) = match t.split_once('T') {
            Some((d, rest)) => (d, Some(rest.strip_suffix('Z').unwrap_or(rest))),
            None => (t, None),
        };
        let mut d = date.split('-');
        let year = i64::from(parse_digits::<u32>(d.next()?, 4)?);
        let month: u32 = parse_digits(d.next()?, 2)?;
        let day: u32 = parse_digits(d.next()?, 2)?;
        if d.next().is_some() {
            return None;
        }
        let (hour, minute, second) = match time {
            None => (0, 0, 0),
            Some(time) => {
                let time = time.split('.').next()?;
                let mut h = time.split(':');
                let hour: u32 = parse_digits(h.next()?, 2)?;
                let minute: u32 = parse_digits(h.next()?, 2)?;
                let second: u32 = parse_digits(h.next()?, 2)?;
                if h.next().is_some() {
                    return None;
                }
                (hour, minute, second)
            }
        };
        Timestamp::from_civil(Civil {
            year,
            month,
            day,
            hour,
            minute,
            second,
        })
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_iso8601())
    }
}

fn push_2(out: &mut String, v: u32) {
    out.push(char::from(b'0' + u8::try_from(v / 10 % 10).unwrap_or(0)));
    out.push(char::from(b'0' + u8::try_from(v % 10).unwrap_or(0)));
}

fn push_4(out: &mut String, year: i64) {
    if (0..10_000).contains(&year) {
        let y = u32::try_from(year).unwrap_or(0);
        push_2(out, y / 100);
        push_2(out, y % 100);
    } else {
        out.push_str(&year.to_string());
    }
}

fn parse_digits<T: std::str::FromStr>(s: &str, width: usize) -> Option<T> {
    if s.len() != width || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

// Howard Hinnant's days_from_civil / civil_from_days (public-domain algorithms).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(month);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = if m <= 2 { y + 1 } else { y };
    (
        year,
        u32::try_from(m).unwrap_or(1),
        u32::try_from(d).unwrap_or(1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_log_time_matches_the_documented_example() {
        let t = Timestamp::parse_access_log("[06/Feb/2019:00:00:38 +0000]").unwrap();
        assert_eq!(t, Timestamp(1_549_411_238));
        assert_eq!(t.to_access_log(), "[06/Feb/2019:00:00:38 +0000]");
        assert_eq!(t.to_iso8601(), "2019-02-06T00:00:38Z");
    }

    #[test]
    fn offsets_are_converted_to_utc() {
        let t = Timestamp::parse_access_log("[06/Feb/2019:02:00:38 +0200]").unwrap();
        assert_eq!(t.to_access_log(), "[06/Feb/2019:00:00:38 +0000]");
    }

    #[test]
    fn bad_times_are_rejected() {
        for bad in [
            "[31/Feb/2019:00:00:38 +0000]",
            "[06/Fab/2019:00:00:38 +0000]",
            "[06/Feb/2019:24:00:38 +0000]",
            "[06/Feb/2019 00:00:38 +0000]",
            "06/Feb/2019:00:00:38",
        ] {
            assert!(Timestamp::parse_access_log(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn iso_round_trip_and_leap_day() {
        let t = Timestamp::parse_iso8601("2024-02-29T23:59:59Z").unwrap();
        assert_eq!(t.to_iso8601(), "2024-02-29T23:59:59Z");
        assert_eq!(Timestamp::parse_iso8601("2024-03-01").unwrap(), t.plus(1));
        assert!(Timestamp::parse_iso8601("2023-02-29").is_none());
    }
}

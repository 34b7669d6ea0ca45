//! `s3pg-time`: UTC instants and the text forms S3 and IAM write them in — the one place in the
//! workspace that knows the calendar.
//!
//! The calendar itself (month lengths, leap years, weekdays, day numbers) is the `time` crate's;
//! this crate adds the formats AWS uses, each parsed strictly and written exactly:
//!
//! | form | example | where AWS uses it |
//! |---|---|---|
//! | RFC 3339 | `2026-01-01T00:00:00Z` | `aws:CurrentTime`, CloudTrail `eventTime`, scenario times |
//! | ISO 8601 basic | `20130524T000000Z` | SigV4 `X-Amz-Date` (IAM UG "Elements of an AWS API request signature") |
//! | access-log time | `[06/Feb/2019:00:00:38 +0000]` | S3 server access logs (S3 UG "Amazon S3 server access log format") |
//! | HTTP date | `Wed, 21 Oct 2015 07:28:00 GMT` | `Last-Modified`, `Date`, `Expires` (RFC 9110 §5.6.7) |
//! | epoch seconds | `1767225600` | `aws:EpochTime`, IAM `Date` operators |
//!
//! A date that is not on the calendar (`2026-02-30`) is refused with a [`TimeError`] that says
//! why, never rolled into the next month. Time is always an input: nothing here reads a clock or
//! a time-zone database, so the crate builds for wasm32 and every run is reproducible. The world's
//! clock has no leap seconds (it counts POSIX seconds), so `:60` is refused.

mod error;
mod iam;

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::{Date, Month};

pub use error::{Problem, TimeError};
pub use iam::parse_iam_date;

/// Seconds in a day (no leap seconds).
pub const SECONDS_PER_DAY: u64 = 86_400;

/// The Julian day number of 1970-01-01.
const UNIX_EPOCH_JULIAN_DAY: i64 = 2_440_588;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// A calendar date and time of day in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
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

fn month_of(n: u32) -> Option<Month> {
    Month::try_from(u8::try_from(n).ok()?).ok()
}

/// How many days `month` (1..=12) of `year` has; 0 for a month that does not exist.
pub fn days_in_month(year: i64, month: u32) -> u32 {
    match (i32::try_from(year), month_of(month)) {
        (Ok(y), Some(m)) => u32::from(m.length(y)),
        _ => 0,
    }
}

/// The English name of month `n` (1..=12), for messages.
pub fn month_name(n: u32) -> &'static str {
    usize::try_from(n)
        .ok()
        .and_then(|n| n.checked_sub(1))
        .and_then(|i| MONTH_NAMES.get(i))
        .copied()
        .unwrap_or("month")
}

impl Civil {
    /// The date at midnight.
    pub fn date(year: i64, month: u32, day: u32) -> Self {
        Civil {
            year,
            month,
            day,
            hour: 0,
            minute: 0,
            second: 0,
        }
    }

    /// The calendar breakdown of `secs` seconds since the Unix epoch (negative: before 1970).
    /// Instants beyond the calendar's range (years −9999..=9999) are clamped to its ends.
    pub fn from_unix_seconds(secs: i64) -> Self {
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let julian = days.saturating_add(UNIX_EPOCH_JULIAN_DAY);
        let (date, rem) = match i32::try_from(julian).ok().map(Date::from_julian_day) {
            Some(Ok(d)) => (d, rem),
            _ if secs < 0 => (Date::MIN, 0),
            _ => (Date::MAX, 86_399),
        };
        let (year, month, day) = date.to_calendar_date();
        // INVARIANT: 0 <= rem < 86_400, so each part fits in u32.
        let part = |v: i64| u32::try_from(v).unwrap_or(0);
        Civil {
            year: i64::from(year),
            month: u32::from(u8::from(month)),
            day: u32::from(day),
            hour: part(rem / 3600),
            minute: part(rem % 3600 / 60),
            second: part(rem % 60),
        }
    }

    /// Checks the fields against the calendar: the month exists, the day is in that month of that
    /// year, and the time of day is on the clock.
    pub fn validate(&self) -> Result<Date, Problem> {
        let Some(month) = month_of(self.month) else {
            return Err(Problem::OutOfRange {
                field: "month",
                value: self.month,
                min: 1,
                max: 12,
            });
        };
        let year = i32::try_from(self.year).map_err(|_| Problem::YearOutOfRange)?;
        let days = days_in_month(self.year, self.month);
        if self.day == 0 || self.day > days {
            return Err(Problem::NoSuchDay {
                year: self.year,
                month: self.month,
                day: self.day,
                days,
            });
        }
        for (field, value, max) in [
            ("hour", self.hour, 23),
            ("minute", self.minute, 59),
            ("second", self.second, 59),
        ] {
            if value > max {
                return Err(Problem::OutOfRange {
                    field,
                    value,
                    min: 0,
                    max,
                });
            }
        }
        let day = u8::try_from(self.day).map_err(|_| Problem::YearOutOfRange)?;
        Date::from_calendar_date(year, month, day).map_err(|_| Problem::YearOutOfRange)
    }

    /// Seconds since the Unix epoch, after [`Civil::validate`].
    pub fn to_unix_seconds(&self) -> Result<i64, Problem> {
        let date = self.validate()?;
        let days = i64::from(date.to_julian_day()) - UNIX_EPOCH_JULIAN_DAY;
        Ok(days * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second))
    }

    /// The three-letter English weekday (`Mon`), for HTTP dates.
    pub fn weekday(&self) -> &'static str {
        let idx = self
            .validate()
            .map(|d| usize::from(d.weekday().number_days_from_monday()))
            .unwrap_or(0);
        WEEKDAYS.get(idx).copied().unwrap_or("Mon")
    }

    /// The three-letter English month (`Feb`), as access logs and HTTP dates write it.
    pub fn month_abbreviation(&self) -> &'static str {
        usize::try_from(self.month)
            .ok()
            .and_then(|m| m.checked_sub(1))
            .and_then(|i| MONTHS.get(i))
            .copied()
            .unwrap_or("Jan")
    }

    /// Reads RFC 3339 in UTC: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+00:00)`; the fraction is
    /// dropped. Any other offset is refused (the playground's clock is UTC).
    pub fn parse_rfc3339(text: &str) -> Result<Civil, TimeError> {
        let t = text.trim();
        let err = |p| TimeError::new(text, p);
        let shape = || {
            err(Problem::Shape {
                expected: "an RFC 3339 UTC time such as `2026-01-01T00:00:00Z`",
            })
        };
        let (date, rest) = split_date(t).ok_or_else(shape)?;
        let rest = rest.strip_prefix(['T', 't']).ok_or_else(shape)?;
        let (hms, rest) = split_hms(rest).ok_or_else(shape)?;
        let rest = skip_fraction(rest).ok_or_else(shape)?;
        match rest {
            "Z" | "z" | "+00:00" | "-00:00" => {}
            r if r.starts_with(['+', '-']) => return Err(err(Problem::NotUtc)),
            _ => return Err(shape()),
        }
        let c = Civil {
            year: date.0,
            month: date.1,
            day: date.2,
            hour: hms.0,
            minute: hms.1,
            second: hms.2,
        };
        c.validate().map_err(err)?;
        Ok(c)
    }

    /// Reads the ISO 8601 basic form SigV4 uses: `YYYYMMDD'T'HHMMSS'Z'` (exactly 16 characters).
    pub fn parse_basic(text: &str) -> Result<Civil, TimeError> {
        let err = |p| TimeError::new(text, p);
        let shape = || {
            err(Problem::Shape {
                expected: "an ISO 8601 basic UTC time such as `20130524T000000Z`",
            })
        };
        let b = text.as_bytes();
        if b.len() != 16 || b.get(8) != Some(&b'T') || b.get(15) != Some(&b'Z') {
            return Err(shape());
        }
        let field = |from: usize, len: usize| digits(text, from, len);
        let (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(s)) = (
            field(0, 4),
            field(4, 2),
            field(6, 2),
            field(9, 2),
            field(11, 2),
            field(13, 2),
        ) else {
            return Err(shape());
        };
        let c = Civil {
            year: i64::from(y),
            month: mo,
            day: d,
            hour: h,
            minute: mi,
            second: s,
        };
        c.validate().map_err(err)?;
        Ok(c)
    }
}

/// `YYYY-MM-DD` at the start of `t`: the fields and the rest of the text.
fn split_date(t: &str) -> Option<((i64, u32, u32), &str)> {
    let b = t.as_bytes();
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let y = digits(t, 0, 4)?;
    let m = digits(t, 5, 2)?;
    let d = digits(t, 8, 2)?;
    Some(((i64::from(y), m, d), t.get(10..)?))
}

/// `HH:MM:SS` at the start of `t`.
fn split_hms(t: &str) -> Option<((u32, u32, u32), &str)> {
    let b = t.as_bytes();
    if b.get(2) != Some(&b':') || b.get(5) != Some(&b':') {
        return None;
    }
    Some((
        (digits(t, 0, 2)?, digits(t, 3, 2)?, digits(t, 6, 2)?),
        t.get(8..)?,
    ))
}

/// Skips `.digits` if present; `None` when the dot has no digit after it.
fn skip_fraction(t: &str) -> Option<&str> {
    match t.strip_prefix('.') {
        None => Some(t),
        Some(rest) => {
            let end = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            (end > 0).then(|| rest.get(end..)).flatten()
        }
    }
}

/// The decimal number in `t[from..from + len]`, digits only.
fn digits(t: &str, from: usize, len: usize) -> Option<u32> {
    let part = t.get(from..from.checked_add(len)?)?;
    if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

/// A UTC instant in whole seconds since 1970-01-01T00:00:00Z: the world's clock. Written and
/// read as RFC 3339 (`2026-01-01T00:00:00Z`). Instants after year 9999 are written as
/// `9999-12-31T23:59:59Z`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp(pub u64);

impl Timestamp {
    /// 1970-01-01T00:00:00Z.
    pub const UNIX_EPOCH: Timestamp = Timestamp(0);

    /// Seconds since the Unix epoch (`aws:EpochTime`).
    pub fn epoch_seconds(self) -> u64 {
        self.0
    }

    /// This instant plus `seconds` (saturating).
    #[must_use]
    pub fn plus(self, seconds: u64) -> Self {
        Timestamp(self.0.saturating_add(seconds))
    }

    /// This instant plus `days` whole days.
    #[must_use]
    pub fn plus_days(self, days: u64) -> Self {
        self.plus(days.saturating_mul(SECONDS_PER_DAY))
    }

    /// Seconds from `earlier` to `self` (0 when `earlier` is later).
    pub fn seconds_since(self, earlier: Timestamp) -> u64 {
        self.0.saturating_sub(earlier.0)
    }

    /// Whole days from `self` to `later` (0 when `later` is earlier): how Glacier counts an
    /// archive's age for `glacier:ArchiveAgeInDays`.
    #[must_use]
    pub fn whole_days_until(self, later: Timestamp) -> u64 {
        later.0.saturating_sub(self.0) / SECONDS_PER_DAY
    }

    /// The calendar date and time of this instant in UTC.
    pub fn civil(self) -> Civil {
        Civil::from_unix_seconds(i64::try_from(self.0).unwrap_or(i64::MAX))
    }

    /// The instant at a calendar date and time in UTC, if it is on the calendar and not before 1970.
    pub fn from_civil(c: Civil) -> Option<Self> {
        Self::try_from_civil(c).ok()
    }

    /// [`Timestamp::from_civil`], saying why not.
    pub fn try_from_civil(c: Civil) -> Result<Self, Problem> {
        let secs = c.to_unix_seconds()?;
        u64::try_from(secs)
            .map(Timestamp)
            .map_err(|_| Problem::BeforeEpoch)
    }

    fn from_parsed(text: &str, c: Result<Civil, TimeError>) -> Result<Self, TimeError> {
        Self::try_from_civil(c?).map_err(|p| TimeError::new(text, p))
    }

    /// Reads RFC 3339 in UTC (`2026-01-01T00:00:00Z`, `…+00:00`, fraction dropped).
    ///
    /// # Errors
    /// A [`TimeError`] naming the input and what is wrong with it: its shape, a day that is not
    /// on the calendar (`2026-02-30`), an offset other than UTC, or a time before 1970.
    pub fn parse(text: &str) -> Result<Self, TimeError> {
        Self::parse_rfc3339(text)
    }

    /// Reads RFC 3339 in UTC; see [`Timestamp::parse`].
    pub fn parse_rfc3339(text: &str) -> Result<Self, TimeError> {
        Self::from_parsed(text, Civil::parse_rfc3339(text))
    }

    /// Reads RFC 3339 in UTC or a bare date `YYYY-MM-DD` (midnight), as CloudTrail queries and
    /// log tools accept.
    pub fn parse_iso8601(text: &str) -> Result<Self, TimeError> {
        let t = text.trim();
        if t.len() == 10 {
            let (date, _) = split_date(t).ok_or_else(|| {
                TimeError::new(
                    text,
                    Problem::Shape {
                        expected: "a date such as `2026-01-01` or a time such as `2026-01-01T00:00:00Z`",
                    },
                )
            })?;
            return Self::try_from_civil(Civil::date(date.0, date.1, date.2))
                .map_err(|p| TimeError::new(text, p));
        }
        Self::parse_rfc3339(text)
    }

    /// Reads the ISO 8601 basic form `20130524T000000Z`.
    pub fn parse_basic(text: &str) -> Result<Self, TimeError> {
        Self::from_parsed(text, Civil::parse_basic(text))
    }

    /// Reads the access-log form `[06/Feb/2019:00:00:38 +0000]` (brackets optional). Any
    /// `±hhmm` offset is accepted and converted to UTC; S3 itself always writes `+0000`.
    pub fn parse_access_log(text: &str) -> Result<Self, TimeError> {
        let err = |p| TimeError::new(text, p);
        let shape = || {
            err(Problem::Shape {
                expected: "an access-log time such as `[06/Feb/2019:00:00:38 +0000]`",
            })
        };
        let t = text.strip_prefix('[').unwrap_or(text);
        let t = t.strip_suffix(']').unwrap_or(t);
        let b = t.as_bytes();
        // dd/Mon/yyyy:HH:MM:SS ±hhmm
        if t.len() != 26
            || b.get(2) != Some(&b'/')
            || b.get(6) != Some(&b'/')
            || b.get(11) != Some(&b':')
            || b.get(20) != Some(&b' ')
        {
            return Err(shape());
        }
        let day = digits(t, 0, 2).ok_or_else(shape)?;
        let month_name = t.get(3..6).ok_or_else(shape)?;
        let month = MONTHS
            .iter()
            .position(|m| m.eq_ignore_ascii_case(month_name))
            .and_then(|i| u32::try_from(i + 1).ok())
            .ok_or_else(shape)?;
        let year = digits(t, 7, 4).ok_or_else(shape)?;
        let (hms, _) = split_hms(t.get(12..20).ok_or_else(shape)?).ok_or_else(shape)?;
        let offset = t.get(21..).ok_or_else(shape)?;
        let sign: i64 = match offset.as_bytes().first() {
            Some(b'+') => 1,
            Some(b'-') => -1,
            _ => return Err(shape()),
        };
        let off_h = digits(offset, 1, 2).ok_or_else(shape)?;
        let off_m = digits(offset, 3, 2).ok_or_else(shape)?;
        let local = Civil {
            year: i64::from(year),
            month,
            day,
            hour: hms.0,
            minute: hms.1,
            second: hms.2,
        }
        .to_unix_seconds()
        .map_err(err)?;
        // local = utc + offset, so utc = local - offset
        let utc = local - sign * (i64::from(off_h) * 3600 + i64::from(off_m) * 60);
        u64::try_from(utc)
            .map(Timestamp)
            .map_err(|_| err(Problem::BeforeEpoch))
    }

    /// Reads an HTTP date (IMF-fixdate, RFC 9110 §5.6.7): `Wed, 21 Oct 2015 07:28:00 GMT`. The
    /// weekday must be the date's.
    pub fn parse_http_date(text: &str) -> Result<Self, TimeError> {
        let err = |p| TimeError::new(text, p);
        let shape = || {
            err(Problem::Shape {
                expected: "an HTTP date such as `Wed, 21 Oct 2015 07:28:00 GMT`",
            })
        };
        let t = text.trim();
        let b = t.as_bytes();
        if t.len() != 29
            || b.get(3) != Some(&b',')
            || b.get(4) != Some(&b' ')
            || b.get(7) != Some(&b' ')
            || b.get(11) != Some(&b' ')
            || b.get(16) != Some(&b' ')
            || t.get(25..) != Some(" GMT")
        {
            return Err(shape());
        }
        let weekday = t.get(..3).ok_or_else(shape)?;
        let day = digits(t, 5, 2).ok_or_else(shape)?;
        let month = t
            .get(8..11)
            .and_then(|m| MONTHS.iter().position(|n| *n == m))
            .and_then(|i| u32::try_from(i + 1).ok())
            .ok_or_else(shape)?;
        let year = digits(t, 12, 4).ok_or_else(shape)?;
        let (hms, _) = split_hms(t.get(17..25).ok_or_else(shape)?).ok_or_else(shape)?;
        let c = Civil {
            year: i64::from(year),
            month,
            day,
            hour: hms.0,
            minute: hms.1,
            second: hms.2,
        };
        let ts = Self::try_from_civil(c).map_err(err)?;
        if c.weekday() != weekday {
            return Err(err(Problem::WrongWeekday {
                written: weekday.to_owned(),
                actual: c.weekday(),
            }));
        }
        Ok(ts)
    }

    /// Reads whole epoch seconds (`1767225600`).
    pub fn parse_epoch_seconds(text: &str) -> Result<Self, TimeError> {
        let t = text.trim();
        if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(TimeError::new(
                text,
                Problem::Shape {
                    expected: "whole seconds since 1970-01-01T00:00:00Z such as `1767225600`",
                },
            ));
        }
        t.parse()
            .map(Timestamp)
            .map_err(|_| TimeError::new(text, Problem::YearOutOfRange))
    }

    /// The RFC 3339 form: `2026-01-01T00:00:00Z` (also what `Display` writes).
    pub fn to_rfc3339(self) -> String {
        self.to_string()
    }

    /// The ISO 8601 form CloudTrail uses for `eventTime`; the same text as [`Self::to_rfc3339`].
    pub fn to_iso8601(self) -> String {
        self.to_string()
    }

    /// Glacier's date form, with milliseconds: `2026-01-01T00:00:00.000Z`
    /// (<https://docs.aws.amazon.com/amazonglacier/latest/dev/api-vault-get.html>).
    pub fn to_glacier(self) -> String {
        let c = self.civil();
        let mut out = String::with_capacity(24);
        write_extended(&mut out, &c);
        out.push_str(".000Z");
        out
    }

    /// The `X-Amz-Date` form: `20130524T000000Z`.
    pub fn to_basic(self) -> String {
        let c = self.civil();
        let mut out = String::with_capacity(16);
        push_year(&mut out, c.year);
        push_2(&mut out, c.month);
        push_2(&mut out, c.day);
        out.push('T');
        push_2(&mut out, c.hour);
        push_2(&mut out, c.minute);
        push_2(&mut out, c.second);
        out.push('Z');
        out
    }

    /// The SigV4 credential-scope date: `20130524`.
    pub fn date_stamp(self) -> String {
        let c = self.civil();
        let mut out = String::with_capacity(8);
        push_year(&mut out, c.year);
        push_2(&mut out, c.month);
        push_2(&mut out, c.day);
        out
    }

    /// The access-log form, brackets included: `[06/Feb/2019:00:00:38 +0000]`.
    pub fn to_access_log(self) -> String {
        let mut out = String::with_capacity(28);
        self.write_access_log(&mut out);
        out
    }

    /// Appends the access-log form to `out`.
    pub fn write_access_log(self, out: &mut String) {
        let c = self.civil();
        out.push('[');
        push_2(out, c.day);
        out.push('/');
        out.push_str(c.month_abbreviation());
        out.push('/');
        push_year(out, c.year);
        out.push(':');
        push_2(out, c.hour);
        out.push(':');
        push_2(out, c.minute);
        out.push(':');
        push_2(out, c.second);
        out.push_str(" +0000]");
    }

    /// The HTTP date form (IMF-fixdate): `Wed, 21 Oct 2015 07:28:00 GMT`.
    pub fn to_http_date(self) -> String {
        let c = self.civil();
        let mut out = String::with_capacity(29);
        out.push_str(c.weekday());
        out.push_str(", ");
        push_2(&mut out, c.day);
        out.push(' ');
        out.push_str(c.month_abbreviation());
        out.push(' ');
        push_year(&mut out, c.year);
        out.push(' ');
        push_2(&mut out, c.hour);
        out.push(':');
        push_2(&mut out, c.minute);
        out.push(':');
        push_2(&mut out, c.second);
        out.push_str(" GMT");
        out
    }
}

/// `YYYY-MM-DDTHH:MM:SS` (no zone designator).
fn write_extended(out: &mut String, c: &Civil) {
    push_year(out, c.year);
    out.push('-');
    push_2(out, c.month);
    out.push('-');
    push_2(out, c.day);
    out.push('T');
    push_2(out, c.hour);
    out.push(':');
    push_2(out, c.minute);
    out.push(':');
    push_2(out, c.second);
}

fn push_2(out: &mut String, v: u32) {
    out.push(char::from(b'0' + u8::try_from(v / 10 % 10).unwrap_or(0)));
    out.push(char::from(b'0' + u8::try_from(v % 10).unwrap_or(0)));
}

fn push_year(out: &mut String, year: i64) {
    match u32::try_from(year) {
        Ok(y) if y < 10_000 => {
            push_2(out, y / 100);
            push_2(out, y % 100);
        }
        _ => out.push_str(&year.to_string()),
    }
}

impl fmt::Display for Timestamp {
    /// The RFC 3339 form `2026-01-01T00:00:00Z`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::with_capacity(20);
        write_extended(&mut out, &self.civil());
        out.push('Z');
        f.write_str(&out)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Timestamp::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests;

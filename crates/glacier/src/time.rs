//! Simulated time for the vault service: a UTC instant in whole seconds.
//!
//! Glacier writes dates as ISO 8601 with milliseconds (`2013-03-20T17:03:43.221Z`, see
//! <https://docs.aws.amazon.com/amazonglacier/latest/dev/api-vault-get.html>); IAM's
//! `aws:CurrentTime` uses the same form without the fraction. Time is always an input: nothing
//! here reads a clock, so every run is reproducible and the crate builds for wasm32.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Seconds in a day, the unit of `glacier:ArchiveAgeInDays`.
pub const SECONDS_PER_DAY: u64 = 86_400;

/// A UTC instant, seconds since 1970-01-01T00:00:00Z. Serialises as `2026-01-01T00:00:00Z`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp(pub u64);

impl Timestamp {
    /// This instant plus `seconds`.
    #[must_use]
    pub fn plus(self, seconds: u64) -> Self {
        Timestamp(self.0.saturating_add(seconds))
    }

    /// This instant plus `days` whole days.
    #[must_use]
    pub fn plus_days(self, days: u64) -> Self {
        self.plus(days.saturating_mul(SECONDS_PER_DAY))
    }

    /// Whole days from `self` to `later` (0 when `later` is earlier): how Glacier counts an
    /// archive's age for `glacier:ArchiveAgeInDays`.
    #[must_use]
    pub fn whole_days_until(self, later: Timestamp) -> u64 {
        later.0.saturating_sub(self.0) / SECONDS_PER_DAY
    }

    /// Glacier's date form, with milliseconds: `2026-01-01T00:00:00.000Z`.
    #[must_use]
    pub fn to_glacier(self) -> String {
        let s = self.to_string();
        match s.strip_suffix('Z') {
            Some(head) => format!("{head}.000Z"),
            None => s,
        }
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fff]Z` (the fraction is dropped).
    ///
    /// # Errors
    /// A learner-readable message when the text is not an RFC 3339 UTC time.
    pub fn parse(text: &str) -> Result<Self, String> {
        let bad = || {
            format!(
                "invalid time `{text}`: expected an RFC 3339 UTC time such as `2026-01-01T00:00:00Z`"
            )
        };
        let t = text.trim();
        let t = t
            .strip_suffix('Z')
            .or_else(|| t.strip_suffix("+00:00"))
            .ok_or_else(bad)?;
        let (date, time) = t.split_once('T').ok_or_else(bad)?;
        let nums = |s: &str, sep: char| -> Option<Vec<u64>> {
            s.split(sep).map(|p| p.parse::<u64>().ok()).collect()
        };
        let d = nums(date, '-').ok_or_else(bad)?;
        let time = time.split('.').next().unwrap_or(time);
        let h = nums(time, ':').ok_or_else(bad)?;
        let (&[year, month, day], &[hour, minute, second]) = (d.as_slice(), h.as_slice()) else {
            return Err(bad());
        };
        if !(1..=12).contains(&month)
            || !(1..=31).contains(&day)
            || hour > 23
            || minute > 59
            || second > 60
            || year < 1970
        {
            return Err(bad());
        }
        let days = days_from_civil(year, month, day);
        Ok(Timestamp(
            days * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second,
        ))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = civil_from_days(self.0 / SECONDS_PER_DAY);
        let rem = self.0 % SECONDS_PER_DAY;
        write!(
            f,
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            rem / 3600,
            (rem % 3600) / 60,
            rem % 60
        )
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

// Days since 1970-01-01 of a proleptic Gregorian date (years ≥ 1970 only, so no negatives):
// shift the year to start in March so the leap day is last, then count 400-year eras.
fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y / 400;
    let yoe = y % 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe).saturating_sub(719_468)
}

fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + u64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_known_instants() {
        for (text, secs) in [
            ("1970-01-01T00:00:00Z", 0),
            ("2026-01-01T00:00:00Z", 1_767_225_600),
            ("2000-02-29T12:34:56Z", 951_827_696),
            ("2024-12-31T23:59:59Z", 1_735_689_599),
        ] {
            assert_eq!(Timestamp::parse(text).unwrap(), Timestamp(secs), "{text}");
            assert_eq!(Timestamp(secs).to_string(), text);
        }
    }

    #[test]
    fn glacier_dates_carry_milliseconds() {
        assert_eq!(
            Timestamp(1_767_225_600).to_glacier(),
            "2026-01-01T00:00:00.000Z"
        );
        assert_eq!(
            Timestamp::parse("2013-03-20T17:03:43.221Z")
                .unwrap()
                .to_string(),
            "2013-03-20T17:03:43Z"
        );
    }

    #[test]
    fn archive_age_counts_whole_days() {
        let t = Timestamp(1_000_000);
        assert_eq!(t.whole_days_until(t.plus(SECONDS_PER_DAY - 1)), 0);
        assert_eq!(t.whole_days_until(t.plus_days(365)), 365);
        assert_eq!(t.plus(10).whole_days_until(t), 0);
    }

    #[test]
    fn rejects_garbage() {
        for text in [
            "2026-01-01",
            "2026-13-01T00:00:00Z",
            "yesterday",
            "1969-12-31T00:00:00Z",
        ] {
            assert!(Timestamp::parse(text).is_err(), "{text}");
        }
    }
}

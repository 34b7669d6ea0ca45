//! The simulated clock: a UTC instant in whole seconds, written as RFC 3339 (`2026-01-01T00:00:00Z`).
//!
//! Time is always an input to the world (`World::handle(request, now)`); nothing here reads the
//! system clock, so every run is reproducible and the same code runs on wasm32. The text form is
//! the ISO 8601 form IAM uses for `aws:CurrentTime`
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-currenttime>).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A UTC instant, seconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp(pub u64);

impl Timestamp {
    /// Seconds since the Unix epoch (`aws:EpochTime`).
    pub fn epoch_seconds(self) -> u64 {
        self.0
    }

    /// This instant plus `seconds`.
    #[must_use]
    pub fn plus(self, seconds: u64) -> Self {
        Timestamp(self.0.saturating_add(seconds))
    }

    /// Parses `YYYY-MM-DDTHH:MM:SSZ` (fractional seconds are accepted and dropped).
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
        let mut d = date.split('-');
        let year: i64 = d.next().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
        let month: u32 = d.next().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
        let day: u32 = d.next().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
        if d.next().is_some() || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return Err(bad());
        }
        let time = time.split('.').next().unwrap_or(time);
        let mut h = time.split(':');
        let hour: u64 = h.next().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
        let minute: u64 = h.next().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
        let second: u64 = h.next().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
        if h.next().is_some() || hour > 23 || minute > 59 || second > 60 {
            return Err(bad());
        }
        let days = days_from_civil(year, month, day);
        if days < 0 {
            return Err(bad());
        }
        let days = u64::try_from(days).map_err(|_| bad())?;
        Ok(Timestamp(
            days * 86_400 + hour * 3600 + minute * 60 + second,
        ))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = i64::try_from(self.0 / 86_400).unwrap_or(i64::MAX);
        let rem = self.0 % 86_400;
        let (y, m, d) = civil_from_days(days);
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

// Howard Hinnant's days-from-civil algorithm (proleptic Gregorian calendar).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let m = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    (if m <= 2 { y + 1 } else { y }, m, d)
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
        ] {
            assert_eq!(Timestamp::parse(text).unwrap(), Timestamp(secs), "{text}");
            assert_eq!(Timestamp(secs).to_string(), text);
        }
    }

    #[test]
    fn rejects_non_utc_and_garbage() {
        for text in [
            "2026-01-01",
            "2026-13-01T00:00:00Z",
            "yesterday",
            "2026-01-01T00:00:00+02:00",
        ] {
            assert!(Timestamp::parse(text).is_err(), "{text}");
        }
    }
}

//! A small UTC date-time, the only notion of time the signer knows.
//!
//! SigV4 writes time as ISO 8601 *basic* format (`20130524T000000Z`, the `X-Amz-Date` form) and
//! scopes keys to the `YYYYMMDD` date; S3's error bodies print the *extended* form
//! (`2023-12-19T05:07:47Z`). Time is always an input here: nothing reads a clock, so the same code
//! runs in tests, natively and in the browser. Follows
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-signing-elements.html>.
//! The calendar and both text forms are `s3pg-time`'s, shared by the whole workspace; this type
//! adds milliseconds and instants before 1970, which signing tests use.

use std::fmt;

use s3pg_time::{Civil, Problem};

/// Why a date-time text was refused: the input and what is wrong with it (its shape, or a day
/// that is not on the calendar such as `20240230T000000Z`).
pub type DateTimeParseError = s3pg_time::TimeError;

/// An instant in UTC with millisecond precision (milliseconds since 1970-01-01T00:00:00Z).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AmzDateTime {
    unix_millis: i64,
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

    /// Builds an instant from civil UTC fields; `None` when the date is not on the calendar or a
    /// field is out of range.
    pub fn from_civil(
        year: i64,
        month: u32,
        day: u32,
        hour: u32,
        minute: u32,
        second: u32,
    ) -> Option<Self> {
        let civil = Civil {
            year,
            month,
            day,
            hour,
            minute,
            second,
        };
        civil.to_unix_seconds().ok().map(Self::from_unix_seconds)
    }

    fn from_parsed(
        text: &str,
        civil: Result<Civil, DateTimeParseError>,
    ) -> Result<Self, DateTimeParseError> {
        civil?
            .to_unix_seconds()
            .map(Self::from_unix_seconds)
            .map_err(|p| DateTimeParseError::new(text, p))
    }

    /// Parses the ISO 8601 basic form SigV4 uses: `YYYYMMDD'T'HHMMSS'Z'` (exactly 16 characters).
    pub fn parse_basic(text: &str) -> Result<Self, DateTimeParseError> {
        Self::from_parsed(text, Civil::parse_basic(text))
    }

    /// Parses the ISO 8601 extended form `YYYY-MM-DDTHH:MM:SSZ` (exactly as S3 error bodies print
    /// it: 20 characters, no fraction, `Z`).
    pub fn parse_extended(text: &str) -> Result<Self, DateTimeParseError> {
        let b = text.as_bytes();
        if b.len() != 20 || b.get(10) != Some(&b'T') || b.get(19) != Some(&b'Z') {
            return Err(DateTimeParseError::new(
                text,
                Problem::Shape {
                    expected: "a UTC date-time such as `2024-02-29T23:59:59Z`",
                },
            ));
        }
        Self::from_parsed(text, Civil::parse_rfc3339(text))
    }

    /// Parses either the basic (`20240229T235959Z`) or the extended (`2024-02-29T23:59:59Z`) form.
    pub fn parse(text: &str) -> Result<Self, DateTimeParseError> {
        if text.contains('-') {
            Self::parse_extended(text)
        } else {
            Self::parse_basic(text)
        }
    }

    fn civil(self) -> Civil {
        Civil::from_unix_seconds(self.unix_seconds())
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
        let e = AmzDateTime::parse("20240230T000000Z").unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid time `20240230T000000Z`: February 2024 has 29 days, so there is no day 30"
        );
    }

    #[test]
    fn leap_day_and_date_stamp() {
        let t = AmzDateTime::parse("2024-02-29T23:59:59Z").unwrap();
        assert_eq!(t.date_stamp(), "20240229");
        assert_eq!(t.plus_seconds(1).to_basic(), "20240301T000000Z");
    }
}

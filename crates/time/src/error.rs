//! Why a time text was refused, in words a learner can act on.

use std::fmt;

/// What is wrong with a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The text does not have the expected shape.
    Shape {
        /// The form expected, with an example.
        expected: &'static str,
    },
    /// The day is not in that month of that year (`2026-02-30`).
    NoSuchDay {
        /// Year written.
        year: i64,
        /// Month written (1..=12).
        month: u32,
        /// Day written.
        day: u32,
        /// How many days the month has.
        days: u32,
    },
    /// A field is outside its range (month 13, hour 24, second 60).
    OutOfRange {
        /// `month`, `hour`, `minute` or `second`.
        field: &'static str,
        /// The value written.
        value: u32,
        /// The smallest value allowed.
        min: u32,
        /// The largest value allowed.
        max: u32,
    },
    /// Beyond the calendar's years (−9999..=9999) or too large to count.
    YearOutOfRange,
    /// Before 1970-01-01T00:00:00Z, where the world's clock starts.
    BeforeEpoch,
    /// An offset other than UTC.
    NotUtc,
    /// An HTTP date whose weekday is not the date's.
    WrongWeekday {
        /// The weekday written.
        written: String,
        /// The date's weekday.
        actual: &'static str,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Shape { expected } => write!(f, "expected {expected}"),
            Problem::NoSuchDay {
                year,
                month,
                day,
                days,
            } => write!(
                f,
                "{} {year} has {days} days, so there is no day {day}",
                crate::month_name(*month)
            ),
            Problem::OutOfRange {
                field,
                value,
                min,
                max,
            } => write!(f, "{field} {value} is not between {min} and {max}"),
            Problem::YearOutOfRange => f.write_str("the year is outside 0000–9999"),
            Problem::BeforeEpoch => f.write_str("the time is before 1970-01-01T00:00:00Z"),
            Problem::NotUtc => f.write_str("the time is not in UTC"),
            Problem::WrongWeekday { written, actual } => {
                write!(f, "the date is a {actual}, not a {written}")
            }
        }
    }
}

/// A refused time text: the input and what is wrong with it.
///
/// `Display` writes ``invalid time `2026-02-30T00:00:00Z`: February 2026 has 28 days, so there is
/// no day 30``; [`TimeError::help`] says what to write instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeError {
    /// The text as given.
    pub input: String,
    /// What is wrong with it.
    pub problem: Problem,
}

impl TimeError {
    /// A refusal of `input`.
    pub fn new(input: &str, problem: Problem) -> Self {
        TimeError {
            input: input.to_owned(),
            problem,
        }
    }

    /// What to write instead.
    pub fn help(&self) -> String {
        match &self.problem {
            Problem::Shape { expected } => format!("write {expected}"),
            Problem::NoSuchDay { days, .. } => format!("use a day between 1 and {days}"),
            Problem::OutOfRange {
                field, min, max, ..
            } => {
                format!("use a {field} between {min} and {max}")
            }
            Problem::YearOutOfRange => "use a year between 1970 and 9999".to_owned(),
            Problem::BeforeEpoch => "use a time from 1970-01-01T00:00:00Z on".to_owned(),
            Problem::NotUtc => {
                "write the time in UTC with `Z`, e.g. `2026-01-01T00:00:00Z`".to_owned()
            }
            Problem::WrongWeekday { actual, .. } => format!("write `{actual}`"),
        }
    }
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid time `{}`: {}", self.input, self.problem)
    }
}

impl std::error::Error for TimeError {}

impl From<TimeError> for String {
    fn from(e: TimeError) -> String {
        e.to_string()
    }
}

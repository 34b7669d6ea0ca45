//! Dates as IAM's `Date` condition operators read them.
//!
//! IAM UG `reference_policies_elements_condition_operators.md` ("Date condition operators"):
//! values are ISO 8601 dates and times (`2024-01-01`, `2024-01-01T12:00:00Z`, with an optional
//! fraction and offset) or epoch seconds (`aws:EpochTime`). IAM's own wording is "a variation of
//! ISO 8601"; the playground accepts the forms the page and AWS's examples use.

use crate::{Civil, Problem, TimeError, digits, split_date};

const EXPECTED: &str =
    "an ISO 8601 date or time such as `2026-01-01` or `2026-01-01T00:00:00Z`, or epoch seconds";

/// Reads a date as IAM's `Date` operators do; milliseconds since the Unix epoch.
///
/// # Errors
/// A [`TimeError`] for text of another shape or a day that is not on the calendar (`2026-02-30`).
pub fn parse_iam_date(text: &str) -> Result<i64, TimeError> {
    let t = text.trim();
    let err = |p| TimeError::new(text, p);
    let shape = || err(Problem::Shape { expected: EXPECTED });
    if !t.is_empty()
        && t.bytes()
            .enumerate()
            .all(|(i, b)| b.is_ascii_digit() || (i == 0 && b == b'-' && t.len() > 1))
    {
        return t
            .parse::<i64>()
            .ok()
            .and_then(|s| s.checked_mul(1000))
            .ok_or_else(|| err(Problem::YearOutOfRange));
    }
    let ((year, month, day), rest) = split_date(t).ok_or_else(shape)?;
    let b = rest.as_bytes();
    let mut pos = 0;
    let (mut hour, mut minute, mut second, mut millis) = (0, 0, 0, 0i64);
    if matches!(b.first(), Some(b'T' | b't' | b' ')) {
        hour = digits(rest, 1, 2).ok_or_else(shape)?;
        if b.get(3) != Some(&b':') {
            return Err(shape());
        }
        minute = digits(rest, 4, 2).ok_or_else(shape)?;
        pos = 6;
        if b.get(pos) == Some(&b':') {
            second = digits(rest, pos + 1, 2).ok_or_else(shape)?;
            pos += 3;
            if b.get(pos) == Some(&b'.') {
                pos += 1;
                let start = pos;
                while b.get(pos).is_some_and(u8::is_ascii_digit) {
                    pos += 1;
                }
                let frac = rest.get(start..pos).ok_or_else(shape)?;
                if frac.is_empty() {
                    return Err(shape());
                }
                millis = frac
                    .bytes()
                    .chain(std::iter::repeat(b'0'))
                    .take(3)
                    .fold(0, |acc, d| acc * 10 + i64::from(d - b'0'));
            }
        }
    }
    let offset_minutes: i64 = match b.get(pos) {
        None => 0,
        Some(b'Z' | b'z') if pos + 1 == b.len() => 0,
        Some(&sign @ (b'+' | b'-')) => {
            let h = digits(rest, pos + 1, 2).ok_or_else(shape)?;
            let (m, end) = if b.get(pos + 3) == Some(&b':') {
                (digits(rest, pos + 4, 2).ok_or_else(shape)?, pos + 6)
            } else if b.len() > pos + 3 {
                (digits(rest, pos + 3, 2).ok_or_else(shape)?, pos + 5)
            } else {
                (0, pos + 3)
            };
            if end != b.len() || h > 23 || m > 59 {
                return Err(shape());
            }
            let total = i64::from(h * 60 + m);
            if sign == b'+' { total } else { -total }
        }
        _ => return Err(shape()),
    };
    let local = Civil {
        year,
        month,
        day,
        hour,
        minute,
        second,
    }
    .to_unix_seconds()
    .map_err(err)?;
    Ok((local - offset_minutes * 60) * 1000 + millis)
}

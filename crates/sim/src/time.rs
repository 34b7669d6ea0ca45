//! The simulated clock: a UTC instant in whole seconds, written as RFC 3339 (`2026-01-01T00:00:00Z`).
//!
//! Time is always an input to the world (`World::handle(request, now)`); nothing here reads the
//! system clock, so every run is reproducible and the same code runs on wasm32. The text form is
//! the ISO 8601 form IAM uses for `aws:CurrentTime`
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-currenttime>).
//! The type and every text form live in `s3pg-time`, shared by the whole workspace; a day that is
//! not on the calendar (`2026-02-30`) is refused with a [`TimeError`] that says why.

pub use s3pg_time::{TimeError, Timestamp};

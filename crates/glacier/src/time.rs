//! Simulated time for the vault service: a UTC instant in whole seconds.
//!
//! Glacier writes dates as ISO 8601 with milliseconds (`2013-03-20T17:03:43.221Z`, see
//! <https://docs.aws.amazon.com/amazonglacier/latest/dev/api-vault-get.html>, written by
//! [`Timestamp::to_glacier`]); IAM's `aws:CurrentTime` uses the same form without the fraction.
//! Time is always an input: nothing here reads a clock, so every run is reproducible and the crate
//! builds for wasm32. The type is the workspace's one timestamp, from `s3pg-time`.

pub use s3pg_time::{SECONDS_PER_DAY, TimeError, Timestamp};

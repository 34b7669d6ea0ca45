//! UTC instants and the two text forms the audit records use.
//!
//! Server access logs write the receipt time with `strftime` pattern `[%d/%b/%Y:%H:%M:%S %z]`
//! (`[06/Feb/2019:00:00:38 +0000]`, S3 UG "Amazon S3 server access log format",
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html>); CloudTrail writes
//! `eventTime` in ISO 8601 UTC (`2019-02-06T00:00:38Z`, CloudTrail UG "CloudTrail record
//! contents"). Both are [`Timestamp`] methods of `s3pg-time`, the workspace's one timestamp (the
//! same type as the world's clock). Time is always an input: nothing here reads a clock.

pub use s3pg_time::{Civil, TimeError, Timestamp};

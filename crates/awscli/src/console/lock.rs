//! `aws s3api` Object Lock and lifecycle commands: `put-object-lock-configuration`,
//! `get-object-lock-configuration`, `put-object-retention`, `get-object-retention`,
//! `put-object-legal-hold`, `get-object-legal-hold`, `put-bucket-lifecycle-configuration`,
//! `get-bucket-lifecycle-configuration` and `delete-bucket-lifecycle`: each one S3 request,
//! printed as the CLI's JSON (the puts print nothing).
//!
//! Follows the AWS CLI reference (<https://docs.aws.amazon.com/cli/latest/reference/s3api/put-object-retention.html>
//! and the pages of the other eight commands).

use serde_json::Value;

use s3pg_sim::lifecycle::LifecycleConfiguration;
use s3pg_sim::object_lock::{ObjectLegalHold, ObjectLockConfiguration, ObjectRetention};
use s3pg_sim::request::Operation;

use super::headers::{Flag, headers};
use super::{Run, Stop, check_members};
use crate::args::ArgValue;
use crate::command::LockCommand;
use crate::error::USAGE_EXIT_CODE;

/// A date as the CLI sends it: a naive `2027-01-01T00:00:00` is taken as UTC (`…Z`).
pub(super) fn utc_date(text: &str) -> String {
    let t = text.trim();
    let has_zone = t.ends_with('Z') || t.get(19..).is_some_and(|z| z.contains(['+', '-']));
    if t.len() >= 19 && !has_zone {
        format!("{}Z", t.get(..19).unwrap_or(t))
    } else if t.len() == 10 {
        format!("{t}T00:00:00Z")
    } else {
        t.to_owned()
    }
}

fn invalid(option: &str, detail: &str) -> Stop {
    Stop::new(
        format!("\nParameter validation failed:\nInvalid value for parameter {option}: {detail}\n"),
        USAGE_EXIT_CODE,
    )
}

impl Run<'_> {
    /// A structured parameter read into one of the core's AWS-shaped types.
    fn shape<T: serde::de::DeserializeOwned>(
        &self,
        option: &str,
        value: &ArgValue,
        fix: impl FnOnce(&mut Value),
    ) -> Result<T, Stop> {
        let mut v = self.structured(option, value)?;
        fix(&mut v);
        serde_json::from_value(v).map_err(|e| invalid(option, &e.to_string()))
    }

    /// Sends one request and prints its body (or nothing).
    fn send_print(&mut self, operation: Operation, hs: &[(&str, String)]) -> Result<(), Stop> {
        let o = self.send(operation, hs);
        Self::fail_if_error(&o)?;
        if let Some(body) = &o.body {
            self.print_json(body);
        }
        Ok(())
    }

    /// Runs one Object Lock or lifecycle command.
    pub(crate) fn lock(&mut self, command: LockCommand) -> Result<(), Stop> {
        match command {
            LockCommand::PutConfiguration {
                bucket,
                configuration,
            } => {
                let v = self.structured("--object-lock-configuration", &configuration)?;
                check_members(
                    &v,
                    "ObjectLockConfiguration",
                    &["ObjectLockEnabled", "Rule"],
                )?;
                let configuration: ObjectLockConfiguration =
                    self.shape("--object-lock-configuration", &configuration, |_| {})?;
                self.send_print(
                    Operation::PutObjectLockConfiguration {
                        bucket,
                        configuration,
                    },
                    &[],
                )
            }
            LockCommand::GetConfiguration { bucket } => {
                self.send_print(Operation::GetObjectLockConfiguration { bucket }, &[])
            }
            LockCommand::PutRetention {
                bucket,
                key,
                version_id,
                retention,
                bypass_governance_retention,
            } => self.put_retention(
                bucket,
                key,
                version_id,
                retention,
                bypass_governance_retention,
            ),
            LockCommand::GetRetention {
                bucket,
                key,
                version_id,
            } => self.send_print(
                Operation::GetObjectRetention {
                    bucket,
                    key,
                    version_id,
                },
                &[],
            ),
            LockCommand::PutLegalHold {
                bucket,
                key,
                version_id,
                legal_hold,
            } => {
                let v = self.structured("--legal-hold", &legal_hold)?;
                check_members(&v, "LegalHold", &["Status"])?;
                let legal_hold: ObjectLegalHold =
                    self.shape("--legal-hold", &legal_hold, |_| {})?;
                self.send_print(
                    Operation::PutObjectLegalHold {
                        bucket,
                        key,
                        version_id,
                        legal_hold,
                    },
                    &[],
                )
            }
            LockCommand::GetLegalHold {
                bucket,
                key,
                version_id,
            } => self.send_print(
                Operation::GetObjectLegalHold {
                    bucket,
                    key,
                    version_id,
                },
                &[],
            ),
            LockCommand::PutLifecycle {
                bucket,
                configuration,
            } => self.put_lifecycle(bucket, configuration),
            LockCommand::GetLifecycle { bucket } => {
                self.send_print(Operation::GetBucketLifecycleConfiguration { bucket }, &[])
            }
            LockCommand::DeleteLifecycle { bucket } => {
                self.send_print(Operation::DeleteBucketLifecycle { bucket }, &[])
            }
        }
    }

    /// `put-object-retention`: the retention, its date in UTC, and the governance bypass.
    fn put_retention(
        &mut self,
        bucket: String,
        key: String,
        version_id: Option<String>,
        retention: ArgValue,
        bypass_governance_retention: bool,
    ) -> Result<(), Stop> {
        let v = self.structured("--retention", &retention)?;
        check_members(&v, "Retention", &["Mode", "RetainUntilDate"])?;
        let retention: ObjectRetention = self.shape("--retention", &retention, |v| {
            if let Some(Value::String(d)) = v.get_mut("RetainUntilDate") {
                *d = utc_date(d);
            }
        })?;
        let hs = headers([(
            Flag::BypassGovernanceRetention,
            bypass_governance_retention.then(|| "true".to_owned()),
        )]);
        self.send_print(
            Operation::PutObjectRetention {
                bucket,
                key,
                version_id,
                retention,
            },
            &hs,
        )
    }

    /// `put-bucket-lifecycle-configuration`: the rules, their dates in UTC.
    fn put_lifecycle(&mut self, bucket: String, configuration: ArgValue) -> Result<(), Stop> {
        let v = self.structured("--lifecycle-configuration", &configuration)?;
        check_members(&v, "LifecycleConfiguration", &["Rules"])?;
        let configuration: LifecycleConfiguration =
            self.shape("--lifecycle-configuration", &configuration, |v| {
                for rule in v
                    .get_mut("Rules")
                    .and_then(Value::as_array_mut)
                    .into_iter()
                    .flatten()
                {
                    if let Some(Value::String(d)) = rule.pointer_mut("/Expiration/Date") {
                        *d = utc_date(d);
                    }
                }
            })?;
        self.send_print(
            Operation::PutBucketLifecycleConfiguration {
                bucket,
                configuration,
            },
            &[],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::utc_date;

    #[test]
    fn naive_dates_are_utc() {
        assert_eq!(utc_date("2027-01-01T00:00:00"), "2027-01-01T00:00:00Z");
        assert_eq!(utc_date("2027-01-01T00:00:00Z"), "2027-01-01T00:00:00Z");
        assert_eq!(utc_date("2027-01-01"), "2027-01-01T00:00:00Z");
    }
}

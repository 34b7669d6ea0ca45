//! `aws s3api` Object Lock commands: the bucket's configuration, and a version's retention and
//! legal hold.
//!
//! Follows <https://docs.aws.amazon.com/cli/latest/reference/s3api/put-object-lock-configuration.html>.

use super::common::with;
use crate::args::{ArgValue, Opt, boolean, opt, parse_options, req};
use crate::error::UsageError;

/// `aws s3api` Object Lock and lifecycle commands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LockCommand {
    /// `put-object-lock-configuration --bucket --object-lock-configuration`.
    PutConfiguration {
        /// `--bucket`.
        bucket: String,
        /// `--object-lock-configuration` (JSON or shorthand).
        configuration: ArgValue,
    },
    /// `get-object-lock-configuration --bucket`.
    GetConfiguration {
        /// `--bucket`.
        bucket: String,
    },
    /// `put-object-retention --bucket --key [--version-id] --retention [--bypass-governance-retention]`.
    PutRetention {
        /// `--bucket`.
        bucket: String,
        /// `--key`.
        key: String,
        /// `--version-id`.
        version_id: Option<String>,
        /// `--retention` (`Mode=…,RetainUntilDate=…` or JSON).
        retention: ArgValue,
        /// `--bypass-governance-retention`.
        bypass_governance_retention: bool,
    },
    /// `get-object-retention --bucket --key [--version-id]`.
    GetRetention {
        /// `--bucket`.
        bucket: String,
        /// `--key`.
        key: String,
        /// `--version-id`.
        version_id: Option<String>,
    },
    /// `put-object-legal-hold --bucket --key [--version-id] --legal-hold Status=ON`.
    PutLegalHold {
        /// `--bucket`.
        bucket: String,
        /// `--key`.
        key: String,
        /// `--version-id`.
        version_id: Option<String>,
        /// `--legal-hold`.
        legal_hold: ArgValue,
    },
    /// `get-object-legal-hold --bucket --key [--version-id]`.
    GetLegalHold {
        /// `--bucket`.
        bucket: String,
        /// `--key`.
        key: String,
        /// `--version-id`.
        version_id: Option<String>,
    },
    /// `put-bucket-lifecycle-configuration --bucket --lifecycle-configuration`.
    PutLifecycle {
        /// `--bucket`.
        bucket: String,
        /// `--lifecycle-configuration` (JSON).
        configuration: ArgValue,
    },
    /// `get-bucket-lifecycle-configuration --bucket`.
    GetLifecycle {
        /// `--bucket`.
        bucket: String,
    },
    /// `delete-bucket-lifecycle --bucket`.
    DeleteLifecycle {
        /// `--bucket`.
        bucket: String,
    },
}

/// The Object Lock and lifecycle commands; `None` for any other operation.
pub(super) fn parse_lock(
    operation: &str,
    args: &[String],
) -> Result<Option<LockCommand>, UsageError> {
    let common = [
        opt("--expected-bucket-owner"),
        opt("--request-payer"),
        opt("--checksum-algorithm"),
        opt("--content-md5"),
        opt("--token"),
    ];
    let parse = |options: &[Opt]| parse_options(args, &with(options, &common), &[], 0);
    let object = [req("--bucket"), req("--key"), opt("--version-id")];
    Ok(Some(match operation {
        "put-object-lock-configuration" => {
            let p = parse(&[req("--bucket"), req("--object-lock-configuration")])?;
            LockCommand::PutConfiguration {
                bucket: p.required_text("--bucket"),
                configuration: p
                    .value("--object-lock-configuration")
                    .unwrap_or(ArgValue::Text(String::new())),
            }
        }
        "get-object-lock-configuration" => {
            let p = parse(&[req("--bucket")])?;
            LockCommand::GetConfiguration {
                bucket: p.required_text("--bucket"),
            }
        }
        "put-object-retention" => {
            let mut options = object.to_vec();
            options.extend([req("--retention"), boolean("--bypass-governance-retention")]);
            let p = parse(&options)?;
            LockCommand::PutRetention {
                bucket: p.required_text("--bucket"),
                key: p.required_text("--key"),
                version_id: p.text("--version-id"),
                retention: p
                    .value("--retention")
                    .unwrap_or(ArgValue::Text(String::new())),
                bypass_governance_retention: p
                    .boolean("--bypass-governance-retention")
                    .unwrap_or(false),
            }
        }
        "get-object-retention" | "get-object-legal-hold" => {
            let p = parse(&object)?;
            let (bucket, key, version_id) = (
                p.required_text("--bucket"),
                p.required_text("--key"),
                p.text("--version-id"),
            );
            if operation == "get-object-retention" {
                LockCommand::GetRetention {
                    bucket,
                    key,
                    version_id,
                }
            } else {
                LockCommand::GetLegalHold {
                    bucket,
                    key,
                    version_id,
                }
            }
        }
        "put-object-legal-hold" => {
            let mut options = object.to_vec();
            options.push(req("--legal-hold"));
            let p = parse(&options)?;
            LockCommand::PutLegalHold {
                bucket: p.required_text("--bucket"),
                key: p.required_text("--key"),
                version_id: p.text("--version-id"),
                legal_hold: p
                    .value("--legal-hold")
                    .unwrap_or(ArgValue::Text(String::new())),
            }
        }
        "put-bucket-lifecycle-configuration" => {
            let p = parse(&[
                req("--bucket"),
                req("--lifecycle-configuration"),
                opt("--transition-default-minimum-object-size"),
            ])?;
            LockCommand::PutLifecycle {
                bucket: p.required_text("--bucket"),
                configuration: p
                    .value("--lifecycle-configuration")
                    .unwrap_or(ArgValue::Text(String::new())),
            }
        }
        "get-bucket-lifecycle-configuration" => {
            let p = parse(&[req("--bucket")])?;
            LockCommand::GetLifecycle {
                bucket: p.required_text("--bucket"),
            }
        }
        "delete-bucket-lifecycle" => {
            let p = parse(&[req("--bucket")])?;
            LockCommand::DeleteLifecycle {
                bucket: p.required_text("--bucket"),
            }
        }
        _ => return Ok(None),
    }))
}

//! The other services' commands: `aws kms`, `aws glacier`, `aws s3control`, `aws configure set`,
//! and the identity commands of `aws iam` and `aws sts`.
//!
//! Follows <https://docs.aws.amazon.com/cli/latest/reference/>.

use super::common::with;
use crate::args::{ArgValue, Opt, boolean, opt, parse_options, req};
use crate::error::UsageError;

/// `aws kms …`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KmsCommand {
    /// `create-key`.
    CreateKey {
        /// `--description`.
        description: Option<String>,
        /// `--policy`.
        policy: Option<ArgValue>,
        /// `--key-usage`.
        key_usage: Option<String>,
        /// `--key-spec`.
        key_spec: Option<String>,
    },
    /// `enable-key-rotation`.
    EnableKeyRotation {
        /// `--key-id`.
        key_id: String,
        /// `--rotation-period-in-days`.
        rotation_period_in_days: Option<i64>,
    },
    /// `put-key-policy`.
    PutKeyPolicy {
        /// `--key-id`.
        key_id: String,
        /// `--policy-name` (only `default` exists).
        policy_name: Option<String>,
        /// `--policy`.
        policy: ArgValue,
    },
    /// `tag-resource --key-id --tags TagKey=k,TagValue=v …`.
    TagResource {
        /// `--key-id`.
        key_id: String,
        /// `--tags` (JSON `[{"TagKey", "TagValue"}]` or shorthand).
        tags: ArgValue,
    },
    /// `untag-resource --key-id --tag-keys k1,k2`.
    UntagResource {
        /// `--key-id`.
        key_id: String,
        /// `--tag-keys` (JSON list or shorthand `k1,k2`).
        tag_keys: ArgValue,
    },
    /// `list-resource-tags --key-id`.
    ListResourceTags {
        /// `--key-id`.
        key_id: String,
    },
}

/// `aws glacier …` (Vault Lock).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GlacierCommand {
    /// `initiate-vault-lock`.
    InitiateVaultLock {
        /// `--account-id` (`-` for the caller's account).
        account_id: String,
        /// `--vault-name`.
        vault_name: String,
        /// `--policy` (`{"Policy": "…"}` wrapper, usually `file://`).
        policy: ArgValue,
    },
    /// `complete-vault-lock`.
    CompleteVaultLock {
        /// `--account-id`.
        account_id: String,
        /// `--vault-name`.
        vault_name: String,
        /// `--lock-id`.
        lock_id: String,
    },
    /// `abort-vault-lock`.
    AbortVaultLock {
        /// `--account-id`.
        account_id: String,
        /// `--vault-name`.
        vault_name: String,
    },
}

/// `aws s3control …` (account-level Block Public Access).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum S3ControlCommand {
    /// `put-public-access-block --account-id --public-access-block-configuration`.
    PutPublicAccessBlock {
        /// `--account-id`.
        account_id: String,
        /// `--public-access-block-configuration`.
        configuration: ArgValue,
    },
    /// `get-public-access-block --account-id`.
    GetPublicAccessBlock {
        /// `--account-id`.
        account_id: String,
    },
    /// `delete-public-access-block --account-id`.
    DeletePublicAccessBlock {
        /// `--account-id`.
        account_id: String,
    },
}

/// `aws configure set NAME VALUE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigureSet {
    /// `region`, `aws_access_key_id`, `default.s3.addressing_style`, `profile.dev.region` …
    pub name: String,
    /// The value.
    pub value: String,
}

/// `aws iam …` and `aws sts …` (other than `get-caller-identity`): the operation and the options
/// given, each by its CLI name (`--user-name`), turned into the IAM or STS request by the
/// console (IAM API reference; STS API reference).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityCommand {
    /// `iam` or `sts`.
    pub service: &'static str,
    /// The operation (`put-user-policy`).
    pub operation: String,
    /// The options given, in the order of the operation's table.
    pub options: Vec<(&'static str, ArgValue)>,
}

/// `aws iam` operations and their options (`req` required, `opt` optional).
pub(super) const IAM_TABLE: &[(&str, &[Opt])] = &[
    (
        "attach-group-policy",
        &[req("--group-name"), req("--policy-arn")],
    ),
    (
        "attach-role-policy",
        &[req("--role-name"), req("--policy-arn")],
    ),
    (
        "attach-user-policy",
        &[req("--user-name"), req("--policy-arn")],
    ),
    ("create-access-key", &[opt("--user-name")]),
    (
        "create-policy",
        &[
            req("--policy-name"),
            req("--policy-document"),
            opt("--path"),
            opt("--description"),
        ],
    ),
    (
        "delete-access-key",
        &[opt("--user-name"), req("--access-key-id")],
    ),
    (
        "delete-group-policy",
        &[req("--group-name"), req("--policy-name")],
    ),
    (
        "delete-role-policy",
        &[req("--role-name"), req("--policy-name")],
    ),
    (
        "delete-user-policy",
        &[req("--user-name"), req("--policy-name")],
    ),
    (
        "detach-group-policy",
        &[req("--group-name"), req("--policy-arn")],
    ),
    (
        "detach-role-policy",
        &[req("--role-name"), req("--policy-arn")],
    ),
    (
        "detach-user-policy",
        &[req("--user-name"), req("--policy-arn")],
    ),
    (
        "get-role-policy",
        &[req("--role-name"), req("--policy-name")],
    ),
    (
        "get-user-policy",
        &[req("--user-name"), req("--policy-name")],
    ),
    (
        "put-group-policy",
        &[
            req("--group-name"),
            req("--policy-name"),
            req("--policy-document"),
        ],
    ),
    (
        "put-role-policy",
        &[
            req("--role-name"),
            req("--policy-name"),
            req("--policy-document"),
        ],
    ),
    (
        "put-user-policy",
        &[
            req("--user-name"),
            req("--policy-name"),
            req("--policy-document"),
        ],
    ),
    ("tag-role", &[req("--role-name"), req("--tags")]),
    ("tag-user", &[req("--user-name"), req("--tags")]),
    (
        "update-access-key",
        &[opt("--user-name"), req("--access-key-id"), req("--status")],
    ),
    (
        "update-assume-role-policy",
        &[req("--role-name"), req("--policy-document")],
    ),
];

/// `aws sts` operations that send a request, and their options.
pub(super) const STS_TABLE: &[(&str, &[Opt])] = &[
    (
        "assume-role",
        &[
            req("--role-arn"),
            req("--role-session-name"),
            opt("--duration-seconds"),
            opt("--policy"),
            opt("--external-id"),
            opt("--serial-number"),
            opt("--token-code"),
            opt("--tags"),
        ],
    ),
    (
        "get-session-token",
        &[
            opt("--duration-seconds"),
            opt("--serial-number"),
            opt("--token-code"),
        ],
    ),
];

/// Parses `aws iam OP …` or `aws sts OP …` against its table.
pub(super) fn parse_identity(
    service: &'static str,
    table: &[(&str, &[Opt])],
    operation: &str,
    args: &[String],
) -> Result<IdentityCommand, UsageError> {
    let options: &[Opt] = table
        .iter()
        .find(|(name, _)| *name == operation)
        .map_or(&[], |(_, o)| o);
    let p = parse_options(args, options, &[], 0)?;
    Ok(IdentityCommand {
        service,
        operation: operation.to_owned(),
        options: options
            .iter()
            .filter_map(|o| p.value(o.name).map(|v| (o.name, v)))
            .collect(),
    })
}

pub(super) fn parse_s3control(
    operation: &str,
    args: &[String],
) -> Result<S3ControlCommand, UsageError> {
    Ok(match operation {
        "put-public-access-block" => {
            let p = parse_options(
                args,
                &[
                    req("--account-id"),
                    req("--public-access-block-configuration"),
                ],
                &[],
                0,
            )?;
            S3ControlCommand::PutPublicAccessBlock {
                account_id: p.required_text("--account-id"),
                configuration: p
                    .value("--public-access-block-configuration")
                    .unwrap_or(ArgValue::Text(String::new())),
            }
        }
        "get-public-access-block" => {
            let p = parse_options(args, &[req("--account-id")], &[], 0)?;
            S3ControlCommand::GetPublicAccessBlock {
                account_id: p.required_text("--account-id"),
            }
        }
        _ => {
            let p = parse_options(args, &[req("--account-id")], &[], 0)?;
            S3ControlCommand::DeletePublicAccessBlock {
                account_id: p.required_text("--account-id"),
            }
        }
    })
}

pub(super) fn parse_kms(operation: &str, args: &[String]) -> Result<KmsCommand, UsageError> {
    Ok(match operation {
        "create-key" => {
            let p = parse_options(
                args,
                &[
                    opt("--policy"),
                    opt("--description"),
                    opt("--key-usage"),
                    opt("--key-spec"),
                    opt("--origin"),
                    boolean("--bypass-policy-lockout-safety-check"),
                    opt("--tags"),
                    boolean("--multi-region"),
                ],
                &[],
                0,
            )?;
            KmsCommand::CreateKey {
                description: p.text("--description"),
                policy: p.value("--policy"),
                key_usage: p.text("--key-usage"),
                key_spec: p.text("--key-spec"),
            }
        }
        "enable-key-rotation" => {
            let p = parse_options(
                args,
                &[req("--key-id"), opt("--rotation-period-in-days")],
                &[],
                0,
            )?;
            KmsCommand::EnableKeyRotation {
                key_id: p.required_text("--key-id"),
                rotation_period_in_days: p.int("--rotation-period-in-days")?,
            }
        }
        "tag-resource" => {
            let p = parse_options(args, &[req("--key-id"), req("--tags")], &[], 0)?;
            KmsCommand::TagResource {
                key_id: p.required_text("--key-id"),
                tags: p.value("--tags").unwrap_or(ArgValue::Text(String::new())),
            }
        }
        "untag-resource" => {
            let p = parse_options(args, &[req("--key-id"), req("--tag-keys")], &[], 0)?;
            KmsCommand::UntagResource {
                key_id: p.required_text("--key-id"),
                tag_keys: p
                    .value("--tag-keys")
                    .unwrap_or(ArgValue::Text(String::new())),
            }
        }
        "list-resource-tags" => {
            let p = parse_options(args, &[req("--key-id"), opt("--limit")], &[], 0)?;
            KmsCommand::ListResourceTags {
                key_id: p.required_text("--key-id"),
            }
        }
        _ => {
            let p = parse_options(
                args,
                &[
                    req("--key-id"),
                    opt("--policy-name"),
                    req("--policy"),
                    boolean("--bypass-policy-lockout-safety-check"),
                ],
                &[],
                0,
            )?;
            KmsCommand::PutKeyPolicy {
                key_id: p.required_text("--key-id"),
                policy_name: p.text("--policy-name"),
                policy: p.value("--policy").unwrap_or(ArgValue::Text(String::new())),
            }
        }
    })
}

pub(super) fn parse_glacier(
    operation: &str,
    args: &[String],
) -> Result<GlacierCommand, UsageError> {
    let vault = [req("--account-id"), req("--vault-name")];
    Ok(match operation {
        "initiate-vault-lock" => {
            let p = parse_options(args, &with(&vault, &[req("--policy")]), &[], 0)?;
            GlacierCommand::InitiateVaultLock {
                account_id: p.required_text("--account-id"),
                vault_name: p.required_text("--vault-name"),
                policy: p.value("--policy").unwrap_or(ArgValue::Text(String::new())),
            }
        }
        "complete-vault-lock" => {
            let p = parse_options(args, &with(&vault, &[req("--lock-id")]), &[], 0)?;
            GlacierCommand::CompleteVaultLock {
                account_id: p.required_text("--account-id"),
                vault_name: p.required_text("--vault-name"),
                lock_id: p.required_text("--lock-id"),
            }
        }
        _ => {
            let p = parse_options(args, &vault, &[], 0)?;
            GlacierCommand::AbortVaultLock {
                account_id: p.required_text("--account-id"),
                vault_name: p.required_text("--vault-name"),
            }
        }
    })
}

//! `aws s3api put-bucket-encryption`, `aws s3api put-bucket-logging`, `aws kms …` and
//! `aws glacier …-vault-lock`, sent to the world as its encryption, logging, KMS and Glacier
//! operations (S3 API reference `PutBucketEncryption`/`PutBucketLogging`; KMS API reference;
//! Glacier API reference `InitiateVaultLock`/`CompleteVaultLock`/`AbortVaultLock`).

use std::collections::BTreeMap;

use s3pg_sim::Operation;
use s3pg_sim::audit::BucketLogging;
use s3pg_sim::encryption::BucketEncryption;
use s3pg_sim::services::{GlacierCall, KmsRequest};
use serde_json::{Value, json};

use super::{Run, Stop, USAGE_EXIT_CODE};
use crate::args::ArgValue;
use crate::command::{GlacierCommand, KmsCommand};

/// The value without `null` members, at every depth (the CLI prints only what was sent).
fn without_nulls(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, x)| !x.is_null())
                .map(|(k, x)| (k.clone(), without_nulls(x)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

fn usage(text: String) -> Stop {
    Stop::new(format!("\n{text}\n"), USAGE_EXIT_CODE)
}

impl Run<'_> {
    /// `put-bucket-encryption --server-side-encryption-configuration '{"Rules": [...]}'`.
    pub(crate) fn put_bucket_encryption(
        &mut self,
        bucket: String,
        configuration: &ArgValue,
    ) -> Result<u8, Stop> {
        let v = self.structured("--server-side-encryption-configuration", configuration)?;
        let rule = v
            .get("Rules")
            .and_then(Value::as_array)
            .and_then(|r| r.first())
            .cloned()
            .unwrap_or(Value::Null);
        let by_default = rule
            .get("ApplyServerSideEncryptionByDefault")
            .cloned()
            .unwrap_or(Value::Null);
        let Some(alg) = by_default.get("SSEAlgorithm").and_then(Value::as_str) else {
            return Err(usage(
                "Parameter validation failed:\nMissing required parameter in ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault: \"SSEAlgorithm\"".to_owned(),
            ));
        };
        let blocked = rule
            .get("BlockedEncryptionTypes")
            .and_then(|b| b.get("EncryptionType"))
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        let configuration = BucketEncryption {
            sse_algorithm: alg.to_owned(),
            kms_master_key_id: by_default
                .get("KMSMasterKeyID")
                .and_then(Value::as_str)
                .map(str::to_owned),
            bucket_key_enabled: rule
                .get("BucketKeyEnabled")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            blocked_encryption_types: blocked,
        };
        let o = self.send(
            Operation::PutBucketEncryption {
                bucket,
                configuration,
            },
            &[],
        );
        Self::fail_if_error(&o)?;
        Ok(0)
    }

    /// `put-bucket-logging --bucket-logging-status '{"LoggingEnabled": {...}}'` (`{}` disables).
    pub(crate) fn put_bucket_logging(
        &mut self,
        bucket: String,
        status: &ArgValue,
    ) -> Result<u8, Stop> {
        let v = self.structured("--bucket-logging-status", status)?;
        let logging_enabled = v.get("LoggingEnabled").map(|l| BucketLogging {
            target_bucket: l
                .get("TargetBucket")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            target_prefix: l
                .get("TargetPrefix")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
        });
        let o = self.send(
            Operation::PutBucketLogging {
                bucket,
                logging_enabled,
            },
            &[],
        );
        Self::fail_if_error(&o)?;
        Ok(0)
    }

    /// `aws kms create-key | enable-key-rotation | put-key-policy | tag-resource |
    /// untag-resource | list-resource-tags`.
    pub(crate) fn kms(&mut self, c: KmsCommand) -> Result<u8, Stop> {
        let region = self.console.region(&self.globals);
        let (request, print) = match c {
            KmsCommand::CreateKey {
                description,
                policy,
                ..
            } => {
                let policy = match &policy {
                    Some(p) => Some(self.param_text("--policy", p)?),
                    None => None,
                };
                (
                    KmsRequest::CreateKey {
                        description: description.unwrap_or_default(),
                        policy,
                        region: Some(region),
                    },
                    true,
                )
            }
            KmsCommand::EnableKeyRotation {
                key_id,
                rotation_period_in_days,
            } => (
                KmsRequest::EnableKeyRotation {
                    key_id,
                    rotation_period_in_days: rotation_period_in_days
                        .and_then(|d| u32::try_from(d).ok()),
                },
                false,
            ),
            KmsCommand::PutKeyPolicy { key_id, policy, .. } => (
                KmsRequest::PutKeyPolicy {
                    key_id,
                    policy: self.param_text("--policy", &policy)?,
                },
                false,
            ),
            KmsCommand::TagResource { key_id, tags } => (
                KmsRequest::TagResource {
                    key_id,
                    tags: self.kms_tags(&tags)?,
                },
                false,
            ),
            KmsCommand::UntagResource { key_id, tag_keys } => {
                // A JSON list (`["a","b"]`) or the CLI's list shorthand (`a,b` or `a b`).
                let text = self.param_text("--tag-keys", &tag_keys)?;
                let keys = match serde_json::from_str::<Value>(text.trim()) {
                    Ok(Value::Array(items)) => items
                        .iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect(),
                    _ => text
                        .split([',', ' '])
                        .filter(|k| !k.is_empty())
                        .map(str::to_owned)
                        .collect(),
                };
                (
                    KmsRequest::UntagResource {
                        key_id,
                        tag_keys: keys,
                    },
                    false,
                )
            }
            KmsCommand::ListResourceTags { key_id } => {
                (KmsRequest::ListResourceTags { key_id }, true)
            }
        };
        let o = self.send(Operation::Kms(request), &[]);
        Self::fail_if_error(&o)?;
        if print && let Some(body) = &o.body {
            // The CLI leaves out members the service did not send.
            self.print_json(&without_nulls(body));
        }
        Ok(0)
    }

    /// KMS tags from JSON (`[{"TagKey": "k", "TagValue": "v"}]`) or shorthand
    /// (`TagKey=k,TagValue=v`).
    fn kms_tags(&self, value: &ArgValue) -> Result<BTreeMap<String, String>, Stop> {
        let items = match self.structured("--tags", value)? {
            Value::Array(a) => a,
            other => vec![other],
        };
        let mut tags = BTreeMap::new();
        for (i, item) in items.iter().enumerate() {
            let Some(key) = item.get("TagKey").and_then(Value::as_str) else {
                return Err(Stop::new(
                    format!(
                        "\nParameter validation failed:\nMissing required parameter in Tags[{i}]: \"TagKey\"\n"
                    ),
                    USAGE_EXIT_CODE,
                ));
            };
            let val = item
                .get("TagValue")
                .and_then(Value::as_str)
                .unwrap_or_default();
            tags.insert(key.to_owned(), val.to_owned());
        }
        Ok(tags)
    }

    /// `aws glacier initiate-vault-lock | complete-vault-lock | abort-vault-lock`.
    pub(crate) fn glacier(&mut self, c: GlacierCommand) -> Result<u8, Stop> {
        let region = self.console.region(&self.globals);
        let request: Value = match c {
            GlacierCommand::InitiateVaultLock {
                account_id,
                vault_name,
                policy,
            } => {
                let text = self.param_text("--policy", &policy)?;
                let policy = s3pg_sim::glacier_policy_text(&text);
                json!({"operation": "InitiateVaultLock", "account_id": account_id, "vault_name": vault_name, "policy": policy})
            }
            GlacierCommand::CompleteVaultLock {
                account_id,
                vault_name,
                lock_id,
            } => {
                json!({"operation": "CompleteVaultLock", "account_id": account_id, "vault_name": vault_name, "lock_id": lock_id})
            }
            GlacierCommand::AbortVaultLock {
                account_id,
                vault_name,
            } => {
                json!({"operation": "AbortVaultLock", "account_id": account_id, "vault_name": vault_name})
            }
        };
        let request = s3pg_sim::read::from_value(&request).map_err(|e| {
            usage(format!(
                "the playground cannot build this Glacier request: {e}"
            ))
        })?;
        let o = self.send(Operation::Glacier(GlacierCall { region, request }), &[]);
        Self::fail_if_error(&o)?;
        if let Some(id) = o.headers.get("x-amz-lock-id") {
            self.print_json(&json!({ "lockId": id }));
        }
        Ok(0)
    }
}

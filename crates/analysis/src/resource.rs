//! The resources analysis asks about (a bucket, an object, one version of an object, a KMS key,
//! a Glacier vault) and, for each, the actions it can ask about — each turned into the request
//! the AWS console or CLI would send for it, so that every answer is a dry run of a real request.
//!
//! The action-to-operation mapping follows S3's "Required permissions for Amazon S3 API
//! operations" (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html>),
//! the KMS permissions reference (<https://docs.aws.amazon.com/kms/latest/developerguide/kms-api-permissions-reference.html>)
//! and Glacier's (<https://docs.aws.amazon.com/amazonglacier/latest/dev/glacier-api-permissions-ref.html>).

use std::fmt;

use serde::{Deserialize, Serialize};

use s3pg_sim::request::{Operation, VersioningStatus};
use s3pg_sim::services::{GlacierCall, KmsRequest};
use s3pg_sim::{Caller, Request, World};

/// A resource analysis can be asked about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Resource {
    /// A bucket (`arn:aws:s3:::bucket`).
    Bucket {
        /// The bucket name.
        bucket: String,
    },
    /// An object, by key (`arn:aws:s3:::bucket/key`).
    Object {
        /// The bucket name.
        bucket: String,
        /// The key.
        key: String,
    },
    /// One version of an object.
    #[serde(rename_all = "camelCase")]
    Version {
        /// The bucket name.
        bucket: String,
        /// The key.
        key: String,
        /// The version id.
        version_id: String,
    },
    /// A KMS key, by key ARN.
    KmsKey {
        /// The key ARN.
        arn: String,
    },
    /// An S3 Glacier vault.
    Vault {
        /// The Region.
        region: String,
        /// The owning account.
        account: String,
        /// The vault name.
        name: String,
    },
}

impl fmt::Display for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Resource::Bucket { bucket } => write!(f, "{bucket}"),
            Resource::Object { bucket, key } => write!(f, "{bucket}/{key}"),
            Resource::Version {
                bucket,
                key,
                version_id,
            } => write!(f, "{bucket}/{key}?versionId={version_id}"),
            Resource::KmsKey { arn } => write!(f, "{arn}"),
            Resource::Vault {
                region,
                account,
                name,
            } => write!(f, "arn:aws:glacier:{region}:{account}:vaults/{name}"),
        }
    }
}

/// Why a resource could not be read from the learner's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResourceError {
    /// What is wrong, lowercase, the input in backticks.
    pub message: String,
    /// What to write instead.
    pub help: String,
}

impl fmt::Display for ResourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\n  help: {}", self.message, self.help)
    }
}

const RESOURCE_HELP: &str = "write `s3://BUCKET`, `s3://BUCKET/KEY`, `s3://BUCKET/KEY?versionId=ID`, an S3 ARN, a KMS key ARN or id, or `glacier:VAULT`";

impl Resource {
    /// Reads a resource as a learner writes it, checking it exists in `world`:
    /// `s3://bucket`, `s3://bucket/key`, `s3://bucket/key?versionId=ID`, `arn:aws:s3:::…`, a KMS
    /// key ARN, key id or alias, `glacier:VAULT` or a vault ARN.
    ///
    /// # Errors
    /// A sentence saying what is wrong and what to write instead.
    pub fn parse(world: &World, text: &str) -> Result<Resource, ResourceError> {
        let text = text.trim();
        let err = |message: String| ResourceError {
            message,
            help: RESOURCE_HELP.to_owned(),
        };
        if let Some(path) = text
            .strip_prefix("s3://")
            .or_else(|| text.strip_prefix("arn:aws:s3:::"))
        {
            let (path, version) = match path.split_once("?versionId=") {
                Some((p, v)) => (p, Some(v)),
                None => (path, None),
            };
            let (bucket, key) = match path.split_once('/') {
                Some((b, k)) if !k.is_empty() => (b, Some(k)),
                Some((b, _)) => (b, None),
                None => (path, None),
            };
            if !world.buckets.contains_key(bucket) {
                return Err(ResourceError {
                    message: format!("no bucket `{bucket}` in this world"),
                    help: format!(
                        "the buckets are {}",
                        list(world.buckets.keys().map(String::as_str))
                    ),
                });
            }
            return Ok(match (key, version) {
                (None, _) => Resource::Bucket {
                    bucket: bucket.to_owned(),
                },
                (Some(key), None) => Resource::Object {
                    bucket: bucket.to_owned(),
                    key: key.to_owned(),
                },
                (Some(key), Some(v)) => Resource::Version {
                    bucket: bucket.to_owned(),
                    key: key.to_owned(),
                    version_id: v.to_owned(),
                },
            });
        }
        if let Some(name) = text.strip_prefix("glacier:") {
            return world
                .glacier
                .vaults()
                .find(|v| v.name == name)
                .map(|v| Resource::Vault {
                    region: v.region.clone(),
                    account: v.account.clone(),
                    name: v.name.clone(),
                })
                .ok_or_else(|| err(format!("no Glacier vault `{name}` in this world")));
        }
        if text.starts_with("arn:aws:glacier:") {
            return world
                .glacier
                .vaults()
                .find(|v| {
                    format!(
                        "arn:aws:glacier:{}:{}:vaults/{}",
                        v.region, v.account, v.name
                    ) == text
                })
                .map(|v| Resource::Vault {
                    region: v.region.clone(),
                    account: v.account.clone(),
                    name: v.name.clone(),
                })
                .ok_or_else(|| err(format!("no Glacier vault `{text}` in this world")));
        }
        let key = world.kms.keys.values().find(|k| {
            k.arn == text
                || k.key_id == text
                || world
                    .kms
                    .aliases
                    .iter()
                    .any(|(alias, target)| target == &k.arn && alias.ends_with(text))
        });
        match key {
            Some(k) => Ok(Resource::KmsKey { arn: k.arn.clone() }),
            None => Err(err(format!("`{text}` is not a resource of this world"))),
        }
    }

    /// The bucket this resource lives in, for S3 resources.
    pub fn bucket(&self) -> Option<&str> {
        match self {
            Resource::Bucket { bucket }
            | Resource::Object { bucket, .. }
            | Resource::Version { bucket, .. } => Some(bucket),
            Resource::KmsKey { .. } | Resource::Vault { .. } => None,
        }
    }

    /// The account that owns the resource (the bucket owner, the key's account, the vault's).
    pub fn owner(&self, world: &World) -> Option<String> {
        match self {
            Resource::Bucket { bucket }
            | Resource::Object { bucket, .. }
            | Resource::Version { bucket, .. } => {
                world.buckets.get(bucket).map(|b| b.owner.clone())
            }
            Resource::KmsKey { arn } => world.kms.keys.get(arn).map(|k| k.account.clone()),
            Resource::Vault { account, .. } => Some(account.clone()),
        }
    }

    /// The actions analysis asks about for this resource, in the order they are shown.
    pub fn actions(&self) -> &'static [&'static str] {
        match self {
            Resource::Bucket { .. } => BUCKET_ACTIONS,
            Resource::Object { .. } => OBJECT_ACTIONS,
            Resource::Version { .. } => VERSION_ACTIONS,
            Resource::KmsKey { .. } => KMS_ACTIONS,
            Resource::Vault { .. } => VAULT_ACTIONS,
        }
    }

    /// The request that exercises `action` on this resource as `caller`, or `None` when the
    /// action is not one analysis knows for this kind of resource.
    pub fn request(&self, world: &World, caller: Caller, action: &str) -> Option<Request> {
        let (operation, headers) = self.operation(world, action)?;
        let mut request = Request::new(caller, operation);
        for (name, value) in headers {
            request = request.header(name, value);
        }
        Some(request)
    }

    fn operation(&self, world: &World, action: &str) -> Option<(Operation, Vec<(&str, &str)>)> {
        let none = Vec::new;
        match self {
            Resource::Bucket { bucket } => bucket_operation(world, bucket.clone(), action),
            Resource::Object { bucket, key } => {
                object_operation(bucket.clone(), key.clone(), action)
            }
            Resource::Version {
                bucket,
                key,
                version_id,
            } => {
                let (bucket, key, version_id) =
                    (bucket.clone(), key.clone(), Some(version_id.clone()));
                let op = match action {
                    "s3:GetObjectVersion" => Operation::GetObject {
                        bucket,
                        key,
                        version_id,
                    },
                    "s3:DeleteObjectVersion" => Operation::DeleteObject {
                        bucket,
                        key,
                        version_id,
                    },
                    "s3:GetObjectVersionAcl" => Operation::GetObjectAcl {
                        bucket,
                        key,
                        version_id,
                    },
                    "s3:PutObjectVersionAcl" => {
                        return Some((
                            Operation::PutObjectAcl {
                                bucket,
                                key,
                                version_id,
                                access_control_policy: None,
                            },
                            vec![("x-amz-acl", "private")],
                        ));
                    }
                    _ => return None,
                };
                Some((op, none()))
            }
            Resource::KmsKey { arn } => {
                let key_id = arn.clone();
                let request = match action {
                    "kms:DescribeKey" => KmsRequest::DescribeKey { key_id },
                    "kms:GetKeyPolicy" => KmsRequest::GetKeyPolicy { key_id },
                    "kms:PutKeyPolicy" => KmsRequest::PutKeyPolicy {
                        policy: world
                            .kms
                            .keys
                            .get(arn)
                            .map(|k| k.policy.text().to_owned())
                            .unwrap_or_default(),
                        key_id,
                    },
                    "kms:EnableKey" => KmsRequest::EnableKey { key_id },
                    "kms:DisableKey" => KmsRequest::DisableKey { key_id },
                    "kms:EnableKeyRotation" => KmsRequest::EnableKeyRotation {
                        key_id,
                        rotation_period_in_days: None,
                    },
                    "kms:ScheduleKeyDeletion" => KmsRequest::ScheduleKeyDeletion {
                        key_id,
                        pending_window_in_days: None,
                    },
                    _ => return None,
                };
                Some((Operation::Kms(request), none()))
            }
            Resource::Vault {
                region,
                account,
                name,
            } => {
                let operation = action.strip_prefix("glacier:")?;
                if !VAULT_ACTIONS.contains(&action) {
                    return None;
                }
                let request = serde_json::from_value(serde_json::json!({
                    "operation": operation,
                    "account_id": account,
                    "vault_name": name,
                }))
                .ok()?;
                Some((
                    Operation::Glacier(GlacierCall {
                        region: region.clone(),
                        request,
                    }),
                    none(),
                ))
            }
        }
    }
}

/// The request that exercises `action` on a bucket (a listing, a read or write of one of its
/// settings, an upload of a new object), with the headers it needs.
fn bucket_operation(
    world: &World,
    bucket: String,
    action: &str,
) -> Option<(Operation, Vec<(&'static str, &'static str)>)> {
    let b = world.buckets.get(&bucket)?;
    let op = match action {
        "s3:ListBucket" => Operation::ListObjectsV2 {
            bucket,
            prefix: None,
            delimiter: None,
            max_keys: None,
            continuation_token: None,
        },
        "s3:ListBucketVersions" => Operation::ListObjectVersions {
            bucket,
            prefix: None,
            delimiter: None,
            max_keys: None,
            key_marker: None,
            version_id_marker: None,
        },
        "s3:GetBucketAcl" => Operation::GetBucketAcl { bucket },
        "s3:PutBucketAcl" => {
            return Some((
                Operation::PutBucketAcl {
                    bucket,
                    access_control_policy: None,
                },
                vec![("x-amz-acl", "private")],
            ));
        }
        "s3:GetBucketPolicy" => Operation::GetBucketPolicy { bucket },
        "s3:PutBucketPolicy" => Operation::PutBucketPolicy {
            policy: b
                .policy
                .clone()
                .unwrap_or_else(|| owner_only_policy(&bucket, &b.owner)),
            bucket,
        },
        "s3:DeleteBucketPolicy" => Operation::DeleteBucketPolicy { bucket },
        "s3:GetBucketPolicyStatus" => Operation::GetBucketPolicyStatus { bucket },
        "s3:GetBucketPublicAccessBlock" => Operation::GetPublicAccessBlock { bucket },
        "s3:PutBucketPublicAccessBlock" => Operation::PutPublicAccessBlock {
            bucket,
            configuration: b.public_access_block.unwrap_or_default(),
        },
        "s3:GetBucketVersioning" => Operation::GetBucketVersioning { bucket },
        "s3:PutBucketVersioning" => Operation::PutBucketVersioning {
            bucket,
            status: VersioningStatus::Enabled,
            mfa_delete: None,
        },
        "s3:GetBucketOwnershipControls" => Operation::GetBucketOwnershipControls { bucket },
        "s3:PutBucketOwnershipControls" => Operation::PutBucketOwnershipControls {
            bucket,
            object_ownership: b.object_ownership,
        },
        "s3:GetEncryptionConfiguration" => Operation::GetBucketEncryption { bucket },
        "s3:GetBucketLogging" => Operation::GetBucketLogging { bucket },
        "s3:DeleteBucket" => Operation::DeleteBucket { bucket },
        "s3:PutObject" => Operation::PutObject {
            bucket,
            key: NEW_OBJECT_KEY.to_owned(),
            body: "analysis".to_owned(),
        },
        _ => return None,
    };
    Some((op, Vec::new()))
}

/// The request that exercises `action` on an object's current version.
fn object_operation(
    bucket: String,
    key: String,
    action: &str,
) -> Option<(Operation, Vec<(&'static str, &'static str)>)> {
    let op = match action {
        "s3:GetObject" => Operation::GetObject {
            bucket,
            key,
            version_id: None,
        },
        "s3:PutObject" => Operation::PutObject {
            bucket,
            key,
            body: "analysis".to_owned(),
        },
        "s3:DeleteObject" => Operation::DeleteObject {
            bucket,
            key,
            version_id: None,
        },
        "s3:GetObjectAcl" => Operation::GetObjectAcl {
            bucket,
            key,
            version_id: None,
        },
        "s3:PutObjectAcl" => {
            return Some((
                Operation::PutObjectAcl {
                    bucket,
                    key,
                    version_id: None,
                    access_control_policy: None,
                },
                vec![("x-amz-acl", "private")],
            ));
        }
        _ => return None,
    };
    Some((op, Vec::new()))
}

/// A policy that grants nothing new (the owner's own account), sent as the body of a dry-run
/// `PutBucketPolicy` when the bucket has none: only the permission is being asked about.
fn owner_only_policy(bucket: &str, owner: &str) -> serde_json::Value {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"AWS": format!("arn:aws:iam::{owner}:root")},
            "Action": "s3:GetObject",
            "Resource": format!("arn:aws:s3:::{bucket}/*"),
        }]
    })
}

fn list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let v: Vec<String> = items.map(|i| format!("`{i}`")).collect();
    if v.is_empty() {
        "none".to_owned()
    } else {
        v.join(", ")
    }
}

/// The key a bucket's `s3:PutObject` row writes: "can upload a new object into this bucket".
pub const NEW_OBJECT_KEY: &str = "new-object";

/// Bucket-level actions (and `s3:PutObject` of a new object into the bucket).
pub const BUCKET_ACTIONS: &[&str] = &[
    "s3:ListBucket",
    "s3:PutObject",
    "s3:ListBucketVersions",
    "s3:GetBucketAcl",
    "s3:PutBucketAcl",
    "s3:GetBucketPolicy",
    "s3:PutBucketPolicy",
    "s3:DeleteBucketPolicy",
    "s3:GetBucketPolicyStatus",
    "s3:GetBucketPublicAccessBlock",
    "s3:PutBucketPublicAccessBlock",
    "s3:GetBucketVersioning",
    "s3:PutBucketVersioning",
    "s3:GetBucketOwnershipControls",
    "s3:PutBucketOwnershipControls",
    "s3:GetEncryptionConfiguration",
    "s3:GetBucketLogging",
    "s3:DeleteBucket",
];

/// Object-level actions.
pub const OBJECT_ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:GetObjectAcl",
    "s3:PutObjectAcl",
];

/// Actions on one version of an object.
pub const VERSION_ACTIONS: &[&str] = &[
    "s3:GetObjectVersion",
    "s3:DeleteObjectVersion",
    "s3:GetObjectVersionAcl",
    "s3:PutObjectVersionAcl",
];

/// KMS key-management actions.
pub const KMS_ACTIONS: &[&str] = &[
    "kms:DescribeKey",
    "kms:GetKeyPolicy",
    "kms:PutKeyPolicy",
    "kms:EnableKey",
    "kms:DisableKey",
    "kms:EnableKeyRotation",
    "kms:ScheduleKeyDeletion",
];

/// Glacier vault actions.
pub const VAULT_ACTIONS: &[&str] = &[
    "glacier:DescribeVault",
    "glacier:GetVaultAccessPolicy",
    "glacier:GetVaultLock",
    "glacier:ListTagsForVault",
    "glacier:DeleteVault",
    "glacier:DeleteVaultAccessPolicy",
];

//! The requests for the other AWS services the world simulates: AWS KMS key management and S3
//! Glacier vaults (data only; `services.rs` runs them).
//!
//! Follows the KMS API reference (<https://docs.aws.amazon.com/kms/latest/APIReference/Welcome.html>)
//! and the Glacier API reference (<https://docs.aws.amazon.com/amazonglacier/latest/dev/amazon-glacier-api.html>).

use serde::{Deserialize, Serialize};

/// A KMS request (the key-management API a learner drives from the console).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all_fields = "camelCase")]
#[expect(
    missing_docs,
    reason = "fields are the KMS API's own parameters, documented on each variant"
)]
pub enum KmsRequest {
    /// `CreateKey` (`kms:CreateKey`).
    CreateKey {
        #[serde(default)]
        description: String,
        /// The key policy JSON text; the default key policy when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        policy: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        region: Option<String>,
    },
    /// `DescribeKey`.
    DescribeKey { key_id: String },
    /// `EnableKey`.
    EnableKey { key_id: String },
    /// `DisableKey`: reads and writes with the key then fail with `KMS.DisabledException`.
    DisableKey { key_id: String },
    /// `EnableKeyRotation`.
    EnableKeyRotation {
        key_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rotation_period_in_days: Option<u32>,
    },
    /// `RotateKeyOnDemand`.
    RotateKeyOnDemand { key_id: String },
    /// `PutKeyPolicy`.
    PutKeyPolicy { key_id: String, policy: String },
    /// `GetKeyPolicy`.
    GetKeyPolicy { key_id: String },
    /// `ScheduleKeyDeletion`.
    ScheduleKeyDeletion {
        key_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pending_window_in_days: Option<u32>,
    },
    /// `CancelKeyDeletion`.
    CancelKeyDeletion { key_id: String },
    /// `TagResource`: adds or replaces the key's tags (`aws:ResourceTag/KEY` in policies).
    TagResource {
        key_id: String,
        tags: std::collections::BTreeMap<String, String>,
    },
    /// `UntagResource`: removes tags by key.
    UntagResource {
        key_id: String,
        tag_keys: Vec<String>,
    },
    /// `ListResourceTags`.
    ListResourceTags { key_id: String },
}

impl KmsRequest {
    /// The KMS API name.
    pub fn name(&self) -> &'static str {
        match self {
            KmsRequest::CreateKey { .. } => "CreateKey",
            KmsRequest::DescribeKey { .. } => "DescribeKey",
            KmsRequest::EnableKey { .. } => "EnableKey",
            KmsRequest::DisableKey { .. } => "DisableKey",
            KmsRequest::EnableKeyRotation { .. } => "EnableKeyRotation",
            KmsRequest::RotateKeyOnDemand { .. } => "RotateKeyOnDemand",
            KmsRequest::PutKeyPolicy { .. } => "PutKeyPolicy",
            KmsRequest::GetKeyPolicy { .. } => "GetKeyPolicy",
            KmsRequest::ScheduleKeyDeletion { .. } => "ScheduleKeyDeletion",
            KmsRequest::CancelKeyDeletion { .. } => "CancelKeyDeletion",
            KmsRequest::TagResource { .. } => "TagResource",
            KmsRequest::UntagResource { .. } => "UntagResource",
            KmsRequest::ListResourceTags { .. } => "ListResourceTags",
        }
    }

    /// The Region of the KMS endpoint the request goes to (the key ARN's, else `us-east-1`).
    pub(crate) fn region(&self) -> String {
        let key = match self {
            KmsRequest::CreateKey { region, .. } => {
                return region.clone().unwrap_or_else(|| "us-east-1".to_owned());
            }
            KmsRequest::DescribeKey { key_id }
            | KmsRequest::EnableKey { key_id }
            | KmsRequest::DisableKey { key_id }
            | KmsRequest::EnableKeyRotation { key_id, .. }
            | KmsRequest::RotateKeyOnDemand { key_id }
            | KmsRequest::PutKeyPolicy { key_id, .. }
            | KmsRequest::GetKeyPolicy { key_id }
            | KmsRequest::ScheduleKeyDeletion { key_id, .. }
            | KmsRequest::CancelKeyDeletion { key_id }
            | KmsRequest::TagResource { key_id, .. }
            | KmsRequest::UntagResource { key_id, .. }
            | KmsRequest::ListResourceTags { key_id } => key_id,
        };
        // arn:aws:kms:REGION:ACCOUNT:key/ID
        key.strip_prefix("arn:aws:kms:")
            .and_then(|r| r.split(':').next())
            .map_or_else(|| "us-east-1".to_owned(), str::to_owned)
    }
}

/// An S3 Glacier vault request with the Region of the Glacier endpoint called.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GlacierCall {
    /// The Region (`us-east-1` unless given).
    #[serde(default = "us_east_1")]
    pub region: String,
    /// The request, as `s3pg-glacier` reads it (`{"operation": "DeleteArchive", …}`).
    pub request: s3pg_glacier::GlacierRequest,
}

fn us_east_1() -> String {
    "us-east-1".to_owned()
}

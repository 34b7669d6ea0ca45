//! What every KMS operation answers: the result or KMS's error, the authorization decision with
//! the key policy as the resource layer, plain-language trace sentences, the AWS page followed,
//! and the facts a CloudTrail record of the call needs.
//!
//! CloudTrail facts follow "Logging AWS KMS API calls with AWS CloudTrail"
//! (<https://docs.aws.amazon.com/kms/latest/developerguide/logging-using-cloudtrail.html>): every
//! KMS call is a management event from `kms.amazonaws.com`; cryptographic calls log the key ARN as
//! a resource and the encryption context in `requestParameters`, never the plaintext or ciphertext.

use serde::Serialize;
use serde_json::Value;

use s3pg_policy::Evaluation;

use crate::error::KmsError;

/// The KMS operations the simulator models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum KmsOperation {
    /// `CreateKey`.
    CreateKey,
    /// `DescribeKey`.
    DescribeKey,
    /// `EnableKey`.
    EnableKey,
    /// `DisableKey`.
    DisableKey,
    /// `ScheduleKeyDeletion`.
    ScheduleKeyDeletion,
    /// `CancelKeyDeletion`.
    CancelKeyDeletion,
    /// `EnableKeyRotation`.
    EnableKeyRotation,
    /// `DisableKeyRotation`.
    DisableKeyRotation,
    /// `GetKeyRotationStatus`.
    GetKeyRotationStatus,
    /// `RotateKeyOnDemand`.
    RotateKeyOnDemand,
    /// `PutKeyPolicy`.
    PutKeyPolicy,
    /// `GetKeyPolicy`.
    GetKeyPolicy,
    /// `TagResource`.
    TagResource,
    /// `UntagResource`.
    UntagResource,
    /// `ListResourceTags`.
    ListResourceTags,
    /// `CreateAlias`.
    CreateAlias,
    /// `GenerateDataKey`.
    GenerateDataKey,
    /// `Encrypt`.
    Encrypt,
    /// `Decrypt`.
    Decrypt,
    /// `ReEncrypt`.
    ReEncrypt,
}

impl KmsOperation {
    /// The API name (`GenerateDataKey`), also CloudTrail's `eventName`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::CreateKey => "CreateKey",
            Self::DescribeKey => "DescribeKey",
            Self::EnableKey => "EnableKey",
            Self::DisableKey => "DisableKey",
            Self::ScheduleKeyDeletion => "ScheduleKeyDeletion",
            Self::CancelKeyDeletion => "CancelKeyDeletion",
            Self::EnableKeyRotation => "EnableKeyRotation",
            Self::DisableKeyRotation => "DisableKeyRotation",
            Self::GetKeyRotationStatus => "GetKeyRotationStatus",
            Self::RotateKeyOnDemand => "RotateKeyOnDemand",
            Self::PutKeyPolicy => "PutKeyPolicy",
            Self::GetKeyPolicy => "GetKeyPolicy",
            Self::TagResource => "TagResource",
            Self::UntagResource => "UntagResource",
            Self::ListResourceTags => "ListResourceTags",
            Self::CreateAlias => "CreateAlias",
            Self::GenerateDataKey => "GenerateDataKey",
            Self::Encrypt => "Encrypt",
            Self::Decrypt => "Decrypt",
            Self::ReEncrypt => "ReEncrypt",
        }
    }

    /// The permission it needs (`kms:GenerateDataKey`). `ReEncrypt` needs `kms:ReEncryptFrom`
    /// on the source key and `kms:ReEncryptTo` on the destination key; this gives the first.
    #[must_use]
    pub fn action(self) -> &'static str {
        match self {
            Self::CreateKey => "kms:CreateKey",
            Self::DescribeKey => "kms:DescribeKey",
            Self::EnableKey => "kms:EnableKey",
            Self::DisableKey => "kms:DisableKey",
            Self::ScheduleKeyDeletion => "kms:ScheduleKeyDeletion",
            Self::CancelKeyDeletion => "kms:CancelKeyDeletion",
            Self::EnableKeyRotation => "kms:EnableKeyRotation",
            Self::DisableKeyRotation => "kms:DisableKeyRotation",
            Self::GetKeyRotationStatus => "kms:GetKeyRotationStatus",
            Self::RotateKeyOnDemand => "kms:RotateKeyOnDemand",
            Self::PutKeyPolicy => "kms:PutKeyPolicy",
            Self::GetKeyPolicy => "kms:GetKeyPolicy",
            Self::TagResource => "kms:TagResource",
            Self::UntagResource => "kms:UntagResource",
            Self::ListResourceTags => "kms:ListResourceTags",
            Self::CreateAlias => "kms:CreateAlias",
            Self::GenerateDataKey => "kms:GenerateDataKey",
            Self::Encrypt => "kms:Encrypt",
            Self::Decrypt => "kms:Decrypt",
            Self::ReEncrypt => "kms:ReEncryptFrom",
        }
    }

    /// The KMS API Reference page.
    #[must_use]
    pub fn doc_url(self) -> &'static str {
        match self {
            Self::CreateKey => {
                "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html"
            }
            Self::DescribeKey => {
                "https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html"
            }
            Self::EnableKey => {
                "https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKey.html"
            }
            Self::DisableKey => {
                "https://docs.aws.amazon.com/kms/latest/APIReference/API_DisableKey.html"
            }
            Self::ScheduleKeyDeletion => {
                "https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html"
            }
            Self::CancelKeyDeletion => {
                "https://docs.aws.amazon.com/kms/latest/APIReference/API_CancelKeyDeletion.html"
            }
            Self::EnableKeyRotation => {
                "https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKeyRotation.html"
            }
            Self::DisableKeyRotation => {
                "https://docs.aws.amazon.com/kms/latest/APIReference/API_DisableKeyRotation.html"
            }
            Self::GetKeyRotationStatus => {
                "https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyRotationStatus.html"
            }
            Self::RotateKeyOnDemand => {
                "https://docs.aws.amazon.com/kms/latest/APIReference/API_RotateKeyOnDemand.html"
            }
            Self::PutKeyPolicy => {
                "https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html"
            }
            Self::GetKeyPolicy => {
                "https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html"
            }
            Self::TagResource => {
                "https://docs.aws.amazon.com/kms/latest/APIReference/API_TagResource.html"
            }
            Self::UntagResource => {
                "https://docs.aws.amazon.com/kms/latest/APIReference/API_UntagResource.html"
            }
            Self::ListResourceTags => {
                "https://docs.aws.amazon.com/kms/latest/APIReference/API_ListResourceTags.html"
            }
            Self::CreateAlias => {
                "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html"
            }
            Self::GenerateDataKey => {
                "https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKey.html"
            }
            Self::Encrypt => "https://docs.aws.amazon.com/kms/latest/APIReference/API_Encrypt.html",
            Self::Decrypt => "https://docs.aws.amazon.com/kms/latest/APIReference/API_Decrypt.html",
            Self::ReEncrypt => {
                "https://docs.aws.amazon.com/kms/latest/APIReference/API_ReEncrypt.html"
            }
        }
    }

    /// Whether CloudTrail marks the call `readOnly`.
    #[must_use]
    pub fn read_only(self) -> bool {
        matches!(
            self,
            Self::DescribeKey | Self::GetKeyRotationStatus | Self::GetKeyPolicy
        )
    }
}

/// A resource named in a CloudTrail record (`resources[]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EventResource {
    /// The key ARN.
    #[serde(rename = "ARN")]
    pub arn: String,
    /// The key's account.
    pub account_id: String,
    /// `AWS::KMS::Key`.
    #[serde(rename = "type")]
    pub resource_type: &'static str,
}

/// The CloudTrail-relevant facts of one KMS call, for the audit module to turn into a record.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KmsEvent {
    /// Always `kms.amazonaws.com`.
    pub event_source: &'static str,
    /// The operation (`GenerateDataKey`).
    pub event_name: &'static str,
    /// The Region called.
    pub aws_region: String,
    /// When (Unix seconds).
    pub event_time: u64,
    /// The caller's ARN (`userIdentity.arn`), if it has one.
    pub user_identity_arn: Option<String>,
    /// The caller's account (`userIdentity.accountId`).
    pub user_identity_account_id: Option<String>,
    /// The service that called on the caller's behalf (`s3.us-east-1.amazonaws.com`), if any.
    /// \[SIM\] real records show this through `invokedBy`/`sourceIPAddress`; we keep the
    /// `kms:ViaService` value.
    pub via_service: Option<String>,
    /// `requestParameters`: `keyId` as the caller gave it, `encryptionContext`, `keySpec`, ….
    pub request_parameters: Value,
    /// `resources[]`: the key(s) used.
    pub resources: Vec<EventResource>,
    /// `errorCode`, when the call failed.
    pub error_code: Option<String>,
    /// `errorMessage`, when the call failed.
    pub error_message: Option<String>,
    /// `readOnly`.
    pub read_only: bool,
    /// KMS calls are management events (`eventCategory` `Management`).
    pub management_event: bool,
}

/// The answer to one KMS operation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KmsResponse<T> {
    /// Which operation.
    pub operation: KmsOperation,
    /// The output, or KMS's error.
    pub result: Result<T, KmsError>,
    /// The authorization decision (key policy as the resource layer, the caller's IAM policies
    /// as the identity layers), when the call got that far.
    pub authorization: Option<Evaluation>,
    /// What happened, in plain sentences, in order.
    pub trace: Vec<String>,
    /// The AWS page the operation follows.
    pub doc_url: &'static str,
    /// CloudTrail facts of the call.
    pub event: KmsEvent,
}

impl<T> KmsResponse<T> {
    /// The result alone.
    ///
    /// # Errors
    /// KMS's error for a failed call.
    pub fn into_result(self) -> Result<T, KmsError> {
        self.result
    }

    /// Whether the call succeeded.
    #[must_use]
    pub fn is_ok(&self) -> bool {
        self.result.is_ok()
    }

    /// The error, if the call failed.
    #[must_use]
    pub fn error(&self) -> Option<&KmsError> {
        self.result.as_ref().err()
    }

    /// Keeps everything but the output (for callers that only need the facts).
    #[must_use]
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> KmsResponse<U> {
        KmsResponse {
            operation: self.operation,
            result: self.result.map(f),
            authorization: self.authorization,
            trace: self.trace,
            doc_url: self.doc_url,
            event: self.event,
        }
    }
}

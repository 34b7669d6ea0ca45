//! The inputs and outputs of the KMS operations, shaped as the KMS API Reference writes them
//! (`KeyMetadata`, `CreateKey`'s input, each operation's output), and a key as a scenario
//! declares it.
//!
//! Follows <https://docs.aws.amazon.com/kms/latest/APIReference/API_KeyMetadata.html>.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use s3pg_crypto::{DataKey, EncryptedDataKey};

use crate::key::{KeyManager, KeyState, KmsKey};

/// `KeyMetadata`, as `CreateKey` and `DescribeKey` return it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct KeyMetadata {
    /// Owning account.
    pub aws_account_id: String,
    /// Key id.
    pub key_id: String,
    /// Key ARN.
    pub arn: String,
    /// Creation time (Unix seconds).
    pub creation_date: u64,
    /// `KeyState == Enabled`.
    pub enabled: bool,
    /// Description.
    pub description: String,
    /// Always `ENCRYPT_DECRYPT` (symmetric keys only).
    pub key_usage: &'static str,
    /// `Enabled`, `Disabled`, `PendingDeletion`.
    pub key_state: &'static str,
    /// When a pending deletion completes.
    pub deletion_date: Option<u64>,
    /// The waiting period of a pending deletion.
    pub pending_deletion_window_in_days: Option<u32>,
    /// Always `AWS_KMS` (KMS generated the material).
    pub origin: &'static str,
    /// `CUSTOMER` or `AWS`.
    pub key_manager: KeyManager,
    /// Always `SYMMETRIC_DEFAULT`.
    pub key_spec: &'static str,
    /// The current key-material version (\[SIM\]: KMS shows this as `CurrentKeyMaterialId`).
    pub key_material_version: u32,
}

impl KeyMetadata {
    pub(super) fn of(key: &KmsKey) -> Self {
        let (deletion_date, window) = match key.state {
            KeyState::PendingDeletion {
                deletion_date,
                pending_window_in_days,
            } => (Some(deletion_date), Some(pending_window_in_days)),
            _ => (None, None),
        };
        Self {
            aws_account_id: key.account.clone(),
            key_id: key.key_id.clone(),
            arn: key.arn.clone(),
            creation_date: key.creation_date,
            enabled: key.state == KeyState::Enabled,
            description: key.description.clone(),
            key_usage: "ENCRYPT_DECRYPT",
            key_state: key.state.name(),
            deletion_date,
            pending_deletion_window_in_days: window,
            origin: "AWS_KMS",
            key_manager: key.key_manager,
            key_spec: "SYMMETRIC_DEFAULT",
            key_material_version: key.material_version(),
        }
    }
}

/// `CreateKey`'s inputs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct CreateKeyInput {
    /// Description.
    #[serde(default)]
    pub description: String,
    /// Key policy JSON; `None` gives the default key policy.
    #[serde(default)]
    pub policy: Option<String>,
    /// Skip the lockout safety check.
    #[serde(default)]
    pub bypass_policy_lockout_safety_check: bool,
}

/// `ScheduleKeyDeletion`'s output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ScheduleKeyDeletionOutput {
    /// Key ARN.
    pub key_id: String,
    /// When the key will be deleted (Unix seconds).
    pub deletion_date: u64,
    /// `PendingDeletion`.
    pub key_state: &'static str,
    /// The waiting period.
    pub pending_window_in_days: u32,
}

/// `GetKeyRotationStatus`'s output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RotationStatus {
    /// Key ARN.
    pub key_id: String,
    /// Whether automatic rotation is on.
    pub key_rotation_enabled: bool,
    /// The automatic rotation period, while on.
    pub rotation_period_in_days: Option<u32>,
    /// When the next automatic rotation is due, while on.
    pub next_rotation_date: Option<u64>,
    /// The rotations so far (`ListKeyRotations`), as (material version, date).
    pub rotations: Vec<(u32, u64)>,
}

/// `GenerateDataKey`'s output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GenerateDataKeyOutput {
    /// The ARN of the key used.
    pub key_id: String,
    /// The plaintext data key: use it, then forget it.
    pub plaintext: DataKey,
    /// The data key encrypted under the KMS key: store it.
    pub ciphertext_blob: EncryptedDataKey,
}

/// `Encrypt`'s output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct EncryptOutput {
    /// The ARN of the key used.
    pub key_id: String,
    /// The ciphertext.
    pub ciphertext_blob: EncryptedDataKey,
}

/// `Decrypt`'s output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DecryptOutput {
    /// The ARN of the key that decrypted.
    pub key_id: String,
    /// The plaintext.
    pub plaintext: Vec<u8>,
}

/// `ReEncrypt`'s output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ReEncryptOutput {
    /// The ARN of the key that decrypted.
    pub source_key_id: String,
    /// The ARN of the key that encrypted.
    pub key_id: String,
    /// The new ciphertext.
    pub ciphertext_blob: EncryptedDataKey,
}

/// A key as a scenario declares it: everything but the key material, which is drawn from the
/// world's entropy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyDeclaration {
    /// Owning account.
    pub account: String,
    /// Region.
    pub region: String,
    /// Key id; drawn from entropy when absent.
    #[serde(default)]
    pub key_id: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// Key policy JSON; the default key policy when absent.
    #[serde(default)]
    pub policy: Option<String>,
    /// Aliases (`alias/app`).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// `false` declares a disabled key.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Automatic rotation on.
    #[serde(default)]
    pub rotation_enabled: bool,
    /// Creation time (Unix seconds).
    #[serde(default)]
    pub creation_date: u64,
    /// Tags (`aws:ResourceTag/KEY` in policies).
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

pub(super) fn yes() -> bool {
    true
}

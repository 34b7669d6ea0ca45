//! What a caller sends: who they are (principal, IAM policies, Region, transport) and which
//! Glacier operation with which parameters.
//!
//! Operations and their permissions follow "Amazon S3 Glacier API Permissions"
//! (<https://docs.aws.amazon.com/amazonglacier/latest/dev/glacier-api-permissions-ref.html>).
//! `account_id` is the `AccountId` path segment: `-` means the caller's own account.

use s3pg_policy::{ContextKeys, ContextValue, NamedPolicy, Policy, PolicySet, Principal};
use serde::{Deserialize, Serialize};

use crate::docs;

/// The caller of a Glacier operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Caller {
    /// The principal (IAM user, role session, root user, …).
    pub principal: Principal,
    /// The caller's own policies: identity policies, permissions boundary, session policy, SCPs.
    /// `resource_policy` is ignored: Glacier puts the vault's policies there.
    pub policies: PolicySet,
    /// The Region of the Glacier endpoint called.
    pub region: String,
    /// Whether the request came over TLS (`aws:SecureTransport`).
    pub secure_transport: bool,
    /// Extra request context keys (`aws:MultiFactorAuthPresent`, `aws:SourceIp`, …).
    pub context: ContextKeys,
}

impl Caller {
    /// A caller over HTTPS with no IAM policies yet.
    #[must_use]
    pub fn new(principal: Principal, region: impl Into<String>) -> Self {
        Self {
            principal,
            policies: PolicySet::default(),
            region: region.into(),
            secure_transport: true,
            context: ContextKeys::new(),
        }
    }

    /// A caller from an ARN (`arn:aws:iam::111122223333:user/alice`, a root or role-session ARN).
    ///
    /// # Errors
    /// The policy engine's message when the text is not a principal.
    pub fn from_arn(arn: &str, region: impl Into<String>) -> Result<Self, String> {
        Ok(Self::new(Principal::from_arn(arn)?, region))
    }

    /// Adds an identity-based policy.
    #[must_use]
    pub fn with_identity_policy(mut self, name: &str, policy: Policy) -> Self {
        self.policies
            .identity_policies
            .push(NamedPolicy::new(name, policy));
        self
    }

    /// Replaces the caller's policies.
    #[must_use]
    pub fn with_policies(mut self, policies: PolicySet) -> Self {
        self.policies = policies;
        self
    }

    /// Sets a request context key.
    #[must_use]
    pub fn with_key(mut self, key: &str, value: impl Into<ContextValue>) -> Self {
        self.context.insert(key, value);
        self
    }

    /// The caller's account, if it has one.
    #[must_use]
    pub fn account(&self) -> Option<&str> {
        self.principal.account()
    }

    /// The ARN used in `AccessDeniedException` messages.
    #[must_use]
    pub fn arn_for_messages(&self) -> String {
        match &self.principal {
            Principal::Service(name) => name.clone(),
            other => other.arn().unwrap_or_else(|| "anonymous".into()),
        }
    }
}

/// The Glacier operations the simulator models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Operation {
    /// `CreateVault` (PUT vault).
    CreateVault,
    /// `DeleteVault` (DELETE vault).
    DeleteVault,
    /// `DescribeVault` (GET vault).
    DescribeVault,
    /// `ListVaults` (GET vaults).
    ListVaults,
    /// `SetVaultAccessPolicy` (PUT access-policy).
    SetVaultAccessPolicy,
    /// `GetVaultAccessPolicy` (GET access-policy).
    GetVaultAccessPolicy,
    /// `DeleteVaultAccessPolicy` (DELETE access-policy).
    DeleteVaultAccessPolicy,
    /// `InitiateVaultLock` (POST lock-policy).
    InitiateVaultLock,
    /// `CompleteVaultLock` (POST lockId).
    CompleteVaultLock,
    /// `AbortVaultLock` (DELETE lock-policy).
    AbortVaultLock,
    /// `GetVaultLock` (GET lock-policy).
    GetVaultLock,
    /// `UploadArchive` (POST archive).
    UploadArchive,
    /// `DeleteArchive` (DELETE archive).
    DeleteArchive,
    /// `AddTagsToVault` (POST tags?operation=add).
    AddTagsToVault,
    /// `RemoveTagsFromVault` (POST tags?operation=remove).
    RemoveTagsFromVault,
    /// `ListTagsForVault` (GET tags).
    ListTagsForVault,
    /// `InitiateJob` (POST jobs): archive or inventory retrieval.
    InitiateJob,
}

impl Operation {
    /// Every operation, in declaration order.
    pub const ALL: [Operation; 17] = [
        Self::CreateVault,
        Self::DeleteVault,
        Self::DescribeVault,
        Self::ListVaults,
        Self::SetVaultAccessPolicy,
        Self::GetVaultAccessPolicy,
        Self::DeleteVaultAccessPolicy,
        Self::InitiateVaultLock,
        Self::CompleteVaultLock,
        Self::AbortVaultLock,
        Self::GetVaultLock,
        Self::UploadArchive,
        Self::DeleteArchive,
        Self::AddTagsToVault,
        Self::RemoveTagsFromVault,
        Self::ListTagsForVault,
        Self::InitiateJob,
    ];

    /// The API name (`InitiateVaultLock`).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::CreateVault => "CreateVault",
            Self::DeleteVault => "DeleteVault",
            Self::DescribeVault => "DescribeVault",
            Self::ListVaults => "ListVaults",
            Self::SetVaultAccessPolicy => "SetVaultAccessPolicy",
            Self::GetVaultAccessPolicy => "GetVaultAccessPolicy",
            Self::DeleteVaultAccessPolicy => "DeleteVaultAccessPolicy",
            Self::InitiateVaultLock => "InitiateVaultLock",
            Self::CompleteVaultLock => "CompleteVaultLock",
            Self::AbortVaultLock => "AbortVaultLock",
            Self::GetVaultLock => "GetVaultLock",
            Self::UploadArchive => "UploadArchive",
            Self::DeleteArchive => "DeleteArchive",
            Self::AddTagsToVault => "AddTagsToVault",
            Self::RemoveTagsFromVault => "RemoveTagsFromVault",
            Self::ListTagsForVault => "ListTagsForVault",
            Self::InitiateJob => "InitiateJob",
        }
    }

    /// The IAM action it needs (`glacier:` + the API name).
    #[must_use]
    pub fn action(self) -> String {
        format!("glacier:{}", self.name())
    }

    /// The API reference page.
    #[must_use]
    pub fn doc_url(self) -> &'static str {
        match self {
            Self::CreateVault => docs::CREATE_VAULT,
            Self::DeleteVault => docs::DELETE_VAULT,
            Self::DescribeVault => docs::DESCRIBE_VAULT,
            Self::ListVaults => docs::LIST_VAULTS,
            Self::SetVaultAccessPolicy => docs::SET_ACCESS_POLICY,
            Self::GetVaultAccessPolicy => docs::GET_ACCESS_POLICY,
            Self::DeleteVaultAccessPolicy => docs::DELETE_ACCESS_POLICY,
            Self::InitiateVaultLock => docs::INITIATE_LOCK,
            Self::CompleteVaultLock => docs::COMPLETE_LOCK,
            Self::AbortVaultLock => docs::ABORT_LOCK,
            Self::GetVaultLock => docs::GET_LOCK,
            Self::UploadArchive => docs::UPLOAD_ARCHIVE,
            Self::DeleteArchive => docs::DELETE_ARCHIVE,
            Self::AddTagsToVault => docs::ADD_TAGS,
            Self::RemoveTagsFromVault => docs::REMOVE_TAGS,
            Self::ListTagsForVault => docs::LIST_TAGS,
            Self::InitiateJob => docs::INITIATE_JOB,
        }
    }

    /// Whether the `AccountId` in the path must be the caller's own account: the API pages of
    /// these operations say the value "must match the AWS account ID associated with the
    /// credentials used to sign the request".
    #[must_use]
    pub fn requires_own_account(self) -> bool {
        matches!(
            self,
            Self::CreateVault
                | Self::InitiateVaultLock
                | Self::CompleteVaultLock
                | Self::AbortVaultLock
                | Self::AddTagsToVault
                | Self::RemoveTagsFromVault
        )
    }

    /// Whether the vault's resource policies take part (false for `CreateVault` and
    /// `ListVaults`, which the permissions reference marks as identity-policy only or which act
    /// on no existing vault).
    #[must_use]
    pub fn uses_vault_policies(self) -> bool {
        !matches!(self, Self::CreateVault | Self::ListVaults)
    }
}

impl std::fmt::Display for Operation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One Glacier request. Serialises with `"operation"` as the tag, so scenarios can write
/// `{"operation": "DeleteArchive", "vault_name": "v", "archive_id": "…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "operation", deny_unknown_fields)]
pub enum GlacierRequest {
    /// `PUT /AccountId/vaults/VaultName`.
    CreateVault {
        /// `-` or the caller's account id.
        #[serde(default = "own")]
        account_id: String,
        /// The new vault's name.
        vault_name: String,
    },
    /// `DELETE /AccountId/vaults/VaultName`.
    DeleteVault {
        /// `-` or the vault owner's account id.
        #[serde(default = "own")]
        account_id: String,
        /// The vault.
        vault_name: String,
    },
    /// `GET /AccountId/vaults/VaultName`.
    DescribeVault {
        /// `-` or the vault owner's account id.
        #[serde(default = "own")]
        account_id: String,
        /// The vault.
        vault_name: String,
    },
    /// `GET /AccountId/vaults?marker=…&limit=…`.
    ListVaults {
        /// `-` or the account id.
        #[serde(default = "own")]
        account_id: String,
        /// The ARN of the vault to start after (from a previous page's `Marker`).
        #[serde(default)]
        marker: Option<String>,
        /// Page size, 1–1000 (default 10).
        #[serde(default)]
        limit: Option<u32>,
    },
    /// `PUT /AccountId/vaults/VaultName/access-policy` with `{"Policy": "…"}`.
    SetVaultAccessPolicy {
        /// `-` or the vault owner's account id.
        #[serde(default = "own")]
        account_id: String,
        /// The vault.
        vault_name: String,
        /// The policy JSON text.
        policy: String,
    },
    /// `GET /AccountId/vaults/VaultName/access-policy`.
    GetVaultAccessPolicy {
        /// `-` or the vault owner's account id.
        #[serde(default = "own")]
        account_id: String,
        /// The vault.
        vault_name: String,
    },
    /// `DELETE /AccountId/vaults/VaultName/access-policy`.
    DeleteVaultAccessPolicy {
        /// `-` or the vault owner's account id.
        #[serde(default = "own")]
        account_id: String,
        /// The vault.
        vault_name: String,
    },
    /// `POST /AccountId/vaults/VaultName/lock-policy` with `{"Policy": "…"}`.
    InitiateVaultLock {
        /// `-` or the caller's account id.
        #[serde(default = "own")]
        account_id: String,
        /// The vault.
        vault_name: String,
        /// The Vault Lock policy JSON text.
        policy: String,
    },
    /// `POST /AccountId/vaults/VaultName/lock-policy/LockId`.
    CompleteVaultLock {
        /// `-` or the caller's account id.
        #[serde(default = "own")]
        account_id: String,
        /// The vault.
        vault_name: String,
        /// The lock id `InitiateVaultLock` returned.
        lock_id: String,
    },
    /// `DELETE /AccountId/vaults/VaultName/lock-policy`.
    AbortVaultLock {
        /// `-` or the caller's account id.
        #[serde(default = "own")]
        account_id: String,
        /// The vault.
        vault_name: String,
    },
    /// `GET /AccountId/vaults/VaultName/lock-policy`.
    GetVaultLock {
        /// `-` or the vault owner's account id.
        #[serde(default = "own")]
        account_id: String,
        /// The vault.
        vault_name: String,
    },
    /// `POST /AccountId/vaults/VaultName/archives` with the body.
    UploadArchive {
        /// `-` or the vault owner's account id.
        #[serde(default = "own")]
        account_id: String,
        /// The vault.
        vault_name: String,
        /// The archive's bytes (written as text in scenarios).
        #[serde(with = "body_text", default)]
        body: Vec<u8>,
        /// `x-amz-archive-description`.
        #[serde(default)]
        description: Option<String>,
        /// `x-amz-sha256-tree-hash` as sent; `None` means the client computes it (as the SDKs do).
        #[serde(default)]
        sha256_tree_hash: Option<String>,
    },
    /// `DELETE /AccountId/vaults/VaultName/archives/ArchiveId`.
    DeleteArchive {
        /// `-` or the vault owner's account id.
        #[serde(default = "own")]
        account_id: String,
        /// The vault.
        vault_name: String,
        /// The archive id.
        archive_id: String,
    },
    /// `POST /AccountId/vaults/VaultName/tags?operation=add` with `{"Tags": {…}}`.
    AddTagsToVault {
        /// `-` or the caller's account id.
        #[serde(default = "own")]
        account_id: String,
        /// The vault.
        vault_name: String,
        /// Tags to add or overwrite.
        tags: std::collections::BTreeMap<String, String>,
    },
    /// `POST /AccountId/vaults/VaultName/tags?operation=remove` with `{"TagKeys": […]}`.
    RemoveTagsFromVault {
        /// `-` or the caller's account id.
        #[serde(default = "own")]
        account_id: String,
        /// The vault.
        vault_name: String,
        /// Keys to remove.
        tag_keys: Vec<String>,
    },
    /// `GET /AccountId/vaults/VaultName/tags`.
    ListTagsForVault {
        /// `-` or the vault owner's account id.
        #[serde(default = "own")]
        account_id: String,
        /// The vault.
        vault_name: String,
    },
    /// `POST /AccountId/vaults/VaultName/jobs` with `{"Type": …, "ArchiveId": …, "Tier": …}`.
    InitiateJob {
        /// `-` or the vault owner's account id.
        #[serde(default = "own")]
        account_id: String,
        /// The vault.
        vault_name: String,
        /// `archive-retrieval` or `inventory-retrieval`.
        job_type: String,
        /// The archive to retrieve (archive retrieval only).
        #[serde(default)]
        archive_id: Option<String>,
        /// `Expedited`, `Standard` (default) or `Bulk`.
        #[serde(default)]
        tier: Option<String>,
    },
}

/// The policy text inside the `{"Policy": "…"}` wrapper the API (and `aws glacier
/// initiate-vault-lock --policy` / `set-vault-access-policy --policy`) sends; any other text is
/// returned unchanged, so a bare policy document works too.
#[must_use]
pub fn unwrap_policy_wrapper(text: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(map)) if map.len() == 1 => match map.get("Policy") {
            Some(serde_json::Value::String(inner)) => inner.clone(),
            _ => text.to_string(),
        },
        _ => text.to_string(),
    }
}

fn own() -> String {
    "-".into()
}

mod body_text {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(body: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&String::from_utf8_lossy(body))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        Ok(String::deserialize(d)?.into_bytes())
    }
}

impl GlacierRequest {
    /// Which operation this is.
    #[must_use]
    pub fn operation(&self) -> Operation {
        match self {
            Self::CreateVault { .. } => Operation::CreateVault,
            Self::DeleteVault { .. } => Operation::DeleteVault,
            Self::DescribeVault { .. } => Operation::DescribeVault,
            Self::ListVaults { .. } => Operation::ListVaults,
            Self::SetVaultAccessPolicy { .. } => Operation::SetVaultAccessPolicy,
            Self::GetVaultAccessPolicy { .. } => Operation::GetVaultAccessPolicy,
            Self::DeleteVaultAccessPolicy { .. } => Operation::DeleteVaultAccessPolicy,
            Self::InitiateVaultLock { .. } => Operation::InitiateVaultLock,
            Self::CompleteVaultLock { .. } => Operation::CompleteVaultLock,
            Self::AbortVaultLock { .. } => Operation::AbortVaultLock,
            Self::GetVaultLock { .. } => Operation::GetVaultLock,
            Self::UploadArchive { .. } => Operation::UploadArchive,
            Self::DeleteArchive { .. } => Operation::DeleteArchive,
            Self::AddTagsToVault { .. } => Operation::AddTagsToVault,
            Self::RemoveTagsFromVault { .. } => Operation::RemoveTagsFromVault,
            Self::ListTagsForVault { .. } => Operation::ListTagsForVault,
            Self::InitiateJob { .. } => Operation::InitiateJob,
        }
    }

    /// The `AccountId` path segment.
    #[must_use]
    pub fn account_id(&self) -> &str {
        match self {
            Self::CreateVault { account_id, .. }
            | Self::DeleteVault { account_id, .. }
            | Self::DescribeVault { account_id, .. }
            | Self::ListVaults { account_id, .. }
            | Self::SetVaultAccessPolicy { account_id, .. }
            | Self::GetVaultAccessPolicy { account_id, .. }
            | Self::DeleteVaultAccessPolicy { account_id, .. }
            | Self::InitiateVaultLock { account_id, .. }
            | Self::CompleteVaultLock { account_id, .. }
            | Self::AbortVaultLock { account_id, .. }
            | Self::GetVaultLock { account_id, .. }
            | Self::UploadArchive { account_id, .. }
            | Self::DeleteArchive { account_id, .. }
            | Self::AddTagsToVault { account_id, .. }
            | Self::RemoveTagsFromVault { account_id, .. }
            | Self::ListTagsForVault { account_id, .. }
            | Self::InitiateJob { account_id, .. } => account_id,
        }
    }

    /// The vault named in the path (`None` for `ListVaults`).
    #[must_use]
    pub fn vault_name(&self) -> Option<&str> {
        match self {
            Self::ListVaults { .. } => None,
            Self::CreateVault { vault_name, .. }
            | Self::DeleteVault { vault_name, .. }
            | Self::DescribeVault { vault_name, .. }
            | Self::SetVaultAccessPolicy { vault_name, .. }
            | Self::GetVaultAccessPolicy { vault_name, .. }
            | Self::DeleteVaultAccessPolicy { vault_name, .. }
            | Self::InitiateVaultLock { vault_name, .. }
            | Self::CompleteVaultLock { vault_name, .. }
            | Self::AbortVaultLock { vault_name, .. }
            | Self::GetVaultLock { vault_name, .. }
            | Self::UploadArchive { vault_name, .. }
            | Self::DeleteArchive { vault_name, .. }
            | Self::AddTagsToVault { vault_name, .. }
            | Self::RemoveTagsFromVault { vault_name, .. }
            | Self::ListTagsForVault { vault_name, .. }
            | Self::InitiateJob { vault_name, .. } => Some(vault_name),
        }
    }
}

//! The AWS documentation pages each step of the vault service follows; every trace step links one.

/// Error responses (codes, HTTP statuses, the JSON error body).
pub const ERRORS: &str =
    "https://docs.aws.amazon.com/amazonglacier/latest/dev/api-error-responses.html";
/// Actions, resources and condition keys of the Glacier API.
pub const PERMISSIONS: &str =
    "https://docs.aws.amazon.com/amazonglacier/latest/dev/glacier-api-permissions-ref.html";
/// Resource-based policies: one vault access policy and one Vault Lock policy per vault.
pub const RESOURCE_POLICIES: &str =
    "https://docs.aws.amazon.com/amazonglacier/latest/dev/access-control-resource-based.html";
/// Vault access policies.
pub const ACCESS_POLICY: &str =
    "https://docs.aws.amazon.com/amazonglacier/latest/dev/vault-access-policy.html";
/// Vault Lock overview: the two-step lock and its 24-hour window.
pub const VAULT_LOCK: &str = "https://docs.aws.amazon.com/amazonglacier/latest/dev/vault-lock.html";
/// Vault Lock policies and the retention example (`glacier:ArchiveAgeInDays`).
pub const VAULT_LOCK_POLICY: &str =
    "https://docs.aws.amazon.com/amazonglacier/latest/dev/vault-lock-policy.html";
/// IAM policy evaluation logic (how several policies combine).
pub const IAM_EVALUATION: &str =
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html";
/// Cross-account policy evaluation.
pub const CROSS_ACCOUNT: &str = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html";
/// Global condition keys (`aws:CurrentTime`, `aws:SecureTransport`, …).
pub const GLOBAL_CONDITION_KEYS: &str =
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html";
/// Computing the SHA-256 tree hash.
pub const TREE_HASH: &str =
    "https://docs.aws.amazon.com/amazonglacier/latest/dev/checksum-calculations.html";
/// Amazon Glacier no longer accepts new customers (from 15 December 2025).
pub const NO_NEW_CUSTOMERS: &str = "https://docs.aws.amazon.com/botocore/latest/reference/services/glacier/client/exceptions/NoLongerSupportedException.html";
/// Create Vault (PUT vault).
pub const CREATE_VAULT: &str =
    "https://docs.aws.amazon.com/amazonglacier/latest/dev/api-vault-put.html";
/// Delete Vault (DELETE vault).
pub const DELETE_VAULT: &str =
    "https://docs.aws.amazon.com/amazonglacier/latest/dev/api-vault-delete.html";
/// Describe Vault (GET vault).
pub const DESCRIBE_VAULT: &str =
    "https://docs.aws.amazon.com/amazonglacier/latest/dev/api-vault-get.html";
/// List Vaults (GET vaults).
pub const LIST_VAULTS: &str =
    "https://docs.aws.amazon.com/amazonglacier/latest/dev/api-vaults-get.html";
/// Set Vault Access Policy (PUT access-policy).
pub const SET_ACCESS_POLICY: &str =
    "https://docs.aws.amazon.com/amazonglacier/latest/dev/api-SetVaultAccessPolicy.html";
/// Get Vault Access Policy (GET access-policy).
pub const GET_ACCESS_POLICY: &str =
    "https://docs.aws.amazon.com/amazonglacier/latest/dev/api-GetVaultAccessPolicy.html";
/// Delete Vault Access Policy (DELETE access-policy).
pub const DELETE_ACCESS_POLICY: &str =
    "https://docs.aws.amazon.com/amazonglacier/latest/dev/api-DeleteVaultAccessPolicy.html";
/// Initiate Vault Lock (POST lock-policy).
pub const INITIATE_LOCK: &str =
    "https://docs.aws.amazon.com/amazonglacier/latest/dev/api-InitiateVaultLock.html";
/// Complete Vault Lock (POST lockId).
pub const COMPLETE_LOCK: &str =
    "https://docs.aws.amazon.com/amazonglacier/latest/dev/api-CompleteVaultLock.html";
/// Abort Vault Lock (DELETE lock-policy).
pub const ABORT_LOCK: &str =
    "https://docs.aws.amazon.com/amazonglacier/latest/dev/api-AbortVaultLock.html";
/// Get Vault Lock (GET lock-policy).
pub const GET_LOCK: &str =
    "https://docs.aws.amazon.com/amazonglacier/latest/dev/api-GetVaultLock.html";
/// Upload Archive (POST archive).
pub const UPLOAD_ARCHIVE: &str =
    "https://docs.aws.amazon.com/amazonglacier/latest/dev/api-archive-post.html";
/// Delete Archive (DELETE archive).
pub const DELETE_ARCHIVE: &str =
    "https://docs.aws.amazon.com/amazonglacier/latest/dev/api-archive-delete.html";
/// Add Tags To Vault (POST tags add).
pub const ADD_TAGS: &str =
    "https://docs.aws.amazon.com/amazonglacier/latest/dev/api-AddTagsToVault.html";
/// Remove Tags From Vault (POST tags remove).
pub const REMOVE_TAGS: &str =
    "https://docs.aws.amazon.com/amazonglacier/latest/dev/api-RemoveTagsFromVault.html";
/// List Tags For Vault (GET tags).
pub const LIST_TAGS: &str =
    "https://docs.aws.amazon.com/amazonglacier/latest/dev/api-ListTagsForVault.html";
/// Initiate Job (POST jobs).
pub const INITIATE_JOB: &str =
    "https://docs.aws.amazon.com/amazonglacier/latest/dev/api-initiate-job-post.html";

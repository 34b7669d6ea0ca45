//! The state of the vault service: vaults, their archives, their two resource policies and the
//! Vault Lock state machine.
//!
//! Follows the Glacier data model
//! (<https://docs.aws.amazon.com/amazonglacier/latest/dev/amazon-glacier-data-model.html>) and
//! "Vault Lock" (<https://docs.aws.amazon.com/amazonglacier/latest/dev/vault-lock.html>). Every
//! type here (de)serialises, so a scenario can declare vaults with existing archives, policies,
//! locks and creation dates.

use std::collections::BTreeMap;

use s3pg_policy::{Policy, PolicyKind};
use serde::{Deserialize, Serialize};

use crate::time::{SECONDS_PER_DAY, Timestamp};
use crate::treehash;

/// How long an in-progress lock lives before Glacier removes it: 24 hours.
pub const LOCK_WINDOW_SECONDS: u64 = SECONDS_PER_DAY;

/// Vault access and Vault Lock policies may be at most 20 KB.
pub const POLICY_MAX_BYTES: usize = 20 * 1024;

/// Archive descriptions may be at most 1,024 printable ASCII characters.
pub const DESCRIPTION_MAX_CHARS: usize = 1024;

/// A policy as the learner wrote it, with its parsed form. Serialises as the JSON text.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPolicy {
    text: String,
    parsed: Policy,
}

impl StoredPolicy {
    /// Parses a vault policy (a resource-based policy: `Principal` required).
    ///
    /// # Errors
    /// The policy engine's diagnostics, joined into one learner-readable line.
    pub fn parse(text: &str) -> Result<Self, String> {
        match Policy::parse_as(text, &PolicyKind::Resource) {
            Ok(parsed) => Ok(Self {
                text: text.to_string(),
                parsed,
            }),
            Err(diags) => Err(diags
                .iter()
                .map(|d| d.message.clone())
                .collect::<Vec<_>>()
                .join("; ")),
        }
    }

    /// The JSON text, as stored and returned by the Get operations.
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The parsed policy.
    #[must_use]
    pub fn policy(&self) -> &Policy {
        &self.parsed
    }
}

impl Serialize for StoredPolicy {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for StoredPolicy {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Accept the policy as a JSON string or, for scenario authors, as an inline object.
        let value = serde_json::Value::deserialize(d)?;
        let text = match value {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        };
        StoredPolicy::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// One archive in a vault. Archives are immutable once uploaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct Archive {
    /// The opaque archive id (`x-amz-archive-id`).
    pub id: String,
    /// When the archive was uploaded: the origin of `glacier:ArchiveAgeInDays`.
    pub creation_date: Timestamp,
    /// Size in bytes.
    #[serde(default)]
    pub size: u64,
    /// SHA-256 tree hash, lower-case hex; defaults to the tree hash of an empty body.
    #[serde(default = "empty_tree_hash")]
    pub sha256_tree_hash: String,
    /// The optional description (`x-amz-archive-description`).
    #[serde(default)]
    pub description: String,
}

fn empty_tree_hash() -> String {
    treehash::tree_hash(b"").to_hex()
}

impl Archive {
    /// Whole days since upload at `now`: the value of `glacier:ArchiveAgeInDays`.
    #[must_use]
    pub fn age_in_days(&self, now: Timestamp) -> u64 {
        self.creation_date.whole_days_until(now)
    }
}

/// A retrieval job (`InitiateJob`). The simulator records it; it does not run it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct Job {
    /// The job id (`x-amz-job-id`).
    pub id: String,
    /// `archive-retrieval` or `inventory-retrieval`.
    pub job_type: String,
    /// The archive, for an archive retrieval.
    #[serde(default)]
    pub archive_id: Option<String>,
    /// `Expedited`, `Standard` or `Bulk`.
    pub tier: String,
    /// When the job was initiated.
    pub creation_date: Timestamp,
}

/// The Vault Lock states `GetVaultLock` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LockState {
    /// Initiated, enforced, still changeable (abort) for 24 hours.
    InProgress,
    /// Completed: immutable forever.
    Locked,
}

impl LockState {
    /// As Glacier writes it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InProgress => "InProgress",
            Self::Locked => "Locked",
        }
    }
}

/// A vault's lock policy and where it is in the state machine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct VaultLock {
    /// The Vault Lock policy. Enforced from `InitiateVaultLock` on, in both states.
    pub policy: StoredPolicy,
    /// `InProgress` or `Locked`.
    pub state: LockState,
    /// The lock id `InitiateVaultLock` returned; `CompleteVaultLock` must present it.
    pub lock_id: String,
    /// When the lock entered `InProgress`.
    pub creation_date: Timestamp,
}

impl VaultLock {
    /// When the lock id expires: 24 hours after initiation while in progress; `None` once locked.
    #[must_use]
    pub fn expiration_date(&self) -> Option<Timestamp> {
        match self.state {
            LockState::InProgress => Some(self.creation_date.plus(LOCK_WINDOW_SECONDS)),
            LockState::Locked => None,
        }
    }

    /// Whether an in-progress lock's window has passed at `now`.
    #[must_use]
    pub fn is_expired(&self, now: Timestamp) -> bool {
        self.expiration_date().is_some_and(|e| now >= e)
    }
}

/// One vault.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct Vault {
    /// The owning account (12 digits).
    pub account: String,
    /// The Region (`us-west-2`).
    pub region: String,
    /// The vault name (1–255 of `a-z A-Z 0-9 _ - .`).
    pub name: String,
    /// When the vault was created.
    pub creation_date: Timestamp,
    /// The archives, in upload order.
    #[serde(default)]
    pub archives: Vec<Archive>,
    /// Archives deleted so far (a repeated `DeleteArchive` of one of them succeeds: the
    /// operation is idempotent).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deleted_archives: Vec<Archive>,
    /// The vault access policy (changeable at any time).
    #[serde(default)]
    pub access_policy: Option<StoredPolicy>,
    /// The Vault Lock policy and its state.
    #[serde(default)]
    pub lock: Option<VaultLock>,
    /// Vault tags (`glacier:ResourceTag/KEY` in conditions, e.g. a legal hold).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
    /// Retrieval jobs initiated on the vault (newest last).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub jobs: Vec<Job>,
    /// The last upload or archive deletion, which keeps the vault from being deleted until the
    /// next inventory (\[SIM\]: modelled as 24 hours).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_write: Option<Timestamp>,
}

impl Vault {
    /// An empty vault.
    #[must_use]
    pub fn new(
        account: impl Into<String>,
        region: impl Into<String>,
        name: impl Into<String>,
        creation_date: Timestamp,
    ) -> Self {
        Self {
            account: account.into(),
            region: region.into(),
            name: name.into(),
            creation_date,
            archives: Vec::new(),
            deleted_archives: Vec::new(),
            access_policy: None,
            lock: None,
            tags: BTreeMap::new(),
            jobs: Vec::new(),
            last_write: None,
        }
    }

    /// `arn:aws:glacier:REGION:ACCOUNT:vaults/NAME`.
    #[must_use]
    pub fn arn(&self) -> String {
        vault_arn(&self.region, &self.account, &self.name)
    }

    /// Total bytes of the archives.
    #[must_use]
    pub fn size_in_bytes(&self) -> u64 {
        self.archives.iter().map(|a| a.size).sum()
    }

    /// Finds a current archive.
    #[must_use]
    pub fn archive(&self, id: &str) -> Option<&Archive> {
        self.archives.iter().find(|a| a.id == id)
    }

    /// Removes an in-progress lock whose 24-hour window has passed at `now`, returning it.
    pub fn expire_lock(&mut self, now: Timestamp) -> Option<VaultLock> {
        if self.lock.as_ref().is_some_and(|l| l.is_expired(now)) {
            self.lock.take()
        } else {
            None
        }
    }

    /// The `DescribeVault` / `ListVaults` JSON for this vault.
    #[must_use]
    pub fn describe_json(&self) -> serde_json::Value {
        serde_json::json!({
            "CreationDate": self.creation_date.to_glacier(),
            "LastInventoryDate": serde_json::Value::Null,
            "NumberOfArchives": self.archives.len(),
            "SizeInBytes": self.size_in_bytes(),
            "VaultARN": self.arn(),
            "VaultName": self.name,
        })
    }
}

/// `arn:aws:glacier:REGION:ACCOUNT:vaults/NAME`.
#[must_use]
pub fn vault_arn(region: &str, account: &str, name: &str) -> String {
    format!("arn:aws:glacier:{region}:{account}:vaults/{name}")
}

/// Whether `name` is a valid vault name: 1–255 characters of `a-z A-Z 0-9 _ - .`
/// (<https://docs.aws.amazon.com/amazonglacier/latest/dev/api-vault-put.html>).
#[must_use]
pub fn valid_vault_name(name: &str) -> bool {
    (1..=255).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

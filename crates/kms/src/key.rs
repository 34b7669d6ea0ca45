//! A KMS key: its identity, key policy, state, rotation history and key material.
//!
//! Follows the KMS Developer Guide: key identifiers
//! (<https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id>), key states
//! (<https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html>), key rotation
//! (<https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html>) and the default key
//! policies (<https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html>).
//!
//! The key material is a [`KeyRing`] from `s3pg-crypto`: rotation adds a material version and keeps
//! the old ones, so ciphertexts made before a rotation still decrypt.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;

use s3pg_crypto::{Entropy, KeyRing};
use s3pg_policy::{Diagnostic, Policy, PolicyKind};

/// Seconds in a day, for waiting periods and rotation periods.
pub const DAY: u64 = 86_400;

/// Default automatic rotation period for customer managed keys, in days (`RotationPeriodInDays`).
pub const DEFAULT_ROTATION_PERIOD_DAYS: u32 = 365;

/// AWS managed keys rotate every year, and that cannot be changed (since May 2022).
pub const AWS_MANAGED_ROTATION_PERIOD_DAYS: u32 = 365;

/// Default waiting period of `ScheduleKeyDeletion`, in days (allowed range 7–30).
pub const DEFAULT_PENDING_WINDOW_DAYS: u32 = 30;

/// Largest key policy KMS accepts, in bytes.
pub const KEY_POLICY_MAX_BYTES: usize = 32_768;

/// Who manages the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyManager {
    /// Created and managed by the customer: policy, state and rotation are theirs to change.
    #[serde(rename = "CUSTOMER")]
    Customer,
    /// Created by an AWS service in the account (`aws/s3`); its policy cannot be changed.
    #[serde(rename = "AWS")]
    Aws,
}

/// The key's state (`KeyState` in `DescribeKey`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state")]
pub enum KeyState {
    /// Usable.
    Enabled,
    /// Kept but unusable for cryptographic operations until enabled again.
    Disabled,
    /// Waiting to be deleted; unusable; `CancelKeyDeletion` returns it to `Disabled`.
    PendingDeletion {
        /// When the key and its material are deleted (Unix seconds).
        deletion_date: u64,
        /// The waiting period chosen (7–30 days).
        pending_window_in_days: u32,
    },
}

impl KeyState {
    /// The name `DescribeKey` shows (`Enabled`, `Disabled`, `PendingDeletion`).
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Self::Enabled => "Enabled",
            Self::Disabled => "Disabled",
            Self::PendingDeletion { .. } => "PendingDeletion",
        }
    }
}

/// How a rotation happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RotationType {
    /// On the automatic schedule.
    #[serde(rename = "AUTOMATIC")]
    Automatic,
    /// By `RotateKeyOnDemand`.
    #[serde(rename = "ON_DEMAND")]
    OnDemand,
}

/// One rotation (`ListKeyRotations`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RotationRecord {
    /// The key-material version it created.
    pub material_version: u32,
    /// When (Unix seconds).
    pub rotation_date: u64,
    /// Automatic or on demand.
    pub rotation_type: RotationType,
}

/// A key policy: the JSON as written and its parsed form.
///
/// Serialises as the JSON text only; deserialising parses it again (so a scenario declares a key
/// policy as a string, exactly as `PutKeyPolicy` takes it).
#[derive(Debug, Clone, PartialEq)]
pub struct KeyPolicy {
    text: String,
    parsed: Policy,
}

impl KeyPolicy {
    /// Parses and checks a key policy as KMS does on `CreateKey`/`PutKeyPolicy` (a resource
    /// policy: every statement needs a `Principal`; at most 32 KB).
    ///
    /// # Errors
    /// The policy engine's diagnostics, in the learner's words.
    pub fn parse(text: &str) -> Result<Self, Vec<Diagnostic>> {
        let parsed = Policy::parse_as(text, &PolicyKind::Resource)?;
        Ok(Self {
            text: text.to_owned(),
            parsed,
        })
    }

    /// The JSON text, as `GetKeyPolicy` returns it.
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The parsed policy.
    #[must_use]
    pub fn policy(&self) -> &Policy {
        &self.parsed
    }

    /// Whether some `Allow` statement names the account itself (`arn:aws:iam::ACCOUNT:root` or
    /// the bare account id) — the statement that lets IAM policies in that account grant access
    /// to the key (KMS DG `key-policy-default.html#key-policy-default-allow-root-enable-iam`).
    #[must_use]
    pub fn enables_iam_policies(&self, account: &str) -> bool {
        let root = format!("arn:aws:iam::{account}:root");
        self.parsed.statements.iter().any(|st| {
            st.effect == s3pg_policy::Effect::Allow
                && st.principal.as_ref().is_some_and(|p| {
                    !p.negated
                        && matches!(&p.principals, s3pg_policy::Principals::Listed(entries)
                            if entries.iter().any(|e| e.kind == s3pg_policy::PrincipalKind::Aws
                                && (*e.value == *root || &*e.value == account)))
                })
        })
    }
}

/// The message KMS gives when a key policy names a principal that does not exist [OBS].
pub const INVALID_PRINCIPALS_MESSAGE: &str =
    "Policy contains a statement with one or more invalid principals.";

impl KeyPolicy {
    /// The `AWS` principals the policy names (account ids, root, user and role ARNs), except `*`.
    #[must_use]
    pub fn named_principals(&self) -> Vec<&str> {
        let mut out = Vec::new();
        for st in &self.parsed.statements {
            if let Some(clause) = &st.principal
                && let s3pg_policy::Principals::Listed(entries) = &clause.principals
            {
                out.extend(
                    entries
                        .iter()
                        .filter(|e| e.kind == s3pg_policy::PrincipalKind::Aws && &*e.value != "*")
                        .map(|e| &*e.value),
                );
            }
        }
        out
    }

    /// KMS's check that every principal a key policy names exists and is visible to it: the
    /// world answers `exists` from its IAM state (KMS DG `key-policy-overview.html`).
    ///
    /// # Errors
    /// `MalformedPolicyDocumentException` naming the first missing principal in its details.
    pub fn check_principals(&self, exists: impl Fn(&str) -> bool) -> Result<(), crate::KmsError> {
        match self.named_principals().into_iter().find(|p| !exists(p)) {
            None => Ok(()),
            Some(missing) => Err(crate::KmsError::MalformedPolicyDocument {
                message: INVALID_PRINCIPALS_MESSAGE.into(),
                details: vec![format!("principal `{missing}` does not exist")],
            }),
        }
    }
}

impl Serialize for KeyPolicy {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for KeyPolicy {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).map_err(|diags| {
            let first = diags
                .first()
                .map_or_else(String::new, |d| format!(": {}", d.message));
            serde::de::Error::custom(format!("key policy does not parse{first}"))
        })
    }
}

/// The default key policy KMS gives a key created through the API without one: a single
/// statement trusting the account, which is what makes IAM policies count for this key
/// (KMS DG `key-policy-default.html`, "Default key policy when you create a KMS key
/// programmatically"; `Sid` and `Id` as KMS writes them).
#[must_use]
pub fn default_key_policy(account: &str) -> String {
    format!(
        r#"{{
  "Version": "2012-10-17",
  "Id": "key-default-1",
  "Statement": [
    {{
      "Sid": "Enable IAM User Permissions",
      "Effect": "Allow",
      "Principal": {{"AWS": "arn:aws:iam::{account}:root"}},
      "Action": "kms:*",
      "Resource": "*"
    }}
  ]
}}"#
    )
}

/// The key policy of the AWS managed key `aws/s3`: anyone of the account may use the key for
/// cryptography only through S3 in this Region (`kms:ViaService` = `s3.REGION.amazonaws.com`,
/// `kms:CallerAccount` = the account), and the account may read its metadata directly. AWS
/// writes and owns this policy; nobody can change it (KMS DG `concepts.html#aws-managed-key`,
/// and the policy as `GetKeyPolicy` shows it for `aws/s3`).
#[must_use]
pub fn aws_managed_s3_key_policy(account: &str, region: &str) -> String {
    format!(
        r#"{{
  "Version": "2012-10-17",
  "Id": "auto-s3-2",
  "Statement": [
    {{
      "Sid": "Allow access through S3 for all principals in the account that are authorized to use S3",
      "Effect": "Allow",
      "Principal": {{"AWS": "*"}},
      "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
      "Resource": "*",
      "Condition": {{
        "StringEquals": {{
          "kms:CallerAccount": "{account}",
          "kms:ViaService": "s3.{region}.amazonaws.com"
        }}
      }}
    }},
    {{
      "Sid": "Allow direct access to key metadata to the account",
      "Effect": "Allow",
      "Principal": {{"AWS": "arn:aws:iam::{account}:root"}},
      "Action": ["kms:Describe*", "kms:Get*", "kms:List*"],
      "Resource": "*"
    }}
  ]
}}"#
    )
}

/// One KMS key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KmsKey {
    /// The key id (UUID form).
    pub key_id: String,
    /// `arn:aws:kms:REGION:ACCOUNT:key/KEY-ID`.
    pub arn: String,
    /// Owning account.
    pub account: String,
    /// Region.
    pub region: String,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// Customer or AWS managed.
    pub key_manager: KeyManager,
    /// Enabled, disabled or pending deletion.
    pub state: KeyState,
    /// The key policy.
    pub policy: KeyPolicy,
    /// When the key was created (Unix seconds).
    #[serde(default)]
    pub creation_date: u64,
    /// Whether automatic rotation is on.
    #[serde(default)]
    pub rotation_enabled: bool,
    /// Automatic rotation period in days (90–2560).
    #[serde(default = "default_rotation_period")]
    pub rotation_period_in_days: u32,
    /// When the next automatic rotation is due (Unix seconds), while rotation is on.
    #[serde(default)]
    pub next_rotation_date: Option<u64>,
    /// Every rotation so far, oldest first.
    #[serde(default)]
    pub rotations: Vec<RotationRecord>,
    /// The key material, every version.
    pub material: KeyRing,
    /// The key's tags, which policies read as `aws:ResourceTag/KEY` (attribute-based access
    /// control: <https://docs.aws.amazon.com/kms/latest/developerguide/tag-authorization.html>).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
}

fn default_rotation_period() -> u32 {
    DEFAULT_ROTATION_PERIOD_DAYS
}

impl KmsKey {
    /// The current key-material version.
    #[must_use]
    pub fn material_version(&self) -> u32 {
        self.material.current_version()
    }

    /// Rotates to fresh material and records it; returns the new version.
    pub fn rotate(
        &mut self,
        rotation_type: RotationType,
        now: u64,
        entropy: &mut (impl Entropy + ?Sized),
    ) -> u32 {
        let version = self.material.rotate(entropy);
        self.rotations.push(RotationRecord {
            material_version: version,
            rotation_date: now,
            rotation_type,
        });
        version
    }

    /// Whether a pending deletion has come due at `now`.
    #[must_use]
    pub fn is_deleted_at(&self, now: u64) -> bool {
        matches!(self.state, KeyState::PendingDeletion { deletion_date, .. } if now >= deletion_date)
    }
}

/// A key id in UUID form drawn from `entropy` (AWS's are random version-4 UUIDs; ours are
/// reproducible from the world's seed).
#[must_use]
pub fn new_key_id(entropy: &mut (impl Entropy + ?Sized)) -> String {
    let mut b = [0_u8; 16];
    entropy.fill(&mut b);
    // Version 4, RFC 4122 variant, as a random UUID has.
    if let Some(x) = b.get_mut(6) {
        *x = (*x & 0x0f) | 0x40;
    }
    if let Some(x) = b.get_mut(8) {
        *x = (*x & 0x3f) | 0x80;
    }
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    let part = |from: usize, to: usize| hex.get(from..to).unwrap_or_default().to_owned();
    format!(
        "{}-{}-{}-{}-{}",
        part(0, 8),
        part(8, 12),
        part(12, 16),
        part(16, 20),
        part(20, 32)
    )
}

/// Whether `s` looks like a key id (UUID form, or an `mrk-` multi-Region key id).
#[must_use]
pub fn is_key_id(s: &str) -> bool {
    let uuid = s.len() == 36
        && s.char_indices().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        });
    let mrk = s
        .strip_prefix("mrk-")
        .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_hexdigit()));
    uuid || mrk
}

#[cfg(test)]
mod tests {
    use super::*;
    use s3pg_crypto::SeededEntropy;

    #[test]
    fn key_ids_are_uuid_v4_shaped_and_reproducible() {
        let a = new_key_id(&mut SeededEntropy::from_seed(b"s"));
        let b = new_key_id(&mut SeededEntropy::from_seed(b"s"));
        assert_eq!(a, b);
        assert!(is_key_id(&a), "{a}");
        assert_eq!(a.chars().nth(14), Some('4'));
        assert!(!is_key_id("fake-key-id"));
        assert!(is_key_id("mrk-1234abcd12ab34cd56ef1234567890ab"));
    }

    #[test]
    fn default_policies_parse_and_the_root_statement_is_recognised() {
        let p = KeyPolicy::parse(&default_key_policy("111122223333")).unwrap();
        assert!(p.enables_iam_policies("111122223333"));
        assert!(!p.enables_iam_policies("444455556666"));
        let s3 = KeyPolicy::parse(&aws_managed_s3_key_policy("111122223333", "us-east-1")).unwrap();
        // the aws/s3 policy names the root only for metadata; it still counts as enabling IAM for those
        assert!(s3.enables_iam_policies("111122223333"));
    }

    #[test]
    fn principals_that_do_not_exist_make_the_policy_malformed() {
        let p = KeyPolicy::parse(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:role/Gone","*"]},"Action":"kms:*","Resource":"*"}]}"#,
        )
        .unwrap();
        assert_eq!(
            p.named_principals(),
            vec!["arn:aws:iam::111122223333:role/Gone"]
        );
        let err = p.check_principals(|_| false).unwrap_err();
        assert_eq!(err.code(), "MalformedPolicyDocumentException");
        assert_eq!(err.aws_message(), INVALID_PRINCIPALS_MESSAGE);
        assert!(p.check_principals(|_| true).is_ok());
    }

    #[test]
    fn key_policy_serialises_as_its_text() {
        let p = KeyPolicy::parse(&default_key_policy("111122223333")).unwrap();
        let json = serde_json::to_string(&p).unwrap();
        let back: KeyPolicy = serde_json::from_str(&json).unwrap();
        assert_eq!(back, p);
        assert!(serde_json::from_str::<KeyPolicy>("\"{\\\"Version\\\": 3}\"").is_err());
    }
}

//! S3 Object Lock as data and rules: a bucket's Object Lock configuration (enabled, default
//! retention), each version's retention (GOVERNANCE or COMPLIANCE until a date) and legal hold,
//! and the one question every delete and every lifecycle action asks — is this version protected
//! at this instant?
//!
//! Follows "Locking objects with Object Lock"
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html>), "How S3 Object
//! Lock works" (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-overview.html>)
//! and "Object Lock considerations"
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html>). The
//! configuration and retention bodies keep AWS's JSON shape (`ObjectLockEnabled`, `Rule`,
//! `DefaultRetention`, `Mode`, `RetainUntilDate`), so what the AWS CLI prints reads back as is.

use serde::{Deserialize, Serialize};

use crate::time::Timestamp;

/// "Locking objects with Object Lock".
pub const DOC: &str = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html";
/// "How S3 Object Lock works" (retention modes, legal holds, bypassing governance mode).
pub const DOC_OVERVIEW: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-overview.html";
/// "Object Lock considerations" (permissions, versioning, lifecycle).
pub const DOC_CONSIDERATIONS: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html";
/// The S3 Glacier Vault Lock page, for the comparison exams ask about.
pub const DOC_VAULT_LOCK: &str =
    "https://docs.aws.amazon.com/amazonglacier/latest/dev/vault-lock.html";

/// What S3 answers when a delete (or a weakening retention change) meets a protected version.
pub const PROTECTED_MESSAGE: &str = "Access Denied because object protected by object lock.";

/// The sentence that puts Object Lock beside Glacier Vault Lock, as exams compare them.
pub const VAULT_LOCK_COMPARISON: &str = "compare S3 Glacier Vault Lock: it locks one vault-wide policy (after a 24-hour in-progress window it can never change), while Object Lock protects each object version with its own retention date or legal hold";

/// A retention mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RetentionMode {
    /// Users with `s3:BypassGovernanceRetention` who send `x-amz-bypass-governance-retention:
    /// true` may delete the version or shorten its retention.
    #[serde(rename = "GOVERNANCE")]
    Governance,
    /// No one, the root user included, can delete the version or shorten its retention before
    /// the date.
    #[serde(rename = "COMPLIANCE")]
    Compliance,
}

impl RetentionMode {
    /// AWS's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            RetentionMode::Governance => "GOVERNANCE",
            RetentionMode::Compliance => "COMPLIANCE",
        }
    }

    /// Reads AWS's spelling (exactly, as S3 does).
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "GOVERNANCE" => Some(RetentionMode::Governance),
            "COMPLIANCE" => Some(RetentionMode::Compliance),
            _ => None,
        }
    }
}

/// A bucket's default retention: a mode and a period in days or years (one of the two).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct DefaultRetention {
    /// The mode new versions get.
    pub mode: RetentionMode,
    /// The period in days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<i64>,
    /// The period in years.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub years: Option<i64>,
}

impl DefaultRetention {
    /// The period in days (a year counts 365 days), if exactly one positive period is given.
    pub fn period_days(&self) -> Option<u64> {
        match (self.days, self.years) {
            (Some(d), None) if d > 0 => u64::try_from(d).ok(),
            (None, Some(y)) if y > 0 => u64::try_from(y).ok().map(|y| y.saturating_mul(365)),
            _ => None,
        }
    }
}

/// The `Rule` of an Object Lock configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct ObjectLockRule {
    /// The default retention.
    pub default_retention: DefaultRetention,
}

/// A bucket's Object Lock configuration (`PutObjectLockConfiguration`'s body).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct ObjectLockConfiguration {
    /// `Enabled` (the only value S3 accepts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_lock_enabled: Option<String>,
    /// The default retention, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<ObjectLockRule>,
}

impl ObjectLockConfiguration {
    /// Object Lock turned on, with no default retention (what CreateBucket with
    /// `x-amz-bucket-object-lock-enabled: true` leaves).
    pub fn enabled() -> Self {
        ObjectLockConfiguration {
            object_lock_enabled: Some("Enabled".to_owned()),
            rule: None,
        }
    }

    /// The default retention, if any.
    pub fn default_retention(&self) -> Option<&DefaultRetention> {
        self.rule.as_ref().map(|r| &r.default_retention)
    }
}

/// One version's retention (`PutObjectRetention`'s body).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct ObjectRetention {
    /// The mode.
    pub mode: RetentionMode,
    /// Protected until this instant.
    pub retain_until_date: Timestamp,
}

/// A legal hold status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LegalHoldStatus {
    /// The version cannot be deleted until the hold is removed.
    #[serde(rename = "ON")]
    On,
    /// No hold.
    #[serde(rename = "OFF")]
    Off,
}

impl LegalHoldStatus {
    /// AWS's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            LegalHoldStatus::On => "ON",
            LegalHoldStatus::Off => "OFF",
        }
    }

    /// Reads AWS's spelling.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "ON" => Some(LegalHoldStatus::On),
            "OFF" => Some(LegalHoldStatus::Off),
            _ => None,
        }
    }
}

/// `PutObjectLegalHold`'s body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct ObjectLegalHold {
    /// `ON` or `OFF`.
    pub status: LegalHoldStatus,
}

/// The Object Lock state of one version: its retention and its legal hold (absent until set).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct VersionLock {
    /// The retention, if one was ever placed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention: Option<ObjectRetention>,
    /// The legal hold, if one was ever set (`OFF` once removed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_hold: Option<LegalHoldStatus>,
}

impl VersionLock {
    /// True when no retention or legal hold was ever placed.
    pub fn is_empty(&self) -> bool {
        self.retention.is_none() && self.legal_hold.is_none()
    }

    /// What protects the version at `now`, strongest first.
    pub fn protection(&self, now: Timestamp) -> Protection {
        if self.legal_hold == Some(LegalHoldStatus::On) {
            return Protection::LegalHold;
        }
        match &self.retention {
            Some(r) if now < r.retain_until_date => match r.mode {
                RetentionMode::Compliance => Protection::Compliance(r.retain_until_date),
                RetentionMode::Governance => Protection::Governance(r.retain_until_date),
            },
            Some(r) => Protection::Expired(r.retain_until_date),
            None => Protection::None,
        }
    }
}

/// What protects a version at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protection {
    /// Nothing was ever placed.
    None,
    /// A retention that ended at this instant (the version may go).
    Expired(Timestamp),
    /// GOVERNANCE retention until this instant: only a bypass lets it go.
    Governance(Timestamp),
    /// COMPLIANCE retention until this instant: nothing lets it go.
    Compliance(Timestamp),
    /// A legal hold: nothing lets it go until the hold is removed.
    LegalHold,
}

impl Protection {
    /// True while the version may not be deleted (short of a governance bypass).
    pub fn is_protected(self) -> bool {
        matches!(
            self,
            Protection::Governance(_) | Protection::Compliance(_) | Protection::LegalHold
        )
    }
}

/// Whole days from `now` to `until`, rounded up (`s3:object-lock-remaining-retention-days`).
pub fn remaining_days(now: Timestamp, until: Timestamp) -> u64 {
    let secs = until.seconds_since(now);
    secs.div_ceil(86_400)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        Timestamp::parse(s).unwrap()
    }

    #[test]
    fn a_retention_protects_until_its_date_and_not_at_it() {
        let lock = VersionLock {
            retention: Some(ObjectRetention {
                mode: RetentionMode::Compliance,
                retain_until_date: at("2026-01-10T00:00:00Z"),
            }),
            legal_hold: None,
        };
        assert!(lock.protection(at("2026-01-09T23:59:59Z")).is_protected());
        assert!(!lock.protection(at("2026-01-10T00:00:00Z")).is_protected());
    }

    #[test]
    fn a_legal_hold_protects_after_the_retention_ends() {
        let lock = VersionLock {
            retention: Some(ObjectRetention {
                mode: RetentionMode::Governance,
                retain_until_date: at("2026-01-10T00:00:00Z"),
            }),
            legal_hold: Some(LegalHoldStatus::On),
        };
        assert_eq!(
            lock.protection(at("2030-01-01T00:00:00Z")),
            Protection::LegalHold
        );
    }

    #[test]
    fn default_retention_needs_exactly_one_positive_period() {
        let d = |days, years| DefaultRetention {
            mode: RetentionMode::Governance,
            days,
            years,
        };
        assert_eq!(d(Some(5), None).period_days(), Some(5));
        assert_eq!(d(None, Some(1)).period_days(), Some(365));
        assert_eq!(d(Some(1), Some(1)).period_days(), None);
        assert_eq!(d(Some(0), None).period_days(), None);
        assert_eq!(d(None, None).period_days(), None);
    }

    #[test]
    fn remaining_days_round_up() {
        assert_eq!(
            remaining_days(at("2026-01-01T00:00:00Z"), at("2026-01-02T00:00:01Z")),
            2
        );
        assert_eq!(
            remaining_days(at("2026-01-03T00:00:00Z"), at("2026-01-02T00:00:00Z")),
            0
        );
    }
}

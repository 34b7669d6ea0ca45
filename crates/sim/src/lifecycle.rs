//! S3 Lifecycle configuration as data: a bucket's rules (expiration of current versions,
//! noncurrent-version expiration, removal of expired object delete markers) and the rounding S3
//! applies to their dates. The actions S3 takes on its own as the simulated clock moves run in
//! the operations' lifecycle module (`ops/lifecycle.rs`).
//!
//! S3 adds a rule's days to the time an object was created (or became noncurrent) and rounds the
//! result up to the next midnight UTC; the action happens at that midnight. The world applies,
//! before each request, every action whose midnight has passed, in time order — so a request
//! sent days later sees exactly what the midnights in between would have left. A version under
//! Object Lock retention or a legal hold is never removed: its removal waits for the first
//! midnight after the retention ends.
//!
//! A rule's `AbortIncompleteMultipartUpload` counts `DaysAfterInitiation` from the upload's
//! creation the same way, then aborts the upload.
//!
//! Follows "Managing your storage lifecycle"
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lifecycle-mgmt.html>), "Lifecycle
//! configuration elements" (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-rules.html>)
//! and "Lifecycle and other bucket configurations"
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-and-other-bucket-config.html>).

use serde::{Deserialize, Serialize};

use crate::time::Timestamp;

/// "Managing your storage lifecycle".
pub const DOC: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lifecycle-mgmt.html";
/// "Lifecycle configuration elements" (the rounding to midnight UTC is described here).
pub const DOC_ELEMENTS: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-rules.html";
/// "Lifecycle and other bucket configurations" (MFA Delete, Object Lock).
pub const DOC_OTHER_CONFIG: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-and-other-bucket-config.html";

/// Seconds in a day.
pub const DAY: u64 = 86_400;

/// A bucket's lifecycle configuration (`PutBucketLifecycleConfiguration`'s body).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct LifecycleConfiguration {
    /// The rules (1 to 1,000).
    pub rules: Vec<LifecycleRule>,
}

/// `Enabled` or `Disabled`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RuleStatus {
    /// S3 applies the rule.
    Enabled,
    /// S3 ignores the rule.
    Disabled,
}

/// Which objects a rule applies to.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct LifecycleFilter {
    /// The key prefix (empty: every object).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
}

/// The `Expiration` action: current versions expire after `Days` or on `Date`; or expired
/// object delete markers are removed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct Expiration {
    /// Days after creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<i64>,
    /// A date (midnight UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Timestamp>,
    /// Remove a delete marker that has no noncurrent versions left.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expired_object_delete_marker: Option<bool>,
}

/// The `NoncurrentVersionExpiration` action.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct NoncurrentVersionExpiration {
    /// Days after the version became noncurrent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub noncurrent_days: Option<i64>,
    /// How many of the newest noncurrent versions to keep whatever their age.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub newer_noncurrent_versions: Option<i64>,
}

/// One lifecycle rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct LifecycleRule {
    /// The rule's id (unique in the configuration).
    #[serde(rename = "ID", default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Whether S3 applies it.
    pub status: RuleStatus,
    /// Which objects it covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<LifecycleFilter>,
    /// The legacy top-level prefix.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// Expiration of current versions (or of expired delete markers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration: Option<Expiration>,
    /// Expiration of noncurrent versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub noncurrent_version_expiration: Option<NoncurrentVersionExpiration>,
    /// Storage-class transitions: kept as written; the playground does not model storage classes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transitions: Option<serde_json::Value>,
    /// Noncurrent transitions: kept as written, not modelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub noncurrent_version_transitions: Option<serde_json::Value>,
    /// Aborting incomplete multipart uploads (`{"DaysAfterInitiation": N}`), kept as written;
    /// [`LifecycleRule::abort_after_days`] reads it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abort_incomplete_multipart_upload: Option<serde_json::Value>,
}

impl LifecycleRule {
    /// The rule's name in the trace.
    pub fn label(&self, index: usize) -> String {
        self.id
            .clone()
            .unwrap_or_else(|| format!("#{}", index.saturating_add(1)))
    }

    /// The prefix the rule covers.
    pub fn key_prefix(&self) -> &str {
        self.filter
            .as_ref()
            .and_then(|f| f.prefix.as_deref())
            .or(self.prefix.as_deref())
            .unwrap_or("")
    }

    /// `AbortIncompleteMultipartUpload`'s `DaysAfterInitiation`, as written (`None` when the rule
    /// has no such action or the value is not an integer).
    pub fn abort_after_days(&self) -> Option<i64> {
        self.abort_incomplete_multipart_upload
            .as_ref()?
            .get("DaysAfterInitiation")?
            .as_i64()
    }

    /// True when the rule has at least one action.
    pub fn has_action(&self) -> bool {
        self.expiration.is_some()
            || self.noncurrent_version_expiration.is_some()
            || self.transitions.is_some()
            || self.noncurrent_version_transitions.is_some()
            || self.abort_incomplete_multipart_upload.is_some()
    }
}

/// The first midnight UTC strictly after `t`: where S3 rounds `creation + days`.
pub fn next_midnight(t: Timestamp) -> Timestamp {
    Timestamp(
        (t.epoch_seconds() / DAY)
            .saturating_add(1)
            .saturating_mul(DAY),
    )
}

/// The first midnight UTC at or after `t`.
pub fn midnight_at_or_after(t: Timestamp) -> Timestamp {
    if t.epoch_seconds().is_multiple_of(DAY) {
        t
    } else {
        next_midnight(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creation_plus_days_rounds_up_to_the_next_midnight() {
        // AWS's example: created 2014-01-15 10:30 UTC, 3 days → expires 2014-01-19 00:00 UTC.
        let created = Timestamp::parse("2014-01-15T10:30:00Z").unwrap();
        assert_eq!(
            next_midnight(created.plus_days(3)).to_string(),
            "2014-01-19T00:00:00Z"
        );
    }
}

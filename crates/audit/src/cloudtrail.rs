//! CloudTrail for S3: which calls are management or data events, which trails record them, and
//! the JSON record each trail writes, with AWS's fields in AWS's order.
//!
//! Follows CloudTrail UG "CloudTrail record contents"
//! (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html>),
//! "userIdentity element", "Logging data events"
//! (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html>)
//! and S3 UG "Logging Amazon S3 API calls using AWS CloudTrail" / "CloudTrail log file entries for
//! Amazon S3". Anonymous callers appear as `{"type": "AWSAccount", "principalId": "",
//! "accountId": "anonymous"}` \[OBS: published real records\].

mod record;

pub use self::record::{CloudTrailRecord, TrailLogFile, log_file_body, record_event};

use crate::request::{EventCategory, HandledRequest};

/// The `eventVersion` written (the version of AWS's examples for S3 data events; newer records
/// show `1.10`, which adds no field this crate writes).
pub const EVENT_VERSION: &str = "1.09";

/// Presentation details that changed over time in AWS's own records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RecordStyle {
    /// `eventVersion`.
    pub event_version: &'static str,
    /// Whether S3 events show the user agent in square brackets (`[aws-cli/2.18.5]`), as
    /// current AWS examples and published records do.
    pub bracket_user_agent: bool,
}

impl Default for RecordStyle {
    /// The semantics reference's example (§8.4): `1.09`, user agent as sent.
    fn default() -> Self {
        RecordStyle {
            event_version: EVENT_VERSION,
            bracket_user_agent: false,
        }
    }
}

impl RecordStyle {
    /// Today's records: `1.11` and bracketed S3 user agents (S3 UG CloudTrail examples of
    /// November 2024; published real records of 2024–2025 show `1.10`/`1.11` and brackets).
    pub fn current() -> Self {
        RecordStyle {
            event_version: "1.11",
            bracket_user_agent: true,
        }
    }
}

/// Which calls a selector takes: `ReadWriteType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ReadWriteType {
    /// Reads and writes.
    #[default]
    All,
    /// Reads only.
    ReadOnly,
    /// Writes only.
    WriteOnly,
}

impl ReadWriteType {
    fn takes(self, read_only: bool) -> bool {
        match self {
            ReadWriteType::All => true,
            ReadWriteType::ReadOnly => read_only,
            ReadWriteType::WriteOnly => !read_only,
        }
    }
}

/// The objects an S3 data event selector covers (`DataResources` of type `AWS::S3::Object`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DataScope {
    /// Every bucket (`arn:aws:s3`, written `arn:aws:s3:::` in older consoles).
    AllBuckets,
    /// Every object in one bucket (`arn:aws:s3:::bucket/`).
    Bucket(String),
    /// Objects whose key starts with a prefix (`arn:aws:s3:::bucket/prefix`).
    Prefix {
        /// The bucket.
        bucket: String,
        /// The key prefix.
        prefix: String,
    },
}

impl DataScope {
    /// Reads a basic event selector value: `arn:aws:s3`, `arn:aws:s3:::bucket/`,
    /// `arn:aws:s3:::bucket/prefix`.
    pub fn from_value(value: &str) -> Result<Self, String> {
        if value == "arn:aws:s3" || value == "arn:aws:s3:::" {
            return Ok(DataScope::AllBuckets);
        }
        let rest = value.strip_prefix("arn:aws:s3:::").ok_or_else(|| {
            format!("invalid data resource `{value}`: expected `arn:aws:s3` or `arn:aws:s3:::bucket/prefix`")
        })?;
        match rest.split_once('/') {
            Some((bucket, "")) if !bucket.is_empty() => Ok(DataScope::Bucket(bucket.to_owned())),
            Some((bucket, prefix)) if !bucket.is_empty() => Ok(DataScope::Prefix {
                bucket: bucket.to_owned(),
                prefix: prefix.to_owned(),
            }),
            _ => Err(format!(
                "invalid data resource `{value}`: a bucket value ends with `/` (`arn:aws:s3:::{rest}/` for the whole bucket)"
            )),
        }
    }

    /// The selector value AWS shows for this scope.
    pub fn value(&self) -> String {
        match self {
            DataScope::AllBuckets => "arn:aws:s3".to_owned(),
            DataScope::Bucket(b) => format!("arn:aws:s3:::{b}/"),
            DataScope::Prefix { bucket, prefix } => format!("arn:aws:s3:::{bucket}/{prefix}"),
        }
    }

    fn covers(&self, bucket: Option<&str>, key: Option<&str>) -> bool {
        match self {
            DataScope::AllBuckets => true,
            DataScope::Bucket(b) => bucket == Some(b.as_str()),
            DataScope::Prefix { bucket: b, prefix } => {
                bucket == Some(b.as_str()) && key.is_some_and(|k| k.starts_with(prefix.as_str()))
            }
        }
    }
}

/// One S3 data event selector.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DataSelector {
    /// Reads, writes or both.
    pub read_write: ReadWriteType,
    /// Which objects.
    pub scope: DataScope,
}

/// A trail: what it records and where it delivers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trail {
    /// The trail's name.
    pub name: String,
    /// The account that owns the trail (it records that account's copy of each event).
    pub account_id: String,
    /// The Region the trail was created in.
    pub home_region: String,
    /// Whether it records events from every Region.
    pub multi_region: bool,
    /// The bucket it delivers log files to.
    pub s3_bucket: String,
    /// `S3KeyPrefix`: put before `AWSLogs/` in log file keys.
    pub s3_key_prefix: Option<String>,
    /// Management events: `None` when excluded, else which (read/write).
    pub management_events: Option<ReadWriteType>,
    /// S3 data event selectors (none: no data events, the default).
    pub data_selectors: Vec<DataSelector>,
    /// "Exclude AWS KMS events" from management events (`ExcludeManagementEventSources`).
    pub exclude_kms_events: bool,
    /// Advanced event selectors. When set they replace the management settings and the basic
    /// data selectors, as on AWS (a trail uses one kind or the other).
    pub advanced_selectors: Option<Vec<AdvancedEventSelector>>,
}

impl Trail {
    /// A trail that records all management events and no data events (the console default).
    pub fn new(name: &str, account_id: &str, home_region: &str, s3_bucket: &str) -> Self {
        Trail {
            name: name.to_owned(),
            account_id: account_id.to_owned(),
            home_region: home_region.to_owned(),
            multi_region: true,
            s3_bucket: s3_bucket.to_owned(),
            s3_key_prefix: None,
            management_events: Some(ReadWriteType::All),
            data_selectors: Vec::new(),
            exclude_kms_events: false,
            advanced_selectors: None,
        }
    }

    /// Adds a data event selector.
    #[must_use]
    pub fn with_data_selector(mut self, read_write: ReadWriteType, scope: DataScope) -> Self {
        self.data_selectors.push(DataSelector { read_write, scope });
        self
    }

    /// Whether this trail records `recipient_account`'s copy of the event, with the reason.
    pub fn decide(&self, req: &HandledRequest, recipient_account: &str) -> TrailDecision {
        let no = |reason: String| TrailDecision {
            records: false,
            reason,
        };
        if self.account_id != recipient_account {
            return no(format!(
                "trail `{}` belongs to account `{}`, not to `{recipient_account}`",
                self.name, self.account_id
            ));
        }
        if !self.multi_region && req.region != self.home_region {
            return no(format!(
                "trail `{}` is a single-Region trail in `{}`; the event happened in `{}`",
                self.name, self.home_region, req.region
            ));
        }
        let rw = if req.read_only { "read" } else { "write" };
        if let Some(selectors) = &self.advanced_selectors {
            return match selectors.iter().find(|s| s.matches(req)) {
                Some(s) => TrailDecision {
                    records: true,
                    reason: format!(
                        "advanced event selector `{}` of trail `{}` matches",
                        s.name.as_deref().unwrap_or("(unnamed)"),
                        self.name
                    ),
                },
                None => no(format!(
                    "no advanced event selector of trail `{}` matches `{}` ({})",
                    self.name,
                    req.api_name,
                    req.event_category.as_str()
                )),
            };
        }
        if self.exclude_kms_events && req.event_source == "kms.amazonaws.com" {
            return no(format!("trail `{}` excludes AWS KMS events", self.name));
        }
        match req.event_category {
            EventCategory::Management => match self.management_events {
                None => no(format!(
                    "trail `{}` does not record management events",
                    self.name
                )),
                Some(t) if !t.takes(req.read_only) => no(format!(
                    "trail `{}` records only {} management events; `{}` is a {rw}",
                    self.name,
                    rw_name(t),
                    req.api_name
                )),
                Some(_) => TrailDecision {
                    records: true,
                    reason: format!("trail `{}` records {rw} management events", self.name),
                },
            },
            EventCategory::Data => {
                if self.data_selectors.is_empty() {
                    return no(format!(
                        "trail `{}` has no data event selector: object-level calls like `{}` are not recorded unless data events are enabled",
                        self.name, req.api_name
                    ));
                }
                let hit = self.data_selectors.iter().find(|s| {
                    s.read_write.takes(req.read_only)
                        && s.scope.covers(req.bucket.as_deref(), req.key.as_deref())
                });
                match hit {
                    Some(s) => TrailDecision {
                        records: true,
                        reason: format!(
                            "trail `{}` selects {rw} data events on `{}`",
                            self.name,
                            s.scope.value()
                        ),
                    },
                    None => no(format!(
                        "no data event selector of trail `{}` covers this {rw} of `{}`",
                        self.name,
                        object_arn(req)
                    )),
                }
            }
        }
    }
}

fn rw_name(t: ReadWriteType) -> &'static str {
    match t {
        ReadWriteType::All => "read and write",
        ReadWriteType::ReadOnly => "read",
        ReadWriteType::WriteOnly => "write",
    }
}

fn object_arn(req: &HandledRequest) -> String {
    match (&req.bucket, &req.key) {
        (Some(b), Some(k)) => format!("arn:aws:s3:::{b}/{k}"),
        (Some(b), None) => format!("arn:aws:s3:::{b}"),
        _ => "arn:aws:s3:::".to_owned(),
    }
}

/// Whether one trail records an event, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrailDecision {
    /// Whether the event is recorded.
    pub records: bool,
    /// The reason, for the learner.
    pub reason: String,
}

// Authentication failures never reach CloudTrail (S3 UG "Logging options for Amazon S3"
// comparison table); the playground recognises them by error code [SIM].
const AUTHENTICATION_FAILURES: &[&str] = &[
    "SignatureDoesNotMatch",
    "InvalidAccessKeyId",
    "InvalidToken",
    "ExpiredToken",
    "TokenRefreshRequired",
    "AuthorizationHeaderMalformed",
    "AuthorizationQueryParametersError",
];

/// The accounts that receive a copy of the event: the requester's account and the bucket
/// owner's (S3 delivers object-level events to both; the playground does the same for bucket
/// management events \[SIM\]). Empty when the request failed authentication or was a Lifecycle
/// action: CloudTrail records neither.
pub fn recipients(req: &HandledRequest) -> Vec<String> {
    if req
        .error_code
        .as_deref()
        .is_some_and(|c| AUTHENTICATION_FAILURES.contains(&c))
    {
        return Vec::new();
    }
    // Lifecycle actions run on internal endpoints CloudTrail does not see
    if req
        .operation
        .as_deref()
        .is_some_and(crate::operation::is_internal_operation)
    {
        return Vec::new();
    }
    let mut out = Vec::new();
    if let Some(a) = req.requester_account() {
        out.push(a.to_owned());
    }
    if let Some(owner) = &req.bucket_owner_account_id
        && !out.contains(owner)
    {
        out.push(owner.clone());
    }
    out
}

/// One advanced event selector: it matches an event when every field selector does
/// (CloudTrail UG "Logging data events", advanced event selectors;
/// <https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_AdvancedFieldSelector.html>).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AdvancedEventSelector {
    /// The selector's name (shown in traces).
    pub name: Option<String>,
    /// Conditions, all of which must hold.
    pub field_selectors: Vec<AdvancedFieldSelector>,
}

/// A condition on one event field. Each non-empty operator must hold: `equals`, `starts_with`
/// and `ends_with` need one of their values to match, the `not_…` ones need none to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AdvancedFieldSelector {
    /// `eventCategory`, `resources.type`, `resources.ARN`, `readOnly`, `eventName`, `eventSource`.
    pub field: String,
    /// `Equals`.
    pub equals: Vec<String>,
    /// `StartsWith`.
    pub starts_with: Vec<String>,
    /// `EndsWith`.
    pub ends_with: Vec<String>,
    /// `NotEquals`.
    pub not_equals: Vec<String>,
    /// `NotStartsWith`.
    pub not_starts_with: Vec<String>,
    /// `NotEndsWith`.
    pub not_ends_with: Vec<String>,
}

impl AdvancedFieldSelector {
    /// `field Equals values`.
    pub fn equals(field: &str, values: &[&str]) -> Self {
        AdvancedFieldSelector {
            field: field.to_owned(),
            equals: values.iter().map(|v| (*v).to_owned()).collect(),
            ..Default::default()
        }
    }

    /// `field StartsWith values`.
    pub fn starts_with(field: &str, values: &[&str]) -> Self {
        AdvancedFieldSelector {
            field: field.to_owned(),
            starts_with: values.iter().map(|v| (*v).to_owned()).collect(),
            ..Default::default()
        }
    }

    fn holds(&self, values: &[String]) -> bool {
        let any = |ops: &[String], f: &dyn Fn(&str, &str) -> bool| {
            ops.is_empty() || values.iter().any(|v| ops.iter().any(|o| f(v, o)))
        };
        let none = |ops: &[String], f: &dyn Fn(&str, &str) -> bool| {
            !values.iter().any(|v| ops.iter().any(|o| f(v, o)))
        };
        any(&self.equals, &|v, o| v == o)
            && any(&self.starts_with, &|v, o| v.starts_with(o))
            && any(&self.ends_with, &|v, o| v.ends_with(o))
            && none(&self.not_equals, &|v, o| v == o)
            && none(&self.not_starts_with, &|v, o| v.starts_with(o))
            && none(&self.not_ends_with, &|v, o| v.ends_with(o))
    }
}

impl AdvancedEventSelector {
    /// A named selector with the given conditions.
    pub fn new(name: &str, field_selectors: Vec<AdvancedFieldSelector>) -> Self {
        AdvancedEventSelector {
            name: Some(name.to_owned()),
            field_selectors,
        }
    }

    /// Whether the event satisfies every condition.
    pub fn matches(&self, req: &HandledRequest) -> bool {
        self.field_selectors
            .iter()
            .all(|f| f.holds(&event_field(req, &f.field)))
    }
}

/// The values an event has for an advanced-selector field (several for `resources.*`).
fn event_field(req: &HandledRequest, field: &str) -> Vec<String> {
    match field {
        "eventCategory" => vec![req.event_category.as_str().to_owned()],
        "readOnly" => vec![req.read_only.to_string()],
        "eventName" => vec![req.api_name.clone()],
        "eventSource" => vec![req.event_source.clone()],
        "resources.type" => match req.event_category {
            // S3 data events carry the object type the selector names
            EventCategory::Data if req.event_source == "s3.amazonaws.com" => {
                vec!["AWS::S3::Object".to_owned()]
            }
            _ => req
                .resources
                .iter()
                .map(|r| r.resource_type.clone())
                .collect(),
        },
        "resources.ARN" => match (&req.bucket, &req.key) {
            (Some(b), Some(k)) => vec![format!("arn:aws:s3:::{b}/{k}")],
            (Some(b), None) => vec![format!("arn:aws:s3:::{b}/")],
            _ => req.resources.iter().map(|r| r.arn.clone()).collect(),
        },
        _ => Vec::new(),
    }
}

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

use serde_json::{Map, Value, json};

use crate::request::{EventCategory, HandledRequest, IdentityType, Requester};
use crate::time::Timestamp;

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

/// The trails that record the event, each with the record it writes.
pub fn record_event<'t>(
    trails: &'t [Trail],
    req: &HandledRequest,
) -> Vec<(&'t Trail, CloudTrailRecord)> {
    let mut out = Vec::new();
    for account in recipients(req) {
        for trail in trails {
            if trail.decide(req, &account).records {
                out.push((trail, CloudTrailRecord::from_request(req, &account)));
            }
        }
    }
    out
}

/// One CloudTrail record, with the values the query language reads and the JSON AWS writes.
#[derive(Debug, Clone, PartialEq)]
pub struct CloudTrailRecord {
    /// `eventTime`.
    pub event_time: Timestamp,
    /// `eventSource`.
    pub event_source: String,
    /// `eventName`.
    pub event_name: String,
    /// `awsRegion`.
    pub aws_region: String,
    /// `userIdentity.arn` (`None` for anonymous callers).
    pub principal_arn: Option<String>,
    /// `userIdentity.accountId` (`anonymous` for anonymous callers).
    pub principal_account: String,
    /// `sourceIPAddress`.
    pub source_ip: Option<String>,
    /// `userAgent`.
    pub user_agent: Option<String>,
    /// `errorCode`.
    pub error_code: Option<String>,
    /// `errorMessage`.
    pub error_message: Option<String>,
    /// `requestParameters.bucketName`.
    pub bucket: Option<String>,
    /// `requestParameters.key`.
    pub key: Option<String>,
    /// `requestID`.
    pub request_id: String,
    /// `eventID`.
    pub event_id: String,
    /// `readOnly`.
    pub read_only: bool,
    /// `eventCategory`.
    pub event_category: EventCategory,
    /// `recipientAccountId`.
    pub recipient_account_id: String,
    /// The whole record as AWS writes it, keys in AWS's order.
    pub json: Value,
}

impl CloudTrailRecord {
    /// The record `recipient_account` receives for a handled request.
    pub fn from_request(req: &HandledRequest, recipient_account: &str) -> Self {
        Self::from_request_with(req, recipient_account, RecordStyle::default())
    }

    /// The record in a chosen [`RecordStyle`].
    pub fn from_request_with(
        req: &HandledRequest,
        recipient_account: &str,
        style: RecordStyle,
    ) -> Self {
        // one action delivered to several accounts: each copy has its own eventID and all
        // share a sharedEventID (CloudTrail UG "CloudTrail record contents"); the ids are
        // derived from the request's event id so runs stay reproducible [SIM]
        let copies = recipients(req);
        let (event_id, shared_event_id) = if copies.len() > 1 {
            let own = if copies.first().map(String::as_str) == Some(recipient_account) {
                req.event_id.clone()
            } else {
                derived_guid(&req.event_id, recipient_account)
            };
            (own, Some(derived_guid(&req.event_id, "sharedEventID")))
        } else {
            (req.event_id.clone(), None)
        };
        let mut j = Map::new();
        j.insert("eventVersion".into(), json!(style.event_version));
        j.insert("userIdentity".into(), user_identity(&req.requester));
        j.insert("eventTime".into(), json!(req.time.to_iso8601()));
        j.insert("eventSource".into(), json!(req.event_source));
        j.insert("eventName".into(), json!(req.api_name));
        j.insert("awsRegion".into(), json!(req.region));
        if let Some(ip) = &req.remote_ip {
            j.insert("sourceIPAddress".into(), json!(ip));
        }
        if let Some(ua) = &req.user_agent {
            let ua = if style.bracket_user_agent && req.event_source == "s3.amazonaws.com" {
                format!("[{ua}]")
            } else {
                ua.clone()
            };
            j.insert("userAgent".into(), json!(ua));
        }
        if let Some(code) = &req.error_code {
            j.insert("errorCode".into(), json!(code));
            j.insert(
                "errorMessage".into(),
                json!(req.error_message.clone().unwrap_or_default()),
            );
        }
        let mut params = Map::new();
        if let Some(b) = &req.bucket {
            params.insert("bucketName".into(), json!(b));
        }
        if let Some(h) = &req.host_header {
            params.insert("Host".into(), json!(h));
        }
        if let Some(k) = &req.key {
            params.insert("key".into(), json!(k));
        }
        for (k, v) in &req.request_parameters {
            params.insert(k.clone(), v.clone());
        }
        j.insert("requestParameters".into(), Value::Object(params));
        j.insert(
            "responseElements".into(),
            req.response_elements
                .clone()
                .map_or(Value::Null, Value::Object),
        );
        j.insert(
            "additionalEventData".into(),
            Value::Object(additional_event_data(req)),
        );
        j.insert("requestID".into(), json!(req.request_id));
        j.insert("eventID".into(), json!(event_id));
        j.insert("readOnly".into(), json!(req.read_only));
        j.insert("resources".into(), Value::Array(resources(req)));
        j.insert("eventType".into(), json!("AwsApiCall"));
        j.insert(
            "managementEvent".into(),
            json!(req.event_category == EventCategory::Management),
        );
        j.insert("recipientAccountId".into(), json!(recipient_account));
        if let Some(shared) = &shared_event_id {
            j.insert("sharedEventID".into(), json!(shared));
        }
        if let Some(v) = &req.vpc_endpoint_id {
            j.insert("vpcEndpointId".into(), json!(v));
        }
        j.insert("eventCategory".into(), json!(req.event_category.as_str()));
        if let Some(tls) = &req.tls_version {
            let mut t = Map::new();
            t.insert("tlsVersion".into(), json!(tls));
            if let Some(c) = &req.cipher_suite {
                t.insert("cipherSuite".into(), json!(c));
            }
            if let Some(h) = &req.host_header {
                t.insert("clientProvidedHostHeader".into(), json!(h));
            }
            j.insert("tlsDetails".into(), Value::Object(t));
        }
        let (principal_arn, principal_account) = match &req.requester {
            Requester::Anonymous => (None, "anonymous".to_owned()),
            Requester::Principal(p) => (Some(p.arn.clone()), p.account_id.clone()),
        };
        CloudTrailRecord {
            event_time: req.time,
            event_source: req.event_source.clone(),
            event_name: req.api_name.clone(),
            aws_region: req.region.clone(),
            principal_arn,
            principal_account,
            source_ip: req.remote_ip.clone(),
            user_agent: req.user_agent.clone(),
            error_code: req.error_code.clone(),
            error_message: req.error_message.clone(),
            bucket: req.bucket.clone(),
            key: req.key.clone(),
            request_id: req.request_id.clone(),
            event_id,
            read_only: req.read_only,
            event_category: req.event_category,
            recipient_account_id: recipient_account.to_owned(),
            json: Value::Object(j),
        }
    }

    /// The record as pretty-printed JSON (keys in AWS's order).
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(&self.json).unwrap_or_default()
    }
}

fn user_identity(requester: &Requester) -> Value {
    let mut u = Map::new();
    match requester {
        Requester::Anonymous => {
            u.insert("type".into(), json!("AWSAccount"));
            u.insert("principalId".into(), json!(""));
            u.insert("accountId".into(), json!("anonymous"));
        }
        Requester::Principal(p) if p.identity_type == IdentityType::AwsService => {
            u.insert("type".into(), json!("AWSService"));
            u.insert(
                "invokedBy".into(),
                json!(p.invoked_by.clone().unwrap_or_else(|| p.arn.clone())),
            );
        }
        Requester::Principal(p) => {
            u.insert("type".into(), json!(p.identity_type.as_str()));
            u.insert("principalId".into(), json!(p.principal_id));
            u.insert("arn".into(), json!(p.arn));
            u.insert("accountId".into(), json!(p.account_id));
            if let Some(k) = &p.access_key_id {
                u.insert("accessKeyId".into(), json!(k));
            }
            if let Some(n) = &p.user_name {
                u.insert("userName".into(), json!(n));
            }
            if let Some(s) = &p.session {
                let mut ctx = Map::new();
                if let Some(i) = &s.session_issuer {
                    ctx.insert(
                        "sessionIssuer".into(),
                        json!({
                            "type": i.issuer_type,
                            "principalId": i.principal_id,
                            "arn": i.arn,
                            "accountId": i.account_id,
                            "userName": i.user_name,
                        }),
                    );
                }
                ctx.insert(
                    "attributes".into(),
                    json!({
                        "creationDate": s.creation_date.to_iso8601(),
                        "mfaAuthenticated": if s.mfa_authenticated { "true" } else { "false" },
                    }),
                );
                u.insert("sessionContext".into(), Value::Object(ctx));
            }
            if let Some(by) = &p.invoked_by {
                u.insert("invokedBy".into(), json!(by));
            }
        }
    }
    Value::Object(u)
}

fn additional_event_data(req: &HandledRequest) -> Map<String, Value> {
    let mut a = Map::new();
    if let Some(s) = req.signature_version {
        a.insert("SignatureVersion".into(), json!(s.as_str()));
    }
    if let Some(c) = &req.cipher_suite {
        a.insert("CipherSuite".into(), json!(c));
    }
    a.insert("bytesTransferredIn".into(), json!(req.bytes_received));
    if let Some(s) = &req.sse_applied {
        a.insert("SSEApplied".into(), json!(s));
    }
    if let Some(m) = req.authentication_type {
        a.insert("AuthenticationMethod".into(), json!(m.as_str()));
    }
    if let Some(h) = &req.host_id {
        a.insert("x-amz-id-2".into(), json!(h));
    }
    if req.acl_required {
        a.insert("aclRequired".into(), json!("Yes"));
    }
    a.insert("bytesTransferredOut".into(), json!(req.bytes_sent));
    for (k, v) in &req.additional_event_data {
        a.insert(k.clone(), v.clone());
    }
    a
}

fn resources(req: &HandledRequest) -> Vec<Value> {
    if !req.resources.is_empty() {
        return req
            .resources
            .iter()
            .map(|r| {
                let mut m = Map::new();
                if let Some(a) = &r.account_id {
                    m.insert("accountId".into(), json!(a));
                }
                m.insert("type".into(), json!(r.resource_type));
                m.insert("ARN".into(), json!(r.arn));
                Value::Object(m)
            })
            .collect();
    }
    let mut out = Vec::new();
    if let (Some(b), Some(k)) = (&req.bucket, &req.key) {
        out.push(json!({"type": "AWS::S3::Object", "ARN": format!("arn:aws:s3:::{b}/{k}")}));
    }
    if let Some(b) = &req.bucket {
        let mut m = Map::new();
        if let Some(a) = &req.bucket_owner_account_id {
            m.insert("accountId".into(), json!(a));
        }
        m.insert("type".into(), json!("AWS::S3::Bucket"));
        m.insert("ARN".into(), json!(format!("arn:aws:s3:::{b}")));
        out.push(Value::Object(m));
    }
    out
}

impl Trail {
    /// The trail's ARN, `arn:aws:cloudtrail:REGION:ACCOUNT:trail/NAME` (the `aws:SourceArn` its
    /// bucket policy checks).
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:cloudtrail:{}:{}:trail/{}",
            self.home_region, self.account_id, self.name
        )
    }

    /// The key of a log file: `[prefix/]AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/`
    /// `ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_UNIQUE.json.gz` (CloudTrail UG "Finding your
    /// CloudTrail log files"), for events of `region` delivered at `at`.
    pub fn log_file_key(&self, account: &str, region: &str, at: Timestamp, unique: &str) -> String {
        let c = at.civil();
        let prefix = self
            .s3_key_prefix
            .as_deref()
            .filter(|p| !p.is_empty())
            .map(|p| format!("{}/", p.trim_end_matches('/')))
            .unwrap_or_default();
        format!(
            "{prefix}AWSLogs/{account}/CloudTrail/{region}/{:04}/{:02}/{:02}/{account}_CloudTrail_{region}_{:04}{:02}{:02}T{:02}{:02}Z_{unique}.json.gz",
            c.year, c.month, c.day, c.year, c.month, c.day, c.hour, c.minute
        )
    }
}

/// One CloudTrail log file, ready to be written into the trail's bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrailLogFile {
    /// The trail that wrote it.
    pub trail: String,
    /// The trail's bucket.
    pub bucket: String,
    /// The object key (see [`Trail::log_file_key`]).
    pub key: String,
    /// `{"Records":[…]}`. Real files are gzip-compressed; the playground stores the JSON text
    /// as is so the learner can read it \[SIM\].
    pub body: String,
    /// How many records the file holds.
    pub record_count: usize,
}

/// Writes records as a log file body, `{"Records":[…]}`, in order.
pub fn log_file_body(records: &[&CloudTrailRecord]) -> String {
    let records: Vec<Value> = records.iter().map(|r| r.json.clone()).collect();
    let mut m = Map::new();
    m.insert("Records".into(), Value::Array(records));
    serde_json::to_string(&Value::Object(m)).unwrap_or_default()
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

/// A GUID-shaped id (`8-4-4-4-12` hex) that is a pure function of its inputs (FNV-1a then
/// splitmix64), standing in for the GUIDs CloudTrail draws.
fn derived_guid(base: &str, salt: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in base.bytes().chain([0u8]).chain(salt.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    let mix = |mut z: u64| {
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let a = mix(h);
    let b = mix(h ^ 0x9e37_79b9_7f4a_7c15);
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xffff,
        b >> 48,
        b & 0xffff_ffff_ffff
    )
}

//! CloudTrail's records: the JSON event S3 (or KMS) writes for a request a trail records — the
//! user identity, the request parameters, the resources, the additional event data — and the log
//! files a trail delivers.
//!
//! Follows "CloudTrail record contents"
//! (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html>)
//! and "CloudTrail log file examples"
//! (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html>).

use serde_json::{Map, Value, json};

use super::{RecordStyle, Trail, recipients};
use crate::request::{EventCategory, HandledRequest, IdentityType, Requester};
use crate::time::Timestamp;

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

pub(super) fn user_identity(requester: &Requester) -> Value {
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

pub(super) fn additional_event_data(req: &HandledRequest) -> Map<String, Value> {
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

pub(super) fn resources(req: &HandledRequest) -> Vec<Value> {
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

/// A GUID-shaped id (`8-4-4-4-12` hex) that is a pure function of its inputs (FNV-1a then
/// splitmix64), standing in for the GUIDs CloudTrail draws.
pub(super) fn derived_guid(base: &str, salt: &str) -> String {
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

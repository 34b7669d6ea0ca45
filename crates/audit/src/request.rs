//! What the world tells the audit layer about one request it handled.
//!
//! [`HandledRequest`] carries everything both audit trails need: the fields of a server access
//! log record (S3 UG "Amazon S3 server access log format",
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html>) and the extra fields
//! of a CloudTrail record (CloudTrail UG "CloudTrail record contents" and "userIdentity element",
//! <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html>).
//! Ids and times are inputs: this crate has no clock and no random source.

use serde_json::{Map, Value};

use crate::time::Timestamp;

/// How the request was signed (access-log field 20, CloudTrail `additionalEventData.SignatureVersion`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignatureVersion {
    /// Signature Version 2 (legacy).
    SigV2,
    /// Signature Version 4.
    SigV4,
}

impl SignatureVersion {
    /// The text AWS writes: `SigV2` or `SigV4`.
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureVersion::SigV2 => "SigV2",
            SignatureVersion::SigV4 => "SigV4",
        }
    }
}

/// Where the credentials travelled (access-log field 22, CloudTrail
/// `additionalEventData.AuthenticationMethod`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuthenticationType {
    /// The `Authorization` header.
    AuthHeader,
    /// The query string (a presigned URL).
    QueryString,
}

impl AuthenticationType {
    /// The text AWS writes: `AuthHeader` or `QueryString`.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthenticationType::AuthHeader => "AuthHeader",
            AuthenticationType::QueryString => "QueryString",
        }
    }
}

/// CloudTrail `userIdentity.type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdentityType {
    /// The account's root user.
    Root,
    /// An IAM user.
    IamUser,
    /// Temporary credentials from `AssumeRole` (the session of a role).
    AssumedRole,
    /// Temporary credentials from `GetFederationToken`.
    FederatedUser,
    /// Another AWS account (also how anonymous S3 callers appear).
    AwsAccount,
    /// An AWS service acting on its own (e.g. `logging.s3.amazonaws.com`).
    AwsService,
}

impl IdentityType {
    /// The text CloudTrail writes (`IAMUser`, `AssumedRole`, `AWSAccount`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            IdentityType::Root => "Root",
            IdentityType::IamUser => "IAMUser",
            IdentityType::AssumedRole => "AssumedRole",
            IdentityType::FederatedUser => "FederatedUser",
            IdentityType::AwsAccount => "AWSAccount",
            IdentityType::AwsService => "AWSService",
        }
    }
}

/// The role (or user) whose temporary credentials made the call (`sessionContext.sessionIssuer`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionIssuer {
    /// `Role` or `Root`/`IAMUser`.
    pub issuer_type: String,
    /// The issuer's principal id.
    pub principal_id: String,
    /// The issuer's ARN.
    pub arn: String,
    /// The issuer's account.
    pub account_id: String,
    /// The issuer's friendly name.
    pub user_name: String,
}

/// `userIdentity.sessionContext`: present for temporary credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionContext {
    /// Who issued the session, when known.
    pub session_issuer: Option<SessionIssuer>,
    /// When the credentials were issued.
    pub creation_date: Timestamp,
    /// Whether the session was authenticated with MFA.
    pub mfa_authenticated: bool,
}

/// An authenticated caller, as CloudTrail's `userIdentity` describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalInfo {
    /// `userIdentity.type`.
    pub identity_type: IdentityType,
    /// `userIdentity.principalId` (`AIDA…` for users, `AROA…:session` for role sessions).
    pub principal_id: String,
    /// The caller's ARN.
    pub arn: String,
    /// The caller's account.
    pub account_id: String,
    /// The access key that signed the request.
    pub access_key_id: Option<String>,
    /// The friendly name, for IAM users and the root user.
    pub user_name: Option<String>,
    /// The account's canonical user id; the access log prints it for the root user.
    pub canonical_id: Option<String>,
    /// The session, for temporary credentials.
    pub session: Option<SessionContext>,
    /// `userIdentity.invokedBy`, when a service made the call for the caller.
    pub invoked_by: Option<String>,
}

/// The access log's Requester for the actions S3 Lifecycle takes on its own.
pub const LIFECYCLE_REQUESTER: &str = "AmazonS3";

/// The `http_status` of a record with no HTTP exchange behind it (an action S3 Lifecycle took
/// on its own): the access log prints it as `-`.
pub const NO_HTTP_STATUS: u16 = 0;

/// Who made the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requester {
    /// An unsigned request: `-` in the access log, `AWSAccount`/`anonymous` in CloudTrail.
    Anonymous,
    /// A signed request.
    Principal(Box<PrincipalInfo>),
}

impl Requester {
    /// The access log's Requester field: the IAM ARN for IAM callers, the canonical id for the
    /// root user (when known), `None` (printed `-`) for anonymous callers.
    pub fn access_log_form(&self) -> Option<String> {
        match self {
            Requester::Anonymous => None,
            Requester::Principal(p) => match (p.identity_type, &p.canonical_id) {
                (IdentityType::Root, Some(c)) => Some(c.clone()),
                _ => Some(p.arn.clone()),
            },
        }
    }
}

/// Control plane or data plane (CloudTrail `eventCategory`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventCategory {
    /// Bucket and account configuration (`PutBucketPolicy`, `CreateBucket`, …).
    Management,
    /// Object-level calls (`GetObject`, `PutObject`, …), recorded only when a trail asks.
    Data,
}

impl EventCategory {
    /// `Management` or `Data`.
    pub fn as_str(self) -> &'static str {
        match self {
            EventCategory::Management => "Management",
            EventCategory::Data => "Data",
        }
    }
}

/// One entry of CloudTrail's `resources` array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrailResource {
    /// `AWS::S3::Object`, `AWS::S3::Bucket`, `AWS::KMS::Key`, …
    pub resource_type: String,
    /// The resource ARN.
    pub arn: String,
    /// The owning account, when CloudTrail shows it (buckets; not objects).
    pub account_id: Option<String>,
}

/// One request as the world handled it: the single input to both audit trails.
///
/// Build it with [`HandledRequest::new`] and set what you know; every field left empty prints
/// as `-` in the access log and is omitted (or `null`) in CloudTrail as AWS does.
#[derive(Debug, Clone, PartialEq)]
pub struct HandledRequest {
    /// When S3 received the request.
    pub time: Timestamp,
    /// The bucket's Region (`awsRegion`).
    pub region: String,
    /// The bucket the request targeted (`None` for `ListBuckets`).
    pub bucket: Option<String>,
    /// Canonical user id of the bucket owner (access-log field 1).
    pub bucket_owner_canonical_id: Option<String>,
    /// Account id of the bucket owner (CloudTrail bucket resource `accountId`); for KMS calls,
    /// the key owner's account.
    pub bucket_owner_account_id: Option<String>,
    /// Who made the request.
    pub requester: Requester,
    /// The apparent client address.
    pub remote_ip: Option<String>,
    /// `x-amz-request-id`.
    pub request_id: String,
    /// `x-amz-id-2`, the extended request id.
    pub host_id: Option<String>,
    /// CloudTrail `eventID` (a GUID; an input, never generated here).
    pub event_id: String,
    /// The S3 API name (`PutObject`, `GetBucketPolicy`, …): CloudTrail `eventName`.
    pub api_name: String,
    /// The access log Operation when it is not the one [`crate::operation_for`] derives from
    /// `api_name` (e.g. `REST.COPY.OBJECT_GET`, `S3.EXPIRE.OBJECT`).
    pub operation: Option<String>,
    /// The object key, raw (not URL-encoded).
    pub key: Option<String>,
    /// The request line, e.g. `GET /bucket/key?versionId=x HTTP/1.1`.
    pub request_uri: Option<String>,
    /// HTTP status of the response.
    pub http_status: u16,
    /// S3 error code on failure (`AccessDenied`, `NoSuchKey`, …).
    pub error_code: Option<String>,
    /// The error message returned (`Access Denied`, or the enhanced denial text).
    pub error_message: Option<String>,
    /// Response body bytes sent.
    pub bytes_sent: u64,
    /// Request body bytes received (CloudTrail `bytesTransferredIn`).
    pub bytes_received: u64,
    /// Total size of the object in question.
    pub object_size: Option<u64>,
    /// Milliseconds in flight, server view (an input: the sim has no clock).
    pub total_time_ms: Option<u64>,
    /// Milliseconds from last request byte to first response byte (an input).
    pub turn_around_time_ms: Option<u64>,
    /// `Referer` header.
    pub referrer: Option<String>,
    /// `User-Agent` header.
    pub user_agent: Option<String>,
    /// Version id the request named (or created, for CloudTrail `x-amz-version-id`).
    pub version_id: Option<String>,
    /// How the request was signed (`None` when unsigned).
    pub signature_version: Option<SignatureVersion>,
    /// The TLS cipher suite (`None` for plain HTTP).
    pub cipher_suite: Option<String>,
    /// Where the signature was (`None` when unsigned).
    pub authentication_type: Option<AuthenticationType>,
    /// The `Host` header.
    pub host_header: Option<String>,
    /// The TLS version (`TLSv1.2`, `TLSv1.3`; `None` for plain HTTP).
    pub tls_version: Option<String>,
    /// The access point ARN, when the request came through one.
    pub access_point_arn: Option<String>,
    /// Whether an ACL was needed to authorize the request (`aclRequired`).
    pub acl_required: bool,
    /// VPC endpoint the request came through (CloudTrail `vpcEndpointId`).
    pub vpc_endpoint_id: Option<String>,
    /// Server-side encryption S3 applied on its own (`SSEApplied`, e.g. `Default_SSE_S3`).
    pub sse_applied: Option<String>,
    /// CloudTrail `requestParameters` beyond `bucketName`, `Host` and `key` (which are derived).
    pub request_parameters: Map<String, Value>,
    /// CloudTrail `responseElements` (`None` prints `null`, as for reads).
    pub response_elements: Option<Map<String, Value>>,
    /// More `additionalEventData` entries beyond the derived ones.
    pub additional_event_data: Map<String, Value>,
    /// CloudTrail `resources`; when empty the object and bucket entries are derived.
    pub resources: Vec<TrailResource>,
    /// Whether the call only reads (`readOnly`).
    pub read_only: bool,
    /// Management or data event.
    pub event_category: EventCategory,
    /// `s3.amazonaws.com` unless another service (`kms.amazonaws.com`) is recording.
    pub event_source: String,
}

impl HandledRequest {
    /// A request with the given identity and outcome; everything else empty.
    ///
    /// `read_only` and `event_category` are taken from [`classify`] for the
    /// API name, so `HandledRequest::new(..., "GetObject", ...)` is already a read-only data event.
    pub fn new(
        time: Timestamp,
        region: &str,
        requester: Requester,
        request_id: &str,
        event_id: &str,
        api_name: &str,
        http_status: u16,
    ) -> Self {
        let class = classify(api_name);
        HandledRequest {
            time,
            region: region.to_owned(),
            bucket: None,
            bucket_owner_canonical_id: None,
            bucket_owner_account_id: None,
            requester,
            remote_ip: None,
            request_id: request_id.to_owned(),
            host_id: None,
            event_id: event_id.to_owned(),
            api_name: api_name.to_owned(),
            operation: None,
            key: None,
            request_uri: None,
            http_status,
            error_code: None,
            error_message: None,
            bytes_sent: 0,
            bytes_received: 0,
            object_size: None,
            total_time_ms: None,
            turn_around_time_ms: None,
            referrer: None,
            user_agent: None,
            version_id: None,
            signature_version: None,
            cipher_suite: None,
            authentication_type: None,
            host_header: None,
            tls_version: None,
            access_point_arn: None,
            acl_required: false,
            vpc_endpoint_id: None,
            sse_applied: None,
            request_parameters: Map::new(),
            response_elements: None,
            additional_event_data: Map::new(),
            resources: Vec::new(),
            read_only: class.read_only,
            event_category: class.category,
            event_source: "s3.amazonaws.com".to_owned(),
        }
    }

    /// An action S3 Lifecycle took on its own: logged in the bucket's access log with the
    /// `S3.…` operation (S3 UG "Lifecycle and other bucket configurations"), never recorded by
    /// CloudTrail. The requester is S3 itself, written `AmazonS3` ([`LIFECYCLE_REQUESTER`]); no
    /// IP, signature, request line or HTTP status — no HTTP exchange took place, so the record's
    /// status is `-` ([`NO_HTTP_STATUS`]) \[OBS: AWS documents the operation names only;
    /// `AmazonS3` and the `-` fields are what published logs show\]. Chain `with_bucket` and
    /// `with_key`.
    pub fn lifecycle(
        time: Timestamp,
        region: &str,
        action: crate::operation::InternalAction,
        request_id: &str,
    ) -> Self {
        let s3 = PrincipalInfo {
            identity_type: IdentityType::AwsService,
            principal_id: LIFECYCLE_REQUESTER.to_owned(),
            arn: LIFECYCLE_REQUESTER.to_owned(),
            account_id: String::new(),
            access_key_id: None,
            user_name: None,
            canonical_id: None,
            session: None,
            invoked_by: Some("s3.amazonaws.com".to_owned()),
        };
        let mut req = HandledRequest::new(
            time,
            region,
            Requester::Principal(Box::new(s3)),
            request_id,
            "",
            "",
            NO_HTTP_STATUS,
        );
        req.operation = Some(action.operation().name.to_owned());
        req
    }

    /// Turns this into a KMS call (`GenerateDataKey`, `Decrypt`, … as `api_name`) that CloudTrail
    /// records with event source `kms.amazonaws.com`: always a management event, the key as its
    /// resource, the key owner's account as the second recipient. KMS calls never appear in S3
    /// access logs. When S3 called KMS for the requester (SSE-KMS), set the requester's
    /// `invoked_by` to the S3 service (CloudTrail UG "userIdentity element": `invokedBy`).
    #[must_use]
    pub fn for_kms(mut self, key_arn: &str, key_account_id: &str, read_only: bool) -> Self {
        self.event_source = "kms.amazonaws.com".to_owned();
        self.event_category = EventCategory::Management;
        self.read_only = read_only;
        self.operation = None;
        self.bucket = None;
        self.bucket_owner_canonical_id = None;
        self.key = None;
        self.bucket_owner_account_id = Some(key_account_id.to_owned());
        self.resources = vec![TrailResource {
            resource_type: "AWS::KMS::Key".to_owned(),
            arn: key_arn.to_owned(),
            account_id: Some(key_account_id.to_owned()),
        }];
        self
    }

    /// Sets the bucket and its owner.
    #[must_use]
    pub fn with_bucket(
        mut self,
        bucket: &str,
        owner_canonical_id: &str,
        owner_account_id: &str,
    ) -> Self {
        self.bucket = Some(bucket.to_owned());
        self.bucket_owner_canonical_id = Some(owner_canonical_id.to_owned());
        self.bucket_owner_account_id = Some(owner_account_id.to_owned());
        self
    }

    /// Sets the object key (raw).
    #[must_use]
    pub fn with_key(mut self, key: &str) -> Self {
        self.key = Some(key.to_owned());
        self
    }

    /// Sets the error code and message of a failed request.
    #[must_use]
    pub fn with_error(mut self, code: &str, message: &str) -> Self {
        self.error_code = Some(code.to_owned());
        self.error_message = Some(message.to_owned());
        self
    }

    /// The access-log Operation: the explicit one, else the one derived from the API name.
    pub fn operation_name(&self) -> Option<String> {
        self.operation
            .clone()
            .or_else(|| crate::operation::operation_for(&self.api_name).map(|o| o.name.to_owned()))
    }

    /// The account the requester belongs to (`anonymous` callers have none).
    pub fn requester_account(&self) -> Option<&str> {
        match &self.requester {
            Requester::Anonymous => None,
            Requester::Principal(p) => Some(p.account_id.as_str()),
        }
    }
}

/// How an S3 API call is classified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EventClass {
    /// Management or data event.
    pub category: EventCategory,
    /// Whether the call only reads.
    pub read_only: bool,
}

// Object-level APIs that CloudTrail records as S3 data events (S3 UG "Amazon S3 data events in
// CloudTrail"); everything else S3 does is a management event.
const DATA_EVENTS: &[&str] = &[
    "GetObject",
    "HeadObject",
    "PutObject",
    "PostObject",
    "CopyObject",
    "DeleteObject",
    "DeleteObjects",
    "GetObjectAcl",
    "PutObjectAcl",
    "GetObjectTagging",
    "PutObjectTagging",
    "DeleteObjectTagging",
    "GetObjectAttributes",
    "GetObjectRetention",
    "PutObjectRetention",
    "GetObjectLegalHold",
    "PutObjectLegalHold",
    "RestoreObject",
    "SelectObjectContent",
    "CreateMultipartUpload",
    "UploadPart",
    "UploadPartCopy",
    "CompleteMultipartUpload",
    "AbortMultipartUpload",
    "ListParts",
    "ListObjects",
    "ListObjectsV2",
    "ListObjectVersions",
    "HeadBucket",
];

/// Management or data, read or write, for an S3 API name. Reads are the `Get*`, `Head*`,
/// `List*` and `SelectObjectContent` calls.
pub fn classify(api_name: &str) -> EventClass {
    let category = if DATA_EVENTS.contains(&api_name) {
        EventCategory::Data
    } else {
        EventCategory::Management
    };
    let read_only = ["Get", "Head", "List"]
        .iter()
        .any(|p| api_name.starts_with(p))
        || api_name == "SelectObjectContent";
    EventClass {
        category,
        read_only,
    }
}

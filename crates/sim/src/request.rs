//! A request to the simulated S3: who sends it, how it is authenticated, the operation with its
//! parameters and headers, and the network it arrives over.
//!
//! The operation list follows the S3 API reference
//! (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations_Amazon_Simple_Storage_Service.html>).
//! Time is not part of the request: it is the `now` given to `World::handle`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::acl::Grant;
use crate::model::{ObjectOwnership, PublicAccessBlock};

mod fields;
mod services;
mod signing;

pub use services::{GlacierCall, KmsRequest};
pub use signing::{PostSignSpec, PresignSpec, UrlEdit};

/// Who sends the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum Caller {
    /// An unsigned request.
    Anonymous,
    /// The root user of an account, signing with its credentials.
    #[serde(rename_all = "camelCase")]
    Root {
        /// The account id.
        account: String,
    },
    /// An IAM user, signing with its access key.
    #[serde(rename_all = "camelCase")]
    User {
        /// The user name.
        name: String,
        /// The account id; may be left out when only one account has a user of that name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        account: Option<String>,
    },
    /// A session of an IAM role, signing with its temporary credentials.
    #[serde(rename_all = "camelCase")]
    RoleSession {
        /// The role name.
        role: String,
        /// The session name.
        session: String,
        /// The account id; may be left out when only one account has a role of that name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        account: Option<String>,
    },
    /// Whoever owns this access key id (an IAM user, a root user or a role session).
    #[serde(rename_all = "camelCase")]
    AccessKey {
        /// The access key id.
        id: String,
    },
}

/// How a signed request carries its signature (`s3:authType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Authentication {
    /// The `Authorization` header (`REST-HEADER`).
    #[default]
    Header,
    /// A pre-signed URL (`REST-QUERY-STRING`); see [`Operation::PresignedRequest`].
    PresignedUrl,
    /// A browser POST form (`POST`).
    PostForm,
}

impl Authentication {
    /// The value of `s3:authType`.
    pub fn auth_type(self) -> &'static str {
        match self {
            Authentication::Header => "REST-HEADER",
            Authentication::PresignedUrl => "REST-QUERY-STRING",
            Authentication::PostForm => "POST",
        }
    }
}

/// `http` or `https`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scheme {
    /// TLS (`aws:SecureTransport` = `true`).
    #[default]
    Https,
    /// Plain HTTP (`aws:SecureTransport` = `false`).
    Http,
}

/// The network facts of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Network {
    /// The scheme.
    #[serde(default)]
    pub scheme: Scheme,
    /// The caller's public IP address (`aws:SourceIp`; absent when through a VPC endpoint).
    #[serde(default = "default_ip")]
    pub source_ip: String,
    /// The VPC endpoint id the request traverses (`aws:SourceVpce`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_endpoint: Option<String>,
    /// The VPC the endpoint belongs to (`aws:SourceVpc`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc: Option<String>,
    /// The TLS version the client negotiated over HTTPS (`1.2` unless given; `s3:TlsVersion`,
    /// the access log's TLS version and cipher suite). Ignored over HTTP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_version: Option<String>,
}

impl Network {
    /// The TLS version of an HTTPS request (`1.2` by default), `None` over HTTP.
    pub fn tls(&self) -> Option<&str> {
        match self.scheme {
            Scheme::Https => Some(self.tls_version.as_deref().unwrap_or("1.2")),
            Scheme::Http => None,
        }
    }
}

fn default_ip() -> String {
    "203.0.113.10".to_owned()
}

impl Default for Network {
    fn default() -> Self {
        Network {
            scheme: Scheme::Https,
            source_ip: default_ip(),
            vpc_endpoint: None,
            vpc: None,
            tls_version: None,
        }
    }
}

/// One entry of a `DeleteObjects` request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ObjectIdentifier {
    /// The key.
    pub key: String,
    /// The version to delete permanently, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_id: Option<String>,
}

/// The requested versioning configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum VersioningStatus {
    /// Turn versioning on.
    Enabled,
    /// Suspend versioning.
    Suspended,
}

/// `Enabled` or `Disabled` for MFA Delete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MfaDeleteStatus {
    /// Turn MFA Delete on.
    Enabled,
    /// Turn MFA Delete off.
    Disabled,
}

/// An ACL given in a request body (`AccessControlPolicy`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AccessControlPolicy {
    /// The grants.
    pub grants: Vec<Grant>,
}

/// The operation and its parameters. Headers (`x-amz-acl`, `x-amz-server-side-encryption`,
/// `x-amz-mfa`, …) travel in [`Request::headers`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[expect(
    missing_docs,
    reason = "fields are the S3 API's own parameters, documented on each variant"
)]
pub enum Operation {
    /// `GET /` — list the caller's buckets (`s3:ListAllMyBuckets`).
    ListBuckets {},
    /// `PUT /bucket` (`s3:CreateBucket`).
    #[serde(rename_all = "camelCase")]
    CreateBucket {
        bucket: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        region: Option<String>,
        /// `x-amz-object-ownership`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        object_ownership: Option<ObjectOwnership>,
    },
    /// `DELETE /bucket` (`s3:DeleteBucket`).
    DeleteBucket { bucket: String },
    /// `PUT /bucket?policy` (`s3:PutBucketPolicy`).
    PutBucketPolicy {
        bucket: String,
        policy: serde_json::Value,
    },
    /// `GET /bucket?policy` (`s3:GetBucketPolicy`).
    GetBucketPolicy { bucket: String },
    /// `DELETE /bucket?policy` (`s3:DeleteBucketPolicy`).
    DeleteBucketPolicy { bucket: String },
    /// `GET /bucket?policyStatus` (`s3:GetBucketPolicyStatus`).
    GetBucketPolicyStatus { bucket: String },
    /// `PUT /bucket?acl` (`s3:PutBucketAcl`); the ACL comes from `x-amz-acl`/`x-amz-grant-*` or the body.
    #[serde(rename_all = "camelCase")]
    PutBucketAcl {
        bucket: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        access_control_policy: Option<AccessControlPolicy>,
    },
    /// `GET /bucket?acl` (`s3:GetBucketAcl`).
    GetBucketAcl { bucket: String },
    /// `PUT /bucket/key?acl` (`s3:PutObjectAcl`, or `s3:PutObjectVersionAcl` with a version id).
    #[serde(rename_all = "camelCase")]
    PutObjectAcl {
        bucket: String,
        key: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        version_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        access_control_policy: Option<AccessControlPolicy>,
    },
    /// `GET /bucket/key?acl` (`s3:GetObjectAcl`, or `s3:GetObjectVersionAcl`).
    #[serde(rename_all = "camelCase")]
    GetObjectAcl {
        bucket: String,
        key: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        version_id: Option<String>,
    },
    /// `PUT /bucket?publicAccessBlock` (`s3:PutBucketPublicAccessBlock`).
    #[serde(rename_all = "camelCase")]
    PutPublicAccessBlock {
        bucket: String,
        configuration: PublicAccessBlock,
    },
    /// `GET /bucket?publicAccessBlock` (`s3:GetBucketPublicAccessBlock`).
    GetPublicAccessBlock { bucket: String },
    /// `DELETE /bucket?publicAccessBlock` (`s3:PutBucketPublicAccessBlock`).
    DeletePublicAccessBlock { bucket: String },
    /// s3control `PutPublicAccessBlock` for the caller's account (`s3:PutAccountPublicAccessBlock`).
    #[serde(rename_all = "camelCase")]
    PutAccountPublicAccessBlock {
        /// The account id (`x-amz-account-id`).
        account: String,
        configuration: PublicAccessBlock,
    },
    /// s3control `GetPublicAccessBlock` (`s3:GetAccountPublicAccessBlock`).
    GetAccountPublicAccessBlock { account: String },
    /// s3control `DeletePublicAccessBlock` (`s3:PutAccountPublicAccessBlock`).
    DeleteAccountPublicAccessBlock { account: String },
    /// `PUT /bucket?ownershipControls` (`s3:PutBucketOwnershipControls`).
    #[serde(rename_all = "camelCase")]
    PutBucketOwnershipControls {
        bucket: String,
        object_ownership: ObjectOwnership,
    },
    /// `GET /bucket?ownershipControls` (`s3:GetBucketOwnershipControls`).
    GetBucketOwnershipControls { bucket: String },
    /// `PUT /bucket?versioning` (`s3:PutBucketVersioning`; `x-amz-mfa` when MFA Delete is involved).
    #[serde(rename_all = "camelCase")]
    PutBucketVersioning {
        bucket: String,
        status: VersioningStatus,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mfa_delete: Option<MfaDeleteStatus>,
    },
    /// `GET /bucket?versioning` (`s3:GetBucketVersioning`).
    GetBucketVersioning { bucket: String },
    /// `PUT /bucket?logging` (`s3:PutBucketLogging`); no target disables logging.
    #[serde(rename_all = "camelCase")]
    PutBucketLogging {
        bucket: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        logging_enabled: Option<crate::model::BucketLogging>,
    },
    /// `GET /bucket?logging` (`s3:GetBucketLogging`).
    GetBucketLogging { bucket: String },
    /// The playground's log search: a query over the delivered access logs and CloudTrail
    /// records (`select * where operation = REST.PUT.OBJECT`); not an AWS API.
    QueryLogs { query: String },
    /// An S3 Glacier vault request (`glacier:*`), authorized by Glacier with the vault access
    /// policy and the Vault Lock policy.
    Glacier(GlacierCall),
    /// An AWS KMS key-management request (`kms:*`), authorized by the key policy.
    Kms(KmsRequest),
    /// An IAM request (`iam:*`) on the caller's own account.
    Iam(crate::iam_api::IamRequest),
    /// An STS request (`sts:*`): temporary credentials.
    Sts(crate::iam_api::StsRequest),
    /// `PUT /bucket/key?tagging` (`s3:PutObjectTagging`, or `s3:PutObjectVersionTagging` with a
    /// version id): replaces the object's tag set.
    #[serde(rename_all = "camelCase")]
    PutObjectTagging {
        bucket: String,
        key: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        version_id: Option<String>,
        /// The tag set (key → value), at most 10 tags.
        #[serde(default)]
        tag_set: BTreeMap<String, String>,
    },
    /// `GET /bucket/key?tagging` (`s3:GetObjectTagging` / `s3:GetObjectVersionTagging`).
    #[serde(rename_all = "camelCase")]
    GetObjectTagging {
        bucket: String,
        key: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        version_id: Option<String>,
    },
    /// `DELETE /bucket/key?tagging` (`s3:DeleteObjectTagging` / `s3:DeleteObjectVersionTagging`).
    #[serde(rename_all = "camelCase")]
    DeleteObjectTagging {
        bucket: String,
        key: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        version_id: Option<String>,
    },
    /// `PUT /bucket?encryption` (`s3:PutEncryptionConfiguration`).
    #[serde(rename_all = "camelCase")]
    PutBucketEncryption {
        bucket: String,
        configuration: crate::model::BucketEncryption,
    },
    /// `GET /bucket?encryption` (`s3:GetEncryptionConfiguration`).
    GetBucketEncryption { bucket: String },
    /// `DELETE /bucket?encryption` (`s3:PutEncryptionConfiguration`): back to SSE-S3.
    DeleteBucketEncryption { bucket: String },
    /// `PUT /bucket/key` (`s3:PutObject`, plus `s3:PutObjectAcl` with ACL headers).
    #[serde(rename_all = "camelCase")]
    PutObject {
        bucket: String,
        key: String,
        #[serde(default)]
        body: String,
    },
    /// `GET /bucket/key` (`s3:GetObject`, or `s3:GetObjectVersion` with a version id).
    #[serde(rename_all = "camelCase")]
    GetObject {
        bucket: String,
        key: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        version_id: Option<String>,
    },
    /// `HEAD /bucket/key` (same permissions as GetObject; no body).
    #[serde(rename_all = "camelCase")]
    HeadObject {
        bucket: String,
        key: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        version_id: Option<String>,
    },
    /// `DELETE /bucket/key` (`s3:DeleteObject`, or `s3:DeleteObjectVersion` with a version id).
    #[serde(rename_all = "camelCase")]
    DeleteObject {
        bucket: String,
        key: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        version_id: Option<String>,
    },
    /// `POST /bucket?delete` (per key `s3:DeleteObject` or `s3:DeleteObjectVersion`).
    #[serde(rename_all = "camelCase")]
    DeleteObjects {
        bucket: String,
        objects: Vec<ObjectIdentifier>,
        #[serde(default)]
        quiet: bool,
    },
    /// `GET /bucket?list-type=2` (`s3:ListBucket`).
    #[serde(rename_all = "camelCase")]
    ListObjectsV2 {
        bucket: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        prefix: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        delimiter: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_keys: Option<usize>,
        /// Where the previous page stopped (`NextContinuationToken`) or `start-after`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        continuation_token: Option<String>,
    },
    /// `GET /bucket?versions` (`s3:ListBucketVersions`).
    #[serde(rename_all = "camelCase")]
    ListObjectVersions {
        bucket: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        prefix: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        delimiter: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_keys: Option<usize>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        key_marker: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        version_id_marker: Option<String>,
    },
    /// `PUT /bucket/key` with `x-amz-copy-source` (source `s3:GetObject`/`s3:GetObjectVersion`,
    /// destination `s3:PutObject`).
    #[serde(rename_all = "camelCase")]
    CopyObject {
        bucket: String,
        key: String,
        source_bucket: String,
        source_key: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        source_version_id: Option<String>,
    },
    /// `PUT /bucket?object-lock` (`s3:PutBucketObjectLockConfiguration`): turn Object Lock on
    /// (versioning must be enabled) and set or clear the default retention.
    PutObjectLockConfiguration {
        bucket: String,
        configuration: crate::object_lock::ObjectLockConfiguration,
    },
    /// `GET /bucket?object-lock` (`s3:GetBucketObjectLockConfiguration`).
    GetObjectLockConfiguration { bucket: String },
    /// `PUT /bucket/key?retention` (`s3:PutObjectRetention`; `s3:BypassGovernanceRetention`
    /// with `x-amz-bypass-governance-retention: true` to shorten a GOVERNANCE retention).
    #[serde(rename_all = "camelCase")]
    PutObjectRetention {
        bucket: String,
        key: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        version_id: Option<String>,
        retention: crate::object_lock::ObjectRetention,
    },
    /// `GET /bucket/key?retention` (`s3:GetObjectRetention`).
    #[serde(rename_all = "camelCase")]
    GetObjectRetention {
        bucket: String,
        key: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        version_id: Option<String>,
    },
    /// `PUT /bucket/key?legal-hold` (`s3:PutObjectLegalHold`).
    #[serde(rename_all = "camelCase")]
    PutObjectLegalHold {
        bucket: String,
        key: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        version_id: Option<String>,
        legal_hold: crate::object_lock::ObjectLegalHold,
    },
    /// `GET /bucket/key?legal-hold` (`s3:GetObjectLegalHold`).
    #[serde(rename_all = "camelCase")]
    GetObjectLegalHold {
        bucket: String,
        key: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        version_id: Option<String>,
    },
    /// `PUT /bucket?lifecycle` (`s3:PutLifecycleConfiguration`): replaces every rule.
    PutBucketLifecycleConfiguration {
        bucket: String,
        configuration: crate::lifecycle::LifecycleConfiguration,
    },
    /// `GET /bucket?lifecycle` (`s3:GetLifecycleConfiguration`).
    GetBucketLifecycleConfiguration { bucket: String },
    /// `DELETE /bucket?lifecycle` (`s3:PutLifecycleConfiguration`).
    DeleteBucketLifecycle { bucket: String },
    /// `POST /bucket/key?uploads` (`s3:PutObject`; SSE-KMS: `kms:GenerateDataKey`).
    #[serde(rename_all = "camelCase")]
    CreateMultipartUpload { bucket: String, key: String },
    /// `PUT /bucket/key?partNumber=N&uploadId=ID` (`s3:PutObject`; SSE-KMS: `kms:Decrypt`).
    #[serde(rename_all = "camelCase")]
    UploadPart {
        bucket: String,
        key: String,
        upload_id: String,
        part_number: u32,
        #[serde(default)]
        body: String,
        /// The part's `Content-Length` when it stands for more than `body` holds (to model the
        /// 5 MiB minimum part size with short bodies).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        size: Option<u64>,
    },
    /// `PUT /bucket/key?partNumber=N&uploadId=ID` with `x-amz-copy-source` (destination
    /// `s3:PutObject`, source `s3:GetObject`/`s3:GetObjectVersion`); the range is the
    /// `x-amz-copy-source-range` header.
    #[serde(rename_all = "camelCase")]
    UploadPartCopy {
        bucket: String,
        key: String,
        upload_id: String,
        part_number: u32,
        source_bucket: String,
        source_key: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        source_version_id: Option<String>,
    },
    /// `POST /bucket/key?uploadId=ID` (`s3:PutObject`).
    #[serde(rename_all = "camelCase")]
    CompleteMultipartUpload {
        bucket: String,
        key: String,
        upload_id: String,
        /// The parts to assemble, in ascending part-number order.
        parts: Vec<CompletedPart>,
    },
    /// `DELETE /bucket/key?uploadId=ID` (`s3:AbortMultipartUpload`).
    #[serde(rename_all = "camelCase")]
    AbortMultipartUpload {
        bucket: String,
        key: String,
        upload_id: String,
    },
    /// `GET /bucket/key?uploadId=ID` (`s3:ListMultipartUploadParts`), a page at a time.
    #[serde(rename_all = "camelCase")]
    ListParts {
        bucket: String,
        key: String,
        upload_id: String,
        /// `max-parts`: at most this many parts (default and most 1,000).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_parts: Option<u32>,
        /// `part-number-marker`: list the parts after this number (the previous page's
        /// `NextPartNumberMarker`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        part_number_marker: Option<u32>,
    },
    /// `GET /bucket?uploads` (`s3:ListBucketMultipartUploads`), a page at a time.
    #[serde(rename_all = "camelCase")]
    ListMultipartUploads {
        bucket: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        prefix: Option<String>,
        /// `max-uploads`: at most this many uploads (default and most 1,000).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_uploads: Option<u32>,
        /// `key-marker`: list the uploads after this key (the previous page's `NextKeyMarker`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        key_marker: Option<String>,
        /// `upload-id-marker`: with `key-marker`, the uploads of that key after this one (the
        /// previous page's `NextUploadIdMarker`); ignored without `key-marker`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        upload_id_marker: Option<String>,
    },
    /// `POST /bucket` with a browser form (`multipart/form-data`), signed by a POST policy; the
    /// request's `caller` is ignored: the form's `x-amz-credential` names the principal.
    #[serde(rename_all = "camelCase")]
    PostObject {
        bucket: String,
        /// The form fields (`key`, `policy`, `x-amz-algorithm`, `x-amz-credential`,
        /// `x-amz-date`, `x-amz-signature`, `acl`, `success_action_status`, …).
        #[serde(default)]
        fields: BTreeMap<String, String>,
        /// The file's content (the `file` field, last in the form).
        #[serde(default)]
        file: String,
        /// Sign the form with the world's stored secret (fills `policy`, `x-amz-algorithm`,
        /// `x-amz-credential`, `x-amz-date` and `x-amz-signature` unless given).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sign: Option<PostSignSpec>,
    },
    /// `METHOD URL` with a pre-signed URL, sent by whoever holds it (the request's `caller` is
    /// ignored: the URL's signer is the principal). The world splits the URL, maps method and
    /// path to `GetObject`/`PutObject`/`HeadObject`/`DeleteObject`/`ListObjectsV2`, verifies the
    /// signature at `now` and authorizes the signer (see `s3pg_sim::presigned`).
    #[serde(rename_all = "camelCase")]
    PresignedRequest {
        /// The HTTP method used (`GET`, `PUT`, `HEAD`, `DELETE`).
        method: String,
        /// The URL as sent; leave it empty to have the world mint one from `presign`.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        url: String,
        /// Mint the URL with the world's stored secret (when `url` is empty).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        presign: Option<PresignSpec>,
        /// The upload body (`PUT`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        body: Option<String>,
    },
}

/// One part named in a `CompleteMultipartUpload` request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct CompletedPart {
    /// The part number.
    pub part_number: u32,
    /// The ETag `UploadPart` returned for it.
    #[serde(rename = "ETag")]
    pub etag: String,
}

impl Operation {
    /// The S3 API name (`PutObject`).
    pub fn name(&self) -> &'static str {
        match self {
            Operation::ListBuckets {} => "ListBuckets",
            Operation::CreateBucket { .. } => "CreateBucket",
            Operation::DeleteBucket { .. } => "DeleteBucket",
            Operation::PutBucketPolicy { .. } => "PutBucketPolicy",
            Operation::GetBucketPolicy { .. } => "GetBucketPolicy",
            Operation::DeleteBucketPolicy { .. } => "DeleteBucketPolicy",
            Operation::GetBucketPolicyStatus { .. } => "GetBucketPolicyStatus",
            Operation::PutBucketAcl { .. } => "PutBucketAcl",
            Operation::GetBucketAcl { .. } => "GetBucketAcl",
            Operation::PutObjectAcl { .. } => "PutObjectAcl",
            Operation::GetObjectAcl { .. } => "GetObjectAcl",
            Operation::PutPublicAccessBlock { .. } => "PutPublicAccessBlock",
            Operation::GetPublicAccessBlock { .. } => "GetPublicAccessBlock",
            Operation::DeletePublicAccessBlock { .. } => "DeletePublicAccessBlock",
            Operation::PutAccountPublicAccessBlock { .. } => "PutAccountPublicAccessBlock",
            Operation::GetAccountPublicAccessBlock { .. } => "GetAccountPublicAccessBlock",
            Operation::DeleteAccountPublicAccessBlock { .. } => "DeleteAccountPublicAccessBlock",
            Operation::PutBucketOwnershipControls { .. } => "PutBucketOwnershipControls",
            Operation::GetBucketOwnershipControls { .. } => "GetBucketOwnershipControls",
            Operation::PutBucketVersioning { .. } => "PutBucketVersioning",
            Operation::GetBucketVersioning { .. } => "GetBucketVersioning",
            Operation::Kms(k) => k.name(),
            Operation::Iam(r) => r.name(),
            Operation::Sts(r) => r.name(),
            Operation::PutObjectTagging { .. } => "PutObjectTagging",
            Operation::GetObjectTagging { .. } => "GetObjectTagging",
            Operation::DeleteObjectTagging { .. } => "DeleteObjectTagging",
            Operation::Glacier(g) => g.request.operation().name(),
            Operation::PutBucketLogging { .. } => "PutBucketLogging",
            Operation::GetBucketLogging { .. } => "GetBucketLogging",
            Operation::QueryLogs { .. } => "QueryLogs",
            Operation::PutBucketEncryption { .. } => "PutBucketEncryption",
            Operation::GetBucketEncryption { .. } => "GetBucketEncryption",
            Operation::DeleteBucketEncryption { .. } => "DeleteBucketEncryption",
            Operation::PutObject { .. } => "PutObject",
            Operation::GetObject { .. } => "GetObject",
            Operation::HeadObject { .. } => "HeadObject",
            Operation::DeleteObject { .. } => "DeleteObject",
            Operation::DeleteObjects { .. } => "DeleteObjects",
            Operation::ListObjectsV2 { .. } => "ListObjectsV2",
            Operation::ListObjectVersions { .. } => "ListObjectVersions",
            Operation::CopyObject { .. } => "CopyObject",
            Operation::PutObjectLockConfiguration { .. } => "PutObjectLockConfiguration",
            Operation::GetObjectLockConfiguration { .. } => "GetObjectLockConfiguration",
            Operation::PutObjectRetention { .. } => "PutObjectRetention",
            Operation::GetObjectRetention { .. } => "GetObjectRetention",
            Operation::PutObjectLegalHold { .. } => "PutObjectLegalHold",
            Operation::GetObjectLegalHold { .. } => "GetObjectLegalHold",
            Operation::PutBucketLifecycleConfiguration { .. } => "PutBucketLifecycleConfiguration",
            Operation::GetBucketLifecycleConfiguration { .. } => "GetBucketLifecycleConfiguration",
            Operation::DeleteBucketLifecycle { .. } => "DeleteBucketLifecycle",
            Operation::CreateMultipartUpload { .. } => "CreateMultipartUpload",
            Operation::UploadPart { .. } => "UploadPart",
            Operation::UploadPartCopy { .. } => "UploadPartCopy",
            Operation::CompleteMultipartUpload { .. } => "CompleteMultipartUpload",
            Operation::AbortMultipartUpload { .. } => "AbortMultipartUpload",
            Operation::ListParts { .. } => "ListParts",
            Operation::ListMultipartUploads { .. } => "ListMultipartUploads",
            Operation::PostObject { .. } => "PostObject",
            Operation::PresignedRequest { .. } => "PresignedRequest",
        }
    }

    /// The bucket the operation addresses, if any.
    pub fn bucket(&self) -> Option<&str> {
        match self {
            Operation::ListBuckets {}
            | Operation::Kms(_)
            | Operation::Iam(_)
            | Operation::Sts(_)
            | Operation::Glacier(_)
            | Operation::QueryLogs { .. }
            | Operation::PutAccountPublicAccessBlock { .. }
            | Operation::GetAccountPublicAccessBlock { .. }
            | Operation::DeleteAccountPublicAccessBlock { .. } => None,
            Operation::CreateBucket { bucket, .. }
            | Operation::DeleteBucket { bucket }
            | Operation::PutBucketPolicy { bucket, .. }
            | Operation::GetBucketPolicy { bucket }
            | Operation::DeleteBucketPolicy { bucket }
            | Operation::GetBucketPolicyStatus { bucket }
            | Operation::PutBucketAcl { bucket, .. }
            | Operation::GetBucketAcl { bucket }
            | Operation::PutObjectAcl { bucket, .. }
            | Operation::GetObjectAcl { bucket, .. }
            | Operation::PutPublicAccessBlock { bucket, .. }
            | Operation::GetPublicAccessBlock { bucket }
            | Operation::DeletePublicAccessBlock { bucket }
            | Operation::PutBucketOwnershipControls { bucket, .. }
            | Operation::GetBucketOwnershipControls { bucket }
            | Operation::PutBucketVersioning { bucket, .. }
            | Operation::GetBucketVersioning { bucket }
            | Operation::PutBucketLogging { bucket, .. }
            | Operation::GetBucketLogging { bucket }
            | Operation::PutBucketEncryption { bucket, .. }
            | Operation::GetBucketEncryption { bucket }
            | Operation::DeleteBucketEncryption { bucket }
            | Operation::PutObject { bucket, .. }
            | Operation::GetObject { bucket, .. }
            | Operation::HeadObject { bucket, .. }
            | Operation::DeleteObject { bucket, .. }
            | Operation::DeleteObjects { bucket, .. }
            | Operation::ListObjectsV2 { bucket, .. }
            | Operation::ListObjectVersions { bucket, .. }
            | Operation::CopyObject { bucket, .. }
            | Operation::PutObjectLockConfiguration { bucket, .. }
            | Operation::GetObjectLockConfiguration { bucket }
            | Operation::PutObjectRetention { bucket, .. }
            | Operation::GetObjectRetention { bucket, .. }
            | Operation::PutObjectLegalHold { bucket, .. }
            | Operation::GetObjectLegalHold { bucket, .. }
            | Operation::PutBucketLifecycleConfiguration { bucket, .. }
            | Operation::GetBucketLifecycleConfiguration { bucket }
            | Operation::DeleteBucketLifecycle { bucket }
            | Operation::PutObjectTagging { bucket, .. }
            | Operation::GetObjectTagging { bucket, .. }
            | Operation::DeleteObjectTagging { bucket, .. }
            | Operation::CreateMultipartUpload { bucket, .. }
            | Operation::UploadPart { bucket, .. }
            | Operation::UploadPartCopy { bucket, .. }
            | Operation::CompleteMultipartUpload { bucket, .. }
            | Operation::AbortMultipartUpload { bucket, .. }
            | Operation::ListParts { bucket, .. }
            | Operation::ListMultipartUploads { bucket, .. }
            | Operation::PostObject { bucket, .. } => Some(bucket),
            Operation::PresignedRequest { presign, .. } => {
                presign.as_ref().map(|p| p.bucket.as_str())
            }
        }
    }
}

/// A request to the simulated S3.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Request {
    /// Who sends it.
    pub caller: Caller,
    /// How it is signed (ignored for anonymous callers).
    #[serde(default)]
    pub authentication: Authentication,
    /// The operation and its parameters.
    pub operation: Operation,
    /// Request headers, lower-case names (`x-amz-acl`, `x-amz-server-side-encryption`, `x-amz-mfa`, …).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// The network facts.
    #[serde(default)]
    pub network: Network,
}

impl Request {
    /// A request with default network facts and no headers.
    pub fn new(caller: Caller, operation: Operation) -> Self {
        Request {
            caller,
            authentication: Authentication::Header,
            operation,
            headers: BTreeMap::new(),
            network: Network::default(),
        }
    }

    /// Adds a header (name lower-cased).
    #[must_use]
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers
            .insert(name.to_ascii_lowercase(), value.to_owned());
        self
    }

    /// A header's value (names are matched case-insensitively).
    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

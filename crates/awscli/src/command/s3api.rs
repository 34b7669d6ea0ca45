//! `aws s3api`: the commands as typed values, and what their parsers share (the options every
//! command takes, the ACL flags).
//!
//! Follows <https://docs.aws.amazon.com/cli/latest/reference/s3api/>.

use super::common::with;
use super::lock::LockCommand;
use super::multipart::MultipartCommand;
use crate::args::{ArgValue, Opt, Parsed, opt, parse_options, req};
use crate::error::UsageError;

/// `aws s3api …`: the low-level operations, one variant each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum S3ApiCommand {
    /// `put-object-tagging --bucket --key [--version-id] --tagging '{"TagSet": [...]}'`.
    PutObjectTagging {
        /// `--bucket`.
        bucket: String,
        /// `--key`.
        key: String,
        /// `--version-id`.
        version_id: Option<String>,
        /// `--tagging` (JSON or shorthand `TagSet=[{Key=k,Value=v}]`).
        tagging: ArgValue,
    },
    /// `create-bucket`.
    CreateBucket {
        /// `--bucket`.
        bucket: String,
        /// `--acl`.
        acl: Option<String>,
        /// `--create-bucket-configuration` (`LocationConstraint=eu-west-1` or JSON).
        configuration: Option<ArgValue>,
        /// `--object-ownership`.
        object_ownership: Option<String>,
        /// `--object-lock-enabled-for-bucket` / `--no-…`.
        object_lock_enabled: Option<bool>,
    },
    /// `put-object`.
    PutObject {
        /// `--bucket`.
        bucket: String,
        /// `--key`.
        key: String,
        /// `--body`: a local file path.
        body: Option<String>,
        /// `--acl`.
        acl: Option<String>,
        /// `--server-side-encryption`.
        server_side_encryption: Option<String>,
        /// `--ssekms-key-id`.
        ssekms_key_id: Option<String>,
        /// `--sse-customer-algorithm`.
        sse_customer_algorithm: Option<String>,
        /// `--sse-customer-key`.
        sse_customer_key: Option<String>,
        /// `--sse-customer-key-md5`.
        sse_customer_key_md5: Option<String>,
        /// `--bucket-key-enabled` / `--no-…`.
        bucket_key_enabled: Option<bool>,
        /// `--content-type`.
        content_type: Option<String>,
        /// `--metadata` (`k=v,…` or JSON).
        metadata: Option<ArgValue>,
        /// `--tagging` (`k=v&…`).
        tagging: Option<String>,
        /// `--expected-bucket-owner`.
        expected_bucket_owner: Option<String>,
        /// `--object-lock-mode`, `--object-lock-retain-until-date`,
        /// `--object-lock-legal-hold-status` and `--content-md5`.
        lock: Box<ObjectLockArgs>,
    },
    /// `get-object BUCKET KEY OUTFILE`.
    GetObject {
        /// `--bucket`.
        bucket: String,
        /// `--key`.
        key: String,
        /// The local file to write.
        outfile: String,
        /// `--version-id`.
        version_id: Option<String>,
        /// `--sse-customer-algorithm`.
        sse_customer_algorithm: Option<String>,
        /// `--sse-customer-key`.
        sse_customer_key: Option<String>,
        /// `--sse-customer-key-md5`.
        sse_customer_key_md5: Option<String>,
        /// `--range`.
        range: Option<String>,
    },
    /// `head-object`.
    HeadObject {
        /// `--bucket`.
        bucket: String,
        /// `--key`.
        key: String,
        /// `--version-id`.
        version_id: Option<String>,
        /// `--sse-customer-algorithm`.
        sse_customer_algorithm: Option<String>,
        /// `--sse-customer-key`.
        sse_customer_key: Option<String>,
    },
    /// `delete-object`.
    DeleteObject {
        /// `--bucket`.
        bucket: String,
        /// `--key`.
        key: String,
        /// `--version-id`.
        version_id: Option<String>,
        /// `--mfa` (`SERIAL CODE`).
        mfa: Option<String>,
        /// `--bypass-governance-retention`.
        bypass_governance_retention: bool,
    },
    /// `list-objects-v2`.
    ListObjectsV2 {
        /// `--bucket`.
        bucket: String,
        /// `--prefix`.
        prefix: Option<String>,
        /// `--delimiter`.
        delimiter: Option<String>,
        /// `--start-after`.
        start_after: Option<String>,
        /// `--max-items`.
        max_items: Option<i64>,
    },
    /// `list-object-versions`.
    ListObjectVersions {
        /// `--bucket`.
        bucket: String,
        /// `--prefix`.
        prefix: Option<String>,
    },
    /// `put-bucket-policy`.
    PutBucketPolicy {
        /// `--bucket`.
        bucket: String,
        /// `--policy` (JSON, usually `file://policy.json`).
        policy: ArgValue,
    },
    /// `get-bucket-policy`.
    GetBucketPolicy {
        /// `--bucket`.
        bucket: String,
    },
    /// `put-bucket-acl`.
    PutBucketAcl {
        /// `--bucket`.
        bucket: String,
        /// The ACL and grants.
        acl: Box<AclArgs>,
    },
    /// `put-object-acl`.
    PutObjectAcl {
        /// `--bucket`.
        bucket: String,
        /// `--key`.
        key: String,
        /// `--version-id`.
        version_id: Option<String>,
        /// The ACL and grants.
        acl: Box<AclArgs>,
    },
    /// `put-public-access-block`.
    PutPublicAccessBlock {
        /// `--bucket`.
        bucket: String,
        /// `--public-access-block-configuration` (`BlockPublicAcls=true,…` or JSON).
        configuration: ArgValue,
    },
    /// `put-bucket-ownership-controls`.
    PutBucketOwnershipControls {
        /// `--bucket`.
        bucket: String,
        /// `--ownership-controls` (`Rules=[{ObjectOwnership=BucketOwnerEnforced}]` or JSON).
        ownership_controls: ArgValue,
    },
    /// `put-bucket-versioning`.
    PutBucketVersioning {
        /// `--bucket`.
        bucket: String,
        /// `--versioning-configuration` (`Status=Enabled` or `MFADelete=Enabled,Status=Enabled`).
        configuration: ArgValue,
        /// `--mfa` (`SERIAL CODE`).
        mfa: Option<String>,
    },
    /// `get-bucket-versioning`.
    GetBucketVersioning {
        /// `--bucket`.
        bucket: String,
    },
    /// `put-bucket-encryption`.
    PutBucketEncryption {
        /// `--bucket`.
        bucket: String,
        /// `--server-side-encryption-configuration` (JSON).
        configuration: ArgValue,
    },
    /// `put-bucket-logging`.
    PutBucketLogging {
        /// `--bucket`.
        bucket: String,
        /// `--bucket-logging-status` (JSON).
        status: ArgValue,
    },
    /// `copy-object --copy-source SRCBUCKET/SRCKEY[?versionId=V] --bucket --key`.
    CopyObject {
        /// `--bucket` (destination).
        bucket: String,
        /// `--key` (destination).
        key: String,
        /// `--copy-source`.
        copy_source: String,
        /// `--acl`.
        acl: Option<String>,
        /// `--server-side-encryption`.
        server_side_encryption: Option<String>,
        /// `--ssekms-key-id`.
        ssekms_key_id: Option<String>,
    },
    /// `delete-objects --bucket --delete Objects=[{Key=a},{Key=b,VersionId=v}],Quiet=false`.
    DeleteObjects {
        /// `--bucket`.
        bucket: String,
        /// `--delete` (shorthand or JSON).
        delete: ArgValue,
        /// `--mfa`.
        mfa: Option<String>,
        /// `--bypass-governance-retention`.
        bypass_governance_retention: bool,
    },
    /// A read or delete that needs only names.
    Query(S3ApiQuery),
    /// A multipart upload command.
    Multipart(MultipartCommand),
    /// An Object Lock or lifecycle command.
    Lock(LockCommand),
}

/// The Object Lock options of `put-object`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObjectLockArgs {
    /// `--object-lock-mode` (`GOVERNANCE` or `COMPLIANCE`).
    pub mode: Option<String>,
    /// `--object-lock-retain-until-date`.
    pub retain_until_date: Option<String>,
    /// `--object-lock-legal-hold-status` (`ON` or `OFF`).
    pub legal_hold_status: Option<String>,
    /// `--content-md5`.
    pub content_md5: Option<String>,
}

/// The read and delete operations of `aws s3api` that need only a bucket (and sometimes a key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum S3ApiQuery {
    /// `get-object-tagging --bucket --key [--version-id]`.
    GetObjectTagging {
        /// `--bucket`.
        bucket: String,
        /// `--key`.
        key: String,
        /// `--version-id`.
        version_id: Option<String>,
    },
    /// `delete-object-tagging --bucket --key [--version-id]`.
    DeleteObjectTagging {
        /// `--bucket`.
        bucket: String,
        /// `--key`.
        key: String,
        /// `--version-id`.
        version_id: Option<String>,
    },
    /// `list-buckets`.
    ListBuckets,
    /// `delete-bucket --bucket`.
    DeleteBucket {
        /// `--bucket`.
        bucket: String,
    },
    /// `get-bucket-acl --bucket`.
    GetBucketAcl {
        /// `--bucket`.
        bucket: String,
    },
    /// `get-object-acl --bucket --key [--version-id]`.
    GetObjectAcl {
        /// `--bucket`.
        bucket: String,
        /// `--key`.
        key: String,
        /// `--version-id`.
        version_id: Option<String>,
    },
    /// `get-public-access-block --bucket`.
    GetPublicAccessBlock {
        /// `--bucket`.
        bucket: String,
    },
    /// `delete-public-access-block --bucket`.
    DeletePublicAccessBlock {
        /// `--bucket`.
        bucket: String,
    },
    /// `get-bucket-ownership-controls --bucket`.
    GetBucketOwnershipControls {
        /// `--bucket`.
        bucket: String,
    },
    /// `delete-bucket-policy --bucket`.
    DeleteBucketPolicy {
        /// `--bucket`.
        bucket: String,
    },
    /// `get-bucket-policy-status --bucket`.
    GetBucketPolicyStatus {
        /// `--bucket`.
        bucket: String,
    },
}

/// The ACL options shared by `put-bucket-acl` and `put-object-acl`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AclArgs {
    /// `--acl` (canned ACL).
    pub canned: Option<String>,
    /// `--access-control-policy` (JSON).
    pub access_control_policy: Option<ArgValue>,
    /// `--grant-full-control`.
    pub grant_full_control: Option<String>,
    /// `--grant-read`.
    pub grant_read: Option<String>,
    /// `--grant-read-acp`.
    pub grant_read_acp: Option<String>,
    /// `--grant-write`.
    pub grant_write: Option<String>,
    /// `--grant-write-acp`.
    pub grant_write_acp: Option<String>,
}

pub(super) fn acl_args(p: &Parsed) -> Box<AclArgs> {
    Box::new(AclArgs {
        canned: p.text("--acl"),
        access_control_policy: p.value("--access-control-policy"),
        grant_full_control: p.text("--grant-full-control"),
        grant_read: p.text("--grant-read"),
        grant_read_acp: p.text("--grant-read-acp"),
        grant_write: p.text("--grant-write"),
        grant_write_acp: p.text("--grant-write-acp"),
    })
}

pub(super) const ACL_OPTIONS: [Opt; 7] = [
    opt("--acl"),
    opt("--access-control-policy"),
    opt("--grant-full-control"),
    opt("--grant-read"),
    opt("--grant-read-acp"),
    opt("--grant-write"),
    opt("--grant-write-acp"),
];

/// The options `get-object` and `head-object` share: the object, a range or version, and the
/// SSE-C key a read of an SSE-C object must send again.
pub(super) const OBJECT_READ: [Opt; 7] = [
    req("--bucket"),
    req("--key"),
    opt("--range"),
    opt("--version-id"),
    opt("--sse-customer-algorithm"),
    opt("--sse-customer-key"),
    opt("--sse-customer-key-md5"),
];

/// Reads an `aws s3api` command's options, with the ones every command takes
/// (`--expected-bucket-owner`).
pub(super) fn s3api_options(
    args: &[String],
    options: &[Opt],
    positionals: &[&str],
) -> Result<Parsed, UsageError> {
    let common = [opt("--expected-bucket-owner")];
    parse_options(
        args,
        &with(options, &common),
        positionals,
        positionals.len(),
    )
}

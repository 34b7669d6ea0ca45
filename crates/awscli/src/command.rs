//! The AWS CLI commands the playground understands, each a typed value.
//!
//! `aws s3` (ls, cp, rm, mb, rb, presign), `aws s3api` (the bucket, object, policy, ACL, Block
//! Public Access, ownership, versioning, encryption and logging operations), `aws kms`
//! (create-key, enable-key-rotation, put-key-policy), `aws glacier` (the Vault Lock operations)
//! `aws configure set` and `aws sts get-caller-identity`. Options and their required-ness follow the AWS CLI Command Reference
//! (<https://docs.aws.amazon.com/cli/latest/reference/>); structured values (policies,
//! configurations) are kept as typed, JSON or shorthand, for the world to read.

use crate::args::{
    ArgValue, GlobalOptions, Kind, Opt, Parsed, boolean, flag, opt, parse_options, plain, req,
};
use crate::error::{UsageError, UsageErrorKind};

/// `s3://BUCKET/KEY`, split as the AWS CLI splits it (the bucket ends at the first `/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Uri {
    /// The bucket name.
    pub bucket: String,
    /// The key or prefix (may be empty).
    pub key: String,
}

impl S3Uri {
    /// Reads `s3://BUCKET[/KEY]`; `None` without the scheme or without a bucket.
    pub fn parse(text: &str) -> Option<Self> {
        let rest = text.strip_prefix("s3://")?;
        let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return None;
        }
        Some(Self {
            bucket: bucket.to_owned(),
            key: key.to_owned(),
        })
    }
}

impl std::fmt::Display for S3Uri {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "s3://{}/{}", self.bucket, self.key)
    }
}

/// Either side of `aws s3 cp`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A local file or directory path (`-` is stdin or stdout).
    Local(String),
    /// An S3 location.
    S3(S3Uri),
}

/// Options of `aws s3 cp` that matter to security.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CpOptions {
    /// `--recursive`.
    pub recursive: bool,
    /// `--acl` (canned ACL).
    pub acl: Option<String>,
    /// `--sse` (`AES256`, `aws:kms`, `aws:kms:dsse`; `--sse` alone means `AES256`).
    pub sse: Option<String>,
    /// `--sse-kms-key-id`.
    pub sse_kms_key_id: Option<String>,
    /// `--sse-c` (`AES256`).
    pub sse_c: Option<String>,
    /// `--sse-c-key`.
    pub sse_c_key: Option<String>,
    /// `--content-type`.
    pub content_type: Option<String>,
    /// `--storage-class`.
    pub storage_class: Option<String>,
    /// `--grants` (`read=uri=…` …).
    pub grants: Vec<String>,
    /// `--include` patterns.
    pub include: Vec<String>,
    /// `--exclude` patterns.
    pub exclude: Vec<String>,
    /// `--dryrun`.
    pub dryrun: bool,
}

/// `aws s3 …`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum S3Command {
    /// `aws s3 ls [s3://BUCKET/PREFIX]`; `None` lists buckets.
    Ls {
        /// What to list.
        path: Option<S3Uri>,
        /// `--recursive`.
        recursive: bool,
        /// `--human-readable`.
        human_readable: bool,
        /// `--summarize`.
        summarize: bool,
    },
    /// `aws s3 cp SOURCE DESTINATION`.
    Cp {
        /// Where from.
        source: Location,
        /// Where to.
        destination: Location,
        /// Options.
        options: Box<CpOptions>,
    },
    /// `aws s3 rm s3://BUCKET/KEY`.
    Rm {
        /// What to delete.
        path: S3Uri,
        /// `--recursive`.
        recursive: bool,
        /// `--dryrun`.
        dryrun: bool,
    },
    /// `aws s3 mb s3://BUCKET`.
    Mb {
        /// The bucket to make.
        bucket: String,
    },
    /// `aws s3 rb s3://BUCKET [--force]`.
    Rb {
        /// The bucket to remove.
        bucket: String,
        /// `--force`: delete every object first.
        force: bool,
    },
    /// `aws s3 presign s3://BUCKET/KEY [--expires-in N]`.
    Presign {
        /// The object.
        path: S3Uri,
        /// `--expires-in`, default 3600.
        expires_in: i64,
    },
}

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

/// `aws s3api` Object Lock and lifecycle commands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LockCommand {
    /// `put-object-lock-configuration --bucket --object-lock-configuration`.
    PutConfiguration {
        /// `--bucket`.
        bucket: String,
        /// `--object-lock-configuration` (JSON or shorthand).
        configuration: ArgValue,
    },
    /// `get-object-lock-configuration --bucket`.
    GetConfiguration {
        /// `--bucket`.
        bucket: String,
    },
    /// `put-object-retention --bucket --key [--version-id] --retention [--bypass-governance-retention]`.
    PutRetention {
        /// `--bucket`.
        bucket: String,
        /// `--key`.
        key: String,
        /// `--version-id`.
        version_id: Option<String>,
        /// `--retention` (`Mode=…,RetainUntilDate=…` or JSON).
        retention: ArgValue,
        /// `--bypass-governance-retention`.
        bypass_governance_retention: bool,
    },
    /// `get-object-retention --bucket --key [--version-id]`.
    GetRetention {
        /// `--bucket`.
        bucket: String,
        /// `--key`.
        key: String,
        /// `--version-id`.
        version_id: Option<String>,
    },
    /// `put-object-legal-hold --bucket --key [--version-id] --legal-hold Status=ON`.
    PutLegalHold {
        /// `--bucket`.
        bucket: String,
        /// `--key`.
        key: String,
        /// `--version-id`.
        version_id: Option<String>,
        /// `--legal-hold`.
        legal_hold: ArgValue,
    },
    /// `get-object-legal-hold --bucket --key [--version-id]`.
    GetLegalHold {
        /// `--bucket`.
        bucket: String,
        /// `--key`.
        key: String,
        /// `--version-id`.
        version_id: Option<String>,
    },
    /// `put-bucket-lifecycle-configuration --bucket --lifecycle-configuration`.
    PutLifecycle {
        /// `--bucket`.
        bucket: String,
        /// `--lifecycle-configuration` (JSON).
        configuration: ArgValue,
    },
    /// `get-bucket-lifecycle-configuration --bucket`.
    GetLifecycle {
        /// `--bucket`.
        bucket: String,
    },
    /// `delete-bucket-lifecycle --bucket`.
    DeleteLifecycle {
        /// `--bucket`.
        bucket: String,
    },
}

/// The Object Lock and lifecycle commands; `None` for any other operation.
fn parse_lock(operation: &str, args: &[String]) -> Result<Option<LockCommand>, UsageError> {
    let common = [
        opt("--expected-bucket-owner"),
        opt("--request-payer"),
        opt("--checksum-algorithm"),
        opt("--content-md5"),
        opt("--token"),
    ];
    let parse = |options: &[Opt]| parse_options(args, &with(options, &common), &[], 0);
    let object = [req("--bucket"), req("--key"), opt("--version-id")];
    Ok(Some(match operation {
        "put-object-lock-configuration" => {
            let p = parse(&[req("--bucket"), req("--object-lock-configuration")])?;
            LockCommand::PutConfiguration {
                bucket: p.required_text("--bucket"),
                configuration: p
                    .value("--object-lock-configuration")
                    .unwrap_or(ArgValue::Text(String::new())),
            }
        }
        "get-object-lock-configuration" => {
            let p = parse(&[req("--bucket")])?;
            LockCommand::GetConfiguration {
                bucket: p.required_text("--bucket"),
            }
        }
        "put-object-retention" => {
            let mut options = object.to_vec();
            options.extend([req("--retention"), boolean("--bypass-governance-retention")]);
            let p = parse(&options)?;
            LockCommand::PutRetention {
                bucket: p.required_text("--bucket"),
                key: p.required_text("--key"),
                version_id: p.text("--version-id"),
                retention: p
                    .value("--retention")
                    .unwrap_or(ArgValue::Text(String::new())),
                bypass_governance_retention: p
                    .boolean("--bypass-governance-retention")
                    .unwrap_or(false),
            }
        }
        "get-object-retention" | "get-object-legal-hold" => {
            let p = parse(&object)?;
            let (bucket, key, version_id) = (
                p.required_text("--bucket"),
                p.required_text("--key"),
                p.text("--version-id"),
            );
            if operation == "get-object-retention" {
                LockCommand::GetRetention {
                    bucket,
                    key,
                    version_id,
                }
            } else {
                LockCommand::GetLegalHold {
                    bucket,
                    key,
                    version_id,
                }
            }
        }
        "put-object-legal-hold" => {
            let mut options = object.to_vec();
            options.push(req("--legal-hold"));
            let p = parse(&options)?;
            LockCommand::PutLegalHold {
                bucket: p.required_text("--bucket"),
                key: p.required_text("--key"),
                version_id: p.text("--version-id"),
                legal_hold: p
                    .value("--legal-hold")
                    .unwrap_or(ArgValue::Text(String::new())),
            }
        }
        "put-bucket-lifecycle-configuration" => {
            let p = parse(&[
                req("--bucket"),
                req("--lifecycle-configuration"),
                opt("--transition-default-minimum-object-size"),
            ])?;
            LockCommand::PutLifecycle {
                bucket: p.required_text("--bucket"),
                configuration: p
                    .value("--lifecycle-configuration")
                    .unwrap_or(ArgValue::Text(String::new())),
            }
        }
        "get-bucket-lifecycle-configuration" => {
            let p = parse(&[req("--bucket")])?;
            LockCommand::GetLifecycle {
                bucket: p.required_text("--bucket"),
            }
        }
        "delete-bucket-lifecycle" => {
            let p = parse(&[req("--bucket")])?;
            LockCommand::DeleteLifecycle {
                bucket: p.required_text("--bucket"),
            }
        }
        _ => return Ok(None),
    }))
}

/// The SSE-C options a multipart command may carry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SseCArgs {
    /// `--sse-customer-algorithm`.
    pub algorithm: Option<String>,
    /// `--sse-customer-key`.
    pub key: Option<String>,
    /// `--sse-customer-key-md5`.
    pub key_md5: Option<String>,
}

/// `aws s3api create-multipart-upload`, `upload-part`, `upload-part-copy`,
/// `complete-multipart-upload`, `abort-multipart-upload`, `list-parts`, `list-multipart-uploads`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MultipartCommand {
    /// `create-multipart-upload --bucket --key`.
    Create {
        /// `--bucket`.
        bucket: String,
        /// `--key`.
        key: String,
        /// `--acl`.
        acl: Option<String>,
        /// `--server-side-encryption`.
        server_side_encryption: Option<String>,
        /// `--ssekms-key-id`.
        ssekms_key_id: Option<String>,
        /// `--content-type`.
        content_type: Option<String>,
        /// The SSE-C options.
        sse_c: SseCArgs,
    },
    /// `upload-part --bucket --key --upload-id --part-number [--body FILE]`.
    UploadPart {
        /// `--bucket`.
        bucket: String,
        /// `--key`.
        key: String,
        /// `--upload-id`.
        upload_id: String,
        /// `--part-number`.
        part_number: i64,
        /// `--body`: a local file path.
        body: Option<String>,
        /// The SSE-C options.
        sse_c: SseCArgs,
    },
    /// `upload-part-copy --bucket --key --upload-id --part-number --copy-source`.
    UploadPartCopy {
        /// `--bucket`.
        bucket: String,
        /// `--key`.
        key: String,
        /// `--upload-id`.
        upload_id: String,
        /// `--part-number`.
        part_number: i64,
        /// `--copy-source` (`BUCKET/KEY[?versionId=V]`).
        copy_source: String,
        /// `--copy-source-range` (`bytes=first-last`).
        copy_source_range: Option<String>,
        /// The SSE-C options.
        sse_c: SseCArgs,
    },
    /// `complete-multipart-upload --bucket --key --upload-id --multipart-upload`.
    Complete {
        /// `--bucket`.
        bucket: String,
        /// `--key`.
        key: String,
        /// `--upload-id`.
        upload_id: String,
        /// `--multipart-upload` (`{"Parts": [{"ETag": …, "PartNumber": 1}]}` or shorthand).
        parts: Option<ArgValue>,
    },
    /// `abort-multipart-upload --bucket --key --upload-id`.
    Abort {
        /// `--bucket`.
        bucket: String,
        /// `--key`.
        key: String,
        /// `--upload-id`.
        upload_id: String,
    },
    /// `list-parts --bucket --key --upload-id`.
    ListParts {
        /// `--bucket`.
        bucket: String,
        /// `--key`.
        key: String,
        /// `--upload-id`.
        upload_id: String,
    },
    /// `list-multipart-uploads --bucket [--prefix]`.
    ListUploads {
        /// `--bucket`.
        bucket: String,
        /// `--prefix`.
        prefix: Option<String>,
    },
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

/// `aws kms …`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KmsCommand {
    /// `create-key`.
    CreateKey {
        /// `--description`.
        description: Option<String>,
        /// `--policy`.
        policy: Option<ArgValue>,
        /// `--key-usage`.
        key_usage: Option<String>,
        /// `--key-spec`.
        key_spec: Option<String>,
    },
    /// `enable-key-rotation`.
    EnableKeyRotation {
        /// `--key-id`.
        key_id: String,
        /// `--rotation-period-in-days`.
        rotation_period_in_days: Option<i64>,
    },
    /// `put-key-policy`.
    PutKeyPolicy {
        /// `--key-id`.
        key_id: String,
        /// `--policy-name` (only `default` exists).
        policy_name: Option<String>,
        /// `--policy`.
        policy: ArgValue,
    },
    /// `tag-resource --key-id --tags TagKey=k,TagValue=v …`.
    TagResource {
        /// `--key-id`.
        key_id: String,
        /// `--tags` (JSON `[{"TagKey", "TagValue"}]` or shorthand).
        tags: ArgValue,
    },
    /// `untag-resource --key-id --tag-keys k1,k2`.
    UntagResource {
        /// `--key-id`.
        key_id: String,
        /// `--tag-keys` (JSON list or shorthand `k1,k2`).
        tag_keys: ArgValue,
    },
    /// `list-resource-tags --key-id`.
    ListResourceTags {
        /// `--key-id`.
        key_id: String,
    },
}

/// `aws glacier …` (Vault Lock).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GlacierCommand {
    /// `initiate-vault-lock`.
    InitiateVaultLock {
        /// `--account-id` (`-` for the caller's account).
        account_id: String,
        /// `--vault-name`.
        vault_name: String,
        /// `--policy` (`{"Policy": "…"}` wrapper, usually `file://`).
        policy: ArgValue,
    },
    /// `complete-vault-lock`.
    CompleteVaultLock {
        /// `--account-id`.
        account_id: String,
        /// `--vault-name`.
        vault_name: String,
        /// `--lock-id`.
        lock_id: String,
    },
    /// `abort-vault-lock`.
    AbortVaultLock {
        /// `--account-id`.
        account_id: String,
        /// `--vault-name`.
        vault_name: String,
    },
}

/// `aws s3control …` (account-level Block Public Access).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum S3ControlCommand {
    /// `put-public-access-block --account-id --public-access-block-configuration`.
    PutPublicAccessBlock {
        /// `--account-id`.
        account_id: String,
        /// `--public-access-block-configuration`.
        configuration: ArgValue,
    },
    /// `get-public-access-block --account-id`.
    GetPublicAccessBlock {
        /// `--account-id`.
        account_id: String,
    },
    /// `delete-public-access-block --account-id`.
    DeletePublicAccessBlock {
        /// `--account-id`.
        account_id: String,
    },
}

/// `aws configure set NAME VALUE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigureSet {
    /// `region`, `aws_access_key_id`, `default.s3.addressing_style`, `profile.dev.region` …
    pub name: String,
    /// The value.
    pub value: String,
}

/// `aws iam …` and `aws sts …` (other than `get-caller-identity`): the operation and the options
/// given, each by its CLI name (`--user-name`), turned into the IAM or STS request by the
/// console (IAM API reference; STS API reference).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityCommand {
    /// `iam` or `sts`.
    pub service: &'static str,
    /// The operation (`put-user-policy`).
    pub operation: String,
    /// The options given, in the order of the operation's table.
    pub options: Vec<(&'static str, ArgValue)>,
}

/// A parsed command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `aws s3 …`.
    S3(S3Command),
    /// `aws s3api …` (boxed: its variants are large).
    S3Api(Box<S3ApiCommand>),
    /// `aws kms …`.
    Kms(KmsCommand),
    /// `aws glacier …`.
    Glacier(GlacierCommand),
    /// `aws configure set …`.
    ConfigureSet(ConfigureSet),
    /// `aws configure get NAME`.
    ConfigureGet {
        /// `region`, `default.s3.signature_version`, `profile.dev.region` …
        name: String,
    },
    /// `aws s3control …`.
    S3Control(S3ControlCommand),
    /// `aws sts get-caller-identity`: who the profile's credentials belong to.
    GetCallerIdentity,
    /// `aws iam …`, `aws sts get-session-token | assume-role`.
    Identity(IdentityCommand),
    /// `aws help`, `aws s3 help`, `aws s3api put-object help` …
    Help {
        /// The words before `help`.
        topic: Vec<String>,
    },
}

/// A whole command line: global options and the command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    /// `--profile`, `--region` …
    pub globals: GlobalOptions,
    /// What to do.
    pub command: Command,
}

/// The services modelled, as the CLI would list them.
pub const SERVICES: [&str; 8] = [
    "configure",
    "glacier",
    "iam",
    "kms",
    "s3",
    "s3api",
    "s3control",
    "sts",
];
const S3_OPS: [&str; 6] = ["cp", "ls", "mb", "presign", "rb", "rm"];
const S3API_OPS: [&str; 47] = [
    "abort-multipart-upload",
    "complete-multipart-upload",
    "copy-object",
    "create-bucket",
    "create-multipart-upload",
    "delete-bucket",
    "delete-bucket-lifecycle",
    "delete-bucket-policy",
    "delete-object",
    "delete-object-tagging",
    "delete-objects",
    "delete-public-access-block",
    "get-bucket-acl",
    "get-bucket-lifecycle-configuration",
    "get-bucket-ownership-controls",
    "get-bucket-policy",
    "get-bucket-policy-status",
    "get-bucket-versioning",
    "get-object",
    "get-object-acl",
    "get-object-legal-hold",
    "get-object-lock-configuration",
    "get-object-retention",
    "get-object-tagging",
    "get-public-access-block",
    "head-object",
    "list-buckets",
    "list-multipart-uploads",
    "list-object-versions",
    "list-objects-v2",
    "list-parts",
    "put-bucket-acl",
    "put-bucket-encryption",
    "put-bucket-lifecycle-configuration",
    "put-bucket-logging",
    "put-bucket-ownership-controls",
    "put-bucket-policy",
    "put-bucket-versioning",
    "put-object",
    "put-object-acl",
    "put-object-legal-hold",
    "put-object-lock-configuration",
    "put-object-retention",
    "put-object-tagging",
    "put-public-access-block",
    "upload-part",
    "upload-part-copy",
];
const KMS_OPS: [&str; 6] = [
    "create-key",
    "enable-key-rotation",
    "list-resource-tags",
    "put-key-policy",
    "tag-resource",
    "untag-resource",
];
const GLACIER_OPS: [&str; 3] = [
    "abort-vault-lock",
    "complete-vault-lock",
    "initiate-vault-lock",
];
const CONFIGURE_OPS: [&str; 2] = ["get", "set"];
const STS_OPS: [&str; 3] = ["assume-role", "get-caller-identity", "get-session-token"];

/// `aws iam` operations and their options (`req` required, `opt` optional).
const IAM_TABLE: &[(&str, &[Opt])] = &[
    (
        "attach-group-policy",
        &[req("--group-name"), req("--policy-arn")],
    ),
    (
        "attach-role-policy",
        &[req("--role-name"), req("--policy-arn")],
    ),
    (
        "attach-user-policy",
        &[req("--user-name"), req("--policy-arn")],
    ),
    ("create-access-key", &[opt("--user-name")]),
    (
        "create-policy",
        &[
            req("--policy-name"),
            req("--policy-document"),
            opt("--path"),
            opt("--description"),
        ],
    ),
    (
        "delete-access-key",
        &[opt("--user-name"), req("--access-key-id")],
    ),
    (
        "delete-group-policy",
        &[req("--group-name"), req("--policy-name")],
    ),
    (
        "delete-role-policy",
        &[req("--role-name"), req("--policy-name")],
    ),
    (
        "delete-user-policy",
        &[req("--user-name"), req("--policy-name")],
    ),
    (
        "detach-group-policy",
        &[req("--group-name"), req("--policy-arn")],
    ),
    (
        "detach-role-policy",
        &[req("--role-name"), req("--policy-arn")],
    ),
    (
        "detach-user-policy",
        &[req("--user-name"), req("--policy-arn")],
    ),
    (
        "get-role-policy",
        &[req("--role-name"), req("--policy-name")],
    ),
    (
        "get-user-policy",
        &[req("--user-name"), req("--policy-name")],
    ),
    (
        "put-group-policy",
        &[
            req("--group-name"),
            req("--policy-name"),
            req("--policy-document"),
        ],
    ),
    (
        "put-role-policy",
        &[
            req("--role-name"),
            req("--policy-name"),
            req("--policy-document"),
        ],
    ),
    (
        "put-user-policy",
        &[
            req("--user-name"),
            req("--policy-name"),
            req("--policy-document"),
        ],
    ),
    ("tag-role", &[req("--role-name"), req("--tags")]),
    ("tag-user", &[req("--user-name"), req("--tags")]),
    (
        "update-access-key",
        &[opt("--user-name"), req("--access-key-id"), req("--status")],
    ),
    (
        "update-assume-role-policy",
        &[req("--role-name"), req("--policy-document")],
    ),
];

/// `aws sts` operations that send a request, and their options.
const STS_TABLE: &[(&str, &[Opt])] = &[
    (
        "assume-role",
        &[
            req("--role-arn"),
            req("--role-session-name"),
            opt("--duration-seconds"),
            opt("--policy"),
            opt("--external-id"),
            opt("--serial-number"),
            opt("--token-code"),
            opt("--tags"),
        ],
    ),
    (
        "get-session-token",
        &[
            opt("--duration-seconds"),
            opt("--serial-number"),
            opt("--token-code"),
        ],
    ),
];

/// The operation names of a table, for the CLI's list of choices.
const IAM_OPS: [&str; 21] = [
    "attach-group-policy",
    "attach-role-policy",
    "attach-user-policy",
    "create-access-key",
    "create-policy",
    "delete-access-key",
    "delete-group-policy",
    "delete-role-policy",
    "delete-user-policy",
    "detach-group-policy",
    "detach-role-policy",
    "detach-user-policy",
    "get-role-policy",
    "get-user-policy",
    "put-group-policy",
    "put-role-policy",
    "put-user-policy",
    "tag-role",
    "tag-user",
    "update-access-key",
    "update-assume-role-policy",
];

/// Parses `aws iam OP …` or `aws sts OP …` against its table.
fn parse_identity(
    service: &'static str,
    table: &[(&str, &[Opt])],
    operation: &str,
    args: &[String],
) -> Result<IdentityCommand, UsageError> {
    let options: &[Opt] = table
        .iter()
        .find(|(name, _)| *name == operation)
        .map_or(&[], |(_, o)| o);
    let p = parse_options(args, options, &[], 0)?;
    Ok(IdentityCommand {
        service,
        operation: operation.to_owned(),
        options: options
            .iter()
            .filter_map(|o| p.value(o.name).map(|v| (o.name, v)))
            .collect(),
    })
}
const S3CONTROL_OPS: [&str; 3] = [
    "delete-public-access-block",
    "get-public-access-block",
    "put-public-access-block",
];

const SSE_CHOICES: &[&str] = &["AES256", "aws:kms", "aws:kms:dsse"];
const SSE_C_CHOICES: &[&str] = &["AES256"];

fn invalid_choice(argument: &'static str, given: &str, choices: &[&'static str]) -> UsageError {
    UsageError::new(UsageErrorKind::InvalidChoice {
        argument,
        given: given.to_owned(),
        choices: choices.to_vec(),
    })
}

fn path_type(usage: Option<&'static str>, shape: &'static str) -> UsageError {
    UsageError::new(UsageErrorKind::InvalidPathType { usage, shape })
}

/// Parses the words after `aws` (global options may appear anywhere).
pub fn parse_words(words: &[String]) -> Result<Invocation, UsageError> {
    let (globals, rest) = crate::args::split_globals(words)?;
    let Some((service, rest)) = rest.split_first() else {
        return Err(UsageError::new(UsageErrorKind::MissingCommand));
    };
    if service == "help" {
        return Ok(Invocation {
            globals,
            command: Command::Help { topic: Vec::new() },
        });
    }
    let ops: &[&'static str] = match service.as_str() {
        "s3" => &S3_OPS,
        "s3api" => &S3API_OPS,
        "kms" => &KMS_OPS,
        "glacier" => &GLACIER_OPS,
        "configure" => &CONFIGURE_OPS,
        "sts" => &STS_OPS,
        "iam" => &IAM_OPS,
        "s3control" => &S3CONTROL_OPS,
        other => return Err(invalid_choice("command", other, &SERVICES)),
    };
    let Some((operation, args)) = rest.split_first() else {
        return Err(UsageError::new(UsageErrorKind::MissingRequired {
            names: vec!["operation".to_owned()],
        }));
    };
    if operation == "help" {
        return Ok(Invocation {
            globals,
            command: Command::Help {
                topic: vec![service.clone()],
            },
        });
    }
    if !ops.contains(&operation.as_str()) {
        return Err(invalid_choice("operation", operation, ops));
    }
    if args.len() == 1 && args.first().is_some_and(|a| a == "help") {
        return Ok(Invocation {
            globals,
            command: Command::Help {
                topic: vec![service.clone(), operation.clone()],
            },
        });
    }
    let command = match service.as_str() {
        "s3" => Command::S3(parse_s3(operation, args)?),
        "s3api" => Command::S3Api(Box::new(parse_s3api(operation, args)?)),
        "kms" => Command::Kms(parse_kms(operation, args)?),
        "glacier" => Command::Glacier(parse_glacier(operation, args)?),
        "sts" if operation == "get-caller-identity" => {
            parse_options(args, &[], &[], 0)?;
            Command::GetCallerIdentity
        }
        "sts" => Command::Identity(parse_identity("sts", STS_TABLE, operation, args)?),
        "iam" => Command::Identity(parse_identity("iam", IAM_TABLE, operation, args)?),
        "s3control" => Command::S3Control(parse_s3control(operation, args)?),
        _ if operation == "get" => {
            let parsed = parse_options(args, &[], &["varname"], 1)?;
            Command::ConfigureGet {
                name: parsed.positionals.into_iter().next().unwrap_or_default(),
            }
        }
        _ => {
            let parsed = parse_options(args, &[], &["varname", "value"], 2)?;
            let mut positionals = parsed.positionals.into_iter();
            Command::ConfigureSet(ConfigureSet {
                name: positionals.next().unwrap_or_default(),
                value: positionals.next().unwrap_or_default(),
            })
        }
    };
    Ok(Invocation { globals, command })
}

fn parse_s3(operation: &str, args: &[String]) -> Result<S3Command, UsageError> {
    match operation {
        "ls" => {
            let p = parse_options(
                args,
                &[
                    flag("--recursive"),
                    flag("--human-readable"),
                    flag("--summarize"),
                    plain("--page-size"),
                ],
                &[],
                1,
            )?;
            let path = match p.positionals.first() {
                None => None,
                // `aws s3 ls bucket/prefix` works without the scheme too.
                Some(word) => {
                    let full = if word.starts_with("s3://") {
                        word.clone()
                    } else {
                        format!("s3://{word}")
                    };
                    Some(S3Uri::parse(&full).ok_or_else(|| path_type(None, "<S3Uri>"))?)
                }
            };
            Ok(S3Command::Ls {
                path,
                recursive: p.flag("--recursive"),
                human_readable: p.flag("--human-readable"),
                summarize: p.flag("--summarize"),
            })
        }
        "cp" => parse_cp(args),
        "rm" => {
            let options = [
                flag("--recursive"),
                flag("--dryrun"),
                flag("--quiet"),
                flag("--only-show-errors"),
                Opt {
                    name: "--include",
                    kind: Kind::Repeated,
                    required: false,
                },
                Opt {
                    name: "--exclude",
                    kind: Kind::Repeated,
                    required: false,
                },
            ];
            let p = parse_options(args, &options, &["paths"], 1)?;
            let word = p
                .positionals
                .first()
                .map(String::as_str)
                .unwrap_or_default();
            let path = S3Uri::parse(word)
                .ok_or_else(|| path_type(Some("usage: aws s3 rm <S3Uri>"), "<S3Uri>"))?;
            Ok(S3Command::Rm {
                path,
                recursive: p.flag("--recursive"),
                dryrun: p.flag("--dryrun"),
            })
        }
        "mb" | "rb" => {
            let options: &[Opt] = if operation == "rb" {
                &[flag("--force")]
            } else {
                &[]
            };
            let p = parse_options(args, options, &["path"], 1)?;
            let word = p
                .positionals
                .first()
                .map(String::as_str)
                .unwrap_or_default();
            let uri = S3Uri::parse(word).ok_or_else(|| path_type(None, "<S3Uri>"))?;
            Ok(if operation == "mb" {
                S3Command::Mb { bucket: uri.bucket }
            } else {
                S3Command::Rb {
                    bucket: uri.bucket,
                    force: p.flag("--force"),
                }
            })
        }
        _ => {
            let p = parse_options(args, &[plain("--expires-in")], &["path"], 1)?;
            let word = p
                .positionals
                .first()
                .map(String::as_str)
                .unwrap_or_default();
            // `aws s3 presign` accepts the path with or without `s3://`.
            let full = if word.starts_with("s3://") {
                word.to_owned()
            } else {
                format!("s3://{word}")
            };
            let path = S3Uri::parse(&full).ok_or_else(|| path_type(None, "<S3Uri>"))?;
            Ok(S3Command::Presign {
                path,
                expires_in: p.int("--expires-in")?.unwrap_or(3600),
            })
        }
    }
}

/// `aws s3 cp`: a local path and an S3 URI in either order (or two S3 URIs), with the flags
/// the playground models.
fn parse_cp(args: &[String]) -> Result<S3Command, UsageError> {
    const USAGE: &str =
        "usage: aws s3 cp <LocalPath> <S3Uri> or <S3Uri> <LocalPath> or <S3Uri> <S3Uri>";
    let options = [
        flag("--recursive"),
        flag("--dryrun"),
        flag("--quiet"),
        flag("--no-progress"),
        flag("--only-show-errors"),
        plain("--acl"),
        Opt {
            name: "--sse",
            kind: Kind::OptionalValue("AES256", SSE_CHOICES),
            required: false,
        },
        plain("--sse-kms-key-id"),
        Opt {
            name: "--sse-c",
            kind: Kind::OptionalValue("AES256", SSE_C_CHOICES),
            required: false,
        },
        plain("--sse-c-key"),
        plain("--content-type"),
        plain("--storage-class"),
        Opt {
            name: "--grants",
            kind: Kind::Many,
            required: false,
        },
        Opt {
            name: "--include",
            kind: Kind::Repeated,
            required: false,
        },
        Opt {
            name: "--exclude",
            kind: Kind::Repeated,
            required: false,
        },
        plain("--metadata"),
        plain("--expected-size"),
    ];
    let p = parse_options(args, &options, &["paths"], 2)?;
    let mut words = p.positionals.iter();
    let (Some(source), Some(destination)) = (words.next(), words.next()) else {
        return Err(UsageError::new(UsageErrorKind::MissingRequired {
            names: vec!["paths".to_owned()],
        }));
    };
    let location = |word: &str| -> Result<Location, UsageError> {
        if word.starts_with("s3://") {
            S3Uri::parse(word)
                .map(Location::S3)
                .ok_or_else(|| path_type(Some(USAGE), "<S3Uri>"))
        } else {
            Ok(Location::Local(word.to_owned()))
        }
    };
    let (source, destination) = (location(source)?, location(destination)?);
    if matches!(
        (&source, &destination),
        (Location::Local(_), Location::Local(_))
    ) {
        return Err(path_type(Some(USAGE), "<S3Uri>"));
    }
    let options = CpOptions {
        recursive: p.flag("--recursive"),
        acl: p.text("--acl"),
        sse: p.text("--sse"),
        sse_kms_key_id: p.text("--sse-kms-key-id"),
        sse_c: p.text("--sse-c"),
        sse_c_key: p.text("--sse-c-key"),
        content_type: p.text("--content-type"),
        storage_class: p.text("--storage-class"),
        grants: p.all_texts("--grants"),
        include: p.all_texts("--include"),
        exclude: p.all_texts("--exclude"),
        dryrun: p.flag("--dryrun"),
    };
    Ok(S3Command::Cp {
        source,
        destination,
        options: Box::new(options),
    })
}

const SSE_C_READ: [Opt; 3] = [
    opt("--sse-customer-algorithm"),
    opt("--sse-customer-key"),
    opt("--sse-customer-key-md5"),
];

/// The options `get-object` and `head-object` share: the object, a range or version, and the
/// SSE-C key a read of an SSE-C object must send again.
const OBJECT_READ: [Opt; 7] = [
    req("--bucket"),
    req("--key"),
    opt("--range"),
    opt("--version-id"),
    opt("--sse-customer-algorithm"),
    opt("--sse-customer-key"),
    opt("--sse-customer-key-md5"),
];

fn acl_args(p: &Parsed) -> Box<AclArgs> {
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

const ACL_OPTIONS: [Opt; 7] = [
    opt("--acl"),
    opt("--access-control-policy"),
    opt("--grant-full-control"),
    opt("--grant-read"),
    opt("--grant-read-acp"),
    opt("--grant-write"),
    opt("--grant-write-acp"),
];

fn with(base: &[Opt], more: &[Opt]) -> Vec<Opt> {
    let mut all = base.to_vec();
    all.extend_from_slice(more);
    all
}

/// The options of `list-multipart-uploads`.
const LIST_UPLOADS_OPTIONS: [Opt; 8] = [
    req("--bucket"),
    opt("--prefix"),
    opt("--delimiter"),
    plain("--max-uploads"),
    plain("--key-marker"),
    plain("--upload-id-marker"),
    plain("--max-items"),
    plain("--starting-token"),
];

/// `--part-number` (0 when absent: the world refuses it).
fn part_number(p: &Parsed) -> Result<i64, UsageError> {
    Ok(p.int("--part-number")?.unwrap_or_default())
}

/// The SSE-C flags of a multipart command.
fn sse_c_args(p: &Parsed) -> SseCArgs {
    SseCArgs {
        algorithm: p.text("--sse-customer-algorithm"),
        key: p.text("--sse-customer-key"),
        key_md5: p.text("--sse-customer-key-md5"),
    }
}

/// The multipart upload commands; `None` for any other operation.
fn parse_multipart(
    operation: &str,
    args: &[String],
) -> Result<Option<MultipartCommand>, UsageError> {
    let common = [
        opt("--expected-bucket-owner"),
        opt("--request-payer"),
        opt("--checksum-algorithm"),
    ];
    let parse = |options: &[Opt]| parse_options(args, &with(options, &common), &[], 0);
    let object = [req("--bucket"), req("--key")];
    let upload = [req("--bucket"), req("--key"), req("--upload-id")];
    Ok(Some(match operation {
        "create-multipart-upload" => {
            let mut options = with(&object, &SSE_C_READ);
            options.extend([
                opt("--acl"),
                opt("--server-side-encryption"),
                opt("--ssekms-key-id"),
                opt("--ssekms-encryption-context"),
                boolean("--bucket-key-enabled"),
                opt("--content-type"),
                opt("--metadata"),
                opt("--storage-class"),
                opt("--tagging"),
            ]);
            let p = parse(&options)?;
            MultipartCommand::Create {
                bucket: p.required_text("--bucket"),
                key: p.required_text("--key"),
                acl: p.text("--acl"),
                server_side_encryption: p.text("--server-side-encryption"),
                ssekms_key_id: p.text("--ssekms-key-id"),
                content_type: p.text("--content-type"),
                sse_c: sse_c_args(&p),
            }
        }
        "upload-part" => {
            let mut options = with(&upload, &SSE_C_READ);
            options.extend([req("--part-number"), plain("--body"), opt("--content-md5")]);
            let p = parse(&options)?;
            MultipartCommand::UploadPart {
                bucket: p.required_text("--bucket"),
                key: p.required_text("--key"),
                upload_id: p.required_text("--upload-id"),
                part_number: part_number(&p)?,
                body: p.text("--body"),
                sse_c: sse_c_args(&p),
            }
        }
        "upload-part-copy" => {
            let mut options = with(&upload, &SSE_C_READ);
            options.extend([
                req("--part-number"),
                req("--copy-source"),
                opt("--copy-source-range"),
                opt("--copy-source-sse-customer-algorithm"),
                opt("--copy-source-sse-customer-key"),
                opt("--copy-source-sse-customer-key-md5"),
            ]);
            let p = parse(&options)?;
            MultipartCommand::UploadPartCopy {
                bucket: p.required_text("--bucket"),
                key: p.required_text("--key"),
                upload_id: p.required_text("--upload-id"),
                part_number: part_number(&p)?,
                copy_source: p.required_text("--copy-source"),
                copy_source_range: p.text("--copy-source-range"),
                sse_c: sse_c_args(&p),
            }
        }
        "complete-multipart-upload" => {
            let mut options = with(&upload, &SSE_C_READ);
            options.push(opt("--multipart-upload"));
            let p = parse(&options)?;
            MultipartCommand::Complete {
                bucket: p.required_text("--bucket"),
                key: p.required_text("--key"),
                upload_id: p.required_text("--upload-id"),
                parts: p.value("--multipart-upload"),
            }
        }
        "abort-multipart-upload" | "list-parts" => {
            let mut options = upload.to_vec();
            options.extend([
                plain("--max-parts"),
                plain("--part-number-marker"),
                plain("--max-items"),
                plain("--starting-token"),
            ]);
            let p = parse(&options)?;
            let (bucket, key, upload_id) = (
                p.required_text("--bucket"),
                p.required_text("--key"),
                p.required_text("--upload-id"),
            );
            if operation == "list-parts" {
                MultipartCommand::ListParts {
                    bucket,
                    key,
                    upload_id,
                }
            } else {
                MultipartCommand::Abort {
                    bucket,
                    key,
                    upload_id,
                }
            }
        }
        "list-multipart-uploads" => {
            let p = parse(&LIST_UPLOADS_OPTIONS)?;
            MultipartCommand::ListUploads {
                bucket: p.required_text("--bucket"),
                prefix: p.text("--prefix"),
            }
        }
        _ => return Ok(None),
    }))
}

fn parse_s3api(operation: &str, args: &[String]) -> Result<S3ApiCommand, UsageError> {
    if let Some(m) = parse_multipart(operation, args)? {
        return Ok(S3ApiCommand::Multipart(m));
    }
    if let Some(l) = parse_lock(operation, args)? {
        return Ok(S3ApiCommand::Lock(l));
    }
    for family in [
        parse_object_write,
        parse_object_read,
        parse_object_acl_tags,
        parse_bucket_access,
        parse_s3api_query,
    ] {
        if let Some(command) = family(operation, args)? {
            return Ok(command);
        }
    }
    parse_bucket(operation, args)
}

/// Reads an `aws s3api` command's options, with the ones every command takes
/// (`--expected-bucket-owner`).
fn s3api_options(
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

/// The `aws s3api` commands that write an object: put-object, put-object-acl, copy-object; `None` for another operation.
fn parse_object_write(
    operation: &str,
    args: &[String],
) -> Result<Option<S3ApiCommand>, UsageError> {
    let parse = |options: &[Opt], positionals: &[&str]| s3api_options(args, options, positionals);
    Ok(Some(match operation {
        "put-object" => {
            let p = parse(
                &with(
                    &[
                        opt("--acl"),
                        plain("--body"),
                        req("--bucket"),
                        opt("--content-type"),
                        req("--key"),
                        opt("--metadata"),
                        opt("--server-side-encryption"),
                        opt("--storage-class"),
                        opt("--ssekms-key-id"),
                        opt("--ssekms-encryption-context"),
                        boolean("--bucket-key-enabled"),
                        opt("--tagging"),
                        opt("--content-md5"),
                        opt("--checksum-algorithm"),
                        opt("--object-lock-mode"),
                        opt("--object-lock-retain-until-date"),
                        opt("--object-lock-legal-hold-status"),
                    ],
                    &SSE_C_READ,
                ),
                &[],
            )?;
            S3ApiCommand::PutObject {
                bucket: p.required_text("--bucket"),
                key: p.required_text("--key"),
                body: p.text("--body"),
                acl: p.text("--acl"),
                server_side_encryption: p.text("--server-side-encryption"),
                ssekms_key_id: p.text("--ssekms-key-id"),
                sse_customer_algorithm: p.text("--sse-customer-algorithm"),
                sse_customer_key: p.text("--sse-customer-key"),
                sse_customer_key_md5: p.text("--sse-customer-key-md5"),
                bucket_key_enabled: p.boolean("--bucket-key-enabled"),
                content_type: p.text("--content-type"),
                metadata: p.value("--metadata"),
                tagging: p.text("--tagging"),
                expected_bucket_owner: p.text("--expected-bucket-owner"),
                lock: Box::new(ObjectLockArgs {
                    mode: p.text("--object-lock-mode"),
                    retain_until_date: p.text("--object-lock-retain-until-date"),
                    legal_hold_status: p.text("--object-lock-legal-hold-status"),
                    content_md5: p.text("--content-md5"),
                }),
            }
        }
        "put-object-acl" => {
            let p = parse(
                &with(
                    &ACL_OPTIONS,
                    &[
                        req("--bucket"),
                        req("--key"),
                        opt("--version-id"),
                        opt("--content-md5"),
                    ],
                ),
                &[],
            )?;
            S3ApiCommand::PutObjectAcl {
                bucket: p.required_text("--bucket"),
                key: p.required_text("--key"),
                version_id: p.text("--version-id"),
                acl: acl_args(&p),
            }
        }
        "copy-object" => {
            let p = parse(
                &with(
                    &[
                        req("--bucket"),
                        req("--key"),
                        req("--copy-source"),
                        opt("--acl"),
                        opt("--server-side-encryption"),
                        opt("--ssekms-key-id"),
                        opt("--metadata-directive"),
                        opt("--metadata"),
                        opt("--content-type"),
                        opt("--storage-class"),
                        opt("--tagging-directive"),
                        boolean("--bucket-key-enabled"),
                    ],
                    &SSE_C_READ,
                ),
                &[],
            )?;
            S3ApiCommand::CopyObject {
                bucket: p.required_text("--bucket"),
                key: p.required_text("--key"),
                copy_source: p.required_text("--copy-source"),
                acl: p.text("--acl"),
                server_side_encryption: p.text("--server-side-encryption"),
                ssekms_key_id: p.text("--ssekms-key-id"),
            }
        }
        _ => return Ok(None),
    }))
}

/// The `aws s3api` commands that read, list or delete objects; `None` for another operation.
fn parse_object_read(operation: &str, args: &[String]) -> Result<Option<S3ApiCommand>, UsageError> {
    let parse = |options: &[Opt], positionals: &[&str]| s3api_options(args, options, positionals);
    Ok(Some(match operation {
        "get-object" => {
            let p = parse(&OBJECT_READ, &["outfile"])?;
            S3ApiCommand::GetObject {
                bucket: p.required_text("--bucket"),
                key: p.required_text("--key"),
                outfile: p.positionals.first().cloned().unwrap_or_default(),
                version_id: p.text("--version-id"),
                sse_customer_algorithm: p.text("--sse-customer-algorithm"),
                sse_customer_key: p.text("--sse-customer-key"),
                sse_customer_key_md5: p.text("--sse-customer-key-md5"),
                range: p.text("--range"),
            }
        }
        "head-object" => {
            let p = parse(&OBJECT_READ, &[])?;
            S3ApiCommand::HeadObject {
                bucket: p.required_text("--bucket"),
                key: p.required_text("--key"),
                version_id: p.text("--version-id"),
                sse_customer_algorithm: p.text("--sse-customer-algorithm"),
                sse_customer_key: p.text("--sse-customer-key"),
            }
        }
        "delete-object" => {
            let p = parse(
                &[
                    req("--bucket"),
                    req("--key"),
                    opt("--mfa"),
                    opt("--version-id"),
                    boolean("--bypass-governance-retention"),
                ],
                &[],
            )?;
            S3ApiCommand::DeleteObject {
                bucket: p.required_text("--bucket"),
                key: p.required_text("--key"),
                version_id: p.text("--version-id"),
                mfa: p.text("--mfa"),
                bypass_governance_retention: p
                    .boolean("--bypass-governance-retention")
                    .unwrap_or(false),
            }
        }
        "list-objects-v2" => {
            let p = parse(
                &[
                    req("--bucket"),
                    opt("--delimiter"),
                    opt("--encoding-type"),
                    boolean("--fetch-owner"),
                    opt("--start-after"),
                    opt("--prefix"),
                    plain("--max-items"),
                    plain("--page-size"),
                    plain("--starting-token"),
                ],
                &[],
            )?;
            S3ApiCommand::ListObjectsV2 {
                bucket: p.required_text("--bucket"),
                prefix: p.text("--prefix"),
                delimiter: p.text("--delimiter"),
                start_after: p.text("--start-after"),
                max_items: p.int("--max-items")?,
            }
        }
        "list-object-versions" => {
            let p = parse(
                &[
                    req("--bucket"),
                    opt("--delimiter"),
                    opt("--encoding-type"),
                    opt("--prefix"),
                    plain("--max-items"),
                    plain("--page-size"),
                    plain("--starting-token"),
                ],
                &[],
            )?;
            S3ApiCommand::ListObjectVersions {
                bucket: p.required_text("--bucket"),
                prefix: p.text("--prefix"),
            }
        }
        "delete-objects" => {
            let p = parse(
                &[
                    req("--bucket"),
                    req("--delete"),
                    opt("--mfa"),
                    boolean("--bypass-governance-retention"),
                    opt("--checksum-algorithm"),
                ],
                &[],
            )?;
            S3ApiCommand::DeleteObjects {
                bucket: p.required_text("--bucket"),
                delete: p.value("--delete").unwrap_or(ArgValue::Text(String::new())),
                mfa: p.text("--mfa"),
                bypass_governance_retention: p
                    .boolean("--bypass-governance-retention")
                    .unwrap_or(false),
            }
        }
        _ => return Ok(None),
    }))
}

/// The `aws s3api` commands on an object's ACL and tags: get-object-acl, get/put/delete-object-tagging; `None` for another operation.
fn parse_object_acl_tags(
    operation: &str,
    args: &[String],
) -> Result<Option<S3ApiCommand>, UsageError> {
    let parse = |options: &[Opt], positionals: &[&str]| s3api_options(args, options, positionals);
    Ok(Some(match operation {
        "get-object-acl" => {
            let p = parse(&[req("--bucket"), req("--key"), opt("--version-id")], &[])?;
            S3ApiCommand::Query(S3ApiQuery::GetObjectAcl {
                bucket: p.required_text("--bucket"),
                key: p.required_text("--key"),
                version_id: p.text("--version-id"),
            })
        }
        "get-object-tagging" | "delete-object-tagging" => {
            let p = parse(&[req("--bucket"), req("--key"), opt("--version-id")], &[])?;
            let (bucket, key, version_id) = (
                p.required_text("--bucket"),
                p.required_text("--key"),
                p.text("--version-id"),
            );
            S3ApiCommand::Query(if operation == "get-object-tagging" {
                S3ApiQuery::GetObjectTagging {
                    bucket,
                    key,
                    version_id,
                }
            } else {
                S3ApiQuery::DeleteObjectTagging {
                    bucket,
                    key,
                    version_id,
                }
            })
        }
        "put-object-tagging" => {
            let p = parse(
                &[
                    req("--bucket"),
                    req("--key"),
                    opt("--version-id"),
                    req("--tagging"),
                ],
                &[],
            )?;
            S3ApiCommand::PutObjectTagging {
                bucket: p.required_text("--bucket"),
                key: p.required_text("--key"),
                version_id: p.text("--version-id"),
                tagging: p
                    .value("--tagging")
                    .unwrap_or(ArgValue::Text(String::new())),
            }
        }
        _ => return Ok(None),
    }))
}

/// The `aws s3api` commands on who may use a bucket: its policy, ACL, Block Public Access and Object Ownership; `None` for another operation.
fn parse_bucket_access(
    operation: &str,
    args: &[String],
) -> Result<Option<S3ApiCommand>, UsageError> {
    let parse = |options: &[Opt], positionals: &[&str]| s3api_options(args, options, positionals);
    Ok(Some(match operation {
        "put-bucket-policy" => {
            let p = parse(
                &[
                    req("--bucket"),
                    opt("--content-md5"),
                    opt("--checksum-algorithm"),
                    boolean("--confirm-remove-self-bucket-access"),
                    req("--policy"),
                ],
                &[],
            )?;
            S3ApiCommand::PutBucketPolicy {
                bucket: p.required_text("--bucket"),
                policy: p.value("--policy").unwrap_or(ArgValue::Text(String::new())),
            }
        }
        "get-bucket-policy" => {
            let p = parse(&[req("--bucket")], &[])?;
            S3ApiCommand::GetBucketPolicy {
                bucket: p.required_text("--bucket"),
            }
        }
        "put-bucket-acl" => {
            let p = parse(
                &with(&ACL_OPTIONS, &[req("--bucket"), opt("--content-md5")]),
                &[],
            )?;
            S3ApiCommand::PutBucketAcl {
                bucket: p.required_text("--bucket"),
                acl: acl_args(&p),
            }
        }
        "put-public-access-block" => {
            let p = parse(
                &[
                    req("--bucket"),
                    opt("--content-md5"),
                    req("--public-access-block-configuration"),
                ],
                &[],
            )?;
            S3ApiCommand::PutPublicAccessBlock {
                bucket: p.required_text("--bucket"),
                configuration: p
                    .value("--public-access-block-configuration")
                    .unwrap_or(ArgValue::Text(String::new())),
            }
        }
        "put-bucket-ownership-controls" => {
            let p = parse(
                &[
                    req("--bucket"),
                    opt("--content-md5"),
                    req("--ownership-controls"),
                ],
                &[],
            )?;
            S3ApiCommand::PutBucketOwnershipControls {
                bucket: p.required_text("--bucket"),
                ownership_controls: p
                    .value("--ownership-controls")
                    .unwrap_or(ArgValue::Text(String::new())),
            }
        }
        _ => return Ok(None),
    }))
}

/// The `aws s3api` listings and the simple reads and deletes answered by one request (list-buckets, get-bucket-acl, delete-bucket, …); `None` for another operation.
fn parse_s3api_query(operation: &str, args: &[String]) -> Result<Option<S3ApiCommand>, UsageError> {
    let parse = |options: &[Opt], positionals: &[&str]| s3api_options(args, options, positionals);
    Ok(Some(match operation {
        "list-buckets" => {
            parse_options(
                args,
                &[
                    plain("--max-items"),
                    plain("--page-size"),
                    plain("--starting-token"),
                    opt("--prefix"),
                    opt("--bucket-region"),
                ],
                &[],
                0,
            )?;
            S3ApiCommand::Query(S3ApiQuery::ListBuckets)
        }
        "delete-bucket"
        | "get-bucket-acl"
        | "get-public-access-block"
        | "delete-public-access-block"
        | "get-bucket-ownership-controls"
        | "delete-bucket-policy"
        | "get-bucket-policy-status" => {
            let p = parse(&[req("--bucket")], &[])?;
            let bucket = p.required_text("--bucket");
            S3ApiCommand::Query(match operation {
                "delete-bucket" => S3ApiQuery::DeleteBucket { bucket },
                "get-bucket-acl" => S3ApiQuery::GetBucketAcl { bucket },
                "get-public-access-block" => S3ApiQuery::GetPublicAccessBlock { bucket },
                "delete-public-access-block" => S3ApiQuery::DeletePublicAccessBlock { bucket },
                "get-bucket-ownership-controls" => {
                    S3ApiQuery::GetBucketOwnershipControls { bucket }
                }
                "delete-bucket-policy" => S3ApiQuery::DeleteBucketPolicy { bucket },
                _ => S3ApiQuery::GetBucketPolicyStatus { bucket },
            })
        }
        _ => return Ok(None),
    }))
}

/// The `aws s3api` commands on a bucket itself: create-bucket, its versioning, default encryption
/// and logging (the last arm: [`parse_words`] already refused an unknown operation).
fn parse_bucket(operation: &str, args: &[String]) -> Result<S3ApiCommand, UsageError> {
    let parse = |options: &[Opt], positionals: &[&str]| s3api_options(args, options, positionals);
    Ok(match operation {
        "create-bucket" => {
            let mut options = ACL_OPTIONS.to_vec();
            options.extend([
                req("--bucket"),
                opt("--create-bucket-configuration"),
                opt("--object-ownership"),
                boolean("--object-lock-enabled-for-bucket"),
            ]);
            let p = parse_options(args, &options, &[], 0)?;
            S3ApiCommand::CreateBucket {
                bucket: p.required_text("--bucket"),
                acl: p.text("--acl"),
                configuration: p.value("--create-bucket-configuration"),
                object_ownership: p.text("--object-ownership"),
                object_lock_enabled: p.boolean("--object-lock-enabled-for-bucket"),
            }
        }
        "put-bucket-versioning" => {
            let p = parse(
                &[
                    req("--bucket"),
                    opt("--content-md5"),
                    opt("--mfa"),
                    req("--versioning-configuration"),
                ],
                &[],
            )?;
            S3ApiCommand::PutBucketVersioning {
                bucket: p.required_text("--bucket"),
                configuration: p
                    .value("--versioning-configuration")
                    .unwrap_or(ArgValue::Text(String::new())),
                mfa: p.text("--mfa"),
            }
        }
        "get-bucket-versioning" => {
            let p = parse(&[req("--bucket")], &[])?;
            S3ApiCommand::GetBucketVersioning {
                bucket: p.required_text("--bucket"),
            }
        }
        "put-bucket-encryption" => {
            let p = parse(
                &[
                    req("--bucket"),
                    opt("--content-md5"),
                    req("--server-side-encryption-configuration"),
                ],
                &[],
            )?;
            S3ApiCommand::PutBucketEncryption {
                bucket: p.required_text("--bucket"),
                configuration: p
                    .value("--server-side-encryption-configuration")
                    .unwrap_or(ArgValue::Text(String::new())),
            }
        }
        _ => {
            let p = parse(
                &[
                    req("--bucket"),
                    req("--bucket-logging-status"),
                    opt("--content-md5"),
                ],
                &[],
            )?;
            S3ApiCommand::PutBucketLogging {
                bucket: p.required_text("--bucket"),
                status: p
                    .value("--bucket-logging-status")
                    .unwrap_or(ArgValue::Text(String::new())),
            }
        }
    })
}

fn parse_s3control(operation: &str, args: &[String]) -> Result<S3ControlCommand, UsageError> {
    Ok(match operation {
        "put-public-access-block" => {
            let p = parse_options(
                args,
                &[
                    req("--account-id"),
                    req("--public-access-block-configuration"),
                ],
                &[],
                0,
            )?;
            S3ControlCommand::PutPublicAccessBlock {
                account_id: p.required_text("--account-id"),
                configuration: p
                    .value("--public-access-block-configuration")
                    .unwrap_or(ArgValue::Text(String::new())),
            }
        }
        "get-public-access-block" => {
            let p = parse_options(args, &[req("--account-id")], &[], 0)?;
            S3ControlCommand::GetPublicAccessBlock {
                account_id: p.required_text("--account-id"),
            }
        }
        _ => {
            let p = parse_options(args, &[req("--account-id")], &[], 0)?;
            S3ControlCommand::DeletePublicAccessBlock {
                account_id: p.required_text("--account-id"),
            }
        }
    })
}

fn parse_kms(operation: &str, args: &[String]) -> Result<KmsCommand, UsageError> {
    Ok(match operation {
        "create-key" => {
            let p = parse_options(
                args,
                &[
                    opt("--policy"),
                    opt("--description"),
                    opt("--key-usage"),
                    opt("--key-spec"),
                    opt("--origin"),
                    boolean("--bypass-policy-lockout-safety-check"),
                    opt("--tags"),
                    boolean("--multi-region"),
                ],
                &[],
                0,
            )?;
            KmsCommand::CreateKey {
                description: p.text("--description"),
                policy: p.value("--policy"),
                key_usage: p.text("--key-usage"),
                key_spec: p.text("--key-spec"),
            }
        }
        "enable-key-rotation" => {
            let p = parse_options(
                args,
                &[req("--key-id"), opt("--rotation-period-in-days")],
                &[],
                0,
            )?;
            KmsCommand::EnableKeyRotation {
                key_id: p.required_text("--key-id"),
                rotation_period_in_days: p.int("--rotation-period-in-days")?,
            }
        }
        "tag-resource" => {
            let p = parse_options(args, &[req("--key-id"), req("--tags")], &[], 0)?;
            KmsCommand::TagResource {
                key_id: p.required_text("--key-id"),
                tags: p.value("--tags").unwrap_or(ArgValue::Text(String::new())),
            }
        }
        "untag-resource" => {
            let p = parse_options(args, &[req("--key-id"), req("--tag-keys")], &[], 0)?;
            KmsCommand::UntagResource {
                key_id: p.required_text("--key-id"),
                tag_keys: p
                    .value("--tag-keys")
                    .unwrap_or(ArgValue::Text(String::new())),
            }
        }
        "list-resource-tags" => {
            let p = parse_options(args, &[req("--key-id"), opt("--limit")], &[], 0)?;
            KmsCommand::ListResourceTags {
                key_id: p.required_text("--key-id"),
            }
        }
        _ => {
            let p = parse_options(
                args,
                &[
                    req("--key-id"),
                    opt("--policy-name"),
                    req("--policy"),
                    boolean("--bypass-policy-lockout-safety-check"),
                ],
                &[],
                0,
            )?;
            KmsCommand::PutKeyPolicy {
                key_id: p.required_text("--key-id"),
                policy_name: p.text("--policy-name"),
                policy: p.value("--policy").unwrap_or(ArgValue::Text(String::new())),
            }
        }
    })
}

fn parse_glacier(operation: &str, args: &[String]) -> Result<GlacierCommand, UsageError> {
    let vault = [req("--account-id"), req("--vault-name")];
    Ok(match operation {
        "initiate-vault-lock" => {
            let p = parse_options(args, &with(&vault, &[req("--policy")]), &[], 0)?;
            GlacierCommand::InitiateVaultLock {
                account_id: p.required_text("--account-id"),
                vault_name: p.required_text("--vault-name"),
                policy: p.value("--policy").unwrap_or(ArgValue::Text(String::new())),
            }
        }
        "complete-vault-lock" => {
            let p = parse_options(args, &with(&vault, &[req("--lock-id")]), &[], 0)?;
            GlacierCommand::CompleteVaultLock {
                account_id: p.required_text("--account-id"),
                vault_name: p.required_text("--vault-name"),
                lock_id: p.required_text("--lock-id"),
            }
        }
        _ => {
            let p = parse_options(args, &vault, &[], 0)?;
            GlacierCommand::AbortVaultLock {
                account_id: p.required_text("--account-id"),
                vault_name: p.required_text("--vault-name"),
            }
        }
    })
}

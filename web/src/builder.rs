//! The request builder: every operation the simulated world answers, as a form a learner fills
//! in — the operation's parameters, the headers that take part in S3's decision (SSE, SSE-KMS key,
//! the SSE-C trio, canned ACL, MFA, copy source, version id), the network (HTTP or HTTPS, source
//! IP, VPC endpoint) and the caller (IAM user, role session, root user, anonymous, or a pre-signed
//! URL) — and the raw HTTP request it stands for.
//!
//! The operations and their headers follow the S3 API reference
//! (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations_Amazon_Simple_Storage_Service.html>).
//! Building is pure: [`RequestForm::build`] turns a form into the [`Request`] the world handles,
//! or says in a sentence what is missing.

use s3pg_sim::request::{
    AccessControlPolicy, MfaDeleteStatus, ObjectIdentifier, PresignSpec, VersioningStatus,
};
use s3pg_sim::{Caller, ObjectOwnership, Operation, PublicAccessBlock, Request, Scheme, World};

/// Every operation the builder offers, in menu order, grouped as the S3 API reference groups them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OpKind {
    /// `PutObject`.
    PutObject,
    /// `GetObject`.
    GetObject,
    /// `HeadObject`.
    HeadObject,
    /// `DeleteObject`.
    DeleteObject,
    /// `DeleteObjects`.
    DeleteObjects,
    /// `CopyObject`.
    CopyObject,
    /// `ListObjectsV2`.
    ListObjectsV2,
    /// `ListObjectVersions`.
    ListObjectVersions,
    /// `PutObjectAcl`.
    PutObjectAcl,
    /// `GetObjectAcl`.
    GetObjectAcl,
    /// `ListBuckets`.
    ListBuckets,
    /// `CreateBucket`.
    CreateBucket,
    /// `DeleteBucket`.
    DeleteBucket,
    /// `PutBucketPolicy`.
    PutBucketPolicy,
    /// `GetBucketPolicy`.
    GetBucketPolicy,
    /// `DeleteBucketPolicy`.
    DeleteBucketPolicy,
    /// `GetBucketPolicyStatus`.
    GetBucketPolicyStatus,
    /// `PutBucketAcl`.
    PutBucketAcl,
    /// `GetBucketAcl`.
    GetBucketAcl,
    /// `PutPublicAccessBlock`.
    PutPublicAccessBlock,
    /// `GetPublicAccessBlock`.
    GetPublicAccessBlock,
    /// `DeletePublicAccessBlock`.
    DeletePublicAccessBlock,
    /// `PutPublicAccessBlock` on the account (S3 Control).
    PutAccountPublicAccessBlock,
    /// `GetPublicAccessBlock` on the account.
    GetAccountPublicAccessBlock,
    /// `DeletePublicAccessBlock` on the account.
    DeleteAccountPublicAccessBlock,
    /// `PutBucketOwnershipControls`.
    PutBucketOwnershipControls,
    /// `GetBucketOwnershipControls`.
    GetBucketOwnershipControls,
    /// `PutBucketVersioning`.
    PutBucketVersioning,
    /// `GetBucketVersioning`.
    GetBucketVersioning,
    /// `PutBucketEncryption`.
    PutBucketEncryption,
    /// `GetBucketEncryption`.
    GetBucketEncryption,
    /// `DeleteBucketEncryption`.
    DeleteBucketEncryption,
    /// `PutBucketLogging`.
    PutBucketLogging,
    /// `GetBucketLogging`.
    GetBucketLogging,
    /// `CreateMultipartUpload`.
    CreateMultipartUpload,
    /// `UploadPart`.
    UploadPart,
    /// `UploadPartCopy`.
    UploadPartCopy,
    /// `CompleteMultipartUpload`.
    CompleteMultipartUpload,
    /// `AbortMultipartUpload`.
    AbortMultipartUpload,
    /// `ListParts`.
    ListParts,
    /// `ListMultipartUploads`.
    ListMultipartUploads,
    /// A browser POST upload (form fields and POST policy as JSON).
    PostObject,
    /// `PutObjectLockConfiguration`.
    PutObjectLockConfiguration,
    /// `GetObjectLockConfiguration`.
    GetObjectLockConfiguration,
    /// `PutObjectRetention`.
    PutObjectRetention,
    /// `GetObjectRetention`.
    GetObjectRetention,
    /// `PutObjectLegalHold`.
    PutObjectLegalHold,
    /// `GetObjectLegalHold`.
    GetObjectLegalHold,
    /// `PutBucketLifecycleConfiguration`.
    PutBucketLifecycleConfiguration,
    /// `GetBucketLifecycleConfiguration`.
    GetBucketLifecycleConfiguration,
    /// `DeleteBucketLifecycle`.
    DeleteBucketLifecycle,
    /// `PutObjectTagging`, the tag set as JSON.
    PutObjectTagging,
    /// `GetObjectTagging`.
    GetObjectTagging,
    /// `DeleteObjectTagging`.
    DeleteObjectTagging,
    /// An IAM request, its parameters as JSON.
    Iam,
    /// An STS request, its parameters as JSON.
    Sts,
    /// A KMS request, its parameters as JSON.
    Kms,
    /// An S3 Glacier request, its parameters as JSON.
    Glacier,
}

/// How the builder groups operations in its menu.
pub const GROUPS: &[(&str, &[OpKind])] = &[
    (
        "Objects",
        &[
            OpKind::PutObject,
            OpKind::GetObject,
            OpKind::HeadObject,
            OpKind::DeleteObject,
            OpKind::DeleteObjects,
            OpKind::CopyObject,
            OpKind::ListObjectsV2,
            OpKind::ListObjectVersions,
            OpKind::PutObjectAcl,
            OpKind::GetObjectAcl,
            OpKind::PutObjectTagging,
            OpKind::GetObjectTagging,
            OpKind::DeleteObjectTagging,
        ],
    ),
    (
        "Multipart and browser uploads",
        &[
            OpKind::CreateMultipartUpload,
            OpKind::UploadPart,
            OpKind::UploadPartCopy,
            OpKind::CompleteMultipartUpload,
            OpKind::AbortMultipartUpload,
            OpKind::ListParts,
            OpKind::ListMultipartUploads,
            OpKind::PostObject,
        ],
    ),
    (
        "Buckets",
        &[
            OpKind::ListBuckets,
            OpKind::CreateBucket,
            OpKind::DeleteBucket,
            OpKind::PutBucketPolicy,
            OpKind::GetBucketPolicy,
            OpKind::DeleteBucketPolicy,
            OpKind::GetBucketPolicyStatus,
            OpKind::PutBucketAcl,
            OpKind::GetBucketAcl,
            OpKind::PutBucketOwnershipControls,
            OpKind::GetBucketOwnershipControls,
            OpKind::PutBucketVersioning,
            OpKind::GetBucketVersioning,
            OpKind::PutBucketEncryption,
            OpKind::GetBucketEncryption,
            OpKind::DeleteBucketEncryption,
            OpKind::PutBucketLogging,
            OpKind::GetBucketLogging,
        ],
    ),
    (
        "Object Lock and lifecycle",
        &[
            OpKind::PutObjectLockConfiguration,
            OpKind::GetObjectLockConfiguration,
            OpKind::PutObjectRetention,
            OpKind::GetObjectRetention,
            OpKind::PutObjectLegalHold,
            OpKind::GetObjectLegalHold,
            OpKind::PutBucketLifecycleConfiguration,
            OpKind::GetBucketLifecycleConfiguration,
            OpKind::DeleteBucketLifecycle,
        ],
    ),
    (
        "Block Public Access",
        &[
            OpKind::PutPublicAccessBlock,
            OpKind::GetPublicAccessBlock,
            OpKind::DeletePublicAccessBlock,
            OpKind::PutAccountPublicAccessBlock,
            OpKind::GetAccountPublicAccessBlock,
            OpKind::DeleteAccountPublicAccessBlock,
        ],
    ),
    (
        "Other services",
        &[OpKind::Iam, OpKind::Sts, OpKind::Kms, OpKind::Glacier],
    ),
];

impl OpKind {
    /// Every operation, in menu order.
    pub fn all() -> impl Iterator<Item = OpKind> {
        GROUPS.iter().flat_map(|(_, ops)| ops.iter().copied())
    }

    /// The API name as the menu shows it.
    pub fn name(self) -> &'static str {
        match self {
            OpKind::PutObject => "PutObject",
            OpKind::GetObject => "GetObject",
            OpKind::HeadObject => "HeadObject",
            OpKind::DeleteObject => "DeleteObject",
            OpKind::DeleteObjects => "DeleteObjects",
            OpKind::CopyObject => "CopyObject",
            OpKind::ListObjectsV2 => "ListObjectsV2",
            OpKind::ListObjectVersions => "ListObjectVersions",
            OpKind::PutObjectAcl => "PutObjectAcl",
            OpKind::GetObjectAcl => "GetObjectAcl",
            OpKind::ListBuckets => "ListBuckets",
            OpKind::CreateBucket => "CreateBucket",
            OpKind::DeleteBucket => "DeleteBucket",
            OpKind::PutBucketPolicy => "PutBucketPolicy",
            OpKind::GetBucketPolicy => "GetBucketPolicy",
            OpKind::DeleteBucketPolicy => "DeleteBucketPolicy",
            OpKind::GetBucketPolicyStatus => "GetBucketPolicyStatus",
            OpKind::PutBucketAcl => "PutBucketAcl",
            OpKind::GetBucketAcl => "GetBucketAcl",
            OpKind::PutPublicAccessBlock => "PutPublicAccessBlock",
            OpKind::GetPublicAccessBlock => "GetPublicAccessBlock",
            OpKind::DeletePublicAccessBlock => "DeletePublicAccessBlock",
            OpKind::PutAccountPublicAccessBlock => "PutAccountPublicAccessBlock",
            OpKind::GetAccountPublicAccessBlock => "GetAccountPublicAccessBlock",
            OpKind::DeleteAccountPublicAccessBlock => "DeleteAccountPublicAccessBlock",
            OpKind::PutBucketOwnershipControls => "PutBucketOwnershipControls",
            OpKind::GetBucketOwnershipControls => "GetBucketOwnershipControls",
            OpKind::PutBucketVersioning => "PutBucketVersioning",
            OpKind::GetBucketVersioning => "GetBucketVersioning",
            OpKind::PutBucketEncryption => "PutBucketEncryption",
            OpKind::GetBucketEncryption => "GetBucketEncryption",
            OpKind::DeleteBucketEncryption => "DeleteBucketEncryption",
            OpKind::PutBucketLogging => "PutBucketLogging",
            OpKind::GetBucketLogging => "GetBucketLogging",
            OpKind::CreateMultipartUpload => "CreateMultipartUpload",
            OpKind::UploadPart => "UploadPart",
            OpKind::UploadPartCopy => "UploadPartCopy",
            OpKind::CompleteMultipartUpload => "CompleteMultipartUpload",
            OpKind::AbortMultipartUpload => "AbortMultipartUpload",
            OpKind::ListParts => "ListParts",
            OpKind::ListMultipartUploads => "ListMultipartUploads",
            OpKind::PostObject => "POST upload (form as JSON)",
            OpKind::PutObjectLockConfiguration => "PutObjectLockConfiguration",
            OpKind::GetObjectLockConfiguration => "GetObjectLockConfiguration",
            OpKind::PutObjectRetention => "PutObjectRetention",
            OpKind::GetObjectRetention => "GetObjectRetention",
            OpKind::PutObjectLegalHold => "PutObjectLegalHold",
            OpKind::GetObjectLegalHold => "GetObjectLegalHold",
            OpKind::PutBucketLifecycleConfiguration => "PutBucketLifecycleConfiguration",
            OpKind::GetBucketLifecycleConfiguration => "GetBucketLifecycleConfiguration",
            OpKind::DeleteBucketLifecycle => "DeleteBucketLifecycle",
            OpKind::PutObjectTagging => "PutObjectTagging",
            OpKind::GetObjectTagging => "GetObjectTagging",
            OpKind::DeleteObjectTagging => "DeleteObjectTagging",
            OpKind::Iam => "IAM request (JSON)",
            OpKind::Sts => "STS request (JSON)",
            OpKind::Kms => "KMS request (JSON)",
            OpKind::Glacier => "S3 Glacier request (JSON)",
        }
    }

    /// Parses [`OpKind::name`].
    pub fn from_name(name: &str) -> Option<Self> {
        Self::all().find(|k| k.name() == name)
    }

    /// Which parameters the form shows for this operation.
    pub fn fields(self) -> Fields {
        use OpKind as K;
        let bucket = !matches!(
            self,
            K::ListBuckets
                | K::PutAccountPublicAccessBlock
                | K::GetAccountPublicAccessBlock
                | K::DeleteAccountPublicAccessBlock
                | K::Iam
                | K::Sts
                | K::Kms
                | K::Glacier
        );
        Fields {
            bucket,
            key: matches!(
                self,
                K::PutObject
                    | K::GetObject
                    | K::HeadObject
                    | K::DeleteObject
                    | K::CopyObject
                    | K::PutObjectAcl
                    | K::GetObjectAcl
                    | K::PutObjectTagging
                    | K::GetObjectTagging
                    | K::DeleteObjectTagging
                    | K::CreateMultipartUpload
                    | K::UploadPart
                    | K::UploadPartCopy
                    | K::CompleteMultipartUpload
                    | K::AbortMultipartUpload
                    | K::ListParts
                    | K::PutObjectRetention
                    | K::GetObjectRetention
                    | K::PutObjectLegalHold
                    | K::GetObjectLegalHold
            ),
            version_id: matches!(
                self,
                K::GetObject
                    | K::HeadObject
                    | K::DeleteObject
                    | K::PutObjectAcl
                    | K::GetObjectAcl
                    | K::PutObjectRetention
                    | K::GetObjectRetention
                    | K::PutObjectLegalHold
                    | K::GetObjectLegalHold
                    | K::PutObjectTagging
                    | K::GetObjectTagging
                    | K::DeleteObjectTagging
            ),
            body: matches!(self, K::PutObject | K::UploadPart),
            prefix: matches!(
                self,
                K::ListObjectsV2 | K::ListObjectVersions | K::ListMultipartUploads
            ),
            copy_source: matches!(self, K::CopyObject | K::UploadPartCopy),
            keys: self == K::DeleteObjects,
            document: matches!(
                self,
                K::PutBucketPolicy
                    | K::PutObjectTagging
                    | K::Iam
                    | K::Sts
                    | K::Kms
                    | K::Glacier
                    | K::CompleteMultipartUpload
                    | K::PostObject
                    | K::PutObjectLockConfiguration
                    | K::PutObjectRetention
                    | K::PutObjectLegalHold
                    | K::PutBucketLifecycleConfiguration
            ),
            object_lock: matches!(self, K::PutObject | K::CopyObject),
            bypass_governance: matches!(
                self,
                K::DeleteObject | K::DeleteObjects | K::PutObjectRetention
            ),
            lock_at_creation: self == K::CreateBucket,
            canned_acl: matches!(
                self,
                K::PutObject
                    | K::CopyObject
                    | K::PutObjectAcl
                    | K::PutBucketAcl
                    | K::CreateBucket
                    | K::CreateMultipartUpload
            ),
            sse: matches!(
                self,
                K::PutObject | K::CopyObject | K::CreateMultipartUpload
            ),
            ssec: matches!(
                self,
                K::PutObject
                    | K::GetObject
                    | K::HeadObject
                    | K::CopyObject
                    | K::CreateMultipartUpload
                    | K::UploadPart
                    | K::UploadPartCopy
            ),
            upload_id: matches!(
                self,
                K::UploadPart
                    | K::UploadPartCopy
                    | K::CompleteMultipartUpload
                    | K::AbortMultipartUpload
                    | K::ListParts
            ),
            part_number: matches!(self, K::UploadPart | K::UploadPartCopy),
            mfa: matches!(
                self,
                K::DeleteObject | K::DeleteObjects | K::PutBucketVersioning
            ),
            bpa: matches!(
                self,
                K::PutPublicAccessBlock | K::PutAccountPublicAccessBlock
            ),
            account: matches!(
                self,
                K::PutAccountPublicAccessBlock
                    | K::GetAccountPublicAccessBlock
                    | K::DeleteAccountPublicAccessBlock
            ),
            ownership: matches!(self, K::PutBucketOwnershipControls | K::CreateBucket),
            versioning: self == K::PutBucketVersioning,
            encryption: self == K::PutBucketEncryption,
            logging: self == K::PutBucketLogging,
            presignable: matches!(
                self,
                K::PutObject
                    | K::GetObject
                    | K::HeadObject
                    | K::DeleteObject
                    | K::ListObjectsV2
                    | K::UploadPart
            ),
        }
    }

    /// The HTTP method S3 uses for this operation.
    pub fn method(self) -> &'static str {
        use OpKind as K;
        match self {
            K::PutObject
            | K::CopyObject
            | K::PutObjectAcl
            | K::CreateBucket
            | K::PutBucketPolicy
            | K::PutBucketAcl
            | K::PutPublicAccessBlock
            | K::PutAccountPublicAccessBlock
            | K::PutBucketOwnershipControls
            | K::PutBucketVersioning
            | K::PutBucketEncryption
            | K::PutBucketLogging
            | K::UploadPart
            | K::UploadPartCopy
            | K::PutObjectLockConfiguration
            | K::PutObjectRetention
            | K::PutObjectLegalHold
            | K::PutBucketLifecycleConfiguration => "PUT",
            K::DeleteObject
            | K::DeleteBucket
            | K::DeleteBucketPolicy
            | K::DeletePublicAccessBlock
            | K::DeleteAccountPublicAccessBlock
            | K::DeleteBucketEncryption
            | K::AbortMultipartUpload
            | K::DeleteBucketLifecycle
            | K::DeleteObjectTagging => "DELETE",
            K::HeadObject => "HEAD",
            K::DeleteObjects
            | K::Iam
            | K::Sts
            | K::Kms
            | K::Glacier
            | K::CreateMultipartUpload
            | K::CompleteMultipartUpload
            | K::PostObject => "POST",
            _ => "GET",
        }
    }
}

/// Which parameters an operation takes (what the form shows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "one flag per form section, read by the view"
)]
pub struct Fields {
    /// A bucket.
    pub bucket: bool,
    /// The Object Lock headers of an upload (`x-amz-object-lock-mode`, `-retain-until-date`,
    /// `-legal-hold`).
    pub object_lock: bool,
    /// `x-amz-bypass-governance-retention`.
    pub bypass_governance: bool,
    /// `x-amz-bucket-object-lock-enabled` at bucket creation.
    pub lock_at_creation: bool,
    /// An object key.
    pub key: bool,
    /// `versionId`.
    pub version_id: bool,
    /// An upload body.
    pub body: bool,
    /// `prefix`.
    pub prefix: bool,
    /// `x-amz-copy-source`.
    pub copy_source: bool,
    /// The keys of a `DeleteObjects`.
    pub keys: bool,
    /// A JSON document (bucket policy, KMS or Glacier parameters).
    pub document: bool,
    /// `x-amz-acl`.
    pub canned_acl: bool,
    /// `x-amz-server-side-encryption` and its KMS key.
    pub sse: bool,
    /// The SSE-C headers.
    pub ssec: bool,
    /// `x-amz-mfa`.
    pub mfa: bool,
    /// The four Block Public Access flags.
    pub bpa: bool,
    /// An account id.
    pub account: bool,
    /// Object Ownership.
    pub ownership: bool,
    /// Versioning and MFA Delete.
    pub versioning: bool,
    /// Default encryption.
    pub encryption: bool,
    /// Server access logging.
    pub logging: bool,
    /// Can be sent as a pre-signed URL.
    pub presignable: bool,
    /// A multipart upload id.
    pub upload_id: bool,
    /// A part number.
    pub part_number: bool,
}

/// Which customer key an SSE-C request carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SseC {
    /// No SSE-C headers.
    #[default]
    None,
    /// The learner's key A.
    KeyA,
    /// The learner's key B (to see S3 refuse a read with the wrong key).
    KeyB,
}

impl SseC {
    /// The 32 key bytes (fixed, so requests are reproducible and a key can be "lost").
    fn key(self) -> Option<s3pg_crypto::CustomerKey> {
        let byte = match self {
            SseC::None => return None,
            SseC::KeyA => 0xA1,
            SseC::KeyB => 0xB2,
        };
        Some(s3pg_crypto::CustomerKey::new(
            s3pg_crypto::Aes256Key::from_bytes([byte; 32]),
        ))
    }
}

/// Who sends a request, as the caller menu offers it.
#[derive(Debug, Clone, PartialEq)]
pub struct CallerChoice {
    /// What the learner reads (`alice — IAM user, 111122223333`).
    pub label: String,
    /// The caller.
    pub caller: Caller,
    /// The access key that signs for this caller (for a pre-signed URL), if it has one.
    pub access_key_id: Option<String>,
}

/// Everyone in the world who can send a request: IAM users, role sessions, root users, and an
/// anonymous caller last.
pub fn callers_of(world: &World) -> Vec<CallerChoice> {
    let mut callers = Vec::new();
    for (id, account) in &world.accounts {
        for (name, user) in &account.users {
            callers.push(CallerChoice {
                label: format!("{name} — IAM user, {id}"),
                caller: Caller::User {
                    name: name.clone(),
                    account: Some(id.clone()),
                },
                access_key_id: user
                    .access_keys
                    .iter()
                    .find(|k| k.active)
                    .map(|k| k.access_key_id.clone()),
            });
        }
        for (role, r) in &account.roles {
            for session in &r.sessions {
                callers.push(CallerChoice {
                    label: format!("{role}/{} — role session, {id}", session.name),
                    caller: Caller::RoleSession {
                        role: role.clone(),
                        session: session.name.clone(),
                        account: Some(id.clone()),
                    },
                    access_key_id: Some(session.access_key_id.clone()).filter(|k| !k.is_empty()),
                });
            }
        }
    }
    for (id, account) in &world.accounts {
        callers.push(CallerChoice {
            label: format!("root user of {id}"),
            caller: Caller::Root {
                account: id.clone(),
            },
            access_key_id: account
                .root
                .access_keys
                .iter()
                .find(|k| k.active)
                .map(|k| k.access_key_id.clone()),
        });
    }
    callers.push(CallerChoice {
        label: "anonymous (unsigned)".to_owned(),
        caller: Caller::Anonymous,
        access_key_id: None,
    });
    callers
}

/// The request being composed: one field per input of the form; [`RequestForm::build`] reads
/// only those the operation takes.
#[derive(Debug, Clone, PartialEq)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "one field per checkbox of the form"
)]
pub struct RequestForm {
    /// Index into the caller menu.
    pub caller: usize,
    /// The operation.
    pub op: OpKind,
    /// The bucket.
    pub bucket: String,
    /// The object key.
    pub key: String,
    /// `versionId` (empty: the current version).
    pub version_id: String,
    /// The upload body.
    pub body: String,
    /// The listing prefix.
    pub prefix: String,
    /// The copy source bucket.
    pub source_bucket: String,
    /// The copy source key.
    pub source_key: String,
    /// The copy source version (empty: current).
    pub source_version_id: String,
    /// `DeleteObjects` keys, one per line, each optionally followed by a space and a version id.
    pub keys: String,
    /// A JSON document: the bucket policy for `PutBucketPolicy`, the request for KMS or Glacier.
    pub document: String,
    /// `x-amz-acl` (empty: none).
    pub canned_acl: String,
    /// `x-amz-server-side-encryption` (empty: none).
    pub sse: String,
    /// `x-amz-server-side-encryption-aws-kms-key-id` (empty: none).
    pub sse_kms_key: String,
    /// The SSE-C key.
    pub ssec: SseC,
    /// The MFA device serial for `x-amz-mfa`.
    pub mfa_serial: String,
    /// The six-digit code for `x-amz-mfa` (empty: no header).
    pub mfa_code: String,
    /// The four Block Public Access flags, in AWS's order.
    pub bpa: [bool; 4],
    /// The account of an account-level Block Public Access request.
    pub account: String,
    /// Object Ownership.
    pub ownership: ObjectOwnership,
    /// Versioning: enable or suspend.
    pub versioning_enabled: bool,
    /// MFA Delete: `None` leaves it as it is.
    pub mfa_delete: Option<bool>,
    /// Default encryption algorithm (`AES256`, `aws:kms`, `aws:kms:dsse`).
    pub encryption_algorithm: String,
    /// Default encryption's KMS key.
    pub encryption_kms_key: String,
    /// S3 Bucket Keys.
    pub bucket_key: bool,
    /// Logging target bucket (empty: turn logging off).
    pub logging_target: String,
    /// Logging prefix.
    pub logging_prefix: String,
    /// HTTPS (`aws:SecureTransport`).
    pub https: bool,
    /// The caller's IP address (`aws:SourceIp`).
    pub source_ip: String,
    /// The VPC endpoint the request traverses (empty: the public internet).
    pub vpc_endpoint: String,
    /// Send as a pre-signed URL signed by the caller's access key.
    pub presigned: bool,
    /// `X-Amz-Expires` of the pre-signed URL.
    pub expires_in: u64,
    /// The multipart upload id (`CreateMultipartUpload`'s `UploadId`).
    pub upload_id: String,
    /// The part number (1–10,000).
    pub part_number: String,
    /// `x-amz-object-lock-mode` (empty: none).
    pub lock_mode: String,
    /// `x-amz-object-lock-retain-until-date` (empty: none).
    pub lock_until: String,
    /// `x-amz-object-lock-legal-hold` (empty: none).
    pub legal_hold: String,
    /// `x-amz-bypass-governance-retention: true`.
    pub bypass_governance: bool,
    /// `x-amz-bucket-object-lock-enabled: true` at bucket creation.
    pub lock_at_creation: bool,
}

impl Default for RequestForm {
    fn default() -> Self {
        RequestForm {
            caller: 0,
            op: OpKind::PutObject,
            bucket: String::new(),
            key: "report.csv".to_owned(),
            version_id: String::new(),
            body: "hello from the playground".to_owned(),
            prefix: String::new(),
            source_bucket: String::new(),
            source_key: String::new(),
            source_version_id: String::new(),
            keys: String::new(),
            document: String::new(),
            canned_acl: String::new(),
            sse: String::new(),
            sse_kms_key: String::new(),
            ssec: SseC::None,
            mfa_serial: String::new(),
            mfa_code: String::new(),
            bpa: [true; 4],
            account: String::new(),
            ownership: ObjectOwnership::BucketOwnerEnforced,
            versioning_enabled: true,
            mfa_delete: None,
            encryption_algorithm: "AES256".to_owned(),
            encryption_kms_key: String::new(),
            bucket_key: false,
            logging_target: String::new(),
            logging_prefix: "logs/".to_owned(),
            https: true,
            source_ip: "203.0.113.10".to_owned(),
            vpc_endpoint: String::new(),
            presigned: false,
            expires_in: 3600,
            upload_id: String::new(),
            part_number: "1".to_owned(),
            lock_mode: String::new(),
            lock_until: String::new(),
            legal_hold: String::new(),
            bypass_governance: false,
            lock_at_creation: false,
        }
    }
}

/// Reads a POST form given as JSON (`{"fields": …, "file": …, "sign": …}`) into the operation.
fn post_form(form: serde_json::Value) -> Result<Operation, String> {
    s3pg_sim::read::from_value(&serde_json::json!({ "PostObject": form })).map_err(|e| {
        format!("the form is {{\"fields\": {{…}}, \"file\": \"…\", \"sign\": {{\"accessKeyId\": …, \"policy\": {{…}}}}}}: {e}")
    })
}

fn opt(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

impl RequestForm {
    fn upload_id(&self) -> Result<String, String> {
        opt(&self.upload_id)
            .ok_or_else(|| "give the upload ID that CreateMultipartUpload returned".to_owned())
    }

    fn part_number(&self) -> Result<u32, String> {
        self.part_number.trim().parse().map_err(|_| {
            format!(
                "the part number `{}` is not a whole number",
                self.part_number.trim()
            )
        })
    }

    /// Fills the form from a request (a scenario's first step): caller, operation, bucket, key,
    /// version and the headers the form knows. Operations the form cannot show keep the form.
    pub fn prefill(&mut self, request: &Request, callers: &[CallerChoice]) {
        let (op, bucket, key, version_id) = match &request.operation {
            Operation::PutObject { bucket, key, body } => {
                self.body.clone_from(body);
                (OpKind::PutObject, bucket, key.clone(), None)
            }
            Operation::GetObject {
                bucket,
                key,
                version_id,
            } => (OpKind::GetObject, bucket, key.clone(), version_id.clone()),
            Operation::HeadObject {
                bucket,
                key,
                version_id,
            } => (OpKind::HeadObject, bucket, key.clone(), version_id.clone()),
            Operation::DeleteObject {
                bucket,
                key,
                version_id,
            } => (
                OpKind::DeleteObject,
                bucket,
                key.clone(),
                version_id.clone(),
            ),
            Operation::ListObjectsV2 { bucket, .. } => {
                (OpKind::ListObjectsV2, bucket, self.key.clone(), None)
            }
            _ => return,
        };
        if let Some(i) = callers.iter().position(|c| c.caller == request.caller) {
            self.caller = i;
        }
        self.op = op;
        self.bucket.clone_from(bucket);
        self.key = key;
        self.version_id = version_id.unwrap_or_default();
        self.sse = request
            .header_value("x-amz-server-side-encryption")
            .unwrap_or_default()
            .to_owned();
        self.https = request.network.scheme == Scheme::Https;
    }

    /// The request this form describes, or why it cannot be sent yet (a sentence).
    pub fn build(&self, callers: &[CallerChoice]) -> Result<Request, String> {
        use OpKind as K;
        let choice = callers
            .get(self.caller)
            .ok_or_else(|| "choose who sends the request".to_owned())?;
        let bucket = self.bucket.trim().to_owned();
        let key = self.key.trim().to_owned();
        let fields = self.op.fields();
        if fields.bucket && bucket.is_empty() {
            return Err("name the bucket".to_owned());
        }
        if fields.key && key.is_empty() {
            return Err("name the object key".to_owned());
        }
        let version_id = opt(&self.version_id);
        let document = || -> Result<serde_json::Value, String> {
            serde_json::from_str(&self.document).map_err(|e| {
                format!(
                    "the JSON does not parse at {}:{}: {e}",
                    e.line(),
                    e.column()
                )
            })
        };
        let bpa = PublicAccessBlock {
            block_public_acls: self.bpa[0],
            ignore_public_acls: self.bpa[1],
            block_public_policy: self.bpa[2],
            restrict_public_buckets: self.bpa[3],
        };
        let account =
            || opt(&self.account).ok_or_else(|| "name the account (12 digits)".to_owned());
        let operation = match self.op {
            K::PutObject => Operation::PutObject {
                bucket,
                key,
                body: self.body.clone(),
            },
            K::GetObject => Operation::GetObject {
                bucket,
                key,
                version_id,
            },
            K::HeadObject => Operation::HeadObject {
                bucket,
                key,
                version_id,
            },
            K::DeleteObject => Operation::DeleteObject {
                bucket,
                key,
                version_id,
            },
            K::DeleteObjects => {
                let objects: Vec<ObjectIdentifier> = self
                    .keys
                    .lines()
                    .filter_map(|line| {
                        let mut parts = line.split_whitespace();
                        let key = parts.next()?.to_owned();
                        Some(ObjectIdentifier {
                            key,
                            version_id: parts.next().map(str::to_owned),
                        })
                    })
                    .collect();
                if objects.is_empty() {
                    return Err("list at least one key to delete, one per line".to_owned());
                }
                Operation::DeleteObjects {
                    bucket,
                    objects,
                    quiet: false,
                }
            }
            K::CopyObject => {
                let source_key =
                    opt(&self.source_key).ok_or_else(|| "name the copy source's key".to_owned())?;
                Operation::CopyObject {
                    source_bucket: opt(&self.source_bucket).unwrap_or_else(|| bucket.clone()),
                    bucket,
                    key,
                    source_key,
                    source_version_id: opt(&self.source_version_id),
                }
            }
            K::ListObjectsV2 => Operation::ListObjectsV2 {
                bucket,
                prefix: opt(&self.prefix),
                delimiter: None,
                max_keys: None,
                continuation_token: None,
            },
            K::ListObjectVersions => Operation::ListObjectVersions {
                bucket,
                prefix: opt(&self.prefix),
                delimiter: None,
                max_keys: None,
                key_marker: None,
                version_id_marker: None,
            },
            K::PutObjectAcl => Operation::PutObjectAcl {
                bucket,
                key,
                version_id,
                access_control_policy: None,
            },
            K::GetObjectAcl => Operation::GetObjectAcl {
                bucket,
                key,
                version_id,
            },
            K::ListBuckets => Operation::ListBuckets {},
            K::CreateBucket => Operation::CreateBucket {
                bucket,
                region: None,
                object_ownership: Some(self.ownership),
            },
            K::DeleteBucket => Operation::DeleteBucket { bucket },
            K::PutBucketPolicy => Operation::PutBucketPolicy {
                bucket,
                policy: document()?,
            },
            K::GetBucketPolicy => Operation::GetBucketPolicy { bucket },
            K::DeleteBucketPolicy => Operation::DeleteBucketPolicy { bucket },
            K::GetBucketPolicyStatus => Operation::GetBucketPolicyStatus { bucket },
            K::PutBucketAcl => Operation::PutBucketAcl {
                bucket,
                access_control_policy: None::<AccessControlPolicy>,
            },
            K::GetBucketAcl => Operation::GetBucketAcl { bucket },
            K::PutPublicAccessBlock => Operation::PutPublicAccessBlock {
                bucket,
                configuration: bpa,
            },
            K::GetPublicAccessBlock => Operation::GetPublicAccessBlock { bucket },
            K::DeletePublicAccessBlock => Operation::DeletePublicAccessBlock { bucket },
            K::PutAccountPublicAccessBlock => Operation::PutAccountPublicAccessBlock {
                account: account()?,
                configuration: bpa,
            },
            K::GetAccountPublicAccessBlock => Operation::GetAccountPublicAccessBlock {
                account: account()?,
            },
            K::DeleteAccountPublicAccessBlock => Operation::DeleteAccountPublicAccessBlock {
                account: account()?,
            },
            K::PutBucketOwnershipControls => Operation::PutBucketOwnershipControls {
                bucket,
                object_ownership: self.ownership,
            },
            K::GetBucketOwnershipControls => Operation::GetBucketOwnershipControls { bucket },
            K::PutBucketVersioning => Operation::PutBucketVersioning {
                bucket,
                status: if self.versioning_enabled {
                    VersioningStatus::Enabled
                } else {
                    VersioningStatus::Suspended
                },
                mfa_delete: self.mfa_delete.map(|on| {
                    if on {
                        MfaDeleteStatus::Enabled
                    } else {
                        MfaDeleteStatus::Disabled
                    }
                }),
            },
            K::GetBucketVersioning => Operation::GetBucketVersioning { bucket },
            K::PutBucketEncryption => Operation::PutBucketEncryption {
                bucket,
                configuration: s3pg_sim::encryption::BucketEncryption {
                    sse_algorithm: self.encryption_algorithm.clone(),
                    kms_master_key_id: opt(&self.encryption_kms_key)
                        .filter(|_| self.encryption_algorithm.starts_with("aws:kms")),
                    bucket_key_enabled: self.bucket_key,
                    blocked_encryption_types: Vec::new(),
                },
            },
            K::GetBucketEncryption => Operation::GetBucketEncryption { bucket },
            K::DeleteBucketEncryption => Operation::DeleteBucketEncryption { bucket },
            K::PutBucketLogging => Operation::PutBucketLogging {
                bucket,
                logging_enabled: opt(&self.logging_target).map(|target_bucket| {
                    s3pg_sim::audit::BucketLogging {
                        target_bucket,
                        target_prefix: self.logging_prefix.clone(),
                    }
                }),
            },
            K::GetBucketLogging => Operation::GetBucketLogging { bucket },
            K::PutObjectTagging => Operation::PutObjectTagging {
                bucket,
                key,
                version_id: version_id.clone(),
                tag_set: s3pg_sim::read::from_value(&document()?).map_err(|e| {
                    format!("the tag set must be a JSON object of tag keys and values: {e}")
                })?,
            },
            K::GetObjectTagging => Operation::GetObjectTagging {
                bucket,
                key,
                version_id: version_id.clone(),
            },
            K::DeleteObjectTagging => Operation::DeleteObjectTagging {
                bucket,
                key,
                version_id: version_id.clone(),
            },
            K::Iam => Operation::Iam(
                s3pg_sim::read::from_value(&document()?)
                    .map_err(|e| format!("that is not an IAM request the playground knows: {e}"))?,
            ),
            K::Sts => Operation::Sts(
                s3pg_sim::read::from_value(&document()?)
                    .map_err(|e| format!("that is not an STS request the playground knows: {e}"))?,
            ),
            K::Kms => Operation::Kms(
                s3pg_sim::read::from_value(&document()?)
                    .map_err(|e| format!("that is not a KMS request the playground knows: {e}"))?,
            ),
            K::Glacier => Operation::Glacier(s3pg_sim::read::from_value(&document()?).map_err(|e| {
                format!("that is not an S3 Glacier request the playground knows: {e}")
            })?),
            K::PutObjectLockConfiguration => Operation::PutObjectLockConfiguration {
                bucket,
                configuration: s3pg_sim::read::from_value(&document()?).map_err(|e| {
                    format!("an Object Lock configuration is {{\"ObjectLockEnabled\": \"Enabled\", \"Rule\": {{\"DefaultRetention\": {{\"Mode\": \"GOVERNANCE\", \"Days\": 1}}}}}}: {e}")
                })?,
            },
            K::GetObjectLockConfiguration => Operation::GetObjectLockConfiguration { bucket },
            K::PutObjectRetention => Operation::PutObjectRetention {
                bucket,
                key,
                version_id,
                retention: s3pg_sim::read::from_value(&document()?).map_err(|e| {
                    format!("a retention is {{\"Mode\": \"GOVERNANCE\", \"RetainUntilDate\": \"2027-01-01T00:00:00Z\"}}: {e}")
                })?,
            },
            K::GetObjectRetention => Operation::GetObjectRetention {
                bucket,
                key,
                version_id,
            },
            K::PutObjectLegalHold => Operation::PutObjectLegalHold {
                bucket,
                key,
                version_id,
                legal_hold: s3pg_sim::read::from_value(&document()?).map_err(|e| {
                    format!("a legal hold is {{\"Status\": \"ON\"}} or {{\"Status\": \"OFF\"}}: {e}")
                })?,
            },
            K::GetObjectLegalHold => Operation::GetObjectLegalHold {
                bucket,
                key,
                version_id,
            },
            K::PutBucketLifecycleConfiguration => Operation::PutBucketLifecycleConfiguration {
                bucket,
                configuration: s3pg_sim::read::from_value(&document()?).map_err(|e| {
                    format!("a lifecycle configuration is {{\"Rules\": [{{\"ID\": \"r\", \"Status\": \"Enabled\", \"Expiration\": {{\"Days\": 30}}}}]}}: {e}")
                })?,
            },
            K::GetBucketLifecycleConfiguration => {
                Operation::GetBucketLifecycleConfiguration { bucket }
            }
            K::DeleteBucketLifecycle => Operation::DeleteBucketLifecycle { bucket },
            K::CreateMultipartUpload => Operation::CreateMultipartUpload { bucket, key },
            K::UploadPart => Operation::UploadPart {
                bucket,
                key,
                upload_id: self.upload_id()?,
                part_number: self.part_number()?,
                body: self.body.clone(),
                size: None,
            },
            K::UploadPartCopy => {
                let source_key =
                    opt(&self.source_key).ok_or_else(|| "name the copy source's key".to_owned())?;
                Operation::UploadPartCopy {
                    source_bucket: opt(&self.source_bucket).unwrap_or_else(|| bucket.clone()),
                    bucket,
                    key,
                    upload_id: self.upload_id()?,
                    part_number: self.part_number()?,
                    source_key,
                    source_version_id: opt(&self.source_version_id),
                }
            }
            K::CompleteMultipartUpload => Operation::CompleteMultipartUpload {
                bucket,
                key,
                upload_id: self.upload_id()?,
                parts: s3pg_sim::read::from_value(&document()?).map_err(|e| {
                    format!(
                        "the parts are a JSON list of {{\"PartNumber\": 1, \"ETag\": \"…\"}}: {e}"
                    )
                })?,
            },
            K::AbortMultipartUpload => Operation::AbortMultipartUpload {
                bucket,
                key,
                upload_id: self.upload_id()?,
            },
            K::ListParts => Operation::ListParts {
                bucket,
                key,
                upload_id: self.upload_id()?,
            },
            K::ListMultipartUploads => Operation::ListMultipartUploads {
                bucket,
                prefix: opt(&self.prefix),
            },
            K::PostObject => {
                let mut form = document()?;
                if let Some(m) = form.as_object_mut() {
                    m.insert("bucket".to_owned(), serde_json::Value::String(bucket));
                }
                post_form(form)?
            }
        };
        let operation = if self.presigned && fields.presignable {
            let access_key_id = choice.access_key_id.clone().ok_or_else(|| {
                "this caller has no access key to sign a URL with: pick a user, a role session or a root user with keys".to_owned()
            })?;
            let mut query = std::collections::BTreeMap::new();
            let (bucket, key) = match &operation {
                Operation::ListObjectsV2 { bucket, .. } => (bucket.clone(), String::new()),
                Operation::UploadPart {
                    bucket,
                    key,
                    upload_id,
                    part_number,
                    ..
                } => {
                    query.insert("uploadId".to_owned(), upload_id.clone());
                    query.insert("partNumber".to_owned(), part_number.to_string());
                    (bucket.clone(), key.clone())
                }
                Operation::PutObject { bucket, key, .. }
                | Operation::GetObject { bucket, key, .. }
                | Operation::HeadObject { bucket, key, .. }
                | Operation::DeleteObject { bucket, key, .. } => (bucket.clone(), key.clone()),
                _ => return Err("this operation cannot be pre-signed here".to_owned()),
            };
            Operation::PresignedRequest {
                method: self.op.method().to_owned(),
                url: String::new(),
                presign: Some(PresignSpec {
                    access_key_id,
                    method: None,
                    bucket,
                    key,
                    expires_in: self.expires_in,
                    signed_at: None,
                    region: None,
                    secret_access_key: None,
                    edits: Vec::new(),
                    query,
                }),
                body: matches!(self.op, K::PutObject | K::UploadPart).then(|| self.body.clone()),
            }
        } else {
            operation
        };
        let caller = if matches!(operation, Operation::PresignedRequest { .. }) {
            // Whoever holds the URL sends it; the signer is the principal.
            Caller::Anonymous
        } else {
            choice.caller.clone()
        };
        let mut request = Request::new(caller, operation);
        if fields.canned_acl
            && let Some(acl) = opt(&self.canned_acl)
        {
            request = request.header("x-amz-acl", &acl);
        }
        if fields.sse
            && let Some(sse) = opt(&self.sse)
        {
            request = request.header("x-amz-server-side-encryption", &sse);
            if sse.starts_with("aws:kms")
                && let Some(kms) = opt(&self.sse_kms_key)
            {
                request = request.header("x-amz-server-side-encryption-aws-kms-key-id", &kms);
            }
        }
        if fields.ssec
            && let Some(key) = self.ssec.key()
        {
            for (name, value) in key.headers() {
                request = request.header(name, &value);
            }
        }
        if fields.object_lock {
            let lock = [
                ("x-amz-object-lock-mode", opt(&self.lock_mode)),
                ("x-amz-object-lock-retain-until-date", opt(&self.lock_until)),
                ("x-amz-object-lock-legal-hold", opt(&self.legal_hold)),
            ];
            let any = lock.iter().any(|(_, v)| v.is_some());
            for (name, value) in lock {
                if let Some(v) = value {
                    request = request.header(name, &v);
                }
            }
            if any {
                // The S3 console, like the CLI and SDKs, sends a checksum with every upload:
                // S3 demands one when Object Lock settings come with it.
                request = request.header("x-amz-sdk-checksum-algorithm", "CRC32");
            }
        }
        if fields.bypass_governance && self.bypass_governance {
            request = request.header("x-amz-bypass-governance-retention", "true");
        }
        if fields.lock_at_creation && self.lock_at_creation {
            request = request.header("x-amz-bucket-object-lock-enabled", "true");
        }
        if fields.mfa
            && let Some(code) = opt(&self.mfa_code)
        {
            request = request.header("x-amz-mfa", &format!("{} {code}", self.mfa_serial.trim()));
        }
        request.network.scheme = if self.https {
            Scheme::Https
        } else {
            Scheme::Http
        };
        if let Some(ip) = opt(&self.source_ip) {
            request.network.source_ip = ip;
        }
        request.network.vpc_endpoint = opt(&self.vpc_endpoint);
        Ok(request)
    }
}

/// The raw HTTP request a [`Request`] stands for: request line, `Host`, and every header that
/// takes part in the decision (the body is left out). The signature is elided: the world signs
/// and verifies with the caller's stored secret.
pub fn http_text(request: &Request) -> String {
    let op = &request.operation;
    let host = |bucket: &str| format!("{bucket}.s3.amazonaws.com");
    let (method, host, target) = match op {
        Operation::ListBuckets {} => ("GET", "s3.amazonaws.com".to_owned(), "/".to_owned()),
        Operation::PresignedRequest {
            method, presign, ..
        } => {
            let (bucket, key) = presign
                .as_ref()
                .map_or((String::new(), String::new()), |p| {
                    (p.bucket.clone(), p.key.clone())
                });
            let signer = presign
                .as_ref()
                .map(|p| p.access_key_id.as_str())
                .unwrap_or("");
            let expires = presign.as_ref().map_or(0, |p| p.expires_in);
            (
                method_static(method),
                host(&bucket),
                format!(
                    "/{key}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={signer}%2F…&X-Amz-Date=…&X-Amz-Expires={expires}&X-Amz-SignedHeaders=host&X-Amz-Signature=…"
                ),
            )
        }
        Operation::PutAccountPublicAccessBlock { account, .. }
        | Operation::GetAccountPublicAccessBlock { account }
        | Operation::DeleteAccountPublicAccessBlock { account } => (
            match op {
                Operation::PutAccountPublicAccessBlock { .. } => "PUT",
                Operation::DeleteAccountPublicAccessBlock { .. } => "DELETE",
                _ => "GET",
            },
            format!("{account}.s3-control.us-east-1.amazonaws.com"),
            "/v20180820/configuration/publicAccessBlock".to_owned(),
        ),
        Operation::Kms(k) => (
            "POST",
            "kms.us-east-1.amazonaws.com".to_owned(),
            format!("/  (X-Amz-Target: TrentService.{})", k.name()),
        ),
        Operation::Glacier(_) => (
            "POST",
            "glacier.us-east-1.amazonaws.com".to_owned(),
            format!("/-/vaults/…  ({})", op.name()),
        ),
        Operation::Iam(r) => (
            "POST",
            "iam.amazonaws.com".to_owned(),
            format!("/  (Action={})", r.name()),
        ),
        Operation::Sts(r) => (
            "POST",
            "sts.amazonaws.com".to_owned(),
            format!("/  (Action={})", r.name()),
        ),
        _ => {
            let bucket = op.bucket().unwrap_or_default();
            let (method, target) = s3_target(op);
            (method, host(bucket), target)
        }
    };
    let scheme = match request.network.scheme {
        Scheme::Https => "https",
        Scheme::Http => "http",
    };
    let mut text = format!("{method} {target} HTTP/1.1\nHost: {host}");
    for (name, value) in &request.headers {
        text.push_str(&format!("\n{name}: {value}"));
    }
    if let Operation::CopyObject {
        source_bucket,
        source_key,
        source_version_id,
        ..
    } = op
    {
        text.push_str(&format!(
            "\nx-amz-copy-source: /{source_bucket}/{source_key}"
        ));
        if let Some(v) = source_version_id {
            text.push_str(&format!("?versionId={v}"));
        }
    }
    let signed = !matches!(request.caller, Caller::Anonymous)
        && !matches!(op, Operation::PresignedRequest { .. });
    if signed {
        text.push_str("\nx-amz-date: …\nAuthorization: AWS4-HMAC-SHA256 Credential=…/s3/aws4_request, SignedHeaders=…, Signature=…");
    }
    let mut via = format!("\n\n# over {scheme} from {}", request.network.source_ip);
    if let Some(vpce) = &request.network.vpc_endpoint {
        via = format!("\n\n# over {scheme} through VPC endpoint {vpce}");
    }
    text.push_str(&via);
    text
}

fn method_static(method: &str) -> &'static str {
    match method.to_ascii_uppercase().as_str() {
        "PUT" => "PUT",
        "HEAD" => "HEAD",
        "DELETE" => "DELETE",
        "POST" => "POST",
        _ => "GET",
    }
}

/// The method and path-and-query of a bucket or object operation.
fn s3_target(op: &Operation) -> (&'static str, String) {
    let version = |v: &Option<String>| {
        v.as_ref()
            .map(|v| format!("?versionId={v}"))
            .unwrap_or_default()
    };
    match op {
        Operation::PutObject { key, .. } => ("PUT", format!("/{key}")),
        Operation::GetObject {
            key, version_id, ..
        } => ("GET", format!("/{key}{}", version(version_id))),
        Operation::HeadObject {
            key, version_id, ..
        } => ("HEAD", format!("/{key}{}", version(version_id))),
        Operation::DeleteObject {
            key, version_id, ..
        } => ("DELETE", format!("/{key}{}", version(version_id))),
        Operation::DeleteObjects { .. } => ("POST", "/?delete".to_owned()),
        Operation::CopyObject { key, .. } => ("PUT", format!("/{key}")),
        Operation::ListObjectsV2 { prefix, .. } => (
            "GET",
            format!(
                "/?list-type=2{}",
                prefix
                    .as_ref()
                    .map(|p| format!("&prefix={p}"))
                    .unwrap_or_default()
            ),
        ),
        Operation::ListObjectVersions { .. } => ("GET", "/?versions".to_owned()),
        Operation::PutObjectAcl {
            key, version_id, ..
        } => (
            "PUT",
            format!("/{key}?acl{}", version(version_id).replacen('?', "&", 1)),
        ),
        Operation::GetObjectAcl {
            key, version_id, ..
        } => (
            "GET",
            format!("/{key}?acl{}", version(version_id).replacen('?', "&", 1)),
        ),
        Operation::CreateBucket { .. } => ("PUT", "/".to_owned()),
        Operation::DeleteBucket { .. } => ("DELETE", "/".to_owned()),
        Operation::PutBucketPolicy { .. } => ("PUT", "/?policy".to_owned()),
        Operation::GetBucketPolicy { .. } => ("GET", "/?policy".to_owned()),
        Operation::DeleteBucketPolicy { .. } => ("DELETE", "/?policy".to_owned()),
        Operation::GetBucketPolicyStatus { .. } => ("GET", "/?policyStatus".to_owned()),
        Operation::PutBucketAcl { .. } => ("PUT", "/?acl".to_owned()),
        Operation::GetBucketAcl { .. } => ("GET", "/?acl".to_owned()),
        Operation::PutPublicAccessBlock { .. } => ("PUT", "/?publicAccessBlock".to_owned()),
        Operation::GetPublicAccessBlock { .. } => ("GET", "/?publicAccessBlock".to_owned()),
        Operation::DeletePublicAccessBlock { .. } => ("DELETE", "/?publicAccessBlock".to_owned()),
        Operation::PutBucketOwnershipControls { .. } => ("PUT", "/?ownershipControls".to_owned()),
        Operation::GetBucketOwnershipControls { .. } => ("GET", "/?ownershipControls".to_owned()),
        Operation::PutBucketVersioning { .. } => ("PUT", "/?versioning".to_owned()),
        Operation::GetBucketVersioning { .. } => ("GET", "/?versioning".to_owned()),
        Operation::PutBucketEncryption { .. } => ("PUT", "/?encryption".to_owned()),
        Operation::GetBucketEncryption { .. } => ("GET", "/?encryption".to_owned()),
        Operation::DeleteBucketEncryption { .. } => ("DELETE", "/?encryption".to_owned()),
        Operation::PutBucketLogging { .. } => ("PUT", "/?logging".to_owned()),
        Operation::GetBucketLogging { .. } => ("GET", "/?logging".to_owned()),
        Operation::CreateMultipartUpload { key, .. } => ("POST", format!("/{key}?uploads")),
        Operation::UploadPart {
            key,
            upload_id,
            part_number,
            ..
        }
        | Operation::UploadPartCopy {
            key,
            upload_id,
            part_number,
            ..
        } => (
            "PUT",
            format!("/{key}?partNumber={part_number}&uploadId={upload_id}"),
        ),
        Operation::CompleteMultipartUpload { key, upload_id, .. } => {
            ("POST", format!("/{key}?uploadId={upload_id}"))
        }
        Operation::AbortMultipartUpload { key, upload_id, .. } => {
            ("DELETE", format!("/{key}?uploadId={upload_id}"))
        }
        Operation::ListParts { key, upload_id, .. } => {
            ("GET", format!("/{key}?uploadId={upload_id}"))
        }
        Operation::ListMultipartUploads { .. } => ("GET", "/?uploads".to_owned()),
        Operation::PutObjectTagging {
            key, version_id, ..
        } => (
            "PUT",
            format!(
                "/{key}?tagging{}",
                version(version_id).replacen('?', "&", 1)
            ),
        ),
        Operation::GetObjectTagging {
            key, version_id, ..
        } => (
            "GET",
            format!(
                "/{key}?tagging{}",
                version(version_id).replacen('?', "&", 1)
            ),
        ),
        Operation::DeleteObjectTagging {
            key, version_id, ..
        } => (
            "DELETE",
            format!(
                "/{key}?tagging{}",
                version(version_id).replacen('?', "&", 1)
            ),
        ),
        Operation::PostObject { .. } => ("POST", "/  (multipart/form-data)".to_owned()),
        Operation::PutObjectLockConfiguration { .. } => ("PUT", "/?object-lock".to_owned()),
        Operation::GetObjectLockConfiguration { .. } => ("GET", "/?object-lock".to_owned()),
        Operation::PutObjectRetention {
            key, version_id, ..
        } => (
            "PUT",
            format!(
                "/{key}?retention{}",
                version(version_id).replacen('?', "&", 1)
            ),
        ),
        Operation::GetObjectRetention {
            key, version_id, ..
        } => (
            "GET",
            format!(
                "/{key}?retention{}",
                version(version_id).replacen('?', "&", 1)
            ),
        ),
        Operation::PutObjectLegalHold {
            key, version_id, ..
        } => (
            "PUT",
            format!(
                "/{key}?legal-hold{}",
                version(version_id).replacen('?', "&", 1)
            ),
        ),
        Operation::GetObjectLegalHold {
            key, version_id, ..
        } => (
            "GET",
            format!(
                "/{key}?legal-hold{}",
                version(version_id).replacen('?', "&", 1)
            ),
        ),
        Operation::PutBucketLifecycleConfiguration { .. } => ("PUT", "/?lifecycle".to_owned()),
        Operation::GetBucketLifecycleConfiguration { .. } => ("GET", "/?lifecycle".to_owned()),
        Operation::DeleteBucketLifecycle { .. } => ("DELETE", "/?lifecycle".to_owned()),
        _ => ("GET", "/".to_owned()),
    }
}

// Native unit tests; the browser tests live in tests/browser.rs.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn world() -> World {
        s3pg_sim::scenario::Scenario::from_json(include_str!("../../tests/scenarios/default.json"))
            .map(|s| s.world)
            .unwrap_or_default()
    }

    fn form(op: OpKind) -> RequestForm {
        RequestForm {
            op,
            bucket: "examplebucket".to_owned(),
            ..RequestForm::default()
        }
    }

    #[test]
    fn every_operation_builds_or_says_what_is_missing() {
        let world = world();
        let callers = callers_of(&world);
        for op in OpKind::all() {
            let mut f = form(op);
            f.account = "111122223333".to_owned();
            f.source_key = "a.txt".to_owned();
            f.keys = "a.txt".to_owned();
            f.upload_id = "upload-1".to_owned();
            f.document = match op {
                OpKind::Kms => r#"{"DescribeKey": {"keyId": "alias/x"}}"#.to_owned(),
                OpKind::Iam => r#"{"CreateAccessKey": {}}"#.to_owned(),
                OpKind::Sts => r#"{"GetCallerIdentity": {}}"#.to_owned(),
                OpKind::PutObjectTagging => r#"{"team": "blue"}"#.to_owned(),
                OpKind::Glacier => String::new(),
                OpKind::CompleteMultipartUpload => {
                    r#"[{"PartNumber": 1, "ETag": "\"abc\""}]"#.to_owned()
                }
                OpKind::PostObject => r#"{"fields": {"key": "a.txt"}, "file": "x"}"#.to_owned(),
                OpKind::PutObjectLockConfiguration => {
                    r#"{"ObjectLockEnabled": "Enabled"}"#.to_owned()
                }
                OpKind::PutObjectRetention => {
                    r#"{"Mode": "GOVERNANCE", "RetainUntilDate": "2027-01-01T00:00:00Z"}"#
                        .to_owned()
                }
                OpKind::PutObjectLegalHold => r#"{"Status": "ON"}"#.to_owned(),
                OpKind::PutBucketLifecycleConfiguration => {
                    r#"{"Rules": [{"ID": "r", "Status": "Enabled", "Expiration": {"Days": 30}}]}"#
                        .to_owned()
                }
                _ => r#"{"Version": "2012-10-17", "Statement": []}"#.to_owned(),
            };
            match f.build(&callers) {
                Ok(r) => {
                    let name = r.operation.name();
                    if !matches!(
                        op,
                        OpKind::Kms
                            | OpKind::Glacier
                            | OpKind::PostObject
                            | OpKind::Iam
                            | OpKind::Sts
                    ) {
                        assert_eq!(name, op.name(), "{op:?}");
                    }
                    assert!(!http_text(&r).is_empty());
                }
                Err(e) => assert!(matches!(op, OpKind::Glacier | OpKind::Kms), "{op:?}: {e}"),
            }
        }
    }

    #[test]
    fn headers_that_matter_reach_the_request() {
        let callers = callers_of(&world());
        let mut f = form(OpKind::PutObject);
        f.sse = "aws:kms".to_owned();
        f.sse_kms_key = "alias/reports".to_owned();
        f.canned_acl = "bucket-owner-full-control".to_owned();
        f.ssec = SseC::KeyA;
        f.https = false;
        f.vpc_endpoint = "vpce-1a2b3c4d".to_owned();
        let r = f.build(&callers).unwrap();
        assert_eq!(
            r.header_value("x-amz-server-side-encryption"),
            Some("aws:kms")
        );
        assert_eq!(
            r.header_value("x-amz-server-side-encryption-aws-kms-key-id"),
            Some("alias/reports")
        );
        assert_eq!(
            r.header_value("x-amz-acl"),
            Some("bucket-owner-full-control")
        );
        assert_eq!(
            r.header_value("x-amz-server-side-encryption-customer-algorithm"),
            Some("AES256")
        );
        assert!(
            r.header_value("x-amz-server-side-encryption-customer-key-MD5")
                .is_some()
        );
        assert_eq!(r.network.scheme, Scheme::Http);
        assert_eq!(r.network.vpc_endpoint.as_deref(), Some("vpce-1a2b3c4d"));
        let text = http_text(&r);
        assert!(text.starts_with("PUT /report.csv HTTP/1.1\nHost: examplebucket.s3.amazonaws.com"));
        assert!(text.contains("x-amz-acl: bucket-owner-full-control"));
        assert!(text.contains("through VPC endpoint vpce-1a2b3c4d"));
    }

    #[test]
    fn multipart_requests_carry_the_upload_id_and_part_number() {
        let callers = callers_of(&world());
        let mut f = form(OpKind::UploadPart);
        f.upload_id = "abc".to_owned();
        f.part_number = "2".to_owned();
        f.ssec = SseC::KeyA;
        let r = f.build(&callers).unwrap();
        assert!(matches!(
            &r.operation,
            Operation::UploadPart { upload_id, part_number: 2, .. } if upload_id == "abc"
        ));
        assert!(
            r.header_value("x-amz-server-side-encryption-customer-key")
                .is_some()
        );
        assert!(http_text(&r).starts_with("PUT /report.csv?partNumber=2&uploadId=abc"));
        f.part_number = "two".to_owned();
        assert!(f.build(&callers).unwrap_err().contains("`two`"));
        f.part_number = "1".to_owned();
        f.presigned = true;
        let r = f.build(&callers).unwrap();
        match &r.operation {
            Operation::PresignedRequest {
                method,
                presign: Some(spec),
                ..
            } => {
                assert_eq!(method, "PUT");
                assert_eq!(spec.query.get("uploadId").map(String::as_str), Some("abc"));
                assert_eq!(spec.query.get("partNumber").map(String::as_str), Some("1"));
            }
            other => panic!("not pre-signed: {other:?}"),
        }
        f.presigned = false;
        f.upload_id.clear();
        assert!(f.build(&callers).unwrap_err().contains("upload ID"));
        let mut c = form(OpKind::CreateMultipartUpload);
        c.sse = "AES256".to_owned();
        let r = c.build(&callers).unwrap();
        assert_eq!(
            r.header_value("x-amz-server-side-encryption"),
            Some("AES256")
        );
        assert!(http_text(&r).starts_with("POST /report.csv?uploads"));
    }

    #[test]
    fn mfa_and_version_id_are_sent_as_s3_expects() {
        let callers = callers_of(&world());
        let mut f = form(OpKind::DeleteObject);
        f.version_id = "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY".to_owned();
        f.mfa_serial = "arn:aws:iam::111122223333:mfa/root".to_owned();
        f.mfa_code = "123456".to_owned();
        let r = f.build(&callers).unwrap();
        assert_eq!(
            r.header_value("x-amz-mfa"),
            Some("arn:aws:iam::111122223333:mfa/root 123456")
        );
        assert!(http_text(&r).starts_with("DELETE /report.csv?versionId=3HL4"));
    }

    #[test]
    fn a_presigned_url_is_sent_by_whoever_holds_it_and_signed_by_the_caller() {
        let world = world();
        let callers = callers_of(&world);
        let alice = callers
            .iter()
            .position(|c| c.label.starts_with("alice"))
            .unwrap();
        let mut f = form(OpKind::GetObject);
        f.caller = alice;
        f.presigned = true;
        let r = f.build(&callers).unwrap();
        assert_eq!(r.caller, Caller::Anonymous);
        assert!(matches!(r.operation, Operation::PresignedRequest { .. }));
        assert!(http_text(&r).contains("X-Amz-Credential="));
        let anonymous = callers.len() - 1;
        f.caller = anonymous;
        assert!(f.build(&callers).unwrap_err().contains("no access key"));
    }

    #[test]
    fn a_policy_that_does_not_parse_says_where() {
        let callers = callers_of(&world());
        let mut f = form(OpKind::PutBucketPolicy);
        f.document = "{\n  \"Version\": ,\n}".to_owned();
        let e = f.build(&callers).unwrap_err();
        assert!(e.contains("2:"), "{e}");
    }
}

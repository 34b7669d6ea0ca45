//! Every operation the builder offers, grouped as the S3 API reference groups them, with the
//! fields each one asks for.
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations_Amazon_Simple_Storage_Service.html>.

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

//! The world's state: accounts (root user, IAM users, groups, roles, sessions, MFA devices, SCP,
//! account Block Public Access) and buckets (policy, ACL, Object Ownership, Block Public Access,
//! versioning, MFA Delete, default encryption, logging) holding objects with their version
//! history and what S3 stored for each (the sealed body), and the trails. Data only: the
//! behaviour that reads and changes it lives in `ops/`, `encryption.rs` and `audit.rs`.
//!
//! Follows the IAM identities page (<https://docs.aws.amazon.com/IAM/latest/UserGuide/id.html>) and
//! the S3 bucket/object model (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html>).
//! Policies are kept as the JSON document the learner wrote; they are parsed when used.

use std::collections::BTreeMap;

use s3pg_audit::Auditor;
use s3pg_crypto::{Ciphertext, EncryptedDataKey, SealedObject, SseCKeyFingerprint};
use serde::{Deserialize, Serialize};

use crate::acl::Acl;
use crate::time::Timestamp;

/// The canonical user id S3 gives objects written by anonymous callers
/// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html>).
pub const ANONYMOUS_CANONICAL_ID: &str = "65a011a29cdf8ec533ec3d1ccaae921c";

/// The owner recorded on objects written anonymously.
pub const ANONYMOUS_OWNER: &str = "anonymous";

/// A named policy document attached to an identity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NamedPolicy {
    /// The policy's name (inline policy name or managed policy name).
    pub name: String,
    /// The JSON policy document.
    pub document: serde_json::Value,
}

/// An access key pair of a user (or of the root user).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AccessKey {
    /// The access key id (`AKIA…`).
    pub access_key_id: String,
    /// The secret access key (used by pre-signed URLs).
    #[serde(default)]
    pub secret_access_key: String,
    /// `Active` keys sign; `Inactive` ones are refused.
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// A virtual MFA device: a base32 TOTP secret (RFC 6238), as AWS virtual MFA devices use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MfaDevice {
    /// The device serial number: an ARN such as `arn:aws:iam::111122223333:mfa/root-account-mfa-device`.
    pub serial: String,
    /// The base32 seed shared with the authenticator app.
    pub secret_base32: String,
    /// The last time step whose code was accepted; AWS refuses a code that was already used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used_step: Option<u64>,
}

/// The root user of an account.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RootUser {
    /// The sign-in e-mail address.
    #[serde(default)]
    pub email: String,
    /// Root access keys (discouraged by AWS, but the only way to use MFA Delete from the CLI).
    #[serde(default)]
    pub access_keys: Vec<AccessKey>,
    /// The root user's MFA devices.
    #[serde(default)]
    pub mfa_devices: Vec<MfaDevice>,
}

/// An IAM user.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct IamUser {
    /// The unique id (`AIDA…`), the value of `aws:userid`.
    #[serde(default)]
    pub user_id: String,
    /// Inline and attached identity policies.
    #[serde(default)]
    pub policies: Vec<NamedPolicy>,
    /// Names of the groups the user belongs to.
    #[serde(default)]
    pub groups: Vec<String>,
    /// The permissions boundary, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions_boundary: Option<serde_json::Value>,
    /// The user's access keys.
    #[serde(default)]
    pub access_keys: Vec<AccessKey>,
    /// The user's virtual MFA devices.
    #[serde(default)]
    pub mfa_devices: Vec<MfaDevice>,
    /// ARNs of the managed policies attached to the user (`AttachUserPolicy`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attached_policies: Vec<String>,
    /// The user's tags (`aws:PrincipalTag/<key>`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
    /// Temporary credentials issued by `sts:GetSessionToken`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sessions: Vec<UserSession>,
}

/// Temporary credentials of an IAM user from `GetSessionToken`
/// (<https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html>).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UserSession {
    /// The temporary access key id (`ASIA…`).
    pub access_key_id: String,
    /// When the credentials were issued (`aws:TokenIssueTime`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_at: Option<Timestamp>,
    /// When they expire.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<Timestamp>,
    /// When the user authenticated with MFA (`aws:MultiFactorAuthPresent`, `aws:MultiFactorAuthAge`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_authenticated_at: Option<Timestamp>,
}

/// An IAM group: a bag of policies for its member users (a group is never a principal).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct IamGroup {
    /// The group's policies.
    #[serde(default)]
    pub policies: Vec<NamedPolicy>,
    /// ARNs of the managed policies attached to the group (`AttachGroupPolicy`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attached_policies: Vec<String>,
}

/// An active session of a role (the result of `sts:AssumeRole`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RoleSession {
    /// The session name (last part of the assumed-role ARN).
    pub name: String,
    /// The temporary access key id (`ASIA…`) that signs with this session.
    #[serde(default)]
    pub access_key_id: String,
    /// The session policy passed to `AssumeRole`, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_policy: Option<serde_json::Value>,
    /// When the session was issued (`aws:TokenIssueTime`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_at: Option<Timestamp>,
    /// When the session expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<Timestamp>,
    /// When the caller authenticated with MFA before assuming the role (drives
    /// `aws:MultiFactorAuthPresent` / `aws:MultiFactorAuthAge`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_authenticated_at: Option<Timestamp>,
    /// Session tags passed to `AssumeRole`; they override the role's tags of the same key in
    /// `aws:PrincipalTag/<key>`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
}

/// An IAM role.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct IamRole {
    /// The unique id (`AROA…`).
    #[serde(default)]
    pub role_id: String,
    /// Identity policies of the role.
    #[serde(default)]
    pub policies: Vec<NamedPolicy>,
    /// The permissions boundary, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions_boundary: Option<serde_json::Value>,
    /// Active sessions.
    #[serde(default)]
    pub sessions: Vec<RoleSession>,
    /// The role trust policy (`AssumeRolePolicyDocument`): who may call `sts:AssumeRole`. A role
    /// declared without one can only be used through the sessions the world declares.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust_policy: Option<serde_json::Value>,
    /// ARNs of the managed policies attached to the role (`AttachRolePolicy`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attached_policies: Vec<String>,
    /// The role's tags (`aws:PrincipalTag/<key>` for its sessions).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
}

/// The four Block Public Access flags
/// (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_PublicAccessBlockConfiguration.html>).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct PublicAccessBlock {
    /// Reject requests that set a public ACL.
    #[serde(default)]
    pub block_public_acls: bool,
    /// Ignore public ACL grants when authorizing.
    #[serde(default)]
    pub ignore_public_acls: bool,
    /// Reject a `PutBucketPolicy` whose policy is public.
    #[serde(default)]
    pub block_public_policy: bool,
    /// Limit a public bucket policy to service principals and the owner's own account.
    #[serde(default)]
    pub restrict_public_buckets: bool,
}

impl PublicAccessBlock {
    /// All four flags on (the default for new buckets since April 2023).
    pub const ALL: Self = PublicAccessBlock {
        block_public_acls: true,
        ignore_public_acls: true,
        block_public_policy: true,
        restrict_public_buckets: true,
    };

    /// The flag-wise OR of two levels: the most restrictive combination wins.
    #[must_use]
    pub fn or(self, other: Self) -> Self {
        PublicAccessBlock {
            block_public_acls: self.block_public_acls || other.block_public_acls,
            ignore_public_acls: self.ignore_public_acls || other.ignore_public_acls,
            block_public_policy: self.block_public_policy || other.block_public_policy,
            restrict_public_buckets: self.restrict_public_buckets || other.restrict_public_buckets,
        }
    }
}

/// An AWS account.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Account {
    /// The 64-hex-digit canonical user id used in ACLs.
    #[serde(default)]
    pub canonical_user_id: String,
    /// The root user.
    #[serde(default)]
    pub root: RootUser,
    /// IAM users by name.
    #[serde(default)]
    pub users: BTreeMap<String, IamUser>,
    /// IAM groups by name.
    #[serde(default)]
    pub groups: BTreeMap<String, IamGroup>,
    /// IAM roles by name.
    #[serde(default)]
    pub roles: BTreeMap<String, IamRole>,
    /// The Organizations service control policy that applies to the account, if it is a member account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scp: Option<serde_json::Value>,
    /// The Organization id (`aws:PrincipalOrgID`), if the account belongs to one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// Account-level Block Public Access, if configured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_access_block: Option<PublicAccessBlock>,
    /// Customer managed policies by name (`arn:aws:iam::ACCOUNT:policy/NAME`), attachable to
    /// users, groups and roles.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub managed_policies: BTreeMap<String, serde_json::Value>,
}

/// Object Ownership (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html>).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ObjectOwnership {
    /// ACLs disabled; the bucket owner owns every object (default since April 2023).
    #[default]
    BucketOwnerEnforced,
    /// ACLs enabled; the bucket owner owns uploads that carry `bucket-owner-full-control`.
    BucketOwnerPreferred,
    /// ACLs enabled; the writing account owns what it uploads.
    ObjectWriter,
}

impl ObjectOwnership {
    /// The AWS spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectOwnership::BucketOwnerEnforced => "BucketOwnerEnforced",
            ObjectOwnership::BucketOwnerPreferred => "BucketOwnerPreferred",
            ObjectOwnership::ObjectWriter => "ObjectWriter",
        }
    }
}

/// A bucket's versioning state (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html>).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Versioning {
    /// Never versioned.
    #[default]
    Unversioned,
    /// Every write creates a new version.
    Enabled,
    /// Writes replace the `null` version; existing versions stay.
    Suspended,
}

/// One version of an object, or a delete marker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ObjectVersion {
    /// The version id; `null` for the null version.
    #[serde(default = "null_id")]
    pub version_id: String,
    /// True for a delete marker (no data).
    #[serde(default)]
    pub delete_marker: bool,
    /// The owning account id (`anonymous` for anonymous writes); defaults to the bucket owner.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub owner: String,
    /// The object ACL (ignored while ACLs are disabled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acl: Option<Acl>,
    /// User metadata and system metadata such as `content-type`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, String>,
    /// The server-side encryption the object is stored with (`AES256`, `aws:kms`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption: Option<String>,
    /// The object's data in plaintext — empty once the world has really encrypted the object
    /// (then [`ObjectVersion::sealed`] holds the ciphertext).
    #[serde(default)]
    pub body: String,
    /// The ciphertext S3 stores for an object the world encrypted, with what is needed to open
    /// it again (a wrapped data key, a KMS key ARN, an SSE-C key fingerprint).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed: Option<SealedBody>,
    /// The ETag S3 computed on write (quoted); empty for versions declared without one.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub etag: String,
    /// When this version was written.
    #[serde(default)]
    pub last_modified: Timestamp,
    /// Its Object Lock retention and legal hold, if any was placed
    /// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-overview.html>).
    #[serde(
        default,
        skip_serializing_if = "crate::object_lock::VersionLock::is_empty"
    )]
    pub object_lock: crate::object_lock::VersionLock,
    /// The object's tags (`x-amz-tagging`, `PutObjectTagging`; `s3:ExistingObjectTag/<key>`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
}

impl ObjectVersion {
    /// The object's size in bytes (of the plaintext; AES-GCM keeps the length).
    pub fn size(&self) -> usize {
        match &self.sealed {
            Some(s) => s.size(),
            None => self.body.len(),
        }
    }
}

fn null_id() -> String {
    "null".to_owned()
}

/// An object key and its versions, oldest first (the last one is current).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ObjectEntry {
    /// The versions, oldest first.
    pub versions: Vec<ObjectVersion>,
}

impl ObjectEntry {
    /// The current version (possibly a delete marker).
    pub fn current(&self) -> Option<&ObjectVersion> {
        self.versions.last()
    }

    /// The version with this id.
    pub fn version(&self, id: &str) -> Option<&ObjectVersion> {
        self.versions.iter().find(|v| v.version_id == id)
    }
}

/// A bucket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Bucket {
    /// The owning account id.
    pub owner: String,
    /// The region (`us-east-1` unless said otherwise).
    #[serde(default = "default_region")]
    pub region: String,
    /// When the bucket was created.
    #[serde(default)]
    pub created: Timestamp,
    /// The bucket policy document, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<serde_json::Value>,
    /// The bucket ACL; absent means the default (owner `FULL_CONTROL`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acl: Option<Acl>,
    /// Object Ownership.
    #[serde(default)]
    pub object_ownership: ObjectOwnership,
    /// Bucket-level Block Public Access; `None` (written `null`) means no configuration (all
    /// flags off). Left out, it defaults to all four on, as for a bucket created today.
    // INVARIANT: `None` is always written out, or a reload would turn it into all-on.
    #[serde(default = "bpa_all")]
    pub public_access_block: Option<PublicAccessBlock>,
    /// The versioning state.
    #[serde(default)]
    pub versioning: Versioning,
    /// Whether MFA Delete is enabled.
    #[serde(default)]
    pub mfa_delete: bool,
    /// Objects by key.
    #[serde(default)]
    pub objects: BTreeMap<String, ObjectEntry>,
    /// Default encryption (`PutBucketEncryption`); absent means SSE-S3, as for every bucket since
    /// January 2023.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption: Option<BucketEncryption>,
    /// Server access logging (`PutBucketLogging`), if enabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logging: Option<BucketLogging>,
    /// The Object Lock configuration, once Object Lock is enabled (it can never be turned off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_lock: Option<crate::object_lock::ObjectLockConfiguration>,
    /// The lifecycle configuration, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle: Option<crate::lifecycle::LifecycleConfiguration>,
    /// The S3 Bucket Keys S3 currently holds for this bucket (one per KMS key and requester).
    #[serde(default, skip_serializing_if = "bucket_key_cache_is_empty")]
    pub bucket_keys: s3pg_kms::BucketKeyCache,
    /// Multipart uploads in progress, by upload id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub multipart_uploads: BTreeMap<String, crate::uploads::MultipartUpload>,
}

fn bucket_key_cache_is_empty(c: &s3pg_kms::BucketKeyCache) -> bool {
    c.entries.is_empty()
}

fn default_region() -> String {
    "us-east-1".to_owned()
}

#[expect(clippy::unnecessary_wraps, reason = "serde default needs this shape")]
fn bpa_all() -> Option<PublicAccessBlock> {
    Some(PublicAccessBlock::ALL)
}

impl Bucket {
    /// A new, empty bucket with the defaults AWS applies since April 2023 (BPA on, ACLs disabled).
    pub fn new(owner: &str, region: &str, created: Timestamp) -> Self {
        Bucket {
            owner: owner.to_owned(),
            region: region.to_owned(),
            created,
            policy: None,
            acl: None,
            object_ownership: ObjectOwnership::BucketOwnerEnforced,
            public_access_block: Some(PublicAccessBlock::ALL),
            versioning: Versioning::Unversioned,
            mfa_delete: false,
            objects: BTreeMap::new(),
            encryption: None,
            logging: None,
            object_lock: None,
            lifecycle: None,
            bucket_keys: s3pg_kms::BucketKeyCache::default(),
            multipart_uploads: BTreeMap::new(),
        }
    }

    /// True while ACLs take part in authorization.
    pub fn acls_enabled(&self) -> bool {
        self.object_ownership != ObjectOwnership::BucketOwnerEnforced
    }

    /// True once Object Lock is enabled on the bucket.
    pub fn object_lock_enabled(&self) -> bool {
        self.object_lock
            .as_ref()
            .is_some_and(|c| c.object_lock_enabled.as_deref() == Some("Enabled"))
    }

    /// Number of versions and delete markers in the bucket.
    pub fn version_count(&self) -> usize {
        self.objects.values().map(|e| e.versions.len()).sum()
    }
}

/// A bucket's default encryption (`ServerSideEncryptionConfiguration`), plus the 2026
/// `BlockedEncryptionTypes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BucketEncryption {
    /// `AES256`, `aws:kms` or `aws:kms:dsse`.
    #[serde(default = "aes256")]
    pub sse_algorithm: String,
    /// `KMSMasterKeyID` (not validated by S3 when set; a wrong key fails later uploads).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_master_key_id: Option<String>,
    /// `BucketKeyEnabled`.
    #[serde(default)]
    pub bucket_key_enabled: bool,
    /// `BlockedEncryptionTypes`: `SSE-C` blocks SSE-C writes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocked_encryption_types: Vec<String>,
}

fn aes256() -> String {
    "AES256".to_owned()
}

impl BucketEncryption {
    /// SSE-S3, as every bucket has by default since January 2023.
    pub fn sse_s3() -> Self {
        BucketEncryption {
            sse_algorithm: aes256(),
            kms_master_key_id: None,
            bucket_key_enabled: false,
            blocked_encryption_types: Vec::new(),
        }
    }

    /// True when SSE-C writes are blocked.
    pub fn blocks_sse_c(&self) -> bool {
        self.blocked_encryption_types.iter().any(|t| t == "SSE-C")
    }

    /// The configuration as `GetBucketEncryption` returns it.
    pub fn to_body(&self) -> serde_json::Value {
        let mut by_default = serde_json::json!({ "SSEAlgorithm": self.sse_algorithm });
        if let (Some(k), Some(m)) = (&self.kms_master_key_id, by_default.as_object_mut()) {
            m.insert("KMSMasterKeyID".into(), serde_json::json!(k));
        }
        let mut rule = serde_json::json!({
            "ApplyServerSideEncryptionByDefault": by_default,
            "BucketKeyEnabled": self.bucket_key_enabled,
        });
        if !self.blocked_encryption_types.is_empty()
            && let Some(m) = rule.as_object_mut()
        {
            m.insert(
                "BlockedEncryptionTypes".into(),
                serde_json::json!({ "EncryptionType": self.blocked_encryption_types }),
            );
        }
        serde_json::json!({ "ServerSideEncryptionConfiguration": { "Rules": [rule] } })
    }
}

/// What S3 stores for an object it encrypted: the ciphertext and what opens it. The plaintext is
/// nowhere in here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all_fields = "camelCase")]
pub enum SealedBody {
    /// SSE-S3: a per-object data key wrapped by S3's root key.
    SseS3 {
        /// Wrapped data key and sealed body.
        sealed: SealedObject,
        /// The object ARN the body is bound to (the encryption context).
        object_arn: String,
        /// Plaintext length.
        size: usize,
    },
    /// SSE-KMS (and DSSE-KMS): a data key from KMS, wrapped under the KMS key.
    SseKms {
        /// The KMS key's ARN.
        key_arn: String,
        /// The data key as KMS wrapped it.
        encrypted_data_key: EncryptedDataKey,
        /// The body under the data key.
        body: Ciphertext,
        /// The encryption context (`{"aws:s3:arn": …}`), as sorted JSON.
        encryption_context: String,
        /// Whether an S3 Bucket Key was used (context = bucket ARN).
        bucket_key_enabled: bool,
        /// With a Bucket Key: the bucket-level key as KMS wrapped it (the object's data key is
        /// then wrapped by the bucket-level key, not by KMS).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        encrypted_bucket_key: Option<EncryptedDataKey>,
        /// The object ARN the body is bound to.
        #[serde(default)]
        object_arn: String,
        /// Plaintext length.
        size: usize,
    },
    /// SSE-C: the customer's key, of which S3 keeps only a salted HMAC.
    SseC {
        /// The salted HMAC of the key.
        fingerprint: SseCKeyFingerprint,
        /// The key's MD5 (base64), echoed in responses.
        key_md5: String,
        /// The body under the customer's key.
        body: Ciphertext,
        /// The object ARN the body is bound to (additional authenticated data).
        object_arn: String,
        /// Plaintext length.
        size: usize,
        /// A multipart upload's object: the parts after the first, each encrypted under the
        /// customer's key as it arrived (`body` is then the first part), all bound to the
        /// object ARN.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        parts: Vec<Ciphertext>,
    },
}

impl SealedBody {
    /// Plaintext length.
    pub fn size(&self) -> usize {
        match self {
            SealedBody::SseS3 { size, .. }
            | SealedBody::SseKms { size, .. }
            | SealedBody::SseC { size, .. } => *size,
        }
    }

    /// The stored ciphertext of the body.
    pub fn ciphertext(&self) -> &Ciphertext {
        match self {
            SealedBody::SseS3 { sealed, .. } => &sealed.body,
            SealedBody::SseKms { body, .. } | SealedBody::SseC { body, .. } => body,
        }
    }

    /// One line for the UI: the mode and a preview of the ciphertext S3 holds.
    pub fn describe(&self) -> String {
        let mode = match self {
            SealedBody::SseS3 { .. } => "SSE-S3 (key held by S3)".to_owned(),
            SealedBody::SseKms { key_arn, .. } => format!("SSE-KMS under `{key_arn}`"),
            SealedBody::SseC { .. } => {
                "SSE-C (S3 keeps only a salted HMAC of the customer's key)".to_owned()
            }
        };
        format!("{mode}: {}", self.ciphertext())
    }
}

/// A bucket's `LoggingEnabled` configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BucketLogging {
    /// `TargetBucket`.
    pub target_bucket: String,
    /// `TargetPrefix`.
    #[serde(default)]
    pub target_prefix: String,
}

/// A CloudTrail trail as a scenario declares it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TrailConfig {
    /// The trail's name.
    pub name: String,
    /// The account that owns it.
    pub account: String,
    /// The bucket its log files go to.
    pub bucket: String,
    /// Home Region.
    #[serde(default = "us_east_1")]
    pub region: String,
    /// Record management events (the default).
    #[serde(default = "yes")]
    pub management_events: bool,
    /// S3 data-event selectors: `arn:aws:s3` (all buckets) or `arn:aws:s3:::bucket/prefix`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_events: Vec<String>,
}

fn us_east_1() -> String {
    "us-east-1".to_owned()
}

/// The audit state that lives beside the world's serde state: rebuilt from the configurations
/// when absent (a reloaded world starts with an empty buffer).
#[derive(Debug, Clone, Default)]
pub struct AuditRuntime {
    pub(crate) auditor: Option<Auditor>,
    /// KMS calls S3 made for the request being handled, recorded with it.
    pub(crate) kms_events: Vec<s3pg_kms::KmsEvent>,
}

impl PartialEq for AuditRuntime {
    fn eq(&self, _: &Self) -> bool {
        // Runtime buffers are not part of a world's identity.
        true
    }
}

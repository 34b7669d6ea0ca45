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
//!
//! Where to read: [`RequestForm`] below; the operations and their fields are in [`ops`], who can
//! send in [`callers`], the HTTP text in [`http`].

mod callers;
mod http;
mod ops;
mod prefill;

pub use self::callers::{CallerChoice, callers_of};
pub use self::http::http_text;
pub use self::ops::{Fields, GROUPS, OpKind};

use s3pg_sim::request::{
    AccessControlPolicy, MfaDeleteStatus, ObjectIdentifier, PresignSpec, VersioningStatus,
};
use s3pg_sim::{Caller, ObjectOwnership, Operation, PublicAccessBlock, Request, Scheme};

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
                max_parts: None,
                part_number_marker: None,
            },
            K::ListMultipartUploads => Operation::ListMultipartUploads {
                bucket,
                prefix: opt(&self.prefix),
                max_uploads: None,
                key_marker: None,
                upload_id_marker: None,
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

// Native unit tests; the browser tests live in tests/browser.rs.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;

//! Who does what in each encryption mode: the table the UI and the trace show.
//!
//! Follows "Protecting data with encryption"
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingEncryption.html>), the SSE-S3,
//! SSE-KMS and SSE-C pages, and "Protecting data by using client-side encryption"; §6.1 and §6.3
//! of our semantics notes. The cells are our own words.

use serde::{Deserialize, Serialize};

/// An encryption mode the playground models.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EncryptionMode {
    /// SSE-S3: S3-managed keys (`AES256`), the default since 5 January 2023.
    SseS3,
    /// SSE-KMS with the AWS managed key `aws/s3`.
    SseKmsAwsManaged,
    /// SSE-KMS with a customer managed KMS key.
    SseKmsCustomerManaged,
    /// DSSE-KMS: dual-layer server-side encryption with a KMS key (June 2023 on).
    DsseKms,
    /// SSE-C: customer-provided keys.
    SseC,
    /// Client-side encryption before upload.
    ClientSide,
}

impl EncryptionMode {
    /// Every mode, in the order the table lists them.
    pub const ALL: [Self; 6] = [
        Self::SseS3,
        Self::SseKmsAwsManaged,
        Self::SseKmsCustomerManaged,
        Self::DsseKms,
        Self::SseC,
        Self::ClientSide,
    ];

    /// The mode's row.
    #[must_use]
    pub fn responsibilities(self) -> &'static Responsibilities {
        match self {
            Self::SseS3 => &ROWS[0],
            Self::SseKmsAwsManaged => &ROWS[1],
            Self::SseKmsCustomerManaged => &ROWS[2],
            Self::DsseKms => &ROWS[3],
            Self::SseC => &ROWS[4],
            Self::ClientSide => &ROWS[5],
        }
    }
}

/// One row of the responsibilities table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Responsibilities {
    /// The mode.
    pub mode: EncryptionMode,
    /// Short name, e.g. `SSE-KMS (aws/s3)`.
    pub name: &'static str,
    /// What the writer sends to choose the mode.
    pub request_headers: &'static str,
    /// Who runs the encryption.
    pub who_encrypts: &'static str,
    /// Where the key that protects the data lives.
    pub who_stores_the_key: &'static str,
    /// Who controls the key: policy, rotation, deletion.
    pub who_manages_the_key: &'static str,
    /// What a reader must have or send.
    pub to_read: &'static str,
    /// What gets logged about key use.
    pub audit: &'static str,
    /// The AWS page that describes the mode.
    pub source: &'static str,
}

/// The responsibilities table: one row per [`EncryptionMode`], in [`EncryptionMode::ALL`] order.
#[must_use]
pub fn responsibilities() -> &'static [Responsibilities] {
    &ROWS
}

static ROWS: [Responsibilities; 6] = [
    Responsibilities {
        mode: EncryptionMode::SseS3,
        name: "SSE-S3",
        request_headers: "x-amz-server-side-encryption: AES256 (or nothing: the default since 5 January 2023)",
        who_encrypts: "S3, on write, with a unique data key per object",
        who_stores_the_key: "S3: the data key is stored wrapped under an S3 root key that S3 rotates",
        who_manages_the_key: "AWS entirely: no key policy, no rotation setting, nothing to configure",
        to_read: "only s3:GetObject; decryption is transparent",
        audit: "no per-request key-use record",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingServerSideEncryption.html",
    },
    Responsibilities {
        mode: EncryptionMode::SseKmsAwsManaged,
        name: "SSE-KMS (aws/s3)",
        request_headers: "x-amz-server-side-encryption: aws:kms (no key id)",
        who_encrypts: "S3, with a data key it gets from KMS (GenerateDataKey) on the writer's behalf",
        who_stores_the_key: "KMS holds the key material of the AWS managed key aws/s3; S3 stores the wrapped data key",
        who_manages_the_key: "AWS: the key policy cannot be edited, allows use only through S3 by the same account, and the key rotates every year",
        to_read: "s3:GetObject and kms:Decrypt (same account only: aws/s3 cannot be shared across accounts)",
        audit: "each GenerateDataKey and Decrypt is a CloudTrail event with the encryption context aws:s3:arn",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html",
    },
    Responsibilities {
        mode: EncryptionMode::SseKmsCustomerManaged,
        name: "SSE-KMS (customer managed key)",
        request_headers: "x-amz-server-side-encryption: aws:kms and x-amz-server-side-encryption-aws-kms-key-id: KEY",
        who_encrypts: "S3, with a data key it gets from KMS (GenerateDataKey) on the writer's behalf",
        who_stores_the_key: "KMS holds the key material of your key; S3 stores the wrapped data key",
        who_manages_the_key: "you: the key policy, grants, optional automatic or on-demand rotation, disabling and scheduling deletion",
        to_read: "s3:GetObject and kms:Decrypt allowed by the key policy (and, cross-account, by an IAM policy too)",
        audit: "each GenerateDataKey and Decrypt is a CloudTrail event with the encryption context aws:s3:arn",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html",
    },
    Responsibilities {
        mode: EncryptionMode::DsseKms,
        name: "DSSE-KMS",
        request_headers: "x-amz-server-side-encryption: aws:kms:dsse [and x-amz-server-side-encryption-aws-kms-key-id: KEY]",
        who_encrypts: "S3, twice: two independent layers of AES-256, each with its own data key",
        who_stores_the_key: "KMS holds the key material of the KMS key; S3 stores the wrapped data keys",
        who_manages_the_key: "you, for a customer managed key (as SSE-KMS); no S3 Bucket Keys, and the encryption context is always the object ARN",
        to_read: "s3:GetObject and kms:Decrypt",
        audit: "each GenerateDataKey and Decrypt is a CloudTrail event with the encryption context aws:s3:arn",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingDSSEncryption.html",
    },
    Responsibilities {
        mode: EncryptionMode::SseC,
        name: "SSE-C",
        request_headers: "x-amz-server-side-encryption-customer-algorithm: AES256, -customer-key, -customer-key-MD5 (HTTPS only)",
        who_encrypts: "S3, with the key you send in the request, which it then discards",
        who_stores_the_key: "you: S3 keeps only a randomly salted HMAC of the key to recognise it later",
        who_manages_the_key: "you: generation, storage, rotation, and which key belongs to which object version",
        to_read: "s3:GetObject and the same three headers with the same key on every GET and HEAD",
        audit: "S3 logs the request; there is no key service to log key use",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerSideEncryptionCustomerKeys.html",
    },
    Responsibilities {
        mode: EncryptionMode::ClientSide,
        name: "Client-side encryption",
        request_headers: "none for encryption: the body is already ciphertext; the wrapped key travels as x-amz-meta-x-amz-key-v2 and friends",
        who_encrypts: "your client, before upload (e.g. the Amazon S3 Encryption Client)",
        who_stores_the_key: "you (or KMS, if the client wraps with a KMS key): S3 never sees the master key",
        who_manages_the_key: "you: the master key's storage, rotation and distribution to readers",
        to_read: "s3:GetObject, then the master key in the client to decrypt",
        audit: "S3 logs the request; key use happens outside AWS unless the master key is in KMS",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingClientSideEncryption.html",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_per_mode_in_order() {
        let modes: Vec<EncryptionMode> = responsibilities().iter().map(|r| r.mode).collect();
        assert_eq!(modes, EncryptionMode::ALL);
        for mode in EncryptionMode::ALL {
            assert_eq!(mode.responsibilities().mode, mode);
        }
    }

    #[test]
    fn only_sse_c_and_client_side_leave_the_key_with_the_customer() {
        for row in responsibilities() {
            let customer_holds = row.who_stores_the_key.starts_with("you");
            let expected = matches!(row.mode, EncryptionMode::SseC | EncryptionMode::ClientSide);
            assert_eq!(customer_holds, expected, "{}", row.name);
        }
    }

    #[test]
    fn only_sse_kms_reads_need_kms_decrypt() {
        for row in responsibilities() {
            let needs = row.to_read.contains("kms:Decrypt");
            let expected = matches!(
                row.mode,
                EncryptionMode::SseKmsAwsManaged
                    | EncryptionMode::SseKmsCustomerManaged
                    | EncryptionMode::DsseKms
            );
            assert_eq!(needs, expected, "{}", row.name);
        }
    }
}

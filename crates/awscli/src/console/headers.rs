//! The one table of AWS CLI flags that become S3 request headers, shared by `aws s3` and
//! `aws s3api`: the two commands spell some flags differently (`--sse` and
//! `--server-side-encryption`) but send the same header.
//!
//! Follows the AWS CLI reference for `aws s3 cp` (<https://docs.aws.amazon.com/cli/latest/reference/s3/cp.html>)
//! and `aws s3api put-object` / `copy-object` / `put-object-acl` / `delete-object` /
//! `create-bucket` (Object Lock) / `put-object-retention`
//! (<https://docs.aws.amazon.com/cli/latest/reference/s3api/>), and the S3 API reference for the
//! header each maps to.

/// A CLI option that S3 receives as a request header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flag {
    Acl,
    ServerSideEncryption,
    SseKmsKeyId,
    BucketKeyEnabled,
    ContentType,
    StorageClass,
    Tagging,
    ExpectedBucketOwner,
    GrantFullControl,
    GrantRead,
    GrantReadAcp,
    GrantWrite,
    GrantWriteAcp,
    Mfa,
    CopySource,
    CopySourceRange,
    AccountId,
    SseCustomerAlgorithm,
    SseCustomerKey,
    SseCustomerKeyMd5,
    ObjectLockEnabledForBucket,
    ObjectLockMode,
    ObjectLockRetainUntilDate,
    ObjectLockLegalHoldStatus,
    BypassGovernanceRetention,
    ContentMd5,
}

/// Each flag: its `aws s3` spelling, its `aws s3api` spelling (either may be absent) and the
/// header it becomes.
const TABLE: &[(Flag, Option<&str>, Option<&str>, &str)] = &[
    (Flag::Acl, Some("--acl"), Some("--acl"), "x-amz-acl"),
    (
        Flag::ServerSideEncryption,
        Some("--sse"),
        Some("--server-side-encryption"),
        "x-amz-server-side-encryption",
    ),
    (
        Flag::SseKmsKeyId,
        Some("--sse-kms-key-id"),
        Some("--ssekms-key-id"),
        "x-amz-server-side-encryption-aws-kms-key-id",
    ),
    (
        Flag::BucketKeyEnabled,
        None,
        Some("--bucket-key-enabled"),
        "x-amz-server-side-encryption-bucket-key-enabled",
    ),
    (
        Flag::ContentType,
        Some("--content-type"),
        Some("--content-type"),
        "content-type",
    ),
    (
        Flag::StorageClass,
        Some("--storage-class"),
        Some("--storage-class"),
        "x-amz-storage-class",
    ),
    (Flag::Tagging, None, Some("--tagging"), "x-amz-tagging"),
    (
        Flag::ExpectedBucketOwner,
        Some("--expected-bucket-owner"),
        Some("--expected-bucket-owner"),
        "x-amz-expected-bucket-owner",
    ),
    (
        Flag::GrantFullControl,
        Some("--grants full=…"),
        Some("--grant-full-control"),
        "x-amz-grant-full-control",
    ),
    (
        Flag::GrantRead,
        Some("--grants read=…"),
        Some("--grant-read"),
        "x-amz-grant-read",
    ),
    (
        Flag::GrantReadAcp,
        Some("--grants readacl=…"),
        Some("--grant-read-acp"),
        "x-amz-grant-read-acp",
    ),
    (
        Flag::GrantWrite,
        None,
        Some("--grant-write"),
        "x-amz-grant-write",
    ),
    (
        Flag::GrantWriteAcp,
        Some("--grants writeacl=…"),
        Some("--grant-write-acp"),
        "x-amz-grant-write-acp",
    ),
    (Flag::Mfa, None, Some("--mfa"), "x-amz-mfa"),
    (
        Flag::CopySource,
        None,
        Some("--copy-source"),
        "x-amz-copy-source",
    ),
    (
        Flag::CopySourceRange,
        None,
        Some("--copy-source-range"),
        "x-amz-copy-source-range",
    ),
    (
        Flag::AccountId,
        None,
        Some("s3control --account-id"),
        "x-amz-account-id",
    ),
    (
        Flag::SseCustomerAlgorithm,
        Some("--sse-c"),
        Some("--sse-customer-algorithm"),
        "x-amz-server-side-encryption-customer-algorithm",
    ),
    (
        Flag::SseCustomerKey,
        Some("--sse-c-key"),
        Some("--sse-customer-key"),
        "x-amz-server-side-encryption-customer-key",
    ),
    (
        Flag::SseCustomerKeyMd5,
        None,
        Some("--sse-customer-key-md5"),
        "x-amz-server-side-encryption-customer-key-md5",
    ),
    (
        Flag::ObjectLockEnabledForBucket,
        None,
        Some("--object-lock-enabled-for-bucket"),
        "x-amz-bucket-object-lock-enabled",
    ),
    (
        Flag::ObjectLockMode,
        None,
        Some("--object-lock-mode"),
        "x-amz-object-lock-mode",
    ),
    (
        Flag::ObjectLockRetainUntilDate,
        None,
        Some("--object-lock-retain-until-date"),
        "x-amz-object-lock-retain-until-date",
    ),
    (
        Flag::ObjectLockLegalHoldStatus,
        None,
        Some("--object-lock-legal-hold-status"),
        "x-amz-object-lock-legal-hold",
    ),
    (
        Flag::BypassGovernanceRetention,
        None,
        Some("--bypass-governance-retention"),
        "x-amz-bypass-governance-retention",
    ),
    (Flag::ContentMd5, None, Some("--content-md5"), "content-md5"),
];

impl Flag {
    /// The header the flag becomes.
    pub(crate) fn header(self) -> &'static str {
        TABLE
            .iter()
            .find(|(f, ..)| *f == self)
            .map_or("", |(.., header)| header)
    }
}

/// The headers for the flags that were given, in the order listed.
pub(crate) fn headers<I, V>(flags: I) -> Vec<(&'static str, String)>
where
    I: IntoIterator<Item = (Flag, Option<V>)>,
    V: Into<String>,
{
    flags
        .into_iter()
        .filter_map(|(flag, value)| value.map(|v| (flag.header(), v.into())))
        .collect()
}

/// The SSE-C headers the CLI sends: the key base64-encoded, its MD5 computed when not given.
pub(crate) fn sse_c_headers(
    algorithm: Option<&str>,
    key: Option<&str>,
    key_md5: Option<&str>,
) -> Vec<(&'static str, String)> {
    let mut out = headers([(Flag::SseCustomerAlgorithm, algorithm)]);
    if let Some(k) = key {
        out.extend(headers([
            (
                Flag::SseCustomerKey,
                Some(data_encoding::BASE64.encode(k.as_bytes())),
            ),
            (
                Flag::SseCustomerKeyMd5,
                Some(key_md5.map_or_else(
                    || s3pg_crypto::checksum::md5_base64(k.as_bytes()),
                    str::to_owned,
                )),
            ),
        ]));
    }
    out
}

/// `aws s3 cp --grants read=uri=… full=id=…` as `x-amz-grant-*` headers (several grantees of one
/// permission share a header, comma-separated).
pub(crate) fn grant_headers(grants: &[String]) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = Vec::new();
    for g in grants {
        let Some((permission, grantee)) = g.split_once('=') else {
            continue;
        };
        let flag = match permission {
            "read" => Flag::GrantRead,
            "readacl" => Flag::GrantReadAcp,
            "writeacl" => Flag::GrantWriteAcp,
            "full" => Flag::GrantFullControl,
            _ => continue,
        };
        let header = flag.header();
        let value = match grantee.split_once('=') {
            Some(("emailaddress", v)) => format!("emailAddress=\"{v}\""),
            Some((kind, v)) => format!("{kind}=\"{v}\""),
            None => grantee.to_owned(),
        };
        match out.iter_mut().find(|(h, _)| *h == header) {
            Some((_, existing)) => {
                existing.push_str(", ");
                existing.push_str(&value);
            }
            None => out.push((header, value)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_flag_has_one_header_and_both_commands_share_it() {
        let flags: Vec<Flag> = TABLE.iter().map(|(f, ..)| *f).collect();
        for (i, f) in flags.iter().enumerate() {
            assert!(!f.header().is_empty());
            assert!(!flags[..i].contains(f), "{f:?} listed twice");
        }
        assert_eq!(
            Flag::ServerSideEncryption.header(),
            "x-amz-server-side-encryption"
        );
        assert_eq!(
            headers([(Flag::Acl, Some("private")), (Flag::Tagging, None)]),
            [("x-amz-acl", "private".to_owned())]
        );
    }

    #[test]
    fn grants_of_one_permission_share_a_header() {
        let h = grant_headers(&[
            "read=uri=http://acs.amazonaws.com/groups/global/AllUsers".to_owned(),
            "read=id=abc".to_owned(),
            "full=emailaddress=a@example.com".to_owned(),
        ]);
        assert_eq!(
            h,
            [
                (
                    "x-amz-grant-read",
                    "uri=\"http://acs.amazonaws.com/groups/global/AllUsers\", id=\"abc\""
                        .to_owned()
                ),
                (
                    "x-amz-grant-full-control",
                    "emailAddress=\"a@example.com\"".to_owned()
                ),
            ]
        );
    }
}

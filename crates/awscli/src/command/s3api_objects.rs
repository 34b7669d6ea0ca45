//! The `aws s3api` object commands' parsing: writes (put-object, copy-object, put-object-acl),
//! reads, listings and deletes, and an object's ACL and tags.
//!
//! Follows <https://docs.aws.amazon.com/cli/latest/reference/s3api/>.

use super::common::{SSE_C_READ, with};
use super::s3api::{
    ACL_OPTIONS, OBJECT_READ, ObjectLockArgs, S3ApiCommand, S3ApiQuery, acl_args, s3api_options,
};
use crate::args::{ArgValue, Opt, boolean, opt, plain, req};
use crate::error::UsageError;

/// The `aws s3api` commands that write an object: put-object, put-object-acl, copy-object; `None` for another operation.
pub(super) fn parse_object_write(
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
pub(super) fn parse_object_read(
    operation: &str,
    args: &[String],
) -> Result<Option<S3ApiCommand>, UsageError> {
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
pub(super) fn parse_object_acl_tags(
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

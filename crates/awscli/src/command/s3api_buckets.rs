//! The `aws s3api` bucket commands' parsing: who may use the bucket (policy, ACL, Block Public
//! Access, Object Ownership), the simple queries answered by one request, and the bucket itself
//! (create-bucket, versioning, default encryption, logging).
//!
//! Follows <https://docs.aws.amazon.com/cli/latest/reference/s3api/>.

use super::common::with;
use super::s3api::{ACL_OPTIONS, S3ApiCommand, S3ApiQuery, acl_args, s3api_options};
use crate::args::{ArgValue, Opt, boolean, opt, parse_options, plain, req};
use crate::error::UsageError;

/// The `aws s3api` commands on who may use a bucket: its policy, ACL, Block Public Access and Object Ownership; `None` for another operation.
pub(super) fn parse_bucket_access(
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
pub(super) fn parse_s3api_query(
    operation: &str,
    args: &[String],
) -> Result<Option<S3ApiCommand>, UsageError> {
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
pub(super) fn parse_bucket(operation: &str, args: &[String]) -> Result<S3ApiCommand, UsageError> {
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

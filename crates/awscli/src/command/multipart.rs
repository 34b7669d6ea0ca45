//! `aws s3api` multipart upload commands: create, upload-part(-copy), complete, abort and the
//! listings.
//!
//! Follows <https://docs.aws.amazon.com/cli/latest/reference/s3api/create-multipart-upload.html>.

use super::common::{SSE_C_READ, with};
use crate::args::{ArgValue, Opt, Parsed, boolean, opt, parse_options, plain, req};
use crate::error::UsageError;

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
    /// `list-parts --bucket --key --upload-id [--max-parts] [--part-number-marker]`.
    ListParts {
        /// `--bucket`.
        bucket: String,
        /// `--key`.
        key: String,
        /// `--upload-id`.
        upload_id: String,
        /// `--max-parts`.
        max_parts: Option<u32>,
        /// `--part-number-marker`.
        part_number_marker: Option<u32>,
    },
    /// `list-multipart-uploads --bucket [--prefix] [--max-uploads] [--key-marker]
    /// [--upload-id-marker]`.
    ListUploads {
        /// `--bucket`.
        bucket: String,
        /// `--prefix`.
        prefix: Option<String>,
        /// `--max-uploads`.
        max_uploads: Option<u32>,
        /// `--key-marker`.
        key_marker: Option<String>,
        /// `--upload-id-marker`.
        upload_id_marker: Option<String>,
    },
}

/// The options of `list-multipart-uploads`.
pub(super) const LIST_UPLOADS_OPTIONS: [Opt; 8] = [
    req("--bucket"),
    opt("--prefix"),
    opt("--delimiter"),
    plain("--max-uploads"),
    plain("--key-marker"),
    plain("--upload-id-marker"),
    plain("--max-items"),
    plain("--starting-token"),
];

/// A count option (`--max-parts`, `--part-number-marker`, `--max-uploads`): a whole number from
/// 0 up. Given explicitly, these page the listing by hand: the CLI then makes the one call.
fn count(p: &Parsed, name: &str) -> Result<Option<u32>, UsageError> {
    match p.int(name)? {
        None => Ok(None),
        Some(n) => u32::try_from(n).map(Some).map_err(|_| {
            UsageError::new(crate::error::UsageErrorKind::InvalidInt {
                option: name.to_owned(),
                given: n.to_string(),
            })
        }),
    }
}

/// `--part-number` (0 when absent: the world refuses it).
pub(super) fn part_number(p: &Parsed) -> Result<i64, UsageError> {
    Ok(p.int("--part-number")?.unwrap_or_default())
}

/// The SSE-C flags of a multipart command.
pub(super) fn sse_c_args(p: &Parsed) -> SseCArgs {
    SseCArgs {
        algorithm: p.text("--sse-customer-algorithm"),
        key: p.text("--sse-customer-key"),
        key_md5: p.text("--sse-customer-key-md5"),
    }
}

/// The multipart upload commands; `None` for any other operation.
pub(super) fn parse_multipart(
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
                    max_parts: count(&p, "--max-parts")?,
                    part_number_marker: count(&p, "--part-number-marker")?,
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
                max_uploads: count(&p, "--max-uploads")?,
                key_marker: p.text("--key-marker"),
                upload_id_marker: p.text("--upload-id-marker"),
            }
        }
        _ => return Ok(None),
    }))
}

//! `aws s3api create-multipart-upload`, `upload-part`, `upload-part-copy`,
//! `complete-multipart-upload`, `abort-multipart-upload`, `list-parts` and
//! `list-multipart-uploads`: each one S3 request, printed as the CLI's JSON.
//!
//! Follows the AWS CLI reference (<https://docs.aws.amazon.com/cli/latest/reference/s3api/create-multipart-upload.html>
//! and the pages of the other six commands).

use serde_json::{Map, Value, json};

use s3pg_sim::Outcome;
use s3pg_sim::request::{CompletedPart, Operation};

use super::headers::{Flag, headers, sse_c_headers};
use super::{Run, Stop, check_members};
use crate::command::{MultipartCommand, SseCArgs};
use crate::error::USAGE_EXIT_CODE;

/// The response headers the CLI prints for an encrypted upload, under its names.
fn encryption_out(o: &Outcome, out: &mut Map<String, Value>) {
    for (header, name) in [
        ("x-amz-server-side-encryption", "ServerSideEncryption"),
        ("x-amz-server-side-encryption-aws-kms-key-id", "SSEKMSKeyId"),
        (
            "x-amz-server-side-encryption-customer-algorithm",
            "SSECustomerAlgorithm",
        ),
        (
            "x-amz-server-side-encryption-customer-key-md5",
            "SSECustomerKeyMD5",
        ),
        ("x-amz-version-id", "VersionId"),
    ] {
        if let Some(v) = o.headers.get(header) {
            out.insert(name.to_owned(), json!(v));
        }
    }
}

fn sse_c(args: &SseCArgs) -> Vec<(&'static str, String)> {
    sse_c_headers(
        args.algorithm.as_deref(),
        args.key.as_deref(),
        args.key_md5.as_deref(),
    )
}

/// The headers of `upload-part`: the SSE-C key, and the checksum AWS CLI v2 computes for every
/// upload (flexible checksums, CRC32 by default), which parts of an upload that will be locked
/// need (API_UploadPart, `Content-MD5`).
fn part_headers(args: &SseCArgs) -> Vec<(&'static str, String)> {
    let mut headers = sse_c(args);
    headers.push(("x-amz-sdk-checksum-algorithm", "CRC32".to_owned()));
    headers
}

fn part_number(n: i64) -> Result<u32, Stop> {
    u32::try_from(n).map_err(|_| {
        Stop::new(
            format!("\nParameter validation failed:\nInvalid value for parameter PartNumber, value: {n}, valid min value: 1\n"),
            USAGE_EXIT_CODE,
        )
    })
}

impl Run<'_> {
    /// Runs one multipart command.
    pub(crate) fn multipart(&mut self, command: MultipartCommand) -> Result<(), Stop> {
        match command {
            MultipartCommand::Create {
                bucket,
                key,
                acl,
                server_side_encryption,
                ssekms_key_id,
                content_type,
                sse_c: c,
            } => {
                let mut h = headers([
                    (Flag::Acl, acl),
                    (Flag::ServerSideEncryption, server_side_encryption),
                    (Flag::SseKmsKeyId, ssekms_key_id),
                    (Flag::ContentType, content_type),
                ]);
                h.extend(sse_c(&c));
                let o = self.send(Operation::CreateMultipartUpload { bucket, key }, &h);
                Self::fail_if_error(&o)?;
                let mut out = Map::new();
                encryption_out(&o, &mut out);
                if let Some(Value::Object(body)) = &o.body {
                    for (k, v) in body {
                        out.insert(k.clone(), v.clone());
                    }
                }
                self.print_json(&Value::Object(out));
            }
            MultipartCommand::UploadPart {
                bucket,
                key,
                upload_id,
                part_number: n,
                body,
                sse_c: c,
            } => self.upload_part(bucket, key, upload_id, n, body, c)?,
            MultipartCommand::UploadPartCopy {
                bucket,
                key,
                upload_id,
                part_number: n,
                copy_source,
                copy_source_range,
                sse_c: c,
            } => {
                self.upload_part_copy(bucket, key, upload_id, n, copy_source, copy_source_range, c)?
            }
            MultipartCommand::Complete {
                bucket,
                key,
                upload_id,
                parts,
            } => self.complete_multipart_upload(bucket, key, upload_id, parts)?,
            MultipartCommand::Abort {
                bucket,
                key,
                upload_id,
            } => {
                let o = self.send(
                    Operation::AbortMultipartUpload {
                        bucket,
                        key,
                        upload_id,
                    },
                    &[],
                );
                Self::fail_if_error(&o)?;
            }
            MultipartCommand::ListParts {
                bucket,
                key,
                upload_id,
                max_parts,
                part_number_marker,
            } => {
                let o = self.send(
                    Operation::ListParts {
                        bucket,
                        key,
                        upload_id,
                        max_parts,
                        part_number_marker,
                    },
                    &[],
                );
                Self::fail_if_error(&o)?;
                self.print_json(&o.body.unwrap_or(Value::Null));
            }
            MultipartCommand::ListUploads {
                bucket,
                prefix,
                max_uploads,
                key_marker,
                upload_id_marker,
            } => {
                let o = self.send(
                    Operation::ListMultipartUploads {
                        bucket,
                        prefix,
                        max_uploads,
                        key_marker,
                        upload_id_marker,
                    },
                    &[],
                );
                Self::fail_if_error(&o)?;
                let mut body = o.body.unwrap_or(Value::Null);
                // The CLI leaves `Uploads` out when there are none.
                if let Some(m) = body.as_object_mut()
                    && m.get("Uploads")
                        .and_then(Value::as_array)
                        .is_some_and(Vec::is_empty)
                {
                    m.remove("Uploads");
                }
                self.print_json(&body);
            }
        }
        Ok(())
    }

    /// `upload-part`.
    fn upload_part(
        &mut self,
        bucket: String,
        key: String,
        upload_id: String,
        n: i64,
        body: Option<String>,
        c: SseCArgs,
    ) -> Result<(), Stop> {
        let data = match &body {
            None => String::new(),
            Some(path) => match self.console.file(path) {
                Some(bytes) => String::from_utf8_lossy(bytes).into_owned(),
                None => {
                    return Err(Stop::new(
                        "\nError parsing parameter '--body': Blob values must be a path to a file.\n",
                        USAGE_EXIT_CODE,
                    ));
                }
            },
        };
        let o = self.send(
            Operation::UploadPart {
                bucket,
                key,
                upload_id,
                part_number: part_number(n)?,
                body: data,
                size: None,
            },
            &part_headers(&c),
        );
        Self::fail_if_error(&o)?;
        let mut out = Map::new();
        encryption_out(&o, &mut out);
        if let Some(e) = o.headers.get("etag") {
            out.insert("ETag".into(), json!(e));
        }
        self.print_json(&Value::Object(out));
        Ok(())
    }

    /// `upload-part-copy`.
    #[expect(
        clippy::too_many_arguments,
        reason = "one parameter per flag of the command"
    )]
    fn upload_part_copy(
        &mut self,
        bucket: String,
        key: String,
        upload_id: String,
        n: i64,
        copy_source: String,
        copy_source_range: Option<String>,
        c: SseCArgs,
    ) -> Result<(), Stop> {
        let source = copy_source.trim_start_matches('/');
        let (path, version) = match source.split_once("?versionId=") {
            Some((p, v)) => (p, Some(v.to_owned())),
            None => (source, None),
        };
        let (source_bucket, source_key) = path.split_once('/').unwrap_or((path, ""));
        let mut h = headers([
            (Flag::CopySource, Some(copy_source.clone())),
            (Flag::CopySourceRange, copy_source_range),
        ]);
        h.extend(sse_c(&c));
        let o = self.send(
            Operation::UploadPartCopy {
                bucket,
                key,
                upload_id,
                part_number: part_number(n)?,
                source_bucket: source_bucket.to_owned(),
                source_key: source_key.to_owned(),
                source_version_id: version,
            },
            &h,
        );
        Self::fail_if_error(&o)?;
        let mut out = Map::new();
        encryption_out(&o, &mut out);
        if let Some(Value::Object(body)) = &o.body {
            for (k, v) in body {
                out.insert(k.clone(), v.clone());
            }
        }
        self.print_json(&Value::Object(out));
        Ok(())
    }

    /// `complete-multipart-upload`.
    fn complete_multipart_upload(
        &mut self,
        bucket: String,
        key: String,
        upload_id: String,
        parts: Option<crate::args::ArgValue>,
    ) -> Result<(), Stop> {
        let parts = match &parts {
            Some(v) => {
                let v = self.structured("--multipart-upload", v)?;
                check_members(&v, "CompletedMultipartUpload", &["Parts"])?;
                serde_json::from_value::<Vec<CompletedPart>>(
                    v.get("Parts").cloned().unwrap_or(Value::Array(Vec::new())),
                )
                .map_err(|e| {
                    Stop::new(
                        format!("\nParameter validation failed:\nInvalid Parts in --multipart-upload: {e}\n"),
                        USAGE_EXIT_CODE,
                    )
                })?
            }
            None => Vec::new(),
        };
        let o = self.send(
            Operation::CompleteMultipartUpload {
                bucket,
                key,
                upload_id,
                parts,
            },
            &[],
        );
        Self::fail_if_error(&o)?;
        let mut out = Map::new();
        encryption_out(&o, &mut out);
        if let Some(Value::Object(body)) = &o.body {
            for (k, v) in body {
                out.insert(k.clone(), v.clone());
            }
        }
        self.print_json(&Value::Object(out));
        Ok(())
    }
}

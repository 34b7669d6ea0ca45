//! `aws s3api` commands that write an object: put-object (encryption, ACL, metadata, tags and
//! Object Lock flags as headers), copy-object, put-object-acl, put-object-tagging.
//!
//! Follows the AWS CLI s3api reference (<https://docs.aws.amazon.com/cli/latest/reference/s3api/>).

use serde_json::{Map, Value, json};

use s3pg_sim::request::Operation;

use super::{access_control_policy, acl_headers, header, not_modelled, put};
use crate::args::ArgValue;
use crate::command::{AclArgs, ObjectLockArgs, S3ApiCommand};
use crate::console::headers::{Flag, headers, sse_c_headers};
use crate::console::output::{etag, iso, stored_etag};
use crate::console::{Run, Stop};
use crate::error::USAGE_EXIT_CODE;

impl Run<'_> {
    /// The commands that write an object or its ACL and tags; [`Run::s3api`] routes them here.
    pub(super) fn object_write_command(&mut self, command: S3ApiCommand) -> Result<u8, Stop> {
        use S3ApiCommand as C;
        match command {
            C::PutObject {
                bucket,
                key,
                body,
                acl,
                server_side_encryption,
                ssekms_key_id,
                sse_customer_algorithm,
                sse_customer_key,
                sse_customer_key_md5,
                bucket_key_enabled,
                content_type,
                metadata,
                tagging,
                expected_bucket_owner,
                lock,
            } => self.put_object(
                bucket,
                key,
                body,
                acl,
                server_side_encryption,
                ssekms_key_id,
                sse_customer_algorithm,
                sse_customer_key,
                sse_customer_key_md5,
                bucket_key_enabled,
                content_type,
                metadata,
                tagging,
                expected_bucket_owner,
                *lock,
            ),
            C::CopyObject {
                bucket,
                key,
                copy_source,
                acl,
                server_side_encryption,
                ssekms_key_id,
            } => self.copy_object(
                bucket,
                key,
                copy_source,
                acl,
                server_side_encryption,
                ssekms_key_id,
            ),
            C::PutObjectAcl {
                bucket,
                key,
                version_id,
                acl,
            } => self.put_object_acl(bucket, key, version_id, acl),
            C::PutObjectTagging {
                bucket,
                key,
                version_id,
                tagging,
            } => self.put_object_tagging(bucket, key, version_id, tagging),
            _ => Err(not_modelled(
                "the command is not one of the commands that write an object or its ACL and tags",
            )),
        }
    }

    /// `aws s3api put-object`.
    #[expect(
        clippy::too_many_arguments,
        reason = "one parameter per flag of the command"
    )]
    pub(super) fn put_object(
        &mut self,
        bucket: String,
        key: String,
        body: Option<String>,
        acl: Option<String>,
        server_side_encryption: Option<String>,
        ssekms_key_id: Option<String>,
        sse_customer_algorithm: Option<String>,
        sse_customer_key: Option<String>,
        sse_customer_key_md5: Option<String>,
        bucket_key_enabled: Option<bool>,
        content_type: Option<String>,
        metadata: Option<ArgValue>,
        tagging: Option<String>,
        expected_bucket_owner: Option<String>,
        lock: ObjectLockArgs,
    ) -> Result<u8, Stop> {
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
        let mut headers = headers([
            (Flag::Acl, acl),
            (Flag::ServerSideEncryption, server_side_encryption),
            (Flag::SseKmsKeyId, ssekms_key_id),
            (Flag::ContentType, content_type),
            (Flag::Tagging, tagging),
            (Flag::ExpectedBucketOwner, expected_bucket_owner),
            (
                Flag::BucketKeyEnabled,
                bucket_key_enabled.map(|b| b.to_string()),
            ),
        ]);
        headers.extend(sse_c_headers(
            sse_customer_algorithm.as_deref(),
            sse_customer_key.as_deref(),
            sse_customer_key_md5.as_deref(),
        ));
        headers.extend(crate::console::headers::headers([
            (Flag::ObjectLockMode, lock.mode),
            (
                Flag::ObjectLockRetainUntilDate,
                lock.retain_until_date
                    .map(|d| crate::console::lock::utc_date(&d)),
            ),
            (Flag::ObjectLockLegalHoldStatus, lock.legal_hold_status),
            (Flag::ContentMd5, lock.content_md5.clone()),
        ]));
        // AWS CLI v2 computes a checksum for every upload (flexible checksums, CRC32 by
        // default), which is what Object Lock uploads need.
        if lock.content_md5.is_none() {
            headers.push(("x-amz-sdk-checksum-algorithm", "CRC32".to_owned()));
        }
        let meta_names: Vec<(String, String)> = match &metadata {
            Some(m) => self.metadata(m)?,
            None => Vec::new(),
        };
        let mut all: Vec<(&str, String)> = headers;
        for (k, v) in &meta_names {
            all.push((k.as_str(), v.clone()));
        }
        let o = self.send(
            Operation::PutObject {
                bucket,
                key,
                body: data.clone(),
            },
            &all,
        );
        Self::fail_if_error(&o)?;
        let mut out = Map::new();
        out.insert(
            "ETag".into(),
            json!(header(&o, "etag").map_or_else(|| etag(&data), str::to_owned)),
        );
        put(
            &mut out,
            "ServerSideEncryption",
            header(&o, "x-amz-server-side-encryption"),
        );
        put(&mut out, "VersionId", header(&o, "x-amz-version-id"));
        put(
            &mut out,
            "SSECustomerAlgorithm",
            header(&o, "x-amz-server-side-encryption-customer-algorithm"),
        );
        put(
            &mut out,
            "SSECustomerKeyMD5",
            header(&o, "x-amz-server-side-encryption-customer-key-md5"),
        );
        put(
            &mut out,
            "SSEKMSKeyId",
            header(&o, "x-amz-server-side-encryption-aws-kms-key-id"),
        );
        if header(&o, "x-amz-server-side-encryption-bucket-key-enabled") == Some("true") {
            out.insert("BucketKeyEnabled".into(), json!(true));
        }
        self.print_json(&Value::Object(out));
        Ok(0)
    }

    /// `aws s3api copy-object`.
    pub(super) fn copy_object(
        &mut self,
        bucket: String,
        key: String,
        copy_source: String,
        acl: Option<String>,
        server_side_encryption: Option<String>,
        ssekms_key_id: Option<String>,
    ) -> Result<u8, Stop> {
        let source = copy_source.trim_start_matches('/');
        let (path, version) = match source.split_once("?versionId=") {
            Some((p, v)) => (p, Some(v.to_owned())),
            None => (source, None),
        };
        let (source_bucket, source_key) = path.split_once('/').unwrap_or((path, ""));
        let headers = headers([
            (Flag::CopySource, Some(copy_source.clone())),
            (Flag::Acl, acl),
            (Flag::ServerSideEncryption, server_side_encryption),
            (Flag::SseKmsKeyId, ssekms_key_id),
        ]);
        let o = self.send(
            Operation::CopyObject {
                bucket: bucket.clone(),
                key: key.clone(),
                source_bucket: source_bucket.to_owned(),
                source_key: source_key.to_owned(),
                source_version_id: version,
            },
            &headers,
        );
        Self::fail_if_error(&o)?;
        let version = header(&o, "x-amz-version-id");
        let tag = stored_etag(self.world, &bucket, &key, version).unwrap_or_else(|| etag(""));
        let modified = o
            .body
            .as_ref()
            .and_then(|b| b.pointer("/CopyObjectResult/LastModified"))
            .and_then(Value::as_str)
            .map(iso)
            .unwrap_or_default();
        let mut out = Map::new();
        out.insert(
            "CopyObjectResult".into(),
            json!({ "ETag": tag, "LastModified": modified }),
        );
        put(
            &mut out,
            "CopySourceVersionId",
            header(&o, "x-amz-copy-source-version-id"),
        );
        put(&mut out, "VersionId", version);
        put(
            &mut out,
            "ServerSideEncryption",
            header(&o, "x-amz-server-side-encryption"),
        );
        self.print_json(&Value::Object(out));
        Ok(0)
    }

    /// `aws s3api put-object-acl`.
    pub(super) fn put_object_acl(
        &mut self,
        bucket: String,
        key: String,
        version_id: Option<String>,
        acl: Box<AclArgs>,
    ) -> Result<u8, Stop> {
        let body = match &acl.access_control_policy {
            Some(v) => Some(access_control_policy(
                &self.structured("--access-control-policy", v)?,
            )?),
            None => None,
        };
        let o = self.send(
            Operation::PutObjectAcl {
                bucket,
                key,
                version_id,
                access_control_policy: body,
            },
            &acl_headers(&acl),
        );
        Self::fail_if_error(&o)?;
        Ok(0)
    }

    /// `aws s3api put-object-tagging`.
    pub(super) fn put_object_tagging(
        &mut self,
        bucket: String,
        key: String,
        version_id: Option<String>,
        tagging: ArgValue,
    ) -> Result<u8, Stop> {
        let v = self.structured("--tagging", &tagging)?;
        let tag_set = v
            .get("TagSet")
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|t| {
                        Some((
                            t.get("Key")?.as_str()?.to_owned(),
                            t.get("Value")
                                .and_then(Value::as_str)
                                .unwrap_or_default()
                                .to_owned(),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let o = self.send(
            Operation::PutObjectTagging {
                bucket,
                key,
                version_id,
                tag_set,
            },
            &[],
        );
        Self::fail_if_error(&o)?;
        if let Some(v) = o.headers.get("x-amz-version-id") {
            self.print_json(&serde_json::json!({ "VersionId": v }));
        }
        Ok(0)
    }
}

//! `aws s3api …`: each command is one S3 operation (two or more when the CLI paginates a
//! listing), its flags become the request's headers, and the response is printed as the CLI's
//! JSON. Follows the AWS CLI s3api reference
//! (<https://docs.aws.amazon.com/cli/latest/reference/s3api/>).

use serde_json::{Map, Value, json};

use s3pg_sim::Outcome;
use s3pg_sim::acl::{Grant, Grantee, Group, Permission};
use s3pg_sim::model::{ObjectOwnership, PublicAccessBlock};
use s3pg_sim::request::{
    AccessControlPolicy, MfaDeleteStatus, ObjectIdentifier, Operation, VersioningStatus,
};

use super::headers::{Flag, headers, sse_c_headers};
use super::output::{etag, iso, stored_etag};
use super::{GENERAL_ERROR_EXIT_CODE, Run, Stop, check_members};
use crate::args::ArgValue;
use crate::command::{AclArgs, S3ApiCommand, S3ApiQuery, S3ControlCommand};
use crate::error::USAGE_EXIT_CODE;

fn header<'o>(outcome: &'o Outcome, name: &str) -> Option<&'o str> {
    outcome.headers.get(name).map(String::as_str)
}

fn put(map: &mut Map<String, Value>, key: &str, value: Option<&str>) {
    if let Some(v) = value {
        map.insert(key.to_owned(), json!(v));
    }
}

fn not_modelled(what: &str) -> Stop {
    Stop::new(format!("\ns3pg: {what}\n"), GENERAL_ERROR_EXIT_CODE)
}

fn acl_headers(acl: &AclArgs) -> Vec<(&'static str, String)> {
    headers([
        (Flag::Acl, acl.canned.as_deref()),
        (Flag::GrantFullControl, acl.grant_full_control.as_deref()),
        (Flag::GrantRead, acl.grant_read.as_deref()),
        (Flag::GrantReadAcp, acl.grant_read_acp.as_deref()),
        (Flag::GrantWrite, acl.grant_write.as_deref()),
        (Flag::GrantWriteAcp, acl.grant_write_acp.as_deref()),
    ])
}

/// Reads `--access-control-policy` (`{"Grants": [...], "Owner": {...}}`) into the world's ACL.
fn access_control_policy(value: &Value) -> Result<AccessControlPolicy, Stop> {
    check_members(value, "AccessControlPolicy", &["Grants", "Owner"])?;
    let mut grants = Vec::new();
    let empty = Vec::new();
    for g in value
        .get("Grants")
        .and_then(Value::as_array)
        .unwrap_or(&empty)
    {
        let grantee = g.get("Grantee").cloned().unwrap_or(Value::Null);
        let text = |k: &str| grantee.get(k).and_then(Value::as_str).map(str::to_owned);
        let who = match text("Type").as_deref() {
            Some("CanonicalUser") => text("ID").map(Grantee::CanonicalUser),
            Some("Group") => text("URI")
                .as_deref()
                .and_then(Group::parse)
                .map(Grantee::Group),
            Some("AmazonCustomerByEmail") => text("EmailAddress").map(Grantee::EmailAddress),
            _ => None,
        };
        let permission = g
            .get("Permission")
            .cloned()
            .and_then(|p| serde_json::from_value::<Permission>(p).ok());
        match (who, permission) {
            (Some(grantee), Some(permission)) => grants.push(Grant {
                grantee,
                permission,
            }),
            _ => {
                return Err(Stop::new(
                    format!(
                        "\nParameter validation failed:\nInvalid grant in AccessControlPolicy: {g}\n"
                    ),
                    USAGE_EXIT_CODE,
                ));
            }
        }
    }
    Ok(AccessControlPolicy { grants })
}

impl Run<'_> {
    /// Runs one `aws s3api` command; returns the exit status.
    pub(crate) fn s3api(&mut self, command: S3ApiCommand) -> Result<u8, Stop> {
        match command {
            S3ApiCommand::CreateBucket {
                bucket,
                acl,
                configuration,
                object_ownership,
                object_lock_enabled,
            } => {
                let region = match &configuration {
                    Some(c) => {
                        let v = self.structured("--create-bucket-configuration", c)?;
                        check_members(
                            &v,
                            "CreateBucketConfiguration",
                            &["LocationConstraint", "Location", "Bucket"],
                        )?;
                        v.get("LocationConstraint")
                            .and_then(Value::as_str)
                            .map(str::to_owned)
                    }
                    None => None,
                };
                let object_ownership = match object_ownership {
                    Some(o) => Some(
                        serde_json::from_value::<ObjectOwnership>(Value::String(o.clone()))
                            .map_err(|_| {
                                not_modelled(&format!(
                                    "`--object-ownership {o}` is not one of `BucketOwnerEnforced`, `BucketOwnerPreferred`, `ObjectWriter`"
                                ))
                            })?,
                    ),
                    None => None,
                };
                let headers = headers([
                    (Flag::Acl, acl),
                    (
                        Flag::ObjectLockEnabledForBucket,
                        object_lock_enabled
                            .filter(|on| *on)
                            .map(|_| "true".to_owned()),
                    ),
                ]);
                let o = self.send(
                    Operation::CreateBucket {
                        bucket: bucket.clone(),
                        region: region.clone(),
                        object_ownership,
                    },
                    &headers,
                );
                Self::fail_if_error(&o)?;
                // Outside us-east-1, S3 answers with the bucket's URL rather than its path.
                let location = match &region {
                    Some(r) if r != "us-east-1" => format!("http://{bucket}.s3.amazonaws.com/"),
                    _ => header(&o, "location").map_or_else(|| format!("/{bucket}"), str::to_owned),
                };
                self.print_json(&json!({ "Location": location }));
            }
            S3ApiCommand::PutObject {
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
            } => {
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
                headers.extend(super::headers::headers([
                    (Flag::ObjectLockMode, lock.mode),
                    (
                        Flag::ObjectLockRetainUntilDate,
                        lock.retain_until_date.map(|d| super::lock::utc_date(&d)),
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
            }
            S3ApiCommand::GetObject {
                bucket,
                key,
                outfile,
                version_id,
                sse_customer_algorithm,
                sse_customer_key,
                sse_customer_key_md5,
                range: _,
            } => {
                let headers = sse_c_headers(
                    sse_customer_algorithm.as_deref(),
                    sse_customer_key.as_deref(),
                    sse_customer_key_md5.as_deref(),
                );
                let o = self.send(
                    Operation::GetObject {
                        bucket,
                        key,
                        version_id,
                    },
                    &headers,
                );
                Self::fail_if_error(&o)?;
                let data = o
                    .body
                    .as_ref()
                    .and_then(|b| b.get("Body"))
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                if outfile != "-" {
                    self.console.add_file(&outfile, data.clone());
                }
                let out = object_head(&o, etag(&data));
                self.print_json(&Value::Object(out));
            }
            S3ApiCommand::HeadObject {
                bucket,
                key,
                version_id,
                sse_customer_algorithm,
                sse_customer_key,
            } => {
                let headers = sse_c_headers(
                    sse_customer_algorithm.as_deref(),
                    sse_customer_key.as_deref(),
                    None,
                );
                let o = self.send(
                    Operation::HeadObject {
                        bucket: bucket.clone(),
                        key: key.clone(),
                        version_id: version_id.clone(),
                    },
                    &headers,
                );
                Self::fail_if_error(&o)?;
                let version = header(&o, "x-amz-version-id")
                    .map(str::to_owned)
                    .or(version_id);
                let tag = stored_etag(self.world, &bucket, &key, version.as_deref())
                    .unwrap_or_else(|| etag(""));
                let out = object_head(&o, tag);
                self.print_json(&Value::Object(out));
            }
            S3ApiCommand::DeleteObject {
                bucket,
                key,
                version_id,
                mfa,
                bypass_governance_retention,
            } => {
                let headers = headers([
                    (Flag::Mfa, mfa),
                    (
                        Flag::BypassGovernanceRetention,
                        bypass_governance_retention.then(|| "true".to_owned()),
                    ),
                ]);
                let o = self.send(
                    Operation::DeleteObject {
                        bucket,
                        key,
                        version_id,
                    },
                    &headers,
                );
                Self::fail_if_error(&o)?;
                let mut out = Map::new();
                if header(&o, "x-amz-delete-marker") == Some("true") {
                    out.insert("DeleteMarker".into(), json!(true));
                }
                put(&mut out, "VersionId", header(&o, "x-amz-version-id"));
                self.print_json(&Value::Object(out));
            }
            S3ApiCommand::ListObjectsV2 {
                bucket,
                prefix,
                delimiter,
                start_after,
                max_items,
            } => {
                let (contents, prefixes) =
                    self.list_all(&bucket, prefix.clone(), delimiter, start_after, max_items)?;
                let mut out = Map::new();
                if !contents.is_empty() {
                    let items: Vec<Value> = contents
                        .iter()
                        .map(|c| {
                            let key = c.get("Key").and_then(Value::as_str).unwrap_or_default();
                            json!({
                                "Key": key,
                                "LastModified": iso(c.get("LastModified").and_then(Value::as_str).unwrap_or_default()),
                                "ETag": stored_etag(self.world, &bucket, key, None).unwrap_or_else(|| etag("")),
                                "Size": c.get("Size").cloned().unwrap_or(json!(0)),
                                "StorageClass": "STANDARD",
                            })
                        })
                        .collect();
                    out.insert("Contents".into(), Value::Array(items));
                }
                if !prefixes.is_empty() {
                    out.insert("CommonPrefixes".into(), Value::Array(prefixes));
                }
                out.insert("RequestCharged".into(), Value::Null);
                out.insert("Prefix".into(), json!(prefix.unwrap_or_default()));
                self.print_json(&Value::Object(out));
            }
            S3ApiCommand::ListObjectVersions { bucket, prefix } => {
                let mut versions = Vec::new();
                let mut markers = Vec::new();
                let mut key_marker: Option<String> = None;
                let mut version_marker: Option<String> = None;
                for _page in 0..1000 {
                    let o = self.send(
                        Operation::ListObjectVersions {
                            bucket: bucket.clone(),
                            prefix: prefix.clone(),
                            delimiter: None,
                            max_keys: None,
                            key_marker: key_marker.clone(),
                            version_id_marker: version_marker.clone(),
                        },
                        &[],
                    );
                    Self::fail_if_error(&o)?;
                    let body = o.body.clone().unwrap_or(Value::Null);
                    for v in body
                        .get("Versions")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                    {
                        let key = v.get("Key").and_then(Value::as_str).unwrap_or_default();
                        let id = v.get("VersionId").and_then(Value::as_str);
                        versions.push(json!({
                            "ETag": stored_etag(self.world, &bucket, key, id).unwrap_or_else(|| etag("")),
                            "Size": v.get("Size").cloned().unwrap_or(json!(0)),
                            "StorageClass": "STANDARD",
                            "Key": key,
                            "VersionId": id,
                            "IsLatest": v.get("IsLatest").cloned().unwrap_or(json!(false)),
                            "LastModified": iso(v.get("LastModified").and_then(Value::as_str).unwrap_or_default()),
                            "Owner": v.get("Owner").cloned().unwrap_or(Value::Null),
                        }));
                    }
                    for m in body
                        .get("DeleteMarkers")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                    {
                        markers.push(json!({
                            "Owner": m.get("Owner").cloned().unwrap_or(Value::Null),
                            "Key": m.get("Key").cloned().unwrap_or(Value::Null),
                            "VersionId": m.get("VersionId").cloned().unwrap_or(Value::Null),
                            "IsLatest": m.get("IsLatest").cloned().unwrap_or(json!(false)),
                            "LastModified": iso(m.get("LastModified").and_then(Value::as_str).unwrap_or_default()),
                        }));
                    }
                    if body.get("IsTruncated") != Some(&json!(true)) {
                        break;
                    }
                    key_marker = body
                        .get("NextKeyMarker")
                        .and_then(Value::as_str)
                        .map(str::to_owned);
                    version_marker = body
                        .get("NextVersionIdMarker")
                        .and_then(Value::as_str)
                        .map(str::to_owned);
                }
                let mut out = Map::new();
                if !versions.is_empty() {
                    out.insert("Versions".into(), Value::Array(versions));
                }
                if !markers.is_empty() {
                    out.insert("DeleteMarkers".into(), Value::Array(markers));
                }
                out.insert("RequestCharged".into(), Value::Null);
                out.insert("Prefix".into(), json!(prefix.unwrap_or_default()));
                self.print_json(&Value::Object(out));
            }
            S3ApiCommand::PutBucketPolicy { bucket, policy } => {
                let text = self.param_text("--policy", &policy)?;
                // S3 receives the text as typed; a document that is not JSON reaches the
                // world as a string, which refuses it as S3 does (MalformedPolicy).
                let document = serde_json::from_str(&text).unwrap_or(Value::String(text));
                let o = self.send(
                    Operation::PutBucketPolicy {
                        bucket,
                        policy: document,
                    },
                    &[],
                );
                Self::fail_if_error(&o)?;
            }
            S3ApiCommand::GetBucketPolicy { bucket } => {
                let o = self.send(Operation::GetBucketPolicy { bucket }, &[]);
                Self::fail_if_error(&o)?;
                let policy = match &o.body {
                    Some(Value::String(s)) => s.clone(),
                    Some(v) => serde_json::to_string(v).unwrap_or_default(),
                    None => String::new(),
                };
                self.print_json(&json!({ "Policy": policy }));
            }
            S3ApiCommand::PutBucketAcl { bucket, acl } => {
                let body = match &acl.access_control_policy {
                    Some(v) => Some(access_control_policy(
                        &self.structured("--access-control-policy", v)?,
                    )?),
                    None => None,
                };
                let o = self.send(
                    Operation::PutBucketAcl {
                        bucket,
                        access_control_policy: body,
                    },
                    &acl_headers(&acl),
                );
                Self::fail_if_error(&o)?;
            }
            S3ApiCommand::PutObjectAcl {
                bucket,
                key,
                version_id,
                acl,
            } => {
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
            }
            S3ApiCommand::PutPublicAccessBlock {
                bucket,
                configuration,
            } => {
                let v = self.structured("--public-access-block-configuration", &configuration)?;
                let configuration = public_access_block(&v)?;
                let o = self.send(
                    Operation::PutPublicAccessBlock {
                        bucket,
                        configuration,
                    },
                    &[],
                );
                Self::fail_if_error(&o)?;
            }
            S3ApiCommand::PutBucketOwnershipControls {
                bucket,
                ownership_controls,
            } => {
                let v = self.structured("--ownership-controls", &ownership_controls)?;
                check_members(&v, "OwnershipControls", &["Rules"])?;
                let rule = v
                    .get("Rules")
                    .and_then(Value::as_array)
                    .and_then(|r| r.first())
                    .and_then(|r| r.get("ObjectOwnership"))
                    .cloned()
                    .unwrap_or(Value::Null);
                let object_ownership: ObjectOwnership =
                    serde_json::from_value(rule.clone()).map_err(|_| {
                        not_modelled(&format!(
                            "`ObjectOwnership` must be `BucketOwnerEnforced`, `BucketOwnerPreferred` or `ObjectWriter`, not `{rule}`"
                        ))
                    })?;
                let o = self.send(
                    Operation::PutBucketOwnershipControls {
                        bucket,
                        object_ownership,
                    },
                    &[],
                );
                Self::fail_if_error(&o)?;
            }
            S3ApiCommand::PutBucketVersioning {
                bucket,
                configuration,
                mfa,
            } => {
                let v = self.structured("--versioning-configuration", &configuration)?;
                check_members(&v, "VersioningConfiguration", &["MFADelete", "Status"])?;
                let status = match v.get("Status").and_then(Value::as_str) {
                    Some("Enabled") => VersioningStatus::Enabled,
                    Some("Suspended") => VersioningStatus::Suspended,
                    other => {
                        return Err(not_modelled(&format!(
                            "the playground needs `Status=Enabled` or `Status=Suspended` in `--versioning-configuration`, not {}\nhelp: S3 itself answers such a request with an XML error the world does not model yet",
                            other.map_or_else(|| "no `Status`".to_owned(), |s| format!("`{s}`"))
                        )));
                    }
                };
                let mfa_delete = match v.get("MFADelete").and_then(Value::as_str) {
                    None => None,
                    Some("Enabled") => Some(MfaDeleteStatus::Enabled),
                    Some("Disabled") => Some(MfaDeleteStatus::Disabled),
                    Some(other) => {
                        return Err(not_modelled(&format!(
                            "`MFADelete` must be `Enabled` or `Disabled`, not `{other}`"
                        )));
                    }
                };
                let headers = headers([(Flag::Mfa, mfa)]);
                let o = self.send(
                    Operation::PutBucketVersioning {
                        bucket,
                        status,
                        mfa_delete,
                    },
                    &headers,
                );
                Self::fail_if_error(&o)?;
            }
            S3ApiCommand::GetBucketVersioning { bucket } => {
                let o = self.send(Operation::GetBucketVersioning { bucket }, &[]);
                Self::fail_if_error(&o)?;
                let mut out = Map::new();
                if let Some(body) = &o.body {
                    put(
                        &mut out,
                        "Status",
                        body.get("Status").and_then(Value::as_str),
                    );
                    put(
                        &mut out,
                        "MFADelete",
                        body.get("MFADelete").and_then(Value::as_str),
                    );
                }
                self.print_json(&Value::Object(out));
            }
            S3ApiCommand::CopyObject {
                bucket,
                key,
                copy_source,
                acl,
                server_side_encryption,
                ssekms_key_id,
            } => {
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
                let tag =
                    stored_etag(self.world, &bucket, &key, version).unwrap_or_else(|| etag(""));
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
            }
            S3ApiCommand::DeleteObjects {
                bucket,
                delete,
                mfa,
                bypass_governance_retention,
            } => {
                let v = self.structured("--delete", &delete)?;
                check_members(&v, "Delete", &["Objects", "Quiet"])?;
                let mut objects = Vec::new();
                for o in v
                    .get("Objects")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    check_members(o, "ObjectIdentifier", &["Key", "VersionId", "ETag"])?;
                    objects.push(ObjectIdentifier {
                        key: o
                            .get("Key")
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_owned(),
                        version_id: o
                            .get("VersionId")
                            .and_then(Value::as_str)
                            .map(str::to_owned),
                    });
                }
                let quiet = v.get("Quiet").and_then(Value::as_bool).unwrap_or(false);
                let headers = headers([
                    (Flag::Mfa, mfa),
                    (
                        Flag::BypassGovernanceRetention,
                        bypass_governance_retention.then(|| "true".to_owned()),
                    ),
                ]);
                let o = self.send(
                    Operation::DeleteObjects {
                        bucket,
                        objects,
                        quiet,
                    },
                    &headers,
                );
                Self::fail_if_error(&o)?;
                let mut out = Map::new();
                for list in ["Deleted", "Errors"] {
                    let items: Vec<Value> = o
                        .body
                        .as_ref()
                        .and_then(|b| b.get(list))
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .map(without_nulls)
                        .collect();
                    if !items.is_empty() {
                        out.insert(list.into(), Value::Array(items));
                    }
                }
                self.print_json(&Value::Object(out));
            }
            S3ApiCommand::Query(q) => self.query(q)?,
            S3ApiCommand::PutObjectTagging {
                bucket,
                key,
                version_id,
                tagging,
            } => {
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
            }
            S3ApiCommand::Multipart(m) => self.multipart(m)?,
            S3ApiCommand::Lock(l) => self.lock(l)?,
            S3ApiCommand::PutBucketEncryption {
                bucket,
                configuration,
            } => return self.put_bucket_encryption(bucket, &configuration),
            S3ApiCommand::PutBucketLogging { bucket, status } => {
                return self.put_bucket_logging(bucket, &status);
            }
        }
        Ok(0)
    }

    fn query(&mut self, q: S3ApiQuery) -> Result<(), Stop> {
        let (operation, shape) = match q {
            S3ApiQuery::ListBuckets => (Operation::ListBuckets {}, Shape::Buckets),
            S3ApiQuery::DeleteBucket { bucket } => {
                (Operation::DeleteBucket { bucket }, Shape::Nothing)
            }
            S3ApiQuery::GetBucketAcl { bucket } => (Operation::GetBucketAcl { bucket }, Shape::Acl),
            S3ApiQuery::GetObjectTagging {
                bucket,
                key,
                version_id,
            } => (
                Operation::GetObjectTagging {
                    bucket,
                    key,
                    version_id,
                },
                Shape::Body,
            ),
            S3ApiQuery::DeleteObjectTagging {
                bucket,
                key,
                version_id,
            } => (
                Operation::DeleteObjectTagging {
                    bucket,
                    key,
                    version_id,
                },
                Shape::Nothing,
            ),
            S3ApiQuery::GetObjectAcl {
                bucket,
                key,
                version_id,
            } => (
                Operation::GetObjectAcl {
                    bucket,
                    key,
                    version_id,
                },
                Shape::Acl,
            ),
            S3ApiQuery::GetPublicAccessBlock { bucket } => {
                (Operation::GetPublicAccessBlock { bucket }, Shape::Body)
            }
            S3ApiQuery::DeletePublicAccessBlock { bucket } => (
                Operation::DeletePublicAccessBlock { bucket },
                Shape::Nothing,
            ),
            S3ApiQuery::GetBucketOwnershipControls { bucket } => (
                Operation::GetBucketOwnershipControls { bucket },
                Shape::Body,
            ),
            S3ApiQuery::DeleteBucketPolicy { bucket } => {
                (Operation::DeleteBucketPolicy { bucket }, Shape::Nothing)
            }
            S3ApiQuery::GetBucketPolicyStatus { bucket } => {
                (Operation::GetBucketPolicyStatus { bucket }, Shape::Body)
            }
        };
        let o = self.send(operation, &[]);
        Self::fail_if_error(&o)?;
        let body = o.body.clone().unwrap_or(Value::Null);
        match shape {
            Shape::Nothing => {}
            Shape::Body => self.print_json(&body),
            Shape::Acl => self.print_json(&acl_output(&body)),
            Shape::Buckets => {
                let buckets: Vec<Value> = body
                    .get("Buckets")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|b| {
                        json!({
                            "Name": b.get("Name").cloned().unwrap_or(Value::Null),
                            "CreationDate": iso(b.get("CreationDate").and_then(Value::as_str).unwrap_or_default()),
                        })
                    })
                    .collect();
                let mut out = Map::new();
                out.insert("Buckets".into(), Value::Array(buckets));
                let account = self
                    .world
                    .authenticate(&self.profile.caller, self.now)
                    .ok()
                    .and_then(|(identity, _)| identity.account);
                if let Some(account) = account {
                    out.insert(
                        "Owner".into(),
                        json!({ "ID": self.world.canonical_id(&account) }),
                    );
                }
                self.print_json(&Value::Object(out));
            }
        }
        Ok(())
    }

    /// `aws s3control` (account-level Block Public Access); returns the exit status.
    pub(crate) fn s3control(&mut self, command: S3ControlCommand) -> Result<u8, Stop> {
        let (operation, prints) = match command {
            S3ControlCommand::PutPublicAccessBlock {
                account_id,
                configuration,
            } => {
                let v = self.structured("--public-access-block-configuration", &configuration)?;
                (
                    Operation::PutAccountPublicAccessBlock {
                        account: account_id,
                        configuration: public_access_block(&v)?,
                    },
                    false,
                )
            }
            S3ControlCommand::GetPublicAccessBlock { account_id } => (
                Operation::GetAccountPublicAccessBlock {
                    account: account_id,
                },
                true,
            ),
            S3ControlCommand::DeletePublicAccessBlock { account_id } => (
                Operation::DeleteAccountPublicAccessBlock {
                    account: account_id,
                },
                false,
            ),
        };
        let headers = headers([(Flag::AccountId, operation_account(&operation))]);
        let o = self.send(operation, &headers);
        Self::fail_if_error(&o)?;
        if prints {
            let body = o.body.clone().unwrap_or(Value::Null);
            self.print_json(&body);
        }
        Ok(0)
    }

    /// `--metadata` (`k=v,…` or JSON) as `x-amz-meta-*` headers.
    pub(crate) fn metadata(&self, value: &ArgValue) -> Result<Vec<(String, String)>, Stop> {
        let v = self.structured("--metadata", value)?;
        let Some(map) = v.as_object() else {
            return Ok(Vec::new());
        };
        Ok(map
            .iter()
            .map(|(k, v)| {
                let text = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
                (format!("x-amz-meta-{}", k.to_ascii_lowercase()), text)
            })
            .collect())
    }

    /// Every page of a ListObjectsV2 listing (the CLI paginates for you): the raw `Contents`
    /// entries and the `CommonPrefixes`.
    pub(crate) fn list_all(
        &mut self,
        bucket: &str,
        prefix: Option<String>,
        delimiter: Option<String>,
        start_after: Option<String>,
        max_items: Option<i64>,
    ) -> Result<(Vec<Value>, Vec<Value>), Stop> {
        let mut contents = Vec::new();
        let mut prefixes = Vec::new();
        let mut token = start_after;
        let limit = max_items.and_then(|m| usize::try_from(m).ok());
        for _page in 0..1000 {
            let o = self.send(
                Operation::ListObjectsV2 {
                    bucket: bucket.to_owned(),
                    prefix: prefix.clone(),
                    delimiter: delimiter.clone(),
                    max_keys: None,
                    continuation_token: token.clone(),
                },
                &[],
            );
            Self::fail_if_error(&o)?;
            let body = o.body.clone().unwrap_or(Value::Null);
            contents.extend(
                body.get("Contents")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .cloned(),
            );
            prefixes.extend(
                body.get("CommonPrefixes")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .cloned(),
            );
            if limit.is_some_and(|l| contents.len() + prefixes.len() >= l) {
                break;
            }
            if body.get("IsTruncated") != Some(&json!(true)) {
                break;
            }
            token = body
                .get("NextContinuationToken")
                .and_then(Value::as_str)
                .map(str::to_owned);
        }
        if let Some(l) = limit {
            contents.truncate(l);
            prefixes.truncate(l.saturating_sub(contents.len()));
        }
        Ok((contents, prefixes))
    }
}

/// How a simple read prints its answer.
enum Shape {
    /// Nothing (deletes).
    Nothing,
    /// The world's body as it is (its members are already S3's, in S3's order).
    Body,
    /// An ACL, with grantees reshaped as S3 returns them.
    Acl,
    /// `list-buckets`.
    Buckets,
}

fn operation_account(operation: &Operation) -> Option<String> {
    match operation {
        Operation::PutAccountPublicAccessBlock { account, .. }
        | Operation::GetAccountPublicAccessBlock { account }
        | Operation::DeleteAccountPublicAccessBlock { account } => Some(account.clone()),
        _ => None,
    }
}

/// Reads a Block Public Access configuration (shorthand or JSON).
fn public_access_block(v: &Value) -> Result<PublicAccessBlock, Stop> {
    check_members(
        v,
        "PublicAccessBlockConfiguration",
        &[
            "BlockPublicAcls",
            "IgnorePublicAcls",
            "BlockPublicPolicy",
            "RestrictPublicBuckets",
        ],
    )?;
    serde_json::from_value(v.clone()).map_err(|e| {
        Stop::new(
            format!(
                "\nParameter validation failed:\nInvalid type for parameter PublicAccessBlockConfiguration: {e}\n"
            ),
            USAGE_EXIT_CODE,
        )
    })
}

fn without_nulls(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, x)| !x.is_null())
                .map(|(k, x)| (k.clone(), x.clone()))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// An ACL as `get-bucket-acl` prints it: the owner's canonical id, and each grantee with the
/// members S3 returns, in the CLI's order (`EmailAddress`, `ID`, `Type`, `URI`).
fn acl_output(body: &Value) -> Value {
    let owner = body.pointer("/Owner/ID").cloned().unwrap_or(Value::Null);
    let grants: Vec<Value> = body
        .get("Grants")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|g| {
            let grantee = g.get("Grantee").cloned().unwrap_or(Value::Null);
            let mut shown = Map::new();
            for member in ["EmailAddress", "ID", "Type", "URI"] {
                if let Some(v) = grantee.get(member) {
                    shown.insert(member.into(), v.clone());
                }
            }
            json!({
                "Grantee": Value::Object(shown),
                "Permission": g.get("Permission").cloned().unwrap_or(Value::Null),
            })
        })
        .collect();
    json!({ "Owner": { "ID": owner }, "Grants": grants })
}

/// The fields `get-object` and `head-object` print, in the CLI's order.
fn object_head(o: &Outcome, etag: String) -> Map<String, Value> {
    let mut out = Map::new();
    if header(o, "x-amz-delete-marker") == Some("true") {
        out.insert("DeleteMarker".into(), json!(true));
    }
    out.insert("AcceptRanges".into(), json!("bytes"));
    if let Some(t) = header(o, "last-modified") {
        out.insert("LastModified".into(), json!(iso(t)));
    }
    let length = header(o, "content-length")
        .and_then(|l| l.parse::<u64>().ok())
        .unwrap_or(0);
    out.insert("ContentLength".into(), json!(length));
    out.insert("ETag".into(), json!(etag));
    put(&mut out, "VersionId", header(o, "x-amz-version-id"));
    out.insert(
        "ContentType".into(),
        json!(header(o, "content-type").unwrap_or("binary/octet-stream")),
    );
    put(
        &mut out,
        "ServerSideEncryption",
        header(o, "x-amz-server-side-encryption"),
    );
    let mut meta = Map::new();
    for (k, v) in &o.headers {
        if let Some(name) = k.strip_prefix("x-amz-meta-") {
            meta.insert(name.to_owned(), json!(v));
        }
    }
    out.insert("Metadata".into(), Value::Object(meta));
    put(
        &mut out,
        "SSECustomerAlgorithm",
        header(o, "x-amz-server-side-encryption-customer-algorithm"),
    );
    put(
        &mut out,
        "SSEKMSKeyId",
        header(o, "x-amz-server-side-encryption-aws-kms-key-id"),
    );
    out
}

//! `aws s3api` commands that read, list or delete objects: get-object, head-object,
//! delete-object, delete-objects, list-objects-v2 and list-object-versions (paginated as the
//! CLI does).
//!
//! Follows the AWS CLI s3api reference (<https://docs.aws.amazon.com/cli/latest/reference/s3api/>).

use serde_json::{Map, Value, json};

use s3pg_sim::request::{ObjectIdentifier, Operation};

use super::{header, not_modelled, object_head, put, without_nulls};
use crate::args::ArgValue;
use crate::command::S3ApiCommand;
use crate::console::headers::{Flag, headers, sse_c_headers};
use crate::console::output::{etag, iso, stored_etag};
use crate::console::{Run, Stop, check_members};

impl Run<'_> {
    /// The commands that read, list or delete objects; [`Run::s3api`] routes them here.
    pub(super) fn object_read_command(&mut self, command: S3ApiCommand) -> Result<u8, Stop> {
        use S3ApiCommand as C;
        match command {
            C::GetObject {
                bucket,
                key,
                outfile,
                version_id,
                sse_customer_algorithm,
                sse_customer_key,
                sse_customer_key_md5,
                range: _,
            } => self.get_object(
                bucket,
                key,
                outfile,
                version_id,
                sse_customer_algorithm,
                sse_customer_key,
                sse_customer_key_md5,
            ),
            C::HeadObject {
                bucket,
                key,
                version_id,
                sse_customer_algorithm,
                sse_customer_key,
            } => self.head_object(
                bucket,
                key,
                version_id,
                sse_customer_algorithm,
                sse_customer_key,
            ),
            C::DeleteObject {
                bucket,
                key,
                version_id,
                mfa,
                bypass_governance_retention,
            } => self.delete_object(bucket, key, version_id, mfa, bypass_governance_retention),
            C::DeleteObjects {
                bucket,
                delete,
                mfa,
                bypass_governance_retention,
            } => self.delete_objects(bucket, delete, mfa, bypass_governance_retention),
            C::ListObjectsV2 {
                bucket,
                prefix,
                delimiter,
                start_after,
                max_items,
            } => self.list_objects_v2(bucket, prefix, delimiter, start_after, max_items),
            C::ListObjectVersions { bucket, prefix } => self.list_object_versions(bucket, prefix),
            _ => Err(not_modelled(
                "the command is not one of the commands that read, list or delete objects",
            )),
        }
    }

    /// `aws s3api get-object`.
    #[expect(
        clippy::too_many_arguments,
        reason = "one parameter per flag of the command"
    )]
    pub(super) fn get_object(
        &mut self,
        bucket: String,
        key: String,
        outfile: String,
        version_id: Option<String>,
        sse_customer_algorithm: Option<String>,
        sse_customer_key: Option<String>,
        sse_customer_key_md5: Option<String>,
    ) -> Result<u8, Stop> {
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
        Ok(0)
    }

    /// `aws s3api head-object`.
    pub(super) fn head_object(
        &mut self,
        bucket: String,
        key: String,
        version_id: Option<String>,
        sse_customer_algorithm: Option<String>,
        sse_customer_key: Option<String>,
    ) -> Result<u8, Stop> {
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
        let tag =
            stored_etag(self.world, &bucket, &key, version.as_deref()).unwrap_or_else(|| etag(""));
        let out = object_head(&o, tag);
        self.print_json(&Value::Object(out));
        Ok(0)
    }

    /// `aws s3api delete-object`.
    pub(super) fn delete_object(
        &mut self,
        bucket: String,
        key: String,
        version_id: Option<String>,
        mfa: Option<String>,
        bypass_governance_retention: bool,
    ) -> Result<u8, Stop> {
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
        Ok(0)
    }

    /// `aws s3api delete-objects`.
    pub(super) fn delete_objects(
        &mut self,
        bucket: String,
        delete: ArgValue,
        mfa: Option<String>,
        bypass_governance_retention: bool,
    ) -> Result<u8, Stop> {
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
        Ok(0)
    }

    /// `aws s3api list-objects-v2`.
    pub(super) fn list_objects_v2(
        &mut self,
        bucket: String,
        prefix: Option<String>,
        delimiter: Option<String>,
        start_after: Option<String>,
        max_items: Option<i64>,
    ) -> Result<u8, Stop> {
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
        Ok(0)
    }

    /// `aws s3api list-object-versions`.
    pub(super) fn list_object_versions(
        &mut self,
        bucket: String,
        prefix: Option<String>,
    ) -> Result<u8, Stop> {
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
        Ok(0)
    }
}

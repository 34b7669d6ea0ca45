//! `aws s3api …`: each command is one S3 operation (two or more when the CLI paginates a
//! listing), its flags become the request's headers, and the response is printed as the CLI's
//! JSON. Follows the AWS CLI s3api reference
//! (<https://docs.aws.amazon.com/cli/latest/reference/s3api/>).
//!
//! Where to read: [`Run::s3api`] below routes each command to its family ([`buckets`],
//! [`object_writes`], [`object_reads`]); the simple reads (`get-bucket-acl`, …) go through
//! `query`.

mod buckets;
mod object_reads;
mod object_writes;

use serde_json::{Map, Value, json};

use s3pg_sim::Outcome;
use s3pg_sim::acl::{Grant, Grantee, Group, Permission};
use s3pg_sim::model::PublicAccessBlock;
use s3pg_sim::request::{AccessControlPolicy, Operation};

use crate::args::ArgValue;
use crate::command::{AclArgs, S3ApiCommand, S3ApiQuery, S3ControlCommand};
use crate::console::headers::{Flag, headers};
use crate::console::output::iso;
use crate::console::{GENERAL_ERROR_EXIT_CODE, Run, Stop, check_members};
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
        use S3ApiCommand as C;
        match command {
            C::Query(q) => self.query(q)?,
            C::Multipart(m) => self.multipart(m)?,
            C::Lock(l) => self.lock(l)?,
            C::PutBucketEncryption {
                bucket,
                configuration,
            } => return self.put_bucket_encryption(bucket, &configuration),
            C::PutBucketLogging { bucket, status } => {
                return self.put_bucket_logging(bucket, &status);
            }
            c @ (C::CreateBucket { .. }
            | C::PutBucketPolicy { .. }
            | C::GetBucketPolicy { .. }
            | C::PutBucketAcl { .. }
            | C::PutPublicAccessBlock { .. }
            | C::PutBucketOwnershipControls { .. }
            | C::PutBucketVersioning { .. }
            | C::GetBucketVersioning { .. }) => return self.bucket_command(c),
            c @ (C::PutObject { .. }
            | C::CopyObject { .. }
            | C::PutObjectAcl { .. }
            | C::PutObjectTagging { .. }) => return self.object_write_command(c),
            c @ (C::GetObject { .. }
            | C::HeadObject { .. }
            | C::DeleteObject { .. }
            | C::DeleteObjects { .. }
            | C::ListObjectsV2 { .. }
            | C::ListObjectVersions { .. }) => return self.object_read_command(c),
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

//! `aws s3api` commands on a bucket: create-bucket, put/get-bucket-policy, put-bucket-acl,
//! put-public-access-block, put-bucket-ownership-controls, put/get-bucket-versioning.
//!
//! Follows the AWS CLI s3api reference (<https://docs.aws.amazon.com/cli/latest/reference/s3api/>).

use serde_json::{Map, Value, json};

use s3pg_sim::model::ObjectOwnership;
use s3pg_sim::request::{MfaDeleteStatus, Operation, VersioningStatus};

use super::{access_control_policy, acl_headers, header, not_modelled, public_access_block, put};
use crate::args::ArgValue;
use crate::command::{AclArgs, S3ApiCommand};
use crate::console::headers::{Flag, headers};
use crate::console::{Run, Stop, check_members};

impl Run<'_> {
    /// The bucket-level commands: create a bucket, its policy, ACL, Block Public Access, Object Ownership and versioning; [`Run::s3api`] routes them here.
    pub(super) fn bucket_command(&mut self, command: S3ApiCommand) -> Result<u8, Stop> {
        use S3ApiCommand as C;
        match command {
            C::CreateBucket {
                bucket,
                acl,
                configuration,
                object_ownership,
                object_lock_enabled,
            } => self.create_bucket(
                bucket,
                acl,
                configuration,
                object_ownership,
                object_lock_enabled,
            ),
            C::PutBucketPolicy { bucket, policy } => self.put_bucket_policy(bucket, policy),
            C::GetBucketPolicy { bucket } => self.get_bucket_policy(bucket),
            C::PutBucketAcl { bucket, acl } => self.put_bucket_acl(bucket, acl),
            C::PutPublicAccessBlock {
                bucket,
                configuration,
            } => self.put_public_access_block(bucket, configuration),
            C::PutBucketOwnershipControls {
                bucket,
                ownership_controls,
            } => self.put_bucket_ownership_controls(bucket, ownership_controls),
            C::PutBucketVersioning {
                bucket,
                configuration,
                mfa,
            } => self.put_bucket_versioning(bucket, configuration, mfa),
            C::GetBucketVersioning { bucket } => self.get_bucket_versioning(bucket),
            _ => Err(not_modelled(
                "the command is not one of the bucket-level commands: create a bucket, its policy, ACL, Block Public Access, Object Ownership and versioning",
            )),
        }
    }

    /// `aws s3api create-bucket`.
    pub(super) fn create_bucket(
        &mut self,
        bucket: String,
        acl: Option<String>,
        configuration: Option<ArgValue>,
        object_ownership: Option<String>,
        object_lock_enabled: Option<bool>,
    ) -> Result<u8, Stop> {
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
        Ok(0)
    }

    /// `aws s3api put-bucket-policy`.
    pub(super) fn put_bucket_policy(
        &mut self,
        bucket: String,
        policy: ArgValue,
    ) -> Result<u8, Stop> {
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
        Ok(0)
    }

    /// `aws s3api get-bucket-policy`.
    pub(super) fn get_bucket_policy(&mut self, bucket: String) -> Result<u8, Stop> {
        let o = self.send(Operation::GetBucketPolicy { bucket }, &[]);
        Self::fail_if_error(&o)?;
        let policy = match &o.body {
            Some(Value::String(s)) => s.clone(),
            Some(v) => serde_json::to_string(v).unwrap_or_default(),
            None => String::new(),
        };
        self.print_json(&json!({ "Policy": policy }));
        Ok(0)
    }

    /// `aws s3api put-bucket-acl`.
    pub(super) fn put_bucket_acl(&mut self, bucket: String, acl: Box<AclArgs>) -> Result<u8, Stop> {
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
        Ok(0)
    }

    /// `aws s3api put-public-access-block`.
    pub(super) fn put_public_access_block(
        &mut self,
        bucket: String,
        configuration: ArgValue,
    ) -> Result<u8, Stop> {
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
        Ok(0)
    }

    /// `aws s3api put-bucket-ownership-controls`.
    pub(super) fn put_bucket_ownership_controls(
        &mut self,
        bucket: String,
        ownership_controls: ArgValue,
    ) -> Result<u8, Stop> {
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
        Ok(0)
    }

    /// `aws s3api put-bucket-versioning`.
    pub(super) fn put_bucket_versioning(
        &mut self,
        bucket: String,
        configuration: ArgValue,
        mfa: Option<String>,
    ) -> Result<u8, Stop> {
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
        Ok(0)
    }

    /// `aws s3api get-bucket-versioning`.
    pub(super) fn get_bucket_versioning(&mut self, bucket: String) -> Result<u8, Stop> {
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
        Ok(0)
    }
}

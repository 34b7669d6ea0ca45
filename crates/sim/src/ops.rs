//! The operations: for each one, the checks S3 makes before authorization, the permissions it
//! needs (with the request-derived context keys), the checks after authorization, and its effect
//! on the world.
//!
//! Permissions follow the operation → permission mapping
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html>);
//! versioning follows <https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html>.

use std::collections::BTreeMap;
use std::ops::Bound;

use serde_json::json;

use crate::acl::{Acl, CannedAcl, Grant, Grantee, Group, Permission};
use crate::authz::{self, Check};
use crate::docs;
use crate::error::S3Error;
use crate::model::{
    ANONYMOUS_OWNER, Bucket, ObjectOwnership, ObjectVersion, PublicAccessBlock, Versioning,
};
use crate::pipeline::WorldRef;
use crate::public;
use crate::request::{
    AccessControlPolicy, MfaDeleteStatus, ObjectIdentifier, Operation, Request, VersioningStatus,
};
use crate::time::Timestamp;
use crate::trace::{
    Deciding, Decision, Effect, ErrorResponse, Gate, GateStep, Outcome, StepOutcome,
};
use crate::world::{Identity, World, opaque_id};

/// 2026-04-01T00:00:00Z: general purpose buckets created from then on block SSE-C by default.
const SSE_C_BLOCKED_FROM: u64 = 1_775_001_600;

/// A request in flight: what has been decided and produced so far.
pub(crate) struct Exchange<'r> {
    pub req: &'r Request,
    pub now: Timestamp,
    pub request_id: String,
    pub trace: Vec<GateStep>,
    pub effects: Vec<Effect>,
    pub headers: BTreeMap<String, String>,
    pub body: Option<serde_json::Value>,
    pub status: u16,
    pub error: Option<S3Error>,
    pub decision: Option<Decision>,
    pub deciding: Option<Deciding>,
    /// Extra `<Error>` elements (pre-signed URL failures).
    pub error_extra: Vec<(String, String)>,
}

impl<'r> Exchange<'r> {
    pub fn new(req: &'r Request, now: Timestamp, request_id: String) -> Self {
        Exchange {
            req,
            now,
            request_id,
            trace: Vec::new(),
            effects: Vec::new(),
            headers: BTreeMap::new(),
            body: None,
            status: 200,
            error: None,
            decision: None,
            deciding: None,
            error_extra: Vec::new(),
        }
    }

    pub fn step(&mut self, step: GateStep) {
        self.trace.push(step);
    }

    /// Records a refusal by `gate` (not an authorization decision) and marks it deciding.
    fn reject(
        &mut self,
        gate: Gate,
        error: S3Error,
        explanation: impl Into<String>,
        doc: &str,
    ) -> S3Error {
        let step = GateStep::new(gate, StepOutcome::Reject, explanation, doc)
            .compare("response", format!("{} {}", error.status(), error.code()));
        self.push_deciding(step);
        error
    }

    /// Pushes the step that decides the response: the gate that produced the response decides
    /// it, even after authorization allowed, so earlier steps lose the mark.
    pub fn push_deciding(&mut self, mut step: GateStep) {
        for earlier in &mut self.trace {
            earlier.deciding = false;
        }
        step.deciding = true;
        self.deciding = Some(Deciding {
            gate: step.gate,
            action: None,
            statement: None,
        });
        self.trace.push(step);
    }

    pub fn finish(self) -> Outcome {
        let (status, error) = match &self.error {
            Some(e) => (
                e.status(),
                Some(ErrorResponse {
                    code: e.code().to_owned(),
                    message: e.message(),
                    extra: self.error_extra,
                }),
            ),
            None => (self.status, None),
        };
        Outcome {
            operation: self.req.operation.name().to_owned(),
            status,
            error,
            headers: self.headers,
            body: self.body,
            decision: self.decision,
            deciding: self.deciding,
            trace: self.trace,
            effects: self.effects,
            request_id: self.request_id,
        }
    }
}

/// Runs the whole pipeline for one request.
pub(crate) fn run(world: &mut WorldRef<'_>, ex: &mut Exchange<'_>) {
    let identity = match world.authenticate(&ex.req.caller, ex.now) {
        Ok((id, step)) => {
            ex.step(step);
            id
        }
        Err(e) => {
            let why = match e {
                S3Error::ExpiredToken => "the role session's temporary credentials have expired",
                _ => "no account, user, role session or access key matches the caller",
            };
            let err = ex.reject(Gate::Authentication, e, why, docs::AUTHENTICATION);
            ex.error = Some(err);
            return;
        }
    };
    run_as(world, ex, &identity);
}

/// Runs the pipeline after authentication, for an identity already established (a pre-signed
/// URL's signer).
pub(crate) fn run_as(world: &mut WorldRef<'_>, ex: &mut Exchange<'_>, identity: &Identity) {
    if let Err(e) = dispatch(world, ex, identity) {
        ex.error = Some(e);
    }
}

fn dispatch(world: &mut WorldRef<'_>, ex: &mut Exchange<'_>, id: &Identity) -> Result<(), S3Error> {
    let op = ex.req.operation.clone();
    if let Some(bucket) = op.bucket()
        && !matches!(op, Operation::CreateBucket { .. })
        && !world.buckets.contains_key(bucket)
    {
        return Err(ex.reject(
            Gate::RequestValidation,
            S3Error::NoSuchBucket,
            format!(
                "there is no bucket named `{bucket}`; S3 answers this before looking at any policy"
            ),
            docs::ERRORS,
        ));
    }
    match op {
        Operation::ListBuckets {} => list_buckets(world, ex, id),
        Operation::CreateBucket {
            bucket,
            region,
            object_ownership,
        } => create_bucket(world, ex, id, &bucket, region.as_deref(), object_ownership),
        Operation::DeleteBucket { bucket } => delete_bucket(world, ex, id, &bucket),
        Operation::PutBucketPolicy { bucket, policy } => {
            put_bucket_policy(world, ex, id, &bucket, &policy)
        }
        Operation::GetBucketPolicy { bucket } => {
            bucket_policy_api(world, ex, id, &bucket, "s3:GetBucketPolicy")
        }
        Operation::DeleteBucketPolicy { bucket } => {
            bucket_policy_api(world, ex, id, &bucket, "s3:DeleteBucketPolicy")
        }
        Operation::GetBucketPolicyStatus { bucket } => get_policy_status(world, ex, id, &bucket),
        Operation::PutBucketAcl {
            bucket,
            access_control_policy,
        } => put_bucket_acl(world, ex, id, &bucket, access_control_policy.as_ref()),
        Operation::GetBucketAcl { bucket } => get_bucket_acl(world, ex, id, &bucket),
        Operation::PutObjectAcl {
            bucket,
            key,
            version_id,
            access_control_policy,
        } => put_object_acl(
            world,
            ex,
            id,
            &bucket,
            &key,
            version_id.as_deref(),
            access_control_policy.as_ref(),
        ),
        Operation::GetObjectAcl {
            bucket,
            key,
            version_id,
        } => get_object_acl(world, ex, id, &bucket, &key, version_id.as_deref()),
        Operation::PutPublicAccessBlock {
            bucket,
            configuration,
        } => bucket_pab(world, ex, id, &bucket, PabOp::Put(configuration)),
        Operation::GetPublicAccessBlock { bucket } => {
            bucket_pab(world, ex, id, &bucket, PabOp::Get)
        }
        Operation::DeletePublicAccessBlock { bucket } => {
            bucket_pab(world, ex, id, &bucket, PabOp::Delete)
        }
        Operation::PutAccountPublicAccessBlock {
            account,
            configuration,
        } => account_pab(world, ex, id, &account, PabOp::Put(configuration)),
        Operation::GetAccountPublicAccessBlock { account } => {
            account_pab(world, ex, id, &account, PabOp::Get)
        }
        Operation::DeleteAccountPublicAccessBlock { account } => {
            account_pab(world, ex, id, &account, PabOp::Delete)
        }
        Operation::PutBucketOwnershipControls {
            bucket,
            object_ownership,
        } => put_ownership(world, ex, id, &bucket, object_ownership),
        Operation::GetBucketOwnershipControls { bucket } => {
            authorize(
                world,
                ex,
                id,
                &[Check::bucket("s3:GetBucketOwnershipControls", &bucket)],
            )?;
            let o = world
                .buckets
                .get(&bucket)
                .map(|b| b.object_ownership.as_str())
                .unwrap_or_default();
            ex.body = Some(json!({ "OwnershipControls": { "Rules": [{ "ObjectOwnership": o }] } }));
            Ok(())
        }
        Operation::PutBucketVersioning {
            bucket,
            status,
            mfa_delete,
        } => put_versioning(world, ex, id, &bucket, status, mfa_delete),
        Operation::GetBucketVersioning { bucket } => {
            authorize(
                world,
                ex,
                id,
                &[Check::bucket("s3:GetBucketVersioning", &bucket)],
            )?;
            let b = bucket_ref(world, &bucket)?;
            let mut body = serde_json::Map::new();
            match b.versioning {
                Versioning::Unversioned => {}
                Versioning::Enabled => {
                    body.insert("Status".into(), json!("Enabled"));
                }
                Versioning::Suspended => {
                    body.insert("Status".into(), json!("Suspended"));
                }
            }
            if b.versioning != Versioning::Unversioned {
                body.insert(
                    "MFADelete".into(),
                    json!(if b.mfa_delete { "Enabled" } else { "Disabled" }),
                );
            }
            ex.body = Some(serde_json::Value::Object(body));
            Ok(())
        }
        Operation::Kms(request) => crate::services::kms(world, ex, id, &request),
        Operation::Glacier(call) => crate::services::glacier(world, ex, id, &call),
        Operation::PutBucketLogging {
            bucket,
            logging_enabled,
        } => put_bucket_logging(world, ex, id, &bucket, logging_enabled),
        Operation::GetBucketLogging { bucket } => {
            authorize(world, ex, id, &[Check::bucket("s3:GetBucketLogging", &bucket)])?;
            let l = bucket_ref(world, &bucket)?.logging.clone();
            ex.body = Some(match l {
                Some(l) => json!({ "LoggingEnabled": { "TargetBucket": l.target_bucket, "TargetPrefix": l.target_prefix } }),
                None => json!({}),
            });
            Ok(())
        }
        Operation::QueryLogs { query } => match world.query_logs(&query) {
            Ok(body) => {
                ex.body = Some(body);
                ex.step(GateStep::new(
                    Gate::Audit,
                    StepOutcome::Info,
                    format!("searched the delivered access logs and the CloudTrail records with `{query}`"),
                    docs::ACCESS_LOGS,
                ));
                Ok(())
            }
            Err(e) => Err(ex.reject(
                Gate::RequestValidation,
                S3Error::InvalidArgument { message: e.clone() },
                format!("the log query cannot be read: {e}"),
                docs::ACCESS_LOGS,
            )),
        },
        Operation::PutBucketEncryption {
            bucket,
            configuration,
        } => bucket_encryption(world, ex, id, &bucket, Some(Some(configuration))),
        Operation::GetBucketEncryption { bucket } => {
            bucket_encryption(world, ex, id, &bucket, None)
        }
        Operation::DeleteBucketEncryption { bucket } => {
            bucket_encryption(world, ex, id, &bucket, Some(None))
        }
        Operation::PutObject { bucket, key, body } => {
            put_object(world, ex, id, &bucket, &key, body)
        }
        Operation::GetObject {
            bucket,
            key,
            version_id,
        } => get_object(world, ex, id, &bucket, &key, version_id.as_deref(), false),
        Operation::HeadObject {
            bucket,
            key,
            version_id,
        } => get_object(world, ex, id, &bucket, &key, version_id.as_deref(), true).inspect_err(|e| {
            ex.step(GateStep::new(
                Gate::Execution,
                StepOutcome::Info,
                format!(
                    "a HEAD response has no body, so clients see only the status `{}` — not the error code `{}`",
                    e.status(),
                    e.code()
                ),
                docs::MISSING_KEY,
            ));
        }),
        Operation::DeleteObject {
            bucket,
            key,
            version_id,
        } => delete_object(world, ex, id, &bucket, &key, version_id.as_deref()),
        Operation::DeleteObjects {
            bucket,
            objects,
            quiet,
        } => delete_objects(world, ex, id, &bucket, &objects, quiet),
        Operation::ListObjectsV2 {
            bucket,
            prefix,
            delimiter,
            max_keys,
            continuation_token,
        } => list_objects_v2(
            world,
            ex,
            id,
            &bucket,
            prefix.as_deref(),
            delimiter.as_deref(),
            max_keys,
            continuation_token.as_deref(),
        ),
        Operation::ListObjectVersions {
            bucket,
            prefix,
            delimiter,
            max_keys,
            key_marker,
            version_id_marker,
        } => list_object_versions(
            world,
            ex,
            id,
            &bucket,
            ListParams {
                prefix: prefix.as_deref(),
                delimiter: delimiter.as_deref(),
                max_keys,
                key_marker: key_marker.as_deref(),
                version_id_marker: version_id_marker.as_deref(),
            },
        ),
        Operation::CopyObject {
            bucket,
            key,
            source_bucket,
            source_key,
            source_version_id,
        } => copy_object(
            world,
            ex,
            id,
            &bucket,
            &key,
            &source_bucket,
            &source_key,
            source_version_id.as_deref(),
        ),
        // `World::handle` resolves a pre-signed URL to one of the operations above first.
        Operation::PresignedRequest { .. } => Err(ex.reject(
            Gate::RequestValidation,
            S3Error::InvalidRequest {
                message: "A pre-signed URL cannot carry another pre-signed request.".to_owned(),
            },
            "a pre-signed request reached the operations without being resolved",
            docs::PRESIGNED,
        )),
    }
}

/// Sets a field of a JSON object (no-op on other values).
fn set(value: &mut serde_json::Value, key: &str, field: serde_json::Value) {
    if let Some(map) = value.as_object_mut() {
        map.insert(key.to_owned(), field);
    }
}

/// An ACL given in headers: the canned ACL, or the explicit grants.
type HeaderAcl = Option<(Option<CannedAcl>, Vec<Grant>)>;

fn bucket_ref<'w>(world: &'w World, name: &str) -> Result<&'w Bucket, S3Error> {
    world.buckets.get(name).ok_or(S3Error::NoSuchBucket)
}

fn bucket_mut<'w>(world: &'w mut World, name: &str) -> Result<&'w mut Bucket, S3Error> {
    world.buckets.get_mut(name).ok_or(S3Error::NoSuchBucket)
}

/// Authorizes every check in order; the first denial ends the request with `AccessDenied`.
fn authorize(
    world: &World,
    ex: &mut Exchange<'_>,
    id: &Identity,
    checks: &[Check],
) -> Result<(), S3Error> {
    let mut step = GateStep::new(
        Gate::RequiredPermissions,
        StepOutcome::Info,
        format!(
            "`{}` needs {}",
            ex.req.operation.name(),
            checks
                .iter()
                .map(|c| format!("`{}` on `{}`", c.action, c.resource.arn()))
                .collect::<Vec<_>>()
                .join(" and ")
        ),
        docs::ACTIONS,
    );
    let mut seen = std::collections::BTreeSet::new();
    for c in checks {
        for (k, v) in &c.keys {
            if seen.insert(k.clone()) {
                step = step.compare(k, v.join(", "));
            }
        }
    }
    // The context keys S3 derives from the request itself (scheme, network, time, credentials).
    for (k, v) in authz::global_keys(world, id, ex.req, ex.now) {
        step = step.compare(&k, v);
    }
    ex.step(step);
    for check in checks {
        let result = authz::authorize(world, id, ex.req, ex.now, check);
        // The last check authorized (or the one that denied) decides.
        for earlier in &mut ex.trace {
            earlier.deciding = false;
        }
        ex.trace.extend(result.steps);
        ex.decision = Some(result.decision);
        ex.deciding = result.deciding.clone();
        if result.decision != Decision::Allow {
            return Err(S3Error::AccessDenied {
                message: result.message,
            });
        }
    }
    Ok(())
}

/// Authorizes without recording (used for the `s3:ListBucket` probe behind 403 vs 404).
fn quietly_allowed(world: &World, ex: &Exchange<'_>, id: &Identity, check: &Check) -> bool {
    authz::authorize(world, id, ex.req, ex.now, check).decision == Decision::Allow
}

fn list_buckets(world: &World, ex: &mut Exchange<'_>, id: &Identity) -> Result<(), S3Error> {
    authorize(
        world,
        ex,
        id,
        &[Check::account(
            "s3:ListAllMyBuckets",
            id.account.as_deref().unwrap_or(""),
        )],
    )?;
    let mine: Vec<_> = world
        .buckets
        .iter()
        .filter(|(_, b)| Some(b.owner.as_str()) == id.account.as_deref())
        .map(|(name, b)| json!({ "Name": name, "CreationDate": b.created.to_string() }))
        .collect();
    ex.body = Some(json!({ "Buckets": mine }));
    Ok(())
}

fn valid_bucket_name(name: &str) -> bool {
    (3..=63).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
        && name
            .as_bytes()
            .first()
            .is_some_and(u8::is_ascii_alphanumeric)
        && name
            .as_bytes()
            .last()
            .is_some_and(u8::is_ascii_alphanumeric)
        && !name.contains("..")
}

/// The ACL a request sets through `x-amz-acl` or `x-amz-grant-*` headers, if any.
fn header_acl(ex: &Exchange<'_>) -> Result<HeaderAcl, S3Error> {
    let canned = match ex.req.header_value("x-amz-acl") {
        Some(v) => Some(CannedAcl::parse(v).ok_or_else(|| S3Error::InvalidArgument {
            message: format!("Invalid canned ACL: {v}"),
        })?),
        None => None,
    };
    let mut grants = Vec::new();
    for (header, permission) in [
        ("x-amz-grant-read", Permission::Read),
        ("x-amz-grant-write", Permission::Write),
        ("x-amz-grant-read-acp", Permission::ReadAcp),
        ("x-amz-grant-write-acp", Permission::WriteAcp),
        ("x-amz-grant-full-control", Permission::FullControl),
    ] {
        if let Some(v) = ex.req.header_value(header) {
            for part in v.split(',') {
                let (kind, value) =
                    part.trim()
                        .split_once('=')
                        .ok_or_else(|| S3Error::InvalidArgument {
                            message: format!("Invalid grantee in {header}: {part}"),
                        })?;
                let value = value.trim().trim_matches('"').to_owned();
                let grantee = match kind.trim() {
                    "id" => Grantee::CanonicalUser(value),
                    "uri" => Grantee::Group(Group::parse(&value).ok_or_else(|| {
                        S3Error::InvalidArgument {
                            message: format!("Invalid group uri: {value}"),
                        }
                    })?),
                    "emailAddress" => Grantee::EmailAddress(value),
                    _ => {
                        return Err(S3Error::InvalidArgument {
                            message: format!("Invalid grantee in {header}: {part}"),
                        });
                    }
                };
                grants.push(Grant {
                    grantee,
                    permission,
                });
            }
        }
    }
    if canned.is_some() && !grants.is_empty() {
        return Err(S3Error::InvalidRequest {
            message: "Specifying both Canned ACLs and Header Grants is not allowed".to_owned(),
        });
    }
    Ok(match (canned, grants.is_empty()) {
        (None, true) => None,
        (c, _) => Some((c, grants)),
    })
}

/// ACL-derived context keys (`s3:x-amz-acl`, `s3:x-amz-grant-*`).
fn acl_keys(ex: &Exchange<'_>) -> Vec<(String, Vec<String>)> {
    let mut keys = Vec::new();
    for h in [
        "x-amz-acl",
        "x-amz-grant-read",
        "x-amz-grant-write",
        "x-amz-grant-read-acp",
        "x-amz-grant-write-acp",
        "x-amz-grant-full-control",
    ] {
        if let Some(v) = ex.req.header_value(h) {
            keys.push((format!("s3:{h}"), vec![v.to_owned()]));
        }
    }
    keys
}

/// Effective Block Public Access for a bucket: account level OR bucket level.
pub(crate) fn effective_bpa(world: &World, bucket: &Bucket) -> PublicAccessBlock {
    let account = world
        .accounts
        .get(&bucket.owner)
        .and_then(|a| a.public_access_block)
        .unwrap_or_default();
    account.or(bucket.public_access_block.unwrap_or_default())
}

fn bpa_compare(
    step: GateStep,
    world: &World,
    bucket: &Bucket,
    flag: &str,
    value: bool,
) -> GateStep {
    let account = world
        .accounts
        .get(&bucket.owner)
        .and_then(|a| a.public_access_block);
    step.compare(&format!("{flag} (effective)"), value.to_string())
        .compare(
            "account level",
            account.map_or_else(|| "not configured".to_owned(), |p| bpa_words(&p)),
        )
        .compare(
            "bucket level",
            bucket
                .public_access_block
                .map_or_else(|| "not configured".to_owned(), |p| bpa_words(&p)),
        )
}

/// A Block Public Access configuration in the API's own words.
fn bpa_words(p: &crate::model::PublicAccessBlock) -> String {
    format!(
        "BlockPublicAcls={}, IgnorePublicAcls={}, BlockPublicPolicy={}, RestrictPublicBuckets={}",
        p.block_public_acls, p.ignore_public_acls, p.block_public_policy, p.restrict_public_buckets
    )
}

/// Object Ownership and BlockPublicAcls checks for a request that sets an ACL.
fn check_acl_write(
    world: &World,
    ex: &mut Exchange<'_>,
    bucket: &Bucket,
    acl: &Acl,
    owner_account: &str,
) -> Result<(), S3Error> {
    if acl
        .grants
        .iter()
        .any(|g| matches!(g.grantee, Grantee::EmailAddress(_)))
    {
        let e = ex.reject(
            Gate::RequestValidation,
            S3Error::MethodNotAllowed,
            "e-mail address grantees are no longer supported (AWS ended them on 1 October 2025)",
            docs::ACL,
        );
        if let Some(s) = ex.trace.last_mut() {
            s.undocumented = Some("AWS documents the end of support, not the exact response; the playground answers 405".to_owned());
        }
        return Err(e);
    }
    if !bucket.acls_enabled() {
        let canonical = world.canonical_id(&bucket.owner);
        if !acl.only_full_control_for(&bucket.owner, &canonical) {
            let e = ex.reject(
                Gate::ObjectOwnership,
                S3Error::AccessControlListNotSupported,
                "the bucket's Object Ownership is `BucketOwnerEnforced`, so ACLs are disabled: only an ACL giving the bucket owner full control is accepted",
                docs::OWNERSHIP_ERRORS,
            );
            if let Some(s) = ex.trace.last_mut() {
                s.compared.insert(
                    0,
                    (
                        "ObjectOwnership".to_owned(),
                        "BucketOwnerEnforced".to_owned(),
                    ),
                );
            }
            return Err(e);
        }
        let _ = owner_account;
    }
    let bpa = effective_bpa(world, bucket);
    if acl.is_public() {
        if bpa.block_public_acls {
            let e = ex.reject(
                Gate::BlockPublicAccess,
                S3Error::access_denied(),
                "`BlockPublicAcls` is on and the ACL grants AllUsers or AuthenticatedUsers, so S3 refuses to store it",
                docs::BPA,
            );
            if let Some(s) = ex.trace.last_mut() {
                let mut step = bpa_compare(s.clone(), world, bucket, "BlockPublicAcls", true);
                step.compared.rotate_right(3);
                *s = step;
            }
            return Err(e);
        }
        let step = bpa_compare(
            GateStep::new(
                Gate::BlockPublicAccess,
                StepOutcome::Pass,
                "the ACL is public but `BlockPublicAcls` is off, so it may be stored",
                docs::BPA,
            ),
            world,
            bucket,
            "BlockPublicAcls",
            false,
        );
        ex.step(step);
    }
    Ok(())
}

fn create_bucket(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    name: &str,
    region: Option<&str>,
    ownership: Option<ObjectOwnership>,
) -> Result<(), S3Error> {
    if !valid_bucket_name(name) {
        return Err(ex.reject(
            Gate::RequestValidation,
            S3Error::InvalidBucketName,
            format!("`{name}` breaks the bucket naming rules (3–63 lowercase letters, digits, dots, hyphens)"),
            docs::CREATE_BUCKET,
        ));
    }
    let Some(account) = id.account.clone() else {
        authorize(
            world,
            ex,
            id,
            &[Check::new_bucket("s3:CreateBucket", name, "")],
        )?;
        return Err(S3Error::access_denied());
    };
    if let Some(existing) = world.buckets.get(name) {
        let requested = region.unwrap_or("us-east-1");
        if existing.owner == account && existing.region == "us-east-1" && requested == "us-east-1" {
            // Legacy us-east-1 behaviour: re-creating your own bucket there succeeds.
            ex.step(GateStep::new(
                Gate::Execution,
                StepOutcome::Info,
                format!("you already own `{name}` in us-east-1, where S3 answers 200 OK instead of BucketAlreadyOwnedByYou (and resets the bucket ACL)"),
                docs::CREATE_BUCKET,
            ));
            if let Some(b) = world.buckets.get_mut(name)
                && b.acls_enabled()
            {
                b.acl = None;
            }
            ex.headers.insert("location".into(), format!("/{name}"));
            return Ok(());
        }
        let e = if existing.owner == account {
            S3Error::BucketAlreadyOwnedByYou
        } else {
            S3Error::BucketAlreadyExists
        };
        return Err(ex.reject(
            Gate::RequestValidation,
            e,
            format!("bucket names are global and `{name}` already exists"),
            docs::CREATE_BUCKET,
        ));
    }
    let object_ownership = ownership.unwrap_or_default();
    let mut new = Bucket::new(&account, region.unwrap_or("us-east-1"), ex.now);
    new.object_ownership = object_ownership;
    if world.exam_mode == crate::world::ExamMode::Current
        && ex.now.epoch_seconds() >= SSE_C_BLOCKED_FROM
    {
        new.encryption = Some(crate::encryption::BucketEncryption {
            blocked_encryption_types: vec!["SSE-C".to_owned()],
            ..crate::encryption::BucketEncryption::sse_s3()
        });
    }
    let acl = header_acl(ex)?;
    let mut checks = vec![Check::new_bucket("s3:CreateBucket", name, &account).keys(acl_keys(ex))];
    if let Some((canned, grants)) = acl {
        let acl = match canned {
            Some(c) => Acl::from_canned(c, &account, &account, false),
            None => Acl {
                canned: None,
                grants,
            },
        };
        let owner_only = acl.only_full_control_for(&account, &world.canonical_id(&account));
        if !owner_only {
            if object_ownership == ObjectOwnership::BucketOwnerEnforced {
                return Err(ex.reject(
                    Gate::ObjectOwnership,
                    S3Error::InvalidBucketAclWithObjectOwnership,
                    "a bucket created with `BucketOwnerEnforced` (the default) cannot carry an ACL that grants anyone but the owner; send `x-amz-object-ownership: ObjectWriter` or `BucketOwnerPreferred`",
                    docs::OWNERSHIP_ERRORS,
                ));
            }
            if acl.is_public() {
                return Err(ex.reject(
                    Gate::BlockPublicAccess,
                    S3Error::access_denied(),
                    "new buckets start with all four Block Public Access settings on, so a public ACL at creation is refused",
                    docs::BPA,
                ));
            }
            checks.push(Check::new_bucket("s3:PutBucketAcl", name, &account).keys(acl_keys(ex)));
        }
        new.acl = Some(acl);
    }
    if ownership.is_some() {
        checks.push(Check::new_bucket(
            "s3:PutBucketOwnershipControls",
            name,
            &account,
        ));
    }
    authorize(world, ex, id, &checks)?;
    world.buckets.insert(name.to_owned(), new);
    ex.headers.insert("location".into(), format!("/{name}"));
    ex.effects.push(Effect::BucketCreated {
        bucket: name.to_owned(),
    });
    Ok(())
}

fn delete_bucket(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    name: &str,
) -> Result<(), S3Error> {
    authorize(world, ex, id, &[Check::bucket("s3:DeleteBucket", name)])?;
    let count = bucket_ref(world, name)?.version_count();
    if count > 0 {
        return Err(ex.reject(
            Gate::Execution,
            S3Error::BucketNotEmpty,
            format!("the bucket still holds {count} object version(s) or delete marker(s); every one must be removed first"),
            docs::VERSIONING,
        ));
    }
    world.buckets.remove(name);
    ex.status = 204;
    ex.effects.push(Effect::BucketDeleted {
        bucket: name.to_owned(),
    });
    Ok(())
}

fn put_bucket_policy(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    name: &str,
    document: &serde_json::Value,
) -> Result<(), S3Error> {
    let policy = match public::parse_bucket_policy(document) {
        Ok(p) => p,
        Err(message) => {
            return Err(ex.reject(
                Gate::RequestValidation,
                S3Error::MalformedPolicy {
                    message: message.clone(),
                },
                format!("S3 refuses the policy document: {message}"),
                docs::S3_AUTHZ,
            ));
        }
    };
    let bucket = bucket_ref(world, name)?;
    let bpa = effective_bpa(world, bucket);
    let publicness = public::policy_publicness(&policy);
    if let Some(reason) = &publicness {
        let (outcome, text) = if bpa.block_public_policy {
            (
                StepOutcome::Reject,
                format!(
                    "`BlockPublicPolicy` is on and the new policy is public ({reason}), so S3 refuses it"
                ),
            )
        } else {
            (
                StepOutcome::Pass,
                format!("the new policy is public ({reason}) but `BlockPublicPolicy` is off"),
            )
        };
        let step = bpa_compare(
            GateStep::new(Gate::BlockPublicAccess, outcome, text, docs::BPA_PUBLIC),
            world,
            bucket,
            "BlockPublicPolicy",
            bpa.block_public_policy,
        );
        if bpa.block_public_policy {
            ex.push_deciding(step);
            return Err(S3Error::access_denied());
        }
        ex.step(step);
    } else if bpa.block_public_policy {
        ex.step(GateStep::new(
            Gate::BlockPublicAccess,
            StepOutcome::Pass,
            "`BlockPublicPolicy` is on, but every Allow statement of the new policy names specific principals or is pinned by a fixed condition, so the policy is not public",
            docs::BPA_PUBLIC,
        ));
    }
    bucket_policy_authorize(world, ex, id, name, "s3:PutBucketPolicy")?;
    bucket_mut(world, name)?.policy = Some(document.clone());
    ex.status = 204;
    ex.effects.push(Effect::BucketPolicySet {
        bucket: name.to_owned(),
    });
    Ok(())
}

/// Authorization for the three bucket-policy APIs: the owner's root user is exempt from the
/// bucket policy (lock-out protection) and other accounts get 405.
fn bucket_policy_authorize(
    world: &World,
    ex: &mut Exchange<'_>,
    id: &Identity,
    name: &str,
    action: &'static str,
) -> Result<(), S3Error> {
    let owner = bucket_ref(world, name)?.owner.clone();
    let check = Check::bucket(action, name);
    let check = if id.is_root() && id.account.as_deref() == Some(owner.as_str()) {
        ex.step(GateStep::new(
            Gate::RootUser,
            StepOutcome::Pass,
            format!("the bucket owner's root user may always call `{action}`, even when the bucket policy denies it (only SCPs and VPC endpoint policies can stop it)"),
            docs::ROOT_POLICY_APIS,
        ).action(action));
        check.root_policy_exempt()
    } else {
        check
    };
    authorize(world, ex, id, &[check])?;
    if id.account.as_deref() != Some(owner.as_str()) {
        return Err(ex.reject(
            Gate::Execution,
            S3Error::MethodNotAllowed,
            format!("only identities of the owning account `{owner}` may call the bucket-policy APIs; other accounts get 405 even when a policy allows them"),
            docs::ROOT_POLICY_APIS,
        ));
    }
    Ok(())
}

fn bucket_policy_api(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    name: &str,
    action: &'static str,
) -> Result<(), S3Error> {
    bucket_policy_authorize(world, ex, id, name, action)?;
    let bucket = bucket_mut(world, name)?;
    if action == "s3:GetBucketPolicy" {
        match &bucket.policy {
            Some(p) => ex.body = Some(p.clone()),
            None => {
                return Err(ex.reject(
                    Gate::Execution,
                    S3Error::NoSuchBucketPolicy,
                    "the bucket has no policy",
                    docs::ERRORS,
                ));
            }
        }
    } else {
        if bucket.policy.take().is_some() {
            ex.effects.push(Effect::BucketPolicyDeleted {
                bucket: name.to_owned(),
            });
        }
        ex.status = 204;
    }
    Ok(())
}

fn get_policy_status(
    world: &World,
    ex: &mut Exchange<'_>,
    id: &Identity,
    name: &str,
) -> Result<(), S3Error> {
    authorize(
        world,
        ex,
        id,
        &[Check::bucket("s3:GetBucketPolicyStatus", name)],
    )?;
    let bucket = bucket_ref(world, name)?;
    let Some(doc) = &bucket.policy else {
        return Err(ex.reject(
            Gate::Execution,
            S3Error::NoSuchBucketPolicy,
            "the bucket has no policy",
            docs::ERRORS,
        ));
    };
    let reason = public::parse_bucket_policy(doc)
        .ok()
        .and_then(|p| public::policy_publicness(&p));
    ex.step(
        GateStep::new(
            Gate::BlockPublicAccess,
            StepOutcome::Info,
            match &reason {
                Some(r) => format!("the policy is public: {r}"),
                None => "every Allow statement is pinned to specific principals or fixed conditions, so the policy is not public".to_owned(),
            },
            docs::BPA_PUBLIC,
        ),
    );
    ex.body = Some(json!({ "PolicyStatus": { "IsPublic": reason.is_some() } }));
    Ok(())
}

/// Reads the ACL a Put*Acl request sets: headers or body, exactly one of them.
fn requested_acl(
    ex: &mut Exchange<'_>,
    body: Option<&AccessControlPolicy>,
    owner: &str,
    bucket_owner: &str,
    on_object: bool,
) -> Result<Acl, S3Error> {
    let headers = header_acl(ex)?;
    match (headers, body) {
        (Some(_), Some(_)) => Err(ex.reject(
            Gate::RequestValidation,
            S3Error::InvalidRequest { message: "Specifying both Canned ACLs and Header Grants is not allowed".to_owned() },
            "the request sets the ACL both in headers and in the body",
            docs::ACL,
        )),
        (None, None) => Err(ex.reject(
            Gate::RequestValidation,
            S3Error::MalformedXml,
            "the request sets no ACL: give `x-amz-acl`, `x-amz-grant-*` headers or an AccessControlPolicy body",
            docs::ACL,
        )),
        (Some((Some(c), _)), None) => Ok(Acl::from_canned(c, owner, bucket_owner, on_object)),
        (Some((None, grants)), None) => Ok(Acl { canned: None, grants }),
        (None, Some(b)) => Ok(Acl { canned: None, grants: b.grants.clone() }),
    }
}

fn put_bucket_acl(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    name: &str,
    body: Option<&AccessControlPolicy>,
) -> Result<(), S3Error> {
    let owner = bucket_ref(world, name)?.owner.clone();
    let acl = requested_acl(ex, body, &owner, &owner, false)?;
    let bucket = bucket_ref(world, name)?.clone();
    check_acl_write(world, ex, &bucket, &acl, &owner)?;
    authorize(
        world,
        ex,
        id,
        &[Check::bucket("s3:PutBucketAcl", name).keys(acl_keys(ex))],
    )?;
    bucket_mut(world, name)?.acl = Some(acl);
    ex.effects.push(Effect::BucketAclSet {
        bucket: name.to_owned(),
    });
    Ok(())
}

/// The ACL as `Get*Acl` shows it: the owner-only ACL while ACLs are disabled, public grants hidden
/// under `IgnorePublicAcls`.
fn effective_acl_body(
    world: &World,
    bucket: &Bucket,
    owner: &str,
    acl: Option<&Acl>,
) -> serde_json::Value {
    let bpa = effective_bpa(world, bucket);
    let grants: Vec<Grant> = if bucket.acls_enabled() {
        acl.map_or_else(|| Acl::private(owner).grants, |a| a.grants.clone())
            .into_iter()
            .filter(|g| !(bpa.ignore_public_acls && g.is_public()))
            .collect()
    } else {
        Acl::private(&bucket.owner).grants
    };
    let shown: Vec<_> = grants
        .iter()
        .map(|g| {
            let grantee = match &g.grantee {
                Grantee::Account(a) => {
                    json!({ "Type": "CanonicalUser", "ID": world.canonical_id(a), "Account": a })
                }
                Grantee::CanonicalUser(c) => json!({ "Type": "CanonicalUser", "ID": c }),
                Grantee::Group(gr) => json!({ "Type": "Group", "URI": gr.uri() }),
                Grantee::EmailAddress(e) => {
                    json!({ "Type": "AmazonCustomerByEmail", "EmailAddress": e })
                }
            };
            json!({ "Grantee": grantee, "Permission": g.permission.as_str() })
        })
        .collect();
    let owner = if bucket.acls_enabled() {
        owner
    } else {
        bucket.owner.as_str()
    };
    json!({ "Owner": { "ID": world.canonical_id(owner), "Account": owner }, "Grants": shown })
}

fn get_bucket_acl(
    world: &World,
    ex: &mut Exchange<'_>,
    id: &Identity,
    name: &str,
) -> Result<(), S3Error> {
    authorize(world, ex, id, &[Check::bucket("s3:GetBucketAcl", name)])?;
    let bucket = bucket_ref(world, name)?;
    ex.body = Some(effective_acl_body(
        world,
        bucket,
        &bucket.owner,
        bucket.acl.as_ref(),
    ));
    Ok(())
}

/// Finds the version an object request addresses, or the error S3 answers.
fn locate<'b>(
    bucket: &'b Bucket,
    key: &str,
    version_id: Option<&str>,
) -> Result<&'b ObjectVersion, (S3Error, Option<&'b ObjectVersion>)> {
    let entry = bucket.objects.get(key);
    match version_id {
        Some(v) => match entry.and_then(|e| e.version(v)) {
            Some(ver) if ver.delete_marker => Err((S3Error::MethodNotAllowed, Some(ver))),
            Some(ver) => Ok(ver),
            None => Err((S3Error::NoSuchVersion, None)),
        },
        None => match entry.and_then(|e| e.current()) {
            Some(ver) if ver.delete_marker => Err((S3Error::NoSuchKey, Some(ver))),
            Some(ver) => Ok(ver),
            None => Err((S3Error::NoSuchKey, None)),
        },
    }
}

/// Owner of the version an object request addresses (the bucket owner when there is none).
fn target_owner(bucket: &Bucket, key: &str, version_id: Option<&str>) -> String {
    let entry = bucket.objects.get(key);
    let v = match version_id {
        Some(v) => entry.and_then(|e| e.version(v)),
        None => entry.and_then(|e| e.current()),
    };
    v.map_or_else(|| bucket.owner.clone(), |v| v.owner.clone())
}

fn version_keys(version_id: Option<&str>) -> Vec<(String, Vec<String>)> {
    version_id
        .map(|v| vec![("s3:VersionId".to_owned(), vec![v.to_owned()])])
        .unwrap_or_default()
}

fn version_error(
    ex: &mut Exchange<'_>,
    err: S3Error,
    marker: Option<&ObjectVersion>,
    key: &str,
) -> S3Error {
    if let Some(m) = marker {
        ex.headers
            .insert("x-amz-delete-marker".into(), "true".into());
        ex.headers
            .insert("x-amz-version-id".into(), m.version_id.clone());
        if err == S3Error::MethodNotAllowed {
            ex.headers
                .insert("last-modified".into(), m.last_modified.to_string());
        }
    }
    let text = match (&err, marker.is_some()) {
        (S3Error::MethodNotAllowed, _) => {
            format!(
                "the version addressed is a delete marker of `{key}`: it has no data, so S3 answers 405 with `x-amz-delete-marker: true`"
            )
        }
        (S3Error::NoSuchKey, true) => format!(
            "the current version of `{key}` is a delete marker, so S3 behaves as if the object is gone (404, `x-amz-delete-marker: true`); older versions still exist"
        ),
        (S3Error::NoSuchVersion, _) => format!("`{key}` has no version with that id"),
        _ => format!("there is no object `{key}`"),
    };
    let current_marker = err == S3Error::NoSuchKey && marker.is_some();
    let e = ex.reject(Gate::Execution, err, text, docs::DELETE_MARKERS);
    if current_marker && let Some(step) = ex.trace.last_mut() {
        step.undocumented = Some(
            "AWS documents the 404 for a current delete marker but not whether a caller without `s3:ListBucket` gets 403 instead; the playground answers 404".to_owned(),
        );
    }
    e
}

fn put_object_acl(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    name: &str,
    key: &str,
    version_id: Option<&str>,
    body: Option<&AccessControlPolicy>,
) -> Result<(), S3Error> {
    let bucket = bucket_ref(world, name)?.clone();
    let owner = target_owner(&bucket, key, version_id);
    let acl = requested_acl(ex, body, &owner, &bucket.owner, true)?;
    check_acl_write(world, ex, &bucket, &acl, &owner)?;
    let action = if version_id.is_some() {
        "s3:PutObjectVersionAcl"
    } else {
        "s3:PutObjectAcl"
    };
    let mut keys = acl_keys(ex);
    keys.extend(version_keys(version_id));
    authorize(
        world,
        ex,
        id,
        &[Check::object(action, name, key, &owner).keys(keys)],
    )?;
    let vid = match locate(&bucket, key, version_id) {
        Ok(v) => v.version_id.clone(),
        Err((e, m)) => return Err(version_error(ex, e, m, key)),
    };
    if let Some(v) = bucket_mut(world, name)?
        .objects
        .get_mut(key)
        .and_then(|e| e.versions.iter_mut().find(|v| v.version_id == vid))
    {
        v.acl = Some(acl);
    }
    ex.effects.push(Effect::ObjectAclSet {
        bucket: name.to_owned(),
        key: key.to_owned(),
        version_id: vid,
    });
    Ok(())
}

fn get_object_acl(
    world: &World,
    ex: &mut Exchange<'_>,
    id: &Identity,
    name: &str,
    key: &str,
    version_id: Option<&str>,
) -> Result<(), S3Error> {
    let bucket = bucket_ref(world, name)?;
    let owner = target_owner(bucket, key, version_id);
    let action = if version_id.is_some() {
        "s3:GetObjectVersionAcl"
    } else {
        "s3:GetObjectAcl"
    };
    authorize(
        world,
        ex,
        id,
        &[Check::object(action, name, key, &owner).keys(version_keys(version_id))],
    )?;
    match locate(bucket, key, version_id) {
        Ok(v) => {
            ex.body = Some(effective_acl_body(world, bucket, &v.owner, v.acl.as_ref()));
            Ok(())
        }
        Err((e, m)) => Err(version_error(ex, e, m, key)),
    }
}

enum PabOp {
    Put(PublicAccessBlock),
    Get,
    Delete,
}

fn bucket_pab(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    name: &str,
    op: PabOp,
) -> Result<(), S3Error> {
    let action = match op {
        PabOp::Get => "s3:GetBucketPublicAccessBlock",
        PabOp::Put(_) | PabOp::Delete => "s3:PutBucketPublicAccessBlock",
    };
    authorize(world, ex, id, &[Check::bucket(action, name)])?;
    let bucket = bucket_mut(world, name)?;
    apply_pab(
        ex,
        &mut bucket.public_access_block,
        op,
        "the bucket",
        Effect::PublicAccessBlockSet {
            bucket: name.to_owned(),
        },
        Effect::PublicAccessBlockDeleted {
            bucket: name.to_owned(),
        },
    )
}

/// Gets, puts or deletes the Block Public Access configuration held in `slot` (a bucket's or an
/// account's: the two APIs behave alike), recording `set` or `deleted` as the effect.
fn apply_pab(
    ex: &mut Exchange<'_>,
    slot: &mut Option<PublicAccessBlock>,
    op: PabOp,
    holder: &str,
    set: Effect,
    deleted: Effect,
) -> Result<(), S3Error> {
    match op {
        PabOp::Put(cfg) => {
            *slot = Some(cfg);
            ex.effects.push(set);
        }
        PabOp::Get => match slot {
            Some(cfg) => ex.body = Some(json!({ "PublicAccessBlockConfiguration": cfg })),
            None => {
                return Err(ex.reject(
                    Gate::Execution,
                    S3Error::NoSuchPublicAccessBlockConfiguration,
                    format!("{holder} has no Block Public Access configuration"),
                    docs::BPA,
                ));
            }
        },
        PabOp::Delete => {
            *slot = None;
            ex.status = 204;
            ex.effects.push(deleted);
        }
    }
    Ok(())
}

fn account_pab(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    account: &str,
    op: PabOp,
) -> Result<(), S3Error> {
    let action = match op {
        PabOp::Get => "s3:GetAccountPublicAccessBlock",
        PabOp::Put(_) | PabOp::Delete => "s3:PutAccountPublicAccessBlock",
    };
    authorize(world, ex, id, &[Check::account(action, account)])?;
    if id.account.as_deref() != Some(account) {
        return Err(ex.reject(
            Gate::Execution,
            S3Error::access_denied(),
            format!("account-level Block Public Access of `{account}` can only be managed from inside that account"),
            docs::BPA,
        ));
    }
    let Some(acct) = world.accounts.get_mut(account) else {
        return Err(S3Error::access_denied());
    };
    apply_pab(
        ex,
        &mut acct.public_access_block,
        op,
        "the account",
        Effect::AccountPublicAccessBlockSet {
            account: account.to_owned(),
        },
        Effect::AccountPublicAccessBlockDeleted {
            account: account.to_owned(),
        },
    )
}

fn put_ownership(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    name: &str,
    ownership: ObjectOwnership,
) -> Result<(), S3Error> {
    authorize(
        world,
        ex,
        id,
        &[Check::bucket("s3:PutBucketOwnershipControls", name)],
    )?;
    let bucket = bucket_ref(world, name)?;
    if ownership == ObjectOwnership::BucketOwnerEnforced {
        let canonical = world.canonical_id(&bucket.owner);
        if bucket
            .acl
            .as_ref()
            .is_some_and(|a| !a.only_full_control_for(&bucket.owner, &canonical))
        {
            return Err(ex.reject(
                Gate::ObjectOwnership,
                S3Error::InvalidBucketAclWithObjectOwnership,
                "the bucket ACL still grants someone other than the owner; reset it to `private` before enforcing bucket-owner ownership",
                docs::OWNERSHIP_ERRORS,
            ));
        }
    }
    bucket_mut(world, name)?.object_ownership = ownership;
    ex.effects.push(Effect::OwnershipSet {
        bucket: name.to_owned(),
        object_ownership: ownership.as_str().to_owned(),
    });
    Ok(())
}

fn put_versioning(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    name: &str,
    status: VersioningStatus,
    mfa_delete: Option<MfaDeleteStatus>,
) -> Result<(), S3Error> {
    crate::mfa::precheck(ex, id)?;
    authorize(
        world,
        ex,
        id,
        &[Check::bucket("s3:PutBucketVersioning", name)],
    )?;
    let bucket = bucket_ref(world, name)?;
    let needs_mfa = mfa_delete.is_some() || bucket.mfa_delete;
    if needs_mfa {
        let why = if bucket.mfa_delete {
            "MFA Delete is enabled on the bucket, so changing the versioning state needs the owner's root user and a valid MFA code"
        } else {
            "the request changes the MFA Delete setting, which only the bucket owner's root user may do, with a valid MFA code"
        };
        let owner = bucket.owner.clone();
        crate::mfa::require(world, ex, id, &owner, why)?;
    } else {
        ex.step(GateStep::new(
            Gate::MfaDelete,
            StepOutcome::NotApplicable,
            "MFA Delete is off and the request does not change it, so no MFA code is needed",
            docs::MFA_DELETE,
        ));
    }
    let bucket = bucket_mut(world, name)?;
    bucket.versioning = match status {
        VersioningStatus::Enabled => Versioning::Enabled,
        VersioningStatus::Suspended => Versioning::Suspended,
    };
    if let Some(m) = mfa_delete {
        bucket.mfa_delete = m == MfaDeleteStatus::Enabled;
    }
    ex.effects.push(Effect::VersioningSet {
        bucket: name.to_owned(),
        status: format!("{:?}", bucket.versioning),
        mfa_delete: bucket.mfa_delete,
    });
    Ok(())
}

/// Context keys a write carries: `s3:x-amz-server-side-encryption*`, `s3:x-amz-storage-class`, ACL keys.
fn write_keys(ex: &Exchange<'_>) -> Vec<(String, Vec<String>)> {
    let mut keys = acl_keys(ex);
    for h in [
        "x-amz-server-side-encryption",
        "x-amz-server-side-encryption-aws-kms-key-id",
        "x-amz-server-side-encryption-customer-algorithm",
        "x-amz-storage-class",
    ] {
        if let Some(v) = ex.req.header_value(h) {
            keys.push((format!("s3:{h}"), vec![v.to_owned()]));
        }
    }
    keys
}

/// Writes a new version (or the null version) of `key`: the heart of versioning.
pub(crate) fn write_version(
    bucket: &mut Bucket,
    key: &str,
    mut version: ObjectVersion,
    seq: u64,
) -> String {
    let entry = bucket.objects.entry(key.to_owned()).or_default();
    match bucket.versioning {
        Versioning::Enabled => {
            version.version_id = opaque_id(seq, 32);
        }
        Versioning::Unversioned | Versioning::Suspended => {
            version.version_id = "null".to_owned();
            entry.versions.retain(|v| v.version_id != "null");
        }
    }
    let id = version.version_id.clone();
    entry.versions.push(version);
    id
}

#[expect(
    clippy::too_many_arguments,
    reason = "copy passes the source's metadata through"
)]
fn put_object_inner(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    name: &str,
    key: &str,
    body: String,
    copied: Option<(&ObjectVersion, String)>,
    extra_checks: Vec<Check>,
) -> Result<(), S3Error> {
    let (copied, copy_source) = match copied {
        Some((v, s)) => (Some(v), Some(s)),
        None => (None, None),
    };
    let plan = match crate::encryption::plan_write(ex.req, id) {
        Ok(p) => p,
        Err((e, why)) => {
            return Err(ex.reject(Gate::RequestValidation, e, why, docs::SSE_S3));
        }
    };
    let bucket = bucket_ref(world, name)?.clone();
    let acl_req = header_acl(ex)?;
    let writer = id
        .account
        .clone()
        .unwrap_or_else(|| ANONYMOUS_OWNER.to_owned());
    let wants_bofc = ex.req.header_value("x-amz-acl") == Some("bucket-owner-full-control");
    let owner = match bucket.object_ownership {
        ObjectOwnership::BucketOwnerEnforced => bucket.owner.clone(),
        ObjectOwnership::BucketOwnerPreferred if wants_bofc => bucket.owner.clone(),
        ObjectOwnership::BucketOwnerPreferred | ObjectOwnership::ObjectWriter => writer.clone(),
    };
    let acl = match &acl_req {
        Some((Some(c), _)) => Some(Acl::from_canned(*c, &owner, &bucket.owner, true)),
        Some((None, grants)) => Some(Acl {
            canned: None,
            grants: grants.clone(),
        }),
        None => None,
    };
    if let Some(acl) = &acl {
        check_acl_write(world, ex, &bucket, acl, &owner)?;
    }
    let mut checks = extra_checks;
    let mut keys = write_keys(ex);
    if let Some(source) = copy_source {
        keys.push(("s3:x-amz-copy-source".to_owned(), vec![source]));
    }
    checks.push(Check::object("s3:PutObject", name, key, &bucket.owner).keys(keys));
    if acl.is_some() {
        checks.push(Check::object("s3:PutObjectAcl", name, key, &bucket.owner).keys(acl_keys(ex)));
    }
    if let Err(e) = authorize(world, ex, id, &checks) {
        if matches!(plan.mode, crate::encryption::WriteMode::Default)
            && !(world.exam_mode == crate::world::ExamMode::Classic && bucket.encryption.is_none())
        {
            let default = bucket
                .encryption
                .as_ref()
                .map_or("AES256", |c| c.sse_algorithm.as_str())
                .to_owned();
            ex.step(
                GateStep::new(
                    Gate::Encryption,
                    StepOutcome::NotApplicable,
                    format!(
                        "default encryption (`{default}`) would have encrypted this upload, but S3 applies it only after authorization: the bucket policy saw a request without `s3:x-amz-server-side-encryption`"
                    ),
                    docs::DEFAULT_ENCRYPTION,
                )
                .compare("s3:x-amz-server-side-encryption", "(absent)"),
            );
        }
        return Err(e);
    }
    let ownership_text = match bucket.object_ownership {
        ObjectOwnership::BucketOwnerEnforced => format!(
            "Object Ownership is `BucketOwnerEnforced`: the bucket owner `{}` owns the new object",
            bucket.owner
        ),
        ObjectOwnership::BucketOwnerPreferred if wants_bofc => format!(
            "Object Ownership is `BucketOwnerPreferred` and the upload carries `bucket-owner-full-control`: the bucket owner `{}` owns it",
            bucket.owner
        ),
        ObjectOwnership::BucketOwnerPreferred => format!(
            "Object Ownership is `BucketOwnerPreferred` but the upload has no `bucket-owner-full-control` ACL: the writer `{writer}` owns it"
        ),
        ObjectOwnership::ObjectWriter => format!(
            "Object Ownership is `ObjectWriter`: the writing account `{writer}` owns the new object"
        ),
    };
    ex.step(
        GateStep::new(
            Gate::ObjectOwnership,
            StepOutcome::Info,
            ownership_text,
            docs::OWNERSHIP,
        )
        .compare("ObjectOwnership", bucket.object_ownership.as_str())
        .compare("object owner", owner.clone()),
    );
    let acl = if bucket.acls_enabled() {
        Some(acl.unwrap_or_else(|| Acl::private(&owner)))
    } else {
        None
    };
    let mut metadata = copied.map(|c| c.metadata.clone()).unwrap_or_default();
    for (k, v) in &ex.req.headers {
        if k.starts_with("x-amz-meta-") || k == "content-type" {
            metadata.insert(k.clone(), v.clone());
        }
    }
    let sealed = match crate::encryption::apply_write(
        world,
        id,
        ex.req,
        ex.now,
        name,
        key,
        body.as_bytes(),
        &plan,
    ) {
        Ok(sealed) => sealed,
        Err((e, steps, decision)) => {
            fail_with_steps(ex, steps, decision, &e);
            return Err(e);
        }
    };
    ex.trace.extend(sealed.steps);
    let version = ObjectVersion {
        version_id: String::new(),
        delete_marker: false,
        owner: owner.clone(),
        acl,
        metadata,
        encryption: sealed.label,
        body: if sealed.sealed.is_some() {
            String::new()
        } else {
            body
        },
        etag: sealed.etag.clone(),
        sealed: sealed.sealed,
        last_modified: ex.now,
    };
    let seq = world.next_seq();
    let bucket = bucket_mut(world, name)?;
    let versioning = bucket.versioning;
    let vid = write_version(bucket, key, version, seq);
    if versioning != Versioning::Unversioned {
        ex.headers.insert("x-amz-version-id".into(), vid.clone());
    }
    for (h, v) in sealed.headers {
        ex.headers.insert(h, v);
    }
    ex.headers.insert("etag".into(), sealed.etag);
    ex.effects.push(Effect::ObjectWritten {
        bucket: name.to_owned(),
        key: key.to_owned(),
        version_id: vid,
        owner,
    });
    Ok(())
}

fn put_object(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    name: &str,
    key: &str,
    body: String,
) -> Result<(), S3Error> {
    put_object_inner(world, ex, id, name, key, body, None, Vec::new())
}

fn missing_key(
    world: &World,
    ex: &mut Exchange<'_>,
    id: &Identity,
    name: &str,
    key: &str,
) -> S3Error {
    let probe = Check::bucket("s3:ListBucket", name)
        .keys(vec![("s3:prefix".to_owned(), vec![key.to_owned()])]);
    let can_list = quietly_allowed(world, ex, id, &probe);
    if can_list {
        ex.reject(
            Gate::Execution,
            S3Error::NoSuchKey,
            format!("there is no object `{key}`, and the caller has `s3:ListBucket`, so S3 may say so (404)"),
            docs::MISSING_KEY,
        )
    } else {
        let e = ex.reject(
            Gate::Execution,
            S3Error::access_denied(),
            format!("there is no object `{key}`, but the caller lacks `s3:ListBucket`, so S3 answers 403 to avoid revealing whether the key exists"),
            docs::MISSING_KEY,
        );
        ex.decision = Some(Decision::ImplicitDeny);
        e
    }
}

fn get_object(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    name: &str,
    key: &str,
    version_id: Option<&str>,
    head: bool,
) -> Result<(), S3Error> {
    if ex.req.header_value(crate::encryption::SSE_HEADER).is_some() {
        return Err(ex.reject(
            Gate::RequestValidation,
            S3Error::InvalidArgument {
                message: "x-amz-server-side-encryption header is not supported for this operation.".to_owned(),
            },
            "reads never carry `x-amz-server-side-encryption`: S3 knows how the object is encrypted and decrypts it itself",
            docs::SSE_S3,
        ));
    }
    let bucket = bucket_ref(world, name)?;
    let owner = target_owner(bucket, key, version_id);
    let region = bucket.region.clone();
    let action = if version_id.is_some() {
        "s3:GetObjectVersion"
    } else {
        "s3:GetObject"
    };
    authorize(
        world,
        ex,
        id,
        &[Check::object(action, name, key, &owner).keys(version_keys(version_id))],
    )?;
    let bucket = bucket_ref(world, name)?;
    let versioned = bucket.versioning != Versioning::Unversioned;
    match locate(bucket, key, version_id)
        .cloned()
        .map_err(|(e, m)| (e, m.cloned()))
    {
        Ok(v) => {
            let customer_key = match crate::encryption::check_read_key(ex.req, &v, false) {
                Ok(k) => k,
                Err((e, why)) => return Err(ex.reject(Gate::Encryption, e, why, docs::SSE_C)),
            };
            let plaintext = if head {
                None
            } else {
                let mut steps = Vec::new();
                match crate::encryption::open_version(
                    world,
                    id,
                    ex.req,
                    ex.now,
                    &region,
                    &v,
                    customer_key.as_ref(),
                    &mut steps,
                ) {
                    Ok(p) => Some(p),
                    Err((e, decision)) => {
                        fail_with_steps(ex, steps, decision, &e);
                        return Err(e);
                    }
                }
            };
            if let Some(s) = &v.sealed {
                ex.step(
                    GateStep::new(
                        Gate::Encryption,
                        StepOutcome::Info,
                        if head {
                            format!("HEAD returns only metadata, so S3 decrypts nothing; stored as {}", s.describe())
                        } else {
                            format!("S3 decrypts the stored ciphertext for the authorized reader; stored as {}", s.describe())
                        },
                        docs::SSE_S3,
                    ),
                );
            }
            for (h, val) in crate::encryption::read_headers(&v) {
                ex.headers.insert(h, val);
            }
            if !v.etag.is_empty() {
                ex.headers.insert("etag".into(), v.etag.clone());
            }
            let v = &v;
            let _ = versioned;
            if versioned || version_id.is_some() {
                ex.headers
                    .insert("x-amz-version-id".into(), v.version_id.clone());
            }
            ex.headers
                .insert("content-length".into(), v.size().to_string());
            ex.headers
                .insert("last-modified".into(), v.last_modified.to_string());
            for (k, val) in &v.metadata {
                ex.headers.insert(k.clone(), val.clone());
            }
            if let Some(p) = plaintext {
                ex.body = Some(json!({ "Body": String::from_utf8_lossy(&p) }));
            }
            Ok(())
        }
        Err((S3Error::NoSuchKey, None)) => Err(missing_key(world, ex, id, name, key)),
        Err((e, m)) => Err(version_error(ex, e, m.as_ref(), key)),
    }
}

/// `PutBucketLogging`: checks the target (same account and Region), then stores the
/// configuration; logging a bucket into itself is allowed but warned about.
fn put_bucket_logging(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    name: &str,
    config: Option<crate::audit::BucketLogging>,
) -> Result<(), S3Error> {
    authorize(world, ex, id, &[Check::bucket("s3:PutBucketLogging", name)])?;
    if let Some(c) = &config
        && let Err((status, code, message, help)) = crate::audit::validate(world, name, c)
    {
        return Err(ex.reject(
            Gate::RequestValidation,
            S3Error::other(status, &code, &message),
            format!("{message}; {help}"),
            docs::ACCESS_LOGS,
        ));
    }
    let enabled = config.is_some();
    bucket_mut(world, name)?.logging = config;
    crate::audit::logging_changed(world, name);
    let mut text = if enabled {
        "server access logging is on: every request to this bucket is recorded and delivered later by the log delivery service, which needs permission to write into the target bucket".to_owned()
    } else {
        "server access logging is off".to_owned()
    };
    if let Some(w) = crate::audit::recursion_warning(world, name) {
        text = format!("{text}; {w}");
    }
    ex.step(GateStep::new(
        Gate::Audit,
        StepOutcome::Info,
        text,
        docs::ACCESS_LOGS,
    ));
    Ok(())
}

/// `PutBucketEncryption` (`Some(Some(c))`), `DeleteBucketEncryption` (`Some(None)`) and
/// `GetBucketEncryption` (`None`).
fn bucket_encryption(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    name: &str,
    change: Option<Option<crate::encryption::BucketEncryption>>,
) -> Result<(), S3Error> {
    if let Some(Some(c)) = &change
        && !matches!(
            c.sse_algorithm.as_str(),
            "AES256" | "aws:kms" | "aws:kms:dsse"
        )
    {
        let alg = c.sse_algorithm.clone();
        return Err(ex.reject(
            Gate::RequestValidation,
            S3Error::MalformedXml,
            format!("`{alg}` is not an SSEAlgorithm (use `AES256`, `aws:kms` or `aws:kms:dsse`); SSE-C can never be a default"),
            docs::DEFAULT_ENCRYPTION,
        ));
    }
    let action = if change.is_some() {
        "s3:PutEncryptionConfiguration"
    } else {
        "s3:GetEncryptionConfiguration"
    };
    authorize(world, ex, id, &[Check::bucket(action, name)])?;
    let bucket = bucket_mut(world, name)?;
    match change {
        None => {
            let c = bucket
                .encryption
                .clone()
                .unwrap_or_else(crate::encryption::BucketEncryption::sse_s3);
            ex.body = Some(c.to_body());
        }
        Some(c) => {
            let text = match &c {
                Some(c) if c.kms_master_key_id.is_some() => format!(
                    "new objects without encryption headers will use `{}` with key `{}`; S3 does not check that the key exists — a wrong key shows up as failed uploads",
                    c.sse_algorithm,
                    c.kms_master_key_id.clone().unwrap_or_default()
                ),
                Some(c) => format!(
                    "new objects without encryption headers will use `{}`; existing objects keep their encryption",
                    c.sse_algorithm
                ),
                None => "the configuration is removed: new objects get SSE-S3 again (encryption can no longer be turned off)".to_owned(),
            };
            // Keep the SSE-C block when a request resets only the default algorithm.
            let keep_block = bucket
                .encryption
                .as_ref()
                .filter(|e| e.blocks_sse_c())
                .map(|e| e.blocked_encryption_types.clone());
            bucket.encryption = c.map(|mut c| {
                if c.blocked_encryption_types.is_empty()
                    && let Some(b) = &keep_block
                {
                    c.blocked_encryption_types.clone_from(b);
                }
                c
            });
            ex.step(GateStep::new(
                Gate::Encryption,
                StepOutcome::Info,
                text,
                docs::DEFAULT_ENCRYPTION,
            ));
            ex.effects.push(Effect::EncryptionSet {
                bucket: name.to_owned(),
            });
        }
    }
    Ok(())
}

/// Records the steps of a failed encryption stage; the last one decides.
fn fail_with_steps(
    ex: &mut Exchange<'_>,
    mut steps: Vec<GateStep>,
    decision: Option<Decision>,
    e: &S3Error,
) {
    let last = steps.pop();
    ex.trace.extend(steps);
    if let Some(mut last) = last {
        last = last.compare("response", format!("{} {}", e.status(), e.code()));
        ex.push_deciding(last);
        if let Some(d) = decision
            && d != Decision::Allow
        {
            ex.decision = Some(d);
            if let Some(dc) = &mut ex.deciding {
                dc.action = ex.trace.last().and_then(|s| s.action.clone());
            }
        }
    }
}

/// Deletes (or marks deleted) one key; returns the effect and the response headers.
fn delete_one(
    world: &mut WorldRef<'_>,
    name: &str,
    key: &str,
    version_id: Option<&str>,
    now: Timestamp,
) -> Result<(Option<Effect>, BTreeMap<String, String>), S3Error> {
    let seq = world.next_seq();
    let bucket = bucket_mut(world, name)?;
    let owner = bucket.owner.clone();
    let mut headers = BTreeMap::new();
    let versioning = bucket.versioning;
    if let Some(v) = version_id {
        let Some(entry) = bucket.objects.get_mut(key) else {
            return Ok((None, headers));
        };
        let Some(pos) = entry.versions.iter().position(|x| x.version_id == v) else {
            return Ok((None, headers));
        };
        let removed = entry.versions.remove(pos);
        if entry.versions.is_empty() {
            bucket.objects.remove(key);
        }
        headers.insert("x-amz-version-id".into(), v.to_owned());
        if removed.delete_marker {
            headers.insert("x-amz-delete-marker".into(), "true".into());
        }
        return Ok((
            Some(Effect::VersionDeleted {
                bucket: name.to_owned(),
                key: key.to_owned(),
                version_id: v.to_owned(),
            }),
            headers,
        ));
    }
    match versioning {
        Versioning::Unversioned => {
            if bucket.objects.remove(key).is_some() {
                Ok((
                    Some(Effect::VersionDeleted {
                        bucket: name.to_owned(),
                        key: key.to_owned(),
                        version_id: "null".into(),
                    }),
                    headers,
                ))
            } else {
                Ok((None, headers))
            }
        }
        Versioning::Enabled | Versioning::Suspended => {
            let marker = ObjectVersion {
                version_id: String::new(),
                delete_marker: true,
                owner,
                acl: None,
                metadata: BTreeMap::new(),
                encryption: None,
                body: String::new(),
                sealed: None,
                etag: String::new(),
                last_modified: now,
            };
            let vid = write_version(bucket, key, marker, seq);
            headers.insert("x-amz-delete-marker".into(), "true".into());
            headers.insert("x-amz-version-id".into(), vid.clone());
            Ok((
                Some(Effect::DeleteMarkerCreated {
                    bucket: name.to_owned(),
                    key: key.to_owned(),
                    version_id: vid,
                }),
                headers,
            ))
        }
    }
}

fn delete_object(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    name: &str,
    key: &str,
    version_id: Option<&str>,
) -> Result<(), S3Error> {
    if version_id.is_some() {
        crate::mfa::precheck(ex, id)?;
    }
    let bucket = bucket_ref(world, name)?;
    let owner = bucket.owner.clone();
    let action = if version_id.is_some() {
        "s3:DeleteObjectVersion"
    } else {
        "s3:DeleteObject"
    };
    authorize(
        world,
        ex,
        id,
        &[Check::object(action, name, key, &owner).keys(version_keys(version_id))],
    )?;
    let bucket = bucket_ref(world, name)?;
    if version_id.is_some() && bucket.mfa_delete {
        crate::mfa::require(
            world,
            ex,
            id,
            &owner,
            "MFA Delete is enabled, so permanently deleting a version needs the bucket owner's root user and a valid MFA code",
        )?;
    } else if bucket.mfa_delete {
        ex.step(GateStep::new(
            Gate::MfaDelete,
            StepOutcome::NotApplicable,
            "MFA Delete is enabled, but a simple DELETE only adds a delete marker, which MFA Delete does not protect",
            docs::MFA_DELETE,
        ));
    }
    let (effect, headers) = delete_one(world, name, key, version_id, ex.now)?;
    if effect.is_none() && version_id.is_some() {
        let mut step = GateStep::new(
            Gate::Execution,
            StepOutcome::Info,
            "no such version: the delete succeeds without changing anything",
            docs::VERSIONING,
        );
        step.undocumented = Some("AWS does not document the response to deleting a version id that does not exist; the playground answers 204".to_owned());
        ex.step(step);
    }
    ex.status = 204;
    ex.headers.extend(headers);
    ex.effects.extend(effect);
    Ok(())
}

fn delete_objects(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    name: &str,
    objects: &[ObjectIdentifier],
    quiet: bool,
) -> Result<(), S3Error> {
    let bucket = bucket_ref(world, name)?;
    let owner = bucket.owner.clone();
    let any_version = objects.iter().any(|o| o.version_id.is_some());
    let has_mfa = ex.req.header_value("x-amz-mfa").is_some();
    if any_version || has_mfa {
        crate::mfa::precheck(ex, id)?;
    }
    if bucket.mfa_delete && (any_version || has_mfa) {
        crate::mfa::require(
            world,
            ex,
            id,
            &owner,
            "MFA Delete is enabled and the request deletes versions (or carries an MFA code): the whole request needs the bucket owner's root user and a valid code",
        )?;
    }
    let mut deleted = Vec::new();
    let mut errors = Vec::new();
    let mut overall = Decision::Allow;
    for o in objects {
        let action = if o.version_id.is_some() {
            "s3:DeleteObjectVersion"
        } else {
            "s3:DeleteObject"
        };
        let check =
            Check::object(action, name, &o.key, &owner).keys(version_keys(o.version_id.as_deref()));
        let mut result = authz::authorize(world, id, ex.req, ex.now, &check);
        // Only the first denied key's deciding step stays marked (or, if all pass, the last key's).
        let first_denial = result.decision != Decision::Allow && overall == Decision::Allow;
        if first_denial || (overall == Decision::Allow && result.decision == Decision::Allow) {
            for earlier in &mut ex.trace {
                earlier.deciding = false;
            }
            ex.deciding = result.deciding.clone();
        } else {
            for s in &mut result.steps {
                s.deciding = false;
            }
        }
        ex.trace.extend(result.steps);
        if result.decision != Decision::Allow {
            overall = result.decision;
            errors.push(json!({ "Key": o.key, "VersionId": o.version_id, "Code": "AccessDenied", "Message": "Access Denied" }));
            continue;
        }
        let (effect, headers) = delete_one(world, name, &o.key, o.version_id.as_deref(), ex.now)?;
        if !quiet {
            let mut d = json!({ "Key": o.key });
            if let Some(v) = &o.version_id {
                set(&mut d, "VersionId", json!(v));
            }
            if headers.contains_key("x-amz-delete-marker") {
                set(&mut d, "DeleteMarker", json!(true));
                if let Some(v) = headers.get("x-amz-version-id") {
                    set(&mut d, "DeleteMarkerVersionId", json!(v));
                }
            }
            deleted.push(d);
        }
        ex.effects.extend(effect);
    }
    ex.decision = Some(overall);
    ex.body = Some(json!({ "Deleted": deleted, "Errors": errors }));
    Ok(())
}

#[expect(
    clippy::too_many_arguments,
    reason = "mirrors the ListObjectsV2 parameters"
)]
fn list_objects_v2(
    world: &World,
    ex: &mut Exchange<'_>,
    id: &Identity,
    name: &str,
    prefix: Option<&str>,
    delimiter: Option<&str>,
    max_keys: Option<usize>,
    token: Option<&str>,
) -> Result<(), S3Error> {
    let max = max_keys.unwrap_or(1000).min(1000);
    note_omitted_prefix(ex, prefix);
    authorize(
        world,
        ex,
        id,
        &[Check::bucket("s3:ListBucket", name).keys(list_keys(prefix, delimiter, max))],
    )?;
    let bucket = bucket_ref(world, name)?;
    let prefix = prefix.unwrap_or("");
    let mut contents = Vec::new();
    let mut prefixes: Vec<String> = Vec::new();
    let mut truncated = false;
    let mut last = None;
    // Keys are sorted: seek to the prefix (or past the continuation token) and stop after it.
    let mut owner_ids = OwnerIds::default();
    let token = token.unwrap_or("");
    let lower = if token >= prefix {
        Bound::Excluded(token)
    } else {
        Bound::Included(prefix)
    };
    let mut iter = bucket.objects.range::<str, _>((lower, Bound::Unbounded));
    while let Some((key, entry)) = iter.next() {
        if !key.starts_with(prefix) {
            break;
        }
        let Some(cur) = entry.current().filter(|v| !v.delete_marker) else {
            continue;
        };
        if let Some(cp) = common_prefix(key, prefix, delimiter) {
            if contents.len() + prefixes.len() >= max {
                truncated = true;
                break;
            }
            // Skip every other key under this common prefix in one seek.
            let after = format!("{cp}\u{10ffff}");
            iter = bucket
                .objects
                .range::<str, _>((Bound::Excluded(after.as_str()), Bound::Unbounded));
            prefixes.push(cp);
            last = Some(after);
            continue;
        }
        if contents.len() + prefixes.len() >= max {
            truncated = true;
            break;
        }
        contents.push(json!({
            "Key": key,
            "Size": cur.size(),
            "LastModified": cur.last_modified.to_string(),
            "Owner": { "ID": owner_ids.get(world, &cur.owner) },
        }));
        last = Some(key.clone());
    }
    let mut body = json!({
        "Name": name,
        "Prefix": prefix,
        "MaxKeys": max,
        "KeyCount": contents.len() + prefixes.len(),
        "IsTruncated": truncated,
        "Contents": contents,
        "CommonPrefixes": prefixes.iter().map(|p| json!({ "Prefix": p })).collect::<Vec<_>>(),
    });
    if let Some(d) = delimiter {
        set(&mut body, "Delimiter", json!(d));
    }
    if truncated {
        set(&mut body, "NextContinuationToken", json!(last));
    }
    ex.body = Some(body);
    Ok(())
}

/// Canonical ids of object owners, looked up once per listing.
#[derive(Default)]
struct OwnerIds(BTreeMap<String, serde_json::Value>);

impl OwnerIds {
    fn get(&mut self, world: &World, owner: &str) -> serde_json::Value {
        if let Some(v) = self.0.get(owner) {
            return v.clone();
        }
        let v = serde_json::Value::String(world.canonical_id(owner));
        self.0.insert(owner.to_owned(), v.clone());
        v
    }
}

/// Says, in the trace, how an omitted `prefix` is modelled.
fn note_omitted_prefix(ex: &mut Exchange<'_>, prefix: Option<&str>) {
    if prefix.is_none() {
        ex.step(
            GateStep::new(
                Gate::RequiredPermissions,
                StepOutcome::Info,
                "the request has no `prefix` parameter, so the playground puts `s3:prefix` = \"\" in the request context (what the console sends at the bucket root)",
                docs::S3_CONDITION_KEYS,
            )
            .compare("s3:prefix", "\"\"")
            .undocumented("AWS does not say whether an omitted prefix gives `s3:prefix` = \"\" or no `s3:prefix` key at all"),
        );
    }
}

fn common_prefix(key: &str, prefix: &str, delimiter: Option<&str>) -> Option<String> {
    let d = delimiter.filter(|d| !d.is_empty())?;
    let rest = key.get(prefix.len()..)?;
    let i = rest.find(d)?;
    Some(format!("{prefix}{}", rest.get(..i + d.len())?))
}

fn list_keys(
    prefix: Option<&str>,
    delimiter: Option<&str>,
    max: usize,
) -> Vec<(String, Vec<String>)> {
    let mut keys = vec![
        // AWS does not document whether an omitted prefix is "" or absent; we model "".
        (
            "s3:prefix".to_owned(),
            vec![prefix.unwrap_or("").to_owned()],
        ),
        ("s3:max-keys".to_owned(), vec![max.to_string()]),
    ];
    if let Some(d) = delimiter {
        keys.push(("s3:delimiter".to_owned(), vec![d.to_owned()]));
    }
    keys
}

struct ListParams<'a> {
    prefix: Option<&'a str>,
    delimiter: Option<&'a str>,
    max_keys: Option<usize>,
    key_marker: Option<&'a str>,
    version_id_marker: Option<&'a str>,
}

fn list_object_versions(
    world: &World,
    ex: &mut Exchange<'_>,
    id: &Identity,
    name: &str,
    p: ListParams<'_>,
) -> Result<(), S3Error> {
    let max = p.max_keys.unwrap_or(1000).min(1000);
    note_omitted_prefix(ex, p.prefix);
    authorize(
        world,
        ex,
        id,
        &[
            Check::bucket("s3:ListBucketVersions", name).keys(list_keys(
                p.prefix,
                p.delimiter,
                max,
            )),
        ],
    )?;
    let bucket = bucket_ref(world, name)?;
    let prefix = p.prefix.unwrap_or("");
    let mut versions = Vec::new();
    let mut markers = Vec::new();
    let mut prefixes: Vec<String> = Vec::new();
    let mut count = 0usize;
    let mut truncated = false;
    let mut last: Option<(String, String)> = None;
    let key_marker = p.key_marker.unwrap_or("");
    let mut owner_ids = OwnerIds::default();
    let lower = if key_marker >= prefix {
        key_marker
    } else {
        prefix
    };
    'keys: for (key, entry) in bucket
        .objects
        .range::<str, _>((Bound::Included(lower), Bound::Unbounded))
    {
        if !key.starts_with(prefix) {
            break;
        }
        // Versions of the marker key itself: only those after version-id-marker.
        let mut skipping = key.as_str() == key_marker && !key_marker.is_empty();
        if skipping && p.version_id_marker.is_none() {
            continue;
        }
        if let Some(cp) = common_prefix(key, prefix, p.delimiter) {
            if prefixes.last() != Some(&cp) {
                if count >= max {
                    truncated = true;
                    break;
                }
                last = Some((cp.clone(), String::new()));
                prefixes.push(cp);
                count += 1;
            }
            continue;
        }
        let latest = entry.versions.len().saturating_sub(1);
        for (i, v) in entry.versions.iter().enumerate().rev() {
            if skipping {
                if Some(v.version_id.as_str()) == p.version_id_marker {
                    skipping = false;
                }
                continue;
            }
            if count >= max {
                truncated = true;
                break 'keys;
            }
            last = Some((key.clone(), v.version_id.clone()));
            let item = json!({
                "Key": key,
                "VersionId": v.version_id,
                "IsLatest": i == latest,
                "LastModified": v.last_modified.to_string(),
                "Owner": { "ID": owner_ids.get(world, &v.owner) },
            });
            if v.delete_marker {
                markers.push(item);
            } else {
                let mut item = item;
                set(&mut item, "Size", json!(v.size()));
                versions.push(item);
            }
            count += 1;
        }
    }
    let mut body = json!({
        "Name": name,
        "Prefix": prefix,
        "MaxKeys": max,
        "IsTruncated": truncated,
        "Versions": versions,
        "DeleteMarkers": markers,
        "CommonPrefixes": prefixes.iter().map(|p| json!({ "Prefix": p })).collect::<Vec<_>>(),
    });
    if let (true, Some((k, v))) = (truncated, last) {
        // The last entry returned: the next request passes them as key-marker / version-id-marker.
        set(&mut body, "NextKeyMarker", json!(k));
        set(&mut body, "NextVersionIdMarker", json!(v));
    }
    ex.body = Some(body);
    Ok(())
}

#[expect(
    clippy::too_many_arguments,
    reason = "mirrors the CopyObject parameters"
)]
fn copy_object(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    name: &str,
    key: &str,
    source_bucket: &str,
    source_key: &str,
    source_version: Option<&str>,
) -> Result<(), S3Error> {
    let Some(src_bucket) = world.buckets.get(source_bucket).cloned() else {
        return Err(ex.reject(
            Gate::RequestValidation,
            S3Error::NoSuchBucket,
            format!("the source bucket `{source_bucket}` does not exist"),
            docs::COPY_OBJECT,
        ));
    };
    let src_owner = target_owner(&src_bucket, source_key, source_version);
    let src_action = if source_version.is_some() {
        "s3:GetObjectVersion"
    } else {
        "s3:GetObject"
    };
    let source_check = Check::object(src_action, source_bucket, source_key, &src_owner)
        .keys(version_keys(source_version));
    let copy_source = match source_version {
        Some(v) => format!("{source_bucket}/{source_key}?versionId={v}"),
        None => format!("{source_bucket}/{source_key}"),
    };
    let src = match locate(&src_bucket, source_key, source_version) {
        Ok(v) => Some(v.clone()),
        Err(_) => None,
    };
    let Some(src) = src else {
        authorize(world, ex, id, &[source_check])?;
        return match locate(&src_bucket, source_key, source_version) {
            Err((S3Error::MethodNotAllowed, _)) => Err(ex.reject(
                Gate::RequestValidation,
                S3Error::InvalidRequest {
                    message: "The source of a copy request may not specifically refer to a delete marker by version id."
                        .to_owned(),
                },
                "the copy source names a delete marker by version id",
                docs::COPY_OBJECT,
            )),
            Err((e, m)) => Err(version_error(ex, e, m, source_key)),
            Ok(_) => Err(S3Error::NoSuchKey),
        };
    };
    let (plaintext, extra) = if src.sealed.is_some() {
        // The source must be readable first: authorize it, then decrypt it (kms:Decrypt for
        // SSE-KMS, the copy-source SSE-C headers for SSE-C).
        authorize(world, ex, id, std::slice::from_ref(&source_check))?;
        let customer_key = match crate::encryption::check_read_key(ex.req, &src, true) {
            Ok(k) => k,
            Err((e, why)) => return Err(ex.reject(Gate::Encryption, e, why, docs::SSE_C)),
        };
        let mut steps = Vec::new();
        let region = src_bucket.region.clone();
        match crate::encryption::open_version(
            world,
            id,
            ex.req,
            ex.now,
            &region,
            &src,
            customer_key.as_ref(),
            &mut steps,
        ) {
            Ok(p) => {
                ex.trace.extend(steps);
                (String::from_utf8_lossy(&p).into_owned(), Vec::new())
            }
            Err((e, decision)) => {
                fail_with_steps(ex, steps, decision, &e);
                return Err(e);
            }
        }
    } else {
        (src.body.clone(), vec![source_check])
    };
    put_object_inner(
        world,
        ex,
        id,
        name,
        key,
        plaintext,
        Some((&src, copy_source)),
        extra,
    )?;
    ex.body = Some(json!({ "CopyObjectResult": { "LastModified": ex.now.to_string() } }));
    if source_version.is_some() || src_bucket.versioning != Versioning::Unversioned {
        ex.headers.insert(
            "x-amz-copy-source-version-id".into(),
            src.version_id.clone(),
        );
    }
    Ok(())
}

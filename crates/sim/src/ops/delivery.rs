//! Deliveries by AWS services into the world's buckets: server access log objects written by the
//! log delivery service (`logging.s3.amazonaws.com`) and CloudTrail log files written by
//! `cloudtrail.amazonaws.com`. Each is a `PutObject` by the service principal: this module gives
//! its plan (the target must exist; an access-log target's default encryption must be SSE-S3;
//! the permission with the context keys the service sends — `aws:SourceArn`,
//! `aws:SourceAccount`, CloudTrail's `s3:x-amz-acl`) and its execution (the object is stored
//! with SSE-S3). [`crate::pipeline`] authorizes it through the same decider as any request: the
//! bucket policy naming the service, the Log Delivery group's ACL grant (ignored when Object
//! Ownership is `BucketOwnerEnforced`), explicit denies first.
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html>
//! (permissions for log delivery) and
//! <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html>.

use s3pg_audit::{LOGGING_SERVICE_PRINCIPAL, LogObject, TrailLogFile};

use super::versions::write_version;
use crate::authz::{AuthzResult, Check};
use crate::docs;
use crate::model::ObjectVersion;
use crate::request::{Caller, Operation, Request};
use crate::time::Timestamp;
use crate::trace::{Decision, Gate, GateStep, StepOutcome};
use crate::world::{Identity, World, opaque_id};

/// The CloudTrail service principal.
pub(crate) const CLOUDTRAIL_SERVICE_PRINCIPAL: &str = "cloudtrail.amazonaws.com";

/// What is delivered.
enum Payload {
    AccessLog(LogObject),
    TrailFile(TrailLogFile),
}

/// A planned delivery: the service, the `PutObject` it sends and the permission it needs.
pub(crate) struct Delivery {
    /// The service principal.
    pub identity: Identity,
    /// The `PutObject` the service sends.
    pub request: Request,
    /// `s3:PutObject` on the object, with the keys the service sends.
    pub check: Check,
    payload: Payload,
    owner: String,
}

impl Delivery {
    fn target(&self) -> (&str, &str, &str) {
        match &self.payload {
            Payload::AccessLog(o) => (&o.target_bucket, &o.key, &o.body),
            Payload::TrailFile(f) => (&f.bucket, &f.key, &f.body),
        }
    }

    fn doc(&self) -> &'static str {
        match self.payload {
            Payload::AccessLog(_) => docs::ACCESS_LOGS,
            Payload::TrailFile(_) => docs::TRAIL_BUCKET_POLICY,
        }
    }

    /// How the trace names the delivery.
    fn what(&self) -> String {
        match &self.payload {
            Payload::AccessLog(o) => format!(
                "the log object `{}` for `{}` into `{}`",
                o.key, o.source_bucket, o.target_bucket
            ),
            Payload::TrailFile(f) => {
                format!(
                    "trail `{}`'s log file `{}` into `{}`",
                    f.trail, f.key, f.bucket
                )
            }
        }
    }
}

/// The service's `PutObject` request (over HTTPS, from AWS's network).
fn service_put(bucket: &str, key: &str, headers: &[(&str, &str)]) -> Request {
    let mut request = Request::new(
        Caller::Anonymous,
        Operation::PutObject {
            bucket: bucket.to_owned(),
            key: key.to_owned(),
            body: String::new(),
        },
    );
    for (h, v) in headers {
        request = request.header(h, v);
    }
    request
}

/// Plans the delivery of an access-log object; a target that is gone or encrypts with SSE-KMS
/// by default gets no log (the step says why).
pub(crate) fn access_log(world: &World, obj: LogObject) -> Result<Delivery, Box<GateStep>> {
    let ctx = obj.config.delivery_context(&obj.key);
    let Some(target) = world.buckets.get(&obj.target_bucket) else {
        return Err(Box::new(GateStep::new(
            Gate::Audit,
            StepOutcome::Reject,
            format!(
                "the target bucket `{}` no longer exists: the log object is lost",
                obj.target_bucket
            ),
            docs::ACCESS_LOGS,
        )));
    };
    if let Some(enc) = &target.encryption
        && enc.sse_algorithm != "AES256"
    {
        return Err(Box::new(GateStep::new(
            Gate::Audit,
            StepOutcome::Reject,
            format!(
                "the log object for `{}` could not be delivered: the target bucket `{}` uses `{}` as default encryption, and server access logs can only be delivered to buckets whose default is SSE-S3",
                obj.source_bucket, obj.target_bucket, enc.sse_algorithm
            ),
            docs::ACCESS_LOGS,
        )
        .compare("target default encryption", enc.sse_algorithm.clone())));
    }
    let check = Check::object(ctx.action, &obj.target_bucket, &obj.key, &target.owner).keys(vec![
        ("aws:SourceArn".to_owned(), vec![ctx.source_arn.clone()]),
        (
            "aws:SourceAccount".to_owned(),
            vec![ctx.source_account.clone()],
        ),
    ]);
    Ok(Delivery {
        identity: Identity::service(ctx.principal_service),
        request: service_put(&obj.target_bucket, &obj.key, &[]),
        check,
        owner: target.owner.clone(),
        payload: Payload::AccessLog(obj),
    })
}

/// Plans the delivery of a CloudTrail log file: CloudTrail writes with
/// `x-amz-acl: bucket-owner-full-control` and names its trail in `aws:SourceArn`.
pub(crate) fn trail_file(world: &World, f: TrailLogFile) -> Result<Delivery, Box<GateStep>> {
    let Some(target) = world.buckets.get(&f.bucket) else {
        return Err(Box::new(GateStep::new(
            Gate::Audit,
            StepOutcome::Reject,
            format!(
                "trail `{}` cannot deliver: its bucket `{}` does not exist",
                f.trail, f.bucket
            ),
            docs::TRAIL_BUCKET_POLICY,
        )));
    };
    let mut keys = vec![(
        "s3:x-amz-acl".to_owned(),
        vec!["bucket-owner-full-control".to_owned()],
    )];
    if let Some(t) = world.trails.iter().find(|t| t.name == f.trail) {
        keys.push((
            "aws:SourceArn".to_owned(),
            vec![format!(
                "arn:aws:cloudtrail:{}:{}:trail/{}",
                t.region, t.account, t.name
            )],
        ));
        keys.push(("aws:SourceAccount".to_owned(), vec![t.account.clone()]));
    }
    let check = Check::object("s3:PutObject", &f.bucket, &f.key, &target.owner).keys(keys);
    Ok(Delivery {
        identity: Identity::service(CLOUDTRAIL_SERVICE_PRINCIPAL),
        request: service_put(
            &f.bucket,
            &f.key,
            &[("x-amz-acl", "bucket-owner-full-control")],
        ),
        check,
        owner: target.owner.clone(),
        payload: Payload::TrailFile(f),
    })
}

/// The summary sentence of a decision (the decider's last step).
fn summary(result: &AuthzResult) -> String {
    result
        .steps
        .last()
        .map(|s| s.explanation.clone())
        .unwrap_or_default()
}

/// The step for a delivery the decider refused: no object is written.
pub(crate) fn refused(d: &Delivery, result: &AuthzResult) -> GateStep {
    let outcome = match result.decision {
        Decision::ExplicitDeny => StepOutcome::ExplicitDeny,
        _ => StepOutcome::ImplicitDeny,
    };
    let mut step = GateStep::new(
        Gate::Audit,
        outcome,
        format!("{} could not be delivered: {}", d.what(), summary(result)),
        d.doc(),
    )
    .action("s3:PutObject")
    .compare("principal", d.identity.arn.clone());
    if let Some(deciding) = &result.deciding {
        step = step.compare("decided by", format!("{:?}", deciding.gate));
        if let Some(s) = &deciding.statement {
            step.statements.push(s.clone());
        }
    }
    for (k, v) in &d.check.keys {
        step = step.compare(k.clone(), v.join(", "));
    }
    step
}

/// Writes an allowed delivery (SSE-S3, the only default a log target supports) and records it:
/// an access-log delivery is itself a request to its target, logged when the target logs.
pub(crate) fn execute(
    world: &mut World,
    d: Delivery,
    result: &AuthzResult,
    now: Timestamp,
) -> GateStep {
    let (bucket, key, body) = d.target();
    let seq = store_sse_s3(world, bucket, key, body, &d.owner, now);
    let mut text = match &d.payload {
        Payload::AccessLog(obj) => {
            world
                .access_log_lines
                .extend(obj.body.lines().map(str::to_owned));
            format!(
                "the log delivery service wrote `{}` ({} record{}) into `{}`",
                obj.key,
                obj.record_count,
                if obj.record_count == 1 { "" } else { "s" },
                obj.target_bucket,
            )
        }
        Payload::TrailFile(f) => format!(
            "trail `{}` delivered the log file `{}` into `{}`",
            f.trail, f.key, f.bucket
        ),
    };
    text = format!("{text}: {}", summary(result));
    if let Payload::AccessLog(obj) = &d.payload {
        let rid = opaque_id(seq ^ 0x10C5, 16).to_ascii_uppercase();
        let canonical = world.canonical_id(&d.owner);
        if crate::audit::observe_delivery(world, obj, &rid, &canonical) {
            text.push_str("; this delivery is itself a request to a bucket with logging on, so it will be logged too (logs about logs)");
        }
    }
    let mut step = GateStep::new(Gate::Audit, StepOutcome::Allow, text, d.doc())
        .action("s3:PutObject")
        .compare("principal", d.identity.arn.clone());
    if let Some(s) = result.deciding.as_ref().and_then(|x| x.statement.clone()) {
        step.statements.push(s);
    }
    if LOGGING_SERVICE_PRINCIPAL == d.identity.arn
        && let Some((_, v)) = d.check.keys.iter().find(|(k, _)| k == "aws:SourceArn")
    {
        step = step.compare("aws:SourceArn", v.join(", "));
    }
    step
}

/// Writes a service-delivered object (a log file) into a bucket, encrypted with SSE-S3; returns
/// the sequence number used.
fn store_sse_s3(
    world: &mut World,
    bucket: &str,
    key: &str,
    body: &str,
    owner: &str,
    now: Timestamp,
) -> u64 {
    let seq = world.next_seq();
    let mut e = world.entropy.next_stream();
    if world.sse_s3_root_key.is_none() {
        let mut k = world.entropy.next_stream();
        world.sse_s3_root_key = Some(s3pg_crypto::KeyRing::new("s3-root-key", &mut k));
    }
    let arn = format!("arn:aws:s3:::{bucket}/{key}");
    let sealed = world.sse_s3_root_key.as_ref().and_then(|ring| {
        s3pg_crypto::envelope_seal(
            body.as_bytes(),
            ring,
            &s3pg_crypto::EncryptionContext::s3_arn(&arn),
            &mut e,
        )
        .ok()
    });
    let version = ObjectVersion {
        version_id: String::new(),
        delete_marker: false,
        owner: owner.to_owned(),
        acl: None,
        metadata: std::collections::BTreeMap::new(),
        encryption: Some("AES256".to_owned()),
        body: String::new(),
        sealed: sealed.map(|sealed| crate::encryption::SealedBody::SseS3 {
            sealed,
            object_arn: arn,
            size: body.len(),
        }),
        etag: s3pg_crypto::checksum::single_part_etag(None, body.as_bytes(), None),
        last_modified: now,
        object_lock: crate::object_lock::VersionLock::default(),
        tags: Default::default(),
    };
    if let Some(b) = world.buckets.get_mut(bucket) {
        write_version(b, key, version, seq);
    }
    seq
}

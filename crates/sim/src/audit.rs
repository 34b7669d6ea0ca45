//! Audit: server access logs and CloudTrail, fed by every request the world handles.
//!
//! Each handled request is observed by `s3pg-audit`: buckets with logging enabled buffer an
//! access-log record that is delivered as a log object on a later request's time (or by
//! [`World::advance`]); delivery needs permission in the target bucket (a bucket policy for
//! `logging.s3.amazonaws.com` or the Log Delivery group's ACL grant), checked with the world's
//! own policy engine; the delivery is itself a `PutObject`, so logging a bucket into itself
//! logs its own logs. Trails record management events and, when selected, data events.
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html>,
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html> and
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging.html>.

use s3pg_audit::{
    AccessLogRecord, Auditor, DeliveryAuthorization, HandledRequest, IdentityType, LogObject,
    LoggingConfig, PrincipalInfo, Query, QueryOutput, ReadWriteType, Requester, Trail,
};
use s3pg_policy::{Principal, RequestContext, evaluate_policy};
use serde::{Deserialize, Serialize};

use crate::acl::{Grantee, Group, Permission};
use crate::docs;
use crate::model::ObjectVersion;
use crate::request::Request;
use crate::time::Timestamp;
use crate::trace::{Gate, GateStep, Outcome, StepOutcome};
use crate::world::{Identity, IdentityKind, World};

/// Seconds between a request and the delivery of its access-log record (\[SIM\]: AWS says
/// "within a few hours", best effort).
pub const ACCESS_LOG_DELAY_SECONDS: u64 = 600;

/// A bucket's `LoggingEnabled` configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BucketLogging {
    /// `TargetBucket`.
    pub target_bucket: String,
    /// `TargetPrefix`.
    #[serde(default)]
    pub target_prefix: String,
}

/// A CloudTrail trail as a scenario declares it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TrailConfig {
    /// The trail's name.
    pub name: String,
    /// The account that owns it.
    pub account: String,
    /// The bucket its log files go to.
    pub bucket: String,
    /// Home Region.
    #[serde(default = "us_east_1")]
    pub region: String,
    /// Record management events (the default).
    #[serde(default = "yes")]
    pub management_events: bool,
    /// S3 data-event selectors: `arn:aws:s3` (all buckets) or `arn:aws:s3:::bucket/prefix`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_events: Vec<String>,
}

fn us_east_1() -> String {
    "us-east-1".to_owned()
}

fn yes() -> bool {
    true
}

/// The audit state that lives beside the world's serde state: rebuilt from the configurations
/// when absent (a reloaded world starts with an empty buffer).
#[derive(Debug, Clone, Default)]
pub struct AuditRuntime {
    auditor: Option<Auditor>,
    /// KMS calls S3 made for the request being handled, recorded with it.
    kms_events: Vec<s3pg_kms::KmsEvent>,
}

/// Keeps a KMS call's CloudTrail facts until the request that caused it is observed.
pub(crate) fn note_kms_event(world: &mut World, event: &s3pg_kms::KmsEvent) {
    if !world.trails.is_empty() {
        world.audit.kms_events.push(event.clone());
    }
}

impl PartialEq for AuditRuntime {
    fn eq(&self, _: &Self) -> bool {
        // Runtime buffers are not part of a world's identity.
        true
    }
}

fn config_of(world: &World, bucket: &str) -> Option<LoggingConfig> {
    let b = world.buckets.get(bucket)?;
    let l = b.logging.as_ref()?;
    Some(LoggingConfig::new(
        bucket,
        &b.owner,
        &b.region,
        &l.target_bucket,
        &l.target_prefix,
    ))
}

fn trail_of(t: &TrailConfig) -> Trail {
    let mut trail = Trail::new(&t.name, &t.account, &t.region, &t.bucket);
    if !t.management_events {
        trail.management_events = None;
    }
    for d in &t.data_events {
        if let Ok(scope) = s3pg_audit::DataScope::from_value(d) {
            trail = trail.with_data_selector(ReadWriteType::All, scope);
        }
    }
    trail
}

/// The world's auditor, built from its configuration on first use.
fn auditor(world: &mut World) -> &mut Auditor {
    if world.audit.auditor.is_none() {
        let seed = world.sequence;
        let mut a = Auditor::new(ACCESS_LOG_DELAY_SECONDS, seed);
        let names: Vec<String> = world.buckets.keys().cloned().collect();
        for name in names {
            if let Some(c) = config_of(world, &name) {
                a.set_logging(c);
            }
        }
        for t in &world.trails {
            a.add_trail(trail_of(t));
        }
        world.audit.auditor = Some(a);
    }
    world
        .audit
        .auditor
        .get_or_insert_with(|| Auditor::new(ACCESS_LOG_DELAY_SECONDS, 0))
}

/// Applies a changed logging configuration to the running auditor.
pub(crate) fn logging_changed(world: &mut World, bucket: &str) {
    let config = config_of(world, bucket);
    let a = auditor(world);
    match config {
        Some(c) => a.set_logging(c),
        None => a.disable_logging(bucket),
    }
}

/// Validates a `PutBucketLogging` target; `Err((status, code, message))`.
pub(crate) fn validate(
    world: &World,
    source: &str,
    target: &BucketLogging,
) -> Result<(), (u16, String, String, String)> {
    let Some(src) = world.buckets.get(source) else {
        return Ok(());
    };
    let config = LoggingConfig::new(
        source,
        &src.owner,
        &src.region,
        &target.target_bucket,
        &target.target_prefix,
    );
    let t = world.buckets.get(&target.target_bucket);
    let facts = s3pg_audit::TargetFacts {
        exists: t.is_some(),
        region: t.map(|b| b.region.clone()).unwrap_or_default(),
        account_id: t.map(|b| b.owner.clone()).unwrap_or_default(),
    };
    s3pg_audit::validate_target(&config, &facts).map_err(|e| {
        (
            e.status,
            e.code.to_owned(),
            e.message.clone(),
            e.help.to_owned(),
        )
    })
}

/// The recursion warning for a bucket logging into itself.
pub(crate) fn recursion_warning(world: &World, source: &str) -> Option<String> {
    config_of(world, source).and_then(|c| c.recursion_warning())
}

fn requester(world: &World, id: &Identity) -> Requester {
    let account = id.account.clone().unwrap_or_default();
    let (identity_type, user_name) = match &id.kind {
        IdentityKind::Anonymous => return Requester::Anonymous,
        IdentityKind::Root => (IdentityType::Root, None),
        IdentityKind::User { name } => (IdentityType::IamUser, Some(name.clone())),
        IdentityKind::RoleSession { .. } => (IdentityType::AssumedRole, None),
    };
    Requester::Principal(Box::new(PrincipalInfo {
        identity_type,
        principal_id: id.user_id.clone(),
        arn: id.arn.clone(),
        account_id: account.clone(),
        access_key_id: id.access_key_id.clone(),
        user_name,
        canonical_id: Some(world.canonical_id(&account)),
        session: None,
        invoked_by: None,
    }))
}

/// Records a handled request in the access logs and trails, and says so in the trace.
pub(crate) fn observe(
    world: &mut crate::view::WorldRef<'_>,
    req: &Request,
    now: Timestamp,
    outcome: &mut Outcome,
) {
    if matches!(req.operation, crate::request::Operation::QueryLogs { .. })
        || (world.trails.is_empty() && !world.buckets.values().any(|b| b.logging.is_some()))
    {
        return;
    }
    let presigned = presigned_target(req);
    let caller = presigned
        .as_ref()
        .map_or_else(|| req.caller.clone(), |p| p.caller.clone());
    let id = world
        .authenticate(&caller, now)
        .map(|(id, _)| id)
        .unwrap_or_else(|_| Identity::anonymous());
    let bucket = match &presigned {
        Some(p) => p.bucket.clone(),
        None => req.operation.bucket().map(str::to_owned),
    };
    let region = bucket
        .as_ref()
        .and_then(|b| world.buckets.get(b))
        .map_or_else(us_east_1, |b| b.region.clone());
    let mut h = HandledRequest::new(
        s3pg_audit::Timestamp(now.0),
        &region,
        requester(world, &id),
        &outcome.request_id,
        &outcome.request_id,
        &outcome.operation,
        outcome.status,
    );
    if let Some(b) = &bucket
        && let Some(bk) = world.buckets.get(b)
    {
        h = h.with_bucket(b, &world.canonical_id(&bk.owner), &bk.owner);
    }
    let key = match &presigned {
        Some(p) => p.key.clone(),
        None => object_key(req),
    };
    if let Some(k) = key {
        h = h.with_key(&k);
    }
    if presigned.is_some() {
        h.authentication_type = Some(s3pg_audit::AuthenticationType::QueryString);
    }
    if let Some(e) = &outcome.error {
        h = h.with_error(&e.code, &e.message);
    }
    h.remote_ip = Some(req.network.source_ip.clone());
    h.vpc_endpoint_id = req.network.vpc_endpoint.clone();
    h.version_id = outcome.headers.get("x-amz-version-id").cloned();
    h.sse_applied = outcome
        .headers
        .get("x-amz-server-side-encryption")
        .map(|v| {
            if v == "AES256" {
                "SSE-S3".to_owned()
            } else {
                "SSE-KMS".to_owned()
            }
        });
    let requester_of_kms = requester(world, &id);
    let kms_events = std::mem::take(&mut world.audit.kms_events);
    for (i, ev) in kms_events.iter().enumerate() {
        let key = ev.resources.first();
        let key_arn = key.map(|r| r.arn.clone()).unwrap_or_default();
        let key_account = key.map(|r| r.account_id.clone()).unwrap_or_default();
        let mut who = requester_of_kms.clone();
        if let (Requester::Principal(p), Some(_)) = (&mut who, &ev.via_service) {
            p.invoked_by = Some("s3.amazonaws.com".to_owned());
        }
        let status = if ev.error_code.is_some() { 400 } else { 200 };
        let mut k = HandledRequest::new(
            s3pg_audit::Timestamp(ev.event_time),
            &ev.aws_region,
            who,
            &format!("{}-kms{i}", outcome.request_id),
            &format!("{}-kms{i}", outcome.request_id),
            ev.event_name,
            status,
        )
        .for_kms(&key_arn, &key_account, ev.read_only);
        if let Some(m) = ev.request_parameters.as_object() {
            k.request_parameters = m.clone();
        }
        if let (Some(c), Some(m)) = (&ev.error_code, &ev.error_message) {
            k = k.with_error(c, m);
        }
        let kobs = auditor(world).observe(&k);
        let recorded = kobs.trails.iter().filter(|(_, _, d)| d.records).count();
        outcome.trace.push(
            GateStep::new(
                Gate::Audit,
                StepOutcome::Info,
                format!(
                    "{} `kms:{}` is a KMS management event: {recorded} trail record(s), never an S3 access-log line",
                    if ev.via_service.is_some() { "S3's call to" } else { "the call to" },
                    ev.event_name
                ),
                docs::CLOUDTRAIL,
            )
            .compare("eventSource", "kms.amazonaws.com"),
        );
    }
    // KMS and Glacier requests are not S3 requests: no S3 access log line, no S3 event.
    if matches!(
        req.operation,
        crate::request::Operation::Kms(_) | crate::request::Operation::Glacier(_)
    ) {
        return;
    }
    let obs = auditor(world).observe(&h);
    let mut step = GateStep::new(
        Gate::Audit,
        StepOutcome::Info,
        obs.access_log_reason.clone(),
        docs::ACCESS_LOGS,
    )
    .compare("access log", obs.access_logged.to_string());
    for (trail, account, d) in &obs.trails {
        step = step.compare(
            &format!("trail `{trail}` ({account})"),
            format!(
                "{}: {}",
                if d.records {
                    "recorded"
                } else {
                    "not recorded"
                },
                d.reason
            ),
        );
    }
    outcome.trace.push(step);
}

/// Who signed a pre-signed request and what it addresses, read from the URL (or the spec the
/// world mints it from).
struct PresignedTarget {
    caller: crate::request::Caller,
    bucket: Option<String>,
    key: Option<String>,
}

fn presigned_target(req: &Request) -> Option<PresignedTarget> {
    let crate::request::Operation::PresignedRequest { url, presign, .. } = &req.operation else {
        return None;
    };
    if let Some(p) = presign
        && url.is_empty()
    {
        return Some(PresignedTarget {
            caller: crate::request::Caller::AccessKey {
                id: p.access_key_id.clone(),
            },
            bucket: Some(p.bucket.clone()),
            key: (!p.key.is_empty()).then(|| p.key.clone()),
        });
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url);
    let (host_path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (host, path) = host_path.split_once('/').unwrap_or((host_path, ""));
    let (bucket, key) = match host.split_once(".s3.") {
        Some((b, _)) if !b.is_empty() => (Some(b.to_owned()), path.to_owned()),
        _ => match path.split_once('/') {
            Some((b, k)) => (Some(b.to_owned()), k.to_owned()),
            None => ((!path.is_empty()).then(|| path.to_owned()), String::new()),
        },
    };
    let access_key = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("X-Amz-Credential="))
        .map(|c| c.split(['/', '%']).next().unwrap_or_default().to_owned())
        .unwrap_or_default();
    Some(PresignedTarget {
        caller: if access_key.is_empty() {
            crate::request::Caller::Anonymous
        } else {
            crate::request::Caller::AccessKey { id: access_key }
        },
        bucket,
        key: (!key.is_empty()).then_some(key),
    })
}

fn object_key(req: &Request) -> Option<String> {
    let v = serde_json::to_value(&req.operation).ok()?;
    v.as_object()?
        .values()
        .next()?
        .get("key")?
        .as_str()
        .map(str::to_owned)
}

/// Delivers every access-log object due at `now`, each only if the target bucket lets the log
/// delivery service write; returns one trace step per delivery attempt.
pub(crate) fn deliver(world: &mut crate::view::WorldRef<'_>, now: Timestamp) -> Vec<GateStep> {
    let mut steps = Vec::new();
    if world.audit.auditor.is_none()
        && world.trails.is_empty()
        && !world.buckets.values().any(|b| b.logging.is_some())
    {
        return steps;
    }
    // Deliveries may log further deliveries (a bucket logging into itself): a few rounds.
    for _ in 0..3 {
        let due = auditor(world).deliver_due(s3pg_audit::Timestamp(now.0));
        if due.is_empty() {
            break;
        }
        for obj in due {
            steps.push(deliver_one(world, &obj, now));
        }
    }
    if !world.trails.is_empty() {
        steps.extend(deliver_trail_files(world, now));
    }
    steps
}

fn deliver_one(world: &mut World, obj: &LogObject, now: Timestamp) -> GateStep {
    let ctx = obj.config.delivery_context(&obj.key);
    let Some(target) = world.buckets.get(&obj.target_bucket).cloned() else {
        return GateStep::new(
            Gate::Audit,
            StepOutcome::Reject,
            format!(
                "the target bucket `{}` no longer exists: the log object is lost",
                obj.target_bucket
            ),
            docs::ACCESS_LOGS,
        );
    };
    if let Some(enc) = &target.encryption
        && enc.sse_algorithm != "AES256"
    {
        return GateStep::new(
            Gate::Audit,
            StepOutcome::Reject,
            format!(
                "the log object for `{}` could not be delivered: the target bucket `{}` uses `{}` as default encryption, and server access logs can only be delivered to buckets whose default is SSE-S3",
                obj.source_bucket, obj.target_bucket, enc.sse_algorithm
            ),
            docs::ACCESS_LOGS,
        )
        .compare("target default encryption", enc.sse_algorithm.clone());
    }
    let mut auth = DeliveryAuthorization {
        acls_disabled: !target.acls_enabled(),
        ..DeliveryAuthorization::default()
    };
    if let Some(doc) = &target.policy
        && let Ok(policy) = world.policies.parsed(doc)
    {
        let rc = RequestContext::new(
            Principal::Service(ctx.principal_service.to_owned()),
            ctx.action,
            ctx.resource_arn.clone(),
        )
        .with_resource_account(target.owner.clone())
        .with_key("aws:SourceArn", ctx.source_arn.clone())
        .with_key("aws:SourceAccount", ctx.source_account.clone());
        let e = evaluate_policy(&policy, &rc);
        auth.bucket_policy_allows = e.allows();
        auth.bucket_policy_denies = e.denies();
    }
    auth.acl_grants_log_delivery_write = target.acl.as_ref().is_some_and(|acl| {
        acl.grants.iter().any(|g| {
            g.grantee == Grantee::Group(Group::LogDelivery)
                && matches!(g.permission, Permission::Write | Permission::FullControl)
        })
    });
    let decision = s3pg_audit::delivery_permission(auth);
    if !decision.allowed() {
        return GateStep::new(
            Gate::Audit,
            StepOutcome::ImplicitDeny,
            format!(
                "the log object `{}` for `{}` could not be delivered to `{}`: {}",
                obj.key,
                obj.source_bucket,
                obj.target_bucket,
                decision.reasons.join("; ")
            ),
            docs::ACCESS_LOGS,
        )
        .action("s3:PutObject")
        .compare("principal", ctx.principal_service);
    }
    // Store it (SSE-S3, the only default a log target supports) and log the delivery itself.
    let seq = store_sse_s3(
        world,
        &obj.target_bucket,
        &obj.key,
        &obj.body,
        &target.owner,
        now,
    );
    world
        .access_log_lines
        .extend(obj.body.lines().map(str::to_owned));
    let rid = crate::world::opaque_id(seq ^ 0x10C5, 16).to_ascii_uppercase();
    let canonical = world.canonical_id(&target.owner);
    let put = obj.put_request(&rid, &rid, &canonical);
    let obs = auditor(world).observe(&put);
    let mut text = format!(
        "the log delivery service wrote `{}` ({} record{}) into `{}`: {}",
        obj.key,
        obj.record_count,
        if obj.record_count == 1 { "" } else { "s" },
        obj.target_bucket,
        decision.reasons.join("; ")
    );
    if obs.access_logged {
        text.push_str("; this delivery is itself a request to a bucket with logging on, so it will be logged too (logs about logs)");
    }
    GateStep::new(Gate::Audit, StepOutcome::Allow, text, docs::ACCESS_LOGS)
        .action("s3:PutObject")
        .compare("principal", ctx.principal_service)
        .compare("aws:SourceArn", ctx.source_arn)
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
    };
    if let Some(b) = world.buckets.get_mut(bucket) {
        crate::ops::write_version(b, key, version, seq);
    }
    seq
}

/// Writes the CloudTrail log files due at `now` into their trails' buckets, when the bucket
/// policy lets `cloudtrail.amazonaws.com` write.
fn deliver_trail_files(world: &mut World, now: Timestamp) -> Vec<GateStep> {
    let files = auditor(world).deliver_trail_logs(s3pg_audit::Timestamp(now.0));
    let mut steps = Vec::new();
    for f in files {
        let Some(target) = world.buckets.get(&f.bucket).cloned() else {
            steps.push(GateStep::new(
                Gate::Audit,
                StepOutcome::Reject,
                format!(
                    "trail `{}` cannot deliver: its bucket `{}` does not exist",
                    f.trail, f.bucket
                ),
                docs::TRAIL_BUCKET_POLICY,
            ));
            continue;
        };
        let resource = format!("arn:aws:s3:::{}/{}", f.bucket, f.key);
        let allowed = target
            .policy
            .as_ref()
            .and_then(|d| crate::public::parse_policy(d).ok())
            .is_some_and(|p| {
                let rc = RequestContext::new(
                    Principal::Service("cloudtrail.amazonaws.com".to_owned()),
                    "s3:PutObject",
                    resource.clone(),
                )
                .with_resource_account(target.owner.clone());
                let e = evaluate_policy(&p, &rc);
                e.allows() && !e.denies()
            });
        if !allowed {
            steps.push(
                GateStep::new(
                    Gate::Audit,
                    StepOutcome::ImplicitDeny,
                    format!(
                        "trail `{}` could not write `{}`: the bucket policy of `{}` does not allow `cloudtrail.amazonaws.com` to `s3:PutObject` there",
                        f.trail, f.key, f.bucket
                    ),
                    docs::TRAIL_BUCKET_POLICY,
                )
                .action("s3:PutObject"),
            );
            continue;
        }
        store_sse_s3(world, &f.bucket, &f.key, &f.body, &target.owner, now);
        steps.push(
            GateStep::new(
                Gate::Audit,
                StepOutcome::Allow,
                format!(
                    "trail `{}` delivered the log file `{}` into `{}`",
                    f.trail, f.key, f.bucket
                ),
                docs::TRAIL_BUCKET_POLICY,
            )
            .action("s3:PutObject")
            .compare("principal", "cloudtrail.amazonaws.com"),
        );
    }
    steps
}

impl World {
    /// Moves the audit clock to `now`: delivers the access-log objects that are due. Returns
    /// what happened, one step per log object.
    pub fn advance(&mut self, now: Timestamp) -> Vec<GateStep> {
        deliver(&mut crate::view::WorldRef::Live(self), now)
    }

    /// Runs a log query (`select * where operation = REST.PUT.OBJECT and status >= 400`) over
    /// the delivered server access logs and the CloudTrail records.
    ///
    /// # Errors
    /// The query's parse error, as a learner sentence.
    pub fn query_logs(&mut self, text: &str) -> Result<serde_json::Value, String> {
        let q = Query::parse(text).map_err(|e| e.to_string())?;
        let access: Vec<AccessLogRecord> = self
            .access_log_lines
            .iter()
            .filter_map(|l| AccessLogRecord::parse(l).ok())
            .collect();
        let trail: Vec<s3pg_audit::CloudTrailRecord> = auditor(self)
            .events()
            .iter()
            .map(|e| e.record.clone())
            .collect();
        let access_out = match q.run(&access) {
            QueryOutput::Rows(rows) => {
                serde_json::json!(rows.iter().map(|r| r.format()).collect::<Vec<_>>())
            }
            QueryOutput::Count(n) => serde_json::json!(n),
            QueryOutput::Groups(g) => serde_json::json!(g),
        };
        let trail_out = match q.run(&trail) {
            QueryOutput::Rows(rows) => {
                serde_json::json!(rows.iter().map(|r| r.json.clone()).collect::<Vec<_>>())
            }
            QueryOutput::Count(n) => serde_json::json!(n),
            QueryOutput::Groups(g) => serde_json::json!(g),
        };
        Ok(serde_json::json!({ "accessLogs": access_out, "cloudTrail": trail_out }))
    }

    /// The CloudTrail records a trail holds so far (JSON, as CloudTrail writes them).
    pub fn trail_records(&mut self, trail: &str) -> Vec<serde_json::Value> {
        auditor(self)
            .trail_records(trail)
            .into_iter()
            .map(|r| r.json)
            .collect()
    }
}

//! Audit: server access logs and CloudTrail, fed by every request the world handles.
//!
//! Each handled request is observed by `s3pg-audit`: buckets with logging enabled buffer an
//! access-log record that is delivered as a log object on a later request's time (or by
//! [`World::advance`]). This module keeps the records and says what is due; the delivery itself
//! is a `PutObject` by the service principal that the pipeline plans (`ops::delivery`) and
//! authorizes with the same decider as every request (a bucket policy for
//! `logging.s3.amazonaws.com` or the Log Delivery group's ACL grant; `cloudtrail.amazonaws.com`
//! for trails), so logging a bucket into itself logs its own logs. Trails record management
//! events and, when selected, data events.
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html>,
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html> and
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging.html>.

use s3pg_audit::{
    AccessLogRecord, Auditor, HandledRequest, IdentityType, LogObject, LoggingConfig,
    PrincipalInfo, Query, QueryOutput, ReadWriteType, Requester, Trail, TrailLogFile,
};

use crate::docs;
use crate::request::Request;
use crate::time::Timestamp;
use crate::trace::{Gate, GateStep, Outcome, StepOutcome};
use crate::world::{Identity, IdentityKind, World};

/// Seconds between a request and the delivery of its access-log record (\[SIM\]: AWS says
/// "within a few hours", best effort).
pub const ACCESS_LOG_DELAY_SECONDS: u64 = 600;

pub use crate::model::{AuditRuntime, BucketLogging, TrailConfig};

/// Keeps a KMS call's CloudTrail facts until the request that caused it is observed.
pub(crate) fn note_kms_event(world: &mut World, event: &s3pg_kms::KmsEvent) {
    if !world.trails.is_empty() {
        world.audit.kms_events.push(event.clone());
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
        IdentityKind::Anonymous | IdentityKind::Service { .. } => return Requester::Anonymous,
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
        .map_or_else(|| "us-east-1".to_owned(), |b| b.region.clone());
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
    fill_http_fields(world, req, now, outcome, &region, &mut h);
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
    record_kms_events(world, &id, outcome);
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
            format!("trail `{trail}` ({account})"),
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

/// Records an action S3 Lifecycle took on its own in the bucket's server access log —
/// `S3.EXPIRE.OBJECT`, or `S3.CREATE.DELETEMARKER` when it expired the current version of a
/// versioned bucket — with requester `AmazonS3`; CloudTrail never sees it, because Lifecycle
/// works through internal endpoints (S3 UG "Lifecycle and other bucket configurations"). Returns
/// the operation written when the bucket has logging enabled.
pub(crate) fn observe_lifecycle(
    world: &mut World,
    action: s3pg_audit::InternalAction,
    bucket: &str,
    key: &str,
    version_id: Option<&str>,
    at: Timestamp,
) -> Option<&'static str> {
    let b = world.buckets.get(bucket)?;
    b.logging.as_ref()?;
    let (region, owner) = (b.region.clone(), b.owner.clone());
    let canonical = world.canonical_id(&owner);
    // No request reaches S3, so the id comes from what happened, not from the world's counter.
    let request_id = crate::world::request_id(crate::world::fnv(&format!(
        "lifecycle/{bucket}/{key}/{}/{at}",
        version_id.unwrap_or("null")
    )));
    let mut h =
        HandledRequest::lifecycle(s3pg_audit::Timestamp(at.0), &region, action, &request_id)
            .with_bucket(bucket, &canonical, &owner)
            .with_key(key);
    h.version_id = version_id.map(str::to_owned);
    let obs = auditor(world).observe(&h);
    obs.access_logged.then(|| action.operation().name)
}

/// Records the KMS calls the request made (as the caller, or by S3 on its behalf) as KMS
/// management events in the trails, and says so in the trace.
fn record_kms_events(world: &mut crate::view::WorldRef<'_>, id: &Identity, outcome: &mut Outcome) {
    let requester_of_kms = requester(world, id);
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
}

/// The URL a pre-signed request used: as given, or as the world mints it from the spec.
fn presigned_url(world: &World, req: &Request, now: Timestamp) -> Option<String> {
    use crate::request::Operation;
    match &req.operation {
        Operation::PresignedRequest {
            url,
            presign,
            method,
            ..
        } => {
            if url.is_empty() {
                presign.as_ref().and_then(|spec| {
                    let mut spec = spec.clone();
                    if spec.method.is_none() {
                        spec.method = Some(method.to_ascii_uppercase());
                    }
                    world.presign_spec(&spec, now).ok().map(|m| {
                        let mut text = m.url;
                        for edit in &spec.edits {
                            text = text.replacen(&edit.find, &edit.replace, 1);
                        }
                        text
                    })
                })
            } else {
                Some(url.clone())
            }
        }
        _ => None,
    }
}

/// The fields S3 fills from the HTTP exchange (access-log fields 9–26, S3 UG "Amazon S3 server
/// access log format"): Request-URI, bytes sent, object size, total and turn-around time,
/// referer, user agent, host id, signature version, cipher suite, authentication type, host
/// header, TLS version and aclRequired. The times are \[SIM\]: a request in the playground takes
/// no time, so turn-around is a fixed 3 ms and total time adds 1 ms per 10 KB sent.
fn fill_http_fields(
    world: &World,
    req: &Request,
    now: Timestamp,
    outcome: &Outcome,
    region: &str,
    h: &mut HandledRequest,
) {
    use crate::request::{Operation, Scheme};
    let presigned_url = presigned_url(world, req, now);
    let https = match &presigned_url {
        Some(u) => !u.starts_with("http://"),
        None => req.network.scheme == Scheme::Https,
    };
    let bucket = h.bucket.clone();
    match &presigned_url {
        Some(u) => {
            let rest = u.split_once("://").map_or(u.as_str(), |(_, r)| r);
            let (host, path) = rest.split_once('/').map_or((rest, ""), |(a, b)| (a, b));
            let method = match &req.operation {
                Operation::PresignedRequest { method, .. } => method.to_ascii_uppercase(),
                _ => String::new(),
            };
            h.host_header = Some(host.to_owned());
            h.request_uri = Some(format!("{method} /{path} HTTP/1.1"));
            h.authentication_type = Some(s3pg_audit::AuthenticationType::QueryString);
            h.signature_version = Some(s3pg_audit::SignatureVersion::SigV4);
        }
        None => {
            h.host_header = Some(match &bucket {
                Some(b) => format!("{b}.s3.{region}.amazonaws.com"),
                None => format!("s3.{region}.amazonaws.com"),
            });
            let query: Vec<(String, String)> = req
                .operation
                .query_params()
                .iter()
                .filter_map(|(n, v)| v.map(|v| ((*n).to_owned(), v.to_owned())))
                .collect();
            h.request_uri = s3pg_audit::request_uri(&outcome.operation, h.key.as_deref(), &query);
            if req.caller != crate::request::Caller::Anonymous {
                h.authentication_type = Some(s3pg_audit::AuthenticationType::AuthHeader);
                h.signature_version = Some(s3pg_audit::SignatureVersion::SigV4);
            }
        }
    }
    if https {
        let tls = req.network.tls_version.as_deref().unwrap_or("1.2");
        h.tls_version = Some(format!("TLSv{tls}"));
        h.cipher_suite = Some(
            if tls == "1.3" {
                "TLS_AES_128_GCM_SHA256"
            } else {
                "ECDHE-RSA-AES128-GCM-SHA256"
            }
            .to_owned(),
        );
    }
    h.host_id = Some(crate::world::host_id(&outcome.request_id));
    h.user_agent = Some(
        req.headers
            .get("user-agent")
            .cloned()
            .unwrap_or_else(|| "s3pg-playground/1.0".to_owned()),
    );
    h.referrer = req.headers.get("referer").cloned();
    let content_length = outcome
        .headers
        .get("content-length")
        .and_then(|v| v.parse::<u64>().ok());
    let head = outcome.operation.starts_with("Head");
    h.bytes_sent = match &outcome.error {
        // The error document S3 sends (HEAD errors have no body).
        Some(e) if !head => {
            let doc = format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{}</Code><Message>{}</Message><RequestId>{}</RequestId><HostId>{}</HostId></Error>",
                e.code,
                e.message,
                outcome.request_id,
                crate::world::host_id(&outcome.request_id)
            );
            u64::try_from(doc.len()).unwrap_or(0)
        }
        None if outcome.operation == "GetObject" => content_length.unwrap_or(0),
        _ => 0,
    };
    h.object_size = match (outcome.error.is_none(), outcome.operation.as_str()) {
        (true, "GetObject" | "HeadObject") => content_length,
        (true, "PutObject" | "CopyObject") => bucket
            .as_ref()
            .and_then(|b| world.buckets.get(b))
            .zip(h.key.as_ref())
            .and_then(|(b, k)| b.objects.get(k))
            .and_then(crate::model::ObjectEntry::current)
            .and_then(|v| u64::try_from(v.size()).ok()),
        _ => None,
    };
    h.turn_around_time_ms = Some(3);
    h.total_time_ms = Some(4 + h.bytes_sent / 10_000);
    h.acl_required = outcome.decision == Some(crate::trace::Decision::Allow)
        && outcome
            .deciding
            .as_ref()
            .is_some_and(|d| matches!(d.gate, Gate::BucketAcl | Gate::ObjectAcl));
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
    req.operation.key().map(str::to_owned)
}

/// Whether anything in the world logs (a running auditor, a trail, a bucket with logging on):
/// when nothing does, no delivery can be due.
pub(crate) fn logging_in_use(world: &World) -> bool {
    world.audit.auditor.is_some()
        || !world.trails.is_empty()
        || world.buckets.values().any(|b| b.logging.is_some())
}

/// The access-log objects due at `now`, taken from the delivery buffer (each is then a
/// `PutObject` by the log delivery service, planned in `ops::delivery`).
pub(crate) fn due_access_logs(world: &mut World, now: Timestamp) -> Vec<LogObject> {
    auditor(world).deliver_due(s3pg_audit::Timestamp(now.0))
}

/// The CloudTrail log files due at `now`.
pub(crate) fn due_trail_files(world: &mut World, now: Timestamp) -> Vec<TrailLogFile> {
    auditor(world).deliver_trail_logs(s3pg_audit::Timestamp(now.0))
}

/// Records an access-log delivery as the request it is (`REST.PUT.OBJECT` by the log delivery
/// service); true when its target logs too, so the delivery will itself be logged.
pub(crate) fn observe_delivery(
    world: &mut World,
    obj: &LogObject,
    request_id: &str,
    canonical: &str,
) -> bool {
    let put = obj.put_request(request_id, request_id, canonical);
    auditor(world).observe(&put).access_logged
}

impl World {
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

//! The pipeline every request goes through, and the dry run.
//!
//! `World::handle` and `World::authorize` run the very same stages — the simulated clock's due
//! work (KMS rotations, log deliveries), authentication, the operation's checks and permissions,
//! authorization, execution, then auditing — over a [`WorldRef`]. For `handle` it is the world
//! itself; for `authorize` it is the world borrowed read-only, copied only at the first stage
//! that would change it. A dry run therefore cannot diverge from `handle` (it is the same code)
//! and never changes the world; a request that only reads (every denied request, an authorized
//! GetObject, a listing) costs no copy at all.
//!
//! Follows S3's request flow: authenticate, authorize, then act
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html>).

use crate::authz;
use crate::docs;
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::ops::{self, Authorization, Granted, Plan};
use crate::request::{Operation, Request};
use crate::time::Timestamp;
use crate::trace::{Decision, Gate, GateStep, Outcome, StepOutcome};
use crate::view::WorldRef;
use crate::world::{Identity, World};

/// Whether the simulated clock has KMS work due at `now` (an automatic rotation or the end of a
/// key's deletion waiting period).
fn kms_work_due(world: &World, now: Timestamp) -> bool {
    let now = now.epoch_seconds();
    world.kms.keys.values().any(|k| {
        (k.rotation_enabled
            && k.state == s3pg_kms::KeyState::Enabled
            && k.next_rotation_date.is_some_and(|due| due <= now))
            || k.is_deleted_at(now)
    })
}

/// Runs one request through every stage.
pub(crate) fn run(world: &mut WorldRef<'_>, request: &Request, now: Timestamp) -> Outcome {
    // Work due on the simulated clock happens first: KMS rotations and deletions, then the
    // access logs and trail files due by now.
    if kms_work_due(world, now) {
        let w: &mut World = world;
        let mut e = w.entropy.next_stream();
        w.kms.advance(now.epoch_seconds(), &mut e);
    }
    // S3 Lifecycle's actions due by now (each at its midnight UTC), before anything else reads.
    let (lifecycle_steps, lifecycle_effects) = if ops::lifecycle_due(world, now) {
        let w: &mut World = world;
        ops::run_lifecycle(w, now)
    } else {
        (Vec::new(), Vec::new())
    };
    let delivered = deliver_due(world, now);
    let mut outcome = if matches!(request.operation, Operation::PresignedRequest { .. }) {
        presigned(world, request, now)
    } else if matches!(request.operation, Operation::PostObject { .. }) {
        post_form(world, request, now)
    } else {
        let request_id = world.next_request_id();
        let mut ex = Exchange::new(request, now, request_id);
        if let Some(identity) = authenticate(world, &mut ex) {
            stages(world, &mut ex, &identity);
        }
        ex.finish()
    };
    if !delivered.is_empty() || !lifecycle_steps.is_empty() {
        let mut trace = lifecycle_steps;
        trace.extend(delivered);
        trace.append(&mut outcome.trace);
        outcome.trace = trace;
    }
    if !lifecycle_effects.is_empty() {
        let mut effects = lifecycle_effects;
        effects.append(&mut outcome.effects);
        outcome.effects = effects;
    }
    crate::audit::observe(world, request, now, &mut outcome);
    if is_head(request) {
        strip_head_error(&mut outcome);
    }
    outcome
}

/// The deliveries due by `now`: access-log objects (a delivery may itself be logged when its
/// target logs, so a few rounds) and CloudTrail log files. Each is a `PutObject` by the service
/// principal, planned by [`ops::delivery`] and authorized by the same decider as any request;
/// one trace step per delivery says what happened.
fn deliver_due(world: &mut WorldRef<'_>, now: Timestamp) -> Vec<GateStep> {
    let mut steps = Vec::new();
    if !crate::audit::logging_in_use(world) {
        return steps;
    }
    for _ in 0..3 {
        let due = crate::audit::due_access_logs(world, now);
        if due.is_empty() {
            break;
        }
        for obj in due {
            let planned = ops::delivery::access_log(world, obj);
            steps.push(deliver(world, planned, now));
        }
    }
    if !world.trails.is_empty() {
        for file in crate::audit::due_trail_files(world, now) {
            let planned = ops::delivery::trail_file(world, file);
            steps.push(deliver(world, planned, now));
        }
    }
    steps
}

/// One delivery: its plan, authorization of the service's `PutObject`, then the write.
fn deliver(
    world: &mut World,
    planned: Result<ops::delivery::Delivery, Box<GateStep>>,
    now: Timestamp,
) -> GateStep {
    let delivery = match planned {
        Ok(d) => d,
        Err(step) => return *step,
    };
    let result = authz::authorize(
        world,
        &delivery.identity,
        &delivery.request,
        now,
        &delivery.check,
    );
    if result.decision == Decision::Allow {
        ops::delivery::execute(world, delivery, &result, now)
    } else {
        ops::delivery::refused(&delivery, &result)
    }
}

impl World {
    /// Handles one request at simulated time `now`: the one entry point that changes the world.
    pub fn handle(&mut self, request: &Request, now: Timestamp) -> Outcome {
        run(&mut WorldRef::Live(self), request, now)
    }

    /// The dry run: what [`World::handle`] would answer for `request` at `now` — the decision,
    /// the response, the whole trace, even the effects it would have — without changing the
    /// world. It runs the same stages as `handle` over a read-only view of the world, copying
    /// it only if a stage would write (never for a denied request or a read).
    pub fn authorize(&self, request: &Request, now: Timestamp) -> Outcome {
        run(&mut WorldRef::dry_run(self), request, now)
    }

    /// Moves the clock to `now`: applies the lifecycle actions due, then delivers the access-log
    /// objects and trail files that are due. Returns what happened, one step per action or delivery.
    pub fn advance(&mut self, now: Timestamp) -> Vec<GateStep> {
        let mut steps = if ops::lifecycle_due(self, now) {
            ops::run_lifecycle(self, now).0
        } else {
            Vec::new()
        };
        steps.extend(deliver_due(&mut WorldRef::Live(self), now));
        steps
    }
}

/// The authentication stage: the identity the caller's credentials establish, or the refusal
/// recorded on the exchange.
fn authenticate(world: &World, ex: &mut Exchange<'_>) -> Option<Identity> {
    match world.authenticate(&ex.req.caller, ex.now) {
        Ok((id, step)) => {
            ex.step(step);
            Some(id)
        }
        Err(e) => {
            let why = match e {
                S3Error::ExpiredToken => "the role session's temporary credentials have expired",
                _ => "no account, user, role session or access key matches the caller",
            };
            let err = ex.reject(Gate::Authentication, e, why, docs::AUTHENTICATION);
            ex.error = Some(err);
            None
        }
    }
}

/// A pre-signed URL: its query authentication resolves it to an operation and its signer, then
/// the operation runs through the same stages as any other request.
fn presigned(world: &mut WorldRef<'_>, request: &Request, now: Timestamp) -> Outcome {
    let request_id = world.next_request_id();
    let mut ex = Exchange::new(request, now, request_id);
    match crate::presigned::resolve(world, &mut ex, request, now) {
        crate::presigned::Resolution::Refused { operation } => {
            let mut outcome = ex.finish();
            if let Some(op) = operation {
                outcome.operation = op;
            }
            outcome
        }
        crate::presigned::Resolution::Verified { inner, identity } => {
            let trace = std::mem::take(&mut ex.trace);
            let mut inner_ex = Exchange::new(&inner, now, ex.request_id.clone());
            inner_ex.trace = trace;
            stages(world, &mut inner_ex, &identity);
            inner_ex.finish()
        }
    }
}

/// A browser POST upload: the form's policy and signature resolve it to a PutObject and its
/// signer, then it runs through the same stages; the answer is the status the form asked for.
fn post_form(world: &mut WorldRef<'_>, request: &Request, now: Timestamp) -> Outcome {
    let request_id = world.next_request_id();
    let mut ex = Exchange::new(request, now, request_id);
    let resolution = crate::post::resolve(world, &mut ex, request, now);
    let mut outcome = match resolution {
        crate::post::Resolution::Refused => ex.finish(),
        crate::post::Resolution::Verified {
            inner,
            identity,
            success_status,
            redirect,
        } => {
            let trace = std::mem::take(&mut ex.trace);
            let mut inner_ex = Exchange::new(&inner, now, ex.request_id.clone());
            inner_ex.trace = trace;
            stages(world, &mut inner_ex, &identity);
            let mut outcome = inner_ex.finish();
            if outcome.error.is_none() {
                crate::post::answer(&mut outcome, &inner, success_status, redirect);
            }
            outcome
        }
    };
    outcome.operation = "PostObject".to_owned();
    outcome
}

/// The stages after authentication: the operation's plan (its checks before authorization and
/// the permissions it needs), authorization of the plan, then the operation's execution.
pub(crate) fn stages(world: &mut WorldRef<'_>, ex: &mut Exchange<'_>, id: &Identity) {
    let plan = match ops::plan(world, ex, id) {
        Ok(plan) => plan,
        Err(e) => {
            ex.error = Some(e);
            return;
        }
    };
    let granted = match authorize(world, ex, id, &plan) {
        Ok(granted) => granted,
        Err(e) => {
            ex.trace.extend(plan.if_denied);
            ex.error = Some(e);
            return;
        }
    };
    if let Err(e) = (plan.execute)(world, ex, id, granted) {
        ex.error = Some(e);
    }
}

/// The step saying what the request needs: each permission with its resource, the context keys
/// the request carries, and the KMS calls S3 will make on the caller's behalf.
fn needs_step(world: &World, ex: &Exchange<'_>, id: &Identity, plan: &Plan<'_>) -> GateStep {
    let checks = plan.checks();
    let mut text = format!(
        "`{}` needs {}",
        ex.req.operation.name(),
        checks
            .iter()
            .map(|c| format!("`{}` on `{}`", c.action, c.resource.arn()))
            .collect::<Vec<_>>()
            .join(" and ")
    );
    if matches!(plan.authorization, Authorization::EachItem(_)) {
        text.push_str(", each decided on its own");
    }
    if !plan.kms.is_empty() {
        text.push_str(&format!(
            "; then S3 calls {} on the caller's behalf",
            plan.kms
                .iter()
                .map(|k| format!("`{}` on `{}`", k.action, k.key))
                .collect::<Vec<_>>()
                .join(" and ")
        ));
    }
    let mut step = GateStep::new(
        Gate::RequiredPermissions,
        StepOutcome::Info,
        text,
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
    step
}

/// The authorization stage: every planned permission through the one decider
/// ([`authz::authorize`]). For a whole-request plan the first denial ends the request with
/// `AccessDenied` and the last permission decided marks the deciding step; for a per-item plan
/// each item is decided on its own, the first denied item's step decides (or the last item's,
/// when all are allowed), and the request's decision is the last denial.
fn authorize(
    world: &World,
    ex: &mut Exchange<'_>,
    id: &Identity,
    plan: &Plan<'_>,
) -> Result<Granted, S3Error> {
    if let Authorization::All(checks) = &plan.authorization
        && checks.is_empty()
    {
        return Ok(Granted::default());
    }
    let needs = needs_step(world, ex, id, plan);
    match &plan.authorization {
        Authorization::All(checks) => {
            ex.step(needs);
            for check in checks {
                let result = authz::authorize(world, id, ex.req, ex.now, check);
                for earlier in &mut ex.trace {
                    earlier.deciding = false;
                }
                ex.trace.extend(result.steps);
                ex.decision = Some(result.decision);
                ex.deciding = result.deciding;
                if result.decision != Decision::Allow {
                    return Err(S3Error::AccessDenied {
                        message: result.message,
                    });
                }
            }
            Ok(Granted::default())
        }
        Authorization::EachItem(checks) => {
            ex.step(needs);
            let mut overall = Decision::Allow;
            let mut items = Vec::with_capacity(checks.len());
            for check in checks {
                let mut result = authz::authorize(world, id, ex.req, ex.now, check);
                let allowed = result.decision == Decision::Allow;
                let first_denial = !allowed && overall == Decision::Allow;
                if first_denial || (overall == Decision::Allow && allowed) {
                    for earlier in &mut ex.trace {
                        earlier.deciding = false;
                    }
                    ex.deciding = result.deciding;
                } else {
                    for s in &mut result.steps {
                        s.deciding = false;
                    }
                }
                ex.trace.extend(result.steps);
                if !allowed {
                    overall = result.decision;
                }
                items.push(allowed);
            }
            ex.decision = Some(overall);
            Ok(Granted { items })
        }
    }
}

/// Whether the request is an HTTP HEAD (HeadObject, or a pre-signed URL used with HEAD).
fn is_head(request: &Request) -> bool {
    match &request.operation {
        Operation::HeadObject { .. } => true,
        Operation::PresignedRequest { method, .. } => method.eq_ignore_ascii_case("HEAD"),
        _ => false,
    }
}

/// A HEAD response has no body, errors included: the client gets the status and the headers,
/// never `<Error><Code>…` (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html>).
/// The access log (written above) still records the code S3 meant; the trace says it too.
fn strip_head_error(outcome: &mut Outcome) {
    outcome.body = None;
    if let Some(error) = outcome.error.take() {
        outcome.trace.push(GateStep::new(
            Gate::Execution,
            StepOutcome::Info,
            format!(
                "a HEAD response has no body, so the client sees only the status `{}` and the headers, \
                 not the error code `{}` S3 means",
                outcome.status, error.code
            ),
            crate::docs::MISSING_KEY,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::Caller;
    use crate::view::WorldRef;

    fn world() -> World {
        let mut w: World = serde_json::from_value(serde_json::json!({
            "accounts": {"111122223333": {"users": {"alice": {"policies": [{"name": "read", "document": {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}}]}}}},
            "buckets": {"b": {"owner": "111122223333", "objects": {"k": {"versions": [{"owner": "111122223333", "body": "1"}]}}}}
        }))
        .unwrap();
        w.normalize();
        w
    }

    fn copied(world: &World, request: &Request) -> bool {
        let mut view = WorldRef::dry_run(world);
        run(&mut view, request, Timestamp(1_767_258_000));
        matches!(view, WorldRef::DryRun { copy: Some(_), .. })
    }

    fn get(caller: Caller) -> Request {
        Request::new(
            caller,
            serde_json::from_value(serde_json::json!({"GetObject": {"bucket": "b", "key": "k"}}))
                .unwrap(),
        )
    }

    #[test]
    fn reads_and_denials_are_dry_run_without_copying_the_world() {
        let w = world();
        let alice = Caller::User {
            name: "alice".into(),
            account: Some("111122223333".into()),
        };
        assert_eq!(w.authorize(&get(alice.clone()), Timestamp(1)).status, 200);
        assert!(!copied(&w, &get(alice)));
        assert!(!copied(&w, &get(Caller::Anonymous)));
    }

    #[test]
    fn a_head_error_has_a_status_and_no_body() {
        let mut w = world();
        let head = Request::new(
            Caller::Root {
                account: "111122223333".into(),
            },
            serde_json::from_value(
                serde_json::json!({"HeadObject": {"bucket": "b", "key": "gone"}}),
            )
            .unwrap(),
        );
        let o = w.handle(&head, Timestamp(1));
        assert_eq!(o.status, 404);
        assert!(o.error.is_none() && o.body.is_none());
        assert!(
            o.trace
                .iter()
                .any(|s| s.explanation.contains("`NoSuchKey`"))
        );
    }

    #[test]
    fn a_write_is_dry_run_on_a_copy() {
        let w = world();
        let put = Request::new(
            Caller::Root {
                account: "111122223333".into(),
            },
            serde_json::from_value(
                serde_json::json!({"PutObject": {"bucket": "b", "key": "n", "body": "2"}}),
            )
            .unwrap(),
        );
        assert!(copied(&w, &put));
        assert!(!w.buckets["b"].objects.contains_key("n"));
    }

    /// The owner's root user in a world where every operation can succeed: bucket `b` (ACLs
    /// enabled, object `k`), bucket `c` for copies, a KMS key.
    fn table_world() -> World {
        let mut w: World = serde_json::from_value(serde_json::json!({
            "accounts": {"111122223333": {}},
            "buckets": {
                "b": {"owner": "111122223333", "objectOwnership": "ObjectWriter",
                      "policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/secret"}]},
                      "objects": {"k": {"versions": [{"owner": "111122223333", "body": "1"}]}}},
                "c": {"owner": "111122223333"},
                "l": {"owner": "111122223333", "versioning": "Enabled",
                      "objectLock": {"ObjectLockEnabled": "Enabled"},
                      "objects": {"k": {"versions": [{"versionId": "v1", "body": "1",
                          "objectLock": {"retention": {"Mode": "GOVERNANCE", "RetainUntilDate": "2100-01-01T00:00:00Z"}}}]}}}
            }
        }))
        .unwrap();
        w.normalize();
        w
    }

    /// Each operation → the S3 actions it plans, then the KMS calls.
    fn table() -> Vec<(serde_json::Value, Vec<&'static str>, Vec<&'static str>)> {
        use serde_json::json;
        let pab = json!({"BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": true, "RestrictPublicBuckets": true});
        let policy = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/secret"}]});
        vec![
            (
                json!({"ListBuckets": {}}),
                vec!["s3:ListAllMyBuckets"],
                vec![],
            ),
            (
                json!({"CreateBucket": {"bucket": "new-bucket"}}),
                vec!["s3:CreateBucket"],
                vec![],
            ),
            (
                json!({"CreateBucket": {"bucket": "new-bucket", "objectOwnership": "ObjectWriter"}}),
                vec!["s3:CreateBucket", "s3:PutBucketOwnershipControls"],
                vec![],
            ),
            (
                json!({"DeleteBucket": {"bucket": "c"}}),
                vec!["s3:DeleteBucket"],
                vec![],
            ),
            (
                json!({"PutBucketPolicy": {"bucket": "b", "policy": policy}}),
                vec!["s3:PutBucketPolicy"],
                vec![],
            ),
            (
                json!({"GetBucketPolicy": {"bucket": "b"}}),
                vec!["s3:GetBucketPolicy"],
                vec![],
            ),
            (
                json!({"DeleteBucketPolicy": {"bucket": "b"}}),
                vec!["s3:DeleteBucketPolicy"],
                vec![],
            ),
            (
                json!({"GetBucketPolicyStatus": {"bucket": "b"}}),
                vec!["s3:GetBucketPolicyStatus"],
                vec![],
            ),
            (
                json!({"GetBucketAcl": {"bucket": "b"}}),
                vec!["s3:GetBucketAcl"],
                vec![],
            ),
            (
                json!({"GetObjectAcl": {"bucket": "b", "key": "k"}}),
                vec!["s3:GetObjectAcl"],
                vec![],
            ),
            (
                json!({"PutPublicAccessBlock": {"bucket": "b", "configuration": pab}}),
                vec!["s3:PutBucketPublicAccessBlock"],
                vec![],
            ),
            (
                json!({"GetPublicAccessBlock": {"bucket": "b"}}),
                vec!["s3:GetBucketPublicAccessBlock"],
                vec![],
            ),
            (
                json!({"DeletePublicAccessBlock": {"bucket": "b"}}),
                vec!["s3:PutBucketPublicAccessBlock"],
                vec![],
            ),
            (
                json!({"PutAccountPublicAccessBlock": {"account": "111122223333", "configuration": pab}}),
                vec!["s3:PutAccountPublicAccessBlock"],
                vec![],
            ),
            (
                json!({"GetAccountPublicAccessBlock": {"account": "111122223333"}}),
                vec!["s3:GetAccountPublicAccessBlock"],
                vec![],
            ),
            (
                json!({"DeleteAccountPublicAccessBlock": {"account": "111122223333"}}),
                vec!["s3:PutAccountPublicAccessBlock"],
                vec![],
            ),
            (
                json!({"PutBucketOwnershipControls": {"bucket": "b", "objectOwnership": "BucketOwnerPreferred"}}),
                vec!["s3:PutBucketOwnershipControls"],
                vec![],
            ),
            (
                json!({"GetBucketOwnershipControls": {"bucket": "b"}}),
                vec!["s3:GetBucketOwnershipControls"],
                vec![],
            ),
            (
                json!({"PutBucketVersioning": {"bucket": "b", "status": "Enabled"}}),
                vec!["s3:PutBucketVersioning"],
                vec![],
            ),
            (
                json!({"GetBucketVersioning": {"bucket": "b"}}),
                vec!["s3:GetBucketVersioning"],
                vec![],
            ),
            (
                json!({"PutBucketLogging": {"bucket": "b"}}),
                vec!["s3:PutBucketLogging"],
                vec![],
            ),
            (
                json!({"GetBucketLogging": {"bucket": "b"}}),
                vec!["s3:GetBucketLogging"],
                vec![],
            ),
            (
                json!({"PutBucketEncryption": {"bucket": "b", "configuration": {"sseAlgorithm": "AES256"}}}),
                vec!["s3:PutEncryptionConfiguration"],
                vec![],
            ),
            (
                json!({"GetBucketEncryption": {"bucket": "b"}}),
                vec!["s3:GetEncryptionConfiguration"],
                vec![],
            ),
            (
                json!({"DeleteBucketEncryption": {"bucket": "b"}}),
                vec!["s3:PutEncryptionConfiguration"],
                vec![],
            ),
            (
                json!({"PutObject": {"bucket": "b", "key": "n", "body": "2"}}),
                vec!["s3:PutObject"],
                vec![],
            ),
            (
                json!({"GetObject": {"bucket": "b", "key": "k"}}),
                vec!["s3:GetObject"],
                vec![],
            ),
            (
                json!({"HeadObject": {"bucket": "b", "key": "k"}}),
                vec!["s3:GetObject"],
                vec![],
            ),
            (
                json!({"DeleteObject": {"bucket": "b", "key": "k"}}),
                vec!["s3:DeleteObject"],
                vec![],
            ),
            (
                json!({"DeleteObjects": {"bucket": "b", "objects": [{"key": "k"}, {"key": "x"}]}}),
                vec!["s3:DeleteObject", "s3:DeleteObject"],
                vec![],
            ),
            (
                json!({"ListObjectsV2": {"bucket": "b"}}),
                vec!["s3:ListBucket"],
                vec![],
            ),
            (
                json!({"ListObjectVersions": {"bucket": "b"}}),
                vec!["s3:ListBucketVersions"],
                vec![],
            ),
            (
                json!({"CopyObject": {"bucket": "c", "key": "n", "sourceBucket": "b", "sourceKey": "k"}}),
                vec!["s3:GetObject", "s3:PutObject"],
                vec![],
            ),
            (
                json!({"QueryLogs": {"query": "SELECT * FROM access_logs"}}),
                vec![],
                vec![],
            ),
            (json!({"Kms": {"CreateKey": {}}}), vec![], vec![]),
            (
                json!({"PutObjectTagging": {"bucket": "b", "key": "k", "tagSet": {"team": "blue"}}}),
                vec!["s3:PutObjectTagging"],
                vec![],
            ),
            (
                json!({"GetObjectTagging": {"bucket": "b", "key": "k"}}),
                vec!["s3:GetObjectTagging"],
                vec![],
            ),
            (
                json!({"DeleteObjectTagging": {"bucket": "b", "key": "k", "versionId": "null"}}),
                vec!["s3:DeleteObjectVersionTagging"],
                vec![],
            ),
            (
                json!({"PutObject": {"bucket": "b", "key": "t", "body": "2"}}),
                vec!["s3:PutObject"],
                vec![],
            ),
            (
                json!({"CreateMultipartUpload": {"bucket": "b", "key": "n"}}),
                vec!["s3:PutObject"],
                vec![],
            ),
            (
                json!({"UploadPart": {"bucket": "b", "key": "n", "uploadId": "u", "partNumber": 1}}),
                vec!["s3:PutObject"],
                vec![],
            ),
            (
                json!({"UploadPartCopy": {"bucket": "c", "key": "n", "uploadId": "u", "partNumber": 1, "sourceBucket": "b", "sourceKey": "k"}}),
                vec!["s3:GetObject", "s3:PutObject"],
                vec![],
            ),
            (
                json!({"CompleteMultipartUpload": {"bucket": "b", "key": "n", "uploadId": "u", "parts": []}}),
                vec!["s3:PutObject"],
                vec![],
            ),
            (
                json!({"AbortMultipartUpload": {"bucket": "b", "key": "n", "uploadId": "u"}}),
                vec!["s3:AbortMultipartUpload"],
                vec![],
            ),
            (
                json!({"ListParts": {"bucket": "b", "key": "n", "uploadId": "u"}}),
                vec!["s3:ListMultipartUploadParts"],
                vec![],
            ),
            (
                json!({"ListMultipartUploads": {"bucket": "b"}}),
                vec!["s3:ListBucketMultipartUploads"],
                vec![],
            ),
            (
                json!({"PutObjectLockConfiguration": {"bucket": "l", "configuration": {"ObjectLockEnabled": "Enabled"}}}),
                vec!["s3:PutBucketObjectLockConfiguration"],
                vec![],
            ),
            (
                json!({"GetObjectLockConfiguration": {"bucket": "l"}}),
                vec!["s3:GetBucketObjectLockConfiguration"],
                vec![],
            ),
            (
                json!({"PutObjectRetention": {"bucket": "l", "key": "k", "retention": {"Mode": "GOVERNANCE", "RetainUntilDate": "2101-01-01T00:00:00Z"}}}),
                vec!["s3:PutObjectRetention"],
                vec![],
            ),
            (
                json!({"GetObjectRetention": {"bucket": "l", "key": "k", "versionId": "v1"}}),
                vec!["s3:GetObjectRetention"],
                vec![],
            ),
            (
                json!({"PutObjectLegalHold": {"bucket": "l", "key": "k", "legalHold": {"Status": "ON"}}}),
                vec!["s3:PutObjectLegalHold"],
                vec![],
            ),
            (
                json!({"GetObjectLegalHold": {"bucket": "l", "key": "k"}}),
                vec!["s3:GetObjectLegalHold"],
                vec![],
            ),
            (
                json!({"PutBucketLifecycleConfiguration": {"bucket": "b", "configuration": {"Rules": [{"ID": "r", "Status": "Enabled", "Expiration": {"Days": 1}}]}}}),
                vec!["s3:PutLifecycleConfiguration"],
                vec![],
            ),
            (
                json!({"GetBucketLifecycleConfiguration": {"bucket": "b"}}),
                vec!["s3:GetLifecycleConfiguration"],
                vec![],
            ),
            (
                json!({"DeleteBucketLifecycle": {"bucket": "b"}}),
                vec!["s3:PutLifecycleConfiguration"],
                vec![],
            ),
            (
                json!({"Iam": {"CreatePolicy": {"policyName": "p", "policyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}}}),
                vec!["iam:CreatePolicy"],
                vec![],
            ),
            (json!({"Sts": {"GetCallerIdentity": {}}}), vec![], vec![]),
        ]
    }

    #[test]
    fn every_operation_plans_the_permissions_authorization_then_decides() {
        let w = table_world();
        let root = Caller::Root {
            account: "111122223333".into(),
        };
        for (op, actions, kms) in table() {
            let request = Request::new(root.clone(), serde_json::from_value(op.clone()).unwrap());
            let mut view = WorldRef::dry_run(&w);
            let mut ex = Exchange::new(&request, Timestamp(1), String::new());
            let id = authenticate(&view, &mut ex).unwrap();
            let plan = ops::plan(&mut view, &mut ex, &id).unwrap_or_else(|e| panic!("{op}: {e:?}"));
            let planned: Vec<&str> = plan.checks().iter().map(|c| c.action).collect();
            assert_eq!(planned, actions, "{op}");
            let planned_kms: Vec<&str> = plan.kms.iter().map(|k| k.action).collect();
            assert_eq!(planned_kms, kms, "{op}");
            // What authorization decided is exactly the plan: every S3 action the trace shows was
            // planned, and every planned action was decided.
            let outcome = w.authorize(&request, Timestamp(1));
            if !actions.is_empty() {
                assert_eq!(outcome.decision, Some(Decision::Allow), "{op}: {outcome:?}");
            }
            let decided: std::collections::BTreeSet<&str> = outcome
                .trace
                .iter()
                .filter(|s| s.gate != Gate::RequiredPermissions)
                .filter_map(|s| s.action.as_deref())
                .filter(|a| a.starts_with("s3:") || a.starts_with("iam:"))
                .collect();
            let planned: std::collections::BTreeSet<&str> = actions.iter().copied().collect();
            assert_eq!(decided, planned, "{op}");
        }
    }

    #[test]
    fn sse_kms_reads_and_writes_plan_their_kms_calls() {
        let mut w = table_world();
        let root = Caller::Root {
            account: "111122223333".into(),
        };
        let put = Request::new(
            root.clone(),
            serde_json::from_value(
                serde_json::json!({"PutObject": {"bucket": "b", "key": "e", "body": "secret"}}),
            )
            .unwrap(),
        )
        .header("x-amz-server-side-encryption", "aws:kms");
        let plan_of = |w: &World, r: &Request| {
            let mut view = WorldRef::dry_run(w);
            let mut ex = Exchange::new(r, Timestamp(1), String::new());
            let id = authenticate(&view, &mut ex).unwrap();
            let plan = ops::plan(&mut view, &mut ex, &id).unwrap();
            plan.kms
                .iter()
                .map(|k| (k.action, k.key.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            plan_of(&w, &put),
            [("kms:GenerateDataKey", "alias/aws/s3".to_owned())]
        );
        let put_outcome = w.handle(&put, Timestamp(1));
        assert_eq!(put_outcome.status, 200, "{put_outcome:?}");
        let get = Request::new(
            root,
            serde_json::from_value(serde_json::json!({"GetObject": {"bucket": "b", "key": "e"}}))
                .unwrap(),
        );
        let planned = plan_of(&w, &get);
        assert_eq!(planned.len(), 1);
        assert_eq!(planned[0].0, "kms:Decrypt");
        let outcome = w.handle(&get, Timestamp(2));
        assert_eq!(outcome.status, 200, "{outcome:?}");
        assert!(
            outcome
                .trace
                .iter()
                .any(|s| s.action.as_deref() == Some("kms:Decrypt")),
            "{:?}",
            outcome
                .trace
                .iter()
                .map(|s| (&s.action, &s.explanation))
                .collect::<Vec<_>>()
        );
    }

    fn logging_world(log_policy: serde_json::Value) -> World {
        let mut w: World = serde_json::from_value(serde_json::json!({
            "accounts": {"111122223333": {}},
            "buckets": {
                "b": {"owner": "111122223333", "logging": {"targetBucket": "logs", "targetPrefix": "b/"}},
                "logs": {"owner": "111122223333", "policy": log_policy}
            }
        }))
        .unwrap();
        w.normalize();
        w
    }

    fn root_put() -> Request {
        Request::new(
            Caller::Root {
                account: "111122223333".into(),
            },
            serde_json::from_value(
                serde_json::json!({"PutObject": {"bucket": "b", "key": "doc.txt", "body": "x"}}),
            )
            .unwrap(),
        )
    }

    #[test]
    fn log_delivery_is_a_service_request_through_the_decider() {
        let allow = serde_json::json!({"Sid": "S3ServerAccessLogsPolicy", "Effect": "Allow",
            "Principal": {"Service": "logging.s3.amazonaws.com"}, "Action": "s3:PutObject",
            "Resource": "arn:aws:s3:::logs/b/*",
            "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::b"}, "StringEquals": {"aws:SourceAccount": "111122223333"}}});
        let deny = serde_json::json!({"Sid": "NoWrites", "Effect": "Deny", "Principal": "*",
            "Action": "s3:PutObject", "Resource": "arn:aws:s3:::logs/*"});
        // Allowed by the bucket policy naming the service, with its aws:SourceArn condition.
        let mut w = logging_world(
            serde_json::json!({"Version": "2012-10-17", "Statement": [allow.clone()]}),
        );
        assert_eq!(w.handle(&root_put(), Timestamp(1_000)).status, 200);
        let steps = w.advance(Timestamp(100_000));
        assert_eq!(steps.len(), 1, "{steps:?}");
        assert_eq!(steps[0].outcome, StepOutcome::Allow, "{steps:?}");
        assert_eq!(
            steps[0].statements[0].sid.as_deref(),
            Some("S3ServerAccessLogsPolicy")
        );
        assert_eq!(w.buckets["logs"].objects.len(), 1);
        // An explicit deny for everyone wins over the service's grant: no log object, and the
        // trace says which statement decided.
        let mut w =
            logging_world(serde_json::json!({"Version": "2012-10-17", "Statement": [deny, allow]}));
        w.handle(&root_put(), Timestamp(1_000));
        let steps = w.advance(Timestamp(100_000));
        assert_eq!(steps[0].outcome, StepOutcome::ExplicitDeny, "{steps:?}");
        assert_eq!(steps[0].statements[0].sid.as_deref(), Some("NoWrites"));
        assert!(
            steps[0]
                .compared
                .contains(&("decided by".to_owned(), "BucketPolicy".to_owned()))
        );
        assert!(w.buckets["logs"].objects.is_empty());
        // A condition on another source bucket grants nothing: implicitly denied.
        let other = serde_json::json!({"Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"},
            "Action": "s3:PutObject", "Resource": "arn:aws:s3:::logs/*",
            "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::elsewhere"}}});
        let mut w =
            logging_world(serde_json::json!({"Version": "2012-10-17", "Statement": [other]}));
        w.handle(&root_put(), Timestamp(1_000));
        let steps = w.advance(Timestamp(100_000));
        assert_eq!(steps[0].outcome, StepOutcome::ImplicitDeny, "{steps:?}");
        assert!(w.buckets["logs"].objects.is_empty());
    }
}

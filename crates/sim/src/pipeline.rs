//! The pipeline every request goes through, and the dry run. Where a newcomer starts reading.
//!
//! `World::handle` and `World::authorize` run the very same stages over a [`WorldRef`]:
//!
//! 1. the simulated clock's due work — KMS rotations, then the deliveries due by now (access-log
//!    objects and CloudTrail files, each a `PutObject` by the service principal planned in
//!    `ops::delivery` and authorized by the same decider as any request);
//! 2. authentication (for a pre-signed URL, its query authentication in `presigned/resolve.rs`);
//! 3. the operation's plan (`ops::plan`): the checks S3 makes before authorization, the
//!    permissions the request needs with their context keys, the KMS calls S3 will make for the
//!    caller;
//! 4. authorization of the plan through the one decider (`authz`) — the only place a request's
//!    permissions are decided and the deciding step is marked;
//! 5. the operation's execution; then auditing (access-log records, CloudTrail events).
//!
//! For `handle` the view is the world itself; for `authorize` it is the world borrowed
//! read-only, copied only at the first stage that would change it. A dry run therefore cannot
//! diverge from `handle` (it is the same code) and never changes the world; a request that only
//! reads (every denied request, an authorized GetObject, a listing) costs no copy at all, and
//! neither does a write whose only change is its last step, which the view works out without
//! keeping (an SSE-S3 PutObject's new version, a bucket setting, an ACL: see [`crate::view`]).
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
use crate::trace::{Decision, Gate, GateStep, Outcome, StepOutcome, Text};
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
    if let Err(e) = authorize_kms(world, ex, id, &plan) {
        ex.error = Some(e);
        return;
    }
    if let Err(e) = (plan.execute)(world, ex, id, granted) {
        ex.error = Some(e);
    }
}

/// The step saying what the request needs: each permission with its resource, the context keys
/// the request carries, and the KMS calls S3 will make on the caller's behalf.
fn needs_step(ex: &Exchange<'_>, plan: &Plan<'_>, global: &[(Text, String)]) -> GateStep {
    let checks = plan.checks();
    // Written into one string (this step is on every authorized request's path).
    let mut text = String::with_capacity(160);
    text.push('`');
    text.push_str(ex.req.operation.name());
    text.push_str("` needs ");
    for (i, c) in checks.iter().enumerate() {
        if i > 0 {
            text.push_str(" and ");
        }
        text.push('`');
        text.push_str(c.action);
        text.push_str("` on `");
        c.resource.write_arn(&mut text);
        text.push('`');
    }
    if matches!(plan.authorization, Authorization::EachItem(_)) {
        text.push_str(", each decided on its own");
    }
    for (i, k) in plan.kms.iter().enumerate() {
        text.push_str(if i == 0 { "; then S3 calls " } else { " and " });
        text.push('`');
        text.push_str(k.action);
        text.push_str("` on `");
        text.push_str(&k.key);
        text.push('`');
    }
    if !plan.kms.is_empty() {
        text.push_str(" on the caller's behalf");
    }
    let mut step = GateStep::new(
        Gate::RequiredPermissions,
        StepOutcome::Info,
        text,
        docs::ACTIONS,
    );
    // Each context key the operation derives, once (the first check's value), then the keys S3
    // derives from the request itself (scheme, network, time, credentials).
    let mut compared: Vec<(Text, String)> = Vec::with_capacity(8 + global.len());
    for c in checks {
        for (k, v) in &c.keys {
            if !compared.iter().any(|(seen, _)| seen == k) {
                let value = match v.as_slice() {
                    [one] => one.clone(),
                    _ => v.join(", "),
                };
                compared.push((Text::Owned(k.clone()), value));
            }
        }
    }
    compared.extend_from_slice(global);
    step.compared = compared;
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
    // The keys S3 derives from the request are the same for every permission: worked out once.
    let global = authz::global_keys(world, id, ex.req, ex.now);
    let needs = needs_step(ex, plan, &global);
    match &plan.authorization {
        Authorization::All(checks) => {
            ex.step(needs);
            for check in checks {
                for earlier in &mut ex.trace {
                    earlier.deciding = false;
                }
                let result =
                    authz::authorize_into(world, id, ex.req, check, &global, &mut ex.trace);
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
                let start = ex.trace.len();
                let result =
                    authz::authorize_into(world, id, ex.req, check, &global, &mut ex.trace);
                let allowed = result.decision == Decision::Allow;
                let first_denial = !allowed && overall == Decision::Allow;
                // Only this item's steps, or only the earlier ones, keep a deciding mark.
                let mid = start.min(ex.trace.len());
                let (earlier, this) = ex.trace.split_at_mut(mid);
                if first_denial || (overall == Decision::Allow && allowed) {
                    for s in earlier {
                        s.deciding = false;
                    }
                    ex.deciding = result.deciding;
                } else {
                    for s in this {
                        s.deciding = false;
                    }
                }
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

/// The authorization stage's second half: each KMS call S3 will make on the caller's behalf
/// that KMS can answer ahead (the plan says so), asked of KMS without making it —
/// the key policy, the caller's IAM policies, the key's state. A refusal ends the request here,
/// with the response S3 gives for it, before anything runs (a dry run reports it without
/// executing); an allowed call is made, and traced, by the execution.
/// Follows <https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html>.
fn authorize_kms(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    plan: &Plan<'_>,
) -> Result<(), S3Error> {
    for call in &plan.kms {
        let Some(ahead) = &call.ahead else {
            continue;
        };
        let operation = if call.action == "kms:Decrypt" {
            s3pg_kms::KmsOperation::Decrypt
        } else {
            s3pg_kms::KmsOperation::GenerateDataKey
        };
        let caller = crate::encryption::kms_caller(world, id, ex.req, &ahead.region, ex.now);
        let Some(answer) =
            world
                .kms
                .authorize_for_s3(&caller, operation, Some(&call.key), &ahead.context)
        else {
            continue;
        };
        let Err(refused) = &answer.result else {
            continue;
        };
        let s3 = refused.to_s3_error();
        let e = S3Error::other(s3.status, &s3.code, &s3.message);
        // KMS records the refused call in CloudTrail, as it would have when S3 made it.
        if !world.trails.is_empty() {
            let w: &mut World = world;
            crate::audit::note_kms_event(w, &answer.event);
        }
        let step = crate::encryption::kms_step(&answer, &call.key);
        let decision = answer.authorization.as_ref().map(|a| a.decision);
        ops::fail_with_steps(ex, vec![step], decision, &e);
        return Err(e);
    }
    Ok(())
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
mod tests;

//! The other AWS services the world simulates beside S3, reached through the same
//! [`World::handle`](crate::World::handle) pipeline and the same trace: AWS KMS key management
//! (create, enable/disable, rotate, key policies, deletion) and S3 Glacier vaults.
//!
//! Follows the KMS API reference (<https://docs.aws.amazon.com/kms/latest/APIReference/Welcome.html>)
//! and the Glacier access-control page
//! (<https://docs.aws.amazon.com/amazonglacier/latest/dev/access-control-overview.html>).

use crate::encryption::{kms_caller, kms_step};
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::trace::{Decision, Gate, GateStep, StepOutcome};
use crate::world::{Identity, World};

pub use crate::request::{GlacierCall, KmsRequest};

/// Runs a KMS request as the authenticated caller.
pub(crate) fn kms(
    world: &mut World,
    ex: &mut Exchange<'_>,
    id: &Identity,
    request: &KmsRequest,
) -> Result<(), S3Error> {
    let region = request.region();
    let caller = kms_caller(world, id, ex.req, &region, ex.now);
    let mut e = world.entropy.next_stream();
    let (step, decision, result, event) = call_kms(&mut world.kms, &caller, request, &mut e);
    crate::audit::note_kms_event(world, &event);
    if let Some(d) = decision {
        ex.decision = Some(d);
    }
    match result {
        Ok(body) => {
            ex.push_deciding(step);
            ex.body = Some(body);
            Ok(())
        }
        Err(err) => {
            ex.push_deciding(step.compare("response", format!("{} {}", err.status(), err.code())));
            Err(err)
        }
    }
}

/// Sends one KMS request to the world's KMS as `caller`; the trace step, the decision, the
/// response body (or S3-shaped error) and the CloudTrail event.
fn call_kms(
    kms: &mut s3pg_kms::Kms,
    caller: &s3pg_kms::Caller,
    request: &KmsRequest,
    e: &mut s3pg_crypto::SeededEntropy,
) -> Finished {
    let to_json = |v: serde_json::Result<serde_json::Value>| v.unwrap_or(serde_json::Value::Null);
    match request {
        KmsRequest::CreateKey {
            description,
            policy,
            ..
        } => {
            let input = s3pg_kms::CreateKeyInput {
                description: description.clone(),
                policy: policy.clone(),
                bypass_policy_lockout_safety_check: false,
            };
            let r = kms.create_key(caller, &input, e);
            let key = r.result.as_ref().map(|m| m.arn.clone()).unwrap_or_default();
            finish(
                &r,
                &key,
                r.result.as_ref().map(
                    |m| serde_json::json!({ "KeyMetadata": to_json(serde_json::to_value(m)) }),
                ),
            )
        }
        KmsRequest::DescribeKey { key_id } => {
            let r = kms.describe_key(caller, key_id);
            finish(
                &r,
                key_id,
                r.result.as_ref().map(
                    |m| serde_json::json!({ "KeyMetadata": to_json(serde_json::to_value(m)) }),
                ),
            )
        }
        KmsRequest::EnableKey { key_id } => finish_empty(&kms.enable_key(caller, key_id), key_id),
        KmsRequest::DisableKey { key_id } => finish_empty(&kms.disable_key(caller, key_id), key_id),
        KmsRequest::EnableKeyRotation {
            key_id,
            rotation_period_in_days,
        } => finish_empty(
            &kms.enable_key_rotation(caller, key_id, *rotation_period_in_days),
            key_id,
        ),
        KmsRequest::RotateKeyOnDemand { key_id } => {
            let r = kms.rotate_key_on_demand(caller, key_id, e);
            finish(
                &r,
                key_id,
                r.result.as_ref().map(|k| serde_json::json!({ "KeyId": k })),
            )
        }
        KmsRequest::PutKeyPolicy { key_id, policy } => {
            finish_empty(&kms.put_key_policy(caller, key_id, policy, false), key_id)
        }
        KmsRequest::GetKeyPolicy { key_id } => {
            let r = kms.get_key_policy(caller, key_id);
            finish(
                &r,
                key_id,
                r.result
                    .as_ref()
                    .map(|p| serde_json::json!({ "Policy": p })),
            )
        }
        KmsRequest::ScheduleKeyDeletion {
            key_id,
            pending_window_in_days,
        } => {
            let r = kms.schedule_key_deletion(caller, key_id, *pending_window_in_days);
            finish(
                &r,
                key_id,
                r.result.as_ref().map(|o| to_json(serde_json::to_value(o))),
            )
        }
        KmsRequest::CancelKeyDeletion { key_id } => {
            let r = kms.cancel_key_deletion(caller, key_id);
            finish(
                &r,
                key_id,
                r.result.as_ref().map(|k| serde_json::json!({ "KeyId": k })),
            )
        }
        KmsRequest::TagResource { key_id, tags } => {
            finish_empty(&kms.tag_resource(caller, key_id, tags), key_id)
        }
        KmsRequest::UntagResource { key_id, tag_keys } => {
            finish_empty(&kms.untag_resource(caller, key_id, tag_keys), key_id)
        }
        KmsRequest::ListResourceTags { key_id } => {
            let r = kms.list_resource_tags(caller, key_id);
            finish(
                &r,
                key_id,
                r.result.as_ref().map(|tags| {
                    let list: Vec<_> = tags
                        .iter()
                        .map(|(k, v)| serde_json::json!({ "TagKey": k, "TagValue": v }))
                        .collect();
                    serde_json::json!({ "Tags": list, "Truncated": false })
                }),
            )
        }
    }
}

/// [`finish`] for a call whose success has no body (`{}`).
fn finish_empty(r: &s3pg_kms::KmsResponse<()>, key: &str) -> Finished {
    finish(r, key, r.result.as_ref().map(|()| serde_json::json!({})))
}

type Finished = (
    GateStep,
    Option<Decision>,
    Result<serde_json::Value, S3Error>,
    s3pg_kms::KmsEvent,
);

fn finish<T>(
    r: &s3pg_kms::KmsResponse<T>,
    key: &str,
    body: Result<serde_json::Value, &s3pg_kms::KmsError>,
) -> Finished {
    let step = kms_step(r, key);
    let decision = r.authorization.as_ref().map(|a| a.decision);
    let result = body.map_err(|e| S3Error::other(e.status(), e.code(), &e.aws_message()));
    (step, decision, result, r.event.clone())
}

/// A one-line note for steps that do not decide anything.
pub(crate) fn info(text: String, doc: &'static str) -> GateStep {
    GateStep::new(Gate::Glacier, StepOutcome::Info, text, doc)
}

/// Runs a Glacier request as the authenticated caller, with the caller's identity policies,
/// boundary, session policy and SCP from the world; Glacier's own trace becomes gate steps.
pub(crate) fn glacier(
    world: &mut World,
    ex: &mut Exchange<'_>,
    id: &Identity,
    call: &GlacierCall,
) -> Result<(), S3Error> {
    let kc = kms_caller(world, id, ex.req, &call.region, ex.now);
    let caller = s3pg_glacier::Caller {
        principal: kc.principal,
        policies: kc.policies,
        region: call.region.clone(),
        secure_transport: ex.req.network.scheme == crate::request::Scheme::Https,
        context: kc.context,
    };
    let now = s3pg_glacier::Timestamp(ex.now.0);
    let expired = world.glacier.advance(now);
    if !expired.is_empty() {
        ex.step(info(
            format!(
                "{} in-progress Vault Lock(s) expired (a lock not completed within 24 hours is dropped)",
                expired.len()
            ),
            crate::docs::GLACIER,
        ));
    }
    let out = world.glacier.handle(&caller, &call.request, now);
    use s3pg_glacier::outcome::StepOutcome as G;
    let last = out.trace.len().saturating_sub(1);
    for (i, t) in out.trace.iter().enumerate() {
        let outcome = match t.outcome {
            G::Pass => StepOutcome::Pass,
            G::Allow => StepOutcome::Allow,
            G::ExplicitDeny => StepOutcome::ExplicitDeny,
            G::ImplicitDeny => StepOutcome::ImplicitDeny,
            G::Reject => StepOutcome::Reject,
            G::Info => StepOutcome::Info,
        };
        let mut step = GateStep::new(
            Gate::Glacier,
            outcome,
            format!("{}: {}", t.title, t.detail),
            t.doc,
        );
        if t.simulated {
            step = step.undocumented("the playground models this; AWS does not document it");
        }
        if i == last {
            ex.push_deciding(step);
        } else {
            ex.step(step);
        }
    }
    if let Some(a) = &out.authorization {
        ex.decision = Some(a.decision);
        if let Some(d) = &mut ex.deciding {
            d.action = Some(a.action.clone());
        }
    }
    for (h, v) in &out.headers {
        ex.headers.insert(h.to_ascii_lowercase(), v.clone());
    }
    ex.body.clone_from(&out.body);
    match &out.error {
        Some(e) => Err(S3Error::other(out.status, e.code.as_str(), &e.message)),
        None => {
            ex.status = out.status;
            Ok(())
        }
    }
}

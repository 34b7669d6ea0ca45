//! The other AWS services the world simulates beside S3, reached through the same
//! [`World::handle`](crate::World::handle) pipeline and the same trace: AWS KMS key management
//! (create, enable/disable, rotate, key policies, deletion) and S3 Glacier vaults.
//!
//! Follows the KMS API reference (<https://docs.aws.amazon.com/kms/latest/APIReference/Welcome.html>)
//! and the Glacier access-control page
//! (<https://docs.aws.amazon.com/amazonglacier/latest/dev/access-control-overview.html>).

use serde::{Deserialize, Serialize};

use crate::encryption::{kms_caller, kms_step};
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::trace::{Decision, Gate, GateStep, StepOutcome};
use crate::world::{Identity, World};

/// A KMS request (the key-management API a learner drives from the console).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all_fields = "camelCase")]
#[expect(
    missing_docs,
    reason = "fields are the KMS API's own parameters, documented on each variant"
)]
pub enum KmsRequest {
    /// `CreateKey` (`kms:CreateKey`).
    CreateKey {
        #[serde(default)]
        description: String,
        /// The key policy JSON text; the default key policy when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        policy: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        region: Option<String>,
    },
    /// `DescribeKey`.
    DescribeKey { key_id: String },
    /// `EnableKey`.
    EnableKey { key_id: String },
    /// `DisableKey`: reads and writes with the key then fail with `KMS.DisabledException`.
    DisableKey { key_id: String },
    /// `EnableKeyRotation`.
    EnableKeyRotation {
        key_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rotation_period_in_days: Option<u32>,
    },
    /// `RotateKeyOnDemand`.
    RotateKeyOnDemand { key_id: String },
    /// `PutKeyPolicy`.
    PutKeyPolicy { key_id: String, policy: String },
    /// `GetKeyPolicy`.
    GetKeyPolicy { key_id: String },
    /// `ScheduleKeyDeletion`.
    ScheduleKeyDeletion {
        key_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pending_window_in_days: Option<u32>,
    },
    /// `CancelKeyDeletion`.
    CancelKeyDeletion { key_id: String },
}

impl KmsRequest {
    /// The KMS API name.
    pub fn name(&self) -> &'static str {
        match self {
            KmsRequest::CreateKey { .. } => "CreateKey",
            KmsRequest::DescribeKey { .. } => "DescribeKey",
            KmsRequest::EnableKey { .. } => "EnableKey",
            KmsRequest::DisableKey { .. } => "DisableKey",
            KmsRequest::EnableKeyRotation { .. } => "EnableKeyRotation",
            KmsRequest::RotateKeyOnDemand { .. } => "RotateKeyOnDemand",
            KmsRequest::PutKeyPolicy { .. } => "PutKeyPolicy",
            KmsRequest::GetKeyPolicy { .. } => "GetKeyPolicy",
            KmsRequest::ScheduleKeyDeletion { .. } => "ScheduleKeyDeletion",
            KmsRequest::CancelKeyDeletion { .. } => "CancelKeyDeletion",
        }
    }

    fn region(&self) -> String {
        let key = match self {
            KmsRequest::CreateKey { region, .. } => {
                return region.clone().unwrap_or_else(|| "us-east-1".to_owned());
            }
            KmsRequest::DescribeKey { key_id }
            | KmsRequest::EnableKey { key_id }
            | KmsRequest::DisableKey { key_id }
            | KmsRequest::EnableKeyRotation { key_id, .. }
            | KmsRequest::RotateKeyOnDemand { key_id }
            | KmsRequest::PutKeyPolicy { key_id, .. }
            | KmsRequest::GetKeyPolicy { key_id }
            | KmsRequest::ScheduleKeyDeletion { key_id, .. }
            | KmsRequest::CancelKeyDeletion { key_id } => key_id,
        };
        // arn:aws:kms:REGION:ACCOUNT:key/ID
        key.strip_prefix("arn:aws:kms:")
            .and_then(|r| r.split(':').next())
            .map_or_else(|| "us-east-1".to_owned(), str::to_owned)
    }
}

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
    let kms = &mut world.kms;
    let to_json = |v: serde_json::Result<serde_json::Value>| v.unwrap_or(serde_json::Value::Null);
    let (step, decision, result, event) = match request {
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
            let r = kms.create_key(&caller, &input, &mut e);
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
            let r = kms.describe_key(&caller, key_id);
            finish(
                &r,
                key_id,
                r.result.as_ref().map(
                    |m| serde_json::json!({ "KeyMetadata": to_json(serde_json::to_value(m)) }),
                ),
            )
        }
        KmsRequest::EnableKey { key_id } => {
            let r = kms.enable_key(&caller, key_id);
            finish(
                &r,
                key_id,
                r.result.as_ref().map(|()| serde_json::json!({})),
            )
        }
        KmsRequest::DisableKey { key_id } => {
            let r = kms.disable_key(&caller, key_id);
            finish(
                &r,
                key_id,
                r.result.as_ref().map(|()| serde_json::json!({})),
            )
        }
        KmsRequest::EnableKeyRotation {
            key_id,
            rotation_period_in_days,
        } => {
            let r = kms.enable_key_rotation(&caller, key_id, *rotation_period_in_days);
            finish(
                &r,
                key_id,
                r.result.as_ref().map(|()| serde_json::json!({})),
            )
        }
        KmsRequest::RotateKeyOnDemand { key_id } => {
            let r = kms.rotate_key_on_demand(&caller, key_id, &mut e);
            finish(
                &r,
                key_id,
                r.result.as_ref().map(|k| serde_json::json!({ "KeyId": k })),
            )
        }
        KmsRequest::PutKeyPolicy { key_id, policy } => {
            let r = kms.put_key_policy(&caller, key_id, policy, false);
            finish(
                &r,
                key_id,
                r.result.as_ref().map(|()| serde_json::json!({})),
            )
        }
        KmsRequest::GetKeyPolicy { key_id } => {
            let r = kms.get_key_policy(&caller, key_id);
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
            let r = kms.schedule_key_deletion(&caller, key_id, *pending_window_in_days);
            finish(
                &r,
                key_id,
                r.result.as_ref().map(|o| to_json(serde_json::to_value(o))),
            )
        }
        KmsRequest::CancelKeyDeletion { key_id } => {
            let r = kms.cancel_key_deletion(&caller, key_id);
            finish(
                &r,
                key_id,
                r.result.as_ref().map(|k| serde_json::json!({ "KeyId": k })),
            )
        }
    };
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
pub(crate) fn info(text: String, doc: &str) -> GateStep {
    GateStep::new(Gate::Glacier, StepOutcome::Info, text, doc)
}

/// An S3 Glacier vault request with the Region of the Glacier endpoint called.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GlacierCall {
    /// The Region (`us-east-1` unless given).
    #[serde(default = "us_east_1")]
    pub region: String,
    /// The request, as `s3pg-glacier` reads it (`{"operation": "DeleteArchive", …}`).
    pub request: s3pg_glacier::GlacierRequest,
}

fn us_east_1() -> String {
    "us-east-1".to_owned()
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

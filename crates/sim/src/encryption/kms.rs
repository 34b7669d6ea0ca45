//! The KMS calls S3 makes on a caller's behalf for SSE-KMS (`kms:GenerateDataKey` on a write,
//! `kms:Decrypt` on a read, through an S3 Bucket Key when the bucket uses one): the caller as
//! KMS sees it (its principal, its own policies, the request's keys) and the trace step for each
//! call KMS authorized or refused.
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html> and
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html>.

use s3pg_kms::{Caller as KmsCaller, KmsResponse};
use s3pg_policy::{ContextValue, NamedPolicy, Policy, PolicySet};

use crate::authz;
use crate::docs;
use crate::request::Request;
use crate::time::Timestamp;
use crate::trace::{Decision, Gate, GateStep, StepOutcome};
use crate::world::{Identity, IdentityKind, World};

/// The caller as KMS sees it when S3 calls on its behalf: its principal and its own policies.
pub(crate) fn kms_caller(
    world: &World,
    id: &Identity,
    req: &Request,
    region: &str,
    now: Timestamp,
) -> KmsCaller {
    let principal = authz::principal_of(world, id);
    let mut set = PolicySet::default();
    let account = id.account.as_deref().and_then(|a| world.accounts.get(a));
    // Parsed once, like every policy of the world (not again for each KMS call).
    let parse = |name: String, doc: &serde_json::Value| {
        world
            .policies
            .parsed(doc)
            .ok()
            .map(|p| NamedPolicy::new(name, Policy::clone(&p)))
    };
    // The managed policies attached to an identity count as its identity policies for KMS as
    // they do for S3 (`authz`'s layers gather them the same way).
    let acct = id.account.as_deref().unwrap_or_default();
    let attached = |set: &mut PolicySet, owner: &str, arns: &[String]| {
        for arn in arns {
            if let Some(doc) = crate::managed::document(world, acct, arn) {
                let n = format!(
                    "managed policy `{}` attached to {owner}",
                    crate::managed::name_of(arn)
                );
                set.identity_policies.extend(parse(n, &doc));
            }
        }
    };
    match &id.kind {
        IdentityKind::User { name } => {
            if let Some(u) = account.and_then(|a| a.users.get(name)) {
                for p in &u.policies {
                    set.identity_policies
                        .extend(parse(p.name.clone(), &p.document));
                }
                attached(&mut set, &format!("user `{name}`"), &u.attached_policies);
                for g in &u.groups {
                    if let Some(group) = account.and_then(|a| a.groups.get(g)) {
                        for p in &group.policies {
                            set.identity_policies.extend(parse(
                                format!("identity policy `{}` of group `{g}`", p.name),
                                &p.document,
                            ));
                        }
                        attached(&mut set, &format!("group `{g}`"), &group.attached_policies);
                    }
                }
                set.permissions_boundary = u
                    .permissions_boundary
                    .as_ref()
                    .and_then(|b| parse("permissions boundary".to_owned(), b));
            }
        }
        IdentityKind::RoleSession { role, session } => {
            if let Some(r) = account.and_then(|a| a.roles.get(role)) {
                for p in &r.policies {
                    set.identity_policies
                        .extend(parse(p.name.clone(), &p.document));
                }
                attached(&mut set, &format!("role `{role}`"), &r.attached_policies);
                set.permissions_boundary = r
                    .permissions_boundary
                    .as_ref()
                    .and_then(|b| parse("permissions boundary".to_owned(), b));
                set.session_policy = r
                    .sessions
                    .iter()
                    .find(|s| &s.name == session)
                    .and_then(|s| s.session_policy.as_ref())
                    .and_then(|p| parse("session policy".to_owned(), p));
            }
        }
        IdentityKind::Root | IdentityKind::Anonymous | IdentityKind::Service { .. } => {}
    }
    if let Some(scp) = account
        .and_then(|a| a.scp.as_ref())
        .and_then(|d| parse("service control policy".to_owned(), d))
    {
        set.scps.push(scp);
    }
    let mut caller = KmsCaller::new(principal, region, now.epoch_seconds()).with_policies(set);
    for (k, v) in authz::global_keys(world, id, req, now) {
        caller.context.insert_name(k, ContextValue::from(v));
    }
    caller
}

/// The trace step for one KMS call S3 made on the caller's behalf.
pub(crate) fn kms_step<T>(response: &KmsResponse<T>, key: &str) -> GateStep {
    let action = response.operation.action();
    let (outcome, text) = match &response.result {
        Ok(_) => (
            StepOutcome::Allow,
            format!(
                "KMS allows `{action}` on `{key}`: {}",
                response.trace.join("; ")
            ),
        ),
        Err(e) => {
            let outcome = match response.authorization.as_ref().map(|a| a.decision) {
                Some(Decision::ExplicitDeny) => StepOutcome::ExplicitDeny,
                Some(Decision::ImplicitDeny) => StepOutcome::ImplicitDeny,
                _ => StepOutcome::Reject,
            };
            (
                outcome,
                format!(
                    "KMS refuses `{action}` on `{key}`: {e}; {}",
                    response.trace.join("; ")
                ),
            )
        }
    };
    let mut step = GateStep::new(Gate::KmsKeyPolicy, outcome, text, response.doc_url)
        .action(action)
        .compare("KMS key", key.to_owned())
        .compare(
            "kms:ViaService",
            response.event.via_service.clone().unwrap_or_default(),
        );
    if let Some(ctx) = response.event.request_parameters.get("encryptionContext") {
        step = step.compare("encryption context", ctx.to_string());
    }
    if let Some(a) = &response.authorization {
        step.policy_trace = Some(crate::trace::PolicyTrace::Json(serde_json::json!({
            "decision": format!("{:?}", a.decision),
            "summary": a.summary,
        })));
    }
    step
}

/// The trace step for a Bucket Key lookup: a KMS call, or a cache hit with none.
pub(crate) fn bucket_key_step<T>(
    r: &s3pg_kms::BucketKeyResponse<T>,
    key: &str,
    action: &'static str,
) -> GateStep {
    let (outcome, text) = match (&r.result, r.kms_called) {
        (Ok(_), true) => (
            StepOutcome::Allow,
            format!(
                "KMS allows `{action}` for the bucket-level key: {}",
                r.trace.join("; ")
            ),
        ),
        (Ok(_), false) => (
            StepOutcome::Info,
            format!("S3 Bucket Key: {}", r.trace.join("; ")),
        ),
        (Err(e), _) => (
            match r.authorization.as_ref().map(|a| a.decision) {
                Some(Decision::ExplicitDeny) => StepOutcome::ExplicitDeny,
                Some(Decision::ImplicitDeny) => StepOutcome::ImplicitDeny,
                _ => StepOutcome::Reject,
            },
            format!(
                "KMS refuses `{action}` for the bucket-level key: {e}; {}",
                r.trace.join("; ")
            ),
        ),
    };
    GateStep::new(Gate::KmsKeyPolicy, outcome, text, docs::BUCKET_KEY)
        .action(action)
        .compare("KMS key", key.to_owned())
        .compare("KMS called", r.kms_called.to_string())
}

//! The IAM policy layers S3 consults for one request, taken from the world (each parsed once,
//! [`crate::policies`]) and handed to `s3pg-policy`'s multi-layer evaluation; and the trace step
//! each layer shows the learner.
//!
//! Follows the IAM evaluation logic
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>).

use std::sync::Arc;

use s3pg_policy::{Effect, LayerEvaluation, Layers, Policy, PolicyEvaluation, PolicyRef};

use crate::model::Bucket;
use crate::request::Request;
use crate::trace::{Gate, GateStep, PolicyTrace, StatementRef, StepOutcome};
use crate::world::{Identity, IdentityKind, World};

/// A policy of the world with the name the trace shows.
pub(super) struct Named {
    name: String,
    policy: Arc<Policy>,
}

impl Named {
    fn lend(&self) -> PolicyRef<'_> {
        PolicyRef::new(&self.name, &self.policy)
    }
}

/// Every policy that may apply to the request, parsed, plus a note for each that could not be
/// read (skipped, as a policy AWS would never have stored).
#[derive(Default)]
pub(super) struct Gathered {
    identity: Vec<Named>,
    boundary: Option<Named>,
    session: Option<Named>,
    scp: Option<Named>,
    pub(super) bucket: Option<Named>,
    vpce: Option<Named>,
    pub(super) notes: Vec<String>,
}

impl Named {
    /// The parsed bucket policy (for Block Public Access's "is it public").
    pub(super) fn policy(&self) -> &Policy {
        &self.policy
    }
}

impl Gathered {
    /// Borrowed for the policy engine.
    pub(super) fn layers(&self) -> Layers<'_> {
        Layers {
            identity_policies: self.identity.iter().map(Named::lend).collect(),
            permissions_boundary: self.boundary.as_ref().map(Named::lend),
            scps: self.scp.iter().map(Named::lend).collect(),
            session_policy: self.session.as_ref().map(Named::lend),
            resource_policy: self.bucket.as_ref().map(Named::lend),
            vpc_endpoint_policy: self.vpce.as_ref().map(Named::lend),
            ..Layers::default()
        }
    }

    fn add(&mut self, world: &World, name: String, doc: &serde_json::Value) -> Option<Named> {
        match world.policies.parsed(doc) {
            Ok(policy) => Some(Named { name, policy }),
            Err(e) => {
                self.notes
                    .push(format!("{name} could not be read and was skipped: {e}"));
                None
            }
        }
    }
}

impl Gathered {
    /// Takes the role's trust policy as the resource-based policy (`sts:AssumeRole`).
    pub(super) fn trust_policy(&mut self, world: &World, account: &str, role: &str) {
        let doc = world
            .accounts
            .get(account)
            .and_then(|a| a.roles.get(role))
            .and_then(|r| r.trust_policy.as_ref());
        if let Some(doc) = doc {
            let doc = crate::managed::trust_policy_for_engine(doc);
            self.bucket = self.add(world, format!("trust policy of role `{role}`"), &doc);
        }
    }

    /// The managed policies attached to an identity, by ARN (customer managed policies of the
    /// account, or the AWS managed policies the playground knows).
    fn attached(&mut self, world: &World, account: &str, owner: &str, arns: &[String]) {
        for arn in arns {
            let doc = crate::managed::document(world, account, arn);
            match doc {
                Some(doc) => {
                    let n = format!(
                        "managed policy `{}` attached to {owner}",
                        crate::managed::name_of(arn)
                    );
                    if let Some(l) = self.add(world, n, &doc) {
                        self.identity.push(l);
                    }
                }
                None => self.notes.push(format!(
                    "managed policy `{arn}` attached to {owner} does not exist and was skipped"
                )),
            }
        }
    }
}

/// Collects the caller's identity policies (its own and its groups', or its role's), boundary,
/// session policy and SCP, the bucket policy and the VPC endpoint policy.
pub(super) fn gather(
    world: &World,
    id: &Identity,
    req: &Request,
    bucket: Option<&Bucket>,
) -> Gathered {
    let mut g = Gathered::default();
    let account = id.account.as_deref().and_then(|a| world.accounts.get(a));
    match &id.kind {
        IdentityKind::User { name } => {
            if let Some(u) = account.and_then(|a| a.users.get(name)) {
                for p in &u.policies {
                    let n = format!("identity policy `{}` of user `{name}`", p.name);
                    if let Some(l) = g.add(world, n, &p.document) {
                        g.identity.push(l);
                    }
                }
                let acct = id.account.as_deref().unwrap_or_default();
                g.attached(world, acct, &format!("user `{name}`"), &u.attached_policies);
                for gname in &u.groups {
                    if let Some(group) = account.and_then(|a| a.groups.get(gname)) {
                        for p in &group.policies {
                            let n = format!("identity policy `{}` of group `{gname}`", p.name);
                            if let Some(l) = g.add(world, n, &p.document) {
                                g.identity.push(l);
                            }
                        }
                        let owner = format!("group `{gname}`");
                        g.attached(world, acct, &owner, &group.attached_policies);
                    }
                }
                if let Some(b) = &u.permissions_boundary {
                    g.boundary = g.add(world, format!("permissions boundary of user `{name}`"), b);
                }
            }
        }
        IdentityKind::RoleSession { role, session } => {
            if let Some(r) = account.and_then(|a| a.roles.get(role)) {
                for p in &r.policies {
                    let n = format!("identity policy `{}` of role `{role}`", p.name);
                    if let Some(l) = g.add(world, n, &p.document) {
                        g.identity.push(l);
                    }
                }
                let acct = id.account.as_deref().unwrap_or_default();
                g.attached(world, acct, &format!("role `{role}`"), &r.attached_policies);
                if let Some(b) = &r.permissions_boundary {
                    g.boundary = g.add(world, format!("permissions boundary of role `{role}`"), b);
                }
                if let Some(s) = r
                    .sessions
                    .iter()
                    .find(|s| &s.name == session)
                    .and_then(|s| s.session_policy.as_ref())
                {
                    g.session = g.add(world, format!("session policy of `{session}`"), s);
                }
            }
        }
        IdentityKind::Root | IdentityKind::Anonymous | IdentityKind::Service { .. } => {}
    }
    if let Some(d) = account.and_then(|a| a.scp.as_ref()) {
        g.scp = g.add(world, "service control policy".to_owned(), d);
    }
    if let Some(d) = bucket.and_then(|b| b.policy.as_ref()) {
        g.bucket = g.add(world, "bucket policy".to_owned(), d);
    }
    if let Some(vid) = &req.network.vpc_endpoint
        && let Some(d) = world.vpc_endpoints.get(vid).and_then(|e| e.policy.as_ref())
    {
        g.vpce = g.add(world, format!("VPC endpoint policy of `{vid}`"), d);
    }
    g
}

/// One layer's evaluated policies, as the engine returned them.
pub(super) type Evaluated<'a> = [(PolicyRef<'a>, PolicyEvaluation)];

/// Trace references to statements `indices` of one evaluated policy.
pub(super) fn refs(
    (p, e): &(PolicyRef<'_>, PolicyEvaluation),
    indices: &[usize],
    gate_effect: Effect,
) -> Vec<StatementRef> {
    indices
        .iter()
        .filter_map(|i| e.statements.get(*i))
        .map(|st| StatementRef {
            policy: p.name.to_owned(),
            sid: st
                .sid
                .as_deref()
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
            index: st.index,
            effect: match gate_effect {
                Effect::Allow => "Allow",
                Effect::Deny => "Deny",
            }
            .to_owned(),
            principal_match: st
                .principal
                .as_ref()
                .and_then(|p| p.principal_match)
                .map(|m| m.describe().to_owned()),
        })
        .collect()
}

/// The first applying `Deny` of a layer.
pub(super) fn first_deny(evals: &Evaluated<'_>) -> Option<StatementRef> {
    evals
        .iter()
        .find_map(|e| refs(e, &e.1.denies, Effect::Deny).into_iter().next())
}

/// The first applying `Allow` of a layer.
pub(super) fn first_allow(evals: &Evaluated<'_>) -> Option<StatementRef> {
    evals
        .iter()
        .find_map(|e| refs(e, &e.1.allows, Effect::Allow).into_iter().next())
}

/// `verdict` then why statement `index` of the policy applies, in one string (joined, not
/// formatted: a policy step is on every request's path).
fn because(verdict: &str, (p, e): &(PolicyRef<'_>, PolicyEvaluation), index: usize) -> String {
    let mut text = String::with_capacity(160);
    text.push_str(verdict);
    if let Some(st) = e.statements.get(index) {
        text.push_str("statement ");
        // The statement's label (`Sid` in backticks, or `#N`), as `StatementEvaluation::label`.
        match st.sid.as_deref().filter(|s| !s.is_empty()) {
            Some(sid) => {
                text.push('`');
                text.push_str(sid);
                text.push('`');
            }
            None => text.push_str(&st.label()),
        }
        text.push_str(" of the ");
        text.push_str(p.name);
        text.push_str(" applies");
        if let Some(b) = st.because() {
            text.push_str(": ");
            text.push_str(&b);
        }
    }
    text
}

/// Whether any policy of the layer has an applying `Deny` / `Allow`.
pub(super) fn verdicts(evals: &Evaluated<'_>) -> (bool, bool) {
    (
        evals.iter().any(|(_, e)| e.denies()),
        evals.iter().any(|(_, e)| e.allows()),
    )
}

/// The trace step of one policy layer: what it concluded, the statements that applied, and the
/// engine's own per-statement trace.
pub(super) fn layer_step(
    gate: Gate,
    action: &'static str,
    evals: &Evaluated<'_>,
    empty: &str,
    doc: &'static str,
) -> GateStep {
    let (denies, allows) = verdicts(evals);
    let mut statements = Vec::new();
    for e in evals {
        statements.extend(refs(e, &e.1.denies, Effect::Deny));
        statements.extend(refs(e, &e.1.allows, Effect::Allow));
    }
    let (outcome, text) = if evals.is_empty() {
        (StepOutcome::NotApplicable, empty.to_owned())
    } else if denies {
        let text = evals
            .iter()
            .find(|e| e.1.denies())
            .and_then(|e| {
                e.1.denies
                    .first()
                    .map(|i| because("explicit deny: ", e, *i))
            })
            .unwrap_or_else(|| "explicit deny: ".to_owned());
        (StepOutcome::ExplicitDeny, text)
    } else if allows {
        let text = evals
            .iter()
            .find(|e| e.1.allows())
            .and_then(|e| e.1.allows.first().map(|i| because("allowed: ", e, *i)))
            .unwrap_or_else(|| "allowed: ".to_owned());
        (StepOutcome::Allow, text)
    } else {
        let names: Vec<String> = evals.iter().map(|e| format!("the {}", e.0.name)).collect();
        (
            StepOutcome::ImplicitDeny,
            format!(
                "no statement of {} applies to `{action}` on this resource (no grant here)",
                names.join(", ")
            ),
        )
    };
    let mut step = GateStep::new(gate, outcome, text, doc).action(action);
    step.statements = statements;
    step
}

/// Hands each policy step the engine's evaluations it showed, moved (not copied) once the
/// decision is made: the step of each layer gate gets that layer's policies.
pub(super) fn attach_traces(steps: &mut [GateStep], ev: LayerEvaluation<'_>) {
    let LayerEvaluation {
        scps,
        vpc_endpoint,
        identity,
        boundary,
        session,
        resource,
        ..
    } = ev;
    let named = |v: Vec<(PolicyRef<'_>, PolicyEvaluation)>| {
        (!v.is_empty()).then(|| {
            PolicyTrace::Evaluated(v.into_iter().map(|(p, e)| (p.name.to_owned(), e)).collect())
        })
    };
    let mut by_gate = [
        (Gate::ServiceControlPolicy, named(scps)),
        (Gate::VpcEndpointPolicy, named(vpc_endpoint)),
        (Gate::IdentityPolicy, named(identity)),
        (Gate::PermissionsBoundary, named(boundary)),
        (Gate::SessionPolicy, named(session)),
        (Gate::BucketPolicy, named(resource)),
    ];
    for step in steps.iter_mut() {
        if let Some((_, trace)) = by_gate.iter_mut().find(|(g, _)| *g == step.gate)
            && step.policy_trace.is_none()
        {
            step.policy_trace = trace.take();
        }
    }
}

//! The full decision over every policy layer that applies to a request.
//!
//! Follows IAM UG `reference_policies_evaluation-logic.md` (and its cross-account page
//! `reference_policies_evaluation-logic-cross-account.md`), as summarised in reference §1.3–§1.4:
//! an explicit `Deny` in any layer wins; every cap layer present (SCPs, RCPs, the VPC endpoint
//! policy) must allow; then a grant is needed — from the identity side (identity policies ∩
//! permissions boundary ∩ session policy) or, in the same account, from a resource-policy
//! statement that names the caller directly; across accounts both sides must allow.
//! ACLs, Block Public Access and object ownership are S3's business and live in `s3pg-sim`.

use std::borrow::Cow;

use serde::Serialize;

use crate::ast::{Effect, Policy};
use crate::context::{ContextKeys, Principal, RequestContext};
use crate::evaluate::{PolicyEvaluation, PolicyOptions, PrincipalMatch, evaluate_policy_for};
use crate::facts::policy_facts;

/// The answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
pub enum Decision {
    /// Allowed.
    Allow,
    /// A matching `Deny` statement: overrides every `Allow`.
    ExplicitDeny,
    /// Nothing allowed it (or a cap layer did not): denied by default.
    ImplicitDeny,
}

/// The kinds of policy that take part in a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Layer {
    /// AWS Organizations service control policies of the caller's account.
    Scp,
    /// AWS Organizations resource control policies of the resource's account.
    Rcp,
    /// The policy of the VPC endpoint the request went through.
    VpcEndpoint,
    /// Identity-based policies of the user (its own and its groups') or role.
    Identity,
    /// The permissions boundary of the user or role.
    PermissionsBoundary,
    /// The session policy passed when the session was created.
    Session,
    /// The resource-based policy (bucket policy, key policy, vault policy).
    Resource,
}

impl Layer {
    /// The policy type as AWS's AccessDenied messages name it (`identity-based`, …).
    pub fn aws_policy_type(self) -> &'static str {
        match self {
            Layer::Scp => "service control",
            Layer::Rcp => "resource control",
            Layer::VpcEndpoint => "VPC endpoint",
            Layer::Identity => "identity-based",
            Layer::PermissionsBoundary => "permissions boundary",
            Layer::Session => "session",
            Layer::Resource => "resource-based",
        }
    }

    /// How the layer is named in sentences.
    pub fn describe(self) -> &'static str {
        match self {
            Layer::Scp => "the service control policies",
            Layer::Rcp => "the resource control policies",
            Layer::VpcEndpoint => "the VPC endpoint policy",
            Layer::Identity => "the identity-based policies",
            Layer::PermissionsBoundary => "the permissions boundary",
            Layer::Session => "the session policy",
            Layer::Resource => "the resource-based policy",
        }
    }

    /// The trace note of a layer with no policy (`… — none`) or that takes part
    /// (`… — evaluated`): fixed text, so a trace allocates none.
    fn status_note(self, evaluated: bool) -> &'static str {
        if evaluated {
            match self {
                Layer::Scp => "the service control policies — evaluated",
                Layer::Rcp => "the resource control policies — evaluated",
                Layer::VpcEndpoint => "the VPC endpoint policy — evaluated",
                Layer::Identity => "the identity-based policies — evaluated",
                Layer::PermissionsBoundary => "the permissions boundary — evaluated",
                Layer::Session => "the session policy — evaluated",
                Layer::Resource => "the resource-based policy — evaluated",
            }
        } else {
            match self {
                Layer::Scp => "the service control policies — none",
                Layer::Rcp => "the resource control policies — none",
                Layer::VpcEndpoint => "the VPC endpoint policy — none",
                Layer::Identity => "the identity-based policies — none",
                Layer::PermissionsBoundary => "the permissions boundary — none",
                Layer::Session => "the session policy — none",
                Layer::Resource => "the resource-based policy — none",
            }
        }
    }
}

/// A policy with the name shown in traces.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedPolicy {
    /// Name (`alice-inline`, `bucket policy`).
    pub name: String,
    /// The policy.
    pub policy: Policy,
}

impl NamedPolicy {
    /// Names a policy.
    pub fn new(name: impl Into<String>, policy: Policy) -> Self {
        NamedPolicy {
            name: name.into(),
            policy,
        }
    }
}

/// Every policy that may apply to a request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PolicySet {
    /// The caller's identity policies (a user's own and its groups', or the role's).
    pub identity_policies: Vec<NamedPolicy>,
    /// The caller's permissions boundary.
    pub permissions_boundary: Option<NamedPolicy>,
    /// SCPs attached to the caller's account itself, as one level: together they must allow.
    pub scps: Vec<NamedPolicy>,
    /// SCPs attached above the account — the organization root, then each OU — one `Vec` per
    /// level. Every non-empty level must allow on its own (AWS Organizations UG
    /// `orgs_manage_policies_scps_evaluation.md`): an allow-list at an OU caps a
    /// `FullAWSAccess` at the root.
    pub scp_levels: Vec<Vec<NamedPolicy>>,
    /// RCPs that apply to the resource's account, as one level: together they must allow.
    pub rcps: Vec<NamedPolicy>,
    /// The session policy of a role or federated session.
    pub session_policy: Option<NamedPolicy>,
    /// The resource-based policy (e.g. the bucket policy).
    pub resource_policy: Option<NamedPolicy>,
    /// The VPC endpoint policy, if the request went through an endpoint.
    pub vpc_endpoint_policy: Option<NamedPolicy>,
}

/// Points at one statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementRef {
    /// The layer.
    pub layer: Layer,
    /// The policy's name.
    pub policy: String,
    /// The statement's `Sid`.
    pub sid: Option<String>,
    /// 0-based index in the policy.
    pub index: usize,
    /// The statement's effect.
    pub effect: Effect,
}

/// The evaluation of one policy inside a layer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyTrace {
    /// The policy's name.
    pub name: String,
    /// The per-statement evaluation.
    #[serde(flatten)]
    pub evaluation: PolicyEvaluation,
}

/// One layer of the trace.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayerTrace {
    /// Which layer.
    pub layer: Layer,
    /// Whether the layer takes part for this caller (e.g. identity policies do not for root).
    pub considered: bool,
    /// Why it is or is not considered, and what it contributed.
    pub note: Cow<'static, str>,
    /// The policies, in order.
    pub policies: Vec<PolicyTrace>,
}

/// One gate of the decision procedure, in the order AWS documents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gate {
    /// What is checked (`explicit deny`, `service control policies`, `grant`).
    pub check: Cow<'static, str>,
    /// Whether the request passed.
    pub passed: bool,
    /// One sentence.
    pub explanation: String,
}

/// Why a request was denied (for S3's detailed `AccessDenied` messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Denial {
    /// Explicit (a `Deny` statement) or implicit (nothing allowed).
    pub explicit: bool,
    /// The layer responsible.
    pub layer: Layer,
}

impl Denial {
    /// The reason clause of S3's detailed message: ``with an explicit deny in a resource-based
    /// policy`` / ``because no identity-based policy allows the s3:GetObject action``
    /// (S3 UG `troubleshoot-403-errors.md`).
    pub fn aws_reason(&self, action: &str) -> String {
        let t = self.layer.aws_policy_type();
        // AWS says "permissions boundary", not "permissions boundary policy".
        let kind = match self.layer {
            Layer::PermissionsBoundary => t.to_string(),
            _ => format!("{t} policy"),
        };
        if self.explicit {
            let article = if t.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            };
            format!("with an explicit deny in {article} {kind}")
        } else {
            format!("because no {kind} allows the {action} action")
        }
    }
}

/// The whole answer: decision, determining statements, ordered trace, summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// The decision.
    pub decision: Decision,
    /// The statements that decided: the applying `Deny`s for an explicit deny, the `Allow`s that
    /// granted for an allow, none for an implicit deny.
    pub determining: Vec<StatementRef>,
    /// The decision procedure step by step.
    pub gates: Vec<Gate>,
    /// The ordered trace: every layer → policy → statement, in evaluation order.
    pub trace: Vec<LayerTrace>,
    /// For denials: the responsible layer.
    pub denial: Option<Denial>,
    /// How the resource policy matched the caller, if one of its `Allow`s applied.
    pub principal_match: Option<PrincipalMatch>,
    /// One plain-language sentence.
    pub summary: String,
}

/// A policy borrowed for one evaluation: callers that keep their policies parsed (the S3 world
/// parses each policy once, when it is put) lend them instead of cloning.
#[derive(Debug, Clone, Copy)]
pub struct PolicyRef<'a> {
    /// Name shown in traces.
    pub name: &'a str,
    /// The parsed policy.
    pub policy: &'a Policy,
}

impl<'a> PolicyRef<'a> {
    /// Lends `policy` under `name`.
    pub fn new(name: &'a str, policy: &'a Policy) -> Self {
        PolicyRef { name, policy }
    }
}

impl<'a> From<&'a NamedPolicy> for PolicyRef<'a> {
    fn from(p: &'a NamedPolicy) -> Self {
        PolicyRef {
            name: &p.name,
            policy: &p.policy,
        }
    }
}

/// [`PolicySet`] borrowed: every policy that may apply to a request, layer by layer.
#[derive(Debug, Clone, Default)]
pub struct Layers<'a> {
    /// The caller's identity policies.
    pub identity_policies: Vec<PolicyRef<'a>>,
    /// The caller's permissions boundary.
    pub permissions_boundary: Option<PolicyRef<'a>>,
    /// SCPs attached to the caller's account (one level).
    pub scps: Vec<PolicyRef<'a>>,
    /// SCP levels above the account.
    pub scp_levels: Vec<Vec<PolicyRef<'a>>>,
    /// RCPs of the resource's account.
    pub rcps: Vec<PolicyRef<'a>>,
    /// The session policy.
    pub session_policy: Option<PolicyRef<'a>>,
    /// The resource-based policy.
    pub resource_policy: Option<PolicyRef<'a>>,
    /// The VPC endpoint policy.
    pub vpc_endpoint_policy: Option<PolicyRef<'a>>,
}

impl PolicySet {
    /// The set, borrowed.
    pub fn layers(&self) -> Layers<'_> {
        Layers {
            identity_policies: self.identity_policies.iter().map(PolicyRef::from).collect(),
            permissions_boundary: self.permissions_boundary.as_ref().map(PolicyRef::from),
            scps: self.scps.iter().map(PolicyRef::from).collect(),
            scp_levels: self
                .scp_levels
                .iter()
                .map(|l| l.iter().map(PolicyRef::from).collect())
                .collect(),
            rcps: self.rcps.iter().map(PolicyRef::from).collect(),
            session_policy: self.session_policy.as_ref().map(PolicyRef::from),
            resource_policy: self.resource_policy.as_ref().map(PolicyRef::from),
            vpc_endpoint_policy: self.vpc_endpoint_policy.as_ref().map(PolicyRef::from),
        }
    }
}

/// A layer's policies with their evaluations.
pub type Evaluated<'a> = [(PolicyRef<'a>, PolicyEvaluation)];

/// Every layer evaluated once, and what the layers establish before any decision table combines
/// them: the facts both [`evaluate`] (IAM's table) and the S3 world (IAM's layers plus S3's own
/// gates) decide from. Layers that do not take part for this caller are evaluated too, so the
/// trace can show them.
#[derive(Debug, Clone)]
pub struct LayerEvaluation<'a> {
    /// SCPs of every level, in order.
    pub scps: Vec<(PolicyRef<'a>, PolicyEvaluation)>,
    /// RCPs.
    pub rcps: Vec<(PolicyRef<'a>, PolicyEvaluation)>,
    /// The VPC endpoint policy.
    pub vpc_endpoint: Vec<(PolicyRef<'a>, PolicyEvaluation)>,
    /// Identity policies.
    pub identity: Vec<(PolicyRef<'a>, PolicyEvaluation)>,
    /// The permissions boundary.
    pub boundary: Vec<(PolicyRef<'a>, PolicyEvaluation)>,
    /// The session policy.
    pub session: Vec<(PolicyRef<'a>, PolicyEvaluation)>,
    /// The resource-based policy.
    pub resource: Vec<(PolicyRef<'a>, PolicyEvaluation)>,
    /// Every non-empty SCP level allows.
    pub scp_levels_allow: bool,
    /// SCPs take part (present, and the caller belongs to an account).
    pub scp_applies: bool,
    /// Identity policies take part (a user or a session; never root or anonymous).
    pub identity_applies: bool,
    /// The session policy takes part.
    pub session_applies: bool,
    /// The boundary does not stand in the way of identity grants.
    pub boundary_ok: bool,
    /// The session policy does not stand in the way of identity grants.
    pub session_ok: bool,
    /// The caller is an account's root user.
    pub is_root: bool,
}

fn any_allow(v: &Evaluated<'_>) -> bool {
    v.iter().any(|(_, e)| e.allows())
}

impl<'a> LayerEvaluation<'a> {
    /// The layers in AWS's order with whether each takes part.
    pub fn considered(&self) -> [(Layer, bool, &Evaluated<'a>); 7] {
        [
            (Layer::Scp, self.scp_applies, self.scps.as_slice()),
            (Layer::Rcp, !self.rcps.is_empty(), self.rcps.as_slice()),
            (
                Layer::VpcEndpoint,
                !self.vpc_endpoint.is_empty(),
                self.vpc_endpoint.as_slice(),
            ),
            (
                Layer::Identity,
                self.identity_applies,
                self.identity.as_slice(),
            ),
            (
                Layer::PermissionsBoundary,
                self.identity_applies && !self.boundary.is_empty(),
                self.boundary.as_slice(),
            ),
            (
                Layer::Session,
                self.session_applies,
                self.session.as_slice(),
            ),
            (
                Layer::Resource,
                !self.resource.is_empty(),
                self.resource.as_slice(),
            ),
        ]
    }

    /// Every applying `Deny` of the layers that take part, in layer order.
    pub fn explicit_denies(&self) -> Vec<StatementRef> {
        let mut out = Vec::new();
        for (layer, considered, pols) in self.considered() {
            if !considered {
                continue;
            }
            for (p, e) in pols {
                for &i in &e.denies {
                    out.push(stmt_ref(layer, *p, e, i));
                }
            }
        }
        out
    }

    /// Whether a cap layer (SCPs, RCPs, VPC endpoint policy) takes part and allows.
    pub fn cap_allows(&self, layer: Layer) -> bool {
        match layer {
            Layer::Scp => !self.scp_applies || self.scp_levels_allow,
            Layer::Rcp => self.rcps.is_empty() || any_allow(&self.rcps),
            Layer::VpcEndpoint => self.vpc_endpoint.is_empty() || any_allow(&self.vpc_endpoint),
            _ => true,
        }
    }

    /// The first cap layer that does not allow.
    pub fn cap_failure(&self) -> Option<Layer> {
        [Layer::Scp, Layer::Rcp, Layer::VpcEndpoint]
            .into_iter()
            .find(|l| !self.cap_allows(*l))
    }

    /// The identity policies' applying `Allow` statements.
    pub fn identity_allows(&self) -> Vec<StatementRef> {
        self.identity
            .iter()
            .flat_map(|(p, e)| {
                e.allows
                    .iter()
                    .map(move |&i| stmt_ref(Layer::Identity, *p, e, i))
            })
            .collect()
    }

    /// The caller's own account allows it: root, or an identity `Allow` that the boundary and the
    /// session policy let through.
    pub fn identity_allow(&self) -> bool {
        self.is_root
            || (self.identity_applies
                && any_allow(&self.identity)
                && self.boundary_ok
                && self.session_ok)
    }

    /// Whether a resource-policy `Allow` whose principal matched as `m` grants the caller on its
    /// own in the caller's account: it must name the caller (not its account), and unless it
    /// names the exact user or session ARN the boundary and session policy still cap it.
    pub fn direct_grant(&self, m: Option<PrincipalMatch>) -> bool {
        match m {
            None => false,
            Some(m) if !m.is_direct() => false,
            Some(m) if m.bypasses_boundary_and_session() => true,
            Some(_) => self.boundary_ok && self.session_ok,
        }
    }
}

/// Evaluates every layer of `layers` once against `request` with context `keys`.
pub fn evaluate_layers<'a>(
    request: &RequestContext,
    keys: &ContextKeys,
    layers: &Layers<'a>,
) -> LayerEvaluation<'a> {
    layers_with(request, keys, layers, evaluate_policy_for)
}

/// [`evaluate_layers`] without the statements' traces (each policy's `statements` is empty):
/// enough for [`decide`], and cheaper, for callers that never show the trace.
pub fn evaluate_layers_untraced<'a>(
    request: &RequestContext,
    keys: &ContextKeys,
    layers: &Layers<'a>,
) -> LayerEvaluation<'a> {
    layers_with(request, keys, layers, policy_facts)
}

/// How one policy is evaluated: with its trace or without.
type PolicyEvaluator =
    fn(&Policy, &crate::evaluate::Caller<'_>, &ContextKeys, PolicyOptions) -> PolicyEvaluation;

fn layers_with<'a>(
    request: &RequestContext,
    keys: &ContextKeys,
    layers: &Layers<'a>,
    evaluate_policy: PolicyEvaluator,
) -> LayerEvaluation<'a> {
    let options = PolicyOptions {
        principal_has_boundary: layers.permissions_boundary.is_some(),
    };
    let caller = crate::evaluate::Caller::new(request);
    let run = |p: &PolicyRef<'a>| (*p, evaluate_policy(p.policy, &caller, keys, options));
    let principal = &request.principal;
    let has_identity = matches!(
        principal,
        Principal::User { .. } | Principal::AssumedRole { .. } | Principal::FederatedUser { .. }
    );
    // SCP levels: the account's own and those above it; each non-empty level must allow.
    let mut scps = Vec::new();
    let mut scp_levels_allow = true;
    for level in std::iter::once(&layers.scps).chain(layers.scp_levels.iter()) {
        if level.is_empty() {
            continue;
        }
        let evaluated: Vec<_> = level.iter().map(run).collect();
        scp_levels_allow &= any_allow(&evaluated);
        scps.extend(evaluated);
    }
    let identity: Vec<_> = layers.identity_policies.iter().map(run).collect();
    let boundary: Vec<_> = layers.permissions_boundary.iter().map(run).collect();
    let session: Vec<_> = layers.session_policy.iter().map(run).collect();
    let session_applies = !session.is_empty() && has_identity;
    let boundary_ok = !has_identity || boundary.is_empty() || any_allow(&boundary);
    let session_ok = !session_applies || any_allow(&session);
    LayerEvaluation {
        scp_applies: !scps.is_empty() && principal.account().is_some(),
        scps,
        rcps: layers.rcps.iter().map(run).collect(),
        vpc_endpoint: layers.vpc_endpoint_policy.iter().map(run).collect(),
        identity,
        boundary,
        session,
        resource: layers.resource_policy.iter().map(run).collect(),
        scp_levels_allow,
        identity_applies: has_identity,
        session_applies,
        boundary_ok,
        session_ok,
        is_root: matches!(principal, Principal::Root { .. }),
    }
}

fn trace_layer(
    layer: Layer,
    considered: bool,
    note: Cow<'static, str>,
    policies: Vec<(PolicyRef<'_>, PolicyEvaluation)>,
) -> LayerTrace {
    LayerTrace {
        layer,
        considered,
        note,
        policies: policies
            .into_iter()
            .map(|(p, e)| PolicyTrace {
                name: p.name.to_owned(),
                evaluation: e,
            })
            .collect(),
    }
}

/// Evaluates `request` against every layer of `set` (reference §1.3–§1.4).
pub fn evaluate(request: &RequestContext, set: &PolicySet) -> Evaluation {
    let keys = request.effective_keys();
    let layers = set.layers();
    evaluate_with(request, evaluate_layers(request, &keys, &layers))
}

/// IAM's decision table as facts, before any sentence: the applying `Deny`s of the layers that
/// take part, the first cap layer that does not allow, and the grant.
struct Table {
    denies: Vec<StatementRef>,
    cap_failure: Option<Layer>,
    grant: Grant,
}

impl Table {
    fn new(request: &RequestContext, ev: &LayerEvaluation<'_>) -> Self {
        Table {
            denies: ev.explicit_denies(),
            cap_failure: ev.cap_failure(),
            grant: grant(request, ev),
        }
    }

    fn decision(&self) -> Decision {
        match (self.denies.is_empty(), self.cap_failure, self.grant.granted) {
            // An explicit deny anywhere overrides every allow.
            (false, _, _) => Decision::ExplicitDeny,
            // No deny, no cap layer in the way, and a grant.
            (true, None, true) => Decision::Allow,
            // A cap layer that does not allow, or nothing granted: denied by default.
            (true, Some(_), _) | (true, None, false) => Decision::ImplicitDeny,
        }
    }
}

/// The decision and the statements that determined it, without the gates, the summary or the
/// trace: for callers that never show a sentence (`s3pg eval --output decision`). Always the
/// `decision` and `determining` that [`evaluate_with`] returns for the same layers.
pub fn decide(request: &RequestContext, ev: &LayerEvaluation<'_>) -> (Decision, Vec<StatementRef>) {
    let table = Table::new(request, ev);
    let decision = table.decision();
    let determining = match decision {
        Decision::ExplicitDeny => table.denies,
        Decision::ImplicitDeny => Vec::new(),
        Decision::Allow => table.grant.stmts,
    };
    (decision, determining)
}

/// IAM's decision table over layers already evaluated ([`evaluate_layers`]): explicit deny
/// first, then the cap layers, then the grant (by principal kind and account), each a gate with
/// its sentence, then the summary and the per-layer trace.
pub fn evaluate_with(request: &RequestContext, ev: LayerEvaluation<'_>) -> Evaluation {
    let action = &request.action;
    let table = Table::new(request, &ev);
    let decision = table.decision();
    let layers_considered = ev.considered();
    // 1. Explicit deny anywhere.
    let mut gates = Vec::with_capacity(5);
    gates.push(deny_gate(table.denies.first()));
    // 2. Cap layers.
    cap_gates(&ev, &layers_considered, action, &mut gates);
    // 3. Grant.
    let grant_explanation = table.grant.explanation(&request.principal, action);
    let (granted, principal_match) = (table.grant.granted, table.grant.principal_match);
    let (denial, summary, determining) = conclusion(
        request,
        decision,
        &layers_considered,
        table,
        &grant_explanation,
    );
    gates.push(Gate {
        check: Cow::Borrowed("grant"),
        passed: granted,
        explanation: grant_explanation,
    });
    let flags: Vec<(Layer, bool)> = layers_considered.iter().map(|(l, c, _)| (*l, *c)).collect();
    let trace = layer_traces(&request.principal, ev, flags);
    Evaluation {
        decision,
        determining,
        gates,
        trace,
        denial,
        principal_match,
        summary,
    }
}

/// The explicit-deny gate.
fn deny_gate(deny_first: Option<&StatementRef>) -> Gate {
    Gate {
        check: Cow::Borrowed("explicit deny"),
        passed: deny_first.is_none(),
        explanation: match deny_first {
            Some(r) => {
                let mut s = String::with_capacity(128);
                s.push_str("statement ");
                push_label(&mut s, r);
                s.push_str(" of ");
                push_policy_name(&mut s, r);
                s.push_str(
                    " explicitly denies the request; an explicit deny overrides every allow",
                );
                s
            }
            None => "no statement in any policy explicitly denies the request".into(),
        },
    }
}

/// The cap layers' gates (SCPs, RCPs, VPC endpoint policy) that take part.
fn cap_gates(
    ev: &LayerEvaluation<'_>,
    layers_considered: &[(Layer, bool, &Evaluated<'_>)],
    action: &str,
    gates: &mut Vec<Gate>,
) {
    for (layer, considered, _) in layers_considered.iter().take(3) {
        if !considered {
            continue;
        }
        let ok = ev.cap_allows(*layer);
        let describe = layer.describe();
        let mut explanation = String::with_capacity(96);
        explanation.push_str(describe);
        if ok {
            push_all(&mut explanation, &[" allow `", action, "`"]);
        } else {
            push_all(
                &mut explanation,
                &[
                    " do not allow `",
                    action,
                    "`: they cap what any other policy can grant",
                ],
            );
        }
        gates.push(Gate {
            check: Cow::Borrowed(describe.trim_start_matches("the ")),
            passed: ok,
            explanation,
        });
    }
}

fn push_all(s: &mut String, parts: &[&str]) {
    for p in parts {
        s.push_str(p);
    }
}

/// What the grant gate found: facts only; its sentence is written by [`Grant::explanation`].
struct Grant {
    granted: bool,
    stmts: Vec<StatementRef>,
    reason: GrantReason,
    fail_layer: Layer,
    principal_match: Option<PrincipalMatch>,
}

/// Why the grant gate passed or failed, as the facts its sentence is written from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GrantReason {
    /// An anonymous caller or a service: only a resource-based statement naming it can grant.
    NamedCallerOnly { granted: bool },
    /// The account's root user (identity policies never restrict root).
    Root,
    /// An identity-based policy allows (and the boundary and session policy, when present).
    Identity {
        has_boundary: bool,
        session_applies: bool,
    },
    /// Same account: a resource-based statement naming the caller grants on its own.
    Direct { how: Option<PrincipalMatch> },
    /// An identity-based policy allows, but the permissions boundary does not.
    BoundaryCaps,
    /// An identity-based policy allows, but the session policy does not.
    SessionCaps,
    /// The resource-based policy grants the account, which delegates to identity policies.
    Delegated { how: Option<PrincipalMatch> },
    /// The resource-based policy grants the caller, but the boundary or session policy caps it.
    Capped { how: Option<PrincipalMatch> },
    /// Nothing allows.
    Nothing,
    /// Across accounts both sides must allow.
    CrossAccount {
        identity_allow: bool,
        resource_side: bool,
    },
}

impl Grant {
    /// The grant gate's sentence.
    fn explanation(&self, principal: &Principal, action: &str) -> String {
        let how = |m: Option<PrincipalMatch>| m.map_or("the caller", PrincipalMatch::describe);
        match self.reason {
            GrantReason::NamedCallerOnly { granted: true } => {
                let who = principal.describe();
                format!("the resource-based policy grants {who} directly")
            }
            GrantReason::NamedCallerOnly { granted: false } => {
                let who = principal.describe();
                format!(
                    "{who} has no identity policies, so only a resource-based policy statement that names it (or `*`) can grant access, and none does"
                )
            }
            GrantReason::Root => "the root user of the account is allowed unless something denies it (identity policies never restrict root)".to_string(),
            GrantReason::Identity {
                has_boundary,
                session_applies,
            } => {
                let mut s = "an identity-based policy allows the request".to_string();
                if has_boundary {
                    s.push_str(", and the permissions boundary allows it too");
                }
                if session_applies {
                    s.push_str(", and the session policy allows it too");
                }
                s
            }
            GrantReason::Direct { how: m } => format!(
                "in the same account, a resource-based policy statement that names {} grants access on its own",
                how(m)
            ),
            GrantReason::BoundaryCaps => format!(
                "an identity-based policy allows `{action}`, but the permissions boundary does not, and a boundary caps identity permissions"
            ),
            GrantReason::SessionCaps => format!(
                "an identity-based policy allows `{action}`, but the session policy does not, and a session policy caps the session's permissions"
            ),
            GrantReason::Delegated { how: m } => format!(
                "the resource-based policy grants {}, which delegates to the account: the caller still needs an identity-based policy that allows `{action}`, and none does",
                how(m)
            ),
            GrantReason::Capped { how: m } => format!(
                "the resource-based policy grants {}, but such a grant is still capped by the permissions boundary or session policy, which do not allow `{action}`",
                how(m)
            ),
            GrantReason::Nothing => {
                format!("no identity-based or resource-based policy allows `{action}`")
            }
            GrantReason::CrossAccount {
                identity_allow,
                resource_side,
            } => match (identity_allow, resource_side) {
                (true, true) => "across accounts both sides allow: the caller's identity-based policy and the resource-based policy".to_string(),
                (false, true) => format!("the resource-based policy allows it, but across accounts the caller's own account must also allow `{action}` in an identity-based policy"),
                (true, false) => "the caller's account allows it, but across accounts the resource-based policy of the owning account must also grant it, and none does".to_string(),
                (false, false) => "across accounts both the caller's identity-based policy and the resource-based policy must allow, and neither does".to_string(),
            },
        }
    }
}

/// The grant: for anonymous callers and services only a resource grant naming them; in the
/// same account an identity policy or a direct resource grant; across accounts both sides.
fn grant(request: &RequestContext, ev: &LayerEvaluation<'_>) -> Grant {
    let principal = &request.principal;
    let is_root = ev.is_root;
    let identity_applies = ev.identity_applies;
    let session_applies = ev.session_applies;
    let boundary_ok = ev.boundary_ok;
    let session_ok = ev.session_ok;
    let (identity, boundary, resource_pol) = (&ev.identity, &ev.boundary, &ev.resource);
    let identity_allow_stmts: Vec<StatementRef> = identity
        .iter()
        .flat_map(|(p, e)| {
            e.allows
                .iter()
                .map(move |&i| stmt_ref(Layer::Identity, *p, e, i))
        })
        .collect();
    let identity_allow = is_root
        || (identity_applies && !identity_allow_stmts.is_empty() && boundary_ok && session_ok);
    let res_eval = resource_pol.first().map(|(p, e)| (*p, e));
    let same_account = request.same_account();
    let direct_ok = |m: Option<PrincipalMatch>| match m {
        None => false,
        Some(m) if !m.is_direct() => false,
        Some(m) if m.bypasses_boundary_and_session() => true,
        Some(_) => boundary_ok && session_ok,
    };
    let (direct_stmts, any_res_stmts): (Vec<StatementRef>, Vec<StatementRef>) = match res_eval {
        Some((p, e)) => (
            e.allows_matching(direct_ok)
                .into_iter()
                .map(|i| stmt_ref(Layer::Resource, p, e, i))
                .collect(),
            e.allows
                .iter()
                .map(|&i| stmt_ref(Layer::Resource, p, e, i))
                .collect(),
        ),
        None => (Vec::new(), Vec::new()),
    };
    let principal_match = res_eval.and_then(|(_, e)| e.principal_match);
    let (granted, stmts, reason, fail_layer): (bool, Vec<StatementRef>, GrantReason, Layer) =
        match principal {
            Principal::Anonymous | Principal::Service(_) => {
                let ok = !direct_stmts.is_empty();
                (
                    ok,
                    direct_stmts,
                    GrantReason::NamedCallerOnly { granted: ok },
                    Layer::Resource,
                )
            }
            _ if same_account => same_account_grant(SameAccount {
                is_root,
                identity_allow,
                identity_applies,
                session_applies,
                has_boundary: !boundary.is_empty(),
                boundary_ok,
                session_ok,
                identity_allow_stmts,
                direct_stmts,
                any_res_stmts,
                principal_match,
            }),
            _ => {
                // Cross-account: both the caller's account and the resource's account must allow.
                let resource_side = !any_res_stmts.is_empty();
                let ok = identity_allow && resource_side;
                let reason = GrantReason::CrossAccount {
                    identity_allow,
                    resource_side,
                };
                let layer = if identity_allow {
                    Layer::Resource
                } else {
                    Layer::Identity
                };
                let stmts = if ok {
                    let mut stmts = identity_allow_stmts;
                    stmts.extend(any_res_stmts);
                    stmts
                } else {
                    Vec::new()
                };
                (ok, stmts, reason, layer)
            }
        };
    Grant {
        granted,
        stmts,
        reason,
        fail_layer,
        principal_match,
    }
}

/// What the same-account grant reads.
struct SameAccount {
    is_root: bool,
    identity_allow: bool,
    identity_applies: bool,
    session_applies: bool,
    has_boundary: bool,
    boundary_ok: bool,
    session_ok: bool,
    identity_allow_stmts: Vec<StatementRef>,
    direct_stmts: Vec<StatementRef>,
    any_res_stmts: Vec<StatementRef>,
    principal_match: Option<PrincipalMatch>,
}

/// In the same account: an identity-based policy, or a resource-based statement naming the
/// caller directly, grants on its own.
fn same_account_grant(s: SameAccount) -> (bool, Vec<StatementRef>, GrantReason, Layer) {
    let SameAccount {
        is_root,
        identity_allow,
        identity_applies,
        session_applies,
        has_boundary,
        boundary_ok,
        session_ok,
        identity_allow_stmts,
        direct_stmts,
        any_res_stmts,
        principal_match,
    } = s;
    if identity_allow {
        let reason = if is_root {
            GrantReason::Root
        } else {
            GrantReason::Identity {
                has_boundary,
                session_applies,
            }
        };
        let mut stmts = identity_allow_stmts;
        stmts.extend(direct_stmts);
        (true, stmts, reason, Layer::Identity)
    } else if !direct_stmts.is_empty() {
        (
            true,
            direct_stmts,
            GrantReason::Direct {
                how: principal_match,
            },
            Layer::Resource,
        )
    } else {
        let (reason, layer) = same_account_failure(
            identity_applies,
            !identity_allow_stmts.is_empty(),
            boundary_ok,
            session_ok,
            !any_res_stmts.is_empty(),
            principal_match,
        );
        (false, Vec::new(), reason, layer)
    }
}

/// The decision's denial, summary sentence and determining statements.
fn conclusion(
    request: &RequestContext,
    decision: Decision,
    layers_considered: &[(Layer, bool, &Evaluated<'_>)],
    table: Table,
    grant_explanation: &str,
) -> (Option<Denial>, String, Vec<StatementRef>) {
    let (action, resource) = (&request.action, &request.resource);
    match decision {
        Decision::ExplicitDeny => {
            let first = table.denies.first();
            let summary = match first {
                Some(r) => {
                    let because = find_trace(layers_considered, r)
                        .and_then(|t| t.because())
                        .map(|b| format!(" because {b}"))
                        .unwrap_or_default();
                    format!(
                        "Denied: statement {} of {} explicitly denies `{action}` on `{resource}`{because}",
                        label(r),
                        policy_name(r)
                    )
                }
                None => "Denied".into(),
            };
            let denial = first.map(|r| Denial {
                explicit: true,
                layer: r.layer,
            });
            (denial, summary, table.denies)
        }
        Decision::ImplicitDeny => {
            let cap_failure = table.cap_failure;
            let layer = cap_failure.unwrap_or(table.grant.fail_layer);
            let summary = match cap_failure {
                Some(l) => format!(
                    "Denied by default: {} do not allow `{action}` on `{resource}`, and they cap every other grant",
                    l.describe()
                ),
                None => format!("Denied by default: {grant_explanation}"),
            };
            (
                Some(Denial {
                    explicit: false,
                    layer,
                }),
                summary,
                Vec::new(),
            )
        }
        Decision::Allow => {
            let grant_stmts = table.grant.stmts;
            let summary = match grant_stmts.first() {
                Some(r) => {
                    let mut s = String::with_capacity(192);
                    s.push_str("Allowed: statement ");
                    push_label(&mut s, r);
                    s.push_str(" of ");
                    push_policy_name(&mut s, r);
                    push_all(&mut s, &[" allows `", action, "` on `", resource, "` for "]);
                    push_who(&mut s, &request.principal);
                    s.push_str(", and no statement denies it");
                    s
                }
                None => format!("Allowed: {grant_explanation}, and no statement denies it"),
            };
            (None, summary, grant_stmts)
        }
    }
}

/// Every layer's trace, with a note for the layers that do not apply to this caller.
fn layer_traces(
    principal: &Principal,
    ev: LayerEvaluation<'_>,
    flags: Vec<(Layer, bool)>,
) -> Vec<LayerTrace> {
    let is_root = ev.is_root;
    let note = |layer: Layer, considered: bool, present: bool| -> Cow<'static, str> {
        if !present || considered {
            return Cow::Borrowed(layer.status_note(present));
        }
        Cow::Owned(match layer {
            Layer::Identity | Layer::PermissionsBoundary | Layer::Session if is_root => {
                "the root user is not subject to identity policies, boundaries or session policies"
                    .into()
            }
            Layer::Identity | Layer::PermissionsBoundary | Layer::Session => {
                format!(
                    "{} has no IAM identity, so {} do not apply",
                    principal.describe(),
                    layer.describe()
                )
            }
            Layer::Scp => format!(
                "SCPs restrict principals of member accounts; they do not apply to {}",
                principal.describe()
            ),
            _ => [layer.describe(), " do not apply"].concat(),
        })
    };
    let LayerEvaluation {
        scps,
        rcps,
        vpc_endpoint,
        identity,
        boundary,
        session,
        resource,
        ..
    } = ev;
    let evaluated = [
        scps,
        rcps,
        vpc_endpoint,
        identity,
        boundary,
        session,
        resource,
    ];
    flags
        .into_iter()
        .zip(evaluated)
        .map(|((layer, considered), pols)| {
            let present = !pols.is_empty();
            trace_layer(layer, considered, note(layer, considered, present), pols)
        })
        .collect()
}

fn same_account_failure(
    identity_applies: bool,
    identity_allows: bool,
    boundary_ok: bool,
    session_ok: bool,
    any_res: bool,
    principal_match: Option<PrincipalMatch>,
) -> (GrantReason, Layer) {
    if identity_applies && identity_allows && !boundary_ok {
        return (GrantReason::BoundaryCaps, Layer::PermissionsBoundary);
    }
    if identity_applies && identity_allows && !session_ok {
        return (GrantReason::SessionCaps, Layer::Session);
    }
    if any_res {
        let how = principal_match;
        let reason = if principal_match.is_some_and(|m| !m.is_direct()) {
            GrantReason::Delegated { how }
        } else {
            GrantReason::Capped { how }
        };
        return (reason, Layer::Identity);
    }
    (GrantReason::Nothing, Layer::Identity)
}

fn stmt_ref(layer: Layer, p: PolicyRef<'_>, e: &PolicyEvaluation, index: usize) -> StatementRef {
    let traced = e
        .statements
        .get(index)
        .filter(|s| s.index == index)
        .or_else(|| e.statements.iter().find(|s| s.index == index));
    // Untraced evaluations read the statement from the policy itself.
    let (sid, effect) = match traced {
        Some(s) => (s.sid.clone(), s.effect),
        None => {
            let st = p
                .policy
                .statements
                .get(index)
                .filter(|s| s.index == index)
                .or_else(|| p.policy.statements.iter().find(|s| s.index == index));
            (
                st.and_then(|s| s.sid.clone()),
                st.map_or(Effect::Allow, |s| s.effect),
            )
        }
    };
    StatementRef {
        layer,
        policy: p.name.to_owned(),
        sid: sid.map(|s| s.to_string()),
        index,
        effect,
    }
}

fn label(r: &StatementRef) -> String {
    let mut s = String::new();
    push_label(&mut s, r);
    s
}

fn policy_name(r: &StatementRef) -> String {
    let mut s = String::new();
    push_policy_name(&mut s, r);
    s
}

/// `` `Sid` `` or `#N`.
fn push_label(s: &mut String, r: &StatementRef) {
    match &r.sid {
        Some(sid) if !sid.is_empty() => push_all(s, &["`", sid, "`"]),
        _ => {
            use std::fmt::Write as _;
            let _ = write!(s, "#{}", r.index + 1);
        }
    }
}

fn push_policy_name(s: &mut String, r: &StatementRef) {
    let p = r.policy.as_str();
    match r.layer {
        // "bucket policy", "key policy", "Vault Lock policy" read as names of their own.
        Layer::Resource if p.ends_with(" policy") => push_all(s, &["the ", p]),
        Layer::Resource => push_all(s, &["the resource-based policy `", p, "`"]),
        Layer::Identity => push_all(s, &["the identity-based policy `", p, "`"]),
        Layer::PermissionsBoundary => push_all(s, &["the permissions boundary `", p, "`"]),
        Layer::Session => s.push_str("the session policy"),
        Layer::Scp => push_all(s, &["the SCP `", p, "`"]),
        Layer::Rcp => push_all(s, &["the RCP `", p, "`"]),
        Layer::VpcEndpoint => s.push_str("the VPC endpoint policy"),
    }
}

/// [`Principal::describe`], written into `s`.
fn push_who(s: &mut String, p: &Principal) {
    match (p, p.arn()) {
        (Principal::Anonymous | Principal::Service(_), _) | (_, None) => {
            s.push_str(&p.describe());
        }
        (_, Some(arn)) => push_all(s, &["`", &arn, "`"]),
    }
}

fn find_trace<'a>(
    layers: &'a [(Layer, bool, &Evaluated<'_>)],
    r: &StatementRef,
) -> Option<&'a crate::evaluate::StatementTrace> {
    layers
        .iter()
        .filter(|(l, _, _)| *l == r.layer)
        .flat_map(|(_, _, pols)| pols.iter())
        .filter(|(p, _)| p.name == r.policy)
        .flat_map(|(_, e)| e.statements.iter())
        .find(|s| s.index == r.index)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fixed layer notes read as the layer's name and its status.
    #[test]
    fn status_notes_name_the_layer() {
        for layer in [
            Layer::Scp,
            Layer::Rcp,
            Layer::VpcEndpoint,
            Layer::Identity,
            Layer::PermissionsBoundary,
            Layer::Session,
            Layer::Resource,
        ] {
            assert_eq!(
                layer.status_note(false),
                [layer.describe(), " — none"].concat()
            );
            assert_eq!(
                layer.status_note(true),
                [layer.describe(), " — evaluated"].concat()
            );
        }
    }

    fn pol(text: &str) -> Policy {
        Policy::parse(text).unwrap()
    }

    fn allow_id(action: &str, resource: &str) -> NamedPolicy {
        NamedPolicy::new(
            "id",
            pol(&format!(
                r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Action":"{action}","Resource":"{resource}"}}}}"#
            )),
        )
    }

    fn bucket(principal: &str, effect: &str, action: &str) -> NamedPolicy {
        NamedPolicy::new(
            "bucket policy",
            pol(&format!(
                r#"{{"Version":"2012-10-17","Statement":{{"Sid":"S","Effect":"{effect}","Principal":{principal},"Action":"{action}","Resource":"arn:aws:s3:::b/*"}}}}"#
            )),
        )
    }

    fn req(principal: &str, owner: &str) -> RequestContext {
        RequestContext::new(
            Principal::from_arn(principal).unwrap(),
            "s3:GetObject",
            "arn:aws:s3:::b/k",
        )
        .with_resource_account(owner)
    }

    const ALICE: &str = "arn:aws:iam::111122223333:user/alice";
    const SESSION: &str = "arn:aws:sts::111122223333:assumed-role/App/s1";

    #[test]
    fn identity_allow_in_same_account_allows() {
        let set = PolicySet {
            identity_policies: vec![allow_id("s3:GetObject", "arn:aws:s3:::b/*")],
            ..Default::default()
        };
        let e = evaluate(&req(ALICE, "111122223333"), &set);
        assert_eq!(e.decision, Decision::Allow);
        assert_eq!(e.determining[0].layer, Layer::Identity);
        assert!(e.summary.starts_with("Allowed:"), "{}", e.summary);
    }

    #[test]
    fn nothing_allows_is_implicit_deny() {
        let e = evaluate(&req(ALICE, "111122223333"), &PolicySet::default());
        assert_eq!(e.decision, Decision::ImplicitDeny);
        assert_eq!(
            e.denial.unwrap().aws_reason("s3:GetObject"),
            "because no identity-based policy allows the s3:GetObject action"
        );
    }

    #[test]
    fn explicit_deny_in_bucket_policy_overrides_identity_allow() {
        let set = PolicySet {
            identity_policies: vec![allow_id("s3:*", "*")],
            resource_policy: Some(bucket(r#""*""#, "Deny", "s3:GetObject")),
            ..Default::default()
        };
        let e = evaluate(&req(ALICE, "111122223333"), &set);
        assert_eq!(e.decision, Decision::ExplicitDeny);
        assert_eq!(e.determining[0].sid.as_deref(), Some("S"));
        assert_eq!(
            e.denial.unwrap().aws_reason("s3:GetObject"),
            "with an explicit deny in a resource-based policy"
        );
        let identity_deny = Denial {
            explicit: true,
            layer: Layer::Identity,
        };
        assert_eq!(
            identity_deny.aws_reason("s3:GetObject"),
            "with an explicit deny in an identity-based policy"
        );
        assert!(
            e.summary
                .contains("statement `S` of the bucket policy explicitly denies `s3:GetObject`"),
            "{}",
            e.summary
        );
    }

    #[test]
    fn same_account_bucket_grant_to_user_arn_needs_no_identity_policy() {
        let set = PolicySet {
            resource_policy: Some(bucket(
                &format!(r#"{{"AWS":"{ALICE}"}}"#),
                "Allow",
                "s3:GetObject",
            )),
            ..Default::default()
        };
        let e = evaluate(&req(ALICE, "111122223333"), &set);
        assert_eq!(e.decision, Decision::Allow);
        assert_eq!(e.principal_match, Some(PrincipalMatch::User));
    }

    #[test]
    fn account_principal_delegates_and_needs_identity_allow() {
        let set = PolicySet {
            resource_policy: Some(bucket(r#"{"AWS":"111122223333"}"#, "Allow", "s3:GetObject")),
            ..Default::default()
        };
        assert_eq!(
            evaluate(&req(ALICE, "111122223333"), &set).decision,
            Decision::ImplicitDeny
        );
        let root = evaluate(&req("arn:aws:iam::111122223333:root", "111122223333"), &set);
        assert_eq!(root.decision, Decision::Allow);
    }

    #[test]
    fn cross_account_needs_both_sides() {
        let grant = bucket(
            r#"{"AWS":"arn:aws:iam::444455556666:root"}"#,
            "Allow",
            "s3:GetObject",
        );
        let bob = "arn:aws:iam::444455556666:user/bob";
        let only_resource = PolicySet {
            resource_policy: Some(grant.clone()),
            ..Default::default()
        };
        assert_eq!(
            evaluate(&req(bob, "111122223333"), &only_resource).decision,
            Decision::ImplicitDeny
        );
        let only_identity = PolicySet {
            identity_policies: vec![allow_id("s3:GetObject", "*")],
            ..Default::default()
        };
        assert_eq!(
            evaluate(&req(bob, "111122223333"), &only_identity).decision,
            Decision::ImplicitDeny
        );
        let both = PolicySet {
            resource_policy: Some(grant),
            identity_policies: vec![allow_id("s3:GetObject", "*")],
            ..Default::default()
        };
        assert_eq!(
            evaluate(&req(bob, "111122223333"), &both).decision,
            Decision::Allow
        );
    }

    #[test]
    fn boundary_caps_identity_but_not_a_session_arn_grant() {
        let boundary = Some(allow_id("s3:ListBucket", "*"));
        let set = PolicySet {
            identity_policies: vec![allow_id("s3:GetObject", "*")],
            permissions_boundary: boundary.clone(),
            ..Default::default()
        };
        let e = evaluate(&req(SESSION, "111122223333"), &set);
        assert_eq!(e.decision, Decision::ImplicitDeny);
        assert_eq!(e.denial.unwrap().layer, Layer::PermissionsBoundary);
        let by_session = PolicySet {
            permissions_boundary: boundary.clone(),
            resource_policy: Some(bucket(
                &format!(r#"{{"AWS":"{SESSION}"}}"#),
                "Allow",
                "s3:GetObject",
            )),
            ..Default::default()
        };
        assert_eq!(
            evaluate(&req(SESSION, "111122223333"), &by_session).decision,
            Decision::Allow
        );
        let by_role = PolicySet {
            permissions_boundary: boundary,
            resource_policy: Some(bucket(
                r#"{"AWS":"arn:aws:iam::111122223333:role/App"}"#,
                "Allow",
                "s3:GetObject",
            )),
            ..Default::default()
        };
        assert_eq!(
            evaluate(&req(SESSION, "111122223333"), &by_role).decision,
            Decision::ImplicitDeny
        );
    }

    #[test]
    fn anonymous_needs_a_public_grant() {
        let public = PolicySet {
            resource_policy: Some(bucket(r#""*""#, "Allow", "s3:GetObject")),
            ..Default::default()
        };
        assert_eq!(
            evaluate(&req("anonymous", "111122223333"), &public).decision,
            Decision::Allow
        );
        let named = PolicySet {
            resource_policy: Some(bucket(r#"{"AWS":"111122223333"}"#, "Allow", "s3:GetObject")),
            ..Default::default()
        };
        assert_eq!(
            evaluate(&req("anonymous", "111122223333"), &named).decision,
            Decision::ImplicitDeny
        );
    }

    #[test]
    fn every_scp_level_must_allow() {
        let full = allow_id("*", "*");
        let s3_only = allow_id("s3:*", "*");
        let kms = RequestContext::new(
            Principal::from_arn(ALICE).unwrap(),
            "kms:Decrypt",
            "arn:aws:kms:us-east-1:111122223333:key/k",
        );
        let identity = vec![allow_id("*", "*")];
        let one_level = PolicySet {
            identity_policies: identity.clone(),
            scps: vec![full.clone(), s3_only.clone()],
            ..Default::default()
        };
        assert_eq!(evaluate(&kms, &one_level).decision, Decision::Allow);
        let two_levels = PolicySet {
            identity_policies: identity,
            scps: vec![s3_only],
            scp_levels: vec![vec![full]],
            ..Default::default()
        };
        let e = evaluate(&kms, &two_levels);
        assert_eq!(e.decision, Decision::ImplicitDeny);
        assert_eq!(e.denial.unwrap().layer, Layer::Scp);
    }

    #[test]
    fn scp_caps_even_root() {
        let set = PolicySet {
            scps: vec![allow_id("s3:ListBucket", "*")],
            ..Default::default()
        };
        let e = evaluate(&req("arn:aws:iam::111122223333:root", "111122223333"), &set);
        assert_eq!(e.decision, Decision::ImplicitDeny);
        assert_eq!(e.denial.unwrap().layer, Layer::Scp);
    }

    #[test]
    fn resource_policies_named_as_policies_read_naturally() {
        let lock = NamedPolicy::new(
            "Vault Lock policy",
            pol(
                r#"{"Version":"2012-10-17","Statement":{"Sid":"S","Effect":"Deny","Principal":"*","Action":"glacier:DeleteArchive","Resource":"*"}}"#,
            ),
        );
        let set = PolicySet {
            resource_policy: Some(lock),
            ..Default::default()
        };
        let r = RequestContext::new(
            Principal::from_arn(ALICE).unwrap(),
            "glacier:DeleteArchive",
            "arn:aws:glacier:us-west-2:111122223333:vaults/v",
        );
        assert!(
            evaluate(&r, &set)
                .summary
                .starts_with("Denied: statement `S` of the Vault Lock policy explicitly denies")
        );
    }

    #[test]
    fn deny_with_condition_explains_itself() {
        let bp = NamedPolicy::new(
            "bucket policy",
            pol(
                r#"{"Version":"2012-10-17","Statement":[{"Sid":"DenyUnEncryptedObjectUploads","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*","Condition":{"Null":{"s3:x-amz-server-side-encryption":"true"}}}]}"#,
            ),
        );
        let set = PolicySet {
            identity_policies: vec![allow_id("s3:*", "*")],
            resource_policy: Some(bp),
            ..Default::default()
        };
        let r = RequestContext::new(
            Principal::from_arn(ALICE).unwrap(),
            "s3:PutObject",
            "arn:aws:s3:::b/a.txt",
        );
        let e = evaluate(&r, &set);
        assert_eq!(e.decision, Decision::ExplicitDeny);
        assert_eq!(
            e.summary,
            "Denied: statement `DenyUnEncryptedObjectUploads` of the bucket policy explicitly denies `s3:PutObject` on `arn:aws:s3:::b/a.txt` because the request has no `x-amz-server-side-encryption` header"
        );
    }
}

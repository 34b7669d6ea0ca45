//! Every layer evaluated once: each policy of each layer against the request, and the facts the
//! layers establish (an SCP level that does not allow, a boundary or session policy in the way,
//! whether the caller is root) before any decision table combines them.
//!
//! Which layers apply to which caller follows IAM UG `reference_policies_evaluation-logic.md`
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>
//! and, for SCP levels, AWS Organizations UG `orgs_manage_policies_scps_evaluation.md`
//! <https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html>.

use crate::ast::{Effect, Policy};
use crate::context::{ContextKeys, Principal, RequestContext};
use crate::evaluate::{PolicyEvaluation, PolicyOptions, PrincipalMatch, evaluate_policy_for};
use crate::facts::policy_facts;

use super::model::{Layer, Layers, PolicyRef, StatementRef};

/// A layer's policies with their evaluations.
pub type Evaluated<'a> = [(PolicyRef<'a>, PolicyEvaluation)];

/// Every layer evaluated once, and what the layers establish before any decision table combines
/// them: the facts both [`evaluate`](super::evaluate) (IAM's table) and the S3 world (IAM's layers plus S3's own
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

pub(super) fn any_allow(v: &Evaluated<'_>) -> bool {
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
/// enough for [`decide`](super::decide), and cheaper, for callers that never show the trace.
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

/// Points at statement `index` of policy `p` in `layer`.
pub(super) fn stmt_ref(
    layer: Layer,
    p: PolicyRef<'_>,
    e: &PolicyEvaluation,
    index: usize,
) -> StatementRef {
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

//! The grant gate: who may grant what. An anonymous caller or a service needs a resource-based
//! statement that names it; in the caller's own account an identity-based policy (within the
//! permissions boundary and the session policy) or a resource-based statement naming the caller
//! grants on its own; across accounts both sides must allow. The gate's facts come first, its
//! sentence is written from them.
//!
//! Follows IAM UG `reference_policies_evaluation-logic.md` and
//! `reference_policies_evaluation-logic-cross-account.md`
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html>.

use crate::context::{Principal, RequestContext};
use crate::evaluate::PrincipalMatch;

use super::layers::{LayerEvaluation, stmt_ref};
use super::model::{Layer, StatementRef};

/// What the grant gate found: facts only; its sentence is written by [`Grant::explanation`].
pub(super) struct Grant {
    /// Whether the gate passed.
    pub(super) granted: bool,
    /// The statements that granted (none when it failed).
    pub(super) stmts: Vec<StatementRef>,
    /// Why it passed or failed.
    reason: GrantReason,
    /// The layer a failure is blamed on.
    pub(super) fail_layer: Layer,
    /// How the resource policy matched the caller, if one of its `Allow`s applied.
    pub(super) principal_match: Option<PrincipalMatch>,
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
    pub(super) fn explanation(&self, principal: &Principal, action: &str) -> String {
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
pub(super) fn grant(request: &RequestContext, ev: &LayerEvaluation<'_>) -> Grant {
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

//! The role trust policy gate: the resource-based policy `sts:AssumeRole` is decided with. It
//! names who may assume the role — a principal directly (enough on its own in the role's
//! account), or an account (whose own identity policies must then allow the call).
//!
//! Follows the role trust policy pages
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html>) and the
//! cross-account evaluation logic
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html>).

use s3pg_policy::{Effect, PolicyEvaluation, PolicyRef, PrincipalMatch};

use super::gates::BucketPolicyFacts;
use super::layers::{layer_step, refs, verdicts};
use crate::trace::{Gate, StepOutcome};

/// The trust policy's step and what it grants.
pub(super) fn trust_policy(
    action: &'static str,
    evals: &[(PolicyRef<'_>, PolicyEvaluation)],
    steps: &mut Vec<crate::trace::GateStep>,
) -> BucketPolicyFacts {
    let mut f = BucketPolicyFacts::default();
    let mut step = layer_step(
        Gate::TrustPolicy,
        action,
        evals,
        "the role has no trust policy, so nobody can assume it",
        TRUST_DOC,
    );
    let (deny, _) = verdicts(evals);
    f.deny = deny;
    for e in evals {
        for &i in &e.1.allows {
            let Some(st) = e.1.statements.get(i) else {
                continue;
            };
            let m = st.principal.as_ref().and_then(|p| p.principal_match);
            match m {
                Some(PrincipalMatch::Account | PrincipalMatch::CanonicalUser) => {
                    f.via_account = true;
                }
                _ => f.direct = true,
            }
            if f.grant_ref.is_none() {
                f.grant_ref = refs(e, &[i], Effect::Allow).into_iter().next();
            }
        }
    }
    if !f.deny && f.via_account && !f.direct {
        step.explanation = format!(
            "{}; it trusts the caller's whole account, so the caller's own identity policy must also allow `{action}`",
            step.explanation
        );
    }
    if step.outcome == StepOutcome::ImplicitDeny {
        step.explanation = format!(
            "no statement of the trust policy lets this caller `{action}` the role (check its `Principal` and conditions such as `sts:ExternalId` or `aws:MultiFactorAuthPresent`)"
        );
    }
    steps.push(
        step.compare("trusted directly", f.direct.to_string())
            .compare("trusts the caller's account", f.via_account.to_string()),
    );
    f
}

/// The IAM page on roles and their trust policies.
const TRUST_DOC: &str =
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html";

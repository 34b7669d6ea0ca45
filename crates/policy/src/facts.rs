//! Which statements of a policy apply to a request, without writing their traces.
//!
//! The same rules as [`crate::evaluate`] (IAM UG `reference_policies_evaluation-logic.md`: a
//! statement applies when its principal, action, resource and every condition match), answered
//! with facts only — which statements apply and how the caller was matched — for decisions
//! nobody reads the trace of (`s3pg eval --output decision`, [`crate::decide`]). It reuses the
//! evaluator's own matchers, so the two cannot disagree.

use crate::ast::{Policy, Statement};
use crate::condition::condition_holds;
use crate::context::ContextKeys;
use crate::evaluate::{
    Caller, PolicyEvaluation, PolicyOptions, PrincipalMatch, action_hit, principal_trace,
    resource_hit,
};

/// [`crate::evaluate::evaluate_policy_with`] without the statements' traces (`statements` stays empty): which
/// statements apply and how the caller was matched, for a decision nobody reads the trace of.
pub(crate) fn policy_facts(
    policy: &Policy,
    caller: &Caller<'_>,
    keys: &ContextKeys,
    options: PolicyOptions,
) -> PolicyEvaluation {
    let variables = policy.substitutes_variables();
    let mut out = PolicyEvaluation::new(Vec::new());
    for st in &policy.statements {
        if let Some(m) = statement_applies(st, caller, keys, variables, options) {
            out.record(st.index, st.effect, m);
        }
    }
    out
}

/// Whether the statement applies (`Some`, with how its `Principal` matched the caller): the
/// same answer as the statement trace's `applies`, without writing its trace.
fn statement_applies(
    st: &Statement,
    caller: &Caller<'_>,
    keys: &ContextKeys,
    variables: bool,
    options: PolicyOptions,
) -> Option<Option<PrincipalMatch>> {
    let m = match &st.principal {
        Some(p) => {
            let t = principal_trace(st, p, caller, options);
            if !t.matched {
                return None;
            }
            t.principal_match
        }
        None => None,
    };
    if action_hit(&st.action, &caller.action).is_some() == st.action.negated {
        return None;
    }
    if let Some(r) = &st.resource
        && resource_hit(r, caller, keys, variables, &mut Vec::new()).is_some() == r.negated
    {
        return None;
    }
    st.conditions
        .iter()
        .all(|c| condition_holds(c, keys, variables))
        .then_some(m)
}

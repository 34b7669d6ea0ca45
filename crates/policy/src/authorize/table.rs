//! IAM's decision table over layers already evaluated: an explicit `Deny` in any layer wins;
//! every cap layer present (SCPs, RCPs, the VPC endpoint policy) must allow; then a grant is
//! needed. Each step is a gate with its sentence; then come the summary and the per-layer trace.
//!
//! Follows IAM UG `reference_policies_evaluation-logic.md`
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>.

use std::borrow::Cow;

use crate::context::RequestContext;

use super::grant::{Grant, grant};
use super::layers::{Evaluated, LayerEvaluation};
use super::model::{Decision, Denial, Evaluation, Gate, Layer, StatementRef};
use super::trace::{
    find_trace, label, layer_traces, policy_name, push_all, push_label, push_policy_name, push_who,
};

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

/// IAM's decision table over layers already evaluated ([`evaluate_layers`](super::evaluate_layers)): explicit deny
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

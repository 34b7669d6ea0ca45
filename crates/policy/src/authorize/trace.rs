//! The trace and the phrases it is written with: every layer's policies with their evaluations
//! (and a note for the layers that do not apply to this caller), and the names of statements,
//! policies and callers as the gates and summaries say them.
//!
//! Which layers apply to which caller follows IAM UG `reference_policies_evaluation-logic.md`
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>.

use std::borrow::Cow;

use crate::context::Principal;
use crate::evaluate::{PolicyEvaluation, StatementTrace};

use super::layers::{Evaluated, LayerEvaluation};
use super::model::{Layer, LayerTrace, PolicyRef, PolicyTrace, StatementRef};

pub(super) fn trace_layer(
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

/// Every layer's trace, with a note for the layers that do not apply to this caller.
pub(super) fn layer_traces(
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

pub(super) fn push_all(s: &mut String, parts: &[&str]) {
    for p in parts {
        s.push_str(p);
    }
}

pub(super) fn label(r: &StatementRef) -> String {
    let mut s = String::new();
    push_label(&mut s, r);
    s
}

pub(super) fn policy_name(r: &StatementRef) -> String {
    let mut s = String::new();
    push_policy_name(&mut s, r);
    s
}

/// `` `Sid` `` or `#N`.
pub(super) fn push_label(s: &mut String, r: &StatementRef) {
    match &r.sid {
        Some(sid) if !sid.is_empty() => push_all(s, &["`", sid, "`"]),
        _ => {
            use std::fmt::Write as _;
            let _ = write!(s, "#{}", r.index + 1);
        }
    }
}

pub(super) fn push_policy_name(s: &mut String, r: &StatementRef) {
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
pub(super) fn push_who(s: &mut String, p: &Principal) {
    match (p, p.arn_parts()) {
        (Principal::Anonymous | Principal::Service(_), _) | (_, None) => {
            s.push_str(&p.describe());
        }
        (_, Some(arn)) => {
            s.push('`');
            push_all(s, &arn);
            s.push('`');
        }
    }
}

pub(super) fn find_trace<'a>(
    layers: &'a [(Layer, bool, &Evaluated<'_>)],
    r: &StatementRef,
) -> Option<&'a StatementTrace> {
    layers
        .iter()
        .filter(|(l, _, _)| *l == r.layer)
        .flat_map(|(_, _, pols)| pols.iter())
        .filter(|(p, _)| p.name == r.policy)
        .flat_map(|(_, e)| e.statements.iter())
        .find(|s| s.index == r.index)
}

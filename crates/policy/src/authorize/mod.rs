//! The full decision over every policy layer that applies to a request.
//!
//! Follows IAM UG `reference_policies_evaluation-logic.md` (and its cross-account page
//! `reference_policies_evaluation-logic-cross-account.md`), as summarised in reference §1.3–§1.4:
//! an explicit `Deny` in any layer wins; every cap layer present (SCPs, RCPs, the VPC endpoint
//! policy) must allow; then a grant is needed — from the identity side (identity policies ∩
//! permissions boundary ∩ session policy) or, in the same account, from a resource-policy
//! statement that names the caller directly; across accounts both sides must allow.
//! ACLs, Block Public Access and object ownership are S3's business and live in `s3pg-sim`.
//!
//! Where to start reading: [`evaluate`] below is the whole procedure in three lines. `model`
//! holds the types a decision is made of; `layers` evaluates each layer's policies once and
//! states what they establish; `table` is IAM's decision table with its gates; `grant` is the
//! grant gate (who may grant what, by caller and account); `trace` writes the per-layer trace
//! and the phrases the sentences use.

mod grant;
mod layers;
mod model;
mod table;
mod trace;

pub use layers::{Evaluated, LayerEvaluation, evaluate_layers, evaluate_layers_untraced};
pub use model::{
    Decision, Denial, Evaluation, Gate, Layer, LayerTrace, Layers, NamedPolicy, PolicyRef,
    PolicySet, PolicyTrace, StatementRef,
};
pub use table::{decide, evaluate_with};

use crate::context::RequestContext;

/// Evaluates `request` against every layer of `set` (reference §1.3–§1.4).
pub fn evaluate(request: &RequestContext, set: &PolicySet) -> Evaluation {
    let keys = request.effective_keys();
    let layers = set.layers();
    evaluate_with(request, evaluate_layers(request, &keys, &layers))
}

#[cfg(test)]
mod tests;

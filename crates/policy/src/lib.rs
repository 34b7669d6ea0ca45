//! `s3pg-policy`: the IAM policy language — parse, validate, evaluate, explain.
//!
//! Generic IAM (identity policies, bucket policies, KMS key policies, Glacier vault policies,
//! VPC endpoint policies, SCPs); it knows nothing of S3's data plane. Follows the IAM User Guide's
//! policy reference (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies.html) and
//! evaluation logic (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
//!
//! ```
//! use s3pg_policy::{Policy, Principal, RequestContext, PolicySet, NamedPolicy, Decision, evaluate};
//!
//! let policy = Policy::parse(r#"{
//!   "Version": "2012-10-17",
//!   "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]
//! }"#).unwrap();
//! let alice = Principal::from_arn("arn:aws:iam::111122223333:user/alice").unwrap();
//! let request = RequestContext::new(alice, "s3:GetObject", "arn:aws:s3:::b/a.txt");
//! let set = PolicySet { identity_policies: vec![NamedPolicy::new("read", policy)], ..PolicySet::default() };
//! let evaluation = evaluate(&request, &set);
//! assert_eq!(evaluation.decision, Decision::Allow);
//! ```

pub mod ast;
pub mod authorize;
pub mod case;
pub mod catalogue;
pub mod condition;
pub mod context;
pub mod diagnostic;
pub mod evaluate;
mod facts;
pub mod json;
pub mod lint;
mod parse;
pub mod public;
pub mod suggest;
pub mod values;
pub mod variables;
pub mod wildcard;

pub use ast::{
    ActionClause, BaseOperator, Condition, Effect, Operator, OperatorFamily, Policy,
    PrincipalClause, PrincipalEntry, PrincipalKind, Principals, ResourceClause, SetQualifier,
    Spanned, Statement, Version,
};
pub use authorize::{
    Decision, Denial, Evaluation, Gate, Layer, LayerEvaluation, LayerTrace, Layers, NamedPolicy,
    PolicyRef, PolicySet, PolicyTrace, StatementRef, decide, evaluate, evaluate_layers,
    evaluate_layers_untraced, evaluate_with,
};
pub use condition::ConditionTrace;
pub use context::{ContextKeys, ContextValue, Principal, RequestContext};
pub use diagnostic::{Diagnostic, Severity};
pub use evaluate::{
    ElementTrace, PolicyEvaluation, PolicyOptions, PrincipalMatch, StatementTrace, evaluate_policy,
    evaluate_policy_with,
};
pub use json::Span;
pub use lint::{lint, normalized_size};

/// Which kind of policy a document is, for the rules that differ between kinds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum PolicyKind {
    /// Any policy: only the grammar is checked.
    #[default]
    Any,
    /// An identity-based policy (user, group, role): `Principal` is forbidden.
    Identity,
    /// An S3 bucket policy: `Principal` required, 20 KB limit, S3 actions and the bucket's ARNs
    /// (S3 UG `bucket-policies.md`). `bucket` names the bucket when known.
    BucketPolicy {
        /// The bucket the policy is for.
        bucket: Option<String>,
    },
    /// Another resource-based policy (KMS key, Glacier vault, …): `Principal` required.
    Resource,
    /// A VPC endpoint policy: `Principal` required, 20,480 characters.
    VpcEndpoint,
    /// A service control policy: no `Principal`.
    Scp,
}

/// Bucket policies may be at most 20 KB (S3 UG `bucket-policies.md`).
pub const BUCKET_POLICY_MAX_BYTES: usize = 20 * 1024;

impl Policy {
    /// Parses a policy, checking the grammar only. Errors carry the JSON path, line and column,
    /// and S3's `MalformedPolicy` message where S3 would reject the document.
    pub fn parse(text: &str) -> Result<Policy, Vec<Diagnostic>> {
        parse::Parser::parse(text)
    }

    /// Parses a policy and checks the rules of `kind` (e.g. a bucket policy needs `Principal`).
    pub fn parse_as(text: &str, kind: &PolicyKind) -> Result<Policy, Vec<Diagnostic>> {
        let policy = Self::parse(text)?;
        let errors: Vec<Diagnostic> = lint::kind_rules(&policy, text, kind)
            .into_iter()
            .filter(Diagnostic::is_error)
            .collect();
        if errors.is_empty() {
            Ok(policy)
        } else {
            Err(errors)
        }
    }
}

/// Validates a bucket policy as `PutBucketPolicy` would: the errors S3 answers with
/// (`MalformedPolicy`), then the teaching warnings. `Ok` holds the policy and its warnings.
pub fn validate_bucket_policy(
    text: &str,
    bucket: Option<&str>,
) -> Result<(Policy, Vec<Diagnostic>), Vec<Diagnostic>> {
    let kind = PolicyKind::BucketPolicy {
        bucket: bucket.map(str::to_string),
    };
    let policy = Policy::parse(text)?;
    let mut all = lint::kind_rules(&policy, text, &kind);
    if all.iter().any(Diagnostic::is_error) {
        all.retain(Diagnostic::is_error);
        return Err(all);
    }
    all.extend(lint::lint_text(&policy, text, &kind));
    Ok((policy, all))
}

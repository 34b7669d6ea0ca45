//! The commonest edit a learner saves — one bucket's policy, and nothing else — and which answers
//! it can change, read from the dry run of the world before the edit, so that the diff asks the
//! world after the edit only where the answer may differ.
//!
//! S3 reads a bucket policy in two ways when it authorizes a request on that bucket
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html>):
//! it evaluates the policy's statements for each permission the request needs, and it asks
//! whether the policy is *public*, for Block Public Access's `RestrictPublicBuckets`
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status>).
//! When both policies read and are equally public, what the evaluation decides is made of the
//! statements that apply (their effects and how they name the caller). So an answer can only
//! change if a statement the edit removed applied in the dry run before the edit, or a
//! statement it added names an action the request needs. The bucket-policy APIs, whose request
//! carries or reads the policy itself, are always asked again.

use serde_json::Value;

use s3pg_policy::wildcard::wildcard_match_with;
use s3pg_sim::trace::{Gate, PolicyTrace};
use s3pg_sim::{Outcome, World};

/// Actions whose answer depends on the policy document itself, not only on its evaluation.
const ALWAYS_ASKED: &[&str] = &[
    "s3:PutBucketPolicy",
    "s3:GetBucketPolicy",
    "s3:DeleteBucketPolicy",
    "s3:GetBucketPolicyStatus",
];

/// An edit of one bucket's policy: which statements it removed and which it added.
#[derive(Debug)]
pub(super) struct PolicyEdit {
    /// The bucket.
    pub bucket: String,
    /// How many statements the policy had before (`None`: the bucket had no policy).
    before_len: Option<usize>,
    /// Indices, in the policy before, of the statements the edit removed.
    removed: Vec<usize>,
    /// The statements the edit added.
    added: Vec<Value>,
}

impl PolicyEdit {
    /// The edit, when `bucket` (the only part of the world the edit reaches) differs only in its
    /// policy, both policies read (or are absent), and both are public or neither is.
    pub(super) fn of(before: &World, after: &World, bucket: &str) -> Option<PolicyEdit> {
        let (b, a) = (before.buckets.get(bucket)?, after.buckets.get(bucket)?);
        let mut same = b.clone();
        same.policy.clone_from(&a.policy);
        if &same != a {
            return None;
        }
        let (old, new) = (b.policy.as_ref(), a.policy.as_ref());
        if public(before, old)? != public(after, new)? {
            return None;
        }
        let old = statements(old)?;
        let new = statements(new)?;
        let mut used = vec![false; new.len()];
        let mut removed = Vec::new();
        for (i, st) in old.iter().enumerate() {
            let kept = new
                .iter()
                .zip(used.iter_mut())
                .find(|(n, u)| !**u && n == &st)
                .map(|(_, u)| *u = true);
            if kept.is_none() {
                removed.push(i);
            }
        }
        let added = new
            .into_iter()
            .zip(used)
            .filter(|(_, u)| !u)
            .map(|(st, _)| st.clone())
            .collect();
        Some(PolicyEdit {
            bucket: bucket.to_owned(),
            before_len: b.policy.as_ref().map(|_| old.len()),
            removed,
            added,
        })
    }

    /// Whether the answer to a request for `action` on the edited bucket may differ after the
    /// edit from `before`, the dry run of that request before it. False only when it cannot.
    pub(super) fn may_change(&self, action: &str, before: &Outcome) -> bool {
        if ALWAYS_ASKED.contains(&action) || before.decision.is_none() {
            return true;
        }
        for step in before.trace.iter().filter(|s| s.gate == Gate::BucketPolicy) {
            let Some(checked) = step.action.as_deref() else {
                return true;
            };
            match (&step.policy_trace, self.before_len) {
                (Some(PolicyTrace::Evaluated(list)), Some(len)) => {
                    let [(_, evaluation)] = list.as_slice() else {
                        return true;
                    };
                    if evaluation.statements.len() != len {
                        return true;
                    }
                    let removed_applied = self
                        .removed
                        .iter()
                        .any(|&i| evaluation.statements.get(i).is_none_or(|st| st.applies));
                    if removed_applied {
                        return true;
                    }
                }
                // Another step of the same gate (its evaluation is on the first), or the bucket
                // had no policy: only the added statements can make a difference.
                (None, _) => {}
                _ => return true,
            }
            if self.added.iter().any(|st| names_action(st, checked)) {
                return true;
            }
        }
        false
    }
}

/// Whether the policy `document` of `world` is public; `None` when it does not read.
fn public(world: &World, document: Option<&Value>) -> Option<bool> {
    match document {
        None => Some(false),
        Some(doc) => {
            let policy = world.policies.parsed(doc).ok()?;
            Some(s3pg_sim::public::policy_publicness(&policy).is_some())
        }
    }
}

/// The statements of a policy document, in order; `None` when they cannot be read as a list.
fn statements(document: Option<&Value>) -> Option<Vec<&Value>> {
    match document.map(|d| d.get("Statement")) {
        None => Some(Vec::new()),
        Some(Some(Value::Array(items))) => Some(items.iter().collect()),
        Some(Some(one @ Value::Object(_))) => Some(vec![one]),
        Some(_) => None,
    }
}

/// Whether a statement could apply to a permission check for `action`: its `Action` names it
/// (IAM matches actions without regard to case), or it has `NotAction` or no readable `Action`.
fn names_action(statement: &Value, action: &str) -> bool {
    if statement.get("NotAction").is_some() {
        return true;
    }
    let matches = |p: &Value| {
        p.as_str()
            .is_none_or(|p| wildcard_match_with(p, action, true))
    };
    match statement.get("Action") {
        Some(Value::String(p)) => wildcard_match_with(p, action, true),
        Some(Value::Array(items)) => items.iter().any(matches),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_statement_names_the_actions_its_patterns_match() {
        let table = [
            (
                serde_json::json!({"Action": "s3:GetObject"}),
                "s3:GetObject",
                true,
            ),
            (
                serde_json::json!({"Action": "s3:getobject"}),
                "s3:GetObject",
                true,
            ),
            (
                serde_json::json!({"Action": "s3:Get*"}),
                "s3:GetBucketAcl",
                true,
            ),
            (
                serde_json::json!({"Action": ["s3:List*", "s3:PutObject"]}),
                "s3:GetObject",
                false,
            ),
            (
                serde_json::json!({"NotAction": "s3:GetObject"}),
                "s3:GetObject",
                true,
            ),
            (serde_json::json!({"Effect": "Allow"}), "s3:GetObject", true),
        ];
        for (st, action, expected) in table {
            assert_eq!(names_action(&st, action), expected, "{st} {action}");
        }
    }
}

//! Authorizing a Glacier request: the caller's IAM policies plus the vault's two resource-based
//! policies, through the policy engine.
//!
//! A vault can carry one vault access policy and one Vault Lock policy
//! (<https://docs.aws.amazon.com/amazonglacier/latest/dev/access-control-resource-based.html>);
//! both are IAM resource-based policies that govern the same vault, used together
//! (<https://docs.aws.amazon.com/amazonglacier/latest/dev/vault-lock.html>), and the lock policy
//! may hold `Allow` statements as well as `Deny`s (Example 2 of
//! <https://docs.aws.amazon.com/amazonglacier/latest/dev/vault-lock-policy.html>). IAM's
//! evaluation logic combines every applicable policy: an explicit `Deny` in any of them wins,
//! otherwise an `Allow` in any of them grants
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>).
//!
//! The engine takes one resource policy per evaluation, so we run it once per vault policy with
//! the same identity layers and combine: any explicit deny → explicit deny; else any allow →
//! allow; else implicit deny. This equals one evaluation over the union of the two policies'
//! statements: the deny check is a union, the cap layers (SCPs, boundary, session) are identical
//! in every run, and the grant (identity allow, or in the same account a direct resource grant;
//! across accounts identity allow and a resource grant) is monotone in the resource statements.

use s3pg_policy::{ContextKeys, ContextValue, Decision, NamedPolicy, RequestContext, evaluate};

use crate::model::Vault;
use crate::outcome::{Authorization, PolicyRun, VaultPolicyKind};
use crate::request::Caller;
use crate::time::Timestamp;

/// Builds the request context keys Glacier supplies for a request.
pub fn context_keys(
    caller: &Caller,
    vault: Option<&Vault>,
    now: Timestamp,
    extra: &[(&str, ContextValue)],
) -> ContextKeys {
    let mut keys = caller.context.clone();
    keys.insert("aws:CurrentTime", now.to_string());
    keys.insert("aws:EpochTime", now.0.to_string());
    keys.insert(
        "aws:SecureTransport",
        if caller.secure_transport {
            "true"
        } else {
            "false"
        },
    );
    keys.insert("aws:RequestedRegion", caller.region.clone());
    if let Some(v) = vault {
        for (k, value) in &v.tags {
            keys.insert(format!("glacier:ResourceTag/{k}"), value.clone());
            keys.insert(format!("aws:ResourceTag/{k}"), value.clone());
        }
    }
    for (k, v) in extra {
        keys.insert(*k, v.clone());
    }
    keys
}

/// Runs the engine for `action` on `resource` owned by `owner`, once per vault policy present.
pub fn authorize(
    caller: &Caller,
    action: &str,
    resource: &str,
    owner: &str,
    vault: Option<&Vault>,
    use_vault_policies: bool,
    keys: ContextKeys,
) -> Authorization {
    let mut request = RequestContext::new(caller.principal.clone(), action, resource)
        .with_resource_account(owner);
    request.context = keys.clone();

    let mut resource_policies = Vec::new();
    if let (Some(v), true) = (vault, use_vault_policies) {
        if let Some(p) = &v.access_policy {
            resource_policies.push((VaultPolicyKind::AccessPolicy, p.policy()));
        }
        if let Some(lock) = &v.lock {
            resource_policies.push((VaultPolicyKind::LockPolicy, lock.policy.policy()));
        }
    }

    let mut set = caller.policies.clone();
    let runs: Vec<PolicyRun> = if resource_policies.is_empty() {
        set.resource_policy = None;
        vec![PolicyRun {
            resource_policy: None,
            evaluation: evaluate(&request, &set),
        }]
    } else {
        resource_policies
            .into_iter()
            .map(|(kind, policy)| {
                set.resource_policy = Some(NamedPolicy::new(kind.name(), policy.clone()));
                PolicyRun {
                    resource_policy: Some(kind),
                    evaluation: evaluate(&request, &set),
                }
            })
            .collect()
    };

    let position = |d: Decision| runs.iter().position(|r| r.evaluation.decision == d);
    let (decision, deciding) = match (position(Decision::ExplicitDeny), position(Decision::Allow)) {
        // An explicit deny in any policy overrides every allow.
        (Some(i), _) => (Decision::ExplicitDeny, i),
        // Otherwise one policy granting (with the identity side) is enough.
        (None, Some(i)) => (Decision::Allow, i),
        (None, None) => (Decision::ImplicitDeny, 0),
    };
    Authorization {
        action: action.to_string(),
        resource: resource.to_string(),
        context: keys,
        decision,
        runs,
        deciding,
    }
}

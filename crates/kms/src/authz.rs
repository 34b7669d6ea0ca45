//! KMS's authorization: the key policy first, IAM policies only when the key policy lets them in.
//!
//! Follows "Key policies in AWS KMS"
//! (<https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html>), "Default key policy"
//! (<https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam>)
//! and "Determining access to AWS KMS keys"
//! (<https://docs.aws.amazon.com/kms/latest/developerguide/determining-access.html>). In our words:
//!
//! - every key has exactly one key policy and it is the primary control: nobody, not even the
//!   account's root user, may use a key unless some policy allows it and none denies it;
//! - IAM policies can *allow* use of a key only when the key policy allows the account itself
//!   (`arn:aws:iam::ACCOUNT:root`); without that statement only the key policy grants, and IAM
//!   policies can still *deny*;
//! - across accounts the key policy must allow the other account (or its principal) *and* the
//!   caller's own IAM policy must allow the action on the key's ARN.
//!
//! The general IAM evaluation (`s3pg_policy::evaluate`, the key policy as the resource layer)
//! already gives the explicit-deny, cap-layer and cross-account rules; KMS adds one gate on top:
//! an `Allow` must include a key-policy statement that applies to the request. That single gate
//! is what makes IAM policies irrelevant when the key policy does not trust the account, and what
//! denies the root user of an account whose key policy forgot it.

use s3pg_crypto::EncryptionContext;
use s3pg_policy::{
    ContextValue, Decision, Denial, Evaluation, Gate, Layer, NamedPolicy, Principal,
    PrincipalMatch, RequestContext, evaluate, evaluate_policy,
};

use crate::caller::Caller;
use crate::error::KmsError;
use crate::key::KmsKey;

/// The request context keys KMS adds for an operation on a key.
#[derive(Debug, Clone, Default)]
pub(crate) struct KmsKeys<'a> {
    /// The encryption context of a cryptographic call.
    pub context: Option<&'a EncryptionContext>,
    /// The alias the caller named the key by (`kms:RequestAlias`).
    pub request_alias: Option<&'a str>,
}

/// Builds the policy request for `action` on `key` (or on `*` for `CreateKey`).
pub(crate) fn request_for(
    caller: &Caller,
    action: &str,
    key: Option<&KmsKey>,
    keys: &KmsKeys<'_>,
) -> RequestContext {
    let resource = key.map_or_else(|| "*".to_owned(), |k| k.arn.clone());
    let mut request = RequestContext::new(caller.principal.clone(), action, resource);
    request.context = caller.context.clone();
    if let Some(k) = key {
        request.resource_account = Some(k.account.clone());
        // A key's tags are its `aws:ResourceTag/KEY` values (ABAC for KMS keys).
        for (tag, value) in &k.tags {
            request
                .context
                .insert(format!("aws:ResourceTag/{tag}"), value.clone());
        }
    }
    if let Some(account) = caller.account() {
        request
            .context
            .insert("kms:CallerAccount", account.to_owned());
    }
    if let Some(service) = &caller.via_service {
        request.context.insert("kms:ViaService", service.clone());
    }
    if let Some(ctx) = keys.context {
        let mut names = Vec::new();
        for (k, v) in ctx.iter() {
            request
                .context
                .insert(format!("kms:EncryptionContext:{k}"), v.to_owned());
            names.push(k.to_owned());
        }
        if !names.is_empty() {
            request
                .context
                .insert("kms:EncryptionContextKeys", ContextValue::from(names));
        }
    }
    if let Some(alias) = keys.request_alias {
        request.context.insert("kms:RequestAlias", alias.to_owned());
    }
    request
}

/// KMS's decision for `action` on `key`, with its own sentences for the trace.
pub(crate) fn authorize(
    caller: &Caller,
    action: &str,
    key: &KmsKey,
    keys: &KmsKeys<'_>,
) -> (Evaluation, Vec<String>) {
    let request = request_for(caller, action, Some(key), keys);
    let mut set = caller.policies.clone();
    set.resource_policy = Some(NamedPolicy::new("key policy", key.policy.policy().clone()));
    let mut evaluation = evaluate(&request, &set);
    let mut trace = Vec::new();

    trace.push(iam_sentence(caller, action, key, &request));

    let key_policy_allows = evaluation.trace.iter().any(|layer| {
        layer.layer == Layer::Resource && layer.policies.iter().any(|p| p.evaluation.allows())
    });
    let gate = Gate {
        check: "key policy".into(),
        passed: key_policy_allows,
        explanation: if key_policy_allows {
            format!("a statement of the key policy allows `{action}` for this request")
        } else {
            format!(
                "no statement of the key policy allows `{action}` for this request; KMS never lets a key be used without its key policy's permission"
            )
        },
    };
    if evaluation.decision == Decision::Allow && !key_policy_allows {
        // KMS's extra gate: identity policies alone (or root's implicit power) do not suffice.
        evaluation.decision = Decision::ImplicitDeny;
        evaluation.determining.clear();
        evaluation.denial = Some(Denial {
            explicit: false,
            layer: Layer::Resource,
        });
        evaluation.summary = format!(
            "Denied by default: no statement of the key policy allows `{action}` on `{}`, and without the key policy's permission IAM policies have no effect",
            key.arn
        );
    } else if evaluation.decision == Decision::ImplicitDeny && !key_policy_allows {
        // The key policy is what is missing: say so, as KMS's message does.
        evaluation.denial = Some(Denial {
            explicit: false,
            layer: Layer::Resource,
        });
    }
    // The key policy gate belongs before the final grant, where KMS checks it.
    let at = evaluation
        .gates
        .iter()
        .position(|g| g.check == "grant")
        .unwrap_or(evaluation.gates.len());
    evaluation.gates.insert(at, gate);
    trace.push(evaluation.summary.clone());
    (evaluation, trace)
}

/// Whether the key policy lets IAM policies of the caller's account grant `action` here: some
/// `Allow` of the key policy applies to that account's root (the account principal) for this
/// very request (KMS DG `key-policy-default.html#key-policy-default-allow-root-enable-iam`).
pub(crate) fn key_policy_enables_iam(
    key: &KmsKey,
    account: &str,
    request: &RequestContext,
) -> bool {
    let mut as_account = request.clone();
    as_account.principal = Principal::Root {
        account: account.to_owned(),
    };
    let evaluation = evaluate_policy(key.policy.policy(), &as_account);
    evaluation.principal_match == Some(PrincipalMatch::Account) && evaluation.allows()
}

/// The trace sentence saying whether IAM policies count for this call.
fn iam_sentence(caller: &Caller, action: &str, key: &KmsKey, request: &RequestContext) -> String {
    let Some(account) = caller.account() else {
        return "the caller has no account, so only the key policy can allow it".to_owned();
    };
    let cross = account != key.account;
    let enabled = key_policy_enables_iam(key, account, request);
    match (cross, enabled) {
        (false, true) => format!(
            "the key policy allows the account `arn:aws:iam::{account}:root` `{action}`, so IAM policies in account {account} can grant it"
        ),
        (false, false) => format!(
            "the key policy does not allow the account `arn:aws:iam::{account}:root` `{action}`, so IAM policies cannot grant it: only a key policy statement naming the caller can"
        ),
        (true, true) => format!(
            "the key belongs to account {}; its key policy allows account {account} `{action}`, and across accounts the caller's own IAM policy must allow it too",
            key.account
        ),
        (true, false) => format!(
            "the key belongs to account {}; across accounts its key policy must allow account {account} (or the caller) and the caller's IAM policy must allow it too",
            key.account
        ),
    }
}

/// KMS's `AccessDeniedException` for a denied `action` on `key_arn`.
pub(crate) fn access_denied(
    caller: &Caller,
    action: &str,
    key_arn: &str,
    key_account: &str,
    evaluation: &Evaluation,
) -> KmsError {
    let reason = evaluation.denial.map_or_else(
        || format!("because no resource-based policy allows the {action} action"),
        |d| denial_reason(&d, action),
    );
    KmsError::AccessDenied {
        message: format!(
            "User: {} is not authorized to perform: {action} on resource: {key_arn} {reason}",
            caller.arn_for_messages()
        ),
        same_account: caller.account() == Some(key_account),
    }
}

/// The reason clause of KMS's message: ``with an explicit deny in an identity-based policy`` /
/// ``because no resource-based policy allows the kms:Decrypt action``.
pub(crate) fn denial_reason(denial: &Denial, action: &str) -> String {
    let kind = denial.layer.aws_policy_type();
    if denial.explicit {
        let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        format!("with an explicit deny in {article} {kind} policy")
    } else {
        format!("because no {kind} policy allows the {action} action")
    }
}

/// The decision for `CreateKey`: IAM policies only (there is no key yet).
pub(crate) fn authorize_create(caller: &Caller) -> Evaluation {
    let request = request_for(caller, "kms:CreateKey", None, &KmsKeys::default());
    let mut set = caller.policies.clone();
    set.resource_policy = None;
    evaluate(&request, &set)
}

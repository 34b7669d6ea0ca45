//! The rules of a policy's kind: the errors S3 gives a bucket policy at `PutBucketPolicy`
//! (`MalformedPolicy`: actions that are not S3's, resources outside the bucket, unknown `s3:` keys,
//! the 20 KB normalized size) and what IAM refuses in an identity policy.
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html> and
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html>.

use super::resources::{mismatch, partial_mismatch, path, suggest_action};
use crate::PolicyKind;
use crate::ast::{Effect, Policy, Statement};
use crate::catalogue::{Catalogue, catalogue};
use crate::diagnostic::Diagnostic;
use crate::json::Span;
use crate::suggest::closest;
use crate::wildcard::Pattern;

/// The rules of `kind`: errors where AWS rejects the policy, with S3's message for bucket policies.
pub(crate) fn kind_rules(policy: &Policy, text: &str, kind: &PolicyKind) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let resource_kind = matches!(
        kind,
        PolicyKind::BucketPolicy { .. } | PolicyKind::Resource | PolicyKind::VpcEndpoint
    );
    let bucket_policy = matches!(kind, PolicyKind::BucketPolicy { .. });
    let normalized = normalized_size(text);
    if bucket_policy && normalized > crate::BUCKET_POLICY_MAX_BYTES {
        out.push(
            Diagnostic::error(
                "policy-too-large",
                text,
                Span::new(0, 1),
                "",
                format!(
                    "the bucket policy is {normalized} bytes without whitespace, over the 20 KB limit"
                ),
            )
            .with_help(
                "S3 bucket policies may be at most 20480 bytes; merge statements or use wildcards",
            )
            .with_s3("Normalized policy document exceeds the maximum allowed size of 20480 bytes"),
        );
    }
    if matches!(kind, PolicyKind::VpcEndpoint) && policy.size > 20_480 {
        out.push(Diagnostic::error(
            "policy-too-large",
            text,
            Span::new(0, 1),
            "",
            format!(
                "the endpoint policy is {} characters, over the 20,480 limit",
                policy.size
            ),
        ));
    }
    let cat = catalogue();
    for st in &policy.statements {
        let stmt_span = Span::new(st.span.start, st.span.start + 1);
        match (&st.principal, resource_kind) {
            (Some(p), false) if matches!(kind, PolicyKind::Identity | PolicyKind::Scp) => {
                out.push(
                    Diagnostic::error("principal-not-allowed", text, p.span, &path(st, "Principal"), "identity-based policies and SCPs cannot name a `Principal`".into())
                        .with_help("remove `Principal`: an identity policy applies to whoever it is attached to (IAM answers `Policy document should not specify a principal.`)"),
                );
            }
            (None, true) => {
                out.push(
                    Diagnostic::error("missing-principal", text, stmt_span, &format!("Statement[{}]", st.index), "the statement has no `Principal`".into())
                        .with_help("resource-based policies must say who they apply to, e.g. `\"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"}`")
                        .with_s3("Missing required field Principal"),
                );
            }
            (Some(p), true) if bucket_policy && p.negated && st.effect == Effect::Allow => {
                out.push(
                    Diagnostic::error("allow-not-principal", text, p.span, &path(st, "NotPrincipal"), "`Allow` with `NotPrincipal` is not supported".into())
                        .with_help("it would grant everyone else, anonymous callers included; use `Principal` with the callers to allow")
                        .with_s3("Invalid principal in policy"),
                );
            }
            _ => {}
        }
        if matches!(kind, PolicyKind::Identity) {
            // IAM (CreatePolicy, PutUserPolicy…) answers MalformedPolicyDocument for these
            // (IAM UG `reference_policies_elements_sid.md`).
            if let Some(sid) = &st.sid
                && !sid.chars().all(|c| c.is_ascii_alphanumeric())
            {
                out.push(
                    Diagnostic::error(
                        "invalid-sid",
                        text,
                        stmt_span,
                        &path(st, "Sid"),
                        format!(
                            "`Sid` `{sid}` may contain only letters and digits in an IAM policy"
                        ),
                    )
                    .with_help(
                        "bucket policies accept any text, IAM identity policies only `[A-Za-z0-9]`",
                    ),
                );
            }
            if st.sid.is_some()
                && policy
                    .statements
                    .iter()
                    .take_while(|o| o.index != st.index)
                    .any(|o| o.sid == st.sid)
            {
                out.push(
                    Diagnostic::error(
                        "duplicate-sid",
                        text,
                        stmt_span,
                        &path(st, "Sid"),
                        format!(
                            "`Sid` `{}` is used twice",
                            st.sid.as_deref().unwrap_or_default()
                        ),
                    )
                    .with_help(
                        "IAM answers `Statement IDs (SID) in a single policy must be unique.`",
                    ),
                );
            }
        }
        if bucket_policy {
            bucket_policy_statement_rules(st, text, kind, cat, &mut out);
        }
    }
    out
}

/// The errors S3 itself gives a bucket policy's statement: actions that are not S3's, resources
/// outside the bucket, actions on none of their resources' types, unknown `s3:` condition keys.
pub(super) fn bucket_policy_statement_rules(
    st: &Statement,
    text: &str,
    kind: &PolicyKind,
    cat: &Catalogue,
    out: &mut Vec<Diagnostic>,
) {
    let bucket = match kind {
        PolicyKind::BucketPolicy { bucket } => bucket.as_deref(),
        _ => None,
    };
    let action_elem = if st.action.negated {
        "NotAction"
    } else {
        "Action"
    };
    for a in &st.action.actions {
        let known = &*a.value == "*"
            || (a.value.to_ascii_lowercase().starts_with("s3:")
                && cat.actions_matching(&a.value).next().is_some());
        if !known {
            let mut d = Diagnostic::error(
                "invalid-action",
                text,
                a.span,
                &path(st, action_elem),
                format!("`{}` is not an S3 action", a.value),
            )
            .with_s3("Policy has invalid action");
            d.help = suggest_action(cat, &a.value)
                .or_else(|| Some("a bucket policy can only name `s3:` actions".into()));
            out.push(d);
        }
    }
    if let Some(r) = &st.resource {
        let elem = if r.negated { "NotResource" } else { "Resource" };
        for res in &r.resources {
            if let Some(msg) = bucket_resource_problem(&res.value, bucket) {
                out.push(
                    Diagnostic::error("invalid-resource", text, res.span, &path(st, elem), msg)
                        .with_help(match bucket {
                            Some(b) => format!("use `arn:aws:s3:::{b}` for the bucket or `arn:aws:s3:::{b}/*` for its objects"),
                            None => "use the bucket's ARN (`arn:aws:s3:::BUCKET`) or its objects (`arn:aws:s3:::BUCKET/*`)".into(),
                        })
                        .with_s3("Policy has invalid resource"),
                );
            }
        }
        if let Some(d) = mismatch(st, text, true) {
            out.push(d);
        } else if let Some(d) = partial_mismatch(st, text, true).into_iter().next() {
            // S3 refuses the statement as soon as one action applies to none of its
            // resources, even when its other actions do [OBS: aws-amplify/docs#7799,
            // spack/spack-infrastructure#978]; the page itself only lists resource types.
            out.push(d);
        }
    }
    for c in &st.conditions {
        let lower = c.key.to_ascii_lowercase();
        if lower.starts_with("s3:") && cat.key(&c.key).is_none() {
            let mut d = Diagnostic::error(
                "unknown-condition-key",
                text,
                c.key_span,
                &format!("Statement[{}].Condition.{}", st.index, c.operator),
                format!("unknown condition key `{}`", c.key),
            )
            .with_s3("Policy has an invalid condition key");
            d.help = closest(&c.key, cat.key_names()).map(|k| format!("did you mean `{k}`?"));
            out.push(d);
        }
    }
}

/// The size of the document without whitespace outside strings — S3 limits the *normalized*
/// policy (S3 UG `bucket-policies.md`; reference §2.1, §2.9).
/// The size S3 holds against the 20 KB bucket-policy limit: the bytes of the document with the
/// whitespace between JSON tokens left out (whitespace inside strings counts). S3 answers
/// "Normalized policy document exceeds the maximum allowed size of 20480 bytes" (S3 UG
/// `bucket-policies.md`; reference §2.1), so a pretty-printed policy may be longer than 20 KB.
pub fn normalized_size(text: &str) -> usize {
    let (mut size, mut in_string, mut escaped) = (0, false, false);
    for b in text.bytes() {
        if in_string {
            size += 1;
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
        } else if !b.is_ascii_whitespace() {
            size += 1;
            in_string = b == b'"';
        }
    }
    size
}

/// Why a resource cannot appear in the bucket policy of `bucket`, if it cannot.
pub(super) fn bucket_resource_problem(res: &str, bucket: Option<&str>) -> Option<String> {
    let Some(rest) = res.strip_prefix("arn:aws:s3:::") else {
        return Some(if res == "*" {
            "`*` is not allowed as a bucket policy resource".into()
        } else {
            format!("`{res}` is not an S3 bucket or object ARN")
        });
    };
    let bucket_part = rest.split('/').next().unwrap_or(rest);
    if bucket_part.is_empty() {
        return Some(format!("`{res}` names no bucket"));
    }
    let b = bucket?;
    let p = Pattern::new(bucket_part);
    // `arn:aws:s3:::b*` (no slash) also covers the bucket's objects.
    let ok = p.matches(b) || (!rest.contains('/') && Pattern::new(rest).matches(&format!("{b}/x")));
    (!ok).then(|| format!("`{res}` does not refer to the bucket `{b}`"))
}

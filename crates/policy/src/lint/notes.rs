//! Teaching warnings: unknown actions and keys, keys a request never carries, `aws:SecureTransport`
//! written backwards, public `Principal: "*"`, `Allow` with `NotPrincipal`, negated operators on
//! keys that may be absent, repeated and shadowed statements.
//!
//! Follows <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>
//! and <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html>.

use super::resources::{
    ALWAYS_PRESENT, mismatch, partial_mismatch, path, s3_key_never_present, suggest_action,
};
use crate::PolicyKind;
use crate::ast::{BaseOperator, Condition, Effect, Policy, Principals, SetQualifier, Statement};
use crate::catalogue::{Catalogue, catalogue};
use crate::diagnostic::Diagnostic;
use crate::json::Span;
use crate::suggest::closest;
use crate::wildcard::Pattern;

/// Teaching warnings.
pub(crate) fn lint_text(policy: &Policy, text: &str, kind: &PolicyKind) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let cat = catalogue();
    let bucket_policy = matches!(kind, PolicyKind::BucketPolicy { .. });
    let uses_variables = text.contains("${");
    if policy.version.is_none() {
        out.push(
            Diagnostic::warning("missing-version", text, Span::new(0, 1), "Version", "the policy has no `Version`".into())
                .with_help(if uses_variables {
                    "without `\"Version\": \"2012-10-17\"` policy variables such as `${aws:username}` are literal text"
                } else {
                    "add `\"Version\": \"2012-10-17\"` (without it, policy variables are literal text)"
                }),
        );
    } else if !policy.substitutes_variables() && uses_variables {
        out.push(
            Diagnostic::warning(
                "variables-need-2012",
                text,
                Span::new(0, 1),
                "Version",
                "policy variables are literal text in `Version` `2008-10-17`".into(),
            )
            .with_help("use `\"Version\": \"2012-10-17\"` so that `${…}` is substituted"),
        );
    }
    for (i, st) in policy.statements.iter().enumerate() {
        // Unknown actions (S3, KMS, Glacier, IAM, STS), except where the bucket-policy rules already erred.
        for a in &st.action.actions {
            if &*a.value == "*" || !cat.knows_service(&a.value) {
                continue;
            }
            if bucket_policy
                && a.value.to_ascii_lowercase().starts_with("s3:")
                && cat.actions_matching(&a.value).next().is_none()
            {
                continue;
            }
            if cat.actions_matching(&a.value).next().is_none() {
                let elem = if st.action.negated {
                    "NotAction"
                } else {
                    "Action"
                };
                let mut d = Diagnostic::warning(
                    "unknown-action",
                    text,
                    a.span,
                    &path(st, elem),
                    format!("unknown action `{}`", a.value),
                );
                d.help = suggest_action(cat, &a.value).or_else(|| Some("it matches no action in the Service Authorization Reference, so it never applies".into()));
                out.push(d);
            }
        }
        if !bucket_policy && let Some(d) = mismatch(st, text, false) {
            out.push(d);
        } else if !bucket_policy && mismatch(st, text, true).is_none() {
            out.extend(partial_mismatch(st, text, false));
        }
        condition_notes(st, text, cat, bucket_policy, &mut out);
        principal_notes(st, text, bucket_policy, &mut out);
        overlap_notes(policy, i, st, text, kind, &mut out);
    }
    out
}

/// The notes on a statement's conditions: unknown keys and operators, keys the request never
/// carries, and operators that do not fit the key's type.
pub(super) fn condition_notes(
    st: &Statement,
    text: &str,
    cat: &Catalogue,
    bucket_policy: bool,
    out: &mut Vec<Diagnostic>,
) {
    // Condition keys and operators.
    for c in &st.conditions {
        let cpath = format!("Statement[{}].Condition.{}", st.index, c.operator);
        let lower = c.key.to_ascii_lowercase();
        key_notes(st, c, &cpath, &lower, text, cat, bucket_policy, out);
        operator_notes(st, c, &cpath, &lower, text, out);
    }
}

/// The notes on a condition's key: unknown, never in such a request, `aws:SecureTransport`
/// written backwards.
#[expect(
    clippy::too_many_arguments,
    reason = "the statement, the condition and what the policy's kind changes"
)]
pub(super) fn key_notes(
    st: &Statement,
    c: &Condition,
    cpath: &str,
    lower: &str,
    text: &str,
    cat: &Catalogue,
    bucket_policy: bool,
    out: &mut Vec<Diagnostic>,
) {
    let known_prefix = lower.starts_with("aws:")
        || (lower.starts_with("s3:") && !bucket_policy)
        || lower.starts_with("kms:")
        || lower.starts_with("glacier:");
    if known_prefix && cat.key(&c.key).is_none() {
        let mut d = Diagnostic::warning(
            "unknown-condition-key",
            text,
            c.key_span,
            cpath,
            format!("unknown condition key `{}`", c.key),
        );
        d.help = closest(&c.key, cat.key_names())
            .map(|k| format!("did you mean `{k}`?"))
            .or_else(|| Some("an unknown key is absent from every request: positive operators never match it, negated ones always do".into()));
        out.push(d);
    }
    if lower.starts_with("s3:")
        && cat.key(&c.key).is_some()
        && let Some(never) = s3_key_never_present(st, &c.key)
    {
        let holds = if c.operator.if_exists
            || c.operator.base.is_negated()
            || c.operator.qualifier == Some(SetQualifier::ForAllValues)
            || c.operator.base == BaseOperator::Null
        {
            "its outcome never depends on the request"
        } else {
            "it is never met"
        };
        out.push(
            Diagnostic::warning("condition-key-not-applicable", text, c.key_span, cpath, format!("`{}` is never in a request for {never}, so {holds}", c.key))
                .with_help("S3 answers `Conditions do not apply to combination of actions and resources in statement` for some such policies; see the condition keys each action supports in the Service Authorization Reference"),
        );
    }
    let values: Vec<&str> = c.values.iter().map(|v| &*v.value).collect();
    if lower == "aws:securetransport" && c.operator.base == BaseOperator::Bool {
        let backwards = match st.effect {
            Effect::Allow => values.iter().all(|v| v.eq_ignore_ascii_case("false")),
            Effect::Deny => values.iter().all(|v| v.eq_ignore_ascii_case("true")),
        };
        if backwards {
            let (say, fix) = match st.effect {
                Effect::Allow => (
                    "this `Allow` grants only plain-HTTP requests",
                    "to require HTTPS, `Deny` when `aws:SecureTransport` is `false`",
                ),
                Effect::Deny => (
                    "this `Deny` blocks HTTPS requests, not plain HTTP",
                    "to require HTTPS, write `\"Bool\": {\"aws:SecureTransport\": \"false\"}` in the `Deny`",
                ),
            };
            out.push(
                Diagnostic::warning(
                    "secure-transport-backwards",
                    text,
                    c.key_span,
                    cpath,
                    format!("`aws:SecureTransport` looks backwards: {say}"),
                )
                .with_help(fix),
            );
        }
    }
}

/// The notes on a condition's operator and values: `Bool` values, variables where they are not
/// substituted, negated operators and `ForAllValues` on a key the request may not carry.
pub(super) fn operator_notes(
    st: &Statement,
    c: &Condition,
    cpath: &str,
    lower: &str,
    text: &str,
    out: &mut Vec<Diagnostic>,
) {
    if c.operator.base.family() == crate::ast::OperatorFamily::Bool {
        for v in &c.values {
            if !v.value.eq_ignore_ascii_case("true")
                && !v.value.eq_ignore_ascii_case("false")
                && !v.value.contains("${")
            {
                out.push(Diagnostic::warning(
                    "bool-value",
                    text,
                    v.span,
                    cpath,
                    format!("`Bool` compares with `true` or `false`, not `{}`", v.value),
                ));
            }
        }
    }
    if !c.operator.base.takes_variables() && c.values.iter().any(|v| v.value.contains("${")) {
        out.push(
            Diagnostic::warning(
                "variable-not-substituted",
                text,
                c.operator_span,
                cpath,
                format!(
                    "policy variables are not substituted in `{}` values",
                    c.operator
                ),
            )
            .with_help(
                "variables work in `String…`, `Arn…` and `Bool` operators and in `Resource`",
            ),
        );
    }
    let negated_absent = c.operator.base.is_negated()
        && !c.operator.if_exists
        && c.operator.qualifier.is_none()
        && !ALWAYS_PRESENT.contains(&lower);
    if negated_absent && st.effect == Effect::Allow {
        out.push(
            Diagnostic::warning("negated-on-absent-key", text, c.operator_span, cpath, format!("`{}` is true when the request has no `{}`, so this `Allow` also grants requests without it", c.operator, c.key))
                .with_help(format!("add `\"Null\": {{\"{}\": \"false\"}}` if the key must be present", c.key)),
        );
    }
    if negated_absent && st.effect == Effect::Deny {
        out.push(
            Diagnostic::warning("negated-on-absent-key", text, c.operator_span, cpath, format!("`{}` is true when the request has no `{}`, so this `Deny` also denies requests without it", c.operator, c.key))
                .with_help(format!("that is often intended (e.g. requiring an encryption header); if not, use `{}IfExists`, or add a `Null` condition", c.operator)),
        );
    }
    if c.operator.qualifier == Some(SetQualifier::ForAllValues)
        && st.effect == Effect::Allow
        && !c.operator.base.is_negated()
    {
        out.push(
            Diagnostic::warning(
                "for-all-values-allow",
                text,
                c.operator_span,
                cpath,
                format!(
                    "`{}` is also true when the request has no `{}` at all",
                    c.operator, c.key
                ),
            )
            .with_help(format!(
                "add `\"Null\": {{\"{}\": \"false\"}}` so the `Allow` needs the key present",
                c.key
            )),
        );
    }
}

/// The notes on a statement's principal: a public grant, and `Allow` with `NotPrincipal`.
pub(super) fn principal_notes(
    st: &Statement,
    text: &str,
    bucket_policy: bool,
    out: &mut Vec<Diagnostic>,
) {
    // Public grants and NotPrincipal.
    if let Some(p) = &st.principal {
        let star = matches!(&p.principals, Principals::Any)
            || matches!(&p.principals, Principals::Listed(l) if l.iter().any(|e| &*e.value == "*"));
        let ppath = path(
            st,
            if p.negated {
                "NotPrincipal"
            } else {
                "Principal"
            },
        );
        if st.effect == Effect::Allow
            && !p.negated
            && star
            && crate::public::fixing_condition(st).is_none()
        {
            let what = if st.conditions.is_empty() {
                "with no condition"
            } else {
                "with no condition that pins the caller"
            };
            out.push(
                Diagnostic::warning("public-grant", text, p.span, &ppath, format!("`Principal: \"*\"` {what} grants everyone, including anonymous callers"))
                    .with_help("this makes the policy public (Block Public Access would reject or ignore it); name accounts or roles, or add a condition such as `aws:PrincipalOrgID` or `aws:SourceVpce`"),
            );
        }
        if st.effect == Effect::Allow && p.negated && !bucket_policy {
            out.push(
                Diagnostic::warning("allow-not-principal", text, p.span, &ppath, "`Allow` with `NotPrincipal` grants everyone not listed, including anonymous callers".into())
                    .with_help("use `Principal` to name who is allowed; `NotPrincipal` is meant for `Deny`"),
            );
        }
    }
}

/// The notes that compare statement `i` with the others: a repeated `Sid`, a repeated statement,
/// an `Allow` shadowed by an unconditional `Deny`.
pub(super) fn overlap_notes(
    policy: &Policy,
    i: usize,
    st: &Statement,
    text: &str,
    kind: &PolicyKind,
    out: &mut Vec<Diagnostic>,
) {
    // Sids must be unique (IAM); repeated or shadowed statements.
    for earlier in policy.statements.iter().take(i) {
        if st.sid.is_some() && st.sid == earlier.sid && !matches!(kind, PolicyKind::Identity) {
            out.push(
                Diagnostic::warning(
                    "duplicate-sid",
                    text,
                    st.span,
                    &path(st, "Sid"),
                    format!(
                        "`Sid` `{}` is used twice",
                        st.sid.as_deref().unwrap_or_default()
                    ),
                )
                .with_help("statement ids must be unique within a policy"),
            );
        }
        if same_scope(st, earlier)
            && st.effect == earlier.effect
            && st.conditions == earlier.conditions
        {
            out.push(
                Diagnostic::warning(
                    "redundant-statement",
                    text,
                    Span::new(st.span.start, st.span.start + 1),
                    &format!("Statement[{}]", st.index),
                    format!(
                        "statement {} repeats statement {}",
                        st.label(),
                        earlier.label()
                    ),
                )
                .with_help("remove one of them"),
            );
        } else if st.effect == Effect::Allow
            && earlier.effect == Effect::Deny
            && earlier.conditions.is_empty()
            && covers(earlier, st)
        {
            out.push(shadowed(text, st, earlier));
        }
    }
    for later in policy.statements.iter().skip(i + 1) {
        if st.effect == Effect::Allow
            && later.effect == Effect::Deny
            && later.conditions.is_empty()
            && covers(later, st)
        {
            out.push(shadowed(text, st, later));
        }
    }
}

pub(super) fn shadowed(text: &str, allow: &Statement, deny: &Statement) -> Diagnostic {
    Diagnostic::warning(
        "shadowed-statement",
        text,
        Span::new(allow.span.start, allow.span.start + 1),
        &format!("Statement[{}]", allow.index),
        format!("statement {} can never allow anything: statement {} denies all of it without conditions", allow.label(), deny.label()),
    )
    .with_help("an explicit deny overrides every allow, whatever the order of statements")
}

pub(super) fn same_scope(a: &Statement, b: &Statement) -> bool {
    let texts = |v: &[crate::ast::Spanned<std::sync::Arc<str>>]| {
        v.iter().map(|s| s.value.clone()).collect::<Vec<_>>()
    };
    a.action.negated == b.action.negated
        && texts(&a.action.actions) == texts(&b.action.actions)
        && a.resource
            .as_ref()
            .map(|r| (r.negated, texts(&r.resources)))
            == b.resource
                .as_ref()
                .map(|r| (r.negated, texts(&r.resources)))
        && principal_text(a) == principal_text(b)
}

pub(super) fn principal_text(s: &Statement) -> Option<(bool, Vec<String>)> {
    s.principal.as_ref().map(|p| {
        (
            p.negated,
            match &p.principals {
                Principals::Any => vec!["*".to_string()],
                Principals::Listed(l) => l
                    .iter()
                    .map(|e| format!("{}:{}", e.kind.key(), e.value))
                    .collect(),
            },
        )
    })
}

/// Whether `wide` (positive elements, no conditions) covers everything `narrow` can match.
pub(super) fn covers(wide: &Statement, narrow: &Statement) -> bool {
    if wide.action.negated || narrow.action.negated {
        return false;
    }
    let principal_ok = match (&wide.principal, &narrow.principal) {
        (None, None) => true,
        (Some(w), _) if !w.negated && matches!(w.principals, Principals::Any) => true,
        _ => {
            principal_text(wide) == principal_text(narrow)
                && principal_text(wide).is_some_and(|(n, _)| !n)
        }
    };
    let actions_ok = narrow.action.actions.iter().all(|n| {
        wide.action
            .actions
            .iter()
            .any(|w| Pattern::new(&w.value).matches_ignore_case(&n.value))
    });
    let resources_ok = match (&wide.resource, &narrow.resource) {
        (Some(w), Some(n)) if !w.negated && !n.negated => n.resources.iter().all(|nr| {
            !nr.value.contains("${")
                && w.resources.iter().any(|wr| {
                    !wr.value.contains("${") && Pattern::new(&wr.value).matches(&nr.value)
                })
        }),
        _ => false,
    };
    principal_ok && actions_ok && resources_ok
}

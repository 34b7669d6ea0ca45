//! Rules that depend on the kind of policy, and teaching warnings.
//!
//! Errors: what S3 rejects at `PutBucketPolicy` with `MalformedPolicy` (reference §2.9; S3 UG
//! `bucket-policies.md`, `s3-arn-format.md`) and what IAM rejects for identity policies.
//! Warnings: pitfalls the reference names — the `/` vs `/*` resource mismatch (§2.5), unknown
//! actions and keys, `aws:SecureTransport` written backwards (§4), public `Principal: "*"` (§1.8),
//! `Allow` with `NotPrincipal` (§2.3), negated operators on keys that may be absent (§2.6, §4),
//! shadowed or repeated statements.

use crate::PolicyKind;
use crate::ast::{BaseOperator, Effect, Policy, Principals, SetQualifier, Statement};
use crate::catalogue::{Catalogue, catalogue};
use crate::diagnostic::Diagnostic;
use crate::json::Span;
use crate::suggest::closest;
use crate::wildcard::Pattern;

/// Teaching warnings for a policy of unknown kind.
pub fn lint(policy: &Policy) -> Vec<Diagnostic> {
    lint_text(policy, &policy.source, &PolicyKind::Any)
}

/// Teaching warnings plus kind rules (errors first), for a policy of `kind`.
pub fn lint_as(policy: &Policy, kind: &PolicyKind) -> Vec<Diagnostic> {
    let mut out = kind_rules(policy, &policy.source, kind);
    out.extend(lint_text(policy, &policy.source, kind));
    out
}

fn path(st: &Statement, element: &str) -> String {
    format!("Statement[{}].{element}", st.index)
}

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
        if !bucket_policy {
            continue;
        }
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
            let known = a.value == "*"
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
    out
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

fn suggest_action(cat: &Catalogue, name: &str) -> Option<String> {
    closest(name, cat.action_names()).map(|a| format!("did you mean `{a}`?"))
}

/// Why a resource cannot appear in the bucket policy of `bucket`, if it cannot.
fn bucket_resource_problem(res: &str, bucket: Option<&str>) -> Option<String> {
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

/// What a resource pattern can name: the bucket, objects, or both.
fn resource_types(res: &str) -> (bool, bool) {
    if res == "*" {
        return (true, true);
    }
    let Some(rest) = res.strip_prefix("arn:aws:s3:::") else {
        return (false, false);
    };
    if rest.contains('/') {
        let before_slash = rest.split('/').next().unwrap_or_default();
        // `b*/x` could still be … only objects. A `*` before the slash cannot make it a bucket.
        let _ = before_slash;
        (false, true)
    } else if rest.contains('*') {
        // `arn:aws:s3:::b*` matches the bucket and every object in it.
        (true, true)
    } else {
        (true, false)
    }
}

/// The `/` vs `/*` pitfall: every action of the statement needs a resource type that none of its
/// resources can be (reference §2.5). An error in bucket policies, a warning elsewhere.
fn mismatch(st: &Statement, text: &str, as_error: bool) -> Option<Diagnostic> {
    let r = st.resource.as_ref()?;
    if st.action.negated || r.negated {
        return None;
    }
    let cat = catalogue();
    let (mut can_bucket, mut can_object) = (false, false);
    for res in &r.resources {
        let (b, o) = resource_types(&res.value);
        can_bucket |= b;
        can_object |= o;
        if !res.value.starts_with("arn:aws:s3:::") && res.value != "*" {
            return None;
        }
    }
    let mut needs_object = Vec::new();
    let mut needs_bucket = Vec::new();
    for a in &st.action.actions {
        if !a.value.to_ascii_lowercase().starts_with("s3:") {
            return None;
        }
        let matched: Vec<_> = cat.actions_matching(&a.value).collect();
        if matched.is_empty() {
            return None;
        }
        for info in matched {
            let t = &info.resource_types;
            let applies = (can_bucket && t.iter().any(|x| x == "bucket"))
                || (can_object && t.iter().any(|x| x == "object"));
            if applies {
                return None;
            }
            if t.iter().any(|x| x == "object") {
                needs_object.push(a.value.as_str());
            } else if t.iter().any(|x| x == "bucket") {
                needs_bucket.push(a.value.as_str());
            }
        }
    }
    let first = r.resources.first()?;
    needs_object.dedup();
    needs_bucket.dedup();
    let (msg, help) = if let Some(a) = needs_object.first() {
        let fixed = format!("{}/*", first.value.trim_end_matches('/'));
        (
            format!(
                "`{a}` applies to objects, but `{}` is the bucket, not its objects",
                first.value
            ),
            format!(
                "use `{fixed}` for the objects in the bucket (keep the bucket ARN too if the statement also lists the bucket)"
            ),
        )
    } else if let Some(a) = needs_bucket.first() {
        let fixed = first
            .value
            .split('/')
            .next()
            .unwrap_or(&first.value)
            .to_string();
        (
            format!(
                "`{a}` applies to the bucket, but `{}` names objects",
                first.value
            ),
            format!("use the bucket ARN `{fixed}`"),
        )
    } else {
        (
            "no action of this statement applies to any of its resources".to_string(),
            "check the resource types in the Service Authorization Reference".to_string(),
        )
    };
    let p = path(st, "Resource");
    let d = if as_error {
        Diagnostic::error("action-resource-mismatch", text, first.span, &p, msg)
            .with_s3("Action does not apply to any resource(s) in statement")
    } else {
        Diagnostic::warning(
            "action-resource-mismatch",
            text,
            first.span,
            &p,
            format!("{msg}: the statement never matches"),
        )
    };
    Some(d.with_help(help))
}

/// Single actions of a statement that apply to none of its resources, while other actions do —
/// e.g. `s3:ListBucket` next to `s3:GetObject` on `arn:aws:s3:::b/*` (reference §2.5). Errors
/// with S3's `MalformedPolicy` message in bucket policies (`as_error`), warnings elsewhere.
fn partial_mismatch(st: &Statement, text: &str, as_error: bool) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let Some(r) = st.resource.as_ref() else {
        return out;
    };
    if st.action.negated
        || r.negated
        || r.resources
            .iter()
            .any(|x| !x.value.starts_with("arn:aws:s3:::"))
    {
        return out;
    }
    let (mut can_bucket, mut can_object) = (false, false);
    for res in &r.resources {
        let (b, o) = resource_types(&res.value);
        can_bucket |= b;
        can_object |= o;
    }
    let cat = catalogue();
    for a in &st.action.actions {
        if a.value.contains(['*', '?']) {
            continue;
        }
        let Some(info) = cat.action(&a.value) else {
            continue;
        };
        let t = &info.resource_types;
        let object = t.iter().any(|x| x == "object");
        let bucket = t.iter().any(|x| x == "bucket");
        let first = r.resources.first().map_or("", |x| x.value.as_str());
        let diagnostic = |message: String| {
            if as_error {
                Diagnostic::error(
                    "action-resource-mismatch",
                    text,
                    a.span,
                    &path(st, "Action"),
                    message,
                )
                .with_s3("Action does not apply to any resource(s) in statement")
            } else {
                Diagnostic::warning(
                    "action-resource-mismatch",
                    text,
                    a.span,
                    &path(st, "Action"),
                    format!("{message}, so it never grants or denies it"),
                )
            }
        };
        if object && !bucket && !can_object {
            out.push(
                diagnostic(format!(
                    "`{}` applies to objects, but the statement lists only the bucket",
                    a.value
                ))
                .with_help(format!(
                    "add `{}/*` to `Resource`, or move `{}` to a statement of its own",
                    first.trim_end_matches('/'),
                    a.value
                )),
            );
        } else if bucket && !object && !can_bucket {
            let bucket_arn = first.split('/').next().unwrap_or(first);
            out.push(
                diagnostic(format!("`{}` applies to the bucket, but the statement lists only objects", a.value))
                    .with_help(format!("add the bucket ARN `{bucket_arn}` to `Resource`, or move `{}` to a statement of its own", a.value)),
            );
        }
    }
    out
}

/// When none of the statement's (S3) actions can carry `key`, the actions for the message.
fn s3_key_never_present(st: &Statement, key: &str) -> Option<String> {
    if st.action.negated {
        return None;
    }
    let cat = catalogue();
    let mut names = Vec::new();
    for a in &st.action.actions {
        if !a.value.to_ascii_lowercase().starts_with("s3:") {
            return None;
        }
        for info in cat.actions_matching(&a.value) {
            if cat.s3_key_applies(&info.name, key) != Some(false) {
                return None;
            }
            names.push(info.name.as_str());
        }
    }
    match names.as_slice() {
        [] => None,
        [one] => Some(format!("`{one}`")),
        [first, ..] if names.len() > 3 => Some(format!(
            "`{first}` and the statement's other {} actions",
            names.len() - 1
        )),
        many => Some(
            many.iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", "),
        ),
    }
}

/// Keys that every request carries, so a negated operator on them never fires "by absence".
const ALWAYS_PRESENT: &[&str] = &[
    "aws:securetransport",
    "aws:principalaccount",
    "aws:principaltype",
    "aws:userid",
    "aws:currenttime",
    "aws:epochtime",
    "aws:viaawsservice",
    "aws:resourceaccount",
    "s3:resourceaccount",
    "aws:principalarn",
    "aws:requestedregion",
];

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
            if a.value == "*" || !cat.knows_service(&a.value) {
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
        // Condition keys and operators.
        for c in &st.conditions {
            let cpath = format!("Statement[{}].Condition.{}", st.index, c.operator);
            let lower = c.key.to_ascii_lowercase();
            let known_prefix = lower.starts_with("aws:")
                || (lower.starts_with("s3:") && !bucket_policy)
                || lower.starts_with("kms:")
                || lower.starts_with("glacier:");
            if known_prefix && cat.key(&c.key).is_none() {
                let mut d = Diagnostic::warning(
                    "unknown-condition-key",
                    text,
                    c.key_span,
                    &cpath,
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
                    Diagnostic::warning("condition-key-not-applicable", text, c.key_span, &cpath, format!("`{}` is never in a request for {never}, so {holds}", c.key))
                        .with_help("S3 answers `Conditions do not apply to combination of actions and resources in statement` for some such policies; see the condition keys each action supports in the Service Authorization Reference"),
                );
            }
            let values: Vec<&str> = c.values.iter().map(|v| v.value.as_str()).collect();
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
                            &cpath,
                            format!("`aws:SecureTransport` looks backwards: {say}"),
                        )
                        .with_help(fix),
                    );
                }
            }
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
                            &cpath,
                            format!("`Bool` compares with `true` or `false`, not `{}`", v.value),
                        ));
                    }
                }
            }
            if !c.operator.base.takes_variables() && c.values.iter().any(|v| v.value.contains("${"))
            {
                out.push(Diagnostic::warning("variable-not-substituted", text, c.operator_span, &cpath, format!("policy variables are not substituted in `{}` values", c.operator)).with_help("variables work in `String…`, `Arn…` and `Bool` operators and in `Resource`"));
            }
            let negated_absent = c.operator.base.is_negated()
                && !c.operator.if_exists
                && c.operator.qualifier.is_none()
                && !ALWAYS_PRESENT.contains(&lower.as_str());
            if negated_absent && st.effect == Effect::Allow {
                out.push(
                    Diagnostic::warning("negated-on-absent-key", text, c.operator_span, &cpath, format!("`{}` is true when the request has no `{}`, so this `Allow` also grants requests without it", c.operator, c.key))
                        .with_help(format!("add `\"Null\": {{\"{}\": \"false\"}}` if the key must be present", c.key)),
                );
            }
            if negated_absent && st.effect == Effect::Deny {
                out.push(
                    Diagnostic::warning("negated-on-absent-key", text, c.operator_span, &cpath, format!("`{}` is true when the request has no `{}`, so this `Deny` also denies requests without it", c.operator, c.key))
                        .with_help(format!("that is often intended (e.g. requiring an encryption header); if not, use `{}IfExists`, or add a `Null` condition", c.operator)),
                );
            }
            if c.operator.qualifier == Some(SetQualifier::ForAllValues)
                && st.effect == Effect::Allow
                && !c.operator.base.is_negated()
            {
                out.push(
                    Diagnostic::warning("for-all-values-allow", text, c.operator_span, &cpath, format!("`{}` is also true when the request has no `{}` at all", c.operator, c.key))
                        .with_help(format!("add `\"Null\": {{\"{}\": \"false\"}}` so the `Allow` needs the key present", c.key)),
                );
            }
        }
        // Public grants and NotPrincipal.
        if let Some(p) = &st.principal {
            let star = matches!(&p.principals, Principals::Any)
                || matches!(&p.principals, Principals::Listed(l) if l.iter().any(|e| e.value == "*"));
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
    out
}

fn shadowed(text: &str, allow: &Statement, deny: &Statement) -> Diagnostic {
    Diagnostic::warning(
        "shadowed-statement",
        text,
        Span::new(allow.span.start, allow.span.start + 1),
        &format!("Statement[{}]", allow.index),
        format!("statement {} can never allow anything: statement {} denies all of it without conditions", allow.label(), deny.label()),
    )
    .with_help("an explicit deny overrides every allow, whatever the order of statements")
}

fn same_scope(a: &Statement, b: &Statement) -> bool {
    let texts =
        |v: &[crate::ast::Spanned<String>]| v.iter().map(|s| s.value.clone()).collect::<Vec<_>>();
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

fn principal_text(s: &Statement) -> Option<(bool, Vec<String>)> {
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
fn covers(wide: &Statement, narrow: &Statement) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str, kind: &PolicyKind) -> Vec<&'static str> {
        let p = Policy::parse(text).unwrap();
        lint_as(&p, kind).into_iter().map(|d| d.code).collect()
    }

    #[test]
    fn object_action_on_bucket_arn_is_flagged_with_the_fix() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b"}]}"#;
        let p = Policy::parse(text).unwrap();
        let d: Vec<_> = lint(&p)
            .into_iter()
            .filter(|d| d.code == "action-resource-mismatch")
            .collect();
        assert_eq!(d.len(), 1);
        assert!(d[0].help.as_ref().unwrap().contains("arn:aws:s3:::b/*"));
        let bp = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b/*"}]}"#;
        let errs = Policy::parse_as(
            bp,
            &PolicyKind::BucketPolicy {
                bucket: Some("b".into()),
            },
        )
        .unwrap_err();
        assert_eq!(
            errs[0].s3_message.as_deref(),
            Some("Action does not apply to any resource(s) in statement")
        );
        assert!(errs[0].help.as_ref().unwrap().contains("`arn:aws:s3:::b`"));
    }

    #[test]
    fn one_action_of_several_on_the_wrong_resource_type() {
        let text = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":["s3:GetObject","s3:ListBucket"],"Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:SourceVpce":"v"}}}}"#;
        let p = Policy::parse(text).unwrap();
        let d: Vec<_> = lint_as(
            &p,
            &PolicyKind::BucketPolicy {
                bucket: Some("b".into()),
            },
        );
        assert_eq!(d.len(), 1, "{d:#?}");
        assert!(
            d[0].message
                .starts_with("`s3:ListBucket` applies to the bucket")
        );
        assert_eq!(
            d[0].help.as_deref(),
            Some(
                "add the bucket ARN `arn:aws:s3:::b` to `Resource`, or move `s3:ListBucket` to a statement of its own"
            )
        );
        // S3 refuses the whole bucket policy for it (E1 in notes/fidelity-review.md).
        assert_eq!(d[0].severity, crate::Severity::Error);
    }

    #[test]
    fn s3_prefix_on_get_object_is_never_present() {
        let text = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringLike":{"s3:prefix":"home/*"}}}}"#;
        let d: Vec<_> = lint(&Policy::parse(text).unwrap())
            .into_iter()
            .filter(|d| d.code == "condition-key-not-applicable")
            .collect();
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].message,
            "`s3:prefix` is never in a request for `s3:GetObject`, so it is never met"
        );
        let ok = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["s3:ListBucket"],"Resource":"arn:aws:s3:::b","Condition":{"StringLike":{"s3:prefix":"home/*"}}}}"#;
        assert!(
            lint(&Policy::parse(ok).unwrap())
                .iter()
                .all(|d| d.code != "condition-key-not-applicable")
        );
    }

    #[test]
    fn teaching_warnings() {
        let any = PolicyKind::Any;
        assert!(codes(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObjekt","Resource":"*"}}"#, &any).contains(&"unknown-action"));
        assert!(codes(r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}}"#, &any).contains(&"secure-transport-backwards"));
        assert!(codes(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}"#, &any).contains(&"public-grant"));
        assert!(codes(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringLike":{"aws:SourceVpc":"vpc-*"}}}}"#, &any).contains(&"public-grant"));
        assert!(!codes(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:SourceVpc":"vpc-91237329"}}}}"#, &any).contains(&"public-grant"));
        assert!(codes(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceVpce":"v"}}}}"#, &any).contains(&"negated-on-absent-key"));
        assert!(codes(r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption":"AES256"}}}}"#, &any).contains(&"negated-on-absent-key"));
        assert!(codes(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpcee":"v"}}}}"#, &any).contains(&"unknown-condition-key"));
        assert!(codes(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}"#, &any).contains(&"shadowed-statement"));
        assert!(codes(r#"{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}"}}"#, &any).contains(&"missing-version"));
        assert!(codes(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}"#, &any).contains(&"allow-not-principal"));
    }

    #[test]
    fn bucket_policy_rules() {
        let kind = PolicyKind::BucketPolicy {
            bucket: Some("b".into()),
        };
        let errs = |t: &str| {
            Policy::parse_as(t, &kind)
                .unwrap_err()
                .into_iter()
                .map(|d| d.s3_message.unwrap_or_default())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            errs(
                r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}"#
            ),
            ["Missing required field Principal"]
        );
        assert_eq!(
            errs(
                r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}}"#
            ),
            ["Policy has invalid resource"]
        );
        assert_eq!(
            errs(
                r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::other/*"}}"#
            ),
            ["Policy has invalid resource"]
        );
        assert_eq!(
            errs(
                r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"ec2:RunInstances","Resource":"arn:aws:s3:::b/*"}}"#
            ),
            ["Policy has invalid action"]
        );
        assert_eq!(
            errs(
                r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"s3:x-amz-server-side-encryptoin":"AES256"}}}}"#
            ),
            ["Policy has an invalid condition key"]
        );
        assert_eq!(
            errs(
                r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}"#
            ),
            ["Invalid principal in policy"]
        );
        assert!(Policy::parse_as(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]}}"#, &kind).is_ok());
        assert!(Policy::parse_as(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b*"}}"#, &kind).is_ok());
        let big = format!(
            r#"{{"Version":"2012-10-17","Id":"{}","Statement":{{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}}}"#,
            "x".repeat(21_000)
        );
        assert!(errs(&big).iter().any(|m| m.contains("20480")));
    }

    #[test]
    fn aws_example_bucket_policies_are_accepted() {
        // Shapes from S3 UG `example-bucket-policies.md` and the logging/CloudFront pages.
        let examples = [
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"Grant read and write to another account","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":["s3:GetObject","s3:PutObject","s3:PutObjectAcl"],"Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*","Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control"}}}]}"#,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/Dave"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::amzn-s3-demo-bucket","Condition":{"StringLike":{"s3:prefix":["","home/","home/${aws:username}/*"]},"NumericLessThanEquals":{"s3:max-keys":"100"}}}]}"#,
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"S3ServerAccessLogsPolicy","Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":["s3:PutObject"],"Resource":"arn:aws:s3:::amzn-s3-demo-bucket/logs/*","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::source-bucket"},"StringEquals":{"aws:SourceAccount":"111122223333"}}}]}"#,
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"RestrictToTLSRequestsOnly","Action":"s3:*","Effect":"Deny","Resource":["arn:aws:s3:::amzn-s3-demo-bucket","arn:aws:s3:::amzn-s3-demo-bucket/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}},"Principal":"*"}]}"#,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E15MNIMTCFKK4C"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*"}]}"#,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*"}]}"#,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cloudfront.amazonaws.com"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*","Condition":{"StringEquals":{"AWS:SourceArn":"arn:aws:cloudfront::111122223333:distribution/EDFDVBD6EXAMPLE"}}}]}"#,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*","Condition":{"ForAllValues:StringNotEquals":{"s3:RequestObjectTagKeys":["Owner","CreationDate"]}}},{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/JohnDoe"},"Action":["s3:GetObject","s3:GetObjectVersion"],"Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*","Condition":{"StringEquals":{"s3:ExistingObjectTag/environment":"production"}}}]}"#,
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"DenyObjectsThatAreNotSSEKMS","Principal":"*","Effect":"Deny","Action":"s3:PutObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*","Condition":{"Null":{"s3:x-amz-server-side-encryption-aws-kms-key-id":"true"}}}]}"#,
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"Access-to-specific-VPCE-only","Principal":"*","Action":"s3:*","Effect":"Deny","Resource":["arn:aws:s3:::amzn-s3-demo-bucket","arn:aws:s3:::amzn-s3-demo-bucket/*"],"Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}}]}"#,
        ];
        for text in examples {
            let r = crate::validate_bucket_policy(text, Some("amzn-s3-demo-bucket"));
            assert!(r.is_ok(), "{text}: {:#?}", r.err());
        }
    }

    #[test]
    fn size_limit_ignores_whitespace() {
        assert_eq!(normalized_size("{ \"a b\" : [ 1 , \"x\\\" y\" ] }"), 19);
        let padded = format!(
            "{{\"Version\":\"2012-10-17\",{}\"Statement\":{{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}}}}",
            " ".repeat(30_000)
        );
        assert!(crate::validate_bucket_policy(&padded, Some("b")).is_ok());
    }

    #[test]
    fn too_large_message_reports_the_size_that_was_compared() {
        let big = format!(
            "{{\"Version\":\"2012-10-17\",  \"Id\":\"{}\",\"Statement\":{{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}}}}",
            "x".repeat(21_000)
        );
        let counted = normalized_size(&big);
        assert_eq!(counted + 2, big.len());
        let errors = crate::validate_bucket_policy(&big, Some("b")).unwrap_err();
        let message = &errors.first().unwrap().message;
        assert_eq!(
            message,
            &format!(
                "the bucket policy is {counted} bytes without whitespace, over the 20 KB limit"
            )
        );
    }

    #[test]
    fn identity_policies_need_simple_unique_sids() {
        let r = Policy::parse_as(
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"Read all","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Sid":"A","Effect":"Deny","Action":"s3:PutObject","Resource":"*"}]}"#,
            &PolicyKind::Identity,
        );
        let codes: Vec<_> = r.unwrap_err().into_iter().map(|d| d.code).collect();
        assert_eq!(codes, ["invalid-sid", "duplicate-sid"]);
    }

    #[test]
    fn identity_policies_cannot_name_principals() {
        let r = Policy::parse_as(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}}"#,
            &PolicyKind::Identity,
        );
        assert_eq!(r.unwrap_err()[0].code, "principal-not-allowed");
    }
}

//! How a statement's actions meet its resources and condition keys, which both the kind rules and
//! the teaching warnings read: the resource types each action applies to (the `/` vs `/*`
//! mismatch), the `s3:` keys a request never carries, the closest known action.
//!
//! Follows the Service Authorization Reference for Amazon S3
//! (<https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html>).

use crate::ast::Statement;
use crate::catalogue::{Catalogue, catalogue};
use crate::diagnostic::Diagnostic;
use crate::suggest::closest;

pub(super) fn path(st: &Statement, element: &str) -> String {
    format!("Statement[{}].{element}", st.index)
}

pub(super) fn suggest_action(cat: &Catalogue, name: &str) -> Option<String> {
    closest(name, cat.action_names()).map(|a| format!("did you mean `{a}`?"))
}

/// What a resource pattern can name: the bucket, objects, or both.
pub(super) fn resource_types(res: &str) -> (bool, bool) {
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
pub(super) fn mismatch(st: &Statement, text: &str, as_error: bool) -> Option<Diagnostic> {
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
        if !res.value.starts_with("arn:aws:s3:::") && &*res.value != "*" {
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
                needs_object.push(&*a.value);
            } else if t.iter().any(|x| x == "bucket") {
                needs_bucket.push(&*a.value);
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
pub(super) fn partial_mismatch(st: &Statement, text: &str, as_error: bool) -> Vec<Diagnostic> {
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
        let first = r.resources.first().map_or("", |x| &*x.value);
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
pub(super) fn s3_key_never_present(st: &Statement, key: &str) -> Option<String> {
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
pub(super) const ALWAYS_PRESENT: &[&str] = &[
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

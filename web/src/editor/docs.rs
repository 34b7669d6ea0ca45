//! Hover documentation for actions, condition keys and condition operators: what the catalogue
//! knows (resource types, the condition keys an action's requests carry, a key's type) and the
//! AWS page to read more — the Service Authorization Reference for actions and service keys,
//! IAM UG `reference_policies_condition-keys.html` for global keys and
//! `reference_policies_elements_condition_operators.html` for operators.

use s3pg_policy::ast::{Operator, OperatorFamily};
use s3pg_policy::catalogue::Catalogue;

use super::tokens::{Slot, Token};

/// Documentation of one token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc {
    /// The name documented (`s3:GetObject`).
    pub title: String,
    /// What it is (`action`, `condition key`, `condition operator`).
    pub kind: &'static str,
    /// Lines of facts.
    pub lines: Vec<String>,
    /// The AWS page about it.
    pub link: Option<String>,
}

/// The Service Authorization Reference page and anchor prefix of a service.
fn service_page(service: &str) -> Option<(&'static str, &'static str)> {
    Some(match service.to_ascii_lowercase().as_str() {
        "s3" => ("list_amazons3.html", "amazons3"),
        "kms" => (
            "list_awskeymanagementservice.html",
            "awskeymanagementservice",
        ),
        "glacier" => ("list_amazons3glacier.html", "amazons3glacier"),
        "iam" => (
            "list_awsidentityandaccessmanagementiam.html",
            "awsidentityandaccessmanagementiam",
        ),
        "sts" => (
            "list_awssecuritytokenservice.html",
            "awssecuritytokenservice",
        ),
        _ => return None,
    })
}

const SAR: &str = "https://docs.aws.amazon.com/service-authorization/latest/reference/";

/// Lists at most `n` names, then how many more.
fn some(names: &[String], n: usize) -> String {
    let shown: Vec<&str> = names.iter().take(n).map(String::as_str).collect();
    let mut s = shown.join(", ");
    if names.len() > n {
        s.push_str(&format!(" and {} more", names.len() - n));
    }
    s
}

/// The documentation of the token, if it is an action, a condition key or an operator.
pub fn doc_for(text: &str, token: &Token, catalogue: Option<&Catalogue>) -> Option<Doc> {
    let name = token.content(text);
    if name.is_empty() {
        return None;
    }
    match token.slot {
        Slot::ActionValue => Some(action_doc(name, catalogue)),
        Slot::ConditionKey => Some(key_doc(name, catalogue)),
        Slot::OperatorKey => operator_doc(name),
        _ => None,
    }
}

fn action_doc(name: &str, catalogue: Option<&Catalogue>) -> Doc {
    let service = name.split_once(':').map(|(s, _)| s).unwrap_or_default();
    let link = service_page(service)
        .map(|(page, anchor)| format!("{SAR}{page}#{anchor}-actions-as-permissions"));
    let mut lines = Vec::new();
    match catalogue {
        None => lines.push("The action catalogue is still loading.".to_string()),
        Some(c) if name.contains('*') || name.contains('?') => {
            let matched: Vec<String> = c.actions_matching(name).map(|a| a.name.clone()).collect();
            if matched.is_empty() && !c.knows_service(name) && name != "*" {
                lines.push(format!(
                    "The catalogue does not list the actions of `{service}`."
                ));
            } else if name == "*" {
                lines.push("Every action of every AWS service.".to_string());
            } else {
                lines.push(format!(
                    "Matches {} actions: {}.",
                    matched.len(),
                    some(&matched, 6)
                ));
            }
        }
        Some(c) => match c.action(name) {
            Some(info) => {
                if info.resource_types.is_empty() {
                    lines.push("Resource types: none — the action applies to `*`.".to_string());
                } else {
                    lines.push(format!(
                        "Resource types: {}.",
                        info.resource_types.join(", ")
                    ));
                }
                if !info.s3_condition_keys.is_empty() {
                    lines.push(format!(
                        "S3 condition keys its requests can carry: {}.",
                        some(&info.s3_condition_keys, 8)
                    ));
                }
            }
            None if c.knows_service(name) => {
                lines.push(format!("`{name}` is not an action of the service."));
            }
            None => lines.push(format!(
                "The catalogue does not list the actions of `{service}`."
            )),
        },
    }
    Doc {
        title: name.to_string(),
        kind: "action",
        lines,
        link,
    }
}

fn key_doc(name: &str, catalogue: Option<&Catalogue>) -> Doc {
    let lower = name.to_ascii_lowercase();
    let service = lower.split_once(':').map(|(s, _)| s).unwrap_or_default();
    let link = if service == "aws" {
        let anchor = lower
            .split('/')
            .next()
            .unwrap_or_default()
            .replace(':', "-");
        Some(format!(
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-{}",
            anchor.trim_start_matches("aws-")
        ))
    } else {
        service_page(service).map(|(page, anchor)| format!("{SAR}{page}#{anchor}-policy-keys"))
    };
    let mut lines = Vec::new();
    match catalogue {
        None => lines.push("The catalogue is still loading.".to_string()),
        Some(c) => match c.key(name) {
            Some(info) => {
                lines.push(format!("Type: {}.", info.value_type));
                if service == "aws" {
                    lines.push("A global key: any request may carry it.".to_string());
                } else if service == "s3" {
                    let carried: Vec<String> = c
                        .action_names()
                        .filter(|a| c.s3_key_applies(a, name) == Some(true))
                        .map(str::to_string)
                        .collect();
                    lines.push(format!(
                        "Carried by {} actions: {}.",
                        carried.len(),
                        some(&carried, 6)
                    ));
                }
            }
            None => lines.push(format!(
                "`{name}` is not a condition key the catalogue knows."
            )),
        },
    }
    Doc {
        title: name.to_string(),
        kind: "condition key",
        lines,
        link,
    }
}

fn operator_doc(name: &str) -> Option<Doc> {
    let op = Operator::parse(name)?;
    let how = match op.base.family() {
        OperatorFamily::String => "Compares strings (`…Like` allows `*` and `?`).",
        OperatorFamily::Numeric => "Compares numbers.",
        OperatorFamily::Date => "Compares dates (ISO 8601 or epoch seconds).",
        OperatorFamily::Bool => "Compares `true` or `false`.",
        OperatorFamily::Binary => "Compares base64-encoded bytes.",
        OperatorFamily::Ip => "Compares IP addresses with CIDR ranges.",
        OperatorFamily::Arn => "Compares ARNs part by part (`ArnLike` allows wildcards).",
        OperatorFamily::Null => "`true`: the key must be absent; `false`: present.",
    };
    let mut lines = vec![how.to_string()];
    if op.base.is_negated() {
        lines.push("Negated: true when no value matches — and when the key is absent.".to_string());
    }
    if op.if_exists {
        lines.push("`IfExists`: a request without the key satisfies it.".to_string());
    }
    if let Some(q) = &op.qualifier {
        lines.push(format!(
            "`{q:?}`: for keys with several values — {}.",
            match q {
                s3pg_policy::ast::SetQualifier::ForAnyValue => "at least one must match",
                s3pg_policy::ast::SetQualifier::ForAllValues =>
                    "every one must match (true when there are none)",
            }
        ));
    }
    Some(Doc {
        title: name.to_string(),
        kind: "condition operator",
        lines,
        link: Some(
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html"
                .to_string(),
        ),
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;

    #[expect(
        clippy::unwrap_used,
        reason = "test helper: a failed unwrap is a failed test"
    )]
    fn doc(text: &str, needle: &str) -> Option<Doc> {
        let tokens = tokenize(text);
        let t = tokens.iter().find(|t| t.content(text) == needle).unwrap();
        doc_for(text, t, Some(s3pg_policy::catalogue::catalogue()))
    }

    #[test]
    fn actions_show_resource_types_keys_and_their_page() {
        let d = doc(
            r#"{"Statement": {"Action": "s3:GetObject"}}"#,
            "s3:GetObject",
        )
        .unwrap();
        assert_eq!(d.kind, "action");
        assert!(d.lines[0].contains("object"), "{:?}", d.lines);
        assert!(
            d.lines.iter().any(|l| l.contains("s3:ExistingObjectTag")),
            "{:?}",
            d.lines
        );
        assert_eq!(
            d.link.as_deref(),
            Some(
                "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html#amazons3-actions-as-permissions"
            )
        );
        let d = doc(r#"{"Statement": {"Action": "s3:Get*"}}"#, "s3:Get*").unwrap();
        assert!(d.lines[0].starts_with("Matches "), "{:?}", d.lines);
    }

    #[test]
    fn keys_show_their_type_and_who_carries_them() {
        let text = r#"{"Statement": {"Condition": {"StringEquals": {"s3:prefix": "a", "aws:SourceIp": "b"}}}}"#;
        let d = doc(text, "s3:prefix").unwrap();
        assert!(d.lines[0].contains("String"));
        assert!(d.lines[1].contains("s3:ListBucket"), "{:?}", d.lines);
        let d = doc(text, "aws:SourceIp").unwrap();
        assert!(d.lines[0].contains("IPAddress"));
        assert!(d.link.unwrap().ends_with("#condition-keys-sourceip"));
        let d = doc(text, "StringEquals").unwrap();
        assert_eq!(d.kind, "condition operator");
    }

    #[test]
    fn without_the_catalogue_the_doc_says_it_is_loading() {
        let text = r#"{"Statement": {"Action": "s3:GetObject"}}"#;
        let tokens = tokenize(text);
        let t = tokens.iter().find(|t| t.slot == Slot::ActionValue).unwrap();
        let d = doc_for(text, t, None).unwrap();
        assert!(d.lines[0].contains("loading"));
    }
}

//! Completions at the caret: what may be typed in the string the caret is in, by its place in
//! the policy grammar (IAM UG `reference_policies_elements.html`). Actions and condition keys
//! come from the catalogue (the Service Authorization Reference); condition keys are narrowed to
//! those the statement's actions can carry; ARNs and principals come from the world.

use s3pg_policy::ast::BaseOperator;
use s3pg_policy::catalogue::Catalogue;

use super::tokens::{Lexeme, Slot, Token, token_at};

/// What the world offers to complete with (from [`super::hints_from_world`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Hints {
    /// The bucket whose policy is edited (empty for an identity policy).
    pub bucket: String,
    /// The account that owns it (or the identity's account).
    pub account: String,
    /// Resource ARNs: every bucket and its objects (`arn:aws:s3:::b`, `arn:aws:s3:::b/*`).
    pub arns: Vec<String>,
    /// Principals: account ids, account roots, users and roles.
    pub principals: Vec<String>,
    /// Account ids.
    pub accounts: Vec<String>,
}

/// One suggestion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// What is inserted (and shown).
    pub label: String,
    /// A short note shown beside it (`action · object`, `Bool key`, …).
    pub detail: String,
}

/// The suggestions for the string at the caret and the range they replace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completions {
    /// First byte replaced (just after the opening quote).
    pub from: usize,
    /// After the last byte replaced (before the closing quote, or the caret in an open string).
    pub to: usize,
    /// Whether accepting must also close the string (it has no closing quote yet).
    pub close: bool,
    /// What the learner has typed so far.
    pub prefix: String,
    /// The suggestions, best first.
    pub items: Vec<Item>,
}

impl Completions {
    /// The text to insert for item `i` over `from..to`.
    pub fn insertion(&self, i: usize) -> Option<String> {
        let item = self.items.get(i)?;
        Some(if self.close {
            format!("{}\"", item.label)
        } else {
            item.label.clone()
        })
    }
}

/// At most this many suggestions are listed.
pub const MAX_ITEMS: usize = 60;

/// The statement keys of IAM UG `reference_policies_elements.html`.
pub const STATEMENT_KEYS: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

/// Service principals a bucket policy commonly names (each AWS page of the templates).
pub const SERVICE_PRINCIPALS: &[&str] = &[
    "logging.s3.amazonaws.com",
    "cloudtrail.amazonaws.com",
    "cloudfront.amazonaws.com",
    "delivery.logs.amazonaws.com",
    "config.amazonaws.com",
    "s3.amazonaws.com",
];

/// Canned ACLs (S3 UG `acl-overview.html#canned-acl`), the values of `s3:x-amz-acl`.
pub const CANNED_ACLS: &[&str] = &[
    "private",
    "public-read",
    "public-read-write",
    "aws-exec-read",
    "authenticated-read",
    "bucket-owner-read",
    "bucket-owner-full-control",
    "log-delivery-write",
];

/// The completions at byte offset `caret`, if the caret is in a string that has any.
pub fn complete(
    text: &str,
    tokens: &[Token],
    caret: usize,
    catalogue: Option<&Catalogue>,
    hints: &Hints,
) -> Option<Completions> {
    let index = token_at(tokens, caret)?;
    let token = tokens.get(index)?;
    if !token.is_string() {
        return None;
    }
    let (from, end) = token.content_range();
    // Inside the quotes: after the opening one, and before the closing one if it is there.
    if caret < from || caret > end {
        return None;
    }
    let close = token.lexeme == Lexeme::OpenString;
    let to = if close { caret } else { end };
    let prefix = text.get(from..caret).unwrap_or_default().to_string();
    let key = tokens
        .get(token.key as usize)
        .map(|k| k.content(text))
        .unwrap_or_default();
    let candidates = candidates(text, tokens, token, key, catalogue, hints);
    let items = rank(&prefix, candidates);
    let typed = text.get(from..to).unwrap_or_default();
    if items.is_empty() || (items.len() == 1 && items.iter().any(|i| i.label == typed)) {
        return None;
    }
    Some(Completions {
        from,
        to,
        close,
        prefix,
        items,
    })
}

fn item(label: impl Into<String>, detail: impl Into<String>) -> Item {
    Item {
        label: label.into(),
        detail: detail.into(),
    }
}

fn candidates(
    text: &str,
    tokens: &[Token],
    token: &Token,
    key: &str,
    catalogue: Option<&Catalogue>,
    hints: &Hints,
) -> Vec<Item> {
    match token.slot {
        Slot::PolicyKey => ["Version", "Id", "Statement"]
            .iter()
            .map(|k| item(*k, "policy element"))
            .collect(),
        Slot::StatementKey => STATEMENT_KEYS
            .iter()
            .map(|k| item(*k, "statement element"))
            .collect(),
        Slot::PrincipalKey => ["AWS", "Service", "Federated", "CanonicalUser"]
            .iter()
            .map(|k| item(*k, "principal type"))
            .collect(),
        Slot::VersionValue => vec![
            item("2012-10-17", "current language version"),
            item("2008-10-17", "old version: no policy variables"),
        ],
        Slot::EffectValue => vec![item("Allow", "effect"), item("Deny", "effect")],
        Slot::ActionValue => actions(catalogue),
        Slot::ResourceValue => {
            let mut out: Vec<Item> = hints
                .arns
                .iter()
                .map(|a| item(a, "in this world"))
                .collect();
            out.push(item("*", "every resource"));
            out
        }
        Slot::PrincipalValue => match key {
            "Service" => SERVICE_PRINCIPALS
                .iter()
                .map(|s| item(*s, "service principal"))
                .collect(),
            "CanonicalUser" => Vec::new(),
            "Federated" => vec![
                item("cognito-identity.amazonaws.com", "web identity"),
                item("accounts.google.com", "web identity"),
                item("www.amazon.com", "web identity"),
            ],
            _ => {
                let mut out = vec![item("*", "everyone, including anonymous")];
                out.extend(hints.principals.iter().map(|p| item(p, "in this world")));
                out
            }
        },
        Slot::OperatorKey => operators(),
        Slot::ConditionKey => condition_keys(text, tokens, token.statement, catalogue),
        Slot::ConditionValue => condition_values(key, catalogue, hints),
        _ => Vec::new(),
    }
}

fn actions(catalogue: Option<&Catalogue>) -> Vec<Item> {
    let Some(c) = catalogue else {
        return Vec::new();
    };
    let mut out: Vec<Item> = s3pg_policy::catalogue::SERVICES
        .iter()
        .map(|s| item(format!("{s}:*"), "every action of the service"))
        .collect();
    out.push(item("*", "every action of every service"));
    out.extend(c.action_names().map(|name| {
        let types = c
            .action(name)
            .map(|a| a.resource_types.join(", "))
            .unwrap_or_default();
        let detail = if types.is_empty() {
            "action · any resource".to_string()
        } else {
            format!("action · {types}")
        };
        item(name, detail)
    }));
    out
}

fn operators() -> Vec<Item> {
    let mut out = Vec::new();
    for op in BaseOperator::ALL {
        let family = format!("{:?} operator", op.family()).to_lowercase();
        out.push(item(op.name(), family.clone()));
        if *op != BaseOperator::Null {
            out.push(item(
                format!("{}IfExists", op.name()),
                "true when the key is absent",
            ));
        }
    }
    for op in BaseOperator::ALL {
        if matches!(
            op.family(),
            s3pg_policy::ast::OperatorFamily::String | s3pg_policy::ast::OperatorFamily::Arn
        ) {
            out.push(item(
                format!("ForAnyValue:{}", op.name()),
                "multivalued key: any value",
            ));
            out.push(item(
                format!("ForAllValues:{}", op.name()),
                "multivalued key: every value",
            ));
        }
    }
    out
}

/// The condition keys valid for the actions of statement `statement`: the global `aws:` keys,
/// plus the S3 keys its S3 actions can carry and the keys of its other services.
fn condition_keys(
    text: &str,
    tokens: &[Token],
    statement: u32,
    catalogue: Option<&Catalogue>,
) -> Vec<Item> {
    let Some(c) = catalogue else {
        return Vec::new();
    };
    let actions: Vec<&str> = tokens
        .iter()
        .filter(|t| t.slot == Slot::ActionValue && t.statement == statement && t.is_string())
        .map(|t| t.content(text))
        .filter(|a| !a.is_empty())
        .collect();
    let type_of = |k: &str| c.key(k).map(|i| i.value_type.clone()).unwrap_or_default();
    let mut out: Vec<Item> = c
        .key_names()
        .filter(|k| k.starts_with("aws:"))
        .map(|k| item(k, format!("{} · global", type_of(k))))
        .collect();
    let mut service_keys: Vec<String> = Vec::new();
    let everything = actions.is_empty() || actions.contains(&"*");
    if everything {
        service_keys.extend(
            c.key_names()
                .filter(|k| !k.starts_with("aws:"))
                .map(str::to_string),
        );
    } else {
        for a in &actions {
            let service = a.split(':').next().unwrap_or_default().to_ascii_lowercase();
            if service == "s3" {
                for info in c.actions_matching(a) {
                    service_keys.extend(info.s3_condition_keys.iter().cloned());
                }
            } else {
                let prefix = format!("{service}:");
                service_keys.extend(
                    c.key_names()
                        .filter(|k| k.to_ascii_lowercase().starts_with(&prefix))
                        .map(str::to_string),
                );
            }
        }
    }
    service_keys.sort();
    service_keys.dedup();
    let detail = if everything {
        "service key"
    } else {
        "carried by these actions"
    };
    // The statement's own keys first: they are the ones its author is most likely after.
    let mut own: Vec<Item> = service_keys
        .iter()
        .map(|k| item(k, format!("{} · {detail}", type_of(k))))
        .collect();
    own.append(&mut out);
    own
}

fn condition_values(key: &str, catalogue: Option<&Catalogue>, hints: &Hints) -> Vec<Item> {
    let lower = key.to_ascii_lowercase();
    let value_type = catalogue
        .and_then(|c| c.key(key))
        .map(|k| k.value_type.as_str())
        .unwrap_or_default();
    match lower.as_str() {
        "s3:x-amz-server-side-encryption" => vec![
            item("AES256", "SSE-S3"),
            item("aws:kms", "SSE-KMS"),
            item("aws:kms:dsse", "DSSE-KMS"),
        ],
        "s3:x-amz-server-side-encryption-customer-algorithm" => vec![item("AES256", "SSE-C")],
        "s3:x-amz-acl" => CANNED_ACLS.iter().map(|a| item(*a, "canned ACL")).collect(),
        "s3:authtype" => ["REST-HEADER", "REST-QUERY-STRING", "POST"]
            .iter()
            .map(|a| item(*a, "authentication type"))
            .collect(),
        "s3:signatureversion" => vec![item("AWS4-HMAC-SHA256", "Signature Version 4")],
        "aws:sourceaccount" | "aws:principalaccount" | "aws:resourceaccount" => hints
            .accounts
            .iter()
            .map(|a| item(a, "account in this world"))
            .collect(),
        "aws:principalarn" => hints
            .principals
            .iter()
            .filter(|p| p.starts_with("arn:"))
            .map(|p| item(p, "in this world"))
            .collect(),
        "aws:sourcearn" => hints
            .arns
            .iter()
            .map(|p| item(p, "in this world"))
            .collect(),
        _ if value_type == "Bool" => vec![item("true", "Bool"), item("false", "Bool")],
        _ => Vec::new(),
    }
}

/// Keeps the candidates that match what was typed (ignoring case): those starting with it first,
/// then those whose part after the service prefix starts with it, then those containing it.
fn rank(prefix: &str, candidates: Vec<Item>) -> Vec<Item> {
    let p = prefix.to_lowercase();
    let mut scored: Vec<(u8, Item)> = candidates
        .into_iter()
        .filter_map(|c| {
            let l = c.label.to_lowercase();
            let score = if l.starts_with(&p) {
                0
            } else if l
                .split_once(':')
                .is_some_and(|(_, rest)| rest.starts_with(&p))
            {
                1
            } else if l.contains(&p) {
                2
            } else {
                return None;
            };
            Some((score, c))
        })
        .collect();
    scored.sort_by_key(|(score, _)| *score);
    let mut seen = std::collections::HashSet::new();
    scored
        .into_iter()
        .map(|(_, c)| c)
        .filter(|c| seen.insert(c.label.clone()))
        .take(MAX_ITEMS)
        .collect()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;

    #[expect(
        clippy::unwrap_used,
        reason = "test helper: a failed unwrap is a failed test"
    )]
    fn at(text_with_caret: &str) -> Option<Completions> {
        let caret = text_with_caret.find('|').unwrap();
        let text = text_with_caret.replace('|', "");
        let hints = Hints {
            bucket: "examplebucket".into(),
            account: "111122223333".into(),
            arns: vec![
                "arn:aws:s3:::examplebucket".into(),
                "arn:aws:s3:::examplebucket/*".into(),
            ],
            principals: vec!["arn:aws:iam::111122223333:user/alice".into()],
            accounts: vec!["111122223333".into()],
        };
        complete(
            &text,
            &tokenize(&text),
            caret,
            Some(s3pg_policy::catalogue::catalogue()),
            &hints,
        )
    }

    fn labels(c: &Completions) -> Vec<&str> {
        c.items.iter().map(|i| i.label.as_str()).collect()
    }

    #[test]
    fn actions_complete_from_the_catalogue_prefix_first() {
        let c = at(r#"{"Statement": [{"Action": "s3:GetObj|"}]}"#).unwrap();
        let l = labels(&c);
        assert_eq!(l.first(), Some(&"s3:GetObject"));
        assert!(l.contains(&"s3:GetObjectVersion"));
        assert!(l.iter().all(|a| a.to_lowercase().contains("s3:getobj")));
        assert_eq!(c.prefix, "s3:GetObj");
        assert!(!c.close);
        // Typing the name without its service prefix finds it too.
        let c = at(r#"{"Statement": [{"Action": ["PutBucketPol|"]}]}"#).unwrap();
        assert_eq!(labels(&c).first(), Some(&"s3:PutBucketPolicy"));
    }

    #[test]
    fn an_open_string_is_closed_on_accept() {
        let c = at("{\"Statement\": [{\"Effect\": \"Al|\n}]}").unwrap();
        assert_eq!(labels(&c), ["Allow"]);
        assert!(c.close);
        assert_eq!(c.insertion(0).unwrap(), "Allow\"");
    }

    #[test]
    fn condition_keys_are_those_the_statement_actions_carry() {
        let c = at(r#"{"Statement": [{"Action": "s3:ListBucket", "Condition": {"StringLike": {"s3:|": ""}}}]}"#).unwrap();
        let l = labels(&c);
        assert!(l.contains(&"s3:prefix"), "{l:?}");
        assert!(!l.contains(&"s3:x-amz-server-side-encryption"), "{l:?}");
        let c = at(r#"{"Statement": [{"Action": "s3:PutObject", "Condition": {"Null": {"s3:x-amz-server|": "true"}}}]}"#).unwrap();
        assert!(labels(&c).contains(&"s3:x-amz-server-side-encryption"));
        // Global keys are offered whatever the actions.
        let c = at(r#"{"Statement": [{"Action": "s3:GetObject", "Condition": {"Bool": {"aws:Secure|": "true"}}}]}"#).unwrap();
        assert_eq!(labels(&c), ["aws:SecureTransport"]);
    }

    #[test]
    fn operators_effects_statement_keys_and_world_values() {
        let c = at(r#"{"Statement": [{"Condition": {"StringNotEq|": {}}}]}"#).unwrap();
        let l = labels(&c);
        assert_eq!(l.first(), Some(&"StringNotEquals"));
        assert!(l.contains(&"StringNotEqualsIgnoreCase"));
        assert!(l.contains(&"StringNotEqualsIfExists"));
        let c = at(r#"{"Statement": [{"Ef|": ""}]}"#).unwrap();
        assert_eq!(labels(&c), ["Effect"]);
        let c = at(r#"{"Statement": [{"Resource": "arn:aws:s3:::ex|"}]}"#).unwrap();
        assert_eq!(
            labels(&c),
            ["arn:aws:s3:::examplebucket", "arn:aws:s3:::examplebucket/*"]
        );
        let c = at(r#"{"Statement": [{"Principal": {"AWS": "|"}}]}"#).unwrap();
        assert!(labels(&c).contains(&"arn:aws:iam::111122223333:user/alice"));
        let c = at(r#"{"Statement": [{"Principal": {"Service": "log|"}}]}"#).unwrap();
        assert_eq!(
            labels(&c),
            ["logging.s3.amazonaws.com", "delivery.logs.amazonaws.com"]
        );
        let c = at(r#"{"Statement": [{"Condition": {"Bool": {"aws:SecureTransport": "|"}}}]}"#)
            .unwrap();
        assert_eq!(labels(&c), ["true", "false"]);
        let c = at(r#"{"Statement": [{"Condition": {"StringEquals": {"s3:x-amz-server-side-encryption": "aws|"}}}]}"#).unwrap();
        assert_eq!(labels(&c).first(), Some(&"aws:kms"));
    }

    #[test]
    fn nothing_outside_strings_or_when_the_value_is_complete() {
        assert!(at(r#"{"Statement": [{"Effect": "Allow"}]|}"#).is_none());
        assert!(at(r#"{"Statement": [{"Sid": "x|"}]}"#).is_none());
        assert!(at(r#"{"Statement": [{"Effect": "Allow|"}]}"#).is_none());
    }

    #[test]
    fn without_the_catalogue_there_are_no_action_completions_but_the_rest_works() {
        let text = r#"{"Statement": [{"Effect": "A", "Action": "s3:Get"}]}"#;
        let tokens = tokenize(text);
        let hints = Hints::default();
        assert!(
            complete(
                text,
                &tokens,
                text.find("s3:Get").unwrap() + 6,
                None,
                &hints
            )
            .is_none()
        );
        let c = complete(text, &tokens, text.find("\"A\"").unwrap() + 2, None, &hints).unwrap();
        assert_eq!(labels(&c), ["Allow"]);
    }
}

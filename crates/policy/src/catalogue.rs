//! The catalogue of actions, resource types and condition keys the linter knows.
//!
//! Data: `data/catalogue.txt`, generated from the AWS Service Authorization Reference
//! (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html and the
//! KMS, Glacier, IAM and STS pages) by `data/generate-catalogue.mjs`, plus the global condition
//! keys of IAM UG `reference_policies_condition-keys.md`.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::wildcard::Pattern;

const DATA: &str = include_str!("../data/catalogue.txt");

/// The services whose actions the catalogue lists.
pub const SERVICES: &[&str] = &["s3", "kms", "glacier", "iam", "sts"];

/// One action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionInfo {
    /// `s3:GetObject`.
    pub name: String,
    /// Resource types it applies to (`object`, `bucket`, …); empty = only `*`.
    pub resource_types: Vec<String>,
    /// For S3 actions: the `s3:` condition keys its requests can carry (families as `…/*`).
    pub s3_condition_keys: Vec<String>,
}

/// One condition key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyInfo {
    /// `s3:prefix`, or a family such as `aws:PrincipalTag/*`.
    pub name: String,
    /// Its type in the reference (`String`, `ARN`, `Bool`, `Numeric`, `Date`, `IPAddress`, `ArrayOfString`).
    pub value_type: String,
}

/// The catalogue.
#[derive(Debug)]
pub struct Catalogue {
    actions: Vec<ActionInfo>,
    by_name: HashMap<String, usize>,
    keys: Vec<KeyInfo>,
    keys_by_name: HashMap<String, usize>,
}

/// The catalogue, read once.
pub fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        let mut c = Catalogue {
            actions: Vec::new(),
            by_name: HashMap::new(),
            keys: Vec::new(),
            keys_by_name: HashMap::new(),
        };
        for line in DATA.lines() {
            let mut parts = line.split(' ');
            match (parts.next(), parts.next(), parts.next()) {
                (Some("action"), Some(name), Some(types)) => {
                    let resource_types = if types == "*" {
                        Vec::new()
                    } else {
                        types.split(',').map(str::to_string).collect()
                    };
                    c.by_name.insert(name.to_lowercase(), c.actions.len());
                    c.actions.push(ActionInfo {
                        name: name.to_string(),
                        resource_types,
                        s3_condition_keys: Vec::new(),
                    });
                }
                (Some("keys"), Some(name), first) => {
                    if let Some(&i) = c.by_name.get(&name.to_lowercase())
                        && let Some(a) = c.actions.get_mut(i)
                    {
                        a.s3_condition_keys =
                            first.into_iter().chain(parts).map(str::to_string).collect();
                    }
                }
                (Some("key"), Some(name), Some(t)) => {
                    let name = if name.ends_with('/') {
                        format!("{name}*")
                    } else {
                        name.to_string()
                    };
                    if !c.keys_by_name.contains_key(&name.to_lowercase()) {
                        c.keys_by_name.insert(name.to_lowercase(), c.keys.len());
                        c.keys.push(KeyInfo {
                            name,
                            value_type: t.to_string(),
                        });
                    }
                }
                _ => {}
            }
        }
        c
    })
}

impl Catalogue {
    /// Looks an action up (names ignore case).
    pub fn action(&self, name: &str) -> Option<&ActionInfo> {
        self.by_name
            .get(&name.to_lowercase())
            .and_then(|&i| self.actions.get(i))
    }

    /// Actions matching a wildcard pattern such as `s3:Get*` (ignoring case).
    pub fn actions_matching<'a>(
        &'a self,
        pattern: &str,
    ) -> impl Iterator<Item = &'a ActionInfo> + 'a {
        let p = Pattern::new(pattern);
        self.actions
            .iter()
            .filter(move |a| p.matches_ignore_case(&a.name))
    }

    /// Whether the catalogue covers the service of `action` (`s3:…` yes, `ec2:…` no).
    pub fn knows_service(&self, action: &str) -> bool {
        action
            .split_once(':')
            .is_some_and(|(s, _)| SERVICES.iter().any(|k| k.eq_ignore_ascii_case(s)))
    }

    /// Every action name.
    pub fn action_names(&self) -> impl Iterator<Item = &str> {
        self.actions.iter().map(|a| a.name.as_str())
    }

    /// Looks a condition key up (ignoring case); `s3:ExistingObjectTag/Team` finds the
    /// `s3:ExistingObjectTag/*` family.
    pub fn key(&self, name: &str) -> Option<&KeyInfo> {
        let lower = name.to_lowercase();
        if let Some(&i) = self.keys_by_name.get(&lower) {
            return self.keys.get(i);
        }
        let (family, _) = lower.split_once('/')?;
        self.keys_by_name
            .get(&format!("{family}/*"))
            .and_then(|&i| self.keys.get(i))
    }

    /// Whether a request for `action` can carry the `s3:` condition key `key` (`None` when the
    /// catalogue does not know the action). `s3:ExistingObjectTag/Team` counts as its family.
    pub fn s3_key_applies(&self, action: &str, key: &str) -> Option<bool> {
        let info = self.action(action)?;
        let lower = key.to_ascii_lowercase();
        let family = lower.split_once('/').map(|(f, _)| format!("{f}/*"));
        Some(info.s3_condition_keys.iter().any(|k| {
            let k = k.to_ascii_lowercase();
            k == lower || family.as_deref() == Some(k.as_str())
        }))
    }

    /// Every condition key name.
    pub fn key_names(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map(|k| k.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_s3_actions_and_keys() {
        let c = catalogue();
        assert!(
            c.action("S3:getobject")
                .unwrap()
                .resource_types
                .contains(&"object".to_string())
        );
        assert!(
            c.action("s3:ListBucket")
                .unwrap()
                .resource_types
                .contains(&"bucket".to_string())
        );
        assert!(c.action("s3:GetObjectz").is_none());
        assert!(c.actions_matching("s3:Get*").count() > 20);
        assert!(c.action("kms:GenerateDataKey").is_some());
        assert!(c.action("glacier:DeleteArchive").is_some());
        assert!(c.key("s3:x-amz-server-side-encryption").is_some());
        assert!(c.key("AWS:SourceIp").is_some());
        assert!(c.key("s3:ExistingObjectTag/Team").is_some());
        assert!(c.key("s3:prefixx").is_none());
        assert_eq!(c.s3_key_applies("s3:ListBucket", "s3:prefix"), Some(true));
        assert_eq!(c.s3_key_applies("s3:GetObject", "s3:prefix"), Some(false));
        assert_eq!(
            c.s3_key_applies("s3:GetObject", "s3:ExistingObjectTag/Team"),
            Some(true)
        );
        assert_eq!(
            c.s3_key_applies("s3:PutObject", "s3:x-amz-server-side-encryption"),
            Some(true)
        );
    }
}

//! The catalogue of actions, resource types and condition keys the linter knows.
//!
//! Data: `data/catalogue.txt`, generated from the AWS Service Authorization Reference
//! (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html and the
//! KMS, Glacier, IAM and STS pages) by `data/generate-catalogue.mjs`, plus the global condition
//! keys of IAM UG `reference_policies_condition-keys.md`.
//!
//! The text is compiled in, except on wasm32 with the `runtime-catalogue` feature: the browser app
//! fetches it as a separately cached file (74 KB less WebAssembly) and calls [`install`] before it
//! parses or lints any policy. Until then the catalogue is empty and knows no service.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::wildcard::Pattern;

/// The catalogue's text as compiled in.
#[cfg(not(all(feature = "runtime-catalogue", target_arch = "wasm32")))]
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

static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();

/// The catalogue, read once.
pub fn catalogue() -> &'static Catalogue {
    #[cfg(not(all(feature = "runtime-catalogue", target_arch = "wasm32")))]
    {
        CATALOGUE.get_or_init(|| Catalogue::parse(DATA))
    }
    #[cfg(all(feature = "runtime-catalogue", target_arch = "wasm32"))]
    {
        static EMPTY: OnceLock<Catalogue> = OnceLock::new();
        CATALOGUE
            .get()
            .unwrap_or_else(|| EMPTY.get_or_init(|| Catalogue::parse("")))
    }
}

/// Installs the catalogue from the text of `data/catalogue.txt`, for a build that fetches it at
/// run time; returns false (and changes nothing) when a catalogue is already in use.
pub fn install(text: &str) -> bool {
    CATALOGUE.set(Catalogue::parse(text)).is_ok()
}

/// Whether the catalogue holds any action (false before [`install`] in a `runtime-catalogue`
/// build, or when the text installed was not a catalogue).
pub fn is_loaded() -> bool {
    !catalogue().actions.is_empty()
}

impl Catalogue {
    /// Reads the catalogue's text format (`action NAME TYPES`, `keys ACTION KEY…`, `key NAME
    /// TYPE`, one a line); lines it does not know are skipped, so any text gives a catalogue.
    pub fn parse(text: &str) -> Catalogue {
        let mut c = Catalogue {
            actions: Vec::new(),
            by_name: HashMap::new(),
            keys: Vec::new(),
            keys_by_name: HashMap::new(),
        };
        for line in text.lines() {
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
    }
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

    #[test]
    fn any_text_parses_and_a_second_install_changes_nothing() {
        assert!(Catalogue::parse("").action_names().next().is_none());
        assert!(
            Catalogue::parse("garbage\naction\nkey x")
                .action_names()
                .next()
                .is_none()
        );
        let one = Catalogue::parse("action s3:GetObject object\nkey s3:prefix String");
        assert!(one.action("s3:getobject").is_some());
        assert_eq!(
            one.key("S3:Prefix").map(|k| k.value_type.as_str()),
            Some("String")
        );
        assert!(is_loaded());
        assert!(!install("action s3:Only *"));
        assert!(catalogue().action("s3:PutObject").is_some());
    }
}

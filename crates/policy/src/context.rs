//! The request context: who is asking, for what, on which resource, with which context keys.
//!
//! Follows IAM UG `reference_policies_evaluation-logic.md` ("the request context") and
//! `reference_policies_condition-keys.md` for the principal-derived global keys
//! (`aws:username`, `aws:userid`, `aws:PrincipalAccount`, `aws:PrincipalArn`, `aws:PrincipalType`).

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The caller of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Principal {
    /// An unsigned request.
    Anonymous,
    /// The root user of an account.
    Root {
        /// 12-digit account id.
        account: String,
    },
    /// An IAM user with long-term credentials.
    User {
        /// 12-digit account id.
        account: String,
        /// Friendly name (`alice`).
        name: String,
        /// IAM path, `/` by default (`/division/`).
        path: String,
        /// Unique id (`AIDA…`).
        unique_id: String,
    },
    /// A session of an IAM role (`AssumeRole*`, EC2 instance roles, web identity, SAML).
    AssumedRole {
        /// 12-digit account id.
        account: String,
        /// Role name.
        role_name: String,
        /// Session name.
        session_name: String,
        /// Role path, `/` by default.
        role_path: String,
        /// Role unique id (`AROA…`).
        role_unique_id: String,
    },
    /// An STS federated-user session (`GetFederationToken`).
    FederatedUser {
        /// 12-digit account id.
        account: String,
        /// The caller-specified federated user name.
        name: String,
        /// ARN of the IAM user that called `GetFederationToken`, when known.
        parent_user_arn: Option<String>,
    },
    /// An AWS service principal (`logging.s3.amazonaws.com`).
    Service(String),
}

/// A deterministic stand-in for an IAM unique id (AWS's are random; ours must be reproducible).
fn fake_unique_id(prefix: &str, seed: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in seed.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let mut out = prefix.to_string();
    for _ in 0..17 {
        let idx = usize::try_from(h % 32).unwrap_or(0);
        out.push(char::from(ALPHABET.get(idx).copied().unwrap_or(b'A')));
        h = h.rotate_right(5) ^ 0x9e37_79b9_7f4a_7c15;
    }
    out
}

fn normalise_path(path: &str) -> &str {
    if path.is_empty() { "/" } else { path }
}

impl Principal {
    /// Reads a principal from `anonymous`, an account root ARN, a user ARN, an assumed-role
    /// session ARN, a federated-user ARN, or a service name (`*.amazonaws.com`).
    /// Unique ids are derived deterministically from the ARN.
    pub fn from_arn(s: &str) -> Result<Principal, String> {
        if s == "anonymous" || s == "*" {
            return Ok(Principal::Anonymous);
        }
        if !s.starts_with("arn:") && s.ends_with(".amazonaws.com") {
            return Ok(Principal::Service(s.to_string()));
        }
        let bad = || {
            format!(
                "principal `{s}` is not `anonymous`, an account root, user, assumed-role session \
                 or federated-user ARN, or a service name"
            )
        };
        let [_, _, service, _, account, resource] = crate::values::split_arn(s).ok_or_else(bad)?;
        if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let account = account.to_string();
        match service {
            "iam" if resource == "root" => Ok(Principal::Root { account }),
            "iam" => {
                let rest = resource.strip_prefix("user/").ok_or_else(bad)?;
                let (path, name) = match rest.rfind('/') {
                    Some(i) => (
                        format!("/{}", rest.get(..=i).unwrap_or_default()),
                        rest.get(i + 1..).unwrap_or_default(),
                    ),
                    None => ("/".to_string(), rest),
                };
                if name.is_empty() {
                    return Err(bad());
                }
                Ok(Principal::User {
                    unique_id: fake_unique_id("AIDA", s),
                    account,
                    name: name.to_string(),
                    path,
                })
            }
            "sts" => {
                if let Some(rest) = resource.strip_prefix("assumed-role/") {
                    let (role, session) = rest.rsplit_once('/').ok_or_else(bad)?;
                    let (role_path, role_name) = match role.rfind('/') {
                        Some(i) => (
                            format!("/{}", role.get(..=i).unwrap_or_default()),
                            role.get(i + 1..).unwrap_or_default(),
                        ),
                        None => ("/".to_string(), role),
                    };
                    if role_name.is_empty() || session.is_empty() {
                        return Err(bad());
                    }
                    let role_arn = format!("arn:aws:iam::{account}:role{role_path}{role_name}");
                    Ok(Principal::AssumedRole {
                        role_unique_id: fake_unique_id("AROA", &role_arn),
                        account,
                        role_name: role_name.to_string(),
                        session_name: session.to_string(),
                        role_path,
                    })
                } else if let Some(name) = resource.strip_prefix("federated-user/") {
                    if name.is_empty() {
                        return Err(bad());
                    }
                    Ok(Principal::FederatedUser {
                        account,
                        name: name.to_string(),
                        parent_user_arn: None,
                    })
                } else {
                    Err(bad())
                }
            }
            _ => Err(bad()),
        }
    }

    /// The caller's account id (none for anonymous callers and services).
    pub fn account(&self) -> Option<&str> {
        match self {
            Principal::Anonymous | Principal::Service(_) => None,
            Principal::Root { account }
            | Principal::User { account, .. }
            | Principal::AssumedRole { account, .. }
            | Principal::FederatedUser { account, .. } => Some(account),
        }
    }

    /// The ARN that identifies this caller in a request (for role sessions: the session ARN).
    pub fn arn(&self) -> Option<String> {
        match self {
            Principal::Anonymous | Principal::Service(_) => None,
            Principal::Root { account } => Some(["arn:aws:iam::", account, ":root"].concat()),
            Principal::User {
                account,
                name,
                path,
                ..
            } => Some(
                [
                    "arn:aws:iam::",
                    account,
                    ":user",
                    normalise_path(path),
                    name,
                ]
                .concat(),
            ),
            Principal::AssumedRole {
                account,
                role_name,
                session_name,
                ..
            } => Some(
                [
                    "arn:aws:sts::",
                    account,
                    ":assumed-role/",
                    role_name,
                    "/",
                    session_name,
                ]
                .concat(),
            ),
            Principal::FederatedUser { account, name, .. } => {
                Some(["arn:aws:sts::", account, ":federated-user/", name].concat())
            }
        }
    }

    /// The value of `aws:PrincipalArn`: for role sessions the **role** ARN, otherwise [`Self::arn`].
    pub fn principal_arn(&self) -> Option<String> {
        match self {
            Principal::AssumedRole {
                account,
                role_name,
                role_path,
                ..
            } => Some(
                [
                    "arn:aws:iam::",
                    account,
                    ":role",
                    normalise_path(role_path),
                    role_name,
                ]
                .concat(),
            ),
            other => other.arn(),
        }
    }

    /// The value of `aws:PrincipalType`.
    pub fn principal_type(&self) -> &'static str {
        match self {
            Principal::Anonymous => "Anonymous",
            Principal::Root { .. } => "Account",
            Principal::User { .. } => "User",
            Principal::AssumedRole { .. } => "AssumedRole",
            Principal::FederatedUser { .. } => "FederatedUser",
            Principal::Service(_) => "Service",
        }
    }

    /// The value of `aws:userid`.
    pub fn user_id(&self) -> Option<String> {
        match self {
            Principal::Anonymous => Some("anonymous".into()),
            Principal::Root { account } => Some(account.clone()),
            Principal::User { unique_id, .. } => Some(unique_id.clone()),
            Principal::AssumedRole {
                role_unique_id,
                session_name,
                ..
            } => Some(format!("{role_unique_id}:{session_name}")),
            Principal::FederatedUser { account, name, .. } => Some(format!("{account}:{name}")),
            Principal::Service(_) => None,
        }
    }

    /// How the caller is named in plain sentences (its ARN, or `anonymous`, or the service).
    pub fn describe(&self) -> String {
        match self {
            Principal::Anonymous => "an anonymous caller".into(),
            Principal::Service(name) => format!("the service `{name}`"),
            other => format!("`{}`", other.arn().unwrap_or_default()),
        }
    }
}

/// A context key's value: one string or a list of strings (multivalued keys such as `aws:TagKeys`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ContextValue {
    /// A single value.
    Single(String),
    /// Several values (possibly none).
    Multi(Vec<String>),
}

impl ContextValue {
    /// The values as a slice-like list.
    pub fn values(&self) -> Vec<&str> {
        match self {
            ContextValue::Single(s) => vec![s.as_str()],
            ContextValue::Multi(v) => v.iter().map(String::as_str).collect(),
        }
    }

    /// The value when there is exactly one.
    pub fn single(&self) -> Option<&str> {
        match self {
            ContextValue::Single(s) => Some(s),
            ContextValue::Multi(_) => None,
        }
    }
}

impl From<&str> for ContextValue {
    fn from(s: &str) -> Self {
        ContextValue::Single(s.to_string())
    }
}

impl From<String> for ContextValue {
    fn from(s: String) -> Self {
        ContextValue::Single(s)
    }
}

impl From<Vec<String>> for ContextValue {
    fn from(v: Vec<String>) -> Self {
        ContextValue::Multi(v)
    }
}

/// Context keys, looked up without regard to case (IAM: condition key names are
/// case-insensitive). Keeps each key as written (the last spelling set), in case-insensitive
/// order. A request carries a few dozen keys at most, so they are kept in a sorted list: copying
/// one is two allocations per key, and a lookup compares in place without a lowercase copy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContextKeys {
    /// Keys the evaluator derives (`aws:username`, …) are borrowed, not copied.
    entries: Vec<(Cow<'static, str>, ContextValue)>,
}

/// Orders keys as their lowercase forms would sort, comparing in place.
fn cmp_ignore_case(a: &str, b: &str) -> std::cmp::Ordering {
    let (ab, bb) = (a.as_bytes(), b.as_bytes());
    // Keys share long prefixes (`aws:Principal…`): identical bytes are skipped eight at a time.
    let word = |w: &[u8]| u64::from_ne_bytes(<[u8; 8]>::try_from(w).unwrap_or_default());
    let mut same = 0;
    for (x, y) in ab.chunks_exact(8).zip(bb.chunks_exact(8)) {
        if word(x) != word(y) {
            break;
        }
        same += 8;
    }
    let (ar, br) = (
        ab.get(same..).unwrap_or_default(),
        bb.get(same..).unwrap_or_default(),
    );
    for (&x, &y) in ar.iter().zip(br) {
        if x == y {
            continue;
        }
        if !x.is_ascii() || !y.is_ascii() {
            return cmp_lowercase(a, b);
        }
        let (x, y) = (x.to_ascii_lowercase(), y.to_ascii_lowercase());
        if x != y {
            return x.cmp(&y);
        }
    }
    if ab.len() != bb.len() && !(ab.is_ascii() && bb.is_ascii()) {
        return cmp_lowercase(a, b);
    }
    ab.len().cmp(&bb.len())
}

fn cmp_lowercase(a: &str, b: &str) -> std::cmp::Ordering {
    a.chars()
        .flat_map(char::to_lowercase)
        .cmp(b.chars().flat_map(char::to_lowercase))
}

impl ContextKeys {
    /// No keys.
    pub fn new() -> Self {
        Self::default()
    }

    fn position(&self, key: &str) -> Result<usize, usize> {
        self.entries
            .binary_search_by(|(k, _)| cmp_ignore_case(k, key))
    }

    /// Sets `key` (replacing any value under a differently-cased spelling).
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<ContextValue>) {
        self.insert_name(Cow::Owned(key.into()), value);
    }

    /// [`Self::insert`] for a key name the caller may lend for the program's life
    /// (`aws:SourceIp`): the name is kept borrowed, not copied.
    pub fn insert_name(&mut self, key: Cow<'static, str>, value: impl Into<ContextValue>) {
        let value = value.into();
        match self.position(&key) {
            Ok(i) => {
                if let Some(slot) = self.entries.get_mut(i) {
                    *slot = (key, value);
                }
            }
            Err(i) => self.entries.insert(i, (key, value)),
        }
    }

    /// Sets `key` to `value()` unless some spelling of it is present (one search, and the value
    /// is worked out only when it is needed).
    fn fill(&mut self, key: &'static str, value: impl FnOnce() -> Option<String>) {
        if let Err(i) = self.position(key)
            && let Some(v) = value()
        {
            self.entries
                .insert(i, (Cow::Borrowed(key), ContextValue::Single(v)));
        }
    }

    /// Looks `key` up, ignoring case.
    pub fn get(&self, key: &str) -> Option<&ContextValue> {
        let i = self.position(key).ok()?;
        self.entries.get(i).map(|(_, v)| v)
    }

    /// Whether `key` is present (ignoring case).
    pub fn contains(&self, key: &str) -> bool {
        self.position(key).is_ok()
    }

    /// Removes `key` (ignoring case).
    pub fn remove(&mut self, key: &str) -> Option<ContextValue> {
        let i = self.position(key).ok()?;
        (i < self.entries.len()).then(|| self.entries.remove(i).1)
    }

    /// The keys as written, with their values, in case-insensitive order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ContextValue)> {
        self.entries.iter().map(|(k, v)| (k.as_ref(), v))
    }

    /// How many keys.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no keys.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl<K: Into<String>, V: Into<ContextValue>> FromIterator<(K, V)> for ContextKeys {
    fn from_iter<T: IntoIterator<Item = (K, V)>>(iter: T) -> Self {
        let mut keys = ContextKeys::new();
        for (k, v) in iter {
            keys.insert(k, v);
        }
        keys
    }
}

impl Serialize for ContextKeys {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.entries.len()))?;
        for (k, v) in self.iter() {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for ContextKeys {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = BTreeMap::<String, ContextValue>::deserialize(d)?;
        Ok(raw.into_iter().collect())
    }
}

/// Everything a policy is evaluated against.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequestContext {
    /// The caller.
    pub principal: Principal,
    /// The action (`s3:GetObject`).
    pub action: String,
    /// The resource ARN (`arn:aws:s3:::examplebucket/a.txt`).
    pub resource: String,
    /// The account that owns the resource; `None` means the caller's own account.
    pub resource_account: Option<String>,
    /// The caller's account canonical user id, if known (matches `CanonicalUser` principals).
    pub canonical_user_id: Option<String>,
    /// Request context keys (`aws:SourceIp`, `s3:prefix`, …).
    pub context: ContextKeys,
}

impl RequestContext {
    /// A request with no context keys yet.
    pub fn new(
        principal: Principal,
        action: impl Into<String>,
        resource: impl Into<String>,
    ) -> Self {
        RequestContext {
            principal,
            action: action.into(),
            resource: resource.into(),
            resource_account: None,
            canonical_user_id: None,
            context: ContextKeys::new(),
        }
    }

    /// Sets the resource-owning account.
    pub fn with_resource_account(mut self, account: impl Into<String>) -> Self {
        self.resource_account = Some(account.into());
        self
    }

    /// Sets a context key.
    pub fn with_key(mut self, key: impl Into<String>, value: impl Into<ContextValue>) -> Self {
        self.context.insert(key, value);
        self
    }

    /// Whether the caller belongs to the account that owns the resource.
    pub fn same_account(&self) -> bool {
        match (self.principal.account(), &self.resource_account) {
            (Some(mine), Some(owner)) => mine == owner,
            (Some(_), None) => true,
            (None, _) => false,
        }
    }

    /// The context keys plus the principal-derived global keys (`aws:username`, `aws:userid`,
    /// `aws:PrincipalAccount`, `aws:PrincipalArn`, `aws:PrincipalType`) and
    /// `aws:ResourceAccount`/`s3:ResourceAccount`, each filled only when absent.
    pub fn effective_keys(&self) -> ContextKeys {
        let mut keys = self.context.clone();
        self.fill_principal_keys(&mut keys);
        keys
    }

    /// [`Self::effective_keys`] without copying the context: the context keys are moved out
    /// (`context` is left empty) and the principal's keys added. For a caller that builds a
    /// request context only to evaluate it, as the simulated S3 does on every request;
    /// evaluation reads the keys it is given, never `context`.
    pub fn take_effective_keys(&mut self) -> ContextKeys {
        let mut keys = std::mem::take(&mut self.context);
        self.fill_principal_keys(&mut keys);
        keys
    }

    /// Adds the keys derived from the principal and the resource that `keys` does not set.
    fn fill_principal_keys(&self, keys: &mut ContextKeys) {
        // Each value is worked out only when the context does not set the key already.
        keys.entries.reserve(8);
        let p = &self.principal;
        if let Principal::User { name, .. } = p {
            keys.fill("aws:username", || Some(name.clone()));
        }
        keys.fill("aws:userid", || p.user_id());
        keys.fill("aws:PrincipalAccount", || match p {
            Principal::Anonymous => Some("anonymous".to_owned()),
            other => other.account().map(str::to_owned),
        });
        keys.fill("aws:PrincipalArn", || p.principal_arn());
        keys.fill("aws:PrincipalType", || Some(p.principal_type().to_owned()));
        if let Principal::Service(name) = p {
            keys.fill("aws:PrincipalServiceName", || Some(name.clone()));
            keys.fill("aws:PrincipalIsAWSService", || Some("true".into()));
        }
        if let Some(owner) = &self.resource_account {
            keys.fill("aws:ResourceAccount", || Some(owner.clone()));
            if self
                .action
                .get(..3)
                .is_some_and(|service| service.eq_ignore_ascii_case("s3:"))
            {
                keys.fill("s3:ResourceAccount", || Some(owner.clone()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn principals_from_arns() {
        let u = Principal::from_arn("arn:aws:iam::111122223333:user/division/alice").unwrap();
        assert!(
            matches!(&u, Principal::User { name, path, .. } if name == "alice" && path == "/division/")
        );
        assert_eq!(
            u.arn().unwrap(),
            "arn:aws:iam::111122223333:user/division/alice"
        );
        let r = Principal::from_arn("arn:aws:sts::111122223333:assumed-role/App/s1").unwrap();
        assert_eq!(
            r.principal_arn().unwrap(),
            "arn:aws:iam::111122223333:role/App"
        );
        assert_eq!(
            r.arn().unwrap(),
            "arn:aws:sts::111122223333:assumed-role/App/s1"
        );
        assert!(r.user_id().unwrap().starts_with("AROA"));
        assert!(r.user_id().unwrap().ends_with(":s1"));
        assert_eq!(
            Principal::from_arn("anonymous").unwrap(),
            Principal::Anonymous
        );
        assert!(matches!(
            Principal::from_arn("arn:aws:iam::111122223333:root").unwrap(),
            Principal::Root { .. }
        ));
        assert!(Principal::from_arn("alice").is_err());
    }

    /// Key order is the order of the lowercase forms, however long the shared prefix.
    #[test]
    fn keys_order_as_their_lowercase_forms() {
        let keys = [
            "aws:PrincipalArn",
            "aws:principalarn",
            "AWS:PrincipalAccount",
            "aws:PrincipalTag/team",
            "aws:PrincipalTag/Team2",
            "aws:Principal",
            "aws:SourceIp",
            "s3:prefix",
            "s3:x-amz-acl",
            "",
            "a",
            "aws:PrincipalTag/équipe",
            "aws:PrincipalTag/Équipe",
        ];
        for a in keys {
            for b in keys {
                assert_eq!(cmp_ignore_case(a, b), cmp_lowercase(a, b), "{a} {b}");
            }
        }
    }

    #[test]
    fn keys_are_case_insensitive_and_derived_keys_fill_gaps() {
        let req = RequestContext::new(
            Principal::from_arn("arn:aws:iam::111122223333:user/alice").unwrap(),
            "s3:GetObject",
            "arn:aws:s3:::b/k",
        )
        .with_key("AWS:SourceIP", "192.0.2.1")
        .with_key("aws:username", "override");
        let keys = req.effective_keys();
        assert_eq!(
            keys.get("aws:sourceip").unwrap().single(),
            Some("192.0.2.1")
        );
        assert_eq!(keys.get("aws:username").unwrap().single(), Some("override"));
        assert_eq!(
            keys.get("aws:PrincipalType").unwrap().single(),
            Some("User")
        );
        let anon = RequestContext::new(Principal::Anonymous, "s3:GetObject", "arn:aws:s3:::b/k");
        let keys = anon.effective_keys();
        assert_eq!(
            keys.get("aws:PrincipalAccount").unwrap().single(),
            Some("anonymous")
        );
        assert!(keys.get("aws:PrincipalArn").is_none());
    }
}

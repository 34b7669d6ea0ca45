//! The request context: who is asking, for what, on which resource, with which context keys.
//!
//! Follows IAM UG `reference_policies_evaluation-logic.md` ("the request context") and
//! `reference_policies_condition-keys.md` for the principal-derived global keys
//! (`aws:username`, `aws:userid`, `aws:PrincipalAccount`, `aws:PrincipalArn`, `aws:PrincipalType`).

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

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
///
/// The strings are shared: copying a context, or a condition's trace quoting the request's
/// value, counts a reference instead of copying text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ContextValue {
    /// A single value.
    Single(Arc<str>),
    /// Several values (possibly none).
    Multi(Arc<[Arc<str>]>),
}

impl ContextValue {
    /// The values as a slice-like list.
    pub fn values(&self) -> Vec<&str> {
        self.as_slice().iter().map(|v| &**v).collect()
    }

    /// The values, without copying: one for [`ContextValue::Single`].
    pub fn as_slice(&self) -> &[Arc<str>] {
        match self {
            ContextValue::Single(s) => std::slice::from_ref(s),
            ContextValue::Multi(v) => v,
        }
    }

    /// The value when there is exactly one.
    pub fn single(&self) -> Option<&str> {
        match self {
            ContextValue::Single(s) => Some(s),
            ContextValue::Multi(_) => None,
        }
    }

    /// Whether the value is a list (a multivalued key), even of one or no element.
    pub fn is_multi(&self) -> bool {
        matches!(self, ContextValue::Multi(_))
    }
}

impl From<&str> for ContextValue {
    fn from(s: &str) -> Self {
        ContextValue::Single(Arc::from(s))
    }
}

impl From<String> for ContextValue {
    fn from(s: String) -> Self {
        ContextValue::Single(Arc::from(s))
    }
}

impl From<Arc<str>> for ContextValue {
    fn from(s: Arc<str>) -> Self {
        ContextValue::Single(s)
    }
}

impl From<Vec<String>> for ContextValue {
    fn from(v: Vec<String>) -> Self {
        ContextValue::Multi(v.into_iter().map(Arc::from).collect())
    }
}

impl From<Vec<&str>> for ContextValue {
    fn from(v: Vec<&str>) -> Self {
        ContextValue::Multi(v.into_iter().map(Arc::from).collect())
    }
}

impl From<Vec<Arc<str>>> for ContextValue {
    fn from(v: Vec<Arc<str>>) -> Self {
        ContextValue::Multi(v.into())
    }
}

/// A key's name as kept in [`ContextKeys`]: a name the evaluator derives is borrowed, a name the
/// caller set is shared, so copying a context copies no text. It carries its [`sort_prefix`],
/// so that most comparisons of two names are one comparison of two numbers.
#[derive(Debug, Clone)]
struct KeyName {
    prefix: u128,
    text: KeyText,
}

#[derive(Debug, Clone)]
enum KeyText {
    Static(&'static str),
    Shared(Arc<str>),
}

impl KeyName {
    const fn fixed(name: &'static str) -> Self {
        KeyName {
            prefix: sort_prefix_const(name),
            text: KeyText::Static(name),
        }
    }

    fn shared(name: Arc<str>) -> Self {
        KeyName {
            prefix: sort_prefix(&name),
            text: KeyText::Shared(name),
        }
    }

    fn as_str(&self) -> &str {
        match &self.text {
            KeyText::Static(s) => s,
            KeyText::Shared(s) => s,
        }
    }

    /// Orders this name against `other` (whose sort prefix is `prefix`) as their lowercase forms.
    fn cmp_with(&self, other: &str, prefix: u128) -> std::cmp::Ordering {
        if self.prefix != prefix && self.prefix != UNORDERED && prefix != UNORDERED {
            return self.prefix.cmp(&prefix);
        }
        // A key is usually looked up with the spelling it was set with.
        if self.as_str() == other {
            return std::cmp::Ordering::Equal;
        }
        cmp_ignore_case(self.as_str(), other)
    }
}

impl PartialEq for KeyName {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for KeyName {}

/// A prefix that does not order (a non-ASCII byte among the first 16).
const UNORDERED: u128 = u128::MAX;

/// The first 16 bytes of a key, ASCII-lowercased, as one big-endian number (zero-padded). When
/// two keys' prefixes differ and neither is [`UNORDERED`], the numbers order the keys as
/// [`cmp_ignore_case`] does: up to the first difference the lowercase forms agree character for
/// character (ASCII is one byte a character), and a shorter key sorts before the keys it begins.
/// Equal prefixes say nothing (the keys may differ further on).
fn sort_prefix(key: &str) -> u128 {
    const ONES: u128 = u128::from_ne_bytes([0x01; 16]);
    const HIGH: u128 = ONES * 0x80;
    let bytes = key.as_bytes();
    let n = bytes.len().min(16);
    let mut buf = [0u8; 16];
    if let (Some(to), Some(from)) = (buf.get_mut(..n), bytes.get(..n)) {
        to.copy_from_slice(from);
    }
    let x = u128::from_be_bytes(buf);
    if x & HIGH != 0 {
        return UNORDERED;
    }
    // Every byte is below 0x80, so adding below 0x80 to each carries into no other byte: the
    // high bit then says `byte >= 'A'`, and `byte > 'Z'`.
    let at_least_a = x + ONES * (0x80 - u128::from(b'A'));
    let above_z = x + ONES * (0x80 - u128::from(b'Z') - 1);
    let upper = at_least_a & !above_z & HIGH;
    x | (upper >> 2)
}

/// [`sort_prefix`] byte by byte, for names known when compiling.
const fn sort_prefix_const(key: &str) -> u128 {
    let mut rest = key.as_bytes();
    let mut out: u128 = 0;
    let mut n = 0;
    while n < 16 {
        let byte = match rest {
            [b, tail @ ..] => {
                rest = tail;
                *b
            }
            [] => 0,
        };
        if !byte.is_ascii() {
            return UNORDERED;
        }
        out = (out << 8) | byte.to_ascii_lowercase() as u128;
        n += 1;
    }
    out
}

/// Context keys, looked up without regard to case (IAM: condition key names are
/// case-insensitive). Keeps each key as written (the last spelling set), in case-insensitive
/// order. A request carries a few dozen keys at most, so they are kept in a sorted list: copying
/// one is one allocation (names and values are shared), and a lookup compares in place without a
/// lowercase copy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContextKeys {
    /// Keys the evaluator derives (`aws:username`, …) are borrowed, not copied.
    entries: Vec<(KeyName, ContextValue)>,
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
        let prefix = sort_prefix(key);
        self.entries
            .binary_search_by(|(k, _)| k.cmp_with(key, prefix))
    }

    /// Sets `key` (replacing any value under a differently-cased spelling).
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<ContextValue>) {
        let key = KeyName::shared(Arc::from(key.into()));
        let value = value.into();
        match self.position(key.as_str()) {
            Ok(i) => {
                if let Some(slot) = self.entries.get_mut(i) {
                    *slot = (key, value);
                }
            }
            Err(i) => self.entries.insert(i, (key, value)),
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
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
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
        self.with_derived_keys(&self.context.entries, |e| e.clone())
    }

    /// [`Self::effective_keys`] without copying the context: the context keys are moved out
    /// (`context` is left empty) and the principal's keys added. For a caller that builds a
    /// request context only to evaluate it, as the simulated S3 does on every request;
    /// evaluation reads the keys it is given, never `context`.
    pub fn take_effective_keys(&mut self) -> ContextKeys {
        let context = std::mem::take(&mut self.context);
        self.with_derived_keys(context.entries, |e| e)
    }

    /// The `context` entries (in order) merged with the keys derived from the principal and the
    /// resource that the context does not set: one pass over both sorted lists, one allocation
    /// for the list, and each derived value worked out only when it is added.
    fn with_derived_keys<I: IntoIterator>(
        &self,
        context: I,
        entry: impl Fn(I::Item) -> (KeyName, ContextValue),
    ) -> ContextKeys
    where
        I::IntoIter: ExactSizeIterator,
    {
        let context = context.into_iter();
        let mut entries = Vec::with_capacity(context.len() + DERIVED.len());
        let mut context = context.map(entry).peekable();
        let mut resource_account = None;
        for (name, derived) in &DERIVED {
            let mut present = false;
            while let Some((k, _)) = context.peek() {
                match k.cmp_with(name.as_str(), name.prefix) {
                    std::cmp::Ordering::Less => entries.extend(context.next()),
                    std::cmp::Ordering::Equal => {
                        present = true;
                        break;
                    }
                    std::cmp::Ordering::Greater => break,
                }
            }
            if !present && let Some(v) = self.derived_value(*derived, &mut resource_account) {
                entries.push((name.clone(), ContextValue::Single(v)));
            }
        }
        entries.extend(context);
        ContextKeys { entries }
    }

    /// The value of one derived key for this request, if the key applies to it
    /// (`resource_account` keeps the owner's id to share between its two keys).
    fn derived_value(
        &self,
        derived: Derived,
        resource_account: &mut Option<Arc<str>>,
    ) -> Option<Arc<str>> {
        let p = &self.principal;
        match derived {
            Derived::UserName => match p {
                Principal::User { name, .. } => Some(Arc::from(name.as_str())),
                _ => None,
            },
            Derived::UserId => p.user_id().map(Arc::from),
            Derived::PrincipalAccount => match p {
                Principal::Anonymous => Some(shared_word("anonymous")),
                other => other.account().map(Arc::from),
            },
            Derived::PrincipalArn => p.principal_arn().map(Arc::from),
            Derived::PrincipalType => Some(shared_word(p.principal_type())),
            Derived::ServiceName => match p {
                Principal::Service(name) => Some(Arc::from(name.as_str())),
                _ => None,
            },
            Derived::IsAwsService => {
                matches!(p, Principal::Service(_)).then(|| shared_word("true"))
            }
            Derived::ResourceAccount => self
                .resource_account
                .as_deref()
                .map(|owner| Arc::clone(resource_account.get_or_insert_with(|| Arc::from(owner)))),
            Derived::S3ResourceAccount => {
                let s3 = self
                    .action
                    .get(..3)
                    .is_some_and(|service| service.eq_ignore_ascii_case("s3:"));
                match (s3, self.resource_account.as_deref()) {
                    (true, Some(owner)) => Some(Arc::clone(
                        resource_account.get_or_insert_with(|| Arc::from(owner)),
                    )),
                    _ => None,
                }
            }
        }
    }
}

/// The keys derived from the principal and the resource, in the order of their lowercase forms
/// (the order [`ContextKeys`] keeps).
static DERIVED: [(KeyName, Derived); 9] = [
    (
        KeyName::fixed("aws:PrincipalAccount"),
        Derived::PrincipalAccount,
    ),
    (KeyName::fixed("aws:PrincipalArn"), Derived::PrincipalArn),
    (
        KeyName::fixed("aws:PrincipalIsAWSService"),
        Derived::IsAwsService,
    ),
    (
        KeyName::fixed("aws:PrincipalServiceName"),
        Derived::ServiceName,
    ),
    (KeyName::fixed("aws:PrincipalType"), Derived::PrincipalType),
    (
        KeyName::fixed("aws:ResourceAccount"),
        Derived::ResourceAccount,
    ),
    (KeyName::fixed("aws:userid"), Derived::UserId),
    (KeyName::fixed("aws:username"), Derived::UserName),
    (
        KeyName::fixed("s3:ResourceAccount"),
        Derived::S3ResourceAccount,
    ),
];

/// Which derived key.
#[derive(Debug, Clone, Copy)]
enum Derived {
    PrincipalAccount,
    PrincipalArn,
    IsAwsService,
    ServiceName,
    PrincipalType,
    ResourceAccount,
    UserId,
    UserName,
    S3ResourceAccount,
}

/// A fixed value as shared text, allocated once per process (`aws:PrincipalType`'s values,
/// `anonymous`, `true`).
fn shared_word(word: &'static str) -> Arc<str> {
    const TEXT: [&str; 8] = [
        "anonymous",
        "true",
        "Anonymous",
        "Account",
        "User",
        "AssumedRole",
        "FederatedUser",
        "Service",
    ];
    static WORDS: OnceLock<[Arc<str>; 8]> = OnceLock::new();
    let words = WORDS.get_or_init(|| TEXT.map(Arc::from));
    TEXT.iter()
        .position(|t| *t == word)
        .and_then(|i| words.get(i))
        .map_or_else(|| Arc::from(word), Arc::clone)
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
            "aws:PrincipalTag/K",
            "aws:PrincipalTag/\u{212a}",
            "\u{212a}",
            "k",
            "s3:x-amz-server-side-encryption",
            "s3:x-amz-server-side-encryption-aws-kms-key-id",
            "S3:X-AMZ-SERVER-SIDE",
            "ab",
            "ab\0",
            "ab\0c",
            "aws:principaltag",
            "aws:principaltaG/",
        ];
        for a in keys {
            let name = KeyName::shared(Arc::from(a));
            for b in keys {
                assert_eq!(cmp_ignore_case(a, b), cmp_lowercase(a, b), "{a} {b}");
                assert_eq!(
                    name.cmp_with(b, sort_prefix(b)),
                    cmp_lowercase(a, b),
                    "{a} {b}"
                );
            }
            assert_eq!(sort_prefix(a), sort_prefix_const(a), "{a}");
        }
        for a in [
            "@[`{AZaz09",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            "\x7f\x40\x5b\x60\x7b",
        ] {
            assert_eq!(sort_prefix(a), sort_prefix_const(a), "{a}");
            for b in [a.to_lowercase(), a.to_uppercase()] {
                assert_eq!(sort_prefix(&b), sort_prefix_const(&b), "{b}");
            }
        }
    }

    /// The derived keys are listed in the order the context keeps, so one merge adds them.
    #[test]
    fn derived_keys_are_in_context_order() {
        for pair in DERIVED.windows(2) {
            let [(a, _), (b, _)] = pair else { continue };
            let (a, b) = (a.as_str(), b.as_str());
            assert_eq!(cmp_lowercase(a, b), std::cmp::Ordering::Less, "{a} {b}");
        }
    }

    /// The merge gives what inserting each derived key, when absent, would give.
    #[test]
    fn derived_keys_merge_as_inserts_would() {
        let principals = [
            "anonymous",
            "arn:aws:iam::111122223333:root",
            "arn:aws:iam::111122223333:user/division/alice",
            "arn:aws:sts::111122223333:assumed-role/App/s1",
            "arn:aws:sts::111122223333:federated-user/bob",
            "logging.s3.amazonaws.com",
        ];
        let contexts: [&[(&str, &str)]; 4] = [
            &[],
            &[("AWS:USERNAME", "x"), ("zz:last", "1"), ("a:first", "2")],
            &[("aws:principaltype", "T"), ("aws:PrincipalTag/team", "red")],
            &[("s3:resourceaccount", "1"), ("aws:SourceIp", "192.0.2.1")],
        ];
        for p in principals {
            for context in contexts {
                for action in ["s3:GetObject", "kms:Decrypt"] {
                    let mut req = RequestContext::new(
                        Principal::from_arn(p).unwrap(),
                        action,
                        "arn:aws:s3:::b/k",
                    )
                    .with_resource_account("444455556666");
                    for (k, v) in context {
                        req.context.insert(*k, *v);
                    }
                    let mut want = req.context.clone();
                    for (name, derived) in &DERIVED {
                        if !want.contains(name.as_str())
                            && let Some(v) = req.derived_value(*derived, &mut None)
                        {
                            want.insert(name.as_str(), v);
                        }
                    }
                    assert_eq!(req.effective_keys(), want, "{p} {context:?} {action}");
                    assert_eq!(req.clone().take_effective_keys(), want);
                }
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

//! The request context: who is asking, for what, on which resource, with which context keys.
//!
//! Follows IAM UG `reference_policies_evaluation-logic.md` ("the request context") and
//! `reference_policies_condition-keys.md` for the principal-derived global keys
//! (`aws:username`, `aws:userid`, `aws:PrincipalAccount`, `aws:PrincipalArn`, `aws:PrincipalType`).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};

mod principal;

pub use principal::Principal;

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
    #[inline]
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
        self.insert_key(KeyName::shared(Arc::from(key.into())), value.into());
    }

    /// [`Self::insert`] for a key name the caller may lend for the program's life
    /// (`aws:SourceIp`): such a name is kept borrowed, not copied.
    pub fn insert_name(&mut self, key: Cow<'static, str>, value: impl Into<ContextValue>) {
        let key = match key {
            Cow::Borrowed(name) => KeyName {
                prefix: sort_prefix(name),
                text: KeyText::Static(name),
            },
            Cow::Owned(name) => KeyName::shared(Arc::from(name)),
        };
        self.insert_key(key, value.into());
    }

    fn insert_key(&mut self, key: KeyName, value: ContextValue) {
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
            // The ids that are one field are shared from it without an intermediate copy.
            Derived::UserId => match p {
                Principal::Anonymous => Some(shared_word("anonymous")),
                Principal::Root { account } => Some(Arc::from(account.as_str())),
                Principal::User { unique_id, .. } => Some(Arc::from(unique_id.as_str())),
                other => other.user_id().map(Arc::from),
            },
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
mod tests;

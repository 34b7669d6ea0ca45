//! The fast reader of evaluation cases: plain serde, no positions, each policy text parsed once.
//!
//! It accepts only what it can read exactly as [`super::build`] would — the same request, the
//! same context keys in the same order, the same policy texts under the same names — and answers
//! `None` for anything else (a wrong type, an invalid principal or date, a policy that does not
//! parse), so that [`super::build`] reads the case again with positions and says where the
//! problem is. Case format: see [`super::FIELDS`].

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher as _, BuildHasherDefault, Hasher};
use std::rc::Rc;

use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::{ContextValue, Layers, Policy, PolicyRef, Principal, RequestContext};

/// One case as serde reads it: strings where [`super::build`] wants strings, policies as their
/// raw text.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Case<'a> {
    #[serde(borrow)]
    principal: Option<Cow<'a, str>>,
    action: Option<String>,
    resource: Option<String>,
    resource_account: Option<String>,
    canonical_user_id: Option<String>,
    context: Option<Context>,
    #[serde(borrow)]
    identity_policies: Option<&'a RawValue>,
    #[serde(borrow)]
    resource_policy: Option<&'a RawValue>,
    #[serde(borrow)]
    permissions_boundary: Option<&'a RawValue>,
    #[serde(borrow)]
    scps: Option<&'a RawValue>,
    #[serde(borrow)]
    rcps: Option<&'a RawValue>,
    #[serde(borrow)]
    session_policy: Option<&'a RawValue>,
    #[serde(borrow)]
    vpc_endpoint_policy: Option<&'a RawValue>,
    /// A case's name is for people; evaluation ignores it.
    #[serde(borrow)]
    #[expect(dead_code, reason = "read only to accept the field")]
    name: Option<Cow<'a, str>>,
}

/// Policies already parsed, by text: batches repeat some policies (an SCP every case shares),
/// and a parse costs more than an evaluation. A policy is kept once its text has been seen a
/// second time; one seen once is dropped after its case, so its memory serves the next case.
#[derive(Default)]
pub(super) struct Policies<'a> {
    parsed: HashMap<Cow<'a, str>, Rc<Policy>, BuildHasherDefault<TextHasher>>,
    seen: HashSet<u64, BuildHasherDefault<TextHasher>>,
}

impl<'a> Policies<'a> {
    /// The policy a case field holds (an object, or a string holding the policy text).
    fn get(&mut self, raw: &'a RawValue) -> Option<Rc<Policy>> {
        let written = raw.get();
        let text: Cow<'a, str> = match written.as_bytes().first() {
            Some(b'{') => Cow::Borrowed(written),
            Some(b'"') => serde_json::from_str::<Cow<'a, str>>(written).ok()?,
            _ => return None,
        };
        if let Some(p) = self.parsed.get(&text) {
            return Some(Rc::clone(p));
        }
        let policy = Rc::new(Policy::parse(&text).ok()?);
        let hash = BuildHasherDefault::<TextHasher>::default().hash_one(&text);
        if !self.seen.insert(hash) {
            self.parsed.insert(text, Rc::clone(&policy));
        }
        Some(policy)
    }
}

/// A quick hash of policy texts, eight bytes at a time (FxHash's step): the keys are texts of a
/// kilobyte or so, on which SipHash spends more than the cache saves. The input is the user's
/// own file, so there is no adversary to resist.
#[derive(Default)]
struct TextHasher(u64);

impl TextHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for TextHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            self.add(u64::from_le_bytes(
                <[u8; 8]>::try_from(w).unwrap_or_default(),
            ));
        }
        for &b in words.remainder() {
            self.add(u64::from(b));
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A policy with the name the trace shows.
type Named = (String, Rc<Policy>);

/// A case's policies, layer by layer, each with the name the trace shows.
#[derive(Default)]
pub(super) struct CasePolicies {
    identity: Vec<Named>,
    boundary: Option<Named>,
    scps: Vec<Named>,
    scp_levels: Vec<Vec<Named>>,
    rcps: Vec<Named>,
    session: Option<Named>,
    resource: Option<Named>,
    vpc_endpoint: Option<Named>,
}

fn lend(p: &Named) -> PolicyRef<'_> {
    PolicyRef::new(&p.0, &p.1)
}

impl CasePolicies {
    /// The policies, borrowed for evaluation.
    pub(super) fn layers(&self) -> Layers<'_> {
        Layers {
            identity_policies: self.identity.iter().map(lend).collect(),
            permissions_boundary: self.boundary.as_ref().map(lend),
            scps: self.scps.iter().map(lend).collect(),
            scp_levels: self
                .scp_levels
                .iter()
                .map(|l| l.iter().map(lend).collect())
                .collect(),
            rcps: self.rcps.iter().map(lend).collect(),
            session_policy: self.session.as_ref().map(lend),
            resource_policy: self.resource.as_ref().map(lend),
            vpc_endpoint_policy: self.vpc_endpoint.as_ref().map(lend),
        }
    }
}

/// The items of a JSON array, raw.
fn items(raw: &RawValue) -> Option<Vec<&RawValue>> {
    serde_json::from_str(raw.get()).ok()
}

fn is_array(raw: &RawValue) -> bool {
    raw.get().starts_with('[')
}

impl<'a> Case<'a> {
    /// The request and its policies, or `None` when [`super::build`] must read the case (it
    /// then reports what is wrong). `date_ok` says whether a context value is acceptable where
    /// dates are concerned.
    pub(super) fn build(
        &self,
        cache: &mut Policies<'a>,
        date_ok: impl Fn(&str, &ContextValue) -> bool,
    ) -> Option<(RequestContext, CasePolicies)> {
        let principal = Principal::from_arn(self.principal.as_deref()?).ok()?;
        let mut request = RequestContext::new(
            principal,
            self.action.as_deref()?,
            self.resource.as_deref()?,
        );
        request.resource_account.clone_from(&self.resource_account);
        request
            .canonical_user_id
            .clone_from(&self.canonical_user_id);
        if let Some(context) = &self.context {
            for (key, value) in &context.0 {
                if !date_ok(key, value) {
                    return None;
                }
                request.context.insert(key.as_str(), value.clone());
            }
        }
        let mut out = CasePolicies::default();
        let mut one = |field: &str, raw: &'a RawValue| -> Option<Named> {
            Some((field.to_owned(), cache.get(raw)?))
        };
        // A list field: an array of policies, or one policy object.
        let list = |field: &str,
                    raw: Option<&'a RawValue>,
                    one: &mut dyn FnMut(&str, &'a RawValue) -> Option<Named>|
         -> Option<Vec<Named>> {
            let Some(raw) = raw else {
                return Some(Vec::new());
            };
            if raw.get().starts_with('{') {
                return Some(vec![one(field, raw)?]);
            }
            items(raw)?
                .into_iter()
                .enumerate()
                .map(|(i, p)| one(&format!("{field}[{i}]"), p))
                .collect()
        };
        out.identity = list("identity_policies", self.identity_policies, &mut one)?;
        // `scps`: policies (the account's own level) and/or arrays of policies (levels above).
        match self.scps {
            Some(raw) if is_array(raw) && items(raw)?.iter().any(|i| is_array(i)) => {
                for (i, item) in items(raw)?.into_iter().enumerate() {
                    if is_array(item) {
                        let level = items(item)?
                            .into_iter()
                            .enumerate()
                            .map(|(j, p)| one(&format!("scps[{i}][{j}]"), p))
                            .collect::<Option<Vec<_>>>()?;
                        out.scp_levels.push(level);
                    } else {
                        out.scps.push(one(&format!("scps[{i}]"), item)?);
                    }
                }
            }
            scps => out.scps = list("scps", scps, &mut one)?,
        }
        out.rcps = list("rcps", self.rcps, &mut one)?;
        let mut named = |raw: Option<&'a RawValue>, name: &str| match raw {
            None => Some(None),
            Some(raw) => one(name, raw).map(Some),
        };
        out.boundary = named(self.permissions_boundary, "permissions boundary")?;
        out.session = named(self.session_policy, "session policy")?;
        out.resource = named(self.resource_policy, "bucket policy")?;
        out.vpc_endpoint = named(self.vpc_endpoint_policy, "VPC endpoint policy")?;
        Some((request, out))
    }
}

/// A case's `context`: keys in the order written, each a string, a boolean or a list of them
/// (as [`super::build`] reads them; numbers keep their written form only there).
pub(super) struct Context(Vec<(String, ContextValue)>);

impl<'de> Deserialize<'de> for Context {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Keys;
        impl<'de> Visitor<'de> for Keys {
            type Value = Context;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object of context keys")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut m: M) -> Result<Context, M::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = m.next_entry::<String, Value>()? {
                    out.push((k, v.0));
                }
                Ok(Context(out))
            }
        }
        d.deserialize_map(Keys)
    }
}

/// One context value.
struct Value(ContextValue);

/// One string of a context value (a boolean reads as `true`/`false`).
struct Text(String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Text;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Text, E> {
                Ok(Text(s.to_owned()))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Text, E> {
                Ok(Text(s))
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<Text, E> {
                Ok(Text(b.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Value;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string or a list of strings")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
                Ok(Value(ContextValue::Single(s.to_owned())))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Value, E> {
                Ok(Value(ContextValue::Single(s)))
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
                Ok(Value(ContextValue::Single(b.to_string())))
            }
            fn visit_seq<S: SeqAccess<'de>>(self, mut s: S) -> Result<Value, S::Error> {
                let mut out = Vec::new();
                while let Some(t) = s.next_element::<Text>()? {
                    out.push(t.0);
                }
                Ok(Value(ContextValue::Multi(out)))
            }
        }
        d.deserialize_any(V)
    }
}

//! Checking a step: the outcome against the step's expectations (status, error code, message
//! exact, by prefix or by pattern, decision, deciding gate and statement, headers, body,
//! effects), and what is stored afterwards (`stored`: objects present or absent, their
//! encryption and key, their versions; the archives and lock of a Glacier vault).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::Expect;
use crate::encryption::SealedBody;
use crate::model::ObjectVersion;
use crate::trace::Outcome;
use crate::world::World;

/// Facts about what is stored after a step, each compared with what the world holds.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct StoredState {
    /// Objects (or one version of an object), each with the facts that must hold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objects: Vec<StoredObject>,
    /// Glacier vaults, each with the facts that must hold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vaults: Vec<StoredVault>,
}

/// An object key (or one of its versions) and facts about it: `{"bucket": "b", "key": "k",
/// "present": true, "encryption": "aws:kms", "versions": 2}`. The fact names are those
/// [`object_facts`] computes; the loader refuses any other.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredObject {
    /// The bucket.
    pub bucket: String,
    /// The key.
    pub key: String,
    /// The version the facts are about (default: the current version).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_id: Option<String>,
    /// Fact name → expected value (a JSON subset, `null` for "none").
    #[serde(flatten)]
    pub facts: BTreeMap<String, Value>,
}

/// A Glacier vault and facts about it: `{"name": "v", "archives": 0, "lock": "Locked"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredVault {
    /// The vault's name.
    pub name: String,
    /// The vault's Region (default: any).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The owning account (default: any).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// Fact name → expected value.
    #[serde(flatten)]
    pub facts: BTreeMap<String, Value>,
}

/// The encryption a stored version carries, as S3 names it in `x-amz-server-side-encryption`
/// (`SSE-C` for customer keys), or `None`.
fn encryption_of(v: &ObjectVersion) -> Option<String> {
    match (&v.sealed, &v.encryption) {
        (Some(SealedBody::SseC { .. }), _) => Some("SSE-C".to_owned()),
        (_, Some(label)) => Some(label.clone()),
        (Some(SealedBody::SseS3 { .. }), None) => Some("AES256".to_owned()),
        (Some(SealedBody::SseKms { .. }), None) => Some("aws:kms".to_owned()),
        (None, None) => None,
    }
}

/// Every fact about `key` in `bucket` (or one version of it), by name. An absent bucket, key or
/// version gives every fact its "nothing here" value, so the names are always the same. A new
/// fact (retention, legal hold, tags, …) is one line here.
pub fn object_facts(
    world: &World,
    bucket: &str,
    key: &str,
    version_id: Option<&str>,
) -> BTreeMap<&'static str, Value> {
    let entry = world.buckets.get(bucket).and_then(|b| b.objects.get(key));
    let versions = entry.map_or(&[][..], |e| e.versions.as_slice());
    let selected = match version_id {
        Some(id) => versions.iter().find(|v| v.version_id == id),
        None => versions.last(),
    };
    let live = selected.filter(|v| !v.delete_marker);
    let sealed_kms = live.and_then(|v| match &v.sealed {
        Some(SealedBody::SseKms {
            key_arn,
            bucket_key_enabled,
            ..
        }) => Some((key_arn.clone(), *bucket_key_enabled)),
        _ => None,
    });
    let mut m = BTreeMap::new();
    m.insert("present", json!(live.is_some()));
    m.insert(
        "deleteMarker",
        json!(selected.is_some_and(|v| v.delete_marker)),
    );
    m.insert(
        "versions",
        json!(versions.iter().filter(|v| !v.delete_marker).count()),
    );
    m.insert(
        "deleteMarkers",
        json!(versions.iter().filter(|v| v.delete_marker).count()),
    );
    m.insert(
        "currentVersionId",
        json!(versions.last().map(|v| v.version_id.clone())),
    );
    m.insert(
        "versionIds",
        json!(
            versions
                .iter()
                .map(|v| v.version_id.clone())
                .collect::<Vec<_>>()
        ),
    );
    m.insert("owner", json!(live.map(|v| v.owner.clone())));
    m.insert("size", json!(live.map(ObjectVersion::size)));
    m.insert(
        "etag",
        json!(live.map(|v| v.etag.clone()).filter(|e| !e.is_empty())),
    );
    m.insert(
        "body",
        json!(live.filter(|v| v.sealed.is_none()).map(|v| v.body.clone())),
    );
    m.insert("encryption", json!(live.and_then(encryption_of)));
    m.insert("sealed", json!(live.is_some_and(|v| v.sealed.is_some())));
    m.insert(
        "kmsKeyId",
        json!(sealed_kms.as_ref().map(|(k, _)| k.clone())),
    );
    m.insert(
        "bucketKeyEnabled",
        json!(sealed_kms.as_ref().map(|(_, b)| *b)),
    );
    m.insert("metadata", json!(live.map(|v| v.metadata.clone())));
    m
}

/// Every fact about a Glacier vault, by name (the same names whether or not it exists).
pub fn vault_facts(world: &World, v: &StoredVault) -> BTreeMap<&'static str, Value> {
    let vault = world.glacier.vaults().find(|x| {
        x.name == v.name
            && v.region.as_ref().is_none_or(|r| *r == x.region)
            && v.account.as_ref().is_none_or(|a| *a == x.account)
    });
    let mut m = BTreeMap::new();
    m.insert("present", json!(vault.is_some()));
    m.insert("archives", json!(vault.map_or(0, |x| x.archives.len())));
    m.insert(
        "archiveIds",
        json!(vault.map(|x| x.archives.iter().map(|a| a.id.clone()).collect::<Vec<_>>())),
    );
    m.insert(
        "lock",
        json!(
            vault
                .and_then(|x| x.lock.as_ref())
                .map(|l| l.state.as_str())
        ),
    );
    m.insert(
        "lockId",
        json!(
            vault
                .and_then(|x| x.lock.as_ref())
                .map(|l| l.lock_id.clone())
        ),
    );
    m.insert(
        "accessPolicy",
        json!(vault.is_some_and(|x| x.access_policy.is_some())),
    );
    m
}

/// The fact names `stored.objects[…]` and `stored.vaults[…]` accept.
pub fn stored_fact_names() -> (Vec<&'static str>, Vec<&'static str>) {
    let empty = World::default();
    let probe = StoredVault {
        name: String::new(),
        region: None,
        account: None,
        facts: BTreeMap::new(),
    };
    (
        object_facts(&empty, "", "", None).into_keys().collect(),
        vault_facts(&empty, &probe).into_keys().collect(),
    )
}

fn check_facts(
    what: &str,
    expected: &BTreeMap<String, Value>,
    actual: &BTreeMap<&'static str, Value>,
    out: &mut Vec<String>,
) {
    for (name, want) in expected {
        let got = actual.get(name.as_str()).unwrap_or(&Value::Null);
        if !json_contains(got, want) {
            out.push(format!(
                "stored {what}: expected `{name}` {want}, found {got}"
            ));
        }
    }
}

fn check_stored(stored: &StoredState, world: &World, out: &mut Vec<String>) {
    for o in &stored.objects {
        let facts = object_facts(world, &o.bucket, &o.key, o.version_id.as_deref());
        let what = match &o.version_id {
            Some(v) => format!("object `{}/{}` version `{v}`", o.bucket, o.key),
            None => format!("object `{}/{}`", o.bucket, o.key),
        };
        check_facts(&what, &o.facts, &facts, out);
    }
    for v in &stored.vaults {
        check_facts(
            &format!("vault `{}`", v.name),
            &v.facts,
            &vault_facts(world, v),
            out,
        );
    }
}

/// Whether `actual` contains `expected`: objects by subset of keys, arrays element-wise with the
/// same length, scalars by equality.
pub fn json_contains(actual: &serde_json::Value, expected: &serde_json::Value) -> bool {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => e.iter().all(|(k, ev)| match a.get(k) {
            Some(av) => json_contains(av, ev),
            None => ev.is_null(),
        }),
        (Value::Array(a), Value::Array(e)) => {
            a.len() == e.len() && a.iter().zip(e).all(|(x, y)| json_contains(x, y))
        }
        (a, e) => a == e,
    }
}

/// Checks an outcome (and the world after it) against expectations; returns what failed.
pub fn check(expect: &Expect, outcome: &Outcome, world: &World) -> Vec<String> {
    let mut out = Vec::new();
    check_error(expect, outcome, &mut out);
    check_decision(expect, outcome, &mut out);
    check_response(expect, outcome, &mut out);
    if let Some(w) = &expect.world {
        let actual = serde_json::to_value(world).unwrap_or(serde_json::Value::Null);
        if !json_contains(&actual, w) {
            out.push(format!("world does not contain {w}"));
        }
    }
    if let Some(s) = &expect.stored {
        check_stored(s, world, &mut out);
    }
    out
}

/// The status, the error code, its message and its extra elements.
fn check_error(expect: &Expect, outcome: &Outcome, out: &mut Vec<String>) {
    if let Some(s) = expect.status
        && s != outcome.status
    {
        out.push(format!("expected status {s}, got {}", outcome.status));
    }
    let code = outcome.error.as_ref().map(|e| e.code.as_str());
    if let Some(e) = &expect.error
        && Some(e.as_str()) != code
    {
        out.push(format!(
            "expected error `{e}`, got `{}`",
            code.unwrap_or("none")
        ));
    }
    let message = outcome
        .error
        .as_ref()
        .map(|e| e.message.as_str())
        .unwrap_or("");
    if let Some(m) = &expect.message
        && m != message
    {
        out.push(format!("expected message `{m}`, got `{message}`"));
    }
    if let Some(p) = &expect.message_starts_with
        && !message.starts_with(p.as_str())
    {
        out.push(format!(
            "expected a message starting with `{p}`, got `{message}`"
        ));
    }
    if let Some(p) = &expect.message_matches
        && !s3pg_policy::wildcard::wildcard_match(p, message)
    {
        out.push(format!(
            "expected a message matching `{p}`, got `{message}`"
        ));
    }
    for (name, value) in &expect.error_elements {
        let got = outcome
            .error
            .as_ref()
            .and_then(|e| e.extra.iter().find(|(n, _)| n == name))
            .map(|(_, v)| v.as_str());
        if got != Some(value.as_str()) {
            out.push(format!(
                "expected error element `<{name}>{value}</{name}>`, got {}",
                got.map_or("none".to_owned(), |g| format!("`{g}`"))
            ));
        }
    }
}

/// The decision, the deciding gate and the deciding statement.
fn check_decision(expect: &Expect, outcome: &Outcome, out: &mut Vec<String>) {
    if let Some(d) = expect.decision
        && Some(d) != outcome.decision
    {
        out.push(format!(
            "expected decision `{d:?}`, got {}",
            outcome
                .decision
                .map_or_else(|| "no decision".to_owned(), |x| format!("`{x:?}`"))
        ));
    }
    if let Some(g) = expect.gate {
        let got = outcome.deciding.as_ref().map(|d| d.gate);
        if Some(g) != got {
            out.push(format!(
                "expected deciding gate `{g:?}`, got {}",
                got.map_or_else(|| "no deciding gate".to_owned(), |x| format!("`{x:?}`"))
            ));
        }
    }
    if let Some(st) = &expect.statement {
        let got = outcome
            .deciding
            .as_ref()
            .and_then(|d| d.statement.as_ref())
            .map(crate::trace::StatementRef::label);
        if Some(st) != got.as_ref() {
            out.push(format!(
                "expected deciding statement `{st}`, got {}",
                got.map_or("none".to_owned(), |g| format!("`{g}`"))
            ));
        }
    }
}

/// The response headers and body, and the effects on the world.
fn check_response(expect: &Expect, outcome: &Outcome, out: &mut Vec<String>) {
    for (name, value) in &expect.headers {
        let got = outcome.headers.get(&name.to_ascii_lowercase());
        match (value, got) {
            (Some(v), Some(g)) if v == g => {}
            (None, None) => {}
            (Some(v), g) => out.push(format!(
                "expected header `{name}: {v}`, got {}",
                g.map_or("none".to_owned(), |g| format!("`{g}`"))
            )),
            (None, Some(g)) => out.push(format!("expected no header `{name}`, got `{g}`")),
        }
    }
    if let Some(b) = &expect.body {
        let actual = outcome.body.clone().unwrap_or(serde_json::Value::Null);
        if !json_contains(&actual, b) {
            out.push(format!("body does not contain {b}; body was {actual}"));
        }
    }
    if let Some(effects) = &expect.effects {
        let actual: Vec<serde_json::Value> = outcome
            .effects
            .iter()
            .filter_map(|e| serde_json::to_value(e).ok())
            .collect();
        if effects.is_empty() && !actual.is_empty() {
            out.push(format!(
                "expected no effects, got {}",
                serde_json::Value::Array(actual.clone())
            ));
        }
        for e in effects {
            if !actual.iter().any(|a| json_contains(a, e)) {
                out.push(format!(
                    "expected effect {e}, got {}",
                    serde_json::Value::Array(actual.clone())
                ));
            }
        }
    }
}

//! Policies parsed once. The world keeps every policy as the JSON document the learner wrote
//! (that is what a saved world or scenario holds); the parsed form lives here, keyed by the
//! document's content, so a request never re-parses a policy it has seen. A policy is parsed
//! when it is put or loaded (`World::normalize`, `PutBucketPolicy`) or, at the latest, the first
//! time a request reads it.
//!
//! The cache is keyed by content, not by where the policy sits, so it can never go stale: a
//! policy edited behind the engine's back simply misses and is parsed afresh. Clones of a world
//! share one cache (an editor's undo history costs nothing).
//!
//! The grammar is IAM's (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html>).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use s3pg_policy::Policy;
use serde_json::Value;

/// A parsed policy, or the sentence that says why it could not be read.
pub type Parsed = Result<Arc<Policy>, Arc<str>>;

/// More distinct documents than this and the cache starts again (a bound, never reached by a
/// course-sized world).
const MAX_ENTRIES: usize = 4096;

/// Documents with the same content hash, each with its parsed form.
type Entries = HashMap<u64, Vec<(Value, Parsed)>>;

/// Parsed policies by document content, shared between clones of a world.
#[derive(Debug, Default, Clone)]
pub struct PolicyCache {
    inner: Arc<Mutex<Entries>>,
}

impl PartialEq for PolicyCache {
    /// The cache is derived state: two worlds are equal whatever their caches hold.
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl PolicyCache {
    /// The parsed form of `document` (grammar only), parsing it on first sight.
    pub fn parsed(&self, document: &Value) -> Parsed {
        let hash = content_hash(document);
        let mut map = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(hit) = map
            .get(&hash)
            .and_then(|bucket| bucket.iter().find(|(doc, _)| doc == document))
        {
            return hit.1.clone();
        }
        let parsed: Parsed = crate::public::parse_policy(document)
            .map(Arc::new)
            .map_err(Arc::from);
        if map.len() >= MAX_ENTRIES {
            map.clear();
        }
        map.entry(hash)
            .or_default()
            .push((document.clone(), parsed.clone()));
        parsed
    }

    /// How many distinct documents are parsed (for tests).
    pub fn len(&self) -> usize {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .map(Vec::len)
            .sum()
    }

    /// True when nothing is parsed yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// FNV-1a over the document's structure (keys, strings, numbers, nesting), without allocating.
fn content_hash(value: &Value) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    hash_into(value, &mut h);
    h
}

fn mix(h: &mut u64, bytes: &[u8]) {
    for b in bytes {
        *h = (*h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
    }
}

fn hash_into(value: &Value, h: &mut u64) {
    match value {
        Value::Null => mix(h, b"n"),
        Value::Bool(b) => mix(h, if *b { b"t" } else { b"f" }),
        Value::Number(n) => {
            mix(h, b"#");
            mix(h, &n.as_f64().unwrap_or_default().to_bits().to_le_bytes());
        }
        Value::String(s) => {
            mix(h, b"\"");
            mix(h, s.as_bytes());
        }
        Value::Array(items) => {
            mix(h, b"[");
            for v in items {
                hash_into(v, h);
            }
            mix(h, b"]");
        }
        Value::Object(map) => {
            mix(h, b"{");
            for (k, v) in map {
                mix(h, k.as_bytes());
                mix(h, b":");
                hash_into(v, h);
            }
            mix(h, b"}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_documents_parse_once_and_edits_miss() {
        let cache = PolicyCache::default();
        let a = serde_json::json!({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]});
        let first = cache.parsed(&a).unwrap();
        let second = cache.parsed(&a.clone()).unwrap();
        assert!(Arc::ptr_eq(&first, &second));
        let mut b = a.clone();
        b["Statement"][0]["Action"] = "s3:PutObject".into();
        assert!(!Arc::ptr_eq(&first, &cache.parsed(&b).unwrap()));
        assert_eq!(cache.len(), 2);
    }

    #[test]
    fn unreadable_documents_say_why_every_time() {
        let cache = PolicyCache::default();
        let bad = serde_json::json!({"Statement": 3});
        assert!(cache.parsed(&bad).is_err());
        assert!(cache.parsed(&bad).is_err());
    }
}

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

/// A bucket policy as `PutBucketPolicy` checks it: the parsed policy, or S3's `MalformedPolicy`
/// message with the trace's sentence ([`crate::public::parse_bucket_policy_of`]).
pub type Checked = Result<Arc<Policy>, (String, String)>;

/// Documents checked as a bucket's policy, by content hash and bucket name.
type CheckedEntries = HashMap<(u64, String), Vec<(Value, Checked)>>;

/// Parsed documents by content hash, and where recent lookups found theirs.
#[derive(Debug, Default)]
struct Store {
    by_hash: Entries,
    /// (address of a document looked up, its hash, its index in `by_hash`), most recent
    /// last. A world's policies stay where they are between requests, so a document at an
    /// address seen before is checked against that entry alone, without hashing it again; the
    /// check compares the whole content, so an address reused by another document just misses.
    by_address: Vec<(usize, u64, usize)>,
}

/// How many addresses [`Store::by_address`] remembers (a course-sized world's policies).
const RECENT: usize = 32;

/// Parsed policies by document content, shared between clones of a world.
#[derive(Debug, Default, Clone)]
pub struct PolicyCache {
    inner: Arc<Mutex<Store>>,
    // Analysis dry-runs `PutBucketPolicy` once per principal with the same document: S3's
    // validation (grammar, lint, resources) is pure in (document, bucket), so it runs once.
    checked: Arc<Mutex<CheckedEntries>>,
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
        let at = std::ptr::from_ref(document).addr();
        let mut store = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let Store {
            by_hash,
            by_address,
        } = &mut *store;
        if let Some(hit) = by_address
            .iter()
            .rev()
            .find(|(a, ..)| *a == at)
            .and_then(|&(_, hash, i)| by_hash.get(&hash)?.get(i))
            .filter(|(doc, _)| same_in_order(doc, document))
        {
            return hit.1.clone();
        }
        let hash = content_hash(document);
        let bucket = by_hash.get(&hash);
        let (index, parsed) = match bucket
            .and_then(|b| b.iter().position(|(doc, _)| same_in_order(doc, document)))
            .and_then(|i| Some((i, bucket?.get(i)?.1.clone())))
        {
            Some(hit) => hit,
            None => {
                let parsed: Parsed = crate::public::parse_policy(document)
                    .map(Arc::new)
                    .map_err(Arc::from);
                if by_hash.len() >= MAX_ENTRIES {
                    by_hash.clear();
                    by_address.clear();
                }
                let entries = by_hash.entry(hash).or_default();
                entries.push((document.clone(), parsed.clone()));
                (entries.len() - 1, parsed)
            }
        };
        by_address.retain(|(a, ..)| *a != at);
        if by_address.len() >= RECENT {
            by_address.remove(0);
        }
        by_address.push((at, hash, index));
        parsed
    }

    /// `document` checked as `PutBucketPolicy` on `bucket` checks it (grammar, S3's checks, every
    /// `Resource` in the bucket), on first sight of that pair; then from the cache.
    pub fn checked_bucket_policy(&self, document: &Value, bucket: &str) -> Checked {
        let key = (content_hash(document), bucket.to_owned());
        let mut map = self.checked.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(hit) = map
            .get(&key)
            .and_then(|entries| entries.iter().find(|(doc, _)| same_in_order(doc, document)))
        {
            return hit.1.clone();
        }
        let checked: Checked =
            crate::public::parse_bucket_policy_of(document, Some(bucket)).map(Arc::new);
        if map.len() >= MAX_ENTRIES {
            map.clear();
        }
        map.entry(key)
            .or_default()
            .push((document.clone(), checked.clone()));
        checked
    }

    /// How many distinct documents are parsed (for tests).
    pub fn len(&self) -> usize {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .by_hash
            .values()
            .map(Vec::len)
            .sum()
    }

    /// True when nothing is parsed yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A hash of the document's structure (keys, strings, numbers, nesting) in the order written,
/// without allocating. Strings are mixed a word at a time (a multiply-rotate mix in the manner
/// of FxHash): every request looks its policies up here, so this is on the hot path.
fn content_hash(value: &Value) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    hash_into(value, &mut h);
    h
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

fn mix_word(h: &mut u64, word: u64) {
    *h = (h.rotate_left(5) ^ word).wrapping_mul(SEED);
}

fn mix(h: &mut u64, bytes: &[u8]) {
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        mix_word(h, u64::from_le_bytes(word));
    }
    let rest = chunks.remainder();
    let mut word = [0u8; 8];
    if let Some(dst) = word.get_mut(..rest.len()) {
        dst.copy_from_slice(rest);
    }
    // The length separates `"ab" "c"` from `"a" "bc"`.
    mix_word(h, u64::from_le_bytes(word) ^ ((bytes.len() as u64) << 56));
}

fn hash_into(value: &Value, h: &mut u64) {
    match value {
        Value::Null => mix_word(h, 1),
        Value::Bool(b) => mix_word(h, if *b { 2 } else { 3 }),
        Value::Number(n) => {
            mix_word(h, 4);
            mix_word(h, n.as_f64().unwrap_or_default().to_bits());
        }
        Value::String(s) => {
            mix_word(h, 5);
            mix(h, s.as_bytes());
        }
        Value::Array(items) => {
            mix_word(h, 6);
            for v in items {
                hash_into(v, h);
            }
            mix_word(h, 7);
        }
        Value::Object(map) => {
            mix_word(h, 8);
            for (k, v) in map {
                mix(h, k.as_bytes());
                hash_into(v, h);
            }
            mix_word(h, 9);
        }
    }
}

/// Equal documents with their members in the same order (what [`content_hash`] hashes): a
/// walk of both in step, where `==` on JSON objects would look every key up by hashing it. Two
/// documents that differ only in member order are different entries (each parsed once).
fn same_in_order(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|((ka, va), (kb, vb))| ka == kb && same_in_order(va, vb))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_in_order(p, q))
        }
        _ => a == b,
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
    fn a_document_edited_where_it_lies_is_parsed_afresh() {
        let cache = PolicyCache::default();
        let mut doc = serde_json::json!({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]});
        let first = cache.parsed(&doc).unwrap();
        assert!(Arc::ptr_eq(&first, &cache.parsed(&doc).unwrap()));
        // Same address, new content: the remembered address must not answer for it.
        doc["Statement"][0]["Action"] = "s3:PutObject".into();
        let edited = cache.parsed(&doc).unwrap();
        assert!(!Arc::ptr_eq(&first, &edited));
        assert_eq!(*edited, crate::public::parse_policy(&doc).unwrap());
        // And back: the first parse is found again by content.
        doc["Statement"][0]["Action"] = "s3:GetObject".into();
        assert!(Arc::ptr_eq(&first, &cache.parsed(&doc).unwrap()));
        assert_eq!(cache.len(), 2);
    }

    #[test]
    fn member_order_and_string_boundaries_keep_documents_apart() {
        let cache = PolicyCache::default();
        let a: Value = serde_json::from_str(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#).unwrap();
        let b: Value = serde_json::from_str(r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}],"Version":"2012-10-17"}"#).unwrap();
        let first = cache.parsed(&a).unwrap();
        assert!(!Arc::ptr_eq(&first, &cache.parsed(&b).unwrap()));
        assert!(Arc::ptr_eq(&first, &cache.parsed(&a.clone()).unwrap()));
        assert_ne!(
            content_hash(&serde_json::json!(["ab", "c"])),
            content_hash(&serde_json::json!(["a", "bc"]))
        );
        assert!(!same_in_order(
            &serde_json::json!({"a": [1, 2]}),
            &serde_json::json!({"a": [1, 2, 3]})
        ));
    }

    #[test]
    fn a_bucket_policy_is_checked_once_per_bucket() {
        let cache = PolicyCache::default();
        let doc = serde_json::json!({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::a/*"}]});
        let first = cache.checked_bucket_policy(&doc, "a").unwrap();
        assert!(Arc::ptr_eq(
            &first,
            &cache.checked_bucket_policy(&doc.clone(), "a").unwrap()
        ));
        // The same document on another bucket names a resource outside it: S3 refuses it.
        let refused = cache.checked_bucket_policy(&doc, "b").unwrap_err();
        assert_eq!(
            Some(refused),
            crate::public::parse_bucket_policy_of(&doc, Some("b")).err()
        );
    }

    #[test]
    fn unreadable_documents_say_why_every_time() {
        let cache = PolicyCache::default();
        let bad = serde_json::json!({"Statement": 3});
        assert!(cache.parsed(&bad).is_err());
        assert!(cache.parsed(&bad).is_err());
    }
}

//! Property tests: versioning against a simple model, and the rule that Block Public Access and
//! disabling ACLs can only take access away, never add it.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed lookup is a failed test"
)]

mod common;

use std::collections::BTreeMap;

use common::*;
use proptest::prelude::*;
use s3pg_sim::{Caller, Decision, ObjectOwnership, PublicAccessBlock, Request, World};
use serde_json::{Value, json};

// ---------- versioning: the world against a BTreeMap<key, Vec<version>> model ----------

#[derive(Debug, Clone)]
enum VOp {
    Put(usize, u8),
    Delete(usize),
    DeleteVersion(usize, usize),
    SetVersioning(bool),
}

fn vop() -> impl Strategy<Value = VOp> {
    prop_oneof![
        4 => (0..3usize, any::<u8>()).prop_map(|(k, b)| VOp::Put(k, b)),
        2 => (0..3usize).prop_map(VOp::Delete),
        2 => (0..3usize, 0..8usize).prop_map(|(k, i)| VOp::DeleteVersion(k, i)),
        1 => any::<bool>().prop_map(VOp::SetVersioning),
    ]
}

#[derive(Debug, Clone, PartialEq)]
struct MVer {
    id: String,
    marker: bool,
    body: String,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum MState {
    Unversioned,
    Enabled,
    Suspended,
}

const KEYS: [&str; 3] = ["a", "b/c", "b/d"];

fn check_against_model(
    w: &mut World,
    model: &BTreeMap<String, Vec<MVer>>,
) -> Result<(), TestCaseError> {
    for key in KEYS {
        let o = send(
            w,
            root(A),
            json!({"GetObject": {"bucket": "b", "key": key}}),
        );
        match model.get(key).and_then(|v| v.last()) {
            Some(v) if !v.marker => {
                prop_assert_eq!(o.status, 200, "GET {}", key);
                prop_assert_eq!(o.body.clone().unwrap()["Body"].clone(), json!(v.body));
            }
            Some(_) => {
                prop_assert_eq!(o.status, 404);
                prop_assert_eq!(
                    o.headers.get("x-amz-delete-marker").map(String::as_str),
                    Some("true")
                );
            }
            None => {
                prop_assert_eq!(code(&o), "NoSuchKey");
                prop_assert!(!o.headers.contains_key("x-amz-delete-marker"));
            }
        }
    }
    // ListObjectVersions: key order, newest first, markers and versions interleaved as stored.
    let o = send(w, root(A), json!({"ListObjectVersions": {"bucket": "b"}}));
    let body = o.body.unwrap();
    let mut listed: Vec<(String, String, bool, bool)> = Vec::new();
    for (field, marker) in [("Versions", false), ("DeleteMarkers", true)] {
        for v in body[field].as_array().unwrap() {
            listed.push((
                v["Key"].as_str().unwrap().to_owned(),
                v["VersionId"].as_str().unwrap().to_owned(),
                marker,
                v["IsLatest"].as_bool().unwrap(),
            ));
        }
    }
    let mut expected: Vec<(String, String, bool, bool)> = Vec::new();
    for (k, vs) in model {
        for (i, v) in vs.iter().enumerate() {
            expected.push((k.clone(), v.id.clone(), v.marker, i + 1 == vs.len()));
        }
    }
    listed.sort();
    expected.sort();
    prop_assert_eq!(listed, expected);
    // ListObjectsV2 shows keys whose current version is not a delete marker.
    let o = send(w, root(A), json!({"ListObjectsV2": {"bucket": "b"}}));
    let keys: Vec<String> = o.body.unwrap()["Contents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["Key"].as_str().unwrap().to_owned())
        .collect();
    let expected: Vec<String> = model
        .iter()
        .filter(|(_, v)| v.last().is_some_and(|x| !x.marker))
        .map(|(k, _)| k.clone())
        .collect();
    prop_assert_eq!(keys, expected);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn versioning_matches_a_simple_model(ops in proptest::collection::vec(vop(), 1..40)) {
        let mut w = world(json!({"accounts": {A: {}}, "buckets": {"b": {"owner": A}}}));
        let mut model: BTreeMap<String, Vec<MVer>> = BTreeMap::new();
        let mut state = MState::Unversioned;
        for op in ops {
            match op {
                VOp::Put(k, b) => {
                    let key = KEYS[k];
                    let body = format!("body-{b}");
                    let o = send(&mut w, root(A), json!({"PutObject": {"bucket": "b", "key": key, "body": body}}));
                    prop_assert_eq!(o.status, 200);
                    let vs = model.entry(key.to_owned()).or_default();
                    let id = match state {
                        MState::Enabled => {
                            let id = o.headers.get("x-amz-version-id").cloned().unwrap_or_default();
                            prop_assert!(id != "null" && !id.is_empty());
                            prop_assert!(vs.iter().all(|v| v.id != id), "version ids are unique");
                            id
                        }
                        MState::Unversioned | MState::Suspended => {
                            vs.retain(|v| v.id != "null");
                            "null".to_owned()
                        }
                    };
                    vs.push(MVer { id, marker: false, body });
                }
                VOp::Delete(k) => {
                    let key = KEYS[k];
                    let o = send(&mut w, root(A), json!({"DeleteObject": {"bucket": "b", "key": key}}));
                    prop_assert_eq!(o.status, 204);
                    match state {
                        MState::Unversioned => {
                            model.remove(key);
                        }
                        MState::Enabled | MState::Suspended => {
                            let id = o.headers.get("x-amz-version-id").cloned().unwrap_or_default();
                            prop_assert_eq!(o.headers.get("x-amz-delete-marker").map(String::as_str), Some("true"));
                            let vs = model.entry(key.to_owned()).or_default();
                            if state == MState::Suspended {
                                prop_assert_eq!(&id, "null");
                                vs.retain(|v| v.id != "null");
                            }
                            vs.push(MVer { id, marker: true, body: String::new() });
                        }
                    }
                }
                VOp::DeleteVersion(k, i) => {
                    let key = KEYS[k];
                    let Some(vs) = model.get_mut(key) else { continue };
                    let idx = i % vs.len();
                    let id = vs[idx].id.clone();
                    let o = send(&mut w, root(A), json!({"DeleteObject": {"bucket": "b", "key": key, "versionId": id}}));
                    prop_assert_eq!(o.status, 204);
                    let was_marker = vs[idx].marker;
                    prop_assert_eq!(o.headers.contains_key("x-amz-delete-marker"), was_marker);
                    vs.remove(idx);
                    if vs.is_empty() {
                        model.remove(key);
                    }
                }
                VOp::SetVersioning(enabled) => {
                    let status = if enabled { "Enabled" } else { "Suspended" };
                    let o = send(&mut w, root(A), json!({"PutBucketVersioning": {"bucket": "b", "status": status}}));
                    prop_assert_eq!(o.status, 200);
                    state = if enabled { MState::Enabled } else { MState::Suspended };
                }
            }
            check_against_model(&mut w, &model)?;
        }
    }
}

// ---------- Block Public Access and Object Ownership only ever take access away ----------

fn statement_pool() -> Vec<Value> {
    vec![
        json!({"Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::b/*"}),
        json!({"Effect": "Allow", "Principal": "*", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b"}),
        json!({"Effect": "Allow", "Principal": {"AWS": B}, "Action": "s3:*", "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]}),
        json!({"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{A}:user/alice")}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}),
        json!({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1"}}}),
        json!({"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}),
    ]
}

const CANNED: [&str; 5] = [
    "private",
    "public-read",
    "public-read-write",
    "authenticated-read",
    "bucket-owner-full-control",
];

#[derive(Debug, Clone)]
struct Case {
    statements: Vec<bool>,
    bucket_acl: usize,
    object_acl: usize,
    object_owner_b: bool,
    preferred: bool,
    caller: usize,
    action: usize,
    bucket_bpa: [bool; 4],
    account_bpa: [bool; 4],
    via_vpce: bool,
}

fn case() -> impl Strategy<Value = Case> {
    (
        proptest::collection::vec(any::<bool>(), 6),
        0..5usize,
        0..5usize,
        any::<bool>(),
        any::<bool>(),
        0..5usize,
        0..5usize,
        any::<[bool; 4]>(),
        any::<[bool; 4]>(),
        any::<bool>(),
    )
        .prop_map(
            |(
                statements,
                bucket_acl,
                object_acl,
                object_owner_b,
                preferred,
                caller,
                action,
                bucket_bpa,
                account_bpa,
                via_vpce,
            )| Case {
                statements,
                bucket_acl,
                object_acl,
                object_owner_b,
                preferred,
                caller,
                action,
                bucket_bpa,
                account_bpa,
                via_vpce,
            },
        )
}

fn bpa(flags: [bool; 4]) -> PublicAccessBlock {
    PublicAccessBlock {
        block_public_acls: flags[0],
        ignore_public_acls: flags[1],
        block_public_policy: flags[2],
        restrict_public_buckets: flags[3],
    }
}

fn build(c: &Case, allow_foreign_owner: bool) -> World {
    let pool = statement_pool();
    let statements: Vec<Value> = pool
        .into_iter()
        .zip(&c.statements)
        .filter(|(_, on)| **on)
        .map(|(s, _)| s)
        .collect();
    let owner = if c.object_owner_b && allow_foreign_owner {
        B
    } else {
        A
    };
    let mut bucket = json!({
        "owner": A,
        "objectOwnership": if c.preferred { "BucketOwnerPreferred" } else { "ObjectWriter" },
        "publicAccessBlock": null,
        "acl": {"canned": CANNED[c.bucket_acl % 4]},
        "objects": {"k": {"versions": [{"body": "v", "owner": owner, "acl": {"canned": CANNED[c.object_acl]}}]}}
    });
    if !statements.is_empty() {
        bucket["policy"] = json!({"Version": "2012-10-17", "Statement": statements});
    }
    world(json!({
        "accounts": {
            A: {"users": {"alice": {}, "admin": {"policies": [{"name": "all", "document": allow("s3:*", "*")}]}}},
            B: {"users": {"carol": {"policies": [{"name": "all", "document": allow("s3:*", "*")}]}, "dave": {}}}
        },
        "buckets": {"b": bucket}
    }))
}

fn caller(i: usize) -> Caller {
    match i {
        0 => Caller::Anonymous,
        1 => user("alice", A),
        2 => user("admin", A),
        3 => user("carol", B),
        _ => user("dave", B),
    }
}

fn action(i: usize) -> Value {
    match i {
        0 => json!({"GetObject": {"bucket": "b", "key": "k"}}),
        1 => json!({"ListObjectsV2": {"bucket": "b"}}),
        2 => json!({"PutObject": {"bucket": "b", "key": "new", "body": "x"}}),
        3 => json!({"GetObjectAcl": {"bucket": "b", "key": "k"}}),
        _ => json!({"ListObjectVersions": {"bucket": "b"}}),
    }
}

fn allowed(w: &World, c: &Case) -> bool {
    let mut w = w.clone();
    let mut r = Request::new(caller(c.caller), op(action(c.action)));
    if c.via_vpce {
        r.network.vpc_endpoint = Some("vpce-1".into());
    }
    let o = w.handle(&r, NOW);
    o.decision == Some(Decision::Allow) && o.status < 300
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn block_public_access_never_grants(c in case()) {
        let open = build(&c, true);
        let mut blocked = open.clone();
        blocked.buckets.get_mut("b").unwrap().public_access_block = Some(bpa(c.bucket_bpa));
        blocked.accounts.get_mut(A).unwrap().public_access_block = Some(bpa(c.account_bpa));
        if allowed(&blocked, &c) {
            prop_assert!(allowed(&open, &c), "allowed only with Block Public Access on: {c:?}");
        }
    }

    #[test]
    fn disabling_acls_never_grants_when_the_bucket_owner_owns_every_object(c in case()) {
        let with_acls = build(&c, false);
        let mut enforced = with_acls.clone();
        enforced.buckets.get_mut("b").unwrap().object_ownership = ObjectOwnership::BucketOwnerEnforced;
        if allowed(&enforced, &c) {
            prop_assert!(allowed(&with_acls, &c), "allowed only with ACLs disabled: {c:?}");
        }
    }
}

// ---------- no input makes the loader or the world panic ----------

const DEFAULT: &str = include_str!("../../../tests/scenarios/default.json");

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn scenario_loader_never_panics_on_arbitrary_text(text in ".{0,200}") {
        let _ = s3pg_sim::scenario::Scenario::from_json(&text);
    }

    #[test]
    fn scenario_loader_never_panics_on_damaged_scenarios(cut in 0..DEFAULT.len(), pos in 0..DEFAULT.len(), byte in proptest::char::range(' ', '~')) {
        let mut damaged: String = DEFAULT.chars().take(cut.max(pos)).collect();
        if let Some((i, _)) = damaged.char_indices().nth(pos.min(damaged.chars().count().saturating_sub(1))) {
            damaged.replace_range(i..i + damaged[i..].chars().next().map_or(0, char::len_utf8), &byte.to_string());
        }
        if let Err(e) = s3pg_sim::scenario::Scenario::from_json(&damaged) {
            prop_assert!(!e.message.is_empty());
        }
    }

    #[test]
    fn the_world_never_panics_on_odd_requests(
        c in 0..5usize,
        name in prop_oneof![Just("b"), Just("missing"), Just("")],
        key in prop_oneof![Just("k"), Just(""), Just("a/b/"), Just("\u{10ffff}")],
        version in proptest::option::of(prop_oneof![Just("null"), Just("v1"), Just(""), Just("nope")]),
        which in 0..12usize,
        acl in proptest::option::of(prop_oneof![Just("public-read"), Just("bogus"), Just("bucket-owner-full-control")]),
        grant in proptest::option::of(prop_oneof![Just("id=abc"), Just("uri=http://acs.amazonaws.com/groups/global/AllUsers"), Just("nonsense"), Just("emailAddress=a@b.c")]),
        mfa in proptest::option::of(prop_oneof![Just("x"), Just("arn:aws:iam::111122223333:mfa/root 123456"), Just(" ")]),
        max_keys in proptest::option::of(0..3usize),
    ) {
        let mut w = world(json!({
            "accounts": {A: {"root": {"mfaDevices": [{"serial": "arn:aws:iam::111122223333:mfa/root", "secretBase32": "JBSWY3DPEHPK3PXP"}]},
                "users": {"alice": {"policies": [{"name": "all", "document": allow("s3:*", "*")}]}}}, B: {"users": {"dave": {}}}},
            "buckets": {"b": {"owner": A, "versioning": "Enabled", "mfaDelete": true, "objectOwnership": "ObjectWriter",
                "objects": {"k": {"versions": [{"versionId": "v1", "body": "x"}, {"versionId": "dm", "deleteMarker": true}]}}}}
        }));
        let operation = match which {
            0 => json!({"GetObject": {"bucket": name, "key": key, "versionId": version}}),
            1 => json!({"DeleteObject": {"bucket": name, "key": key, "versionId": version}}),
            2 => json!({"PutObject": {"bucket": name, "key": key, "body": "z"}}),
            3 => json!({"PutObjectAcl": {"bucket": name, "key": key, "versionId": version}}),
            4 => json!({"ListObjectsV2": {"bucket": name, "prefix": key, "delimiter": "/", "maxKeys": max_keys, "continuationToken": version}}),
            5 => json!({"ListObjectVersions": {"bucket": name, "prefix": key, "maxKeys": max_keys, "keyMarker": key, "versionIdMarker": version}}),
            6 => json!({"CopyObject": {"bucket": name, "key": "copy", "sourceBucket": "b", "sourceKey": key, "sourceVersionId": version}}),
            7 => json!({"PutBucketVersioning": {"bucket": name, "status": "Suspended", "mfaDelete": "Disabled"}}),
            8 => json!({"DeleteObjects": {"bucket": name, "objects": [{"key": key, "versionId": version}, {"key": "k"}]}}),
            9 => json!({"PutBucketAcl": {"bucket": name}}),
            10 => json!({"CreateBucket": {"bucket": name, "objectOwnership": "ObjectWriter"}}),
            _ => json!({"DeleteBucket": {"bucket": name}}),
        };
        let caller = match c {
            0 => Caller::Anonymous,
            1 => root(A),
            2 => user("alice", A),
            3 => user("dave", B),
            _ => Caller::AccessKey { id: String::new() },
        };
        let mut r = Request::new(caller, op(operation));
        if let Some(a) = acl { r = r.header("x-amz-acl", a); }
        if let Some(g) = grant { r = r.header("x-amz-grant-read", g); }
        if let Some(m) = mfa { r = r.header("x-amz-mfa", m); }
        let o = w.handle(&r, NOW);
        prop_assert!((200..600).contains(&o.status));
        prop_assert!(!o.trace.is_empty());
        prop_assert!(o.trace.iter().filter(|s| s.deciding).count() <= 1, "at most one deciding step: {:?}", o.trace);
    }
}

//! Property tests for S3 Object Lock and Lifecycle on random operation sequences: a protected
//! version never goes before its date (COMPLIANCE never, GOVERNANCE only by an explicit bypass,
//! a legal hold never), and lifecycle never removes a locked version — current or noncurrent —
//! however far the clock jumps.
//!
//! Follows "How S3 Object Lock works"
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-overview.html>) and
//! "Lifecycle and other bucket configurations"
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-and-other-bucket-config.html>).

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
use s3pg_sim::object_lock::{LegalHoldStatus, RetentionMode, VersionLock};
use s3pg_sim::{Request, Timestamp, World};
use serde_json::json;

const KEYS: [&str; 2] = ["a", "logs/b"];
const DAY: u64 = 86_400;

#[derive(Debug, Clone)]
enum Op {
    /// Upload with a retention (`None`: no lock headers) of that many days.
    Put(usize, Option<(bool, u64)>),
    Delete(usize),
    DeleteVersion(usize, usize, bool),
    Retention(usize, usize, bool, u64, bool),
    Hold(usize, usize, bool),
    /// Move the clock forward by that many hours.
    Wait(u64),
}

fn lock_op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..2usize, proptest::option::of((any::<bool>(), 1..20u64))).prop_map(|(k, l)| Op::Put(k, l)),
        1 => (0..2usize).prop_map(Op::Delete),
        3 => (0..2usize, 0..6usize, any::<bool>()).prop_map(|(k, i, b)| Op::DeleteVersion(k, i, b)),
        2 => (0..2usize, 0..6usize, any::<bool>(), 1..20u64, any::<bool>()).prop_map(|(k, i, c, d, b)| Op::Retention(k, i, c, d, b)),
        1 => (0..2usize, 0..6usize, any::<bool>()).prop_map(|(k, i, on)| Op::Hold(k, i, on)),
        3 => (1..200u64).prop_map(Op::Wait),
    ]
}

fn locked_world() -> World {
    world(json!({
        "accounts": {A: {}},
        "buckets": {"b": {
            "owner": A,
            "versioning": "Enabled",
            "objectLock": {"ObjectLockEnabled": "Enabled"},
            "lifecycle": {"Rules": [
                {"ID": "expire", "Status": "Enabled", "Expiration": {"Days": 1}},
                {"ID": "noncurrent", "Status": "Enabled", "NoncurrentVersionExpiration": {"NoncurrentDays": 1}}
            ]},
            "objects": {}
        }}
    }))
}

/// Every version in the bucket: (key, version id) → its lock and whether it is a delete marker.
fn versions(w: &World) -> BTreeMap<(String, String), (VersionLock, bool)> {
    let mut out = BTreeMap::new();
    for (key, entry) in &w.buckets["b"].objects {
        for v in &entry.versions {
            out.insert(
                (key.clone(), v.version_id.clone()),
                (v.object_lock.clone(), v.delete_marker),
            );
        }
    }
    out
}

fn version_at(w: &World, key: &str, i: usize) -> Option<String> {
    let entry = w.buckets["b"].objects.get(key)?;
    let n = entry.versions.len();
    entry
        .versions
        .get(i % n.max(1))
        .map(|v| v.version_id.clone())
}

fn date(t: Timestamp) -> String {
    t.to_string()
}

fn apply(w: &mut World, o: &Op, now: &mut Timestamp) -> Option<(String, String)> {
    let mut bypassed = None;
    let request = match o {
        Op::Wait(hours) => {
            *now = now.plus(hours * 3600);
            // Any request lets the clock's due work (lifecycle) run.
            Request::new(root(A), op(json!({"ListObjectVersions": {"bucket": "b"}})))
        }
        Op::Put(k, lock) => {
            let mut r = Request::new(
                root(A),
                op(json!({"PutObject": {"bucket": "b", "key": KEYS[*k], "body": "x"}})),
            )
            .header("x-amz-sdk-checksum-algorithm", "CRC32");
            if let Some((compliance, days)) = lock {
                r = r
                    .header(
                        "x-amz-object-lock-mode",
                        if *compliance {
                            "COMPLIANCE"
                        } else {
                            "GOVERNANCE"
                        },
                    )
                    .header(
                        "x-amz-object-lock-retain-until-date",
                        &date(now.plus(days * DAY)),
                    );
            }
            r
        }
        Op::Delete(k) => Request::new(
            root(A),
            op(json!({"DeleteObject": {"bucket": "b", "key": KEYS[*k]}})),
        ),
        Op::DeleteVersion(k, i, bypass) => {
            let vid = version_at(w, KEYS[*k], *i)?;
            let mut r = Request::new(
                root(A),
                op(json!({"DeleteObject": {"bucket": "b", "key": KEYS[*k], "versionId": vid}})),
            );
            if *bypass {
                r = r.header("x-amz-bypass-governance-retention", "true");
                bypassed = Some((KEYS[*k].to_owned(), vid));
            }
            r
        }
        Op::Retention(k, i, compliance, days, bypass) => {
            let vid = version_at(w, KEYS[*k], *i)?;
            let mode = if *compliance {
                "COMPLIANCE"
            } else {
                "GOVERNANCE"
            };
            let mut r = Request::new(
                root(A),
                op(
                    json!({"PutObjectRetention": {"bucket": "b", "key": KEYS[*k], "versionId": vid,
                    "retention": {"Mode": mode, "RetainUntilDate": date(now.plus(days * DAY))}}}),
                ),
            );
            if *bypass {
                r = r.header("x-amz-bypass-governance-retention", "true");
            }
            r
        }
        Op::Hold(k, i, on) => {
            let vid = version_at(w, KEYS[*k], *i)?;
            Request::new(
                root(A),
                op(
                    json!({"PutObjectLegalHold": {"bucket": "b", "key": KEYS[*k], "versionId": vid,
                    "legalHold": {"Status": if *on { "ON" } else { "OFF" }}}}),
                ),
            )
        }
    };
    w.handle(&request, *now);
    bypassed
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]

    /// No request and no lifecycle action removes a version before its retain-until date, or
    /// while it is under a legal hold; a GOVERNANCE version goes early only through the bypass
    /// the request asked for; a COMPLIANCE retention is never shortened.
    #[test]
    fn object_lock_never_lets_a_protected_version_go_before_its_date(
        ops in proptest::collection::vec(lock_op(), 1..40)
    ) {
        let mut w = locked_world();
        let mut now = NOW;
        for o in &ops {
            let before = versions(&w);
            let bypassed = apply(&mut w, o, &mut now);
            let after = versions(&w);
            for (id, (lock, _)) in &before {
                let Some((new_lock, _)) = after.get(id) else {
                    // Gone: it must not have been protected at `now`.
                    prop_assert!(lock.legal_hold != Some(LegalHoldStatus::On), "{id:?} under legal hold went: {o:?}");
                    if let Some(r) = &lock.retention && now < r.retain_until_date {
                        prop_assert!(
                            r.mode == RetentionMode::Governance && bypassed.as_ref() == Some(id),
                            "{id:?} ({:?} until {}) went at {now} by {o:?}", r.mode, r.retain_until_date
                        );
                    }
                    continue;
                };
                // Still there: a COMPLIANCE retention was not shortened nor weakened.
                if let Some(r) = &lock.retention
                    && r.mode == RetentionMode::Compliance
                    && now < r.retain_until_date
                {
                    let n = new_lock.retention.as_ref().expect("retention kept");
                    prop_assert_eq!(n.mode, RetentionMode::Compliance);
                    prop_assert!(n.retain_until_date >= r.retain_until_date);
                }
            }
        }
    }

    /// Lifecycle alone (the clock jumping days ahead) never removes a locked version, current or
    /// noncurrent: a locked current version only gets a delete marker on top.
    #[test]
    fn lifecycle_never_removes_a_locked_version(
        puts in proptest::collection::vec((0..2usize, proptest::option::of((any::<bool>(), 1..40u64))), 1..10),
        jumps in proptest::collection::vec(1..30u64, 1..8),
    ) {
        let mut w = locked_world();
        let mut now = NOW;
        for (k, lock) in &puts {
            apply(&mut w, &Op::Put(*k, *lock), &mut now);
            now = now.plus(3600);
        }
        for days in jumps {
            let before = versions(&w);
            now = now.plus(days * DAY);
            w.advance(now);
            let after = versions(&w);
            for (id, (lock, marker)) in &before {
                let protected = lock.legal_hold == Some(LegalHoldStatus::On)
                    || lock.retention.as_ref().is_some_and(|r| now < r.retain_until_date);
                if protected && !marker {
                    prop_assert!(after.contains_key(id), "lifecycle removed locked {id:?} before {now}");
                }
            }
        }
    }
}

/// The properties are not vacuous: the operations they draw do lock versions, refuse deletes and
/// let lifecycle act.
#[test]
fn the_generated_operations_lock_refuse_and_expire() {
    let mut w = locked_world();
    let mut now = NOW;
    apply(&mut w, &Op::Put(0, Some((true, 3))), &mut now);
    apply(&mut w, &Op::DeleteVersion(0, 0, true), &mut now);
    assert_eq!(versions(&w).len(), 1, "a COMPLIANCE version is not deleted");
    apply(&mut w, &Op::Wait(24 * 2), &mut now);
    // Expiration added a delete marker on top; the locked version stays.
    assert_eq!(versions(&w).len(), 2);
    apply(&mut w, &Op::Wait(24 * 3), &mut now);
    // Retention over: noncurrent expiration removed the version at the next midnight.
    assert!(
        versions(&w).values().all(|(_, marker)| *marker),
        "{:?}",
        versions(&w)
    );
}

//! The access diff: two worlds — before and after an edit (a policy, an ACL, a Block Public Access
//! flag, an Object Ownership change) — and the access gained and lost, as principal × action ×
//! resource rows, each explained in a sentence ("this change lets anonymous callers
//! `s3:GetObject` `examplebucket/*`").
//!
//! Both sides are dry runs ([`crate::dry_run`]) of the same requests in each world, so the diff
//! says what S3 would answer differently, whatever the edit was. Only what an edit can reach is
//! asked again: resources in buckets that changed, and every resource for principals of an
//! account that changed (and every principal for buckets that account owns). The decisions
//! follow S3's authorization workflow
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html>);
//! the idea is the S3 console's "Preview external access"
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-preview-access-s3-console.html>)
//! taken to every principal.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use s3pg_policy::wildcard::wildcard_match;
use s3pg_sim::{Timestamp, World};
use serde_json::Value;

use crate::principals::{Subject, subjects, with_class_callers};
use crate::props::policy_documents;
use crate::resource::{BUCKET_ACTIONS, NEW_OBJECT_KEY, OBJECT_ACTIONS, Resource};
use crate::who_can::{Asked, ask};

mod policy_edit;

use policy_edit::PolicyEdit;

/// Gained or lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Change {
    /// Allowed after, not before.
    Gained,
    /// Allowed before, not after.
    Lost,
}

/// One row of the diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiffRow {
    /// Gained or lost.
    pub change: Change,
    /// Who.
    pub subject: Subject,
    /// The action.
    pub action: String,
    /// The resource: `bucket`, `bucket/key`, or `bucket/*` when every object changed alike.
    pub resource: String,
    /// What decided before.
    pub before: String,
    /// What decides after.
    pub after: String,
    /// One sentence.
    pub explanation: String,
}

/// The actions the diff asks about on a bucket (the ones an edit typically opens or closes).
pub const DIFF_BUCKET_ACTIONS: &[&str] = &[
    "s3:ListBucket",
    "s3:ListBucketVersions",
    "s3:GetBucketAcl",
    "s3:PutBucketAcl",
    "s3:GetBucketPolicy",
    "s3:PutBucketPolicy",
    "s3:DeleteBucketPolicy",
    "s3:PutBucketPublicAccessBlock",
    "s3:DeleteBucket",
];

type Key = (Subject, String, Resource);

/// Object rows grouped by subject, action, bucket and direction: (key, before, after) each.
type Groups = BTreeMap<(Subject, String, String, bool), Vec<(String, String, String)>>;

/// Access gained and lost between `before` and `after`, at `now`.
pub fn diff(before: &World, after: &World, now: Timestamp) -> Vec<DiffRow> {
    diff_with(before, after, now, true)
}

/// [`diff`]; with `restrict` false, the world after an edit of one bucket policy is asked every
/// question too (what the tests compare the restricted diff with).
fn diff_with(before: &World, after: &World, now: Timestamp, restrict: bool) -> Vec<DiffRow> {
    let scope = Scope::of(before, after);
    if scope.is_empty() {
        return Vec::new();
    }
    // An empty bucket is still asked about its objects: both worlds get one placeholder object
    // (S3 answers 403 for a missing key to a caller without `s3:ListBucket`, which would hide
    // the read a public-read statement opens), reported as `bucket/*` — any object.
    let empty: BTreeSet<String> = after
        .buckets
        .iter()
        .filter(|(name, b)| {
            b.objects.is_empty()
                && before
                    .buckets
                    .get(*name)
                    .is_some_and(|old| old.objects.is_empty())
        })
        .map(|(name, _)| name.clone())
        .collect();
    let placeheld;
    let (before, after) = if empty.is_empty() {
        (before, after)
    } else {
        placeheld = (
            with_placeholders(before, &empty),
            with_placeholders(after, &empty),
        );
        (&placeheld.0, &placeheld.1)
    };
    let hb = with_class_callers(before);
    let ha = with_class_callers(after);
    let mut who: BTreeSet<Subject> = subjects(before).into_iter().collect();
    who.extend(subjects(after));
    let mut changed: BTreeMap<Key, (String, String, bool)> = BTreeMap::new();
    let patterns = resource_patterns(before, after);
    // An edit of one bucket policy: the world after it is asked only where an answer may differ.
    let edit = scope
        .only_bucket()
        .filter(|_| restrict)
        .and_then(|b| PolicyEdit::of(before, after, b));
    for (bucket_name, bucket) in &after.buckets {
        let Some(old) = before.buckets.get(bucket_name) else {
            continue;
        };
        let (resources, same_as) = asked_resources(old, bucket, bucket_name, &patterns);
        let whole_bucket = scope.all
            || scope.buckets.contains(bucket_name)
            || scope.accounts.contains(&bucket.owner);
        for subject in &who {
            let account_changed = subject
                .account()
                .is_some_and(|a| scope.accounts.contains(a));
            if !whole_bucket && !account_changed {
                continue;
            }
            for resource in &resources {
                let actions: &[&str] = match resource {
                    Resource::Bucket { .. } => DIFF_BUCKET_ACTIONS,
                    _ => OBJECT_ACTIONS,
                };
                for action in actions {
                    let Some(b) = ask(before, &hb, resource, subject, action, now) else {
                        continue;
                    };
                    if let (Some(edit), Asked::DryRun { outcome, .. }) = (&edit, &b)
                        && edit.bucket == *bucket_name
                        && !edit.may_change(action, outcome)
                    {
                        continue;
                    }
                    let Some(a) = ask(after, &ha, resource, subject, action, now) else {
                        continue;
                    };
                    // Only a changed answer is read in words.
                    if b.allowed() != a.allowed() {
                        let value = (
                            b.verdict().decided_by(),
                            a.verdict().decided_by(),
                            a.allowed(),
                        );
                        for (other, rep) in &same_as {
                            if rep == resource {
                                changed.insert(
                                    (subject.clone(), (*action).to_owned(), other.clone()),
                                    value.clone(),
                                );
                            }
                        }
                        changed.insert(
                            (subject.clone(), (*action).to_owned(), resource.clone()),
                            value,
                        );
                    }
                }
            }
        }
    }
    let _ = BUCKET_ACTIONS;
    collapse(after, before, changed, &empty)
}

/// The resources of a bucket the diff asks about: the bucket and one object of each kind, with
/// the other objects of each kind and the one asked for them. Objects that no policy, ACL, owner
/// or encryption tells apart get the same answers.
fn asked_resources(
    old: &s3pg_sim::Bucket,
    bucket: &s3pg_sim::Bucket,
    bucket_name: &str,
    patterns: &[String],
) -> (Vec<Resource>, Vec<(Resource, Resource)>) {
    let mut resources = vec![Resource::Bucket {
        bucket: bucket_name.to_owned(),
    }];
    for key in bucket
        .objects
        .keys()
        .filter(|k| old.objects.contains_key(*k))
    {
        resources.push(Resource::Object {
            bucket: bucket_name.to_owned(),
            key: key.clone(),
        });
    }
    let mut representative: BTreeMap<String, Resource> = BTreeMap::new();
    let mut same_as: Vec<(Resource, Resource)> = Vec::new();
    resources.retain(|r| {
        let Resource::Object { key, .. } = r else {
            return true;
        };
        let sig = signature(old, bucket, bucket_name, key, patterns);
        match representative.get(&sig) {
            Some(rep) => {
                same_as.push((r.clone(), rep.clone()));
                false
            }
            None => {
                representative.insert(sig, r.clone());
                true
            }
        }
    });
    (resources, same_as)
}

/// A copy of `world` where each bucket of `empty` holds one object, [`NEW_OBJECT_KEY`], owned
/// by the bucket owner.
fn with_placeholders(world: &World, empty: &BTreeSet<String>) -> World {
    let mut w = world.clone();
    for name in empty {
        let entry =
            serde_json::from_value(serde_json::json!({"versions": [{"body": "placeholder"}]}));
        if let (Some(b), Ok(entry)) = (w.buckets.get_mut(name), entry) {
            b.objects.insert(NEW_OBJECT_KEY.to_owned(), entry);
        }
    }
    w.normalize();
    w
}

/// Groups object rows into `bucket/*` when every common object of the bucket changed alike.
fn collapse(
    after: &World,
    before: &World,
    changed: BTreeMap<Key, (String, String, bool)>,
    placeholders: &BTreeSet<String>,
) -> Vec<DiffRow> {
    let mut rows = Vec::new();
    let mut by_group: Groups = BTreeMap::new();
    for ((subject, action, resource), (b, a, gained)) in changed {
        match resource {
            Resource::Object { bucket, key } => {
                by_group
                    .entry((subject, action, bucket, gained))
                    .or_default()
                    .push((key, b, a));
            }
            other => rows.push(row(subject, action, other.to_string(), b, a, gained)),
        }
    }
    for ((subject, action, bucket, gained), keys) in by_group {
        let common = match (after.buckets.get(&bucket), before.buckets.get(&bucket)) {
            (Some(x), Some(y)) => x
                .objects
                .keys()
                .filter(|k| y.objects.contains_key(*k))
                .count(),
            _ => 0,
        };
        let same_reason = keys.windows(2).all(|w| match w {
            [x, y] => x.1 == y.1 && x.2 == y.2,
            _ => true,
        });
        let any_object = placeholders.contains(&bucket);
        if (keys.len() == common && keys.len() > 1 && same_reason) || any_object {
            if let Some((_, b, a)) = keys.into_iter().next() {
                rows.push(row(subject, action, format!("{bucket}/*"), b, a, gained));
            }
        } else {
            for (key, b, a) in keys {
                rows.push(row(
                    subject.clone(),
                    action.clone(),
                    format!("{bucket}/{key}"),
                    b,
                    a,
                    gained,
                ));
            }
        }
    }
    rows.sort_by(|x, y| {
        (x.change, &x.resource, &x.subject, &x.action).cmp(&(
            y.change,
            &y.resource,
            &y.subject,
            &y.action,
        ))
    });
    rows
}

fn row(
    subject: Subject,
    action: String,
    resource: String,
    before: String,
    after: String,
    gained: bool,
) -> DiffRow {
    let explanation = if gained {
        format!(
            "this change lets {} `{action}` `{resource}` (now allowed by {after}; before: {before})",
            subject.label()
        )
    } else {
        format!(
            "this change stops {} from `{action}` on `{resource}` (now refused by {after}; before allowed by {before})",
            subject.label()
        )
    };
    DiffRow {
        change: if gained { Change::Gained } else { Change::Lost },
        subject,
        action,
        resource,
        before,
        after,
        explanation,
    }
}

/// Every `Resource`/`NotResource` pattern of both worlds' policies.
fn resource_patterns(before: &World, after: &World) -> Vec<String> {
    let mut out = BTreeSet::new();
    for doc in policy_documents(before)
        .iter()
        .chain(policy_documents(after).iter())
    {
        let statements = match doc.get("Statement") {
            Some(Value::Array(items)) => items.iter().collect::<Vec<_>>(),
            Some(one) => vec![one],
            None => Vec::new(),
        };
        for st in statements {
            for field in ["Resource", "NotResource"] {
                match st.get(field) {
                    Some(Value::String(p)) => {
                        out.insert(p.clone());
                    }
                    Some(Value::Array(ps)) => {
                        out.extend(ps.iter().filter_map(Value::as_str).map(str::to_owned));
                    }
                    _ => {}
                }
            }
        }
    }
    out.into_iter().collect()
}

/// What S3's decision on an object can depend on besides the caller: which resource patterns
/// its ARN matches (any pattern with a policy variable makes every key its own kind) and, in
/// both worlds, its current version's owner, ACL, delete marker, metadata and encryption key.
fn signature(
    before: &s3pg_sim::Bucket,
    after: &s3pg_sim::Bucket,
    bucket: &str,
    key: &str,
    patterns: &[String],
) -> String {
    let arn = format!("arn:aws:s3:::{bucket}/{key}");
    let mut sig = String::new();
    for p in patterns {
        if p.contains("${") {
            return arn;
        }
        sig.push(if wildcard_match(p, &arn) { '1' } else { '0' });
    }
    for b in [before, after] {
        let Some(entry) = b.objects.get(key) else {
            sig.push_str("|none");
            continue;
        };
        let Some(v) = entry.current() else {
            sig.push_str("|empty");
            continue;
        };
        let sealed = v
            .sealed
            .as_ref()
            .and_then(|s| serde_json::to_value(s).ok())
            .map(|s| {
                let tag = s
                    .as_object()
                    .and_then(|o| o.keys().next().cloned())
                    .unwrap_or_default();
                let field = |a: &str, b: &str| {
                    s.pointer(&format!("/{tag}/{a}"))
                        .or_else(|| s.pointer(&format!("/{tag}/{b}")))
                        .cloned()
                };
                format!(
                    "{tag}:{:?}:{:?}",
                    field("keyArn", "key_arn"),
                    field("bucketKeyEnabled", "bucket_key_enabled")
                )
            })
            .unwrap_or_default();
        sig.push_str(&format!(
            "|{}|{:?}|{}|{:?}|{:?}|{sealed}|{}",
            v.owner,
            v.acl,
            v.delete_marker,
            v.metadata,
            v.encryption,
            entry.versions.len(),
        ));
    }
    sig
}

/// What an edit can reach.
#[derive(Debug, Default)]
struct Scope {
    /// Everything (KMS keys, VPC endpoints, Glacier or the world's mode changed).
    all: bool,
    /// Buckets whose own state changed.
    buckets: BTreeSet<String>,
    /// Accounts whose principals, policies or settings changed.
    accounts: BTreeSet<String>,
}

impl Scope {
    fn of(before: &World, after: &World) -> Scope {
        let mut s = Scope {
            all: before.kms != after.kms
                || before.vpc_endpoints != after.vpc_endpoints
                || before.exam_mode != after.exam_mode,
            ..Scope::default()
        };
        for (name, b) in &after.buckets {
            if before.buckets.get(name) != Some(b) {
                s.buckets.insert(name.clone());
            }
        }
        let ids: BTreeSet<&String> = before
            .accounts
            .keys()
            .chain(after.accounts.keys())
            .collect();
        for id in ids {
            if before.accounts.get(id) != after.accounts.get(id) {
                s.accounts.insert(id.clone());
            }
        }
        s
    }

    /// The one bucket the edit reaches, when it reaches nothing else.
    fn only_bucket(&self) -> Option<&str> {
        let mut buckets = self.buckets.iter();
        match (
            self.all,
            self.accounts.is_empty(),
            buckets.next(),
            buckets.next(),
        ) {
            (false, true, Some(b), None) => Some(b),
            _ => None,
        }
    }

    fn is_empty(&self) -> bool {
        !self.all && self.buckets.is_empty() && self.accounts.is_empty()
    }
}

#[cfg(test)]
#[path = "../tests/support/course_world.rs"]
mod course_world;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Statements a learner might add to a bucket policy, over `bucket`.
    fn templates(bucket: &str) -> Vec<Value> {
        let arns = json!([
            format!("arn:aws:s3:::{bucket}"),
            format!("arn:aws:s3:::{bucket}/*")
        ]);
        let objects = json!(format!("arn:aws:s3:::{bucket}/*"));
        vec![
            json!({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": objects}),
            json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::333344445555:root"}, "Action": ["s3:ListBucket", "s3:GetObject"], "Resource": arns}),
            json!({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": arns, "Condition": {"Bool": {"aws:SecureTransport": "false"}}}),
            json!({"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": objects, "Condition": {"Null": {"s3:x-amz-server-side-encryption": "true"}}}),
            json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::222233334444:user/user3"}, "Action": "s3:Delete*", "Resource": objects}),
            json!({"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "NotAction": "s3:Get*", "Resource": arns}),
            json!({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": format!("arn:aws:s3:::{bucket}/shared/*"), "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-course1"}}}),
            json!({"Effect": "Deny", "Principal": "*", "Action": ["s3:GetBucketAcl", "s3:PutBucketAcl"], "Resource": arns}),
            json!({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:ListBucket", "Resource": arns, "Condition": {"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}}}),
        ]
    }

    #[test]
    fn the_diff_of_a_bucket_policy_edit_asks_again_only_what_it_can_change() {
        let world = course_world::course_world();
        let now = Timestamp::parse("2026-03-01T12:00:00Z").unwrap();
        let buckets: Vec<String> = world.buckets.keys().cloned().collect();
        // A fixed linear congruential sequence: the same edits on every run.
        let mut seed: u64 = 0x5eed;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            usize::try_from(seed >> 33).unwrap() % n
        };
        let mut restricted = 0;
        let mut rows = 0;
        for round in 0..16 {
            let bucket = buckets[next(buckets.len())].clone();
            let mut after = world.clone();
            let b = after.buckets.get_mut(&bucket).unwrap();
            let mut statements = match b.policy.as_ref().and_then(|p| p.get("Statement")) {
                Some(Value::Array(items)) => items.clone(),
                _ => Vec::new(),
            };
            // Remove one statement, add one, or both.
            let kind = next(3);
            if kind != 1 && !statements.is_empty() {
                statements.remove(next(statements.len()));
            }
            if kind != 0 {
                let t = templates(&bucket);
                statements.insert(next(statements.len() + 1), t[next(t.len())].clone());
            }
            b.policy = Some(json!({"Version": "2012-10-17", "Statement": statements}));
            after.normalize();
            let scope = Scope::of(&world, &after);
            if scope
                .only_bucket()
                .and_then(|b| PolicyEdit::of(&world, &after, b))
                .is_some()
            {
                restricted += 1;
            }
            let full = diff_with(&world, &after, now, false);
            rows += full.len();
            assert_eq!(
                diff_with(&world, &after, now, true),
                full,
                "round {round}: {bucket} {}",
                after.buckets[&bucket].policy.as_ref().unwrap()
            );
        }
        assert!(restricted >= 8, "only {restricted} edits were restricted");
        assert!(rows > 20, "the edits changed only {rows} answers");
    }
}

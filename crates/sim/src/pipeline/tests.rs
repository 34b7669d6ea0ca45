//! The pipeline's tests: the dry run copies only when a stage writes, every operation's plan is
//! what authorization decided, KMS calls are planned, deliveries go through the decider.
use super::*;
use crate::request::Caller;
use crate::view::WorldRef;

fn world() -> World {
    let mut w: World = serde_json::from_value(serde_json::json!({
        "accounts": {"111122223333": {"users": {"alice": {"policies": [{"name": "read", "document": {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}}]}}}},
        "buckets": {"b": {"owner": "111122223333", "objects": {"k": {"versions": [{"owner": "111122223333", "body": "1"}]}}}}
    }))
    .unwrap();
    w.normalize();
    w
}

fn copied(world: &World, request: &Request) -> bool {
    let mut view = WorldRef::dry_run(world);
    run(&mut view, request, Timestamp(1_767_258_000));
    matches!(view, WorldRef::DryRun { copy: Some(_), .. })
}

fn get(caller: Caller) -> Request {
    Request::new(
        caller,
        serde_json::from_value(serde_json::json!({"GetObject": {"bucket": "b", "key": "k"}}))
            .unwrap(),
    )
}

#[test]
fn reads_and_denials_are_dry_run_without_copying_the_world() {
    let w = world();
    let alice = Caller::User {
        name: "alice".into(),
        account: Some("111122223333".into()),
    };
    assert_eq!(w.authorize(&get(alice.clone()), Timestamp(1)).status, 200);
    assert!(!copied(&w, &get(alice)));
    assert!(!copied(&w, &get(Caller::Anonymous)));
}

#[test]
fn a_head_error_has_a_status_and_no_body() {
    let mut w = world();
    let head = Request::new(
        Caller::Root {
            account: "111122223333".into(),
        },
        serde_json::from_value(serde_json::json!({"HeadObject": {"bucket": "b", "key": "gone"}}))
            .unwrap(),
    );
    let o = w.handle(&head, Timestamp(1));
    assert_eq!(o.status, 404);
    assert!(o.error.is_none() && o.body.is_none());
    assert!(
        o.trace
            .iter()
            .any(|s| s.explanation.contains("`NoSuchKey`"))
    );
}

#[test]
fn a_write_is_dry_run_on_a_copy() {
    let w = world();
    let create = Request::new(
        Caller::Root {
            account: "111122223333".into(),
        },
        serde_json::from_value(serde_json::json!({"CreateBucket": {"bucket": "new-bucket"}}))
            .unwrap(),
    );
    assert!(copied(&w, &create));
    assert_eq!(w.authorize(&create, Timestamp(1)).status, 200);
    assert!(!w.buckets.contains_key("new-bucket"));
}

fn put_of(key: &str) -> Request {
    Request::new(
        Caller::Root {
            account: "111122223333".into(),
        },
        serde_json::from_value(
            serde_json::json!({"PutObject": {"bucket": "b", "key": key, "body": "2"}}),
        )
        .unwrap(),
    )
}

#[test]
fn a_delete_in_a_versioned_bucket_is_dry_run_without_a_copy() {
    let mut w = world();
    if let Some(b) = w.buckets.get_mut("b") {
        b.versioning = crate::model::Versioning::Enabled;
    }
    let now = Timestamp(1_767_258_000);
    let root = || Caller::Root {
        account: "111122223333".into(),
    };
    let delete = |key: &str, version: Option<&str>| {
        Request::new(
            root(),
            serde_json::from_value(serde_json::json!({"DeleteObject": {"bucket": "b", "key": key, "versionId": version}}))
                .unwrap(),
        )
    };
    // A delete marker, then the marker's own version removed, then a key that was never there.
    let marker = {
        let req = delete("k", None);
        assert!(!copied(&w, &req));
        let dry = w.authorize(&req, now);
        let real = w.handle(&req, now);
        assert_eq!(dry, real);
        real.headers["x-amz-version-id"].clone()
    };
    for req in [delete("k", Some(&marker)), delete("never", None)] {
        assert!(!copied(&w, &req));
        let before = serde_json::to_string(&w).unwrap();
        let dry = w.authorize(&req, now);
        assert_eq!(serde_json::to_string(&w).unwrap(), before);
        assert_eq!(dry, w.handle(&req, now));
    }
    assert!(
        w.buckets["b"].objects["k"]
            .current()
            .is_some_and(|v| !v.delete_marker)
    );
}

#[test]
fn an_sse_s3_put_is_dry_run_without_a_copy_before_and_after_s3_has_its_root_key() {
    let mut w = world();
    let now = Timestamp(1_767_258_000);
    // The world's first SSE-S3 write draws S3's root key: a dry run only counts that draw, as it
    // drops the sealed body the key would wrap.
    assert!(w.sse_s3_root_key.is_none());
    assert!(!copied(&w, &put_of("n")));
    let dry = w.authorize(&put_of("first"), now);
    assert_eq!(dry, w.handle(&put_of("first"), now));
    assert!(w.sse_s3_root_key.is_some());
    // From then on the new version is the write's only change: elided, its id worked out.
    assert!(!copied(&w, &put_of("n")));
    for versioning in [
        crate::model::Versioning::Unversioned,
        crate::model::Versioning::Enabled,
    ] {
        if let Some(b) = w.buckets.get_mut("b") {
            b.versioning = versioning;
        }
        let before = serde_json::to_string(&w).unwrap();
        let dry = w.authorize(&put_of("n"), now);
        assert_eq!(serde_json::to_string(&w).unwrap(), before);
        let real = w.handle(&put_of("n"), now);
        assert_eq!(dry, real);
        assert_eq!(
            real.headers.contains_key("x-amz-version-id"),
            versioning == crate::model::Versioning::Enabled
        );
    }
    // The stored version is sealed: the dry run only skipped sealing what it would drop.
    let stored = w.buckets["b"].objects["n"].current().unwrap();
    assert!(stored.sealed.is_some() && stored.body.is_empty());
}

#[test]
fn bucket_settings_acls_and_deletes_are_dry_run_without_a_copy_and_as_handle_applies_them() {
    let mut w = world();
    let now = Timestamp(1_767_258_000);
    let policy = serde_json::json!({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/secret"}]});
    let pab = serde_json::json!({"BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": true, "RestrictPublicBuckets": true});
    let requests = [
        (
            serde_json::json!({"PutBucketPolicy": {"bucket": "b", "policy": policy}}),
            None,
        ),
        (
            serde_json::json!({"DeleteBucketPolicy": {"bucket": "b"}}),
            None,
        ),
        (
            serde_json::json!({"PutPublicAccessBlock": {"bucket": "b", "configuration": pab}}),
            None,
        ),
        (
            serde_json::json!({"DeletePublicAccessBlock": {"bucket": "b"}}),
            None,
        ),
        (
            serde_json::json!({"PutBucketOwnershipControls": {"bucket": "b", "objectOwnership": "BucketOwnerPreferred"}}),
            None,
        ),
        (
            serde_json::json!({"PutBucketAcl": {"bucket": "b"}}),
            Some(("x-amz-acl", "private")),
        ),
        (
            serde_json::json!({"PutObjectAcl": {"bucket": "b", "key": "k"}}),
            Some(("x-amz-acl", "private")),
        ),
        (
            serde_json::json!({"DeleteObject": {"bucket": "b", "key": "k"}}),
            None,
        ),
        (
            serde_json::json!({"PutBucketVersioning": {"bucket": "b", "status": "Enabled"}}),
            None,
        ),
    ];
    for (op, header) in requests {
        let mut request = Request::new(
            Caller::Root {
                account: "111122223333".into(),
            },
            serde_json::from_value(op).unwrap(),
        );
        if let Some((h, v)) = header {
            request = request.header(h, v);
        }
        let name = request.operation.name();
        assert!(!copied(&w, &request), "{name} copied the world");
        let before = serde_json::to_string(&w).unwrap();
        let dry = w.authorize(&request, now);
        assert_eq!(serde_json::to_string(&w).unwrap(), before, "{name}");
        let real = w.handle(&request, now);
        assert!(real.status < 300, "{name}: {:?}", real.error);
        assert_eq!(dry, real, "{name}");
    }
    // handle applied what the dry runs only worked out.
    let b = &w.buckets["b"];
    assert!(b.policy.is_none() && b.public_access_block.is_none() && b.acl.is_some());
    assert!(!b.objects.contains_key("k"));
    assert_eq!(b.versioning, crate::model::Versioning::Enabled);
    assert_eq!(
        b.object_ownership,
        crate::model::ObjectOwnership::BucketOwnerPreferred
    );
}

/// The owner's root user in a world where every operation can succeed: bucket `b` (ACLs
/// enabled, object `k`), bucket `c` for copies, a KMS key.
fn table_world() -> World {
    let mut w: World = serde_json::from_value(serde_json::json!({
        "accounts": {"111122223333": {}},
        "buckets": {
            "b": {"owner": "111122223333", "objectOwnership": "ObjectWriter",
                  "policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/secret"}]},
                  "objects": {"k": {"versions": [{"owner": "111122223333", "body": "1"}]}}},
            "c": {"owner": "111122223333"},
            "l": {"owner": "111122223333", "versioning": "Enabled",
                  "objectLock": {"ObjectLockEnabled": "Enabled"},
                  "objects": {"k": {"versions": [{"versionId": "v1", "body": "1",
                      "objectLock": {"retention": {"Mode": "GOVERNANCE", "RetainUntilDate": "2100-01-01T00:00:00Z"}}}]}}}
        }
    }))
    .unwrap();
    w.normalize();
    w
}

/// Each operation → the S3 actions it plans, then the KMS calls.
fn table() -> Vec<(serde_json::Value, Vec<&'static str>, Vec<&'static str>)> {
    use serde_json::json;
    let pab = json!({"BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": true, "RestrictPublicBuckets": true});
    let policy = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/secret"}]});
    vec![
        (
            json!({"ListBuckets": {}}),
            vec!["s3:ListAllMyBuckets"],
            vec![],
        ),
        (
            json!({"CreateBucket": {"bucket": "new-bucket"}}),
            vec!["s3:CreateBucket"],
            vec![],
        ),
        (
            json!({"CreateBucket": {"bucket": "new-bucket", "objectOwnership": "ObjectWriter"}}),
            vec!["s3:CreateBucket", "s3:PutBucketOwnershipControls"],
            vec![],
        ),
        (
            json!({"DeleteBucket": {"bucket": "c"}}),
            vec!["s3:DeleteBucket"],
            vec![],
        ),
        (
            json!({"PutBucketPolicy": {"bucket": "b", "policy": policy}}),
            vec!["s3:PutBucketPolicy"],
            vec![],
        ),
        (
            json!({"GetBucketPolicy": {"bucket": "b"}}),
            vec!["s3:GetBucketPolicy"],
            vec![],
        ),
        (
            json!({"DeleteBucketPolicy": {"bucket": "b"}}),
            vec!["s3:DeleteBucketPolicy"],
            vec![],
        ),
        (
            json!({"GetBucketPolicyStatus": {"bucket": "b"}}),
            vec!["s3:GetBucketPolicyStatus"],
            vec![],
        ),
        (
            json!({"GetBucketAcl": {"bucket": "b"}}),
            vec!["s3:GetBucketAcl"],
            vec![],
        ),
        (
            json!({"GetObjectAcl": {"bucket": "b", "key": "k"}}),
            vec!["s3:GetObjectAcl"],
            vec![],
        ),
        (
            json!({"PutPublicAccessBlock": {"bucket": "b", "configuration": pab}}),
            vec!["s3:PutBucketPublicAccessBlock"],
            vec![],
        ),
        (
            json!({"GetPublicAccessBlock": {"bucket": "b"}}),
            vec!["s3:GetBucketPublicAccessBlock"],
            vec![],
        ),
        (
            json!({"DeletePublicAccessBlock": {"bucket": "b"}}),
            vec!["s3:PutBucketPublicAccessBlock"],
            vec![],
        ),
        (
            json!({"PutAccountPublicAccessBlock": {"account": "111122223333", "configuration": pab}}),
            vec!["s3:PutAccountPublicAccessBlock"],
            vec![],
        ),
        (
            json!({"GetAccountPublicAccessBlock": {"account": "111122223333"}}),
            vec!["s3:GetAccountPublicAccessBlock"],
            vec![],
        ),
        (
            json!({"DeleteAccountPublicAccessBlock": {"account": "111122223333"}}),
            vec!["s3:PutAccountPublicAccessBlock"],
            vec![],
        ),
        (
            json!({"PutBucketOwnershipControls": {"bucket": "b", "objectOwnership": "BucketOwnerPreferred"}}),
            vec!["s3:PutBucketOwnershipControls"],
            vec![],
        ),
        (
            json!({"GetBucketOwnershipControls": {"bucket": "b"}}),
            vec!["s3:GetBucketOwnershipControls"],
            vec![],
        ),
        (
            json!({"PutBucketVersioning": {"bucket": "b", "status": "Enabled"}}),
            vec!["s3:PutBucketVersioning"],
            vec![],
        ),
        (
            json!({"GetBucketVersioning": {"bucket": "b"}}),
            vec!["s3:GetBucketVersioning"],
            vec![],
        ),
        (
            json!({"PutBucketLogging": {"bucket": "b"}}),
            vec!["s3:PutBucketLogging"],
            vec![],
        ),
        (
            json!({"GetBucketLogging": {"bucket": "b"}}),
            vec!["s3:GetBucketLogging"],
            vec![],
        ),
        (
            json!({"PutBucketEncryption": {"bucket": "b", "configuration": {"sseAlgorithm": "AES256"}}}),
            vec!["s3:PutEncryptionConfiguration"],
            vec![],
        ),
        (
            json!({"GetBucketEncryption": {"bucket": "b"}}),
            vec!["s3:GetEncryptionConfiguration"],
            vec![],
        ),
        (
            json!({"DeleteBucketEncryption": {"bucket": "b"}}),
            vec!["s3:PutEncryptionConfiguration"],
            vec![],
        ),
        (
            json!({"PutObject": {"bucket": "b", "key": "n", "body": "2"}}),
            vec!["s3:PutObject"],
            vec![],
        ),
        (
            json!({"GetObject": {"bucket": "b", "key": "k"}}),
            vec!["s3:GetObject"],
            vec![],
        ),
        (
            json!({"HeadObject": {"bucket": "b", "key": "k"}}),
            vec!["s3:GetObject"],
            vec![],
        ),
        (
            json!({"DeleteObject": {"bucket": "b", "key": "k"}}),
            vec!["s3:DeleteObject"],
            vec![],
        ),
        (
            json!({"DeleteObjects": {"bucket": "b", "objects": [{"key": "k"}, {"key": "x"}]}}),
            vec!["s3:DeleteObject", "s3:DeleteObject"],
            vec![],
        ),
        (
            json!({"ListObjectsV2": {"bucket": "b"}}),
            vec!["s3:ListBucket"],
            vec![],
        ),
        (
            json!({"ListObjectVersions": {"bucket": "b"}}),
            vec!["s3:ListBucketVersions"],
            vec![],
        ),
        (
            json!({"CopyObject": {"bucket": "c", "key": "n", "sourceBucket": "b", "sourceKey": "k"}}),
            vec!["s3:GetObject", "s3:PutObject"],
            vec![],
        ),
        (
            json!({"QueryLogs": {"query": "SELECT * FROM access_logs"}}),
            vec![],
            vec![],
        ),
        (json!({"Kms": {"CreateKey": {}}}), vec![], vec![]),
        (
            json!({"PutObjectTagging": {"bucket": "b", "key": "k", "tagSet": {"team": "blue"}}}),
            vec!["s3:PutObjectTagging"],
            vec![],
        ),
        (
            json!({"GetObjectTagging": {"bucket": "b", "key": "k"}}),
            vec!["s3:GetObjectTagging"],
            vec![],
        ),
        (
            json!({"DeleteObjectTagging": {"bucket": "b", "key": "k", "versionId": "null"}}),
            vec!["s3:DeleteObjectVersionTagging"],
            vec![],
        ),
        (
            json!({"PutObject": {"bucket": "b", "key": "t", "body": "2"}}),
            vec!["s3:PutObject"],
            vec![],
        ),
        (
            json!({"CreateMultipartUpload": {"bucket": "b", "key": "n"}}),
            vec!["s3:PutObject"],
            vec![],
        ),
        (
            json!({"UploadPart": {"bucket": "b", "key": "n", "uploadId": "u", "partNumber": 1}}),
            vec!["s3:PutObject"],
            vec![],
        ),
        (
            json!({"UploadPartCopy": {"bucket": "c", "key": "n", "uploadId": "u", "partNumber": 1, "sourceBucket": "b", "sourceKey": "k"}}),
            vec!["s3:GetObject", "s3:PutObject"],
            vec![],
        ),
        (
            json!({"CompleteMultipartUpload": {"bucket": "b", "key": "n", "uploadId": "u", "parts": []}}),
            vec!["s3:PutObject"],
            vec![],
        ),
        (
            json!({"AbortMultipartUpload": {"bucket": "b", "key": "n", "uploadId": "u"}}),
            vec!["s3:AbortMultipartUpload"],
            vec![],
        ),
        (
            json!({"ListParts": {"bucket": "b", "key": "n", "uploadId": "u"}}),
            vec!["s3:ListMultipartUploadParts"],
            vec![],
        ),
        (
            json!({"ListMultipartUploads": {"bucket": "b"}}),
            vec!["s3:ListBucketMultipartUploads"],
            vec![],
        ),
        (
            json!({"PutObjectLockConfiguration": {"bucket": "l", "configuration": {"ObjectLockEnabled": "Enabled"}}}),
            vec!["s3:PutBucketObjectLockConfiguration"],
            vec![],
        ),
        (
            json!({"GetObjectLockConfiguration": {"bucket": "l"}}),
            vec!["s3:GetBucketObjectLockConfiguration"],
            vec![],
        ),
        (
            json!({"PutObjectRetention": {"bucket": "l", "key": "k", "retention": {"Mode": "GOVERNANCE", "RetainUntilDate": "2101-01-01T00:00:00Z"}}}),
            vec!["s3:PutObjectRetention"],
            vec![],
        ),
        (
            json!({"GetObjectRetention": {"bucket": "l", "key": "k", "versionId": "v1"}}),
            vec!["s3:GetObjectRetention"],
            vec![],
        ),
        (
            json!({"PutObjectLegalHold": {"bucket": "l", "key": "k", "legalHold": {"Status": "ON"}}}),
            vec!["s3:PutObjectLegalHold"],
            vec![],
        ),
        (
            json!({"GetObjectLegalHold": {"bucket": "l", "key": "k"}}),
            vec!["s3:GetObjectLegalHold"],
            vec![],
        ),
        (
            json!({"PutBucketLifecycleConfiguration": {"bucket": "b", "configuration": {"Rules": [{"ID": "r", "Status": "Enabled", "Expiration": {"Days": 1}}]}}}),
            vec!["s3:PutLifecycleConfiguration"],
            vec![],
        ),
        (
            json!({"GetBucketLifecycleConfiguration": {"bucket": "b"}}),
            vec!["s3:GetLifecycleConfiguration"],
            vec![],
        ),
        (
            json!({"DeleteBucketLifecycle": {"bucket": "b"}}),
            vec!["s3:PutLifecycleConfiguration"],
            vec![],
        ),
        (
            json!({"Iam": {"CreatePolicy": {"policyName": "p", "policyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}}}),
            vec!["iam:CreatePolicy"],
            vec![],
        ),
        (json!({"Sts": {"GetCallerIdentity": {}}}), vec![], vec![]),
    ]
}

#[test]
fn every_operation_plans_the_permissions_authorization_then_decides() {
    let w = table_world();
    let root = Caller::Root {
        account: "111122223333".into(),
    };
    for (op, actions, kms) in table() {
        let request = Request::new(root.clone(), serde_json::from_value(op.clone()).unwrap());
        let mut view = WorldRef::dry_run(&w);
        let mut ex = Exchange::new(&request, Timestamp(1), String::new());
        let id = authenticate(&view, &mut ex).unwrap();
        let plan = ops::plan(&mut view, &mut ex, &id).unwrap_or_else(|e| panic!("{op}: {e:?}"));
        let planned: Vec<&str> = plan.checks().iter().map(|c| c.action).collect();
        assert_eq!(planned, actions, "{op}");
        let planned_kms: Vec<&str> = plan.kms.iter().map(|k| k.action).collect();
        assert_eq!(planned_kms, kms, "{op}");
        // What authorization decided is exactly the plan: every S3 action the trace shows was
        // planned, and every planned action was decided.
        let outcome = w.authorize(&request, Timestamp(1));
        if !actions.is_empty() {
            assert_eq!(outcome.decision, Some(Decision::Allow), "{op}: {outcome:?}");
        }
        let decided: std::collections::BTreeSet<&str> = outcome
            .trace
            .iter()
            .filter(|s| s.gate != Gate::RequiredPermissions)
            .filter_map(|s| s.action.as_deref())
            .filter(|a| a.starts_with("s3:") || a.starts_with("iam:"))
            .collect();
        let planned: std::collections::BTreeSet<&str> = actions.iter().copied().collect();
        assert_eq!(decided, planned, "{op}");
    }
}

#[test]
fn sse_kms_reads_and_writes_plan_their_kms_calls() {
    let mut w = table_world();
    let root = Caller::Root {
        account: "111122223333".into(),
    };
    let put = Request::new(
        root.clone(),
        serde_json::from_value(
            serde_json::json!({"PutObject": {"bucket": "b", "key": "e", "body": "secret"}}),
        )
        .unwrap(),
    )
    .header("x-amz-server-side-encryption", "aws:kms");
    let plan_of = |w: &World, r: &Request| {
        let mut view = WorldRef::dry_run(w);
        let mut ex = Exchange::new(r, Timestamp(1), String::new());
        let id = authenticate(&view, &mut ex).unwrap();
        let plan = ops::plan(&mut view, &mut ex, &id).unwrap();
        plan.kms
            .iter()
            .map(|k| (k.action, k.key.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        plan_of(&w, &put),
        [("kms:GenerateDataKey", "alias/aws/s3".to_owned())]
    );
    let put_outcome = w.handle(&put, Timestamp(1));
    assert_eq!(put_outcome.status, 200, "{put_outcome:?}");
    let get = Request::new(
        root,
        serde_json::from_value(serde_json::json!({"GetObject": {"bucket": "b", "key": "e"}}))
            .unwrap(),
    );
    let planned = plan_of(&w, &get);
    assert_eq!(planned.len(), 1);
    assert_eq!(planned[0].0, "kms:Decrypt");
    let outcome = w.handle(&get, Timestamp(2));
    assert_eq!(outcome.status, 200, "{outcome:?}");
    assert!(
        outcome
            .trace
            .iter()
            .any(|s| s.action.as_deref() == Some("kms:Decrypt")),
        "{:?}",
        outcome
            .trace
            .iter()
            .map(|s| (&s.action, &s.explanation))
            .collect::<Vec<_>>()
    );
}

fn logging_world(log_policy: serde_json::Value) -> World {
    let mut w: World = serde_json::from_value(serde_json::json!({
        "accounts": {"111122223333": {}},
        "buckets": {
            "b": {"owner": "111122223333", "logging": {"targetBucket": "logs", "targetPrefix": "b/"}},
            "logs": {"owner": "111122223333", "policy": log_policy}
        }
    }))
    .unwrap();
    w.normalize();
    w
}

fn root_put() -> Request {
    Request::new(
        Caller::Root {
            account: "111122223333".into(),
        },
        serde_json::from_value(
            serde_json::json!({"PutObject": {"bucket": "b", "key": "doc.txt", "body": "x"}}),
        )
        .unwrap(),
    )
}

#[test]
fn log_delivery_is_a_service_request_through_the_decider() {
    let allow = serde_json::json!({"Sid": "S3ServerAccessLogsPolicy", "Effect": "Allow",
        "Principal": {"Service": "logging.s3.amazonaws.com"}, "Action": "s3:PutObject",
        "Resource": "arn:aws:s3:::logs/b/*",
        "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::b"}, "StringEquals": {"aws:SourceAccount": "111122223333"}}});
    let deny = serde_json::json!({"Sid": "NoWrites", "Effect": "Deny", "Principal": "*",
        "Action": "s3:PutObject", "Resource": "arn:aws:s3:::logs/*"});
    // Allowed by the bucket policy naming the service, with its aws:SourceArn condition.
    let mut w =
        logging_world(serde_json::json!({"Version": "2012-10-17", "Statement": [allow.clone()]}));
    assert_eq!(w.handle(&root_put(), Timestamp(1_000)).status, 200);
    let steps = w.advance(Timestamp(100_000));
    assert_eq!(steps.len(), 1, "{steps:?}");
    assert_eq!(steps[0].outcome, StepOutcome::Allow, "{steps:?}");
    assert_eq!(
        steps[0].statements[0].sid.as_deref(),
        Some("S3ServerAccessLogsPolicy")
    );
    assert_eq!(w.buckets["logs"].objects.len(), 1);
    // An explicit deny for everyone wins over the service's grant: no log object, and the
    // trace says which statement decided.
    let mut w =
        logging_world(serde_json::json!({"Version": "2012-10-17", "Statement": [deny, allow]}));
    w.handle(&root_put(), Timestamp(1_000));
    let steps = w.advance(Timestamp(100_000));
    assert_eq!(steps[0].outcome, StepOutcome::ExplicitDeny, "{steps:?}");
    assert_eq!(steps[0].statements[0].sid.as_deref(), Some("NoWrites"));
    assert!(
        steps[0]
            .compared
            .contains(&("decided by".into(), "BucketPolicy".to_owned()))
    );
    assert!(w.buckets["logs"].objects.is_empty());
    // A condition on another source bucket grants nothing: implicitly denied.
    let other = serde_json::json!({"Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"},
        "Action": "s3:PutObject", "Resource": "arn:aws:s3:::logs/*",
        "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::elsewhere"}}});
    let mut w = logging_world(serde_json::json!({"Version": "2012-10-17", "Statement": [other]}));
    w.handle(&root_put(), Timestamp(1_000));
    let steps = w.advance(Timestamp(100_000));
    assert_eq!(steps[0].outcome, StepOutcome::ImplicitDeny, "{steps:?}");
    assert!(w.buckets["logs"].objects.is_empty());
}

/// An SSE-KMS upload by a user whose policies allow `s3:PutObject` but nothing of KMS, under a
/// key whose default key policy lets IAM policies decide.
fn kms_denied_upload() -> (World, Request) {
    let mut w: World = serde_json::from_value(serde_json::json!({
        "accounts": {"111122223333": {"users": {"bob": {"policies": [{"name": "s3-only", "document": {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::examplebucket/*"}]}}]}}}},
        "buckets": {"examplebucket": {"owner": "111122223333"}},
        "kmsKeys": [{"account": "111122223333", "region": "us-east-1",
            "key_id": "1234abcd-12ab-34cd-56ef-1234567890ab", "description": "app key"}]
    }))
    .unwrap();
    w.normalize();
    let put = Request::new(
        Caller::User {
            name: "bob".into(),
            account: Some("111122223333".into()),
        },
        serde_json::from_value(
            serde_json::json!({"PutObject": {"bucket": "examplebucket", "key": "doc.txt", "body": "top secret"}}),
        )
        .unwrap(),
    )
    .header("x-amz-server-side-encryption", "aws:kms")
    .header(
        "x-amz-server-side-encryption-aws-kms-key-id",
        "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    );
    (w, put)
}

#[test]
fn a_dry_run_reports_a_kms_denial_at_authorization_without_executing() {
    let (mut w, put) = kms_denied_upload();
    let before = serde_json::to_string(&w).unwrap();
    let dry = w.authorize(&put, Timestamp(10));
    assert_eq!(dry.status, 403, "{dry:?}");
    assert_eq!(
        dry.error.as_ref().map(|e| e.code.as_str()),
        Some("AccessDenied")
    );
    assert_eq!(dry.decision, Some(Decision::ImplicitDeny));
    assert_eq!(
        dry.deciding.as_ref().map(|d| d.gate),
        Some(Gate::KmsKeyPolicy)
    );
    // KMS answered at the authorization stage: the denied call is the last step, and nothing of
    // the execution (who owns the new object, how it is sealed) ran before it.
    let last = dry.trace.last().unwrap();
    assert_eq!(last.gate, Gate::KmsKeyPolicy);
    assert_eq!(last.action.as_deref(), Some("kms:GenerateDataKey"));
    assert!(last.deciding);
    let gates: Vec<Gate> = dry.trace.iter().map(|s| s.gate).collect();
    assert_eq!(
        gates[gates.len() - 2..],
        [Gate::UserContext, Gate::KmsKeyPolicy],
        "{gates:?}"
    );
    assert!(!gates.contains(&Gate::Encryption), "{gates:?}");
    assert_eq!(serde_json::to_string(&w).unwrap(), before);
    // `handle` answers the same, and writes nothing.
    let live = w.handle(&put, Timestamp(10));
    assert_eq!(
        (live.status, live.error, live.decision, live.deciding),
        (dry.status, dry.error, dry.decision, dry.deciding)
    );
    assert!(w.buckets["examplebucket"].objects.is_empty());
}

#[test]
fn an_allowed_kms_call_is_made_by_the_execution_once() {
    let (mut w, put) = kms_denied_upload();
    // The key policy trusts the account, so an identity policy granting the key lets bob upload.
    let user = w
        .accounts
        .get_mut("111122223333")
        .and_then(|a| a.users.get_mut("bob"))
        .unwrap();
    user.policies[0].document["Statement"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"Effect": "Allow", "Action": "kms:GenerateDataKey", "Resource": "*"}));
    let outcome = w.handle(&put, Timestamp(10));
    assert_eq!(outcome.status, 200, "{outcome:?}");
    let kms_steps = outcome
        .trace
        .iter()
        .filter(|s| {
            s.action.as_deref() == Some("kms:GenerateDataKey") && s.gate == Gate::KmsKeyPolicy
        })
        .count();
    assert_eq!(kms_steps, 1, "{:?}", outcome.trace);
}

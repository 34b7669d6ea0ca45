//! Fuzz target: any text through the policy parser, the linter, and (when it parses) the
//! evaluator against a few fixed requests. Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use s3pg_policy::{
    NamedPolicy, Policy, PolicyKind, PolicySet, Principal, RequestContext, evaluate, lint,
};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = Policy::parse_as(text, &PolicyKind::BucketPolicy { bucket: Some("b".into()) });
    let _ = s3pg_policy::validate_bucket_policy(text, Some("b"));
    let Ok(policy) = Policy::parse(text) else {
        return;
    };
    let _ = lint(&policy);
    for (who, action, resource) in [
        ("arn:aws:iam::111122223333:user/alice", "s3:GetObject", "arn:aws:s3:::b/home/alice/x"),
        ("arn:aws:sts::111122223333:assumed-role/App/s1", "s3:ListBucket", "arn:aws:s3:::b"),
        ("anonymous", "s3:PutObject", "arn:aws:s3:::b/k"),
        ("arn:aws:iam::444455556666:root", "kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:key/k"),
    ] {
        let Ok(principal) = Principal::from_arn(who) else {
            return;
        };
        let request = RequestContext::new(principal, action, resource)
            .with_resource_account("111122223333")
            .with_key("aws:SourceIp", "192.0.2.1")
            .with_key("aws:CurrentTime", "2026-11-27T00:00:00Z")
            .with_key("aws:TagKeys", vec!["a".to_string(), "b".to_string()]);
        let set = PolicySet {
            identity_policies: vec![NamedPolicy::new("id", policy.clone())],
            resource_policy: Some(NamedPolicy::new("bucket policy", policy.clone())),
            permissions_boundary: Some(NamedPolicy::new("boundary", policy.clone())),
            ..PolicySet::default()
        };
        let evaluation = evaluate(&request, &set);
        let _ = serde_json_len(&evaluation.summary);
    }
});

fn serde_json_len(s: &str) -> usize {
    s.len()
}

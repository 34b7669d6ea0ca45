//! The world and caller of the pipeline's budget case (the default scenario's shape: an IAM user
//! with an identity policy, a bucket with a bucket policy), shared by the `authorize` benchmark
//! and the `handle_loop` profiling example so both measure the same thing.

use s3pg_sim::{Caller, Operation, Request, World};
use serde_json::json;

pub const A: &str = "111122223333";

/// The budget world.
pub fn world() -> World {
    let mut w: World = serde_json::from_value(json!({
        "accounts": {A: {"users": {"alice": {"policies": [
            {"name": "rw", "document": {"Version": "2012-10-17", "Statement": [
                {"Sid": "ReadWrite", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::examplebucket/*"},
                {"Sid": "List", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::examplebucket"}]}}
        ]}}}},
        "buckets": {"examplebucket": {
            "owner": A,
            "objects": {"report.csv": {"versions": [{"owner": A, "body": "a,b,c"}]}},
            "policy": {"Version": "2012-10-17", "Statement": [
                {"Sid": "DenyUnEncryptedObjectUploads", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
                 "Resource": "arn:aws:s3:::examplebucket/*", "Condition": {"Null": {"s3:x-amz-server-side-encryption": "true"}}},
                {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                 "Resource": ["arn:aws:s3:::examplebucket", "arn:aws:s3:::examplebucket/*"],
                 "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
            ]}
        }}
    }))
    .unwrap();
    w.normalize();
    w
}

/// `op` sent by the user alice.
pub fn request(op: serde_json::Value) -> Request {
    let alice = Caller::User {
        name: "alice".into(),
        account: Some(A.into()),
    };
    Request::new(alice, serde_json::from_value::<Operation>(op).unwrap())
}

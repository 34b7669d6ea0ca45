//! A course-sized world for the analysis tests and benchmarks: 5 accounts (two in one
//! organization), 50 principals (8 users and one role with 2 sessions per account), 5 buckets of
//! 20 objects each (100 objects) with bucket policies that use the conditions learners meet
//! (HTTPS only, a source IP range, a VPC endpoint, an encryption header, a cross-account grant, an
//! organization grant), one bucket with ACLs enabled and a public-read object.

use s3pg_sim::World;
use serde_json::{Value, json};

/// The account ids.
pub const ACCOUNTS: [&str; 5] = [
    "111122223333",
    "222233334444",
    "333344445555",
    "444455556666",
    "555566667777",
];

/// The world.
pub fn course_world() -> World {
    let mut accounts = serde_json::Map::new();
    for (i, id) in ACCOUNTS.iter().enumerate() {
        let mut users = serde_json::Map::new();
        for u in 0..8 {
            let actions: Value = match u % 4 {
                0 => json!(["s3:GetObject", "s3:ListBucket"]),
                1 => json!(["s3:PutObject", "s3:GetObject"]),
                2 => json!("s3:*"),
                _ => json!(["s3:GetBucketPolicy", "s3:GetBucketAcl", "s3:DeleteObject"]),
            };
            users.insert(
                format!("user{u}"),
                json!({"policies": [{"name": "work", "document": {
                    "Version": "2012-10-17",
                    "Statement": [{"Sid": "Work", "Effect": "Allow", "Action": actions, "Resource": "*"}]
                }}]}),
            );
        }
        let mut account = json!({
            "users": users,
            "roles": {"app": {
                "policies": [{"name": "app", "document": {"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::*/*"}
                ]}}],
                "sessions": [{"name": "s1"}, {"name": "s2"}]
            }}
        });
        if i < 2 {
            set(&mut account, "organizationId", json!("o-course1"));
        }
        accounts.insert((*id).to_owned(), account);
    }
    let conditions = [
        json!({"Bool": {"aws:SecureTransport": "false"}}),
        json!({"NotIpAddress": {"aws:SourceIp": "192.0.2.0/24"}}),
        json!({"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}),
        json!({"Null": {"s3:x-amz-server-side-encryption": "true"}}),
        json!({"Bool": {"aws:SecureTransport": "false"}}),
    ];
    let mut buckets = serde_json::Map::new();
    for (i, id) in ACCOUNTS.iter().enumerate() {
        let name = format!("course-bucket-{i}");
        let other = ACCOUNTS
            .get((i + 1) % ACCOUNTS.len())
            .copied()
            .unwrap_or("");
        let deny_action = if i == 3 { "s3:PutObject" } else { "s3:*" };
        let policy = json!({
            "Version": "2012-10-17",
            "Statement": [
                {"Sid": "Guard", "Effect": "Deny", "Principal": "*", "Action": deny_action,
                 "Resource": [format!("arn:aws:s3:::{name}"), format!("arn:aws:s3:::{name}/*")],
                 "Condition": conditions.get(i).cloned().unwrap_or(Value::Null)},
                {"Sid": "Partner", "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{other}:root")},
                 "Action": ["s3:GetObject", "s3:ListBucket"],
                 "Resource": [format!("arn:aws:s3:::{name}"), format!("arn:aws:s3:::{name}/*")]},
                {"Sid": "Org", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                 "Resource": format!("arn:aws:s3:::{name}/shared/*"),
                 "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-course1"}}}
            ]
        });
        let mut objects = serde_json::Map::new();
        for k in 0..20 {
            let key = if k % 5 == 0 {
                format!("shared/file-{k}.txt")
            } else {
                format!("data/file-{k}.txt")
            };
            let mut version = json!({"body": format!("object {k}")});
            if i == 4 && k == 1 {
                set(&mut version, "acl", json!({"canned": "public-read"}));
            }
            objects.insert(key, json!({"versions": [version]}));
        }
        let mut bucket = json!({"owner": id, "policy": policy, "objects": objects});
        if i == 4 {
            set(
                &mut bucket,
                "objectOwnership",
                json!("BucketOwnerPreferred"),
            );
            set(&mut bucket, "publicAccessBlock", Value::Null);
        }
        buckets.insert(name, bucket);
    }
    let world = json!({
        "accounts": accounts,
        "buckets": buckets,
        "vpcEndpoints": {"vpce-1a2b3c4d": {"vpcId": "vpc-111bbb22"}}
    });
    let mut world: World = serde_json::from_value(world).unwrap_or_default();
    world.normalize();
    world
}

fn set(v: &mut Value, key: &str, x: Value) {
    if let Some(o) = v.as_object_mut() {
        o.insert(key.to_owned(), x);
    }
}

//! `s3pg eval FILE --world`: each evaluation case run as a request in a simulated world, through
//! `World::handle`, so the differential suite compares the path a learner sees (S3's gates and
//! the world's own request context) and not only the policy engine.
//!
//! A case becomes a world and one request: the caller is an account's root user, an IAM user or
//! a role session whose identity policies, permissions boundary and session policy are the
//! case's; the SCPs are the caller's account's; the resource is a bucket (or an object in it)
//! owned by the case's resource account, with the case's resource policy as its bucket policy
//! and Block Public Access off (an S3 rule the IAM engines do not model; ACLs stay disabled, as
//! S3 creates buckets today); a VPC endpoint policy becomes the policy of the endpoint the request comes through. Context
//! keys become request properties where S3 derives them (`aws:SecureTransport` the scheme,
//! `aws:SourceIp` the address, `aws:SourceVpce` the endpoint, `aws:CurrentTime` the clock,
//! MFA the session's sign-in). The keys S3 always sets and the case left out are added to the
//! context each answer reports (what the comparison engine is then given); a key the world
//! cannot carry is dropped when no policy of the case reads it, and the case is skipped, with
//! the reason, when one does.
//!
//! S3's request context follows
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html> and the
//! global condition keys page
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html>).

use s3pg_sim::{Caller, Operation, Request, Timestamp, World};
use serde::Serialize;
use serde_json::{Map, Value, json};

/// The clock when a case does not set `aws:CurrentTime`.
const DEFAULT_TIME: &str = "2026-11-27T03:00:00Z";
/// The caller's address when a case sets neither `aws:SourceIp` nor `aws:SourceVpce`.
const DEFAULT_IP: &str = "203.0.113.10";
/// The version id every declared object has in an unversioned bucket.
const NULL_VERSION: &str = "null";

/// The context keys a case may set; any other key read by a policy skips the case.
const VOCABULARY: &[&str] = &[
    "aws:PrincipalArn",
    "aws:PrincipalAccount",
    "aws:PrincipalType",
    "aws:userid",
    "aws:username",
    "aws:SecureTransport",
    "aws:SourceVpce",
    "aws:SourceIp",
    "aws:MultiFactorAuthPresent",
    "aws:MultiFactorAuthAge",
    "aws:CurrentTime",
    "aws:TagKeys",
    "aws:PrincipalTag/team",
    "aws:SourceArn",
];

/// One case's answer through the world.
#[derive(Serialize)]
#[serde(untagged)]
enum WorldAnswer {
    /// The world decided.
    Decided {
        decision: Option<s3pg_sim::Decision>,
        status: u16,
        /// The error code, for a refused request.
        #[serde(skip_serializing_if = "Option::is_none")]
        code: Option<String>,
        /// The context keys of the case's vocabulary as the world sent them.
        context: Map<String, Value>,
        /// The deciding step's sentence, and any policy the world could not read.
        why: Vec<String>,
    },
    /// The case cannot be expressed as a request in a world.
    Skipped { skipped: String },
}

/// Runs every case of `text` (one object or an array) through a world; the JSON array (or one
/// object) of answers, or an error for input that is not JSON.
pub(crate) fn run(text: &str) -> Result<String, String> {
    let doc: Value =
        serde_json::from_str(text).map_err(|e| format!("the cases are not JSON: {e}"))?;
    let answers: Vec<WorldAnswer> = match &doc {
        Value::Array(cases) => cases.iter().map(answer).collect(),
        one => vec![answer(one)],
    };
    let mut out = String::with_capacity(answers.len() * 256);
    out.push('[');
    for (i, a) in answers.iter().enumerate() {
        out.push_str(if i == 0 { "\n  " } else { ",\n  " });
        out.push_str(&serde_json::to_string(a).unwrap_or_else(|_| "null".to_owned()));
    }
    out.push_str("\n]\n");
    if doc.is_array() {
        Ok(out)
    } else {
        Ok(answers.first().map_or_else(
            || "null\n".to_owned(),
            |a| format!("{}\n", serde_json::to_string(a).unwrap_or_default()),
        ))
    }
}

fn answer(case: &Value) -> WorldAnswer {
    match Mapped::from_case(case) {
        Err(skipped) => WorldAnswer::Skipped { skipped },
        Ok(mut m) => {
            let outcome = m.world.handle(&m.request, m.now);
            let why = outcome
                .trace
                .iter()
                .filter(|s| s.deciding || s.explanation.contains("could not be read"))
                .map(|s| format!("{}: {}", s.gate.title(), s.explanation))
                .collect();
            WorldAnswer::Decided {
                why,
                decision: outcome.decision,
                status: outcome.status,
                code: outcome.error.map(|e| e.code),
                context: m.context,
            }
        }
    }
}

/// Who the case's principal is.
enum Who {
    Anonymous,
    Root {
        account: String,
    },
    User {
        account: String,
        name: String,
    },
    Session {
        account: String,
        role: String,
        session: String,
    },
}

fn who(principal: &str) -> Result<Who, String> {
    if principal == "anonymous" {
        return Ok(Who::Anonymous);
    }
    let unknown = || {
        format!(
            "principal `{principal}` has no caller in the world (it models the root user, IAM users and role sessions)"
        )
    };
    if let Some(rest) = principal.strip_prefix("arn:aws:iam::") {
        let (account, what) = rest.split_once(':').ok_or_else(unknown)?;
        if what == "root" {
            return Ok(Who::Root {
                account: account.to_owned(),
            });
        }
        if let Some(name) = what.strip_prefix("user/")
            && !name.contains('/')
        {
            return Ok(Who::User {
                account: account.to_owned(),
                name: name.to_owned(),
            });
        }
    }
    if let Some(rest) = principal.strip_prefix("arn:aws:sts::") {
        let (account, what) = rest.split_once(':').ok_or_else(unknown)?;
        if let Some((role, session)) = what
            .strip_prefix("assumed-role/")
            .and_then(|r| r.split_once('/'))
        {
            return Ok(Who::Session {
                account: account.to_owned(),
                role: role.to_owned(),
                session: session.to_owned(),
            });
        }
    }
    Err(unknown())
}

/// A case as a world, a request, the clock and the context the world sends.
struct Mapped {
    world: World,
    request: Request,
    now: Timestamp,
    context: Map<String, Value>,
}

fn text_of<'a>(case: &'a Value, field: &str) -> Result<&'a str, String> {
    case.get(field)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("the case has no `{field}`"))
}

/// Every policy of the case, as one text (to ask whether a key is read at all).
fn policies_text(case: &Value) -> String {
    [
        "identity_policies",
        "resource_policy",
        "permissions_boundary",
        "scps",
        "rcps",
        "session_policy",
        "vpc_endpoint_policy",
    ]
    .iter()
    .filter_map(|f| case.get(*f))
    .map(Value::to_string)
    .collect::<Vec<_>>()
    .join("\n")
    .to_ascii_lowercase()
}

/// The condition keys the case's policies read that the mapping does not know.
fn unknown_keys(case: &Value) -> Vec<String> {
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    if k == "Condition"
                        && let Value::Object(ops) = v
                    {
                        for block in ops.values() {
                            if let Value::Object(keys) = block {
                                for key in keys.keys() {
                                    if !VOCABULARY.iter().any(|w| w.eq_ignore_ascii_case(key)) {
                                        out.push(key.clone());
                                    }
                                }
                            }
                        }
                    } else {
                        walk(v, out);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(case, &mut out);
    out
}

/// A statement that allows everything and denies nothing: as an SCP level, no limit at all.
fn full_access(policy: &Value) -> bool {
    let statements = match policy.get("Statement") {
        Some(Value::Array(s)) => s.clone(),
        Some(s) => vec![s.clone()],
        None => return false,
    };
    statements.len() == 1
        && statements.first().is_some_and(|s| {
            s.get("Effect") == Some(&json!("Allow"))
                && s.get("Action") == Some(&json!("*"))
                && s.get("Resource") == Some(&json!("*"))
                && s.get("Condition").is_none()
        })
}

/// One level of SCPs as one document: an action passes a level when any of its policies allows
/// it and none denies it, which is what one document with all their statements says. Sids get
/// the policy's number so they stay unique.
fn merge_level(policies: &[Value]) -> Value {
    let mut statements = Vec::new();
    for (i, p) in policies.iter().enumerate() {
        let list = match p.get("Statement") {
            Some(Value::Array(s)) => s.clone(),
            Some(s) => vec![s.clone()],
            None => Vec::new(),
        };
        for mut s in list {
            if let Some(Value::String(sid)) = s.get_mut("Sid") {
                *sid = format!("{sid}P{i}");
            }
            statements.push(s);
        }
    }
    json!({"Version": "2012-10-17", "Statement": statements})
}

/// The caller account's SCPs as the one document the world keeps, when they can be one: a
/// single level, or several levels of which all but one allow everything.
fn scp_document(scps: &Value) -> Result<Option<Value>, String> {
    let Value::Array(items) = scps else {
        return Err("`scps` is not a list".to_owned());
    };
    if items.is_empty() {
        return Ok(None);
    }
    let levels: Vec<Vec<Value>> = if items.iter().all(Value::is_array) {
        items
            .iter()
            .map(|l| l.as_array().cloned().unwrap_or_default())
            .collect()
    } else {
        vec![items.clone()]
    };
    let limiting: Vec<&Vec<Value>> = levels
        .iter()
        .filter(|l| !l.iter().all(full_access))
        .collect();
    match limiting.as_slice() {
        [] => Ok(levels.first().map(|l| merge_level(l))),
        [one] => Ok(Some(merge_level(one))),
        _ => Err(
            "several SCP levels that each limit access (the world keeps one SCP per account)"
                .to_owned(),
        ),
    }
}

/// Sets `key` of a JSON object (what `value[key] = …` does, without its panic on a non-object).
fn set(value: &mut Value, key: &str, to: Value) {
    if let Value::Object(map) = value {
        map.insert(key.to_owned(), to);
    }
}

fn named(prefix: &str, policies: Option<&Value>) -> Value {
    let list = match policies {
        Some(Value::Array(p)) => p.clone(),
        Some(p) => vec![p.clone()],
        None => Vec::new(),
    };
    Value::Array(
        list.into_iter()
            .enumerate()
            .map(|(i, document)| json!({"name": format!("{prefix}{i}"), "document": document}))
            .collect(),
    )
}

impl Mapped {
    fn from_case(case: &Value) -> Result<Self, String> {
        if case.get("rcps").is_some_and(|r| r != &json!([])) {
            return Err("resource control policies (the world has no organization)".to_owned());
        }
        if case.get("canonical_user_id").is_some() {
            return Err("a canonical user id given by hand".to_owned());
        }
        if let Some(key) = unknown_keys(case).first() {
            return Err(format!(
                "a policy reads `{key}`, a key this mapping does not carry"
            ));
        }
        let principal = text_of(case, "principal")?;
        let action = text_of(case, "action")?;
        let resource = text_of(case, "resource")?;
        let owner = case
            .get("resource_account")
            .and_then(Value::as_str)
            .unwrap_or("111122223333");
        let given: Map<String, Value> = case
            .get("context")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let read = policies_text(case);
        let reads = |key: &str| read.contains(&key.to_ascii_lowercase());
        let single = |key: &str| given.get(key).and_then(Value::as_str);
        let who = who(principal)?;

        // The resource: a bucket, or an object in it, owned by the resource account.
        let path = resource
            .strip_prefix("arn:aws:s3:::")
            .ok_or_else(|| format!("resource `{resource}` is not an S3 bucket or object ARN"))?;
        let (bucket, key) = match path.split_once('/') {
            Some((b, k)) => (b, Some(k)),
            None => (path, None),
        };
        let operation = match (action, key) {
            ("s3:GetObject", Some(k)) => json!({"GetObject": {"bucket": bucket, "key": k}}),
            ("s3:GetObjectVersion", Some(k)) => {
                json!({"GetObject": {"bucket": bucket, "key": k, "versionId": NULL_VERSION}})
            }
            ("s3:PutObject", Some(k)) => {
                json!({"PutObject": {"bucket": bucket, "key": k, "body": "uploaded"}})
            }
            ("s3:DeleteObject", Some(k)) => json!({"DeleteObject": {"bucket": bucket, "key": k}}),
            ("s3:ListBucket", None) => json!({"ListObjectsV2": {"bucket": bucket}}),
            _ => {
                return Err(format!(
                    "`{action}` on `{resource}` is not one of the requests this mapping sends"
                ));
            }
        };
        let mut objects = Map::new();
        if let Some(k) = key
            && action != "s3:PutObject"
        {
            objects.insert(
                k.to_owned(),
                json!({"versions": [{"owner": owner, "body": "stored"}]}),
            );
        }
        // Block Public Access is S3's, not IAM's: off, so the bucket policy decides as written.
        let mut bucket_json = json!({
            "owner": owner,
            "objects": objects,
            "publicAccessBlock": {
                "BlockPublicAcls": false,
                "IgnorePublicAcls": false,
                "BlockPublicPolicy": false,
                "RestrictPublicBuckets": false
            }
        });
        if let Some(p) = case.get("resource_policy") {
            set(&mut bucket_json, "policy", p.clone());
        }

        // The caller and its account.
        let mut accounts = Map::new();
        accounts.insert(owner.to_owned(), json!({}));
        let caller_account = match &who {
            Who::Anonymous => None,
            Who::Root { account } | Who::User { account, .. } | Who::Session { account, .. } => {
                Some(account.clone())
            }
        };
        if case.get("session_policy").is_some() && !matches!(who, Who::Session { .. }) {
            return Err("a session policy for a caller that is not a role session".to_owned());
        }
        let mut account_json = json!({});
        let userid = single("aws:userid").unwrap_or_default();
        match &who {
            Who::User { name, .. } => {
                let mut user =
                    json!({"policies": named("identity", case.get("identity_policies"))});
                if !userid.is_empty() {
                    set(&mut user, "userId", json!(userid));
                }
                if let Some(b) = case.get("permissions_boundary") {
                    set(&mut user, "permissionsBoundary", b.clone());
                }
                set(&mut account_json, "users", json!({ name.clone(): user }));
            }
            Who::Session { role, session, .. } => {
                let mut s = json!({"name": session});
                if let Some(p) = case.get("session_policy") {
                    set(&mut s, "sessionPolicy", p.clone());
                }
                let mut r = json!({"policies": named("identity", case.get("identity_policies")), "sessions": [s]});
                if let Some((role_id, _)) = userid.split_once(':') {
                    set(&mut r, "roleId", json!(role_id));
                }
                if let Some(b) = case.get("permissions_boundary") {
                    set(&mut r, "permissionsBoundary", b.clone());
                }
                set(&mut account_json, "roles", json!({ role.clone(): r }));
            }
            Who::Root { .. } | Who::Anonymous => {
                for layer in ["identity_policies", "permissions_boundary"] {
                    if case.get(layer).is_some() {
                        return Err(format!(
                            "`{layer}` for a caller that has none (the root user or anonymous)"
                        ));
                    }
                }
            }
        }
        if let Some(scps) = case.get("scps") {
            match (&caller_account, scp_document(scps)?) {
                (Some(_), Some(doc)) => set(&mut account_json, "scp", doc),
                (None, Some(_)) => {
                    return Err("SCPs for an anonymous caller".to_owned());
                }
                (_, None) => {}
            }
        }
        if let Some(a) = &caller_account {
            match accounts.get_mut(a) {
                Some(existing) => *existing = account_json,
                None => {
                    accounts.insert(a.clone(), account_json);
                }
            }
        }

        // The network and the clock.
        let mut context = Map::new();
        let mut network = json!({});
        match single("aws:SecureTransport") {
            Some("false") => set(&mut network, "scheme", json!("http")),
            Some("true") | None => {}
            Some(other) => return Err(format!("`aws:SecureTransport` = `{other}`")),
        }
        context.insert(
            "aws:SecureTransport".to_owned(),
            json!(single("aws:SecureTransport").unwrap_or("true")),
        );
        let mut endpoints = Map::new();
        match (single("aws:SourceVpce"), case.get("vpc_endpoint_policy")) {
            (Some(vpce), policy) => {
                if given.contains_key("aws:SourceIp") && reads("aws:SourceIp") {
                    return Err(
                        "both `aws:SourceVpce` and `aws:SourceIp` (S3 sets no public address for a request through an endpoint)"
                            .to_owned(),
                    );
                }
                set(&mut network, "vpcEndpoint", json!(vpce));
                let mut e = json!({"vpcId": "vpc-0example"});
                if let Some(p) = policy {
                    set(&mut e, "policy", p.clone());
                }
                endpoints.insert(vpce.to_owned(), e);
                context.insert("aws:SourceVpce".to_owned(), json!(vpce));
            }
            (None, Some(_)) => {
                return Err(
                    "a VPC endpoint policy for a request that does not come through an endpoint (no `aws:SourceVpce`)"
                        .to_owned(),
                );
            }
            (None, None) => {
                let ip = single("aws:SourceIp").unwrap_or(DEFAULT_IP);
                set(&mut network, "sourceIp", json!(ip));
                context.insert("aws:SourceIp".to_owned(), json!(ip));
            }
        }
        let time = single("aws:CurrentTime").unwrap_or(DEFAULT_TIME);
        let now = Timestamp::parse_rfc3339(time)
            .map_err(|e| format!("`aws:CurrentTime` = `{time}`: {}", e.help()))?;
        context.insert("aws:CurrentTime".to_owned(), json!(now.to_string()));

        // MFA: S3 sets `aws:MultiFactorAuthPresent` for temporary credentials only, and the age
        // only when MFA was used.
        let mut mfa_at = None;
        if matches!(who, Who::Session { .. }) {
            let present = single("aws:MultiFactorAuthPresent") == Some("true");
            if present {
                let age: u64 = single("aws:MultiFactorAuthAge")
                    .and_then(|a| a.parse().ok())
                    .unwrap_or(0);
                mfa_at = Some(Timestamp(now.epoch_seconds().saturating_sub(age)));
                context.insert("aws:MultiFactorAuthAge".to_owned(), json!(age.to_string()));
            }
            context.insert(
                "aws:MultiFactorAuthPresent".to_owned(),
                json!(present.to_string()),
            );
        }

        // The principal's keys the world derives from the caller itself.
        for key in [
            "aws:PrincipalArn",
            "aws:PrincipalAccount",
            "aws:PrincipalType",
            "aws:userid",
            "aws:username",
        ] {
            if let Some(v) = given.get(key) {
                context.insert(key.to_owned(), v.clone());
            }
        }
        // Keys of the case the world cannot send: harmless when no policy reads them.
        for (key, value) in &given {
            if context.contains_key(key) {
                continue;
            }
            let carried = matches!(
                key.as_str(),
                "aws:SourceIp" | "aws:SourceVpce" | "aws:SecureTransport" | "aws:CurrentTime"
            );
            if carried {
                continue;
            }
            if reads(key) {
                return Err(format!(
                    "a policy reads `{key}` = `{}`, which a request in the world cannot carry for this caller",
                    match value {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    }
                ));
            }
        }

        let world_json = json!({
            "accounts": accounts,
            "buckets": { bucket: bucket_json },
            "vpcEndpoints": endpoints,
        });
        let mut world: World = serde_json::from_value(world_json)
            .map_err(|e| format!("the world does not load: {e}"))?;
        if let (Some(at), Who::Session { account, role, .. }) = (mfa_at, &who)
            && let Some(s) = world
                .accounts
                .get_mut(account)
                .and_then(|a| a.roles.get_mut(role))
                .and_then(|r| r.sessions.first_mut())
        {
            s.mfa_authenticated_at = Some(at);
        }
        world.normalize();
        let caller = match &who {
            Who::Anonymous => Caller::Anonymous,
            Who::Root { account } => Caller::Root {
                account: account.clone(),
            },
            Who::User { account, name } => Caller::User {
                name: name.clone(),
                account: Some(account.clone()),
            },
            Who::Session {
                account,
                role,
                session,
            } => Caller::RoleSession {
                role: role.clone(),
                session: session.clone(),
                account: Some(account.clone()),
            },
        };
        let operation: Operation = serde_json::from_value(operation)
            .map_err(|e| format!("the request does not load: {e}"))?;
        let mut request = Request::new(caller, operation);
        request.network = serde_json::from_value(network)
            .map_err(|e| format!("the network does not load: {e}"))?;
        Ok(Mapped {
            world,
            request,
            now,
            context,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(case: Value) -> Value {
        let out = run(&case.to_string()).unwrap();
        serde_json::from_str(&out).unwrap()
    }

    #[test]
    fn a_user_with_an_identity_grant_reads_through_the_world() {
        let a = one(json!({
            "principal": "arn:aws:iam::111122223333:user/alice",
            "action": "s3:GetObject",
            "resource": "arn:aws:s3:::examplebucket/home/alice/a.txt",
            "resource_account": "111122223333",
            "context": {"aws:SecureTransport": "false", "aws:userid": "AIDAALICEEXAMPLE0001"},
            "identity_policies": [{"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::examplebucket/*"}]}]
        }));
        assert_eq!(a["decision"], "Allow", "{a}");
        assert_eq!(a["status"], 200, "{a}");
        assert_eq!(a["context"]["aws:SecureTransport"], "false");
        assert_eq!(a["context"]["aws:SourceIp"], DEFAULT_IP);
        assert_eq!(a["context"]["aws:CurrentTime"], DEFAULT_TIME);
    }

    #[test]
    fn a_bucket_policy_deny_on_plain_http_is_an_explicit_deny() {
        let a = one(json!({
            "principal": "arn:aws:sts::111122223333:assumed-role/App/s1",
            "action": "s3:PutObject",
            "resource": "arn:aws:s3:::examplebucket/uploads/x.bin",
            "resource_account": "111122223333",
            "context": {"aws:SecureTransport": "false"},
            "identity_policies": [{"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}],
            "resource_policy": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::examplebucket/*",
                 "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
        }));
        assert_eq!(a["decision"], "ExplicitDeny", "{a}");
        assert_eq!(a["context"]["aws:MultiFactorAuthPresent"], "false");
    }

    #[test]
    fn a_key_the_world_cannot_carry_skips_the_case_only_when_read() {
        let case = |condition: Value| {
            json!({
                "principal": "arn:aws:iam::111122223333:user/alice",
                "action": "s3:ListBucket",
                "resource": "arn:aws:s3:::examplebucket",
                "resource_account": "111122223333",
                "context": {"aws:SourceArn": "arn:aws:s3:::logbucket"},
                "identity_policies": [{"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": condition}]}]
            })
        };
        let skipped = one(case(
            json!({"ArnEquals": {"aws:SourceArn": "arn:aws:s3:::logbucket"}}),
        ));
        assert!(
            skipped["skipped"]
                .as_str()
                .is_some_and(|s| s.contains("`aws:SourceArn`")),
            "{skipped}"
        );
        let decided = one(case(json!({"Bool": {"aws:SecureTransport": "true"}})));
        assert_eq!(decided["decision"], "Allow", "{decided}");
        assert!(decided["context"].get("aws:SourceArn").is_none());
    }

    #[test]
    fn federated_users_and_several_limiting_scp_levels_are_skipped_with_the_reason() {
        let fed = one(json!({
            "principal": "arn:aws:sts::111122223333:federated-user/fed",
            "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k"
        }));
        assert!(
            fed["skipped"]
                .as_str()
                .is_some_and(|s| s.contains("no caller"))
        );
        let deny = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:PutObject", "Resource": "*"}]});
        let levels = one(json!({
            "principal": "arn:aws:iam::111122223333:user/alice",
            "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k",
            "scps": [[deny.clone()], [deny]]
        }));
        assert!(
            levels["skipped"]
                .as_str()
                .is_some_and(|s| s.contains("SCP"))
        );
    }

    #[test]
    fn one_scp_level_is_one_document_and_a_full_access_level_is_no_limit() {
        let full = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]});
        let deny = json!({"Version": "2012-10-17", "Statement": [{"Sid": "S0", "Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}]});
        let merged = scp_document(&json!([full.clone(), deny.clone()]))
            .unwrap()
            .unwrap();
        assert_eq!(merged["Statement"].as_array().map(Vec::len), Some(2));
        assert_eq!(merged["Statement"][1]["Sid"], "S0P1");
        let levels = scp_document(&json!([[full], [deny]])).unwrap().unwrap();
        assert_eq!(levels["Statement"].as_array().map(Vec::len), Some(1));
    }
}

//! How one differential case becomes a world and a request: the caller (a user, a role session,
//! the root user or anonymous) with its policies, boundary, session policy and SCPs, the bucket
//! or object with its bucket policy, and the network, clock and MFA keys the request carries —
//! or the reason a world cannot express the case.
//!
//! Follows the IAM policy evaluation logic
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>).

use s3pg_sim::{Caller, Operation, Request, Timestamp, World};
use serde_json::{Map, Value, json};

/// The clock when a case does not set `aws:CurrentTime`.
pub(super) const DEFAULT_TIME: &str = "2026-11-27T03:00:00Z";

/// The caller's address when a case sets neither `aws:SourceIp` nor `aws:SourceVpce`.
pub(super) const DEFAULT_IP: &str = "203.0.113.10";

/// The version id every declared object has in an unversioned bucket.
pub(super) const NULL_VERSION: &str = "null";

/// The context keys a case may set; any other key read by a policy skips the case.
pub(super) const VOCABULARY: &[&str] = &[
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

/// Who the case's principal is.
pub(super) enum Who {
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

pub(super) fn who(principal: &str) -> Result<Who, String> {
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
pub(super) struct Mapped {
    /// The world the case stands for.
    pub(super) world: World,
    /// The request the case stands for.
    pub(super) request: Request,
    /// When the request is sent.
    pub(super) now: Timestamp,
    /// The context keys the world sends with it.
    pub(super) context: Map<String, Value>,
}

pub(super) fn text_of<'a>(case: &'a Value, field: &str) -> Result<&'a str, String> {
    case.get(field)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("the case has no `{field}`"))
}

/// Every policy of the case, as one text (to ask whether a key is read at all).
pub(super) fn policies_text(case: &Value) -> String {
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
pub(super) fn unknown_keys(case: &Value) -> Vec<String> {
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
pub(super) fn full_access(policy: &Value) -> bool {
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
pub(super) fn merge_level(policies: &[Value]) -> Value {
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
pub(super) fn scp_document(scps: &Value) -> Result<Option<Value>, String> {
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
pub(super) fn set(value: &mut Value, key: &str, to: Value) {
    if let Value::Object(map) = value {
        map.insert(key.to_owned(), to);
    }
}

pub(super) fn named(prefix: &str, policies: Option<&Value>) -> Value {
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
    /// The world and request a case stands for, or why no world can express it.
    pub(super) fn from_case(case: &Value) -> Result<Self, String> {
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
        let single = |key: &str| given.get(key).and_then(Value::as_str);
        let who = who(principal)?;

        let (operation, bucket_json, bucket) = target(case, action, resource, owner)?;
        let userid = single("aws:userid").unwrap_or_default();
        let accounts = accounts_of(case, &who, owner, userid)?;
        let Network {
            network,
            endpoints,
            mut context,
            now,
        } = network_and_clock(case, &given, &read)?;
        let mfa_at = caller_keys(&who, &given, &read, now, &mut context)?;

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

/// The request's target: a bucket, or an object in it owned by the resource account; the
/// operation the mapping sends and the bucket as the world declares it.
pub(super) fn target(
    case: &Value,
    action: &str,
    resource: &str,
    owner: &str,
) -> Result<(Value, Value, String), String> {
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
    Ok((operation, bucket_json, bucket.to_owned()))
}

/// The accounts of the world: the resource account, and the caller's with the caller's
/// policies (a user, or a role and its session), boundary and SCPs.
pub(super) fn accounts_of(
    case: &Value,
    who: &Who,
    owner: &str,
    userid: &str,
) -> Result<Map<String, Value>, String> {
    // The caller and its account.
    let mut accounts = Map::new();
    accounts.insert(owner.to_owned(), json!({}));
    let caller_account = match who {
        Who::Anonymous => None,
        Who::Root { account } | Who::User { account, .. } | Who::Session { account, .. } => {
            Some(account.clone())
        }
    };
    if case.get("session_policy").is_some() && !matches!(who, Who::Session { .. }) {
        return Err("a session policy for a caller that is not a role session".to_owned());
    }
    let mut account_json = json!({});
    match who {
        Who::User { name, .. } => {
            let mut user = json!({"policies": named("identity", case.get("identity_policies"))});
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
    Ok(accounts)
}

/// What [`network_and_clock`] gives.
pub(super) struct Network {
    /// The request's network, as the world reads it.
    network: Value,
    /// The world's VPC endpoints (the one the request came through, with its policy).
    endpoints: Map<String, Value>,
    /// The context keys the network and the clock give.
    context: Map<String, Value>,
    /// The request's time.
    now: Timestamp,
}

/// The request's network (HTTPS or HTTP, a VPC endpoint or a source address) and clock, with
/// the context keys they give; the VPC endpoints of the world.
pub(super) fn network_and_clock(
    case: &Value,
    given: &Map<String, Value>,
    read: &str,
) -> Result<Network, String> {
    let reads = |key: &str| read.contains(&key.to_ascii_lowercase());
    let single = |key: &str| given.get(key).and_then(Value::as_str);
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
    Ok(Network {
        network,
        endpoints,
        context,
        now,
    })
}

/// The context keys the world derives from the caller (MFA for a role session, the principal's
/// keys); refuses a key a policy reads that no request in the world can carry. The time MFA was
/// used, if it was.
pub(super) fn caller_keys(
    who: &Who,
    given: &Map<String, Value>,
    read: &str,
    now: Timestamp,
    context: &mut Map<String, Value>,
) -> Result<Option<Timestamp>, String> {
    let reads = |key: &str| read.contains(&key.to_ascii_lowercase());
    let single = |key: &str| given.get(key).and_then(Value::as_str);
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
    for (key, value) in given {
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
    Ok(mfa_at)
}

//! IAM requests: identity policies put, read, deleted, attached and detached (user, group,
//! role), customer managed policies, a role's trust policy, access keys created, deactivated and
//! deleted, and principal tags. Every request acts on the caller's own account and is authorized
//! through the one decider as `iam:<Action>` on the IAM resource's ARN (IAM has no
//! resource-based policies: only the caller's own identity policies can allow it).
//!
//! Follows the IAM API reference (<https://docs.aws.amazon.com/IAM/latest/APIReference/API_Operations.html>),
//! its actions and resources (<https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html>)
//! and the access keys page (<https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html>).

use s3pg_crypto::Entropy;
use serde_json::{Value, json};

use super::plan::Plan;
use crate::authz::Check;
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::iam_api::{AccessKeyStatus, IamRequest};
use crate::model::{AccessKey, Account, NamedPolicy};
use crate::trace::{Effect, Gate, GateStep, StepOutcome};
use crate::view::WorldRef;
use crate::world::{Identity, IdentityKind, World, fnv, opaque_id};

const API_DOC: &str = "https://docs.aws.amazon.com/IAM/latest/APIReference/API_Operations.html";
const KEYS_DOC: &str =
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html";
const POLICY_GRAMMAR_DOC: &str =
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html";

/// The most access keys a user may have (IAM quotas).
const MAX_ACCESS_KEYS: usize = 2;

/// What an IAM request addresses.
enum Entity {
    User(String),
    Group(String),
    Role(String),
    Policy(String),
    Root,
}

impl Entity {
    fn arn(&self, account: &str) -> String {
        match self {
            Entity::User(n) => format!("arn:aws:iam::{account}:user/{n}"),
            Entity::Group(n) => format!("arn:aws:iam::{account}:group/{n}"),
            Entity::Role(n) => format!("arn:aws:iam::{account}:role/{n}"),
            Entity::Policy(n) => crate::managed::customer_arn(account, n),
            Entity::Root => format!("arn:aws:iam::{account}:root"),
        }
    }

    fn describe(&self) -> String {
        match self {
            Entity::User(n) => format!("user `{n}`"),
            Entity::Group(n) => format!("group `{n}`"),
            Entity::Role(n) => format!("role `{n}`"),
            Entity::Policy(n) => format!("managed policy `{n}`"),
            Entity::Root => "the root user".to_owned(),
        }
    }

    fn exists(&self, a: &Account) -> bool {
        match self {
            Entity::User(n) => a.users.contains_key(n),
            Entity::Group(n) => a.groups.contains_key(n),
            Entity::Role(n) => a.roles.contains_key(n),
            Entity::Policy(_) | Entity::Root => true,
        }
    }
}

/// The user an access-key request names, or the caller itself.
fn key_owner(id: &Identity, user_name: Option<&String>) -> Result<Entity, String> {
    match (user_name, &id.kind) {
        (Some(n), _) => Ok(Entity::User(n.clone())),
        (None, IdentityKind::User { name }) => Ok(Entity::User(name.clone())),
        (None, IdentityKind::Root) => Ok(Entity::Root),
        _ => Err(
            "a role session has no access keys of its own: name the user (`UserName`)".to_owned(),
        ),
    }
}

/// The permission and the entity of a request.
fn target(req: &IamRequest, id: &Identity) -> Result<(&'static str, Entity), String> {
    use IamRequest as R;
    Ok(match req {
        R::PutUserPolicy { user_name, .. } => {
            ("iam:PutUserPolicy", Entity::User(user_name.clone()))
        }
        R::GetUserPolicy { user_name, .. } => {
            ("iam:GetUserPolicy", Entity::User(user_name.clone()))
        }
        R::DeleteUserPolicy { user_name, .. } => {
            ("iam:DeleteUserPolicy", Entity::User(user_name.clone()))
        }
        R::AttachUserPolicy { user_name, .. } => {
            ("iam:AttachUserPolicy", Entity::User(user_name.clone()))
        }
        R::DetachUserPolicy { user_name, .. } => {
            ("iam:DetachUserPolicy", Entity::User(user_name.clone()))
        }
        R::TagUser { user_name, .. } => ("iam:TagUser", Entity::User(user_name.clone())),
        R::PutGroupPolicy { group_name, .. } => {
            ("iam:PutGroupPolicy", Entity::Group(group_name.clone()))
        }
        R::DeleteGroupPolicy { group_name, .. } => {
            ("iam:DeleteGroupPolicy", Entity::Group(group_name.clone()))
        }
        R::AttachGroupPolicy { group_name, .. } => {
            ("iam:AttachGroupPolicy", Entity::Group(group_name.clone()))
        }
        R::DetachGroupPolicy { group_name, .. } => {
            ("iam:DetachGroupPolicy", Entity::Group(group_name.clone()))
        }
        R::PutRolePolicy { role_name, .. } => {
            ("iam:PutRolePolicy", Entity::Role(role_name.clone()))
        }
        R::GetRolePolicy { role_name, .. } => {
            ("iam:GetRolePolicy", Entity::Role(role_name.clone()))
        }
        R::DeleteRolePolicy { role_name, .. } => {
            ("iam:DeleteRolePolicy", Entity::Role(role_name.clone()))
        }
        R::AttachRolePolicy { role_name, .. } => {
            ("iam:AttachRolePolicy", Entity::Role(role_name.clone()))
        }
        R::DetachRolePolicy { role_name, .. } => {
            ("iam:DetachRolePolicy", Entity::Role(role_name.clone()))
        }
        R::UpdateAssumeRolePolicy { role_name, .. } => (
            "iam:UpdateAssumeRolePolicy",
            Entity::Role(role_name.clone()),
        ),
        R::TagRole { role_name, .. } => ("iam:TagRole", Entity::Role(role_name.clone())),
        R::CreatePolicy { policy_name, .. } => {
            ("iam:CreatePolicy", Entity::Policy(policy_name.clone()))
        }
        R::CreateAccessKey { user_name } => {
            ("iam:CreateAccessKey", key_owner(id, user_name.as_ref())?)
        }
        R::UpdateAccessKey { user_name, .. } => {
            ("iam:UpdateAccessKey", key_owner(id, user_name.as_ref())?)
        }
        R::DeleteAccessKey { user_name, .. } => {
            ("iam:DeleteAccessKey", key_owner(id, user_name.as_ref())?)
        }
    })
}

/// The plan of an IAM request: the checks IAM makes first (a signed caller, a well-formed policy
/// document), the one `iam:<Action>` permission on the resource's ARN, and the change.
pub(super) fn plan<'r>(
    world: &World,
    ex: &mut Exchange<'r>,
    id: &Identity,
    req: &'r IamRequest,
) -> Result<Plan<'r>, S3Error> {
    let _ = world;
    let Some(account) = id.account.clone().filter(|_| !id.is_anonymous()) else {
        return Err(ex.reject(
            Gate::Authentication,
            S3Error::other(
                403,
                "MissingAuthenticationToken",
                "Request is missing Authentication Token",
            ),
            "IAM answers only signed requests: an anonymous caller cannot call IAM",
            API_DOC,
        ));
    };
    let (action, entity) = match target(req, id) {
        Ok(p) => p,
        Err(why) => {
            return Err(ex.reject(
                Gate::RequestValidation,
                S3Error::other(
                    400,
                    "ValidationError",
                    "Must specify userName when calling with non-User credentials",
                ),
                why,
                API_DOC,
            ));
        }
    };
    let document = match req {
        IamRequest::PutUserPolicy {
            policy_document, ..
        }
        | IamRequest::PutGroupPolicy {
            policy_document, ..
        }
        | IamRequest::PutRolePolicy {
            policy_document, ..
        }
        | IamRequest::CreatePolicy {
            policy_document, ..
        } => Some(identity_document(ex, policy_document)?),
        IamRequest::UpdateAssumeRolePolicy {
            policy_document, ..
        } => Some(trust_document(ex, policy_document)?),
        _ => None,
    };
    let arn = entity.arn(&account);
    let check = Check::iam(action, arn.clone(), &account);
    Ok(Plan::new(vec![check], move |world, ex, id, _| {
        let exists = world
            .accounts
            .get(&account)
            .is_some_and(|a| entity.exists(a));
        if !exists {
            return Err(no_such_entity(ex, &entity.describe()));
        }
        let what = execute(world, ex, id, req, &account, &entity, document)?;
        ex.step(GateStep::new(Gate::Iam, StepOutcome::Info, what.clone(), API_DOC).action(action));
        ex.effects.push(Effect::IamChanged {
            principal: arn,
            what,
        });
        Ok(())
    }))
}

fn no_such_entity(ex: &mut Exchange<'_>, what: &str) -> S3Error {
    ex.reject(
        Gate::Iam,
        S3Error::other(
            404,
            "NoSuchEntity",
            &format!("The {} cannot be found.", what.replace('`', "")),
        ),
        format!("the account has no {what}"),
        API_DOC,
    )
}

/// A policy document as JSON: given as JSON, or as the JSON text the API carries.
fn document_value(ex: &mut Exchange<'_>, doc: &Value) -> Result<Value, S3Error> {
    match doc {
        Value::String(text) => serde_json::from_str(text).map_err(|e| {
            ex.reject(
                Gate::RequestValidation,
                S3Error::other(400, "MalformedPolicyDocument", "Syntax errors in policy."),
                format!(
                    "the policy document is not JSON: {} at line {} column {}",
                    e.to_string().split(" at line").next().unwrap_or_default(),
                    e.line(),
                    e.column()
                ),
                POLICY_GRAMMAR_DOC,
            )
        }),
        other => Ok(other.clone()),
    }
}

fn malformed(ex: &mut Exchange<'_>, message: &str, why: String) -> S3Error {
    ex.reject(
        Gate::RequestValidation,
        S3Error::other(400, "MalformedPolicyDocument", message),
        why,
        POLICY_GRAMMAR_DOC,
    )
}

/// An identity policy: IAM's grammar, and no `Principal` (it is the identity it is attached to).
fn identity_document(ex: &mut Exchange<'_>, doc: &Value) -> Result<Value, S3Error> {
    let value = document_value(ex, doc)?;
    if let Err(e) = crate::public::parse_policy(&value) {
        return Err(malformed(
            ex,
            "Syntax errors in policy.",
            format!("IAM refuses the policy: {e}"),
        ));
    }
    let names_principal = statements(&value)
        .iter()
        .any(|s| s.get("Principal").is_some() || s.get("NotPrincipal").is_some());
    if names_principal {
        return Err(malformed(
            ex,
            "Policy document should not specify a principal.",
            "an identity policy applies to the identity it is attached to, so it may not name a `Principal`".to_owned(),
        ));
    }
    Ok(value)
}

/// A trust policy: IAM's grammar, and a `Principal` in every statement.
fn trust_document(ex: &mut Exchange<'_>, doc: &Value) -> Result<Value, S3Error> {
    let value = document_value(ex, doc)?;
    if let Err(e) = crate::public::parse_policy(&crate::managed::trust_policy_for_engine(&value)) {
        return Err(malformed(
            ex,
            "Syntax errors in policy.",
            format!("IAM refuses the trust policy: {e}"),
        ));
    }
    let missing = statements(&value)
        .iter()
        .any(|s| s.get("Principal").is_none() && s.get("NotPrincipal").is_none());
    if missing {
        return Err(malformed(
            ex,
            "AssumeRolepolicy contained an invalid principal: missing.",
            "every statement of a trust policy must name a `Principal`: who may assume the role"
                .to_owned(),
        ));
    }
    Ok(value)
}

fn statements(doc: &Value) -> Vec<&Value> {
    match doc.get("Statement") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(v) => vec![v],
        None => Vec::new(),
    }
}

fn put_named(list: &mut Vec<NamedPolicy>, name: &str, document: Value) -> &'static str {
    if let Some(p) = list.iter_mut().find(|p| p.name == name) {
        p.document = document;
        "replaced"
    } else {
        list.push(NamedPolicy {
            name: name.to_owned(),
            document,
        });
        "added"
    }
}

/// Changes the account; returns what changed, in words. One arm per IAM action; the longer ones
/// (reads, inline-policy deletes, managed policies, tags, access keys) are functions of their own
/// below.
fn execute(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    req: &IamRequest,
    account: &str,
    entity: &Entity,
    document: Option<Value>,
) -> Result<String, S3Error> {
    use IamRequest as R;
    // Reads first: they need no copy of a dry run's world.
    if let R::GetUserPolicy { policy_name, .. } | R::GetRolePolicy { policy_name, .. } = req {
        return read_inline_policy(world, ex, req, account, entity, policy_name);
    }
    let policy_known = match req {
        R::AttachUserPolicy { policy_arn, .. }
        | R::AttachGroupPolicy { policy_arn, .. }
        | R::AttachRolePolicy { policy_arn, .. } => {
            crate::managed::document(world, account, policy_arn).is_some()
        }
        _ => true,
    };
    let seq = world.next_seq();
    let mut entropy = match req {
        R::CreateAccessKey { .. } => Some(world.entropy.next_stream()),
        _ => None,
    };
    let w: &mut crate::world::World = world;
    let Some(acct) = w.accounts.get_mut(account) else {
        return Err(no_such_entity(ex, "account"));
    };
    let doc = document.unwrap_or(Value::Null);
    let _ = id;
    Ok(match req {
        R::PutUserPolicy {
            user_name,
            policy_name,
            ..
        } => {
            let u = acct.users.entry(user_name.clone()).or_default();
            let how = put_named(&mut u.policies, policy_name, doc);
            format!(
                "{how} inline policy `{policy_name}` of user `{user_name}`; it applies from the next request on"
            )
        }
        R::PutGroupPolicy {
            group_name,
            policy_name,
            ..
        } => {
            let g = acct.groups.entry(group_name.clone()).or_default();
            let how = put_named(&mut g.policies, policy_name, doc);
            format!(
                "{how} inline policy `{policy_name}` of group `{group_name}`; every member gets it"
            )
        }
        R::PutRolePolicy {
            role_name,
            policy_name,
            ..
        } => {
            let r = acct.roles.entry(role_name.clone()).or_default();
            let how = put_named(&mut r.policies, policy_name, doc);
            format!(
                "{how} inline policy `{policy_name}` of role `{role_name}`; its sessions get it at once"
            )
        }
        R::DeleteUserPolicy {
            user_name: owner,
            policy_name,
        }
        | R::DeleteGroupPolicy {
            group_name: owner,
            policy_name,
        }
        | R::DeleteRolePolicy {
            role_name: owner,
            policy_name,
        } => delete_inline_policy(ex, acct, req, entity, owner, policy_name)?,
        R::UpdateAssumeRolePolicy { role_name, .. } => {
            if let Some(r) = acct.roles.get_mut(role_name) {
                r.trust_policy = Some(doc);
            }
            format!("replaced the trust policy of role `{role_name}`")
        }
        R::CreatePolicy { policy_name, .. } => create_policy(ex, acct, account, policy_name, doc)?,
        R::AttachUserPolicy { policy_arn, .. }
        | R::AttachGroupPolicy { policy_arn, .. }
        | R::AttachRolePolicy { policy_arn, .. } => {
            if !policy_known {
                return Err(no_such_entity(
                    ex,
                    &format!("managed policy `{policy_arn}`"),
                ));
            }
            attach_managed(acct, req, entity, policy_arn)
        }
        R::DetachUserPolicy { policy_arn, .. }
        | R::DetachGroupPolicy { policy_arn, .. }
        | R::DetachRolePolicy { policy_arn, .. } => {
            detach_managed(ex, acct, req, entity, policy_arn)?
        }
        R::TagUser { .. } | R::TagRole { .. } => tag_principal(acct, req),
        R::CreateAccessKey { .. } => {
            create_access_key(ex, acct, account, entity, seq, entropy.as_mut())?
        }
        R::UpdateAccessKey {
            access_key_id,
            status,
            ..
        } => update_access_key(ex, acct, entity, access_key_id, *status)?,
        R::DeleteAccessKey { access_key_id, .. } => {
            delete_access_key(ex, acct, entity, access_key_id)?
        }
        R::GetUserPolicy { .. } | R::GetRolePolicy { .. } => String::new(),
    })
}

/// `GetUserPolicy` / `GetRolePolicy`: one inline policy of a user or a role.
fn read_inline_policy(
    world: &World,
    ex: &mut Exchange<'_>,
    req: &IamRequest,
    account: &str,
    entity: &Entity,
    policy_name: &str,
) -> Result<String, S3Error> {
    let a = world.accounts.get(account);
    let list = match req {
        IamRequest::GetUserPolicy { user_name, .. } => {
            a.and_then(|a| a.users.get(user_name)).map(|u| &u.policies)
        }
        IamRequest::GetRolePolicy { role_name, .. } => {
            a.and_then(|a| a.roles.get(role_name)).map(|r| &r.policies)
        }
        _ => None,
    };
    let found = list.and_then(|l| l.iter().find(|p| p.name == policy_name));
    let Some(p) = found else {
        return Err(no_such_entity(
            ex,
            &format!("policy `{policy_name}` of {}", entity.describe()),
        ));
    };
    ex.body = Some(json!({ "PolicyName": policy_name, "PolicyDocument": p.document }));
    Ok(format!(
        "read inline policy `{policy_name}` of {}",
        entity.describe()
    ))
}

/// `DeleteUserPolicy` / `DeleteGroupPolicy` / `DeleteRolePolicy`: removes the inline policy
/// `policy_name` of the user, group or role `owner`.
fn delete_inline_policy(
    ex: &mut Exchange<'_>,
    acct: &mut Account,
    req: &IamRequest,
    entity: &Entity,
    owner: &str,
    policy_name: &str,
) -> Result<String, S3Error> {
    let list = match req {
        IamRequest::DeleteUserPolicy { .. } => acct.users.get_mut(owner).map(|u| &mut u.policies),
        IamRequest::DeleteGroupPolicy { .. } => acct.groups.get_mut(owner).map(|g| &mut g.policies),
        _ => acct.roles.get_mut(owner).map(|r| &mut r.policies),
    };
    let Some(list) = list.filter(|l| l.iter().any(|p| p.name == policy_name)) else {
        return Err(no_such_entity(
            ex,
            &format!("policy `{policy_name}` of {}", entity.describe()),
        ));
    };
    list.retain(|p| p.name != policy_name);
    Ok(format!(
        "deleted inline policy `{policy_name}` of {}; what it allowed is no longer allowed, even through pre-signed URLs already handed out",
        entity.describe()
    ))
}

/// `CreatePolicy`: a customer managed policy; its name must be new in the account.
fn create_policy(
    ex: &mut Exchange<'_>,
    acct: &mut Account,
    account: &str,
    policy_name: &str,
    doc: Value,
) -> Result<String, S3Error> {
    if acct.managed_policies.contains_key(policy_name) {
        return Err(ex.reject(
            Gate::Iam,
            S3Error::other(
                409,
                "EntityAlreadyExists",
                &format!(
                    "A policy called {policy_name} already exists. Duplicate names are not allowed."
                ),
            ),
            format!("the account already has a managed policy named `{policy_name}`"),
            API_DOC,
        ));
    }
    acct.managed_policies.insert(policy_name.to_owned(), doc);
    let arn = crate::managed::customer_arn(account, policy_name);
    ex.body = Some(json!({ "Policy": { "PolicyName": policy_name, "Arn": arn } }));
    Ok(format!("created customer managed policy `{arn}`"))
}

/// `AttachUserPolicy` / `AttachGroupPolicy` / `AttachRolePolicy`: adds a managed policy the
/// account or AWS has to the principal's attached policies (once).
fn attach_managed(
    acct: &mut Account,
    req: &IamRequest,
    entity: &Entity,
    policy_arn: &str,
) -> String {
    if let Some(list) = attached_list(acct, req)
        && !list.iter().any(|a| a == policy_arn)
    {
        list.push(policy_arn.to_owned());
    }
    format!(
        "attached managed policy `{policy_arn}` to {}",
        entity.describe()
    )
}

/// `DetachUserPolicy` / `DetachGroupPolicy` / `DetachRolePolicy`: removes an attachment.
fn detach_managed(
    ex: &mut Exchange<'_>,
    acct: &mut Account,
    req: &IamRequest,
    entity: &Entity,
    policy_arn: &str,
) -> Result<String, S3Error> {
    let Some(list) = attached_list(acct, req).filter(|l| l.iter().any(|a| a == policy_arn)) else {
        return Err(no_such_entity(
            ex,
            &format!("attachment of `{policy_arn}` to {}", entity.describe()),
        ));
    };
    list.retain(|a| a != policy_arn);
    Ok(format!(
        "detached managed policy `{policy_arn}` from {}",
        entity.describe()
    ))
}

/// `TagUser` / `TagRole`: adds principal tags, which the principal's requests carry as
/// `aws:PrincipalTag/<key>`.
fn tag_principal(acct: &mut Account, req: &IamRequest) -> String {
    match req {
        IamRequest::TagUser { user_name, tags } => {
            if let Some(u) = acct.users.get_mut(user_name) {
                u.tags.extend(tags.clone());
            }
            format!(
                "tagged user `{user_name}` with {}; its requests carry them as `aws:PrincipalTag/<key>`",
                super::tagging::describe(tags)
            )
        }
        IamRequest::TagRole { role_name, tags } => {
            if let Some(r) = acct.roles.get_mut(role_name) {
                r.tags.extend(tags.clone());
            }
            format!(
                "tagged role `{role_name}` with {}; its sessions carry them as `aws:PrincipalTag/<key>`",
                super::tagging::describe(tags)
            )
        }
        _ => String::new(),
    }
}

/// `CreateAccessKey`: a new key pair for the user (or the root user), at most
/// [`MAX_ACCESS_KEYS`]; the secret comes from the world's seeded entropy.
fn create_access_key(
    ex: &mut Exchange<'_>,
    acct: &mut Account,
    account: &str,
    entity: &Entity,
    seq: u64,
    entropy: Option<&mut s3pg_crypto::SeededEntropy>,
) -> Result<String, S3Error> {
    let keys = keys_of(acct, entity);
    if keys.len() >= MAX_ACCESS_KEYS {
        return Err(ex.reject(
            Gate::Iam,
            S3Error::other(409, "LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2"),
            format!("{} already has {MAX_ACCESS_KEYS} access keys, the most IAM allows; delete one first", entity.describe()),
            KEYS_DOC,
        ));
    }
    let key_id = format!(
        "AKIA{}",
        opaque_id(fnv(&format!("{account}/{}/{seq}", entity.describe())), 16)
            .to_ascii_uppercase()
            .replace(['.', '_'], "7")
    );
    let mut bytes = [0u8; 30];
    if let Some(e) = entropy {
        e.fill(&mut bytes);
    }
    let secret: String = bytes
        .iter()
        .flat_map(|b| {
            let s = format!("{b:02x}");
            s.chars().collect::<Vec<_>>()
        })
        .take(40)
        .collect();
    keys.push(AccessKey {
        access_key_id: key_id.clone(),
        secret_access_key: secret.clone(),
        active: true,
    });
    let user = match entity {
        Entity::User(n) => n.clone(),
        _ => String::new(),
    };
    ex.body = Some(json!({ "AccessKey": {
        "UserName": user, "AccessKeyId": key_id, "Status": "Active", "SecretAccessKey": secret,
        "CreateDate": ex.now.to_string() } }));
    Ok(format!(
        "created access key `{key_id}` for {}; the secret is shown only in this response",
        entity.describe()
    ))
}

/// `UpdateAccessKey`: makes a key active or inactive.
fn update_access_key(
    ex: &mut Exchange<'_>,
    acct: &mut Account,
    entity: &Entity,
    access_key_id: &str,
    status: AccessKeyStatus,
) -> Result<String, S3Error> {
    let keys = keys_of(acct, entity);
    let Some(k) = keys.iter_mut().find(|k| k.access_key_id == access_key_id) else {
        return Err(no_such_entity(
            ex,
            &format!("access key `{access_key_id}` of {}", entity.describe()),
        ));
    };
    k.active = status == AccessKeyStatus::Active;
    Ok(match status {
        AccessKeyStatus::Active => {
            format!("made access key `{access_key_id}` active again")
        }
        AccessKeyStatus::Inactive => format!(
            "deactivated access key `{access_key_id}`: requests signed with it now fail with `InvalidAccessKeyId`"
        ),
    })
}

/// `DeleteAccessKey`: removes a key; what it signed fails from now on.
fn delete_access_key(
    ex: &mut Exchange<'_>,
    acct: &mut Account,
    entity: &Entity,
    access_key_id: &str,
) -> Result<String, S3Error> {
    let keys = keys_of(acct, entity);
    if !keys.iter().any(|k| k.access_key_id == access_key_id) {
        return Err(no_such_entity(
            ex,
            &format!("access key `{access_key_id}` of {}", entity.describe()),
        ));
    }
    keys.retain(|k| k.access_key_id != access_key_id);
    Ok(format!(
        "deleted access key `{access_key_id}`: requests and pre-signed URLs signed with it now fail with `InvalidAccessKeyId`"
    ))
}

fn attached_list<'a>(acct: &'a mut Account, req: &IamRequest) -> Option<&'a mut Vec<String>> {
    use IamRequest as R;
    match req {
        R::AttachUserPolicy { user_name, .. } | R::DetachUserPolicy { user_name, .. } => acct
            .users
            .get_mut(user_name)
            .map(|u| &mut u.attached_policies),
        R::AttachGroupPolicy { group_name, .. } | R::DetachGroupPolicy { group_name, .. } => acct
            .groups
            .get_mut(group_name)
            .map(|g| &mut g.attached_policies),
        R::AttachRolePolicy { role_name, .. } | R::DetachRolePolicy { role_name, .. } => acct
            .roles
            .get_mut(role_name)
            .map(|r| &mut r.attached_policies),
        _ => None,
    }
}

fn keys_of<'a>(acct: &'a mut Account, entity: &Entity) -> &'a mut Vec<AccessKey> {
    match entity {
        Entity::User(n) => &mut acct.users.entry(n.clone()).or_default().access_keys,
        _ => &mut acct.root.access_keys,
    }
}

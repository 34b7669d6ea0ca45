//! Authorization of one permission — one decider. Every IAM policy layer (SCP, VPC endpoint
//! policy, identity policies, permissions boundary, session policy, bucket policy) is evaluated
//! by `s3pg-policy`'s multi-layer evaluation ([`s3pg_policy::evaluate_layers`]); what only S3 has
//! — Block Public Access, Object Ownership, bucket and object ACLs, the user/bucket/object
//! contexts — are typed gate steps ([`gates`]) whose facts, with the layers', feed one decision
//! table ([`decide`]).
//!
//! Where to start reading: [`authorize`] below runs the stages in order; [`decide::decide`] is
//! the truth table.
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html>,
//! the bucket and object operation workflows, and the IAM evaluation logic
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>).

mod context;
mod decide;
mod gates;
mod layers;
mod trust;

use s3pg_policy::evaluate_layers;

use crate::docs;
use crate::model::{Bucket, ObjectVersion};
use crate::request::Request;
use crate::time::Timestamp;
use crate::trace::{Deciding, Decision, Gate, GateStep, StepOutcome, Text};
use crate::world::{Identity, World};

pub(crate) use context::{global_keys, principal_of};

/// What a permission is checked against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resource {
    /// An account-level action (`*`), owned by this account.
    Account(String),
    /// A bucket that does not exist yet (CreateBucket), to be owned by this account.
    NewBucket { name: String, owner: String },
    /// An existing bucket.
    Bucket(String),
    /// An object (existing or not); `owner` is the account owning the addressed version.
    Object {
        bucket: String,
        key: String,
        owner: String,
    },
    /// An IAM resource of an account (a user, group, role or managed policy): IAM has no
    /// resource-based policies, so only the caller's own account can grant.
    Iam { arn: String, account: String },
    /// A role as the target of `sts:AssumeRole`: its trust policy is the resource-based policy.
    Role { name: String, account: String },
}

impl Resource {
    /// The resource ARN.
    pub fn arn(&self) -> String {
        let mut arn = String::with_capacity(64);
        self.write_arn(&mut arn);
        arn
    }

    /// Appends the resource ARN to `out` (joined by hand: every request writes it, and
    /// formatting machinery costs more than the text).
    pub fn write_arn(&self, out: &mut String) {
        match self {
            Resource::Account(_) => out.push('*'),
            Resource::NewBucket { name, .. } | Resource::Bucket(name) => {
                out.push_str("arn:aws:s3:::");
                out.push_str(name);
            }
            Resource::Object { bucket, key, .. } => {
                out.push_str("arn:aws:s3:::");
                out.push_str(bucket);
                out.push('/');
                out.push_str(key);
            }
            Resource::Iam { arn, .. } => out.push_str(arn),
            Resource::Role { name, account } => {
                out.push_str("arn:aws:iam::");
                out.push_str(account);
                out.push_str(":role/");
                out.push_str(name);
            }
        }
    }
}

/// The resource ARN, written where it is needed (a trace sentence).
impl std::fmt::Display for Resource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.arn())
    }
}

/// One permission an operation needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Check {
    pub action: &'static str,
    pub resource: Resource,
    /// Request-derived context keys specific to this operation.
    pub keys: Vec<(String, Vec<String>)>,
    /// The owner's root user calling a bucket-policy API: the bucket policy cannot deny it.
    pub root_policy_exempt: bool,
}

impl Check {
    fn with(action: &'static str, resource: Resource) -> Self {
        Check {
            action,
            resource,
            keys: Vec::new(),
            root_policy_exempt: false,
        }
    }
    pub fn account(action: &'static str, account: &str) -> Self {
        Check::with(action, Resource::Account(account.to_owned()))
    }
    pub fn new_bucket(action: &'static str, name: &str, owner: &str) -> Self {
        Check::with(
            action,
            Resource::NewBucket {
                name: name.to_owned(),
                owner: owner.to_owned(),
            },
        )
    }
    pub fn bucket(action: &'static str, name: &str) -> Self {
        Check::with(action, Resource::Bucket(name.to_owned()))
    }
    /// An IAM action on a resource of `account`.
    pub fn iam(action: &'static str, arn: String, account: &str) -> Self {
        Check::with(
            action,
            Resource::Iam {
                arn,
                account: account.to_owned(),
            },
        )
    }
    /// `sts:AssumeRole` (or `sts:TagSession`) on a role, decided with its trust policy.
    pub fn role(action: &'static str, name: &str, account: &str) -> Self {
        Check::with(
            action,
            Resource::Role {
                name: name.to_owned(),
                account: account.to_owned(),
            },
        )
    }
    pub fn object(action: &'static str, bucket: &str, key: &str, owner: &str) -> Self {
        Check::with(
            action,
            Resource::Object {
                bucket: bucket.to_owned(),
                key: key.to_owned(),
                owner: owner.to_owned(),
            },
        )
    }
    #[must_use]
    pub fn keys(mut self, keys: Vec<(String, Vec<String>)>) -> Self {
        self.keys.extend(keys);
        self
    }
    #[must_use]
    pub fn root_policy_exempt(mut self) -> Self {
        self.root_policy_exempt = true;
        self
    }
}

/// The result of authorizing one permission, with its own steps (for a caller outside the
/// request pipeline: a log delivery, an operation's own check).
#[derive(Debug, Clone)]
pub(crate) struct AuthzResult {
    pub decision: Decision,
    pub steps: Vec<GateStep>,
    pub deciding: Option<Deciding>,
}

/// Actions whose object-level grant comes from the bucket (writes and deletes): the bucket owner
/// decides them even for objects another account owns.
fn bucket_decides(action: &str) -> bool {
    matches!(
        action,
        "s3:PutObject" | "s3:DeleteObject" | "s3:DeleteObjectVersion"
    )
}

/// Who owns what, for one permission.
pub(crate) struct Target<'w> {
    /// The bucket addressed, if it exists.
    pub bucket: Option<&'w Bucket>,
    /// The version addressed (or the current one), if it exists.
    pub version: Option<&'w ObjectVersion>,
    /// The bucket owner (the account itself for account-level actions).
    pub bucket_owner: String,
    /// The object owner (the bucket owner when ACLs are disabled or for bucket actions).
    pub object_owner: String,
    /// The account whose say decides the grant: the object owner for object reads, else the
    /// bucket owner.
    pub resource_owner: String,
    /// An object action (not a bucket or account one).
    pub is_object: bool,
    /// An object read on an object another account owns (S3's object context applies).
    pub foreign_object: bool,
}

impl<'w> Target<'w> {
    fn resolve(world: &'w World, check: &Check) -> Self {
        let bucket = match &check.resource {
            Resource::Bucket(b) | Resource::Object { bucket: b, .. } => world.buckets.get(b),
            _ => None,
        };
        let bucket_owner = match &check.resource {
            Resource::Account(a)
            | Resource::Iam { account: a, .. }
            | Resource::Role { account: a, .. } => a.clone(),
            Resource::NewBucket { owner, .. } => owner.clone(),
            _ => bucket.map(|b| b.owner.clone()).unwrap_or_default(),
        };
        let version = match (&check.resource, bucket) {
            (Resource::Object { key, .. }, Some(b)) => {
                let vid = check
                    .keys
                    .iter()
                    .find(|(k, _)| k == "s3:VersionId")
                    .and_then(|(_, v)| v.first());
                let entry = b.objects.get(key);
                match vid {
                    Some(v) => entry.and_then(|e| e.version(v)),
                    None => entry.and_then(|e| e.current()),
                }
            }
            _ => None,
        };
        let object_owner = match &check.resource {
            Resource::Object { owner, .. } if bucket.is_some_and(Bucket::acls_enabled) => {
                owner.clone()
            }
            _ => bucket_owner.clone(),
        };
        let is_object = matches!(check.resource, Resource::Object { .. });
        let object_read = is_object && !bucket_decides(check.action);
        Target {
            bucket,
            version,
            resource_owner: if object_read {
                object_owner.clone()
            } else {
                bucket_owner.clone()
            },
            foreign_object: object_read && object_owner != bucket_owner,
            bucket_owner,
            object_owner,
            is_object,
        }
    }
}

/// Authorizes one permission: the request context, every policy layer through `s3pg-policy`,
/// S3's own gates, then the decision table. Only the marked step decides.
pub(crate) fn authorize(
    world: &World,
    id: &Identity,
    req: &Request,
    now: Timestamp,
    check: &Check,
) -> AuthzResult {
    let global = global_keys(world, id, req, now);
    authorize_with(world, id, req, check, &global)
}

/// [`authorize`] with the request's global condition keys already worked out
/// ([`global_keys`]): the pipeline derives them once per request, not once per permission.
pub(crate) fn authorize_with(
    world: &World,
    id: &Identity,
    req: &Request,
    check: &Check,
    global: &[(Text, String)],
) -> AuthzResult {
    let mut steps = Vec::new();
    let v = authorize_into(world, id, req, check, global, &mut steps);
    AuthzResult {
        decision: v.decision,
        steps,
        deciding: v.deciding,
    }
}

/// What one permission's authorization concluded, its steps written into a trace.
pub(crate) struct AuthzVerdict {
    pub decision: Decision,
    pub deciding: Option<Deciding>,
    /// The `AccessDenied` message S3 would send.
    pub message: String,
}

/// [`authorize_with`] writing the permission's steps at the end of `steps` (the request's
/// trace): no list of its own to allocate and copy over (a list of trace steps is big enough
/// that the allocator's slow path shows on every request). The deciding mark goes only on a
/// step written here.
pub(crate) fn authorize_into(
    world: &World,
    id: &Identity,
    req: &Request,
    check: &Check,
    global: &[(Text, String)],
    steps: &mut Vec<GateStep>,
) -> AuthzVerdict {
    let action = check.action;
    let target = Target::resolve(world, check);
    let mut rc = context::request_context(world, id, check, &target.resource_owner, global);
    context::existing_object_tags(&mut rc, action, target.version);
    // The keys are moved out of the request context, not copied: evaluation reads only `keys`.
    let keys = rc.take_effective_keys();
    let mut gathered = layers::gather(world, id, req, target.bucket);
    if let Resource::Role { name, account } = &check.resource {
        gathered.trust_policy(world, account, name);
    }
    let ev = evaluate_layers(&rc, &keys, &gathered.layers());

    let start = steps.len();
    steps.extend(gathered.notes.iter().map(|n| {
        GateStep::new(
            Gate::RequiredPermissions,
            StepOutcome::Info,
            n.clone(),
            docs::IAM_EVALUATION,
        )
        .action(action)
    }));
    // S3's user context: the caps (SCP, VPC endpoint) and the caller's own policies.
    let user = gates::user_context(id, req, action, &ev, steps);
    // The bucket context: the bucket policy as S3 filters it, then the ACLs.
    let bpa = target
        .bucket
        .map(|b| crate::world::effective_bpa(world, b))
        .unwrap_or_default();
    let caller_account = id.account.clone().unwrap_or_default();
    let mut bucket_policy = gates::bucket_policy(
        &gates::BucketPolicyInput {
            id,
            check,
            target: &target,
            bpa: &bpa,
            caller_account: &caller_account,
            caps_ok: user.caps_ok,
            parsed: gathered.bucket.as_ref().map(layers::Named::policy),
        },
        &ev.resource,
        steps,
    );
    let resource_required = matches!(check.resource, Resource::Role { .. });
    if resource_required {
        bucket_policy = trust::trust_policy(action, &ev.resource, steps);
    }
    let acl = gates::acls(world, id, check, &target, &bpa, steps);
    if target.foreign_object {
        steps.push(
            GateStep::new(
                Gate::ObjectContext,
                StepOutcome::Info,
                format!("the object is owned by account `{}` while the bucket belongs to `{}`: S3 asks the bucket owner's account for its explicit denies and, for a caller of its own, for the user context; the object owner (through the object ACL) for the grant", target.object_owner, target.bucket_owner),
                docs::OBJECT_OPERATION,
            )
            .action(action)
            .compare("bucket owner", target.bucket_owner.clone())
            .compare("object owner", target.object_owner.clone()),
        );
    }
    // S3 explains a denial in its message when caller and resource share an account or an
    // organization (troubleshoot-403-errors page).
    let organization = |account: &str| {
        world
            .accounts
            .get(account)
            .and_then(|a| a.organization_id.clone())
    };
    let same_organization = organization(&caller_account)
        .is_some_and(|o| Some(o) == organization(&target.resource_owner));
    let facts = decide::Facts {
        id,
        action,
        arn: check.resource.arn(),
        target: &target,
        caller_account,
        same_organization,
        ev: &ev,
        user,
        bucket_policy,
        acl,
        resource_required,
    };
    let verdict = decide::decide(&facts, steps, start);
    drop(facts);
    layers::attach_traces(steps.get_mut(start..).unwrap_or_default(), ev);
    verdict
}

//! Authorization through every gate: the caller's SCP, identity policies, permissions boundary
//! and session policy (S3's *user context*), the bucket policy and bucket ACL (the *bucket
//! context*), the object owner's ACL (the *object context*), with Block Public Access and Object
//! Ownership filtering what may grant. IAM policy evaluation itself is the policy crate's; this
//! module composes it the way S3 does.
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html>,
//! the bucket and object operation workflows, and the IAM evaluation logic
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>).

use s3pg_policy::{
    ContextKeys, ContextValue, Effect, Policy, PolicyEvaluation, PolicyOptions, Principal,
    PrincipalMatch, RequestContext, evaluate_policy_with,
};

use crate::acl::{Acl, Grant, Grantee, Group};
use crate::docs;
use crate::model::{Bucket, ObjectVersion};
use crate::public;
use crate::request::{Request, Scheme};
use crate::time::Timestamp;
use crate::trace::{Deciding, Decision, Gate, GateStep, StatementRef, StepOutcome};
use crate::world::{Identity, IdentityKind, World};

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
}

impl Resource {
    /// The resource ARN.
    pub fn arn(&self) -> String {
        match self {
            Resource::Account(_) => "*".to_owned(),
            Resource::NewBucket { name, .. } | Resource::Bucket(name) => {
                format!("arn:aws:s3:::{name}")
            }
            Resource::Object { bucket, key, .. } => format!("arn:aws:s3:::{bucket}/{key}"),
        }
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

/// The result of authorizing one permission.
#[derive(Debug, Clone)]
pub(crate) struct AuthzResult {
    pub decision: Decision,
    pub steps: Vec<GateStep>,
    pub deciding: Option<Deciding>,
    /// The `AccessDenied` message S3 would send.
    pub message: String,
}

/// Actions whose object-level grant comes from the bucket (writes and deletes): the bucket owner
/// decides them even for objects another account owns.
fn bucket_decides(action: &str) -> bool {
    matches!(
        action,
        "s3:PutObject" | "s3:DeleteObject" | "s3:DeleteObjectVersion"
    )
}

/// The policy-engine principal for an identity.
pub(crate) fn principal_of(world: &World, id: &Identity) -> Principal {
    let account = id.account.clone().unwrap_or_default();
    match &id.kind {
        IdentityKind::Anonymous => Principal::Anonymous,
        IdentityKind::Root => Principal::Root { account },
        IdentityKind::User { name } => Principal::User {
            account,
            name: name.clone(),
            path: "/".to_owned(),
            unique_id: id.user_id.clone(),
        },
        IdentityKind::RoleSession { role, session } => {
            let role_unique_id = world
                .accounts
                .get(&account)
                .and_then(|a| a.roles.get(role))
                .map(|r| r.role_id.clone())
                .filter(|id| !id.is_empty())
                .unwrap_or_else(|| crate::world::role_unique_id(&account, role));
            Principal::AssumedRole {
                account,
                role_name: role.clone(),
                session_name: session.clone(),
                role_path: "/".to_owned(),
                role_unique_id,
            }
        }
    }
}

/// The request context keys S3 derives from the request (never typed by hand).
pub(crate) fn global_keys(
    world: &World,
    id: &Identity,
    req: &Request,
    now: Timestamp,
) -> Vec<(String, String)> {
    let mut keys = Vec::new();
    let net = &req.network;
    keys.push((
        "aws:SecureTransport".to_owned(),
        (net.scheme == Scheme::Https).to_string(),
    ));
    match &net.vpc_endpoint {
        Some(vpce) => {
            keys.push(("aws:SourceVpce".to_owned(), vpce.clone()));
            let vpc = net
                .vpc
                .clone()
                .or_else(|| world.vpc_endpoints.get(vpce).map(|e| e.vpc_id.clone()));
            if let Some(vpc) = vpc {
                keys.push(("aws:SourceVpc".to_owned(), vpc));
            }
            keys.push(("aws:VpcSourceIp".to_owned(), net.source_ip.clone()));
        }
        None => keys.push(("aws:SourceIp".to_owned(), net.source_ip.clone())),
    }
    keys.push(("aws:CurrentTime".to_owned(), now.to_string()));
    keys.push(("aws:EpochTime".to_owned(), now.epoch_seconds().to_string()));
    keys.push(("aws:ViaAWSService".to_owned(), "false".to_owned()));
    if !id.is_anonymous() {
        keys.push((
            "s3:authType".to_owned(),
            req.authentication.auth_type().to_owned(),
        ));
        keys.push((
            "s3:signatureversion".to_owned(),
            "AWS4-HMAC-SHA256".to_owned(),
        ));
        if let Some(age) = id.signature_age_ms {
            keys.push(("s3:signatureAge".to_owned(), age.to_string()));
        }
    }
    if net.scheme == Scheme::Https {
        keys.push(("s3:TlsVersion".to_owned(), "1.2".to_owned()));
    }
    // aws:MultiFactorAuthPresent exists only for temporary credentials.
    if id.temporary {
        keys.push((
            "aws:MultiFactorAuthPresent".to_owned(),
            id.mfa_authenticated_at.is_some().to_string(),
        ));
        if let Some(at) = id.mfa_authenticated_at {
            keys.push((
                "aws:MultiFactorAuthAge".to_owned(),
                now.epoch_seconds()
                    .saturating_sub(at.epoch_seconds())
                    .to_string(),
            ));
        }
        if let Some(at) = id.token_issued_at {
            keys.push(("aws:TokenIssueTime".to_owned(), at.to_string()));
        }
    }
    if let Some(org) = id
        .account
        .as_ref()
        .and_then(|a| world.accounts.get(a))
        .and_then(|a| a.organization_id.clone())
    {
        keys.push(("aws:PrincipalOrgID".to_owned(), org));
    }
    keys
}

/// A parsed policy with the name the trace shows.
struct Layer {
    name: String,
    policy: Policy,
}

fn parse_layer(name: String, doc: &serde_json::Value, notes: &mut Vec<String>) -> Option<Layer> {
    match public::parse_policy(doc) {
        Ok(policy) => Some(Layer { name, policy }),
        Err(e) => {
            notes.push(format!("{name} could not be read and was skipped: {e}"));
            None
        }
    }
}

struct Evaluated {
    name: String,
    eval: PolicyEvaluation,
}

fn refs(e: &Evaluated, indices: &[usize], gate_effect: Effect) -> Vec<StatementRef> {
    indices
        .iter()
        .filter_map(|i| e.eval.statements.get(*i))
        .map(|st| StatementRef {
            policy: e.name.clone(),
            sid: st.sid.clone().filter(|s| !s.is_empty()),
            index: st.index,
            effect: gate_effect.to_string(),
            principal_match: st
                .principal
                .as_ref()
                .and_then(|p| p.principal_match)
                .map(|m| m.describe().to_owned()),
        })
        .collect()
}

fn because(e: &Evaluated, index: usize) -> String {
    e.eval
        .statements
        .get(index)
        .map(|st| {
            let label = st.label();
            match st.because() {
                Some(b) => format!("statement {label} of the {} applies: {b}", e.name),
                None => format!("statement {label} of the {} applies", e.name),
            }
        })
        .unwrap_or_default()
}

/// Evaluates a layer of policies and builds its trace step.
fn layer_step(
    gate: Gate,
    action: &str,
    evals: &[Evaluated],
    empty: &str,
    doc: &str,
) -> (GateStep, bool, bool) {
    let denies = evals.iter().any(|e| e.eval.denies());
    let allows = evals.iter().any(|e| e.eval.allows());
    let mut statements = Vec::new();
    for e in evals {
        statements.extend(refs(e, &e.eval.denies, Effect::Deny));
        statements.extend(refs(e, &e.eval.allows, Effect::Allow));
    }
    let (outcome, text) = if evals.is_empty() {
        (StepOutcome::NotApplicable, empty.to_owned())
    } else if denies {
        let e = evals.iter().find(|e| e.eval.denies());
        let text = e
            .and_then(|e| e.eval.denies.first().map(|i| because(e, *i)))
            .unwrap_or_default();
        (StepOutcome::ExplicitDeny, format!("explicit deny: {text}"))
    } else if allows {
        let e = evals.iter().find(|e| e.eval.allows());
        let text = e
            .and_then(|e| e.eval.allows.first().map(|i| because(e, *i)))
            .unwrap_or_default();
        (StepOutcome::Allow, format!("allowed: {text}"))
    } else {
        let names: Vec<String> = evals.iter().map(|e| format!("the {}", e.name)).collect();
        (
            StepOutcome::ImplicitDeny,
            format!(
                "no statement of {} applies to `{action}` on this resource (no grant here)",
                names.join(", ")
            ),
        )
    };
    let mut step = GateStep::new(gate, outcome, text, doc).action(action);
    step.statements = statements;
    if !evals.is_empty() {
        step.policy_trace = serde_json::to_value(
            evals
                .iter()
                .map(|e| serde_json::json!({ "policy": e.name, "evaluation": e.eval }))
                .collect::<Vec<_>>(),
        )
        .ok();
    }
    (step, denies, allows)
}

/// The ACL that can grant this action, with where it came from.
fn acl_for<'a>(
    bucket: &'a Bucket,
    check: &Check,
    version: Option<&'a ObjectVersion>,
) -> Option<(Gate, Option<&'a Acl>, String)> {
    match &check.resource {
        Resource::Bucket(_) => Some((Gate::BucketAcl, bucket.acl.as_ref(), bucket.owner.clone())),
        Resource::Object { owner, .. } => {
            if bucket_decides(check.action) {
                Some((Gate::BucketAcl, bucket.acl.as_ref(), bucket.owner.clone()))
            } else {
                Some((
                    Gate::ObjectAcl,
                    version.and_then(|v| v.acl.as_ref()),
                    owner.clone(),
                ))
            }
        }
        Resource::Account(_) | Resource::NewBucket { .. } => None,
    }
}

/// How an ACL grant matches the caller: `Some(true)` direct (a group), `Some(false)` via the account.
fn grant_matches(world: &World, id: &Identity, g: &Grant) -> Option<bool> {
    match &g.grantee {
        Grantee::Group(Group::AllUsers) => Some(true),
        Grantee::Group(Group::AuthenticatedUsers) => (!id.is_anonymous()).then_some(true),
        Grantee::Group(Group::LogDelivery) | Grantee::EmailAddress(_) => None,
        Grantee::Account(a) => (id.account.as_deref() == Some(a.as_str())).then_some(false),
        Grantee::CanonicalUser(c) => {
            let mine = id.account.as_deref().map(|a| world.canonical_id(a));
            (mine.as_deref() == Some(c.as_str())).then_some(false)
        }
    }
}

/// Authorizes one permission through every gate.
#[expect(
    clippy::too_many_lines,
    reason = "the gates read best in S3's order, in one place"
)]
pub(crate) fn authorize(
    world: &World,
    id: &Identity,
    req: &Request,
    now: Timestamp,
    check: &Check,
) -> AuthzResult {
    let action = check.action;
    let arn = check.resource.arn();
    let mut steps: Vec<GateStep> = Vec::new();
    let mut notes: Vec<String> = Vec::new();

    // Who owns what.
    let bucket = match &check.resource {
        Resource::Bucket(b) | Resource::Object { bucket: b, .. } => world.buckets.get(b),
        _ => None,
    };
    let bucket_owner = match &check.resource {
        Resource::Account(a) => a.clone(),
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
        Resource::Object { owner, .. } if bucket.is_some_and(Bucket::acls_enabled) => owner.clone(),
        _ => bucket_owner.clone(),
    };
    // The account whose say decides the grant: the object owner for object reads, else the bucket owner.
    let is_object = matches!(check.resource, Resource::Object { .. });
    let resource_owner = if is_object && !bucket_decides(action) {
        object_owner.clone()
    } else {
        bucket_owner.clone()
    };
    let foreign_object = is_object && !bucket_decides(action) && object_owner != bucket_owner;

    // The request context.
    let principal = principal_of(world, id);
    let mut rc = RequestContext::new(principal, action, arn.clone())
        .with_resource_account(resource_owner.clone());
    rc.canonical_user_id = id.account.as_deref().map(|a| world.canonical_id(a));
    for (k, v) in global_keys(world, id, req, now) {
        rc.context.insert(k, v);
    }
    for (k, v) in &check.keys {
        let value = if v.len() == 1 {
            ContextValue::Single(v.first().cloned().unwrap_or_default())
        } else {
            ContextValue::Multi(v.clone())
        };
        rc.context.insert(k.clone(), value);
    }
    let keys: ContextKeys = rc.effective_keys();

    // Gather the layers.
    let account = id.account.as_deref().and_then(|a| world.accounts.get(a));
    let mut identity_layers = Vec::new();
    let mut boundary = None;
    let mut session_policy = None;
    match &id.kind {
        IdentityKind::User { name } => {
            if let Some(u) = account.and_then(|a| a.users.get(name)) {
                for p in &u.policies {
                    identity_layers.extend(parse_layer(
                        format!("identity policy `{}` of user `{name}`", p.name),
                        &p.document,
                        &mut notes,
                    ));
                }
                for g in &u.groups {
                    if let Some(group) = account.and_then(|a| a.groups.get(g)) {
                        for p in &group.policies {
                            identity_layers.extend(parse_layer(
                                format!("identity policy `{}` of group `{g}`", p.name),
                                &p.document,
                                &mut notes,
                            ));
                        }
                    }
                }
                if let Some(b) = &u.permissions_boundary {
                    boundary = parse_layer(
                        format!("permissions boundary of user `{name}`"),
                        b,
                        &mut notes,
                    );
                }
            }
        }
        IdentityKind::RoleSession { role, session } => {
            if let Some(r) = account.and_then(|a| a.roles.get(role)) {
                for p in &r.policies {
                    identity_layers.extend(parse_layer(
                        format!("identity policy `{}` of role `{role}`", p.name),
                        &p.document,
                        &mut notes,
                    ));
                }
                if let Some(b) = &r.permissions_boundary {
                    boundary = parse_layer(
                        format!("permissions boundary of role `{role}`"),
                        b,
                        &mut notes,
                    );
                }
                if let Some(s) = r
                    .sessions
                    .iter()
                    .find(|s| &s.name == session)
                    .and_then(|s| s.session_policy.as_ref())
                {
                    session_policy =
                        parse_layer(format!("session policy of `{session}`"), s, &mut notes);
                }
            }
        }
        IdentityKind::Root | IdentityKind::Anonymous => {}
    }
    let scp = account
        .and_then(|a| a.scp.as_ref())
        .and_then(|d| parse_layer("service control policy".to_owned(), d, &mut notes));
    let bucket_policy = bucket
        .and_then(|b| b.policy.as_ref())
        .and_then(|d| parse_layer("bucket policy".to_owned(), d, &mut notes));
    let endpoint = req
        .network
        .vpc_endpoint
        .as_ref()
        .map(|id| (id.clone(), world.vpc_endpoints.get(id)));
    let vpce_policy = endpoint.as_ref().and_then(|(vid, e)| {
        e.and_then(|e| e.policy.as_ref())
            .and_then(|d| parse_layer(format!("VPC endpoint policy of `{vid}`"), d, &mut notes))
    });

    let options = PolicyOptions {
        principal_has_boundary: boundary.is_some(),
    };
    let eval = |l: &Layer| Evaluated {
        name: l.name.clone(),
        eval: evaluate_policy_with(&l.policy, &rc, &keys, options),
    };
    let scp_e: Vec<Evaluated> = scp.iter().map(eval).collect();
    let identity_e: Vec<Evaluated> = identity_layers.iter().map(eval).collect();
    let boundary_e: Vec<Evaluated> = boundary.iter().map(eval).collect();
    let session_e: Vec<Evaluated> = session_policy.iter().map(eval).collect();
    let bucket_e: Vec<Evaluated> = bucket_policy.iter().map(eval).collect();
    let vpce_e: Vec<Evaluated> = vpce_policy.iter().map(eval).collect();

    for n in &notes {
        steps.push(
            GateStep::new(
                Gate::RequiredPermissions,
                StepOutcome::Info,
                n.clone(),
                docs::IAM_EVALUATION,
            )
            .action(action),
        );
    }

    // --- Organizations SCP (caps the caller's account, root included) ---
    let (mut scp_step, scp_deny, scp_allow) = layer_step(
        Gate::ServiceControlPolicy,
        action,
        &scp_e,
        "the caller's account has no service control policy",
        docs::SCP,
    );
    if !scp_e.is_empty() && !scp_allow && !scp_deny {
        scp_step.explanation = format!(
            "the service control policy does not allow `{action}`, so nothing in the account can do it (SCPs only cap, they never grant)"
        );
    }
    if id.is_anonymous() {
        scp_step.outcome = StepOutcome::NotApplicable;
        scp_step.explanation =
            "anonymous callers belong to no account, so no SCP applies".to_owned();
    }
    steps.push(scp_step);
    let scp_cap_fails = !scp_e.is_empty() && !scp_allow;

    // --- VPC endpoint policy (caps everything that passes through the endpoint, root included) ---
    let (vpce_deny, vpce_cap_fails) = match &endpoint {
        None => (false, false),
        Some((vid, _)) => {
            let (mut step, deny, allow) = layer_step(
                Gate::VpcEndpointPolicy,
                action,
                &vpce_e,
                "",
                docs::VPC_ENDPOINT_POLICY,
            );
            if vpce_e.is_empty() {
                step.explanation = format!(
                    "the request goes through VPC endpoint `{vid}`, whose policy is the default full-access policy: it caps nothing"
                );
            } else if !allow && !deny {
                step.explanation = format!(
                    "the policy of VPC endpoint `{vid}` does not allow `{action}`, so the request cannot pass through it (endpoint policies only cap, they never grant)"
                );
            }
            step = step.compare("aws:SourceVpce", vid.clone());
            steps.push(step);
            (deny, !vpce_e.is_empty() && !allow)
        }
    };

    // --- User context: identity policies, boundary, session policy ---
    let (id_step, id_deny, id_allow) = match &id.kind {
        IdentityKind::Root => (
            GateStep::new(
                Gate::RootUser,
                StepOutcome::Allow,
                "the root user is not subject to identity policies or permissions boundaries: its own account always allows it",
                docs::S3_AUTHZ,
            )
            .action(action),
            false,
            true,
        ),
        IdentityKind::Anonymous => (
            GateStep::new(
                Gate::IdentityPolicy,
                StepOutcome::NotApplicable,
                "an anonymous caller has no identity policies; only a public bucket policy or a public ACL can grant",
                docs::S3_AUTHZ,
            )
            .action(action),
            false,
            false,
        ),
        _ => layer_step(Gate::IdentityPolicy, action, &identity_e, "the caller has no identity policies", docs::IAM_EVALUATION),
    };
    steps.push(id_step);
    let (b_step, b_deny, b_allow) = layer_step(
        Gate::PermissionsBoundary,
        action,
        &boundary_e,
        "no permissions boundary",
        docs::BOUNDARY,
    );
    if !boundary_e.is_empty() {
        let mut s = b_step;
        if !b_allow && !b_deny {
            s.explanation = format!(
                "the permissions boundary does not allow `{action}`: it caps what identity policies can grant"
            );
        }
        steps.push(s);
    }
    let (s_step, s_deny, s_allow) = layer_step(
        Gate::SessionPolicy,
        action,
        &session_e,
        "no session policy",
        docs::SESSION_POLICY,
    );
    if !session_e.is_empty() {
        steps.push(s_step);
    }
    let caps_ok = (boundary_e.is_empty() || b_allow) && (session_e.is_empty() || s_allow);
    let identity_allow = id.is_root() || (!id.is_anonymous() && id_allow && caps_ok);

    // --- Bucket context: bucket policy (with BPA and ownership filtering), bucket ACL ---
    let bpa = bucket
        .map(|b| crate::ops::effective_bpa(world, b))
        .unwrap_or_default();
    let caller_account = id.account.clone().unwrap_or_default();
    let mut bp_deny = false;
    let mut bp_direct = false;
    let mut bp_via_account = false;
    let mut bp_removed_by_bpa = false;
    let mut bp_removed_by_ownership = false;
    let mut bp_grant_ref: Option<StatementRef> = None;
    let mut wildcard_capped = false;
    if matches!(
        check.resource,
        Resource::Bucket(_) | Resource::Object { .. }
    ) {
        let (mut step, deny, _allow) = layer_step(
            Gate::BucketPolicy,
            action,
            &bucket_e,
            "the bucket has no bucket policy",
            docs::S3_AUTHZ,
        );
        if check.root_policy_exempt && deny {
            step.outcome = StepOutcome::NotApplicable;
            step.explanation = "the bucket policy would deny, but the owner's root user is exempt for the bucket-policy APIs".to_owned();
        } else {
            bp_deny = deny;
        }
        let public_policy = bucket_policy
            .as_ref()
            .and_then(|l| public::policy_publicness(&l.policy));
        for e in &bucket_e {
            for &i in &e.eval.allows {
                let Some(st) = e.eval.statements.get(i) else {
                    continue;
                };
                let m = st.principal.as_ref().and_then(|p| p.principal_match);
                let r = refs(e, &[i], Effect::Allow).into_iter().next();
                if foreign_object {
                    bp_removed_by_ownership = true;
                    continue;
                }
                if bpa.restrict_public_buckets
                    && public_policy.is_some()
                    && caller_account != bucket_owner
                    && m != Some(PrincipalMatch::Service)
                {
                    bp_removed_by_bpa = true;
                    continue;
                }
                match m {
                    Some(PrincipalMatch::Account | PrincipalMatch::CanonicalUser) => {
                        bp_via_account = true
                    }
                    Some(m) => {
                        // Grants naming a role (or a federated user's parent) still pass through the
                        // boundary and session policy; so, in the playground, do `*` and NotPrincipal.
                        if !m.bypasses_boundary_and_session() && !caps_ok {
                            wildcard_capped = true;
                        }
                        if m.bypasses_boundary_and_session() || caps_ok {
                            bp_direct = true;
                        } else {
                            continue;
                        }
                    }
                    None => bp_direct = true,
                }
                if bp_grant_ref.is_none() {
                    bp_grant_ref = r;
                }
            }
        }
        if bp_removed_by_ownership && !bp_deny {
            let matched = step
                .explanation
                .strip_prefix("allowed: ")
                .unwrap_or(&step.explanation)
                .to_owned();
            step.explanation = format!(
                "{matched}, but the object is owned by account `{object_owner}`, not the bucket owner `{bucket_owner}`, so bucket-policy Allow statements do not reach it (only its Deny statements do)"
            );
            if step.outcome == StepOutcome::Allow {
                step.outcome = StepOutcome::ImplicitDeny;
            }
        }
        if bp_removed_by_bpa && !bp_direct && !bp_via_account && step.outcome == StepOutcome::Allow
        {
            let matched = step
                .explanation
                .strip_prefix("allowed: ")
                .unwrap_or(&step.explanation)
                .to_owned();
            step.explanation = format!(
                "{matched}, but Block Public Access sets the grant aside because the policy is public (next step)"
            );
            step.outcome = StepOutcome::ImplicitDeny;
        }
        if wildcard_capped {
            step.explanation.push_str(
                "; a grant that does not name the caller's own user or session ARN still has to pass the permissions boundary and session policy, which do not allow it",
            );
            step.undocumented = Some(
                "IAM documents the boundary exemption for grants naming the user or session ARN only; the playground caps `*` and role-ARN grants by the boundary and session policy".to_owned(),
            );
        }
        steps.push(step);
        if bp_removed_by_bpa {
            let mut s = GateStep::new(
                Gate::BlockPublicAccess,
                StepOutcome::ImplicitDeny,
                format!(
                    "`RestrictPublicBuckets` is on and the bucket policy is public ({}), so its grants only reach AWS services and principals of the owner's account `{bucket_owner}`",
                    public_policy.clone().unwrap_or_default()
                ),
                docs::BPA,
            )
            .action(action)
            .compare("RestrictPublicBuckets (effective)", "true")
            .compare("caller account", if caller_account.is_empty() { "anonymous".to_owned() } else { caller_account.clone() });
            s.statements = Vec::new();
            steps.push(s);
        }
    }

    // ACLs.
    let mut acl_direct = false;
    let mut acl_via_account = false;
    let mut acl_removed_by_bpa = false;
    let mut acl_gate = Gate::BucketAcl;
    if let Some(b) = bucket
        && let Some((gate, acl, owner)) = acl_for(b, check, version)
    {
        acl_gate = gate;
        let on_object = gate == Gate::ObjectAcl;
        if !b.acls_enabled() {
            steps.push(
                    GateStep::new(
                        Gate::ObjectOwnership,
                        StepOutcome::NotApplicable,
                        "Object Ownership is `BucketOwnerEnforced`: ACLs are disabled and play no part in authorization; the bucket owner owns every object",
                        docs::OWNERSHIP,
                    )
                    .action(action)
                    .compare("ObjectOwnership", "BucketOwnerEnforced"),
                );
        } else {
            let default_acl;
            let acl = match acl {
                // A canned ACL not yet expanded (a world built without `normalize`).
                Some(a) if a.grants.is_empty() && a.canned.is_some() => {
                    let mut expanded = a.clone();
                    expanded.normalize(&owner, &b.owner, on_object);
                    default_acl = expanded;
                    &default_acl
                }
                Some(a) => a,
                None => {
                    default_acl = Acl::private(&owner);
                    &default_acl
                }
            };
            let mut matched = Vec::new();
            for g in &acl.grants {
                if !g.permission.grants_action(on_object, action) {
                    continue;
                }
                let Some(direct) = grant_matches(world, id, g) else {
                    continue;
                };
                if bpa.ignore_public_acls && g.is_public() {
                    acl_removed_by_bpa = true;
                    continue;
                }
                if direct {
                    acl_direct = true;
                } else {
                    acl_via_account = true;
                }
                matched.push(format!("{} {}", g.grantee, g.permission.as_str()));
            }
            let what = if on_object {
                "object ACL"
            } else {
                "bucket ACL"
            };
            let (outcome, text) = if matched.is_empty() {
                (
                    StepOutcome::ImplicitDeny,
                    format!("no grant in the {what} gives the caller `{action}`"),
                )
            } else {
                (
                    StepOutcome::Allow,
                    format!(
                        "the {what} grants `{action}` through {}",
                        matched.join(", ")
                    ),
                )
            };
            let mut s = GateStep::new(gate, outcome, text, docs::ACL).action(action);
            for g in &acl.grants {
                s = s.compare("grant", format!("{} {}", g.grantee, g.permission.as_str()));
            }
            steps.push(s);
            if acl_removed_by_bpa {
                steps.push(
                        GateStep::new(
                            Gate::BlockPublicAccess,
                            StepOutcome::ImplicitDeny,
                            format!("`IgnorePublicAcls` is on, so the {what}'s grants to AllUsers and AuthenticatedUsers are treated as absent"),
                            docs::BPA,
                        )
                        .action(action)
                        .compare("IgnorePublicAcls (effective)", "true"),
                    );
            }
        }
    }
    if foreign_object {
        steps.push(
            GateStep::new(
                Gate::ObjectContext,
                StepOutcome::Info,
                format!("the object is owned by account `{object_owner}` while the bucket belongs to `{bucket_owner}`: S3 asks the bucket owner only for explicit denies, and the object owner (through the object ACL) for the grant"),
                docs::OBJECT_OPERATION,
            )
            .action(action)
            .compare("bucket owner", bucket_owner.clone())
            .compare("object owner", object_owner.clone()),
        );
    }

    // --- Decide ---
    let direct = bp_direct || acl_direct;
    let via_account = bp_via_account || acl_via_account;
    let same_account = !id.is_anonymous() && caller_account == resource_owner;
    let explicit = scp_deny || vpce_deny || id_deny || b_deny || s_deny || bp_deny;
    let granted = if id.is_anonymous() {
        direct
    } else if same_account {
        identity_allow || direct
    } else {
        identity_allow && (direct || via_account)
    };
    let decision = if explicit {
        Decision::ExplicitDeny
    } else if scp_cap_fails || vpce_cap_fails || !granted {
        Decision::ImplicitDeny
    } else {
        Decision::Allow
    };

    // Which gate decided, and the summary sentence.
    let first_deny = |evals: &[Evaluated]| -> Option<StatementRef> {
        evals
            .iter()
            .find_map(|e| refs(e, &e.eval.denies, Effect::Deny).into_iter().next())
    };
    let first_allow = |evals: &[Evaluated]| -> Option<StatementRef> {
        evals
            .iter()
            .find_map(|e| refs(e, &e.eval.allows, Effect::Allow).into_iter().next())
    };
    let resource_gate = if foreign_object {
        Gate::ObjectContext
    } else {
        Gate::BucketContext
    };
    let (gate, statement, summary, policy_type) = match decision {
        Decision::ExplicitDeny => {
            let (gate, st, kind) = if scp_deny {
                (
                    Gate::ServiceControlPolicy,
                    first_deny(&scp_e),
                    "service control",
                )
            } else if vpce_deny {
                (Gate::VpcEndpointPolicy, first_deny(&vpce_e), "VPC endpoint")
            } else if bp_deny {
                (Gate::BucketPolicy, first_deny(&bucket_e), "resource-based")
            } else if id_deny {
                (
                    Gate::IdentityPolicy,
                    first_deny(&identity_e),
                    "identity-based",
                )
            } else if b_deny {
                (
                    Gate::PermissionsBoundary,
                    first_deny(&boundary_e),
                    "permissions boundary",
                )
            } else {
                (Gate::SessionPolicy, first_deny(&session_e), "session")
            };
            let label = st.as_ref().map(StatementRef::label).unwrap_or_default();
            (
                gate,
                st,
                format!(
                    "denied: statement `{label}` explicitly denies `{action}`, and an explicit deny overrides every allow"
                ),
                Some(kind),
            )
        }
        Decision::ImplicitDeny if vpce_cap_fails && !scp_cap_fails => (
            Gate::VpcEndpointPolicy,
            None,
            format!("denied: the VPC endpoint policy does not allow `{action}`"),
            Some("VPC endpoint"),
        ),
        Decision::ImplicitDeny if scp_cap_fails => (
            Gate::ServiceControlPolicy,
            None,
            format!("denied: the service control policy does not allow `{action}`"),
            Some("service control"),
        ),
        Decision::ImplicitDeny => {
            let bpa_blocked = bp_removed_by_bpa || acl_removed_by_bpa;
            if id.is_anonymous() {
                let gate = if bpa_blocked {
                    Gate::BlockPublicAccess
                } else {
                    resource_gate
                };
                (
                    gate,
                    None,
                    format!("denied: nothing public grants `{action}` to anonymous callers"),
                    None,
                )
            } else if (same_account || !identity_allow) && !(same_account && bpa_blocked) {
                let (gate, text, kind) = if !id_allow {
                    (
                        Gate::IdentityPolicy,
                        format!("no identity-based policy allows `{action}`"),
                        "identity-based",
                    )
                } else if !boundary_e.is_empty() && !b_allow {
                    (
                        Gate::PermissionsBoundary,
                        format!("the permissions boundary does not allow `{action}`"),
                        "permissions boundary",
                    )
                } else {
                    (
                        Gate::SessionPolicy,
                        format!("the session policy does not allow `{action}`"),
                        "session",
                    )
                };
                let text = if same_account {
                    format!(
                        "denied: {text}, and no resource policy or ACL names the caller directly"
                    )
                } else {
                    format!(
                        "denied: the caller's own account does not allow it — {text}; cross-account access needs both sides"
                    )
                };
                (gate, None, text, Some(kind))
            } else if bpa_blocked {
                (
                    Gate::BlockPublicAccess,
                    None,
                    format!(
                        "denied: Block Public Access set aside the grant that would have allowed `{action}`"
                    ),
                    None,
                )
            } else {
                let text = if foreign_object {
                    format!(
                        "denied: the object owner `{object_owner}` grants nothing to the caller in the object ACL (bucket-policy grants never reach objects another account owns)"
                    )
                } else {
                    format!(
                        "denied: the caller's account allows it, but the bucket owner `{bucket_owner}` grants nothing to the caller or its account; cross-account access needs both sides"
                    )
                };
                (resource_gate, None, text, Some("resource-based"))
            }
        }
        Decision::Allow => {
            let (gate, st, text) = if id.is_root() && same_account {
                (
                    Gate::RootUser,
                    None,
                    "allowed: the root user of the owning account".to_owned(),
                )
            } else if same_account && identity_allow && !direct {
                (
                    Gate::IdentityPolicy,
                    first_allow(&identity_e),
                    "allowed by the caller's identity policy".to_owned(),
                )
            } else if bp_direct || (bp_via_account && !acl_direct && !acl_via_account) {
                let how = if same_account {
                    "allowed by the bucket policy"
                } else {
                    "allowed: the caller's account allows it and the bucket policy grants it"
                };
                (Gate::BucketPolicy, bp_grant_ref.clone(), how.to_owned())
            } else {
                (
                    acl_gate,
                    None,
                    format!(
                        "allowed by an ACL grant in the {}",
                        if acl_gate == Gate::ObjectAcl {
                            "object ACL"
                        } else {
                            "bucket ACL"
                        }
                    ),
                )
            };
            (gate, st, text, None)
        }
    };
    let mut summary_step = GateStep::new(
        match (is_object, foreign_object) {
            (_, true) => Gate::ObjectContext,
            (true, false) | (false, _) if !same_account && !id.is_anonymous() => {
                Gate::BucketContext
            }
            _ => Gate::UserContext,
        },
        match decision {
            Decision::Allow => StepOutcome::Allow,
            Decision::ExplicitDeny => StepOutcome::ExplicitDeny,
            Decision::ImplicitDeny => StepOutcome::ImplicitDeny,
        },
        summary.clone(),
        if same_account || id.is_anonymous() {
            docs::S3_AUTHZ
        } else {
            docs::CROSS_ACCOUNT
        },
    )
    .action(action)
    .compare(
        "caller account",
        if id.is_anonymous() {
            "anonymous".to_owned()
        } else {
            caller_account.clone()
        },
    )
    .compare("resource owner", resource_owner.clone())
    .compare("identity allows", identity_allow.to_string())
    .compare("resource grants caller directly", direct.to_string())
    .compare("resource grants caller's account", via_account.to_string());
    // Mark the deciding step: the last step of the deciding gate, else the summary.
    let mut marked = false;
    if gate == summary_step.gate {
        // The summary itself is the deciding step.
    } else if decision != Decision::Allow || gate != Gate::RootUser {
        if let Some(s) = steps.iter_mut().rev().find(|s| s.gate == gate) {
            s.deciding = true;
            marked = true;
        }
    } else if let Some(s) = steps.iter_mut().rev().find(|s| s.gate == Gate::RootUser) {
        s.deciding = true;
        marked = true;
    }
    summary_step.deciding = !marked;
    steps.push(summary_step);

    let message = match (decision, policy_type) {
        (Decision::Allow, _) => String::new(),
        (_, Some(kind)) if same_account && !id.is_root() => {
            let why = if decision == Decision::ExplicitDeny {
                format!("with an explicit deny in a {kind} policy")
            } else {
                format!("because no {kind} policy allows the {action} action")
            };
            format!(
                "User: {} is not authorized to perform: {action} on resource: \"{arn}\" {why}",
                id.arn
            )
        }
        _ => "Access Denied".to_owned(),
    };
    AuthzResult {
        decision,
        steps,
        deciding: Some(Deciding {
            gate,
            action: Some(action.to_owned()),
            statement,
        }),
        message,
    }
}

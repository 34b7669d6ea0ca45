//! The gate steps of one permission, in S3's order, each returning the typed facts the decision
//! table reads: the caps and the caller's own policies (S3's *user context*), the bucket policy
//! as Block Public Access and Object Ownership filter it (the *bucket context*), and the ACLs
//! (the bucket ACL, or the object owner's ACL — the *object context*).
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html>,
//! Block Public Access (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html>)
//! and Object Ownership (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html>).

use s3pg_policy::{Effect, LayerEvaluation, Policy, PolicyEvaluation, PolicyRef, PrincipalMatch};

use super::layers::{layer_step, refs, verdicts};
use super::{Check, Resource, Target, bucket_decides};
use crate::acl::{Acl, Grant, Grantee, Group};
use crate::docs;
use crate::model::{Bucket, ObjectVersion, PublicAccessBlock};
use crate::public;
use crate::request::Request;
use crate::trace::{Gate, GateStep, StatementRef, StepOutcome};
use crate::world::{Identity, IdentityKind, World};

/// What the caps and the caller's own policies concluded.
pub(super) struct UserContext {
    pub scp_deny: bool,
    pub scp_cap_fails: bool,
    pub vpce_deny: bool,
    pub vpce_cap_fails: bool,
    pub id_deny: bool,
    /// Some identity policy allows (before the boundary and session policy cap it).
    pub id_allow: bool,
    pub boundary_deny: bool,
    pub boundary_allow: bool,
    pub session_deny: bool,
    /// The boundary and session policy let identity grants through.
    pub caps_ok: bool,
    /// The caller's identity policies allow it, capped (root: always).
    pub identity_allow: bool,
}

/// The cap layers' steps: the Organizations SCP (caps the caller's account, root included) and
/// the VPC endpoint policy (caps whatever passes through the endpoint). Returns whether each
/// explicitly denied.
fn caps(
    id: &Identity,
    req: &Request,
    action: &'static str,
    ev: &LayerEvaluation<'_>,
    steps: &mut Vec<GateStep>,
) -> (bool, bool) {
    // Organizations SCP: caps the caller's account, root included.
    let mut scp_step = layer_step(
        Gate::ServiceControlPolicy,
        action,
        &ev.scps,
        "the caller's account has no service control policy",
        docs::SCP,
    );
    let (scp_deny, scp_allow) = verdicts(&ev.scps);
    if !ev.scps.is_empty() && !scp_allow && !scp_deny {
        scp_step.explanation = format!(
            "the service control policy does not allow `{action}`, so nothing in the account can do it (SCPs only cap, they never grant)"
        );
    }
    if id.is_anonymous() {
        scp_step.outcome = StepOutcome::NotApplicable;
        scp_step.explanation =
            "anonymous callers belong to no account, so no SCP applies".to_owned();
    } else if let Some(service) = id.service_name() {
        scp_step.outcome = StepOutcome::NotApplicable;
        scp_step.explanation = format!(
            "the AWS service `{service}` acts in no account of an organization, so no SCP applies"
        );
    }
    steps.push(scp_step);

    // VPC endpoint policy: caps everything that passes through the endpoint, root included.
    let (vpce_deny, vpce_allow) = verdicts(&ev.vpc_endpoint);
    if let Some(vid) = &req.network.vpc_endpoint {
        let mut step = layer_step(
            Gate::VpcEndpointPolicy,
            action,
            &ev.vpc_endpoint,
            "",
            docs::VPC_ENDPOINT_POLICY,
        );
        if ev.vpc_endpoint.is_empty() {
            step.explanation = format!(
                "the request goes through VPC endpoint `{vid}`, whose policy is the default full-access policy: it caps nothing"
            );
        } else if !vpce_allow && !vpce_deny {
            step.explanation = format!(
                "the policy of VPC endpoint `{vid}` does not allow `{action}`, so the request cannot pass through it (endpoint policies only cap, they never grant)"
            );
        }
        steps.push(step.compare("aws:SourceVpce", vid.clone()));
    }
    (scp_deny, vpce_deny)
}

/// The SCP, VPC endpoint, identity, boundary and session steps.
pub(super) fn user_context(
    id: &Identity,
    req: &Request,
    action: &'static str,
    ev: &LayerEvaluation<'_>,
    steps: &mut Vec<GateStep>,
) -> UserContext {
    let (scp_deny, vpce_deny) = caps(id, req, action, ev, steps);

    // The caller's identity policies, boundary and session policy.
    let (id_deny, id_allow) = match &id.kind {
        IdentityKind::Root => {
            steps.push(
                GateStep::new(
                    Gate::RootUser,
                    StepOutcome::Allow,
                    "the root user is not subject to identity policies or permissions boundaries: its own account always allows it",
                    docs::S3_AUTHZ,
                )
                .action(action),
            );
            (false, true)
        }
        IdentityKind::Anonymous => {
            steps.push(
                GateStep::new(
                    Gate::IdentityPolicy,
                    StepOutcome::NotApplicable,
                    "an anonymous caller has no identity policies; only a public bucket policy or a public ACL can grant",
                    docs::S3_AUTHZ,
                )
                .action(action),
            );
            (false, false)
        }
        IdentityKind::Service { service } => {
            steps.push(
                GateStep::new(
                    Gate::IdentityPolicy,
                    StepOutcome::NotApplicable,
                    format!("the AWS service `{service}` has no identity policies: only a bucket policy naming it (or, for log delivery, an ACL grant to the Log Delivery group) can grant"),
                    docs::S3_AUTHZ,
                )
                .action(action),
            );
            (false, false)
        }
        _ => {
            steps.push(layer_step(
                Gate::IdentityPolicy,
                action,
                &ev.identity,
                "the caller has no identity policies",
                docs::IAM_EVALUATION,
            ));
            verdicts(&ev.identity)
        }
    };
    let (boundary_deny, boundary_allow) = verdicts(&ev.boundary);
    if !ev.boundary.is_empty() {
        let mut s = layer_step(
            Gate::PermissionsBoundary,
            action,
            &ev.boundary,
            "no permissions boundary",
            docs::BOUNDARY,
        );
        if !boundary_allow && !boundary_deny {
            s.explanation = format!(
                "the permissions boundary does not allow `{action}`: it caps what identity policies can grant"
            );
        }
        steps.push(s);
    }
    let (session_deny, _) = verdicts(&ev.session);
    if !ev.session.is_empty() {
        steps.push(layer_step(
            Gate::SessionPolicy,
            action,
            &ev.session,
            "no session policy",
            docs::SESSION_POLICY,
        ));
    }
    UserContext {
        scp_deny,
        scp_cap_fails: !ev.cap_allows(s3pg_policy::Layer::Scp),
        vpce_deny,
        vpce_cap_fails: !ev.cap_allows(s3pg_policy::Layer::VpcEndpoint),
        id_deny,
        id_allow,
        boundary_deny,
        boundary_allow,
        session_deny,
        caps_ok: ev.boundary_ok && ev.session_ok,
        identity_allow: ev.identity_allow(),
    }
}

/// What the bucket policy contributes once S3 has filtered it.
#[derive(Default)]
pub(super) struct BucketPolicyFacts {
    pub deny: bool,
    /// An `Allow` names the caller (or `*`) and reaches the resource.
    pub direct: bool,
    /// An `Allow` names the caller's account (delegation).
    pub via_account: bool,
    /// The object belongs to another account, but the caller is of the bucket owner's account
    /// and an `Allow` names it: the grant speaks for the caller's account (user context).
    pub user_context_grant: bool,
    pub removed_by_bpa: bool,
    pub grant_ref: Option<StatementRef>,
}

/// What the bucket-policy gate needs besides the evaluation.
pub(super) struct BucketPolicyInput<'a> {
    pub id: &'a Identity,
    pub check: &'a Check,
    pub target: &'a Target<'a>,
    pub bpa: &'a PublicAccessBlock,
    pub caller_account: &'a str,
    pub caps_ok: bool,
    pub parsed: Option<&'a Policy>,
}

/// The bucket policy step (and Block Public Access's `RestrictPublicBuckets` step).
pub(super) fn bucket_policy(
    input: &BucketPolicyInput<'_>,
    evals: &[(PolicyRef<'_>, PolicyEvaluation)],
    steps: &mut Vec<GateStep>,
) -> BucketPolicyFacts {
    let BucketPolicyInput {
        id,
        check,
        target,
        bpa,
        caller_account,
        caps_ok,
        parsed,
    } = *input;
    let mut f = BucketPolicyFacts::default();
    if !matches!(
        check.resource,
        Resource::Bucket(_) | Resource::Object { .. }
    ) {
        return f;
    }
    let action = check.action;
    let bucket_owner = target.bucket_owner.as_str();
    let mut step = layer_step(
        Gate::BucketPolicy,
        action,
        evals,
        "the bucket has no bucket policy",
        docs::S3_AUTHZ,
    );
    let (deny, _) = verdicts(evals);
    if check.root_policy_exempt && deny {
        step.outcome = StepOutcome::NotApplicable;
        step.explanation = "the bucket policy would deny, but the owner's root user is exempt for the bucket-policy APIs".to_owned();
    } else {
        f.deny = deny;
    }
    let public_policy = parsed.and_then(public::policy_publicness);
    let owners_caller = !id.is_anonymous() && caller_account == bucket_owner;
    let mut removed_by_ownership = false;
    let mut wildcard_capped = false;
    for e in evals {
        for &i in &e.1.allows {
            let Some(st) = e.1.statements.get(i) else {
                continue;
            };
            let m = st.principal.as_ref().and_then(|p| p.principal_match);
            let r = refs(e, &[i], Effect::Allow).into_iter().next();
            let names_caller = match m {
                Some(m) => m.is_direct() && (m.bypasses_boundary_and_session() || caps_ok),
                None => true,
            };
            if target.foreign_object {
                // Object context: only the object owner grants. The bucket owner's Allow still
                // speaks for its own callers' user context (walkthrough 3).
                if owners_caller && names_caller {
                    f.user_context_grant = true;
                    if f.grant_ref.is_none() {
                        f.grant_ref = r;
                    }
                } else {
                    removed_by_ownership = true;
                }
                continue;
            }
            if bpa.restrict_public_buckets
                && public_policy.is_some()
                && caller_account != bucket_owner
                && m != Some(PrincipalMatch::Service)
            {
                f.removed_by_bpa = true;
                continue;
            }
            match m {
                Some(PrincipalMatch::Account | PrincipalMatch::CanonicalUser) => {
                    f.via_account = true;
                }
                Some(m) => {
                    // Grants naming a role (or a federated user's parent) still pass through the
                    // boundary and session policy; so, in the playground, do `*` and NotPrincipal.
                    if !m.bypasses_boundary_and_session() && !caps_ok {
                        wildcard_capped = true;
                        continue;
                    }
                    f.direct = true;
                }
                None => f.direct = true,
            }
            if f.grant_ref.is_none() {
                f.grant_ref = r;
            }
        }
    }
    explain_filters(
        step,
        &f,
        Filtered {
            removed_by_ownership,
            wildcard_capped,
            public_policy: public_policy.as_deref(),
        },
        target,
        caller_account,
        action,
        steps,
    );
    f
}

/// What S3's filters set aside from the bucket policy's grants.
struct Filtered<'a> {
    removed_by_ownership: bool,
    wildcard_capped: bool,
    public_policy: Option<&'a str>,
}

/// Rewrites the bucket-policy step to say what Object Ownership, Block Public Access and the
/// boundary set aside, pushes it, and adds `RestrictPublicBuckets`'s own step when it applied.
fn explain_filters(
    mut step: GateStep,
    f: &BucketPolicyFacts,
    filtered: Filtered<'_>,
    target: &Target<'_>,
    caller_account: &str,
    action: &'static str,
    steps: &mut Vec<GateStep>,
) {
    let Filtered {
        removed_by_ownership,
        wildcard_capped,
        public_policy,
    } = filtered;
    let bucket_owner = target.bucket_owner.as_str();
    let matched = |step: &GateStep| {
        step.explanation
            .strip_prefix("allowed: ")
            .unwrap_or(&step.explanation)
            .to_owned()
    };
    if f.user_context_grant && !f.deny {
        step.explanation = format!(
            "{}; the object is owned by account `{}`, not the bucket owner `{bucket_owner}`, so this grant speaks only for the caller's own account (the user context): the object owner must still grant through the object ACL",
            matched(&step),
            target.object_owner
        );
    } else if removed_by_ownership && !f.deny {
        step.explanation = format!(
            "{}, but the object is owned by account `{}`, not the bucket owner `{bucket_owner}`, so bucket-policy Allow statements do not reach it (only its Deny statements do)",
            matched(&step),
            target.object_owner
        );
        if step.outcome == StepOutcome::Allow {
            step.outcome = StepOutcome::ImplicitDeny;
        }
    }
    if f.removed_by_bpa && !f.direct && !f.via_account && step.outcome == StepOutcome::Allow {
        step.explanation = format!(
            "{}, but Block Public Access sets the grant aside because the policy is public (next step)",
            matched(&step)
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
    if f.removed_by_bpa {
        let mut s = GateStep::new(
            Gate::BlockPublicAccess,
            StepOutcome::ImplicitDeny,
            format!(
                "`RestrictPublicBuckets` is on and the bucket policy is public ({}), so its grants only reach AWS services and principals of the owner's account `{bucket_owner}`",
                public_policy.unwrap_or_default()
            ),
            docs::BPA,
        )
        .action(action)
        .compare("RestrictPublicBuckets (effective)", "true")
        .compare(
            "caller account",
            if caller_account.is_empty() {
                "anonymous".to_owned()
            } else {
                caller_account.to_owned()
            },
        );
        s.statements = Vec::new();
        steps.push(s);
    }
}

/// What the ACLs contribute.
pub(super) struct AclFacts {
    /// A grant to a group the caller is in.
    pub direct: bool,
    /// A grant to the caller's account.
    pub via_account: bool,
    /// `IgnorePublicAcls` set a matching public grant aside.
    pub removed_by_bpa: bool,
    /// The ACL consulted.
    pub gate: Gate,
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
        Resource::Account(_)
        | Resource::NewBucket { .. }
        | Resource::Iam { .. }
        | Resource::Role { .. } => None,
    }
}

/// How an ACL grant matches the caller: `Some(true)` direct (a group), `Some(false)` via the account.
fn grant_matches(world: &World, id: &Identity, g: &Grant) -> Option<bool> {
    // An AWS service is in no account; the log delivery service is the Log Delivery group.
    if let Some(service) = id.service_name() {
        let log_delivery = g.grantee == Grantee::Group(Group::LogDelivery)
            && service == s3pg_audit::LOGGING_SERVICE_PRINCIPAL;
        return log_delivery.then_some(true);
    }
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

/// The Object Ownership step (ACLs disabled) or the ACL step (and `IgnorePublicAcls`).
pub(super) fn acls(
    world: &World,
    id: &Identity,
    check: &Check,
    target: &Target<'_>,
    bpa: &PublicAccessBlock,
    steps: &mut Vec<GateStep>,
) -> AclFacts {
    let action = check.action;
    let mut f = AclFacts {
        direct: false,
        via_account: false,
        removed_by_bpa: false,
        gate: Gate::BucketAcl,
    };
    let Some(b) = target.bucket else {
        return f;
    };
    let Some((gate, acl, owner)) = acl_for(b, check, target.version) else {
        return f;
    };
    f.gate = gate;
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
        return f;
    }
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
            f.removed_by_bpa = true;
            continue;
        }
        if direct {
            f.direct = true;
        } else {
            f.via_account = true;
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
    if f.removed_by_bpa {
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
    f
}

//! The decision table: the facts of every policy layer (from `s3pg-policy`) and of S3's own
//! gates in, one decision, the deciding gate and statement, the summary step and S3's
//! `AccessDenied` message out. Written as a truth table, like Cedar's `is_authorized`.
//!
//! Follows S3's authorization workflow
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html>),
//! its object-operation variant
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-auth-workflow-object-operation.html>)
//! and S3's enhanced AccessDenied messages
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html>).

use s3pg_policy::LayerEvaluation;

use super::gates::{AclFacts, BucketPolicyFacts, UserContext};
use super::layers::{first_allow, first_deny};
use super::{AuthzVerdict, Target};
use crate::docs;
use crate::trace::{Deciding, Decision, Gate, GateStep, StatementRef, StepOutcome};
use crate::world::Identity;

/// Everything the table reads.
pub(super) struct Facts<'a> {
    pub id: &'a Identity,
    pub action: &'static str,
    pub arn: String,
    pub target: &'a Target<'a>,
    pub caller_account: String,
    /// Caller and resource owner belong to the same AWS Organizations organization.
    pub same_organization: bool,
    pub ev: &'a LayerEvaluation<'a>,
    pub user: UserContext,
    pub bucket_policy: BucketPolicyFacts,
    pub acl: AclFacts,
    /// The resource-based policy must grant (a role's trust policy): an identity policy alone
    /// never lets a caller assume a role.
    pub resource_required: bool,
}

/// Which gate decided, the statement, the summary sentence and the policy type AWS names in its
/// message.
struct Verdict {
    gate: Gate,
    statement: Option<StatementRef>,
    summary: String,
    policy_type: Option<&'static str>,
}

/// Decides, marks the deciding step (among the permission's steps, `steps[start..]`) and
/// appends the summary step.
pub(super) fn decide(f: &Facts<'_>, steps: &mut Vec<GateStep>, start: usize) -> AuthzVerdict {
    let (u, bp, acl, t) = (&f.user, &f.bucket_policy, &f.acl, f.target);
    let anonymous = f.id.is_anonymous();
    // An AWS service acting on its own (log delivery, CloudTrail) is, like an anonymous caller,
    // in no account: only a resource grant naming it can allow.
    let service = f.id.service_name().is_some();
    let direct = bp.direct || acl.direct;
    let via_account = bp.via_account || acl.via_account;
    let same_account = !anonymous && !service && f.caller_account == t.resource_owner;
    // The user context: the caller's own account allows — its identity policies or, when the
    // caller's account owns the bucket of an object another account owns, its bucket policy.
    let user_allows = u.identity_allow || bp.user_context_grant;
    let explicit =
        u.scp_deny || u.vpce_deny || u.id_deny || u.boundary_deny || u.session_deny || bp.deny;
    let granted = match (anonymous || service, same_account) {
        // anonymous: only a grant to everyone (bucket policy `*`, AllUsers ACL) can allow;
        // a service: only a grant naming it (bucket policy `Service`, Log Delivery group ACL)
        (true, _) => direct,
        // assuming a role: the trust policy must allow — naming the caller, or naming its
        // account and the caller's identity policy allowing
        (false, true) if f.resource_required => direct || (via_account && u.identity_allow),
        // the resource owner's own caller: its identity policies, or a resource grant naming it
        (false, true) => u.identity_allow || direct,
        // across accounts: the caller's account and the resource owner must both allow
        (false, false) => user_allows && (direct || via_account),
    };
    let decision = match (explicit, u.scp_cap_fails || u.vpce_cap_fails, granted) {
        // an explicit deny in any layer overrides every allow
        (true, _, _) => Decision::ExplicitDeny,
        // a cap layer (SCP, VPC endpoint policy) that does not allow caps every grant
        (false, true, _) => Decision::ImplicitDeny,
        // nothing granted: S3 denies by default
        (false, false, false) => Decision::ImplicitDeny,
        (false, false, true) => Decision::Allow,
    };
    let v = match decision {
        Decision::ExplicitDeny => explicit_verdict(f),
        Decision::ImplicitDeny => implicit_verdict(f, same_account, user_allows),
        Decision::Allow => allow_verdict(f, same_account, direct),
    };
    let mut summary_step = GateStep::new(
        match (t.is_object, t.foreign_object) {
            (_, true) => Gate::ObjectContext,
            _ if !same_account && !anonymous => Gate::BucketContext,
            _ => Gate::UserContext,
        },
        match decision {
            Decision::Allow => StepOutcome::Allow,
            Decision::ExplicitDeny => StepOutcome::ExplicitDeny,
            Decision::ImplicitDeny => StepOutcome::ImplicitDeny,
        },
        v.summary.clone(),
        if same_account || anonymous {
            docs::S3_AUTHZ
        } else {
            docs::CROSS_ACCOUNT
        },
    )
    .action(f.action)
    .compare(
        "caller account",
        match f.id.service_name() {
            _ if anonymous => "anonymous".to_owned(),
            Some(s) => format!("none (AWS service `{s}`)"),
            None => f.caller_account.clone(),
        },
    )
    .compare("resource owner", t.resource_owner.clone())
    .compare("identity allows", u.identity_allow.to_string())
    .compare("resource grants caller directly", direct.to_string())
    .compare("resource grants caller's account", via_account.to_string());
    if bp.user_context_grant {
        summary_step = summary_step.compare("bucket policy allows in the user context", "true");
    }
    if !same_account && f.same_organization {
        summary_step = summary_step.compare("same organization", "true");
    }
    // Mark the deciding step: the last step of the deciding gate, else the summary.
    let marked = v.gate != summary_step.gate
        && steps
            .iter_mut()
            .skip(start)
            .rev()
            .find(|s| s.gate == v.gate)
            .map(|s| s.deciding = true)
            .is_some();
    summary_step.deciding = !marked;
    steps.push(summary_step);
    let message = match (decision, v.policy_type) {
        (Decision::Allow, _) => String::new(),
        // Same account or same organization: the enhanced message names the caller, the
        // action, the resource and the kind of policy that denied; elsewhere, `Access Denied`.
        (_, Some(kind))
            if (same_account || f.same_organization) && !anonymous && !f.id.is_root() =>
        {
            let why = if decision == Decision::ExplicitDeny {
                format!("with an explicit deny in a {kind} policy")
            } else {
                format!("because no {kind} policy allows the {} action", f.action)
            };
            format!(
                "User: {} is not authorized to perform: {} on resource: \"{}\" {why}",
                f.id.arn, f.action, f.arn
            )
        }
        _ => "Access Denied".to_owned(),
    };
    AuthzVerdict {
        decision,
        deciding: Some(Deciding {
            gate: v.gate,
            action: Some(f.action.to_owned()),
            statement: v.statement,
        }),
        message,
    }
}

/// An explicit deny: the first layer, in S3's order, whose `Deny` applied.
fn explicit_verdict(f: &Facts<'_>) -> Verdict {
    let (u, ev) = (&f.user, f.ev);
    let (gate, statement, kind) = if u.scp_deny {
        (
            Gate::ServiceControlPolicy,
            first_deny(&ev.scps),
            "service control",
        )
    } else if u.vpce_deny {
        (
            Gate::VpcEndpointPolicy,
            first_deny(&ev.vpc_endpoint),
            "VPC endpoint",
        )
    } else if f.bucket_policy.deny {
        (
            if f.resource_required {
                Gate::TrustPolicy
            } else {
                Gate::BucketPolicy
            },
            first_deny(&ev.resource),
            "resource-based",
        )
    } else if u.id_deny {
        (
            Gate::IdentityPolicy,
            first_deny(&ev.identity),
            "identity-based",
        )
    } else if u.boundary_deny {
        (
            Gate::PermissionsBoundary,
            first_deny(&ev.boundary),
            "permissions boundary",
        )
    } else {
        (Gate::SessionPolicy, first_deny(&ev.session), "session")
    };
    let label = statement
        .as_ref()
        .map(StatementRef::label)
        .unwrap_or_default();
    Verdict {
        gate,
        statement,
        summary: format!(
            "denied: statement `{label}` explicitly denies `{}`, and an explicit deny overrides every allow",
            f.action
        ),
        policy_type: Some(kind),
    }
}

/// An implicit deny: a cap that did not allow, or the side that granted nothing.
fn implicit_verdict(f: &Facts<'_>, same_account: bool, user_allows: bool) -> Verdict {
    let (u, t, action) = (&f.user, f.target, f.action);
    let verdict = |gate, summary: String, policy_type| Verdict {
        gate,
        statement: None,
        summary,
        policy_type,
    };
    if u.vpce_cap_fails && !u.scp_cap_fails {
        return verdict(
            Gate::VpcEndpointPolicy,
            format!("denied: the VPC endpoint policy does not allow `{action}`"),
            Some("VPC endpoint"),
        );
    }
    if u.scp_cap_fails {
        return verdict(
            Gate::ServiceControlPolicy,
            format!("denied: the service control policy does not allow `{action}`"),
            Some("service control"),
        );
    }
    if f.resource_required && !f.bucket_policy.direct && !f.bucket_policy.via_account {
        return verdict(
            Gate::TrustPolicy,
            format!(
                "denied: the role's trust policy does not allow the caller to `{action}` it; an identity policy alone never lets anyone assume a role"
            ),
            Some("resource-based"),
        );
    }
    let resource_gate = if t.foreign_object {
        Gate::ObjectContext
    } else {
        Gate::BucketContext
    };
    let bpa_blocked = f.bucket_policy.removed_by_bpa || f.acl.removed_by_bpa;
    if f.id.is_anonymous() {
        return verdict(
            if bpa_blocked {
                Gate::BlockPublicAccess
            } else {
                resource_gate
            },
            format!("denied: nothing public grants `{action}` to anonymous callers"),
            None,
        );
    }
    if let Some(service) = f.id.service_name() {
        return verdict(
            resource_gate,
            format!(
                "denied: neither the bucket policy nor an ACL grant lets the AWS service `{service}` `{action}` here"
            ),
            Some("resource-based"),
        );
    }
    if (same_account || !user_allows) && !(same_account && bpa_blocked) {
        let (gate, text, kind) = if !u.id_allow {
            (
                Gate::IdentityPolicy,
                format!("no identity-based policy allows `{action}`"),
                "identity-based",
            )
        } else if !f.ev.boundary.is_empty() && !u.boundary_allow {
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
            format!("denied: {text}, and no resource policy or ACL names the caller directly")
        } else {
            format!(
                "denied: the caller's own account does not allow it — {text}; cross-account access needs both sides"
            )
        };
        return verdict(gate, text, Some(kind));
    }
    if bpa_blocked {
        return verdict(
            Gate::BlockPublicAccess,
            format!(
                "denied: Block Public Access set aside the grant that would have allowed `{action}`"
            ),
            None,
        );
    }
    let text = if t.foreign_object {
        format!(
            "denied: the object owner `{}` grants nothing to the caller in the object ACL (bucket-policy grants never reach objects another account owns)",
            t.object_owner
        )
    } else {
        format!(
            "denied: the caller's account allows it, but the bucket owner `{}` grants nothing to the caller or its account; cross-account access needs both sides",
            t.bucket_owner
        )
    };
    verdict(resource_gate, text, Some("resource-based"))
}

/// An allow: root, the identity policy, the bucket policy or an ACL grant.
fn allow_verdict(f: &Facts<'_>, same_account: bool, direct: bool) -> Verdict {
    let (u, bp, acl) = (&f.user, &f.bucket_policy, &f.acl);
    let (gate, statement, summary) = if f.id.is_root() && same_account {
        (
            Gate::RootUser,
            None,
            "allowed: the root user of the owning account".to_owned(),
        )
    } else if same_account && u.identity_allow && !direct {
        (
            Gate::IdentityPolicy,
            first_allow(&f.ev.identity),
            "allowed by the caller's identity policy".to_owned(),
        )
    } else if f.resource_required {
        (
            Gate::TrustPolicy,
            bp.grant_ref.clone(),
            if direct {
                "allowed: the role's trust policy names the caller".to_owned()
            } else {
                "allowed: the role's trust policy trusts the caller's account and the caller's identity policy allows it".to_owned()
            },
        )
    } else if bp.direct || (bp.via_account && !acl.direct && !acl.via_account) {
        let how = if same_account {
            "allowed by the bucket policy"
        } else if f.id.service_name().is_some() {
            "allowed: the bucket policy grants it to the AWS service"
        } else {
            "allowed: the caller's account allows it and the bucket policy grants it"
        };
        (Gate::BucketPolicy, bp.grant_ref.clone(), how.to_owned())
    } else {
        let what = if acl.gate == Gate::ObjectAcl {
            "object ACL"
        } else {
            "bucket ACL"
        };
        (
            acl.gate,
            None,
            format!("allowed by an ACL grant in the {what}"),
        )
    };
    Verdict {
        gate,
        statement,
        summary,
        policy_type: None,
    }
}

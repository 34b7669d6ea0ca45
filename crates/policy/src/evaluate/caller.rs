//! The caller as a policy's `Principal` element sees it: its ARNs worked out once per
//! evaluation, and how one principal entry names it (IAM UG
//! `reference_policies_elements_principal.md`: account, root ARN, user, role, role session,
//! federated user, service; S3's canonical user ids).

use std::sync::Arc;

use crate::ast::PrincipalKind;
use crate::context::{Principal, RequestContext};

use serde::Serialize;

/// How a `Principal` element matched the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum PrincipalMatch {
    /// The account, by id, root ARN (`arn:aws:iam::ACCOUNT:root`) — delegation to the account.
    Account,
    /// The account by its S3 canonical user id — delegation to the account.
    CanonicalUser,
    /// `"*"` or `{"AWS": "*"}`: everyone, anonymous included.
    Wildcard,
    /// `NotPrincipal` that does not list the caller: like `*` minus the listed principals.
    NotPrincipal,
    /// The IAM role ARN of a role session (still capped by the role's boundary and session policy).
    Role,
    /// A federated-user session matched through the ARN of the IAM user that created it
    /// (still capped by the boundary and session policy).
    FederatedUserParent,
    /// The exact IAM user ARN (or its unique id).
    User,
    /// The exact assumed-role session ARN.
    AssumedRoleSession,
    /// The exact STS federated-user ARN.
    FederatedUser,
    /// An AWS service principal.
    Service,
}

impl PrincipalMatch {
    /// Whether the grant names the caller itself rather than its account ("direct" grant).
    pub fn is_direct(self) -> bool {
        !matches!(
            self,
            PrincipalMatch::Account | PrincipalMatch::CanonicalUser
        )
    }

    /// Whether a same-account grant with this match stands even when the permissions boundary or
    /// the session policy does not allow the request (IAM UG evaluation logic: grants naming the
    /// user ARN, the role-session ARN or the federated-user ARN).
    pub fn bypasses_boundary_and_session(self) -> bool {
        matches!(
            self,
            PrincipalMatch::User
                | PrincipalMatch::AssumedRoleSession
                | PrincipalMatch::FederatedUser
                | PrincipalMatch::Service
        )
    }

    /// A few words for sentences.
    pub fn describe(self) -> &'static str {
        match self {
            PrincipalMatch::Account => "the caller's account",
            PrincipalMatch::CanonicalUser => "the canonical user id of the caller's account",
            PrincipalMatch::Wildcard => "everyone (`*`)",
            PrincipalMatch::NotPrincipal => "everyone not listed in `NotPrincipal`",
            PrincipalMatch::Role => "the caller's role ARN",
            PrincipalMatch::FederatedUserParent => {
                "the IAM user that created this federated session"
            }
            PrincipalMatch::User => "the caller's IAM user ARN",
            PrincipalMatch::AssumedRoleSession => "the caller's role-session ARN",
            PrincipalMatch::FederatedUser => "the caller's federated-user ARN",
            PrincipalMatch::Service => "the calling service",
        }
    }
}

/// The caller's identifiers, computed once per evaluation.
pub(crate) struct Caller<'a> {
    pub(crate) request: &'a RequestContext,
    /// How the caller is named in sentences: its ARN in backticks (which [`Caller::arn`] reads
    /// back), or a description when it has none.
    pub(crate) who: Arc<str>,
    has_arn: bool,
    /// The role ARN of a role session (for other callers `aws:PrincipalArn` is [`Caller::arn`]).
    role_arn: Option<String>,
    /// The request's action and resource, shared by every statement's trace.
    pub(crate) action: Arc<str>,
    pub(crate) resource: Arc<str>,
}

impl<'a> Caller<'a> {
    pub(crate) fn new(request: &'a RequestContext) -> Self {
        let p = &request.principal;
        let arn = p.arn_parts();
        // `describe` would write the ARN a second time.
        let who: Arc<str> = match &arn {
            Some(parts) => {
                let mut who =
                    String::with_capacity(2 + parts.iter().map(|s| s.len()).sum::<usize>());
                who.push('`');
                parts.iter().for_each(|part| who.push_str(part));
                who.push('`');
                Arc::from(who)
            }
            None => Arc::from(p.describe()),
        };
        let role_arn = match p {
            Principal::AssumedRole { .. } => p.principal_arn(),
            _ => None,
        };
        Caller {
            request,
            has_arn: arn.is_some(),
            who,
            role_arn,
            action: Arc::from(request.action.as_str()),
            resource: Arc::from(request.resource.as_str()),
        }
    }

    /// The caller's ARN (for role sessions: the session ARN).
    fn arn(&self) -> Option<&str> {
        if !self.has_arn {
            return None;
        }
        self.who.strip_prefix('`').and_then(|w| w.strip_suffix('`'))
    }

    /// Whether `value` is the root ARN of `account` (`arn:aws:iam::ACCOUNT:root`).
    fn is_root_arn(value: &str, account: &str) -> bool {
        value
            .strip_prefix("arn:aws:iam::")
            .and_then(|v| v.strip_suffix(":root"))
            == Some(account)
    }

    /// The value of `aws:PrincipalArn` for the caller.
    fn principal_arn(&self) -> Option<&str> {
        self.role_arn.as_deref().or_else(|| self.arn())
    }
}

/// How one principal entry matches the caller, if it does.
pub(super) fn entry_match(
    kind: PrincipalKind,
    value: &str,
    caller: &Caller<'_>,
) -> Option<PrincipalMatch> {
    let request = caller.request;
    let p = &request.principal;
    match kind {
        PrincipalKind::Aws => {
            if value == "*" {
                return Some(PrincipalMatch::Wildcard);
            }
            let account = p.account()?;
            if value == account || Caller::is_root_arn(value, account) {
                return Some(PrincipalMatch::Account);
            }
            match p {
                Principal::User { unique_id, .. } => (Some(value) == caller.arn()
                    || value == unique_id)
                    .then_some(PrincipalMatch::User),
                Principal::AssumedRole { role_unique_id, .. } => {
                    if Some(value) == caller.arn() {
                        Some(PrincipalMatch::AssumedRoleSession)
                    } else if Some(value) == caller.principal_arn() || value == role_unique_id {
                        Some(PrincipalMatch::Role)
                    } else {
                        None
                    }
                }
                Principal::FederatedUser {
                    parent_user_arn, ..
                } => {
                    if Some(value) == caller.arn() {
                        Some(PrincipalMatch::FederatedUser)
                    } else if parent_user_arn.as_deref() == Some(value) {
                        Some(PrincipalMatch::FederatedUserParent)
                    } else {
                        None
                    }
                }
                _ => None,
            }
        }
        PrincipalKind::CanonicalUser => (request.canonical_user_id.as_deref() == Some(value)
            && p.account().is_some())
        .then_some(PrincipalMatch::CanonicalUser),
        PrincipalKind::Service => match p {
            Principal::Service(name) if name == value => Some(PrincipalMatch::Service),
            _ => None,
        },
        PrincipalKind::Federated => None,
    }
}

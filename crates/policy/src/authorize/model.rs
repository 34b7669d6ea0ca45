//! What a decision is made of: the layers of policy, the sets of policies that may apply to a
//! request (owned and borrowed), and the answer — decision, determining statements, gates, trace,
//! denial.
//!
//! The layers and their names follow IAM UG `reference_policies_evaluation-logic.md`
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>;
//! the denial's wording follows S3 UG `troubleshoot-403-errors.md`
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html>.

use std::borrow::Cow;

use serde::Serialize;

use crate::ast::{Effect, Policy};
use crate::evaluate::{PolicyEvaluation, PrincipalMatch};

/// The answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
pub enum Decision {
    /// Allowed.
    Allow,
    /// A matching `Deny` statement: overrides every `Allow`.
    ExplicitDeny,
    /// Nothing allowed it (or a cap layer did not): denied by default.
    ImplicitDeny,
}

/// The kinds of policy that take part in a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Layer {
    /// AWS Organizations service control policies of the caller's account.
    Scp,
    /// AWS Organizations resource control policies of the resource's account.
    Rcp,
    /// The policy of the VPC endpoint the request went through.
    VpcEndpoint,
    /// Identity-based policies of the user (its own and its groups') or role.
    Identity,
    /// The permissions boundary of the user or role.
    PermissionsBoundary,
    /// The session policy passed when the session was created.
    Session,
    /// The resource-based policy (bucket policy, key policy, vault policy).
    Resource,
}

impl Layer {
    /// The policy type as AWS's AccessDenied messages name it (`identity-based`, …).
    pub fn aws_policy_type(self) -> &'static str {
        match self {
            Layer::Scp => "service control",
            Layer::Rcp => "resource control",
            Layer::VpcEndpoint => "VPC endpoint",
            Layer::Identity => "identity-based",
            Layer::PermissionsBoundary => "permissions boundary",
            Layer::Session => "session",
            Layer::Resource => "resource-based",
        }
    }

    /// How the layer is named in sentences.
    pub fn describe(self) -> &'static str {
        match self {
            Layer::Scp => "the service control policies",
            Layer::Rcp => "the resource control policies",
            Layer::VpcEndpoint => "the VPC endpoint policy",
            Layer::Identity => "the identity-based policies",
            Layer::PermissionsBoundary => "the permissions boundary",
            Layer::Session => "the session policy",
            Layer::Resource => "the resource-based policy",
        }
    }

    /// The trace note of a layer with no policy (`… — none`) or that takes part
    /// (`… — evaluated`): fixed text, so a trace allocates none.
    pub(super) fn status_note(self, evaluated: bool) -> &'static str {
        if evaluated {
            match self {
                Layer::Scp => "the service control policies — evaluated",
                Layer::Rcp => "the resource control policies — evaluated",
                Layer::VpcEndpoint => "the VPC endpoint policy — evaluated",
                Layer::Identity => "the identity-based policies — evaluated",
                Layer::PermissionsBoundary => "the permissions boundary — evaluated",
                Layer::Session => "the session policy — evaluated",
                Layer::Resource => "the resource-based policy — evaluated",
            }
        } else {
            match self {
                Layer::Scp => "the service control policies — none",
                Layer::Rcp => "the resource control policies — none",
                Layer::VpcEndpoint => "the VPC endpoint policy — none",
                Layer::Identity => "the identity-based policies — none",
                Layer::PermissionsBoundary => "the permissions boundary — none",
                Layer::Session => "the session policy — none",
                Layer::Resource => "the resource-based policy — none",
            }
        }
    }
}

/// A policy with the name shown in traces.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedPolicy {
    /// Name (`alice-inline`, `bucket policy`).
    pub name: String,
    /// The policy.
    pub policy: Policy,
}

impl NamedPolicy {
    /// Names a policy.
    pub fn new(name: impl Into<String>, policy: Policy) -> Self {
        NamedPolicy {
            name: name.into(),
            policy,
        }
    }
}

/// Every policy that may apply to a request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PolicySet {
    /// The caller's identity policies (a user's own and its groups', or the role's).
    pub identity_policies: Vec<NamedPolicy>,
    /// The caller's permissions boundary.
    pub permissions_boundary: Option<NamedPolicy>,
    /// SCPs attached to the caller's account itself, as one level: together they must allow.
    pub scps: Vec<NamedPolicy>,
    /// SCPs attached above the account — the organization root, then each OU — one `Vec` per
    /// level. Every non-empty level must allow on its own (AWS Organizations UG
    /// `orgs_manage_policies_scps_evaluation.md`): an allow-list at an OU caps a
    /// `FullAWSAccess` at the root.
    pub scp_levels: Vec<Vec<NamedPolicy>>,
    /// RCPs that apply to the resource's account, as one level: together they must allow.
    pub rcps: Vec<NamedPolicy>,
    /// The session policy of a role or federated session.
    pub session_policy: Option<NamedPolicy>,
    /// The resource-based policy (e.g. the bucket policy).
    pub resource_policy: Option<NamedPolicy>,
    /// The VPC endpoint policy, if the request went through an endpoint.
    pub vpc_endpoint_policy: Option<NamedPolicy>,
}

/// Points at one statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementRef {
    /// The layer.
    pub layer: Layer,
    /// The policy's name.
    pub policy: String,
    /// The statement's `Sid`.
    pub sid: Option<String>,
    /// 0-based index in the policy.
    pub index: usize,
    /// The statement's effect.
    pub effect: Effect,
}

/// The evaluation of one policy inside a layer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyTrace {
    /// The policy's name.
    pub name: String,
    /// The per-statement evaluation.
    #[serde(flatten)]
    pub evaluation: PolicyEvaluation,
}

/// One layer of the trace.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayerTrace {
    /// Which layer.
    pub layer: Layer,
    /// Whether the layer takes part for this caller (e.g. identity policies do not for root).
    pub considered: bool,
    /// Why it is or is not considered, and what it contributed.
    pub note: Cow<'static, str>,
    /// The policies, in order.
    pub policies: Vec<PolicyTrace>,
}

/// One gate of the decision procedure, in the order AWS documents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gate {
    /// What is checked (`explicit deny`, `service control policies`, `grant`).
    pub check: Cow<'static, str>,
    /// Whether the request passed.
    pub passed: bool,
    /// One sentence.
    pub explanation: String,
}

/// Why a request was denied (for S3's detailed `AccessDenied` messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Denial {
    /// Explicit (a `Deny` statement) or implicit (nothing allowed).
    pub explicit: bool,
    /// The layer responsible.
    pub layer: Layer,
}

impl Denial {
    /// The reason clause of S3's detailed message: ``with an explicit deny in a resource-based
    /// policy`` / ``because no identity-based policy allows the s3:GetObject action``
    /// (S3 UG `troubleshoot-403-errors.md`).
    pub fn aws_reason(&self, action: &str) -> String {
        let t = self.layer.aws_policy_type();
        // AWS says "permissions boundary", not "permissions boundary policy".
        let kind = match self.layer {
            Layer::PermissionsBoundary => t.to_string(),
            _ => format!("{t} policy"),
        };
        if self.explicit {
            let article = if t.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            };
            format!("with an explicit deny in {article} {kind}")
        } else {
            format!("because no {kind} allows the {action} action")
        }
    }
}

/// The whole answer: decision, determining statements, ordered trace, summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// The decision.
    pub decision: Decision,
    /// The statements that decided: the applying `Deny`s for an explicit deny, the `Allow`s that
    /// granted for an allow, none for an implicit deny.
    pub determining: Vec<StatementRef>,
    /// The decision procedure step by step.
    pub gates: Vec<Gate>,
    /// The ordered trace: every layer → policy → statement, in evaluation order.
    pub trace: Vec<LayerTrace>,
    /// For denials: the responsible layer.
    pub denial: Option<Denial>,
    /// How the resource policy matched the caller, if one of its `Allow`s applied.
    pub principal_match: Option<PrincipalMatch>,
    /// One plain-language sentence.
    pub summary: String,
}

/// A policy borrowed for one evaluation: callers that keep their policies parsed (the S3 world
/// parses each policy once, when it is put) lend them instead of cloning.
#[derive(Debug, Clone, Copy)]
pub struct PolicyRef<'a> {
    /// Name shown in traces.
    pub name: &'a str,
    /// The parsed policy.
    pub policy: &'a Policy,
}

impl<'a> PolicyRef<'a> {
    /// Lends `policy` under `name`.
    pub fn new(name: &'a str, policy: &'a Policy) -> Self {
        PolicyRef { name, policy }
    }
}

impl<'a> From<&'a NamedPolicy> for PolicyRef<'a> {
    fn from(p: &'a NamedPolicy) -> Self {
        PolicyRef {
            name: &p.name,
            policy: &p.policy,
        }
    }
}

/// [`PolicySet`] borrowed: every policy that may apply to a request, layer by layer.
#[derive(Debug, Clone, Default)]
pub struct Layers<'a> {
    /// The caller's identity policies.
    pub identity_policies: Vec<PolicyRef<'a>>,
    /// The caller's permissions boundary.
    pub permissions_boundary: Option<PolicyRef<'a>>,
    /// SCPs attached to the caller's account (one level).
    pub scps: Vec<PolicyRef<'a>>,
    /// SCP levels above the account.
    pub scp_levels: Vec<Vec<PolicyRef<'a>>>,
    /// RCPs of the resource's account.
    pub rcps: Vec<PolicyRef<'a>>,
    /// The session policy.
    pub session_policy: Option<PolicyRef<'a>>,
    /// The resource-based policy.
    pub resource_policy: Option<PolicyRef<'a>>,
    /// The VPC endpoint policy.
    pub vpc_endpoint_policy: Option<PolicyRef<'a>>,
}

impl PolicySet {
    /// The set, borrowed.
    pub fn layers(&self) -> Layers<'_> {
        Layers {
            identity_policies: self.identity_policies.iter().map(PolicyRef::from).collect(),
            permissions_boundary: self.permissions_boundary.as_ref().map(PolicyRef::from),
            scps: self.scps.iter().map(PolicyRef::from).collect(),
            scp_levels: self
                .scp_levels
                .iter()
                .map(|l| l.iter().map(PolicyRef::from).collect())
                .collect(),
            rcps: self.rcps.iter().map(PolicyRef::from).collect(),
            session_policy: self.session_policy.as_ref().map(PolicyRef::from),
            resource_policy: self.resource_policy.as_ref().map(PolicyRef::from),
            vpc_endpoint_policy: self.vpc_endpoint_policy.as_ref().map(PolicyRef::from),
        }
    }
}

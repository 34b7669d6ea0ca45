//! What every Glacier operation answers: the HTTP status, headers and JSON body or Glacier's
//! error, the authorization (every `s3pg_policy::Evaluation` used), the plain-language trace with
//! the AWS page of each step, and the effects on the vaults.

use s3pg_policy::{ContextKeys, Decision, Evaluation};
use serde::Serialize;

use crate::error::GlacierError;
use crate::request::Operation;
use crate::time::Timestamp;

/// What a trace step concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum StepOutcome {
    /// Passed the request on.
    Pass,
    /// Granted the permission.
    Allow,
    /// A `Deny` statement matched.
    ExplicitDeny,
    /// Nothing granted the permission.
    ImplicitDeny,
    /// Refused the request with an error.
    Reject,
    /// Information (what was derived or changed), no verdict.
    Info,
}

/// One step of the trace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TraceStep {
    /// Short title (`Vault Lock state`).
    pub title: String,
    /// What the step concluded.
    pub outcome: StepOutcome,
    /// One or two plain-language sentences with the values compared.
    pub detail: String,
    /// The AWS page the step follows.
    pub doc: &'static str,
    /// True when AWS does not document this behaviour and the simulator chose (`[SIM]`).
    pub simulated: bool,
}

/// Which vault policy an evaluation used as its resource-based layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum VaultPolicyKind {
    /// The vault access policy.
    AccessPolicy,
    /// The Vault Lock policy (in progress or locked).
    LockPolicy,
}

impl VaultPolicyKind {
    /// The policy's name in traces.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::AccessPolicy => "vault access policy",
            Self::LockPolicy => "Vault Lock policy",
        }
    }
}

/// One run of the policy engine.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyRun {
    /// The vault policy used as the resource-based layer (`None`: no vault policy took part).
    pub resource_policy: Option<VaultPolicyKind>,
    /// The engine's full answer.
    pub evaluation: Evaluation,
}

/// The authorization of one request.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Authorization {
    /// The action checked (`glacier:DeleteArchive`).
    pub action: String,
    /// The resource ARN checked.
    pub resource: String,
    /// The request context keys the service derived (`glacier:ArchiveAgeInDays`, `aws:CurrentTime`, …).
    pub context: ContextKeys,
    /// The combined decision.
    pub decision: Decision,
    /// Every evaluation: one per vault policy present (identity layers are the same in each),
    /// or a single one when the vault has no policy.
    pub runs: Vec<PolicyRun>,
    /// The run that decided (index into `runs`).
    pub deciding: usize,
}

impl Authorization {
    /// The evaluation that decided.
    #[must_use]
    pub fn deciding_evaluation(&self) -> Option<&Evaluation> {
        self.runs.get(self.deciding).map(|r| &r.evaluation)
    }
}

/// A change to the vault service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "effect")]
pub enum VaultEffect {
    /// A vault was created.
    VaultCreated {
        /// Its ARN.
        vault_arn: String,
    },
    /// A vault was deleted (with its access policy).
    VaultDeleted {
        /// Its ARN.
        vault_arn: String,
    },
    /// The vault access policy was set or replaced.
    AccessPolicySet {
        /// The vault.
        vault_arn: String,
    },
    /// The vault access policy was removed.
    AccessPolicyDeleted {
        /// The vault.
        vault_arn: String,
    },
    /// A Vault Lock policy was attached, state `InProgress`.
    LockInitiated {
        /// The vault.
        vault_arn: String,
        /// The lock id returned.
        lock_id: String,
        /// When the lock id expires.
        expiration_date: Timestamp,
    },
    /// The lock became `Locked`: the policy is now immutable.
    LockCompleted {
        /// The vault.
        vault_arn: String,
        /// The lock id used.
        lock_id: String,
    },
    /// An in-progress lock was aborted and its policy removed.
    LockAborted {
        /// The vault.
        vault_arn: String,
        /// The lock id that was pending.
        lock_id: String,
    },
    /// An in-progress lock passed its 24-hour window: Glacier removed the policy.
    LockExpired {
        /// The vault.
        vault_arn: String,
        /// The expired lock id.
        lock_id: String,
        /// When it expired.
        expired_at: Timestamp,
    },
    /// An archive was stored.
    ArchiveUploaded {
        /// The vault.
        vault_arn: String,
        /// The new archive id.
        archive_id: String,
        /// Its size.
        size: u64,
        /// Its SHA-256 tree hash.
        sha256_tree_hash: String,
    },
    /// A retrieval job was initiated.
    JobInitiated {
        /// The vault.
        vault_arn: String,
        /// The job id.
        job_id: String,
    },
    /// Vault tags were added, overwritten or removed.
    TagsChanged {
        /// The vault.
        vault_arn: String,
    },
    /// An archive was deleted.
    ArchiveDeleted {
        /// The vault.
        vault_arn: String,
        /// The archive id.
        archive_id: String,
    },
}

/// The answer to one request.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GlacierOutcome {
    /// The operation.
    pub operation: Operation,
    /// HTTP status (201, 204, 200, or the error's).
    pub status: u16,
    /// Glacier's error, when the request failed.
    pub error: Option<GlacierError>,
    /// Response headers specific to the operation (`Location`, `x-amz-lock-id`, …).
    pub headers: Vec<(String, String)>,
    /// The JSON body (`DescribeVault`, `GetVaultLock`, …) or the error body.
    pub body: Option<serde_json::Value>,
    /// The authorization, when the request got that far.
    pub authorization: Option<Authorization>,
    /// Every step, in order.
    pub trace: Vec<TraceStep>,
    /// What changed.
    pub effects: Vec<VaultEffect>,
}

impl GlacierOutcome {
    pub(crate) fn new(operation: Operation) -> Self {
        Self {
            operation,
            status: 200,
            error: None,
            headers: Vec::new(),
            body: None,
            authorization: None,
            trace: Vec::new(),
            effects: Vec::new(),
        }
    }

    /// Whether the request succeeded.
    #[must_use]
    pub fn is_success(&self) -> bool {
        self.error.is_none()
    }

    /// The error code, if any (`AccessDeniedException`).
    #[must_use]
    pub fn error_code(&self) -> Option<&'static str> {
        self.error.as_ref().map(|e| e.code.as_str())
    }

    /// The authorization decision, if the request was authorized.
    #[must_use]
    pub fn decision(&self) -> Option<Decision> {
        self.authorization.as_ref().map(|a| a.decision)
    }

    /// What the AWS CLI prints to stderr for a failed request:
    /// `An error occurred (AccessDeniedException) when calling the DeleteArchive operation: …`.
    #[must_use]
    pub fn cli_error_text(&self) -> Option<String> {
        self.error.as_ref().map(|e| {
            format!(
                "An error occurred ({}) when calling the {} operation: {}",
                e.code.as_str(),
                self.operation.name(),
                e.message
            )
        })
    }

    /// A response header's value.
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn step(
        &mut self,
        title: impl Into<String>,
        outcome: StepOutcome,
        detail: impl Into<String>,
        doc: &'static str,
    ) {
        self.trace.push(TraceStep {
            title: title.into(),
            outcome,
            detail: detail.into(),
            doc,
            simulated: false,
        });
    }

    pub(crate) fn sim_step(
        &mut self,
        title: impl Into<String>,
        outcome: StepOutcome,
        detail: impl Into<String>,
        doc: &'static str,
    ) {
        self.trace.push(TraceStep {
            title: title.into(),
            outcome,
            detail: detail.into(),
            doc,
            simulated: true,
        });
    }

    pub(crate) fn fail(mut self, error: GlacierError) -> Self {
        self.status = error.status();
        self.body = Some(error.to_json());
        self.error = Some(error);
        self
    }

    pub(crate) fn ok(mut self, status: u16) -> Self {
        self.status = status;
        self
    }
}

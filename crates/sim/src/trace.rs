//! What a request produced: the response (status, error, headers, body), the decision, the
//! ordered trace of every gate consulted and the effects on the world.
//!
//! The response shape follows S3's REST error responses
//! (<https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html>); the trace follows S3's
//! authorization workflow (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html>).

use std::collections::BTreeMap;

use s3pg_policy::PolicyEvaluation;
use serde::{Deserialize, Serialize};

/// The authorization decision: the workspace has one, the policy engine's
/// ([`s3pg_policy::Decision`]); S3's own gates feed the same three answers.
pub use s3pg_policy::Decision;

/// The gates a request passes, in the order S3 applies them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Gate {
    /// Who signed the request.
    Authentication,
    /// Checks S3 makes before authorization (bucket exists, headers well formed, Object Ownership, BPA writes).
    RequestValidation,
    /// The permissions the operation needs and the request context derived from it.
    RequiredPermissions,
    /// Organizations service control policy of the caller's account.
    ServiceControlPolicy,
    /// The caller's identity-based policies (user, groups, role).
    IdentityPolicy,
    /// The caller's permissions boundary.
    PermissionsBoundary,
    /// The role session's session policy.
    SessionPolicy,
    /// The bucket policy.
    BucketPolicy,
    /// Block Public Access (`IgnorePublicAcls`, `RestrictPublicBuckets`, `BlockPublicAcls`, `BlockPublicPolicy`).
    BlockPublicAccess,
    /// Object Ownership (ACLs enabled or disabled, who owns the object).
    ObjectOwnership,
    /// The bucket ACL.
    BucketAcl,
    /// The object ACL.
    ObjectAcl,
    /// S3's user context: does the caller's own account allow it?
    UserContext,
    /// S3's bucket context: does the bucket owner allow (or explicitly deny) it?
    BucketContext,
    /// S3's object context: does the object owner allow it?
    ObjectContext,
    /// The root user's exemptions and limits.
    RootUser,
    /// MFA Delete.
    MfaDelete,
    /// Checks after authorization (missing key 403/404, delete markers, versions).
    Execution,
    /// The VPC endpoint policy: a cap on what may pass through the endpoint.
    VpcEndpointPolicy,
    /// Encryption at rest: default encryption, SSE-S3, SSE-C (after the bucket policy).
    Encryption,
    /// A KMS call S3 makes on the caller's behalf (`kms:GenerateDataKey`, `kms:Decrypt`),
    /// authorized by the key policy and the caller's IAM policies.
    KmsKeyPolicy,
    /// Server access logs and CloudTrail: what was recorded, delivered or refused.
    Audit,
    /// An S3 Glacier vault request, authorized by Glacier.
    Glacier,
    /// S3 Object Lock: retention, legal hold and the governance bypass (after authorization).
    ObjectLock,
    /// S3 Lifecycle: expiration actions S3 takes on its own as the clock passes midnight UTC.
    Lifecycle,
    /// A role's trust policy: who may assume the role (`sts:AssumeRole`).
    TrustPolicy,
    /// An IAM or STS request: the checks IAM and STS make and what they changed.
    Iam,
}

/// What a gate concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepOutcome {
    /// The gate passed the request on.
    Pass,
    /// The gate granted the permission.
    Allow,
    /// The gate explicitly denied.
    ExplicitDeny,
    /// The gate did not grant (or, for a cap layer, did not permit).
    ImplicitDeny,
    /// The gate refused the request with an error.
    Reject,
    /// The gate does not apply to this request.
    NotApplicable,
    /// Information (what was derived), no verdict.
    Info,
}

/// A statement that matched, as shown in the trace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatementRef {
    /// Which policy (`bucket policy`, `identity policy alice-s3`, …).
    pub policy: String,
    /// The statement's `Sid`, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// The 0-based statement index.
    pub index: usize,
    /// `Allow` or `Deny`.
    pub effect: String,
    /// For resource policies: how the `Principal` matched the caller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principal_match: Option<String>,
}

impl StatementRef {
    /// The Sid, or `#N` (1-based).
    pub fn label(&self) -> String {
        self.sid
            .clone()
            .unwrap_or_else(|| format!("#{}", self.index + 1))
    }
}

/// Text a step usually borrows from the program (an action name, a documentation link, the
/// name of a compared value) and only sometimes owns: no allocation per step for fixed text.
pub type Text = std::borrow::Cow<'static, str>;

/// One step of the trace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GateStep {
    /// The gate.
    pub gate: Gate,
    /// The permission being authorized, when the gate is per action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<Text>,
    /// What the gate concluded.
    pub outcome: StepOutcome,
    /// The values compared (`name` → `value`), in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub compared: Vec<(Text, String)>,
    /// One plain sentence.
    pub explanation: String,
    /// The AWS documentation page this step follows.
    pub doc: Text,
    /// Set when AWS does not document this behaviour and the playground models it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undocumented: Option<String>,
    /// Statements that matched at this gate.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statements: Vec<StatementRef>,
    /// The policy engine's own per-statement trace, when a policy was evaluated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_trace: Option<PolicyTrace>,
    /// True for the step that decided the request.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deciding: bool,
}

/// The policy engine's own trace of what a gate evaluated. Kept as the engine returned it and
/// written out as JSON only when shown or saved (building it on every request cost more than
/// the decision itself). Serialized as a JSON array of `{"policy": name, "evaluation": …}`.
#[derive(Debug, Clone)]
pub enum PolicyTrace {
    /// Each evaluated policy's name with the engine's per-statement evaluation.
    Evaluated(Vec<(String, PolicyEvaluation)>),
    /// Already JSON (read back from a saved outcome, or a service's own summary).
    Json(serde_json::Value),
}

impl PolicyTrace {
    /// The trace as JSON.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            PolicyTrace::Json(v) => v.clone(),
            PolicyTrace::Evaluated(_) => serde_json::to_value(self).unwrap_or_default(),
        }
    }
}

impl PartialEq for PolicyTrace {
    /// Equal when they would print the same JSON (a saved trace equals the live one).
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (PolicyTrace::Evaluated(a), PolicyTrace::Evaluated(b)) => a == b,
            (PolicyTrace::Json(a), PolicyTrace::Json(b)) => a == b,
            _ => self.to_json() == other.to_json(),
        }
    }
}

impl Serialize for PolicyTrace {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Entry<'a> {
            policy: &'a str,
            evaluation: &'a PolicyEvaluation,
        }
        match self {
            PolicyTrace::Json(v) => v.serialize(serializer),
            PolicyTrace::Evaluated(list) => {
                serializer.collect_seq(list.iter().map(|(p, e)| Entry {
                    policy: p,
                    evaluation: e,
                }))
            }
        }
    }
}

impl<'de> Deserialize<'de> for PolicyTrace {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde_json::Value::deserialize(deserializer).map(PolicyTrace::Json)
    }
}

impl Gate {
    /// The gate's name as the trace shows it to a learner, in AWS's words.
    pub fn title(self) -> &'static str {
        match self {
            Gate::Authentication => "Authentication",
            Gate::RequestValidation => "Request validation",
            Gate::RequiredPermissions => "Required permissions and request context",
            Gate::ServiceControlPolicy => "Service control policy (Organizations)",
            Gate::IdentityPolicy => "Identity-based policies",
            Gate::PermissionsBoundary => "Permissions boundary",
            Gate::SessionPolicy => "Session policy",
            Gate::BucketPolicy => "Bucket policy",
            Gate::BlockPublicAccess => "Block Public Access",
            Gate::ObjectOwnership => "Object Ownership",
            Gate::BucketAcl => "Bucket ACL",
            Gate::ObjectAcl => "Object ACL",
            Gate::UserContext => "S3 user context",
            Gate::BucketContext => "S3 bucket context",
            Gate::ObjectContext => "S3 object context",
            Gate::RootUser => "Root user",
            Gate::MfaDelete => "MFA Delete",
            Gate::Execution => "Execution",
            Gate::VpcEndpointPolicy => "VPC endpoint policy",
            Gate::Encryption => "Encryption",
            Gate::KmsKeyPolicy => "KMS key policy",
            Gate::Audit => "Logging and CloudTrail",
            Gate::Glacier => "S3 Glacier vault",
            Gate::ObjectLock => "Object Lock",
            Gate::Lifecycle => "Lifecycle",
            Gate::TrustPolicy => "Role trust policy",
            Gate::Iam => "IAM and STS",
        }
    }
}

impl StepOutcome {
    /// What the gate concluded, in words.
    pub fn describe(self) -> &'static str {
        match self {
            StepOutcome::Pass => "passed",
            StepOutcome::Allow => "allowed",
            StepOutcome::ExplicitDeny => "explicit deny",
            StepOutcome::ImplicitDeny => "no grant",
            StepOutcome::Reject => "rejected",
            StepOutcome::NotApplicable => "not applicable",
            StepOutcome::Info => "derived",
        }
    }
}

impl GateStep {
    /// A step with no comparisons or statements.
    pub fn new(
        gate: Gate,
        outcome: StepOutcome,
        explanation: impl Into<String>,
        doc: impl Into<Text>,
    ) -> Self {
        GateStep {
            gate,
            action: None,
            outcome,
            compared: Vec::new(),
            explanation: explanation.into(),
            doc: doc.into(),
            undocumented: None,
            statements: Vec::new(),
            policy_trace: None,
            deciding: false,
        }
    }

    /// Sets the action.
    #[must_use]
    pub fn action(mut self, action: impl Into<Text>) -> Self {
        self.action = Some(action.into());
        self
    }

    /// Adds a compared value.
    #[must_use]
    pub fn compare(mut self, name: impl Into<Text>, value: impl Into<String>) -> Self {
        self.compared.push((name.into(), value.into()));
        self
    }

    /// Marks the behaviour as undocumented by AWS.
    #[must_use]
    pub fn undocumented(mut self, note: &str) -> Self {
        self.undocumented = Some(note.to_owned());
        self
    }
}

/// The error part of a response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorResponse {
    /// `<Code>`.
    pub code: String,
    /// `<Message>`.
    pub message: String,
    /// The extra elements S3 adds to `<Error>` after `<Message>` (`<X-Amz-Expires>`,
    /// `<StringToSign>`, …), in S3's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<(String, String)>,
}

/// What decided the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Deciding {
    /// The deciding gate.
    pub gate: Gate,
    /// The permission that failed (for denials).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// The deciding statement, if a statement decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<StatementRef>,
}

/// A change the request made to the world.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[expect(
    missing_docs,
    reason = "fields are self-describing names of the changed resource"
)]
pub enum Effect {
    /// A bucket was created.
    BucketCreated { bucket: String },
    /// A bucket was deleted.
    BucketDeleted { bucket: String },
    /// S3 Lifecycle aborted an incomplete multipart upload.
    UploadAborted {
        bucket: String,
        key: String,
        upload_id: String,
    },
    /// A new object version (or the null version) was written.
    #[serde(rename_all = "camelCase")]
    ObjectWritten {
        bucket: String,
        key: String,
        version_id: String,
        owner: String,
    },
    /// A delete marker was added.
    #[serde(rename_all = "camelCase")]
    DeleteMarkerCreated {
        bucket: String,
        key: String,
        version_id: String,
    },
    /// A version (or delete marker) was removed permanently.
    #[serde(rename_all = "camelCase")]
    VersionDeleted {
        bucket: String,
        key: String,
        version_id: String,
    },
    /// The bucket policy was set.
    BucketPolicySet { bucket: String },
    /// The bucket policy was deleted.
    BucketPolicyDeleted { bucket: String },
    /// The bucket ACL was replaced.
    BucketAclSet { bucket: String },
    /// An object ACL was replaced.
    #[serde(rename_all = "camelCase")]
    ObjectAclSet {
        bucket: String,
        key: String,
        version_id: String,
    },
    /// Bucket-level Block Public Access changed (`None` = deleted).
    PublicAccessBlockSet { bucket: String },
    /// Bucket-level Block Public Access deleted.
    PublicAccessBlockDeleted { bucket: String },
    /// Account-level Block Public Access changed.
    AccountPublicAccessBlockSet { account: String },
    /// Account-level Block Public Access deleted.
    AccountPublicAccessBlockDeleted { account: String },
    /// Object Ownership changed.
    #[serde(rename_all = "camelCase")]
    OwnershipSet {
        bucket: String,
        object_ownership: String,
    },
    /// Versioning (and MFA Delete) changed.
    #[serde(rename_all = "camelCase")]
    VersioningSet {
        bucket: String,
        status: String,
        mfa_delete: bool,
    },
    /// An MFA code was consumed (it cannot be used again).
    MfaCodeUsed { serial: String },
    /// The bucket's default encryption changed (`None` = reset to SSE-S3).
    EncryptionSet { bucket: String },
    /// The bucket's Object Lock configuration was set (Object Lock enabled, default retention).
    ObjectLockConfigurationSet { bucket: String },
    /// A version's Object Lock retention was set.
    #[serde(rename_all = "camelCase")]
    RetentionSet {
        bucket: String,
        key: String,
        version_id: String,
        mode: String,
        retain_until_date: String,
    },
    /// A version's legal hold was set (`ON`) or removed (`OFF`).
    #[serde(rename_all = "camelCase")]
    LegalHoldSet {
        bucket: String,
        key: String,
        version_id: String,
        status: String,
    },
    /// The bucket's lifecycle configuration was replaced.
    LifecycleSet { bucket: String },
    /// The bucket's lifecycle configuration was deleted.
    LifecycleDeleted { bucket: String },
    /// An object version's tag set was replaced (`tags` = how many it now has).
    #[serde(rename_all = "camelCase")]
    ObjectTagged {
        bucket: String,
        key: String,
        version_id: String,
        tags: usize,
    },
    /// An IAM identity changed (a policy put, deleted, attached or detached; an access key
    /// created, updated or deleted; tags): `what` says it in words.
    IamChanged { principal: String, what: String },
    /// STS issued temporary credentials.
    #[serde(rename_all = "camelCase")]
    CredentialsIssued {
        principal: String,
        access_key_id: String,
    },
}

/// Everything a request produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    /// The S3 API name.
    pub operation: String,
    /// The HTTP status.
    pub status: u16,
    /// The error, for 4xx responses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorResponse>,
    /// Response headers that teach (`x-amz-version-id`, `x-amz-delete-marker`, …).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// The response body, as JSON (listings, ACLs, policies, object data).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<serde_json::Value>,
    /// The authorization decision, when authorization ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision>,
    /// What decided the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deciding: Option<Deciding>,
    /// Every gate consulted, in order.
    pub trace: Vec<GateStep>,
    /// The changes made to the world.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub effects: Vec<Effect>,
    /// The deterministic request id.
    pub request_id: String,
}

//! Who calls KMS: the principal, its IAM policies, the Region of the endpoint, the time, and
//! whether an AWS service (S3) makes the call on its behalf.
//!
//! Follows the KMS condition keys page
//! (<https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html>): `kms:CallerAccount`
//! is the caller's account, `kms:ViaService` is `SERVICE.REGION.amazonaws.com` when an AWS service
//! calls KMS for the principal (S3 for SSE-KMS), absent when the principal calls KMS directly.

use s3pg_policy::{ContextKeys, ContextValue, NamedPolicy, Policy, PolicySet, Principal};

/// The caller of a KMS operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Caller {
    /// The principal (IAM user, role session, root, …).
    pub principal: Principal,
    /// The caller's own policies: identity policies, boundary, session policy, SCPs. The
    /// `resource_policy` field is ignored: KMS puts the key policy there.
    pub policies: PolicySet,
    /// The Region of the KMS endpoint called (key ids and aliases resolve there).
    pub region: String,
    /// The service calling KMS on the principal's behalf (`s3.us-east-1.amazonaws.com`), if any.
    pub via_service: Option<String>,
    /// Extra request context keys (`aws:SourceIp`, `aws:SecureTransport`, …).
    pub context: ContextKeys,
    /// The time of the call (Unix seconds): dates in answers, due deletions and rotations.
    pub now: u64,
}

impl Caller {
    /// A caller with no IAM policies yet.
    #[must_use]
    pub fn new(principal: Principal, region: impl Into<String>, now: u64) -> Self {
        Self {
            principal,
            policies: PolicySet::default(),
            region: region.into(),
            via_service: None,
            context: ContextKeys::new(),
            now,
        }
    }

    /// A caller from an ARN (`arn:aws:iam::111122223333:user/alice`, a role-session ARN, a root ARN).
    ///
    /// # Errors
    /// The policy engine's message when the ARN is not a principal.
    pub fn from_arn(arn: &str, region: impl Into<String>, now: u64) -> Result<Self, String> {
        Ok(Self::new(Principal::from_arn(arn)?, region, now))
    }

    /// Adds an identity-based policy.
    #[must_use]
    pub fn with_identity_policy(mut self, name: &str, policy: Policy) -> Self {
        self.policies
            .identity_policies
            .push(NamedPolicy::new(name, policy));
        self
    }

    /// Replaces the caller's policies.
    #[must_use]
    pub fn with_policies(mut self, policies: PolicySet) -> Self {
        self.policies = policies;
        self
    }

    /// Marks the call as made by S3 on the caller's behalf in the caller's Region
    /// (`kms:ViaService` = `s3.REGION.amazonaws.com`).
    #[must_use]
    pub fn via_s3(mut self) -> Self {
        self.via_service = Some(s3_service_name(&self.region));
        self
    }

    /// Sets a request context key.
    #[must_use]
    pub fn with_key(mut self, key: &str, value: impl Into<ContextValue>) -> Self {
        self.context.insert(key, value);
        self
    }

    /// Carries over request context keys of the S3 request (`aws:SourceIp`,
    /// `aws:SecureTransport`, `aws:PrincipalTag/…`), which key policies may test too.
    #[must_use]
    pub fn with_context(mut self, keys: &ContextKeys) -> Self {
        for (k, v) in keys.iter() {
            self.context.insert(k, v.clone());
        }
        self
    }

    /// The caller's account, if it has one.
    #[must_use]
    pub fn account(&self) -> Option<&str> {
        self.principal.account()
    }

    /// The ARN KMS names in its messages (`User: ARN is not authorized …`).
    #[must_use]
    pub fn arn_for_messages(&self) -> String {
        match &self.principal {
            Principal::Service(name) => name.clone(),
            other => other.arn().unwrap_or_else(|| "anonymous".into()),
        }
    }
}

/// `s3.REGION.amazonaws.com`: the `kms:ViaService` value of S3's calls in `region`.
#[must_use]
pub fn s3_service_name(region: &str) -> String {
    format!("s3.{region}.amazonaws.com")
}

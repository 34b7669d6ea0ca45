//! Glacier scenarios as JSON: a starting state, named callers, and timed requests with the
//! response each must get. Each file cites the AWS page it encodes; unknown fields are rejected.
//!
//! ```json
//! {
//!   "description": "…", "source": "https://docs.aws.amazon.com/…",
//!   "glacier": {"vaults": [ … ]},
//!   "callers": {"admin": {"arn": "arn:aws:iam::111122223333:user/admin", "identity_policies": [{…}]}},
//!   "steps": [
//!     {"caller": "admin", "at": "2026-01-01T00:00:00Z",
//!      "request": {"operation": "InitiateVaultLock", "vault_name": "v", "policy": "…"},
//!      "save_headers": {"x-amz-lock-id": "lock"},
//!      "expect": {"status": 201}},
//!     {"caller": "admin", "at": "2026-01-01T00:01:00Z",
//!      "request": {"operation": "CompleteVaultLock", "vault_name": "v", "lock_id": "${lock}"},
//!      "expect": {"status": 204}}
//!   ]
//! }
//! ```
//!
//! `${name}` in a request is replaced by a header saved by an earlier step.

use std::collections::BTreeMap;

use s3pg_policy::{Decision, NamedPolicy, Policy, PolicySet, Principal};
use serde::Deserialize;

use crate::outcome::GlacierOutcome;
use crate::request::{Caller, GlacierRequest};
use crate::service::Glacier;
use crate::time::Timestamp;

/// A whole scenario.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// What it teaches.
    pub description: String,
    /// The AWS page it encodes.
    pub source: String,
    /// The starting state.
    #[serde(default)]
    pub glacier: Glacier,
    /// Callers by name.
    pub callers: BTreeMap<String, CallerSpec>,
    /// The requests, in order.
    pub steps: Vec<Step>,
}

/// A caller: principal ARN, identity policies, Region, transport, extra context keys.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallerSpec {
    /// Principal ARN (`arn:aws:iam::111122223333:user/alice`, a root or role-session ARN).
    pub arn: String,
    /// Identity-based policies (JSON objects or strings).
    #[serde(default)]
    pub identity_policies: Vec<serde_json::Value>,
    /// The endpoint's Region (default `us-west-2`).
    #[serde(default = "default_region")]
    pub region: String,
    /// Over TLS (default true).
    #[serde(default = "yes")]
    pub secure_transport: bool,
    /// Extra context keys (`aws:MultiFactorAuthPresent`, …).
    #[serde(default)]
    pub context: BTreeMap<String, String>,
}

fn default_region() -> String {
    "us-west-2".into()
}

fn yes() -> bool {
    true
}

/// One timed request and its expected answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// A key of `callers`.
    pub caller: String,
    /// When the request is made.
    pub at: Timestamp,
    /// The request (a [`GlacierRequest`] with `${name}` placeholders allowed).
    pub request: serde_json::Value,
    /// Response headers to remember: header name → placeholder name.
    #[serde(default)]
    pub save_headers: BTreeMap<String, String>,
    /// What must come back.
    pub expect: Expect,
}

/// The expected answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// HTTP status.
    pub status: u16,
    /// Error code, if the request must fail.
    #[serde(default)]
    pub error: Option<String>,
    /// The authorization decision, if checked.
    #[serde(default)]
    pub decision: Option<Decision>,
}

/// The result of one step.
#[derive(Debug, Clone)]
pub struct StepResult {
    /// 0-based step index.
    pub index: usize,
    /// What the service answered.
    pub outcome: Option<GlacierOutcome>,
    /// Every mismatch with the expectation (empty: the step passed).
    pub failures: Vec<String>,
}

impl Scenario {
    /// Reads a scenario.
    ///
    /// # Errors
    /// serde's message (unknown fields, bad times, invalid policies, duplicate vaults).
    pub fn from_json(text: &str) -> Result<Scenario, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    /// Runs every step against a fresh copy of the starting state.
    #[must_use]
    pub fn run(&self) -> Vec<StepResult> {
        let mut glacier = self.glacier.clone();
        let mut saved: BTreeMap<String, String> = BTreeMap::new();
        let mut results = Vec::new();
        for (index, step) in self.steps.iter().enumerate() {
            let prepared = self
                .caller(&step.caller)
                .and_then(|c| Ok((c, request(&step.request, &saved)?)));
            let (caller, req) = match prepared {
                Ok(p) => p,
                Err(e) => {
                    results.push(StepResult {
                        index,
                        outcome: None,
                        failures: vec![e],
                    });
                    continue;
                }
            };
            let out = glacier.handle(&caller, &req, step.at);
            let mut failures = Vec::new();
            if out.status != step.expect.status {
                failures.push(format!(
                    "expected status {} but got {}",
                    step.expect.status, out.status
                ));
            }
            if step.expect.error.as_deref() != out.error_code() {
                failures.push(format!(
                    "expected {} but got {}",
                    describe_error(step.expect.error.as_deref()),
                    describe_error(out.error_code())
                ));
            }
            if let Some(d) = step.expect.decision
                && out.decision() != Some(d)
            {
                failures.push(format!(
                    "expected decision `{}` but got {}",
                    describe_decision(d),
                    out.decision().map_or_else(
                        || "no decision".to_owned(),
                        |got| format!("`{}`", describe_decision(got))
                    )
                ));
            }
            for (header, name) in &step.save_headers {
                if let Some(v) = out.header(header) {
                    saved.insert(name.clone(), v.to_string());
                }
            }
            results.push(StepResult {
                index,
                outcome: Some(out),
                failures,
            });
        }
        results
    }

    fn caller(&self, name: &str) -> Result<Caller, String> {
        let spec = self
            .callers
            .get(name)
            .ok_or_else(|| format!("unknown caller `{name}`"))?;
        let principal = Principal::from_arn(&spec.arn)?;
        let mut policies = PolicySet::default();
        for (i, p) in spec.identity_policies.iter().enumerate() {
            let text = match p {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let policy = Policy::parse(&text).map_err(|d| {
                let msgs: Vec<String> = d.iter().map(|x| x.message.clone()).collect();
                format!("identity policy {i} of `{name}`: {}", msgs.join("; "))
            })?;
            policies
                .identity_policies
                .push(NamedPolicy::new(format!("{name}-{i}"), policy));
        }
        let mut caller = Caller::new(principal, spec.region.clone()).with_policies(policies);
        caller.secure_transport = spec.secure_transport;
        for (k, v) in &spec.context {
            caller = caller.with_key(k, v.as_str());
        }
        Ok(caller)
    }
}

fn request(
    value: &serde_json::Value,
    saved: &BTreeMap<String, String>,
) -> Result<GlacierRequest, String> {
    let mut text = value.to_string();
    for (name, v) in saved {
        text = text.replace(&format!("${{{name}}}"), v);
    }
    serde_json::from_str(&text).map_err(|e| format!("request: {e}"))
}

/// ``error `AccessDeniedException` `` or `no error`, for failure messages.
fn describe_error(code: Option<&str>) -> String {
    code.map_or_else(|| "no error".to_owned(), |c| format!("error `{c}`"))
}

/// A decision as the trace names it.
fn describe_decision(decision: Decision) -> &'static str {
    match decision {
        Decision::Allow => "Allow",
        Decision::ExplicitDeny => "ExplicitDeny",
        Decision::ImplicitDeny => "ImplicitDeny",
    }
}

#[cfg(test)]
mod failure_words {
    use super::*;

    #[test]
    fn failure_messages_name_codes_in_backticks_without_debug_quoting() {
        assert_eq!(
            describe_error(Some("AccessDeniedException")),
            "error `AccessDeniedException`"
        );
        assert_eq!(describe_error(None), "no error");
        assert_eq!(describe_decision(Decision::ExplicitDeny), "ExplicitDeny");
    }
}

//! `s3pg-analysis`: the questions a learner asks around one decision, answered over the whole
//! simulated world — who can access this ([`who_can`]), is this bucket public and through what
//! ([`findings`]), what did my edit change ([`diff`]), and what is the smallest change that would
//! flip this decision ([`flip`]).
//!
//! Every answer is made of dry runs: [`dry_run`] is the one place this crate asks the world for a
//! decision, and it calls [`World::authorize`], the pipeline's side-effect-free run of exactly
//! what [`World::handle`] would do. So a row that says "alice can `s3:GetObject`" is the answer
//! the world itself gives alice, and its trace is the trace the learner would see.
//!
//! Follows S3's authorization workflow
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html>),
//! the S3 console's bucket access labels and IAM Access Analyzer for S3
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-analyzer.html>).

pub mod diff;
pub mod findings;
pub mod flip;
pub mod principals;
pub mod props;
pub mod resource;
pub mod who_can;

use serde::Serialize;

use s3pg_sim::trace::{Deciding, Decision, Outcome, StepOutcome};
use s3pg_sim::{Request, Timestamp, World};

pub use principals::{ServicePrincipal, Subject};
pub use resource::Resource;

/// The one dry run every analysis makes: what the world would answer to `request` at `now`,
/// with nothing changed.
pub fn dry_run(world: &World, request: &Request, now: Timestamp) -> Outcome {
    world.authorize(request, now)
}

/// What a dry run concluded, in the few words a row of analysis shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    /// True when the request is authorized (the decision is `Allow`).
    pub allowed: bool,
    /// The authorization decision, when authorization ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision>,
    /// The HTTP status S3 would answer.
    pub status: u16,
    /// S3's error code, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// What decided.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deciding: Option<Deciding>,
    /// The deciding step's sentence (or the error's message).
    pub reason: String,
    /// For an allowed request, the last gate that granted it, in words (the deciding step of an
    /// allowed request can be a later check such as a missing key).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub granted_by: Option<String>,
}

impl Verdict {
    /// Reads a dry run's outcome.
    pub fn of(outcome: &Outcome) -> Verdict {
        let reason = outcome
            .trace
            .iter()
            .rev()
            .find(|s| s.deciding)
            .map(|s| s.explanation.clone())
            .or_else(|| outcome.error.as_ref().map(|e| e.message.clone()))
            .unwrap_or_default();
        let allowed = outcome.decision == Some(Decision::Allow);
        let granted_by = allowed
            .then(|| {
                let allows = || {
                    outcome
                        .trace
                        .iter()
                        .rev()
                        .filter(|s| s.outcome == StepOutcome::Allow)
                };
                // The statement that granted, if one did; else the last gate that allowed.
                allows()
                    .find(|s| !s.statements.is_empty())
                    .or_else(|| allows().next())
                    .map(|s| match s.statements.last() {
                        Some(st) => format!(
                            "{} statement `{}` ({})",
                            s.gate.title(),
                            st.label(),
                            st.policy
                        ),
                        None => s.gate.title().to_owned(),
                    })
            })
            .flatten();
        Verdict {
            allowed,
            granted_by,
            decision: outcome.decision,
            status: outcome.status,
            error: outcome.error.as_ref().map(|e| e.code.clone()),
            deciding: outcome.deciding.clone(),
            reason,
        }
    }

    /// "the bucket policy's `Sid`" / "the identity-based policies" — what decided, in words.
    pub fn decided_by(&self) -> String {
        if let Some(g) = &self.granted_by {
            return g.clone();
        }
        match &self.deciding {
            Some(d) => match &d.statement {
                Some(s) => format!(
                    "{} statement `{}` ({})",
                    d.gate.title(),
                    s.label(),
                    s.policy
                ),
                None => d.gate.title().to_owned(),
            },
            None => self
                .error
                .clone()
                .unwrap_or_else(|| "no gate decided".to_owned()),
        }
    }
}

/// Runs `request` and reads the verdict.
pub fn verdict(world: &World, request: &Request, now: Timestamp) -> Verdict {
    Verdict::of(&dry_run(world, request, now))
}

//! `s3pg-sim`: the simulated S3 world of the S3 Security Playground.
//!
//! One facade: [`World::handle`] takes a [`Request`] and the simulated time and returns an
//! [`Outcome`] — the S3-faithful response, the authorization decision, the ordered trace of every
//! gate consulted (each with the values compared, one plain sentence and the AWS page it follows)
//! and the effects on the world. Scenarios ([`scenario`]) declare a world plus a list of requests
//! with expectations; the CLI, the tests and the web UI all run them through [`scenario::run`].
//!
//! Follows S3's authorization workflow
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html>).
//! Nothing here reads the clock or a random source: time is an input and ids are deterministic.
//!
//! ```
//! use s3pg_sim::scenario::{Scenario, run};
//!
//! let scenario = Scenario::from_json(s3pg_sim::scenario::DEFAULT_SCENARIO).unwrap();
//! let report = run(&scenario);
//! assert!(report.passed(), "{report:?}");
//! ```

pub mod acl;
pub mod audit;
mod authz;
pub mod docs;
pub mod encryption;
pub mod error;
mod exchange;
pub mod iam_api;
pub mod lifecycle;
pub mod managed;
pub mod mfa;
pub mod model;
pub mod object_lock;
mod ops;
mod pipeline;
pub mod policies;
pub mod post;
pub mod presigned;
pub mod public;
pub mod read;
pub mod request;
pub mod scenario;
pub mod services;
pub mod time;
pub mod trace;
pub mod uploads;
mod view;
pub mod vpce;
pub mod world;

pub use error::S3Error;
pub use model::{Account, Bucket, ObjectOwnership, ObjectVersion, PublicAccessBlock, Versioning};
pub use request::{Authentication, Caller, Network, Operation, Request, Scheme};
pub use time::Timestamp;
pub use trace::{Deciding, Decision, Effect, Gate, GateStep, Outcome, StepOutcome};
pub use world::World;

/// The policy text inside the AWS CLI's `{"Policy": "…"}` wrapper for Glacier vault policies
/// (`s3pg_glacier::unwrap_policy_wrapper`), so the console needs no Glacier dependency.
pub fn glacier_policy_text(text: &str) -> String {
    s3pg_glacier::unwrap_policy_wrapper(text)
}

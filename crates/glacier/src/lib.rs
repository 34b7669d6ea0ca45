//! `s3pg-glacier`: the simulated Amazon Glacier vault service — vaults, archives, vault access
//! policies and Vault Lock — with every request authorized by the policy engine and explained.
//!
//! This is the original Glacier service with its own REST API and `glacier:` actions
//! (<https://docs.aws.amazon.com/amazonglacier/latest/dev/introduction.html>), not the Glacier
//! storage classes of S3. Reference §9 of the project's semantics notes summarises what it models:
//!
//! - two resource-based policies per vault, applied together: the changeable vault access policy
//!   and the Vault Lock policy (an explicit `Deny` in either wins; see [`authz`]);
//! - the Vault Lock state machine: `InitiateVaultLock` → `InProgress` (enforced, 24-hour lock id)
//!   → `CompleteVaultLock` → `Locked` (immutable forever), or `AbortVaultLock` / expiry → no lock;
//! - archives with a real SHA-256 tree hash ([`treehash`]) and `glacier:ArchiveAgeInDays`.
//!
//! Time and ids are inputs: `now` is passed to every call, ids come from a counter.
//!
//! ```
//! use s3pg_glacier::{Caller, Glacier, GlacierRequest, Timestamp};
//!
//! let mut glacier = Glacier::new();
//! let admin = Caller::from_arn("arn:aws:iam::111122223333:root", "us-west-2").unwrap();
//! let now = Timestamp::parse("2026-01-01T00:00:00Z").unwrap();
//! let created = glacier.handle(
//!     &admin,
//!     &GlacierRequest::CreateVault { account_id: "-".into(), vault_name: "sim-vault".into() },
//!     now,
//! );
//! assert_eq!(created.status, 201);
//! assert_eq!(created.header("Location"), Some("/111122223333/vaults/sim-vault"));
//! ```

pub mod authz;
pub mod docs;
pub mod error;
pub mod model;
pub mod outcome;
pub mod request;
pub mod scenario;
pub mod service;
pub mod time;
pub mod treehash;

pub use error::{ErrorCode, GlacierError, MessageSource};
pub use model::{Archive, LockState, StoredPolicy, Vault, VaultLock, vault_arn};
pub use outcome::{
    Authorization, GlacierOutcome, PolicyRun, StepOutcome, TraceStep, VaultEffect, VaultPolicyKind,
};
pub use request::{Caller, GlacierRequest, Operation, unwrap_policy_wrapper};
pub use service::Glacier;
pub use time::Timestamp;
pub use treehash::{TreeHash, tree_hash};

//! What an operation hands the pipeline: its [`Plan`] — the permissions the request needs (each
//! with the context keys derived from it), the KMS calls S3 will make on the caller's behalf, a
//! note to add if authorization denies — and its execution, which runs only once every planned
//! permission is allowed. The operation never authorizes anything itself:
//! [`crate::pipeline`] runs the stages (plan → authorize → execute) and marks the deciding step.
//!
//! Follows the operation → permission mapping
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html>)
//! and S3's order: authorize the whole request, then act
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html>).

use crate::authz::Check;
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::trace::GateStep;
use crate::view::WorldRef;
use crate::world::Identity;

/// How the planned permissions are authorized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Authorization {
    /// Every permission must be allowed; the first denial ends the request with `AccessDenied`.
    /// Empty: the operation needs no S3 permission (its service decides, or nothing is at stake).
    All(Vec<Check>),
    /// One permission per item of a batch (DeleteObjects): each is decided on its own, a denied
    /// item fails alone and the request still succeeds
    /// (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html>).
    EachItem(Vec<Check>),
}

/// A KMS call S3 makes on the caller's behalf after the S3 permissions are allowed (SSE-KMS
/// `GenerateDataKey` on a write, `Decrypt` on a read); KMS authorizes it against the key policy
/// and the caller's own policies
/// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html>).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KmsCall {
    /// `kms:GenerateDataKey` or `kms:Decrypt`.
    pub action: &'static str,
    /// The key as S3 names it to KMS (an ARN, an id, an alias).
    pub key: String,
    /// Set when KMS can be asked at the authorization stage, before anything runs: the call's
    /// encryption context and the bucket's Region. `None` leaves KMS's decision to the call
    /// itself (a Bucket Key served from S3's cache makes no call; a read or copy first checks
    /// what it reads).
    pub ahead: Option<KmsAhead>,
}

/// What the authorization stage needs to ask KMS about a call before S3 makes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KmsAhead {
    /// The encryption context the call will carry (`aws:s3:arn` = the object ARN, plus any
    /// pairs of `x-amz-server-side-encryption-context`).
    pub context: s3pg_crypto::EncryptionContext,
    /// The bucket's Region (KMS's `kms:ViaService` is `s3.REGION.amazonaws.com`).
    pub region: String,
}

/// What the authorization stage granted: for [`Authorization::EachItem`], which items were
/// allowed (in order); empty otherwise.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Granted {
    /// One flag per planned item.
    pub items: Vec<bool>,
}

/// The execution: runs after authorization allowed the plan, changes the world and builds the
/// response.
pub(crate) type Execute<'r> = Box<
    dyn FnOnce(&mut WorldRef<'_>, &mut Exchange<'_>, &Identity, Granted) -> Result<(), S3Error>
        + 'r,
>;

/// An operation's plan and its execution.
pub(crate) struct Plan<'r> {
    /// The permissions, in the order S3 checks them.
    pub authorization: Authorization,
    /// The KMS calls the execution will make on the caller's behalf.
    pub kms: Vec<KmsCall>,
    /// Steps added to the trace when authorization denies (what S3 would have done after it).
    pub if_denied: Vec<GateStep>,
    /// The execution.
    pub execute: Execute<'r>,
}

impl<'r> Plan<'r> {
    /// A plan needing every one of `checks`.
    pub fn new(
        checks: Vec<Check>,
        execute: impl FnOnce(
            &mut WorldRef<'_>,
            &mut Exchange<'_>,
            &Identity,
            Granted,
        ) -> Result<(), S3Error>
        + 'r,
    ) -> Self {
        Plan {
            authorization: Authorization::All(checks),
            kms: Vec::new(),
            if_denied: Vec::new(),
            execute: Box::new(execute),
        }
    }

    /// A plan needing one permission per item, each decided on its own.
    pub fn each_item(
        checks: Vec<Check>,
        execute: impl FnOnce(
            &mut WorldRef<'_>,
            &mut Exchange<'_>,
            &Identity,
            Granted,
        ) -> Result<(), S3Error>
        + 'r,
    ) -> Self {
        Plan {
            authorization: Authorization::EachItem(checks),
            ..Plan::new(Vec::new(), execute)
        }
    }

    /// A plan that needs one permission and then has nothing left to do but answer `error`
    /// (the error is decided before authorization but only told to an authorized caller).
    pub fn then_fail(checks: Vec<Check>, error: S3Error) -> Self {
        Plan::new(checks, move |_, _, _, _| Err(error))
    }

    /// Adds the KMS calls the execution will make.
    #[must_use]
    pub fn kms(mut self, calls: Vec<KmsCall>) -> Self {
        self.kms.extend(calls);
        self
    }

    /// Adds steps for the trace of a denied request.
    #[must_use]
    pub fn if_denied(mut self, steps: impl IntoIterator<Item = GateStep>) -> Self {
        self.if_denied.extend(steps);
        self
    }

    /// The planned permissions.
    pub fn checks(&self) -> &[Check] {
        match &self.authorization {
            Authorization::All(c) | Authorization::EachItem(c) => c,
        }
    }
}

/// A plan's shape, for tests and the trace: the actions, then the KMS calls.
impl std::fmt::Debug for Plan<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Plan")
            .field("authorization", &self.authorization)
            .field("kms", &self.kms)
            .finish_non_exhaustive()
    }
}

//! Who can access a resource: for every principal of the world (and the classes and service
//! principals of [`crate::principals`]) and every action asked about, whether the world allows
//! it, what decided, and — where the answer depends on the request — which request properties
//! make it allow (or make an allowed request fail), each verified by a dry run with that change.
//!
//! A concrete row is exactly [`crate::dry_run`] of that principal's request; a class row is the
//! dry run of the class's hypothetical caller; a service row evaluates the bucket policy and the
//! bucket ACL the way S3's log delivery and CloudTrail delivery do (those services do not send
//! requests the world could replay). Follows S3's authorization workflow
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html>)
//! and, for the services, the access-log and CloudTrail bucket-permission pages
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html>,
//! <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html>).

use serde::Serialize;

use s3pg_policy::{Principal, RequestContext, evaluate_policy};
use s3pg_sim::acl::{Grantee, Group};
use s3pg_sim::trace::{Decision, Gate};
use s3pg_sim::{Outcome, Request, Timestamp, World};

use crate::principals::{ServicePrincipal, Subject, subjects, with_class_callers};
use crate::props::{RequestChange, involved_condition_keys, involved_statements, world_changes};
use crate::resource::Resource;
use crate::{Verdict, dry_run};

/// How a row was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Basis {
    /// A dry run of the principal's request in the world as it is.
    DryRun,
    /// A dry run of a hypothetical caller standing for a class of principals.
    Hypothetical,
    /// The bucket policy and ACL, evaluated as the delivering service is authorized.
    ServiceDelivery,
}

/// One principal × action answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Row {
    /// Who.
    pub subject: Subject,
    /// The subject in words.
    pub who: String,
    /// The action.
    pub action: String,
    /// The answer for the default request (HTTPS, the default source IP, no VPC endpoint, no
    /// optional headers).
    pub verdict: Verdict,
    /// How it was answered.
    pub basis: Basis,
    /// The request that was dry-run (absent for service rows): replay it to see the trace.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<Request>,
    /// For a denied row: single request changes under which the world allows it (each verified).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub allowed_with: Vec<RequestChange>,
    /// For an allowed row: single request changes under which the world refuses it (each
    /// verified) — what the grant depends on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub denied_with: Vec<RequestChange>,
}

impl Row {
    /// "yes", "no", "only …" or "yes, unless …": the row's answer with its condition summary.
    pub fn summary(&self) -> String {
        let join = |v: &[RequestChange]| {
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", or ")
        };
        match (
            self.verdict.allowed,
            self.allowed_with.is_empty(),
            self.denied_with.is_empty(),
        ) {
            (true, _, true) => "yes".to_owned(),
            (true, _, false) => format!("yes, but not {}", join(&self.denied_with)),
            (false, true, _) => "no".to_owned(),
            (false, false, _) => format!("only {}", join(&self.allowed_with)),
        }
    }
}

/// The answer to "who can access this resource".
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WhoCan {
    /// The resource.
    pub resource: Resource,
    /// The actions asked about.
    pub actions: Vec<String>,
    /// One row per subject × action, subjects in [`subjects`] order.
    pub rows: Vec<Row>,
}

/// Options for [`who_can`].
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The actions to ask about (default: every action of the resource kind).
    pub actions: Option<Vec<String>>,
    /// Skip the condition summaries (each costs a dry run per candidate change).
    pub without_conditions: bool,
}

/// Who can do what to `resource` at `now`.
pub fn who_can(world: &World, resource: &Resource, now: Timestamp, options: &Options) -> WhoCan {
    let mut run = Run::new(world, resource, now, options);
    run.step(world, usize::MAX);
    run.answer
}

/// Who-can asked a few principals at a time, so a page can show the first ones while the others
/// are still being asked: [`Run::step`] asks the next principals (in [`subjects`] order) and
/// [`Run::answer`] holds the rows so far. Asked to the end, the answer is exactly [`who_can`]'s.
#[derive(Debug, Clone)]
pub struct Run {
    /// The rows so far (every row of the principals asked).
    answer: WhoCan,
    /// Every principal to ask, in order.
    subjects: Vec<Subject>,
    /// How many of them have been asked.
    asked: usize,
    /// The world with the class callers ([`with_class_callers`]).
    hypothetical: World,
    /// The request changes to try for the condition summaries, unless skipped.
    pool: Option<Vec<RequestChange>>,
    /// When.
    now: Timestamp,
}

impl Run {
    /// A run over `world` that has asked no one yet.
    pub fn new(world: &World, resource: &Resource, now: Timestamp, options: &Options) -> Run {
        let actions: Vec<String> = options
            .actions
            .clone()
            .unwrap_or_else(|| resource.actions().iter().map(|a| (*a).to_owned()).collect());
        Run {
            answer: WhoCan {
                resource: resource.clone(),
                actions,
                rows: Vec::new(),
            },
            subjects: subjects(world),
            asked: 0,
            hypothetical: with_class_callers(world),
            pool: (!options.without_conditions).then(|| world_changes(world, now)),
            now,
        }
    }

    /// Asks the next `count` principals (at most) every action; `world` must be the world the
    /// run began with.
    pub fn step(&mut self, world: &World, count: usize) {
        let end = self.asked.saturating_add(count).min(self.subjects.len());
        for subject in self.subjects.get(self.asked..end).unwrap_or_default() {
            for action in &self.answer.actions {
                if let Some(row) = answer(
                    world,
                    &self.hypothetical,
                    &self.answer.resource,
                    subject,
                    action,
                    self.now,
                    self.pool.as_deref(),
                ) {
                    self.answer.rows.push(row);
                }
            }
        }
        self.asked = end;
    }

    /// The rows of the principals asked so far.
    pub fn answer(&self) -> &WhoCan {
        &self.answer
    }

    /// How many principals have been asked, and how many there are.
    pub fn progress(&self) -> (usize, usize) {
        (self.asked, self.subjects.len())
    }

    /// Whether every principal has been asked.
    pub fn done(&self) -> bool {
        self.asked >= self.subjects.len()
    }
}

/// One row: `subject` × `action` on `resource`. `hypothetical` is `world` with the class
/// callers added ([`with_class_callers`]); `changes`, when given, are the request changes to try
/// for the condition summary ([`world_changes`]) — only those that address a condition of a
/// statement the dry run involved, and that could turn the answer around
/// ([`RequestChange::can_turn`]), are tried. `None` when the action does not apply.
pub fn answer(
    world: &World,
    hypothetical: &World,
    resource: &Resource,
    subject: &Subject,
    action: &str,
    now: Timestamp,
    changes: Option<&[RequestChange]>,
) -> Option<Row> {
    let (request, outcome, basis) = match ask(world, hypothetical, resource, subject, action, now)?
    {
        Asked::Service(verdict) => {
            return Some(Row {
                subject: subject.clone(),
                who: subject.label(),
                action: action.to_owned(),
                verdict,
                basis: Basis::ServiceDelivery,
                request: None,
                allowed_with: Vec::new(),
                denied_with: Vec::new(),
            });
        }
        Asked::DryRun {
            request,
            outcome,
            basis,
        } => (request, outcome, basis),
    };
    let w = match basis {
        Basis::Hypothetical => hypothetical,
        _ => world,
    };
    let v = Verdict::of(&outcome);
    let mut allowed_with = Vec::new();
    let mut denied_with = Vec::new();
    if let Some(pool) = changes
        && v.decision.is_some()
    {
        let keys = involved_condition_keys(&outcome);
        let mfa = outcome.trace.iter().any(|s| s.gate == Gate::MfaDelete);
        // The involved statements are read once, and only for a change that may be skipped;
        // without a policy evaluation to read, every change is tried.
        let mut statements = None;
        let tried = pool.iter().filter(|c| {
            !c.is_noop(&request)
                && keys.as_ref().is_none_or(|k| c.addresses(k, mfa))
                && (!c.may_skip(&request)
                    || statements
                        .get_or_insert_with(|| {
                            keys.as_ref().and_then(|_| involved_statements(&outcome))
                        })
                        .as_ref()
                        .is_none_or(|st| c.can_turn(&request, st, v.allowed)))
        });
        for change in tried {
            let mut changed = request.clone();
            change.apply(&mut changed);
            // Only the decision is read from a try.
            let decision = dry_run(w, &changed, now).decision;
            match (v.allowed, decision) {
                (false, Some(Decision::Allow)) => allowed_with.push(change.clone()),
                (true, Some(d)) if d != Decision::Allow => denied_with.push(change.clone()),
                _ => {}
            }
        }
    }
    Some(Row {
        subject: subject.clone(),
        who: subject.label(),
        action: action.to_owned(),
        verdict: v,
        basis,
        request: Some(request),
        allowed_with,
        denied_with,
    })
}

/// What one question got: a service's verdict, or the dry run of the subject's request.
#[expect(
    clippy::large_enum_variant,
    reason = "one lives at a time, on the stack, and is read at once: boxing would add an allocation to every dry run"
)]
pub(crate) enum Asked {
    /// A service principal's verdict ([`Basis::ServiceDelivery`]).
    Service(Verdict),
    /// The dry run of the request.
    DryRun {
        /// The request.
        request: Request,
        /// What the world answered.
        outcome: Outcome,
        /// [`Basis::DryRun`] or [`Basis::Hypothetical`].
        basis: Basis,
    },
}

impl Asked {
    /// Whether the world allows it.
    pub(crate) fn allowed(&self) -> bool {
        match self {
            Asked::Service(v) => v.allowed,
            Asked::DryRun { outcome, .. } => outcome.decision == Some(Decision::Allow),
        }
    }

    /// The verdict, in words.
    pub(crate) fn verdict(&self) -> Verdict {
        match self {
            Asked::Service(v) => v.clone(),
            Asked::DryRun { outcome, .. } => Verdict::of(outcome),
        }
    }
}

/// `subject` × `action` on `resource`, asked once: the dry run (or the service's verdict),
/// before any sentence is read from it. `None` when the action does not apply.
pub(crate) fn ask(
    world: &World,
    hypothetical: &World,
    resource: &Resource,
    subject: &Subject,
    action: &str,
    now: Timestamp,
) -> Option<Asked> {
    if let Subject::Service { service } = subject {
        return service_verdict(world, resource, *service, action).map(Asked::Service);
    }
    let (w, basis) = if subject.is_concrete() {
        (world, Basis::DryRun)
    } else {
        (hypothetical, Basis::Hypothetical)
    };
    let request = resource.request(w, subject.caller()?, action)?;
    let outcome = dry_run(w, &request, now);
    Some(Asked::DryRun {
        request,
        outcome,
        basis,
    })
}

/// How a delivering service is authorized on an S3 resource: the bucket policy (an explicit deny
/// wins) and, for log delivery while ACLs are enabled, the Log Delivery group's ACL grants.
fn service_verdict(
    world: &World,
    resource: &Resource,
    service: ServicePrincipal,
    action: &str,
) -> Option<Verdict> {
    if !service.actions().contains(&action) {
        return None;
    }
    let bucket_name = resource.bucket()?;
    let bucket = world.buckets.get(bucket_name)?;
    let arn = match resource {
        Resource::Bucket { bucket } if action == "s3:PutObject" => {
            format!("arn:aws:s3:::{bucket}/{}", crate::resource::NEW_OBJECT_KEY)
        }
        Resource::Bucket { bucket } => format!("arn:aws:s3:::{bucket}"),
        Resource::Object { bucket, key } | Resource::Version { bucket, key, .. } => {
            format!("arn:aws:s3:::{bucket}/{key}")
        }
        Resource::KmsKey { .. } | Resource::Vault { .. } => return None,
    };
    let (mut allows, mut denies, mut by) = (false, false, String::new());
    if let Some(doc) = &bucket.policy
        && let Ok(policy) = world.policies.parsed(doc)
    {
        let rc = RequestContext::new(Principal::Service(service.name().to_owned()), action, arn)
            .with_resource_account(bucket.owner.clone());
        let e = evaluate_policy(&policy, &rc);
        allows = e.allows();
        denies = e.denies();
        if allows || denies {
            by = "Bucket policy".to_owned();
        }
    }
    // Log delivery writes objects with the bucket's WRITE grant (an object-level action granted
    // on the bucket ACL), and reads nothing else.
    let acl_grants = service == ServicePrincipal::LogDelivery
        && bucket.acls_enabled()
        && bucket.acl.as_ref().is_some_and(|acl| {
            acl.grants.iter().any(|g| {
                g.grantee == Grantee::Group(Group::LogDelivery)
                    && (g.permission.grants_action(false, action))
            })
        });
    let allowed = !denies && (allows || acl_grants);
    let reason = if denies {
        format!(
            "the bucket policy explicitly denies `{action}` to `{}`",
            service.name()
        )
    } else if allows {
        format!(
            "the bucket policy allows `{}` to `{action}`",
            service.name()
        )
    } else if acl_grants {
        "the bucket ACL grants the Log Delivery group this permission".to_owned()
    } else {
        format!(
            "neither the bucket policy nor the bucket ACL grants `{}` `{action}`",
            service.name()
        )
    };
    if acl_grants && !allows {
        by = "Bucket ACL (Log Delivery group)".to_owned();
    }
    Some(Verdict {
        allowed,
        decision: Some(if denies {
            Decision::ExplicitDeny
        } else if allowed {
            Decision::Allow
        } else {
            Decision::ImplicitDeny
        }),
        status: if allowed { 200 } else { 403 },
        error: (!allowed).then(|| "AccessDenied".to_owned()),
        deciding: None,
        reason,
        granted_by: allowed.then(|| by.clone()),
    })
}

//! The pipeline every request goes through, and the dry run.
//!
//! `World::handle` and `World::authorize` run the very same stages — the simulated clock's due
//! work (KMS rotations, log deliveries), authentication, the operation's checks and permissions,
//! authorization, execution, then auditing — over a [`WorldRef`]. For `handle` it is the world
//! itself; for `authorize` it is the world borrowed read-only, copied only at the first stage
//! that would change it. A dry run therefore cannot diverge from `handle` (it is the same code)
//! and never changes the world; a request that only reads (every denied request, an authorized
//! GetObject, a listing) costs no copy at all.
//!
//! Follows S3's request flow: authenticate, authorize, then act
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html>).

use std::ops::{Deref, DerefMut};

use crate::request::{Operation, Request};
use crate::time::Timestamp;
use crate::trace::{Gate, GateStep, Outcome, StepOutcome};
use crate::world::{World, opaque_id};

/// The world a request runs against: the live world, or a dry run's copy-on-write view.
pub(crate) enum WorldRef<'w> {
    /// `World::handle`: changes land in the world.
    Live(&'w mut World),
    /// `World::authorize`: reads go to `base` until a stage needs to write; then `base` is copied
    /// once and the stage writes to the copy, which is dropped with the dry run.
    DryRun {
        base: &'w World,
        copy: Option<Box<World>>,
        /// The sequence as the request has advanced it (request ids) before any copy.
        sequence: u64,
    },
}

impl<'w> WorldRef<'w> {
    /// A dry run over `world`.
    pub(crate) fn dry_run(world: &'w World) -> Self {
        WorldRef::DryRun {
            base: world,
            copy: None,
            sequence: world.sequence,
        }
    }

    /// The next sequence number (version ids, request ids), without copying a dry run's world.
    pub(crate) fn next_seq(&mut self) -> u64 {
        match self {
            WorldRef::Live(w) => w.next_seq(),
            WorldRef::DryRun { copy: Some(c), .. } => c.next_seq(),
            WorldRef::DryRun {
                copy: None,
                sequence,
                ..
            } => {
                *sequence = sequence.wrapping_add(1);
                *sequence
            }
        }
    }

    /// A fresh request id (advances the sequence).
    pub(crate) fn next_request_id(&mut self) -> String {
        let seq = self.next_seq();
        opaque_id(seq ^ 0x5EED, 16).to_ascii_uppercase()
    }
}

impl Deref for WorldRef<'_> {
    type Target = World;

    fn deref(&self) -> &World {
        match self {
            WorldRef::Live(w) => w,
            WorldRef::DryRun { copy: Some(c), .. } => c,
            WorldRef::DryRun { base, .. } => base,
        }
    }
}

impl DerefMut for WorldRef<'_> {
    fn deref_mut(&mut self) -> &mut World {
        match self {
            WorldRef::Live(w) => w,
            WorldRef::DryRun {
                base,
                copy,
                sequence,
            } => copy.get_or_insert_with(|| {
                let mut c = Box::new((*base).clone());
                c.sequence = *sequence;
                c
            }),
        }
    }
}

/// Whether the simulated clock has KMS work due at `now` (an automatic rotation or the end of a
/// key's deletion waiting period).
fn kms_work_due(world: &World, now: Timestamp) -> bool {
    let now = now.epoch_seconds();
    world.kms.keys.values().any(|k| {
        (k.rotation_enabled
            && k.state == s3pg_kms::KeyState::Enabled
            && k.next_rotation_date.is_some_and(|due| due <= now))
            || k.is_deleted_at(now)
    })
}

/// Runs one request through every stage.
pub(crate) fn run(world: &mut WorldRef<'_>, request: &Request, now: Timestamp) -> Outcome {
    // Work due on the simulated clock happens first: KMS rotations and deletions, then the
    // access logs and trail files due by now.
    if kms_work_due(world, now) {
        let w: &mut World = world;
        let mut e = w.entropy.next_stream();
        w.kms.advance(now.epoch_seconds(), &mut e);
    }
    // S3 Lifecycle's actions due by now (each at its midnight UTC), before anything else reads.
    let (lifecycle_steps, lifecycle_effects) = if crate::ops::lifecycle_due(world, now) {
        let w: &mut World = world;
        crate::ops::run_lifecycle(w, now)
    } else {
        (Vec::new(), Vec::new())
    };
    let delivered = crate::audit::deliver(world, now);
    let mut outcome = if matches!(request.operation, Operation::PresignedRequest { .. }) {
        crate::presigned::handle(world, request, now)
    } else {
        let request_id = world.next_request_id();
        let mut ctx = crate::exchange::Exchange::new(request, now, request_id);
        crate::ops::run(world, &mut ctx);
        ctx.finish()
    };
    if !delivered.is_empty() || !lifecycle_steps.is_empty() {
        let mut trace = lifecycle_steps;
        trace.extend(delivered);
        trace.append(&mut outcome.trace);
        outcome.trace = trace;
    }
    if !lifecycle_effects.is_empty() {
        let mut effects = lifecycle_effects;
        effects.append(&mut outcome.effects);
        outcome.effects = effects;
    }
    crate::audit::observe(world, request, now, &mut outcome);
    if is_head(request) {
        strip_head_error(&mut outcome);
    }
    outcome
}

/// Whether the request is an HTTP HEAD (HeadObject, or a pre-signed URL used with HEAD).
fn is_head(request: &Request) -> bool {
    match &request.operation {
        Operation::HeadObject { .. } => true,
        Operation::PresignedRequest { method, .. } => method.eq_ignore_ascii_case("HEAD"),
        _ => false,
    }
}

/// A HEAD response has no body, errors included: the client gets the status and the headers,
/// never `<Error><Code>…` (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html>).
/// The access log (written above) still records the code S3 meant; the trace says it too.
fn strip_head_error(outcome: &mut Outcome) {
    outcome.body = None;
    if let Some(error) = outcome.error.take() {
        outcome.trace.push(GateStep::new(
            Gate::Execution,
            StepOutcome::Info,
            format!(
                "a HEAD response has no body, so the client sees only the status `{}` and the headers, \
                 not the error code `{}` S3 means",
                outcome.status, error.code
            ),
            crate::docs::MISSING_KEY,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::Caller;

    fn world() -> World {
        let mut w: World = serde_json::from_value(serde_json::json!({
            "accounts": {"111122223333": {"users": {"alice": {"policies": [{"name": "read", "document": {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}}]}}}},
            "buckets": {"b": {"owner": "111122223333", "objects": {"k": {"versions": [{"owner": "111122223333", "body": "1"}]}}}}
        }))
        .unwrap();
        w.normalize();
        w
    }

    fn copied(world: &World, request: &Request) -> bool {
        let mut view = WorldRef::dry_run(world);
        run(&mut view, request, Timestamp(1_767_258_000));
        matches!(view, WorldRef::DryRun { copy: Some(_), .. })
    }

    fn get(caller: Caller) -> Request {
        Request::new(
            caller,
            serde_json::from_value(serde_json::json!({"GetObject": {"bucket": "b", "key": "k"}}))
                .unwrap(),
        )
    }

    #[test]
    fn reads_and_denials_are_dry_run_without_copying_the_world() {
        let w = world();
        let alice = Caller::User {
            name: "alice".into(),
            account: Some("111122223333".into()),
        };
        assert_eq!(w.authorize(&get(alice.clone()), Timestamp(1)).status, 200);
        assert!(!copied(&w, &get(alice)));
        assert!(!copied(&w, &get(Caller::Anonymous)));
    }

    #[test]
    fn a_head_error_has_a_status_and_no_body() {
        let mut w = world();
        let head = Request::new(
            Caller::Root {
                account: "111122223333".into(),
            },
            serde_json::from_value(
                serde_json::json!({"HeadObject": {"bucket": "b", "key": "gone"}}),
            )
            .unwrap(),
        );
        let o = w.handle(&head, Timestamp(1));
        assert_eq!(o.status, 404);
        assert!(o.error.is_none() && o.body.is_none());
        assert!(
            o.trace
                .iter()
                .any(|s| s.explanation.contains("`NoSuchKey`"))
        );
    }

    #[test]
    fn a_write_is_dry_run_on_a_copy() {
        let w = world();
        let put = Request::new(
            Caller::Root {
                account: "111122223333".into(),
            },
            serde_json::from_value(
                serde_json::json!({"PutObject": {"bucket": "b", "key": "n", "body": "2"}}),
            )
            .unwrap(),
        );
        assert!(copied(&w, &put));
        assert!(!w.buckets["b"].objects.contains_key("n"));
    }
}

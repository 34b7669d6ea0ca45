//! Model-based property test of the Vault Lock state machine
//! (<https://docs.aws.amazon.com/amazonglacier/latest/dev/vault-lock.html>, reference §9.2):
//! random sequences of initiate / complete (right or wrong id) / abort / set-access-policy /
//! get / time-advance are run against the service and against a ten-line reference model.
//! Statuses and states must agree at every step; a Locked policy never changes afterwards; an
//! in-progress lock past its 24 hours is never seen again.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers outside #[test] functions should stop at the first failure"
)]

mod common;

use common::*;
use proptest::prelude::*;
use s3pg_glacier::{GlacierRequest, LockState, Timestamp};

#[derive(Debug, Clone)]
enum Step {
    Initiate,
    CompleteRight,
    CompleteWrong,
    Abort,
    SetAccessPolicy,
    GetLock,
    Advance(u64),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => Just(Step::Initiate),
        3 => Just(Step::CompleteRight),
        1 => Just(Step::CompleteWrong),
        2 => Just(Step::Abort),
        1 => Just(Step::SetAccessPolicy),
        1 => Just(Step::GetLock),
        // Up to 30 hours: often inside the 24-hour window, sometimes past it.
        3 => (0u64..30 * 3600).prop_map(Step::Advance),
    ]
}

/// The reference model: no lock, in progress (id, initiated at), or locked (id).
#[derive(Debug, Clone, PartialEq)]
enum Model {
    None,
    InProgress(String, Timestamp),
    Locked(String),
}

const DAY: u64 = 86_400;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn vault_lock_matches_the_model_and_locked_never_changes(steps in prop::collection::vec(step(), 1..40)) {
        let mut g = with_vault();
        let mut now = t0();
        let mut model = Model::None;
        let mut frozen: Option<s3pg_glacier::VaultLock> = None;
        for s in steps {
            // The model's clock: an in-progress lock past its window is gone.
            if let Model::InProgress(_, at) = &model
                && now.0 >= at.0 + DAY
            {
                model = Model::None;
            }
            let current_id = match &model {
                Model::InProgress(id, _) | Model::Locked(id) => id.clone(),
                Model::None => "NoSuchLockIdAtAll0000000".into(),
            };
            let (request, expected) = match &s {
                Step::Advance(secs) => {
                    now = now.plus(*secs);
                    continue;
                }
                Step::Initiate => (initiate(&retention_policy()), match model {
                    Model::None => 201,
                    _ => 403,
                }),
                Step::CompleteRight => (complete(&current_id), match model {
                    Model::None => 400,
                    _ => 204,
                }),
                Step::CompleteWrong => (complete("WrongLockId0000000000000"), match model {
                    Model::None | Model::InProgress(..) => 400,
                    Model::Locked(_) => 403,
                }),
                Step::Abort => (abort(), match model {
                    Model::Locked(_) => 403,
                    _ => 204,
                }),
                Step::SetAccessPolicy => (set_access_policy(&retention_policy()), 204),
                Step::GetLock => (get_lock(), match model {
                    Model::None => 404,
                    _ => 200,
                }),
            };
            let out = g.handle(&root(), &request, now);
            prop_assert_eq!(out.status, expected, "step {:?} with model {:?}: {:#?}", s, model, out.trace);

            // Advance the model.
            model = match (&s, model) {
                (Step::Initiate, Model::None) => Model::InProgress(out.header("x-amz-lock-id").unwrap().to_string(), now),
                (Step::CompleteRight, Model::InProgress(id, _)) => Model::Locked(id),
                (Step::Abort, Model::InProgress(..)) => Model::None,
                (_, m) => m,
            };

            let lock = g.vault_by_arn(VAULT_ARN).unwrap().lock.clone();
            // The service agrees with the model.
            match (&model, &lock) {
                (Model::None, None) => {}
                (Model::InProgress(id, at), Some(l)) => {
                    prop_assert_eq!(l.state, LockState::InProgress);
                    prop_assert_eq!(&l.lock_id, id);
                    prop_assert_eq!(l.creation_date, *at);
                }
                (Model::Locked(id), Some(l)) => {
                    prop_assert_eq!(l.state, LockState::Locked);
                    prop_assert_eq!(&l.lock_id, id);
                }
                (m, l) => prop_assert!(false, "model {:?} but service {:?}", m, l),
            }
            // An in-progress lock is never visible past its window.
            if let Some(l) = &lock {
                prop_assert!(!l.is_expired(now), "expired lock still attached: {:?} at {}", l, now);
            }
            // Once locked, the lock never changes again.
            match (&frozen, &lock) {
                (Some(f), l) => prop_assert_eq!(Some(f), l.as_ref()),
                (None, Some(l)) if l.state == LockState::Locked => frozen = Some(l.clone()),
                _ => {}
            }
        }
        // Even a very long wait leaves a locked policy in place and removes any other.
        g.advance(now.plus_days(10_000));
        let lock = g.vault_by_arn(VAULT_ARN).unwrap().lock.clone();
        prop_assert_eq!(frozen, lock);
    }

    #[test]
    fn an_in_progress_lock_disappears_exactly_at_24_hours(offset in 0u64..2 * DAY) {
        let mut g = with_vault();
        let initiated = t0().plus(offset % 1000);
        initiate_at(&mut g, &retention_policy(), initiated);
        let at = initiated.plus(offset);
        let out = g.handle(&root(), &get_lock(), at);
        if offset < DAY {
            prop_assert_eq!(out.status, 200);
        } else {
            prop_assert_eq!(out.status, 404);
            prop_assert!(g.vault_by_arn(VAULT_ARN).unwrap().lock.is_none());
        }
    }
}

#[test]
fn set_access_policy_request_helper_targets_the_vault() {
    assert!(matches!(
        set_access_policy("{}"),
        GlacierRequest::SetVaultAccessPolicy { .. }
    ));
}

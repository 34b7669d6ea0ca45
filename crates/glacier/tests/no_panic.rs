//! Whatever a learner or a scenario sends, `Glacier::handle` answers (a status and a trace) and
//! never panics: random operations with arbitrary names, ids, policies, bodies, callers and times.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers outside #[test] functions should stop at the first failure"
)]

mod common;

use common::*;
use proptest::prelude::*;
use s3pg_glacier::{Caller, GlacierRequest, Timestamp};
use s3pg_policy::Principal;

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(VAULT.to_string()),
        Just("-".to_string()),
        Just(ACCOUNT.to_string()),
        Just(retention_policy()),
        "[ -~]{0,40}",
        ".{0,20}",
    ]
}

fn request() -> impl Strategy<Value = GlacierRequest> {
    let a = || text();
    prop_oneof![
        (a(), a()).prop_map(|(account_id, vault_name)| GlacierRequest::CreateVault {
            account_id,
            vault_name
        }),
        (a(), a()).prop_map(|(account_id, vault_name)| GlacierRequest::DeleteVault {
            account_id,
            vault_name
        }),
        (a(), a()).prop_map(|(account_id, vault_name)| GlacierRequest::DescribeVault {
            account_id,
            vault_name
        }),
        (
            a(),
            proptest::option::of(a()),
            proptest::option::of(any::<u32>())
        )
            .prop_map(|(account_id, marker, limit)| GlacierRequest::ListVaults {
                account_id,
                marker,
                limit
            }),
        (a(), a(), a()).prop_map(|(account_id, vault_name, policy)| {
            GlacierRequest::SetVaultAccessPolicy {
                account_id,
                vault_name,
                policy,
            }
        }),
        (a(), a()).prop_map(
            |(account_id, vault_name)| GlacierRequest::GetVaultAccessPolicy {
                account_id,
                vault_name
            }
        ),
        (a(), a()).prop_map(
            |(account_id, vault_name)| GlacierRequest::DeleteVaultAccessPolicy {
                account_id,
                vault_name
            }
        ),
        (a(), a(), a()).prop_map(|(account_id, vault_name, policy)| {
            GlacierRequest::InitiateVaultLock {
                account_id,
                vault_name,
                policy,
            }
        }),
        (a(), a(), a()).prop_map(|(account_id, vault_name, lock_id)| {
            GlacierRequest::CompleteVaultLock {
                account_id,
                vault_name,
                lock_id,
            }
        }),
        (a(), a()).prop_map(|(account_id, vault_name)| GlacierRequest::AbortVaultLock {
            account_id,
            vault_name
        }),
        (a(), a()).prop_map(|(account_id, vault_name)| GlacierRequest::GetVaultLock {
            account_id,
            vault_name
        }),
        (
            a(),
            a(),
            proptest::collection::vec(any::<u8>(), 0..64),
            proptest::option::of(a()),
            proptest::option::of(a())
        )
            .prop_map(
                |(account_id, vault_name, body, description, sha256_tree_hash)| {
                    GlacierRequest::UploadArchive {
                        account_id,
                        vault_name,
                        body,
                        description,
                        sha256_tree_hash,
                    }
                }
            ),
        (a(), a(), a()).prop_map(|(account_id, vault_name, archive_id)| {
            GlacierRequest::DeleteArchive {
                account_id,
                vault_name,
                archive_id,
            }
        }),
        (a(), a(), proptest::collection::btree_map(a(), a(), 0..4)).prop_map(
            |(account_id, vault_name, tags)| GlacierRequest::AddTagsToVault {
                account_id,
                vault_name,
                tags
            }
        ),
        (a(), a(), proptest::collection::vec(a(), 0..4)).prop_map(
            |(account_id, vault_name, tag_keys)| GlacierRequest::RemoveTagsFromVault {
                account_id,
                vault_name,
                tag_keys
            }
        ),
        (a(), a()).prop_map(
            |(account_id, vault_name)| GlacierRequest::ListTagsForVault {
                account_id,
                vault_name
            }
        ),
        (
            a(),
            a(),
            a(),
            proptest::option::of(a()),
            proptest::option::of(a())
        )
            .prop_map(|(account_id, vault_name, job_type, archive_id, tier)| {
                GlacierRequest::InitiateJob {
                    account_id,
                    vault_name,
                    job_type,
                    archive_id,
                    tier,
                }
            }),
    ]
}

fn caller() -> impl Strategy<Value = Caller> {
    prop_oneof![
        Just(root()),
        Just(admin()),
        Just(nobody()),
        Just(outsider()),
        Just(Caller::new(Principal::Anonymous, REGION)),
        Just(Caller::new(
            Principal::Service("glacier.amazonaws.com".into()),
            REGION
        )),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]
    #[test]
    fn handle_never_panics_and_always_explains(
        steps in proptest::collection::vec((caller(), request(), 0u64..400 * 86_400), 1..25)
    ) {
        let mut g = with_vault();
        upload_at(&mut g, "seed", t0());
        for (who, req, at) in steps {
            let out = g.handle(&who, &req, Timestamp(t0().0 + at));
            prop_assert!(!out.trace.is_empty());
            prop_assert!(matches!(out.status, 200 | 201 | 202 | 204 | 400 | 403 | 404));
            prop_assert_eq!(out.error.is_some(), out.status >= 400);
            if let Some(e) = &out.error {
                prop_assert_eq!(e.status(), out.status);
            }
        }
        // Whatever happened, the state still round-trips through serde.
        let json = serde_json::to_string(&g).unwrap();
        let back: s3pg_glacier::Glacier = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, g);
    }
}

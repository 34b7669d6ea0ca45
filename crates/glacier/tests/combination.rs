//! Differential check of how the two vault policies combine (src/authz.rs): running the engine
//! once per vault policy and combining (explicit deny > allow > implicit deny) must give the same
//! decision as one engine run over a single policy holding both policies' statements — IAM's
//! "all applicable policies together" rule
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>).
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "test helpers outside #[test] functions should stop at the first failure"
)]

mod common;

use common::*;
use proptest::prelude::*;
use s3pg_glacier::{LockState, StoredPolicy, Vault, VaultLock, authz};
use s3pg_policy::{NamedPolicy, Policy, RequestContext, evaluate};

/// Statement pool: allows and denies to the account, another account, a user, everyone, with and
/// without the archive-age condition.
fn pool() -> Vec<String> {
    let age = r#","Condition":{"NumericLessThan":{"glacier:ArchiveAgeInDays":"365"}}"#;
    let mut v = Vec::new();
    for effect in ["Allow", "Deny"] {
        for principal in [
            r#""*""#.to_string(),
            format!(r#"{{"AWS":"{ACCOUNT}"}}"#),
            format!(r#"{{"AWS":"arn:aws:iam::{OTHER}:root"}}"#),
            format!(r#"{{"AWS":"arn:aws:iam::{ACCOUNT}:user/nobody"}}"#),
        ] {
            for action in ["glacier:DeleteArchive", "glacier:Describe*"] {
                for cond in ["", age] {
                    v.push(format!(
                        r#"{{"Effect":"{effect}","Principal":{principal},"Action":"{action}","Resource":"{VAULT_ARN}"{cond}}}"#
                    ));
                }
            }
        }
    }
    v
}

fn doc(statements: &[String]) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn two_runs_combined_equal_one_run_over_the_union(
        access in proptest::collection::vec(0usize..32, 0..3),
        lock in proptest::collection::vec(0usize..32, 0..3),
        who in 0usize..4,
        action in prop_oneof![Just("glacier:DeleteArchive"), Just("glacier:DescribeVault")],
        age in prop_oneof![Just(10u64), Just(400u64)],
    ) {
        let pool = pool();
        let pick = |ix: &[usize]| ix.iter().map(|&i| pool[i].clone()).collect::<Vec<_>>();
        let (access, lock) = (pick(&access), pick(&lock));
        let mut vault = Vault::new(ACCOUNT, REGION, VAULT, t0());
        if !access.is_empty() {
            vault.access_policy = Some(StoredPolicy::parse(&doc(&access)).unwrap());
        }
        if !lock.is_empty() {
            vault.lock = Some(VaultLock {
                policy: StoredPolicy::parse(&doc(&lock)).unwrap(),
                state: LockState::Locked,
                lock_id: "L".into(),
                creation_date: t0(),
            });
        }
        let caller = [root(), admin(), nobody(), outsider()][who].clone();
        let now = t0().plus_days(age);
        let extra = [("glacier:ArchiveAgeInDays", age.to_string().into())];
        let keys = authz::context_keys(&caller, Some(&vault), now, &extra);
        let ours = authz::authorize(&caller, action, VAULT_ARN, ACCOUNT, Some(&vault), true, keys.clone());

        // The reference: one resource policy holding every statement of both.
        let mut set = caller.policies.clone();
        let union: Vec<String> = access.iter().chain(lock.iter()).cloned().collect();
        set.resource_policy = (!union.is_empty())
            .then(|| NamedPolicy::new("union", Policy::parse(&doc(&union)).unwrap()));
        let mut request = RequestContext::new(caller.principal.clone(), action, VAULT_ARN)
            .with_resource_account(ACCOUNT);
        request.context = keys;
        let reference = evaluate(&request, &set);
        prop_assert_eq!(ours.decision, reference.decision, "access {:?} lock {:?}", access, lock);
    }
}

//! A key's life: CreateKey (with the key policy lockout safety check), DescribeKey, Enable and
//! DisableKey, Schedule and CancelKeyDeletion, automatic rotation and RotateKeyOnDemand.
//!
//! Follows <https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html>, the other
//! key operations of the API Reference, and
//! <https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html>.

use std::collections::BTreeMap;

use serde_json::json;

use s3pg_crypto::{Entropy, KeyRing};
use s3pg_policy::Decision;

use super::Kms;
use super::types::{CreateKeyInput, KeyMetadata, RotationStatus, ScheduleKeyDeletionOutput};
use super::{customer_managed, key_arn, lockout_check, parse_policy, respond, validation};
use crate::authz::authorize_create;
use crate::caller::Caller;
use crate::error::KmsError;
use crate::key::{
    DAY, DEFAULT_PENDING_WINDOW_DAYS, DEFAULT_ROTATION_PERIOD_DAYS, KeyManager, KeyState, KmsKey,
    RotationType, default_key_policy, new_key_id,
};
use crate::response::{KmsOperation, KmsResponse};

impl Kms {
    /// `CreateKey`: a symmetric encryption key in the caller's account and Region. Without a
    /// policy it gets the default key policy (the account statement that enables IAM policies).
    pub fn create_key(
        &mut self,
        caller: &Caller,
        input: &CreateKeyInput,
        entropy: &mut (impl Entropy + ?Sized),
    ) -> KmsResponse<KeyMetadata> {
        let op = KmsOperation::CreateKey;
        let params = json!({
            "description": input.description,
            "keySpec": "SYMMETRIC_DEFAULT",
            "keyUsage": "ENCRYPT_DECRYPT",
            "bypassPolicyLockoutSafetyCheck": input.bypass_policy_lockout_safety_check,
        });
        let mut trace = self.purge(caller.now);
        let evaluation = authorize_create(caller);
        trace.push(evaluation.summary.clone());
        let Some(account) = caller.account().map(str::to_owned) else {
            let e = KmsError::AccessDenied {
                message: format!(
                    "User: {} is not authorized to perform: kms:CreateKey on resource: *",
                    caller.arn_for_messages()
                ),
                same_account: false,
            };
            return respond(op, caller, Err(e), Some(evaluation), trace, params, vec![]);
        };
        if evaluation.decision != Decision::Allow {
            let reason = evaluation.denial.map_or_else(
                || "because no identity-based policy allows the kms:CreateKey action".to_owned(),
                |d| crate::authz::denial_reason(&d, "kms:CreateKey"),
            );
            let e = KmsError::AccessDenied {
                message: format!(
                    "User: {} is not authorized to perform: kms:CreateKey on resource: * {reason}",
                    caller.arn_for_messages()
                ),
                same_account: true,
            };
            return respond(op, caller, Err(e), Some(evaluation), trace, params, vec![]);
        }
        let policy_text = match &input.policy {
            Some(p) => p.clone(),
            None => {
                trace.push(format!(
                    "no key policy given: KMS applies the default key policy, whose one statement allows the account `arn:aws:iam::{account}:root` all of `kms:*` and so lets IAM policies grant access"
                ));
                default_key_policy(&account)
            }
        };
        let policy = match parse_policy(&policy_text) {
            Ok(p) => p,
            Err(e) => return respond(op, caller, Err(e), Some(evaluation), trace, params, vec![]),
        };
        let key_id = new_key_id(entropy);
        let arn = key_arn(&caller.region, &account, &key_id);
        let key = KmsKey {
            key_id,
            arn: arn.clone(),
            account,
            region: caller.region.clone(),
            description: input.description.clone(),
            key_manager: KeyManager::Customer,
            state: KeyState::Enabled,
            policy,
            creation_date: caller.now,
            rotation_enabled: false,
            rotation_period_in_days: DEFAULT_ROTATION_PERIOD_DAYS,
            next_rotation_date: None,
            rotations: Vec::new(),
            material: KeyRing::new(arn.clone(), entropy),
            tags: BTreeMap::new(),
        };
        if input.policy.is_some()
            && !input.bypass_policy_lockout_safety_check
            && let Err(e) = lockout_check(caller, &key, &mut trace)
        {
            return respond(op, caller, Err(e), Some(evaluation), trace, params, vec![]);
        }
        trace.push(format!("created key `{arn}`"));
        let metadata = KeyMetadata::of(&key);
        self.keys.insert(arn.clone(), key);
        let key = self.keys.get(&arn).cloned();
        respond(
            op,
            caller,
            Ok(metadata),
            Some(evaluation),
            trace,
            params,
            key.iter().collect(),
        )
    }

    /// `DescribeKey`.
    pub fn describe_key(&mut self, caller: &Caller, key_ref: &str) -> KmsResponse<KeyMetadata> {
        let params = json!({ "keyId": key_ref });
        self.key_op(
            KmsOperation::DescribeKey,
            caller,
            key_ref,
            None,
            params,
            None,
            |k, _| Ok(KeyMetadata::of(k)),
        )
    }

    /// `EnableKey`.
    pub fn enable_key(&mut self, caller: &Caller, key_ref: &str) -> KmsResponse<()> {
        let params = json!({ "keyId": key_ref });
        self.key_op(
            KmsOperation::EnableKey,
            caller,
            key_ref,
            None,
            params,
            None,
            |k, t| {
                k.state = KeyState::Enabled;
                t.push(format!("key `{}` is now enabled", k.arn));
                Ok(())
            },
        )
    }

    /// `DisableKey`: the key stays, but encrypts and decrypts nothing until enabled again.
    pub fn disable_key(&mut self, caller: &Caller, key_ref: &str) -> KmsResponse<()> {
        let params = json!({ "keyId": key_ref });
        self.key_op(
            KmsOperation::DisableKey,
            caller,
            key_ref,
            None,
            params,
            None,
            |k, t| {
                k.state = KeyState::Disabled;
                t.push(format!(
                    "key `{}` is now disabled: GenerateDataKey, Encrypt and Decrypt fail with DisabledException until it is enabled",
                    k.arn
                ));
                Ok(())
            },
        )
    }

    /// `ScheduleKeyDeletion`: the key becomes unusable at once and is deleted after 7–30 days
    /// (30 by default) (KMS DG `deleting-keys.html`).
    pub fn schedule_key_deletion(
        &mut self,
        caller: &Caller,
        key_ref: &str,
        pending_window_in_days: Option<u32>,
    ) -> KmsResponse<ScheduleKeyDeletionOutput> {
        let window = pending_window_in_days.unwrap_or(DEFAULT_PENDING_WINDOW_DAYS);
        let params = json!({ "keyId": key_ref, "pendingWindowInDays": window });
        let now = caller.now;
        self.key_op(
            KmsOperation::ScheduleKeyDeletion,
            caller,
            key_ref,
            None,
            params,
            None,
            |k, t| {
                if window < 7 {
                    return Err(validation(
                        window,
                        "pendingWindowInDays",
                        "Member must have value greater than or equal to 7",
                    ));
                }
                if window > 30 {
                    return Err(validation(
                        window,
                        "pendingWindowInDays",
                        "Member must have value less than or equal to 30",
                    ));
                }
                let deletion_date = now.saturating_add(u64::from(window) * DAY);
                k.state = KeyState::PendingDeletion {
                    deletion_date,
                    pending_window_in_days: window,
                };
                t.push(format!(
                    "key `{}` is pending deletion for {window} days (until {deletion_date}): it cannot be used, and CancelKeyDeletion can still save it",
                    k.arn
                ));
                Ok(ScheduleKeyDeletionOutput {
                    key_id: k.arn.clone(),
                    deletion_date,
                    key_state: "PendingDeletion",
                    pending_window_in_days: window,
                })
            },
        )
    }

    /// `CancelKeyDeletion`: the key returns in the `Disabled` state (enable it to use it).
    pub fn cancel_key_deletion(&mut self, caller: &Caller, key_ref: &str) -> KmsResponse<String> {
        let params = json!({ "keyId": key_ref });
        self.key_op(
            KmsOperation::CancelKeyDeletion,
            caller,
            key_ref,
            None,
            params,
            None,
            |k, t| {
                k.state = KeyState::Disabled;
                t.push(format!(
                    "deletion of key `{}` cancelled: the key is now disabled; EnableKey makes it usable",
                    k.arn
                ));
                Ok(k.arn.clone())
            },
        )
    }

    /// `EnableKeyRotation`: automatic rotation every `RotationPeriodInDays` (90–2560, 365 by
    /// default), first due one period from now.
    pub fn enable_key_rotation(
        &mut self,
        caller: &Caller,
        key_ref: &str,
        rotation_period_in_days: Option<u32>,
    ) -> KmsResponse<()> {
        let period = rotation_period_in_days.unwrap_or(DEFAULT_ROTATION_PERIOD_DAYS);
        let params = json!({ "keyId": key_ref, "rotationPeriodInDays": period });
        let now = caller.now;
        self.key_op(
            KmsOperation::EnableKeyRotation,
            caller,
            key_ref,
            None,
            params,
            None,
            |k, t| {
                if !(90..=2560).contains(&period) {
                    return Err(validation(
                        period,
                        "rotationPeriodInDays",
                        "Member must have value between 90 and 2560",
                    ));
                }
                k.rotation_enabled = true;
                k.rotation_period_in_days = period;
                let next = now.saturating_add(u64::from(period) * DAY);
                k.next_rotation_date = Some(next);
                t.push(format!(
                    "automatic rotation of key `{}` is on: every {period} days, next at {next}",
                    k.arn
                ));
                Ok(())
            },
        )
    }

    /// `DisableKeyRotation`.
    pub fn disable_key_rotation(&mut self, caller: &Caller, key_ref: &str) -> KmsResponse<()> {
        let params = json!({ "keyId": key_ref });
        self.key_op(
            KmsOperation::DisableKeyRotation,
            caller,
            key_ref,
            None,
            params,
            None,
            |k, t| {
                k.rotation_enabled = false;
                k.next_rotation_date = None;
                t.push(format!("automatic rotation of key `{}` is off", k.arn));
                Ok(())
            },
        )
    }

    /// `GetKeyRotationStatus` (with the rotation history of `ListKeyRotations`).
    pub fn get_key_rotation_status(
        &mut self,
        caller: &Caller,
        key_ref: &str,
    ) -> KmsResponse<RotationStatus> {
        let params = json!({ "keyId": key_ref });
        self.key_op(
            KmsOperation::GetKeyRotationStatus,
            caller,
            key_ref,
            None,
            params,
            None,
            |k, _| {
                Ok(RotationStatus {
                    key_id: k.arn.clone(),
                    key_rotation_enabled: k.rotation_enabled,
                    rotation_period_in_days: k
                        .rotation_enabled
                        .then_some(k.rotation_period_in_days),
                    next_rotation_date: k.next_rotation_date,
                    rotations: k
                        .rotations
                        .iter()
                        .map(|r| (r.material_version, r.rotation_date))
                        .collect(),
                })
            },
        )
    }

    /// `RotateKeyOnDemand`: new key material now; the key id, ARN and policy stay, and
    /// ciphertexts made under older material still decrypt. AWS managed keys cannot be rotated
    /// on demand.
    pub fn rotate_key_on_demand(
        &mut self,
        caller: &Caller,
        key_ref: &str,
        entropy: &mut (impl Entropy + ?Sized),
    ) -> KmsResponse<String> {
        let params = json!({ "keyId": key_ref });
        let now = caller.now;
        self.key_op(
            KmsOperation::RotateKeyOnDemand,
            caller,
            key_ref,
            None,
            params,
            None,
            |k, t| {
                customer_managed(k, "rotated on demand")?;
                let v = k.rotate(RotationType::OnDemand, now, entropy);
                t.push(format!(
                    "key `{}` rotated on demand: new data keys use key material version {v}; older versions stay for decryption",
                    k.arn
                ));
                Ok(k.arn.clone())
            },
        )
    }
}

//! The simulated KMS of one world: every key and alias of every account and Region, and the
//! operations on them, each authorized through the key policy and traced.
//!
//! Follows the KMS API Reference (<https://docs.aws.amazon.com/kms/latest/APIReference/>) for
//! each operation's inputs, outputs and errors, and the key-state table
//! (<https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html>) for which operations a
//! disabled or pending-deletion key refuses. Every operation authorizes first, then checks the
//! key's state, then acts (\[SIM\]: AWS does not document the order between the two checks).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use s3pg_crypto::{
    DataKey, EncryptedDataKey, EncryptionContext, Entropy, KeyRing, generate_data_key,
};
use s3pg_policy::{Decision, Evaluation};

use crate::authz::{KmsKeys, access_denied, authorize, authorize_create};
use crate::blob;
use crate::caller::Caller;
use crate::error::KmsError;
use crate::key::{
    AWS_MANAGED_ROTATION_PERIOD_DAYS, DAY, DEFAULT_PENDING_WINDOW_DAYS,
    DEFAULT_ROTATION_PERIOD_DAYS, KEY_POLICY_MAX_BYTES, KeyManager, KeyPolicy, KeyState, KmsKey,
    RotationType, aws_managed_s3_key_policy, default_key_policy, is_key_id, new_key_id,
};
use crate::response::{EventResource, KmsEvent, KmsOperation, KmsResponse};

/// The alias of the AWS managed key S3 uses.
pub const AWS_S3_ALIAS: &str = "alias/aws/s3";

/// The description AWS gives the `aws/s3` key.
pub const AWS_S3_DESCRIPTION: &str =
    "Default key that protects my S3 objects when no other key is defined";

/// The message KMS returns when a ciphertext names a key the caller cannot reach [OBS].
pub const CIPHERTEXT_KEY_UNREACHABLE: &str = "The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.";

/// The message of the key policy lockout safety check [OBS].
pub const LOCKOUT_MESSAGE: &str =
    "The new key policy will not allow you to update the key policy in the future.";

/// `KeyMetadata`, as `CreateKey` and `DescribeKey` return it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct KeyMetadata {
    /// Owning account.
    pub aws_account_id: String,
    /// Key id.
    pub key_id: String,
    /// Key ARN.
    pub arn: String,
    /// Creation time (Unix seconds).
    pub creation_date: u64,
    /// `KeyState == Enabled`.
    pub enabled: bool,
    /// Description.
    pub description: String,
    /// Always `ENCRYPT_DECRYPT` (symmetric keys only).
    pub key_usage: &'static str,
    /// `Enabled`, `Disabled`, `PendingDeletion`.
    pub key_state: &'static str,
    /// When a pending deletion completes.
    pub deletion_date: Option<u64>,
    /// The waiting period of a pending deletion.
    pub pending_deletion_window_in_days: Option<u32>,
    /// Always `AWS_KMS` (KMS generated the material).
    pub origin: &'static str,
    /// `CUSTOMER` or `AWS`.
    pub key_manager: KeyManager,
    /// Always `SYMMETRIC_DEFAULT`.
    pub key_spec: &'static str,
    /// The current key-material version (\[SIM\]: KMS shows this as `CurrentKeyMaterialId`).
    pub key_material_version: u32,
}

impl KeyMetadata {
    fn of(key: &KmsKey) -> Self {
        let (deletion_date, window) = match key.state {
            KeyState::PendingDeletion {
                deletion_date,
                pending_window_in_days,
            } => (Some(deletion_date), Some(pending_window_in_days)),
            _ => (None, None),
        };
        Self {
            aws_account_id: key.account.clone(),
            key_id: key.key_id.clone(),
            arn: key.arn.clone(),
            creation_date: key.creation_date,
            enabled: key.state == KeyState::Enabled,
            description: key.description.clone(),
            key_usage: "ENCRYPT_DECRYPT",
            key_state: key.state.name(),
            deletion_date,
            pending_deletion_window_in_days: window,
            origin: "AWS_KMS",
            key_manager: key.key_manager,
            key_spec: "SYMMETRIC_DEFAULT",
            key_material_version: key.material_version(),
        }
    }
}

/// `CreateKey`'s inputs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct CreateKeyInput {
    /// Description.
    #[serde(default)]
    pub description: String,
    /// Key policy JSON; `None` gives the default key policy.
    #[serde(default)]
    pub policy: Option<String>,
    /// Skip the lockout safety check.
    #[serde(default)]
    pub bypass_policy_lockout_safety_check: bool,
}

/// `ScheduleKeyDeletion`'s output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ScheduleKeyDeletionOutput {
    /// Key ARN.
    pub key_id: String,
    /// When the key will be deleted (Unix seconds).
    pub deletion_date: u64,
    /// `PendingDeletion`.
    pub key_state: &'static str,
    /// The waiting period.
    pub pending_window_in_days: u32,
}

/// `GetKeyRotationStatus`'s output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RotationStatus {
    /// Key ARN.
    pub key_id: String,
    /// Whether automatic rotation is on.
    pub key_rotation_enabled: bool,
    /// The automatic rotation period, while on.
    pub rotation_period_in_days: Option<u32>,
    /// When the next automatic rotation is due, while on.
    pub next_rotation_date: Option<u64>,
    /// The rotations so far (`ListKeyRotations`), as (material version, date).
    pub rotations: Vec<(u32, u64)>,
}

/// `GenerateDataKey`'s output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GenerateDataKeyOutput {
    /// The ARN of the key used.
    pub key_id: String,
    /// The plaintext data key: use it, then forget it.
    pub plaintext: DataKey,
    /// The data key encrypted under the KMS key: store it.
    pub ciphertext_blob: EncryptedDataKey,
}

/// `Encrypt`'s output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct EncryptOutput {
    /// The ARN of the key used.
    pub key_id: String,
    /// The ciphertext.
    pub ciphertext_blob: EncryptedDataKey,
}

/// `Decrypt`'s output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DecryptOutput {
    /// The ARN of the key that decrypted.
    pub key_id: String,
    /// The plaintext.
    pub plaintext: Vec<u8>,
}

/// `ReEncrypt`'s output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ReEncryptOutput {
    /// The ARN of the key that decrypted.
    pub source_key_id: String,
    /// The ARN of the key that encrypted.
    pub key_id: String,
    /// The new ciphertext.
    pub ciphertext_blob: EncryptedDataKey,
}

/// A key as a scenario declares it: everything but the key material, which is drawn from the
/// world's entropy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyDeclaration {
    /// Owning account.
    pub account: String,
    /// Region.
    pub region: String,
    /// Key id; drawn from entropy when absent.
    #[serde(default)]
    pub key_id: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// Key policy JSON; the default key policy when absent.
    #[serde(default)]
    pub policy: Option<String>,
    /// Aliases (`alias/app`).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// `false` declares a disabled key.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Automatic rotation on.
    #[serde(default)]
    pub rotation_enabled: bool,
    /// Creation time (Unix seconds).
    #[serde(default)]
    pub creation_date: u64,
    /// Tags (`aws:ResourceTag/KEY` in policies).
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

fn yes() -> bool {
    true
}

/// How a key reference resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Resolved {
    arn: String,
    alias: Option<String>,
}

/// Every key and alias of the simulated world.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kms {
    /// Keys by key ARN.
    #[serde(default)]
    pub keys: BTreeMap<String, KmsKey>,
    /// Alias ARN (`arn:aws:kms:REGION:ACCOUNT:alias/NAME`) → key ARN.
    #[serde(default)]
    pub aliases: BTreeMap<String, String>,
}

fn key_arn(region: &str, account: &str, key_id: &str) -> String {
    format!("arn:aws:kms:{region}:{account}:key/{key_id}")
}

fn alias_arn(region: &str, account: &str, alias: &str) -> String {
    format!("arn:aws:kms:{region}:{account}:{alias}")
}

fn not_found_key(arn: &str) -> KmsError {
    KmsError::NotFound {
        message: format!("Key '{arn}' does not exist"),
    }
}

fn invalid_key_id(reference: &str) -> KmsError {
    KmsError::NotFound {
        message: format!("Invalid keyId '{reference}'"),
    }
}

fn pending_deletion(arn: &str) -> KmsError {
    KmsError::InvalidState {
        message: format!("{arn} is pending deletion."),
    }
}

fn validation(value: impl core::fmt::Display, field: &str, constraint: &str) -> KmsError {
    KmsError::Validation {
        message: format!(
            "1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: {constraint}"
        ),
    }
}

fn context_json(context: &EncryptionContext) -> Value {
    Value::Object(
        context
            .iter()
            .map(|(k, v)| (k.to_owned(), Value::String(v.to_owned())))
            .collect(),
    )
}

/// The key states in which `op` may run (key-state table of the KMS Developer Guide).
fn state_gate(op: KmsOperation, key: &KmsKey) -> Result<(), KmsError> {
    use KmsOperation as Op;
    let pending = matches!(key.state, KeyState::PendingDeletion { .. });
    match op {
        Op::DescribeKey
        | Op::GetKeyPolicy
        | Op::GetKeyRotationStatus
        | Op::PutKeyPolicy
        | Op::ListResourceTags => Ok(()),
        Op::TagResource | Op::UntagResource if pending => Err(pending_deletion(&key.arn)),
        Op::TagResource | Op::UntagResource => Ok(()),
        Op::CancelKeyDeletion if pending => Ok(()),
        Op::CancelKeyDeletion => Err(KmsError::InvalidState {
            message: format!("{} is not pending deletion.", key.arn),
        }),
        Op::ScheduleKeyDeletion | Op::EnableKey | Op::DisableKey | Op::CreateAlias if pending => {
            Err(pending_deletion(&key.arn))
        }
        Op::ScheduleKeyDeletion | Op::EnableKey | Op::DisableKey | Op::CreateAlias => Ok(()),
        _ if pending => Err(pending_deletion(&key.arn)),
        _ if key.state == KeyState::Disabled => Err(KmsError::Disabled {
            key_arn: key.arn.clone(),
        }),
        _ => Ok(()),
    }
}

fn state_sentence(key: &KmsKey) -> String {
    match key.state {
        KeyState::Enabled => format!("key `{}` is enabled", key.arn),
        KeyState::Disabled => format!("key `{}` is disabled", key.arn),
        KeyState::PendingDeletion { deletion_date, .. } => format!(
            "key `{}` is pending deletion (deleted at {deletion_date})",
            key.arn
        ),
    }
}

/// Builds a response; the event's error fields follow the result.
fn respond<T>(
    op: KmsOperation,
    caller: &Caller,
    result: Result<T, KmsError>,
    authorization: Option<Evaluation>,
    trace: Vec<String>,
    request_parameters: Value,
    resources: Vec<&KmsKey>,
) -> KmsResponse<T> {
    let (error_code, error_message) = match &result {
        Ok(_) => (None, None),
        Err(e) => (Some(e.code().to_owned()), Some(e.aws_message())),
    };
    let event = KmsEvent {
        event_source: "kms.amazonaws.com",
        event_name: op.name(),
        aws_region: caller.region.clone(),
        event_time: caller.now,
        user_identity_arn: caller.principal.arn(),
        user_identity_account_id: caller.account().map(str::to_owned),
        via_service: caller.via_service.clone(),
        request_parameters,
        resources: resources
            .into_iter()
            .map(|k| EventResource {
                arn: k.arn.clone(),
                account_id: k.account.clone(),
                resource_type: "AWS::KMS::Key",
            })
            .collect(),
        error_code,
        error_message,
        read_only: op.read_only(),
        management_event: true,
    };
    KmsResponse {
        operation: op,
        result,
        authorization,
        trace,
        doc_url: op.doc_url(),
        event,
    }
}

impl Kms {
    /// An empty KMS.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The key with this ARN.
    #[must_use]
    pub fn key(&self, arn: &str) -> Option<&KmsKey> {
        self.keys.get(arn)
    }

    /// A KMS holding the declared keys, in order.
    ///
    /// # Errors
    /// The first declaration that fails (see [`Kms::declare_key`]).
    pub fn from_declarations(
        declarations: &[KeyDeclaration],
        entropy: &mut (impl Entropy + ?Sized),
    ) -> Result<Self, KmsError> {
        let mut kms = Self::new();
        for d in declarations {
            kms.declare_key(d, entropy)?;
        }
        Ok(kms)
    }

    /// The keys of `account` in `region` (`ListKeys`), with their aliases (`ListAliases`).
    pub fn keys_of<'a>(
        &'a self,
        account: &'a str,
        region: &'a str,
    ) -> impl Iterator<Item = (&'a KmsKey, Vec<&'a str>)> + 'a {
        self.keys
            .values()
            .filter(move |k| k.account == account && k.region == region)
            .map(|k| {
                let aliases = self
                    .aliases
                    .iter()
                    .filter(|(_, target)| **target == k.arn)
                    .filter_map(|(alias, _)| alias.split_once(":alias/").map(|(_, n)| n))
                    .collect();
                (k, aliases)
            })
    }

    /// Adds a declared key (scenario set-up: no authorization, no lockout check). Returns its ARN.
    ///
    /// # Errors
    /// `MalformedPolicyDocumentException` for a bad policy, `AlreadyExistsException` for a taken alias.
    pub fn declare_key(
        &mut self,
        declaration: &KeyDeclaration,
        entropy: &mut (impl Entropy + ?Sized),
    ) -> Result<String, KmsError> {
        let d = declaration;
        let policy_text = d
            .policy
            .clone()
            .unwrap_or_else(|| default_key_policy(&d.account));
        let policy = parse_policy(&policy_text)?;
        let key_id = d.key_id.clone().unwrap_or_else(|| new_key_id(entropy));
        let arn = key_arn(&d.region, &d.account, &key_id);
        let key = KmsKey {
            key_id,
            arn: arn.clone(),
            account: d.account.clone(),
            region: d.region.clone(),
            description: d.description.clone(),
            key_manager: KeyManager::Customer,
            state: if d.enabled {
                KeyState::Enabled
            } else {
                KeyState::Disabled
            },
            policy,
            creation_date: d.creation_date,
            rotation_enabled: d.rotation_enabled,
            rotation_period_in_days: DEFAULT_ROTATION_PERIOD_DAYS,
            next_rotation_date: d.rotation_enabled.then(|| {
                d.creation_date
                    .saturating_add(u64::from(DEFAULT_ROTATION_PERIOD_DAYS) * DAY)
            }),
            rotations: Vec::new(),
            material: KeyRing::new(arn.clone(), entropy),
            tags: d.tags.clone(),
        };
        for alias in &d.aliases {
            check_alias_name(alias)?;
            let a = alias_arn(&d.region, &d.account, alias);
            if self.aliases.contains_key(&a) {
                return Err(alias_exists(&a));
            }
            self.aliases.insert(a, arn.clone());
        }
        self.keys.insert(arn.clone(), key);
        Ok(arn)
    }

    /// Runs due automatic rotations and completes due deletions at `now`; returns what happened.
    ///
    /// Rotation dates are the scheduled ones, however late `advance` is called.
    pub fn advance(&mut self, now: u64, entropy: &mut (impl Entropy + ?Sized)) -> Vec<String> {
        let mut out = Vec::new();
        for key in self.keys.values_mut() {
            // INVARIANT: each pass moves next_rotation_date forward by at least 90 days, so the
            // loop ends; the cap keeps a far-future `now` cheap.
            let mut passes = 0;
            while key.rotation_enabled
                && key.state == KeyState::Enabled
                && passes < 64
                && let Some(due) = key.next_rotation_date
                && due <= now
            {
                let version = key.rotate(RotationType::Automatic, due, entropy);
                out.push(format!(
                    "key `{}` rotated automatically at {due}: new key material version {version}; older versions still decrypt",
                    key.arn
                ));
                key.next_rotation_date =
                    Some(due.saturating_add(u64::from(key.rotation_period_in_days) * DAY));
                passes += 1;
            }
        }
        out.extend(self.purge(now));
        out
    }

    /// Deletes keys whose waiting period has ended, with their aliases.
    fn purge(&mut self, now: u64) -> Vec<String> {
        let due: Vec<String> = self
            .keys
            .values()
            .filter(|k| k.is_deleted_at(now))
            .map(|k| k.arn.clone())
            .collect();
        let mut out = Vec::new();
        for arn in due {
            self.keys.remove(&arn);
            self.aliases.retain(|_, target| *target != arn);
            out.push(format!(
                "key `{arn}` was deleted when its waiting period ended: data encrypted under it can no longer be decrypted"
            ));
        }
        out
    }

    /// Resolves a key id, key ARN, alias name or alias ARN in the caller's account and Region
    /// (KMS DG `find-cmk-id-arn.html`; an id or alias name never reaches another account).
    fn resolve(&self, reference: &str, caller: &Caller) -> Result<Resolved, KmsError> {
        let account = caller.account().unwrap_or_default();
        let region = caller.region.as_str();
        if let Some(rest) = reference.strip_prefix("arn:") {
            let parts: Vec<&str> = rest.splitn(5, ':').collect();
            let (Some(&"kms"), Some(arn_region), Some(resource)) =
                (parts.get(1), parts.get(2), parts.get(4))
            else {
                return Err(invalid_key_id(reference));
            };
            if *arn_region != region {
                // KMS keys are Regional: an endpoint knows only its own Region's keys [OBS].
                return Err(KmsError::NotFound {
                    message: format!("Invalid arn {arn_region}"),
                });
            }
            if resource.starts_with("key/") {
                return if self.keys.contains_key(reference) {
                    Ok(Resolved {
                        arn: reference.to_owned(),
                        alias: None,
                    })
                } else {
                    Err(not_found_key(reference))
                };
            }
            if let Some(name) = resource.strip_prefix("alias/") {
                return self.aliases.get(reference).map_or_else(
                    || {
                        Err(KmsError::NotFound {
                            message: format!("Alias {reference} is not found."),
                        })
                    },
                    |arn| {
                        Ok(Resolved {
                            arn: arn.clone(),
                            alias: Some(format!("alias/{name}")),
                        })
                    },
                );
            }
            return Err(invalid_key_id(reference));
        }
        if reference.starts_with("alias/") {
            let a = alias_arn(region, account, reference);
            return self.aliases.get(&a).map_or_else(
                || {
                    Err(KmsError::NotFound {
                        message: format!("Alias {a} is not found."),
                    })
                },
                |arn| {
                    Ok(Resolved {
                        arn: arn.clone(),
                        alias: Some(reference.to_owned()),
                    })
                },
            );
        }
        if is_key_id(reference) {
            let arn = key_arn(region, account, reference);
            return if self.keys.contains_key(&arn) {
                Ok(Resolved { arn, alias: None })
            } else {
                Err(not_found_key(&arn))
            };
        }
        Err(invalid_key_id(reference))
    }

    /// The ARN a key id, key ARN, alias name or alias ARN resolves to for `caller`, if any.
    #[must_use]
    pub fn resolve_ref(&self, reference: &str, caller: &Caller) -> Option<String> {
        self.resolve(reference, caller).ok().map(|r| r.arn)
    }

    /// The common path of an operation on one existing key: resolve, authorize, check the key
    /// state, then `exec`.
    #[expect(
        clippy::too_many_arguments,
        reason = "one private helper shared by every key operation"
    )]
    fn key_op<T>(
        &mut self,
        op: KmsOperation,
        caller: &Caller,
        key_ref: &str,
        context: Option<&EncryptionContext>,
        request_parameters: Value,
        action: Option<&'static str>,
        exec: impl FnOnce(&mut KmsKey, &mut Vec<String>) -> Result<T, KmsError>,
    ) -> KmsResponse<T> {
        let mut trace = self.purge(caller.now);
        let resolved = match self.resolve(key_ref, caller) {
            Ok(r) => r,
            Err(e) => {
                trace.push(format!(
                    "`{key_ref}` does not name a key in account {} ({}): KMS looks key ids and alias names up in the caller's own account and Region",
                    caller.account().unwrap_or("-"),
                    caller.region
                ));
                return respond(op, caller, Err(e), None, trace, request_parameters, vec![]);
            }
        };
        if let Some(alias) = &resolved.alias {
            trace.push(format!("`{alias}` points to key `{}`", resolved.arn));
        }
        let Some(key) = self.keys.get(&resolved.arn) else {
            let e = not_found_key(&resolved.arn);
            return respond(op, caller, Err(e), None, trace, request_parameters, vec![]);
        };
        let keys = KmsKeys {
            context,
            request_alias: resolved.alias.as_deref(),
        };
        let action = action.unwrap_or_else(|| op.action());
        let (evaluation, sentences) = authorize(caller, action, key, &keys);
        trace.extend(sentences);
        if evaluation.decision != Decision::Allow {
            let e = access_denied(caller, action, &key.arn, &key.account, &evaluation);
            let key = key.clone();
            return respond(
                op,
                caller,
                Err(e),
                Some(evaluation),
                trace,
                request_parameters,
                vec![&key],
            );
        }
        trace.push(state_sentence(key));
        if let Err(e) = state_gate(op, key) {
            let key = key.clone();
            return respond(
                op,
                caller,
                Err(e),
                Some(evaluation),
                trace,
                request_parameters,
                vec![&key],
            );
        }
        let Some(key) = self.keys.get_mut(&resolved.arn) else {
            let e = not_found_key(&resolved.arn);
            return respond(op, caller, Err(e), None, trace, request_parameters, vec![]);
        };
        let result = exec(key, &mut trace);
        let key = key.clone();
        respond(
            op,
            caller,
            result,
            Some(evaluation),
            trace,
            request_parameters,
            vec![&key],
        )
    }

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

    /// `PutKeyPolicy`: validates the document (`MalformedPolicyDocumentException`) and, unless
    /// bypassed, runs the lockout safety check: the new policy must still let the caller call
    /// `PutKeyPolicy` (KMS DG `key-policy-default.html#prevent-unmanageable-key`).
    pub fn put_key_policy(
        &mut self,
        caller: &Caller,
        key_ref: &str,
        policy: &str,
        bypass_policy_lockout_safety_check: bool,
    ) -> KmsResponse<()> {
        let params = json!({
            "keyId": key_ref,
            "policyName": "default",
            "bypassPolicyLockoutSafetyCheck": bypass_policy_lockout_safety_check,
        });
        let text = policy.to_owned();
        let check_caller = caller.clone();
        self.key_op(
            KmsOperation::PutKeyPolicy,
            caller,
            key_ref,
            None,
            params,
            None,
            move |k, t| {
                let parsed = parse_policy(&text)?;
                if !bypass_policy_lockout_safety_check {
                    let mut candidate = k.clone();
                    candidate.policy = parsed.clone();
                    lockout_check(&check_caller, &candidate, t)?;
                }
                k.policy = parsed;
                t.push(format!("key `{}` has a new key policy", k.arn));
                Ok(())
            },
        )
    }

    /// `GetKeyPolicy`: the policy JSON.
    pub fn get_key_policy(&mut self, caller: &Caller, key_ref: &str) -> KmsResponse<String> {
        let params = json!({ "keyId": key_ref, "policyName": "default" });
        self.key_op(
            KmsOperation::GetKeyPolicy,
            caller,
            key_ref,
            None,
            params,
            None,
            |k, _| Ok(k.policy.text().to_owned()),
        )
    }

    /// `TagResource`: adds or replaces tags on a customer managed key. Tags take effect in
    /// `aws:ResourceTag/KEY` conditions from the next request on.
    ///
    /// Follows <https://docs.aws.amazon.com/kms/latest/APIReference/API_TagResource.html>: keys
    /// of 1–128 characters that do not begin with `aws:`, values of up to 256, at most 50 tags
    /// per key; AWS managed keys cannot be tagged.
    pub fn tag_resource(
        &mut self,
        caller: &Caller,
        key_ref: &str,
        tags: &BTreeMap<String, String>,
    ) -> KmsResponse<()> {
        let params = json!({ "keyId": key_ref, "tags": tags });
        self.key_op(
            KmsOperation::TagResource,
            caller,
            key_ref,
            None,
            params,
            None,
            |k, t| {
                customer_managed(k, "tagged")?;
                for (tag, value) in tags {
                    check_tag(tag, value)?;
                }
                let mut next = k.tags.clone();
                next.extend(tags.iter().map(|(a, b)| (a.clone(), b.clone())));
                if next.len() > MAX_KEY_TAGS {
                    return Err(KmsError::Tag {
                        message: format!("A KMS key can have at most {MAX_KEY_TAGS} tags."),
                    });
                }
                k.tags = next;
                t.push(format!(
                    "key `{}` now has the tags {}; policies read them as `aws:ResourceTag/KEY`",
                    k.arn,
                    tag_list(&k.tags)
                ));
                Ok(())
            },
        )
    }

    /// `UntagResource`: removes tags (by key) from a customer managed key; absent keys are
    /// ignored, as KMS does.
    pub fn untag_resource(
        &mut self,
        caller: &Caller,
        key_ref: &str,
        tag_keys: &[String],
    ) -> KmsResponse<()> {
        let params = json!({ "keyId": key_ref, "tagKeys": tag_keys });
        self.key_op(
            KmsOperation::UntagResource,
            caller,
            key_ref,
            None,
            params,
            None,
            |k, t| {
                customer_managed(k, "untagged")?;
                for tag in tag_keys {
                    k.tags.remove(tag);
                }
                t.push(format!(
                    "key `{}` now has the tags {}",
                    k.arn,
                    tag_list(&k.tags)
                ));
                Ok(())
            },
        )
    }

    /// `ListResourceTags`: the key's tags.
    pub fn list_resource_tags(
        &mut self,
        caller: &Caller,
        key_ref: &str,
    ) -> KmsResponse<BTreeMap<String, String>> {
        let params = json!({ "keyId": key_ref });
        self.key_op(
            KmsOperation::ListResourceTags,
            caller,
            key_ref,
            None,
            params,
            None,
            |k, _| Ok(k.tags.clone()),
        )
    }

    /// `CreateAlias`: `alias/NAME` in the caller's account and Region pointing to a key there.
    /// \[SIM\] only the key policy side of the two-sided permission is checked (the alias's IAM
    /// permission is not modelled separately).
    pub fn create_alias(
        &mut self,
        caller: &Caller,
        alias_name: &str,
        target_key_ref: &str,
    ) -> KmsResponse<()> {
        let params = json!({ "aliasName": alias_name, "targetKeyId": target_key_ref });
        let account = caller.account().unwrap_or_default().to_owned();
        let a = alias_arn(&caller.region, &account, alias_name);
        let precheck = check_alias_name(alias_name).and_then(|()| {
            if self.aliases.contains_key(&a) {
                Err(alias_exists(&a))
            } else {
                Ok(())
            }
        });
        if let Err(e) = precheck {
            return respond(
                KmsOperation::CreateAlias,
                caller,
                Err(e),
                None,
                vec![],
                params,
                vec![],
            );
        }
        let region = caller.region.clone();
        let response = self.key_op(
            KmsOperation::CreateAlias,
            caller,
            target_key_ref,
            None,
            params,
            None,
            |k, t| {
                if k.account != account || k.region != region {
                    return Err(not_found_key(&k.arn));
                }
                t.push(format!("`{alias_name}` now points to key `{}`", k.arn));
                Ok(k.arn.clone())
            },
        );
        if let Ok(arn) = &response.result {
            self.aliases.insert(a, arn.clone());
        }
        response.map(|_| ())
    }

    /// `GenerateDataKey` (`KeySpec` `AES_256`): a fresh data key, in plaintext and encrypted under
    /// the key's current material, bound to `context`.
    pub fn generate_data_key(
        &mut self,
        caller: &Caller,
        key_ref: &str,
        context: &EncryptionContext,
        entropy: &mut (impl Entropy + ?Sized),
    ) -> KmsResponse<GenerateDataKeyOutput> {
        let params = json!({
            "keyId": key_ref,
            "encryptionContext": context_json(context),
            "keySpec": "AES_256",
        });
        self.key_op(
            KmsOperation::GenerateDataKey,
            caller,
            key_ref,
            Some(context),
            params,
            None,
            |k, t| {
                let (plaintext, blob) = generate_data_key(&k.material, context, entropy).map_err(
                    |e| KmsError::Validation {
                        message: e.to_string(),
                    },
                )?;
                t.push(format!(
                    "generated a 256-bit data key and encrypted it under key material version {} of `{}`, bound to the encryption context {context}",
                    blob.key_version, k.arn
                ));
                Ok(GenerateDataKeyOutput {
                    key_id: k.arn.clone(),
                    plaintext,
                    ciphertext_blob: blob,
                })
            },
        )
    }

    /// `Encrypt`: up to 4096 bytes under the key, bound to `context`.
    pub fn encrypt(
        &mut self,
        caller: &Caller,
        key_ref: &str,
        plaintext: &[u8],
        context: &EncryptionContext,
        entropy: &mut (impl Entropy + ?Sized),
    ) -> KmsResponse<EncryptOutput> {
        let params = json!({
            "keyId": key_ref,
            "encryptionContext": context_json(context),
            "encryptionAlgorithm": "SYMMETRIC_DEFAULT",
        });
        let len = plaintext.len();
        self.key_op(
            KmsOperation::Encrypt,
            caller,
            key_ref,
            Some(context),
            params,
            None,
            |k, t| {
                if len == 0 || len > blob::ENCRYPT_MAX_PLAINTEXT {
                    return Err(validation(
                        "[plaintext]",
                        "plaintext",
                        "Member must have length between 1 and 4096",
                    ));
                }
                let ciphertext_blob = blob::encrypt(&k.material, plaintext, context, entropy)?;
                t.push(format!(
                    "encrypted {len} bytes under key material version {} of `{}`",
                    ciphertext_blob.key_version, k.arn
                ));
                Ok(EncryptOutput {
                    key_id: k.arn.clone(),
                    ciphertext_blob,
                })
            },
        )
    }

    /// `Decrypt`: the key comes from the ciphertext; `key_ref`, when given, must name that same
    /// key (`IncorrectKeyException` otherwise); `context` must equal the one used to encrypt
    /// (`InvalidCiphertextException` otherwise).
    pub fn decrypt(
        &mut self,
        caller: &Caller,
        ciphertext: &EncryptedDataKey,
        context: &EncryptionContext,
        key_ref: Option<&str>,
    ) -> KmsResponse<DecryptOutput> {
        self.decrypt_as(KmsOperation::Decrypt, caller, ciphertext, context, key_ref)
    }

    /// `Decrypt`, or the first half of `ReEncrypt` (authorized as `kms:ReEncryptFrom`).
    fn decrypt_as(
        &mut self,
        op: KmsOperation,
        caller: &Caller,
        ciphertext: &EncryptedDataKey,
        context: &EncryptionContext,
        key_ref: Option<&str>,
    ) -> KmsResponse<DecryptOutput> {
        let mut params = json!({
            "encryptionContext": context_json(context),
            "encryptionAlgorithm": "SYMMETRIC_DEFAULT",
        });
        if let (Some(r), Some(obj)) = (key_ref, params.as_object_mut()) {
            obj.insert("keyId".into(), Value::String(r.to_owned()));
        }
        let mut trace = self.purge(caller.now);
        let blob_key = ciphertext.key_id.clone();
        if !self.keys.contains_key(&blob_key) {
            trace.push(format!(
                "the ciphertext names key `{blob_key}`, which does not exist (or no longer exists)"
            ));
            let e = KmsError::AccessDenied {
                message: CIPHERTEXT_KEY_UNREACHABLE.into(),
                same_account: true,
            };
            return respond(op, caller, Err(e), None, trace, params, vec![]);
        }
        trace.push(format!("the ciphertext names key `{blob_key}`"));
        if let Some(r) = key_ref {
            match self.resolve(r, caller) {
                Ok(res) if res.arn == blob_key => {}
                Ok(res) => {
                    trace.push(format!(
                        "the request names key `{}`, but the ciphertext was made by `{blob_key}`",
                        res.arn
                    ));
                    return respond(
                        op,
                        caller,
                        Err(KmsError::IncorrectKey),
                        None,
                        trace,
                        params,
                        vec![],
                    );
                }
                Err(e) => return respond(op, caller, Err(e), None, trace, params, vec![]),
            }
        }
        let mut response = self.key_op(op, caller, &blob_key, Some(context), params, None, |k, t| {
            match blob::decrypt(&k.material, ciphertext, context) {
                Ok(plaintext) => {
                    t.push(format!(
                        "decrypted with key material version {} of `{}` and the encryption context {context}",
                        ciphertext.key_version, k.arn
                    ));
                    Ok(DecryptOutput {
                        key_id: k.arn.clone(),
                        plaintext,
                    })
                }
                Err(e) => {
                    t.push(format!(
                        "the ciphertext does not open with the encryption context {context}: the context, or the ciphertext itself, differs from what was encrypted"
                    ));
                    Err(e)
                }
            }
        });
        trace.append(&mut response.trace);
        response.trace = trace;
        response
    }

    /// `ReEncrypt`: decrypt under the source key (`kms:ReEncryptFrom`), encrypt under the
    /// destination key (`kms:ReEncryptTo`), without exposing the plaintext.
    pub fn re_encrypt(
        &mut self,
        caller: &Caller,
        ciphertext: &EncryptedDataKey,
        source_context: &EncryptionContext,
        destination_key_ref: &str,
        destination_context: &EncryptionContext,
        entropy: &mut (impl Entropy + ?Sized),
    ) -> KmsResponse<ReEncryptOutput> {
        let op = KmsOperation::ReEncrypt;
        let params = json!({
            "destinationKeyId": destination_key_ref,
            "sourceEncryptionContext": context_json(source_context),
            "destinationEncryptionContext": context_json(destination_context),
        });
        let decrypted = self.decrypt_as(op, caller, ciphertext, source_context, None);
        let mut trace = decrypted.trace;
        let plaintext = match decrypted.result {
            Ok(out) => out,
            Err(e) => {
                return respond(
                    op,
                    caller,
                    Err(e),
                    decrypted.authorization,
                    trace,
                    params,
                    vec![],
                );
            }
        };
        let source = plaintext.key_id.clone();
        let mut response = self.key_op(
            op,
            caller,
            destination_key_ref,
            Some(destination_context),
            params,
            Some("kms:ReEncryptTo"),
            |k, t| {
                let ciphertext_blob = blob::encrypt(
                    &k.material,
                    &plaintext.plaintext,
                    destination_context,
                    entropy,
                )?;
                t.push(format!("re-encrypted under `{}`", k.arn));
                Ok(ReEncryptOutput {
                    source_key_id: source,
                    key_id: k.arn.clone(),
                    ciphertext_blob,
                })
            },
        );
        trace.append(&mut response.trace);
        response.trace = trace;
        response
    }

    /// The ARN of the AWS managed key `aws/s3` of `account` in `region`, created on first use
    /// (KMS DG `concepts.html#aws-managed-key`: AWS services create their AWS managed key the
    /// first time they need it). The bool says whether it was just created.
    pub fn ensure_aws_managed_s3_key(
        &mut self,
        account: &str,
        region: &str,
        now: u64,
        entropy: &mut (impl Entropy + ?Sized),
    ) -> (String, bool) {
        let a = alias_arn(region, account, AWS_S3_ALIAS);
        if let Some(arn) = self.aliases.get(&a)
            && self.keys.contains_key(arn)
        {
            return (arn.clone(), false);
        }
        let policy = aws_managed_s3_key_policy(account, region);
        let Ok(policy) = KeyPolicy::parse(&policy) else {
            // INVARIANT: the built-in policy always parses (tested); fall back to the default.
            return (String::new(), false);
        };
        let key_id = new_key_id(entropy);
        let arn = key_arn(region, account, &key_id);
        let key = KmsKey {
            key_id,
            arn: arn.clone(),
            account: account.to_owned(),
            region: region.to_owned(),
            description: AWS_S3_DESCRIPTION.to_owned(),
            key_manager: KeyManager::Aws,
            state: KeyState::Enabled,
            policy,
            creation_date: now,
            rotation_enabled: true,
            rotation_period_in_days: AWS_MANAGED_ROTATION_PERIOD_DAYS,
            next_rotation_date: Some(
                now.saturating_add(u64::from(AWS_MANAGED_ROTATION_PERIOD_DAYS) * DAY),
            ),
            rotations: Vec::new(),
            material: KeyRing::new(arn.clone(), entropy),
            tags: BTreeMap::new(),
        };
        self.keys.insert(arn.clone(), key);
        self.aliases.insert(a, arn.clone());
        (arn, true)
    }
}

/// Parses a key policy for `CreateKey`/`PutKeyPolicy`.
fn parse_policy(text: &str) -> Result<KeyPolicy, KmsError> {
    if text.len() > KEY_POLICY_MAX_BYTES {
        return Err(validation(
            "[policy]",
            "policy",
            "Member must have length less than or equal to 32768",
        ));
    }
    KeyPolicy::parse(text).map_err(|diags| KmsError::MalformedPolicyDocument {
        // [SIM] KMS's messages for syntax errors vary and are not documented; this is the
        // exception's documented meaning, and the details say where the problem is.
        message: "The request was rejected because the specified policy is not syntactically or semantically correct.".into(),
        details: diags
            .iter()
            .map(|d| {
                let at = if d.path.is_empty() {
                    String::new()
                } else {
                    format!(" at `{}`", d.path)
                };
                format!("{}{at} (line {}, column {})", d.message, d.line, d.column)
            })
            .collect(),
    })
}

/// The lockout safety check: would `caller` still be allowed `kms:PutKeyPolicy` under the
/// candidate key's policy (together with its own IAM policies)?
fn lockout_check(
    caller: &Caller,
    candidate: &KmsKey,
    trace: &mut Vec<String>,
) -> Result<(), KmsError> {
    let (evaluation, _) = authorize(caller, "kms:PutKeyPolicy", candidate, &KmsKeys::default());
    if evaluation.decision == Decision::Allow {
        trace.push(format!(
            "lockout safety check passed: under the new policy {} may still change the key policy",
            caller.principal.describe()
        ));
        Ok(())
    } else {
        trace.push(format!(
            "lockout safety check failed: under the new policy {} could never change the key policy again ({})",
            caller.principal.describe(),
            evaluation.summary
        ));
        Err(KmsError::MalformedPolicyDocument {
            message: LOCKOUT_MESSAGE.into(),
            details: Vec::new(),
        })
    }
}

fn check_alias_name(alias: &str) -> Result<(), KmsError> {
    let Some(name) = alias.strip_prefix("alias/") else {
        return Err(KmsError::InvalidAliasName {
            message: format!("Alias must start with the prefix \"alias/\". Please see {alias}"),
        });
    };
    if name.starts_with("aws/") {
        // [SIM] the `alias/aws/` prefix is documented as reserved; the message text is ours.
        return Err(KmsError::InvalidAliasName {
            message: format!("{alias}: the alias/aws/ prefix is reserved for AWS managed keys."),
        });
    }
    let ok = !name.is_empty()
        && name.len() <= 250
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(KmsError::InvalidAliasName {
            message: format!("{alias} is not a valid alias name."),
        })
    }
}

fn alias_exists(alias_arn: &str) -> KmsError {
    KmsError::AlreadyExists {
        message: format!("An alias with the name {alias_arn} already exists"),
    }
}

/// `UnsupportedOperationException` for an AWS managed key, which cannot be `what` (rotated on
/// demand, tagged, untagged).
fn customer_managed(k: &KmsKey, what: &str) -> Result<(), KmsError> {
    if k.key_manager == KeyManager::Aws {
        return Err(KmsError::UnsupportedOperation {
            message: format!("{} is an AWS managed key and cannot be {what}.", k.arn),
        });
    }
    Ok(())
}

/// The most tags one KMS key can carry.
const MAX_KEY_TAGS: usize = 50;

/// KMS's tag rules (TagResource API reference).
fn check_tag(tag: &str, value: &str) -> Result<(), KmsError> {
    let len = tag.chars().count();
    if !(1..=128).contains(&len) {
        return Err(KmsError::Tag {
            message: format!("Tag key `{tag}` must be 1 to 128 characters long."),
        });
    }
    if tag.starts_with("aws:") {
        return Err(KmsError::Tag {
            message: format!("Tag key `{tag}` uses the reserved prefix aws:."),
        });
    }
    if value.chars().count() > 256 {
        return Err(KmsError::Tag {
            message: format!("The value of tag `{tag}` is longer than 256 characters."),
        });
    }
    Ok(())
}

fn tag_list(tags: &BTreeMap<String, String>) -> String {
    if tags.is_empty() {
        return "(none)".to_owned();
    }
    tags.iter()
        .map(|(k, v)| format!("`{k}={v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

//! The simulated KMS of one world: every key and alias of every account and Region, and the
//! operations on them, each authorized through the key policy and traced.
//!
//! Follows the KMS API Reference (<https://docs.aws.amazon.com/kms/latest/APIReference/>) for
//! each operation's inputs, outputs and errors, and the key-state table
//! (<https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html>) for which operations a
//! disabled or pending-deletion key refuses. Every operation authorizes first, then checks the
//! key's state, then acts (\[SIM\]: AWS does not document the order between the two checks).
//!
//! Where to read: [`Kms`] below resolves a key reference and runs an operation on a key
//! (`key_op`: authorize, then the key's state, then the change); [`keys`] is a key's life,
//! [`policy_tags`] its key policy, tags and aliases, [`crypto`] the cryptographic operations;
//! [`types`] holds their inputs and outputs.

mod crypto;
mod keys;
mod policy_tags;
mod types;

pub use types::{
    CreateKeyInput, DecryptOutput, EncryptOutput, GenerateDataKeyOutput, KeyDeclaration,
    KeyMetadata, ReEncryptOutput, RotationStatus, ScheduleKeyDeletionOutput,
};

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use s3pg_crypto::{EncryptionContext, Entropy, KeyRing};
use s3pg_policy::{Decision, Evaluation};

use crate::authz::{KmsKeys, access_denied, authorize};
use crate::caller::Caller;
use crate::error::KmsError;
use crate::key::{
    DAY, DEFAULT_ROTATION_PERIOD_DAYS, KEY_POLICY_MAX_BYTES, KeyManager, KeyPolicy, KeyState,
    KmsKey, RotationType, default_key_policy, is_key_id, new_key_id,
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

pub(crate) fn context_json(context: &EncryptionContext) -> Value {
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
pub(crate) fn respond<T>(
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
        let (arn, evaluation) =
            match self.authorize_key(op, caller, key_ref, context, action, &mut trace) {
                Ok(allowed) => allowed,
                Err(refused) => {
                    let Refused { error, evaluation } = *refused;
                    let key = evaluation
                        .is_some()
                        .then(|| self.resolve(key_ref, caller).ok())
                        .flatten()
                        .and_then(|r| self.keys.get(&r.arn));
                    return respond(
                        op,
                        caller,
                        Err(error),
                        evaluation,
                        trace,
                        request_parameters,
                        key.into_iter().collect(),
                    );
                }
            };
        let Some(key) = self.keys.get_mut(&arn) else {
            let e = not_found_key(&arn);
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

    /// The checks of a key operation before it acts, changing nothing: `key_ref` resolved, KMS's
    /// authorization ([`authorize`]: the key policy, then the caller's IAM policies), then the
    /// key's state. Returns the key's ARN and the decision that allowed the call; the sentences
    /// go to `trace`.
    pub(crate) fn authorize_key(
        &self,
        op: KmsOperation,
        caller: &Caller,
        key_ref: &str,
        context: Option<&EncryptionContext>,
        action: Option<&'static str>,
        trace: &mut Vec<String>,
    ) -> Result<(String, Evaluation), Box<Refused>> {
        let resolved = match self.resolve(key_ref, caller) {
            Ok(r) => r,
            Err(error) => {
                trace.push(format!(
                    "`{key_ref}` does not name a key in account {} ({}): KMS looks key ids and alias names up in the caller's own account and Region",
                    caller.account().unwrap_or("-"),
                    caller.region
                ));
                return Err(Box::new(Refused {
                    error,
                    evaluation: None,
                }));
            }
        };
        if let Some(alias) = &resolved.alias {
            trace.push(format!("`{alias}` points to key `{}`", resolved.arn));
        }
        let Some(key) = self.keys.get(&resolved.arn) else {
            return Err(Box::new(Refused {
                error: not_found_key(&resolved.arn),
                evaluation: None,
            }));
        };
        let keys = KmsKeys {
            context,
            request_alias: resolved.alias.as_deref(),
        };
        let action = action.unwrap_or_else(|| op.action());
        let (evaluation, sentences) = authorize(caller, action, key, &keys);
        trace.extend(sentences);
        if evaluation.decision != Decision::Allow {
            return Err(Box::new(Refused {
                error: access_denied(caller, action, &key.arn, &key.account, &evaluation),
                evaluation: Some(evaluation),
            }));
        }
        trace.push(state_sentence(key));
        if let Err(error) = state_gate(op, key) {
            return Err(Box::new(Refused {
                error,
                evaluation: Some(evaluation),
            }));
        }
        Ok((resolved.arn, evaluation))
    }
}

/// Why a key operation was refused before it acted: the error, and KMS's decision when the
/// refusal came at or after authorization.
pub(crate) struct Refused {
    pub error: KmsError,
    pub evaluation: Option<Evaluation>,
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

//! STS requests: who am I (`GetCallerIdentity`), an IAM user's temporary credentials with the
//! MFA context (`GetSessionToken`), and a role's session (`AssumeRole`: the trust policy,
//! `sts:ExternalId`, MFA, a session policy and session tags, decided by the one decider).
//! Credentials are deterministic: the key id is derived from the world's sequence.
//!
//! Follows the STS API reference: GetSessionToken
//! (<https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html>), AssumeRole
//! (<https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html>), and the
//! MFA-protected API access page
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html>).

use std::collections::BTreeMap;

use s3pg_crypto::totp::{MfaDevice, time_step};
use serde_json::json;

use super::plan::Plan;
use crate::authz::Check;
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::iam_api::StsRequest;
use crate::model::{RoleSession, UserSession};
use crate::time::Timestamp;
use crate::trace::{Effect, Gate, GateStep, StepOutcome};
use crate::view::WorldRef;
use crate::world::{Identity, IdentityKind, World, fnv, opaque_id};

const GET_SESSION_TOKEN_DOC: &str =
    "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html";
const ASSUME_ROLE_DOC: &str =
    "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html";
const MFA_API_DOC: &str = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html";
const CALLER_IDENTITY_DOC: &str =
    "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html";

/// The plan of an STS request: STS's own checks (a signed caller, long-term credentials for
/// `GetSessionToken`, valid parameters, the MFA code) first, then `sts:AssumeRole` (and
/// `sts:TagSession`) decided with the role's trust policy; `GetCallerIdentity` and
/// `GetSessionToken` need no permission.
pub(super) fn plan<'r>(
    world: &World,
    ex: &mut Exchange<'r>,
    id: &Identity,
    req: &'r StsRequest,
) -> Result<Plan<'r>, S3Error> {
    let Some(account) = id.account.clone().filter(|_| !id.is_anonymous()) else {
        return Err(ex.reject(
            Gate::Authentication,
            S3Error::other(
                403,
                "MissingAuthenticationToken",
                "Request is missing Authentication Token",
            ),
            "STS answers only signed requests: an anonymous caller has no credentials to exchange",
            ASSUME_ROLE_DOC,
        ));
    };
    match req {
        StsRequest::GetCallerIdentity {} => Ok(Plan::new(Vec::new(), move |_, ex, id, _| {
            ex.step(GateStep::new(
                Gate::Iam,
                StepOutcome::Info,
                format!(
                    "the credentials belong to {}; `GetCallerIdentity` needs no permission, and even an explicit deny cannot stop it",
                    id.describe()
                ),
                CALLER_IDENTITY_DOC,
            ));
            ex.body = Some(json!({ "UserId": id.user_id, "Account": account, "Arn": id.arn }));
            Ok(())
        })),
        StsRequest::GetSessionToken {
            duration_seconds,
            serial_number,
            token_code,
        } => get_session_token(
            world,
            ex,
            id,
            account,
            *duration_seconds,
            serial_number.as_deref(),
            token_code.as_deref(),
        ),
        StsRequest::AssumeRole { .. } => assume_role(world, ex, id, req),
    }
}

fn validation(ex: &mut Exchange<'_>, message: &str, why: String, doc: &'static str) -> S3Error {
    ex.reject(
        Gate::RequestValidation,
        S3Error::other(400, "ValidationError", message),
        why,
        doc,
    )
}

fn sts_denied(ex: &mut Exchange<'_>, message: &str, why: String, doc: &'static str) -> S3Error {
    ex.reject(
        Gate::Iam,
        S3Error::AccessDenied {
            message: message.to_owned(),
        },
        why,
        doc,
    )
}

/// A deterministic temporary key id (`ASIA…`).
fn temporary_key(account: &str, who: &str, seq: u64) -> String {
    format!(
        "ASIA{}",
        opaque_id(fnv(&format!("{account}/{who}/{seq}")), 16)
            .to_ascii_uppercase()
            .replace(['.', '_'], "Q")
    )
}

/// Checks an MFA code against the caller's own device (a used code is refused), before
/// authorization; returns the code's time step, which the execution records as used.
fn verify_mfa(
    world: &World,
    ex: &mut Exchange<'_>,
    id: &Identity,
    serial: &str,
    code: Option<&str>,
    doc: &'static str,
) -> Result<u64, S3Error> {
    let Some(code) = code else {
        return Err(validation(
            ex,
            "TokenCode is required when SerialNumber is given",
            "the request names an MFA device (`SerialNumber`) but sends no code (`TokenCode`)"
                .to_owned(),
            doc,
        ));
    };
    let account = id.account.clone().unwrap_or_default();
    let now = ex.now.epoch_seconds();
    let device = world.accounts.get(&account).and_then(|a| match &id.kind {
        IdentityKind::User { name } => a
            .users
            .get(name)
            .and_then(|u| u.mfa_devices.iter().find(|d| d.serial == serial)),
        IdentityKind::Root => a.root.mfa_devices.iter().find(|d| d.serial == serial),
        _ => None,
    });
    let Some(device) = device else {
        return Err(sts_denied(
            ex,
            "MultiFactorAuthentication failed, unable to validate MFA code.",
            format!("{} has no MFA device with serial `{serial}`", id.describe()),
            MFA_API_DOC,
        ));
    };
    let step = MfaDevice::from_base32_seed(device.serial.clone(), &device.secret_base32)
        .map_err(|e| e.to_string())
        .and_then(|d| d.matching_step(code, now).map_err(|e| e.to_string()));
    let step = match step {
        Ok(s) if device.last_used_step.is_some_and(|last| s <= last) => Err(format!(
            "MFA code `{code}` was already used; each code is accepted once"
        )),
        other => other,
    };
    match step {
        Ok(s) => {
            ex.step(
                GateStep::new(
                    Gate::Authentication,
                    StepOutcome::Pass,
                    format!("the caller proved possession of MFA device `{serial}`: the credentials STS issues carry the MFA context"),
                    MFA_API_DOC,
                )
                .compare("time step", time_step(now).to_string())
                .compare("code", code.to_owned()),
            );
            Ok(s)
        }
        Err(text) => Err(sts_denied(
            ex,
            "MultiFactorAuthentication failed with invalid MFA one time pass code.",
            text,
            MFA_API_DOC,
        )),
    }
}

/// Records an accepted MFA code as used (it cannot be used again).
fn consume_mfa(world: &mut World, ex: &mut Exchange<'_>, id: &Identity, serial: &str, step: u64) {
    let account = id.account.clone().unwrap_or_default();
    let devices = world
        .accounts
        .get_mut(&account)
        .and_then(|a| match &id.kind {
            IdentityKind::User { name } => a.users.get_mut(name).map(|u| &mut u.mfa_devices),
            _ => Some(&mut a.root.mfa_devices),
        });
    if let Some(d) = devices.and_then(|ds| ds.iter_mut().find(|d| d.serial == serial)) {
        d.last_used_step = Some(step);
    }
    ex.effects.push(Effect::MfaCodeUsed {
        serial: serial.to_owned(),
    });
}

fn credentials(key: &str, expires: Timestamp) -> serde_json::Value {
    let (secret, token) = crate::presigned::temporary_secret_and_token(key);
    json!({
        "AccessKeyId": key,
        "SecretAccessKey": secret,
        "SessionToken": token,
        "Expiration": expires.to_string(),
    })
}

fn get_session_token<'r>(
    world: &World,
    ex: &mut Exchange<'r>,
    id: &Identity,
    account: String,
    duration: Option<u64>,
    serial: Option<&'r str>,
    code: Option<&'r str>,
) -> Result<Plan<'r>, S3Error> {
    if id.temporary {
        return Err(sts_denied(
            ex,
            "Cannot call GetSessionToken with session credentials",
            "`GetSessionToken` must be called with long-term credentials; the caller signed with temporary ones".to_owned(),
            GET_SESSION_TOKEN_DOC,
        ));
    }
    let IdentityKind::User { name } = &id.kind else {
        return Err(validation(
            ex,
            "The playground issues session tokens to IAM users only",
            "AWS lets the root user call `GetSessionToken` but recommends against it; the playground models IAM users only".to_owned(),
            GET_SESSION_TOKEN_DOC,
        ));
    };
    let seconds = duration.unwrap_or(43_200);
    if !(900..=129_600).contains(&seconds) {
        return Err(validation(
            ex,
            &format!(
                "1 validation error detected: Value '{seconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 129600"
            ),
            format!(
                "an IAM user's session token lasts 900 to 129,600 seconds (36 hours); `{seconds}` is outside"
            ),
            GET_SESSION_TOKEN_DOC,
        ));
    }
    ex.step(GateStep::new(
        Gate::RequiredPermissions,
        StepOutcome::Info,
        "`GetSessionToken` needs no permission: it only authenticates the user (with MFA when a device and code are sent), and policies cannot control authentication",
        GET_SESSION_TOKEN_DOC,
    ));
    let mfa_step = match serial {
        Some(serial) => Some((
            serial,
            verify_mfa(world, ex, id, serial, code, GET_SESSION_TOKEN_DOC)?,
        )),
        None => None,
    };
    let name = name.clone();
    Ok(Plan::new(Vec::new(), move |world, ex, id, _| {
        issue_session_token(world, ex, id, &account, &name, seconds, mfa_step)
    }))
}

/// Issues an IAM user's temporary credentials (after the MFA code, if any, was accepted).
fn issue_session_token(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    account: &str,
    name: &str,
    seconds: u64,
    mfa_step: Option<(&str, u64)>,
) -> Result<(), S3Error> {
    let mfa = mfa_step.map(|_| ex.now);
    let seq = world.next_seq();
    let key = temporary_key(account, name, seq);
    let expires = Timestamp(ex.now.0.saturating_add(seconds));
    let w: &mut World = world;
    if let Some((serial, step)) = mfa_step {
        consume_mfa(w, ex, id, serial, step);
    }
    if let Some(u) = w
        .accounts
        .get_mut(account)
        .and_then(|a| a.users.get_mut(name))
    {
        u.sessions
            .retain(|s| s.expires_at.is_none_or(|e| e > ex.now));
        u.sessions.push(UserSession {
            access_key_id: key.clone(),
            issued_at: Some(ex.now),
            expires_at: Some(expires),
            mfa_authenticated_at: mfa,
        });
    }
    ex.step(
        GateStep::new(
            Gate::Iam,
            StepOutcome::Info,
            match mfa {
                Some(_) => format!("issued temporary credentials `{key}` to user `{name}` with the MFA context: requests signed with them carry `aws:MultiFactorAuthPresent` = `true` and `aws:MultiFactorAuthAge`"),
                None => format!("issued temporary credentials `{key}` to user `{name}` without MFA: requests signed with them carry `aws:MultiFactorAuthPresent` = `false`"),
            },
            GET_SESSION_TOKEN_DOC,
        )
        .compare("expires", expires.to_string()),
    );
    ex.effects.push(Effect::CredentialsIssued {
        principal: id.arn.clone(),
        access_key_id: key.clone(),
    });
    ex.body = Some(json!({ "Credentials": credentials(&key, expires) }));
    Ok(())
}

/// `arn:aws:iam::ACCOUNT:role/[PATH/]NAME` → (account, name).
fn parse_role_arn(arn: &str) -> Option<(String, String)> {
    let rest = arn.strip_prefix("arn:aws:iam::")?;
    let (account, path) = rest.split_once(':')?;
    let name = path.strip_prefix("role/")?.rsplit('/').next()?;
    let ok = account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()) && !name.is_empty();
    ok.then(|| (account.to_owned(), name.to_owned()))
}

fn valid_session_name(name: &str) -> bool {
    (2..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c))
}

/// The longest session policy STS accepts, in characters (packed).
const MAX_SESSION_POLICY_CHARS: usize = 2048;

/// The session policy passed to `AssumeRole` (a JSON text or document): parsed, checked by the
/// policy grammar, and at most [`MAX_SESSION_POLICY_CHARS`] characters once packed.
fn session_policy(
    ex: &mut Exchange<'_>,
    policy: Option<&serde_json::Value>,
) -> Result<Option<serde_json::Value>, S3Error> {
    let Some(p) = policy else {
        return Ok(None);
    };
    let value = match p {
        serde_json::Value::String(text) => match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                return Err(ex.reject(
                    Gate::RequestValidation,
                    S3Error::other(400, "MalformedPolicyDocument", "Syntax errors in policy."),
                    format!(
                        "the session policy is not JSON: line {} column {}",
                        e.line(),
                        e.column()
                    ),
                    ASSUME_ROLE_DOC,
                ));
            }
        },
        other => other.clone(),
    };
    if let Err(e) = crate::public::parse_policy(&value) {
        return Err(ex.reject(
            Gate::RequestValidation,
            S3Error::other(400, "MalformedPolicyDocument", "Syntax errors in policy."),
            format!("STS refuses the session policy: {e}"),
            ASSUME_ROLE_DOC,
        ));
    }
    let packed = serde_json::to_string(&value).unwrap_or_default().len();
    if packed > MAX_SESSION_POLICY_CHARS {
        return Err(ex.reject(
            Gate::RequestValidation,
            S3Error::other(400, "PackedPolicyTooLarge", "Packed policy consumes more than 100 percent of the allotted space"),
            format!("the session policy is {packed} characters; STS accepts at most {MAX_SESSION_POLICY_CHARS}"),
            ASSUME_ROLE_DOC,
        ));
    }
    Ok(Some(value))
}

#[expect(clippy::too_many_lines, reason = "AssumeRole's checks in AWS's order")]
fn assume_role<'r>(
    world: &World,
    ex: &mut Exchange<'r>,
    id: &Identity,
    req: &'r StsRequest,
) -> Result<Plan<'r>, S3Error> {
    let StsRequest::AssumeRole {
        role_arn,
        role_session_name,
        duration_seconds,
        policy,
        external_id,
        serial_number,
        token_code,
        tags,
    } = req
    else {
        return Ok(Plan::new(Vec::new(), |_, _, _, _| Ok(())));
    };
    if id.is_root() {
        return Err(sts_denied(
            ex,
            "Roles may not be assumed by root accounts.",
            "the root user cannot assume a role: sign in as an IAM user (or a role session) first"
                .to_owned(),
            ASSUME_ROLE_DOC,
        ));
    }
    let Some((role_account, role)) = parse_role_arn(role_arn) else {
        return Err(validation(
            ex,
            &format!("{role_arn} is invalid"),
            format!("`{role_arn}` is not a role ARN (`arn:aws:iam::ACCOUNT:role/NAME`)"),
            ASSUME_ROLE_DOC,
        ));
    };
    if !valid_session_name(role_session_name) {
        return Err(validation(
            ex,
            "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
            format!(
                "the session name `{role_session_name}` must be 2 to 64 letters, digits or `_+=,.@-`"
            ),
            ASSUME_ROLE_DOC,
        ));
    }
    let seconds = duration_seconds.unwrap_or(3600);
    // Role chaining (a role session assuming a role) is limited to one hour; the playground's
    // roles keep AWS's default maximum session duration of one hour.
    if !(900..=3600).contains(&seconds) {
        return Err(validation(
            ex,
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
            format!(
                "`DurationSeconds` = {seconds}: a role session lasts 900 seconds up to the role's maximum session duration (one hour by default, and always at most one hour when chaining roles)"
            ),
            ASSUME_ROLE_DOC,
        ));
    }
    let session_policy = session_policy(ex, policy.as_ref())?;
    let mut keys: Vec<(String, Vec<String>)> = vec![(
        "sts:RoleSessionName".to_owned(),
        vec![role_session_name.clone()],
    )];
    if let Some(e) = external_id {
        keys.push(("sts:ExternalId".to_owned(), vec![e.clone()]));
    }
    let mut mfa_step = None;
    let mfa = match serial_number {
        Some(serial) => {
            let step = verify_mfa(
                world,
                ex,
                id,
                serial,
                token_code.as_deref(),
                ASSUME_ROLE_DOC,
            )?;
            mfa_step = Some((serial.as_str(), step));
            keys.push((
                "aws:MultiFactorAuthPresent".to_owned(),
                vec!["true".to_owned()],
            ));
            keys.push(("aws:MultiFactorAuthAge".to_owned(), vec!["0".to_owned()]));
            Some(ex.now)
        }
        None => id.mfa_authenticated_at,
    };
    let mut checks = vec![Check::role("sts:AssumeRole", &role, &role_account).keys(keys.clone())];
    if !tags.is_empty() {
        let mut tag_keys = keys;
        for (k, v) in tags {
            tag_keys.push((format!("aws:RequestTag/{k}"), vec![v.clone()]));
        }
        tag_keys.push(("aws:TagKeys".to_owned(), tags.keys().cloned().collect()));
        checks.push(Check::role("sts:TagSession", &role, &role_account).keys(tag_keys));
    }
    Ok(Plan::new(checks, move |world, ex, id, _| {
        let session = NewSession {
            role_account,
            role,
            name: role_session_name,
            seconds,
            session_policy,
            mfa,
            tags,
        };
        issue_role_session(world, ex, id, session, mfa_step)
    }))
}

/// The role session `AssumeRole` creates.
struct NewSession<'r> {
    role_account: String,
    role: String,
    name: &'r String,
    seconds: u64,
    session_policy: Option<serde_json::Value>,
    mfa: Option<Timestamp>,
    tags: &'r BTreeMap<String, String>,
}

/// Issues the role session's temporary credentials (after authorization allowed it).
fn issue_role_session(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    new: NewSession<'_>,
    mfa_step: Option<(&str, u64)>,
) -> Result<(), S3Error> {
    let NewSession {
        role_account,
        role,
        name: role_session_name,
        seconds,
        session_policy,
        mfa,
        tags,
    } = new;
    let seq = world.next_seq();
    let key = temporary_key(&role_account, &format!("{role}/{role_session_name}"), seq);
    let expires = Timestamp(ex.now.0.saturating_add(seconds));
    let w: &mut World = world;
    if let Some((serial, step)) = mfa_step {
        consume_mfa(w, ex, id, serial, step);
    }
    let Some(r) = w
        .accounts
        .get_mut(&role_account)
        .and_then(|a| a.roles.get_mut(&role))
    else {
        return Err(S3Error::access_denied());
    };
    r.sessions.retain(|s| &s.name != role_session_name);
    r.sessions.push(RoleSession {
        name: role_session_name.clone(),
        access_key_id: key.clone(),
        session_policy: session_policy.clone(),
        issued_at: Some(ex.now),
        expires_at: Some(expires),
        mfa_authenticated_at: mfa,
        tags: tags.clone(),
    });
    let role_id = if r.role_id.is_empty() {
        crate::world::role_unique_id(&role_account, &role)
    } else {
        r.role_id.clone()
    };
    let session_arn =
        format!("arn:aws:sts::{role_account}:assumed-role/{role}/{role_session_name}");
    let mut step = GateStep::new(
        Gate::Iam,
        StepOutcome::Info,
        format!(
            "issued temporary credentials `{key}` for session `{role_session_name}` of role `{role}`{}{}",
            if session_policy.is_some() {
                "; the session policy caps what they can do to the intersection with the role's policies"
            } else {
                ""
            },
            if tags.is_empty() {
                String::new()
            } else {
                format!("; session tags {} become `aws:PrincipalTag/<key>`", super::tagging::describe(tags))
            }
        ),
        ASSUME_ROLE_DOC,
    )
    .compare("assumed-role ARN", session_arn.clone())
    .compare("expires", expires.to_string());
    if mfa.is_some() {
        step = step.compare("aws:MultiFactorAuthPresent", "true");
    }
    ex.step(step);
    ex.effects.push(Effect::CredentialsIssued {
        principal: session_arn.clone(),
        access_key_id: key.clone(),
    });
    ex.body = Some(json!({
        "Credentials": credentials(&key, expires),
        "AssumedRoleUser": { "AssumedRoleId": format!("{role_id}:{role_session_name}"), "Arn": session_arn },
    }));
    Ok(())
}

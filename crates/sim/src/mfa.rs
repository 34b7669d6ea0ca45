//! MFA Delete: who may change versioning or permanently delete versions while it is on, and the
//! `x-amz-mfa: SERIAL CODE` check against the owner's virtual MFA device (TOTP, RFC 6238, codes
//! read off the simulated clock; a used code is refused).
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/userguide/MultiFactorAuthenticationDelete.html>
//! and the PutBucketVersioning API (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketVersioning.html>).

use s3pg_crypto::totp::{MfaDevice, MfaHeader, time_step};

use crate::docs;
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::request::Scheme;
use crate::time::Timestamp;
use crate::trace::{Gate, GateStep, StepOutcome};
use crate::world::{Identity, World};

/// The current code of a device at `unix_time` (what the device panel shows).
pub fn current_code(secret_base32: &str, unix_time: u64) -> Option<String> {
    MfaDevice::from_base32_seed("device", secret_base32)
        .ok()
        .map(|d| d.code_at(unix_time))
}

fn deny(
    ex: &mut Exchange<'_>,
    error: S3Error,
    text: String,
    undocumented: Option<&str>,
) -> S3Error {
    let mut step = GateStep::new(Gate::MfaDelete, StepOutcome::Reject, text, docs::MFA_DELETE)
        .compare("response", format!("{} {}", error.status(), error.code()));
    step.undocumented = undocumented.map(str::to_owned);
    ex.push_deciding(step);
    error
}

/// Checks made before authorization whenever `x-amz-mfa` is sent: HTTPS only, no temporary credentials.
pub(crate) fn precheck(ex: &mut Exchange<'_>, id: &Identity) -> Result<(), S3Error> {
    if ex.req.header_value("x-amz-mfa").is_none() {
        return Ok(());
    }
    if ex.req.network.scheme == Scheme::Http {
        return Err(deny(
            ex,
            S3Error::InvalidRequest {
                message: "MFA Authentication must be used with HTTPS".to_owned(),
            },
            "requests that carry `x-amz-mfa` must use HTTPS".to_owned(),
            Some(
                "AWS says HTTPS is required but not which error a plain-HTTP request gets; the playground answers 400 InvalidRequest",
            ),
        ));
    }
    if id.temporary {
        return Err(deny(
            ex,
            S3Error::InvalidRequest { message: "DevPay and Mfa are mutually exclusive authorization methods.".to_owned() },
            "`x-amz-mfa` cannot be combined with temporary (session) credentials; MFA Delete needs the root user's long-term credentials".to_owned(),
            None,
        ));
    }
    Ok(())
}

/// Requires the bucket owner's root user and a valid, unused MFA code (consumes the code).
pub(crate) fn require(
    world: &mut World,
    ex: &mut Exchange<'_>,
    id: &Identity,
    owner: &str,
    why: &str,
) -> Result<(), S3Error> {
    let Some(header) = ex.req.header_value("x-amz-mfa").map(str::to_owned) else {
        return Err(deny(
            ex,
            S3Error::AccessDenied {
                message: "Mfa Authentication must be used for this request".to_owned(),
            },
            format!("{why}; the request has no `x-amz-mfa` header"),
            None,
        ));
    };
    if !(id.is_root() && id.account.as_deref() == Some(owner)) {
        return Err(deny(
            ex,
            S3Error::AccessDenied {
                message: "This operation may only be performed by the bucket owner".to_owned(),
            },
            format!(
                "{why}; the caller {} is not the root user of the owning account `{owner}`",
                id.describe()
            ),
            None,
        ));
    }
    let parsed = match MfaHeader::parse(&header) {
        Ok(h) => h,
        Err(e) => {
            return Err(deny(
                ex,
                S3Error::access_denied(),
                format!("{e}"),
                Some(
                    "AWS does not document the response to a bad MFA token; the playground answers 403 Access Denied",
                ),
            ));
        }
    };
    let now = ex.now.epoch_seconds();
    let device = world.accounts.get_mut(owner).and_then(|a| {
        a.root
            .mfa_devices
            .iter_mut()
            .find(|d| d.serial == parsed.serial_number)
    });
    let Some(device) = device else {
        return Err(deny(
            ex,
            S3Error::access_denied(),
            format!(
                "the root user of `{owner}` has no MFA device with serial `{}`",
                parsed.serial_number
            ),
            Some(
                "AWS does not document the response to a bad MFA token; the playground answers 403 Access Denied",
            ),
        ));
    };
    let checked = MfaDevice::from_base32_seed(device.serial.clone(), &device.secret_base32)
        .map_err(|e| e.to_string())
        .and_then(|d| {
            d.matching_step(&parsed.code, now)
                .map_err(|e| e.to_string())
        });
    let step = match checked {
        Ok(step) if device.last_used_step.is_some_and(|last| step <= last) => Err(format!(
            "MFA code `{}` was already used; each code is accepted once",
            parsed.code
        )),
        Ok(step) => Ok(step),
        Err(e) => Err(e),
    };
    match step {
        Ok(step) => {
            device.last_used_step = Some(step);
            let serial = device.serial.clone();
            ex.trace.push(
                GateStep::new(
                    Gate::MfaDelete,
                    StepOutcome::Pass,
                    format!("{why}: the root user sent a valid code from `{serial}`"),
                    docs::MFA_DELETE,
                )
                .compare("time step", time_step(now).to_string())
                .compare("code", parsed.code.clone()),
            );
            ex.effects
                .push(crate::trace::Effect::MfaCodeUsed { serial });
            Ok(())
        }
        Err(text) => Err(deny(
            ex,
            S3Error::access_denied(),
            text,
            Some(
                "AWS does not document the response to a wrong or reused MFA code; the playground answers 403 Access Denied",
            ),
        )),
    }
}

impl World {
    /// The code a virtual MFA device (found by serial, anywhere in the world) shows at `now`:
    /// what the device panel displays for the learner to type.
    pub fn mfa_code(&self, serial: &str, now: Timestamp) -> Option<String> {
        crate::world::find_device(self, serial)
            .and_then(|secret| current_code(&secret, now.epoch_seconds()))
    }
}

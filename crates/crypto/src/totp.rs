//! Virtual MFA devices: RFC 6238 TOTP codes and the `x-amz-mfa` header of MFA Delete.
//!
//! Follows "Assign a virtual MFA device" (<https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable_virtual.html>),
//! the IAM API's `CreateVirtualMFADevice` / `EnableMFADevice` / `ResyncMFADevice`, and
//! "Configuring MFA delete" (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/MultiFactorAuthenticationDelete.html>),
//! §5.6 of our semantics notes.
//!
//! - AWS requires an RFC 6238 app that shows **six digits**; the app uses the RFC's defaults:
//!   HMAC-SHA1, a 30-second step, `T0 = 0` (Unix epoch).
//! - `CreateVirtualMFADevice` returns the secret as `Base32StringSeed` (RFC 3548 base32); a
//!   `QRCodePNG` encodes `otpauth://totp/NAME@ACCOUNT?secret=SEED`.
//! - `EnableMFADevice` and `ResyncMFADevice` take **two consecutive codes**.
//! - MFA Delete reads `x-amz-mfa: SERIAL CODE` (one space) — [`MfaHeader`].
//!
//! Not documented by AWS, modelled here (\[SIM\]):
//! - **Clock skew.** AWS does not say how far a code may be from the server's time step. The
//!   verifier accepts the current step and one step either side (±30 s), the window RFC 6238 §6
//!   recommends, around the device's measured drift (see below).
//! - **Replay.** A code whose step is not later than the last accepted step is refused
//!   ([`MfaError::Reused`]). RFC 6238 §5.2 requires this; AWS's sign-in is observed to reject a
//!   reused code, but the rule is not documented.
//! - **Resync window.** `ResyncMFADevice` looks for the two consecutive codes within
//!   ±[`RESYNC_WINDOW_STEPS`] steps and remembers the offset as the device's drift.
//! - **Seed length.** New devices get a 40-byte secret (64 base32 characters).

use core::fmt;

use data_encoding::BASE32_NOPAD;
use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha1::Sha1;

use crate::Entropy;

/// Digits in an AWS MFA code.
pub const DIGITS: u32 = 6;
/// The TOTP time step in seconds (RFC 6238 default, used by AWS virtual MFA apps).
pub const STEP_SECONDS: u64 = 30;
/// Steps either side of the expected one that [`MfaDevice::verify`] still accepts (\[SIM\]).
pub const SKEW_STEPS: u64 = 1;
/// How far (in steps) [`MfaDevice::resync`] searches for two consecutive codes (\[SIM\]).
pub const RESYNC_WINDOW_STEPS: u64 = 20;
/// Length in bytes of the secret [`MfaDevice::create_virtual`] draws (\[SIM\]).
pub const SEED_LEN: usize = 40;

/// RFC 4226 HOTP: `Truncate(HMAC-SHA1(secret, counter)) mod 10^digits`.
///
/// `digits` above 9 is treated as 9 (a `u32` cannot hold more).
#[must_use]
pub fn hotp(secret: &[u8], counter: u64, digits: u32) -> u32 {
    let Ok(mut mac) = <Hmac<Sha1> as KeyInit>::new_from_slice(secret) else {
        // HMAC accepts keys of any length; this branch is unreachable in practice.
        return 0;
    };
    mac.update(&counter.to_be_bytes());
    let digest: [u8; 20] = mac.finalize().into_bytes().into();
    // Dynamic truncation (RFC 4226 §5.3): the low nibble of the last byte picks 4 bytes.
    let offset = usize::from(digest[19] & 0x0f);
    let mut word = [0_u8; 4];
    if let Some(chunk) = digest.get(offset..offset + 4) {
        word.copy_from_slice(chunk);
    }
    let binary = u32::from_be_bytes(word) & 0x7fff_ffff;
    binary % 10_u32.pow(digits.min(9))
}

/// The TOTP time step of a Unix time: `T = floor((now - T0) / X)` with `T0 = 0`, `X = 30`.
#[must_use]
pub const fn time_step(unix_time: u64) -> u64 {
    unix_time / STEP_SECONDS
}

/// RFC 6238 TOTP with HMAC-SHA1, 30-second steps, `T0 = 0`.
#[must_use]
pub fn totp(secret: &[u8], unix_time: u64, digits: u32) -> u32 {
    hotp(secret, time_step(unix_time), digits)
}

/// A code as the app shows it: zero-padded to `digits`.
#[must_use]
pub fn format_code(code: u32, digits: u32) -> String {
    let width = usize::try_from(digits).unwrap_or(6);
    format!("{code:0width$}")
}

/// Decodes a `Base32StringSeed`. Lenient as authenticator apps are: ignores spaces and `=`
/// padding, accepts lower case.
///
/// # Errors
/// [`MfaError::InvalidSeed`] when the text is not base32 or decodes to nothing.
pub fn decode_base32_seed(seed: &str) -> Result<Vec<u8>, MfaError> {
    let cleaned: String = seed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '=')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    match BASE32_NOPAD.decode(cleaned.as_bytes()) {
        Ok(secret) if !secret.is_empty() => Ok(secret),
        _ => Err(MfaError::InvalidSeed),
    }
}

/// Encodes a secret as AWS's `Base32StringSeed` (upper case, no padding).
#[must_use]
pub fn encode_base32_seed(secret: &[u8]) -> String {
    BASE32_NOPAD.encode(secret)
}

/// A virtual (TOTP) MFA device as IAM stores it: serial number, secret, and the replay state.
///
/// Serialized with the secret as its base32 seed, so a saved world keeps working devices.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MfaDevice {
    serial_number: String,
    #[serde(rename = "base32_seed", with = "crate::codec::base32_vec")]
    secret: Vec<u8>,
    /// The time step of the last code accepted; codes for this step or earlier are refused.
    last_used_step: Option<u64>,
    /// Measured offset between the device's clock and ours, in steps (set by resync).
    #[serde(default)]
    drift_steps: i64,
}

impl fmt::Debug for MfaDevice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MfaDevice")
            .field("serial_number", &self.serial_number)
            .field("last_used_step", &self.last_used_step)
            .field("drift_steps", &self.drift_steps)
            .finish_non_exhaustive()
    }
}

impl MfaDevice {
    /// A device with the given serial number (for virtual devices the ARN,
    /// `arn:aws:iam::ACCOUNT:mfa/NAME`) and raw secret.
    #[must_use]
    pub fn new(serial_number: impl Into<String>, secret: Vec<u8>) -> Self {
        Self {
            serial_number: serial_number.into(),
            secret,
            last_used_step: None,
            drift_steps: 0,
        }
    }

    /// `CreateVirtualMFADevice`: a device with a fresh [`SEED_LEN`]-byte secret.
    #[must_use]
    pub fn create_virtual(
        serial_number: impl Into<String>,
        entropy: &mut (impl Entropy + ?Sized),
    ) -> Self {
        let mut secret = vec![0_u8; SEED_LEN];
        entropy.fill(&mut secret);
        Self::new(serial_number, secret)
    }

    /// A device from a `Base32StringSeed` (what the learner typed into their authenticator app).
    ///
    /// # Errors
    /// [`MfaError::InvalidSeed`].
    pub fn from_base32_seed(
        serial_number: impl Into<String>,
        seed: &str,
    ) -> Result<Self, MfaError> {
        Ok(Self::new(serial_number, decode_base32_seed(seed)?))
    }

    /// The same device with saved replay state restored (the step of the last accepted code and
    /// the drift a resync measured).
    #[must_use]
    pub const fn with_state(mut self, last_used_step: Option<u64>, drift_steps: i64) -> Self {
        self.last_used_step = last_used_step;
        self.drift_steps = drift_steps;
        self
    }

    /// The serial number (or virtual device ARN).
    #[must_use]
    pub fn serial_number(&self) -> &str {
        &self.serial_number
    }

    /// The secret as `Base32StringSeed`.
    #[must_use]
    pub fn base32_seed(&self) -> String {
        encode_base32_seed(&self.secret)
    }

    /// The QR code's text: `otpauth://totp/NAME@ACCOUNT?secret=SEED`, as AWS builds it from the
    /// device name and the account (alias or ID). Characters outside `[A-Za-z0-9-._~@]` in the
    /// label are percent-encoded.
    #[must_use]
    pub fn otpauth_uri(&self, device_name: &str, account: &str) -> String {
        let label = percent_encode(&format!("{device_name}@{account}"));
        format!("otpauth://totp/{label}?secret={}", self.base32_seed())
    }

    /// The time step of the last accepted code, if any.
    #[must_use]
    pub const fn last_used_step(&self) -> Option<u64> {
        self.last_used_step
    }

    /// The device's measured clock drift in steps (0 until a resync finds otherwise).
    #[must_use]
    pub const fn drift_steps(&self) -> i64 {
        self.drift_steps
    }

    /// The code the device itself shows at `unix_time` (its own clock, no drift applied): what
    /// the learner's simulated phone displays.
    #[must_use]
    pub fn code_at(&self, unix_time: u64) -> String {
        format_code(totp(&self.secret, unix_time, DIGITS), DIGITS)
    }

    /// The step within the skew window around `unix_time` (plus drift) whose code is `code`,
    /// without consuming it. Steps are tried nearest first.
    ///
    /// # Errors
    /// [`MfaError::MalformedCode`] unless `code` is exactly six ASCII digits;
    /// [`MfaError::InvalidCode`] when no step in the window produces it.
    pub fn matching_step(&self, code: &str, unix_time: u64) -> Result<u64, MfaError> {
        let wanted = parse_code(code)?;
        let centre = shift(time_step(unix_time), self.drift_steps);
        window(centre, SKEW_STEPS)
            .find(|step| hotp(&self.secret, *step, DIGITS) == wanted)
            .ok_or(MfaError::InvalidCode)
    }

    /// Checks a code typed at `unix_time` and, when accepted, records its step so it cannot be
    /// used again.
    ///
    /// # Errors
    /// [`MfaError::MalformedCode`], [`MfaError::InvalidCode`], or [`MfaError::Reused`] when the
    /// code's step is not later than the last accepted one.
    pub fn verify(&mut self, code: &str, unix_time: u64) -> Result<(), MfaError> {
        let step = self.matching_step(code, unix_time)?;
        if let Some(last) = self.last_used_step
            && step <= last
        {
            return Err(MfaError::Reused { step });
        }
        self.last_used_step = Some(step);
        Ok(())
    }

    /// `EnableMFADevice` / `ResyncMFADevice`: finds two consecutive codes within
    /// ±[`RESYNC_WINDOW_STEPS`] of `unix_time`, records the device's drift and consumes both.
    ///
    /// # Errors
    /// [`MfaError::MalformedCode`], or [`MfaError::ResyncFailed`] when no two consecutive steps
    /// in the window produce `code1` then `code2`.
    pub fn resync(&mut self, code1: &str, code2: &str, unix_time: u64) -> Result<(), MfaError> {
        let first = parse_code(code1)?;
        let second = parse_code(code2)?;
        let now = time_step(unix_time);
        let found = window(now, RESYNC_WINDOW_STEPS).find(|step| {
            hotp(&self.secret, *step, DIGITS) == first
                && hotp(&self.secret, step.saturating_add(1), DIGITS) == second
        });
        let step = found.ok_or(MfaError::ResyncFailed)?;
        let second_step = step.saturating_add(1);
        self.drift_steps = i64::try_from(i128::from(second_step) - i128::from(now)).unwrap_or(0);
        self.last_used_step = Some(second_step);
        Ok(())
    }
}

fn shift(step: u64, by: i64) -> u64 {
    if by >= 0 {
        step.saturating_add(by.unsigned_abs())
    } else {
        step.saturating_sub(by.unsigned_abs())
    }
}

/// `centre, centre-1, centre+1, centre-2, …` out to `radius`, without going below step 0.
fn window(centre: u64, radius: u64) -> impl Iterator<Item = u64> {
    core::iter::once(Some(centre))
        .chain((1..=radius).flat_map(move |d| [centre.checked_sub(d), centre.checked_add(d)]))
        .flatten()
}

fn parse_code(code: &str) -> Result<u32, MfaError> {
    let malformed = || MfaError::MalformedCode {
        given: code.to_owned(),
    };
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed());
    }
    code.parse().map_err(|_| malformed())
}

fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'@') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `x-amz-mfa` header of MFA Delete: `SERIAL CODE`, separated by a single space.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MfaHeader {
    /// The device serial number or virtual device ARN.
    pub serial_number: String,
    /// The six-digit code.
    pub code: String,
}

impl MfaHeader {
    /// Splits the header at its single space.
    ///
    /// # Errors
    /// [`MfaError::MalformedHeader`] unless the value is `SERIAL CODE` with exactly one space,
    /// a non-empty serial and a six-digit code.
    pub fn parse(value: &str) -> Result<Self, MfaError> {
        let malformed = || MfaError::MalformedHeader {
            given: value.to_owned(),
        };
        let (serial, code) = value.split_once(' ').ok_or_else(malformed)?;
        if serial.is_empty() || code.contains(' ') || parse_code(code).is_err() {
            return Err(malformed());
        }
        Ok(Self {
            serial_number: serial.to_owned(),
            code: code.to_owned(),
        })
    }
}

impl fmt::Display for MfaHeader {
    /// The header value, `SERIAL CODE`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.serial_number, self.code)
    }
}

/// Why an MFA code or header was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MfaError {
    /// The code is not exactly six digits.
    MalformedCode {
        /// What was typed.
        given: String,
    },
    /// The code matches no step within the accepted window.
    InvalidCode,
    /// The code was already used (its step is not later than the last accepted one).
    Reused {
        /// The step the code belongs to.
        step: u64,
    },
    /// No two consecutive steps in the resync window produce the two codes.
    ResyncFailed,
    /// The secret is not valid base32.
    InvalidSeed,
    /// `x-amz-mfa` is not `SERIAL CODE`.
    MalformedHeader {
        /// The header value.
        given: String,
    },
}

impl MfaError {
    /// The S3 response to a protected request (MFA Delete) carrying this bad token:
    /// `(status, code, message)`.
    ///
    /// AWS documents neither status nor message for a wrong or expired MFA token on S3; our notes
    /// (§5.6) choose `403 AccessDenied` / `Access Denied` (\[SIM\]), used here for every variant.
    #[must_use]
    pub const fn s3_response(&self) -> (u16, &'static str, &'static str) {
        (403, "AccessDenied", "Access Denied")
    }

    /// Extra advice for the learner.
    #[must_use]
    pub const fn help(&self) -> Option<&'static str> {
        match self {
            Self::MalformedCode { .. } => Some("AWS MFA codes are exactly six digits"),
            Self::InvalidCode => Some(
                "the code must come from the device's current 30-second window; check the device clock, or resync the device with two consecutive codes",
            ),
            Self::Reused { .. } => {
                Some("each code is accepted once: wait for the next code (at most 30 seconds)")
            }
            Self::ResyncFailed => {
                Some("enter two codes that the device showed one after the other")
            }
            Self::InvalidSeed => Some("the secret key is base32: letters A–Z and digits 2–7"),
            Self::MalformedHeader { .. } => Some(
                "the header is the device serial number or ARN, one space, then the code, e.g. `arn:aws:iam::123456789012:mfa/root-account-mfa-device 123456`",
            ),
        }
    }
}

impl fmt::Display for MfaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MalformedCode { given } => write!(f, "MFA code `{given}` is not six digits"),
            Self::InvalidCode => f.write_str("MFA code is not valid for this device at this time"),
            Self::Reused { step } => write!(f, "MFA code for time step `{step}` was already used"),
            Self::ResyncFailed => {
                f.write_str("the two MFA codes are not consecutive codes of this device")
            }
            Self::InvalidSeed => f.write_str("MFA secret is not valid base32"),
            Self::MalformedHeader { given } => {
                write!(f, "`x-amz-mfa` value `{given}` is not `SERIAL CODE`")
            }
        }
    }
}

impl core::error::Error for MfaError {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SeededEntropy;

    /// RFC 6238 Appendix B: the SHA-1 seed is the ASCII string "12345678901234567890".
    const RFC_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn rfc_6238_appendix_b_sha1_eight_digit_vectors() {
        let cases = [
            (59_u64, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ];
        for (t, expected) in cases {
            assert_eq!(format_code(totp(RFC_SECRET, t, 8), 8), expected, "T = {t}");
        }
    }

    #[test]
    fn rfc_4226_appendix_d_six_digit_hotp_vectors() {
        let expected = [
            755_224, 287_082, 359_152, 969_429, 338_314, 254_676, 287_922, 162_583, 399_871,
            520_489,
        ];
        for (counter, code) in expected.into_iter().enumerate() {
            assert_eq!(
                hotp(RFC_SECRET, counter as u64, 6),
                code,
                "counter {counter}"
            );
        }
    }

    #[test]
    fn six_digit_totp_is_the_last_six_digits_of_the_eight_digit_one() {
        // Truncation mod 10^6 of the same binary code: "94287082" -> "287082".
        assert_eq!(format_code(totp(RFC_SECRET, 59, 6), 6), "287082");
        assert_eq!(format_code(totp(RFC_SECRET, 1_111_111_109, 6), 6), "081804");
    }

    fn device() -> MfaDevice {
        MfaDevice::new(
            "arn:aws:iam::123456789012:mfa/root-account-mfa-device",
            RFC_SECRET.to_vec(),
        )
    }

    #[test]
    fn current_code_is_accepted_once() {
        let mut d = device();
        let now = 1_111_111_111;
        let code = d.code_at(now);
        assert_eq!(d.verify(&code, now), Ok(()));
        assert_eq!(
            d.verify(&code, now + 5),
            Err(MfaError::Reused {
                step: time_step(now)
            })
        );
    }

    #[test]
    fn adjacent_steps_are_tolerated_but_two_away_are_not() {
        let now = 1_234_567_890;
        let previous = device().code_at(now - 30);
        let next = device().code_at(now + 30);
        let stale = device().code_at(now - 60);
        assert_eq!(device().verify(&previous, now), Ok(()));
        assert_eq!(device().verify(&next, now), Ok(()));
        assert_eq!(device().verify(&stale, now), Err(MfaError::InvalidCode));
    }

    #[test]
    fn an_older_code_after_a_newer_one_is_a_replay() {
        let mut d = device();
        let now = 2_000_000_000;
        d.verify(&d.code_at(now), now).unwrap();
        let earlier = d.code_at(now - 30);
        assert!(matches!(
            d.verify(&earlier, now),
            Err(MfaError::Reused { .. })
        ));
    }

    #[test]
    fn malformed_codes_are_refused_before_any_hmac() {
        for bad in ["12345", "1234567", "12a456", " 12345", "１２３４５６"] {
            assert!(
                matches!(
                    device().verify(bad, 59),
                    Err(MfaError::MalformedCode { .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn resync_learns_the_drift_of_a_slow_clock() {
        let mut d = device();
        let now = 1_700_000_000;
        // The device runs five minutes (10 steps) slow.
        let (c1, c2) = (d.code_at(now - 300 - 30), d.code_at(now - 300));
        assert_eq!(d.verify(&c2, now), Err(MfaError::InvalidCode));
        d.resync(&c1, &c2, now).unwrap();
        assert_eq!(d.drift_steps(), -10);
        // The next code the slow device shows is now accepted.
        let later = now + 30;
        assert_eq!(d.verify(&d.code_at(later - 300), later), Ok(()));
    }

    #[test]
    fn resync_rejects_codes_that_are_not_consecutive() {
        let mut d = device();
        let now = 1_700_000_000;
        let (c1, c3) = (d.code_at(now), d.code_at(now + 60));
        assert_eq!(d.resync(&c1, &c3, now), Err(MfaError::ResyncFailed));
    }

    #[test]
    fn base32_seed_round_trips_and_is_lenient_like_apps() {
        assert_eq!(
            encode_base32_seed(RFC_SECRET),
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        );
        assert_eq!(
            decode_base32_seed("gezd gnbv gy3t qojq gezd gnbv gy3t qojq").unwrap(),
            RFC_SECRET
        );
        assert_eq!(
            decode_base32_seed("not base32 1"),
            Err(MfaError::InvalidSeed)
        );
        let mut e = SeededEntropy::from_seed(b"mfa");
        let d = MfaDevice::create_virtual("arn:aws:iam::123456789012:mfa/alice", &mut e);
        assert_eq!(d.base32_seed().len(), 64);
        let again = MfaDevice::from_base32_seed(d.serial_number(), &d.base32_seed()).unwrap();
        assert_eq!(again.code_at(1_000), d.code_at(1_000));
    }

    #[test]
    fn otpauth_uri_has_label_and_seed() {
        let d = device();
        assert_eq!(
            d.otpauth_uri("root-account-mfa-device", "my account"),
            "otpauth://totp/root-account-mfa-device@my%20account?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        );
    }

    #[test]
    fn x_amz_mfa_header_is_serial_space_code() {
        let h = MfaHeader::parse("arn:aws:iam::123456789012:mfa/root-account-mfa-device 123456")
            .unwrap();
        assert_eq!(
            h.serial_number,
            "arn:aws:iam::123456789012:mfa/root-account-mfa-device"
        );
        assert_eq!(h.code, "123456");
        assert_eq!(
            h.to_string(),
            "arn:aws:iam::123456789012:mfa/root-account-mfa-device 123456"
        );
        for bad in [
            "123456",
            "serial  123456",
            " 123456",
            "serial 12345",
            "serial 123456 x",
        ] {
            assert!(
                matches!(MfaHeader::parse(bad), Err(MfaError::MalformedHeader { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn s3_sees_every_bad_token_as_access_denied() {
        assert_eq!(
            MfaError::InvalidCode.s3_response(),
            (403, "AccessDenied", "Access Denied")
        );
    }

    #[test]
    fn restored_state_still_refuses_the_used_code() {
        let mut d = device();
        let now = 1_500_000_000;
        let code = d.code_at(now);
        d.verify(&code, now).unwrap();
        let mut restored = device().with_state(d.last_used_step(), d.drift_steps());
        assert!(matches!(
            restored.verify(&code, now),
            Err(MfaError::Reused { .. })
        ));
        let json = serde_json::to_string(&d).unwrap();
        assert!(
            json.contains(r#""base32_seed":"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ""#),
            "{json}"
        );
        let mut back: MfaDevice = serde_json::from_str(&json).unwrap();
        assert!(matches!(
            back.verify(&code, now),
            Err(MfaError::Reused { .. })
        ));
    }

    #[test]
    fn debug_never_prints_the_secret() {
        let shown = format!("{:?}", device());
        assert!(!shown.contains("49, 50"), "{shown}");
        assert!(!shown.contains("GEZDG"), "{shown}");
    }
}

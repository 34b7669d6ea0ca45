//! Browser-based uploads with HTTP POST: the form, its POST policy and its signature.
//!
//! A web application's server writes a POST policy (base64 JSON: `expiration` and
//! `conditions`), signs the base64 text with the SigV4 signing key of its secret (the string to
//! sign *is* the base64 policy), and hands the form to the browser. S3 checks, in order: the
//! form's signing fields, the access key, the signature, the policy's expiration on the
//! simulated clock, that every condition holds and every form field is covered by one, then the
//! file's size against `content-length-range` — and only then authorizes the upload as the
//! signer, *at upload time*: the signer's identity policies and the bucket policy still apply,
//! with `s3:authType` = `POST`. The upload is then a PutObject (ACL, encryption and metadata from
//! the form's fields); `success_action_status` picks 200, 201 or the default 204.
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-UsingHTTPPOST.html>,
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html>,
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-post-example.html> and
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html>.

use std::collections::BTreeMap;

use s3pg_sigv4::{AmzDateTime, CredentialScope, Signature, SigningKey};
use serde_json::Value;

use crate::docs;
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::request::{Authentication, Caller, Operation, PostSignSpec, Request};
use crate::time::Timestamp;
use crate::trace::{Gate, GateStep, StepOutcome};
use crate::world::{Identity, World};

/// Form fields the policy need not list.
fn exempt(field: &str) -> bool {
    matches!(field, "x-amz-signature" | "file" | "policy") || field.starts_with("x-ignore-")
}

/// Base64 (standard alphabet, padded) of `bytes`.
fn base64(bytes: &[u8]) -> String {
    data_encoding::BASE64.encode(bytes)
}

/// The signature of a POST policy: `hex(HMAC(signing key, base64 policy))`.
pub fn post_signature(secret: &str, time: AmzDateTime, region: &str, policy_b64: &str) -> String {
    let scope = CredentialScope::new(time, region, "s3");
    let key = SigningKey::derive(secret, &scope);
    Signature::compute_text(&key, policy_b64).to_string()
}

fn amz(t: Timestamp) -> AmzDateTime {
    AmzDateTime::from_unix_seconds(i64::try_from(t.epoch_seconds()).unwrap_or(i64::MAX))
}

impl World {
    /// The signing fields of a POST form as a web application's server would write them: the
    /// base64 policy, `x-amz-algorithm`, `x-amz-credential`, `x-amz-date` and `x-amz-signature`,
    /// signed with the secret the world stores for the access key.
    ///
    /// # Errors
    /// A sentence when no principal has the access key.
    pub fn sign_post_form(
        &self,
        bucket: &str,
        spec: &PostSignSpec,
        now: Timestamp,
    ) -> Result<BTreeMap<String, String>, String> {
        let key = self.signer_key(&spec.access_key_id).ok_or_else(|| {
            format!(
                "no user, root user or role session has access key `{}`",
                spec.access_key_id
            )
        })?;
        let secret = spec.secret_access_key.clone().unwrap_or(key.secret);
        let region = spec
            .region
            .clone()
            .or_else(|| self.buckets.get(bucket).map(|b| b.region.clone()))
            .unwrap_or_else(|| s3pg_sigv4::DEFAULT_REGION.to_owned());
        let time = amz(spec.signed_at.unwrap_or(now));
        let policy_b64 = base64(spec.policy.to_string().as_bytes());
        let mut fields = BTreeMap::new();
        fields.insert(
            "x-amz-credential".to_owned(),
            format!(
                "{}/{}",
                spec.access_key_id,
                CredentialScope::new(time, &region, "s3")
            ),
        );
        fields.insert(
            "x-amz-algorithm".to_owned(),
            s3pg_sigv4::ALGORITHM.to_owned(),
        );
        fields.insert("x-amz-date".to_owned(), time.to_basic());
        fields.insert(
            "x-amz-signature".to_owned(),
            post_signature(&secret, time, &region, &policy_b64),
        );
        if let Some(token) = key.session_token {
            fields.insert("x-amz-security-token".to_owned(), token);
        }
        fields.insert("policy".to_owned(), policy_b64);
        Ok(fields)
    }
}

/// What checking a POST form gave.
pub(crate) enum Resolution {
    /// Refused (the exchange holds the error).
    Refused,
    /// Verified: the PutObject the form stands for, the signer, and the success status asked for.
    Verified {
        inner: Box<Request>,
        identity: Box<Identity>,
        success_status: u16,
        redirect: Option<String>,
    },
}

fn step(outcome: StepOutcome, why: impl Into<String>, doc: &'static str) -> GateStep {
    GateStep::new(Gate::Authentication, outcome, why, doc)
}

fn refuse(
    ex: &mut Exchange<'_>,
    error: S3Error,
    gate: Gate,
    why: String,
    doc: &'static str,
) -> Refused {
    let e = ex.reject(gate, error, why, doc);
    ex.error = Some(e);
    Refused
}

/// `403 AccessDenied` "Invalid according to Policy: …".
fn policy_denied(detail: &str) -> S3Error {
    S3Error::AccessDenied {
        message: format!("Invalid according to Policy: {detail}"),
    }
}

/// The field a condition names (`$key` → `key`), lower-cased as S3 compares field names.
fn field_name(text: &str) -> String {
    text.trim_start_matches('$').to_ascii_lowercase()
}

/// Checks one condition against the form; `Err` is S3's detail text for the refusal.
fn check_condition(
    cond: &Value,
    fields: &BTreeMap<String, String>,
    bucket: &str,
    covered: &mut Vec<String>,
) -> Result<Option<(u64, u64)>, String> {
    let value_of = |name: &str| -> Option<String> {
        if name == "bucket" {
            return Some(bucket.to_owned());
        }
        fields.get(name).cloned()
    };
    match cond {
        Value::Object(m) => {
            for (k, v) in m {
                let name = field_name(k);
                covered.push(name.clone());
                let expected = v.as_str().unwrap_or_default();
                if value_of(&name).as_deref() != Some(expected) {
                    return Err(format!(
                        "Policy Condition failed: [\"eq\", \"${name}\", \"{expected}\"]"
                    ));
                }
            }
            Ok(None)
        }
        Value::Array(items) => {
            let op = items
                .first()
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_ascii_lowercase();
            if op == "content-length-range" {
                let min = items.get(1).and_then(Value::as_u64).unwrap_or(0);
                let max = items.get(2).and_then(Value::as_u64).unwrap_or(u64::MAX);
                return Ok(Some((min, max)));
            }
            let name = field_name(items.get(1).and_then(Value::as_str).unwrap_or_default());
            let expected = items.get(2).and_then(Value::as_str).unwrap_or_default();
            covered.push(name.clone());
            let actual = value_of(&name).unwrap_or_default();
            let ok = match op.as_str() {
                "eq" => actual == expected,
                "starts-with" => actual.starts_with(expected),
                _ => false,
            };
            if ok {
                Ok(None)
            } else {
                Err(format!(
                    "Policy Condition failed: [\"{op}\", \"${name}\", \"{expected}\"]"
                ))
            }
        }
        _ => Err("Invalid Policy: Invalid JSON.".to_owned()),
    }
}

/// The caller an access key belongs to, for the inner request.
fn caller_of(access_key_id: &str) -> Caller {
    Caller::AccessKey {
        id: access_key_id.to_owned(),
    }
}

/// A refusal: the exchange holds S3's error and the trace step that explains it.
struct Refused;

/// Checks a POST form in S3's order and resolves it to the PutObject it stands for: the form's
/// fields ([`read_form`]), its signature ([`verify_signature`]), its policy document
/// ([`read_policy`], [`check_conditions`]), then the upload it stands for ([`upload_request`]).
pub(crate) fn resolve(
    world: &World,
    ex: &mut Exchange<'_>,
    request: &Request,
    now: Timestamp,
) -> Resolution {
    let Operation::PostObject {
        bucket,
        fields,
        file,
        sign,
    } = &request.operation
    else {
        return Resolution::Refused;
    };
    let checked = read_form(world, ex, bucket, fields, sign.as_ref(), now).and_then(|form| {
        let akid = verify_signature(world, ex, &form.fields)?;
        let (expiration, conditions) = read_policy(ex, &form.fields, now)?;
        let size = u64::try_from(file.len()).unwrap_or(u64::MAX);
        check_conditions(ex, &conditions, &form.fields, bucket, size)?;
        ex.step(
            step(
                StepOutcome::Pass,
                format!(
                    "the policy holds: it expires at `{expiration}`, and its {} condition(s) match the form; S3 now authorizes the upload as the signer, at upload time",
                    conditions.len()
                ),
                docs::POST_POLICY,
            )
            .compare("expiration", expiration.to_string()),
        );
        upload_request(world, ex, request, &akid, &form, now)
    });
    checked.unwrap_or(Resolution::Refused)
}

/// A POST form's fields, names lower-cased, with the key it names.
struct Form {
    /// The fields, names lower-cased (S3 compares them case-insensitively), values as sent.
    fields: BTreeMap<String, String>,
    /// The `key` field: the object's key.
    key: String,
}

/// The form's fields, with the signing fields a web application's server adds when the scenario
/// asks the world to sign; refuses a missing bucket, a form without `key` and a form without one
/// of the signing fields.
fn read_form(
    world: &World,
    ex: &mut Exchange<'_>,
    bucket: &str,
    fields: &BTreeMap<String, String>,
    sign: Option<&PostSignSpec>,
    now: Timestamp,
) -> Result<Form, Refused> {
    if !world.buckets.contains_key(bucket) {
        return Err(refuse(
            ex,
            S3Error::NoSuchBucket,
            Gate::RequestValidation,
            format!("there is no bucket named `{bucket}`"),
            docs::ERRORS,
        ));
    }
    // Field names are case-insensitive; values are kept as sent.
    let mut fields: BTreeMap<String, String> = fields
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
        .collect();
    if let Some(spec) = sign {
        match world.sign_post_form(bucket, spec, now) {
            Ok(signed) => {
                let mut s = step(
                    StepOutcome::Info,
                    format!(
                        "the web application's server signed the POST policy with access key `{}`: the string to sign is the base64 policy itself, signed with the SigV4 signing key (date, Region, `s3`)",
                        spec.access_key_id
                    ),
                    docs::POST_SIGNATURE,
                );
                for (k, v) in signed {
                    s = s.compare(k.clone(), v.clone());
                    fields.entry(k).or_insert(v);
                }
                ex.step(s);
            }
            Err(why) => {
                return Err(refuse(
                    ex,
                    S3Error::InvalidAccessKeyId,
                    Gate::Authentication,
                    format!("the form cannot be signed: {why}"),
                    docs::POST_SIGNATURE,
                ));
            }
        }
    }
    let Some(key) = fields.get("key").cloned() else {
        return Err(refuse(
            ex,
            S3Error::InvalidArgument {
                message: "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.".to_owned(),
            },
            Gate::RequestValidation,
            "the form has no `key` field: S3 needs it to name the object".to_owned(),
            docs::POST_OBJECT,
        ));
    };
    for required in [
        "policy",
        "x-amz-algorithm",
        "x-amz-credential",
        "x-amz-date",
        "x-amz-signature",
    ] {
        if !fields.contains_key(required) {
            return Err(refuse(
                ex,
                S3Error::InvalidArgument {
                    message: format!(
                        "Bucket POST must contain a field named '{required}'.  If it is specified, please check the order of the fields."
                    ),
                },
                Gate::Authentication,
                format!("a signed POST form needs the `{required}` field"),
                docs::POST_UPLOAD,
            ));
        }
    }
    Ok(Form { fields, key })
}

/// Checks the signing fields and the signature over the base64 policy; the access key that
/// signed.
fn verify_signature(
    world: &World,
    ex: &mut Exchange<'_>,
    fields: &BTreeMap<String, String>,
) -> Result<String, Refused> {
    let field = |n: &str| fields.get(n).cloned().unwrap_or_default();
    if field("x-amz-algorithm") != s3pg_sigv4::ALGORITHM {
        let refused = refuse(
            ex,
            S3Error::InvalidArgument {
                message: "Only AWS4-HMAC-SHA256 is supported for x-amz-algorithm.".to_owned(),
            },
            Gate::Authentication,
            format!(
                "`x-amz-algorithm` is `{}`, not `AWS4-HMAC-SHA256`",
                field("x-amz-algorithm")
            ),
            docs::POST_UPLOAD,
        );
        return Err(
            refused.with_undocumented(ex, "AWS documents the algorithm but not this error's text")
        );
    }
    // The credential: AKID/date/region/s3/aws4_request.
    let credential = field("x-amz-credential");
    let parts: Vec<&str> = credential.split('/').collect();
    let (akid, date, region) = match parts.as_slice() {
        [akid, date, region, "s3", "aws4_request"] => {
            ((*akid).to_owned(), (*date).to_owned(), (*region).to_owned())
        }
        _ => {
            return Err(refuse(
                ex,
                S3Error::InvalidArgument {
                    message: format!("Invalid credential: {credential}"),
                },
                Gate::Authentication,
                format!(
                    "`x-amz-credential` `{credential}` is not `ACCESS-KEY/YYYYMMDD/REGION/s3/aws4_request`"
                ),
                docs::POST_UPLOAD,
            ));
        }
    };
    if AmzDateTime::parse_basic(&field("x-amz-date")).is_err() {
        return Err(refuse(
            ex,
            S3Error::InvalidArgument {
                message: "Invalid x-amz-date.".to_owned(),
            },
            Gate::Authentication,
            format!(
                "`x-amz-date` `{}` is not `YYYYMMDDTHHMMSSZ`",
                field("x-amz-date")
            ),
            docs::POST_UPLOAD,
        ));
    }
    let Some(signer) = world.signer_key(&akid).filter(|k| k.active) else {
        return Err(refuse(
            ex,
            S3Error::InvalidAccessKeyId,
            Gate::Authentication,
            format!("no active access key `{akid}` exists: the form carries the signer's identity"),
            docs::POST_UPLOAD,
        ));
    };
    let expected = {
        let scope = CredentialScope {
            date,
            region,
            service: "s3".to_owned(),
        };
        Signature::compute_text(
            &SigningKey::derive(&signer.secret, &scope),
            &field("policy"),
        )
        .to_string()
    };
    if expected != field("x-amz-signature") {
        return Err(refuse(
            ex,
            S3Error::SignatureDoesNotMatch,
            Gate::Authentication,
            "S3 signed the base64 policy with the signing key of the stored secret and got another signature: the policy or a signing field was changed, or another secret signed it".to_owned(),
            docs::POST_SIGNATURE,
        ));
    }
    ex.step(
        step(
            StepOutcome::Pass,
            format!("the signature over the base64 policy matches: signed by access key `{akid}`"),
            docs::POST_SIGNATURE,
        )
        .compare("x-amz-credential", credential)
        .compare("signature", expected),
    );
    Ok(akid)
}

/// The policy document: decodes it and checks its expiration on the simulated clock; its
/// expiration and conditions.
fn read_policy(
    ex: &mut Exchange<'_>,
    fields: &BTreeMap<String, String>,
    now: Timestamp,
) -> Result<(Timestamp, Vec<Value>), Refused> {
    let policy: Option<Value> = data_encoding::BASE64
        .decode(fields.get("policy").map_or("", String::as_str).as_bytes())
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok());
    let Some(policy) = policy.filter(Value::is_object) else {
        return Err(refuse(
            ex,
            S3Error::other(
                400,
                "InvalidPolicyDocument",
                "Invalid Policy: Invalid JSON.",
            ),
            Gate::RequestValidation,
            "the `policy` field is not base64 of a JSON object".to_owned(),
            docs::POST_POLICY,
        ));
    };
    let expiration = policy
        .get("expiration")
        .and_then(Value::as_str)
        .and_then(|t| Timestamp::parse(t).ok());
    let Some(expiration) = expiration else {
        return Err(refuse(
            ex,
            S3Error::other(
                400,
                "InvalidPolicyDocument",
                "Invalid Policy: Invalid 'expiration' value: must be in ISO8601 GMT date format.",
            ),
            Gate::RequestValidation,
            "the policy has no `expiration` in ISO 8601 (`2026-01-01T12:00:00Z`)".to_owned(),
            docs::POST_POLICY,
        ));
    };
    if now >= expiration {
        return Err(refuse(
            ex,
            policy_denied("Policy expired."),
            Gate::Authentication,
            format!("the policy expired at `{expiration}`; the upload arrived at `{now}`"),
            docs::POST_POLICY,
        ));
    }
    let conditions = policy
        .get("conditions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    Ok((expiration, conditions))
}

/// Checks that every condition holds, that the policy names the bucket and covers every form
/// field, then the file's size against `content-length-range`.
fn check_conditions(
    ex: &mut Exchange<'_>,
    conditions: &[Value],
    fields: &BTreeMap<String, String>,
    bucket: &str,
    size: u64,
) -> Result<(), Refused> {
    let mut covered = Vec::new();
    let mut range = None;
    for cond in conditions {
        match check_condition(cond, fields, bucket, &mut covered) {
            Ok(Some(r)) => range = Some(r),
            Ok(None) => {}
            Err(detail) => {
                return Err(refuse(
                    ex,
                    policy_denied(&detail),
                    Gate::Authentication,
                    format!("the form does not satisfy the policy: {detail}"),
                    docs::POST_POLICY,
                ));
            }
        }
    }
    // Every field but the exempt ones must be covered by a condition (the bucket always is
    // implied by the URL; S3 still asks the policy to name it).
    let extra: Vec<String> = fields
        .keys()
        .filter(|f| !exempt(f) && !covered.iter().any(|c| c == *f))
        .cloned()
        .collect();
    if !covered.iter().any(|c| c == "bucket") {
        let refused = refuse(
            ex,
            policy_denied("Policy Condition failed: [\"eq\", \"$bucket\", \"\"]"),
            Gate::Authentication,
            "the policy has no `bucket` condition: S3 requires one".to_owned(),
            docs::POST_POLICY,
        );
        return Err(refused.with_undocumented(
            ex,
            "AWS documents that the policy must name the bucket, not the refusal's text",
        ));
    }
    if !extra.is_empty() {
        return Err(refuse(
            ex,
            policy_denied(&format!("Extra input fields: {}", extra.join(", "))),
            Gate::Authentication,
            format!(
                "every form field but `x-amz-signature`, `file`, `policy` and `x-ignore-*` must appear in the policy's conditions; these do not: `{}`",
                extra.join("`, `")
            ),
            docs::POST_POLICY,
        ));
    }
    let Some((min, max)) = range else {
        return Ok(());
    };
    let refusal = if size > max {
        Some((
            "EntityTooLarge",
            "Your proposed upload exceeds the maximum allowed size",
        ))
    } else if size < min {
        Some((
            "EntityTooSmall",
            "Your proposed upload is smaller than the minimum allowed size",
        ))
    } else {
        None
    };
    match refusal {
        Some((code, message)) => Err(refuse(
            ex,
            S3Error::other(400, code, message),
            Gate::RequestValidation,
            format!(
                "the file is {size} bytes; the policy's `content-length-range` allows {min}–{max}"
            ),
            docs::POST_POLICY,
        )),
        None => Ok(()),
    }
}

/// The upload the verified form stands for: the signer authenticated at upload time, and a
/// PutObject whose headers come from the form's fields.
fn upload_request(
    world: &World,
    ex: &mut Exchange<'_>,
    request: &Request,
    akid: &str,
    form: &Form,
    now: Timestamp,
) -> Result<Resolution, Refused> {
    let Operation::PostObject { bucket, file, .. } = &request.operation else {
        return Ok(Resolution::Refused);
    };
    let (identity, identity_step) = match world.authenticate(&caller_of(akid), now) {
        Ok(found) => found,
        Err(e) => {
            return Err(refuse(
                ex,
                e,
                Gate::Authentication,
                "the access key that signed the form belongs to no one now".to_owned(),
                docs::POST_UPLOAD,
            ));
        }
    };
    ex.step(identity_step);
    // The form's fields become the upload's headers.
    let mut inner = Request::new(
        caller_of(akid),
        Operation::PutObject {
            bucket: bucket.clone(),
            key: form.key.replace("${filename}", "file"),
            body: file.clone(),
        },
    );
    inner.authentication = Authentication::PostForm;
    inner.network = request.network.clone();
    for (k, v) in &form.fields {
        let header = match k.as_str() {
            "acl" => Some("x-amz-acl".to_owned()),
            "content-type" => Some("content-type".to_owned()),
            h if h.starts_with("x-amz-meta-")
                || h.starts_with("x-amz-server-side-encryption")
                || h == "x-amz-storage-class"
                || h.starts_with("x-amz-grant-") =>
            {
                Some(h.to_owned())
            }
            _ => None,
        };
        if let Some(h) = header {
            inner.headers.insert(h, v.clone());
        }
    }
    let success_status = match form.fields.get("success_action_status").map(String::as_str) {
        Some("200") => 200,
        Some("201") => 201,
        _ => 204,
    };
    Ok(Resolution::Verified {
        inner: Box::new(inner),
        identity: Box::new(identity),
        success_status,
        redirect: form.fields.get("success_action_redirect").cloned(),
    })
}

/// The response to a successful POST: `success_action_redirect` (303 with `Location`), or
/// `success_action_status` 200, 201 (with a `PostResponse` body) or the default 204.
pub(crate) fn answer(
    outcome: &mut crate::trace::Outcome,
    inner: &Request,
    status: u16,
    redirect: Option<String>,
) {
    let Operation::PutObject { bucket, key, .. } = &inner.operation else {
        return;
    };
    let etag = outcome.headers.get("etag").cloned().unwrap_or_default();
    let location = format!("https://{bucket}.s3.amazonaws.com/{key}");
    if let Some(url) = redirect {
        outcome.status = 303;
        outcome.headers.insert(
            "location".to_owned(),
            format!("{url}?bucket={bucket}&key={key}&etag={etag}"),
        );
        return;
    }
    outcome.status = status;
    outcome
        .headers
        .insert("location".to_owned(), location.clone());
    if status == 201 {
        outcome.body = Some(serde_json::json!({ "PostResponse": {
            "Location": location, "Bucket": bucket, "Key": key, "ETag": etag
        } }));
    }
}

impl Refused {
    /// Marks the refusal's trace step as following no AWS text (`note` says what AWS leaves out).
    fn with_undocumented(self, ex: &mut Exchange<'_>, note: &str) -> Self {
        if let Some(s) = ex.trace.last_mut() {
            s.undocumented = Some(note.to_owned());
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_post_signature_is_the_hmac_of_the_base64_policy() {
        // AWS's "Example: Browser-based upload using HTTP POST (using AWS Signature Version 4)".
        let policy = "eyAiZXhwaXJhdGlvbiI6ICIyMDE1LTEyLTMwVDEyOjAwOjAwLjAwMFoiLA0KICAiY29uZGl0aW9ucyI6IFsNCiAgICB7ImJ1Y2tldCI6ICJzaWd2NGV4YW1wbGVidWNrZXQifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRrZXkiLCAidXNlci91c2VyMS8iXSwNCiAgICB7ImFjbCI6ICJwdWJsaWMtcmVhZCJ9LA0KICAgIHsic3VjY2Vzc19hY3Rpb25fcmVkaXJlY3QiOiAiaHR0cDovL3NpZ3Y0ZXhhbXBsZWJ1Y2tldC5zMy5hbWF6b25hd3MuY29tL3N1Y2Nlc3NmdWxfdXBsb2FkLmh0bWwifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRDb250ZW50LVR5cGUiLCAiaW1hZ2UvIl0sDQogICAgeyJ4LWFtei1tZXRhLXV1aWQiOiAiMTQzNjUxMjM2NTEyNzQifSwNCiAgICB7IngtYW16LXNlcnZlci1zaWRlLWVuY3J5cHRpb24iOiAiQUVTMjU2In0sDQogICAgWyJzdGFydHMtd2l0aCIsICIkeC1hbXotbWV0YS10YWciLCAiIl0sDQoNCiAgICB7IngtYW16LWNyZWRlbnRpYWwiOiAiQUtJQUlPU0ZPRE5ON0VYQU1QTEUvMjAxNTEyMjkvdXMtZWFzdC0xL3MzL2F3czRfcmVxdWVzdCJ9LA0KICAgIHsieC1hbXotYWxnb3JpdGhtIjogIkFXUzQtSE1BQy1TSEEyNTYifSwNCiAgICB7IngtYW16LWRhdGUiOiAiMjAxNTEyMjlUMDAwMDAwWiIgfQ0KICBdDQp9";
        let time = AmzDateTime::parse_basic("20151229T000000Z").unwrap();
        assert_eq!(
            post_signature(
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                time,
                "us-east-1",
                policy
            ),
            "8afdbf4008c03f22c2cd3cdb72e4afbb1f6a588f3255ac628749a66d7f09699e"
        );
    }
}

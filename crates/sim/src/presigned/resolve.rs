//! S3's query authentication of a pre-signed URL, in S3's order, each check its own function and
//! its own trace step: the URL (given, or minted from a spec with the world's stored secret) →
//! its address and operation → the form of the `X-Amz-*` parameters → the Region → the lifetime
//! on the simulated clock → the access key and session token → the signature. A URL that passes
//! becomes an ordinary request by its signer, which [`crate::pipeline`] then plans, authorizes and
//! executes like any other.
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html> and
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-presigned-url.html>.

use s3pg_sigv4::{AuthError, Freshness, IncomingRequest, QueryAuth, UrlParts};

use super::{Signer, SignerKey, Target, amz, map_operation, split_target};
use crate::docs;
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::request::{Authentication, Caller, Operation, PresignSpec, Request, Scheme};
use crate::time::Timestamp;
use crate::trace::{Gate, GateStep, StepOutcome};
use crate::world::{Identity, World};

/// What query authentication made of a pre-signed URL: refused (the refusal is recorded on the
/// exchange), or verified as an ordinary request by the signer.
pub(crate) enum Resolution {
    /// Refused; `operation` names what the URL would have done, when known.
    Refused { operation: Option<String> },
    /// Verified: the request the URL stands for, and the signer's identity at the time of use.
    Verified {
        inner: Box<Request>,
        identity: Box<Identity>,
    },
}

/// A refusal already recorded on the exchange, with the operation the URL named, if known.
struct Refused(Option<String>);

/// The S3 error an [`AuthError`] is answered with.
fn s3_error(e: &AuthError) -> S3Error {
    match e.code() {
        "AccessDenied" => S3Error::AccessDenied {
            message: e.s3_message(),
        },
        "SignatureDoesNotMatch" => S3Error::SignatureDoesNotMatch,
        _ => S3Error::AuthorizationQueryParametersError {
            message: e.s3_message(),
        },
    }
}

/// Records a refusal at the authentication gate and marks it deciding.
fn refuse(ex: &mut Exchange<'_>, error: S3Error, step: GateStep) {
    let step = step.compare("response", format!("{} {}", error.status(), error.code()));
    ex.push_deciding(step);
    ex.error = Some(error);
}

fn auth_step(outcome: StepOutcome, explanation: impl Into<String>, doc: &'static str) -> GateStep {
    GateStep::new(Gate::Authentication, outcome, explanation, doc)
}

fn extras(e: &AuthError) -> Vec<(String, String)> {
    e.extra_elements()
        .into_iter()
        .map(|(n, v)| (n.to_owned(), v))
        .collect()
}

/// Resolves a [`Operation::PresignedRequest`], the one way a URL enters the world.
pub(crate) fn resolve(
    world: &World,
    ex: &mut Exchange<'_>,
    request: &Request,
    now: Timestamp,
) -> Resolution {
    match checked(world, ex, request, now) {
        Ok(resolution) => resolution,
        Err(Refused(operation)) => Resolution::Refused { operation },
    }
}

/// The checks in S3's order; the first that fails has recorded its refusal.
fn checked(
    world: &World,
    ex: &mut Exchange<'_>,
    request: &Request,
    now: Timestamp,
) -> Result<Resolution, Refused> {
    let Operation::PresignedRequest {
        method,
        url,
        presign,
        body,
    } = &request.operation
    else {
        return Err(Refused(None));
    };
    // 0. The URL: as given, or minted from the spec with the world's stored secret.
    let url = if url.is_empty() {
        minted_url(world, ex, request, method, presign.as_ref(), now)?
    } else {
        url.clone()
    };
    // 1. Split the URL and map it to an operation.
    let address = Address::of(ex, method, &url, body.as_deref())?;
    // 2–4. The form of the X-Amz-* parameters, the Region, the lifetime.
    let (auth, freshness) = address.query_auth(world, ex, now)?;
    // 5. The access key, and the session token of temporary credentials.
    let (key, identity, identity_step) = address.signer(world, ex, &auth, now)?;
    // 6. The signature, recomputed with the signer's secret.
    address.verify(ex, request, &auth, &key, &freshness, now)?;
    ex.step(identity_step);
    let mut identity = identity;
    identity.signature_age_ms = Some(freshness.signature_age_ms);
    let mut network = request.network.clone();
    network.scheme = if address.https {
        Scheme::Https
    } else {
        Scheme::Http
    };
    let inner = Request {
        caller: Caller::AccessKey {
            id: auth.credential.access_key_id.clone(),
        },
        authentication: Authentication::PresignedUrl,
        operation: address.operation,
        headers: request.headers.clone(),
        network,
    };
    Ok(Resolution::Verified {
        inner: Box::new(inner),
        identity: Box::new(identity),
    })
}

/// The URL minted from the request's spec with the world's stored secret (check 0), as
/// `aws s3 presign` or an SDK would: a local computation, no AWS call and no permission check.
fn minted_url(
    world: &World,
    ex: &mut Exchange<'_>,
    request: &Request,
    method: &str,
    presign: Option<&PresignSpec>,
    now: Timestamp,
) -> Result<String, Refused> {
    let Some(spec) = presign else {
        refuse(
            ex,
            S3Error::InvalidRequest {
                message: "The request has no URL.".to_owned(),
            },
            auth_step(
                StepOutcome::Reject,
                "the pre-signed request gives neither `url` nor `presign`",
                docs::PRESIGNED,
            ),
        );
        return Err(Refused(None));
    };
    let mut spec = spec.clone();
    if spec.method.is_none() {
        spec.method = Some(method.to_ascii_uppercase());
    }
    let minted = match world.presign_spec(&spec, now) {
        Ok(minted) => minted,
        Err(e) => {
            refuse(
                ex,
                S3Error::InvalidAccessKeyId,
                auth_step(
                    StepOutcome::Reject,
                    format!("the URL cannot be minted: {e}"),
                    docs::PRESIGNED,
                ),
            );
            return Err(Refused(None));
        }
    };
    let mut text = minted.url.clone();
    for edit in &spec.edits {
        text = text.replacen(&edit.find, &edit.replace, 1);
    }
    // The holder may send the URL over plain HTTP: the scheme is not signed, so the signature
    // still holds, and `aws:SecureTransport` is then `false`.
    if request.network.scheme == Scheme::Http
        && let Some(rest) = text.strip_prefix("https://")
    {
        text = format!("http://{rest}");
    }
    let signed_at = spec.signed_at.unwrap_or(now);
    let mut step = auth_step(
        StepOutcome::Info,
        format!(
            "the signer minted the URL at `{signed_at}` with access key `{}`: a local computation, no AWS call and no permission check",
            spec.access_key_id
        ),
        docs::PRESIGNED,
    )
    .compare("signed at (X-Amz-Date)", signed_at.to_string())
    .compare("canonical request (signer)", minted.canonical_request.to_string())
    .compare("string to sign (signer)", minted.string_to_sign.to_string())
    .compare("signature (signer)", minted.signature.to_string())
    .compare("URL minted", minted.url.clone());
    if !spec.edits.is_empty() || text != minted.url {
        step = step.compare("URL used", text.clone());
    }
    ex.step(step);
    Ok(text)
}

/// Where the URL points and what it does (check 1).
struct Address<'a> {
    method: &'a str,
    parts: UrlParts,
    target: Target,
    operation: Operation,
    https: bool,
}

impl<'a> Address<'a> {
    /// Splits the URL (virtual-hosted or path style) and maps its method and path to an operation.
    fn of(
        ex: &mut Exchange<'_>,
        method: &'a str,
        url: &str,
        body: Option<&str>,
    ) -> Result<Self, Refused> {
        let (parts, target) = match split_target(url) {
            Ok(t) => t,
            Err(p) => {
                refuse(
                    ex,
                    S3Error::InvalidRequest {
                        message: "The URL does not address an S3 bucket.".to_owned(),
                    },
                    auth_step(StepOutcome::Reject, p.message.clone(), docs::PRESIGNED)
                        .compare("help", p.help)
                        .undocumented("a URL that does not reach S3 gets no S3 answer at all; the playground reports it as a request error"),
                );
                return Err(Refused(None));
            }
        };
        let operation = match map_operation(method, &target, &parts.query, body) {
            Ok(op) => op,
            Err(p) => {
                refuse(
                    ex,
                    S3Error::MethodNotAllowed,
                    auth_step(StepOutcome::Reject, p.message.clone(), docs::PRESIGNED)
                        .compare("help", p.help)
                        .undocumented("the playground simulates object GET/PUT/HEAD/DELETE and bucket GET through pre-signed URLs"),
                );
                return Err(Refused(None));
            }
        };
        let https = parts.scheme.eq_ignore_ascii_case("https");
        Ok(Address {
            method,
            parts,
            target,
            operation,
            https,
        })
    }

    /// A refusal naming the operation the URL would have done.
    fn refused(&self) -> Refused {
        Refused(Some(self.operation.name().to_owned()))
    }

    /// A step with what the URL addresses.
    fn step(&self, outcome: StepOutcome, explanation: String, doc: &'static str) -> GateStep {
        auth_step(outcome, explanation, doc)
            .compare("method", self.method.to_ascii_uppercase())
            .compare("host", self.parts.host.clone())
            .compare(
                "addressing",
                if self.target.virtual_hosted {
                    "virtual-hosted style (bucket in the host)"
                } else {
                    "path style (bucket in the path)"
                },
            )
            .compare("bucket", self.target.bucket.clone())
            .compare("key", self.target.key.clone())
            .compare("operation", self.operation.name())
    }

    /// A step with the URL's address and its lifetime against the simulated clock.
    fn timed(
        &self,
        auth: &QueryAuth,
        now: Timestamp,
        outcome: StepOutcome,
        explanation: String,
        doc: &'static str,
    ) -> GateStep {
        self.step(outcome, explanation, doc)
            .compare("X-Amz-Date", auth.signed_at.to_basic())
            .compare("X-Amz-Expires", auth.expires_in.to_string())
            .compare(
                "expires at (X-Amz-Date + X-Amz-Expires)",
                auth.expires_at().to_extended(),
            )
            .compare("server time (now)", amz(now).to_extended())
    }

    /// Checks 2–4: the form of the `X-Amz-*` parameters, the credential scope's Region against
    /// the bucket's, then the lifetime judged on the simulated clock.
    fn query_auth(
        &self,
        world: &World,
        ex: &mut Exchange<'_>,
        now: Timestamp,
    ) -> Result<(QueryAuth, Freshness), Refused> {
        let auth = match QueryAuth::parse(&self.parts.query) {
            Ok(a) => a,
            Err(e) => {
                ex.error_extra = extras(&e);
                let step = self
                    .step(StepOutcome::Reject, e.to_string(), docs::QUERY_AUTH)
                    .compare("help", e.help().unwrap_or_default());
                refuse(ex, s3_error(&e), step);
                return Err(self.refused());
            }
        };
        if auth.expires_in == 0 {
            let error = S3Error::AuthorizationQueryParametersError {
                message: "X-Amz-Expires must be between 1 and 604800 seconds".to_owned(),
            };
            let step = self
                .step(
                    StepOutcome::Reject,
                    "`X-Amz-Expires` `0` is below the documented minimum of 1 second".to_owned(),
                    docs::QUERY_AUTH,
                )
                .compare("X-Amz-Expires", "0")
                .compare("allowed", "1 … 604800")
                .undocumented("AWS documents the range 1…604800 but no message for 0 was found; the playground refuses it with this text");
            refuse(ex, error, step);
            return Err(self.refused());
        }
        if let Some(bucket) = world.buckets.get(&self.target.bucket)
            && let Err(e) = auth.check_region(&bucket.region)
        {
            ex.error_extra = extras(&e);
            let step = self
                .step(StepOutcome::Reject, e.to_string(), docs::QUERY_AUTH)
                .compare("credential Region", auth.credential.scope.region.clone())
                .compare("bucket Region", bucket.region.clone());
            refuse(ex, s3_error(&e), step);
            return Err(self.refused());
        }
        match auth.check_time(amz(now)) {
            Ok(f) => Ok((auth, f)),
            Err(e) => {
                ex.error_extra = extras(&e);
                let step = self
                    .timed(
                        &auth,
                        now,
                        StepOutcome::Reject,
                        e.to_string(),
                        docs::QUERY_AUTH,
                    )
                    .compare("help", e.help().unwrap_or_default());
                refuse(ex, s3_error(&e), step);
                Err(self.refused())
            }
        }
    }

    /// Check 5, the signer: an active access key, the session token of temporary credentials, and
    /// the identity the key belongs to now (a URL dies with its key or its session).
    fn signer(
        &self,
        world: &World,
        ex: &mut Exchange<'_>,
        auth: &QueryAuth,
        now: Timestamp,
    ) -> Result<(SignerKey, Identity, GateStep), Refused> {
        let access_key_id = auth.credential.access_key_id.clone();
        let Some(key) = world.signer_key(&access_key_id).filter(|k| k.active) else {
            let mut step = self.timed(
                auth,
                now,
                StepOutcome::Reject,
                format!("no active access key `{access_key_id}` exists now: the URL carries the signer's identity, so it dies with the key"),
                docs::PRESIGNED,
            )
            .compare("access key", access_key_id.clone());
            if world.signer_key(&access_key_id).is_some() {
                step = step
                    .compare("key status", "Inactive")
                    .undocumented("AWS documents no separate error for a deactivated key; S3 answers as for an unknown key");
            }
            ex.error_extra = vec![("AWSAccessKeyId".to_owned(), access_key_id)];
            refuse(ex, S3Error::InvalidAccessKeyId, step);
            return Err(self.refused());
        };
        self.session_token(ex, auth, &key, now)?;
        match world.authenticate(
            &Caller::AccessKey {
                id: access_key_id.clone(),
            },
            now,
        ) {
            Ok((identity, step)) => Ok((key, identity, step)),
            Err(e) => {
                let why = match e {
                    S3Error::ExpiredToken => {
                        "the URL is still within `X-Amz-Expires`, but the role session that signed it has expired: a URL signed with temporary credentials ends with them"
                    }
                    _ => "the access key no longer belongs to anyone",
                };
                let mut step = self
                    .timed(
                        auth,
                        now,
                        StepOutcome::Reject,
                        why.to_owned(),
                        docs::PRESIGNED,
                    )
                    .compare("access key", access_key_id);
                if let Signer::Session {
                    account,
                    role,
                    session,
                } = &key.signer
                    && let Some(exp) = world
                        .accounts
                        .get(account)
                        .and_then(|a| a.roles.get(role))
                        .and_then(|r| r.sessions.iter().find(|s| &s.name == session))
                        .and_then(|s| s.expires_at)
                {
                    step = step.compare("session expires at", exp.to_string());
                }
                ex.error_extra = match (&e, &auth.security_token) {
                    (S3Error::ExpiredToken, Some(t)) => vec![("Token-0".to_owned(), t.clone())],
                    _ => Vec::new(),
                };
                refuse(ex, e, step);
                Err(self.refused())
            }
        }
    }

    /// Temporary credentials sign with a session token, which the URL must carry unchanged.
    fn session_token(
        &self,
        ex: &mut Exchange<'_>,
        auth: &QueryAuth,
        key: &SignerKey,
        now: Timestamp,
    ) -> Result<(), Refused> {
        let Some(expected) = &key.session_token else {
            return Ok(());
        };
        let (error, why) = match &auth.security_token {
            None => (
                S3Error::InvalidAccessKeyId,
                "temporary credentials sign with a session token, and the URL carries no `X-Amz-Security-Token`",
            ),
            Some(t) if t != expected => (
                S3Error::InvalidToken,
                "the URL's `X-Amz-Security-Token` is not the session's token",
            ),
            Some(_) => return Ok(()),
        };
        let access_key_id = &auth.credential.access_key_id;
        ex.error_extra = match (&error, &auth.security_token) {
            (S3Error::InvalidToken, Some(t)) => vec![("Token-0".to_owned(), t.clone())],
            _ => vec![("AWSAccessKeyId".to_owned(), access_key_id.clone())],
        };
        let step = self
            .timed(auth, now, StepOutcome::Reject, why.to_owned(), docs::PRESIGNED)
            .compare("access key", access_key_id.clone())
            .undocumented("the session token's own check is modelled: the playground's tokens are opaque strings");
        refuse(ex, error, step);
        Err(self.refused())
    }

    /// Check 6: the signature, recomputed with the signer's secret over the request as it arrived.
    fn verify(
        &self,
        ex: &mut Exchange<'_>,
        request: &Request,
        auth: &QueryAuth,
        key: &SignerKey,
        freshness: &Freshness,
        now: Timestamp,
    ) -> Result<(), Refused> {
        let access_key_id = auth.credential.access_key_id.clone();
        let headers: Vec<(String, String)> = request
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let incoming = IncomingRequest {
            method: self.method,
            host: &self.parts.host,
            path: &self.parts.path,
            query: &self.parts.query,
            headers: &headers,
        };
        let (canonical, string_to_sign) = match auth.verify_signature(&incoming, &key.secret) {
            Ok(v) => v,
            Err(e) => {
                ex.error_extra = extras(&e);
                let mut step = self
                    .timed(
                        auth,
                        now,
                        StepOutcome::Reject,
                        e.to_string(),
                        docs::QUERY_AUTH,
                    )
                    .compare("access key", access_key_id);
                if let AuthError::SignatureDoesNotMatch(m) = &e {
                    step = step
                        .compare("canonical request (S3)", m.canonical_request.clone())
                        .compare("string to sign (S3)", m.string_to_sign.clone())
                        .compare("signature provided", m.signature_provided.clone())
                        .compare("signature S3 computes", m.signature_expected.clone());
                }
                let step = step.compare("help", e.help().unwrap_or_default());
                refuse(ex, s3_error(&e), step);
                return Err(self.refused());
            }
        };
        let step = self
            .timed(
                auth,
                now,
                StepOutcome::Pass,
                format!(
                    "the URL is genuine and within its lifetime; S3 now authorizes the request as its signer, with the signer's permissions as they are now ({} ms after signing)",
                    freshness.signature_age_ms
                ),
                docs::QUERY_AUTH,
            )
            .compare("access key", access_key_id)
            .compare("canonical request (S3)", canonical.to_string())
            .compare("string to sign (S3)", string_to_sign.to_string())
            .compare("signature provided = signature S3 computes", auth.signature.clone())
            .compare("s3:authType", Authentication::PresignedUrl.auth_type())
            .compare("s3:signatureAge", freshness.signature_age_ms.to_string())
            .compare("aws:SecureTransport", self.https.to_string());
        ex.step(step);
        Ok(())
    }
}

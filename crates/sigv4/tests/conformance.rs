//! The official AWS SigV4 test suite (awslabs/aws-c-auth `tests/aws-signing-test-suite/v4`,
//! Apache-2.0), every case in both header and query modes: canonical request, string to sign,
//! signature and signed request. A copy of the suite lives in `tests/fixtures/aws-signing-test-suite`
//! with its licence (`LICENSE`, `NOTICE`) and the commit it was taken from (`SOURCE.txt`).

#![expect(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers outside #[test] functions fail loudly on a broken suite"
)]

use std::fs;
use std::path::{Path, PathBuf};

use s3pg_sigv4::{
    AmzDateTime, Credentials, HttpRequest, PayloadRule, SignatureLocation, SigningParams,
    UriPathRules, sign_request,
};

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/aws-signing-test-suite/v4")
}

fn read(dir: &Path, name: &str) -> String {
    fs::read_to_string(dir.join(name))
        .unwrap_or_else(|e| panic!("{}: {e}", dir.join(name).display()))
}

struct Context {
    access_key: String,
    secret: String,
    token: Option<String>,
    region: String,
    service: String,
    time: AmzDateTime,
    expires: u64,
    normalize: bool,
    sign_body: bool,
    omit_session_token: bool,
}

fn context(dir: &Path) -> Context {
    let v: serde_json::Value = serde_json::from_str(&read(dir, "context.json")).unwrap();
    let creds = &v["credentials"];
    Context {
        access_key: creds["access_key_id"].as_str().unwrap().to_owned(),
        secret: creds["secret_access_key"].as_str().unwrap().to_owned(),
        token: creds["token"].as_str().map(str::to_owned),
        region: v["region"].as_str().unwrap().to_owned(),
        service: v["service"].as_str().unwrap().to_owned(),
        time: AmzDateTime::parse(v["timestamp"].as_str().unwrap()).unwrap(),
        expires: v["expiration_in_seconds"].as_u64().unwrap(),
        normalize: v["normalize"].as_bool().unwrap(),
        sign_body: v["sign_body"].as_bool().unwrap(),
        omit_session_token: v["omit_session_token"].as_bool().unwrap_or(false),
    }
}

fn run_case(dir: &Path, mode: &str) -> Result<(), String> {
    let ctx = context(dir);
    let request = HttpRequest::parse(&read(dir, "request.txt")).map_err(|e| e.to_string())?;
    let mut credentials = Credentials::new(&ctx.access_key, &ctx.secret);
    if let Some(token) = &ctx.token {
        credentials = credentials.with_session_token(token);
    }
    let location = if mode == "header" {
        SignatureLocation::Headers
    } else {
        SignatureLocation::Query {
            expires_in: ctx.expires,
        }
    };
    let params = SigningParams {
        credentials: &credentials,
        region: &ctx.region,
        service: &ctx.service,
        time: ctx.time,
        uri_path: UriPathRules {
            normalize: ctx.normalize,
            double_encode: true,
        },
        payload: PayloadRule::Sha256,
        add_content_sha256_header: ctx.sign_body,
        omit_session_token_from_signature: ctx.omit_session_token,
        location,
    };
    let signed = sign_request(&request, &params);
    let checks = [
        ("canonical-request", signed.canonical_request.to_string()),
        ("string-to-sign", signed.string_to_sign.to_string()),
        ("signature", signed.signature.to_string()),
        ("signed-request", signed.request.to_text()),
    ];
    for (stage, actual) in checks {
        let expected = read(dir, &format!("{mode}-{stage}.txt"));
        if actual != expected {
            return Err(format!(
                "{mode}-{stage}:\n--- expected\n{expected}\n--- actual\n{actual}"
            ));
        }
    }
    Ok(())
}

#[test]
fn aws_sigv4_suite_header_and_query_modes() {
    let root = suite_dir();
    let mut cases: Vec<PathBuf> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("context.json").is_file())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 38,
        "expected the 38 suite cases, found {}",
        cases.len()
    );
    let mut failures = Vec::new();
    let mut passed = 0;
    for case in &cases {
        for mode in ["header", "query"] {
            match run_case(case, mode) {
                Ok(()) => passed += 1,
                Err(e) => failures.push(format!(
                    "{} [{mode}] {e}",
                    case.file_name().unwrap().to_string_lossy()
                )),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} failed:\n{}",
        failures.len(),
        passed + failures.len(),
        failures.join("\n\n")
    );
}

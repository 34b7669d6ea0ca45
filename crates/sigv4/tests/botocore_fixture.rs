//! A frozen sample of botocore's presigned URLs (`tests/presign/compare.py --emit-fixture`), so
//! `cargo test` checks the presigner against the SDK without Python, and checks that S3-style
//! verification accepts every URL the SDK makes, for the right method only.

#![expect(clippy::unwrap_used, reason = "test helpers outside #[test] functions")]

use s3pg_sigv4::{
    AddressingStyle, AmzDateTime, AuthError, Credentials, IncomingRequest, PresignInput, presign,
    split_url, verify_presigned,
};
use serde_json::Value;

fn cases() -> Vec<Value> {
    let text = include_str!("fixtures/botocore_urls.json");
    let fixture: Value = serde_json::from_str(text).unwrap();
    fixture
        .get("cases")
        .and_then(Value::as_array)
        .unwrap()
        .clone()
}

fn s(case: &Value, name: &str) -> String {
    case.get(name).and_then(Value::as_str).unwrap().to_owned()
}

#[test]
fn presigner_reproduces_botocore_urls_and_verifier_accepts_them() {
    let cases = cases();
    assert!(cases.len() >= 50);
    for case in &cases {
        let mut credentials = Credentials::new(&s(case, "access_key"), &s(case, "secret_key"));
        if let Some(token) = case.get("token").and_then(Value::as_str) {
            credentials = credentials.with_session_token(token);
        }
        let time = AmzDateTime::parse_basic(&s(case, "time")).unwrap();
        let expires_in = case.get("expires").and_then(Value::as_u64).unwrap();
        let method = s(case, "method");
        let expected = s(case, "url");
        let url = presign(&PresignInput {
            method: &method,
            bucket: &s(case, "bucket"),
            key: &s(case, "key"),
            region: &s(case, "region"),
            expires_in,
            credentials: &credentials,
            time,
            addressing: AddressingStyle::parse(&s(case, "style")).unwrap(),
        })
        .unwrap();
        assert_eq!(url.url, expected);

        let parts = split_url(&expected).unwrap();
        let request = IncomingRequest {
            method: &method,
            host: &parts.host,
            path: &parts.path,
            query: &parts.query,
            headers: &[],
        };
        let secret = s(case, "secret_key");
        let verified = verify_presigned(&request, &secret, time, Some(&s(case, "region"))).unwrap();
        assert_eq!(verified.string_to_sign, url.string_to_sign);
        let other = if method == "GET" { "PUT" } else { "GET" };
        let wrong = IncomingRequest {
            method: other,
            ..request
        };
        assert!(matches!(
            verify_presigned(&wrong, &secret, time, None),
            Err(AuthError::SignatureDoesNotMatch(_))
        ));
    }
}

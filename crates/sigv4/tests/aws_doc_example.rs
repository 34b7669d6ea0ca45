//! Known-answer test: the presigned URL example of the S3 API reference, "Authenticating
//! Requests: Using Query Parameters (AWS Signature Version 4)"
//! (<https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html>):
//! GET examplebucket/test.txt, AKIAIOSFODNN7EXAMPLE, 20130524T000000Z, 86400 s, us-east-1.
//! Every stage is asserted against the page's published text.

#![expect(clippy::unwrap_used, reason = "test helper outside #[test] functions")]

use s3pg_sigv4::{
    AddressingStyle, AmzDateTime, CredentialScope, Credentials, IncomingRequest, PresignInput,
    SigningKey, presign, split_url, verify_presigned,
};

const ACCESS_KEY: &str = "AKIAIOSFODNN7EXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

fn example() -> s3pg_sigv4::PresignedUrl {
    let credentials = Credentials::new(ACCESS_KEY, SECRET);
    presign(&PresignInput {
        method: "GET",
        bucket: "examplebucket",
        key: "test.txt",
        region: "us-east-1",
        expires_in: 86400,
        credentials: &credentials,
        time: AmzDateTime::parse_basic("20130524T000000Z").unwrap(),
        addressing: AddressingStyle::Auto,
    })
    .unwrap()
}

#[test]
fn aws_doc_presign_example_canonical_request() {
    let expected = "GET\n\
/test.txt\n\
X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\n\
host:examplebucket.s3.amazonaws.com\n\
\n\
host\n\
UNSIGNED-PAYLOAD";
    let url = example();
    assert_eq!(url.canonical_request.to_string(), expected);
    assert_eq!(
        url.canonical_request.hash(),
        "3bfa292879f6447bbcda7001decf97f4a54dc650c8942174ae0a9121cf58ad04"
    );
}

#[test]
fn aws_doc_presign_example_string_to_sign() {
    let expected = "AWS4-HMAC-SHA256\n\
20130524T000000Z\n\
20130524/us-east-1/s3/aws4_request\n\
3bfa292879f6447bbcda7001decf97f4a54dc650c8942174ae0a9121cf58ad04";
    assert_eq!(example().string_to_sign.to_string(), expected);
}

#[test]
fn aws_doc_presign_example_signing_key_chain() {
    let scope = CredentialScope {
        date: "20130524".into(),
        region: "us-east-1".into(),
        service: "s3".into(),
    };
    let steps = SigningKey::derive_steps(SECRET, &scope);
    assert_eq!(steps.k_signing, example().signing_key);
    // Cross-checked with Python's hmac module (an independent HMAC-SHA256).
    assert_eq!(
        steps.k_signing.to_string(),
        "dbb893acc010964918f1fd433add87c70e8b0db6be30c1fbeafefa5ec6ba8378"
    );
    // Each link is the HMAC of the previous one, so the chain ends where the signature proves.
    assert_eq!(
        s3pg_sigv4::stages::hmac_sha256(&steps.k_service, b"aws4_request"),
        *steps.k_signing.as_bytes()
    );
    assert_eq!(scope.to_string(), "20130524/us-east-1/s3/aws4_request");
}

#[test]
fn aws_doc_presign_example_signature_and_url() {
    let url = example();
    assert_eq!(
        url.signature.to_string(),
        "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
    );
    assert_eq!(
        url.url,
        "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
    );
}

#[test]
fn aws_doc_presign_example_verifies_within_its_day() {
    let url = example();
    let parts = split_url(&url.url).unwrap();
    let request = IncomingRequest {
        method: "GET",
        host: &parts.host,
        path: &parts.path,
        query: &parts.query,
        headers: &[],
    };
    let now = AmzDateTime::parse("2013-05-24T12:00:00Z").unwrap();
    let verified = verify_presigned(&request, SECRET, now, Some("us-east-1")).unwrap();
    assert_eq!(verified.freshness.signature_age_ms, 12 * 3600 * 1000);
    assert_eq!(verified.string_to_sign, url.string_to_sign);
    assert_eq!(verified.auth.credential.access_key_id, ACCESS_KEY);
}

#[test]
fn aws_doc_presign_example_steps_for_the_learner() {
    let url = example();
    let steps = url.steps();
    let titles: Vec<&str> = steps.iter().map(|s| s.title).collect();
    assert_eq!(
        titles,
        [
            "canonical request",
            "hash of the canonical request",
            "string to sign",
            "date key",
            "region key",
            "service key",
            "signing key",
            "signature",
            "presigned URL"
        ]
    );
    assert_eq!(
        steps[1].value,
        "3bfa292879f6447bbcda7001decf97f4a54dc650c8942174ae0a9121cf58ad04"
    );
    assert_eq!(
        steps[6].value,
        "dbb893acc010964918f1fd433add87c70e8b0db6be30c1fbeafefa5ec6ba8378"
    );
    assert_eq!(
        steps[7].value,
        "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
    );
    assert_eq!(steps[3].formula, "kDate = HMAC(\"AWS4\" + secret, date)");
    assert_eq!(steps[8].value, url.url);
}

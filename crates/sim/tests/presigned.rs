//! Pre-signed URLs in the world: the trace shows each verification stage, the request context
//! carries `s3:authType` and `s3:signatureAge`, and any single-character change to a valid URL's
//! signature or signed parts is refused.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed lookup is a failed test"
)]

use proptest::prelude::*;
use s3pg_sigv4::encoding::percent_decode_lossy;
use s3pg_sigv4::request::parse_query;
use s3pg_sim::{Caller, Gate, Operation, Request, Timestamp, World};
use serde_json::json;

const KEY: &str = "AKIAALICE00000000001";
const T0: Timestamp = Timestamp(1_767_225_600); // 2026-01-01T00:00:00Z

fn world() -> World {
    let mut w: World = serde_json::from_value(json!({
        "accounts": { "111122223333": { "users": { "alice": {
            "policies": [{ "name": "read", "document": {
                "Version": "2012-10-17",
                "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject",
                                "Resource": "arn:aws:s3:::examplebucket/*" }]
            }}],
            "accessKeys": [{ "accessKeyId": KEY, "secretAccessKey": "alice-secret" }]
        }}}},
        "buckets": { "examplebucket": { "owner": "111122223333",
            "objects": { "report.pdf": { "versions": [{ "body": "numbers" }] } } } }
    }))
    .unwrap();
    w.normalize();
    w
}

fn use_url(world: &mut World, method: &str, url: &str, now: Timestamp) -> s3pg_sim::Outcome {
    let request = Request::new(
        Caller::Anonymous,
        Operation::PresignedRequest {
            method: method.to_owned(),
            url: url.to_owned(),
            presign: None,
            body: None,
        },
    );
    world.handle(&request, now)
}

#[test]
fn a_valid_url_is_authorized_as_its_signer_with_the_query_string_context() {
    let mut w = world();
    let url = w
        .presign(KEY, "GET", "examplebucket", "report.pdf", 3600, T0)
        .unwrap();
    let o = use_url(&mut w, "GET", &url.url, T0.plus(90));
    assert_eq!(o.status, 200, "{o:#?}");
    assert_eq!(o.operation, "GetObject");
    let auth = &o.trace[0];
    assert_eq!(auth.gate, Gate::Authentication);
    let compared = |name: &str| {
        auth.compared
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(compared("s3:signatureAge").as_deref(), Some("90000"));
    assert_eq!(
        compared("s3:authType").as_deref(),
        Some("REST-QUERY-STRING")
    );
    assert_eq!(
        compared("expires at (X-Amz-Date + X-Amz-Expires)").as_deref(),
        Some("2026-01-01T01:00:00Z")
    );
    assert!(
        compared("canonical request (S3)")
            .unwrap()
            .starts_with("GET\n/report.pdf\n")
    );
    assert!(
        compared("string to sign (S3)")
            .unwrap()
            .starts_with("AWS4-HMAC-SHA256\n20260101T000000Z\n")
    );
    // The context keys reach the policy engine.
    let required = o
        .trace
        .iter()
        .find(|s| s.gate == Gate::RequiredPermissions)
        .unwrap();
    let text = format!("{:?}", required.compared);
    assert!(
        text.contains("s3:signatureAge") && text.contains("90000"),
        "{text}"
    );
    assert!(text.contains("REST-QUERY-STRING"), "{text}");
}

#[test]
fn failures_carry_s3_codes_and_extra_elements() {
    let mut w = world();
    let url = w
        .presign(KEY, "GET", "examplebucket", "report.pdf", 60, T0)
        .unwrap();
    let o = use_url(&mut w, "GET", &url.url, T0.plus(61));
    let e = o.error.unwrap();
    assert_eq!(
        (o.status, e.code.as_str(), e.message.as_str()),
        (403, "AccessDenied", "Request has expired")
    );
    assert_eq!(
        e.extra,
        vec![
            ("X-Amz-Expires".to_owned(), "60".to_owned()),
            ("Expires".to_owned(), "2026-01-01T00:01:00Z".to_owned()),
            ("ServerTime".to_owned(), "2026-01-01T00:01:01Z".to_owned()),
        ]
    );
    assert_eq!(o.deciding.unwrap().gate, Gate::Authentication);

    let o = use_url(&mut w, "DELETE", &url.url, T0);
    let e = o.error.unwrap();
    assert_eq!(e.code, "SignatureDoesNotMatch");
    let names: Vec<&str> = e.extra.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "AWSAccessKeyId",
            "StringToSign",
            "SignatureProvided",
            "StringToSignBytes",
            "CanonicalRequest",
            "CanonicalRequestBytes"
        ]
    );
    assert!(
        w.buckets["examplebucket"]
            .objects
            .contains_key("report.pdf")
    );

    assert_eq!(
        w.presign("AKIANOBODY", "GET", "examplebucket", "k", 60, T0)
            .unwrap_err()
            .to_string(),
        "no user, root user or role session has access key `AKIANOBODY`"
    );
}

/// The path and decoded query of a URL, with the signature lower-cased (S3 compares hex
/// case-insensitively): two URLs that agree here are the same signed request.
fn signed_parts(url: &str) -> Option<(String, Vec<(String, String)>)> {
    let parts = s3pg_sigv4::split_url(url)?;
    let mut query = parse_query(&parts.query);
    for (n, v) in &mut query {
        if n == "X-Amz-Signature" {
            *v = v.to_ascii_lowercase();
        }
    }
    Some((percent_decode_lossy(&parts.path), query))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn any_single_character_change_to_the_signed_request_is_refused(
        position in 0usize..400,
        replacement in proptest::sample::select(
            "0123456789abcdefABCDEFxyzXYZ%-._~/&=?".chars().collect::<Vec<_>>()
        ),
    ) {
        let mut w = world();
        let url = w.presign(KEY, "GET", "examplebucket", "report.pdf", 3600, T0).unwrap().url;
        let host_end = url.find(".com/").unwrap() + 4;
        let tail = url.len() - host_end;
        let at = host_end + position % tail;
        let original = url[at..].chars().next().unwrap();
        prop_assume!(original != replacement);
        let mut mutated = url.clone();
        mutated.replace_range(at..at + original.len_utf8(), &replacement.to_string());
        prop_assume!(signed_parts(&mutated) != signed_parts(&url));
        let o = use_url(&mut w, "GET", &mutated, T0.plus(10));
        prop_assert_ne!(o.status, 200, "{} was accepted", mutated);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_url_and_method_get_an_answer_never_a_panic(
        url in prop_oneof![
            ".{0,80}",
            "https://[a-z.]{1,12}\\.s3(\\.[a-z0-9-]{0,12})?\\.amazonaws\\.com(:[0-9]{1,5})?/[^?#]{0,20}(\\?[A-Za-z0-9%=&_.~-]{0,120})?",
            "https?://s3\\.amazonaws\\.com/[a-z]{0,8}(/[^?]{0,10})?\\?X-Amz-[A-Za-z]{0,10}=[^&]{0,20}&X-Amz-Expires=-?[0-9]{0,8}",
        ],
        method in "[A-Za-z]{0,7}",
    ) {
        let mut w = world();
        let o = use_url(&mut w, &method, &url, T0);
        prop_assert!(o.status >= 200);
    }
}

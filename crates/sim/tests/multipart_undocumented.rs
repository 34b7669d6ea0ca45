//! Where AWS leaves a multipart behaviour unsaid, the trace says so: an `upload-id-marker`
//! (one key's uploads are listed by initiation time, the marker is compared by id), a page size
//! of 0 (the documented range is 1 to 1,000) and the midnight rounding of a lifecycle abort
//! (documented for objects, not for uploads).
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html>,
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListParts.html> and
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpu-abort-incomplete-mpu-lifecycle-config.html>.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed lookup is a failed test"
)]

use s3pg_sim::{Caller, Operation, Outcome, Request, Timestamp, World};
use serde_json::json;

const T0: Timestamp = Timestamp(1_767_225_600); // 2026-01-01T00:00:00Z
const DAY: u64 = 86_400;

fn world() -> World {
    let mut w: World = serde_json::from_value(json!({
        "accounts": { "111122223333": { "users": { "alice": {
            "policies": [{ "name": "rw", "document": {
                "Version": "2012-10-17",
                "Statement": [{ "Effect": "Allow", "Action": "s3:*", "Resource": "*" }]
            }}]
        }}}},
        "buckets": { "uploads": {
            "owner": "111122223333",
            "lifecycle": { "Rules": [{
                "ID": "abort-stale",
                "Status": "Enabled",
                "Filter": { "Prefix": "big/" },
                "AbortIncompleteMultipartUpload": { "DaysAfterInitiation": 2 }
            }]}
        }}
    }))
    .unwrap();
    w.normalize();
    w
}

fn send(w: &mut World, op: serde_json::Value, at: Timestamp) -> Outcome {
    let req = Request::new(
        Caller::User {
            name: "alice".into(),
            account: Some("111122223333".into()),
        },
        serde_json::from_value::<Operation>(op).unwrap(),
    );
    let o = w.handle(&req, at);
    assert_eq!(o.status, 200, "{o:#?}");
    o
}

fn create(w: &mut World, key: &str, at: Timestamp) -> (String, Outcome) {
    let o = send(
        w,
        json!({ "CreateMultipartUpload": { "bucket": "uploads", "key": key } }),
        at,
    );
    let id = o.body.as_ref().unwrap()["UploadId"]
        .as_str()
        .unwrap()
        .to_owned();
    (id, o)
}

/// The undocumented notes of the trace steps whose explanation contains `needle`.
fn notes(o: &Outcome, needle: &str) -> Vec<String> {
    o.trace
        .iter()
        .filter(|s| s.explanation.contains(needle))
        .filter_map(|s| s.undocumented.clone())
        .collect()
}

#[test]
fn an_upload_id_marker_is_marked_undocumented_and_pages_by_listing_order() {
    let mut w = world();
    let (first, _) = create(&mut w, "small/a.bin", T0);
    let (second, _) = create(&mut w, "small/a.bin", Timestamp(T0.0 + 60));
    let (third, _) = create(&mut w, "small/a.bin", Timestamp(T0.0 + 120));
    let o = send(
        &mut w,
        json!({ "ListMultipartUploads": { "bucket": "uploads", "keyMarker": "small/a.bin",
                                          "uploadIdMarker": first } }),
        Timestamp(T0.0 + 180),
    );
    let listed: Vec<&str> = o.body.as_ref().unwrap()["Uploads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["UploadId"].as_str().unwrap())
        .collect();
    assert_eq!(listed, [second.as_str(), third.as_str()]);
    let n = notes(&o, "upload-id-marker");
    assert_eq!(n.len(), 1, "{:#?}", o.trace);
    assert!(n[0].contains("lexicographically"), "{n:?}");
}

#[test]
fn a_page_size_of_zero_is_marked_undocumented() {
    let mut w = world();
    let (id, _) = create(&mut w, "small/a.bin", T0);
    let o = send(
        &mut w,
        json!({ "ListMultipartUploads": { "bucket": "uploads", "maxUploads": 0 } }),
        T0,
    );
    assert_eq!(o.body.as_ref().unwrap()["Uploads"], json!([]));
    assert_eq!(notes(&o, "max-uploads=0").len(), 1, "{:#?}", o.trace);
    let o = send(
        &mut w,
        json!({ "ListParts": { "bucket": "uploads", "key": "small/a.bin", "uploadId": id,
                               "maxParts": 0 } }),
        T0,
    );
    assert_eq!(notes(&o, "max-parts=0").len(), 1, "{:#?}", o.trace);
    // Above 1,000 the cap is documented: a step, no note.
    let o = send(
        &mut w,
        json!({ "ListMultipartUploads": { "bucket": "uploads", "maxUploads": 5000 } }),
        T0,
    );
    assert_eq!(o.body.as_ref().unwrap()["MaxUploads"], json!(1000));
    assert!(
        o.trace
            .iter()
            .any(|s| s.explanation.contains("max-uploads=5000") && s.undocumented.is_none()),
        "{:#?}",
        o.trace
    );
}

#[test]
fn the_midnight_rounding_of_a_lifecycle_abort_is_marked_undocumented() {
    let mut w = world();
    let (_, o) = create(&mut w, "big/video.mp4", Timestamp(T0.0 + 9 * 3600));
    assert_eq!(
        o.headers.get("x-amz-abort-date").map(String::as_str),
        Some("Sun, 04 Jan 2026 00:00:00 GMT")
    );
    assert_eq!(
        notes(&o, "will abort this upload").len(),
        1,
        "{:#?}",
        o.trace
    );
    let o = send(
        &mut w,
        json!({ "ListMultipartUploads": { "bucket": "uploads" } }),
        Timestamp(T0.0 + 3 * DAY + 60),
    );
    assert_eq!(o.body.as_ref().unwrap()["Uploads"], json!([]));
    let n = notes(&o, "aborted the incomplete multipart upload");
    assert_eq!(n.len(), 1, "{:#?}", o.trace);
    assert!(n[0].contains("DaysAfterInitiation"), "{n:?}");
}

#[test]
fn the_abort_rule_id_of_a_rule_without_id_is_marked_undocumented() {
    let mut w = world();
    w.buckets
        .get_mut("uploads")
        .unwrap()
        .lifecycle
        .as_mut()
        .unwrap()
        .rules[0]
        .id = None;
    let (_, o) = create(&mut w, "big/video.mp4", T0);
    assert_eq!(
        o.headers.get("x-amz-abort-rule-id").map(String::as_str),
        Some("#1")
    );
    let n = notes(&o, "will abort this upload");
    assert_eq!(n.len(), 1, "{:#?}", o.trace);
    assert!(n[0].contains("no `ID`"), "{n:?}");
    // A rule with an ID: only the rounding is noted.
    let mut w = world();
    let (_, o) = create(&mut w, "big/video.mp4", T0);
    let n = notes(&o, "will abort this upload");
    assert!(!n[0].contains("no `ID`"), "{n:?}");
}

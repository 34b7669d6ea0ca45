//! The multipart upload commands of `aws s3api`, driven as a learner types them: create, upload
//! parts, list, complete (and abort), with the CLI's JSON and exit codes.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers outside #[test] functions"
)]

use s3pg_awscli::Console;
use s3pg_sim::{Timestamp, World};

fn now() -> Timestamp {
    Timestamp::parse("2026-01-01T00:00:00Z").unwrap()
}

fn world() -> World {
    let mut w: World =
        serde_json::from_str(include_str!("fixtures_world.json")).expect("fixture world");
    w.normalize();
    w
}

fn console() -> Console {
    let mut c = Console::new();
    c.add_file("part1.bin", "first part");
    c.add_file("part2.bin", "second");
    c
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).expect("the CLI prints JSON")
}

#[test]
fn a_multipart_upload_from_the_cli_create_part_list_complete() {
    let mut w = world();
    let mut c = console();
    let create = c.run(
        &mut w,
        "aws s3api create-multipart-upload --bucket demo --key big.bin --server-side-encryption AES256",
        now(),
    );
    assert_eq!(create.exit_code, 0, "{}", create.stderr);
    let out = json(&create.stdout);
    assert_eq!(out["Bucket"], "demo");
    assert_eq!(out["Key"], "big.bin");
    assert_eq!(out["ServerSideEncryption"], "AES256");
    let id = out["UploadId"].as_str().unwrap().to_owned();

    let part = c.run(
        &mut w,
        &format!(
            "aws s3api upload-part --bucket demo --key big.bin --upload-id {id} --part-number 1 --body part1.bin"
        ),
        now(),
    );
    assert_eq!(part.exit_code, 0, "{}", part.stderr);
    let etag = json(&part.stdout)["ETag"].as_str().unwrap().to_owned();
    assert_eq!(
        etag,
        format!("\"{}\"", s3pg_crypto::checksum::md5_hex(b"first part"))
    );

    let uploads = c.run(
        &mut w,
        "aws s3api list-multipart-uploads --bucket demo",
        now(),
    );
    assert_eq!(uploads.exit_code, 0, "{}", uploads.stderr);
    assert_eq!(json(&uploads.stdout)["Uploads"][0]["UploadId"], id.as_str());

    let parts = c.run(
        &mut w,
        &format!("aws s3api list-parts --bucket demo --key big.bin --upload-id {id}"),
        now(),
    );
    assert_eq!(parts.exit_code, 0, "{}", parts.stderr);
    assert_eq!(json(&parts.stdout)["Parts"][0]["Size"], 10);

    let done = c.run(
        &mut w,
        &format!(
            "aws s3api complete-multipart-upload --bucket demo --key big.bin --upload-id {id} --multipart-upload '{{\"Parts\":[{{\"ETag\":{etag:?},\"PartNumber\":1}}]}}'"
        ),
        now(),
    );
    assert_eq!(done.exit_code, 0, "{}", done.stderr);
    let out = json(&done.stdout);
    assert!(out["ETag"].as_str().unwrap().ends_with("-1\""), "{out}");
    assert_eq!(out["Key"], "big.bin");

    let get = c.run(
        &mut w,
        "aws s3api get-object --bucket demo --key big.bin out.bin",
        now(),
    );
    assert_eq!(get.exit_code, 0, "{}", get.stderr);
}

#[test]
fn an_aborted_upload_is_gone_and_errors_print_as_the_cli_does() {
    let mut w = world();
    let mut c = console();
    let create = c.run(
        &mut w,
        "aws s3api create-multipart-upload --bucket demo --key k",
        now(),
    );
    let id = json(&create.stdout)["UploadId"]
        .as_str()
        .unwrap()
        .to_owned();
    let abort = c.run(
        &mut w,
        &format!("aws s3api abort-multipart-upload --bucket demo --key k --upload-id {id}"),
        now(),
    );
    assert_eq!(abort.exit_code, 0, "{}", abort.stderr);
    assert_eq!(abort.stdout, "");
    let late = c.run(
        &mut w,
        &format!(
            "aws s3api upload-part --bucket demo --key k --upload-id {id} --part-number 1 --body part2.bin"
        ),
        now(),
    );
    assert_eq!(late.exit_code, 254);
    assert!(
        late.stderr
            .contains("An error occurred (NoSuchUpload) when calling the UploadPart operation"),
        "{}",
        late.stderr
    );
    let bad = c.run(
        &mut w,
        "aws s3api upload-part --bucket demo --key k --upload-id x --part-number one",
        now(),
    );
    assert_eq!(bad.exit_code, 252, "{}", bad.stderr);
}

#[test]
fn upload_part_copy_sends_the_copy_source_range_header() {
    let mut w = world();
    let mut c = console();
    c.run(
        &mut w,
        "aws s3api put-object --bucket demo --key src.txt --body part1.bin",
        now(),
    );
    let create = c.run(
        &mut w,
        "aws s3api create-multipart-upload --bucket demo --key dst",
        now(),
    );
    let id = json(&create.stdout)["UploadId"]
        .as_str()
        .unwrap()
        .to_owned();
    let copy = c.run(
        &mut w,
        &format!(
            "aws s3api upload-part-copy --bucket demo --key dst --upload-id {id} --part-number 1 --copy-source demo/src.txt --copy-source-range bytes=0-4"
        ),
        now(),
    );
    assert_eq!(copy.exit_code, 0, "{}", copy.stderr);
    assert_eq!(
        copy.requests[0].header_value("x-amz-copy-source-range"),
        Some("bytes=0-4")
    );
    assert_eq!(
        json(&copy.stdout)["CopyPartResult"]["ETag"],
        format!("\"{}\"", s3pg_crypto::checksum::md5_hex(b"first"))
    );
}

#[test]
fn the_listing_options_page_by_hand_with_the_markers_of_the_last_page() {
    let mut w = world();
    let mut c = console();
    let mut ids = Vec::new();
    for (i, key) in ["a.bin", "b.bin", "c.bin"].iter().enumerate() {
        let at = Timestamp::parse(&format!("2026-01-01T00:00:0{i}Z")).unwrap();
        let out = c.run(
            &mut w,
            &format!("aws s3api create-multipart-upload --bucket demo --key {key}"),
            at,
        );
        assert_eq!(out.exit_code, 0, "{}", out.stderr);
        ids.push(json(&out.stdout)["UploadId"].as_str().unwrap().to_owned());
    }
    let first = c.run(
        &mut w,
        "aws s3api list-multipart-uploads --bucket demo --max-uploads 2",
        now(),
    );
    assert_eq!(first.exit_code, 0, "{}", first.stderr);
    let page = json(&first.stdout);
    assert_eq!(page["IsTruncated"], true);
    assert_eq!(page["Uploads"].as_array().unwrap().len(), 2);
    assert_eq!(page["NextKeyMarker"], "b.bin");
    let next = c.run(
        &mut w,
        &format!(
            "aws s3api list-multipart-uploads --bucket demo --key-marker b.bin --upload-id-marker {}",
            ids[1]
        ),
        now(),
    );
    let page = json(&next.stdout);
    assert_eq!(page["IsTruncated"], false);
    assert_eq!(page["Uploads"][0]["Key"], "c.bin");

    for n in 1..=3 {
        let part = c.run(
            &mut w,
            &format!(
                "aws s3api upload-part --bucket demo --key a.bin --upload-id {} --part-number {n} --body part1.bin",
                ids[0]
            ),
            now(),
        );
        assert_eq!(part.exit_code, 0, "{}", part.stderr);
    }
    let parts = c.run(
        &mut w,
        &format!(
            "aws s3api list-parts --bucket demo --key a.bin --upload-id {} --max-parts 2 --part-number-marker 1",
            ids[0]
        ),
        now(),
    );
    assert_eq!(parts.exit_code, 0, "{}", parts.stderr);
    let page = json(&parts.stdout);
    assert_eq!(page["Parts"].as_array().unwrap().len(), 2);
    assert_eq!(page["Parts"][0]["PartNumber"], 2);
    assert_eq!(page["IsTruncated"], false);

    let bad = c.run(
        &mut w,
        &format!(
            "aws s3api list-parts --bucket demo --key a.bin --upload-id {} --max-parts -1",
            ids[0]
        ),
        now(),
    );
    assert_ne!(bad.exit_code, 0);
}

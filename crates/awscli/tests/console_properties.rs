//! Properties of the console: no command line makes it panic, every request sent is paired with
//! its outcome, exit statuses stay within the AWS CLI's set, and a command that fails before
//! reaching S3 leaves the world untouched.

use proptest::prelude::*;
use s3pg_awscli::Console;
use s3pg_sim::{Timestamp, World};

fn world() -> World {
    let mut w: World =
        serde_json::from_str(include_str!("fixtures_world.json")).unwrap_or_default();
    w.normalize();
    w
}

const WORDS: [&str; 48] = [
    "s3",
    "s3api",
    "sts",
    "kms",
    "glacier",
    "configure",
    "set",
    "ls",
    "cp",
    "rm",
    "mb",
    "rb",
    "presign",
    "put-object",
    "get-object",
    "head-object",
    "delete-object",
    "list-objects-v2",
    "list-object-versions",
    "put-bucket-policy",
    "put-bucket-versioning",
    "get-caller-identity",
    "--bucket",
    "demo",
    "nope",
    "--key",
    "hello.txt",
    "s3://demo/hello.txt",
    "s3://demo",
    "--recursive",
    "--force",
    "--body",
    "--profile",
    "alice",
    "bob",
    "root",
    "--version-id",
    "null",
    "--mfa",
    "--versioning-configuration",
    "Status=Enabled,MFADelete=Enabled",
    "--policy",
    "file://p.json",
    "--query",
    "Contents[].Key",
    "--output",
    "text",
    ".",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_word_salad_is_answered(words in prop::collection::vec(prop::sample::select(WORDS.to_vec()), 0..9)) {
        let mut w = world();
        let mut c = Console::new();
        c.add_file("p.json", "{}");
        c.add_file("hello.txt", "hi");
        let before = w.clone();
        let line = format!("aws {}", words.join(" "));
        let r = c.run(&mut w, &line, Timestamp(1_767_225_600));
        prop_assert!([0u8, 1, 252, 253, 254, 255].contains(&r.exit_code), "{line}: {}", r.exit_code);
        prop_assert_eq!(r.requests.len(), r.outcomes.len());
        if r.outcomes.is_empty() {
            // Nothing reached S3, so nothing in the world changed.
            prop_assert_eq!(&w, &before);
        }
        if r.exit_code == 0 {
            prop_assert!(!r.not_simulated);
        } else {
            prop_assert!(!r.stderr.is_empty() || r.exit_code == 1, "{line}");
        }
    }

    #[test]
    fn any_text_is_answered(line in "\\PC{0,60}") {
        let mut w = world();
        let mut c = Console::new();
        let r = c.run(&mut w, &format!("aws {line}"), Timestamp(1_767_225_600));
        prop_assert_eq!(r.requests.len(), r.outcomes.len());
    }
}

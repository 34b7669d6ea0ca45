//! `curl` in the console: a URL printed by `aws s3 presign` (or minted by the world for other
//! methods) used from the same terminal → exactly what curl prints and the exit status it sets.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers outside #[test] functions"
)]

use s3pg_awscli::Console;
use s3pg_sim::{Timestamp, World};

const ALICE_KEY: &str = "AKIAIOSFODNN7EXAMPLE";

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
    c.add_file("hello.txt", "hi there\n");
    c
}

/// Replaces the opaque request and host ids, which the table does not pin.
fn normalise(text: &str) -> String {
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        if line.starts_with("x-amz-request-id: ") {
            out.push_str("x-amz-request-id: RID\n");
        } else {
            out.push_str(line);
        }
    }
    if let (Some(a), Some(b)) = (out.find("<RequestId>"), out.find("</HostId>")) {
        out.replace_range(
            a..b + "</HostId>".len(),
            "<RequestId>RID</RequestId><HostId>HID</HostId>",
        );
    }
    out
}

/// Which URL a row uses: `{get}` (alice's `aws s3 presign`), `{put}` (a PUT URL for `new.txt`
/// minted by the world), `{auditor}` (a role session's), `{carol}` (signed with carol's
/// Inactive key), `{list}` (bucket level).
fn urls(c: &mut Console, w: &mut World) -> Vec<(&'static str, String)> {
    let get = c
        .run(
            w,
            "aws s3 presign s3://demo/hello.txt --expires-in 600 --profile alice",
            now(),
        )
        .stdout
        .trim()
        .to_owned();
    let carol = c
        .run(
            w,
            "aws s3 presign s3://demo/hello.txt --profile carol",
            now(),
        )
        .stdout
        .trim()
        .to_owned();
    let auditor = c
        .run(
            w,
            "aws s3 presign s3://demo/hello.txt --profile Auditor-audit",
            now(),
        )
        .stdout
        .trim()
        .to_owned();
    let put = w
        .presign(ALICE_KEY, "PUT", "demo", "new.txt", 600, now())
        .unwrap()
        .url;
    let list = w
        .presign(ALICE_KEY, "GET", "demo", "", 600, now())
        .unwrap()
        .url;
    vec![
        ("{get}", get),
        ("{carol}", carol),
        ("{auditor}", auditor),
        ("{put}", put),
        ("{list}", list),
    ]
}

const XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

struct Row {
    line: &'static str,
    after_seconds: u64,
    stdout: String,
    stderr: &'static str,
    code: u8,
    requests: usize,
}

fn row(
    line: &'static str,
    after_seconds: u64,
    stdout: &str,
    stderr: &'static str,
    code: u8,
    requests: usize,
) -> Row {
    Row {
        line,
        after_seconds,
        stdout: stdout.to_owned(),
        stderr,
        code,
        requests,
    }
}

fn rows() -> Vec<Row> {
    let error = |inner: &str| {
        format!("{XML}<Error>{inner}<RequestId>RID</RequestId><HostId>HID</HostId></Error>")
    };
    vec![
        row("curl '{get}'", 60, "hello world\n", "", 0, 1),
        row("curl -s '{get}'", 600, "hello world\n", "", 0, 1),
        row(
            "curl '{get}'",
            601,
            &error(
                "<Code>AccessDenied</Code><Message>Request has expired</Message><X-Amz-Expires>600</X-Amz-Expires><Expires>2026-01-01T00:10:00Z</Expires><ServerTime>2026-01-01T00:10:01Z</ServerTime>",
            ),
            "",
            0,
            1,
        ),
        // A GET URL is not a HEAD URL: the method is signed.
        row(
            "curl -I '{get}'",
            60,
            "HTTP/1.1 403 Forbidden\nx-amz-request-id: RID\nServer: AmazonS3\n\n",
            "",
            0,
            1,
        ),
        row(
            "curl -i '{get}'",
            60,
            "HTTP/1.1 200 OK\nx-amz-request-id: RID\ncontent-length: 12\nlast-modified: 2025-12-24T10:00:00Z\nx-amz-server-side-encryption: AES256\nServer: AmazonS3\n\nhello world\n",
            "",
            0,
            1,
        ),
        row(
            "curl -X PUT --upload-file hello.txt '{put}'",
            60,
            "",
            "",
            0,
            1,
        ),
        row(
            "curl -T hello.txt '{put}'",
            601,
            &error(
                "<Code>AccessDenied</Code><Message>Request has expired</Message><X-Amz-Expires>600</X-Amz-Expires><Expires>2026-01-01T00:10:00Z</Expires><ServerTime>2026-01-01T00:10:01Z</ServerTime>",
            ),
            "",
            0,
            1,
        ),
        row(
            "curl '{carol}'",
            60,
            &error(
                "<Code>InvalidAccessKeyId</Code><Message>The AWS Access Key Id you provided does not exist in our records.</Message><AWSAccessKeyId>AKIACAROL00000000001</AWSAccessKeyId>",
            ),
            "",
            0,
            1,
        ),
        // A role session's URL carries X-Amz-Security-Token and works while the session lasts.
        row("curl '{auditor}'", 60, "hello world\n", "", 0, 1),
        // An unsigned URL is an anonymous request.
        row(
            "curl https://demo.s3.amazonaws.com/hello.txt",
            60,
            &error("<Code>AccessDenied</Code><Message>Access Denied</Message>"),
            "",
            0,
            1,
        ),
        // Sending an x-amz-* header the URL did not sign.
        row(
            "curl -H 'x-amz-acl: public-read' '{get}'",
            60,
            &error(
                "<Code>AccessDenied</Code><Message>There were headers present in the request which were not signed</Message><HeadersNotSigned>x-amz-acl</HeadersNotSigned>",
            ),
            "",
            0,
            1,
        ),
        row(
            "curl",
            0,
            "",
            "curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information\n",
            2,
            0,
        ),
        row(
            "curl --frobnicate '{get}'",
            0,
            "",
            "curl: option --frobnicate: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n",
            2,
            0,
        ),
        row(
            "curl https://example.com/report.pdf",
            0,
            "",
            "curl: (6) Could not resolve host: example.com\n",
            6,
            0,
        ),
        row(
            "curl -T missing.bin '{put}'",
            0,
            "",
            "curl: Can't open 'missing.bin'!\ncurl: (26) Failed to open/read local data from file/application\n",
            26,
            0,
        ),
    ]
}

#[test]
fn curl_prints_what_curl_prints() {
    let mut failures = Vec::new();
    for r in rows() {
        let mut w = world();
        let mut c = console();
        let mut line = r.line.to_owned();
        for (name, url) in urls(&mut c, &mut w) {
            line = line.replace(name, &url);
        }
        let out = c.run(&mut w, &line, now().plus(r.after_seconds));
        let got = (
            normalise(&out.stdout),
            out.stderr.clone(),
            out.exit_code,
            out.requests.len(),
        );
        let want = (r.stdout.clone(), r.stderr.to_owned(), r.code, r.requests);
        if got != want {
            failures.push(format!("{}\n  got:  {got:?}\n  want: {want:?}", r.line));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_learner_presigns_then_uses_the_url_in_the_same_console() {
    let mut w = world();
    let mut c = console();
    let put = w
        .presign(ALICE_KEY, "PUT", "demo", "new.txt", 600, now())
        .unwrap()
        .url;
    let r = c.run(&mut w, &format!("curl -T hello.txt '{put}'"), now());
    assert_eq!((r.exit_code, r.stdout.as_str()), (0, ""));
    assert_eq!(r.outcomes[0].operation, "PutObject");
    // S3 encrypts at rest: the world keeps the ciphertext (9 bytes of it), never the plaintext.
    let stored = w.buckets["demo"].objects["new.txt"].current().unwrap();
    assert_eq!((stored.body.as_str(), stored.size()), ("", 9));
    // The uploaded object, read back through alice's GET URL, saved with -o.
    let get = c
        .run(
            &mut w,
            "aws s3 presign s3://demo/new.txt --profile alice",
            now(),
        )
        .stdout
        .trim()
        .to_owned();
    let r = c.run(
        &mut w,
        &format!("curl -o copy.txt \"{get}\""),
        now().plus(5),
    );
    assert_eq!((r.exit_code, r.stdout.as_str()), (0, ""));
    assert_eq!(c.file("copy.txt"), Some(&b"hi there\n"[..]));
    // A bucket-level URL lists as S3's XML.
    let list = w
        .presign(ALICE_KEY, "GET", "demo", "", 600, now())
        .unwrap()
        .url;
    let r = c.run(&mut w, &format!("curl '{list}'"), now());
    assert!(
        r.stdout.starts_with(&format!(
            "{XML}<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        )),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("<Contents><Key>new.txt</Key>"),
        "{}",
        r.stdout
    );
    // The trace of the use shows the verification as the Authentication step.
    let r = c.run(&mut w, &format!("curl '{get}'"), now().plus(7200));
    let auth = &r.outcomes[0].trace[0];
    assert_eq!(auth.gate, s3pg_sim::Gate::Authentication);
    assert!(
        auth.compared
            .iter()
            .any(|(n, v)| n == "server time (now)" && v == "2026-01-01T02:00:00Z")
    );
}

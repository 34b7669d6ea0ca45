//! Table of `aws` command lines run by the console against a small world → the exact stdout,
//! stderr and exit status the AWS CLI v2 would give, plus the requests each one sent.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers outside #[test] functions"
)]

use s3pg_awscli::Console;
use s3pg_sim::scenario::Scenario;
use s3pg_sim::{Timestamp, World};

const NOW: &str = "2026-01-01T00:00:00Z";
const ROOT_MFA: &str = "arn:aws:iam::111122223333:mfa/root-account-mfa-device";
const ROOT_SEED: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

fn now() -> Timestamp {
    Timestamp::parse(NOW).unwrap()
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
    c.add_file(
        "policy.json",
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"BobReads","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/bob"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::demo/*"}]}"#,
    );
    c.add_file("site/index.html", "<h1>hi</h1>");
    c.add_file("site/css/a.css", "b{}");
    c
}

fn good_code() -> String {
    s3pg_sim::mfa::current_code(ROOT_SEED, now().epoch_seconds()).expect("code")
}

fn bad_code() -> String {
    let good: u32 = good_code().parse().unwrap();
    format!("{:06}", (good + 1) % 1_000_000)
}

fn fill(text: &str) -> String {
    text.replace("{code}", &good_code())
        .replace("{bad}", &bad_code())
        .replace("{mfa}", ROOT_MFA)
}

struct Row {
    /// Lines run first (their output is not checked, only that they succeed).
    before: &'static [&'static str],
    line: &'static str,
    stdout: &'static str,
    stderr: &'static str,
    code: u8,
    /// How many requests the line must send.
    requests: usize,
}

const fn row(
    line: &'static str,
    stdout: &'static str,
    stderr: &'static str,
    code: u8,
    requests: usize,
) -> Row {
    Row {
        before: &[],
        line,
        stdout,
        stderr,
        code,
        requests,
    }
}

const fn after(
    before: &'static [&'static str],
    line: &'static str,
    stdout: &'static str,
    stderr: &'static str,
    code: u8,
    requests: usize,
) -> Row {
    Row {
        before,
        line,
        stdout,
        stderr,
        code,
        requests,
    }
}

const DENIED_PUT: &str = "\nAn error occurred (AccessDenied) when calling the PutObject operation: User: arn:aws:iam::111122223333:user/bob is not authorized to perform: s3:PutObject on resource: \"arn:aws:s3:::demo/k.txt\" because no identity-based policy allows the s3:PutObject action\n";

fn rows() -> Vec<Row> {
    vec![
        // ---- aws s3 ls ------------------------------------------------------------------
        row(
            "aws s3 ls --profile alice",
            "2025-12-01 08:30:00 demo\n",
            "",
            0,
            1,
        ),
        row(
            "aws s3 ls s3://demo --profile alice",
            "                           PRE docs/\n2025-12-24 10:00:00         12 hello.txt\n",
            "",
            0,
            1,
        ),
        row(
            "aws s3 ls s3://demo --recursive --summarize --profile alice",
            "2025-12-25 11:00:00          8 docs/guide.md\n2025-12-24 10:00:00         12 hello.txt\n\nTotal Objects: 2\n   Total Size: 20\n",
            "",
            0,
            1,
        ),
        row(
            "aws s3 ls s3://demo/hello --human-readable --profile alice",
            "2025-12-24 10:00:00   12 Bytes hello.txt\n",
            "",
            0,
            1,
        ),
        row(
            "aws s3 ls s3://demo/docs/ --profile alice",
            "2025-12-25 11:00:00          8 guide.md\n",
            "",
            0,
            1,
        ),
        row(
            "aws s3 ls s3://demo/nothing-here --profile alice",
            "",
            "",
            1,
            1,
        ),
        row(
            "aws s3 ls s3://demo --profile bob",
            "",
            "\nAn error occurred (AccessDenied) when calling the ListObjectsV2 operation: User: arn:aws:iam::111122223333:user/bob is not authorized to perform: s3:ListBucket on resource: \"arn:aws:s3:::demo\" because no identity-based policy allows the s3:ListBucket action\n",
            254,
            1,
        ),
        row(
            "aws s3 ls s3://nope --profile alice",
            "",
            "\nAn error occurred (NoSuchBucket) when calling the ListObjectsV2 operation: The specified bucket does not exist\n",
            254,
            1,
        ),
        // ---- aws s3 cp / rm / mb / rb -----------------------------------------------------
        row(
            "aws s3 cp hello.txt s3://demo/greeting.txt --profile alice",
            "upload: ./hello.txt to s3://demo/greeting.txt\n",
            "",
            0,
            1,
        ),
        row(
            "aws s3 cp ./hello.txt s3://demo/in/ --sse AES256 --profile alice",
            "upload: ./hello.txt to s3://demo/in/hello.txt\n",
            "",
            0,
            1,
        ),
        row(
            "aws s3 cp hello.txt s3://demo/x --profile bob",
            "",
            "upload failed: ./hello.txt to s3://demo/x An error occurred (AccessDenied) when calling the PutObject operation: User: arn:aws:iam::111122223333:user/bob is not authorized to perform: s3:PutObject on resource: \"arn:aws:s3:::demo/x\" because no identity-based policy allows the s3:PutObject action\n",
            1,
            1,
        ),
        row(
            "aws s3 cp missing.txt s3://demo/x --profile alice",
            "",
            "\nThe user-provided path missing.txt does not exist.\n",
            255,
            0,
        ),
        row(
            "aws s3 cp site s3://demo/web --recursive --profile alice",
            "upload: site/css/a.css to s3://demo/web/css/a.css\nupload: site/index.html to s3://demo/web/index.html\n",
            "",
            0,
            2,
        ),
        row(
            "aws s3 cp nodir s3://demo/web --recursive --profile alice",
            "",
            "\nThe user-provided path nodir does not exist.\n",
            255,
            0,
        ),
        row(
            "aws s3 cp s3://demo/hello.txt . --profile alice",
            "download: s3://demo/hello.txt to ./hello.txt\n",
            "",
            0,
            2,
        ),
        row(
            "aws s3 cp s3://demo/missing.txt out.txt --profile alice",
            "",
            "fatal error: An error occurred (404) when calling the HeadObject operation: Key \"missing.txt\" does not exist\n",
            1,
            1,
        ),
        row(
            "aws s3 cp s3://demo/hello.txt out.txt --profile bob",
            "",
            "fatal error: An error occurred (403) when calling the HeadObject operation: Forbidden\n",
            1,
            1,
        ),
        row(
            "aws s3 rm s3://demo/hello.txt --profile alice",
            "delete: s3://demo/hello.txt\n",
            "",
            0,
            1,
        ),
        row(
            "aws s3 rm s3://demo/hello.txt --profile bob",
            "",
            "delete failed: s3://demo/hello.txt An error occurred (AccessDenied) when calling the DeleteObject operation: User: arn:aws:iam::111122223333:user/bob is not authorized to perform: s3:DeleteObject on resource: \"arn:aws:s3:::demo/hello.txt\" because no identity-based policy allows the s3:DeleteObject action\n",
            1,
            1,
        ),
        row(
            "aws s3 rm s3://demo --recursive --profile alice",
            "delete: s3://demo/docs/guide.md\ndelete: s3://demo/hello.txt\n",
            "",
            0,
            3,
        ),
        row(
            "aws s3 mb s3://fresh-bucket --profile root",
            "make_bucket: fresh-bucket\n",
            "",
            0,
            1,
        ),
        row(
            "aws s3 mb s3://demo --profile root",
            "make_bucket: demo\n",
            "",
            0,
            1,
        ),
        row(
            "aws s3 mb s3://demo --region eu-west-1 --profile root",
            "",
            "make_bucket failed: s3://demo An error occurred (BucketAlreadyOwnedByYou) when calling the CreateBucket operation: Your previous request to create the named bucket succeeded and you already own it.\n",
            1,
            1,
        ),
        row(
            "aws s3 rb s3://demo --profile root",
            "",
            "remove_bucket failed: s3://demo An error occurred (BucketNotEmpty) when calling the DeleteBucket operation: The bucket you tried to delete is not empty\n",
            1,
            1,
        ),
        row(
            "aws s3 rb s3://demo --force --profile root",
            "delete: s3://demo/docs/guide.md\ndelete: s3://demo/hello.txt\nremove_bucket: demo\n",
            "",
            0,
            4,
        ),
        // ---- aws s3 presign ---------------------------------------------------------------
        row(
            "aws s3 presign s3://demo/hello.txt --expires-in 600 --profile alice",
            "https://demo.s3.amazonaws.com/hello.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-Expires=600&X-Amz-SignedHeaders=host&X-Amz-Signature=SIG\n",
            "",
            0,
            0,
        ),
        // A role session signs with its temporary credentials: the URL carries the token.
        row(
            "aws s3 presign s3://demo/hello.txt --profile Auditor-audit",
            "https://demo.s3.amazonaws.com/hello.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIAAUDIT0000000001%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Security-Token=IQoJb3JpZ2luX2Vj7pREkzwYipPbbHzcUhGowEstL6BfUvP.vXoIXl5dACHWZPVP&X-Amz-Signature=SIG\n",
            "",
            0,
            0,
        ),
        // ---- aws s3api objects ------------------------------------------------------------
        row(
            "aws s3api put-object --bucket demo --key k.txt --body hello.txt --profile alice",
            "{\n    \"ETag\": \"\\\"12f6bb1941df66b8f138a446d4e8670c\\\"\",\n    \"ServerSideEncryption\": \"AES256\"\n}\n",
            "",
            0,
            1,
        ),
        row(
            "aws s3api put-object --bucket demo --key k.txt --body hello.txt --profile bob",
            "",
            DENIED_PUT,
            254,
            1,
        ),
        row(
            "aws s3api put-object --bucket demo --key k.txt --body hello.txt --server-side-encryption AES256 --profile carol",
            "",
            "\nAn error occurred (InvalidAccessKeyId) when calling the PutObject operation: The AWS Access Key Id you provided does not exist in our records.\n",
            254,
            1,
        ),
        row(
            "aws s3api put-object --bucket nope --key k --profile root",
            "",
            "\nAn error occurred (NoSuchBucket) when calling the PutObject operation: The specified bucket does not exist\n",
            254,
            1,
        ),
        row(
            "aws s3api put-object --bucket demo --key k --body nofile.bin --profile root",
            "",
            "\nError parsing parameter '--body': Blob values must be a path to a file.\n",
            252,
            0,
        ),
        after(
            &[
                "aws s3api put-bucket-versioning --bucket demo --versioning-configuration Status=Enabled --profile root",
            ],
            "aws s3api put-object --bucket demo --key v.txt --body hello.txt --server-side-encryption aws:kms --profile root",
            // SSE-KMS: the ETag is not the MD5 of the data, and the CLI prints the key ARN.
            "{\n    \"ETag\": \"\\\"43bceaeacfc47ef332b5dd0d020c0943\\\"\",\n    \"ServerSideEncryption\": \"aws:kms\",\n    \"VersionId\": \"VID\",\n    \"SSEKMSKeyId\": \"arn:aws:kms:us-east-1:111122223333:key/db6b9fef-f74b-4e07-a17e-cb372f0c3c78\"\n}\n",
            "",
            0,
            1,
        ),
        row(
            "aws s3api get-object --bucket demo --key hello.txt out.txt --profile alice",
            "{\n    \"AcceptRanges\": \"bytes\",\n    \"LastModified\": \"2025-12-24T10:00:00+00:00\",\n    \"ContentLength\": 12,\n    \"ETag\": \"\\\"6f5902ac237024bdd0c176cb93063dc4\\\"\",\n    \"ContentType\": \"binary/octet-stream\",\n    \"ServerSideEncryption\": \"AES256\",\n    \"Metadata\": {}\n}\n",
            "",
            0,
            1,
        ),
        row(
            "aws s3api get-object --bucket demo --key missing.txt out.txt --profile alice",
            "",
            "\nAn error occurred (NoSuchKey) when calling the GetObject operation: The specified key does not exist.\n",
            254,
            1,
        ),
        row(
            "aws s3api get-object --bucket demo --key missing.txt out.txt --profile Auditor-audit",
            "",
            "\nAn error occurred (NoSuchKey) when calling the GetObject operation: The specified key does not exist.\n",
            254,
            1,
        ),
        row(
            "aws s3api head-object --bucket demo --key missing.txt --profile alice",
            "",
            "\nAn error occurred (404) when calling the HeadObject operation: Not Found\n",
            254,
            1,
        ),
        row(
            "aws s3api head-object --bucket demo --key hello.txt --profile bob",
            "",
            "\nAn error occurred (403) when calling the HeadObject operation: Forbidden\n",
            254,
            1,
        ),
        row(
            "aws s3api delete-object --bucket demo --key hello.txt --profile alice",
            "",
            "",
            0,
            1,
        ),
        after(
            &[
                "aws s3api put-bucket-versioning --bucket demo --versioning-configuration Status=Enabled --profile root",
            ],
            "aws s3api delete-object --bucket demo --key hello.txt --profile alice",
            "{\n    \"DeleteMarker\": true,\n    \"VersionId\": \"VID\"\n}\n",
            "",
            0,
            1,
        ),
        row(
            "aws s3api list-objects-v2 --bucket demo --prefix docs/ --profile alice",
            "{\n    \"Contents\": [\n        {\n            \"Key\": \"docs/guide.md\",\n            \"LastModified\": \"2025-12-25T11:00:00+00:00\",\n            \"ETag\": \"\\\"ETAG\\\"\",\n            \"Size\": 8,\n            \"StorageClass\": \"STANDARD\"\n        }\n    ],\n    \"RequestCharged\": null,\n    \"Prefix\": \"docs/\"\n}\n",
            "",
            0,
            1,
        ),
        // ---- policies, ACLs, BPA, ownership -----------------------------------------------
        row(
            "aws s3api get-bucket-policy --bucket demo --profile root",
            "",
            "\nAn error occurred (NoSuchBucketPolicy) when calling the GetBucketPolicy operation: The bucket policy does not exist\n",
            254,
            1,
        ),
        row(
            "aws s3api put-bucket-policy --bucket demo --policy file://policy.json --profile root",
            "",
            "",
            0,
            1,
        ),
        after(
            &[
                "aws s3api put-bucket-policy --bucket demo --policy file://policy.json --profile root",
            ],
            "aws s3api get-object --bucket demo --key hello.txt out.txt --profile bob --query ETag",
            "\"\\\"6f5902ac237024bdd0c176cb93063dc4\\\"\"\n",
            "",
            0,
            1,
        ),
        row(
            "aws s3api put-bucket-policy --bucket demo --policy file://nope.json --profile root",
            "",
            "\nError parsing parameter '--policy': Unable to load paramfile file://nope.json: [Errno 2] No such file or directory: 'nope.json'\n",
            252,
            0,
        ),
        row(
            "aws s3api put-bucket-policy --bucket demo --policy not-json --profile root",
            "",
            "\nAn error occurred (MalformedPolicy) when calling the PutBucketPolicy operation: MSG\n",
            254,
            1,
        ),
        row(
            "aws s3api put-public-access-block --bucket demo --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true --profile root",
            "",
            "",
            0,
            1,
        ),
        row(
            "aws s3api put-public-access-block --bucket demo --public-access-block-configuration BlockEverything=true --profile root",
            "",
            "\nParameter validation failed:\nUnknown parameter in PublicAccessBlockConfiguration: \"BlockEverything\", must be one of: BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets\n",
            252,
            0,
        ),
        row(
            "aws s3api put-bucket-acl --bucket demo --acl public-read --profile root",
            "",
            "\nAn error occurred (AccessControlListNotSupported) when calling the PutBucketAcl operation: The bucket does not allow ACLs\n",
            254,
            1,
        ),
        row(
            "aws s3api put-bucket-ownership-controls --bucket demo --ownership-controls Rules=[{ObjectOwnership=ObjectWriter}] --profile root",
            "",
            "",
            0,
            1,
        ),
        after(
            &[
                "aws s3api put-bucket-ownership-controls --bucket demo --ownership-controls Rules=[{ObjectOwnership=BucketOwnerPreferred}] --profile root",
            ],
            "aws s3api put-object-acl --bucket demo --key hello.txt --acl private --profile root",
            "",
            "",
            0,
            1,
        ),
        // ---- versioning and MFA Delete ---------------------------------------------------
        row(
            "aws s3api get-bucket-versioning --bucket demo --profile root",
            "",
            "",
            0,
            1,
        ),
        row(
            "aws s3api put-bucket-versioning --bucket demo --versioning-configuration Status=Enabled,MFADelete=Enabled --mfa \"{mfa} {code}\" --profile root",
            "",
            "",
            0,
            1,
        ),
        after(
            &[
                "aws s3api put-bucket-versioning --bucket demo --versioning-configuration Status=Enabled,MFADelete=Enabled --mfa \"{mfa} {code}\" --profile root",
            ],
            "aws s3api get-bucket-versioning --bucket demo --profile root",
            "{\n    \"Status\": \"Enabled\",\n    \"MFADelete\": \"Enabled\"\n}\n",
            "",
            0,
            1,
        ),
        row(
            "aws s3api put-bucket-versioning --bucket demo --versioning-configuration Status=Enabled,MFADelete=Enabled --mfa \"{mfa} {bad}\" --profile root",
            "",
            "\nAn error occurred (AccessDenied) when calling the PutBucketVersioning operation: Access Denied\n",
            254,
            1,
        ),
        row(
            "aws s3api put-bucket-versioning --bucket demo --versioning-configuration Status=Enabled,MFADelete=Enabled --mfa \"{mfa} {code}\" --profile alice",
            "",
            "\nAn error occurred (AccessDenied) when calling the PutBucketVersioning operation: This operation may only be performed by the bucket owner\n",
            254,
            1,
        ),
        row(
            "aws s3api put-bucket-versioning --bucket demo --versioning-configuration Status=Enabled,MFADelete=Enabled --profile root",
            "",
            "\nAn error occurred (AccessDenied) when calling the PutBucketVersioning operation: Mfa Authentication must be used for this request\n",
            254,
            1,
        ),
        row(
            "aws s3api put-bucket-versioning --bucket demo --versioning-configuration Status=Enabled,MFADelete=Enabled --mfa \"{mfa} {code}\" --profile root --endpoint-url http://s3.amazonaws.com",
            "",
            "\nAn error occurred (InvalidRequest) when calling the PutBucketVersioning operation: MFA Authentication must be used with HTTPS\n",
            254,
            1,
        ),
        // ---- more s3api: listing, queries, buckets, sessions ------------------------------
        row(
            "aws s3api list-object-versions --bucket demo --prefix hello --profile root",
            "{\n    \"Versions\": [\n        {\n            \"ETag\": \"\\\"6f5902ac237024bdd0c176cb93063dc4\\\"\",\n            \"Size\": 12,\n            \"StorageClass\": \"STANDARD\",\n            \"Key\": \"hello.txt\",\n            \"VersionId\": \"null\",\n            \"IsLatest\": true,\n            \"LastModified\": \"2025-12-24T10:00:00+00:00\",\n            \"Owner\": {\n                \"ID\": \"OWNER\"\n            }\n        }\n    ],\n    \"RequestCharged\": null,\n    \"Prefix\": \"hello\"\n}\n",
            "",
            0,
            1,
        ),
        row(
            "aws s3api list-objects-v2 --bucket demo --query Contents[].Key --profile root",
            "[\n    \"docs/guide.md\",\n    \"hello.txt\"\n]\n",
            "",
            0,
            1,
        ),
        row(
            "aws s3api list-objects-v2 --bucket demo --query Contents[].Key --output text --profile root",
            "docs/guide.md\thello.txt\n",
            "",
            0,
            1,
        ),
        row(
            "aws s3api head-object --bucket demo --key hello.txt --profile root",
            "{\n    \"AcceptRanges\": \"bytes\",\n    \"LastModified\": \"2025-12-24T10:00:00+00:00\",\n    \"ContentLength\": 12,\n    \"ETag\": \"\\\"6f5902ac237024bdd0c176cb93063dc4\\\"\",\n    \"ContentType\": \"binary/octet-stream\",\n    \"ServerSideEncryption\": \"AES256\",\n    \"Metadata\": {}\n}\n",
            "",
            0,
            1,
        ),
        row(
            "aws s3api get-object --bucket demo --key hello.txt o.txt --profile Auditor-audit --query ContentLength",
            "12\n",
            "",
            0,
            1,
        ),
        row(
            "aws s3 cp s3://demo/hello.txt s3://demo/copy.txt --profile root",
            "copy: s3://demo/hello.txt to s3://demo/copy.txt\n",
            "",
            0,
            2,
        ),
        row(
            "aws s3 ls s3://demo --no-sign-request",
            "",
            "\nAn error occurred (AccessDenied) when calling the ListObjectsV2 operation: Access Denied\n",
            254,
            1,
        ),
        row(
            "aws s3api create-bucket --bucket new-bucket --create-bucket-configuration LocationConstraint=eu-west-1 --profile root",
            "{\n    \"Location\": \"http://new-bucket.s3.amazonaws.com/\"\n}\n",
            "",
            0,
            1,
        ),
        row(
            "aws s3api create-bucket --bucket new-bucket --profile root",
            "{\n    \"Location\": \"/new-bucket\"\n}\n",
            "",
            0,
            1,
        ),
        row(
            "aws s3api put-bucket-policy --bucket demo --policy '{\"Version\":\"2012-10-17\"}' --profile root",
            "",
            "\nAn error occurred (MalformedPolicy) when calling the PutBucketPolicy operation: MSG\n",
            254,
            1,
        ),
        after(
            &[
                "aws s3api put-bucket-policy --bucket demo --policy file://policy.json --profile root",
            ],
            "aws s3api get-bucket-policy --bucket demo --profile root --query Policy --output text",
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"BobReads\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:user/bob\"},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::demo/*\"}]}\n",
            "",
            0,
            1,
        ),
        row(
            "aws sts get-caller-identity --profile Auditor-audit",
            "{\n    \"UserId\": \"ID\",\n    \"Account\": \"111122223333\",\n    \"Arn\": \"arn:aws:sts::111122223333:assumed-role/Auditor/audit\"\n}\n",
            "",
            0,
            0,
        ),
        row(
            "aws sts get-caller-identity --profile carol",
            "",
            "\nAn error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The security token included in the request is invalid.\n",
            254,
            0,
        ),
        row(
            "aws sts get-caller-identity --profile root --output text",
            "111122223333\tarn:aws:iam::111122223333:root\t111122223333\n",
            "",
            0,
            0,
        ),
        // ---- reads and deletes the world also supports -----------------------------------
        row(
            "aws s3api list-buckets --profile alice --query Buckets[].Name --output text",
            "demo\n",
            "",
            0,
            1,
        ),
        row(
            "aws s3api get-bucket-acl --bucket demo --profile root --query Grants[0].Permission",
            "\"FULL_CONTROL\"\n",
            "",
            0,
            1,
        ),
        row(
            "aws s3api get-public-access-block --bucket demo --profile root",
            "{\n    \"PublicAccessBlockConfiguration\": {\n        \"BlockPublicAcls\": true,\n        \"IgnorePublicAcls\": true,\n        \"BlockPublicPolicy\": true,\n        \"RestrictPublicBuckets\": true\n    }\n}\n",
            "",
            0,
            1,
        ),
        after(
            &["aws s3api delete-public-access-block --bucket demo --profile root"],
            "aws s3api get-public-access-block --bucket demo --profile root",
            "",
            "\nAn error occurred (NoSuchPublicAccessBlockConfiguration) when calling the GetPublicAccessBlock operation: The public access block configuration was not found\n",
            254,
            1,
        ),
        row(
            "aws s3api get-bucket-ownership-controls --bucket demo --profile root",
            "{\n    \"OwnershipControls\": {\n        \"Rules\": [\n            {\n                \"ObjectOwnership\": \"BucketOwnerEnforced\"\n            }\n        ]\n    }\n}\n",
            "",
            0,
            1,
        ),
        after(
            &[
                "aws s3api put-bucket-policy --bucket demo --policy file://policy.json --profile root",
            ],
            "aws s3api get-bucket-policy-status --bucket demo --profile root",
            "{\n    \"PolicyStatus\": {\n        \"IsPublic\": false\n    }\n}\n",
            "",
            0,
            1,
        ),
        after(
            &[
                "aws s3api put-bucket-policy --bucket demo --policy file://policy.json --profile root",
            ],
            "aws s3api delete-bucket-policy --bucket demo --profile root",
            "",
            "",
            0,
            1,
        ),
        row(
            "aws s3api copy-object --copy-source demo/hello.txt --bucket demo --key copy.txt --profile root",
            "{\n    \"CopyObjectResult\": {\n        \"ETag\": \"\\\"6f5902ac237024bdd0c176cb93063dc4\\\"\",\n        \"LastModified\": \"2026-01-01T00:00:00+00:00\"\n    },\n    \"ServerSideEncryption\": \"AES256\"\n}\n",
            "",
            0,
            1,
        ),
        row(
            "aws s3api delete-objects --bucket demo --delete Objects=[{Key=hello.txt},{Key=docs/guide.md}] --profile alice",
            "{\n    \"Deleted\": [\n        {\n            \"Key\": \"hello.txt\"\n        },\n        {\n            \"Key\": \"docs/guide.md\"\n        }\n    ]\n}\n",
            "",
            0,
            1,
        ),
        row(
            "aws s3api delete-objects --bucket demo --delete '{\"Objects\":[{\"Key\":\"hello.txt\"}]}' --profile bob",
            "{\n    \"Errors\": [\n        {\n            \"Key\": \"hello.txt\",\n            \"Code\": \"AccessDenied\",\n            \"Message\": \"Access Denied\"\n        }\n    ]\n}\n",
            "",
            0,
            1,
        ),
        row(
            "aws s3api delete-bucket --bucket demo --profile root",
            "",
            "\nAn error occurred (BucketNotEmpty) when calling the DeleteBucket operation: The bucket you tried to delete is not empty\n",
            254,
            1,
        ),
        after(
            &[
                "aws s3control put-public-access-block --account-id 111122223333 --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true --profile root",
            ],
            "aws s3control get-public-access-block --account-id 111122223333 --profile root --query PublicAccessBlockConfiguration.BlockPublicPolicy",
            "true\n",
            "",
            0,
            1,
        ),
        row(
            "aws s3control get-public-access-block --account-id 111122223333 --profile root",
            "",
            "\nAn error occurred (NoSuchPublicAccessBlockConfiguration) when calling the GetPublicAccessBlock operation: The public access block configuration was not found\n",
            254,
            1,
        ),
        // ---- profiles, usage errors, commands the world does not model --------------------
        row(
            "aws s3 ls --profile mallory",
            "",
            "\nThe config profile (mallory) could not be found\n",
            255,
            0,
        ),
        row(
            "aws s3api put-object --bucket demo",
            "",
            "usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\nTo see help text, you can run:\n\n  aws help\n  aws <command> help\n  aws <command> <subcommand> help\n\naws: error: the following arguments are required: --key\n",
            252,
            0,
        ),
        row(
            "aws s3api put-object --bucket demo --key k --colour red",
            "",
            "usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\nTo see help text, you can run:\n\n  aws help\n  aws <command> help\n  aws <command> <subcommand> help\n\nUnknown options: --colour,red\n",
            252,
            0,
        ),
        row(
            "aws s3 mb demo",
            "",
            "\n<S3Uri>\nError: Invalid argument type\n",
            252,
            0,
        ),
        row(
            "aws configure set default.s3.signature_version s3v4",
            "",
            "",
            0,
            0,
        ),
        row(
            "aws s4 ls",
            "",
            "usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\nTo see help text, you can run:\n\n  aws help\n  aws <command> help\n  aws <command> <subcommand> help\n\naws: error: argument command: Invalid choice, valid choices are:\n\nconfigure                                | glacier                                 \niam                                      | kms                                     \ns3                                       | s3api                                   \ns3control                                | sts                                     \n",
            252,
            0,
        ),
        row(
            "aws s3 sync . s3://demo",
            "",
            "STARTS:usage: aws [options]",
            252,
            0,
        ),
        row(
            "aws s3api put-bucket-encryption --bucket demo --server-side-encryption-configuration '{\"Rules\":[{\"ApplyServerSideEncryptionByDefault\":{\"SSEAlgorithm\":\"AES256\"}}]}' --profile root",
            "",
            "",
            0,
            1,
        ),
        row(
            "aws s3api put-bucket-logging --bucket demo --bucket-logging-status '{}' --profile root",
            "",
            "",
            0,
            1,
        ),
        row(
            "aws kms create-key --description demo",
            "{\n    \"KeyMetadata\": {\n        \"AwsAccountId\": \"111122223333\",\n        \"KeyId\": \"db6b9fef-f74b-4e07-a17e-cb372f0c3c78\",\n        \"Arn\": \"arn:aws:kms:us-east-1:111122223333:key/db6b9fef-f74b-4e07-a17e-cb372f0c3c78\",\n        \"CreationDate\": 1767225600,\n        \"Enabled\": true,\n        \"Description\": \"demo\",\n        \"KeyUsage\": \"ENCRYPT_DECRYPT\",\n        \"KeyState\": \"Enabled\",\n        \"Origin\": \"AWS_KMS\",\n        \"KeyManager\": \"CUSTOMER\",\n        \"KeySpec\": \"SYMMETRIC_DEFAULT\",\n        \"KeyMaterialVersion\": 1\n    }\n}\n",
            "",
            0,
            1,
        ),
        row(
            "aws glacier initiate-vault-lock --account-id - --vault-name v --policy file://policy.json",
            "",
            "\nAn error occurred (ResourceNotFoundException) when calling the InitiateVaultLock operation: Vault not found for ARN: arn:aws:glacier:us-east-1:111122223333:vaults/v\n",
            254,
            1,
        ),
    ]
}

/// Replaces what a row cannot know in advance (signatures, version ids, ETags of listed
/// objects, the policy engine's message) by reading it from the actual output.
fn normalise(expected: &str, actual: &str) -> String {
    let mut out = expected.to_owned();
    for (placeholder, marker, end) in [
        ("SIG", "X-Amz-Signature=", '\n'),
        ("VID", "\"VersionId\": \"", '"'),
        ("ETAG", "\"ETag\": \"\\\"", '\\'),
        ("MSG", "PutBucketPolicy operation: ", '\n'),
        ("OWNER", "\"ID\": \"", '"'),
        ("\"ID\"", "\"UserId\": ", ','),
    ] {
        if let Some(start) = actual.find(marker).filter(|_| out.contains(placeholder)) {
            let rest = &actual[start + marker.len()..];
            let value = &rest[..rest.find(end).unwrap_or(rest.len())];
            out = out.replacen(placeholder, value, 1);
        }
    }
    out
}

#[test]
fn command_lines_print_what_the_aws_cli_prints() {
    let rows = rows();
    assert!(rows.len() >= 40, "{} rows", rows.len());
    let mut failures = Vec::new();
    for r in &rows {
        let mut w = world();
        let mut c = console();
        for line in r.before {
            let res = c.run(&mut w, &fill(line), now());
            assert_eq!(res.exit_code, 0, "{line}: {}", res.stderr);
        }
        let line = fill(r.line);
        let res = c.run(&mut w, &line, now());
        let stdout = normalise(r.stdout, &res.stdout);
        let stderr = match r.stderr.strip_prefix("STARTS:") {
            Some(prefix) if res.stderr.starts_with(prefix) => res.stderr.clone(),
            _ => normalise(r.stderr, &res.stderr),
        };
        if res.stdout != stdout
            || res.stderr != stderr
            || res.exit_code != r.code
            || res.outcomes.len() != r.requests
        {
            failures.push(format!(
                "{line}\n  stdout {:?}\n  want   {stdout:?}\n  stderr {:?}\n  want   {stderr:?}\n  exit {} want {}; requests {} want {}",
                res.stdout,
                res.stderr,
                res.exit_code,
                r.code,
                res.outcomes.len(),
                r.requests
            ));
        }
        assert_eq!(res.requests.len(), res.outcomes.len());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn debug_prints_the_trace_of_each_request() {
    let mut w = world();
    let mut c = console();
    let res = c.run(
        &mut w,
        "aws s3api put-object --bucket demo --key k --profile bob --debug",
        now(),
    );
    assert_eq!(res.exit_code, 254);
    assert!(
        res.stderr
            .starts_with("s3pg debug: PutObject -> 403 AccessDenied (request id "),
        "{}",
        res.stderr
    );
    assert!(res.stderr.contains("(deciding)"), "{}", res.stderr);
    assert!(
        res.stderr
            .ends_with("\nAn error occurred (AccessDenied) when calling the PutObject operation: User: arn:aws:iam::111122223333:user/bob is not authorized to perform: s3:PutObject on resource: \"arn:aws:s3:::demo/k\" because no identity-based policy allows the s3:PutObject action\n"),
        "{}",
        res.stderr
    );
}

#[test]
fn every_request_leaves_a_trace() {
    let mut w = world();
    let mut c = console();
    let res = c.run(
        &mut w,
        "aws s3api put-object --bucket demo --key k --body hello.txt --profile bob",
        now(),
    );
    let outcome = res.outcomes.first().expect("one outcome");
    assert_eq!(outcome.status, 403);
    assert!(!outcome.trace.is_empty());
    assert!(outcome.deciding.is_some());
    assert_eq!(
        res.requests
            .first()
            .and_then(|r| r.header_value("x-amz-server-side-encryption")),
        None
    );
}

#[test]
fn flags_become_headers() {
    let mut w = world();
    let mut c = console();
    let res = c.run(
        &mut w,
        "aws s3api put-object --bucket demo --key k --body hello.txt --server-side-encryption aws:kms --ssekms-key-id alias/demo --acl bucket-owner-full-control --sse-customer-algorithm AES256 --sse-customer-key 01234567890123456789012345678901 --metadata team=blue --profile root",
        now(),
    );
    let request = res.requests.first().expect("a request");
    for (name, value) in [
        ("x-amz-server-side-encryption", "aws:kms"),
        ("x-amz-server-side-encryption-aws-kms-key-id", "alias/demo"),
        ("x-amz-acl", "bucket-owner-full-control"),
        ("x-amz-server-side-encryption-customer-algorithm", "AES256"),
        (
            "x-amz-server-side-encryption-customer-key",
            "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=",
        ),
        ("x-amz-meta-team", "blue"),
    ] {
        assert_eq!(request.header_value(name), Some(value), "{name}");
    }
    assert!(
        request
            .header_value("x-amz-server-side-encryption-customer-key-md5")
            .is_some()
    );
    let res = c.run(
        &mut w,
        "aws s3api delete-object --bucket demo --key k --version-id abc --mfa \"SERIAL 123456\" --profile root",
        now(),
    );
    let request = res.requests.first().expect("a request");
    assert_eq!(request.header_value("x-amz-mfa"), Some("SERIAL 123456"));
}

#[test]
fn mfa_delete_lesson_runs_as_a_script() {
    let mut w = world();
    let mut c = console();
    let code = good_code();
    // A later code for the second MFA use: each code is accepted once.
    let later = now().plus(30);
    let later_code = s3pg_sim::mfa::current_code(ROOT_SEED, later.epoch_seconds()).unwrap();
    let script = format!(
        "# enable MFA Delete, then try to remove a version\n\
         aws s3api put-bucket-versioning --bucket demo --versioning-configuration Status=Enabled,MFADelete=Enabled --mfa \"{ROOT_MFA} {code}\" --profile root\n\
         aws s3api put-object --bucket demo --key doc.txt --body hello.txt --profile alice\n"
    );
    let results = c.run_script(&mut w, &script, now());
    assert_eq!(results.len(), 2);
    for (line, r) in &results {
        assert_eq!(r.exit_code, 0, "{line}: {}", r.stderr);
    }
    let put = &results.get(1).unwrap().1;
    let version: serde_json::Value = serde_json::from_str(&put.stdout).unwrap();
    let vid = version["VersionId"].as_str().unwrap().to_owned();
    let denied = c.run(
        &mut w,
        &format!(
            "aws s3api delete-object --bucket demo --key doc.txt --version-id {vid} --profile alice"
        ),
        later,
    );
    assert_eq!(denied.exit_code, 254);
    assert_eq!(
        denied.stderr,
        "\nAn error occurred (AccessDenied) when calling the DeleteObject operation: Mfa Authentication must be used for this request\n"
    );
    let deleted = c.run(
        &mut w,
        &format!("aws s3api delete-object --bucket demo --key doc.txt --version-id {vid} --mfa \"{ROOT_MFA} {later_code}\" --profile root"),
        later,
    );
    assert_eq!(deleted.exit_code, 0, "{}", deleted.stderr);
    assert_eq!(
        deleted.stdout,
        format!("{{\n    \"VersionId\": \"{vid}\"\n}}\n")
    );
}

#[test]
fn profiles_cover_every_principal() {
    let w = world();
    let c = Console::new();
    let names: Vec<String> = c.profiles(&w).into_iter().map(|p| p.name).collect();
    assert_eq!(
        names,
        ["default", "root", "alice", "bob", "carol", "Auditor-audit"]
    );
    let default = c.profile(&w, "default").unwrap();
    assert_eq!(default.arn, "arn:aws:iam::111122223333:root");
    let mut c = Console::new();
    c.default_profile = Some("alice".into());
    assert_eq!(
        c.profile(&w, "default").unwrap().arn,
        "arn:aws:iam::111122223333:user/alice"
    );
}

#[test]
fn get_object_writes_the_outfile_and_configure_set_is_remembered() {
    let mut w = world();
    let mut c = console();
    let r = c.run(
        &mut w,
        "aws s3api get-object --bucket demo --key docs/guide.md ./copy.md --profile alice",
        now(),
    );
    assert_eq!(r.exit_code, 0, "{}", r.stderr);
    assert_eq!(c.file("copy.md"), Some(&b"# guide\n"[..]));
    let r = c.run(&mut w, "aws configure get region", now());
    assert_eq!((r.exit_code, r.stdout.as_str()), (1, ""));
    let r = c.run(&mut w, "aws configure set region eu-west-1", now());
    assert_eq!(r.exit_code, 0);
    let r = c.run(&mut w, "aws configure get region", now());
    assert_eq!((r.exit_code, r.stdout.as_str()), (0, "eu-west-1\n"));
    let r = c.run(
        &mut w,
        "aws configure set region ap-south-1 --profile bob",
        now(),
    );
    assert_eq!(r.exit_code, 0);
    assert_eq!(
        c.settings.get("profile.bob.region").map(String::as_str),
        Some("ap-south-1")
    );
    // The default profile now signs for eu-west-1; other profiles keep their own settings.
    let r = c.run(&mut w, "aws s3 presign s3://demo/hello.txt", now());
    assert!(r.stdout.contains("%2Feu-west-1%2F"), "{}", r.stdout);
    let r = c.run(
        &mut w,
        "aws s3 presign s3://demo/hello.txt --profile bob",
        now(),
    );
    assert!(r.stdout.contains("%2Fap-south-1%2F"), "{}", r.stdout);
    let r = c.run(
        &mut w,
        "aws s3 presign s3://demo/hello.txt --profile alice",
        now(),
    );
    assert!(r.stdout.contains("%2Fus-east-1%2F"), "{}", r.stdout);
    assert!(r.stdout.contains("X-Amz-Expires=3600"), "{}", r.stdout);
}

#[test]
fn scenario_worlds_load_and_answer() {
    let text = include_str!("../../../tests/scenarios/mfa-01-enable-mfa-delete.json");
    let scenario = Scenario::from_json(text).unwrap_or_else(|e| panic!("{e}"));
    let mut w = scenario.world.clone();
    w.normalize();
    let mut c = Console::new();
    let names: Vec<String> = c.profiles(&w).into_iter().map(|p| p.name).collect();
    assert!(names.contains(&"root".to_owned()), "{names:?}");
    let r = c.run(&mut w, "aws s3 ls --profile root", scenario.start);
    assert_eq!(r.exit_code, 0, "{}", r.stderr);
    assert_eq!(r.outcomes.len(), 1);
}

#[test]
fn the_terminal_network_reaches_the_policy() {
    let text = include_str!("../../../tests/scenarios/bp-05-source-ip.json");
    let scenario = Scenario::from_json(text).unwrap_or_else(|e| panic!("{e}"));
    let line = "aws s3api get-object --bucket examplebucket --key a.txt a.txt --no-sign-request --query ContentLength";
    let mut c = Console::new();
    let mut w = scenario.world.clone();
    w.normalize();
    c.network.source_ip = "192.0.2.44".into();
    let office = c.run(&mut w, line, scenario.start);
    assert_eq!((office.exit_code, office.stdout.as_str()), (0, "5\n"));
    c.network.source_ip = "198.51.100.7".into();
    let elsewhere = c.run(&mut w, line, scenario.start);
    assert_eq!(elsewhere.exit_code, 254);
    assert_eq!(
        elsewhere
            .requests
            .first()
            .map(|r| r.network.source_ip.as_str()),
        Some("198.51.100.7")
    );
}

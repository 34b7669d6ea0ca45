//! `s3pg eval FILE --world`: each evaluation case run as a request in a simulated world, through
//! `World::handle`, so the differential suite compares the path a learner sees (S3's gates and
//! the world's own request context) and not only the policy engine.
//!
//! A case becomes a world and one request: the caller is an account's root user, an IAM user or
//! a role session whose identity policies, permissions boundary and session policy are the
//! case's; the SCPs are the caller's account's; the resource is a bucket (or an object in it)
//! owned by the case's resource account, with the case's resource policy as its bucket policy
//! and Block Public Access off (an S3 rule the IAM engines do not model; ACLs stay disabled, as
//! S3 creates buckets today); a VPC endpoint policy becomes the policy of the endpoint the request comes through. Context
//! keys become request properties where S3 derives them (`aws:SecureTransport` the scheme,
//! `aws:SourceIp` the address, `aws:SourceVpce` the endpoint, `aws:CurrentTime` the clock,
//! MFA the session's sign-in). The keys S3 always sets and the case left out are added to the
//! context each answer reports (what the comparison engine is then given); a key the world
//! cannot carry is dropped when no policy of the case reads it, and the case is skipped, with
//! the reason, when one does.
//!
//! S3's request context follows
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html> and the
//! global condition keys page
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html>).

mod mapping;

use serde::Serialize;
use serde_json::{Map, Value};

use self::mapping::Mapped;

/// One case's answer through the world.
#[derive(Serialize)]
#[serde(untagged)]
enum WorldAnswer {
    /// The world decided.
    Decided {
        decision: Option<s3pg_sim::Decision>,
        status: u16,
        /// The error code, for a refused request.
        #[serde(skip_serializing_if = "Option::is_none")]
        code: Option<String>,
        /// The context keys of the case's vocabulary as the world sent them.
        context: Map<String, Value>,
        /// The deciding step's sentence, and any policy the world could not read.
        why: Vec<String>,
    },
    /// The case cannot be expressed as a request in a world.
    Skipped { skipped: String },
}

/// Runs every case of `text` (one object or an array) through a world; the JSON array (or one
/// object) of answers, or an error for input that is not JSON.
pub(crate) fn run(text: &str) -> Result<String, String> {
    let doc: Value =
        serde_json::from_str(text).map_err(|e| format!("the cases are not JSON: {e}"))?;
    let answers: Vec<WorldAnswer> = match &doc {
        Value::Array(cases) => cases.iter().map(answer).collect(),
        one => vec![answer(one)],
    };
    let mut out = String::with_capacity(answers.len() * 256);
    out.push('[');
    for (i, a) in answers.iter().enumerate() {
        out.push_str(if i == 0 { "\n  " } else { ",\n  " });
        out.push_str(&serde_json::to_string(a).unwrap_or_else(|_| "null".to_owned()));
    }
    out.push_str("\n]\n");
    if doc.is_array() {
        Ok(out)
    } else {
        Ok(answers.first().map_or_else(
            || "null\n".to_owned(),
            |a| format!("{}\n", serde_json::to_string(a).unwrap_or_default()),
        ))
    }
}

fn answer(case: &Value) -> WorldAnswer {
    match Mapped::from_case(case) {
        Err(skipped) => WorldAnswer::Skipped { skipped },
        Ok(mut m) => {
            let outcome = m.world.handle(&m.request, m.now);
            let why = outcome
                .trace
                .iter()
                .filter(|s| s.deciding || s.explanation.contains("could not be read"))
                .map(|s| format!("{}: {}", s.gate.title(), s.explanation))
                .collect();
            WorldAnswer::Decided {
                why,
                decision: outcome.decision,
                status: outcome.status,
                code: outcome.error.map(|e| e.code),
                context: m.context,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::mapping::{DEFAULT_IP, DEFAULT_TIME, scp_document};
    use super::*;
    use serde_json::json;

    fn one(case: Value) -> Value {
        let out = run(&case.to_string()).unwrap();
        serde_json::from_str(&out).unwrap()
    }

    #[test]
    fn a_user_with_an_identity_grant_reads_through_the_world() {
        let a = one(json!({
            "principal": "arn:aws:iam::111122223333:user/alice",
            "action": "s3:GetObject",
            "resource": "arn:aws:s3:::examplebucket/home/alice/a.txt",
            "resource_account": "111122223333",
            "context": {"aws:SecureTransport": "false", "aws:userid": "AIDAALICEEXAMPLE0001"},
            "identity_policies": [{"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::examplebucket/*"}]}]
        }));
        assert_eq!(a["decision"], "Allow", "{a}");
        assert_eq!(a["status"], 200, "{a}");
        assert_eq!(a["context"]["aws:SecureTransport"], "false");
        assert_eq!(a["context"]["aws:SourceIp"], DEFAULT_IP);
        assert_eq!(a["context"]["aws:CurrentTime"], DEFAULT_TIME);
    }

    #[test]
    fn a_bucket_policy_deny_on_plain_http_is_an_explicit_deny() {
        let a = one(json!({
            "principal": "arn:aws:sts::111122223333:assumed-role/App/s1",
            "action": "s3:PutObject",
            "resource": "arn:aws:s3:::examplebucket/uploads/x.bin",
            "resource_account": "111122223333",
            "context": {"aws:SecureTransport": "false"},
            "identity_policies": [{"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}],
            "resource_policy": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::examplebucket/*",
                 "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
        }));
        assert_eq!(a["decision"], "ExplicitDeny", "{a}");
        assert_eq!(a["context"]["aws:MultiFactorAuthPresent"], "false");
    }

    #[test]
    fn a_key_the_world_cannot_carry_skips_the_case_only_when_read() {
        let case = |condition: Value| {
            json!({
                "principal": "arn:aws:iam::111122223333:user/alice",
                "action": "s3:ListBucket",
                "resource": "arn:aws:s3:::examplebucket",
                "resource_account": "111122223333",
                "context": {"aws:SourceArn": "arn:aws:s3:::logbucket"},
                "identity_policies": [{"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": condition}]}]
            })
        };
        let skipped = one(case(
            json!({"ArnEquals": {"aws:SourceArn": "arn:aws:s3:::logbucket"}}),
        ));
        assert!(
            skipped["skipped"]
                .as_str()
                .is_some_and(|s| s.contains("`aws:SourceArn`")),
            "{skipped}"
        );
        let decided = one(case(json!({"Bool": {"aws:SecureTransport": "true"}})));
        assert_eq!(decided["decision"], "Allow", "{decided}");
        assert!(decided["context"].get("aws:SourceArn").is_none());
    }

    #[test]
    fn federated_users_and_several_limiting_scp_levels_are_skipped_with_the_reason() {
        let fed = one(json!({
            "principal": "arn:aws:sts::111122223333:federated-user/fed",
            "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k"
        }));
        assert!(
            fed["skipped"]
                .as_str()
                .is_some_and(|s| s.contains("no caller"))
        );
        let deny = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:PutObject", "Resource": "*"}]});
        let levels = one(json!({
            "principal": "arn:aws:iam::111122223333:user/alice",
            "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k",
            "scps": [[deny.clone()], [deny]]
        }));
        assert!(
            levels["skipped"]
                .as_str()
                .is_some_and(|s| s.contains("SCP"))
        );
    }

    #[test]
    fn one_scp_level_is_one_document_and_a_full_access_level_is_no_limit() {
        let full = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]});
        let deny = json!({"Version": "2012-10-17", "Statement": [{"Sid": "S0", "Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}]});
        let merged = scp_document(&json!([full.clone(), deny.clone()]))
            .unwrap()
            .unwrap();
        assert_eq!(merged["Statement"].as_array().map(Vec::len), Some(2));
        assert_eq!(merged["Statement"][1]["Sid"], "S0P1");
        let levels = scp_document(&json!([[full], [deny]])).unwrap().unwrap();
        assert_eq!(levels["Statement"].as_array().map(Vec::len), Some(1));
    }
}

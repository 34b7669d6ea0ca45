//! Policy templates: the bucket policies AWS documents for common needs, each following the
//! page it cites, filled with the names of the current world (bucket, account, another account,
//! another bucket). Inserting a template appends its statements to the learner's `Statement`
//! list as text, leaving the rest of the policy as typed.

use serde_json::{Value, json};

use super::format::{to_text, write};
use s3pg_policy::json::{JsonKind, parse};

/// The names a template is filled with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateVars {
    /// The bucket whose policy is edited.
    pub bucket: String,
    /// Its owner's account id.
    pub account: String,
    /// Another account (cross-account read), or the documentation's `444455556666`.
    pub other_account: String,
    /// Another bucket (the source of access logs), or the bucket itself.
    pub source_bucket: String,
    /// The Region (the simulator's world lives in one Region).
    pub region: String,
}

/// One template.
#[derive(Debug, Clone, Copy)]
pub struct Template {
    /// A stable id (for tests and `data-template`).
    pub id: &'static str,
    /// What the menu says.
    pub title: &'static str,
    /// The AWS page it follows.
    pub source: &'static str,
    statements: fn(&TemplateVars) -> Value,
}

impl Template {
    /// The template's statements filled with `vars` (a JSON array).
    pub fn statements(&self, vars: &TemplateVars) -> Value {
        (self.statements)(vars)
    }
}

fn arn(bucket: &str) -> String {
    format!("arn:aws:s3:::{bucket}")
}

/// Every template, in menu order.
pub const TEMPLATES: &[Template] = &[
    Template {
        id: "deny-unencrypted",
        title: "Deny uploads without server-side encryption",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingServerSideEncryption.html",
        statements: |v| {
            json!([{
                "Sid": "DenyUnEncryptedObjectUploads",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:PutObject",
                "Resource": format!("{}/*", arn(&v.bucket)),
                "Condition": {"Null": {"s3:x-amz-server-side-encryption": "true"}}
            }])
        },
    },
    Template {
        id: "https-only",
        title: "HTTPS only (deny requests without TLS)",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html#example-bucket-policies-HTTP-HTTPS",
        statements: |v| {
            json!([{
                "Sid": "RestrictToTLSRequestsOnly",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [arn(&v.bucket), format!("{}/*", arn(&v.bucket))],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}}
            }])
        },
    },
    Template {
        id: "vpce-only",
        title: "Only through one VPC endpoint",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies-vpc-endpoint.html",
        statements: |v| {
            json!([{
                "Sid": "AccessToSpecificVPCEOnly",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [arn(&v.bucket), format!("{}/*", arn(&v.bucket))],
                "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}
            }])
        },
    },
    Template {
        id: "cross-account-read",
        title: "Cross-account read (list and get)",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-walkthroughs-managing-access-example2.html",
        statements: |v| {
            let principal = json!({"AWS": format!("arn:aws:iam::{}:root", v.other_account)});
            json!([
                {
                    "Sid": "CrossAccountList",
                    "Effect": "Allow",
                    "Principal": principal,
                    "Action": "s3:ListBucket",
                    "Resource": arn(&v.bucket)
                },
                {
                    "Sid": "CrossAccountRead",
                    "Effect": "Allow",
                    "Principal": principal,
                    "Action": "s3:GetObject",
                    "Resource": format!("{}/*", arn(&v.bucket))
                }
            ])
        },
    },
    Template {
        id: "log-delivery",
        title: "Server access log delivery (logging.s3.amazonaws.com)",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html#grant-log-delivery-permissions-general",
        statements: |v| {
            json!([{
                "Sid": "S3ServerAccessLogsPolicy",
                "Effect": "Allow",
                "Principal": {"Service": "logging.s3.amazonaws.com"},
                "Action": "s3:PutObject",
                "Resource": format!("{}/logs/*", arn(&v.bucket)),
                "Condition": {
                    "ArnLike": {"aws:SourceArn": arn(&v.source_bucket)},
                    "StringEquals": {"aws:SourceAccount": v.account}
                }
            }])
        },
    },
    Template {
        id: "cloudtrail",
        title: "CloudTrail log bucket",
        source: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html",
        statements: |v| {
            let trail = format!(
                "arn:aws:cloudtrail:{}:{}:trail/management-events",
                v.region, v.account
            );
            json!([
                {
                    "Sid": "AWSCloudTrailAclCheck20150319",
                    "Effect": "Allow",
                    "Principal": {"Service": "cloudtrail.amazonaws.com"},
                    "Action": "s3:GetBucketAcl",
                    "Resource": arn(&v.bucket),
                    "Condition": {"StringEquals": {"aws:SourceArn": trail}}
                },
                {
                    "Sid": "AWSCloudTrailWrite20150319",
                    "Effect": "Allow",
                    "Principal": {"Service": "cloudtrail.amazonaws.com"},
                    "Action": "s3:PutObject",
                    "Resource": format!("{}/AWSLogs/{}/*", arn(&v.bucket), v.account),
                    "Condition": {"StringEquals": {
                        "s3:x-amz-acl": "bucket-owner-full-control",
                        "aws:SourceArn": trail
                    }}
                }
            ])
        },
    },
    Template {
        id: "public-website",
        title: "Public website (anyone may read objects)",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/WebsiteAccessPermissionsReqd.html",
        statements: |v| {
            json!([{
                "Sid": "PublicReadGetObject",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": format!("{}/*", arn(&v.bucket))
            }])
        },
    },
];

/// A text edit: replace `from..to` with `insert`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// First byte replaced.
    pub from: usize,
    /// After the last byte replaced.
    pub to: usize,
    /// The new text.
    pub insert: String,
}

impl Edit {
    /// The text with the edit applied.
    pub fn apply(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + self.insert.len());
        out.push_str(text.get(..self.from).unwrap_or_default());
        out.push_str(&self.insert);
        out.push_str(text.get(self.to..).unwrap_or_default());
        out
    }
}

/// The edit that adds the template's statements to `text`: the whole policy when the text is
/// empty, else the statements appended to its `Statement` list (their `Sid`s made unique).
pub fn insert(text: &str, template: &Template, vars: &TemplateVars) -> Result<Edit, String> {
    let mut statements = template.statements(vars);
    if text.trim().is_empty() {
        let policy = json!({"Version": "2012-10-17", "Statement": statements});
        return Ok(Edit {
            from: 0,
            to: text.len(),
            insert: to_text(&reparse(&policy)?),
        });
    }
    let root = parse(text).map_err(|e| {
        let (line, column) = s3pg_policy::json::line_col(text, e.offset);
        format!(
            "cannot insert a template: {} at {line}:{column}; fix the JSON first",
            e.message
        )
    })?;
    let JsonKind::Object(members) = &root.kind else {
        return Err("cannot insert a template: the policy is not a JSON object".to_string());
    };
    unique_sids(text, &mut statements);
    let Value::Array(new) = statements else {
        return Err("a template has no statements".to_string());
    };
    let indent_of = |offset: usize| -> usize {
        let line_start = text
            .get(..offset)
            .and_then(|s| s.rfind('\n'))
            .map_or(0, |i| i + 1);
        let line = text.get(line_start..offset).unwrap_or_default();
        (line.len() - line.trim_start().len()) / 2
    };
    let render = |level: usize| -> Result<String, String> {
        let mut out = String::new();
        for (i, s) in new.iter().enumerate() {
            if i > 0 {
                out.push(',');
                out.push('\n');
                out.push_str(&"  ".repeat(level));
            }
            write(&mut out, &reparse(s)?, level);
        }
        Ok(out)
    };
    let statement = members.iter().rev().find(|m| m.key == "Statement");
    match statement.map(|m| (&m.value.kind, &m.value.span, m.key_span)) {
        Some((JsonKind::Array(items), _, _)) if !items.is_empty() => {
            let last = items.last().map_or(0, |l| l.span.end);
            let first = items.first().map_or(0, |f| f.span.start);
            let level = indent_of(first);
            Ok(Edit {
                from: last,
                to: last,
                insert: format!(",\n{}{}", "  ".repeat(level), render(level)?),
            })
        }
        Some((JsonKind::Object(_), span, key_span)) => {
            let level = indent_of(key_span.start) + 1;
            let old = text.get(span.start..span.end).unwrap_or_default();
            let pad = "  ".repeat(level);
            Ok(Edit {
                from: span.start,
                to: span.end,
                insert: format!(
                    "[\n{pad}{old},\n{pad}{}\n{}]",
                    render(level)?,
                    "  ".repeat(level - 1)
                ),
            })
        }
        Some((_, span, key_span)) => {
            let level = indent_of(key_span.start);
            let pad = "  ".repeat(level + 1);
            Ok(Edit {
                from: span.start,
                to: span.end,
                insert: format!("[\n{pad}{}\n{}]", render(level + 1)?, "  ".repeat(level)),
            })
        }
        None => {
            let (at, level) = match members.last() {
                Some(m) => (m.value.span.end, indent_of(m.key_span.start)),
                None => {
                    let policy = json!({"Version": "2012-10-17", "Statement": new});
                    return Ok(Edit {
                        from: root.span.start,
                        to: root.span.end,
                        insert: to_text(&reparse(&policy)?),
                    });
                }
            };
            let pad = "  ".repeat(level);
            Ok(Edit {
                from: at,
                to: at,
                insert: format!(
                    ",\n{pad}\"Statement\": [\n{pad}  {}\n{pad}]",
                    render(level + 1)?
                ),
            })
        }
    }
}

/// A `serde_json` value as the spanned JSON the printer writes.
fn reparse(value: &Value) -> Result<s3pg_policy::json::Json, String> {
    let text = serde_json::to_string(value).map_err(|e| e.to_string())?;
    parse(&text).map_err(|e| e.message)
}

/// Renames template `Sid`s already used in `text` (`CrossAccountRead` → `CrossAccountRead2`):
/// S3 refuses a policy whose statement ids repeat.
fn unique_sids(text: &str, statements: &mut Value) {
    let Value::Array(list) = statements else {
        return;
    };
    for s in list {
        if let Some(Value::String(sid)) = s.get_mut("Sid") {
            let taken = |candidate: &str| text.contains(&format!("\"{candidate}\""));
            if taken(sid) {
                let mut n = 2;
                while taken(&format!("{sid}{n}")) {
                    n += 1;
                }
                *sid = format!("{sid}{n}");
            }
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use s3pg_policy::{Diagnostic, validate_bucket_policy};

    fn vars() -> TemplateVars {
        TemplateVars {
            bucket: "examplebucket".into(),
            account: "111122223333".into(),
            other_account: "444455556666".into(),
            source_bucket: "amzn-s3-demo-source-bucket".into(),
            region: "us-east-1".into(),
        }
    }

    #[expect(clippy::panic, reason = "test helper: a panic is a failed test")]
    fn check_clean(text: &str, id: &str) {
        match validate_bucket_policy(text, Some("examplebucket")) {
            Ok((_, warnings)) => {
                // Two templates do on purpose what a teaching note points out — the VPC endpoint
                // one denies every request without the endpoint, the website one is public — and
                // that note is the lesson of their AWS page, not a flaw.
                let intended = |d: &Diagnostic| {
                    (id == "vpce-only" && d.code == "negated-on-absent-key")
                        || (id == "public-website" && d.code == "public-grant")
                };
                let serious: Vec<&Diagnostic> = warnings.iter().filter(|d| !intended(d)).collect();
                assert!(serious.is_empty(), "{id}: {serious:#?}\n{text}");
            }
            Err(errors) => panic!("{id}: {errors:#?}\n{text}"),
        }
    }

    #[test]
    fn every_template_alone_is_a_valid_lint_clean_bucket_policy() {
        for t in TEMPLATES {
            let edit = insert("", t, &vars()).unwrap();
            let text = edit.apply("");
            check_clean(&text, t.id);
            assert!(text.contains("examplebucket"), "{}", t.id);
            assert!(t.source.starts_with("https://docs.aws.amazon.com/"));
        }
    }

    #[test]
    fn templates_append_to_the_default_policy_keeping_its_text() {
        let state = crate::state::AppState::from_scenario_text(crate::state::DEFAULT_SCENARIO);
        let original = state.policy_text.clone();
        let mut text = original.clone();
        for t in TEMPLATES {
            let edit = insert(&text, t, &vars()).unwrap();
            text = edit.apply(&text);
            assert!(
                validate_bucket_policy(&text, Some("examplebucket")).is_ok(),
                "{}:\n{text}",
                t.id
            );
        }
        // Appended as text: the learner's statement is still there as typed, and the result is
        // laid out like the rest (formatting changes nothing).
        let first_statement = original.find("    {").unwrap();
        let end = original.rfind("\n  ]").unwrap();
        assert!(text.contains(&original[first_statement..end]));
        assert_eq!(super::super::format::format(&text).unwrap(), text);
        // The template repeating the default policy's Sid got a fresh one.
        assert!(text.contains("\"DenyUnEncryptedObjectUploads2\""));
    }

    #[test]
    fn a_single_statement_object_becomes_a_list() {
        let text = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": {\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::examplebucket/*\"}\n}";
        let t = TEMPLATES.iter().find(|t| t.id == "https-only").unwrap();
        let out = insert(text, t, &vars()).unwrap().apply(text);
        let (policy, _) = validate_bucket_policy(&out, Some("examplebucket")).unwrap();
        assert_eq!(policy.statements.len(), 2);
    }

    #[test]
    fn broken_json_is_refused_with_where() {
        let t = &TEMPLATES[0];
        let err = insert("{\n  \"Statement\": [,]\n}", t, &vars()).unwrap_err();
        assert!(err.contains("2:"), "{err}");
    }
}

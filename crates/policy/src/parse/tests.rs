//! Tests of the policy parser: what it accepts, and the errors it gives with where they are.

use crate::Policy;

fn first_error(text: &str) -> crate::Diagnostic {
    Policy::parse(text).unwrap_err().remove(0)
}

#[test]
fn json_errors_point_at_line_and_column() {
    let d = first_error(
        "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\",}\n  ]\n}",
    );
    assert_eq!((d.line, d.column), (4, 24));
    assert!(d.message.starts_with("invalid JSON"), "{}", d.message);
    assert_eq!(
        d.s3_message.as_deref(),
        Some("This policy contains invalid Json")
    );
    let d = first_error("  [1]");
    assert_eq!(
        d.s3_message.as_deref(),
        Some("Policies must be valid JSON and the first byte must be '{'")
    );
}

#[test]
fn semantic_errors_carry_path_position_help_and_s3_message() {
    let text = "{\n \"Version\": \"2012-10-17\",\n \"Statement\": [\n  {\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"},\n  {\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\",\n   \"Condition\": {\"StringEqual\": {\"aws:username\": \"alice\"}}}\n ]\n}";
    let d = first_error(text);
    assert_eq!(d.path, "Statement[1].Condition.StringEqual");
    assert_eq!((d.line, d.column), (6, 18));
    assert_eq!(d.message, "unknown condition operator `StringEqual`");
    assert_eq!(d.help.as_deref(), Some("did you mean `StringEquals`?"));
    assert_eq!(
        d.s3_message.as_deref(),
        Some("Invalid Condition type : StringEqual")
    );
}

#[test]
fn s3_messages_for_each_structural_fault() {
    let cases = [
        (
            r#"{"Version":"2012-10-17"}"#,
            "Missing required field Statement",
        ),
        (
            r#"{"Version":"2012-10-17","Statement":[]}"#,
            "Could not parse the policy: Statement is empty!",
        ),
        (
            r#"{"Version":"2012-10-18","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#,
            "The policy must contain a valid version string",
        ),
        (
            r#"{"Statement":{"Action":"s3:*","Resource":"*"}}"#,
            "Missing required field Effect",
        ),
        (
            r#"{"Statement":{"Effect":"allow","Action":"s3:*","Resource":"*"}}"#,
            "Invalid effect: allow",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Resource":"*"}}"#,
            "Missing required field Action",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":"s3:*"}}"#,
            "Missing required field Resource",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"examplebucket"}}"#,
            "Policy has invalid resource",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":"GetObject","Resource":"*"}}"#,
            "Policy has invalid action",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::*:root"},"Action":"s3:*","Resource":"*"}}"#,
            "Invalid principal in policy",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Principal":"alice","Action":"s3:*","Resource":"*"}}"#,
            "Invalid principal in policy",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Actions":"s3:*","Resource":"*"}}"#,
            "Invalid policy syntax.",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Effect":"Deny","Action":"s3:*","Resource":"*"}}"#,
            "Invalid policy syntax.",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"300.1.1.1/8"}}}}"#,
            "Invalid IP address in Conditions",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NullIfExists":{"aws:SourceIp":"true"}}}}"#,
            "Invalid Condition type : NullIfExists",
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Action":"s3:*","NotAction":"s3:Get*","Resource":"*"}}"#,
            "Invalid policy syntax.",
        ),
    ];
    for (text, s3) in cases {
        let errors = Policy::parse(text).unwrap_err();
        assert!(
            errors.iter().any(|d| d.s3_message.as_deref() == Some(s3)),
            "{text}: {errors:#?}"
        );
        for d in &errors {
            assert!(
                d.message.chars().next().is_some_and(|c| !c.is_uppercase()),
                "{}",
                d.message
            );
            assert!(!d.message.ends_with('.'), "{}", d.message);
        }
    }
}

#[test]
fn accepts_every_documented_form() {
    let text = r#"{
      "Version": "2012-10-17", "Id": "x",
      "Statement": [
        {"Sid": "1", "Effect": "Allow", "Principal": {"AWS": ["111122223333", "arn:aws:iam::111122223333:root",
           "arn:aws:iam::111122223333:user/a", "arn:aws:iam::111122223333:role/r",
           "arn:aws:sts::111122223333:assumed-role/r/s", "arn:aws:sts::111122223333:federated-user/f"],
           "CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be",
           "Service": ["logging.s3.amazonaws.com"], "Federated": "cognito-identity.amazonaws.com"},
         "Action": ["s3:Get*", "S3:listbucket"], "NotResource": "arn:aws:s3:::b/private/*",
         "Condition": {"ForAnyValue:StringLikeIfExists": {"aws:TagKeys": ["a*", "b"]},
                       "NumericLessThan": {"s3:max-keys": 10}, "Bool": {"aws:SecureTransport": true}}},
        {"Effect": "Deny", "NotPrincipal": {"AWS": "111122223333"}, "NotAction": "s3:*", "Resource": "*"}
      ]}"#;
    let p = Policy::parse(text).unwrap();
    assert_eq!(p.statements.len(), 2);
    assert_eq!(p.statements[0].conditions.len(), 3);
    assert_eq!(p.statements[0].conditions[1].values[0].value.as_ref(), "10");
    assert!(p.statements[1].principal.as_ref().unwrap().negated);
    let single =
        Policy::parse(r#"{"Statement": {"Effect": "Deny", "Action": "*", "Resource": "*"}}"#)
            .unwrap();
    assert_eq!(single.version, None);
    assert!(!single.substitutes_variables());
}

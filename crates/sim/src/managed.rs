//! Managed IAM policies: the customer managed policies an account declares
//! (`arn:aws:iam::ACCOUNT:policy/NAME`) and the few AWS managed policies for S3 the playground
//! knows by heart (`arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess`, `AmazonS3FullAccess`).
//!
//! Follows "Managed policies and inline policies"
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html>).

use serde_json::json;

use crate::world::World;

/// The AWS managed policies the playground knows, by name.
pub const AWS_MANAGED: [&str; 2] = ["AmazonS3ReadOnlyAccess", "AmazonS3FullAccess"];

/// The name at the end of a policy ARN.
pub fn name_of(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// The ARN of a customer managed policy.
pub fn customer_arn(account: &str, name: &str) -> String {
    format!("arn:aws:iam::{account}:policy/{name}")
}

/// The document of an AWS managed policy the playground knows (the statements AWS publishes).
fn aws_managed(name: &str) -> Option<serde_json::Value> {
    match name {
        "AmazonS3ReadOnlyAccess" => Some(json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Action": ["s3:Get*", "s3:List*", "s3:Describe*", "s3-object-lambda:Get*", "s3-object-lambda:List*"],
                "Resource": "*"
            }]
        })),
        "AmazonS3FullAccess" => Some(json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Action": ["s3:*", "s3-object-lambda:*"],
                "Resource": "*"
            }]
        })),
        _ => None,
    }
}

/// The document of the managed policy `arn`, seen from `account` (a customer managed policy
/// must belong to that account).
pub fn document(world: &World, account: &str, arn: &str) -> Option<serde_json::Value> {
    let rest = arn.strip_prefix("arn:aws:iam::")?;
    let (owner, path) = rest.split_once(':')?;
    let name = path.strip_prefix("policy/").map(name_of)?;
    if owner == "aws" {
        return aws_managed(name);
    }
    if owner != account {
        return None;
    }
    world
        .accounts
        .get(owner)
        .and_then(|a| a.managed_policies.get(name))
        .cloned()
}

/// A role trust policy as the policy engine reads it: trust policies name no `Resource` (the
/// role itself is the resource), so each statement without one gets `"Resource": "*"`
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html>:
/// "you do not specify the Resource element in an IAM role trust policy").
pub fn trust_policy_for_engine(doc: &serde_json::Value) -> serde_json::Value {
    let mut doc = doc.clone();
    let add = |st: &mut serde_json::Value| {
        if let Some(map) = st.as_object_mut()
            && !map.contains_key("Resource")
            && !map.contains_key("NotResource")
        {
            map.insert("Resource".to_owned(), json!("*"));
        }
    };
    match doc.get_mut("Statement") {
        Some(serde_json::Value::Array(items)) => items.iter_mut().for_each(add),
        Some(st) => add(st),
        None => {}
    }
    doc
}

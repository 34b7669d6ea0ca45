//! `aws iam …` and `aws sts get-session-token | assume-role`: the IAM and STS requests the world
//! answers (identity policies, managed policies, access keys, tags, temporary credentials), built
//! from the CLI's options the way the CLI builds them (IAM API reference; STS API reference).
//! Policy documents are sent as the JSON text given (`file://` read first); tags accept JSON
//! (`[{"Key": "team", "Value": "blue"}]`) or shorthand (`Key=team,Value=blue`).

use std::collections::BTreeMap;

use s3pg_sim::Operation;
use serde_json::{Map, Value, json};

use super::{Run, Stop, USAGE_EXIT_CODE};
use crate::args::ArgValue;
use crate::command::IdentityCommand;

/// `put-user-policy` → `PutUserPolicy`.
fn pascal(operation: &str) -> String {
    operation
        .split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// `--user-name` → `userName`.
fn camel(option: &str) -> String {
    let p = pascal(option.trim_start_matches('-'));
    let mut c = p.chars();
    c.next()
        .map(|f| f.to_ascii_lowercase().to_string() + c.as_str())
        .unwrap_or_default()
}

impl Run<'_> {
    /// Tags as a map, from JSON (`[{"Key","Value"}]`) or shorthand (`Key=k,Value=v`).
    fn tags(&self, value: &ArgValue) -> Result<BTreeMap<String, String>, Stop> {
        let v = self.structured("--tags", value)?;
        let items = match v {
            Value::Array(a) => a,
            other => vec![other],
        };
        let mut tags = BTreeMap::new();
        for item in items {
            let key = item.get("Key").and_then(Value::as_str);
            let val = item
                .get("Value")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let Some(key) = key else {
                return Err(Stop::new(
                    "\nParameter validation failed:\nMissing required parameter in Tags[0]: \"Key\"\n"
                        .to_owned(),
                    USAGE_EXIT_CODE,
                ));
            };
            tags.insert(key.to_owned(), val.to_owned());
        }
        Ok(tags)
    }

    /// Sends an IAM or STS request and prints its response body, as the CLI does.
    pub(crate) fn identity(&mut self, c: IdentityCommand) -> Result<u8, Stop> {
        let mut fields = Map::new();
        for (name, value) in &c.options {
            let field = match *name {
                "--tags" => json!(self.tags(value)?),
                "--duration-seconds" => {
                    let text = self.param_text(name, value)?;
                    match text.trim().parse::<u64>() {
                        Ok(n) => json!(n),
                        Err(_) => {
                            return Err(Stop::new(
                                format!(
                                    "\nParameter validation failed:\nInvalid type for parameter DurationSeconds, value: {text}, type: <class 'str'>, valid types: <class 'int'>\n"
                                ),
                                USAGE_EXIT_CODE,
                            ));
                        }
                    }
                }
                // The CLI-only options IAM keeps no state for.
                "--path" | "--description" => continue,
                _ => json!(self.param_text(name, value)?),
            };
            fields.insert(camel(name), field);
        }
        let request = json!({ pascal(&c.operation): Value::Object(fields) });
        let operation = match c.service {
            "iam" => s3pg_sim::read::from_value(&request).map(Operation::Iam),
            _ => s3pg_sim::read::from_value(&request).map(Operation::Sts),
        }
        .map_err(|e| {
            Stop::new(
                format!("\nthe playground cannot build this request: {e}\n"),
                USAGE_EXIT_CODE,
            )
        })?;
        let o = self.send(operation, &[]);
        Self::fail_if_error(&o)?;
        if let Some(body) = &o.body {
            self.print_json(body);
        }
        Ok(0)
    }
}

#[cfg(test)]
mod tests {
    use super::{camel, pascal};

    #[test]
    fn names_follow_the_api() {
        assert_eq!(pascal("put-user-policy"), "PutUserPolicy");
        assert_eq!(
            pascal("update-assume-role-policy"),
            "UpdateAssumeRolePolicy"
        );
        assert_eq!(camel("--user-name"), "userName");
        assert_eq!(camel("--role-arn"), "roleArn");
    }
}

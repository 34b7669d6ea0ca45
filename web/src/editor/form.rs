//! The form-based policy builder's model: a policy as rows a learner fills in (statements with
//! Sid, Effect, Principal, Action, Resource and condition rows), read from the JSON and written
//! back to it. `form(JSON) → JSON` keeps the meaning: element order inside a statement may become
//! the canonical one (IAM does not care), but every value, its single-or-list shape, and every
//! condition stay as they were. What the form cannot show (unknown elements, odd value types)
//! is refused with a reason, and the learner edits that policy as JSON.

use s3pg_policy::json::{Json, JsonKind, parse};

use super::format::{object, string, to_text, value};

/// A list of strings as written: one string, or an array.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Values {
    /// The strings.
    pub items: Vec<String>,
    /// Whether the JSON had an array (kept even for one item).
    pub list: bool,
}

impl Values {
    /// One string.
    pub fn one(s: impl Into<String>) -> Self {
        Values {
            items: vec![s.into()],
            list: false,
        }
    }

    /// The values as JSON: an array when written as one or when there is not exactly one item.
    fn to_json(&self) -> Json {
        match (self.list, self.items.as_slice()) {
            (false, [one]) => string(one.clone()),
            _ => value(JsonKind::Array(
                self.items.iter().cloned().map(string).collect(),
            )),
        }
    }
}

/// A principal element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalForm {
    /// `"*"`.
    Everyone,
    /// `{"AWS": …, "Service": …}` in the order written.
    Map(Vec<(String, Values)>),
}

/// One condition row: operator, key, values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionRow {
    /// `StringEquals`, `Bool`, …
    pub operator: String,
    /// `aws:SecureTransport`, …
    pub key: String,
    /// The values as written (a `true` or `12` literal stays a literal).
    pub values: Vec<Scalar>,
    /// Whether the JSON had an array.
    pub list: bool,
}

/// A condition value: a string, or a literal (`true`, `12`) kept as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar {
    /// The string, or the literal's text.
    pub text: String,
    /// Whether it was a JSON literal rather than a string.
    pub literal: bool,
}

impl Scalar {
    /// A string value.
    pub fn string(s: impl Into<String>) -> Self {
        Scalar {
            text: s.into(),
            literal: false,
        }
    }

    fn to_json(&self) -> Json {
        if !self.literal {
            return string(self.text.clone());
        }
        match self.text.as_str() {
            "true" => value(JsonKind::Bool(true)),
            "false" => value(JsonKind::Bool(false)),
            "null" => value(JsonKind::Null),
            n => value(JsonKind::Number(n.to_string())),
        }
    }
}

/// One statement.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StatementForm {
    /// `Sid`, if any.
    pub sid: Option<String>,
    /// `Allow` or `Deny` (kept as typed, even if misspelt: the parser reports it).
    pub effect: Option<String>,
    /// `Principal` / `NotPrincipal`.
    pub principal: Option<PrincipalForm>,
    /// Whether it is `NotPrincipal`.
    pub not_principal: bool,
    /// `Action` / `NotAction`.
    pub action: Option<Values>,
    /// Whether it is `NotAction`.
    pub not_action: bool,
    /// `Resource` / `NotResource`.
    pub resource: Option<Values>,
    /// Whether it is `NotResource`.
    pub not_resource: bool,
    /// Condition rows, grouped by operator in the order written.
    pub conditions: Vec<ConditionRow>,
    /// Whether the statement had a `Condition` element (possibly empty).
    pub has_condition: bool,
}

/// A whole policy.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PolicyForm {
    /// `Version`, if any.
    pub version: Option<String>,
    /// `Id`, if any.
    pub id: Option<String>,
    /// The statements.
    pub statements: Vec<StatementForm>,
    /// Whether `Statement` was one object rather than a list.
    pub single: bool,
}

fn describe(kind: &JsonKind) -> &'static str {
    kind.describe()
}

fn text_of(j: &Json, path: &str) -> Result<String, String> {
    match &j.kind {
        JsonKind::String(s) => Ok(s.clone()),
        other => Err(format!(
            "`{path}` is {}; the form shows strings only",
            describe(other)
        )),
    }
}

fn values_of(j: &Json, path: &str) -> Result<Values, String> {
    match &j.kind {
        JsonKind::String(s) => Ok(Values::one(s.clone())),
        JsonKind::Array(items) => Ok(Values {
            items: items
                .iter()
                .enumerate()
                .map(|(i, v)| text_of(v, &format!("{path}[{i}]")))
                .collect::<Result<_, _>>()?,
            list: true,
        }),
        other => Err(format!(
            "`{path}` is {}; the form shows strings and lists of strings",
            describe(other)
        )),
    }
}

fn scalar_of(j: &Json, path: &str) -> Result<Scalar, String> {
    match &j.kind {
        JsonKind::String(s) => Ok(Scalar::string(s.clone())),
        JsonKind::Bool(b) => Ok(Scalar {
            text: b.to_string(),
            literal: true,
        }),
        JsonKind::Number(n) => Ok(Scalar {
            text: n.clone(),
            literal: true,
        }),
        JsonKind::Null => Ok(Scalar {
            text: "null".into(),
            literal: true,
        }),
        other => Err(format!("`{path}` is {}", describe(other))),
    }
}

/// Refuses an object whose keys repeat (the form has one field per element).
fn no_duplicates(members: &[s3pg_policy::json::Member], path: &str) -> Result<(), String> {
    for (i, m) in members.iter().enumerate() {
        if members.iter().take(i).any(|n| n.key == m.key) {
            return Err(format!(
                "`{path}` repeats `{}`; fix that in the JSON",
                m.key
            ));
        }
    }
    Ok(())
}

/// Reads the form from the policy text.
pub fn from_text(text: &str) -> Result<PolicyForm, String> {
    if text.trim().is_empty() {
        return Ok(PolicyForm {
            version: Some("2012-10-17".into()),
            ..PolicyForm::default()
        });
    }
    let json = parse(text).map_err(|e| {
        let (line, column) = s3pg_policy::json::line_col(text, e.offset);
        format!("the JSON does not parse ({} at {line}:{column})", e.message)
    })?;
    from_json(&json)
}

/// Reads the form from parsed JSON.
pub fn from_json(json: &Json) -> Result<PolicyForm, String> {
    let JsonKind::Object(members) = &json.kind else {
        return Err("the policy is not a JSON object".into());
    };
    no_duplicates(members, "the policy")?;
    let mut form = PolicyForm::default();
    for m in members {
        match m.key.as_str() {
            "Version" => form.version = Some(text_of(&m.value, "Version")?),
            "Id" => form.id = Some(text_of(&m.value, "Id")?),
            "Statement" => match &m.value.kind {
                JsonKind::Array(items) => {
                    for (i, s) in items.iter().enumerate() {
                        form.statements
                            .push(statement_of(s, &format!("Statement[{i}]"))?);
                    }
                }
                JsonKind::Object(_) => {
                    form.single = true;
                    form.statements.push(statement_of(&m.value, "Statement")?);
                }
                other => {
                    return Err(format!("`Statement` is {}", describe(other)));
                }
            },
            other => return Err(format!("the form does not show the element `{other}`")),
        }
    }
    Ok(form)
}

fn statement_of(json: &Json, path: &str) -> Result<StatementForm, String> {
    let JsonKind::Object(members) = &json.kind else {
        return Err(format!("`{path}` is {}", describe(&json.kind)));
    };
    no_duplicates(members, path)?;
    let mut s = StatementForm::default();
    for m in members {
        let here = format!("{path}.{}", m.key);
        match m.key.as_str() {
            "Sid" => s.sid = Some(text_of(&m.value, &here)?),
            "Effect" => s.effect = Some(text_of(&m.value, &here)?),
            "Principal" | "NotPrincipal" => {
                if s.principal.is_some() {
                    return Err(format!("`{path}` has both `Principal` and `NotPrincipal`"));
                }
                s.not_principal = m.key == "NotPrincipal";
                s.principal = Some(match &m.value.kind {
                    JsonKind::String(star) if star == "*" => PrincipalForm::Everyone,
                    JsonKind::Object(kinds) => {
                        no_duplicates(kinds, &here)?;
                        PrincipalForm::Map(
                            kinds
                                .iter()
                                .map(|k| {
                                    Ok((
                                        k.key.clone(),
                                        values_of(&k.value, &format!("{here}.{}", k.key))?,
                                    ))
                                })
                                .collect::<Result<_, String>>()?,
                        )
                    }
                    _ => {
                        return Err(format!(
                            "`{here}` must be `\"*\"` or an object for the form to show it"
                        ));
                    }
                });
            }
            "Action" | "NotAction" => {
                if s.action.is_some() {
                    return Err(format!("`{path}` has both `Action` and `NotAction`"));
                }
                s.not_action = m.key == "NotAction";
                s.action = Some(values_of(&m.value, &here)?);
            }
            "Resource" | "NotResource" => {
                if s.resource.is_some() {
                    return Err(format!("`{path}` has both `Resource` and `NotResource`"));
                }
                s.not_resource = m.key == "NotResource";
                s.resource = Some(values_of(&m.value, &here)?);
            }
            "Condition" => {
                s.has_condition = true;
                let JsonKind::Object(ops) = &m.value.kind else {
                    return Err(format!("`{here}` is {}", describe(&m.value.kind)));
                };
                no_duplicates(ops, &here)?;
                for op in ops {
                    let op_path = format!("{here}.{}", op.key);
                    let JsonKind::Object(keys) = &op.value.kind else {
                        return Err(format!("`{op_path}` is {}", describe(&op.value.kind)));
                    };
                    no_duplicates(keys, &op_path)?;
                    if keys.is_empty() {
                        return Err(format!("`{op_path}` is empty"));
                    }
                    for k in keys {
                        let k_path = format!("{op_path}.{}", k.key);
                        let (values, list) = match &k.value.kind {
                            JsonKind::Array(items) => (
                                items
                                    .iter()
                                    .map(|v| scalar_of(v, &k_path))
                                    .collect::<Result<_, _>>()?,
                                true,
                            ),
                            _ => (vec![scalar_of(&k.value, &k_path)?], false),
                        };
                        s.conditions.push(ConditionRow {
                            operator: op.key.clone(),
                            key: k.key.clone(),
                            values,
                            list,
                        });
                    }
                }
            }
            other => {
                return Err(format!(
                    "the form does not show the element `{other}` of `{path}`"
                ));
            }
        }
    }
    Ok(s)
}

/// The policy JSON of the form (formatted).
pub fn to_text_of(form: &PolicyForm) -> String {
    to_text(&to_json(form))
}

/// The policy of the form as JSON.
pub fn to_json(form: &PolicyForm) -> Json {
    let mut members = Vec::new();
    if let Some(v) = &form.version {
        members.push(("Version".to_string(), string(v.clone())));
    }
    if let Some(id) = &form.id {
        members.push(("Id".to_string(), string(id.clone())));
    }
    let statements: Vec<Json> = form.statements.iter().map(statement_json).collect();
    let statement = match (form.single, statements.as_slice()) {
        (true, [one]) => one.clone(),
        _ => value(JsonKind::Array(statements)),
    };
    members.push(("Statement".to_string(), statement));
    object(members)
}

fn statement_json(s: &StatementForm) -> Json {
    let mut m = Vec::new();
    if let Some(sid) = &s.sid {
        m.push(("Sid".to_string(), string(sid.clone())));
    }
    if let Some(effect) = &s.effect {
        m.push(("Effect".to_string(), string(effect.clone())));
    }
    if let Some(p) = &s.principal {
        let key = if s.not_principal {
            "NotPrincipal"
        } else {
            "Principal"
        };
        let v = match p {
            PrincipalForm::Everyone => string("*"),
            PrincipalForm::Map(kinds) => object(
                kinds
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_json()))
                    .collect(),
            ),
        };
        m.push((key.to_string(), v));
    }
    if let Some(a) = &s.action {
        let key = if s.not_action { "NotAction" } else { "Action" };
        m.push((key.to_string(), a.to_json()));
    }
    if let Some(r) = &s.resource {
        let key = if s.not_resource {
            "NotResource"
        } else {
            "Resource"
        };
        m.push((key.to_string(), r.to_json()));
    }
    if s.has_condition || !s.conditions.is_empty() {
        // Rows of one operator go into one block, in the order operators first appear.
        let mut blocks: Vec<(String, Vec<(String, Json)>)> = Vec::new();
        for row in &s.conditions {
            let v = match (row.list, row.values.as_slice()) {
                (false, [one]) => one.to_json(),
                _ => value(JsonKind::Array(
                    row.values.iter().map(Scalar::to_json).collect(),
                )),
            };
            match blocks.iter_mut().find(|(op, _)| *op == row.operator) {
                Some((_, keys)) => keys.push((row.key.clone(), v)),
                None => blocks.push((row.operator.clone(), vec![(row.key.clone(), v)])),
            }
        }
        m.push((
            "Condition".to_string(),
            object(
                blocks
                    .into_iter()
                    .map(|(op, keys)| (op, object(keys)))
                    .collect(),
            ),
        ));
    }
    object(m)
}

/// Splits a field of several values (one per line or comma-separated) into its values.
pub fn split_values(field: &str) -> Vec<String> {
    field
        .split(['\n', ','])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::format::same;
    use super::*;
    use proptest::prelude::*;
    use serde_json::{Value, json};

    /// The meaning of a policy: its JSON with each statement's members in a canonical order
    /// (IAM reads a statement's elements by name, not by position).
    #[expect(
        clippy::unwrap_used,
        reason = "test helper: a failed unwrap is a failed test"
    )]
    fn meaning(text: &str) -> Value {
        let mut v: Value = serde_json::from_str(text).unwrap();
        // serde_json's map keeps insertion order; compare order-free by sorting keys.
        fn sort(v: &mut Value) {
            match v {
                Value::Object(m) => {
                    let mut entries: Vec<(String, Value)> = std::mem::take(m).into_iter().collect();
                    entries.sort_by(|a, b| a.0.cmp(&b.0));
                    for (k, mut val) in entries {
                        sort(&mut val);
                        m.insert(k, val);
                    }
                }
                Value::Array(items) => items.iter_mut().for_each(sort),
                _ => {}
            }
        }
        sort(&mut v);
        v
    }

    #[test]
    fn the_default_policy_round_trips_unchanged() {
        let state = crate::state::AppState::from_scenario_text(crate::state::DEFAULT_SCENARIO);
        let form = from_text(&state.policy_text).unwrap();
        assert_eq!(form.statements.len(), 1);
        assert_eq!(form.statements[0].conditions[0].operator, "Null");
        assert_eq!(to_text_of(&form), state.policy_text);
    }

    #[test]
    fn what_the_form_cannot_show_is_refused_with_a_reason() {
        let cases = [
            (
                r#"{"Statement": [{"Effect": "Allow", "Effect": "Deny"}]}"#,
                "repeats `Effect`",
            ),
            (r#"{"Statement": [{"Foo": 1}]}"#, "`Foo`"),
            (
                r#"{"Statement": [{"Action": 5}]}"#,
                "`Statement[0].Action` is a number",
            ),
            (
                r#"{"Statement": [{"Principal": "arn:aws:iam::1:root"}]}"#,
                "must be `\"*\"`",
            ),
            (r#"[1]"#, "not a JSON object"),
            (r#"{"Statement": [{"#, "does not parse"),
        ];
        for (text, want) in cases {
            let err = from_text(text).unwrap_err();
            assert!(err.contains(want), "{text}: {err}");
        }
    }

    #[test]
    fn literals_in_conditions_stay_literals_and_rows_regroup_by_operator() {
        let text = r#"{"Statement": [{"Effect": "Deny", "Condition": {"Bool": {"aws:SecureTransport": false}, "NumericLessThan": {"s3:TlsVersion": [1.2]}}}]}"#;
        let mut form = from_text(text).unwrap();
        assert_eq!(meaning(&to_text_of(&form)), meaning(text));
        // A row added with an existing operator joins that operator's block.
        form.statements[0].conditions.push(ConditionRow {
            operator: "Bool".into(),
            key: "aws:MultiFactorAuthPresent".into(),
            values: vec![Scalar::string("true")],
            list: false,
        });
        let out: Value = serde_json::from_str(&to_text_of(&form)).unwrap();
        assert_eq!(
            out["Statement"][0]["Condition"]["Bool"],
            json!({"aws:SecureTransport": false, "aws:MultiFactorAuthPresent": "true"})
        );
    }

    #[test]
    fn values_split_on_lines_and_commas() {
        assert_eq!(
            split_values("s3:GetObject,\n s3:PutObject\n\n"),
            ["s3:GetObject", "s3:PutObject"]
        );
    }

    fn arb_string() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-zA-Z0-9:/*._-]{0,12}",
            Just("*".to_string()),
            Just("arn:aws:s3:::b/*".to_string()),
            "\\PC{0,6}",
        ]
    }

    fn arb_values() -> impl Strategy<Value = Value> {
        prop_oneof![
            arb_string().prop_map(Value::String),
            prop::collection::vec(arb_string().prop_map(Value::String), 0..4)
                .prop_map(Value::Array),
        ]
    }

    fn arb_scalar() -> impl Strategy<Value = Value> {
        prop_oneof![
            arb_string().prop_map(Value::String),
            any::<bool>().prop_map(Value::Bool),
            (0u32..100_000).prop_map(|n| json!(n)),
        ]
    }

    fn arb_statement() -> impl Strategy<Value = Value> {
        let principal = prop_oneof![
            Just(json!("*")),
            prop::collection::btree_map(
                prop::sample::select(vec!["AWS", "Service", "Federated", "CanonicalUser"]),
                arb_values(),
                1..3
            )
            .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ];
        let condition = prop::collection::btree_map(
            prop::sample::select(vec![
                "StringEquals",
                "Bool",
                "NumericLessThan",
                "ForAnyValue:StringLike",
            ]),
            prop::collection::btree_map(
                "[a-z]{1,3}:[A-Za-z]{1,8}",
                prop_oneof![
                    arb_scalar(),
                    prop::collection::vec(arb_scalar(), 0..3).prop_map(Value::Array)
                ],
                1..3,
            ),
            0..3,
        );
        (
            prop::option::of(arb_string()),
            prop::option::of(prop::sample::select(vec!["Allow", "Deny", "allow"])),
            prop::option::of((any::<bool>(), principal)),
            prop::option::of((any::<bool>(), arb_values())),
            prop::option::of((any::<bool>(), arb_values())),
            prop::option::of(condition),
        )
            .prop_map(|(sid, effect, principal, action, resource, condition)| {
                let mut m = serde_json::Map::new();
                if let Some(s) = sid {
                    m.insert("Sid".into(), json!(s));
                }
                if let Some(e) = effect {
                    m.insert("Effect".into(), json!(e));
                }
                if let Some((not, p)) = principal {
                    m.insert(if not { "NotPrincipal" } else { "Principal" }.into(), p);
                }
                if let Some((not, a)) = action {
                    m.insert(if not { "NotAction" } else { "Action" }.into(), a);
                }
                if let Some((not, r)) = resource {
                    m.insert(if not { "NotResource" } else { "Resource" }.into(), r);
                }
                if let Some(c) = condition {
                    let c: serde_json::Map<String, Value> = c
                        .into_iter()
                        .map(|(op, keys)| {
                            (op.to_string(), Value::Object(keys.into_iter().collect()))
                        })
                        .collect();
                    m.insert("Condition".into(), Value::Object(c));
                }
                Value::Object(m)
            })
    }

    fn arb_policy() -> impl Strategy<Value = Value> {
        (
            prop::option::of(Just("2012-10-17")),
            prop::option::of(arb_string()),
            prop_oneof![
                prop::collection::vec(arb_statement(), 0..4).prop_map(Value::Array),
                arb_statement(),
            ],
        )
            .prop_map(|(version, id, statement)| {
                let mut m = serde_json::Map::new();
                if let Some(v) = version {
                    m.insert("Version".into(), json!(v));
                }
                if let Some(id) = id {
                    m.insert("Id".into(), json!(id));
                }
                m.insert("Statement".into(), statement);
                Value::Object(m)
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// form(JSON) → JSON means what the JSON meant, and reading it back gives the same form.
        #[test]
        fn form_round_trips_with_the_json(policy in arb_policy(), pretty in any::<bool>()) {
            let text = if pretty {
                serde_json::to_string_pretty(&policy).unwrap()
            } else {
                serde_json::to_string(&policy).unwrap()
            };
            let form = from_text(&text).unwrap();
            let back = to_text_of(&form);
            prop_assert_eq!(meaning(&back), meaning(&text));
            prop_assert_eq!(from_text(&back).unwrap(), form.clone());
            // Statement elements in canonical order: the printed JSON is exactly the formatted form.
            prop_assert!(same(&parse(&back).unwrap(), &to_json(&form)));
        }
    }
}

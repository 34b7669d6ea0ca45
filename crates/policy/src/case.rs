//! Evaluation cases in JSON: the input format of `s3pg eval`, the differential harness and the
//! case corpus.
//!
//! A case names the principal, action, resource, the resource's account, context keys and the
//! policy layers; see [`FIELDS`]. Unknown fields are rejected. Policies are JSON objects (or
//! strings holding policy text) and are parsed with positions, so errors point into them.

use serde::Serialize;

use crate::json::{self, Json, JsonKind};
use crate::{
    ContextKeys, ContextValue, Decision, Diagnostic, Evaluation, Layers, NamedPolicy, Policy,
    PolicySet, Principal, RequestContext, StatementRef, decide, evaluate, evaluate_layers,
    evaluate_layers_untraced, evaluate_with,
};

mod fast;

/// The fields a case may have.
pub const FIELDS: &[&str] = &[
    "principal",
    "action",
    "resource",
    "resource_account",
    "canonical_user_id",
    "context",
    "identity_policies",
    "resource_policy",
    "permissions_boundary",
    "scps",
    "rcps",
    "session_policy",
    "vpc_endpoint_policy",
    "name",
];

/// One problem with the input.
#[derive(Debug, Serialize)]
pub struct InputError {
    /// Where in the case (`identity_policies[0]`, `principal`).
    pub input: String,
    /// Lowercase message.
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Advice.
    pub help: Option<String>,
    /// For policy errors: the path inside the policy and the line/column inside its text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diagnostic: Option<Diagnostic>,
}

impl InputError {
    fn new(input: &str, message: impl Into<String>) -> Self {
        InputError {
            input: input.into(),
            message: message.into(),
            help: None,
            diagnostic: None,
        }
    }
}

/// The answer to one case.
#[derive(Serialize)]
#[serde(untagged)]
pub enum Answer {
    /// The evaluation.
    Evaluated(Box<Evaluation>),
    /// The input was invalid.
    Invalid {
        /// What is wrong.
        errors: Vec<InputError>,
    },
}

/// Evaluates every case of `text`; the flag says whether it was a batch.
pub fn run(text: &str) -> (Vec<Answer>, bool) {
    let (answers, batch) = each(text, |request, keys, layers| {
        evaluate_with(request, evaluate_layers(request, keys, layers))
    });
    let answers = answers
        .into_iter()
        .map(|a| match a {
            Ok(e) => Answer::Evaluated(Box::new(e)),
            Err(errors) => Answer::Invalid { errors },
        })
        .collect();
    (answers, batch)
}

/// Only the decision and the determining statements of every case of `text` (the same as
/// [`run`]'s, without writing the gates, the summary or the trace); the flag says whether it
/// was a batch.
pub fn run_decisions(text: &str) -> (Vec<Verdict>, bool) {
    each(text, |request, keys, layers| {
        decide(request, &evaluate_layers_untraced(request, keys, layers))
    })
}

/// One case's decision and determining statements, or what is wrong with its input.
pub type Verdict = Result<(Decision, Vec<StatementRef>), Vec<InputError>>;

/// Evaluates one case.
pub fn case(text: &str, v: &Json) -> Answer {
    match build(text, v) {
        Ok((request, set)) => Answer::Evaluated(Box::new(evaluate(&request, &set))),
        Err(errors) => Answer::Invalid { errors },
    }
}

/// Reads every case of `text` and hands each valid one to `eval`, in order.
///
/// Most batches are well-formed, so the cases are first read without positions or a tree
/// ([`fast`]), and recurring policy texts are parsed once. Positions only matter to say where
/// something is wrong: a document the fast reader does not read whole is read again with
/// positions ([`json::parse`]), and so is any case it does not accept, which then gets exactly
/// the errors [`build`] finds.
fn each<T>(
    text: &str,
    mut eval: impl FnMut(&RequestContext, &ContextKeys, &Layers<'_>) -> T,
) -> (Vec<Result<T, Vec<InputError>>>, bool) {
    let Some((cases, batch)) = fast::read(text) else {
        return slow(text, eval);
    };
    let mut cache = fast::Policies::default();
    // The document read with positions, only if some case needs it.
    let mut positioned: Option<Json> = None;
    let mut answers = Vec::with_capacity(cases.len());
    for (i, c) in cases.iter().enumerate() {
        if let Some((mut request, policies)) =
            c.build(&mut cache, |k, v| date_problem(k, v).is_none())
        {
            let keys = request.take_effective_keys();
            answers.push(Ok(eval(&request, &keys, &policies.layers())));
            continue;
        }
        if positioned.is_none() {
            match json::parse(text) {
                Ok(doc) => positioned = Some(doc),
                // Whatever serde accepted, the positioned reader has the last word.
                Err(_) => return slow(text, eval),
            }
        }
        let item = match positioned.as_ref().map(|d| (d, &d.kind)) {
            Some((_, JsonKind::Array(items))) => items.get(i),
            Some((doc, _)) => Some(doc),
            None => None,
        };
        let Some(item) = item else {
            return slow(text, eval);
        };
        answers.push(build(text, item).map(|(mut request, set)| {
            let keys = request.take_effective_keys();
            eval(&request, &keys, &set.layers())
        }));
    }
    (answers, batch)
}

/// [`each`] on a document read with positions.
fn slow<T>(
    text: &str,
    mut eval: impl FnMut(&RequestContext, &ContextKeys, &Layers<'_>) -> T,
) -> (Vec<Result<T, Vec<InputError>>>, bool) {
    let doc = match json::parse(text) {
        Ok(d) => d,
        Err(e) => {
            let (line, column) = json::line_col(text, e.offset);
            let err = InputError {
                input: String::new(),
                message: format!("invalid JSON at {line}:{column}: {}", e.message),
                help: None,
                diagnostic: None,
            };
            return (vec![Err(vec![err])], false);
        }
    };
    let mut one = |c: &Json| {
        let (mut request, set) = build(text, c)?;
        let keys = request.take_effective_keys();
        Ok(eval(&request, &keys, &set.layers()))
    };
    match &doc.kind {
        JsonKind::Array(items) => (items.iter().map(&mut one).collect(), true),
        _ => (vec![one(&doc)], false),
    }
}

fn string(v: &Json) -> Option<String> {
    match &v.kind {
        JsonKind::String(s) => Some(s.clone()),
        JsonKind::Number(n) => Some(n.clone()),
        JsonKind::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Context keys whose values are dates (IAM UG `reference_policies_condition-keys.md`; S3's
/// Object Lock key), lowercase.
const DATE_KEYS: &[&str] = &[
    "aws:currenttime",
    "aws:tokenissuetime",
    "s3:object-lock-retain-until-date",
];

/// A context value that is not a date where one is needed — a date key's value of another shape,
/// or any value written as a date (`2026-02-30`) that is not on the calendar. IAM would never
/// send such a value, so the case is refused rather than silently compared as "no date".
fn date_problem(key: &str, value: &ContextValue) -> Option<InputError> {
    let date_key = DATE_KEYS.iter().any(|d| d.eq_ignore_ascii_case(key));
    let looks_like_date = |v: &str| {
        let b = v.trim().as_bytes();
        b.len() >= 10
            && b.get(4) == Some(&b'-')
            && b.get(7) == Some(&b'-')
            && b.iter().take(4).all(u8::is_ascii_digit)
    };
    value.values().into_iter().find_map(|v| {
        if !date_key && !looks_like_date(v) {
            return None;
        }
        let err = s3pg_time::parse_iam_date(v).err()?;
        if !date_key && matches!(err.problem, s3pg_time::Problem::Shape { .. }) {
            return None;
        }
        let mut e = InputError::new(&format!("context.{key}"), err.to_string());
        e.help = Some(err.help());
        Some(e)
    })
}

/// Reads one case into a request and its policy layers: every field is read, and every problem
/// found is reported, before the case is refused.
pub fn build(text: &str, v: &Json) -> Result<(RequestContext, PolicySet), Vec<InputError>> {
    let JsonKind::Object(members) = &v.kind else {
        return Err(vec![InputError::new(
            "",
            format!("a case must be a JSON object, not {}", v.kind.describe()),
        )]);
    };
    let mut r = CaseReader {
        text,
        members,
        errors: Vec::new(),
    };
    r.unknown_fields();
    let principal = r.principal();
    let action = r.required("action");
    let resource = r.required("resource");
    let resource_account = r.optional("resource_account");
    let canonical_user_id = r.optional("canonical_user_id");
    let context = r.context();
    let identity_policies = r.list("identity_policies");
    let (scps, scp_levels) = r.scps();
    let rcps = r.list("rcps");
    let permissions_boundary = r.one("permissions_boundary", "permissions boundary");
    let session_policy = r.one("session_policy", "session policy");
    let resource_policy = r.one("resource_policy", "bucket policy");
    let vpc_endpoint_policy = r.one("vpc_endpoint_policy", "VPC endpoint policy");
    if !r.errors.is_empty() {
        return Err(r.errors);
    }
    let (Some(principal), Some(action), Some(resource)) = (principal, action, resource) else {
        return Err(r.errors);
    };
    let mut request = RequestContext::new(principal, action, resource);
    request.resource_account = resource_account;
    request.canonical_user_id = canonical_user_id;
    request.context = context;
    let set = PolicySet {
        identity_policies,
        permissions_boundary,
        scps,
        scp_levels,
        rcps,
        session_policy,
        resource_policy,
        vpc_endpoint_policy,
    };
    Ok((request, set))
}

/// One case being read by [`build`]: the document's text (a policy written as an object is cut
/// from it, so its errors point into what the learner typed), the case's fields, and the problems
/// found so far, in field order.
struct CaseReader<'a> {
    text: &'a str,
    members: &'a [json::Member],
    errors: Vec<InputError>,
}

impl<'a> CaseReader<'a> {
    /// Each field that is not one of [`FIELDS`], with a suggestion.
    fn unknown_fields(&mut self) {
        for m in self.members {
            if !FIELDS.contains(&m.key.as_str()) {
                let mut e = InputError::new(&m.key, format!("unknown field `{}`", m.key));
                e.help = Some(
                    crate::suggest::did_you_mean(&m.key, FIELDS)
                        .unwrap_or_else(|| format!("fields are {}", FIELDS.join(", "))),
                );
                self.errors.push(e);
            }
        }
    }

    /// The field `k`; `null` reads as absent.
    fn get(&self, k: &str) -> Option<&'a Json> {
        self.members
            .iter()
            .find(|m| m.key == k)
            .map(|m| &m.value)
            .filter(|v| v.kind != JsonKind::Null)
    }

    /// A field the case must have, as a string.
    fn required(&mut self, k: &str) -> Option<String> {
        match self.get(k).map(|v| (v, string(v))) {
            Some((_, Some(s))) => Some(s),
            Some((v, None)) => {
                self.errors.push(InputError::new(
                    k,
                    format!("`{k}` must be a string, not {}", v.kind.describe()),
                ));
                None
            }
            None => {
                self.errors
                    .push(InputError::new(k, format!("the case has no `{k}`")));
                None
            }
        }
    }

    /// A field the case may have, as a string.
    fn optional(&mut self, k: &str) -> Option<String> {
        let v = self.get(k)?;
        let s = string(v);
        if s.is_none() {
            self.errors
                .push(InputError::new(k, format!("`{k}` must be a string")));
        }
        s
    }

    /// `principal`: an ARN, or `anonymous`.
    fn principal(&mut self) -> Option<Principal> {
        let p = self.required("principal")?;
        match Principal::from_arn(&p) {
            Ok(p) => Some(p),
            Err(msg) => {
                let mut e = InputError::new("principal", msg);
                e.help = Some(
                    "e.g. `arn:aws:iam::111122223333:user/alice`, `arn:aws:sts::111122223333:assumed-role/App/session`, \
                     `arn:aws:iam::111122223333:root` or `anonymous`"
                        .into(),
                );
                self.errors.push(e);
                None
            }
        }
    }

    /// `context`: an object of keys, each a string or a list of strings; dates must be on the
    /// calendar.
    fn context(&mut self) -> ContextKeys {
        let mut context = ContextKeys::new();
        let Some(c) = self.get("context") else {
            return context;
        };
        let keys = match &c.kind {
            JsonKind::Object(keys) => keys,
            other => {
                self.errors.push(InputError::new(
                    "context",
                    format!("`context` must be an object, not {}", other.describe()),
                ));
                return context;
            }
        };
        for k in keys {
            let value = match &k.value.kind {
                JsonKind::Array(items) => {
                    let vals: Option<Vec<String>> = items.iter().map(string).collect();
                    vals.map(ContextValue::from)
                }
                _ => string(&k.value).map(ContextValue::from),
            };
            if let Some(e) = value.as_ref().and_then(|v| date_problem(&k.key, v)) {
                self.errors.push(e);
                continue;
            }
            match value {
                Some(v) => context.insert(k.key.clone(), v),
                None => self.errors.push(InputError::new(
                    &format!("context.{}", k.key),
                    format!(
                        "context key `{}` must be a string or a list of strings",
                        k.key
                    ),
                )),
            }
        }
        context
    }

    /// One policy at `field`: a JSON object, or a string holding the policy text.
    fn policy(&mut self, field: &str, v: &Json) -> Option<NamedPolicy> {
        let policy_text = match &v.kind {
            JsonKind::String(s) => s.clone(),
            JsonKind::Object(_) => self
                .text
                .get(v.span.start..v.span.end)
                .unwrap_or_default()
                .to_string(),
            other => {
                self.errors.push(InputError::new(
                    field,
                    format!(
                        "`{field}` must be a policy object, not {}",
                        other.describe()
                    ),
                ));
                return None;
            }
        };
        match Policy::parse(&policy_text) {
            Ok(p) => Some(NamedPolicy::new(field, p)),
            Err(diags) => {
                for d in diags {
                    self.errors.push(InputError {
                        input: field.to_string(),
                        message: d.message.clone(),
                        help: d.help.clone(),
                        diagnostic: Some(d),
                    });
                }
                None
            }
        }
    }

    /// A list of policies at `field` (or a single policy object).
    fn list(&mut self, field: &str) -> Vec<NamedPolicy> {
        match self.get(field) {
            None => Vec::new(),
            Some(Json {
                kind: JsonKind::Array(items),
                ..
            }) => items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| self.policy(&format!("{field}[{i}]"), item))
                .collect(),
            Some(
                single @ Json {
                    kind: JsonKind::Object(_),
                    ..
                },
            ) => self.policy(field, single).into_iter().collect(),
            Some(other) => {
                self.errors.push(InputError::new(
                    field,
                    format!(
                        "`{field}` must be a list of policies, not {}",
                        other.kind.describe()
                    ),
                ));
                Vec::new()
            }
        }
    }

    /// `scps`: policies (one level, the account's own) and/or arrays of policies (one array per
    /// level above the account, root first). Returns the account's own level and the levels above.
    fn scps(&mut self) -> (Vec<NamedPolicy>, Vec<Vec<NamedPolicy>>) {
        let mut scp_levels = Vec::new();
        let scps = match self.get("scps") {
            Some(Json {
                kind: JsonKind::Array(items),
                ..
            }) if items.iter().any(|i| matches!(i.kind, JsonKind::Array(_))) => {
                let mut own = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    match &item.kind {
                        JsonKind::Array(level) => scp_levels.push(
                            level
                                .iter()
                                .enumerate()
                                .filter_map(|(j, p)| self.policy(&format!("scps[{i}][{j}]"), p))
                                .collect::<Vec<_>>(),
                        ),
                        _ => own.extend(self.policy(&format!("scps[{i}]"), item)),
                    }
                }
                own
            }
            _ => self.list("scps"),
        };
        (scps, scp_levels)
    }

    /// The single policy at `field`, shown in traces as `name`.
    fn one(&mut self, field: &str, name: &str) -> Option<NamedPolicy> {
        let v = self.get(field)?;
        self.policy(field, v).map(|mut p| {
            p.name = name.to_string();
            p
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Decision;

    #[test]
    fn one_case_evaluates() {
        let (answers, batch) = run(
            r#"{"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject",
            "resource": "arn:aws:s3:::b/k", "identity_policies": [{"Version": "2012-10-17",
            "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}]}"#,
        );
        assert!(!batch);
        let Answer::Evaluated(e) = &answers[0] else {
            panic!()
        };
        assert_eq!(e.decision, Decision::Allow);
    }

    #[test]
    fn unknown_fields_and_bad_policies_are_errors() {
        let (answers, batch) = run(
            r#"[{"principal": "anonymous", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "contxt": {}},
            {"principal": "anonymous", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resource_policy": {"Statement": {"Effect": "allow"}}}]"#,
        );
        assert!(batch);
        let Answer::Invalid { errors } = &answers[0] else {
            panic!()
        };
        assert_eq!(errors[0].message, "unknown field `contxt`");
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `context`?"));
        let Answer::Invalid { errors } = &answers[1] else {
            panic!()
        };
        assert!(errors.iter().any(|e| e.message == "invalid effect `allow`"));
    }

    #[test]
    fn context_dates_off_the_calendar_are_refused() {
        let (answers, _) = run(
            r#"[{"principal": "anonymous", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k",
                 "context": {"aws:CurrentTime": "2026-02-30T00:00:00Z"}},
                {"principal": "anonymous", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k",
                 "context": {"aws:CurrentTime": "tomorrow"}},
                {"principal": "anonymous", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k",
                 "context": {"s3:prefix": "2026-02-30/report.csv", "aws:CurrentTime": "2024-02-29T00:00:00Z"}},
                {"principal": "anonymous", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k",
                 "context": {"s3:object-lock-retain-until-date": "2026-02-30"}}]"#,
        );
        let Answer::Invalid { errors } = &answers[0] else {
            panic!()
        };
        assert_eq!(errors[0].input, "context.aws:CurrentTime");
        assert_eq!(
            errors[0].message,
            "invalid time `2026-02-30T00:00:00Z`: February 2026 has 28 days, so there is no day 30"
        );
        assert_eq!(
            errors[0].help.as_deref(),
            Some("use a day between 1 and 28")
        );
        assert!(matches!(&answers[1], Answer::Invalid { .. }));
        // A string key whose value merely starts like a date is not a date.
        assert!(matches!(&answers[2], Answer::Evaluated(_)));
        assert!(matches!(&answers[3], Answer::Invalid { .. }));
    }

    /// Whatever the fast reader leaves to the positioned one, the answers are those of reading
    /// every case with positions: a bad case among good ones, a number where serde wants a
    /// string, a key written twice.
    #[test]
    fn cases_the_fast_reader_refuses_are_read_with_positions() {
        let good = r#"{"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject",
            "resource": "arn:aws:s3:::b/k", "identity_policies": [{"Version": "2012-10-17",
            "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
            "Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": "600"}}}}],
            "context": {"aws:MultiFactorAuthAge": "500"}}"#;
        let bad =
            r#"{"principal": "alice", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k"}"#;
        let number = good.replace(r#""500""#, "500");
        let twice = good.replace(
            r#""action": "s3:GetObject","#,
            r#""action": "s3:GetObject", "action": "s3:PutObject","#,
        );
        for text in [
            format!("[{good}, {bad}, {good}]"),
            format!("[{good}, {number}]"),
            format!("[{twice}]"),
            bad.to_string(),
        ] {
            let (answers, batch) = run(&text);
            let doc = json::parse(&text).unwrap();
            let slow: Vec<Answer> = match &doc.kind {
                JsonKind::Array(items) => items.iter().map(|c| case(&text, c)).collect(),
                _ => vec![case(&text, &doc)],
            };
            assert_eq!(batch, text.starts_with('['));
            assert_eq!(
                serde_json::to_string(&answers).unwrap(),
                serde_json::to_string(&slow).unwrap(),
                "{text}"
            );
        }
        let (answers, _) = run(&format!("[{good}, {bad}, {number}, {twice}]"));
        let decisions: Vec<Option<Decision>> = answers
            .iter()
            .map(|a| match a {
                Answer::Evaluated(e) => Some(e.decision),
                Answer::Invalid { .. } => None,
            })
            .collect();
        assert_eq!(
            decisions,
            [
                Some(Decision::Allow),
                None,
                Some(Decision::Allow),
                Some(Decision::Allow)
            ]
        );
        let (verdicts, _) = run_decisions(&format!("[{good}, {bad}]"));
        assert!(matches!(verdicts[0], Ok((Decision::Allow, ref d)) if d.len() == 1));
        assert!(matches!(&verdicts[1], Err(e) if e[0].input == "principal"));
    }
}

//! From policy text to a [`Policy`], with every error located.
//!
//! Grammar: IAM UG `reference_policies_grammar.md`. Where S3 rejects a document at
//! `PutBucketPolicy`, each error also carries S3's own `MalformedPolicy` message (reference §2.9).
//! Validation order follows S3's first-error behaviour: JSON → top-level members → each statement
//! (`Effect` → `Principal` → `Action` → `Resource` → `Condition`).

use std::sync::Arc;

use crate::ast::{
    ActionClause, BaseOperator, Condition, Effect, Operator, OperatorFamily, Policy,
    PrincipalClause, PrincipalEntry, PrincipalKind, Principals, ResourceClause, Spanned, Statement,
    Version,
};
use crate::diagnostic::Diagnostic;
use crate::json::{self, Json, JsonKind, Member, Span};
use crate::suggest::did_you_mean;
use crate::values;

const S3_SYNTAX: &str = "Invalid policy syntax.";

pub(crate) struct Parser<'a> {
    pub text: &'a str,
    pub errors: Vec<Diagnostic>,
}

impl<'a> Parser<'a> {
    fn err(
        &mut self,
        code: &'static str,
        span: Span,
        path: impl std::fmt::Display,
        message: String,
    ) -> &mut Diagnostic {
        self.errors.push(Diagnostic::error(
            code,
            self.text,
            span,
            &path.to_string(),
            message,
        ));
        let last = self.errors.len() - 1;
        #[expect(clippy::indexing_slicing, reason = "just pushed")]
        &mut self.errors[last]
    }

    pub(crate) fn parse(text: &'a str) -> Result<Policy, Vec<Diagnostic>> {
        let mut p = Parser {
            text,
            errors: Vec::new(),
        };
        let trimmed_start = text.len() - text.trim_start().len();
        if !text.trim_start().starts_with('{') {
            let span = Span::new(trimmed_start, (trimmed_start + 1).min(text.len()));
            let e = p.err(
                "json-syntax",
                span,
                "",
                "a policy must be a JSON object starting with `{`".into(),
            );
            e.s3_message =
                Some("Policies must be valid JSON and the first byte must be '{'".into());
            return Err(p.errors);
        }
        let doc = match json::parse(text) {
            Ok(doc) => doc,
            Err(e) => {
                let span = Span::new(e.offset, (e.offset + 1).min(text.len()));
                let d = p.err(
                    "json-syntax",
                    span,
                    "",
                    format!("invalid JSON: {}", e.message),
                );
                d.s3_message = Some("This policy contains invalid Json".into());
                return Err(p.errors);
            }
        };
        let mut doc = doc;
        // The tree is read once: its strings are moved into the policy, not copied.
        let policy = p.document(&mut doc);
        match policy {
            Some(policy) if p.errors.is_empty() => Ok(policy),
            _ => Err(p.errors),
        }
    }

    fn document(&mut self, doc: &mut Json) -> Option<Policy> {
        let doc_span = doc.span;
        let JsonKind::Object(members) = &mut doc.kind else {
            return None;
        };
        self.check_duplicates(members, Path::Str(""));
        let mut version = None;
        let mut id = None;
        let mut statements = None;
        for m in members.iter_mut() {
            match m.key.as_str() {
                "Version" => version = self.version(&m.value),
                "Id" => id = self.string_value(&mut m.value, Path::Str("Id")),
                "Statement" => statements = Some(self.statements(&mut m.value)),
                other => {
                    let help = did_you_mean(other, &["Version", "Id", "Statement"]);
                    let e = self.err(
                        "unknown-element",
                        m.key_span,
                        other,
                        format!("unknown policy element `{other}`"),
                    );
                    e.help = Some(help.unwrap_or_else(|| {
                        "a policy has only `Version`, `Id` and `Statement` (names are case-sensitive)"
                            .into()
                    }));
                    e.s3_message = Some(S3_SYNTAX.into());
                }
            }
        }
        let Some(statements) = statements else {
            let e = self.err(
                "missing-statement",
                Span::new(doc_span.start, doc_span.start + 1),
                "",
                "the policy has no `Statement`".into(),
            );
            e.help = Some("add `\"Statement\": [ … ]` with at least one statement".into());
            e.s3_message = Some("Missing required field Statement".into());
            return None;
        };
        Some(Policy {
            version,
            id,
            statements,
            size: self.text.len(),
            source: self.text.to_string(),
        })
    }

    fn check_duplicates(&mut self, members: &[Member], path: Path<'_>) {
        for (i, m) in members.iter().enumerate() {
            if members.iter().take(i).any(|earlier| earlier.key == m.key) {
                let p = Path::Join(&path, &m.key);
                let e = self.err(
                    "duplicate-element",
                    m.key_span,
                    p,
                    format!("`{}` appears more than once", m.key),
                );
                e.help =
                    Some("merge the two into one element; JSON keys must be unique here".into());
                e.s3_message = Some(S3_SYNTAX.into());
            }
        }
    }

    fn version(&mut self, v: &Json) -> Option<Version> {
        match &v.kind {
            JsonKind::String(s) if s == "2012-10-17" => Some(Version::V2012_10_17),
            JsonKind::String(s) if s == "2008-10-17" => Some(Version::V2008_10_17),
            _ => {
                let shown = display_json(self.text, v);
                let e = self.err(
                    "invalid-version",
                    v.span,
                    "Version",
                    format!("invalid policy version `{shown}`"),
                );
                e.help = Some(
                    "use `\"Version\": \"2012-10-17\"` (the only version with policy variables)"
                        .into(),
                );
                e.s3_message = Some("The policy must contain a valid version string".into());
                None
            }
        }
    }

    fn string_value(&mut self, v: &mut Json, path: Path<'_>) -> Option<String> {
        match &mut v.kind {
            JsonKind::String(s) => Some(std::mem::take(s)),
            other => {
                let e = self.err(
                    "wrong-type",
                    v.span,
                    path,
                    format!("`{path}` must be a string, not {}", other.describe()),
                );
                e.s3_message = Some(S3_SYNTAX.into());
                None
            }
        }
    }

    fn statements(&mut self, v: &mut Json) -> Vec<Statement> {
        if matches!(v.kind, JsonKind::Object(_)) {
            return self
                .statement(v, 0, Path::Str("Statement"))
                .into_iter()
                .collect();
        }
        let span = v.span;
        match &mut v.kind {
            JsonKind::Object(_) => Vec::new(),
            JsonKind::Array(items) => {
                if items.is_empty() {
                    let e = self.err(
                        "empty-statement",
                        span,
                        "Statement",
                        "`Statement` is empty".into(),
                    );
                    e.help = Some("add at least one statement object".into());
                    e.s3_message = Some("Could not parse the policy: Statement is empty!".into());
                }
                items
                    .iter_mut()
                    .enumerate()
                    .filter_map(|(i, item)| self.statement(item, i, Path::Index("Statement", i)))
                    .collect()
            }
            other => {
                let e = self.err(
                    "wrong-type",
                    span,
                    "Statement",
                    format!(
                        "`Statement` must be an object or an array of objects, not {}",
                        other.describe()
                    ),
                );
                e.s3_message = Some(S3_SYNTAX.into());
                Vec::new()
            }
        }
    }

    fn statement(&mut self, v: &mut Json, index: usize, path: Path<'_>) -> Option<Statement> {
        let span = v.span;
        let JsonKind::Object(members) = &mut v.kind else {
            let e = self.err(
                "wrong-type",
                span,
                path,
                format!("a statement must be an object, not {}", v.kind.describe()),
            );
            e.s3_message = Some(S3_SYNTAX.into());
            return None;
        };
        self.check_duplicates(members, path);
        let find = |members: &[Member], name: &str| members.iter().position(|m| m.key == name);
        const KNOWN: &[&str] = &[
            "Sid",
            "Effect",
            "Principal",
            "NotPrincipal",
            "Action",
            "NotAction",
            "Resource",
            "NotResource",
            "Condition",
        ];
        for m in members.iter() {
            if !KNOWN.contains(&m.key.as_str()) {
                let help = did_you_mean(&m.key, KNOWN);
                let e = self.err(
                    "unknown-element",
                    m.key_span,
                    Path::Join(&path, &m.key),
                    format!("unknown statement element `{}`", m.key),
                );
                e.help = Some(help.unwrap_or_else(|| {
                    format!(
                        "a statement has only {}",
                        KNOWN
                            .iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }));
                e.s3_message = Some(S3_SYNTAX.into());
            }
        }
        let sid = match find(members, "Sid").and_then(|i| members.get_mut(i)) {
            Some(m) => self.string_value(&mut m.value, Path::Join(&path, "Sid")),
            None => None,
        };
        let effect = match find(members, "Effect").and_then(|i| members.get(i)) {
            None => {
                let e = self.err(
                    "missing-effect",
                    first_byte(span),
                    path,
                    "the statement has no `Effect`".into(),
                );
                e.help = Some("add `\"Effect\": \"Allow\"` or `\"Effect\": \"Deny\"`".into());
                e.s3_message = Some("Missing required field Effect".into());
                None
            }
            Some(m) => match &m.value.kind {
                JsonKind::String(s) if s == "Allow" => Some(Effect::Allow),
                JsonKind::String(s) if s == "Deny" => Some(Effect::Deny),
                _ => {
                    let shown = display_json(self.text, &m.value);
                    let help = did_you_mean(&shown, &["Allow", "Deny"]);
                    let e = self.err(
                        "invalid-effect",
                        m.value.span,
                        Path::Join(&path, "Effect"),
                        format!("invalid effect `{shown}`"),
                    );
                    e.help = Some(help.unwrap_or_else(|| {
                        "`Effect` is `Allow` or `Deny` (case-sensitive)".into()
                    }));
                    e.s3_message = Some(format!("Invalid effect: {shown}"));
                    None
                }
            },
        };
        let principal = self.principal_clause(members, path);
        let action = self.action_clause(members, span, path);
        let resource = self.resource_clause(members, span, path);
        let conditions = match find(members, "Condition").and_then(|i| members.get_mut(i)) {
            Some(m) => self.conditions(&mut m.value, Path::Join(&path, "Condition")),
            None => Vec::new(),
        };
        Some(Statement {
            index,
            sid: sid.map(Arc::from),
            effect: effect?,
            principal,
            action: action?,
            resource,
            conditions,
            span,
        })
    }

    fn pair(
        &mut self,
        members: &[Member],
        path: Path<'_>,
        pos: &str,
        neg: &str,
    ) -> Option<(usize, bool)> {
        let p = members.iter().position(|m| m.key == pos);
        let n = members.iter().position(|m| m.key == neg);
        match (p, n) {
            (Some(_), Some(n)) => {
                let n = members.get(n)?;
                let e = self.err(
                    "conflicting-elements",
                    n.key_span,
                    Path::Join(&path, neg),
                    format!("a statement cannot have both `{pos}` and `{neg}`"),
                );
                e.help = Some(format!("keep one of `{pos}` or `{neg}`"));
                e.s3_message = Some(S3_SYNTAX.into());
                None
            }
            (Some(i), None) => Some((i, false)),
            (None, Some(i)) => Some((i, true)),
            (None, None) => None,
        }
    }

    fn principal_clause(
        &mut self,
        members: &mut [Member],
        path: Path<'_>,
    ) -> Option<PrincipalClause> {
        let (i, negated) = self.pair(members, path, "Principal", "NotPrincipal")?;
        let m = members.get_mut(i)?;
        let p = Path::Join(&path, &m.key);
        let principals = match &mut m.value.kind {
            JsonKind::String(s) if s == "*" => Principals::Any,
            JsonKind::Object(entries) => {
                self.check_duplicates(entries, p);
                let mut out = Vec::new();
                for e in entries.iter_mut() {
                    let kind = match e.key.as_str() {
                        "AWS" => PrincipalKind::Aws,
                        "CanonicalUser" => PrincipalKind::CanonicalUser,
                        "Service" => PrincipalKind::Service,
                        "Federated" => PrincipalKind::Federated,
                        other => {
                            let help = did_you_mean(
                                other,
                                &["AWS", "CanonicalUser", "Service", "Federated"],
                            );
                            let d = self.err(
                                "invalid-principal",
                                e.key_span,
                                Path::Join(&p, other),
                                format!("unknown principal type `{other}`"),
                            );
                            d.help = Some(help.unwrap_or_else(|| "principal types are `AWS`, `CanonicalUser`, `Service` and `Federated`".into()));
                            d.s3_message = Some("Invalid principal in policy".into());
                            continue;
                        }
                    };
                    let ep = Path::Join(&p, &e.key);
                    for s in self.strings(&mut e.value, ep, "Invalid principal in policy") {
                        if let Err((msg, help)) = values::check_principal(kind, &s.value) {
                            let d = self.err("invalid-principal", s.span, ep, msg);
                            d.help = Some(help);
                            d.s3_message = Some("Invalid principal in policy".into());
                        }
                        out.push(PrincipalEntry {
                            kind,
                            value: Arc::from(s.value),
                            span: s.span,
                        });
                    }
                }
                Principals::Listed(out)
            }
            _ => {
                let shown = display_json(self.text, &m.value);
                let d = self.err(
                    "invalid-principal",
                    m.value.span,
                    p,
                    format!("invalid principal `{shown}`"),
                );
                d.help = Some("write `\"*\"` or an object such as `{\"AWS\": \"arn:aws:iam::111122223333:root\"}`".into());
                d.s3_message = Some("Invalid principal in policy".into());
                return None;
            }
        };
        Some(PrincipalClause {
            negated,
            principals,
            span: m.value.span,
        })
    }

    fn action_clause(
        &mut self,
        members: &mut [Member],
        span: Span,
        path: Path<'_>,
    ) -> Option<ActionClause> {
        let Some((i, negated)) = self.pair(members, path, "Action", "NotAction") else {
            if !members
                .iter()
                .any(|m| m.key == "Action" || m.key == "NotAction")
            {
                let e = self.err(
                    "missing-action",
                    first_byte(span),
                    path,
                    "the statement has no `Action`".into(),
                );
                e.help = Some("add `\"Action\": \"s3:GetObject\"` (or a list of actions)".into());
                e.s3_message = Some("Missing required field Action".into());
            }
            return None;
        };
        let m = members.get_mut(i)?;
        let p = Path::Join(&path, &m.key);
        let actions = self.strings(&mut m.value, p, "Policy has invalid action");
        for a in &actions {
            if let Err((msg, help)) = values::check_action(&a.value) {
                let e = self.err("invalid-action", a.span, p, msg);
                e.help = Some(help);
                e.s3_message = Some("Policy has invalid action".into());
            }
        }
        Some(ActionClause {
            negated,
            actions: shared(actions),
            span: m.value.span,
        })
    }

    fn resource_clause(
        &mut self,
        members: &mut [Member],
        span: Span,
        path: Path<'_>,
    ) -> Option<ResourceClause> {
        let Some((i, negated)) = self.pair(members, path, "Resource", "NotResource") else {
            if !members
                .iter()
                .any(|m| m.key == "Resource" || m.key == "NotResource")
            {
                let e = self.err(
                    "missing-resource",
                    first_byte(span),
                    path,
                    "the statement has no `Resource`".into(),
                );
                e.help = Some("add `\"Resource\": \"arn:aws:s3:::examplebucket/*\"` (objects) or the bucket ARN".into());
                e.s3_message = Some("Missing required field Resource".into());
            }
            return None;
        };
        let m = members.get_mut(i)?;
        let p = Path::Join(&path, &m.key);
        let resources = self.strings(&mut m.value, p, "Policy has invalid resource");
        for r in &resources {
            if let Err((msg, help)) = values::check_resource(&r.value) {
                let e = self.err("invalid-resource", r.span, p, msg);
                e.help = Some(help);
                e.s3_message = Some("Policy has invalid resource".into());
            }
        }
        Some(ResourceClause {
            negated,
            resources: shared(resources),
            span: m.value.span,
        })
    }

    /// A string or a non-empty array of strings.
    fn strings(&mut self, v: &mut Json, path: Path<'_>, s3: &str) -> Vec<Spanned<String>> {
        let span = v.span;
        match &mut v.kind {
            JsonKind::String(s) => vec![Spanned {
                value: std::mem::take(s),
                span,
            }],
            JsonKind::Array(items) if !items.is_empty() => {
                let mut out = Vec::with_capacity(items.len());
                for item in items.iter_mut() {
                    match &mut item.kind {
                        JsonKind::String(s) => out.push(Spanned {
                            value: std::mem::take(s),
                            span: item.span,
                        }),
                        other => {
                            let e = self.err(
                                "wrong-type",
                                item.span,
                                path,
                                format!(
                                    "`{path}` entries must be strings, not {}",
                                    other.describe()
                                ),
                            );
                            e.s3_message = Some(s3.into());
                        }
                    }
                }
                out
            }
            JsonKind::Array(_) => {
                let e = self.err(
                    "empty-list",
                    v.span,
                    path,
                    format!("`{path}` is an empty list"),
                );
                e.help = Some("list at least one value".into());
                e.s3_message = Some(s3.into());
                Vec::new()
            }
            other => {
                let e = self.err(
                    "wrong-type",
                    v.span,
                    path,
                    format!(
                        "`{path}` must be a string or a list of strings, not {}",
                        other.describe()
                    ),
                );
                e.s3_message = Some(s3.into());
                Vec::new()
            }
        }
    }

    fn conditions(&mut self, v: &mut Json, path: Path<'_>) -> Vec<Condition> {
        let span = v.span;
        let JsonKind::Object(ops) = &mut v.kind else {
            let e = self.err(
                "wrong-type",
                span,
                path,
                format!("`Condition` must be an object, not {}", v.kind.describe()),
            );
            e.help = Some(
                "write `\"Condition\": {\"StringEquals\": {\"aws:username\": \"alice\"}}`".into(),
            );
            e.s3_message = Some(S3_SYNTAX.into());
            return Vec::new();
        };
        self.check_duplicates(ops, path);
        let mut out = Vec::new();
        for op in ops.iter_mut() {
            let op_path = Path::Join(&path, &op.key);
            let Some(operator) = Operator::parse(&op.key) else {
                let names: Vec<String> = BaseOperator::ALL
                    .iter()
                    .map(|b| b.name().to_string())
                    .collect();
                let bare = op
                    .key
                    .trim_start_matches("ForAnyValue:")
                    .trim_start_matches("ForAllValues:");
                let bare = bare.strip_suffix("IfExists").unwrap_or(bare);
                let refs: Vec<&str> = names.iter().map(String::as_str).collect();
                let help = if bare == "Null" {
                    Some(
                        "`Null` has no `IfExists` form: it already tests whether the key exists"
                            .to_string(),
                    )
                } else {
                    did_you_mean(bare, &refs)
                };
                let e = self.err(
                    "unknown-operator",
                    op.key_span,
                    op_path,
                    format!("unknown condition operator `{}`", op.key),
                );
                e.help = Some(help.unwrap_or_else(|| "operator names are case-sensitive, e.g. `StringEquals`, `ArnLike`, `IpAddress`, `Bool`".into()));
                e.s3_message = Some(format!("Invalid Condition type : {}", op.key));
                continue;
            };
            let op_span = op.value.span;
            let JsonKind::Object(keys) = &mut op.value.kind else {
                let e = self.err(
                    "wrong-type",
                    op_span,
                    op_path,
                    format!(
                        "the value of `{}` must be an object of condition keys",
                        op.key
                    ),
                );
                e.s3_message = Some(S3_SYNTAX.into());
                continue;
            };
            if keys.is_empty() {
                let e = self.err(
                    "empty-list",
                    op_span,
                    op_path,
                    format!("`{}` names no condition key", op.key),
                );
                e.s3_message = Some(S3_SYNTAX.into());
            }
            self.check_duplicates(keys, op_path);
            for k in keys.iter_mut() {
                let key_path = Path::Join(&op_path, &k.key);
                let values = self.condition_values(&mut k.value, key_path);
                for val in &values {
                    if let Err((msg, help, s3)) =
                        values::check_condition_value(&operator, &val.value)
                    {
                        let e = self.err("invalid-condition-value", val.span, key_path, msg);
                        e.help = Some(help);
                        e.s3_message = Some(s3.into());
                    }
                }
                if operator.base.family() == OperatorFamily::Null && values.len() > 1 {
                    // Allowed by AWS but meaningless; the lint explains it.
                }
                out.push(Condition {
                    operator: operator.clone(),
                    key: Arc::from(std::mem::take(&mut k.key)),
                    values: shared(values),
                    operator_span: op.key_span,
                    key_span: k.key_span,
                });
            }
        }
        out
    }

    /// Condition values: strings, numbers or booleans, alone or in an array.
    fn condition_values(&mut self, v: &mut Json, path: Path<'_>) -> Vec<Spanned<String>> {
        let span = v.span;
        let scalar = |j: &mut Json| match &mut j.kind {
            JsonKind::String(s) => Some(std::mem::take(s)),
            JsonKind::Number(n) => Some(std::mem::take(n)),
            JsonKind::Bool(b) => Some(b.to_string()),
            _ => None,
        };
        let items: Vec<&mut Json> = match &mut v.kind {
            JsonKind::Array(items) => {
                if items.is_empty() {
                    let e = self.err("empty-list", span, path, format!("`{path}` has no values"));
                    e.s3_message = Some(S3_SYNTAX.into());
                }
                items.iter_mut().collect()
            }
            _ => vec![v],
        };
        let mut out = Vec::new();
        for item in items {
            match scalar(item) {
                Some(s) => out.push(Spanned {
                    value: s,
                    span: item.span,
                }),
                None => {
                    let e = self.err(
                        "wrong-type",
                        item.span,
                        path,
                        format!(
                            "condition values must be strings, numbers or booleans, not {}",
                            item.kind.describe()
                        ),
                    );
                    e.s3_message = Some(S3_SYNTAX.into());
                }
            }
        }
        out
    }
}

/// The parsed strings as shared text: traces then clone a pointer, not the string.
fn shared(v: Vec<Spanned<String>>) -> Vec<Spanned<Arc<str>>> {
    v.into_iter()
        .map(|s| Spanned {
            value: Arc::from(s.value),
            span: s.span,
        })
        .collect()
}

fn first_byte(span: Span) -> Span {
    Span::new(span.start, span.start + 1)
}

/// Where an element is in the policy, written out only for an error:
/// `Statement[0]` + `Effect` → `Statement[0].Effect`.
#[derive(Clone, Copy)]
pub(crate) enum Path<'a> {
    /// A path as written (`""` for the document, `Statement`, `Version`).
    Str(&'a str),
    /// `Statement[i]`.
    Index(&'a str, usize),
    /// A key below another path.
    Join(&'a Path<'a>, &'a str),
}

impl Path<'_> {
    fn is_empty(&self) -> bool {
        match self {
            Path::Str(s) => s.is_empty(),
            Path::Index(..) => false,
            Path::Join(parent, key) => parent.is_empty() && key.is_empty(),
        }
    }
}

impl std::fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Path::Str(s) => f.write_str(s),
            Path::Index(name, i) => write!(f, "{name}[{i}]"),
            Path::Join(parent, key) if parent.is_empty() => f.write_str(key),
            Path::Join(parent, key) => write!(f, "{parent}.{key}"),
        }
    }
}

/// The value as the learner typed it (strings without quotes).
fn display_json(text: &str, v: &Json) -> String {
    match &v.kind {
        JsonKind::String(s) => s.clone(),
        _ => text
            .get(v.span.start..v.span.end)
            .unwrap_or_default()
            .chars()
            .take(60)
            .collect(),
    }
}

#[cfg(test)]
mod tests;

//! Evaluating one condition (operator, key, values) against the request context.
//!
//! Follows IAM UG `reference_policies_elements_condition_operators.md` and
//! `reference_policies_condition-single-vs-multi-valued-context-keys.md`:
//! several values for one key are OR-ed (for negated operators: the request value must differ from
//! all of them); a missing key makes a positive operator false and a negated one true, unless
//! `…IfExists` (true); `ForAnyValue` is false and `ForAllValues` true on a missing or empty key.

use std::fmt::Write as _;
use std::net::IpAddr;
use std::sync::Arc;

use serde::Serialize;

use crate::ast::{BaseOperator, Condition, Operator, OperatorFamily, SetQualifier, Spanned};
use crate::context::{ContextKeys, ContextValue};
use crate::json::Span;
use crate::values::{parse_cidr, parse_date, parse_number};
use crate::variables::{VariableUse, append_uses, has_variable, substitute};
use crate::wildcard::{Pattern, Token};

/// The trace of one condition.
///
/// The sentence ([`ConditionTrace::explanation`]) and the fact ([`ConditionTrace::fact`]) are
/// written only when asked for, or when the trace is serialised.
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionTrace {
    /// The operator (it displays as written: `StringNotEquals`).
    pub operator: Operator,
    /// The key as written.
    pub key: Arc<str>,
    /// The policy values after variable substitution (`(no value)` for a variable with none).
    pub policy_values: Vec<Arc<str>>,
    /// The request's value for the key, shared with the context (`None` = the key is absent).
    /// It reads as a list of values in the serialised trace.
    pub request_values: Option<ContextValue>,
    /// Variables substituted in the policy values.
    pub variables: Vec<VariableUse>,
    /// Whether the condition holds.
    pub matched: bool,
    /// Where the operator is in the policy text.
    pub span: Span,
}

impl ConditionTrace {
    /// A short fact about the request usable after "because", e.g. ``the request has no
    /// `x-amz-acl` header``.
    pub fn fact(&self) -> String {
        let multi = self
            .request_values
            .as_ref()
            .is_some_and(ContextValue::is_multi);
        describe_fact(
            &self.key,
            self.request_values.as_ref().map(ContextValue::as_slice),
            multi,
        )
    }

    /// One plain-language sentence: what was compared and the verdict.
    pub fn explanation(&self) -> String {
        let op = &self.operator;
        let base = op.base;
        let fact = self.fact();
        let verdict = if self.matched {
            "matched"
        } else {
            "not matched"
        };
        let absent = self
            .request_values
            .as_ref()
            .is_none_or(|v| v.as_slice().is_empty());
        let mut explanation = String::with_capacity(128);
        let _ = write!(explanation, "`{}` on `{}` ", self.operator, self.key);
        explanation.push_str(if base == BaseOperator::Null {
            "expected "
        } else {
            "compared with "
        });
        if self.policy_values.len() > 1 {
            explanation.push_str("one of ");
        }
        for (i, v) in self.policy_values.iter().enumerate() {
            if i > 0 {
                explanation.push_str(", ");
            }
            let _ = write!(explanation, "`{v}`");
        }
        if base == BaseOperator::Null {
            let _ = write!(explanation, " (`true` = absent); {fact} → {verdict}");
        } else if absent {
            let why = match op.qualifier {
                Some(SetQualifier::ForAnyValue) => {
                    "`ForAnyValue` is false when the key is absent or empty (even with `IfExists`)"
                }
                Some(SetQualifier::ForAllValues) => {
                    "`ForAllValues` is true when the key is absent or empty (nothing fails to match)"
                }
                None if op.if_exists => "`…IfExists` holds when the key is absent",
                None if base.is_negated() => "a negated operator holds when the key is absent",
                None => "a positive operator is false when the key is absent",
            };
            let _ = write!(explanation, ": {fact}, and {why} → {verdict}");
        } else {
            let _ = write!(explanation, ": {fact} → {verdict}");
        }
        if let Some(v) = self.variables.iter().find(|v| v.value.is_none()) {
            let _ = write!(
                explanation,
                " (the variable `{}` has no value in this request, so it equals nothing)",
                v.written
            );
        }
        explanation
    }
}

impl Serialize for ConditionTrace {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let mut st = serializer.serialize_struct("ConditionTrace", 9)?;
        st.serialize_field("operator", &AsText(&self.operator))?;
        st.serialize_field("key", &self.key)?;
        st.serialize_field("policy_values", &self.policy_values)?;
        st.serialize_field(
            "request_values",
            &self.request_values.as_ref().map(ContextValue::as_slice),
        )?;
        if !self.variables.is_empty() {
            st.serialize_field("variables", &self.variables)?;
        }
        st.serialize_field("matched", &self.matched)?;
        st.serialize_field("fact", &self.fact())?;
        st.serialize_field("explanation", &self.explanation())?;
        st.serialize_field("span", &self.span)?;
        st.end()
    }
}

/// Serialises a value as the text it displays.
struct AsText<'a, T>(&'a T);

impl<T: std::fmt::Display> Serialize for AsText<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self.0)
    }
}

/// A policy value after substitution.
enum PolicyValue<'a> {
    /// Written without variables: matched as typed.
    Text(&'a Arc<str>),
    /// After substituting variables (escapes and request values are literal characters).
    Pattern(Pattern),
    /// A variable had no value: equals nothing.
    NoValue,
}

impl PolicyValue<'_> {
    fn display(&self) -> Arc<str> {
        match self {
            PolicyValue::Text(t) => Arc::clone(t),
            PolicyValue::Pattern(p) => Arc::from(p.text()),
            PolicyValue::NoValue => "(no value)".into(),
        }
    }
}

/// A condition's values: as written (nothing to substitute, the usual case: no list is built),
/// or after substitution.
enum PolicyValues<'a> {
    Written(&'a [Spanned<Arc<str>>]),
    Substituted(Vec<PolicyValue<'a>>),
}

impl PolicyValues<'_> {
    /// Whether `f` holds for some value.
    fn any(&self, mut f: impl FnMut(&PolicyValue<'_>) -> bool) -> bool {
        match self {
            PolicyValues::Written(values) => values.iter().any(|v| f(&PolicyValue::Text(&v.value))),
            PolicyValues::Substituted(values) => values.iter().any(f),
        }
    }

    /// The values as the trace shows them.
    fn display(&self) -> Vec<Arc<str>> {
        match self {
            PolicyValues::Written(values) => values.iter().map(|v| Arc::clone(&v.value)).collect(),
            PolicyValues::Substituted(values) => values.iter().map(PolicyValue::display).collect(),
        }
    }
}

/// Evaluates `condition` against `keys`; `variables` says whether `${…}` is substituted.
pub fn evaluate_condition(
    condition: &Condition,
    keys: &ContextKeys,
    variables: bool,
) -> ConditionTrace {
    let mut used = Vec::new();
    let policy_values = policy_values(condition, keys, variables, &mut used);
    let request = keys.get(&condition.key);
    let matched = holds(condition, &policy_values, request);
    ConditionTrace {
        operator: condition.operator.clone(),
        key: Arc::clone(&condition.key),
        policy_values: policy_values.display(),
        request_values: request.cloned(),
        variables: used,
        matched,
        span: condition.operator_span,
    }
}

/// Whether `condition` holds, without its trace: the same answer as [`evaluate_condition`]'s
/// `matched`, for callers that only need the decision.
pub(crate) fn condition_holds(condition: &Condition, keys: &ContextKeys, variables: bool) -> bool {
    let mut used = Vec::new();
    let policy_values = policy_values(condition, keys, variables, &mut used);
    holds(condition, &policy_values, keys.get(&condition.key))
}

/// The condition's values after variable substitution (variables met are added to `used`).
fn policy_values<'c>(
    condition: &'c Condition,
    keys: &ContextKeys,
    variables: bool,
    used: &mut Vec<VariableUse>,
) -> PolicyValues<'c> {
    let substitutes = variables
        && condition.operator.base.takes_variables()
        && condition.values.iter().any(|v| has_variable(&v.value));
    if !substitutes {
        return PolicyValues::Written(&condition.values);
    }
    PolicyValues::Substituted(
        condition
            .values
            .iter()
            .map(|v| {
                if !has_variable(&v.value) {
                    return PolicyValue::Text(&v.value);
                }
                let s = substitute(&v.value, keys, true);
                append_uses(used, s.variables);
                match s.pattern {
                    Some(p) => PolicyValue::Pattern(p),
                    None => PolicyValue::NoValue,
                }
            })
            .collect(),
    )
}

/// The operator's verdict on the policy values and the request's value for the key.
fn holds(
    condition: &Condition,
    policy_values: &PolicyValues<'_>,
    request: Option<&ContextValue>,
) -> bool {
    let op = &condition.operator;
    let base = op.base;
    let values: &[Arc<str>] = request.map_or(&[], ContextValue::as_slice);
    let absent = values.is_empty();
    if base == BaseOperator::Null {
        // "true" asks for absence, "false" for presence; several values are OR-ed.
        return policy_values.any(|p| {
            let want_absent = match p {
                PolicyValue::Text(t) => t.eq_ignore_ascii_case("true"),
                PolicyValue::Pattern(p) => p.text().eq_ignore_ascii_case("true"),
                PolicyValue::NoValue => false,
            };
            want_absent == absent
        });
    }
    if absent {
        // `ForAnyValue` needs at least one value to match, so it is false on a missing key even
        // with `IfExists` (observed on AWS: re:Post "ForAnyValue:StringEqualsIfExists behaving
        // unexpectedly"); `ForAllValues` is vacuously true.
        return match op.qualifier {
            Some(SetQualifier::ForAnyValue) => false,
            Some(SetQualifier::ForAllValues) => true,
            None if op.if_exists => true,
            None => base.is_negated(),
        };
    }
    let single = |v: &str| -> bool {
        let any = policy_values.any(|p| compare(base.positive(), v, p));
        if base.is_negated() { !any } else { any }
    };
    match op.qualifier {
        Some(SetQualifier::ForAnyValue) => values.iter().any(|v| single(v)),
        Some(SetQualifier::ForAllValues) => values.iter().all(|v| single(v)),
        None => {
            // A multivalued key without a set qualifier: true if any request value matches
            // (for negated operators: if no request value matches any policy value).
            let any = values
                .iter()
                .any(|v| policy_values.any(|p| compare(base.positive(), v, p)));
            if base.is_negated() { !any } else { any }
        }
    }
}

/// ``the request has no `x-amz-acl` header`` / `` `aws:SecureTransport` is `false` ``.
fn describe_fact(key: &str, values: Option<&[Arc<str>]>, multi: bool) -> String {
    let lower = key.to_ascii_lowercase();
    let header = lower
        .strip_prefix("s3:")
        .filter(|h| h.starts_with("x-amz-"));
    match values {
        Some([]) if multi => format!("`{key}` is an empty list"),
        None | Some([]) => match header {
            Some(_) => format!(
                "the request has no `{}` header",
                key.get(3..).unwrap_or(key)
            ),
            None => format!("the request has no `{key}`"),
        },
        Some([one]) if !multi => format!("`{key}` is `{one}`"),
        Some(many) => format!(
            "`{key}` is [{}]",
            many.iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Compares one request value with one policy value under a positive operator.
fn compare(op: BaseOperator, request: &str, policy: &PolicyValue<'_>) -> bool {
    let text: std::borrow::Cow<'_, str> = match policy {
        // A variable with no value equals nothing.
        PolicyValue::NoValue => return false,
        PolicyValue::Text(t) => std::borrow::Cow::Borrowed(t),
        PolicyValue::Pattern(p) => {
            // Substituted values keep escaped `*`/`?` literal: match on the tokens.
            match op {
                BaseOperator::StringLike => return p.matches(request),
                BaseOperator::ArnEquals | BaseOperator::ArnLike => {
                    return pattern_matches_arn(p, request);
                }
                _ => std::borrow::Cow::Borrowed(p.text()),
            }
        }
    };
    let text = text.as_ref();
    match op.family() {
        OperatorFamily::String => match op {
            BaseOperator::StringLike => crate::wildcard::wildcard_match(text, request),
            BaseOperator::StringEqualsIgnoreCase => {
                text == request || text.to_lowercase() == request.to_lowercase()
            }
            _ => text == request,
        },
        OperatorFamily::Numeric => match (parse_number(request), parse_number(text)) {
            (Some(r), Some(p)) => match op {
                BaseOperator::NumericEquals => r == p,
                BaseOperator::NumericLessThan => r < p,
                BaseOperator::NumericLessThanEquals => r <= p,
                BaseOperator::NumericGreaterThan => r > p,
                BaseOperator::NumericGreaterThanEquals => r >= p,
                _ => false,
            },
            _ => false,
        },
        OperatorFamily::Date => match (parse_date(request), parse_date(text)) {
            (Some(r), Some(p)) => match op {
                BaseOperator::DateEquals => r == p,
                BaseOperator::DateLessThan => r < p,
                BaseOperator::DateLessThanEquals => r <= p,
                BaseOperator::DateGreaterThan => r > p,
                BaseOperator::DateGreaterThanEquals => r >= p,
                _ => false,
            },
            _ => false,
        },
        OperatorFamily::Bool => text.eq_ignore_ascii_case(request),
        OperatorFamily::Binary => text == request,
        OperatorFamily::Ip => {
            let Some(net) = parse_cidr(text) else {
                return false;
            };
            let addr = request
                .trim()
                .parse::<IpAddr>()
                .ok()
                .or_else(|| parse_cidr(request).map(|n| n.addr()));
            addr.is_some_and(|a| net.contains(&a))
        }
        OperatorFamily::Arn => arn_matches_str(text, request),
        OperatorFamily::Null => false,
    }
}

/// [`arn_matches`] on a pattern: as text when every `*` and `?` in it is a wildcard.
pub(crate) fn pattern_matches_arn(pattern: &Pattern, arn: &str) -> bool {
    match pattern.plain_text() {
        Some(text) => arn_matches_str(text, arn),
        None => arn_matches(pattern.tokens(), arn),
    }
}

/// [`arn_matches`] on a pattern written without variables, without compiling it.
pub fn arn_matches_str(pattern: &str, arn: &str) -> bool {
    // Without wildcards every part must be equal, so the whole ARN is.
    // Bytes, not characters: `*`, `?` and `:` are ASCII, and no byte of a longer UTF-8 sequence
    // is. One pass finds the first wildcard and counts the colons before it.
    let mut colons = 0;
    let mut first_wildcard = None;
    for (i, b) in pattern.bytes().enumerate() {
        match b {
            b':' => colons += 1,
            b'*' | b'?' => {
                first_wildcard = Some(i);
                break;
            }
            _ => {}
        }
    }
    let Some(first_wildcard) = first_wildcard else {
        return pattern == arn;
    };
    // The literal text before the first wildcard must start the ARN (parts line up, since no
    // wildcard in it can span a colon).
    let literal = pattern.as_bytes().get(..first_wildcard).unwrap_or_default();
    if !arn.as_bytes().starts_with(literal) {
        return false;
    }
    // Usually all five colons come before the first wildcard (`arn:aws:s3:::bucket/*`): the
    // first five parts are then equal, and the rest is the last part's match from the wildcard on.
    if colons >= 5 {
        return match (pattern.get(first_wildcard..), arn.get(first_wildcard..)) {
            (Some(p), Some(a)) => crate::wildcard::wildcard_match(p, a),
            _ => false,
        };
    }
    // Part by part: the first five colons separate parts; the last part takes the rest.
    let (mut p_rest, mut a_rest) = (pattern, arn);
    for _ in 0..5 {
        match (p_rest.split_once(':'), a_rest.split_once(':')) {
            (Some((p, p_next)), Some((a, a_next))) => {
                if !crate::wildcard::wildcard_match(p, a) {
                    return false;
                }
                p_rest = p_next;
                a_rest = a_next;
            }
            // The pattern has no more colons: its last part takes the rest of the ARN.
            (None, _) => break,
            (Some(_), None) => return false,
        }
    }
    crate::wildcard::wildcard_match(p_rest, a_rest)
}

/// Matches an ARN pattern part by part (wildcards never span the colons between the first five
/// parts; the last pattern part takes the rest of the ARN). Used for `Resource` and `Arn*`.
pub fn arn_matches(pattern: &[Token], arn: &str) -> bool {
    let (mut p_rest, mut a_rest) = (pattern, arn);
    for _ in 0..5 {
        let Some(i) = p_rest.iter().position(|t| *t == Token::Literal(':')) else {
            // The pattern has no more colons: its last part takes the rest of the ARN.
            break;
        };
        let Some((part, a_next)) = a_rest.split_once(':') else {
            return false;
        };
        let group = p_rest.get(..i).unwrap_or_default();
        if !crate::wildcard::matches_token_slice(group, part, false) {
            return false;
        }
        p_rest = p_rest.get(i + 1..).unwrap_or_default();
        a_rest = a_next;
    }
    crate::wildcard::matches_token_slice(p_rest, a_rest, false)
}

#[cfg(test)]
mod tests;

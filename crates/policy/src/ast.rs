//! The parsed form of an IAM policy document.
//!
//! Follows the IAM JSON policy grammar (IAM UG `reference_policies_grammar.md`,
//! https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html). Every element
//! keeps its [`Span`] so that traces and diagnostics can point into the text the learner typed.

use std::sync::Arc;

use serde::Serialize;

use crate::json::Span;

/// A string from the policy with its place in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Spanned<T> {
    /// The value (for strings: unescaped, as written).
    pub value: T,
    /// Where it is.
    pub span: Span,
}

/// The policy language version (`Version` element, IAM UG `reference_policies_elements_version.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Version {
    /// `2012-10-17`: the current language; policy variables are substituted.
    #[serde(rename = "2012-10-17")]
    V2012_10_17,
    /// `2008-10-17`: the legacy language; `${…}` is literal text.
    #[serde(rename = "2008-10-17")]
    V2008_10_17,
}

/// A whole policy document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Policy {
    /// `Version`, if present. Absent behaves like `2008-10-17` (variables are literal).
    pub version: Option<Version>,
    /// `Id`, if present.
    pub id: Option<String>,
    /// The statements, in document order.
    pub statements: Vec<Statement>,
    /// Size of the source text in bytes.
    pub size: usize,
    /// The text the policy was parsed from (diagnostics point into it).
    #[serde(skip)]
    pub source: String,
}

impl Policy {
    /// Whether `${…}` policy variables are substituted (only with `Version` `2012-10-17`).
    pub fn substitutes_variables(&self) -> bool {
        self.version == Some(Version::V2012_10_17)
    }
}

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Effect {
    /// Grants (or, in a cap layer, permits) the request.
    Allow,
    /// Explicitly denies the request: overrides every `Allow`.
    Deny,
}

impl std::fmt::Display for Effect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        })
    }
}

/// One statement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statement {
    /// 0-based position in the `Statement` array (0 when `Statement` is a single object).
    pub index: usize,
    /// `Sid`, if present.
    pub sid: Option<Arc<str>>,
    /// `Effect`.
    pub effect: Effect,
    /// `Principal` or `NotPrincipal`, if present (resource-based policies only).
    pub principal: Option<PrincipalClause>,
    /// `Action` or `NotAction`.
    pub action: ActionClause,
    /// `Resource` or `NotResource`. Absent only in trust policies, which this engine does not evaluate.
    pub resource: Option<ResourceClause>,
    /// The conditions: one per (operator, key) pair, all of which must hold (AND).
    pub conditions: Vec<Condition>,
    /// The whole statement object.
    pub span: Span,
}

impl Statement {
    /// How the statement is named in messages: its `Sid`, or `#N` (1-based) without one.
    pub fn label(&self) -> String {
        match &self.sid {
            Some(sid) if !sid.is_empty() => format!("`{sid}`"),
            _ => format!("#{}", self.index + 1),
        }
    }
}

/// `Principal` (`negated == false`) or `NotPrincipal`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrincipalClause {
    /// `true` for `NotPrincipal`.
    pub negated: bool,
    /// The principals named.
    pub principals: Principals,
    /// Where the element value is.
    pub span: Span,
}

/// The value of a `Principal` element.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Principals {
    /// `"*"`: everyone, including anonymous callers.
    Any,
    /// `{"AWS": …, "Service": …, …}`: entries in document order.
    Listed(Vec<PrincipalEntry>),
}

/// The namespaces of principal identifiers (IAM UG `reference_policies_elements_principal.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PrincipalKind {
    /// `AWS`: account ids, account root ARNs, IAM users, roles, role sessions, federated users, or `*`.
    #[serde(rename = "AWS")]
    Aws,
    /// `CanonicalUser`: an account's 64-hex-digit canonical user id (S3).
    CanonicalUser,
    /// `Service`: an AWS service principal such as `logging.s3.amazonaws.com`.
    Service,
    /// `Federated`: a web identity or SAML provider.
    Federated,
}

impl PrincipalKind {
    /// The JSON key (`AWS`, `CanonicalUser`, `Service`, `Federated`).
    pub fn key(self) -> &'static str {
        match self {
            PrincipalKind::Aws => "AWS",
            PrincipalKind::CanonicalUser => "CanonicalUser",
            PrincipalKind::Service => "Service",
            PrincipalKind::Federated => "Federated",
        }
    }
}

/// One identifier in a `Principal` map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrincipalEntry {
    /// The namespace.
    pub kind: PrincipalKind,
    /// The identifier as written.
    pub value: Arc<str>,
    /// Where it is.
    pub span: Span,
}

/// `Action` (`negated == false`) or `NotAction`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionClause {
    /// `true` for `NotAction`.
    pub negated: bool,
    /// The action patterns (`s3:GetObject`, `s3:Get*`, `*`).
    pub actions: Vec<Spanned<Arc<str>>>,
    /// Where the element value is.
    pub span: Span,
}

/// `Resource` (`negated == false`) or `NotResource`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResourceClause {
    /// `true` for `NotResource`.
    pub negated: bool,
    /// The ARN patterns (may contain wildcards and policy variables).
    pub resources: Vec<Spanned<Arc<str>>>,
    /// Where the element value is.
    pub span: Span,
}

/// One condition: an operator applied to one key with one or more values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Condition {
    /// The operator, with its set qualifier and `IfExists` suffix.
    pub operator: Operator,
    /// The condition key as written (matched case-insensitively).
    pub key: Arc<str>,
    /// The values (OR for positive operators, AND-NOT for negated ones).
    pub values: Vec<Spanned<Arc<str>>>,
    /// Where the operator name is.
    pub operator_span: Span,
    /// Where the key is.
    pub key_span: Span,
}

/// `ForAnyValue:` / `ForAllValues:` set qualifiers for multivalued keys
/// (IAM UG `reference_policies_condition-single-vs-multi-valued-context-keys.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SetQualifier {
    /// True if at least one request value matches; false when the key is missing or empty.
    ForAnyValue,
    /// True if every request value matches; **true** when the key is missing or empty.
    ForAllValues,
}

/// A full condition operator such as `ForAnyValue:StringLikeIfExists`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Operator {
    /// The set qualifier, if any.
    pub qualifier: Option<SetQualifier>,
    /// The operator proper.
    pub base: BaseOperator,
    /// Whether `IfExists` was appended (a missing key then satisfies the condition).
    pub if_exists: bool,
}

impl std::fmt::Display for Operator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.qualifier {
            Some(SetQualifier::ForAnyValue) => f.write_str("ForAnyValue:")?,
            Some(SetQualifier::ForAllValues) => f.write_str("ForAllValues:")?,
            None => {}
        }
        f.write_str(self.base.name())?;
        if self.if_exists {
            f.write_str("IfExists")?;
        }
        Ok(())
    }
}

/// The operator families a value is read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum OperatorFamily {
    /// String operators.
    String,
    /// Numeric operators.
    Numeric,
    /// Date operators.
    Date,
    /// `Bool`.
    Bool,
    /// `BinaryEquals`.
    Binary,
    /// `IpAddress` / `NotIpAddress`.
    Ip,
    /// `Arn*`.
    Arn,
    /// `Null`.
    Null,
}

macro_rules! base_operators {
    ($($variant:ident => $name:literal, $family:ident, $negated:literal;)*) => {
        /// A condition operator without qualifier or `IfExists`
        /// (IAM UG `reference_policies_elements_condition_operators.md`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
        pub enum BaseOperator {
            $(
                #[doc = concat!("`", $name, "`")]
                $variant,
            )*
        }

        impl BaseOperator {
            /// Every operator.
            pub const ALL: &'static [BaseOperator] = &[$(BaseOperator::$variant),*];

            /// The name as AWS spells it.
            pub fn name(self) -> &'static str {
                match self { $(BaseOperator::$variant => $name),* }
            }

            /// The family that decides how values are compared.
            pub fn family(self) -> OperatorFamily {
                match self { $(BaseOperator::$variant => OperatorFamily::$family),* }
            }

            /// Whether this is a negated operator (`…Not…`): true when no value matches.
            pub fn is_negated(self) -> bool {
                match self { $(BaseOperator::$variant => $negated),* }
            }

            /// Looks an operator up by exact (case-sensitive) name.
            pub fn from_name(name: &str) -> Option<Self> {
                match name { $($name => Some(BaseOperator::$variant),)* _ => None }
            }
        }
    };
}

base_operators! {
    StringEquals => "StringEquals", String, false;
    StringNotEquals => "StringNotEquals", String, true;
    StringEqualsIgnoreCase => "StringEqualsIgnoreCase", String, false;
    StringNotEqualsIgnoreCase => "StringNotEqualsIgnoreCase", String, true;
    StringLike => "StringLike", String, false;
    StringNotLike => "StringNotLike", String, true;
    NumericEquals => "NumericEquals", Numeric, false;
    NumericNotEquals => "NumericNotEquals", Numeric, true;
    NumericLessThan => "NumericLessThan", Numeric, false;
    NumericLessThanEquals => "NumericLessThanEquals", Numeric, false;
    NumericGreaterThan => "NumericGreaterThan", Numeric, false;
    NumericGreaterThanEquals => "NumericGreaterThanEquals", Numeric, false;
    DateEquals => "DateEquals", Date, false;
    DateNotEquals => "DateNotEquals", Date, true;
    DateLessThan => "DateLessThan", Date, false;
    DateLessThanEquals => "DateLessThanEquals", Date, false;
    DateGreaterThan => "DateGreaterThan", Date, false;
    DateGreaterThanEquals => "DateGreaterThanEquals", Date, false;
    Bool => "Bool", Bool, false;
    BinaryEquals => "BinaryEquals", Binary, false;
    IpAddress => "IpAddress", Ip, false;
    NotIpAddress => "NotIpAddress", Ip, true;
    ArnEquals => "ArnEquals", Arn, false;
    ArnLike => "ArnLike", Arn, false;
    ArnNotEquals => "ArnNotEquals", Arn, true;
    ArnNotLike => "ArnNotLike", Arn, true;
    Null => "Null", Null, false;
}

impl BaseOperator {
    /// Whether policy variables are substituted in this operator's values
    /// (String, ARN and Bool operators; IAM UG `reference_policies_variables.md`).
    pub fn takes_variables(self) -> bool {
        matches!(
            self.family(),
            OperatorFamily::String | OperatorFamily::Arn | OperatorFamily::Bool
        )
    }

    /// Whether `*` and `?` are wildcards in this operator's values.
    pub fn takes_wildcards(self) -> bool {
        matches!(
            self,
            BaseOperator::StringLike
                | BaseOperator::StringNotLike
                | BaseOperator::ArnEquals
                | BaseOperator::ArnLike
                | BaseOperator::ArnNotEquals
                | BaseOperator::ArnNotLike
        )
    }

    /// The positive form of a negated operator (`StringNotEquals` → `StringEquals`).
    pub fn positive(self) -> BaseOperator {
        match self {
            BaseOperator::StringNotEquals => BaseOperator::StringEquals,
            BaseOperator::StringNotEqualsIgnoreCase => BaseOperator::StringEqualsIgnoreCase,
            BaseOperator::StringNotLike => BaseOperator::StringLike,
            BaseOperator::NumericNotEquals => BaseOperator::NumericEquals,
            BaseOperator::DateNotEquals => BaseOperator::DateEquals,
            BaseOperator::NotIpAddress => BaseOperator::IpAddress,
            BaseOperator::ArnNotEquals => BaseOperator::ArnEquals,
            BaseOperator::ArnNotLike => BaseOperator::ArnLike,
            other => other,
        }
    }
}

impl Operator {
    /// Parses a full operator name such as `ForAllValues:StringLikeIfExists` (case-sensitive).
    pub fn parse(name: &str) -> Option<Operator> {
        let (qualifier, rest) = if let Some(rest) = name.strip_prefix("ForAnyValue:") {
            (Some(SetQualifier::ForAnyValue), rest)
        } else if let Some(rest) = name.strip_prefix("ForAllValues:") {
            (Some(SetQualifier::ForAllValues), rest)
        } else {
            (None, name)
        };
        if let Some(base) = BaseOperator::from_name(rest) {
            return Some(Operator {
                qualifier,
                base,
                if_exists: false,
            });
        }
        let base = BaseOperator::from_name(rest.strip_suffix("IfExists")?)?;
        if base == BaseOperator::Null {
            return None;
        }
        Some(Operator {
            qualifier,
            base,
            if_exists: true,
        })
    }
}

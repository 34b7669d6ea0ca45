//! Evaluating one policy against a request: which statements apply, and why.
//!
//! A statement applies when its principal (if any), action, resource and every condition match
//! (IAM UG `reference_policies_evaluation-logic.md`, "Evaluating policies within a single
//! account"). The result keeps, for a resource-based policy, *how* the caller was matched, because
//! S3 and IAM treat a grant that names the caller's ARN differently from one that names its
//! account (S3 UG `how-s3-evaluates-access-control.md`; reference §1.3, §1.5, §1.12).

use std::sync::Arc;

use serde::Serialize;
use serde::ser::SerializeStruct as _;

use crate::ast::{ActionClause, Effect, Policy, Principals, ResourceClause, Spanned, Statement};
use crate::condition::{ConditionTrace, arn_matches_str, evaluate_condition, pattern_matches_arn};
use crate::context::{ContextKeys, Principal, RequestContext};
use crate::json::Span;
use crate::variables::{VariableUse, append_uses, has_variable, substitute};

mod caller;

pub(crate) use caller::Caller;
pub use caller::PrincipalMatch;
use caller::entry_match;

/// The check of `Principal`/`NotPrincipal`, `Action`/`NotAction` or `Resource`/`NotResource`.
///
/// The plain-language sentence is written only when asked for ([`ElementTrace::explanation`],
/// or when the trace is serialised): evaluation itself allocates no text.
#[derive(Debug, Clone, PartialEq)]
pub struct ElementTrace {
    /// The element name as written (`NotAction`).
    pub element: &'static str,
    /// Whether the element matched the request.
    pub matched: bool,
    /// The entry that matched (for `Not…`: the entry that excluded the request).
    pub entry: Option<Arc<str>>,
    /// For principals: how the caller was matched.
    pub principal_match: Option<PrincipalMatch>,
    /// Variables substituted (resources).
    pub variables: Vec<VariableUse>,
    /// Where the element value is.
    pub span: Span,
    /// What the sentence says, and about what.
    note: Note,
    subject: Arc<str>,
}

/// Which sentence an element's trace reads as.
#[derive(Debug, Clone, PartialEq)]
enum Note {
    /// The action: listed as written (`exact`) or through a pattern.
    Action { exact: bool },
    /// The resource matched (or, with `NotResource`, was excluded).
    Resource,
    /// No resource entry matched: the entries as written.
    ResourceNone { listed: String },
    /// `Principal`.
    Principal,
    /// `NotPrincipal`: excluded, covered, or a boundary trap.
    NotPrincipal { excluded: bool, boundary_trap: bool },
}

impl ElementTrace {
    /// One plain-language sentence: how the element compared with the request.
    pub fn explanation(&self) -> String {
        let subject = &*self.subject;
        let negated = self.element.starts_with("Not");
        let entry = self.entry.as_deref();
        let mut s = String::with_capacity(96);
        match (&self.note, entry, negated) {
            (Note::Action { exact: true }, Some(_), false) => {
                push_all(&mut s, &["`", subject, "` is listed"]);
            }
            (Note::Action { .. }, Some(e), false) => push_all(
                &mut s,
                &[
                    "`",
                    e,
                    "` matches `",
                    subject,
                    "` (action names ignore case)",
                ],
            ),
            (Note::Action { .. } | Note::Resource, Some(e), true) => push_all(
                &mut s,
                &[
                    "`",
                    self.element,
                    "` lists `",
                    e,
                    "`, which matches `",
                    subject,
                    "`, so the statement does not cover it",
                ],
            ),
            (Note::Action { .. }, None, false) => {
                push_all(
                    &mut s,
                    &["`", subject, "` is not among the statement's actions"],
                );
            }
            (Note::Action { .. } | Note::Resource | Note::ResourceNone { .. }, None, true) => {
                push_all(
                    &mut s,
                    &[
                        "`",
                        subject,
                        "` is not among the `",
                        self.element,
                        "` entries, so the statement covers it",
                    ],
                );
            }
            (Note::Resource, Some(e), false) => {
                push_all(&mut s, &["`", e, "` matches the resource `", subject, "`"]);
            }
            (Note::ResourceNone { .. }, _, false) | (Note::Resource, None, false) => {
                let listed = match &self.note {
                    Note::ResourceNone { listed } => listed.as_str(),
                    _ => "",
                };
                push_all(
                    &mut s,
                    &["no listed resource (", listed, ") matches `", subject, "`"],
                );
                if let Some(v) = self.variables.iter().find(|v| v.value.is_none()) {
                    push_all(
                        &mut s,
                        &[
                            " (the variable `",
                            &v.written,
                            "` has no value, so its entry matches nothing)",
                        ],
                    );
                }
            }
            (Note::ResourceNone { .. }, Some(_), _) => {}
            (Note::Principal, _, _) => match (entry, self.principal_match) {
                (Some(e), Some(m)) => {
                    push_all(&mut s, &["`", e, "` names ", m.describe(), " — ", subject]);
                }
                _ => push_all(&mut s, &["no listed principal names ", subject]),
            },
            (
                Note::NotPrincipal {
                    excluded,
                    boundary_trap,
                },
                _,
                _,
            ) => {
                if *boundary_trap {
                    push_all(
                        &mut s,
                        &[
                            "`NotPrincipal` lists ",
                            subject,
                            ", but a `Deny` with `NotPrincipal` never exempts a principal that has a permissions boundary",
                        ],
                    );
                } else if *excluded {
                    push_all(
                        &mut s,
                        &[
                            "`NotPrincipal` lists ",
                            subject,
                            " (and its account), so the statement does not cover it",
                        ],
                    );
                } else {
                    push_all(
                        &mut s,
                        &[
                            subject,
                            " is not exempted by `NotPrincipal` (an exemption must list the account as well as the user or session), so the statement covers it",
                        ],
                    );
                }
            }
        }
        s
    }
}

fn push_all(s: &mut String, parts: &[&str]) {
    for p in parts {
        s.push_str(p);
    }
}

impl Serialize for ElementTrace {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut st = serializer.serialize_struct("ElementTrace", 7)?;
        st.serialize_field("element", self.element)?;
        st.serialize_field("matched", &self.matched)?;
        if let Some(e) = &self.entry {
            st.serialize_field("entry", e)?;
        }
        if let Some(m) = &self.principal_match {
            st.serialize_field("principal_match", m)?;
        }
        if !self.variables.is_empty() {
            st.serialize_field("variables", &self.variables)?;
        }
        st.serialize_field("explanation", &self.explanation())?;
        st.serialize_field("span", &self.span)?;
        st.end()
    }
}

/// The trace of one statement.
#[derive(Debug, Clone, PartialEq)]
pub struct StatementTrace {
    /// 0-based index in the policy.
    pub index: usize,
    /// `Sid`, if any.
    pub sid: Option<Arc<str>>,
    /// `Effect`.
    pub effect: Effect,
    /// The principal check (`None` when the statement has no principal element).
    pub principal: Option<ElementTrace>,
    /// The action check.
    pub action: ElementTrace,
    /// The resource check (`None` when the statement has no resource element).
    pub resource: Option<ElementTrace>,
    /// Each condition, in order.
    pub conditions: Vec<ConditionTrace>,
    /// Whether the statement applies to the request (everything matched).
    pub applies: bool,
    /// Where the statement is.
    pub span: Span,
    /// The request's action and resource, for the sentence.
    request_action: Arc<str>,
    request_resource: Arc<str>,
}

impl StatementTrace {
    /// The statement's label for sentences: `` `Sid` `` or `#N`.
    pub fn label(&self) -> String {
        match &self.sid {
            Some(s) if !s.is_empty() => format!("`{s}`"),
            _ => format!("#{}", self.index + 1),
        }
    }

    /// Why the statement applies, for "because …": the facts of its conditions.
    pub fn because(&self) -> Option<String> {
        let facts: Vec<String> = self.conditions.iter().map(ConditionTrace::fact).collect();
        (!facts.is_empty()).then(|| facts.join(" and "))
    }

    /// One plain-language sentence: whether the statement applies, and why (not).
    pub fn explanation(&self) -> String {
        let label = self.label();
        let action = &*self.request_action;
        let resource = &*self.request_resource;
        let mut e = String::with_capacity(160);
        if self.applies {
            let verb = match self.effect {
                Effect::Allow => "allows",
                Effect::Deny => "denies",
            };
            push_all(
                &mut e,
                &[
                    "statement ",
                    &label,
                    " applies: it ",
                    verb,
                    " `",
                    action,
                    "` on `",
                    resource,
                    "`",
                ],
            );
            for (i, c) in self.conditions.iter().enumerate() {
                e.push_str(if i == 0 { " because " } else { " and " });
                e.push_str(&c.fact());
            }
            return e;
        }
        push_all(&mut e, &["statement ", &label, " does not apply: "]);
        let mut reasons: Vec<String> = Vec::new();
        if self.principal.as_ref().is_some_and(|p| !p.matched) {
            reasons.push("the principal does not match".to_owned());
        }
        if !self.action.matched {
            reasons.push(format!("the action `{action}` is not covered"));
        }
        if self.resource.as_ref().is_some_and(|r| !r.matched) {
            reasons.push(format!("the resource `{resource}` is not covered"));
        }
        for c in self.conditions.iter().filter(|c| !c.matched) {
            reasons.push(format!(
                "condition `{}` on `{}` is not met ({})",
                c.operator,
                c.key,
                c.fact()
            ));
        }
        e.push_str(&reasons.join("; "));
        e
    }
}

impl Serialize for StatementTrace {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut st = serializer.serialize_struct("StatementTrace", 10)?;
        st.serialize_field("index", &self.index)?;
        st.serialize_field("sid", &self.sid)?;
        st.serialize_field("effect", &self.effect)?;
        st.serialize_field("principal", &self.principal)?;
        st.serialize_field("action", &self.action)?;
        st.serialize_field("resource", &self.resource)?;
        st.serialize_field("conditions", &self.conditions)?;
        st.serialize_field("applies", &self.applies)?;
        st.serialize_field("explanation", &self.explanation())?;
        st.serialize_field("span", &self.span)?;
        st.end()
    }
}

/// The result of evaluating one policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyEvaluation {
    /// Every statement, in document order.
    pub statements: Vec<StatementTrace>,
    /// Indices of `Allow` statements that apply.
    pub allows: Vec<usize>,
    /// Indices of `Deny` statements that apply.
    pub denies: Vec<usize>,
    /// For `Allow` statements that apply: the most direct way the caller was matched.
    pub principal_match: Option<PrincipalMatch>,
    /// For each entry of `allows`: how its `Principal` matched the caller (`None` without one).
    #[serde(skip)]
    allow_matches: Vec<Option<PrincipalMatch>>,
}

impl PolicyEvaluation {
    /// Whether some `Allow` statement applies.
    pub fn allows(&self) -> bool {
        !self.allows.is_empty()
    }

    /// Whether some `Deny` statement applies.
    pub fn denies(&self) -> bool {
        !self.denies.is_empty()
    }

    /// Applying `Allow` statements whose principal matched with one of `kinds` (or had no
    /// principal element, when `kinds` is `None`).
    pub fn allows_matching(&self, pred: impl Fn(Option<PrincipalMatch>) -> bool) -> Vec<usize> {
        self.allows
            .iter()
            .zip(&self.allow_matches)
            .filter(|(_, m)| pred(**m))
            .map(|(i, _)| *i)
            .collect()
    }

    /// No statement applies yet.
    pub(crate) fn new(statements: Vec<StatementTrace>) -> Self {
        PolicyEvaluation {
            statements,
            allows: Vec::new(),
            denies: Vec::new(),
            principal_match: None,
            allow_matches: Vec::new(),
        }
    }

    /// Records an applying statement.
    pub(crate) fn record(&mut self, index: usize, effect: Effect, m: Option<PrincipalMatch>) {
        match effect {
            Effect::Allow => {
                self.allows.push(index);
                self.allow_matches.push(m);
                if let Some(m) = m {
                    self.principal_match = Some(self.principal_match.map_or(m, |old| old.max(m)));
                }
            }
            Effect::Deny => self.denies.push(index),
        }
    }
}

/// Options for [`evaluate_policy_with`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PolicyOptions {
    /// The caller has a permissions boundary: a `Deny` with `NotPrincipal` then never exempts it
    /// (IAM UG `reference_policies_elements_notprincipal.md`).
    pub principal_has_boundary: bool,
}

/// Evaluates `policy` against `request` (principal-derived keys filled in).
pub fn evaluate_policy(policy: &Policy, request: &RequestContext) -> PolicyEvaluation {
    evaluate_policy_with(
        policy,
        request,
        &request.effective_keys(),
        PolicyOptions::default(),
    )
}

/// Evaluates `policy` against `request` with precomputed context `keys`.
pub fn evaluate_policy_with(
    policy: &Policy,
    request: &RequestContext,
    keys: &ContextKeys,
    options: PolicyOptions,
) -> PolicyEvaluation {
    evaluate_policy_for(policy, &Caller::new(request), keys, options)
}

/// [`evaluate_policy_with`] with the caller's identifiers computed once for several policies.
pub(crate) fn evaluate_policy_for(
    policy: &Policy,
    caller: &Caller<'_>,
    keys: &ContextKeys,
    options: PolicyOptions,
) -> PolicyEvaluation {
    let variables = policy.substitutes_variables();
    let mut out = PolicyEvaluation::new(Vec::with_capacity(policy.statements.len()));
    for st in &policy.statements {
        let trace = evaluate_statement(st, caller, keys, variables, options);
        if trace.applies {
            let m = trace.principal.as_ref().and_then(|p| p.principal_match);
            out.record(trace.index, st.effect, m);
        }
        out.statements.push(trace);
    }
    out
}

/// The first `Action`/`NotAction` entry that matches `action` (names ignore case).
pub(crate) fn action_hit<'s>(
    clause: &'s ActionClause,
    action: &str,
) -> Option<&'s Spanned<Arc<str>>> {
    clause
        .actions
        .iter()
        .find(|a| crate::wildcard::wildcard_match_with(&a.value, action, true))
}

/// The first `Resource`/`NotResource` entry that matches the request's resource, after
/// variable substitution (the variables met are added to `used`).
pub(crate) fn resource_hit<'s>(
    r: &'s ResourceClause,
    caller: &Caller<'_>,
    keys: &ContextKeys,
    variables: bool,
    used: &mut Vec<VariableUse>,
) -> Option<&'s Arc<str>> {
    let resource = caller.request.resource.as_str();
    let mut hit = None;
    for entry in &r.resources {
        if !variables || !has_variable(&entry.value) {
            if hit.is_none() && arn_matches_str(&entry.value, resource) {
                hit = Some(&entry.value);
            }
            continue;
        }
        let s = substitute(&entry.value, keys, variables);
        append_uses(used, s.variables);
        if let Some(p) = &s.pattern
            && hit.is_none()
            && pattern_matches_arn(p, resource)
        {
            hit = Some(&entry.value);
        }
    }
    hit
}

fn evaluate_statement(
    st: &Statement,
    caller: &Caller<'_>,
    keys: &ContextKeys,
    variables: bool,
    options: PolicyOptions,
) -> StatementTrace {
    let principal = st
        .principal
        .as_ref()
        .map(|p| principal_trace(st, p, caller, options));
    let action = action_trace(st, caller);
    let resource = st.resource.as_ref().map(|r| {
        let mut used = Vec::new();
        let hit = resource_hit(r, caller, keys, variables, &mut used).map(Arc::clone);
        let element = if r.negated { "NotResource" } else { "Resource" };
        let matched = hit.is_some() != r.negated;
        // The list of entries is only needed to say that none matched.
        let note = if hit.is_none() && !r.negated {
            let mut listed = String::with_capacity(64);
            for (i, e) in r.resources.iter().enumerate() {
                if i > 0 {
                    listed.push_str(", ");
                }
                push_all(&mut listed, &["`", &e.value, "`"]);
            }
            Note::ResourceNone { listed }
        } else {
            Note::Resource
        };
        ElementTrace {
            element,
            matched,
            entry: hit,
            principal_match: None,
            variables: used,
            span: r.span,
            note,
            subject: Arc::clone(&caller.resource),
        }
    });
    let conditions: Vec<ConditionTrace> = st
        .conditions
        .iter()
        .map(|c| evaluate_condition(c, keys, variables))
        .collect();
    let principal_ok = principal.as_ref().is_none_or(|p| p.matched);
    let resource_ok = resource.as_ref().is_none_or(|r| r.matched);
    let conditions_ok = conditions.iter().all(|c| c.matched);
    let applies = principal_ok && action.matched && resource_ok && conditions_ok;
    StatementTrace {
        index: st.index,
        sid: st.sid.clone(),
        effect: st.effect,
        principal,
        action,
        resource,
        conditions,
        applies,
        span: st.span,
        request_action: Arc::clone(&caller.action),
        request_resource: Arc::clone(&caller.resource),
    }
}

fn action_trace(st: &Statement, caller: &Caller<'_>) -> ElementTrace {
    let clause = &st.action;
    let action = &*caller.action;
    let hit = action_hit(clause, action);
    let matched = hit.is_some() != clause.negated;
    let element = if clause.negated {
        "NotAction"
    } else {
        "Action"
    };
    ElementTrace {
        element,
        matched,
        entry: hit.map(|a| Arc::clone(&a.value)),
        principal_match: None,
        variables: Vec::new(),
        span: clause.span,
        note: Note::Action {
            exact: hit.is_some_and(|a| a.value.eq_ignore_ascii_case(action)),
        },
        subject: Arc::clone(&caller.action),
    }
}

/// `"*"` as shared text, for `"Principal": "*"` traces (allocated once per process).
fn star() -> &'static Arc<str> {
    static STAR: std::sync::OnceLock<Arc<str>> = std::sync::OnceLock::new();
    STAR.get_or_init(|| Arc::from("*"))
}

pub(crate) fn principal_trace(
    st: &Statement,
    clause: &crate::ast::PrincipalClause,
    caller: &Caller<'_>,
    options: PolicyOptions,
) -> ElementTrace {
    let request = caller.request;
    let best = match &clause.principals {
        Principals::Any => Some((star(), PrincipalMatch::Wildcard)),
        Principals::Listed(entries) => entries
            .iter()
            .filter_map(|e| entry_match(e.kind, &e.value, caller).map(|m| (&e.value, m)))
            .max_by_key(|(_, m)| *m),
    };
    if !clause.negated {
        return ElementTrace {
            element: "Principal",
            matched: best.is_some(),
            entry: best.map(|(e, _)| Arc::clone(e)),
            principal_match: best.map(|(_, m)| m),
            variables: Vec::new(),
            span: clause.span,
            note: Note::Principal,
            subject: Arc::clone(&caller.who),
        };
    }
    // NotPrincipal: the caller is exempt only when every identity it carries is listed — its
    // account as well as its user or session (IAM UG `reference_policies_elements_notprincipal.md`).
    let excluded = match &clause.principals {
        Principals::Any => true,
        Principals::Listed(entries) => {
            let matches: Vec<PrincipalMatch> = entries
                .iter()
                .filter_map(|e| entry_match(e.kind, &e.value, caller))
                .collect();
            let has = |m: PrincipalMatch| matches.contains(&m);
            let account_listed = has(PrincipalMatch::Account) || has(PrincipalMatch::CanonicalUser);
            match &request.principal {
                Principal::Anonymous => has(PrincipalMatch::Wildcard),
                Principal::Service(_) => has(PrincipalMatch::Service),
                Principal::Root { .. } => account_listed,
                Principal::User { .. } => account_listed && has(PrincipalMatch::User),
                Principal::AssumedRole { .. } => {
                    account_listed && has(PrincipalMatch::AssumedRoleSession)
                }
                Principal::FederatedUser { .. } => {
                    account_listed && has(PrincipalMatch::FederatedUser)
                }
            }
        }
    };
    let boundary_trap = excluded && st.effect == Effect::Deny && options.principal_has_boundary;
    let matched = !excluded || boundary_trap;
    ElementTrace {
        element: "NotPrincipal",
        matched,
        entry: None,
        principal_match: matched.then_some(PrincipalMatch::NotPrincipal),
        variables: Vec::new(),
        span: clause.span,
        note: Note::NotPrincipal {
            excluded,
            boundary_trap,
        },
        subject: Arc::clone(&caller.who),
    }
}

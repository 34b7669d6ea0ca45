//! The trace: every gate S3 consulted, in order, each with its verdict, the values compared, the
//! statements that matched, the policy engine's per-statement reasoning, and the AWS page it
//! follows.

use s3pg_policy::{ElementTrace, StatementTrace};
use s3pg_sim::trace::PolicyTrace;
use s3pg_sim::{GateStep, StepOutcome};
use serde_json::Value;
use yew::prelude::*;

use super::editor::render_ticks;

/// Props for [`TraceView`].
#[derive(Properties, PartialEq)]
pub struct TraceProps {
    /// The steps, in order.
    pub steps: Vec<GateStep>,
    /// The prefix of each card's element id (`{prefix}-{index}`), which the diagram links to.
    #[prop_or(AttrValue::Static("trace-step"))]
    pub prefix: AttrValue,
}

/// The ordered trace.
#[function_component(TraceView)]
pub fn trace_view(props: &TraceProps) -> Html {
    html! {
        <>
            <h3 class="visually-hidden">{ "Trace" }</h3>
            <ol class="trace" data-testid="trace">
                { for props.steps.iter().enumerate().map(|(i, s)| step_view(&format!("{}-{i}", props.prefix), s)) }
            </ol>
        </>
    }
}

/// How a step is drawn: its class (`pass`, `deny`, `na`, `info`) and its badge text.
pub fn step_kind(step: &GateStep) -> (&'static str, &'static str) {
    match step.outcome {
        StepOutcome::Pass => ("pass", "passed"),
        StepOutcome::Allow => ("pass", "allows"),
        StepOutcome::ExplicitDeny => ("deny", "explicit deny"),
        // A layer that grants nothing decides only when nothing else grants either.
        StepOutcome::ImplicitDeny if step.deciding => ("deny", "does not allow"),
        StepOutcome::ImplicitDeny => ("na", "grants nothing here"),
        StepOutcome::Reject => ("deny", "rejected"),
        StepOutcome::NotApplicable => ("na", "not applicable"),
        StepOutcome::Info => ("info", "derived"),
    }
}

fn step_view(id: &str, step: &GateStep) -> Html {
    let (class, badge) = step_kind(step);
    html! {
        <li id={id.to_owned()} tabindex="-1" class={classes!("step", class, step.deciding.then_some("decisive"))} data-gate={format!("{:?}", step.gate)}>
            <div class="gate">
                <span>{ step.gate.title() }</span>
                if let Some(action) = &step.action { <code>{ action.to_string() }</code> }
                <span class={classes!("tag", class)}>{ badge }</span>
                if step.deciding { <span class="tag decided">{ "decided" }</span> }
            </div>
            <p class="sentence">{ render_ticks(&step.explanation) }</p>
            if !step.compared.is_empty() {
                <table class="compare">
                    <thead><tr><th scope="col">{ "compared" }</th><th scope="col">{ "value" }</th></tr></thead>
                    <tbody>
                        { for step.compared.iter().map(|(k, v)| html! { <tr><td><code>{ k.to_string() }</code></td><td>{ render_ticks(v) }</td></tr> }) }
                    </tbody>
                </table>
            }
            if let Some(trace) = &step.policy_trace {
                { for policies(trace).iter().map(policy_view) }
            }
            if let Some(note) = &step.undocumented {
                <p class="src">{ "Not documented by AWS — the playground's model: " }{ render_ticks(note) }</p>
            }
            if !step.doc.is_empty() {
                <p class="src"><a href={step.doc.clone()} target="_blank" rel="noopener">{ "AWS documentation for this gate" }</a></p>
            }
        </li>
    }
}

/// One policy's statements as the trace view draws them.
#[derive(Debug, PartialEq)]
struct PolicyRows {
    name: String,
    statements: Vec<StatementRow>,
}

/// One statement: its label (`Sid` or `#N`), effect, whether it applies, why, and its elements'
/// and conditions' checks.
#[derive(Debug, PartialEq)]
struct StatementRow {
    label: String,
    effect: String,
    applies: bool,
    explanation: String,
    elements: Vec<ElementRow>,
    conditions: Vec<ConditionRow>,
}

/// A principal, action or resource check.
#[derive(Debug, PartialEq)]
struct ElementRow {
    name: String,
    matched: bool,
    explanation: String,
}

/// A condition check, with the values compared.
#[derive(Debug, PartialEq)]
struct ConditionRow {
    operator: String,
    key: String,
    matched: bool,
    expected: String,
    actual: String,
    explanation: String,
}

/// The rows of a policy trace: read from the engine's own trace (a live decision), or from its
/// JSON (a trace read back from saved work, or a service's summary). Reading the engine's trace
/// directly spares writing it out as JSON on every render, a keystroke's included.
fn policies(trace: &PolicyTrace) -> Vec<PolicyRows> {
    match trace {
        PolicyTrace::Evaluated(list) => list
            .iter()
            .map(|(name, evaluation)| PolicyRows {
                name: name.clone(),
                statements: evaluation.statements.iter().map(statement_row).collect(),
            })
            .collect(),
        PolicyTrace::Json(Value::Array(list)) => list.iter().map(policy_rows_from_json).collect(),
        PolicyTrace::Json(_) => Vec::new(),
    }
}

fn statement_row(s: &StatementTrace) -> StatementRow {
    let element = |e: &ElementTrace| ElementRow {
        name: e.element.to_owned(),
        matched: e.matched,
        explanation: e.explanation(),
    };
    StatementRow {
        label: s
            .sid
            .as_deref()
            .map_or_else(|| format!("#{}", s.index + 1), str::to_owned),
        effect: s.effect.to_string(),
        applies: s.applies,
        explanation: s.explanation(),
        elements: [s.principal.as_ref(), Some(&s.action), s.resource.as_ref()]
            .into_iter()
            .flatten()
            .map(element)
            .collect(),
        conditions: s
            .conditions
            .iter()
            .map(|c| ConditionRow {
                operator: c.operator.to_string(),
                key: c.key.to_string(),
                matched: c.matched,
                expected: c.policy_values.join(", "),
                actual: c
                    .request_values
                    .as_ref()
                    .map_or_else(|| "(absent)".to_owned(), |v| v.as_slice().join(", ")),
                explanation: c.explanation(),
            })
            .collect(),
    }
}

/// The same rows from a trace's JSON (`[{"policy": name, "evaluation": {"statements": …}}]`).
fn policy_rows_from_json(entry: &Value) -> PolicyRows {
    let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    let flag = |v: &Value, k: &str| v.get(k).and_then(Value::as_bool).unwrap_or(false);
    let joined = |v: &Value| {
        v.as_array().map(|v| {
            v.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        })
    };
    let statements = entry
        .pointer("/evaluation/statements")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    PolicyRows {
        name: entry
            .get("policy")
            .and_then(Value::as_str)
            .unwrap_or("policy")
            .to_owned(),
        statements: statements
            .iter()
            .map(|s| StatementRow {
                label: s.get("sid").and_then(Value::as_str).map_or_else(
                    || {
                        format!(
                            "#{}",
                            s.get("index").and_then(Value::as_u64).unwrap_or(0) + 1
                        )
                    },
                    str::to_owned,
                ),
                effect: text(s, "effect"),
                applies: flag(s, "applies"),
                explanation: text(s, "explanation"),
                elements: ["principal", "action", "resource"]
                    .iter()
                    .filter_map(|k| s.get(*k).filter(|v| !v.is_null()))
                    .map(|e| ElementRow {
                        name: text(e, "element"),
                        matched: flag(e, "matched"),
                        explanation: text(e, "explanation"),
                    })
                    .collect(),
                conditions: s
                    .get("conditions")
                    .and_then(Value::as_array)
                    .map(Vec::as_slice)
                    .unwrap_or_default()
                    .iter()
                    .map(|c| ConditionRow {
                        operator: text(c, "operator"),
                        key: text(c, "key"),
                        matched: flag(c, "matched"),
                        expected: c.get("policy_values").and_then(joined).unwrap_or_default(),
                        actual: c
                            .get("request_values")
                            .and_then(joined)
                            .unwrap_or_else(|| "(absent)".to_owned()),
                        explanation: text(c, "explanation"),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// One policy's per-statement trace as the policy engine reported it.
fn policy_view(policy: &PolicyRows) -> Html {
    let name = policy.name.as_str();
    html! {
        <ul class="stmts" aria-label={format!("statements of {}", name.replace('`', ""))}>
            { for policy.statements.iter().map(|s| statement_view(name, s)) }
        </ul>
    }
}

fn statement_view(policy: &str, s: &StatementRow) -> Html {
    let (applies, effect) = (s.applies, s.effect.as_str());
    let class = match (applies, effect) {
        (true, "Deny") => "matched-deny",
        (true, _) => "matched-allow",
        _ => "",
    };
    html! {
        <li class={class} data-statement={s.label.clone()}>
            <div><strong>{ render_ticks(policy) }{ " · statement " }<code>{ &s.label }</code></strong>
                { format!(" ({effect}) ") }
                // An applying Deny is what refuses; an applying Allow is what grants.
                <span class={match (applies, effect) { (true, "Deny") => "no", (true, _) => "ok", _ => "muted" }}>{ if applies { "applies" } else { "does not apply" } }</span>
            </div>
            <div>{ render_ticks(&s.explanation) }</div>
            <table class="compare">
                <tbody>
                    { for s.elements.iter().map(element_row) }
                    { for s.conditions.iter().map(condition_row) }
                </tbody>
            </table>
        </li>
    }
}

fn element_row(e: &ElementRow) -> Html {
    let matched = e.matched;
    html! {
        <tr>
            <th scope="row">{ &e.name }</th>
            <td><span class={if matched { "ok" } else { "no" }}>{ if matched { "✓ " } else { "✗ " } }</span>{ render_ticks(&e.explanation) }</td>
        </tr>
    }
}

fn condition_row(c: &ConditionRow) -> Html {
    let matched = c.matched;
    html! {
        <tr data-testid="condition">
            <th scope="row">{ "Condition" }</th>
            <td>
                <span class={if matched { "ok" } else { "no" }}>{ if matched { "✓ " } else { "✗ " } }</span>
                <code>{ &c.operator }</code>{ " on " }<code>{ &c.key }</code>
                { ": expected " }<code>{ &c.expected }</code>{ ", request had " }<code>{ &c.actual }</code>
                <div>{ render_ticks(&c.explanation) }</div>
            </td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    /// The rows drawn from a live trace equal those drawn from the same trace as JSON (how a saved
    /// trace comes back), for every policy trace of every step of every library scenario.
    #[test]
    fn a_live_trace_draws_the_rows_its_json_draws() {
        let mut traces = 0;
        let mut conditions = 0;
        for entry in crate::assets::library() {
            let scenario = s3pg_sim::scenario::Scenario::from_json(&entry.text).unwrap();
            for step in s3pg_sim::scenario::run(&scenario).steps {
                for gate in &step.outcome.trace {
                    let Some(trace @ PolicyTrace::Evaluated(_)) = &gate.policy_trace else {
                        continue;
                    };
                    let live = policies(trace);
                    assert_eq!(
                        live,
                        policies(&PolicyTrace::Json(trace.to_json())),
                        "{}",
                        entry.file
                    );
                    traces += 1;
                    conditions += live
                        .iter()
                        .flat_map(|p| &p.statements)
                        .map(|s| s.conditions.len())
                        .sum::<usize>();
                }
            }
        }
        assert!(
            traces > 500 && conditions > 100,
            "{traces} traces, {conditions} conditions"
        );
    }
}

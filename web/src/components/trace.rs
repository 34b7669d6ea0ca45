//! The trace: every gate S3 consulted, in order, each with its verdict, the values compared, the
//! statements that matched, the policy engine's per-statement reasoning, and the AWS page it
//! follows.

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
            if let Some(Value::Array(policies)) = step.policy_trace.as_ref().map(s3pg_sim::trace::PolicyTrace::to_json) {
                { for policies.iter().map(policy_view) }
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

/// One policy's per-statement trace as the policy engine reported it.
fn policy_view(entry: &Value) -> Html {
    let name = entry
        .get("policy")
        .and_then(Value::as_str)
        .unwrap_or("policy");
    let statements = entry
        .pointer("/evaluation/statements")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    html! {
        <ul class="stmts" aria-label={format!("statements of {}", name.replace('`', ""))}>
            { for statements.iter().map(|s| statement_view(name, s)) }
        </ul>
    }
}

fn statement_view(policy: &str, s: &Value) -> Html {
    let applies = s.get("applies").and_then(Value::as_bool).unwrap_or(false);
    let effect = s.get("effect").and_then(Value::as_str).unwrap_or("");
    let index = s.get("index").and_then(Value::as_u64).unwrap_or(0);
    let label = s
        .get("sid")
        .and_then(Value::as_str)
        .map_or_else(|| format!("#{}", index + 1), str::to_owned);
    let class = match (applies, effect) {
        (true, "Deny") => "matched-deny",
        (true, _) => "matched-allow",
        _ => "",
    };
    let explanation = s.get("explanation").and_then(Value::as_str).unwrap_or("");
    let conditions = s
        .get("conditions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let elements: Vec<&Value> = ["principal", "action", "resource"]
        .iter()
        .filter_map(|k| s.get(*k).filter(|v| !v.is_null()))
        .collect();
    html! {
        <li class={class} data-statement={label.clone()}>
            <div><strong>{ render_ticks(policy) }{ " · statement " }<code>{ &label }</code></strong>
                { format!(" ({effect}) ") }
                // An applying Deny is what refuses; an applying Allow is what grants.
                <span class={match (applies, effect) { (true, "Deny") => "no", (true, _) => "ok", _ => "muted" }}>{ if applies { "applies" } else { "does not apply" } }</span>
            </div>
            <div>{ render_ticks(explanation) }</div>
            <table class="compare">
                <tbody>
                    { for elements.iter().map(|e| element_row(e)) }
                    { for conditions.iter().map(condition_row) }
                </tbody>
            </table>
        </li>
    }
}

fn element_row(e: &Value) -> Html {
    let name = e.get("element").and_then(Value::as_str).unwrap_or("");
    let matched = e.get("matched").and_then(Value::as_bool).unwrap_or(false);
    let text = e.get("explanation").and_then(Value::as_str).unwrap_or("");
    html! {
        <tr>
            <th scope="row">{ name }</th>
            <td><span class={if matched { "ok" } else { "no" }}>{ if matched { "✓ " } else { "✗ " } }</span>{ render_ticks(text) }</td>
        </tr>
    }
}

fn condition_row(c: &Value) -> Html {
    let op = c.get("operator").and_then(Value::as_str).unwrap_or("");
    let key = c.get("key").and_then(Value::as_str).unwrap_or("");
    let matched = c.get("matched").and_then(Value::as_bool).unwrap_or(false);
    let expected = c
        .get("policy_values")
        .and_then(Value::as_array)
        .map(|v| {
            v.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    let actual = match c.get("request_values").and_then(Value::as_array) {
        Some(v) => v
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(", "),
        None => "(absent)".to_owned(),
    };
    let text = c.get("explanation").and_then(Value::as_str).unwrap_or("");
    html! {
        <tr data-testid="condition">
            <th scope="row">{ "Condition" }</th>
            <td>
                <span class={if matched { "ok" } else { "no" }}>{ if matched { "✓ " } else { "✗ " } }</span>
                <code>{ op }</code>{ " on " }<code>{ key }</code>
                { ": expected " }<code>{ expected }</code>{ ", request had " }<code>{ actual }</code>
                <div>{ render_ticks(text) }</div>
            </td>
        </tr>
    }
}

//! The scenario's own steps: run them against the scenario's world (with the learner's policy)
//! and see, for each, whether S3 answered as the scenario expects.

use s3pg_sim::scenario::Step;
use yew::prelude::*;

use super::PanelProps;

use crate::state::{Action, Shown};

/// The list of steps with their run results.
#[function_component(StepsPanel)]
pub fn steps_panel(props: &PanelProps) -> Html {
    let steps = props.state.steps();
    if steps.is_empty() {
        return html! {};
    }
    let report = props.state.report.as_ref();
    let run_all = props.dispatch.reform(|_: MouseEvent| Action::RunSteps(0));
    html! {
        <section class="panel" aria-labelledby="steps-h">
            <h2 id="steps-h">{ "Scenario steps" }</h2>
            <p class="hint">{ "Run the scenario's own requests, in order, from its starting world with the changes S3 accepted from you. Each step then says what S3 should answer and whether it did." }</p>
            <ol class="steps" data-testid="steps">
                { for steps.iter().enumerate().map(|(i, step)| {
                    let result = report.and_then(|r| r.steps.get(i));
                    let (mark, class) = match result {
                        None => ("", "pending"),
                        Some(r) if r.failures.is_empty() => ("✓", "met"),
                        Some(_) => ("✗", "unmet"),
                    };
                    let selected = props.state.shown == Shown::Step(i);
                    let onclick = if result.is_some() {
                        props.dispatch.reform(move |_: MouseEvent| Action::ShowStep(i))
                    } else {
                        props.dispatch.reform(move |_: MouseEvent| Action::RunSteps(i))
                    };
                    html! {
                        <li class={classes!(class, selected.then_some("selected"))}>
                            <button type="button" {onclick} aria-pressed={selected.to_string()}>
                                <span class="mark" aria-hidden="true">{ mark }</span>
                                <span class="step-name">{ step_title(i, step) }</span>
                                // The expected answer shows only once the step has run, so
                                // the learner can predict it first.
                                if let Some(r) = result {
                                    <span class="expect">{ expectation(step) }</span>
                                    <span class="got">{ got(r) }</span>
                                } else {
                                    <span class="expect">{ "not run yet — what will S3 answer?" }</span>
                                }
                            </button>
                        </li>
                    }
                }) }
            </ol>
            <div class="actions"><button class="ghost" onclick={run_all}>{ if report.is_some() { "Run again" } else { "Run all steps" } }</button></div>
        </section>
    }
}

fn step_title(i: usize, step: &Step) -> String {
    if step.name.is_empty() {
        format!("{}. {}", i + 1, step.request.operation.name())
    } else {
        format!("{}. {}", i + 1, step.name)
    }
}

fn expectation(step: &Step) -> String {
    let Some(e) = &step.expect else {
        return String::new();
    };
    let mut parts = Vec::new();
    if let Some(s) = e.status {
        parts.push(s.to_string());
    }
    if let Some(code) = &e.error {
        parts.push(code.clone());
    }
    if let Some(st) = &e.statement {
        parts.push(format!("by {st}"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("expects {}", parts.join(" "))
    }
}

fn got(r: &s3pg_sim::scenario::StepReport) -> String {
    let code = r
        .outcome
        .error
        .as_ref()
        .map(|e| format!(" {}", e.code))
        .unwrap_or_default();
    format!("got {}{code}", r.outcome.status)
}

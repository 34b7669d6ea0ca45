//! The decision card: allowed or denied, the sentence that says why, the S3 response, and the
//! ordered trace of every gate below it.

use s3pg_sim::{Decision, StepOutcome};
use yew::prelude::*;

use super::editor::render_ticks;
use super::trace::TraceView;
use s3pg_sim::Outcome;

/// Props for [`OutcomeView`].
#[derive(Properties, PartialEq)]
pub struct OutcomeProps {
    /// The outcome to show, if any.
    pub outcome: Option<Outcome>,
    /// Where it came from (a re-evaluation, a scenario step, …); empty for a plain send.
    #[prop_or_default]
    pub note: String,
}

/// The outcome of the last request.
#[function_component(OutcomeView)]
pub fn outcome_view(props: &OutcomeProps) -> Html {
    let Some(outcome) = &props.outcome else {
        return html! {
            <section class="panel" id="result" aria-labelledby="result-h" tabindex="-1">
                <h2 id="result-h"><span class="num">{ "4" }</span>{ "Decision and trace" }</h2>
                <p class="empty">{ "Send the request to see S3's decision, gate by gate." }</p>
            </section>
        };
    };
    let (class, verdict, icon) = match outcome.decision {
        Some(Decision::Allow) => ("allow", "Allowed", "✓"),
        Some(Decision::ExplicitDeny) => ("explicit-deny", "Denied — explicit deny", "✕"),
        Some(Decision::ImplicitDeny) => ("implicit-deny", "Denied — implicit deny", "✕"),
        None if outcome.status < 300 => ("allow", "Succeeded", "✓"),
        None => ("explicit-deny", "Rejected before authorization", "✕"),
    };
    // The sentence of the step that decided, or of the last verdict-bearing step.
    let deciding = outcome.trace.iter().find(|s| s.deciding).or_else(|| {
        outcome
            .trace
            .iter()
            .rev()
            .find(|s| !matches!(s.outcome, StepOutcome::Info | StepOutcome::NotApplicable))
    });
    let status = match &outcome.error {
        Some(e) => format!("HTTP {} {} — {}", outcome.status, e.code, e.message),
        None => format!("HTTP {} OK", outcome.status),
    };
    let decision_text = match outcome.decision {
        Some(Decision::Allow) => "Allow",
        Some(Decision::ExplicitDeny) => "ExplicitDeny",
        Some(Decision::ImplicitDeny) => "ImplicitDeny",
        None => "",
    };
    html! {
        <section class="panel" id="result" aria-labelledby="result-h" tabindex="-1">
            <h2 id="result-h"><span class="num">{ "4" }</span>{ "Decision and trace" }</h2>
            <div class={classes!("decision", class)} role="status" aria-live="polite" data-testid="decision" data-decision={decision_text}>
                <div class="verdict"><span aria-hidden="true">{ icon }</span>{ verdict }</div>
                if let Some(step) = deciding {
                    <p class="summary" data-testid="summary">{ render_ticks(&step.explanation) }</p>
                }
                <div class="status" data-testid="status">{ format!("{} → {status}", outcome.operation) }</div>
                { for outcome.headers.iter().map(|(k, v)| html! { <div class="status">{ format!("{k}: {v}") }</div> }) }
                if !props.note.is_empty() {
                    <p class="stale">{ &props.note }</p>
                }
            </div>
            if let Some(body) = &outcome.body {
                <details class="policy-view body-view">
                    <summary>{ "Response body" }</summary>
                    <pre class="code" data-testid="body">{ serde_json::to_string_pretty(body).unwrap_or_default() }</pre>
                </details>
            }
            if !outcome.effects.is_empty() {
                <details class="policy-view">
                    <summary>{ format!("What changed in the world ({})", outcome.effects.len()) }</summary>
                    <pre class="code">{ outcome.effects.iter().filter_map(|e| serde_json::to_string(e).ok()).collect::<Vec<_>>().join("\n") }</pre>
                </details>
            }
            <TraceView steps={outcome.trace.clone()} />
        </section>
    }
}

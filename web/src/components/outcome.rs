//! The decision card: what S3 answered — allowed, denied or refused, read from the response the
//! world gave, never from the authorization decision alone — the sentence that says why, the S3
//! response, the trace as a picture and every gate's card below it.

use s3pg_sim::{Decision, Outcome, StepOutcome};
use yew::prelude::*;

use super::diagram::TraceDiagram;
use super::editor::render_ticks;
use super::trace::TraceView;

/// What the verdict line says and how it is coloured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// `allow`, `explicit-deny`, `implicit-deny` or `refused`: the card's class.
    pub class: &'static str,
    /// `allowed`, `denied` or `refused`: the card's `data-verdict`.
    pub kind: &'static str,
    /// The headline.
    pub title: String,
}

/// The verdict an outcome deserves: a 2xx or 3xx is a success; a 4xx or 5xx is a denial when
/// authorization denied, and a refusal otherwise (an MFA Delete rejection, a missing object, a
/// request S3 refused before or after authorizing it). A 403 is never shown as allowed.
pub fn verdict(outcome: &Outcome) -> Verdict {
    let code = outcome
        .error
        .as_ref()
        .map(|e| e.code.clone())
        .unwrap_or_default();
    if outcome.status < 400 {
        return Verdict {
            class: "allow",
            kind: "allowed",
            title: if outcome.decision == Some(Decision::Allow) {
                "Allowed".to_owned()
            } else {
                "Succeeded".to_owned()
            },
        };
    }
    match outcome.decision {
        Some(Decision::ExplicitDeny) => Verdict {
            class: "explicit-deny",
            kind: "denied",
            title: "Denied — explicit deny".to_owned(),
        },
        Some(Decision::ImplicitDeny) => Verdict {
            class: "implicit-deny",
            kind: "denied",
            title: "Denied — nothing allowed it (implicit deny)".to_owned(),
        },
        Some(Decision::Allow) => Verdict {
            class: "refused",
            kind: "refused",
            title: format!("Refused — {code}, though the policies allow it"),
        },
        None => Verdict {
            class: "refused",
            kind: "refused",
            title: if code.is_empty() {
                format!("Refused — HTTP {}", outcome.status)
            } else {
                format!("Refused — {code}")
            },
        },
    }
}

/// Props for [`OutcomeView`].
#[derive(Properties, PartialEq)]
pub struct OutcomeProps {
    /// The outcome to show, if any.
    pub outcome: Option<Outcome>,
    /// Where it came from (a what-if, a scenario step, …); empty for a plain send.
    #[prop_or_default]
    pub note: String,
    /// The prefix of the trace cards' ids (two outcomes side by side need two).
    #[prop_or(AttrValue::Static("trace-step"))]
    pub prefix: AttrValue,
}

/// The decision and its trace (no live region: the caller places it in one).
#[function_component(OutcomeView)]
pub fn outcome_view(props: &OutcomeProps) -> Html {
    let Some(outcome) = &props.outcome else {
        return html! {
            <p class="empty">{ "Send a request — from the Requests view, a bucket's page or the console — to see S3's answer, gate by gate." }</p>
        };
    };
    let v = verdict(outcome);
    let icon = if v.kind == "allowed" { "✓" } else { "✕" };
    // The sentence of the step that decided, or of the last verdict-bearing step.
    let deciding = outcome.trace.iter().find(|s| s.deciding).or_else(|| {
        outcome
            .trace
            .iter()
            .rev()
            .find(|s| !matches!(s.outcome, StepOutcome::Info | StepOutcome::NotApplicable))
    });
    let decision_text = match outcome.decision {
        Some(Decision::Allow) => "Allow",
        Some(Decision::ExplicitDeny) => "ExplicitDeny",
        Some(Decision::ImplicitDeny) => "ImplicitDeny",
        None => "",
    };
    html! {
        <div class="outcome">
            <div class={classes!("decision", v.class)} data-testid="decision" data-decision={decision_text} data-verdict={v.kind}>
                <div class="verdict"><span aria-hidden="true">{ icon }</span>{ v.title.clone() }</div>
                if let Some(step) = deciding {
                    <p class="summary" data-testid="summary">{ render_ticks(&step.explanation) }</p>
                }
                <div class="status" data-testid="status">
                    <code>{ &outcome.operation }</code>{ " → " }
                    { match &outcome.error {
                        Some(e) => html! { <>{ format!("HTTP {} {} — ", outcome.status, e.code) }{ render_ticks(&e.message) }</> },
                        None => html! { { format!("HTTP {} OK", outcome.status) } },
                    } }
                </div>
                { for outcome.headers.iter().map(|(k, v)| html! { <div class="status">{ format!("{k}: {v}") }</div> }) }
                if !props.note.is_empty() {
                    <p class="note">{ render_ticks(&props.note) }</p>
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
            <TraceDiagram steps={outcome.trace.clone()} prefix={props.prefix.clone()} />
            <TraceView steps={outcome.trace.clone()} prefix={props.prefix.clone()} />
        </div>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::state::{Action, AppState, DEFAULT_SCENARIO, Setting};
    use std::rc::Rc;
    use yew::Reducible;

    fn start() -> Rc<AppState> {
        Rc::new(AppState::from_scenario_text(DEFAULT_SCENARIO))
    }

    #[test]
    fn a_403_is_never_shown_as_allowed() {
        // PutBucketVersioning turning on MFA Delete without x-amz-mfa: S3 answers 403.
        let state = start().reduce(Action::Apply(Setting::Versioning {
            enabled: true,
            mfa_delete: Some(true),
            mfa: None,
        }));
        let outcome = &state.last.as_ref().unwrap().outcome;
        assert!(outcome.status >= 400);
        let v = verdict(outcome);
        assert_ne!(v.kind, "allowed");
        assert!(!v.title.starts_with("Allowed"), "{}", v.title);
    }

    #[test]
    fn denials_say_which_kind() {
        let state = start().reduce(Action::Send);
        let v = verdict(&state.last.as_ref().unwrap().outcome);
        assert_eq!(v.kind, "denied");
        assert_eq!(v.class, "explicit-deny");
    }
}

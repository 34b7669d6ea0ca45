//! Who can access a resource, as a matrix: principals down, actions across, each cell the world's
//! answer for that principal's request ("yes", "no", or "only over HTTPS" when the answer depends
//! on the request), filters by principal kind, account, answer and action, and each cell opening
//! its trace. Computed when the view opens or the world changes, never on a keystroke.
//!
//! Follows S3's authorization workflow
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html>)
//! and IAM's Principal element
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html>).

use std::collections::BTreeSet;

use s3pg_analysis::Subject;
use s3pg_analysis::resource::Resource;
use s3pg_analysis::who_can::{Options, Row, WhoCan, who_can};
use s3pg_sim::{Timestamp, World};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::{TraceDrawer, replay, resource_choices, resource_label};
use crate::components::PanelProps;
use crate::text::render_ticks;

/// A cell's answer, as the matrix colours it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Allowed for the default request, whatever its properties.
    Allowed,
    /// The answer depends on the request (allowed only with a change, or allowed unless one).
    Conditional,
    /// Refused, whatever single property changes.
    Denied,
}

impl Answer {
    /// The answer of a row.
    pub fn of(row: &Row) -> Answer {
        match (
            row.verdict.allowed,
            row.allowed_with.is_empty(),
            row.denied_with.is_empty(),
        ) {
            (true, _, true) => Answer::Allowed,
            (true, _, false) | (false, false, _) => Answer::Conditional,
            (false, true, _) => Answer::Denied,
        }
    }

    fn class(self) -> &'static str {
        match self {
            Answer::Allowed => "allow",
            Answer::Conditional => "cond",
            Answer::Denied => "deny",
        }
    }

    /// The cell's symbol (decorative) and word (what its accessible name starts with).
    fn cell(self) -> (&'static str, &'static str) {
        match self {
            Answer::Allowed => ("✓", "yes"),
            Answer::Conditional => ("◐", "if"),
            Answer::Denied => ("✕", "no"),
        }
    }
}

/// A principal's kind, for the filter.
pub fn kind_of(subject: &Subject) -> &'static str {
    match subject {
        Subject::Anonymous => "anonymous",
        Subject::Root { .. } => "root",
        Subject::User { .. } => "user",
        Subject::RoleSession { .. } => "role",
        Subject::AnyPrincipalOf { .. } | Subject::AnyAwsAccount => "class",
        Subject::Service { .. } => "service",
    }
}

const KINDS: [(&str, &str); 6] = [
    ("user", "IAM users"),
    ("role", "Role sessions"),
    ("root", "Root users"),
    ("anonymous", "Anonymous callers"),
    (
        "class",
        "Classes (any principal of an account, any AWS account)",
    ),
    ("service", "AWS services"),
];

/// The matrix's filters; empty means "all".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// A principal kind ([`kind_of`]).
    pub kind: String,
    /// An account id.
    pub account: String,
    /// `allowed`, `conditional` or `denied`.
    pub answer: String,
    /// One action.
    pub action: String,
}

impl Filters {
    /// Whether a row passes the filters.
    pub fn keeps(&self, row: &Row) -> bool {
        (self.kind.is_empty() || kind_of(&row.subject) == self.kind)
            && (self.account.is_empty() || row.subject.account() == Some(self.account.as_str()))
            && (self.action.is_empty() || row.action == self.action)
            && (self.answer.is_empty()
                || match Answer::of(row) {
                    Answer::Allowed => self.answer == "allowed",
                    Answer::Conditional => self.answer == "conditional",
                    Answer::Denied => self.answer == "denied",
                })
    }
}

/// One sentence above the matrix: how many principals can act on the resource outright, how
/// many only under conditions, and whether anonymous callers can.
pub fn summary(answer: &WhoCan) -> String {
    let mut subjects: Vec<&Subject> = Vec::new();
    for row in &answer.rows {
        if !subjects.contains(&&row.subject) {
            subjects.push(&row.subject);
        }
    }
    let best = |s: &Subject| {
        let answers: Vec<Answer> = answer
            .rows
            .iter()
            .filter(|r| &r.subject == s)
            .map(Answer::of)
            .collect();
        if answers.contains(&Answer::Allowed) {
            Answer::Allowed
        } else if answers.contains(&Answer::Conditional) {
            Answer::Conditional
        } else {
            Answer::Denied
        }
    };
    let count = |a: Answer| subjects.iter().filter(|s| best(s) == a).count();
    let anonymous: Vec<&str> = answer
        .rows
        .iter()
        .filter(|r| r.subject == Subject::Anonymous && Answer::of(r) != Answer::Denied)
        .map(|r| r.action.as_str())
        .collect();
    let public = if anonymous.is_empty() {
        "Anonymous callers can do none of them.".to_owned()
    } else {
        format!(
            "Anonymous callers can (at least under some request) `{}`.",
            anonymous.join("`, `")
        )
    };
    format!(
        "On `{}`, {} of {} principals can do at least one of the {} actions outright, {} more only under conditions of the request, and {} none. {public}",
        answer.resource,
        count(Answer::Allowed),
        subjects.len(),
        answer.actions.len(),
        count(Answer::Conditional),
        count(Answer::Denied),
    )
}

/// Runs the analysis (kept apart from the component so the memo's closure stays small).
fn compute(world: &World, resource: &Resource, now: Timestamp) -> WhoCan {
    super::measured("s3pg:who-can", || {
        who_can(world, resource, now, &Options::default())
    })
}

fn select_value(e: &Event) -> String {
    e.target_dyn_into::<HtmlSelectElement>()
        .map(|s| s.value())
        .unwrap_or_default()
}

/// The "Who can access" panel.
#[function_component(WhoCanPanel)]
pub fn who_can_panel(props: &PanelProps) -> Html {
    let state = &props.state;
    let choices = resource_choices(&state.world);
    let chosen = use_state(|| None::<Resource>);
    let filters = use_state(Filters::default);
    let open = use_state(|| None::<(Subject, String)>);
    // The open bucket until the learner picks something else (or what they picked disappears).
    let resource = (*chosen)
        .clone()
        .filter(|r| choices.contains(r))
        .or_else(|| {
            choices
                .iter()
                .find(|r| r.bucket() == Some(state.bucket.as_str()))
                .or_else(|| choices.first())
                .cloned()
        });
    let answer = use_memo(
        (state.world.clone(), resource.clone(), state.now),
        |(world, resource, now)| resource.as_ref().map(|r| compute(world, r, *now)),
    );
    let Some(resource) = resource else {
        return html! {
            <section class="panel" aria-labelledby="whocan-h">
                <h2 id="whocan-h">{ "Who can access" }</h2>
                <p class="empty">{ "This world has no bucket, key or vault to ask about." }</p>
            </section>
        };
    };
    let Some(answer) = answer.as_ref() else {
        return html! {};
    };
    let on_resource = {
        let chosen = chosen.clone();
        let open = open.clone();
        let choices = choices.clone();
        Callback::from(move |e: Event| {
            let i: usize = select_value(&e).parse().unwrap_or(0);
            chosen.set(choices.get(i).cloned());
            open.set(None);
        })
    };
    let set_filter = |f: fn(&mut Filters, String)| {
        let filters = filters.clone();
        Callback::from(move |e: Event| {
            let mut next = (*filters).clone();
            f(&mut next, select_value(&e));
            filters.set(next);
        })
    };
    let kept: Vec<&Row> = answer.rows.iter().filter(|r| filters.keeps(r)).collect();
    let actions: Vec<&str> = answer
        .actions
        .iter()
        .map(String::as_str)
        .filter(|a| filters.action.is_empty() || *a == filters.action)
        .collect();
    let mut subjects: Vec<&Subject> = Vec::new();
    for row in &kept {
        if !subjects.contains(&&row.subject) {
            subjects.push(&row.subject);
        }
    }
    let accounts: BTreeSet<&str> = answer
        .rows
        .iter()
        .filter_map(|r| r.subject.account())
        .collect();
    let conditional: Vec<&&Row> = kept
        .iter()
        .filter(|r| Answer::of(r) == Answer::Conditional)
        .collect();
    let opened = (*open).as_ref().and_then(|(s, a)| {
        let row = answer
            .rows
            .iter()
            .find(|r| &r.subject == s && &r.action == a)?;
        Some((
            row.clone(),
            replay(&state.world, s, a, &resource, state.now),
        ))
    });
    let open_row = |row: &Row| {
        let open = open.clone();
        let key = (row.subject.clone(), row.action.clone());
        Callback::from(move |_: MouseEvent| open.set(Some(key.clone())))
    };
    let selected = choices.iter().position(|r| *r == resource).unwrap_or(0);
    html! {
        <section class="panel whocan" aria-labelledby="whocan-h" data-testid="who-can">
            <h2 id="whocan-h">{ "Who can access" }</h2>
            <p class="summary-line" data-testid="who-can-summary">{ render_ticks(&summary(answer)) }</p>
            <div class="analysis-filters">
                <label>{ "Resource" }
                    <select data-testid="who-can-resource" onchange={on_resource}>
                        { for choices.iter().enumerate().map(|(i, r)| html! {
                            <option value={i.to_string()} selected={i == selected}>{ resource_label(r) }</option>
                        }) }
                    </select>
                </label>
                <label>{ "Principal kind" }
                    <select data-testid="filter-kind" onchange={set_filter(|f, v| f.kind = v)}>
                        <option value="" selected={filters.kind.is_empty()}>{ "All" }</option>
                        { for KINDS.iter().map(|(v, l)| html! { <option value={*v} selected={filters.kind == *v}>{ *l }</option> }) }
                    </select>
                </label>
                <label>{ "Account" }
                    <select data-testid="filter-account" onchange={set_filter(|f, v| f.account = v)}>
                        <option value="" selected={filters.account.is_empty()}>{ "All" }</option>
                        { for accounts.iter().map(|a| html! { <option value={a.to_string()} selected={filters.account == *a}>{ *a }</option> }) }
                    </select>
                </label>
                <label>{ "Answer" }
                    <select data-testid="filter-answer" onchange={set_filter(|f, v| f.answer = v)}>
                        <option value="" selected={filters.answer.is_empty()}>{ "All" }</option>
                        <option value="allowed" selected={filters.answer == "allowed"}>{ "Allowed" }</option>
                        <option value="conditional" selected={filters.answer == "conditional"}>{ "Depends on the request" }</option>
                        <option value="denied" selected={filters.answer == "denied"}>{ "Denied" }</option>
                    </select>
                </label>
                <label>{ "Action" }
                    <select data-testid="filter-action" onchange={set_filter(|f, v| f.action = v)}>
                        <option value="" selected={filters.action.is_empty()}>{ "All" }</option>
                        { for answer.actions.iter().map(|a| html! { <option value={a.clone()} selected={filters.action == *a}>{ a }</option> }) }
                    </select>
                </label>
            </div>
            if subjects.is_empty() {
                <p class="empty" data-testid="who-can-empty">{ "No principal matches these filters." }</p>
            } else {
                <div class="table-scroll matrix-scroll">
                    <table class="matrix" data-testid="who-can-matrix">
                        <caption class="visually-hidden">{ format!("Who can do what on {resource}: a row per principal, a column per action") }</caption>
                        <thead>
                            <tr>
                                <th scope="col">{ "Principal" }</th>
                                { for actions.iter().map(|a| html! { <th scope="col"><code>{ a.strip_prefix("s3:").unwrap_or(a) }</code></th> }) }
                            </tr>
                        </thead>
                        <tbody>
                            { for subjects.iter().map(|s| html! {
                                <tr data-kind={kind_of(s)}>
                                    <th scope="row">{ render_ticks(&s.label()) }</th>
                                    { for actions.iter().map(|a| {
                                        match kept.iter().find(|r| &r.subject == *s && r.action == *a) {
                                            Some(row) => {
                                                let answer = Answer::of(row);
                                                let (symbol, word) = answer.cell();
                                                let current = (*open).as_ref().is_some_and(|(os, oa)| os == *s && oa == a);
                                                html! {
                                                    <td class={classes!("cell", answer.class())}>
                                                        <button type="button" class={classes!("cell-button", current.then_some("current"))}
                                                            aria-label={format!("{word} — {} — {}: {}", s.label().replace('`', ""), a, row.summary().replace('`', ""))}
                                                            title={row.summary().replace('`', "")}
                                                            aria-pressed={current.to_string()}
                                                            onclick={open_row(row)}><span aria-hidden="true">{ symbol }</span>{ " " }{ word }</button>
                                                    </td>
                                                }
                                            }
                                            None => html! { <td class="cell na"><span class="visually-hidden">{ "not asked" }</span></td> },
                                        }
                                    }) }
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            }
            if !conditional.is_empty() {
                <h3 class="sub">{ format!("Where the answer depends on the request ({})", conditional.len()) }</h3>
                <ul class="conditional-rows" data-testid="who-can-conditional">
                    { for conditional.iter().take(40).map(|row| html! {
                        <li>
                            <span>{ render_ticks(&row.who) }{ " — " }<code>{ &row.action }</code>{ ": " }{ render_ticks(&row.summary()) }</span>
                            <button type="button" class="ghost small" onclick={open_row(row)}>{ "Trace" }</button>
                        </li>
                    }) }
                </ul>
            }
            if let Some((row, outcome)) = opened {
                { detail(&row, outcome, &open) }
            }
        </section>
    }
}

/// The opened cell: its sentence, what decided, and the trace.
fn detail(
    row: &Row,
    outcome: Option<s3pg_sim::Outcome>,
    open: &UseStateHandle<Option<(Subject, String)>>,
) -> Html {
    let close = {
        let open = open.clone();
        Callback::from(move |()| open.set(None))
    };
    let title = format!("{} — `{}`: {}", row.who, row.action, row.summary());
    html! {
        <div class="row-detail" data-testid="who-can-detail">
            <p>{ "Decided by " }{ render_ticks(&row.verdict.decided_by()) }{ ": " }{ render_ticks(&row.verdict.reason) }</p>
            { match outcome {
                Some(outcome) => html! { <TraceDrawer title={title} {outcome} prefix="whocan-step" on_close={close} /> },
                None => html! {
                    <div class="trace-drawer" data-testid="analysis-trace">
                        <h3>{ render_ticks(&title) }</h3>
                        <p class="hint">{ "An AWS service sends no request the playground could replay: this answer reads the bucket policy and the bucket ACL the way S3 authorizes the service's delivery." }</p>
                    </div>
                },
            } }
        </div>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::state::{AppState, DEFAULT_SCENARIO};

    fn answer() -> WhoCan {
        let s = AppState::from_scenario_text(DEFAULT_SCENARIO);
        compute(
            &s.world,
            &Resource::Bucket {
                bucket: s.bucket.clone(),
            },
            s.now,
        )
    }

    #[test]
    fn the_summary_counts_every_principal_once() {
        let a = answer();
        let text = summary(&a);
        let subjects: BTreeSet<&Subject> = a.rows.iter().map(|r| &r.subject).collect();
        assert!(
            text.contains(&format!("of {} principals", subjects.len())),
            "{text}"
        );
        assert!(text.contains("Anonymous callers"), "{text}");
    }

    #[test]
    fn filters_keep_only_matching_rows() {
        let a = answer();
        let users = Filters {
            kind: "user".into(),
            ..Filters::default()
        };
        assert!(
            a.rows
                .iter()
                .filter(|r| users.keeps(r))
                .all(|r| matches!(r.subject, Subject::User { .. }))
        );
        let denied = Filters {
            answer: "denied".into(),
            ..Filters::default()
        };
        assert!(
            a.rows
                .iter()
                .filter(|r| denied.keeps(r))
                .all(|r| !r.verdict.allowed && r.allowed_with.is_empty())
        );
    }

    #[test]
    fn a_row_allowed_only_with_a_change_is_conditional() {
        let a = answer();
        for row in &a.rows {
            let expected = if row.verdict.allowed {
                if row.denied_with.is_empty() {
                    Answer::Allowed
                } else {
                    Answer::Conditional
                }
            } else if row.allowed_with.is_empty() {
                Answer::Denied
            } else {
                Answer::Conditional
            };
            assert_eq!(Answer::of(row), expected);
        }
    }
}

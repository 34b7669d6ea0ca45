//! Who can access a resource, as a matrix: principals down, actions across, each cell the world's
//! answer for that principal's request ("yes", "no", or "only over HTTPS" when the answer depends
//! on the request), filters by principal kind, account, answer and action, and each cell opening
//! its trace. Computed when the view opens or the world changes, never on a keystroke; drawn a
//! page of [`PAGE`] principals at a time, so a course-sized world's thousand cells cost the page
//! a few hundred. Unless the question is small ([`AT_ONCE`]), the first page's principals are
//! asked first and drawn at once; the others are asked a page at a time in later tasks (the page
//! stays responsive), and the summary, the filters' choices and the pager follow when every
//! principal has been asked.
//!
//! Follows S3's authorization workflow
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html>)
//! and IAM's Principal element
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html>).

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use s3pg_analysis::Subject;
use s3pg_analysis::resource::Resource;
use s3pg_analysis::who_can::{Options, Row, Run, WhoCan};
use s3pg_sim::{Timestamp, World};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::{TraceDrawer, replay, resource_choices, resource_label};
use crate::components::PanelProps;
use crate::text::render_ticks;

mod grid;
mod matrix;
pub use grid::{Answer, Grid, kind_of};
use matrix::{cell_of, matrix_html};

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
    // Each principal's best answer, in one pass over the rows (in the order they come).
    let mut best: Vec<(&Subject, Answer)> = Vec::new();
    let mut index: HashMap<&Subject, usize> = HashMap::new();
    for row in &answer.rows {
        let a = Answer::of(row);
        match index.get(&row.subject) {
            Some(&i) => {
                if let Some(entry) = best.get_mut(i) {
                    entry.1 = better(entry.1, a);
                }
            }
            None => {
                index.insert(&row.subject, best.len());
                best.push((&row.subject, a));
            }
        }
    }
    let count = |a: Answer| best.iter().filter(|(_, b)| *b == a).count();
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
        best.len(),
        answer.actions.len(),
        count(Answer::Conditional),
        count(Answer::Denied),
    )
}

/// The more permissive of two answers (allowed, then conditional, then denied).
fn better(a: Answer, b: Answer) -> Answer {
    match (a, b) {
        (Answer::Allowed, _) | (_, Answer::Allowed) => Answer::Allowed,
        (Answer::Conditional, _) | (_, Answer::Conditional) => Answer::Conditional,
        _ => Answer::Denied,
    }
}

/// How many principals the matrix shows at a time: about what its scroll box shows, so the page
/// draws a few hundred cells, not a thousand (a course-sized world has 60 principals).
pub const PAGE: usize = 15;

/// Up to this many questions (principals × actions), a run is asked to the end at once: drawing
/// a first page and then the whole answer would cost a second render and paint for little gain
/// (an object's five actions in a course-sized world: a few milliseconds of dry runs).
const AT_ONCE: usize = 400;

/// A who-can run begun on the first [`PAGE`] principals, or asked to the end when it is small
/// (kept apart from the component so its closure stays small).
fn begin(world: &World, resource: &Resource, now: Timestamp) -> Run {
    super::measured("s3pg:who-can", || {
        let mut run = Run::new(world, resource, now, &Options::default());
        let questions = run.progress().1.saturating_mul(run.answer().actions.len());
        run.step(
            world,
            if questions <= AT_ONCE {
                usize::MAX
            } else {
                PAGE
            },
        );
        run
    })
}

/// What the run was asked about: the world (by identity), the resource and the time.
type Key = (SameWorld, Resource, Timestamp);

/// The panel's run, with what it is about.
struct Asking {
    key: Key,
    run: Run,
}

/// The run for `key`, begun now unless the one held is about it already.
fn asking_for(slot: &RefCell<Option<Asking>>, key: &Key) {
    let mut slot = slot.borrow_mut();
    if slot.as_ref().is_none_or(|a| a.key != *key) {
        let (world, resource, now) = key;
        *slot = Some(Asking {
            key: key.clone(),
            run: begin(&world.0, resource, *now),
        });
    }
}

/// Asks the principals the run has not asked yet, a page of them per task, starting after the
/// first page has been painted; then re-renders the panel. Stops when the panel has moved on to
/// another run (`live` false, or another key in the slot).
#[cfg(target_arch = "wasm32")]
fn ask_the_rest(
    slot: Rc<RefCell<Option<Asking>>>,
    key: Key,
    live: Rc<std::cell::Cell<bool>>,
    rerender: yew::functional::UseForceUpdateHandle,
) {
    /// Whether the run in `slot` is `key`'s and has principals left to ask.
    fn pending(slot: &RefCell<Option<Asking>>, key: &Key) -> bool {
        slot.borrow()
            .as_ref()
            .is_some_and(|a| a.key == *key && !a.run.done())
    }
    if !pending(&slot, &key) {
        return;
    }
    yew::platform::spawn_local(async move {
        after_paint().await;
        while live.get() && pending(&slot, &key) {
            if let Some(a) = slot.borrow_mut().as_mut() {
                super::measured("s3pg:who-can", || a.run.step(&key.0.0, PAGE));
            }
            if pending(&slot, &key) {
                gloo::timers::future::TimeoutFuture::new(0).await;
            }
        }
        if live.get() {
            rerender.force_update();
        }
    });
}

/// Natively (tests) there is no page to keep responsive: the run is asked to the end at once.
#[cfg(not(target_arch = "wasm32"))]
fn ask_the_rest(
    slot: Rc<RefCell<Option<Asking>>>,
    key: Key,
    _live: Rc<std::cell::Cell<bool>>,
    _rerender: yew::functional::UseForceUpdateHandle,
) {
    if let Some(a) = slot.borrow_mut().as_mut().filter(|a| a.key == key) {
        a.run.step(&key.0.0, usize::MAX);
    }
}

/// Resolves once the browser has painted the next frame (an animation frame, then a task).
#[cfg(target_arch = "wasm32")]
async fn after_paint() {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let then = Closure::once_into_js(move || {
            if let Some(w) = web_sys::window() {
                let _ = w.set_timeout_with_callback(resolve.unchecked_ref());
            }
        });
        if let Some(w) = web_sys::window() {
            let _ = w.request_animation_frame(then.unchecked_ref());
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// While the run has not asked everyone: how far it has got, in place of the summary.
fn progress_line(run: &Run) -> String {
    let (asked, total) = run.progress();
    format!(
        "On `{}`: {asked} of {total} principals asked so far; the others follow in a moment.",
        run.answer().resource
    )
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
    let page = use_state(|| 0usize);
    let asking = use_mut_ref(|| None::<Asking>);
    let rerender = use_force_update();
    let key: Option<Key> = resource
        .clone()
        .map(|r| (SameWorld(state.world.clone()), r, state.now));
    if let Some(key) = &key {
        asking_for(&asking, key);
    }
    {
        let asking = asking.clone();
        use_effect_with(key, move |key| {
            let live = Rc::new(std::cell::Cell::new(true));
            if let Some(key) = key.clone() {
                ask_the_rest(asking, key, live.clone(), rerender);
            }
            move || live.set(false)
        });
    }
    let Some(resource) = resource else {
        return html! {
            <section class="panel" aria-labelledby="whocan-h">
                <h2 id="whocan-h">{ "Who can access" }</h2>
                <p class="empty">{ "This world has no bucket, key or vault to ask about." }</p>
            </section>
        };
    };
    let held = asking.borrow();
    let Some(run) = held.as_ref().map(|a| &a.run) else {
        return html! {};
    };
    let answer = run.answer();
    let complete = run.done();
    let on_resource = {
        let chosen = chosen.clone();
        let open = open.clone();
        let choices = choices.clone();
        let page = page.clone();
        Callback::from(move |e: Event| {
            let i: usize = select_value(&e).parse().unwrap_or(0);
            chosen.set(choices.get(i).cloned());
            open.set(None);
            page.set(0);
        })
    };
    let set_filter = |f: fn(&mut Filters, String)| {
        let filters = filters.clone();
        let page = page.clone();
        Callback::from(move |e: Event| {
            let mut next = (*filters).clone();
            f(&mut next, select_value(&e));
            filters.set(next);
            page.set(0);
        })
    };
    let kept: Vec<&Row> = answer.rows.iter().filter(|r| filters.keeps(r)).collect();
    let actions: Vec<&str> = answer
        .actions
        .iter()
        .map(String::as_str)
        .filter(|a| filters.action.is_empty() || *a == filters.action)
        .collect();
    let grid = Grid::of(&kept, &actions);
    let pages = grid.subjects.len().div_ceil(PAGE).max(1);
    let current_page = (*page).min(pages - 1);
    let first = current_page * PAGE;
    let last = (first + PAGE).min(grid.subjects.len());
    // Inserted one by one: collecting a thousand rows' accounts would sort them all first.
    let mut accounts: BTreeSet<&str> = BTreeSet::new();
    for account in answer.rows.iter().filter_map(|r| r.subject.account()) {
        accounts.insert(account);
    }
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
    let open_ref = (*open).as_ref();
    let open_row = |row: &Row| {
        let open = open.clone();
        let key = (row.subject.clone(), row.action.clone());
        Callback::from(move |_: MouseEvent| open.set(Some(key.clone())))
    };
    let selected = choices.iter().position(|r| *r == resource).unwrap_or(0);
    let on_cell = {
        let open = open.clone();
        // What a cell's `data-cell` indexes: the page's principals and the shown actions.
        let subjects: Vec<Subject> = grid
            .subjects
            .get(first..last)
            .unwrap_or_default()
            .iter()
            .map(|s| (*s).clone())
            .collect();
        let shown: Vec<String> = actions.iter().map(|a| (*a).to_owned()).collect();
        Callback::from(move |e: MouseEvent| {
            let cell = e
                .target_dyn_into::<web_sys::Element>()
                .and_then(|t| t.closest("button[data-cell]").ok().flatten())
                .and_then(|b| b.get_attribute("data-cell"));
            if let Some((s, a)) = cell.as_deref().and_then(|c| cell_of(c, &subjects, &shown)) {
                open.set(Some((s.clone(), a.clone())));
            }
        })
    };
    html! {
        <section class="panel whocan" aria-labelledby="whocan-h" data-testid="who-can" data-complete={complete.to_string()}>
            <h2 id="whocan-h">{ "Who can access" }</h2>
            <p class="summary-line" data-testid="who-can-summary">{ render_ticks(&if complete { summary(answer) } else { progress_line(run) }) }</p>
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
            if grid.subjects.is_empty() {
                <p class="empty" data-testid="who-can-empty">{ "No principal matches these filters." }</p>
            } else {
                // The page of the matrix is one piece of HTML (see `matrix_html`); its cells'
                // clicks reach this one listener.
                <div class="table-scroll matrix-scroll" onclick={on_cell}>
                    { Html::from_html_unchecked(matrix_html(&resource, &actions, &grid, first..last, open_ref).into()) }
                </div>
                if pages > 1 {
                    { pager(&page, current_page, pages, first, last, grid.subjects.len()) }
                }
            }
            // Below the matrix: drawn once every principal is asked (the first page comes first).
            if complete && !conditional.is_empty() {
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

/// A world compared by identity: the memo recomputes when the state holds another world, without
/// comparing two worlds field by field on every render.
#[derive(Clone)]
struct SameWorld(Rc<World>);

impl PartialEq for SameWorld {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// "Principals 16–30 of 61" with the buttons to the previous and next page.
fn pager(
    page: &UseStateHandle<usize>,
    current: usize,
    pages: usize,
    first: usize,
    last: usize,
    total: usize,
) -> Html {
    let go = |to: usize| {
        let page = page.clone();
        Callback::from(move |_: MouseEvent| page.set(to))
    };
    html! {
        <nav class="matrix-pager" aria-label="Pages of principals" data-testid="who-can-pager">
            <button type="button" class="ghost small" disabled={current == 0}
                onclick={go(current.saturating_sub(1))}>{ "← Previous principals" }</button>
            <span aria-live="polite">{ format!("Principals {}–{last} of {total} (page {} of {pages})", first + 1, current + 1) }</span>
            <button type="button" class="ghost small" disabled={current + 1 >= pages}
                onclick={go(current + 1)}>{ "Next principals →" }</button>
        </nav>
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
    use super::matrix::{escape_into, ticks_into};
    use super::*;
    use crate::state::{AppState, DEFAULT_SCENARIO};

    fn answer() -> WhoCan {
        let s = AppState::from_scenario_text(DEFAULT_SCENARIO);
        s3pg_analysis::who_can::who_can(
            &s.world,
            &Resource::Bucket {
                bucket: s.bucket.clone(),
            },
            s.now,
            &Options::default(),
        )
    }

    #[test]
    fn a_run_begins_with_the_first_page_of_principals_unless_it_is_small() {
        let s = AppState::from_scenario_text(DEFAULT_SCENARIO);
        let resource = Resource::Bucket {
            bucket: s.bucket.clone(),
        };
        let run = begin(&s.world, &resource, s.now);
        let (asked, total) = run.progress();
        if total * run.answer().actions.len() <= AT_ONCE {
            // A small world is asked to the end at once.
            assert!(run.done());
        } else {
            assert_eq!(asked, total.min(PAGE));
        }
        assert!(progress_line(&run).contains(&format!("{asked} of {total} principals")));
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
    fn the_grid_puts_each_row_under_its_principal_and_action() {
        let a = answer();
        let rows: Vec<&Row> = a.rows.iter().collect();
        let actions: Vec<&str> = a.actions.iter().map(String::as_str).collect();
        let grid = Grid::of(&rows, &actions);
        let subjects: BTreeSet<&Subject> = a.rows.iter().map(|r| &r.subject).collect();
        assert_eq!(grid.subjects.len(), subjects.len());
        let mut placed = 0;
        for (i, s) in grid.subjects.iter().enumerate() {
            for (j, action) in actions.iter().enumerate() {
                if let Some(row) = grid.cells[i][j] {
                    assert_eq!((&row.subject, row.action.as_str()), (*s, *action));
                    placed += 1;
                }
            }
        }
        assert_eq!(placed, a.rows.len());
    }

    #[test]
    fn each_cell_of_the_matrix_html_names_its_principal_and_action_and_opens_them() {
        let a = answer();
        let rows: Vec<&Row> = a.rows.iter().collect();
        let actions: Vec<&str> = a.actions.iter().map(String::as_str).collect();
        let grid = Grid::of(&rows, &actions);
        let last = grid.subjects.len().min(PAGE);
        let page: Vec<Subject> = grid.subjects[..last].iter().map(|s| (*s).clone()).collect();
        let shown: Vec<String> = a.actions.clone();
        let open = (page[1].clone(), shown[0].clone());
        let html = matrix_html(&a.resource, &actions, &grid, 0..last, Some(&open));
        let mut cells = 0;
        for button in html.split("<button ").skip(1) {
            let cell = button
                .split_once(r#"data-cell=""#)
                .and_then(|(_, rest)| rest.split_once('"'))
                .map(|(c, _)| c)
                .expect("every cell button has its data-cell");
            let (subject, action) = cell_of(cell, &page, &shown).expect("a cell of the page");
            let label = button
                .split_once(r#"aria-label=""#)
                .and_then(|(_, rest)| rest.split_once('"'))
                .map(|(l, _)| l)
                .expect("an accessible name");
            assert!(label.contains(&format!(" — {action}: ")), "{label}");
            assert!(
                label.contains(&escaped(&subject.label().replace('`', ""))),
                "{label}"
            );
            let pressed = (subject, action) == (&open.0, &open.1);
            assert!(button.contains(&format!(r#"aria-pressed="{pressed}""#)));
            cells += 1;
        }
        let expected: usize = grid.cells[..last].iter().flatten().flatten().count();
        assert_eq!(cells, expected);
        assert_eq!(html.matches("<tr data-kind=").count(), last);
        // Bad indexes open nothing.
        assert!(cell_of("99 0", &page, &shown).is_none());
        assert!(cell_of("x", &page, &shown).is_none());
    }

    fn escaped(text: &str) -> String {
        let mut out = String::new();
        escape_into(&mut out, text);
        out
    }

    #[test]
    fn text_in_the_matrix_html_is_escaped_and_ticks_are_code() {
        assert_eq!(
            escaped(r#"<b class="x">&'</b>"#),
            "&lt;b class=&quot;x&quot;&gt;&amp;&#39;&lt;/b&gt;"
        );
        let mut out = String::new();
        ticks_into(&mut out, "user `a<b` of `111122223333`");
        assert_eq!(out, "user <code>a&lt;b</code> of <code>111122223333</code>");
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

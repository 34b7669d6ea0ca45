//! "What would flip this?" under a decision: the candidate changes that turn S3's answer around
//! — a request property, a statement or condition removed, a statement added, a Block Public
//! Access flag, Object Ownership, an ACL grant — each verified by a dry run, smallest first, each
//! explained in a sentence. "Try it" never changes the world behind the learner's back: a request
//! change goes to the request builder, a bucket-policy change to the policy editor as a draft
//! (Save sends `PutBucketPolicy`), and a setting is the request the S3 console would send, shown
//! traced in the decision pane. Computed when the learner opens it, never on a keystroke.
//!
//! Follows S3's authorization workflow
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html>).

use s3pg_analysis::flip::{BpaFlag, Edit, Flip, Place, flip};
use s3pg_sim::{Request, Timestamp, World};
use yew::prelude::*;

use super::form_with_change;
use crate::components::PanelProps;
use crate::state::{Action, AppState, BucketTab, Origin, Setting, Shown, View};
use crate::text::render_ticks;

/// How many proposals the panel lists (the rest are counted).
const SHOWN: usize = 8;

/// What "try it" does for one proposal: the actions to dispatch and the button's words.
pub fn try_it(state: &AppState, edit: &Edit) -> Option<(String, Vec<Action>)> {
    let last = state.last.as_ref()?;
    match edit {
        Edit::Request { change } => {
            if last.origin != Origin::Builder {
                return None;
            }
            let form = form_with_change(&state.form, change)?;
            Some((
                "Try it in the request builder".to_owned(),
                vec![Action::SetForm(form), Action::Navigate(View::Requests)],
            ))
        }
        Edit::RemoveStatement { place, .. }
        | Edit::RemoveAction { place, .. }
        | Edit::RemoveCondition { place, .. }
        | Edit::RemoveConditionValue { place, .. }
        | Edit::AddStatement { place, .. } => {
            let Place::BucketPolicy { bucket } = place else {
                return None;
            };
            let (world, _) = edit.apply(&last.world_before, &last.request, last.at)?;
            let text = match place.get(&world) {
                Some(doc) => serde_json::to_string_pretty(&doc).ok()?,
                None => String::new(),
            };
            Some((
                "Put it in the policy editor as a draft".to_owned(),
                vec![
                    Action::SelectBucket(bucket.clone()),
                    Action::EditPolicy(text),
                    Action::SetBucketTab(BucketTab::Permissions),
                    Action::Navigate(View::Buckets),
                ],
            ))
        }
        Edit::BucketBpa { bucket, flag, on } => {
            let current = state
                .world
                .buckets
                .get(bucket)?
                .public_access_block
                .unwrap_or_default();
            let mut flags = [
                current.block_public_acls,
                current.ignore_public_acls,
                current.block_public_policy,
                current.restrict_public_buckets,
            ];
            let i = match flag {
                BpaFlag::BlockPublicAcls => 0,
                BpaFlag::IgnorePublicAcls => 1,
                BpaFlag::BlockPublicPolicy => 2,
                BpaFlag::RestrictPublicBuckets => 3,
            };
            *flags.get_mut(i)? = *on;
            Some((
                "Send PutPublicAccessBlock".to_owned(),
                vec![
                    Action::SelectBucket(bucket.clone()),
                    Action::Apply(Setting::BlockPublicAccess(flags)),
                ],
            ))
        }
        Edit::ObjectOwnership { bucket, ownership } => Some((
            "Send PutBucketOwnershipControls".to_owned(),
            vec![
                Action::SelectBucket(bucket.clone()),
                Action::Apply(Setting::ObjectOwnership(*ownership)),
            ],
        )),
        _ => None,
    }
}

/// What the panel asks about: the last request sent, the world it met and when.
fn inputs(state: &AppState) -> Option<(std::rc::Rc<World>, Request, Timestamp)> {
    let last = state.last.as_ref()?;
    (state.shown == Shown::Sent).then(|| (last.world_before.clone(), last.request.clone(), last.at))
}

/// One sentence above the proposals.
pub fn summary(f: &Flip) -> String {
    let goal = if f.before.allowed {
        "refuse it"
    } else {
        "allow it"
    };
    match f.proposals.first() {
        None => format!(
            "None of the {} candidate changes tried would make S3 {goal}.",
            f.searched
        ),
        Some(p) => format!(
            "{} of {} candidate changes would make S3 {goal}; the smallest: {}.",
            f.proposals.len(),
            f.searched,
            p.edit.describe()
        ),
    }
}

/// "What would flip this?", under the decision of the last request sent.
#[function_component(FlipPanel)]
pub fn flip_panel(props: &PanelProps) -> Html {
    let state = &props.state;
    let expanded = use_state(|| false);
    let input = inputs(state);
    let available = input.is_some();
    // Keyed on the send and on being open: the search runs once per decision, when asked.
    let answer = {
        let open = *expanded;
        use_memo((state.sends, open), move |(_, open)| {
            if *open {
                input.map(|(w, r, at)| super::measured("s3pg:flip", || flip(&w, &r, at)))
            } else {
                None
            }
        })
    };
    if !available {
        return html! {};
    }
    let toggle = {
        let expanded = expanded.clone();
        Callback::from(move |_: MouseEvent| expanded.set(!*expanded))
    };
    html! {
        <section class="flip" aria-labelledby="flip-h" data-testid="flip">
            <h3 id="flip-h">
                <button type="button" class="disclosure" aria-expanded={expanded.to_string()} aria-controls="flip-body" onclick={toggle}>
                    { "What would flip this?" }
                </button>
            </h3>
            if *expanded {
                <div id="flip-body">
                    if let Some(f) = answer.as_ref() {
                        <p class="summary-line" data-testid="flip-summary">{ render_ticks(&summary(f)) }</p>
                        if state.last.as_ref().is_some_and(|l| l.what_if.is_some()) {
                            <p class="hint">{ "These change the world as it is, not your unsaved policy draft." }</p>
                        }
                        <ol class="proposals">
                            { for f.proposals.iter().take(SHOWN).map(|p| {
                                let tryit = try_it(state, &p.edit).map(|(label, actions)| {
                                    let d = props.dispatch.clone();
                                    let onclick = Callback::from(move |_: MouseEvent| {
                                        for a in actions.clone() {
                                            d.emit(a);
                                        }
                                    });
                                    html! { <button type="button" class="ghost small" {onclick}>{ label }</button> }
                                });
                                html! {
                                    <li data-testid="proposal" data-size={p.size.to_string()}>
                                        <span class="pill">{ format!("size {}", p.size) }</span>
                                        <span class="sentence">{ render_ticks(&p.explanation) }</span>
                                        { tryit.unwrap_or_default() }
                                    </li>
                                }
                            }) }
                        </ol>
                        if f.proposals.len() > SHOWN {
                            <p class="hint">{ format!("{} more, each larger or as large.", f.proposals.len() - SHOWN) }</p>
                        }
                    }
                </div>
            }
        </section>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::state::DEFAULT_SCENARIO;
    use std::rc::Rc;
    use yew::Reducible;

    #[test]
    fn the_default_refusal_flips_with_the_encryption_header_in_the_builder() {
        // The page opens on PutObject without x-amz-server-side-encryption: explicitly denied.
        let s = Rc::new(AppState::from_scenario_text(DEFAULT_SCENARIO)).reduce(Action::Send);
        let (w, r, at) = inputs(&s).expect("a request was sent");
        let f = flip(&w, &r, at);
        assert!(!f.before.allowed);
        let header = f
            .proposals
            .iter()
            .find(|p| {
                matches!(&p.edit, Edit::Request { change: s3pg_analysis::props::RequestChange::SetHeader { name, .. } }
                    if name == "x-amz-server-side-encryption")
            })
            .expect("adding the header flips it");
        let (_, actions) = try_it(&s, &header.edit).expect("the builder can send it");
        // Trying it fills the form and opens the builder; sending it is then allowed.
        let mut t = s.clone();
        for a in actions {
            t = t.reduce(a);
        }
        assert_eq!(t.view, View::Requests);
        assert!(s.world == t.world, "trying it changes nothing");
        let t = t.reduce(Action::Send);
        assert!(t.last.as_ref().unwrap().outcome.status < 300);
        assert!(summary(&f).contains("would make S3 allow it"));
    }

    #[test]
    fn a_bucket_policy_change_becomes_a_draft_not_a_save() {
        let s = Rc::new(AppState::from_scenario_text(DEFAULT_SCENARIO)).reduce(Action::Send);
        let (w, r, at) = inputs(&s).unwrap();
        let f = flip(&w, &r, at);
        let p = f
            .proposals
            .iter()
            .find(|p| {
                matches!(
                    &p.edit,
                    Edit::RemoveStatement {
                        place: Place::BucketPolicy { .. },
                        ..
                    }
                )
            })
            .expect("removing the deny flips it");
        let (_, actions) = try_it(&s, &p.edit).unwrap();
        let mut t = s.clone();
        for a in actions {
            t = t.reduce(a);
        }
        assert!(t.policy_is_draft());
        assert!(s.world == t.world);
        assert_eq!(t.view, View::Buckets);
    }
}

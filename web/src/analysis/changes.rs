//! The access diff after a saved change: when the console's request for a setting (a bucket
//! policy saved, an ACL, Block Public Access, Object Ownership, …) succeeds, the access it gained
//! and lost — every principal × action × resource whose answer changed, each in a sentence
//! ("this change lets anonymous callers `s3:GetObject` `examplebucket/*`") and each opening its
//! trace in the world as it is now. Computed once per send, never on a keystroke.
//!
//! The idea is the S3 console's "Preview external access"
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-preview-access-s3-console.html>),
//! taken to every principal of the world.

use s3pg_analysis::Subject;
use s3pg_analysis::diff::{Change, DiffRow, diff};
use s3pg_analysis::resource::Resource;
use s3pg_sim::{Outcome, Timestamp, World};
use yew::prelude::*;

use super::{TraceDrawer, replay};
use crate::components::PanelProps;
use crate::state::{Origin, Shown};
use crate::text::render_ticks;

/// The resource a diff row names (`bucket`, `bucket/key`, or `bucket/*` for every object alike,
/// answered by the bucket's first object) and the world to replay it in: for an empty bucket,
/// the world with the placeholder object the diff asked about
/// ([`s3pg_analysis::resource::NEW_OBJECT_KEY`]).
pub fn row_resource(world: &World, text: &str) -> Option<(Resource, World)> {
    match text.split_once('/') {
        None => Some((
            Resource::Bucket {
                bucket: text.to_owned(),
            },
            world.clone(),
        )),
        Some((bucket, "*")) => {
            let b = world.buckets.get(bucket)?;
            let mut w = world.clone();
            let key = match b.objects.keys().next() {
                Some(k) => k.clone(),
                None => {
                    let key = s3pg_analysis::resource::NEW_OBJECT_KEY.to_owned();
                    let entry = serde_json::from_value(
                        serde_json::json!({"versions": [{"body": "placeholder"}]}),
                    )
                    .ok()?;
                    w.buckets
                        .get_mut(bucket)?
                        .objects
                        .insert(key.clone(), entry);
                    w.normalize();
                    key
                }
            };
            Some((
                Resource::Object {
                    bucket: bucket.to_owned(),
                    key,
                },
                w,
            ))
        }
        Some((bucket, key)) => Some((
            Resource::Object {
                bucket: bucket.to_owned(),
                key: key.to_owned(),
            },
            world.clone(),
        )),
    }
}

/// One sentence above the diff.
pub fn summary(rows: &[DiffRow]) -> String {
    let gained = rows.iter().filter(|r| r.change == Change::Gained).count();
    let lost = rows.len() - gained;
    match (gained, lost) {
        (0, 0) => "This change did not change who can do what: every principal gets the same answer as before.".to_owned(),
        _ => {
            let first = rows
                .first()
                .map(|r| format!(" For example, {}.", r.explanation))
                .unwrap_or_default();
            format!("This change gained {gained} and lost {lost} access(es).{first}")
        }
    }
}

/// What the panel diffs: the world before the last saved setting and the world now, and when.
fn inputs(state: &crate::state::AppState) -> Option<(std::rc::Rc<World>, Timestamp)> {
    let last = state.last.as_ref()?;
    (state.shown == Shown::Sent
        && last.origin == Origin::Setting
        && last.outcome.status < 300
        && !last.outcome.effects.is_empty())
    .then(|| (last.world_before.clone(), last.at))
}

/// The diff of the last saved change, under S3's answer to it.
#[function_component(ChangeDiff)]
pub fn change_diff(props: &PanelProps) -> Html {
    let state = &props.state;
    let open = use_state(|| None::<usize>);
    // Keyed on the number of sends: a keystroke never recomputes it.
    let rows = {
        let input = inputs(state).map(|(before, at)| (before, state.world.clone(), at));
        use_memo(state.sends, move |_| {
            input.map(|(before, after, at)| {
                super::measured("s3pg:diff", || diff(&before, &after, at))
            })
        })
    };
    {
        let open = open.clone();
        use_effect_with(state.sends, move |_| open.set(None));
    }
    let Some(rows) = rows.as_ref() else {
        return html! {};
    };
    let at = state.last.as_ref().map_or(state.now, |l| l.at);
    let opened: Option<(String, Outcome)> = (*open).and_then(|i| {
        let row = rows.get(i)?;
        let (resource, world) = row_resource(&state.world, &row.resource)?;
        let outcome = replay(&world, &row.subject, &row.action, &resource, at)?;
        Some((
            format!(
                "Now: {} — `{}` on `{}`",
                row.subject.label(),
                row.action,
                resource
            ),
            outcome,
        ))
    });
    html! {
        <section class="change-diff" aria-labelledby="diff-h" data-testid="change-diff">
            <h3 id="diff-h">{ "What this change did to access" }</h3>
            <p class="summary-line" data-testid="change-diff-summary">{ render_ticks(&summary(rows)) }</p>
            if !rows.is_empty() {
                <ul class="diff-rows">
                    { for rows.iter().enumerate().map(|(i, r)| {
                        let open = open.clone();
                        let service = matches!(r.subject, Subject::Service { .. });
                        html! {
                            <li class={classes!("diff-row", if r.change == Change::Gained { "gained" } else { "lost" })} data-testid="diff-row">
                                <span class="pill">{ if r.change == Change::Gained { "gained" } else { "lost" } }</span>
                                <span class="sentence">{ render_ticks(&r.explanation) }</span>
                                if !service {
                                    <button type="button" class="ghost small"
                                        aria-label={format!("Trace: {} {} on {}", r.subject.label().replace('`', ""), r.action, r.resource)}
                                        onclick={Callback::from(move |_: MouseEvent| open.set(Some(i)))}>{ "Trace" }</button>
                                }
                            </li>
                        }
                    }) }
                </ul>
            }
            if let Some((title, outcome)) = opened {
                <TraceDrawer title={title} {outcome} prefix="diff-step" on_close={{ let open = open.clone(); Callback::from(move |()| open.set(None)) }} />
            }
        </section>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::state::{Action, AppState, DEFAULT_SCENARIO};
    use std::rc::Rc;
    use yew::Reducible;

    #[test]
    fn saving_a_public_read_statement_is_a_gain_for_anonymous_callers() {
        let s = Rc::new(AppState::from_scenario_text(DEFAULT_SCENARIO));
        let bucket = s.bucket.clone();
        let policy = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::{bucket}","arn:aws:s3:::{bucket}/*"]}}]}}"#
        );
        // Block Public Access off first, as the console would need.
        let s = s.reduce(Action::Apply(crate::state::Setting::BlockPublicAccess(
            [false; 4],
        )));
        let s = s
            .reduce(Action::EditPolicy(policy))
            .reduce(Action::SavePolicy);
        let (before, at) = inputs(&s).expect("a saved change is diffed");
        let rows = diff(&before, &s.world, at);
        assert!(
            rows.iter().any(|r| r.change == Change::Gained
                && r.subject == Subject::Anonymous
                && r.action == "s3:GetObject"),
            "{rows:#?}"
        );
        assert!(summary(&rows).contains("gained"));
        // Each row names a resource whose trace can be replayed.
        for r in &rows {
            let (resource, world) = row_resource(&s.world, &r.resource).expect("a resource");
            if r.subject == Subject::Anonymous && r.change == Change::Gained {
                let o = replay(&world, &r.subject, &r.action, &resource, at).expect("a dry run");
                assert_eq!(
                    o.decision,
                    Some(s3pg_sim::Decision::Allow),
                    "{}",
                    r.resource
                );
            }
        }
    }

    #[test]
    fn a_builder_request_is_not_diffed() {
        let s = Rc::new(AppState::from_scenario_text(DEFAULT_SCENARIO)).reduce(Action::Send);
        assert!(inputs(&s).is_none());
    }
}

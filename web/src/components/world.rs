//! The world panel: the scenario, the bucket's settings that take part in the decision, and the
//! identity policies of whoever is about to send the request.

use yew::prelude::*;

use crate::state::AppState;
use s3pg_sim::Caller;

/// Props: the app state (this panel summarises several parts of it).
#[derive(Properties, PartialEq)]
pub struct WorldProps {
    /// The app state.
    pub state: UseReducerHandle<AppState>,
}

/// What the learner is working with.
#[function_component(WorldPanel)]
pub fn world_panel(props: &WorldProps) -> Html {
    let state = &props.state;
    let bucket = state.world.buckets.get(&state.bucket);
    let caller = state.callers.get(state.form.caller);
    let policies: Vec<(String, String)> = match caller.map(|c| &c.caller) {
        Some(Caller::User { name, account }) => account
            .as_ref()
            .and_then(|a| state.world.accounts.get(a))
            .and_then(|a| a.users.get(name))
            .map(|u| {
                u.policies
                    .iter()
                    .map(|p| {
                        (
                            p.name.clone(),
                            serde_json::to_string_pretty(&p.document).unwrap_or_default(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    html! {
        <>
            <section class="panel" aria-labelledby="scenario-h">
                <h2 id="scenario-h"><span class="num">{ "1" }</span>{ &state.title }</h2>
                <p class="hint">{ &state.description }</p>
            </section>
            <section class="panel" aria-labelledby="bucket-h">
                <h2 id="bucket-h">{ "Bucket " }<code>{ &state.bucket }</code></h2>
                if let Some(b) = bucket {
                    <dl class="facts">
                        <dt>{ "Owner account" }</dt><dd><code>{ &b.owner }</code></dd>
                        <dt>{ "Region" }</dt><dd><code>{ &b.region }</code></dd>
                        <dt>{ "Object Ownership" }</dt><dd>{ format!("{:?}", b.object_ownership) }</dd>
                        <dt>{ "Block Public Access" }</dt>
                        <dd>{ match &b.public_access_block {
                            Some(p) if p.block_public_acls && p.ignore_public_acls && p.block_public_policy && p.restrict_public_buckets => "all four settings on".to_owned(),
                            Some(p) => format!("BlockPublicAcls {}, IgnorePublicAcls {}, BlockPublicPolicy {}, RestrictPublicBuckets {}",
                                on_off(p.block_public_acls), on_off(p.ignore_public_acls), on_off(p.block_public_policy), on_off(p.restrict_public_buckets)),
                            None => "off".to_owned(),
                        } }</dd>
                        <dt>{ "Versioning" }</dt><dd>{ format!("{:?}", b.versioning) }</dd>
                        <dt>{ "Objects" }</dt>
                        <dd data-testid="object-count">{
                            if b.objects.is_empty() { "none yet".to_owned() }
                            else { b.objects.keys().cloned().collect::<Vec<_>>().join(", ") }
                        }</dd>
                    </dl>
                }
            </section>
            <section class="panel" aria-labelledby="identity-h">
                <h2 id="identity-h">{ "Who is asking" }</h2>
                <p class="hint">{ caller.map(|c| c.label.clone()).unwrap_or_default() }</p>
                if policies.is_empty() {
                    <p class="empty">{ "No identity policies: this caller is allowed only what a resource policy or ACL grants." }</p>
                }
                { for policies.iter().map(|(name, text)| html! {
                    <details class="policy-view">
                        <summary>{ "Identity policy " }<code>{ name }</code></summary>
                        <pre class="code">{ text }</pre>
                    </details>
                }) }
            </section>
        </>
    }
}

fn on_off(flag: bool) -> &'static str {
    if flag { "on" } else { "off" }
}

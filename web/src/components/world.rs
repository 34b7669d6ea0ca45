//! The world panel: the scenario, the bucket's settings that take part in the decision, and the
//! identity policies of whoever is about to send the request.

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::PanelProps;
use super::editor::DiagnosticsList;
use crate::state::{Action, IdentityPolicyRef};
use s3pg_sim::Caller;

/// What the learner is working with.
#[function_component(WorldPanel)]
pub fn world_panel(props: &PanelProps) -> Html {
    let state = &props.state;
    let bucket = state.world.buckets.get(&state.bucket);
    let caller = state.callers.get(state.form.caller);
    // (where, name, text as the learner left it, its diagnostics)
    let policies: Vec<(
        IdentityPolicyRef,
        String,
        String,
        Vec<s3pg_policy::Diagnostic>,
    )> = match caller.map(|c| &c.caller) {
        Some(Caller::User {
            name,
            account: Some(account),
        }) => state
            .world
            .accounts
            .get(account)
            .and_then(|a| a.users.get(name))
            .map(|u| {
                u.policies
                    .iter()
                    .enumerate()
                    .map(|(index, p)| {
                        let at = IdentityPolicyRef {
                            account: account.clone(),
                            user: name.clone(),
                            index,
                        };
                        let (text, diagnostics) =
                            state.identity_drafts.get(&at).cloned().unwrap_or_else(|| {
                                (
                                    serde_json::to_string_pretty(&p.document).unwrap_or_default(),
                                    Vec::new(),
                                )
                            });
                        (at, p.name.clone(), text, diagnostics)
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
                { for policies.into_iter().map(|(at, name, text, diagnostics)| {
                    html! { <IdentityPolicyEditor {at} {name} {text} {diagnostics} dispatch={props.dispatch.clone()} /> }
                }) }
            </section>
        </>
    }
}

fn on_off(flag: bool) -> &'static str {
    if flag { "on" } else { "off" }
}

/// Props for [`IdentityPolicyEditor`].
#[derive(Properties, PartialEq)]
pub struct IdentityEditorProps {
    /// Which policy.
    pub at: IdentityPolicyRef,
    /// Its name.
    pub name: String,
    /// Its text as the learner left it.
    pub text: String,
    /// Errors and notes for the text.
    pub diagnostics: Vec<s3pg_policy::Diagnostic>,
    /// Where actions go.
    pub dispatch: Callback<Action>,
}

/// One identity policy, editable in place (applied when it parses).
#[function_component(IdentityPolicyEditor)]
pub fn identity_policy_editor(props: &IdentityEditorProps) -> Html {
    let area = use_node_ref();
    let at = props.at.clone();
    let oninput = props.dispatch.reform(move |e: InputEvent| {
        let text = e
            .target_dyn_into::<HtmlTextAreaElement>()
            .map(|a| a.value())
            .unwrap_or_default();
        Action::EditIdentityPolicy(at.clone(), text)
    });
    let id = format!(
        "identity-{}-{}-{}",
        props.at.account, props.at.user, props.at.index
    );
    let errors = props
        .diagnostics
        .iter()
        .any(s3pg_policy::Diagnostic::is_error);
    html! {
        <details class="policy-view" open={errors}>
            <summary>{ "Identity policy " }<code>{ &props.name }</code>{ " — edit to change what this user may do" }</summary>
            <textarea class="paste identity" ref={area.clone()} spellcheck="false" aria-label={format!("Identity policy {}", props.name)}
                aria-invalid={errors.to_string()} aria-describedby={format!("{id}-diagnostics")}
                value={props.text.clone()} {oninput} />
            <DiagnosticsList id={format!("{id}-diagnostics")} diagnostics={props.diagnostics.clone()} text={props.text.clone()} {area} />
        </details>
    }
}

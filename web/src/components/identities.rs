//! The identities view: each account of the world with its root user, IAM users and their
//! identity policies (editable), roles and their sessions, and the virtual MFA devices — the
//! "who" of every decision, as the IAM console lists it.

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::PanelProps;
use super::console::DevicePanel;
use crate::editor::DiagnosticsList;
use s3pg_sim::iam_api::{AccessKeyStatus, IamRequest};

use crate::state::{Action, IdentityPolicyRef, Setting};

/// The IAM console's button for one access key: deactivate an active key, activate an inactive
/// one (`UpdateAccessKey`), sent as the signed-in caller.
fn key_row(user: &str, key: &s3pg_sim::model::AccessKey, dispatch: &Callback<Action>) -> Html {
    let (label, status) = if key.active {
        ("Deactivate", AccessKeyStatus::Inactive)
    } else {
        ("Activate", AccessKeyStatus::Active)
    };
    let request = IamRequest::UpdateAccessKey {
        user_name: Some(user.to_owned()),
        access_key_id: key.access_key_id.clone(),
        status,
    };
    let onclick = dispatch.reform(move |_| Action::Apply(Setting::Iam(request.clone())));
    html! {
        <li class="access-key">
            <code>{ &key.access_key_id }</code>
            <span class="tag">{ if key.active { "Active" } else { "Inactive" } }</span>
            <button type="button" {onclick} aria-label={format!("{label} access key {}", key.access_key_id)}>{ label }</button>
        </li>
    }
}

/// What the last IAM request sent from this view answered (the console's banner).
fn iam_banner(state: &crate::state::AppState) -> Html {
    let Some(last) = state.last.as_ref() else {
        return Html::default();
    };
    if !matches!(last.request.operation, s3pg_sim::Operation::Iam(_)) {
        return Html::default();
    }
    let o = &last.outcome;
    let text = match &o.error {
        Some(e) => format!("{} → {} {}: {}", o.operation, o.status, e.code, e.message),
        None => format!("{} → {} OK", o.operation, o.status),
    };
    html! { <p class="hint" role="status" data-testid="iam-outcome" data-status={o.status.to_string()}>{ text }</p> }
}

/// Every account's principals.
#[function_component(IdentitiesView)]
pub fn identities_view(props: &PanelProps) -> Html {
    let state = &props.state;
    html! {
        <div class="stack">
            <section class="panel intro" aria-labelledby="identities-h">
                <h2 id="identities-h">{ "Identities" }</h2>
                <p class="hint">
                    { "Who can sign a request in this world. An IAM user's identity policies say what it may do in its own account; for another account's bucket, that bucket's policy must grant it too. Edit a policy and the console saves it with PutUserPolicy as the account's root user, then the last request is decided again. The access-key buttons send UpdateAccessKey as the signed-in caller." }
                </p>
                { iam_banner(state) }
            </section>
            { for state.world.accounts.iter().map(|(id, account)| {
                let users: Vec<Html> = account.users.iter().map(|(name, user)| {
                    let keys: Vec<Html> = user.access_keys.iter().map(|k| key_row(name, k, &props.dispatch)).collect();
                    let policies = user.policies.iter().enumerate().map(|(index, p)| {
                        let at = IdentityPolicyRef { account: id.clone(), user: name.clone(), index };
                        let (text, diagnostics) = state.identity_drafts.get(&at).cloned().unwrap_or_else(|| {
                            (serde_json::to_string_pretty(&p.document).unwrap_or_default(), Vec::new())
                        });
                        html! { <IdentityPolicyEditor {at} name={p.name.clone()} {text} {diagnostics} dispatch={props.dispatch.clone()} /> }
                    });
                    html! {
                        <li class="principal">
                            <div class="principal-head">
                                <strong>{ name }</strong>
                                <span class="tag">{ "IAM user" }</span>
                                <code class="arn">{ format!("arn:aws:iam::{id}:user/{name}") }</code>
                            </div>
                            if user.policies.is_empty() {
                                <p class="empty">{ "No identity policies: this user may do only what a resource policy or ACL grants it." }</p>
                            }
                            { for policies }
                            if !keys.is_empty() {
                                <ul class="access-keys" aria-label={format!("Access keys of {name}")}>{ for keys }</ul>
                            }
                            if !user.groups.is_empty() {
                                <p class="hint">{ format!("Member of {}", user.groups.join(", ")) }</p>
                            }
                        </li>
                    }
                }).collect();
                let roles: Vec<Html> = account.roles.iter().map(|(name, role)| html! {
                    <li class="principal">
                        <div class="principal-head">
                            <strong>{ name }</strong>
                            <span class="tag">{ "IAM role" }</span>
                            <code class="arn">{ format!("arn:aws:iam::{id}:role/{name}") }</code>
                        </div>
                        <p class="hint">{ format!("{} identity {}; sessions: {}", role.policies.len(),
                            if role.policies.len() == 1 { "policy" } else { "policies" },
                            if role.sessions.is_empty() { "none".to_owned() } else { role.sessions.iter().map(|s| s.name.clone()).collect::<Vec<_>>().join(", ") }) }</p>
                    </li>
                }).collect();
                html! {
                    <section class="panel account" aria-label={format!("Account {id}")}>
                        <h2>{ "Account " }<code>{ id }</code></h2>
                        <ul class="principals">
                            <li class="principal">
                                <div class="principal-head">
                                    <strong>{ "root user" }</strong>
                                    <span class="tag">{ "root" }</span>
                                    <code class="arn">{ format!("arn:aws:iam::{id}:root") }</code>
                                </div>
                                <p class="hint">{ "Can do anything in its own account unless an SCP stops it; only the root user can turn MFA Delete on or off." }</p>
                            </li>
                            { for users }
                            { for roles }
                        </ul>
                    </section>
                }
            }) }
            <DevicePanel state={state.clone()} dispatch={props.dispatch.clone()} />
        </div>
    }
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

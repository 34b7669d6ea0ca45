//! The services beside S3 that its security depends on: KMS keys (their state, rotation and key
//! policy, which SSE-KMS uploads and reads must pass) and S3 Glacier vaults (their access policy
//! and Vault Lock). Both are changed by requests from the Requests view or the console.
//!
//! Follows <https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html> and
//! <https://docs.aws.amazon.com/amazonglacier/latest/dev/vault-lock.html>.

use s3pg_glacier::LockState;
use s3pg_kms::{KeyManager, KeyState};
use yew::prelude::*;

use super::PanelProps;
use crate::state::{Action, View};

fn pretty(text: &str) -> String {
    serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| text.to_owned())
}

/// The KMS keys of the world.
#[function_component(KeysView)]
pub fn keys_view(props: &PanelProps) -> Html {
    let state = &props.state;
    let keys = &state.world.kms.keys;
    let aliases = &state.world.kms.aliases;
    let to_requests = props
        .dispatch
        .reform(|_: MouseEvent| Action::Navigate(View::Requests));
    html! {
        <section class="panel" aria-labelledby="keys-h">
            <h2 id="keys-h">{ "KMS keys" }<span class="count">{ keys.len() }</span></h2>
            <p class="hint">
                { "An SSE-KMS upload needs " }<code>{ "kms:GenerateDataKey" }</code>{ " and a read needs " }<code>{ "kms:Decrypt" }</code>
                { " on the key, as the caller — and the key policy must allow it, as well as the caller's identity policies when the key policy delegates to IAM." }
            </p>
            if keys.is_empty() {
                <p class="empty">{ "This world has no customer managed keys. S3 uses " }<code>{ "aws/s3" }</code>{ " when an upload asks for SSE-KMS without naming one." }</p>
            }
            <ul class="cards-list">
                { for keys.values().map(|k| {
                    let names: Vec<String> = aliases.iter().filter(|(_, arn)| **arn == k.arn)
                        .map(|(alias, _)| alias.rsplit(':').next().unwrap_or(alias).to_owned()).collect();
                    let (state_text, class) = match &k.state {
                        KeyState::Enabled => ("Enabled".to_owned(), "ok"),
                        KeyState::Disabled => ("Disabled".to_owned(), "warn"),
                        KeyState::PendingDeletion { pending_window_in_days, .. } => (format!("Pending deletion ({pending_window_in_days} days)"), "error"),
                    };
                    html! {
                        <li class="card">
                            <h3><code>{ &k.key_id }</code></h3>
                            <div class="actions wrap">
                                <span class={classes!("pill", class)}>{ state_text }</span>
                                <span class="pill">{ match k.key_manager { KeyManager::Customer => "customer managed", _ => "AWS managed" } }</span>
                                if k.rotation_enabled { <span class="pill">{ format!("rotates every {} days", k.rotation_period_in_days) }</span> }
                                { for names.iter().map(|n| html! { <span class="pill">{ n }</span> }) }
                            </div>
                            <p class="hint"><code class="arn">{ &k.arn }</code></p>
                            if !k.description.is_empty() { <p>{ &k.description }</p> }
                            <details class="policy-view">
                                <summary>{ "Key policy" }</summary>
                                <pre class="code">{ pretty(k.policy.text()) }</pre>
                            </details>
                        </li>
                    }
                }) }
            </ul>
            <div class="actions"><button type="button" class="ghost" onclick={to_requests}>{ "Send a KMS request…" }</button></div>
        </section>
    }
}

/// The S3 Glacier vaults of the world.
#[function_component(VaultsView)]
pub fn vaults_view(props: &PanelProps) -> Html {
    let state = &props.state;
    let vaults: Vec<_> = state.world.glacier.vaults().collect();
    html! {
        <section class="panel" aria-labelledby="vaults-h">
            <h2 id="vaults-h">{ "S3 Glacier vaults" }<span class="count">{ vaults.len() }</span></h2>
            <p class="hint">
                { "A vault's access policy can be changed at any time; a Vault Lock policy, once completed, never. Lock it with " }
                <code>{ "aws glacier initiate-vault-lock" }</code>{ " and " }<code>{ "complete-vault-lock" }</code>{ " in the console, within 24 hours." }
            </p>
            if vaults.is_empty() {
                <p class="empty">{ "This world has no vaults. Open a Glacier scenario from the library to try Vault Lock." }</p>
            }
            <ul class="cards-list">
                { for vaults.iter().map(|v| html! {
                    <li class="card">
                        <h3><code>{ &v.name }</code></h3>
                        <div class="actions wrap">
                            <span class="pill">{ format!("account {}", v.account) }</span>
                            <span class="pill">{ &v.region }</span>
                            <span class="pill">{ match v.archives.len() { 1 => "1 archive".to_owned(), n => format!("{n} archives") } }</span>
                            { match v.lock.as_ref().map(|l| &l.state) {
                                Some(LockState::Locked) => html! { <span class="pill error">{ "Vault Lock: locked" }</span> },
                                Some(LockState::InProgress) => html! { <span class="pill warn">{ "Vault Lock: in progress" }</span> },
                                None => html! { <span class="pill">{ "no Vault Lock" }</span> },
                            } }
                        </div>
                        if let Some(p) = &v.access_policy {
                            <details class="policy-view"><summary>{ "Vault access policy" }</summary><pre class="code">{ pretty(p.text()) }</pre></details>
                        }
                        if let Some(l) = &v.lock {
                            <details class="policy-view"><summary>{ "Vault Lock policy" }</summary><pre class="code">{ pretty(l.policy.text()) }</pre></details>
                        }
                    </li>
                }) }
            </ul>
        </section>
    }
}

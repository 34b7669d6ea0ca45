//! The `aws` console: the AWS CLI's own commands, typed as the learner will type them at work,
//! run against the simulated world. Every command leaves the same trace as any other request.
//! Also the device panel: the simulated clock and the MFA codes a learner reads off their
//! virtual MFA device (RFC 6238, computed from the clock by the core).

use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::PanelProps;

use crate::state::Action;

/// Commands worth trying on the default scenario; clicking one puts it in the prompt.
const EXAMPLES: &[&str] = &[
    "aws s3api put-object --bucket examplebucket --key a.txt --body policy.json --profile alice",
    "aws s3api put-object --bucket examplebucket --key a.txt --body policy.json --server-side-encryption AES256 --profile alice",
    "aws s3 ls s3://examplebucket --profile root",
    "aws s3api get-bucket-policy --bucket examplebucket --profile root",
    "aws s3api put-bucket-policy --bucket examplebucket --policy file://policy.json --profile root",
    "aws s3 presign s3://examplebucket/a.txt --expires-in 300 --profile alice",
];

/// The terminal.
#[function_component(ConsolePanel)]
pub fn console_panel(props: &PanelProps) -> Html {
    let input = use_node_ref();
    let input_for_examples = input.clone();
    let history_pos = use_state(|| None::<usize>);
    let state = &props.state;
    let profiles: Vec<String> = state
        .console
        .profiles(&state.world)
        .into_iter()
        .map(|p| p.name)
        .collect();

    let run = {
        let input = input.clone();
        let dispatch = props.dispatch.clone();
        let history_pos = history_pos.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(el) = input.cast::<HtmlInputElement>() {
                dispatch.emit(Action::RunCommand(el.value()));
                el.set_value("");
                history_pos.set(None);
            }
        })
    };
    // Up and Down walk through earlier commands, as in a shell.
    let onkeydown = {
        let input = input.clone();
        let lines: Vec<String> = state.console_log.iter().map(|l| l.line.clone()).collect();
        let history_pos = history_pos.clone();
        Callback::from(move |e: KeyboardEvent| {
            let step: Option<isize> = match e.key().as_str() {
                "ArrowUp" => Some(-1),
                "ArrowDown" => Some(1),
                _ => None,
            };
            let (Some(step), Some(el)) = (step, input.cast::<HtmlInputElement>()) else {
                return;
            };
            if lines.is_empty() {
                return;
            }
            e.prevent_default();
            let last = lines.len() - 1;
            let pos = match (*history_pos, step) {
                (None, -1) => Some(last),
                (None, _) => None,
                (Some(p), -1) => Some(p.saturating_sub(1)),
                (Some(p), _) if p >= last => None,
                (Some(p), _) => Some(p + 1),
            };
            el.set_value(pos.and_then(|p| lines.get(p)).map_or("", String::as_str));
            history_pos.set(pos);
        })
    };
    let fill = |cmd: &'static str| {
        let input = input_for_examples.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(el) = input.cast::<HtmlInputElement>() {
                el.set_value(cmd);
                let _ = el.focus();
            }
        })
    };
    let policy_file = state
        .console
        .file("policy.json")
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .unwrap_or_default();
    let on_file = props.dispatch.reform(|e: InputEvent| {
        let text = e
            .target_dyn_into::<HtmlTextAreaElement>()
            .map(|a| a.value())
            .unwrap_or_default();
        Action::SetFile("policy.json".to_owned(), text)
    });

    html! {
        <section class="panel console" aria-labelledby="console-h">
            <h2 id="console-h">{ "AWS CLI console" }</h2>
            <p class="hint">
                { "Type real " }<code>{ "aws" }</code>{ " commands; " }<code>{ "--profile" }</code>
                { " picks who sends them: " }
                { for profiles.iter().enumerate().map(|(i, p)| html! { <>{ if i > 0 { ", " } else { "" } }<code>{ p }</code></> }) }
                { ". The trace of the last request appears in the decision panel." }
            </p>
            <div class="terminal" role="log" aria-live="polite" aria-label="Console output" data-testid="console-log">
                if state.console_log.is_empty() {
                    <div class="muted">{ "$ aws --version  # aws-cli/2 (simulated): every command runs in this page" }</div>
                }
                { for state.console_log.iter().map(|l| html! {
                    <div class="entry">
                        <div class="cmd">{ "$ " }{ &l.line }</div>
                        if !l.stdout.is_empty() { <pre class="out">{ &l.stdout }</pre> }
                        if !l.stderr.is_empty() { <pre class="err">{ &l.stderr }</pre> }
                        if l.exit_code != 0 { <div class="code">{ format!("exit status {}", l.exit_code) }</div> }
                    </div>
                }) }
            </div>
            <form class="prompt" onsubmit={run}>
                <label for="console-input" class="visually-hidden">{ "aws command" }</label>
                <span aria-hidden="true">{ "$" }</span>
                <input id="console-input" ref={input} type="text" spellcheck="false" autocomplete="off"
                    placeholder="aws s3api list-objects-v2 --bucket examplebucket --profile root" {onkeydown} />
                <button type="submit" class="primary">{ "Run" }</button>
            </form>
            <details class="policy-view">
                <summary>{ "Examples" }</summary>
                <ul class="examples">
                    { for EXAMPLES.iter().map(|c| html! { <li><button type="button" class="link" onclick={fill(c)}><code>{ *c }</code></button></li> }) }
                </ul>
            </details>
            <details class="policy-view">
                <summary>{ "File " }<code>{ "policy.json" }</code>{ " (for " }<code>{ "file://policy.json" }</code>{ " and " }<code>{ "--body" }</code>{ ")" }</summary>
                <textarea class="paste" value={policy_file} oninput={on_file} spellcheck="false" aria-label="Contents of policy.json" />
            </details>
        </section>
    }
}

/// The simulated clock and the virtual MFA devices' current codes.
#[function_component(DevicePanel)]
pub fn device_panel(props: &PanelProps) -> Html {
    let state = &props.state;
    let now = state.now.epoch_seconds();
    let mut devices = Vec::new();
    for account in state.world.accounts.values() {
        devices.extend(
            account
                .root
                .mfa_devices
                .iter()
                .map(|d| ("root user".to_owned(), d)),
        );
        for (name, user) in &account.users {
            devices.extend(
                user.mfa_devices
                    .iter()
                    .map(|d| (format!("IAM user {name}"), d)),
            );
        }
    }
    let advance = |seconds: u64| {
        props
            .dispatch
            .reform(move |_: MouseEvent| Action::Advance(seconds))
    };
    html! {
        <section class="panel" aria-labelledby="clock-h">
            <h2 id="clock-h">{ "Clock and MFA devices" }</h2>
            <p class="clock">{ "Simulated time " }<code data-testid="clock">{ state.now.to_string() }</code></p>
            <div class="actions wrap">
                <button class="ghost" onclick={advance(30)}>{ "+30 s" }</button>
                <button class="ghost" onclick={advance(3600)}>{ "+1 hour" }</button>
                <button class="ghost" onclick={advance(86_400)}>{ "+1 day" }</button>
            </div>
            if devices.is_empty() {
                <p class="hint">{ "No virtual MFA devices in this world." }</p>
            }
            { for devices.iter().map(|(owner, d)| {
                let code = s3pg_sim::mfa::current_code(&d.secret_base32, now).unwrap_or_else(|| "------".to_owned());
                let left = 30 - now % 30;
                html! {
                    <div class="device">
                        <div class="mfa-code" aria-label={format!("current code {code}")}>{ code }</div>
                        <div>
                            <div><strong>{ owner }</strong></div>
                            <code class="serial">{ &d.serial }</code>
                            <div class="hint">{ format!("changes in {left} s of simulated time; a code works once") }</div>
                        </div>
                    </div>
                }
            }) }
        </section>
    }
}

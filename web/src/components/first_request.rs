//! The decision pane before anything has been sent: where S3's answers will appear, and — outside
//! the Requests view, whose form has its own Send — the request the builder holds, with a button
//! that sends it. A first visit opens on a bucket's policy; the scenario's first request is one
//! click (or Ctrl+Enter) from its answer, without leaving the policy in view.

use yew::prelude::*;

use super::PanelProps;
use crate::state::{Action, View};

/// The empty decision pane.
#[function_component(FirstRequest)]
pub fn first_request(props: &PanelProps) -> Html {
    let state = &props.state;
    if state.view == View::Requests {
        return html! {
            <p class="empty">{ "Send a request — from the form, a bucket's page or the console — to see S3's answer here, gate by gate." }</p>
        };
    }
    let intro = html! {
        <p class="empty">{ "Send a request — from here, the Requests view, a bucket's page or the console — to see S3's answer, gate by gate." }</p>
    };
    let go_requests = props
        .dispatch
        .reform(|_: MouseEvent| Action::Navigate(View::Requests));
    let held = match state.request() {
        Ok(_) => {
            let form = &state.form;
            let target = match (form.bucket.as_str(), form.key.as_str()) {
                ("", _) => String::new(),
                (bucket, "") => bucket.to_owned(),
                (bucket, key) => format!("{bucket}/{key}"),
            };
            let caller = state
                .callers
                .get(form.caller)
                .map(|c| c.label.clone())
                .unwrap_or_default();
            let send = props.dispatch.reform(|_: MouseEvent| Action::Send);
            html! {
                <>
                    <p>
                        { "The request builder holds " }<strong>{ form.op.name() }</strong>
                        if !target.is_empty() { { " on " }<code>{ target }</code> }
                        if !caller.is_empty() { { " as " }<strong>{ caller }</strong> }
                        { "." }
                    </p>
                    <p class="first-actions">
                        <button type="button" class="primary" data-testid="send-first" onclick={send}>{ "Send it" }</button>
                        <span class="hint">
                            { "or press " }<kbd>{ "Ctrl" }</kbd>{ "+" }<kbd>{ "Enter" }</kbd>{ " anywhere; " }
                            <button type="button" class="link" onclick={go_requests}>{ "change it in Requests" }</button>
                        </span>
                    </p>
                </>
            }
        }
        Err(why) => html! {
            <p>
                { "The request builder's request is not complete yet: " }{ why }{ " " }
                <button type="button" class="link" onclick={go_requests}>{ "Complete it in Requests" }</button>
            </p>
        },
    };
    html! {
        <div class="first-request" data-testid="first-request">
            { intro }
            { held }
        </div>
    }
}

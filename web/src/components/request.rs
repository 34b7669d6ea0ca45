//! The request panel: who sends which operation, with which headers, over which transport.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::PanelProps;

use crate::state::{Action, AppState, OperationKind, SseHeader};

/// Compose and send a request.
#[function_component(RequestPanel)]
pub fn request_panel(props: &PanelProps) -> Html {
    let form = &props.state.form;
    let d = &props.dispatch;
    let on_caller = d.reform(|e: Event| {
        let i = e
            .target_dyn_into::<HtmlSelectElement>()
            .map(|s| s.selected_index())
            .unwrap_or(0);
        Action::SetCaller(usize::try_from(i).unwrap_or(0))
    });
    let on_operation = d.reform(|e: Event| {
        let name = e
            .target_dyn_into::<HtmlSelectElement>()
            .map(|s| s.value())
            .unwrap_or_default();
        Action::SetOperation(OperationKind::from_name(&name).unwrap_or(OperationKind::PutObject))
    });
    let on_key = d.reform(|e: InputEvent| {
        Action::SetKey(
            e.target_dyn_into::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default(),
        )
    });
    let sse_value = if form.sse == SseHeader::AwsKms {
        SseHeader::AwsKms
    } else {
        SseHeader::Aes256
    };
    let on_sse = d.reform(move |e: Event| {
        let on = e
            .target_dyn_into::<HtmlInputElement>()
            .is_some_and(|i| i.checked());
        Action::SetSse(if on { sse_value } else { SseHeader::Absent })
    });
    let on_sse_value = d.reform(|e: Event| {
        let v = e
            .target_dyn_into::<HtmlSelectElement>()
            .map(|s| s.value())
            .unwrap_or_default();
        Action::SetSse(if v == "aws:kms" {
            SseHeader::AwsKms
        } else {
            SseHeader::Aes256
        })
    });
    let on_https = d.reform(|e: Event| {
        Action::SetHttps(
            e.target_dyn_into::<HtmlInputElement>()
                .is_some_and(|i| i.checked()),
        )
    });
    let on_send = d.reform(|e: SubmitEvent| {
        e.prevent_default();
        Action::Send
    });
    let is_put = form.operation == OperationKind::PutObject;
    let preview = props
        .state
        .request()
        .map(|r| http_preview(&props.state, &r))
        .unwrap_or_default();

    html! {
        <section class="panel" aria-labelledby="request-h">
            <h2 id="request-h"><span class="num">{ "3" }</span>{ "Send a request" }</h2>
            <form class="request" onsubmit={on_send}>
                <label class="field">{ "Who sends it" }
                    <select onchange={on_caller} aria-label="Who sends the request">
                        { for props.state.callers.iter().enumerate().map(|(i, c)| html! {
                            <option selected={i == form.caller}>{ &c.label }</option>
                        }) }
                    </select>
                </label>
                <label class="field">{ "Operation" }
                    <select onchange={on_operation}>
                        { for OperationKind::ALL.iter().map(|k| html! {
                            <option value={k.name()} selected={*k == form.operation}>{ k.name() }</option>
                        }) }
                    </select>
                </label>
                if form.operation.has_key() {
                    <label class="field">{ "Object key" }
                        <input type="text" value={form.key.clone()} oninput={on_key} spellcheck="false" />
                    </label>
                }
                if is_put {
                    <label class="toggle">
                        <input type="checkbox" id="sse-header" checked={form.sse != SseHeader::Absent} onchange={on_sse} />
                        <span>
                            { "Send " }<code>{ "x-amz-server-side-encryption" }</code>
                            <small>{ "Asks S3 to encrypt the object at rest. The bucket policy checks for this header." }</small>
                        </span>
                    </label>
                    if form.sse != SseHeader::Absent {
                        <label class="field">{ "Header value" }
                            <select onchange={on_sse_value}>
                                <option value="AES256" selected={form.sse == SseHeader::Aes256}>{ "AES256 (SSE-S3)" }</option>
                                <option value="aws:kms" selected={form.sse == SseHeader::AwsKms}>{ "aws:kms (SSE-KMS)" }</option>
                            </select>
                        </label>
                    }
                }
                <label class="toggle">
                    <input type="checkbox" checked={form.https} onchange={on_https} />
                    <span>
                        { "Use HTTPS" }
                        <small>{ "Sets " }<code>{ "aws:SecureTransport" }</code>{ " to true; plain HTTP sets it to false." }</small>
                    </span>
                </label>
                <div class="http-line" aria-label="The HTTP request">{ preview }</div>
                <div class="actions">
                    <button type="submit" class="primary">{ "Send request" }</button>
                    <span class="hint"><kbd>{ "Ctrl" }</kbd>{ " + " }<kbd>{ "Enter" }</kbd>{ " sends from anywhere" }</span>
                </div>
            </form>
        </section>
    }
}

/// The request as it would go over the wire (first line and the headers that matter here).
fn http_preview(state: &AppState, request: &s3pg_sim::Request) -> String {
    let form = &state.form;
    let path = if form.operation.has_key() {
        format!("/{}", form.key)
    } else {
        "/?list-type=2".to_owned()
    };
    let scheme = if form.https { "https" } else { "http" };
    let mut text = format!(
        "{} {path} HTTP/1.1\nHost: {}.s3.amazonaws.com  ({scheme})",
        form.operation.method(),
        state.bucket
    );
    for (name, value) in &request.headers {
        text.push_str(&format!("\n{name}: {value}"));
    }
    if !matches!(request.caller, s3pg_sim::Caller::Anonymous) {
        text.push_str("\nAuthorization: AWS4-HMAC-SHA256 Credential=…");
    }
    text
}

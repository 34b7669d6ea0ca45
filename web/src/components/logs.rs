//! The audit panel: the server access log lines S3 has delivered so far and the CloudTrail
//! records, with an Athena-style query over both (the core's query language).
//!
//! Follows the S3 UG "Logging requests with server access logging" and "Logging Amazon S3 API
//! calls using AWS CloudTrail" pages:
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html>,
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging.html>.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::PanelProps;
use crate::state::Action;

/// The audit panel.
#[function_component(LogsPanel)]
pub fn logs_panel(props: &PanelProps) -> Html {
    let state = &props.state;
    let input = use_node_ref();
    let lines = &state.world.access_log_lines;
    let run = {
        let input = input.clone();
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(el) = input.cast::<HtmlInputElement>() {
                dispatch.emit(Action::QueryLogs(el.value()));
            }
        })
    };
    let deliver = props.dispatch.reform(|_: MouseEvent| Action::DeliverLogs);
    html! {
        <section class="panel" aria-labelledby="logs-h">
            <h2 id="logs-h">{ "Audit: access logs and CloudTrail" }</h2>
            <p class="hint">
                { "S3 delivers server access logs best effort, some time after the request; CloudTrail records API calls for the trails that select them. Turn logging on with " }
                <code>{ "aws s3api put-bucket-logging" }</code>{ " in the console, send requests, then deliver." }
            </p>
            <div class="actions wrap">
                <button class="ghost" onclick={deliver}>{ "Wait an hour for log delivery" }</button>
                <span class="hint" data-testid="log-count">{ match lines.len() {
                    1 => "1 access log line delivered".to_owned(),
                    n => format!("{n} access log lines delivered"),
                } }</span>
            </div>
            if !lines.is_empty() {
                <div class="table-scroll">
                    <table class="list log" data-testid="access-log">
                        <caption class="visually-hidden">{ "The last access log records, oldest first" }</caption>
                        <thead><tr>
                            <th scope="col">{ "Time" }</th><th scope="col">{ "Bucket" }</th><th scope="col">{ "Requester" }</th>
                            <th scope="col">{ "Operation" }</th><th scope="col">{ "Key" }</th><th scope="col">{ "HTTP status" }</th>
                            <th scope="col">{ "Error code" }</th><th scope="col">{ "Authentication" }</th>
                        </tr></thead>
                        <tbody>
                            { for lines.iter().rev().take(12).rev().map(|line| {
                                match s3pg_audit::access_log::AccessLogRecord::parse(line) {
                                    Ok(r) => {
                                        let f = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".to_owned());
                                        html! { <tr>
                                            <td>{ r.time.map(|t| t.to_string()).unwrap_or_else(|| "-".to_owned()) }</td>
                                            <td>{ f(&r.bucket) }</td>
                                            <td class="wrap-anywhere">{ f(&r.requester) }</td>
                                            <td><code>{ f(&r.operation) }</code></td>
                                            <td>{ f(&r.key) }</td>
                                            <td>{ r.http_status.map(|s| s.to_string()).unwrap_or_else(|| "-".to_owned()) }</td>
                                            <td>{ f(&r.error_code) }</td>
                                            <td>{ f(&r.authentication_type) }</td>
                                        </tr> }
                                    }
                                    Err(_) => html! { <tr><td colspan="8"><code>{ line }</code></td></tr> },
                                }
                            }) }
                        </tbody>
                    </table>
                </div>
                <details class="policy-view">
                    <summary>{ "The raw log lines, as S3 writes them" }</summary>
                    <pre class="code">{ lines.iter().rev().take(12).rev().cloned().collect::<Vec<_>>().join("\n") }</pre>
                </details>
            }
            <form class="prompt" onsubmit={run}>
                <label for="log-query" class="visually-hidden">{ "Log query" }</label>
                <input id="log-query" ref={input} type="text" spellcheck="false"
                    placeholder="select * where status >= 400 and operation like 'REST.PUT%'" />
                <button type="submit" class="primary">{ "Query" }</button>
            </form>
            if let Some((query, answer)) = &state.log_query {
                { match answer {
                    Ok(json) => html! { <pre class="code" data-testid="log-answer" aria-label={format!("answer to {query}")}>{ json }</pre> },
                    Err(e) => html! { <p class="import-error" role="alert">{ e }</p> },
                } }
            }
        </section>
    }
}

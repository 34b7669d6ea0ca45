//! The bucket policy editor: the learner's text (never rewritten), its errors with line:column,
//! and teaching warnings. Choosing a diagnostic selects the text it is about.

use s3pg_policy::Diagnostic;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::editor::CodeEditor;

/// Props for [`PolicyEditor`].
#[derive(Properties, PartialEq)]
pub struct EditorProps {
    /// The bucket the policy belongs to.
    pub bucket: String,
    /// The text as typed.
    pub text: String,
    /// Errors and warnings for the text.
    pub diagnostics: Vec<Diagnostic>,
    /// Called with the new text on every edit.
    pub on_edit: Callback<String>,
    /// The world's ARNs and principals, for the editor's completions and templates.
    #[prop_or_default]
    pub hints: std::rc::Rc<crate::editor::Hints>,
    /// Every bucket of the world, to switch between.
    #[prop_or_default]
    pub buckets: Vec<String>,
    /// Called with the bucket to edit instead.
    #[prop_or_default]
    pub on_select: Callback<String>,
}

/// The bucket policy editor.
#[function_component(PolicyEditor)]
pub fn policy_editor(props: &EditorProps) -> Html {
    let errors = props.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = props.diagnostics.len() - errors;
    let status = if props.text.trim().is_empty() {
        html! { <span class="pill warn">{ "No bucket policy" }</span> }
    } else if errors > 0 {
        html! { <span class="pill error" data-testid="policy-status">{ plural(errors, "error") }</span> }
    } else {
        html! { <span class="pill" data-testid="policy-status">{ "Valid policy — applied" }</span> }
    };
    html! {
        <section class="panel" aria-labelledby="policy-h">
            <h2 id="policy-h"><span class="num">{ "2" }</span>{ "Bucket policy of " }<code>{ &props.bucket }</code></h2>
            <p class="hint">
                { "A resource-based policy attached to the bucket. Edit it: the decision on the right is recomputed as you type." }
            </p>
            if props.buckets.len() > 1 {
                <label class="field bucket-pick">{ "Bucket" }
                    <select onchange={props.on_select.reform(|e: Event| {
                        e.target_dyn_into::<web_sys::HtmlSelectElement>().map(|s| s.value()).unwrap_or_default()
                    })}>
                        { for props.buckets.iter().map(|b| html! {
                            <option value={b.clone()} selected={*b == props.bucket}>{ b }</option>
                        }) }
                    </select>
                </label>
            }
            <CodeEditor
                id="policy-text"
                label="Bucket policy JSON"
                text={props.text.clone()}
                diagnostics={props.diagnostics.clone()}
                on_edit={props.on_edit.clone()}
                hints={props.hints.clone()}
                placeholder={r#"This bucket has no policy. Type or paste one here, or insert a template: {"Version": "2012-10-17", "Statement": [ … ]}"#}
            />
            <div class="editor-bar">
                { status }
                if warnings > 0 {
                    <span class="pill warn">{ plural(warnings, "teaching note") }</span>
                }
                <span class="spacer" />
                // S3 counts the document without the whitespace between tokens (the core's count).
                <span title="S3 does not count whitespace between JSON tokens">{ format!("{} of 20,480 bytes", s3pg_policy::normalized_size(&props.text)) }</span>
            </div>
        </section>
    }
}

/// Props for [`DiagnosticsList`].
#[derive(Properties, PartialEq)]
pub struct DiagnosticsProps {
    /// The list's element id (the textarea's `aria-describedby`).
    pub id: AttrValue,
    /// The diagnostics.
    pub diagnostics: Vec<Diagnostic>,
    /// The text they are about.
    pub text: String,
    /// The textarea holding the text.
    pub area: NodeRef,
}

/// Errors and teaching notes; choosing one selects the text it is about.
#[function_component(DiagnosticsList)]
pub fn diagnostics_list(props: &DiagnosticsProps) -> Html {
    let select = |d: &Diagnostic| {
        let area = props.area.clone();
        let text = props.text.clone();
        let (start, end) = (d.span.start, d.span.end.max(d.span.start + 1));
        Callback::from(move |_: MouseEvent| {
            if let Some(el) = area.cast::<HtmlTextAreaElement>() {
                let _ = el.focus();
                let _ =
                    el.set_selection_range(utf16_offset(&text, start), utf16_offset(&text, end));
            }
        })
    };
    html! {
        <ul class="diagnostics" id={props.id.clone()} aria-live="polite" data-testid="diagnostics">
            { for props.diagnostics.iter().map(|d| html! {
                <li class={if d.is_error() { "error" } else { "warning" }}>
                    <button type="button" onclick={select(d)} title="Select this place in the editor">
                        <span class="where">{ format!("{}:{}", d.line, d.column) }</span>
                        if !d.path.is_empty() { <span class="where">{ &d.path }</span> }
                        <span>{ render_ticks(&d.message) }</span>
                        if let Some(help) = &d.help {
                            <span class="help">{ "help: " }{ render_ticks(help) }</span>
                        }
                    </button>
                </li>
            }) }
        </ul>
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The UTF-16 offset of a byte offset (what the textarea's selection API counts).
fn utf16_offset(text: &str, byte: usize) -> u32 {
    let byte = byte.min(text.len());
    let prefix = text.get(..byte).unwrap_or(text);
    u32::try_from(prefix.encode_utf16().count()).unwrap_or(u32::MAX)
}

/// Renders `backticked` parts of a core message as code.
pub fn render_ticks(text: &str) -> Html {
    html! {
        { for text.split('`').enumerate().map(|(i, part)| {
            if i % 2 == 1 { html! { <code>{ part }</code> } } else { html! { { part } } }
        }) }
    }
}

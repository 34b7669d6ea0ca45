//! The bucket policy editor: the learner's draft (never rewritten), its errors with line:column,
//! and teaching warnings. Choosing a diagnostic selects the text it is about. The draft stays a
//! draft until Save sends `PutBucketPolicy`, so S3's own checks decide whether it is kept.

use s3pg_policy::Diagnostic;
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
    /// Whether the text differs from the policy S3 holds.
    pub draft: bool,
    /// Called with the new text on every edit.
    pub on_edit: Callback<String>,
    /// Save: send the draft to S3.
    pub on_save: Callback<()>,
    /// Put the saved policy back.
    pub on_discard: Callback<()>,
    /// The world's ARNs and principals, for the editor's completions and templates.
    #[prop_or_default]
    pub hints: std::rc::Rc<crate::editor::Hints>,
}

/// The bucket policy editor.
#[function_component(PolicyEditor)]
pub fn policy_editor(props: &EditorProps) -> Html {
    let errors = props.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = props.diagnostics.len() - errors;
    let status = if errors > 0 {
        html! { <span class="pill error" data-testid="policy-status">{ plural(errors, "error") }</span> }
    } else if props.draft {
        html! { <span class="pill warn" data-testid="policy-status">{ "Unsaved draft" }</span> }
    } else if props.text.trim().is_empty() {
        html! { <span class="pill" data-testid="policy-status">{ "No bucket policy" }</span> }
    } else {
        html! { <span class="pill" data-testid="policy-status">{ "Saved — S3 holds this policy" }</span> }
    };
    let save = props.on_save.reform(|_: MouseEvent| ());
    let discard = props.on_discard.reform(|_: MouseEvent| ());
    html! {
        <div class="policy-editor">
            <p class="hint">
                { "A resource-based policy attached to the bucket. Edit freely: the last request is decided again with your draft (a what-if); " }
                <strong>{ "Save" }</strong>{ " sends " }<code>{ "PutBucketPolicy" }</code>{ " and S3 decides whether to keep it." }
            </p>
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
            <div class="actions wrap">
                <button type="button" class="primary" disabled={errors > 0 || !props.draft} onclick={save} data-testid="save-policy">{ "Save changes" }</button>
                <button type="button" class="ghost" disabled={!props.draft} onclick={discard}>{ "Discard draft" }</button>
            </div>
        </div>
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

pub use crate::text::render_ticks;

//! The editor in the page: a transparent `<textarea>` (the real input) over a highlighted copy
//! with the same font metrics, a line-number gutter, the completion list (ARIA listbox driven
//! from the textarea with `aria-activedescendant`), hover and caret documentation, Format,
//! templates, the form builder, and the diagnostics list.
//!
//! A keystroke re-tokenizes the text (memoized on it) and re-renders only the lines whose view
//! changed: each line is its own component with value-compared props.

mod parts;

use std::rc::Rc;

use s3pg_policy::Diagnostic;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

pub use self::parts::DiagnosticsList;
use self::parts::{Chunk, CompletionList, Gutter, Info, Open, Tip, utf16_of};
use super::complete::{Hints, complete};
use super::docs::doc_for;
use super::highlight::{DiagSpan, LineView, diag_spans, diags_at, lines, offset_of};
use super::templates::{TEMPLATES, insert};
use super::tokens::{Token, token_at, tokenize};
use super::{catalogue, format, template_vars};

/// Props for [`CodeEditor`].
#[derive(Properties, PartialEq)]
pub struct CodeEditorProps {
    /// The textarea's id (other ids derive from it).
    pub id: AttrValue,
    /// The textarea's accessible label.
    pub label: AttrValue,
    /// The text as typed.
    pub text: String,
    /// Errors and warnings for the text.
    pub diagnostics: Vec<Diagnostic>,
    /// Called with the new text on every edit.
    pub on_edit: Callback<String>,
    /// The world's ARNs and principals, for completions and templates.
    #[prop_or_default]
    pub hints: Rc<Hints>,
    /// Shown while the text is empty.
    #[prop_or_default]
    pub placeholder: AttrValue,
    /// Whether to offer the bucket-policy templates.
    #[prop_or(true)]
    pub templates: bool,
}

/// The highlighted text, its tokens and squiggles, computed once per text and diagnostics.
struct Analysis {
    tokens: Vec<Token>,
    spans: Vec<DiagSpan>,
    lines: Vec<Rc<LineView>>,
    chunks: Vec<Rc<Vec<Rc<LineView>>>>,
    longest: usize,
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Json,
    Form,
}

/// UTF-16 offset → byte offset.
pub fn byte_of(text: &str, utf16: u32) -> usize {
    let mut units = 0u32;
    for (i, c) in text.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += u32::try_from(c.len_utf16()).unwrap_or(1);
    }
    text.len()
}

/// 0-based line and character column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or_default();
    let line = before.matches('\n').count();
    let column = before
        .rsplit_once('\n')
        .map_or(before, |(_, last)| last)
        .chars()
        .count();
    (line, column)
}

fn info_at(text: &str, a: &Analysis, offset: usize) -> Info {
    let (line, column) = line_col(text, offset);
    let doc = token_at(&a.tokens, offset)
        .and_then(|i| a.tokens.get(i))
        .and_then(|t| doc_for(text, t, catalogue()));
    Info {
        offset,
        line,
        column,
        diags: diags_at(&a.spans, offset),
        doc,
    }
}

/// Replaces `from..to` (bytes of `text`) in the textarea with `insert` the way typing would,
/// so the browser's undo sees it (the input event it fires reports the edit); falls back to
/// setting the range and reporting the edit itself when the command is refused.
fn replace(
    area: &HtmlTextAreaElement,
    text: &str,
    (from, to): (usize, usize),
    insert: &str,
    on_edit: &Callback<String>,
) {
    let _ = area.focus();
    let _ = area.set_selection_range(utf16_of(text, from), utf16_of(text, to));
    let done = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
        .and_then(|d| {
            d.exec_command_with_show_ui_and_value("insertText", false, insert)
                .ok()
        })
        .unwrap_or(false);
    if !done {
        let _ = area.set_range_text_with_start_and_end_and_mode(
            insert,
            utf16_of(text, from),
            utf16_of(text, to),
            "end",
        );
        on_edit.emit(area.value());
    }
}

/// Closes the completion list, without a render when it is already closed.
fn close(open: &UseStateHandle<Option<Open>>) {
    if open.is_some() {
        open.set(None);
    }
}

/// Lines per [`Chunk`]: a keystroke re-renders one chunk of lines, and the editor compares a few
/// dozen chunks rather than every line.
const CHUNK: usize = 32;

/// The policy editor.
#[function_component(CodeEditor)]
pub fn code_editor(props: &CodeEditorProps) -> Html {
    let area_ref = use_node_ref();
    let analysis = {
        let deps = (props.text.clone(), props.diagnostics.clone());
        use_memo(deps, |(text, diagnostics)| {
            let tokens = tokenize(text);
            let spans = diag_spans(text, diagnostics);
            let lines: Vec<Rc<LineView>> = lines(text, &tokens, &spans)
                .into_iter()
                .map(Rc::new)
                .collect();
            let chunks = lines.chunks(CHUNK).map(|c| Rc::new(c.to_vec())).collect();
            let longest = lines
                .iter()
                .map(|l| l.text.chars().count())
                .max()
                .unwrap_or(0);
            Analysis {
                tokens,
                spans,
                lines,
                chunks,
                longest,
            }
        })
    };
    let open = use_state(|| None::<Open>);
    let hover = use_state(|| None::<Info>);
    let caret = use_state(|| None::<Info>);
    let mode = use_state(|| Mode::Json);
    let message = use_state(|| None::<Html>);
    // Set by an input event that typed text, read after the new text has rendered.
    let want_completion = use_mut_ref(|| false);
    // The text the last render showed, for handlers created before it changed.
    let shown = use_mut_ref(String::new);
    shown.borrow_mut().clone_from(&props.text);

    let id = props.id.clone();
    let list_id = format!("{id}-complete");
    let info_id = format!("{id}-info");

    // Opens the completion list at the caret (after an edit, or on Ctrl+Space).
    let open_at_caret = {
        let open = open.clone();
        let area_ref = area_ref.clone();
        let hints = props.hints.clone();
        let analysis = analysis.clone();
        let text = props.text.clone();
        move || {
            let Some(area) = area_ref.cast::<HtmlTextAreaElement>() else {
                return;
            };
            let caret = byte_of(&text, area.selection_start().ok().flatten().unwrap_or(0));
            match complete(&text, &analysis.tokens, caret, catalogue(), &hints) {
                Some(list) => {
                    let (line, column) = line_col(&text, list.from);
                    open.set(Some(Open {
                        list: Rc::new(list),
                        active: 0,
                        line,
                        column,
                    }));
                }
                None => close(&open),
            }
        }
    };
    {
        let want = want_completion.clone();
        let open_at_caret = open_at_caret.clone();
        use_effect_with(props.text.clone(), move |_| {
            if std::mem::take(&mut *want.borrow_mut()) {
                open_at_caret();
            }
        });
    }

    let update_caret = {
        let caret = caret.clone();
        let area_ref = area_ref.clone();
        let analysis = analysis.clone();
        let text = props.text.clone();
        move || {
            if let Some(area) = area_ref.cast::<HtmlTextAreaElement>() {
                let offset = byte_of(&text, area.selection_start().ok().flatten().unwrap_or(0));
                let info = info_at(&text, &analysis, offset);
                if caret.as_ref() != Some(&info) {
                    caret.set(Some(info));
                }
            }
        }
    };

    let accept = {
        let open = open.clone();
        let on_edit = props.on_edit.clone();
        let area_ref = area_ref.clone();
        let shown = shown.clone();
        move |index: usize| {
            let Some(o) = (*open).clone() else {
                return;
            };
            close(&open);
            let (Some(area), Some(insertion)) = (
                area_ref.cast::<HtmlTextAreaElement>(),
                o.list.insertion(index),
            ) else {
                return;
            };
            let text = shown.borrow().clone();
            replace(&area, &text, (o.list.from, o.list.to), &insertion, &on_edit);
        }
    };

    let oninput = {
        let on_edit = props.on_edit.clone();
        let want = want_completion.clone();
        let open = open.clone();
        Callback::from(move |e: InputEvent| {
            // Yew types every `input` event as an InputEvent, but a script (a test, an extension,
            // a paste helper) may send a plain `Event('input')`, which has no `inputType`:
            // reading it would throw. Such an edit is not typing, so it opens no suggestions.
            let typed = e.dyn_ref::<web_sys::InputEvent>().is_some_and(|e| {
                matches!(
                    e.input_type().as_str(),
                    "insertText" | "deleteContentBackward"
                )
            });
            *want.borrow_mut() = typed;
            if !typed {
                close(&open);
            }
            if let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() {
                on_edit.emit(area.value());
            }
        })
    };

    let onkeydown = {
        let open = open.clone();
        let accept = accept.clone();
        let open_at_caret = open_at_caret.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == " " && e.ctrl_key() {
                e.prevent_default();
                open_at_caret();
                return;
            }
            let Some(o) = (*open).clone() else {
                return;
            };
            let n = o.list.items.len();
            match e.key().as_str() {
                "ArrowDown" => {
                    e.prevent_default();
                    open.set(Some(Open {
                        active: (o.active + 1) % n.max(1),
                        ..o
                    }));
                }
                "ArrowUp" => {
                    e.prevent_default();
                    open.set(Some(Open {
                        active: (o.active + n.max(1) - 1) % n.max(1),
                        ..o
                    }));
                }
                "PageDown" => {
                    e.prevent_default();
                    open.set(Some(Open {
                        active: (o.active + 8).min(n.saturating_sub(1)),
                        ..o
                    }));
                }
                "PageUp" => {
                    e.prevent_default();
                    open.set(Some(Open {
                        active: o.active.saturating_sub(8),
                        ..o
                    }));
                }
                "Enter" | "Tab" if !e.ctrl_key() && !e.meta_key() && !e.shift_key() => {
                    e.prevent_default();
                    accept(o.active);
                }
                "Escape" => {
                    e.prevent_default();
                    e.stop_propagation();
                    close(&open);
                }
                "ArrowLeft" | "ArrowRight" | "Home" | "End" => close(&open),
                _ => {}
            }
        })
    };

    let onkeyup = {
        let update_caret = update_caret.clone();
        Callback::from(move |_: KeyboardEvent| update_caret())
    };
    let onclick = {
        let update_caret = update_caret.clone();
        let open = open.clone();
        Callback::from(move |_: MouseEvent| {
            close(&open);
            update_caret();
        })
    };
    let onfocus = {
        let update_caret = update_caret.clone();
        Callback::from(move |_: FocusEvent| update_caret())
    };
    // Leaving closes the list; the status line keeps the last caret place (clearing it would
    // move the diagnostics under a pointer on its way to them).
    let onblur = {
        let open = open.clone();
        Callback::from(move |_: FocusEvent| close(&open))
    };
    // The textarea never scrolls itself: it is as large as its text, and the frame scrolls.
    let onscroll = Callback::from(|e: Event| {
        if let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() {
            area.set_scroll_top(0);
            area.set_scroll_left(0);
        }
    });

    // Hover: the textarea covers the highlighted copy, so find the segment under the pointer.
    let onmousemove = {
        let hover = hover.clone();
        let analysis = analysis.clone();
        let text = props.text.clone();
        Callback::from(move |e: MouseEvent| {
            let found = segment_under(e.client_x(), e.client_y()).map(|(line, col)| {
                let offset = offset_of(&text, line, col);
                info_at(&text, &analysis, offset)
            });
            let found = found.filter(|i| !i.diags.is_empty() || i.doc.is_some());
            if *hover != found {
                hover.set(found);
            }
        })
    };
    let onmouseleave = {
        let hover = hover.clone();
        Callback::from(move |_: MouseEvent| hover.set(None))
    };

    let format_click = {
        let area_ref = area_ref.clone();
        let on_edit = props.on_edit.clone();
        let message = message.clone();
        let text = props.text.clone();
        Callback::from(move |_: MouseEvent| match format::format(&text) {
            Ok(formatted) if formatted == text => {
                message.set(Some(html! { "Already formatted." }));
            }
            Ok(formatted) => {
                message.set(None);
                if let Some(area) = area_ref.cast::<HtmlTextAreaElement>() {
                    replace(&area, &text, (0, text.len()), &formatted, &on_edit);
                    let _ = area.set_selection_range(0, 0);
                }
            }
            Err(why) => message.set(Some(html! { { why } })),
        })
    };

    let template_change = {
        let area_ref = area_ref.clone();
        let message = message.clone();
        let text = props.text.clone();
        let hints = props.hints.clone();
        let mode = mode.clone();
        let on_edit = props.on_edit.clone();
        Callback::from(move |e: Event| {
            let Some(select) = e.target_dyn_into::<HtmlSelectElement>() else {
                return;
            };
            let chosen = select.value();
            select.set_value("");
            let Some(t) = TEMPLATES.iter().find(|t| t.id == chosen) else {
                return;
            };
            match insert(&text, t, &template_vars(&hints)) {
                Ok(edit) => {
                    message.set(Some(html! {
                        <>
                            { format!("Inserted “{}”, as AWS documents it: ", t.title) }
                            <a href={t.source} target="_blank" rel="noopener">{ "the AWS page" }</a>
                        </>
                    }));
                    match area_ref.cast::<HtmlTextAreaElement>() {
                        Some(area) if *mode == Mode::Json => {
                            replace(&area, &text, (edit.from, edit.to), &edit.insert, &on_edit);
                        }
                        _ => on_edit.emit(edit.apply(&text)),
                    }
                }
                Err(why) => message.set(Some(html! { { why } })),
            }
        })
    };

    let errors = props.diagnostics.iter().filter(|d| d.is_error()).count();
    let a = &*analysis;
    let size = format!("--lines: {}; --cols: {};", a.lines.len().max(1), a.longest);
    let active_id = (*open).as_ref().map(|o| format!("{id}-opt-{}", o.active));
    let tip = (*hover).clone();
    let shown_info = (*caret).clone();

    let tabs = {
        let json = {
            let mode = mode.clone();
            Callback::from(move |_: MouseEvent| mode.set(Mode::Json))
        };
        let form = {
            let mode = mode.clone();
            Callback::from(move |_: MouseEvent| mode.set(Mode::Form))
        };
        html! {
            <div class="cm-modes" role="group" aria-label="Edit as">
                <button type="button" aria-pressed={(*mode == Mode::Json).to_string()} onclick={json}>{ "JSON" }</button>
                <button type="button" aria-pressed={(*mode == Mode::Form).to_string()} onclick={form}>{ "Form" }</button>
            </div>
        }
    };

    html! {
        <div class="cm" data-testid="policy-editor">
            <div class="cm-tools">
                { tabs }
                <button type="button" class="ghost" onclick={format_click} title="Pretty-print the JSON, keeping its meaning">{ "Format" }</button>
                if props.templates {
                    <label class="cm-template">
                        <span class="visually-hidden">{ "Insert a template" }</span>
                        <select onchange={template_change} data-testid="templates">
                            <option value="" selected=true>{ "Insert a template…" }</option>
                            { for TEMPLATES.iter().map(|t| html! { <option value={t.id}>{ t.title }</option> }) }
                        </select>
                    </label>
                }
            </div>
            if let Some(m) = (*message).clone() {
                <p class="cm-message" role="status">{ m }</p>
            }
            if *mode == Mode::Form {
                <super::form_view::PolicyForm text={props.text.clone()} on_edit={props.on_edit.clone()} />
            } else {
                <div class="cm-frame">
                    <div class="cm-body" style={size}>
                        <Gutter lines={a.lines.len().max(1)} />
                        <div class="cm-code">
                            <div class="cm-hl" aria-hidden="true">
                                { for a.chunks.iter().map(|c| html! { <Chunk lines={c.clone()} /> }) }
                            </div>
                            <label for={id.clone()} class="visually-hidden">{ props.label.clone() }</label>
                            <textarea
                                id={id.clone()}
                                ref={area_ref.clone()}
                                class="cm-input"
                                spellcheck="false"
                                autocomplete="off"
                                autocapitalize="off"
                                wrap="off"
                                aria-invalid={(errors > 0).to_string()}
                                aria-autocomplete="list"
                                aria-controls={open.is_some().then(|| list_id.clone())}
                                aria-activedescendant={active_id}
                                aria-describedby={format!("{id}-diagnostics")}
                                value={props.text.clone()}
                                placeholder={props.placeholder.clone()}
                                {oninput} {onkeydown} {onkeyup} {onclick} {onfocus} {onblur} {onscroll}
                                {onmousemove} {onmouseleave}
                            />
                            if let Some(o) = (*open).clone() {
                                <CompletionList id={list_id.clone()} option_prefix={format!("{id}-opt-")} open={o} on_pick={Callback::from(accept.clone())} />
                            }
                            if let Some(info) = tip {
                                <Tip info={info} diagnostics={props.diagnostics.clone()} />
                            }
                        </div>
                    </div>
                </div>
                <div class="cm-status" id={info_id} aria-live="polite" data-testid="caret-info">
                    { caret_status(shown_info.as_ref(), &props.diagnostics) }
                </div>
                <div class="visually-hidden" aria-live="polite">
                    { (*open).as_ref().map(|o| format!("{} suggestions; arrow keys to choose, Enter to accept, Escape to close", o.list.items.len())).unwrap_or_default() }
                </div>
            }
            <DiagnosticsList id={format!("{id}-diagnostics")} diagnostics={props.diagnostics.clone()} text={props.text.clone()} area={area_ref.clone()} />
        </div>
    }
}

/// The line and line-relative byte column of the highlighted segment under the pointer.
fn segment_under(x: i32, y: i32) -> Option<(usize, usize)> {
    let document = web_sys::window()?.document()?;
    let hits = document.elements_from_point(x as f32, y as f32);
    for hit in hits.iter() {
        let Ok(el) = hit.dyn_into::<Element>() else {
            continue;
        };
        let Some(col) = el.get_attribute("data-c") else {
            continue;
        };
        let line_el = el.parent_element()?;
        let chunk_el = line_el.parent_element()?;
        let index_in = |parent: &Element, child: &Element| {
            let children = parent.children();
            (0..children.length()).find(|&i| children.item(i).as_ref() == Some(child))
        };
        let line = index_in(&chunk_el, &line_el)?;
        let chunk = index_in(&chunk_el.parent_element()?, &chunk_el)?;
        let line = chunk as usize * CHUNK + line as usize;
        // Within the segment, count characters from the pointer's x using the segment's width.
        let rect = el.get_bounding_client_rect();
        let text = el.text_content().unwrap_or_default();
        let chars = text.chars().count().max(1);
        let frac = ((f64::from(x) - rect.left()) / rect.width().max(1.0)).clamp(0.0, 0.999);
        // A small non-negative character index: the cast truncates as intended.
        let within = (frac * chars as f64) as usize;
        let bytes: usize = text.chars().take(within).map(char::len_utf8).sum();
        return Some((line, col.parse::<usize>().ok()? + bytes));
    }
    None
}

fn caret_status(info: Option<&Info>, diagnostics: &[Diagnostic]) -> Html {
    let Some(info) = info else {
        return html! { <span class="cm-hint">{ "Ctrl+Space suggests; hover a name for its documentation." }</span> };
    };
    let diags = info
        .diags
        .iter()
        .filter_map(|&i| diagnostics.get(usize::from(i)));
    html! {
        <>
            <span class="cm-pos">{ format!("Ln {}, Col {}", info.line + 1, info.column + 1) }</span>
            { for diags.map(|d| html! {
                <span class={if d.is_error() { "cm-d error" } else { "cm-d warning" }}>
                    { if d.is_error() { "error: " } else { "note: " } }
                    { render_ticks(&d.message) }
                    if let Some(help) = &d.help { <span class="help">{ " — help: " }{ render_ticks(help) }</span> }
                </span>
            }) }
            if let Some(doc) = &info.doc {
                <span class="cm-doc">
                    <code>{ &doc.title }</code>{ format!(" ({}): ", doc.kind) }
                    { for doc.lines.iter().map(|l| html! { <>{ render_ticks(l) }{ " " }</> }) }
                    if let Some(link) = &doc.link {
                        <a href={link.clone()} target="_blank" rel="noopener">{ "AWS reference" }</a>
                    }
                </span>
            }
        </>
    }
}

pub use crate::text::render_ticks;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn utf16_and_byte_offsets_convert_both_ways() {
        let text = "a\u{e9}\u{1F600}b";
        assert_eq!(utf16_of(text, 0), 0);
        assert_eq!(utf16_of(text, 1), 1);
        assert_eq!(utf16_of(text, 3), 2);
        assert_eq!(utf16_of(text, 7), 4);
        assert_eq!(byte_of(text, 4), 7);
        assert_eq!(byte_of(text, 2), 3);
        assert_eq!(byte_of(text, 99), text.len());
        assert_eq!(line_col("ab\ncd", 4), (1, 1));
    }
}

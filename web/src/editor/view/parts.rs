//! The editor's parts, each its own component so a keystroke re-renders only what changed: the
//! line-number gutter, chunks of lines and each line, the completion list, the tip under the
//! caret, and the diagnostics list.

use std::rc::Rc;

use s3pg_policy::Diagnostic;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::editor::complete::Completions;
use crate::editor::docs::Doc;
use crate::editor::highlight::{LineView, NO_DIAG};
use crate::text::render_ticks;

/// An open completion list.
#[derive(Clone, PartialEq)]
pub(super) struct Open {
    pub(super) list: Rc<Completions>,
    pub(super) active: usize,
    pub(super) line: usize,
    pub(super) column: usize,
}

/// What the pointer or the caret is on: its place and what to say about it.
#[derive(Clone, PartialEq)]
pub(super) struct Info {
    pub(super) offset: usize,
    pub(super) line: usize,
    pub(super) column: usize,
    pub(super) diags: Vec<u16>,
    pub(super) doc: Option<Doc>,
}

#[derive(Properties, PartialEq)]
pub(super) struct GutterProps {
    pub(super) lines: usize,
}

/// Line numbers (re-rendered only when the line count changes).
#[function_component(Gutter)]
pub(super) fn gutter(props: &GutterProps) -> Html {
    let numbers: String = (1..=props.lines).map(|n| format!("{n}\n")).collect();
    html! { <div class="cm-gutter" aria-hidden="true">{ numbers }</div> }
}

#[derive(Properties, PartialEq)]
pub(super) struct ChunkProps {
    pub(super) lines: Rc<Vec<Rc<LineView>>>,
}

/// A run of [`CHUNK`] lines (re-rendered only when one of them changed).
#[function_component(Chunk)]
pub(super) fn chunk(props: &ChunkProps) -> Html {
    // Off-screen chunks skip layout and paint (`content-visibility: auto` in editor.css).
    let style = format!("--n: {};", props.lines.len());
    html! {
        <div class="cm-chunk" {style}>
            { for props.lines.iter().map(|l| html! { <Line view={l.clone()} /> }) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub(super) struct LineProps {
    pub(super) view: Rc<LineView>,
}

/// One highlighted line (re-rendered only when its view changed).
#[function_component(Line)]
pub(super) fn line(props: &LineProps) -> Html {
    let v = &props.view;
    html! {
        <div class="cm-line">
            { for v.segments.iter().map(|s| {
                let part = v.part(s).to_string();
                if s.diag != NO_DIAG {
                    let class = classes!(s.class, if s.error { "sq-e" } else { "sq-w" });
                    html! { <span {class} data-c={s.start.to_string()}>{ part }</span> }
                } else if matches!(s.class, "t-a" | "t-ck" | "t-op") {
                    html! { <span class={s.class} data-c={s.start.to_string()}>{ part }</span> }
                } else if s.class.is_empty() {
                    html! { { part } }
                } else {
                    html! { <span class={s.class}>{ part }</span> }
                }
            }) }
            if let Some((_, error)) = v.eol {
                <span class={if error { "sq-e eol" } else { "sq-w eol" }} data-c={v.text.len().to_string()}>{ " " }</span>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub(super) struct CompletionProps {
    pub(super) id: String,
    pub(super) option_prefix: String,
    pub(super) open: Open,
    pub(super) on_pick: Callback<usize>,
}

/// How many suggestions are in the page at once: the list never scrolls (a scrolling listbox
/// would need its own focus); it moves its window with the active option, and each option says
/// its place in the whole list (`aria-posinset` of `aria-setsize`).
pub(super) const WINDOW: usize = 10;

/// The completion list, positioned under the string being completed.
#[function_component(CompletionList)]
pub(super) fn completion_list(props: &CompletionProps) -> Html {
    let o = &props.open;
    let n = o.list.items.len();
    let first = o
        .active
        .saturating_sub(WINDOW / 2 - 1)
        .min(n.saturating_sub(WINDOW));
    let style = format!("--l: {}; --c: {};", o.line, o.column);
    html! {
        <ul class="cm-complete" role="listbox" id={props.id.clone()} aria-label="Suggestions" {style} data-testid="completions">
            { for o.list.items.iter().enumerate().skip(first).take(WINDOW).map(|(i, item)| {
                let pick = props.on_pick.clone();
                // Keep the focus in the textarea: choose on mousedown and cancel the blur.
                let onmousedown = Callback::from(move |e: MouseEvent| {
                    e.prevent_default();
                    pick.emit(i);
                });
                html! {
                    <li role="option" id={format!("{}{i}", props.option_prefix)} aria-selected={(i == o.active).to_string()}
                        aria-posinset={(i + 1).to_string()} aria-setsize={n.to_string()} {onmousedown}>
                        <span class="label">{ &item.label }</span>
                        <span class="detail">{ &item.detail }</span>
                    </li>
                }
            }) }
            if n > WINDOW {
                <li role="presentation" class="more" aria-hidden="true">{ format!("{} of {n} — type to narrow", o.active + 1) }</li>
            }
        </ul>
    }
}

#[derive(Properties, PartialEq)]
pub(super) struct TipProps {
    pub(super) info: Info,
    pub(super) diagnostics: Vec<Diagnostic>,
}

/// The hover card: the diagnostics under the pointer and the documentation of the name.
#[function_component(Tip)]
pub(super) fn tip(props: &TipProps) -> Html {
    let info = &props.info;
    let style = format!("--l: {}; --c: {};", info.line, info.column);
    html! {
        <div class="cm-tip" role="tooltip" {style} data-testid="hover-tip">
            { for info.diags.iter().filter_map(|&i| props.diagnostics.get(usize::from(i))).map(|d| html! {
                <p class={if d.is_error() { "error" } else { "warning" }}>
                    { render_ticks(&d.message) }
                    if let Some(help) = &d.help {
                        <span class="help">{ "help: " }{ render_ticks(help) }</span>
                    }
                </p>
            }) }
            if let Some(doc) = &info.doc {
                <p class="doc"><strong>{ &doc.title }</strong>{ format!(" — {}", doc.kind) }</p>
                { for doc.lines.iter().map(|l| html! { <p class="doc">{ render_ticks(l) }</p> }) }
                if doc.link.is_some() {
                    <p class="doc link">{ "Put the caret on it for the AWS reference link." }</p>
                }
            }
        </div>
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

/// Errors and teaching notes, scrolling within their panel; choosing one selects the text it is
/// about.
#[function_component(DiagnosticsList)]
pub fn diagnostics_list(props: &DiagnosticsProps) -> Html {
    let select = |d: &Diagnostic| {
        let area = props.area.clone();
        let text = props.text.clone();
        let (start, end) = (d.span.start, d.span.end.max(d.span.start + 1));
        Callback::from(move |_: MouseEvent| {
            if let Some(el) = area.cast::<HtmlTextAreaElement>() {
                let _ = el.focus();
                let _ = el.set_selection_range(utf16_of(&text, start), utf16_of(&text, end));
                // Bring the selection into view inside the editor's frame.
                let _ = el.blur();
                let _ = el.focus();
            }
        })
    };
    html! {
        <ul class="diagnostics cm-diagnostics" id={props.id.clone()} aria-live="polite" data-testid="diagnostics">
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

/// Byte offset → UTF-16 offset (what the textarea's selection API counts).
pub(super) fn utf16_of(text: &str, byte: usize) -> u32 {
    let mut byte = byte.min(text.len());
    while !text.is_char_boundary(byte) {
        byte -= 1;
    }
    let prefix = text.get(..byte).unwrap_or_default();
    u32::try_from(prefix.encode_utf16().count()).unwrap_or(u32::MAX)
}

//! Save and share: copy a link that carries the scenario, download it as JSON, or paste one in.
//! Nothing is uploaded anywhere: the link's fragment never leaves the browser.

use wasm_bindgen::JsCast;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::PanelProps;

use crate::share::encode_fragment;
use crate::state::Action;

/// The save-and-share panel.
#[function_component(SharePanel)]
pub fn share_panel(props: &PanelProps) -> Html {
    let note = use_state(String::new);
    let importing = use_state(|| false);
    let paste = use_node_ref();

    let share = {
        let state = props.state.clone();
        let note = note.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(json) = state.export_json() else {
                return;
            };
            let fragment = encode_fragment(&json);
            let Some(window) = web_sys::window() else {
                return;
            };
            // The link is copied, not opened: the address bar keeps the page as it is.
            let location = window.location();
            let href = format!(
                "{}{}{}#{fragment}",
                location.origin().unwrap_or_default(),
                location.pathname().unwrap_or_default(),
                location.search().unwrap_or_default()
            );
            let _ = window.navigator().clipboard().write_text(&href);
            note.set(format!(
                "Link copied ({} characters). It carries the whole scenario, so whoever opens it sees what you see.",
                href.len()
            ));
        })
    };
    let download = {
        let state = props.state.clone();
        let note = note.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(json) = state.export_json() else {
                return;
            };
            match download_json(&json, "scenario.json") {
                Ok(()) => note.set("Saved as scenario.json.".to_owned()),
                Err(e) => note.set(format!("The download did not start: {e}")),
            }
        })
    };
    let toggle = {
        let importing = importing.clone();
        Callback::from(move |_: MouseEvent| importing.set(!*importing))
    };
    let load = {
        let paste = paste.clone();
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(area) = paste.cast::<HtmlTextAreaElement>() {
                dispatch.emit(Action::Import(area.value()));
            }
        })
    };
    html! {
        <section class="panel" aria-labelledby="share-h">
            <h2 id="share-h">{ "Save and share" }</h2>
            <div class="actions wrap">
                <button class="ghost" onclick={share}>{ "Copy share link" }</button>
                <button class="ghost" onclick={download}>{ "Download JSON" }</button>
                <button class="ghost" onclick={toggle} aria-expanded={importing.to_string()}>{ "Paste a scenario…" }</button>
            </div>
            if !note.is_empty() { <p class="hint" role="status">{ (*note).clone() }</p> }
            if *importing {
                <label class="field">{ "Scenario JSON" }
                    <textarea ref={paste} class="paste" spellcheck="false" placeholder="Paste a scenario (the format of tests/scenarios/*.json)" />
                </label>
                <div class="actions"><button class="primary" onclick={load}>{ "Load it" }</button></div>
            }
            if let Some(error) = &props.state.import_error {
                <p class="import-error" role="alert">{ "That scenario was not loaded: " }{ error }</p>
            }
            <p class="hint">{ "Your edits are kept in this browser, so a reload picks up where you left off." }</p>
        </section>
    }
}

/// Starts a download of `text` as a JSON file.
fn download_json(text: &str, name: &str) -> Result<(), String> {
    let parts = js_sys_array(text);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "the browser refused to build the file".to_owned())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "the browser refused a download link".to_owned())?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let anchor: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| "no link element")?
        .dyn_into()
        .map_err(|_| "no link element")?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

fn js_sys_array(text: &str) -> wasm_bindgen::JsValue {
    let array = js_sys::Array::new();
    array.push(&wasm_bindgen::JsValue::from_str(text));
    array.into()
}

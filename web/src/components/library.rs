//! The scenario library: every scenario of the corpus, grouped by topic, one keystroke away.

use std::collections::BTreeMap;

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::assets::library;

/// Props for [`LibraryPicker`].
#[derive(Properties, PartialEq)]
pub struct LibraryProps {
    /// The file open now (`None`: the default scenario).
    pub current: Option<String>,
    /// Called with the file name to open.
    pub on_open: Callback<String>,
}

/// A grouped list of the corpus's scenarios.
#[function_component(LibraryPicker)]
pub fn library_picker(props: &LibraryProps) -> Html {
    let mut groups: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for entry in library() {
        groups
            .entry(entry.tag.as_str())
            .or_default()
            .push((entry.file.as_str(), entry.title.as_str()));
    }
    let current = props
        .current
        .clone()
        .unwrap_or_else(|| "default.json".to_owned());
    let onchange = props.on_open.reform(|e: Event| {
        e.target_dyn_into::<HtmlSelectElement>()
            .map(|s| s.value())
            .unwrap_or_default()
    });
    html! {
        <section class="panel" aria-labelledby="library-h">
            <h2 id="library-h">{ "Scenario library" }</h2>
            <label class="field library">
                <span class="visually-hidden">{ "Open a scenario" }</span>
                <select {onchange} aria-label="Open a scenario" data-testid="library">
                    { for groups.iter().map(|(tag, items)| html! {
                        <optgroup label={tag.replace('-', " ")}>
                            { for items.iter().map(|(file, title)| html! {
                                <option value={file.to_string()} selected={*file == current}>{ *title }</option>
                            }) }
                        </optgroup>
                    }) }
                </select>
            </label>
            <p class="hint">{ format!("{} scenarios, each citing the AWS page it follows.", library().len()) }</p>
        </section>
    }
}

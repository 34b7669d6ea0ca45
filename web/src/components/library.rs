//! The scenario library: every scenario of the corpus, grouped by topic and searchable by title,
//! topic or file name. The library is fetched after the page starts (`crate::assets`): if the
//! learner opens the picker before it has arrived, the picker says it is loading and fills in
//! when it does.

use std::collections::BTreeMap;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::assets::{library, library_loaded, library_problem};

/// Props for [`LibraryPicker`].
#[derive(Properties, PartialEq)]
pub struct LibraryProps {
    /// The file open now (`None`: the default scenario).
    pub current: Option<String>,
    /// Called with the file name to open.
    pub on_open: Callback<String>,
}

/// The scenarios whose title, topic or file name contains every word of `query`
/// (case-insensitive), grouped by topic.
pub fn matching(query: &str) -> BTreeMap<&'static str, Vec<(&'static str, &'static str)>> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    let mut groups: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for entry in library() {
        let (file, title, tag) = (
            entry.file.as_str(),
            entry.title.as_str(),
            entry.tag.as_str(),
        );
        let haystack = format!("{title} {tag} {file}").to_lowercase();
        if words.iter().all(|w| haystack.contains(w.as_str())) {
            groups.entry(tag).or_default().push((file, title));
        }
    }
    groups
}

/// Topic names as a heading shows them (`block-public-access` → `Block public access`).
fn topic(tag: &str) -> String {
    let text = tag.replace(['-', '_'], " ");
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A searchable, grouped list of the corpus's scenarios.
#[function_component(LibraryPicker)]
pub fn library_picker(props: &LibraryProps) -> Html {
    let query = use_state(String::new);
    // Re-renders once the library has arrived, when it had not yet.
    let arrived = use_state(library_loaded);
    {
        let arrived = arrived.clone();
        use_effect_with((), move |_| {
            #[cfg(target_arch = "wasm32")]
            if !*arrived {
                yew::platform::spawn_local(async move {
                    let _ = crate::assets::load_library().await;
                    arrived.set(true);
                });
            }
            #[cfg(not(target_arch = "wasm32"))]
            let _ = arrived;
        });
    }
    let groups = matching(&query);
    let count: usize = groups.values().map(Vec::len).sum();
    let current = props
        .current
        .clone()
        .unwrap_or_else(|| "default.json".to_owned());
    let oninput = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                query.set(input.value());
            }
        })
    };
    let searching = !query.trim().is_empty();
    html! {
        <section class="panel library" aria-labelledby="library-h">
            <h2 id="library-h">{ "Scenario library" }</h2>
            if *arrived || library_problem().is_some() {
                <p class="hint">{ format!("{} scenarios, each citing the AWS page it follows. Opening one replaces the world you are working on.", library().len()) }</p>
            } else {
                <p class="hint" role="status">{ "Loading the scenario library…" }</p>
            }
            if let Some(problem) = library_problem() {
                <p class="error" role="alert">{ if problem.contains("reload") { problem.to_owned() } else { format!("{problem}: reload the page") } }</p>
            }
            <label class="field">
                <span>{ "Search scenarios" }</span>
                <input type="search" value={(*query).clone()} {oninput} placeholder="mfa delete, cross-account, presign…" data-testid="library-search" />
            </label>
            <p class="hint" role="status">{ if searching { format!("{count} matching") } else { String::new() } }</p>
            <div class="topics" data-testid="library">
                { for groups.iter().map(|(tag, items)| html! {
                    <details class="topic" open={searching || items.iter().any(|(f, _)| *f == current)} data-topic={tag.to_string()}>
                        <summary>{ topic(tag) }<span class="count">{ items.len() }</span></summary>
                        <ul>
                            { for items.iter().map(|(file, title)| {
                                let file = file.to_string();
                                let is_current = file == current;
                                let on_open = props.on_open.clone();
                                let f = file.clone();
                                html! {
                                    <li>
                                        <button type="button" class={classes!("link", is_current.then_some("current"))}
                                            aria-current={is_current.then_some("true")} data-file={file}
                                            onclick={Callback::from(move |_: MouseEvent| on_open.emit(f.clone()))}>
                                            { *title }
                                        </button>
                                    </li>
                                }
                            }) }
                        </ul>
                    </details>
                }) }
            </div>
        </section>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn search_narrows_by_every_word() {
        let all: usize = matching("").values().map(Vec::len).sum();
        assert_eq!(all, library().len());
        let mfa: usize = matching("mfa").values().map(Vec::len).sum();
        assert!(mfa > 0 && mfa < all);
        assert!(matching("no-such-scenario-anywhere").is_empty());
    }

    #[test]
    fn topics_read_as_words() {
        assert_eq!(topic("block-public-access"), "Block public access");
    }
}

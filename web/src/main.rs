//! The browser entry point: fetches the IAM catalogue (preloaded by index.html while the
//! WebAssembly downloads), then renders the playground in place of the loading indicator — or, when the address asks for it (`?learn`, `?lesson=`, `?embed=…`, a
//! `#pack=` link), the learning page, which lives in the second module (`s3pg_web::lazy`). If
//! something cannot be fetched, the indicator says why in plain words.
//!
//! The scenario library is not needed for a first decision: on a plain first visit (no address
//! fragment or query, no work saved in this browser) the page starts without it and fetches it
//! once it is on screen. Otherwise what the page opens may be a library scenario (saved work, a
//! share link), so it waits for the library first — on a later visit the service worker has it.
//!
//! Start-up leaves User Timing marks (`s3pg:main`, `s3pg:assets`, `s3pg:rendered`) that
//! `tests/bench/page.mjs` reads, and announces `s3pg-ready` on the window once the page is on
//! screen: index.html then registers the service worker, whose caching of the build must not
//! compete with the first decision.

/// Whether the page may open before the scenario library has arrived: nothing in the address
/// and no saved work, so it opens the built-in default scenario.
#[cfg(target_arch = "wasm32")]
fn starts_without_library() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let location = window.location();
    let plain = location.search().is_ok_and(|s| s.is_empty())
        && location.hash().is_ok_and(|h| h.is_empty() || h == "#");
    let saved = window
        .local_storage()
        .ok()
        .flatten()
        .and_then(|storage| storage.get_item(s3pg_web::work::SESSION_KEY).ok().flatten());
    plain && saved.is_none()
}

/// Leaves the User Timing mark `name` (nothing on the page reads it).
#[cfg(target_arch = "wasm32")]
fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {
    use s3pg_web::learn::page::{Route, current};
    mark("s3pg:main");
    yew::platform::spawn_local(async {
        let document = gloo::utils::document();
        let early = starts_without_library();
        let loaded = if early {
            s3pg_web::assets::load_catalogue().await
        } else {
            s3pg_web::assets::load().await
        };
        mark("s3pg:assets");
        let started = match loaded {
            Ok(()) => match current() {
                Route::Playground => {
                    yew::Renderer::<s3pg_web::App>::new().render();
                    Ok(())
                }
                Route::ScenarioEmbed => {
                    // The stylesheet hides the chrome.
                    if let Some(body) = document.body() {
                        body.set_class_name("embed-scenario");
                    }
                    yew::Renderer::<s3pg_web::App>::new().render();
                    Ok(())
                }
                Route::Learn { .. } | Route::Embed { .. } => s3pg_web::lazy::render_page().await,
            },
            Err(e) => Err(e),
        };
        match started {
            Ok(()) => {
                if let Some(loading) = document.get_element_by_id("loading") {
                    loading.remove();
                }
                mark("s3pg:rendered");
                if let Ok(ready) = web_sys::Event::new("s3pg-ready") {
                    let _ = gloo::utils::window().dispatch_event(&ready);
                }
                if early {
                    // A failure is kept for the picker, which says so.
                    let _ = s3pg_web::assets::load_library().await;
                }
            }
            Err(e) => {
                if let Some(loading) = document.get_element_by_id("loading") {
                    loading.set_class_name("failed");
                }
                if let Some(text) = document.get_element_by_id("loading-text") {
                    text.set_text_content(Some(&format!("The playground could not start: {e}.")));
                }
            }
        }
    });
}

/// Natively there is no page to render into.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the playground runs in a browser: ./scripts/serve, or ./scripts/build for dist/");
}

//! The browser entry point: fetches the scenario library and the IAM catalogue (preloaded by
//! index.html while the WebAssembly downloads), then renders the playground in place of the
//! loading indicator — or the learning page when the address asks for it (`?learn`,
//! `?lesson=`, `?embed=…`, a `#pack=` link). If the data cannot be fetched, the indicator says
//! why in plain words.

#[cfg(target_arch = "wasm32")]
fn main() {
    yew::platform::spawn_local(async {
        let document = gloo::utils::document();
        match s3pg_web::assets::load().await {
            Ok(()) => {
                if !s3pg_web::learn::page::render_if_asked() {
                    yew::Renderer::<s3pg_web::App>::new().render();
                }
                if let Some(loading) = document.get_element_by_id("loading") {
                    loading.remove();
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

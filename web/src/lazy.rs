//! Views that are not needed for a first decision live in a second WebAssembly module (the bin
//! `s3pg-lazy`, `src/lazy_main.rs`), fetched the first time one opens; this is the main module's
//! side of that split.
//!
//! Why: the first visit downloads only what the playground needs to show a decision (the world,
//! the editor, the trace). The course engine and the learning views (lessons, challenges, exam
//! practice) are a large part of the code and are only needed when a learner opens them, so they
//! are a separately fetched, cached file, like the course content itself.
//!
//! How: Trunk builds the bin with `data-type="worker"` (not started by the page);
//! `scripts/post-build.mjs` gives its two files content-hashed names and lists them in index.html
//! as `<link data-asset="lazy-js|lazy-wasm">`; `window.s3pgLazy()` (index.html) imports them once.
//! [`LazyView`] renders an empty host element and asks the lazy module to mount its own Yew app
//! there (`mount_view(host, name)`); it unmounts it when the view closes. The two modules share
//! no memory: the lazy one reads what it needs (course, catalogue, library) from the same cached
//! assets. The service worker precaches both files, so offline use keeps working.
//!
//! To move a view into the lazy module: render `<LazyView name="…" />` in the shell instead of
//! the component, and add an arm for `name` in `lazy_main.rs`'s `mount_view`. Nothing of the view
//! may then be referenced from the main module, or it is compiled into both.

use yew::prelude::*;

/// Props for [`LazyView`].
#[derive(Properties, PartialEq, Clone)]
pub struct LazyViewProps {
    /// Which view the lazy module mounts (`lessons`, `challenges`, `exam`, `encryption`).
    pub name: AttrValue,
}

/// Where a lazily loaded view is in its life (natively it never leaves `Loading`).
#[derive(Clone, PartialEq)]
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
enum Phase {
    Loading,
    Ready,
    Failed(String),
}

/// A host for a view of the lazy module: a loading indicator until the module has mounted the
/// view, a plain-language message if it cannot be fetched (offline before a first visit).
#[function_component(LazyView)]
pub fn lazy_view(props: &LazyViewProps) -> Html {
    let host = use_node_ref();
    let phase = use_state(|| Phase::Loading);
    {
        let host = host.clone();
        let phase = phase.clone();
        use_effect_with(props.name.clone(), move |name| {
            phase.set(Phase::Loading);
            let element = host.cast::<web_sys::Element>();
            if let Some(element) = element.clone() {
                mount(element, name.to_string(), phase);
            }
            move || {
                if let Some(element) = element {
                    unmount(&element);
                }
            }
        });
    }
    html! {
        <>
            if *phase == Phase::Loading {
                <p class="learn-loading" role="status" data-testid="lazy-loading">
                    <span class="learn-spinner" aria-hidden="true" />{ "Loading this view…" }
                </p>
            }
            if let Phase::Failed(e) = &*phase {
                <section class="learn-panel" role="alert">
                    <h2>{ "This view could not be loaded" }</h2>
                    <p>{ e }</p>
                </section>
            }
            <div class="lazy-host" ref={host} data-lazy={props.name.clone()} />
        </>
    }
}

#[cfg(target_arch = "wasm32")]
mod js {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        /// index.html: imports and starts the lazy module once; resolves to its exports.
        #[wasm_bindgen(js_namespace = window, js_name = s3pgLazy, catch)]
        pub fn load() -> Result<js_sys::Promise, JsValue>;
    }
}

/// The lazy module's exports, once it has started.
#[cfg(target_arch = "wasm32")]
async fn module() -> Result<wasm_bindgen::JsValue, String> {
    let promise = js::load().map_err(|_| {
        "this build has no loader for its second module (was it built with scripts/build?)"
            .to_owned()
    })?;
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(|_| {
            "its code could not be downloaded: check the connection and open it again".to_owned()
        })
}

/// Calls the lazy module's export `name` with `args`; its promise, awaited, if it returns one.
#[cfg(target_arch = "wasm32")]
async fn call(name: &str, args: &[&wasm_bindgen::JsValue]) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    let exports = module().await?;
    let function = js_sys::Reflect::get(&exports, &name.into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or_else(|| format!("the second module has no `{name}`: reload the page"))?;
    let array: js_sys::Array = args.iter().copied().collect();
    let result = function
        .apply(&wasm_bindgen::JsValue::NULL, &array)
        .map_err(|e| error_text(&e))?;
    if let Ok(promise) = result.dyn_into::<js_sys::Promise>() {
        wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .map_err(|e| error_text(&e))?;
    }
    Ok(())
}

#[cfg(target_arch = "wasm32")]
fn error_text(e: &wasm_bindgen::JsValue) -> String {
    e.as_string()
        .unwrap_or_else(|| "the view failed to start: reload the page".to_owned())
}

#[cfg(target_arch = "wasm32")]
fn mount(element: web_sys::Element, name: String, phase: UseStateHandle<Phase>) {
    yew::platform::spawn_local(async move {
        let result = call("mount_view", &[element.as_ref(), &name.into()]).await;
        phase.set(match result {
            Ok(()) => Phase::Ready,
            Err(e) => Phase::Failed(e),
        });
    });
}

#[cfg(target_arch = "wasm32")]
fn unmount(element: &web_sys::Element) {
    let element = element.clone();
    yew::platform::spawn_local(async move {
        let _ = call("unmount_view", &[element.as_ref()]).await;
    });
}

/// Natively (unit tests) there is no second module: the view stays loading.
#[cfg(not(target_arch = "wasm32"))]
fn mount(_: web_sys::Element, _: String, _: UseStateHandle<Phase>) {}

#[cfg(not(target_arch = "wasm32"))]
fn unmount(_: &web_sys::Element) {}

/// Renders the learning page the address asks for (`?learn`, `?lesson=`, `?embed=lesson:…`, a
/// `#pack=` link) through the lazy module; the error is a sentence for the loading screen.
#[cfg(target_arch = "wasm32")]
pub async fn render_page() -> Result<(), String> {
    call("render_page", &[])
        .await
        .map_err(|e| format!("the learning page could not start: {e}"))
}

//! The second WebAssembly module of the page (see `s3pg_web::lazy`): the learning views (lessons,
//! challenges, exam practice, over the `s3pg-course` engine) and the encryption lab (client-side
//! encryption in the page, which needs nothing of the world), fetched the first time a learner
//! opens one. The main module calls these exports through `window.s3pgLazy()` (index.html).
//!
//! A view added here (the analysis views, for example) is one more arm in [`mount_view`].

#[cfg(target_arch = "wasm32")]
mod exports {
    use std::cell::RefCell;

    use s3pg_web::components::encryption::EncryptionLab;
    use s3pg_web::learn::LearnView;
    use s3pg_web::learn::state::Tab;
    use wasm_bindgen::prelude::*;
    use yew::prelude::*;

    /// How to take a mounted app down.
    type Unmount = Box<dyn FnOnce()>;

    thread_local! {
        /// The apps this module has mounted: each host element and how to take its app down.
        static MOUNTED: RefCell<Vec<(web_sys::Element, Unmount)>> =
            const { RefCell::new(Vec::new()) };
        /// Whether this module's first subtree ids have been used up (see [`step_past_main`]).
        static STEPPED: RefCell<bool> = const { RefCell::new(false) };
    }

    /// Nothing to render: used to take subtree ids (see [`step_past_main`]).
    #[function_component(Nothing)]
    fn nothing() -> Html {
        Html::default()
    }

    /// Yew numbers each app's subtree (1, 2, …) per module and routes a DOM event to the app
    /// whose number marks the closest element. This module's app lives inside the main module's
    /// app, which is subtree 1 there: if this one were 1 too, each would take the other's events.
    /// Taking (and dropping) the first numbers here keeps them apart.
    fn step_past_main() {
        if STEPPED.with(|s| s.replace(true)) {
            return;
        }
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        for _ in 0..32 {
            if let Ok(spare) = document.create_element("div") {
                yew::Renderer::<Nothing>::with_root(spare)
                    .render()
                    .destroy();
            }
        }
    }

    /// Renders the view `name` inside `root`; how to take it down again.
    fn render(root: web_sys::Element, name: &str) -> Result<Unmount, JsValue> {
        if name == "encryption" {
            let app = yew::Renderer::<EncryptionLab>::with_root(root).render();
            return Ok(Box::new(move || app.destroy()));
        }
        let tab = match name {
            "lessons" => Tab::Lessons,
            "challenges" => Tab::Challenges,
            "exam" => Tab::Exam,
            // A new lazy view: its arm here, rendering into `root` like this one.
            other => {
                return Err(JsValue::from_str(&format!(
                    "this build has no view `{other}`: reload the page"
                )));
            }
        };
        let props = yew::props!(s3pg_web::learn::view::LearnViewProps { tab, tabs: false });
        let app = yew::Renderer::<LearnView>::with_root_and_props(root, props).render();
        Ok(Box::new(move || app.destroy()))
    }

    /// Mounts the view `name` inside `root` (replacing what this module mounted there before).
    #[wasm_bindgen]
    pub async fn mount_view(root: web_sys::Element, name: String) -> Result<(), JsValue> {
        s3pg_web::assets::load()
            .await
            .map_err(|e| JsValue::from_str(&e))?;
        unmount_view(&root);
        // The learner may have left the view while this module was loading.
        if !root.is_connected() {
            return Ok(());
        }
        step_past_main();
        let destroy = render(root.clone(), &name)?;
        MOUNTED.with(|m| m.borrow_mut().push((root, destroy)));
        Ok(())
    }

    /// Removes what [`mount_view`] mounted inside `root`, if anything.
    #[wasm_bindgen]
    pub fn unmount_view(root: &web_sys::Element) {
        let found = MOUNTED.with(|m| {
            let mut m = m.borrow_mut();
            let at = m.iter().position(|(r, _)| r == root)?;
            Some(m.swap_remove(at).1)
        });
        if let Some(destroy) = found {
            destroy();
        }
    }

    /// Renders the learning page the address asks for in place of the loading indicator.
    #[wasm_bindgen]
    pub async fn render_page() -> Result<(), JsValue> {
        s3pg_web::assets::load()
            .await
            .map_err(|e| JsValue::from_str(&e))?;
        s3pg_web::learn::page::render_if_asked();
        Ok(())
    }
}

/// Started by its loader, which then calls the exports; nothing to do on its own.
fn main() {}

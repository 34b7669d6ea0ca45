//! The S3 Security Playground in the browser: a Yew app over the simulated world.
//!
//! The app holds one [`state::AppState`]; components send [`state::Action`]s and the pure
//! reducer answers with the next state by calling the core (`s3pg-sim`, `s3pg-policy`)
//! directly — every decision and every sentence on the page comes from the core, the UI only lays
//! it out.
//!
//! The page is two WebAssembly modules ([`lazy`] says why and how): this crate's bin `s3pg-web`
//! (the playground: what a first decision needs) and the bin `s3pg-lazy` (the learning views,
//! fetched the first time one opens). A view that is not needed for a first decision — the
//! analysis views, say — belongs in the second: render `<lazy::LazyView name="analysis" />` in
//! `components::app::view_body`, add the `analysis` arm to `mount_view` in `src/lazy_main.rs`,
//! and reference nothing of the view from the main module (or it is compiled into both; check
//! with `./scripts/build`, which prints both modules' sizes).

pub mod analysis;
pub mod assets;
pub mod builder;
pub mod components;
pub mod editor;
pub mod entropy;
pub mod lazy;
pub mod learn;
pub mod share;
pub mod state;
pub mod text;
pub mod work;

pub use components::App;

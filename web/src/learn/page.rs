//! Mounting the learning views on the page: the address decides. `?learn`, `?lesson=ID`,
//! `?challenge=ID`, `?exam` or a `#pack=` link open the learning page; `?embed=lesson:ID` and
//! `?embed=challenge:ID` render the item alone; `?embed=scenario` renders the playground with its
//! chrome hidden. Anything else is the playground as before.

use yew::prelude::*;

use super::links::{Embed, Target, decode_pack, parse_query};
use super::state::Tab;
use super::view::{LearnEmbed, LearnView};

/// What the page address asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// The playground.
    Playground,
    /// The playground with its chrome hidden (`?embed=scenario`).
    ScenarioEmbed,
    /// The learning page.
    Learn {
        /// What to open.
        target: Target,
        /// Course material from a `#pack=` link, or why the link did not open.
        document: Option<Result<String, String>>,
    },
    /// One lesson or challenge alone.
    Embed {
        /// Which.
        embed: Embed,
        /// Course material from a `#pack=` link.
        document: Option<Result<String, String>>,
    },
}

/// Reads the route from a query string and fragment (pure, tested natively).
pub fn route(search: &str, hash: &str) -> Route {
    let target = parse_query(search);
    let document = decode_pack(hash).transpose();
    let wants_learn = target.any()
        || document.is_some()
        || search
            .trim_start_matches('?')
            .split('&')
            .any(|p| p == "learn");
    match target.embed.clone() {
        Some(Embed::Scenario) => Route::ScenarioEmbed,
        Some(embed) => Route::Embed { embed, document },
        None if wants_learn => Route::Learn { target, document },
        None => Route::Playground,
    }
}

/// The route of the page the app runs in.
pub fn current() -> Route {
    let location = web_sys::window().map(|w| w.location());
    let search = location
        .as_ref()
        .and_then(|l| l.search().ok())
        .unwrap_or_default();
    let hash = location
        .as_ref()
        .and_then(|l| l.hash().ok())
        .unwrap_or_default();
    route(&search, &hash)
}

/// Props for [`LearnPage`].
#[derive(Properties, PartialEq)]
pub struct LearnPageProps {
    /// What to open.
    pub target: Target,
    /// Course material from a link, or why it did not open.
    #[prop_or_default]
    pub document: Option<Result<String, String>>,
}

/// The learning page: the playground's header, then lessons, challenges and exam practice.
#[function_component(LearnPage)]
pub fn learn_page(props: &LearnPageProps) -> Html {
    let tab = if props.target.challenge.is_some() {
        Tab::Challenges
    } else if props.target.exam {
        Tab::Exam
    } else {
        Tab::Lessons
    };
    let (document, link_error) = match &props.document {
        Some(Ok(d)) => (Some(AttrValue::from(d.clone())), None),
        Some(Err(e)) => (None, Some(e.clone())),
        None => (None, None),
    };
    html! {
        <>
            <a class="skip-link" href="#learn-main">{ "Skip to the course" }</a>
            <header class="top learn-top">
                <svg class="logo" viewBox="0 0 32 32" aria-hidden="true">
                    <rect width="32" height="32" rx="7" fill="#1f6f50" />
                    <path d="M9 14V11a7 7 0 0 1 14 0v3" fill="none" stroke="#fff" stroke-width="3" />
                    <rect x="7" y="14" width="18" height="13" rx="3" fill="#fff" />
                    <circle cx="16" cy="20.5" r="2.3" fill="#1f6f50" />
                </svg>
                <div>
                    <h1>{ "S3 Security Playground" }</h1>
                    <div class="tagline">{ "Lessons, graded challenges and exam practice, checked by the simulator." }</div>
                </div>
                <span class="spacer" />
                <a class="pill" href="./">{ "← The playground" }</a>
            </header>
            <main id="learn-main" class="learn-page">
                if let Some(e) = link_error {
                    <div class="learn-notice error" role="alert"><p>{ e }{ " Nothing was changed." }</p></div>
                }
                <LearnView {tab} target={props.target.clone()} {document} />
            </main>
        </>
    }
}

/// Props for [`EmbedPage`].
#[derive(Properties, PartialEq)]
pub struct EmbedPageProps {
    /// What to show.
    pub embed: Embed,
    /// Course material from a link, or why it did not open.
    #[prop_or_default]
    pub document: Option<Result<String, String>>,
}

/// One lesson or challenge alone, for an `<iframe>`.
#[function_component(EmbedPage)]
pub fn embed_page(props: &EmbedPageProps) -> Html {
    let document = props
        .document
        .clone()
        .and_then(Result::ok)
        .map(AttrValue::from);
    html! {
        <main class="learn-page embed" id="learn-main">
            <LearnEmbed embed={props.embed.clone()} {document} />
            <p class="embed-credit"><a href="./?learn" target="_blank" rel="noopener">{ "S3 Security Playground" }</a>{ " — runs in your browser" }</p>
        </main>
    }
}

/// Renders the page the address asks for; returns false when that is the plain playground (the
/// caller renders it). `?embed=scenario` marks the body so the stylesheet hides the chrome.
pub fn render_if_asked() -> bool {
    match current() {
        Route::Playground => false,
        Route::ScenarioEmbed => {
            if let Some(body) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.body())
            {
                body.set_class_name("embed-scenario");
            }
            false
        }
        Route::Learn { target, document } => {
            yew::Renderer::<LearnPage>::with_props(LearnPageProps { target, document }).render();
            true
        }
        Route::Embed { embed, document } => {
            if let Some(body) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.body())
            {
                body.set_class_name("embed-item");
            }
            yew::Renderer::<EmbedPage>::with_props(EmbedPageProps { embed, document }).render();
            true
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_picks_the_page() {
        assert_eq!(route("", ""), Route::Playground);
        assert_eq!(route("", "#v2=abc"), Route::Playground);
        assert_eq!(route("?embed=scenario", "#v2=abc"), Route::ScenarioEmbed);
        assert!(matches!(
            route("?learn", ""),
            Route::Learn { document: None, .. }
        ));
        assert!(matches!(
            route("?exam", ""),
            Route::Learn {
                target: Target { exam: true, .. },
                ..
            }
        ));
        assert!(matches!(
            route("?embed=challenge:acls-01", ""),
            Route::Embed {
                embed: Embed::Challenge(_),
                ..
            }
        ));
        let link =
            super::super::links::encode_pack("{\"kind\":\"pack\",\"id\":\"p\",\"title\":\"P\"}");
        assert!(matches!(
            route("", &format!("#{link}")),
            Route::Learn {
                document: Some(Ok(_)),
                ..
            }
        ));
        assert!(matches!(
            route("", "#pack=!!!"),
            Route::Learn {
                document: Some(Err(_)),
                ..
            }
        ));
    }
}

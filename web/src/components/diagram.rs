//! The trace as a picture: every gate S3 consulted, in evaluation order, drawn as a path of
//! nodes — passed, failed, not applicable, derived, and the one that decided — each a link to its
//! card in the trace below.

use s3pg_sim::GateStep;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::trace::step_kind;

/// Props for [`TraceDiagram`].
#[derive(Properties, PartialEq)]
pub struct DiagramProps {
    /// The steps, in order.
    pub steps: Vec<GateStep>,
    /// The prefix of the trace cards' element ids (`{prefix}-{index}`).
    pub prefix: AttrValue,
}

const COLUMNS: usize = 4;
const NODE_W: f32 = 94.0;
const NODE_H: f32 = 48.0;
const GAP_X: f32 = 14.0;
const GAP_Y: f32 = 26.0;
const PAD: f32 = 4.0;

/// The width of the drawing in user units.
const WIDTH: f32 = PAD * 2.0 + NODE_W * COLUMNS as f32 + GAP_X * (COLUMNS as f32 - 1.0);

/// A gate's title cut to what fits a node: the part before any parenthesis or " and ", in at
/// most two lines of about 15 characters.
pub fn node_lines(title: &str) -> Vec<String> {
    let short = title
        .split(" (")
        .next()
        .unwrap_or(title)
        .split(" and ")
        .next()
        .unwrap_or(title);
    let mut lines: Vec<String> = vec![String::new()];
    for word in short.split_whitespace() {
        let fits = lines
            .last()
            .is_some_and(|l| l.is_empty() || l.len() + 1 + word.len() <= 15);
        if !fits {
            if lines.len() == 2 {
                if let Some(l) = lines.last_mut() {
                    l.push('…');
                }
                return lines;
            }
            lines.push(String::new());
        }
        if let Some(l) = lines.last_mut() {
            if !l.is_empty() {
                l.push(' ');
            }
            l.push_str(word);
        }
    }
    lines
}

/// Where node `i` sits (its top-left corner).
fn position(i: usize) -> (f32, f32) {
    let col = (i % COLUMNS) as f32;
    let row = (i / COLUMNS) as f32;
    (PAD + col * (NODE_W + GAP_X), PAD + row * (NODE_H + GAP_Y))
}

/// Moves focus to a trace card (and scrolls it into view).
fn focus_card(id: &str) {
    let element = gloo::utils::document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        element.scroll_into_view();
        let _ = element.focus();
    }
}

/// The diagram.
#[function_component(TraceDiagram)]
pub fn trace_diagram(props: &DiagramProps) -> Html {
    let n = props.steps.len();
    if n == 0 {
        return html! {};
    }
    let rows = n.div_ceil(COLUMNS);
    let height = PAD * 2.0 + NODE_H * rows as f32 + GAP_Y * (rows as f32 - 1.0);
    let mut links = Vec::new();
    for i in 1..n {
        let (x0, y0) = position(i - 1);
        let (x1, y1) = position(i);
        let d = if (y1 - y0).abs() < f32::EPSILON {
            format!("M{} {} H{}", x0 + NODE_W, y0 + NODE_H / 2.0, x1 - 3.0)
        } else {
            // Down from the end of a row and back to the start of the next.
            let mid = y0 + NODE_H + GAP_Y / 2.0;
            format!(
                "M{} {} V{mid} H{} V{}",
                x0 + NODE_W / 2.0,
                y0 + NODE_H,
                x1 + NODE_W / 2.0,
                y1 - 3.0
            )
        };
        links.push(html! { <path class="link" d={d} marker-end="url(#arrow)" /> });
    }
    let nodes = props.steps.iter().enumerate().map(|(i, step)| {
        let (class, badge) = step_kind(step);
        let (x, y) = position(i);
        let id = format!("{}-{i}", props.prefix);
        let title = step.gate.title();
        let label = format!(
            "Step {}: {title} — {badge}{}",
            i + 1,
            if step.deciding { ", decided the request" } else { "" }
        );
        let onclick = {
            let id = id.clone();
            Callback::from(move |e: MouseEvent| {
                e.prevent_default();
                focus_card(&id);
            })
        };
        let onkeydown = {
            let id = id.clone();
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Enter" || e.key() == " " {
                    e.prevent_default();
                    focus_card(&id);
                }
            })
        };
        let icon = match class {
            "pass" => "✓",
            "deny" => "✕",
            "info" => "i",
            _ => "–",
        };
        let lines = node_lines(title);
        let first_line_y = y + 20.0 + if lines.len() == 1 { 6.0 } else { 0.0 };
        html! {
            <a class={classes!("node", class, step.deciding.then_some("deciding"))} href={format!("#{id}")}
                {onclick} {onkeydown} data-step={i.to_string()}>
                <title>{ label }</title>
                <rect x={x.to_string()} y={y.to_string()} width={NODE_W.to_string()} height={NODE_H.to_string()} rx="8" />
                <circle class="dot" cx={(x + 12.0).to_string()} cy={(y + 12.0).to_string()} r="8" />
                <text aria-hidden="true" class="icon" x={(x + 12.0).to_string()} y={(y + 15.5).to_string()} text-anchor="middle">{ icon }</text>
                <text aria-hidden="true" class="num" x={(x + NODE_W - 8.0).to_string()} y={(y + 14.0).to_string()} text-anchor="end">{ (i + 1).to_string() }</text>
                { for lines.iter().enumerate().map(|(j, line)| html! {
                    <text aria-hidden="true" class="label" x={(x + NODE_W / 2.0).to_string()} y={(first_line_y + 12.0 * j as f32 + 6.0).to_string()} text-anchor="middle">{ line.clone() }</text>
                }) }
            </a>
        }
    });
    html! {
        <figure class="diagram" data-testid="trace-diagram">
            <svg viewBox={format!("0 0 {WIDTH} {height}")} role="group" aria-label={format!("The {n} gates S3 applied, in order")}>
                <defs>
                    <marker id="arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
                        <path d="M0 0 L8 4 L0 8 z" class="arrowhead" />
                    </marker>
                </defs>
                { for links }
                { for nodes }
            </svg>
            <figcaption class="legend">
                <span class="key pass">{ "passed or granted" }</span>
                <span class="key deny">{ "failed" }</span>
                <span class="key na">{ "not applicable" }</span>
                <span class="key info">{ "derived" }</span>
                <span class="key deciding">{ "decided" }</span>
            </figcaption>
        </figure>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn node_labels_fit_in_two_lines() {
        assert_eq!(node_lines("Bucket policy"), vec!["Bucket policy"]);
        assert_eq!(
            node_lines("Required permissions and request context"),
            vec!["Required", "permissions"]
        );
        assert_eq!(
            node_lines("Service control policy (Organizations)"),
            vec!["Service control", "policy"]
        );
        for line in node_lines("A very long gate title that goes on and on") {
            assert!(line.chars().count() <= 16, "{line}");
        }
    }
}

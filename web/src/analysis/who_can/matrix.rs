//! A page of the who-can matrix as one piece of HTML, and reading a clicked cell back to its
//! principal and action (the view is `super`).

use s3pg_analysis::Subject;
use s3pg_analysis::resource::Resource;

use super::grid::{Answer, Grid, kind_of};

/// A page of the matrix as HTML: the caption, a column per shown action, and a row per principal
/// of `rows` — its name, then a button per action whose `data-cell` is "row column" within the
/// page ([`cell_of`] reads it back). One string the browser parses at once: drawn element by
/// element, a page's few hundred cells cost a call from WebAssembly per element, attribute and
/// listener, which made most of the time between the click and the matrix on screen.
pub(super) fn matrix_html(
    resource: &Resource,
    actions: &[&str],
    grid: &Grid,
    rows: std::ops::Range<usize>,
    open: Option<&(Subject, String)>,
) -> String {
    let mut out = String::with_capacity(256 * (rows.len() + 1) * (actions.len() + 1));
    out.push_str(
        r#"<table class="matrix" data-testid="who-can-matrix"><caption class="visually-hidden">"#,
    );
    escape_into(
        &mut out,
        &format!("Who can do what on {resource}: a row per principal, a column per action"),
    );
    out.push_str(r#"</caption><thead><tr><th scope="col">Principal</th>"#);
    for a in actions {
        out.push_str(r#"<th scope="col"><code>"#);
        escape_into(&mut out, a.strip_prefix("s3:").unwrap_or(a));
        out.push_str("</code></th>");
    }
    out.push_str("</tr></thead><tbody>");
    for (i, index) in rows.enumerate() {
        let (Some(s), Some(cells)) = (grid.subjects.get(index), grid.cells.get(index)) else {
            continue;
        };
        let label = s.label();
        let plain = label.replace('`', "");
        out.push_str(r#"<tr data-kind=""#);
        out.push_str(kind_of(s));
        out.push_str(r#""><th scope="row">"#);
        ticks_into(&mut out, &label);
        out.push_str("</th>");
        for (j, a) in actions.iter().enumerate() {
            let Some(row) = cells.get(j).copied().flatten() else {
                out.push_str(
                    r#"<td class="cell na"><span class="visually-hidden">not asked</span></td>"#,
                );
                continue;
            };
            let answer = Answer::of(row);
            let (text, word) = answer.cell();
            let current = open.is_some_and(|(os, oa)| os == *s && oa == a);
            let said = row.summary().replace('`', "");
            out.push_str(r#"<td class=""#);
            out.push_str(answer.cell_class());
            out.push_str(r#""><button class=""#);
            out.push_str(if current {
                "cell-button current"
            } else {
                "cell-button"
            });
            out.push_str(&format!(
                r#"" data-cell="{i} {j}" aria-pressed="{current}" aria-label=""#
            ));
            escape_into(&mut out, &format!("{word} — {plain} — {a}: {said}"));
            out.push_str(r#"" title=""#);
            escape_into(&mut out, &said);
            out.push_str(r#"">"#);
            out.push_str(text);
            out.push_str("</button></td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}

/// The principal and action of a cell's `data-cell` ("row column" within the page).
pub(super) fn cell_of<'a>(
    cell: &str,
    subjects: &'a [Subject],
    actions: &'a [String],
) -> Option<(&'a Subject, &'a String)> {
    let (i, j) = cell.split_once(' ')?;
    Some((
        subjects.get(i.parse::<usize>().ok()?)?,
        actions.get(j.parse::<usize>().ok()?)?,
    ))
}

/// `text` as HTML text or a double-quoted attribute value.
pub(super) fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// A core message as HTML, its `backticked` parts as `<code>` ([`render_ticks`] as text).
pub(super) fn ticks_into(out: &mut String, text: &str) {
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 1 {
            out.push_str("<code>");
            escape_into(out, part);
            out.push_str("</code>");
        } else {
            escape_into(out, part);
        }
    }
}

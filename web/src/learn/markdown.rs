//! The course's prose, laid out: the small Markdown subset `s3pg_course::Text` documents —
//! paragraphs separated by a blank line, `- ` bullets, fenced code blocks, `` `code` ``,
//! `**bold**`, `*emphasis*` and `[links](https://…)`. Nothing else is interpreted (no raw HTML):
//! the text is always shown as text.
//!
//! [`blocks`] and [`inline`] are pure and tested natively; [`render`] builds the Yew nodes.

use yew::prelude::*;

/// A block of prose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A paragraph (its lines joined with spaces).
    Paragraph(String),
    /// A bullet list's items.
    List(Vec<String>),
    /// A fenced code block's text.
    Code(String),
}

/// A run of inline text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    /// Plain text.
    Text(String),
    /// `code`.
    Code(String),
    /// **bold**.
    Strong(String),
    /// *emphasis*.
    Em(String),
    /// [label](url).
    Link(String, String),
}

/// Splits text into blocks.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut para: Vec<&str> = Vec::new();
    let mut list: Vec<String> = Vec::new();
    let mut code: Option<Vec<&str>> = None;
    let flush = |para: &mut Vec<&str>, list: &mut Vec<String>, out: &mut Vec<Block>| {
        if !para.is_empty() {
            out.push(Block::Paragraph(para.join(" ")));
            para.clear();
        }
        if !list.is_empty() {
            out.push(Block::List(std::mem::take(list)));
        }
    };
    for line in text.lines() {
        if let Some(c) = code.as_mut() {
            if line.trim_start().starts_with("```") {
                out.push(Block::Code(c.join("\n")));
                code = None;
            } else {
                c.push(line);
            }
            continue;
        }
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            flush(&mut para, &mut list, &mut out);
            code = Some(Vec::new());
        } else if trimmed.is_empty() {
            flush(&mut para, &mut list, &mut out);
        } else if let Some(item) = trimmed.strip_prefix("- ") {
            if !para.is_empty() {
                out.push(Block::Paragraph(para.join(" ")));
                para.clear();
            }
            list.push(item.to_owned());
        } else if !list.is_empty() && line.starts_with("  ") {
            // A bullet's continuation line.
            if let Some(last) = list.last_mut() {
                last.push(' ');
                last.push_str(trimmed);
            }
        } else {
            if !list.is_empty() {
                out.push(Block::List(std::mem::take(&mut list)));
            }
            para.push(trimmed);
        }
    }
    if let Some(c) = code {
        out.push(Block::Code(c.join("\n")));
    }
    flush(&mut para, &mut list, &mut out);
    out
}

/// Splits a line into inline runs.
pub fn inline(text: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let taken = match c {
            '`' => rest.get(1..).and_then(|r| {
                r.find('`').map(|end| {
                    (
                        Inline::Code(r.get(..end).unwrap_or_default().to_owned()),
                        end + 2,
                    )
                })
            }),
            '*' if rest.starts_with("**") => rest.get(2..).and_then(|r| {
                r.find("**").filter(|e| *e > 0).map(|end| {
                    (
                        Inline::Strong(r.get(..end).unwrap_or_default().to_owned()),
                        end + 4,
                    )
                })
            }),
            '*' => rest.get(1..).and_then(|r| {
                r.find('*')
                    .filter(|e| *e > 0 && !r.starts_with(' '))
                    .map(|end| {
                        (
                            Inline::Em(r.get(..end).unwrap_or_default().to_owned()),
                            end + 2,
                        )
                    })
            }),
            '[' => rest.get(1..).and_then(|r| {
                let close = r.find("](")?;
                let label = r.get(..close)?;
                let after = r.get(close + 2..)?;
                let end = after.find(')')?;
                let url = after.get(..end)?;
                (url.starts_with("https://") || url.starts_with("http://")).then(|| {
                    (
                        Inline::Link(label.to_owned(), url.to_owned()),
                        1 + close + 2 + end + 1,
                    )
                })
            }),
            _ => None,
        };
        match taken {
            Some((run, len)) => {
                if !plain.is_empty() {
                    out.push(Inline::Text(std::mem::take(&mut plain)));
                }
                out.push(run);
                rest = rest.get(len..).unwrap_or_default();
            }
            None => {
                plain.push(c);
                rest = rest.get(c.len_utf8()..).unwrap_or_default();
            }
        }
    }
    if !plain.is_empty() {
        out.push(Inline::Text(plain));
    }
    out
}

fn render_inline(text: &str) -> Html {
    html! {
        <>{ for inline(text).into_iter().map(|run| match run {
            Inline::Text(t) => html! { { t } },
            Inline::Code(t) => html! { <code>{ t }</code> },
            Inline::Strong(t) => html! { <strong>{ t }</strong> },
            Inline::Em(t) => html! { <em>{ t }</em> },
            Inline::Link(label, url) => html! {
                <a href={url} target="_blank" rel="noopener noreferrer">{ label }</a>
            },
        }) }</>
    }
}

/// Renders prose as paragraphs, lists and code blocks.
pub fn render(text: &str) -> Html {
    html! {
        <>{ for blocks(text).into_iter().map(|b| match b {
            Block::Paragraph(p) => html! { <p>{ render_inline(&p) }</p> },
            Block::List(items) => html! {
                <ul>{ for items.iter().map(|i| html! { <li>{ render_inline(i) }</li> }) }</ul>
            },
            Block::Code(c) => html! { <pre class="code">{ c }</pre> },
        }) }</>
    }
}

/// Renders one line of prose (no paragraphs), e.g. a requirement or an option.
pub fn render_line(text: &str) -> Html {
    render_inline(&text.replace('\n', " "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_lists_and_code_blocks_are_told_apart() {
        let text = "First line\ncontinues.\n\n- one\n- two\n  more\nAfter.\n\n```\n{\"a\": 1}\n```";
        assert_eq!(
            blocks(text),
            vec![
                Block::Paragraph("First line continues.".into()),
                Block::List(vec!["one".into(), "two more".into()]),
                Block::Paragraph("After.".into()),
                Block::Code("{\"a\": 1}".into()),
            ]
        );
    }

    #[test]
    fn inline_runs_are_split_and_anything_else_stays_text() {
        assert_eq!(
            inline(
                "Use `Null` with **care**, see *this* [page](https://docs.aws.amazon.com/x.html)."
            ),
            vec![
                Inline::Text("Use ".into()),
                Inline::Code("Null".into()),
                Inline::Text(" with ".into()),
                Inline::Strong("care".into()),
                Inline::Text(", see ".into()),
                Inline::Em("this".into()),
                Inline::Text(" ".into()),
                Inline::Link("page".into(), "https://docs.aws.amazon.com/x.html".into()),
                Inline::Text(".".into()),
            ]
        );
        assert_eq!(
            inline("a * b <script>"),
            vec![Inline::Text("a * b <script>".into())]
        );
        assert_eq!(
            inline("[x](javascript:alert(1))"),
            vec![Inline::Text("[x](javascript:alert(1))".into())]
        );
        assert_eq!(inline("`unclosed"), vec![Inline::Text("`unclosed".into())]);
    }

    #[test]
    fn every_built_in_text_renders_without_losing_characters_of_code() {
        // Every code span of every lesson survives the split.
        let course = s3pg_course::builtin::course().unwrap();
        for l in &course.lessons {
            for s in &l.sections {
                if let s3pg_course::Section::Text(t) = s {
                    let text = t.as_string();
                    let spans = text.matches('`').count();
                    let codes: usize = blocks(&text)
                        .iter()
                        .map(|b| match b {
                            Block::Paragraph(p) => {
                                inline(p)
                                    .iter()
                                    .filter(|r| matches!(r, Inline::Code(_)))
                                    .count()
                                    * 2
                            }
                            Block::List(items) => items
                                .iter()
                                .map(|i| {
                                    inline(i)
                                        .iter()
                                        .filter(|r| matches!(r, Inline::Code(_)))
                                        .count()
                                        * 2
                                })
                                .sum(),
                            Block::Code(_) => spans,
                        })
                        .sum();
                    assert!(codes <= spans, "{}", l.id);
                }
            }
        }
    }
}

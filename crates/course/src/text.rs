//! Prose in course documents: one string, or an array of lines joined with newlines (JSON has no
//! multi-line strings, so authors may write a paragraph per array element).
//!
//! The text is a small Markdown subset, rendered by the UI: paragraphs separated by a blank line,
//! `- ` bullet lists, `inline code`, fenced code blocks, **bold**, *emphasis* and
//! `[links](https://docs.aws.amazon.com/…)`. Nothing else (no raw HTML, no images).

use std::fmt;

use serde::{Deserialize, Serialize};

/// Markdown-subset prose: a string, or lines to join with `\n`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Text {
    /// One string.
    One(String),
    /// Lines, joined with `\n`.
    Lines(Vec<String>),
}

impl Text {
    /// The text as one string.
    pub fn as_string(&self) -> String {
        match self {
            Text::One(s) => s.clone(),
            Text::Lines(lines) => lines.join("\n"),
        }
    }

    /// True when there is nothing but whitespace.
    pub fn is_blank(&self) -> bool {
        match self {
            Text::One(s) => s.trim().is_empty(),
            Text::Lines(lines) => lines.iter().all(|l| l.trim().is_empty()),
        }
    }
}

impl Default for Text {
    fn default() -> Self {
        Text::One(String::new())
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_string())
    }
}

/// Links in the text (`[label](url)` and bare `https://` words), in order.
pub fn links(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices("](") {
        if let Some(rest) = text.get(i + 2..)
            && let Some(end) = rest.find(')')
            && let Some(url) = rest.get(..end)
        {
            out.push(url);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_join_with_newlines() {
        let t: Text = serde_json::from_str(r#"["a", "", "b"]"#).unwrap();
        assert_eq!(t.as_string(), "a\n\nb");
        assert!(!t.is_blank());
    }

    #[test]
    fn markdown_links_are_found() {
        let t = "see [the page](https://docs.aws.amazon.com/x.html) and [b](https://y)";
        assert_eq!(
            links(t),
            vec!["https://docs.aws.amazon.com/x.html", "https://y"]
        );
    }
}

//! The highlighted copy of the text drawn under the transparent textarea: one [`LineView`] per
//! line, each a list of classed segments, with the spans of the diagnostics marked for their
//! squiggles. A line's view holds only line-relative data, so an edit re-renders just the lines
//! it changed (the view compares them).

use s3pg_policy::Diagnostic;

use super::tokens::Token;

/// No diagnostic.
pub const NO_DIAG: u16 = u16::MAX;

/// A diagnostic's squiggle: a byte range of the text (never empty unless at a line end).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiagSpan {
    /// First byte.
    pub start: usize,
    /// After the last byte (equal to `start` for a mark at the end of a line).
    pub end: usize,
    /// Index into the diagnostics.
    pub index: u16,
    /// Error (red) or warning (amber).
    pub error: bool,
}

/// Where the squiggle of each diagnostic goes: its span, made one character wide when empty,
/// and cut at its first line end (a statement-wide warning underlines its first line only).
pub fn diag_spans(text: &str, diagnostics: &[Diagnostic]) -> Vec<DiagSpan> {
    let len = text.len();
    let floor = |mut i: usize| {
        i = i.min(len);
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    diagnostics
        .iter()
        .enumerate()
        .map(|(index, d)| {
            let start = floor(d.span.start);
            let mut end = floor(d.span.end).max(start);
            if let Some(nl) = text.get(start..end).and_then(|s| s.find('\n')) {
                end = start + nl;
            }
            if end == start
                && let Some(c) = text.get(start..).and_then(|s| s.chars().next())
                && c != '\n'
            {
                end = start + c.len_utf8();
            }
            DiagSpan {
                start,
                end,
                index: u16::try_from(index).unwrap_or(NO_DIAG - 1),
                error: d.is_error(),
            }
        })
        .collect()
}

/// One segment of a line: line-relative byte range, highlight class, squiggle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    /// First byte (relative to the line).
    pub start: u32,
    /// After the last byte.
    pub end: u32,
    /// The highlight class, or `""` for whitespace.
    pub class: &'static str,
    /// The diagnostic squiggled here, or [`NO_DIAG`].
    pub diag: u16,
    /// Whether that diagnostic is an error.
    pub error: bool,
}

/// One line of the highlighted view.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LineView {
    /// The line's text, without its line break.
    pub text: String,
    /// Its segments, covering the text in order.
    pub segments: Vec<Segment>,
    /// A diagnostic marked at the line's end (a missing `}` at the end of the text), if any.
    pub eol: Option<(u16, bool)>,
}

impl LineView {
    /// The text of a segment.
    pub fn part(&self, s: &Segment) -> &str {
        self.text
            .get(s.start as usize..s.end as usize)
            .unwrap_or_default()
    }
}

/// The line views of `text`.
pub fn lines(text: &str, tokens: &[Token], diags: &[DiagSpan]) -> Vec<LineView> {
    let mut out = Vec::with_capacity(text.len() / 32 + 1);
    let mut ti = 0usize;
    let mut line_start = 0usize;
    for line in text.split('\n') {
        let ls = line_start;
        let le = ls + line.len();
        line_start = le + 1;
        let mut segments = Vec::new();
        let mut at = ls;
        while let Some(t) = tokens.get(ti) {
            let (ts, te) = (t.start as usize, t.end as usize);
            if ts >= le && !(ts == le && te == le) {
                break;
            }
            let (s, e) = (ts.max(ls), te.min(le));
            if s > at {
                segments.push(plain(at - ls, s - ls));
            }
            if e > s {
                segments.push(Segment {
                    start: rel(s - ls),
                    end: rel(e - ls),
                    class: t.class(text),
                    diag: NO_DIAG,
                    error: false,
                });
            }
            at = at.max(e);
            if te <= le {
                ti += 1;
            } else {
                break;
            }
        }
        if le > at {
            segments.push(plain(at - ls, le - ls));
        }
        let mut view = LineView {
            text: line.to_string(),
            segments,
            eol: None,
        };
        for d in diags {
            if d.start == d.end && d.start == le {
                if view.eol.is_none_or(|(_, error)| d.error && !error) {
                    view.eol = Some((d.index, d.error));
                }
            } else if d.start < le && d.end > ls {
                mark(
                    &mut view.segments,
                    d.start.max(ls) - ls,
                    d.end.min(le) - ls,
                    d,
                );
            }
        }
        out.push(view);
    }
    out
}

fn rel(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

fn plain(start: usize, end: usize) -> Segment {
    Segment {
        start: rel(start),
        end: rel(end),
        class: "",
        diag: NO_DIAG,
        error: false,
    }
}

/// Marks `[start, end)` (line-relative) with the diagnostic, splitting segments at its ends.
/// An error wins over a warning; otherwise the first diagnostic keeps the place.
fn mark(segments: &mut Vec<Segment>, start: usize, end: usize, d: &DiagSpan) {
    let (start, end) = (rel(start), rel(end));
    let mut out = Vec::with_capacity(segments.len() + 2);
    for s in segments.drain(..) {
        if s.end <= start || s.start >= end {
            out.push(s);
            continue;
        }
        let (a, b) = (s.start.max(start), s.end.min(end));
        if s.start < a {
            out.push(Segment { end: a, ..s });
        }
        let wins = s.diag == NO_DIAG || (d.error && !s.error);
        out.push(if wins {
            Segment {
                start: a,
                end: b,
                diag: d.index,
                error: d.error,
                ..s
            }
        } else {
            Segment {
                start: a,
                end: b,
                ..s
            }
        });
        if b < s.end {
            out.push(Segment { start: b, ..s });
        }
    }
    *segments = out;
}

/// The diagnostics whose squiggle covers byte `offset` (or ends right at it), errors first.
pub fn diags_at(diags: &[DiagSpan], offset: usize) -> Vec<u16> {
    let mut found: Vec<&DiagSpan> = diags
        .iter()
        .filter(|d| d.start <= offset && offset <= d.end)
        .collect();
    found.sort_by_key(|d| !d.error);
    found.iter().map(|d| d.index).collect()
}

/// The byte offset of the start of line `line` (0-based) plus `column` bytes, clamped.
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start = if line == 0 {
        0
    } else {
        text.match_indices('\n')
            .nth(line - 1)
            .map_or(text.len(), |(i, _)| i + 1)
    };
    let line_len = text
        .get(start..)
        .map_or(0, |rest| rest.find('\n').unwrap_or(rest.len()));
    start + column.min(line_len)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;
    use s3pg_policy::Policy;

    fn render(view: &LineView) -> String {
        let mut s = String::new();
        for seg in &view.segments {
            let part = view.part(seg);
            match (seg.class, seg.diag) {
                ("", NO_DIAG) => s.push_str(part),
                (c, NO_DIAG) => s.push_str(&format!("<{c}>{part}</>")),
                (c, d) => s.push_str(&format!("<{c}~{d}>{part}</>")),
            }
        }
        if let Some((d, _)) = view.eol {
            s.push_str(&format!("<eol~{d}>"));
        }
        s
    }

    #[test]
    fn each_line_is_its_classed_segments() {
        let text =
            "{\"Statement\": {\n  \"Effect\": \"Allow\",\n  \"Action\": \"s3:GetObject\"\n}}";
        let tokens = tokenize(text);
        let views = lines(text, &tokens, &[]);
        let got: Vec<String> = views.iter().map(render).collect();
        assert_eq!(
            got,
            [
                "<t-p>{</><t-k>\"Statement\"</><t-p>:</> <t-p>{</>",
                "  <t-k>\"Effect\"</><t-p>:</> <t-e>\"Allow\"</><t-p>,</>",
                "  <t-k>\"Action\"</><t-p>:</> <t-a>\"s3:GetObject\"</>",
                "<t-p>}</><t-p>}</>",
            ]
        );
        // Segments cover every byte of the text, in order.
        for v in &views {
            let joined: String = v.segments.iter().map(|s| v.part(s)).collect();
            assert_eq!(joined, v.text);
        }
    }

    #[test]
    fn squiggles_split_segments_at_the_diagnostic_span() {
        let text = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObjectz\", \"Resource\": \"*\", \"Principal\": \"*\"}]}";
        let diagnostics = s3pg_policy::lint::lint(&Policy::parse(text).unwrap());
        assert!(!diagnostics.is_empty());
        let spans = diag_spans(text, &diagnostics);
        let tokens = tokenize(text);
        let views = lines(text, &tokens, &spans);
        let line = render(&views[0]);
        assert!(line.contains("<t-a~0>\"s3:GetObjectz\"</>"), "{line}");
    }

    #[test]
    fn an_error_at_the_end_of_the_text_is_marked_at_the_line_end() {
        let text = "{\"Version\": \"2012-10-17\"";
        let errors = Policy::parse(text).unwrap_err();
        let spans = diag_spans(text, &errors);
        let views = lines(text, &tokenize(text), &spans);
        assert_eq!(views.len(), 1);
        assert!(
            render(&views[0]).ends_with("<eol~0>"),
            "{}",
            render(&views[0])
        );
        assert_eq!(diags_at(&spans, text.len()), vec![0]);
    }

    #[test]
    fn a_multi_line_span_underlines_its_first_line_only() {
        let text = "{\n  \"a\": 1\n}";
        let d = Diagnostic::warning(
            "x",
            text,
            s3pg_policy::Span::new(0, text.len()),
            "",
            "m".into(),
        );
        let spans = diag_spans(text, &[d]);
        assert_eq!((spans[0].start, spans[0].end), (0, 1));
    }

    #[test]
    fn an_edit_changes_only_the_views_of_the_lines_it_touched() {
        let a = "{\n  \"Action\": \"s3:Get\",\n  \"Sid\": \"x\"\n}";
        let b = "{\n  \"Action\": \"s3:GetObject\",\n  \"Sid\": \"x\"\n}";
        let (va, vb) = (lines(a, &tokenize(a), &[]), lines(b, &tokenize(b), &[]));
        let changed: Vec<usize> = (0..va.len()).filter(|&i| va[i] != vb[i]).collect();
        assert_eq!(changed, [1]);
    }

    #[test]
    fn offsets_of_line_and_column() {
        let text = "ab\ncde\n";
        assert_eq!(offset_of(text, 0, 1), 1);
        assert_eq!(offset_of(text, 1, 2), 5);
        assert_eq!(offset_of(text, 1, 9), 6);
        assert_eq!(offset_of(text, 2, 0), 7);
        assert_eq!(offset_of(text, 5, 0), 7);
    }
}

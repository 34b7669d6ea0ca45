//! The who-can matrix's cells: each principal × action row's answer as the matrix colours it,
//! a principal's kind, and the rows the filters keep laid out as a grid.

use std::collections::HashMap;

use s3pg_analysis::Subject;
use s3pg_analysis::who_can::Row;

/// A cell's answer, as the matrix colours it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Allowed for the default request, whatever its properties.
    Allowed,
    /// The answer depends on the request (allowed only with a change, or allowed unless one).
    Conditional,
    /// Refused, whatever single property changes.
    Denied,
}

impl Answer {
    /// The answer of a row.
    pub fn of(row: &Row) -> Answer {
        match (
            row.verdict.allowed,
            row.allowed_with.is_empty(),
            row.denied_with.is_empty(),
        ) {
            (true, _, true) => Answer::Allowed,
            (true, _, false) | (false, false, _) => Answer::Conditional,
            (false, true, _) => Answer::Denied,
        }
    }

    /// The cell's class.
    pub(super) fn cell_class(self) -> &'static str {
        match self {
            Answer::Allowed => "cell allow",
            Answer::Conditional => "cell cond",
            Answer::Denied => "cell deny",
        }
    }

    /// The cell's text — a symbol, then the word its accessible name starts with (the name is
    /// the button's `aria-label`, so the symbol is not read out) — and that word. One text
    /// node: no pseudo-element or attribute per cell for the style engine to resolve.
    pub(super) fn cell(self) -> (&'static str, &'static str) {
        match self {
            Answer::Allowed => ("✓ yes", "yes"),
            Answer::Conditional => ("◐ if", "if"),
            Answer::Denied => ("✕ no", "no"),
        }
    }
}

/// A principal's kind, for the filter.
pub fn kind_of(subject: &Subject) -> &'static str {
    match subject {
        Subject::Anonymous => "anonymous",
        Subject::Root { .. } => "root",
        Subject::User { .. } => "user",
        Subject::RoleSession { .. } => "role",
        Subject::AnyPrincipalOf { .. } | Subject::AnyAwsAccount => "class",
        Subject::Service { .. } => "service",
    }
}

/// The rows the filters keep, as a grid: the principals in the order they come, and for each
/// the row of each shown action (`None` where the action does not apply to that principal).
pub struct Grid<'a> {
    /// The principals, in order.
    pub subjects: Vec<&'a Subject>,
    /// `cells[i][j]`: principal `i`, action `j`.
    pub cells: Vec<Vec<Option<&'a Row>>>,
}

impl<'a> Grid<'a> {
    /// Lays `rows` out under `actions` (one pass; a row whose action is not shown is left out).
    pub fn of(rows: &[&'a Row], actions: &[&str]) -> Grid<'a> {
        let column: HashMap<&str, usize> =
            actions.iter().enumerate().map(|(j, a)| (*a, j)).collect();
        let mut index: HashMap<&Subject, usize> = HashMap::new();
        let mut grid = Grid {
            subjects: Vec::new(),
            cells: Vec::new(),
        };
        for row in rows {
            let i = *index.entry(&row.subject).or_insert_with(|| {
                grid.subjects.push(&row.subject);
                grid.cells.push(vec![None; actions.len()]);
                grid.subjects.len() - 1
            });
            if let (Some(&j), Some(cells)) =
                (column.get(row.action.as_str()), grid.cells.get_mut(i))
                && let Some(cell) = cells.get_mut(j)
            {
                *cell = Some(row);
            }
        }
        grid
    }
}

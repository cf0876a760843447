//! The IDs of one file: claimed row by row (empty and repeated IDs are errors) and
//! then resolved when another file refers to them.

use super::cells::{self, shown};
use super::table::At;
use std::collections::HashMap;

/// Up to this many known IDs are listed in an "unknown reference" message.
const LIST_AT_MOST: usize = 12;

/// The IDs of one file in row order; an ID's index is its position among the rows
/// that claimed one, which is its index in the [`crate::domain::Program`] when the
/// input is clean.
pub(super) struct Ids {
    file: &'static str,
    column: &'static str,
    names: Vec<String>,
    /// ID -> (index, line that claimed it).
    index: HashMap<String, (usize, usize)>,
}

impl Ids {
    pub fn new(file: &'static str, column: &'static str) -> Ids {
        Ids {
            file,
            column,
            names: Vec::new(),
            index: HashMap::new(),
        }
    }

    /// Claims the ID in `text` for the row `at`: its index, or `None` (and an
    /// error) when the cell is empty or an earlier row has the same ID.
    pub fn claim(&mut self, at: &mut At, text: &str) -> Option<usize> {
        let column = self.column;
        if text.is_empty() {
            at.error(column, format!("is empty (expected a unique {column})"));
            return None;
        }
        if let Err(message) = cells::code(text) {
            at.error(column, message);
            return None;
        }
        if let Some((_, first)) = self.index.get(text) {
            at.row_error(format!(
                "duplicate {column} '{}' (first on line {first}; expected each {column} once)",
                shown(text)
            ));
            return None;
        }
        let i = self.names.len();
        self.index.insert(text.to_string(), (i, at.line));
        self.names.push(text.to_string());
        Some(i)
    }

    /// The index of the ID `text`, without reporting anything.
    pub fn get(&self, text: &str) -> Option<usize> {
        self.index.get(text).map(|&(i, _)| i)
    }

    /// The index of the ID that `column` of row `at` refers to; an unknown ID is
    /// an error that lists the known ones.
    pub fn resolve(&self, at: &mut At, column: &str, text: &str) -> Option<usize> {
        let found = self.get(text);
        if found.is_none() {
            at.error(
                column,
                format!(
                    "unknown {} '{}' (expected {})",
                    self.column,
                    shown(text),
                    self.expected(text)
                ),
            );
        }
        found
    }

    /// Like [`Ids::resolve`] for a cell that must not be empty.
    pub fn require(&self, at: &mut At, column: &str, text: &str) -> Option<usize> {
        if text.is_empty() {
            at.error(column, format!("is empty (expected {})", self.expected("")));
            return None;
        }
        self.resolve(at, column, text)
    }

    /// What a reference should have named, with a hint when only the case is off.
    pub fn expected(&self, text: &str) -> String {
        self.expected_among(text, |_| true)
    }

    /// Like [`Ids::expected`], naming only the IDs whose index passes `keep`.
    pub fn expected_among(&self, text: &str, keep: impl Fn(usize) -> bool) -> String {
        let (file, column) = (self.file, self.column);
        let names: Vec<&str> = (self.names.iter().enumerate())
            .filter(|(i, _)| keep(*i))
            .map(|(_, name)| name.as_str())
            .collect();
        let mut expected = match names.len() {
            0 => format!("a {column} from {file}, which has none"),
            n if n <= LIST_AT_MOST => {
                let shown: Vec<String> = names.iter().map(|n| shown(n)).collect();
                format!("one of {}", shown.join(", "))
            }
            _ => format!("a {column} from {file}"),
        };
        let lower = text.to_lowercase();
        if let Some(near) = names.iter().find(|n| n.to_lowercase() == lower) {
            expected.push_str(&format!("; did you mean '{}'? case matters", shown(near)));
        }
        expected
    }
}

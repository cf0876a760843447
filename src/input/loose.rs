//! Reading the optional files that refer to the loaded program (`pins.csv`, last
//! week's roster): lenient like every input file, with errors that name the file.

use super::table::physical_line;
use super::{InputError, InputErrors};
use std::collections::HashMap;
use std::path::Path;

/// One data row: its physical line and its cells by lower-cased column name.
pub(super) struct LooseRow {
    pub line: usize,
    cells: HashMap<String, String>,
}

impl LooseRow {
    /// The trimmed cell of `column`, empty when the column is missing.
    pub fn cell(&self, column: &str) -> String {
        self.cells.get(column).cloned().unwrap_or_default()
    }
}

/// The non-empty rows of `path`, reported as `file` in errors; fails when the
/// file or its header cannot be read or a `required` column is missing.
pub(super) fn read(
    path: &Path,
    file: &str,
    required: &[&str],
    expected: &str,
) -> Result<Vec<LooseRow>, InputErrors> {
    let error = |line: Option<usize>, message: String| InputError {
        file: file.to_string(),
        line,
        column: None,
        message,
    };
    let bytes = std::fs::read(path).map_err(|e| {
        InputErrors(vec![error(
            None,
            format!("cannot be read: {e} (expected {expected})"),
        )])
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes.as_slice());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| {
            InputErrors(vec![error(
                None,
                format!("the header cannot be read: {e} (expected UTF-8 CSV)"),
            )])
        })?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_lowercase())
        .collect();
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|c| !headers.iter().any(|h| h == c))
        .collect();
    if !missing.is_empty() {
        let message = format!(
            "missing column(s) {} (expected {expected})",
            missing.join(", ")
        );
        return Err(InputErrors(vec![error(Some(1), message)]));
    }
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for record in reader.records() {
        match record {
            Ok(record) if record.iter().all(str::is_empty) => {}
            Ok(record) => rows.push(LooseRow {
                line: record
                    .position()
                    .map_or(0, |p| physical_line(&bytes, p.byte())),
                cells: headers
                    .iter()
                    .cloned()
                    .zip(record.iter().map(str::to_string))
                    .collect(),
            }),
            Err(e) => {
                let line = e.position().map(|p| physical_line(&bytes, p.byte()));
                errors.push(error(
                    line,
                    format!("cannot be read: {e} (expected a CSV row)"),
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(InputErrors(errors))
    }
}

/// Turns per-row results into the items or every error, each with its line.
pub(super) fn collect<T>(
    file: &str,
    rows: &[LooseRow],
    mut convert: impl FnMut(&LooseRow) -> Result<Option<T>, (&'static str, String)>,
) -> Result<Vec<T>, InputErrors> {
    let mut items = Vec::new();
    let mut errors = Vec::new();
    for row in rows {
        match convert(row) {
            Ok(item) => items.extend(item),
            Err((column, message)) => errors.push(InputError {
                file: file.to_string(),
                line: Some(row.line),
                column: Some(column.to_string()),
                message: super::cells::echoed(message, &row.cell(column)),
            }),
        }
    }
    if errors.is_empty() {
        Ok(items)
    } else {
        Err(InputErrors(errors))
    }
}

//! Reading one CSV file into raw rows that remember their physical line, and the
//! error collector that knows which file, line and column a problem belongs to.
//!
//! The csv crate gives record positions but not file names, and it is stricter than
//! spreadsheets are; this file adds the file name and the leniency the contract asks for.

use super::InputError;
use csv::{ReaderBuilder, StringRecord, Trim};
use serde::de::DeserializeOwned;
use std::path::Path;

/// The input files in the order their errors are reported: the program's files
/// (pins.csv, the last of [`super::FILES`], is not ranked: its problems come after).
pub(super) const FILE_ORDER: &[&str] = super::FILES.split_at(7).0;

/// Problems collected from every file before anything is returned.
#[derive(Default)]
pub(super) struct Errors(Vec<InputError>);

impl Errors {
    /// A problem with a whole file (missing, empty, bad header).
    pub fn file(&mut self, file: &str, message: impl Into<String>) {
        self.push(file, None, None, message.into());
    }

    fn push(&mut self, file: &str, line: Option<usize>, column: Option<&str>, message: String) {
        self.0.push(InputError {
            file: file.to_string(),
            line,
            column: column.map(str::to_string),
            message,
        });
    }

    /// The helper for one row of `file`.
    pub fn at(&mut self, file: &'static str, line: usize) -> At<'_> {
        At {
            file,
            line,
            errors: self,
        }
    }

    /// All problems by file (in [`FILE_ORDER`]), then line; whole-file problems
    /// first, and problems of one line in the order they were found.
    pub fn into_sorted(mut self) -> Vec<InputError> {
        let rank = |file: &str| {
            FILE_ORDER
                .iter()
                .position(|f| *f == file)
                .unwrap_or(usize::MAX)
        };
        self.0.sort_by_key(|e| (rank(&e.file), e.line));
        self.0
    }
}

/// Where a value comes from: one physical line of one file.
pub(super) struct At<'e> {
    pub file: &'static str,
    pub line: usize,
    errors: &'e mut Errors,
}

impl At<'_> {
    /// A problem with one cell.
    pub fn error(&mut self, column: &str, message: impl Into<String>) {
        self.errors
            .push(self.file, Some(self.line), Some(column), message.into());
    }

    /// A problem with the row as a whole (no single cell is to blame).
    pub fn row_error(&mut self, message: impl Into<String>) {
        self.errors
            .push(self.file, Some(self.line), None, message.into());
    }

    /// Records `result`'s error against `column` and turns it into an `Option`.
    pub fn check<T>(&mut self, column: &str, result: Result<T, String>) -> Option<T> {
        result.map_err(|message| self.error(column, message)).ok()
    }
}

/// What a file must look like: its name, whether it must exist, and its columns.
pub(super) trait CsvRow: DeserializeOwned {
    const FILE: &'static str;
    const REQUIRED_FILE: bool;
    /// What one row stands for, for messages about a missing file.
    const ONE_ROW_PER: &'static str;
    /// Every column the program reads, required ones included.
    const COLUMNS: &'static [&'static str];
    const REQUIRED: &'static [&'static str];
}

/// One data row and the physical line it starts on (the header is line 1).
pub(super) struct Line<T> {
    pub line: usize,
    pub row: T,
    /// The cells of columns the row type does not name, as (header, cell), in
    /// header order: how levels.csv's `KIND_per_week` columns are read.
    pub extra: Vec<(String, String)>,
}

/// Reads `T::FILE` from `dir`: `None` when it cannot be used at all (the reason is
/// recorded), an empty list when an optional file is absent.
pub(super) fn read<T: CsvRow>(dir: &Path, errors: &mut Errors) -> Option<Vec<Line<T>>> {
    let path = dir.join(T::FILE);
    let present = match present(&path) {
        Ok(present) => present,
        Err(message) => {
            errors.file(T::FILE, message);
            return None;
        }
    };
    if !present {
        if !T::REQUIRED_FILE {
            return Some(Vec::new());
        }
        errors.file(
            T::FILE,
            format!(
                "file is missing (expected it in the input folder: one row per {})",
                T::ONE_ROW_PER
            ),
        );
        return None;
    }
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) => {
            errors.file(
                T::FILE,
                format!("cannot be read: {e} (expected a readable file)"),
            );
            return None;
        }
    };
    let mut reader = ReaderBuilder::new()
        .flexible(true)
        .trim(Trim::All)
        .has_headers(false)
        .from_reader(bytes.as_slice());
    let mut records = reader.records();
    let headers = header::<T>(records.next(), errors)?;
    let mut rows = Vec::new();
    for record in records {
        if let Some(row) = data_row::<T>(record, &bytes, &headers, errors) {
            rows.push(row);
        }
    }
    Some(rows)
}

/// Whether there is a file at `path`: `Ok(false)` only when nothing at all has that
/// name. Something that is there but cannot be read as a file (a link to nothing, a
/// folder, a pipe) is an error, never "absent": an optional file that silently
/// vanished would drop rules such as busy blocks without a word.
pub(crate) fn present(path: &Path) -> Result<bool, String> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(format!("cannot be read: {e} (expected a readable file)")),
        Ok(_) => {}
    }
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => Ok(true),
        Ok(meta) if meta.is_dir() => Err("is a folder (expected a CSV file)".into()),
        Ok(_) => Err("is not a regular file (expected a CSV file)".into()),
        Err(e) => Err(format!(
            "is a link that leads nowhere: {e} (expected a readable file)"
        )),
    }
}

/// The physical line (header = 1) of a record starting at byte `offset`. The csv
/// crate's own line count drifts on CRLF files and skips blank lines, so lines
/// are counted from the bytes: the record's position may sit just before the
/// previous row's line end, which belongs to the count too.
pub(super) fn physical_line(bytes: &[u8], offset: u64) -> usize {
    let offset = (offset as usize).min(bytes.len());
    let (before, after) = bytes.split_at(offset);
    let ends_before = before.iter().filter(|&&b| b == b'\n').count();
    let ends_after = after
        .iter()
        .take_while(|&&b| b == b'\r' || b == b'\n')
        .filter(|&&b| b == b'\n')
        .count();
    ends_before + ends_after + 1
}

/// The normalized header (trimmed, lower-cased, no byte-order mark), checked for
/// required and repeated columns.
fn header<T: CsvRow>(
    first: Option<csv::Result<StringRecord>>,
    errors: &mut Errors,
) -> Option<StringRecord> {
    let expected = T::REQUIRED.join(", ");
    let record = match first {
        Some(Ok(record)) => record,
        Some(Err(e)) => {
            let message = format!(
                "the header cannot be read: {e} (expected UTF-8 CSV: save the file as CSV UTF-8)"
            );
            errors.file(T::FILE, message);
            return None;
        }
        None => StringRecord::new(),
    };
    let names: Vec<String> = record
        .iter()
        .map(|name| name.trim_start_matches('\u{feff}').trim().to_lowercase())
        .collect();
    // A file holding only a byte-order mark is as empty as one holding nothing.
    if names.iter().all(String::is_empty) {
        let message = format!("file is empty (expected a header row naming {expected})");
        errors.file(T::FILE, message);
        return None;
    }
    let line = record.position().map_or(1, |p| p.line() as usize);
    let mut usable = true;
    for required in T::REQUIRED {
        if !names.iter().any(|n| n == required) {
            errors.at(T::FILE, line).row_error(format!(
                "missing required column {required} (expected a header naming {expected})"
            ));
            usable = false;
        }
    }
    for column in T::COLUMNS {
        if names.iter().filter(|n| n == column).count() > 1 {
            let message = "appears more than once in the header (expected each column once)";
            errors.at(T::FILE, line).error(column, message);
            usable = false;
        }
    }
    usable.then(|| StringRecord::from(names))
}

/// One data row, or `None` when it is entirely empty or cannot be read.
fn data_row<T: CsvRow>(
    record: csv::Result<StringRecord>,
    bytes: &[u8],
    headers: &StringRecord,
    errors: &mut Errors,
) -> Option<Line<T>> {
    let record = match record {
        Ok(record) => record,
        Err(e) => {
            unreadable::<T>(&e, headers, errors);
            return None;
        }
    };
    if record.iter().all(str::is_empty) {
        return None;
    }
    let line = record
        .position()
        .map_or(0, |p| physical_line(bytes, p.byte()));
    // Spreadsheets drop trailing empty cells and sometimes add stray ones: cells
    // past the header have no column and are ignored, missing ones are empty.
    let width = headers.len();
    let record: StringRecord = (0..width).map(|i| record.get(i).unwrap_or("")).collect();
    // Every field is a `String` with a default, so this fails only on a malformed
    // record; a message beats a panic even so.
    let extra = headers
        .iter()
        .zip(record.iter())
        .filter(|(h, _)| !h.is_empty() && !T::COLUMNS.contains(h))
        .map(|(h, cell)| (h.to_string(), cell.to_string()))
        .collect();
    match record.deserialize::<T>(Some(headers)) {
        Ok(row) => Some(Line { line, row, extra }),
        Err(e) => {
            let message = format!("cannot read this row: {e} (expected one value per column)");
            errors.at(T::FILE, line).row_error(message);
            None
        }
    }
}

/// Reports a row the csv crate could not read. With `flexible` set and the file
/// already in memory, the one way this happens is bytes that are not UTF-8, which
/// is what a spreadsheet saved in a legacy encoding writes.
fn unreadable<T: CsvRow>(e: &csv::Error, headers: &StringRecord, errors: &mut Errors) {
    let line = e.position().map_or(0, |p| p.line() as usize);
    let (column, message) = match e.kind() {
        csv::ErrorKind::Utf8 { err, .. } => (
            headers.get(err.field()).filter(|h| !h.is_empty()),
            "is not valid UTF-8 (expected UTF-8 text: save the file as CSV UTF-8)".to_string(),
        ),
        _ => (None, format!("cannot be read: {e} (expected a CSV row)")),
    };
    match (line, column) {
        (0, _) => errors.file(T::FILE, message),
        (line, Some(column)) => errors.at(T::FILE, line).error(column, message),
        (line, None) => errors.at(T::FILE, line).row_error(message),
    }
}

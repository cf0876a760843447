//! Loading the input folder: the contract's CSV files become one validated [`Program`].
//!
//! Reading is lenient about how spreadsheets write files (byte-order mark, CRLF,
//! spaces, header case, column order) and strict about values: every bad value is
//! collected as an [`InputError`] naming file, line and column, and nothing is
//! returned unless all files are clean.

mod admission;
mod catalog;
mod cells;
mod ids;
mod kinds;
mod loose;
mod people;
mod per_week;
mod pins;
mod previous;
mod rows;
mod table;
#[cfg(test)]
mod tests;

pub use previous::previous;

use crate::domain::Program;
use chrono::NaiveDate;
use std::fmt;
use std::path::Path;

/// Lengths of the built-in appointment kinds, set by CLI flags. `None` = not given:
/// 50-minute individual sessions and 30-minute visits, or what appointments.csv says
/// (a flag and a row of the file for the same kind conflict).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoadSettings {
    /// Length of one individual therapy session in minutes.
    pub individual_minutes: Option<u32>,
    /// Length of one physician visit in minutes.
    pub physician_minutes: Option<u32>,
}

/// One problem in the input: `FILE:LINE: column COL: what is wrong (what was expected)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    /// File name only, e.g. `clients.csv` (the folder's path when the folder itself is missing).
    pub file: String,
    /// Physical line, the header being line 1; `None` for whole-file problems.
    pub line: Option<usize>,
    /// Header name of the offending cell, when one cell is to blame.
    pub column: Option<String>,
    /// What is wrong and, in parentheses, what was expected.
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ": column {column}")?;
        }
        // Messages echo cells: a control character must not start a forged line,
        // and one huge cell must not flood the console (cron mails it around).
        write!(f, ": {}", cells::clipped(&cells::escaped(&self.message)))
    }
}

/// Every problem found in the input folder, in file order, then line order.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct InputErrors(pub Vec<InputError>);

impl fmt::Display for InputErrors {
    /// One error per line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

/// The files of an input folder that the loader reads, besides last week's
/// roster: the one list that copies and fingerprints of an input folder use.
pub const FILES: [&str; 8] = [
    "levels.csv",
    "clients.csv",
    "client_busy.csv",
    "staff.csv",
    "staff_availability.csv",
    "sessions.csv",
    "appointments.csv",
    "pins.csv",
];

/// Reads the contract's CSV files from `dir` and builds the program of the week
/// starting on `monday`; dated rows of other weeks are checked and then ignored.
///
/// Returns every problem of every file at once when anything is wrong.
pub fn load(
    dir: &Path,
    monday: NaiveDate,
    settings: &LoadSettings,
) -> Result<Program, InputErrors> {
    let mut errors = table::Errors::default();
    if !dir.is_dir() {
        // One clear error instead of one "file is missing" per required file.
        let message = format!(
            "folder does not exist (expected a folder holding {})",
            table::FILE_ORDER.join(", ")
        );
        errors.file(&dir.display().to_string(), message);
        return Err(InputErrors(errors.into_sorted()));
    }
    let files = rows::Files::read(dir, &mut errors);
    let mut staff = people::staff(files.staff, files.availability, monday, &mut errors);
    let kinds = kinds::kinds(
        files.appointments_file,
        files.appointments,
        &mut staff,
        settings,
        &mut errors,
    );
    let minutes: Vec<Option<u32>> = (kinds.items.iter())
        .map(|k| k.as_ref().map(|k| k.minutes))
        .collect();
    let levels = people::levels(files.levels, kinds.names.as_deref(), &minutes, &mut errors);
    let clients_exist = files.clients.as_ref().is_some_and(|rows| !rows.is_empty());
    let clients = people::clients(
        files.clients,
        files.busy,
        levels.ids.as_ref(),
        &staff,
        monday,
        &mut errors,
    );
    let context = catalog::Context {
        monday,
        levels: levels.ids.as_ref(),
        staff: &staff,
        clients_exist,
    };
    let (sessions, warnings) = catalog::sessions(files.sessions, &context, &mut errors);

    let errors = errors.into_sorted();
    if !errors.is_empty() {
        return Err(InputErrors(errors));
    }
    // With no errors every row converted, so these collects cannot come up short;
    // the error branch only guards against a bug here turning into a panic.
    let program = (|| {
        Some(Program {
            monday,
            levels: levels.items.into_iter().collect::<Option<_>>()?,
            clients: clients.into_iter().collect::<Option<_>>()?,
            staff: staff.loaded.items.into_iter().collect::<Option<_>>()?,
            sessions,
            kinds: kinds.items.into_iter().collect::<Option<_>>()?,
            warnings,
            previous: Vec::new(),
            pins: Vec::new(),
        })
    })();
    let mut program = program.map(admission::prorate).ok_or_else(|| {
        InputErrors(vec![InputError {
            file: "input".into(),
            line: None,
            column: None,
            message: "internal error: a row passed validation but was not converted \
                      (expected this never to happen; please report it)"
                .into(),
        }])
    })?;
    program.pins = pins::pins(dir, &program)?;
    Ok(program)
}

/// Whether an optional file is there (`file` names it in the error): a path that
/// exists but cannot be read as a file is an input error, not an absent file.
pub fn file_present(path: &Path, file: &str) -> Result<bool, InputErrors> {
    table::present(path).map_err(|message| {
        InputErrors(vec![InputError {
            file: file.to_string(),
            line: None,
            column: None,
            message,
        }])
    })
}

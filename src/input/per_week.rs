//! levels.csv's weekly appointment counts: `individual_per_week` and
//! `physician_per_week` (required columns of the contract) and one optional
//! `KIND_per_week` column for each other kind of appointments.csv.

use super::cells::{self, WHOLE};
use super::rows::LevelRow;
use super::table::{At, CsvRow, Errors, Line};
use crate::domain::Program;

const SUFFIX: &str = "_per_week";

/// Reports each `KIND_per_week` column of levels.csv that names no kind, once, on
/// the header line.
pub(super) fn unknown_columns(rows: &[Line<LevelRow>], kinds: &[String], errors: &mut Errors) {
    let Some(first) = rows.first() else { return };
    for (column, _) in &first.extra {
        let Some(kind) = column.strip_suffix(SUFFIX) else {
            continue;
        };
        if kinds.iter().any(|k| k == kind) {
            continue;
        }
        let known = if kinds.is_empty() {
            "none".to_string()
        } else {
            kinds.join(", ")
        };
        let message = format!(
            "there is no appointment kind '{kind}' (expected a kind of appointments.csv: {known})"
        );
        errors.at(LevelRow::FILE, 1).error(column, message);
    }
}

/// One level's count per kind, indexed like `kinds`; `None` when a cell is bad
/// (reported). With `kinds` unknown (appointments.csv unreadable) the cells are
/// still checked, and `None` is returned.
pub(super) fn counts(
    at: &mut At,
    row: &LevelRow,
    extra: &[(String, String)],
    kinds: Option<&[String]>,
) -> Option<Vec<u32>> {
    let count =
        |at: &mut At, column: &str, text: &str| at.required(column, text, WHOLE, cells::whole);
    let individual = count(at, "individual_per_week", &row.individual_per_week);
    let physician = count(at, "physician_per_week", &row.physician_per_week);
    let mut others = Vec::new();
    for (column, text) in extra {
        let Some(kind) = column.strip_suffix(SUFFIX) else {
            continue;
        };
        let n = at
            .optional(column, text, cells::whole)
            .map(|n| n.unwrap_or(0));
        others.push((kind, column.as_str(), n));
    }
    let kinds = kinds?;
    let built_in = [
        (Program::INDIVIDUAL, "individual_per_week", individual),
        (Program::PHYSICIAN, "physician_per_week", physician),
    ];
    let mut ok = true;
    for (kind, column, n) in built_in {
        // A file that drops a built-in kind keeps the contract's column; it may
        // only ask for none of it.
        if n.is_some_and(|n| n > 0) && !kinds.iter().any(|k| k == kind) {
            let message = format!(
                "asks for {} {kind} a week, but appointments.csv has no kind {kind} \
                 (expected 0, or a row for {kind} in appointments.csv)",
                n.unwrap_or(0)
            );
            at.error(column, message);
            ok = false;
        }
    }
    let mut per_kind = Vec::new();
    for kind in kinds {
        let n = match built_in.iter().find(|b| b.0 == kind) {
            Some(b) => b.2,
            None => others.iter().find(|o| o.0 == kind).map_or(Some(0), |o| o.2),
        };
        per_kind.push(n);
    }
    let per_kind = per_kind.into_iter().collect::<Option<Vec<u32>>>();
    ok.then_some(per_kind).flatten()
}

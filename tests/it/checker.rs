//! The independent roster checker, as the integration tests use it.
//!
//! The checker itself is the product's `iopsched::check` (written from the contract
//! alone, sharing no code with the optimizer); this wrapper checks the three files the
//! optimizer wrote into one output folder and returns every problem as one line,
//! `FILE:LINE: who, when: [rule] what` (empty = valid).

use chrono::NaiveDate;
use std::path::Path;

pub use iopsched::check::CheckOptions;

/// Checks `output_dir`'s roster.csv, client_summary.csv and sessions_summary.csv
/// against the inputs in `input_dir` for the week containing `week_monday`.
pub fn check(
    input_dir: &Path,
    output_dir: &Path,
    week_monday: NaiveDate,
    opts: &CheckOptions,
) -> Vec<String> {
    iopsched::check::check(
        input_dir,
        &output_dir.join("roster.csv"),
        week_monday,
        opts,
        iopsched::check::SummaryFiles::Required,
    )
    .lines()
}

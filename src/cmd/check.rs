//! `iopsched check`: the second opinion on any roster.csv, from the contract alone.

use super::{code, exit};
use crate::check::{self, CheckOptions, SummaryFiles};
use crate::publish::{OutputSet, PublishError};
use anyhow::{bail, Context};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Exit code: the roster breaks no rule.
const CLEAN: u8 = 0;
/// Exit code: the roster breaks at least one rule (see violations.csv).
const VIOLATIONS: u8 = 3;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Folder with the inputs the roster was built from.
    pub input_dir: PathBuf,
    /// The roster to check; client_summary.csv, sessions_summary.csv and billing.csv
    /// beside it are checked too when they exist.
    #[arg(long)]
    pub roster: PathBuf,
    /// Any date (YYYY-MM-DD) of the roster's week.
    #[arg(long, value_parser = parse_week)]
    pub week: NaiveDate,
    /// Folder to write violations.csv and the recomputed client_summary.csv and
    /// billing.csv into.
    #[arg(long, default_value = "check")]
    pub out: PathBuf,
    /// Length of an individual therapy session the roster was built with, in minutes
    /// (used when the input folder has no appointments.csv; otherwise its lengths are).
    #[arg(long, default_value_t = 50, value_parser = super::parse_minutes)]
    pub individual_minutes: u32,
    /// Length of a physician visit the roster was built with, in minutes (without
    /// appointments.csv).
    #[arg(long, default_value_t = 30, value_parser = super::parse_minutes)]
    pub physician_minutes: u32,
}

/// `--week`: a date `YYYY-MM-DD` (shared with `lint`).
pub fn parse_week(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("'{text}' is not a date (expected YYYY-MM-DD)"))
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let roster_dir = args.roster.parent().unwrap_or(Path::new("."));
    if same_folder(&args.out, roster_dir) {
        bail!(
            "--out {} is the roster's own folder; writing client_summary.csv there would \
             replace the optimizer's (choose another --out)",
            args.out.display()
        );
    }
    // Like solve: a second run into the same --out, or one that cannot be written,
    // is found before checking.
    let set = match OutputSet::lock(&args.out) {
        Ok(set) => set,
        Err(error) => {
            errln!("iopsched: {error}; nothing written");
            let busy = matches!(error, PublishError::Busy(..));
            return Ok(code(if busy { exit::BUSY } else { exit::FAILED }));
        }
    };
    let opts = CheckOptions {
        individual_minutes: args.individual_minutes,
        physician_minutes: args.physician_minutes,
    };
    let report = check::check(
        &args.input_dir,
        &args.roster,
        args.week,
        &opts,
        SummaryFiles::IfPresent,
    );
    if !report.unreadable.is_empty() {
        for problem in &report.unreadable {
            errln!("{problem}");
        }
        errln!(
            "iopsched: {} file problem(s); nothing checked, nothing written",
            report.unreadable.len()
        );
        return Ok(code(exit::FAILED));
    }
    for v in &report.violations {
        outln!("{}", plain_words(v));
    }
    write_outputs(&set, &report).with_context(|| format!("writing into {}", args.out.display()))?;
    let checked = if report.summaries_checked.is_empty() {
        "roster rules only (no summary files beside the roster)".to_string()
    } else {
        format!("roster rules and {}", report.summaries_checked.join(", "))
    };
    errln!(
        "check: {} violation(s) in {}; checked {checked}; wrote violations.csv, client_summary.csv, billing.csv into {}",
        report.violations.len(),
        args.roster.display(),
        args.out.display()
    );
    Ok(code(if report.violations.is_empty() {
        CLEAN
    } else {
        VIOLATIONS
    }))
}

/// `roster.csv:12: client C3, Mon 2026-11-23 09:00-12:00: client booked twice at the
/// same time [client_overlap]: client is already booked: overlaps roster.csv:11 (...)`.
fn plain_words(v: &check::Violation) -> String {
    let head: Vec<String> = [v.location(), v.who(), v.when()]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect();
    let head = if head.is_empty() {
        String::new()
    } else {
        format!("{}: ", head.join(", "))
    };
    // Messages echo roster and input cells: no control character reaches the console.
    let message: String = (v.message.chars())
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    format!("{head}{} [{}]: {message}", v.title(), v.rule)
}

/// Writes the files under temporary names, then renames them into place.
/// Writes the check's files as one set, swapped in at once (see [`crate::publish`]).
fn write_outputs(set: &OutputSet, report: &check::Report) -> anyhow::Result<()> {
    let files = [
        ("violations.csv", check::violations_csv(&report.violations)?),
        ("client_summary.csv", check::summary_csv(&report.summary)?),
        ("billing.csv", check::billing_csv(&report.billing)?),
    ];
    let files: Vec<_> = files.into_iter().map(|(n, b)| (n.to_string(), b)).collect();
    set.publish(&files)?;
    Ok(())
}

/// True when both paths name the same existing folder.
fn same_folder(a: &Path, b: &Path) -> bool {
    let b = if b.as_os_str().is_empty() {
        Path::new(".")
    } else {
        b
    };
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

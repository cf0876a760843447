//! `iopsched lint`: legal input that will hurt the roster, before any solving.

use super::check::parse_week;
use super::{code, exit};
use crate::input;
use crate::lint::{lint, Finding};
use chrono::NaiveDate;
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit code: nothing found.
const CLEAN: u8 = 0;
/// Exit code: at least one finding.
const FINDINGS: u8 = 3;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Folder with the input files.
    pub input_dir: PathBuf,
    /// Any date (YYYY-MM-DD) of the week to look at.
    #[arg(long, value_parser = parse_week)]
    pub week: NaiveDate,
    #[command(flatten)]
    pub lengths: super::Lengths,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let monday = crate::time::week_monday(args.week);
    let settings = args.lengths.load();
    let program = match input::load(&args.input_dir, monday, &settings) {
        Ok(program) => program,
        Err(errors) => {
            errln!("{errors}");
            errln!("iopsched: {} input problem(s)", errors.0.len());
            return Ok(code(exit::FAILED));
        }
    };
    let findings = lint(&program);
    for finding in &findings {
        super::console::out_text(&block(finding));
    }
    errln!(
        "lint: {} finding(s) in {} for the week of {monday}",
        findings.len(),
        args.input_dir.display()
    );
    Ok(code(if findings.is_empty() { CLEAN } else { FINDINGS }))
}

/// One finding as a block of lines, followed by a blank line.
pub fn block(f: &Finding) -> String {
    let mut out = format!("{}: {}\n", f.kind, f.message);
    for row in &f.rows {
        out.push_str(&format!("  row: {row}\n"));
    }
    out.push_str(&format!("  fix: {}\n\n", f.fix));
    out
}

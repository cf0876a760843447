//! `iopsched whatif`: which session to add so that more clients meet their level.

use super::check::parse_week;
use super::lint::block;
use super::{code, exit};
use crate::publish::{OutputSet, PublishError};
use crate::solve::SolverSettings;
use crate::time::week_monday;
use crate::week::WeekOptions;
use crate::whatif::{self, WhatifOptions};
use anyhow::Context;
use chrono::NaiveDate;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Folder with the input files (as for solve).
    pub input_dir: PathBuf,
    /// Any date (YYYY-MM-DD) of the week to look at.
    #[arg(long, value_parser = parse_week)]
    pub week: NaiveDate,
    /// Most proposals to write.
    #[arg(long, default_value_t = 5)]
    pub top: usize,
    /// Most candidate sessions to solve (those the most short clients could attend).
    #[arg(long, default_value_t = 12)]
    pub candidates: usize,
    /// Folder to write whatif.csv into, as one set swapped in at once (a link to a
    /// generation folder, like solve's).
    #[arg(long, default_value = "whatif")]
    pub out: PathBuf,
    /// Wall-clock budget of each solve, in seconds (the week as it is, then each candidate).
    #[arg(long, default_value_t = 10.0)]
    pub time_limit: f64,
    /// Last week's roster, as for solve (default: INPUT_DIR/previous_roster.csv).
    #[arg(long)]
    pub previous: Option<PathBuf>,
    /// Only this site's clients, as for solve.
    #[arg(long)]
    pub site: Option<String>,
    #[command(flatten)]
    pub lengths: super::Lengths,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let opts = WhatifOptions {
        week: WeekOptions {
            monday: week_monday(args.week),
            load: args.lengths.load(),
            previous: args.previous.clone(),
            site: args.site.clone(),
            solver: SolverSettings {
                time_limit: args.time_limit,
                ..SolverSettings::default()
            },
        },
        top: args.top,
        candidates: args.candidates,
    };
    // Like solve: a second run into the same --out, or one that cannot be written,
    // is found before solving.
    let set = match OutputSet::lock(&args.out) {
        Ok(set) => set,
        Err(error) => {
            errln!("iopsched: {error}; nothing written");
            let busy = matches!(error, PublishError::Busy(..));
            return Ok(code(if busy { exit::BUSY } else { exit::FAILED }));
        }
    };
    let clock = std::time::Instant::now();
    let result = match whatif::whatif(&args.input_dir, &opts) {
        Ok(result) => result,
        Err(error) => {
            errln!("{error}");
            return Ok(code(exit::FAILED));
        }
    };
    let files = vec![("whatif.csv".to_string(), whatif::whatif_csv(&result)?)];
    set.publish(&files)
        .with_context(|| format!("writing into {}", args.out.display()))?;
    super::console::out_text(&whatif::summary(&result));
    if !result.staff_shortages.is_empty() {
        outln!("\nstaff-hour shortages (no added session fixes these):\n");
        for finding in &result.staff_shortages {
            super::console::out_text(&block(finding));
        }
    }
    errln!(
        "whatif: {} proposal(s); wrote whatif.csv into {} in {:.1} s",
        result.proposals.len(),
        args.out.display(),
        clock.elapsed().as_secs_f64()
    );
    Ok(code(exit::ALL_MET))
}

//! `iopsched place`: options for new clients around a published roster.

use super::check::parse_week;
use super::{code, exit};
use crate::place::{self, PlaceOptions};
use crate::publish::{OutputSet, PublishError};
use crate::solve::SolverSettings;
use crate::time::week_monday;
use anyhow::Context;
use chrono::NaiveDate;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Folder with the inputs; new clients are the clients of clients.csv with no
    /// row in the published roster.
    pub input_dir: PathBuf,
    /// Any date (YYYY-MM-DD) of the published roster's week.
    #[arg(long, value_parser = parse_week)]
    pub week: NaiveDate,
    /// The published roster.csv; every client in it keeps their week.
    #[arg(long)]
    pub roster: PathBuf,
    /// Most options per new client.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=20))]
    pub options: u32,
    /// Folder to write placements.csv into, as one set swapped in at once (a link
    /// to a generation folder, like solve's).
    #[arg(long, default_value = "placements")]
    pub out: PathBuf,
    /// Wall-clock budget of each solve, in seconds.
    #[arg(long, default_value_t = 20.0)]
    pub time_limit: f64,
    #[command(flatten)]
    pub lengths: super::Lengths,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let opts = PlaceOptions {
        monday: week_monday(args.week),
        load: args.lengths.load(),
        roster: args.roster.clone(),
        options: args.options as usize,
        solver: SolverSettings {
            time_limit: args.time_limit,
            ..SolverSettings::default()
        },
    };
    // Like solve: a second run into the same --out, or one that cannot be written,
    // is found before placing.
    let set = match OutputSet::lock(&args.out) {
        Ok(set) => set,
        Err(error) => {
            errln!("iopsched: {error}; nothing written");
            let busy = matches!(error, PublishError::Busy(..));
            return Ok(code(if busy { exit::BUSY } else { exit::FAILED }));
        }
    };
    let clock = std::time::Instant::now();
    let placed = match place::place(&args.input_dir, &opts) {
        Ok(placed) => placed,
        Err(error) => {
            errln!("{error}");
            return Ok(code(exit::FAILED));
        }
    };
    let files = vec![(
        "placements.csv".to_string(),
        place::placements_csv(&placed)?,
    )];
    set.publish(&files)
        .with_context(|| format!("writing into {}", args.out.display()))?;
    outln!("{}", place::summary(&placed).trim_end_matches('\n'));
    errln!(
        "place: {} new client(s); wrote placements.csv into {} in {:.1} s",
        placed.clients.len(),
        args.out.display(),
        clock.elapsed().as_secs_f64()
    );
    let all_met = placed
        .clients
        .iter()
        .all(|(_, options)| options.first().is_some_and(|p| p.meets_level()));
    Ok(code(if all_met {
        exit::ALL_MET
    } else {
        exit::SOME_SHORT
    }))
}

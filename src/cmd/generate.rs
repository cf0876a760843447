//! `iopsched generate`: a synthetic program in the input format.

use super::{code, exit};
use crate::generate::{write_program, GenerateSpec};
use anyhow::Context;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Clients per site.
    #[arg(long, default_value_t = 40)]
    pub clients: usize,
    /// Number of sites.
    #[arg(long, default_value_t = 1)]
    pub sites: usize,
    /// Random seed: the same seed writes byte-identical files.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Folder to write the program into.
    #[arg(long)]
    pub out: PathBuf,
    /// Write what spreadsheets write: BOM, CRLF, day names, 12-hour times, shuffled columns.
    #[arg(long)]
    pub messy: bool,
    /// Add appointment kinds: family therapy (evenings, primary therapist), drug
    /// screens (nurses) and case management (case managers), in appointments.csv.
    #[arg(long)]
    pub kinds: bool,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let spec = GenerateSpec {
        clients: args.clients,
        sites: args.sites,
        seed: args.seed,
        messy: args.messy,
        kinds: args.kinds,
    };
    write_program(&spec, &args.out).with_context(|| format!("writing {}", args.out.display()))?;
    Ok(code(exit::ALL_MET))
}

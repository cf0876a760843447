//! The `iopsched` command line: parses arguments and maps outcomes to exit codes.

use clap::{Parser, Subcommand};
use iopsched::cmd;
use std::process::ExitCode;

/// Weekly roster optimizer for Intensive Outpatient Programs.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Solve a week: read INPUT_DIR, write roster.csv, client_summary.csv, sessions_summary.csv.
    Solve(cmd::solve::Args),
    /// Write a synthetic program in the input format (for demos, tests, benchmarks).
    Generate(cmd::generate::Args),
    /// Check any roster.csv against every rule of the contract (exit 3 on violations).
    Check(cmd::check::Args),
    /// Find legal but harmful problems in the inputs before solving (exit 3 on findings).
    Lint(cmd::lint::Args),
    /// Place new clients around a published roster: ranked options per client (placements.csv).
    Place(cmd::place::Args),
    /// Propose sessions to add so that more clients meet their level (whatif.csv).
    Whatif(cmd::whatif::Args),
    /// The coordinator's web app on an input folder: week, clients, staff, intake, what-if.
    Serve(cmd::serve::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Solve(args) => cmd::solve::run(&args),
        Command::Generate(args) => cmd::generate::run(&args),
        Command::Check(args) => cmd::check::run(&args),
        Command::Lint(args) => cmd::lint::run(&args),
        Command::Place(args) => cmd::place::run(&args),
        Command::Whatif(args) => cmd::whatif::run(&args),
        Command::Serve(args) => cmd::serve::run(&args),
    };
    match outcome {
        Ok(code) => code,
        Err(err) => {
            cmd::console::err(&format!("iopsched: error: {err:#}"));
            cmd::code(cmd::exit::FAILED)
        }
    }
}

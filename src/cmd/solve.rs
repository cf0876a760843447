//! `iopsched solve`: one week's roster from a folder of CSV files.

use super::{code, exit};
use crate::output::{self, OutputSettings, Written};
use crate::publish::{OutputSet, PublishError};
use crate::run_record;
use crate::solve::{SolverSettings, StageReport, StageStatus};
use crate::time::week_monday;
use crate::week::{self, Week, WeekOptions};
use anyhow::Context;
use chrono::{Datelike, Duration, NaiveDate};
use chrono_tz::Tz;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Folder with levels.csv, clients.csv, staff.csv, staff_availability.csv, sessions.csv
    /// (and optionally client_busy.csv).
    pub input_dir: PathBuf,
    /// Any date (YYYY-MM-DD) of the week to schedule; default: the coming week.
    #[arg(long, value_parser = parse_date)]
    pub week: Option<NaiveDate>,
    /// Folder to write the outputs into (created when missing).
    #[arg(long, default_value = "roster")]
    pub out: PathBuf,
    /// Wall-clock budget in seconds; the best roster found by then is written.
    #[arg(long, default_value_t = 60.0, allow_negative_numbers = true, value_parser = super::parse_time_limit)]
    pub time_limit: f64,
    /// Threads per HiGHS instance (at most the machine's cores).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub threads: u32,
    #[command(flatten)]
    pub lengths: super::Lengths,
    /// Last week's roster.csv: clients keep their groups and slots where the rules
    /// and everyone's minimums allow. Default: INPUT_DIR/previous_roster.csv when
    /// it exists.
    #[arg(long)]
    pub previous: Option<PathBuf>,
    /// Solve only this site's clients (sites are independent problems, so an
    /// organization can fan its sites out over separate runs).
    #[arg(long)]
    pub site: Option<String>,
    /// IANA time zone of the program's times, for the calendar files
    /// (e.g. America/New_York); default: $TZ, else this machine's zone, else UTC.
    #[arg(long, value_name = "NAME", value_parser = parse_timezone)]
    pub timezone: Option<Tz>,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
    /// Also print HiGHS's own log.
    #[arg(long, short)]
    pub verbose: bool,
}

pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("'{text}' is not a date (expected YYYY-MM-DD)"))
}

pub fn parse_timezone(text: &str) -> Result<Tz, String> {
    text.trim().parse().map_err(|_| {
        format!("'{text}' is not an IANA time zone (expected a name like America/New_York)")
    })
}

/// The Monday of the week to schedule: the given date's week, or the coming one
/// (next Monday, or today when today is Monday).
pub fn monday_of(week: Option<NaiveDate>) -> NaiveDate {
    week.map(week_monday).unwrap_or_else(|| {
        let today = chrono::Local::now().date_naive();
        let ahead = (7 - today.weekday().num_days_from_monday()) % 7;
        today + Duration::days(ahead as i64)
    })
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let options = WeekOptions {
        monday: monday_of(args.week),
        load: args.lengths.load(),
        previous: args.previous.clone(),
        site: args.site.clone(),
        solver: SolverSettings {
            time_limit: args.time_limit,
            threads: super::capped_threads(args.threads),
            verbose: args.verbose,
            ..SolverSettings::default()
        },
    };
    let clock = std::time::Instant::now();
    // Locked before solving: a second run, or an --out that cannot be written, is
    // found now and not after a minute of solving.
    let set = match OutputSet::lock(&args.out) {
        Ok(set) => set,
        Err(error) => {
            errln!("iopsched: {error}; nothing written");
            let busy = matches!(error, PublishError::Busy(..));
            return Ok(code(if busy { exit::BUSY } else { exit::FAILED }));
        }
    };
    // Prepared first so that the warnings show before a solve that may take a minute.
    let mut limit = args.time_limit;
    let solved = week::prepare_week(&args.input_dir, &options).and_then(|program| {
        if !args.quiet {
            for warning in &program.warnings {
                errln!("warning: {warning}");
            }
        }
        let solver = within_wall(&options.solver, clock, program.clients.len());
        limit = solver.time_limit;
        week::solve_prepared(program, &solver)
    });
    let week = match solved {
        Ok(week) => week,
        Err(error) => {
            errln!("{error}");
            return Ok(code(exit::FAILED));
        }
    };
    let settings = OutputSettings {
        timezone: args.timezone.unwrap_or_else(output::local_timezone),
    };
    let (mut files, written) = output::render_all(&week.program, &week.schedule, &settings)?;
    let exit_code = if week.all_met() {
        exit::ALL_MET
    } else {
        exit::SOME_SHORT
    };
    let fingerprint = run_record::fingerprint(&args.input_dir, args.previous.as_deref());
    let wall = clock.elapsed().as_secs_f64();
    let record = run_record::run_json(&week, options.monday, &fingerprint, wall, exit_code);
    files.push(("run.json".to_string(), record.into_bytes()));
    set.publish(&files)
        .with_context(|| format!("writing outputs into {}", args.out.display()))?;
    if !args.quiet {
        errln!("{}", summary(&week, args, limit, &written).trim_end());
    }
    Ok(code(exit_code))
}

/// Seconds of the limit kept per client for writing the outputs after the
/// solve (2400 clients' roster, summaries and 2677 calendar files: 0.8 s).
const WRITE_SECONDS_PER_CLIENT: f64 = 0.0004;

/// Least share of the limit the solver keeps, however long reading took.
const SOLVE_SHARE_FLOOR: f64 = 0.5;

/// The solver's settings within the wall-clock limit: what is left of it after
/// reading the input (since `clock`), less the time the outputs of `clients`
/// take to write, so that the roster is written by the limit (20 sites x 120
/// clients at 120 s ended at 119.95 s, writing included, once the sites
/// shared the time; the limit is the whole run's).
fn within_wall(
    solver: &SolverSettings,
    clock: std::time::Instant,
    clients: usize,
) -> SolverSettings {
    let read = clock.elapsed().as_secs_f64();
    let write = WRITE_SECONDS_PER_CLIENT * clients as f64;
    let left = solver.time_limit - read - write;
    SolverSettings {
        time_limit: left.max(SOLVE_SHARE_FLOOR * solver.time_limit),
        ..solver.clone()
    }
}

/// Seconds before the time limit that a run must end by to count as stopped
/// early rather than by the limit.
const EARLY_SECONDS: f64 = 1.0;

/// How the solve ended, for the report: proven, stopped early (a search that
/// stops improving ends before the limit, unproven: "time limit reached" then
/// would send the coordinator to raise a limit that was not what stopped it),
/// or stopped by the limit. `solving` is the part of the `time_limit` the
/// solver had (the rest read the input and writes the outputs).
fn solver_status(stages: &[StageReport], seconds: f64, solving: f64, time_limit: f64) -> String {
    let proven = |n: usize| (stages.iter().take(n)).all(|s| s.status != StageStatus::TimeLimit);
    if proven(stages.len()) {
        return "optimal (preferences within their gap tolerance)".to_string();
    }
    if seconds + EARLY_SECONDS >= solving {
        return "time limit reached (best roster found)".to_string();
    }
    let why = if proven(2) {
        "with clients met and hours proven"
    } else {
        "when the search no longer improved the roster"
    };
    format!("stopped at {seconds:.1} s of {time_limit:.0} {why} (best roster found)")
}

/// The short report on stderr: clients, sessions, solver status, wall time.
fn summary(week: &Week, args: &Args, limit: f64, written: &Written) -> String {
    let schedule = &week.schedule;
    let mut out = format!("{}\n", week.summary_line());
    let status = solver_status(&schedule.stages, schedule.seconds, limit, args.time_limit);
    out.push_str(&format!(
        "solver: {}; model {} columns, {} rows; constructive start met {}\n",
        status, schedule.columns, schedule.rows, schedule.start_met
    ));
    for stage in &schedule.stages {
        let (bound, gap) = if stage.bound.is_finite() {
            (
                format!("{:.2}", stage.bound),
                format!("{:.2}%", stage.gap() * 100.0),
            )
        } else {
            ("none".to_string(), "-".to_string())
        };
        out.push_str(&format!(
            "  {:<28} {:>10.2}  bound {:>10}  gap {:>7}  {}  {:.1} s, done at {:.1} s\n",
            stage.name,
            stage.objective,
            bound,
            gap,
            match stage.status {
                StageStatus::Optimal => "optimal",
                StageStatus::WithinGap => "within gap",
                StageStatus::TimeLimit => "time limit",
            },
            stage.seconds,
            stage.finished_at
        ));
    }
    out.push_str(&format!(
        "wrote {written} into {} in {:.1} s\n",
        args.out.display(),
        schedule.seconds
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn week_is_normalized_to_its_monday() {
        let thursday = NaiveDate::from_ymd_opt(2026, 11, 26);
        assert_eq!(
            monday_of(thursday),
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
        );
    }

    /// A run that ends well before its limit, unproven, does not claim the
    /// limit stopped it; one that ends at the limit does.
    #[test]
    fn a_run_that_stops_early_does_not_blame_the_time_limit() {
        let stage = |status| StageReport {
            name: "stage",
            status,
            objective: 0.0,
            bound: f64::NAN,
            seconds: 0.0,
            finished_at: 0.0,
        };
        let (proven, open) = (StageStatus::Optimal, StageStatus::TimeLimit);
        let top_proven = [stage(proven), stage(proven), stage(open)];
        let early = solver_status(&top_proven, 13.5, 30.0, 30.0);
        assert_eq!(
            early,
            "stopped at 13.5 s of 30 with clients met and hours proven (best roster found)"
        );
        let unproven = [stage(open), stage(open), stage(open)];
        let gave_up = solver_status(&unproven, 12.0, 30.0, 30.0);
        assert!(gave_up.contains("no longer improved"), "{gave_up}");
        let at_limit = solver_status(&unproven, 29.6, 30.0, 30.0);
        assert_eq!(at_limit, "time limit reached (best roster found)");
        let all = [stage(proven), stage(StageStatus::WithinGap)];
        assert!(solver_status(&all, 3.0, 30.0, 30.0).starts_with("optimal"));
        // The solver's share ends before the limit, by the reading and writing.
        let at_share = solver_status(&unproven, 118.8, 118.9, 120.0);
        assert_eq!(at_share, "time limit reached (best roster found)");
    }

    /// The limit is the whole run's: the solver gets what reading the input
    /// left of it, less the time the outputs take to write, and never less
    /// than half of it.
    #[test]
    fn the_solver_leaves_time_to_write_the_outputs() {
        let limit = |seconds: f64, clients: usize| {
            let settings = SolverSettings {
                time_limit: seconds,
                ..SolverSettings::default()
            };
            within_wall(&settings, std::time::Instant::now(), clients).time_limit
        };
        let many = limit(120.0, 2400);
        assert!((110.0..=120.0 - 0.9).contains(&many), "{many}");
        assert!(limit(5.0, 120) < 5.0);
        assert_eq!(limit(1.0, 1_000_000), 0.5);
    }

    #[test]
    fn default_week_is_a_monday_not_in_the_past() {
        let monday = monday_of(None);
        assert_eq!(monday.weekday(), chrono::Weekday::Mon);
        assert!(monday >= chrono::Local::now().date_naive());
    }
}

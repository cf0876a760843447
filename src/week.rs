//! The week entry point: from an input folder to a solved week, every step the
//! `solve` command, the intake and what-if commands and the tests share.
//!
//! [`solve_week`] = [`prepare_week`] (load, previous roster, `--site`, pin
//! conflicts) then [`solve_prepared`]. The two halves are public so that a caller
//! can show the loader's warnings before a long solve.

use crate::candidates::Candidates;
use crate::domain::Program;
use crate::input::{self, InputErrors, LoadSettings};
use crate::pins::PinConflict;
use crate::solve::{SolveError, SolverSettings};
use crate::Schedule;
use chrono::NaiveDate;
use std::fmt;
use std::path::{Path, PathBuf};

/// What to solve and how: everything the `solve` command takes besides output settings.
#[derive(Clone, Debug)]
pub struct WeekOptions {
    /// The Monday of the week to schedule.
    pub monday: NaiveDate,
    pub load: LoadSettings,
    /// Last week's roster; `None` = `INPUT_DIR/previous_roster.csv` when it exists.
    pub previous: Option<PathBuf>,
    /// Solve only this site's clients.
    pub site: Option<String>,
    pub solver: SolverSettings,
}

impl WeekOptions {
    /// The contract's defaults for the week starting on `monday`.
    pub fn new(monday: NaiveDate) -> WeekOptions {
        WeekOptions {
            monday,
            load: LoadSettings::default(),
            previous: None,
            site: None,
            solver: SolverSettings::default(),
        }
    }
}

/// A solved week: the program as solved (after `--site`) and its schedule.
pub struct Week {
    pub program: Program,
    pub schedule: Schedule,
}

impl Week {
    /// How many clients fully meet their level.
    pub fn met(&self) -> usize {
        self.schedule
            .weeks
            .iter()
            .filter(|w| w.shortfall.is_met())
            .count()
    }

    /// Whether every client meets their level.
    pub fn all_met(&self) -> bool {
        self.met() == self.program.clients.len()
    }

    /// The first line of the `solve` summary: clients met and short, sessions running.
    pub fn summary_line(&self) -> String {
        let program = &self.program;
        let met = self.met();
        let running = self
            .schedule
            .roster
            .enrolled
            .iter()
            .filter(|&&n| n > 0)
            .count();
        format!(
            "week of {}: {} clients ({met} met, {} short); {} sessions ({running} running, {} cancelled)",
            program.monday,
            program.clients.len(),
            program.clients.len() - met,
            program.sessions.len(),
            program.sessions.len() - running,
        )
    }
}

/// Why no week was solved. Nothing is written in any of these cases.
#[derive(Debug)]
pub enum WeekError {
    /// The input folder has bad values (every one is listed).
    Input(InputErrors),
    /// The previous roster has bad rows (every one is listed).
    Previous(InputErrors),
    /// `--site` names no client's site; the text says which sites exist.
    UnknownSite(String),
    /// Pins that break a hard rule, alone or together.
    PinConflicts(Vec<PinConflict>),
    /// HiGHS failed, or the pins leave no roster.
    Solve(SolveError),
}

impl fmt::Display for WeekError {
    /// The problems, one a line, then the same closing line the CLI prints.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WeekError::Input(errors) => write!(
                f,
                "{errors}\niopsched: {} input problem(s); nothing written",
                errors.0.len()
            ),
            WeekError::Previous(errors) => write!(
                f,
                "{errors}\niopsched: {} problem(s) in the previous roster; nothing written",
                errors.0.len()
            ),
            WeekError::UnknownSite(problem) => {
                write!(f, "iopsched: --site: {problem}; nothing written")
            }
            WeekError::PinConflicts(conflicts) => {
                for conflict in conflicts {
                    writeln!(f, "{conflict}")?;
                }
                write!(
                    f,
                    "iopsched: {} pin conflict(s); nothing written",
                    conflicts.len()
                )
            }
            WeekError::Solve(error) => write!(f, "iopsched: error: solving: {error}"),
        }
    }
}

impl std::error::Error for WeekError {}

/// Loads, solves and explains one week of the program in `input_dir`.
pub fn solve_week(input_dir: &Path, options: &WeekOptions) -> Result<Week, WeekError> {
    let program = prepare_week(input_dir, options)?;
    solve_prepared(program, &options.solver)
}

/// Everything before solving: the program loaded, with the previous roster
/// attached, restricted to `--site`, and its pins checked against each other.
pub fn prepare_week(input_dir: &Path, options: &WeekOptions) -> Result<Program, WeekError> {
    let mut program =
        input::load(input_dir, options.monday, &options.load).map_err(WeekError::Input)?;
    let previous = match &options.previous {
        Some(path) => Some(path.clone()),
        None => {
            // A default file that is there but unreadable is an error, not "absent".
            let default = input_dir.join("previous_roster.csv");
            let present = input::file_present(&default, "previous_roster.csv")
                .map_err(WeekError::Previous)?;
            present.then_some(default)
        }
    };
    if let Some(path) = previous {
        program.previous = input::previous(&path, &program).map_err(WeekError::Previous)?;
    }
    if let Some(site) = &options.site {
        crate::sites::only_site(&mut program, site).map_err(WeekError::UnknownSite)?;
    }
    let conflicts = crate::pins::conflicts(&program, &Candidates::build(&program));
    if !conflicts.is_empty() {
        return Err(WeekError::PinConflicts(conflicts));
    }
    Ok(program)
}

/// Solves a prepared program (see [`prepare_week`]).
pub fn solve_prepared(program: Program, solver: &SolverSettings) -> Result<Week, WeekError> {
    let schedule = crate::schedule(&program, solver).map_err(WeekError::Solve)?;
    Ok(Week { program, schedule })
}

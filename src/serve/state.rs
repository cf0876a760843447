//! The server's state: the last good input, the current week, the one solve that
//! may run, and publishing. Handlers call these; everything here calls the library.

use super::job::SolveJob;
use crate::cmd::exit;
use crate::domain::Program;
use crate::input::{InputError, LoadSettings};
use crate::output::{self, OutputSettings};
use crate::publish::{OutputSet, PublishError};
use crate::run_record;
use crate::solve::SolverSettings;
use crate::week::{self, Week, WeekError, WeekOptions};
use chrono::NaiveDate;
use chrono_tz::Tz;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

/// What the server serves and how it solves.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    pub input_dir: PathBuf,
    /// Where Publish writes the output set (as `solve --out`).
    pub out: PathBuf,
    pub monday: NaiveDate,
    pub load: LoadSettings,
    /// Seconds per solve (Solve, and the re-solve after Admit).
    pub time_limit: f64,
    pub threads: u32,
    pub timezone: Tz,
    /// The run's token, carried by every page (see [`super::security`]).
    pub token: String,
}

/// What is wrong with the input folder as it is now.
#[derive(Clone, Debug, Default)]
pub struct Problems {
    /// Bad values, each with file, line and column.
    pub input: Vec<InputError>,
    /// Everything else that stops a week (pin conflicts, the previous roster), one a line.
    pub other: Vec<String>,
}

impl Problems {
    pub fn is_empty(&self) -> bool {
        self.input.is_empty() && self.other.is_empty()
    }
}

/// Why a request could not be done; the API maps each to a status code.
#[derive(Debug)]
pub enum ServeError {
    /// A solve is running (or the output folder is locked by another run).
    Busy(String),
    /// The input folder has never loaded; nothing to work on.
    NoInput(Problems),
    /// Something needed is not there yet (a roster to publish, a published roster).
    NotYet(String),
    /// The request's values make bad input (each problem with its place).
    Invalid(Vec<InputError>),
    /// A request that does not make sense (unknown client, bad value).
    BadRequest(String),
    /// I/O or solver failure.
    Failed(String),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::Busy(m) | ServeError::NotYet(m) | ServeError::BadRequest(m) => {
                f.write_str(m)
            }
            ServeError::Failed(m) => f.write_str(m),
            ServeError::NoInput(p) => write!(
                f,
                "the input folder has never loaded ({} problem(s))",
                p.input.len() + p.other.len()
            ),
            ServeError::Invalid(e) => write!(f, "{} input problem(s)", e.len()),
        }
    }
}

/// The input folder as last read.
#[derive(Default)]
struct Inputs {
    fingerprint: String,
    /// The last input that loaded, prepared for solving.
    program: Option<Arc<Program>>,
    problems: Problems,
}

/// The whole state of a running server.
pub struct App {
    pub opts: ServeOptions,
    inputs: Mutex<Inputs>,
    week: Mutex<Option<Arc<Week>>>,
    job: Mutex<Option<Arc<SolveJob>>>,
    /// Held while input files are being appended to.
    pub(super) files: Mutex<()>,
    pub(super) whatif: Mutex<Option<(String, Arc<crate::whatif::Whatif>)>>,
}

/// Locks a mutex; a panic in another request must not take the server down.
pub(super) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl App {
    pub fn new(opts: ServeOptions) -> Arc<App> {
        let app = Arc::new(App {
            opts,
            inputs: Mutex::default(),
            week: Mutex::default(),
            job: Mutex::default(),
            files: Mutex::default(),
            whatif: Mutex::default(),
        });
        app.refresh();
        app
    }

    /// The published roster.csv, when a roster was published.
    pub fn published(&self) -> Option<PathBuf> {
        let path = self.opts.out.join("roster.csv");
        path.is_file().then_some(path)
    }

    /// A change detector over the input files and the published roster.
    pub fn fingerprint(&self) -> String {
        run_record::fingerprint(&self.opts.input_dir, self.published().as_deref())
    }

    pub fn week_options(&self, time_limit: f64) -> WeekOptions {
        WeekOptions {
            monday: self.opts.monday,
            load: self.opts.load.clone(),
            // The published roster is last week's for every later solve.
            previous: self.published(),
            site: None,
            solver: SolverSettings {
                time_limit,
                threads: self.opts.threads,
                ..SolverSettings::default()
            },
        }
    }

    /// Reads the input folder again when it changed. A folder that no longer
    /// loads keeps the last good program and records why.
    pub fn refresh(&self) -> (Option<Arc<Program>>, Problems) {
        let mut inputs = lock(&self.inputs);
        let fingerprint = self.fingerprint();
        if inputs.fingerprint != fingerprint || inputs.fingerprint.is_empty() {
            let options = self.week_options(self.opts.time_limit);
            let prepared = week::prepare_week(&self.opts.input_dir, &options);
            inputs.problems = match prepared {
                Ok(program) => {
                    inputs.program = Some(Arc::new(program));
                    Problems::default()
                }
                Err(WeekError::Input(errors) | WeekError::Previous(errors)) => Problems {
                    input: errors.0,
                    other: Vec::new(),
                },
                Err(other) => Problems {
                    input: Vec::new(),
                    other: other.to_string().lines().map(str::to_string).collect(),
                },
            };
            inputs.fingerprint = fingerprint;
        }
        (inputs.program.clone(), inputs.problems.clone())
    }

    /// The week last solved, if any.
    pub fn week(&self) -> Option<Arc<Week>> {
        lock(&self.week).clone()
    }

    pub(super) fn set_week(&self, week: Week) {
        *lock(&self.week) = Some(Arc::new(week));
    }

    /// The current (or last) solve.
    pub fn job(&self) -> Option<Arc<SolveJob>> {
        lock(&self.job).clone()
    }

    /// Starts a solve of the last good input in the background; a second one
    /// while the first runs is refused.
    pub fn start_solve(self: &Arc<App>) -> Result<Arc<SolveJob>, ServeError> {
        let mut slot = lock(&self.job);
        if slot.as_ref().is_some_and(|job| !job.is_done()) {
            return Err(ServeError::Busy("a solve is running".to_string()));
        }
        let (program, problems) = self.refresh();
        let program = program.ok_or(ServeError::NoInput(problems))?;
        let job = SolveJob::new(self.opts.time_limit);
        *slot = Some(job.clone());
        let (app, running) = (self.clone(), job.clone());
        std::thread::spawn(move || running.run(&app, (*program).clone()));
        Ok(job)
    }

    /// Writes the current week into `--out` as `solve` does: every file of the
    /// set rendered first, then swapped in at once, under the folder's lock.
    pub fn publish(&self) -> Result<usize, ServeError> {
        if self.job().is_some_and(|job| !job.is_done()) {
            return Err(ServeError::Busy(
                "a solve is running; publish when it is done".into(),
            ));
        }
        let week = self
            .week()
            .ok_or_else(|| ServeError::NotYet("no roster to publish yet: solve first".into()))?;
        let set = OutputSet::lock(&self.opts.out).map_err(|error| match error {
            PublishError::Busy(..) => ServeError::Busy(error.to_string()),
            other => ServeError::Failed(other.to_string()),
        })?;
        let settings = OutputSettings {
            timezone: self.opts.timezone,
        };
        let failed = |e: std::io::Error| ServeError::Failed(format!("writing the outputs: {e}"));
        let (mut files, _) =
            output::render_all(&week.program, &week.schedule, &settings).map_err(failed)?;
        let code = if week.all_met() {
            exit::ALL_MET
        } else {
            exit::SOME_SHORT
        };
        let fingerprint = self.fingerprint();
        let wall = week.schedule.seconds;
        let record = run_record::run_json(&week, self.opts.monday, &fingerprint, wall, code);
        files.push(("run.json".to_string(), record.into_bytes()));
        set.publish(&files).map_err(failed)?;
        Ok(files.len())
    }
}

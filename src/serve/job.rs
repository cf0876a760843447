//! One background solve: started by `POST /api/solve`, watched by the progress
//! route, stopped by `POST /api/solve/stop`.

use super::state::{lock, App};
use crate::domain::Program;
use crate::progress::Progress;
use crate::week;
use serde::Serialize;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// A solve running (or finished) on its own thread.
pub struct SolveJob {
    started: Instant,
    time_limit: f64,
    /// The solver's own report (step, clients met, bound) and its stop switch.
    progress: Arc<Progress>,
    done: AtomicBool,
    /// How it ended: `None` while running.
    outcome: Mutex<Option<Result<String, String>>>,
}

/// What the progress route answers.
#[derive(Clone, Debug, Serialize)]
pub struct JobStatus {
    pub running: bool,
    pub stage: String,
    /// Clients meeting their level in the best roster so far (when known).
    pub met: Option<usize>,
    /// The proven bound on clients met (when known).
    pub bound: Option<usize>,
    pub clients: usize,
    pub elapsed: f64,
    pub time_limit: f64,
    pub time_left: f64,
    pub stopping: bool,
    /// The summary line when it ended well, else why it failed.
    pub message: Option<String>,
    pub failed: bool,
}

impl SolveJob {
    pub(super) fn new(time_limit: f64) -> Arc<SolveJob> {
        Arc::new(SolveJob {
            started: Instant::now(),
            time_limit,
            progress: Progress::new(),
            done: AtomicBool::new(false),
            outcome: Mutex::new(None),
        })
    }

    pub fn is_done(&self) -> bool {
        self.done.load(Ordering::Acquire)
    }

    /// Asks the solve to end soon with the best roster found.
    pub fn stop(&self) {
        self.progress.stop();
    }

    /// Solves `program` and makes the result the current week. Runs on its own thread.
    pub(super) fn run(&self, app: &App, program: Program) {
        let clients = program.clients.len();
        let mut settings = app.week_options(self.time_limit).solver;
        settings.progress = Some(self.progress.clone());
        let outcome = match week::solve_prepared(program, &settings) {
            Ok(week) => {
                let line = week.summary_line();
                eprintln!("serve: solve done: {} of {clients} met", week.met());
                app.set_week(week);
                Ok(line)
            }
            Err(error) => {
                eprintln!("serve: solve failed");
                Err(error.to_string())
            }
        };
        *lock(&self.outcome) = Some(outcome);
        self.done.store(true, Ordering::Release);
    }

    pub fn status(&self, clients: usize) -> JobStatus {
        let outcome = lock(&self.outcome).clone();
        let elapsed = self.started.elapsed().as_secs_f64();
        let running = outcome.is_none();
        let snapshot = self.progress.snapshot();
        JobStatus {
            running,
            stage: if running {
                snapshot.stage
            } else {
                "done".to_string()
            },
            met: snapshot.met,
            bound: snapshot.bound,
            clients: if snapshot.clients > 0 {
                snapshot.clients
            } else {
                clients
            },
            elapsed,
            time_limit: self.time_limit,
            time_left: if running {
                (self.time_limit - elapsed).max(0.0)
            } else {
                0.0
            },
            stopping: running && self.progress.stopped(),
            failed: matches!(outcome, Some(Err(_))),
            message: outcome.map(|o| o.unwrap_or_else(|e| e)),
        }
    }
}

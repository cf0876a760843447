//! iopsched: the weekly roster optimizer of an Intensive Outpatient Program.
//!
//! The pipeline, in the order data flows:
//! 1. [`input::load`] reads the contract's CSV files into a typed [`domain::Program`];
//! 2. [`candidates::Candidates`] lists what each client could possibly attend;
//! 3. [`solve::alone_bounds`] solves each client alone (who can meet their level at all);
//! 4. [`model::Model`] builds the integer program and [`solve::lexicographic`] solves it;
//! 5. [`roster::Roster`] reads the roster off the solution, [`explain`] says why a
//!    client is short, and [`output`] writes the CSV files.

pub mod candidates;
pub mod cmd;
pub mod domain;
pub mod explain;
pub mod generate;
pub mod input;
pub mod intervals;
pub mod model;
pub mod output;
pub mod roster;
pub mod solve;
pub mod time;

use candidates::Candidates;
use domain::Program;
use model::Model;
use roster::{ClientWeek, Roster};
use solve::{SolveError, SolverSettings, StageReport};
use std::time::Instant;

/// A solved week: the roster, what each client got, and how the solve went.
pub struct Schedule {
    pub roster: Roster,
    /// Per client, indexed like [`Program::clients`].
    pub weeks: Vec<ClientWeek>,
    /// Per client: why they are short (`None` when met).
    pub reasons: Vec<Option<String>>,
    pub stages: Vec<StageReport>,
    pub columns: usize,
    pub rows: usize,
    pub seconds: f64,
}

/// Schedules one program: the whole pipeline after loading.
pub fn schedule(program: &Program, settings: &SolverSettings) -> Result<Schedule, SolveError> {
    let clock = Instant::now();
    let cands = Candidates::build(program);
    let bounds = solve::alone_bounds(program, &cands, settings)?;
    let model = Model::whole(program, &cands, &bounds);
    let remaining = SolverSettings {
        time_limit: (settings.time_limit - clock.elapsed().as_secs_f64()).max(1.0),
        ..settings.clone()
    };
    let solved = solve::lexicographic(&model, model.start_values(&[]), &remaining)?;
    let roster = Roster::from_solution(program, &cands, &model, &solved.values);
    let weeks: Vec<ClientWeek> = (0..program.clients.len())
        .map(|c| roster.client_week(program, c))
        .collect();
    let reasons = weeks
        .iter()
        .enumerate()
        .map(|(c, week)| {
            (!week.shortfall.is_met())
                .then(|| explain::reason(program, &cands, &bounds[c], &roster, c, week))
        })
        .collect();
    Ok(Schedule {
        roster,
        weeks,
        reasons,
        stages: solved.stages,
        columns: model.num_columns(),
        rows: model.rows.len(),
        seconds: clock.elapsed().as_secs_f64(),
    })
}

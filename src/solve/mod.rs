//! Solving the model with HiGHS: solver settings, the per-client pre-analysis and
//! the lexicographic stages.
//!
//! The contract's priorities are solved as a sequence of MIPs over the same model:
//! (1) maximize clients met; (2) with that fixed, minimize weekly minutes short;
//! (3) with that fixed, minimize missing days, then appointments; (4) with all of it
//! fixed, minimize preference penalties. Each stage starts from the previous stage's
//! roster, so a valid roster exists from the first moment (the empty roster is
//! feasible for stage 1) and a stage stopped by the time limit still hands on its best.
//! A stage reported `optimal` has its objective proven by HiGHS (gap below one unit
//! of an integer objective), so priorities (1) and (2) are proven when both are.

mod run;
mod stages;

pub use stages::{
    below_hours, below_met, leading_stages, lexicographic, met_relaxation, met_share,
};

use crate::candidates::Candidates;
use crate::domain::{ClientIx, Program};
use crate::model::{AloneBound, Model};
use crate::progress::Progress;
use good_lp::{Constraint, Expression, ObjectiveDirection};
use rayon::prelude::*;
use run::{run, Job, Outcome};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How HiGHS is run.
#[derive(Clone, Debug)]
pub struct SolverSettings {
    /// Wall-clock budget for the whole solve, in seconds.
    pub time_limit: f64,
    /// Threads per HiGHS instance.
    pub threads: u32,
    /// Print HiGHS's own log to stdout.
    pub verbose: bool,
    /// Where the solve reports how far it got, and can be asked to stop.
    pub progress: Option<Arc<Progress>>,
    /// How many of the contract's priorities are optimized, from the top: a
    /// caller that compares rosters by clients met and hours short alone (what-if)
    /// asks for 2 and gets its answer without the stages below. The roster still
    /// obeys every hard rule.
    pub priorities: usize,
}

impl SolverSettings {
    /// The settings for a small model solved inside a step of the whole one:
    /// it obeys a stop but reports nothing of its own.
    pub fn muted(&self) -> SolverSettings {
        SolverSettings {
            progress: self.progress.as_ref().map(|p| p.muted()),
            ..self.clone()
        }
    }

    /// Whether a stop was asked for.
    pub fn stopped(&self) -> bool {
        self.progress.as_ref().is_some_and(|p| p.stopped())
    }

    /// Reports a step of the whole model's solve (no-op without a reporter).
    pub(crate) fn report(&self, f: impl FnOnce(&Progress)) {
        if let Some(p) = &self.progress {
            f(p);
        }
    }
}

impl Default for SolverSettings {
    fn default() -> Self {
        SolverSettings {
            time_limit: 60.0,
            threads: 1,
            verbose: false,
            progress: None,
            priorities: usize::MAX,
        }
    }
}

/// Errors of the solver itself (never of the input).
#[derive(Debug, thiserror::Error)]
pub enum SolveError {
    #[error("HiGHS failed: {0}")]
    Highs(String),
    /// The hard rules leave no roster: only possible with pins.
    #[error("no roster keeps every pin and every hard rule ({0}); remove or move a pin")]
    Infeasible(String),
    /// No roster keeping every pin was found in time; not proven impossible.
    #[error(
        "no roster keeping every pin was found within {0:.0} s (not proven impossible: \
         e.g. a pinned day below the daily minimum or a pinned session below min_size \
         would make it so); raise --time-limit or check those pins"
    )]
    NotFound(f64),
}

/// How a stage ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StageStatus {
    /// Objective proven optimal.
    Optimal,
    /// Proven within the stage's relative gap tolerance (preferences only).
    WithinGap,
    /// Stopped by the time limit; the best roster found is kept.
    TimeLimit,
}

/// What one lexicographic stage achieved.
#[derive(Clone, Debug)]
pub struct StageReport {
    pub name: &'static str,
    pub status: StageStatus,
    pub objective: f64,
    /// The best bound HiGHS proved (equal to `objective` when optimal).
    pub bound: f64,
    pub seconds: f64,
    /// Seconds from the start of the solve (pre-analysis included) to this
    /// stage's end: when its priority was settled.
    pub finished_at: f64,
}

impl StageReport {
    /// Relative gap between objective and bound.
    pub fn gap(&self) -> f64 {
        (self.bound - self.objective).abs() / self.objective.abs().max(1.0)
    }
}

/// The best roster found, as column values of the model, and how each stage went.
pub struct Solved {
    pub values: Vec<f64>,
    pub stages: Vec<StageReport>,
}

/// The relative gap at which the preference stage stops.
pub const PREFERENCE_GAP: f64 = 0.02;

/// The stage objectives of a model in the contract's order, each with its sense:
/// `true` = maximize. Used to compare two rosters lexicographically.
pub fn priorities<'m>(model: &'m Model) -> Vec<(&'m Expression, bool)> {
    stage_names(model)
        .into_iter()
        .enumerate()
        .map(|(i, (_, e))| (e, i == 0))
        .collect()
}

/// How many of the first priorities decide who is served and how much: clients
/// met and hours short, and the changes from last week when there is one.
pub fn top_priorities(model: &Model) -> usize {
    if model.has_previous() {
        3
    } else {
        2
    }
}

/// The name and objective of each stage, in the contract's order.
pub fn stage_names<'m>(model: &'m Model) -> Vec<(&'static str, &'m Expression)> {
    let o = &model.objectives;
    let mut list = vec![("clients met", &o.met), ("hours short", &o.short_minutes)];
    if model.has_previous() {
        list.push(("changes from last week", &o.changes));
    }
    list.push(("days and appointments short", &o.short_rest));
    list.push(("preferences", &o.preferences));
    list
}

/// Nodes a small model's run may search: these models close at the root or within a
/// few nodes, so the limit only stops the rare hard one, the same way every time.
const SMALL_MODEL_NODES: i32 = 500;

/// Largest objective weight a single weighted run may use: beyond it HiGHS's
/// tolerances would blur the lowest priorities.
const MAX_WEIGHT: f64 = 1e10;

/// Solves a small model (one client planned against the rest) in a single HiGHS
/// run: the priorities folded into one objective with weights that keep their
/// order (each weight exceeds the most that all lower priorities can add up to).
/// Falls back to [`in_two_runs`] when the weights would grow too large. Returns
/// the start when HiGHS finds nothing in time.
pub fn weighted(
    model: &Model,
    start: &[f64],
    seconds: f64,
    settings: &SolverSettings,
) -> Result<Vec<f64>, SolveError> {
    let all = wanted(model, settings);
    if folded(model, &all).1 > MAX_WEIGHT {
        return Ok(in_two_runs(model, start, seconds, settings)?.0);
    }
    Ok(weighted_run(model, &all, &[], start, seconds, settings)?.0)
}

/// The priorities `settings` asks for, from the top (at least clients met).
fn wanted<'m>(model: &'m Model, settings: &SolverSettings) -> Vec<(&'m Expression, bool)> {
    let mut all = priorities(model);
    all.truncate(settings.priorities.max(1));
    all
}

/// Solves a part of the model in two HiGHS runs: the first priorities (clients
/// met, hours, and changes when last week is kept) folded into one objective, then
/// with those fixed the rest. True when both runs were proven optimal.
pub fn in_two_runs(
    model: &Model,
    start: &[f64],
    seconds: f64,
    settings: &SolverSettings,
) -> Result<(Vec<f64>, bool), SolveError> {
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let all = wanted(model, settings);
    let (top, bottom) = all.split_at(top_priorities(model).min(all.len()));
    let (values, top_proven) = weighted_run(model, top, &[], start, seconds * 0.7, settings)?;
    if bottom.is_empty() {
        return Ok((values, top_proven));
    }
    let keep: Vec<Constraint> = top
        .iter()
        .map(|&(e, maximize)| no_worse_than(e, maximize, model.eval(&values, e).round()))
        .collect();
    let left = deadline
        .saturating_duration_since(Instant::now())
        .as_secs_f64();
    if left < 0.02 {
        return Ok((values, false));
    }
    let (values, rest_proven) = weighted_run(model, bottom, &keep, &values, left, settings)?;
    Ok((values, top_proven && rest_proven))
}

/// The row "`objective` is `target` or better", `maximize` being its sense (stage
/// objectives are integral, hence the half unit).
fn no_worse_than(objective: &Expression, maximize: bool, target: f64) -> Constraint {
    if maximize {
        objective.clone().geq(target - 0.5)
    } else {
        objective.clone().leq(target + 0.5)
    }
}

/// +1 when a larger objective is better for `direction`, -1 when a smaller one is.
fn upward(direction: ObjectiveDirection) -> f64 {
    if direction == ObjectiveDirection::Maximisation {
        1.0
    } else {
        -1.0
    }
}

/// The priorities folded into one minimization objective, and the largest weight.
fn folded(model: &Model, priorities: &[(&Expression, bool)]) -> (Expression, f64) {
    let mut objective = Expression::default();
    let mut weight = 1.0;
    for &(expression, maximize) in priorities.iter().rev() {
        let sign = if maximize { -1.0 } else { 1.0 };
        objective.add_mul(sign * weight, expression.clone());
        weight *= model.range(expression) + 1.0;
    }
    (objective, weight)
}

/// One HiGHS run of folded priorities with extra rows; true when proven optimal.
fn weighted_run(
    model: &Model,
    priorities: &[(&Expression, bool)],
    rows: &[Constraint],
    start: &[f64],
    seconds: f64,
    settings: &SolverSettings,
) -> Result<(Vec<f64>, bool), SolveError> {
    let (objective, _) = folded(model, priorities);
    let mut job = Job::new(
        model,
        ObjectiveDirection::Minimisation,
        &objective,
        start,
        seconds,
    );
    job.fixed = rows;
    job.max_nodes = Some(SMALL_MODEL_NODES);
    let result = run(&job, settings)?;
    Ok((result.values, result.outcome == Outcome::Optimal))
}

/// Solves each client alone (own rules, no contention) in parallel: who cannot meet
/// their level at all, and the fewest minutes they must be short. This fixes
/// hopeless clients' "met" to 0 and bounds shortfalls from below, which makes the
/// LP bound of the whole model tight (see docs/modeling.md).
///
/// Only `clients` are analysed (the others keep [`AloneBound::UNKNOWN`]), all
/// within `seconds`; a client whose analysis runs out of time keeps it too.
pub fn alone_bounds(
    program: &Program,
    cands: &Candidates,
    clients: &[bool],
    seconds: f64,
    settings: &SolverSettings,
) -> Result<Vec<AloneBound>, SolveError> {
    let quiet = SolverSettings {
        threads: 1,
        verbose: false,
        ..settings.muted()
    };
    // The whole analysis ends by `seconds` from now: hundreds of short clients each
    // given `seconds` would otherwise overrun a short time limit many times over.
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    (0..program.clients.len())
        .into_par_iter()
        .map(|c| {
            let left = deadline
                .saturating_duration_since(Instant::now())
                .as_secs_f64();
            if !clients[c] || left < 0.01 || settings.stopped() {
                return Ok(AloneBound::UNKNOWN);
            }
            let model = Model::alone(program, cands, ClientIx(c));
            let cv = &model.clients[0];
            let level = program.level_of(&program.clients[c]);
            // Minutes first, then days and appointments: the optimum is 0 exactly
            // when the client can meet the level, and its minutes part is the
            // fewest minutes short.
            let most_rest = level.min_days + level.appointments_per_week.iter().sum::<u32>();
            let mut objective = Expression::from(cv.short_days);
            objective.add_mul(most_rest as f64 + 1.0, cv.short_minutes);
            for &short in &cv.short_appointments {
                objective.add_mul(1.0, short);
            }
            let start = model.start_values(&[]);
            let job = Job::new(
                &model,
                ObjectiveDirection::Minimisation,
                &objective,
                &start,
                left,
            );
            let result = run(&job, &quiet)?;
            let optimal = result.outcome == Outcome::Optimal;
            Ok(AloneBound {
                can_meet: !(optimal && result.objective > 0.5),
                min_short_minutes: if optimal {
                    model.value(&result.values, cv.short_minutes).round()
                } else {
                    0.0
                },
            })
        })
        .collect()
}

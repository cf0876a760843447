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

use crate::candidates::Candidates;
use crate::domain::Program;
use crate::model::{AloneBound, Model};
use crate::progress::Progress;
use crate::watch::Watch;
use good_lp::solvers::highs::highs;
use good_lp::{Constraint, Expression, ObjectiveDirection, SolverModel};
use highs::HighsModelStatus;
use rayon::prelude::*;
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

/// One stage: an objective, the share of the remaining time it may use, and how
/// HiGHS is asked for it.
struct Stage<'a> {
    name: &'static str,
    direction: ObjectiveDirection,
    objective: &'a Expression,
    share: f64,
    /// Search targets between the LP bound and the best roster before optimizing.
    targets: bool,
    /// Relative gap at which the stage stops: 0 = prove optimality.
    rel_gap: f64,
    /// The stage that keeps last week's roster: it exists only with one.
    keeps_last_week: bool,
}

/// The stages in the contract's order: with a previous roster, stability ranks
/// right after the hours shortfall (before missing days and appointments);
/// without one there is nothing to keep.
fn in_contract_order<'s, 'a>(stages: &'s [Stage<'a>], previous: bool) -> Vec<&'s Stage<'a>> {
    let mut ordered: Vec<&Stage> = stages
        .iter()
        .filter(|s| previous || !s.keeps_last_week)
        .collect();
    if previous {
        // met, hours, changes, days and appointments, preferences.
        ordered.swap(2, 3);
    }
    ordered
}

/// The stage objectives of a model in the contract's order, each with its sense:
/// `true` = maximize. Used to compare two rosters lexicographically.
pub fn priorities<'m>(model: &'m Model) -> Vec<(&'m Expression, bool)> {
    stage_names(model)
        .into_iter()
        .enumerate()
        .map(|(i, (_, e))| (e, i == 0))
        .collect()
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
    let all = priorities(model);
    if folded(model, &all).1 > MAX_WEIGHT {
        return Ok(in_two_runs(model, start, seconds, settings)?.0);
    }
    Ok(weighted_run(model, &all, &[], start, seconds, settings)?.0)
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
    let all = priorities(model);
    let (top, bottom) = all.split_at(if model.has_previous() { 3 } else { 2 });
    let (values, top_proven) = weighted_run(model, top, &[], start, seconds * 0.7, settings)?;
    let keep: Vec<Constraint> = top
        .iter()
        .map(|&(e, maximize)| {
            let achieved = model.eval(&values, e).round();
            if maximize {
                e.clone().geq(achieved - 0.5)
            } else {
                e.clone().leq(achieved + 0.5)
            }
        })
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
            let model = Model::alone(program, cands, c);
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

/// Solves the whole model in lexicographic stages within the time limit, starting
/// from the roster `start` (column values; e.g. [`Model::start_values`]).
pub fn lexicographic(
    model: &Model,
    start: Vec<f64>,
    settings: &SolverSettings,
) -> Result<Solved, SolveError> {
    let deadline = Instant::now() + Duration::from_secs_f64(settings.time_limit.max(0.1));
    let o = &model.objectives;
    let stages = [
        Stage {
            name: "clients met",
            direction: ObjectiveDirection::Maximisation,
            objective: &o.met,
            share: 0.45,
            targets: true,
            rel_gap: 0.0,
            keeps_last_week: false,
        },
        Stage {
            name: "hours short",
            direction: ObjectiveDirection::Minimisation,
            objective: &o.short_minutes,
            share: 0.30,
            targets: true,
            rel_gap: 0.0,
            keeps_last_week: false,
        },
        Stage {
            name: "days and appointments short",
            direction: ObjectiveDirection::Minimisation,
            objective: &o.short_rest,
            share: 0.15,
            targets: false,
            rel_gap: 0.0,
            keeps_last_week: false,
        },
        Stage {
            name: "changes from last week",
            direction: ObjectiveDirection::Minimisation,
            objective: &o.changes,
            share: 0.10,
            targets: false,
            rel_gap: 0.0,
            keeps_last_week: true,
        },
        Stage {
            name: "preferences",
            direction: ObjectiveDirection::Minimisation,
            objective: &o.preferences,
            share: 0.10,
            targets: false,
            // Proving the last preference point costs far more than it is worth.
            rel_gap: PREFERENCE_GAP,
            keeps_last_week: false,
        },
    ];
    let mut values = start;
    let mut fixed: Vec<Constraint> = Vec::new();
    let mut reports = Vec::new();
    let stages = in_contract_order(&stages, model.has_previous());
    for (i, stage) in stages.iter().enumerate() {
        let remaining = deadline
            .saturating_duration_since(Instant::now())
            .as_secs_f64();
        let shares_left: f64 = stages[i..].iter().map(|s| s.share).sum();
        let seconds = (remaining * stage.share / shares_left).max(0.05);
        let started = Instant::now();
        settings.report(|p| p.stage(stage.name));
        let (best, report) = solve_stage(model, stage, &fixed, values, seconds, settings)?;
        if std::ptr::eq(stage.objective, &o.met) {
            settings.report(|p| report_met(p, &report));
        }
        values = best;
        // Later stages may not give back what this one achieved (integer objectives).
        fixed.push(match stage.direction {
            ObjectiveDirection::Maximisation => {
                stage.objective.clone().geq(report.objective.round() - 0.5)
            }
            ObjectiveDirection::Minimisation => {
                stage.objective.clone().leq(report.objective.round() + 0.5)
            }
        });
        reports.push(StageReport {
            seconds: started.elapsed().as_secs_f64(),
            ..report
        });
    }
    Ok(Solved {
        values,
        stages: reports,
    })
}

/// The "clients met" stage's roster and proven bound, to the progress reporter.
fn report_met(progress: &Progress, report: &StageReport) {
    progress.met(report.objective.round().max(0.0) as usize);
    if report.bound.is_finite() {
        // A maximum: the bound proves no more than its floor.
        progress.bound((report.bound + 1e-6).floor().max(0.0) as usize);
    }
}

/// Which way is better for a stage.
fn better(direction: ObjectiveDirection, a: f64, b: f64) -> bool {
    match direction {
        ObjectiveDirection::Maximisation => a > b + 0.5,
        ObjectiveDirection::Minimisation => a < b - 0.5,
    }
}

/// True when the roster's objective `best` reaches the proven bound.
fn reached(direction: ObjectiveDirection, proven: f64, best: f64) -> bool {
    proven.is_finite() && !better(direction, proven, best)
}

/// One stage: first the LP bound, then "find a roster at least this good" targets
/// from the bound outwards, then plain optimization from the best roster found.
/// A target at the bound lets HiGHS's primal heuristics find the optimum right
/// after presolve where plain maximization spends its time in root cuts; a target
/// proven infeasible moves the proven bound.
fn solve_stage(
    model: &Model,
    stage: &Stage,
    fixed: &[Constraint],
    start: Vec<f64>,
    seconds: f64,
    settings: &SolverSettings,
) -> Result<(Vec<f64>, StageReport), SolveError> {
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let left = || {
        if settings.stopped() {
            return 0.0;
        }
        deadline
            .saturating_duration_since(Instant::now())
            .as_secs_f64()
    };
    let dir = stage.direction;
    // Only the whole model's "clients met" runs report rosters as HiGHS finds them.
    let reports_met = std::ptr::eq(stage.objective, &model.objectives.met);
    let sign = if dir == ObjectiveDirection::Maximisation {
        1.0
    } else {
        -1.0
    };
    let mut best = start;
    let mut best_obj = model.eval(&best, stage.objective);
    let mut proven = f64::NAN;
    if stage.targets {
        let mut lp = Job::new(model, dir, stage.objective, &best, left() * 0.3);
        lp.reports_met = reports_met;
        lp.fixed = fixed;
        lp.relaxation = true;
        let relaxed = run(&lp, settings)?;
        if relaxed.outcome == Outcome::Optimal {
            // Integer objective: round the LP bound to the side it proves (with
            // room for the interior point method's tolerance).
            proven = (relaxed.objective * sign + 1e-3).floor() * sign;
        }
        // Step away from the bound, doubling, while targets are proven infeasible
        // or undecided; once a roster is found, bisect between it and the bound.
        let bisect = |proven: f64, best: f64| ((proven + best) / 2.0 * sign).ceil() * sign;
        let mut step = 1.0;
        let mut target = proven;
        // The first attempt, at the bound, usually decides the stage.
        let mut share = 0.8;
        while target.is_finite() && better(dir, target, best_obj) && left() > 0.05 {
            let mut job = Job::new(model, dir, stage.objective, &best, left() * share);
            job.reports_met = reports_met;
            share = 0.5;
            let row = match dir {
                ObjectiveDirection::Maximisation => stage.objective.clone().geq(target - 0.5),
                ObjectiveDirection::Minimisation => stage.objective.clone().leq(target + 0.5),
            };
            let rows: Vec<Constraint> = fixed.iter().cloned().chain([row]).collect();
            job.fixed = &rows;
            let result = run(&job, settings)?;
            if result.outcome == Outcome::Infeasible {
                // The optimum is usually near the bound: widen the step from it.
                proven = target - sign;
                target = proven - sign * (step - 1.0);
                step *= 2.0;
                if !better(dir, target, best_obj) {
                    target = bisect(proven, best_obj);
                }
            } else if result.found {
                best_obj = model.eval(&result.values, stage.objective);
                best = result.values;
                if result.outcome == Outcome::Optimal {
                    // Optimal with a row that only cuts worse rosters: the optimum.
                    proven = best_obj;
                }
                target = bisect(proven, best_obj);
                step = 1.0;
            } else {
                target -= sign * step;
                step *= 2.0;
            }
        }
    }
    if !reached(dir, proven, best_obj) && left() > 0.05 {
        let mut job = Job::new(model, dir, stage.objective, &best, left());
        job.fixed = fixed;
        job.rel_gap = stage.rel_gap;
        job.reports_met = reports_met;
        let result = run(&job, settings)?;
        // An equally good roster is not taken: later stages (changes from last
        // week above all) prefer the one this stage started from.
        if result.found && better(dir, result.objective, best_obj) {
            best_obj = model.eval(&result.values, stage.objective);
            best = result.values;
        }
        if result.outcome == Outcome::Optimal {
            proven = best_obj;
        } else if result.bound.is_finite()
            && !(proven.is_finite() && better(dir, result.bound, proven))
        {
            proven = result.bound;
        }
    }
    let optimal = reached(dir, proven, best_obj);
    let gap = (best_obj - proven).abs() / best_obj.abs().max(1.0);
    let status = if optimal {
        StageStatus::Optimal
    } else if stage.rel_gap > 0.0 && gap <= stage.rel_gap + 1e-9 {
        StageStatus::WithinGap
    } else {
        StageStatus::TimeLimit
    };
    let report = StageReport {
        name: stage.name,
        status,
        objective: best_obj,
        bound: if optimal { best_obj } else { proven },
        seconds: 0.0,
        finished_at: 0.0,
    };
    Ok((best, report))
}

/// How a HiGHS run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Optimal,
    Infeasible,
    Stopped,
}

struct RunResult {
    outcome: Outcome,
    /// True when HiGHS returned a feasible solution (else `values` is the start).
    found: bool,
    values: Vec<f64>,
    objective: f64,
    bound: f64,
}

/// One HiGHS run: the model with an objective, extra rows and a start.
struct Job<'a> {
    model: &'a Model<'a>,
    direction: ObjectiveDirection,
    objective: &'a Expression,
    fixed: &'a [Constraint],
    start: &'a [f64],
    seconds: f64,
    /// Solve the LP relaxation only.
    relaxation: bool,
    rel_gap: f64,
    /// Branch-and-bound nodes allowed: a limit in work, not time, keeps small
    /// solves deterministic on a busy machine.
    max_nodes: Option<i32>,
    /// The objective is the number of clients met, and better rosters are
    /// reported as HiGHS finds them.
    reports_met: bool,
}

impl<'a> Job<'a> {
    fn new(
        model: &'a Model<'a>,
        direction: ObjectiveDirection,
        objective: &'a Expression,
        start: &'a [f64],
        seconds: f64,
    ) -> Self {
        Job {
            model,
            direction,
            objective,
            fixed: &[],
            start,
            seconds,
            relaxation: false,
            rel_gap: 0.0,
            max_nodes: None,
            reports_met: false,
        }
    }
}

/// Runs HiGHS on a job. Returns the start itself when HiGHS finds nothing in time.
fn run(job: &Job, settings: &SolverSettings) -> Result<RunResult, SolveError> {
    let model = job.model;
    if model.num_columns() == 0 {
        // No clients: nothing to decide (and HiGHS rejects an empty model).
        return Ok(RunResult {
            outcome: Outcome::Optimal,
            found: true,
            values: Vec::new(),
            objective: 0.0,
            bound: 0.0,
        });
    }
    let mut problem = model
        .vars
        .clone()
        .optimise(job.direction, job.objective.clone())
        .using(highs);
    for row in model.rows.iter().chain(job.fixed) {
        problem.add_constraint(row.clone());
    }
    let mut hm = problem
        .try_into_inner()
        .map_err(|e| SolveError::Highs(e.to_string()))?;
    hm.make_quiet();
    let big = model.clients.len() > 1;
    let mut options: Vec<(&str, OptionValue)> = vec![
        ("output_flag", OptionValue::Bool(settings.verbose)),
        ("log_to_console", OptionValue::Bool(settings.verbose)),
        ("time_limit", OptionValue::Float(job.seconds.max(0.01))),
        ("threads", OptionValue::Int(settings.threads.max(1) as i32)),
        ("mip_rel_gap", OptionValue::Float(job.rel_gap)),
        (
            "mip_max_nodes",
            OptionValue::Int(job.max_nodes.unwrap_or(i32::MAX)),
        ),
        // Every stage objective is integral on integral rosters: a gap below one
        // unit proves optimality.
        ("mip_abs_gap", OptionValue::Float(0.99)),
        ("random_seed", OptionValue::Int(0)),
    ];
    if job.max_nodes.is_some() {
        // Feasibility jump runs before every tiny model's search and costs more
        // than the search itself; the start given is feasible anyway (measured:
        // one-client models about twice as fast on a 300-client site).
        options.push((
            "mip_heuristic_run_feasibility_jump",
            OptionValue::Bool(false),
        ));
    }
    if big {
        // Interior point is far faster than dual simplex on these LPs (measured).
        options.push(("mip_lp_solver", OptionValue::Str("ipm")));
    }
    if job.relaxation {
        options.push(("solve_relaxation", OptionValue::Bool(true)));
        if big {
            options.push(("solver", OptionValue::Str("ipm")));
            options.push(("run_crossover", OptionValue::Str("off")));
        }
    }
    for (name, value) in options {
        let set = match value {
            OptionValue::Bool(v) => hm.try_set_option(name, v),
            OptionValue::Float(v) => hm.try_set_option(name, v),
            OptionValue::Int(v) => hm.try_set_option(name, v),
            OptionValue::Str(v) => hm.try_set_option(name, v),
        };
        set.map_err(|e| SolveError::Highs(format!("option {name}: {e:?}")))?;
    }
    if !job.relaxation {
        hm.try_set_solution(Some(job.start), None, None, None)
            .map_err(|e| SolveError::Highs(format!("start solution: {e:?}")))?;
    }
    let watch = settings
        .progress
        .as_deref()
        .map(|p| Watch::new(p, job.reports_met && !job.relaxation));
    if let Some(watch) = &watch {
        // SAFETY: `hm` is a live instance and `watch` outlives its solve below.
        unsafe { watch.attach(hm.as_mut_ptr()) };
    }
    let solved = hm
        .try_solve()
        .map_err(|e| SolveError::Highs(format!("{e:?}")))?;
    let outcome = match solved.status() {
        HighsModelStatus::Optimal => Outcome::Optimal,
        HighsModelStatus::Infeasible => Outcome::Infeasible,
        HighsModelStatus::ReachedTimeLimit
        | HighsModelStatus::ReachedSolutionLimit
        | HighsModelStatus::ReachedInterrupt
        | HighsModelStatus::ReachedIterationLimit
        | HighsModelStatus::ObjectiveBound
        | HighsModelStatus::ObjectiveTarget => Outcome::Stopped,
        // Interior point without crossover leaves the status "unknown" although
        // the LP is solved to a tight primal-dual gap; its objective is the bound.
        HighsModelStatus::Unknown if job.relaxation => Outcome::Optimal,
        other => {
            return Err(SolveError::Highs(format!(
                "unexpected model status {other:?}"
            )))
        }
    };
    let found = solved.primal_solution_status() == highs::HighsSolutionStatus::Feasible;
    if job.relaxation {
        return Ok(RunResult {
            outcome,
            found,
            objective: solved.objective_value(),
            bound: solved.objective_value(),
            values: job.start.to_vec(),
        });
    }
    let values = if found {
        solved.get_solution().columns().to_vec()
    } else {
        job.start.to_vec()
    };
    let bound = solved
        .double_info_value(c"mip_dual_bound")
        .unwrap_or(f64::NAN);
    Ok(RunResult {
        outcome: if outcome == Outcome::Optimal && !found {
            Outcome::Stopped
        } else {
            outcome
        },
        found,
        objective: model.eval(&values, job.objective),
        values,
        bound,
    })
}

enum OptionValue {
    Bool(bool),
    Float(f64),
    Int(i32),
    Str(&'static str),
}

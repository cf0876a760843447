//! One HiGHS run of a model: its objective, extra rows, start, options, and how
//! it ended.

use super::{SolveError, SolverSettings};
use crate::model::Model;
use crate::watch::Watch;
use good_lp::solvers::highs::highs;
use good_lp::{Constraint, Expression, IntoAffineExpression, ObjectiveDirection, SolverModel};
use highs::HighsModelStatus;

/// How a HiGHS run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Outcome {
    Optimal,
    Infeasible,
    Stopped,
}

pub(super) struct RunResult {
    pub(super) outcome: Outcome,
    /// True when HiGHS returned a feasible solution (else `values` is the start).
    pub(super) found: bool,
    pub(super) values: Vec<f64>,
    pub(super) objective: f64,
    pub(super) bound: f64,
}

/// One HiGHS run: the model with an objective, extra rows and a start.
pub(super) struct Job<'a> {
    pub(super) model: &'a Model<'a>,
    pub(super) direction: ObjectiveDirection,
    pub(super) objective: &'a Expression,
    pub(super) fixed: &'a [Constraint],
    pub(super) start: &'a [f64],
    pub(super) seconds: f64,
    /// Solve the LP relaxation only.
    pub(super) relaxation: bool,
    pub(super) rel_gap: f64,
    /// Branch-and-bound nodes allowed: a limit in work, not time, keeps small
    /// solves deterministic on a busy machine.
    pub(super) max_nodes: Option<i32>,
    /// The objective is the number of clients met, and better rosters are
    /// reported as HiGHS finds them.
    pub(super) reports_met: bool,
    /// Stop at the first roster whose objective is at least this good (HiGHS's
    /// own dual bound may be looser than one proven elsewhere).
    pub(super) good_enough: Option<f64>,
}

impl<'a> Job<'a> {
    pub(super) fn new(
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
            good_enough: None,
        }
    }
}

/// Runs HiGHS on a job. Returns the start itself when HiGHS finds nothing in time.
pub(super) fn run(job: &Job, settings: &SolverSettings) -> Result<RunResult, SolveError> {
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
    set_options(&mut hm, &options(job, settings))?;
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
    let outcome = outcome(solved.status(), job.relaxation)?;
    let found = solved.primal_solution_status() == highs::HighsSolutionStatus::Feasible;
    // good_lp hands HiGHS the objective's coefficients but not its constant
    // (the changes objective has one per item of last week), so HiGHS's
    // objective values and bounds lack it.
    let offset = job.objective.constant();
    if job.relaxation {
        return Ok(RunResult {
            outcome,
            found,
            objective: solved.objective_value() + offset,
            bound: solved.objective_value() + offset,
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
        .map_or(f64::NAN, |b| b + offset);
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

/// HiGHS's options for a job.
fn options(job: &Job, settings: &SolverSettings) -> Vec<(&'static str, OptionValue)> {
    let whole = job.model.clients.len() > 1 && !job.model.is_part();
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
    if let Some(target) = job.good_enough {
        // HiGHS stops once a roster is strictly better than its target: half a
        // unit short of an integral objective (HiGHS never sees its constant).
        let half = 0.5 * super::upward(job.direction);
        options.push((
            "objective_target",
            OptionValue::Float(target - job.objective.constant() - half),
        ));
    }
    if job.max_nodes.is_some() {
        // Feasibility jump runs before every tiny model's search and costs more
        // than the search itself; the start given is feasible anyway (measured:
        // one-client models about twice as fast on a 300-client site).
        options.push((
            "mip_heuristic_run_feasibility_jump",
            OptionValue::Bool(false),
        ));
        // The root cut loop of a tiny model gathered thousands of cuts for a few
        // hundred columns; a smaller cut pool and LP cut age halve their time
        // (one-client models on a 120-client site with appointment kinds: 92 ms
        // to 53 ms each, the start as good).
        options.push(("mip_pool_soft_limit", OptionValue::Int(100)));
        options.push(("mip_lp_age_limit", OptionValue::Int(3)));
    }
    if whole {
        // Interior point is far faster than dual simplex on the whole model's LPs
        // (measured). A part's search re-solves many node LPs, where warm-started
        // simplex wins: a 300-client site's neighbourhood search solved 20 parts
        // instead of 12 in the same time, more of them proven.
        options.push(("mip_lp_solver", OptionValue::Str("ipm")));
    }
    if job.relaxation {
        options.push(("solve_relaxation", OptionValue::Bool(true)));
        if whole {
            options.push(("solver", OptionValue::Str("ipm")));
            options.push(("run_crossover", OptionValue::Str("off")));
        }
    }
    options
}

fn set_options(
    hm: &mut highs::Model,
    options: &[(&'static str, OptionValue)],
) -> Result<(), SolveError> {
    for &(name, value) in options {
        let set = match value {
            OptionValue::Bool(v) => hm.try_set_option(name, v),
            OptionValue::Float(v) => hm.try_set_option(name, v),
            OptionValue::Int(v) => hm.try_set_option(name, v),
            OptionValue::Str(v) => hm.try_set_option(name, v),
        };
        set.map_err(|e| SolveError::Highs(format!("option {name}: {e:?}")))?;
    }
    Ok(())
}

/// How a run ended, from HiGHS's model status.
fn outcome(status: HighsModelStatus, relaxation: bool) -> Result<Outcome, SolveError> {
    Ok(match status {
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
        HighsModelStatus::Unknown if relaxation => Outcome::Optimal,
        other => {
            return Err(SolveError::Highs(format!(
                "unexpected model status {other:?}"
            )))
        }
    })
}

#[derive(Clone, Copy)]
enum OptionValue {
    Bool(bool),
    Float(f64),
    Int(i32),
    Str(&'static str),
}

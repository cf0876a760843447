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
use good_lp::solvers::highs::highs;
use good_lp::{Constraint, Expression, ObjectiveDirection, SolverModel};
use highs::HighsModelStatus;
use rayon::prelude::*;
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
}

impl Default for SolverSettings {
    fn default() -> Self {
        SolverSettings {
            time_limit: 60.0,
            threads: 1,
            verbose: false,
        }
    }
}

/// Errors of the solver itself (never of the input).
#[derive(Debug, thiserror::Error)]
pub enum SolveError {
    #[error("HiGHS failed: {0}")]
    Highs(String),
}

/// How a stage ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StageStatus {
    /// Objective proven optimal.
    Optimal,
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

/// One stage: an objective and the share of the remaining time it may use.
struct Stage<'a> {
    name: &'static str,
    direction: ObjectiveDirection,
    objective: &'a Expression,
    share: f64,
}

/// Solves each client alone (own rules, no contention) in parallel: who cannot meet
/// their level at all, and the fewest minutes they must be short. This fixes
/// hopeless clients' "met" to 0 and bounds shortfalls from below, which makes the
/// LP bound of the whole model tight (see docs/MODELING notes).
pub fn alone_bounds(
    program: &Program,
    cands: &Candidates,
    settings: &SolverSettings,
) -> Result<Vec<AloneBound>, SolveError> {
    let quiet = SolverSettings {
        threads: 1,
        verbose: false,
        ..settings.clone()
    };
    (0..program.clients.len())
        .into_par_iter()
        .map(|c| {
            let model = Model::alone(program, cands, c);
            let cv = &model.clients[0];
            let level = &program.levels[program.clients[c].level];
            // Minutes first, then days and appointments: the optimum is 0 exactly
            // when the client can meet the level, and its minutes part is the
            // fewest minutes short.
            let most_rest = level.min_days + level.appointments_per_week.iter().sum::<u32>();
            let mut objective = Expression::from(cv.short_days);
            objective.add_mul(most_rest as f64 + 1.0, cv.short_minutes);
            for &short in &cv.short_appointments {
                objective.add_mul(1.0, short);
            }
            let start = vec![0.0; model.num_columns()];
            let result = run(
                &model,
                ObjectiveDirection::Minimisation,
                &objective,
                &[],
                &start,
                30.0,
                &quiet,
            )?;
            let short_minutes = model.value(&result.values, cv.short_minutes);
            Ok(AloneBound {
                can_meet: result.status == HighsModelStatus::Optimal && result.objective < 0.5,
                min_short_minutes: if result.status == HighsModelStatus::Optimal {
                    short_minutes.round()
                } else {
                    0.0
                },
            })
        })
        .collect()
}

/// Solves the whole model in lexicographic stages within the time limit.
pub fn lexicographic(model: &Model, settings: &SolverSettings) -> Result<Solved, SolveError> {
    let clock = Instant::now();
    let deadline = clock + Duration::from_secs_f64(settings.time_limit.max(0.1));
    let o = &model.objectives;
    let stages = [
        Stage {
            name: "clients met",
            direction: ObjectiveDirection::Maximisation,
            objective: &o.met,
            share: 0.45,
        },
        Stage {
            name: "hours short",
            direction: ObjectiveDirection::Minimisation,
            objective: &o.short_minutes,
            share: 0.30,
        },
        Stage {
            name: "days and appointments short",
            direction: ObjectiveDirection::Minimisation,
            objective: &o.short_rest,
            share: 0.15,
        },
        Stage {
            name: "preferences",
            direction: ObjectiveDirection::Minimisation,
            objective: &o.preferences,
            share: 0.10,
        },
    ];
    let mut values = vec![0.0; model.num_columns()];
    let mut fixed: Vec<Constraint> = Vec::new();
    let mut reports = Vec::new();
    for (i, stage) in stages.iter().enumerate() {
        let remaining = deadline
            .saturating_duration_since(Instant::now())
            .as_secs_f64();
        let shares_left: f64 = stages[i..].iter().map(|s| s.share).sum();
        let seconds = (remaining * stage.share / shares_left).max(0.05);
        let started = Instant::now();
        let result = run(
            model,
            stage.direction,
            stage.objective,
            &fixed,
            &values,
            seconds,
            settings,
        )?;
        values = result.values;
        let objective = model.eval(&values, stage.objective);
        let status = if result.status == HighsModelStatus::Optimal {
            StageStatus::Optimal
        } else {
            StageStatus::TimeLimit
        };
        let bound = if status == StageStatus::Optimal {
            objective
        } else {
            result.bound
        };
        // Later stages may not give back what this one achieved (integer objectives).
        fixed.push(match stage.direction {
            ObjectiveDirection::Maximisation => {
                stage.objective.clone().geq(objective.round() - 0.5)
            }
            ObjectiveDirection::Minimisation => {
                stage.objective.clone().leq(objective.round() + 0.5)
            }
        });
        reports.push(StageReport {
            name: stage.name,
            status,
            objective,
            bound,
            seconds: started.elapsed().as_secs_f64(),
        });
    }
    Ok(Solved {
        values,
        stages: reports,
    })
}

struct RunResult {
    status: HighsModelStatus,
    values: Vec<f64>,
    objective: f64,
    bound: f64,
}

/// One HiGHS run of `model` with `objective`, extra rows `fixed`, and the feasible
/// start `start`. Returns the start itself when HiGHS finds nothing better in time.
fn run(
    model: &Model,
    direction: ObjectiveDirection,
    objective: &Expression,
    fixed: &[Constraint],
    start: &[f64],
    seconds: f64,
    settings: &SolverSettings,
) -> Result<RunResult, SolveError> {
    let mut problem = model
        .vars
        .clone()
        .optimise(direction, objective.clone())
        .using(highs);
    for row in model.rows.iter().chain(fixed) {
        problem.add_constraint(row.clone());
    }
    let mut hm = problem
        .try_into_inner()
        .map_err(|e| SolveError::Highs(e.to_string()))?;
    hm.make_quiet();
    let options: [(&str, OptionValue); 6] = [
        ("output_flag", OptionValue::Bool(settings.verbose)),
        ("time_limit", OptionValue::Float(seconds)),
        ("threads", OptionValue::Int(settings.threads.max(1) as i32)),
        ("mip_rel_gap", OptionValue::Float(0.0)),
        // Every stage objective is integral on integral rosters: a gap below one
        // unit proves optimality.
        ("mip_abs_gap", OptionValue::Float(0.99)),
        ("random_seed", OptionValue::Int(0)),
    ];
    for (name, value) in options {
        let set = match value {
            OptionValue::Bool(v) => hm.try_set_option(name, v),
            OptionValue::Float(v) => hm.try_set_option(name, v),
            OptionValue::Int(v) => hm.try_set_option(name, v),
        };
        set.map_err(|e| SolveError::Highs(format!("option {name}: {e:?}")))?;
    }
    hm.try_set_solution(Some(start), None, None, None)
        .map_err(|e| SolveError::Highs(format!("start solution: {e:?}")))?;
    let solved = hm
        .try_solve()
        .map_err(|e| SolveError::Highs(format!("{e:?}")))?;
    let status = solved.status();
    let has_solution = solved.primal_solution_status() == highs::HighsSolutionStatus::Feasible;
    let values = if has_solution {
        solved.get_solution().columns().to_vec()
    } else {
        start.to_vec()
    };
    let bound = solved
        .double_info_value(c"mip_dual_bound")
        .unwrap_or(f64::NAN);
    match status {
        HighsModelStatus::Optimal
        | HighsModelStatus::ReachedTimeLimit
        | HighsModelStatus::ReachedSolutionLimit
        | HighsModelStatus::ReachedInterrupt
        | HighsModelStatus::ReachedIterationLimit
        | HighsModelStatus::ObjectiveBound
        | HighsModelStatus::ObjectiveTarget => Ok(RunResult {
            status: if has_solution {
                status
            } else {
                HighsModelStatus::ReachedTimeLimit
            },
            objective: model.eval(&values, objective),
            values,
            bound,
        }),
        other => Err(SolveError::Highs(format!(
            "unexpected model status {other:?}"
        ))),
    }
}

enum OptionValue {
    Bool(bool),
    Float(f64),
    Int(i32),
}

//! The lexicographic stages of the whole model (or of a neighbourhood): each
//! priority in the contract's order, solved from the best roster so far, then
//! fixed for the stages below it.

use super::run::{run, Job, Outcome};
use super::{
    no_worse_than, upward, SolveError, Solved, SolverSettings, StageReport, StageStatus,
    PREFERENCE_GAP,
};
use crate::model::{Model, Objectives};
use crate::progress::Progress;
use good_lp::{Constraint, Expression, ObjectiveDirection};
use std::time::{Duration, Instant};

/// One stage: an objective, the share of the remaining time it may use, and how
/// HiGHS is asked for it.
struct Stage<'a> {
    name: &'static str,
    direction: ObjectiveDirection,
    objective: &'a good_lp::Expression,
    share: f64,
    /// Search targets between the LP bound and the best roster before optimizing.
    targets: bool,
    /// Relative gap at which the stage stops: 0 = prove optimality.
    rel_gap: f64,
    /// The stage that keeps last week's roster: it exists only with one.
    keeps_last_week: bool,
    /// The "clients met" stage, whose rosters and bound are reported as progress.
    counts_met: bool,
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

/// Every stage, with its share of the time and how HiGHS is asked for it.
fn stage_table(o: &Objectives) -> [Stage<'_>; 5] {
    [
        Stage {
            name: "clients met",
            direction: ObjectiveDirection::Maximisation,
            objective: &o.met,
            share: 0.45,
            targets: true,
            rel_gap: 0.0,
            keeps_last_week: false,
            counts_met: true,
        },
        Stage {
            name: "hours short",
            direction: ObjectiveDirection::Minimisation,
            objective: &o.short_minutes,
            share: 0.30,
            targets: true,
            rel_gap: 0.0,
            keeps_last_week: false,
            counts_met: false,
        },
        Stage {
            name: "days and appointments short",
            direction: ObjectiveDirection::Minimisation,
            objective: &o.short_rest,
            share: 0.15,
            targets: false,
            rel_gap: 0.0,
            keeps_last_week: false,
            counts_met: false,
        },
        Stage {
            name: "changes from last week",
            direction: ObjectiveDirection::Minimisation,
            objective: &o.changes,
            share: 0.30,
            targets: false,
            rel_gap: 0.0,
            keeps_last_week: true,
            counts_met: false,
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
            counts_met: false,
        },
    ]
}

/// Solves the whole model in lexicographic stages within the time limit, starting
/// from the roster `start` (column values; e.g. [`Model::start_values`]).
pub fn lexicographic(
    model: &Model,
    start: Vec<f64>,
    settings: &SolverSettings,
) -> Result<Solved, SolveError> {
    leading_stages(model, start, settings, None, usize::MAX)
}

/// The stages of [`lexicographic`] below "clients met", with the clients met
/// by `start` held (a "clients met" stage solved before, and its roster merged).
pub fn below_met(
    model: &Model,
    start: Vec<f64>,
    settings: &SolverSettings,
) -> Result<Solved, SolveError> {
    staged(model, start, settings, None, 1..usize::MAX)
}

/// The stages of [`lexicographic`] below "hours short" (with last week's
/// roster, the changes from it first), clients met and hours held at `start`'s.
pub fn below_hours(
    model: &Model,
    start: Vec<f64>,
    settings: &SolverSettings,
) -> Result<Solved, SolveError> {
    staged(model, start, settings, None, 2..usize::MAX)
}

/// The share of the time the "clients met" stage gets in [`lexicographic`].
pub fn met_share(model: &Model) -> f64 {
    let table = stage_table(&model.objectives);
    let stages = in_contract_order(&table, model.has_previous());
    stages[0].share / stages.iter().map(|s| s.share).sum::<f64>()
}

/// The first `count` stages of [`lexicographic`] only (the top priorities,
/// solved in all the time given: a neighbourhood that cannot improve them is not
/// worth the time of the stages below), with the "clients met" LP bound when known.
pub fn leading_stages(
    model: &Model,
    start: Vec<f64>,
    settings: &SolverSettings,
    met_bound: Option<f64>,
    count: usize,
) -> Result<Solved, SolveError> {
    staged(model, start, settings, met_bound, 0..count)
}

/// The stages in `range` (of the contract's order), the stages before it held
/// at the values of `start`.
fn staged(
    model: &Model,
    start: Vec<f64>,
    settings: &SolverSettings,
    met_bound: Option<f64>,
    range: std::ops::Range<usize>,
) -> Result<Solved, SolveError> {
    let deadline = Instant::now() + Duration::from_secs_f64(settings.time_limit.max(0.1));
    let table = stage_table(&model.objectives);
    let stages = in_contract_order(&table, model.has_previous());
    let held = range.start.min(stages.len());
    let mut fixed: Vec<Constraint> = stages[..held]
        .iter()
        .map(|stage| at_least(stage, model.eval(&start, stage.objective).round()))
        .collect();
    let end = range.end.min(settings.priorities).min(stages.len());
    let stages = &stages[held.min(end)..end];
    let mut values = start;
    let mut reports = Vec::new();
    for (i, stage) in stages.iter().enumerate() {
        let remaining = deadline
            .saturating_duration_since(Instant::now())
            .as_secs_f64();
        let shares_left: f64 = stages[i..].iter().map(|s| s.share).sum();
        let seconds = (remaining * stage.share / shares_left).max(0.05);
        let started = Instant::now();
        settings.report(|p| p.stage(stage.name));
        let known = met_bound.filter(|_| stage.counts_met);
        let step = Step {
            stage,
            then: stages.get(i + 1).copied(),
            fixed: &fixed,
        };
        let (best, report) = solve_stage(model, &step, values, seconds, known, settings)?;
        if stage.counts_met {
            settings.report(|p| report_met(p, &report));
        }
        values = best;
        // Later stages may not give back what this one achieved (integer objectives).
        fixed.push(at_least(stage, report.objective.round()));
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

/// The row "the stage's objective is `target` or better".
fn at_least(stage: &Stage, target: f64) -> Constraint {
    let maximize = stage.direction == ObjectiveDirection::Maximisation;
    no_worse_than(stage.objective, maximize, target)
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

/// A stage as it is solved: the rows fixed by the stages before it, and the
/// stage after it (whose objective a target at the proven bound optimizes).
struct Step<'s, 'a> {
    stage: &'s Stage<'a>,
    then: Option<&'s Stage<'a>>,
    fixed: &'s [Constraint],
}

/// The best roster a stage has found, its objective, and the best bound proven.
struct Found {
    values: Vec<f64>,
    objective: f64,
    proven: f64,
}

/// One stage: first the LP bound, then "find a roster at least this good" targets
/// from the bound outwards, then plain optimization from the best roster found.
/// A target at the bound lets HiGHS's primal heuristics find the optimum right
/// after presolve where plain maximization spends its time in root cuts; a target
/// proven infeasible moves the proven bound.
fn solve_stage(
    model: &Model,
    step: &Step,
    start: Vec<f64>,
    seconds: f64,
    known: Option<f64>,
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
    let (stage, fixed) = (step.stage, step.fixed);
    let mut found = Found {
        objective: model.eval(&start, stage.objective),
        values: start,
        proven: known.unwrap_or(f64::NAN),
    };
    if stage.targets {
        search_targets(model, step, &mut found, &left, settings)?;
    }
    if !reached(stage.direction, found.proven, found.objective) && left() > 0.05 {
        optimize(model, stage, fixed, &mut found, left(), settings)?;
    }
    let report = stage_report(stage, &found);
    Ok((found.values, report))
}

/// The LP bound, then targets stepping away from it while they are proven
/// infeasible or undecided; once a roster is found, bisection between it and
/// the bound.
fn search_targets(
    model: &Model,
    step: &Step,
    found: &mut Found,
    left: &dyn Fn() -> f64,
    settings: &SolverSettings,
) -> Result<(), SolveError> {
    let (stage, fixed) = (step.stage, step.fixed);
    let dir = stage.direction;
    let sign = upward(dir);
    if !found.proven.is_finite() {
        let lp = Relaxation {
            model,
            direction: dir,
            objective: stage.objective,
            fixed,
            reports_met: stage.counts_met,
        };
        found.proven = lp.bound(&found.values, left() * 0.3, settings)?;
    }
    let bisect = |proven: f64, best: f64| ((proven + best) / 2.0 * sign).ceil() * sign;
    let fold = folded(model, step);
    let mut stride = 1.0;
    let mut target = found.proven;
    // The first attempt, at the bound, usually decides the stage.
    let mut share = 0.8;
    while target.is_finite() && better(dir, target, found.objective) && left() > 0.05 {
        let at_bound = target == found.proven;
        let folding = fold.as_ref().filter(|_| at_bound);
        let objective = folding.unwrap_or(stage.objective);
        let mut job = Job::new(model, dir, objective, &found.values, left() * share);
        job.reports_met = stage.counts_met && folding.is_none();
        if at_bound && folding.is_none() {
            // A roster at the proven bound is the optimum: nothing to search after it
            // (300 clients: the run found it after 7 s, then went on for 5 s more).
            job.good_enough = Some(target);
        }
        share = 0.5;
        let rows: Vec<Constraint> = fixed
            .iter()
            .cloned()
            .chain([at_least(stage, target)])
            .collect();
        job.fixed = &rows;
        let result = run(&job, settings)?;
        if result.outcome == Outcome::Infeasible {
            // The optimum is usually near the bound: widen the step from it.
            found.proven = target - sign;
            target = found.proven - sign * (stride - 1.0);
            stride *= 2.0;
            if !better(dir, target, found.objective) {
                target = bisect(found.proven, found.objective);
            }
        } else if result.found {
            found.objective = model.eval(&result.values, stage.objective);
            found.values = result.values;
            if result.outcome == Outcome::Optimal {
                // Optimal with a row that only cuts worse rosters: the optimum.
                found.proven = found.objective;
            }
            target = bisect(found.proven, found.objective);
            stride = 1.0;
        } else {
            target -= sign * stride;
            stride *= 2.0;
        }
    }
    Ok(())
}

/// The objective of a target at the proven "clients met" bound in a part of
/// the search: any roster that reaches the bound is the stage's optimum, so the
/// run need not stop at the first one. Clients met, each worth more than every
/// minute short together, less the minutes short: the part's run then also
/// does the hours stage's work, without a presolve of its own (120 clients with
/// appointment kinds at 20 s: 69 met instead of 68, 8815 minutes short instead
/// of 12105). Not for the whole model: there HiGHS's feasibility jump, which
/// finds the rosters at the bound, often failed with this objective (120
/// clients at 20 s: the 99th client was lost in three runs of four).
fn folded(model: &Model, step: &Step) -> Option<Expression> {
    let then = step.then?;
    let hours = std::ptr::eq(then.objective, &model.objectives.short_minutes);
    if !model.is_part() || !step.stage.counts_met || !hours {
        return None;
    }
    let weight = model.most_short_minutes() + 1.0;
    Some(step.stage.objective.clone() * weight - then.objective.clone())
}

/// The LP relaxation of a stage objective under some fixed rows.
struct Relaxation<'a> {
    model: &'a Model<'a>,
    direction: ObjectiveDirection,
    objective: &'a good_lp::Expression,
    fixed: &'a [Constraint],
    /// Only the whole model's "clients met" runs report progress.
    reports_met: bool,
}

impl Relaxation<'_> {
    /// The bound the LP proves on the integral objective, NaN when it does not
    /// finish in `seconds`.
    fn bound(
        &self,
        start: &[f64],
        seconds: f64,
        settings: &SolverSettings,
    ) -> Result<f64, SolveError> {
        let sign = upward(self.direction);
        let mut lp = Job::new(self.model, self.direction, self.objective, start, seconds);
        lp.reports_met = self.reports_met;
        lp.fixed = self.fixed;
        lp.relaxation = true;
        let relaxed = run(&lp, settings)?;
        if relaxed.outcome != Outcome::Optimal {
            return Ok(f64::NAN);
        }
        // Integer objective: round the LP bound to the side it proves (with room
        // for the interior point method's tolerance).
        Ok((relaxed.objective * sign + 1e-3).floor() * sign)
    }
}

/// The LP bound on clients met of the whole model, or NaN when its LP does not
/// finish in `seconds`. Any model with the same columns and rows that only cut
/// off no roster (the pre-analysis's) has the same optimum, so the bound holds
/// for it too.
pub fn met_relaxation(
    model: &Model,
    seconds: f64,
    settings: &SolverSettings,
) -> Result<f64, SolveError> {
    let lp = Relaxation {
        model,
        direction: ObjectiveDirection::Maximisation,
        objective: &model.objectives.met,
        fixed: &[],
        reports_met: false,
    };
    lp.bound(&model.start_values(&[]), seconds, settings)
}

/// Plain optimization of the stage from the best roster found, for `seconds`.
fn optimize(
    model: &Model,
    stage: &Stage,
    fixed: &[Constraint],
    found: &mut Found,
    seconds: f64,
    settings: &SolverSettings,
) -> Result<(), SolveError> {
    let dir = stage.direction;
    let mut job = Job::new(model, dir, stage.objective, &found.values, seconds);
    job.fixed = fixed;
    job.rel_gap = stage.rel_gap;
    job.reports_met = stage.counts_met;
    let result = run(&job, settings)?;
    // An equally good roster is not taken: later stages (changes from last
    // week above all) prefer the one this stage started from.
    if result.found && better(dir, result.objective, found.objective) {
        found.objective = model.eval(&result.values, stage.objective);
        found.values = result.values;
    }
    if result.outcome == Outcome::Optimal {
        found.proven = found.objective;
    } else if result.bound.is_finite()
        && !(found.proven.is_finite() && better(dir, result.bound, found.proven))
    {
        found.proven = result.bound;
    }
    Ok(())
}

/// How the stage went.
fn stage_report(stage: &Stage, found: &Found) -> StageReport {
    let optimal = reached(stage.direction, found.proven, found.objective);
    let gap = (found.objective - found.proven).abs() / found.objective.abs().max(1.0);
    let status = if optimal {
        StageStatus::Optimal
    } else if stage.rel_gap > 0.0 && gap <= stage.rel_gap + 1e-9 {
        StageStatus::WithinGap
    } else {
        StageStatus::TimeLimit
    };
    StageReport {
        name: stage.name,
        status,
        objective: found.objective,
        bound: if optimal {
            found.objective
        } else {
            found.proven
        },
        seconds: 0.0,
        finished_at: 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::anytime::tests::{generated, settings};
    use crate::candidates::Candidates;
    use crate::model::{AloneBound, Fixed};

    /// Told the proven bound on clients met, a part's "clients met" stage returns
    /// a roster at that bound that is also as few hours short as any such roster
    /// can be, not the first roster it found at the bound.
    #[test]
    fn a_parts_target_at_the_met_bound_also_cuts_the_hours_short() {
        let program = generated(30, 5);
        let cands = Candidates::build(&program);
        let bounds = vec![AloneBound::UNKNOWN; program.clients.len()];
        let whole = Model::whole(&program, &cands, &bounds);
        // Ends once proven (about 30 s alone); the margin is for a busy machine.
        let proven = lexicographic(&whole, whole.start_values(&[]), &settings(180.0)).unwrap();
        let (met, hours) = (&proven.stages[0], &proven.stages[1]);
        assert_eq!(met.status, StageStatus::Optimal);
        assert_eq!(hours.status, StageStatus::Optimal);
        // Every client, around nothing fixed: a part with the whole model's optimum.
        let everyone: Vec<_> = program.client_ixs().collect();
        let nothing = Fixed::empty(cands.classes.len(), program.staff.len());
        let part = Model::part(&program, &cands, &bounds, &everyone, Some(nothing));
        let table = stage_table(&part.objectives);
        let step = Step {
            stage: &table[0],
            then: Some(&table[1]),
            fixed: &[],
        };
        let empty = part.start_values(&[]);
        let known = Some(met.objective);
        let (values, report) =
            solve_stage(&part, &step, empty, 60.0, known, &settings(60.0)).unwrap();
        assert_eq!(report.objective, met.objective);
        let short = part.eval(&values, &part.objectives.short_minutes);
        assert_eq!(short, hours.objective, "minutes short at the bound");
    }
}

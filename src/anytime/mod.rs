//! Good rosters at any time limit.
//!
//! 1. A strong start ([`greedy`]): clients planned one at a time, each exactly
//!    against what earlier clients left (or last week's roster repaired to this
//!    week), then groups below min_size repaired.
//! 2. Neighbourhood search ([`lns`]): a few clients re-planned at a time with HiGHS,
//!    improvements kept only in the contract's lexicographic order.
//! 3. When the time left allows the whole model's LP and presolve, the staged
//!    whole-model solve ([`crate::solve::lexicographic`]) starts from the best
//!    roster and proves what it can; otherwise the search goes on to the end.
//!
//! No step returns anything worse than what it was given.

mod greedy;
mod lns;
mod part;
mod scarcity;

use crate::model::{AloneBound, Model};
use crate::progress::Progress;
use crate::solve::{self, SolveError, Solved, SolverSettings, StageReport, StageStatus};
use part::Whole;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A wall-clock budget, cut short when a stop is asked for.
pub struct Budget {
    deadline: Instant,
    stop: Option<Arc<Progress>>,
}

impl Budget {
    pub fn until(deadline: Instant) -> Budget {
        Budget {
            deadline,
            stop: None,
        }
    }

    pub fn seconds(seconds: f64) -> Budget {
        Budget::until(Instant::now() + Duration::from_secs_f64(seconds.max(0.0)))
    }

    /// `settings.time_limit` from now, ending early on the settings' stop request.
    pub fn of(settings: &SolverSettings) -> Budget {
        Budget {
            stop: settings.progress.clone(),
            ..Budget::seconds(settings.time_limit)
        }
    }

    /// Seconds left (none once a stop is asked for).
    pub fn left(&self) -> f64 {
        if self.stop.as_ref().is_some_and(|p| p.stopped()) {
            return 0.0;
        }
        self.deadline
            .saturating_duration_since(Instant::now())
            .as_secs_f64()
    }

    /// A budget of `share` of the time left, within this one.
    pub fn share(&self, share: f64) -> Budget {
        Budget {
            stop: self.stop.clone(),
            ..Budget::seconds(self.left() * share)
        }
    }

    /// This budget's deadline, and its stop.
    fn same(&self) -> Budget {
        Budget {
            deadline: self.deadline,
            stop: self.stop.clone(),
        }
    }
}

/// The whole model's "clients met" LP bound, solved beside the start and the
/// search on a core they leave idle (they are sequential), and read without
/// waiting: the whole model's first stage then starts at its targets.
#[derive(Default)]
pub struct SpareBound(std::sync::OnceLock<f64>);

impl SpareBound {
    pub fn set(&self, bound: f64) {
        // Set once, by the one thread that solves it.
        let _ = self.0.set(bound);
    }

    /// The bound, once solved (and when its LP finished).
    pub fn get(&self) -> Option<f64> {
        self.0.get().copied().filter(|b| b.is_finite())
    }

    /// Solves the bound on a thread of `scope` (the model's counted bounds make
    /// a weaker LP than the pre-analysis's, but its bound holds for both), when its
    /// LP should finish in its share of `budget`.
    pub fn solve_beside<'scope, 'env: 'scope>(
        &'env self,
        scope: &'scope std::thread::Scope<'scope, 'env>,
        model: &'env Model<'env>,
        budget: &Budget,
        settings: &SolverSettings,
    ) {
        let seconds = budget.left() * SPARE_LP_SHARE;
        if model.num_columns() as f64 / LP_COLUMNS_PER_SECOND > SPARE_LP_FITS * seconds {
            return;
        }
        let quiet = settings.muted();
        scope.spawn(move || {
            // A failed LP only means no bound: the stages solve their own.
            if let Ok(bound) = solve::met_relaxation(model, seconds, &quiet) {
                self.set(bound);
            }
        });
    }

    /// The tighter of the pre-analysis's bound on clients met and this one.
    fn met_bound(&self, bounds: &[AloneBound]) -> f64 {
        let counted = met_bound(bounds);
        self.get().map_or(counted, |lp| lp.min(counted))
    }
}

/// Share of the part's time the LP bound beside the start may use: it must end
/// before the part does (the part waits for it).
const SPARE_LP_SHARE: f64 = 0.7;

/// Columns of the whole model the "clients met" LP (interior point, one thread)
/// gets through per second while the start runs beside it (measured: 66.6k in
/// 8.4 s, 81.8k in 10.3 s, 181k in 28 s).
const LP_COLUMNS_PER_SECOND: f64 = 6000.0;

/// The LP runs only when it should finish within this share of its time: one
/// that cannot finish only slows the start beside it (a 300-client site with
/// appointment kinds at 30 s: its start met 161 instead of 169).
const SPARE_LP_FITS: f64 = 0.85;

/// Whole-model columns HiGHS gets through per second of presolve and root LP
/// (measured on generated sites: about 8 s for 30k columns).
const COLUMNS_PER_SECOND: f64 = 4000.0;

/// A whole model whose estimated presolve and root LP take at most this share of
/// the time left is solved directly, without neighbourhood search.
const CHEAP_SHARE: f64 = 0.1;

/// Share of the time left after the start that the search gets before the
/// whole model, when the whole model is affordable.
const SEARCH_SHARE: f64 = 0.35;

/// The start roster: the exact one-client-at-a-time construction, or `quick` (a
/// rule-based roster) when that is better. Always obeys every hard rule that
/// `quick` obeys.
pub fn start(
    model: &Model,
    bounds: &[AloneBound],
    quick: Vec<f64>,
    budget: &Budget,
    settings: &SolverSettings,
) -> Result<Vec<f64>, SolveError> {
    let mut whole = Whole {
        model,
        values: model.start_values(&[]),
    };
    let order = greedy::order(model, bounds);
    greedy::construct(&mut whole, bounds, &order, budget, settings)?;
    let quick = Whole {
        model,
        values: quick,
    };
    if !model.satisfied(&whole.values) || lns::score(&quick) > lns::score(&whole) {
        return Ok(quick.values);
    }
    Ok(whole.values)
}

/// Improves the roster `values` until `settings.time_limit`: neighbourhood search,
/// then the whole model's stages when the time left allows them.
pub fn improve(
    model: &Model,
    bounds: &[AloneBound],
    values: Vec<f64>,
    settings: &SolverSettings,
    spare: &SpareBound,
) -> Result<Solved, SolveError> {
    let budget = Budget::of(settings);
    let mut whole = Whole { model, values };
    let cost = model.num_columns() as f64 / COLUMNS_PER_SECOND;
    if cost <= CHEAP_SHARE * budget.left() {
        // The whole model proves this quickly: search would only make the result
        // depend on how far it got.
        return solve::lexicographic_from_bound(model, whole.values, settings, spare.get());
    }
    let affordable = budget.left() * (1.0 - SEARCH_SHARE) >= cost;
    let search = if affordable {
        budget.share(SEARCH_SHARE)
    } else {
        budget.same()
    };
    let started = Instant::now();
    settings.report(|p| p.stage("neighbourhood search"));
    lns::improve(&mut whole, bounds, &search, settings)?;
    // A search that gave up early (nothing improved for a while) leaves its time
    // to the whole model when its LP fits in what is left: it may still improve
    // the roster, and it proves a bound (a 300-client site stopped searching at
    // 14 s of 30 and left the rest unused).
    let gave_up = search.left() > 0.5 && budget.left() >= cost;
    if (affordable || gave_up) && budget.left() > 0.1 {
        let rest = SolverSettings {
            time_limit: budget.left(),
            ..settings.clone()
        };
        let mut solved = solve::lexicographic_from_bound(model, whole.values, &rest, spare.get())?;
        keep_analysis_bound(&mut solved.stages, spare.met_bound(bounds));
        return Ok(solved);
    }
    let stages = search_reports(&whole, bounds, spare, started.elapsed().as_secs_f64());
    Ok(Solved {
        values: whole.values,
        stages,
    })
}

/// When the whole model's "clients met" stage proved no bound in its time (its LP
/// did not finish), `bound` (from the pre-analysis: clients who could meet their
/// level alone) still holds.
fn keep_analysis_bound(stages: &mut [StageReport], bound: f64) {
    if let Some(met) = stages.first_mut().filter(|s| !s.bound.is_finite()) {
        met.bound = bound;
    }
}

/// The pre-analysis's bound on clients met: those who could meet their level alone.
fn met_bound(bounds: &[AloneBound]) -> f64 {
    bounds.iter().filter(|b| b.can_meet).count() as f64
}

/// Stage reports for a roster found by search alone. Bounds come from the
/// pre-analysis (and on clients met from the spare LP when it finished): clients
/// who can meet their level at all, and the fewest minutes
/// each must be short; a priority that reaches its bound is proven.
fn search_reports(
    whole: &Whole,
    bounds: &[AloneBound],
    spare: &SpareBound,
    seconds: f64,
) -> Vec<StageReport> {
    let model = whole.model;
    let minutes_bound: f64 = bounds.iter().map(|b| b.min_short_minutes).sum();
    let mut reports = Vec::new();
    let mut proven_so_far = true;
    for (i, (name, objective)) in solve::stage_names(model).into_iter().enumerate() {
        let value = model.eval(&whole.values, objective);
        let bound = match i {
            0 => spare.met_bound(bounds),
            1 if proven_so_far => minutes_bound,
            _ => f64::NAN,
        };
        let proven = proven_so_far && (value - bound).abs() < 0.5;
        proven_so_far &= proven;
        reports.push(StageReport {
            name,
            status: if proven {
                StageStatus::Optimal
            } else {
                StageStatus::TimeLimit
            },
            objective: value,
            bound: if proven { value } else { bound },
            seconds: if i == 0 { seconds } else { 0.0 },
            finished_at: 0.0,
        });
    }
    reports
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::candidates::Candidates;
    use crate::domain::{ClientIx, Program};
    use crate::generate::{write_program, GenerateSpec};
    use crate::input::{load, LoadSettings};
    use crate::time::Interval;

    fn generated(clients: usize, seed: u64) -> Program {
        let dir = tempfile::tempdir().unwrap();
        let spec = GenerateSpec {
            clients,
            sites: 1,
            seed,
            messy: false,
            kinds: false,
        };
        write_program(&spec, dir.path()).unwrap();
        let monday = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        load(dir.path(), monday, &LoadSettings::default()).unwrap()
    }

    /// Once every client is planned, nobody's need is left to price: seats cost
    /// nothing, and appointments cost only the slivers of staff time they leave.
    #[test]
    fn a_planned_clients_need_no_longer_prices_anything() {
        let program = generated(12, 4);
        let cands = Candidates::build(&program);
        let bounds = vec![AloneBound::UNKNOWN; program.clients.len()];
        let model = Model::whole(&program, &cands, &bounds);
        let mut demand = scarcity::Demand::of(&model);
        let fixed = crate::model::Fixed::empty(cands.classes.len(), program.staff.len());
        let before = scarcity::Demand::prices(Some(&demand), &model, ClientIx(0), &fixed);
        assert!(before.class.iter().any(|&p| p > 0.0));
        for c in program.client_ixs() {
            demand.remove(&model, c);
        }
        let after = scarcity::Demand::prices(Some(&demand), &model, ClientIx(0), &fixed);
        assert!(after.class.iter().all(|&p| p == 0.0));
        let pairs = before.appointments.iter().zip(&after.appointments);
        assert!(pairs.clone().all(|((_, b), (_, a))| a <= b));
        assert!(pairs.clone().any(|((_, b), (_, a))| a < b));
        for (a, price) in &after.appointments {
            let shortest = program.kinds.iter().map(|k| k.minutes).min().unwrap();
            assert_eq!(*price, scarcity::waste(&model, &fixed, a, shortest));
        }
    }

    /// An appointment right after a staff member's booking wastes nothing; one
    /// that leaves a gap shorter than any appointment wastes it.
    #[test]
    fn an_appointment_that_leaves_a_sliver_of_staff_time_costs_more() {
        let program = generated(12, 4);
        let cands = Candidates::build(&program);
        let bounds = vec![AloneBound::UNKNOWN; program.clients.len()];
        let model = Model::whole(&program, &cands, &bounds);
        let shortest = program.kinds.iter().map(|k| k.minutes).min().unwrap();
        let a = cands.clients[0].appointments[0];
        let mut fixed = crate::model::Fixed::empty(cands.classes.len(), program.staff.len());
        let block = program
            .staff(a.staff)
            .availability
            .iter()
            .find(|b| b.contains(a.interval))
            .copied()
            .unwrap();
        // A booking ending right where `a` starts, and one 10 minutes after it ends
        // (or the block's end, when nearer).
        if a.interval.start() > block.start() {
            let before = Interval::starting_at(block.start(), a.interval.start() - block.start());
            fixed.book(a.staff, before.unwrap(), false);
        }
        let snug = scarcity::waste(&model, &fixed, &a, shortest);
        let after_end = a.interval.end() + 10;
        if after_end < block.end() {
            let after = Interval::starting_at(after_end, block.end() - after_end).unwrap();
            fixed.book(a.staff, after, false);
        }
        let sliver = scarcity::waste(&model, &fixed, &a, shortest);
        assert!(snug < sliver, "snug {snug}, with a sliver {sliver}");
    }

    /// Counting never claims more than solving each client alone proves, and it
    /// does find the clients whose therapist is away all week.
    #[test]
    fn counted_bounds_never_exceed_the_solved_ones() {
        let dir = tempfile::tempdir().unwrap();
        let spec = GenerateSpec {
            clients: 40,
            sites: 1,
            seed: 3,
            messy: false,
            kinds: true,
        };
        write_program(&spec, dir.path()).unwrap();
        // Every other therapist away: their clients get no individual session.
        let staff = std::fs::read_to_string(dir.path().join("staff.csv")).unwrap();
        let away: Vec<String> = staff
            .lines()
            .filter(|l| l.split(',').nth(1) == Some("therapist"))
            .step_by(2)
            .map(|l| format!("{},", l.split(',').next().unwrap()))
            .collect();
        let path = dir.path().join("staff_availability.csv");
        let text = std::fs::read_to_string(&path).unwrap();
        let kept: Vec<&str> = text
            .lines()
            .filter(|l| !away.iter().any(|t| l.starts_with(t.as_str())))
            .collect();
        std::fs::write(&path, kept.join("\n") + "\n").unwrap();
        let monday = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let program = load(dir.path(), monday, &LoadSettings::default()).unwrap();
        let cands = Candidates::build(&program);
        let everyone = vec![true; program.clients.len()];
        let solved =
            solve::alone_bounds(&program, &cands, &everyone, 60.0, &settings(60.0)).unwrap();
        let mut hopeless = 0;
        for (c, exact) in solved.iter().enumerate() {
            let counted = AloneBound::counted(&program, &cands, ClientIx(c));
            assert!(counted.can_meet || !exact.can_meet, "client {c}");
            assert!(
                counted.min_short_minutes <= exact.min_short_minutes + 1e-6,
                "client {c}"
            );
            hopeless += usize::from(!counted.can_meet);
        }
        assert!(hopeless > 0, "the therapists' absence shows in the count");
    }

    fn settings(seconds: f64) -> SolverSettings {
        SolverSettings {
            time_limit: seconds,
            ..SolverSettings::default()
        }
    }

    /// Each stage of the whole model, and the search, given very little time, hands
    /// on a roster at least as good as the one it started from.
    #[test]
    fn no_stage_returns_worse_than_its_start() {
        let program = generated(40, 7);
        let cands = Candidates::build(&program);
        let bounds = vec![AloneBound::UNKNOWN; program.clients.len()];
        let model = Model::whole(&program, &cands, &bounds);
        let empty = model.start_values(&[]);
        let start = start(
            &model,
            &bounds,
            empty,
            &Budget::seconds(30.0),
            &settings(30.0),
        )
        .unwrap();
        assert!(model.satisfied(&start));
        let before = Whole {
            model: &model,
            values: start.clone(),
        };
        let start_score = lns::score(&before);
        for limit in [0.05, 0.3, 1.0] {
            let staged = solve::lexicographic(&model, start.clone(), &settings(limit)).unwrap();
            assert!(model.satisfied(&staged.values));
            for (report, (_, objective)) in staged.stages.iter().zip(solve::stage_names(&model)) {
                let was = model.eval(&start, objective);
                let maximize = std::ptr::eq(objective, &model.objectives.met);
                let worse = if maximize {
                    report.objective < was - 0.5
                } else {
                    report.objective > was + 0.5
                };
                // Later stages may trade their own value for earlier priorities.
                if worse {
                    let staged_whole = Whole {
                        model: &model,
                        values: staged.values.clone(),
                    };
                    assert!(lns::score(&staged_whole) > start_score, "{}", report.name);
                }
            }
            let spare = SpareBound::default();
            let searched =
                improve(&model, &bounds, start.clone(), &settings(limit), &spare).unwrap();
            assert!(model.satisfied(&searched.values));
            let after = Whole {
                model: &model,
                values: searched.values,
            };
            assert!(lns::score(&after) >= start_score, "limit {limit}");
        }
    }

    /// The start is built client by client against what earlier clients left, then
    /// repaired: it obeys every hard rule, min_size included.
    #[test]
    fn the_start_obeys_every_rule_and_meets_most_clients() {
        let program = generated(60, 3);
        let cands = Candidates::build(&program);
        let bounds = vec![AloneBound::UNKNOWN; program.clients.len()];
        let model = Model::whole(&program, &cands, &bounds);
        let rules = crate::heuristic::construct(&program, &cands, &bounds, &model);
        let quick = model.start_values(&rules);
        let quick_met = model.eval(&quick, &model.objectives.met);
        let empty = model.start_values(&[]);
        let start = start(
            &model,
            &bounds,
            empty,
            &Budget::seconds(60.0),
            &settings(60.0),
        )
        .unwrap();
        assert!(model.satisfied(&start));
        let met = model.eval(&start, &model.objectives.met);
        // Planning each client exactly beats placing them by rules of thumb.
        assert!(met > quick_met, "{met} met, rule-based start {quick_met}");
    }
}

//! Good rosters at any time limit.
//!
//! 1. A strong start ([`greedy`]): clients planned one at a time, each exactly
//!    against what earlier clients left (or last week's roster repaired to this
//!    week), then groups below min_size repaired.
//! 2. Neighbourhood search ([`lns`]): a few clients re-planned at a time with HiGHS,
//!    improvements kept only in the contract's lexicographic order.
//! 3. When the time left allows the whole model's LP and presolve, its "clients
//!    met" stage starts from the best roster; a roster of its own that meets more
//!    clients is merged with the one it started from ([`merge`]), and the stages
//!    below run from there (the whole model's, or the search's when they would
//!    not fit). Otherwise the search goes on to the end.
//! 4. With last week's roster, the final roster is merged with it: moves that buy
//!    neither clients met nor hours are undone.
//!
//! No step returns anything worse than what it was given.

mod greedy;
mod lns;
mod merge;
mod part;
mod scarcity;
mod shares;
mod spare;

use crate::model::{AloneBound, Model};
use crate::progress::Progress;
use crate::solve::{self, SolveError, Solved, SolverSettings, StageReport, StageStatus};
pub use greedy::SecondCore;
use greedy::{How, LastWeek};
use part::Whole;
pub use shares::Shares;
pub use spare::SpareBound;
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

    /// A budget that ends `seconds` before this one.
    fn leaving(&self, seconds: f64) -> Budget {
        Budget {
            stop: self.stop.clone(),
            ..Budget::seconds(self.left() - seconds)
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

/// Columns of the whole model the "clients met" LP (interior point, one thread)
/// gets through per second while the start runs beside it (measured: 66.6k in
/// 8.4 s, 81.8k in 10.3 s, 181k in 28 s).
const LP_COLUMNS_PER_SECOND: f64 = 6000.0;

/// Whole-model columns HiGHS gets through per second of presolve and root LP
/// (measured on generated sites: about 8 s for 30k columns).
const COLUMNS_PER_SECOND: f64 = 4000.0;

/// A whole model whose estimated presolve and root LP take at most this share of
/// the time left is solved directly, without neighbourhood search.
const CHEAP_SHARE: f64 = 0.1;

/// Whether the whole model's stages prove a roster well within `budget`: then
/// they run directly, from start to end, the same way every time.
fn cheap(model: &Model, budget: &Budget) -> bool {
    model.num_columns() as f64 / COLUMNS_PER_SECOND <= CHEAP_SHARE * budget.left()
}

/// Share of the time left after the start that the search gets before the
/// whole model, when the whole model is affordable.
const SEARCH_SHARE: f64 = 0.35;

/// The start roster: the exact one-client-at-a-time construction, or `quick` (a
/// rule-based roster) when that is better. Always obeys every hard rule that
/// `quick` obeys. With `second_core`, two clients are planned at once while
/// it answers that a second core is free.
pub fn start(
    model: &Model,
    bounds: &[AloneBound],
    quick: Vec<f64>,
    budget: &Budget,
    settings: &SolverSettings,
    second_core: SecondCore,
) -> Result<Vec<f64>, SolveError> {
    let began = Instant::now();
    let order = greedy::order(model, bounds);
    let quick = Whole {
        model,
        values: quick,
    };
    let plan = |last_week: LastWeek, second_core: SecondCore| {
        let mut whole = Whole {
            model,
            values: model.start_values(&[]),
        };
        let how = How {
            last_week,
            second_core,
        };
        greedy::construct(&mut whole, &quick, bounds, &order, budget, settings, how)?;
        Ok::<_, SolveError>(whole)
    };
    let worse = |w: &Whole| !model.satisfied(&w.values) || lns::score(&quick) > lns::score(w);
    let whole = if model.has_previous() && second_core() {
        // Both ways at once, one on each core: keeping a poor last week took
        // 3 s of a 5 s limit on an independent generator's sites, and left no
        // time to plan again (split site: 86 met; planned again, 110).
        let alone: SecondCore = &|| false;
        let (kept, fresh) = rayon::join(
            || plan(LastWeek::Kept, alone),
            || plan(LastWeek::Preferred, alone),
        );
        let kept = kept?;
        if worse(&kept) || far_from_bound(&kept, bounds) {
            better_start(fresh?, kept)
        } else {
            kept
        }
    } else {
        let kept = plan(LastWeek::Kept, second_core)?;
        if model.has_previous() && (worse(&kept) || replan_all(&kept, bounds, began, budget)) {
            // Last week's roster, kept, is worse than a rule-based one or far
            // from the clients-met bound (a hand-made week that left many
            // clients short): plan everyone again, each still preferring last
            // week's items after their own level and hours (an independent
            // generator's scarce site met 70 with last week at 10 s, 87 now,
            // 88 without last week). Planning as if there were no last week
            // met 88 there but moved nearly everyone, and on another site left
            // the search too little to undo it: 114 met instead of 117.
            better_start(plan(LastWeek::Preferred, second_core)?, kept)
        } else {
            kept
        }
    };
    if worse(&whole) {
        return Ok(quick.values);
    }
    Ok(whole.values)
}

/// The start planned again (`fresh`) when it obeys every rule and is better
/// than the one kept from last week (or that one does not obey them).
fn better_start<'a, 'p>(fresh: Whole<'a, 'p>, kept: Whole<'a, 'p>) -> Whole<'a, 'p> {
    let model = kept.model;
    let better = !model.satisfied(&kept.values) || lns::score(&fresh) > lns::score(&kept);
    if model.satisfied(&fresh.values) && better {
        fresh
    } else {
        kept
    }
}

/// Clients met that last week's roster, kept, may fall short of the
/// clients-met bound by, as a share of the clients, before the start plans
/// everyone again.
const KEPT_SHORTFALL: f64 = 0.02;

/// Whether the start kept from last week (`kept`, which took since `began`)
/// meets so many fewer clients than the bound that planning everyone again is
/// worth its time: on an independent generator's sites whose last week came
/// from a plain greedy, the start kept 85, 96 and 113 where the bound was 112,
/// 118 and 120, and planning again met 106, 114 and 119 in about as long again.
/// A re-plan that cannot finish in the time left is not begun.
fn replan_all(kept: &Whole, bounds: &[AloneBound], began: Instant, budget: &Budget) -> bool {
    far_from_bound(kept, bounds) && budget.left() >= began.elapsed().as_secs_f64()
}

/// Whether `kept` meets fewer clients than the bound by more than
/// [`KEPT_SHORTFALL`] of the clients.
fn far_from_bound(kept: &Whole, bounds: &[AloneBound]) -> bool {
    let clients = kept.model.clients.len() as f64;
    let met = lns::score(kept)[0];
    met + (KEPT_SHORTFALL * clients).max(1.0) < met_bound(bounds)
}

/// Share of the time limit kept, with last week's roster, for merging the
/// final roster with last week's ([`merge`]): the search moves a client for any
/// gain in hours, and parts cannot see that a move elsewhere made it needless.
const POLISH_SHARE: f64 = 0.05;
/// Most seconds kept for that merge (the merged model is small).
const POLISH_SECONDS: f64 = 2.0;

/// Improves the roster `values` until `settings.time_limit`: neighbourhood search,
/// then the whole model's stages when the time left allows them; with last
/// week's roster, the result merged with it.
pub fn improve(
    model: &Model,
    bounds: &[AloneBound],
    values: Vec<f64>,
    settings: &SolverSettings,
    spare: &SpareBound,
) -> Result<Solved, SolveError> {
    if !model.has_previous() {
        return improve_within(model, bounds, values, settings, spare);
    }
    let budget = Budget::of(settings);
    let reserve = (settings.time_limit * POLISH_SHARE).clamp(merge::MIN_SECONDS, POLISH_SECONDS);
    if settings.time_limit < 2.0 * reserve {
        // Too little time to merge as well as search.
        return improve_within(model, bounds, values, settings, spare);
    }
    let within = SolverSettings {
        time_limit: (settings.time_limit - reserve).max(0.0),
        ..settings.clone()
    };
    let solved = improve_within(model, bounds, values, &within, spare)?;
    let polished = merge::merged(model, bounds, &[&solved.values], budget.left(), settings)?;
    Ok(reevaluated(model, solved, polished))
}

/// `solved` with the roster `values`, at least as good: each stage's objective
/// read from it, and proven where it reaches the stage's bound.
fn reevaluated(model: &Model, mut solved: Solved, values: Vec<f64>) -> Solved {
    for (report, (_, objective)) in solved.stages.iter_mut().zip(solve::stage_names(model)) {
        report.objective = model.eval(&values, objective);
        if (report.objective - report.bound).abs() < 0.5 {
            report.status = StageStatus::Optimal;
        } else if report.status == StageStatus::Optimal {
            // Proven for the roster before, below priorities that moved since.
            report.status = StageStatus::TimeLimit;
            report.bound = f64::NAN;
        }
    }
    solved.values = values;
    solved
}

/// [`improve`], without the final merge.
fn improve_within(
    model: &Model,
    bounds: &[AloneBound],
    values: Vec<f64>,
    settings: &SolverSettings,
    spare: &SpareBound,
) -> Result<Solved, SolveError> {
    let budget = Budget::of(settings);
    let mut whole = Whole { model, values };
    let cost = model.num_columns() as f64 / COLUMNS_PER_SECOND;
    if cheap(model, &budget) {
        // The whole model proves this quickly: search would only make the result
        // depend on how far it got (and no LP ran beside the start). Its "clients
        // met" roster is merged with the start like any other: the stages below,
        // from that roster as it was, ended an independent generator's scarce
        // site at 60 s 19560 minutes short (bound 1428) instead of 1480.
        return whole_model(whole, bounds, &budget, spare, settings);
    }
    let affordable = budget.left() * (1.0 - SEARCH_SHARE) >= cost;
    let (search, latest) = if affordable {
        (budget.share(SEARCH_SHARE), budget.leaving(cost))
    } else {
        (budget.same(), budget.same())
    };
    let started = Instant::now();
    settings.report(|p| p.stage("neighbourhood search"));
    // The search goes on past its share while the tighter LP bound is being
    // solved beside it (and the whole model still fits after it): a first stage
    // with the tighter bound finds the optimum where the looser one is stuck
    // proving an infeasible target (400 clients at 60 s: the bound was ready 2 s
    // after the stage began).
    let enough = || search.left() <= 0.1 && !spare.pending();
    let second_core = || spare.core_free();
    let met_bound = || spare.met_bound(bounds);
    let watch = lns::Watch {
        enough: &enough,
        met_bound: &met_bound,
    };
    lns::improve(
        &mut whole,
        bounds,
        &latest,
        &watch,
        settings,
        0,
        &second_core,
    )?;
    // A search that gave up early (nothing improved for a while) leaves its time
    // to the whole model when its LP fits in what is left: it may still improve
    // the roster, and it proves a bound (a 300-client site stopped searching at
    // 14 s of 30 and left the rest unused).
    let gave_up = search.left() > 0.5 && budget.left() >= cost;
    if (affordable || gave_up) && budget.left() > 0.1 {
        return whole_model(whole, bounds, &budget, spare, settings);
    }
    // `met_bound` is read again after the search: the LP beside it may end
    // during the search.
    let search = Search {
        bounds,
        budget: &budget,
        met_bound: &met_bound,
        second_core: &second_core,
        started,
    };
    search.finish(whole, settings)
}

/// The search after its first share, to the end of the budget.
struct Search<'s> {
    bounds: &'s [AloneBound],
    budget: &'s Budget,
    met_bound: &'s dyn Fn() -> f64,
    second_core: SecondCore<'s>,
    /// When the search began (for its stage report).
    started: Instant,
}

impl Search<'_> {
    /// Searches on ([`search_on`]); once clients met and hours are proven and
    /// two whole-model runs fit in the time left, the whole model's stages
    /// below them use that time (before, the search stopped there). With last
    /// week's roster they decide the changes from it: neighbourhoods seldom
    /// hold a chain of moves undone at once (an independent generator's site
    /// re-solved at 30 s: 30 other clients moved instead of 45).
    fn finish(&self, mut whole: Whole, settings: &SolverSettings) -> Result<Solved, SolveError> {
        let model = whole.model;
        let below_wanted = settings.priorities > 2;
        let settle = || below_wanted && settle_affordable(model, self.budget);
        search_on(&mut whole, self, &settle, settings)?;
        let mut stages = search_reports(
            &whole,
            self.bounds,
            (self.met_bound)(),
            self.started.elapsed().as_secs_f64(),
        );
        if !(proven(&stages, 2) && settle()) {
            return Ok(Solved {
                values: whole.values,
                stages,
            });
        }
        let within = SolverSettings {
            time_limit: self.budget.left(),
            ..settings.clone()
        };
        let below = solve::below_hours(model, whole.values, &within)?;
        stages.truncate(2);
        stages.extend(below.stages);
        Ok(Solved {
            values: below.values,
            stages,
        })
    }
}

/// Whether the first `n` of `reports` are proven.
fn proven(reports: &[StageReport], n: usize) -> bool {
    (reports.iter().take(n)).all(|r| r.status == StageStatus::Optimal)
}

/// Whole-model runs the time left must hold for the stages below hours to run
/// on the whole model: the changes stage's LP and its search.
const RUNS_SETTLE: f64 = 2.0;

/// Whether the whole model's stages below hours fit in what is left of `budget`.
fn settle_affordable(model: &Model, budget: &Budget) -> bool {
    budget.left() >= RUNS_SETTLE * run_below_seconds(model)
}

/// Rounds of search in a row that may improve nothing before the search stops.
const FRUITLESS_ROUNDS: usize = 3;

/// A search that gave up with time left, and no time for the whole model, starts
/// over with other neighbourhoods until the time is up or its first priorities
/// reach their bounds (a 300-client site with scarce therapists stopped at 22 s
/// of 30), or clients met and hours do and `settle` (the whole model takes
/// over). The changes from last week, one of the first priorities when there
/// is one, have no bound: the search goes on for them while it improves.
fn search_on(
    whole: &mut Whole,
    search: &Search,
    settle: &dyn Fn() -> bool,
    settings: &SolverSettings,
) -> Result<(), SolveError> {
    let (budget, bounds) = (search.budget, search.bounds);
    let (mut round, mut fruitless) = (0, 0);
    while budget.left() > 0.5 && fruitless < FRUITLESS_ROUNDS {
        let reports = search_reports(whole, bounds, (search.met_bound)(), 0.0);
        let first = solve::top_priorities(whole.model).min(settings.priorities);
        if proven(&reports, first) || (proven(&reports, 2) && settle()) {
            break;
        }
        round += 1;
        let watch = lns::Watch {
            enough: &|| false,
            met_bound: search.met_bound,
        };
        let second_core = search.second_core;
        let improved = lns::improve(whole, bounds, budget, &watch, settings, round, second_core)?;
        fruitless = if improved > 0 { 0 } else { fruitless + 1 };
    }
    Ok(())
}

/// Share of the time left that the whole model's "clients met" stage gets when
/// the search does the stages below it.
const MET_SHARE: f64 = 0.5;

/// Share of the time left that merging the stage's roster with the one it
/// started from may take (the merged model usually proves in well under it).
const MERGE_SHARE: f64 = 0.2;

/// Whole-model runs (presolve and root LP each) that the time left after the
/// "clients met" stage must hold for the whole model to do the stages below:
/// the hours stage alone needs two (its LP, then its target), and gets about
/// half of that time. With less, its runs end in presolve and the search does
/// better (120 clients at 20 s: 6410 minutes short where the whole model's
/// stages left 15960; scarce therapists: 24840 instead of 36330).
const RUNS_BELOW: f64 = 3.0;

/// Seconds a whole-model run of a stage below "clients met" takes before it
/// searches (presolve and root LP), growing faster than the model: measured
/// about 3 s at 22k columns (120 clients) and 14 s at 66.6k (300 clients).
fn run_below_seconds(model: &Model) -> f64 {
    (model.num_columns() as f64 / 10_000.0).powf(1.4)
}

/// The whole model's stages from the best roster so far. Its "clients met"
/// stage's roster, which may move anyone, is merged with the one it started
/// from ([`merge`]). When the time left would not hold the runs of the stages
/// below, the search does them instead: a whole-model run at that size ends in
/// presolve, while the search still improves (300 clients at 60 s: the stage
/// met 257, proven, but the hours stage left its roster 552 h short).
fn whole_model(
    mut whole: Whole,
    bounds: &[AloneBound],
    budget: &Budget,
    spare: &SpareBound,
    settings: &SolverSettings,
) -> Result<Solved, SolveError> {
    let model = whole.model;
    let within = |seconds: f64| SolverSettings {
        time_limit: seconds,
        ..settings.clone()
    };
    let below = budget.left() * (1.0 - MET_SHARE) >= RUNS_BELOW * run_below_seconds(model);
    let share = if below {
        solve::met_share(model)
    } else {
        MET_SHARE
    };
    let first = within(budget.left() * share);
    let met = solve::leading_stages(model, whole.values.clone(), &first, spare.get(), 1)?;
    let count = |values: &[f64]| model.eval(values, &model.objectives.met);
    // The stage hands on a roster of its own only when it meets more clients.
    whole.values = if count(&met.values) > count(&whole.values) + 0.5 {
        let rosters = [whole.values.as_slice(), met.values.as_slice()];
        let seconds = budget.left() * MERGE_SHARE;
        merge::merged(model, bounds, &rosters, seconds, settings)?
    } else {
        met.values
    };
    let mut met_report = met.stages[0].clone();
    met_report.objective = model.eval(&whole.values, &model.objectives.met);
    if below {
        let solved = solve::below_met(model, whole.values, &within(budget.left()))?;
        let mut stages = vec![met_report];
        stages.extend(solved.stages);
        keep_best_bound(&mut stages, spare.met_bound(bounds));
        return Ok(Solved {
            values: solved.values,
            stages,
        });
    }
    let started = Instant::now();
    settings.report(|p| p.stage("neighbourhood search"));
    let met_bound = || met_report.bound.min(spare.met_bound(bounds));
    let second_core = || spare.core_free();
    let search = Search {
        bounds,
        budget,
        met_bound: &met_bound,
        second_core: &second_core,
        started,
    };
    let mut solved = search.finish(whole, settings)?;
    solved.stages[0].seconds += met_report.seconds;
    Ok(solved)
}

/// The whole model's "clients met" stage may end with a looser bound than
/// `bound` (the pre-analysis's, or the LP beside it that finished during the
/// stage), or none when its own LP did not finish: the best bound proven holds.
fn keep_best_bound(stages: &mut [StageReport], bound: f64) {
    let Some(met) = stages.first_mut() else {
        return;
    };
    // NaN (no bound of its own) gives way too.
    if met.bound.is_nan() || met.bound > bound {
        met.bound = bound;
    }
    if met.status == StageStatus::TimeLimit && met.bound < met.objective + 0.5 {
        met.status = StageStatus::Optimal;
        met.bound = met.objective;
    }
}

/// The pre-analysis's bound on clients met: those who could meet their level alone.
pub(crate) fn met_bound(bounds: &[AloneBound]) -> f64 {
    bounds.iter().filter(|b| b.can_meet).count() as f64
}

/// Stage reports for a roster found by search. Bounds: `met_bound` on clients
/// met, and from the pre-analysis the fewest minutes
/// each must be short; a priority that reaches its bound is proven.
fn search_reports(
    whole: &Whole,
    bounds: &[AloneBound],
    met_bound: f64,
    seconds: f64,
) -> Vec<StageReport> {
    let model = whole.model;
    let minutes_bound: f64 = bounds.iter().map(|b| b.min_short_minutes).sum();
    let mut reports = Vec::new();
    let mut proven_so_far = true;
    for (i, (name, objective)) in solve::stage_names(model).into_iter().enumerate() {
        let value = model.eval(&whole.values, objective);
        let bound = match i {
            0 => met_bound,
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
pub(crate) mod tests {
    use super::*;
    use crate::candidates::Candidates;
    use crate::domain::{ClientIx, Program};
    use crate::generate::{write_program, GenerateSpec};
    use crate::input::{load, LoadSettings};
    use crate::time::Interval;

    /// The rule-based roster of `model` (what the pipeline hands the start).
    pub(crate) fn rule_based(model: &Model, bounds: &[AloneBound]) -> Vec<f64> {
        let (program, cands) = (model.program(), model.cands());
        model.start_values(&crate::heuristic::construct(program, cands, bounds, model))
    }

    pub(crate) fn generated(clients: usize, seed: u64) -> Program {
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

    /// A small generated program whose staff work at most 600 minutes a week
    /// and give at most one individual session a day.
    fn with_staff_limits() -> Program {
        let mut program = generated(12, 4);
        for staff in &mut program.staff {
            staff.max_weekly_minutes = Some(600);
            staff.max_individual_per_day = Some(1);
        }
        program
    }

    /// A one-client model offers no appointment with a staff member whose fixed
    /// work fills their weekly hours, nor an individual session on a day their
    /// fixed individual sessions fill; the others stay offered.
    #[test]
    fn staff_whose_fixed_work_leaves_no_room_are_offered_nothing_more() {
        let program = with_staff_limits();
        let cands = Candidates::build(&program);
        let bounds = vec![AloneBound::UNKNOWN; program.clients.len()];
        let offered = |fixed: crate::model::Fixed| {
            let part = Model::part(&program, &cands, &bounds, &[ClientIx(0)], Some(fixed));
            let cv = &part.clients[0];
            cv.appointments.iter().map(|(a, _)| *a).collect::<Vec<_>>()
        };
        let empty = || crate::model::Fixed::empty(cands.classes.len(), program.staff.len());
        let all = offered(empty());
        let individual = program.individual_kind().expect("individual therapy");
        let a = *all
            .iter()
            .find(|a| a.kind == individual)
            .expect("one offered");
        let mut full_week = empty();
        full_week.staff_minutes[a.staff] = 600;
        let left = offered(full_week);
        assert!(left.iter().all(|b| b.staff != a.staff));
        assert!(all.iter().any(|b| b.staff != a.staff) && !left.is_empty());
        let mut full_day = empty();
        full_day.individual_per_day[a.staff][a.interval.day().index()] = 1;
        let left = offered(full_day);
        let same_day = |b: &&crate::candidates::Appointment| {
            b.staff == a.staff && b.kind == individual && b.interval.day() == a.interval.day()
        };
        assert!(!left.iter().any(|b| same_day(&b)));
        assert!(left.len() < all.len() && !left.is_empty());
    }

    /// A staff member whose fixed work leaves less than a session's length of
    /// their weekly hours is no choice to facilitate it in a one-client model;
    /// with exactly its length left, they are.
    #[test]
    fn a_facilitator_without_room_in_their_week_is_no_choice() {
        let program = with_staff_limits();
        let cands = Candidates::build(&program);
        let bounds = vec![AloneBound::UNKNOWN; program.clients.len()];
        let choices = |fixed: crate::model::Fixed| {
            let part = Model::part(&program, &cands, &bounds, &[ClientIx(0)], Some(fixed));
            let sessions = part.facilitate.iter_enumerated();
            (sessions.flat_map(|(s, f)| f.iter().map(move |p| (s, p.0)))).collect::<Vec<_>>()
        };
        let with_used = |minutes: u32| {
            let mut fixed = crate::model::Fixed::empty(cands.classes.len(), program.staff.len());
            if let Some(&(_, t)) = choices(fixed.clone()).first() {
                fixed.staff_minutes[t] = minutes;
            }
            choices(fixed)
        };
        let all = with_used(0);
        let (s, t) = *all.first().expect("a session whose facilitator is chosen");
        let length = program.session(s).interval.minutes();
        assert!(with_used(600 - length).contains(&(s, t)));
        assert!(!with_used(600 - length + 1).contains(&(s, t)));
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
        let solved = exact_bounds(&program, &cands);
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

    /// Every client's bound from solving them alone (exact: 60 s for all).
    pub(crate) fn exact_bounds(program: &Program, cands: &Candidates) -> Vec<AloneBound> {
        let everyone = vec![true; program.clients.len()];
        solve::alone_bounds(program, cands, &everyone, 60.0, &settings(60.0)).unwrap()
    }

    /// A generated program with last week's roster: the same program solved
    /// at 5 s.
    pub(crate) fn with_last_week(clients: usize, seed: u64) -> Program {
        let first = generated(clients, seed);
        let published = crate::schedule(&first, &settings(5.0)).unwrap();
        let roster = crate::output::roster_csv(&first, &published).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("previous_roster.csv");
        std::fs::write(&path, roster).unwrap();
        let mut program = first.clone();
        program.previous = crate::input::previous(&path, &program).unwrap();
        assert!(!program.previous.is_empty());
        program
    }

    /// With last week's roster, once clients met and hours are proven, the
    /// whole model's stages below them (which prove a bound of their own)
    /// keep more of last week than a roster solved for those two alone.
    #[test]
    fn proven_hours_leave_the_changes_from_last_week_to_the_whole_model() {
        let program = with_last_week(40, 5);
        let cands = Candidates::build(&program);
        let model = Model::whole(&program, &cands, &exact_bounds(&program, &cands));
        let empty = model.start_values(&[]);
        let careless = solve::leading_stages(&model, empty, &settings(20.0), None, 2).unwrap();
        assert!(careless
            .stages
            .iter()
            .all(|s| s.status == StageStatus::Optimal));
        let o = &model.objectives;
        let (met, hours) = (
            model.eval(&careless.values, &o.met),
            model.eval(&careless.values, &o.short_minutes),
        );
        // The stages' proofs, where the search reads its bounds.
        let mut bounds = vec![AloneBound::UNKNOWN; program.clients.len()];
        bounds[0].min_short_minutes = hours;
        let budget = Budget::seconds(20.0);
        let search = Search {
            bounds: &bounds,
            budget: &budget,
            met_bound: &|| met,
            second_core: &|| false,
            started: Instant::now(),
        };
        let whole = Whole {
            model: &model,
            values: careless.values.clone(),
        };
        let settled = search.finish(whole, &settings(20.0)).unwrap();
        assert!(model.satisfied(&settled.values));
        assert_eq!(model.eval(&settled.values, &o.met), met);
        assert_eq!(model.eval(&settled.values, &o.short_minutes), hours);
        let changes = &settled.stages[2];
        assert_eq!(changes.name, "changes from last week");
        assert!(changes.bound.is_finite(), "the whole model's stage ran");
        let before = model.eval(&careless.values, &o.changes);
        assert!(
            changes.objective < before,
            "{} changes, {before} before",
            changes.objective
        );
    }

    pub(crate) fn settings(seconds: f64) -> SolverSettings {
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
            &|| false,
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

    /// A hand-made last week that left clients without their appointments still
    /// obeys every rule; the start gives those clients what they lack, into what
    /// the others left, and moves nobody else.
    #[test]
    fn clients_left_short_by_last_week_are_replanned_in_the_start() {
        use crate::domain::Activity;
        let first = generated(40, 5);
        // Published from the start alone, with time to spare: the same week on
        // every run (a week solved under a time limit varies with the machine).
        let cands = Candidates::build(&first);
        let bounds = vec![AloneBound::UNKNOWN; first.clients.len()];
        let model = Model::whole(&first, &cands, &bounds);
        let empty = model.start_values(&[]);
        let budget = Budget::seconds(60.0);
        let values = start(&model, &bounds, empty, &budget, &settings(60.0), &|| false).unwrap();
        let published = crate::roster::Roster::from_solution(&first, &cands, &model, &values);
        let met: Vec<bool> = first
            .client_ixs()
            .map(|c| {
                model
                    .client(c)
                    .is_some_and(|cv| model.value(&values, cv.met) > 0.5)
            })
            .collect();
        let mut program = first.clone();
        let stripped: Vec<ClientIx> = program
            .client_ixs()
            .filter(|c| met[c.0])
            .step_by(3)
            .collect();
        program.previous = published.as_previous(&first);
        program
            .previous
            .retain(|i| i.activity == Activity::Group || !stripped.contains(&i.client));
        let cands = Candidates::build(&program);
        let bounds = vec![AloneBound::UNKNOWN; program.clients.len()];
        let model = Model::whole(&program, &cands, &bounds);
        let kept = model.start_values(&model.previous_choice());
        assert!(model.satisfied(&kept), "last week obeys every rule");
        let empty = model.start_values(&[]);
        let values = start(
            &model,
            &bounds,
            empty,
            &Budget::seconds(30.0),
            &settings(30.0),
            &|| false,
        );
        let whole = Whole {
            model: &model,
            values: values.unwrap(),
        };
        assert!(model.satisfied(&whole.values));
        let o = &model.objectives;
        let (now, before) = (model.eval(&whole.values, &o.met), model.eval(&kept, &o.met));
        // One at a time, an early client can take the slot a later one needs
        // (that is for the search): all but one get theirs back.
        let gained = (now - before).round() as usize;
        assert!(
            gained + 1 >= stripped.len(),
            "{now} met, {before} kept, {} stripped",
            stripped.len()
        );
        let moved = whole.moved_clients();
        assert!(
            moved.iter().all(|c| stripped.contains(c)),
            "moved {moved:?}"
        );
    }

    /// Clients who left one of a class's parallel sessions (discharged, or not in
    /// a group that day any more) leave it below its minimum while the class as a
    /// whole still fills every running session: last week's roster still obeys
    /// every rule, with some of the other session's clients handed over and
    /// counted as moved. It used to fail the whole model's check, and the start
    /// fell back to the rule-based roster (an independent generator's 120-client
    /// site met 51 instead of 116 at 10 s).
    #[test]
    fn a_parallel_session_left_below_its_minimum_still_keeps_last_week() {
        use crate::domain::Activity;
        let first = generated(120, 1);
        let published = crate::schedule(&first, &settings(10.0)).unwrap();
        let cands = Candidates::build(&first);
        let members = |s| {
            let of = |e: &&crate::roster::Entry| e.session == Some(s);
            published
                .roster
                .entries
                .iter()
                .filter(of)
                .map(|e| e.client)
                .collect::<Vec<_>>()
        };
        // A class with two running sessions, one of them above its minimum.
        let (thinned, others) = cands
            .classes
            .iter()
            .flat_map(|class| {
                class
                    .sessions
                    .iter()
                    .flat_map(move |&a| class.sessions.iter().map(move |&b| (a, b)))
            })
            .find(|&(a, b)| {
                let need = |s| first.session(s).min_size.max(1) as usize;
                a != b && members(a).len() >= need(a) && members(b).len() > need(b) && need(a) > 1
            })
            .expect("a class with two running parallel sessions");
        let need = first.session(thinned).min_size.max(1) as usize;
        let leaving: Vec<ClientIx> = members(thinned)
            .into_iter()
            .take(members(thinned).len() + 1 - need)
            .collect();
        assert!(members(others).len() > first.session(others).min_size as usize);
        let day = first.session(thinned).interval.day();
        let mut program = first.clone();
        program.previous = published.roster.as_previous(&first);
        program
            .previous
            .retain(|i| !(leaving.contains(&i.client) && i.interval.day() == day));
        assert!(program
            .previous
            .iter()
            .any(|i| i.activity == Activity::Group && i.session == Some(thinned)));
        let cands = Candidates::build(&program);
        let bounds = vec![AloneBound::UNKNOWN; program.clients.len()];
        let model = Model::whole(&program, &cands, &bounds);
        let kept = model.start_values(&model.previous_choice());
        assert!(
            model.satisfied(&kept),
            "last week, {} left {}",
            leaving.len(),
            first.session(thinned).id
        );
    }

    /// A hand-made last week (from an independent generator) that left many
    /// clients short may not cost clients met: the start then plans everyone
    /// again, still preferring last week's items. On `tight-120-2` (scarce
    /// staff) keeping last week and planning the short clients into what is
    /// left met 54, the rule-based roster 70, planning without last week 88. On
    /// `split-120-2` (several sites, small groups) keeping met 85, better than
    /// the rule-based roster's 81 yet far below the bound of 112; planning
    /// without last week met 109.
    #[test]
    fn a_poor_last_week_costs_few_clients_met_in_the_start() {
        for name in ["tight-120-2", "split-120-2"] {
            let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/foreign");
            let dir = std::path::Path::new(dir).join(name);
            let monday = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
            let mut program = load(&dir, monday, &LoadSettings::default()).unwrap();
            let last_week = dir.join("previous_roster.csv");
            program.previous = crate::input::previous(&last_week, &program).unwrap();
            assert!(!program.previous.is_empty());
            let without = Program {
                previous: Vec::new(),
                ..program.clone()
            };
            let without = start_met(&without, false);
            // One core: keeping, then planning again; two: both at once.
            for core in [false, true] {
                let with = start_met(&program, core);
                assert!(
                    with + 3.0 >= without,
                    "{name}: {with} met with last week, {without} without (second core: {core})"
                );
            }
        }
    }

    /// Clients met by the start on `program`, given a minute, with a second
    /// core or without.
    fn start_met(program: &Program, core: bool) -> f64 {
        let cands = Candidates::build(program);
        let bounds = AloneBound::counted_all(program, &cands);
        let model = Model::whole(program, &cands, &bounds);
        let quick = rule_based(&model, &bounds);
        let budget = Budget::seconds(60.0);
        let second_core = move || core;
        let values = start(
            &model,
            &bounds,
            quick,
            &budget,
            &settings(60.0),
            &second_core,
        )
        .unwrap();
        assert!(model.satisfied(&values));
        model.eval(&values, &model.objectives.met)
    }

    /// Clients the start has no time to plan keep their rule-based weeks where
    /// those fit: with no time at all, every week of the rule-based roster fits
    /// around the others, so nobody it meets is lost.
    #[test]
    fn clients_there_is_no_time_to_plan_keep_their_rule_based_weeks() {
        let program = generated(60, 5);
        let cands = Candidates::build(&program);
        let bounds = AloneBound::counted_all(&program, &cands);
        let model = Model::whole(&program, &cands, &bounds);
        let quick = Whole {
            model: &model,
            values: rule_based(&model, &bounds),
        };
        let quick_met = model.eval(&quick.values, &model.objectives.met);
        assert!(quick_met > 0.0);
        let mut whole = Whole {
            model: &model,
            values: model.start_values(&[]),
        };
        let order = greedy::order(&model, &bounds);
        let none = Budget::seconds(0.0);
        let kept = How {
            last_week: LastWeek::Kept,
            second_core: &|| false,
        };
        greedy::construct(
            &mut whole,
            &quick,
            &bounds,
            &order,
            &none,
            &settings(0.0),
            kept,
        )
        .unwrap();
        assert!(model.satisfied(&whole.values));
        let met = model.eval(&whole.values, &model.objectives.met);
        assert_eq!(met, quick_met);
    }

    /// The start is built client by client against what earlier clients left, then
    /// repaired: it obeys every hard rule, min_size included.
    #[test]
    fn the_start_obeys_every_rule_and_meets_most_clients() {
        let program = generated(60, 3);
        let cands = Candidates::build(&program);
        let bounds = vec![AloneBound::UNKNOWN; program.clients.len()];
        let model = Model::whole(&program, &cands, &bounds);
        let quick = rule_based(&model, &bounds);
        let quick_met = model.eval(&quick, &model.objectives.met);
        // On one core, and two clients at a time on two.
        for second_core in [false, true] {
            let empty = model.start_values(&[]);
            let budget = Budget::seconds(60.0);
            let start = start(&model, &bounds, empty, &budget, &settings(60.0), &|| {
                second_core
            })
            .unwrap();
            assert!(model.satisfied(&start), "second core: {second_core}");
            let met = model.eval(&start, &model.objectives.met);
            // Planning each client exactly beats placing them by rules of thumb.
            assert!(met > quick_met, "{met} met, rule-based start {quick_met}");
        }
    }
}

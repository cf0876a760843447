//! Large-neighbourhood search: re-plan a few clients at a time with HiGHS, the
//! rest of the roster fixed, and keep the result only when the whole roster is
//! lexicographically at least as good (and still obeys every rule).
//!
//! Neighbourhoods: a short client with the clients they compete with (members of
//! the groups they could attend and clients of the staff they could see); the
//! clients of one day; the caseload of one staff member.

use super::part::Whole;
use super::{Budget, SecondCore};
use crate::domain::{ClientIx, StaffIx};
use crate::model::{AloneBound, Model};
use crate::solve::{self, SolveError, SolverSettings};
use std::cmp::Ordering;

/// Clients in a neighbourhood at first; it grows while parts solve to optimality
/// quickly and shrinks when they run out of time.
const FIRST_SIZE: usize = 12;
const MIN_SIZE: usize = 4;
const MAX_SIZE: usize = 60;
/// Longest one neighbourhood may take.
const PART_SECONDS: f64 = 2.0;
/// Longest one neighbourhood may take while the search is after clients met
/// (see [`improve`]).
const MET_PART_SECONDS: f64 = 0.5;
/// Share of the time left that one neighbourhood may take, so that the last
/// seconds still try several: a scarce site met its bound with 1.6 s of 10
/// left, and one 2 s part took them all (6300 minutes short where parts of
/// at most 0.5 s reached 2650).
const LEFT_SHARE: f64 = 0.25;
/// Give up after this many neighbourhoods in a row without an improvement.
const PATIENCE: usize = 60;
/// Neighbourhoods in a row that may fail to meet one more client before the
/// search adds the hours stage to its parts.
const MET_PATIENCE: usize = 30;

/// A small deterministic random number generator (xorshift), so that runs with
/// the same input and settings produce the same roster.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// The roster's value on every priority, in the contract's order, signed so that
/// larger is better.
pub fn score(whole: &Whole) -> Vec<f64> {
    solve::priorities(whole.model)
        .into_iter()
        .map(|(e, maximize)| {
            let v = whole.model.eval(&whole.values, e).round();
            if maximize {
                v
            } else {
                -v
            }
        })
        .collect()
}

/// `a` against `b`, scores of [`score`].
pub fn compare(a: &[f64], b: &[f64]) -> Ordering {
    a.iter()
        .zip(b)
        .map(|(x, y)| x.total_cmp(y))
        .find(|o| o.is_ne())
        .unwrap_or(Ordering::Equal)
}

/// What the search watches beside its budget.
pub struct Watch<'a> {
    /// True when the search should stop (its share is used up).
    pub enough: &'a dyn Fn() -> bool,
    /// The best bound on clients met so far (an LP beside the search may
    /// tighten it).
    pub met_bound: &'a dyn Fn() -> f64,
}

/// Improves `whole` until the budget runs out, `watch` says enough, or nothing
/// improves for a while. Each `round` draws other neighbourhoods. While a
/// second core is free, two neighbourhoods are solved at once, each against
/// the same roster; the second is tried on the roster the first left.
pub fn improve(
    whole: &mut Whole,
    bounds: &[AloneBound],
    budget: &Budget,
    watch: &Watch,
    settings: &SolverSettings,
    round: u64,
    second_core: SecondCore,
) -> Result<usize, SolveError> {
    let clients = whole.model.program().clients.len() as u64;
    let mut rng = Rng::new(clients.wrapping_add(round.wrapping_mul(7919)));
    let mut size = FIRST_SIZE;
    let mut best = score(whole);
    let (mut idle, mut improvements) = (0, 0);
    // The top priorities first: a part solves only their stages (the stages below
    // took most of a part's time) until they stop improving; then every stage.
    let mut stages = solve::top_priorities(whole.model).min(settings.priorities);
    // Without last week's roster, while clients who could meet their level do
    // not, parts are drawn around them and cut short: their "clients met" stage
    // proves in hundredths of a second, and the hours stage after it took the
    // rest of a 2 s part, so few parts were tried (independent 120-client sites
    // at 5 and 10 s: 11 more clients met over ten runs, hours much the same).
    let mut met_phase = !whole.model.has_previous() && !short_clients(whole, bounds).0.is_empty();
    let wanted = best.len().min(settings.priorities);
    loop {
        // Clients met at their bound are proven: parts around the unmet are
        // then wasted on them (a scarce site reached the LP's bound with 1.7 s
        // of 10 left and spent them on parts that could only prove it).
        if met_phase && (idle >= MET_PATIENCE || best[0] >= (watch.met_bound)() - 0.5) {
            (met_phase, idle) = (false, 0);
        }
        if idle >= PATIENCE && stages < wanted {
            (stages, idle) = (wanted, 0);
        }
        if budget.left() <= 0.1 || idle >= PATIENCE || (watch.enough)() {
            break;
        }
        let count = if second_core() { 2 } else { 1 };
        let hoods: Vec<Vec<ClientIx>> = (0..count)
            .map(|_| neighbourhood(whole, bounds, &mut rng, size, met_phase))
            .filter(|clients| !clients.is_empty())
            .collect();
        if hoods.is_empty() {
            break;
        }
        let cap = if met_phase {
            MET_PART_SECONDS
        } else {
            PART_SECONDS
        };
        let seconds = (budget.left() * LEFT_SHARE).min(cap);
        let held: &Whole = whole;
        let solve =
            |clients: &[ClientIx]| solve_part(held, bounds, clients, seconds, stages, settings);
        let solved = match hoods.as_slice() {
            [one, two] => {
                let (a, b) = rayon::join(|| solve(one), || solve(two));
                vec![a?, b?]
            }
            _ => vec![solve(&hoods[0])?],
        };
        for (part, proven) in solved {
            size = if proven {
                (size + 2).min(MAX_SIZE)
            } else {
                (size.saturating_sub(2)).max(MIN_SIZE)
            };
            let Some((part, values)) = part else {
                idle += 1;
                continue;
            };
            let mut trial = Whole {
                model: whole.model,
                values: whole.with_part(&part, &values),
            };
            let trial_score = score(&trial);
            let better = compare(&trial_score, &best) == Ordering::Greater;
            if better && whole.model.satisfied(&trial.values) {
                std::mem::swap(whole, &mut trial);
                best = trial_score;
                let met = whole.model.eval(&whole.values, &whole.model.objectives.met);
                settings.report(|p| p.met(met.round() as usize));
                improvements += 1;
                idle = 0;
            } else {
                idle += 1;
            }
        }
    }
    Ok(improvements)
}

/// A part and its solution, when its start obeyed every rule.
type PartSolution<'p> = Option<(Model<'p>, Vec<f64>)>;

/// Solves the first `stages` stages of one part; returns it with its solution
/// and whether each of them was proven.
fn solve_part<'p>(
    whole: &Whole<'_, 'p>,
    bounds: &[AloneBound],
    clients: &[ClientIx],
    seconds: f64,
    stages: usize,
    settings: &SolverSettings,
) -> Result<(PartSolution<'p>, bool), SolveError> {
    let program = whole.model.program();
    let inside = super::part::marked(program.clients.len(), clients);
    let forbidden = vec![false; whole.model.cands().classes.len()];
    let fixed = whole.fixed_for(&inside, &forbidden);
    let part = Model::part(program, whole.model.cands(), bounds, clients, Some(fixed));
    let start = whole.start_of(&part);
    if !part.satisfied(&start) {
        return Ok((None, false));
    }
    let budget = SolverSettings {
        time_limit: seconds,
        ..settings.muted()
    };
    let solved = solve::leading_stages(&part, start, &budget, None, stages)?;
    let proven = solved
        .stages
        .iter()
        .all(|s| s.status != solve::StageStatus::TimeLimit);
    Ok((Some((part, solved.values)), proven))
}

/// Picks the next neighbourhood: mostly around a short client (they are what the
/// first priorities are about), sometimes a day or a staff member's caseload.
/// While the search is after clients met (`met_first`), not around clients who
/// are only more hours short than they must be.
fn neighbourhood(
    whole: &Whole,
    bounds: &[AloneBound],
    rng: &mut Rng,
    size: usize,
    met_first: bool,
) -> Vec<ClientIx> {
    let model = whole.model;
    let (unmet, mut over) = short_clients(whole, bounds);
    if met_first {
        over.clear();
    }
    // With last week's roster, a client moved for no gain goes back only when a
    // neighbourhood holds them and what they gave way to.
    let moved = if model.has_previous() {
        whole.moved_clients()
    } else {
        Vec::new()
    };
    let around = |c: ClientIx| {
        let mut around = whole.competitors(c);
        around.insert(0, c);
        around
    };
    let mut picked = match rng.below(4) {
        0 => whole.day_clients(rng.below(7)),
        1 => whole.staff_clients(StaffIx(rng.below(model.program().staff.len().max(1)))),
        2 if !moved.is_empty() => around(moved[rng.below(moved.len())]),
        2 if !unmet.is_empty() => around(unmet[rng.below(unmet.len())]),
        _ if !over.is_empty() => around(over[rng.below(over.len().div_ceil(WORST_SHARE))]),
        _ if !unmet.is_empty() => around(unmet[rng.below(unmet.len())]),
        _ => whole.day_clients(rng.below(7)),
    };
    picked.dedup();
    // Keep the seed client, sample the rest.
    let mut chosen: Vec<ClientIx> = picked.iter().take(1).copied().collect();
    let mut rest: Vec<ClientIx> = picked.into_iter().skip(1).collect();
    while chosen.len() < size && !rest.is_empty() {
        chosen.push(rest.swap_remove(rng.below(rest.len())));
    }
    chosen.sort_unstable();
    chosen.dedup();
    chosen
}

/// Neighbourhoods around clients more hours short than they must be are drawn
/// around the worst 1 in this many of them: a part that meets one more client
/// can leave a few others far short, and drawing among all of them seldom
/// found those.
const WORST_SHARE: usize = 4;

/// Clients short who could meet their level, and the other clients short more
/// minutes than they must be alone (most minutes above that first): after a
/// "clients met" stage that only counted clients, the hours of the rest were
/// all over the place (300 clients: 552 h short where 210 h would do), and only
/// the second kind seeds the search that brings them back.
fn short_clients(whole: &Whole, bounds: &[AloneBound]) -> (Vec<ClientIx>, Vec<ClientIx>) {
    let model = whole.model;
    let (mut unmet, mut over) = (Vec::new(), Vec::new());
    for cv in &model.clients {
        if cv.can_meet && model.value(&whole.values, cv.met) < 0.5 {
            unmet.push(cv.client);
        } else if !model.has_previous() {
            // With last week's roster, hours that last week's search left on the
            // table are not worth moving people for: an admission re-solved at
            // 10 s changed 13 other weeks instead of 2.
            let short = model.value(&whole.values, cv.short_minutes);
            let must = bounds.get(cv.client.0).map_or(0.0, |b| b.min_short_minutes);
            if short > must + 0.5 {
                over.push((std::cmp::Reverse((short - must).round() as i64), cv.client));
            }
        }
    }
    over.sort_unstable();
    (unmet, over.into_iter().map(|(_, c)| c).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::anytime::tests::{exact_bounds, generated, settings};
    use crate::candidates::Candidates;

    /// A "clients met" stage alone counts clients, not hours: the search that
    /// follows it brings back the hours of the clients it left short.
    #[test]
    fn the_search_repairs_the_hours_a_met_only_stage_left_behind() {
        on_met_only(the_search_repairs_hours);
    }

    /// Runs `test` on a generated program's whole model, its exact per-client
    /// bounds and a roster from the "clients met" stage alone.
    fn on_met_only(test: impl FnOnce(&Model, &[AloneBound], Vec<f64>)) {
        let program = generated(60, 3);
        let cands = Candidates::build(&program);
        let bounds = exact_bounds(&program, &cands);
        let model = Model::whole(&program, &cands, &bounds);
        let met_only =
            solve::leading_stages(&model, model.start_values(&[]), &settings(60.0), None, 1);
        test(&model, &bounds, met_only.unwrap().values);
    }

    fn the_search_repairs_hours(model: &Model, bounds: &[AloneBound], values: Vec<f64>) {
        let best = solve::lexicographic(model, values.clone(), &settings(120.0)).unwrap();
        let hours = |v: &[f64]| model.eval(v, &model.objectives.short_minutes);
        let (left_behind, optimum) = (hours(&values), hours(&best.values));
        assert!(
            left_behind > optimum + 0.5,
            "the met stage left hours to repair"
        );
        let mut whole = Whole { model, values };
        improve(
            &mut whole,
            bounds,
            &Budget::seconds(20.0),
            &Watch {
                enough: &|| false,
                met_bound: &|| crate::anytime::met_bound(bounds),
            },
            &settings(20.0),
            0,
            // Two neighbourhoods at a time: the second is tried on the roster
            // the first left, and must still obey every rule.
            &|| true,
        )
        .unwrap();
        assert!(model.satisfied(&whole.values));
        let repaired = hours(&whole.values);
        assert!(
            repaired < left_behind,
            "{repaired} min short, {left_behind} before"
        );
    }

    /// Neighbourhoods for hours are drawn around the clients furthest above
    /// their own least shortfall: the list is ordered worst first.
    #[test]
    fn clients_most_hours_short_come_first() {
        on_met_only(|model, bounds, values| {
            let whole = Whole { model, values };
            let (_, over) = short_clients(&whole, bounds);
            assert!(over.len() > 1, "a met-only roster leaves hours to repair");
            let excess: Vec<f64> = over
                .iter()
                .map(|&c| {
                    let cv = model.client(c).unwrap();
                    model.value(&whole.values, cv.short_minutes) - bounds[c.0].min_short_minutes
                })
                .collect();
            assert!(excess.windows(2).all(|w| w[0] >= w[1]), "{excess:?}");
        });
    }
}

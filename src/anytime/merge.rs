//! Solution merging: the whole model with each client's options cut down to
//! what some given rosters (and last week's) chose for them, solved in its
//! lexicographic stages. The merged model is small enough to prove in a
//! fraction of a second, and its optimum is at least as good as every roster
//! it was made of.
//!
//! Why: the whole model's "clients met" stage finds a roster that meets more
//! clients, but with everyone else's week arbitrary (an admission re-solved at
//! 30 s: 100 met instead of 99, 115 other clients moved, and 17940 minutes short
//! instead of 10640). Merged with the roster it started from, each client may
//! keep their old week wherever the new one is not needed for the extra client.

use super::lns;
use super::part::Whole;
use crate::candidates::{Appointment, Candidates};
use crate::model::{AloneBound, Model};
use crate::solve::{self, SolveError, SolverSettings};
use std::cmp::Ordering;

/// Seconds below which merging is not begun: each of its stages takes at
/// least 0.05 s however short its share, and HiGHS overshoots tiny limits (at
/// a 5 s limit, merges given 0.0-0.1 s took 0.2-0.37 s, past the limit).
pub const MIN_SECONDS: f64 = 0.4;

/// Seconds below which only the top priorities are merged (clients met,
/// hours, and the changes from last week when there is one): each stage's
/// HiGHS run overshoots a tiny limit by its presolve and root LP (a merge's
/// preference stage given 0.05 s took 0.33 s, and a 5 s solve ended at 5.4 s).
const ALL_STAGES_SECONDS: f64 = 1.0;

/// The best roster made of the choices of `rosters` (whole-model column
/// values, each obeying every rule) and last week's roster, found within
/// `seconds`; the best of `rosters` when merging finds nothing better (or
/// `seconds` is below [`MIN_SECONDS`]).
pub fn merged(
    model: &Model,
    bounds: &[AloneBound],
    rosters: &[&[f64]],
    seconds: f64,
    settings: &SolverSettings,
) -> Result<Vec<f64>, SolveError> {
    let best = best_of(model, rosters);
    if seconds < MIN_SECONDS {
        return Ok(best.to_vec());
    }
    let previous = model.start_values(&model.previous_choice());
    let mut sources: Vec<&[f64]> = rosters.to_vec();
    sources.push(&previous);
    let options = restricted(model, &sources);
    let small = Model::whole(model.program(), &options, bounds);
    let whole = Whole {
        model,
        values: best.to_vec(),
    };
    let start = whole.start_of(&small);
    if !small.satisfied(&start) {
        return Ok(whole.values);
    }
    let mut within = SolverSettings {
        time_limit: seconds,
        ..settings.muted()
    };
    if seconds < ALL_STAGES_SECONDS {
        within.priorities = within.priorities.min(solve::top_priorities(&small));
    }
    let solved = solve::lexicographic(&small, start, &within)?;
    let trial = Whole {
        model,
        values: whole.with_part(&small, &solved.values),
    };
    let better = lns::compare(&lns::score(&trial), &lns::score(&whole)) == Ordering::Greater;
    if better && model.satisfied(&trial.values) {
        return Ok(trial.values);
    }
    Ok(whole.values)
}

/// The lexicographically best of `rosters` (the first of equals).
fn best_of<'r>(model: &Model, rosters: &[&'r [f64]]) -> &'r [f64] {
    let score = |values: &[f64]| {
        lns::score(&Whole {
            model,
            values: values.to_vec(),
        })
    };
    let better = |a: &[f64], b: &[f64]| lns::compare(&score(a), &score(b)) == Ordering::Greater;
    (rosters.iter().copied())
        .reduce(|best, r| if better(r, best) { r } else { best })
        .expect("at least one roster to merge")
}

/// The program's candidates with each client's groups and appointments cut
/// down to those chosen in any of `sources`. Classes keep their indices, and
/// sessions all their possible facilitators.
fn restricted(model: &Model, sources: &[&[f64]]) -> Candidates {
    let mut options = model.cands().clone();
    let chosen = |x| sources.iter().any(|values| model.value(values, x) > 0.5);
    for cv in &model.clients {
        let mine = &mut options.clients[cv.client.0];
        mine.classes = cv
            .classes
            .iter()
            .filter(|&&(_, x)| chosen(x))
            .map(|&(k, _)| k)
            .collect();
        let appointments: Vec<Appointment> = cv
            .appointments
            .iter()
            .filter(|&&(_, x)| chosen(x))
            .map(|&(a, _)| a)
            .collect();
        mine.appointments = appointments;
    }
    options
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::anytime::tests::{exact_bounds, generated, settings};
    use crate::anytime::{start, Budget};
    use crate::candidates::Candidates;

    /// A "clients met" stage run from nothing meets more clients than a start
    /// missing a few, with everyone's hours arbitrary; merged with that start,
    /// the extra clients stay met and the others get back hours from the start.
    #[test]
    fn a_merged_roster_is_no_worse_than_any_roster_it_was_made_of() {
        let program = generated(60, 3);
        let cands = Candidates::build(&program);
        let bounds = exact_bounds(&program, &cands);
        let model = Model::whole(&program, &cands, &bounds);
        let budget = Budget::seconds(60.0);
        let empty = model.start_values(&[]);
        let started = start(
            &model,
            &bounds,
            empty.clone(),
            &budget,
            &settings(60.0),
            &|| false,
        )
        .unwrap();
        // The start without three of its met clients: the met stage meets more.
        let mut first = Whole {
            model: &model,
            values: started,
        };
        let met_ones = model.clients.iter().filter(|cv| first.on(cv.met));
        let dropped: Vec<_> = met_ones.map(|cv| cv.client).take(3).collect();
        first.drop_clients(&dropped);
        let first = first.values;
        let met_only = solve::leading_stages(&model, empty, &settings(60.0), None, 1).unwrap();
        let second = met_only.values;
        let rosters = [first.as_slice(), second.as_slice()];
        let merged = merged(&model, &bounds, &rosters, 30.0, &settings(30.0)).unwrap();
        assert!(model.satisfied(&merged));
        let score = |values: &[f64]| {
            lns::score(&Whole {
                model: &model,
                values: values.to_vec(),
            })
        };
        for roster in rosters {
            assert_ne!(
                lns::compare(&score(&merged), &score(roster)),
                Ordering::Less
            );
        }
        let hours = |v: &[f64]| model.eval(v, &model.objectives.short_minutes);
        let met = |v: &[f64]| model.eval(v, &model.objectives.met);
        assert!(met(&second) > met(&first));
        assert_eq!(met(&merged), met(&second));
        assert!(
            hours(&merged) < hours(&second),
            "{} minutes short merged, {} after the met stage alone",
            hours(&merged),
            hours(&second)
        );
    }

    /// A merge given less time than its stages take at the least is not begun:
    /// the best roster comes back as it was.
    #[test]
    fn a_merge_without_time_hands_back_the_best_roster() {
        let program = generated(30, 3);
        let cands = Candidates::build(&program);
        let bounds = vec![AloneBound::UNKNOWN; program.clients.len()];
        let model = Model::whole(&program, &cands, &bounds);
        let empty = model.start_values(&[]);
        let met_only = solve::leading_stages(&model, empty.clone(), &settings(10.0), None, 1);
        let met_only = met_only.unwrap().values;
        let rosters = [empty.as_slice(), met_only.as_slice()];
        let seconds = MIN_SECONDS / 2.0;
        let merged = merged(&model, &bounds, &rosters, seconds, &settings(seconds)).unwrap();
        assert_eq!(merged, met_only);
    }

    /// A roster solved for clients met and hours alone moves returning clients
    /// for nothing; merged with last week's roster, only moves that buy clients
    /// met or hours stay.
    #[test]
    fn merging_with_last_week_undoes_moves_that_buy_nothing() {
        let program = crate::anytime::tests::with_last_week(40, 5);
        let cands = Candidates::build(&program);
        let bounds = vec![AloneBound::UNKNOWN; program.clients.len()];
        let model = Model::whole(&program, &cands, &bounds);
        let empty = model.start_values(&[]);
        let careless = solve::leading_stages(&model, empty, &settings(10.0), None, 2).unwrap();
        let careless = careless.values;
        let merged = merged(&model, &bounds, &[&careless], 10.0, &settings(10.0)).unwrap();
        assert!(model.satisfied(&merged));
        let o = &model.objectives;
        assert!(model.eval(&merged, &o.met) >= model.eval(&careless, &o.met));
        assert!(model.eval(&merged, &o.short_minutes) <= model.eval(&careless, &o.short_minutes));
        let (kept, moved) = (
            model.eval(&merged, &o.changes),
            model.eval(&careless, &o.changes),
        );
        assert!(kept < moved, "changes: {kept} merged, {moved} before");
    }
}

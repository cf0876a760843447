//! Capacity planning: which one session, added to the catalog, lets the most
//! short clients meet their level?
//!
//! The week is solved as it is; candidates are copies of catalog sessions at days
//! and times where short clients are free ([`candidates`]); each candidate is
//! evaluated by really solving the week with it added (in parallel, each within the
//! time limit), and the ones that help are ranked by clients newly met, then by
//! hours of shortfall removed. The staff-hour shortages lint finds are reported
//! alongside, since no added session fixes those.

mod candidates;
mod render;

pub use candidates::Candidate;
pub use render::{session_columns, summary, whatif_csv};

use crate::domain::{ClientIx, Program, Session, SessionIx};
use crate::lint::{self, Finding};
use crate::solve::{SolverSettings, StageStatus};
use crate::week::{self, WeekError, WeekOptions};
use crate::Schedule;
use rayon::prelude::*;
use std::path::Path;

/// What to look at and how hard.
#[derive(Clone, Debug)]
pub struct WhatifOptions {
    /// Loading, previous roster, site and the solver settings of every solve.
    pub week: WeekOptions,
    /// Most proposals to return.
    pub top: usize,
    /// Most candidates to solve (those the most short clients could attend first).
    pub candidates: usize,
}

/// One session to add and what it does.
#[derive(Clone, Debug)]
pub struct Proposal {
    pub session: Session,
    /// Clients who meet their level with the session added and not without.
    pub extra_met: i64,
    /// Minutes of weekly-hours shortfall the session removes.
    pub extra_minutes: i64,
}

/// The proposals, best first, and the staff-hour shortages.
pub struct Whatif {
    pub program: Program,
    /// Clients met and short in the week as it is (the best roster found).
    pub met: usize,
    pub short: usize,
    /// Whether the most clients met in the week as it is was proven; when not,
    /// gains may be overstated.
    pub proven: bool,
    /// How many candidates were solved.
    pub evaluated: usize,
    pub proposals: Vec<Proposal>,
    pub staff_shortages: Vec<Finding>,
}

/// The priorities a proposal is ranked by: clients met, then hours short.
const SCORED_PRIORITIES: usize = 2;

/// Solves the week as it is, then with each candidate session added.
pub fn whatif(input_dir: &Path, opts: &WhatifOptions) -> Result<Whatif, WeekError> {
    let program = week::prepare_week(input_dir, &opts.week)?;
    // Rosters are compared by clients met and hours short alone: the stages
    // below them would only spend the time limit.
    let scoring = SolverSettings {
        priorities: SCORED_PRIORITIES,
        ..opts.week.solver.clone()
    };
    let base = crate::schedule(&program, &scoring).map_err(WeekError::Solve)?;
    let proven = base
        .stages
        .first()
        .is_some_and(|s| s.status != StageStatus::TimeLimit);
    let short: Vec<ClientIx> = program
        .client_ixs()
        .filter(|c| !base.weeks[c.0].shortfall.is_met())
        .collect();
    let list = candidates::candidates(&program, &short, opts.candidates);
    let settings = SolverSettings {
        threads: 1,
        ..scoring.muted()
    };
    let added = program.sessions.len();
    let scored = list
        .par_iter()
        .map(|candidate| {
            let mut with = program.clone();
            with.sessions.push(candidate.session.clone());
            // Everyone starts where the week as it is put them: the search only
            // looks for what the session adds, and never does worse than without it.
            with.previous = base.roster.as_previous(&program);
            let schedule = crate::schedule(&with, &settings)?;
            Ok((
                score(&schedule),
                schedule.roster.enrolled[SessionIx(added)] > 0,
            ))
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(WeekError::Solve)?;
    // A roster that leaves the added session empty is a roster of the week as it
    // is: when a time-limited solve found a better one that way, it is the baseline,
    // so that no gain is credited to a session nobody attends.
    let (met, short_minutes) = scored
        .iter()
        .filter(|(_, used)| !used)
        .map(|&(s, _)| s)
        .chain([score(&base)])
        .max_by_key(|&(m, minutes)| (m, std::cmp::Reverse(minutes)))
        .expect("the week as it is");
    let mut proposals: Vec<(Proposal, usize)> = list
        .iter()
        .zip(scored)
        .filter(|(_, (_, used))| *used)
        .map(|(candidate, ((m, minutes), _))| {
            let proposal = Proposal {
                session: candidate.session.clone(),
                extra_met: m as i64 - met as i64,
                extra_minutes: short_minutes as i64 - minutes as i64,
            };
            (proposal, candidate.able.len())
        })
        .filter(|(p, _)| p.extra_met > 0 || (p.extra_met == 0 && p.extra_minutes > 0))
        .collect();
    // Best first; among equals, the one more short clients could attend.
    proposals.sort_by_key(|(p, able)| {
        (
            std::cmp::Reverse(p.extra_met),
            std::cmp::Reverse(p.extra_minutes),
            std::cmp::Reverse(*able),
        )
    });
    proposals.truncate(opts.top);
    let mut staff_shortages = lint::therapist_caseload(&program);
    staff_shortages.extend(lint::role_demand(&program));
    staff_shortages.extend(lint::therapist_never_fits(&program));
    Ok(Whatif {
        met,
        short: program.clients.len() - met,
        proven,
        evaluated: list.len(),
        proposals: proposals.into_iter().map(|(p, _)| p).collect(),
        staff_shortages,
        program,
    })
}

/// Clients met, and the minutes of weekly-hours shortfall left.
fn score(schedule: &Schedule) -> (usize, u32) {
    let met = schedule
        .weeks
        .iter()
        .filter(|w| w.shortfall.is_met())
        .count();
    let minutes = schedule.weeks.iter().map(|w| w.shortfall.minutes).sum();
    (met, minutes)
}

#[cfg(test)]
mod tests {
    use crate::anytime::tests::{generated, settings};
    use crate::solve::{SolverSettings, StageStatus};

    /// A week solved again from its own roster as last week's keeps every
    /// client's week: the roster reads back as it was written (sessions, staff,
    /// times), which is what lets what-if's candidates start from it.
    #[test]
    fn a_roster_given_back_as_last_week_is_kept_whole() {
        let program = generated(30, 2);
        let first = crate::schedule(&program, &settings(30.0)).unwrap();
        let proven = first.stages.iter().take(2);
        assert!(proven.clone().all(|s| s.status == StageStatus::Optimal));
        let mut again = program.clone();
        again.previous = first.roster.as_previous(&program);
        assert!(!again.previous.is_empty());
        let second = crate::schedule(&again, &settings(10.0)).unwrap();
        assert!(second.changes.is_empty(), "{:?}", second.changes);
    }

    /// Asked for the first two priorities only, a solve reports those two and
    /// reaches the same values as one that solves every priority.
    #[test]
    fn only_the_priorities_asked_for_are_solved_and_reported() {
        let program = generated(30, 6);
        let all = crate::schedule(&program, &settings(30.0)).unwrap();
        let two = SolverSettings {
            priorities: super::SCORED_PRIORITIES,
            ..settings(30.0)
        };
        let scored = crate::schedule(&program, &two).unwrap();
        assert_eq!(scored.stages.len(), 2);
        assert!(all.stages.len() > 2);
        for (a, b) in all.stages.iter().zip(&scored.stages) {
            assert_eq!(a.status, StageStatus::Optimal, "{}", a.name);
            assert_eq!(b.status, StageStatus::Optimal, "{}", b.name);
            assert_eq!(a.objective, b.objective, "{}", a.name);
        }
    }
}

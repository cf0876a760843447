//! What clients with a known week (the published roster, or another new client's
//! option held) leave to a partial model of the clients being placed: their seats
//! stay in their very sessions, those sessions keep running with their
//! facilitators, and their appointments and facilitations take staff time.

use crate::candidates::Candidates;
use crate::domain::{Activity, Busy, ClientIx, Program, SessionIx, StaffIx};
use crate::ix::IxVec;
use crate::model::{Fixed, KeptSession};
use crate::roster::Entry;
use crate::time::Interval;

/// One fixed row of a client's week.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub client: ClientIx,
    pub activity: Activity,
    pub session: Option<SessionIx>,
    pub staff: Option<StaffIx>,
    pub interval: Interval,
}

impl Row {
    /// The row as a roster entry; `None` when it names no staff member and its
    /// session has no catalog facilitator (a roster that passed check has one).
    pub fn entry(&self, program: &Program) -> Option<Entry> {
        let catalog = self.session.and_then(|s| program.session(s).facilitator);
        Some(Entry {
            interval: self.interval,
            client: self.client,
            activity: self.activity,
            session: self.session,
            staff: self.staff.or(catalog)?,
        })
    }
}

/// The group class of each session (`None`: it cannot run at all).
pub fn class_of(cands: &Candidates, sessions: usize) -> IxVec<SessionIx, Option<usize>> {
    let mut class = IxVec::from_elem(None, sessions);
    for (k, c) in cands.classes.iter().enumerate() {
        for &s in &c.sessions {
            class[s] = Some(k);
        }
    }
    class
}

/// What the clients of `rows` hold around a partial model that decides the
/// classes marked in `decided`: their running sessions there are kept; the
/// facilitators of their other sessions are simply busy.
pub fn around(program: &Program, cands: &Candidates, rows: &[Row], decided: &[bool]) -> Fixed {
    let mut fixed = Fixed::empty(cands.classes.len(), program.staff.len());
    fixed.kept = IxVec::from_elem(None, program.sessions.len());
    let class = class_of(cands, program.sessions.len());
    let individual = program.individual_kind();
    for row in rows {
        let Some(entry) = row.entry(program) else {
            continue;
        };
        match (row.session, row.session.and_then(|s| class[s])) {
            (Some(s), Some(k)) => {
                fixed.members[k] += 1;
                let kept = fixed.kept[s].get_or_insert(KeptSession {
                    members: 0,
                    facilitator: entry.staff,
                });
                kept.members += 1;
            }
            (Some(_), None) => {}
            (None, _) => {
                let is_individual = individual.is_some() && row.activity.kind() == individual;
                fixed.book(entry.staff, row.interval, is_individual);
            }
        }
    }
    for (s, k) in class.iter_enumerated() {
        if k.is_none_or(|k| decided[k]) {
            continue;
        }
        if let Some(kept) = fixed.kept[s].take() {
            fixed.book(kept.facilitator, program.session(s).interval, false);
        }
    }
    fixed
}

/// Busy blocks over `intervals`, added to a new client's week to steer an
/// alternative option away from an earlier one's choice.
pub fn forbid(program: &mut Program, client: ClientIx, intervals: &[Interval], why: &str) {
    let busy = &mut program.clients[client.0].busy;
    busy.extend(intervals.iter().map(|&interval| Busy {
        interval,
        reason: why.to_string(),
    }));
    busy.sort_by_key(|b| b.interval);
}

//! The roster read off a solution: who attends what, which sessions run, and how
//! far each client is from their level's minimums.

use crate::candidates::Candidates;
use crate::domain::{Activity, ClientIx, PreviousItem, Program, SessionIx, StaffIx};
use crate::ix::IxVec;
use crate::model::Model;
use crate::tally::{Shortfall, Tally};
use crate::time::Interval;

/// One appointment of one client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub interval: Interval,
    pub client: ClientIx,
    pub activity: Activity,
    /// Set for group entries.
    pub session: Option<SessionIx>,
    pub staff: StaffIx,
}

/// A week's roster.
#[derive(Clone, Debug)]
pub struct Roster {
    /// Sorted by (start, client id, activity).
    pub entries: Vec<Entry>,
    /// Per session: clients enrolled.
    pub enrolled: IxVec<SessionIx, u32>,
    /// Per session: the facilitator of a running session, else the catalog's.
    pub facilitator: IxVec<SessionIx, Option<StaffIx>>,
}

/// What one client got this week.
#[derive(Clone, Debug)]
pub struct ClientWeek {
    pub minutes: u32,
    pub days: u32,
    /// Indexed like [`Program::kinds`].
    pub appointments: Vec<u32>,
    pub shortfall: Shortfall,
}

const CHOSEN: f64 = 0.5;

impl Roster {
    /// This roster as last week's, for a solve of the same week that should start
    /// from it (what-if solves the week again with one session added).
    pub fn as_previous(&self, program: &Program) -> Vec<PreviousItem> {
        self.entries
            .iter()
            .map(|e| PreviousItem {
                client: e.client,
                activity: e.activity,
                session: e.session,
                staff: Some(e.staff),
                interval: e.interval,
                session_label: e
                    .session
                    .map_or_else(String::new, |s| program.session(s).id.to_string()),
            })
            .collect()
    }

    /// Reads the roster off the model's column values. Members of a merged class
    /// are handed out to its running sessions, filling each to min_size first and
    /// then keeping them balanced.
    pub fn from_solution(
        program: &Program,
        cands: &Candidates,
        model: &Model,
        values: &[f64],
    ) -> Roster {
        let on = |v: good_lp::Variable| model.value(values, v) > CHOSEN;
        let facilitator: IxVec<SessionIx, Option<StaffIx>> = program
            .session_ixs()
            .map(|s| {
                let chosen = model.facilitate[s]
                    .iter()
                    .find(|(_, f)| on(*f))
                    .map(|(t, _)| *t);
                chosen.or(program.session(s).facilitator)
            })
            .collect();
        let mut members: Vec<Vec<ClientIx>> = vec![Vec::new(); cands.classes.len()];
        let mut entries = Vec::new();
        for cv in &model.clients {
            for &(k, x) in &cv.classes {
                if on(x) {
                    members[k].push(cv.client);
                }
            }
            for &(a, x) in &cv.appointments {
                if on(x) {
                    entries.push(Entry {
                        interval: a.interval,
                        client: cv.client,
                        activity: Activity::Appointment(a.kind),
                        session: None,
                        staff: a.staff,
                    });
                }
            }
        }
        let mut enrolled: IxVec<SessionIx, u32> = IxVec::from_elem(0, program.sessions.len());
        for (k, class) in cands.classes.iter().enumerate() {
            let running: Vec<SessionIx> = class
                .sessions
                .iter()
                .copied()
                .filter(|&s| model.open[s].is_some_and(on))
                .collect();
            let mut clients = std::mem::take(&mut members[k]);
            clients.sort_by(|&a, &b| program.client(a).id.cmp(&program.client(b).id));
            // A pinned session first, else last week's.
            let previous = |c: ClientIx| {
                let pinned = program.pins.iter().map(|p| (p.client, p.session));
                let before = program.previous.iter().map(|p| (p.client, p.session));
                pinned
                    .chain(before)
                    .find(|&(pc, s)| pc == c && s.is_some_and(|s| class.sessions.contains(&s)))
                    .and_then(|(_, s)| s)
            };
            let empty = vec![0; running.len()];
            for (client, s) in hand_out(program, &running, &empty, &clients, &previous) {
                enrolled[s] += 1;
                entries.push(Entry {
                    interval: program.session(s).interval,
                    client,
                    activity: Activity::Group,
                    session: Some(s),
                    staff: facilitator[s].expect("a running session has a facilitator"),
                });
            }
        }
        let mut roster = Roster {
            entries,
            enrolled,
            facilitator,
        };
        roster.sort(program);
        roster
    }

    /// Puts entries in the roster's order: by time, then client id, then activity.
    pub fn sort(&mut self, program: &Program) {
        let key = |e: &Entry| (e.interval.start(), &program.client(e.client).id, e.activity);
        self.entries.sort_by(|a, b| key(a).cmp(&key(b)));
    }

    /// Every client's tally, indexed like [`Program::clients`].
    pub fn tallies(&self, program: &Program) -> Vec<Tally> {
        let mut out = vec![Tally::new(program.kinds.len()); program.clients.len()];
        for e in &self.entries {
            out[e.client.0].add(e.interval, e.activity.kind());
        }
        out
    }

    /// What client `c` got, and what is missing.
    pub fn client_week(&self, program: &Program, c: ClientIx) -> ClientWeek {
        let mut tally = Tally::new(program.kinds.len());
        for e in self.entries.iter().filter(|e| e.client == c) {
            tally.add(e.interval, e.activity.kind());
        }
        ClientWeek {
            minutes: tally.minutes(),
            days: tally.days(),
            appointments: tally.counts(),
            shortfall: tally.shortfall(program.level_of(program.client(c))),
        }
    }
}

/// Assigns `clients` (sorted) to `running` sessions of one class, which already
/// seat `seated` others who stay where they are. A client goes back to last week's
/// session (`previous`) when it runs and has room; then every session gets
/// max(1, min_size), taking clients from fuller sessions if need be; the rest go
/// to the emptiest session with room. The model guarantees all of this fits; a
/// client who would not fit is left out rather than break a hard rule.
pub(crate) fn hand_out(
    program: &Program,
    running: &[SessionIx],
    seated: &[u32],
    clients: &[ClientIx],
    previous: &dyn Fn(ClientIx) -> Option<SessionIx>,
) -> Vec<(ClientIx, SessionIx)> {
    let capacity = |i: usize| program.session(running[i]).capacity;
    let need = |i: usize| program.session(running[i]).min_size.max(1);
    let mut at: Vec<Option<usize>> = vec![None; clients.len()];
    let mut count = seated.to_vec();
    let put = |at: &mut Vec<Option<usize>>, count: &mut Vec<u32>, j: usize, i: usize| {
        if let Some(old) = at[j] {
            count[old] -= 1;
        }
        at[j] = Some(i);
        count[i] += 1;
    };
    let back: Vec<Option<usize>> = clients
        .iter()
        .map(|&c| previous(c).and_then(|s| running.iter().position(|&r| r == s)))
        .collect();
    for (j, wanted) in back.iter().enumerate() {
        if let Some(i) = wanted.filter(|&i| count[i] < capacity(i)) {
            put(&mut at, &mut count, j, i);
        }
    }
    for i in 0..running.len() {
        while count[i] < need(i) {
            // An unplaced client first, else one from a session above its minimum.
            // Taking from a fuller session prefers clients who are not back in
            // last week's session.
            let spare = |j: usize| at[j].is_some_and(|d| d != i && count[d] > need(d));
            let returning = |j: usize| at[j].is_some() && at[j] == back[j];
            let donor = (0..clients.len())
                .find(|&j| at[j].is_none())
                .or_else(|| {
                    (0..clients.len())
                        .rev()
                        .find(|&j| spare(j) && !returning(j))
                })
                .or_else(|| (0..clients.len()).rev().find(|&j| spare(j)));
            let Some(j) = donor else { break };
            put(&mut at, &mut count, j, i);
        }
    }
    for j in 0..clients.len() {
        if at[j].is_none() {
            let roomiest = (0..running.len())
                .filter(|&i| count[i] < capacity(i))
                .min_by_key(|&i| count[i]);
            if let Some(i) = roomiest {
                put(&mut at, &mut count, j, i);
            }
        }
    }
    clients
        .iter()
        .zip(at)
        .filter_map(|(&c, i)| Some((c, running[i?])))
        .collect()
}

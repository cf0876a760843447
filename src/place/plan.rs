//! One solve of the clients being placed (and any published clients opened up to
//! move) around everyone else's fixed rows: a partial model of those clients only,
//! so its size does not grow with the site.

use super::fixed::{self, Row};
use super::PlaceError;
use crate::candidates::Candidates;
use crate::domain::{Activity, ClientIx, Program, SessionIx, StaffIx};
use crate::ix::IxVec;
use crate::model::{AloneBound, KeptSession, Model};
use crate::roster::{self, Entry, Roster};
use crate::solve::{self, SolveError, SolverSettings};
use good_lp::Variable;

const CHOSEN: f64 = 0.5;

/// Plans `clients` (sorted) around the rows in `rows` of every other client and
/// returns the whole roster: those rows as they are, plus the planned weeks.
/// Published clients among `clients` should have their rows as `program.previous`
/// (keeping them comes right after every client's hours).
pub fn plan(
    program: &Program,
    cands: &Candidates,
    bounds: &[AloneBound],
    rows: &[Row],
    clients: &[ClientIx],
    settings: &SolverSettings,
) -> Result<Roster, PlaceError> {
    let mut inside = vec![false; program.clients.len()];
    for &c in clients {
        inside[c.0] = true;
    }
    let held: Vec<Row> = rows
        .iter()
        .filter(|r| !inside[r.client.0])
        .cloned()
        .collect();
    let mut decided = vec![false; cands.classes.len()];
    for &c in clients {
        for &k in &cands.options(c).classes {
            decided[k] = true;
        }
    }
    let fixed = fixed::around(program, cands, &held, &decided);
    let part = Model::part(program, cands, bounds, clients, Some(fixed.clone()));
    if part.impossible_pins > 0 {
        let why = "a pinned item cannot be offered at all".to_string();
        return Err(PlaceError::Solve(SolveError::Infeasible(why)));
    }
    let kept = kept_choice(&part, &fixed.kept);
    let mut chosen = kept.clone();
    chosen.extend(part.previous_choice());
    let mut start = part.start_values(&chosen);
    if !part.satisfied(&start) {
        start = part.start_values(&kept);
    }
    let solved = solve::lexicographic(&part, start, settings).map_err(PlaceError::Solve)?;
    if !part.satisfied(&solved.values) {
        let why = "e.g. a pinned day below the daily minimum, or a pinned session below min_size";
        return Err(PlaceError::Solve(SolveError::Infeasible(why.to_string())));
    }
    let mut entries: Vec<Entry> = held.iter().filter_map(|r| r.entry(program)).collect();
    entries.extend(read_off(&part, &solved.values, &fixed.kept));
    Ok(roster_of(program, entries))
}

/// The running and facilitator variables of the kept sessions.
fn kept_choice(part: &Model, kept: &IxVec<SessionIx, Option<KeptSession>>) -> Vec<Variable> {
    let mut chosen = Vec::new();
    for (s, kept) in kept.iter_enumerated() {
        let (Some(kept), Some(open)) = (kept, part.open[s]) else {
            continue;
        };
        chosen.push(open);
        let facilitator = part.facilitate[s]
            .iter()
            .find(|(t, _)| *t == kept.facilitator);
        chosen.extend(facilitator.map(|p| p.1));
    }
    chosen
}

/// The planned clients' entries: their appointments, and their groups handed out
/// to the running sessions of each class around the seats kept there.
fn read_off(
    part: &Model,
    values: &[f64],
    kept: &IxVec<SessionIx, Option<KeptSession>>,
) -> Vec<Entry> {
    let program = part.program();
    let cands = part.cands();
    let on = |v: Variable| part.value(values, v) > CHOSEN;
    let mut members: Vec<Vec<ClientIx>> = vec![Vec::new(); cands.classes.len()];
    let mut entries = Vec::new();
    for cv in &part.clients {
        for &(k, _) in cv.classes.iter().filter(|p| on(p.1)) {
            members[k].push(cv.client);
        }
        for &(a, _) in cv.appointments.iter().filter(|p| on(p.1)) {
            entries.push(Entry {
                interval: a.interval,
                client: cv.client,
                activity: Activity::Appointment(a.kind),
                session: None,
                staff: a.staff,
            });
        }
    }
    for (k, class) in cands.classes.iter().enumerate() {
        let mut clients = std::mem::take(&mut members[k]);
        if clients.is_empty() {
            continue;
        }
        clients.sort_by(|&a, &b| program.client(a).id.cmp(&program.client(b).id));
        let running: Vec<SessionIx> = class
            .sessions
            .iter()
            .copied()
            .filter(|&s| part.open[s].is_some_and(on))
            .collect();
        let seated: Vec<u32> = running
            .iter()
            .map(|&s| kept[s].map_or(0, |k| k.members))
            .collect();
        let previous = |c: ClientIx| {
            let pinned = program.pins.iter().map(|p| (p.client, p.session));
            let before = program.previous.iter().map(|p| (p.client, p.session));
            pinned
                .chain(before)
                .find(|&(pc, s)| pc == c && s.is_some_and(|s| class.sessions.contains(&s)))
                .and_then(|(_, s)| s)
        };
        for (client, s) in roster::hand_out(program, &running, &seated, &clients, &previous) {
            let chosen = part.facilitate[s].iter().find(|(_, f)| on(*f));
            let facilitator = chosen.map(|(t, _)| *t).or(program.session(s).facilitator);
            entries.push(Entry {
                interval: program.session(s).interval,
                client,
                activity: Activity::Group,
                session: Some(s),
                staff: facilitator.expect("a running session has a facilitator"),
            });
        }
    }
    entries
}

/// A roster of `entries`: enrolment and facilitators per session, sorted.
fn roster_of(program: &Program, entries: Vec<Entry>) -> Roster {
    let mut enrolled = IxVec::from_elem(0, program.sessions.len());
    let mut facilitator: IxVec<SessionIx, Option<StaffIx>> =
        program.sessions.iter().map(|s| s.facilitator).collect();
    for e in &entries {
        if let Some(s) = e.session {
            enrolled[s] += 1;
            facilitator[s] = Some(e.staff);
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

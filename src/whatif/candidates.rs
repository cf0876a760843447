//! Candidate sessions to add: copies of catalog sessions at other days and times.
//!
//! A copy keeps the session's name, track, eligibility, capacity and min_size, and
//! its facilitator and room when they are free then. Start times are those the
//! catalog already uses for the track, on every day of the week. A copy is kept
//! only when at least one short client is eligible, here that day and free for it
//! (travel included), a therapist can facilitate it and a room is free.

use crate::candidates::{busy_conflict, ineligibility};
use crate::domain::{sites_match, ClientIx, Program, Session, SessionId, StaffIx};
use crate::time::{Day, Interval};
use std::collections::BTreeSet;

/// One session that could be added, and how many short clients could attend it.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub session: Session,
    /// Short clients who are eligible for it and free then.
    pub able: Vec<ClientIx>,
}

/// Useful copies, at most `limit`: taken in turns for each short client (so that
/// a client only a weekend session would help is not crowded out), each turn the
/// copy the most short clients could attend.
pub fn candidates(program: &Program, short: &[ClientIx], limit: usize) -> Vec<Candidate> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for template in &program.sessions {
        for interval in slots(program, template) {
            let key = (
                template.name.clone(),
                template.site.clone(),
                template.track,
                interval,
                template.levels.clone(),
                template.gender.clone(),
                template.tags.clone(),
                template.stage.clone(),
            );
            if seen.contains(&key) {
                continue;
            }
            if let Some(candidate) = copy_at(program, short, template, interval) {
                seen.insert(key);
                out.push(candidate);
            }
        }
    }
    out.sort_by_key(|c| std::cmp::Reverse(c.able.len()));
    in_turns(out, short, limit)
}

/// Picks from `sorted` in turns for each client of `short`, best first.
fn in_turns(sorted: Vec<Candidate>, short: &[ClientIx], limit: usize) -> Vec<Candidate> {
    let mut taken = vec![false; sorted.len()];
    let mut picked = Vec::new();
    while picked.len() < limit {
        let before = picked.len();
        for &c in short {
            if picked.len() == limit {
                break;
            }
            let next = (0..sorted.len()).find(|&i| !taken[i] && sorted[i].able.contains(&c));
            if let Some(i) = next {
                taken[i] = true;
                picked.push(i);
            }
        }
        if picked.len() == before {
            break;
        }
    }
    picked.sort_unstable();
    let mut sorted: Vec<Option<Candidate>> = sorted.into_iter().map(Some).collect();
    picked
        .into_iter()
        .filter_map(|i| sorted[i].take())
        .collect()
}

/// The intervals a copy of `template` may take: the track's start times on every
/// day, minus the template's own interval and any same-named session's.
fn slots(program: &Program, template: &Session) -> Vec<Interval> {
    let length = template.interval.minutes();
    let starts: BTreeSet<u32> = program
        .sessions
        .iter()
        .filter(|s| s.track == template.track)
        .map(|s| s.interval.start_of_day())
        .collect();
    let taken = |iv: Interval| {
        program
            .sessions
            .iter()
            .any(|s| s.name == template.name && s.interval == iv)
    };
    Day::all()
        .flat_map(|day| {
            starts
                .iter()
                .filter_map(move |&start| Interval::on_day(day, start, start + length))
        })
        .filter(|&iv| !taken(iv))
        .collect()
}

/// The copy of `template` at `interval`, if a short client can come and it can run.
fn copy_at(
    program: &Program,
    short: &[ClientIx],
    template: &Session,
    interval: Interval,
) -> Option<Candidate> {
    let date = interval.day().date(program.monday);
    let able: Vec<ClientIx> = short
        .iter()
        .copied()
        .filter(|&c| {
            let client = program.client(c);
            ineligibility(client, template).is_none()
                && client.here_on(date)
                && busy_conflict(client, interval).is_none()
        })
        .collect();
    if able.is_empty() {
        return None;
    }
    let facilitator = facilitator(program, template, interval)?;
    let room = match &template.room {
        None => None,
        Some(room) => Some(free_room(program, template, room, interval)?),
    };
    Some(Candidate {
        session: Session {
            id: new_id(program, template, interval),
            interval,
            facilitator,
            room,
            ..template.clone()
        },
        able,
    })
}

/// The facilitator to write: the template's when they are free then; else, for a
/// template with a named facilitator, the first free therapist of the site; for a
/// template without one, none (the optimizer picks) as long as someone is free.
fn facilitator(
    program: &Program,
    template: &Session,
    interval: Interval,
) -> Option<Option<StaffIx>> {
    let free = |t: StaffIx| {
        let staff = program.staff(t);
        staff.role.is_therapist()
            && staff.is_available(interval)
            && !program
                .sessions
                .iter()
                .any(|s| s.facilitator == Some(t) && s.interval.overlaps(interval))
    };
    if let Some(t) = template.facilitator.filter(|&t| free(t)) {
        return Some(Some(t));
    }
    let other = program
        .staff_list()
        .find(|&(t, staff)| free(t) && sites_match(&template.site, &staff.site))
        .map(|(t, _)| t)?;
    Some(template.facilitator.map(|_| other))
}

/// The template's room when nothing of the site overlaps in it, else another room
/// of the catalog (same site) that is free then.
fn free_room(program: &Program, template: &Session, room: &str, at: Interval) -> Option<String> {
    let busy = |name: &str| {
        program.sessions.iter().any(|s| {
            s.site == template.site
                && s.room
                    .as_deref()
                    .is_some_and(|r| r.eq_ignore_ascii_case(name))
                && s.interval.overlaps(at)
        })
    };
    let mut rooms: Vec<&str> = program
        .sessions
        .iter()
        .filter(|s| s.site == template.site)
        .filter_map(|s| s.room.as_deref())
        .collect();
    rooms.sort_unstable();
    rooms.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    std::iter::once(room)
        .chain(rooms)
        .find(|r| !busy(r))
        .map(str::to_string)
}

/// `N-MON-A-TUE-1800`, made unique against the catalog.
fn new_id(program: &Program, template: &Session, interval: Interval) -> SessionId {
    let start = crate::time::hhmm(interval.start_of_day()).replace(':', "");
    let base = format!(
        "{}-{}-{start}",
        template.id,
        interval.day().short_name().to_uppercase()
    );
    let taken = |id: &str| program.sessions.iter().any(|s| s.id.0 == id);
    let id = std::iter::once(base.clone())
        .chain((2..).map(|n| format!("{base}-{n}")))
        .find(|id| !taken(id))
        .expect("an unused id");
    SessionId(id)
}

//! Pins break no hard rule, alone or together: checked before solving.
//!
//! Every conflict is reported at once, each naming the pins.csv line(s) and the
//! rule; then nothing is written. What only the whole model can tell (say, a
//! pinned day that cannot reach the daily minimum with anything else) is found by
//! the solver and reported as infeasible pins.

use crate::candidates::{busy_conflict, ineligibility, Candidates};
use crate::domain::{Activity, Pin, Program};
use crate::time::Day;
use std::collections::BTreeMap;

/// The conflicts of the program's pins, as `pins.csv:LINE: rule: what` lines.
pub fn conflicts(program: &Program, cands: &Candidates) -> Vec<String> {
    let mut out = Vec::new();
    for pin in &program.pins {
        if let Some(problem) = alone(program, cands, pin) {
            out.push(format!("pins.csv:{}: {problem}", pin.line));
        }
    }
    together(program, &mut out);
    out
}

/// What is wrong with one pin by itself.
fn alone(program: &Program, cands: &Candidates, pin: &Pin) -> Option<String> {
    let client = &program.clients[pin.client];
    if !client.here_on(pin.interval.day().date(program.monday)) {
        return Some(format!(
            "admission: {} is not here on {}",
            client.id,
            pin.interval.day()
        ));
    }
    if let Some(b) = busy_conflict(client, pin.interval) {
        let busy = &client.busy[b];
        return Some(format!(
            "busy block: {} {} overlaps {} {} (+{} min travel)",
            client.id, pin.interval, busy.reason, busy.interval, client.travel_minutes
        ));
    }
    match pin.activity {
        Activity::Group => {
            let s = pin.session.expect("a group pin has a session");
            let session = &program.sessions[s];
            if let Some(what) = ineligibility(client, session) {
                return Some(format!(
                    "eligibility: {} may not attend {} ({what})",
                    client.id, session.id
                ));
            }
            let able = &cands.facilitators[s];
            match pin.staff {
                Some(t) if !able.contains(&t) => Some(format!(
                    "facilitator: {} cannot facilitate {} (not an available therapist for the whole session)",
                    program.staff[t].id, session.id
                )),
                _ if able.is_empty() => Some(format!("facilitator: {} cannot run: no facilitator is available", session.id)),
                _ => None,
            }
        }
        Activity::Appointment(k) => {
            let t = pin.staff.expect("an appointment pin has a staff member");
            let staff = &program.staff[t];
            let kind = program.kind_at(k);
            if staff.role != kind.role {
                return Some(format!("role: {} is not a {}", staff.id, kind.role));
            }
            if kind.with_primary_therapist && client.primary_therapist.is_some_and(|p| p != t) {
                return Some(format!(
                    "primary therapist: {}'s {} sessions are with their primary therapist",
                    client.id, kind.name
                ));
            }
            if !kind.in_window(pin.interval) {
                return Some(format!(
                    "window: {} is booked only between {} and {}, not {}",
                    kind.name,
                    crate::time::hhmm(kind.earliest),
                    crate::time::hhmm(kind.latest),
                    pin.interval
                ));
            }
            if !staff.is_available(pin.interval) {
                return Some(format!(
                    "availability: {} is not available {}",
                    staff.id, pin.interval
                ));
            }
            None
        }
    }
}

/// Conflicts between pins: overlaps, capacity, level maximums and counts.
fn together(program: &Program, out: &mut Vec<String>) {
    let pins = &program.pins;
    for (i, a) in pins.iter().enumerate() {
        for b in &pins[i + 1..] {
            if a.client == b.client && a.interval.overlaps(b.interval) {
                out.push(format!(
                    "pins.csv:{} and {}: client overlap: {} would be in two places at {}",
                    a.line, b.line, program.clients[a.client].id, b.interval
                ));
            }
            let same_staff = a.staff.is_some()
                && a.staff == b.staff
                && a.session.is_none()
                && b.session.is_none();
            if same_staff && a.interval.overlaps(b.interval) {
                out.push(format!(
                    "pins.csv:{} and {}: staff overlap: {} would be booked twice at {}",
                    a.line,
                    b.line,
                    program.staff[a.staff.unwrap_or_default()].id,
                    b.interval
                ));
            }
        }
    }
    let mut per_session: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for pin in pins.iter().filter(|p| p.session.is_some()) {
        per_session
            .entry(pin.session.unwrap_or_default())
            .or_default()
            .push(pin.line);
    }
    for (s, lines) in per_session {
        let session = &program.sessions[s];
        if lines.len() as u32 > session.capacity {
            out.push(format!(
                "pins.csv:{}: capacity: {} pins for {}, which seats {}",
                join(&lines),
                lines.len(),
                session.id,
                session.capacity
            ));
        }
    }
    for (c, client) in program.clients.iter().enumerate() {
        let mine: Vec<&Pin> = pins.iter().filter(|p| p.client == c).collect();
        if mine.is_empty() {
            continue;
        }
        let level = program.level_of(client);
        let lines: Vec<usize> = mine.iter().map(|p| p.line).collect();
        let mut per_day = [0u32; 7];
        for p in &mine {
            per_day[p.interval.day().index()] += p.interval.minutes();
        }
        for d in Day::all().filter(|d| per_day[d.index()] > level.max_daily_minutes) {
            out.push(format!(
                "pins.csv:{}: max_daily_hours: {} would have {} min on {d}, {} allows {}",
                join(&lines),
                client.id,
                per_day[d.index()],
                level.name,
                level.max_daily_minutes
            ));
        }
        let week: u32 = per_day.iter().sum();
        if week > level.max_weekly_minutes {
            out.push(format!(
                "pins.csv:{}: max_weekly_hours: {} would have {week} min, {} allows {}",
                join(&lines),
                client.id,
                level.name,
                level.max_weekly_minutes
            ));
        }
        let days = per_day.iter().filter(|&&m| m > 0).count() as u32;
        if days > level.max_days {
            out.push(format!(
                "pins.csv:{}: max_days: {} would come {days} days, {} allows {}",
                join(&lines),
                client.id,
                level.name,
                level.max_days
            ));
        }
        for (k, kind) in program.kind_list() {
            let of_kind = |p: &&&Pin| p.activity == Activity::Appointment(k);
            let n = mine.iter().filter(of_kind).count() as u32;
            if n > level.per_week(k) {
                out.push(format!(
                    "pins.csv:{}: {}_per_week: {n} {} pins for {}, the level books {}",
                    join(&lines),
                    kind.name,
                    kind.name,
                    client.id,
                    level.per_week(k)
                ));
            }
            if let Some(most) = kind.max_per_day {
                for d in Day::all() {
                    let n = mine
                        .iter()
                        .filter(of_kind)
                        .filter(|p| p.interval.day() == d)
                        .count() as u32;
                    if n > most {
                        out.push(format!(
                            "pins.csv:{}: max_per_day: {n} {} pins for {} on {d}, appointments.csv allows {most}",
                            join(&lines),
                            kind.name,
                            client.id
                        ));
                    }
                }
            }
        }
    }
}

fn join(lines: &[usize]) -> String {
    lines
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

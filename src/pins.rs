//! Pins break no hard rule, alone or together: checked before solving.
//!
//! Every conflict is reported at once, each naming the pins.csv line(s) and the
//! rule; then nothing is written. What only the whole model can tell (say, a
//! pinned day that cannot reach the daily minimum with anything else) is found by
//! the solver and reported as infeasible pins.

use crate::candidates::{busy_conflict, ineligibility, Candidates};
use crate::domain::{Activity, ClientIx, Pin, Program, SessionIx};
use crate::tally::{Excess, Tally};
use std::collections::BTreeMap;
use std::fmt;

/// The hard rule a pin breaks, alone or with other pins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PinRule {
    Admission,
    BusyBlock,
    Eligibility,
    Facilitator,
    Role,
    PrimaryTherapist,
    Window,
    Availability,
    ClientOverlap,
    StaffOverlap,
    Capacity,
    MaxDailyHours,
    MaxWeeklyHours,
    MaxDays,
    /// The level's count of appointments of this kind (by its name).
    PerWeek(String),
    MaxPerDay,
}

impl fmt::Display for PinRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            PinRule::Admission => "admission",
            PinRule::BusyBlock => "busy block",
            PinRule::Eligibility => "eligibility",
            PinRule::Facilitator => "facilitator",
            PinRule::Role => "role",
            PinRule::PrimaryTherapist => "primary therapist",
            PinRule::Window => "window",
            PinRule::Availability => "availability",
            PinRule::ClientOverlap => "client overlap",
            PinRule::StaffOverlap => "staff overlap",
            PinRule::Capacity => "capacity",
            PinRule::MaxDailyHours => "max_daily_hours",
            PinRule::MaxWeeklyHours => "max_weekly_hours",
            PinRule::MaxDays => "max_days",
            PinRule::PerWeek(kind) => return write!(f, "{kind}_per_week"),
            PinRule::MaxPerDay => "max_per_day",
        };
        f.write_str(name)
    }
}

/// Pins that break a hard rule: the pins.csv lines, the rule, and what breaks it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PinConflict {
    /// The pins.csv lines involved, in file order.
    pub lines: Vec<usize>,
    pub rule: PinRule,
    /// What breaks the rule, in words.
    pub detail: String,
}

impl PinConflict {
    fn new(lines: Vec<usize>, rule: PinRule, detail: String) -> PinConflict {
        PinConflict {
            lines,
            rule,
            detail,
        }
    }
}

impl fmt::Display for PinConflict {
    /// `pins.csv:LINE: rule: what`; two overlapping pins read `3 and 5`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let overlap = matches!(self.rule, PinRule::ClientOverlap | PinRule::StaffOverlap);
        let lines: Vec<String> = self.lines.iter().map(usize::to_string).collect();
        let lines = lines.join(if overlap { " and " } else { "," });
        write!(f, "pins.csv:{lines}: {}: {}", self.rule, self.detail)
    }
}

/// The conflicts of the program's pins: each pin alone, then pins together.
pub fn conflicts(program: &Program, cands: &Candidates) -> Vec<PinConflict> {
    let mut out = Vec::new();
    for pin in &program.pins {
        if let Some((rule, detail)) = alone(program, cands, pin) {
            out.push(PinConflict::new(vec![pin.line], rule, detail));
        }
    }
    together(program, &mut out);
    out
}

/// What is wrong with one pin by itself.
fn alone(program: &Program, cands: &Candidates, pin: &Pin) -> Option<(PinRule, String)> {
    let client = program.client(pin.client);
    if !client.here_on(pin.interval.day().date(program.monday)) {
        return Some((
            PinRule::Admission,
            format!("{} is not here on {}", client.id, pin.interval.day()),
        ));
    }
    if let Some(b) = busy_conflict(client, pin.interval) {
        let busy = &client.busy[b];
        return Some((
            PinRule::BusyBlock,
            format!(
                "{} {} overlaps {} {} (+{} min travel)",
                client.id, pin.interval, busy.reason, busy.interval, client.travel_minutes
            ),
        ));
    }
    match pin.activity {
        Activity::Group => {
            let s = pin.session.expect("a group pin has a session");
            let session = program.session(s);
            if let Some(what) = ineligibility(client, session) {
                return Some((
                    PinRule::Eligibility,
                    format!("{} may not attend {} ({what})", client.id, session.id),
                ));
            }
            let able = cands.facilitators_of(s);
            match pin.staff {
                Some(t) if !able.contains(&t) => Some((PinRule::Facilitator, format!("{} cannot facilitate {} (not an available therapist for the whole session)",
                    program.staff(t).id, session.id
                ))),
                _ if able.is_empty() => Some((PinRule::Facilitator, format!("{} cannot run: no facilitator is available", session.id))),
                _ => None,
            }
        }
        Activity::Appointment(k) => {
            let t = pin.staff.expect("an appointment pin has a staff member");
            let staff = program.staff(t);
            let kind = program.kind_at(k);
            if staff.role != kind.role {
                return Some((
                    PinRule::Role,
                    format!("{} is not a {}", staff.id, kind.role),
                ));
            }
            if kind.with_primary_therapist && client.primary_therapist.is_some_and(|p| p != t) {
                return Some((
                    PinRule::PrimaryTherapist,
                    format!(
                        "{}'s {} sessions are with their primary therapist",
                        client.id, kind.name
                    ),
                ));
            }
            if !kind.in_window(pin.interval) {
                return Some((
                    PinRule::Window,
                    format!(
                        "{} is booked only between {} and {}, not {}",
                        kind.name,
                        crate::time::hhmm(kind.earliest),
                        crate::time::hhmm(kind.latest),
                        pin.interval
                    ),
                ));
            }
            if !staff.is_available(pin.interval) {
                return Some((
                    PinRule::Availability,
                    format!("{} is not available {}", staff.id, pin.interval),
                ));
            }
            None
        }
    }
}

/// Conflicts between pins: overlaps, capacity, level maximums and counts.
fn together(program: &Program, out: &mut Vec<PinConflict>) {
    overlaps(program, out);
    capacity(program, out);
    for c in program.client_ixs() {
        client_limits(program, c, out);
    }
}

/// Two pins of one client, or two appointment pins of one staff member, at once.
fn overlaps(program: &Program, out: &mut Vec<PinConflict>) {
    let pins = &program.pins;
    for (i, a) in pins.iter().enumerate() {
        for b in &pins[i + 1..] {
            if a.client == b.client && a.interval.overlaps(b.interval) {
                out.push(PinConflict::new(
                    vec![a.line, b.line],
                    PinRule::ClientOverlap,
                    format!(
                        "{} would be in two places at {}",
                        program.client(a.client).id,
                        b.interval
                    ),
                ));
            }
            let same_staff = a
                .staff
                .filter(|_| a.staff == b.staff && a.session.is_none() && b.session.is_none());
            if let Some(t) = same_staff.filter(|_| a.interval.overlaps(b.interval)) {
                out.push(PinConflict::new(
                    vec![a.line, b.line],
                    PinRule::StaffOverlap,
                    format!(
                        "{} would be booked twice at {}",
                        program.staff(t).id,
                        b.interval
                    ),
                ));
            }
        }
    }
}

/// More pins for a session than it seats.
fn capacity(program: &Program, out: &mut Vec<PinConflict>) {
    let mut per_session: BTreeMap<SessionIx, Vec<usize>> = BTreeMap::new();
    for pin in &program.pins {
        if let Some(s) = pin.session {
            per_session.entry(s).or_default().push(pin.line);
        }
    }
    for (s, lines) in per_session {
        let session = program.session(s);
        if lines.len() as u32 > session.capacity {
            let detail = format!(
                "{} pins for {}, which seats {}",
                lines.len(),
                session.id,
                session.capacity
            );
            out.push(PinConflict::new(lines, PinRule::Capacity, detail));
        }
    }
}

/// The pins of client `c` together beyond a maximum of their level or of an
/// appointment kind.
fn client_limits(program: &Program, c: ClientIx, out: &mut Vec<PinConflict>) {
    let mine: Vec<&Pin> = program.pins.iter().filter(|p| p.client == c).collect();
    if mine.is_empty() {
        return;
    }
    let client = program.client(c);
    let level = program.level_of(client);
    let lines: Vec<usize> = mine.iter().map(|p| p.line).collect();
    let mut tally = Tally::new(program.kinds.len());
    for p in &mine {
        tally.add(p.interval, p.activity.kind());
    }
    for excess in tally.excess(program, level) {
        let (rule, detail) = match excess {
            Excess::DayMinutes(d, minutes) => (
                PinRule::MaxDailyHours,
                format!(
                    "{} would have {minutes} min on {d}, {} allows {}",
                    client.id, level.name, level.max_daily_minutes
                ),
            ),
            Excess::WeekMinutes(week) => (
                PinRule::MaxWeeklyHours,
                format!(
                    "{} would have {week} min, {} allows {}",
                    client.id, level.name, level.max_weekly_minutes
                ),
            ),
            Excess::Days(days) => (
                PinRule::MaxDays,
                format!(
                    "{} would come {days} days, {} allows {}",
                    client.id, level.name, level.max_days
                ),
            ),
            Excess::PerWeek(k, n) => {
                let kind = program.kind_at(k);
                (
                    PinRule::PerWeek(kind.name.clone()),
                    format!(
                        "{n} {} pins for {}, the level books {}",
                        kind.name,
                        client.id,
                        level.per_week(k)
                    ),
                )
            }
            Excess::PerDay(k, d, n) => {
                let kind = program.kind_at(k);
                let most = kind.max_per_day.unwrap_or_default();
                (
                    PinRule::MaxPerDay,
                    format!(
                        "{n} {} pins for {} on {d}, appointments.csv allows {most}",
                        kind.name, client.id
                    ),
                )
            }
        };
        out.push(PinConflict::new(lines.clone(), rule, detail));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_conflict_names_its_pins_csv_lines_and_rule() {
        let overlap = PinConflict::new(
            vec![3, 5],
            PinRule::ClientOverlap,
            "C1 would be in two places at Mon 09:00-12:00".into(),
        );
        assert_eq!(
            overlap.to_string(),
            "pins.csv:3 and 5: client overlap: C1 would be in two places at Mon 09:00-12:00"
        );
        let count = PinConflict::new(
            vec![2, 3, 4],
            PinRule::PerWeek("family".into()),
            "3 family pins for C1, the level books 1".into(),
        );
        assert_eq!(
            count.to_string(),
            "pins.csv:2,3,4: family_per_week: 3 family pins for C1, the level books 1"
        );
    }
}

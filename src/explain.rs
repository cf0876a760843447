//! Why a client is short, in words a coordinator can act on.
//!
//! Computed, not canned: the per-client pre-analysis says whether the client could
//! meet their level with the whole program to themselves. If not, the cause is in
//! their own situation (commitments, eligibility, staff hours that fit them), and we
//! name the binding part. If they could, they lost to other clients (full groups,
//! cancelled sessions, booked staff), and we name what was full.

mod kinds;

use crate::candidates::{day_upper_bound, ineligibility, Candidates};
use crate::domain::{Client, ClientIx, KindIx, Program};
use crate::model::AloneBound;
use crate::roster::{ClientWeek, Roster};
use crate::time::{hhmm, hours, Day};
use std::collections::BTreeMap;

/// The reason written for a `short` client.
pub fn reason(
    program: &Program,
    cands: &Candidates,
    bound: &AloneBound,
    roster: &Roster,
    c: ClientIx,
    week: &ClientWeek,
) -> String {
    let client = program.client(c);
    let mut parts = Vec::new();
    if client.prorated.is_some() {
        let day = |d: Option<chrono::NaiveDate>| d.map_or("-".to_string(), |d| d.to_string());
        parts.push(format!(
            "here {} to {} this week (minimums pro-rated)",
            day(client.admit),
            day(client.discharge)
        ));
    }
    let busy = describe_busy(client);
    if !busy.is_empty() {
        parts.push(busy);
    }
    if bound.can_meet {
        parts.push(contention(program, cands, roster, c, week));
    } else {
        parts.push(own_limits(program, cands, c, week));
    }
    parts.join("; ")
}

/// "works Mon-Fri 08:00-17:00 (+30 min travel)": the client's commitments, grouped
/// by time and reason across days.
pub fn describe_busy(client: &Client) -> String {
    let mut by_slot: BTreeMap<(String, u32, u32), Vec<Day>> = BTreeMap::new();
    for b in &client.busy {
        let iv = b.interval;
        by_slot
            .entry((b.reason.to_lowercase(), iv.start_of_day(), iv.end_of_day()))
            .or_default()
            .push(iv.day());
    }
    if by_slot.is_empty() {
        return String::new();
    }
    let mut slots: Vec<((String, u32, u32), Vec<Day>)> = by_slot.into_iter().collect();
    slots.sort_by_key(|(slot, days)| (days.iter().min().copied(), slot.1));
    let mut text: Vec<String> = slots
        .into_iter()
        .map(|((reason, start, end), days)| {
            let verb = match reason.as_str() {
                "work" => "works".to_string(),
                "" => "busy".to_string(),
                other => other.to_string(),
            };
            format!("{verb} {} {}-{}", day_ranges(&days), hhmm(start), hhmm(end))
        })
        .collect();
    text.dedup();
    let mut out = text.join(", ");
    if client.travel_minutes > 0 {
        out.push_str(&format!(" (+{} min travel)", client.travel_minutes));
    }
    out
}

/// "Mon-Fri", "Mon,Wed", "Mon-Wed,Sat".
fn day_ranges(days: &[Day]) -> String {
    let mut idx: Vec<usize> = days.iter().map(|d| d.index()).collect();
    idx.sort_unstable();
    idx.dedup();
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for i in idx {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == i => *end = i,
            _ => runs.push((i, i)),
        }
    }
    let name = |i: usize| Day::new(i).map_or("?", |d| d.short_name());
    runs.iter()
        .map(|&(a, b)| match b - a {
            0 => name(a).to_string(),
            1 => format!("{},{}", name(a), name(b)),
            _ => format!("{}-{}", name(a), name(b)),
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// The cause for a client who cannot meet the level even alone.
fn own_limits(program: &Program, cands: &Candidates, c: ClientIx, week: &ClientWeek) -> String {
    let client = program.client(c);
    let level = program.level_of(client);
    let options = cands.options(c);
    let eligible = program
        .sessions
        .iter()
        .filter(|s| ineligibility(client, s).is_none())
        .count();
    if eligible == 0 {
        return format!(
            "no group session in the catalog is open to them (level {}, their gender, tags and stage); add an eligible session or change the eligibility",
            level.name
        );
    }
    let possible: Vec<(Day, u32)> = Day::all()
        .map(|d| {
            (
                d,
                day_upper_bound(program, client, &cands.classes, options, d, &[]),
            )
        })
        .filter(|&(_, m)| m >= level.min_daily_minutes && m > 0)
        .collect();
    let day_names: Vec<&str> = possible.iter().map(|(d, _)| d.short_name()).collect();
    if (possible.len() as u32) < level.min_days {
        let fits = if possible.is_empty() {
            "no day".to_string()
        } else {
            format!("only {} day(s) ({})", possible.len(), day_names.join(", "))
        };
        let missing = level.min_days as usize - possible.len();
        return format!(
            "{fits} can hold the {} h daily minimum around it, {} needs {} days; {}",
            hours(level.min_daily_minutes),
            level.name,
            level.min_days,
            new_session_hint(program, c, &possible, missing)
        );
    }
    let mut per_day: Vec<u32> = possible
        .iter()
        .map(|&(_, m)| m.min(level.max_daily_minutes))
        .collect();
    per_day.sort_unstable_by(|a, b| b.cmp(a));
    let most: u32 = per_day.iter().take(level.max_days as usize).sum();
    if most < level.min_weekly_minutes {
        return format!(
            "at most {} h/week of sessions fit around it ({}), {} needs {} h; longer or additional sessions on those days would help",
            hours(most),
            day_names.join(", "),
            level.name,
            hours(level.min_weekly_minutes)
        );
    }
    if let Some(reason) = kinds::own_limits(program, cands, c, week) {
        return reason;
    }
    for (k, kind) in program.kind_list() {
        if week.shortfall.appointments[k.0] == 0 || kind.from_file {
            continue;
        }
        return format!(
            "no {} time fits on a day they can attend; more {} hours on {} would let them meet {}",
            appointment_with(program, client, k),
            kind.role,
            day_names.join(", "),
            level.name
        );
    }
    format!(
        "their free times cannot be combined into {} days of {}-{} h; review their commitments or level",
        level.min_days,
        hours(level.min_daily_minutes),
        hours(level.max_daily_minutes)
    )
}

/// "one more eligible session on Tue or Thu within 17:30-22:00 would let them meet
/// IOP": the days outside `possible` with a free window long enough for a program day.
fn new_session_hint(
    program: &Program,
    c: ClientIx,
    possible: &[(Day, u32)],
    missing: usize,
) -> String {
    let client = program.client(c);
    let level = program.level_of(client);
    let windows: Vec<(Day, u32, u32)> = Day::all()
        .filter(|d| !possible.iter().any(|(p, _)| p == d))
        .filter_map(|d| free_window(client, d))
        .filter(|&(_, start, end)| end - start >= level.min_daily_minutes)
        .collect();
    if windows.len() < missing {
        return format!(
            "their commitments leave no {} h window on enough other days; review their schedule or level",
            hours(level.min_daily_minutes)
        );
    }
    let options: Vec<String> = windows
        .iter()
        .map(|&(d, start, end)| format!("{d} {}-{}", hhmm(start), hhmm(end)))
        .collect();
    let count = if missing == 1 {
        "one more eligible session".to_string()
    } else {
        format!("{missing} more eligible sessions")
    };
    format!(
        "{count} of at least {} h on {} would let them meet {}",
        hours(level.min_daily_minutes),
        options.join(" or "),
        level.name
    )
}

/// Program hours of a day a session could be offered in.
const OPEN_FROM: u32 = 7 * 60;
const OPEN_UNTIL: u32 = 22 * 60;

/// The longest stretch of `day` within program hours that is clear of the client's
/// busy blocks and travel, as (day, start, end) minutes of the day.
fn free_window(client: &Client, day: Day) -> Option<(Day, u32, u32)> {
    let mut blocked: Vec<(u32, u32)> = client
        .busy
        .iter()
        .filter(|b| b.interval.day() == day)
        .map(|b| {
            let iv = b.interval;
            (
                iv.start_of_day().saturating_sub(client.travel_minutes),
                iv.end_of_day() + client.travel_minutes,
            )
        })
        .collect();
    blocked.sort_unstable();
    let mut best: Option<(u32, u32)> = None;
    let mut from = OPEN_FROM;
    for (start, end) in blocked.into_iter().chain([(OPEN_UNTIL, OPEN_UNTIL)]) {
        let until = start.min(OPEN_UNTIL);
        if until > from && best.is_none_or(|(a, b)| until - from > b - a) {
            best = Some((from, until));
        }
        from = from.max(end);
    }
    best.map(|(a, b)| (day, a, b))
}

/// "therapist T2 (primary)" or "nurse": whom a client meets for kind `k`.
fn appointment_with(program: &Program, client: &Client, k: KindIx) -> String {
    let kind = program.kind_at(k);
    match (kind.with_primary_therapist, client.primary_therapist) {
        (true, Some(t)) => format!("therapist {} (primary)", program.staff(t).id),
        _ => kind.role.to_string(),
    }
}

/// The cause for a client who could meet the level alone but lost to others.
fn contention(
    program: &Program,
    cands: &Candidates,
    roster: &Roster,
    c: ClientIx,
    week: &ClientWeek,
) -> String {
    let client = program.client(c);
    let level = program.level_of(client);
    let mut causes = Vec::new();
    let mut full = Vec::new();
    let mut cancelled = Vec::new();
    for &k in &cands.options(c).classes {
        let class = &cands.classes[k];
        let attended = roster
            .entries
            .iter()
            .any(|e| e.client == c && e.session.is_some_and(|s| class.sessions.contains(&s)));
        if attended {
            continue;
        }
        let s = class.sessions[0];
        let label = format!(
            "{} {}",
            program.session(s).interval,
            program.session(s).name
        );
        let running = class.sessions.iter().any(|&s| roster.enrolled[s] > 0);
        let room = class
            .sessions
            .iter()
            .any(|&s| roster.enrolled[s] > 0 && roster.enrolled[s] < program.session(s).capacity);
        if running && !room {
            full.push(label);
        } else if !running {
            cancelled.push(label);
        }
    }
    if !full.is_empty() {
        causes.push(format!("full: {}", list_some(&full)));
    }
    if !cancelled.is_empty() {
        causes.push(format!(
            "not running (below min_size or no facilitator free): {}",
            list_some(&cancelled)
        ));
    }
    for (k, kind) in program.kind_list() {
        if week.shortfall.appointments[k.0] > 0 {
            let with = appointment_with(program, client, k);
            causes.push(if kind.from_file {
                let nth = kinds::ordinal(week.appointments[k.0] + 1);
                format!(
                    "{with} is booked at the times that fit the {nth} {}",
                    kind.name
                )
            } else {
                format!("{with} is booked at the times that fit")
            });
        }
    }
    let what = if causes.is_empty() {
        "other clients' needs came first under the priorities".to_string()
    } else {
        causes.join("; ")
    };
    format!(
        "could meet {} alone but lost to contention: {what}; more capacity or staff time there would let them meet it",
        level.name
    )
}

/// The first three items and a count of the rest.
fn list_some(items: &[String]) -> String {
    let shown: Vec<&str> = items.iter().take(3).map(String::as_str).collect();
    match items.len().saturating_sub(3) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_ranges_read_like_a_schedule() {
        let d = |i| Day::new(i).unwrap();
        assert_eq!(day_ranges(&[d(0), d(1), d(2), d(3), d(4)]), "Mon-Fri");
        assert_eq!(day_ranges(&[d(0), d(2)]), "Mon,Wed");
        assert_eq!(day_ranges(&[d(5), d(0), d(1), d(2)]), "Mon-Wed,Sat");
        assert_eq!(day_ranges(&[d(3), d(4)]), "Thu,Fri");
    }
}

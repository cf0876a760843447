//! Why a client cannot get an appointment of a kind of appointments.csv, even with
//! the program to themselves: the kind, which one is missing (the 2nd drug screen),
//! and the cause that binds: no staff of the role, the kind's window, the client's
//! commitments, or the daily limit.

use crate::candidates::{appointment_staff, busy_conflict, Candidates};
use crate::domain::{ClientIx, KindIx, Program, StaffIx};
use crate::roster::ClientWeek;
use crate::time::{hhmm, Day, Interval};

/// Start times are tried this many minutes apart when looking for a clear slot.
const STEP_MINUTES: u32 = 5;

/// "no nurse time fits for the 2nd drug_screen on a day they can attend: ...", for
/// the short kinds of appointments.csv: the first whose cause is specific (no staff,
/// the window, their commitments, the daily limit), else the first short one.
pub(super) fn own_limits(
    program: &Program,
    cands: &Candidates,
    c: ClientIx,
    week: &ClientWeek,
) -> Option<String> {
    let client = program.client(c);
    let mut first = None;
    for (k, kind) in program.kind_list() {
        if !kind.from_file || week.shortfall.appointments[k.0] == 0 {
            continue;
        }
        let (cause, specific) = cause(program, cands, c, k);
        let with = super::appointment_with(program, client, k);
        let nth = ordinal(week.appointments[k.0] + 1);
        let text = format!(
            "no {with} time fits for the {nth} {} on a day they can attend: {cause}",
            kind.name
        );
        if specific {
            return Some(text);
        }
        first.get_or_insert(text);
    }
    first
}

/// "1st", "2nd", "3rd", "4th", "11th", "21st".
pub(super) fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// Per day: whether staff of the kind has time inside its window (`staffed`),
/// and whether such time is also clear of the client's commitments (`clear`).
struct DayFit {
    staffed: [bool; 7],
    clear: [bool; 7],
}

fn day_fit(program: &Program, c: ClientIx, k: KindIx, staff: &[StaffIx]) -> DayFit {
    let client = program.client(c);
    let kind = program.kind_at(k);
    let mut fit = DayFit {
        staffed: [false; 7],
        clear: [false; 7],
    };
    for &t in staff {
        for block in &program.staff(t).availability {
            let day = block.day();
            let start = block.start_of_day().max(kind.earliest);
            let end = block.end_of_day().min(kind.latest);
            if end < start + kind.minutes || !client.here_on(day.date(program.monday)) {
                continue;
            }
            fit.staffed[day.index()] = true;
            let clear = (start..=end - kind.minutes)
                .step_by(STEP_MINUTES as usize)
                .filter_map(|s| Interval::on_day(day, s, s + kind.minutes))
                .any(|iv| busy_conflict(client, iv).is_none());
            fit.clear[day.index()] |= clear;
        }
    }
    fit
}

fn day_list(flags: &[bool; 7]) -> String {
    let days: Vec<&str> = Day::all()
        .filter(|d| flags[d.index()])
        .map(|d| d.short_name())
        .collect();
    days.join(", ")
}

/// The binding cause, most basic first, and whether it is specific (false for the
/// last resort: the time exists but does not combine with a program day).
fn cause(program: &Program, cands: &Candidates, c: ClientIx, k: KindIx) -> (String, bool) {
    let client = program.client(c);
    let kind = program.kind_at(k);
    let role = &kind.role;
    let staff = appointment_staff(program, client, k);
    if staff.is_empty() {
        return (format!("no {role} serves their site"), true);
    }
    let window = if kind.has_window() {
        format!(" window {}-{}", hhmm(kind.earliest), hhmm(kind.latest))
    } else {
        " time".to_string()
    };
    let fit = day_fit(program, c, k, &staff);
    if !fit.staffed.contains(&true) {
        let text = format!(
            "no {role} is available for {} minutes inside the {}{window} this week; more {role} hours there would help",
            kind.minutes, kind.name
        );
        return (text, true);
    }
    if !fit.clear.contains(&true) {
        let mut reasons: Vec<String> = client
            .busy
            .iter()
            .filter(|b| fit.staffed[b.interval.day().index()])
            .map(|b| match b.reason.trim() {
                "" => "commitments".to_string(),
                reason => reason.to_lowercase(),
            })
            .collect();
        reasons.sort();
        reasons.dedup();
        let text = format!(
            "the {}{window} collides with their {} on every day a {role} is available ({})",
            kind.name,
            reasons.join(" and "),
            day_list(&fit.staffed)
        );
        return (text, true);
    }
    let mut attend = [false; 7];
    for &g in &cands.options(c).classes {
        attend[cands.classes[g].interval.day().index()] = true;
    }
    let both: [bool; 7] = std::array::from_fn(|d| fit.clear[d] && attend[d]);
    let days = both.iter().filter(|&&b| b).count() as u32;
    if days == 0 {
        let text = format!(
            "{role} time clear of their commitments is only on {}, where no group session fits them",
            day_list(&fit.clear)
        );
        return (text, true);
    }
    let level = program.level_of(client);
    if let Some(most) = kind.max_per_day {
        if most * days < level.per_week(k) {
            let text = format!(
                "at most {most} {} a day (max_per_day) and {role} time on only {days} of their days ({})",
                kind.name,
                day_list(&both)
            );
            return (text, true);
        }
    }
    let text = format!(
        "the {role} time that fits ({}) does not combine with a program day within their daily hours",
        day_list(&both)
    );
    (text, false)
}

#[cfg(test)]
mod tests {
    use super::ordinal;

    #[test]
    fn ordinals_read_like_english() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101].map(ordinal).to_vec();
        assert_eq!(
            got,
            ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st"]
        );
    }
}

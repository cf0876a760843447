//! Admissions and discharges inside the week: pro-rated minimums.
//!
//! A client with an `admit_date` or `discharge_date` is scheduled only on the days
//! between them (both included). Their level's minimums shrink with the share of
//! the week's program days (days on which the catalog has any session) they are
//! here for: with `here` of `all` program days,
//! - weekly minutes: `ceil(min_weekly × here / all)`,
//! - program days: `ceil(min_days × here / all)`, at most `here`,
//! - appointments of each kind: `count × here / all`, rounded half up,
//!
//! and every maximum stays as it is. A client here for every program day keeps the
//! level unchanged; one here for none has no minimums this week.

use crate::domain::{Level, Program};
use crate::time::Day;

/// Sets `prorated` for every client who is not here all week.
pub(super) fn prorate(mut program: Program) -> Program {
    let program_days: Vec<Day> = Day::all()
        .filter(|&d| program.sessions.iter().any(|s| s.day() == d))
        .collect();
    let all = program_days.len() as u32;
    for c in 0..program.clients.len() {
        let client = &program.clients[c];
        let here = program_days
            .iter()
            .filter(|d| client.here_on(d.date(program.monday)))
            .count() as u32;
        if here < all {
            let level = scaled(&program.levels[client.level], here, all);
            program.clients[c].prorated = Some(level);
        }
    }
    program
}

/// `level` with its minimums scaled to `here` of `all` program days.
fn scaled(level: &Level, here: u32, all: u32) -> Level {
    let share_up = |n: u32| (n * here).div_ceil(all);
    Level {
        min_weekly_minutes: share_up(level.min_weekly_minutes),
        min_days: share_up(level.min_days).min(here),
        appointments_per_week: level
            .appointments_per_week
            .iter()
            .map(|&n| (2 * n * here + all) / (2 * all))
            .collect(),
        ..level.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iop() -> Level {
        Level {
            name: "IOP".into(),
            min_weekly_minutes: 540,
            max_weekly_minutes: 1200,
            min_days: 3,
            max_days: 5,
            min_daily_minutes: 180,
            max_daily_minutes: 240,
            appointments_per_week: vec![1, 1],
            billing_code: Some("H0015".into()),
        }
    }

    #[test]
    fn admitted_on_wednesday_of_a_five_day_week() {
        let level = scaled(&iop(), 3, 5);
        assert_eq!(level.min_weekly_minutes, 324); // 5.4 h
        assert_eq!(level.min_days, 2);
        assert_eq!(level.appointments_per_week, vec![1, 1]);
        assert_eq!(level.max_weekly_minutes, 1200);
    }

    #[test]
    fn discharged_on_monday_keeps_no_appointment() {
        let level = scaled(&iop(), 1, 5);
        assert_eq!(level.min_weekly_minutes, 108);
        assert_eq!(level.min_days, 1);
        assert_eq!(level.appointments_per_week, vec![0, 0]);
    }

    #[test]
    fn gone_all_week_has_no_minimums() {
        let level = scaled(&iop(), 0, 5);
        assert_eq!((level.min_weekly_minutes, level.min_days), (0, 0));
        assert_eq!(level.appointments_per_week, vec![0, 0]);
    }
}

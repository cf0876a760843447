//! One client's week added up: minutes per day, program days and appointments by
//! kind and day, and how that compares with their level.
//!
//! The constructive start ([`crate::heuristic`]), the pin checks ([`crate::pins`]),
//! the roster ([`crate::roster::Roster::client_week`]), billing ([`crate::billing`])
//! and the model's start values ([`crate::model::Model::start_values`]) all count
//! through this one type, so they cannot disagree on what a program day or a
//! shortfall is. (The checker counts on
//! its own: it shares no code with the optimizer.)

use crate::domain::{KindIx, Level, Program};
use crate::time::{Day, Interval};

/// The items of one client's week, counted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tally {
    /// Per day: minutes of every activity.
    minutes: [u32; 7],
    /// Per day: activities (a program day has at least one).
    items: [u32; 7],
    /// Per appointment kind (indexed like [`Program::kinds`]): appointments per day.
    appointments: Vec<[u32; 7]>,
}

/// How far one client is from their level's minimums.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Shortfall {
    pub minutes: u32,
    pub days: u32,
    /// Indexed like [`Program::kinds`].
    pub appointments: Vec<u32>,
}

/// A maximum of the level (or of an appointment kind) that a tally goes beyond.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Excess {
    /// Minutes on a day above `max_daily_hours`.
    DayMinutes(Day, u32),
    /// Minutes in the week above `max_weekly_hours`.
    WeekMinutes(u32),
    /// Program days above `max_days`.
    Days(u32),
    /// Appointments of a kind above the level's count per week.
    PerWeek(KindIx, u32),
    /// Appointments of a kind on one day above the kind's `max_per_day`.
    PerDay(KindIx, Day, u32),
}

impl Tally {
    /// An empty week of a program with `kinds` appointment kinds.
    pub fn new(kinds: usize) -> Tally {
        Tally {
            minutes: [0; 7],
            items: [0; 7],
            appointments: vec![[0; 7]; kinds],
        }
    }

    /// Counts one activity at `iv`: a group (`kind` `None`) or an appointment.
    pub fn add(&mut self, iv: Interval, kind: Option<KindIx>) {
        let d = iv.day().index();
        self.minutes[d] += iv.minutes();
        self.items[d] += 1;
        if let Some(k) = kind {
            self.appointments[k.0][d] += 1;
        }
    }

    /// Takes back an activity counted with [`Tally::add`].
    pub fn remove(&mut self, iv: Interval, kind: Option<KindIx>) {
        let d = iv.day().index();
        self.minutes[d] -= iv.minutes();
        self.items[d] -= 1;
        if let Some(k) = kind {
            self.appointments[k.0][d] -= 1;
        }
    }

    /// Minutes on `day`.
    pub fn on(&self, day: Day) -> u32 {
        self.minutes[day.index()]
    }

    /// Minutes in the week.
    pub fn minutes(&self) -> u32 {
        self.minutes.iter().sum()
    }

    /// Program days: days with at least one activity.
    pub fn days(&self) -> u32 {
        self.items.iter().filter(|&&n| n > 0).count() as u32
    }

    /// Appointments of kind `k` in the week.
    pub fn appointments(&self, k: KindIx) -> u32 {
        self.appointments[k.0].iter().sum()
    }

    /// Appointments of kind `k` on `day`.
    pub fn appointments_on(&self, k: KindIx, day: Day) -> u32 {
        self.appointments[k.0][day.index()]
    }

    /// Appointments per kind in the week, indexed like [`Program::kinds`].
    pub fn counts(&self) -> Vec<u32> {
        (0..self.appointments.len())
            .map(|k| self.appointments(KindIx(k)))
            .collect()
    }

    /// True when an activity at `iv` stays within the level's daily and weekly
    /// maximum hours.
    pub fn has_room(&self, level: &Level, iv: Interval) -> bool {
        self.on(iv.day()) + iv.minutes() <= level.max_daily_minutes
            && self.minutes() + iv.minutes() <= level.max_weekly_minutes
    }

    /// What is missing to reach the level's minimums.
    pub fn shortfall(&self, level: &Level) -> Shortfall {
        Shortfall {
            minutes: level.min_weekly_minutes.saturating_sub(self.minutes()),
            days: level.min_days.saturating_sub(self.days()),
            appointments: level
                .appointments_per_week
                .iter()
                .zip(self.counts())
                .map(|(&want, got)| want.saturating_sub(got))
                .collect(),
        }
    }

    /// Every maximum the week goes beyond: days over the daily hours (in day
    /// order), the weekly hours, the days, then per kind its count per week and
    /// its `max_per_day` (in day order).
    pub fn excess(&self, program: &Program, level: &Level) -> Vec<Excess> {
        let mut out: Vec<Excess> = Day::all()
            .filter(|&d| self.on(d) > level.max_daily_minutes)
            .map(|d| Excess::DayMinutes(d, self.on(d)))
            .collect();
        if self.minutes() > level.max_weekly_minutes {
            out.push(Excess::WeekMinutes(self.minutes()));
        }
        if self.days() > level.max_days {
            out.push(Excess::Days(self.days()));
        }
        for (k, kind) in program.kind_list() {
            if self.appointments(k) > level.per_week(k) {
                out.push(Excess::PerWeek(k, self.appointments(k)));
            }
            if let Some(most) = kind.max_per_day {
                out.extend(
                    Day::all()
                        .filter(|&d| self.appointments_on(k, d) > most)
                        .map(|d| Excess::PerDay(k, d, self.appointments_on(k, d))),
                );
            }
        }
        out
    }
}

impl Shortfall {
    pub fn is_met(&self) -> bool {
        self.minutes == 0 && self.days == 0 && self.appointments.iter().all(|&n| n == 0)
    }

    /// `hours=2.5;days=1;individual=1`: the missing parts, in the contract's key
    /// order (client_summary.csv's `shortfall`, also shown by the reports).
    pub fn text(&self, program: &Program) -> String {
        let mut parts = Vec::new();
        if self.minutes > 0 {
            parts.push(format!("hours={}", crate::time::hours(self.minutes)));
        }
        if self.days > 0 {
            parts.push(format!("days={}", self.days));
        }
        for (kind, &n) in program.kinds.iter().zip(&self.appointments) {
            if n > 0 {
                parts.push(format!("{}={n}", kind.name));
            }
        }
        parts.join(";")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn level() -> Level {
        Level {
            name: "IOP".into(),
            min_weekly_minutes: 540,
            max_weekly_minutes: 600,
            min_days: 3,
            max_days: 2,
            min_daily_minutes: 180,
            max_daily_minutes: 240,
            appointments_per_week: vec![1],
            billing_code: None,
        }
    }

    fn at(day: usize, start: u32, end: u32) -> Interval {
        Interval::on_day(Day::new(day).unwrap(), start, end).unwrap()
    }

    #[test]
    fn a_tally_counts_minutes_days_and_appointments_and_takes_them_back() {
        let mut t = Tally::new(1);
        t.add(at(0, 540, 720), None);
        t.add(at(0, 720, 770), Some(KindIx(0)));
        t.add(at(2, 540, 720), None);
        assert_eq!(
            (t.on(Day::new(0).unwrap()), t.minutes(), t.days()),
            (230, 410, 2)
        );
        assert_eq!(t.counts(), vec![1]);
        t.remove(at(2, 540, 720), None);
        assert_eq!((t.minutes(), t.days()), (230, 1));
    }

    #[test]
    fn the_shortfall_is_what_the_level_minimums_miss() {
        let mut t = Tally::new(1);
        t.add(at(0, 540, 720), None);
        let short = t.shortfall(&level());
        assert_eq!(
            short,
            Shortfall {
                minutes: 360,
                days: 2,
                appointments: vec![1]
            }
        );
        assert!(!short.is_met());
    }

    /// A program of one level and one kind of at most one a day.
    fn program() -> Program {
        Program {
            monday: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            levels: vec![level()],
            clients: vec![],
            staff: vec![],
            sessions: vec![],
            kinds: vec![crate::domain::AppointmentKind {
                name: "individual".into(),
                role: crate::domain::Role::therapist(),
                minutes: 50,
                with_primary_therapist: true,
                earliest: 0,
                latest: crate::time::DAY_MINUTES,
                max_per_day: Some(1),
                from_file: false,
            }],
            warnings: vec![],
            previous: vec![],
            pins: vec![],
        }
    }

    #[test]
    fn excess_lists_every_maximum_passed_in_the_pin_report_order() {
        let mut t = Tally::new(1);
        t.add(at(0, 480, 780), None);
        t.add(at(0, 780, 830), Some(KindIx(0)));
        t.add(at(0, 830, 880), Some(KindIx(0)));
        t.add(at(1, 540, 780), None);
        t.add(at(2, 540, 720), None);
        let (program, level) = (program(), level());
        let mon = Day::new(0).unwrap();
        assert_eq!(
            t.excess(&program, &level),
            vec![
                Excess::DayMinutes(mon, 400),
                Excess::WeekMinutes(820),
                Excess::Days(3),
                Excess::PerWeek(KindIx(0), 2),
                Excess::PerDay(KindIx(0), mon, 2),
            ]
        );
        let mut within = Tally::new(1);
        within.add(at(0, 540, 720), Some(KindIx(0)));
        assert_eq!(within.excess(&program, &level), vec![]);
    }

    #[test]
    fn has_room_stops_at_the_daily_and_weekly_maximum_hours() {
        let mut t = Tally::new(1);
        t.add(at(0, 540, 720), None);
        assert!(t.has_room(&level(), at(0, 720, 780)));
        assert!(!t.has_room(&level(), at(0, 720, 781)));
        t.add(at(1, 540, 780), None);
        t.add(at(2, 540, 660), None);
        assert!(!t.has_room(&level(), at(3, 540, 601)));
    }
}

//! Billing: whether each program day of each client can be billed under their
//! level of care (`billing.csv`).
//!
//! A program day is billable when it holds at least the level's daily minimum and
//! the client's week reaches the level's minimum number of days; the level is the
//! pro-rated one for clients admitted or discharged inside the week, as everywhere.

use crate::domain::{ClientIx, Program};
use crate::roster::Roster;
use crate::time::{hours, Day};
use std::fmt;

/// Why a program day cannot be billed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotBillable {
    /// The day holds fewer minutes than the level's daily minimum.
    ShortDay { minutes: u32, min: u32 },
    /// The week has fewer program days than the level's minimum.
    FewDays { days: u32, min: u32 },
}

impl fmt::Display for NotBillable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            NotBillable::ShortDay { minutes, min } => write!(
                f,
                "day has {} h, below the level's daily minimum of {} h",
                hours(minutes),
                hours(min)
            ),
            NotBillable::FewDays { days, min } => write!(
                f,
                "week has {days} program day(s), below the level's minimum of {min}"
            ),
        }
    }
}

/// One client's program day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BillingDay {
    pub client: ClientIx,
    pub day: Day,
    pub minutes: u32,
    /// Empty when the day is billable.
    pub problems: Vec<NotBillable>,
}

impl BillingDay {
    pub fn billable(&self) -> bool {
        self.problems.is_empty()
    }

    /// The problems in words, `; `-separated (empty when billable).
    pub fn reason(&self) -> String {
        let parts: Vec<String> = self.problems.iter().map(ToString::to_string).collect();
        parts.join("; ")
    }
}

/// Every program day of every client, by client id, then day.
pub fn days(program: &Program, roster: &Roster) -> Vec<BillingDay> {
    let tallies = roster.tallies(program);
    let mut by_id: Vec<ClientIx> = program.client_ixs().collect();
    by_id.sort_by(|&a, &b| program.client(a).id.cmp(&program.client(b).id));
    let mut out = Vec::new();
    for c in by_id {
        let week = &tallies[c.0];
        let level = program.level_of(program.client(c));
        let days = week.days();
        for day in Day::all().filter(|&d| week.on(d) > 0) {
            let minutes = week.on(day);
            let mut problems = Vec::new();
            if minutes < level.min_daily_minutes {
                problems.push(NotBillable::ShortDay {
                    minutes,
                    min: level.min_daily_minutes,
                });
            }
            if days < level.min_days {
                problems.push(NotBillable::FewDays {
                    days,
                    min: level.min_days,
                });
            }
            out.push(BillingDay {
                client: c,
                day,
                minutes,
                problems,
            });
        }
    }
    out
}

/// The level's billing code of a client (empty when levels.csv sets none).
pub fn code(program: &Program, client: ClientIx) -> &str {
    let level = &program.levels[program.client(client).level];
    level.billing_code.as_deref().unwrap_or("")
}

/// `billing.csv`: `client_id, date, day, level, billing_code, minutes, billable, reason`.
pub fn billing_csv(program: &Program, roster: &Roster) -> std::io::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "client_id",
        "date",
        "day",
        "level",
        "billing_code",
        "minutes",
        "billable",
        "reason",
    ])?;
    for d in days(program, roster) {
        let client = program.client(d.client);
        let cells = [
            client.id.to_string(),
            d.day.date(program.monday).format("%Y-%m-%d").to_string(),
            d.day.short_name().to_string(),
            program.levels[client.level].name.clone(),
            code(program, d.client).to_string(),
            d.minutes.to_string(),
            if d.billable() { "yes" } else { "no" }.to_string(),
            d.reason(),
        ];
        w.write_record(cells.iter().map(|c| crate::output::spreadsheet_safe(c)))?;
    }
    w.into_inner().map_err(|e| e.into_error())
}

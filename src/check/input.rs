//! The checker's own view of the input folder: just what the rules need, keyed by id.
//!
//! Before building it, [`validate`] reports every input error `solve` would refuse,
//! with the checker's own code; a cell it needs but cannot read is reported too.

use super::parse::{
    field, lower_list, max_minutes, min_minutes, optional, parse_int, parse_list, parse_time,
    read_table, resolve_day, Row, Table, DAY,
};
use super::{validate, CheckOptions, Violation};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// A level's weekly rules in whole minutes.
#[derive(Clone)]
pub(super) struct Level {
    pub min_week: i64,
    pub max_week: i64,
    pub min_days: i64,
    pub max_days: i64,
    pub min_daily: i64,
    pub max_daily: i64,
    /// Appointments to book per week, indexed like [`Input::kinds`].
    pub counts: Vec<i64>,
    /// Empty when levels.csv sets none.
    pub billing_code: String,
}

/// A kind of one-to-one appointment: a row of appointments.csv, or one of the two
/// the contract defines when the file is absent.
pub(super) struct Kind {
    /// Lower-cased: the roster's `activity` word.
    pub name: String,
    /// Lower-cased staff role.
    pub role: String,
    pub minutes: i64,
    /// With the client's primary therapist, when the client has one.
    pub primary: bool,
    /// Minutes of the day: the appointment lies inside `[earliest, latest)`.
    pub earliest: i64,
    pub latest: i64,
    /// Most of this kind per client and day (`None`: no limit).
    pub max_per_day: Option<i64>,
}

pub(super) struct Client {
    pub level: String,
    pub site: String,
    pub primary: String,
    pub gender: String,
    pub tags: Vec<String>,
    pub stage: String,
    pub travel: i64,
    /// Admission and discharge dates, when set.
    pub admit: Option<NaiveDate>,
    pub discharge: Option<NaiveDate>,
}

impl Client {
    /// True when `date` lies between admission and discharge (both included).
    pub fn here_on(&self, date: NaiveDate) -> bool {
        self.admit.is_none_or(|a| date >= a) && self.discharge.is_none_or(|d| date <= d)
    }
}

pub(super) struct Staff {
    /// Lower-cased (`therapist`, `physician`).
    pub role: String,
    pub site: String,
    pub max_week: Option<i64>,
    pub max_individual_per_day: Option<i64>,
}

pub(super) struct Busy {
    pub start: i64,
    pub end: i64,
    pub reason: String,
}

pub(super) struct Session {
    pub site: String,
    pub start: i64,
    pub end: i64,
    pub facilitator: String,
    pub capacity: i64,
    pub min_size: i64,
    pub levels: Vec<String>,
    pub gender: String,
    pub tags: Vec<String>,
    pub stage: String,
}

#[derive(Default)]
pub(super) struct Input {
    pub levels: HashMap<String, Level>,
    pub clients: BTreeMap<String, Client>,
    pub staff: HashMap<String, Staff>,
    /// Merged availability blocks per staff member, sorted.
    pub avail: HashMap<String, Vec<(i64, i64)>>,
    pub busy: HashMap<String, Vec<Busy>>,
    /// Only the sessions of the checked week.
    pub sessions: BTreeMap<String, Session>,
    pub kinds: Vec<Kind>,
}

impl Input {
    /// The rules for `client` this week: their level, with minimums pro-rated to
    /// the share of the week's program days (days with any session) between their
    /// admission and discharge — weekly minutes and days rounded up, appointments
    /// rounded half up, maximums unchanged.
    /// The index of the kind called `name` (lower-case).
    pub fn kind(&self, name: &str) -> Option<usize> {
        self.kinds.iter().position(|k| k.name == name)
    }

    pub fn rules_for(&self, client: &Client, monday: NaiveDate) -> Option<Level> {
        let level = self.levels.get(&client.level)?.clone();
        let mut days: Vec<i64> = self
            .sessions
            .values()
            .map(|s| s.start / (24 * 60))
            .collect();
        days.sort_unstable();
        days.dedup();
        let all = days.len() as i64;
        let here = days
            .iter()
            .filter(|&&d| client.here_on(monday + chrono::Duration::days(d)))
            .count() as i64;
        if here == all {
            return Some(level);
        }
        let up = |n: i64| (n * here + all - 1) / all;
        let half_up = |n: i64| (2 * n * here + all) / (2 * all);
        Some(Level {
            min_week: up(level.min_week),
            min_days: up(level.min_days).min(here),
            counts: level.counts.iter().map(|&n| half_up(n)).collect(),
            ..level
        })
    }
}

/// Reads the input folder; every file or cell that cannot be read goes to `errs`.
/// `opts` gives the lengths of the two contract kinds when appointments.csv is absent.
/// Every input error `solve` would refuse is reported too (see [`validate`]).
pub(super) fn load(
    dir: &Path,
    monday: NaiveDate,
    opts: &CheckOptions,
    errs: &mut Vec<Violation>,
) -> Input {
    let mut input = Input::default();
    let mut table = |name: &str, required: bool| {
        read_table(&dir.join(name), required, errs).unwrap_or_else(|| Table::empty(name))
    };
    let levels = table("levels.csv", true);
    let clients = table("clients.csv", true);
    let staff = table("staff.csv", true);
    let avail = table("staff_availability.csv", true);
    let sessions = table("sessions.csv", true);
    let appointments = read_table(&dir.join("appointments.csv"), false, errs);
    input.kinds = match appointments {
        Some(t) => load_kinds(&t, errs),
        None => contract_kinds(opts),
    };
    let busy = read_table(&dir.join("client_busy.csv"), false, errs);
    let tables = validate::Tables {
        levels: &levels,
        clients: &clients,
        busy: busy.as_ref(),
        staff: &staff,
        avail: &avail,
        sessions: &sessions,
        any_role: dir.join("appointments.csv").symlink_metadata().is_ok(),
    };
    validate::validate(&tables, &input.kinds, errs);
    let busy = busy.unwrap_or_else(|| Table::empty("client_busy.csv"));
    load_levels(&levels, &mut input, errs);
    load_clients(&clients, &mut input, errs);
    load_staff(&staff, &mut input, errs);
    load_availability(&avail, monday, &mut input, errs);
    load_busy(&busy, monday, &mut input, errs);
    load_sessions(&sessions, monday, &mut input, errs);
    input
}

fn load_levels(t: &Table, input: &mut Input, errs: &mut Vec<Violation>) {
    for row in &t.rows {
        let n = &t.name;
        let level = (|| {
            Some(Level {
                min_week: field(n, row, "min_weekly_hours", min_minutes, errs)?,
                max_week: field(n, row, "max_weekly_hours", max_minutes, errs)?,
                min_days: field(n, row, "min_days", parse_int, errs)?,
                max_days: field(n, row, "max_days", parse_int, errs)?,
                min_daily: field(n, row, "min_daily_hours", min_minutes, errs)?,
                max_daily: field(n, row, "max_daily_hours", max_minutes, errs)?,
                counts: counts(t, row, &input.kinds, errs)?,
                billing_code: row.get("billing_code").to_string(),
            })
        })();
        if let Some(level) = level {
            input.levels.insert(row.get("level").to_string(), level);
        }
    }
}

/// A level's weekly count of each kind: the column `KIND_per_week`. The contract's
/// `individual_per_week` and `physician_per_week` must be there; another kind's
/// column may be missing or empty (none booked).
fn counts(t: &Table, row: &Row, kinds: &[Kind], errs: &mut Vec<Violation>) -> Option<Vec<i64>> {
    let mut out = Vec::new();
    for kind in kinds {
        let column = format!("{}_per_week", kind.name);
        let n = if matches!(kind.name.as_str(), "individual" | "physician") {
            field(&t.name, row, &column, parse_int, errs)
        } else {
            field(&t.name, row, &column, |s| optional(s, parse_int), errs).map(|n| n.unwrap_or(0))
        };
        out.push(n);
    }
    out.into_iter().collect()
}

/// Without appointments.csv: individual therapy with the primary therapist and the
/// physician visit, any time of day, at most one of each a day (the contract's
/// default `max_per_day`, which its two built-in rows leave empty).
fn contract_kinds(opts: &CheckOptions) -> Vec<Kind> {
    let kind = |name: &str, role: &str, minutes: u32, primary: bool| Kind {
        name: name.to_string(),
        role: role.to_string(),
        minutes: i64::from(minutes),
        primary,
        earliest: 0,
        latest: DAY,
        max_per_day: Some(1),
    };
    vec![
        kind("individual", "therapist", opts.individual_minutes, true),
        kind("physician", "physician", opts.physician_minutes, false),
    ]
}

/// appointments.csv: `kind, role, minutes, with, earliest, latest, max_per_day`.
fn load_kinds(t: &Table, errs: &mut Vec<Violation>) -> Vec<Kind> {
    let mut kinds = Vec::new();
    for row in &t.rows {
        let n = &t.name;
        let time = |s: &str, default: i64| optional(s, parse_time).map(|t| t.unwrap_or(default));
        let kind = (|| {
            Some(Kind {
                name: row.get("kind").to_lowercase(),
                role: row.get("role").to_lowercase(),
                minutes: field(n, row, "minutes", parse_int, errs)?,
                primary: field(
                    n,
                    row,
                    "with",
                    |s| match s.to_lowercase().as_str() {
                        "primary" => Some(true),
                        "any" | "" => Some(false),
                        _ => None,
                    },
                    errs,
                )?,
                earliest: field(n, row, "earliest", |s| time(s, 0), errs)?,
                latest: field(n, row, "latest", |s| time(s, DAY), errs)?,
                max_per_day: Some(
                    field(n, row, "max_per_day", |s| optional(s, parse_int), errs)?.unwrap_or(1),
                ),
            })
        })();
        kinds.extend(kind);
    }
    kinds
}

fn load_clients(t: &Table, input: &mut Input, errs: &mut Vec<Violation>) {
    for row in &t.rows {
        let travel = field(
            &t.name,
            row,
            "travel_minutes",
            |s| optional(s, parse_int),
            errs,
        );
        input.clients.insert(
            row.get("client_id").to_string(),
            Client {
                level: row.get("level").to_string(),
                site: row.get("site").to_string(),
                primary: row.get("primary_therapist").to_string(),
                gender: row.get("gender").to_string(),
                tags: lower_list(row.get("tags")),
                stage: row.get("stage").to_string(),
                travel: travel.flatten().unwrap_or(0),
                admit: NaiveDate::parse_from_str(row.get("admit_date"), "%Y-%m-%d").ok(),
                discharge: NaiveDate::parse_from_str(row.get("discharge_date"), "%Y-%m-%d").ok(),
            },
        );
    }
}

fn load_staff(t: &Table, input: &mut Input, errs: &mut Vec<Violation>) {
    for row in &t.rows {
        let max_week = field(
            &t.name,
            row,
            "max_weekly_hours",
            |s| optional(s, max_minutes),
            errs,
        );
        let per_day = field(
            &t.name,
            row,
            "max_individual_per_day",
            |s| optional(s, parse_int),
            errs,
        );
        input.staff.insert(
            row.get("staff_id").to_string(),
            Staff {
                role: row.get("role").to_lowercase(),
                site: row.get("site").to_string(),
                max_week: max_week.flatten(),
                max_individual_per_day: per_day.flatten(),
            },
        );
    }
}

/// Day + start + end of a row as absolute minutes; `None` when ignored or unreadable.
fn row_interval(
    t: &Table,
    row: &Row,
    monday: NaiveDate,
    errs: &mut Vec<Violation>,
) -> Option<(i64, i64)> {
    let day = field(&t.name, row, "day", |s| resolve_day(s, monday).ok(), errs)??;
    let start = field(&t.name, row, "start", parse_time, errs)?;
    let end = field(&t.name, row, "end", parse_time, errs)?;
    Some((day * DAY + start, day * DAY + end))
}

fn load_availability(t: &Table, monday: NaiveDate, input: &mut Input, errs: &mut Vec<Violation>) {
    for row in &t.rows {
        if let Some(iv) = row_interval(t, row, monday, errs) {
            let id = row.get("staff_id").to_string();
            input.avail.entry(id).or_default().push(iv);
        }
    }
    for blocks in input.avail.values_mut() {
        *blocks = merge(std::mem::take(blocks));
    }
}

/// Blocks that touch or overlap become one (08-12 + 12-17 allows 11:30-12:20).
fn merge(mut blocks: Vec<(i64, i64)>) -> Vec<(i64, i64)> {
    blocks.sort_unstable();
    let mut out: Vec<(i64, i64)> = Vec::new();
    for (s, e) in blocks {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

fn load_busy(t: &Table, monday: NaiveDate, input: &mut Input, errs: &mut Vec<Violation>) {
    for row in &t.rows {
        if let Some((start, end)) = row_interval(t, row, monday, errs) {
            input
                .busy
                .entry(row.get("client_id").to_string())
                .or_default()
                .push(Busy {
                    start,
                    end,
                    reason: row.get("reason").to_string(),
                });
        }
    }
}

fn load_sessions(t: &Table, monday: NaiveDate, input: &mut Input, errs: &mut Vec<Violation>) {
    for row in &t.rows {
        let Some((start, end)) = row_interval(t, row, monday, errs) else {
            continue;
        };
        let capacity = field(&t.name, row, "capacity", parse_int, errs);
        let min_size = field(&t.name, row, "min_size", |s| optional(s, parse_int), errs);
        input.sessions.insert(
            row.get("session_id").to_string(),
            Session {
                site: row.get("site").to_string(),
                start,
                end,
                facilitator: row.get("facilitator").to_string(),
                capacity: capacity.unwrap_or(0),
                min_size: min_size.flatten().unwrap_or(0),
                levels: parse_list(row.get("levels")),
                gender: row.get("gender").to_string(),
                tags: lower_list(row.get("tags")),
                stage: row.get("stage").to_string(),
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::merge;

    #[test]
    fn touching_blocks_merge_and_gaps_stay() {
        assert_eq!(
            merge(vec![(720, 1020), (480, 720), (1080, 1200)]),
            vec![(480, 1020), (1080, 1200)]
        );
    }
}

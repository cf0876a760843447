//! The checker's strict reading of the input folder: every input error `solve`
//! refuses (missing columns, empty or repeated IDs, unknown references, numbers,
//! dates and times that do not parse or are out of range), found with the checker's
//! own code. A roster judged against inputs `solve` would refuse proves nothing, so
//! any of these makes `check` exit 1 instead of passing a roster.

use super::input::Kind as AppointmentKind;
use super::parse::{parse_date, parse_day, parse_list, parse_time, Row, Table};
use super::Violation;
use std::collections::{HashMap, HashSet};

/// The input tables, as read (`busy` is `None` when the optional file is absent).
pub(super) struct Tables<'a> {
    pub levels: &'a Table,
    pub clients: &'a Table,
    pub busy: Option<&'a Table>,
    pub staff: &'a Table,
    pub avail: &'a Table,
    pub sessions: &'a Table,
    /// True when the folder has `appointments.csv`, whose kinds may book any role.
    pub any_role: bool,
}

const LEVEL_COLS: [&str; 9] = [
    "level",
    "min_weekly_hours",
    "max_weekly_hours",
    "min_days",
    "max_days",
    "min_daily_hours",
    "max_daily_hours",
    "individual_per_week",
    "physician_per_week",
];
const WEEK: i64 = 7 * 24 * 60;
const DAY: i64 = 24 * 60;

/// One problem: `FILE:LINE: [input] column COL: what (expected ...)`.
struct Problems<'e>(&'e mut Vec<Violation>);

impl Problems<'_> {
    fn at(&mut self, t: &Table, row: &Row, col: &str, message: String) {
        self.0.push(Violation::in_file(
            "input",
            &t.name,
            Some(row.line),
            format!("column {col}: {message}"),
        ));
    }
}

/// Reports every input error of the tables into `errs`.
/// `kinds` are the appointment kinds (their weekly counts must fit the week).
pub(super) fn validate(t: &Tables, kinds: &[AppointmentKind], errs: &mut Vec<Violation>) {
    required_columns(t, errs);
    let mut p = Problems(errs);
    let levels = ids(t.levels, "level", &mut p);
    let staff = ids(t.staff, "staff_id", &mut p);
    let clients = ids(t.clients, "client_id", &mut p);
    ids(t.sessions, "session_id", &mut p);
    let roles: HashMap<&str, String> = (t.staff.rows.iter())
        .map(|r| (r.get("staff_id"), r.get("role").to_lowercase()))
        .collect();
    let therapist = |id: &str| roles.get(id).is_some_and(|r| r == "therapist");
    for row in &t.levels.rows {
        level(t.levels, row, kinds, &mut p);
    }
    for row in &t.clients.rows {
        client_row(t.clients, row, &levels, &therapist, &mut p);
    }
    for row in t.busy.iter().flat_map(|b| &b.rows) {
        known(
            t.busy.unwrap_or(t.clients),
            row,
            "client_id",
            &clients,
            false,
            &mut p,
        );
        interval(t.busy.unwrap_or(t.clients), row, &mut p);
    }
    for row in &t.staff.rows {
        staff_row(t, row, &mut p);
    }
    for row in &t.avail.rows {
        known(t.avail, row, "staff_id", &staff, false, &mut p);
        interval(t.avail, row, &mut p);
    }
    if t.sessions.rows.is_empty() && !t.clients.rows.is_empty() {
        p.0.push(Violation::in_file(
            "input",
            &t.sessions.name,
            None,
            "has no session rows (expected at least one, since clients.csv has clients)".into(),
        ));
    }
    for row in &t.sessions.rows {
        session(t.sessions, row, &levels, &therapist, &mut p);
    }
}

/// The columns each table must have, reported on line 1.
fn required_columns(t: &Tables, errs: &mut Vec<Violation>) {
    let header = |table: &Table, cols: &[&str], errs: &mut Vec<Violation>| {
        let before = errs.len();
        table.require(cols, errs);
        for e in &mut errs[before..] {
            e.line = Some(1);
        }
    };
    header(t.levels, &LEVEL_COLS, errs);
    header(t.clients, &["client_id", "level"], errs);
    if let Some(busy) = t.busy {
        header(busy, &["client_id", "day", "start", "end"], errs);
    }
    header(t.staff, &["staff_id", "role"], errs);
    header(t.avail, &["staff_id", "day", "start", "end"], errs);
    header(
        t.sessions,
        &["session_id", "day", "start", "end", "capacity"],
        errs,
    );
}

/// One row of clients.csv: its level, therapist, site, track, travel and dates.
fn client_row(
    t: &Table,
    row: &Row,
    levels: &HashSet<&str>,
    therapist: &dyn Fn(&str) -> bool,
    p: &mut Problems,
) {
    known(t, row, "level", levels, false, p);
    reference_to_therapist(t, row, "primary_therapist", therapist, p);
    codes(t, row, &["site"], p);
    one_of(t, row, "track", &["day", "night", "any"], p);
    number(t, row, "travel_minutes", Kind::Whole, Some(DAY), p);
    let admit = date(t, row, "admit_date", p);
    let discharge = date(t, row, "discharge_date", p);
    if let (Some(a), Some(d)) = (admit, discharge) {
        if d < a {
            let message = format!("{d} is before admit_date {a} (expected a later date)");
            p.at(t, row, "discharge_date", message);
        }
    }
}

/// One row of staff.csv: its role, site and limits.
fn staff_row(t: &Tables, row: &Row, p: &mut Problems) {
    let role = row.get("role").to_lowercase();
    if !t.any_role && !["therapist", "physician"].contains(&role.as_str()) {
        let message = format!(
            "'{}' is not a role (expected therapist or physician)",
            shown(&role)
        );
        p.at(t.staff, row, "role", message);
    }
    codes(t.staff, row, &["site"], p);
    number(t.staff, row, "max_weekly_hours", Kind::Hours, Some(WEEK), p);
    number(t.staff, row, "max_individual_per_day", Kind::Whole, None, p);
}

/// A cell as messages echo it (see `parse::shown`).
fn shown(cell: &str) -> String {
    super::parse::shown(cell)
}

/// Claims the IDs of `col`: each non-empty, a code, and once; returns them.
fn ids<'t>(t: &'t Table, col: &str, p: &mut Problems) -> HashSet<&'t str> {
    let mut seen = HashSet::new();
    for row in &t.rows {
        let id = row.get(col);
        if id.is_empty() {
            p.at(t, row, col, format!("is empty (expected a unique {col})"));
        } else if !seen.insert(id) {
            let message = format!("duplicate '{}' (expected each {col} once)", shown(id));
            p.at(t, row, col, message);
        }
        codes(t, row, &[col], p);
    }
    seen
}

/// Code cells (IDs, sites, rooms) may not start a spreadsheet formula or hold a
/// control character: they reach every output file.
fn codes(t: &Table, row: &Row, cols: &[&str], p: &mut Problems) {
    for col in cols {
        let cell = row.get(col);
        let formula = cell.starts_with(['=', '+', '-', '@']);
        if formula || cell.chars().any(char::is_control) {
            let message = format!(
                "'{}' is not a code (expected no leading =, +, - or @ and no control characters)",
                shown(cell)
            );
            p.at(t, row, col, message);
        }
    }
}

/// `col` names one of `known` (or is empty, when `optional`).
fn known(t: &Table, row: &Row, col: &str, known: &HashSet<&str>, optional: bool, p: &mut Problems) {
    let cell = row.get(col);
    if (cell.is_empty() && !optional) || (!cell.is_empty() && !known.contains(cell)) {
        let message = format!(
            "unknown {col} '{}' (expected one defined in its file)",
            shown(cell)
        );
        p.at(t, row, col, message);
    }
}

fn reference_to_therapist(
    t: &Table,
    row: &Row,
    col: &str,
    therapist: &dyn Fn(&str) -> bool,
    p: &mut Problems,
) {
    let cell = row.get(col);
    if !cell.is_empty() && !therapist(cell) {
        let message = format!(
            "'{}' is not a therapist of staff.csv (expected one)",
            shown(cell)
        );
        p.at(t, row, col, message);
    }
}

fn one_of(t: &Table, row: &Row, col: &str, allowed: &[&str], p: &mut Problems) {
    let cell = row.get(col).to_lowercase();
    if !cell.is_empty() && !allowed.contains(&cell.as_str()) {
        let message = format!(
            "'{}' is not allowed (expected {})",
            shown(&cell),
            allowed.join(", ")
        );
        p.at(t, row, col, message);
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Whole,
    Hours,
}

/// A non-negative number (`Kind::Hours`: its value in minutes, rounded down),
/// `None` when empty or bad (reported); `most` caps the value in minutes or units.
fn number(
    t: &Table,
    row: &Row,
    col: &str,
    kind: Kind,
    most: Option<i64>,
    p: &mut Problems,
) -> Option<i64> {
    let cell = row.get(col);
    if cell.is_empty() {
        return None;
    }
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let (whole, fraction) = cell.split_once('.').unwrap_or((cell, ""));
    let plain = !(whole.is_empty() && fraction.is_empty()) && digits(whole) && digits(fraction);
    let integral = fraction.bytes().all(|b| b == b'0');
    let value = cell
        .parse::<f64>()
        .ok()
        .filter(|_| plain && cell.len() <= 15);
    let value = match (kind, value) {
        (Kind::Whole, Some(v)) if integral => Some(v as i64),
        (Kind::Hours, Some(v)) => Some((v * 60.0 + 1e-6).floor() as i64),
        _ => None,
    };
    let Some(value) = value else {
        let expected = if kind == Kind::Whole {
            "a whole number of 0 or more"
        } else {
            "hours, 0 or more"
        };
        p.at(
            t,
            row,
            col,
            format!("cannot read '{}' (expected {expected})", shown(cell)),
        );
        return None;
    };
    if let Some(most) = most.filter(|&m| value > m) {
        let limit = if kind == Kind::Hours { most / 60 } else { most };
        p.at(
            t,
            row,
            col,
            format!("'{}' is too large (expected at most {limit})", shown(cell)),
        );
        return None;
    }
    Some(value)
}

fn required(
    t: &Table,
    row: &Row,
    col: &str,
    kind: Kind,
    most: Option<i64>,
    p: &mut Problems,
) -> Option<i64> {
    if row.get(col).is_empty() {
        p.at(t, row, col, "is empty (expected a value)".into());
        return None;
    }
    number(t, row, col, kind, most, p)
}

fn date(t: &Table, row: &Row, col: &str, p: &mut Problems) -> Option<chrono::NaiveDate> {
    let cell = row.get(col);
    if cell.is_empty() {
        return None;
    }
    let parsed = parse_date(cell);
    if parsed.is_none() {
        p.at(
            t,
            row,
            col,
            format!("'{}' is not a date (expected YYYY-MM-DD)", shown(cell)),
        );
    }
    parsed
}

/// `day, start, end`: a day, two times, the end after the start.
fn interval(t: &Table, row: &Row, p: &mut Problems) {
    if parse_day(row.get("day")).is_none() {
        let message = format!(
            "'{}' is not a day (expected Mon..Sun or YYYY-MM-DD)",
            shown(row.get("day"))
        );
        p.at(t, row, "day", message);
    }
    let time = |col: &str, p: &mut Problems| {
        let parsed = parse_time(row.get(col));
        if parsed.is_none() {
            let message = format!(
                "'{}' is not a time (expected e.g. 09:00)",
                shown(row.get(col))
            );
            p.at(t, row, col, message);
        }
        parsed
    };
    if let (Some(start), Some(end)) = (time("start", p), time("end", p)) {
        if end <= start {
            p.at(
                t,
                row,
                "end",
                "is not after the start (expected a later time)".into(),
            );
        }
    }
}

fn level(t: &Table, row: &Row, kinds: &[AppointmentKind], p: &mut Problems) {
    let min_week = required(t, row, "min_weekly_hours", Kind::Hours, None, p);
    let max_week = required(t, row, "max_weekly_hours", Kind::Hours, Some(WEEK), p);
    let min_days = required(t, row, "min_days", Kind::Whole, None, p);
    let max_days = required(t, row, "max_days", Kind::Whole, Some(7), p);
    let min_daily = required(t, row, "min_daily_hours", Kind::Hours, None, p);
    let max_daily = required(t, row, "max_daily_hours", Kind::Hours, Some(DAY), p);
    // The contract's two count columns are required even when a kind is dropped.
    let individual = required(t, row, "individual_per_week", Kind::Whole, None, p);
    let physician = required(t, row, "physician_per_week", Kind::Whole, None, p);
    codes(t, row, &["billing_code"], p);
    let pairs = [
        ("min_weekly_hours", min_week, max_week),
        ("min_days", min_days, max_days),
        ("min_daily_hours", min_daily, max_daily),
    ];
    for (col, lo, hi) in pairs {
        if let (Some(lo), Some(hi)) = (lo, hi) {
            if lo > hi {
                p.at(
                    t,
                    row,
                    col,
                    "is more than its maximum (expected at most the maximum)".into(),
                );
            }
        }
    }
    for kind in kinds {
        let col = format!("{}_per_week", kind.name);
        let count = match kind.name.as_str() {
            "individual" => individual,
            "physician" => physician,
            _ => number(t, row, &col, Kind::Whole, None, p),
        };
        if let (Some(n), Some(most)) = (count, max_week) {
            let fit = most / kind.minutes.max(1);
            if n > fit {
                let message =
                    format!("{n} do not fit in max_weekly_hours (expected at most {fit})");
                p.at(t, row, &col, message);
            }
        }
    }
}

fn session(
    t: &Table,
    row: &Row,
    levels: &HashSet<&str>,
    therapist: &dyn Fn(&str) -> bool,
    p: &mut Problems,
) {
    interval(t, row, p);
    one_of(t, row, "track", &["day", "night"], p);
    reference_to_therapist(t, row, "facilitator", therapist, p);
    codes(t, row, &["site", "room"], p);
    let capacity = required(t, row, "capacity", Kind::Whole, None, p);
    let min_size = number(t, row, "min_size", Kind::Whole, None, p);
    if let (Some(cap), Some(min)) = (capacity, min_size) {
        if min > cap {
            p.at(
                t,
                row,
                "min_size",
                "is more than capacity (expected at most the capacity)".into(),
            );
        }
    }
    for level in parse_list(row.get("levels")) {
        if !levels.contains(level.as_str()) {
            p.at(
                t,
                row,
                "levels",
                format!(
                    "unknown level '{}' (expected one of levels.csv)",
                    shown(&level)
                ),
            );
        }
    }
}

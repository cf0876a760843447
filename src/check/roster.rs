//! Reading the roster under check: one [`Appt`] per readable row.
//!
//! A missing file or column makes the roster unreadable; a row with a bad date,
//! day, time or activity is itself a violation (someone typed it) and is dropped
//! from the rule checks that follow.

use super::input::Kind;
use super::parse::{file_name, hm, parse_date, parse_day, parse_time, read_table, DaySpec, Row};
use super::parse::{DAY, DAY_NAMES};
use super::Violation;
use chrono::{Datelike, NaiveDate};
use std::path::Path;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Activity {
    Group,
    /// An appointment of the kind at this index of [`super::input::Input::kinds`].
    Kind(usize),
}

/// One roster row, its time as minutes since Monday 00:00.
pub(super) struct Appt {
    pub line: u64,
    pub date: NaiveDate,
    pub start: i64,
    pub end: i64,
    pub client: String,
    pub activity: Activity,
    /// The `activity` cell, lower-cased (`group`, `individual`, `family`...).
    pub what: String,
    pub session: String,
    pub staff: String,
    pub site: String,
}

impl Appt {
    /// Day index within the week (Monday = 0).
    pub fn day(&self) -> i64 {
        self.start / DAY
    }

    /// `group D-MON-A with T1, Mon 09:00-12:00`: the row in words, for messages
    /// that name the other side of a conflict.
    pub fn describe(&self) -> String {
        let what = match self.activity {
            Activity::Group => format!("group {} with {}", self.session, self.staff),
            Activity::Kind(_) => format!("{} with {}", self.what, self.staff),
        };
        let day = DAY_NAMES[self.day() as usize];
        format!(
            "{what}, {}{} {}-{}",
            day[..1].to_uppercase(),
            &day[1..3],
            hm(self.start - self.day() * DAY),
            hm(self.end - self.day() * DAY)
        )
    }
}

const ROSTER_COLS: [&str; 9] = [
    "date",
    "day",
    "start",
    "end",
    "client_id",
    "activity",
    "session_id",
    "staff_id",
    "site",
];

/// Reads the roster at `path` for the week starting `monday`.
pub(super) fn load(
    path: &Path,
    monday: NaiveDate,
    kinds: &[Kind],
    unreadable: &mut Vec<Violation>,
    violations: &mut Vec<Violation>,
) -> Vec<Appt> {
    let Some(t) = read_table(path, true, unreadable) else {
        return Vec::new();
    };
    if !t.require(&ROSTER_COLS, unreadable) {
        return Vec::new();
    }
    let name = file_name(path);
    t.rows
        .iter()
        .filter_map(|row| parse_appt(&name, row, monday, kinds, violations))
        .collect()
}

/// Parses one roster row; unreadable rows are reported and dropped.
fn parse_appt(
    file: &str,
    row: &Row,
    monday: NaiveDate,
    kinds: &[Kind],
    errs: &mut Vec<Violation>,
) -> Option<Appt> {
    let mut push = |rule: &'static str, message: String| {
        errs.push(
            Violation::in_file(rule, file, Some(row.line), message)
                .client(row.get("client_id"))
                .staff(row.get("staff_id")),
        );
    };
    let Some(date) = parse_date(row.get("date")) else {
        push("date", format!("cannot read date '{}'", row.get("date")));
        return None;
    };
    let day = date.signed_duration_since(monday).num_days();
    if !(0..7).contains(&day) {
        push("date", format!("{date} is outside the week of {monday}"));
        return None;
    }
    if !day_name_matches(row.get("day"), date) {
        push(
            "day",
            format!("day '{}' does not match date {date}", row.get("day")),
        );
    }
    let (Some(start), Some(end)) = (parse_time(row.get("start")), parse_time(row.get("end")))
    else {
        push(
            "time",
            format!(
                "cannot read start/end '{}'-'{}'",
                row.get("start"),
                row.get("end")
            ),
        );
        return None;
    };
    if end <= start {
        push(
            "time",
            format!("end {} is not after start {}", hm(end), hm(start)),
        );
        return None;
    }
    let what = row.get("activity").to_lowercase();
    let activity = match activity(&what, kinds) {
        Ok(activity) => activity,
        Err(message) => {
            push("activity", message);
            return None;
        }
    };
    Some(Appt {
        line: row.line,
        date,
        start: day * DAY + start,
        end: day * DAY + end,
        client: row.get("client_id").to_string(),
        activity,
        what,
        session: row.get("session_id").to_string(),
        staff: row.get("staff_id").to_string(),
        site: row.get("site").to_string(),
    })
}

/// Reads a roster's `activity` (lower-cased): `group` or an appointment kind.
fn activity(what: &str, kinds: &[Kind]) -> Result<Activity, String> {
    if what == "group" {
        return Ok(Activity::Group);
    }
    if let Some(k) = kinds.iter().position(|k| k.name == what) {
        return Ok(Activity::Kind(k));
    }
    let mut names: Vec<&str> = vec!["group"];
    names.extend(kinds.iter().map(|k| k.name.as_str()));
    let last = names.pop().unwrap_or("group");
    let expected = if names.is_empty() {
        last.to_string()
    } else {
        format!("{} or {last}", names.join(", "))
    };
    Err(format!("unknown activity '{what}' (expected {expected})"))
}

fn day_name_matches(day: &str, date: NaiveDate) -> bool {
    let expected = i64::from(date.weekday().num_days_from_monday());
    match parse_day(day) {
        Some(DaySpec::Weekday(i)) => i == expected,
        Some(DaySpec::Date(d)) => d == date,
        None => false,
    }
}

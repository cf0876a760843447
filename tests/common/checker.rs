//! Independent roster checker for the integration tests.
//!
//! Written from `CONTRACT.md` alone and sharing no code with the optimizer, so that a
//! bug in the optimizer's own parsing or rule logic cannot hide itself here. It reads
//! the input folder and the three output files with its own lenient CSV parsing and
//! returns every contract violation it finds as a human-readable string of the form
//! `[rule] who, when, what` (prefixed by `FILE:LINE:` when a single row is at fault).
//!
//! Internally every instant is an integer number of minutes since Monday 00:00 of the
//! scheduled week, so overlap and containment tests are plain integer comparisons.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

use chrono::{Datelike, Duration, NaiveDate};

/// Durations the optimizer was configured with (the contract's defaults are 50 / 30).
#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub individual_minutes: u32,
    pub physician_minutes: u32,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            individual_minutes: 50,
            physician_minutes: 30,
        }
    }
}

const DAY: i64 = 1440;
const DAY_NAMES: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];
/// Summaries may round hours to 0.05 h; the epsilon absorbs float noise on top of that.
const HOURS_TOLERANCE: f64 = 0.05 + 1e-6;

/// Checks the roster in `output_dir` against the inputs in `input_dir` for the week
/// containing `week_monday` and returns every violation found (empty = valid).
pub fn check(
    input_dir: &Path,
    output_dir: &Path,
    week_monday: NaiveDate,
    opts: &CheckOptions,
) -> Vec<String> {
    // `--week` may be any date of the week; normalise so callers cannot get this wrong.
    let monday =
        week_monday - Duration::days(i64::from(week_monday.weekday().num_days_from_monday()));
    let mut errs = Vec::new();
    let input = load_input(input_dir, monday, &mut errs);
    let roster = load_roster(output_dir, monday, &mut errs);
    let ctx = Ctx {
        input: &input,
        roster: &roster,
        opts,
        monday,
    };
    ctx.check_rows(&mut errs);
    ctx.check_sorting(&mut errs);
    ctx.check_client_overlaps(&mut errs);
    ctx.check_staff_overlaps(&mut errs);
    ctx.check_busy(&mut errs);
    ctx.check_sessions(&mut errs);
    ctx.check_client_limits(&mut errs);
    ctx.check_staff_limits(&mut errs);
    ctx.check_client_summary(output_dir, &mut errs);
    ctx.check_sessions_summary(output_dir, &mut errs);
    errs
}

// ---------------------------------------------------------------------------
// Generic CSV reading
// ---------------------------------------------------------------------------

/// One data row: lower-cased header name -> trimmed cell, plus its physical line.
struct Row {
    line: u64,
    cells: HashMap<String, String>,
}

impl Row {
    /// A missing column reads as empty, which the contract defines as "not set".
    fn get(&self, col: &str) -> &str {
        self.cells.get(col).map(String::as_str).unwrap_or("")
    }
}

struct Table {
    name: String,
    cols: HashSet<String>,
    rows: Vec<Row>,
}

impl Table {
    fn empty(name: &str) -> Table {
        Table {
            name: name.to_string(),
            cols: HashSet::new(),
            rows: Vec::new(),
        }
    }

    /// Reports every missing required column; returns whether all are present.
    fn require(&self, cols: &[&str], errs: &mut Vec<String>) -> bool {
        let missing: Vec<&str> = cols
            .iter()
            .copied()
            .filter(|c| !self.cols.contains(*c))
            .collect();
        for c in &missing {
            errs.push(format!("{}: [columns] missing column '{c}'", self.name));
        }
        missing.is_empty()
    }
}

/// Reads `dir/name`; a missing file yields `None` (reported only when `required`).
fn read_table(dir: &Path, name: &str, required: bool, errs: &mut Vec<String>) -> Option<Table> {
    let text = match std::fs::read_to_string(dir.join(name)) {
        Ok(t) => t,
        Err(e) => {
            if required {
                errs.push(format!("{name}: [file] cannot read: {e}"));
            }
            return None;
        }
    };
    // Spreadsheets write a byte-order mark; strip it so the first header matches.
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match rdr.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_ascii_lowercase()).collect(),
        Err(e) => {
            errs.push(format!("{name}: [file] bad header: {e}"));
            return None;
        }
    };
    let mut table = Table::empty(name);
    table.cols = headers.iter().filter(|h| !h.is_empty()).cloned().collect();
    for rec in rdr.records() {
        match rec {
            Ok(r) if r.iter().all(|c| c.trim().is_empty()) => {}
            Ok(r) => table.rows.push(Row {
                line: r.position().map_or(0, |p| p.line()),
                cells: headers
                    .iter()
                    .cloned()
                    .zip(r.iter().map(|c| c.trim().to_string()))
                    .collect(),
            }),
            Err(e) => errs.push(format!("{name}: [file] unreadable record: {e}")),
        }
    }
    Some(table)
}

// ---------------------------------------------------------------------------
// Value parsing
// ---------------------------------------------------------------------------

enum DaySpec {
    Weekday(i64),
    Date(NaiveDate),
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    let mut parts = s.trim().split('-');
    let y = parts.next()?.parse::<i32>().ok()?;
    let m = parts.next()?.parse::<u32>().ok()?;
    let d = parts.next()?.parse::<u32>().ok()?;
    if parts.next().is_some() {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

/// `Mon`, `monday`, `Tues`, `thurs`... (any prefix of at least 3 letters) or a date.
fn parse_day(s: &str) -> Option<DaySpec> {
    if let Some(d) = parse_date(s) {
        return Some(DaySpec::Date(d));
    }
    let l = s.trim().to_ascii_lowercase();
    if l.len() < 3 {
        return None;
    }
    DAY_NAMES
        .iter()
        .position(|n| n.starts_with(&l))
        .map(|i| DaySpec::Weekday(i as i64))
}

/// Day index 0..7 within the week; `Ok(None)` for a dated row outside the week.
fn resolve_day(s: &str, monday: NaiveDate) -> Result<Option<i64>, ()> {
    match parse_day(s).ok_or(())? {
        DaySpec::Weekday(i) => Ok(Some(i)),
        DaySpec::Date(d) => {
            let k = d.signed_duration_since(monday).num_days();
            Ok((0..7).contains(&k).then_some(k))
        }
    }
}

/// Minutes after midnight for `9:00`, `09:00`, `24:00`, `9:00 AM`, `6:30pm`, `6pm`.
fn parse_time(s: &str) -> Option<i64> {
    let t: String = s
        .trim()
        .to_ascii_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.')
        .collect();
    let (body, pm) = if let Some(b) = t.strip_suffix("am") {
        (b, Some(false))
    } else if let Some(b) = t.strip_suffix("pm") {
        (b, Some(true))
    } else {
        (t.as_str(), None)
    };
    let (h, m) = match body.split_once(':') {
        Some((h, m)) if m.len() == 2 => (h.parse::<i64>().ok()?, m.parse::<i64>().ok()?),
        // A bare hour is only unambiguous with am/pm (`6pm`).
        None if pm.is_some() => (body.parse::<i64>().ok()?, 0),
        _ => return None,
    };
    if !(0..60).contains(&m) {
        return None;
    }
    match pm {
        Some(pm) if (1..=12).contains(&h) => Some((h % 12 + if pm { 12 } else { 0 }) * 60 + m),
        Some(_) => None,
        None if (0..24).contains(&h) || (h == 24 && m == 0) => Some(h * 60 + m),
        None => None,
    }
}

fn parse_num(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

fn parse_int(s: &str) -> Option<i64> {
    let v = parse_num(s)?;
    (v.fract() == 0.0).then_some(v as i64)
}

/// Hours to whole minutes; float noise (0.1 h = 6.000000000000001 min) must not
/// push an exact value to the next minute.
fn hours_to_minutes(s: &str, round_up: bool) -> Option<i64> {
    let x = parse_num(s)? * 60.0;
    let r = x.round();
    Some(if (x - r).abs() < 1e-6 {
        r as i64
    } else if round_up {
        x.ceil() as i64
    } else {
        x.floor() as i64
    })
}

fn min_minutes(s: &str) -> Option<i64> {
    hours_to_minutes(s, true)
}

fn max_minutes(s: &str) -> Option<i64> {
    hours_to_minutes(s, false)
}

fn parse_list(s: &str) -> Vec<String> {
    s.split(';')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

fn lower_list(s: &str) -> Vec<String> {
    parse_list(s).iter().map(|x| x.to_lowercase()).collect()
}

/// Empty means "not set", otherwise `parse` must succeed.
fn optional<T>(s: &str, parse: impl Fn(&str) -> Option<T>) -> Option<Option<T>> {
    if s.is_empty() {
        Some(None)
    } else {
        parse(s).map(Some)
    }
}

/// Parses `row[col]`, recording a violation when it cannot be read.
fn field<T>(
    table: &str,
    row: &Row,
    col: &str,
    parse: impl Fn(&str) -> Option<T>,
    errs: &mut Vec<String>,
) -> Option<T> {
    let v = parse(row.get(col));
    if v.is_none() {
        errs.push(format!(
            "{table}:{}: [parse] column {col}: cannot read '{}'",
            row.line,
            row.get(col)
        ));
    }
    v
}

fn sites_match(a: &str, b: &str) -> bool {
    a.is_empty() || b.is_empty() || a == b
}

fn hm(min_of_day: i64) -> String {
    format!("{:02}:{:02}", min_of_day / 60, min_of_day % 60)
}

// ---------------------------------------------------------------------------
// Input model
// ---------------------------------------------------------------------------

struct Level {
    min_week: i64,
    max_week: i64,
    min_days: i64,
    max_days: i64,
    min_daily: i64,
    max_daily: i64,
    individual: i64,
    physician: i64,
}

struct Client {
    level: String,
    site: String,
    primary: String,
    gender: String,
    tags: Vec<String>,
    stage: String,
    travel: i64,
}

struct Staff {
    role: String,
    site: String,
    max_week: Option<i64>,
    max_individual_per_day: Option<i64>,
}

struct Busy {
    start: i64,
    end: i64,
    reason: String,
}

struct Session {
    site: String,
    start: i64,
    end: i64,
    facilitator: String,
    capacity: i64,
    min_size: i64,
    levels: Vec<String>,
    gender: String,
    tags: Vec<String>,
    stage: String,
}

#[derive(Default)]
struct Input {
    levels: HashMap<String, Level>,
    clients: BTreeMap<String, Client>,
    staff: HashMap<String, Staff>,
    /// Merged availability blocks per staff member, sorted.
    avail: HashMap<String, Vec<(i64, i64)>>,
    busy: HashMap<String, Vec<Busy>>,
    /// Only the sessions of the scheduled week.
    sessions: BTreeMap<String, Session>,
}

fn load_input(dir: &Path, monday: NaiveDate, errs: &mut Vec<String>) -> Input {
    let mut input = Input::default();
    let mut table = |name: &str, required: bool| {
        read_table(dir, name, required, errs).unwrap_or_else(|| Table::empty(name))
    };
    let levels = table("levels.csv", true);
    let clients = table("clients.csv", true);
    let busy = table("client_busy.csv", false);
    let staff = table("staff.csv", true);
    let avail = table("staff_availability.csv", true);
    let sessions = table("sessions.csv", true);
    load_levels(&levels, &mut input, errs);
    load_clients(&clients, &mut input, errs);
    load_staff(&staff, &mut input, errs);
    load_availability(&avail, monday, &mut input, errs);
    load_busy(&busy, monday, &mut input, errs);
    load_sessions(&sessions, monday, &mut input, errs);
    input
}

fn load_levels(t: &Table, input: &mut Input, errs: &mut Vec<String>) {
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
                individual: field(n, row, "individual_per_week", parse_int, errs)?,
                physician: field(n, row, "physician_per_week", parse_int, errs)?,
            })
        })();
        if let Some(level) = level {
            input.levels.insert(row.get("level").to_string(), level);
        }
    }
}

fn load_clients(t: &Table, input: &mut Input, errs: &mut Vec<String>) {
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
            },
        );
    }
}

fn load_staff(t: &Table, input: &mut Input, errs: &mut Vec<String>) {
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
    errs: &mut Vec<String>,
) -> Option<(i64, i64)> {
    let day = field(&t.name, row, "day", |s| resolve_day(s, monday).ok(), errs)??;
    let start = field(&t.name, row, "start", parse_time, errs)?;
    let end = field(&t.name, row, "end", parse_time, errs)?;
    Some((day * DAY + start, day * DAY + end))
}

fn load_availability(t: &Table, monday: NaiveDate, input: &mut Input, errs: &mut Vec<String>) {
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

fn load_busy(t: &Table, monday: NaiveDate, input: &mut Input, errs: &mut Vec<String>) {
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

fn load_sessions(t: &Table, monday: NaiveDate, input: &mut Input, errs: &mut Vec<String>) {
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

// ---------------------------------------------------------------------------
// Roster model
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum Activity {
    Group,
    Individual,
    Physician,
}

struct Appt {
    line: u64,
    date: NaiveDate,
    start: i64,
    end: i64,
    client: String,
    activity: Activity,
    session: String,
    staff: String,
    site: String,
}

impl Appt {
    fn day(&self) -> i64 {
        self.start / DAY
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

fn load_roster(dir: &Path, monday: NaiveDate, errs: &mut Vec<String>) -> Vec<Appt> {
    let Some(t) = read_table(dir, "roster.csv", true, errs) else {
        return Vec::new();
    };
    if !t.require(&ROSTER_COLS, errs) {
        return Vec::new();
    }
    t.rows
        .iter()
        .filter_map(|row| parse_appt(row, monday, errs))
        .collect()
}

/// Parses one roster row; unreadable rows are reported and dropped.
fn parse_appt(row: &Row, monday: NaiveDate, errs: &mut Vec<String>) -> Option<Appt> {
    let at = format!("roster.csv:{}:", row.line);
    let Some(date) = parse_date(row.get("date")) else {
        errs.push(format!(
            "{at} [date] cannot read date '{}'",
            row.get("date")
        ));
        return None;
    };
    let day = date.signed_duration_since(monday).num_days();
    if !(0..7).contains(&day) {
        errs.push(format!(
            "{at} [date] {date} is outside the week of {monday}"
        ));
        return None;
    }
    check_day_name(&at, row.get("day"), date, errs);
    let (Some(start), Some(end)) = (parse_time(row.get("start")), parse_time(row.get("end")))
    else {
        errs.push(format!(
            "{at} [time] cannot read start/end '{}'-'{}'",
            row.get("start"),
            row.get("end")
        ));
        return None;
    };
    if end <= start {
        errs.push(format!(
            "{at} [time] end {} is not after start {}",
            hm(end),
            hm(start)
        ));
        return None;
    }
    let activity = match row.get("activity").to_lowercase().as_str() {
        "group" => Activity::Group,
        "individual" => Activity::Individual,
        "physician" => Activity::Physician,
        other => {
            errs.push(format!("{at} [activity] unknown activity '{other}'"));
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
        session: row.get("session_id").to_string(),
        staff: row.get("staff_id").to_string(),
        site: row.get("site").to_string(),
    })
}

fn check_day_name(at: &str, day: &str, date: NaiveDate, errs: &mut Vec<String>) {
    let expected = i64::from(date.weekday().num_days_from_monday());
    let ok = match parse_day(day) {
        Some(DaySpec::Weekday(i)) => i == expected,
        Some(DaySpec::Date(d)) => d == date,
        None => false,
    };
    if !ok {
        errs.push(format!("{at} [day] day '{day}' does not match date {date}"));
    }
}

// ---------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------

struct Ctx<'a> {
    input: &'a Input,
    roster: &'a [Appt],
    opts: &'a CheckOptions,
    monday: NaiveDate,
}

/// What a client did during the week, derived from the roster.
#[derive(Default)]
struct Stats {
    minutes: i64,
    per_day: BTreeMap<i64, i64>,
    individual: i64,
    physician: i64,
}

/// A stretch of a staff member's work (a group counts once however many attend).
struct Work<'a> {
    staff: &'a str,
    start: i64,
    end: i64,
    what: String,
    line: u64,
    individual: bool,
}

impl<'a> Ctx<'a> {
    /// `Tue 2024-01-02`: the day part of every message.
    fn day_label(&self, day: i64) -> String {
        let name = DAY_NAMES[day.rem_euclid(7) as usize];
        let date = self.monday + Duration::days(day);
        format!("{}{} {date}", name[..1].to_uppercase(), &name[1..3])
    }

    /// `Tue 2024-01-02 09:00-11:00`: the "when" of every message.
    fn when(&self, start: i64, end: i64) -> String {
        let day = start.div_euclid(DAY);
        format!(
            "{} {}-{}",
            self.day_label(day),
            hm(start - day * DAY),
            hm(end - day * DAY)
        )
    }

    fn at(&self, a: &Appt) -> String {
        format!(
            "roster.csv:{}: client {} {}",
            a.line,
            a.client,
            self.when(a.start, a.end)
        )
    }

    fn available(&self, staff: &str, start: i64, end: i64) -> bool {
        self.input
            .avail
            .get(staff)
            .is_some_and(|b| b.iter().any(|&(s, e)| s <= start && end <= e))
    }

    fn check_rows(&self, errs: &mut Vec<String>) {
        for a in self.roster {
            if !self.input.clients.contains_key(&a.client) {
                errs.push(format!(
                    "{}: [unknown_client] not in clients.csv",
                    self.at(a)
                ));
            }
            if !self.input.staff.contains_key(&a.staff) {
                errs.push(format!(
                    "{}: [unknown_staff] staff '{}' not in staff.csv",
                    self.at(a),
                    a.staff
                ));
            }
            match a.activity {
                Activity::Group => self.check_group(a, errs),
                Activity::Individual => self.check_one_to_one(a, "therapist", errs),
                Activity::Physician => self.check_one_to_one(a, "physician", errs),
            }
        }
        self.check_facilitator_consistency(errs);
    }

    fn check_role(&self, a: &Appt, role: &str, errs: &mut Vec<String>) {
        if let Some(s) = self.input.staff.get(&a.staff) {
            if s.role != role {
                errs.push(format!(
                    "{}: [staff_role] staff {} is a {}, expected a {role}",
                    self.at(a),
                    a.staff,
                    s.role
                ));
            }
        }
    }

    fn check_group(&self, a: &Appt, errs: &mut Vec<String>) {
        let at = self.at(a);
        let Some(s) = self.input.sessions.get(&a.session) else {
            errs.push(format!(
                "{at}: [unknown_session] session '{}' is not in this week's catalog",
                a.session
            ));
            return;
        };
        if (a.start, a.end) != (s.start, s.end) {
            errs.push(format!(
                "{at}: [session_mismatch] session {} is {}",
                a.session,
                self.when(s.start, s.end)
            ));
        }
        if a.site != s.site {
            errs.push(format!(
                "{at}: [session_mismatch] site '{}' but session {} is at '{}'",
                a.site, a.session, s.site
            ));
        }
        if !s.facilitator.is_empty() && a.staff != s.facilitator {
            errs.push(format!(
                "{at}: [facilitator] staff {} but catalog facilitator of {} is {}",
                a.staff, a.session, s.facilitator
            ));
        }
        self.check_role(a, "therapist", errs);
        if !self.available(&a.staff, s.start, s.end) {
            errs.push(format!(
                "{at}: [availability] facilitator {} is not available for all of session {}",
                a.staff, a.session
            ));
        }
        if let Some(c) = self.input.clients.get(&a.client) {
            for (rule, why) in ineligibility(c, s) {
                errs.push(format!(
                    "{at}: [eligibility:{rule}] not eligible for session {}: {why}",
                    a.session
                ));
            }
        }
    }

    /// Individual sessions (therapist) and physician visits share their rules.
    fn check_one_to_one(&self, a: &Appt, role: &str, errs: &mut Vec<String>) {
        let at = self.at(a);
        let (kind, wanted) = match a.activity {
            Activity::Individual => ("individual", self.opts.individual_minutes),
            _ => ("physician", self.opts.physician_minutes),
        };
        if a.end - a.start != i64::from(wanted) {
            errs.push(format!(
                "{at}: [duration] {kind} lasts {} min, expected {wanted}",
                a.end - a.start
            ));
        }
        if !a.session.is_empty() {
            errs.push(format!(
                "{at}: [session_id] {kind} row has session_id '{}'",
                a.session
            ));
        }
        self.check_role(a, role, errs);
        self.check_staff_for_client(a, &at, errs);
        if !self.available(&a.staff, a.start, a.end) {
            errs.push(format!(
                "{at}: [availability] {} is not available for the whole {kind}",
                a.staff
            ));
        }
    }

    /// A set primary therapist is used whatever their site; otherwise sites must match.
    fn check_staff_for_client(&self, a: &Appt, at: &str, errs: &mut Vec<String>) {
        let (Some(c), Some(s)) = (
            self.input.clients.get(&a.client),
            self.input.staff.get(&a.staff),
        ) else {
            return;
        };
        if a.activity == Activity::Individual && !c.primary.is_empty() {
            if a.staff != c.primary {
                errs.push(format!(
                    "{at}: [primary_therapist] individual with {} but primary therapist is {}",
                    a.staff, c.primary
                ));
            }
        } else if !sites_match(&s.site, &c.site) {
            errs.push(format!(
                "{at}: [staff_site] staff {} is at site '{}', client at '{}'",
                a.staff, s.site, c.site
            ));
        }
    }

    fn check_facilitator_consistency(&self, errs: &mut Vec<String>) {
        let mut by_session: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for a in self.group_rows() {
            by_session.entry(&a.session).or_default().insert(&a.staff);
        }
        for (session, staff) in by_session.iter().filter(|(_, s)| s.len() > 1) {
            errs.push(format!(
                "[facilitator_consistency] session {session} has several facilitators: {staff:?}"
            ));
        }
    }

    fn group_rows(&self) -> impl Iterator<Item = &'a Appt> {
        self.roster.iter().filter(|a| a.activity == Activity::Group)
    }

    fn check_sorting(&self, errs: &mut Vec<String>) {
        for w in self.roster.windows(2) {
            let key = |a: &Appt| (a.date, a.start, a.client.clone());
            if key(&w[1]) < key(&w[0]) {
                errs.push(format!(
                    "roster.csv:{}: [sorting] row is not sorted by (date, start, client_id) after line {}",
                    w[1].line, w[0].line
                ));
            }
        }
    }

    fn check_client_overlaps(&self, errs: &mut Vec<String>) {
        let mut by_client: BTreeMap<&str, Vec<&Appt>> = BTreeMap::new();
        for a in self.roster {
            by_client.entry(&a.client).or_default().push(a);
        }
        for appts in by_client.values_mut() {
            appts.sort_by_key(|a| (a.start, a.end));
            for (i, a) in appts.iter().enumerate() {
                for b in appts[i + 1..].iter().take_while(|b| b.start < a.end) {
                    errs.push(format!(
                        "{}: [client_overlap] overlaps line {} ({})",
                        self.at(b),
                        a.line,
                        self.when(a.start, a.end)
                    ));
                }
            }
        }
    }

    /// Staff work items, with each (session, facilitator) counted once.
    fn work(&self) -> Vec<Work<'a>> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for a in self.roster {
            if a.activity == Activity::Group && !seen.insert((&a.session, &a.staff)) {
                continue;
            }
            let what = match a.activity {
                Activity::Group => format!("session {}", a.session),
                Activity::Individual => format!("individual with {}", a.client),
                Activity::Physician => format!("visit with {}", a.client),
            };
            out.push(Work {
                staff: &a.staff,
                start: a.start,
                end: a.end,
                what,
                line: a.line,
                individual: a.activity == Activity::Individual,
            });
        }
        out
    }

    fn check_staff_overlaps(&self, errs: &mut Vec<String>) {
        let mut by_staff: BTreeMap<&str, Vec<Work>> = BTreeMap::new();
        for w in self.work() {
            by_staff.entry(w.staff).or_default().push(w);
        }
        for (staff, items) in by_staff.iter_mut() {
            items.sort_by_key(|w| (w.start, w.end));
            for (i, a) in items.iter().enumerate() {
                for b in items[i + 1..].iter().take_while(|b| b.start < a.end) {
                    errs.push(format!(
                        "roster.csv:{}: [staff_overlap] staff {staff} double-booked: {} {} overlaps {} {} (line {})",
                        b.line,
                        b.what,
                        self.when(b.start, b.end),
                        a.what,
                        self.when(a.start, a.end),
                        a.line
                    ));
                }
            }
        }
    }

    fn check_busy(&self, errs: &mut Vec<String>) {
        for a in self.roster {
            let (Some(c), Some(blocks)) = (
                self.input.clients.get(&a.client),
                self.input.busy.get(&a.client),
            ) else {
                continue;
            };
            for b in blocks {
                // Travel widens the block on both sides; intervals are half-open.
                if a.start < b.end + c.travel && b.start - c.travel < a.end {
                    errs.push(format!(
                        "{}: [busy] overlaps busy block '{}' {} (+{} min travel)",
                        self.at(a),
                        b.reason,
                        self.when(b.start, b.end),
                        c.travel
                    ));
                }
            }
        }
    }

    fn enrolled(&self) -> BTreeMap<&'a str, i64> {
        let mut n = BTreeMap::new();
        for a in self.group_rows() {
            *n.entry(a.session.as_str()).or_insert(0) += 1;
        }
        n
    }

    fn check_sessions(&self, errs: &mut Vec<String>) {
        for (id, n) in self.enrolled() {
            let Some(s) = self.input.sessions.get(id) else {
                continue;
            };
            if n > s.capacity {
                errs.push(format!(
                    "[capacity] session {id} {} has {n} clients, capacity {}",
                    self.when(s.start, s.end),
                    s.capacity
                ));
            }
            if n < s.min_size {
                errs.push(format!(
                    "[min_size] session {id} {} runs with {n} clients, min_size {}",
                    self.when(s.start, s.end),
                    s.min_size
                ));
            }
        }
    }

    fn stats(&self) -> BTreeMap<&'a str, Stats> {
        let mut out: BTreeMap<&str, Stats> = BTreeMap::new();
        for a in self.roster {
            let s = out.entry(&a.client).or_default();
            s.minutes += a.end - a.start;
            *s.per_day.entry(a.day()).or_insert(0) += a.end - a.start;
            s.individual += i64::from(a.activity == Activity::Individual);
            s.physician += i64::from(a.activity == Activity::Physician);
        }
        out
    }

    fn check_client_limits(&self, errs: &mut Vec<String>) {
        let stats = self.stats();
        for (id, c) in &self.input.clients {
            let (Some(l), Some(s)) = (self.input.levels.get(&c.level), stats.get(id.as_str()))
            else {
                continue;
            };
            let mut push = |rule: &str, what: String| {
                errs.push(format!("[{rule}] client {id} (level {}): {what}", c.level));
            };
            if s.minutes > l.max_week {
                push(
                    "max_weekly",
                    format!("{} min > max {} min", s.minutes, l.max_week),
                );
            }
            if s.per_day.len() as i64 > l.max_days {
                push(
                    "max_days",
                    format!("{} program days > max {}", s.per_day.len(), l.max_days),
                );
            }
            for (&day, &m) in &s.per_day {
                let when = self.day_label(day);
                if m < l.min_daily {
                    push(
                        "min_daily",
                        format!("{when}: {m} min < min_daily {} min", l.min_daily),
                    );
                }
                if m > l.max_daily {
                    push(
                        "max_daily",
                        format!("{when}: {m} min > max_daily {} min", l.max_daily),
                    );
                }
            }
            if s.individual > l.individual {
                push(
                    "individual_count",
                    format!("{} individual > {}", s.individual, l.individual),
                );
            }
            if s.physician > l.physician {
                push(
                    "physician_count",
                    format!("{} visits > {}", s.physician, l.physician),
                );
            }
        }
    }

    fn check_staff_limits(&self, errs: &mut Vec<String>) {
        let mut total: BTreeMap<&str, i64> = BTreeMap::new();
        let mut individual: BTreeMap<(&str, i64), i64> = BTreeMap::new();
        for w in self.work() {
            *total.entry(w.staff).or_insert(0) += w.end - w.start;
            if w.individual {
                *individual.entry((w.staff, w.start / DAY)).or_insert(0) += 1;
            }
        }
        for (staff, m) in total {
            match self.input.staff.get(staff).and_then(|s| s.max_week) {
                Some(max) if m > max => errs.push(format!(
                    "[staff_max_weekly] staff {staff} works {m} min > max_weekly_hours {max} min"
                )),
                _ => {}
            }
        }
        for ((staff, day), n) in individual {
            match self.input.staff.get(staff).and_then(|s| s.max_individual_per_day) {
                Some(max) if n > max => errs.push(format!(
                    "[staff_max_individual_per_day] staff {staff} has {n} individual sessions on {} > {max}",
                    self.day_label(day)
                )),
                _ => {}
            }
        }
    }

    fn check_client_summary(&self, dir: &Path, errs: &mut Vec<String>) {
        let Some(t) = read_table(dir, "client_summary.csv", true, errs) else {
            return;
        };
        let cols = [
            "client_id",
            "level",
            "scheduled_hours",
            "program_days",
            "individual_sessions",
            "physician_visits",
            "status",
            "shortfall",
            "reason",
        ];
        if !t.require(&cols, errs) {
            return;
        }
        let stats = self.stats();
        let empty = Stats::default();
        let mut seen = HashSet::new();
        for row in &t.rows {
            let id = row.get("client_id");
            let at = format!("client_summary.csv:{}: client {id}", row.line);
            if !seen.insert(id.to_string()) {
                errs.push(format!(
                    "{at}: [client_summary:duplicate] listed more than once"
                ));
                continue;
            }
            let Some(c) = self.input.clients.get(id) else {
                errs.push(format!("{at}: [client_summary:unknown] not in clients.csv"));
                continue;
            };
            let s = stats.get(id).unwrap_or(&empty);
            self.check_summary_row(row, &at, c, s, errs);
        }
        for id in self.input.clients.keys().filter(|id| !seen.contains(*id)) {
            errs.push(format!(
                "client_summary.csv: [client_summary:missing] client {id} has no row"
            ));
        }
    }

    fn check_summary_row(
        &self,
        row: &Row,
        at: &str,
        c: &Client,
        s: &Stats,
        errs: &mut Vec<String>,
    ) {
        let mut push = |rule: &str, what: String| {
            errs.push(format!("{at}: [client_summary:{rule}] {what}"));
        };
        if row.get("level") != c.level {
            push(
                "level",
                format!("level '{}' but client is {}", row.get("level"), c.level),
            );
        }
        let hours = s.minutes as f64 / 60.0;
        if !parse_num(row.get("scheduled_hours"))
            .is_some_and(|v| (v - hours).abs() <= HOURS_TOLERANCE)
        {
            push(
                "hours",
                format!(
                    "scheduled_hours '{}' but roster has {hours:.2} h",
                    row.get("scheduled_hours")
                ),
            );
        }
        let counts = [
            ("program_days", "days", s.per_day.len() as i64),
            ("individual_sessions", "individual", s.individual),
            ("physician_visits", "physician", s.physician),
        ];
        for (col, rule, n) in counts {
            if parse_int(row.get(col)) != Some(n) {
                push(rule, format!("{col} '{}' but roster has {n}", row.get(col)));
            }
        }
        let Some(l) = self.input.levels.get(&c.level) else {
            return;
        };
        let deficits = deficits(l, s);
        let met = deficits.iter().all(|&(_, d)| d <= 0.0);
        let status = row.get("status").to_lowercase();
        let expected = if met { "met" } else { "short" };
        if status != expected {
            push(
                "status",
                format!("status '{status}' but expected '{expected}'"),
            );
        }
        if status == "met" && !row.get("shortfall").is_empty() {
            push(
                "shortfall",
                format!("met client has shortfall '{}'", row.get("shortfall")),
            );
        }
        for problem in shortfall_problems(row.get("shortfall"), &deficits) {
            push("shortfall", problem);
        }
        if status == "short" && row.get("reason").is_empty() {
            push("reason", "short client without a reason".to_string());
        }
    }

    fn check_sessions_summary(&self, dir: &Path, errs: &mut Vec<String>) {
        let Some(t) = read_table(dir, "sessions_summary.csv", true, errs) else {
            return;
        };
        if !t.require(
            &[
                "session_id",
                "status",
                "enrolled",
                "capacity",
                "facilitator",
            ],
            errs,
        ) {
            return;
        }
        let enrolled = self.enrolled();
        let mut facilitators: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for a in self.group_rows() {
            facilitators.entry(&a.session).or_default().insert(&a.staff);
        }
        let mut seen = HashSet::new();
        for row in &t.rows {
            let id = row.get("session_id");
            let at = format!("sessions_summary.csv:{}: session {id}", row.line);
            let mut push = |rule: &str, what: String| {
                errs.push(format!("{at}: [sessions_summary:{rule}] {what}"));
            };
            if !seen.insert(id.to_string()) {
                push("duplicate", "listed more than once".to_string());
                continue;
            }
            let Some(s) = self.input.sessions.get(id) else {
                push("unknown", "not in this week's catalog".to_string());
                continue;
            };
            let n = enrolled.get(id).copied().unwrap_or(0);
            if parse_int(row.get("enrolled")) != Some(n) {
                push(
                    "enrolled",
                    format!("enrolled '{}' but roster has {n}", row.get("enrolled")),
                );
            }
            let expected = if n > 0 { "running" } else { "cancelled" };
            if row.get("status").to_lowercase() != expected {
                push(
                    "status",
                    format!("status '{}' but expected {expected}", row.get("status")),
                );
            }
            if parse_int(row.get("capacity")) != Some(s.capacity) {
                push(
                    "capacity",
                    format!(
                        "capacity '{}' but catalog has {}",
                        row.get("capacity"),
                        s.capacity
                    ),
                );
            }
            // Cancelled sessions have no roster facilitator to compare with.
            if let Some(staff) = facilitators.get(id) {
                if !staff.contains(row.get("facilitator")) {
                    push(
                        "facilitator",
                        format!(
                            "facilitator '{}' but roster uses {staff:?}",
                            row.get("facilitator")
                        ),
                    );
                }
            }
        }
        for id in self.input.sessions.keys().filter(|id| !seen.contains(*id)) {
            errs.push(format!(
                "sessions_summary.csv: [sessions_summary:missing] session {id} has no row"
            ));
        }
    }
}

/// Why a client may not join a session (empty = eligible).
fn ineligibility(c: &Client, s: &Session) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if !s.levels.is_empty() && !s.levels.contains(&c.level) {
        out.push(("levels", format!("level {} not in {:?}", c.level, s.levels)));
    }
    if !s.gender.is_empty() && !s.gender.eq_ignore_ascii_case(&c.gender) {
        out.push((
            "gender",
            format!("gender '{}' but session is '{}'", c.gender, s.gender),
        ));
    }
    let missing: Vec<&String> = s.tags.iter().filter(|t| !c.tags.contains(t)).collect();
    if !missing.is_empty() {
        out.push(("tags", format!("missing tags {missing:?}")));
    }
    if !s.stage.is_empty() && !s.stage.eq_ignore_ascii_case(&c.stage) {
        out.push((
            "stage",
            format!("stage '{}' but session is '{}'", c.stage, s.stage),
        ));
    }
    if !sites_match(&s.site, &c.site) {
        out.push((
            "site",
            format!("client site '{}' but session at '{}'", c.site, s.site),
        ));
    }
    out
}

/// What is missing per shortfall key (hours as hours, the rest as counts).
fn deficits(l: &Level, s: &Stats) -> [(&'static str, f64); 4] {
    let gap = |want: i64, have: i64| (want - have).max(0) as f64;
    [
        ("hours", gap(l.min_week, s.minutes) / 60.0),
        ("days", gap(l.min_days, s.per_day.len() as i64)),
        ("individual", gap(l.individual, s.individual)),
        ("physician", gap(l.physician, s.physician)),
    ]
}

/// Compares a `key=value;...` shortfall cell with the expected deficits.
fn shortfall_problems(cell: &str, deficits: &[(&'static str, f64); 4]) -> Vec<String> {
    let mut out = Vec::new();
    let mut given: HashMap<String, f64> = HashMap::new();
    for part in parse_list(cell) {
        match part
            .split_once('=')
            .map(|(k, v)| (k.trim().to_lowercase(), parse_num(v)))
        {
            Some((k, Some(v))) if deficits.iter().any(|(d, _)| *d == k) => {
                given.insert(k, v);
            }
            _ => out.push(format!("cannot read shortfall item '{part}'")),
        }
    }
    for &(key, want) in deficits {
        let (tolerance, digits) = if key == "hours" {
            (HOURS_TOLERANCE, 2)
        } else {
            (1e-9, 0)
        };
        match given.get(key) {
            Some(v) if (v - want).abs() > tolerance => {
                out.push(format!("{key}={v} but expected {key}={want:.digits$}"))
            }
            None if want > 0.0 => out.push(format!("missing {key}={want:.digits$}")),
            _ => {}
        }
    }
    out
}

//! The independent roster checker: the second opinion on any `roster.csv`.
//!
//! Written from the contract alone and sharing no code with the optimizer (nothing
//! from `crate::input`, `crate::candidates`, `crate::model` or `crate::solve`), so a
//! bug in the optimizer's parsing or rules cannot hide itself here. It reads the input
//! folder and the roster with its own lenient CSV parsing and reports every contract
//! rule the roster breaks, whoever wrote it: the optimizer, a coordinator editing by
//! hand, or last week's run.
//!
//! Internally every instant is an integer number of minutes since Monday 00:00 of the
//! checked week, so overlap and containment tests are plain integer comparisons.
//!
//! The files: [`parse`] reads CSV cells, [`input`] builds the checker's own view of
//! the inputs, [`roster`] reads the roster rows, [`rules`] and [`conflicts`] hold the
//! roster rules, [`summary`] recomputes and checks the two summary files, and
//! [`billing`] recomputes and checks `billing.csv`.

mod billing;
mod conflicts;
mod input;
mod parse;
mod roster;
mod rules;
mod summary;
mod validate;

pub use billing::{billing_csv, BillingRow};
pub use summary::SummaryRow;

use chrono::{Datelike, Duration, NaiveDate};
use std::fmt;
use std::path::Path;

/// Durations the roster was built with (the contract's defaults are 50 / 30), for
/// an input folder without appointments.csv (whose lengths are used otherwise).
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

/// Whether `client_summary.csv`, `sessions_summary.csv` and `billing.csv` beside the
/// roster are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryFiles {
    /// Both must exist (the optimizer always writes all three files).
    Required,
    /// Each is checked when it exists; a hand-edited roster usually comes alone.
    IfPresent,
    /// None is checked: the roster's rules only (e.g. a published roster to which
    /// new clients are added, whose summaries describe fewer clients).
    Ignored,
}

/// One broken rule (or, in [`Report::unreadable`], one problem reading the files).
///
/// `date`, `start` and `end` say when (start and end as minutes of that day), and
/// `file`/`line` point at the row at fault when a single row is to blame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// A short tag such as `client_overlap` or `client_summary:hours`.
    pub rule: &'static str,
    pub file: Option<String>,
    pub line: Option<u64>,
    /// Empty when no single client is concerned.
    pub client_id: String,
    /// Empty when no single staff member is concerned.
    pub staff_id: String,
    pub date: Option<NaiveDate>,
    pub start: Option<u32>,
    pub end: Option<u32>,
    pub message: String,
    /// Free text from the inputs (a busy block's reason) that explains the violation:
    /// written to violations.csv, never printed, as the console goes to cron mail.
    pub note: String,
}

impl Violation {
    /// A problem with a whole file or one row of it, concerning nobody in particular.
    fn in_file(rule: &'static str, file: &str, line: Option<u64>, message: String) -> Violation {
        Violation {
            rule,
            file: Some(file.to_string()),
            line,
            client_id: String::new(),
            staff_id: String::new(),
            date: None,
            start: None,
            end: None,
            message,
            note: String::new(),
        }
    }

    /// A problem concerning the whole week, not one row.
    fn general(rule: &'static str, message: String) -> Violation {
        Violation {
            file: None,
            ..Violation::in_file(rule, "", None, message)
        }
    }

    fn client(mut self, id: &str) -> Violation {
        self.client_id = id.to_string();
        self
    }

    fn staff(mut self, id: &str) -> Violation {
        self.staff_id = id.to_string();
        self
    }

    /// Sets the time from minutes since Monday 00:00 of the week of `monday`.
    fn during(mut self, monday: NaiveDate, start: i64, end: Option<i64>) -> Violation {
        let day = start.div_euclid(parse::DAY);
        self.date = Some(monday + Duration::days(day));
        self.start = end.map(|_| (start - day * parse::DAY) as u32);
        self.end = end.map(|e| (e - day * parse::DAY) as u32);
        self
    }

    /// `Mon 2026-11-23 09:00-12:00` (or just the day), empty when no time is known.
    pub fn when(&self) -> String {
        let Some(date) = self.date else {
            return String::new();
        };
        let mut out = format!("{} {date}", date.format("%a"));
        if let (Some(s), Some(e)) = (self.start, self.end) {
            out.push_str(&format!(" {}-{}", parse::hm(s.into()), parse::hm(e.into())));
        }
        out
    }

    /// `client C1`, `staff T2`, or both, or empty.
    pub fn who(&self) -> String {
        match (self.client_id.is_empty(), self.staff_id.is_empty()) {
            (false, false) => format!("client {} with staff {}", self.client_id, self.staff_id),
            (false, true) => format!("client {}", self.client_id),
            (true, false) => format!("staff {}", self.staff_id),
            (true, true) => String::new(),
        }
    }

    /// `roster.csv:12`, `levels.csv`, or empty.
    pub fn location(&self) -> String {
        match (&self.file, self.line) {
            (Some(f), Some(l)) => format!("{f}:{l}"),
            (Some(f), None) => f.clone(),
            _ => String::new(),
        }
    }

    /// The plain-words name of the rule (`client booked twice at once`).
    pub fn title(&self) -> &'static str {
        rule_title(self.rule)
    }

    /// The order violations are printed and written in: by time, then who, then rule.
    fn sort_key(&self) -> impl Ord + '_ {
        (
            self.date.is_none(),
            self.date,
            self.start,
            self.end,
            &self.client_id,
            &self.staff_id,
            self.rule,
            self.line,
            &self.message,
        )
    }
}

impl fmt::Display for Violation {
    /// `roster.csv:4: client C1, Mon 2026-11-23 09:00-12:00: [rule] message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let head: Vec<String> = [self.location(), self.who(), self.when()]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect();
        if !head.is_empty() {
            write!(f, "{}: ", head.join(", "))?;
        }
        write!(f, "[{}] {}", self.rule, self.message)
    }
}

/// Plain words for each rule tag (the part before `:` decides for summary tags).
pub fn rule_title(rule: &str) -> &'static str {
    match rule.split(':').next().unwrap_or(rule) {
        "file" | "columns" | "parse" => "unreadable file",
        "input" => "input error",
        "client_overlap" => "client booked twice at the same time",
        "staff_overlap" => "staff member booked twice at the same time",
        "busy" => "activity during a busy block (plus travel)",
        "admission" => "activity before admission or after discharge",
        "availability" => "staff member not available",
        "eligibility" => "client not eligible for the session",
        "capacity" => "session over capacity",
        "min_size" => "session below its min_size",
        "max_weekly" => "more weekly hours than the level allows",
        "max_days" => "more program days than the level allows",
        "max_daily" => "more hours in a day than the level allows",
        "min_daily" => "fewer hours on a program day than the level requires",
        "individual_count" => "more individual sessions than the level books",
        "physician_count" => "more physician visits than the level books",
        "kind_count" => "more appointments of a kind than the level books",
        "max_per_day" => "more appointments of a kind in a day than appointments.csv allows",
        "window" => "appointment outside its kind's earliest-latest window",
        "staff_max_weekly" => "staff member over max_weekly_hours",
        "staff_max_individual_per_day" => "staff member over max_individual_per_day",
        "unknown_client" => "client not in clients.csv",
        "unknown_staff" => "staff member not in staff.csv",
        "unknown_session" => "session not in this week's catalog",
        "session_mismatch" => "group row differs from the catalog",
        "facilitator" => "not the catalog's facilitator",
        "facilitator_consistency" => "one session with several facilitators",
        "staff_role" => "wrong kind of staff member",
        "staff_site" => "staff member of another site",
        "primary_therapist" => "individual session not with the primary therapist",
        "duration" => "appointment of the wrong length",
        "session_id" => "session_id on a non-group row",
        "sorting" => "roster rows out of order",
        "date" | "day" | "time" | "activity" => "unreadable roster cell",
        "client_summary" => "client_summary.csv disagrees with the roster",
        "sessions_summary" => "sessions_summary.csv disagrees with the roster",
        "billing" => "billing.csv disagrees with the roster",
        _ => "contract rule",
    }
}

/// Everything the checker found about one roster.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Files that could not be read (missing, missing columns, unreadable input
    /// cells): the verdict below is incomplete while this is not empty.
    pub unreadable: Vec<Violation>,
    /// Broken rules, sorted by time, then client, staff and rule.
    pub violations: Vec<Violation>,
    /// `client_summary.csv` recomputed from the roster, one row per client, by id.
    pub summary: Vec<SummaryRow>,
    /// `billing.csv` recomputed from the roster, by client id, then date.
    pub billing: Vec<BillingRow>,
    /// The summary files that were checked beside the roster.
    pub summaries_checked: Vec<&'static str>,
}

impl Report {
    /// Every problem as one line each, unreadable files first.
    pub fn lines(&self) -> Vec<String> {
        self.unreadable
            .iter()
            .chain(&self.violations)
            .map(ToString::to_string)
            .collect()
    }
}

/// Checks the roster file `roster` against the inputs in `input_dir` for the week
/// containing `week` (any date of it), and the summary files in the roster's folder
/// as `summaries` says.
pub fn check(
    input_dir: &Path,
    roster: &Path,
    week: NaiveDate,
    opts: &CheckOptions,
    summaries: SummaryFiles,
) -> Report {
    let monday = week - Duration::days(i64::from(week.weekday().num_days_from_monday()));
    let mut unreadable = Vec::new();
    let mut violations = Vec::new();
    let inputs = input::load(input_dir, monday, opts, &mut unreadable);
    let appts = roster::load(
        roster,
        monday,
        &inputs.kinds,
        &mut unreadable,
        &mut violations,
    );
    let ctx = rules::Ctx {
        input: &inputs,
        roster: &appts,
        monday,
        roster_file: parse::file_name(roster),
    };
    ctx.check_rows(&mut violations);
    ctx.check_sorting(&mut violations);
    ctx.check_client_overlaps(&mut violations);
    ctx.check_staff_overlaps(&mut violations);
    ctx.check_busy(&mut violations);
    ctx.check_sessions(&mut violations);
    ctx.check_client_limits(&mut violations);
    ctx.check_staff_limits(&mut violations);
    let dir = roster.parent().unwrap_or(Path::new("."));
    let mut summaries_checked = Vec::new();
    for name in summary::FILES {
        let path = dir.join(name);
        if summaries == SummaryFiles::Required
            || (summaries == SummaryFiles::IfPresent && path.symlink_metadata().is_ok())
        {
            summaries_checked.push(name);
            ctx.check_summary_file(&path, &mut unreadable, &mut violations);
        }
    }
    let billing_path = dir.join(billing::FILE);
    if summaries == SummaryFiles::Required
        || (summaries == SummaryFiles::IfPresent && billing_path.symlink_metadata().is_ok())
    {
        summaries_checked.push(billing::FILE);
        ctx.check_billing_file(&billing_path, &mut unreadable, &mut violations);
    }
    violations.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    Report {
        unreadable,
        violations,
        summary: ctx.recompute_summary(),
        billing: ctx.recompute_billing(),
        summaries_checked,
    }
}

/// `violations.csv`: `rule, client_id, staff_id, date, start, end, message`.
pub fn violations_csv(violations: &[Violation]) -> std::io::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "rule",
        "client_id",
        "staff_id",
        "date",
        "start",
        "end",
        "message",
    ])?;
    for v in violations {
        let time = |m: Option<u32>| m.map(|m| parse::hm(m.into())).unwrap_or_default();
        let location = v.location();
        let mut message = if location.is_empty() {
            v.message.clone()
        } else {
            format!("{location}: {}", v.message)
        };
        if !v.note.is_empty() {
            message.push_str(&format!(" ({})", v.note));
        }
        let cells = [
            v.rule.to_string(),
            v.client_id.clone(),
            v.staff_id.clone(),
            v.date.map(|d| d.to_string()).unwrap_or_default(),
            time(v.start),
            time(v.end),
            message,
        ];
        w.write_record(cells.iter().map(|c| parse::cell_safe(c)))?;
    }
    w.into_inner().map_err(|e| e.into_error())
}

pub use summary::summary_csv;

//! Writing the outputs: the roster, the client summary, the session summary, the
//! changes and billing as CSV, the printable `roster.html` and one calendar file per person in `calendars/`.
//!
//! Every file is rendered in memory; [`crate::publish`] swaps the whole set in at
//! once, so a failure never leaves a half-written or mixed set of files.

use crate::domain::{KindIx, Program};
use crate::report;
use crate::time::{hhmm, hours};
use crate::Schedule;
use chrono_tz::Tz;
use std::io;

/// The CSV files, in the order they are written.
pub const FILES: [&str; 5] = [
    "roster.csv",
    "client_summary.csv",
    "sessions_summary.csv",
    "changes.csv",
    "billing.csv",
];

/// The printable weekly grid.
pub const HTML: &str = "roster.html";

/// The folder of per-person iCalendar files.
pub const CALENDARS: &str = "calendars";

/// How the outputs are written, beyond what the roster itself says.
#[derive(Clone, Debug)]
pub struct OutputSettings {
    /// The zone of the program's wall-clock times, written into the calendars.
    pub timezone: Tz,
}

/// What [`write_all`] wrote, for the summary line.
#[derive(Clone, Debug)]
pub struct Written {
    pub calendars: usize,
    pub timezone: Tz,
}

impl std::fmt::Display for Written {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}, {HTML} and {CALENDARS}/ ({} .ics files, {})",
            FILES.join(", "),
            self.calendars,
            self.timezone
        )
    }
}

/// The zone named by `TZ`, else the machine's zone, else UTC.
pub fn local_timezone() -> Tz {
    let from_env = std::env::var("TZ")
        .ok()
        .map(|name| name.trim_start_matches(':').to_string());
    from_env
        .into_iter()
        .chain(iana_time_zone::get_timezone().ok())
        .find_map(|name| name.parse().ok())
        .unwrap_or(Tz::UTC)
}

/// Every output file, as (path inside the output folder, bytes), for
/// [`crate::publish::OutputSet::publish`], which swaps them in as one set.
pub fn render_all(
    program: &Program,
    schedule: &Schedule,
    settings: &OutputSettings,
) -> io::Result<(Vec<crate::publish::OutputFile>, Written)> {
    let contents = [
        roster_csv(program, schedule)?,
        client_summary_csv(program, schedule)?,
        sessions_summary_csv(program, schedule)?,
        changes_csv(program, schedule)?,
        crate::billing::billing_csv(program, &schedule.roster)?,
        report::html::render(program, schedule).into_bytes(),
    ];
    let calendars = report::ics::render(program, schedule, settings.timezone);
    let names = FILES.iter().chain([&HTML]).map(|n| n.to_string());
    let mut files: Vec<crate::publish::OutputFile> = names.zip(contents).collect();
    let written = Written {
        calendars: calendars.len(),
        timezone: settings.timezone,
    };
    for file in calendars {
        files.push((format!("{CALENDARS}/{}", file.name), file.text.into_bytes()));
    }
    Ok((files, written))
}

fn render(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> io::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header)?;
    for row in rows {
        w.write_record(row.iter().map(|cell| spreadsheet_safe(cell)))?;
    }
    w.into_inner().map_err(|e| e.into_error())
}

/// A cell a spreadsheet shows as text: one that would start a formula (`=`, `+`,
/// `-`, `@`, or a tab or carriage return before one) gets a leading `'`, as
/// spreadsheet-safe CSV writers do (OWASP "CSV injection"). IDs cannot start so
/// (the loader refuses them); this guards free text such as busy reasons.
pub fn spreadsheet_safe(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// `changes.csv`: what moved from last week's roster and why (only a header when
/// no previous roster was given), by client id.
pub fn changes_csv(program: &Program, schedule: &Schedule) -> io::Result<Vec<u8>> {
    let header = ["client_id", "change", "from", "to", "reason"];
    let mut changes: Vec<&crate::changes::Change> = schedule.changes.iter().collect();
    changes.sort_by(|a, b| {
        program
            .client(a.client)
            .id
            .cmp(&program.client(b.client).id)
    });
    let rows = changes.into_iter().map(|c| {
        vec![
            program.client(c.client).id.to_string(),
            c.change.as_str().to_string(),
            c.from.clone(),
            c.to.clone(),
            c.reason.clone(),
        ]
    });
    render(&header, rows)
}

/// `roster.csv`: one row per appointment, sorted by date, start, client id.
pub fn roster_csv(program: &Program, schedule: &Schedule) -> io::Result<Vec<u8>> {
    let header = [
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
    let rows = schedule.roster.entries.iter().map(|e| {
        let client = program.client(e.client);
        let staff = program.staff(e.staff);
        let (session_id, site) = match e.session {
            Some(s) => {
                let session = program.session(s);
                (session.id.to_string(), session.site.clone())
            }
            None => (String::new(), client.site.clone().or(staff.site.clone())),
        };
        let day = e.interval.day();
        vec![
            day.date(program.monday).format("%Y-%m-%d").to_string(),
            day.short_name().to_string(),
            hhmm(e.interval.start_of_day()),
            hhmm(e.interval.end_of_day()),
            client.id.to_string(),
            program.activity_name(e.activity).to_string(),
            session_id,
            staff.id.to_string(),
            site.unwrap_or_default(),
        ]
    });
    render(&header, rows)
}

/// `client_summary.csv`: one row per client, in input order. The contract's columns
/// come first; then one column per kind other than the two built-in ones, named
/// after it, with the count booked.
pub fn client_summary_csv(program: &Program, schedule: &Schedule) -> io::Result<Vec<u8>> {
    let built_in = [
        program.kind(Program::INDIVIDUAL),
        program.kind(Program::PHYSICIAN),
    ];
    let others: Vec<KindIx> = program
        .kind_list()
        .map(|(k, _)| k)
        .filter(|k| !built_in.contains(&Some(*k)))
        .collect();
    let mut header = vec![
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
    header.extend(others.iter().map(|&k| program.kind_at(k).name.as_str()));
    let count = |week: &crate::roster::ClientWeek, k: Option<KindIx>| {
        k.map_or(0, |k| week.appointments[k.0]).to_string()
    };
    let rows = program.clients.iter().enumerate().map(|(c, client)| {
        let week = &schedule.weeks[c];
        let met = week.shortfall.is_met();
        let mut row = vec![
            client.id.to_string(),
            program.level_of(client).name.clone(),
            hours(week.minutes),
            week.days.to_string(),
            count(week, built_in[0]),
            count(week, built_in[1]),
            if met { "met" } else { "short" }.to_string(),
            week.shortfall.text(program),
            schedule.reasons[c].clone().unwrap_or_default(),
        ];
        row.extend(others.iter().map(|&k| count(week, Some(k))));
        row
    });
    render(&header, rows)
}

/// `sessions_summary.csv`: one row per catalog session of the week, in input order.
pub fn sessions_summary_csv(program: &Program, schedule: &Schedule) -> io::Result<Vec<u8>> {
    let header = [
        "session_id",
        "status",
        "enrolled",
        "capacity",
        "facilitator",
    ];
    let rows = program.session_list().map(|(s, session)| {
        let enrolled = schedule.roster.enrolled[s];
        vec![
            session.id.to_string(),
            if enrolled > 0 { "running" } else { "cancelled" }.to_string(),
            enrolled.to_string(),
            session.capacity.to_string(),
            schedule.roster.facilitator[s]
                .map(|t| program.staff(t).id.to_string())
                .unwrap_or_default(),
        ]
    });
    render(&header, rows)
}

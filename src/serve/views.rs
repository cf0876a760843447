//! What the pages and the JSON API show, as plain serializable values built from
//! the library's types: one view model, rendered twice (templates and `/api/`).

use crate::billing;
use crate::domain::{Activity, ClientIx, Program, SessionIx};
use crate::input::InputError;
use crate::lint::Finding;
use crate::place::Placement;
use crate::roster::Entry;
use crate::solve::{StageReport, StageStatus};
use crate::time::{hhmm, hours, Interval};
use crate::week::Week;
use crate::whatif::Whatif;
use serde::Serialize;

/// One row of a roster (a client's activity).
#[derive(Clone, Debug, Serialize)]
pub struct RowView {
    pub client_id: String,
    pub activity: String,
    pub session_id: String,
    pub session_name: String,
    pub staff_id: String,
    pub day: &'static str,
    pub date: String,
    pub start: String,
    pub end: String,
}

/// One client and how their week went.
#[derive(Clone, Debug, Serialize)]
pub struct ClientView {
    pub client_id: String,
    pub level: String,
    pub site: String,
    pub track: String,
    pub hours: String,
    pub days: u32,
    pub status: &'static str,
    /// What is missing, in client_summary.csv's words (empty when met).
    pub shortfall: String,
    pub reason: String,
    /// `billable`, `not billable` (some day cannot be billed) or `no program days`.
    pub billing: &'static str,
    pub billing_reason: String,
}

/// How one solver stage went.
#[derive(Clone, Debug, Serialize)]
pub struct StageView {
    pub name: &'static str,
    pub status: &'static str,
    pub objective: f64,
    pub bound: Option<f64>,
    pub gap_percent: Option<f64>,
    pub seconds: f64,
}

/// The solved week: what `GET /api/week` answers.
#[derive(Clone, Debug, Serialize)]
pub struct WeekView {
    pub monday: String,
    pub summary: String,
    pub clients: Vec<ClientView>,
    pub roster: Vec<RowView>,
    pub stages: Vec<StageView>,
}

/// A staff member's week.
#[derive(Clone, Debug, Serialize)]
pub struct StaffView {
    pub staff_id: String,
    pub role: String,
    pub site: String,
    pub hours_used: String,
    pub max_hours: String,
    pub over: bool,
    pub caseload: usize,
    pub rows: Vec<RowView>,
}

/// A client's busy block.
#[derive(Clone, Debug, Serialize)]
pub struct BusyView {
    pub day: &'static str,
    pub start: String,
    pub end: String,
    pub reason: String,
}

/// One intake option.
#[derive(Clone, Debug, Serialize)]
pub struct PlacementView {
    pub rank: usize,
    pub meets_level: bool,
    pub shortfall: String,
    pub moved_clients: usize,
    pub reason: String,
    pub rows: Vec<RowView>,
}

/// One what-if proposal.
#[derive(Clone, Debug, Serialize)]
pub struct ProposalView {
    pub rank: usize,
    pub extra_met: i64,
    pub extra_hours: String,
    pub session_id: String,
    pub name: String,
    pub site: String,
    pub day: &'static str,
    pub start: String,
    pub end: String,
    pub track: &'static str,
    pub facilitator: String,
    pub room: String,
}

/// An input error with its place.
#[derive(Clone, Debug, Serialize)]
pub struct ErrorView {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<String>,
    pub message: String,
    pub text: String,
}

/// A lint finding.
#[derive(Clone, Debug, Serialize)]
pub struct FindingView {
    pub kind: &'static str,
    pub message: String,
    pub rows: Vec<String>,
    pub fix: String,
}

pub fn row(program: &Program, e: &Entry) -> RowView {
    let session = e.session.map(|s| program.session(s));
    let (day, date, start, end) = when(program, e.interval);
    RowView {
        client_id: program.client(e.client).id.to_string(),
        activity: program.activity_name(e.activity).to_string(),
        session_id: session.map(|s| s.id.to_string()).unwrap_or_default(),
        session_name: session.map(|s| s.name.clone()).unwrap_or_default(),
        staff_id: program.staff(e.staff).id.to_string(),
        day,
        date,
        start,
        end,
    }
}

fn when(program: &Program, interval: Interval) -> (&'static str, String, String, String) {
    let day = interval.day();
    (
        day.short_name(),
        day.date(program.monday).to_string(),
        hhmm(interval.start_of_day()),
        hhmm(interval.end_of_day()),
    )
}

pub fn week(week: &Week) -> WeekView {
    let (program, schedule) = (&week.program, &week.schedule);
    WeekView {
        monday: program.monday.to_string(),
        summary: week.summary_line(),
        clients: clients(week),
        roster: schedule
            .roster
            .entries
            .iter()
            .map(|e| row(program, e))
            .collect(),
        stages: schedule.stages.iter().map(stage).collect(),
    }
}

fn stage(s: &StageReport) -> StageView {
    let finite = s.bound.is_finite();
    StageView {
        name: s.name,
        status: match s.status {
            StageStatus::Optimal => "optimal",
            StageStatus::WithinGap => "within gap",
            StageStatus::TimeLimit => "time limit",
        },
        objective: s.objective,
        bound: finite.then_some(s.bound),
        gap_percent: finite.then(|| s.gap() * 100.0),
        seconds: s.seconds,
    }
}

/// Every client, short ones first (most minutes missing first), then by ID.
pub fn clients(week: &Week) -> Vec<ClientView> {
    let (program, schedule) = (&week.program, &week.schedule);
    let days = billing::days(program, &schedule.roster);
    let mut out: Vec<(u32, ClientView)> = program
        .clients
        .iter()
        .enumerate()
        .map(|(c, client)| {
            let w = &schedule.weeks[c];
            let billing_days: Vec<_> = days.iter().filter(|d| d.client == ClientIx(c)).collect();
            let problems: Vec<String> = billing_days
                .iter()
                .filter(|d| !d.billable())
                .map(|d| format!("{}: {}", d.day.short_name(), d.reason()))
                .collect();
            let view = ClientView {
                client_id: client.id.to_string(),
                level: program.levels[client.level].name.clone(),
                site: client.site.clone().unwrap_or_default(),
                track: format!("{:?}", client.track).to_lowercase(),
                hours: hours(w.minutes),
                days: w.days,
                status: if w.shortfall.is_met() { "met" } else { "short" },
                shortfall: w.shortfall.text(program),
                reason: schedule.reasons[c].clone().unwrap_or_default(),
                billing: match (billing_days.is_empty(), problems.is_empty()) {
                    (true, _) => "no program days",
                    (false, true) => "billable",
                    (false, false) => "not billable",
                },
                billing_reason: problems.join("; "),
            };
            (w.shortfall.minutes, view)
        })
        .collect();
    out.sort_by(|(ma, a), (mb, b)| {
        (a.status == "met", std::cmp::Reverse(ma), &a.client_id).cmp(&(
            b.status == "met",
            std::cmp::Reverse(mb),
            &b.client_id,
        ))
    });
    out.into_iter().map(|(_, v)| v).collect()
}

/// Each staff member's week: rows, hours against their maximum, caseload.
pub fn staff(week: &Week) -> Vec<StaffView> {
    let (program, schedule) = (&week.program, &week.schedule);
    let roster = &schedule.roster;
    program
        .staff_list()
        .map(|(s, person)| {
            let appointments = roster
                .entries
                .iter()
                .filter(|e| e.staff == s && e.activity != Activity::Group);
            let groups = program
                .session_ixs()
                .filter(|&g| roster.enrolled[g] > 0 && roster.facilitator[g] == Some(s));
            let minutes: u32 = appointments
                .clone()
                .map(|e| e.interval.minutes())
                .sum::<u32>()
                + groups
                    .clone()
                    .map(|g| program.session(g).interval.minutes())
                    .sum::<u32>();
            let mut rows: Vec<RowView> = appointments.map(|e| row(program, e)).collect();
            rows.extend(groups.map(|g| session_row(program, g)));
            rows.sort_by(|a, b| (&a.date, &a.start).cmp(&(&b.date, &b.start)));
            StaffView {
                staff_id: person.id.to_string(),
                role: person.role.as_str().to_string(),
                site: person.site.clone().unwrap_or_default(),
                hours_used: hours(minutes),
                max_hours: person.max_weekly_minutes.map(hours).unwrap_or_default(),
                over: person.max_weekly_minutes.is_some_and(|max| minutes > max),
                caseload: program
                    .clients
                    .iter()
                    .filter(|c| c.primary_therapist == Some(s))
                    .count(),
                rows,
            }
        })
        .collect()
}

/// A running session as a staff member's row (no client: the whole group).
fn session_row(program: &Program, g: SessionIx) -> RowView {
    let session = program.session(g);
    let (day, date, start, end) = when(program, session.interval);
    RowView {
        client_id: String::new(),
        activity: "group".to_string(),
        session_id: session.id.to_string(),
        session_name: session.name.clone(),
        staff_id: String::new(),
        day,
        date,
        start,
        end,
    }
}

pub fn busy(program: &Program, client: ClientIx) -> Vec<BusyView> {
    program
        .client(client)
        .busy
        .iter()
        .map(|b| {
            let (day, _, start, end) = when(program, b.interval);
            BusyView {
                day,
                start,
                end,
                reason: b.reason.clone(),
            }
        })
        .collect()
}

pub fn placements(program: &Program, options: &[Placement]) -> Vec<PlacementView> {
    options
        .iter()
        .enumerate()
        .map(|(i, p)| PlacementView {
            rank: i + 1,
            meets_level: p.meets_level(),
            shortfall: p.shortfall.text(program),
            moved_clients: p.moved_clients,
            reason: p.reason.clone().unwrap_or_default(),
            rows: p.entries.iter().map(|e| row(program, e)).collect(),
        })
        .collect()
}

pub fn proposals(whatif: &Whatif) -> Vec<ProposalView> {
    let program = &whatif.program;
    whatif
        .proposals
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let s = &p.session;
            let (day, _, start, end) = when(program, s.interval);
            ProposalView {
                rank: i + 1,
                extra_met: p.extra_met,
                extra_hours: hours(p.extra_minutes.unsigned_abs() as u32),
                session_id: s.id.to_string(),
                name: s.name.clone(),
                site: s.site.clone().unwrap_or_default(),
                day,
                start,
                end,
                track: s.track.as_str(),
                facilitator: s
                    .facilitator
                    .map(|t| program.staff(t).id.to_string())
                    .unwrap_or_default(),
                room: s.room.clone().unwrap_or_default(),
            }
        })
        .collect()
}

pub fn error(e: &InputError) -> ErrorView {
    ErrorView {
        file: e.file.clone(),
        line: e.line,
        column: e.column.clone(),
        message: e.message.clone(),
        text: e.to_string(),
    }
}

pub fn finding(f: &Finding) -> FindingView {
    FindingView {
        kind: f.kind.as_str(),
        message: f.message.clone(),
        rows: f.rows.clone(),
        fix: f.fix.clone(),
    }
}

//! `roster.html`: the week on paper. One self-contained page (inline CSS, no scripts,
//! no external assets) with four views, each starting on its own printed page:
//! the group sessions by room and day, the staff's individual and physician
//! appointments, the client list with who is short and why, and billing
//! ([`super::billing_view`]).
//!
//! Every text that comes from the input files goes through [`Esc`].

use super::kind_style;
use crate::domain::{Activity, KindIx, Program, Session, SessionIx, StaffIx};
use crate::time::{hhmm, hours, Day, Interval};
use crate::Schedule;
use std::collections::BTreeMap;
use std::fmt::{self, Write};

/// HTML-escapes text for element content and quoted attribute values.
pub(super) struct Esc<'a>(pub(super) &'a str);

impl fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            match c {
                '&' => f.write_str("&amp;")?,
                '<' => f.write_str("&lt;")?,
                '>' => f.write_str("&gt;")?,
                '"' => f.write_str("&quot;")?,
                '\'' => f.write_str("&#39;")?,
                c => f.write_char(c)?,
            }
        }
        Ok(())
    }
}

/// The whole page.
pub fn render(program: &Program, schedule: &Schedule) -> String {
    let mut out = String::with_capacity(64 * 1024);
    // Writing into a String cannot fail.
    let _ = page(&mut out, program, schedule);
    out
}

fn page(out: &mut String, program: &Program, schedule: &Schedule) -> fmt::Result {
    let week = week_label(program);
    write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Roster, week of {week}</title>\n<style>{CSS}{}</style>\n</head>\n<body>\n",
        kind_style::css(program)
    )?;
    header(out, program, schedule, &week)?;
    sessions_view(out, program, schedule, &week)?;
    appointments_view(out, program, schedule, &week)?;
    clients_view(out, program, schedule, &week)?;
    super::billing_view::view(out, program, schedule, &week)?;
    out.push_str("</body>\n</html>\n");
    Ok(())
}

/// `Mon 23 Nov – Sun 29 Nov 2026`.
fn week_label(program: &Program) -> String {
    let monday = program.monday;
    let sunday = monday + chrono::Duration::days(6);
    format!(
        "{} \u{2013} {}",
        monday.format("%a %-d %b"),
        sunday.format("%a %-d %b %Y")
    )
}

fn span(interval: Interval) -> String {
    format!(
        "{}\u{2013}{}",
        hhmm(interval.start_of_day()),
        hhmm(interval.end_of_day())
    )
}

pub(super) fn day_heading(out: &mut String, program: &Program, day: Day) -> fmt::Result {
    write!(
        out,
        "<th class=\"day\">{}<span>{}</span></th>",
        day.short_name(),
        day.date(program.monday).format("%-d %b")
    )
}

fn header(out: &mut String, program: &Program, schedule: &Schedule, week: &str) -> fmt::Result {
    let met = schedule
        .weeks
        .iter()
        .filter(|w| w.shortfall.is_met())
        .count();
    let short = program.clients.len() - met;
    let running = schedule.roster.enrolled.iter().filter(|&&n| n > 0).count();
    let appointments = schedule
        .roster
        .entries
        .iter()
        .filter(|e| e.activity != Activity::Group)
        .count();
    writeln!(
        out,
        "<header class=\"doc\"><div><h1>Weekly roster</h1><p class=\"week\">{week}</p></div>\
         <ul class=\"stats\">\
         <li><b>{}</b> clients</li><li><b>{met}</b> met</li>\
         <li class=\"{}\"><b>{short}</b> short</li>\
         <li><b>{running}</b> of {} sessions running</li>\
         <li><b>{appointments}</b> appointments</li></ul></header>",
        program.clients.len(),
        if short > 0 { "warn" } else { "" },
        program.sessions.len(),
    )
}

pub(super) fn view_start(out: &mut String, title: &str, week: &str, hint: &str) -> fmt::Result {
    write!(
        out,
        "<section class=\"view\">\n<div class=\"view-head\"><h2>{title}</h2>\
         <span class=\"kicker\">{week}</span></div>\n<p class=\"hint\">{hint}</p>\n"
    )
}

/// A row of the session grid: a room, or for sessions without one, a track and time.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Lane {
    Room {
        site: Option<String>,
        key: String,
    },
    Slot {
        site: Option<String>,
        track: &'static str,
        start: u32,
        end: u32,
    },
}

impl Lane {
    fn of(session: &Session) -> Lane {
        match &session.room {
            Some(room) => Lane::Room {
                site: session.site.clone(),
                key: room.to_lowercase(),
            },
            None => Lane::Slot {
                site: session.site.clone(),
                track: session.track.as_str(),
                start: session.interval.start_of_day(),
                end: session.interval.end_of_day(),
            },
        }
    }
}

/// View 1: rooms (or track and time) down, days across, one card per session.
fn sessions_view(
    out: &mut String,
    program: &Program,
    schedule: &Schedule,
    week: &str,
) -> fmt::Result {
    view_start(
        out,
        "Group sessions",
        week,
        "Rooms down, days across. Each card: time, session, facilitator and \
         enrolled/capacity. Greyed cards are cancelled (too few clients).",
    )?;
    let mut lanes: BTreeMap<Lane, Vec<SessionIx>> = BTreeMap::new();
    for (s, session) in program.session_list() {
        lanes.entry(Lane::of(session)).or_default().push(s);
    }
    let days = days_with(program.sessions.iter().map(|s| s.day()));
    if days.is_empty() {
        return out.write_str("<p class=\"empty\">No group sessions this week.</p></section>\n");
    }
    let sites = program.sessions.iter().any(|s| s.site.is_some());
    out.write_str("<table class=\"grid sessions\"><thead><tr><th class=\"lane\">Room</th>")?;
    for &day in &days {
        day_heading(out, program, day)?;
    }
    out.write_str("</tr></thead>\n<tbody>\n")?;
    for (lane, sessions) in &lanes {
        let first = program.session(sessions[0]);
        out.write_str("<tr><th class=\"lane\">")?;
        match lane {
            Lane::Room { .. } => write!(out, "{}", Esc(first.room.as_deref().unwrap_or_default()))?,
            Lane::Slot { track, .. } => write!(
                out,
                "{} track<span>{}</span>",
                capitalized(track),
                span(first.interval)
            )?,
        }
        if sites {
            let site = first.site.as_deref().unwrap_or("all sites");
            write!(out, "<span class=\"site\">{}</span>", Esc(site))?;
        }
        out.write_str("</th>")?;
        for &day in &days {
            out.write_str("<td>")?;
            let mut today: Vec<SessionIx> = sessions
                .iter()
                .copied()
                .filter(|&s| program.session(s).day() == day)
                .collect();
            today.sort_by_key(|&s| (program.session(s).interval, &program.session(s).id));
            for s in today {
                session_card(out, program, schedule, s)?;
            }
            out.write_str("</td>")?;
        }
        out.write_str("</tr>\n")?;
    }
    out.write_str("</tbody></table>\n")?;
    out.write_str(
        "<p class=\"legend\"><span class=\"key day\"></span>day track \
         <span class=\"key night\"></span>night track \
         <span class=\"key cancelled\"></span>cancelled</p>\n</section>\n",
    )
}

fn session_card(
    out: &mut String,
    program: &Program,
    schedule: &Schedule,
    s: SessionIx,
) -> fmt::Result {
    let session = program.session(s);
    let enrolled = schedule.roster.enrolled[s];
    let running = enrolled > 0;
    let facilitator = schedule.roster.facilitator[s]
        .map(|t| program.staff(t).id.0.as_str())
        .unwrap_or("unassigned");
    let fill = (enrolled * 100)
        .checked_div(session.capacity)
        .unwrap_or(0)
        .min(100);
    write!(
        out,
        "<div class=\"card {} {}\"><div class=\"time\">{}</div>\
         <div class=\"name\">{}</div>\
         <div class=\"meta\"><span class=\"who\">{}</span><span class=\"count\">{enrolled}/{}</span></div>\
         <div class=\"bar\"><i style=\"width:{fill}%\"></i></div>\
         <div class=\"id\">{}{}</div></div>",
        session.track.as_str(),
        if running { "running" } else { "cancelled" },
        span(session.interval),
        Esc(&session.name),
        Esc(facilitator),
        session.capacity,
        Esc(&session.id.0),
        if running {
            String::new()
        } else if session.min_size > 0 {
            format!(" \u{b7} cancelled\u{a0}(min\u{a0}{})", session.min_size)
        } else {
            " \u{b7} cancelled".to_string()
        },
    )
}

/// View 2: individual and physician appointments, staff down, days across.
fn appointments_view(
    out: &mut String,
    program: &Program,
    schedule: &Schedule,
    week: &str,
) -> fmt::Result {
    let what = if kind_style::extra_kinds(program).is_empty() {
        "Individual therapy and physician visits"
    } else {
        "Appointments"
    };
    view_start(
        out,
        "Appointments by staff",
        week,
        &format!("{what}: start time and client for each staff member and day."),
    )?;
    let appointments: Vec<_> = schedule
        .roster
        .entries
        .iter()
        .filter(|e| e.activity != Activity::Group)
        .collect();
    let days = days_with(appointments.iter().map(|e| e.interval.day()));
    if days.is_empty() {
        return out.write_str("<p class=\"empty\">No appointments this week.</p></section>\n");
    }
    let mut staff: Vec<StaffIx> = program
        .staff_ixs()
        .filter(|&t| appointments.iter().any(|e| e.staff == t))
        .collect();
    staff.sort_by_key(|&t| {
        let s = program.staff(t);
        (!s.role.is_therapist(), &s.role, &s.id)
    });
    out.write_str("<table class=\"grid appointments\"><thead><tr><th class=\"lane\">Staff</th>")?;
    for &day in &days {
        day_heading(out, program, day)?;
    }
    out.write_str("</tr></thead>\n<tbody>\n")?;
    for t in staff {
        let member = program.staff(t);
        let mine: Vec<_> = appointments.iter().filter(|e| e.staff == t).collect();
        write!(
            out,
            "<tr><th class=\"lane\">{}<span>{} \u{b7} {} appt{}</span></th>",
            Esc(&member.id.0),
            Esc(member.role.as_str()),
            mine.len(),
            if mine.len() == 1 { "" } else { "s" }
        )?;
        for &day in &days {
            out.write_str("<td><ul class=\"appts\">")?;
            for e in mine.iter().filter(|e| e.interval.day() == day) {
                let Activity::Appointment(k) = e.activity else {
                    continue;
                };
                write!(
                    out,
                    "<li class=\"{}\"><span class=\"t\">{}</span> {}</li>",
                    kind_style::class(program, k),
                    hhmm(e.interval.start_of_day()),
                    Esc(&program.client(e.client).id.0)
                )?;
            }
            out.write_str("</ul></td>")?;
        }
        out.write_str("</tr>\n")?;
    }
    write!(
        out,
        "</tbody></table>\n<p class=\"legend\">{}</p>\n</section>\n",
        kind_style::legend(program)
    )
}

/// View 3: every client, the short ones first with their reason.
fn clients_view(
    out: &mut String,
    program: &Program,
    schedule: &Schedule,
    week: &str,
) -> fmt::Result {
    view_start(
        out,
        "Clients",
        week,
        "Hours scheduled against the level's weekly minimum. Clients who are short \
         come first, highlighted, with what is missing and why.",
    )?;
    let mut order: Vec<usize> = (0..program.clients.len()).collect();
    order.sort_by_key(|&c| schedule.weeks[c].shortfall.is_met());
    let sites = program.clients.iter().any(|c| c.site.is_some());
    let extra = kind_style::extra_kinds(program);
    clients_head(out, program, sites, &extra)?;
    let count = |c: usize, name: &str| {
        program
            .kind(name)
            .map_or(0, |k| schedule.weeks[c].appointments[k.0])
    };
    for c in order {
        let client = &program.clients[c];
        let level = program.level_of(client);
        let week = &schedule.weeks[c];
        let met = week.shortfall.is_met();
        write!(
            out,
            "<tr class=\"{}\"><td class=\"id\">{}</td><td>{}</td>",
            if met { "met" } else { "short" },
            Esc(&client.id.0),
            Esc(&level.name)
        )?;
        if sites {
            write!(
                out,
                "<td>{}</td>",
                Esc(client.site.as_deref().unwrap_or(""))
            )?;
        }
        write!(
            out,
            "<td class=\"num\">{} <small>/ {}</small></td><td class=\"num\">{} <small>/ {}</small></td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td>",
            hours(week.minutes),
            hours(level.min_weekly_minutes),
            week.days,
            level.min_days,
            count(c, Program::INDIVIDUAL),
            count(c, Program::PHYSICIAN),
        )?;
        for &k in &extra {
            write!(out, "<td class=\"num\">{}</td>", week.appointments[k.0])?;
        }
        writeln!(
            out,
            "<td><span class=\"pill\">{}</span></td><td class=\"gap\">{}</td><td class=\"reason\">{}</td></tr>",
            if met { "met" } else { "short" },
            Esc(&week.shortfall.text(program).replace(';', "; ")),
            Esc(schedule.reasons[c].as_deref().unwrap_or("")),
        )?;
    }
    out.write_str("</tbody></table>\n")?;
    out.write_str(
        "<p class=\"foot\">Client IDs are pseudonymous codes; this page holds no names.</p>\n</section>\n",
    )
}

/// The head row of the clients view: a site column when clients have sites, a
/// column per appointment kind beyond individual therapy and the physician visit.
fn clients_head(out: &mut String, program: &Program, sites: bool, extra: &[KindIx]) -> fmt::Result {
    out.write_str("<table class=\"clients\"><thead><tr><th>Client</th><th>Level</th>")?;
    if sites {
        out.write_str("<th>Site</th>")?;
    }
    out.write_str(
        "<th class=\"num\">Hours</th><th class=\"num\">Days</th>\
         <th class=\"num\">Indiv.</th><th class=\"num\">Phys.</th>",
    )?;
    for &k in extra {
        let name = program.kind_at(k).name.replace('_', " ");
        write!(out, "<th class=\"num\">{}</th>", Esc(&capitalized(&name)))?;
    }
    out.write_str(
        "<th>Status</th><th>Shortfall</th><th class=\"reason\">Reason</th></tr></thead>\n<tbody>\n",
    )?;
    Ok(())
}

/// The days that occur in `days`, Monday first.
fn days_with(days: impl Iterator<Item = Day>) -> Vec<Day> {
    let mut seen = [false; 7];
    for day in days {
        seen[day.index()] = true;
    }
    Day::all().filter(|d| seen[d.index()]).collect()
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The page's only stylesheet, inlined so the file stands alone.
const CSS: &str = include_str!("roster.css");

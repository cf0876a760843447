//! Problems in valid input that will hurt the roster, found before any solving.
//!
//! Each finding kind is one function over the typed [`Program`]; each returns
//! [`Finding`]s naming the rows involved and a fix a coordinator can make. The checks
//! are necessary conditions (capacity and minute counts), so a finding is a real
//! problem, while a program without findings can still leave clients short. The
//! findings about staff time are in [`staff`].

mod staff;

pub use staff::{role_demand, therapist_caseload, therapist_never_fits};

use crate::candidates::{busy_conflict, ineligibility, possible_facilitators};
use crate::domain::{Client, Program, Staff, Track, TrackPref, Warning};
use crate::time::Day;
use std::collections::BTreeMap;
use std::fmt;

/// What kind of problem a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A catalog facilitator is not available for the whole session.
    FacilitatorUnavailable,
    /// Another warning the loader gave.
    InputWarning,
    /// Clients have a level that no session serves.
    LevelUnserved,
    /// Night-track clients need more program days than night sessions seat.
    NightCapacity,
    /// A client can attend no session at all.
    NoSessionFits,
    /// A therapist's caseload of individual sessions exceeds their free time.
    TherapistCaseload,
    /// Physician visits needed exceed the physicians' time.
    PhysicianDemand,
    /// Appointments of another role (nurse...) exceed that role's time.
    RoleDemand,
    /// A client's primary therapist is never available when the client is free.
    TherapistNeverFits,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::FacilitatorUnavailable => "facilitator_unavailable",
            Kind::InputWarning => "input_warning",
            Kind::LevelUnserved => "level_unserved",
            Kind::NightCapacity => "night_capacity",
            Kind::NoSessionFits => "no_session_fits",
            Kind::TherapistCaseload => "therapist_caseload",
            Kind::PhysicianDemand => "physician_demand",
            Kind::RoleDemand => "role_demand",
            Kind::TherapistNeverFits => "therapist_never_fits",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem: what, where (`FILE:LINE` or `FILE: ids`), and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub kind: Kind,
    pub rows: Vec<String>,
    pub message: String,
    pub fix: String,
}

/// Every finding, in a fixed order: by kind, then in input order.
pub fn lint(program: &Program) -> Vec<Finding> {
    let mut out = facilitator_unavailable(program);
    out.extend(level_unserved(program));
    out.extend(night_capacity(program));
    out.extend(no_session_fits(program));
    out.extend(therapist_caseload(program));
    out.extend(role_demand(program));
    out.extend(therapist_never_fits(program));
    out
}

/// At most `MAX` ids, then `and N more`.
fn list(ids: impl IntoIterator<Item = String>) -> String {
    const MAX: usize = 12;
    let ids: Vec<String> = ids.into_iter().collect();
    let mut text = ids.iter().take(MAX).cloned().collect::<Vec<_>>().join(", ");
    if ids.len() > MAX {
        text.push_str(&format!(" and {} more", ids.len() - MAX));
    }
    text
}

/// `busy Mon 09:00-17:00, busy Tue 18:00-20:00`: days and times only. The reason
/// is free text (an employer, a court) that stays in the files: lint's output goes
/// to terminals and cron mail.
fn busy_text(client: &Client) -> String {
    list(client.busy.iter().map(|b| format!("busy {}", b.interval)))
}

/// `Mon 08:00-12:00, Tue 13:00-17:00`, or `none this week`.
fn availability_text(staff: &Staff) -> String {
    if staff.availability.is_empty() {
        return "none this week".into();
    }
    list(staff.availability.iter().map(ToString::to_string))
}

/// The loader's warnings: a facilitator not available for their session is named as
/// such (with the session in words); any other warning is passed on as it is.
pub fn facilitator_unavailable(program: &Program) -> Vec<Finding> {
    let mut used = vec![false; program.warnings.len()];
    let mut out = Vec::new();
    for s in &program.sessions {
        let Some(t) = s.facilitator else { continue };
        let staff = program.staff(t);
        if staff.is_available(s.interval) {
            continue;
        }
        // The loader's warning carries the sessions.csv line.
        let found = (0..program.warnings.len()).find(|&i| {
            !used[i]
                && matches!(&program.warnings[i],
                    Warning::FacilitatorUnavailable { session, .. } if *session == s.id)
        });
        let at = match found {
            Some(i) => {
                used[i] = true;
                program.warnings[i].location()
            }
            None => "sessions.csv".into(),
        };
        out.push(Finding {
            kind: Kind::FacilitatorUnavailable,
            rows: vec![
                format!("{at}: session {}", s.id),
                format!(
                    "staff_availability.csv: {} ({})",
                    staff.id,
                    availability_text(staff)
                ),
            ],
            message: format!(
                "session {} ({}) names facilitator {}, who is not available for all of it: \
                 it cannot run and nobody will be placed in it",
                s.id, s.interval, staff.id
            ),
            fix: format!(
                "add {} for {} to staff_availability.csv, move the session into their \
                 hours, or empty its facilitator cell so iopsched picks an available therapist",
                staff.id, s.interval
            ),
        });
    }
    for (w, _) in program.warnings.iter().zip(&used).filter(|(_, &u)| !u) {
        out.push(Finding {
            kind: Kind::InputWarning,
            rows: vec![w.location()],
            message: w.to_string(),
            fix: "correct the row named in the message".into(),
        });
    }
    out
}

/// A level that clients have but no session lists (and no session is open to all).
pub fn level_unserved(program: &Program) -> Vec<Finding> {
    let mut out = Vec::new();
    for (li, level) in program.levels.iter().enumerate() {
        let clients: Vec<String> = program
            .clients
            .iter()
            .filter(|c| c.level == li)
            .map(|c| c.id.to_string())
            .collect();
        let served = program
            .sessions
            .iter()
            .any(|s| s.levels.is_empty() || s.levels.contains(&li));
        if clients.is_empty() || served {
            continue;
        }
        out.push(Finding {
            kind: Kind::LevelUnserved,
            rows: vec![
                format!("levels.csv: {}", level.name),
                format!("clients.csv: {}", list(clients.iter().cloned())),
            ],
            message: format!(
                "no session of this week lists level {} (and none is open to every level): \
                 its {} client(s) can attend no group",
                level.name,
                clients.len()
            ),
            fix: format!(
                "add {} to the levels cell of suitable sessions in sessions.csv, or add \
                 sessions for it (an empty levels cell opens a session to every level)",
                level.name
            ),
        });
    }
    out
}

/// Clients preferring the night track need `min_days` program days each; the night
/// sessions of a weekday seat at most their total capacity (and no more than all
/// night clients) that day.
pub fn night_capacity(program: &Program) -> Vec<Finding> {
    let night: Vec<&Client> = program
        .clients
        .iter()
        .filter(|c| c.track == TrackPref::Night)
        .collect();
    if night.is_empty() {
        return Vec::new();
    }
    let demand: u32 = night.iter().map(|c| program.level_of(c).min_days).sum();
    let mut per_day: BTreeMap<Day, u32> = BTreeMap::new();
    let mut sessions = Vec::new();
    for s in program.sessions.iter().filter(|s| s.track == Track::Night) {
        *per_day.entry(s.day()).or_insert(0) += s.capacity;
        sessions.push(s.id.to_string());
    }
    let seats: u32 = per_day
        .values()
        .map(|&cap| cap.min(night.len() as u32))
        .sum();
    if demand <= seats {
        return Vec::new();
    }
    let days = if per_day.is_empty() {
        "there are no night sessions".to_string()
    } else {
        per_day
            .iter()
            .map(|(d, cap)| format!("{d} {cap}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    vec![Finding {
        kind: Kind::NightCapacity,
        rows: vec![
            format!(
                "clients.csv: {} (track night)",
                list(night.iter().map(|c| c.id.to_string()))
            ),
            format!("sessions.csv: {} (track night)", list(sessions)),
        ],
        message: format!(
            "{} night-track client(s) need {demand} program days in all (their levels' \
             min_days), but night sessions seat at most {seats} client-days ({days}): \
             some will be placed in day sessions or fall short",
            night.len()
        ),
        fix: "add night sessions or capacity (on weekdays with few night seats), or ask \
              which night clients could attend day sessions"
            .into(),
    }]
}

/// A client who can attend no session at all: none they are eligible for can run, or
/// every one collides with their busy blocks (plus travel). Clients of a level that no
/// session serves are left to [`level_unserved`].
pub fn no_session_fits(program: &Program) -> Vec<Finding> {
    let runnable: Vec<bool> = program
        .sessions
        .iter()
        .map(|s| s.capacity > 0 && !possible_facilitators(program, s).is_empty())
        .collect();
    let mut out = Vec::new();
    for c in &program.clients {
        let level_served = program
            .sessions
            .iter()
            .any(|s| s.levels.is_empty() || s.levels.contains(&c.level));
        if !level_served {
            continue;
        }
        let eligible: Vec<usize> = (0..program.sessions.len())
            .filter(|&i| runnable[i] && ineligibility(c, &program.sessions[i]).is_none())
            .collect();
        if eligible
            .iter()
            .any(|&i| busy_conflict(c, program.sessions[i].interval).is_none())
        {
            continue;
        }
        let mut rows = vec![format!("clients.csv: {}", c.id)];
        let (message, fix) = if eligible.is_empty() {
            (
                format!(
                    "{} is eligible for no session that can run (check level, site, gender, \
                     tags and stage against sessions.csv)",
                    c.id
                ),
                format!(
                    "correct {}'s gender, tags or stage, or relax a session's eligibility cells",
                    c.id
                ),
            )
        } else {
            rows.push(format!("client_busy.csv: {} ({})", c.id, busy_text(c)));
            (
                format!(
                    "each of the {} session(s) {} is eligible for collides with their busy \
                     blocks plus {} min travel",
                    eligible.len(),
                    c.id,
                    c.travel_minutes
                ),
                format!(
                    "check {}'s busy blocks and travel_minutes, or add a session outside \
                     them (e.g. in the evening or at the weekend)",
                    c.id
                ),
            )
        };
        out.push(Finding {
            kind: Kind::NoSessionFits,
            rows,
            message,
            fix,
        });
    }
    out
}

//! `whatif.csv` (each row pasteable into sessions.csv) and the text summary.

use super::{Proposal, Whatif};
use crate::domain::{Program, Session};
use crate::time::{hhmm, hours};

const HEADER: [&str; 19] = [
    "rank",
    "extra_met",
    "extra_hours",
    "change",
    "session_id",
    "name",
    "site",
    "day",
    "start",
    "end",
    "track",
    "facilitator",
    "room",
    "capacity",
    "min_size",
    "levels",
    "gender",
    "tags",
    "stage",
];

/// One row per proposal, best first.
pub fn whatif_csv(whatif: &Whatif) -> std::io::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(HEADER)?;
    for (i, p) in whatif.proposals.iter().enumerate() {
        let head = [
            (i + 1).to_string(),
            p.extra_met.to_string(),
            signed_hours(p.extra_minutes),
            "add_session".to_string(),
        ];
        // The session's name is free text: spreadsheet-safe like every output
        // (extra_hours keeps its minus sign: it is a number).
        let session = session_cells(&whatif.program, &p.session);
        w.write_record(
            head.into_iter()
                .chain(session.iter().map(|c| crate::output::spreadsheet_safe(c))),
        )?;
    }
    w.into_inner().map_err(|e| e.into_error())
}

/// Hours with a sign, e.g. `3` or `-0.5`.
fn signed_hours(minutes: i64) -> String {
    let text = hours(minutes.unsigned_abs() as u32);
    if minutes < 0 {
        format!("-{text}")
    } else {
        text
    }
}

/// The session as (sessions.csv column, cell) pairs, for appending it to sessions.csv.
pub fn session_columns(program: &Program, s: &Session) -> Vec<(&'static str, String)> {
    HEADER[4..]
        .iter()
        .copied()
        .zip(session_cells(program, s))
        .collect()
}

/// The session as a sessions.csv row, from `session_id` to `stage`.
fn session_cells(program: &Program, s: &Session) -> [String; 15] {
    let levels: Vec<&str> = s
        .levels
        .iter()
        .map(|&l| program.levels[l].name.as_str())
        .collect();
    [
        s.id.to_string(),
        s.name.clone(),
        s.site.clone().unwrap_or_default(),
        s.day().short_name().to_string(),
        hhmm(s.interval.start_of_day()),
        hhmm(s.interval.end_of_day()),
        s.track.as_str().to_string(),
        s.facilitator
            .map(|t| program.staff(t).id.to_string())
            .unwrap_or_default(),
        s.room.clone().unwrap_or_default(),
        s.capacity.to_string(),
        s.min_size.to_string(),
        levels.join(";"),
        s.gender.clone().unwrap_or_default(),
        s.tags.join(";"),
        s.stage.clone().unwrap_or_default(),
    ]
}

/// The week as it is, then one line per proposal.
pub fn summary(whatif: &Whatif) -> String {
    let mut out = format!(
        "now: {} met, {} short; {} candidate session(s) solved\n",
        whatif.met, whatif.short, whatif.evaluated
    );
    if !whatif.proven {
        out.push_str(
            "caution: the week as it is was not solved to proven optimality within the \
             time limit; gains may be overstated (raise --time-limit)\n",
        );
    }
    if whatif.proposals.is_empty() {
        out.push_str("no single added session lets more clients meet their level\n");
    }
    for (i, p) in whatif.proposals.iter().enumerate() {
        out.push_str(&format!("{}. {}\n", i + 1, describe(&whatif.program, p)));
    }
    out
}

fn describe(program: &Program, p: &Proposal) -> String {
    let s = &p.session;
    format!(
        "add {} ({}, {} track) {} {}-{}{}{}: {} more met, {} h less short",
        s.id,
        s.name,
        s.track.as_str(),
        s.day().short_name(),
        hhmm(s.interval.start_of_day()),
        hhmm(s.interval.end_of_day()),
        s.facilitator
            .map(|t| format!(" with {}", program.staff(t).id))
            .unwrap_or_default(),
        s.room
            .as_ref()
            .map(|r| format!(" in {r}"))
            .unwrap_or_default(),
        p.extra_met,
        signed_hours(p.extra_minutes),
    )
}

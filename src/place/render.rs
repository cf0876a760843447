//! `placements.csv` and the short text a coordinator reads on the phone.

use super::{Placed, Placement};
use crate::domain::{Program, Track};
use crate::roster::Entry;
use crate::time::{hhmm, hours};

const HEADER: [&str; 13] = [
    "client_id",
    "option",
    "meets_level",
    "moved_clients",
    "date",
    "day",
    "start",
    "end",
    "activity",
    "session_id",
    "staff_id",
    "site",
    "reason",
];

/// One row per activity of each option, by client id, option, then time. An
/// option without any activity still gets one row, so its verdict and reason show.
pub fn placements_csv(placed: &Placed) -> std::io::Result<Vec<u8>> {
    let program = &placed.program;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(HEADER)?;
    for (c, options) in &placed.clients {
        for (i, p) in options.iter().enumerate() {
            let head = [
                program.client(*c).id.to_string(),
                (i + 1).to_string(),
                if p.meets_level() { "yes" } else { "no" }.to_string(),
                p.moved_clients.to_string(),
            ];
            // Free text (a busy reason may start it): spreadsheet-safe like every output.
            let reason = crate::output::spreadsheet_safe(&p.reason.clone().unwrap_or_default());
            if p.entries.is_empty() {
                let blank = vec![String::new(); 8];
                w.write_record(head.iter().cloned().chain(blank).chain([reason.clone()]))?;
            }
            for e in &p.entries {
                let cells = entry_cells(program, e);
                w.write_record(head.iter().cloned().chain(cells).chain([reason.clone()]))?;
            }
        }
    }
    w.into_inner().map_err(|e| e.into_error())
}

/// `date, day, start, end, activity, session_id, staff_id, site` as roster.csv has them.
fn entry_cells(program: &Program, e: &Entry) -> [String; 8] {
    let client = program.client(e.client);
    let staff = program.staff(e.staff);
    let (session_id, site) = match e.session {
        Some(s) => (
            program.session(s).id.to_string(),
            program.session(s).site.clone(),
        ),
        None => (String::new(), client.site.clone().or(staff.site.clone())),
    };
    let day = e.interval.day();
    [
        day.date(program.monday).format("%Y-%m-%d").to_string(),
        day.short_name().to_string(),
        hhmm(e.interval.start_of_day()),
        hhmm(e.interval.end_of_day()),
        program.activity_name(e.activity).to_string(),
        session_id,
        staff.id.to_string(),
        site.unwrap_or_default(),
    ]
}

/// `C041 (IOP): option 1 meets IOP, moves nobody: day track Mon Wed Fri, 10.5 h, ...`
pub fn summary(placed: &Placed) -> String {
    let program = &placed.program;
    let mut out = String::new();
    for (c, options) in &placed.clients {
        let client = program.client(*c);
        let level = &program.levels[client.level].name;
        out.push_str(&format!("{} ({level}):\n", client.id));
        for (i, p) in options.iter().enumerate() {
            out.push_str(&format!("  option {}: {}\n", i + 1, describe(program, p)));
        }
    }
    out
}

fn describe(program: &Program, p: &Placement) -> String {
    let level = &program.levels[program.client(p.client).level].name;
    let verdict = if p.meets_level() {
        format!("meets {level}")
    } else {
        format!("short of {level} ({})", p.shortfall.text(program))
    };
    let moves = match p.moved_clients {
        0 => "moves nobody".to_string(),
        n => format!("moves {n} published client(s)"),
    };
    let mut days: Vec<&str> = p
        .entries
        .iter()
        .map(|e| e.interval.day().short_name())
        .collect();
    days.dedup();
    let track = |t: Track| {
        p.entries
            .iter()
            .any(|e| e.session.is_some_and(|s| program.session(s).track == t))
    };
    let tracks = match (track(Track::Day), track(Track::Night)) {
        (true, true) => "day and night tracks",
        (true, false) => "day track",
        (false, true) => "night track",
        (false, false) => "no group",
    };
    let minutes: u32 = p.entries.iter().map(|e| e.interval.minutes()).sum();
    let mut text = format!(
        "{verdict}, {moves}: {tracks}, {} ({} h)",
        if days.is_empty() {
            "no program day".to_string()
        } else {
            days.join(" ")
        },
        hours(minutes)
    );
    if let Some(reason) = &p.reason {
        text.push_str(&format!("; {reason}"));
    }
    text
}

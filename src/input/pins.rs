//! `pins.csv`: assignments a coordinator fixed by hand.
//!
//! `client_id, activity` are required. A group pin names a `session_id` (its
//! `day`, `start` and `staff_id` may be left empty, or must agree with the
//! session). An individual or physician pin names `staff_id, day, start`; it lasts
//! the kind's usual length. A dated pin outside the week is ignored.

use super::{loose, InputErrors};
use crate::domain::{Activity, ClientIx, Pin, Program, StaffIx};
use crate::time::{parse_day, parse_time, Interval};
use std::path::Path;

pub const FILE: &str = "pins.csv";

/// Reads `pins.csv` of `dir` (no file: no pins).
pub fn pins(dir: &Path, program: &Program) -> Result<Vec<Pin>, InputErrors> {
    let path = dir.join(FILE);
    if !super::file_present(&path, FILE)? {
        return Ok(Vec::new());
    }
    let expected = "client_id, activity, session_id, staff_id, day, start";
    let rows = loose::read(&path, FILE, &["client_id", "activity"], expected)?;
    loose::collect(FILE, &rows, |row| pin(program, &|c| row.cell(c), row.line))
}

type CellError = (&'static str, String);

/// One pin row; `None` for a dated pin of another week.
fn pin(
    program: &Program,
    cell: &dyn Fn(&str) -> String,
    line: usize,
) -> Result<Option<Pin>, CellError> {
    let client_id = cell("client_id");
    let client = program.find_client(&client_id).ok_or_else(|| {
        (
            "client_id",
            format!("unknown client '{client_id}' (expected a client_id of clients.csv)"),
        )
    })?;
    let activity = program
        .parse_activity(&cell("activity"))
        .map_err(|e| ("activity", e))?;
    let staff_id = cell("staff_id");
    let staff = match staff_id.as_str() {
        "" => None,
        id => Some(program.find_staff(id).ok_or_else(|| {
            (
                "staff_id",
                format!("unknown staff '{id}' (expected a staff_id of staff.csv)"),
            )
        })?),
    };
    let when = when(program, cell)?;
    match activity {
        Activity::Group => group_pin(program, cell, client, staff, when, line),
        Activity::Appointment(kind) => {
            let staff = staff.ok_or((
                "staff_id",
                "is empty (expected the staff member of the appointment)".to_string(),
            ))?;
            let Some(start) = when.ok_or((
                "day",
                "is empty (expected the day and start of the appointment)".to_string(),
            ))?
            else {
                return Ok(None);
            };
            let interval = Interval::starting_at(start, program.kind_at(kind).minutes).ok_or((
                "start",
                "the appointment would end after midnight (expected it to fit in the day)"
                    .to_string(),
            ))?;
            Ok(Some(Pin {
                client,
                activity,
                session: None,
                staff: Some(staff),
                interval,
                line,
            }))
        }
    }
}

/// The pinned start as a minute of the week: `None` when day and start are empty,
/// `Some(None)` for a dated pin of another week.
fn when(
    program: &Program,
    cell: &dyn Fn(&str) -> String,
) -> Result<Option<Option<u32>>, CellError> {
    let (day, start) = (cell("day"), cell("start"));
    if day.is_empty() && start.is_empty() {
        return Ok(None);
    }
    let spec = parse_day(&day).map_err(|e| ("day", e))?;
    let minute = parse_time(&start).map_err(|e| ("start", e))?;
    Ok(Some(
        spec.in_week(program.monday)
            .map(|d| d.start_minute() + minute),
    ))
}

fn group_pin(
    program: &Program,
    cell: &dyn Fn(&str) -> String,
    client: ClientIx,
    staff: Option<StaffIx>,
    when: Option<Option<u32>>,
    line: usize,
) -> Result<Option<Pin>, CellError> {
    let session_id = cell("session_id");
    if session_id.is_empty() {
        return Err((
            "session_id",
            "is empty (expected the session of a group pin)".to_string(),
        ));
    }
    let Some(s) = program.find_session(&session_id) else {
        return Err(("session_id", format!("'{session_id}' is not a session of this week (expected a session_id of sessions.csv)")));
    };
    let session = program.session(s);
    if let Some(Some(start)) = when {
        if start != session.interval.start() {
            return Err((
                "start",
                format!(
                    "{session_id} is at {} (expected the session's day and start, or empty)",
                    session.interval
                ),
            ));
        }
    }
    if let (Some(t), Some(f)) = (staff, session.facilitator) {
        if t != f {
            return Err((
                "staff_id",
                format!(
                    "{session_id} is facilitated by {} (expected that facilitator, or empty)",
                    program.staff(f).id
                ),
            ));
        }
    }
    Ok(Some(Pin {
        client,
        activity: Activity::Group,
        session: Some(s),
        staff,
        interval: session.interval,
        line,
    }))
}

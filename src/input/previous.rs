//! Last week's `roster.csv`, placed in the week being scheduled.
//!
//! Each row keeps its weekday and times. Rows of clients who are gone are skipped
//! (discharged). A group row is matched to this week's session by `session_id`,
//! or, when IDs changed, by the same day, start and end with the same facilitator
//! (roster.csv carries no session name). A row that cannot be read
//! is an input error like in any other file.

use super::{loose, InputErrors};
use crate::domain::{Activity, PreviousItem, Program, SessionIx, StaffIx};
use crate::time::{parse_day, parse_time, Day, Interval};
use std::path::Path;

const REQUIRED: [&str; 6] = ["day", "start", "end", "client_id", "activity", "staff_id"];

/// Reads a previous roster file and matches it to `program`.
pub fn previous(path: &Path, program: &Program) -> Result<Vec<PreviousItem>, InputErrors> {
    let file = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let rows = loose::read(path, &file, &REQUIRED, "last week's roster.csv")?;
    loose::collect(&file, &rows, |row| item(program, &|c| row.cell(c)))
}

type CellError = (&'static str, String);

/// One row as an item of this week, `None` for a client who is gone.
fn item(
    program: &Program,
    cell: &dyn Fn(&str) -> String,
) -> Result<Option<PreviousItem>, CellError> {
    let day_of = |text: &str| -> Result<Day, CellError> {
        let spec = parse_day(text).map_err(|e| ("day", e))?;
        // A dated row of last week: its weekday counts.
        Ok(match spec {
            crate::time::DaySpec::Weekly(day) => day,
            crate::time::DaySpec::Date(date) => {
                use chrono::Datelike;
                Day::new(date.weekday().num_days_from_monday() as usize).expect("a weekday")
            }
        })
    };
    let day = day_of(&cell("day"))?;
    let start = parse_time(&cell("start")).map_err(|e| ("start", e))?;
    let end = parse_time(&cell("end")).map_err(|e| ("end", e))?;
    let interval = Interval::on_day(day, start, end).ok_or_else(|| {
        (
            "end",
            format!(
                "'{}' is not after the start (expected an end after {})",
                cell("end"),
                cell("start")
            ),
        )
    })?;
    let activity = program
        .parse_activity(&cell("activity"))
        .map_err(|e| ("activity", e))?;
    let Some(client) = program.find_client(&cell("client_id")) else {
        return Ok(None);
    };
    let staff = program.find_staff(&cell("staff_id"));
    let session_id = cell("session_id");
    let session = (activity == Activity::Group)
        .then(|| match_session(program, &session_id, interval, staff))
        .flatten();
    Ok(Some(PreviousItem {
        client,
        activity,
        session,
        staff,
        interval,
        session_label: session_id,
    }))
}

/// This week's session for last week's group row.
fn match_session(
    program: &Program,
    id: &str,
    interval: Interval,
    staff: Option<StaffIx>,
) -> Option<SessionIx> {
    if let Some(s) = program.find_session(id) {
        return Some(s);
    }
    // Renamed this week: the session at the same time with the same facilitator.
    let staff = staff?;
    program
        .session_list()
        .find(|(_, s)| s.interval == interval && s.facilitator == Some(staff))
        .map(|(s, _)| s)
}

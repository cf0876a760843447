//! The session catalog: sessions.csv checked and converted, rooms checked for
//! clashes, and sessions whose facilitator cannot be there flagged as warnings.

use super::cells::{self, WHOLE};
use super::ids::Ids;
use super::people::StaffList;
use super::rows::SessionRow;
use super::table::{At, CsvRow, Errors, Line};
use crate::domain::{Session, SessionId, Track, Warning};
use crate::time::Interval;
use chrono::NaiveDate;

const FILE: &str = SessionRow::FILE;

/// A session starting at or after this minute of the day is `night` when its
/// track cell is empty.
const NIGHT_FROM: u32 = 16 * 60;

/// What sessions are checked against.
pub(super) struct Context<'a> {
    pub monday: NaiveDate,
    pub levels: Option<&'a Ids>,
    pub staff: &'a StaffList,
    /// True when clients.csv has rows: then an empty catalog is an error.
    pub clients_exist: bool,
}

/// This week's sessions and the warnings about them.
pub(super) fn sessions(
    rows: Option<Vec<Line<SessionRow>>>,
    cx: &Context,
    errors: &mut Errors,
) -> (Vec<Session>, Vec<Warning>) {
    let Some(rows) = rows else {
        return (Vec::new(), Vec::new());
    };
    if rows.is_empty() && cx.clients_exist {
        errors.file(
            FILE,
            "file has no session rows (expected at least one group session, since clients.csv has clients)",
        );
    }
    let mut ids = Ids::new(FILE, "session_id");
    let mut week = Vec::new();
    let mut rooms = Vec::new();
    for Line { line, row, .. } in &rows {
        let mut at = errors.at(FILE, *line);
        let claimed = ids.claim(&mut at, &row.session_id).is_some();
        let interval = at.interval(cx.monday, &row.day, &row.start, &row.end);
        // Rooms are checked even when another cell of the row is bad, so that a
        // clash is reported in the same run as the bad cell.
        match interval {
            Some(Some(interval)) if !row.room.is_empty() => {
                rooms.push(Booking::new(*line, row, interval))
            }
            _ => {}
        }
        let session = session(&mut at, row, interval, cx);
        if let Some(Some(session)) = session.filter(|_| claimed) {
            week.push((*line, session));
        }
    }
    room_clashes(&rooms, errors);
    let mut warnings = facilitator_warnings(&week, cx.staff);
    if !rows.is_empty() && week.is_empty() && cx.clients_exist {
        warnings.push(Warning::NoSessionThisWeek { monday: cx.monday });
    }
    (week.into_iter().map(|(_, s)| s).collect(), warnings)
}

/// One row as a session: `Some(None)` when it belongs to another week, `None`
/// when a cell is bad (every bad cell is reported).
fn session(
    at: &mut At,
    row: &SessionRow,
    interval: Option<Option<Interval>>,
    cx: &Context,
) -> Option<Option<Session>> {
    let track = at.optional("track", &row.track, track);
    let facilitator = match row.facilitator.as_str() {
        "" => Some(None),
        text => cx.staff.therapist(at, "facilitator", text).map(Some),
    };
    let capacity = at.required("capacity", &row.capacity, WHOLE, cells::whole);
    let min_size = at.optional("min_size", &row.min_size, cells::whole);
    let min_size = min_size.map(Option::unwrap_or_default).filter(|&min| {
        let too_big = capacity.is_some_and(|cap| min > cap);
        if too_big {
            let message = format!(
                "'{}' is more than capacity '{}' (expected at most the capacity)",
                row.min_size, row.capacity
            );
            at.error("min_size", message);
        }
        !too_big
    });
    let levels = levels(at, &row.levels, cx.levels);
    let codes_ok = at.code("site", &row.site) & at.code("room", &row.room);
    let Some(interval) = interval? else {
        return Some(None);
    };
    // An empty track follows the clock: evening sessions are the night track.
    let inferred = if interval.start_of_day() >= NIGHT_FROM {
        Track::Night
    } else {
        Track::Day
    };
    let name = match row.name.as_str() {
        "" => row.session_id.clone(),
        name => name.to_string(),
    };
    if !codes_ok {
        return None;
    }
    Some(Some(Session {
        id: SessionId(row.session_id.clone()),
        name,
        site: cells::optional(&row.site),
        interval,
        track: track?.unwrap_or(inferred),
        facilitator: facilitator?,
        room: cells::optional(&row.room),
        capacity: capacity?,
        min_size: min_size?,
        levels: levels?,
        gender: cells::optional_lower(&row.gender),
        tags: cells::lower_set(&row.tags),
        stage: cells::optional_lower(&row.stage),
    }))
}

fn track(text: &str) -> Result<Track, String> {
    match text.to_lowercase().as_str() {
        "day" => Ok(Track::Day),
        "night" => Ok(Track::Night),
        _ => Err(format!("'{text}' is not a track (expected day or night)")),
    }
}

/// The level indices of a `levels` list cell, sorted; every unknown name is reported.
fn levels(at: &mut At, text: &str, ids: Option<&Ids>) -> Option<Vec<usize>> {
    let ids = ids?;
    let found: Vec<Option<usize>> = cells::list(text)
        .into_iter()
        .map(|name| ids.resolve(at, "levels", name))
        .collect();
    let mut levels: Vec<usize> = found.into_iter().collect::<Option<_>>()?;
    levels.sort_unstable();
    levels.dedup();
    Some(levels)
}

/// A session of this week that occupies a room.
struct Booking<'a> {
    line: usize,
    id: &'a str,
    site: &'a str,
    room: &'a str,
    /// Room names are typed by hand: `Blue room` and `blue room` are one room.
    room_key: String,
    interval: Interval,
}

impl<'a> Booking<'a> {
    fn new(line: usize, row: &'a SessionRow, interval: Interval) -> Booking<'a> {
        Booking {
            line,
            id: &row.session_id,
            site: &row.site,
            room: &row.room,
            room_key: row.room.to_lowercase(),
            interval,
        }
    }
}

/// Two sessions overlapping in one room (same site, same name in any case) are an
/// error on the later row, once for every earlier session it clashes with.
fn room_clashes(bookings: &[Booking], errors: &mut Errors) {
    for (i, later) in bookings.iter().enumerate() {
        for earlier in &bookings[..i] {
            let same_room = earlier.site == later.site && earlier.room_key == later.room_key;
            if same_room && earlier.interval.overlaps(later.interval) {
                let message = format!(
                    "room '{}' is taken by session {} (line {}, {}) (expected no other session in the same room at an overlapping time)",
                    later.room, earlier.id, earlier.line, earlier.interval
                );
                errors.at(FILE, later.line).error("room", message);
            }
        }
    }
}

/// A named facilitator who is not available for the whole session is legal input
/// but means the session cannot run, so the coordinator is told.
fn facilitator_warnings(week: &[(usize, Session)], staff: &StaffList) -> Vec<Warning> {
    let mut warnings = Vec::new();
    for (line, session) in week {
        let Some(i) = session.facilitator else {
            continue;
        };
        let Some(Some(member)) = staff.loaded.items.get(i.0) else {
            continue;
        };
        if !member.is_available(session.interval) {
            warnings.push(Warning::FacilitatorUnavailable {
                line: *line,
                session: session.id.clone(),
                staff: member.id.clone(),
                interval: session.interval,
            });
        }
    }
    warnings
}

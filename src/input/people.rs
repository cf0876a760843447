//! Levels, staff and clients: raw rows checked and converted into domain types,
//! with staff availability and client busy blocks attached to their owners.
//!
//! Each converter returns one `Option` per row that claimed an ID: `None` marks a
//! row with a bad value (already reported), so indices stay aligned with the IDs
//! that other files refer to.

use super::cells::{self, Round, HOURS, WHOLE};
use super::ids::Ids;
use super::per_week;
use super::rows::{AvailabilityRow, BlockRow, BusyRow, ClientRow, LevelRow, StaffRow};
use super::table::{At, CsvRow, Errors, Line};
use crate::domain::{Busy, Client, ClientId, Level, Role, Staff, StaffId, StaffIx, TrackPref};
use crate::time::{self, Interval};
use chrono::NaiveDate;

/// The rows of one file that claimed an ID; `ids` is `None` when the file could
/// not be read, and then references into it are not checked (its own error says why).
pub(super) struct Loaded<T> {
    pub ids: Option<Ids>,
    pub items: Vec<Option<T>>,
}

/// Staff, plus each member's role on its own so that a bad number elsewhere in a
/// staff row does not hide a physician named as someone's therapist.
pub(super) struct StaffList {
    pub loaded: Loaded<Staff>,
    pub roles: Vec<Option<Role>>,
    /// Every row's role with its line and, when the row claimed an ID, its index
    /// into `roles`: for the role checks of [`super::kinds`].
    pub role_rows: Vec<(usize, Option<usize>, Role)>,
}

impl StaffList {
    /// The therapist `column` of row `at` names: unknown IDs and physicians are errors.
    pub fn therapist(&self, at: &mut At, column: &str, text: &str) -> Option<StaffIx> {
        let ids = self.loaded.ids.as_ref()?;
        let Some(i) = ids.get(text) else {
            let is_therapist =
                |i: usize| matches!(self.roles.get(i), Some(Some(role)) if role.is_therapist());
            let expected = ids.expected_among(text, is_therapist);
            at.error(
                column,
                format!(
                    "unknown staff_id '{}' (expected a therapist: {expected})",
                    cells::shown(text)
                ),
            );
            return None;
        };
        let role = self.roles.get(i)?.as_ref()?;
        if role.is_therapist() {
            return Some(StaffIx(i));
        }
        at.error(column, format!("{text} is a {role} (expected a therapist)"));
        None
    }

    /// Every role some staff member has, sorted.
    pub fn role_names(&self) -> Vec<Role> {
        let mut roles: Vec<Role> = self.roles.iter().flatten().cloned().collect();
        roles.sort();
        roles.dedup();
        roles
    }
}

/// Converts levels.csv.
///
/// `minutes` are the kinds' lengths, indexed like `kinds` (`None` for a kind row
/// with a bad cell): a weekly count that the level's own maximum hours cannot hold
/// is an error, so that no accepted count sends the solver after the impossible.
pub(super) fn levels(
    rows: Option<Vec<Line<LevelRow>>>,
    kinds: Option<&[String]>,
    minutes: &[Option<u32>],
    errors: &mut Errors,
) -> Loaded<Level> {
    let Some(rows) = rows else {
        return Loaded {
            ids: None,
            items: Vec::new(),
        };
    };
    let mut ids = Ids::new(LevelRow::FILE, "level");
    let mut items = Vec::new();
    if let Some(kinds) = kinds {
        per_week::unknown_columns(&rows, kinds, errors);
    }
    for Line { line, row, extra } in &rows {
        let mut at = errors.at(LevelRow::FILE, *line);
        // A row with a bad ID is still checked cell by cell, but takes no index.
        let claimed = ids.claim(&mut at, &row.level).is_some();
        let level = level(&mut at, row, extra, kinds, minutes);
        if claimed {
            items.push(level);
        }
    }
    Loaded {
        ids: Some(ids),
        items,
    }
}

fn level(
    at: &mut At,
    row: &LevelRow,
    extra: &[(String, String)],
    kinds: Option<&[String]>,
    minutes: &[Option<u32>],
) -> Option<Level> {
    let min_hours = |at: &mut At, column, text| {
        at.required(column, text, HOURS, |t| cells::hours(t, Round::Up))
    };
    let max_hours = |at: &mut At, column, text, most: u32| {
        at.required(column, text, HOURS, |t| {
            cells::hours(t, Round::Down).and_then(|minutes| within(t, minutes, most))
        })
    };
    let count = |at: &mut At, column, text| at.required(column, text, WHOLE, cells::whole);

    let min_weekly = min_hours(at, "min_weekly_hours", &row.min_weekly_hours);
    let max_weekly = max_hours(at, "max_weekly_hours", &row.max_weekly_hours, WEEK_MINUTES);
    let min_days = count(at, "min_days", &row.min_days);
    let max_days = count(at, "max_days", &row.max_days).filter(|&days| {
        if days > 7 {
            let message =
                format!("'{days}' is more than 7 (expected at most the 7 days of a week)");
            at.error("max_days", message);
        }
        days <= 7
    });
    let min_daily = min_hours(at, "min_daily_hours", &row.min_daily_hours);
    let max_daily = max_hours(at, "max_daily_hours", &row.max_daily_hours, DAY_MINUTES);
    let per_week = per_week::counts(at, row, extra, kinds);
    let appointments_fit = match (&per_week, kinds) {
        (Some(counts), Some(kinds)) => (kinds.iter().zip(counts).zip(minutes))
            .all(|((kind, &n), &length)| fits_week(at, kind, n, length, max_weekly)),
        _ => true,
    };

    let weekly_ok = at_most(
        at,
        ("min_weekly_hours", &row.min_weekly_hours, min_weekly),
        ("max_weekly_hours", &row.max_weekly_hours, max_weekly),
        " min",
    );
    let days_ok = at_most(
        at,
        ("min_days", &row.min_days, min_days),
        ("max_days", &row.max_days, max_days),
        "",
    );
    let daily_ok = at_most(
        at,
        ("min_daily_hours", &row.min_daily_hours, min_daily),
        ("max_daily_hours", &row.max_daily_hours, max_daily),
        " min",
    );
    let code_ok = at.code("billing_code", &row.billing_code);
    if !(weekly_ok && days_ok && daily_ok && appointments_fit && code_ok) {
        return None;
    }
    Some(Level {
        name: row.level.clone(),
        min_weekly_minutes: min_weekly?,
        max_weekly_minutes: max_weekly?,
        min_days: min_days?,
        max_days: max_days?,
        min_daily_minutes: min_daily?,
        max_daily_minutes: max_daily?,
        appointments_per_week: per_week?,
        billing_code: Some(row.billing_code.clone()).filter(|c| !c.is_empty()),
    })
}

/// Minutes in a week and in a day: no maximum may exceed them.
const WEEK_MINUTES: u32 = 7 * 24 * 60;
const DAY_MINUTES: u32 = 24 * 60;

/// `minutes` (parsed from the hours cell `text`) when they fit in `most` minutes.
fn within(text: &str, minutes: u32, most: u32) -> Result<u32, String> {
    if minutes <= most {
        return Ok(minutes);
    }
    let span = if most == WEEK_MINUTES {
        "a week"
    } else {
        "a day"
    };
    Err(format!(
        "'{}' hours is more than {span} holds (expected at most {})",
        cells::shown(text),
        most / 60
    ))
}

/// Checks that `count` appointments of kind `kind`, `minutes` each, fit in the
/// level's maximum weekly minutes; the error goes on the kind's count column.
fn fits_week(
    at: &mut At,
    kind: &str,
    count: u32,
    minutes: Option<u32>,
    max_weekly: Option<u32>,
) -> bool {
    let (Some(minutes), Some(most)) = (minutes, max_weekly) else {
        return true;
    };
    let fit = most / minutes.max(1);
    if count <= fit {
        return true;
    }
    at.error(
        &format!("{kind}_per_week"),
        format!(
            "{count} appointments of {minutes} min do not fit in max_weekly_hours ({most} min) \
             (expected at most {fit})"
        ),
    );
    false
}

/// A parsed bound for [`at_most`]: its column, its cell as written, its value.
type Bound<'a> = (&'a str, &'a str, Option<u32>);

/// Checks that a minimum does not exceed its maximum (compared after rounding, so
/// that the domain's minutes keep the promise); the error goes on the minimum.
/// `unit` follows the value in the message (` min` for hours), empty for counts.
fn at_most(at: &mut At, min: Bound, max: Bound, unit: &str) -> bool {
    let (Some(lo), Some(hi)) = (min.2, max.2) else {
        return true;
    };
    if lo <= hi {
        return true;
    }
    let shown = |text: &str, value: u32| {
        if unit.is_empty() {
            format!("'{text}'")
        } else {
            format!("'{text}' ({value}{unit})")
        }
    };
    at.error(
        min.0,
        format!(
            "{} is more than {} {} (expected the minimum to be at most the maximum)",
            shown(min.1, lo),
            max.0,
            shown(max.1, hi)
        ),
    );
    false
}

/// Converts staff.csv and attaches this week's merged availability blocks.
pub(super) fn staff(
    rows: Option<Vec<Line<StaffRow>>>,
    availability: Option<Vec<Line<AvailabilityRow>>>,
    monday: NaiveDate,
    errors: &mut Errors,
) -> StaffList {
    let mut ids = rows.as_ref().map(|_| Ids::new(StaffRow::FILE, "staff_id"));
    let mut items = Vec::new();
    let mut roles = Vec::new();
    let mut role_rows = Vec::new();
    for Line { line, row, .. } in rows.iter().flatten() {
        let mut at = errors.at(StaffRow::FILE, *line);
        let Some(ids) = ids.as_mut() else { break };
        let claimed = ids.claim(&mut at, &row.staff_id).is_some();
        let role = at.required("role", &row.role, "therapist or physician", |t| {
            Ok(Role::new(t))
        });
        let member = staff_member(&mut at, row, role.as_ref());
        let index = claimed.then_some(roles.len());
        role_rows.extend(role.clone().map(|r| (*line, index, r)));
        if claimed {
            roles.push(role);
            items.push(member);
        }
    }
    let mut blocks = vec![Vec::new(); items.len()];
    for block in owned_blocks(availability, ids.as_ref(), monday, errors) {
        if let Some(owned) = blocks.get_mut(block.owner) {
            owned.push(block.interval);
        }
    }
    for (item, blocks) in items.iter_mut().zip(blocks) {
        if let Some(staff) = item {
            staff.availability = time::merge_touching(blocks);
        }
    }
    StaffList {
        loaded: Loaded { ids, items },
        roles,
        role_rows,
    }
}

fn staff_member(at: &mut At, row: &StaffRow, role: Option<&Role>) -> Option<Staff> {
    let max_weekly = at.optional("max_weekly_hours", &row.max_weekly_hours, |t| {
        cells::hours(t, Round::Down).and_then(|minutes| within(t, minutes, WEEK_MINUTES))
    });
    let max_individual = at.optional(
        "max_individual_per_day",
        &row.max_individual_per_day,
        cells::whole,
    );
    if !at.code("site", &row.site) {
        return None;
    }
    Some(Staff {
        id: StaffId(row.staff_id.clone()),
        role: role?.clone(),
        site: cells::optional(&row.site),
        max_weekly_minutes: max_weekly?,
        max_individual_per_day: max_individual?,
        availability: Vec::new(),
    })
}

/// Converts clients.csv and attaches this week's busy blocks from client_busy.csv.
pub(super) fn clients(
    rows: Option<Vec<Line<ClientRow>>>,
    busy: Option<Vec<Line<BusyRow>>>,
    levels: Option<&Ids>,
    staff: &StaffList,
    monday: NaiveDate,
    errors: &mut Errors,
) -> Vec<Option<Client>> {
    let mut ids = rows
        .as_ref()
        .map(|_| Ids::new(ClientRow::FILE, "client_id"));
    let mut items = Vec::new();
    for Line { line, row, .. } in rows.iter().flatten() {
        let mut at = errors.at(ClientRow::FILE, *line);
        let Some(ids) = ids.as_mut() else { break };
        let claimed = ids.claim(&mut at, &row.client_id).is_some();
        let client = client(&mut at, row, levels, staff);
        if claimed {
            items.push(client);
        }
    }
    let mut blocks = vec![Vec::new(); items.len()];
    for block in owned_blocks(busy, ids.as_ref(), monday, errors) {
        if let Some(owned) = blocks.get_mut(block.owner) {
            owned.push(Busy {
                interval: block.interval,
                reason: block.row.reason,
            });
        }
    }
    for (item, mut busy) in items.iter_mut().zip(blocks) {
        if let Some(client) = item {
            busy.sort_by_key(|b| b.interval);
            client.busy = busy;
        }
    }
    items
}

fn client(at: &mut At, row: &ClientRow, levels: Option<&Ids>, staff: &StaffList) -> Option<Client> {
    let level = levels.and_then(|ids| ids.require(at, "level", &row.level));
    let track = at.optional("track", &row.track, track_pref);
    let therapist = match row.primary_therapist.as_str() {
        "" => Some(None),
        text => staff.therapist(at, "primary_therapist", text).map(Some),
    };
    let travel = at.optional("travel_minutes", &row.travel_minutes, travel_minutes);
    let admit = at.optional("admit_date", &row.admit_date, cells::date);
    let discharge = at.optional("discharge_date", &row.discharge_date, cells::date);
    let site_ok = at.code("site", &row.site);
    if let (Some(Some(a)), Some(Some(d))) = (admit, discharge) {
        if d < a {
            let message = format!(
                "{d} is before the admit_date {a} (expected a discharge on or after admission)"
            );
            at.error("discharge_date", message);
            return None;
        }
    }
    if !site_ok {
        return None;
    }
    Some(Client {
        id: ClientId(row.client_id.clone()),
        level: level?,
        site: cells::optional(&row.site),
        track: track?.unwrap_or(TrackPref::Any),
        primary_therapist: therapist?,
        gender: cells::optional_lower(&row.gender),
        tags: cells::lower_set(&row.tags),
        stage: cells::optional_lower(&row.stage),
        travel_minutes: travel?.unwrap_or(0),
        busy: Vec::new(),
        admit: admit?,
        discharge: discharge?,
        prorated: None,
    })
}

/// Travel buffer in minutes: at most a day (more would wrap past the week).
fn travel_minutes(text: &str) -> Result<u32, String> {
    let minutes = cells::whole(text)?;
    if minutes > DAY_MINUTES {
        return Err(format!(
            "'{minutes}' minutes is more than a day (expected at most {DAY_MINUTES})"
        ));
    }
    Ok(minutes)
}

fn track_pref(text: &str) -> Result<TrackPref, String> {
    match text.to_lowercase().as_str() {
        "day" => Ok(TrackPref::Day),
        "night" => Ok(TrackPref::Night),
        "any" => Ok(TrackPref::Any),
        _ => Err(format!(
            "'{text}' is not a track (expected day, night or any)"
        )),
    }
}

/// A checked `owner, day, start, end` row of this week.
struct Block<R> {
    owner: usize,
    interval: Interval,
    row: R,
}

/// Checks rows that give a time block to an owner from another file (busy blocks,
/// availability) and keeps those of this week. With `owners` `None` the owner file
/// was unreadable: times are still checked, references are not.
fn owned_blocks<R: BlockRow>(
    rows: Option<Vec<Line<R>>>,
    owners: Option<&Ids>,
    monday: NaiveDate,
    errors: &mut Errors,
) -> Vec<Block<R>> {
    let owner_column = R::REQUIRED[0];
    let mut blocks = Vec::new();
    for Line { line, row, .. } in rows.into_iter().flatten() {
        let mut at = errors.at(R::FILE, line);
        let [owner, day, start, end] = row.block();
        let owner = owners.and_then(|ids| ids.require(&mut at, owner_column, owner));
        let interval = at.interval(monday, day, start, end);
        if let (Some(owner), Some(Some(interval))) = (owner, interval) {
            blocks.push(Block {
                owner,
                interval,
                row,
            });
        }
    }
    blocks
}

//! appointments.csv: the kinds of one-to-one appointment a program books, checked
//! against the staff's roles and the `--individual-minutes` / `--physician-minutes`
//! flags. Without the file the program has the two built-in kinds.

use super::cells::{self, TIME};
use super::ids::Ids;
use super::people::StaffList;
use super::rows::{AppointmentRow, StaffRow};
use super::table::{At, CsvRow, Errors, Line};
use super::LoadSettings;
use crate::domain::{AppointmentKind, Program, Role};
use crate::time::{self, DAY_MINUTES};

/// Words a kind may not be: `group` is the roster's other activity; the others are
/// shortfall keys or client_summary.csv columns that a kind's column would repeat.
const RESERVED: [&str; 12] = [
    "group",
    "hours",
    "days",
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

const MINUTES: &str = "a whole number of minutes of 1 or more, e.g. 50";

/// The program's appointment kinds, as far as they could be read.
pub(super) struct Kinds {
    /// One per row that claimed a kind name; `None` marks a row with a bad cell.
    pub items: Vec<Option<AppointmentKind>>,
    /// The names, indexed like `items`; `None` when appointments.csv could not be
    /// read at all (then levels.csv's `KIND_per_week` columns are not checked).
    pub names: Option<Vec<String>>,
}

/// The built-in kinds when `present` is false, else the kinds of appointments.csv.
pub(super) fn kinds(
    present: bool,
    rows: Option<Vec<Line<AppointmentRow>>>,
    staff: &mut StaffList,
    settings: &LoadSettings,
    errors: &mut Errors,
) -> Kinds {
    let kinds = if present {
        from_file(rows, staff, settings, errors)
    } else {
        built_in(settings)
    };
    check_staff_roles(staff, &kinds, errors);
    kinds
}

/// Individual therapy with the primary therapist, then the physician visit: the
/// contract's rows `individual,therapist,50,primary` and `physician,physician,30,
/// any`, so no window and `max_per_day` at its default of 1.
fn built_in(settings: &LoadSettings) -> Kinds {
    let kind = |name: &str, role: &str, minutes: u32, primary: bool| AppointmentKind {
        name: name.to_string(),
        role: Role::new(role),
        minutes,
        with_primary_therapist: primary,
        earliest: 0,
        latest: DAY_MINUTES,
        max_per_day: Some(1),
        from_file: false,
    };
    let items = vec![
        kind(
            Program::INDIVIDUAL,
            Role::THERAPIST,
            settings.individual_minutes.unwrap_or(50),
            true,
        ),
        kind(
            Program::PHYSICIAN,
            "physician",
            settings.physician_minutes.unwrap_or(30),
            false,
        ),
    ];
    Kinds {
        names: Some(items.iter().map(|k| k.name.clone()).collect()),
        items: items.into_iter().map(Some).collect(),
    }
}

fn from_file(
    rows: Option<Vec<Line<AppointmentRow>>>,
    staff: &StaffList,
    settings: &LoadSettings,
    errors: &mut Errors,
) -> Kinds {
    let Some(rows) = rows else {
        return Kinds {
            items: Vec::new(),
            names: None,
        };
    };
    // Without a readable staff.csv its own error says why; roles are not checked.
    let roles = staff.loaded.ids.as_ref().map(|_| staff.role_names());
    let mut ids = Ids::new(AppointmentRow::FILE, "kind");
    let (mut names, mut items) = (Vec::new(), Vec::new());
    for Line { line, row, .. } in &rows {
        let mut at = errors.at(AppointmentRow::FILE, *line);
        let name = row.kind.to_lowercase();
        let claimed = name_ok(&mut at, &name) && ids.claim(&mut at, &name).is_some();
        let kind = kind(&mut at, row, &name, roles.as_deref());
        if claimed {
            names.push(name);
            items.push(kind);
        }
    }
    let flags = [
        (
            Program::INDIVIDUAL,
            "--individual-minutes",
            settings.individual_minutes,
        ),
        (
            Program::PHYSICIAN,
            "--physician-minutes",
            settings.physician_minutes,
        ),
    ];
    for (name, flag, value) in flags {
        let Some(value) = value else { continue };
        match rows.iter().find(|l| l.row.kind.to_lowercase() == name) {
            Some(l) => errors.at(AppointmentRow::FILE, l.line).error(
                "minutes",
                format!(
                    "{flag} {value} conflicts with this row, which defines {name} \
                     (expected the length in one place: drop the flag or this row)"
                ),
            ),
            None => errors.file(
                AppointmentRow::FILE,
                format!(
                    "{flag} {value} is given but this file defines no kind {name} \
                     (expected a row for {name}, or no flag)"
                ),
            ),
        }
    }
    Kinds {
        items,
        names: Some(names),
    }
}

/// A kind's name: letters, digits and `_`, not a reserved word. Empty names are
/// left to [`Ids::claim`].
fn name_ok(at: &mut At, name: &str) -> bool {
    if name.is_empty() {
        return true;
    }
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        let message = format!(
            "'{name}' is not a kind name (expected letters, digits and _, e.g. drug_screen)"
        );
        at.error("kind", message);
        return false;
    }
    if RESERVED.contains(&name) {
        let message = format!(
            "'{name}' is reserved (expected a name other than {})",
            RESERVED.join(", ")
        );
        at.error("kind", message);
        return false;
    }
    true
}

fn kind(
    at: &mut At,
    row: &AppointmentRow,
    name: &str,
    roles: Option<&[Role]>,
) -> Option<AppointmentKind> {
    let role = at.required("role", &row.role, "a staff role, e.g. nurse", |t| {
        Ok(Role::new(t))
    });
    let role = role.filter(|role| role_ok(at, role, roles));
    let minutes = at.required("minutes", &row.minutes, MINUTES, |t| {
        match cells::whole(t) {
            Ok(0) => Err(format!("'{t}' is zero (expected {MINUTES})")),
            Ok(m) if m > DAY_MINUTES => {
                Err(format!("'{t}' is longer than a day (expected {MINUTES})"))
            }
            Ok(m) => Ok(m),
            Err(_) => Err(format!("'{t}' is not a whole number (expected {MINUTES})")),
        }
    });
    let primary = at.optional("with", &row.with, |t| match t.to_lowercase().as_str() {
        "primary" => Ok(true),
        "any" => Ok(false),
        _ => Err(format!("'{t}' is not a with (expected primary or any)")),
    });
    let primary = primary.map(|p| p.unwrap_or(false)).filter(|&p| {
        let bad = p && role.as_ref().is_some_and(|r| !r.is_therapist());
        if bad {
            let role = role.as_ref().map_or("", |r| r.as_str());
            let message = format!(
                "primary means the client's primary therapist, but the role is {role} \
                 (expected any, or role therapist)"
            );
            at.error("with", message);
        }
        !bad
    });
    let window = window(at, row, minutes);
    let max_per_day = at.optional("max_per_day", &row.max_per_day, |t| match cells::whole(t) {
        Ok(0) => Err(format!("'{t}' would allow none (expected 1 or more)")),
        other => other,
    });
    let (earliest, latest) = window?;
    Some(AppointmentKind {
        name: name.to_string(),
        role: role?,
        minutes: minutes?,
        with_primary_therapist: primary?,
        earliest,
        latest,
        max_per_day: Some(max_per_day?.unwrap_or(1)),
        from_file: true,
    })
}

/// A kind's role must be one some staff member has (when staff.csv was readable).
fn role_ok(at: &mut At, role: &Role, roles: Option<&[Role]>) -> bool {
    let Some(roles) = roles else { return true };
    if roles.contains(role) {
        return true;
    }
    let known: Vec<&str> = roles.iter().map(Role::as_str).collect();
    let message = format!(
        "no staff member has role '{role}' (expected a role of staff.csv: {})",
        known.join(", ")
    );
    at.error("role", message);
    false
}

/// The `[earliest, latest)` window in minutes past midnight (whole day when empty),
/// long enough for one appointment of `minutes`.
fn window(at: &mut At, row: &AppointmentRow, minutes: Option<u32>) -> Option<(u32, u32)> {
    let earliest = at.optional("earliest", &row.earliest, time::parse_time);
    let latest = at.optional("latest", &row.latest, time::parse_time);
    let (earliest, latest) = (earliest?.unwrap_or(0), latest?.unwrap_or(DAY_MINUTES));
    if latest <= earliest {
        let message = format!(
            "{} is not after earliest {} (expected {TIME} later than earliest)",
            time::hhmm(latest),
            time::hhmm(earliest)
        );
        at.error("latest", message);
        return None;
    }
    if let Some(minutes) = minutes.filter(|&m| latest - earliest < m) {
        let message = format!(
            "the window {}-{} is shorter than one {minutes}-minute appointment \
             (expected latest at least {minutes} minutes after earliest)",
            time::hhmm(earliest),
            time::hhmm(latest)
        );
        at.error("latest", message);
        return None;
    }
    Some((earliest, latest))
}

/// Every staff role must be `therapist`, `physician` or a role some kind books:
/// anything else is most likely a typo that would leave the person unused. A bad
/// role is forgotten, so that later checks (a primary therapist's role) do not
/// report the same row again.
fn check_staff_roles(staff: &mut StaffList, kinds: &Kinds, errors: &mut Errors) {
    if kinds.names.is_none() {
        return;
    }
    let booked: Vec<&Role> = kinds.items.iter().flatten().map(|k| &k.role).collect();
    // A kind whose role is bad is reported on its own row; don't blame the staff too.
    let unknown_kind_role = kinds.items.iter().any(Option::is_none);
    for (line, index, role) in &staff.role_rows {
        let fine = role.is_therapist() || role.as_str() == "physician" || booked.contains(&role);
        if fine || unknown_kind_role {
            continue;
        }
        let mut others: Vec<&str> = booked
            .iter()
            .map(|r| r.as_str())
            .filter(|r| !matches!(*r, "therapist" | "physician"))
            .collect();
        others.sort_unstable();
        others.dedup();
        let also = if others.is_empty() {
            " or a role that appointments.csv books".to_string()
        } else {
            format!(", {}", others.join(", "))
        };
        let message = format!(
            "'{}' is not a role (expected therapist, physician{also})",
            super::cells::shown(role.as_str())
        );
        errors.at(StaffRow::FILE, *line).error("role", message);
        if let Some(slot) = index.and_then(|i| staff.roles.get_mut(i)) {
            *slot = None;
        }
    }
}

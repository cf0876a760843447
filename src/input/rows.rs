//! The raw rows of every input file: one serde struct per file whose fields mirror
//! the contract's column names, every cell still a trimmed string.
//!
//! A column that is absent from a file reads as an empty string, which is what the
//! contract says a missing optional column means.

use super::table::{self, CsvRow, Errors, Line};
use serde::Deserialize;
use std::path::Path;

/// Declares a row struct and its [`CsvRow`] description from one list of columns,
/// so the columns checked in the header and the fields read cannot drift apart.
macro_rules! csv_row {
    (
        $(#[$doc:meta])*
        $name:ident, $file:literal, required_file: $required_file:literal, $per:literal,
        required: [$($req:ident),*], optional: [$($opt:ident),*]
    ) => {
        $(#[$doc])*
        #[derive(Debug, Default, Deserialize)]
        #[serde(default)]
        pub(super) struct $name {
            $(pub $req: String,)*
            $(pub $opt: String,)*
        }

        impl CsvRow for $name {
            const FILE: &'static str = $file;
            const REQUIRED_FILE: bool = $required_file;
            const ONE_ROW_PER: &'static str = $per;
            const COLUMNS: &'static [&'static str] = &[$(stringify!($req),)* $(stringify!($opt),)*];
            const REQUIRED: &'static [&'static str] = &[$(stringify!($req)),*];
        }
    };
}

csv_row! {
    /// A level of care and its weekly rules.
    LevelRow, "levels.csv", required_file: true, "level of care",
    required: [level, min_weekly_hours, max_weekly_hours, min_days, max_days,
               min_daily_hours, max_daily_hours, individual_per_week, physician_per_week],
    optional: [billing_code]
}

csv_row! {
    /// A client to schedule this week.
    ClientRow, "clients.csv", required_file: true, "client to schedule",
    required: [client_id, level],
    optional: [site, track, primary_therapist, gender, tags, stage, travel_minutes,
               admit_date, discharge_date]
}

csv_row! {
    /// A client's work, school, childcare or other commitment.
    BusyRow, "client_busy.csv", required_file: false, "client commitment",
    required: [client_id, day, start, end],
    optional: [reason]
}

csv_row! {
    /// A therapist or physician.
    StaffRow, "staff.csv", required_file: true, "therapist or physician",
    required: [staff_id, role],
    optional: [site, max_weekly_hours, max_individual_per_day]
}

csv_row! {
    /// A block of time a staff member can work.
    AvailabilityRow, "staff_availability.csv", required_file: true,
    "block of time a staff member can work",
    required: [staff_id, day, start, end],
    optional: []
}

csv_row! {
    /// A group session of the catalog.
    SessionRow, "sessions.csv", required_file: true, "group session",
    required: [session_id, day, start, end, capacity],
    optional: [name, site, track, facilitator, room, min_size, levels, gender, tags, stage]
}

csv_row! {
    /// A kind of one-to-one appointment (optional file).
    AppointmentRow, "appointments.csv", required_file: false, "appointment kind",
    required: [kind, role, minutes],
    optional: [with, earliest, latest, max_per_day]
}

/// A row that gives an owner from another file a block of time.
pub(super) trait BlockRow: CsvRow {
    /// The owner's ID, day, start and end cells.
    fn block(&self) -> [&str; 4];
}

impl BlockRow for BusyRow {
    fn block(&self) -> [&str; 4] {
        [&self.client_id, &self.day, &self.start, &self.end]
    }
}

impl BlockRow for AvailabilityRow {
    fn block(&self) -> [&str; 4] {
        [&self.staff_id, &self.day, &self.start, &self.end]
    }
}

/// The raw rows of every file; `None` where a file could not be used at all.
pub(super) struct Files {
    pub levels: Option<Vec<Line<LevelRow>>>,
    pub clients: Option<Vec<Line<ClientRow>>>,
    pub busy: Option<Vec<Line<BusyRow>>>,
    pub staff: Option<Vec<Line<StaffRow>>>,
    pub availability: Option<Vec<Line<AvailabilityRow>>>,
    pub sessions: Option<Vec<Line<SessionRow>>>,
    /// True when appointments.csv exists (else the built-in kinds apply).
    pub appointments_file: bool,
    pub appointments: Option<Vec<Line<AppointmentRow>>>,
}

impl Files {
    /// Reads every file of `dir`, recording whole-file and unreadable-row problems.
    pub fn read(dir: &Path, errors: &mut Errors) -> Files {
        Files {
            levels: table::read(dir, errors),
            clients: table::read(dir, errors),
            busy: table::read(dir, errors),
            staff: table::read(dir, errors),
            availability: table::read(dir, errors),
            sessions: table::read(dir, errors),
            // There but unreadable counts as there: reading it then says what is wrong.
            appointments_file: table::present(&dir.join(AppointmentRow::FILE)).unwrap_or(true),
            appointments: table::read(dir, errors),
        }
    }
}

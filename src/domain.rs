//! The validated, typed program of one week: what every later stage works on.
//!
//! Built only by [`crate::input::load`]; string IDs are kept for output, every
//! cross-reference is an index into the [`Program`]'s vectors, and all times are
//! [`Interval`]s of minutes since Monday 00:00 of the scheduled week.

use crate::time::{Day, Interval};
use chrono::NaiveDate;
use std::fmt;

pub use crate::ix::{ClientIx, SessionIx, StaffIx};

macro_rules! id_type {
    ($name:ident) => {
        /// A trimmed, non-empty, case-sensitive identifier from the input files.
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub String);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_type!(ClientId);
id_type!(StaffId);
id_type!(SessionId);

/// What a staff member does: free text from staff.csv, lower-cased. `therapist` is
/// the one role with a meaning of its own (facilitators and primary therapists).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Role(String);

impl Role {
    /// The role that facilitates groups and is a client's primary therapist.
    pub const THERAPIST: &'static str = "therapist";

    /// A role as written in an input file (trimmed, any case).
    pub fn new(text: &str) -> Role {
        Role(text.trim().to_lowercase())
    }

    pub fn therapist() -> Role {
        Role(Self::THERAPIST.to_string())
    }

    pub fn is_therapist(&self) -> bool {
        self.0 == Self::THERAPIST
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Index into [`Program::kinds`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KindIx(pub usize);

/// The kind of a roster row: a group, or one of the program's appointment kinds.
/// Ordered like the roster's kinds: groups first, then kinds in their file order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Activity {
    Group,
    Appointment(KindIx),
}

impl Activity {
    /// The appointment kind, `None` for a group.
    pub fn kind(self) -> Option<KindIx> {
        match self {
            Activity::Group => None,
            Activity::Appointment(k) => Some(k),
        }
    }
}

/// A session's track.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Track {
    Day,
    Night,
}

impl Track {
    /// The word used in the input files.
    pub fn as_str(self) -> &'static str {
        match self {
            Track::Day => "day",
            Track::Night => "night",
        }
    }
}

/// A client's track preference: a wish, never a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TrackPref {
    Day,
    Night,
    Any,
}

impl TrackPref {
    /// True when attending a session of `track` goes against the preference.
    pub fn dislikes(self, track: Track) -> bool {
        matches!(
            (self, track),
            (TrackPref::Day, Track::Night) | (TrackPref::Night, Track::Day)
        )
    }
}

/// One kind of one-to-one appointment between a client and a staff member of a
/// role: individual therapy, the physician visit, family therapy, drug screens...
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppointmentKind {
    /// Lower-cased; the roster's `activity` value and the shortfall key.
    pub name: String,
    /// The role of the staff member the client meets.
    pub role: Role,
    /// Length of one appointment in minutes.
    pub minutes: u32,
    /// True when a client with a primary therapist must meet that therapist.
    pub with_primary_therapist: bool,
    /// Minutes past midnight: the appointment lies inside `[earliest, latest)`.
    pub earliest: u32,
    pub latest: u32,
    /// Most of this kind for one client on one day (`None`: no limit).
    pub max_per_day: Option<u32>,
    /// True for a kind of appointments.csv; the two built-in kinds keep the wording
    /// of their reasons from before kinds were data.
    pub from_file: bool,
}

impl AppointmentKind {
    /// True when `interval` lies inside the kind's daily window.
    pub fn in_window(&self, interval: Interval) -> bool {
        self.earliest <= interval.start_of_day() && interval.end_of_day() <= self.latest
    }

    /// True when the kind is booked only between set times of day.
    pub fn has_window(&self) -> bool {
        self.earliest > 0 || self.latest < crate::time::DAY_MINUTES
    }
}

/// A level of care and its weekly rules, in whole minutes
/// (minimums rounded up, maximums rounded down).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Level {
    pub name: String,
    pub min_weekly_minutes: u32,
    pub max_weekly_minutes: u32,
    pub min_days: u32,
    pub max_days: u32,
    pub min_daily_minutes: u32,
    pub max_daily_minutes: u32,
    /// Appointments to schedule per week, indexed like [`Program::kinds`].
    pub appointments_per_week: Vec<u32>,
    /// The code a program day of this level is billed under (e.g. `H0015`).
    pub billing_code: Option<String>,
}

impl Level {
    /// Appointments of kind `k` to schedule per week.
    pub fn per_week(&self, k: KindIx) -> u32 {
        self.appointments_per_week[k.0]
    }
}

/// A commitment of a client's (work, school, childcare...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Busy {
    pub interval: Interval,
    /// Free text from the input, e.g. `work`; empty when not given.
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Client {
    pub id: ClientId,
    /// Index into [`Program::levels`].
    pub level: usize,
    /// `None` = the one program-wide site.
    pub site: Option<String>,
    pub track: TrackPref,
    /// Always a therapist.
    pub primary_therapist: Option<StaffIx>,
    /// Lower-cased.
    pub gender: Option<String>,
    /// Lower-cased, sorted, deduplicated.
    pub tags: Vec<String>,
    /// Lower-cased.
    pub stage: Option<String>,
    pub travel_minutes: u32,
    /// This week's busy blocks, sorted.
    pub busy: Vec<Busy>,
    /// First and last day the client may be scheduled (admission, discharge).
    pub admit: Option<NaiveDate>,
    pub discharge: Option<NaiveDate>,
    /// The level's rules with minimums pro-rated to the program days the client is
    /// here this week (`None`: here all week, the level applies as it is).
    pub prorated: Option<Level>,
}

impl Client {
    /// True when the client may be scheduled on `date` (between admission and
    /// discharge, both included).
    pub fn here_on(&self, date: NaiveDate) -> bool {
        self.admit.is_none_or(|a| a <= date) && self.discharge.is_none_or(|d| date <= d)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Staff {
    pub id: StaffId,
    pub role: Role,
    /// `None` = floating, serves every site.
    pub site: Option<String>,
    /// Rounded down to whole minutes.
    pub max_weekly_minutes: Option<u32>,
    pub max_individual_per_day: Option<u32>,
    /// This week's available blocks, sorted, touching blocks merged.
    pub availability: Vec<Interval>,
}

impl Staff {
    /// True when `interval` lies inside one available block.
    pub fn is_available(&self, interval: Interval) -> bool {
        self.availability.iter().any(|a| a.contains(interval))
    }
}

/// A group session of this week's catalog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub id: SessionId,
    /// Display name; the session id when the column is empty.
    pub name: String,
    pub site: Option<String>,
    pub interval: Interval,
    pub track: Track,
    /// A therapist; `None` = the optimizer picks.
    pub facilitator: Option<StaffIx>,
    pub room: Option<String>,
    pub capacity: u32,
    pub min_size: u32,
    /// Indices into [`Program::levels`]; empty = every level.
    pub levels: Vec<usize>,
    /// Lower-cased.
    pub gender: Option<String>,
    /// Lower-cased, sorted; a client must have all of them.
    pub tags: Vec<String>,
    /// Lower-cased.
    pub stage: Option<String>,
}

impl Session {
    pub fn day(&self) -> Day {
        self.interval.day()
    }
}

/// One appointment of last week's roster, placed in this week: same weekday and
/// time, matched to this week's clients, sessions and staff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreviousItem {
    pub client: ClientIx,
    pub activity: Activity,
    /// This week's session it was matched to (groups only); `None` when the session
    /// is gone from the catalog.
    pub session: Option<SessionIx>,
    /// `None` when the staff member is gone.
    pub staff: Option<StaffIx>,
    pub interval: Interval,
    /// How last week's row named the session, for the change report.
    pub session_label: String,
}

/// An assignment a coordinator fixed by hand (`pins.csv`): hard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pin {
    pub client: ClientIx,
    pub activity: Activity,
    /// The session of a group pin.
    pub session: Option<SessionIx>,
    /// The staff member of an appointment pin, or a group pin's chosen facilitator.
    pub staff: Option<StaffIx>,
    pub interval: Interval,
    /// Line in pins.csv, for reports.
    pub line: usize,
}

/// True when a client of site `client` may be served at site `other`:
/// an empty site on either side matches every site.
pub fn sites_match(client: &Option<String>, other: &Option<String>) -> bool {
    match (client, other) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    }
}

impl Program {
    /// The kind of individual therapy, whose count `max_individual_per_day` limits.
    pub const INDIVIDUAL: &'static str = "individual";
    /// The physician visit, reported in its own summary column.
    pub const PHYSICIAN: &'static str = "physician";

    /// The appointment kind called `name` (lower-case).
    pub fn kind(&self, name: &str) -> Option<KindIx> {
        self.kinds.iter().position(|k| k.name == name).map(KindIx)
    }

    /// Individual therapy, the one kind `max_individual_per_day` counts.
    pub fn individual_kind(&self) -> Option<KindIx> {
        self.kind(Self::INDIVIDUAL)
    }

    /// The client at `c`.
    pub fn client(&self, c: ClientIx) -> &Client {
        &self.clients[c.0]
    }

    /// The client whose ID is `id`.
    pub fn find_client(&self, id: &str) -> Option<ClientIx> {
        self.clients.iter().position(|c| c.id.0 == id).map(ClientIx)
    }

    /// Every client with its index.
    pub fn client_list(&self) -> impl Iterator<Item = (ClientIx, &Client)> {
        self.clients
            .iter()
            .enumerate()
            .map(|(i, c)| (ClientIx(i), c))
    }

    /// The index of every client, in order.
    pub fn client_ixs(&self) -> impl DoubleEndedIterator<Item = ClientIx> + Clone {
        ClientIx::all(self.clients.len())
    }

    /// The session at `s`.
    pub fn session(&self, s: SessionIx) -> &Session {
        &self.sessions[s.0]
    }

    /// The session whose ID is `id`.
    pub fn find_session(&self, id: &str) -> Option<SessionIx> {
        self.sessions
            .iter()
            .position(|s| s.id.0 == id)
            .map(SessionIx)
    }

    /// Every session with its index.
    pub fn session_list(&self) -> impl Iterator<Item = (SessionIx, &Session)> {
        self.sessions
            .iter()
            .enumerate()
            .map(|(i, s)| (SessionIx(i), s))
    }

    /// The index of every session, in order.
    pub fn session_ixs(&self) -> impl DoubleEndedIterator<Item = SessionIx> + Clone {
        SessionIx::all(self.sessions.len())
    }

    /// The staff member at `t`.
    pub fn staff(&self, t: StaffIx) -> &Staff {
        &self.staff[t.0]
    }

    /// The staff member whose ID is `id`.
    pub fn find_staff(&self, id: &str) -> Option<StaffIx> {
        self.staff.iter().position(|s| s.id.0 == id).map(StaffIx)
    }

    /// Every staff member with their index.
    pub fn staff_list(&self) -> impl Iterator<Item = (StaffIx, &Staff)> {
        self.staff.iter().enumerate().map(|(i, s)| (StaffIx(i), s))
    }

    /// The index of every staff member, in order.
    pub fn staff_ixs(&self) -> impl DoubleEndedIterator<Item = StaffIx> + Clone {
        StaffIx::all(self.staff.len())
    }

    /// The appointment kind at `k`.
    pub fn kind_at(&self, k: KindIx) -> &AppointmentKind {
        &self.kinds[k.0]
    }

    /// Every appointment kind with its index.
    pub fn kind_list(&self) -> impl Iterator<Item = (KindIx, &AppointmentKind)> {
        self.kinds.iter().enumerate().map(|(i, k)| (KindIx(i), k))
    }

    /// The word the roster writes in its `activity` column.
    pub fn activity_name(&self, activity: Activity) -> &str {
        match activity {
            Activity::Group => "group",
            Activity::Appointment(k) => &self.kinds[k.0].name,
        }
    }

    /// Reads an `activity` cell (any case): `group` or a kind of this program.
    pub fn parse_activity(&self, text: &str) -> Result<Activity, String> {
        let word = text.trim().to_lowercase();
        if word == "group" {
            return Ok(Activity::Group);
        }
        if let Some(k) = self.kind(&word) {
            return Ok(Activity::Appointment(k));
        }
        let mut names: Vec<&str> = vec!["group"];
        names.extend(self.kinds.iter().map(|k| k.name.as_str()));
        let last = names.pop().unwrap_or("group");
        let expected = if names.is_empty() {
            last.to_string()
        } else {
            format!("{} or {last}", names.join(", "))
        };
        Err(format!("'{word}' is not an activity (expected {expected})"))
    }

    /// The weekly rules that apply to `client` this week: their level, with
    /// minimums pro-rated when they are admitted or discharged inside the week.
    pub fn level_of<'a>(&'a self, client: &'a Client) -> &'a Level {
        client
            .prorated
            .as_ref()
            .unwrap_or(&self.levels[client.level])
    }
}

/// Everything known about the week to schedule.
#[derive(Clone, Debug)]
pub struct Program {
    /// Monday of the scheduled week.
    pub monday: NaiveDate,
    pub levels: Vec<Level>,
    pub clients: Vec<Client>,
    pub staff: Vec<Staff>,
    /// This week's sessions only (dated rows of other weeks are dropped).
    pub sessions: Vec<Session>,
    /// Appointment kinds, in appointments.csv's order (without the file: individual
    /// therapy, then the physician visit).
    pub kinds: Vec<AppointmentKind>,
    /// Legal but harmful input found while loading, e.g. a facilitator who is
    /// not available for their whole session.
    pub warnings: Vec<Warning>,
    /// Last week's roster, when given: changes from it are kept few.
    pub previous: Vec<PreviousItem>,
    /// Assignments fixed by hand.
    pub pins: Vec<Pin>,
}

/// Legal but harmful input found while loading, with where it is; the words are
/// made only when it is printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Warning {
    /// A session names a facilitator who is not available for all of it: it cannot run.
    FacilitatorUnavailable {
        /// Its sessions.csv line.
        line: usize,
        session: SessionId,
        staff: StaffId,
        interval: Interval,
    },
    /// sessions.csv has rows, but none in the scheduled week: no group can run.
    NoSessionThisWeek { monday: NaiveDate },
}

impl Warning {
    /// The input file the warning is about.
    pub fn file(&self) -> &'static str {
        "sessions.csv"
    }

    /// The line of that file, when one row is at fault.
    pub fn line(&self) -> Option<usize> {
        match self {
            Warning::FacilitatorUnavailable { line, .. } => Some(*line),
            Warning::NoSessionThisWeek { .. } => None,
        }
    }

    /// `sessions.csv:12`, or the file alone.
    pub fn location(&self) -> String {
        match self.line() {
            Some(line) => format!("{}:{line}", self.file()),
            None => self.file().to_string(),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = self.location();
        match self {
            Warning::FacilitatorUnavailable {
                staff, interval, ..
            } => write!(
                f,
                "{at}: facilitator {staff} is not available for the whole session {interval}; it cannot run"
            ),
            Warning::NoSessionThisWeek { monday } => {
                write!(f, "{at}: no session falls in the week of {monday}; no group can run")
            }
        }
    }
}

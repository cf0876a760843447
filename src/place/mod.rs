//! Intake: where can new clients go, around a roster that is already published?
//!
//! The clients of clients.csv with no row in the published roster are placed
//! jointly (two new clients never get the same last seat) while every published
//! client keeps their week exactly: their rows become pins and the rest of their
//! week busy ([`fixed`]), so the optimizer still counts their seats and staff time.
//! Further options for each new client come from solving again with an earlier
//! option's main choice (its track, one of its days) made busy for that client,
//! the other new clients held at their first option ([`options`]). When no such
//! option meets the level, the whole week is solved once more with the published
//! roster as last week's, and the clients it moves are counted.

mod fixed;
mod options;
mod render;

pub use render::{placements_csv, summary};

use crate::candidates::Candidates;
use crate::check::{self, CheckOptions, SummaryFiles};
use crate::domain::{PreviousItem, Program};
use crate::input::{self, InputErrors, LoadSettings};
use crate::roster::{Entry, Shortfall};
use crate::solve::{SolveError, SolverSettings};
use chrono::NaiveDate;
use fixed::Row;
use std::fmt;
use std::path::{Path, PathBuf};

/// What to place and how.
#[derive(Clone, Debug)]
pub struct PlaceOptions {
    /// The Monday of the published roster's week.
    pub monday: NaiveDate,
    pub load: LoadSettings,
    /// The published roster.csv.
    pub roster: PathBuf,
    /// Most options per new client.
    pub options: usize,
    /// Settings of each solve (the time limit bounds each one).
    pub solver: SolverSettings,
}

/// One whole-week option for one new client.
#[derive(Clone, Debug)]
pub struct Placement {
    pub client: usize,
    /// The client's rows, by time.
    pub entries: Vec<Entry>,
    pub shortfall: Shortfall,
    /// Published clients whose week this option changes (0: it fits around them).
    pub moved_clients: usize,
    /// Why the level is not met, in client_summary's words; `None` when met.
    pub reason: Option<String>,
}

impl Placement {
    pub fn meets_level(&self) -> bool {
        self.shortfall.is_met()
    }
}

/// The new clients and their ranked options.
pub struct Placed {
    pub program: Program,
    /// Per new client (by client id): its options, best first.
    pub clients: Vec<(usize, Vec<Placement>)>,
}

/// Why nothing was placed.
#[derive(Debug)]
pub enum PlaceError {
    /// The input folder has bad values.
    Input(InputErrors),
    /// The published roster cannot be read.
    Roster(InputErrors),
    /// The published roster breaks rules (one line per violation).
    BrokenRoster(Vec<String>),
    /// pins.csv breaks rules.
    PinConflicts(Vec<String>),
    Solve(SolveError),
}

impl fmt::Display for PlaceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (lines, what): (Vec<String>, &str) = match self {
            PlaceError::Input(e) => (vec![e.to_string()], "input problem(s)"),
            PlaceError::Roster(e) => (vec![e.to_string()], "problem(s) in the published roster"),
            PlaceError::BrokenRoster(v) => (v.clone(), "rule(s) broken by the published roster"),
            PlaceError::PinConflicts(v) => (v.clone(), "pin conflict(s)"),
            PlaceError::Solve(e) => return write!(f, "iopsched: error: solving: {e}"),
        };
        let count = match self {
            PlaceError::Input(e) | PlaceError::Roster(e) => e.0.len(),
            _ => lines.len(),
        };
        for line in &lines {
            writeln!(f, "{line}")?;
        }
        write!(
            f,
            "iopsched: {count} {what}; nothing placed, nothing written"
        )
    }
}

impl std::error::Error for PlaceError {}

/// Places every client of the input folder who has no row in the published roster.
pub fn place(input_dir: &Path, opts: &PlaceOptions) -> Result<Placed, PlaceError> {
    let program = input::load(input_dir, opts.monday, &opts.load).map_err(PlaceError::Input)?;
    let conflicts = crate::pins::conflicts(&program, &Candidates::build(&program));
    if !conflicts.is_empty() {
        return Err(PlaceError::PinConflicts(conflicts));
    }
    let published = input::previous(&opts.roster, &program).map_err(PlaceError::Roster)?;
    broken_rules(input_dir, opts)?;
    let rows: Vec<Row> = published.iter().map(row_of).collect();
    let mut new: Vec<usize> = (0..program.clients.len())
        .filter(|&c| !rows.iter().any(|r| r.client == c))
        .collect();
    new.sort_by(|&a, &b| program.clients[a].id.cmp(&program.clients[b].id));
    if new.is_empty() {
        return Ok(Placed {
            program,
            clients: Vec::new(),
        });
    }
    let base = fixed::fix(&program, &rows);
    let first = solve(&base, &new, &rows, &opts.solver)?;
    let mut clients = Vec::new();
    for (i, &c) in new.iter().enumerate() {
        let others: Vec<Row> = first
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != i)
            .flat_map(|(_, p)| p.entries.iter().map(row_of_entry))
            .collect();
        let around = fixed::fix(&base, &others);
        let mut found = vec![first[i].clone()];
        options::alternatives(&around, &rows, &mut found, opts)?;
        clients.push((c, found));
    }
    let unmet: Vec<usize> = clients
        .iter()
        .filter(|(_, found)| !found.iter().any(Placement::meets_level))
        .map(|&(c, _)| c)
        .collect();
    if !unmet.is_empty() {
        let moved = with_moves(&program, &published, &rows, &unmet, &opts.solver)?;
        for placement in moved.into_iter().filter(Placement::meets_level) {
            if let Some((_, found)) = clients.iter_mut().find(|(c, _)| *c == placement.client) {
                found.push(placement);
            }
        }
    }
    for (_, found) in &mut clients {
        options::rank(&program, found, opts.options);
    }
    Ok(Placed { program, clients })
}

/// The checker's verdict on the published roster: any broken rule stops placing.
/// Row order is left out: it does not change what the roster holds.
fn broken_rules(input_dir: &Path, opts: &PlaceOptions) -> Result<(), PlaceError> {
    // The checker reads appointments.csv itself; the flags matter only without it.
    let defaults = CheckOptions::default();
    let check_opts = CheckOptions {
        individual_minutes: opts
            .load
            .individual_minutes
            .unwrap_or(defaults.individual_minutes),
        physician_minutes: opts
            .load
            .physician_minutes
            .unwrap_or(defaults.physician_minutes),
    };
    let report = check::check(
        input_dir,
        &opts.roster,
        opts.monday,
        &check_opts,
        SummaryFiles::Ignored,
    );
    let broken: Vec<String> = report
        .unreadable
        .iter()
        .chain(report.violations.iter().filter(|v| v.rule != "sorting"))
        .map(ToString::to_string)
        .collect();
    if broken.is_empty() {
        Ok(())
    } else {
        Err(PlaceError::BrokenRoster(broken))
    }
}

fn row_of(item: &PreviousItem) -> Row {
    Row {
        client: item.client,
        activity: item.activity,
        session: item.session,
        staff: item.staff,
        interval: item.interval,
    }
}

fn row_of_entry(e: &Entry) -> Row {
    Row {
        client: e.client,
        activity: e.activity,
        session: e.session,
        staff: Some(e.staff),
        interval: e.interval,
    }
}

/// Solves `program` and reads off the weeks of `clients`, counting the published
/// clients whose week differs from `published`.
fn solve(
    program: &Program,
    clients: &[usize],
    published: &[Row],
    settings: &SolverSettings,
) -> Result<Vec<Placement>, PlaceError> {
    let schedule = crate::schedule(program, settings).map_err(PlaceError::Solve)?;
    let moved = moved_clients(&schedule.roster.entries, published);
    Ok(clients
        .iter()
        .map(|&c| Placement {
            client: c,
            entries: schedule
                .roster
                .entries
                .iter()
                .filter(|e| e.client == c)
                .cloned()
                .collect(),
            shortfall: schedule.weeks[c].shortfall.clone(),
            moved_clients: moved,
            reason: schedule.reasons[c].clone(),
        })
        .collect())
}

/// How many clients of the published roster have a different week in `entries`.
fn moved_clients(entries: &[Entry], published: &[Row]) -> usize {
    let mut clients: Vec<usize> = published.iter().map(|r| r.client).collect();
    clients.sort_unstable();
    clients.dedup();
    let week = |c: usize, rows: Vec<Row>| {
        let mut rows: Vec<_> = rows.into_iter().filter(|r| r.client == c).collect();
        rows.sort_by_key(|r| (r.interval, r.activity, r.session, r.staff));
        rows
    };
    let now: Vec<Row> = entries.iter().map(row_of_entry).collect();
    clients
        .into_iter()
        .filter(|&c| week(c, now.clone()) != week(c, published.to_vec()))
        .count()
}

/// The whole week solved once more with the published roster as last week's:
/// every client may move, as few as possible; the weeks of `clients` with the
/// number of published clients moved.
fn with_moves(
    program: &Program,
    published: &[PreviousItem],
    rows: &[Row],
    clients: &[usize],
    settings: &SolverSettings,
) -> Result<Vec<Placement>, PlaceError> {
    let mut open = program.clone();
    open.previous = published.to_vec();
    solve(&open, clients, rows, settings)
}

//! Intake: where can new clients go, around a roster that is already published?
//!
//! The clients of clients.csv with no row in the published roster are placed
//! jointly (two new clients never get the same last seat) in a model of the new
//! clients alone ([`plan`]): every published client keeps their week exactly, and
//! their seats, running sessions and staff time are fixed around it ([`fixed`]), so
//! the solve does not grow with the site. Further options for each new client come
//! from solving again with an earlier option's main choice (its track, one of its
//! days) made busy for that client, the other new clients held at their first
//! option ([`options`]). When no such option meets the level, a few published
//! clients who hold what the new client could use are opened up to move, as few
//! as possible ([`moves`]), and the clients moved are counted.

mod fixed;
mod moves;
mod options;
mod plan;
mod render;

pub use render::{placements_csv, summary};

use crate::candidates::Candidates;
use crate::check::{self, CheckOptions, SummaryFiles};
use crate::domain::{ClientIx, PreviousItem, Program};
use crate::input::{self, InputErrors, LoadSettings};
use crate::model::AloneBound;
use crate::pins::PinConflict;
use crate::roster::{Entry, Roster};
use crate::solve::{SolveError, SolverSettings};
use crate::tally::Shortfall;
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
    pub client: ClientIx,
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
    pub clients: Vec<(ClientIx, Vec<Placement>)>,
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
    PinConflicts(Vec<PinConflict>),
    Solve(SolveError),
}

impl fmt::Display for PlaceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (lines, what): (Vec<String>, &str) = match self {
            PlaceError::Input(e) => (vec![e.to_string()], "input problem(s)"),
            PlaceError::Roster(e) => (vec![e.to_string()], "problem(s) in the published roster"),
            PlaceError::BrokenRoster(v) => (v.clone(), "rule(s) broken by the published roster"),
            PlaceError::PinConflicts(v) => (
                v.iter().map(ToString::to_string).collect(),
                "pin conflict(s)",
            ),
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
    let mut program = input::load(input_dir, opts.monday, &opts.load).map_err(PlaceError::Input)?;
    let conflicts = crate::pins::conflicts(&program, &Candidates::build(&program));
    if !conflicts.is_empty() {
        return Err(PlaceError::PinConflicts(conflicts));
    }
    let published = input::previous(&opts.roster, &program).map_err(PlaceError::Roster)?;
    broken_rules(input_dir, opts)?;
    // Last week's roster plays no part: the published one is this week's.
    program.previous.clear();
    let rows: Vec<Row> = published.iter().map(row_of).collect();
    let mut new: Vec<ClientIx> = program
        .client_ixs()
        .filter(|&c| !rows.iter().any(|r| r.client == c))
        .collect();
    new.sort_unstable();
    if new.is_empty() {
        return Ok(Placed {
            program,
            clients: Vec::new(),
        });
    }
    let cands = Candidates::build(&program);
    let bounds = new_client_bounds(&program, &cands, &new, &opts.solver)?;
    let first = plan::plan(&program, &cands, &bounds, &rows, &new, &opts.solver)?;
    let mut clients = Vec::new();
    for &c in &new {
        // The other new clients are held at their first option.
        let held: Vec<Row> = first
            .entries
            .iter()
            .filter(|e| e.client != c)
            .map(row_of_entry)
            .collect();
        let mut found = vec![placement(&program, &cands, &bounds, &first, c, 0)];
        options::alternatives(&program, &bounds, &held, &mut found, opts)?;
        let can_meet = bounds[c.0].can_meet;
        if can_meet && !found.iter().any(Placement::meets_level) {
            let mut open = program.clone();
            open.previous = published.clone();
            found.extend(moves::with_moves(&open, &cands, &bounds, &held, c, opts)?);
        }
        options::rank(&program, &mut found, opts.options);
        clients.push((c, found));
    }
    clients.sort_by(|a, b| program.client(a.0).id.cmp(&program.client(b.0).id));
    Ok(Placed { program, clients })
}

/// The alone analysis of the new clients only (who can meet their level at all,
/// the fewest minutes each must miss); published clients are not re-planned.
fn new_client_bounds(
    program: &Program,
    cands: &Candidates,
    new: &[ClientIx],
    settings: &SolverSettings,
) -> Result<Vec<AloneBound>, PlaceError> {
    let mut flags = vec![false; program.clients.len()];
    for &c in new {
        flags[c.0] = true;
    }
    let seconds = settings.time_limit.min(ALONE_SECONDS);
    crate::solve::alone_bounds(program, cands, &flags, seconds, settings).map_err(PlaceError::Solve)
}

/// Longest one new client's alone analysis may take.
const ALONE_SECONDS: f64 = 5.0;

/// Client `c`'s week in `roster`, as an option that moves `moved` published clients.
fn placement(
    program: &Program,
    cands: &Candidates,
    bounds: &[AloneBound],
    roster: &Roster,
    c: ClientIx,
    moved: usize,
) -> Placement {
    let week = roster.client_week(program, c);
    let reason = (!week.shortfall.is_met())
        .then(|| crate::explain::reason(program, cands, &bounds[c.0], roster, c, &week));
    Placement {
        client: c,
        entries: roster
            .entries
            .iter()
            .filter(|e| e.client == c)
            .cloned()
            .collect(),
        shortfall: week.shortfall,
        moved_clients: moved,
        reason,
    }
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

//! Intake and what-if on the server: a new client tried in a scratch copy of the
//! input folder (placements), admitted into the real one, and a proposed session
//! added to sessions.csv. Every write is checked by loading a scratch copy first.

use super::files::{self, InputFile};
use super::state::{lock, App, ServeError};
use crate::input;
use crate::place::{self, PlaceError, PlaceOptions, Placed};
use crate::week::WeekError;
use crate::whatif::{self, Whatif, WhatifOptions};
use serde::Deserialize;
use std::path::Path;
use std::sync::Arc;

/// A new client as the intake form sends it: cells of clients.csv and
/// client_busy.csv, checked by the loader like any typed row.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NewClient {
    pub client_id: String,
    pub level: String,
    pub site: String,
    pub track: String,
    pub primary_therapist: String,
    pub gender: String,
    pub tags: String,
    pub stage: String,
    pub travel_minutes: String,
    pub busy: Vec<BusyBlock>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BusyBlock {
    pub day: String,
    pub start: String,
    pub end: String,
    pub reason: String,
}

/// Most busy blocks one form may carry.
const MOST_BUSY: usize = 50;

impl NewClient {
    /// The rows to append, per file; a cell may not hold a line break.
    fn rows(&self) -> Result<Vec<FileRows>, ServeError> {
        let client = vec![
            ("client_id", self.client_id.trim().to_string()),
            ("level", self.level.clone()),
            ("site", self.site.clone()),
            ("track", self.track.clone()),
            ("primary_therapist", self.primary_therapist.clone()),
            ("gender", self.gender.clone()),
            ("tags", self.tags.clone()),
            ("stage", self.stage.clone()),
            ("travel_minutes", self.travel_minutes.clone()),
        ];
        if self.busy.len() > MOST_BUSY {
            return Err(ServeError::BadRequest(format!(
                "{} busy blocks (expected at most {MOST_BUSY})",
                self.busy.len()
            )));
        }
        let busy: Vec<_> = self
            .busy
            .iter()
            .map(|b| {
                vec![
                    ("client_id", self.client_id.trim().to_string()),
                    ("day", b.day.clone()),
                    ("start", b.start.clone()),
                    ("end", b.end.clone()),
                    ("reason", b.reason.clone()),
                ]
            })
            .collect();
        let all = client.iter().chain(busy.iter().flatten());
        if all.clone().any(|(_, v)| v.contains(['\n', '\r'])) {
            return Err(ServeError::BadRequest("a value holds a line break".into()));
        }
        let mut out = vec![(InputFile::Clients, vec![client])];
        if !busy.is_empty() {
            out.push((InputFile::ClientBusy, busy));
        }
        Ok(out)
    }
}

/// Rows to append to one input file, each as (column, cell) pairs.
type FileRows = (InputFile, Vec<Vec<(&'static str, String)>>);
type Rows = [FileRows];

/// A scratch copy of the input folder with `rows` appended, checked by the loader.
fn scratch_with(app: &App, rows: &Rows) -> Result<tempfile::TempDir, ServeError> {
    let failed = |e: std::io::Error| ServeError::Failed(format!("scratch copy: {e}"));
    let scratch = tempfile::tempdir().map_err(failed)?;
    files::copy_inputs(&app.opts.input_dir, scratch.path()).map_err(failed)?;
    for (file, rows) in rows {
        files::append_rows(scratch.path(), *file, rows).map_err(failed)?;
    }
    input::load(scratch.path(), app.opts.monday, &app.opts.load)
        .map_err(|errors| ServeError::Invalid(errors.0))?;
    Ok(scratch)
}

fn place_options(app: &App, roster: &Path) -> PlaceOptions {
    PlaceOptions {
        monday: app.opts.monday,
        load: app.opts.load.clone(),
        roster: roster.to_path_buf(),
        options: 3,
        solver: app.week_options(app.opts.time_limit.min(10.0)).solver,
    }
}

fn placed_error(error: PlaceError) -> ServeError {
    match error {
        PlaceError::Input(e) | PlaceError::Roster(e) => ServeError::Invalid(e.0),
        other => ServeError::Failed(other.to_string()),
    }
}

fn published(app: &App) -> Result<std::path::PathBuf, ServeError> {
    app.published().ok_or_else(|| {
        ServeError::NotYet("no published roster yet: solve and publish first".into())
    })
}

/// Ranked placements of a new client around the published roster.
pub fn place_new(app: &App, client: &NewClient) -> Result<Placed, ServeError> {
    let roster = published(app)?;
    let scratch = scratch_with(app, &client.rows()?)?;
    place::place(scratch.path(), &place_options(app, &roster)).map_err(placed_error)
}

/// Other options of a published client: intake with their rows taken out.
pub fn other_options(app: &App, client_id: &str) -> Result<Placed, ServeError> {
    let roster = published(app)?;
    let scratch = scratch_with(app, &[])?;
    let mine = scratch.path().join("published_roster.csv");
    files::roster_without(&roster, client_id, &mine)
        .map_err(|e| ServeError::Failed(format!("published roster: {e}")))?;
    place::place(scratch.path(), &place_options(app, &mine)).map_err(placed_error)
}

/// Appends rows to the real input files once a scratch copy with them loads; a
/// failure part-way puts the files already changed back.
fn append_checked(app: &App, rows: &Rows) -> Result<(), ServeError> {
    let _files = lock(&app.files);
    scratch_with(app, rows)?;
    let dir = &app.opts.input_dir;
    let mut done = Vec::new();
    for (file, file_rows) in rows {
        match files::append_rows(dir, *file, file_rows) {
            Ok(original) => done.push(original),
            Err(error) => {
                for original in done.iter().rev() {
                    let _ = files::restore(dir, original);
                }
                return Err(ServeError::Failed(format!(
                    "writing {}: {error}",
                    file.name()
                )));
            }
        }
    }
    Ok(())
}

/// Admits a new client (clients.csv and client_busy.csv) and re-solves.
/// Returns whether a solve was started (false when one was already running).
pub fn admit(app: &Arc<App>, client: &NewClient) -> Result<bool, ServeError> {
    append_checked(app, &client.rows()?)?;
    eprintln!("serve: admitted {}", client.client_id.trim());
    Ok(app.start_solve().is_ok())
}

/// The what-if proposals for the input as it is (computed once per input).
pub fn whatif(app: &App) -> Result<Arc<Whatif>, ServeError> {
    let fingerprint = app.fingerprint();
    if let Some((at, cached)) = lock(&app.whatif).as_ref() {
        if *at == fingerprint {
            return Ok(cached.clone());
        }
    }
    // The `whatif` command's defaults (10 s a solve, 12 candidates), capped by --time-limit.
    let options = WhatifOptions {
        week: app.week_options(app.opts.time_limit.min(10.0)),
        top: 5,
        candidates: 12,
    };
    let result = whatif::whatif(&app.opts.input_dir, &options).map_err(|error| match error {
        WeekError::Input(e) | WeekError::Previous(e) => ServeError::Invalid(e.0),
        other => ServeError::Failed(other.to_string()),
    })?;
    let result = Arc::new(result);
    *lock(&app.whatif) = Some((fingerprint, result.clone()));
    Ok(result)
}

/// Appends what-if proposal `rank` (1 = best) to sessions.csv.
pub fn add_session(app: &App, rank: usize) -> Result<String, ServeError> {
    let fingerprint = app.fingerprint();
    let cached = lock(&app.whatif).clone();
    let Some((_, result)) = cached.filter(|(at, _)| *at == fingerprint) else {
        return Err(ServeError::NotYet(
            "the inputs changed since the proposals were made: open What-if again".into(),
        ));
    };
    let proposal = rank
        .checked_sub(1)
        .and_then(|i| result.proposals.get(i))
        .ok_or_else(|| ServeError::BadRequest(format!("no proposal ranked {rank}")))?;
    let row = whatif::session_columns(&result.program, &proposal.session);
    append_checked(app, &[(InputFile::Sessions, vec![row])])?;
    Ok(proposal.session.id.to_string())
}

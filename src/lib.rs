//! iopsched: the weekly roster optimizer of an Intensive Outpatient Program.
//!
//! The pipeline, in the order data flows:
//! 1. [`input::load`] reads the contract's CSV files into a typed [`domain::Program`];
//! 2. [`candidates::Candidates`] lists what each client could possibly attend;
//! 3. [`solve::alone_bounds`] solves each client alone (who can meet their level at all);
//! 4. [`model::Model`] builds the integer program and [`solve::lexicographic`] solves it;
//! 5. [`roster::Roster`] reads the roster off the solution, [`explain`] says why a
//!    client is short, and [`output`] writes the CSV files and the [`report`]s.
//!
//! [`week::solve_week`] runs steps 1-5 for an input folder (previous roster, one
//! site, pins checked first); the commands and tests call it.

pub mod anytime;
pub mod billing;
pub mod candidates;
pub mod changes;
pub mod check;
pub mod cmd;
pub mod domain;
pub mod explain;
pub mod generate;
pub mod hash;
pub mod heuristic;
pub mod input;
pub mod intervals;
pub mod ix;
pub mod lint;
pub mod model;
pub mod output;
pub mod pins;
pub mod place;
pub mod progress;
pub mod publish;
pub mod report;
pub mod roster;
pub mod run_record;
pub mod serve;
pub mod sites;
pub mod solve;
pub mod tally;
pub mod time;
mod watch;
pub mod week;
pub mod whatif;

use candidates::Candidates;
use domain::{ClientIx, Program};
use ix::IxVec;
use model::{AloneBound, Model};
use rayon::prelude::*;
use roster::{ClientWeek, Roster};
use solve::{SolveError, SolverSettings, StageReport, StageStatus};
use std::time::Instant;

/// A solved week: the roster, what each client got, and how the solve went.
pub struct Schedule {
    pub roster: Roster,
    /// Per client, indexed like [`Program::clients`].
    pub weeks: Vec<ClientWeek>,
    /// Per client: why they are short (`None` when met).
    pub reasons: Vec<Option<String>>,
    pub stages: Vec<StageReport>,
    /// Changes from last week's roster (empty without one).
    pub changes: Vec<changes::Change>,
    /// Clients met by the constructive start roster, before the MIP.
    pub start_met: usize,
    pub columns: usize,
    pub rows: usize,
    pub seconds: f64,
}

/// Schedules one program: the whole pipeline after loading. Independent parts
/// (usually sites) are solved in parallel, each within its share of the time limit.
pub fn schedule(program: &Program, settings: &SolverSettings) -> Result<Schedule, SolveError> {
    let clock = Instant::now();
    let cands = Candidates::build(program);
    let parts = sites::independent_parts(program, &cands);
    let threads = rayon::current_num_threads().max(1) as f64;
    // Called from a rayon worker, this is one of several weeks solved at once
    // (what-if's candidates): their solves take the other cores.
    let alone = rayon::current_thread_index().is_none();
    let total = program.clients.len().max(1) as f64;
    settings.report(|p| p.begin(program.clients.len(), settings.time_limit, parts.len()));
    let sizes: Vec<usize> = parts.iter().map(Vec::len).collect();
    let left = settings.time_limit - clock.elapsed().as_secs_f64();
    let shares = anytime::Shares::new(&sizes, left, threads);
    let schedules = parts
        .par_iter()
        .enumerate()
        .map(|(i, part)| {
            let budget = SolverSettings {
                time_limit: shares.begin(i, part.len()).max(1.0),
                progress: settings.progress.as_ref().map(|p| p.for_part(i)),
                ..settings.clone()
            };
            // A part with more than a thread's share of the clients outlasts all
            // the others together: a core is left to its LP bound.
            let spare = alone && threads > 1.0 && part.len() as f64 * threads > total;
            let schedule = schedule_part(&sites::with_clients(program, part), &budget, spare);
            shares.end(i);
            budget.report(|p| p.part_done());
            schedule
        })
        .collect::<Result<Vec<_>, _>>();
    settings.report(|p| p.finish());
    let mut merged = merge(program, &parts, schedules?);
    merged.seconds = clock.elapsed().as_secs_f64();
    Ok(merged)
}

/// Schedules a program as one problem. With `spare`, a second core solves the
/// whole model's "clients met" LP while this one builds the start and searches.
fn schedule_part(
    program: &Program,
    settings: &SolverSettings,
    spare: bool,
) -> Result<Schedule, SolveError> {
    let clock = Instant::now();
    let budget = anytime::Budget::of(settings);
    let cands = Candidates::build(program);
    let counted = AloneBound::counted_all(program, &cands);
    let first = Model::whole(program, &cands, &counted);
    let lp = anytime::SpareBound::new(spare);
    let (model, mut solved, bounds, start_met) = std::thread::scope(|scope| {
        if spare {
            lp.solve_beside(scope, &first, &budget, settings);
        }
        // The second core, when this part has it, plans beside the start
        // whenever the LP bound does not run on it.
        let second_core = || lp.core_free();
        let (start, bounds) = start_and_bounds(
            program,
            &cands,
            &first,
            &counted,
            &budget,
            settings,
            &second_core,
        )?;
        let model = std::sync::Arc::new(Model::whole(program, &cands, &bounds));
        lp.refine(model.clone());
        let start_met = model.eval(&start, &model.objectives.met).round() as usize;
        settings.report(|p| p.met(start_met));
        let remaining = SolverSettings {
            time_limit: budget.left(),
            ..settings.clone()
        };
        let solved = anytime::improve(&model, &bounds, start, &remaining, &lp)?;
        Ok::<_, SolveError>((model, solved, bounds, start_met))
    })?;
    settings.report(|p| p.met(model.eval(&solved.values, &model.objectives.met).round() as usize));
    // The priorities not asked for were not optimized: no report claims them.
    solved.stages.truncate(settings.priorities);
    let mut at =
        clock.elapsed().as_secs_f64() - solved.stages.iter().map(|s| s.seconds).sum::<f64>();
    for stage in &mut solved.stages {
        at += stage.seconds;
        stage.finished_at = at;
    }
    if model.impossible_pins > 0 {
        let why = "a pinned item cannot be offered at all";
        return Err(SolveError::Infeasible(why.to_string()));
    }
    if !model.satisfied(&solved.values) {
        // Only pins can make the hard rules unsatisfiable. HiGHS returning before
        // the time was up without a roster means it proved there is none; running
        // out of time proves nothing, and then the pins are not blamed.
        let time_left = settings.time_limit - clock.elapsed().as_secs_f64();
        if time_left < 0.25 * settings.time_limit.min(4.0) {
            return Err(SolveError::NotFound(settings.time_limit));
        }
        let why = "e.g. a pinned day below the daily minimum, a pinned session below min_size, or a staff member pinned twice";
        return Err(SolveError::Infeasible(why.to_string()));
    }
    let roster = Roster::from_solution(program, &cands, &model, &solved.values);
    let weeks: Vec<ClientWeek> = program
        .client_ixs()
        .map(|c| roster.client_week(program, c))
        .collect();
    let reasons = program
        .client_ixs()
        .zip(&weeks)
        .map(|(c, week)| {
            (!week.shortfall.is_met())
                .then(|| explain::reason(program, &cands, &bounds[c.0], &roster, c, week))
        })
        .collect();
    Ok(Schedule {
        changes: changes::changes(program, &cands, &roster),
        roster,
        weeks,
        reasons,
        stages: solved.stages,
        start_met,
        columns: model.num_columns(),
        rows: model.rows.len(),
        seconds: clock.elapsed().as_secs_f64(),
    })
}

/// Share of the time the start may use at most. It only binds when the start
/// cannot plan every client in time, and then planning the rest is worth more
/// than searching around a half-planned roster.
const START_SHARE: f64 = 0.9;
/// Share of the time left after the start that the per-client pre-analysis may use.
const ALONE_SHARE: f64 = 0.15;
/// Longest the per-client pre-analysis may take in all.
const ALONE_SECONDS: f64 = 30.0;

/// The start roster, then the per-client pre-analysis of the clients it leaves
/// short (who is hopeless even alone, and the fewest minutes each must miss).
/// Clients met by the start can meet their level, so they need no analysis; the
/// start's columns are the same in the model built with the bounds.
fn start_and_bounds(
    program: &Program,
    cands: &Candidates,
    first: &Model,
    counted: &[AloneBound],
    budget: &anytime::Budget,
    settings: &SolverSettings,
    second_core: anytime::SecondCore,
) -> Result<(Vec<f64>, Vec<AloneBound>), SolveError> {
    let quick = first.start_values(&heuristic::construct(program, cands, counted, first));
    let share = budget.share(START_SHARE);
    let start = anytime::start(first, counted, quick, &share, settings, second_core)?;
    let short: Vec<bool> = first
        .clients
        .iter()
        .map(|cv| first.value(&start, cv.met) < 0.5)
        .collect();
    settings.report(|p| p.stage("pre-analysis"));
    let seconds = (budget.left() * ALONE_SHARE).min(ALONE_SECONDS);
    let solved = solve::alone_bounds(program, cands, &short, seconds, settings)?;
    let bounds = solved
        .into_iter()
        .zip(counted.iter().copied())
        .map(|(a, b)| a.and(b))
        .collect();
    Ok((start, bounds))
}

/// Puts the schedules of independent parts back together, in the program's indices.
/// Stage objectives and bounds add up; a stage is optimal when it is in every part.
fn merge(program: &Program, parts: &[Vec<ClientIx>], schedules: Vec<Schedule>) -> Schedule {
    let clients = program.clients.len();
    let mut roster = Roster {
        entries: Vec::new(),
        enrolled: IxVec::from_elem(0, program.sessions.len()),
        facilitator: program.sessions.iter().map(|s| s.facilitator).collect(),
    };
    let mut weeks = vec![None; clients];
    let mut reasons = vec![None; clients];
    let mut changes = Vec::new();
    let mut stages: Vec<StageReport> = Vec::new();
    let (mut columns, mut rows, mut start_met) = (0, 0, 0);
    for (part, schedule) in parts.iter().zip(schedules) {
        for mut change in schedule.changes {
            change.client = part[change.client.0];
            changes.push(change);
        }
        for mut entry in schedule.roster.entries {
            entry.client = part[entry.client.0];
            roster.entries.push(entry);
        }
        for (s, &n) in schedule.roster.enrolled.iter_enumerated() {
            if n > 0 {
                roster.enrolled[s] += n;
                roster.facilitator[s] = schedule.roster.facilitator[s];
            }
        }
        let per_client = schedule.weeks.into_iter().zip(schedule.reasons);
        for (i, (week, reason)) in per_client.enumerate() {
            weeks[part[i].0] = Some(week);
            reasons[part[i].0] = reason;
        }
        merge_stages(&mut stages, schedule.stages);
        columns += schedule.columns;
        rows += schedule.rows;
        start_met += schedule.start_met;
    }
    roster.sort(program);
    Schedule {
        changes,
        roster,
        weeks: weeks
            .into_iter()
            .map(|w| w.expect("every client is in exactly one part"))
            .collect(),
        reasons,
        stages,
        start_met,
        columns,
        rows,
        seconds: 0.0,
    }
}

/// Adds one part's stage reports to the running totals.
fn merge_stages(total: &mut Vec<StageReport>, part: Vec<StageReport>) {
    if total.is_empty() {
        *total = part;
        return;
    }
    for (t, p) in total.iter_mut().zip(part) {
        t.objective += p.objective;
        t.bound += p.bound;
        t.seconds = t.seconds.max(p.seconds);
        t.finished_at = t.finished_at.max(p.finished_at);
        // The weakest status of any part holds for the whole.
        if p.status == StageStatus::TimeLimit || t.status == StageStatus::Optimal {
            t.status = p.status;
        }
    }
}

//! Further options for one new client, and their ranking.
//!
//! An option is made meaningfully different by making an earlier option's main
//! choice busy for the client and solving again: first its track (every session of
//! that track), then each of its program days in turn. Options that come out the
//! same as an earlier one, or empty, are dropped.

use super::fixed::{self, Row};
use super::plan::plan;
use super::{placement, PlaceError, PlaceOptions, Placement};
use crate::candidates::Candidates;
use crate::domain::{Activity, Program, Track};
use crate::model::AloneBound;
use crate::time::{Day, Interval, DAY_MINUTES};

/// Adds up to `opts.options - 1` alternatives to `found` (which holds option 1),
/// planning `found[0].client` alone around the rows `held` (the published roster
/// and the other new clients' first options).
pub(super) fn alternatives(
    program: &Program,
    bounds: &[AloneBound],
    held: &[Row],
    found: &mut Vec<Placement>,
    opts: &PlaceOptions,
) -> Result<(), PlaceError> {
    let first = found[0].clone();
    let client = first.client;
    for (intervals, why) in restrictions(program, &first) {
        if found.len() >= opts.options {
            break;
        }
        let mut restricted = program.clone();
        fixed::forbid(&mut restricted, client, &intervals, &why);
        let cands = Candidates::build(&restricted);
        let roster = plan(&restricted, &cands, bounds, held, &[client], &opts.solver)?;
        let mut option = placement(&restricted, &cands, bounds, &roster, client, 0);
        // The block was ours, not the client's: the binding cause is option 1's.
        if option.reason.is_some() {
            option.reason = first
                .reason
                .clone()
                .or_else(|| Some(format!("{why} to differ from option 1")));
        }
        let same = |p: &Placement| p.entries == option.entries;
        if !option.entries.is_empty() && !found.iter().any(same) {
            found.push(option);
        }
    }
    Ok(())
}

/// What to make busy for each alternative, with the reason shown in explanations.
fn restrictions(program: &Program, first: &Placement) -> Vec<(Vec<Interval>, String)> {
    let mut out = Vec::new();
    if let Some(track) = main_track(program, first) {
        let sessions: Vec<Interval> = program
            .sessions
            .iter()
            .filter(|s| s.track == track)
            .map(|s| s.interval)
            .collect();
        let why = format!("kept off the {} track", track.as_str());
        out.push((sessions, why));
    }
    let mut days: Vec<Day> = first.entries.iter().map(|e| e.interval.day()).collect();
    days.dedup();
    for day in days {
        let whole = Interval::on_day(day, 0, DAY_MINUTES).expect("a whole day");
        out.push((vec![whole], format!("kept off {day}")));
    }
    out
}

/// The track of most of an option's group minutes.
fn main_track(program: &Program, option: &Placement) -> Option<Track> {
    let minutes = |track: Track| -> u32 {
        option
            .entries
            .iter()
            .filter(|e| e.session.is_some_and(|s| program.session(s).track == track))
            .map(|e| e.interval.minutes())
            .sum()
    };
    let (day, night) = (minutes(Track::Day), minutes(Track::Night));
    match (day, night) {
        (0, 0) => None,
        _ if night > day => Some(Track::Night),
        _ => Some(Track::Day),
    }
}

/// Best first: meets the level, fewest published clients moved, fewest group
/// minutes against the track preference, fewest distinct group start times (a
/// steady weekly slot); ties keep the order found. Keeps at most `n`.
pub(super) fn rank(program: &Program, options: &mut Vec<Placement>, n: usize) {
    let key = |p: &Placement| {
        let client = program.client(p.client);
        let groups = p.entries.iter().filter(|e| e.activity == Activity::Group);
        let against: u32 = groups
            .clone()
            .filter(|e| {
                e.session
                    .is_some_and(|s| client.track.dislikes(program.session(s).track))
            })
            .map(|e| e.interval.minutes())
            .sum();
        let mut starts: Vec<u32> = groups.map(|e| e.interval.start_of_day()).collect();
        starts.sort_unstable();
        starts.dedup();
        (!p.meets_level(), p.moved_clients, against, starts.len())
    };
    options.sort_by_key(|p| key(p));
    options.truncate(n.max(1));
}

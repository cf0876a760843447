//! Programs from an independent generator, written from the contract alone
//! (`tests/fixtures/foreign`, see its README): other shapes, other spellings and a
//! hand-made last week. Every roster they get passes the checker, at a short time
//! limit too.

use crate::workdir::{stderr, Workdir};
use std::path::Path;

fn fixture(name: &str) -> Workdir {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/foreign");
    Workdir::copy_of(&dir.join(name))
}

/// Solves within `seconds`; the run must write a roster (everyone met or not).
fn solve(wd: &Workdir, name: &str, seconds: &str) {
    let out = wd.solve(&["--time-limit", seconds]);
    assert!(
        matches!(out.status.code(), Some(0 | 3)),
        "{name}: {}",
        stderr(&out)
    );
}

/// Clients with status `met` in client_summary.csv.
fn met(wd: &Workdir) -> usize {
    let summary = wd.rows("client_summary.csv");
    summary.iter().filter(|r| r["status"] == "met").count()
}

#[test]
fn every_independent_program_gets_a_roster_the_checker_accepts_in_5_s() {
    for name in [
        "kinds-30-2",
        "split-30-2",
        "mixed-30-1",
        "nights-30-2",
        "tight-120-2",
        "split-120-2",
    ] {
        let wd = fixture(name);
        solve(&wd, name, "5");
        wd.assert_valid();
        assert!(met(&wd) > 0, "{name}: nobody met");
    }
}

/// Hours short in all, from client_summary.csv's shortfall (`hours=2.5;...`).
fn hours_short(wd: &Workdir) -> f64 {
    let summary = wd.rows("client_summary.csv");
    let hours = summary.iter().flat_map(|r| {
        let parts: Vec<String> = r["shortfall"].split(';').map(str::to_string).collect();
        parts
            .into_iter()
            .filter_map(|p| p.strip_prefix("hours=")?.parse::<f64>().ok())
    });
    hours.sum()
}

/// The week solved again with its own roster as last week's: a client's week
/// changes only so that more clients meet their level or fewer hours are short.
#[test]
fn a_week_solved_again_from_its_own_roster_moves_nobody_for_nothing() {
    for name in ["kinds-30-2", "split-30-2"] {
        let wd = fixture(name);
        solve(&wd, name, "10");
        let (met_before, short_before) = (met(&wd), hours_short(&wd));
        std::fs::copy(
            wd.out().join("roster.csv"),
            wd.input().join("previous_roster.csv"),
        )
        .unwrap();
        solve(&wd, name, "5");
        wd.assert_valid();
        let (met_after, short_after) = (met(&wd), hours_short(&wd));
        let gained = met_after > met_before || short_after < short_before - 0.01;
        let changes = wd.rows("changes.csv");
        assert!(
            changes.is_empty() || gained,
            "{name}: {} change(s), met {met_before} -> {met_after}, {short_before} -> {short_after} h short",
            changes.len()
        );
        assert!(
            met_after >= met_before,
            "{name}: met {met_before} -> {met_after}"
        );
    }
}

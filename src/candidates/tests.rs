//! Candidate generation, tested on generated programs.

use super::*;
use crate::generate::{write_program, GenerateSpec};
use crate::input::{load, LoadSettings};
use std::path::Path;

fn load_dir(dir: &Path) -> Program {
    let monday = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    load(dir, monday, &LoadSettings::default()).unwrap()
}

/// Drops the rows of `client` from a CSV file of the input folder.
fn without(dir: &Path, file: &str, client: &str) {
    let text = std::fs::read_to_string(dir.join(file)).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with(&format!("{client},")))
        .collect();
    std::fs::write(dir.join(file), kept.join("\n") + "\n").unwrap();
}

/// A discharge must not change what anyone else may be offered: otherwise
/// last week's appointments vanish from the options of clients listed below
/// the one who left, and the re-solve moves them.
#[test]
fn a_clients_options_do_not_depend_on_who_else_is_listed() {
    let dir = tempfile::tempdir().unwrap();
    let spec = GenerateSpec {
        clients: 60,
        sites: 1,
        seed: 1,
        messy: false,
        kinds: true,
    };
    write_program(&spec, dir.path()).unwrap();
    let before = load_dir(dir.path());
    let gone = before.clients[0].id.0.clone();
    without(dir.path(), "clients.csv", &gone);
    without(dir.path(), "client_busy.csv", &gone);
    let after = load_dir(dir.path());
    let (a, b) = (Candidates::build(&before), Candidates::build(&after));
    let pooled = (0..before.clients.len())
        .filter(|&c| {
            let staff: std::collections::BTreeSet<StaffIx> =
                a.clients[c].appointments.iter().map(|x| x.staff).collect();
            staff.len() > 1
        })
        .count();
    assert!(pooled > 0, "some clients see a pool of staff");
    for c in 1..before.clients.len() {
        assert_eq!(
            a.clients[c].appointments,
            b.clients[c - 1].appointments,
            "{}",
            before.clients[c].id
        );
    }
}

//! Week over week: a nightly re-run with last week's roster moves nobody who does
//! not have to move.

mod common;

use common::workdir::{stderr, Workdir};
use std::path::Path;

fn example() -> Workdir {
    Workdir::copy_of(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data/example"))
}

/// Solves, then keeps the roster as `previous_roster.csv` of the input folder.
fn solve_and_keep(wd: &Workdir) {
    let out = wd.solve(&[]);
    assert!(matches!(out.status.code(), Some(0 | 3)), "{}", stderr(&out));
    wd.file("previous_roster.csv", &wd.read_out("roster.csv"));
}

/// Clients with a `moved` or `dropped` row in changes.csv.
fn moved_clients(wd: &Workdir) -> Vec<String> {
    let mut ids: Vec<String> = wd
        .rows("changes.csv")
        .into_iter()
        .filter(|r| r["change"] != "added")
        .map(|r| r["client_id"].clone())
        .collect();
    ids.dedup();
    ids
}

fn append(wd: &Workdir, file: &str, rows: &str) {
    let path = wd.input().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(path, format!("{text}{rows}")).unwrap();
}

#[test]
fn one_admission_moves_nobody_else() {
    let wd = example();
    solve_and_keep(&wd);
    append(&wd, "clients.csv", "C041,IOP,,night,T4,f,,early,15\n");
    let busy: String = ["Mon", "Tue", "Wed", "Thu", "Fri"]
        .iter()
        .map(|d| format!("C041,{d},08:00,16:00,work\n"))
        .collect();
    append(&wd, "client_busy.csv", &busy);
    let out = wd.solve(&[]);
    assert!(matches!(out.status.code(), Some(0 | 3)), "{}", stderr(&out));
    wd.assert_valid();
    assert_eq!(moved_clients(&wd), Vec::<String>::new());
    assert_eq!(wd.summary_of("C041")["status"], "met");
}

#[test]
fn one_discharge_moves_nobody_else() {
    let wd = example();
    solve_and_keep(&wd);
    let clients = std::fs::read_to_string(wd.input().join("clients.csv")).unwrap();
    let without: String = clients
        .lines()
        .filter(|l| !l.starts_with("C005,"))
        .map(|l| format!("{l}\n"))
        .collect();
    wd.file("clients.csv", &without);
    let busy = std::fs::read_to_string(wd.input().join("client_busy.csv")).unwrap();
    let busy: String = busy
        .lines()
        .filter(|l| !l.starts_with("C005,"))
        .map(|l| format!("{l}\n"))
        .collect();
    wd.file("client_busy.csv", &busy);
    let out = wd.solve(&[]);
    assert!(matches!(out.status.code(), Some(0 | 3)), "{}", stderr(&out));
    wd.assert_valid();
    assert_eq!(moved_clients(&wd), Vec::<String>::new());
}

#[test]
fn a_session_gone_from_the_catalog_is_a_change_with_its_reason() {
    let wd = example();
    solve_and_keep(&wd);
    // Some client attended D-MON-A last week; this week it is not offered.
    let sessions = std::fs::read_to_string(wd.input().join("sessions.csv")).unwrap();
    let without: String = sessions
        .lines()
        .filter(|l| !l.starts_with("D-MON-A,"))
        .map(|l| format!("{l}\n"))
        .collect();
    wd.file("sessions.csv", &without);
    let out = wd.solve(&[]);
    assert!(matches!(out.status.code(), Some(0 | 3)), "{}", stderr(&out));
    wd.assert_valid();
    let rows = wd.rows("changes.csv");
    let gone: Vec<_> = rows
        .iter()
        .filter(|r| r["from"].contains("D-MON-A"))
        .collect();
    assert!(!gone.is_empty(), "{rows:?}");
    assert!(
        gone.iter()
            .all(|r| r["reason"].contains("not in this week's catalog")),
        "{gone:?}"
    );
}

#[test]
fn same_inputs_and_previous_roster_give_identical_outputs() {
    let first = example();
    solve_and_keep(&first);
    first.solve(&[]);
    let second = example();
    let previous = std::fs::read_to_string(first.input().join("previous_roster.csv")).unwrap();
    second.file("previous_roster.csv", &previous);
    second.solve(&[]);
    for file in [
        "roster.csv",
        "client_summary.csv",
        "sessions_summary.csv",
        "changes.csv",
    ] {
        assert_eq!(
            first.read_out(file),
            second.read_out(file),
            "{file} differs"
        );
    }
}

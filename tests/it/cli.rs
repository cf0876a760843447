//! The command line as cron sees it: exit codes, error reports, nothing half-written.

use crate::workdir::{stderr, Workdir, LEVELS};

fn valid_program() -> Workdir {
    let wd = Workdir::new();
    wd.file("levels.csv", LEVELS)
        .file("clients.csv", "client_id,level\nC1,OP\n")
        .file("staff.csv", "staff_id,role\nT1,therapist\n")
        .file(
            "staff_availability.csv",
            "staff_id,day,start,end\nT1,Mon,09:00,17:00\n",
        )
        .file(
            "sessions.csv",
            "session_id,day,start,end,capacity,facilitator\nG1,Mon,10:00,12:00,8,T1\n",
        );
    wd
}

#[test]
fn every_input_problem_is_reported_and_nothing_is_written() {
    let wd = valid_program();
    wd.file("clients.csv", "client_id,level,travel_minutes\nC1,IOPP,10\nC2,OP,-5\n")
        .file(
            "sessions.csv",
            "session_id,day,start,end,capacity,min_size\nG1,Mon,10:00,9:00,8,0\nG2,Funday,10:00,12:00,8,9\n",
        );
    let out = wd.solve(&[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for expected in [
        "clients.csv:2: column level: unknown level 'IOPP'",
        "clients.csv:3: column travel_minutes:",
        "sessions.csv:2: column end:",
        "sessions.csv:3: column day:",
        "sessions.csv:3: column min_size:",
    ] {
        assert!(err.contains(expected), "missing `{expected}` in:\n{err}");
    }
    assert!(!wd.out().exists(), "nothing may be written on bad input");
}

#[test]
fn all_met_exits_zero_and_writes_every_output() {
    let wd = valid_program();
    let out = wd.solve(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    wd.assert_valid();
    assert!(
        stderr(&out).contains("1 clients (1 met, 0 short)"),
        "{}",
        stderr(&out)
    );
    let mut written: Vec<_> = std::fs::read_dir(wd.out())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    written.sort();
    // Everything in place, nothing temporary left behind.
    assert_eq!(
        written,
        [
            "billing.csv",
            "calendars",
            "changes.csv",
            "client_summary.csv",
            "roster.csv",
            "roster.html",
            "run.json",
            "sessions_summary.csv"
        ]
    );
}

#[test]
fn usage_errors_exit_two() {
    let wd = valid_program();
    let out = wd.solve(&["--week", "next tuesday"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = wd.solve(&["--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn quiet_prints_nothing_on_success() {
    let wd = valid_program();
    let out = wd.solve(&["--quiet"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stderr(&out), "");
}

#[test]
fn serve_on_a_non_loopback_address_without_token_is_refused() {
    let wd = valid_program();
    let out = wd.run("serve", &["--bind", "0.0.0.0", "--port", "0"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("--bind 0.0.0.0") && err.contains("--token"),
        "{err}"
    );
    assert!(!wd.out().exists(), "nothing written");
}

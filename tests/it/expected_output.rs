//! What a coordinator reads, compared as whole text: the input errors of solve and
//! lint, a lint finding, and the violations check prints. A change to any word of
//! these reports shows here as a line-by-line difference. (None of them prints a
//! timing; the scratch folder's path is written `WD`.)

use crate::workdir::{stderr, stdout, Workdir, LEVELS};
use std::process::Output;

/// Panics with the lines that differ when `actual` is not `expected`.
fn assert_text(what: &str, actual: &str, expected: &str) {
    if actual == expected {
        return;
    }
    let (a, e): (Vec<&str>, Vec<&str>) = (actual.lines().collect(), expected.lines().collect());
    let mut diff = String::new();
    for i in 0..a.len().max(e.len()) {
        let (got, want) = (a.get(i), e.get(i));
        if got != want {
            diff += &format!("line {}:\n  - {want:?}\n  + {got:?}\n", i + 1);
        }
    }
    panic!("{what} differs (- expected, + actual):\n{diff}\nactual in full:\n{actual}");
}

/// The output's text with the scratch folder's path as `WD`.
fn text(wd: &Workdir, bytes: String) -> String {
    let root = wd.input().parent().unwrap().display().to_string();
    bytes.replace(&root, "WD")
}

fn assert_run(wd: &Workdir, out: &Output, code: i32, expected_stdout: &str, expected_stderr: &str) {
    assert_eq!(out.status.code(), Some(code), "{}", stderr(out));
    assert_text("stdout", &text(wd, stdout(out)), expected_stdout);
    assert_text("stderr", &text(wd, stderr(out)), expected_stderr);
}

/// One OP client and a Monday group, with the five mistakes a spreadsheet makes.
fn bad_program() -> Workdir {
    let wd = Workdir::new();
    wd.file("levels.csv", LEVELS)
        .file(
            "clients.csv",
            "client_id,level,travel_minutes\nC1,IOPP,10\nC2,OP,-5\n",
        )
        .file("staff.csv", "staff_id,role\nT1,therapist\n")
        .file(
            "staff_availability.csv",
            "staff_id,day,start,end\nT1,Mon,09:00,17:00\n",
        )
        .file(
            "sessions.csv",
            "session_id,day,start,end,capacity,min_size\n\
             G1,Mon,10:00,9:00,8,0\nG2,Funday,10:00,12:00,8,9\n",
        );
    wd
}

const INPUT_ERRORS: &str = "\
clients.csv:2: column level: unknown level 'IOPP' (expected one of IOP, PHP, OP)
clients.csv:3: column travel_minutes: '-5' is negative (expected a whole number of 0 or more, e.g. 2)
sessions.csv:2: column end: '9:00' is not after start '10:00' (expected an end later than the start on the same day)
sessions.csv:3: column day: 'Funday' is not a day (expected Mon..Sun, a full day name or YYYY-MM-DD)
sessions.csv:3: column min_size: '9' is more than capacity '8' (expected at most the capacity)
";

#[test]
fn solve_prints_every_input_error_as_file_line_column() {
    let wd = bad_program();
    let out = wd.solve(&[]);
    let expected = format!("{INPUT_ERRORS}iopsched: 5 input problem(s); nothing written\n");
    assert_run(&wd, &out, 1, "", &expected);
    assert!(!wd.out().exists());
}

#[test]
fn lint_prints_the_same_input_errors_as_solve() {
    let wd = bad_program();
    let out = wd.run("lint", &[]);
    let expected = format!("{INPUT_ERRORS}iopsched: 5 input problem(s)\n");
    assert_run(&wd, &out, 1, "", &expected);
}

/// Three IOP clients, one therapist, two Monday groups; G1 seats two.
fn monday_program(sessions: &str) -> Workdir {
    let wd = Workdir::new();
    wd.file("levels.csv", LEVELS)
        .file("clients.csv", "client_id,level\nC1,IOP\nC2,IOP\nC3,IOP\n")
        .file("staff.csv", "staff_id,role\nT1,therapist\nP1,physician\n")
        .file(
            "staff_availability.csv",
            "staff_id,day,start,end\nT1,Mon,08:00,17:00\nP1,Mon,08:00,17:00\n",
        )
        .file(
            "sessions.csv",
            &format!(
                "session_id,day,start,end,capacity,facilitator\n\
                 G1,Mon,09:00,12:00,2,T1\nG2,Mon,13:00,16:00,5,T1\n{sessions}"
            ),
        );
    wd
}

#[test]
fn lint_prints_a_finding_with_its_rows_and_fix() {
    let wd = monday_program("X1,Sat,10:00,12:00,5,T1\n");
    let out = wd.run("lint", &[]);
    let expected = "\
facilitator_unavailable: session X1 (Sat 10:00-12:00) names facilitator T1, who is not available for all of it: it cannot run and nobody will be placed in it
  row: sessions.csv:4: session X1
  row: staff_availability.csv: T1 (Mon 08:00-17:00)
  fix: add T1 for Sat 10:00-12:00 to staff_availability.csv, move the session into their hours, or empty its facilitator cell so iopsched picks an available therapist

";
    let summary = "lint: 1 finding(s) in WD/input for the week of 2026-11-23\n";
    assert_run(&wd, &out, 3, expected, summary);
}

#[test]
fn check_prints_each_violation_with_who_when_rule_and_rows() {
    let wd = monday_program("");
    let out = wd.check_roster(
        "2026-11-23,Mon,09:00,12:00,C1,group,G1,T1,
2026-11-23,Mon,09:00,12:00,C2,group,G1,T1,
2026-11-23,Mon,09:00,12:00,C3,group,G1,T1,
2026-11-23,Mon,11:00,11:50,C2,individual,,T1,
2026-11-23,Mon,13:00,16:00,C3,group,G2,T1,
",
    );
    let expected = "\
client C3, Mon 2026-11-23: more hours in a day than the level allows [max_daily]: level IOP: 360 min that day > max_daily 240 min (roster.csv lines 4, 6)
staff T1, Mon 2026-11-23 09:00-12:00: session over capacity [capacity]: session G1 has 3 clients, capacity 2 (roster.csv lines 2, 3, 4)
roster.csv:5, client C2 with staff T1, Mon 2026-11-23 11:00-11:50: client booked twice at the same time [client_overlap]: client is already booked: overlaps roster.csv:3 (group G1 with T1, Mon 09:00-12:00)
roster.csv:5, client C2 with staff T1, Mon 2026-11-23 11:00-11:50: staff member booked twice at the same time [staff_overlap]: staff T1 double-booked: individual with T1, Mon 11:00-11:50 overlaps roster.csv:2 (group G1 with T1, Mon 09:00-12:00)
";
    let summary = "check: 4 violation(s) in WD/hand/roster.csv; checked roster rules only \
                   (no summary files beside the roster); wrote violations.csv, \
                   client_summary.csv, billing.csv into WD/check\n";
    assert_run(&wd, &out, 3, expected, summary);
}

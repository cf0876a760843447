//! Input an operator or an attacker would try: files that are there but cannot be
//! read, numbers no week can hold, IDs a spreadsheet would run, text that would
//! break a calendar, and free text that must not reach the console.

use crate::workdir::{csv_rows, stderr, stdout, Workdir, LEVELS, ROSTER_HEADER};

fn assert_input_error(wd: &Workdir, extra: &[&str], expected: &[&str]) {
    let out = wd.solve(extra);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for line in expected {
        assert!(err.contains(line), "missing `{line}` in:\n{err}");
    }
    assert!(!wd.out().exists(), "nothing may be written");
}

// -- item 2: an optional file that is there but cannot be read ---------------

#[test]
fn a_dangling_client_busy_link_is_an_input_error() {
    let wd = Workdir::example();
    std::fs::remove_file(wd.input().join("client_busy.csv")).unwrap();
    std::os::unix::fs::symlink(wd.path("gone.csv"), wd.input().join("client_busy.csv")).unwrap();
    assert_input_error(&wd, &[], &["client_busy.csv: is a link that leads nowhere"]);
}

#[test]
fn a_client_busy_folder_is_an_input_error() {
    let wd = Workdir::example();
    std::fs::remove_file(wd.input().join("client_busy.csv")).unwrap();
    std::fs::create_dir(wd.input().join("client_busy.csv")).unwrap();
    assert_input_error(&wd, &[], &["client_busy.csv: is a folder"]);
}

#[test]
fn dangling_pins_and_previous_roster_are_input_errors() {
    let wd = Workdir::example();
    std::os::unix::fs::symlink(wd.path("gone.csv"), wd.input().join("pins.csv")).unwrap();
    assert_input_error(&wd, &[], &["pins.csv: is a link that leads nowhere"]);
    std::fs::remove_file(wd.input().join("pins.csv")).unwrap();
    std::fs::create_dir(wd.input().join("previous_roster.csv")).unwrap();
    assert_input_error(&wd, &[], &["previous_roster.csv: is a folder"]);
}

#[test]
fn check_refuses_a_dangling_client_busy_link() {
    let wd = Workdir::tiny();
    std::os::unix::fs::symlink(wd.path("gone.csv"), wd.input().join("client_busy.csv")).unwrap();
    let dir = wd.path("hand");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("roster.csv"), ROSTER_HEADER).unwrap();
    let roster = dir.join("roster.csv");
    let out = wd.run(
        "check",
        &[
            "--roster",
            roster.to_str().unwrap(),
            "--out",
            wd.path("c").to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("client_busy.csv"), "{}", stderr(&out));
}

// -- item 4: numbers within what a week can hold, limits that are limits -----

#[test]
fn a_weekly_count_no_week_can_hold_is_an_input_error() {
    let wd = Workdir::tiny();
    wd.file(
        "levels.csv",
        "level,min_weekly_hours,max_weekly_hours,min_days,max_days,min_daily_hours,max_daily_hours,individual_per_week,physician_per_week\n\
         IOP,9,20,3,5,3,4,4294967295,1\nPHP,20,30,5,5,4,6,1000000,1\n",
    );
    assert_input_error(
        &wd,
        &[],
        &[
            "levels.csv:2: column individual_per_week: 4294967295 appointments of 50 min do not fit in max_weekly_hours (1200 min) (expected at most 24)",
            "levels.csv:3: column individual_per_week: 1000000 appointments of 50 min do not fit in max_weekly_hours (1800 min) (expected at most 36)",
        ],
    );
}

#[test]
fn hours_beyond_a_week_or_a_day_are_input_errors() {
    let wd = Workdir::tiny();
    wd.file(
        "levels.csv",
        "level,min_weekly_hours,max_weekly_hours,min_days,max_days,min_daily_hours,max_daily_hours,individual_per_week,physician_per_week\n\
         IOP,9,169,3,5,3,25,1,1\n",
    );
    wd.file(
        "staff.csv",
        "staff_id,role,max_weekly_hours\nT1,therapist,1000\nP1,physician,\n",
    );
    assert_input_error(
        &wd,
        &[],
        &[
            "levels.csv:2: column max_weekly_hours: '169' hours is more than a week holds (expected at most 168)",
            "levels.csv:2: column max_daily_hours: '25' hours is more than a day holds (expected at most 24)",
            "staff.csv:2: column max_weekly_hours: '1000' hours is more than a week holds",
        ],
    );
}

#[test]
fn travel_minutes_above_a_day_are_an_input_error() {
    let wd = Workdir::tiny();
    wd.file(
        "clients.csv",
        "client_id,level,travel_minutes\nC1,IOP,4294967295\nC2,IOP,1441\nC3,IOP,1440\n",
    );
    assert_input_error(
        &wd,
        &[],
        &[
            "clients.csv:2: column travel_minutes: '4294967295' minutes is more than a day",
            "clients.csv:3: column travel_minutes: '1441' minutes is more than a day (expected at most 1440)",
        ],
    );
    assert!(!stderr(&wd.solve(&[])).contains("clients.csv:4"));
}

#[test]
fn time_limits_that_are_not_limits_are_usage_errors() {
    let wd = Workdir::tiny();
    for bad in ["inf", "NaN", "0", "-5", "1e12"] {
        let out = wd.solve(&["--time-limit", bad]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "--time-limit {bad}: {}",
            stderr(&out)
        );
        assert!(stderr(&out).contains("time limit"), "{}", stderr(&out));
    }
    let out = wd.solve(&["--individual-minutes", "0"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(!wd.out().exists());
}

/// Every command that loads the input takes the same appointment lengths, and
/// refuses the same nonsense (place and what-if once took 0, serve none at all).
#[test]
fn appointment_lengths_are_checked_alike_by_every_command() {
    let wd = Workdir::tiny();
    for command in ["solve", "lint", "place", "whatif", "serve"] {
        for flag in ["--individual-minutes", "--physician-minutes"] {
            for bad in ["0", "1441", "x"] {
                let out = wd.run(command, &[flag, bad]);
                let said = stderr(&out);
                assert_eq!(out.status.code(), Some(2), "{command} {flag} {bad}: {said}");
                assert!(
                    said.contains("length in minutes"),
                    "{command} {flag}: {said}"
                );
            }
        }
    }
}

#[test]
fn threads_beyond_the_cores_are_capped() {
    let wd = Workdir::tiny();
    let out = wd.solve(&["--threads", "10000", "--time-limit", "5"]);
    assert!(matches!(out.status.code(), Some(0 | 3)), "{}", stderr(&out));
    wd.assert_valid();
}

// -- item 6: output injection --------------------------------------------------

#[test]
fn ids_that_spreadsheets_run_or_that_break_lines_are_refused() {
    let wd = Workdir::tiny();
    wd.file(
        "clients.csv",
        "client_id,level,site\n\"=cmd|' /C calc'!A0\",IOP,\nC2,IOP,@North\n\"C3\nATTENDEE:x\",IOP,\n",
    )
    .file("staff.csv", "staff_id,role\nT1,therapist\n+P1,physician\n")
    .file(
        "levels.csv",
        &LEVELS.replace("physician_per_week\n", "physician_per_week,billing_code\n")
            .replace("IOP,9,20,3,5,3,4,1,1\n", "IOP,9,20,3,5,3,4,1,1,=HYPERLINK(1)\n"),
    )
    .file(
        "sessions.csv",
        "session_id,day,start,end,capacity,facilitator,room\n\
         -G1,Mon,09:00,12:00,5,T1,\nG2,Tue,09:00,12:00,5,T1,=Room\n",
    );
    assert_input_error(
        &wd,
        &[],
        &[
            "clients.csv:2: column client_id: '=cmd|' /C calc'!A0' starts with '='",
            "clients.csv:3: column site: '@North' starts with '@'",
            "clients.csv:4: column client_id: 'C3\\nATTENDEE:x' holds a control character",
            "staff.csv:3: column staff_id: '+P1' starts with '+'",
            "sessions.csv:2: column session_id: '-G1' starts with '-'",
            "sessions.csv:3: column room: '=Room' starts with '='",
            "levels.csv:2: column billing_code: '=HYPERLINK(1)' starts with '='",
        ],
    );
}

#[test]
fn a_busy_reason_that_starts_a_formula_is_neutralized_in_csv() {
    let wd = Workdir::tiny();
    // Busy every morning: C1 cannot meet IOP, and the reason starts their reason cell.
    wd.file(
        "client_busy.csv",
        "client_id,day,start,end,reason\n\
         C1,Mon,08:00,13:00,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\n\
         C1,Tue,08:00,13:00,@SUM(A1)\nC1,Wed,08:00,13:00,+1\n",
    );
    let out = wd.solve(&["--time-limit", "5"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    for name in [
        "roster.csv",
        "client_summary.csv",
        "sessions_summary.csv",
        "changes.csv",
        "billing.csv",
    ] {
        for row in wd.rows(name) {
            for (column, cell) in row {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{name} {column}: {cell}"
                );
            }
        }
    }
    let reason = &wd.summary_of("C1")["reason"];
    assert!(reason.starts_with("'=hyperlink"), "{reason}");
}

#[test]
fn calendar_text_is_escaped_and_folded() {
    let wd = Workdir::tiny();
    let name = "Morning; with, commas\\ and a line\nATTENDEE:mailto:evil@x\r\nbreak ".repeat(3);
    wd.file(
        "sessions.csv",
        &format!(
            "session_id,name,day,start,end,capacity,facilitator,room\n\
             G1,\"{name}\",Mon,09:00,12:00,5,T1,\"Room; A, 1\"\n\
             G2,x,Tue,09:00,12:00,5,T1,\nG3,x,Wed,09:00,12:00,5,T1,\n"
        ),
    );
    let out = wd.solve(&["--time-limit", "5"]);
    assert!(matches!(out.status.code(), Some(0 | 3)), "{}", stderr(&out));
    let dir = wd.out().join("calendars");
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        files += 1;
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "line longer than 75 octets: {line:?}");
            assert!(!line.contains('\r') && !line.contains('\n'), "{line:?}");
        }
        let unfolded = icalendar::parser::unfold(&text);
        let calendar = icalendar::parser::read_calendar(&unfolded)
            .unwrap_or_else(|e| panic!("unparseable calendar: {e}\n{text}"));
        let mut properties = Vec::new();
        for component in &calendar.components {
            properties.extend(component.properties.iter().map(|p| p.name.to_string()));
            for inner in &component.components {
                properties.extend(inner.properties.iter().map(|p| p.name.to_string()));
            }
        }
        assert!(!properties.iter().any(|p| p == "ATTENDEE"), "{text}");
        if text.contains("Group: Morning") {
            let summary = unfolded
                .lines()
                .find(|l| l.starts_with("SUMMARY:Group: Morning"))
                .unwrap();
            assert!(
                summary.contains("Morning\\; with\\, commas\\\\ and"),
                "{summary}"
            );
            assert!(summary.contains("\\nATTENDEE:mailto:evil@x"), "{summary}");
        }
    }
    assert!(files >= 2, "expected calendars in {dir:?}");
}

// -- item 7: the console says IDs, days and times; cells are cut and escaped --

#[test]
fn lint_prints_no_busy_reason() {
    let wd = Workdir::tiny();
    wd.file(
        "client_busy.csv",
        "client_id,day,start,end,reason\nC1,Mon,08:00,13:00,Acme Clinic\n\
         C1,Tue,08:00,13:00,Acme Clinic\nC1,Wed,08:00,13:00,Acme Clinic\n",
    );
    let out = wd.run("lint", &[]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let console = format!("{}{}", stdout(&out), stderr(&out));
    assert!(console.contains("C1"), "{console}");
    assert!(!console.contains("Acme"), "{console}");
}

#[test]
fn check_prints_no_busy_reason_but_writes_it() {
    let wd = Workdir::tiny();
    wd.file(
        "client_busy.csv",
        "client_id,day,start,end,reason\nC1,Mon,08:00,13:00,Acme Clinic\n",
    );
    let dir = wd.path("hand");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("roster.csv"),
        "date,day,start,end,client_id,activity,session_id,staff_id,site\n\
         2026-11-23,Mon,09:00,12:00,C1,group,G1,T1,\n",
    )
    .unwrap();
    let roster = dir.join("roster.csv");
    let out_dir = wd.path("c");
    let out = wd.run(
        "check",
        &[
            "--roster",
            roster.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let console = format!("{}{}", stdout(&out), stderr(&out));
    assert!(console.contains("[busy]"), "{console}");
    assert!(!console.contains("Acme"), "{console}");
    let rows = csv_rows(&out_dir.join("violations.csv"));
    assert!(
        rows.iter()
            .any(|r| r["rule"] == "busy" && r["message"].contains("Acme Clinic")),
        "violations.csv keeps the reason"
    );
}

#[test]
fn echoed_cells_are_cut_and_escaped() {
    let wd = Workdir::tiny();
    let huge = "9".repeat(100_000);
    wd.file(
        "levels.csv",
        &format!(
            "level,min_weekly_hours,max_weekly_hours,min_days,max_days,min_daily_hours,max_daily_hours,individual_per_week,physician_per_week\n\
             IOP,\"x\nforged: line\",20,3,5,3,4,1,{huge}\n"
        ),
    );
    let out = wd.solve(&[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.len() < 1000, "{} bytes of errors", err.len());
    assert!(!err.lines().any(|l| l.starts_with("forged")), "{err}");
    assert!(
        err.contains("'x\\nforged: line' is not a number of hours"),
        "{err}"
    );
    assert!(err.contains(&format!("'{}...'", "9".repeat(60))), "{err}");
}

// -- item 8: a missing column names the header line ------------------------------

#[test]
fn a_missing_required_column_names_the_header_line() {
    let wd = Workdir::tiny();
    wd.file("clients.csv", "client_id\nC1\n");
    assert_input_error(&wd, &[], &["clients.csv:1: missing required column level"]);
}

// -- item 5: check is as strict as solve; no panic on a closed pipe ------------

/// Checks a hand-made roster of `Workdir::tiny()` (C1 in G1 and, at the same time, with T1).
fn check_tiny(wd: &Workdir) -> std::process::Output {
    let dir = wd.path("hand");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("roster.csv"),
        "date,day,start,end,client_id,activity,session_id,staff_id,site\n\
         2026-11-23,Mon,09:00,12:00,C1,group,G1,T1,\n\
         2026-11-23,Mon,09:00,09:50,C1,individual,,T1,\n",
    )
    .unwrap();
    let roster = dir.join("roster.csv");
    let out_dir = wd.path("c");
    wd.run(
        "check",
        &[
            "--roster",
            roster.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
        ],
    )
}

#[test]
fn check_refuses_an_empty_levels_file() {
    let wd = Workdir::tiny();
    assert_eq!(
        check_tiny(&wd).status.code(),
        Some(3),
        "violations with clean input"
    );
    wd.file("levels.csv", "");
    let out = check_tiny(&wd);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("levels.csv:1"), "{}", stderr(&out));
}

#[test]
fn check_refuses_inputs_solve_refuses() {
    let cases: [(&str, &str, &str); 6] = [
        (
            "levels.csv",
            &LEVELS.replace("IOP,9,20", "IOP,nine,20"),
            "levels.csv:2: [input] column min_weekly_hours",
        ),
        (
            "levels.csv",
            &LEVELS.replace("IOP,9,20,3,5,3,4,1,1", "IOP,9,20,3,5,3,4,4294967295,1"),
            "levels.csv:2: [input] column individual_per_week",
        ),
        (
            "clients.csv",
            "client_id,level\nC1,IOPP\n",
            "clients.csv:2: [input] column level: unknown level 'IOPP'",
        ),
        (
            "clients.csv",
            "client_id,level,travel_minutes\nC1,IOP,4294967295\n",
            "clients.csv:2: [input] column travel_minutes",
        ),
        (
            "clients.csv",
            "client_id,level\n=C1,IOP\nC2,IOP\nC2,IOP\n",
            "clients.csv:2: [input] column client_id: '=C1' is not a code",
        ),
        (
            "staff_availability.csv",
            "staff_id,day,start,end\nT1,Mon,17:00,08:00\nT9,Mon,08:00,09:00\n",
            "staff_availability.csv:2: [input] column end: is not after the start",
        ),
    ];
    for (file, text, expected) in cases {
        let wd = Workdir::tiny();
        wd.file(file, text);
        let out = check_tiny(&wd);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{file}: {err}");
        assert!(err.contains(expected), "missing `{expected}` in:\n{err}");
        // solve refuses the same input.
        assert_eq!(wd.solve(&[]).status.code(), Some(1), "solve accepts {file}");
    }
}

/// Runs `iopsched ARGS` with stdout and stderr read by nobody (closed at once).
fn with_closed_pipes(args: &[&std::ffi::OsStr]) -> std::process::ExitStatus {
    let mut child = crate::workdir::iopsched()
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    drop(child.stderr.take());
    child.wait().unwrap()
}

#[test]
fn a_closed_pipe_does_not_panic_any_command() {
    let wd = Workdir::tiny();
    let dir = wd.path("hand");
    check_tiny(&wd);
    let roster = dir.join("roster.csv");
    let input = wd.input();
    let out = wd.out();
    let check_out = wd.path("c2");
    let os = |s: &'static str| std::ffi::OsStr::new(s);
    let check: Vec<&std::ffi::OsStr> = vec![
        os("check"),
        input.as_os_str(),
        os("--week"),
        os("2026-11-23"),
        os("--roster"),
        roster.as_os_str(),
        os("--out"),
        check_out.as_os_str(),
    ];
    assert_eq!(with_closed_pipes(&check).code(), Some(3), "check");
    assert!(
        check_out.join("violations.csv").exists(),
        "files written all the same"
    );
    let lint = [
        os("lint"),
        input.as_os_str(),
        os("--week"),
        os("2026-11-23"),
    ];
    assert!(
        matches!(with_closed_pipes(&lint).code(), Some(0 | 3)),
        "lint"
    );
    let solve = [
        os("solve"),
        input.as_os_str(),
        os("--week"),
        os("2026-11-23"),
        os("--out"),
        out.as_os_str(),
        os("--time-limit"),
        os("5"),
    ];
    assert!(
        matches!(with_closed_pipes(&solve).code(), Some(0 | 3)),
        "solve"
    );
    wd.file("levels.csv", "");
    assert_eq!(
        with_closed_pipes(&lint).code(),
        Some(1),
        "lint on bad input"
    );
}

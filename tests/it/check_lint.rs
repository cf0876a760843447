//! `iopsched check` and `iopsched lint` as a coordinator runs them: the real binary on
//! small fixtures and on the bundled example.

use crate::workdir::{csv_rows, stderr, stdout, Workdir, LEVELS};

// ---------------------------------------------------------------------------
// check
// ---------------------------------------------------------------------------

/// Three IOP clients, one therapist, two Monday groups; G1 seats two.
fn check_program() -> Workdir {
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
            "session_id,day,start,end,capacity,facilitator\n\
             G1,Mon,09:00,12:00,2,T1\nG2,Mon,13:00,16:00,5,T1\n",
        );
    wd
}

const VALID_ROWS: &str = "2026-11-23,Mon,09:00,12:00,C1,group,G1,T1,
2026-11-23,Mon,09:00,12:00,C2,group,G1,T1,
2026-11-23,Mon,13:00,16:00,C3,group,G2,T1,
";

#[test]
fn check_accepts_a_valid_hand_made_roster_and_recomputes_the_summary() {
    let wd = check_program();
    let out = wd.check_roster(VALID_ROWS);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).contains("roster rules only"),
        "{}",
        stderr(&out)
    );
    assert!(csv_rows(&wd.path("check/violations.csv")).is_empty());
    let summary = csv_rows(&wd.path("check/client_summary.csv"));
    assert_eq!(summary.len(), 3);
    let c1 = &summary[0];
    assert_eq!(c1["client_id"], "C1");
    assert_eq!(c1["scheduled_hours"], "3");
    assert_eq!(c1["program_days"], "1");
    assert_eq!(c1["status"], "short");
    assert_eq!(c1["shortfall"], "hours=6;days=2;individual=1;physician=1");
}

#[test]
fn check_reports_a_double_booked_client_and_a_full_session() {
    let wd = check_program();
    let rows = "2026-11-23,Mon,09:00,12:00,C1,group,G1,T1,
2026-11-23,Mon,09:00,12:00,C2,group,G1,T1,
2026-11-23,Mon,09:00,12:00,C3,group,G1,T1,
2026-11-23,Mon,11:00,11:50,C2,individual,,T1,
2026-11-23,Mon,13:00,16:00,C3,group,G2,T1,
";
    let out = wd.check_roster(rows);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let violations = csv_rows(&wd.path("check/violations.csv"));
    let find = |rule: &str| {
        violations
            .iter()
            .find(|v| v["rule"] == rule)
            .unwrap_or_else(|| panic!("no {rule} in {violations:#?}"))
    };
    let overlap = find("client_overlap");
    assert_eq!(overlap["client_id"], "C2");
    assert_eq!(overlap["date"], "2026-11-23");
    assert_eq!(
        (overlap["start"].as_str(), overlap["end"].as_str()),
        ("11:00", "11:50")
    );
    assert!(
        overlap["message"].contains("roster.csv:5")
            && overlap["message"].contains("overlaps roster.csv:3"),
        "{overlap:?}"
    );
    let capacity = find("capacity");
    assert!(capacity["message"].contains("G1 has 3 clients, capacity 2"));
    assert_eq!(find("staff_overlap")["staff_id"], "T1");
    // In plain words on stdout too: who, when, which rule, the conflicting row.
    let text = stdout(&out);
    assert!(
        text.contains("roster.csv:5, client C2 with staff T1, Mon 2026-11-23 11:00-11:50")
            && text.contains("[client_overlap]")
            && text.contains("group G1 with T1, Mon 09:00-12:00"),
        "{text}"
    );
    // Deterministic: a second run writes the same bytes.
    let first = std::fs::read(wd.path("check/violations.csv")).unwrap();
    wd.check_roster(rows);
    assert_eq!(
        first,
        std::fs::read(wd.path("check/violations.csv")).unwrap()
    );
}

#[test]
fn check_exits_one_when_a_file_cannot_be_read() {
    let wd = check_program();
    let out = wd.run(
        "check",
        &[
            "--roster",
            wd.path("nowhere/roster.csv").to_str().unwrap(),
            "--out",
            wd.path("check").to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("roster.csv"), "{}", stderr(&out));
    assert!(!wd.path("check").exists(), "nothing may be written");

    std::fs::remove_file(wd.input().join("sessions.csv")).unwrap();
    let out = wd.check_roster(VALID_ROWS);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("sessions.csv"), "{}", stderr(&out));
}

#[test]
fn check_accepts_the_solved_example_and_its_summaries() {
    let wd = Workdir::example();
    let solved = wd.solve(&["--quiet"]);
    assert!(
        matches!(solved.status.code(), Some(0 | 3)),
        "{}",
        stderr(&solved)
    );
    let roster = wd.out().join("roster.csv");
    let check_dir = wd.path("check");
    let args = [
        "--roster",
        roster.to_str().unwrap(),
        "--out",
        check_dir.to_str().unwrap(),
    ];
    let out = wd.run("check", &args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("client_summary.csv, sessions_summary.csv"),
        "the summaries beside the roster are checked: {}",
        stderr(&out)
    );
    // The recomputation agrees with the optimizer's own summary.
    let ours = csv_rows(&check_dir.join("client_summary.csv"));
    for theirs in wd.rows("client_summary.csv") {
        let mine = ours
            .iter()
            .find(|r| r["client_id"] == theirs["client_id"])
            .expect("every client recomputed");
        for col in [
            "program_days",
            "individual_sessions",
            "physician_visits",
            "status",
            "shortfall",
        ] {
            assert_eq!(mine[col], theirs[col], "{col} of {}", theirs["client_id"]);
        }
    }

    // billing.csv recomputed by the checker is the optimizer's, byte for byte.
    assert!(stderr(&out).contains("billing.csv"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(check_dir.join("billing.csv")).unwrap(),
        wd.read_out("billing.csv")
    );
    let billing = wd.rows("billing.csv");
    assert!(billing.iter().any(|r| r["billable"] == "no"));
    assert!(billing
        .iter()
        .all(|r| (r["billable"] == "no") != r["reason"].is_empty()));
    assert!(billing
        .iter()
        .any(|r| r["level"] == "IOP" && r["billing_code"] == "H0015"));

    // A summary edited by hand no longer matches the roster.
    let summary = wd.out().join("client_summary.csv");
    let text = std::fs::read_to_string(&summary).unwrap();
    let edited = text.replacen(",met,", ",short,", 1);
    assert_ne!(text, edited, "the example has a met client");
    std::fs::write(&summary, edited).unwrap();
    let out = wd.run("check", &args);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("[client_summary:status]"),
        "{}",
        stdout(&out)
    );

    // So does a billing.csv that bills a day the roster does not support.
    let billing = wd.out().join("billing.csv");
    let text = std::fs::read_to_string(&billing).unwrap();
    let edited = text.replacen(",no,", ",yes,", 1);
    assert_ne!(text, edited, "the example has a day that cannot be billed");
    std::fs::write(&billing, edited).unwrap();
    let out = wd.run("check", &args);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stdout(&out).contains("[billing:row]"), "{}", stdout(&out));
}

#[test]
fn check_billing_needs_the_daily_minimum_and_the_weekly_days() {
    let wd = check_program();
    wd.file(
        "levels.csv",
        "level,min_weekly_hours,max_weekly_hours,min_days,max_days,min_daily_hours,\
         max_daily_hours,individual_per_week,physician_per_week,billing_code\n\
         IOP,9,20,3,5,3,4,1,1,H0015\n",
    );
    // C1: one 3 h day (a week of 1 day, IOP needs 3); C2: Monday 3 h 50.
    let rows = "2026-11-23,Mon,09:00,12:00,C1,group,G1,T1,
2026-11-23,Mon,09:00,12:00,C2,group,G1,T1,
2026-11-23,Mon,13:00,13:50,C2,individual,,T1,
";
    wd.check_roster(rows);
    let billing = csv_rows(&wd.path("check/billing.csv"));
    let got: Vec<_> = billing
        .iter()
        .map(|r| {
            [
                "client_id",
                "date",
                "billing_code",
                "minutes",
                "billable",
                "reason",
            ]
            .map(|c| r[c].as_str())
        })
        .collect();
    let week = "week has 1 program day(s), below the level's minimum of 3";
    assert_eq!(
        got,
        [
            ["C1", "2026-11-23", "H0015", "180", "no", week],
            ["C2", "2026-11-23", "H0015", "230", "no", week],
        ]
    );
    // A day under the daily minimum is not billable whatever the week.
    let short_day = "2026-11-23,Mon,13:00,13:50,C2,individual,,T1,\n";
    wd.check_roster(short_day);
    let billing = csv_rows(&wd.path("check/billing.csv"));
    assert_eq!(billing.len(), 1);
    assert!(
        billing[0]["reason"]
            .starts_with("day has 0.83 h, below the level's daily minimum of 3 h; "),
        "{:?}",
        billing[0]
    );
}

// ---------------------------------------------------------------------------
// lint
// ---------------------------------------------------------------------------

/// A program lint has nothing to say about; each test plants one problem.
struct Lint {
    clients: Vec<&'static str>,
    busy: Vec<&'static str>,
    staff: Vec<&'static str>,
    availability: Vec<String>,
    sessions: Vec<String>,
}

impl Lint {
    fn clean() -> Lint {
        let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri"];
        let mut availability = Vec::new();
        let mut sessions = Vec::new();
        for day in weekdays {
            availability.push(format!("T1,{day},08:00,21:00"));
            availability.push(format!("P1,{day},08:00,21:00"));
            sessions.push(format!("D-{day},{day},09:00,12:00,day,T1,10,"));
        }
        for day in weekdays {
            sessions.push(format!("N-{day},{day},18:00,21:00,night,T1,10,"));
        }
        Lint {
            clients: vec!["C1,IOP,day,T1", "C2,OP,night,"],
            busy: vec!["C2,Mon,09:00,17:00"],
            staff: vec!["T1,therapist,", "P1,physician,"],
            availability,
            sessions,
        }
    }

    fn run(&self) -> (Option<i32>, String) {
        let wd = Workdir::new();
        let table = |header: &str, rows: &[String]| format!("{header}\n{}\n", rows.join("\n"));
        let owned = |rows: &[&str]| rows.iter().map(|r| r.to_string()).collect::<Vec<_>>();
        wd.file("levels.csv", LEVELS)
            .file(
                "clients.csv",
                &table(
                    "client_id,level,track,primary_therapist",
                    &owned(&self.clients),
                ),
            )
            .file(
                "client_busy.csv",
                &table("client_id,day,start,end", &owned(&self.busy)),
            )
            .file(
                "staff.csv",
                &table("staff_id,role,max_weekly_hours", &owned(&self.staff)),
            )
            .file(
                "staff_availability.csv",
                &table("staff_id,day,start,end", &self.availability),
            )
            .file(
                "sessions.csv",
                &table(
                    "session_id,day,start,end,track,facilitator,capacity,levels",
                    &self.sessions,
                ),
            );
        let out = wd.run("lint", &[]);
        (out.status.code(), stdout(&out) + &stderr(&out))
    }

    /// Runs lint and expects a finding of `kind` whose block mentions every one of `words`.
    fn expect(&self, kind: &str, words: &[&str]) {
        let (code, text) = self.run();
        assert_eq!(code, Some(3), "{text}");
        let block = text
            .split("\n\n")
            .find(|b| b.starts_with(&format!("{kind}:")))
            .unwrap_or_else(|| panic!("no {kind} finding in:\n{text}"));
        for word in words {
            assert!(block.contains(word), "`{word}` missing from:\n{block}");
        }
        assert!(block.contains("  fix: "), "{block}");
    }
}

#[test]
fn lint_says_nothing_on_a_clean_program() {
    let (code, text) = Lint::clean().run();
    assert_eq!(code, Some(0), "{text}");
    assert!(text.starts_with("lint: 0 finding(s)"), "{text}");
}

#[test]
fn lint_finds_a_facilitator_unavailable_for_their_session() {
    let mut p = Lint::clean();
    p.sessions.push("X1,Sat,10:00,12:00,day,T1,5,".into());
    // Header, ten weekday sessions, then X1 on line 12.
    p.expect(
        "facilitator_unavailable",
        &["sessions.csv:12: session X1", "T1", "Sat 10:00-12:00"],
    );
}

#[test]
fn lint_finds_a_level_no_session_serves() {
    let mut p = Lint::clean();
    p.sessions = p.sessions.iter().map(|s| format!("{s}IOP;OP")).collect();
    p.clients.push("C3,PHP,any,");
    p.expect("level_unserved", &["levels.csv: PHP", "clients.csv: C3"]);
}

#[test]
fn lint_finds_night_demand_above_night_capacity() {
    let mut p = Lint::clean();
    p.sessions
        .retain(|s| !s.starts_with('N') || s.starts_with("N-Mon"));
    p.sessions = p
        .sessions
        .iter()
        .map(|s| s.replace("night,T1,10", "night,T1,2"))
        .collect();
    p.clients.extend(["C3,IOP,night,", "C4,IOP,night,"]);
    // C2 (OP, 1 day) + C3, C4 (IOP, 3 days) need 7 client-days; Mon seats 2.
    p.expect(
        "night_capacity",
        &[
            "need 7 program days",
            "at most 2 client-days",
            "C3",
            "N-Mon",
        ],
    );
}

#[test]
fn lint_finds_a_client_no_session_fits() {
    let mut p = Lint::clean();
    p.clients.push("C3,IOP,any,");
    p.busy.extend([
        "C3,Mon,08:00,22:00",
        "C3,Tue,08:00,22:00",
        "C3,Wed,08:00,22:00",
        "C3,Thu,08:00,22:00",
        "C3,Fri,08:00,22:00",
    ]);
    p.expect(
        "no_session_fits",
        &["clients.csv: C3", "client_busy.csv: C3"],
    );
}

#[test]
fn lint_finds_a_therapist_caseload_beyond_their_hours() {
    let mut p = Lint::clean();
    p.staff.push("T2,therapist,");
    p.availability.push("T2,Mon,08:00,09:00".into());
    p.clients.extend(["C3,IOP,any,T2", "C4,IOP,any,T2"]);
    p.expect(
        "therapist_caseload",
        &["staff.csv: T2", "C3, C4", "need 1.67 h", "has 1 h left"],
    );
}

#[test]
fn lint_counts_facilitation_against_the_caseload() {
    let mut p = Lint::clean();
    // T1 works 65 h but facilitates 30 h of groups and may work only 30.5 h in all.
    p.staff[0] = "T1,therapist,30.5";
    p.expect(
        "therapist_caseload",
        &[
            "staff.csv: T1",
            "has 0.5 h left",
            "minus 30 h facilitating 10 session(s)",
        ],
    );
}

#[test]
fn lint_finds_physician_visits_beyond_physician_hours() {
    let mut p = Lint::clean();
    p.availability.retain(|a| !a.starts_with("P1"));
    p.availability.push("P1,Mon,08:00,08:45".into());
    p.clients.push("C3,IOP,any,");
    p.expect(
        "physician_demand",
        &["staff.csv: P1", "C1, C3", "need 1 h of physician visits"],
    );
}

#[test]
fn lint_finds_a_primary_therapist_who_never_fits() {
    let mut p = Lint::clean();
    p.staff.push("T2,therapist,");
    p.availability.push("T2,Mon,08:00,12:00".into());
    p.clients.push("C3,IOP,any,T2");
    p.busy.push("C3,Mon,07:00,13:00");
    p.expect(
        "therapist_never_fits",
        &["clients.csv: C3 (primary_therapist T2)", "(e.g. T1)"],
    );
}

#[test]
fn lint_exits_one_on_bad_input() {
    let mut p = Lint::clean();
    p.clients.push("C3,IOPP,any,");
    let (code, text) = p.run();
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("clients.csv:4: column level"), "{text}");
}

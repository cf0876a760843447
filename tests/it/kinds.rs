//! Appointment kinds as data (appointments.csv): windows, roles, the primary
//! therapist, max_per_day and the reasons of short clients, each on a small program
//! and re-verified by the independent checker.

use crate::workdir::{stderr, stdout, Workdir, WEEKDAYS};
use std::collections::HashMap;
use std::path::Path;

const LEVELS: &str = "level,min_weekly_hours,max_weekly_hours,min_days,max_days,min_daily_hours,max_daily_hours,individual_per_week,physician_per_week,family_per_week,drug_screen_per_week
IOP,9,20,3,5,3,5,1,0,1,1
";

const APPOINTMENTS: &str = "kind,role,minutes,with,earliest,latest,max_per_day
individual,therapist,50,primary,,,
physician,physician,30,any,,,
family,therapist,60,primary,17:00,21:00,1
drug_screen,nurse,15,any,,,1
";

fn sessions(rows: &str) -> String {
    format!("session_id,name,day,start,end,track,facilitator,capacity,min_size\n{rows}")
}

/// Day groups 09:00-12:00 on every weekday with T1.
fn day_groups() -> String {
    let rows: String = WEEKDAYS
        .iter()
        .map(|d| format!("G-{d},Day,{d},09:00,12:00,day,T1,10,0\n"))
        .collect();
    sessions(&rows)
}

/// A program with two therapists (T2 the primary, working all day), a physician and
/// a nurse whose availability is `nurse` (`day,start,end` rows).
fn program(clients: &str, nurse: &str) -> Workdir {
    let wd = Workdir::new();
    let mut avail = String::from("staff_id,day,start,end\n");
    for d in WEEKDAYS {
        avail.push_str(&format!(
            "T1,{d},08:00,21:00\nT2,{d},08:00,21:00\nP1,{d},08:00,17:00\n"
        ));
    }
    for row in nurse.lines() {
        avail.push_str(&format!("N1,{row}\n"));
    }
    wd.file("levels.csv", LEVELS)
        .file("appointments.csv", APPOINTMENTS)
        .file(
            "staff.csv",
            "staff_id,role\nT1,therapist\nT2,therapist\nP1,physician\nN1,nurse\n",
        )
        .file("staff_availability.csv", &avail)
        .file("clients.csv", clients)
        .file("sessions.csv", &day_groups());
    wd
}

fn solve(wd: &Workdir) -> i32 {
    let out = wd.solve(&["--time-limit", "20"]);
    let code = out.status.code().unwrap_or(-1);
    assert!(code == 0 || code == 3, "{}", stderr(&out));
    wd.assert_valid();
    code
}

fn rows_of(wd: &Workdir, activity: &str) -> Vec<HashMap<String, String>> {
    wd.rows("roster.csv")
        .into_iter()
        .filter(|r| r["activity"] == activity)
        .collect()
}

#[test]
fn family_session_is_inside_its_window_with_the_primary_therapist() {
    let wd = program(
        "client_id,level,primary_therapist\nC1,IOP,T2\nC2,IOP,T2\n",
        "Mon,08:00,12:00\nWed,08:00,12:00",
    );
    assert_eq!(solve(&wd), 0);
    let family = rows_of(&wd, "family");
    assert_eq!(family.len(), 2, "one family session each: {family:?}");
    for row in &family {
        assert_eq!(row["staff_id"], "T2", "{row:?}");
        assert!(row["start"].as_str() >= "17:00", "{row:?}");
        assert!(row["end"].as_str() <= "21:00", "{row:?}");
    }
    let summary = wd.summary_of("C1");
    assert_eq!(
        (summary["family"].as_str(), summary["drug_screen"].as_str()),
        ("1", "1")
    );
}

#[test]
fn drug_screen_is_with_a_nurse_inside_her_availability() {
    let wd = program(
        "client_id,level,primary_therapist\nC1,IOP,T2\n",
        "Wed,12:10,12:40",
    );
    assert_eq!(solve(&wd), 0);
    let screens = rows_of(&wd, "drug_screen");
    assert_eq!(screens.len(), 1, "{screens:?}");
    let s = &screens[0];
    assert_eq!(
        (s["staff_id"].as_str(), s["day"].as_str()),
        ("N1", "Wed"),
        "{s:?}"
    );
    assert!(
        s["start"].as_str() >= "12:10" && s["end"].as_str() <= "12:40",
        "{s:?}"
    );
}

#[test]
fn max_per_day_holds_and_a_second_screen_on_the_same_day_is_short() {
    // Two screens a week, at most one a day, and the nurse works on Monday only.
    let wd = program(
        "client_id,level,primary_therapist\nC1,IOP,T2\n",
        "Mon,08:00,17:00",
    );
    wd.file(
        "levels.csv",
        &LEVELS.replace("IOP,9,20,3,5,3,5,1,0,1,1", "IOP,9,20,3,5,3,5,1,0,1,2"),
    );
    assert_eq!(solve(&wd), 3);
    assert_eq!(rows_of(&wd, "drug_screen").len(), 1);
    let summary = wd.summary_of("C1");
    assert_eq!(summary["shortfall"], "drug_screen=1", "{summary:?}");
    assert!(
        summary["reason"].contains("for the 2nd drug_screen")
            && summary["reason"].contains("at most 1 drug_screen a day (max_per_day)"),
        "{}",
        summary["reason"]
    );
}

/// Without appointments.csv the two built-in kinds are the contract's rows with
/// `max_per_day` empty, so its default of 1 holds: two individual sessions a
/// week with a therapist who works on Monday only leave one short, not two on
/// Monday (the checker flags a second one that day too).
#[test]
fn built_in_kinds_allow_one_a_day_without_appointments_csv() {
    let wd = Workdir::new();
    let mut avail = String::from("staff_id,day,start,end\nT2,Mon,08:00,21:00\n");
    for d in WEEKDAYS {
        avail.push_str(&format!("T1,{d},08:00,21:00\nP1,{d},08:00,17:00\n"));
    }
    wd.file(
        "levels.csv",
        "level,min_weekly_hours,max_weekly_hours,min_days,max_days,min_daily_hours,max_daily_hours,individual_per_week,physician_per_week\nIOP,9,20,3,5,3,5,2,0\n",
    )
    .file("staff.csv", "staff_id,role\nT1,therapist\nT2,therapist\nP1,physician\n")
    .file("staff_availability.csv", &avail)
    .file("clients.csv", "client_id,level,primary_therapist\nC1,IOP,T2\n")
    .file("sessions.csv", &day_groups());
    assert_eq!(solve(&wd), 3);
    assert_eq!(rows_of(&wd, "individual").len(), 1);
    assert_eq!(wd.summary_of("C1")["shortfall"], "individual=1");
    let two = "2026-11-23,Mon,13:00,13:50,C1,individual,,T2,\n2026-11-23,Mon,14:00,14:50,C1,individual,,T2,\n";
    let report = stdout(&wd.check_roster(two));
    assert!(report.contains("[max_per_day]"), "{report}");
}

#[test]
fn a_family_window_that_collides_with_work_is_the_reason() {
    let busy: String = WEEKDAYS
        .iter()
        .map(|d| format!("C1,{d},16:00,23:00,work\n"))
        .collect();
    let wd = program(
        "client_id,level,primary_therapist\nC1,IOP,T2\n",
        "Mon,08:00,12:00\nTue,08:00,12:00",
    );
    wd.file(
        "client_busy.csv",
        &format!("client_id,day,start,end,reason\n{busy}"),
    );
    assert_eq!(solve(&wd), 3);
    assert!(rows_of(&wd, "family").is_empty());
    let summary = wd.summary_of("C1");
    assert_eq!(summary["shortfall"], "family=1", "{summary:?}");
    let reason = &summary["reason"];
    assert!(
        reason.contains("no therapist T2 (primary) time fits for the 1st family")
            && reason.contains("the family window 17:00-21:00 collides with their work"),
        "{reason}"
    );
}

#[test]
fn the_example_with_kinds_passes_the_independent_checker() {
    let wd = Workdir::bundled("example-kinds");
    solve(&wd);
    let roster = wd.rows("roster.csv");
    for kind in ["individual", "physician", "family", "drug_screen"] {
        assert!(
            roster.iter().any(|r| r["activity"] == kind),
            "no {kind} booked in the example"
        );
    }
    let html = wd.read_out("roster.html");
    assert!(html.contains("li.k-family") && html.contains("class=\"k-drug_screen\""));
}

#[test]
fn a_length_flag_and_a_file_row_for_the_same_kind_conflict() {
    let wd = program("client_id,level\nC1,IOP\n", "Mon,08:00,12:00");
    let out = wd.solve(&["--individual-minutes", "45"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(
            "appointments.csv:2: column minutes: --individual-minutes 45 conflicts with this row"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn lint_finds_drug_screens_beyond_the_nurses_hours() {
    // Two clients need a 15-minute screen each; the nurse works 20 minutes.
    let wd = program(
        "client_id,level,primary_therapist\nC1,IOP,T2\nC2,IOP,T2\n",
        "Mon,08:00,08:20",
    );
    let out = wd.run("lint", &[]);
    let text = format!("{}{}", crate::workdir::stdout(&out), stderr(&out));
    assert_eq!(out.status.code(), Some(3), "{text}");
    assert!(
        text.contains("role_demand")
            && text.contains("need 0.5 h of nurse appointments, but nurse(s) N1 can work 0.33 h")
            && text.contains("lower drug_screen_per_week"),
        "{text}"
    );
}

/// Without appointments.csv the outputs are those from before kinds were data: the
/// expected files were written by the last build without kinds (and written again,
/// with every stage's optimum unchanged, when the start and search changed which of
/// the equally good rosters is found; and once more when the built-in kinds got the
/// contract's default max_per_day of 1: the old roster gave C2 two individual
/// sessions on Thursday; and when a small model's "clients met" roster was merged
/// with the start like a large one's: C3's night group moved from Monday to
/// Wednesday, every stage's optimum the same).
#[test]
fn without_appointments_csv_the_outputs_are_unchanged() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/no-kinds");
    let wd = Workdir::copy_of(&fixture);
    let out = wd.solve(&["--time-limit", "30"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    for file in ["roster.csv", "client_summary.csv", "sessions_summary.csv"] {
        let expected = std::fs::read_to_string(fixture.join("expected").join(file)).unwrap();
        assert_eq!(wd.read_out(file), expected, "{file} changed");
    }
}

//! One test per hard constraint family of the model (`src/model/`), named after it,
//! each on a hand-written program of two or three clients where breaking the rule
//! would let more clients meet their level. Each asserts that the solver's roster
//! obeys the rule (and that the rule bound: someone is short because of it), and
//! that the independent checker flags the solver's roster once a hand edit breaks it.

use crate::workdir::{stderr, stdout, Workdir};
use std::collections::{BTreeMap, BTreeSet, HashMap};

type Row = HashMap<String, String>;

const LEVELS_HEADER: &str = "level,min_weekly_hours,max_weekly_hours,min_days,max_days,min_daily_hours,max_daily_hours,individual_per_week,physician_per_week\n";

/// Minutes from midnight of an `HH:MM` roster cell.
fn clock(text: &str) -> u32 {
    let (h, m) = text.split_once(':').expect("HH:MM");
    h.parse::<u32>().unwrap() * 60 + m.parse::<u32>().unwrap()
}

fn minutes(row: &Row) -> u32 {
    clock(&row["end"]) - clock(&row["start"])
}

/// Solves (exit 3: the rule leaves someone short), checks the roster with the
/// independent checker and returns its rows.
fn solve_short(wd: &Workdir) -> Vec<Row> {
    let out = wd.solve(&["--time-limit", "20"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    wd.assert_valid();
    wd.rows("roster.csv")
}

fn status_of(wd: &Workdir, client: &str) -> (String, String) {
    let row = wd.summary_of(client);
    (row["status"].clone(), row["shortfall"].clone())
}

/// The solver's roster with `extra` rows added by hand, checked by `iopsched check`:
/// its report on stdout (exit 3, violations found).
fn check_edited(wd: &Workdir, extra: &str) -> String {
    let roster = wd.read_out("roster.csv");
    let (_, rows) = roster.split_once('\n').expect("a header line");
    let out = wd.check_roster(&format!("{rows}{extra}"));
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    stdout(&out)
}

/// The rule tags (`[tag]`) of a check report.
fn tags(report: &str) -> BTreeSet<String> {
    report
        .lines()
        .filter_map(|l| {
            let start = l.find('[')?;
            let end = l[start..].find(']')?;
            Some(l[start + 1..start + end].to_string())
        })
        .collect()
}

/// Two clients whose one individual session a week must be with T1, who may hold
/// one a day and works Mondays only; a Tuesday group (T2) gives them their hours.
fn one_individual_a_day() -> Workdir {
    let wd = Workdir::new();
    wd.file(
        "levels.csv",
        &format!("{LEVELS_HEADER}L,1,4,1,2,0.5,4,1,0\n"),
    )
    .file(
        "clients.csv",
        "client_id,level,primary_therapist\nC1,L,T1\nC2,L,T1\n",
    )
    .file(
        "staff.csv",
        "staff_id,role,max_weekly_hours,max_individual_per_day\n\
             T1,therapist,,1\nT2,therapist,,\n",
    )
    .file(
        "staff_availability.csv",
        "staff_id,day,start,end\nT1,Mon,09:00,17:00\nT2,Tue,09:00,17:00\n",
    )
    .file(
        "sessions.csv",
        "session_id,day,start,end,capacity,facilitator\nG1,Tue,09:00,11:00,5,T2\n",
    );
    wd
}

#[test]
fn staff_limits_max_individual_per_day_leaves_the_second_client_short() {
    let wd = one_individual_a_day();
    let rows = solve_short(&wd);
    let individual: Vec<&Row> = rows
        .iter()
        .filter(|r| r["activity"] == "individual")
        .collect();
    assert_eq!(individual.len(), 1, "T1 holds one a day: {rows:?}");
    assert_eq!(
        (
            individual[0]["staff_id"].as_str(),
            individual[0]["day"].as_str()
        ),
        ("T1", "Mon")
    );
    let short: Vec<String> = ["C1", "C2"]
        .iter()
        .map(|c| status_of(&wd, c))
        .filter(|(status, _)| status == "short")
        .map(|(_, shortfall)| shortfall)
        .collect();
    assert_eq!(short, ["individual=1"]);
    let other = if individual[0]["client_id"] == "C1" {
        "C2"
    } else {
        "C1"
    };
    let start = if individual[0]["start"] == "16:00" {
        "15:00"
    } else {
        "16:00"
    };
    let end = clock(start) + 50;
    let report = check_edited(
        &wd,
        &format!(
            "2026-11-23,Mon,{start},{:02}:{:02},{other},individual,,T1,\n",
            end / 60,
            end % 60
        ),
    );
    assert!(
        tags(&report).contains("staff_max_individual_per_day"),
        "{report}"
    );
}

/// Two clients who each need 2 hours and an individual session with T1; T1 may
/// work 2 hours and is the only facilitator of the one 2-hour group.
fn two_hour_therapist() -> Workdir {
    let wd = Workdir::new();
    wd.file(
        "levels.csv",
        &format!("{LEVELS_HEADER}L,2,10,1,2,0.5,4,1,0\n"),
    )
    .file(
        "clients.csv",
        "client_id,level,primary_therapist\nC1,L,T1\nC2,L,T1\n",
    )
    .file(
        "staff.csv",
        "staff_id,role,max_weekly_hours,max_individual_per_day\nT1,therapist,2,\n",
    )
    .file(
        "staff_availability.csv",
        "staff_id,day,start,end\nT1,Mon,08:00,17:00\n",
    )
    .file(
        "sessions.csv",
        "session_id,day,start,end,capacity,facilitator\nG1,Mon,09:00,11:00,5,T1\n",
    );
    wd
}

#[test]
fn staff_limits_max_weekly_hours_caps_facilitation_and_individuals_together() {
    let wd = two_hour_therapist();
    let rows = solve_short(&wd);
    // A group counts once for its facilitator, however many clients it seats.
    let mut work: BTreeMap<(String, String, String), u32> = BTreeMap::new();
    for r in rows.iter().filter(|r| r["staff_id"] == "T1") {
        let what = if r["activity"] == "group" {
            r["session_id"].clone()
        } else {
            r["client_id"].clone()
        };
        work.insert((r["day"].clone(), r["start"].clone(), what), minutes(r));
    }
    let total: u32 = work.values().sum();
    assert!(total <= 120, "T1 works {total} min > 120: {rows:?}");
    assert!(
        ["C1", "C2"].iter().all(|c| status_of(&wd, c).0 == "short"),
        "meeting anyone needs T1 beyond 2 hours"
    );
    let report = check_edited(&wd, "2026-11-23,Mon,13:00,13:50,C1,individual,,T1,\n");
    assert!(tags(&report).contains("staff_max_weekly"), "{report}");
}

/// Three clients who each need one 3-hour Monday group; G1 seats two and G2 one,
/// at the same time, neither with a catalog facilitator. T1 can lead either; T2
/// leaves at 10:30, so only one of them can run.
fn one_free_facilitator() -> Workdir {
    let wd = Workdir::new();
    wd.file("levels.csv", &format!("{LEVELS_HEADER}L,3,4,1,1,3,4,0,0\n"))
        .file("clients.csv", "client_id,level\nC1,L\nC2,L\nC3,L\n")
        .file("staff.csv", "staff_id,role\nT1,therapist\nT2,therapist\n")
        .file(
            "staff_availability.csv",
            "staff_id,day,start,end\nT1,Mon,08:00,17:00\nT2,Mon,08:00,10:30\n",
        )
        .file(
            "sessions.csv",
            "session_id,day,start,end,capacity,facilitator\n\
             G1,Mon,09:00,12:00,2,\nG2,Mon,09:00,12:00,1,\n",
        );
    wd
}

#[test]
fn facilitator_choice_gives_a_running_session_exactly_one_facilitator() {
    let wd = one_free_facilitator();
    let rows = solve_short(&wd);
    let mut leaders: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for r in rows.iter().filter(|r| r["activity"] == "group") {
        leaders
            .entry(r["session_id"].as_str())
            .or_default()
            .insert(r["staff_id"].as_str());
    }
    let expected: BTreeMap<&str, BTreeSet<&str>> = [("G1", BTreeSet::from(["T1"]))].into();
    assert_eq!(
        leaders, expected,
        "one session, led by the one free therapist"
    );
    let summary = wd.rows("sessions_summary.csv");
    let g1 = summary.iter().find(|r| r["session_id"] == "G1").unwrap();
    assert_eq!(
        (g1["status"].as_str(), g1["facilitator"].as_str()),
        ("running", "T1")
    );
    let g2 = summary.iter().find(|r| r["session_id"] == "G2").unwrap();
    assert_eq!(g2["status"], "cancelled");
    // A second facilitator for one of G1's two clients.
    let roster = wd.read_out("roster.csv");
    let first = roster.lines().nth(1).expect("a G1 row");
    let edited = roster.replacen(first, &first.replace(",T1,", ",T2,"), 1);
    let (_, rows) = edited.split_once('\n').unwrap();
    let out = wd.check_roster(rows);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        tags(&stdout(&out)).contains("facilitator_consistency"),
        "{}",
        stdout(&out)
    );
}

/// Two clients who need 6 hours between 2 and 3 hours a day, and one seat on
/// Wednesday for both: C1 comes Mon, Wed and Fri, C2 Tue and Wed. Two 3-hour
/// Monday groups would give C1 their week in one day, and the 1-hour Friday group
/// would bring whoever loses the seat closer to their hours.
fn crowded_monday() -> Workdir {
    let all_day = |client: &str, days: &[&str]| -> String {
        days.iter()
            .map(|d| format!("{client},{d},00:00,24:00,work\n"))
            .collect()
    };
    let wd = Workdir::new();
    wd.file(
        "levels.csv",
        &format!("{LEVELS_HEADER}L,6,10,1,5,2,3,0,0\n"),
    )
    .file("clients.csv", "client_id,level\nC1,L\nC2,L\n")
    .file(
        "client_busy.csv",
        &format!(
            "client_id,day,start,end,reason\n{}{}",
            all_day("C1", &["Tue", "Thu"]),
            all_day("C2", &["Mon", "Thu", "Fri"])
        ),
    )
    .file("staff.csv", "staff_id,role\nT1,therapist\n")
    .file(
        "staff_availability.csv",
        "staff_id,day,start,end\nT1,Mon,08:00,17:00\nT1,Tue,08:00,17:00\n\
             T1,Wed,08:00,17:00\nT1,Fri,08:00,17:00\n",
    )
    .file(
        "sessions.csv",
        "session_id,day,start,end,capacity,facilitator\n\
             AM,Mon,09:00,12:00,5,T1\nPM,Mon,13:00,16:00,5,T1\nTUE,Tue,13:00,16:00,5,T1\n\
             WED,Wed,09:00,12:00,1,T1\nFRI,Fri,09:00,10:00,5,T1\n",
    );
    wd
}

#[test]
fn daily_hours_keep_every_program_day_between_min_and_max() {
    let wd = crowded_monday();
    let rows = solve_short(&wd);
    let mut days: BTreeMap<(&str, &str), u32> = BTreeMap::new();
    for r in &rows {
        *days.entry((&r["client_id"], &r["day"])).or_default() += minutes(r);
    }
    for ((client, day), m) in &days {
        assert!((120..=180).contains(m), "{client} {day}: {m} min");
    }
    let met = ["C1", "C2"]
        .iter()
        .filter(|c| status_of(&wd, c).0 == "met")
        .count();
    assert_eq!(met, 1, "one seat on Wednesday: {rows:?}");
    // C1's other Monday group, and the Friday hour.
    let monday: Vec<&Row> = rows
        .iter()
        .filter(|r| r["client_id"] == "C1" && r["day"] == "Mon")
        .collect();
    assert_eq!(monday.len(), 1, "{rows:?}");
    let other = if monday[0]["session_id"] == "AM" {
        "13:00,16:00,C1,group,PM"
    } else {
        "09:00,12:00,C1,group,AM"
    };
    let report = check_edited(
        &wd,
        &format!(
            "2026-11-23,Mon,{other},T1,\n\
             2026-11-27,Fri,09:00,10:00,C1,group,FRI,T1,\n"
        ),
    );
    let found = tags(&report);
    assert!(
        found.contains("max_daily") && found.contains("min_daily"),
        "{report}"
    );
}

/// C1 (level A, at most 3.5 h) needs a 3-hour group and an individual session:
/// 3 h 50 min. C2 (level B, one day a week) needs the Monday group and an
/// individual session with T2, who works Tuesdays only.
fn over_the_week() -> Workdir {
    let wd = Workdir::new();
    wd.file(
        "levels.csv",
        &format!("{LEVELS_HEADER}A,3,3.5,1,2,0.5,8,1,0\nB,3,10,1,1,0.5,8,1,0\n"),
    )
    .file(
        "clients.csv",
        "client_id,level,primary_therapist\nC1,A,T1\nC2,B,T2\n",
    )
    .file("staff.csv", "staff_id,role\nT1,therapist\nT2,therapist\n")
    .file(
        "staff_availability.csv",
        "staff_id,day,start,end\nT1,Mon,08:00,17:00\nT2,Tue,08:00,17:00\n",
    )
    .file(
        "sessions.csv",
        "session_id,day,start,end,capacity,facilitator\nG1,Mon,09:00,12:00,5,T1\n",
    );
    wd
}

#[test]
fn weekly_limits_hold_max_weekly_hours_and_max_days() {
    let wd = over_the_week();
    let rows = solve_short(&wd);
    let week = |client: &str| -> (u32, usize) {
        let mine: Vec<&Row> = rows.iter().filter(|r| r["client_id"] == client).collect();
        let days: BTreeSet<&str> = mine.iter().map(|r| r["day"].as_str()).collect();
        (mine.iter().map(|r| minutes(r)).sum(), days.len())
    };
    let (c1_minutes, _) = week("C1");
    assert!(c1_minutes <= 210, "C1: {c1_minutes} min > 3.5 h: {rows:?}");
    let (_, c2_days) = week("C2");
    assert!(c2_days <= 1, "C2: {c2_days} days > 1: {rows:?}");
    for client in ["C1", "C2"] {
        assert_eq!(
            status_of(&wd, client),
            ("short".to_string(), "individual=1".to_string()),
            "{rows:?}"
        );
    }
    let report = check_edited(
        &wd,
        "2026-11-23,Mon,13:00,13:50,C1,individual,,T1,\n\
         2026-11-24,Tue,09:00,09:50,C2,individual,,T2,\n",
    );
    let found = tags(&report);
    assert!(
        found.contains("max_weekly") && found.contains("max_days"),
        "{report}"
    );
}

//! The independent checker with appointments.csv: a small valid week with family
//! therapy and drug screens is clean, and each case breaks one rule of a kind
//! (window, role, primary therapist, length, max_per_day, weekly count, the
//! summary's kind column) and expects it reported under the rule's `[tag]`.

use crate::workdir::check_files;
use chrono::NaiveDate;
use iopsched::check::CheckOptions;
use std::collections::BTreeMap;

fn monday() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()
}

/// One IOP client with primary therapist T1; two screens with nurse N1 on two days
/// and one family session inside its 17:00-21:00 window. The file drops `physician`.
fn valid() -> BTreeMap<&'static str, String> {
    [
        ("levels.csv", "level,min_weekly_hours,max_weekly_hours,min_days,max_days,min_daily_hours,max_daily_hours,individual_per_week,physician_per_week,Drug_Screen_per_week,family_per_week
IOP,1,10,1,3,1,6,0,0,2,1"),
        ("appointments.csv", "kind,role,minutes,with,earliest,latest,max_per_day
individual,therapist,50,primary,,,
Drug_Screen,Nurse,15,any,,,1
family,therapist,60,primary,5:00 PM,21:00,1"),
        ("clients.csv", "client_id,level,primary_therapist\nC1,IOP,T1"),
        ("staff.csv", "staff_id,role\nT1,therapist\nT2,therapist\nN1,NURSE"),
        ("staff_availability.csv", "staff_id,day,start,end
T1,Mon,08:00,21:00
T1,Tue,08:00,21:00
T2,Tue,08:00,21:00
N1,Mon,08:00,12:00
N1,Tue,08:00,12:00"),
        ("sessions.csv", "session_id,day,start,end,facilitator,capacity
G1,Mon,09:00,11:00,T1,5
G2,Tue,09:00,11:00,T1,5"),
        ("roster.csv", "date,day,start,end,client_id,activity,session_id,staff_id,site
2024-01-01,Mon,09:00,11:00,C1,group,G1,T1,
2024-01-01,Mon,11:00,11:15,C1,drug_screen,,N1,
2024-01-02,Tue,09:00,11:00,C1,group,G2,T1,
2024-01-02,Tue,11:00,11:15,C1,drug_screen,,N1,
2024-01-02,Tue,17:00,18:00,C1,family,,T1,"),
        ("client_summary.csv", "client_id,level,scheduled_hours,program_days,individual_sessions,physician_visits,status,shortfall,reason,drug_screen,family
C1,IOP,5.5,2,0,0,met,,,2,1"),
        ("sessions_summary.csv", "session_id,status,enrolled,capacity,facilitator
G1,running,1,5,T1
G2,running,1,5,T1"),
        ("billing.csv", "client_id,date,day,level,billing_code,minutes,billable,reason
C1,2024-01-01,Mon,IOP,,135,yes,
C1,2024-01-02,Tue,IOP,,195,yes,"),
    ]
    .into_iter()
    .map(|(n, t)| (n, t.to_string()))
    .collect()
}

fn run(files: &BTreeMap<&'static str, String>) -> Vec<String> {
    let lines = files.iter().map(|(n, t)| (*n, format!("{t}\n"))).collect();
    check_files(&lines, monday(), &CheckOptions::default())
}

/// Replaces `from` (which must be there) by `to` in `file`.
fn with(file: &'static str, from: &str, to: &str) -> BTreeMap<&'static str, String> {
    let mut files = valid();
    let text = files.get_mut(file).unwrap();
    assert!(text.contains(from), "{file} does not contain {from:?}");
    *text = text.replace(from, to);
    files
}

#[test]
fn a_valid_week_with_kinds_has_no_violations() {
    let v = run(&valid());
    assert!(v.is_empty(), "{}", v.join("\n"));
}

#[test]
fn each_broken_kind_rule_is_reported_under_its_tag() {
    let cases = [
        (
            "family before its window",
            "[window]",
            with(
                "roster.csv",
                "Tue,17:00,18:00,C1,family",
                "Tue,16:00,17:00,C1,family",
            ),
        ),
        (
            "two screens on one day",
            "[max_per_day]",
            with(
                "roster.csv",
                "2024-01-02,Tue,11:00,11:15,C1,drug_screen",
                "2024-01-01,Mon,11:15,11:30,C1,drug_screen",
            ),
        ),
        (
            "screen with a therapist",
            "[staff_role]",
            with(
                "roster.csv",
                "11:00,11:15,C1,drug_screen,,N1",
                "11:00,11:15,C1,drug_screen,,T1",
            ),
        ),
        (
            "family not with the primary therapist",
            "[primary_therapist]",
            with("roster.csv", "C1,family,,T1", "C1,family,,T2"),
        ),
        (
            "family of the wrong length",
            "[duration]",
            with(
                "roster.csv",
                "Tue,17:00,18:00,C1,family",
                "Tue,17:00,17:50,C1,family",
            ),
        ),
        (
            "more family sessions than the level books",
            "[kind_count]",
            with(
                "levels.csv",
                "IOP,1,10,1,3,1,6,0,0,2,1",
                "IOP,1,10,1,3,1,6,0,0,2,0",
            ),
        ),
        (
            "a kind the program does not have",
            "[activity]",
            with(
                "appointments.csv",
                "\nfamily,therapist,60,primary,5:00 PM,21:00,1",
                "",
            ),
        ),
        (
            "summary count of a kind wrong",
            "[client_summary:kind]",
            with("client_summary.csv", "met,,,2,1", "met,,,2,0"),
        ),
        (
            "summary misses a kind's shortfall",
            "[client_summary:shortfall]",
            with(
                "levels.csv",
                "IOP,1,10,1,3,1,6,0,0,2,1",
                "IOP,1,10,1,3,1,6,0,0,3,1",
            ),
        ),
    ];
    for (what, tag, files) in cases {
        let v = run(&files);
        assert!(
            v.iter().any(|m| m.contains(tag)),
            "{what}: expected {tag}, got:\n{}",
            v.join("\n")
        );
    }
}

//! Self-tests for the independent roster checker in `tests/it/workdir.rs`.
//!
//! A small hand-written week is accepted with zero violations; then each case breaks
//! exactly one contract rule (in the inputs or the outputs) and expects the checker to
//! report it under the rule's `[tag]`. If the checker could not catch a rule, the
//! integration tests built on it would pass vacuously, so every rule gets a case.

use std::collections::BTreeMap;

use crate::workdir::check_files;
use chrono::NaiveDate;
use iopsched::check::CheckOptions;

/// Monday 2024-01-01 .. Sunday 2024-01-07.
fn monday() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()
}

/// A week of inputs and outputs kept as text so that cases can mutate it freely.
#[derive(Clone)]
struct Fixture {
    files: BTreeMap<&'static str, String>,
}

impl Fixture {
    /// Two IOP clients, two therapists, one physician; every rule is just satisfied
    /// (C1's visit ends exactly where its busy block plus travel starts, C1's individual
    /// straddles two touching availability blocks, sessions are exactly full).
    fn valid() -> Fixture {
        let files = [
            ("levels.csv", "level,min_weekly_hours,max_weekly_hours,min_days,max_days,min_daily_hours,max_daily_hours,individual_per_week,physician_per_week
IOP,4,6,2,3,1,4,1,1
PHP,20,30,5,5,4,6,2,1"),
            // Header with odd case and spaces, padded cells, empty travel: all lenient.
            ("clients.csv", " Client_ID ,LEVEL,Site,track,primary_therapist,gender,tags,stage,travel_minutes
C1,IOP,North,day,T1,f,dbt,Early,30
C2, IOP ,North,day,,M,DBT;SUD,early,"),
            ("client_busy.csv", "client_id,day,start,end,reason
C1,Tue,2:00 PM,5pm,work
C2,2024-01-10,09:00,12:00,court
C2,Monday,18:00,24:00,childcare"),
            ("staff.csv", "staff_id,role,site,max_weekly_hours,max_individual_per_day
T1,therapist,North,10,2
T2,Therapist,,10,2
P1,physician,North,5,"),
            ("staff_availability.csv", "staff_id,day,start,end
T1,Mon,08:00,12:00
T1,Mon,12:00,17:00
T1,Tue,08:00,12:00
T2,Mon,08:00,17:00
T2,Tue,08:00,17:00
P1,2024-01-02,13:00,15:00
P1,2024-01-09,08:00,17:00"),
            ("sessions.csv", "session_id,name,site,day,start,end,track,facilitator,room,capacity,min_size,levels,gender,tags,stage
G1,Skills,North,Mon,9:00 AM,11:00,day,T1,R1,2,2,IOP;PHP,,DBT,early
G2,Process,North,Tuesday,09:00,11:00,day,,R1,2,1,IOP,,,
G3,Women,,2024-01-03,9:00,10:00,day,T2,R2,5,0,,F,,
G4,Old,North,2023-12-25,9:00,10:00,day,T1,R1,5,0,,,,
G5,Evening,North,Mon,6pm,8pm,night,T2,R1,4,2,IOP,,,"),
            ("roster.csv", "date,day,start,end,client_id,activity,session_id,staff_id,site
2024-01-01,Mon,09:00,11:00,C1,group,G1,T1,North
2024-01-01,Mon,09:00,11:00,C2,group,G1,T1,North
2024-01-01,Mon,11:30,12:20,C1,individual,,T1,North
2024-01-02,Tue,09:00,11:00,C1,group,G2,T2,North
2024-01-02,Tue,09:00,11:00,C2,group,G2,T2,North
2024-01-02,Tue,11:00,11:50,C2,individual,,T2,North
2024-01-02,Tue,13:00,13:30,C1,physician,,P1,North
2024-01-02,Tue,13:30,14:00,C2,physician,,P1,North"),
            ("client_summary.csv", "client_id,level,scheduled_hours,program_days,individual_sessions,physician_visits,status,shortfall,reason
C1,IOP,5.33,2,1,1,met,,
C2,IOP,5.35,2,1,1,MET,,"),
            ("sessions_summary.csv", "session_id,status,enrolled,capacity,facilitator
G1,running,2,2,T1
G2,running,2,2,T2
G3,cancelled,0,5,T2
G5,cancelled,0,4,"),
            // Every program day holds the 1 h daily minimum, and both weeks 2 days.
            ("billing.csv", "client_id,date,day,level,billing_code,minutes,billable,reason
C1,2024-01-01,Mon,IOP,,170,yes,
C1,2024-01-02,Tue,IOP,,150,yes,
C2,2024-01-01,Mon,IOP,,120,yes,
C2,2024-01-02,Tue,IOP,,200,yes,"),
        ];
        Fixture {
            files: files.iter().map(|(n, t)| (*n, t.to_string())).collect(),
        }
    }

    /// The same week with a 6 h weekly minimum: both clients are short by 40 min.
    fn short() -> Fixture {
        let mut f = Fixture::valid();
        f.replace("levels.csv", "IOP,4,6,", "IOP,6,6,");
        f.replace(
            "client_summary.csv",
            "met,,",
            "short,hours=0.67,no second group fits",
        );
        f.replace(
            "client_summary.csv",
            "MET,,",
            "short,hours=0.65,therapists full",
        );
        f
    }

    /// Replaces every occurrence; panics if absent so a case can never be a no-op.
    fn replace(&mut self, file: &str, from: &str, to: &str) {
        let text = self.files.get_mut(file).expect("known file");
        assert!(text.contains(from), "{file} does not contain {from:?}");
        *text = text.replace(from, to);
    }

    fn remove_line(&mut self, file: &str, containing: &str) {
        self.replace(file, containing, "");
        let text = self.files.get_mut(file).expect("known file");
        *text = text
            .lines()
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
    }

    fn append(&mut self, file: &str, line: &str) {
        let text = self.files.get_mut(file).expect("known file");
        text.push('\n');
        text.push_str(line);
    }

    fn swap_lines(&mut self, file: &str, i: usize, j: usize) {
        let text = self.files.get_mut(file).expect("known file");
        let mut lines: Vec<&str> = text.lines().collect();
        lines.swap(i, j);
        *text = lines.join("\n");
    }

    /// Writes inputs and outputs to temp folders and runs the checker.
    fn check_with(&self, week: NaiveDate, opts: &CheckOptions) -> Vec<String> {
        let written = self
            .files
            .iter()
            .map(|(name, text)| (*name, spreadsheet_style(name, text)))
            .collect();
        check_files(&written, week, opts)
    }

    fn check(&self) -> Vec<String> {
        self.check_with(monday(), &CheckOptions::default())
    }
}

/// One input written the way a spreadsheet would (BOM, CRLF, trailing blank lines),
/// to prove the checker's parsing is as lenient as the contract demands.
fn spreadsheet_style(name: &str, text: &str) -> String {
    if name == "staff_availability.csv" {
        format!("\u{feff}{}\r\n\r\n\r\n", text.replace('\n', "\r\n"))
    } else {
        format!("{text}\n")
    }
}

fn assert_clean(f: &Fixture) {
    let v = f.check();
    assert!(
        v.is_empty(),
        "expected no violations, got:\n{}",
        v.join("\n")
    );
}

#[test]
fn valid_week_has_no_violations() {
    assert_clean(&Fixture::valid());
}

#[test]
fn valid_short_week_has_no_violations() {
    assert_clean(&Fixture::short());
}

#[test]
fn any_date_of_the_week_means_that_week() {
    let wednesday = NaiveDate::from_ymd_opt(2024, 1, 3).unwrap();
    let v = Fixture::valid().check_with(wednesday, &CheckOptions::default());
    assert!(v.is_empty(), "{}", v.join("\n"));
}

#[test]
fn configured_durations_are_enforced() {
    let opts = CheckOptions {
        individual_minutes: 60,
        physician_minutes: 30,
    };
    let v = Fixture::valid().check_with(monday(), &opts);
    assert!(
        v.iter().any(|m| m.contains("[duration]")),
        "{}",
        v.join("\n")
    );
}

type Mutation = fn(&mut Fixture);

/// (what is broken, tag the checker must report, how to break it).
fn cases() -> Vec<(&'static str, &'static str, Mutation)> {
    vec![
        // --- client and staff time conflicts
        ("client overlap", "[client_overlap]", |f| {
            f.replace("roster.csv", "11:30,12:20,C1", "10:30,11:20,C1")
        }),
        ("travel buffer one minute short", "[busy]", |f| {
            f.replace("clients.csv", "Early,30", "Early,31")
        }),
        ("activity inside busy block", "[busy]", |f| {
            f.replace("client_busy.csv", "C1,Tue,2:00 PM", "C1,Tue,1:15 PM")
        }),
        ("staff double-booked", "[staff_overlap]", |f| {
            f.replace("roster.csv", "13:30,14:00,C2", "13:00,13:30,C2")
        }),
        ("individual outside availability", "[availability]", |f| {
            f.replace(
                "staff_availability.csv",
                "T1,Mon,12:00,17:00",
                "T1,Mon,12:10,17:00",
            )
        }),
        (
            "facilitator not available whole session",
            "[availability]",
            |f| {
                f.replace(
                    "staff_availability.csv",
                    "T2,Tue,08:00,17:00",
                    "T2,Tue,09:30,17:00",
                )
            },
        ),
        ("physician outside availability", "[availability]", |f| {
            f.replace(
                "staff_availability.csv",
                "P1,2024-01-02,13:00,15:00",
                "P1,2024-01-02,13:00,13:45",
            )
        }),
        // --- sessions
        ("over capacity", "[capacity]", |f| {
            f.replace("sessions.csv", "R1,2,2,IOP;PHP", "R1,1,1,IOP;PHP")
        }),
        ("below min_size", "[min_size]", |f| {
            f.replace("sessions.csv", "R1,2,2,IOP;PHP", "R1,3,3,IOP;PHP")
        }),
        ("eligibility gender", "[eligibility:gender]", |f| {
            f.replace("sessions.csv", "IOP;PHP,,DBT", "IOP;PHP,F,DBT")
        }),
        ("eligibility tags", "[eligibility:tags]", |f| {
            f.replace("sessions.csv", "IOP;PHP,,DBT,", "IOP;PHP,,DBT;SUD,")
        }),
        ("eligibility levels", "[eligibility:levels]", |f| {
            f.replace("sessions.csv", "IOP;PHP,,", "PHP,,")
        }),
        ("eligibility stage", "[eligibility:stage]", |f| {
            f.replace("sessions.csv", "DBT,early", "DBT,late")
        }),
        ("eligibility site", "[eligibility:site]", |f| {
            f.replace("clients.csv", "C2, IOP ,North", "C2, IOP ,South")
        }),
        (
            "session not in this week's catalog",
            "[unknown_session]",
            |f| f.replace("roster.csv", "C1,group,G1", "C1,group,G4"),
        ),
        (
            "group row differs from catalog",
            "[session_mismatch]",
            |f| f.replace("sessions.csv", "Tuesday,09:00,11:00", "Tuesday,09:30,11:00"),
        ),
        ("not the catalog facilitator", "[facilitator]", |f| {
            f.replace("roster.csv", "G1,T1", "G1,T2")
        }),
        (
            "two facilitators for one session",
            "[facilitator_consistency]",
            |f| f.replace("roster.csv", "C2,group,G2,T2", "C2,group,G2,T1"),
        ),
        // --- individual sessions and visits
        ("individual duration", "[duration]", |f| {
            f.replace("roster.csv", "11:30,12:20,C1", "11:30,12:30,C1")
        }),
        ("not the primary therapist", "[primary_therapist]", |f| {
            f.replace("roster.csv", "C1,individual,,T1", "C1,individual,,T2")
        }),
        ("physician at another site", "[staff_site]", |f| {
            f.replace("staff.csv", "P1,physician,North", "P1,physician,South")
        }),
        ("individual with a physician", "[staff_role]", |f| {
            f.replace("roster.csv", "C2,individual,,T2", "C2,individual,,P1")
        }),
        // --- level limits
        ("max_daily", "[max_daily]", |f| {
            f.replace("levels.csv", "IOP,4,6,2,3,1,4,", "IOP,4,6,2,3,1,3,")
        }),
        ("min_daily", "[min_daily]", |f| {
            f.replace("levels.csv", "IOP,4,6,2,3,1,4,", "IOP,4,6,2,3,2.9,4,")
        }),
        ("max_days", "[max_days]", |f| {
            f.replace("levels.csv", "IOP,4,6,2,3,", "IOP,4,6,1,1,")
        }),
        ("max weekly hours", "[max_weekly]", |f| {
            f.replace("levels.csv", "IOP,4,6,", "IOP,4,5.3,")
        }),
        ("too many individual sessions", "[individual_count]", |f| {
            f.replace("levels.csv", "IOP,4,6,2,3,1,4,1,1", "IOP,4,6,2,3,1,4,0,1")
        }),
        ("too many physician visits", "[physician_count]", |f| {
            f.replace("levels.csv", "IOP,4,6,2,3,1,4,1,1", "IOP,4,6,2,3,1,4,1,0")
        }),
        // --- staff limits
        ("staff max weekly hours", "[staff_max_weekly]", |f| {
            f.replace(
                "staff.csv",
                "T1,therapist,North,10,2",
                "T1,therapist,North,2.8,2",
            )
        }),
        (
            "staff max individual per day",
            "[staff_max_individual_per_day]",
            |f| f.replace("staff.csv", "T2,Therapist,,10,2", "T2,Therapist,,10,0"),
        ),
        // --- roster rows
        ("unknown client", "[unknown_client]", |f| {
            f.replace("roster.csv", ",C2,individual", ",C9,individual")
        }),
        ("unknown staff", "[unknown_staff]", |f| {
            f.replace("roster.csv", "C2,individual,,T2", "C2,individual,,T9")
        }),
        ("day does not match date", "[day]", |f| {
            f.replace(
                "roster.csv",
                "2024-01-01,Mon,09:00,11:00,C1",
                "2024-01-01,Tue,09:00,11:00,C1",
            )
        }),
        ("date outside the week", "[date]", |f| {
            f.replace("roster.csv", "2024-01-02,Tue,13:30", "2024-01-09,Tue,13:30")
        }),
        ("unknown activity", "[activity]", |f| {
            f.replace("roster.csv", "C2,individual", "C2,therapy")
        }),
        ("rows out of order", "[sorting]", |f| {
            f.swap_lines("roster.csv", 1, 2)
        }),
        ("roster missing", "[file]", |f| {
            f.files.remove("roster.csv");
        }),
        // --- client_summary.csv
        ("summary status", "[client_summary:status]", |f| {
            f.replace("client_summary.csv", "met,,", "short,,")
        }),
        ("summary hours", "[client_summary:hours]", |f| {
            f.replace("client_summary.csv", "C1,IOP,5.33", "C1,IOP,5.5")
        }),
        ("summary days", "[client_summary:days]", |f| {
            f.replace("client_summary.csv", "C1,IOP,5.33,2", "C1,IOP,5.33,3")
        }),
        ("summary level", "[client_summary:level]", |f| {
            f.replace("client_summary.csv", "C1,IOP", "C1,PHP")
        }),
        ("summary client missing", "[client_summary:missing]", |f| {
            f.remove_line("client_summary.csv", "C2,IOP,5.35,2,1,1,MET,,")
        }),
        ("met with a shortfall", "[client_summary:shortfall]", |f| {
            f.replace("client_summary.csv", "met,,", "met,hours=1,")
        }),
        (
            "short status on a met client",
            "[client_summary:status]",
            |f| f.replace("client_summary.csv", "MET,,", "short,days=0,busy"),
        ),
        ("wrong shortfall value", "[client_summary:shortfall]", |f| {
            *f = Fixture::short();
            f.replace("client_summary.csv", "hours=0.67", "hours=1");
        }),
        ("shortfall key missing", "[client_summary:shortfall]", |f| {
            *f = Fixture::short();
            f.replace("client_summary.csv", "hours=0.67", "days=0");
        }),
        ("short without reason", "[client_summary:reason]", |f| {
            *f = Fixture::short();
            f.replace("client_summary.csv", "no second group fits", "");
        }),
        ("met while short", "[client_summary:status]", |f| {
            *f = Fixture::short();
            f.replace(
                "client_summary.csv",
                "short,hours=0.67,no second group fits",
                "met,,",
            );
        }),
        // --- sessions_summary.csv
        (
            "sessions summary enrolled",
            "[sessions_summary:enrolled]",
            |f| f.replace("sessions_summary.csv", "G1,running,2", "G1,running,1"),
        ),
        (
            "sessions summary status",
            "[sessions_summary:status]",
            |f| f.replace("sessions_summary.csv", "G3,cancelled", "G3,running"),
        ),
        (
            "sessions summary capacity",
            "[sessions_summary:capacity]",
            |f| {
                f.replace(
                    "sessions_summary.csv",
                    "G3,cancelled,0,5",
                    "G3,cancelled,0,6",
                )
            },
        ),
        (
            "sessions summary facilitator",
            "[sessions_summary:facilitator]",
            |f| {
                f.replace(
                    "sessions_summary.csv",
                    "G2,running,2,2,T2",
                    "G2,running,2,2,T1",
                )
            },
        ),
        (
            "sessions summary missing",
            "[sessions_summary:missing]",
            |f| f.remove_line("sessions_summary.csv", "G5,cancelled,0,4,"),
        ),
        (
            "sessions summary outside week",
            "[sessions_summary:unknown]",
            |f| f.append("sessions_summary.csv", "G4,cancelled,0,5,T1"),
        ),
        // --- billing.csv
        ("billing minutes", "[billing:row]", |f| {
            f.replace("billing.csv", "Mon,IOP,,170,yes", "Mon,IOP,,180,yes")
        }),
        ("billing verdict", "[billing:row]", |f| {
            f.replace("billing.csv", "Mon,IOP,,120,yes,", "Mon,IOP,,120,no,short")
        }),
        ("billing a week below min_days", "[billing:row]", |f| {
            f.replace("levels.csv", "IOP,4,6,2,3,", "IOP,4,6,3,3,")
        }),
        ("billing day missing", "[billing:missing]", |f| {
            f.remove_line("billing.csv", "C2,2024-01-02,Tue,IOP,,200,yes,")
        }),
        ("billing day without activity", "[billing:unknown]", |f| {
            f.append("billing.csv", "C2,2024-01-03,Wed,IOP,,60,yes,")
        }),
    ]
}

#[test]
fn every_broken_rule_is_reported() {
    let mut failures = Vec::new();
    for (what, tag, mutate) in cases() {
        let mut f = Fixture::valid();
        mutate(&mut f);
        let v = f.check();
        if !v.iter().any(|m| m.contains(tag)) {
            failures.push(format!("{what}: no {tag} in\n  {}", v.join("\n  ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

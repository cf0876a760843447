//! Each cause of a shortfall, planted in a small program, must be named in the
//! client's reason with what would fix it.

use crate::workdir::{stderr, Workdir, LEVELS, WEEKDAYS};

/// Therapist T1 and physician P1 available `hours` on weekdays.
fn staff(wd: &Workdir, hours: &str) {
    let avail: String = WEEKDAYS
        .iter()
        .map(|d| format!("T1,{d},{hours}\nP1,{d},{hours}\n"))
        .collect();
    wd.file("staff.csv", "staff_id,role\nT1,therapist\nP1,physician\n")
        .file(
            "staff_availability.csv",
            &format!("staff_id,day,start,end\n{avail}"),
        );
}

fn sessions(rows: &str) -> String {
    format!("session_id,name,day,start,end,track,facilitator,capacity,min_size,levels,gender,tags\n{rows}")
}

fn reason_of(wd: &Workdir, client: &str) -> String {
    let out = wd.solve(&[]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    wd.assert_valid();
    let row = wd.summary_of(client);
    assert_eq!(row["status"], "short");
    row["reason"].clone()
}

#[test]
fn no_eligible_session_is_named() {
    let wd = Workdir::new();
    staff(&wd, "08:00,21:00");
    wd.file("levels.csv", LEVELS)
        .file("clients.csv", "client_id,level,gender\nC1,IOP,m\n")
        .file(
            "sessions.csv",
            &sessions("W1,Women,Mon,09:00,12:00,day,T1,10,0,,f,\nW2,Women,Wed,09:00,12:00,day,T1,10,0,,f,\n"),
        );
    let reason = reason_of(&wd, "C1");
    assert!(
        reason.contains("no group session in the catalog is open to them"),
        "{reason}"
    );
}

#[test]
fn too_few_free_days_suggest_where_a_session_would_help() {
    let wd = Workdir::new();
    staff(&wd, "08:00,22:00");
    let busy: String = WEEKDAYS
        .iter()
        .map(|d| format!("C1,{d},08:00,17:00,work\n"))
        .collect();
    wd.file("levels.csv", LEVELS)
        .file("clients.csv", "client_id,level,travel_minutes\nC1,IOP,30\n")
        .file("client_busy.csv", &format!("client_id,day,start,end,reason\n{busy}"))
        .file(
            "sessions.csv",
            &sessions("N1,Night,Mon,18:00,21:00,night,T1,10,0,,,\nN2,Night,Wed,18:00,21:00,night,T1,10,0,,,\n"),
        );
    let reason = reason_of(&wd, "C1");
    assert!(
        reason.starts_with("works Mon-Fri 08:00-17:00 (+30 min travel)"),
        "{reason}"
    );
    assert!(reason.contains("only 2 day(s) (Mon, Wed)"), "{reason}");
    assert!(
        reason.contains("one more eligible session of at least 3 h on Tue 17:30-22:00"),
        "{reason}"
    );
}

#[test]
fn weekly_hours_cap_is_named() {
    // A level that needs 10 h over at most 3 days of 3 h sessions: 9 h at most.
    let levels = "level,min_weekly_hours,max_weekly_hours,min_days,max_days,min_daily_hours,max_daily_hours,individual_per_week,physician_per_week\nX,10,20,3,3,3,4,0,0\n";
    let wd = Workdir::new();
    staff(&wd, "08:00,21:00");
    let rows: String = WEEKDAYS
        .iter()
        .map(|d| format!("D-{d},Day,{d},09:00,12:00,day,T1,10,0,,,\n"))
        .collect();
    wd.file("levels.csv", levels)
        .file("clients.csv", "client_id,level\nC1,X\n")
        .file("sessions.csv", &sessions(&rows));
    let reason = reason_of(&wd, "C1");
    assert!(
        reason.contains("at most 9 h/week of sessions fit"),
        "{reason}"
    );
}

#[test]
fn therapist_never_free_on_program_days_is_named() {
    let wd = Workdir::new();
    let avail: String = WEEKDAYS
        .iter()
        .map(|d| format!("P1,{d},08:00,21:00\n"))
        .collect();
    wd.file("staff.csv", "staff_id,role\nT1,therapist\nT2,therapist\nP1,physician\n")
        .file(
            "staff_availability.csv",
            &format!("staff_id,day,start,end\n{avail}T1,Sun,08:00,12:00\nT2,Mon,08:00,21:00\nT2,Wed,08:00,21:00\nT2,Fri,08:00,21:00\n"),
        );
    wd.file("levels.csv", LEVELS)
        .file("clients.csv", "client_id,level,primary_therapist\nC1,IOP,T1\n")
        .file(
            "sessions.csv",
            &sessions("A,Day,Mon,09:00,12:00,day,T2,10,0,,,\nB,Day,Wed,09:00,12:00,day,T2,10,0,,,\nC,Day,Fri,09:00,12:00,day,T2,10,0,,,\n"),
        );
    let reason = reason_of(&wd, "C1");
    assert!(
        reason.contains("no therapist T1 (primary) time fits on a day they can attend"),
        "{reason}"
    );
}

#[test]
fn a_full_group_is_contention_not_the_clients_own_limits() {
    let wd = Workdir::new();
    staff(&wd, "08:00,21:00");
    wd.file("levels.csv", LEVELS)
        .file("clients.csv", "client_id,level\nC1,OP\nC2,OP\n")
        .file(
            "sessions.csv",
            &sessions("ONE,Evening,Mon,18:00,19:30,night,T1,1,0,,,\n"),
        );
    let out = wd.solve(&[]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    wd.assert_valid();
    let rows = wd.rows("client_summary.csv");
    let short: Vec<_> = rows.iter().filter(|r| r["status"] == "short").collect();
    assert_eq!(short.len(), 1, "one seat, two clients: {rows:?}");
    let reason = &short[0]["reason"];
    assert!(
        reason.contains("could meet OP alone but lost to contention"),
        "{reason}"
    );
    assert!(reason.contains("full: Mon 18:00-19:30 Evening"), "{reason}");
}

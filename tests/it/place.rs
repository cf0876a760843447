//! `iopsched place`: new clients around a published roster, as a coordinator runs it.

use crate::workdir::{csv_rows, stderr, stdout, Workdir, LEVELS};
use std::collections::{BTreeSet, HashMap};

const ROSTER_COLUMNS: [&str; 9] = [
    "date",
    "day",
    "start",
    "end",
    "client_id",
    "activity",
    "session_id",
    "staff_id",
    "site",
];

/// A level met by one 3-hour group: a day's seat decides everything.
const ONE_DAY: &str = "L,3,4,1,1,3,4,0,0\n";

/// Runs `place` with the roster at `roster`, writing into `out/`.
fn place(wd: &Workdir, roster: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let out = wd.out();
    let mut args = vec![
        "--roster",
        roster.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--time-limit",
        "10",
    ];
    args.extend_from_slice(extra);
    wd.run("place", &args)
}

/// The published roster plus every new client's option 1, sorted as roster.csv,
/// written to `combined/roster.csv`; returns the checker's exit code and output.
fn check_with_option_one(wd: &Workdir, roster: &std::path::Path) -> (Option<i32>, String) {
    let mut rows = csv_rows(roster);
    for row in wd.rows("placements.csv") {
        if row["option"] == "1" && !row["activity"].is_empty() {
            assert_eq!(row["moved_clients"], "0", "{row:?}");
            rows.push(row);
        }
    }
    let key = |r: &HashMap<String, String>| {
        let start = format!("{:0>5}", r["start"]);
        (r["date"].clone(), start, r["client_id"].clone())
    };
    rows.sort_by_key(key);
    let mut text = ROSTER_COLUMNS.join(",") + "\n";
    for row in &rows {
        let cells: Vec<&str> = ROSTER_COLUMNS.iter().map(|c| row[*c].as_str()).collect();
        text.push_str(&(cells.join(",") + "\n"));
    }
    let dir = wd.path("combined");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("roster.csv"), text).unwrap();
    let combined = dir.join("roster.csv");
    let check_dir = wd.path("check");
    let out = wd.run(
        "check",
        &[
            "--roster",
            combined.to_str().unwrap(),
            "--out",
            check_dir.to_str().unwrap(),
        ],
    );
    (out.status.code(), stdout(&out) + &stderr(&out))
}

/// Two IOP clients, a day and a night track on every weekday.
fn two_tracks(clients: &str) -> Workdir {
    let wd = Workdir::new();
    let mut availability = String::from("staff_id,day,start,end\n");
    let mut sessions = String::from("session_id,day,start,end,track,facilitator,capacity\n");
    for day in ["Mon", "Tue", "Wed", "Thu", "Fri"] {
        availability.push_str(&format!("T1,{day},08:00,21:00\nP1,{day},08:00,21:00\n"));
        sessions.push_str(&format!("D-{day},{day},09:00,12:00,day,T1,3\n"));
        sessions.push_str(&format!("N-{day},{day},18:00,21:00,night,T1,3\n"));
    }
    wd.file("levels.csv", LEVELS)
        .file("clients.csv", &format!("client_id,level,track\n{clients}"))
        .file("staff.csv", "staff_id,role\nT1,therapist\nP1,physician\n")
        .file("staff_availability.csv", &availability)
        .file("sessions.csv", &sessions);
    wd
}

#[test]
fn option_one_fits_around_the_published_roster_and_passes_check() {
    let wd = two_tracks("C1,IOP,day\nC2,IOP,night\n");
    let solved = wd.solve(&["--quiet", "--time-limit", "10"]);
    assert_eq!(solved.status.code(), Some(0), "{}", stderr(&solved));
    let published = wd.path("published.csv");
    std::fs::copy(wd.out().join("roster.csv"), &published).unwrap();
    wd.file(
        "clients.csv",
        "client_id,level,track\nC1,IOP,day\nC2,IOP,night\nC3,IOP,day\n",
    );

    let out = place(&wd, &published, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = wd.rows("placements.csv");
    assert!(rows.iter().all(|r| r["client_id"] == "C3"), "{rows:?}");
    let option = |n: &str| -> BTreeSet<(String, String, String)> {
        rows.iter()
            .filter(|r| r["option"] == n)
            .map(|r| (r["day"].clone(), r["start"].clone(), r["activity"].clone()))
            .collect()
    };
    let first = rows.iter().find(|r| r["option"] == "1").unwrap();
    assert_eq!(
        (
            first["meets_level"].as_str(),
            first["moved_clients"].as_str()
        ),
        ("yes", "0")
    );
    // The day-track client's best option is on the day track.
    assert!(option("1")
        .iter()
        .all(|(_, start, activity)| activity != "group" || start == "09:00"));
    // Three options, each a different week.
    assert!(!option("2").is_empty() && !option("3").is_empty());
    assert_ne!(option("1"), option("2"));
    assert_ne!(option("2"), option("3"));
    assert!(stdout(&out).contains("option 1: meets IOP, moves nobody: day track"));

    let (code, text) = check_with_option_one(&wd, &published);
    assert_eq!(code, Some(0), "{text}");
}

/// Sessions A (Mon) and B (Tue) seat two; P1 and P2 hold one seat each.
fn last_seats(clients: &str, busy: &str) -> Workdir {
    let wd = Workdir::new();
    let header = LEVELS.lines().next().unwrap();
    wd.file("levels.csv", &format!("{header}\n{ONE_DAY}"))
        .file(
            "clients.csv",
            &format!("client_id,level\nP1,L\nP2,L\n{clients}"),
        )
        .file(
            "client_busy.csv",
            &format!("client_id,day,start,end,reason\n{busy}"),
        )
        .file("staff.csv", "staff_id,role\nT1,therapist\n")
        .file(
            "staff_availability.csv",
            "staff_id,day,start,end\nT1,Mon,08:00,17:00\nT1,Tue,08:00,17:00\n",
        )
        .file(
            "sessions.csv",
            "session_id,day,start,end,facilitator,capacity\n\
             A,Mon,09:00,12:00,T1,2\nB,Tue,09:00,12:00,T1,2\n",
        );
    wd
}

const PUBLISHED_SEATS: &str = "date,day,start,end,client_id,activity,session_id,staff_id,site
2026-11-23,Mon,09:00,12:00,P1,group,A,T1,
2026-11-24,Tue,09:00,12:00,P2,group,B,T1,
";

#[test]
fn two_new_clients_never_get_the_same_last_seat() {
    let wd = last_seats("N1,L\nN2,L\n", "");
    let published = wd.path("published.csv");
    std::fs::write(&published, PUBLISHED_SEATS).unwrap();
    let out = place(&wd, &published, &["--options", "1"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = wd.rows("placements.csv");
    let session = |client: &str| {
        rows.iter()
            .find(|r| r["client_id"] == client)
            .map(|r| r["session_id"].clone())
            .unwrap()
    };
    assert_ne!(session("N1"), session("N2"), "{rows:?}");
    assert!(rows
        .iter()
        .all(|r| r["option"] == "1" && r["meets_level"] == "yes"));
    let (code, text) = check_with_option_one(&wd, &published);
    assert_eq!(code, Some(0), "{text}");
}

#[test]
fn a_new_client_who_cannot_meet_the_level_gets_the_solvers_reason() {
    let busy = "N1,Mon,08:00,17:00,work\nN1,Tue,08:00,17:00,work\n";
    let wd = last_seats("N1,L\n", busy);
    let published = wd.path("published.csv");
    std::fs::write(&published, PUBLISHED_SEATS).unwrap();
    let out = place(&wd, &published, &[]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let rows = wd.rows("placements.csv");
    assert_eq!(rows.len(), 1, "one empty option: {rows:?}");
    assert_eq!(rows[0]["meets_level"], "no");
    // The same words as client_summary.csv's reason for that client.
    let solved = wd.solve(&["--quiet", "--time-limit", "10"]);
    assert_eq!(solved.status.code(), Some(3), "{}", stderr(&solved));
    assert_eq!(rows[0]["reason"], wd.summary_of("N1")["reason"]);
    assert!(rows[0]["reason"].contains("work"), "{}", rows[0]["reason"]);
}

#[test]
fn a_published_roster_that_breaks_a_rule_is_reported_not_used() {
    let wd = last_seats("N1,L\n", "");
    let published = wd.path("published.csv");
    let broken = format!("{PUBLISHED_SEATS}2026-11-23,Mon,09:00,12:00,P2,group,A,T1,\n");
    std::fs::write(&published, broken).unwrap();
    let out = place(&wd, &published, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stderr(&out);
    assert!(
        text.contains("client P2: [max_days]") && text.contains("(published.csv lines 3, 4)"),
        "{text}"
    );
    assert!(
        text.contains("rule(s) broken by the published roster; nothing placed"),
        "{text}"
    );
    assert!(!wd.out().join("placements.csv").exists());
}

#[test]
fn bad_input_gets_the_same_file_line_errors_as_solve() {
    let wd = last_seats("N1,XL\n", "");
    let published = wd.path("published.csv");
    std::fs::write(&published, PUBLISHED_SEATS).unwrap();
    let out = place(&wd, &published, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let solved = wd.solve(&[]);
    let first_line = |text: String| text.lines().next().unwrap_or_default().to_string();
    assert!(
        first_line(stderr(&out)).starts_with("clients.csv:4: column level: "),
        "{}",
        stderr(&out)
    );
    assert_eq!(first_line(stderr(&out)), first_line(stderr(&solved)));
    assert!(!wd.out().join("placements.csv").exists());
}

#[test]
fn when_only_moving_a_published_client_helps_the_option_says_how_many() {
    let wd = Workdir::new();
    let header = LEVELS.lines().next().unwrap();
    // A (Mon) and B (Tue) seat one each and are taken; N1 can come only on Monday,
    // and P1 could just as well go to C (Wed).
    wd.file("levels.csv", &format!("{header}\n{ONE_DAY}"))
        .file("clients.csv", "client_id,level\nP1,L\nP2,L\nN1,L\n")
        .file(
            "client_busy.csv",
            "client_id,day,start,end,reason\nN1,Tue,08:00,17:00,work\nN1,Wed,08:00,17:00,work\n\
             P2,Mon,08:00,17:00,work\nP2,Wed,08:00,17:00,work\n",
        )
        .file("staff.csv", "staff_id,role\nT1,therapist\n")
        .file(
            "staff_availability.csv",
            "staff_id,day,start,end\nT1,Mon,08:00,17:00\nT1,Tue,08:00,17:00\nT1,Wed,08:00,17:00\n",
        )
        .file(
            "sessions.csv",
            "session_id,day,start,end,facilitator,capacity\n\
             A,Mon,09:00,12:00,T1,1\nB,Tue,09:00,12:00,T1,1\nC,Wed,09:00,12:00,T1,1\n",
        );
    let published = wd.path("published.csv");
    std::fs::write(&published, PUBLISHED_SEATS).unwrap();
    let out = place(&wd, &published, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = wd.rows("placements.csv");
    let first: Vec<_> = rows.iter().filter(|r| r["option"] == "1").collect();
    assert_eq!(first.len(), 1, "{rows:?}");
    assert_eq!(
        (
            first[0]["meets_level"].as_str(),
            first[0]["moved_clients"].as_str(),
            first[0]["session_id"].as_str()
        ),
        ("yes", "1", "A")
    );
    // The week as published is still offered, as the second option.
    assert!(rows
        .iter()
        .any(|r| r["option"] == "2" && r["moved_clients"] == "0" && r["meets_level"] == "no"));
    assert!(stdout(&out).contains("moves 1 published client(s)"));
}

/// Parallel rooms A1 and A2 (Mon, same group, three seats, two to run) and B
/// (Tue); P1, P2 and P3 are published in A1, which is full: one more than its
/// minimum, so the class as a whole would count enough members for A2 as well.
fn parallel_rooms(clients: &str, busy: &str) -> (Workdir, std::path::PathBuf) {
    let wd = Workdir::new();
    let header = LEVELS.lines().next().unwrap();
    wd.file("levels.csv", &format!("{header}\n{ONE_DAY}"))
        .file(
            "clients.csv",
            &format!("client_id,level\nP1,L\nP2,L\nP3,L\n{clients}"),
        )
        .file(
            "client_busy.csv",
            &format!("client_id,day,start,end,reason\n{busy}"),
        )
        .file("staff.csv", "staff_id,role\nT1,therapist\nT2,therapist\n")
        .file(
            "staff_availability.csv",
            "staff_id,day,start,end\nT1,Mon,08:00,17:00\nT1,Tue,08:00,17:00\n\
             T2,Mon,08:00,17:00\n",
        )
        .file(
            "sessions.csv",
            "session_id,day,start,end,facilitator,capacity,min_size\n\
             A1,Mon,09:00,12:00,T1,3,2\nA2,Mon,09:00,12:00,T2,3,2\nB,Tue,09:00,12:00,T1,3,0\n",
        );
    let published = wd.path("published.csv");
    std::fs::write(
        &published,
        "date,day,start,end,client_id,activity,session_id,staff_id,site\n\
         2026-11-23,Mon,09:00,12:00,P1,group,A1,T1,\n\
         2026-11-23,Mon,09:00,12:00,P2,group,A1,T1,\n\
         2026-11-23,Mon,09:00,12:00,P3,group,A1,T1,\n",
    )
    .unwrap();
    (wd, published)
}

#[test]
fn a_new_client_alone_never_opens_a_parallel_room_below_its_minimum() {
    let (wd, published) = parallel_rooms("N1,L\n", "");
    let out = place(&wd, &published, &["--options", "1"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = wd.rows("placements.csv");
    // A1 is full and the published clients keep their room: A2 would run with one.
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        (
            rows[0]["session_id"].as_str(),
            rows[0]["moved_clients"].as_str()
        ),
        ("B", "0")
    );
    let (code, text) = check_with_option_one(&wd, &published);
    assert_eq!(code, Some(0), "{text}");
}

#[test]
fn new_clients_open_a_parallel_room_together() {
    let busy = "N1,Tue,08:00,17:00,work\nN2,Tue,08:00,17:00,work\n";
    let (wd, published) = parallel_rooms("N1,L\nN2,L\n", busy);
    let out = place(&wd, &published, &["--options", "1"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = wd.rows("placements.csv");
    let sessions: Vec<&str> = rows.iter().map(|r| r["session_id"].as_str()).collect();
    assert_eq!(sessions, ["A2", "A2"], "{rows:?}");
    let (code, text) = check_with_option_one(&wd, &published);
    assert_eq!(code, Some(0), "{text}");
}

//! End-to-end cases with known answers: the real binary on small programs, every
//! roster re-verified by the independent checker.

use crate::workdir::{stderr, Workdir, LEVELS};

/// One therapist and one physician who work every weekday 08:00-21:00.
const STAFF: &str = "staff_id,role,site,max_weekly_hours,max_individual_per_day\nT1,therapist,,,\nP1,physician,,,\n";

fn staff_availability() -> String {
    let mut rows = String::from("staff_id,day,start,end\n");
    for day in ["Mon", "Tue", "Wed", "Thu", "Fri"] {
        rows.push_str(&format!("T1,{day},08:00,21:00\nP1,{day},08:00,21:00\n"));
    }
    rows
}

const SESSIONS_HEADER: &str = "session_id,name,site,day,start,end,track,facilitator,room,capacity,min_size,levels,gender,tags,stage\n";

/// A day group 09:00-12:00 and a night group 18:00-21:00 on each weekday.
fn day_and_night_sessions() -> String {
    let mut rows = String::from(SESSIONS_HEADER);
    for day in ["Mon", "Tue", "Wed", "Thu", "Fri"] {
        rows.push_str(&format!(
            "D-{day},Day process,,{day},09:00,12:00,day,T1,A,10,0,,,,\n"
        ));
        rows.push_str(&format!(
            "N-{day},Night process,,{day},18:00,21:00,night,T1,A,10,0,,,,\n"
        ));
    }
    rows
}

const CLIENTS_HEADER: &str =
    "client_id,level,site,track,primary_therapist,gender,tags,stage,travel_minutes\n";

/// A program with the standard staff; the caller adds clients, busy blocks and sessions.
fn program(clients: &str, busy: &str, sessions: &str) -> Workdir {
    let wd = Workdir::new();
    wd.file("levels.csv", LEVELS)
        .file("staff.csv", STAFF)
        .file("staff_availability.csv", &staff_availability())
        .file("clients.csv", &format!("{CLIENTS_HEADER}{clients}"))
        .file(
            "client_busy.csv",
            &format!("client_id,day,start,end,reason\n{busy}"),
        )
        .file("sessions.csv", sessions);
    wd
}

fn works_weekdays(client: &str, start: &str, end: &str) -> String {
    ["Mon", "Tue", "Wed", "Thu", "Fri"]
        .iter()
        .map(|d| format!("{client},{d},{start},{end},work\n"))
        .collect()
}

fn roster_of<'a>(
    rows: &'a [std::collections::HashMap<String, String>],
    client: &str,
) -> Vec<&'a std::collections::HashMap<String, String>> {
    rows.iter().filter(|r| r["client_id"] == client).collect()
}

#[test]
fn nine_to_five_worker_lands_in_night_sessions() {
    let wd = program(
        "C1,IOP,,any,T1,,,,0\n",
        &works_weekdays("C1", "09:00", "17:00"),
        &day_and_night_sessions(),
    );
    let out = wd.solve(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    wd.assert_valid();
    let rows = wd.rows("roster.csv");
    let groups: Vec<_> = roster_of(&rows, "C1")
        .into_iter()
        .filter(|r| r["activity"] == "group")
        .collect();
    assert!(groups.len() >= 3, "IOP needs 3 program days: {groups:?}");
    assert!(
        groups.iter().all(|r| r["session_id"].starts_with("N-")),
        "{groups:?}"
    );
    assert_eq!(wd.summary_of("C1")["status"], "met");
}

#[test]
fn travel_minutes_move_the_individual_session() {
    // Busy from 13:00 Mon-Thu; the therapist is free 09:00-13:30, so the only
    // individual slots that do not clash with the 09:00-12:00 group start at 12:00
    // or later, which 45 minutes of travel before work rule out, except on Friday.
    let staff_avail: String = ["Mon", "Tue", "Wed", "Thu", "Fri"]
        .iter()
        .map(|d| format!("T1,{d},09:00,13:30\nP1,{d},09:00,21:00\n"))
        .collect();
    let busy: String = ["Mon", "Tue", "Wed", "Thu"]
        .iter()
        .map(|d| format!("C1,{d},13:00,17:00,work\n"))
        .collect();
    let day_sessions: String = day_and_night_sessions()
        .lines()
        .filter(|l| !l.starts_with("N-"))
        .map(|l| format!("{l}\n"))
        .collect();
    let wd = program("C1,IOP,,day,T1,,,,45\n", &busy, &day_sessions);
    wd.file(
        "staff_availability.csv",
        &format!("staff_id,day,start,end\n{staff_avail}"),
    );
    let out = wd.solve(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    wd.assert_valid();
    let rows = wd.rows("roster.csv");
    let individual: Vec<_> = roster_of(&rows, "C1")
        .into_iter()
        .filter(|r| r["activity"] == "individual")
        .collect();
    assert_eq!(individual.len(), 1);
    assert_eq!(individual[0]["day"], "Fri", "{individual:?}");
}

#[test]
fn a_full_group_pushes_a_client_elsewhere() {
    // Both night-track OP clients would rather be in the Monday night group, which
    // has room for one; the other goes to the Tuesday group on the day track.
    let sessions = format!(
        "{SESSIONS_HEADER}ONE,Small night,,Mon,18:00,19:30,night,T1,A,1,0,OP,,,\nTWO,Early evening,,Tue,18:00,19:30,day,T1,A,5,0,OP,,,\n"
    );
    let wd = program(
        "C1,OP,,night,T1,,,,0\nC2,OP,,night,T1,,,,0\n",
        "",
        &sessions,
    );
    let out = wd.solve(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    wd.assert_valid();
    let sessions = wd.rows("sessions_summary.csv");
    let enrolled =
        |id: &str| sessions.iter().find(|r| r["session_id"] == id).unwrap()["enrolled"].clone();
    assert_eq!(enrolled("ONE"), "1");
    assert_eq!(enrolled("TWO"), "1");
    for c in ["C1", "C2"] {
        assert_eq!(wd.summary_of(c)["status"], "met");
    }
}

#[test]
fn min_size_cancels_a_session() {
    // Only two clients are veterans; the veterans group needs three.
    let sessions = format!(
        "{}VET,Veterans,,Sat,09:00,12:00,day,,B,10,3,,,veteran,\n",
        day_and_night_sessions()
    );
    let wd = program(
        "C1,IOP,,day,T1,,veteran,,0\nC2,IOP,,day,T1,,veteran,,0\n",
        "",
        &sessions,
    );
    wd.file(
        "staff_availability.csv",
        &format!("{}T1,Sat,08:00,13:00\n", staff_availability()),
    );
    let out = wd.solve(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    wd.assert_valid();
    let vet = wd
        .rows("sessions_summary.csv")
        .into_iter()
        .find(|r| r["session_id"] == "VET")
        .unwrap();
    assert_eq!(vet["status"], "cancelled");
    assert_eq!(vet["enrolled"], "0");
    assert!(!wd.read_out("roster.csv").contains("VET"));
}

#[test]
fn client_who_cannot_reach_nine_hours_is_short_with_the_reason() {
    // Night groups run on Monday and Wednesday only: two program days of at most
    // 4 h each, while IOP needs three days and 9 h.
    let mut sessions = String::from(SESSIONS_HEADER);
    sessions.push_str("N-Mon,Night,,Mon,18:00,21:00,night,T1,A,10,0,,,,\n");
    sessions.push_str("N-Wed,Night,,Wed,18:00,21:00,night,T1,A,10,0,,,,\n");
    let wd = program(
        "C1,IOP,,night,T1,,,,30\n",
        &works_weekdays("C1", "08:00", "17:00"),
        &sessions,
    );
    let out = wd.solve(&[]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    wd.assert_valid();
    let summary = wd.summary_of("C1");
    assert_eq!(summary["status"], "short");
    assert!(summary["shortfall"].contains("days=1"), "{summary:?}");
    assert!(summary["shortfall"].starts_with("hours="), "{summary:?}");
    let reason = &summary["reason"];
    assert!(
        reason.contains("works Mon-Fri 08:00-17:00 (+30 min travel)"),
        "{reason}"
    );
    assert!(reason.contains("only 2 day(s) (Mon, Wed)"), "{reason}");
}

#[test]
fn example_roster_is_valid_and_identical_on_a_second_run() {
    let first = Workdir::example();
    let out = first.solve(&[]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    first.assert_valid();
    let short: Vec<_> = first
        .rows("client_summary.csv")
        .into_iter()
        .filter(|r| r["status"] == "short")
        .collect();
    assert!(short.iter().all(|r| !r["reason"].is_empty()));
    assert_eq!(
        short.len(),
        2,
        "the example has two clients who cannot be met: {short:?}"
    );

    let second = Workdir::example();
    second.solve(&[]);
    for file in ["roster.csv", "client_summary.csv", "sessions_summary.csv"] {
        assert_eq!(
            first.read_out(file),
            second.read_out(file),
            "{file} differs between runs"
        );
    }
}

/// A generated two-site program, as a spreadsheet would write it.
fn generated(seed: u64) -> Workdir {
    Workdir::generated(&iopsched::generate::GenerateSpec {
        clients: 25,
        sites: 2,
        seed,
        messy: true,
        kinds: false,
    })
}

#[test]
fn generated_programs_get_valid_rosters() {
    for seed in [11, 12] {
        let wd = generated(seed);
        let out = wd.solve(&[]);
        assert!(matches!(out.status.code(), Some(0 | 3)), "{}", stderr(&out));
        wd.assert_valid();
        assert_eq!(wd.rows("client_summary.csv").len(), 50);
    }
}

#[test]
fn one_site_alone_matches_that_site_in_the_full_solve() {
    let wd = generated(13);
    assert!(matches!(wd.solve(&[]).status.code(), Some(0 | 3)));
    let full = wd.rows("client_summary.csv");
    let out = wd.solve(&["--site", "South"]);
    assert!(matches!(out.status.code(), Some(0 | 3)), "{}", stderr(&out));
    let south = wd.rows("client_summary.csv");
    assert_eq!(south.len(), 25);
    assert!(south.iter().all(|r| r["client_id"].starts_with("S-")));
    // Sites share nothing, so the met count of South is the same either way.
    let met = |rows: &[std::collections::HashMap<String, String>]| {
        rows.iter()
            .filter(|r| r["client_id"].starts_with("S-") && r["status"] == "met")
            .count()
    };
    assert_eq!(met(&full), met(&south));
}

#[test]
fn one_second_still_writes_a_valid_roster() {
    // Mostly the constructive start: it must obey every hard rule on its own.
    for seed in [21, 22, 23] {
        let wd = generated(seed);
        let out = wd.solve(&["--time-limit", "1"]);
        assert!(matches!(out.status.code(), Some(0 | 3)), "{}", stderr(&out));
        wd.assert_valid();
    }
    let wd = Workdir::example();
    wd.solve(&["--time-limit", "1"]);
    wd.assert_valid();
}

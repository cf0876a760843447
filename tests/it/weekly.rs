//! Week over week: a nightly re-run with last week's roster moves nobody who does
//! not have to move.

use crate::workdir::{csv_rows, one_site, stderr, Workdir};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Solves, then keeps the roster as `previous_roster.csv` of the input folder.
fn solve_and_keep(wd: &Workdir) {
    let out = wd.solve(&[]);
    assert!(matches!(out.status.code(), Some(0 | 3)), "{}", stderr(&out));
    wd.file("previous_roster.csv", &wd.read_out("roster.csv"));
}

/// Returning clients whose week changed, read from the files as the contract puts
/// it (not from changes.csv): some row of theirs (weekday, start, end, activity,
/// session, staff) differs from last week's. Asserts that changes.csv lists exactly
/// these clients, a new facilitator included.
fn moved_clients(wd: &Workdir) -> Vec<String> {
    let week = |rows: Vec<HashMap<String, String>>| {
        let mut per_client: BTreeMap<String, Vec<[String; 6]>> = BTreeMap::new();
        for r in rows {
            let key = ["day", "start", "end", "activity", "session_id", "staff_id"];
            let row = key.map(|k| r[k].clone());
            per_client
                .entry(r["client_id"].clone())
                .or_default()
                .push(row);
        }
        per_client.values_mut().for_each(|rows| rows.sort());
        per_client
    };
    let before = week(csv_rows(&wd.input().join("previous_roster.csv")));
    let now = week(wd.rows("roster.csv"));
    let here: BTreeSet<String> = csv_rows(&wd.input().join("clients.csv"))
        .into_iter()
        .map(|r| r["client_id"].clone())
        .collect();
    let changed: Vec<String> = (before.iter())
        .filter(|(c, rows)| here.contains(*c) && now.get(*c) != Some(rows))
        .map(|(c, _)| c.clone())
        .collect();
    let listed: BTreeSet<String> = (wd.rows("changes.csv").into_iter())
        .map(|r| r["client_id"].clone())
        .collect();
    assert_eq!(
        listed,
        changed.iter().cloned().collect::<BTreeSet<_>>(),
        "changes.csv lists other clients than those whose week changed"
    );
    changed
}

fn append(wd: &Workdir, file: &str, rows: &str) {
    let path = wd.input().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(path, format!("{text}{rows}")).unwrap();
}

#[test]
fn one_admission_moves_nobody_else() {
    // A newcomer free all day fits around last week's roster, whatever it was:
    // the therapists and the physician have free afternoons on every weekday.
    let wd = Workdir::example();
    solve_and_keep(&wd);
    append(&wd, "clients.csv", "C041,IOP,,night,T4,f,,early,15\n");
    let out = wd.solve(&[]);
    assert!(matches!(out.status.code(), Some(0 | 3)), "{}", stderr(&out));
    wd.assert_valid();
    assert_eq!(moved_clients(&wd), Vec::<String>::new());
    assert_eq!(wd.summary_of("C041")["status"], "met");
}

#[test]
fn an_admission_short_of_staff_time_moves_one_client_at_most_and_says_why() {
    // A newcomer who works 08:00-16:00 can see the physician and the therapist
    // only late in the afternoon. Whether last week's roster left such an hour
    // free depends on how it was solved; if not, one client's appointment
    // moves so that the newcomer meets their level, and changes.csv says so.
    let wd = Workdir::example();
    solve_and_keep(&wd);
    append(&wd, "clients.csv", "C041,IOP,,night,T4,f,,early,15\n");
    let busy: String = ["Mon", "Tue", "Wed", "Thu", "Fri"]
        .iter()
        .map(|d| format!("C041,{d},08:00,16:00,work\n"))
        .collect();
    append(&wd, "client_busy.csv", &busy);
    let out = wd.solve(&[]);
    assert!(matches!(out.status.code(), Some(0 | 3)), "{}", stderr(&out));
    wd.assert_valid();
    let moved = moved_clients(&wd);
    assert!(moved.len() <= 1, "{moved:?}");
    for row in wd.rows("changes.csv") {
        assert!(row["reason"].contains("more clients meet"), "{row:?}");
    }
    assert_eq!(wd.summary_of("C041")["status"], "met");
}

#[test]
fn one_discharge_moves_nobody_else() {
    let wd = Workdir::example();
    solve_and_keep(&wd);
    let clients = std::fs::read_to_string(wd.input().join("clients.csv")).unwrap();
    let without: String = clients
        .lines()
        .filter(|l| !l.starts_with("C005,"))
        .map(|l| format!("{l}\n"))
        .collect();
    wd.file("clients.csv", &without);
    let busy = std::fs::read_to_string(wd.input().join("client_busy.csv")).unwrap();
    let busy: String = busy
        .lines()
        .filter(|l| !l.starts_with("C005,"))
        .map(|l| format!("{l}\n"))
        .collect();
    wd.file("client_busy.csv", &busy);
    let out = wd.solve(&[]);
    assert!(matches!(out.status.code(), Some(0 | 3)), "{}", stderr(&out));
    wd.assert_valid();
    // C005 leaves D-TUE-RP (min_size 3) with two members: one client joins it
    // rather than both moving. Nobody loses an item.
    let changed = moved_clients(&wd);
    assert!(changed.len() <= 1, "{changed:?}");
    let rows = wd.rows("changes.csv");
    assert!(rows.iter().all(|r| r["change"] == "added"), "{rows:?}");
}

#[test]
fn a_session_gone_from_the_catalog_is_a_change_with_its_reason() {
    let wd = Workdir::example();
    solve_and_keep(&wd);
    // Some client attended D-MON-A last week; this week it is not offered.
    let sessions = std::fs::read_to_string(wd.input().join("sessions.csv")).unwrap();
    let without: String = sessions
        .lines()
        .filter(|l| !l.starts_with("D-MON-A,"))
        .map(|l| format!("{l}\n"))
        .collect();
    wd.file("sessions.csv", &without);
    let out = wd.solve(&[]);
    assert!(matches!(out.status.code(), Some(0 | 3)), "{}", stderr(&out));
    wd.assert_valid();
    let rows = wd.rows("changes.csv");
    let gone: Vec<_> = rows
        .iter()
        .filter(|r| r["from"].contains("D-MON-A"))
        .collect();
    assert!(!gone.is_empty(), "{rows:?}");
    assert!(
        gone.iter()
            .all(|r| r["reason"].contains("not in this week's catalog")),
        "{gone:?}"
    );
}

/// A group led by someone else this week changes every member's week (the
/// contract's rows include the staff member): each member still in the group gets
/// a changes.csv row saying why.
#[test]
fn a_new_facilitator_is_a_change_with_its_reason() {
    let wd = Workdir::example();
    solve_and_keep(&wd);
    // D-WED-B has no catalog facilitator: the solver picked one last week.
    let led_by = |rows: Vec<HashMap<String, String>>| {
        rows.into_iter()
            .find(|r| r["session_id"] == "D-WED-B")
            .map(|r| r["staff_id"].clone())
    };
    let before = led_by(csv_rows(&wd.input().join("previous_roster.csv")));
    let before = before.expect("D-WED-B ran last week");
    // This week they start at noon on Wednesday.
    let availability = std::fs::read_to_string(wd.input().join("staff_availability.csv")).unwrap();
    let moved: String = availability
        .lines()
        .map(|l| match l.strip_prefix(&format!("{before},Wed,")) {
            Some(rest) => format!("{before},Wed,12:00,{}\n", &rest[6..]),
            None => format!("{l}\n"),
        })
        .collect();
    wd.file("staff_availability.csv", &moved);
    let out = wd.solve(&[]);
    assert!(matches!(out.status.code(), Some(0 | 3)), "{}", stderr(&out));
    wd.assert_valid();
    let now = led_by(wd.rows("roster.csv")).expect("D-WED-B still runs");
    assert_ne!(now, before);
    let rows = wd.rows("changes.csv");
    let led: Vec<_> = (rows.iter())
        .filter(|r| r["from"].contains("D-WED-B") && r["to"].contains("D-WED-B"))
        .collect();
    assert!(!led.is_empty(), "{rows:?}");
    for r in led {
        assert_eq!(r["change"], "moved");
        let why = format!("D-WED-B has a new facilitator: {before} is not available then");
        assert!(r["reason"].starts_with(&why), "{r:?}");
    }
    moved_clients(&wd);
}

#[test]
fn same_inputs_and_previous_roster_give_identical_outputs() {
    let first = Workdir::example();
    solve_and_keep(&first);
    first.solve(&[]);
    let second = Workdir::example();
    let previous = std::fs::read_to_string(first.input().join("previous_roster.csv")).unwrap();
    second.file("previous_roster.csv", &previous);
    second.solve(&[]);
    for file in [
        "roster.csv",
        "client_summary.csv",
        "sessions_summary.csv",
        "changes.csv",
        "billing.csv",
    ] {
        assert_eq!(
            first.read_out(file),
            second.read_out(file),
            "{file} differs"
        );
    }
}

/// The example with one more client, admitted or discharged inside the week.
fn with_client(row: &str) -> Workdir {
    let wd = Workdir::example();
    let clients = std::fs::read_to_string(wd.input().join("clients.csv")).unwrap();
    let header = clients.lines().next().unwrap();
    let body: String = clients
        .lines()
        .skip(1)
        .map(|l| format!("{l},,\n"))
        .collect();
    wd.file(
        "clients.csv",
        &format!("{header},admit_date,discharge_date\n{body}{row}\n"),
    );
    wd
}

#[test]
fn an_admission_on_wednesday_is_scheduled_from_wednesday_with_prorated_minimums() {
    let wd = with_client("C041,IOP,,day,T1,m,,early,0,2026-11-25,");
    let out = wd.solve(&[]);
    assert!(matches!(out.status.code(), Some(0 | 3)), "{}", stderr(&out));
    wd.assert_valid();
    let rows = wd.rows("roster.csv");
    let mine: Vec<_> = rows.iter().filter(|r| r["client_id"] == "C041").collect();
    assert!(!mine.is_empty());
    assert!(
        mine.iter().all(|r| r["date"].as_str() >= "2026-11-25"),
        "{mine:?}"
    );
    // Three of the five program days (Sat counts too here: six) are left; the
    // summary is judged against the pro-rated minimums, which the checker
    // recomputes on its own.
    assert_eq!(wd.summary_of("C041")["status"], "met");
}

#[test]
fn check_flags_an_activity_before_admission() {
    let wd = with_client("C041,IOP,,day,T1,m,,early,0,2026-11-25,");
    wd.solve(&[]);
    let roster = wd.path("edited.csv");
    // A hand edit: C041 in Monday's group, two days before admission.
    let mut text = wd.read_out("roster.csv");
    text.push_str("2026-11-23,Mon,09:00,12:00,C041,group,D-MON-A,T1,\n");
    std::fs::write(&roster, text).unwrap();
    let out = wd.run(
        "check",
        &[
            "--roster",
            roster.to_str().unwrap(),
            "--out",
            wd.path("checked").to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let violations = std::fs::read_to_string(wd.path("checked").join("violations.csv")).unwrap();
    assert!(
        violations.lines().any(|l| l.starts_with("admission,C041,")),
        "{violations}"
    );
}

#[test]
fn a_discharge_on_tuesday_ends_the_week_on_tuesday() {
    let wd = with_client("C041,OP,,any,T1,m,,early,0,,2026-11-24");
    let out = wd.solve(&[]);
    assert!(matches!(out.status.code(), Some(0 | 3)), "{}", stderr(&out));
    wd.assert_valid();
    let rows = wd.rows("roster.csv");
    assert!(rows
        .iter()
        .filter(|r| r["client_id"] == "C041")
        .all(|r| r["date"].as_str() <= "2026-11-24"));
}

#[test]
fn a_discharge_before_the_admission_is_an_input_error() {
    let wd = with_client("C041,IOP,,day,T1,m,,early,0,2026-11-25,2026-11-24");
    let out = wd.solve(&[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(
            "clients.csv:42: column discharge_date: 2026-11-24 is before the admit_date 2026-11-25"
        ),
        "{}",
        stderr(&out)
    );
}

/// A generated 40-client site (not the hand-made example), solved and kept as
/// last week's roster.
fn generated_week_kept(limit: &str) -> Workdir {
    let wd = Workdir::generated(&one_site(40, 11));
    let out = wd.solve(&["--time-limit", limit]);
    assert!(matches!(out.status.code(), Some(0 | 3)), "{}", stderr(&out));
    wd.file("previous_roster.csv", &wd.read_out("roster.csv"));
    wd
}

/// Clients met and hours short (from `shortfall`) over the clients other than `new`.
fn met_and_hours_short(wd: &Workdir, new: &str) -> (usize, f64) {
    let rows = wd.rows("client_summary.csv");
    let others = rows.iter().filter(|r| r["client_id"] != new);
    let met = others.clone().filter(|r| r["status"] == "met").count();
    let hours = others
        .flat_map(|r| {
            r["shortfall"]
                .split(';')
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter_map(|part| {
            part.strip_prefix("hours=")
                .map(|h| h.parse::<f64>().unwrap())
        })
        .sum();
    (met, hours)
}

/// Stability ranks right after the hours shortfall: an admission re-solved with a
/// short limit moves at most a few others, and more only when that meets more
/// clients or leaves fewer hours short in total (the newcomer included).
#[test]
fn one_admission_with_a_short_time_limit_moves_few_others() {
    let wd = generated_week_kept("30");
    let (met_before, short_before) = met_and_hours_short(&wd, "N-NEW01");
    append(&wd, "clients.csv", "N-NEW01,IOP,North,night,,,,,0\n");
    let busy: String = ["Mon", "Tue", "Wed", "Thu", "Fri"]
        .iter()
        .map(|d| format!("N-NEW01,{d},08:00,17:00,work\n"))
        .collect();
    append(&wd, "client_busy.csv", &busy);
    let out = wd.solve(&["--time-limit", "4"]);
    assert!(matches!(out.status.code(), Some(0 | 3)), "{}", stderr(&out));
    wd.assert_valid();
    let moved: Vec<String> = moved_clients(&wd)
        .into_iter()
        .filter(|c| c != "N-NEW01")
        .collect();
    let (met_after, _) = met_and_hours_short(&wd, "N-NEW01");
    assert!(
        met_after >= met_before,
        "{met_after} met after, {met_before} before"
    );
    // Moves may serve the newcomer too: count everyone, the newcomer as 9 h short
    // (IOP's minimum) before they were scheduled.
    let (met_all, short_all) = met_and_hours_short(&wd, "");
    let bought = met_all > met_before || short_all < short_before + 9.0 - 1e-9;
    assert!(
        moved.len() <= 3 || bought,
        "{} others moved for nothing: {moved:?}",
        moved.len()
    );
}

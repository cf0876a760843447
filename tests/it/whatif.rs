//! `iopsched whatif`: proposals measured by solving, on a planted case.

use crate::workdir::{stderr, stdout, Workdir, LEVELS};

const SESSION_COLUMNS: [&str; 15] = [
    "session_id",
    "name",
    "site",
    "day",
    "start",
    "end",
    "track",
    "facilitator",
    "room",
    "capacity",
    "min_size",
    "levels",
    "gender",
    "tags",
    "stage",
];

/// Four evening workers who need 3 program days but find evening groups on two
/// days only (Mon, Wed); one day client who is fine.
fn evening_workers() -> Workdir {
    let wd = Workdir::new();
    let header = LEVELS.lines().next().unwrap();
    let mut availability = String::from("staff_id,day,start,end\n");
    let mut sessions = SESSION_COLUMNS.join(",") + "\n";
    let mut busy = String::from("client_id,day,start,end,reason\n");
    for day in ["Mon", "Tue", "Wed", "Thu", "Fri"] {
        availability.push_str(&format!("T1,{day},08:00,21:00\nT2,{day},08:00,21:00\n"));
        sessions.push_str(&format!(
            "D-{day},Day Group,,{day},09:00,12:00,day,T1,Room A,10,0,,,,\n"
        ));
        for client in ["E1", "E2", "E3", "E4"] {
            busy.push_str(&format!("{client},{day},08:00,17:00,work\n"));
        }
    }
    for day in ["Mon", "Wed"] {
        sessions.push_str(&format!(
            "N-{day},Evening Group,,{day},18:00,21:00,night,T2,Room B,10,0,,,,\n"
        ));
    }
    wd.file("levels.csv", &format!("{header}\nW,9,20,3,5,3,4,0,0\n"))
        .file(
            "clients.csv",
            "client_id,level,track\nD1,W,day\nE1,W,night\nE2,W,night\nE3,W,night\nE4,W,night\n",
        )
        .file("client_busy.csv", &busy)
        .file("staff.csv", "staff_id,role\nT1,therapist\nT2,therapist\n")
        .file("staff_availability.csv", &availability)
        .file("sessions.csv", &sessions);
    wd
}

fn met(wd: &Workdir) -> usize {
    wd.rows("client_summary.csv")
        .iter()
        .filter(|r| r["status"] == "met")
        .count()
}

#[test]
fn whatif_proposes_the_missing_evening_and_it_really_meets_more_clients() {
    let wd = evening_workers();
    let solved = wd.solve(&["--quiet", "--time-limit", "10"]);
    assert_eq!(solved.status.code(), Some(3), "{}", stderr(&solved));
    let before = met(&wd);
    assert_eq!(before, 1);

    let out_dir = wd.path("whatif");
    let out = wd.run(
        "whatif",
        &[
            "--top",
            "3",
            "--time-limit",
            "10",
            "--out",
            out_dir.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = crate::workdir::csv_rows(&out_dir.join("whatif.csv"));
    assert!(!rows.is_empty(), "{}", stdout(&out));
    let top = &rows[0];
    assert_eq!(
        (
            top["rank"].as_str(),
            top["change"].as_str(),
            top["track"].as_str(),
            top["start"].as_str()
        ),
        ("1", "add_session", "night", "18:00"),
        "{rows:?}"
    );
    assert!(
        ["Tue", "Thu", "Fri"].contains(&top["day"].as_str()),
        "{top:?}"
    );
    let extra_met: usize = top["extra_met"].parse().unwrap();
    assert_eq!(extra_met, 4, "{top:?}");
    assert_eq!(top["extra_hours"], "12");

    // Pasted into sessions.csv as it is, the row really meets that many more clients.
    let cells: Vec<&str> = SESSION_COLUMNS.iter().map(|c| top[*c].as_str()).collect();
    let sessions = std::fs::read_to_string(wd.input().join("sessions.csv")).unwrap();
    wd.file("sessions.csv", &format!("{sessions}{}\n", cells.join(",")));
    let solved = wd.solve(&["--quiet", "--time-limit", "10"]);
    assert_eq!(solved.status.code(), Some(0), "{}", stderr(&solved));
    assert_eq!(met(&wd), before + extra_met);
    wd.assert_valid();
}

#[test]
fn whatif_on_bad_input_gets_the_same_file_line_errors_as_solve() {
    let wd = evening_workers();
    wd.file("clients.csv", "client_id,level\nE1,W\nE2,X\n");
    let out = wd.run("whatif", &["--out", wd.path("whatif").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let solved = wd.solve(&[]);
    assert_eq!(stderr(&out), stderr(&solved));
    assert!(stderr(&out).starts_with("clients.csv:3: column level: "));
    assert!(!wd.path("whatif").exists());
}

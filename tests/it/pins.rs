//! Pins: assignments fixed by hand are hard; conflicting ones are all reported and
//! nothing is written.

use crate::workdir::{stderr, Workdir};

fn example_with_pins(pins: &str) -> Workdir {
    let wd = Workdir::example();
    wd.file(
        "pins.csv",
        &format!("client_id,activity,session_id,staff_id,day,start\n{pins}"),
    );
    wd
}

#[test]
fn pinned_group_and_appointment_are_in_the_roster() {
    // D-MON-B runs in parallel with D-MON-A: the pin decides which room.
    let wd = example_with_pins("C001,group,D-MON-B,,,\nC001,individual,,T1,Wed,12:10\n");
    let out = wd.solve(&[]);
    assert!(matches!(out.status.code(), Some(0 | 3)), "{}", stderr(&out));
    wd.assert_valid();
    let rows = wd.rows("roster.csv");
    let has = |session: &str, activity: &str, start: &str| {
        rows.iter().any(|r| {
            r["client_id"] == "C001"
                && r["session_id"] == session
                && r["activity"] == activity
                && r["start"] == start
        })
    };
    assert!(has("D-MON-B", "group", "09:00"), "pinned group missing");
    // 12:10 is off the 30-minute grid: a pin is offered even so.
    assert!(has("", "individual", "12:10"), "pinned individual missing");
}

#[test]
fn conflicting_pins_are_reported_together_and_nothing_is_written() {
    let wd = example_with_pins(
        "C001,group,D-THU-WOM,,,\n\
         C002,individual,,T1,Mon,18:00\n\
         C003,group,D-MON-A,,,\n\
         C003,group,D-MON-B,,,\n",
    );
    let out = wd.solve(&[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    for expected in [
        "pins.csv:2: eligibility: C001 may not attend D-THU-WOM (gender)",
        "pins.csv:3: availability: T1 is not available Mon 18:00-18:50",
        "pins.csv:4 and 5: client overlap: C003 would be in two places at Mon 09:00-12:00",
    ] {
        assert!(err.contains(expected), "missing `{expected}` in:\n{err}");
    }
    assert!(!wd.out().exists(), "nothing may be written");
}

#[test]
fn a_pin_with_an_unknown_client_is_an_input_error() {
    let wd = example_with_pins("C999,group,D-MON-A,,,\n");
    let out = wd.solve(&[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("pins.csv:2: column client_id: unknown client 'C999'"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn pins_no_roster_can_keep_are_refused() {
    // A lone individual session on Sunday cannot make a 4 h PHP day: no roster
    // keeps this pin, which only the model can tell.
    let wd = example_with_pins("C001,individual,,T1,Sun,08:00\n");
    let availability = std::fs::read_to_string(wd.input().join("staff_availability.csv")).unwrap();
    wd.file(
        "staff_availability.csv",
        &format!("{availability}T1,Sun,08:00,12:00\n"),
    );
    let out = wd.solve(&[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no roster keeps every pin"),
        "{}",
        stderr(&out)
    );
    assert!(!wd.out().exists());
}

#[test]
fn a_valid_pin_with_a_one_second_limit_writes_a_roster() {
    // Running out of time is not a pin conflict: the constructive start keeps the
    // pin (C008's individual session, where the solver puts it anyway).
    let wd = example_with_pins("C008,individual,,T1,Mon,08:00\n");
    let out = wd.solve(&["--time-limit", "1"]);
    assert!(matches!(out.status.code(), Some(0 | 3)), "{}", stderr(&out));
    wd.assert_valid();
    let pinned = wd.rows("roster.csv").into_iter().any(|r| {
        r["client_id"] == "C008" && r["activity"] == "individual" && r["start"] == "08:00"
    });
    assert!(pinned, "the pinned session is in the roster");
}

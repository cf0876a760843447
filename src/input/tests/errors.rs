//! One test per kind of input error, each message checked word for word.

use super::*;

const LEVELS_HEADER: &str = "level,min_weekly_hours,max_weekly_hours,min_days,max_days,min_daily_hours,max_daily_hours,individual_per_week,physician_per_week";
const SESSIONS_HEADER: &str =
    "session_id,day,start,end,capacity,min_size,facilitator,levels,track,room,site";

#[test]
fn missing_required_file_is_named_without_a_line() {
    assert_eq!(
        error_with(&[("staff.csv", "")]),
        "staff.csv: file is missing (expected it in the input folder: one row per therapist or physician)"
    );
}

#[test]
fn empty_file_names_the_header_it_needs() {
    assert_eq!(
        error_with(&[("levels.csv", "\u{feff}\r\n")]),
        "levels.csv: file is empty (expected a header row naming level, min_weekly_hours, \
         max_weekly_hours, min_days, max_days, min_daily_hours, max_daily_hours, \
         individual_per_week, physician_per_week)"
    );
}

#[test]
fn missing_required_column_is_a_whole_file_error() {
    assert_eq!(
        error_with(&[("clients.csv", "client_id,lvl\nC1,IOP\n")]),
        "clients.csv:1: missing required column level (expected a header naming client_id, level)"
    );
}

#[test]
fn repeated_header_column_is_an_error() {
    assert_eq!(
        error_with(&[("clients.csv", "client_id,level,Level\nC1,IOP,IOP\n")]),
        "clients.csv:1: column level: appears more than once in the header (expected each column once)"
    );
}

#[test]
fn unknown_level_lists_the_known_ones() {
    assert_eq!(
        error_with(&[("clients.csv", "client_id,level\nC1,IOP\nC2,IOPP\n")]),
        "clients.csv:3: column level: unknown level 'IOPP' (expected one of IOP, PHP, OP)"
    );
}

#[test]
fn line_numbers_are_physical_with_crlf_and_blank_lines() {
    // Regression: the csv crate's own count ran one short on CRLF files and did
    // not count a blank line in the middle.
    assert_eq!(
        error_with(&[(
            "clients.csv",
            "client_id,level\r\nC1,IOP\r\nC2,OP\r\nC3,IOPP\r\n"
        )]),
        "clients.csv:4: column level: unknown level 'IOPP' (expected one of IOP, PHP, OP)"
    );
    assert_eq!(
        error_with(&[("clients.csv", "client_id,level\nC1,IOP\n\nC3,IOPP\n")]),
        "clients.csv:4: column level: unknown level 'IOPP' (expected one of IOP, PHP, OP)"
    );
}

#[test]
fn reference_off_only_by_case_gets_a_hint() {
    assert_eq!(
        error_with(&[("clients.csv", "client_id,level,primary_therapist\nC1,iop,T1\n")]),
        "clients.csv:2: column level: unknown level 'iop' (expected one of IOP, PHP, OP; did you mean 'IOP'? case matters)"
    );
}

#[test]
fn empty_and_duplicate_ids_are_errors_on_the_later_row() {
    let clients = "client_id,level\nC1,IOP\n ,IOP\nC1,OP\nC2,\n";
    assert_eq!(
        errors_with(&[("clients.csv", clients)]),
        [
            "clients.csv:3: column client_id: is empty (expected a unique client_id)",
            "clients.csv:4: duplicate client_id 'C1' (first on line 2; expected each client_id once)",
            "clients.csv:5: column level: is empty (expected one of IOP, PHP, OP)",
        ]
    );
}

#[test]
fn bad_numbers_say_what_was_expected() {
    let clients = "client_id,level,travel_minutes\nC1,IOP,-5\nC2,IOP,1.5\nC3,IOP,abc\n";
    let staff = "staff_id,role,max_weekly_hours,max_individual_per_day\nT1,therapist,-1,2.5\nP1,physician,,\n";
    assert_eq!(
        errors_with(&[("clients.csv", clients), ("staff.csv", staff)]),
        [
            "clients.csv:2: column travel_minutes: '-5' is negative (expected a whole number of 0 or more, e.g. 2)",
            "clients.csv:3: column travel_minutes: '1.5' is not a whole number (expected a whole number of 0 or more, e.g. 2)",
            "clients.csv:4: column travel_minutes: 'abc' is not a whole number (expected a whole number of 0 or more, e.g. 2)",
            "staff.csv:2: column max_weekly_hours: '-1' is negative (expected a number of hours of 0 or more, e.g. 8 or 8.5)",
            "staff.csv:2: column max_individual_per_day: '2.5' is not a whole number (expected a whole number of 0 or more, e.g. 2)",
        ]
    );
}

#[test]
fn level_values_are_all_required_and_checked() {
    let levels = format!(
        "{LEVELS_HEADER}\nIOP,-9,x,3,8,3,4,1.5,\nPHP,20,30,5,5,4,6,2,1\nOP,1,8.5,1,2,1,3,1,0\n"
    );
    assert_eq!(
        errors_with(&[("levels.csv", &levels)]),
        [
            "levels.csv:2: column min_weekly_hours: '-9' is negative (expected a number of hours of 0 or more, e.g. 8 or 8.5)",
            "levels.csv:2: column max_weekly_hours: 'x' is not a number of hours (expected a number of hours of 0 or more, e.g. 8 or 8.5)",
            "levels.csv:2: column max_days: '8' is more than 7 (expected at most the 7 days of a week)",
            "levels.csv:2: column individual_per_week: '1.5' is not a whole number (expected a whole number of 0 or more, e.g. 2)",
            "levels.csv:2: column physician_per_week: is empty (expected a whole number of 0 or more, e.g. 2)",
        ]
    );
}

#[test]
fn level_minimum_above_maximum_is_an_error_after_rounding() {
    let levels = format!(
        "{LEVELS_HEADER}\nIOP,21,20,6,5,4,3.99,1,1\nPHP,20,30,5,5,4,6,2,1\nOP,1,8.5,1,2,1,3,1,0\n"
    );
    assert_eq!(
        errors_with(&[("levels.csv", &levels)]),
        [
            "levels.csv:2: column min_weekly_hours: '21' (1260 min) is more than max_weekly_hours '20' (1200 min) (expected the minimum to be at most the maximum)",
            "levels.csv:2: column min_days: '6' is more than max_days '5' (expected the minimum to be at most the maximum)",
            "levels.csv:2: column min_daily_hours: '4' (240 min) is more than max_daily_hours '3.99' (239 min) (expected the minimum to be at most the maximum)",
        ]
    );
}

#[test]
fn duplicate_level_name_is_an_error() {
    let levels = format!("{LEVELS_HEADER}\nIOP,9,20,3,5,3,4,1,1\nIOP,9,20,3,5,3,4,1,1\n");
    assert_eq!(
        error_with(&[("levels.csv", &levels)]),
        "levels.csv:3: duplicate level 'IOP' (first on line 2; expected each level once)"
    );
}

#[test]
fn bad_role_and_tracks_name_the_accepted_words() {
    let staff = "staff_id,role\nT1,therapist\nP1,nurse\n";
    let clients = "client_id,level,track\nC1,IOP,evening\n";
    let sessions = format!("{SESSIONS_HEADER}\nG1,Mon,09:00,12:00,4,,,,evening,,\n");
    assert_eq!(
        errors_with(&[
            ("staff.csv", staff),
            ("clients.csv", clients),
            ("sessions.csv", &sessions)
        ]),
        [
            "clients.csv:2: column track: 'evening' is not a track (expected day, night or any)",
            "staff.csv:3: column role: 'nurse' is not a role (expected therapist, physician or a role that appointments.csv books)",
            "sessions.csv:2: column track: 'evening' is not a track (expected day or night)",
        ]
    );
}

#[test]
fn physician_cannot_be_primary_therapist_or_facilitator() {
    let clients = "client_id,level,primary_therapist\nC1,IOP,P1\n";
    let sessions = format!("{SESSIONS_HEADER}\nG1,Mon,09:00,12:00,4,,P1,,,,\n");
    assert_eq!(
        errors_with(&[("clients.csv", clients), ("sessions.csv", &sessions)]),
        [
            "clients.csv:2: column primary_therapist: P1 is a physician (expected a therapist)",
            "sessions.csv:2: column facilitator: P1 is a physician (expected a therapist)",
        ]
    );
}

#[test]
fn unknown_references_across_files_are_errors() {
    let clients = "client_id,level,primary_therapist\nC1,IOP,T9\n";
    let busy = "client_id,day,start,end\nC9,Mon,08:00,09:00\n";
    let availability = "staff_id,day,start,end\nX1,Mon,08:00,09:00\n";
    let sessions = format!("{SESSIONS_HEADER}\nG1,Mon,09:00,12:00,4,,T9,IOP; XYZ,,,\n");
    assert_eq!(
        errors_with(&[
            ("clients.csv", clients),
            ("client_busy.csv", busy),
            ("staff_availability.csv", availability),
            ("sessions.csv", &sessions),
        ]),
        [
            "clients.csv:2: column primary_therapist: unknown staff_id 'T9' (expected a therapist: one of T1)",
            "client_busy.csv:2: column client_id: unknown client_id 'C9' (expected one of C1)",
            "staff_availability.csv:2: column staff_id: unknown staff_id 'X1' (expected one of T1, P1)",
            "sessions.csv:2: column facilitator: unknown staff_id 'T9' (expected a therapist: one of T1)",
            "sessions.csv:2: column levels: unknown level 'XYZ' (expected one of IOP, PHP, OP)",
        ]
    );
}

#[test]
fn references_into_an_unusable_file_are_not_checked() {
    // staff.csv is missing: saying every staff_id is unknown would only bury the cause.
    let clients = "client_id,level,primary_therapist\nC1,IOP,T1\n";
    assert_eq!(
        errors_with(&[("staff.csv", ""), ("clients.csv", clients)]),
        ["staff.csv: file is missing (expected it in the input folder: one row per therapist or physician)"]
    );
}

#[test]
fn bad_days_and_times_and_an_end_before_its_start() {
    let availability = "staff_id,day,start,end\nT1,Mo,8,17:00\nT1,Mon,09:00,08:00\nT1,Tue,,\n";
    assert_eq!(
        errors_with(&[("staff_availability.csv", availability)]),
        [
            "staff_availability.csv:2: column day: 'Mo' is not a day (expected Mon..Sun, a full day name or YYYY-MM-DD)",
            "staff_availability.csv:2: column start: '8' is not a time (expected HH:MM, e.g. 09:00 or 6:30 PM)",
            "staff_availability.csv:3: column end: '08:00' is not after start '09:00' (expected an end later than the start on the same day)",
            "staff_availability.csv:4: column start: is empty (expected a time such as 09:00 or 6:30 PM)",
            "staff_availability.csv:4: column end: is empty (expected a time such as 09:00 or 6:30 PM)",
        ]
    );
}

#[test]
fn dated_rows_of_other_weeks_are_still_checked() {
    let busy = "client_id,day,start,end\nC1,2026-12-07,10:00,09:00\nC1,2026-13-01,08:00,09:00\n";
    assert_eq!(
        errors_with(&[("client_busy.csv", busy)]),
        [
            "client_busy.csv:2: column end: '09:00' is not after start '10:00' (expected an end later than the start on the same day)",
            "client_busy.csv:3: column day: '2026-13-01' is not a day (expected Mon..Sun, a full day name or YYYY-MM-DD)",
        ]
    );
}

#[test]
fn min_size_above_capacity_and_missing_capacity() {
    let sessions =
        format!("{SESSIONS_HEADER}\nG1,Mon,09:00,12:00,4,5,,,,,\nG2,Tue,09:00,12:00,,,,,,,\n");
    assert_eq!(
        errors_with(&[("sessions.csv", &sessions)]),
        [
            "sessions.csv:2: column min_size: '5' is more than capacity '4' (expected at most the capacity)",
            "sessions.csv:3: column capacity: is empty (expected a whole number of 0 or more, e.g. 2)",
        ]
    );
}

#[test]
fn overlapping_sessions_in_one_room_clash_on_the_later_row() {
    let sessions = format!(
        "{SESSIONS_HEADER}\n\
         G1,Tue,09:00,12:00,3,,,,,Blue,A\n\
         G2,Tue,11:00,13:00,3,,,,,blue ,A\n\
         G3,Tue,11:30,12:00,3,,,,,Blue,B\n\
         G4,Tue,12:00,13:00,3,,,,,Green,A\n\
         G5,Tue,12:00,13:00,3,,,,,Green,A\n\
         G6,Tue,09:00,12:00,3,,,,,,A\n\
         G7,2026-12-01,09:00,12:00,3,,,,,Blue,A\n"
    );
    assert_eq!(
        errors_with(&[("sessions.csv", &sessions)]),
        [
            "sessions.csv:3: column room: room 'blue' is taken by session G1 (line 2, Tue 09:00-12:00) (expected no other session in the same room at an overlapping time)",
            "sessions.csv:6: column room: room 'Green' is taken by session G4 (line 5, Tue 12:00-13:00) (expected no other session in the same room at an overlapping time)",
        ]
    );
}

#[test]
fn empty_catalog_is_an_error_only_while_clients_exist() {
    let no_sessions = "session_id,day,start,end,capacity\n";
    assert_eq!(
        error_with(&[("sessions.csv", no_sessions)]),
        "sessions.csv: file has no session rows (expected at least one group session, since clients.csv has clients)"
    );
    assert_eq!(
        errors_with(&[
            ("sessions.csv", no_sessions),
            ("clients.csv", "client_id,level\n")
        ]),
        Vec::<String>::new()
    );
}

#[test]
fn catalog_without_a_session_this_week_is_a_warning() {
    let mut files = clean_files();
    let other_week = "session_id,day,start,end,capacity\nG1,2026-12-01,09:00,12:00,4\n";
    files.insert("sessions.csv", other_week.into());
    let program = load_files(&files).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(program.sessions, vec![]);
    let warnings: Vec<String> = program.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        ["sessions.csv: no session falls in the week of 2026-11-23; no group can run"]
    );
    assert_eq!(program.warnings[0].line(), None);
}

#[test]
fn row_that_is_not_utf8_is_reported_on_its_line() {
    let dir = write_folder(&clean_files());
    let bytes = b"client_id,level\nC1,IOP\nC2,\xffOP\n";
    std::fs::write(dir.path().join("clients.csv"), bytes).expect("a writable fixture");
    let errors = load(dir.path(), monday(), &LoadSettings::default()).expect_err("bad bytes");
    assert_eq!(
        errors.to_string(),
        "clients.csv:3: column level: is not valid UTF-8 (expected UTF-8 text: save the file as CSV UTF-8)"
    );
}

#[test]
fn every_problem_of_every_file_is_reported_at_once_in_file_order() {
    let levels = format!("{LEVELS_HEADER}\nIOP,9,20,3,9,3,4,1,1\n");
    let clients = "client_id,level,primary_therapist\nC1,PHP,T1\nC1,IOP,\n";
    let staff = "staff_id,role\nT1,doctor\n";
    let sessions = format!("{SESSIONS_HEADER}\nG1,Mon,09:00,12:00,x,,,,,,\n");
    let errors = errors_with(&[
        ("sessions.csv", &sessions),
        ("staff_availability.csv", ""),
        ("staff.csv", staff),
        ("clients.csv", clients),
        ("levels.csv", &levels),
    ]);
    assert_eq!(
        errors,
        [
            "levels.csv:2: column max_days: '9' is more than 7 (expected at most the 7 days of a week)",
            "clients.csv:2: column level: unknown level 'PHP' (expected one of IOP)",
            "clients.csv:3: duplicate client_id 'C1' (first on line 2; expected each client_id once)",
            "staff.csv:2: column role: 'doctor' is not a role (expected therapist, physician or a role that appointments.csv books)",
            "staff_availability.csv: file is missing (expected it in the input folder: one row per block of time a staff member can work)",
            "sessions.csv:2: column capacity: 'x' is not a whole number (expected a whole number of 0 or more, e.g. 2)",
        ]
    );
}

#[test]
fn error_display_has_file_line_and_column_parts() {
    let error = |line, column: Option<&str>| InputError {
        file: "clients.csv".into(),
        line,
        column: column.map(str::to_string),
        message: "what (expected)".into(),
    };
    assert_eq!(
        error(Some(7), Some("level")).to_string(),
        "clients.csv:7: column level: what (expected)"
    );
    assert_eq!(
        error(Some(7), None).to_string(),
        "clients.csv:7: what (expected)"
    );
    assert_eq!(
        error(None, None).to_string(),
        "clients.csv: what (expected)"
    );
    let both = InputErrors(vec![error(Some(2), None), error(None, None)]);
    assert_eq!(
        both.to_string(),
        "clients.csv:2: what (expected)\nclients.csv: what (expected)"
    );
}

#[test]
fn missing_folder_is_one_error() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let gone = dir.path().join("week-48");
    let errors = load(&gone, monday(), &LoadSettings::default()).expect_err("no folder");
    assert_eq!(
        errors.to_string(),
        format!(
            "{}: folder does not exist (expected a folder holding levels.csv, clients.csv, \
             client_busy.csv, staff.csv, staff_availability.csv, sessions.csv, appointments.csv)",
            gone.display()
        )
    );
}

#[test]
fn previous_roster_rows_are_matched_or_reported() {
    let files = clean_files();
    let dir = write_folder(&files);
    let program = load(dir.path(), monday(), &LoadSettings::default()).expect("clean folder");
    let path = dir.path().join("last_week.csv");
    std::fs::write(
        &path,
        "date,day,start,end,client_id,activity,session_id,staff_id,site\n\
         2026-11-16,Mon,09:00,12:00,C1,group,G1,T1,\n\
         2026-11-16,Mon,09:00,12:00,GONE,group,G1,T1,\n\
         2026-11-16,Mon,13:00,12:00,C1,individual,,T1,\n\
         2026-11-17,Tue,13:00,13:50,C1,dinner,,T1,\n",
    )
    .expect("a writable fixture");
    let errors = previous(&path, &program)
        .expect_err("two bad rows")
        .to_string();
    assert_eq!(
        errors.lines().collect::<Vec<_>>(),
        [
            "last_week.csv:4: column end: '12:00' is not after the start (expected an end after 13:00)",
            "last_week.csv:5: column activity: 'dinner' is not an activity (expected group, individual or physician)",
        ]
    );
    std::fs::write(
        &path,
        "day,start,end,client_id,activity,session_id,staff_id\nMon,09:00,12:00,C1,group,G1,T1\nMon,09:00,12:00,GONE,group,G1,T1\n",
    )
    .expect("a writable fixture");
    let items = previous(&path, &program).expect("clean rows");
    assert_eq!(items.len(), 1, "a client who is gone is skipped");
    assert_eq!(items[0].session, Some(crate::domain::SessionIx(0)));
    assert_eq!(items[0].interval, iv(0, 540, 720));
}

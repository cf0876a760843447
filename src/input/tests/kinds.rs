//! appointments.csv and the `KIND_per_week` columns: the happy path, then one test
//! per error, checked word for word.

use super::*;

const LEVELS: &str = "level,min_weekly_hours,max_weekly_hours,min_days,max_days,min_daily_hours,max_daily_hours,individual_per_week,physician_per_week,family_per_week,drug_screen_per_week\n\
                      IOP,9,20,3,5,3,4,1,1,1,2\nOP,1,8.5,1,2,1,3,1,0,,0\n";
const STAFF: &str = "staff_id,role\nT1,therapist\nP1,physician\nN1,Nurse\n";
const APPOINTMENTS: &str = "kind,role,minutes,with,earliest,latest,max_per_day\n\
                            individual,therapist,50,primary,,,\n\
                            physician,physician,30,any,,,\n\
                            Family,therapist,60,primary,17:00,21:00,\n\
                            drug_screen,NURSE,15,,7:00 AM,11:00,1\n";

/// The clean folder with kinds, and `changes` applied (an empty text removes the file).
fn kinds_errors(changes: &[(&'static str, &str)]) -> Vec<String> {
    let mut all = vec![
        ("levels.csv", LEVELS),
        ("staff.csv", STAFF),
        ("appointments.csv", APPOINTMENTS),
    ];
    all.extend_from_slice(changes);
    errors_with(&all)
}

fn appointments(rows: &str) -> String {
    format!("kind,role,minutes,with,earliest,latest,max_per_day\n{rows}")
}

#[test]
fn appointments_csv_defines_kinds_windows_and_counts() {
    let mut files = clean_files();
    files.insert("levels.csv", LEVELS.into());
    files.insert("staff.csv", STAFF.into());
    files.insert("appointments.csv", APPOINTMENTS.into());
    let program = load_files(&files).expect("clean kinds");
    let names: Vec<&str> = program.kinds.iter().map(|k| k.name.as_str()).collect();
    assert_eq!(names, ["individual", "physician", "family", "drug_screen"]);
    let family = program.kind_at(program.kind("family").expect("family"));
    assert_eq!((family.earliest, family.latest), (17 * 60, 21 * 60));
    assert!(family.with_primary_therapist && family.role.is_therapist());
    assert_eq!(family.max_per_day, Some(1));
    let screen = program.kind_at(program.kind("drug_screen").expect("drug screen"));
    assert_eq!(screen.role.as_str(), "nurse");
    assert_eq!(
        (screen.earliest, screen.latest, screen.minutes),
        (420, 660, 15)
    );
    assert_eq!(program.levels[0].appointments_per_week, vec![1, 1, 1, 2]);
    // An empty KIND_per_week cell books none.
    assert_eq!(program.levels[1].appointments_per_week, vec![1, 0, 0, 0]);
    assert_eq!(program.staff[2].role.as_str(), "nurse");
}

#[test]
fn without_appointments_csv_the_two_built_in_kinds_have_no_window_and_one_a_day() {
    let program = load_files(&clean_files()).expect("clean folder");
    let names: Vec<&str> = program.kinds.iter().map(|k| k.name.as_str()).collect();
    assert_eq!(names, ["individual", "physician"]);
    assert!(program
        .kinds
        .iter()
        .all(|k| !k.has_window() && k.max_per_day == Some(1)));
    assert_eq!(
        (program.kinds[0].minutes, program.kinds[1].minutes),
        (50, 30)
    );
}

#[test]
fn kind_role_no_staff_member_has_is_an_error() {
    let rows = appointments("individual,therapist,50,primary,,,\nphysician,physician,30,,,,\nfamily,therapist,60,,,,\ndrug_screen,phlebotomist,15,,,,\n");
    assert_eq!(
        kinds_errors(&[("appointments.csv", &rows)]),
        ["appointments.csv:5: column role: no staff member has role 'phlebotomist' (expected a role of staff.csv: nurse, physician, therapist)"]
    );
}

#[test]
fn staff_role_no_kind_books_is_an_error() {
    assert_eq!(
        kinds_errors(&[(
            "staff.csv",
            "staff_id,role\nT1,therapist\nP1,physician\nN1,nurse\nC1,cook\n"
        )]),
        ["staff.csv:5: column role: 'cook' is not a role (expected therapist, physician, nurse)"]
    );
}

#[test]
fn group_and_other_reserved_words_are_not_kinds() {
    let rows = appointments("individual,therapist,50,primary,,,\nphysician,physician,30,,,,\nfamily,therapist,60,,,,\ndrug_screen,nurse,15,,,,\nGroup,therapist,60,,,,\nhours,nurse,10,,,,\ndrug screen,nurse,10,,,,\n");
    assert_eq!(
        kinds_errors(&[("appointments.csv", &rows)]),
        [
            "appointments.csv:6: column kind: 'group' is reserved (expected a name other than group, hours, days, client_id, level, scheduled_hours, program_days, individual_sessions, physician_visits, status, shortfall, reason)",
            "appointments.csv:7: column kind: 'hours' is reserved (expected a name other than group, hours, days, client_id, level, scheduled_hours, program_days, individual_sessions, physician_visits, status, shortfall, reason)",
            "appointments.csv:8: column kind: 'drug screen' is not a kind name (expected letters, digits and _, e.g. drug_screen)",
        ]
    );
}

#[test]
fn with_primary_needs_the_therapist_role() {
    let rows = appointments("individual,therapist,50,primary,,,\nphysician,physician,30,,,,\nfamily,therapist,60,,,,\ndrug_screen,nurse,15,Primary,,,\n");
    assert_eq!(
        kinds_errors(&[("appointments.csv", &rows)]),
        ["appointments.csv:5: column with: primary means the client's primary therapist, but the role is nurse (expected any, or role therapist)"]
    );
    let rows = appointments("individual,therapist,50,mine,,,\nphysician,physician,30,,,,\nfamily,therapist,60,,,,\ndrug_screen,nurse,15,,,,\n");
    assert_eq!(
        kinds_errors(&[("appointments.csv", &rows)]),
        ["appointments.csv:2: column with: 'mine' is not a with (expected primary or any)"]
    );
}

#[test]
fn duplicate_kinds_are_an_error_whatever_their_case() {
    let rows = appointments("individual,therapist,50,primary,,,\nphysician,physician,30,,,,\nfamily,therapist,60,,,,\ndrug_screen,nurse,15,,,,\nFAMILY,therapist,45,,,,\n");
    assert_eq!(
        kinds_errors(&[("appointments.csv", &rows)]),
        ["appointments.csv:6: duplicate kind 'family' (first on line 4; expected each kind once)"]
    );
}

#[test]
fn per_week_column_without_a_kind_is_an_error() {
    let levels = LEVELS.replace("drug_screen_per_week", "drug_test_per_week");
    assert_eq!(
        kinds_errors(&[("levels.csv", &levels)]),
        ["levels.csv:1: column drug_test_per_week: there is no appointment kind 'drug_test' (expected a kind of appointments.csv: individual, physician, family, drug_screen)"]
    );
    // Without appointments.csv too: the file was most likely forgotten.
    assert_eq!(
        kinds_errors(&[("appointments.csv", ""), ("staff.csv", "staff_id,role\nT1,therapist\n")]),
        [
            "levels.csv:1: column family_per_week: there is no appointment kind 'family' (expected a kind of appointments.csv: individual, physician)",
            "levels.csv:1: column drug_screen_per_week: there is no appointment kind 'drug_screen' (expected a kind of appointments.csv: individual, physician)",
        ]
    );
}

#[test]
fn per_week_counts_must_be_whole_numbers_of_zero_or_more() {
    let levels = LEVELS.replace("IOP,9,20,3,5,3,4,1,1,1,2", "IOP,9,20,3,5,3,4,1,1,once,-2");
    assert_eq!(
        kinds_errors(&[("levels.csv", &levels)]),
        [
            "levels.csv:2: column family_per_week: 'once' is not a whole number (expected a whole number of 0 or more, e.g. 2)",
            "levels.csv:2: column drug_screen_per_week: '-2' is negative (expected a whole number of 0 or more, e.g. 2)",
        ]
    );
}

#[test]
fn bad_minutes_windows_and_daily_limits_are_errors() {
    let rows = appointments(
        "individual,therapist,0,primary,,,\nphysician,physician,half,,,,\nfamily,therapist,60,primary,17:00,17:30,\ndrug_screen,nurse,15,,11:00,9:00,0\n",
    );
    assert_eq!(
        kinds_errors(&[("appointments.csv", &rows)]),
        [
            "appointments.csv:2: column minutes: '0' is zero (expected a whole number of minutes of 1 or more, e.g. 50)",
            "appointments.csv:3: column minutes: 'half' is not a whole number (expected a whole number of minutes of 1 or more, e.g. 50)",
            "appointments.csv:4: column latest: the window 17:00-17:30 is shorter than one 60-minute appointment (expected latest at least 60 minutes after earliest)",
            "appointments.csv:5: column latest: 09:00 is not after earliest 11:00 (expected a time such as 09:00 or 6:30 PM later than earliest)",
            "appointments.csv:5: column max_per_day: '0' would allow none (expected 1 or more)",
        ]
    );
    let rows = appointments("individual,therapist,50,,noon,,\nphysician,,30,,,,\nfamily,therapist,,,,,\ndrug_screen,nurse,15,,,,\n");
    assert_eq!(
        kinds_errors(&[("appointments.csv", &rows)]),
        [
            "appointments.csv:2: column earliest: 'noon' is not a time (expected HH:MM, e.g. 09:00 or 6:30 PM)",
            "appointments.csv:3: column role: is empty (expected a staff role, e.g. nurse)",
            "appointments.csv:4: column minutes: is empty (expected a whole number of minutes of 1 or more, e.g. 50)",
        ]
    );
}

#[test]
fn a_dropped_built_in_kind_may_not_be_asked_for() {
    let rows = appointments(
        "individual,therapist,50,primary,,,\nfamily,therapist,60,,,,\ndrug_screen,nurse,15,,,,\n",
    );
    assert_eq!(
        kinds_errors(&[("appointments.csv", &rows)]),
        ["levels.csv:2: column physician_per_week: asks for 1 physician a week, but appointments.csv has no kind physician (expected 0, or a row for physician in appointments.csv)"]
    );
}

#[test]
fn length_flags_conflict_with_the_file() {
    let mut files = clean_files();
    files.insert("levels.csv", LEVELS.into());
    files.insert("staff.csv", STAFF.into());
    files.insert(
        "appointments.csv",
        appointments("individual,therapist,50,primary,,,\nfamily,therapist,60,,,,\ndrug_screen,nurse,15,,,,\n"),
    );
    files.insert("levels.csv", LEVELS.replace(",1,1,1,2", ",1,0,1,2"));
    let dir = write_folder(&files);
    let settings = LoadSettings {
        individual_minutes: Some(45),
        physician_minutes: Some(20),
    };
    let errors = load(dir.path(), monday(), &settings).expect_err("flags and file conflict");
    assert_eq!(
        errors.to_string().lines().collect::<Vec<_>>(),
        [
            "appointments.csv: --physician-minutes 20 is given but this file defines no kind physician (expected a row for physician, or no flag)",
            "appointments.csv:2: column minutes: --individual-minutes 45 conflicts with this row, which defines individual (expected the length in one place: drop the flag or this row)",
        ]
    );
}

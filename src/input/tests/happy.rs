//! The happy path: every lenient form the contract allows, loaded into exact values.

use super::*;
use crate::domain::{
    Busy, Client, ClientId, Level, Role, Session, SessionId, Staff, StaffId, StaffIx, Track,
    TrackPref,
};

fn happy_files() -> BTreeMap<&'static str, String> {
    [
        (
            "levels.csv",
            // Byte-order mark, CRLF, spaces, shuffled and upper-case headers, an
            // extra column, fractional hours and blank trailing lines.
            "\u{feff}Level , MAX_WEEKLY_HOURS,min_weekly_hours,min_days,max_days,min_daily_hours,max_daily_hours,individual_per_week,physician_per_week,notes\r\n\
             IOP, 20 ,9,3,5,3,4,1,1,asam\r\n\
             OP,8.5,0.75,1,2,0.5,3,1,0,\r\n\
             \r\n\r\n",
        ),
        (
            "staff.csv",
            "Role,Staff_ID,site,max_weekly_hours,max_individual_per_day\n\
             Therapist,T1,North,37.5,6\n\
             therapist , T2 ,,,\n\
             PHYSICIAN,P1,North,,\n",
        ),
        (
            "staff_availability.csv",
            "day,staff_id,start,end\n\
             Monday,T1,8:00,12:00\n\
             mon,T1,12:00,17:00\n\
             2026-11-25,T1,9:00 AM,1pm\n\
             2026-12-02,T1,9:00,17:00\n\
             Tue,T2,4pm,9:00 PM\n\
             Thu,P1,09:00,24:00\n",
        ),
        (
            "clients.csv",
            "client_id,level,site,track,primary_therapist,gender,tags,stage,travel_minutes,comment\n\
             C1,IOP,North,Night,T1,Female,Women; Trauma ;,Early,15,x\n\
             C2,OP\n\
             ,,,,,,,,,\n",
        ),
        (
            "client_busy.csv",
            "client_id,day,start,end,reason\n\
             C1,Fri,08:00,17:00,work\n\
             C1,Mon,08:00,17:00,work\n\
             C1,2026-12-01,9:00,10:00,court\n\
             C2,Sat,6pm,24:00,childcare\n",
        ),
        (
            "sessions.csv",
            "session_id,name,site,day,start,end,track,facilitator,room,capacity,min_size,levels,gender,tags,stage\n\
             G1,Process group,North,Tue,6:00 PM,9:00 PM,,T2,Blue,10,3,IOP;OP,,Women,\n\
             G2,,,Mon,9:00,12:00,Day,,Blue,8,,IOP,female,,early\n\
             G3,,North,2026-11-26,10:00,11:00,,T1,blue,5,0,,,,\n\
             G4,,North,2026-12-01,18:00,21:00,,,Blue,5,,,,,\n\
             G5,,North,Tue,9:00,10:00,NIGHT,,blue,4,,,,,,stray,cells\n\
             \t , \n",
        ),
    ]
    .into_iter()
    .map(|(file, text)| (file, text.to_string()))
    .collect()
}

/// The happy folder, loaded with non-default appointment lengths.
fn happy_program() -> Program {
    let settings = LoadSettings {
        individual_minutes: Some(45),
        physician_minutes: Some(20),
    };
    let dir = write_folder(&happy_files());
    load(dir.path(), monday(), &settings).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_happy_folder_in_every_lenient_form_loads_its_levels_and_kinds() {
    let program = happy_program();
    assert_eq!(program.monday, monday());
    assert_eq!(
        program.levels,
        vec![
            Level {
                name: "IOP".into(),
                min_weekly_minutes: 540,
                max_weekly_minutes: 1200,
                min_days: 3,
                max_days: 5,
                min_daily_minutes: 180,
                max_daily_minutes: 240,
                appointments_per_week: vec![1, 1],
                billing_code: None,
            },
            Level {
                name: "OP".into(),
                min_weekly_minutes: 45,
                max_weekly_minutes: 510,
                min_days: 1,
                max_days: 2,
                min_daily_minutes: 30,
                max_daily_minutes: 180,
                appointments_per_week: vec![1, 0],
                billing_code: None,
            },
        ]
    );
    assert_eq!(program.kinds[0].minutes, 45);
    assert_eq!(program.kinds[1].minutes, 20);
    assert!(program.kinds[0].with_primary_therapist && !program.kinds[1].with_primary_therapist);
}

#[test]
fn the_happy_folder_in_every_lenient_form_loads_its_staff() {
    let program = happy_program();
    assert_eq!(
        program.staff,
        vec![
            Staff {
                id: StaffId("T1".into()),
                role: Role::therapist(),
                site: Some("North".into()),
                max_weekly_minutes: Some(2250),
                max_individual_per_day: Some(6),
                // Mon 08:00-12:00 and 12:00-17:00 merged; the December row dropped.
                availability: vec![iv(0, 480, 1020), iv(2, 540, 780)],
            },
            Staff {
                id: StaffId("T2".into()),
                role: Role::therapist(),
                site: None,
                max_weekly_minutes: None,
                max_individual_per_day: None,
                availability: vec![iv(1, 960, 1260)],
            },
            Staff {
                id: StaffId("P1".into()),
                role: Role::new("physician"),
                site: Some("North".into()),
                max_weekly_minutes: None,
                max_individual_per_day: None,
                availability: vec![iv(3, 540, 1440)],
            },
        ]
    );
}

#[test]
fn the_happy_folder_in_every_lenient_form_loads_its_clients() {
    let program = happy_program();
    assert_eq!(
        program.clients,
        vec![
            Client {
                id: ClientId("C1".into()),
                level: 0,
                site: Some("North".into()),
                track: TrackPref::Night,
                primary_therapist: Some(StaffIx(0)),
                gender: Some("female".into()),
                tags: vec!["trauma".into(), "women".into()],
                stage: Some("early".into()),
                travel_minutes: 15,
                // Sorted; the row of another week dropped.
                busy: vec![
                    Busy {
                        interval: iv(0, 480, 1020),
                        reason: "work".into()
                    },
                    Busy {
                        interval: iv(4, 480, 1020),
                        reason: "work".into()
                    },
                ],
                admit: None,
                discharge: None,
                prorated: None,
            },
            Client {
                id: ClientId("C2".into()),
                level: 1,
                site: None,
                track: TrackPref::Any,
                primary_therapist: None,
                gender: None,
                tags: vec![],
                stage: None,
                travel_minutes: 0,
                busy: vec![Busy {
                    interval: iv(5, 1080, 1440),
                    reason: "childcare".into(),
                }],
                admit: None,
                discharge: None,
                prorated: None,
            },
        ]
    );
}

#[test]
fn the_happy_folder_in_every_lenient_form_loads_its_sessions() {
    let program = happy_program();
    let ids: Vec<&str> = program.sessions.iter().map(|s| s.id.0.as_str()).collect();
    assert_eq!(ids, ["G1", "G2", "G3", "G5"], "G4 is of another week");
    assert_eq!(
        program.sessions[0],
        Session {
            id: SessionId("G1".into()),
            name: "Process group".into(),
            site: Some("North".into()),
            interval: iv(1, 1080, 1260),
            track: Track::Night,
            facilitator: Some(StaffIx(1)),
            room: Some("Blue".into()),
            capacity: 10,
            min_size: 3,
            levels: vec![0, 1],
            gender: None,
            tags: vec!["women".into()],
            stage: None,
        }
    );
    let g2 = &program.sessions[1];
    assert_eq!(
        (g2.name.as_str(), g2.site.clone(), g2.track),
        ("G2", None, Track::Day)
    );
    assert_eq!((g2.min_size, g2.levels.clone()), (0, vec![0]));
    assert_eq!(
        (g2.gender.clone(), g2.stage.clone()),
        (Some("female".into()), Some("early".into()))
    );
    let g3 = &program.sessions[2];
    assert_eq!(
        (g3.interval, g3.track, g3.facilitator),
        (iv(3, 600, 660), Track::Day, Some(StaffIx(0)))
    );
    assert_eq!(
        program.sessions[3].track,
        Track::Night,
        "an explicit track wins over the clock"
    );
}

#[test]
fn the_happy_folder_in_every_lenient_form_warns_of_a_facilitator_away() {
    let program = happy_program();
    let warnings: Vec<String> = program.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        ["sessions.csv:4: facilitator T1 is not available for the whole session Thu 10:00-11:00; it cannot run"]
    );
    assert_eq!(program.warnings[0].line(), Some(4));
}

#[test]
fn clean_folder_loads_without_client_busy() {
    let program = load_files(&clean_files()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(program.clients[0].busy, vec![]);
    assert_eq!(program.sessions[0].interval, iv(0, 540, 720));
    assert_eq!(program.warnings, vec![]);
}

//! The generator's tests: reproducible, valid input, spreadsheet-messy when asked.

use super::*;
use std::collections::{BTreeMap, BTreeSet};

type Record = BTreeMap<String, String>;

fn spec(clients: usize, sites: usize, seed: u64, messy: bool) -> GenerateSpec {
    GenerateSpec {
        clients,
        sites,
        seed,
        messy,
        kinds: false,
    }
}

fn body<'a>(files: &'a [(String, String)], name: &str) -> &'a str {
    &files.iter().find(|f| f.0 == name).expect(name).1
}

/// Reads a file as the contract allows: BOM, spaces around cells, blank lines.
fn parse(files: &[(String, String)], name: &str) -> Vec<Record> {
    let text = body(files, name);
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let record = |r: csv::StringRecord| {
        let cells = r.iter().map(String::from).collect::<Vec<_>>();
        header.iter().cloned().zip(cells).collect()
    };
    reader.records().map(|r| record(r.unwrap())).collect()
}

fn ids(rows: &[Record], column: &str) -> BTreeSet<String> {
    rows.iter().map(|r| r[column].clone()).collect()
}

/// `09:00` and `6:30 PM` as minutes since midnight.
fn minutes(t: &str) -> u32 {
    let (clock, ampm) = t.split_once(' ').unwrap_or((t, ""));
    let (h, m) = clock.split_once(':').unwrap();
    let h: u32 = h.parse().unwrap();
    let h = if ampm.is_empty() {
        h
    } else {
        h % 12 + if ampm == "PM" { 12 } else { 0 }
    };
    h * 60 + m.parse::<u32>().unwrap()
}

fn interval(r: &Record) -> (String, u32, u32) {
    (r["day"].clone(), minutes(&r["start"]), minutes(&r["end"]))
}

fn overlap(a: &(String, u32, u32), b: &(String, u32, u32)) -> bool {
    a.0 == b.0 && a.1 < b.2 && b.1 < a.2
}

#[test]
fn same_seed_gives_byte_identical_files() {
    for messy in [false, true] {
        assert_eq!(
            generate(&spec(30, 3, 42, messy)),
            generate(&spec(30, 3, 42, messy))
        );
    }
}

#[test]
fn different_seeds_give_different_programs() {
    let (a, b) = (
        generate(&spec(30, 2, 1, false)),
        generate(&spec(30, 2, 2, false)),
    );
    for name in ["clients.csv", "client_busy.csv", "sessions.csv"] {
        assert_ne!(body(&a, name), body(&b, name), "{name}");
    }
}

#[test]
fn clients_csv_has_clients_per_site_times_sites_rows() {
    for (clients, sites, named) in [(7, 1, "North"), (25, 8, "Site-07"), (0, 2, "South")] {
        let files = generate(&spec(clients, sites, 5, false));
        let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(names, FILES.map(|f| f.0));
        assert_eq!(parse(&files, "clients.csv").len(), clients * sites);
        let site_names = ids(&parse(&files, "staff.csv"), "site");
        assert_eq!(site_names.len(), sites);
        assert!(site_names.contains(named), "{site_names:?}");
    }
}

#[test]
fn every_reference_names_an_existing_id_of_the_right_kind() {
    let files = generate(&spec(60, 8, 9, false));
    let (clients, staff) = (parse(&files, "clients.csv"), parse(&files, "staff.csv"));
    let sessions = parse(&files, "sessions.csv");
    for (rows, id) in [
        (&clients, "client_id"),
        (&staff, "staff_id"),
        (&sessions, "session_id"),
    ] {
        assert_eq!(ids(rows, id).len(), rows.len(), "{id} not unique");
    }
    let therapists: BTreeSet<String> = staff
        .iter()
        .filter(|r| r["role"] == "therapist")
        .map(|r| r["staff_id"].clone())
        .collect();
    let levels = ids(&parse(&files, "levels.csv"), "level");
    for c in &clients {
        let t = &c["primary_therapist"];
        assert!(t.is_empty() || therapists.contains(t), "{c:?}");
        assert!(levels.contains(&c["level"]), "{c:?}");
    }
    for s in &sessions {
        let f = &s["facilitator"];
        assert!(f.is_empty() || therapists.contains(f), "{s:?}");
    }
    assert!(
        ids(&parse(&files, "client_busy.csv"), "client_id").is_subset(&ids(&clients, "client_id"))
    );
    let available = ids(&parse(&files, "staff_availability.csv"), "staff_id");
    assert_eq!(available, ids(&staff, "staff_id"));
}

#[test]
fn no_room_clash_no_double_booked_facilitator_and_facilitators_available() {
    let files = generate(&spec(120, 3, 11, false));
    let sessions = parse(&files, "sessions.csv");
    let avail = parse(&files, "staff_availability.csv");
    for (i, a) in sessions.iter().enumerate() {
        let (f, span) = (&a["facilitator"], interval(a));
        for b in &sessions[i + 1..] {
            let same_room = a["site"] == b["site"] && a["room"].eq_ignore_ascii_case(&b["room"]);
            let same_staff = !f.is_empty() && *f == b["facilitator"];
            let clash = (same_room || same_staff) && overlap(&span, &interval(b));
            assert!(
                !clash,
                "{} clashes with {}",
                a["session_id"], b["session_id"]
            );
        }
        let covers = |r: &&Record| {
            r["staff_id"] == *f && {
                let block = interval(r);
                block.0 == span.0 && block.1 <= span.1 && span.2 <= block.2
            }
        };
        assert!(f.is_empty() || avail.iter().any(|r| covers(&r)), "{a:?}");
    }
    let staffed = sessions
        .iter()
        .filter(|s| !s["facilitator"].is_empty())
        .count();
    assert!(
        staffed * 10 >= sessions.len() * 6,
        "{staffed} of {}",
        sessions.len()
    );
}

#[test]
fn intervals_and_sizes_are_valid() {
    let files = generate(&spec(50, 2, 3, false));
    for name in ["client_busy.csv", "staff_availability.csv", "sessions.csv"] {
        assert!(
            parse(&files, name)
                .iter()
                .all(|r| interval(r).1 < interval(r).2),
            "{name}"
        );
    }
    for s in parse(&files, "sessions.csv") {
        let size = |c: &str| s[c].parse::<u32>().unwrap();
        assert!(size("min_size") <= size("capacity") && (8..=14).contains(&size("capacity")));
    }
}

#[test]
fn mix_follows_the_documented_distributions() {
    let files = generate(&spec(1000, 2, 8, false));
    let clients = parse(&files, "clients.csv");
    let share = |f: &dyn Fn(&Record) -> bool| {
        clients.iter().filter(|r| f(r)).count() as f64 / clients.len() as f64
    };
    assert!((0.65..0.75).contains(&share(&|r| r["level"] == "IOP")));
    assert!((0.80..0.90).contains(&share(&|r| !r["primary_therapist"].is_empty())));
    assert!((0.07..0.13).contains(&share(&|r| r["tags"].contains("veteran"))));
    let busy = parse(&files, "client_busy.csv");
    let two_jobs = ids(
        &busy
            .into_iter()
            .filter(|r| r["reason"].contains("two jobs"))
            .collect::<Vec<_>>(),
        "client_id",
    );
    let impossible = two_jobs.len() as f64 / clients.len() as f64;
    assert!((0.045..0.08).contains(&impossible), "{impossible}");
}

/// Messy spelling back to tidy: `Monday` -> `Mon`, `6:30 PM` -> `18:30`, no `notes`.
fn normalize(mut r: Record) -> Record {
    r.remove("notes");
    for (k, v) in r.iter_mut() {
        match k.as_str() {
            "day" => *v = v[..3].to_string(),
            "start" | "end" => *v = format!("{:02}:{:02}", minutes(v) / 60, minutes(v) % 60),
            _ => {}
        }
    }
    r
}

#[test]
fn messy_output_has_bom_crlf_and_the_same_rows_as_tidy() {
    let (tidy, messy) = (
        generate(&spec(40, 2, 4, false)),
        generate(&spec(40, 2, 4, true)),
    );
    let mut reordered = 0;
    for ((name, text), (_, clean)) in messy.iter().zip(&tidy) {
        assert!(
            text.starts_with('\u{feff}') && text.ends_with("\r\n\r\n"),
            "{name}"
        );
        assert_eq!(
            text.matches('\n').count(),
            text.matches("\r\n").count(),
            "{name}"
        );
        let header = text.lines().next().unwrap();
        assert!(header.contains("notes"), "{name}");
        reordered += usize::from(!header.contains(clean.lines().next().unwrap()));
        let normalized: Vec<Record> = parse(&messy, name).into_iter().map(normalize).collect();
        assert_eq!(normalized, parse(&tidy, name), "{name}");
    }
    assert!(reordered >= 4, "column order barely shuffled");
    assert!(
        body(&messy, "sessions.csv").contains(" PM")
            && body(&messy, "sessions.csv").contains("day,")
    );
}

#[test]
fn write_program_creates_the_folder_and_leaves_no_temp_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("program");
    let s = spec(10, 2, 6, true);
    write_program(&s, &out).unwrap();
    let mut written: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    written.sort();
    let mut expected: Vec<String> = generate(&s).into_iter().map(|f| f.0).collect();
    expected.sort();
    assert_eq!(written, expected);
    let sessions = std::fs::read_to_string(out.join("sessions.csv")).unwrap();
    assert_eq!(sessions, body(&generate(&s), "sessions.csv"));
}

#[test]
fn kinds_add_appointments_and_staff_and_load_cleanly() {
    let plain = generate(&spec(80, 2, 5, false));
    let with = generate(&GenerateSpec {
        kinds: true,
        ..spec(80, 2, 5, true)
    });
    // The clients, their commitments and the catalog are the program without kinds.
    for name in ["clients.csv", "client_busy.csv", "sessions.csv"] {
        let tidy = parse(&plain, name);
        let messy: Vec<Record> = parse(&with, name).into_iter().map(normalize).collect();
        assert_eq!(
            messy.into_iter().collect::<BTreeSet<_>>(),
            tidy.into_iter().collect::<BTreeSet<_>>(),
            "{name}"
        );
    }
    let kinds: Vec<String> = parse(&with, "appointments.csv")
        .iter()
        .map(|r| r["kind"].clone())
        .collect();
    assert_eq!(
        kinds,
        [
            "individual",
            "physician",
            "family",
            "drug_screen",
            "case_management"
        ]
    );
    let roles = parse(&with, "staff.csv");
    let count = |role: &str| roles.iter().filter(|r| r["role"] == role).count();
    assert_eq!((count("nurse"), count("case_manager")), (4, 4));
    let dir = tempfile::tempdir().expect("a temporary folder");
    write_program(
        &GenerateSpec {
            kinds: true,
            ..spec(80, 2, 5, true)
        },
        dir.path(),
    )
    .expect("written");
    let monday = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("a date");
    let program = crate::input::load(dir.path(), monday, &Default::default())
        .unwrap_or_else(|e| panic!("generated kinds do not load:\n{e}"));
    let family = program.kind("family").expect("family");
    assert_eq!(program.levels[0].per_week(family), 1);
}

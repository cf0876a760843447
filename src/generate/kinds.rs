//! `generate --kinds`: the same program plus appointment kinds beyond individual
//! therapy and the physician visit: family therapy in the evening with the primary
//! therapist, drug screens with a nurse and case management.
//!
//! Everything here draws from its own stream, after the rest of the site is built, so
//! a program generated with `--kinds` is the one without it plus these additions:
//! - appointments.csv with the five kinds, and three `KIND_per_week` columns in
//!   levels.csv (IOP 1 family, 1 screen, 1 case management; PHP 1, 2, 1; OP 0, 0, 1);
//! - day-shift therapists stay until 20:00 on one weekday, so their clients' family
//!   sessions fit the 17:00-21:00 window;
//! - max(1, clients/40) nurses (Mon-Fri 07:30-11:30, one evening 17:00-20:00) and as
//!   many case managers (Mon-Fri 10:00-18:00).

use super::{Block, Rng, Site, Staff, WEEKDAYS};

/// The extra `KIND_per_week` columns of levels.csv.
pub(super) const LEVEL_COLUMNS: &str =
    ",family_per_week,drug_screen_per_week,case_management_per_week";
/// Their values for IOP, PHP and OP, in the order of `super::LEVELS`.
pub(super) const LEVEL_COUNTS: [[&str; 3]; 3] = [["1", "1", "1"], ["1", "2", "1"], ["0", "0", "1"]];

pub(super) const APPOINTMENTS_HEADER: &str = "kind,role,minutes,with,earliest,latest,max_per_day";
pub(super) const APPOINTMENTS: [[&str; 7]; 5] = [
    ["individual", "therapist", "50", "primary", "", "", ""],
    ["physician", "physician", "30", "any", "", "", ""],
    [
        "family",
        "therapist",
        "60",
        "primary",
        "17:00",
        "21:00",
        "1",
    ],
    ["drug_screen", "nurse", "15", "any", "", "", "1"],
    ["case_management", "case_manager", "30", "any", "", "", "1"],
];

/// Adds the staff and the evening hours that the extra kinds need to `site`.
pub(super) fn add_to_site(seed: u64, index: usize, clients: usize, site: &mut Site) {
    let mut rng = Rng::new(seed, 1_000 + index as u64);
    for (i, staff) in site.staff.iter_mut().enumerate() {
        if staff.role == "therapist" && !staff.evening() {
            staff.avail.push(Block::new(WEEKDAYS[i % 5], (1700, 2000)));
            staff.avail.sort_by_key(|b| (b.day, b.start));
        }
    }
    let count = ((clients + 20) / 40).max(1);
    let prefix = site.prefix.clone();
    for i in 1..=count {
        let evening = WEEKDAYS[rng.below(4)];
        let mut avail: Vec<Block> = WEEKDAYS
            .iter()
            .map(|&d| Block::new(d, (730, 1130)))
            .collect();
        avail.push(Block::new(evening, (1700, 2000)));
        avail.sort_by_key(|b| (b.day, b.start));
        let nurse = Staff::new(&mut rng, format!("{prefix}-RN{i}"), "nurse", avail);
        site.staff.push(nurse);
    }
    for i in 1..=count {
        let avail = WEEKDAYS
            .iter()
            .map(|&d| Block::new(d, (1000, 1800)))
            .collect();
        let manager = Staff::new(&mut rng, format!("{prefix}-CM{i}"), "case_manager", avail);
        site.staff.push(manager);
    }
}

//! Loading whole fixture folders: every lenient spreadsheet form on the happy path
//! (`happy.rs`), then one test per kind of error message, checked word for word
//! (`errors.rs`). This file holds the fixture helpers both share.

mod errors;
mod happy;
mod kinds;

use super::*;
use crate::time::{Day, Interval};
use std::collections::BTreeMap;
use tempfile::TempDir;

pub(super) fn monday() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).expect("a valid date")
}

/// A small clean folder that the error tests change one file of.
pub(super) fn clean_files() -> BTreeMap<&'static str, String> {
    [
        (
            "levels.csv",
            "level,min_weekly_hours,max_weekly_hours,min_days,max_days,min_daily_hours,max_daily_hours,individual_per_week,physician_per_week\n\
             IOP,9,20,3,5,3,4,1,1\nPHP,20,30,5,5,4,6,2,1\nOP,1,8.5,1,2,1,3,1,0\n",
        ),
        ("clients.csv", "client_id,level\nC1,IOP\n"),
        ("staff.csv", "staff_id,role\nT1,therapist\nP1,physician\n"),
        ("staff_availability.csv", "staff_id,day,start,end\nT1,Mon,08:00,17:00\n"),
        ("sessions.csv", "session_id,day,start,end,capacity\nG1,Mon,09:00,12:00,10\n"),
    ]
    .into_iter()
    .map(|(file, text)| (file, text.to_string()))
    .collect()
}

pub(super) fn write_folder(files: &BTreeMap<&'static str, String>) -> TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (file, text) in files {
        std::fs::write(dir.path().join(file), text).expect("a writable fixture");
    }
    dir
}

pub(super) fn load_files(files: &BTreeMap<&'static str, String>) -> Result<Program, InputErrors> {
    let dir = write_folder(files);
    load(dir.path(), monday(), &LoadSettings::default())
}

/// The error lines of the clean folder with `changes` applied (an empty text removes the file).
pub(super) fn errors_with(changes: &[(&'static str, &str)]) -> Vec<String> {
    let mut files = clean_files();
    for (file, text) in changes {
        match *text {
            "" => files.remove(file),
            text => files.insert(file, text.to_string()),
        };
    }
    match load_files(&files) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.to_string().lines().map(str::to_string).collect(),
    }
}

/// The one error of the clean folder with `changes` applied.
pub(super) fn error_with(changes: &[(&'static str, &str)]) -> String {
    let errors = errors_with(changes);
    assert_eq!(
        errors.len(),
        1,
        "expected exactly one error, got {errors:#?}"
    );
    errors[0].clone()
}

pub(super) fn iv(day: usize, start: u32, end: u32) -> Interval {
    let day = Day::new(day).expect("a day of the week");
    Interval::on_day(day, start, end).expect("a valid interval")
}

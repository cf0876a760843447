//! `run.json`: what a run did, for monitoring (cron cannot tell "proven optimal"
//! from "time limit reached" by the exit code alone). Written with the outputs, as
//! part of the same set.

use crate::hash::{fnv1a, FNV_START};
use crate::solve::StageStatus;
use crate::week::Week;
use chrono::NaiveDate;
use std::path::Path;

/// FNV-1a, 64 bits, over each input file's name, length and bytes (absent files
/// count as their name alone): a change detector for monitoring, not a signature.
pub fn fingerprint(input_dir: &Path, previous: Option<&Path>) -> String {
    let mut hash = FNV_START;
    let mut eat = |bytes: &[u8]| hash = fnv1a(hash, bytes);
    let inputs = crate::input::FILES.iter().chain([&"previous_roster.csv"]);
    for &name in inputs {
        let path = match (name, previous) {
            ("previous_roster.csv", Some(p)) => p.to_path_buf(),
            _ => input_dir.join(name),
        };
        eat(name.as_bytes());
        if let Ok(bytes) = std::fs::read(path) {
            eat(&(bytes.len() as u64).to_le_bytes());
            eat(&bytes);
        }
    }
    format!("fnv1a64:{hash:016x}")
}

/// `run.json`'s text: one object, keys in a fixed order.
pub fn run_json(week: &Week, monday: NaiveDate, fingerprint: &str, wall: f64, exit: u8) -> String {
    let number = |x: f64| {
        if x.is_finite() {
            format!("{x}")
        } else {
            "null".to_string()
        }
    };
    let stages: Vec<String> = (week.schedule.stages.iter())
        .map(|s| {
            let status = match s.status {
                StageStatus::Optimal => "optimal",
                StageStatus::WithinGap => "within_gap",
                StageStatus::TimeLimit => "time_limit",
            };
            let gap = if s.bound.is_finite() { s.gap() } else { f64::NAN };
            format!(
                "    {{\"name\": \"{}\", \"status\": \"{status}\", \"objective\": {}, \"bound\": {}, \"gap\": {}, \"seconds\": {}}}",
                s.name,
                number(s.objective),
                number(s.bound),
                number(gap),
                number((s.seconds * 1000.0).round() / 1000.0)
            )
        })
        .collect();
    let clients = week.program.clients.len();
    let met = week.met();
    format!(
        "{{\n  \"version\": \"{}\",\n  \"week\": \"{monday}\",\n  \"input_fingerprint\": \"{fingerprint}\",\n  \
         \"clients\": {clients},\n  \"met\": {met},\n  \"short\": {},\n  \"wall_seconds\": {},\n  \
         \"exit_code\": {exit},\n  \"stages\": [\n{}\n  ]\n}}\n",
        env!("CARGO_PKG_VERSION"),
        clients - met,
        number((wall * 1000.0).round() / 1000.0),
        stages.join(",\n")
    )
}

//! End-to-end benchmark: generated programs solved by the real binary, one child
//! process per case so wall time and peak memory are those of a real run.
//!
//! `cargo bench --bench end_to_end` prints a Markdown table. Choose cases with
//! `IOPSCHED_BENCH=40x1,150x1` (clients per site x sites); the default runs all.
//! `IOPSCHED_TIME_LIMIT=120` replaces every case's time limit.
//! `150x1+kinds` is the 150-client site with four appointment kinds (individual,
//! physician, family in the evening, drug screens with nurses) against `150x1`'s two:
//! the same clients and catalog, so the difference is what the kinds cost.

use std::process::Command;
use std::time::Instant;

/// (clients per site, sites, time limit in seconds, with four appointment kinds).
const CASES: [(usize, usize, f64, bool); 5] = [
    (40, 1, 60.0, false),
    (150, 1, 60.0, false),
    (150, 1, 60.0, true),
    (400, 1, 60.0, false),
    (120, 20, 120.0, false),
];

struct Row {
    case: String,
    seconds: f64,
    peak_mib: f64,
    columns: String,
    rows: String,
    status: String,
    met: String,
    start_met: String,
    met_bound: String,
    hours_short: String,
    hours_gap: String,
}

fn main() {
    let wanted = std::env::var("IOPSCHED_BENCH").ok();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut rows = Vec::new();
    for (clients, sites, limit, kinds) in CASES {
        let name = format!("{clients}x{sites}{}", if kinds { "+kinds" } else { "" });
        if wanted
            .as_ref()
            .is_some_and(|w| !w.split(',').any(|c| c == name))
        {
            continue;
        }
        let limit = std::env::var("IOPSCHED_TIME_LIMIT")
            .map_or(limit, |l| l.parse().expect("IOPSCHED_TIME_LIMIT: seconds"));
        rows.push(run_case(clients, sites, limit, kinds));
    }
    println!("\nend-to-end, {cores} cores, HiGHS 1 thread per instance, seed 1:\n");
    println!("| clients x sites | wall s | peak MiB | columns | rows | priorities settled | met (start) | met bound | hours short | hours gap |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for r in rows {
        println!(
            "| {} | {:.1} | {:.0} | {} | {} | {} | {} ({}) | {} | {} | {} |",
            r.case,
            r.seconds,
            r.peak_mib,
            r.columns,
            r.rows,
            r.status,
            r.met,
            r.start_met,
            r.met_bound,
            r.hours_short,
            r.hours_gap
        );
    }
}

// The child is reaped by `wait4`, which clippy cannot see.
#[allow(clippy::zombie_processes)]
fn run_case(clients: usize, sites: usize, limit: f64, kinds: bool) -> Row {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("input");
    let spec = iopsched::generate::GenerateSpec {
        clients,
        sites,
        seed: 1,
        messy: false,
        kinds,
    };
    iopsched::generate::write_program(&spec, &input).expect("generate");
    if kinds {
        keep_four_kinds(&input);
    }
    let started = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_iopsched"))
        .arg("solve")
        .arg(&input)
        .args([
            "--week",
            "2026-11-23",
            "--time-limit",
            &limit.to_string(),
            "--out",
        ])
        .arg(dir.path().join("out"))
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run iopsched");
    let pid = child.id() as libc::pid_t;
    let (status, usage) = wait_with_usage(pid);
    let seconds = started.elapsed().as_secs_f64();
    let mut stderr = String::new();
    if let Some(mut err) = child.stderr {
        use std::io::Read;
        err.read_to_string(&mut stderr).ok();
    }
    assert!(matches!(status, 0 | 3), "iopsched failed:\n{stderr}");
    let met = Stage::parse(&stderr, "clients met");
    let hours = Stage::parse(&stderr, "hours short");
    let after = |text: &str, key: &str| {
        text.split(key)
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or("?")
            .trim_end_matches([',', ';'])
            .to_string()
    };
    Row {
        case: format!(
            "{clients} x {sites}{}",
            if kinds { ", 4 kinds" } else { "" }
        ),
        seconds,
        peak_mib: usage.ru_maxrss as f64 / 1024.0,
        columns: after(&stderr, "model "),
        rows: after(&stderr, "columns, "),
        status: format!(
            "met {} at {} s; hours {} at {} s",
            met.status, met.done_at, hours.status, hours.done_at
        ),
        met: met.objective.clone(),
        start_met: after(&stderr, "constructive start met "),
        met_bound: met.bound,
        hours_short: hours
            .objective
            .parse::<f64>()
            .map_or("?".to_string(), |m| format!("{:.1} h", m / 60.0)),
        hours_gap: hours.gap,
    }
}

/// `generate --kinds` writes five kinds; the benchmark compares four with two, so
/// case management goes: its row in appointments.csv, its column in levels.csv and
/// the case managers (`-CM` ids) with their availability.
fn keep_four_kinds(input: &std::path::Path) {
    const DROPPED: &str = "case_management";
    let drop_lines = |file: &str, drop: &dyn Fn(&str) -> bool| {
        let path = input.join(file);
        let text = std::fs::read_to_string(&path).expect(file);
        let kept: String = text
            .lines()
            .filter(|l| !drop(l))
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(&path, kept).expect(file);
    };
    drop_lines("appointments.csv", &|l| l.starts_with(DROPPED));
    drop_lines("staff.csv", &|l| l.contains("-CM"));
    drop_lines("staff_availability.csv", &|l| l.contains("-CM"));
    let path = input.join("levels.csv");
    let text = std::fs::read_to_string(&path).expect("levels.csv");
    let column = text
        .lines()
        .next()
        .and_then(|h| h.split(',').position(|c| c.starts_with(DROPPED)))
        .expect("a case_management_per_week column");
    let kept: String = text
        .lines()
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            let without: Vec<&str> = cells
                .iter()
                .enumerate()
                .filter(|&(i, _)| i != column)
                .map(|(_, c)| *c)
                .collect();
            format!("{}\n", without.join(","))
        })
        .collect();
    std::fs::write(&path, kept).expect("write levels.csv");
}

/// One stage line of the solve summary:
/// `  clients met   128.00  bound  128.00  gap  0.00%  optimal  5.8 s, done at 7.3 s`.
struct Stage {
    objective: String,
    bound: String,
    gap: String,
    status: String,
    done_at: String,
}

impl Stage {
    fn parse(stderr: &str, name: &str) -> Stage {
        let line = stderr
            .lines()
            .find(|l| l.trim_start().starts_with(name))
            .unwrap_or("");
        let words: Vec<&str> = line[line.find(name).map_or(0, |i| i + name.len())..]
            .split_whitespace()
            .collect();
        let word = |i: usize| words.get(i).copied().unwrap_or("?").to_string();
        let status = if line.contains("time limit") {
            "time limit"
        } else if line.contains("within gap") {
            "within gap"
        } else {
            "optimal"
        };
        Stage {
            objective: word(0),
            bound: word(2),
            gap: word(4),
            status: status.to_string(),
            done_at: line
                .rsplit("done at ")
                .next()
                .and_then(|t| t.split_whitespace().next())
                .unwrap_or("?")
                .to_string(),
        }
    }
}

/// Waits for a child and returns its exit code and resource usage (peak RSS).
fn wait_with_usage(pid: libc::pid_t) -> (i32, libc::rusage) {
    let mut status = 0;
    // SAFETY: wait4 fills the plain-data rusage struct for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4 failed");
    (libc::WEXITSTATUS(status), usage)
}

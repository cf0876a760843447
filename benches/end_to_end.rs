//! End-to-end benchmark: generated programs solved by the real binary, one child
//! process per case so wall time and peak memory are those of a real run.
//!
//! `cargo bench --bench end_to_end` prints a Markdown table. Choose cases with
//! `IOPSCHED_BENCH=40x1,150x1` (clients per site x sites); the default runs all.

use std::process::Command;
use std::time::Instant;

/// (clients per site, sites, time limit in seconds).
const CASES: [(usize, usize, f64); 4] = [
    (40, 1, 60.0),
    (150, 1, 60.0),
    (400, 1, 60.0),
    (120, 20, 180.0),
];

struct Row {
    case: String,
    seconds: f64,
    peak_mib: f64,
    columns: String,
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
    for (clients, sites, limit) in CASES {
        let name = format!("{clients}x{sites}");
        if wanted
            .as_ref()
            .is_some_and(|w| !w.split(',').any(|c| c == name))
        {
            continue;
        }
        rows.push(run_case(clients, sites, limit));
    }
    println!("\nend-to-end, {cores} cores, HiGHS 1 thread per instance, seed 1:\n");
    println!("| clients x sites | wall s | peak MiB | columns | status | met (start) | met bound | hours short | hours gap |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for r in rows {
        println!(
            "| {} | {:.1} | {:.0} | {} | {} | {} ({}) | {} | {} | {} |",
            r.case,
            r.seconds,
            r.peak_mib,
            r.columns,
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
fn run_case(clients: usize, sites: usize, limit: f64) -> Row {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("input");
    let spec = iopsched::generate::GenerateSpec {
        clients,
        sites,
        seed: 1,
        messy: false,
    };
    iopsched::generate::write_program(&spec, &input).expect("generate");
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
    let field = |line_start: &str, index: usize| -> String {
        stderr
            .lines()
            .find(|l| l.trim_start().starts_with(line_start))
            .and_then(|l| l.split_whitespace().nth(index))
            .unwrap_or("?")
            .to_string()
    };
    let met_line: Vec<&str> = stderr
        .lines()
        .find(|l| l.trim_start().starts_with("clients met"))
        .map(|l| l.split_whitespace().collect())
        .unwrap_or_default();
    let hours_line: Vec<&str> = stderr
        .lines()
        .find(|l| l.trim_start().starts_with("hours short"))
        .map(|l| l.split_whitespace().collect())
        .unwrap_or_default();
    let proven = if stderr.contains("solver: optimal") {
        "optimal"
    } else {
        "time limit"
    };
    let status_text = format!(
        "{proven}; met {}, hours {}",
        met_line.get(7).unwrap_or(&"?"),
        hours_line.get(7).unwrap_or(&"?")
    );
    Row {
        case: format!("{clients} x {sites}"),
        seconds,
        peak_mib: usage.ru_maxrss as f64 / 1024.0,
        columns: field("solver:", 5).trim_end_matches(',').to_string(),
        status: status_text,
        met: met_line.get(2).unwrap_or(&"?").to_string(),
        start_met: stderr
            .lines()
            .find(|l| l.starts_with("solver:"))
            .and_then(|l| l.rsplit(' ').next())
            .unwrap_or("?")
            .to_string(),
        met_bound: met_line.get(4).unwrap_or(&"?").to_string(),
        hours_short: hours_line
            .get(2)
            .and_then(|m| m.parse::<f64>().ok())
            .map_or("?".to_string(), |m| format!("{:.1} h", m / 60.0)),
        hours_gap: hours_line.get(6).unwrap_or(&"?").to_string(),
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

//! The anytime curve and week-over-week stability, measured with the real binary.
//!
//! `cargo bench --bench anytime` prints two Markdown tables:
//! - the anytime sweep: generated one-site programs of several sizes and shapes, each
//!   solved with several time limits; clients met and hours short against the best
//!   bound the run proved;
//! - the week-over-week sweep: a week solved and published, then re-solved with it as
//!   the previous roster after one admission, one discharge, or one therapist out for a
//!   day; how many other clients' weeks changed.
//!
//! - the start sweep (`IOPSCHED_SWEEPS=start`, not run by default): the constructive
//!   start alone, without a time limit, for its distance to the best bound.
//!
//! Choose with `IOPSCHED_SEED=2` (the generator's seed, 1 by default), `IOPSCHED_SIZES=120,300`, `IOPSCHED_LIMITS=5,10`,
//! `IOPSCHED_SHAPES=plain,min3` and `IOPSCHED_SWEEPS=anytime,weekly,start`.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::process::Command;

const SIZES: [usize; 3] = [120, 300, 400];
const LIMITS: [f64; 4] = [5.0, 10.0, 20.0, 60.0];
const SHAPES: [&str; 4] = ["plain", "min3", "evening", "scarce"];
const WEEKLY_LIMITS: [f64; 3] = [10.0, 30.0, 60.0];
const WEEKLY_CHANGES: [&str; 3] = ["admission", "discharge", "therapist out"];

fn main() {
    let sweeps = list("IOPSCHED_SWEEPS", &["anytime", "weekly"]);
    if sweeps.iter().any(|s| s == "anytime") {
        anytime_sweep();
    }
    if sweeps.iter().any(|s| s == "weekly") {
        weekly_sweep();
    }
    if sweeps.iter().any(|s| s == "start") {
        start_sweep();
    }
}

fn list<T: ToString>(var: &str, default: &[T]) -> Vec<String> {
    std::env::var(var).map_or_else(
        |_| default.iter().map(|d| d.to_string()).collect(),
        |v| v.split(',').map(|s| s.trim().to_string()).collect(),
    )
}

fn anytime_sweep() {
    println!(
        "\nanytime sweep (one site, generator seed {} plus shape; 2 cores):\n",
        seed()
    );
    println!("| clients | shape | limit s | met | met bound | hours short | start met | wall s |");
    println!("|---|---|---|---|---|---|---|---|");
    for size in list("IOPSCHED_SIZES", &SIZES) {
        for shape in list("IOPSCHED_SHAPES", &SHAPES) {
            let dir = tempfile::tempdir().expect("temp dir");
            let input = dir.path().join("input");
            program(size.parse().expect("a size"), &shape, &input);
            for limit in list("IOPSCHED_LIMITS", &LIMITS) {
                let run = solve(&input, &dir.path().join("out"), &limit);
                println!(
                    "| {size} | {shape} | {limit} | {} | {} | {} | {} | {:.1} |",
                    run.met, run.met_bound, run.hours_short, run.start_met, run.wall
                );
            }
        }
    }
}

/// The constructive start alone, in the library (no time limit binds it): clients
/// met by the one-client-at-a-time start and by the rule-based roster it replaces
/// when better. Compare with the anytime sweep's best bound.
fn start_sweep() {
    use iopsched::anytime::{self, Budget};
    use iopsched::model::{AloneBound, Model};
    println!(
        "\nconstructive start (one site, generator seed {} plus shape; one thread):\n",
        seed()
    );
    println!("| clients | shape | start met | rule-based met | seconds |");
    println!("|---|---|---|---|---|");
    let monday = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("a date");
    for size in list("IOPSCHED_SIZES", &SIZES) {
        for shape in list("IOPSCHED_SHAPES", &SHAPES) {
            let dir = tempfile::tempdir().expect("temp dir");
            program(size.parse().expect("a size"), &shape, dir.path());
            let program = iopsched::input::load(dir.path(), monday, &Default::default())
                .expect("a generated program loads");
            let started = std::time::Instant::now();
            let cands = iopsched::candidates::Candidates::build(&program);
            let bounds = AloneBound::counted_all(&program, &cands);
            let model = Model::whole(&program, &cands, &bounds);
            let rules = iopsched::heuristic::construct(&program, &cands, &bounds, &model);
            let quick = model.start_values(&rules);
            let quick_met = model.eval(&quick, &model.objectives.met).round();
            let settings = iopsched::solve::SolverSettings::default();
            // Two clients at a time when the machine has a second core, as
            // `iopsched solve` plans a one-site program.
            let second_core = || rayon::current_num_threads() > 1;
            let budget = Budget::seconds(3600.0);
            let start = anytime::start(&model, &bounds, quick, &budget, &settings, &second_core)
                .expect("a start");
            let met = model.eval(&start, &model.objectives.met).round();
            let seconds = started.elapsed().as_secs_f64();
            println!("| {size} | {shape} | {met} | {quick_met} | {seconds:.1} |");
        }
    }
}

fn weekly_sweep() {
    println!(
        "\nweek over week (120 clients, one site, seed {}; published week solved at 30 s):\n",
        seed()
    );
    println!("| change | limit s | other clients changed | met before | met after |");
    println!("|---|---|---|---|---|");
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("input");
    program(120, "plain", &input);
    let published = solve(&input, &dir.path().join("published"), "30");
    std::fs::copy(
        dir.path().join("published/roster.csv"),
        input.join("previous_roster.csv"),
    )
    .expect("keep the published roster");
    for change in WEEKLY_CHANGES {
        let changed = dir.path().join(change.replace(' ', "-"));
        copy_dir(&input, &changed);
        let subject = apply_change(change, &changed);
        for limit in list("IOPSCHED_WEEKLY_LIMITS", &WEEKLY_LIMITS) {
            let out = dir.path().join(format!("out-{limit}"));
            let run = solve(&changed, &out, &limit);
            let moved: BTreeSet<String> = rows(&out.join("changes.csv"))
                .into_iter()
                .map(|r| r["client_id"].clone())
                .filter(|c| Some(c) != subject.as_ref())
                .collect();
            println!(
                "| {change} | {limit} | {} | {} | {} |",
                moved.len(),
                published.met,
                run.met
            );
        }
    }
}

/// What one run printed.
struct Run {
    met: String,
    met_bound: String,
    hours_short: String,
    start_met: String,
    wall: f64,
}

fn solve(input: &Path, out: &Path, limit: &str) -> Run {
    let started = std::time::Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_iopsched"))
        .arg("solve")
        .arg(input)
        .args(["--week", "2026-11-23", "--time-limit", limit, "--out"])
        .arg(out)
        .output()
        .expect("run iopsched");
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert!(
        matches!(output.status.code(), Some(0 | 3)),
        "iopsched failed:\n{stderr}"
    );
    let stage = |name: &str| -> Vec<String> {
        stderr
            .lines()
            .find(|l| l.trim_start().starts_with(name))
            .map(|l| l[l.find(name).unwrap() + name.len()..].split_whitespace())
            .map(|w| w.map(str::to_string).collect())
            .unwrap_or_default()
    };
    let met = stage("clients met");
    let hours = stage("hours short");
    let word = |w: &[String], i: usize| w.get(i).cloned().unwrap_or_else(|| "?".into());
    Run {
        met: word(&met, 0),
        met_bound: word(&met, 2),
        hours_short: word(&hours, 0)
            .parse::<f64>()
            .map_or("?".into(), |m| format!("{:.1} h", m / 60.0)),
        start_met: stderr
            .split("constructive start met ")
            .nth(1)
            .and_then(|t| t.split_whitespace().next())
            .unwrap_or("?")
            .to_string(),
        wall: started.elapsed().as_secs_f64(),
    }
}

/// The generator's seed: `IOPSCHED_SEED`, 1 by default.
fn seed() -> u64 {
    std::env::var("IOPSCHED_SEED").map_or(1, |s| s.parse().expect("IOPSCHED_SEED: a number"))
}

/// A generated program of `clients` on one site, reshaped:
/// - `plain`: as the generator writes it;
/// - `kinds`: with the generator's extra appointment kinds (family therapy in the
///   evening, drug screens, case management);
/// - `min3`: every session needs 3 clients to run (real IOP groups do);
/// - `evening`: half the clients work Mon-Fri 08:00-17:00, so the night track is full;
/// - `scarce`: every other therapist is away all week.
fn program(clients: usize, shape: &str, dir: &Path) {
    let spec = iopsched::generate::GenerateSpec {
        clients,
        sites: 1,
        seed: seed(),
        messy: false,
        kinds: shape == "kinds",
    };
    iopsched::generate::write_program(&spec, dir).expect("generate");
    match shape {
        "plain" | "kinds" => {}
        "min3" => edit(&dir.join("sessions.csv"), |row| {
            let capacity: u32 = row["capacity"].parse().unwrap_or(3);
            row.insert("min_size".into(), capacity.min(3).to_string());
            true
        }),
        "evening" => {
            let ids: Vec<String> = rows(&dir.join("clients.csv"))
                .into_iter()
                .map(|r| r["client_id"].clone())
                .step_by(2)
                .collect();
            let mut busy = std::fs::read_to_string(dir.join("client_busy.csv")).expect("busy");
            for id in ids {
                for day in ["Mon", "Tue", "Wed", "Thu", "Fri"] {
                    busy.push_str(&format!("{id},{day},08:00,17:00,work\n"));
                }
            }
            std::fs::write(dir.join("client_busy.csv"), busy).expect("write busy");
        }
        "scarce" => {
            let away: BTreeSet<String> = rows(&dir.join("staff.csv"))
                .into_iter()
                .filter(|r| r["role"] == "therapist")
                .map(|r| r["staff_id"].clone())
                .step_by(2)
                .collect();
            edit(&dir.join("staff_availability.csv"), |row| {
                !away.contains(&row["staff_id"])
            });
        }
        other => panic!("unknown shape {other}"),
    }
}

/// Applies a week-over-week change; returns the client it concerns, if one.
fn apply_change(change: &str, dir: &Path) -> Option<String> {
    match change {
        "admission" => {
            let mut clients = std::fs::read_to_string(dir.join("clients.csv")).expect("clients");
            clients.push_str("N-NEW01,IOP,North,night,,,,,0\n");
            std::fs::write(dir.join("clients.csv"), clients).expect("write clients");
            let mut busy = std::fs::read_to_string(dir.join("client_busy.csv")).expect("busy");
            for day in ["Mon", "Tue", "Wed", "Thu", "Fri"] {
                busy.push_str(&format!("N-NEW01,{day},08:00,17:00,work\n"));
            }
            std::fs::write(dir.join("client_busy.csv"), busy).expect("write busy");
            Some("N-NEW01".into())
        }
        "discharge" => {
            let gone = rows(&dir.join("clients.csv"))[0]["client_id"].clone();
            edit(&dir.join("clients.csv"), |row| row["client_id"] != gone);
            edit(&dir.join("client_busy.csv"), |row| row["client_id"] != gone);
            Some(gone)
        }
        "therapist out" => {
            let out = rows(&dir.join("staff.csv"))
                .into_iter()
                .find(|r| r["role"] == "therapist")
                .map(|r| r["staff_id"].clone())
                .expect("a therapist");
            edit(&dir.join("staff_availability.csv"), |row| {
                !(row["staff_id"] == out && row["day"].eq_ignore_ascii_case("tue"))
            });
            None
        }
        other => panic!("unknown change {other}"),
    }
}

fn rows(path: &Path) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).expect("read csv");
    let headers = reader.headers().expect("headers").clone();
    reader
        .records()
        .map(|r| {
            let r = r.expect("record");
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// Rewrites a CSV file row by row: `keep` may change a row and says whether it stays.
fn edit(path: &Path, mut keep: impl FnMut(&mut HashMap<String, String>) -> bool) {
    let mut reader = csv::Reader::from_path(path).expect("read csv");
    let headers: Vec<String> = reader
        .headers()
        .expect("headers")
        .iter()
        .map(str::to_string)
        .collect();
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&headers).expect("header");
    for record in reader.records() {
        let record = record.expect("record");
        let mut row: HashMap<String, String> = headers
            .iter()
            .cloned()
            .zip(record.iter().map(str::to_string))
            .collect();
        if keep(&mut row) {
            let cells: Vec<&str> = headers.iter().map(|h| row[h].as_str()).collect();
            writer.write_record(cells).expect("row");
        }
    }
    std::fs::write(path, writer.into_inner().expect("csv bytes")).expect("write csv");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
    }
}

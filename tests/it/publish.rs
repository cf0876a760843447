//! The output set is replaced at once: a failure (or a kill) at any step leaves the
//! old complete set or the new one, a second run meets the lock, leftovers of killed
//! runs are cleaned, an unwritable --out is found before solving, and run.json
//! records the run.

use crate::workdir::{iopsched, stderr, Workdir, ROSTER_HEADER, WEEK};
use iopsched::publish::{OutputSet, Step};
use std::path::Path;

fn set(tag: &str) -> Vec<(String, Vec<u8>)> {
    [
        "roster.csv",
        "client_summary.csv",
        "calendars/a.ics",
        "run.json",
    ]
    .iter()
    .map(|name| (name.to_string(), format!("{tag} {name}").into_bytes()))
    .collect()
}

/// The tag of every file under `out`, which must all agree.
fn tag_of(out: &Path) -> String {
    let tags: Vec<String> = set("")
        .iter()
        .map(|(name, _)| {
            let text = std::fs::read_to_string(out.join(name))
                .unwrap_or_else(|e| panic!("{name} missing: {e}"));
            text.split(' ').next().unwrap().to_string()
        })
        .collect();
    assert!(tags.iter().all(|t| t == &tags[0]), "a mixed set: {tags:?}");
    tags[0].clone()
}

fn steps(files: usize) -> Vec<Step> {
    let mut all = vec![Step::Clean];
    all.extend((0..files).map(Step::Write));
    all.extend([Step::Link, Step::Swap, Step::Retire]);
    all
}

#[test]
fn a_failure_at_every_step_of_the_swap_leaves_the_old_or_the_new_set() {
    for fail_at in steps(set("").len()) {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("roster");
        OutputSet::lock(&out).unwrap().publish(&set("old")).unwrap();
        {
            let locked = OutputSet::lock(&out).unwrap();
            let mut hook = |step: Step| {
                if step == fail_at {
                    Err(std::io::Error::other("killed"))
                } else {
                    Ok(())
                }
            };
            assert!(locked.publish_with(&set("new"), &mut hook).is_err());
        }
        let tag = tag_of(&out);
        let expected = if matches!(fail_at, Step::Retire) {
            "new"
        } else {
            "old"
        };
        assert_eq!(tag, expected, "failed at {fail_at:?}");
        // The next run cleans up whatever was left and publishes in full.
        OutputSet::lock(&out)
            .unwrap()
            .publish(&set("next"))
            .unwrap();
        assert_eq!(tag_of(&out), "next");
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert!(left.len() <= 4, "after {fail_at:?}: {left:?}");
        assert!(!left.iter().any(|n| n.ends_with(".link")), "{left:?}");
    }
}

#[test]
fn an_output_folder_written_in_place_is_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("roster");
    std::fs::create_dir_all(out.join("calendars")).unwrap();
    for (name, bytes) in set("old") {
        std::fs::write(out.join(name), bytes).unwrap();
    }
    OutputSet::lock(&out).unwrap().publish(&set("new")).unwrap();
    assert_eq!(tag_of(&out), "new");
    assert!(std::fs::symlink_metadata(&out)
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn a_folder_with_other_files_is_not_taken_over() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("home");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("thesis.tex"), "mine").unwrap();
    let error = OutputSet::lock(&out).err().expect("refused");
    assert!(
        error.to_string().contains("files iopsched did not write"),
        "{error}"
    );
    assert!(out.join("thesis.tex").exists());
}

#[test]
fn a_second_run_into_a_locked_folder_exits_4_and_writes_nothing() {
    let wd = Workdir::tiny();
    let held = OutputSet::lock(&wd.out()).unwrap();
    let out = wd.solve(&["--time-limit", "5"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("another iopsched run"),
        "{}",
        stderr(&out)
    );
    assert!(!wd.out().exists());
    drop(held);
    let out = wd.solve(&["--time-limit", "5"]);
    assert!(matches!(out.status.code(), Some(0 | 3)), "{}", stderr(&out));
    wd.assert_valid();
}

#[test]
fn concurrent_writers_leave_one_complete_set() {
    let wd = Workdir::tiny();
    let run = || wd.solve_command(&["--time-limit", "5"]).spawn().unwrap();
    let (mut a, mut b) = (run(), run());
    let codes = [a.wait().unwrap().code(), b.wait().unwrap().code()];
    for code in codes {
        assert!(matches!(code, Some(0 | 3 | 4)), "{codes:?}");
    }
    assert!(codes.iter().any(|c| matches!(c, Some(0 | 3))), "{codes:?}");
    wd.assert_valid();
    let record: serde_json::Value =
        serde_json::from_str(&wd.read_out("run.json")).expect("run.json parses");
    assert_eq!(record["clients"], 1);
}

#[test]
fn an_unwritable_out_is_found_before_solving() {
    let wd = Workdir::tiny();
    std::fs::write(wd.path("file"), "not a folder").unwrap();
    let out = iopsched()
        .arg("solve")
        .arg(wd.input())
        .args(["--week", WEEK, "--out"])
        .arg(wd.path("file").join("roster"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("cannot write into"), "{err}");
    assert!(!err.contains("week of"), "solved before finding out: {err}");
}

#[test]
fn run_json_records_the_week_the_stages_and_the_exit_code() {
    let wd = Workdir::tiny();
    let out = wd.solve(&["--time-limit", "5"]);
    let code = out.status.code().unwrap();
    let record: serde_json::Value = serde_json::from_str(&wd.read_out("run.json")).unwrap();
    assert_eq!(record["week"], WEEK);
    assert_eq!(record["exit_code"], code);
    assert_eq!(record["clients"], 1);
    assert_eq!(
        record["met"].as_u64().unwrap() + record["short"].as_u64().unwrap(),
        1
    );
    let fingerprint = record["input_fingerprint"].as_str().unwrap().to_string();
    assert!(fingerprint.starts_with("fnv1a64:"), "{fingerprint}");
    let stages = record["stages"].as_array().unwrap();
    assert!(!stages.is_empty());
    for stage in stages {
        assert!(
            ["optimal", "within_gap", "time_limit"].contains(&stage["status"].as_str().unwrap())
        );
        assert!(stage["objective"].is_number() && stage["seconds"].is_number());
    }
    assert!(record["wall_seconds"].as_f64().unwrap() > 0.0);
    // Another input, another fingerprint.
    wd.file(
        "clients.csv",
        "client_id,level,primary_therapist\nC1,IOP,T1\nC2,IOP,T1\n",
    );
    wd.solve(&["--time-limit", "5"]);
    let again: serde_json::Value = serde_json::from_str(&wd.read_out("run.json")).unwrap();
    assert_ne!(again["input_fingerprint"], record["input_fingerprint"]);
}

#[test]
fn check_writes_its_files_as_one_locked_set() {
    let wd = Workdir::tiny();
    let dir = wd.path("hand");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("roster.csv"), ROSTER_HEADER).unwrap();
    let roster = dir.join("roster.csv");
    let out = wd.path("c");
    let args = [
        "--roster",
        roster.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    let held = OutputSet::lock(&out).unwrap();
    assert_eq!(wd.run("check", &args).status.code(), Some(4));
    assert!(!out.exists());
    drop(held);
    let run = wd.run("check", &args);
    assert!(matches!(run.status.code(), Some(0 | 3)), "{}", stderr(&run));
    assert!(std::fs::symlink_metadata(&out)
        .unwrap()
        .file_type()
        .is_symlink());
    for name in ["violations.csv", "client_summary.csv", "billing.csv"] {
        assert!(out.join(name).exists(), "{name}");
    }
}

#[test]
fn an_out_with_a_trailing_slash_names_the_same_set() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("roster");
    let slashed = std::path::PathBuf::from(format!("{}/", out.display()));
    OutputSet::lock(&slashed)
        .unwrap()
        .publish(&set("old"))
        .unwrap();
    OutputSet::lock(&slashed)
        .unwrap()
        .publish(&set("new"))
        .unwrap();
    assert!(std::fs::symlink_metadata(&out)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(tag_of(&out), "new");
}

/// Runs `command` into `out` while another run holds its lock (exit 4, nothing
/// written), then again: one set with `file`, swapped in as a link.
fn writes_one_locked_set(wd: &Workdir, command: &str, args: &[&str], out: &Path, file: &str) {
    let held = OutputSet::lock(out).unwrap();
    let run = wd.run(command, args);
    assert_eq!(run.status.code(), Some(4), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("another iopsched run"),
        "{}",
        stderr(&run)
    );
    assert!(!out.exists());
    drop(held);
    let run = wd.run(command, args);
    assert!(matches!(run.status.code(), Some(0 | 3)), "{}", stderr(&run));
    assert!(std::fs::symlink_metadata(out)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(out.join(file).exists(), "{file}");
}

#[test]
fn place_writes_placements_csv_as_one_locked_set() {
    let wd = Workdir::tiny();
    // A published roster without rows: C1 is new.
    let roster = wd.path("published.csv");
    std::fs::write(&roster, ROSTER_HEADER).unwrap();
    let out = wd.path("p");
    let args = [
        "--roster",
        roster.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--time-limit",
        "5",
    ];
    writes_one_locked_set(&wd, "place", &args, &out, "placements.csv");
}

#[test]
fn whatif_writes_whatif_csv_as_one_locked_set() {
    let wd = Workdir::tiny();
    let out = wd.path("w");
    let args = ["--out", out.to_str().unwrap(), "--time-limit", "2"];
    writes_one_locked_set(&wd, "whatif", &args, &out, "whatif.csv");
}

//! A scratch folder with an input program, and a way to run the real binary on it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Output;

/// The Monday every fixture is scheduled for.
pub const WEEK: &str = "2026-11-23";

pub fn monday() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

pub struct Workdir {
    dir: tempfile::TempDir,
}

/// The contract's default levels.
pub const LEVELS: &str = "level,min_weekly_hours,max_weekly_hours,min_days,max_days,min_daily_hours,max_daily_hours,individual_per_week,physician_per_week
IOP,9,20,3,5,3,4,1,1
PHP,20,30,5,5,4,6,2,1
OP,1,8.5,1,2,1,3,1,0
";

impl Workdir {
    pub fn new() -> Workdir {
        let wd = Workdir {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        std::fs::create_dir_all(wd.input()).unwrap();
        wd
    }

    /// A copy of a folder of input files (e.g. `data/example`).
    pub fn copy_of(folder: &Path) -> Workdir {
        let wd = Workdir::new();
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "csv") {
                std::fs::copy(&path, wd.input().join(path.file_name().unwrap())).unwrap();
            }
        }
        wd
    }

    pub fn input(&self) -> PathBuf {
        self.dir.path().join("input")
    }

    pub fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    /// Writes an input file.
    pub fn file(&self, name: &str, contents: &str) -> &Self {
        std::fs::write(self.input().join(name), contents).unwrap();
        self
    }

    /// Runs `iopsched solve` on the input folder with the fixture week.
    pub fn solve(&self, extra: &[&str]) -> Output {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_iopsched"));
        cmd.arg("solve")
            .arg(self.input())
            .args(["--week", WEEK, "--out"])
            .arg(self.out())
            .args(extra);
        if !extra.contains(&"--time-limit") {
            cmd.args(["--time-limit", "60"]);
        }
        cmd.output().expect("run iopsched")
    }

    /// Runs `iopsched COMMAND INPUT_DIR --week WEEK EXTRA...` (check, lint, ...).
    pub fn run(&self, command: &str, extra: &[&str]) -> Output {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_iopsched"));
        cmd.arg(command)
            .arg(self.input())
            .args(["--week", WEEK])
            .args(extra);
        cmd.output().expect("run iopsched")
    }

    /// A path inside the scratch folder, next to `input/` and `out/`.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn read_out(&self, name: &str) -> String {
        std::fs::read_to_string(self.out().join(name))
            .unwrap_or_else(|e| panic!("reading {name}: {e}"))
    }

    /// The rows of an output CSV as header -> value maps.
    pub fn rows(&self, name: &str) -> Vec<HashMap<String, String>> {
        csv_rows(&self.out().join(name))
    }

    /// The client_summary row of one client.
    pub fn summary_of(&self, client: &str) -> HashMap<String, String> {
        self.rows("client_summary.csv")
            .into_iter()
            .find(|r| r["client_id"] == client)
            .unwrap_or_else(|| panic!("no summary row for {client}"))
    }

    /// The independent checker's verdict on the outputs; panics with every violation.
    pub fn assert_valid(&self) {
        let violations = crate::checker::check(
            &self.input(),
            &self.out(),
            monday(),
            &crate::checker::CheckOptions::default(),
        );
        assert!(
            violations.is_empty(),
            "the checker found {} violation(s):\n{}",
            violations.len(),
            violations.join("\n")
        );
    }
}

/// stdout of a run.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// stderr of a run, for assertion messages.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The rows of a CSV file as header -> value maps.
pub fn csv_rows(path: &Path) -> Vec<HashMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

//! What the integration tests share: a scratch folder with an input program, the
//! built `iopsched` binary run on it, generated programs, CSV rows, and the
//! independent checker's verdict.
//!
//! The checker is the product's `iopsched::check` (written from the contract alone,
//! sharing no code with the optimizer); the helpers here return every problem as
//! one line, `FILE:LINE: who, when: [rule] what` (empty = valid).

use iopsched::check::{CheckOptions, SummaryFiles};
use iopsched::generate::{write_program, GenerateSpec};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The Monday every fixture is scheduled for.
pub const WEEK: &str = "2026-11-23";

pub fn monday() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

/// The contract's default levels.
pub const LEVELS: &str = "level,min_weekly_hours,max_weekly_hours,min_days,max_days,min_daily_hours,max_daily_hours,individual_per_week,physician_per_week
IOP,9,20,3,5,3,4,1,1
PHP,20,30,5,5,4,6,2,1
OP,1,8.5,1,2,1,3,1,0
";

/// Monday to Friday, as input files spell days.
pub const WEEKDAYS: [&str; 5] = ["Mon", "Tue", "Wed", "Thu", "Fri"];

/// The header of roster.csv, as the contract spells it.
pub const ROSTER_HEADER: &str = "date,day,start,end,client_id,activity,session_id,staff_id,site\n";

/// The built binary (cargo builds it for integration tests).
pub fn iopsched() -> Command {
    Command::new(env!("CARGO_BIN_EXE_iopsched"))
}

/// A program of `clients` clients at one site, without appointments.csv or messy
/// cells: the shape the solver tests and the concurrency tests share.
pub fn one_site(clients: usize, seed: u64) -> GenerateSpec {
    GenerateSpec {
        clients,
        sites: 1,
        seed,
        messy: false,
        kinds: false,
    }
}

pub struct Workdir {
    dir: tempfile::TempDir,
}

impl Workdir {
    pub fn new() -> Workdir {
        let wd = Workdir {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        std::fs::create_dir_all(wd.input()).unwrap();
        wd
    }

    /// A copy of a folder of input files.
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

    /// A copy of a bundled program under `data/` (`example`, `example-kinds`).
    pub fn bundled(name: &str) -> Workdir {
        Workdir::copy_of(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("data")
                .join(name),
        )
    }

    /// A copy of the bundled example (`data/example`).
    pub fn example() -> Workdir {
        Workdir::bundled("example")
    }

    /// A generated program (`iopsched generate`'s generator) as the input.
    pub fn generated(spec: &GenerateSpec) -> Workdir {
        let wd = Workdir::new();
        write_program(spec, &wd.input()).unwrap();
        wd
    }

    /// One IOP client and one therapist: the smallest program that solves.
    pub fn tiny() -> Workdir {
        let wd = Workdir::new();
        wd.file("levels.csv", LEVELS)
            .file(
                "clients.csv",
                "client_id,level,primary_therapist\nC1,IOP,T1\n",
            )
            .file("staff.csv", "staff_id,role\nT1,therapist\nP1,physician\n")
            .file(
                "staff_availability.csv",
                "staff_id,day,start,end\nT1,Mon,08:00,17:00\nT1,Tue,08:00,17:00\n\
                 T1,Wed,08:00,17:00\nP1,Mon,08:00,17:00\n",
            )
            .file(
                "sessions.csv",
                "session_id,name,day,start,end,capacity,facilitator,room\n\
                 G1,Morning,Mon,09:00,12:00,5,T1,Room A\nG2,Morning,Tue,09:00,12:00,5,T1,Room A\n\
                 G3,Morning,Wed,09:00,12:00,5,T1,Room A\n",
            );
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

    /// `iopsched solve INPUT --week WEEK --out OUT EXTRA...`, not yet started (a 60 s
    /// time limit unless `extra` gives one).
    pub fn solve_command(&self, extra: &[&str]) -> Command {
        let mut cmd = iopsched();
        cmd.arg("solve")
            .arg(self.input())
            .args(["--week", WEEK, "--out"])
            .arg(self.out())
            .args(extra);
        if !extra.contains(&"--time-limit") {
            cmd.args(["--time-limit", "60"]);
        }
        cmd
    }

    /// Runs `iopsched solve` on the input folder with the fixture week.
    pub fn solve(&self, extra: &[&str]) -> Output {
        self.solve_command(extra).output().expect("run iopsched")
    }

    /// Runs `iopsched COMMAND INPUT_DIR --week WEEK EXTRA...` (check, lint, ...).
    pub fn run(&self, command: &str, extra: &[&str]) -> Output {
        let mut cmd = iopsched();
        cmd.arg(command)
            .arg(self.input())
            .args(["--week", WEEK])
            .args(extra);
        cmd.output().expect("run iopsched")
    }

    /// Runs `iopsched check` on a hand-made roster (`rows` under the contract's
    /// header, in `hand/roster.csv`, alone in its folder) into `check/`.
    pub fn check_roster(&self, rows: &str) -> Output {
        let dir = self.path("hand");
        std::fs::create_dir_all(&dir).unwrap();
        let roster = dir.join("roster.csv");
        std::fs::write(&roster, format!("{ROSTER_HEADER}{rows}")).unwrap();
        let out = self.path("check");
        self.run(
            "check",
            &[
                "--roster",
                roster.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
        )
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
        let violations = check_outputs(
            &self.input(),
            &self.out(),
            monday(),
            &CheckOptions::default(),
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

/// Checks `output_dir`'s roster.csv and its summaries (required) against the inputs
/// in `input_dir` for the week containing `week_monday`.
pub fn check_outputs(
    input_dir: &Path,
    output_dir: &Path,
    week_monday: chrono::NaiveDate,
    opts: &CheckOptions,
) -> Vec<String> {
    iopsched::check::check(
        input_dir,
        &output_dir.join("roster.csv"),
        week_monday,
        opts,
        SummaryFiles::Required,
    )
    .lines()
}

/// Files the optimizer writes; [`check_files`] puts them in the output folder.
const OUTPUTS: [&str; 4] = [
    "roster.csv",
    "client_summary.csv",
    "sessions_summary.csv",
    "billing.csv",
];

/// A week kept as text (inputs and outputs by file name), written to scratch
/// folders and checked: the checker's self-tests mutate such texts freely.
pub fn check_files(
    files: &BTreeMap<&'static str, String>,
    week_monday: chrono::NaiveDate,
    opts: &CheckOptions,
) -> Vec<String> {
    let input = tempfile::tempdir().unwrap();
    let output = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let dir = if OUTPUTS.contains(name) {
            &output
        } else {
            &input
        };
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    check_outputs(input.path(), output.path(), week_monday, opts)
}

/// The roster of a week solved in-process passes the independent checker (its
/// summaries are not written, so only the roster is checked).
pub fn assert_week_checks(input: &Path, week: &iopsched::week::Week) {
    let out = tempfile::tempdir().unwrap();
    let roster = iopsched::output::roster_csv(&week.program, &week.schedule).unwrap();
    std::fs::write(out.path().join("roster.csv"), roster).unwrap();
    let report = iopsched::check::check(
        input,
        &out.path().join("roster.csv"),
        monday(),
        &CheckOptions::default(),
        SummaryFiles::IfPresent,
    );
    let lines = report.lines();
    assert!(lines.is_empty(), "violations:\n{}", lines.join("\n"));
}

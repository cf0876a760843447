//! A deterministic mutation corpus for the loaders: the example program's files,
//! each case mutated a few times by a seeded generator (bytes cut, inserted or
//! replaced, cells swapped for hostile values, lines repeated, files emptied or
//! removed). For every case the optimizer's loader and the checker must not panic,
//! and must return either a program or a non-empty list of errors that each name
//! their file and fit on one line.

use crate::workdir::ROSTER_HEADER;
use iopsched::check::{check, CheckOptions, SummaryFiles};
use iopsched::input::{load, LoadSettings};
use std::path::Path;

const CASES: u64 = 400;

/// Cells a spreadsheet user or an attacker might type.
const HOSTILE: [&str; 18] = [
    "",
    "-1",
    "4294967296",
    "4294967295",
    "1e308",
    "NaN",
    "=cmd|' /C calc'!A0",
    "@SUM(A1)",
    "24:01",
    "25:00",
    "0:60",
    "\"",
    "a\nb",
    "\u{feff}",
    "Mon;Tue",
    "2026-02-30",
    "0.0000000000000000000000001",
    "9999999999999999999999999999999999",
];

/// xorshift64*: small, seeded, the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// One mutation of one file's bytes (`None`: remove the file).
fn mutate(rng: &mut Rng, bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = bytes.to_vec();
    let at = rng.below(out.len() + 1);
    match rng.below(9) {
        0 => return None,
        1 => out.truncate(at),
        2 => {
            let end = (at + rng.below(40)).min(out.len());
            out.drain(at..end);
        }
        3 => {
            let junk = [b',', b'"', b'\n', b'\r', b';', 0xff, 0xfe, b'0', b' ', b':'];
            for _ in 0..=rng.below(6) {
                out.insert(at.min(out.len()), junk[rng.below(junk.len())]);
            }
        }
        4 => {
            // Replace one cell with a hostile value.
            let text = String::from_utf8_lossy(&out).into_owned();
            let mut cells: Vec<String> = text.split(',').map(str::to_string).collect();
            let i = rng.below(cells.len());
            let value = HOSTILE[rng.below(HOSTILE.len())];
            cells[i] = if value.contains(['\n', '"']) {
                format!("\"{}\"", value.replace('"', "\"\""))
            } else {
                value.to_string()
            };
            out = cells.join(",").into_bytes();
        }
        5 => {
            // Repeat a line (duplicate IDs, room clashes).
            let text = String::from_utf8_lossy(&out).into_owned();
            let lines: Vec<&str> = text.lines().collect();
            let line = lines.get(rng.below(lines.len())).copied().unwrap_or("");
            out.extend_from_slice(format!("\n{line}\n").as_bytes());
        }
        6 => out.clear(),
        7 => {
            // Drop a header cell: a missing required column.
            let text = String::from_utf8_lossy(&out).into_owned();
            let (head, rest) = text.split_once('\n').unwrap_or((&text, ""));
            let mut cells: Vec<&str> = head.split(',').collect();
            if !cells.is_empty() {
                cells.remove(rng.below(cells.len()));
            }
            out = format!("{}\n{rest}", cells.join(",")).into_bytes();
        }
        _ => {
            let big = "9".repeat(rng.below(5000));
            out.splice(at..at, big.into_bytes());
        }
    }
    Some(out)
}

#[test]
fn mutated_inputs_never_panic_and_give_a_program_or_errors() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/example");
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&example)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    files.sort();
    let names: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
    let monday = crate::workdir::monday();
    let mut rng = Rng(0x1005_c4ed);
    let (mut accepted, mut refused) = (0, 0);
    let roster_dir = tempfile::tempdir().unwrap();
    let roster = roster_dir.path().join("roster.csv");
    std::fs::write(&roster, ROSTER_HEADER).unwrap();
    for case in 0..CASES {
        let dir = tempfile::tempdir().unwrap();
        let mut mutated = files.clone();
        for _ in 0..=rng.below(3) {
            let f = rng.below(mutated.len());
            match mutate(&mut rng, &mutated[f].1) {
                Some(bytes) => mutated[f].1 = bytes,
                None => mutated[f].1 = b"\0removed".to_vec(),
            }
        }
        for (name, bytes) in &mutated {
            if bytes.as_slice() != b"\0removed" {
                std::fs::write(dir.path().join(name), bytes).unwrap();
            }
        }
        let loaded =
            std::panic::catch_unwind(|| load(dir.path(), monday, &LoadSettings::default()));
        let loaded = loaded.unwrap_or_else(|_| panic!("the loader panicked on case {case}"));
        match loaded {
            Ok(program) => {
                accepted += 1;
                assert!(!program.levels.is_empty() || program.clients.is_empty());
            }
            Err(errors) => {
                refused += 1;
                assert!(
                    !errors.0.is_empty(),
                    "case {case}: an error list without errors"
                );
                for error in &errors.0 {
                    let text = error.to_string();
                    assert!(
                        !text.contains('\n') && !text.contains('\r'),
                        "case {case}: {text:?}"
                    );
                    assert!(
                        text.len() < 2000,
                        "case {case}: {} bytes: {}",
                        text.len(),
                        &text[..600]
                    );
                    let known = names.iter().any(|n| text.starts_with(n.as_str()));
                    assert!(known, "case {case}: error names no input file: {text}");
                }
            }
        }
        let checked = std::panic::catch_unwind(|| {
            check(
                dir.path(),
                &roster,
                monday,
                &CheckOptions::default(),
                SummaryFiles::IfPresent,
            )
        });
        assert!(checked.is_ok(), "the checker panicked on case {case}");
    }
    eprintln!("fuzz: {CASES} mutated input folders, {accepted} accepted, {refused} refused");
    assert_eq!(accepted + refused, CASES);
    assert!(
        refused > CASES / 2,
        "the mutations should break most folders"
    );
    assert!(accepted > 0, "some mutations are harmless");
}

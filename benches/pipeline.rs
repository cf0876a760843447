//! Criterion benchmarks of the steps before solving: loading the input files,
//! listing candidates and building the integer program.

use criterion::{criterion_group, criterion_main, Criterion};
use iopsched::candidates::Candidates;
use iopsched::input::{load, LoadSettings};
use iopsched::model::{AloneBound, Model};
use std::path::Path;

fn monday() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn generated(clients: usize, dir: &Path) {
    let spec = iopsched::generate::GenerateSpec {
        clients,
        sites: 1,
        seed: 1,
        messy: false,
        kinds: false,
    };
    iopsched::generate::write_program(&spec, dir).unwrap();
}

fn pipeline(c: &mut Criterion) {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/example");
    let big = tempfile::tempdir().unwrap();
    generated(150, big.path());
    for (name, dir) in [
        ("example-40", example.as_path()),
        ("generated-150", big.path()),
    ] {
        let settings = LoadSettings::default();
        c.bench_function(&format!("load {name}"), |b| {
            b.iter(|| load(dir, monday(), &settings).unwrap())
        });
        let program = load(dir, monday(), &settings).unwrap();
        c.bench_function(&format!("candidates {name}"), |b| {
            b.iter(|| Candidates::build(&program))
        });
        let cands = Candidates::build(&program);
        let bounds = vec![
            AloneBound {
                can_meet: true,
                min_short_minutes: 0.0
            };
            program.clients.len()
        ];
        c.bench_function(&format!("model build {name}"), |b| {
            b.iter(|| Model::whole(&program, &cands, &bounds).num_columns())
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = pipeline
}
criterion_main!(benches);

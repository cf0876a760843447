//! `place` while the client is on the phone: one new client around the published
//! roster of a generated 150-client site, with 1 and with 3 options.

use criterion::{criterion_group, criterion_main, Criterion};
use iopsched::place::{place, PlaceOptions};
use iopsched::solve::SolverSettings;
use iopsched::week::{solve_week, WeekOptions};

fn monday() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

/// A generated site, its solved roster as published, then one new client (a copy
/// of the first client's row under a new id, with no commitments).
fn published_site(dir: &std::path::Path) -> std::path::PathBuf {
    let spec = iopsched::generate::GenerateSpec {
        clients: 150,
        sites: 1,
        seed: 1,
        messy: false,
        kinds: false,
    };
    iopsched::generate::write_program(&spec, dir).unwrap();
    let mut options = WeekOptions::new(monday());
    options.solver.time_limit = 60.0;
    let week = solve_week(dir, &options).unwrap();
    let roster = dir.join("published.csv");
    let bytes = iopsched::output::roster_csv(&week.program, &week.schedule).unwrap();
    std::fs::write(&roster, bytes).unwrap();
    let clients = std::fs::read_to_string(dir.join("clients.csv")).unwrap();
    let first = clients.lines().nth(1).unwrap();
    let copy = format!("NEW-1{}", &first[first.find(',').unwrap()..]);
    std::fs::write(dir.join("clients.csv"), format!("{clients}{copy}\n")).unwrap();
    roster
}

fn bench_place(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let roster = published_site(dir.path());
    for n in [1, 3] {
        let opts = PlaceOptions {
            monday: monday(),
            load: Default::default(),
            roster: roster.clone(),
            options: n,
            solver: SolverSettings {
                time_limit: 20.0,
                ..SolverSettings::default()
            },
        };
        c.bench_function(
            &format!("place 1 new client, {n} option(s), 150 clients"),
            |b| b.iter(|| place(dir.path(), &opts).unwrap()),
        );
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench_place
}
criterion_main!(benches);

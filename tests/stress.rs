//! Many HiGHS instances at once: every solve already runs one per client in the
//! pre-analysis and one per site; here three whole multi-site solves also run side
//! by side in one process. Crashes under concurrent use were reported for old HiGHS
//! versions, so this must keep passing, and concurrency must not change results.

mod common;

use iopsched::generate::{write_program, GenerateSpec};
use iopsched::week::{solve_week, WeekOptions};

#[test]
fn concurrent_multi_site_solves_agree() {
    let dir = tempfile::tempdir().unwrap();
    let spec = GenerateSpec {
        clients: 12,
        sites: 6,
        seed: 31,
        messy: false,
        kinds: false,
    };
    write_program(&spec, dir.path()).unwrap();
    let mut options = WeekOptions::new(common::workdir::monday());
    options.solver.time_limit = 120.0;
    let weeks: Vec<_> = std::thread::scope(|scope| {
        let runs: Vec<_> = (0..3)
            .map(|_| scope.spawn(|| solve_week(dir.path(), &options).expect("a roster")))
            .collect();
        runs.into_iter()
            .map(|r| r.join().expect("no crash"))
            .collect()
    });
    let rosters: Vec<_> = weeks.iter().map(|w| &w.schedule).collect();
    let program = &weeks[0].program;
    assert_eq!(program.clients.len(), 72);
    for schedule in &rosters[1..] {
        assert_eq!(schedule.roster.entries, rosters[0].roster.entries);
        assert_eq!(schedule.start_met, rosters[0].start_met);
    }
    assert!(
        rosters[0].roster.entries.len() > 100,
        "a real roster, not an empty one"
    );
}

//! Live progress and Stop: a solve reports how far it got, and a stop asked for
//! mid-solve ends it early with a roster that still keeps every hard rule.

use crate::workdir::{assert_week_checks, monday, one_site, Workdir};
use iopsched::progress::Progress;
use iopsched::week::{solve_week, WeekOptions};
use std::time::{Duration, Instant};

#[test]
fn a_stop_ends_the_solve_early_with_a_valid_roster() {
    let wd = Workdir::generated(&one_site(120, 5));
    let progress = Progress::new();
    let mut options = WeekOptions::new(monday());
    options.solver.time_limit = 600.0;
    options.solver.progress = Some(progress.clone());
    let clock = Instant::now();
    let week = std::thread::scope(|scope| {
        let solving = scope.spawn(|| solve_week(&wd.input(), &options));
        // Stop while HiGHS works on the whole model (past the start and the
        // pre-analysis), or after a while regardless.
        let early = ["waiting", "start", "pre-analysis"];
        while early.contains(&progress.snapshot().stage.as_str())
            && clock.elapsed() < Duration::from_secs(60)
        {
            std::thread::sleep(Duration::from_millis(50));
        }
        std::thread::sleep(Duration::from_millis(500));
        let asked = clock.elapsed();
        progress.stop();
        assert!(progress.snapshot().stopping || progress.snapshot().done);
        let week = solving.join().unwrap().expect("a roster");
        println!(
            "stop asked at {asked:?}, solve ended at {:?}",
            clock.elapsed()
        );
        week
    });
    // Far below the 600 s limit: the stop was obeyed, not the clock.
    assert!(
        clock.elapsed() < Duration::from_secs(200),
        "took {:?}",
        clock.elapsed()
    );
    let end = progress.snapshot();
    assert!(end.done && !end.stopping);
    assert_eq!(end.stage, "done");
    assert_eq!(end.clients, 120);
    assert_eq!(
        end.met,
        Some(week.met()),
        "the reported met is the roster's"
    );
    assert!(week.met() > 0);
    assert_week_checks(&wd.input(), &week);
}

#[test]
fn progress_reports_the_proven_bound_and_the_final_met() {
    let wd = Workdir::generated(&one_site(30, 9));
    let progress = Progress::new();
    let mut options = WeekOptions::new(monday());
    options.solver.time_limit = 60.0;
    options.solver.progress = Some(progress.clone());
    assert_eq!(progress.snapshot().stage, "waiting");
    let week = solve_week(&wd.input(), &options).expect("a roster");
    let end = progress.snapshot();
    assert!(end.done);
    assert_eq!(end.met, Some(week.met()));
    let met_stage = &week.schedule.stages[0];
    if met_stage.status == iopsched::solve::StageStatus::Optimal {
        assert_eq!(
            end.bound,
            Some(week.met()),
            "a proven stage reports its bound"
        );
    }
    assert!(end.elapsed > 0.0 && end.time_limit == 60.0);
    assert_week_checks(&wd.input(), &week);
}

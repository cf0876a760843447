//! Live progress of a solve, and a way to stop it early.
//!
//! A caller (the web app) creates a [`Progress`], puts it in
//! [`SolverSettings::progress`](crate::solve::SolverSettings), solves on another
//! thread and polls [`Progress::snapshot`]. [`Progress::stop`] makes the solve
//! finish soon with the best roster found so far: running HiGHS instances are
//! interrupted through HiGHS's callback, and no further step starts.
//!
//! Only the whole model's steps report; the small models solved inside them
//! (one client at a time, neighbourhoods, the pre-analysis) get a muted handle
//! that only carries the stop request, so their own objectives never show up as
//! the week's.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// The shared progress of one solve. Cheap to poll from any thread.
pub struct Progress {
    shared: Arc<Shared>,
    /// Which independent part (site) this handle reports for; `None` = the
    /// caller's handle, which begins and finishes the solve.
    part: Option<usize>,
    /// Carries the stop request only: reports, begins and finishes nothing.
    muted: bool,
}

struct Shared {
    stop: AtomicBool,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    started: Option<Instant>,
    time_limit: f64,
    clients: usize,
    parts: Vec<Part>,
    done: bool,
}

#[derive(Clone, Default)]
struct Part {
    stage: &'static str,
    met: Option<usize>,
    bound: Option<usize>,
    done: bool,
}

/// What a solve has achieved so far.
#[derive(Clone, Debug, PartialEq)]
pub struct ProgressSnapshot {
    /// The step the solve is in ("start", "neighbourhood search", a stage name,
    /// "done"); "waiting" before it begins.
    pub stage: String,
    /// Clients met by the best roster found so far (every part reported).
    pub met: Option<usize>,
    /// The most clients that can be met, when proven.
    pub bound: Option<usize>,
    pub clients: usize,
    /// Seconds since the solve began.
    pub elapsed: f64,
    pub time_limit: f64,
    pub done: bool,
    /// A stop was asked for; the solve is finishing with its best roster.
    pub stopping: bool,
}

impl Progress {
    pub fn new() -> Arc<Progress> {
        Arc::new(Progress {
            shared: Arc::new(Shared {
                stop: AtomicBool::new(false),
                state: Mutex::new(State::default()),
            }),
            part: None,
            muted: false,
        })
    }

    /// Asks the solve to finish soon with the best roster found so far.
    pub fn stop(&self) {
        self.shared.stop.store(true, Ordering::Relaxed);
    }

    /// Whether a stop was asked for.
    pub fn stopped(&self) -> bool {
        self.shared.stop.load(Ordering::Relaxed)
    }

    pub fn snapshot(&self) -> ProgressSnapshot {
        let state = self.lock();
        let all = |f: fn(&Part) -> Option<usize>| -> Option<usize> {
            let values: Option<Vec<usize>> = state.parts.iter().map(f).collect();
            values.filter(|v| !v.is_empty()).map(|v| v.iter().sum())
        };
        let stage = if state.done {
            "done"
        } else if state.started.is_none() {
            "waiting"
        } else {
            // The slowest part shows what the solve as a whole is waiting for.
            state
                .parts
                .iter()
                .find(|p| !p.done)
                .map_or("done", |p| p.stage)
        };
        ProgressSnapshot {
            stage: stage.to_string(),
            met: all(|p| p.met),
            bound: all(|p| p.bound),
            clients: state.clients,
            elapsed: state.started.map_or(0.0, |s| s.elapsed().as_secs_f64()),
            time_limit: state.time_limit,
            done: state.done,
            stopping: self.stopped() && !state.done,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic elsewhere while holding the lock leaves plain numbers behind:
        // still fine to read and overwrite.
        self.shared
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The solve begins: `parts` independent parts of `clients` clients in all.
    pub(crate) fn begin(&self, clients: usize, time_limit: f64, parts: usize) {
        if !self.is_callers() {
            return;
        }
        let mut state = self.lock();
        state.started = Some(Instant::now());
        state.time_limit = time_limit;
        state.clients = clients;
        state.parts = vec![
            Part {
                stage: "start",
                ..Part::default()
            };
            parts
        ];
        state.done = false;
    }

    /// The handle that part `part` reports through.
    pub(crate) fn for_part(&self, part: usize) -> Arc<Progress> {
        Arc::new(Progress {
            shared: self.shared.clone(),
            part: Some(part),
            muted: self.muted,
        })
    }

    /// A handle that carries the stop request but reports nothing.
    pub(crate) fn muted(&self) -> Arc<Progress> {
        Arc::new(Progress {
            shared: self.shared.clone(),
            part: self.part,
            muted: true,
        })
    }

    /// Whether this handle reports (it belongs to a whole part's solve).
    pub(crate) fn reports(&self) -> bool {
        self.part.is_some() && !self.muted
    }

    fn update(&self, f: impl FnOnce(&mut Part)) {
        if !self.reports() {
            return;
        }
        if let Some(i) = self.part {
            if let Some(part) = self.lock().parts.get_mut(i) {
                f(part);
            }
        }
    }

    pub(crate) fn stage(&self, name: &'static str) {
        self.update(|p| p.stage = name);
    }

    /// Clients met by this part's best roster so far.
    pub(crate) fn met(&self, met: usize) {
        self.update(|p| p.met = Some(met));
    }

    /// The most clients this part can meet, proven.
    pub(crate) fn bound(&self, bound: usize) {
        self.update(|p| p.bound = Some(bound));
    }

    /// This part is solved.
    pub(crate) fn part_done(&self) {
        self.update(|p| p.done = true);
    }

    /// The whole solve is over.
    pub(crate) fn finish(&self) {
        if self.is_callers() {
            self.lock().done = true;
        }
    }

    /// The caller's own handle, which begins and finishes the solve.
    fn is_callers(&self) -> bool {
        !self.muted && self.part.is_none()
    }
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Progress")
            .field("part", &self.part)
            .field("muted", &self.muted)
            .field("stopped", &self.stopped())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn met_is_known_only_when_every_part_reported() {
        let root = Progress::new();
        root.begin(10, 5.0, 2);
        let (a, b) = (root.for_part(0), root.for_part(1));
        a.met(3);
        assert_eq!(root.snapshot().met, None);
        b.met(4);
        assert_eq!(root.snapshot().met, Some(7));
        assert_eq!(root.snapshot().stage, "start");
    }

    #[test]
    fn muted_handles_report_nothing_but_see_the_stop() {
        let root = Progress::new();
        root.begin(3, 5.0, 1);
        let muted = root.for_part(0).muted();
        muted.met(1);
        muted.stage("clients met");
        assert_eq!(root.snapshot().met, None);
        assert_eq!(root.snapshot().stage, "start");
        assert!(!muted.stopped());
        root.stop();
        assert!(muted.stopped());
        assert!(root.snapshot().stopping);
        // A muted handle's solve (what-if's candidates) never restarts the clock.
        muted.begin(99, 1.0, 5);
        muted.finish();
        assert_eq!(root.snapshot().clients, 3);
        assert!(!root.snapshot().done);
    }

    #[test]
    fn the_stage_shown_is_the_slowest_parts() {
        let root = Progress::new();
        assert_eq!(root.snapshot().stage, "waiting");
        root.begin(4, 5.0, 2);
        let (a, b) = (root.for_part(0), root.for_part(1));
        a.stage("hours short");
        a.part_done();
        b.stage("clients met");
        assert_eq!(root.snapshot().stage, "clients met");
        root.finish();
        assert_eq!(root.snapshot().stage, "done");
        assert!(root.snapshot().done);
    }
}

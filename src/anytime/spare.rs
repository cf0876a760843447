//! The whole model's "clients met" LP bound, solved on the core that the start
//! and the search leave idle (they are sequential), and read without waiting:
//! the whole model's first stage then starts at its targets, and a search that
//! reaches the bound is proven.
//!
//! Two LPs in turn: first the model with the counted per-client bounds (ready
//! at once), then, when the pre-analysis has run, the model with its bounds,
//! whose LP is tighter (400 clients: 344, then 342, the optimum).

use super::{Budget, LP_COLUMNS_PER_SECOND};
use crate::model::{AloneBound, Model};
use crate::solve::{self, SolverSettings};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Share of the part's time the LPs beside the start may use: they must end
/// before the part does (the part waits for them).
const SPARE_LP_SHARE: f64 = 0.7;

/// An LP runs only when it should finish within this share of its time: one
/// that cannot finish only slows the start beside it (a 300-client site with
/// appointment kinds at 30 s: its start met 161 instead of 169).
const SPARE_LP_FITS: f64 = 0.85;

/// The best LP bound on clients met solved so far, and where the pre-analysis's
/// bounds go to have the tighter LP solved.
#[derive(Default)]
pub struct SpareBound<'m> {
    /// None until an LP finishes; only ever tightened.
    bound: Mutex<Option<f64>>,
    refine: Mutex<Option<Sender<Arc<Model<'m>>>>>,
    /// An LP is being solved (or waits for the pre-analysis).
    running: AtomicBool,
    /// An LP is being solved right now (its core is busy).
    solving: AtomicBool,
    /// This part has a second core (the LP's, when one runs).
    core: bool,
}

impl<'m> SpareBound<'m> {
    /// Whether a tighter bound may still come.
    pub fn pending(&self) -> bool {
        self.running.load(Ordering::Acquire)
    }

    /// A part with a second core (`core`) or without.
    pub fn new(core: bool) -> Self {
        SpareBound {
            core,
            ..SpareBound::default()
        }
    }

    /// Whether the part has a second core and no LP takes it right now: the
    /// start and the search then plan two things at once.
    pub fn core_free(&self) -> bool {
        self.core && !self.solving.load(Ordering::Acquire)
    }

    /// The bound, once an LP finished.
    pub fn get(&self) -> Option<f64> {
        *self.bound.lock().expect("no thread panics holding it")
    }

    fn tighten(&self, bound: f64) {
        if bound.is_finite() {
            let mut held = self.bound.lock().expect("no thread panics holding it");
            *held = Some(held.map_or(bound, |b| b.min(bound)));
        }
    }

    /// The tighter of the pre-analysis's bound on clients met and this one.
    pub(super) fn met_bound(&self, bounds: &[AloneBound]) -> f64 {
        let counted = super::met_bound(bounds);
        self.get().map_or(counted, |lp| lp.min(counted))
    }

    /// Solves the LP of `model` (built with the counted bounds) on a thread of
    /// `scope` when it should finish in its share of `budget` and the model is
    /// not cheap enough to be solved whole anyway; then, once
    /// [`SpareBound::refine`] hands over the pre-analysis's bounds, the same
    /// model with those.
    pub fn solve_beside<'scope, 'env: 'scope>(
        &'env self,
        scope: &'scope std::thread::Scope<'scope, 'env>,
        model: &'env Model<'m>,
        budget: &Budget,
        settings: &SolverSettings,
    ) {
        let deadline = Instant::now() + Duration::from_secs_f64(budget.left() * SPARE_LP_SHARE);
        // A cheap model is solved whole after the start, its LP included, and
        // needs no bound that arrives at a time that varies from run to run.
        if super::cheap(model, budget) || !fits(model, deadline) {
            return;
        }
        let (send, receive) = channel();
        *self.refine.lock().expect("no thread panics holding it") = Some(send);
        let quiet = settings.muted();
        self.running.store(true, Ordering::Release);
        self.solving.store(true, Ordering::Release);
        scope.spawn(move || {
            self.solve(model, receive, deadline, &quiet);
            self.running.store(false, Ordering::Release);
        });
    }

    /// Hands the model built with the pre-analysis's bounds to the thread (if
    /// one runs), which solves its LP without building it again.
    pub fn refine(&self, model: Arc<Model<'m>>) {
        let send = self
            .refine
            .lock()
            .expect("no thread panics holding it")
            .take();
        if let Some(send) = send {
            // The thread may have ended already (no time left): nothing to do.
            let _ = send.send(model);
        }
    }

    fn solve(
        &self,
        first: &Model,
        refined: Receiver<Arc<Model<'m>>>,
        deadline: Instant,
        settings: &SolverSettings,
    ) {
        let left = || deadline.saturating_duration_since(Instant::now());
        // A failed LP only means no bound: the stages solve their own.
        if let Ok(bound) = solve::met_relaxation(first, left().as_secs_f64(), settings) {
            self.tighten(bound);
        }
        self.solving.store(false, Ordering::Release);
        // Waits no longer than the deadline: a part that failed never refines.
        let Ok(model) = refined.recv_timeout(left()) else {
            return;
        };
        if !fits(first, deadline) || settings.stopped() {
            return;
        }
        self.solving.store(true, Ordering::Release);
        if let Ok(bound) = solve::met_relaxation(&model, left().as_secs_f64(), settings) {
            self.tighten(bound);
        }
        self.solving.store(false, Ordering::Release);
    }
}

/// Whether the model's LP should finish by `deadline`.
fn fits(model: &Model, deadline: Instant) -> bool {
    let left = deadline
        .saturating_duration_since(Instant::now())
        .as_secs_f64();
    model.num_columns() as f64 / LP_COLUMNS_PER_SECOND <= SPARE_LP_FITS * left
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::anytime::tests::{exact_bounds, generated, settings};
    use crate::candidates::Candidates;
    use crate::solve::StageStatus;

    /// Both LPs beside the start run, and their bound on clients met does not
    /// cut off the proven optimum.
    #[test]
    fn the_bound_beside_the_start_never_cuts_off_the_optimum() {
        let program = generated(40, 5);
        let cands = Candidates::build(&program);
        let counted = AloneBound::counted_all(&program, &cands);
        let first = Model::whole(&program, &cands, &counted);
        let bounds: Vec<AloneBound> = exact_bounds(&program, &cands)
            .into_iter()
            .zip(counted.iter().copied())
            .map(|(a, b)| a.and(b))
            .collect();
        let model = Arc::new(Model::whole(&program, &cands, &bounds));
        let spare = SpareBound::default();
        // Not cheap enough to be solved whole at once, but the LPs fit.
        let budget = Budget::seconds(first.num_columns() as f64 / 600.0);
        std::thread::scope(|scope| {
            spare.solve_beside(scope, &first, &budget, &settings(60.0));
            assert!(spare.pending(), "the LP runs for this model and budget");
            spare.refine(model.clone());
        });
        assert!(!spare.pending());
        let bound = spare.get().expect("both LPs finish");
        let tighter = solve::met_relaxation(&model, 60.0, &settings(60.0)).unwrap();
        assert!(
            bound <= tighter,
            "{bound}: the pre-analysis's LP ({tighter}) did not run"
        );
        let solved = solve::lexicographic(&model, model.start_values(&[]), &settings(120.0));
        let met = &solved.unwrap().stages[0];
        assert_eq!(met.status, StageStatus::Optimal);
        assert!(
            met.objective <= bound + 1e-6,
            "{} met, bound {bound}",
            met.objective
        );
    }
}

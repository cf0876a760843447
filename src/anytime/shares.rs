//! The time of independent parts (usually sites) solved at once on a few
//! threads. Each part, when it begins, gets its clients' share of the core time
//! left, less what the parts still running hold; so a part that ends early
//! (proven, or its search no longer improving) leaves its time to the parts
//! that begin after it. With fixed shares, 20 sites x 120 clients at 120 s gave
//! every site 12 s, most stopped sooner, and the run ended at 94.8 s.

use std::sync::Mutex;
use std::time::Instant;

/// The time ledger of one run's parts.
pub struct Shares {
    began: Instant,
    limit: f64,
    threads: f64,
    state: Mutex<State>,
}

struct State {
    /// Clients of the parts not begun yet.
    waiting: usize,
    /// Per part: its deadline (seconds after `began`) while it runs.
    deadlines: Vec<Option<f64>>,
}

impl Shares {
    /// A ledger for parts of `sizes` clients, solved on `threads` threads within
    /// `limit` seconds from now.
    pub fn new(sizes: &[usize], limit: f64, threads: f64) -> Shares {
        Shares {
            began: Instant::now(),
            limit,
            threads: threads.max(1.0),
            state: Mutex::new(State {
                waiting: sizes.iter().sum(),
                deadlines: vec![None; sizes.len()],
            }),
        }
    }

    /// Part `part`, of `clients` clients, begins: the seconds it may take.
    pub fn begin(&self, part: usize, clients: usize) -> f64 {
        let now = self.began.elapsed().as_secs_f64();
        let left = (self.limit - now).max(0.0);
        let mut state = self.state.lock().expect("no thread panics holding it");
        let held: f64 = (state.deadlines.iter().flatten())
            .map(|deadline| (deadline - now).max(0.0))
            .sum();
        let seconds = share(left, self.threads, held, state.waiting, clients);
        state.waiting = state.waiting.saturating_sub(clients);
        state.deadlines[part] = Some(now + seconds);
        seconds
    }

    /// Part `part` has ended: it holds no more time.
    pub fn end(&self, part: usize) {
        let mut state = self.state.lock().expect("no thread panics holding it");
        state.deadlines[part] = None;
    }
}

/// A part of `clients` clients' seconds: its share, among the `waiting` clients
/// not begun yet (its own included), of the core time `left` on `threads`
/// threads less what running parts hold (`held`); never more than `left`.
fn share(left: f64, threads: f64, held: f64, waiting: usize, clients: usize) -> f64 {
    let free = (left * threads - held).max(0.0);
    let part = clients as f64 / waiting.max(clients).max(1) as f64;
    (free * part).min(left)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn near(a: f64, b: f64) -> bool {
        (a - b).abs() < 0.5
    }

    #[test]
    fn parts_that_run_to_their_end_share_the_time_by_clients() {
        let shares = Shares::new(&[40, 40, 40], 30.0, 2.0);
        assert!(near(shares.begin(0, 40), 20.0));
        assert!(near(shares.begin(1, 40), 20.0));
    }

    #[test]
    fn a_part_that_ends_early_leaves_its_time_to_the_next() {
        let shares = Shares::new(&[40, 40, 40], 30.0, 2.0);
        shares.begin(0, 40);
        shares.begin(1, 40);
        shares.end(0);
        // Fixed shares would give it 20 s; part 1 holds 20 of the 60 core
        // seconds left, and the rest is the last part's, up to the limit.
        assert!(near(shares.begin(2, 40), 30.0));
    }

    #[test]
    fn one_part_gets_the_whole_limit_and_no_more() {
        let shares = Shares::new(&[120], 10.0, 2.0);
        assert!(near(shares.begin(0, 120), 10.0));
    }

    #[test]
    fn a_large_part_gets_a_core_and_the_small_ones_share_the_other() {
        let shares = Shares::new(&[300, 30, 30], 60.0, 2.0);
        assert!(near(shares.begin(0, 300), 60.0));
        assert!(near(shares.begin(1, 30), 30.0));
        assert!(near(shares.begin(2, 30), 30.0));
    }
}

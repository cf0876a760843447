//! What the clients still to be planned are expected to need, as scarcity prices
//! for the one-client-at-a-time start.
//!
//! A client planned early sees only what earlier clients left, so among options
//! that are equally good for them they would take any: a day client could take the
//! last evening physician slot that a worker needs. Each client still to plan
//! spreads their need evenly over their options (a seat in one of the groups of a
//! day they could attend, one of the times they could see a staff member); a
//! client being planned pays, as a preference, for how much of that expected need
//! their choice would take away.
//!
//! They also pay for the slivers of staff time they would leave: an appointment
//! placed in the middle of a free stretch, or 10 minutes short of the next
//! booking, wastes time that nobody else can use (a physician's evening holds
//! few visits, and workers can come only then).
//!
//! Measured with the start sweep of `benches/anytime.rs` (120 clients, seed 1):
//! plain 92 -> 98 met (bound 99), evening 46 -> 52 (the proven optimum), scarce
//! 49 -> 51 (bound 52).

use crate::candidates::Appointment;
use crate::domain::ClientIx;
use crate::model::{Fixed, Model, Prices};
use crate::time::Interval;

/// Granularity of a staff member's expected demand, in minutes.
const BUCKET: u32 = 15;
const BUCKETS: usize = (7 * 24 * 60 / BUCKET) as usize;

/// Price of taking an option wanted by one whole expected client (a seat wanted by
/// as many clients as it has left, or a staff time one other client needs for sure).
/// Of the order of the other preferences (a session off track costs 2).
const PRICE: f64 = 1.0;

/// No option costs more than this many times [`PRICE`]: beyond it, options are all
/// contested and the client's own preferences should choose.
const MOST: f64 = 3.0;

/// Expected need of the clients not planned yet.
pub struct Demand {
    /// Per class: seats wanted.
    class: Vec<f64>,
    /// Per class: seats of all its sessions.
    capacity: Vec<f64>,
    /// Per staff member, per bucket of the week: appointments wanted.
    staff: Vec<Vec<f64>>,
    /// Clients whose need is still counted.
    counted: Vec<bool>,
}

impl Demand {
    /// The need of every client in `model`.
    pub fn of(model: &Model) -> Demand {
        let program = model.program();
        let cands = model.cands();
        let capacity = cands
            .classes
            .iter()
            .map(|class| {
                class
                    .sessions
                    .iter()
                    .map(|&s| program.session(s).capacity as f64)
                    .sum()
            })
            .collect();
        let mut demand = Demand {
            class: vec![0.0; cands.classes.len()],
            capacity,
            staff: vec![Vec::new(); program.staff.len()],
            counted: vec![false; program.clients.len()],
        };
        for c in program.client_ixs() {
            demand.count(model, c, 1.0);
            demand.counted[c.0] = true;
        }
        demand
    }

    /// Stops counting client `c`'s need (they are being planned).
    pub fn remove(&mut self, model: &Model, c: ClientIx) {
        if std::mem::take(&mut self.counted[c.0]) {
            self.count(model, c, -1.0);
        }
    }

    /// The prices client `c` sees around what `fixed` holds: what others are
    /// expected to need (with `demand`) and the staff time a booking would waste.
    pub fn prices(demand: Option<&Demand>, model: &Model, c: ClientIx, fixed: &Fixed) -> Prices {
        let options = model.cands().options(c);
        let class = demand.map_or_else(Vec::new, |d| d.class_prices(fixed));
        let shortest = model
            .program()
            .kinds
            .iter()
            .map(|k| k.minutes)
            .min()
            .unwrap_or(0);
        let appointments = options
            .appointments
            .iter()
            .map(|a| {
                let wanted = demand.map_or(0.0, |d| PRICE * d.wanted(a).min(MOST));
                let waste = PACK * waste(model, fixed, a, shortest);
                (*a, halves(wanted + waste))
            })
            .collect();
        Prices {
            class,
            appointments,
        }
    }

    /// Per class: the price of a seat, with `fixed.members` seats taken.
    fn class_prices(&self, fixed: &Fixed) -> Vec<f64> {
        (0..self.class.len())
            .map(|k| {
                let left = (self.capacity[k] - fixed.members[k] as f64).max(1.0);
                halves(PRICE * (self.class[k] / left).min(MOST))
            })
            .collect()
    }

    /// Mean expected appointments wanting `a`'s staff member during its time.
    fn wanted(&self, a: &Appointment) -> f64 {
        let profile = &self.staff[a.staff.0];
        if profile.is_empty() {
            return 0.0;
        }
        let range = buckets(a.interval);
        let n = range.len().max(1) as f64;
        profile[range].iter().sum::<f64>() / n
    }

    /// Adds (`sign` 1) or takes away (-1) client `c`'s expected need.
    fn count(&mut self, model: &Model, c: ClientIx, sign: f64) {
        let program = model.program();
        let options = model.cands().options(c);
        let level = program.level_of(program.client(c));
        let classes = &options.classes;
        let mut per_day = [0usize; 7];
        for &k in classes {
            per_day[model.cands().classes[k].interval.day().index()] += 1;
        }
        let days = per_day.iter().filter(|&&n| n > 0).count();
        if days > 0 {
            let share = (level.min_days as f64 / days as f64).min(1.0);
            for &k in classes {
                let day = model.cands().classes[k].interval.day().index();
                self.class[k] += sign * share / per_day[day] as f64;
            }
        }
        for kind in 0..program.kinds.len() {
            let of_kind: Vec<&Appointment> = options
                .appointments
                .iter()
                .filter(|a| a.kind.0 == kind)
                .collect();
            let needed = level.appointments_per_week[kind] as f64;
            if needed == 0.0 || of_kind.is_empty() {
                continue;
            }
            let share = needed / of_kind.len() as f64;
            for a in of_kind {
                let profile = &mut self.staff[a.staff.0];
                if profile.is_empty() {
                    profile.resize(BUCKETS, 0.0);
                }
                for b in &mut profile[buckets(a.interval)] {
                    *b += sign * share;
                }
            }
        }
    }
}

/// Price of a sliver of staff time too short for any appointment, left between an
/// appointment and the staff member's next booking (or the end of their block).
const PACK: f64 = 1.0;

/// How badly booking `a` cuts its staff member's free time: each sliver left
/// shorter than the `shortest` appointment counts 1, an appointment that touches
/// neither neighbour half (it splits one free stretch into two).
pub fn waste(model: &Model, fixed: &Fixed, a: &Appointment, shortest: u32) -> f64 {
    let staff = model.program().staff(a.staff);
    let iv = a.interval;
    let Some(block) = staff.availability.iter().find(|b| b.contains(iv)) else {
        return 0.0;
    };
    let (mut before, mut after) = (block.start(), block.end());
    for b in &fixed.staff_busy[a.staff] {
        if b.end() <= iv.start() {
            before = before.max(b.end());
        }
        if b.start() >= iv.end() {
            after = after.min(b.start());
        }
    }
    let left = iv.start().saturating_sub(before);
    let right = after.saturating_sub(iv.end());
    let sliver = |gap: u32| if gap > 0 && gap < shortest { 1.0 } else { 0.0 };
    let split = if left > 0 && right > 0 { 0.5 } else { 0.0 };
    sliver(left) + sliver(right) + split
}

/// A price rounded to half units: HiGHS closes the one-client models about twice
/// as fast with a few distinct costs as with every one different (measured with
/// the start sweep of `benches/anytime.rs`), and finer prices did not plan more
/// clients.
fn halves(price: f64) -> f64 {
    (price * 2.0).round() / 2.0
}

/// The buckets an interval covers.
fn buckets(iv: Interval) -> std::ops::Range<usize> {
    let first = (iv.start() / BUCKET) as usize;
    let last = iv.end().div_ceil(BUCKET) as usize;
    first.min(BUCKETS)..last.min(BUCKETS)
}

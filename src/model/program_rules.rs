//! What clients compete for: running sessions, their capacity and minimum size,
//! facilitators and staff time; and the preferences among equally good rosters.

use super::{Derived, KeptSession, Model, OFF_TRACK_PENALTY, SLOT_PENALTY};
use crate::domain::{Activity, SessionIx, StaffIx};
use crate::intervals::maximal_cliques;
use crate::ix::IxVec;
use crate::time::{Day, Interval};
use good_lp::{variable, Expression, Variable};
use std::collections::BTreeMap;

impl Model<'_> {
    /// Running variables for sessions some client could attend.
    pub(super) fn add_sessions(&mut self) {
        let mut wanted = vec![false; self.cands.classes.len()];
        for cv in &self.clients {
            for &(k, _) in &cv.classes {
                wanted[k] = true;
            }
        }
        for (k, class) in self.cands.classes.iter().enumerate() {
            if !wanted[k] {
                continue;
            }
            for &s in &class.sessions {
                let iv = self.program.session(s).interval;
                let fixed = self.fixed.as_ref();
                let kept = fixed.and_then(|f| f.kept(s));
                let choices: Vec<StaffIx> = self
                    .cands
                    .facilitators_of(s)
                    .iter()
                    .copied()
                    .filter(|&t| fixed.is_none_or(|f| f.can_take(self.program, t, iv)))
                    .filter(|&t| kept.is_none_or(|k| k.facilitator == t))
                    .collect();
                // A session whose only facilitators are busy with fixed work cannot
                // run; one whose fixed members stay in it keeps running.
                let most = if choices.is_empty() { 0 } else { 1 };
                let least = if kept.is_some() { most } else { 0 };
                let running = variable().binary().min(least).max(most);
                self.open[s] = Some(self.add_var(running));
                if self.program.session(s).facilitator.is_none() {
                    self.facilitate[s] = choices.into_iter().map(|t| (t, self.binary())).collect();
                }
            }
        }
    }

    /// Hard: enrolment in a class fits the capacity of its running sessions, and
    /// each running session gets at least max(1, min_size) clients.
    pub(super) fn capacity_and_min_size(&mut self) {
        let mut members: Vec<Vec<Variable>> = vec![Vec::new(); self.cands.classes.len()];
        for cv in &self.clients {
            for &(k, x) in &cv.classes {
                members[k].push(x);
            }
        }
        let open_penalty = self.fixed.as_ref().map_or(0.0, |f| f.open_penalty);
        let above = self
            .fixed
            .as_ref()
            .is_some_and(|f| f.open_above_preferences);
        for (k, class) in self.cands.classes.iter().enumerate() {
            if members[k].is_empty() {
                continue;
            }
            let fixed = self.fixed.as_ref();
            let outside = fixed.map_or(0, |f| f.members[k]);
            let relax = fixed.is_some_and(|f| f.relaxed[k]);
            let kept: Vec<Option<KeptSession>> = class
                .sessions
                .iter()
                .map(|&s| fixed.and_then(|f| f.kept(s)))
                .collect();
            let ours: Expression = members[k].iter().copied().sum();
            let mut most = Expression::default();
            let mut fewest = Expression::default();
            for (&s, kept) in class.sessions.iter().zip(&kept) {
                let session = self.program.session(s);
                let open =
                    self.open[s].expect("sessions of a wanted class have a running variable");
                most.add_mul(session.capacity as f64, open);
                let min_size = if relax { 1 } else { session.min_size.max(1) };
                match kept {
                    // Its fixed members stay: ours only make up what they lack.
                    Some(kept) => fewest += min_size.saturating_sub(kept.members) as f64,
                    None => fewest.add_mul(min_size as f64, open),
                }
                if open_penalty > 0.0 {
                    let objective = if above {
                        &mut self.objectives.short_rest
                    } else {
                        &mut self.objectives.preferences
                    };
                    objective.add_mul(open_penalty, open);
                }
            }
            let any_kept = kept.iter().any(Option::is_some);
            self.rows.push((ours.clone() + outside).leq(most));
            if any_kept {
                // Fixed members in kept sessions count there only; the other fixed
                // members and ours fill the rest of the minimums.
                let in_kept: u32 = kept.iter().flatten().map(|k| k.members).sum();
                let free = outside.saturating_sub(in_kept) as f64;
                self.rows.push((ours + free).geq(fewest));
            } else {
                self.rows.push((ours + outside).geq(fewest));
            }
            if !any_kept {
                self.order_interchangeable(&class.sessions);
            }
        }
    }

    /// Symmetry breaking: of two interchangeable sessions, the earlier in the
    /// catalog runs first.
    fn order_interchangeable(&mut self, sessions: &[SessionIx]) {
        for chain in self.ordered_chains(sessions) {
            for pair in chain.windows(2) {
                if let (Some(a), Some(b)) = (self.open[pair[0]], self.open[pair[1]]) {
                    self.rows.push(Expression::from(a).geq(b));
                }
            }
        }
    }

    /// A class's `sessions` cut into runs (next to each other in the catalog)
    /// that the symmetry rows order: each must run a first part of itself; a
    /// session no row orders is a run of its own. Rows order sessions only
    /// without last week's roster (with it the very room a client keeps
    /// matters, so interchangeable sessions are no longer interchangeable) and
    /// without a catalog facilitator (two of one class with the same
    /// facilitator never both run anyway).
    pub fn ordered_chains<'s>(&self, sessions: &'s [SessionIx]) -> Vec<&'s [SessionIx]> {
        let ordered = self.program.previous.is_empty();
        let key = |s| self.cands.interchangeable(self.program, s);
        sessions
            .chunk_by(|&a, &b| ordered && key(a).facilitator.is_none() && key(a) == key(b))
            .collect()
    }

    /// Hard: a running session without a catalog facilitator gets exactly one.
    pub(super) fn facilitator_choice(&mut self) {
        for s in self.program.session_ixs() {
            let Some(open) = self.open[s] else { continue };
            if self.program.session(s).facilitator.is_some() {
                continue;
            }
            let chosen: Expression = self.facilitate[s].iter().map(|(_, f)| *f).sum();
            self.rows.push(chosen.eq(open));
        }
    }

    /// Everything a staff member could be doing this week: (interval, activity, variable).
    fn staff_items(&self) -> IxVec<StaffIx, Vec<(Interval, Activity, Variable)>> {
        let mut items = IxVec::from_elem(Vec::new(), self.program.staff.len());
        for (s, session) in self.program.session_list() {
            let Some(open) = self.open[s] else { continue };
            match session.facilitator {
                Some(t) => items[t].push((session.interval, Activity::Group, open)),
                None => {
                    for &(t, f) in &self.facilitate[s] {
                        items[t].push((session.interval, Activity::Group, f));
                    }
                }
            }
        }
        for cv in &self.clients {
            for &(a, x) in &cv.appointments {
                items[a.staff].push((a.interval, Activity::Appointment(a.kind), x));
            }
        }
        items
    }

    /// Hard: a staff member does one thing at a time.
    pub(super) fn staff_one_thing_at_a_time(&mut self) {
        for items in self.staff_items() {
            let intervals: Vec<Interval> = items.iter().map(|i| i.0).collect();
            for clique in maximal_cliques(&intervals) {
                if clique.len() > 1 {
                    let sum: Expression = clique.iter().map(|&i| items[i].2).sum();
                    self.rows.push(sum.leq(1.0));
                }
            }
        }
    }

    /// Hard: staff max_weekly_hours and max_individual_per_day.
    pub(super) fn staff_limits(&mut self) {
        for (t, items) in self.program.staff_ixs().zip(self.staff_items()) {
            let staff = self.program.staff(t);
            let fixed = self.fixed.as_ref();
            if let Some(most) = staff.max_weekly_minutes {
                let work: Expression = items
                    .iter()
                    .map(|(iv, _, x)| iv.minutes() as f64 * *x)
                    .sum();
                let used = fixed.map_or(0, |f| f.staff_minutes[t]);
                self.rows.push(work.leq(most.saturating_sub(used) as f64));
            }
            let individual = self.program.individual_kind().map(Activity::Appointment);
            if let (Some(most), Some(individual)) = (staff.max_individual_per_day, individual) {
                for d in Day::all() {
                    let count: Expression = items
                        .iter()
                        .filter(|(iv, act, _)| *act == individual && iv.day() == d)
                        .map(|(_, _, x)| *x)
                        .sum();
                    let used = fixed.map_or(0, |f| f.individual_on(t, d));
                    self.rows.push(count.leq(most.saturating_sub(used) as f64));
                }
            }
        }
    }

    /// Soft: groups on the client's preferred track, and few distinct weekly time
    /// slots per client (the same slot all week keeps one cohort together).
    pub(super) fn preferences(&mut self) {
        let mut penalty = Expression::default();
        let mut slot_groups: Vec<Vec<Variable>> = Vec::new();
        let prices = self.fixed.as_ref().map(|f| &f.prices);
        for cv in &self.clients {
            if let Some(prices) = prices {
                let classes = cv.classes.iter().map(|&(k, x)| (prices.of_class(k), x));
                let appointments = cv
                    .appointments
                    .iter()
                    .map(|(a, x)| (prices.of_appointment(a), *x));
                for (price, x) in classes.chain(appointments).filter(|&(p, _)| p > 0.0) {
                    penalty.add_mul(price, x);
                }
            }
            let pref = self.program.client(cv.client).track;
            let mut slots: BTreeMap<(u32, u32), Vec<Variable>> = BTreeMap::new();
            for &(k, x) in &cv.classes {
                let class = &self.cands.classes[k];
                let track = self.program.session(class.sessions[0]).track;
                if pref.dislikes(track) {
                    penalty.add_mul(OFF_TRACK_PENALTY, x);
                }
                let slot = (class.interval.start_of_day(), class.interval.end_of_day());
                slots.entry(slot).or_default().push(x);
            }
            if slots.len() > 1 {
                slot_groups.extend(slots.into_values());
            }
        }
        for xs in slot_groups {
            let used = self.binary();
            penalty.add_mul(SLOT_PENALTY, used);
            for &x in &xs {
                self.rows.push(Expression::from(x).leq(used));
            }
            self.derived.push(Derived::Any(used, xs));
        }
        self.objectives.preferences = penalty;
    }
}

//! The rules of one client's week: one thing at a time, daily and weekly hours,
//! the minimums with their named shortfalls, and the cuts that keep the LP honest.

use super::{ClientVars, Model};
use crate::candidates::{day_upper_bound, Candidates};
use crate::domain::{ClientIx, Program};
use crate::intervals::maximal_cliques;
use crate::time::{Day, Interval};
use good_lp::{Constraint, Expression, Variable};

impl Model<'_> {
    /// Hard: a client is in one place at a time. One row per maximal set of
    /// mutually overlapping items, bounded by the program-day variable, which
    /// also ties every item to its day.
    pub(super) fn client_one_thing_at_a_time(&mut self, cv: &ClientVars) {
        for d in Day::all() {
            let Some(day) = cv.days[d.index()] else {
                continue;
            };
            let items = self.items_on(cv, d);
            let intervals: Vec<Interval> = items.iter().map(|(iv, _)| *iv).collect();
            for clique in maximal_cliques(&intervals) {
                let sum: Expression = clique.iter().map(|&i| items[i].1).sum();
                self.rows.push(sum.leq(day));
            }
        }
    }

    /// Hard: each program day holds between min_daily and max_daily minutes.
    pub(super) fn daily_hours(&mut self, cv: &ClientVars) {
        let level = self.level_of(cv);
        for d in Day::all() {
            let Some(day) = cv.days[d.index()] else {
                continue;
            };
            let items = self.items_on(cv, d);
            let minutes: Expression = items.iter().map(|(iv, x)| iv.minutes() as f64 * *x).sum();
            self.rows
                .push(minutes.clone().geq(level.min_daily_minutes as f64 * day));
            self.rows
                .push(minutes.leq(level.max_daily_minutes as f64 * day));
            if level.min_daily_minutes == 0 {
                // Otherwise an empty day could count as a program day.
                let any: Expression = items.iter().map(|(_, x)| *x).sum();
                self.rows.push(any.geq(day));
            }
        }
    }

    fn week_minutes(&self, cv: &ClientVars) -> Expression {
        let groups = cv
            .classes
            .iter()
            .map(|&(k, x)| self.cands.classes[k].interval.minutes() as f64 * x);
        let appointments = cv
            .appointments
            .iter()
            .map(|&(a, x)| a.interval.minutes() as f64 * x);
        groups.chain(appointments).sum()
    }

    fn day_count(cv: &ClientVars) -> Expression {
        cv.days.iter().flatten().copied().sum()
    }

    /// Hard: max_weekly_hours and max_days.
    pub(super) fn weekly_limits(&mut self, cv: &ClientVars) {
        let level = self.level_of(cv);
        let minutes = self.week_minutes(cv);
        self.rows.push(minutes.leq(level.max_weekly_minutes as f64));
        self.rows
            .push(Self::day_count(cv).leq(level.max_days as f64));
    }

    /// Soft: weekly minutes and days reach the level's minimum, and exactly the
    /// level's number of appointments of each kind, or a named shortfall.
    pub(super) fn weekly_minimums(&mut self, cv: &ClientVars) {
        let level = self.level_of(cv);
        let minutes = self.week_minutes(cv) + cv.short_minutes;
        self.rows.push(minutes.geq(level.min_weekly_minutes as f64));
        let days = Self::day_count(cv) + cv.short_days;
        self.rows.push(days.geq(level.min_days as f64));
        for (k, &short) in cv.short_appointments.iter().enumerate() {
            let booked: Expression = cv
                .appointments
                .iter()
                .filter(|(a, _)| a.kind.0 == k)
                .map(|(_, x)| *x)
                .sum();
            self.rows
                .push((booked + short).eq(level.appointments_per_week[k] as f64));
        }
    }

    /// Hard: at most `max_per_day` appointments of a kind for one client on one
    /// day. Only where the week's number exceeds it (else the count already holds).
    pub(super) fn appointments_per_day(&mut self, cv: &ClientVars) {
        let level = self.level_of(cv);
        for (k, kind) in self.program.kind_list() {
            let Some(most) = kind.max_per_day.filter(|&m| m < level.per_week(k)) else {
                continue;
            };
            for d in Day::all() {
                let of_kind: Vec<Variable> = cv
                    .appointments
                    .iter()
                    .filter(|(a, _)| a.kind == k && a.interval.day() == d)
                    .map(|(_, x)| *x)
                    .collect();
                if of_kind.len() > most as usize {
                    let count: Expression = of_kind.into_iter().sum();
                    self.rows.push(count.leq(most as f64));
                }
            }
        }
    }

    /// A client counts as met only when every shortfall is zero.
    pub(super) fn met_means_no_shortfall(&mut self, cv: &ClientVars) {
        let level = self.level_of(cv);
        let pairs = [
            (cv.short_minutes, level.min_weekly_minutes),
            (cv.short_days, level.min_days),
        ]
        .into_iter()
        .chain(
            cv.short_appointments
                .iter()
                .copied()
                .zip(level.appointments_per_week.iter().copied()),
        );
        let rows: Vec<Constraint> = pairs
            .filter(|&(_, most)| most > 0)
            .map(|(short, most)| (short + most as f64 * cv.met).leq(most as f64))
            .collect();
        self.rows.extend(rows);
    }

    /// Cuts against time-sharing in the LP: when a day cannot reach min_daily
    /// without one cluster of overlapping groups, a program day needs one of them.
    pub(super) fn day_cuts(&mut self, cv: &ClientVars) {
        let client = self.program.client(cv.client);
        let options = self.cands.options(cv.client);
        let min_daily = self.level_of(cv).min_daily_minutes;
        for d in Day::all() {
            let Some(day) = cv.days[d.index()] else {
                continue;
            };
            let groups: Vec<(usize, Variable)> = cv
                .classes
                .iter()
                .copied()
                .filter(|&(k, _)| self.cands.classes[k].interval.day() == d)
                .collect();
            let mut cut_added = false;
            for cluster in overlap_clusters(&groups, self.cands) {
                let bound = day_upper_bound(
                    self.program,
                    client,
                    &self.cands.classes,
                    options,
                    d,
                    &cluster,
                );
                if bound < min_daily {
                    let sum: Expression = groups
                        .iter()
                        .filter(|(k, _)| cluster.contains(k))
                        .map(|(_, x)| *x)
                        .sum();
                    self.rows.push(sum.geq(day));
                    cut_added = true;
                }
            }
            let all: Vec<usize> = groups.iter().map(|(k, _)| *k).collect();
            if !cut_added && !all.is_empty() {
                let bound =
                    day_upper_bound(self.program, client, &self.cands.classes, options, d, &all);
                if bound < min_daily {
                    let sum: Expression = groups.iter().map(|(_, x)| *x).sum();
                    self.rows.push(sum.geq(day));
                }
            }
        }
    }

    pub(super) fn add_client_objectives(&mut self, cv: &ClientVars) {
        let weights = &self.shortfall_weights;
        let o = &mut self.objectives;
        o.met.add_mul(1.0, cv.met);
        o.short_minutes.add_mul(1.0, cv.short_minutes);
        o.short_rest.add_mul(weights[0], cv.short_days);
        for (k, &short) in cv.short_appointments.iter().enumerate() {
            o.short_rest.add_mul(weights[k + 1], short);
        }
    }

    /// Integer weights that make "missing days, then appointments of each kind in
    /// order" lexicographic: each weight exceeds the most all lower terms can add up to.
    pub(super) fn shortfall_weights(program: &Program, clients: &[ClientIx]) -> Vec<f64> {
        let total = |of: &dyn Fn(&crate::domain::Level) -> u32| -> f64 {
            clients
                .iter()
                .map(|&c| of(program.level_of(program.client(c))) as f64)
                .sum()
        };
        let mut totals = vec![total(&|l| l.min_days)];
        for k in 0..program.kinds.len() {
            totals.push(total(&|l| l.appointments_per_week[k]));
        }
        let mut weights = vec![0.0; totals.len()];
        let mut below = 0.0;
        for i in (0..totals.len()).rev() {
            weights[i] = below + 1.0;
            below += weights[i] * totals[i];
        }
        weights
    }
}

/// Groups of one day that overlap each other transitively (e.g. all morning groups).
fn overlap_clusters(groups: &[(usize, Variable)], cands: &Candidates) -> Vec<Vec<usize>> {
    let mut sorted: Vec<(Interval, usize)> = groups
        .iter()
        .map(|&(k, _)| (cands.classes[k].interval, k))
        .collect();
    sorted.sort();
    let mut clusters: Vec<(u32, Vec<usize>)> = Vec::new();
    for (iv, k) in sorted {
        match clusters.last_mut() {
            Some((end, members)) if iv.start() < *end => {
                *end = (*end).max(iv.end());
                members.push(k);
            }
            _ => clusters.push((iv.end(), vec![k])),
        }
    }
    clusters.into_iter().map(|(_, members)| members).collect()
}

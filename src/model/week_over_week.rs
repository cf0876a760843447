//! Week over week: keeping last week's roster, and pins fixed by hand.

use super::values::Seat;
use super::{Derived, Model};
use crate::domain::{Activity, ClientIx, PreviousItem, SessionIx};
use good_lp::{variable, Expression, Variable};
use std::collections::BTreeMap;

impl Model<'_> {
    /// The variable that books a previous roster item this week: its class for a
    /// group, its very slot for an appointment. `None` when this week does not
    /// offer it.
    fn assignment(&self, item: &PreviousItem) -> Option<Variable> {
        let cv = self.client(item.client)?;
        match item.activity {
            Activity::Group => {
                let class = self.cands.class_of(item.session?)?;
                cv.classes.iter().find(|&&(k, _)| k == class).map(|p| p.1)
            }
            activity => cv
                .appointments
                .iter()
                .find(|(a, _)| {
                    Activity::Appointment(a.kind) == activity
                        && Some(a.staff) == item.staff
                        && a.interval == item.interval
                })
                .map(|p| p.1),
        }
    }

    /// The assignment variable a previous item needs, and what else must hold for
    /// it to be kept: for a group, its very session running when its class has
    /// parallel sessions, and last week's facilitator leading it (a new
    /// facilitator changes every member's week). `None` when it cannot be kept.
    fn keeping(&self, item: &PreviousItem) -> Option<(Variable, Vec<Variable>)> {
        let x = self.assignment(item)?;
        let Some(s) = item.session.filter(|_| item.activity == Activity::Group) else {
            return Some((x, Vec::new()));
        };
        let mut also = Vec::new();
        if self.cands.classes[self.cands.class_of(s)?].sessions.len() > 1 {
            also.push(self.open[s]?);
        }
        match self.program.session(s).facilitator {
            Some(t) if Some(t) != item.staff => return None,
            Some(_) => {}
            None => {
                let chosen = self.facilitate[s]
                    .iter()
                    .find(|(t, _)| Some(*t) == item.staff);
                also.push(chosen?.1);
            }
        }
        Some((x, also))
    }

    /// Soft (after every minimum): keep last week's roster. Each client whose week
    /// changes (an item lost or added) counts more than all item changes together;
    /// an item change is a previous item lost (its group, its session among
    /// parallel ones, its facilitator, or its slot) or an item added to a client
    /// who had a roster.
    pub(super) fn few_changes(&mut self) -> BTreeMap<SessionIx, Vec<Variable>> {
        let previous: Vec<&PreviousItem> = self
            .program
            .previous
            .iter()
            .filter(|item| self.client(item.client).is_some())
            .collect();
        let weight = 1.0 + previous.len() as f64 + self.num_columns() as f64;
        let mut changes = Expression::default();
        let mut per_client: BTreeMap<ClientIx, Vec<Option<Variable>>> = BTreeMap::new();
        let mut previous_vars = std::collections::HashSet::new();
        let mut kept_in: BTreeMap<SessionIx, Vec<Variable>> = BTreeMap::new();
        for item in previous {
            let kept = match self.keeping(item) {
                Some((x, also)) if also.is_empty() => Some(x),
                Some((x, also)) => {
                    // Kept = in the class, the very session running, and with
                    // last week's facilitator.
                    let k = self.binary();
                    for &v in std::iter::once(&x).chain(&also) {
                        self.rows.push(Expression::from(k).leq(v));
                    }
                    let open = item.session.and_then(|s| self.open[s]);
                    let parallel = also.iter().any(|&v| Some(v) == open);
                    self.derived
                        .push(Derived::All(k, std::iter::once(x).chain(also).collect()));
                    if parallel {
                        kept_in
                            .entry(item.session.expect("a group item"))
                            .or_default()
                            .push(k);
                    }
                    Some(k)
                }
                None => None,
            };
            if let Some(x) = self.assignment(item) {
                previous_vars.insert(x);
            }
            per_client.entry(item.client).or_default().push(kept);
            match kept {
                Some(x) => changes += 1.0 - Expression::from(x),
                None => changes += 1.0,
            }
        }
        for (&c, kept) in &per_client {
            let cv = self.client(c).expect("only the model's clients");
            let offered = cv
                .classes
                .iter()
                .map(|p| p.1)
                .chain(cv.appointments.iter().map(|p| p.1));
            let added: Vec<Variable> = offered.filter(|x| !previous_vars.contains(x)).collect();
            for &x in &added {
                changes.add_mul(1.0, x);
            }
            if kept.iter().any(Option::is_none) {
                changes += weight; // this client moves whatever happens
                continue;
            }
            let moved = self.binary();
            changes.add_mul(weight, moved);
            let kept: Vec<Variable> = kept.iter().flatten().copied().collect();
            for &x in &kept {
                self.rows.push((Expression::from(moved) + x).geq(1.0));
            }
            // An item added changes the week as much as one lost (the contract
            // compares every row): one row for all of them keeps the model small.
            if !added.is_empty() {
                let any: Expression = added.iter().copied().sum();
                self.rows.push(any.leq(added.len() as f64 * moved));
            }
            self.derived.push(Derived::Changed {
                var: moved,
                kept,
                added,
            });
        }
        self.objectives.changes = changes;
        kept_in
    }

    /// Hard: pinned items are in the roster; a pinned group's session runs (with
    /// the pinned facilitator, when one is named) and its client is kept there.
    pub(super) fn pinned(&mut self, kept_in: &mut BTreeMap<SessionIx, Vec<Variable>>) {
        for pin in &self.program.pins {
            let Some(cv) = self.client(pin.client) else {
                continue;
            };
            let mut fixed = Vec::new();
            match pin.session {
                Some(s) => {
                    let class = self.cands.class_of(s);
                    let x = (cv.classes.iter())
                        .find(|&&(k, _)| Some(k) == class)
                        .map(|p| p.1);
                    fixed.extend(x);
                    fixed.extend(self.open[s]);
                    let chosen = self.facilitate[s]
                        .iter()
                        .find(|(t, _)| Some(*t) == pin.staff);
                    fixed.extend(chosen.map(|p| p.1));
                    if let Some(x) = x {
                        kept_in.entry(s).or_default().push(x);
                    }
                    if x.is_none() || self.open[s].is_none() {
                        self.impossible_pins += 1;
                    }
                }
                None => {
                    let a = cv.appointments.iter().find(|(a, _)| {
                        Some(a.staff) == pin.staff
                            && a.interval == pin.interval
                            && Activity::Appointment(a.kind) == pin.activity
                    });
                    match a {
                        Some(&(_, x)) => fixed.push(x),
                        None => self.impossible_pins += 1,
                    }
                }
            }
            for v in fixed {
                self.rows.push(Expression::from(v).geq(1.0));
            }
        }
    }

    /// Clients kept in their parallel session must leave enough other members for
    /// every other running session's minimum: per class, the sum over its sessions
    /// of max(kept there, minimum if running) cannot exceed the members, so the
    /// hand-out never has to move a returning client.
    pub(super) fn returns_fit(&mut self, kept_in: &BTreeMap<SessionIx, Vec<Variable>>) {
        for class in &self.cands.classes {
            if !class.sessions.iter().any(|s| kept_in.contains_key(s)) {
                continue;
            }
            let members: Vec<Variable> = self
                .clients
                .iter()
                .flat_map(|cv| cv.classes.iter())
                .filter(|(k, _)| self.cands.classes[*k].sessions == class.sessions)
                .map(|p| p.1)
                .collect();
            let mut needed = Expression::default();
            let mut seats = Vec::new();
            for &s in &class.sessions {
                let Some(open) = self.open[s] else { continue };
                let most = self.program.session(s).capacity as f64;
                let m = self.vars.add(variable().min(0).max(most));
                self.columns.insert(m, self.vars.len() - 1);
                let need = self.program.session(s).min_size.max(1) as f64;
                self.rows.push(Expression::from(m).geq(need * open));
                let ks = kept_in.get(&s).cloned().unwrap_or_default();
                let kept: Expression = ks.iter().copied().sum();
                self.rows.push(Expression::from(m).geq(kept));
                seats.push(Seat {
                    var: m,
                    need,
                    open,
                    kept: ks,
                });
                needed.add_mul(1.0, m);
            }
            let all: Expression = members.iter().copied().sum();
            self.rows.push(needed.leq(all));
            self.derived.push(Derived::Seats { members, seats });
        }
    }
}

impl Model<'_> {
    /// The decisions that repeat last week's roster for the model's clients: each
    /// previous item this week still offers, its session running with last week's
    /// facilitator. (Whether that roster obeys this week's rules is for the caller
    /// to check with [`Model::satisfied`].)
    pub fn previous_choice(&self) -> Vec<Variable> {
        let mut chosen = Vec::new();
        for item in &self.program.previous {
            let Some(x) = self.assignment(item) else {
                continue;
            };
            chosen.push(x);
            let Some(s) = item.session else { continue };
            chosen.extend(self.open[s]);
            let facilitator = self.facilitate[s]
                .iter()
                .find(|(t, _)| Some(*t) == item.staff);
            chosen.extend(facilitator.map(|p| p.1));
        }
        chosen.sort_by_key(|v| self.columns[v]);
        chosen.dedup();
        chosen
    }
}

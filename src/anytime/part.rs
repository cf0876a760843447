//! Moving between the whole model and a part of it: what the clients outside a
//! part hold fixed, a part's start from the whole roster, and a part's solution
//! put back into the whole roster.

use crate::domain::{Activity, ClientIx, SessionIx, StaffIx};
use crate::ix::IxVec;
use crate::model::{Fixed, KeptSession, Model};
use crate::time::Day;
use good_lp::Variable;
use std::collections::HashSet;

const CHOSEN: f64 = 0.5;

/// A roster as the whole model's column values, with the model it belongs to.
pub struct Whole<'a, 'p> {
    pub model: &'a Model<'p>,
    pub values: Vec<f64>,
}

impl Whole<'_, '_> {
    pub fn on(&self, v: Variable) -> bool {
        self.model.value(&self.values, v) > CHOSEN
    }

    /// Sessions a part of `inside` clients decides: those of every class any of
    /// them could attend.
    pub fn part_classes(&self, inside: &[bool], forbidden: &[bool]) -> Vec<bool> {
        let mut wanted = vec![false; forbidden.len()];
        for cv in &self.model.clients {
            if inside[cv.client.0] {
                for &(k, _) in &cv.classes {
                    wanted[k] |= !forbidden[k];
                }
            }
        }
        wanted
    }

    /// What the clients outside `inside` use, for a part made of the others.
    pub fn fixed_for(&self, inside: &[bool], forbidden: &[bool]) -> Fixed {
        let cands = self.model.cands();
        let program = self.model.program();
        let mut fixed = Fixed::empty(cands.classes.len(), program.staff.len());
        fixed.forbidden = forbidden.to_vec();
        for cv in self.model.clients.iter().filter(|cv| !inside[cv.client.0]) {
            for &(k, x) in &cv.classes {
                if self.on(x) {
                    fixed.members[k] += 1;
                }
            }
            for &(a, x) in &cv.appointments {
                if self.on(x) {
                    let individual = program.individual_kind() == Some(a.kind);
                    fixed.book(a.staff, a.interval, individual);
                }
            }
        }
        let decided = self.part_classes(inside, forbidden);
        if self.model.has_previous() {
            self.keep_returning(&mut fixed, inside, &decided);
        }
        for (k, class) in cands.classes.iter().enumerate() {
            if decided[k] {
                continue;
            }
            for &s in &class.sessions {
                if let Some(t) = self.facilitator(s) {
                    fixed.book(t, program.session(s).interval, false);
                }
            }
        }
        fixed
    }

    /// Sessions of the part's classes where clients outside the part still sit as
    /// last week (the session running with last week's facilitator) stay that way:
    /// the part cannot see those clients' changes, so closing such a session or
    /// giving it a new facilitator would move them unseen.
    fn keep_returning(&self, fixed: &mut Fixed, inside: &[bool], decided: &[bool]) {
        let program = self.model.program();
        let cands = self.model.cands();
        fixed.kept = IxVec::from_elem(None, program.sessions.len());
        for item in program.previous.iter().filter(|i| !inside[i.client.0]) {
            let Some(s) = item.session.filter(|_| item.activity == Activity::Group) else {
                continue;
            };
            let Some(k) = cands.class_of(s).filter(|&k| decided[k]) else {
                continue;
            };
            let Some(cv) = self.model.client(item.client) else {
                continue;
            };
            if !cv.classes.iter().any(|&(ck, x)| ck == k && self.on(x)) {
                continue;
            }
            let Some(t) = self.facilitator(s).filter(|&t| Some(t) == item.staff) else {
                continue;
            };
            let kept = fixed.kept[s].get_or_insert(KeptSession {
                members: 0,
                facilitator: t,
            });
            kept.members += 1;
        }
    }

    /// The facilitator of session `s` when it runs in this roster.
    pub fn facilitator(&self, s: SessionIx) -> Option<StaffIx> {
        if !self.runs(s) {
            return None;
        }
        let chosen = self.model.facilitate[s].iter().find(|(_, f)| self.on(*f));
        chosen
            .map(|(t, _)| *t)
            .or(self.model.program().session(s).facilitator)
    }

    /// The part's column values for this roster's choices of the part's clients and
    /// sessions (derived variables recomputed).
    pub fn start_of(&self, part: &Model) -> Vec<f64> {
        part.start_values(&self.choices_in(part))
    }

    /// This roster's decisions as the part's variables.
    pub fn choices_in(&self, part: &Model) -> Vec<Variable> {
        let mut chosen = Vec::new();
        for pv in &part.clients {
            let Some(cv) = self.model.client(pv.client) else {
                continue;
            };
            for &(k, x) in &cv.classes {
                if self.on(x) {
                    chosen.extend(pv.classes.iter().find(|(pk, _)| *pk == k).map(|p| p.1));
                }
            }
            for &(a, x) in &cv.appointments {
                if self.on(x) {
                    chosen.extend(pv.appointments.iter().find(|(b, _)| *b == a).map(|p| p.1));
                }
            }
        }
        for (s, open) in part.open.iter_enumerated() {
            let (Some(open), Some(t)) = (open, self.facilitator(s)) else {
                continue;
            };
            chosen.push(*open);
            chosen.extend(
                part.facilitate[s]
                    .iter()
                    .find(|(f, _)| *f == t)
                    .map(|p| p.1),
            );
        }
        chosen
    }

    /// Client `c`'s groups and appointments in this roster as the part's
    /// variables, around `planned` (the roster the part is cut from): a group's
    /// sessions that `planned` does not run yet are opened as this roster runs
    /// them (its facilitator), only as many as the seats need (parallel sessions
    /// open one by one as members come).
    pub fn week_in(&self, part: &Model, c: ClientIx, planned: &Whole) -> Vec<Variable> {
        let (Some(cv), Some(pv)) = (self.model.client(c), part.client(c)) else {
            return Vec::new();
        };
        let program = self.model.program();
        let cands = self.model.cands();
        let mut week = Vec::new();
        for &(k, _) in cv.classes.iter().filter(|p| self.on(p.1)) {
            let Some(&(_, x)) = pv.classes.iter().find(|p| p.0 == k) else {
                continue;
            };
            week.push(x);
            let sessions = &cands.classes[k].sessions;
            let members = planned.members(k).len() + 1;
            let capacity = |s: SessionIx| program.session(s).capacity as usize;
            let mut seats: usize = sessions
                .iter()
                .filter(|&&s| planned.runs(s))
                .map(|&s| capacity(s))
                .sum();
            for &s in sessions
                .iter()
                .filter(|&&s| self.runs(s) && !planned.runs(s))
            {
                let Some(open) = part.open[s].filter(|_| seats < members) else {
                    break;
                };
                week.push(open);
                seats += capacity(s);
                let t = self.facilitator(s);
                let facilitate = part.facilitate[s].iter().find(|(f, _)| Some(*f) == t);
                week.extend(facilitate.map(|p| p.1));
            }
        }
        for &(a, _) in cv.appointments.iter().filter(|p| self.on(p.1)) {
            week.extend(pv.appointments.iter().find(|p| p.0 == a).map(|p| p.1));
        }
        week
    }

    /// Whether session `s` runs in this roster.
    pub fn runs(&self, s: SessionIx) -> bool {
        self.model.open[s].is_some_and(|open| self.on(open))
    }

    /// This roster with the part's clients and sessions replaced by the part's
    /// solution `values` (derived variables recomputed).
    pub fn with_part(&self, part: &Model, values: &[f64]) -> Vec<f64> {
        let on_part = |v: Variable| part.value(values, v) > CHOSEN;
        let ids: Vec<ClientIx> = part.clients.iter().map(|pv| pv.client).collect();
        let inside = marked(self.model.program().clients.len(), &ids);
        let mut chosen = Vec::new();
        for cv in &self.model.clients {
            match part.client(cv.client).filter(|_| inside[cv.client.0]) {
                None => {
                    let mine = cv.classes.iter().map(|p| p.1);
                    let meetings = cv.appointments.iter().map(|p| p.1);
                    chosen.extend(mine.chain(meetings).filter(|&x| self.on(x)));
                }
                Some(pv) => {
                    for &(k, _) in pv.classes.iter().filter(|p| on_part(p.1)) {
                        chosen.extend(cv.classes.iter().find(|(ck, _)| *ck == k).map(|p| p.1));
                    }
                    for &(a, _) in pv.appointments.iter().filter(|p| on_part(p.1)) {
                        chosen.extend(cv.appointments.iter().find(|(b, _)| *b == a).map(|p| p.1));
                    }
                }
            }
        }
        for (s, open) in self.model.open.iter_enumerated() {
            let Some(open) = *open else { continue };
            let facilitator = match part.open[s] {
                Some(p) if on_part(p) => {
                    let f = part.facilitate[s].iter().find(|(_, f)| on_part(*f));
                    Some(f.map(|(t, _)| *t))
                }
                Some(_) => None,
                None => self.facilitator(s).map(Some),
            };
            let Some(facilitator) = facilitator else {
                continue;
            };
            chosen.push(open);
            if let Some(t) = facilitator {
                chosen.extend(
                    self.model.facilitate[s]
                        .iter()
                        .find(|(f, _)| *f == t)
                        .map(|p| p.1),
                );
            }
        }
        self.model.start_values(&chosen)
    }
}

impl Whole<'_, '_> {
    /// Every chosen decision: assignments, appointments, running sessions and
    /// facilitators (the rest of a roster's values follow from these).
    fn chosen(&self) -> Vec<Variable> {
        let model = self.model;
        let clients = model.clients.iter().flat_map(|cv| {
            let groups = cv.classes.iter().map(|p| p.1);
            groups.chain(cv.appointments.iter().map(|p| p.1))
        });
        let sessions = model.open.iter().flatten().copied();
        let facilitators = model.facilitate.iter().flatten().map(|p| p.1);
        clients
            .chain(sessions)
            .chain(facilitators)
            .filter(|&v| self.on(v))
            .collect()
    }

    /// Members of class `k`, in client order.
    pub fn members(&self, k: usize) -> Vec<ClientIx> {
        let model = self.model;
        let member = |cv: &&crate::model::ClientVars| {
            cv.classes.iter().any(|&(ck, x)| ck == k && self.on(x))
        };
        model
            .clients
            .iter()
            .filter(member)
            .map(|cv| cv.client)
            .collect()
    }

    /// Classes whose running sessions have fewer members than their minimums add
    /// up to (a session runs only with at least one member).
    pub fn small_classes(&self) -> Vec<usize> {
        let cands = self.model.cands();
        let mut members = vec![0u32; cands.classes.len()];
        for cv in &self.model.clients {
            for &(k, x) in &cv.classes {
                if self.on(x) {
                    members[k] += 1;
                }
            }
        }
        (0..cands.classes.len())
            .filter(|&k| members[k] < self.needed(k))
            .collect()
    }

    /// Members class `k`'s running sessions need: their minimums added up.
    pub fn needed(&self, k: usize) -> u32 {
        let program = self.model.program();
        (self.model.cands().classes[k].sessions.iter())
            .filter(|&&s| self.model.open[s].is_some_and(|o| self.on(o)))
            .map(|&s| program.session(s).min_size.max(1))
            .sum()
    }

    /// Up to `n` clients who could join class `k` and are not in it: short
    /// clients first, in client order.
    pub fn joiners(&self, k: usize, n: usize) -> Vec<ClientIx> {
        let model = self.model;
        let mut able: Vec<(bool, ClientIx)> = model
            .clients
            .iter()
            .filter(|cv| cv.classes.iter().any(|&(ck, x)| ck == k && !self.on(x)))
            .map(|cv| (self.on(cv.met), cv.client))
            .collect();
        able.sort_unstable();
        able.into_iter().take(n).map(|(_, c)| c).collect()
    }

    /// Closes every session of class `k` (none of its members stay).
    pub fn close_class(&mut self, k: usize) {
        let cands = self.model.cands();
        let mut off = std::collections::HashSet::new();
        for &s in &cands.classes[k].sessions {
            off.extend(self.model.open[s]);
            off.extend(self.model.facilitate[s].iter().map(|p| p.1));
        }
        for cv in &self.model.clients {
            off.extend(cv.classes.iter().filter(|p| p.0 == k).map(|p| p.1));
        }
        self.rebuild(|v| !off.contains(&v));
    }

    /// Removes every item of `clients` from the roster.
    pub fn drop_clients(&mut self, clients: &[ClientIx]) {
        let mut off = std::collections::HashSet::new();
        for &c in clients {
            if let Some(cv) = self.model.client(c) {
                off.extend(cv.classes.iter().map(|p| p.1));
                off.extend(cv.appointments.iter().map(|p| p.1));
            }
        }
        self.rebuild(|v| !off.contains(&v));
    }

    /// Removes client `c`'s items on day `day` from the roster.
    pub fn drop_client_day(&mut self, c: ClientIx, day: Day) {
        let Some(cv) = self.model.client(c) else {
            return;
        };
        let off: HashSet<Variable> = (self.model.items_on(cv, day).into_iter())
            .map(|p| p.1)
            .collect();
        self.rebuild(|v| !off.contains(&v));
    }

    fn rebuild(&mut self, keep: impl Fn(Variable) -> bool) {
        let chosen: Vec<Variable> = self.chosen().into_iter().filter(|&v| keep(v)).collect();
        self.values = self.model.start_values(&chosen);
    }
}

impl Whole<'_, '_> {
    /// Clients with anything on day `d`, and short clients who could come that day.
    pub fn day_clients(&self, d: usize) -> Vec<ClientIx> {
        let Some(day) = Day::all().nth(d) else {
            return Vec::new();
        };
        let on_day = |cv: &&crate::model::ClientVars| {
            let short = self.model.value(&self.values, cv.met) < CHOSEN;
            (self.model.items_on(cv, day).iter()).any(|&(_, x)| short || self.on(x))
        };
        self.model
            .clients
            .iter()
            .filter(on_day)
            .map(|cv| cv.client)
            .collect()
    }

    /// Clients who see staff member `t` or attend a group `t` facilitates, and
    /// short clients who could see `t`.
    pub fn staff_clients(&self, t: StaffIx) -> Vec<ClientIx> {
        let cands = self.model.cands();
        let led: Vec<bool> = (0..cands.classes.len())
            .map(|k| {
                cands.classes[k]
                    .sessions
                    .iter()
                    .any(|&s| self.facilitator(s) == Some(t))
            })
            .collect();
        let sees = |cv: &&crate::model::ClientVars| {
            let short = self.model.value(&self.values, cv.met) < CHOSEN;
            cv.appointments
                .iter()
                .any(|&(a, x)| a.staff == t && (short || self.on(x)))
                || cv.classes.iter().any(|&(k, x)| led[k] && self.on(x))
        };
        self.model
            .clients
            .iter()
            .filter(sees)
            .map(|cv| cv.client)
            .collect()
    }

    /// Returning clients whose assignments and appointments differ from last
    /// week's (a client whose previous items cannot all be kept counts too).
    pub fn moved_clients(&self) -> Vec<ClientIx> {
        let program = self.model.program();
        let previous: HashSet<Variable> = self.model.previous_choice().into_iter().collect();
        let mut had = vec![0usize; program.clients.len()];
        for item in &program.previous {
            had[item.client.0] += 1;
        }
        let moved = |cv: &&crate::model::ClientVars| {
            let items = cv.classes.iter().map(|p| p.1);
            let items = items.chain(cv.appointments.iter().map(|p| p.1));
            let mut kept = 0;
            for x in items {
                match (self.on(x), previous.contains(&x)) {
                    (true, true) => kept += 1,
                    (false, false) => {}
                    _ => return true,
                }
            }
            had[cv.client.0] != kept
        };
        self.model
            .clients
            .iter()
            .filter(|cv| had[cv.client.0] > 0)
            .filter(moved)
            .map(|cv| cv.client)
            .collect()
    }

    /// Clients who hold what client `c` could use: seats in `c`'s possible groups
    /// and time of `c`'s possible staff.
    pub fn competitors(&self, c: ClientIx) -> Vec<ClientIx> {
        let Some(me) = self.model.client(c) else {
            return Vec::new();
        };
        let cands = self.model.cands();
        let mut classes = vec![false; cands.classes.len()];
        for &(k, _) in &me.classes {
            classes[k] = true;
        }
        let mut staff = vec![false; self.model.program().staff.len()];
        for &(a, _) in &me.appointments {
            staff[a.staff.0] = true;
        }
        let competes = |cv: &&crate::model::ClientVars| {
            cv.client != c
                && (cv.classes.iter().any(|&(k, x)| classes[k] && self.on(x))
                    || cv
                        .appointments
                        .iter()
                        .any(|&(a, x)| staff[a.staff.0] && self.on(x)))
        };
        self.model
            .clients
            .iter()
            .filter(competes)
            .map(|cv| cv.client)
            .collect()
    }
}

/// A per-client flag vector with `clients` set.
pub fn marked(n: usize, clients: &[ClientIx]) -> Vec<bool> {
    let mut flags = vec![false; n];
    for &c in clients {
        flags[c.0] = true;
    }
    flags
}

/// Clients with pins.
pub fn pinned(program: &crate::domain::Program) -> Vec<bool> {
    let clients: Vec<ClientIx> = program.pins.iter().map(|pin| pin.client).collect();
    marked(program.clients.len(), &clients)
}

/// Clients with rows in last week's roster.
pub fn returning(program: &crate::domain::Program) -> Vec<bool> {
    let clients: Vec<ClientIx> = program.previous.iter().map(|item| item.client).collect();
    marked(program.clients.len(), &clients)
}

//! The integer program: its variables and its constraint families, read like the contract.
//!
//! | family                      | kind   | contract rule                                     |
//! |-----------------------------|--------|---------------------------------------------------|
//! | `client_one_thing_at_a_time`| hard   | no overlaps for a client                          |
//! | `daily_hours`               | hard   | min/max_daily_hours on every program day          |
//! | `weekly_limits`             | hard   | max_weekly_hours, max_days                        |
//! | `weekly_minimums`           | soft   | min hours, min days, appointments (shortfall vars)|
//! | `met_means_no_shortfall`    | soft   | "met" = every minimum reached                     |
//! | `day_cuts`                  | cut    | none: strengthens the LP (see MODELING notes)     |
//! | `capacity_and_min_size`     | hard   | capacity, min_size                                |
//! | `facilitator_choice`        | hard   | one facilitator per running session               |
//! | `staff_one_thing_at_a_time` | hard   | staff never double-booked                         |
//! | `staff_limits`              | hard   | max_weekly_hours, max_individual_per_day          |
//! | `preferences`               | soft   | track, stable time slots                          |
//!
//! Busy blocks, travel, eligibility and staff availability are enforced earlier, by
//! never creating a variable that would break them ([`crate::candidates`]).
//! The objective is lexicographic and solved in stages ([`crate::solve`]); this module
//! only provides the expression of each stage.

use crate::candidates::{day_upper_bound, Appointment, Candidates};
use crate::domain::{Activity, PreviousItem, Program};
use crate::intervals::maximal_cliques;
use crate::time::{Day, Interval};
use good_lp::{variable, Constraint, Expression, ProblemVariables, Variable};
use std::collections::{BTreeMap, HashMap};

/// Penalty for one group assignment against the client's track preference.
const OFF_TRACK_PENALTY: f64 = 2.0;
/// Penalty for each distinct weekly time slot a client's groups use (one slot all
/// week keeps a client with one cohort).
const SLOT_PENALTY: f64 = 1.0;

/// What the per-client pre-analysis found for one client, solved alone.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AloneBound {
    /// False when the client cannot meet their level even with the whole program to themselves.
    pub can_meet: bool,
    /// The fewest weekly minutes short they can be, alone.
    pub min_short_minutes: f64,
}

/// The variables of one client.
#[derive(Clone, Debug)]
pub struct ClientVars {
    pub client: usize,
    /// (class index, assignment variable).
    pub classes: Vec<(usize, Variable)>,
    pub appointments: Vec<(Appointment, Variable)>,
    /// Program-day variables, for days with any candidate item.
    pub days: [Option<Variable>; 7],
    pub met: Variable,
    pub short_minutes: Variable,
    pub short_days: Variable,
    /// Indexed like [`Program::kinds`].
    pub short_appointments: Vec<Variable>,
}

/// The objective of each stage, highest priority first.
pub struct Objectives {
    /// Clients who fully meet their level (maximize).
    pub met: Expression,
    /// Weekly minutes short, summed (minimize).
    pub short_minutes: Expression,
    /// Missing days, then appointments by kind, with lexicographic integer weights (minimize).
    pub short_rest: Expression,
    /// Changes from last week's roster: clients moved, then items moved (minimize).
    pub changes: Expression,
    /// Preference penalties (minimize).
    pub preferences: Expression,
}

/// The integer program of one program (or of one client alone).
pub struct Model<'p> {
    program: &'p Program,
    cands: &'p Candidates,
    pub vars: ProblemVariables,
    pub rows: Vec<Constraint>,
    pub clients: Vec<ClientVars>,
    /// Per session: whether it runs (absent = it cannot run or nobody can attend).
    pub open: Vec<Option<Variable>>,
    /// Per session without a catalog facilitator: (therapist, chosen) variables.
    pub facilitate: Vec<Vec<(usize, Variable)>>,
    pub objectives: Objectives,
    /// Weights of the missing-days and missing-appointment terms.
    shortfall_weights: Vec<f64>,
    columns: HashMap<Variable, usize>,
    /// Preference "slot used" variables and the assignments that use the slot.
    slot_uses: Vec<(Variable, Vec<Variable>)>,
    /// "Client moved" variables and the variables that keep last week's items.
    moves: Vec<(Variable, Vec<Variable>)>,
    /// "Kept in the same parallel session" variables: the assignment and running
    /// variables they need.
    keeps: Vec<(Variable, Vec<Variable>)>,
    /// Per parallel session with returning clients: max(kept, minimum if running).
    fits: Vec<(Variable, f64, Variable, Vec<Variable>)>,
    /// Pins with no variable to fix (cannot be offered at all).
    pub impossible_pins: usize,
}

/// Column values seen as a good_lp solution, to evaluate expressions.
struct ColumnValues<'a> {
    columns: &'a HashMap<Variable, usize>,
    values: &'a [f64],
}

impl good_lp::Solution for ColumnValues<'_> {
    fn status(&self) -> good_lp::SolutionStatus {
        good_lp::SolutionStatus::Optimal
    }
    fn value(&self, variable: Variable) -> f64 {
        self.values[self.columns[&variable]]
    }
}

impl<'p> Model<'p> {
    /// The whole program: every client plus the rules that make them compete
    /// (capacity, min_size, staff). `bounds` come from the per-client pre-analysis.
    pub fn whole(program: &'p Program, cands: &'p Candidates, bounds: &[AloneBound]) -> Self {
        let mut model = Model::empty(program, cands);
        for (c, bound) in bounds.iter().enumerate() {
            model.add_client(c, Some(*bound));
        }
        model.add_sessions();
        model.capacity_and_min_size();
        model.facilitator_choice();
        model.staff_one_thing_at_a_time();
        model.staff_limits();
        let mut kept_in = model.few_changes();
        model.pinned(&mut kept_in);
        model.returns_fit(&kept_in);
        model.preferences();
        model
    }

    /// One client with the program to themselves: no capacity, min_size or staff contention.
    pub fn alone(program: &'p Program, cands: &'p Candidates, client: usize) -> Self {
        let mut model = Model::empty(program, cands);
        model.add_client(client, None);
        model
    }

    fn empty(program: &'p Program, cands: &'p Candidates) -> Self {
        Model {
            program,
            cands,
            vars: ProblemVariables::new(),
            rows: Vec::new(),
            clients: Vec::new(),
            open: vec![None; program.sessions.len()],
            facilitate: vec![Vec::new(); program.sessions.len()],
            objectives: Objectives {
                met: Expression::default(),
                short_minutes: Expression::default(),
                short_rest: Expression::default(),
                changes: Expression::default(),
                preferences: Expression::default(),
            },
            shortfall_weights: Self::shortfall_weights(program),
            columns: HashMap::new(),
            slot_uses: Vec::new(),
            moves: Vec::new(),
            keeps: Vec::new(),
            fits: Vec::new(),
            impossible_pins: 0,
        }
    }

    /// True when a previous roster is to be kept.
    pub fn has_previous(&self) -> bool {
        !self.program.previous.is_empty()
    }

    pub fn num_columns(&self) -> usize {
        self.vars.len()
    }

    fn binary(&mut self) -> Variable {
        self.add_var(variable().binary())
    }

    /// Adds a variable and remembers its HiGHS column (good_lp numbers columns in
    /// the order variables are added, but does not say so publicly).
    fn add_var(&mut self, definition: good_lp::VariableDefinition) -> Variable {
        let column = self.vars.len();
        let v = self.vars.add(definition);
        self.columns.insert(v, column);
        v
    }

    /// A complete, feasible vector of column values for a roster given by its chosen
    /// assignment, appointment, running and facilitator variables: program days,
    /// shortfalls, "met" and preference variables are derived from them. The empty
    /// roster (`chosen = []`) is always feasible.
    pub fn start_values(&self, chosen: &[Variable]) -> Vec<f64> {
        let mut values = vec![0.0; self.vars.len()];
        for &v in chosen {
            values[self.columns[&v]] = 1.0;
        }
        let on = |values: &[f64], v: Variable| values[self.columns[&v]] > 0.5;
        for cv in &self.clients {
            let level = self.level_of(cv);
            let mut minutes = 0;
            let mut day_used = [false; 7];
            let items = cv
                .classes
                .iter()
                .map(|&(k, x)| (self.cands.classes[k].interval, x))
                .chain(cv.appointments.iter().map(|&(a, x)| (a.interval, x)));
            for (iv, x) in items {
                if on(&values, x) {
                    minutes += iv.minutes();
                    day_used[iv.day().index()] = true;
                }
            }
            let mut booked = vec![0u32; cv.short_appointments.len()];
            for &(a, x) in &cv.appointments {
                if on(&values, x) {
                    booked[a.kind] += 1;
                }
            }
            let mut set = |v: Variable, value: f64| values[self.columns[&v]] = value;
            let mut days = 0;
            for d in Day::all() {
                if let (Some(var), true) = (cv.days[d.index()], day_used[d.index()]) {
                    set(var, 1.0);
                    days += 1;
                }
            }
            let short_minutes = level.min_weekly_minutes.saturating_sub(minutes);
            let short_days = level.min_days.saturating_sub(days);
            set(cv.short_minutes, short_minutes as f64);
            set(cv.short_days, short_days as f64);
            let mut all_met = short_minutes == 0 && short_days == 0;
            for (k, &short) in cv.short_appointments.iter().enumerate() {
                let missing = level.appointments_per_week[k].saturating_sub(booked[k]);
                all_met &= missing == 0;
                set(short, missing as f64);
            }
            set(cv.met, if all_met { 1.0 } else { 0.0 });
        }
        for (used, xs) in &self.slot_uses {
            let any = xs.iter().any(|&x| on(&values, x));
            values[self.columns[used]] = if any { 1.0 } else { 0.0 };
        }
        for (keep, needs) in &self.keeps {
            let all = needs.iter().all(|&x| on(&values, x));
            values[self.columns[keep]] = if all { 1.0 } else { 0.0 };
        }
        for (m, need, open, ks) in &self.fits {
            let kept = ks.iter().filter(|&&k| on(&values, k)).count() as f64;
            let running = if on(&values, *open) { *need } else { 0.0 };
            values[self.columns[m]] = kept.max(running);
        }
        for (moved, kept) in &self.moves {
            let all_kept = kept.iter().all(|&x| on(&values, x));
            values[self.columns[moved]] = if all_kept { 0.0 } else { 1.0 };
        }
        values
    }

    /// True when `values` obey every row and variable bound (to a small tolerance):
    /// the final guard that a roster handed on is feasible.
    pub fn satisfied(&self, values: &[f64]) -> bool {
        const TOLERANCE: f64 = 1e-5;
        let bounds_ok = self.vars.iter_variables_with_def().all(|(v, def)| {
            let x = values[self.columns[&v]];
            def.get_min() - TOLERANCE <= x && x <= def.get_max() + TOLERANCE
        });
        bounds_ok
            && self.rows.iter().all(|row| {
                let lhs = self.eval(values, row.expression());
                if row.is_equality() {
                    lhs.abs() <= TOLERANCE
                } else {
                    lhs <= TOLERANCE
                }
            })
    }

    /// The value of `v` in a vector of column values.
    pub fn value(&self, values: &[f64], v: Variable) -> f64 {
        values[self.columns[&v]]
    }

    /// The value of an expression over a vector of column values.
    pub fn eval(&self, values: &[f64], expression: &Expression) -> f64 {
        expression.eval_with(&ColumnValues {
            columns: &self.columns,
            values,
        })
    }

    fn add_client(&mut self, c: usize, bound: Option<AloneBound>) {
        let cv = self.client_vars(c, bound);
        self.client_one_thing_at_a_time(&cv);
        self.daily_hours(&cv);
        self.weekly_limits(&cv);
        self.weekly_minimums(&cv);
        self.met_means_no_shortfall(&cv);
        self.day_cuts(&cv);
        self.add_client_objectives(&cv);
        self.clients.push(cv);
    }

    fn client_vars(&mut self, c: usize, bound: Option<AloneBound>) -> ClientVars {
        let options = &self.cands.clients[c];
        let level = self.program.level_of(&self.program.clients[c]);
        let classes = options
            .classes
            .iter()
            .map(|&k| (k, self.binary()))
            .collect();
        let appointments = options
            .appointments
            .iter()
            .map(|&a| (a, self.binary()))
            .collect();
        let mut days = [None; 7];
        for d in Day::all() {
            let busy_day = options
                .classes
                .iter()
                .map(|&k| self.cands.classes[k].interval)
                .chain(options.appointments.iter().map(|a| a.interval))
                .any(|iv| iv.day() == d);
            if busy_day {
                days[d.index()] = Some(self.binary());
            }
        }
        let can_meet = bound.is_none_or(|b| b.can_meet);
        let min_short = bound.map_or(0.0, |b| b.min_short_minutes);
        let met = self.add_var(variable().binary().max(if can_meet { 1 } else { 0 }));
        // Shortfalls are whole minutes, days and appointments: integral, so every
        // stage objective is integral and a gap below one unit proves optimality.
        let short_minutes = self.add_var(
            variable()
                .integer()
                .min(min_short.min(level.min_weekly_minutes as f64))
                .max(level.min_weekly_minutes),
        );
        let short_days = self.add_var(variable().integer().min(0).max(level.min_days));
        let short_appointments = level
            .appointments_per_week
            .iter()
            .map(|&n| self.add_var(variable().integer().min(0).max(n)))
            .collect();
        ClientVars {
            client: c,
            classes,
            appointments,
            days,
            met,
            short_minutes,
            short_days,
            short_appointments,
        }
    }

    /// Every item of one client on one day, as (interval, minutes, variable).
    fn items_on(&self, cv: &ClientVars, day: Day) -> Vec<(Interval, Variable)> {
        let groups = cv
            .classes
            .iter()
            .map(|&(k, x)| (self.cands.classes[k].interval, x));
        let appointments = cv.appointments.iter().map(|&(a, x)| (a.interval, x));
        groups
            .chain(appointments)
            .filter(|(iv, _)| iv.day() == day)
            .collect()
    }

    fn level_of(&self, cv: &ClientVars) -> &'p crate::domain::Level {
        self.program.level_of(&self.program.clients[cv.client])
    }

    /// Hard: a client is in one place at a time. One row per maximal set of
    /// mutually overlapping items, bounded by the program-day variable, which
    /// also ties every item to its day.
    fn client_one_thing_at_a_time(&mut self, cv: &ClientVars) {
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
    fn daily_hours(&mut self, cv: &ClientVars) {
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
    fn weekly_limits(&mut self, cv: &ClientVars) {
        let level = self.level_of(cv);
        let minutes = self.week_minutes(cv);
        self.rows.push(minutes.leq(level.max_weekly_minutes as f64));
        self.rows
            .push(Self::day_count(cv).leq(level.max_days as f64));
    }

    /// Soft: weekly minutes and days reach the level's minimum, and exactly the
    /// level's number of appointments of each kind, or a named shortfall.
    fn weekly_minimums(&mut self, cv: &ClientVars) {
        let level = self.level_of(cv);
        let minutes = self.week_minutes(cv) + cv.short_minutes;
        self.rows.push(minutes.geq(level.min_weekly_minutes as f64));
        let days = Self::day_count(cv) + cv.short_days;
        self.rows.push(days.geq(level.min_days as f64));
        for (k, &short) in cv.short_appointments.iter().enumerate() {
            let booked: Expression = cv
                .appointments
                .iter()
                .filter(|(a, _)| a.kind == k)
                .map(|(_, x)| *x)
                .sum();
            self.rows
                .push((booked + short).eq(level.appointments_per_week[k] as f64));
        }
    }

    /// A client counts as met only when every shortfall is zero.
    fn met_means_no_shortfall(&mut self, cv: &ClientVars) {
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
    fn day_cuts(&mut self, cv: &ClientVars) {
        let client = &self.program.clients[cv.client];
        let options = &self.cands.clients[cv.client];
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

    fn add_client_objectives(&mut self, cv: &ClientVars) {
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
    fn shortfall_weights(program: &Program) -> Vec<f64> {
        let total = |of: &dyn Fn(&crate::domain::Level) -> u32| -> f64 {
            program
                .clients
                .iter()
                .map(|c| of(program.level_of(c)) as f64)
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

    /// Running variables for sessions some client could attend.
    fn add_sessions(&mut self) {
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
                self.open[s] = Some(self.binary());
                if self.program.sessions[s].facilitator.is_none() {
                    let choices = self.cands.facilitators[s].clone();
                    self.facilitate[s] = choices.into_iter().map(|t| (t, self.binary())).collect();
                }
            }
        }
    }

    /// Hard: enrolment in a class fits the capacity of its running sessions, and
    /// each running session gets at least max(1, min_size) clients.
    fn capacity_and_min_size(&mut self) {
        let mut members: Vec<Vec<Variable>> = vec![Vec::new(); self.cands.classes.len()];
        for cv in &self.clients {
            for &(k, x) in &cv.classes {
                members[k].push(x);
            }
        }
        for (k, class) in self.cands.classes.iter().enumerate() {
            if members[k].is_empty() {
                continue;
            }
            let enrolled: Expression = members[k].iter().copied().sum();
            let mut most = Expression::default();
            let mut fewest = Expression::default();
            for &s in &class.sessions {
                let session = &self.program.sessions[s];
                let open =
                    self.open[s].expect("sessions of a wanted class have a running variable");
                most.add_mul(session.capacity as f64, open);
                fewest.add_mul(session.min_size.max(1) as f64, open);
            }
            self.rows.push(enrolled.clone().leq(most));
            self.rows.push(enrolled.geq(fewest));
            self.order_interchangeable(&class.sessions);
        }
    }

    /// Symmetry breaking: of two sessions that differ in nothing the rules see,
    /// the earlier in the catalog runs first.
    fn order_interchangeable(&mut self, sessions: &[usize]) {
        let key = |s: usize| {
            let session = &self.program.sessions[s];
            (
                session.capacity,
                session.min_size,
                session.facilitator.is_none(),
            )
        };
        for pair in sessions.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            if key(a) == key(b)
                && key(a).2
                && self.cands.facilitators[a] == self.cands.facilitators[b]
            {
                if let (Some(oa), Some(ob)) = (self.open[a], self.open[b]) {
                    self.rows.push(Expression::from(oa).geq(ob));
                }
            }
        }
    }

    /// Hard: a running session without a catalog facilitator gets exactly one.
    fn facilitator_choice(&mut self) {
        for s in 0..self.program.sessions.len() {
            let Some(open) = self.open[s] else { continue };
            if self.program.sessions[s].facilitator.is_some() {
                continue;
            }
            let chosen: Expression = self.facilitate[s].iter().map(|(_, f)| *f).sum();
            self.rows.push(chosen.eq(open));
        }
    }

    /// Everything a staff member could be doing this week: (interval, activity, variable).
    fn staff_items(&self) -> Vec<Vec<(Interval, Activity, Variable)>> {
        let mut items = vec![Vec::new(); self.program.staff.len()];
        for (s, session) in self.program.sessions.iter().enumerate() {
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
                let activity = self.program.kinds[a.kind].activity;
                items[a.staff].push((a.interval, activity, x));
            }
        }
        items
    }

    /// Hard: a staff member does one thing at a time.
    fn staff_one_thing_at_a_time(&mut self) {
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
    fn staff_limits(&mut self) {
        for (t, items) in self.staff_items().into_iter().enumerate() {
            let staff = &self.program.staff[t];
            if let Some(most) = staff.max_weekly_minutes {
                let work: Expression = items
                    .iter()
                    .map(|(iv, _, x)| iv.minutes() as f64 * *x)
                    .sum();
                self.rows.push(work.leq(most as f64));
            }
            if let Some(most) = staff.max_individual_per_day {
                for d in Day::all() {
                    let count: Expression = items
                        .iter()
                        .filter(|(iv, act, _)| *act == Activity::Individual && iv.day() == d)
                        .map(|(_, _, x)| *x)
                        .sum();
                    self.rows.push(count.leq(most as f64));
                }
            }
        }
    }

    /// The assignment variable that a previous roster item needs, and for a group
    /// in a class of parallel sessions also its session's running variable.
    fn keeping(&self, item: &PreviousItem) -> Option<(Variable, Option<Variable>)> {
        let cv = &self.clients[item.client];
        match item.activity {
            Activity::Group => {
                let s = item.session?;
                let (k, x) = cv
                    .classes
                    .iter()
                    .copied()
                    .find(|(k, _)| self.cands.classes[*k].sessions.contains(&s))?;
                let parallel = self.cands.classes[k].sessions.len() > 1;
                Some((x, if parallel { self.open[s] } else { None }))
            }
            activity => cv
                .appointments
                .iter()
                .find(|(a, _)| {
                    self.program.kinds[a.kind].activity == activity
                        && Some(a.staff) == item.staff
                        && a.interval == item.interval
                })
                .map(|p| (p.1, None)),
        }
    }

    /// Soft (after every minimum): keep last week's roster. Each client moved
    /// counts more than all item changes together; an item change is a previous
    /// item lost (its group, its session among parallel ones, or its slot) or an
    /// item added to a client who had a roster.
    fn few_changes(&mut self) -> BTreeMap<usize, Vec<Variable>> {
        let weight = 1.0 + self.program.previous.len() as f64 + self.num_columns() as f64;
        let mut changes = Expression::default();
        let mut per_client: BTreeMap<usize, Vec<Option<Variable>>> = BTreeMap::new();
        let mut previous_vars = std::collections::HashSet::new();
        let mut kept_in: BTreeMap<usize, Vec<Variable>> = BTreeMap::new();
        for item in &self.program.previous {
            let kept = match self.keeping(item) {
                Some((x, None)) => Some(x),
                Some((x, Some(open))) => {
                    // Kept = in the class and the very session running.
                    let k = self.binary();
                    self.rows.push(Expression::from(k).leq(x));
                    self.rows.push(Expression::from(k).leq(open));
                    self.keeps.push((k, vec![x, open]));
                    kept_in
                        .entry(item.session.expect("a group item"))
                        .or_default()
                        .push(k);
                    Some(k)
                }
                None => None,
            };
            if let Some((x, _)) = self.keeping(item) {
                previous_vars.insert(x);
            }
            per_client.entry(item.client).or_default().push(kept);
            match kept {
                Some(x) => changes += 1.0 - Expression::from(x),
                None => changes += 1.0,
            }
        }
        for (&c, kept) in &per_client {
            let cv = &self.clients[c];
            let offered = cv
                .classes
                .iter()
                .map(|p| p.1)
                .chain(cv.appointments.iter().map(|p| p.1));
            for x in offered.filter(|x| !previous_vars.contains(x)) {
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
            self.moves.push((moved, kept));
        }
        self.objectives.changes = changes;
        kept_in
    }

    /// Hard: pinned items are in the roster; a pinned group's session runs (with
    /// the pinned facilitator, when one is named) and its client is kept there.
    fn pinned(&mut self, kept_in: &mut BTreeMap<usize, Vec<Variable>>) {
        for pin in &self.program.pins {
            let cv = &self.clients[pin.client];
            let mut fixed = Vec::new();
            match pin.session {
                Some(s) => {
                    let x = cv
                        .classes
                        .iter()
                        .find(|(k, _)| self.cands.classes[*k].sessions.contains(&s))
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
                            && self.program.kinds[a.kind].activity == pin.activity
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
    fn returns_fit(&mut self, kept_in: &BTreeMap<usize, Vec<Variable>>) {
        for class in &self.cands.classes {
            if !class.sessions.iter().any(|s| kept_in.contains_key(s)) {
                continue;
            }
            let members: Expression = self
                .clients
                .iter()
                .flat_map(|cv| cv.classes.iter())
                .filter(|(k, _)| self.cands.classes[*k].sessions == class.sessions)
                .map(|p| p.1)
                .sum();
            let mut needed = Expression::default();
            for &s in &class.sessions {
                let Some(open) = self.open[s] else { continue };
                let most = self.program.sessions[s].capacity as f64;
                let m = self.vars.add(variable().min(0).max(most));
                self.columns.insert(m, self.vars.len() - 1);
                let need = self.program.sessions[s].min_size.max(1) as f64;
                self.rows.push(Expression::from(m).geq(need * open));
                let ks = kept_in.get(&s).cloned().unwrap_or_default();
                let kept: Expression = ks.iter().copied().sum();
                self.rows.push(Expression::from(m).geq(kept));
                self.fits.push((m, need, open, ks));
                needed.add_mul(1.0, m);
            }
            self.rows.push(needed.leq(members));
        }
    }

    /// Soft: groups on the client's preferred track, and few distinct weekly time
    /// slots per client (the same slot all week keeps one cohort together).
    fn preferences(&mut self) {
        let mut penalty = Expression::default();
        let mut slot_groups: Vec<Vec<Variable>> = Vec::new();
        for cv in &self.clients {
            let pref = self.program.clients[cv.client].track;
            let mut slots: BTreeMap<(u32, u32), Vec<Variable>> = BTreeMap::new();
            for &(k, x) in &cv.classes {
                let class = &self.cands.classes[k];
                let track = self.program.sessions[class.sessions[0]].track;
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
            self.slot_uses.push((used, xs));
        }
        self.objectives.preferences = penalty;
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

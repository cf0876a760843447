//! The integer program: its variables and its constraint families, read like the contract.
//!
//! | family                      | kind   | contract rule                                     |
//! |-----------------------------|--------|---------------------------------------------------|
//! | `client_one_thing_at_a_time`| hard   | no overlaps for a client                          |
//! | `daily_hours`               | hard   | min/max_daily_hours on every program day          |
//! | `weekly_limits`             | hard   | max_weekly_hours, max_days                        |
//! | `weekly_minimums`           | soft   | min hours, min days, appointments (shortfall vars)|
//! | `appointments_per_day`      | hard   | a kind's max_per_day (appointments.csv)           |
//! | `met_means_no_shortfall`    | soft   | "met" = every minimum reached                     |
//! | `day_cuts`                  | cut    | none: strengthens the LP (see MODELING notes)     |
//! | `capacity_and_min_size`     | hard   | capacity, min_size                                |
//! | `facilitator_choice`        | hard   | one facilitator per running session               |
//! | `staff_one_thing_at_a_time` | hard   | staff never double-booked                         |
//! | `staff_limits`              | hard   | max_weekly_hours, max_individual_per_day          |
//! | `few_changes`               | soft   | keep last week's roster (after every minimum)     |
//! | `pinned`, `returns_fit`     | hard   | pins; returning and pinned clients stay placeable |
//! | `preferences`               | soft   | track, stable time slots                          |
//!
//! Busy blocks, travel, eligibility, staff availability and the appointment kinds'
//! windows and roles are enforced earlier, by
//! never creating a variable that would break them ([`crate::candidates`]).
//! The objective is lexicographic and solved in stages ([`crate::solve`]); this module
//! only provides the expression of each stage.
//!
//! The families live in `client_rules` (one client's week), `program_rules` (what
//! clients compete for: sessions and staff; preferences) and `week_over_week`
//! (last week's roster and pins). `values` turns a roster into column values and
//! checks them; `alone_bound` is what the per-client pre-analysis proves.

mod alone_bound;
mod client_rules;
mod program_rules;
mod residual;
mod values;
mod week_over_week;

pub use alone_bound::AloneBound;
pub use residual::{Fixed, KeptSession, Prices};
use values::{Columns, Derived};

use crate::candidates::{Appointment, Candidates};
use crate::domain::{ClientIx, Program, SessionIx, StaffIx};
use crate::ix::IxVec;
use crate::time::{Day, Interval};
use good_lp::{variable, Constraint, Expression, ProblemVariables, Variable};

/// Penalty for one group assignment against the client's track preference.
const OFF_TRACK_PENALTY: f64 = 2.0;
/// Penalty for each distinct weekly time slot a client's groups use (one slot all
/// week keeps a client with one cohort).
const SLOT_PENALTY: f64 = 1.0;

/// The variables of one client.
#[derive(Clone, Debug)]
pub struct ClientVars {
    pub client: ClientIx,
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
    /// False when the pre-analysis proved the client cannot meet their level.
    pub can_meet: bool,
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
    pub open: IxVec<SessionIx, Option<Variable>>,
    /// Per session without a catalog facilitator: (therapist, chosen) variables.
    pub facilitate: IxVec<SessionIx, Vec<(StaffIx, Variable)>>,
    pub objectives: Objectives,
    /// Weights of the missing-days and missing-appointment terms.
    shortfall_weights: Vec<f64>,
    columns: Columns,
    /// Helper variables whose values follow from the decisions, in the order
    /// they were added (a later one may read an earlier one).
    derived: Vec<Derived>,
    /// Pins with no variable to fix (cannot be offered at all).
    pub impossible_pins: usize,
    /// Per program client: their index in [`Model::clients`], when in the model.
    positions: IxVec<ClientIx, Option<usize>>,
    /// What clients outside a partial model use (`None`: the whole program).
    fixed: Option<Fixed>,
}

impl<'p> Model<'p> {
    /// The whole program: every client plus the rules that make them compete
    /// (capacity, min_size, staff). `bounds` come from the per-client pre-analysis.
    pub fn whole(program: &'p Program, cands: &'p Candidates, bounds: &[AloneBound]) -> Self {
        let all: Vec<ClientIx> = program.client_ixs().collect();
        Model::part(program, cands, bounds, &all, None)
    }

    /// The clients `clients` (program indices, sorted) around everything `fixed`
    /// holds: the seats, sessions and staff time that the other clients use.
    pub fn part(
        program: &'p Program,
        cands: &'p Candidates,
        bounds: &[AloneBound],
        clients: &[ClientIx],
        fixed: Option<Fixed>,
    ) -> Self {
        let mut model = Model::empty(program, cands);
        model.fixed = fixed;
        model.shortfall_weights = Self::shortfall_weights(program, clients);
        for &c in clients {
            model.add_client(c, Some(bounds[c.0]));
        }
        model.add_sessions();
        model.capacity_and_min_size();
        model.facilitator_choice();
        model.staff_one_thing_at_a_time();
        model.staff_limits();
        let mut kept_in = model.few_changes();
        model.pinned(&mut kept_in);
        if model.fixed.is_none() {
            // Within a part the fixed clients' sessions are not the model's to hand
            // out; the whole model's own check (`satisfied`) judges the result.
            model.returns_fit(&kept_in);
        }
        model.preferences();
        model
    }

    /// One client with the program to themselves: no capacity, min_size or staff contention.
    pub fn alone(program: &'p Program, cands: &'p Candidates, client: ClientIx) -> Self {
        let mut model = Model::empty(program, cands);
        model.shortfall_weights = Self::shortfall_weights(program, &[client]);
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
            open: IxVec::from_elem(None, program.sessions.len()),
            facilitate: IxVec::from_elem(Vec::new(), program.sessions.len()),
            objectives: Objectives {
                met: Expression::default(),
                short_minutes: Expression::default(),
                short_rest: Expression::default(),
                changes: Expression::default(),
                preferences: Expression::default(),
            },
            shortfall_weights: Vec::new(),
            columns: Columns::default(),
            derived: Vec::new(),
            impossible_pins: 0,
            positions: IxVec::from_elem(None, program.clients.len()),
            fixed: None,
        }
    }

    /// The program this model is of.
    pub fn program(&self) -> &'p Program {
        self.program
    }

    /// The candidates its variables come from.
    pub fn cands(&self) -> &'p Candidates {
        self.cands
    }

    /// True when a previous roster is to be kept.
    pub fn has_previous(&self) -> bool {
        !self.program.previous.is_empty()
    }

    /// The most weekly minutes its clients can be short together: one client
    /// met is worth more than every minute short (see the folded objective in
    /// the "clients met" stage).
    pub fn most_short_minutes(&self) -> f64 {
        let program = self.program;
        let each = |cv: &ClientVars| {
            program
                .level_of(program.client(cv.client))
                .min_weekly_minutes
        };
        self.clients.iter().map(|cv| each(cv) as f64).sum()
    }

    pub fn num_columns(&self) -> usize {
        self.vars.len()
    }

    /// True for a part of the program (some clients planned around fixed others).
    pub fn is_part(&self) -> bool {
        self.fixed.is_some()
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

    fn add_client(&mut self, c: ClientIx, bound: Option<AloneBound>) {
        self.positions[c] = Some(self.clients.len());
        let cv = self.client_vars(c, bound);
        self.client_one_thing_at_a_time(&cv);
        self.daily_hours(&cv);
        self.weekly_limits(&cv);
        self.weekly_minimums(&cv);
        self.appointments_per_day(&cv);
        self.met_means_no_shortfall(&cv);
        self.day_cuts(&cv);
        self.add_client_objectives(&cv);
        self.clients.push(cv);
    }

    fn client_vars(&mut self, c: ClientIx, bound: Option<AloneBound>) -> ClientVars {
        let options = self.cands.options(c);
        let level = self.program.level_of(self.program.client(c));
        let fixed = self.fixed.as_ref();
        let open_classes: Vec<usize> = options
            .classes
            .iter()
            .copied()
            .filter(|&k| fixed.is_none_or(|f| !f.forbidden[k]))
            .collect();
        let free_appointments: Vec<Appointment> = options
            .appointments
            .iter()
            .copied()
            .filter(|a| fixed.is_none_or(|f| f.offers(self.program, a)))
            .collect();
        let classes: Vec<(usize, Variable)> = open_classes
            .into_iter()
            .map(|k| (k, self.binary()))
            .collect();
        let appointments: Vec<(Appointment, Variable)> = free_appointments
            .into_iter()
            .map(|a| (a, self.binary()))
            .collect();
        let mut days = [None; 7];
        for d in Day::all() {
            let busy_day = classes
                .iter()
                .map(|&(k, _)| self.cands.classes[k].interval)
                .chain(appointments.iter().map(|(a, _)| a.interval))
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
            can_meet,
        }
    }

    /// Every item client `cv` could have on `day`, as (interval, variable).
    pub fn items_on(&self, cv: &ClientVars, day: Day) -> Vec<(Interval, Variable)> {
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

    /// The variables of program client `c`, when the model has them.
    pub fn client(&self, c: ClientIx) -> Option<&ClientVars> {
        self.positions[c].map(|i| &self.clients[i])
    }

    fn level_of(&self, cv: &ClientVars) -> &'p crate::domain::Level {
        self.program.level_of(self.program.client(cv.client))
    }
}

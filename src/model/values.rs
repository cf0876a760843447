//! Column values: the start vector built from a roster's decisions, the final
//! feasibility check, and evaluating expressions over a vector of values.

use super::Model;
use crate::tally::Tally;
use crate::time::Day;
use good_lp::{Expression, Variable};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A helper variable whose value in a roster follows from other variables.
pub(super) enum Derived {
    /// 1 when any of the variables is 1: a preference slot used.
    Any(Variable, Vec<Variable>),
    /// 1 when all of the variables are 1: kept in last week's parallel session.
    All(Variable, Vec<Variable>),
    /// 1 when some of `kept` is 0 or some of `added` is 1: a client's week changed.
    Changed {
        var: Variable,
        kept: Vec<Variable>,
        added: Vec<Variable>,
    },
    /// A class with parallel sessions that returning clients keep: each session
    /// takes max(its kept clients, `need` when it runs) of the class's `members`.
    Seats {
        members: Vec<Variable>,
        seats: Vec<Seat>,
    },
}

/// One parallel session of a class in [`Derived::Seats`].
pub(super) struct Seat {
    /// What the session takes of its class's members.
    pub var: Variable,
    /// Its minimum, when it runs.
    pub need: f64,
    pub open: Variable,
    /// 1 for each returning client kept in it ([`Derived::All`]).
    pub kept: Vec<Variable>,
}

impl Derived {
    /// Sets the variable (or variables) from the values of the others.
    fn apply(&self, columns: &Columns, values: &mut [f64]) {
        let on = |values: &[f64], v: Variable| values[columns[&v]] > 0.5;
        let one = |b: bool| if b { 1.0 } else { 0.0 };
        let (var, value) = match self {
            Derived::Any(v, xs) => (*v, one(xs.iter().any(|&x| on(values, x)))),
            Derived::All(v, xs) => (*v, one(xs.iter().all(|&x| on(values, x)))),
            Derived::Changed { var, kept, added } => {
                let lost = !kept.iter().all(|&x| on(values, x));
                (*var, one(lost || added.iter().any(|&x| on(values, x))))
            }
            Derived::Seats { members, seats } => return fit_seats(members, seats, columns, values),
        };
        values[columns[&var]] = value;
    }
}

/// The seats of a class's parallel sessions. Each returning client in the class
/// whose session runs counts as kept there; when the kept clients and the other
/// sessions' minimums add up to more than the members (clients left a session,
/// so the roster must hand some kept ones to another), those above a session's
/// own minimum count as moved instead, so the roster stays feasible and honest.
fn fit_seats(members: &[Variable], seats: &[Seat], columns: &Columns, values: &mut [f64]) {
    let on = |values: &[f64], v: Variable| values[columns[&v]] > 0.5;
    let members = members.iter().filter(|&&x| on(values, x)).count() as f64;
    let need = |values: &[f64], seat: &Seat| {
        if on(values, seat.open) {
            seat.need
        } else {
            0.0
        }
    };
    let kept =
        |values: &[f64], seat: &Seat| seat.kept.iter().filter(|&&k| on(values, k)).count() as f64;
    let taken = |values: &[f64], seat: &Seat| kept(values, seat).max(need(values, seat));
    let mut total: f64 = seats.iter().map(|s| taken(values, s)).sum();
    for seat in seats {
        // Last ones first: any of them could be handed on.
        for &k in seat.kept.iter().rev() {
            if total <= members || kept(values, seat) <= need(values, seat) {
                break;
            }
            if on(values, k) {
                values[columns[&k]] = 0.0;
                total -= 1.0;
            }
        }
    }
    for seat in seats {
        values[columns[&seat.var]] = taken(values, seat);
    }
}

/// Variable -> HiGHS column. Looked up for every value the start, the search and
/// the feasibility check read, so it hashes a variable's number with one
/// multiplication instead of SipHash (variables are not attacker-chosen).
pub(super) type Columns = HashMap<Variable, usize, BuildHasherDefault<ColumnHasher>>;

/// Fibonacci hashing of the variable's number: cheap, and it spreads the high
/// bits that the hash table's probing looks at.
#[derive(Default)]
pub(super) struct ColumnHasher(u64);

impl Hasher for ColumnHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ b as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0 ^ n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// Column values seen as a good_lp solution, to evaluate expressions.
struct ColumnValues<'a> {
    columns: &'a Columns,
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
impl Model<'_> {
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
            let mut tally = Tally::new(self.program.kinds.len());
            let groups = cv
                .classes
                .iter()
                .map(|&(k, x)| (self.cands.classes[k].interval, None, x));
            let appointments = cv
                .appointments
                .iter()
                .map(|&(a, x)| (a.interval, Some(a.kind), x));
            for (iv, kind, x) in groups.chain(appointments) {
                if on(&values, x) {
                    tally.add(iv, kind);
                }
            }
            let mut set = |v: Variable, value: f64| values[self.columns[&v]] = value;
            for d in Day::all().filter(|&d| tally.on(d) > 0) {
                set(
                    cv.days[d.index()].expect("a day with an item has a variable"),
                    1.0,
                );
            }
            let short = tally.shortfall(self.level_of(cv));
            set(cv.short_minutes, short.minutes as f64);
            set(cv.short_days, short.days as f64);
            for (&var, &missing) in cv.short_appointments.iter().zip(&short.appointments) {
                set(var, missing as f64);
            }
            set(cv.met, if short.is_met() { 1.0 } else { 0.0 });
        }
        // Whether a client's week changed follows from what is kept, which the
        // seats of parallel sessions may still cut: those come last.
        let changed = |d: &&Derived| matches!(d, Derived::Changed { .. });
        for derived in self.derived.iter().filter(|d| !changed(d)) {
            derived.apply(&self.columns, &mut values);
        }
        for derived in self.derived.iter().filter(changed) {
            derived.apply(&self.columns, &mut values);
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

    /// How far an expression can move: the sum of |coefficient| times the largest
    /// magnitude of its variable.
    pub fn range(&self, expression: &Expression) -> f64 {
        use good_lp::IntoAffineExpression;
        let mut most = vec![0.0; self.vars.len()];
        for (v, def) in self.vars.iter_variables_with_def() {
            most[self.columns[&v]] = def.get_min().abs().max(def.get_max().abs());
        }
        expression
            .linear_coefficients()
            .map(|(v, a)| a.abs() * most[self.columns[&v]])
            .sum()
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
}

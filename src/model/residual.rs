//! A partial model: some clients are decided, the rest are fixed and only use up
//! seats, running sessions and staff time. The constructive start plans one client at
//! a time this way, and the neighbourhood search re-plans a few clients at a time.

use crate::candidates::Appointment;
use crate::domain::{Program, SessionIx, StaffIx};
use crate::ix::IxVec;
use crate::time::{Day, Interval};

/// What the clients outside a partial model already use.
#[derive(Clone, Debug)]
pub struct Fixed {
    /// Per class: members among the fixed clients.
    pub members: Vec<u32>,
    /// Per staff member: intervals taken by fixed appointments and by the sessions
    /// that the partial model does not decide.
    pub staff_busy: IxVec<StaffIx, Vec<Interval>>,
    /// Per staff member: minutes of those.
    pub staff_minutes: IxVec<StaffIx, u32>,
    /// Per staff member and day: fixed individual sessions.
    pub individual_per_day: IxVec<StaffIx, [u32; 7]>,
    /// Classes the partial model may not use (cancelled by the start's repair).
    pub forbidden: Vec<bool>,
    /// Per class: true while a session of it may run below its min_size for now
    /// (one client at a time cannot fill a group; a later repair fixes the ones
    /// that stay too small).
    pub relaxed: Vec<bool>,
    /// Cost of opening a session that no fixed client attends, so that a client
    /// planned alone joins running groups (which fills them to min_size) first.
    pub open_penalty: f64,
    /// The open penalty counts with the days and appointments short, above the
    /// preferences: a hurried start leaves the preferences out of its tiny
    /// models, and its clients must still join running groups first.
    pub open_above_preferences: bool,
    /// Per session (or empty: none): fixed clients who stay in that very session
    /// (intake keeps a published roster's seats). Such a session keeps running with
    /// its facilitator, and the partial model fills only the rest of its seats and
    /// of its minimum.
    pub kept: IxVec<SessionIx, Option<KeptSession>>,
    /// What the partial model's choices cost others (a preference): see [`Prices`].
    pub prices: Prices,
}

/// Scarcity prices for the one-client-at-a-time start: a seat or a staff member's
/// time that many clients still to be planned could use costs more, so a client
/// with other equally good options leaves it to them. Only a preference: a client
/// never gives up their own hours or appointments for it.
#[derive(Clone, Debug, Default)]
pub struct Prices {
    /// Per class (or empty: none).
    pub class: Vec<f64>,
    /// Per appointment the partial model may book, sorted like the client's
    /// candidates (kind, staff, time).
    pub appointments: Vec<(Appointment, f64)>,
}

impl Prices {
    /// The price of a seat in class `k`.
    pub fn of_class(&self, k: usize) -> f64 {
        self.class.get(k).copied().unwrap_or(0.0)
    }

    /// The price of booking `a`.
    pub fn of_appointment(&self, a: &Appointment) -> f64 {
        self.appointments
            .binary_search_by(|(x, _)| x.cmp(a))
            .map_or(0.0, |i| self.appointments[i].1)
    }
}

/// A running session whose fixed members may not move (see [`Fixed::kept`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeptSession {
    pub members: u32,
    pub facilitator: StaffIx,
}

impl Fixed {
    /// Nothing fixed yet.
    pub fn empty(classes: usize, staff: usize) -> Fixed {
        Fixed {
            members: vec![0; classes],
            staff_busy: IxVec::from_elem(Vec::new(), staff),
            staff_minutes: IxVec::from_elem(0, staff),
            individual_per_day: IxVec::from_elem([0; 7], staff),
            forbidden: vec![false; classes],
            relaxed: vec![false; classes],
            open_penalty: 0.0,
            open_above_preferences: false,
            kept: IxVec::default(),
            prices: Prices::default(),
        }
    }

    /// True when staff member `t` is free of fixed work during `iv`.
    fn staff_free(&self, t: StaffIx, iv: Interval) -> bool {
        self.staff_busy[t].iter().all(|b| !b.overlaps(iv))
    }

    /// Books staff member `t` for `iv` (an appointment or a facilitation).
    pub fn book(&mut self, t: StaffIx, iv: Interval, individual: bool) {
        self.staff_busy[t].push(iv);
        self.staff_minutes[t] += iv.minutes();
        if individual {
            self.individual_per_day[t][iv.day().index()] += 1;
        }
    }

    /// True when the appointment's staff member has no fixed work at its time,
    /// and fixed work leaves room for it under their weekly hours and their
    /// daily individual sessions. Without that room the model's rows would hold
    /// it at zero anyway; a one-client model left HiGHS's presolve to remove
    /// such columns, in every one of a site's clients' models.
    pub fn offers(&self, program: &Program, a: &Appointment) -> bool {
        let staff = program.staff(a.staff);
        let individual = program.individual_kind() == Some(a.kind);
        let today = self.individual_on(a.staff, a.interval.day());
        let daily = !individual || staff.max_individual_per_day.is_none_or(|most| today < most);
        self.can_take(program, a.staff, a.interval) && daily
    }

    /// True when staff member `t` has no fixed work during `iv`, and fixed work
    /// leaves room for it under their weekly hours.
    pub fn can_take(&self, program: &Program, t: StaffIx, iv: Interval) -> bool {
        let minutes = self.staff_minutes[t] + iv.minutes();
        let hours = (program.staff(t).max_weekly_minutes).is_none_or(|most| minutes <= most);
        self.staff_free(t, iv) && hours
    }

    /// The fixed members of session `s` who stay in it, and its facilitator.
    pub fn kept(&self, s: SessionIx) -> Option<KeptSession> {
        self.kept.get(s).copied().flatten()
    }

    /// Fixed individual sessions of `t` on `day`.
    pub fn individual_on(&self, t: StaffIx, day: Day) -> u32 {
        self.individual_per_day[t][day.index()]
    }
}

//! What each client could possibly attend, before any optimization.
//!
//! A client never gets a model variable for an item they cannot attend: sessions
//! they are not eligible for, that collide with a busy block (plus travel), or that
//! cannot run; appointments outside staff availability or on days where the client
//! cannot reach `min_daily_hours` at all. Identical parallel sessions are merged into
//! one [`GroupClass`] so a client chooses "Mon 18:00 process group", and the
//! optimizer decides separately how many of the parallel rooms run.

use crate::domain::{
    sites_match, Activity, Client, ClientIx, KindIx, Program, Session, SessionIx, Staff, StaffIx,
};
use crate::intervals::max_disjoint_minutes;
use crate::ix::IxVec;
use crate::time::{Day, Interval};
use std::collections::BTreeMap;
mod appointments;
#[cfg(test)]
mod tests;

pub use appointments::{appointment_staff, GRID_MINUTES, POOL_STAFF_PER_CLIENT};

/// Identical parallel sessions: same time, site, track and eligibility.
#[derive(Clone, Debug)]
pub struct GroupClass {
    /// Session indices, in catalog order.
    pub sessions: Vec<SessionIx>,
    pub interval: Interval,
}

/// One possible appointment of a client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Appointment {
    pub kind: KindIx,
    pub staff: StaffIx,
    pub interval: Interval,
}

/// Everything one client could attend this week.
#[derive(Clone, Debug, Default)]
pub struct ClientOptions {
    /// Indices into [`Candidates::classes`], sorted.
    pub classes: Vec<usize>,
    /// Sorted by kind, staff, time.
    pub appointments: Vec<Appointment>,
}

/// The pre-filtered candidates of a whole program.
#[derive(Clone, Debug)]
pub struct Candidates {
    pub classes: Vec<GroupClass>,
    /// Per session: the therapists who may facilitate it (the catalog's one, when
    /// set and available; otherwise every available therapist of a matching site).
    /// Empty = the session cannot run.
    pub facilitators: IxVec<SessionIx, Vec<StaffIx>>,
    /// Per client, indexed like [`Program::clients`].
    pub clients: Vec<ClientOptions>,
}

/// What the rules see of one session of a class: two sessions of a class with the
/// same key are interchangeable, so only their number running matters, not which.
/// The model orders them (symmetry rows) and the constructive start numbers its
/// running sessions the same way.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Interchangeable<'a> {
    pub capacity: u32,
    pub min_size: u32,
    /// The catalog's facilitator.
    pub facilitator: Option<StaffIx>,
    /// Who may facilitate it ([`Candidates::facilitators`]).
    pub facilitators: &'a [StaffIx],
}

impl Candidates {
    /// The key under which session `s` is interchangeable with others of its class.
    pub fn interchangeable(&self, program: &Program, s: SessionIx) -> Interchangeable<'_> {
        let session = program.session(s);
        Interchangeable {
            capacity: session.capacity,
            min_size: session.min_size,
            facilitator: session.facilitator,
            facilitators: self.facilitators_of(s),
        }
    }

    /// What client `c` could attend.
    pub fn options(&self, c: ClientIx) -> &ClientOptions {
        &self.clients[c.0]
    }

    /// The therapists who may facilitate session `s` (empty: it cannot run).
    pub fn facilitators_of(&self, s: SessionIx) -> &[StaffIx] {
        &self.facilitators[s]
    }

    /// The class of session `s` (`None` when the session cannot run).
    pub fn class_of(&self, s: SessionIx) -> Option<usize> {
        class_of(&self.classes, s)
    }

    pub fn build(program: &Program) -> Candidates {
        let facilitators: IxVec<SessionIx, Vec<StaffIx>> = program
            .sessions
            .iter()
            .map(|s| possible_facilitators(program, s))
            .collect();
        let classes = group_classes(program, &facilitators);
        let mut clients: Vec<ClientOptions> = program
            .clients
            .iter()
            .map(|c| client_options(program, c, stable_rotation(&c.id.0), &classes))
            .collect();
        offer_pins(program, &classes, &mut clients);
        offer_previous(program, &mut clients);
        Candidates {
            classes,
            facilitators,
            clients,
        }
    }
}

/// Pinned items are always offered (the grid or day pruning may have left them
/// out); whether they can hold is for the pin checks and the model to say.
fn offer_pins(program: &Program, classes: &[GroupClass], clients: &mut [ClientOptions]) {
    for pin in &program.pins {
        let options = &mut clients[pin.client.0];
        match pin.session {
            Some(s) => {
                if let Some(k) = class_of(classes, s) {
                    if !options.classes.contains(&k) {
                        options.classes.push(k);
                        options.classes.sort_unstable();
                    }
                }
            }
            None => {
                let Activity::Appointment(kind) = pin.activity else {
                    continue;
                };
                let pinned = Appointment {
                    kind,
                    staff: pin.staff.expect("an appointment pin names its staff"),
                    interval: pin.interval,
                };
                if !options.appointments.contains(&pinned) {
                    options.appointments.push(pinned);
                    options.appointments.sort();
                }
            }
        }
    }
}

fn class_of(classes: &[GroupClass], s: SessionIx) -> Option<usize> {
    classes.iter().position(|c| c.sessions.contains(&s))
}

/// Where a client's window of pool staff starts: from their ID, not their row,
/// so that a client discharged or admitted above them does not change whom the
/// others may see (and last week's appointments stay on offer).
fn stable_rotation(id: &str) -> usize {
    (crate::hash::fnv1a(crate::hash::FNV_START, id.as_bytes()) >> 16) as usize
}

/// Offers each client last week's appointments that still obey every rule this
/// week, also when the pool of staff offered to them (see `client_options`)
/// no longer holds that staff member: keeping last week is worth an option.
fn offer_previous(program: &Program, clients: &mut [ClientOptions]) {
    for item in &program.previous {
        let (Activity::Appointment(kind_ix), Some(staff)) = (item.activity, item.staff) else {
            continue;
        };
        let client = program.client(item.client);
        let level = program.level_of(client);
        let kind = program.kind_at(kind_ix);
        let iv = item.interval;
        let allowed = level.per_week(kind_ix) > 0
            && iv.minutes() == kind.minutes
            && iv.minutes() <= level.max_daily_minutes
            && appointment_fits(program, client, kind, iv)
            && program.staff(staff).is_available(iv)
            && appointment_staff(program, client, kind_ix).contains(&staff);
        let options = &mut clients[item.client.0];
        let kept = Appointment {
            kind: kind_ix,
            staff,
            interval: iv,
        };
        if allowed && !options.appointments.contains(&kept) {
            options.appointments.push(kept);
            options.appointments.sort();
        }
    }
}

/// The therapists who could facilitate `session` for its whole length.
pub fn possible_facilitators(program: &Program, session: &Session) -> Vec<StaffIx> {
    let able = |t: &Staff| t.role.is_therapist() && t.is_available(session.interval);
    match session.facilitator {
        Some(t) => {
            if able(program.staff(t)) {
                vec![t]
            } else {
                vec![]
            }
        }
        None => program
            .staff_list()
            .filter(|(_, t)| able(t) && sites_match(&session.site, &t.site))
            .map(|(t, _)| t)
            .collect(),
    }
}

fn group_classes(
    program: &Program,
    facilitators: &IxVec<SessionIx, Vec<StaffIx>>,
) -> Vec<GroupClass> {
    let mut by_key: BTreeMap<_, Vec<SessionIx>> = BTreeMap::new();
    for (i, s) in program.session_list() {
        if facilitators[i].is_empty() || s.capacity == 0 {
            continue;
        }
        let key = (
            s.interval,
            s.site.clone(),
            s.track.as_str(),
            s.levels.clone(),
            s.gender.clone(),
            s.tags.clone(),
            s.stage.clone(),
        );
        by_key.entry(key).or_default().push(i);
    }
    let mut classes: Vec<GroupClass> = by_key
        .into_values()
        .map(|sessions| GroupClass {
            interval: program.session(sessions[0]).interval,
            sessions,
        })
        .collect();
    classes.sort_by_key(|c| c.sessions[0]);
    classes
}

/// Why a client may not attend a session, if they may not (eligibility only).
pub fn ineligibility(client: &Client, session: &Session) -> Option<&'static str> {
    if !sites_match(&client.site, &session.site) {
        return Some("site");
    }
    if !session.levels.is_empty() && !session.levels.contains(&client.level) {
        return Some("level");
    }
    if session.gender.is_some() && session.gender != client.gender {
        return Some("gender");
    }
    if !session.tags.iter().all(|t| client.tags.contains(t)) {
        return Some("tags");
    }
    if session.stage.is_some() && session.stage != client.stage {
        return Some("stage");
    }
    None
}

/// Whether an appointment of `kind` at `iv` suits the client: inside the kind's
/// daily window, clear of their busy blocks (travel included), on a day they
/// are in the program. (The staff member's side is checked by the caller.)
fn appointment_fits(
    program: &Program,
    client: &Client,
    kind: &crate::domain::AppointmentKind,
    iv: Interval,
) -> bool {
    kind.in_window(iv)
        && busy_conflict(client, iv).is_none()
        && client.here_on(iv.day().date(program.monday))
}

/// The first busy block that `interval` collides with (travel included).
pub fn busy_conflict(client: &Client, interval: Interval) -> Option<usize> {
    client
        .busy
        .iter()
        .position(|b| interval.overlaps_padded(b.interval, client.travel_minutes))
}

fn client_options(
    program: &Program,
    client: &Client,
    rotation: usize,
    classes: &[GroupClass],
) -> ClientOptions {
    let level = program.level_of(client);
    // Admitted or discharged inside the week: only the days they are here.
    let here = |iv: Interval| client.here_on(iv.day().date(program.monday));
    let fits = |iv: Interval| {
        iv.minutes() <= level.max_daily_minutes && busy_conflict(client, iv).is_none() && here(iv)
    };
    let class_ids: Vec<usize> = (0..classes.len())
        .filter(|&k| {
            let s = program.session(classes[k].sessions[0]);
            ineligibility(client, s).is_none() && fits(classes[k].interval)
        })
        .collect();
    let appointments = appointments::offered(program, client, rotation, &class_ids, classes);
    prune_hopeless_days(
        program,
        client,
        classes,
        ClientOptions {
            classes: class_ids,
            appointments,
        },
    )
}

/// Drops every item on a day where even all of the client's options together
/// cannot reach `min_daily_hours`: such a day can never be a program day.
fn prune_hopeless_days(
    program: &Program,
    client: &Client,
    classes: &[GroupClass],
    mut options: ClientOptions,
) -> ClientOptions {
    let level = program.level_of(client);
    let hopeless: Vec<bool> = Day::all()
        .map(|d| {
            day_upper_bound(program, client, classes, &options, d, &[]) < level.min_daily_minutes
        })
        .collect();
    options
        .classes
        .retain(|&k| !hopeless[classes[k].interval.day().index()]);
    options
        .appointments
        .retain(|a| !hopeless[a.interval.day().index()]);
    options
}

/// An upper bound on the minutes a client can spend on day `day` without the
/// classes in `excluded`: the best disjoint set of groups plus every appointment
/// the level allows (ignoring overlaps, so the bound stays valid).
pub fn day_upper_bound(
    program: &Program,
    client: &Client,
    classes: &[GroupClass],
    options: &ClientOptions,
    day: Day,
    excluded: &[usize],
) -> u32 {
    let level = program.level_of(client);
    let groups: Vec<Interval> = options
        .classes
        .iter()
        .filter(|k| !excluded.contains(k))
        .map(|&k| classes[k].interval)
        .filter(|iv| iv.day() == day)
        .collect();
    let appointments: u32 = program
        .kind_list()
        .filter(|(k, _)| {
            options
                .appointments
                .iter()
                .any(|a| a.kind == *k && a.interval.day() == day)
        })
        .map(|(k, kind)| {
            let n = level.per_week(k);
            kind.minutes * kind.max_per_day.map_or(n, |most| n.min(most))
        })
        .sum();
    max_disjoint_minutes(&groups) + appointments
}

//! What each client could possibly attend, before any optimization.
//!
//! A client never gets a model variable for an item they cannot attend: sessions
//! they are not eligible for, that collide with a busy block (plus travel), or that
//! cannot run; appointments outside staff availability or on days where the client
//! cannot reach `min_daily_hours` at all. Identical parallel sessions are merged into
//! one [`GroupClass`] so a client chooses "Mon 18:00 process group", and the
//! optimizer decides separately how many of the parallel rooms run.

use crate::domain::{sites_match, Activity, Client, KindIx, Program, Session, Staff};
use crate::intervals::max_disjoint_minutes;
use crate::time::{Day, Interval, DAY_MINUTES};
use std::collections::BTreeMap;

/// Appointment start times are tried on this grid (minutes past midnight)...
pub const GRID_MINUTES: u32 = 30;

/// A client without a primary therapist (or any client, for physicians) is offered
/// appointments with at most this many staff members of the role, among those with
/// the most start times on days the client can attend groups.
pub const POOL_STAFF_PER_CLIENT: usize = 4;

/// Identical parallel sessions: same time, site, track and eligibility.
#[derive(Clone, Debug)]
pub struct GroupClass {
    /// Session indices, in catalog order.
    pub sessions: Vec<usize>,
    pub interval: Interval,
}

/// One possible appointment of a client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Appointment {
    pub kind: KindIx,
    pub staff: usize,
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
    pub facilitators: Vec<Vec<usize>>,
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
    pub facilitator: Option<usize>,
    /// Who may facilitate it ([`Candidates::facilitators`]).
    pub facilitators: &'a [usize],
}

impl Candidates {
    /// The key under which session `s` is interchangeable with others of its class.
    pub fn interchangeable(&self, program: &Program, s: usize) -> Interchangeable<'_> {
        let session = &program.sessions[s];
        Interchangeable {
            capacity: session.capacity,
            min_size: session.min_size,
            facilitator: session.facilitator,
            facilitators: &self.facilitators[s],
        }
    }

    pub fn build(program: &Program) -> Candidates {
        let facilitators: Vec<Vec<usize>> = program
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
        let options = &mut clients[pin.client];
        match pin.session {
            Some(s) => {
                if let Some(k) = classes.iter().position(|c| c.sessions.contains(&s)) {
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
        let client = &program.clients[item.client];
        let level = program.level_of(client);
        let kind = program.kind_at(kind_ix);
        let iv = item.interval;
        let allowed = level.per_week(kind_ix) > 0
            && iv.minutes() == kind.minutes
            && iv.minutes() <= level.max_daily_minutes
            && appointment_fits(program, client, kind, iv)
            && program.staff[staff].is_available(iv)
            && appointment_staff(program, client, kind_ix).contains(&staff);
        let options = &mut clients[item.client];
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
pub fn possible_facilitators(program: &Program, session: &Session) -> Vec<usize> {
    let able = |t: &Staff| t.role.is_therapist() && t.is_available(session.interval);
    match session.facilitator {
        Some(t) => {
            if able(&program.staff[t]) {
                vec![t]
            } else {
                vec![]
            }
        }
        None => (0..program.staff.len())
            .filter(|&t| {
                able(&program.staff[t]) && sites_match(&session.site, &program.staff[t].site)
            })
            .collect(),
    }
}

fn group_classes(program: &Program, facilitators: &[Vec<usize>]) -> Vec<GroupClass> {
    let mut by_key: BTreeMap<_, Vec<usize>> = BTreeMap::new();
    for (i, s) in program.sessions.iter().enumerate() {
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
            interval: program.sessions[sessions[0]].interval,
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
            let s = &program.sessions[classes[k].sessions[0]];
            ineligibility(client, s).is_none() && fits(classes[k].interval)
        })
        .collect();
    let mut appointments = Vec::new();
    for (kind_ix, kind) in program.kind_list() {
        if level.per_week(kind_ix) == 0 || kind.minutes > level.max_daily_minutes {
            continue;
        }
        let anchors = anchor_times(client, &class_ids, classes, kind.minutes);
        let mut per_staff: Vec<Vec<Appointment>> = appointment_staff(program, client, kind_ix)
            .into_iter()
            .map(|staff| {
                start_times(&program.staff[staff], kind.minutes, &anchors, window(kind))
                    .into_iter()
                    .filter_map(|start| Interval::starting_at(start, kind.minutes))
                    .filter(|&iv| appointment_fits(program, client, kind, iv))
                    .map(|interval| Appointment {
                        kind: kind_ix,
                        staff,
                        interval,
                    })
                    .collect()
            })
            .collect();
        if per_staff.len() > POOL_STAFF_PER_CLIENT {
            // A client without a named staff member could meet anyone of the role;
            // offering only the few whose time fits them best keeps large sites
            // tractable (documented in the README).
            let group_days: Vec<Day> = class_ids
                .iter()
                .map(|&k| classes[k].interval.day())
                .collect();
            let fit = |list: &Vec<Appointment>| {
                list.iter()
                    .filter(|a| group_days.contains(&a.interval.day()))
                    .count()
            };
            // Of those that fit at least half as well as the best, take a window
            // that rotates with the client, so clients spread over the staff
            // instead of all crowding the same few.
            let best = per_staff.iter().map(fit).max().unwrap_or(0);
            per_staff.retain(|list| !list.is_empty() && 2 * fit(list) >= best);
            let offset = rotation % per_staff.len().max(1);
            per_staff.rotate_left(offset);
            per_staff.truncate(POOL_STAFF_PER_CLIENT);
        }
        appointments.extend(per_staff.into_iter().flatten());
    }
    appointments.sort();
    appointments.dedup();
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

/// The staff a client may meet for appointments of kind `kind_ix`.
pub fn appointment_staff(program: &Program, client: &Client, kind_ix: KindIx) -> Vec<usize> {
    let kind = program.kind_at(kind_ix);
    if kind.with_primary_therapist {
        if let Some(t) = client.primary_therapist {
            return vec![t];
        }
    }
    (0..program.staff.len())
        .filter(|&t| {
            let s = &program.staff[t];
            s.role == kind.role && sites_match(&client.site, &s.site)
        })
        .collect()
}

/// Times that make an appointment fit snugly: right after or before each possible
/// group and around busy blocks (travel included), so a 30-minute grid does not
/// leave a client 10 minutes short of a fit.
fn anchor_times(
    client: &Client,
    class_ids: &[usize],
    classes: &[GroupClass],
    minutes: u32,
) -> Vec<u32> {
    let mut anchors = Vec::new();
    for &k in class_ids {
        let iv = classes[k].interval;
        anchors.push(iv.end());
        anchors.extend(iv.start().checked_sub(minutes));
    }
    for b in &client.busy {
        anchors.push(b.interval.end() + client.travel_minutes);
        anchors.extend(
            b.interval
                .start()
                .checked_sub(client.travel_minutes + minutes),
        );
    }
    anchors
}

/// The kind's daily window `[earliest, latest)`, `None` when it has none.
fn window(kind: &crate::domain::AppointmentKind) -> Option<(u32, u32)> {
    kind.has_window().then_some((kind.earliest, kind.latest))
}

/// Start times inside `staff`'s availability (cut to the kind's daily `window`):
/// the grid, each block's first and last possible start, and the anchors that fall
/// inside a block.
fn start_times(
    staff: &Staff,
    minutes: u32,
    anchors: &[u32],
    window: Option<(u32, u32)>,
) -> Vec<u32> {
    let mut starts = Vec::new();
    for &available in &staff.availability {
        let Some(block) = clip(available, window) else {
            continue;
        };
        if block.minutes() < minutes {
            continue;
        }
        let (first, last) = (block.start(), block.end() - minutes);
        starts.push(first);
        starts.push(last);
        let mut t = first.div_ceil(GRID_MINUTES) * GRID_MINUTES;
        while t <= last {
            starts.push(t);
            t += GRID_MINUTES;
        }
        starts.extend(
            anchors
                .iter()
                .copied()
                .filter(|a| (first..=last).contains(a)),
        );
    }
    starts.sort_unstable();
    starts.dedup();
    starts.retain(|s| s % DAY_MINUTES + minutes <= DAY_MINUTES);
    starts
}

/// The part of `block` inside the daily `window`, if any.
fn clip(block: Interval, window: Option<(u32, u32)>) -> Option<Interval> {
    let Some((earliest, latest)) = window else {
        return Some(block);
    };
    let start = block.start_of_day().max(earliest);
    let end = block.end_of_day().min(latest);
    Interval::on_day(block.day(), start, end)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{write_program, GenerateSpec};
    use crate::input::{load, LoadSettings};
    use std::path::Path;

    fn load_dir(dir: &Path) -> Program {
        let monday = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        load(dir, monday, &LoadSettings::default()).unwrap()
    }

    /// Drops the rows of `client` from a CSV file of the input folder.
    fn without(dir: &Path, file: &str, client: &str) {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let kept: Vec<&str> = text
            .lines()
            .filter(|l| !l.starts_with(&format!("{client},")))
            .collect();
        std::fs::write(dir.join(file), kept.join("\n") + "\n").unwrap();
    }

    /// A discharge must not change what anyone else may be offered: otherwise
    /// last week's appointments vanish from the options of clients listed below
    /// the one who left, and the re-solve moves them.
    #[test]
    fn a_clients_options_do_not_depend_on_who_else_is_listed() {
        let dir = tempfile::tempdir().unwrap();
        let spec = GenerateSpec {
            clients: 60,
            sites: 1,
            seed: 1,
            messy: false,
            kinds: true,
        };
        write_program(&spec, dir.path()).unwrap();
        let before = load_dir(dir.path());
        let gone = before.clients[0].id.0.clone();
        without(dir.path(), "clients.csv", &gone);
        without(dir.path(), "client_busy.csv", &gone);
        let after = load_dir(dir.path());
        let (a, b) = (Candidates::build(&before), Candidates::build(&after));
        let pooled = (0..before.clients.len())
            .filter(|&c| {
                let staff: std::collections::BTreeSet<usize> =
                    a.clients[c].appointments.iter().map(|x| x.staff).collect();
                staff.len() > 1
            })
            .count();
        assert!(pooled > 0, "some clients see a pool of staff");
        for c in 1..before.clients.len() {
            assert_eq!(
                a.clients[c].appointments,
                b.clients[c - 1].appointments,
                "{}",
                before.clients[c].id
            );
        }
    }
}

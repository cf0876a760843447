//! Which appointments a client is offered: start times in each staff member's
//! availability (a grid plus the times that fit snugly around groups and busy
//! blocks), with the staff the kind allows, cut to a small pool of staff for a
//! client who could meet anyone of the role.

use super::{appointment_fits, Appointment, GroupClass};
use crate::domain::{sites_match, AppointmentKind, Client, KindIx, Program, Staff, StaffIx};
use crate::time::{Day, Interval, DAY_MINUTES};

/// Appointment start times are tried on this grid (minutes past midnight)...
pub const GRID_MINUTES: u32 = 30;

/// A client without a primary therapist (or any client, for physicians) is offered
/// appointments with at most this many staff members of the role, among those with
/// the most start times on days the client can attend groups.
pub const POOL_STAFF_PER_CLIENT: usize = 4;
/// Every appointment offered to `client` (sorted, no duplicates), given the
/// classes they may attend (`class_ids`) and where their pool of staff starts
/// (`rotation`).
pub(super) fn offered(
    program: &Program,
    client: &Client,
    rotation: usize,
    class_ids: &[usize],
    classes: &[GroupClass],
) -> Vec<Appointment> {
    let level = program.level_of(client);
    let mut appointments = Vec::new();
    for (kind_ix, kind) in program.kind_list() {
        if level.per_week(kind_ix) == 0 || kind.minutes > level.max_daily_minutes {
            continue;
        }
        let anchors = anchor_times(client, class_ids, classes, kind.minutes);
        let mut per_staff: Vec<Vec<Appointment>> = appointment_staff(program, client, kind_ix)
            .into_iter()
            .map(|staff| {
                start_times(program.staff(staff), kind.minutes, &anchors, window(kind))
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
            pool(&mut per_staff, &group_days, rotation);
        }
        appointments.extend(per_staff.into_iter().flatten());
    }
    appointments.sort();
    appointments.dedup();
    appointments
}

/// Keeps the staff (their offered appointments each) whose times fall on the
/// client's group days at least half as often as the best one's, then a window
/// of [`POOL_STAFF_PER_CLIENT`] of them that rotates with the client, so clients
/// spread over the staff instead of all crowding the same few.
fn pool(per_staff: &mut Vec<Vec<Appointment>>, group_days: &[Day], rotation: usize) {
    let fit = |list: &Vec<Appointment>| {
        list.iter()
            .filter(|a| group_days.contains(&a.interval.day()))
            .count()
    };
    let best = per_staff.iter().map(fit).max().unwrap_or(0);
    per_staff.retain(|list| !list.is_empty() && 2 * fit(list) >= best);
    let offset = rotation % per_staff.len().max(1);
    per_staff.rotate_left(offset);
    per_staff.truncate(POOL_STAFF_PER_CLIENT);
}

/// The staff a client may meet for appointments of kind `kind_ix`.
pub fn appointment_staff(program: &Program, client: &Client, kind_ix: KindIx) -> Vec<StaffIx> {
    let kind = program.kind_at(kind_ix);
    if kind.with_primary_therapist {
        if let Some(t) = client.primary_therapist {
            return vec![t];
        }
    }
    program
        .staff_list()
        .filter(|(_, s)| s.role == kind.role && sites_match(&client.site, &s.site))
        .map(|(t, _)| t)
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
fn window(kind: &AppointmentKind) -> Option<(u32, u32)> {
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

//! The findings about staff time: therapists' caseloads, physicians' visits, and
//! primary therapists who are never free when their client is.

use super::{availability_text, busy_text, list, Finding, Kind};
use crate::candidates::busy_conflict;
use crate::domain::{sites_match, AppointmentKind, Client, Program, Role, Staff};
use crate::time::{hours, Interval};
use std::collections::BTreeMap;

/// Minutes a staff member can work this week: their availability, capped by
/// `max_weekly_hours`.
fn workable_minutes(staff: &Staff) -> u32 {
    let available: u32 = staff.availability.iter().map(|a| a.minutes()).sum();
    staff
        .max_weekly_minutes
        .map_or(available, |m| m.min(available))
}

/// A therapist whose primary clients' individual sessions need more minutes than they
/// have left after facilitating the catalog sessions that name them.
pub fn therapist_caseload(program: &Program) -> Vec<Finding> {
    let mut out = Vec::new();
    for (t, staff) in program.staff_list() {
        if !staff.role.is_therapist() {
            continue;
        }
        let clients: Vec<&Client> = program
            .clients
            .iter()
            .filter(|c| c.primary_therapist == Some(t))
            .collect();
        let demand: u32 = clients.iter().map(|c| primary_minutes(program, c)).sum();
        let sessions: Vec<_> = program
            .sessions
            .iter()
            .filter(|s| s.facilitator == Some(t) && staff.is_available(s.interval))
            .collect();
        let facilitating: u32 = sessions.iter().map(|s| s.interval.minutes()).sum();
        let left = workable_minutes(staff).saturating_sub(facilitating);
        if demand <= left {
            continue;
        }
        let mut rows = vec![
            format!("staff.csv: {}", staff.id),
            format!(
                "clients.csv: {} (primary_therapist {})",
                list(clients.iter().map(|c| c.id.to_string())),
                staff.id
            ),
        ];
        if !sessions.is_empty() {
            rows.push(format!(
                "sessions.csv: {} (facilitator {})",
                list(sessions.iter().map(|s| s.id.to_string())),
                staff.id
            ));
        }
        let cap = staff
            .max_weekly_minutes
            .map(|m| format!(", max_weekly_hours {}", hours(m)))
            .unwrap_or_default();
        out.push(Finding {
            kind: Kind::TherapistCaseload,
            rows,
            message: format!(
                "{} client(s) with primary therapist {} need {} h of {}, \
                 but {} has {} h left: {} h available{cap}, minus {} h facilitating {} session(s)",
                clients.len(),
                staff.id,
                hours(demand),
                primary_work(program),
                staff.id,
                hours(left),
                hours(workable_minutes(staff)),
                hours(facilitating),
                sessions.len()
            ),
            fix: format!(
                "give some of these clients another primary therapist, add availability or \
                 raise max_weekly_hours for {}, or let another therapist facilitate some of \
                 their sessions",
                staff.id
            ),
        });
    }
    out
}

/// " between 17:00 and 21:00" for a kind with a window, else nothing.
fn window_text(kind: &AppointmentKind) -> String {
    if kind.has_window() {
        format!(
            " between {} and {}",
            crate::time::hhmm(kind.earliest),
            crate::time::hhmm(kind.latest)
        )
    } else {
        String::new()
    }
}

/// "individual sessions" (the built-in kinds), or the kinds of appointments.csv held
/// with the primary therapist: "individual, family sessions".
fn primary_work(program: &Program) -> String {
    let names: Vec<&str> = program
        .kinds
        .iter()
        .filter(|k| k.with_primary_therapist)
        .map(|k| k.name.as_str())
        .collect();
    if names == [Program::INDIVIDUAL] {
        "individual sessions".to_string()
    } else {
        format!("{} sessions", names.join(", "))
    }
}

/// Minutes of appointments a client must have with their primary therapist.
fn primary_minutes(program: &Program, client: &Client) -> u32 {
    appointment_minutes(program, client, |k| k.with_primary_therapist)
}

/// Minutes of the appointment kinds `which` that a client's level asks for.
fn appointment_minutes(
    program: &Program,
    client: &Client,
    which: impl Fn(&AppointmentKind) -> bool,
) -> u32 {
    let level = program.level_of(client);
    program
        .kinds
        .iter()
        .zip(&level.appointments_per_week)
        .filter(|(k, _)| which(k))
        .map(|(k, &n)| k.minutes * n)
        .sum()
}

/// Appointments needed versus the time of the staff who give them, for every role
/// but therapists (whose caseload is [`therapist_caseload`]): physicians, nurses...
pub fn role_demand(program: &Program) -> Vec<Finding> {
    let mut roles: Vec<&Role> = program
        .kinds
        .iter()
        .map(|k| &k.role)
        .filter(|r| !r.is_therapist())
        .collect();
    roles.sort();
    roles.dedup();
    roles
        .into_iter()
        .flat_map(|role| demand_of(program, role))
        .collect()
}

/// Appointments of `role` needed versus that role's time. Such staff serve clients of
/// a matching site, so clients are grouped by the set of staff who may see them, and
/// each group's demand is compared with what that set can give.
fn demand_of(program: &Program, role: &Role) -> Vec<Finding> {
    let physician = role.as_str() == Program::PHYSICIAN;
    let (kind, what) = if physician {
        (Kind::PhysicianDemand, "physician visits".to_string())
    } else {
        (Kind::RoleDemand, format!("{role} appointments"))
    };
    let counts = list(
        program
            .kinds
            .iter()
            .filter(|k| &k.role == role)
            .map(|k| format!("{}_per_week", k.name)),
    );
    let visit_minutes = |c: &Client| appointment_minutes(program, c, |k| &k.role == role);
    let by_set = by_staff_set(program, role, |c| visit_minutes(c) > 0);
    let mut out = Vec::new();
    for set in by_set.keys() {
        // Everyone whose physicians are all in `set` competes for `set`'s time.
        let clients: Vec<&Client> = by_set
            .iter()
            .filter(|(other, _)| other.iter().all(|p| set.contains(p)))
            .flat_map(|(_, cs)| cs.iter().copied())
            .collect();
        let demand: u32 = clients.iter().map(|c| visit_minutes(c)).sum();
        let supply: u32 = set
            .iter()
            .map(|&p| workable_minutes(&program.staff[p]))
            .sum();
        if demand <= supply {
            continue;
        }
        let names = list(set.iter().map(|&p| program.staff[p].id.to_string()));
        let message = if set.is_empty() {
            format!(
                "{} client(s) need {what} but no {role} serves their site",
                clients.len()
            )
        } else {
            format!(
                "{} client(s) need {} h of {what}, but {role}(s) {names} can \
                 work {} h this week (availability, capped by max_weekly_hours)",
                clients.len(),
                hours(demand),
                hours(supply)
            )
        };
        out.push(Finding {
            kind,
            rows: vec![
                format!(
                    "staff.csv: {}",
                    if set.is_empty() {
                        format!("no {role}")
                    } else {
                        names
                    }
                ),
                format!(
                    "clients.csv: {}",
                    list(clients.iter().map(|c| c.id.to_string()))
                ),
            ],
            message,
            fix: format!(
                "add {role} availability (or a {role} for that site), raise \
                 max_weekly_hours, or lower {counts} in levels.csv"
            ),
        });
    }
    out
}

/// The clients who `need` appointments of `role`, grouped by the set of staff of
/// that role who serve their site.
fn by_staff_set<'p>(
    program: &'p Program,
    role: &Role,
    need: impl Fn(&Client) -> bool,
) -> BTreeMap<Vec<usize>, Vec<&'p Client>> {
    let of_role: Vec<usize> = (0..program.staff.len())
        .filter(|&p| &program.staff[p].role == role)
        .collect();
    let mut by_set: BTreeMap<Vec<usize>, Vec<&Client>> = BTreeMap::new();
    for c in program.clients.iter().filter(|c| need(c)) {
        let set = of_role
            .iter()
            .copied()
            .filter(|&p| sites_match(&c.site, &program.staff[p].site))
            .collect();
        by_set.entry(set).or_default().push(c);
    }
    by_set
}

/// True when an appointment of `kind` fits somewhere in `staff`'s availability,
/// inside the kind's window and outside the client's busy blocks (plus travel).
fn fits_somewhere(client: &Client, staff: &Staff, kind: &AppointmentKind) -> bool {
    let minutes = kind.minutes;
    staff.availability.iter().any(|block| {
        let day_start = block.start() - block.start_of_day();
        let mut start = block.start().max(day_start + kind.earliest);
        let end = block.end().min(day_start + kind.latest);
        while start + minutes <= end {
            let Some(iv) = Interval::starting_at(start, minutes) else {
                return false;
            };
            match busy_conflict(client, iv) {
                None => return true,
                // Jump past the blocking commitment and its travel.
                Some(b) => start = client.busy[b].interval.end() + client.travel_minutes,
            }
        }
        false
    })
}

/// A client whose primary therapist is never available when the client is free.
pub fn therapist_never_fits(program: &Program) -> Vec<Finding> {
    let mut out = Vec::new();
    for c in &program.clients {
        let Some(t) = c.primary_therapist else {
            continue;
        };
        let level = program.level_of(c);
        for (k, kind) in program.kind_list() {
            if !kind.with_primary_therapist || level.per_week(k) == 0 {
                continue;
            }
            let staff = program.staff(t);
            if fits_somewhere(c, staff, kind) {
                continue;
            }
            let others: Vec<String> = program
                .staff
                .iter()
                .filter(|s| {
                    s.role.is_therapist()
                        && s.id != staff.id
                        && sites_match(&c.site, &s.site)
                        && fits_somewhere(c, s, kind)
                })
                .map(|s| s.id.to_string())
                .collect();
            let suggestion = if others.is_empty() {
                String::new()
            } else {
                format!(" (e.g. {})", list(others))
            };
            out.push(Finding {
                kind: Kind::TherapistNeverFits,
                rows: vec![
                    format!("clients.csv: {} (primary_therapist {})", c.id, staff.id),
                    format!(
                        "staff_availability.csv: {} ({})",
                        staff.id,
                        availability_text(staff)
                    ),
                    format!("client_busy.csv: {} ({})", c.id, busy_text(c)),
                ],
                message: format!(
                    "no {}-minute {} with {} fits: whenever {} works{}, {} is busy \
                     (travel {} min included)",
                    kind.minutes,
                    kind.name,
                    staff.id,
                    staff.id,
                    window_text(kind),
                    c.id,
                    c.travel_minutes
                ),
                fix: format!(
                    "give {} a primary therapist who works when they are free{suggestion}, \
                     or add hours for {} outside {}'s commitments",
                    c.id, staff.id, c.id
                ),
            });
        }
    }
    out
}

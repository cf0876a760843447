//! Options that move published clients. When no option around the published
//! roster meets a new client's level, the published clients who hold the most of
//! what the new client could use (seats in their possible groups, time of the
//! staff they could see) are re-planned together with them. Keeping those weeks
//! comes right after every client's hours, as in a week-over-week solve, so a
//! published client moves only when that lets more clients meet their level or
//! miss fewer hours; the clients whose week changes are counted.

use super::fixed::Row;
use super::plan::plan;
use super::{placement, row_of_entry, PlaceError, PlaceOptions, Placement};
use crate::candidates::Candidates;
use crate::domain::{ClientIx, Program, SessionIx};
use crate::model::AloneBound;

/// Published clients opened up to move at most: a neighbourhood small enough to
/// solve while the client is on the phone.
const NEIGHBOURS: usize = 12;

/// The best option for new client `c` that moves published clients, when it meets
/// the level. `program.previous` holds the published roster; `held` holds every
/// other client's rows.
pub(super) fn with_moves(
    program: &Program,
    cands: &Candidates,
    bounds: &[AloneBound],
    held: &[Row],
    c: ClientIx,
    opts: &PlaceOptions,
) -> Result<Option<Placement>, PlaceError> {
    let neighbours = neighbours(program, cands, held, c);
    if neighbours.is_empty() {
        return Ok(None);
    }
    let mut clients = neighbours.clone();
    clients.push(c);
    clients.sort_unstable();
    let roster = plan(program, cands, bounds, held, &clients, &opts.solver)?;
    let now: Vec<Row> = roster.entries.iter().map(row_of_entry).collect();
    let moved = neighbours
        .iter()
        .filter(|&&n| week(held, n) != week(&now, n))
        .count();
    let option = placement(program, cands, bounds, &roster, c, moved);
    Ok(option.meets_level().then_some(option))
}

/// Up to [`NEIGHBOURS`] published clients, those with the most rows in a group
/// `c` could attend or with a staff member `c` could see first (ties by id).
fn neighbours(program: &Program, cands: &Candidates, held: &[Row], c: ClientIx) -> Vec<ClientIx> {
    let mine = cands.options(c);
    let sessions: Vec<SessionIx> = mine
        .classes
        .iter()
        .flat_map(|&k| cands.classes[k].sessions.iter().copied())
        .collect();
    let mut published = vec![false; program.clients.len()];
    for item in &program.previous {
        published[item.client.0] = true;
    }
    let mut score = vec![0usize; program.clients.len()];
    for row in held.iter().filter(|r| published[r.client.0]) {
        let competes = match row.session {
            Some(s) => sessions.contains(&s),
            None => mine.appointments.iter().any(|a| Some(a.staff) == row.staff),
        };
        if competes {
            score[row.client.0] += 1;
        }
    }
    let mut ranked: Vec<usize> = (0..program.clients.len())
        .filter(|&p| score[p] > 0)
        .collect();
    ranked.sort_by(|&a, &b| {
        let id = |p: usize| &program.clients[p].id;
        score[b].cmp(&score[a]).then_with(|| id(a).cmp(id(b)))
    });
    ranked.truncate(NEIGHBOURS);
    ranked.into_iter().map(ClientIx).collect()
}

/// Client `c`'s rows in a set of rows, in a fixed order.
fn week(rows: &[Row], c: ClientIx) -> Vec<&Row> {
    let mut mine: Vec<&Row> = rows.iter().filter(|r| r.client == c).collect();
    mine.sort_by_key(|r| (r.interval, r.activity, r.session, r.staff));
    mine
}

//! The constructive start: clients planned one at a time, most constrained first,
//! each exactly (a tiny model of that client) against the seats and staff time that
//! earlier clients left; then groups that stayed below min_size are repaired.
//!
//! With a previous roster the same pass repairs last week's roster: a returning
//! client's tiny model ranks keeping their week right after their own hours, so
//! everyone keeps what still fits and new clients are planned into what is left.

use super::part::{self, Whole};
use super::Budget;
use crate::model::{AloneBound, Model};
use crate::solve::{self, SolveError, SolverSettings};

/// Opening a session costs this much in a client's tiny model (a preference), so a
/// client joins a running group before opening another.
const OPEN_PENALTY: f64 = 1.0;

/// Longest a single client's tiny model may take.
const CLIENT_SECONDS: f64 = 5.0;

/// Clients added to a repair besides the members of the group that is too small:
/// those who could join it.
const REPAIR_JOINERS: usize = 8;

/// The order clients are planned in: pinned first (their pins must hold), then
/// those who can meet their level, returning clients before new ones, fewest
/// group options first.
pub fn order(model: &Model, bounds: &[AloneBound]) -> Vec<usize> {
    let program = model.program();
    let cands = model.cands();
    let pinned = part::pinned(program);
    let returning = part::returning(program);
    let mut order: Vec<usize> = (0..program.clients.len()).collect();
    order.sort_by_key(|&c| {
        (
            !pinned[c],
            !bounds[c].can_meet,
            !returning[c],
            cands.clients[c].classes.len(),
            c,
        )
    });
    order
}

/// Plans every client of `order` one at a time into `whole` (which starts empty or
/// holds a roster to keep), then repairs groups below min_size. Stops planning when
/// the budget runs out; the result obeys every hard rule.
pub fn construct(
    whole: &mut Whole,
    bounds: &[AloneBound],
    order: &[usize],
    budget: &Budget,
    settings: &SolverSettings,
) -> Result<(), SolveError> {
    let classes = whole.model.cands().classes.len();
    let mut forbidden = vec![false; classes];
    let returning = part::returning(whole.model.program());
    if keep_whole_previous(whole) {
        // Everyone keeps last week; new clients join groups that run (opening a
        // group takes several clients: that is for the neighbourhood search).
        let hard = vec![false; classes];
        for &c in order.iter().filter(|&&c| !returning[c]) {
            if budget.left() < 0.05 {
                break;
            }
            replan(whole, bounds, &[c], &forbidden, &hard, budget, settings)?;
        }
        return Ok(());
    }
    let relaxed = vec![true; classes];
    let pinned = part::pinned(whole.model.program());
    // Everyone whose week still fits keeps it before anyone is re-planned: a
    // client re-planned first could take the slot a later client kept last week,
    // and that client's move would take another's (a therapist out for a day
    // moved most of a 120-client site that way). Pinned clients go first.
    let mut later = Vec::new();
    for &c in order {
        if returning[c] && keep_previous(whole, bounds, c, &forbidden, &relaxed) {
            continue;
        }
        if pinned[c] && budget.left() >= 0.05 {
            replan(whole, bounds, &[c], &forbidden, &relaxed, budget, settings)?;
        } else {
            later.push(c);
        }
    }
    for &c in &later {
        if budget.left() < 0.05 {
            break;
        }
        replan(whole, bounds, &[c], &forbidden, &relaxed, budget, settings)?;
    }
    repair_min_size(whole, bounds, &mut forbidden, budget, settings)
}

/// Starts from last week's roster as a whole when it obeys every rule this week.
fn keep_whole_previous(whole: &mut Whole) -> bool {
    let model = whole.model;
    if model.program().previous.is_empty() {
        return false;
    }
    let values = model.start_values(&model.previous_choice());
    if !model.satisfied(&values) {
        return false;
    }
    whole.values = values;
    true
}

/// Gives client `c` last week's roster as it is, when it still obeys every rule
/// around the clients planned so far (no solve needed). A client who stays short
/// this way is for the neighbourhood search to help: moving them now could leave
/// the groups they share below min_size.
fn keep_previous(
    whole: &mut Whole,
    bounds: &[AloneBound],
    c: usize,
    forbidden: &[bool],
    relaxed: &[bool],
) -> bool {
    let program = whole.model.program();
    let inside = part::marked(program.clients.len(), &[c]);
    let mut fixed = whole.fixed_for(&inside, forbidden);
    fixed.relaxed = relaxed.to_vec();
    let part = Model::part(program, whole.model.cands(), bounds, &[c], Some(fixed));
    let mut chosen = whole.choices_in(&part);
    chosen.extend(part.previous_choice());
    let values = part.start_values(&chosen);
    if !part.satisfied(&values) {
        return false;
    }
    whole.values = whole.with_part(&part, &values);
    true
}

/// Re-plans the clients `clients` against everyone else, in one tiny model.
fn replan(
    whole: &mut Whole,
    bounds: &[AloneBound],
    clients: &[usize],
    forbidden: &[bool],
    relaxed: &[bool],
    budget: &Budget,
    settings: &SolverSettings,
) -> Result<bool, SolveError> {
    let program = whole.model.program();
    let cands = whole.model.cands();
    let inside = part::marked(program.clients.len(), clients);
    let mut fixed = whole.fixed_for(&inside, forbidden);
    fixed.relaxed = relaxed.to_vec();
    fixed.open_penalty = OPEN_PENALTY;
    let part = Model::part(program, cands, bounds, clients, Some(fixed));
    let start = whole.start_of(&part);
    let seconds = budget.left().min(CLIENT_SECONDS);
    let values = solve::weighted(&part, &start, seconds, &settings.muted())?;
    if !part.satisfied(&values) {
        return Ok(false);
    }
    whole.values = whole.with_part(&part, &values);
    Ok(true)
}

/// Groups planned one client at a time may stay below min_size. Each such class is
/// re-planned with its members and a few clients who could join it, min_size hard
/// for it (relaxed only for the other classes still too small); a class that still
/// cannot fill is cancelled for the start and its members re-planned elsewhere.
fn repair_min_size(
    whole: &mut Whole,
    bounds: &[AloneBound],
    forbidden: &mut [bool],
    budget: &Budget,
    settings: &SolverSettings,
) -> Result<(), SolveError> {
    let classes = forbidden.len();
    let mut attempts = vec![0u32; classes];
    loop {
        let small = whole.small_classes();
        let Some(&k) = small
            .iter()
            .min_by_key(|&&k| (attempts[k], whole.members(k).len(), k))
        else {
            return Ok(());
        };
        let members = whole.members(k);
        if members.is_empty() {
            whole.close_class(k);
            continue;
        }
        let mut relaxed = vec![false; classes];
        for &other in small.iter().filter(|&&o| o != k) {
            relaxed[other] = true;
        }
        attempts[k] += 1;
        if attempts[k] == 1 && budget.left() > 0.05 {
            let mut part = members.clone();
            part.extend(whole.joiners(k, REPAIR_JOINERS));
            part.sort_unstable();
            if replan(whole, bounds, &part, forbidden, &relaxed, budget, settings)?
                && !whole.small_classes().contains(&k)
            {
                continue;
            }
        }
        // Cancel the class for the start: its members go elsewhere or short.
        forbidden[k] = true;
        let replanned = budget.left() > 0.05
            && replan(
                whole, bounds, &members, forbidden, &relaxed, budget, settings,
            )?;
        if !replanned {
            whole.drop_clients(&members);
        }
        whole.close_class(k);
    }
}

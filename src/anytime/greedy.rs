//! The constructive start: clients planned one at a time, most constrained first,
//! each exactly (a tiny model of that client) against the seats and staff time that
//! earlier clients left; then groups that stayed below min_size are repaired.
//!
//! With a previous roster the same pass repairs last week's roster: a returning
//! client's tiny model ranks keeping their week right after their own hours, so
//! everyone keeps what still fits and new clients are planned into what is left.

use super::part::{self, Whole};
use super::scarcity::Demand;
use super::Budget;
use crate::domain::ClientIx;
use crate::heuristic;
use crate::model::{AloneBound, Fixed, Model};
use crate::solve::{self, SolveError, SolverSettings};
use crate::time::{merge_touching, Interval};
use good_lp::Variable;
use std::time::Instant;

/// Opening a session costs this much in a client's tiny model (a preference), so a
/// client joins a running group before opening another.
const OPEN_PENALTY: f64 = 1.0;

/// The same cost when planning is hurried and it ranks above the preferences.
const HURRIED_OPEN_PENALTY: f64 = 0.1;

/// Hurried planning starts when the pace of the last few clients would need more
/// than this share of the time left.
const PACE_SHARE: f64 = 0.8;

/// The clients whose planning time sets the pace: the first clients (fewest
/// options) plan several times faster than the rest, so an average over all
/// would notice too late.
const PACE_WINDOW: usize = 8;

/// Seconds that giving a client their rule-based week takes at most (building
/// their tiny model and checking it: measured 4-5 ms on a 300-client site),
/// kept for each client left to plan.
const KEEP_SECONDS: f64 = 0.01;

/// Longest a single client's tiny model may take.
const CLIENT_SECONDS: f64 = 5.0;

/// Longest the re-plan of a group below min_size (its members and a few who could
/// join) may take. Its first roster is what counts: with last week's roster these
/// parts weigh keeping each week too, and proving that took up to 4 s a class on
/// an independent generator's scarce site, the start's whole budget at 10 s.
const REPAIR_SECONDS: f64 = 1.0;

/// Seconds kept, while planning, for each group still below min_size: a repair
/// tries to fill the group, then cancels it and re-plans its members, each a
/// tiny model of 0.05-0.1 s. A split site at 4 s left its 30 one-client groups
/// no time (57 met before the repairs, 40 after: each cancelled group's member
/// lost the week); with 0.1 s kept, a 120-client split site at 5 s still ran
/// out during its repairs (103 met before them, 97 after). With 0.2 s, on
/// independent generators' sites at 4-5 s: 98 to 104 met there, 107-110 to
/// 119 on a night-heavy one, and 533 to 546 over ten 60-client sites.
const REPAIR_RESERVE_SECONDS: f64 = 0.2;

/// Seconds each member of a cancelled class gets to be re-planned elsewhere
/// when the fair share of the time left is too small for a tiny model (which
/// takes 20-70 ms): without, a member whose week no longer fits loses it.
/// Given always, it took the time the repairs after it needed (a split site
/// with last week: 106 met, then 89).
const MEMBER_SECONDS: f64 = 0.1;

/// Clients added to a repair besides the members of the group that is too small:
/// those who could join it.
const REPAIR_JOINERS: usize = 8;

/// The order clients are planned in: pinned first (their pins must hold), then
/// those who can meet their level, returning clients before new ones, fewest
/// choices first.
pub fn order(model: &Model, bounds: &[AloneBound]) -> Vec<ClientIx> {
    let program = model.program();
    let pinned = part::pinned(program);
    let returning = part::returning(program);
    let mut order: Vec<ClientIx> = program.client_ixs().collect();
    order.sort_by_cached_key(|&c| {
        (
            !pinned[c.0],
            !bounds[c.0].can_meet,
            !returning[c.0],
            choices(model, c),
            c,
        )
    });
    order
}

/// How much choice client `c` has where they have least: their group options,
/// or for an appointment kind they need, how many such appointments fit, one
/// after another, in the hours they could have one (with any staff member). A
/// client who can see a family therapist only on Saturday afternoon is planned
/// before the clients who could take that time but need not: ranked by group
/// options alone, an independent generator's site planned twelve such clients
/// in the second half, and its start left seven of them short.
fn choices(model: &Model, c: ClientIx) -> usize {
    let program = model.program();
    let options = model.cands().options(c);
    let level = program.level_of(program.client(c));
    let mut least = options.classes.len();
    for (k, kind) in program.kinds.iter().enumerate() {
        let need = level.appointments_per_week[k];
        if need == 0 || kind.minutes == 0 {
            continue;
        }
        let hours: Vec<Interval> = options
            .appointments
            .iter()
            .filter(|a| a.kind.0 == k)
            .map(|a| a.interval)
            .collect();
        let minutes: u32 = merge_touching(hours).iter().map(|h| h.minutes()).sum();
        least = least.min((minutes / (kind.minutes * need)) as usize);
    }
    least
}

/// Whether a second core is free right now for the start to plan a second
/// client on (none is when other parts or the LP bound beside the start use it).
pub type SecondCore<'s> = &'s (dyn Fn() -> bool + Sync);

/// How the start plans.
#[derive(Clone, Copy)]
pub struct How<'s> {
    pub last_week: LastWeek,
    pub second_core: SecondCore<'s>,
}

/// How the start treats last week's roster.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum LastWeek {
    /// Everyone whose week still fits keeps it before anyone is planned.
    Kept,
    /// Everyone is planned in order; each tiny model still prefers last week's
    /// items where they fit, after the client's own level and hours.
    Preferred,
}

/// Plans every client of `order` one at a time into `whole` (which starts empty or
/// holds a roster to keep), then repairs groups below min_size. Stops planning when
/// the budget runs out; the result obeys every hard rule.
pub fn construct<'a, 'p>(
    whole: &mut Whole<'a, 'p>,
    quick: &Whole<'a, 'p>,
    bounds: &[AloneBound],
    order: &[ClientIx],
    budget: &Budget,
    settings: &SolverSettings,
    how: How,
) -> Result<(), SolveError> {
    let How {
        last_week,
        second_core,
    } = how;
    let classes = whole.model.cands().classes.len();
    let mut returning = part::returning(whole.model.program());
    if last_week == LastWeek::Preferred {
        returning.fill(false);
    }
    let mut planner = Planner::new(whole, quick, bounds, budget, settings, second_core);
    if last_week == LastWeek::Kept && keep_whole_previous(planner.whole) {
        // Everyone keeps last week; new clients join groups that run (opening a
        // group takes several clients: that is for the neighbourhood search).
        let hard = vec![false; classes];
        for &c in order.iter().filter(|&&c| !returning[c.0]) {
            if budget.left() < 0.05 {
                break;
            }
            planner.replan(&[c], &hard)?;
        }
        return planner.replan_short(order, &returning);
    }
    let relaxed = vec![true; classes];
    let pinned = part::pinned(planner.whole.model.program());
    // Everyone whose week still fits keeps it before anyone is re-planned: a
    // client re-planned first could take the slot a later client kept last week,
    // and that client's move would take another's (a therapist out for a day
    // moved most of a 120-client site that way). Pinned clients go first.
    let mut later = Vec::new();
    for &c in order {
        if returning[c.0] && planner.keep_previous(c, &relaxed) {
            continue;
        }
        if pinned[c.0] && budget.left() >= 0.05 {
            planner.replan(&[c], &relaxed)?;
        } else {
            later.push(c);
        }
    }
    planner.plan_in_order(&later, &relaxed)?;
    planner.replan_short(order, &returning)?;
    planner.repair_min_size()
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

/// The roster being built and what planning it needs.
struct Planner<'w, 'a, 'p> {
    whole: &'w mut Whole<'a, 'p>,
    bounds: &'w [AloneBound],
    budget: &'w Budget,
    settings: &'w SolverSettings,
    /// The rule-based roster: weeks for the clients there is no time to plan.
    quick: &'w Whole<'a, 'p>,
    /// Classes cancelled for the start by the min_size repair.
    forbidden: Vec<bool>,
    /// What the clients not planned yet are expected to need.
    demand: Demand,
    /// True once planning fell behind: tiny models then price only wasted staff
    /// time and leave preferences to the neighbourhood search (opening a session
    /// still costs a little, ranked with the shortfalls).
    hurried: bool,
    second_core: SecondCore<'w>,
}

impl<'w, 'a, 'p> Planner<'w, 'a, 'p> {
    /// A planner of `whole` with no class cancelled yet, not hurried.
    fn new(
        whole: &'w mut Whole<'a, 'p>,
        quick: &'w Whole<'a, 'p>,
        bounds: &'w [AloneBound],
        budget: &'w Budget,
        settings: &'w SolverSettings,
        second_core: SecondCore<'w>,
    ) -> Self {
        let classes = whole.model.cands().classes.len();
        let demand = Demand::of(whole.model);
        Planner {
            whole,
            bounds,
            budget,
            settings,
            quick,
            forbidden: vec![false; classes],
            demand,
            hurried: false,
            second_core,
        }
    }

    /// What the clients outside `clients` hold, for a part made of `clients`; their
    /// own need stops counting (they are being planned).
    fn fixed(&mut self, clients: &[ClientIx], relaxed: &[bool]) -> Fixed {
        let program = self.whole.model.program();
        let inside = part::marked(program.clients.len(), clients);
        let mut fixed = self.whole.fixed_for(&inside, &self.forbidden);
        fixed.relaxed = relaxed.to_vec();
        for &c in clients {
            self.demand.remove(self.whole.model, c);
        }
        if let [c] = clients {
            // Only a client planned alone has others still to leave room for.
            let demand = (!self.hurried).then_some(&self.demand);
            fixed.prices = Demand::prices(demand, self.whole.model, *c, &fixed);
        }
        fixed
    }

    /// The model of `clients` around what `fixed` holds.
    fn part(&self, clients: &[ClientIx], fixed: Fixed) -> Model<'p> {
        let model = self.whole.model;
        Model::part(
            model.program(),
            model.cands(),
            self.bounds,
            clients,
            Some(fixed),
        )
    }

    /// Gives client `c` last week's roster as it is, when it still obeys every rule
    /// around the clients planned so far (no solve needed). A client who stays short
    /// this way is for the neighbourhood search to help: moving them now could leave
    /// the groups they share below min_size.
    fn keep_previous(&mut self, c: ClientIx, relaxed: &[bool]) -> bool {
        self.keep(c, relaxed, |part, _| part.previous_choice())
    }

    /// Gives client `c` their week in the rule-based roster, when it obeys every
    /// rule around the clients planned so far (no solve needed).
    fn keep_quick(&mut self, c: ClientIx, relaxed: &[bool]) -> bool {
        let quick = self.quick;
        self.keep(c, relaxed, |part, planned| quick.week_in(part, c, planned))
    }

    /// Gives client `c` the items `week` names in their tiny model (given what
    /// the others hold there), when those obey every rule.
    fn keep(
        &mut self,
        c: ClientIx,
        relaxed: &[bool],
        week: impl FnOnce(&Model, &Whole) -> Vec<Variable>,
    ) -> bool {
        let fixed = self.fixed(&[c], relaxed);
        let part = self.part(&[c], fixed);
        let mut chosen = self.whole.choices_in(&part);
        chosen.extend(week(&part, self.whole));
        let values = part.start_values(&chosen);
        if !part.satisfied(&values) {
            return false;
        }
        self.whole.values = self.whole.with_part(&part, &values);
        true
    }

    /// Re-plans, one at a time, the returning clients who kept a week that leaves
    /// them short (unmet though they could meet their level, or more hours short
    /// than they must be): their tiny model ranks their own level and hours above
    /// keeping their week, so each moves only to gain, into what the others left.
    /// A hand-made last week full of short clients kept them short until the
    /// search got to them (an independent generator's 120-client site met 90
    /// with last week at 10 s, 115 without). Groups at min_size hold their members.
    fn replan_short(&mut self, order: &[ClientIx], returning: &[bool]) -> Result<(), SolveError> {
        for &c in order.iter().filter(|&&c| returning[c.0]) {
            if self.budget.left() < 0.05 {
                break;
            }
            if !self.is_short(c) {
                continue;
            }
            let mut relaxed = vec![false; self.forbidden.len()];
            for k in self.whole.small_classes() {
                relaxed[k] = true;
            }
            self.replan(&[c], &relaxed)?;
        }
        Ok(())
    }

    /// Whether client `c` is unmet though they could meet their level, or more
    /// minutes short than they must be alone.
    fn is_short(&self, c: ClientIx) -> bool {
        let model = self.whole.model;
        let Some(cv) = model.client(c) else {
            return false;
        };
        if cv.can_meet && model.value(&self.whole.values, cv.met) < 0.5 {
            return true;
        }
        let short = model.value(&self.whole.values, cv.short_minutes);
        short > self.bounds[c.0].min_short_minutes + 0.5
    }

    /// Re-plans the clients `clients` against everyone else, in one tiny model.
    fn replan(&mut self, clients: &[ClientIx], relaxed: &[bool]) -> Result<bool, SolveError> {
        self.replan_within(clients, relaxed, CLIENT_SECONDS)
    }

    /// [`Self::replan`] in at most `seconds`.
    fn replan_within(
        &mut self,
        clients: &[ClientIx],
        relaxed: &[bool],
        seconds: f64,
    ) -> Result<bool, SolveError> {
        let (part, start) = self.prepare(clients, relaxed);
        let values = self.solve(&part, &start, seconds)?;
        Ok(self.commit(&part, &values))
    }

    /// The tiny model of `clients` around the roster so far, and its start.
    fn prepare(&mut self, clients: &[ClientIx], relaxed: &[bool]) -> (Model<'p>, Vec<f64>) {
        let mut fixed = self.fixed(clients, relaxed);
        // Hurried, the penalty ranks with the shortfalls, where it must stay a
        // tie-break: below one unit of any of them for a class's few sessions.
        fixed.open_penalty = if self.hurried {
            HURRIED_OPEN_PENALTY
        } else {
            OPEN_PENALTY
        };
        fixed.open_above_preferences = self.hurried;
        let part = self.part(clients, fixed);
        let start = self.whole.start_of(&part);
        (part, start)
    }

    fn solve(&self, part: &Model, start: &[f64], seconds: f64) -> Result<Vec<f64>, SolveError> {
        let seconds = self.budget.left().min(seconds);
        solve::weighted(part, start, seconds, &self.tiny_settings(part))
    }

    /// The settings of a tiny model: muted, and hurried without the lowest
    /// priority (the preferences).
    fn tiny_settings(&self, part: &Model) -> SolverSettings {
        let mut settings = self.settings.muted();
        if self.hurried {
            let lowest = solve::stage_names(part).len() - 1;
            settings.priorities = settings.priorities.min(lowest);
        }
        settings
    }

    /// Plans `a` and `b` at once, on two cores, each against the roster so far.
    /// `a` is committed; `b`'s week is kept when it still fits around `a`'s,
    /// else `b` is handed back to be planned again (it wanted what `a` took).
    fn plan_pair(
        &mut self,
        a: ClientIx,
        b: ClientIx,
        relaxed: &[bool],
    ) -> Result<Option<ClientIx>, SolveError> {
        let (part_a, start_a) = self.prepare(&[a], relaxed);
        let (part_b, start_b) = self.prepare(&[b], relaxed);
        let (values_a, values_b) = rayon::join(
            || self.solve(&part_a, &start_a, CLIENT_SECONDS),
            || self.solve(&part_b, &start_b, CLIENT_SECONDS),
        );
        let (values_a, values_b) = (values_a?, values_b?);
        let model = self.whole.model;
        let planned_b = Whole {
            model,
            values: self.whole.with_part(&part_b, &values_b),
        };
        self.commit(&part_a, &values_a);
        let kept = part_b.satisfied(&values_b)
            && self.keep(b, relaxed, |part, planned| {
                planned_b.week_in(part, b, planned)
            });
        Ok((!kept).then_some(b))
    }

    /// Puts a part's solution into the roster, when it obeys every rule.
    fn commit(&mut self, part: &Model, values: &[f64]) -> bool {
        if !part.satisfied(values) {
            return false;
        }
        self.whole.values = self.whole.with_part(part, values);
        true
    }

    /// Plans `clients` one at a time, in order. When the pace of the last few
    /// would not plan them all within the budget, the rest are planned hurried:
    /// without the expected-need prices and the preferences, which make the tiny
    /// models about three times as slow (an independent generator's 120-client
    /// site with appointment kinds: 33 s to plan everyone, 11.7 s hurried).
    /// With a second core free, two clients are planned at once: the second
    /// against the roster without the first, kept when it still fits (about one
    /// pair in ten conflicts). On an independent generator's 120-client sites
    /// at 5 s: 93 met to 113 (mixed), 93 to 104 (split); a 300-client site
    /// with appointment kinds at 30 s: 205 to 229.
    fn plan_in_order(&mut self, clients: &[ClientIx], relaxed: &[bool]) -> Result<(), SolveError> {
        let mut took: Vec<f64> = Vec::with_capacity(clients.len());
        // Clients still to plan, in order (one handed back by a pair first).
        let mut waiting: std::collections::VecDeque<ClientIx> = clients.iter().copied().collect();
        while let Some(&first) = waiting.front() {
            let left = self.budget.left();
            if left < 0.05 + KEEP_SECONDS * waiting.len() as f64 {
                // Too little time to plan the rest: they get weeks by rule,
                // cheaply, and are left unplanned where none fits.
                let rest: Vec<ClientIx> = waiting.drain(..).collect();
                self.place_rest(&rest, relaxed);
                break;
            }
            let recent = &took[took.len().saturating_sub(PACE_WINDOW)..];
            let pace = recent.iter().sum::<f64>() / recent.len().max(1) as f64;
            let repairs = self.whole.small_classes().len() as f64 * REPAIR_RESERVE_SECONDS;
            if pace * waiting.len() as f64 > PACE_SHARE * (left - repairs) {
                self.hurried = true;
            }
            let began = Instant::now();
            waiting.pop_front();
            let second = if waiting.is_empty() || !(self.second_core)() {
                None
            } else {
                waiting.pop_front()
            };
            let mut planned = 1;
            match second {
                None => {
                    self.replan(&[first], relaxed)?;
                }
                Some(second) => match self.plan_pair(first, second, relaxed)? {
                    Some(again) => waiting.push_front(again),
                    None => planned = 2,
                },
            }
            let each = began.elapsed().as_secs_f64() / planned as f64;
            took.extend(std::iter::repeat_n(each, planned));
        }
        Ok(())
    }

    /// Gives the clients `rest`, for whom there is no time to plan, weeks placed
    /// by rule around the roster so far where those obey every rule, else their
    /// week in the rule-based roster where that does.
    fn place_rest(&mut self, rest: &[ClientIx], relaxed: &[bool]) {
        let model = self.whole.model;
        if rest.len() == model.clients.len() {
            // Nothing planned: the rule-based roster is that placement, in the
            // order its rules were made for (the start's order, scarcest
            // first, met one client fewer on a generated site with no time).
            for &c in rest {
                self.keep_quick(c, relaxed);
            }
            return;
        }
        let chosen = {
            let whole: &Whole = self.whole;
            heuristic::around(model, &|v| whole.on(v), rest)
        };
        let placed = Whole {
            model,
            values: model.start_values(&chosen),
        };
        for &c in rest {
            if !self.keep(c, relaxed, |part, planned| placed.week_in(part, c, planned)) {
                self.keep_quick(c, relaxed);
            }
        }
    }

    /// Groups planned one client at a time may stay below min_size. Each such class
    /// is re-planned with its members and a few clients who could join it, min_size
    /// hard for it (relaxed only for the other classes still too small); a class
    /// that still cannot fill is cancelled for the start and its members re-planned
    /// elsewhere.
    fn repair_min_size(&mut self) -> Result<(), SolveError> {
        let classes = self.forbidden.len();
        let mut attempts = vec![0u32; classes];
        loop {
            let small = self.whole.small_classes();
            let Some(&k) = small
                .iter()
                .min_by_key(|&&k| (attempts[k], self.whole.members(k).len(), k))
            else {
                return Ok(());
            };
            let members = self.whole.members(k);
            if members.is_empty() {
                self.whole.close_class(k);
                continue;
            }
            let mut relaxed = vec![false; classes];
            for &other in small.iter().filter(|&&o| o != k) {
                relaxed[other] = true;
            }
            attempts[k] += 1;
            // Each class still too small gets a fair share of the time left (a
            // class may need two re-plans): one slow repair used to leave the
            // rest none, and a class not repaired loses its members' groups
            // (a 300-client site's start fell from 173 met to 133 at 10 s).
            let share = self.budget.left() / (2 * small.len()) as f64;
            let seconds = share.min(REPAIR_SECONDS);
            // Hurried, a group with less than half its minimum is cancelled
            // without trying to fill it: those tries mostly found nothing and
            // took the time of the repairs after them (an independent split
            // site at 5 s spent 1 s of its 3 s of repairs on them).
            let hopeless = self.hurried && 2 * members.len() < self.whole.needed(k) as usize;
            if attempts[k] == 1 && seconds > 0.05 && !hopeless {
                let before = self.whole.values.clone();
                let met_before = self.met();
                let mut part = members.clone();
                part.extend(self.whole.joiners(k, REPAIR_JOINERS));
                part.sort_unstable();
                let ok = self.replan_within(&part, &relaxed, seconds)?;
                if ok && !self.whole.small_classes().contains(&k) {
                    if self.met() >= met_before {
                        continue;
                    }
                    // A re-plan cut short may fill the group at the cost of
                    // met clients (a split site's start lost 6 of 104 to one
                    // at 10 s): cancelling the class competes with it.
                    let (repaired, met) = (self.whole.values.clone(), self.met());
                    self.whole.values = before;
                    self.cancel_class(k, &members, &relaxed, seconds)?;
                    if self.met() < met {
                        self.whole.values = repaired;
                        self.forbidden[k] = false;
                    }
                    continue;
                }
            }
            self.cancel_class(k, &members, &relaxed, seconds)?;
        }
    }

    /// Clients met in the roster so far.
    fn met(&self) -> f64 {
        let model = self.whole.model;
        model.eval(&self.whole.values, &model.objectives.met)
    }

    /// Cancels class `k` for the start: its `members` keep the rest of their
    /// weeks, which start their re-plan elsewhere (within `seconds`). When
    /// that finds no roster in time, see [`Self::rehome`].
    fn cancel_class(
        &mut self,
        k: usize,
        members: &[ClientIx],
        relaxed: &[bool],
        seconds: f64,
    ) -> Result<(), SolveError> {
        self.forbidden[k] = true;
        self.whole.close_class(k);
        // With no fair share left (many groups still too small), each member
        // still gets the time a tiny model takes, while the budget lasts.
        let seconds = if seconds > 0.05 {
            seconds
        } else {
            MEMBER_SECONDS * members.len() as f64
        };
        let replanned =
            self.budget.left() > 0.05 && self.replan_within(members, relaxed, seconds)?;
        if !replanned {
            self.rehome(k, members, relaxed, MEMBER_SECONDS)?;
        }
        Ok(())
    }

    /// The `members` of cancelled class `k`, after their joint re-plan found
    /// nothing in time: each keeps the rest of their week where it obeys every
    /// rule; else, while the time left also holds the repairs of the groups
    /// still too small, is re-planned alone within `seconds`; else loses that
    /// day, or the week. A joint re-plan of a large group's members often finds
    /// nothing in its share, and its members then lost their days, which
    /// emptied other groups in turn: an independent generator's split site with
    /// last week met 81 after planning and 45 after the repairs at 5 s (now 75).
    fn rehome(
        &mut self,
        k: usize,
        members: &[ClientIx],
        relaxed: &[bool],
        seconds: f64,
    ) -> Result<(), SolveError> {
        let day = self.whole.model.cands().classes[k].interval.day();
        for &c in members {
            if self.keep(c, relaxed, |_, _| Vec::new()) {
                continue;
            }
            let reserved = REPAIR_RESERVE_SECONDS * self.whole.small_classes().len() as f64;
            // A lone member's joint re-plan was this one already.
            if members.len() > 1
                && seconds > 0.0
                && self.budget.left() - reserved > seconds
                && self.replan_within(&[c], relaxed, seconds)?
            {
                continue;
            }
            // The day without the group may break a daily rule (its minimum
            // hours): the client loses that day, not the week. Losing whole
            // weeks emptied other groups below their minimum in turn: a split
            // site's start fell from 102 met to 80 when time ran out during
            // its repairs.
            self.whole.drop_client_day(c, day);
            if !self.keep(c, relaxed, |_, _| Vec::new()) {
                self.whole.drop_clients(&[c]);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::anytime::tests::{generated, rule_based, settings};
    use crate::candidates::Candidates;

    /// Runs `test` on a generated one-site program's whole model (no bounds
    /// known), with its rule-based roster.
    fn on_generated(clients: usize, seed: u64, test: impl FnOnce(&Model, &[AloneBound], &Whole)) {
        let program = generated(clients, seed);
        let cands = Candidates::build(&program);
        let bounds = vec![AloneBound::UNKNOWN; program.clients.len()];
        let model = Model::whole(&program, &cands, &bounds);
        let quick = Whole {
            model: &model,
            values: rule_based(&model, &bounds),
        };
        test(&model, &bounds, &quick);
    }

    /// Hurried planning (no preferences, no expected-need prices, opening a
    /// session ranked with the shortfalls) still obeys every rule after the
    /// repair, and still beats placing clients by rules of thumb.
    #[test]
    fn a_hurried_start_obeys_every_rule_and_beats_the_rule_based_roster() {
        on_generated(60, 3, |model, bounds, quick| {
            let quick_met = model.eval(&quick.values, &model.objectives.met);
            let mut whole = Whole {
                model,
                values: model.start_values(&[]),
            };
            let (budget, quiet) = (Budget::seconds(60.0), settings(60.0));
            let mut planner = Planner::new(&mut whole, quick, bounds, &budget, &quiet, &|| false);
            planner.hurried = true;
            let relaxed = vec![true; model.cands().classes.len()];
            planner
                .plan_in_order(&order(model, bounds), &relaxed)
                .unwrap();
            planner.repair_min_size().unwrap();
            assert!(planner.hurried, "planning stays hurried once it is");
            assert!(model.satisfied(&whole.values));
            let met = model.eval(&whole.values, &model.objectives.met);
            assert!(met > quick_met, "{met} met, rule-based {quick_met}");
        });
    }

    /// Clients there is no time to plan get weeks by rule around the clients
    /// planned so far: every rule still holds, and more clients are met than
    /// with their weeks from the rule-based roster, which was made without the
    /// planned clients and mostly does not fit around them.
    #[test]
    fn clients_left_unplanned_get_weeks_around_the_planned_ones() {
        on_generated(60, 5, |model, bounds, quick| {
            let relaxed = vec![true; model.cands().classes.len()];
            let order = order(model, bounds);
            let (first, rest) = order.split_at(order.len() / 3);
            let (budget, quiet) = (Budget::seconds(60.0), settings(60.0));
            let finish = |around: bool| {
                let mut whole = Whole {
                    model,
                    values: model.start_values(&[]),
                };
                let mut planner =
                    Planner::new(&mut whole, quick, bounds, &budget, &quiet, &|| false);
                planner.plan_in_order(first, &relaxed).unwrap();
                if around {
                    planner.place_rest(rest, &relaxed);
                } else {
                    for &c in rest {
                        planner.keep_quick(c, &relaxed);
                    }
                }
                planner.repair_min_size().unwrap();
                assert!(model.satisfied(&whole.values));
                model.eval(&whole.values, &model.objectives.met)
            };
            let (around, kept) = (finish(true), finish(false));
            assert!(
                around > kept,
                "{around} met around the planned, {kept} with rule-based weeks"
            );
        });
    }

    /// A member of a cancelled group whose week no longer fits loses that
    /// day's items, not the week: the rest of the week still holds the seats
    /// that keep other groups at their minimum.
    #[test]
    fn a_dropped_day_keeps_the_rest_of_the_week() {
        on_generated(60, 3, |model, _, quick| {
            let days_of = |whole: &Whole, cv: &crate::model::ClientVars| {
                let on = |d| (model.items_on(cv, d).iter()).any(|&(_, x)| whole.on(x));
                crate::time::Day::all()
                    .filter(|&d| on(d))
                    .collect::<Vec<_>>()
            };
            let cv = (model.clients.iter())
                .find(|cv| days_of(quick, cv).len() >= 3)
                .expect("a client comes on three days");
            let before = days_of(quick, cv);
            let mut whole = Whole {
                model,
                values: quick.values.clone(),
            };
            whole.drop_client_day(cv.client, before[0]);
            assert_eq!(days_of(&whole, cv), before[1..].to_vec());
        });
    }

    /// A group cancelled by the repair whose members' joint re-plan found
    /// nothing: members whose week no longer fits are re-planned alone, which
    /// leaves them fewer minutes short than losing the group's day, and no
    /// other group below its minimum.
    #[test]
    fn members_of_a_cancelled_group_are_replanned_alone_before_losing_the_day() {
        on_generated(60, 3, |model, bounds, quick| {
            let (budget, quiet) = (Budget::seconds(60.0), settings(60.0));
            let classes = model.cands().classes.len();
            // A group at least two attend, without which a member's week
            // breaks a rule (a daily minimum).
            let k = (0..classes)
                .find(|&k| {
                    let mut without = Whole {
                        model,
                        values: quick.values.clone(),
                    };
                    without.close_class(k);
                    quick.members(k).len() >= 2 && !model.satisfied(&without.values)
                })
                .expect("a group whose members need it");
            let members = quick.members(k);
            let short_after = |seconds: f64| {
                let mut whole = Whole {
                    model,
                    values: quick.values.clone(),
                };
                let mut planner =
                    Planner::new(&mut whole, quick, bounds, &budget, &quiet, &|| false);
                planner.forbidden[k] = true;
                planner.whole.close_class(k);
                planner
                    .rehome(k, &members, &vec![false; classes], seconds)
                    .unwrap();
                let short = |c: ClientIx| {
                    let cv = model.client(c).expect("a member has variables");
                    model.value(&whole.values, cv.short_minutes)
                };
                let total = members.iter().map(|&c| short(c)).sum::<f64>();
                (total, model.satisfied(&whole.values))
            };
            let ((replanned, obeyed), (dropped, _)) = (short_after(5.0), short_after(0.0));
            assert!(
                replanned < dropped,
                "re-planned alone: {replanned} minutes short; days dropped: {dropped}"
            );
            // Dropping days emptied other groups below their minimum here.
            assert!(obeyed, "re-planned alone, the roster obeys every rule");
        });
    }
}

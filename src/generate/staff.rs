//! Generated therapists and physicians: their shifts, limits and caseloads.

use super::clients::Client;
use super::{Block, Rng, Span, WEEKDAYS};

/// Facilitation one therapist takes on in the catalog, leaving room for individuals.
const MAX_FACILITATION_MIN: u32 = 28 * 60;

pub(super) struct Staff {
    pub(super) id: String,
    pub(super) role: &'static str,
    pub(super) avail: Vec<Block>,
    pub(super) max_weekly: String,
    pub(super) max_individual: String,
    /// Sessions this therapist facilitates.
    pub(super) booked: Vec<Block>,
    pub(super) caseload: usize,
}

impl Staff {
    pub(super) fn new(rng: &mut Rng, id: String, role: &'static str, avail: Vec<Block>) -> Staff {
        let max_weekly = if rng.chance(0.85) {
            "40".into()
        } else {
            String::new()
        };
        let max_individual = match role == "therapist" && rng.chance(0.5) {
            true => rng.range(6, 8).to_string(),
            false => String::new(),
        };
        let (booked, caseload) = (Vec::new(), 0);
        Staff {
            id,
            role,
            avail,
            max_weekly,
            max_individual,
            booked,
            caseload,
        }
    }
    /// Therapists on the evening shift work past 17:00.
    pub(super) fn evening(&self) -> bool {
        self.avail.first().is_some_and(|b| b.end > 1700)
    }
    pub(super) fn can_facilitate(&self, blocks: &[Block]) -> bool {
        let load: u32 = self.booked.iter().chain(blocks).map(Block::minutes).sum();
        self.role == "therapist"
            && load <= MAX_FACILITATION_MIN
            && blocks
                .iter()
                .all(|b| self.avail.iter().any(|a| a.contains(b)))
            && !blocks
                .iter()
                .any(|b| self.booked.iter().any(|x| x.overlaps(b)))
    }
}

pub(super) fn gen_therapists(rng: &mut Rng, prefix: &str, clients: usize) -> Vec<Staff> {
    let total = ((clients + 5) / 10).max(3);
    let day_shift = total - ((total * 2 + 2) / 5).max(1);
    (0..total)
        .map(|i| {
            let evening = i >= day_shift;
            let spans: &[Span] = match evening {
                // Until 22:00, so night-track workers can have their individual
                // session right after the 18:00-21:00 group.
                true => &[(1300, 2200)],
                false if rng.chance(0.25) => &[(800, 1200), (1230, 1700)],
                false => &[(800, 1700)],
            };
            let mut avail: Vec<Block> = WEEKDAYS
                .iter()
                .flat_map(|&d| spans.iter().map(move |&s| Block::new(d, s)))
                .collect();
            if i == 0 {
                avail.push(Block::new(5, (900, 1400)));
            }
            Staff::new(rng, format!("{prefix}-T{:02}", i + 1), "therapist", avail)
        })
        .collect()
}

pub(super) fn gen_physicians(rng: &mut Rng, prefix: &str, clients: usize) -> Vec<Staff> {
    let total = ((clients + 20) / 40).max(1);
    (1..=total)
        .map(|i| {
            let evenings = rng.range(1, 2) as usize;
            let mut days = WEEKDAYS;
            rng.shuffle(&mut days);
            let mut avail: Vec<Block> = (0..5)
                .map(|k| match k < evenings {
                    true => Block::new(days[k], (1700, 2100)),
                    false => Block::new(days[k], rng.pick(&[(800, 1200), (1300, 1700)])),
                })
                .collect();
            avail.sort_by_key(|b| b.day);
            Staff::new(rng, format!("{prefix}-MD{i}"), "physician", avail)
        })
        .collect()
}

/// The therapist with the smallest caseload, on the `evening` shift when given.
fn least_loaded(staff: &[Staff], evening: Option<bool>) -> Option<usize> {
    (0..staff.len())
        .filter(|&i| staff[i].role == "therapist")
        .filter(|&i| evening.unwrap_or(staff[i].evening()) == staff[i].evening())
        .min_by_key(|&i| (staff[i].caseload, i))
}

pub(super) fn assign_primaries(rng: &mut Rng, clients: &mut [Client], staff: &mut [Staff]) {
    for client in clients.iter_mut().filter(|_| rng.chance(0.85)) {
        let wanted = match client.track {
            "night" => Some(true),
            "day" => Some(false),
            _ => None,
        };
        let (Some(best), Some(any)) = (least_loaded(staff, wanted), least_loaded(staff, None))
        else {
            continue;
        };
        // Match the shift unless that would unbalance the caseloads.
        let chosen = if staff[best].caseload > staff[any].caseload + 2 {
            any
        } else {
            best
        };
        staff[chosen].caseload += 1;
        client.therapist = staff[chosen].id.clone();
    }
}

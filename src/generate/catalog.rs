//! The generated session catalog: parallel track groups sized to the demand,
//! specialty groups, and their facilitators.

use super::clients::Client;
use super::staff::Staff;
use super::{Block, Rng, Span, WEEKDAYS};
use std::cmp::Reverse;

/// Single-session groups: code, name, day, time, eligibility (levels, gender, tags, stage).
#[rustfmt::skip]
const SPECIALTIES: [(&str, &str, usize, Span, [&str; 4]); 6] = [
    ("W", "Women's group", 1, (1800, 2100), ["IOP", "f", "", ""]),
    ("V", "Veterans group", 2, (1800, 2100), ["IOP", "", "veteran", ""]),
    ("T", "Trauma skills group", 3, (900, 1200), ["IOP;PHP", "", "trauma", ""]),
    ("E", "Early recovery group", 0, (900, 1200), ["IOP;PHP", "", "", "early"]),
    ("OM", "OP midday group", 2, (1200, 1330), ["OP", "", "", ""]),
    ("S", "Saturday group", 5, (1000, 1300), ["IOP;OP", "", "", ""]),
];

/// One group meeting at the same time on several days: one catalog session per day.
#[derive(Clone)]
pub(super) struct Series {
    pub(super) code: &'static str,
    pub(super) num: usize,
    pub(super) name: &'static str,
    pub(super) days: Vec<usize>,
    pub(super) span: Span,
    /// levels, gender, tags, stage
    pub(super) elig: [&'static str; 4],
    pub(super) capacity: u32,
    pub(super) min_size: u32,
    pub(super) facilitator: String,
}

impl Series {
    pub(super) fn new(
        code: &'static str,
        name: &'static str,
        days: &[usize],
        span: Span,
        elig: [&'static str; 4],
    ) -> Series {
        let days = days.to_vec();
        let (num, capacity, min_size, facilitator) = (1, 0, 0, String::new());
        Series {
            code,
            num,
            name,
            days,
            span,
            elig,
            capacity,
            min_size,
            facilitator,
        }
    }
    pub(super) fn blocks(&self) -> Vec<Block> {
        self.days
            .iter()
            .map(|&d| Block::new(d, self.span))
            .collect()
    }
}

/// code, name, days, time, levels, seats needed.
type TrackRow<'a> = (&'a str, &'a str, &'a [usize], Span, &'a str, u32);

pub(super) fn plan_catalog(rng: &mut Rng, clients: &[Client]) -> Vec<Series> {
    let count = |f: &dyn Fn(&Client) -> bool| clients.iter().filter(|c| f(c)).count() as u32;
    let night_iop = count(&|c| c.level == "IOP" && c.track == "night");
    let day_iop = count(&|c| c.level == "IOP") - night_iop;
    let php = count(&|c| c.level == "PHP");
    let op = count(&|c| c.level == "OP");
    let nights: &[usize] = if rng.chance(0.5) {
        &WEEKDAYS[..4]
    } else {
        &WEEKDAYS
    };
    // seats needed: IOP 3 days, PHP 5, OP 1
    #[rustfmt::skip]
    let tracks: [TrackRow; 4] = [
        ("D", "Day track group", &WEEKDAYS, (900, 1200), "IOP;PHP", 3 * day_iop + 5 * php),
        ("N", "Night track group", nights, (1800, 2100), "IOP", 3 * night_iop),
        ("P", "PHP afternoon group", &WEEKDAYS, (1300, 1530), "PHP", 5 * php),
        ("O", "OP evening group", &[1, 3], (1830, 2000), "OP", op),
    ];
    let mut out = Vec::new();
    for (code, name, days, span, levels, seats) in tracks {
        let template = Series::new(code, name, days, span, [levels, "", "", ""]);
        parallel(rng, &mut out, template, seats);
    }
    for (code, name, day, span, elig) in SPECIALTIES {
        let min_size = if rng.chance(0.7) { rng.range(3, 5) } else { 0 };
        let capacity = rng.range(8, 12);
        out.push(Series {
            capacity,
            min_size,
            ..Series::new(code, name, &[day], span, elig)
        });
    }
    out
}

/// Adds parallel copies of `template` until the seats exceed `seats_needed` by 15%.
fn parallel(rng: &mut Rng, out: &mut Vec<Series>, template: Series, seats_needed: u32) {
    let mut seats = 0;
    for num in 1.. {
        let capacity = rng.range(8, 14);
        let min_size = if rng.chance(0.4) { rng.range(3, 5) } else { 0 };
        seats += capacity * template.days.len() as u32;
        out.push(Series {
            num,
            capacity,
            min_size,
            ..template.clone()
        });
        if seats * 100 >= seats_needed * 115 {
            break;
        }
    }
}

/// Gives ~85% of the series one facilitator for all its sessions, the least-booked who
/// can. The Saturday group goes first (one therapist works Saturdays), then the longest
/// series, so the track cohorts are staffed before the specialty groups.
pub(super) fn assign_facilitators(rng: &mut Rng, catalog: &mut [Series], staff: &mut [Staff]) {
    let mut order: Vec<usize> = (0..catalog.len()).collect();
    order.sort_by_key(|&i| {
        (
            !catalog[i].days.contains(&5),
            Reverse(catalog[i].days.len()),
        )
    });
    for i in order.into_iter().filter(|_| rng.chance(0.85)) {
        let blocks = catalog[i].blocks();
        let load = |k: usize| staff[k].booked.iter().map(Block::minutes).sum::<u32>();
        let best = (0..staff.len())
            .filter(|&k| staff[k].can_facilitate(&blocks))
            .min_by_key(|&k| (load(k), k));
        if let Some(k) = best {
            staff[k].booked.extend(blocks);
            catalog[i].facilitator = staff[k].id.clone();
        }
    }
}

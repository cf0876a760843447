//! Generated clients: level, track, eligibility, travel, and the commitments
//! (jobs, school, childcare) that make them busy.

use super::{Block, Rng, Span, WEEKDAYS};

#[rustfmt::skip]
const DAY_JOBS: [Span; 6] = [(700, 1530), (800, 1630), (800, 1700), (830, 1700), (900, 1700), (900, 1730)];
const EVENING_SHIFTS: [Span; 3] = [(1400, 2200), (1500, 2300), (1600, 2300)];
const PART_TIME: [Span; 4] = [(900, 1400), (1000, 1500), (1200, 1700), (1700, 2200)];
const SCHOOL: [Span; 3] = [(800, 1200), (830, 1300), (900, 1230)];
const PICKUPS: [Span; 3] = [(1430, 1530), (1500, 1600), (1515, 1615)];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Commitment {
    None,
    DayJob,
    Evening,
    PartTime,
    Weekend,
    School,
    Childcare,
    TwoJobs,
}

pub(super) struct Client {
    pub(super) id: String,
    pub(super) level: &'static str,
    pub(super) track: &'static str,
    pub(super) therapist: String,
    pub(super) gender: &'static str,
    pub(super) tags: String,
    pub(super) stage: &'static str,
    pub(super) travel: u32,
    pub(super) busy: Vec<(Block, &'static str)>,
}

pub(super) fn gen_client(rng: &mut Rng, id: String) -> Client {
    let (level, job) = if rng.chance(0.06) {
        (rng.weighted(&[("IOP", 3), ("PHP", 1)]), Commitment::TwoJobs)
    } else {
        let level = rng.weighted(&[("IOP", 70), ("PHP", 15), ("OP", 15)]);
        (level, draw_commitment(rng, level))
    };
    let track = match job {
        _ if rng.chance(0.1) => "any",
        Commitment::DayJob | Commitment::School => "night",
        Commitment::Evening | Commitment::Childcare => "day",
        Commitment::None => rng.pick(&["day", "any"]),
        _ => "any",
    };
    let gender = rng.weighted(&[("f", 45), ("m", 50), ("x", 5)]);
    let tags: Vec<&str> = [("veteran", 0.10), ("trauma", 0.25), ("dual-dx", 0.20)]
        .into_iter()
        .filter(|t| rng.chance(t.1))
        .map(|t| t.0)
        .collect();
    let stage = if rng.chance(0.4) {
        "early"
    } else {
        "maintenance"
    };
    let travel = rng.range(0, 9) * 5;
    let busy = busy_for(rng, job);
    let (tags, therapist) = (tags.join(";"), String::new());
    Client {
        id,
        level,
        track,
        therapist,
        gender,
        tags,
        stage,
        travel,
        busy,
    }
}

fn draw_commitment(rng: &mut Rng, level: &str) -> Commitment {
    use Commitment::*;
    #[rustfmt::skip]
    let weights: &[(Commitment, u32)] = match level {
        "PHP" => &[(None, 55), (Childcare, 15), (PartTime, 10), (Weekend, 15), (School, 5)],
        _ => &[(None, 22), (DayJob, 28), (Evening, 11), (PartTime, 11), (Weekend, 8), (School, 9), (Childcare, 11)],
    };
    rng.weighted(weights)
}

fn busy_for(rng: &mut Rng, job: Commitment) -> Vec<(Block, &'static str)> {
    let mut shuffled = WEEKDAYS;
    rng.shuffle(&mut shuffled);
    let (days, spans, why): (&[usize], &[Span], _) = match job {
        Commitment::None => return Vec::new(),
        Commitment::DayJob => (&WEEKDAYS, &DAY_JOBS, "work"),
        Commitment::Evening => (&WEEKDAYS, &EVENING_SHIFTS, "work"),
        Commitment::PartTime => (&shuffled[..3], &PART_TIME, "work"),
        Commitment::Weekend => (&[5, 6], &[(800, 1800), (1000, 2000)], "work"),
        Commitment::School => (&WEEKDAYS, &SCHOOL, "school"),
        Commitment::Childcare => (&WEEKDAYS, &PICKUPS, "childcare"),
        Commitment::TwoJobs => (
            &shuffled[rng.range(1, 2) as usize..],
            &[(700, 2200)],
            "work (two jobs)",
        ),
    };
    let span = rng.pick(spans);
    let mut busy: Vec<_> = days.iter().map(|&d| (Block::new(d, span), why)).collect();
    match job {
        Commitment::Childcare if rng.chance(0.3) => {
            busy.extend(WEEKDAYS.map(|d| (Block::new(d, (730, 830)), why)));
        }
        Commitment::TwoJobs => busy.push((Block::new(5, (900, 2100)), why)),
        _ => {}
    }
    busy.sort_by_key(|(b, _)| (b.day, b.start));
    busy
}

//! Synthetic IOP programs for demos, benchmarks and tests (`iopsched generate`).
//!
//! Each site draws from its own SplitMix64 stream derived from the seed (the messy
//! spelling from another), so one [`GenerateSpec`] always gives byte-identical files,
//! and every file is valid input per the contract. The distributions, per site
//! (`docs/generator.md` has the full tables):
//!
//! - levels.csv holds the contract's IOP/PHP/OP defaults; clients are 70% IOP, 15% PHP,
//!   15% OP. About 6% hold two jobs (busy 07:00-22:00 on all but 1-2 weekdays and on
//!   Saturday) and are IOP or PHP, so they cannot meet their level whatever the roster.
//! - Everyone else has one commitment pattern (PHP clients mostly none): none, a Mon-Fri
//!   day job (07:00-09:00 to 15:30-17:30), an evening shift (14:00-22:00 .. 16:00-23:00),
//!   part-time (3 weekdays), weekend work, school mornings or a childcare pickup. Track
//!   follows it (day job, school -> night; evening shift, childcare -> day), 10% `any`.
//! - Gender 45% f / 50% m / 5% x; tags veteran 10%, trauma 25%, dual-dx 20%; stage
//!   early 40%, else maintenance; travel 0-45 minutes in steps of 5.
//! - Therapists: max(3, clients/10), ~40% on the evening shift (13:00-22:00 Mon-Fri), the
//!   rest days (08:00-17:00, a quarter with a 12:00-12:30 break); the first also works
//!   Sat 09:00-14:00. Physicians: max(1, clients/40), one half-day per weekday, 1-2 of them
//!   evenings. 85% of clients get the least-loaded therapist of the shift matching their track.
//! - Catalog: parallel day (Mon-Fri 09:00-12:00), night (Mon-Thu or Mon-Fri 18:00-21:00),
//!   PHP afternoon (13:00-15:30) and OP evening (Tue/Thu 18:30-20:00) groups, added until
//!   the seats exceed the demand by 15%; specialty groups (women, veterans, trauma, early
//!   stage), an OP midday and a Saturday group. Capacity 8-14, some min_size 3-5. 85% of the
//!   groups get a facilitator whose shift covers every session and who is never
//!   double-booked; rooms are assigned first-fit, so no room ever clashes.

use std::cmp::Reverse;
use std::path::Path;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateSpec {
    /// Clients per site.
    pub clients: usize,
    /// Number of sites.
    pub sites: usize,
    /// Same seed, same files.
    pub seed: u64,
    /// Write what spreadsheets write: BOM, CRLF, shuffled columns, `Monday`, `6:00 PM`...
    pub messy: bool,
    /// Add appointments.csv with family therapy, drug screens and case management,
    /// and the nurses and case managers who give them ([`kinds`]).
    pub kinds: bool,
}

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const DAY_STEMS: [&str; 7] = ["Mon", "Tues", "Wednes", "Thurs", "Fri", "Satur", "Sun"];
const WEEKDAYS: [usize; 5] = [0, 1, 2, 3, 4];
const SITE_NAMES: [&str; 6] = ["North", "South", "East", "West", "Central", "Harbor"];
const LEVELS: [[&str; 9]; 3] = [
    ["IOP", "9", "20", "3", "5", "3", "4", "1", "1"],
    ["PHP", "20", "30", "5", "5", "4", "6", "2", "1"],
    ["OP", "1", "8.5", "1", "2", "1", "3", "1", "0"],
];
/// File names and headers, in the order [`generate`] returns them.
#[rustfmt::skip]
const FILES: [(&str, &str); 6] = [
    ("levels.csv", "level,min_weekly_hours,max_weekly_hours,min_days,max_days,min_daily_hours,\
                    max_daily_hours,individual_per_week,physician_per_week"),
    ("clients.csv", "client_id,level,site,track,primary_therapist,gender,tags,stage,travel_minutes"),
    ("client_busy.csv", "client_id,day,start,end,reason"),
    ("staff.csv", "staff_id,role,site,max_weekly_hours,max_individual_per_day"),
    ("staff_availability.csv", "staff_id,day,start,end"),
    ("sessions.csv", "session_id,name,site,day,start,end,track,facilitator,room,capacity,min_size,\
                      levels,gender,tags,stage"),
];
/// Times are written as HHMM integers (1830 = 18:30) throughout.
type Span = (u32, u32);
#[rustfmt::skip]
const DAY_JOBS: [Span; 6] = [(700, 1530), (800, 1630), (800, 1700), (830, 1700), (900, 1700), (900, 1730)];
const EVENING_SHIFTS: [Span; 3] = [(1400, 2200), (1500, 2300), (1600, 2300)];
const PART_TIME: [Span; 4] = [(900, 1400), (1000, 1500), (1200, 1700), (1700, 2200)];
const SCHOOL: [Span; 3] = [(800, 1200), (830, 1300), (900, 1230)];
const PICKUPS: [Span; 3] = [(1430, 1530), (1500, 1600), (1515, 1615)];
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
const NOTES: [&str; 6] = ["", "", "", "", "see chart", "confirm next week"];
/// Facilitation one therapist takes on in the catalog, leaving room for individuals.
const MAX_FACILITATION_MIN: u32 = 28 * 60;

/// SplitMix64: tiny, fast and good enough for synthetic data.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64) -> Rng {
        let base = Rng(seed).next_u64();
        Rng(base ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03))
    }
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below((hi - lo + 1) as usize) as u32
    }
    fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64) < p * (1u64 << 53) as f64
    }
    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }
    fn weighted<T: Copy>(&mut self, xs: &[(T, u32)]) -> T {
        let mut r = self.below(xs.iter().map(|x| x.1 as usize).sum()) as u32;
        for &(x, w) in xs {
            if r < w {
                return x;
            }
            r -= w;
        }
        xs[xs.len() - 1].0
    }
    fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            xs.swap(i, self.below(i + 1));
        }
    }
}

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

#[derive(Clone, Copy)]
struct Block {
    day: usize,
    start: u32,
    end: u32,
}

impl Block {
    fn new(day: usize, (start, end): Span) -> Block {
        Block { day, start, end }
    }
    fn minutes(&self) -> u32 {
        let min = |t: u32| t / 100 * 60 + t % 100;
        min(self.end) - min(self.start)
    }
    fn overlaps(&self, o: &Block) -> bool {
        self.day == o.day && self.start < o.end && o.start < self.end
    }
    fn contains(&self, o: &Block) -> bool {
        self.day == o.day && self.start <= o.start && o.end <= self.end
    }
}

struct Client {
    id: String,
    level: &'static str,
    track: &'static str,
    therapist: String,
    gender: &'static str,
    tags: String,
    stage: &'static str,
    travel: u32,
    busy: Vec<(Block, &'static str)>,
}

struct Staff {
    id: String,
    role: &'static str,
    avail: Vec<Block>,
    max_weekly: String,
    max_individual: String,
    /// Sessions this therapist facilitates.
    booked: Vec<Block>,
    caseload: usize,
}

impl Staff {
    fn new(rng: &mut Rng, id: String, role: &'static str, avail: Vec<Block>) -> Staff {
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
    fn evening(&self) -> bool {
        self.avail.first().is_some_and(|b| b.end > 1700)
    }
    fn can_facilitate(&self, blocks: &[Block]) -> bool {
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

/// One group meeting at the same time on several days: one catalog session per day.
#[derive(Clone)]
struct Series {
    code: &'static str,
    num: usize,
    name: &'static str,
    days: Vec<usize>,
    span: Span,
    /// levels, gender, tags, stage
    elig: [&'static str; 4],
    capacity: u32,
    min_size: u32,
    facilitator: String,
}

impl Series {
    fn new(
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
    fn blocks(&self) -> Vec<Block> {
        self.days
            .iter()
            .map(|&d| Block::new(d, self.span))
            .collect()
    }
}

struct Site {
    name: String,
    prefix: String,
    clients: Vec<Client>,
    staff: Vec<Staff>,
    catalog: Vec<Series>,
}

/// Named sites first (prefix = initial), then `Site-07` (prefix `S07`): ids stay unique.
fn site_name(index: usize) -> (String, String) {
    match SITE_NAMES.get(index) {
        Some(name) => (name.to_string(), name[..1].to_string()),
        None => (
            format!("Site-{:02}", index + 1),
            format!("S{:02}", index + 1),
        ),
    }
}

fn build_site(spec: &GenerateSpec, index: usize) -> Site {
    let mut rng = Rng::new(spec.seed, index as u64 + 1);
    let (name, prefix) = site_name(index);
    let mut clients: Vec<Client> = (1..=spec.clients)
        .map(|i| gen_client(&mut rng, format!("{prefix}-C{i:04}")))
        .collect();
    let mut staff = gen_therapists(&mut rng, &prefix, spec.clients);
    assign_primaries(&mut rng, &mut clients, &mut staff);
    staff.extend(gen_physicians(&mut rng, &prefix, spec.clients));
    let mut catalog = plan_catalog(&mut rng, &clients);
    assign_facilitators(&mut rng, &mut catalog, &mut staff);
    Site {
        name,
        prefix,
        clients,
        staff,
        catalog,
    }
}

fn gen_client(rng: &mut Rng, id: String) -> Client {
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

fn gen_therapists(rng: &mut Rng, prefix: &str, clients: usize) -> Vec<Staff> {
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

fn gen_physicians(rng: &mut Rng, prefix: &str, clients: usize) -> Vec<Staff> {
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

fn assign_primaries(rng: &mut Rng, clients: &mut [Client], staff: &mut [Staff]) {
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

/// code, name, days, time, levels, seats needed.
type TrackRow<'a> = (&'a str, &'a str, &'a [usize], Span, &'a str, u32);

fn plan_catalog(rng: &mut Rng, clients: &[Client]) -> Vec<Series> {
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
fn assign_facilitators(rng: &mut Rng, catalog: &mut [Series], staff: &mut [Staff]) {
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

/// The files of one synthetic program: (file name, contents), in a fixed order.
pub fn generate(spec: &GenerateSpec) -> Vec<(String, String)> {
    let mut sites: Vec<Site> = (0..spec.sites).map(|i| build_site(spec, i)).collect();
    if spec.kinds {
        for (i, site) in sites.iter_mut().enumerate() {
            kinds::add_to_site(spec.seed, i, spec.clients, site);
        }
    }
    let mut rng = Rng::new(spec.seed, 0);
    let mut render = |t: &Table| match spec.messy {
        true => render_messy(t, &mut rng),
        false => render_tidy(t),
    };
    tables(&sites, spec.kinds)
        .iter()
        .map(|t| (t.name.to_string(), render(t)))
        .collect()
}

/// Writes them into `dir` (created if missing), each file written to a temp name then renamed.
pub fn write_program(spec: &GenerateSpec, dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (name, body) in generate(spec) {
        let tmp = dir.join(format!(".{name}.tmp"));
        std::fs::write(&tmp, body)?;
        std::fs::rename(&tmp, dir.join(&name))?;
    }
    Ok(())
}

mod kinds;
mod render;
#[cfg(test)]
mod tests;

use render::{render_messy, render_tidy, tables, Table};

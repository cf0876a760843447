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
const NOTES: [&str; 6] = ["", "", "", "", "see chart", "confirm next week"];

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

mod catalog;
mod clients;
mod kinds;
mod render;
mod rng;
mod staff;
#[cfg(test)]
mod tests;

use catalog::{assign_facilitators, plan_catalog, Series};
use clients::{gen_client, Client};
use render::{render_messy, render_tidy, tables, Table};
use rng::Rng;
use staff::{assign_primaries, gen_physicians, gen_therapists, Staff};

//! Turning generated sites into CSV text: tidy, or as a spreadsheet would save it.

use super::*;

type Rows = Vec<Vec<String>>;

fn cells<const N: usize>(row: [&str; N]) -> Vec<String> {
    row.map(String::from).to_vec()
}

fn block_cells(b: &Block) -> [String; 3] {
    let clock = |t: u32| format!("{:02}:{:02}", t / 100, t % 100);
    [DAYS[b.day].to_string(), clock(b.start), clock(b.end)]
}

fn client_rows(site: &Site) -> Rows {
    let row = |c: &Client| {
        let travel = c.travel.to_string();
        let therapist = &c.therapist;
        cells([
            &c.id, c.level, &site.name, c.track, therapist, c.gender, &c.tags, c.stage, &travel,
        ])
    };
    site.clients.iter().map(row).collect()
}

fn busy_rows(site: &Site) -> Rows {
    let busy = site
        .clients
        .iter()
        .flat_map(|c| c.busy.iter().map(move |b| (c, b)));
    busy.map(|(c, (b, why))| [&[c.id.clone()][..], &block_cells(b), &[why.to_string()]].concat())
        .collect()
}

fn staff_rows(site: &Site) -> Rows {
    let row = |s: &Staff| cells([&s.id, s.role, &site.name, &s.max_weekly, &s.max_individual]);
    site.staff.iter().map(row).collect()
}

fn availability_rows(site: &Site) -> Rows {
    let blocks = site
        .staff
        .iter()
        .flat_map(|s| s.avail.iter().map(move |b| (s, b)));
    blocks
        .map(|(s, b)| [[s.id.clone()].as_slice(), &block_cells(b)].concat())
        .collect()
}

/// Session rows with rooms assigned first-fit, so no two sessions share a room and time.
fn session_rows(site: &Site) -> Rows {
    let mut rooms: Vec<Vec<Block>> = Vec::new();
    let mut rows = Vec::new();
    for s in &site.catalog {
        let track = if s.span.0 >= 1700 { "night" } else { "day" };
        for b in s.blocks() {
            let free = rooms.iter().position(|r| r.iter().all(|x| !x.overlaps(&b)));
            let room = free.unwrap_or(rooms.len());
            if room == rooms.len() {
                rooms.push(Vec::new());
            }
            rooms[room].push(b);
            let day = DAYS[b.day].to_uppercase();
            let id = format!("{}-{}-{day}-{}", site.prefix, s.code, s.num);
            let mut row = vec![id, format!("{} {}", s.name, s.num), site.name.clone()];
            row.extend(block_cells(&b));
            let (room, cap) = (format!("Room {}", 101 + room), s.capacity.to_string());
            row.extend(cells([
                track,
                &s.facilitator,
                &room,
                &cap,
                &s.min_size.to_string(),
            ]));
            row.extend(cells(s.elig));
            rows.push(row);
        }
    }
    rows
}

pub(super) struct Table {
    pub(super) name: &'static str,
    header: String,
    rows: Rows,
}

/// The program's tables; with `kinds`, levels.csv has the extra `KIND_per_week`
/// columns and appointments.csv comes last.
pub(super) fn tables(sites: &[Site], kinds: bool) -> Vec<Table> {
    let per_site: [fn(&Site) -> Rows; 5] = [
        client_rows,
        busy_rows,
        staff_rows,
        availability_rows,
        session_rows,
    ];
    let mut all = vec![LEVELS.map(cells).to_vec()];
    all.extend(per_site.iter().map(|f| sites.iter().flat_map(f).collect()));
    let files = FILES.iter().zip(all);
    let mut out: Vec<Table> = files
        .map(|(&(name, header), rows)| Table {
            name,
            header: header.to_string(),
            rows,
        })
        .collect();
    if kinds {
        out[0].header.push_str(super::kinds::LEVEL_COLUMNS);
        for (row, counts) in out[0].rows.iter_mut().zip(super::kinds::LEVEL_COUNTS) {
            row.extend(cells(counts));
        }
        out.push(Table {
            name: "appointments.csv",
            header: super::kinds::APPOINTMENTS_HEADER.to_string(),
            rows: super::kinds::APPOINTMENTS.map(cells).to_vec(),
        });
    }
    out
}

pub(super) fn render_tidy(table: &Table) -> String {
    let mut out = format!("{}\n", table.header);
    for row in &table.rows {
        out += &(row.join(",") + "\n");
    }
    out
}

/// What a spreadsheet saves: BOM, CRLF, shuffled columns plus a `notes` column, long day
/// names, 12-hour times, stray spaces and a blank last line.
pub(super) fn render_messy(table: &Table, rng: &mut Rng) -> String {
    let header: Vec<&str> = table.header.split(',').collect();
    let mut order: Vec<usize> = (0..=header.len()).collect(); // the last one is `notes`
    rng.shuffle(&mut order);
    let name = |i: usize| header.get(i).copied().unwrap_or("notes");
    let head: Vec<&str> = order.iter().map(|&i| name(i)).collect();
    let mut out = format!("\u{feff}{}\r\n", head.join(","));
    for row in &table.rows {
        let cells: Vec<String> = order
            .iter()
            .map(|&i| match row.get(i).map(|v| respell(name(i), v)) {
                Some(v) if rng.chance(0.15) => format!(" {v} "),
                Some(v) => v,
                None => rng.pick(&NOTES).to_string(),
            })
            .collect();
        out += &(cells.join(",") + "\r\n");
    }
    out + "\r\n"
}

/// `Mon` -> `Monday`, `18:30` -> `6:30 PM`; other cells unchanged.
fn respell(column: &str, value: &str) -> String {
    let hhmm: u32 = value.replace(':', "").parse().unwrap_or(0);
    match column {
        "day" => match DAYS.iter().position(|d| *d == value) {
            Some(d) => format!("{}day", DAY_STEMS[d]),
            None => value.to_string(),
        },
        "start" | "end" => {
            let ampm = if hhmm < 1200 { "AM" } else { "PM" };
            format!("{}:{:02} {ampm}", (hhmm / 100 + 11) % 12 + 1, hhmm % 100)
        }
        _ => value.to_string(),
    }
}

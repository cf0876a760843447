//! Turning clients with a known week (the published roster, or another new
//! client's first option) into fixed parts of the program: their rows become pins,
//! and the rest of their week becomes busy, so the optimizer can neither drop nor
//! add anything for them while it still counts their seats and staff time.

use crate::domain::{Activity, Busy, Pin, Program};
use crate::time::{Day, Interval, DAY_MINUTES};

/// One fixed row of a client's week.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub client: usize,
    pub activity: Activity,
    pub session: Option<usize>,
    pub staff: Option<usize>,
    pub interval: Interval,
}

/// Why the rest of a fixed client's week is busy (shown only in explanations).
const FIXED: &str = "published roster";

/// `program` with every client of `rows` held to exactly those rows.
pub fn fix(program: &Program, rows: &[Row]) -> Program {
    let mut fixed = program.clone();
    let mut clients: Vec<usize> = rows.iter().map(|r| r.client).collect();
    clients.sort_unstable();
    clients.dedup();
    for &c in &clients {
        let mine: Vec<Interval> = rows
            .iter()
            .filter(|r| r.client == c)
            .map(|r| r.interval)
            .collect();
        let client = &mut fixed.clients[c];
        client.busy = outside(&mine);
        client.travel_minutes = 0;
    }
    // Hand pins of fixed clients are part of their published week already.
    fixed.pins.retain(|p| !clients.contains(&p.client));
    for row in rows {
        fixed.pins.push(Pin {
            client: row.client,
            activity: row.activity,
            session: row.session,
            staff: row.staff,
            interval: row.interval,
            line: 0,
        });
    }
    fixed.previous.clear();
    fixed
}

/// Busy blocks covering every minute of the week outside `keep`, day by day.
fn outside(keep: &[Interval]) -> Vec<Busy> {
    let mut out = Vec::new();
    for day in Day::all() {
        let mut today: Vec<(u32, u32)> = keep
            .iter()
            .filter(|iv| iv.day() == day)
            .map(|iv| (iv.start_of_day(), iv.end_of_day()))
            .collect();
        today.sort_unstable();
        let mut from = 0;
        for (start, end) in today.into_iter().chain([(DAY_MINUTES, DAY_MINUTES)]) {
            if let Some(interval) = Interval::on_day(day, from, start) {
                out.push(Busy {
                    interval,
                    reason: FIXED.to_string(),
                });
            }
            from = from.max(end);
        }
    }
    out
}

/// Busy blocks over `intervals`, added to a new client's week to steer an
/// alternative option away from an earlier one's choice.
pub fn forbid(program: &mut Program, client: usize, intervals: &[Interval], why: &str) {
    let busy = &mut program.clients[client].busy;
    busy.extend(intervals.iter().map(|&interval| Busy {
        interval,
        reason: why.to_string(),
    }));
    busy.sort_by_key(|b| b.interval);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outside_leaves_exactly_the_kept_rows_free() {
        let mon = Day::new(0).unwrap();
        let keep = [
            Interval::on_day(mon, 540, 720).unwrap(),
            Interval::on_day(mon, 720, 770).unwrap(),
        ];
        let busy: Vec<(u32, u32)> = outside(&keep)
            .iter()
            .map(|b| (b.interval.start(), b.interval.end()))
            .collect();
        assert_eq!(busy[0], (0, 540));
        assert_eq!(busy[1], (770, 1440));
        // Tuesday to Sunday: whole days.
        assert_eq!(busy.len(), 8);
        assert_eq!(busy[2], (1440, 2880));
    }
}

//! The rules across rows: double-bookings, busy blocks, session sizes, and the
//! weekly and daily limits of levels and staff.

use super::input::Level;
use super::parse::DAY;
use super::roster::{Activity, Appt};
use super::rules::Ctx;
use super::summary::Stats;
use super::Violation;
use std::collections::{BTreeMap, HashSet};

/// One client's roster rows.
struct Mine<'r> {
    id: &'r str,
    level: &'r str,
    rows: Vec<&'r Appt>,
}

impl<'r> Mine<'r> {
    fn of(&self, keep: impl Fn(&Appt) -> bool) -> Vec<&'r Appt> {
        self.rows.iter().copied().filter(|a| keep(a)).collect()
    }
}

/// A stretch of a staff member's work (a group counts once however many attend).
struct Work<'a> {
    staff: &'a str,
    row: &'a Appt,
    individual: bool,
}

impl<'a> Ctx<'a> {
    pub fn check_client_overlaps(&self, errs: &mut Vec<Violation>) {
        let mut by_client: BTreeMap<&str, Vec<&Appt>> = BTreeMap::new();
        for a in self.roster {
            by_client.entry(&a.client).or_default().push(a);
        }
        for appts in by_client.values_mut() {
            appts.sort_by_key(|a| (a.start, a.end, a.line));
            for (i, a) in appts.iter().enumerate() {
                for b in appts[i + 1..].iter().take_while(|b| b.start < a.end) {
                    errs.push(self.at_row(
                        "client_overlap",
                        b,
                        format!("client is already booked: overlaps {}", self.cite(a)),
                    ));
                }
            }
        }
    }

    /// Staff work items, with each (session, facilitator) counted once.
    fn work(&self) -> Vec<Work<'a>> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for a in self.roster {
            if a.activity == Activity::Group && !seen.insert((&a.session, &a.staff)) {
                continue;
            }
            out.push(Work {
                staff: &a.staff,
                row: a,
                individual: a.what == "individual",
            });
        }
        out
    }

    pub fn check_staff_overlaps(&self, errs: &mut Vec<Violation>) {
        let mut by_staff: BTreeMap<&str, Vec<Work>> = BTreeMap::new();
        for w in self.work() {
            by_staff.entry(w.staff).or_default().push(w);
        }
        for items in by_staff.values_mut() {
            items.sort_by_key(|w| (w.row.start, w.row.end, w.row.line));
            for (i, a) in items.iter().enumerate() {
                for b in items[i + 1..]
                    .iter()
                    .take_while(|b| b.row.start < a.row.end)
                {
                    let mut v = self.at_row(
                        "staff_overlap",
                        b.row,
                        format!(
                            "staff {} double-booked: {} overlaps {}",
                            b.staff,
                            b.row.describe(),
                            self.cite(a.row)
                        ),
                    );
                    // A group row names one attendee; the conflict is the staff member's.
                    if b.row.activity == Activity::Group {
                        v.client_id.clear();
                    }
                    errs.push(v);
                }
            }
        }
    }

    pub fn check_busy(&self, errs: &mut Vec<Violation>) {
        for a in self.roster {
            let (Some(c), Some(blocks)) = (
                self.input.clients.get(&a.client),
                self.input.busy.get(&a.client),
            ) else {
                continue;
            };
            for b in blocks {
                // Travel widens the block on both sides; intervals are half-open.
                if a.start < b.end + c.travel && b.start - c.travel < a.end {
                    // The reason is free text: the file gets it, the console not.
                    let mut violation = self.at_row(
                        "busy",
                        a,
                        format!(
                            "{} overlaps busy block {} (+{} min travel, client_busy.csv)",
                            a.describe(),
                            self.when(b.start, b.end),
                            c.travel
                        ),
                    );
                    if !b.reason.is_empty() {
                        violation.note = format!("busy reason: {}", b.reason);
                    }
                    errs.push(violation);
                }
            }
        }
    }

    /// The group rows of each session.
    pub fn enrolled(&self) -> BTreeMap<&'a str, Vec<&'a Appt>> {
        let mut n: BTreeMap<&str, Vec<&Appt>> = BTreeMap::new();
        for a in self.group_rows() {
            n.entry(a.session.as_str()).or_default().push(a);
        }
        n
    }

    pub fn check_sessions(&self, errs: &mut Vec<Violation>) {
        for (id, rows) in self.enrolled() {
            let Some(s) = self.input.sessions.get(id) else {
                continue;
            };
            let n = rows.len() as i64;
            let facilitator = rows[0].staff.as_str();
            let mut push = |rule: &'static str, what: String| {
                errs.push(
                    Violation::general(
                        rule,
                        format!(
                            "session {id} {what} ({})",
                            self.cite_lines(rows.iter().copied())
                        ),
                    )
                    .staff(facilitator)
                    .during(self.monday, s.start, Some(s.end)),
                );
            };
            if n > s.capacity {
                push(
                    "capacity",
                    format!("has {n} clients, capacity {}", s.capacity),
                );
            }
            if n < s.min_size {
                push(
                    "min_size",
                    format!(
                        "runs with {n} clients, min_size {} (below it the session is cancelled)",
                        s.min_size
                    ),
                );
            }
        }
    }

    pub fn check_client_limits(&self, errs: &mut Vec<Violation>) {
        let stats = self.stats();
        for (id, c) in &self.input.clients {
            let (Some(l), Some(s)) = (self.input.rules_for(c, self.monday), stats.get(id.as_str()))
            else {
                continue;
            };
            let mine = Mine {
                id,
                level: &c.level,
                rows: self.roster.iter().filter(|a| &a.client == id).collect(),
            };
            self.hours_and_days(&mine, &l, s, errs);
            self.appointment_counts(&mine, &l, s, errs);
        }
    }

    /// A client's weekly hours, program days and daily hours against their level.
    fn hours_and_days(&self, mine: &Mine, l: &Level, s: &Stats, errs: &mut Vec<Violation>) {
        if s.minutes > l.max_week {
            let what = format!("{} min in the week > max {} min", s.minutes, l.max_week);
            errs.push(self.client_limit(mine, "max_weekly", None, what, mine.of(|_| true)));
        }
        if s.per_day.len() as i64 > l.max_days {
            let what = format!("{} program days > max {}", s.per_day.len(), l.max_days);
            errs.push(self.client_limit(mine, "max_days", None, what, mine.of(|_| true)));
        }
        for (&day, &m) in &s.per_day {
            let that_day = || mine.of(|a| a.day() == day);
            if m < l.min_daily {
                let what = format!("{m} min that day < min_daily {} min", l.min_daily);
                errs.push(self.client_limit(mine, "min_daily", Some(day), what, that_day()));
            }
            if m > l.max_daily {
                let what = format!("{m} min that day > max_daily {} min", l.max_daily);
                errs.push(self.client_limit(mine, "max_daily", Some(day), what, that_day()));
            }
        }
    }

    /// A client's appointments of each kind against the level's count and the
    /// kind's `max_per_day`.
    fn appointment_counts(&self, mine: &Mine, l: &Level, s: &Stats, errs: &mut Vec<Violation>) {
        for (k, kind) in self.input.kinds.iter().enumerate() {
            let of_kind = |a: &Appt| a.activity == Activity::Kind(k);
            let (n, most) = (s.per_kind[k], l.counts[k]);
            if n > most {
                let (rule, what) = match kind.name.as_str() {
                    "individual" => ("individual_count", "individual sessions".to_string()),
                    "physician" => ("physician_count", "physician visits".to_string()),
                    name => ("kind_count", name.to_string()),
                };
                let what = format!("{n} {what} > {most}");
                errs.push(self.client_limit(mine, rule, None, what, mine.of(of_kind)));
            }
            let Some(max) = kind.max_per_day else {
                continue;
            };
            for &day in s.per_day.keys() {
                let rows = mine.of(|a| of_kind(a) && a.day() == day);
                if rows.len() as i64 > max {
                    // No file named: without appointments.csv the limit is the
                    // contract's default for the two built-in kinds.
                    let what = format!("{} {} that day > max_per_day {max}", rows.len(), kind.name);
                    errs.push(self.client_limit(mine, "max_per_day", Some(day), what, rows));
                }
            }
        }
    }

    /// A client's limit broken, citing the roster rows that make it up.
    fn client_limit(
        &self,
        mine: &Mine,
        rule: &'static str,
        day: Option<i64>,
        what: String,
        rows: Vec<&Appt>,
    ) -> Violation {
        let message = format!(
            "level {}: {what} ({})",
            mine.level,
            self.cite_lines(rows.into_iter())
        );
        let v = Violation::general(rule, message).client(mine.id);
        match day {
            Some(day) => v.during(self.monday, day * DAY, None),
            None => v,
        }
    }

    pub fn check_staff_limits(&self, errs: &mut Vec<Violation>) {
        let mut total: BTreeMap<&str, i64> = BTreeMap::new();
        let mut individual: BTreeMap<(&str, i64), Vec<&Appt>> = BTreeMap::new();
        for w in self.work() {
            *total.entry(w.staff).or_insert(0) += w.row.end - w.row.start;
            if w.individual {
                individual
                    .entry((w.staff, w.row.day()))
                    .or_default()
                    .push(w.row);
            }
        }
        for (staff, m) in total {
            match self.input.staff.get(staff).and_then(|s| s.max_week) {
                Some(max) if m > max => errs.push(
                    Violation::general(
                        "staff_max_weekly",
                        format!("works {m} min in the week > max_weekly_hours {max} min"),
                    )
                    .staff(staff),
                ),
                _ => {}
            }
        }
        for ((staff, day), rows) in individual {
            let n = rows.len() as i64;
            match self
                .input
                .staff
                .get(staff)
                .and_then(|s| s.max_individual_per_day)
            {
                Some(max) if n > max => errs.push(
                    Violation::general(
                        "staff_max_individual_per_day",
                        format!(
                            "{n} individual sessions that day > max_individual_per_day {max} ({})",
                            self.cite_lines(rows.into_iter())
                        ),
                    )
                    .staff(staff)
                    .during(self.monday, day * DAY, None),
                ),
                _ => {}
            }
        }
    }
}

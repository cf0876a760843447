//! What each client got, recomputed from the roster alone, and the checks of
//! `client_summary.csv` and `sessions_summary.csv` against it.

use super::input::{Client, Level};
use super::parse::{file_name, parse_int, parse_list, parse_num, read_table, Row};
use super::roster::Activity;
use super::rules::Ctx;
use super::Violation;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

/// The summary files that may sit beside a roster.
pub(super) const FILES: [&str; 2] = ["client_summary.csv", "sessions_summary.csv"];

/// Summaries may round hours to 0.05 h; the epsilon absorbs float noise on top of that.
const HOURS_TOLERANCE: f64 = 0.05 + 1e-6;

const CLIENT_SUMMARY_COLS: [&str; 9] = [
    "client_id",
    "level",
    "scheduled_hours",
    "program_days",
    "individual_sessions",
    "physician_visits",
    "status",
    "shortfall",
    "reason",
];

/// What a client did during the week, derived from the roster.
#[derive(Default)]
pub(super) struct Stats {
    pub minutes: i64,
    pub per_day: BTreeMap<i64, i64>,
    /// Appointments per kind, indexed like [`super::input::Input::kinds`].
    pub per_kind: Vec<i64>,
}

/// One row of the recomputed `client_summary.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct SummaryRow {
    pub client_id: String,
    pub level: String,
    pub scheduled_minutes: i64,
    pub program_days: usize,
    pub individual_sessions: i64,
    pub physician_visits: i64,
    /// The count of every other kind of appointments.csv, as (kind, count).
    pub other_kinds: Vec<(String, i64)>,
    /// `None` when the client's level is not in levels.csv.
    pub met: Option<bool>,
    /// `hours=2.5;days=1`, empty when met.
    pub shortfall: String,
}

/// The recomputed `client_summary.csv`, with the contract's columns and one more
/// per kind of appointments.csv other than the contract's two.
pub fn summary_csv(rows: &[SummaryRow]) -> std::io::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<&str> = CLIENT_SUMMARY_COLS.to_vec();
    if let Some(first) = rows.first() {
        header.extend(first.other_kinds.iter().map(|(k, _)| k.as_str()));
    }
    w.write_record(&header)?;
    for r in rows {
        let (status, reason) = match r.met {
            Some(true) => ("met", ""),
            Some(false) => ("short", "recomputed by check"),
            None => ("", "level not in levels.csv"),
        };
        let mut record = vec![
            r.client_id.clone(),
            r.level.clone(),
            hours(r.scheduled_minutes as f64 / 60.0),
            r.program_days.to_string(),
            r.individual_sessions.to_string(),
            r.physician_visits.to_string(),
            status.to_string(),
            r.shortfall.clone(),
            reason.to_string(),
        ];
        record.extend(r.other_kinds.iter().map(|(_, n)| n.to_string()));
        w.write_record(record.iter().map(|c| super::parse::cell_safe(c)))?;
    }
    w.into_inner().map_err(|e| e.into_error())
}

/// Hours with at most two decimals and no trailing zeros (`9`, `2.5`, `8.33`).
fn hours(h: f64) -> String {
    let text = format!("{h:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

impl<'a> Ctx<'a> {
    pub fn stats(&self) -> BTreeMap<&'a str, Stats> {
        let mut out: BTreeMap<&str, Stats> = BTreeMap::new();
        for a in self.roster {
            let s = out.entry(&a.client).or_insert_with(|| self.no_stats());
            s.minutes += a.end - a.start;
            *s.per_day.entry(a.day()).or_insert(0) += a.end - a.start;
            if let Activity::Kind(k) = a.activity {
                s.per_kind[k] += 1;
            }
        }
        out
    }

    /// The stats of a client with no roster row.
    fn no_stats(&self) -> Stats {
        Stats {
            per_kind: vec![0; self.input.kinds.len()],
            ..Stats::default()
        }
    }

    /// How many appointments of the kind called `name` (0 when there is no such kind).
    fn count_of(&self, s: &Stats, name: &str) -> i64 {
        self.input.kind(name).map_or(0, |k| s.per_kind[k])
    }

    /// The kinds beyond the contract's two, which get columns of their own.
    fn other_kinds(&self) -> impl Iterator<Item = (usize, &str)> {
        self.input
            .kinds
            .iter()
            .enumerate()
            .map(|(k, kind)| (k, kind.name.as_str()))
            .filter(|(_, name)| !matches!(*name, "individual" | "physician"))
    }

    /// One row per client of clients.csv, by client id.
    pub fn recompute_summary(&self) -> Vec<SummaryRow> {
        let stats = self.stats();
        let empty = self.no_stats();
        self.input
            .clients
            .iter()
            .map(|(id, c)| {
                let s = stats.get(id.as_str()).unwrap_or(&empty);
                let deficits = self
                    .input
                    .rules_for(c, self.monday)
                    .map(|l| self.deficits(&l, s));
                SummaryRow {
                    client_id: id.clone(),
                    level: c.level.clone(),
                    scheduled_minutes: s.minutes,
                    program_days: s.per_day.len(),
                    individual_sessions: self.count_of(s, "individual"),
                    physician_visits: self.count_of(s, "physician"),
                    other_kinds: self
                        .other_kinds()
                        .map(|(k, name)| (name.to_string(), s.per_kind[k]))
                        .collect(),
                    met: deficits.as_ref().map(|d| d.iter().all(|(_, v)| *v <= 0.0)),
                    shortfall: deficits.map(|d| shortfall_text(&d)).unwrap_or_default(),
                }
            })
            .collect()
    }

    /// Checks one summary file (by its name) against the roster.
    pub fn check_summary_file(
        &self,
        path: &Path,
        unreadable: &mut Vec<Violation>,
        errs: &mut Vec<Violation>,
    ) {
        let Some(t) = read_table(path, true, unreadable) else {
            return;
        };
        if file_name(path) == FILES[0] {
            if t.require(&CLIENT_SUMMARY_COLS, unreadable) {
                self.check_client_summary(&t.rows, errs);
            }
        } else if t.require(
            &[
                "session_id",
                "status",
                "enrolled",
                "capacity",
                "facilitator",
            ],
            unreadable,
        ) {
            self.check_sessions_summary(&t.rows, errs);
        }
    }

    fn check_client_summary(&self, rows: &[Row], errs: &mut Vec<Violation>) {
        let stats = self.stats();
        let empty = self.no_stats();
        let mut seen = HashSet::new();
        for row in rows {
            let id = row.get("client_id");
            let at = |rule: &'static str, message: String| {
                Violation::in_file(rule, FILES[0], Some(row.line), message).client(id)
            };
            if !seen.insert(id.to_string()) {
                errs.push(at(
                    "client_summary:duplicate",
                    "listed more than once".into(),
                ));
                continue;
            }
            let Some(c) = self.input.clients.get(id) else {
                errs.push(at("client_summary:unknown", "not in clients.csv".into()));
                continue;
            };
            let s = stats.get(id).unwrap_or(&empty);
            for (rule, message) in self.summary_row_problems(row, c, s) {
                errs.push(at(rule, message));
            }
        }
        for id in self.input.clients.keys().filter(|id| !seen.contains(*id)) {
            errs.push(
                Violation::in_file(
                    "client_summary:missing",
                    FILES[0],
                    None,
                    "no row for this client".into(),
                )
                .client(id),
            );
        }
    }

    fn summary_row_problems(
        &self,
        row: &Row,
        c: &Client,
        s: &Stats,
    ) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if row.get("level") != c.level {
            out.push((
                "client_summary:level",
                format!("level '{}' but the client is {}", row.get("level"), c.level),
            ));
        }
        let hours = s.minutes as f64 / 60.0;
        if !parse_num(row.get("scheduled_hours"))
            .is_some_and(|v| (v - hours).abs() <= HOURS_TOLERANCE)
        {
            out.push((
                "client_summary:hours",
                format!(
                    "scheduled_hours '{}' but the roster has {hours:.2} h",
                    row.get("scheduled_hours")
                ),
            ));
        }
        out.extend(self.count_problems(row, s));
        out.extend(self.status_problems(row, c, s));
        out
    }

    /// The day and appointment counts of a client's row against the roster.
    fn count_problems(&self, row: &Row, s: &Stats) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let mut counts = vec![
            (
                "program_days",
                "client_summary:days",
                s.per_day.len() as i64,
            ),
            (
                "individual_sessions",
                "client_summary:individual",
                self.count_of(s, "individual"),
            ),
            (
                "physician_visits",
                "client_summary:physician",
                self.count_of(s, "physician"),
            ),
        ];
        counts.extend(
            self.other_kinds()
                .map(|(k, name)| (name, "client_summary:kind", s.per_kind[k])),
        );
        for (col, rule, n) in counts {
            if parse_int(row.get(col)) != Some(n) {
                out.push((
                    rule,
                    format!("{col} '{}' but the roster has {n}", row.get(col)),
                ));
            }
        }
        out
    }

    /// The status, shortfall and reason of a client's row against what the
    /// roster gives them.
    fn status_problems(&self, row: &Row, c: &Client, s: &Stats) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let Some(l) = self.input.rules_for(c, self.monday) else {
            return out;
        };
        let deficits = self.deficits(&l, s);
        let met = deficits.iter().all(|(_, d)| *d <= 0.0);
        let status = row.get("status").to_lowercase();
        let expected = if met { "met" } else { "short" };
        if status != expected {
            out.push((
                "client_summary:status",
                format!("status '{status}' but expected '{expected}'"),
            ));
        }
        if status == "met" && !row.get("shortfall").is_empty() {
            out.push((
                "client_summary:shortfall",
                format!("met client has shortfall '{}'", row.get("shortfall")),
            ));
        }
        for problem in shortfall_problems(row.get("shortfall"), &deficits) {
            out.push(("client_summary:shortfall", problem));
        }
        if status == "short" && row.get("reason").is_empty() {
            out.push((
                "client_summary:reason",
                "short client without a reason".to_string(),
            ));
        }
        out
    }

    fn check_sessions_summary(&self, rows: &[Row], errs: &mut Vec<Violation>) {
        let enrolled = self.enrolled();
        let mut facilitators: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for a in self.group_rows() {
            facilitators.entry(&a.session).or_default().insert(&a.staff);
        }
        let mut seen = HashSet::new();
        for row in rows {
            let id = row.get("session_id");
            let mut push = |rule: &'static str, what: String| {
                errs.push(Violation::in_file(
                    rule,
                    FILES[1],
                    Some(row.line),
                    format!("session {id}: {what}"),
                ));
            };
            if !seen.insert(id.to_string()) {
                push("sessions_summary:duplicate", "listed more than once".into());
                continue;
            }
            let Some(s) = self.input.sessions.get(id) else {
                push(
                    "sessions_summary:unknown",
                    "not in this week's catalog".into(),
                );
                continue;
            };
            let n = enrolled.get(id).map_or(0, |rows| rows.len() as i64);
            if parse_int(row.get("enrolled")) != Some(n) {
                push(
                    "sessions_summary:enrolled",
                    format!("enrolled '{}' but the roster has {n}", row.get("enrolled")),
                );
            }
            let expected = if n > 0 { "running" } else { "cancelled" };
            if row.get("status").to_lowercase() != expected {
                push(
                    "sessions_summary:status",
                    format!("status '{}' but expected {expected}", row.get("status")),
                );
            }
            if parse_int(row.get("capacity")) != Some(s.capacity) {
                push(
                    "sessions_summary:capacity",
                    format!(
                        "capacity '{}' but the catalog has {}",
                        row.get("capacity"),
                        s.capacity
                    ),
                );
            }
            // Cancelled sessions have no roster facilitator to compare with.
            if let Some(staff) = facilitators.get(id) {
                if !staff.contains(row.get("facilitator")) {
                    let staff: Vec<&str> = staff.iter().copied().collect();
                    push(
                        "sessions_summary:facilitator",
                        format!(
                            "facilitator '{}' but the roster uses {}",
                            row.get("facilitator"),
                            staff.join(", ")
                        ),
                    );
                }
            }
        }
        for id in self.input.sessions.keys().filter(|id| !seen.contains(*id)) {
            errs.push(Violation::in_file(
                "sessions_summary:missing",
                FILES[1],
                None,
                format!("session {id} has no row"),
            ));
        }
    }
}

impl Ctx<'_> {
    /// What is missing per shortfall key (hours as hours, the rest as counts):
    /// `hours`, `days`, then each kind by its name.
    fn deficits(&self, l: &Level, s: &Stats) -> Vec<(String, f64)> {
        let gap = |want: i64, have: i64| (want - have).max(0) as f64;
        let mut out = vec![
            ("hours".to_string(), gap(l.min_week, s.minutes) / 60.0),
            ("days".to_string(), gap(l.min_days, s.per_day.len() as i64)),
        ];
        for (k, kind) in self.input.kinds.iter().enumerate() {
            out.push((kind.name.clone(), gap(l.counts[k], s.per_kind[k])));
        }
        out
    }
}

/// `hours=2.5;days=1`: the positive deficits in the contract's key order.
fn shortfall_text(deficits: &[(String, f64)]) -> String {
    deficits
        .iter()
        .filter(|(_, v)| *v > 0.0)
        .map(|(k, v)| format!("{k}={}", hours(*v)))
        .collect::<Vec<_>>()
        .join(";")
}

/// Compares a `key=value;...` shortfall cell with the expected deficits.
fn shortfall_problems(cell: &str, deficits: &[(String, f64)]) -> Vec<String> {
    let mut out = Vec::new();
    let mut given: HashMap<String, f64> = HashMap::new();
    for part in parse_list(cell) {
        match part
            .split_once('=')
            .map(|(k, v)| (k.trim().to_lowercase(), parse_num(v)))
        {
            Some((k, Some(v))) if deficits.iter().any(|(d, _)| *d == k) => {
                given.insert(k, v);
            }
            _ => out.push(format!("cannot read shortfall item '{part}'")),
        }
    }
    for (key, want) in deficits {
        let (key, want) = (key.as_str(), *want);
        let (tolerance, digits) = if key == "hours" {
            (HOURS_TOLERANCE, 2)
        } else {
            (1e-9, 0)
        };
        match given.get(key) {
            Some(v) if (v - want).abs() > tolerance => {
                out.push(format!("{key}={v} but expected {key}={want:.digits$}"))
            }
            None if want > 0.0 => out.push(format!("missing {key}={want:.digits$}")),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortfall_text_lists_positive_deficits_in_key_order() {
        let d: Vec<(String, f64)> = [
            ("hours", 2.5),
            ("days", 1.0),
            ("individual", 0.0),
            ("physician", 1.0),
        ]
        .map(|(k, v)| (k.to_string(), v))
        .to_vec();
        assert_eq!(shortfall_text(&d), "hours=2.5;days=1;physician=1");
        assert!(shortfall_problems("hours=2.5;days=1;physician=1", &d).is_empty());
        assert_eq!(
            shortfall_problems("hours=2", &d),
            [
                "hours=2 but expected hours=2.50",
                "missing days=1",
                "missing physician=1"
            ]
        );
    }
}

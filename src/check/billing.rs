//! `billing.csv` recomputed from the roster alone, and the check of a `billing.csv`
//! beside the roster against it.
//!
//! A program day is billable when it holds the level's daily minimum and the
//! client's week reaches the level's minimum days (the pro-rated minimum for
//! clients admitted or discharged inside the week).

use super::parse::{file_name, parse_date, parse_int, read_table, Row};
use super::rules::Ctx;
use super::Violation;
use chrono::{Duration, NaiveDate};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// The file name beside the roster.
pub(super) const FILE: &str = "billing.csv";

const COLUMNS: [&str; 8] = [
    "client_id",
    "date",
    "day",
    "level",
    "billing_code",
    "minutes",
    "billable",
    "reason",
];

/// One row of the recomputed `billing.csv`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BillingRow {
    pub client_id: String,
    pub date: NaiveDate,
    pub level: String,
    pub billing_code: String,
    pub minutes: i64,
    /// `None` when the client's level is not in levels.csv.
    pub billable: Option<bool>,
    /// Why not billable, in words; empty when billable.
    pub reason: String,
}

/// The recomputed `billing.csv`, with the contract's columns.
pub fn billing_csv(rows: &[BillingRow]) -> std::io::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS)?;
    for r in rows {
        let billable = match r.billable {
            Some(true) => "yes",
            Some(false) => "no",
            None => "",
        };
        let cells = [
            r.client_id.clone(),
            r.date.format("%Y-%m-%d").to_string(),
            r.date.format("%a").to_string(),
            r.level.clone(),
            r.billing_code.clone(),
            r.minutes.to_string(),
            billable.to_string(),
            r.reason.clone(),
        ];
        w.write_record(cells.iter().map(|c| super::parse::cell_safe(c)))?;
    }
    w.into_inner().map_err(|e| e.into_error())
}

/// Minutes as hours with at most two decimals (`3`, `2.5`).
fn hours(minutes: i64) -> String {
    let text = format!("{:.2}", minutes as f64 / 60.0);
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

impl Ctx<'_> {
    /// One row per client of clients.csv and day with an activity, by client id, then date.
    pub fn recompute_billing(&self) -> Vec<BillingRow> {
        let stats = self.stats();
        let mut out = Vec::new();
        for (id, client) in &self.input.clients {
            let Some(s) = stats.get(id.as_str()) else {
                continue;
            };
            let rules = self.input.rules_for(client, self.monday);
            let code = self
                .input
                .levels
                .get(&client.level)
                .map(|l| l.billing_code.clone())
                .unwrap_or_default();
            let days = s.per_day.len() as i64;
            for (&day, &minutes) in &s.per_day {
                let (billable, reason) = match &rules {
                    None => (None, "level not in levels.csv".to_string()),
                    Some(l) => {
                        let mut why = Vec::new();
                        if minutes < l.min_daily {
                            why.push(format!(
                                "day has {} h, below the level's daily minimum of {} h",
                                hours(minutes),
                                hours(l.min_daily)
                            ));
                        }
                        if days < l.min_days {
                            why.push(format!(
                                "week has {days} program day(s), below the level's minimum of {}",
                                l.min_days
                            ));
                        }
                        (Some(why.is_empty()), why.join("; "))
                    }
                };
                out.push(BillingRow {
                    client_id: id.clone(),
                    date: self.monday + Duration::days(day),
                    level: client.level.clone(),
                    billing_code: code.clone(),
                    minutes,
                    billable,
                    reason,
                });
            }
        }
        out
    }

    /// Checks `billing.csv` at `path` against the roster: one row per client and
    /// program day, with the right minutes, level, code and verdict.
    pub fn check_billing_file(
        &self,
        path: &Path,
        unreadable: &mut Vec<Violation>,
        errs: &mut Vec<Violation>,
    ) {
        let Some(t) = read_table(path, true, unreadable) else {
            return;
        };
        if !t.require(&COLUMNS, unreadable) {
            return;
        }
        let name = file_name(path);
        let expected: BTreeMap<(String, NaiveDate), BillingRow> = self
            .recompute_billing()
            .into_iter()
            .map(|r| ((r.client_id.clone(), r.date), r))
            .collect();
        let mut seen = HashSet::new();
        for row in &t.rows {
            let at = |rule: &'static str, message: String| {
                Violation::in_file(rule, &name, Some(row.line), message)
                    .client(row.get("client_id"))
            };
            let Some(date) = parse_date(row.get("date")) else {
                errs.push(at(
                    "billing:date",
                    format!(
                        "cannot read date '{}' (expected YYYY-MM-DD)",
                        row.get("date")
                    ),
                ));
                continue;
            };
            let key = (row.get("client_id").to_string(), date);
            if !seen.insert(key.clone()) {
                errs.push(at(
                    "billing:duplicate",
                    format!("{date} listed more than once"),
                ));
                continue;
            }
            match expected.get(&key) {
                None => errs.push(at(
                    "billing:unknown",
                    format!("{date} is not a program day of this client in the roster"),
                )),
                Some(want) => {
                    for problem in row_problems(row, want) {
                        errs.push(at("billing:row", problem));
                    }
                }
            }
        }
        for (key, _) in expected.iter().filter(|(k, _)| !seen.contains(*k)) {
            errs.push(
                Violation::in_file(
                    "billing:missing",
                    &name,
                    None,
                    format!("no row for program day {}", key.1),
                )
                .client(&key.0),
            );
        }
    }
}

/// What one billing row gets wrong, compared with the recomputed one.
fn row_problems(row: &Row, want: &BillingRow) -> Vec<String> {
    let mut out = Vec::new();
    let mut differ = |col: &str, expected: &str| {
        if row.get(col) != expected {
            out.push(format!(
                "{col} '{}' but expected '{expected}'",
                row.get(col)
            ));
        }
    };
    differ("level", &want.level);
    differ("billing_code", &want.billing_code);
    differ("day", &want.date.format("%a").to_string());
    if parse_int(row.get("minutes")) != Some(want.minutes) {
        out.push(format!(
            "minutes '{}' but the roster has {}",
            row.get("minutes"),
            want.minutes
        ));
    }
    if let Some(billable) = want.billable {
        let expected = if billable { "yes" } else { "no" };
        if row.get("billable").to_lowercase() != expected {
            out.push(format!(
                "billable '{}' but expected '{expected}' ({})",
                row.get("billable"),
                if billable {
                    "the day meets its level"
                } else {
                    &want.reason
                }
            ));
        }
        if !billable && row.get("reason").is_empty() {
            out.push("not billable without a reason".to_string());
        }
    }
    out
}

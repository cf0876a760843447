//! The checker's own CSV reading and cell parsing, written from the contract.
//!
//! Deliberately separate from `crate::input`: lenient about spreadsheet habits (BOM,
//! CRLF, spaces, header case, column order, blank lines), and a cell it cannot read
//! becomes a problem report rather than a guess.

use super::Violation;
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Minutes in one day.
pub(super) const DAY: i64 = 1440;
pub(super) const DAY_NAMES: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// One data row: lower-cased header name -> trimmed cell, plus its physical line.
pub(super) struct Row {
    pub line: u64,
    cells: HashMap<String, String>,
}

impl Row {
    /// A missing column reads as empty, which the contract defines as "not set".
    pub fn get(&self, col: &str) -> &str {
        self.cells.get(col).map(String::as_str).unwrap_or("")
    }
}

pub(super) struct Table {
    pub name: String,
    cols: HashSet<String>,
    pub rows: Vec<Row>,
}

impl Table {
    pub fn empty(name: &str) -> Table {
        Table {
            name: name.to_string(),
            cols: HashSet::new(),
            rows: Vec::new(),
        }
    }

    /// Reports every missing required column; returns whether all are present.
    pub fn require(&self, cols: &[&str], errs: &mut Vec<Violation>) -> bool {
        let missing: Vec<&str> = cols
            .iter()
            .copied()
            .filter(|c| !self.cols.contains(*c))
            .collect();
        for c in &missing {
            errs.push(Violation::in_file(
                "columns",
                &self.name,
                None,
                format!("missing column '{c}'"),
            ));
        }
        missing.is_empty()
    }
}

/// The last part of a path, for messages (`roster.csv`).
pub(super) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Reads the CSV file at `path`; a missing file yields `None` (reported only when
/// `required`; anything else that cannot be read is always reported).
pub(super) fn read_table(path: &Path, required: bool, errs: &mut Vec<Violation>) -> Option<Table> {
    let name = file_name(path);
    // Only a name that is not there at all is an absent optional file; a link to
    // nothing, a folder or an unreadable file is a problem like in a required one.
    let absent =
        std::fs::symlink_metadata(path).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound);
    if absent && !required {
        return None;
    }
    let text = match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => Err(std::io::Error::other("not a regular file")),
        _ => std::fs::read_to_string(path),
    };
    let text = match text {
        Ok(t) => t,
        Err(e) => {
            errs.push(Violation::in_file(
                "file",
                &name,
                None,
                format!("cannot read {}: {e}", path.display()),
            ));
            return None;
        }
    };
    // Spreadsheets write a byte-order mark; strip it so the first header matches.
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match rdr.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_ascii_lowercase()).collect(),
        Err(e) => {
            errs.push(Violation::in_file(
                "file",
                &name,
                None,
                format!("bad header: {e}"),
            ));
            return None;
        }
    };
    let mut table = Table::empty(&name);
    table.cols = headers.iter().filter(|h| !h.is_empty()).cloned().collect();
    for rec in rdr.records() {
        match rec {
            Ok(r) if r.iter().all(|c| c.trim().is_empty()) => {}
            Ok(r) => table.rows.push(Row {
                line: r.position().map_or(0, |p| physical_line(text, p.byte())),
                cells: headers
                    .iter()
                    .cloned()
                    .zip(r.iter().map(|c| c.trim().to_string()))
                    .collect(),
            }),
            Err(e) => errs.push(Violation::in_file(
                "file",
                &name,
                e.position().map(|p| physical_line(text, p.byte())),
                format!("unreadable record: {e}"),
            )),
        }
    }
    Some(table)
}

/// The 1-based physical line at byte `offset`. The csv crate's own line count skips
/// blank lines and counts a CRLF file's lines one short, so `FILE:LINE` is derived
/// from the record's byte offset instead; any blank lines the reader skipped before
/// the record are stepped over.
fn physical_line(text: &str, offset: u64) -> u64 {
    let offset = (offset as usize).min(text.len());
    let before = &text.as_bytes()[..offset];
    let rest = &text.as_bytes()[offset..];
    let skipped = rest
        .iter()
        .take_while(|b| matches!(b, b'\r' | b'\n'))
        .filter(|&&b| b == b'\n')
        .count();
    (before.iter().filter(|&&b| b == b'\n').count() + skipped + 1) as u64
}

pub(super) enum DaySpec {
    Weekday(i64),
    Date(NaiveDate),
}

pub(super) fn parse_date(s: &str) -> Option<NaiveDate> {
    let mut parts = s.trim().split('-');
    let y = parts.next()?.parse::<i32>().ok()?;
    let m = parts.next()?.parse::<u32>().ok()?;
    let d = parts.next()?.parse::<u32>().ok()?;
    if parts.next().is_some() {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

/// `Mon`, `monday`, `Tues`, `thurs`... (any prefix of at least 3 letters) or a date.
pub(super) fn parse_day(s: &str) -> Option<DaySpec> {
    if let Some(d) = parse_date(s) {
        return Some(DaySpec::Date(d));
    }
    let l = s.trim().to_ascii_lowercase();
    if l.len() < 3 {
        return None;
    }
    DAY_NAMES
        .iter()
        .position(|n| n.starts_with(&l))
        .map(|i| DaySpec::Weekday(i as i64))
}

/// Day index 0..7 within the week; `Ok(None)` for a dated row outside the week.
pub(super) fn resolve_day(s: &str, monday: NaiveDate) -> Result<Option<i64>, ()> {
    match parse_day(s).ok_or(())? {
        DaySpec::Weekday(i) => Ok(Some(i)),
        DaySpec::Date(d) => {
            let k = d.signed_duration_since(monday).num_days();
            Ok((0..7).contains(&k).then_some(k))
        }
    }
}

/// Minutes after midnight for `9:00`, `09:00`, `24:00`, `9:00 AM`, `6:30pm`, `6pm`.
pub(super) fn parse_time(s: &str) -> Option<i64> {
    let t: String = s
        .trim()
        .to_ascii_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.')
        .collect();
    let (body, pm) = if let Some(b) = t.strip_suffix("am") {
        (b, Some(false))
    } else if let Some(b) = t.strip_suffix("pm") {
        (b, Some(true))
    } else {
        (t.as_str(), None)
    };
    let (h, m) = match body.split_once(':') {
        Some((h, m)) if m.len() == 2 => (h.parse::<i64>().ok()?, m.parse::<i64>().ok()?),
        // A bare hour is only unambiguous with am/pm (`6pm`).
        None if pm.is_some() => (body.parse::<i64>().ok()?, 0),
        _ => return None,
    };
    if !(0..60).contains(&m) {
        return None;
    }
    match pm {
        Some(pm) if (1..=12).contains(&h) => Some((h % 12 + if pm { 12 } else { 0 }) * 60 + m),
        Some(_) => None,
        None if (0..24).contains(&h) || (h == 24 && m == 0) => Some(h * 60 + m),
        None => None,
    }
}

pub(super) fn parse_num(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

pub(super) fn parse_int(s: &str) -> Option<i64> {
    let v = parse_num(s)?;
    (v.fract() == 0.0).then_some(v as i64)
}

/// Hours to whole minutes; float noise (0.1 h = 6.000000000000001 min) must not
/// push an exact value to the next minute.
fn hours_to_minutes(s: &str, round_up: bool) -> Option<i64> {
    let x = parse_num(s)? * 60.0;
    let r = x.round();
    Some(if (x - r).abs() < 1e-6 {
        r as i64
    } else if round_up {
        x.ceil() as i64
    } else {
        x.floor() as i64
    })
}

/// A minimum in hours as minutes, rounded up.
pub(super) fn min_minutes(s: &str) -> Option<i64> {
    hours_to_minutes(s, true)
}

/// A maximum in hours as minutes, rounded down.
pub(super) fn max_minutes(s: &str) -> Option<i64> {
    hours_to_minutes(s, false)
}

pub(super) fn parse_list(s: &str) -> Vec<String> {
    s.split(';')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

pub(super) fn lower_list(s: &str) -> Vec<String> {
    parse_list(s).iter().map(|x| x.to_lowercase()).collect()
}

/// Empty means "not set", otherwise `parse` must succeed.
pub(super) fn optional<T>(s: &str, parse: impl Fn(&str) -> Option<T>) -> Option<Option<T>> {
    if s.is_empty() {
        Some(None)
    } else {
        parse(s).map(Some)
    }
}

/// Parses `row[col]`, recording a problem when it cannot be read.
pub(super) fn field<T>(
    table: &str,
    row: &Row,
    col: &str,
    parse: impl Fn(&str) -> Option<T>,
    errs: &mut Vec<Violation>,
) -> Option<T> {
    let v = parse(row.get(col));
    if v.is_none() {
        errs.push(Violation::in_file(
            "parse",
            table,
            Some(row.line),
            format!("column {col}: cannot read '{}'", shown(row.get(col))),
        ));
    }
    v
}

/// A CSV cell a spreadsheet shows as text: a leading `=`, `+`, `-`, `@`, tab or
/// carriage return would start a formula, so such a cell gets a leading `'`.
pub(super) fn cell_safe(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// A cell as the console echoes it: at most 60 characters (then `...`), control
/// characters escaped, so a hostile cell cannot flood or forge output lines.
pub(super) fn shown(cell: &str) -> String {
    let mut out: String = cell
        .chars()
        .take(60)
        .flat_map(|c| {
            let keep = !c.is_control();
            let escaped = c.escape_default();
            keep.then_some(c)
                .into_iter()
                .chain(escaped.filter(move |_| !keep))
        })
        .collect();
    if cell.chars().nth(60).is_some() {
        out.push_str("...");
    }
    out
}

/// An empty site on either side matches every site.
pub(super) fn sites_match(a: &str, b: &str) -> bool {
    a.is_empty() || b.is_empty() || a == b
}

/// `HH:MM` for a minute of the day (1440 is `24:00`).
pub(super) fn hm(min_of_day: i64) -> String {
    format!("{:02}:{:02}", min_of_day / 60, min_of_day % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_and_blank_lines_keep_physical_line_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        for text in [
            "\u{feff}a,b\r\n1,2\r\n\r\n3,4\r\n\r\n",
            "a,b\n1,2\n\n3,4\n",
            "a,b\n1,2\n \n3,4",
        ] {
            std::fs::write(&path, text).unwrap();
            let mut errs = Vec::new();
            let t = read_table(&path, true, &mut errs).unwrap();
            let lines: Vec<u64> = t.rows.iter().map(|r| r.line).collect();
            assert_eq!(lines, [2, 4], "{text:?}");
            assert_eq!(t.rows[1].get("b"), "4");
        }
    }

    #[test]
    fn times_in_every_spreadsheet_spelling() {
        assert_eq!(parse_time("9:00"), Some(540));
        assert_eq!(parse_time("09:00"), Some(540));
        assert_eq!(parse_time("6pm"), Some(1080));
        assert_eq!(parse_time("6:30 PM"), Some(1110));
        assert_eq!(parse_time("12:00 am"), Some(0));
        assert_eq!(parse_time("24:00"), Some(1440));
        assert_eq!(parse_time("24:30"), None);
        assert_eq!(parse_time("6"), None);
    }

    #[test]
    fn hours_round_minimums_up_and_maximums_down() {
        assert_eq!(min_minutes("0.01"), Some(1));
        assert_eq!(max_minutes("0.01"), Some(0));
        assert_eq!(max_minutes("8.5"), Some(510));
        assert_eq!(min_minutes("0.1"), Some(6));
    }

    #[test]
    fn day_names_and_dates() {
        let monday = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(resolve_day("Tues", monday), Ok(Some(1)));
        assert_eq!(resolve_day("2026-11-29", monday), Ok(Some(6)));
        assert_eq!(resolve_day("2026-11-30", monday), Ok(None));
        assert_eq!(resolve_day("Mo", monday), Err(()));
    }
}

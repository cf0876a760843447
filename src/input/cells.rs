//! Turning one cell into a typed value: whole numbers, hours, lists, days and
//! times, each failure worded as what was found and what was expected.
//!
//! Numbers are parsed as exact decimals, not floats, so that `0.1` hours is 6
//! minutes and not 6.000000000000001 rounded up to 7.

use super::table::At;
use crate::time::{self, Interval};
use chrono::NaiveDate;

/// What a whole-number cell must hold.
pub(super) const WHOLE: &str = "a whole number of 0 or more, e.g. 2";
/// What an hours cell must hold.
pub(super) const HOURS: &str = "a number of hours of 0 or more, e.g. 8 or 8.5";
const DAY: &str = "Mon..Sun, a full day name or YYYY-MM-DD";
pub(super) const TIME: &str = "a time such as 09:00 or 6:30 PM";

/// Which way hours that are not whole minutes go: minimums up, maximums down.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Round {
    Up,
    Down,
}

/// A non-negative decimal `numerator / denominator`, the denominator a power of ten.
struct Decimal {
    numerator: u128,
    denominator: u128,
}

/// Why a cell is not a usable number.
enum NumberError {
    NotANumber,
    Negative,
    TooLarge,
}

/// Parses `12`, `8.5`, `.5`, `3.` or `-0`; rejects signs other than a lone zero's,
/// exponents, thousands separators and decimal commas.
fn decimal(text: &str) -> Result<Decimal, NumberError> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !all_digits(whole) || !all_digits(fraction) {
        return Err(NumberError::NotANumber);
    }
    // 30 digits keep the value, and sixty times it, far inside u128.
    if whole.len() + fraction.len() > 30 {
        return Err(NumberError::TooLarge);
    }
    let parse = |s: &str| {
        if s.is_empty() {
            Ok(0)
        } else {
            s.parse::<u128>()
        }
    };
    let scale = 10u128.pow(fraction.len() as u32);
    let (Ok(w), Ok(f)) = (parse(whole), parse(fraction)) else {
        return Err(NumberError::NotANumber);
    };
    let numerator = w * scale + f;
    if negative && numerator != 0 {
        return Err(NumberError::Negative);
    }
    Ok(Decimal {
        numerator,
        denominator: scale,
    })
}

fn number_message(text: &str, error: NumberError, kind: &str, expected: &str) -> String {
    let text = shown(text);
    match error {
        NumberError::NotANumber => format!("'{text}' is not {kind} (expected {expected})"),
        NumberError::Negative => format!("'{text}' is negative (expected {expected})"),
        NumberError::TooLarge => format!("'{text}' is too large (expected {expected})"),
    }
}

/// A whole number of 0 or more; `2.0` is accepted, `2.5` is not.
pub(super) fn whole(text: &str) -> Result<u32, String> {
    let message = |e| number_message(text, e, "a whole number", WHOLE);
    let d = decimal(text).map_err(message)?;
    if d.numerator % d.denominator != 0 {
        return Err(message(NumberError::NotANumber));
    }
    u32::try_from(d.numerator / d.denominator).map_err(|_| message(NumberError::TooLarge))
}

/// Characters a spreadsheet takes as the start of a formula.
const FORMULA_START: [char; 4] = ['=', '+', '-', '@'];

/// Checks a code (an ID, a level, a site, a room): codes reach every output file,
/// so one that a spreadsheet would run as a formula or that holds a line break or
/// another control character is refused here rather than escaped everywhere.
pub(super) fn code(text: &str) -> Result<(), String> {
    if let Some(first) = text.chars().next().filter(|c| FORMULA_START.contains(c)) {
        return Err(format!(
            "'{}' starts with '{first}' (expected a code that does not start with =, +, - or @, \
             which spreadsheets run as a formula)",
            shown(text)
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(format!(
            "'{}' holds a control character (expected letters, digits, spaces and punctuation)",
            shown(text)
        ));
    }
    Ok(())
}

/// Longest part of a cell that messages echo.
const SHOWN_CHARS: usize = 60;

/// A cell as messages echo it: at most 60 characters (then `...`), control
/// characters written as escapes, so that one bad cell cannot flood or forge lines
/// of the console (cron mails it around).
pub(crate) fn shown(text: &str) -> String {
    let cut: String = text.chars().take(SHOWN_CHARS).collect();
    let mut out = escaped(&cut);
    if text.chars().nth(SHOWN_CHARS).is_some() {
        out.push_str("...");
    }
    out
}

/// `text` with control characters (line breaks, tabs, escapes) written as `\n`...
pub(super) fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// A calendar date `YYYY-MM-DD`.
pub(super) fn date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("'{}' is not a date (expected YYYY-MM-DD)", shown(text)))
}

/// Hours of 0 or more as whole minutes, rounded the way `round` says.
pub(super) fn hours(text: &str, round: Round) -> Result<u32, String> {
    let message = |e| number_message(text, e, "a number of hours", HOURS);
    let d = decimal(text).map_err(message)?;
    let sixty = d.numerator * 60;
    let minutes = match round {
        Round::Down => sixty / d.denominator,
        Round::Up => sixty.div_ceil(d.denominator),
    };
    u32::try_from(minutes).map_err(|_| message(NumberError::TooLarge))
}

/// `None` for an empty cell, else the cell as written (IDs, sites: case-sensitive).
pub(super) fn optional(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_string())
}

/// `None` for an empty cell, else the cell lower-cased (gender, stage).
pub(super) fn optional_lower(text: &str) -> Option<String> {
    optional(text).map(|t| t.to_lowercase())
}

/// The `;`-separated items of a cell, trimmed, empty items dropped.
pub(super) fn list(text: &str) -> Vec<&str> {
    text.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// A list cell lower-cased, sorted and deduplicated (tags).
pub(super) fn lower_set(text: &str) -> Vec<String> {
    let mut items: Vec<String> = list(text).into_iter().map(str::to_lowercase).collect();
    items.sort();
    items.dedup();
    items
}

/// Longest message printed; a longer one (only ever from echoed cells) is cut.
const MESSAGE_CHARS: usize = 1000;

/// A message cut at 1000 characters: the backstop for a message that echoes a
/// cell without [`shown`] (each echo site should use it).
pub(super) fn clipped(message: &str) -> String {
    if message.chars().nth(MESSAGE_CHARS).is_none() {
        return message.to_string();
    }
    let mut out: String = message.chars().take(MESSAGE_CHARS).collect();
    out.push_str("...");
    out
}

/// `message` with every echo of the cell `text` cut and escaped (see [`shown`]).
pub(super) fn echoed(message: String, text: &str) -> String {
    let short = shown(text);
    if short == text || text.is_empty() {
        message
    } else {
        message.replace(text, &short)
    }
}

impl At<'_> {
    /// Parses a cell that must not be empty; `expected` says what it should hold.
    pub fn required<T>(
        &mut self,
        column: &str,
        text: &str,
        expected: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        if text.is_empty() {
            self.error(column, format!("is empty (expected {expected})"));
            return None;
        }
        let result = parse(text).map_err(|message| echoed(message, text));
        self.check(column, result)
    }

    /// Checks a code cell (see [`code`]); true when it may be used.
    pub fn code(&mut self, column: &str, text: &str) -> bool {
        let result = code(text);
        self.check(column, result).is_some()
    }

    /// Parses a cell that may be empty: `Some(None)` when empty, `None` when bad.
    pub fn optional<T>(
        &mut self,
        column: &str,
        text: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<Option<T>> {
        if text.is_empty() {
            return Some(None);
        }
        let result = parse(text)
            .map(Some)
            .map_err(|message| echoed(message, text));
        self.check(column, result)
    }

    /// The `[start, end)` of a `day, start, end` row: `Some(None)` for a dated row
    /// outside the week of `monday`, `None` when any of the three cells is bad.
    pub fn interval(
        &mut self,
        monday: NaiveDate,
        day: &str,
        start: &str,
        end: &str,
    ) -> Option<Option<Interval>> {
        let day = self.required("day", day, DAY, time::parse_day);
        let start_minute = self.required("start", start, TIME, time::parse_time);
        let end_minute = self.required("end", end, TIME, time::parse_time);
        let (start_minute, end_minute) = (start_minute?, end_minute?);
        if end_minute <= start_minute {
            let message =
                format!("'{end}' is not after start '{start}' (expected an end later than the start on the same day)");
            self.error("end", message);
            return None;
        }
        let day = day?;
        // A dated row of another week is still checked above, then ignored.
        let Some(day) = day.in_week(monday) else {
            return Some(None);
        };
        let interval = Interval::on_day(day, start_minute, end_minute);
        if interval.is_none() {
            self.error(
                "end",
                format!("'{end}' is not a valid end (expected {TIME})"),
            );
            return None;
        }
        Some(interval)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_accept_integral_decimals_only() {
        assert_eq!(whole("3"), Ok(3));
        assert_eq!(whole("2.0"), Ok(2));
        assert_eq!(whole("-0"), Ok(0));
        assert_eq!(
            whole("1.5"),
            Err(
                "'1.5' is not a whole number (expected a whole number of 0 or more, e.g. 2)".into()
            )
        );
        assert_eq!(
            whole("-1"),
            Err("'-1' is negative (expected a whole number of 0 or more, e.g. 2)".into())
        );
        assert!(whole("4294967296").is_err());
        for bad in ["1e3", "1,5", ".", "+1", "one", "1.2.3", "NaN"] {
            assert!(whole(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn hours_round_minimums_up_and_maximums_down() {
        assert_eq!(hours("8.5", Round::Down), Ok(510));
        assert_eq!(hours("8.5", Round::Up), Ok(510));
        assert_eq!(hours("0.1", Round::Up), Ok(6));
        assert_eq!(hours("0.01", Round::Up), Ok(1));
        assert_eq!(hours("0.01", Round::Down), Ok(0));
        assert_eq!(hours(".25", Round::Down), Ok(15));
        assert_eq!(hours("3.", Round::Down), Ok(180));
        assert_eq!(
            hours("-2", Round::Up),
            Err("'-2' is negative (expected a number of hours of 0 or more, e.g. 8 or 8.5)".into())
        );
        assert!(hours("99999999999999999999999999", Round::Down).is_err());
    }

    #[test]
    fn codes_that_spreadsheets_run_or_that_break_lines_are_refused() {
        for bad in [
            "=cmd|' /C calc'!A0",
            "+1",
            "-x",
            "@SUM(A1)",
            "C1\nATTENDEE:x",
            "a\tb",
        ] {
            assert!(code(bad).is_err(), "{bad:?} should be refused");
        }
        for good in ["C001", "Room A", "site-North", "x=y", "O'Brien 2"] {
            assert_eq!(code(good), Ok(()), "{good:?}");
        }
    }

    #[test]
    fn echoed_cells_are_cut_and_escaped() {
        assert_eq!(shown("short"), "short");
        assert_eq!(shown("a\nb\r"), "a\\nb\\r");
        let long = "x".repeat(1_000_000);
        assert_eq!(shown(&long), format!("{}...", "x".repeat(60)));
        let message = whole(&long).unwrap_err();
        assert!(message.len() < 200, "{message}");
        assert_eq!(
            echoed(format!("'{long}' is bad"), &long),
            format!("'{}...' is bad", "x".repeat(60))
        );
    }

    #[test]
    fn long_messages_are_clipped() {
        assert_eq!(clipped("short"), "short");
        assert_eq!(clipped(&"z".repeat(5000)).len(), 1003);
    }

    #[test]
    fn lists_are_trimmed_and_lowered_sets_sorted() {
        assert_eq!(list(" IOP ; ;PHP;"), vec!["IOP", "PHP"]);
        assert_eq!(lower_set("Women; trauma;women"), vec!["trauma", "women"]);
        assert_eq!(list(""), Vec::<&str>::new());
    }
}

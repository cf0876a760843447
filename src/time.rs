//! Time of the scheduled week as whole minutes since Monday 00:00.
//!
//! Strings stop at the input border: everything past it works with [`Day`] and
//! [`Interval`], so that "Tue 18:00" and a date inside the week compare as numbers.

use chrono::{Datelike, Duration, NaiveDate};
use std::fmt;

/// Minutes in one day.
pub const DAY_MINUTES: u32 = 24 * 60;

/// A day of the scheduled week, Monday = 0 .. Sunday = 6.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(u8);

const SHORT_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const LONG_NAMES: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

impl Day {
    /// The day with index `i` (Monday = 0), if `i < 7`.
    pub fn new(i: usize) -> Option<Day> {
        (i < 7).then_some(Day(i as u8))
    }

    /// All seven days, Monday first.
    pub fn all() -> impl Iterator<Item = Day> {
        (0..7u8).map(Day)
    }

    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// `Mon`, `Tue`, ... as the roster writes them.
    pub fn short_name(self) -> &'static str {
        SHORT_NAMES[self.index()]
    }

    /// Minute of the week at which this day starts.
    pub fn start_minute(self) -> u32 {
        self.0 as u32 * DAY_MINUTES
    }

    /// The calendar date of this day in the week starting on `monday`.
    pub fn date(self, monday: NaiveDate) -> NaiveDate {
        monday + Duration::days(self.0 as i64)
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.short_name())
    }
}

/// The Monday of the week that contains `date`.
pub fn week_monday(date: NaiveDate) -> NaiveDate {
    date - Duration::days(date.weekday().num_days_from_monday() as i64)
}

/// A half-open interval `[start, end)` of minutes since Monday 00:00, inside one day.
///
/// The constructor is the only way to make one, so `start < end` and "same day"
/// hold everywhere past the input border.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Interval {
    start: u32,
    end: u32,
}

impl Interval {
    /// `[start, end)` on `day`, with both given as minutes of that day.
    /// `None` unless `start < end <= 24:00`.
    pub fn on_day(day: Day, start_of_day: u32, end_of_day: u32) -> Option<Interval> {
        (start_of_day < end_of_day && end_of_day <= DAY_MINUTES).then(|| Interval {
            start: day.start_minute() + start_of_day,
            end: day.start_minute() + end_of_day,
        })
    }

    /// An interval of `minutes` starting at minute-of-week `start`, if it stays inside one day.
    pub fn starting_at(start: u32, minutes: u32) -> Option<Interval> {
        let day = Day::new((start / DAY_MINUTES) as usize)?;
        let of_day = start - day.start_minute();
        Interval::on_day(day, of_day, of_day + minutes)
    }

    pub fn start(self) -> u32 {
        self.start
    }

    pub fn end(self) -> u32 {
        self.end
    }

    pub fn minutes(self) -> u32 {
        self.end - self.start
    }

    pub fn day(self) -> Day {
        Day(((self.start) / DAY_MINUTES) as u8)
    }

    /// Start as minutes of its own day.
    pub fn start_of_day(self) -> u32 {
        self.start - self.day().start_minute()
    }

    /// End as minutes of its own day (`24:00` is 1440).
    pub fn end_of_day(self) -> u32 {
        self.end - self.day().start_minute()
    }

    pub fn overlaps(self, other: Interval) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// True when `other` lies entirely inside `self`.
    pub fn contains(self, other: Interval) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// True when this interval overlaps `[start - pad, end + pad)` of `other`:
    /// the busy-block-plus-travel rule. The padded window may cross midnight.
    pub fn overlaps_padded(self, other: Interval, pad: u32) -> bool {
        let lo = other.start.saturating_sub(pad);
        let hi = other.end + pad;
        self.start < hi && lo < self.end
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}-{}",
            self.day(),
            hhmm(self.start_of_day()),
            hhmm(self.end_of_day())
        )
    }
}

/// `HH:MM` for a minute of the day (1440 prints as `24:00`).
pub fn hhmm(minute_of_day: u32) -> String {
    format!("{:02}:{:02}", minute_of_day / 60, minute_of_day % 60)
}

/// Minutes as hours with at most two decimals and no trailing zeros (`9`, `2.5`, `8.33`).
pub fn hours(minutes: u32) -> String {
    let text = format!("{:.2}", minutes as f64 / 60.0);
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Sorts intervals and merges those that touch or overlap
/// (08:00-12:00 + 12:00-17:00 becomes 08:00-17:00).
pub fn merge_touching(mut intervals: Vec<Interval>) -> Vec<Interval> {
    intervals.sort();
    let mut merged: Vec<Interval> = Vec::with_capacity(intervals.len());
    for iv in intervals {
        match merged.last_mut() {
            Some(last) if iv.start <= last.end && iv.day() == last.day() => {
                last.end = last.end.max(iv.end)
            }
            _ => merged.push(iv),
        }
    }
    merged
}

/// What a `day` cell names: a weekly recurring day or one dated occurrence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DaySpec {
    Weekly(Day),
    Date(NaiveDate),
}

impl DaySpec {
    /// The day of the week starting on `monday` this row applies to, or `None`
    /// for a dated row outside that week.
    pub fn in_week(self, monday: NaiveDate) -> Option<Day> {
        match self {
            DaySpec::Weekly(day) => Some(day),
            DaySpec::Date(date) => {
                let offset = (date - monday).num_days();
                Day::new(usize::try_from(offset).ok()?)
            }
        }
    }
}

/// Parses `Mon`..`Sun`, full names (any case) or a `YYYY-MM-DD` date.
pub fn parse_day(text: &str) -> Result<DaySpec, String> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    if let Some(i) = LONG_NAMES
        .iter()
        .position(|long| lower == *long || (lower.len() == 3 && long.starts_with(&lower)))
    {
        return Ok(DaySpec::Weekly(Day(i as u8)));
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .map(DaySpec::Date)
        .map_err(|_| {
            format!("'{t}' is not a day (expected Mon..Sun, a full day name or YYYY-MM-DD)")
        })
}

/// Parses `9:00`, `09:00`, `24:00`, `9:00 AM`, `6:30pm` or `6pm` into minutes of the day.
pub fn parse_time(text: &str) -> Result<u32, String> {
    let t = text.trim();
    let bad = || format!("'{t}' is not a time (expected HH:MM, e.g. 09:00 or 6:30 PM)");
    let lower = t.to_ascii_lowercase();
    let (clock, meridiem) = if let Some(rest) = lower.strip_suffix("am") {
        (rest.trim_end(), Some(false))
    } else if let Some(rest) = lower.strip_suffix("pm") {
        (rest.trim_end(), Some(true))
    } else {
        (lower.as_str(), None)
    };
    let (h, m) = match clock.split_once(':') {
        Some((h, m)) if m.len() == 2 => (h, m),
        None if meridiem.is_some() => (clock, "00"),
        _ => return Err(bad()),
    };
    let digits = |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(h) || !digits(m) {
        return Err(bad());
    }
    let (h, m): (u32, u32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if m > 59 {
        return Err(bad());
    }
    let hour = match meridiem {
        None if h < 24 || (h == 24 && m == 0) => h,
        Some(pm) if (1..=12).contains(&h) => (h % 12) + if pm { 12 } else { 0 },
        _ => return Err(bad()),
    };
    Ok(hour * 60 + m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_in_every_spreadsheet_form() {
        assert_eq!(parse_time("9:00"), Ok(540));
        assert_eq!(parse_time(" 09:00 "), Ok(540));
        assert_eq!(parse_time("24:00"), Ok(1440));
        assert_eq!(parse_time("9:00 AM"), Ok(540));
        assert_eq!(parse_time("6:30pm"), Ok(18 * 60 + 30));
        assert_eq!(parse_time("6pm"), Ok(18 * 60));
        assert_eq!(parse_time("12:00 AM"), Ok(0));
        assert_eq!(parse_time("12:15 PM"), Ok(12 * 60 + 15));
    }

    #[test]
    fn bad_times_are_rejected() {
        for bad in [
            "", "25:00", "9", "9:5", "13:00 PM", "0:30 am", "24:01", "nine", "9:60",
        ] {
            assert!(parse_time(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn day_names_and_dates() {
        assert_eq!(parse_day("mon"), Ok(DaySpec::Weekly(Day(0))));
        assert_eq!(parse_day("Wednesday"), Ok(DaySpec::Weekly(Day(2))));
        assert_eq!(parse_day("SUN"), Ok(DaySpec::Weekly(Day(6))));
        let monday = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let d = parse_day("2026-11-25").unwrap();
        assert_eq!(d.in_week(monday), Day::new(2));
        assert_eq!(parse_day("2026-12-01").unwrap().in_week(monday), None);
        assert!(parse_day("Mo").is_err());
        assert!(parse_day("2026-13-01").is_err());
    }

    #[test]
    fn hours_print_without_trailing_zeros() {
        assert_eq!(hours(540), "9");
        assert_eq!(hours(150), "2.5");
        assert_eq!(hours(500), "8.33");
        assert_eq!(hours(0), "0");
    }

    #[test]
    fn any_date_maps_to_its_monday() {
        let sunday = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        assert_eq!(
            week_monday(sunday),
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
        );
    }

    #[test]
    fn touching_blocks_merge_but_not_across_days() {
        let mon = Day::new(0).unwrap();
        let tue = Day::new(1).unwrap();
        let merged = merge_touching(vec![
            Interval::on_day(mon, 720, 1020).unwrap(),
            Interval::on_day(mon, 480, 720).unwrap(),
            Interval::on_day(tue, 0, 60).unwrap(),
        ]);
        assert_eq!(
            merged,
            vec![
                Interval::on_day(mon, 480, 1020).unwrap(),
                Interval::on_day(tue, 0, 60).unwrap()
            ]
        );
    }

    #[test]
    fn travel_padding_reaches_across_the_block() {
        let mon = Day::new(0).unwrap();
        let busy = Interval::on_day(mon, 8 * 60, 17 * 60).unwrap();
        let at_1715 = Interval::on_day(mon, 17 * 60 + 15, 18 * 60).unwrap();
        assert!(at_1715.overlaps_padded(busy, 30));
        assert!(!at_1715.overlaps_padded(busy, 15));
    }
}

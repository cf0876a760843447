//! One iCalendar file (RFC 5545) per staff member and per client who has something
//! this week, for importing into a calendar app.
//!
//! Times are the program's wall-clock times, written with a `TZID` of the chosen IANA
//! zone and a matching `VTIMEZONE`. Everything is deterministic: UIDs are built from
//! the week, the person and the start, and `DTSTAMP` is the week's Monday 00:00 UTC,
//! so a second run writes byte-identical files. A client's file names only that
//! client: never who else attends a group.

use crate::domain::{Activity, ClientIx, Program, StaffIx};
use crate::time::Interval;
use crate::Schedule;
use chrono::{Duration, NaiveDate, NaiveDateTime, Offset, TimeZone};
use chrono_tz::{OffsetComponents, OffsetName, Tz};
use icalendar::{Calendar, CalendarDateTime, Component, Event, EventLike};
use std::collections::HashSet;

/// One calendar file: its name inside `calendars/` and its contents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarFile {
    /// `staff-<id>.ics` or `client-<id>.ics`, made safe for a file system.
    pub name: String,
    pub text: String,
}

/// One appointment as it appears in somebody's calendar.
struct Appointment {
    interval: Interval,
    activity: Activity,
    summary: String,
    location: Option<String>,
    description: String,
}

/// Renders the calendars of every staff member and client who has an appointment,
/// staff first, each group in id order.
pub fn render(program: &Program, schedule: &Schedule, tz: Tz) -> Vec<CalendarFile> {
    let mut names = FileNames::default();
    let mut files = Vec::new();
    let mut staff: Vec<StaffIx> = program.staff_ixs().collect();
    staff.sort_by(|&a, &b| program.staff(a).id.cmp(&program.staff(b).id));
    for t in staff {
        let appointments = staff_appointments(program, schedule, t);
        if !appointments.is_empty() {
            let stem = names.claim("staff", &program.staff(t).id.0);
            let title = format!("staff {}", program.staff(t).id);
            files.push(file(program, tz, stem, &title, appointments));
        }
    }
    let mut clients: Vec<ClientIx> = program.client_ixs().collect();
    clients.sort_by(|&a, &b| program.client(a).id.cmp(&program.client(b).id));
    for c in clients {
        let appointments = client_appointments(program, schedule, c);
        if !appointments.is_empty() {
            let stem = names.claim("client", &program.client(c).id.0);
            let title = format!("client {}", program.client(c).id);
            files.push(file(program, tz, stem, &title, appointments));
        }
    }
    files
}

/// What staff member `t` does: facilitating running groups, individual sessions, visits.
fn staff_appointments(program: &Program, schedule: &Schedule, t: StaffIx) -> Vec<Appointment> {
    let roster = &schedule.roster;
    let mut out = Vec::new();
    for (s, session) in program.session_list() {
        if roster.enrolled[s] == 0 || roster.facilitator[s] != Some(t) {
            continue;
        }
        let members: Vec<&str> = roster
            .entries
            .iter()
            .filter(|e| e.session == Some(s))
            .map(|e| program.client(e.client).id.0.as_str())
            .collect();
        out.push(Appointment {
            interval: session.interval,
            activity: Activity::Group,
            summary: format!("Group: {}", session.name),
            location: location(session.room.as_deref(), session.site.as_deref()),
            description: format!(
                "Session {}, {}/{} enrolled: {}",
                session.id,
                roster.enrolled[s],
                session.capacity,
                members.join(", ")
            ),
        });
    }
    for e in roster
        .entries
        .iter()
        .filter(|e| e.staff == t && e.activity != Activity::Group)
    {
        let client = program.client(e.client);
        out.push(Appointment {
            interval: e.interval,
            activity: e.activity,
            summary: format!("{}: {}", activity_title(program, e.activity), client.id),
            location: location(None, client.site.as_deref()),
            description: format!(
                "{} with client {}",
                activity_title(program, e.activity),
                client.id
            ),
        });
    }
    out.sort_by_key(|a| a.interval.start());
    out
}

/// What client `c` attends. Only this client's id and staff ids appear.
fn client_appointments(program: &Program, schedule: &Schedule, c: ClientIx) -> Vec<Appointment> {
    let client = program.client(c);
    schedule
        .roster
        .entries
        .iter()
        .filter(|e| e.client == c)
        .map(|e| {
            let staff = &program.staff(e.staff).id;
            match e.session.map(|s| program.session(s)) {
                Some(session) => Appointment {
                    interval: e.interval,
                    activity: e.activity,
                    summary: format!("Group: {} ({staff})", session.name),
                    location: location(session.room.as_deref(), session.site.as_deref()),
                    description: format!(
                        "Session {}, facilitator {staff}, client {}",
                        session.id, client.id
                    ),
                },
                None => Appointment {
                    interval: e.interval,
                    activity: e.activity,
                    summary: format!("{} with {staff}", activity_title(program, e.activity)),
                    location: location(None, client.site.as_deref()),
                    description: format!(
                        "{} with {staff}, client {}",
                        activity_title(program, e.activity),
                        client.id
                    ),
                },
            }
        })
        .collect()
}

/// "Individual therapy", "Physician visit", or a kind of appointments.csv as a
/// title ("Drug screen" for `drug_screen`).
fn activity_title(program: &Program, activity: Activity) -> String {
    match program.activity_name(activity) {
        "group" => "Group".to_string(),
        Program::INDIVIDUAL => "Individual therapy".to_string(),
        Program::PHYSICIAN => "Physician visit".to_string(),
        name => {
            let words = name.replace('_', " ");
            let mut chars = words.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }
    }
}

/// `Room A, site North`, either part alone, or nothing.
fn location(room: Option<&str>, site: Option<&str>) -> Option<String> {
    match (room, site) {
        (Some(room), Some(site)) => Some(format!("{room}, site {site}")),
        (Some(room), None) => Some(room.to_string()),
        (None, Some(site)) => Some(format!("site {site}")),
        (None, None) => None,
    }
}

/// Local wall-clock time of a minute of the scheduled week.
fn local(monday: NaiveDate, minute_of_week: u32) -> NaiveDateTime {
    monday.and_time(chrono::NaiveTime::MIN) + Duration::minutes(minute_of_week as i64)
}

/// One person's calendar file.
fn file(
    program: &Program,
    tz: Tz,
    stem: String,
    title: &str,
    appointments: Vec<Appointment>,
) -> CalendarFile {
    let monday = program.monday;
    let stamp = monday.and_time(chrono::NaiveTime::MIN).and_utc();
    let at = |minute: u32| CalendarDateTime::WithTimezone {
        date_time: local(monday, minute),
        tzid: tz.name().to_string(),
    };
    let mut calendar = Calendar::empty();
    for (key, value) in [
        ("VERSION", "2.0"),
        ("PRODID", "-//iopsched//weekly roster//EN"),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
    ] {
        calendar.append_property((key, value));
    }
    let name = plain(&format!("iopsched week of {monday}: {title}"));
    // icalendar escapes X-WR-CALNAME but writes NAME (RFC 7986) as it is given.
    calendar.append_property(("NAME", escape_text(&name).as_str()));
    calendar.append_property(("X-WR-CALNAME", name.as_str()));
    calendar.timezone(tz);
    for a in appointments {
        let start = local(monday, a.interval.start());
        let mut event = Event::new();
        event
            .uid(&format!(
                "{monday}-{stem}-{}-{}@iopsched",
                start.format("%Y%m%dT%H%M"),
                program.activity_name(a.activity)
            ))
            .timestamp(stamp)
            .starts(at(a.interval.start()))
            .ends(at(a.interval.end()))
            .summary(&plain(&a.summary))
            .description(&plain(&a.description));
        if let Some(place) = &a.location {
            event.location(&plain(place));
        }
        calendar.push(event.done());
    }
    CalendarFile {
        name: format!("{stem}.ics"),
        text: with_vtimezone(calendar.to_string(), &vtimezone(tz, monday)),
    }
}

/// Free text (a session's name, a room) with every control character but the line
/// feed made a space: icalendar escapes `\n`, but a bare carriage return or another
/// control character would end or corrupt the content line.
fn plain(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() && c != '\n' { ' ' } else { c })
        .collect()
}

/// An RFC 5545 TEXT value (section 3.3.11): backslash, `;`, `,` and line breaks escaped.
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | ';' | ',' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Puts the `VTIMEZONE` block before the first event. icalendar 0.17 writes no
/// `VTIMEZONE` and would add a `DTSTAMP` and `UID` to any component we gave it, which
/// a `VTIMEZONE` must not have, so the block is written here as text.
fn with_vtimezone(mut text: String, block: &str) -> String {
    let at = text
        .find("BEGIN:VEVENT\r\n")
        .or_else(|| text.rfind("END:VCALENDAR"))
        .unwrap_or(text.len());
    text.insert_str(at, block);
    text
}

/// A `VTIMEZONE` for `tz` that is exact from the Sunday before the week to the Tuesday
/// after it: the offset in force then, plus every transition inside that span.
fn vtimezone(tz: Tz, monday: NaiveDate) -> String {
    let from = (monday - Duration::days(1)).and_time(chrono::NaiveTime::MIN);
    let to = from + Duration::days(9);
    let mut periods = vec![(from, Observance::at(tz, from))];
    let mut t = from;
    while t < to {
        let next = t + Duration::hours(1);
        if Observance::at(tz, next) != Observance::at(tz, t) {
            // Bisect to the second the offset changes.
            let (mut lo, mut hi) = (t, next);
            while hi - lo > Duration::seconds(1) {
                let mid = lo + (hi - lo) / 2;
                if Observance::at(tz, mid) == Observance::at(tz, lo) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            periods.push((hi, Observance::at(tz, hi)));
        }
        t = next;
    }
    let mut out = format!("BEGIN:VTIMEZONE\r\nTZID:{}\r\n", tz.name());
    let mut previous = periods[0].1.clone();
    for (onset_utc, o) in periods {
        let kind = if o.daylight { "DAYLIGHT" } else { "STANDARD" };
        // RFC 5545: an observance's DTSTART is local time in the offset it replaces.
        let onset = onset_utc + Duration::seconds(previous.offset as i64);
        out.push_str(&format!(
            "BEGIN:{kind}\r\nDTSTART:{}\r\nTZOFFSETFROM:{}\r\nTZOFFSETTO:{}\r\n",
            onset.format("%Y%m%dT%H%M%S"),
            utc_offset(previous.offset),
            utc_offset(o.offset)
        ));
        if let Some(name) = &o.name {
            out.push_str(&format!("TZNAME:{name}\r\n"));
        }
        out.push_str(&format!("END:{kind}\r\n"));
        previous = o;
    }
    out.push_str("END:VTIMEZONE\r\n");
    out
}

/// The offset rules of a zone at one instant.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Observance {
    /// Seconds east of UTC.
    offset: i32,
    daylight: bool,
    name: Option<String>,
}

impl Observance {
    fn at(tz: Tz, utc: NaiveDateTime) -> Observance {
        let o = tz.offset_from_utc_datetime(&utc);
        Observance {
            offset: o.fix().local_minus_utc(),
            daylight: !o.dst_offset().is_zero(),
            name: o.abbreviation().map(str::to_string),
        }
    }
}

/// `-0500`, `+0530`, or `+003456` when seconds are needed (RFC 5545 UTC-OFFSET).
fn utc_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.unsigned_abs();
    let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60);
    if sec == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{sec:02}")
    }
}

/// Hands out file stems that are safe on every file system and unique even where
/// names differ only in case (macOS, Windows).
#[derive(Default)]
struct FileNames {
    taken: HashSet<String>,
}

impl FileNames {
    /// `<kind>-<id>` with anything but ASCII letters, digits, `-`, `_` and `.`
    /// replaced by `_`, and `-2`, `-3`... appended when already taken.
    fn claim(&mut self, kind: &str, id: &str) -> String {
        let clean: String = id
            .chars()
            .take(80)
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let base = format!("{kind}-{clean}");
        let mut stem = base.clone();
        let mut n = 2;
        while !self.taken.insert(stem.to_ascii_lowercase()) {
            stem = format!("{base}-{n}");
            n += 1;
        }
        stem
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_and_unique_ignoring_case() {
        let mut names = FileNames::default();
        assert_eq!(names.claim("client", "C001"), "client-C001");
        assert_eq!(
            names.claim("client", "../etc/passwd"),
            "client-.._etc_passwd"
        );
        assert_eq!(names.claim("client", "c001"), "client-c001-2");
        assert_eq!(names.claim("client", "a b/c"), "client-a_b_c");
        assert_eq!(names.claim("client", "a_b_c"), "client-a_b_c-2");
        assert_eq!(names.claim("staff", "C001"), "staff-C001");
    }

    #[test]
    fn text_values_are_escaped_and_control_characters_dropped() {
        assert_eq!(escape_text("a,b;c\\d\ne\rf"), "a\\,b\\;c\\\\d\\ne f");
        assert_eq!(plain("x\r\ny\tz"), "x \ny z");
    }

    #[test]
    fn offsets_in_rfc_5545_form() {
        assert_eq!(utc_offset(-5 * 3600), "-0500");
        assert_eq!(utc_offset(5 * 3600 + 30 * 60), "+0530");
        assert_eq!(utc_offset(0), "+0000");
        assert_eq!(utc_offset(-(3600 + 2)), "-010002");
    }

    #[test]
    fn vtimezone_has_the_week_s_dst_change() {
        // US daylight saving time ends Sunday 2026-11-01 at 02:00 EDT.
        let monday = NaiveDate::from_ymd_opt(2026, 10, 26).unwrap();
        let text = vtimezone(chrono_tz::America::New_York, monday);
        assert!(text.contains("BEGIN:DAYLIGHT\r\nDTSTART:20261024T200000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0400\r\nTZNAME:EDT\r\n"), "{text}");
        assert!(text.contains("BEGIN:STANDARD\r\nDTSTART:20261101T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nTZNAME:EST\r\n"), "{text}");
        // A week without a change has one observance.
        let text = vtimezone(chrono_tz::America::New_York, monday + Duration::days(28));
        assert_eq!(text.matches("BEGIN:STANDARD").count(), 1, "{text}");
        assert!(!text.contains("DAYLIGHT"), "{text}");
    }

    #[test]
    fn vtimezone_goes_before_the_first_event() {
        let text =
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        assert_eq!(
            with_vtimezone(text.to_string(), "TZ\r\n"),
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nTZ\r\nBEGIN:VEVENT\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        );
    }
}

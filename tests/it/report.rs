//! The people-facing outputs of `solve`: `roster.html` and the `calendars/` folder,
//! on the bundled example with one session name that tries HTML injection. Each test
//! solves its own copy (a few seconds), so they share nothing.

use crate::workdir::{stderr, Workdir};
use icalendar::{CalendarDateTime, Component, DatePerhapsTime};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const TZ: &str = "America/New_York";
const PLANTED: &str = "Day Process <b>Bold</b> & Co";

/// The example with D-MON-A renamed to [`PLANTED`], solved for [`TZ`].
fn solved() -> Workdir {
    let wd = Workdir::example();
    let sessions = std::fs::read_to_string(wd.input().join("sessions.csv")).unwrap();
    let planted = sessions.replacen(
        "D-MON-A,Day Process Group A,",
        &format!("D-MON-A,{PLANTED},"),
        1,
    );
    assert_ne!(sessions, planted, "the example's D-MON-A row changed");
    wd.file("sessions.csv", &planted);
    let out = wd.solve(&["--timezone", TZ]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("roster.html and calendars/ ("),
        "the summary names the new outputs:\n{}",
        stderr(&out)
    );
    wd
}

/// The text of every file in `calendars/`, by file name.
fn calendars(wd: &Workdir) -> HashMap<String, String> {
    std::fs::read_dir(wd.out().join("calendars"))
        .expect("a calendars folder")
        .map(|e| {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&path).unwrap())
        })
        .collect()
}

fn parse(name: &str, text: &str) -> icalendar::Calendar {
    let unfolded = icalendar::parser::unfold(text);
    icalendar::parser::read_calendar(&unfolded)
        .unwrap_or_else(|e| panic!("{name} does not parse: {e}"))
        .into()
}

fn events(calendar: &icalendar::Calendar) -> Vec<&icalendar::Event> {
    calendar
        .components
        .iter()
        .filter_map(|c| c.as_event())
        .collect()
}

/// A roster time as the calendars must write it: local time with the zone's TZID.
fn local(date: &str, time: &str) -> DatePerhapsTime {
    let date_time =
        chrono::NaiveDateTime::parse_from_str(&format!("{date} {time}"), "%Y-%m-%d %H:%M")
            .unwrap_or_else(|e| panic!("roster time {date} {time}: {e}"));
    DatePerhapsTime::DateTime(CalendarDateTime::WithTimezone {
        date_time,
        tzid: TZ.to_string(),
    })
}

#[test]
fn calendars_parse_and_hold_each_persons_roster_rows_in_local_time() {
    let wd = &solved();
    let roster = wd.rows("roster.csv");
    let files = calendars(wd);

    // One file per staff member with work and per client with appointments.
    let expected: BTreeSet<String> = roster
        .iter()
        .flat_map(|r| {
            [
                format!("staff-{}.ics", r["staff_id"]),
                format!("client-{}.ics", r["client_id"]),
            ]
        })
        .collect();
    let actual: BTreeSet<String> = files.keys().cloned().collect();
    assert_eq!(actual, expected);

    for (name, text) in &files {
        let calendar = parse(name, text);
        assert!(
            text.contains(&format!("BEGIN:VTIMEZONE\r\nTZID:{TZ}\r\n")),
            "{name} defines its zone"
        );
        let events = events(&calendar);
        assert!(!events.is_empty(), "{name} has no events");
        let uids: BTreeSet<_> = events.iter().map(|e| e.get_uid().unwrap()).collect();
        assert_eq!(uids.len(), events.len(), "{name}: UIDs are not unique");
        for e in &events {
            assert!(e.get_uid().unwrap().ends_with("@iopsched"), "{name}");
            assert_eq!(
                e.get_timestamp().map(|t| t.to_rfc3339()),
                Some("2026-11-23T00:00:00+00:00".to_string()),
                "{name}: DTSTAMP is the week's Monday 00:00 UTC"
            );
            assert!(e.get_summary().is_some_and(|s| !s.is_empty()), "{name}");
        }
    }

    // Each client's file holds exactly their roster rows and no other client's id.
    let clients: BTreeSet<&str> = roster.iter().map(|r| r["client_id"].as_str()).collect();
    for &client in &clients {
        let name = format!("client-{client}.ics");
        let text = &files[&name];
        let calendar = parse(&name, text);
        let events = events(&calendar);
        let rows: Vec<_> = roster.iter().filter(|r| r["client_id"] == client).collect();
        assert_eq!(events.len(), rows.len(), "{name}");
        for row in rows {
            let start = local(&row["date"], &row["start"]);
            let event = events
                .iter()
                .find(|e| e.get_start() == Some(start.clone()))
                .unwrap_or_else(|| panic!("{name}: no event at {} {}", row["date"], row["start"]));
            assert_eq!(
                event.get_end(),
                Some(local(&row["date"], &row["end"])),
                "{name}"
            );
            assert!(
                event.get_summary().unwrap().contains(&row["staff_id"]),
                "{name}"
            );
        }
        for other in clients.iter().filter(|&&c| c != client) {
            assert!(
                !text.contains(other),
                "{name} mentions another client, {other}"
            );
        }
    }

    // A known row: the first individual session, in both the client's and the
    // therapist's calendar, at its local start with the zone written as TZID.
    let row = roster
        .iter()
        .find(|r| r["activity"] == "individual")
        .expect("the example books individual sessions");
    let stamp = format!(
        "DTSTART;TZID={TZ}:{}T{}00\r\n",
        row["date"].replace('-', ""),
        row["start"].replace(':', "")
    );
    for name in [
        format!("client-{}.ics", row["client_id"]),
        format!("staff-{}.ics", row["staff_id"]),
    ] {
        assert!(files[&name].contains(&stamp), "{name} lacks {stamp}");
        let calendar = parse(&name, &files[&name]);
        let start = local(&row["date"], &row["start"]);
        let event = events(&calendar)
            .into_iter()
            .find(|e| e.get_start() == Some(start.clone()))
            .unwrap_or_else(|| panic!("{name}: no event at {stamp}"));
        let summary = event.get_summary().unwrap();
        assert!(summary.contains("Individual therapy"), "{name}: {summary}");
    }

    // A staff member's group is one event, not one per client.
    let facilitated: BTreeSet<(&str, &str)> = roster
        .iter()
        .filter(|r| r["activity"] == "group" && r["staff_id"] == row["staff_id"])
        .map(|r| (r["date"].as_str(), r["start"].as_str()))
        .collect();
    let appointments = roster
        .iter()
        .filter(|r| r["activity"] != "group" && r["staff_id"] == row["staff_id"])
        .count();
    let name = format!("staff-{}.ics", row["staff_id"]);
    let staff_events = events(&parse(&name, &files[&name])).len();
    assert_eq!(staff_events, facilitated.len() + appointments, "{name}");
}

/// One client, one therapist, one session: solved in a blink.
fn tiny() -> Workdir {
    let wd = Workdir::new();
    wd.file("levels.csv", crate::workdir::LEVELS)
        .file("clients.csv", "client_id,level\nC1,OP\n")
        .file("staff.csv", "staff_id,role\nT1,therapist\n")
        .file("staff_availability.csv", "staff_id,day,start,end\nT1,Mon,08:00,17:00\n")
        .file(
            "sessions.csv",
            "session_id,name,day,start,end,facilitator,capacity\nS1,Check-in,Mon,09:00,10:00,T1,5\n",
        );
    wd
}

#[test]
fn a_new_run_replaces_last_weeks_calendars() {
    let wd = tiny();
    let calendars = wd.out().join("calendars");
    std::fs::create_dir_all(&calendars).unwrap();
    std::fs::write(calendars.join("client-GONE.ics"), "stale").unwrap();
    let out = wd.solve(&["--timezone", TZ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let names: BTreeSet<String> = std::fs::read_dir(&calendars)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(
        names,
        BTreeSet::from(["client-C1.ics".into(), "staff-T1.ics".into()])
    );
    let mut outputs: Vec<String> = std::fs::read_dir(wd.out())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    outputs.sort();
    assert_eq!(
        outputs,
        [
            "billing.csv",
            "calendars",
            "changes.csv",
            "client_summary.csv",
            "roster.csv",
            "roster.html",
            "run.json",
            "sessions_summary.csv"
        ],
        "no temporary files are left behind"
    );
}

#[test]
fn unknown_timezone_is_a_usage_error() {
    let wd = Workdir::example();
    let out = wd.solve(&["--timezone", "Mars/Olympus_Mons"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("not an IANA time zone"),
        "{}",
        stderr(&out)
    );
    assert!(!wd.out().exists());
}

/// `&`, `<`, `>`, `"` and `'` as the HTML must write them.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[test]
fn html_is_self_contained_escaped_and_complete() {
    let wd = &solved();
    let html = wd.read_out("roster.html");
    for banned in [
        "http://", "https://", "<script", "src=", "url(", "@import", "<link",
    ] {
        assert!(!html.contains(banned), "roster.html contains {banned}");
    }
    assert!(
        !html.contains("<b>Bold</b>"),
        "a session name went in unescaped"
    );
    assert!(
        html.contains(&escaped(PLANTED)),
        "the planted name is missing"
    );

    let running: Vec<String> = wd
        .rows("sessions_summary.csv")
        .into_iter()
        .filter(|r| r["status"] == "running")
        .map(|r| r["session_id"].clone())
        .collect();
    assert!(running.len() > 10, "{running:?}");
    for id in &running {
        assert!(html.contains(&format!(">{id}<")), "session {id} is missing");
    }
    let summaries = wd.rows("sessions_summary.csv");
    let dmona = summaries
        .iter()
        .find(|r| r["session_id"] == "D-MON-A")
        .unwrap();
    assert!(
        html.contains(&format!(">{}/{}<", dmona["enrolled"], dmona["capacity"])),
        "D-MON-A's enrollment is missing"
    );
    for client in wd.rows("client_summary.csv") {
        if client["status"] == "short" {
            assert!(html.contains(&escaped(&client["reason"])), "{client:?}");
        }
    }
    assert!(html.contains("@page { size: landscape"));
    assert_eq!(html.matches("<section class=\"view\">").count(), 4);

    // Billing: clients with a day that cannot be billed (or no program day) first.
    let billing = &html[html.find("<h2>Billing</h2>").expect("a billing view")..];
    let rows = wd.rows("billing.csv");
    let not_billable = |id: &str| {
        let mine: Vec<_> = rows.iter().filter(|r| r["client_id"] == id).collect();
        mine.is_empty() || mine.iter().any(|r| r["billable"] == "no")
    };
    let order: Vec<(bool, String)> = billing
        .split("<tr class=\"")
        .skip(1)
        .map(|row| {
            let id = row.split("<td class=\"id\">").nth(1).unwrap();
            (
                row.starts_with("short"),
                id[..id.find('<').unwrap()].to_string(),
            )
        })
        .collect();
    assert_eq!(order.len(), wd.rows("client_summary.csv").len());
    assert!(order.iter().any(|(short, _)| *short));
    assert!(order.windows(2).all(|w| w[0].0 >= w[1].0), "{order:?}");
    for (short, id) in &order {
        assert_eq!(*short, not_billable(id), "{id}");
    }
    assert!(billing.contains(">H0015<"));
}

/// Runs a command, killing it after `limit`; true when it exited successfully.
fn run_with_timeout(cmd: &mut Command, limit: Duration) -> bool {
    let mut child = cmd.spawn().expect("start chromium");
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.success();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn chromium(profile: &Path, html: &Path, output: &str) -> Command {
    let mut cmd = Command::new("/usr/bin/chromium");
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--no-pdf-header-footer",
        "--window-size=1600,1000",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .arg(output)
    .arg(format!("file://{}", html.display()))
    .stdout(std::process::Stdio::null())
    .stderr(std::process::Stdio::null());
    cmd
}

/// True when /usr/bin/chromium exists; without it the browser tests fail, unless
/// IOPSCHED_SKIP_BROWSER=1 says to skip them.
fn have_browser() -> bool {
    if Path::new("/usr/bin/chromium").exists() {
        return true;
    }
    if std::env::var("IOPSCHED_SKIP_BROWSER").as_deref() == Ok("1") {
        eprintln!("skipped: /usr/bin/chromium is missing and IOPSCHED_SKIP_BROWSER=1");
        return false;
    }
    panic!(
        "/usr/bin/chromium is missing: install it (apt-get install -y chromium) \
         or set IOPSCHED_SKIP_BROWSER=1 to skip the browser tests"
    );
}

/// Prints `html` to PDF with headless Chromium; returns the number of pages.
fn print_pages(html: &Path, keep: Option<&str>) -> usize {
    let scratch = tempfile::tempdir().unwrap();
    let pdf = scratch.path().join("grid.pdf");
    let print = format!("--print-to-pdf={}", pdf.display());
    assert!(run_with_timeout(
        &mut chromium(&scratch.path().join("profile"), html, &print),
        Duration::from_secs(90)
    ));
    let document = std::fs::read(&pdf).expect("chromium wrote no PDF");
    assert!(document.starts_with(b"%PDF-"), "not a PDF");
    if let Some(keep) = keep.and_then(|var| std::env::var(var).ok()) {
        std::fs::copy(&pdf, keep).unwrap();
    }
    let count = |needle: &[u8]| {
        document
            .windows(needle.len())
            .filter(|w| *w == needle)
            .count()
    };
    count(b"/Type /Page") - count(b"/Type /Pages")
}

#[test]
fn a_headless_browser_renders_and_prints_the_grid() {
    if !have_browser() {
        return;
    }
    let wd = &solved();
    let html: PathBuf = wd.out().join("roster.html");
    let scratch = tempfile::tempdir().unwrap();
    let png = scratch.path().join("grid.png");
    let shot = format!("--screenshot={}", png.display());
    assert!(run_with_timeout(
        &mut chromium(&scratch.path().join("profile"), &html, &shot),
        Duration::from_secs(90)
    ));
    let image = std::fs::read(&png).expect("chromium wrote no screenshot");
    assert!(image.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let width = u32::from_be_bytes(image[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(image[20..24].try_into().unwrap());
    assert_eq!((width, height), (1600, 1000));
    // A blank page compresses to a few kilobytes; the grid is far more.
    assert!(
        image.len() > 50_000,
        "screenshot is only {} bytes",
        image.len()
    );
    if let Ok(keep) = std::env::var("IOPSCHED_KEEP_SCREENSHOT") {
        std::fs::copy(&png, keep).unwrap();
    }
    let pages = print_pages(&html, Some("IOPSCHED_KEEP_PDF"));
    assert!(
        pages >= 4,
        "four views need at least 4 pages, the PDF has {pages}"
    );
}

#[test]
fn each_printed_view_starts_on_its_own_page() {
    if !have_browser() {
        return;
    }
    let wd = tiny();
    let out = wd.solve(&["--timezone", TZ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Small enough that all four views would fit on one page without page breaks.
    assert_eq!(print_pages(&wd.out().join("roster.html"), None), 4);
}

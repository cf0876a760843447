//! The rules about single roster rows: who is on it, which session, which staff
//! member, for how long, and the order of the rows.

use super::input::{Client, Input, Session};
use super::parse::{hm, sites_match, DAY};
use super::roster::{Activity, Appt};
use super::Violation;
use chrono::{Duration, NaiveDate};
use std::collections::{BTreeMap, BTreeSet};

/// What every rule reads: the inputs, the roster and how it was configured.
pub(super) struct Ctx<'a> {
    pub input: &'a Input,
    pub roster: &'a [Appt],
    pub monday: NaiveDate,
    /// File name of the roster, for `FILE:LINE` in messages.
    pub roster_file: String,
}

impl<'a> Ctx<'a> {
    /// A violation of one roster row: its client, staff member, time and line.
    pub fn at_row(&self, rule: &'static str, a: &Appt, message: String) -> Violation {
        Violation::in_file(rule, &self.roster_file, Some(a.line), message)
            .client(&a.client)
            .staff(&a.staff)
            .during(self.monday, a.start, Some(a.end))
    }

    /// `roster.csv:12 (group G1 with T1, Mon 09:00-11:00)`: the other row of a conflict.
    pub fn cite(&self, a: &Appt) -> String {
        format!("{}:{} ({})", self.roster_file, a.line, a.describe())
    }

    /// `roster.csv lines 2, 3, 5`.
    pub fn cite_lines<'b>(&self, rows: impl Iterator<Item = &'b Appt>) -> String {
        let lines: Vec<String> = rows.map(|a| a.line.to_string()).collect();
        format!("{} lines {}", self.roster_file, lines.join(", "))
    }

    /// `Mon 2026-11-23 09:00-12:00` for minutes since Monday 00:00.
    pub fn when(&self, start: i64, end: i64) -> String {
        let day = start.div_euclid(DAY);
        let date = self.monday + Duration::days(day);
        format!(
            "{} {date} {}-{}",
            date.format("%a"),
            hm(start - day * DAY),
            hm(end - day * DAY)
        )
    }

    pub fn available(&self, staff: &str, start: i64, end: i64) -> bool {
        self.input
            .avail
            .get(staff)
            .is_some_and(|b| b.iter().any(|&(s, e)| s <= start && end <= e))
    }

    pub fn group_rows(&self) -> impl Iterator<Item = &'a Appt> {
        self.roster.iter().filter(|a| a.activity == Activity::Group)
    }

    pub fn check_rows(&self, errs: &mut Vec<Violation>) {
        for a in self.roster {
            if !self.input.clients.contains_key(&a.client) {
                errs.push(self.at_row(
                    "unknown_client",
                    a,
                    format!("client '{}' is not in clients.csv", a.client),
                ));
            }
            if !self.input.staff.contains_key(&a.staff) {
                errs.push(self.at_row(
                    "unknown_staff",
                    a,
                    format!("staff '{}' is not in staff.csv", a.staff),
                ));
            }
            if let Some(c) = self.input.clients.get(&a.client) {
                if !c.here_on(a.date) {
                    errs.push(self.at_row(
                        "admission",
                        a,
                        format!(
                            "client {} is not here on {} (admitted {}, discharged {})",
                            a.client,
                            a.date,
                            c.admit.map_or("-".to_string(), |d| d.to_string()),
                            c.discharge.map_or("-".to_string(), |d| d.to_string())
                        ),
                    ));
                }
            }
            match a.activity {
                Activity::Group => self.check_group(a, errs),
                Activity::Kind(k) => self.check_one_to_one(a, k, errs),
            }
        }
        self.check_facilitator_consistency(errs);
    }

    fn check_role(&self, a: &Appt, role: &str, errs: &mut Vec<Violation>) {
        if let Some(s) = self.input.staff.get(&a.staff) {
            if s.role != role {
                errs.push(self.at_row(
                    "staff_role",
                    a,
                    format!("staff {} is a {}, expected a {role}", a.staff, s.role),
                ));
            }
        }
    }

    fn check_group(&self, a: &Appt, errs: &mut Vec<Violation>) {
        let Some(s) = self.input.sessions.get(&a.session) else {
            errs.push(self.at_row(
                "unknown_session",
                a,
                format!(
                    "session '{}' is not in this week's catalog (sessions.csv)",
                    a.session
                ),
            ));
            return;
        };
        if (a.start, a.end) != (s.start, s.end) {
            errs.push(self.at_row(
                "session_mismatch",
                a,
                format!(
                    "session {} is {} in sessions.csv",
                    a.session,
                    self.when(s.start, s.end)
                ),
            ));
        }
        if a.site != s.site {
            errs.push(self.at_row(
                "session_mismatch",
                a,
                format!(
                    "site '{}' but session {} is at '{}'",
                    a.site, a.session, s.site
                ),
            ));
        }
        if !s.facilitator.is_empty() && a.staff != s.facilitator {
            errs.push(self.at_row(
                "facilitator",
                a,
                format!(
                    "staff {} but the catalog facilitator of {} is {}",
                    a.staff, a.session, s.facilitator
                ),
            ));
        }
        self.check_role(a, "therapist", errs);
        if !self.available(&a.staff, s.start, s.end) {
            errs.push(self.at_row(
                "availability",
                a,
                format!(
                    "facilitator {} is not available for all of session {}",
                    a.staff, a.session
                ),
            ));
        }
        if let Some(c) = self.input.clients.get(&a.client) {
            for (rule, why) in ineligibility(c, s) {
                errs.push(self.at_row(
                    rule,
                    a,
                    format!("not eligible for session {}: {why}", a.session),
                ));
            }
        }
    }

    /// Every appointment kind (individual sessions, physician visits, family
    /// therapy...) shares these rules: length, role, staff, availability, window.
    fn check_one_to_one(&self, a: &Appt, k: usize, errs: &mut Vec<Violation>) {
        let spec = &self.input.kinds[k];
        let (kind, wanted) = (spec.name.as_str(), spec.minutes);
        if a.end - a.start != wanted {
            errs.push(self.at_row(
                "duration",
                a,
                format!("{kind} lasts {} min, expected {wanted}", a.end - a.start),
            ));
        }
        if !a.session.is_empty() {
            errs.push(self.at_row(
                "session_id",
                a,
                format!("{kind} row has session_id '{}'", a.session),
            ));
        }
        self.check_role(a, &spec.role, errs);
        self.check_staff_for_client(a, spec.primary, errs);
        if !self.available(&a.staff, a.start, a.end) {
            errs.push(self.at_row(
                "availability",
                a,
                format!("{} is not available for the whole {kind}", a.staff),
            ));
        }
        let day_start = a.day() * DAY;
        if a.start - day_start < spec.earliest || a.end - day_start > spec.latest {
            errs.push(self.at_row(
                "window",
                a,
                format!(
                    "{kind} is booked only between {} and {} (appointments.csv)",
                    hm(spec.earliest),
                    hm(spec.latest)
                ),
            ));
        }
    }

    /// A set primary therapist is used whatever their site (for a kind `with_primary`);
    /// otherwise sites must match.
    fn check_staff_for_client(&self, a: &Appt, with_primary: bool, errs: &mut Vec<Violation>) {
        let (Some(c), Some(s)) = (
            self.input.clients.get(&a.client),
            self.input.staff.get(&a.staff),
        ) else {
            return;
        };
        if with_primary && !c.primary.is_empty() {
            if a.staff != c.primary {
                errs.push(self.at_row(
                    "primary_therapist",
                    a,
                    format!(
                        "{} with {} but the primary therapist is {}",
                        a.what, a.staff, c.primary
                    ),
                ));
            }
        } else if !sites_match(&s.site, &c.site) {
            errs.push(self.at_row(
                "staff_site",
                a,
                format!(
                    "staff {} is at site '{}', the client at '{}'",
                    a.staff, s.site, c.site
                ),
            ));
        }
    }

    fn check_facilitator_consistency(&self, errs: &mut Vec<Violation>) {
        let mut by_session: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        let mut rows: BTreeMap<&str, Vec<&Appt>> = BTreeMap::new();
        for a in self.group_rows() {
            by_session.entry(&a.session).or_default().insert(&a.staff);
            rows.entry(&a.session).or_default().push(a);
        }
        for (session, staff) in by_session.iter().filter(|(_, s)| s.len() > 1) {
            let rows = &rows[session];
            let staff: Vec<&str> = staff.iter().copied().collect();
            errs.push(
                Violation::general(
                    "facilitator_consistency",
                    format!(
                        "session {session} has several facilitators: {} ({})",
                        staff.join(", "),
                        self.cite_lines(rows.iter().copied())
                    ),
                )
                .during(self.monday, rows[0].start, Some(rows[0].end)),
            );
        }
    }

    pub fn check_sorting(&self, errs: &mut Vec<Violation>) {
        for w in self.roster.windows(2) {
            let key = |a: &Appt| (a.date, a.start, a.client.clone());
            if key(&w[1]) < key(&w[0]) {
                errs.push(self.at_row(
                    "sorting",
                    &w[1],
                    format!(
                        "row is not sorted by (date, start, client_id) after {}",
                        self.cite(&w[0])
                    ),
                ));
            }
        }
    }
}

/// Why a client may not join a session (empty = eligible), each with its rule tag.
fn ineligibility(c: &Client, s: &Session) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if !s.levels.is_empty() && !s.levels.contains(&c.level) {
        out.push((
            "eligibility:levels",
            format!("level {} not in {}", c.level, s.levels.join(";")),
        ));
    }
    if !s.gender.is_empty() && !s.gender.eq_ignore_ascii_case(&c.gender) {
        out.push((
            "eligibility:gender",
            format!("gender '{}' but the session is '{}'", c.gender, s.gender),
        ));
    }
    let missing: Vec<&str> = s
        .tags
        .iter()
        .filter(|t| !c.tags.contains(t))
        .map(String::as_str)
        .collect();
    if !missing.is_empty() {
        out.push((
            "eligibility:tags",
            format!("missing tags {}", missing.join(";")),
        ));
    }
    if !s.stage.is_empty() && !s.stage.eq_ignore_ascii_case(&c.stage) {
        out.push((
            "eligibility:stage",
            format!("stage '{}' but the session is '{}'", c.stage, s.stage),
        ));
    }
    if !sites_match(&s.site, &c.site) {
        out.push((
            "eligibility:site",
            format!(
                "client site '{}' but the session is at '{}'",
                c.site, s.site
            ),
        ));
    }
    out
}

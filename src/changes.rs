//! What changed from last week's roster, and why: the rows of `changes.csv`.

use crate::candidates::{busy_conflict, ineligibility, Candidates};
use crate::domain::{Activity, ClientIx, PreviousItem, Program, SessionIx};
use crate::roster::{Entry, Roster};

/// What happened to a previous item, or that an item is new.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    /// Replaced by another item of the same activity.
    Moved,
    /// Nothing replaces it.
    Dropped,
    /// An item of a client who had a roster, replacing nothing.
    Added,
}

impl ChangeKind {
    /// The word in changes.csv's `change` column.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Moved => "moved",
            ChangeKind::Dropped => "dropped",
            ChangeKind::Added => "added",
        }
    }
}

/// One change for one client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub client: ClientIx,
    pub change: ChangeKind,
    pub from: String,
    pub to: String,
    pub reason: String,
}

/// The changes of every client who had a previous roster.
pub fn changes(program: &Program, cands: &Candidates, roster: &Roster) -> Vec<Change> {
    let mut out = Vec::new();
    for c in program.client_ixs() {
        let before: Vec<&PreviousItem> =
            program.previous.iter().filter(|i| i.client == c).collect();
        if before.is_empty() {
            continue;
        }
        let now: Vec<&Entry> = roster.entries.iter().filter(|e| e.client == c).collect();
        let gone: Vec<&PreviousItem> = before
            .iter()
            .copied()
            .filter(|i| !now.iter().any(|e| same(i, e)))
            .collect();
        let mut new: Vec<&Entry> = now
            .iter()
            .copied()
            .filter(|e| !before.iter().any(|i| same(i, e)))
            .collect();
        for item in gone {
            // The same session with a new facilitator first, then any item of
            // the same activity.
            let replacement = (new.iter())
                .position(|e| item.session.is_some() && e.session == item.session)
                .or_else(|| new.iter().position(|e| e.activity == item.activity))
                .map(|i| new.remove(i));
            out.push(Change {
                client: c,
                change: if replacement.is_some() {
                    ChangeKind::Moved
                } else {
                    ChangeKind::Dropped
                },
                from: describe_previous(program, item),
                to: replacement.map_or_else(String::new, |e| describe_entry(program, e)),
                reason: why(program, cands, roster, item),
            });
        }
        for e in new {
            out.push(Change {
                client: c,
                change: ChangeKind::Added,
                from: String::new(),
                to: describe_entry(program, e),
                reason: "added to reach the level's minimums".to_string(),
            });
        }
    }
    out
}

/// True when a roster entry keeps a previous item.
fn same(item: &PreviousItem, entry: &Entry) -> bool {
    item.activity == entry.activity
        && match item.activity {
            // A new facilitator changes the week too.
            Activity::Group => {
                item.session.is_some()
                    && item.session == entry.session
                    && item.staff == Some(entry.staff)
            }
            _ => item.staff == Some(entry.staff) && item.interval == entry.interval,
        }
}

fn describe_previous(program: &Program, item: &PreviousItem) -> String {
    let with = item
        .staff
        .map_or_else(String::new, |t| format!(" with {}", program.staff(t).id));
    match item.activity {
        Activity::Group => format!("group {} {}{with}", item.session_label, item.interval),
        activity => format!(
            "{} {}{with}",
            program.activity_name(activity),
            item.interval
        ),
    }
}

fn describe_entry(program: &Program, e: &Entry) -> String {
    let with = format!(" with {}", program.staff(e.staff).id);
    match e.session {
        Some(s) => format!("group {} {}{with}", program.session(s).id, e.interval),
        None => format!("{} {}{with}", program.activity_name(e.activity), e.interval),
    }
}

/// Why group session `s` runs with another facilitator than last week.
fn new_facilitator(program: &Program, item: &PreviousItem, s: SessionIx) -> String {
    let session = program.session(s);
    match item.staff {
        None => format!("{} has a new facilitator: last week's is no longer on staff", session.id),
        Some(t) if session.facilitator.is_some() => {
            format!("{} has a new facilitator in the catalog (was {})", session.id, program.staff(t).id)
        }
        Some(t) if !program.staff(t).is_available(session.interval) => format!(
            "{} has a new facilitator: {} is not available then this week",
            session.id, program.staff(t).id
        ),
        Some(t) => format!(
            "{} has a new facilitator: {} is needed for other clients so that more meet their level or fewer hours are short",
            session.id, program.staff(t).id
        ),
    }
}

/// Why a previous item could not stay, most specific cause first.
fn why(program: &Program, cands: &Candidates, roster: &Roster, item: &PreviousItem) -> String {
    let client = program.client(item.client);
    if let Some(b) = busy_conflict(client, item.interval) {
        let busy = &client.busy[b];
        return format!(
            "now overlaps {} {} (+{} min travel)",
            busy.reason, busy.interval, client.travel_minutes
        );
    }
    // The contract's only reasons to move a client: more clients met, or fewer
    // hours short (a re-solve with more time may find either).
    let contention = "moved so that more clients meet their level or fewer hours are short (group full or staff time needed)".to_string();
    match item.activity {
        Activity::Group => {
            let Some(s) = item.session else {
                return format!(
                    "session {} is not in this week's catalog",
                    item.session_label
                );
            };
            let session = program.session(s);
            if let Some(what) = ineligibility(client, session) {
                return format!("no longer eligible for {} ({what})", session.id);
            }
            if cands.facilitators_of(s).is_empty() {
                return format!(
                    "{} cannot run: its facilitator is not available",
                    session.id
                );
            }
            if roster.enrolled[s] == 0 {
                return format!("{} is not running this week (too few clients)", session.id);
            }
            let still_there =
                (roster.entries.iter()).any(|e| e.client == item.client && e.session == Some(s));
            if still_there && roster.facilitator[s] != item.staff {
                return new_facilitator(program, item, s);
            }
            contention
        }
        Activity::Appointment(k) => match item.staff {
            _ if !program.kind_at(k).in_window(item.interval) => {
                let kind = program.kind_at(k);
                format!(
                    "{} is now booked only between {} and {}",
                    kind.name,
                    crate::time::hhmm(kind.earliest),
                    crate::time::hhmm(kind.latest)
                )
            }
            None => "that staff member is no longer on staff".to_string(),
            Some(t) if !program.staff(t).is_available(item.interval) => {
                format!("{} is not available then this week", program.staff(t).id)
            }
            Some(_) => contention,
        },
    }
}

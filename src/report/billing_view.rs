//! The billing view of `roster.html`: per client and program day, whether the day
//! can be billed; clients whose week is not fully billable first, and the billable
//! days per day at the foot.

use super::html::{day_heading, view_start, Esc};
use crate::billing::{self, BillingDay};
use crate::domain::{ClientIx, Program};
use crate::time::{hours, Day};
use crate::Schedule;
use std::fmt::{self, Write};

/// The view, as one `<section>`.
pub fn view(out: &mut String, program: &Program, schedule: &Schedule, week: &str) -> fmt::Result {
    view_start(
        out,
        "Billing",
        week,
        "Hours per program day; a day is billable when it holds the level's daily \
         minimum and the week reaches the level's minimum days. Clients with a day \
         that cannot be billed come first, with the reason.",
    )?;
    let all = billing::days(program, &schedule.roster);
    let days: Vec<Day> = Day::all()
        .filter(|d| all.iter().any(|b| b.day == *d))
        .collect();
    if days.is_empty() {
        return out.write_str("<p class=\"empty\">No program days this week.</p></section>\n");
    }
    let mut clients: Vec<ClientIx> = program.client_ixs().collect();
    let billable_week = |c: ClientIx| {
        let mine = all.iter().filter(|b| b.client == c);
        mine.clone().count() > 0 && mine.clone().all(BillingDay::billable)
    };
    clients.sort_by_key(|&c| (billable_week(c), &program.client(c).id));
    out.write_str(
        "<table class=\"clients billing\"><thead><tr><th>Client</th><th>Level</th><th>Code</th>",
    )?;
    for &day in &days {
        day_heading(out, program, day)?;
    }
    out.write_str(
        "<th class=\"num\">Billable</th><th class=\"reason\">Reason</th></tr></thead>\n<tbody>\n",
    )?;
    for c in clients {
        let mine: Vec<&BillingDay> = all.iter().filter(|b| b.client == c).collect();
        client_row(out, program, c, &mine, &days, billable_week(c))?;
    }
    out.write_str("</tbody>\n<tfoot><tr><th colspan=\"3\">Billable clients</th>")?;
    for &day in &days {
        let n = all.iter().filter(|b| b.day == day && b.billable()).count();
        write!(out, "<td class=\"num\">{n}</td>")?;
    }
    let total = all.iter().filter(|b| b.billable()).count();
    write!(
        out,
        "<td class=\"num\">{total}</td><td></td></tr></tfoot></table>\n</section>\n"
    )
}

fn client_row(
    out: &mut String,
    program: &Program,
    c: ClientIx,
    mine: &[&BillingDay],
    days: &[Day],
    billable_week: bool,
) -> fmt::Result {
    let client = program.client(c);
    write!(
        out,
        "<tr class=\"{}\"><td class=\"id\">{}</td><td>{}</td><td>{}</td>",
        if billable_week { "met" } else { "short" },
        Esc(&client.id.0),
        Esc(&program.levels[client.level].name),
        Esc(billing::code(program, c))
    )?;
    for &day in days {
        match mine.iter().find(|b| b.day == day) {
            Some(b) => write!(
                out,
                "<td class=\"num {}\">{} h {}</td>",
                if b.billable() { "yes" } else { "no" },
                hours(b.minutes),
                if b.billable() { "\u{2713}" } else { "\u{2717}" }
            )?,
            None => out.write_str("<td></td>")?,
        }
    }
    let billable = mine.iter().filter(|b| b.billable()).count();
    let mut reasons: Vec<String> = mine.iter().map(|b| b.reason()).collect();
    reasons.retain(|r| !r.is_empty());
    reasons.dedup();
    let reason = if mine.is_empty() {
        "no program day".to_string()
    } else {
        reasons.join("; ")
    };
    writeln!(
        out,
        "<td class=\"num\">{billable} <small>/ {}</small></td><td class=\"reason\">{}</td></tr>",
        mine.len(),
        Esc(&reason)
    )
}

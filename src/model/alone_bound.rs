//! What counting alone proves about a client, and what the per-client
//! pre-analysis found by solving them alone: a bound each later stage may use.

use crate::candidates::{day_upper_bound, Candidates};
use crate::domain::{ClientIx, Program};
use crate::time::{Day, Interval};

/// What the per-client pre-analysis found for one client, solved alone.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AloneBound {
    /// False when the client cannot meet their level even with the whole program to themselves.
    pub can_meet: bool,
    /// The fewest weekly minutes short they can be, alone.
    pub min_short_minutes: f64,
}

impl AloneBound {
    /// Nothing known yet: the client may meet their level.
    pub const UNKNOWN: AloneBound = AloneBound {
        can_meet: true,
        min_short_minutes: 0.0,
    };

    /// What counting alone proves, before any solve: too few days with anything
    /// to attend, too few appointment times of a kind, or too few minutes on
    /// offer even without overlaps. Weaker than the solved pre-analysis, but free,
    /// so the start can plan clients who cannot meet their level last (a therapist
    /// who is away leaves their caseload without individual sessions).
    pub fn counted(program: &Program, cands: &Candidates, c: ClientIx) -> AloneBound {
        let client = program.client(c);
        let level = program.level_of(client);
        let options = cands.options(c);
        let mut per_day: Vec<u32> = Day::all()
            .map(|d| {
                let most = day_upper_bound(program, client, &cands.classes, options, d, &[]);
                most.min(level.max_daily_minutes)
            })
            .collect();
        let days = per_day.iter().filter(|&&m| m > 0).count() as u32;
        per_day.sort_unstable_by(|a, b| b.cmp(a));
        let most_days = level.max_days.max(1) as usize;
        let minutes: u32 = per_day.iter().take(most_days).sum();
        let minutes = minutes.min(level.max_weekly_minutes);
        let short_minutes = level.min_weekly_minutes.saturating_sub(minutes);
        let kinds_ok = program.kind_list().all(|(k, kind)| {
            let offered: u32 = Day::all()
                .map(|d| {
                    let mut times: Vec<Interval> = options
                        .appointments
                        .iter()
                        .filter(|a| a.kind == k && a.interval.day() == d)
                        .map(|a| a.interval)
                        .collect();
                    times.sort_unstable();
                    times.dedup();
                    let n = times.len() as u32;
                    kind.max_per_day.map_or(n, |most| n.min(most))
                })
                .sum();
            offered >= level.per_week(k)
        });
        AloneBound {
            can_meet: kinds_ok && days >= level.min_days && short_minutes == 0,
            min_short_minutes: short_minutes as f64,
        }
    }

    /// [`AloneBound::counted`] for every client, indexed like `program.clients`.
    pub fn counted_all(program: &Program, cands: &Candidates) -> Vec<AloneBound> {
        program
            .client_ixs()
            .map(|c| AloneBound::counted(program, cands, c))
            .collect()
    }

    /// Both bounds at once (each is a proven bound, so the stronger holds).
    pub fn and(self, other: AloneBound) -> AloneBound {
        AloneBound {
            can_meet: self.can_meet && other.can_meet,
            min_short_minutes: self.min_short_minutes.max(other.min_short_minutes),
        }
    }
}

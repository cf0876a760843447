//! Splitting a program into independent problems.
//!
//! Sites usually share nothing: their clients attend their own sessions with their
//! own staff. Two clients belong to the same problem exactly when they could compete
//! for something — a session (program-wide sessions are open to every site), a
//! therapist or physician (floating staff serve every site), or a session's possible
//! facilitator. Solving the parts apart is exact, and lets them run in parallel.

use crate::candidates::Candidates;
use crate::domain::{ClientIx, Pin, PreviousItem, Program, SessionIx, StaffIx};

/// Groups of client indices that must be solved together, each sorted, ordered by
/// their first client.
pub fn independent_parts(program: &Program, cands: &Candidates) -> Vec<Vec<ClientIx>> {
    let clients = program.clients.len();
    let session_node = |s: SessionIx| clients + s.0;
    let staff_node = |t: StaffIx| clients + program.sessions.len() + t.0;
    let mut sets = DisjointSets::new(clients + program.sessions.len() + program.staff.len());
    for (c, options) in cands.clients.iter().enumerate() {
        for &k in &options.classes {
            for &s in &cands.classes[k].sessions {
                sets.union(c, session_node(s));
                for &t in cands.facilitators_of(s) {
                    sets.union(session_node(s), staff_node(t));
                }
            }
        }
        for a in &options.appointments {
            sets.union(c, staff_node(a.staff));
        }
    }
    let mut parts: Vec<Vec<ClientIx>> = Vec::new();
    let mut part_of_root = std::collections::HashMap::new();
    for c in 0..clients {
        let root = sets.find(c);
        let part = *part_of_root.entry(root).or_insert_with(|| {
            parts.push(Vec::new());
            parts.len() - 1
        });
        parts[part].push(ClientIx(c));
    }
    parts
}

/// The program restricted to some of its clients (sessions and staff unchanged, so
/// their indices stay valid across parts).
pub fn with_clients(program: &Program, clients: &[ClientIx]) -> Program {
    let index_of: std::collections::HashMap<ClientIx, ClientIx> = clients
        .iter()
        .enumerate()
        .map(|(i, &c)| (c, ClientIx(i)))
        .collect();
    Program {
        clients: clients.iter().map(|&c| program.client(c).clone()).collect(),
        previous: program
            .previous
            .iter()
            .filter_map(|item| {
                let client = *index_of.get(&item.client)?;
                Some(PreviousItem {
                    client,
                    ..item.clone()
                })
            })
            .collect(),
        pins: program
            .pins
            .iter()
            .filter_map(|pin| {
                let client = *index_of.get(&pin.client)?;
                Some(Pin {
                    client,
                    ..pin.clone()
                })
            })
            .collect(),
        ..program.clone()
    }
}

/// Keeps only the clients of `site` and the sessions they could attend there (the
/// site's own and program-wide ones), so one site can be solved on its own machine.
/// Exact when sites share no program-wide session or floating staff member; a
/// shared one could otherwise be booked by two separate runs.
pub fn only_site(program: &mut Program, site: &str) -> Result<(), String> {
    let named = |s: &Option<String>| s.as_deref() == Some(site);
    if !program.clients.iter().any(|c| named(&c.site)) {
        let mut known: Vec<&str> = program
            .clients
            .iter()
            .filter_map(|c| c.site.as_deref())
            .collect();
        known.sort_unstable();
        known.dedup();
        return Err(format!(
            "no client has site '{site}' (expected one of: {})",
            known.join(", ")
        ));
    }
    let kept = |flags: Vec<bool>| -> Vec<Option<usize>> {
        let mut next = 0;
        flags
            .into_iter()
            .map(|keep| {
                keep.then(|| {
                    next += 1;
                    next - 1
                })
            })
            .collect()
    };
    let client_index = kept(program.clients.iter().map(|c| named(&c.site)).collect());
    let session_index = kept(
        program
            .sessions
            .iter()
            .map(|s| s.site.is_none() || named(&s.site))
            .collect(),
    );
    program.clients.retain(|c| named(&c.site));
    program
        .sessions
        .retain(|s| s.site.is_none() || named(&s.site));
    // Last week's items follow their clients and sessions to the new indices.
    program.previous = std::mem::take(&mut program.previous)
        .into_iter()
        .filter_map(|item| {
            Some(PreviousItem {
                client: ClientIx(client_index[item.client.0]?),
                session: item.session.and_then(|s| session_index[s.0].map(SessionIx)),
                ..item
            })
        })
        .collect();
    program.pins = std::mem::take(&mut program.pins)
        .into_iter()
        .filter_map(|pin| {
            Some(Pin {
                client: ClientIx(client_index[pin.client.0]?),
                session: match pin.session {
                    Some(s) => Some(SessionIx(session_index[s.0]?)),
                    None => None,
                },
                ..pin
            })
        })
        .collect();
    Ok(())
}

/// Union-find with path halving.
struct DisjointSets {
    parent: Vec<usize>,
}

impl DisjointSets {
    fn new(n: usize) -> Self {
        DisjointSets {
            parent: (0..n).collect(),
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        // The smaller root wins, so the result does not depend on union order.
        let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
        self.parent[hi] = lo;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disjoint_sets_join_transitively() {
        let mut sets = DisjointSets::new(5);
        sets.union(3, 1);
        sets.union(1, 4);
        assert_eq!(sets.find(4), sets.find(3));
        assert_ne!(sets.find(0), sets.find(3));
        assert_eq!(sets.find(2), 2);
    }
}

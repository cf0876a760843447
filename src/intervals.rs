//! Small interval algorithms the model is built from.

use crate::time::Interval;

/// The maximal sets of mutually overlapping intervals (the maximal cliques of the
/// interval graph), each as indices into `items`, in order of time.
///
/// One "at most one of these" row per maximal clique forbids every overlap, with
/// far fewer rows than one per overlapping pair.
pub fn maximal_cliques(items: &[Interval]) -> Vec<Vec<usize>> {
    let mut starts: Vec<u32> = items.iter().map(|iv| iv.start()).collect();
    starts.sort_unstable();
    starts.dedup();
    let mut cliques = Vec::new();
    for (i, &point) in starts.iter().enumerate() {
        let members: Vec<usize> = (0..items.len())
            .filter(|&j| items[j].start() <= point && point < items[j].end())
            .collect();
        // The clique at this start point is contained in the next one unless one
        // of its members ends before that next start.
        let next = starts.get(i + 1).copied();
        let maximal = match next {
            None => true,
            Some(next) => members.iter().any(|&j| items[j].end() <= next),
        };
        if maximal && !members.is_empty() {
            cliques.push(members);
        }
    }
    cliques
}

/// The most minutes a set of pairwise disjoint intervals from `items` can cover
/// (weighted interval scheduling, weight = length).
pub fn max_disjoint_minutes(items: &[Interval]) -> u32 {
    let mut sorted = items.to_vec();
    sorted.sort_by_key(|iv| (iv.end(), iv.start()));
    // best[i] = best total using the first i intervals (by end time).
    let mut best = vec![0u32; sorted.len() + 1];
    for (i, iv) in sorted.iter().enumerate() {
        let compatible = sorted[..i].partition_point(|p| p.end() <= iv.start());
        best[i + 1] = best[i].max(best[compatible] + iv.minutes());
    }
    best[sorted.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Day;

    fn iv(start: u32, end: u32) -> Interval {
        Interval::on_day(Day::new(0).unwrap(), start, end).unwrap()
    }

    #[test]
    fn cliques_cover_every_overlap_once() {
        // 9-12 overlaps 11-12:50 and 11:30-13; 12:50 is alone with 13-14? no: 13-14 touches.
        let items = [iv(540, 720), iv(660, 770), iv(690, 780), iv(780, 840)];
        assert_eq!(maximal_cliques(&items), vec![vec![0, 1, 2], vec![3]]);
    }

    #[test]
    fn touching_intervals_do_not_share_a_clique() {
        let items = [iv(540, 600), iv(600, 660)];
        assert_eq!(maximal_cliques(&items), vec![vec![0], vec![1]]);
    }

    #[test]
    fn nested_clique_is_not_repeated() {
        let items = [iv(0, 100), iv(10, 20), iv(30, 40)];
        assert_eq!(maximal_cliques(&items), vec![vec![0, 1], vec![0, 2]]);
    }

    #[test]
    fn disjoint_minutes_picks_the_best_combination() {
        // 9-12 (180) vs 9-10:30 + 10:30-12 + 12-12:50 (230).
        let items = [iv(540, 720), iv(540, 630), iv(630, 720), iv(720, 770)];
        assert_eq!(max_disjoint_minutes(&items), 230);
        assert_eq!(max_disjoint_minutes(&[]), 0);
    }
}

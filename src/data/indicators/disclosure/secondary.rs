//! Secondary suppression: the quick rules that keep the sums a reader knows
//! from giving a hidden count away, before the audit looks at everything at
//! once. Most sites need nothing more; the audit finds what they miss.
//!
//! A published total with exactly one hidden part gives that part away; so
//! does a total whose hidden parts add up to less than `min_count` (two
//! hidden parts adding up to 2 are both 1). Then the smallest other
//! published part is hidden too, preferring a non-zero one (a hidden zero
//! adds nothing to the unknown total), or the total when there is none. A
//! hidden total whose parts are all published is found by adding them up:
//! its smallest part is hidden. This repeats until nothing changes, since
//! each new suppression can break another relation.

use super::knowledge::{Knowledge, Source};
use super::{Reason, Relation, State};
use crate::config::Privacy;

/// A total and its parts, as cells of the dense table.
struct Tie {
    relation: Relation,
    total: usize,
    parts: Vec<usize>,
    /// Parts that are never published at all (a rate's complement).
    implicit: usize,
}

/// Hides more of `states` until no tie gives a hidden count away.
/// `complements` are (denominator, numerator, indicator) cells whose
/// difference is a count of its own.
pub(super) fn apply(
    knowledge: &Knowledge,
    complements: &[(usize, usize, usize)],
    values: &[Option<u64>],
    states: &mut [State],
    privacy: &Privacy,
) {
    let mut ties = Vec::new();
    for fact in 0..knowledge.len() {
        let head = knowledge.head(fact);
        let relation = match head.source {
            Source::Areas { parent } if head.equal => Relation::Areas { parent },
            Source::Periods { total } if head.equal => Relation::Periods { total },
            _ => continue,
        };
        let terms = knowledge.terms(fact);
        ties.push(Tie {
            relation,
            total: terms[0].0 as usize,
            parts: terms[1..].iter().map(|&(c, _)| c as usize).collect(),
            implicit: 0,
        });
    }
    if privacy.protect_complements {
        for &(denominator, numerator, indicator) in complements {
            ties.push(Tie {
                relation: Relation::Complement { indicator },
                total: denominator,
                parts: vec![numerator],
                implicit: 1,
            });
        }
    }
    let value = |i: usize| values[i];
    loop {
        let mut changed = false;
        for tie in &ties {
            let hidden = |i: usize| matches!(states[i], State::Suppressed(_));
            if matches!(states[tie.total], State::Missing) {
                continue;
            }
            let published: Vec<usize> = tie
                .parts
                .iter()
                .copied()
                .filter(|&i| matches!(states[i], State::Published(_)))
                .collect();
            let hidden_parts = tie.parts.iter().filter(|&&i| hidden(i)).count();
            let unknown = tie.parts.len() - published.len() + tie.implicit;
            let gives_away = if hidden(tie.total) {
                // The parts add up to it.
                unknown == 0
            } else {
                let total = value(tie.total).unwrap_or(0);
                let known: u64 = published.iter().map(|&i| value(i).unwrap_or(0)).sum();
                let left = total.saturating_sub(known);
                match unknown {
                    0 => false,
                    1 if hidden_parts == 1 => true,
                    _ => left > 0 && left < privacy.min_count,
                }
            };
            if !gives_away {
                continue;
            }
            let partner = published
                .iter()
                .map(|&i| (value(i) == Some(0), value(i).unwrap_or(0), i))
                .min()
                .map(|(_, _, i)| i);
            let hide = match partner {
                Some(i) => i,
                None if !hidden(tie.total) => tie.total,
                None => continue,
            };
            states[hide] = State::Suppressed(Reason::Secondary {
                relation: tie.relation,
            });
            changed = true;
        }
        if !changed {
            break;
        }
    }
}

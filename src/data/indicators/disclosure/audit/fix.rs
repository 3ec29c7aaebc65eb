//! Choosing what more to hide when a target's range is too narrow.

use super::program::Program;
use super::{Block, Input, Ranger, State, Target};

/// The published cell to hide so that `target` gets a wider range. The
/// published cells nearest to it through the facts are tried, cheapest
/// first — not a top area's total if anything else will do, not a zero
/// (hiding a zero adds nothing a reader cannot bound), the smallest count,
/// then the first — and the first that protects the target is taken; if
/// none does, the one that widens its range most.
pub(super) fn fix(
    target: &Target,
    block: &Block,
    input: &Input,
    states: &[State],
    need: u64,
) -> Fix {
    const PROBES: usize = 8;
    let knowledge = input.knowledge;
    let published = |c: u32| matches!(states[c as usize], State::Published(_));
    let cost = |c: u32| {
        let v = input.values[c as usize].unwrap_or(0);
        ((input.is_top)(c as usize), v == 0, v, c)
    };
    let own: Vec<u32> = [Some(target.plus), target.minus]
        .into_iter()
        .flatten()
        .collect();
    // Candidates, level by level outwards from the target.
    let mut levels: Vec<Vec<u32>> = Vec::new();
    let own_published: Vec<u32> = own.iter().copied().filter(|&c| published(c)).collect();
    if !own_published.is_empty() {
        levels.push(own_published);
    }
    let mut frontier = own;
    let mut seen_cells: std::collections::HashSet<u32> = frontier.iter().copied().collect();
    let mut seen_facts: std::collections::HashSet<u32> = std::collections::HashSet::new();
    while !frontier.is_empty() && levels.iter().map(Vec::len).sum::<usize>() < PROBES {
        let mut candidates = Vec::new();
        let mut next = Vec::new();
        for &cell in &frontier {
            for &fact in knowledge.facts_of(cell as usize) {
                if !seen_facts.insert(fact) {
                    continue;
                }
                for &(c, _) in knowledge.terms(fact as usize) {
                    if !seen_cells.insert(c) {
                        continue;
                    }
                    if published(c) {
                        candidates.push(c);
                    } else {
                        next.push(c);
                    }
                }
            }
        }
        if !candidates.is_empty() {
            levels.push(candidates);
        }
        frontier = next;
    }
    let mut order: Vec<u32> = Vec::new();
    for mut level in levels {
        level.sort_by_key(|&c| cost(c));
        order.extend(level);
    }
    if order.is_empty() {
        return Fix {
            cells: Vec::new(),
            solves: 0,
        };
    }
    // Try the candidates: hidden, each joins the target's block.
    let mut solves = 0;
    let probe = |cells: &[u32], solves: &mut usize| {
        let program = Program::new(cells, input);
        let mut ranger = Ranger::new(&program, input);
        let verdict = ranger.verdict(target, need, true);
        *solves += ranger.solves;
        (verdict, ranger.optima)
    };
    for &c in order.iter().take(PROBES) {
        let mut cells = block.cells.clone();
        cells.push(c);
        cells.sort_unstable();
        if probe(&cells, &mut solves).0.safe {
            return Fix {
                cells: vec![c],
                solves,
            };
        }
    }
    // No one cell will do: several facts hold the range in at once (two
    // published counts of the row, each as low as the lowest the hidden one
    // can be). Hide the published counts of the orders that bind at the
    // nearer end of the range.
    let (_, (low, high)) = probe(&block.cells, &mut solves);
    let program = Program::new(&block.cells, input);
    let binding = |point: &Option<Vec<f64>>| -> Vec<u32> {
        let Some(point) = point else {
            return Vec::new();
        };
        let mut cells = Vec::new();
        let mut facts: Vec<u32> = block
            .cells
            .iter()
            .flat_map(|&c| knowledge.facts_of(c as usize).iter().copied())
            .collect();
        facts.sort_unstable();
        facts.dedup();
        for fact in facts {
            if knowledge.head(fact as usize).equal {
                continue;
            }
            let terms = knowledge.terms(fact as usize);
            let slack: f64 = terms
                .iter()
                .map(|&(cell, c)| {
                    f64::from(c)
                        * match program.var(cell) {
                            Some(v) => point[v],
                            None => input.values[cell as usize].unwrap_or(0) as f64,
                        }
                })
                .sum();
            if slack.abs() <= 1e-6 {
                cells.extend(terms.iter().map(|&(c, _)| c).filter(|&c| published(c)));
            }
        }
        cells.sort_unstable();
        cells.dedup();
        cells
    };
    let (low, high) = (binding(&low), binding(&high));
    let cells = match (low.is_empty(), high.is_empty()) {
        (true, true) => vec![order[0]],
        (false, true) => low,
        (true, false) => high,
        (false, false) if low.len() <= high.len() => low,
        (false, false) => high,
    };
    Fix { cells, solves }
}

/// The cells [`fix`] chose (none: nothing is left to hide), and the
/// programs it solved to choose.
pub(super) struct Fix {
    pub(super) cells: Vec<u32>,
    pub(super) solves: usize,
}

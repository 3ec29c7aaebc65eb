//! What a reader knows about the counts besides the published figures: the
//! linear facts that tie them to one another. Disclosure control has to
//! assume a reader who downloads every figure and solves these facts, so
//! this one model serves both secondary suppression and the audit.
//!
//! - an area is the sum of the areas under it (a child without a figure is
//!   an unknown, not a zero);
//! - a period and the periods in it: a flow's year is the sum of its
//!   quarters, a stock's year is its last quarter (`aggregation` in
//!   definitions.toml; where it is not given, whatever the figures show);
//! - a rate's numerator is at most its denominator, a measure declared
//!   `within` another is at most it, and so is any measure that is at most
//!   another in every row of the data (a reader may know that order from
//!   what the measures mean, declared or not);
//! - no count is below 0 or above the area's population.
//!
//! Every fact is true of the true counts: the audit assumes a reader knows
//! more than they can (a rounded figure, say, exactly), never less.

use super::super::counts::Counts;
use super::super::definitions::{Aggregation, Definitions, Denominator};
use super::super::period::compositions;
use std::collections::BTreeSet;

/// Where a fact comes from, for the audit `anxin check` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// An area (by index) is the sum of the areas under it.
    Areas { parent: usize },
    /// A period (by index) is the sum of the periods within it, or its last.
    Periods { total: usize },
    /// One measure is at most another.
    Order,
}

/// `Σ coefficient × cell` is 0 (`equal`) or at most 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FactHead {
    pub source: Source,
    pub equal: bool,
}

/// The facts, with their terms stored flat: cells are indices of the dense
/// `[period][area][measure]` table, coefficients ±1.
#[derive(Debug, Default)]
pub struct Knowledge {
    heads: Vec<FactHead>,
    starts: Vec<u32>,
    terms: Vec<(u32, i8)>,
    /// For each cell, the facts it is a term of.
    cell_starts: Vec<u32>,
    cell_facts: Vec<u32>,
    /// The largest value each cell can have: its area's population.
    upper: Vec<Option<u64>>,
}

impl Knowledge {
    pub fn len(&self) -> usize {
        self.heads.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heads.is_empty()
    }

    pub fn head(&self, fact: usize) -> FactHead {
        self.heads[fact]
    }

    /// The terms of a fact: (cell, coefficient). An equality's first term is
    /// its total.
    pub fn terms(&self, fact: usize) -> &[(u32, i8)] {
        &self.terms[self.starts[fact] as usize..self.starts[fact + 1] as usize]
    }

    /// The facts `cell` is a term of.
    pub fn facts_of(&self, cell: usize) -> &[u32] {
        &self.cell_facts[self.cell_starts[cell] as usize..self.cell_starts[cell + 1] as usize]
    }

    pub fn upper(&self, cell: usize) -> Option<u64> {
        self.upper[cell]
    }

    fn push(&mut self, head: FactHead, terms: impl IntoIterator<Item = (usize, i8)>) {
        self.heads.push(head);
        self.terms
            .extend(terms.into_iter().map(|(cell, c)| (cell as u32, c)));
        self.starts.push(self.terms.len() as u32);
    }

    /// The per-cell index, once every fact is in.
    fn index_cells(&mut self, cells: usize) {
        let mut counts = vec![0u32; cells + 1];
        for &(cell, _) in &self.terms {
            counts[cell as usize + 1] += 1;
        }
        for i in 0..cells {
            counts[i + 1] += counts[i];
        }
        let mut next = counts.clone();
        let mut facts = vec![0u32; self.terms.len()];
        for fact in 0..self.heads.len() {
            for &(cell, _) in self.terms(fact) {
                let at = &mut next[cell as usize];
                facts[*at as usize] = fact as u32;
                *at += 1;
            }
        }
        self.cell_starts = counts;
        self.cell_facts = facts;
    }
}

/// Every fact a reader knows about `counts`. `parents[a]` is the parent of
/// area `a`.
pub fn knowledge(
    counts: &Counts,
    definitions: &Definitions,
    parents: &[Option<usize>],
) -> Knowledge {
    let (areas, measures) = (counts.area_count, counts.measure_count);
    let periods = &counts.periods;
    let cells = periods.len() * areas * measures;
    let index = |p: usize, a: usize, m: usize| (p * areas + a) * measures + m;
    let mut k = Knowledge {
        starts: vec![0],
        ..Knowledge::default()
    };

    let mut children: Vec<Vec<usize>> = vec![Vec::new(); areas];
    for (a, parent) in parents.iter().enumerate() {
        if let Some(p) = parent {
            children[*p].push(a);
        }
    }
    for p in 0..periods.len() {
        for m in 0..measures {
            for (parent, kids) in children.iter().enumerate().filter(|(_, k)| !k.is_empty()) {
                let head = FactHead {
                    source: Source::Areas { parent },
                    equal: true,
                };
                let parts = kids.iter().map(|&c| (index(p, c, m), -1));
                k.push(head, std::iter::once((index(p, parent, m), 1)).chain(parts));
            }
        }
    }

    for instance in compositions(periods) {
        let head = FactHead {
            source: Source::Periods {
                total: instance.total,
            },
            equal: true,
        };
        for m in 0..measures {
            let holds = |a: usize| {
                let total = counts.get(instance.total, a, m)?;
                let parts: Option<Vec<u64>> = instance
                    .parts
                    .iter()
                    .map(|&q| counts.get(q, a, m))
                    .collect();
                let parts = parts?;
                Some(match instance.kind {
                    Aggregation::Sum => parts.iter().sum::<u64>() == total,
                    Aggregation::EndOfPeriod => parts[0] == total,
                })
            };
            let declared = definitions.measures[m].aggregation;
            // Undeclared, a measure is what every complete instance shows.
            let inferred = || {
                let mut seen = (0..areas).filter_map(holds).peekable();
                seen.peek().is_some() && seen.all(|h| h)
            };
            let measure_wide = match declared {
                Some(kind) => kind == instance.kind,
                None => inferred(),
            };
            for a in 0..areas {
                let known = match (declared, holds(a)) {
                    (Some(kind), _) => kind == instance.kind,
                    (None, Some(holds)) => holds,
                    (None, None) => measure_wide,
                };
                if known {
                    let total = std::iter::once((index(instance.total, a, m), 1));
                    let parts = instance.parts.iter().map(|&q| (index(q, a, m), -1));
                    k.push(head, total.chain(parts));
                }
            }
        }
    }

    for (small, large) in orders(counts, definitions) {
        let head = FactHead {
            source: Source::Order,
            equal: false,
        };
        for p in 0..periods.len() {
            for a in 0..areas {
                k.push(head, [(index(p, a, small), 1), (index(p, a, large), -1)]);
            }
        }
    }

    k.upper = vec![None; cells];
    for p in 0..periods.len() {
        for a in 0..areas {
            let Some(population) = counts.population(p, a) else {
                continue;
            };
            for m in 0..measures {
                // A count above the population is no fact (the data are
                // wrong there, or the population is out of date).
                if counts.get(p, a, m).is_none_or(|v| v <= population) {
                    k.upper[index(p, a, m)] = Some(population);
                }
            }
        }
    }
    k.index_cells(cells);
    k
}

/// Pairs (small, large) of measures where `small` is never more than
/// `large`: a rate's numerator and denominator, a measure and the one it is
/// declared `within`, and any other pair the data never contradict.
pub fn orders(counts: &Counts, definitions: &Definitions) -> BTreeSet<(usize, usize)> {
    let mut pairs = BTreeSet::new();
    for indicator in &definitions.indicators {
        if let Denominator::Measure(d) = indicator.denominator
            && d != indicator.numerator
        {
            pairs.insert((indicator.numerator, d));
        }
    }
    for (m, measure) in definitions.measures.iter().enumerate() {
        if let Some(w) = measure.within {
            pairs.insert((m, w));
        }
    }
    let measures = counts.measure_count;
    let rows = counts.periods.len() * counts.area_count;
    // seen[small][large]: (rows with both, rows where small ≤ large).
    let mut seen = vec![(0usize, 0usize); measures * measures];
    let values = counts.values();
    for row in 0..rows {
        let cells = &values[row * measures..(row + 1) * measures];
        for (s, vs) in cells.iter().enumerate() {
            let Some(vs) = vs else { continue };
            for (l, vl) in cells.iter().enumerate() {
                if let (true, Some(vl)) = (s != l, vl) {
                    let entry = &mut seen[s * measures + l];
                    entry.0 += 1;
                    entry.1 += usize::from(vs <= vl);
                }
            }
        }
    }
    for s in 0..measures {
        for l in 0..measures {
            let (both, ordered) = seen[s * measures + l];
            if s != l && both > 0 && both == ordered {
                pairs.insert((s, l));
            }
        }
    }
    pairs
}

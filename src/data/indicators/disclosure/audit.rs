//! The interval audit: for every hidden figure, the smallest and largest
//! value a reader can work out from everything published and everything
//! they know ([`super::knowledge`]), by linear programming; then more
//! suppression wherever that range is too narrow, until none is.
//!
//! Published figures are constants, so the hidden ones fall apart into
//! blocks: groups of hidden (or missing) cells tied by a fact. Each block is
//! a small linear program of its own, solved in parallel, and only blocks
//! that gained a hidden cell are solved again.
//!
//! Three things are protected (targets):
//! - every hidden count: its range holds at least `protection` whole numbers;
//! - every count of a missing row that the others tie down: its range
//!   holds `protection` values or no small count at all;
//! - a rate's denominator minus its numerator, and a measure minus the one
//!   within it (the unmanaged patients), where that difference is small.
//!
//! The ranges are those of whole numbers: where the linear program's optimum
//! is fractional, the same problem is solved over the integers, as a reader
//! could. A solve that cannot finish counts as the narrowest range it could
//! prove, so a hard block is over-protected, never under.

mod fix;
mod program;

use super::knowledge::Knowledge;
use super::{Reason, State};
use crate::config::Privacy;
use fix::{Fix, fix};
use program::{Optimum, Program, is_whole};
use rayon::prelude::*;
use std::collections::HashMap;

/// Something a reader must not pin down: `plus − minus` (or `plus` alone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Target {
    pub kind: TargetKind,
    pub plus: u32,
    pub minus: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TargetKind {
    /// A suppressed count.
    Hidden,
    /// A count no file gave, which the others may tie down.
    Missing,
    /// A difference of two counts of one area and period.
    Difference,
}

/// Whole numbers `lo..=hi`; `hi` is `None` without an upper limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub lo: u64,
    pub hi: Option<u64>,
}

impl Range {
    /// How many whole numbers the range holds; `None` for no limit.
    pub fn width(self) -> Option<u64> {
        self.hi.map(|hi| hi.saturating_sub(self.lo) + 1)
    }

    fn holds_small(self, privacy: &Privacy) -> bool {
        let hi = self.hi.unwrap_or(u64::MAX);
        let first_small = if privacy.suppress_zero { 0 } else { 1 };
        self.lo < privacy.min_count && hi >= first_small
    }
}

/// What the audit found and did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// How many cells the audit hid.
    pub hidden: usize,
    /// The range of each hidden count, after the last round.
    pub ranges: HashMap<u32, Range>,
    /// Targets that could not be protected: nothing published was left to
    /// hide around them.
    pub unprotected: Vec<Target>,
    /// Targets protected only by hiding a top area's total.
    pub top_totals: Vec<(u32, Target)>,
    /// Linear programs solved.
    pub solves: usize,
    pub rounds: usize,
}

/// Everything the audit reads.
pub(super) struct Input<'a> {
    pub knowledge: &'a Knowledge,
    /// The true counts, dense.
    pub values: &'a [Option<u64>],
    /// Pairs of cells (larger, smaller) whose difference is protected.
    pub differences: &'a [(u32, u32)],
    /// Whether a cell is a top area's (an area without a parent).
    pub is_top: &'a (dyn Fn(usize) -> bool + Sync),
    pub privacy: &'a Privacy,
}

/// Audits `states` and hides more until every target is protected.
pub(super) fn run(input: &Input, states: &mut [State]) -> Outcome {
    let privacy = input.privacy;
    let need = privacy.protection();
    let mut outcome = Outcome::default();
    let hidden = |s: &State| matches!(s, State::Suppressed(_));
    let mut targets: Vec<Target> = Vec::new();
    for (cell, state) in states.iter().enumerate() {
        let kind = match state {
            State::Suppressed(_) => TargetKind::Hidden,
            State::Missing if !input.knowledge.facts_of(cell).is_empty() => TargetKind::Missing,
            _ => continue,
        };
        targets.push(Target {
            kind,
            plus: cell as u32,
            minus: None,
        });
    }
    for &(large, small) in input.differences {
        let truth = match (input.values[large as usize], input.values[small as usize]) {
            (Some(l), Some(s)) => Some(l.saturating_sub(s)),
            _ => None,
        };
        // A difference that is no small count needs no protection; one that
        // is unknown (a missing row) is looked at like a missing count.
        if truth.is_none_or(|d| privacy.is_small(d)) {
            targets.push(Target {
                kind: TargetKind::Difference,
                plus: large,
                minus: Some(small),
            });
        }
    }

    // Results of the targets of blocks that did not change since they were solved.
    let mut settled: HashMap<Target, Verdict> = HashMap::new();
    let mut fresh: Vec<u32> = Vec::new();
    loop {
        outcome.rounds += 1;
        let blocks = blocks(input.knowledge, states, &targets);
        let fresh_set: std::collections::HashSet<u32> = fresh.iter().copied().collect();
        let work: Vec<&Block> = blocks
            .iter()
            .filter(|b| {
                outcome.rounds == 1
                    || b.cells.iter().any(|c| fresh_set.contains(c))
                    || b.targets
                        .iter()
                        .any(|t| !settled.contains_key(&targets[*t]))
            })
            .collect();
        // Hiding a cell only turns a constant into an unknown, so no range
        // ever narrows: a target once shown safe stays safe, and only the
        // others (and new ones) are looked at again.
        let open = |t: &usize| {
            settled.get(&targets[*t]).is_none_or(|v| !v.safe)
                && !outcome.unprotected.contains(&targets[*t])
        };
        let results: Vec<(Vec<(Target, Verdict)>, usize)> = work
            .par_iter()
            .map(|block| {
                let pending: Vec<usize> = block.targets.iter().copied().filter(open).collect();
                solve_block(block, &pending, &targets, &outcome.unprotected, input, need)
            })
            .collect();
        for (verdicts, solves) in results {
            outcome.solves += solves;
            for (target, verdict) in verdicts {
                settled.insert(target, verdict);
            }
        }
        // One fix a block a round: the first unsafe target in the block's
        // order, so one hidden cell is not followed by others it made needless.
        let unsafe_targets: Vec<(&Block, usize)> = blocks
            .iter()
            .filter_map(|block| {
                let t = block.targets.iter().copied().find(|&t| {
                    settled.get(&targets[t]).is_some_and(|v| !v.safe)
                        && !outcome.unprotected.contains(&targets[t])
                })?;
                Some((block, t))
            })
            .collect();
        let fixes: Vec<Fix> = unsafe_targets
            .par_iter()
            .map(|&(block, t)| fix(&targets[t], block, input, states, need))
            .collect();
        fresh.clear();
        for (&(_, t), chosen) in unsafe_targets.iter().zip(fixes) {
            let target = targets[t];
            outcome.solves += chosen.solves;
            if chosen.cells.is_empty() {
                outcome.unprotected.push(target);
            }
            for cell in chosen.cells {
                if fresh.contains(&cell) {
                    continue;
                }
                if (input.is_top)(cell as usize) {
                    outcome.top_totals.push((cell, target));
                }
                states[cell as usize] = State::Suppressed(Reason::Audit);
                outcome.hidden += 1;
                fresh.push(cell);
            }
        }
        for &cell in &fresh {
            targets.push(Target {
                kind: TargetKind::Hidden,
                plus: cell,
                minus: None,
            });
        }
        if fresh.is_empty() {
            break;
        }
    }
    for target in &targets {
        if target.kind == TargetKind::Hidden
            && hidden(&states[target.plus as usize])
            && let Some(verdict) = settled.get(target)
        {
            outcome.ranges.insert(target.plus, verdict.range);
        }
    }
    outcome
}

/// A target's range and whether it is wide enough.
#[derive(Debug, Clone, Copy)]
struct Verdict {
    range: Range,
    safe: bool,
}

/// Hidden and missing cells tied together by facts, and the targets on them.
struct Block {
    /// Sorted.
    cells: Vec<u32>,
    /// Indices into the targets, in order.
    targets: Vec<usize>,
}

fn unknown(state: &State) -> bool {
    matches!(state, State::Suppressed(_) | State::Missing)
}

/// The blocks of the unknown cells, and one for each target on published
/// cells only (a difference of two published counts), in a stable order.
fn blocks(knowledge: &Knowledge, states: &[State], targets: &[Target]) -> Vec<Block> {
    let mut parent: Vec<u32> = (0..states.len() as u32).collect();
    fn find(parent: &mut [u32], mut x: u32) -> u32 {
        while parent[x as usize] != x {
            parent[x as usize] = parent[parent[x as usize] as usize];
            x = parent[x as usize];
        }
        x
    }
    let union = |parent: &mut [u32], a: u32, b: u32| {
        let (ra, rb) = (find(parent, a), find(parent, b));
        if ra != rb {
            let (lo, hi) = (ra.min(rb), ra.max(rb));
            parent[hi as usize] = lo;
        }
    };
    for fact in 0..knowledge.len() {
        let mut first = None;
        for &(cell, _) in knowledge.terms(fact) {
            if !unknown(&states[cell as usize]) {
                continue;
            }
            match first {
                None => first = Some(cell),
                Some(f) => union(&mut parent, f, cell),
            }
        }
    }
    // A difference is one problem with both its cells.
    for t in targets {
        if let Some(minus) = t.minus {
            union(&mut parent, t.plus, minus);
        }
    }
    let mut by_root: HashMap<u32, usize> = HashMap::new();
    let mut blocks: Vec<Block> = Vec::new();
    for (cell, state) in states.iter().enumerate() {
        if !unknown(state) {
            continue;
        }
        let root = find(&mut parent, cell as u32);
        let b = *by_root.entry(root).or_insert_with(|| {
            blocks.push(Block {
                cells: Vec::new(),
                targets: Vec::new(),
            });
            blocks.len() - 1
        });
        blocks[b].cells.push(cell as u32);
    }
    for (t, target) in targets.iter().enumerate() {
        let cell = [Some(target.plus), target.minus]
            .into_iter()
            .flatten()
            .find(|&c| unknown(&states[c as usize]));
        match cell {
            Some(c) => {
                let root = find(&mut parent, c);
                blocks[by_root[&root]].targets.push(t);
            }
            None => blocks.push(Block {
                cells: Vec::new(),
                targets: vec![t],
            }),
        }
    }
    blocks
}

/// A target's range on a program, given the whole-number points already
/// known to meet every fact; `None` when a solve could not be finished and
/// no point says more.
struct Ranger<'a> {
    program: &'a Program,
    input: &'a Input<'a>,
    points: Vec<Vec<f64>>,
    solves: usize,
    /// The points where the last [`Ranger::range`] found its (min, max).
    optima: (Option<Vec<f64>>, Option<Vec<f64>>),
}

impl<'a> Ranger<'a> {
    fn new(program: &'a Program, input: &'a Input<'a>) -> Ranger<'a> {
        Ranger {
            program,
            input,
            points: Vec::new(),
            solves: 0,
            optima: (None, None),
        }
    }

    /// The target as a linear objective over the program's variables, and the
    /// constant part of its published cells.
    fn objective(&self, target: &Target) -> (Vec<(usize, f64)>, f64) {
        let mut objective = Vec::new();
        let mut constant = 0.0;
        for (cell, sign) in [Some((target.plus, 1.0)), target.minus.map(|m| (m, -1.0))]
            .into_iter()
            .flatten()
        {
            match self.program.var(cell) {
                Some(v) => objective.push((v, sign)),
                None => constant += sign * self.input.values[cell as usize].unwrap_or(0) as f64,
            }
        }
        (objective, constant)
    }

    /// The smallest and largest value the known points give the target.
    fn seen(&self, target: &Target) -> Option<(f64, f64)> {
        let (objective, constant) = self.objective(target);
        let values = self
            .points
            .iter()
            .map(|p| constant + objective.iter().map(|&(v, c)| c * p[v]).sum::<f64>());
        values.fold(None, |range, v| match range {
            None => Some((v, v)),
            Some((lo, hi)) => Some((f64::min(lo, v), f64::max(hi, v))),
        })
    }

    /// The target's range in whole numbers, and whether every solve finished.
    fn range(&mut self, target: &Target) -> (Range, bool) {
        let (objective, constant) = self.objective(target);
        if objective.is_empty() {
            let v = constant.max(0.0) as u64;
            return (Range { lo: v, hi: Some(v) }, true);
        }
        let mut finished = true;
        self.optima = (None, None);
        let mut best = |maximize: bool, this: &mut Self| {
            match this.program.optimum(&objective, maximize, &mut this.solves) {
                Optimum::Unbounded => None,
                Optimum::Found { value: best, point } => {
                    if let Some(point) = &point {
                        if maximize {
                            this.optima.1 = Some(point.clone());
                        } else {
                            this.optima.0 = Some(point.clone());
                        }
                    }
                    this.points.extend(point);
                    Some(best + constant)
                }
                // No answer: the narrowest range a known point shows.
                Optimum::Unknown => {
                    finished = false;
                    let seen = this.seen(target);
                    Some(seen.map_or(0.0, |(lo, hi)| if maximize { hi } else { lo }))
                }
            }
        };
        let hi = best(true, self);
        // Every target is at least 0, by the facts themselves.
        let lo = best(false, self).unwrap_or(0.0).max(0.0).round();
        let range = Range {
            lo: lo as u64,
            hi: hi.map(|h| h.round().max(lo) as u64),
        };
        (range, finished)
    }

    /// Whether `target` is protected: its range, and the verdict. Unless
    /// `exact`, it stops as soon as known points show the range wide enough:
    /// first those found so far, then the maximum, and only then the minimum.
    fn verdict(&mut self, target: &Target, need: u64, exact: bool) -> Verdict {
        let wide_enough = |lo: f64, hi: f64| hi.round() - lo.round() + 1.0 >= need as f64;
        let shown = |lo: f64, hi: f64| Verdict {
            range: Range {
                lo: lo.round().max(0.0) as u64,
                hi: Some(hi.round().max(0.0) as u64),
            },
            safe: true,
        };
        if !exact {
            if let Some((lo, hi)) = self.seen(target)
                && wide_enough(lo, hi)
            {
                return shown(lo, hi);
            }
            let (objective, constant) = self.objective(target);
            if !objective.is_empty()
                && let Optimum::Found { value: best, point } =
                    self.program.optimum(&objective, true, &mut self.solves)
            {
                self.points.extend(point);
                if let Some((lo, hi)) = self.seen(target) {
                    let hi = hi.max(best + constant);
                    if wide_enough(lo, hi) {
                        return shown(lo, hi);
                    }
                }
            }
        }
        let (range, finished) = self.range(target);
        let wide = range.width().is_none_or(|w| w >= need);
        let safe = finished
            && match target.kind {
                TargetKind::Hidden => wide,
                TargetKind::Missing | TargetKind::Difference => {
                    wide || !range.holds_small(self.input.privacy)
                }
            };
        Verdict { range, safe }
    }

    /// Whole-number points where many targets are high at once: one program
    /// that certifies most of a block's targets together with the true counts.
    fn seed(&mut self, targets: &[Target]) {
        let mut objective: Vec<(usize, f64)> = Vec::new();
        for target in targets {
            objective.extend(self.objective(target).0);
        }
        if objective.is_empty() {
            return;
        }
        for maximize in [true, false] {
            if let Ok(Some((_, point))) =
                self.program
                    .solve(&objective, maximize, false, &mut self.solves)
                && point.iter().all(|v| is_whole(*v))
            {
                self.points.push(point);
            }
        }
    }
}

/// The verdicts of a block's targets, and how many programs it took.
fn solve_block(
    block: &Block,
    pending: &[usize],
    targets: &[Target],
    unprotected: &[Target],
    input: &Input,
    need: u64,
) -> (Vec<(Target, Verdict)>, usize) {
    let program = Program::new(&block.cells, input);
    let mut ranger = Ranger::new(&program, input);
    // Whole-number points known to meet every fact: the true counts, where
    // the block has no missing cell, and each integral optimum found.
    if block
        .cells
        .iter()
        .all(|&c| input.values[c as usize].is_some())
    {
        ranger.points.push(
            block
                .cells
                .iter()
                .map(|&c| input.values[c as usize].unwrap_or(0) as f64)
                .collect(),
        );
    }
    if pending.len() > 2 {
        let block_targets: Vec<Target> = pending.iter().map(|&t| targets[t]).collect();
        ranger.seed(&block_targets);
    }
    // Only the first unsafe target is fixed this round, and the fix may
    // protect those after it too: they wait for the next round.
    let mut verdicts = Vec::new();
    for &t in pending {
        let verdict = ranger.verdict(&targets[t], need, false);
        verdicts.push((targets[t], verdict));
        if !verdict.safe && !unprotected.contains(&targets[t]) {
            break;
        }
    }
    (verdicts, ranger.solves)
}

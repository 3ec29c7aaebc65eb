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

use super::knowledge::Knowledge;
use super::{Reason, State};
use crate::config::Privacy;
use microlp::{ComparisonOp, OptimizationDirection, Problem, SolveOptions, Variable};
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
    /// Cells the audit hid, in the order it hid them, with the target that
    /// needed it.
    pub hidden: Vec<(u32, Target)>,
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

pub static STATS: [std::sync::atomic::AtomicUsize; 5] =
    [const { std::sync::atomic::AtomicUsize::new(0) }; 5];

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
                outcome.hidden.push((cell, target));
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

/// The linear program of one block: a variable for each of its cells.
struct Program {
    cells: Vec<u32>,
    bounds: Vec<(f64, f64)>,
    rows: Vec<Row>,
}

/// `Σ coefficient × variable` equal to, or at most, `rhs`.
struct Row {
    terms: Vec<(usize, f64)>,
    equal: bool,
    rhs: f64,
}

/// What a solve found.
enum Optimum {
    /// The objective has no limit.
    Unbounded,
    /// No answer could be had (a hard integer program cut short).
    Unknown,
    /// The best value, at a whole-number point if one was found.
    Found { value: f64, point: Option<Vec<f64>> },
}

impl Program {
    /// `cells` sorted; every other cell counts as known, at its true value
    /// (a cell hidden elsewhere then only narrows the ranges: over-protects).
    fn new(cells: &[u32], input: &Input) -> Program {
        let var: HashMap<u32, usize> = cells.iter().enumerate().map(|(i, &c)| (c, i)).collect();
        let bounds = cells
            .iter()
            .map(|&c| {
                let hi = input
                    .knowledge
                    .upper(c as usize)
                    .map_or(f64::INFINITY, |u| u as f64);
                (0.0, hi)
            })
            .collect();
        let mut facts: Vec<u32> = cells
            .iter()
            .flat_map(|&c| input.knowledge.facts_of(c as usize).iter().copied())
            .collect();
        facts.sort_unstable();
        facts.dedup();
        let mut rows = Vec::with_capacity(facts.len());
        for fact in facts {
            let head = input.knowledge.head(fact as usize);
            let mut terms = Vec::new();
            let mut rhs = 0.0;
            for &(cell, c) in input.knowledge.terms(fact as usize) {
                match var.get(&cell) {
                    Some(&v) => terms.push((v, f64::from(c))),
                    None => rhs -= f64::from(c) * input.values[cell as usize].unwrap_or(0) as f64,
                }
            }
            if !terms.is_empty() {
                rows.push(Row {
                    terms,
                    equal: head.equal,
                    rhs,
                });
            }
        }
        Program {
            cells: cells.to_vec(),
            bounds,
            rows,
        }
    }

    fn var(&self, cell: u32) -> Option<usize> {
        self.cells.binary_search(&cell).ok()
    }

    /// The best whole-number value of `objective` (maximum or minimum).
    fn optimum(&self, objective: &[(usize, f64)], maximize: bool, solves: &mut usize) -> Optimum {
        let (value, point) = match self.solve(objective, maximize, false, solves) {
            Err(()) => return Optimum::Unbounded,
            Ok(None) => return Optimum::Unknown,
            Ok(Some(found)) => found,
        };
        if point.iter().all(|v| is_whole(*v)) {
            return Optimum::Found {
                value: value.round(),
                point: Some(point),
            };
        }
        // A fractional optimum: a reader solving over whole numbers may get
        // a narrower range. A search cut short answers with the best whole
        // point it found: a range narrower than the truth, never wider.
        match self.solve(objective, maximize, true, solves) {
            Err(()) => Optimum::Unbounded,
            Ok(None) => Optimum::Unknown,
            Ok(Some((value, point))) => Optimum::Found {
                value: value.round(),
                point: Some(point),
            },
        }
    }

    fn solve(
        &self,
        objective: &[(usize, f64)],
        maximize: bool,
        integer: bool,
        solves: &mut usize,
    ) -> Result<Option<(f64, Vec<f64>)>, ()> {
        *solves += 1;
        // Small programs, the most of them, by the dense simplex; the rest,
        // and whatever it cannot answer with a whole point, by microlp.
        if !integer && self.cells.len() <= 32 && self.rows.len() <= 96 {
            let mut costs = vec![0.0; self.cells.len()];
            for &(v, c) in objective {
                costs[v] += if maximize { c } else { -c };
            }
            let upper: Vec<f64> = self.bounds.iter().map(|b| b.1).collect();
            let rows: Vec<super::simplex::Row> = self
                .rows
                .iter()
                .map(|r| super::simplex::Row {
                    terms: &r.terms,
                    equal: r.equal,
                    rhs: r.rhs,
                })
                .collect();
            if let Some(point) = super::simplex::maximize(&costs, &upper, &rows) {
                let value: f64 = objective.iter().map(|&(v, c)| c * point[v]).sum();
                return Ok(Some((value, point)));
            }
        }
        let direction = if maximize {
            OptimizationDirection::Maximize
        } else {
            OptimizationDirection::Minimize
        };
        let mut problem = Problem::new(direction);
        let mut coefficient = vec![0.0; self.cells.len()];
        for &(v, c) in objective {
            coefficient[v] += c;
        }
        let vars: Vec<Variable> = self
            .bounds
            .iter()
            .zip(&coefficient)
            .map(|(&(lo, hi), &c)| {
                if integer && hi <= i32::MAX as f64 {
                    problem.add_integer_var(c, (lo as i32, hi as i32))
                } else if integer && hi.is_infinite() {
                    problem.add_integer_var(c, (lo as i32, i32::MAX))
                } else {
                    problem.add_var(c, (lo, hi))
                }
            })
            .collect();
        for row in &self.rows {
            let expr: Vec<(Variable, f64)> = row.terms.iter().map(|&(v, c)| (vars[v], c)).collect();
            let op = if row.equal {
                ComparisonOp::Eq
            } else {
                ComparisonOp::Le
            };
            problem.add_constraint(expr, op, row.rhs);
        }
        let mut options = SolveOptions::default();
        options.node_limit = Some(2_000);
        match problem.solve_with(options) {
            Ok(outcome) => match outcome.solution() {
                Some(solution) => {
                    let point: Vec<f64> = vars.iter().map(|&v| solution.var_value(v)).collect();
                    Ok(Some((solution.objective(), point)))
                }
                None => Ok(None),
            },
            Err(microlp::Error::Unbounded) => Err(()),
            Err(_) => Ok(None),
        }
    }
}

fn is_whole(v: f64) -> bool {
    (v - v.round()).abs() <= 1e-6 * (1.0 + v.abs())
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

impl Ranger<'_> {
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
    let mut ranger = Ranger {
        program: &program,
        input,
        points: Vec::new(),
        solves: 0,
        optima: (None, None),
    };
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

/// The published cell to hide so that `target` gets a wider range. The
/// published cells nearest to it through the facts are tried, cheapest
/// first — not a top area's total if anything else will do, not a zero
/// (hiding a zero adds nothing a reader cannot bound), the smallest count,
/// then the first — and the first that protects the target is taken; if
/// none does, the one that widens its range most.
fn fix(target: &Target, block: &Block, input: &Input, states: &[State], need: u64) -> Fix {
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
        let mut ranger = Ranger {
            program: &program,
            input,
            points: Vec::new(),
            solves: 0,
            optima: (None, None),
        };
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
struct Fix {
    cells: Vec<u32>,
    solves: usize,
}

//! The linear program of one block, solved for one objective at a time:
//! small programs by the dense simplex ([`super::super::simplex`]), the
//! others, and whatever it cannot answer with a whole point, by microlp.

use super::super::simplex;
use super::Input;
use microlp::{ComparisonOp, OptimizationDirection, Problem, SolveOptions, Variable};
use std::collections::HashMap;

/// The linear program of one block: a variable for each of its cells.
pub(super) struct Program {
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
pub(super) enum Optimum {
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
    pub(super) fn new(cells: &[u32], input: &Input) -> Program {
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

    pub(super) fn var(&self, cell: u32) -> Option<usize> {
        self.cells.binary_search(&cell).ok()
    }

    /// The best whole-number value of `objective` (maximum or minimum).
    pub(super) fn optimum(
        &self,
        objective: &[(usize, f64)],
        maximize: bool,
        solves: &mut usize,
    ) -> Optimum {
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

    pub(super) fn solve(
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
            let rows: Vec<simplex::Row> = self
                .rows
                .iter()
                .map(|r| simplex::Row {
                    terms: &r.terms,
                    equal: r.equal,
                    rhs: r.rhs,
                })
                .collect();
            if let Some(point) = simplex::maximize(&costs, &upper, &rows) {
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

pub(super) fn is_whole(v: f64) -> bool {
    (v - v.round()).abs() <= 1e-6 * (1.0 + v.abs())
}

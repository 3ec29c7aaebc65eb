//! A small dense simplex for the audit's blocks (a dozen variables, a few
//! dozen facts), about ten times quicker than building a general solver's
//! problem for each of the thousands of objectives a province asks about.
//!
//! It is trusted only through its answer: a point that is whole and meets
//! every row exactly (checked in integers) is a point a reader could not
//! rule out, so its value can only understate the best one. Anything else —
//! a fractional optimum, a claim of no limit or of no solution, a point that
//! fails the check — is handed to microlp by the caller. An error here can
//! therefore only make the audit withhold more, never less.

/// `Σ coefficient × variable` equal to (or at most) `rhs`.
pub struct Row<'a> {
    pub terms: &'a [(usize, f64)],
    pub equal: bool,
    pub rhs: f64,
}

const EPS: f64 = 1e-9;

/// The maximum of `objective` over `0 ≤ x ≤ upper`, the rows: a whole point
/// reaching it, or `None` for "ask microlp".
pub fn maximize(objective: &[f64], upper: &[f64], rows: &[Row]) -> Option<Vec<f64>> {
    let n = objective.len();
    let m = rows.len();
    // Columns: the variables, a slack per row (0 for an equality), an
    // artificial per row. Every row starts with its artificial basic.
    let width = n + 2 * m;
    let mut tableau = vec![0.0; m * width];
    let mut beta = vec![0.0; m];
    let mut bound = vec![f64::INFINITY; width];
    bound[..n].copy_from_slice(upper);
    let mut basis: Vec<usize> = Vec::with_capacity(m);
    for (i, row) in rows.iter().enumerate() {
        let sign = if row.rhs < 0.0 { -1.0 } else { 1.0 };
        let line = &mut tableau[i * width..(i + 1) * width];
        for &(v, c) in row.terms {
            line[v] += sign * c;
        }
        beta[i] = sign * row.rhs;
        if row.equal {
            bound[n + i] = 0.0;
        } else {
            line[n + i] = sign;
        }
        if !row.equal && sign > 0.0 {
            // x = 0 meets the row: its slack starts basic, no artificial.
            bound[n + m + i] = 0.0;
            basis.push(n + i);
        } else {
            line[n + m + i] = 1.0;
            basis.push(n + m + i);
        }
    }
    // Nonbasic variables sit at 0 or at their bound.
    let mut at_upper = vec![false; width];

    // Phase 1: drive the artificials to 0; phase 2: the objective, with the
    // artificials held at 0.
    let mut phase1 = vec![0.0; width];
    for c in phase1.iter_mut().skip(n + m) {
        *c = -1.0;
    }
    let mut state = State {
        tableau: &mut tableau,
        beta: &mut beta,
        bound: &mut bound,
        basis: &mut basis,
        at_upper: &mut at_upper,
        width,
    };
    if state.basis.iter().any(|&b| b >= n + m) && !state.optimize(&phase1) {
        return None;
    }
    let infeasibility: f64 = (0..m)
        .filter(|&i| state.basis[i] >= n + m)
        .map(|i| state.beta[i])
        .sum();
    if infeasibility > 1e-7 {
        return None;
    }
    for a in n + m..width {
        state.bound[a] = 0.0;
    }
    let mut costs = vec![0.0; width];
    costs[..n].copy_from_slice(objective);
    if !state.optimize(&costs) {
        return None;
    }
    let mut x: Vec<f64> = (0..width)
        .map(|j| {
            if state.at_upper[j] {
                state.bound[j]
            } else {
                0.0
            }
        })
        .collect();
    for (i, &b) in state.basis.iter().enumerate() {
        x[b] = state.beta[i];
    }
    x.truncate(n);
    let point: Vec<f64> = x.iter().map(|v| v.round()).collect();
    let whole = x.iter().zip(&point).all(|(v, r)| (v - r).abs() <= 1e-6);
    (whole && meets(&point, upper, rows)).then_some(point)
}

/// Whether a whole point meets every bound and row exactly.
fn meets(point: &[f64], upper: &[f64], rows: &[Row]) -> bool {
    let exact = |v: f64| v as i64;
    point
        .iter()
        .zip(upper)
        .all(|(&v, &u)| v >= 0.0 && (u.is_infinite() || exact(v) <= exact(u)))
        && rows.iter().all(|row| {
            let sum: i64 = row
                .terms
                .iter()
                .map(|&(v, c)| exact(c) * exact(point[v]))
                .sum();
            if row.equal {
                sum == exact(row.rhs)
            } else {
                sum <= exact(row.rhs)
            }
        })
}

/// The tableau of a bounded-variable simplex: `tableau` is B⁻¹A, `beta` the
/// values of the basic variables.
struct State<'a> {
    tableau: &'a mut [f64],
    beta: &'a mut [f64],
    bound: &'a mut [f64],
    basis: &'a mut [usize],
    at_upper: &'a mut [bool],
    width: usize,
}

impl State<'_> {
    /// Maximises `costs`: the most improving column enters (Dantzig),
    /// and after a run of pivots that gain nothing, the first improving
    /// one (Bland's rule, which cannot cycle). `false` when the objective
    /// has no limit or the iterations run out.
    fn optimize(&mut self, costs: &[f64]) -> bool {
        let (m, width) = (self.basis.len(), self.width);
        let mut is_basic = vec![false; width];
        for &b in self.basis.iter() {
            is_basic[b] = true;
        }
        // Reduced costs d_j = c_j − c_B·(B⁻¹A)_j, kept up to date by each pivot.
        let mut d = costs.to_vec();
        for i in 0..m {
            let c = costs[self.basis[i]];
            if c != 0.0 {
                for (k, dk) in d.iter_mut().enumerate() {
                    *dk -= c * self.tableau[i * width + k];
                }
            }
        }
        let mut stalled = 0;
        for _ in 0..(50 * (m + width)) {
            let improves = |j: usize| {
                !is_basic[j]
                    && if self.at_upper[j] {
                        d[j] < -EPS
                    } else {
                        d[j] > EPS && self.bound[j] > 0.0
                    }
            };
            let entering = if stalled > m {
                (0..width).find(|&j| improves(j))
            } else {
                (0..width)
                    .filter(|&j| improves(j))
                    .max_by(|&a, &b| d[a].abs().total_cmp(&d[b].abs()).then(b.cmp(&a)))
            };
            let Some(j) = entering else {
                return true;
            };
            // Moving x_j by θ (up from 0, or down from its bound) changes each
            // basic variable by −θ·dir·T[i][j].
            let dir = if self.at_upper[j] { -1.0 } else { 1.0 };
            // The ratio test: the nearest bound any variable reaches, and of
            // the basic ones reaching it, the lowest-numbered leaves (Bland).
            let limits: Vec<(usize, f64, bool)> = (0..m)
                .filter_map(|i| {
                    let rate = dir * self.tableau[i * width + j];
                    let b = self.basis[i];
                    if rate > EPS {
                        Some((i, (self.beta[i] / rate).max(0.0), false))
                    } else if rate < -EPS && self.bound[b].is_finite() {
                        Some((i, ((self.bound[b] - self.beta[i]) / -rate).max(0.0), true))
                    } else {
                        None
                    }
                })
                .collect();
            let nearest = limits.iter().map(|l| l.1).fold(f64::INFINITY, f64::min);
            let mut theta = self.bound[j];
            let mut leaving: Option<(usize, bool)> = None;
            if nearest <= theta + EPS {
                theta = nearest;
                leaving = limits
                    .iter()
                    .filter(|l| l.1 <= nearest + EPS)
                    .min_by_key(|l| self.basis[l.0])
                    .map(|l| (l.0, l.2));
            }
            if !theta.is_finite() {
                return false;
            }
            stalled = if theta <= EPS { stalled + 1 } else { 0 };
            for i in 0..m {
                self.beta[i] -= theta * dir * self.tableau[i * width + j];
            }
            match leaving {
                None => {
                    // The entering variable reaches its other bound first.
                    self.at_upper[j] = !self.at_upper[j];
                }
                Some((r, to_upper)) => {
                    let entering_value = if self.at_upper[j] {
                        self.bound[j] - theta
                    } else {
                        theta
                    };
                    let old = self.basis[r];
                    let pivot = self.tableau[r * width + j];
                    for k in 0..width {
                        self.tableau[r * width + k] /= pivot;
                    }
                    for i in 0..m {
                        if i == r {
                            continue;
                        }
                        let f = self.tableau[i * width + j];
                        if f != 0.0 {
                            for k in 0..width {
                                self.tableau[i * width + k] -= f * self.tableau[r * width + k];
                            }
                        }
                    }
                    let dj = d[j];
                    let pivot_row = &self.tableau[r * width..(r + 1) * width];
                    for (dk, t) in d.iter_mut().zip(pivot_row) {
                        *dk -= dj * t;
                    }
                    self.beta[r] = entering_value;
                    self.basis[r] = j;
                    is_basic[j] = true;
                    is_basic[old] = false;
                    self.at_upper[j] = false;
                    self.at_upper[old] = to_upper;
                }
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_whole_optima_of_small_programs() {
        // x + y = 7, y ≤ 5, 0 ≤ x ≤ 10: max x = 7 at y = 0; max y = 5.
        let rows = [
            Row {
                terms: &[(0, 1.0), (1, 1.0)],
                equal: true,
                rhs: 7.0,
            },
            Row {
                terms: &[(1, 1.0)],
                equal: false,
                rhs: 5.0,
            },
        ];
        let upper = [10.0, f64::INFINITY];
        assert_eq!(maximize(&[1.0, 0.0], &upper, &rows), Some(vec![7.0, 0.0]));
        assert_eq!(
            maximize(&[0.0, 1.0], &upper, &rows).map(|p| p[1]),
            Some(5.0)
        );
        // min x (max −x) = 2.
        assert_eq!(
            maximize(&[-1.0, 0.0], &upper, &rows).map(|p| p[0]),
            Some(2.0)
        );
        // x − y ≤ −3 (a negative right-hand side), max x with y ≤ 5.
        let rows = [
            Row {
                terms: &[(0, 1.0), (1, -1.0)],
                equal: false,
                rhs: -3.0,
            },
            Row {
                terms: &[(1, 1.0)],
                equal: false,
                rhs: 5.0,
            },
        ];
        assert_eq!(
            maximize(&[1.0, 0.0], &upper, &rows).map(|p| p[0]),
            Some(2.0)
        );
    }

    #[test]
    fn hands_back_what_it_cannot_answer_with_a_whole_point() {
        // No limit.
        let rows = [Row {
            terms: &[(0, 1.0), (1, -1.0)],
            equal: true,
            rhs: 0.0,
        }];
        let upper = [f64::INFINITY, f64::INFINITY];
        assert_eq!(maximize(&[1.0, 0.0], &upper, &rows), None);
        // No solution: x = 3 and x ≤ 2.
        let rows = [
            Row {
                terms: &[(0, 1.0)],
                equal: true,
                rhs: 3.0,
            },
            Row {
                terms: &[(0, 1.0)],
                equal: false,
                rhs: 2.0,
            },
        ];
        assert_eq!(maximize(&[1.0], &[f64::INFINITY], &rows), None);
        // A fractional optimum: 2x = 3.
        let rows = [Row {
            terms: &[(0, 1.0), (0, 1.0)],
            equal: true,
            rhs: 3.0,
        }];
        assert_eq!(maximize(&[1.0], &[f64::INFINITY], &rows), None);
    }
}

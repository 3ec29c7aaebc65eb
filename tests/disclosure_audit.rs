//! The disclosure audit, tried as an attacker would: random sites with
//! nested measures, quarters and their year, stocks and flows, missing rows
//! and rounding go through disclosure control; then, from the published
//! figures alone and what every reader knows, an independent integer linear
//! program (written here, not anxin's) finds the smallest and largest value
//! of every withheld count and of every small difference of a rate's parts,
//! and the protection rule is asserted for each.
//!
//! What the attacker knows: the area tree (parent = Σ children, a missing
//! row an unknown ≥ 0), that a flow's year is the sum of its quarters and a
//! stock's year its Q4, the true order of the measures (standard_managed ≤
//! managed ≤ registered, on_medication ≤ managed) whether or not the site
//! declares it, that no count exceeds the population, and each published
//! count: exactly, or as the interval its rounding leaves.

use anxin::config::Privacy;
use anxin::data::indicators::counts::Counts;
use anxin::data::indicators::definitions::{
    Aggregation, Definitions, Denominator, Indicator, Measure, Unit,
};
use anxin::data::indicators::disclosure::{self, Count, Figures};
use anxin::data::indicators::period::Period;
use microlp::{ComparisonOp, OptimizationDirection, Problem};
use proptest::prelude::*;

/// registered, managed, standard_managed, on_medication, new_cases (a flow).
const MEASURES: usize = 5;
const REGISTERED: usize = 0;
const MANAGED: usize = 1;
const STANDARD: usize = 2;
const MEDICATED: usize = 3;
const NEW_CASES: usize = 4;
/// (smaller, larger): the order every reader knows.
const ORDER: [(usize, usize); 4] = [
    (MANAGED, REGISTERED),
    (STANDARD, MANAGED),
    (MEDICATED, MANAGED),
    (STANDARD, REGISTERED),
];

#[derive(Debug, Clone)]
struct Case {
    /// Children of the top area; for each, how many children it has (0: a leaf).
    tree: Vec<usize>,
    /// Quarters 1..=n of 2025, and whether the year row is given too.
    quarters: usize,
    year: bool,
    /// Per leaf and quarter: (registered, managed share, standard share,
    /// medicated share, new cases) — shares in 0..=100 of the larger measure.
    leaves: Vec<(u64, u8, u8, u8, u64)>,
    /// Leaves (by position) whose rows are missing in the first quarter, while
    /// their parent's total is given.
    missing: Option<usize>,
    declare_within: bool,
    declare_aggregation: bool,
    privacy: Privacy,
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec(0usize..=3, 1..=3),
        1usize..=4,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        (
            2u64..=8,
            prop_oneof![Just(None), Just(Some(3)), Just(Some(5))],
            any::<bool>(),
            any::<bool>(),
        ),
    )
        .prop_flat_map(|(tree, quarters, year, within, aggregation, p)| {
            let leaves: usize = tree.iter().map(|&k| k.max(1)).sum();
            let leaf = (
                prop_oneof![3 => 0u64..12, 2 => 12u64..60, 1 => 60u64..400],
                0u8..=100,
                0u8..=100,
                0u8..=100,
                prop_oneof![3 => 0u64..6, 1 => 6u64..40],
            );
            (
                Just((tree, quarters, year, within, aggregation, p)),
                prop::collection::vec(leaf, leaves * quarters),
                prop::option::weighted(0.2, 0..leaves),
            )
        })
        .prop_map(
            |((tree, quarters, year, within, aggregation, p), leaves, missing)| {
                let (min_count, round_to, suppress_zero, protect_complements) = p;
                Case {
                    tree,
                    quarters,
                    year: year && quarters == 4,
                    leaves,
                    missing,
                    declare_within: within,
                    declare_aggregation: aggregation,
                    privacy: Privacy {
                        min_count,
                        round_to,
                        suppress_zero,
                        protect_complements,
                        ..Privacy::default()
                    },
                }
            },
        )
}

/// One case, protected: the true counts, and what was published.
struct World {
    parents: Vec<Option<usize>>,
    periods: Vec<Period>,
    counts: Counts,
    population: Vec<u64>,
    figures: Figures,
    /// The true counts of the missing row too.
    filled: Counts,
    privacy: Privacy,
    /// The measure pairs (larger, smaller) whose small difference is protected.
    differences: Vec<(usize, usize)>,
}

fn world(case: &Case) -> World {
    // Area 0 is the top; then each child, followed by its own children.
    let mut parents = vec![None];
    let mut leaves = Vec::new();
    for &kids in &case.tree {
        let child = parents.len();
        parents.push(Some(0));
        if kids == 0 {
            leaves.push(child);
        }
        for _ in 0..kids {
            leaves.push(parents.len());
            parents.push(Some(child));
        }
    }
    let areas = parents.len();
    let mut periods: Vec<Period> = (1..=case.quarters as u8)
        .map(|q| Period::Quarter(2025, q))
        .collect();
    if case.year {
        periods.push(Period::Year(2025));
    }
    let mut counts = Counts::new(periods.clone(), areas, MEASURES);
    let population: Vec<u64> = (0..areas).map(|a| 5_000 + 977 * a as u64).collect();
    for (l, &leaf) in leaves.iter().enumerate() {
        for q in 0..case.quarters {
            let values = leaf_values(case, l, q);
            let absent = case.missing == Some(l) && q == 0;
            for (m, v) in values.into_iter().enumerate() {
                counts.set(q, leaf, m, (!absent).then_some(v));
            }
        }
    }
    // Parents: the sum of their children, or, with a child missing, the true
    // total given in a row of their own.
    let truth = |counts: &Counts, q: usize, a: usize, m: usize| -> u64 {
        fn sum(counts: &Counts, parents: &[Option<usize>], q: usize, a: usize, m: usize) -> u64 {
            let kids: Vec<usize> = (0..parents.len())
                .filter(|&c| parents[c] == Some(a))
                .collect();
            if kids.is_empty() {
                return counts.get(q, a, m).unwrap_or(0);
            }
            kids.iter().map(|&c| sum(counts, parents, q, c, m)).sum()
        }
        sum(counts, &parents, q, a, m)
    };
    let missing_leaf = case.missing.map(|l| leaves[l]);
    let mut filled = counts.clone();
    if let Some(leaf) = missing_leaf {
        // The absent row's true counts, for the parents' totals only.
        let values = leaf_values(case, case.missing.unwrap_or(0), 0);
        for (m, v) in values.into_iter().enumerate() {
            filled.set(0, leaf, m, Some(v));
        }
    }
    for a in (0..areas).rev() {
        if leaves.contains(&a) {
            continue;
        }
        for q in 0..case.quarters {
            for m in 0..MEASURES {
                counts.set(q, a, m, Some(truth(&filled, q, a, m)));
            }
        }
    }
    if case.year {
        let y = case.quarters;
        for a in 0..areas {
            for m in 0..MEASURES {
                let quarters: Option<Vec<u64>> = (0..4).map(|q| counts.get(q, a, m)).collect();
                let value = quarters.map(|v| if m == NEW_CASES { v.iter().sum() } else { v[3] });
                counts.set(y, a, m, value);
            }
        }
    }
    for p in 0..periods.len() {
        for (a, &pop) in population.iter().enumerate() {
            counts.set_population(p, a, Some(pop));
        }
    }

    let measure = |id: &str, within: Option<usize>, aggregation| Measure {
        id: id.into(),
        name: id.into(),
        description: None,
        aggregation: case.declare_aggregation.then_some(aggregation).flatten(),
        within: case.declare_within.then_some(within).flatten(),
    };
    let stock = Some(Aggregation::EndOfPeriod);
    let definitions = Definitions {
        measures: vec![
            measure("registered", None, stock),
            measure("managed", Some(REGISTERED), stock),
            measure("standard_managed", Some(MANAGED), stock),
            measure("on_medication", Some(MANAGED), stock),
            measure("new_cases", None, Some(Aggregation::Sum)),
        ],
        indicators: vec![
            rate("management_rate", MANAGED, REGISTERED),
            rate("standard_management_rate", STANDARD, REGISTERED),
            rate("medication_rate", MEDICATED, MANAGED),
        ],
    };
    let mut differences = vec![
        (REGISTERED, MANAGED),
        (REGISTERED, STANDARD),
        (MANAGED, MEDICATED),
    ];
    if case.declare_within {
        differences.push((MANAGED, STANDARD));
    }
    if !case.privacy.protect_complements {
        differences.clear();
    }
    let figures = disclosure::apply(&counts, &definitions, &parents, &case.privacy).figures;
    World {
        parents,
        periods,
        counts,
        population,
        figures,
        filled,
        privacy: case.privacy.clone(),
        differences,
    }
}

/// The true counts of leaf `l` in quarter `q`, each measure a share of the
/// one it lies within.
fn leaf_values(case: &Case, l: usize, q: usize) -> [u64; MEASURES] {
    let (registered, managed, standard, medicated, new) = case.leaves[l * case.quarters + q];
    let share = |of: u64, s: u8| of * u64::from(s) / 100;
    let managed = share(registered, managed);
    [
        registered,
        managed,
        share(managed, standard),
        share(managed, medicated),
        new,
    ]
}

fn rate(id: &str, numerator: usize, denominator: usize) -> Indicator {
    Indicator {
        id: id.into(),
        name: id.into(),
        numerator,
        denominator: Denominator::Measure(denominator),
        unit: Unit::Percent,
        target: None,
        higher_is_better: true,
        decimals: 2,
        definition: None,
        source: None,
    }
}

/// The true counts a published (rounded) count can stand for.
fn possible(shown: u64, privacy: &Privacy) -> (u64, u64) {
    let Some(base) = privacy.round_to.filter(|&b| b > 1) else {
        return (shown, shown);
    };
    let candidates: Vec<u64> = (0..=shown + base)
        .filter(|&v| disclosure::published_count(v, privacy) == shown)
        .filter(|&v| v == 0 || v >= privacy.min_count)
        .collect();
    (
        candidates.first().copied().unwrap_or(shown),
        candidates.last().copied().unwrap_or(shown),
    )
}

/// The attacker's integer program over every cell; the range of
/// `plus − minus`, `None` for no upper limit.
fn range(w: &World, plus: usize, minus: Option<usize>) -> (i64, Option<i64>) {
    let areas = w.parents.len();
    let cell = |p: usize, a: usize, m: usize| (p * areas + a) * MEASURES + m;
    let cells = w.periods.len() * areas * MEASURES;
    let solve = |direction| {
        let mut problem = Problem::new(direction);
        let vars: Vec<_> = (0..cells)
            .map(|i| {
                let (p, a, m) = (i / (areas * MEASURES), (i / MEASURES) % areas, i % MEASURES);
                let objective = if i == plus {
                    1.0
                } else if Some(i) == minus {
                    -1.0
                } else {
                    0.0
                };
                let (lo, hi) = match w.figures.count(p, a, m) {
                    Count::Published(shown) => possible(shown, &w.privacy),
                    _ => (0, w.population[a]),
                };
                problem.add_integer_var(objective, (lo as i32, hi as i32))
            })
            .collect();
        for p in 0..w.periods.len() {
            for m in 0..MEASURES {
                for parent in 0..areas {
                    let kids: Vec<usize> = (0..areas)
                        .filter(|&c| w.parents[c] == Some(parent))
                        .collect();
                    if kids.is_empty() {
                        continue;
                    }
                    let mut terms = vec![(vars[cell(p, parent, m)], 1.0)];
                    terms.extend(kids.iter().map(|&c| (vars[cell(p, c, m)], -1.0)));
                    problem.add_constraint(terms, ComparisonOp::Eq, 0.0);
                }
            }
            for a in 0..areas {
                for (small, large) in ORDER {
                    problem.add_constraint(
                        [
                            (vars[cell(p, a, small)], 1.0),
                            (vars[cell(p, a, large)], -1.0),
                        ],
                        ComparisonOp::Le,
                        0.0,
                    );
                }
            }
        }
        if w.periods.len() == 5 {
            for a in 0..areas {
                for m in 0..MEASURES {
                    let year = vars[cell(4, a, m)];
                    let terms: Vec<_> = if m == NEW_CASES {
                        std::iter::once((year, 1.0))
                            .chain((0..4).map(|q| (vars[cell(q, a, m)], -1.0)))
                            .collect()
                    } else {
                        vec![(year, 1.0), (vars[cell(3, a, m)], -1.0)]
                    };
                    problem.add_constraint(terms, ComparisonOp::Eq, 0.0);
                }
            }
        }
        match problem.solve() {
            Ok(outcome) => outcome.solution().map(|s| s.objective().round() as i64),
            Err(microlp::Error::Unbounded) => None,
            Err(e) => panic!("the attacker's program failed: {e:?}"),
        }
    };
    let lo = solve(OptimizationDirection::Minimize).unwrap_or(0);
    (lo, solve(OptimizationDirection::Maximize))
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("ANXIN_PROPTEST_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .map_or(48, |n: u32| (n / 4).max(1)),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// Every withheld count's range holds at least `protection` whole
    /// numbers; so does every small difference of a rate's parts (and of a
    /// measure and the one it is declared within); and no published count
    /// reads as a small one.
    #[test]
    fn no_withheld_figure_can_be_narrowed(case in case()) {
        let w = world(&case);
        let need = w.privacy.protection() as i64;
        let areas = w.parents.len();
        let describe = || format!("{case:?}\npublished: {:?}", (0..w.periods.len())
            .map(|p| (0..areas).map(|a| (0..MEASURES).map(|m| w.figures.count(p, a, m)).collect::<Vec<_>>()).collect::<Vec<_>>())
            .collect::<Vec<_>>());
        for p in 0..w.periods.len() {
            for a in 0..areas {
                let index = |m: usize| (p * areas + a) * MEASURES + m;
                for m in 0..MEASURES {
                    match w.figures.count(p, a, m) {
                        Count::Published(shown) => prop_assert!(
                            shown == 0 || shown >= w.privacy.min_count,
                            "{} {a} m{m} published as {shown}\n{}", w.periods[p], describe()
                        ),
                        Count::Suppressed => {
                            let (lo, hi) = range(&w, index(m), None);
                            prop_assert!(
                                hi.is_none_or(|hi| hi - lo + 1 >= need),
                                "{} area {a} m{m} (true {:?}) narrowed to {lo}..={hi:?}\n{}",
                                w.periods[p], w.counts.get(p, a, m), describe()
                            );
                        }
                        // A missing row's count that the others tie down is as
                        // good as published.
                        Count::Missing => {
                            let Some(truth) = w.filled.get(p, a, m) else { continue };
                            if !w.privacy.is_small(truth) {
                                continue;
                            }
                            let (lo, hi) = range(&w, index(m), None);
                            prop_assert!(
                                hi.is_none_or(|hi| hi - lo + 1 >= need),
                                "{} area {a} m{m}, missing (true {truth}), narrowed to {lo}..={hi:?}\n{}",
                                w.periods[p], describe()
                            );
                        }
                    }
                }
                for &(large, small) in &w.differences {
                    let (Some(l), Some(s)) = (w.counts.get(p, a, large), w.counts.get(p, a, small)) else {
                        continue;
                    };
                    if !w.privacy.is_small(l - s) {
                        continue;
                    }
                    let (lo, hi) = range(&w, index(large), Some(index(small)));
                    prop_assert!(
                        hi.is_none_or(|hi| hi - lo + 1 >= need),
                        "{} area {a}: m{large} − m{small} (true {}) narrowed to {lo}..={hi:?}\n{}",
                        w.periods[p], l - s, describe()
                    );
                }
            }
        }
    }
}
